#!/usr/bin/env bash
# Side by side, in one run: 365 daily 1600x1000 maps of ../shared/bench (its data, extent
# and style, bench/anchor_style.toml), three ways, alternating per round:
#   Mapnik 3.1: mapnik_static.py in two processes (183 + 182 renders, PNG written each time);
#   a loop of `bordermap render --date D` processes, two at a time (xargs -P 2);
#   `bordermap batch --jobs 2`, one process.
# Medians of RUNS rounds; peak RSS from /usr/bin/time -v (batch: 365 days and 31 days).
# Needs Debian's python3-mapnik.
#
#   RUNS=3 bench/compare_mapnik_batch.sh
set -euo pipefail
cd "$(dirname "$0")/.."
BENCH=$(cd "${BENCH:-../shared/bench}" && pwd)
RUNS=${RUNS:-3}
OUT=${TMPDIR:-/tmp}/bordermap-vs-mapnik-batch
rm -rf "$OUT" && mkdir -p "$OUT"
cargo build --release --quiet
BM=$PWD/target/release/bordermap
IN=(--border "$BENCH/data/afg_pak_border.geojson" --posts "$BENCH/data/border_points.geojson"
    --basemap "$BENCH/data/countries.geojson" --style bench/anchor_style.toml
    --bbox 59.656954,28.988057,75.736799,37.384776)
seq 0 364 | while read -r i; do date -d "2025-01-01 + $i days" +%F; done > "$OUT/days.txt"
for r in $(seq 1 "$RUNS"); do
  ( cd "$BENCH" && /usr/bin/time -v bash -c "/usr/bin/python3 mapnik_static.py --out '$OUT/m1.png' --n 183 >/dev/null & /usr/bin/python3 mapnik_static.py --out '$OUT/m2.png' --n 182 >/dev/null; wait" ) 2> "$OUT/mapnik_$r.time"
  rm -rf "$OUT/loop" && mkdir -p "$OUT/loop"
  /usr/bin/time -v bash -c "xargs -P 2 -I{} '$BM' render ${IN[*]} --date {} --out '$OUT/loop/{}.png' < '$OUT/days.txt' >/dev/null" 2> "$OUT/loop_$r.time"
  rm -rf "$OUT/batch"
  /usr/bin/time -v "$BM" batch "${IN[@]}" --from 2025-01-01 --to 2025-12-31 --jobs 2 -q --out-pattern "$OUT/batch/{date}.png" 2> "$OUT/batch_$r.time" >/dev/null
  rm -rf "$OUT/batch31"
  /usr/bin/time -v "$BM" batch "${IN[@]}" --from 2025-01-01 --to 2025-01-31 --jobs 2 -q --out-pattern "$OUT/batch31/{date}.png" 2> "$OUT/batch31_$r.time" >/dev/null
done
cmp "$OUT/loop/2025-06-01.png" "$OUT/batch/2025-06-01.png" && echo "batch and render loop maps are byte-identical (2025-06-01 checked)"
/usr/bin/python3 - "$OUT" "$RUNS" <<'PY'
import re, statistics, sys
out, runs = sys.argv[1], int(sys.argv[2])
def wall(f):
    m = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)", open(f).read())
    return int(m.group(1) or 0) * 3600 + int(m.group(2)) * 60 + float(m.group(3))
def rss(f):
    return int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", open(f).read()).group(1)) / 1024
def row(n):
    w = [wall(f"{out}/{n}_{r}.time") for r in range(1, runs + 1)]
    return statistics.median(w), w, max(rss(f"{out}/{n}_{r}.time") for r in range(1, runs + 1))
b = row("batch")
print(f"365 daily 1600x1000 maps, 2 cores, median of {runs} alternating rounds")
print("| run | wall s | per round | batch is faster by | peak RSS |")
print("| --- | --- | --- | --- | --- |")
for n, label in [("mapnik", "Mapnik 3.1, 2 processes"), ("loop", "`bordermap render` loop, 2 at a time"), ("batch", "`bordermap batch --jobs 2`"), ("batch31", "`bordermap batch`, 31 days")]:
    w, ws, m = row(n)
    print(f"| {label} | {w:.2f} | {[round(x, 2) for x in ws]} | {w / b[0]:.1f}x | {m:.1f} MiB |")
PY
