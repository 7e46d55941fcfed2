//! Loader for incidents in GeoJSON.
//!
//! Properties read (all others are kept untouched): `id`, `date`, `end_date`, `time`,
//! `time_zone`, `date_precision`, `kind`, `title`, `location`, `post_id`, `km_from`,
//! `km_to`, `region`, `precision_m`, `actors`, `claims`, `sources`, `notes`.

use std::path::Path;

use super::error::{LoadError, Loaded};
use super::json::{self, Area, RawFeature, coordinates, geometry_type};
use super::layers::UniqueIds;
use super::props::{FieldError, Props};
use crate::model::{Claim, DatePrecision, Incident, Location};
use crate::properties::{KeyCache, Packed};

/// Reads incidents from GeoJSON text. Each bad feature is reported; the others are kept.
pub fn from_geojson(
    path: &Path,
    text: &str,
    area: Option<Area>,
) -> Result<Loaded<Incident>, LoadError> {
    collect(path, area, |each| {
        json::for_each_feature(path, text, EXPECTED, each)
    })
}

/// Reads incidents from a GeoJSON file, streamed feature by feature from disk.
pub fn from_geojson_file(path: &Path, area: Option<Area>) -> Result<Loaded<Incident>, LoadError> {
    collect(path, area, |each| {
        json::for_each_feature_in_file(path, EXPECTED, each)
    })
}

const EXPECTED: &str = "a FeatureCollection of incidents";

fn collect(
    path: &Path,
    area: Option<Area>,
    feed: impl FnOnce(&mut dyn FnMut(RawFeature)) -> Result<(), LoadError>,
) -> Result<Loaded<Incident>, LoadError> {
    let mut out = Loaded::new();
    let mut ids = UniqueIds::default();
    let mut keys = KeyCache::default();
    feed(&mut |f: RawFeature| match incident(&f, area, &mut keys)
        .and_then(|i| ids.claim(&i.id, f.index).map(|()| i))
    {
        Ok(mut i) => {
            i.shrink_to_fit();
            out.items.push(i);
        }
        Err((field, problem)) => {
            out.problems
                .push(LoadError::field(path, f.place(), field, problem))
        }
    })?;
    Ok(out)
}

fn incident(
    f: &RawFeature,
    area: Option<Area>,
    keys: &mut KeyCache,
) -> Result<Incident, FieldError> {
    let props = Props::new(&f.properties);
    let id = f.id.clone().ok_or_else(|| f.id_problem())?;
    let date = props.opt_date("date")?.ok_or_else(|| {
        (
            "date".to_string(),
            "is missing: expected a date YYYY-MM-DD".to_string(),
        )
    })?;
    let end_date = props.opt_date("end_date")?;
    if let Some(end) = end_date
        && end < date
    {
        return Err((
            "end_date".into(),
            format!("{end} is before the start date {date}"),
        ));
    }
    let time = props.opt_str("time")?;
    if let Some(t) = &time
        && t.parse::<jiff::civil::Time>().is_err()
    {
        return Err((
            "time".into(),
            format!("should be a time of day HH:MM, found \"{t}\""),
        ));
    }
    let time_zone = props.opt_str("time_zone")?;
    if let Some(z) = &time_zone {
        super::zone::parse(z).map_err(|e| ("time_zone".to_string(), e))?;
    }
    let date_precision = match props.opt_str("date_precision")? {
        None => DatePrecision::Day,
        Some(s) => DatePrecision::parse(&s).ok_or_else(|| {
            (
                "date_precision".to_string(),
                format!("should be one of day, week, month, year, found \"{s}\""),
            )
        })?,
    };
    let kind = normalise_kind(&props.required_str("kind")?);
    let claims = match props.raw("claims") {
        None => Vec::new(),
        Some(v) => serde_json::from_value::<Vec<Claim>>(v.clone()).map_err(|e| {
            (
                "claims".to_string(),
                format!(
                    "should be an array of claims ({{claimant, outlet, reported, figures}}): {e}"
                ),
            )
        })?,
    };
    for (i, c) in claims.iter().enumerate() {
        for (j, fig) in c.figures.iter().enumerate() {
            fig.check().map_err(|e| {
                (
                    "claims".to_string(),
                    format!(
                        "claim {i} ({}), figure {j} ({}): {e}",
                        c.claimant, fig.measure
                    ),
                )
            })?;
        }
    }
    Ok(Incident {
        location: location(f, &props, area)?,
        id: id.into(),
        date,
        end_date,
        time,
        time_zone,
        date_precision,
        kind: kind.into(),
        title: props.opt_str("title")?,
        actors: props
            .str_list("actors")?
            .into_iter()
            .map(Into::into)
            .collect(),
        claims,
        sources: props
            .str_list("sources")?
            .into_iter()
            .map(Into::into)
            .collect(),
        notes: props.opt_str("notes")?,
        properties: Packed::pack(&f.properties, keys),
        origin: crate::load::Place::Feature {
            index: f.index,
            id: None,
        },
        origin_file: None,
    })
}

