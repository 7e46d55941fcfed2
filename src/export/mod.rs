//! The combined GeoJSON export: border, posts and incidents in one RFC 7946
//! FeatureCollection (or one file per layer), shaped so that QGIS/GDAL read it typed.
//!
//! What QGIS 3.22 with GDAL 3.6 needs, and what this module therefore guarantees:
//! - every feature of a layer has the same property keys in the same order (`null` where a
//!   key does not apply), and one JSON type per key: a key whose input values mix types
//!   is written as text in every feature;
//! - dates as `YYYY-MM-DD` strings or `null`, never empty strings (empty input strings
//!   become `null`); datetimes in UTC with a `Z`, the original offset in its own field;
//! - no top-level `id`, no `null` geometries, WGS84 lon/lat rounded to 7 decimals;
//! - claims flattened to typed columns (`<measure>_low`, `<measure>_high`, `claims_count`)
//!   plus the full claims as a JSON string (`claims_json`).
//!
//! Every input property of every record is kept.

pub mod annotate;
pub mod qml;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value, json};

use crate::dataset::Dataset;
use crate::model::{Incident, Location, LonLat};
use annotate::reference_properties;

/// Layer names, as written in the `layer` property and in split file names.
pub const LAYERS: [&str; 3] = ["border", "post", "incident"];

/// Measures that get their own typed low/high columns.
const MEASURES: [&str; 6] = [
    "killed",
    "wounded",
    "fatalities",
    "posts_captured",
    "neutralized",
    "injured",
];

/// A count as an integer when it is whole (so GDAL types the column Integer).
fn count(v: f64) -> Value {
    if v.fract() == 0.0 && v.abs() < 9.0e15 {
        json!(v as i64)
    } else {
        json!(v)
    }
}

fn round7(v: f64) -> f64 {
    (v * 1e7).round() / 1e7
}

/// A geometry as JSON, built with georust's `geojson` types, RFC 7946 by construction.
fn geometry(value: geojson::GeometryValue) -> Value {
    serde_json::to_value(geojson::Geometry::new(value)).unwrap_or(Value::Null)
}

fn point(p: LonLat) -> Value {
    geometry(geojson::GeometryValue::new_point([
        round7(p.lon),
        round7(p.lat),
    ]))
}

fn line(points: &[LonLat]) -> Value {
    geometry(geojson::GeometryValue::new_line_string(
        points.iter().map(|p| [round7(p.lon), round7(p.lat)]),
    ))
}

/// One layer: features as (computed properties, input properties, geometry).
struct Layer {
    name: &'static str,
    rows: Vec<Row>,
}

/// One feature: (computed properties, input properties, geometry).
type Row = (Map<String, Value>, Map<String, Value>, Value);

/// A row while normalising: layer name, merged properties, geometry, computed properties.
type Merged<'a> = (
    &'static str,
    Map<String, Value>,
    &'a Value,
    &'a Map<String, Value>,
);

/// Whether two JSON values say the same thing (numbers compared as numbers).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

/// Properties computed by bordermap win over input keys of the same name; the input value
/// is then kept under `input_<key>`, so nothing is lost.
fn merge(computed: &Map<String, Value>, input: &Map<String, Value>) -> Map<String, Value> {
    let mut out = computed.clone();
    for (k, v) in input {
        let key = if out.contains_key(k) && !same(&out[k], v) {
            format!("input_{k}")
        } else {
            k.clone()
        };
        if !out.contains_key(&key) {
            // An empty string would make QGIS type the whole column as text.
            let v = match v {
                Value::String(s) if s.is_empty() => Value::Null,
                other => other.clone(),
            };
            out.insert(key, v);
        }
    }
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Bool,
    Int,
    Real,
    Text,
    Json,
}

fn kind_of(v: &Value) -> Option<Kind> {
    match v {
        Value::Null => None,
        Value::Bool(_) => Some(Kind::Bool),
        Value::Number(n) if n.is_i64() || n.is_u64() => Some(Kind::Int),
        Value::Number(_) => Some(Kind::Real),
        Value::String(_) => Some(Kind::Text),
        Value::Array(_) | Value::Object(_) => Some(Kind::Json),
    }
}

