//! Incidents from CSV: ACLED exports (recognised by their header) and generic
//! spreadsheets with a lon/lat pair, a `post_id` or a `km` column.
//!
//! Real files are messy, so: a UTF-8 byte-order mark is skipped; CRLF, quoted fields with
//! commas, quotes and newlines are read by the `csv` crate; a file that is not UTF-8 is
//! read as Windows-1252 and a note says so; empty cells are absent values. Every column
//! of every row is kept as a property. A bad row is reported with its line, column and
//! what was expected, and the other rows are kept.

use std::path::Path;

use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::error::{LoadError, Loaded, Place};
use super::incidents::normalise_kind;
use super::json::{Area, position};
use crate::model::{Claim, DatePrecision, Figure, Incident, Location, LonLat};

/// Column names for generic CSV files, settable in `bordermap.toml` under `[csv]`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CsvColumns {
    /// Identifier column (default `id`; rows without one get `LINE`-based ids).
    pub id: Option<String>,
    /// Date column (default `date`).
    pub date: Option<String>,
    /// Kind column (default `kind`).
    pub kind: Option<String>,
    /// Longitude column (default `longitude`, `lon`, `lng` or `x`).
    pub lon: Option<String>,
    /// Latitude column (default `latitude`, `lat` or `y`).
    pub lat: Option<String>,
}

/// ACLED's columns that hold numbers.
const ACLED_NUMERIC: &[&str] = &[
    "year",
    "time_precision",
    "inter1",
    "inter2",
    "interaction",
    "iso",
    "latitude",
    "longitude",
    "geo_precision",
    "fatalities",
    "timestamp",
];
/// Generic columns that hold numbers.
const GENERIC_NUMERIC: &[&str] = &[
    "longitude",
    "latitude",
    "lon",
    "lat",
    "lng",
    "x",
    "y",
    "km",
    "km_from",
    "km_to",
    "precision_m",
    "fatalities",
    "killed",
    "wounded",
];

/// Windows-1252 code points for bytes 0x80–0x9F (the rest of the upper half is Latin-1).
const CP1252_HIGH: [char; 32] = [
    '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž', '\u{8f}',
    '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}', 'ž', 'Ÿ',
];

/// The text of a UTF-16 file with a byte-order mark (as spreadsheets save "Unicode text").
fn utf16(bytes: &[u8]) -> Option<String> {
    let (le, body) = match bytes {
        [0xFF, 0xFE, rest @ ..] => (true, rest),
        [0xFE, 0xFF, rest @ ..] => (false, rest),
        _ => return None,
    };
    let units = body.chunks_exact(2).map(|c| {
        if le {
            u16::from_le_bytes([c[0], c[1]])
        } else {
            u16::from_be_bytes([c[0], c[1]])
        }
    });
    Some(
        char::decode_utf16(units)
            .map(|r| r.unwrap_or(char::REPLACEMENT_CHARACTER))
            .collect(),
    )
}

/// Where an unterminated quote opens (1-based line), if a quote is left open at the end:
/// without this, the csv reader swallows the rest of the file into one field.
fn unterminated_quote(text: &str) -> Option<u64> {
    let (mut open, mut line, mut opened_at) = (false, 1u64, 0u64);
    let mut at_field_start = true;
    for c in text.chars() {
        match c {
            '"' if open => open = false,
            '"' if at_field_start => {
                open = true;
                opened_at = line;
            }
            '\n' => {
                line += 1;
                if !open {
                    at_field_start = true;
                }
                continue;
            }
            _ => {}
        }
        if !open {
            at_field_start = c == ',' || c == ';' || c == '\t';
        }
    }
    open.then_some(opened_at)
}

fn decode(bytes: &[u8]) -> (String, bool) {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_string(), false),
        Err(_) => (
            bytes
                .iter()
                .map(|&b| match b {
                    0x80..=0x9F => CP1252_HIGH[usize::from(b - 0x80)],
                    _ => char::from(b),
                })
                .collect(),
            true,
        ),
    }
}

