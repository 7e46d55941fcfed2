#!/usr/bin/env bash
# Peak memory of loading big incident files (issue 11): a 200 MB GeoJSON, a 1M-row ACLED
# CSV and a 1M-row generic CSV, all invented by bench/make_big_inputs.py. Runs
# `bordermap validate` on each RUNS times under /usr/bin/time -v and prints the median peak
# RSS, its ratio to the file's size, and the median wall time.
#   bench/memory.sh [RUNS]    (default 3; needs python3 and ~700 MB in $TMPDIR)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
dir=${TMPDIR:-/tmp}/bordermap-memory
cargo build --release --quiet
python3 bench/make_big_inputs.py "$dir" >/dev/null
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
printf '%-14s %10s %12s %8s %8s\n' file size_MB peak_RSS_MB ratio seconds
for f in big.geojson big.csv generic.csv; do
  rss=(); secs=()
  for _ in $(seq "$runs"); do
    /usr/bin/time -v target/release/bordermap validate --incidents "$dir/$f" \
      >/dev/null 2>"$dir/time.txt" || { tail -5 "$dir/time.txt"; exit 1; }
    rss+=("$(awk -F': ' '/Maximum resident/ {print $2}' "$dir/time.txt")")
    secs+=("$(awk -F': ' '/Elapsed/ {n=split($2,t,":"); s=0; for(i=1;i<=n;i++) s=s*60+t[i]; print s}' "$dir/time.txt")")
  done
  size=$(stat -c %s "$dir/$f")
  kb=$(printf '%s\n' "${rss[@]}" | median)
  s=$(printf '%s\n' "${secs[@]}" | median)
  awk -v f="$f" -v size="$size" -v kb="$kb" -v s="$s" \
    'BEGIN {printf "%-14s %10.0f %12.0f %8.2f %8.2f\n", f, size/1e6, kb/1024, kb*1024/size, s}'
done