/// Makes every feature carry the same keys, in one order, with one type each, across all
/// the layers given (GDAL reads one file as one layer). Computed columns that are `null`
/// in every feature are left out: GDAL would type them as text.
fn normalise(layers: &[Layer]) -> Vec<(Map<String, Value>, Value)> {
    let rows: Vec<Merged<'_>> = layers
        .iter()
        .flat_map(|l| {
            l.rows
                .iter()
                .map(move |(c, i, g)| (l.name, merge(c, i), g, c))
        })
        .collect();
    let mut keys: Vec<String> = Vec::new();
    let mut seen = BTreeSet::new();
    for (_, m, _, _) in &rows {
        for k in m.keys() {
            if seen.insert(k.clone()) {
                keys.push(k.clone());
            }
        }
    }
    keys.retain(|k| {
        let computed = rows.iter().any(|(_, _, _, c)| c.contains_key(k));
        !computed
            || rows
                .iter()
                .any(|(_, m, _, _)| m.get(k).is_some_and(|v| !v.is_null()))
    });
    let kinds: Vec<Option<Kind>> = keys
        .iter()
        .map(|k| {
            let mut kind = None;
            for (_, m, _, _) in &rows {
                let Some(kv) = m.get(k).and_then(kind_of) else {
                    continue;
                };
                kind = Some(match (kind, kv) {
                    (None, k) => k,
                    (Some(a), b) if a == b => a,
                    (Some(Kind::Int), Kind::Real) | (Some(Kind::Real), Kind::Int) => Kind::Real,
                    _ => Kind::Text,
                });
            }
            kind
        })
        .collect();
    rows.into_iter()
        .map(|(name, m, geometry, _)| {
            let mut props = Map::new();
            props.insert("layer".into(), json!(name));
            for (k, kind) in keys.iter().zip(&kinds) {
                let v = m.get(k).cloned().unwrap_or(Value::Null);
                let v = match (kind, v) {
                    (_, Value::Null) => Value::Null,
                    (Some(Kind::Real), Value::Number(n)) => json!(n.as_f64()),
                    // Arrays and objects become JSON text: QGIS reads them as strings anyway.
                    (Some(Kind::Json), v) => Value::String(v.to_string()),
                    (Some(Kind::Text), Value::String(s)) => Value::String(s),
                    (Some(Kind::Text), v) => Value::String(v.to_string()),
                    (_, v) => v,
                };
                props.insert(k.clone(), v);
            }
            (props, geometry.clone())
        })
        .collect()
}

fn border_layer(data: &Dataset) -> Layer {
    let mut computed = Map::new();
    computed.insert(
        "length_km".into(),
        json!((data.border.length_km() * 1000.0).round() / 1000.0),
    );
    computed.insert("vertices".into(), json!(data.border.vertices().len()));
    let source = data
        .inputs
        .iter()
        .find(|(l, _)| *l == "border")
        .map(|(_, p)| p.display().to_string());
    computed.insert("source_file".into(), json!(source));
    Layer {
        name: "border",
        rows: vec![(
            computed,
            data.border_properties.clone(),
            line(data.border.vertices()),
        )],
    }
}

fn post_layer(data: &Dataset) -> Layer {
    let rows = data
        .posts
        .iter()
        .zip(&data.post_refs)
        .map(|(p, r)| {
            let mut c = Map::new();
            c.insert("post_id".into(), json!(p.id));
            c.insert("name".into(), json!(p.name));
            c.extend(reference_properties(r));
            (c, p.properties.clone(), point(p.at))
        })
        .collect();
    Layer { name: "post", rows }
}

