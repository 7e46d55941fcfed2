//! The data model: border posts, context places, country polygons and incidents
//! with per-source claims.
//!
//! Every record keeps the untouched input properties (`properties`) beside the
//! typed fields read from them, so that an export loses nothing.

use compact_str::CompactString;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A WGS84 position in degrees, longitude first as in GeoJSON.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LonLat {
    /// Longitude in degrees, -180 to 180.
    pub lon: f64,
    /// Latitude in degrees, -90 to 90.
    pub lat: f64,
}

impl LonLat {
    /// A position from longitude and latitude in degrees.
    pub const fn new(lon: f64, lat: f64) -> Self {
        Self { lon, lat }
    }
}

/// Input properties of one record, in input order.
pub type Properties = Map<String, Value>;

/// A border post or crossing.
#[derive(Debug, Clone, PartialEq)]
pub struct Post {
    /// Stable identifier (numeric ids are read as their decimal text).
    pub id: String,
    /// Display name.
    pub name: String,
    /// Position.
    pub at: LonLat,
    /// Kind of post (crossing, post, pass, …); `None` when not given.
    pub kind: Option<String>,
    /// ISO 3166-1 alpha-3 code of the country that holds it, when known.
    pub country: Option<String>,
    /// How far the true position may be from `at`, in metres, when stated.
    pub precision_m: Option<f64>,
    /// Every input property, untouched.
    pub properties: Properties,
}

/// A town or city drawn for context.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    /// Stable identifier.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Position.
    pub at: LonLat,
    /// Label priority: 1 is the most important.
    pub rank: u8,
    /// Every input property, untouched.
    pub properties: Properties,
}

/// One country of the base map.
#[derive(Debug, Clone, PartialEq)]
pub struct Country {
    /// ISO 3166-1 alpha-3 code, or the feature's name when no code is given.
    pub code: String,
    /// Polygons in lon/lat degrees.
    pub shape: geo::MultiPolygon<f64>,
    /// Every input property, untouched.
    pub properties: Properties,
}

/// How exactly an incident's date is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DatePrecision {
    /// The day is known.
    Day,
    /// Known to within a week.
    Week,
    /// Known to within a month.
    Month,
    /// Known to within a year.
    Year,
}

impl DatePrecision {
    /// The name used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Day => "day",
            Self::Week => "week",
            Self::Month => "month",
            Self::Year => "year",
        }
    }

    /// Parses the file name of a precision.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "day" => Self::Day,
            "week" => Self::Week,
            "month" => Self::Month,
            "year" => Self::Year,
            _ => return None,
        })
    }
}

/// Where an incident happened, as precisely as the sources say and no more.
#[derive(Debug, Clone, PartialEq)]
pub enum Location {
    /// A point, with the radius in metres within which the true place lies, if stated.
    Point {
        /// Position.
        at: LonLat,
        /// Uncertainty radius in metres.
        precision_m: Option<f64>,
    },
    /// At a named border post (by post id).
    Post {
        /// The post's id.
        post_id: String,
    },
    /// A stretch of the border between two km marks.
    KmRange {
        /// Start km along the border.
        from_km: f64,
        /// End km along the border (not before `from_km`).
        to_km: f64,
    },
    /// A region given only roughly: a name, and optionally an indicative centre.
    Region {
        /// The region as the sources name it.
        name: String,
        /// Indicative centre, never drawn as a precise dot.
        centre: Option<LonLat>,
        /// Radius in metres that the region spans, when stated.
        precision_m: Option<f64>,
    },
    /// Somewhere (or at many places) along the whole border.
    BorderWide,
}

impl Location {
    /// Whether the place is known well enough to draw a dot (a point within 25 km, or a post).
    pub fn is_precise(&self) -> bool {
        match self {
            Self::Point { precision_m, .. } => precision_m.is_none_or(|m| m <= 25_000.0),
            Self::Post { .. } => true,
            _ => false,
        }
    }

    /// Short name of the location type, as written in files (`location` property).
    pub fn type_name(&self) -> &'static str {
        match self {
            Self::Point { .. } => "point",
            Self::Post { .. } => "post",
            Self::KmRange { .. } => "km_range",
            Self::Region { .. } => "region",
            Self::BorderWide => "border_wide",
        }
    }
}

/// A number as a source states it: exact, a range, or a bound ("more than 200").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Figure {
    /// The party the figure is about (e.g. "Pakistani soldiers").
    pub party: CompactString,
    /// What is counted: `killed`, `wounded`, `posts_captured`, `neutralized`, …
    pub measure: CompactString,
    /// Lowest value consistent with the statement.
    pub low: Option<f64>,
    /// Highest value consistent with the statement; `None` for an open bound.
    pub high: Option<f64>,
    /// The words of the source, e.g. "more than 200".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_stated: Option<String>,
}

/// The largest count a figure may give.
pub const MAX_COUNT: f64 = 1e9;

/// Checks one count: a whole number from 0 to [`MAX_COUNT`]; the message says what is wrong.
pub fn check_count(v: f64) -> Result<(), String> {
    if !v.is_finite() || !(0.0..=MAX_COUNT).contains(&v) || v.fract() != 0.0 {
        return Err(format!(
            "{v} should be a whole number from 0 to 1,000,000,000 (a count of people or posts)"
        ));
    }
    Ok(())
}

