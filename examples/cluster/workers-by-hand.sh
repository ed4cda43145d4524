#!/bin/sh
# Starting workers by hand: run one line on each machine (any number of machines, any time).
#
# machine 1 — creates the experiment in the database and runs 8 local workers:
#   pbt run examples/quadratic.yaml --store "postgres://pbt@db.example:5432/pbt" --workers 8
#
# machines 2…N — join it by name, 8 workers each:
#   pbt worker --store "postgres://pbt@db.example:5432/pbt" --experiment quadratic-pbt --workers 8
#
# This script does both on one machine, against $STORE (default: a local server), to try it out.
set -eu
STORE=${STORE:-postgres://pbt@127.0.0.1:5432/pbt?sslmode=disable}
pbt run examples/quadratic.yaml --store "$STORE" --workers 2 &
pbt worker --store "$STORE" --experiment quadratic-pbt --workers 2 --wait 30 &
wait