/// Where an incident goes in the export, and what to say about how exact that is.
fn incident_geometry(data: &Dataset, inc: &Incident) -> (Value, Option<LonLat>, &'static str) {
    match &inc.location {
        Location::Point { at, .. } => (point(*at), Some(*at), "point"),
        Location::Post { post_id } => match data.post(post_id) {
            Some((p, _)) => (point(p.at), Some(p.at), "post"),
            None => (line(data.border.vertices()), None, "post (unknown)"),
        },
        Location::KmRange { from_km, to_km } => match data.border.substring(*from_km, *to_km) {
            Ok(l) => (line(&l), None, "km_range"),
            Err(_) => (line(data.border.vertices()), None, "km_range"),
        },
        Location::Region {
            centre: Some(c), ..
        } => (point(*c), Some(*c), "region"),
        // No place at all: the record is kept on the border line, and says so.
        Location::Region { centre: None, .. } => (
            line(data.border.vertices()),
            None,
            "region (no place given: border line)",
        ),
        Location::BorderWide => (line(data.border.vertices()), None, "border_wide"),
    }
}

fn utc_datetime(inc: &Incident) -> (Value, Value) {
    let (Some(time), Some(zone)) = (&inc.time, &inc.time_zone) else {
        return (Value::Null, Value::Null);
    };
    let Ok(t) = time.parse::<jiff::civil::Time>() else {
        return (Value::Null, Value::Null);
    };
    let civil = inc.date.to_datetime(t);
    let zoned = crate::load::zone::parse(zone)
        .ok()
        .and_then(|tz| civil.to_zoned(tz).ok());
    match zoned {
        Some(z) => (
            json!(z.timestamp().strftime("%Y-%m-%dT%H:%M:%SZ").to_string()),
            json!(z.offset().to_string()),
        ),
        None => (Value::Null, Value::Null),
    }
}

fn incident_layer(data: &Dataset) -> Layer {
    let rows = data
        .incidents
        .iter()
        .map(|inc| {
            let (geometry, at, location_type) = incident_geometry(data, inc);
            let mut c = Map::new();
            c.insert("incident_id".into(), json!(inc.id));
            c.insert("date".into(), json!(inc.date.to_string()));
            c.insert(
                "end_date".into(),
                inc.end_date.map_or(Value::Null, |d| json!(d.to_string())),
            );
            c.insert("date_precision".into(), json!(inc.date_precision.as_str()));
            let (utc, offset) = utc_datetime(inc);
            c.insert("datetime_utc".into(), utc);
            c.insert("utc_offset".into(), offset);
            c.insert("kind".into(), json!(inc.kind));
            c.insert(
                "title".into(),
                inc.title.clone().map_or(Value::Null, Value::String),
            );
            c.insert("location_type".into(), json!(location_type));
            let precision = match &inc.location {
                Location::Point { precision_m, .. } | Location::Region { precision_m, .. } => {
                    *precision_m
                }
                Location::Post { post_id } => data.post(post_id).and_then(|(p, _)| p.precision_m),
                _ => None,
            };
            c.insert(
                "precision_m".into(),
                precision.map_or(Value::Null, |m| json!(m)),
            );
            let (km_from, km_to) = match inc.location {
                Location::KmRange { from_km, to_km } => (json!(from_km), json!(to_km)),
                _ => (Value::Null, Value::Null),
            };
            c.insert("km_from".into(), km_from);
            c.insert("km_to".into(), km_to);
            let reference = at.map(|p| reference_properties(&data.reference(p)));
            for key in [
                "along_km",
                "offset_km",
                "side",
                "hand",
                "nearest_post_id",
                "nearest_post_km",
                "nearest_post_distance_km",
            ] {
                c.insert(
                    key.into(),
                    reference
                        .as_ref()
                        .and_then(|r| r.get(key).cloned())
                        .unwrap_or(Value::Null),
                );
            }
            c.insert("actors".into(), json!(inc.actors.join("; ")));
            c.insert("sources".into(), json!(inc.sources.join("; ")));
            c.insert("claims_count".into(), json!(inc.claims.len()));
            c.insert(
                "claimants".into(),
                json!(
                    inc.claims
                        .iter()
                        .map(|cl| cl.claimant.as_str())
                        .collect::<Vec<_>>()
                        .join("; ")
                ),
            );
            for m in MEASURES {
                // The range over all claims: the lowest low and the highest high, each
                // claim still whole in claims_json. Nothing is averaged.
                let lows: Vec<f64> = inc.figures_for(m).filter_map(|(_, f)| f.low).collect();
                let highs: Vec<f64> = inc
                    .figures_for(m)
                    .filter_map(|(_, f)| f.high.or(f.low))
                    .collect();
                let open = inc
                    .figures_for(m)
                    .any(|(_, f)| f.high.is_none() && f.low.is_some());
                c.insert(
                    format!("{m}_low"),
                    lows.iter()
                        .copied()
                        .reduce(f64::min)
                        .map_or(Value::Null, count),
                );
                c.insert(
                    format!("{m}_high"),
                    if open {
                        Value::Null
                    } else {
                        highs
                            .iter()
                            .copied()
                            .reduce(f64::max)
                            .map_or(Value::Null, count)
                    },
                );
            }
            c.insert(
                "claims_json".into(),
                json!(serde_json::to_string(&inc.claims).unwrap_or_default()),
            );
            c.insert(
                "notes".into(),
                inc.notes.clone().map_or(Value::Null, Value::String),
            );
            (c, inc.properties.to_map(), geometry)
        })
        .collect();
    Layer {
        name: "incident",
        rows,
    }
}

