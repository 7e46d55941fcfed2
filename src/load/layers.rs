//! Loaders for the border line, posts, places and the base map.

use std::path::Path;

use geo::{LineString, MultiPolygon, Polygon};
use serde_json::Value;

use super::error::{LoadError, Loaded, Place};
use super::json::{self, Area, RawFeature, coordinates, geometry_type};
use super::props::Props;
use crate::linref::Border;
use crate::model::{Country, LonLat, Place as TownPlace, Post};

/// Property names read as a country code, in this order (after a configured one).
pub const COUNTRY_KEYS: &[&str] = &[
    "country", "iso3", "ISO_A3", "ADM0_A3", "A3", "iso_a3", "adm0_a3",
];

/// The border as loaded: the stitched line plus the first feature's properties.
#[derive(Debug, Clone)]
pub struct BorderLayer {
    /// The stitched line.
    pub border: Border,
    /// Properties of the border feature(s), merged in file order.
    pub properties: serde_json::Map<String, Value>,
}

/// Reads a border: a LineString, a MultiLineString, or a FeatureCollection of either.
///
/// Pieces are stitched in order; any problem stops the load, since nothing can be
/// referenced without a border.
pub fn border(path: &Path, text: &str) -> Result<BorderLayer, Vec<LoadError>> {
    let expected = "a LineString, a MultiLineString or a FeatureCollection of them";
    let features = json::parse_features(path, text, expected).map_err(|e| vec![e])?;
    let mut pieces: Vec<Vec<LonLat>> = Vec::new();
    let mut problems = Vec::new();
    let mut properties = serde_json::Map::new();
    for f in &features {
        for (k, v) in &f.properties {
            properties.entry(k.clone()).or_insert_with(|| v.clone());
        }
        let Some(g) = &f.geometry else {
            problems.push(LoadError::field(
                path,
                f.place(),
                "geometry",
                format!("is null: expected {expected}"),
            ));
            continue;
        };
        let read = coordinates(g).and_then(|c| match geometry_type(g) {
            "LineString" => json::line(c, None).map(|l| vec![l]),
            "MultiLineString" => c
                .as_array()
                .ok_or_else(|| "should be an array of lines".to_string())?
                .iter()
                .enumerate()
                .map(|(i, l)| json::line(l, None).map_err(|e| format!("line {i}: {e}")))
                .collect(),
            other => Err(format!(
                "should be a LineString or MultiLineString, found {other}"
            )),
        });
        match read {
            Ok(mut ls) => pieces.append(&mut ls),
            Err(e) => problems.push(LoadError::field(path, f.place(), "geometry", e)),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    match Border::from_pieces(&pieces) {
        Ok(border) => Ok(BorderLayer { border, properties }),
        Err(e) => Err(vec![LoadError::content(path, Place::File, e.to_string())]),
    }
}

fn point_of(f: &RawFeature, area: Option<Area>) -> Result<LonLat, String> {
    let Some(g) = &f.geometry else {
        return Err("is null: expected a Point".into());
    };
    match geometry_type(g) {
        "Point" => json::position(coordinates(g)?, area).map_err(|e| format!("coordinates {e}")),
        other => Err(format!("should be a Point, found {other}")),
    }
}

/// Reads border posts: Point features with at least `id` and `name`.
pub fn posts(
    path: &Path,
    text: &str,
    area: Option<Area>,
    country_key: Option<&str>,
) -> Result<Loaded<Post>, LoadError> {
    let features = json::parse_features(path, text, "a FeatureCollection of Point features")?;
    let mut out = Loaded::new();
    let mut ids = UniqueIds::default();
    for f in features {
        match post(&f, area, country_key).and_then(|p| ids.claim(&p.id, f.index).map(|()| p)) {
            Ok(p) => out.items.push(p),
            Err((field, problem)) => {
                out.problems
                    .push(LoadError::field(path, f.place(), field, problem))
            }
        }
    }
    Ok(out)
}

fn post(
    f: &RawFeature,
    area: Option<Area>,
    country_key: Option<&str>,
) -> Result<Post, (String, String)> {
    let props = Props::new(&f.properties);
    let at = point_of(f, area).map_err(|e| ("geometry".to_string(), e))?;
    let id = f.id.clone().ok_or_else(|| f.id_problem())?;
    let name = props.required_str("name")?;
    let mut country = match country_key {
        Some(k) => props.opt_str(k)?,
        None => None,
    };
    if country.is_none() {
        country = props.first_str(COUNTRY_KEYS)?;
    }
    Ok(Post {
        id,
        name,
        at,
        kind: props.opt_str("kind")?,
        country,
        precision_m: props.opt_precision()?,
        properties: f.properties.clone(),
    })
}

/// Reads context places: Point features with a `name` and an optional `rank` (1 = most important).
pub fn places(path: &Path, text: &str, area: Option<Area>) -> Result<Loaded<TownPlace>, LoadError> {
    let features = json::parse_features(path, text, "a FeatureCollection of Point features")?;
    let mut out = Loaded::new();
    let mut ids = UniqueIds::default();
    for f in features {
        let read = (|| {
            let props = Props::new(&f.properties);
            let at = point_of(&f, area).map_err(|e| ("geometry".to_string(), e))?;
            let name = props.required_str("name")?;
            let rank = match props.opt_f64("rank")? {
                None => 5,
                Some(r) if (1.0..=10.0).contains(&r) && r.fract() == 0.0 => r as u8,
                Some(r) => {
                    return Err((
                        "rank".to_string(),
                        format!("should be a whole number from 1 to 10, found {r}"),
                    ));
                }
            };
            Ok(TownPlace {
                id: f.id.clone().unwrap_or_else(|| name.clone()),
                name,
                at,
                rank,
                properties: f.properties.clone(),
            })
        })()
        .and_then(|p| ids.claim(&p.id, f.index).map(|()| p));
        match read {
            Ok(p) => out.items.push(p),
            Err((field, problem)) => {
                out.problems
                    .push(LoadError::field(path, f.place(), field, problem))
            }
        }
    }
    Ok(out)
}

/// Reads base-map countries: Polygon or MultiPolygon features with a country code.
pub fn basemap(
    path: &Path,
    text: &str,
    country_key: Option<&str>,
) -> Result<Loaded<Country>, LoadError> {
    let features = json::parse_features(
        path,
        text,
        "a FeatureCollection of Polygon or MultiPolygon features",
    )?;
    let mut out = Loaded::new();
    for f in features {
        let read = (|| {
            let props = Props::new(&f.properties);
            let mut code = match country_key {
                Some(k) => props.opt_str(k)?,
                None => None,
            };
            if code.is_none() {
                code =
                    props.first_str(&[COUNTRY_KEYS, &["id", "name", "NAME", "ADMIN"]].concat())?;
            }
            let code = code.ok_or_else(|| {
                (
                    "iso3".to_string(),
                    "is missing: expected a country code (iso3, ISO_A3, ADM0_A3, A3) or a name"
                        .to_string(),
                )
            })?;
            let g = f.geometry.as_ref().ok_or_else(|| {
                (
                    "geometry".to_string(),
                    "is null: expected a Polygon or MultiPolygon".to_string(),
                )
            })?;
            let c = coordinates(g).map_err(|e| ("geometry".to_string(), e))?;
            let shape = match geometry_type(g) {
                "Polygon" => MultiPolygon(vec![polygon(c)?]),
                "MultiPolygon" => MultiPolygon(
                    c.as_array()
                        .ok_or_else(|| {
                            (
                                "geometry".to_string(),
                                "coordinates should be an array of polygons".to_string(),
                            )
                        })?
                        .iter()
                        .map(polygon)
                        .collect::<Result<_, _>>()?,
                ),
                other => {
                    return Err((
                        "geometry".to_string(),
                        format!("should be a Polygon or MultiPolygon, found {other}"),
                    ));
                }
            };
            Ok(Country {
                code,
                shape,
                properties: f.properties.clone(),
            })
        })();
        match read {
            Ok(c) => out.items.push(c),
            Err((field, problem)) => {
                out.problems
                    .push(LoadError::field(path, f.place(), field, problem))
            }
        }
    }
    Ok(out)
}

fn polygon(v: &Value) -> Result<Polygon<f64>, (String, String)> {
    let rings = v.as_array().ok_or_else(|| {
        (
            "geometry".to_string(),
            "a polygon should be an array of rings".to_string(),
        )
    })?;
    let mut rings = rings.iter().enumerate().map(|(i, r)| {
        let pts = json::line(r, None).map_err(|e| ("geometry".to_string(), e))?;
        ring_check(&pts).map_err(|e| ("geometry".to_string(), format!("ring {i} {e}")))?;
        Ok::<_, (String, String)>(LineString::from(
            pts.into_iter().map(|p| (p.lon, p.lat)).collect::<Vec<_>>(),
        ))
    });
    let exterior = rings.next().ok_or_else(|| {
        (
            "geometry".to_string(),
            "a polygon needs an exterior ring".to_string(),
        )
    })??;
    Ok(Polygon::new(exterior, rings.collect::<Result<_, _>>()?))
}

/// A linear ring as GeoJSON defines it: at least four positions, the last equal to the first.
fn ring_check(pts: &[LonLat]) -> Result<(), String> {
    if pts.len() < 4 {
        return Err(format!(
            "has {} position(s): a ring needs at least 4 (three corners, then the first again)",
            pts.len()
        ));
    }
    let (first, last) = (pts[0], pts[pts.len() - 1]);
    if first != last {
        return Err(format!(
            "is not closed: it ends at [{}, {}], not at its first position [{}, {}]",
            last.lon, last.lat, first.lon, first.lat
        ));
    }
    Ok(())
}

/// Tracks ids within one file so that a second use of an id is reported, not kept.
#[derive(Debug, Default)]
pub struct UniqueIds(std::collections::HashMap<String, usize>);

impl UniqueIds {
    /// Records `id` for feature `index`; a duplicate gives the field error to report.
    pub fn claim(&mut self, id: &str, index: usize) -> Result<(), (String, String)> {
        self.claim_as(id, index, "feature")
    }

    /// Records `id` for the record `index` (a `noun` such as "feature" or "line").
    pub fn claim_as(&mut self, id: &str, index: usize, noun: &str) -> Result<(), (String, String)> {
        match self.0.get(id) {
            Some(first) => Err((
                "id".into(),
                format!("\"{id}\" is already used by {noun} {first}: ids must be unique"),
            )),
            None => {
                self.0.insert(id.to_string(), index);
                Ok(())
            }
        }
    }
}