impl Figure {
    /// Checks `low` and `high`: counts, and `low` not above `high`.
    pub fn check(&self) -> Result<(), String> {
        for (name, v) in [("low", self.low), ("high", self.high)] {
            if let Some(v) = v {
                check_count(v).map_err(|e| format!("`{name}` {e}"))?;
            }
        }
        if let (Some(l), Some(h)) = (self.low, self.high)
            && l > h
        {
            return Err(format!("`low` {l} is above `high` {h}"));
        }
        Ok(())
    }

    /// The figure as a short text: "58", "20–30", "200+".
    pub fn value_text(&self) -> String {
        match (self.low, self.high) {
            (Some(l), Some(h)) if l == h => format_count(l),
            (Some(l), Some(h)) => format!("{}–{}", format_count(l), format_count(h)),
            (Some(l), None) => format!("{}+", format_count(l)),
            (None, Some(h)) => format!("≤{}", format_count(h)),
            (None, None) => self.as_stated.clone().unwrap_or_else(|| "?".into()),
        }
    }
}

fn format_count(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{v:.0}")
    } else {
        format!("{v}")
    }
}

/// One source's account of an incident: who says it, who reported it, and their figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Claim {
    /// Who makes the claim (e.g. "Zabihullah Mujahid, Taliban government spokesman").
    pub claimant: CompactString,
    /// Short name of the claimant for labels (e.g. "Taliban spokesman"); defaults to `claimant`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub short: Option<CompactString>,
    /// The outlet that reported it (e.g. "NBC News").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outlet: Option<CompactString>,
    /// When it was reported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reported: Option<Date>,
    /// The figures claimed.
    #[serde(default)]
    pub figures: Vec<Figure>,
    /// The claim in words, when it is not (only) figures.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statement: Option<String>,
}

impl Claim {
    /// The name to attribute the claim to in a label.
    pub fn label_name(&self) -> &str {
        self.short.as_deref().unwrap_or(&self.claimant)
    }
}

/// One incident: what happened, when, where, and what each source claims about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Incident {
    /// Stable identifier.
    pub id: CompactString,
    /// First (or only) day.
    pub date: Date,
    /// Last day, for incidents over several days.
    pub end_date: Option<Date>,
    /// Local time of day as given ("22:00"), if known.
    pub time: Option<String>,
    /// Time zone of `time` (IANA name or UTC offset), if given.
    pub time_zone: Option<String>,
    /// How exactly `date` is known.
    pub date_precision: DatePrecision,
    /// Kind: `clash`, `airstrike`, `explosion`, `post_captured`, `crossing_closed`,
    /// `statement`, … (an open set; styles map unknown kinds to a default symbol).
    pub kind: CompactString,
    /// Short headline for labels.
    pub title: Option<String>,
    /// Where it happened.
    pub location: Location,
    /// Actors involved.
    pub actors: Vec<CompactString>,
    /// Each source's account, never merged.
    pub claims: Vec<Claim>,
    /// Outlets that reported it.
    pub sources: Vec<CompactString>,
    /// Free notes.
    pub notes: Option<String>,
    /// Every input property, untouched.
    pub properties: crate::properties::Packed,
    /// Where in its file the record was read (feature index or CSV line; the id is left
    /// out, see [`Incident::place`]).
    pub origin: crate::load::Place,
    /// The file it was read from, once loaded into a dataset.
    pub origin_file: Option<std::sync::Arc<std::path::Path>>,
}

impl Incident {
    /// Gives back the spare capacity of the record's lists (a vector grown by pushes holds
    /// room for four: for a million loaded records, half a gigabyte).
    pub fn shrink_to_fit(&mut self) {
        self.actors.shrink_to_fit();
        self.sources.shrink_to_fit();
        self.claims.shrink_to_fit();
        for c in &mut self.claims {
            c.figures.shrink_to_fit();
        }
    }

    /// Where in its file the record was read, with its id, for messages.
    pub fn place(&self) -> crate::load::Place {
        use crate::load::Place;
        match &self.origin {
            Place::Feature { index, .. } => Place::Feature {
                index: *index,
                id: Some(self.id.to_string()),
            },
            Place::Row { line, .. } => Place::Row {
                line: *line,
                id: Some(self.id.to_string()),
            },
            other => other.clone(),
        }
    }

    /// Whether the incident overlaps the inclusive day range `from..=to`.
    pub fn overlaps(&self, from: Date, to: Date) -> bool {
        let end = self.end_date.unwrap_or(self.date);
        self.date <= to && end >= from
    }

    /// All figures of all claims for one measure, each with its claim.
    pub fn figures_for<'a>(
        &'a self,
        measure: &'a str,
    ) -> impl Iterator<Item = (&'a Claim, &'a Figure)> + 'a {
        self.claims
            .iter()
            .flat_map(|c| c.figures.iter().map(move |f| (c, f)))
            .filter(move |(_, f)| f.measure == measure)
    }

    /// The largest casualty figure (killed + wounded) any single claim gives, for symbol size.
    pub fn max_claimed_casualties(&self) -> f64 {
        self.claims
            .iter()
            .map(|c| {
                c.figures
                    .iter()
                    .filter(|f| is_casualty_measure(&f.measure))
                    .map(|f| f.high.or(f.low).unwrap_or(0.0))
                    .sum::<f64>()
            })
            .fold(0.0, f64::max)
    }
}

/// Whether a measure counts people killed or hurt.
pub fn is_casualty_measure(measure: &str) -> bool {
    matches!(
        measure,
        "killed" | "wounded" | "injured" | "neutralized" | "fatalities"
    )
}
