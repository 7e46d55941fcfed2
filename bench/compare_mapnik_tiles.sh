#!/usr/bin/env bash
# Side by side, in one run: the Mapnik anchor's z0-10 tile pyramid (../shared/bench,
# 1,514 tiles, two processes) and `bordermap tiles` on the same data, area, zooms and style
# (bench/anchor_style.toml), with --jobs 2, into a directory, an MBTiles and a PMTiles file,
# and with --png best. Runs alternate (Mapnik, then bordermap, per round); each writes into
# an empty folder. Medians of RUNS rounds; peak RSS from /usr/bin/time -v; total PNG bytes.
# Needs Debian's python3-mapnik (see ../shared/bench/README.md).
#
#   RUNS=5 bench/compare_mapnik_tiles.sh
set -euo pipefail
cd "$(dirname "$0")/.."
BENCH=$(cd "${BENCH:-../shared/bench}" && pwd)
RUNS=${RUNS:-3}
OUT=${TMPDIR:-/tmp}/bordermap-vs-mapnik-tiles
rm -rf "$OUT" && mkdir -p "$OUT"
cargo build --release --quiet
BM=$PWD/target/release/bordermap
BBOX=60.846008,29.386867,74.547745,37.020925
ARGS=(tiles -q --border "$BENCH/data/afg_pak_border.geojson" --posts "$BENCH/data/border_points.geojson"
      --basemap "$BENCH/data/countries.geojson" --style bench/anchor_style.toml --bbox "$BBOX" --zoom 0-10 --jobs 2)
t() { # label, command...: wall seconds and peak RSS into $OUT/label_r.time
  local label=$1; shift
  /usr/bin/time -v "$@" 2> "$OUT/$label.time" >/dev/null
}
for r in $(seq 1 "$RUNS"); do
  ( cd "$BENCH" && t_mapnik() { /usr/bin/time -v /usr/bin/python3 mapnik_tiles.py --procs 2 --out "$OUT/mapnik_$r" --json "$OUT/mapnik_$r.json"; }; t_mapnik 2> "$OUT/mapnik_$r.time" >/dev/null )
  t "dir_$r" "$BM" "${ARGS[@]}" --out "$OUT/dir_$r"
  t "nosync_$r" "$BM" "${ARGS[@]}" --no-sync --out "$OUT/nosync_$r"
  t "mbtiles_$r" "$BM" "${ARGS[@]}" --out "$OUT/t_$r.mbtiles"
  t "pmtiles_$r" "$BM" "${ARGS[@]}" --out "$OUT/t_$r.pmtiles"
  t "best_$r" "$BM" "${ARGS[@]}" --png best --out "$OUT/best_$r"
  # The floor for any directory writer on this disk: the same number of files and folders
  # created by a plain loop, bytes copied from bordermap's tiles.
  t "floor_$r" /usr/bin/python3 -c '
import os, sys
src, dst = sys.argv[1], sys.argv[2]
for z in os.listdir(src):
    if not z.isdigit(): continue
    for x in os.listdir(f"{src}/{z}"):
        os.makedirs(f"{dst}/{z}/{x}", exist_ok=True)
        for y in os.listdir(f"{src}/{z}/{x}"):
            data = open(f"{src}/{z}/{x}/{y}", "rb").read()
            open(f"{dst}/{z}/{x}/{y}", "wb").write(data)
' "$OUT/dir_$r" "$OUT/floor_$r"
done
/usr/bin/python3 - "$OUT" "$RUNS" <<'PY'
import glob, os, re, statistics, sys
out, runs = sys.argv[1], int(sys.argv[2])
def wall(f):
    m = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)", open(f).read())
    return int(m.group(1) or 0) * 3600 + int(m.group(2)) * 60 + float(m.group(3))
def rss(f):
    return int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", open(f).read()).group(1)) / 1024
def pngs(d):
    files = glob.glob(f"{d}/*/*/*.png")
    return len(files), sum(os.path.getsize(p) for p in files)
def row(name):
    w = [wall(f"{out}/{name}_{r}.time") for r in range(1, runs + 1)]
    m = [rss(f"{out}/{name}_{r}.time") for r in range(1, runs + 1)]
    return statistics.median(w), w, max(m)
mw, mruns, mrss = row("mapnik")
n, mbytes = pngs(f"{out}/mapnik_1")
print(f"z0-10 tiles of ../shared/bench, {n} tiles, 2 cores, median of {runs} alternating rounds")
print("| run | wall s (median) | per-round | tiles/s | vs Mapnik | peak RSS |")
print("| --- | --- | --- | --- | --- | --- |")
print(f"| Mapnik 3.1, 2 processes | {mw:.2f} | {[round(x, 2) for x in mruns]} | {n / mw:.0f} | 1.0x | {mrss:.1f} MiB (parent) |")
for name, label in [("floor", "floor: a Python loop creating the same files"), ("dir", "bordermap, directory"), ("nosync", "bordermap, directory, --no-sync"), ("mbtiles", "bordermap, MBTiles"), ("pmtiles", "bordermap, PMTiles"), ("best", "bordermap, directory, --png best")]:
    w, runs_, r = row(name)
    print(f"| {label} | {w:.3f} | {[round(x, 3) for x in runs_]} | {n / w:.0f} | {mw / w:.1f}x | {r:.1f} MiB |")
bn, bbytes = pngs(f"{out}/dir_1")
sn, sbytes = pngs(f"{out}/best_1")
print(f"\nPNG bytes: Mapnik {mbytes / 1e6:.2f} MB, bordermap fast {bbytes / 1e6:.2f} MB, --png best {sbytes / 1e6:.2f} MB ({bn} and {sn} tiles)")
PY
