//! Incidents from CSV: ACLED exports (recognised by their header) and generic
//! spreadsheets with a lon/lat pair, a `post_id` or a `km` column.
//!
//! Real files are messy, so: a UTF-8 byte-order mark is skipped; CRLF, quoted fields with
//! commas, quotes and newlines are read by the `csv` crate; a file that is not UTF-8 is
//! read as Windows-1252 and a note says so; empty cells are absent values. Every column
//! of every row is kept as a property. A bad row is reported with its line, column and
//! what was expected, and the other rows are kept.

use std::io::Read;
use std::path::Path;

use serde::Deserialize;
use serde_json::{Value, json};

use super::csv_scan::{Encoding, Scan, cp1252, scan, utf16};
use super::error::{LoadError, Loaded, Place};
use super::incidents::normalise_kind;
use super::json::{Area, position};
use crate::model::{Claim, DatePrecision, Figure, Incident, Location, LonLat};
use crate::properties::{Keys, Packed};

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

/// Reads incidents from CSV bytes in memory.
pub fn from_csv(
    path: &Path,
    bytes: &[u8],
    area: Option<Area>,
    columns: &CsvColumns,
) -> Result<Loaded<Incident>, LoadError> {
    from_reader(path, &|| Ok(Box::new(bytes)), area, columns)
}

/// Reads incidents from a CSV file, streamed: a UTF-8 file is never held whole in memory.
pub fn from_csv_file(
    path: &Path,
    area: Option<Area>,
    columns: &CsvColumns,
) -> Result<Loaded<Incident>, LoadError> {
    let open = || -> std::io::Result<Box<dyn Read>> {
        Ok(Box::new(crate::io::open_capped(path, crate::io::MAX_DATA)?))
    };
    from_reader(path, &open, area, columns)
}

type Opener<'a> = dyn Fn() -> std::io::Result<Box<dyn Read + 'a>> + 'a;

fn from_reader(
    path: &Path,
    open: &Opener<'_>,
    area: Option<Area>,
    columns: &CsvColumns,
) -> Result<Loaded<Incident>, LoadError> {
    let read_error = |source| LoadError::Read {
        path: path.to_path_buf(),
        source,
    };
    let scanned = scan(open().map_err(read_error)?).map_err(read_error)?;
    let mut notes = Vec::new();
    let text = match scanned.encoding {
        Encoding::Utf8 { bom } => {
            let mut r = open().map_err(read_error)?;
            std::io::copy(&mut (&mut r).take(bom as u64), &mut std::io::sink())
                .map_err(read_error)?;
            return parse(path, r, bom as u64, &scanned, notes, area, columns);
        }
        Encoding::Cp1252 => {
            notes.push(format!(
                "{}: not UTF-8; read as Windows-1252",
                path.display()
            ));
            cp1252(&read_all(open().map_err(read_error)?).map_err(read_error)?)
        }
        Encoding::Utf16 => {
            notes.push(format!(
                "{}: UTF-16 (with a byte-order mark); read as such",
                path.display()
            ));
            utf16(&read_all(open().map_err(read_error)?).map_err(read_error)?)
        }
    };
    let scanned = scan(text.as_bytes()).map_err(read_error)?;
    parse(path, text.as_bytes(), 0, &scanned, notes, area, columns)
}

fn read_all(mut r: impl Read) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    r.read_to_end(&mut bytes)?;
    Ok(bytes)
}

