#!/usr/bin/env bash
# Side by side, in one run: the Mapnik anchor's static 1600x1000 map (../shared/bench) and
# bordermap drawing the same data in the same style (bench/anchor_style.toml).
# Medians of RUNS runs of N renders each, render and encode+write split, peak RSS of each
# process from /usr/bin/time -v. Needs Debian's python3-mapnik (see ../shared/bench/README.md).
#
#   RUNS=3 N=20 bench/compare_mapnik.sh
set -euo pipefail
cd "$(dirname "$0")/.."
BENCH=${BENCH:-../shared/bench}
RUNS=${RUNS:-3}
N=${N:-20}
OUT=${TMPDIR:-/tmp}/bordermap-vs-mapnik
mkdir -p "$OUT"
cargo build --release --quiet --example anchor_static
BM=target/release/examples/anchor_static
for r in $(seq 1 "$RUNS"); do
  ( cd "$BENCH" && /usr/bin/time -v /usr/bin/python3 mapnik_static.py --out "$OUT/mapnik.png" --n "$N" --json "$OUT/mapnik_$r.json" ) 2> "$OUT/mapnik_$r.time" >/dev/null
  /usr/bin/time -v "$BM" "$BENCH" "$OUT/bordermap.png" "$N" > "$OUT/bordermap_$r.json" 2> "$OUT/bordermap_$r.time"
done
/usr/bin/python3 - "$OUT" "$RUNS" <<'PY'
import json, re, statistics, sys
out, runs = sys.argv[1], int(sys.argv[2])
def load(name):
    rows = [json.load(open(f"{out}/{name}_{r}.json")) for r in range(1, runs + 1)]
    rss = [int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", open(f"{out}/{name}_{r}.time").read()).group(1)) for r in range(1, runs + 1)]
    med = lambda k: statistics.median(x[k] for x in rows)
    return {"total": med("median_ms_total"), "render": med("median_ms_render"), "encode": med("median_ms_encode_write"),
            "runs": [round(x["median_ms_total"], 2) for x in rows], "rss_mib": max(rss) / 1024}
m, b = load("mapnik"), load("bordermap")
print(f"static 1600x1000, median of {runs} runs (per-run medians of the renders)")
print(f"| | Mapnik 3.1 | bordermap | ratio |")
print(f"| --- | --- | --- | --- |")
for k, label in [("total", "ms per image"), ("render", "render ms"), ("encode", "encode + write ms")]:
    print(f"| {label} | {m[k]:.2f} | {b[k]:.2f} | {b[k] / m[k]:.2f} |")
print(f"| per-run medians | {m['runs']} | {b['runs']} | |")
print(f"| peak RSS | {m['rss_mib']:.1f} MiB | {b['rss_mib']:.1f} MiB | {b['rss_mib'] / m['rss_mib']:.2f} |")
PY
