//! The incidents a scene shows: selected by date, numbered once, placed once.

use jiff::civil::Date;

use crate::dataset::Dataset;
use crate::model::{Incident, Location, LonLat};
use crate::projection::to_mercator;

/// One incident as drawn: its number in the key, and where its symbol goes.
#[derive(Debug, Clone)]
pub struct Shown<'a> {
    /// The record.
    pub incident: &'a Incident,
    /// Its number on the map and in the key (1-based, by date then id).
    pub number: usize,
    /// Where its symbol goes, if it has a precise place.
    pub at: Option<LonLat>,
    /// `at` in Mercator metres.
    pub merc: Option<(f64, f64)>,
    /// How far the true place may be, in metres.
    pub precision_m: Option<f64>,
}

/// A stretch of border an incident is reported along.
#[derive(Debug, Clone)]
pub struct Highlight {
    /// Index into the scene's incidents.
    pub index: usize,
    /// The stretch in Mercator metres.
    pub line: super::geometry::Chunked,
    /// Its middle, where the label goes.
    pub mid: (f64, f64),
    /// km range.
    pub km: (f64, f64),
}

/// The incidents overlapping `dates` (all when `None`), by date then id, numbered.
pub fn select(data: &Dataset, dates: Option<(Date, Date)>) -> Vec<Shown<'_>> {
    let mut chosen: Vec<&Incident> = data
        .incidents
        .iter()
        .filter(|i| dates.is_none_or(|(from, to)| i.overlaps(from, to)))
        .collect();
    chosen.sort_by(|a, b| a.date.cmp(&b.date).then(a.id.cmp(&b.id)));
    chosen
        .into_iter()
        .enumerate()
        .map(|(n, inc)| {
            let (at, precision_m) = match &inc.location {
                Location::Point { at, precision_m } if inc.location.is_precise() => {
                    (Some(*at), *precision_m)
                }
                Location::Post { post_id } => match data.post(post_id) {
                    Some((p, _)) => (Some(p.at), p.precision_m),
                    None => (None, None),
                },
                _ => (None, None),
            };
            Shown {
                incident: inc,
                number: n + 1,
                at,
                merc: at.map(to_mercator),
                precision_m,
            }
        })
        .collect()
}

/// The km-range incidents' stretches.
pub fn highlights(data: &Dataset, shown: &[Shown<'_>]) -> Vec<Highlight> {
    shown
        .iter()
        .enumerate()
        .filter_map(|(index, x)| {
            let Location::KmRange { from_km, to_km } = x.incident.location else {
                return None;
            };
            let line = data.border.substring(from_km, to_km).ok()?;
            let first = *line.first()?;
            let mid = data
                .border
                .interpolate((from_km + to_km) / 2.0)
                .unwrap_or(first);
            Some(Highlight {
                index,
                line: super::geometry::Chunked::new(line.into_iter().map(to_mercator).collect()),
                mid: to_mercator(mid),
                km: (from_km, to_km),
            })
        })
        .collect()
}