fn parse(
    path: &Path,
    input: impl Read,
    skipped: u64,
    scanned: &Scan,
    mut notes: Vec<String>,
    area: Option<Area>,
    columns: &CsvColumns,
) -> Result<Loaded<Incident>, LoadError> {
    if scanned.blank {
        return Err(LoadError::Empty {
            path: path.to_path_buf(),
            expected: "a CSV header and rows",
        });
    }
    let mut out = Loaded::new();
    if let Some(line) = scanned.unterminated {
        return Err(LoadError::Syntax {
            path: path.to_path_buf(),
            place: Place::Row { line, id: None },
            message: "a quoted field opens here and is never closed (a missing \" swallows the rest of the file)".into(),
        });
    }
    if scanned
        .first_line
        .chars()
        .any(|c| c.is_control() && c != '\t' && c != '\r')
    {
        return Err(LoadError::Syntax {
            path: path.to_path_buf(),
            place: Place::Row { line: 1, id: None },
            message: "holds binary data, not CSV text (control characters in the first line)"
                .into(),
        });
    }
    // A header with no comma but semicolons or tabs: a spreadsheet's regional export.
    let first = scanned.first_line.as_str();
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
        .from_reader(input);
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
    if !acled {
        for (col, what) in [
            (columns.date.as_deref().unwrap_or("date"), "a date"),
            (columns.kind.as_deref().unwrap_or("kind"), "a kind"),
        ] {
            if !headers.iter().any(|h| h.eq_ignore_ascii_case(col)) {
                return Err(LoadError::Syntax {
                    path: path.to_path_buf(),
                    place: Place::Row { line: 1, id: None },
                    message: format!(
                        "there is no `{col}` column ({what} for each row); the header has: {} (other names can be mapped in bordermap.toml under [csv])",
                        headers.join(", ")
                    ),
                });
            }
        }
    }
    let numeric: Vec<bool> = headers
        .iter()
        .map(|h| {
            let h = h.to_lowercase();
            if acled {
                ACLED_NUMERIC.contains(&h.as_str())
            } else {
                GENERIC_NUMERIC.contains(&h.as_str())
            }
        })
        .collect();
    let keys: Keys = headers.iter().map(|h| Box::from(h.as_str())).collect();
    let mut ids = super::layers::UniqueIds::default();
    let line_at = |byte: u64| scanned.line_at(byte + skipped);
    let mut record = csv::StringRecord::new();
    let mut n = 0u64;
    loop {
        n += 1;
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let line = e.position().map_or(0, |p| line_at(p.byte()));
                out.problems.push(LoadError::Syntax {
                    path: path.to_path_buf(),
                    place: Place::Row { line, id: None },
                    message: format!("invalid CSV: {e}"),
                });
                // An I/O error ends the file; a bad record does not.
                if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                    break;
                }
                continue;
            }
        }
        let line = record.position().map_or(n + 1, |p| line_at(p.byte()));
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
        if record.len() != headers.len() {
            out.problems.push(LoadError::content(
                path,
                Place::Row { line, id },
                format!(
                    "has {} fields, the header has {}",
                    record.len(),
                    headers.len()
                ),
            ));
            continue;
        }
        let read = if acled {
            acled_row(&row, area)
        } else {
            generic_row(&row, area, columns)
        };
        let read = read.and_then(|mut inc| {
            inc.id = id.clone().unwrap_or_else(|| format!("line-{line}")).into();
            inc.properties = properties(&row, &numeric, &keys);
            inc.origin = Place::Row { line, id: None };
            ids.claim_as(&inc.id, line as usize, "line").map(|()| inc)
        });
        match read {
            Ok(mut inc) => {
                inc.shrink_to_fit();
                out.items.push(inc);
            }
            Err((field, problem)) => out.problems.push(LoadError::field(
                path,
                Place::Row { line, id },
                field,
                problem,
            )),
        }
    }
    out.notes = notes;
    Ok(out)
}

