//! Adding the linear referencing to point features, keeping every input property.

use std::path::Path;

use rayon::prelude::*;
use serde_json::{Map, Value, json};

use crate::dataset::{Dataset, Reference};
use crate::load::json::{self as geojson_in, Area};
use crate::load::{LoadError, Loaded};
use crate::model::LonLat;

/// Rounds km to the metre.
pub fn round_km(km: f64) -> f64 {
    (km * 1000.0).round() / 1000.0
}

/// The referencing of one point as properties: `along_km`, `offset_km`, `side`,
/// `hand`, `nearest_post_id`, `nearest_post_km`, `nearest_post_distance_km`.
pub fn reference_properties(r: &Reference) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("along_km".into(), json!(round_km(r.located.along_km)));
    m.insert("offset_km".into(), json!(round_km(r.located.offset_km)));
    m.insert(
        "side".into(),
        r.country.clone().map_or(Value::Null, Value::String),
    );
    m.insert("hand".into(), json!(r.hand().as_str()));
    let (id, km, dist) = match &r.nearest_post {
        Some((id, km, dist)) => (json!(id), json!(round_km(*km)), json!(round_km(*dist))),
        None => (Value::Null, Value::Null, Value::Null),
    };
    m.insert("nearest_post_id".into(), id);
    m.insert("nearest_post_km".into(), km);
    m.insert("nearest_post_distance_km".into(), dist);
    m
}

/// One point's referencing as a JSON object, with the snapped point.
pub fn locate_json(data: &Dataset, p: LonLat) -> Value {
    let r = data.reference(p);
    let mut m = Map::new();
    m.insert("lon".into(), json!(p.lon));
    m.insert("lat".into(), json!(p.lat));
    m.extend(reference_properties(&r));
    m.insert(
        "snapped".into(),
        json!([round7(r.located.snapped.lon), round7(r.located.snapped.lat)]),
    );
    Value::Object(m)
}

fn round7(v: f64) -> f64 {
    (v * 1e7).round() / 1e7
}

/// Reads Point features and returns them as a FeatureCollection with the referencing
/// added to their properties. Every input member and property is kept; a feature that is
/// not a Point is reported and left out.
pub fn annotate_points(
    data: &Dataset,
    path: &Path,
    text: &str,
) -> Result<Loaded<Value>, LoadError> {
    let area = Some(Area(data.border.bbox()).padded());
    let features = geojson_in::parse_features(path, text, "a FeatureCollection of Point features")?;
    // Points are independent, so they are referenced in parallel; collect keeps file order.
    let results: Vec<Result<Value, LoadError>> = features
        .par_iter()
        .map(|f| {
            let at = match &f.geometry {
                Some(g) if geojson_in::geometry_type(g) == "Point" => geojson_in::coordinates(g)
                    .and_then(|c| {
                        geojson_in::position(c, area).map_err(|e| format!("coordinates {e}"))
                    }),
                Some(g) => Err(format!(
                    "should be a Point, found {}",
                    geojson_in::geometry_type(g)
                )),
                None => Err("is null: expected a Point".into()),
            };
            let at =
                at.map_err(|problem| LoadError::field(path, f.place(), "geometry", problem))?;
            let mut props = f.properties.clone();
            props.extend(reference_properties(&data.reference(at)));
            let mut feature = Map::new();
            feature.insert("type".into(), json!("Feature"));
            feature.insert("properties".into(), Value::Object(props));
            feature.insert(
                "geometry".into(),
                Value::Object(f.geometry.clone().unwrap_or_default()),
            );
            Ok(Value::Object(feature))
        })
        .collect();
    let mut out = Loaded::new();
    for r in results {
        match r {
            Ok(v) => out.items.push(v),
            Err(e) => out.problems.push(e),
        }
    }
    Ok(out)
}
