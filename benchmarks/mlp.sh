#!/usr/bin/env bash
# Digits-MLP training speed: swift-pbt's Neural target against numpy float32 on one OpenBLAS
# thread, measured in the same run. Prints both numbers and the ratio, e.g.
#   swift 21000 steps/s, numpy 9500 steps/s, ratio 2.21×
#
# Usage: benchmarks/mlp.sh [seconds per run (default 3)] [rounds (default 3)]
# Runs alternate (swift, numpy, swift, numpy, ...) so that load from other processes hits both
# alike; the best run of each side is reported. Needs python3 with numpy (threadpoolctl
# optional: it names the BLAS kernel in use). PBT=path/to/pbt overrides the binary.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-3}
rounds=${2:-3}
pbt=${PBT:-.build/release/pbt}
if [ ! -x "$pbt" ]; then
    swift build -c release --product pbt >&2
fi

best_swift=0
best_numpy=0
for ((i = 1; i <= rounds; i++)); do
    swift_json=$("$pbt" bench mlp --json --seconds "$seconds")
    # One BLAS thread; OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE slow current numpy, so unset them
    # for this command only.
    numpy_json=$(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=1 \
        python3 benchmarks/numpy_mlp.py --seconds "$seconds")
    if [ "$i" = 1 ]; then
        python3 -c 'import json,sys; print("numpy BLAS:", json.loads(sys.argv[1]).get("blas"))' \
            "$numpy_json" >&2
    fi
    read -r best_swift best_numpy < <(python3 -c '
import json, sys
s = json.loads(sys.argv[1])["steps_per_second"]
n = json.loads(sys.argv[2])["steps_per_second"]
print(max(s, float(sys.argv[3])), max(n, float(sys.argv[4])))
print(f"  round {sys.argv[5]}: swift {s:.0f}, numpy {n:.0f} steps/s", file=sys.stderr)
' "$swift_json" "$numpy_json" "$best_swift" "$best_numpy" "$i")
done
python3 -c '
import sys
s, n = float(sys.argv[1]), float(sys.argv[2])
print(f"swift {s:.0f} steps/s, numpy {n:.0f} steps/s, ratio {s / n:.2f}×")
' "$best_swift" "$best_numpy"