/// Whether bytes look like CSV rather than JSON.
pub fn looks_like_csv(bytes: &[u8]) -> bool {
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    text.iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|&b| b != b'{' && b != b'[')
}

/// A date as ACLED and spreadsheets write it: `2025-10-11`, `11 October 2025`, `11-Oct-2025`.
pub fn parse_flexible_date(s: &str) -> Option<jiff::civil::Date> {
    let s = s.trim();
    super::props::parse_date(s).or_else(|| {
        ["%d %B %Y", "%d-%B-%Y", "%d %b %Y", "%d-%b-%Y", "%B %d, %Y"]
            .iter()
            .find_map(|f| jiff::civil::Date::strptime(f, s).ok())
    })
}

struct Row<'a> {
    headers: &'a [String],
    values: Vec<&'a str>,
}

impl Row<'_> {
    fn get(&self, name: &str) -> Option<&str> {
        let i = self
            .headers
            .iter()
            .position(|h| h.eq_ignore_ascii_case(name))?;
        self.values
            .get(i)
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
    }

    fn first(&self, names: &[&str]) -> Option<(String, &str)> {
        names
            .iter()
            .find_map(|n| self.get(n).map(|v| ((*n).to_string(), v)))
    }
}

type RowError = (String, String);

fn number(row: &Row<'_>, column: &str) -> Result<Option<f64>, RowError> {
    match row.get(column) {
        None => Ok(None),
        Some(v) => v
            .parse::<f64>()
            .ok()
            .filter(|f| f.is_finite())
            .map(Some)
            .ok_or_else(|| {
                (
                    column.to_string(),
                    format!("should be a number, found \"{v}\""),
                )
            }),
    }
}