fn features(layers: &[Layer]) -> Vec<Value> {
    normalise(layers)
        .into_iter()
        .map(|(props, geometry)| json!({"type": "Feature", "properties": props, "geometry": geometry}))
        .collect()
}

fn collection(features: Vec<Value>) -> Value {
    json!({"type": "FeatureCollection", "features": features})
}

/// The combined FeatureCollection: border, then posts, then incidents, one schema for all.
pub fn combined(data: &Dataset) -> Value {
    collection(features(&[
        border_layer(data),
        post_layer(data),
        incident_layer(data),
    ]))
}

/// One FeatureCollection per layer, by layer name, each with its own schema.
pub fn split(data: &Dataset) -> Vec<(&'static str, Value)> {
    vec![
        ("border", collection(features(&[border_layer(data)]))),
        ("post", collection(features(&[post_layer(data)]))),
        ("incident", collection(features(&[incident_layer(data)]))),
    ]
}

/// Writes the export (atomically), one feature per line; returns the paths written.
/// With `split`, `out` names the base: `NAME.border.geojson` etc., each with a QGIS
/// style sidecar `NAME.LAYER.qml`.
pub fn write(data: &Dataset, out: &Path, split_layers: bool) -> std::io::Result<Vec<PathBuf>> {
    if !split_layers {
        crate::io::atomic_file::write(out, to_text(&combined(data)).as_bytes())?;
        return Ok(vec![out.to_path_buf()]);
    }
    let stem = out
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "export".into());
    let dir = out.parent().unwrap_or(Path::new(""));
    let mut written = Vec::new();
    for (name, fc) in split(data) {
        let path = dir.join(format!("{stem}.{name}.geojson"));
        crate::io::atomic_file::write(&path, to_text(&fc).as_bytes())?;
        let qml = dir.join(format!("{stem}.{name}.qml"));
        crate::io::atomic_file::write(&qml, qml::for_layer(name).as_bytes())?;
        written.push(path);
        written.push(qml);
    }
    Ok(written)
}

/// A FeatureCollection as text with one feature per line: valid JSON, and diffable.
pub fn to_text(fc: &Value) -> String {
    let mut s = String::from("{\"type\":\"FeatureCollection\",\"features\":[\n");
    let feats = fc["features"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    for (i, f) in feats.iter().enumerate() {
        s.push_str(&f.to_string());
        s.push_str(if i + 1 < feats.len() { ",\n" } else { "\n" });
    }
    s.push_str("]}\n");
    s
}