/// Every column as a property: numbers for numeric columns, text otherwise, `null` for
/// empty cells.
fn properties(row: &Row<'_>, numeric: &[bool], keys: &Keys) -> Packed {
    let values: Vec<Value> = row
        .values
        .iter()
        .zip(numeric)
        .map(|(v, &numeric)| {
            let v = v.trim();
            if v.is_empty() {
                Value::Null
            } else if numeric {
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
            }
        })
        .collect();
    Packed::from_parts(keys.clone(), &values.iter().collect::<Vec<_>>())
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
        id: Default::default(),
        date,
        end_date: None,
        time: None,
        time_zone: None,
        date_precision: DatePrecision::Day,
        kind: kind.into(),
        title: None,
        location,
        actors: Vec::new(),
        claims: Vec::new(),
        sources: Vec::new(),
        notes: None,
        properties: Default::default(),
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

/// A readable headline from ACLED's sub-event type and location: "Shelling near Spin
/// Boldak" rather than "Shelling/artillery/missile attack, Spin Boldak".
pub fn acled_headline(sub_event: Option<&str>, location: Option<&str>, kind: &str) -> String {
    let phrase = |s: &str| -> (&'static str, &'static str) {
        match s {
            "Armed clash" => ("Clash", "at"),
            "Shelling/artillery/missile attack" => ("Shelling", "near"),
            "Air/drone strike" => ("Air or drone strike", "on"),
            "Remote explosive/landmine/IED" => ("Explosion", "in"),
            "Suicide bomb" => ("Suicide bombing", "in"),
            "Grenade" => ("Grenade attack", "in"),
            "Attack" => ("Attack on civilians", "in"),
            "Abduction/forced disappearance" => ("Abduction", "in"),
            "Non-state actor overtakes territory" => ("Territory taken by an armed group", "at"),
            "Government regains territory" => ("Territory retaken by the government", "at"),
            "Non-violent transfer of territory" => ("Territory handed over", "at"),
            "Change to group/activity" => ("Change in armed group activity", "at"),
            "Agreement" => ("Agreement", "in"),
            "Headquarters or base established" => ("Base established", "at"),
            "Peaceful protest"
            | "Protest with intervention"
            | "Excessive force against protesters" => ("Protest", "in"),
            "Violent demonstration" | "Mob violence" => ("Riot", "in"),
            "Arrests" => ("Arrests", "in"),
            "Looting/property destruction" => ("Looting or destruction", "in"),
            "Disrupted weapons use" => ("Weapons seized or defused", "in"),
            _ => ("", ""),
        }
    };
    match (sub_event, location) {
        (Some(s), Some(l)) => match phrase(s) {
            ("", _) => format!("{s}, {l}"),
            (what, prep) => format!("{what} {prep} {l}"),
        },
        (Some(s), None) => match phrase(s) {
            ("", _) => s.to_string(),
            (what, _) => what.to_string(),
        },
        (None, Some(l)) => l.to_string(),
        (None, None) => {
            let mut k = kind.replace('_', " ");
            if let Some(f) = k.get_mut(0..1) {
                f.make_ascii_uppercase();
            }
            k
        }
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
                .map(Into::into)
                .collect::<Vec<_>>()
        })
        .collect();
    inc.sources = row
        .get("source")
        .map(|s| {
            s.split(';')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(Into::into)
                .collect()
        })
        .unwrap_or_default();
    inc.notes = row.get("notes").map(String::from);
    inc.title = Some(acled_headline(
        row.get("sub_event_type"),
        row.get("location"),
        kind,
    ));
    if let Some(f) = number(row, "fatalities")? {
        crate::model::check_count(f).map_err(|e| ("fatalities".to_string(), e))?;
        // ACLED's figure is its own conservative reading of its sources: one claim.
        inc.claims.push(Claim {
            claimant: "ACLED".into(),
            short: Some("ACLED".into()),
            outlet: row.get("source").map(Into::into),
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
            precision_m: match number(row, "precision_m")? {
                Some(m) if !(0.0..=20_000_000.0).contains(&m) => {
                    return Err((
                        "precision_m".into(),
                        format!("{m} should be a distance in metres from 0 to 20,000,000"),
                    ));
                }
                m => m,
            },
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
        .map(|s| s.split(';').map(str::trim).map(Into::into).collect())
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