/// Reads incidents from CSV bytes.
pub fn from_csv(
    path: &Path,
    bytes: &[u8],
    area: Option<Area>,
    columns: &CsvColumns,
) -> Result<Loaded<Incident>, LoadError> {
    let (text, was_1252, was_utf16) = match utf16(bytes) {
        Some(t) => (t, false, true),
        None => {
            let (t, w) = decode(bytes);
            (t, w, false)
        }
    };
    if text.trim().is_empty() {
        return Err(LoadError::Empty {
            path: path.to_path_buf(),
            expected: "a CSV header and rows",
        });
    }
    let mut out = Loaded::new();
    let mut notes = Vec::new();
    if was_1252 {
        notes.push(format!(
            "{}: not UTF-8; read as Windows-1252",
            path.display()
        ));
    }
    if was_utf16 {
        notes.push(format!(
            "{}: UTF-16 (with a byte-order mark); read as such",
            path.display()
        ));
    }
    if let Some(line) = unterminated_quote(&text) {
        return Err(LoadError::Syntax {
            path: path.to_path_buf(),
            place: Place::Row { line, id: None },
            message: "a quoted field opens here and is never closed (a missing \" swallows the rest of the file)".into(),
        });
    }
    // A header with no comma but semicolons or tabs: a spreadsheet's regional export.
    let first = text.lines().next().unwrap_or("");
    let delimiter = if first.contains(',') {
        b','
    } else if first.contains(';') {
        notes.push(format!(
            "{}: no commas in the header; read as semicolon-separated",
            path.display()
        ));
        b';'
    } else if first.contains('\t') {
        notes.push(format!(
            "{}: no commas in the header; read as tab-separated",
            path.display()
        ));
        b'\t'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| LoadError::Syntax {
            path: path.to_path_buf(),
            place: Place::Row { line: 1, id: None },
            message: format!("invalid CSV header: {e}"),
        })?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    for (i, h) in headers.iter().enumerate() {
        if let Some(j) = headers[..i].iter().position(|g| g == h) {
            return Err(LoadError::Syntax {
                path: path.to_path_buf(),
                place: Place::Row { line: 1, id: None },
                message: format!(
                    "column `{h}` appears twice (columns {} and {}): rename or remove one",
                    j + 1,
                    i + 1
                ),
            });
        }
    }
    let acled =
        headers.iter().any(|h| h == "event_id_cnty") && headers.iter().any(|h| h == "event_date");
    let mut ids = super::layers::UniqueIds::default();
    // csv's own line count is one short after CRLF line ends; count from byte offsets.
    let newlines: Vec<usize> = text
        .bytes()
        .enumerate()
        .filter(|(_, b)| *b == b'\n')
        .map(|(i, _)| i)
        .collect();
    let line_at = |byte: u64| {
        let mut b = byte as usize;
        while matches!(text.as_bytes().get(b), Some(b'\r' | b'\n')) {
            b += 1;
        }
        newlines.partition_point(|&nl| nl < b) as u64 + 1
    };
    for (n, record) in reader.records().enumerate() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| line_at(p.byte()));
                out.problems.push(LoadError::Syntax {
                    path: path.to_path_buf(),
                    place: Place::Row { line, id: None },
                    message: format!("invalid CSV: {e}"),
                });
                continue;
            }
        };
        let line = record
            .position()
            .map_or(n as u64 + 2, |p| line_at(p.byte()));
        let row = Row {
            headers: &headers,
            values: record.iter().collect(),
        };
        let id = if acled {
            row.get("event_id_cnty")
        } else {
            row.get(columns.id.as_deref().unwrap_or("id"))
        }
        .map(String::from);
        let place = Place::Row {
            line,
            id: id.clone(),
        };
        if record.len() != headers.len() {
            out.problems.push(LoadError::content(
                path,
                place,
                format!(
                    "has {} fields, the header has {}",
                    record.len(),
                    headers.len()
                ),
            ));
            continue;
        }
        let properties = properties(
            &row,
            if acled {
                ACLED_NUMERIC
            } else {
                GENERIC_NUMERIC
            },
        );
        let read = if acled {
            acled_row(&row, area)
        } else {
            generic_row(&row, area, columns)
        };
        let read = read.and_then(|mut inc| {
            inc.id = id.clone().unwrap_or_else(|| format!("line-{line}"));
            inc.properties = properties;
            inc.origin = Place::Row {
                line,
                id: Some(inc.id.clone()),
            };
            ids.claim(&inc.id, line as usize).map(|()| inc)
        });
        match read {
            Ok(inc) => out.items.push(inc),
            Err((field, problem)) => out
                .problems
                .push(LoadError::field(path, place, field, problem)),
        }
    }
    out.notes = notes;
    Ok(out)
}

/// Every column as a property: numbers for numeric columns, text otherwise, `null` for
/// empty cells.
fn properties(row: &Row<'_>, numeric: &[&str]) -> Map<String, Value> {
    let mut m = Map::new();
    for (h, v) in row.headers.iter().zip(&row.values) {
        let v = v.trim();
        let value = if v.is_empty() {
            Value::Null
        } else if numeric.contains(&h.to_lowercase().as_str()) {
            match v.parse::<i64>() {
                Ok(i) => json!(i),
                Err(_) => v
                    .parse::<f64>()
                    .ok()
                    .filter(|f| f.is_finite())
                    .map_or_else(|| json!(v), |f| json!(f)),
            }
        } else {
            json!(v)
        };
        m.insert(h.clone(), value);
    }
    m
}

fn lonlat(
    row: &Row<'_>,
    lon_col: &str,
    lat_col: &str,
    lon: &str,
    lat: &str,
    area: Option<Area>,
) -> Result<LonLat, RowError> {
    let x = lon.parse::<f64>().map_err(|_| {
        (
            lon_col.to_string(),
            format!("should be a longitude in degrees, found \"{lon}\""),
        )
    })?;
    let y = lat.parse::<f64>().map_err(|_| {
        (
            lat_col.to_string(),
            format!("should be a latitude in degrees, found \"{lat}\""),
        )
    })?;
    let _ = row;
    position(&json!([x, y]), area).map_err(|e| {
        (
            format!("{lon_col}/{lat_col}"),
            e.replace(
                "GeoJSON order is [longitude, latitude]",
                "check which column is which",
            ),
        )
    })
}

