#!/bin/bash
# The cluster recipe on one machine, to try it or to check a merge: runs the M shards one after
# another, merges them, and compares the result with the ensemble run in one go.
#
#   examples/cluster/local-shards.sh [RUNS] [SHARDS] [OUT]
set -euo pipefail
RUNS=${1:-40}
SHARDS=${2:-4}
OUT=${3:-decarb-local-shards}
DECARB=${DECARB:-decarb}

for k in $(seq 1 "$SHARDS"); do
    "$DECARB" run --example carbon-price --runs "$RUNS" --seed 7 --shard "$k/$SHARDS" --out "$OUT/parts" >/dev/null
done
"$DECARB" merge "$OUT/parts" --out "$OUT/merged"
"$DECARB" run --example carbon-price --runs "$RUNS" --seed 7 --out "$OUT/whole" >/dev/null
for f in bands.csv runs.csv probabilities.csv; do
    cmp "$OUT/whole/$f" "$OUT/merged/$f"
done
echo "merged ${SHARDS} shards of ${RUNS} runs: bands.csv, runs.csv, probabilities.csv identical to one machine's"
