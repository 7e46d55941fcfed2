#!/usr/bin/env python3
"""Writes large *invented* incident files for the memory benchmark (bench/memory.sh).

  make_big_inputs.py DIR [--geojson-mb 200] [--csv-rows 1000000]

DIR/generic.csv: the same number of rows with eight columns (id, date, kind, lon, lat,
title, source, notes). DIR/big.geojson: a FeatureCollection of incidents, each with claims, actors, sources and
notes, until the file reaches the given size. DIR/big.csv: an ACLED-format export with the
given number of rows, repeating the rows of tests/fixtures/csv/acled_40.csv with new ids and
dates. Nothing here is real reporting: positions and texts are made up around the shipped
border (Afghanistan–Pakistan) so that every record loads and locates.
"""
import csv
import datetime
import json
import os
import random
import sys


def geojson(path, mb):
    rnd = random.Random(1)
    target = mb * 1_000_000
    day0 = datetime.date(2025, 1, 1)
    with open(path, "w", encoding="utf-8") as f:
        f.write('{"type":"FeatureCollection","features":[\n')
        i = 0
        while f.tell() < target:
            lon = 69.0 + rnd.random() * 2.0
            lat = 32.0 + rnd.random() * 2.0
            day = day0 + datetime.timedelta(days=rnd.randrange(365))
            feat = {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [round(lon, 4), round(lat, 4)]},
                "properties": {
                    "id": f"inv-{i}",
                    "date": day.isoformat(),
                    "kind": rnd.choice(["clash", "airstrike", "post_captured", "shelling"]),
                    "title": f"Invented incident {i}",
                    "place": rnd.choice(["Torkham", "Chaman", "Angoor Adda", "Kurram"]),
                    "precision_m": 5000,
                    "actors": ["Invented side A", "Invented side B"],
                    "claims": [
                        {"claimant": "Side A officials", "outlet": "Invented Wire",
                         "reported": day.isoformat(),
                         "figures": [{"party": "Side B", "measure": "killed", "low": (k := rnd.randrange(30)), "high": k}]},
                        {"claimant": "Side B ministry", "outlet": "Invented Post",
                         "reported": day.isoformat(),
                         "figures": [{"party": "Side B", "measure": "killed", "low": 1, "high": 5 + rnd.randrange(30)}]},
                    ],
                    "sources": ["Invented Wire", "Invented Post"],
                    "notes": "Invented benchmark record; " + "x" * rnd.randrange(50, 250),
                },
            }
            if i:
                f.write(",\n")
            f.write(json.dumps(feat, separators=(",", ":")))
            i += 1
        f.write("\n]}\n")
    return i


def acled(path, rows):
    here = os.path.dirname(os.path.abspath(__file__))
    src = os.path.join(here, "..", "tests", "fixtures", "csv", "acled_40.csv")
    with open(src, encoding="utf-8-sig", newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        base = list(reader)
    idx = header.index("event_id_cnty")
    date = header.index("event_date")
    day0 = datetime.date(2025, 1, 1)
    generic = os.path.join(os.path.dirname(path), "generic.csv")
    with open(generic, "w", encoding="utf-8", newline="") as f:
        f.write("id,date,kind,lon,lat,title,source,notes\n")
        rnd = random.Random(2)
        for i in range(rows):
            day = day0 + datetime.timedelta(days=i % 365)
            f.write(f"g{i},{day.isoformat()},clash,{69 + rnd.random() * 2:.4f},"
                    f"{32 + rnd.random() * 2:.4f},Invented clash {i},Invented Wire,"
                    f"Invented benchmark row {i}\n")
    notes = header.index("notes")
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        for i in range(rows):
            row = list(base[i % len(base)])
            row[idx] = f"INV{i}"
            row[date] = (day0 + datetime.timedelta(days=i % 365)).isoformat()
            row[notes] = f"{row[notes]} (invented copy {i})"
            w.writerow(row)


def main():
    args = sys.argv[1:]
    if not args:
        sys.exit(__doc__)
    out = args[0]
    mb = int(args[args.index("--geojson-mb") + 1]) if "--geojson-mb" in args else 200
    rows = int(args[args.index("--csv-rows") + 1]) if "--csv-rows" in args else 1_000_000
    os.makedirs(out, exist_ok=True)
    n = geojson(os.path.join(out, "big.geojson"), mb)
    acled(os.path.join(out, "big.csv"), rows)
    print(f"{out}/big.geojson: {n} features; {out}/big.csv and generic.csv: {rows} rows")


if __name__ == "__main__":
    main()