fn blank_incident(date: jiff::civil::Date, kind: String, location: Location) -> Incident {
    Incident {
        id: String::new(),
        date,
        end_date: None,
        time: None,
        time_zone: None,
        date_precision: DatePrecision::Day,
        kind,
        title: None,
        location,
        actors: Vec::new(),
        claims: Vec::new(),
        sources: Vec::new(),
        notes: None,
        properties: Map::new(),
        origin: Place::File,
        origin_file: None,
    }
}

/// ACLED event and sub-event types to bordermap kinds (the originals stay as properties).
pub fn acled_kind(event_type: &str, sub_event_type: &str) -> &'static str {
    match (event_type, sub_event_type) {
        (_, "Air/drone strike") => "airstrike",
        (_, "Shelling/artillery/missile attack") => "shelling",
        (_, "Remote explosive/landmine/IED" | "Suicide bomb" | "Grenade") => "explosion",
        (_, "Non-state actor overtakes territory" | "Government regains territory") => {
            "post_captured"
        }
        ("Battles", _) => "clash",
        ("Explosions/Remote violence", _) => "explosion",
        ("Violence against civilians", _) => "attack_on_civilians",
        ("Protests", _) => "protest",
        ("Riots", _) => "riot",
        ("Strategic developments", _) => "strategic_development",
        _ => "other",
    }
}

fn acled_row(row: &Row<'_>, area: Option<Area>) -> Result<Incident, RowError> {
    let raw_date = row.get("event_date").ok_or_else(|| {
        (
            "event_date".to_string(),
            "is empty: expected a date".to_string(),
        )
    })?;
    let date = parse_flexible_date(raw_date).ok_or_else(|| {
        (
            "event_date".to_string(),
            format!("should be a date like 2025-10-11 or 11 October 2025, found \"{raw_date}\""),
        )
    })?;
    let kind = acled_kind(
        row.get("event_type").unwrap_or(""),
        row.get("sub_event_type").unwrap_or(""),
    );
    let (lon, lat) = match (row.get("longitude"), row.get("latitude")) {
        (Some(x), Some(y)) => (x, y),
        _ => {
            return Err((
                "latitude/longitude".into(),
                "are empty: ACLED rows need coordinates".into(),
            ));
        }
    };
    let at = lonlat(row, "longitude", "latitude", lon, lat, area)?;
    // ACLED geo_precision: 1 the named town, 2 near it or a small region, 3 a larger region.
    let precision_m = match number(row, "geo_precision")?.map(|v| v as i64) {
        Some(1) | None => Some(2_000.0),
        Some(2) => Some(25_000.0),
        Some(3) => Some(100_000.0),
        Some(other) => {
            return Err((
                "geo_precision".into(),
                format!("should be 1, 2 or 3, found {other}"),
            ));
        }
    };
    let mut inc = blank_incident(date, kind.to_string(), Location::Point { at, precision_m });
    inc.date_precision = match number(row, "time_precision")?.map(|v| v as i64) {
        Some(1) | None => DatePrecision::Day,
        Some(2) => DatePrecision::Week,
        Some(3) => DatePrecision::Month,
        Some(other) => {
            return Err((
                "time_precision".into(),
                format!("should be 1, 2 or 3, found {other}"),
            ));
        }
    };
    inc.actors = ["actor1", "assoc_actor_1", "actor2", "assoc_actor_2"]
        .iter()
        .filter_map(|c| row.get(c))
        .flat_map(|v| {
            v.split(';')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect::<Vec<_>>()
        })
        .collect();
    inc.sources = row
        .get("source")
        .map(|s| {
            s.split(';')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect()
        })
        .unwrap_or_default();
    inc.notes = row.get("notes").map(String::from);
    inc.title = Some(match (row.get("sub_event_type"), row.get("location")) {
        (Some(s), Some(l)) => format!("{s}, {l}"),
        (Some(s), None) => s.to_string(),
        (None, Some(l)) => l.to_string(),
        (None, None) => kind.replace('_', " "),
    });
    if let Some(f) = number(row, "fatalities")? {
        crate::model::check_count(f).map_err(|e| ("fatalities".to_string(), e))?;
        // ACLED's figure is its own conservative reading of its sources: one claim.
        inc.claims.push(Claim {
            claimant: "ACLED".into(),
            short: Some("ACLED".into()),
            outlet: row.get("source").map(String::from),
            reported: None,
            figures: vec![Figure {
                party: "all parties".into(),
                measure: "fatalities".into(),
                low: Some(f),
                high: Some(f),
                as_stated: None,
            }],
            statement: None,
        });
    }
    Ok(inc)
}

