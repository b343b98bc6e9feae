#!/bin/bash
# A decarb Monte Carlo ensemble as a Slurm array job: task K of M runs the K-th slice of the runs
# and writes $OUT/part-K-of-M/; a second job, run after the whole array succeeds, merges them.
#
#   sbatch examples/cluster/slurm-ensemble.sh            # submits the array and the merge
#
# Settings (environment): SCENARIO (a scenario file, or empty for EXAMPLE), EXAMPLE, RUNS, SHARDS,
# SEED, OUT. `decarb` must be on PATH on the compute nodes (e.g. a shared install or a module).
#SBATCH --job-name=decarb-ensemble
#SBATCH --cpus-per-task=2
#SBATCH --mem=2G
#SBATCH --time=01:00:00
#SBATCH --output=decarb-%A_%a.log
set -euo pipefail

EXAMPLE=${EXAMPLE:-net-zero-2050}
SCENARIO=${SCENARIO:-}
RUNS=${RUNS:-10000}
SHARDS=${SHARDS:-100}
SEED=${SEED:-42}
OUT=${OUT:-decarb-ensemble}

scenario_args() {
    if [ -n "$SCENARIO" ]; then
        printf '%s\n' "$SCENARIO"
    else
        printf '%s\n' --example "$EXAMPLE"
    fi
}

if [ -z "${SLURM_ARRAY_TASK_ID:-}" ]; then
    # Submitted without an array (or run by hand on the login node): submit the array, then the
    # merge that waits for every task to succeed.
    array=$(sbatch --parsable --array="1-${SHARDS}" --export=ALL "$0")
    sbatch --dependency="afterok:${array}" --job-name=decarb-merge --cpus-per-task=1 \
        --output=decarb-merge-%j.log --export=ALL \
        --wrap="decarb merge '${OUT}' --out '${OUT}/merged'"
    echo "submitted array ${array} (${SHARDS} shards of ${RUNS} runs) and its merge into ${OUT}/merged"
    exit 0
fi

mapfile -t scenario < <(scenario_args)
decarb run "${scenario[@]}" --runs "$RUNS" --seed "$SEED" \
    --shard "${SLURM_ARRAY_TASK_ID}/${SHARDS}" --threads "${SLURM_CPUS_PER_TASK:-1}" --out "$OUT"
