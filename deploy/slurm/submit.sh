#!/bin/bash
# Submits a bordermap batch as a Slurm job array plus a finish job that runs only if
# every task succeeded. Prints the two job ids.
#   FROM=2025-01-01 TO=2025-12-31 SHARDS=8 PATTERN=/shared/daily/{date}.png deploy/slurm/submit.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
: "${FROM:?set FROM}" "${TO:?set TO}" "${SHARDS:?set SHARDS}"
export FROM TO SHARDS PATTERN BORDERMAP ARGS ANIMATE
array=$(sbatch --parsable --array=0-$((SHARDS - 1)) --export=ALL "$here/batch.sbatch")
finish=$(sbatch --parsable --dependency=afterok:"$array" --export=ALL "$here/finish.sbatch")
echo "$array $finish"