fn generic_row(
    row: &Row<'_>,
    area: Option<Area>,
    columns: &CsvColumns,
) -> Result<Incident, RowError> {
    let date_col = columns.date.as_deref().unwrap_or("date");
    let raw_date = row.get(date_col).ok_or_else(|| {
        (
            date_col.to_string(),
            "is empty: expected a date YYYY-MM-DD".to_string(),
        )
    })?;
    let date = parse_flexible_date(raw_date).ok_or_else(|| {
        (
            date_col.to_string(),
            format!("should be a date YYYY-MM-DD, found \"{raw_date}\""),
        )
    })?;
    let kind_col = columns.kind.as_deref().unwrap_or("kind");
    let kind = row.get(kind_col).map(normalise_kind).ok_or_else(|| {
        (
            kind_col.to_string(),
            "is empty: expected a kind such as clash or airstrike".to_string(),
        )
    })?;
    let lon = match &columns.lon {
        Some(c) => row.get(c).map(|v| (c.clone(), v)),
        None => row.first(&["longitude", "lon", "lng", "x"]),
    };
    let lat = match &columns.lat {
        Some(c) => row.get(c).map(|v| (c.clone(), v)),
        None => row.first(&["latitude", "lat", "y"]),
    };
    let location = if let (Some((xc, x)), Some((yc, y))) = (&lon, &lat) {
        Location::Point {
            at: lonlat(row, xc, yc, x, y, area)?,
            precision_m: number(row, "precision_m")?,
        }
    } else if let Some(post_id) = row.get("post_id") {
        Location::Post {
            post_id: post_id.to_string(),
        }
    } else if let Some(km) = number(row, "km")? {
        Location::KmRange {
            from_km: km,
            to_km: km,
        }
    } else if let (Some(a), Some(b)) = (number(row, "km_from")?, number(row, "km_to")?) {
        if b < a {
            return Err(("km_to".into(), format!("{b} is before km_from {a}")));
        }
        Location::KmRange {
            from_km: a,
            to_km: b,
        }
    } else {
        return Err((
            "longitude/latitude".into(),
            "are missing: expected a lon/lat pair, a post_id or a km column".into(),
        ));
    };
    let mut inc = blank_incident(date, kind, location);
    inc.title = row.get("title").map(String::from);
    inc.notes = row.get("notes").map(String::from);
    inc.sources = row
        .get("source")
        .or(row.get("sources"))
        .map(|s| s.split(';').map(str::trim).map(String::from).collect())
        .unwrap_or_default();
    if let Some(end) = row.get("end_date") {
        let end = parse_flexible_date(end).ok_or_else(|| {
            (
                "end_date".to_string(),
                format!("should be a date YYYY-MM-DD, found \"{end}\""),
            )
        })?;
        if end < date {
            return Err((
                "end_date".into(),
                format!("{end} is before the start date {date}"),
            ));
        }
        inc.end_date = Some(end);
    }
    Ok(inc)
}