/// Lower-case with underscores: "Post captured" → "post_captured".
pub fn normalise_kind(kind: &str) -> String {
    kind.trim().to_lowercase().replace([' ', '-', '/'], "_")
}

fn point(f: &RawFeature, area: Option<Area>) -> Result<Option<crate::model::LonLat>, FieldError> {
    let Some(g) = &f.geometry else {
        return Ok(None);
    };
    match geometry_type(g) {
        "Point" => {
            let c = coordinates(g).map_err(|e| ("geometry".to_string(), e))?;
            json::position(c, area)
                .map(Some)
                .map_err(|e| ("geometry".to_string(), format!("coordinates {e}")))
        }
        other => Err((
            "geometry".into(),
            format!("should be a Point or null, found {other}"),
        )),
    }
}

fn location(f: &RawFeature, props: &Props<'_>, area: Option<Area>) -> Result<Location, FieldError> {
    let at = point(f, area)?;
    let precision_m = props.opt_precision()?;
    let post_id = props.opt_id("post_id")?;
    let km_from = props.opt_f64("km_from")?;
    let explicit = props.opt_str("location")?;
    let kind = match explicit.as_deref() {
        Some(k) => k.to_string(),
        None if post_id.is_some() => "post".into(),
        None if km_from.is_some() => "km_range".into(),
        None if at.is_some() => "point".into(),
        None => {
            return Err((
                "geometry".into(),
                "is null and nothing else says where: expected a Point, a `post_id`, `km_from`/`km_to`, or `location` \"region\" or \"border_wide\"".into(),
            ));
        }
    };
    match kind.as_str() {
        "point" => at
            .map(|at| Location::Point { at, precision_m })
            .ok_or_else(|| {
                (
                    "geometry".to_string(),
                    "is null: `location` \"point\" needs a Point".to_string(),
                )
            }),
        "post" => post_id
            .map(|post_id| Location::Post { post_id })
            .ok_or_else(|| {
                (
                    "post_id".to_string(),
                    "is missing: `location` \"post\" needs a post id".to_string(),
                )
            }),
        "km_range" => {
            let from_km = km_from.ok_or_else(|| {
                (
                    "km_from".to_string(),
                    "is missing: a km range needs `km_from` and `km_to`".to_string(),
                )
            })?;
            let to_km = props.opt_f64("km_to")?.unwrap_or(from_km);
            if to_km < from_km {
                return Err((
                    "km_to".into(),
                    format!("{to_km} is before km_from {from_km}"),
                ));
            }
            Ok(Location::KmRange { from_km, to_km })
        }
        "region" => Ok(Location::Region {
            name: props.required_str("region")?,
            centre: at,
            precision_m,
        }),
        "border_wide" => Ok(Location::BorderWide),
        other => Err((
            "location".into(),
            format!(
                "should be one of point, post, km_range, region, border_wide, found \"{other}\""
            ),
        )),
    }
}
