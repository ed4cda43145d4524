#!/usr/bin/env bash
# Reproduces the PBT paper's Figure 2 ablation on the quadratic toy: PBT, exploit only,
# explore only and grid, 10 seeds each; prints the median and range of the best final Q.
# Usage: scripts/figure2.sh [path/to/pbt]   (default: .build/release/pbt)
set -euo pipefail
pbt=${1:-.build/release/pbt}
cd "$(dirname "$0")/.."
for variant in quadratic quadratic-exploit-only quadratic-explore-only quadratic-grid; do
  for seed in 0 1 2 3 4 5 6 7 8 9; do
    "$pbt" run "examples/$variant.yaml" --store memory: --workers 1 --seed "$seed" --json --quiet
  done | python3 -c '
import json, statistics, sys
scores = [json.loads(line)["best"]["score"] for line in sys.stdin]
print(f"{sys.argv[1]:24s} median Q {statistics.median(scores):.6f}   min {min(scores):.6f}   max {max(scores):.6f}")
' "$variant"
done
