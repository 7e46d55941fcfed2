//! Reading GeoJSON text into raw features, with line/column syntax errors.

use std::io::Read;
use std::path::Path;

use serde_json::{Map, Value};

use super::error::{LoadError, Place};
use crate::model::LonLat;

/// A feature as read, before its properties are interpreted.
#[derive(Debug, Clone)]
pub struct RawFeature {
    /// Index in the collection (0 for a lone feature or geometry).
    pub index: usize,
    /// The feature's identifier: the `id` property, else the top-level `id`.
    pub id: Option<String>,
    /// The geometry object, `None` for `null`.
    pub geometry: Option<Map<String, Value>>,
    /// The properties, in input order (empty for `null`).
    pub properties: Map<String, Value>,
}

impl RawFeature {
    /// Why the feature has no usable id: the field and what is wrong.
    pub fn id_problem(&self) -> (String, String) {
        let problem = match self.properties.get("id") {
            None | Some(Value::Null) => "is missing: expected a string or an integer".to_string(),
            Some(Value::String(_)) => "is empty: expected a string or an integer".to_string(),
            Some(other) => format!(
                "should be a string or an integer, found {}",
                super::props::describe(other)
            ),
        };
        ("id".to_string(), problem)
    }

    /// The place to name in an error about this feature.
    pub fn place(&self) -> Place {
        Place::Feature {
            index: self.index,
            id: self.id.clone(),
        }
    }
}

/// Parses GeoJSON text: a FeatureCollection, a Feature or a bare geometry.
pub fn parse_features(
    path: &Path,
    text: &str,
    expected: &'static str,
) -> Result<Vec<RawFeature>, LoadError> {
    let mut out = Vec::new();
    for_each_feature(path, text, expected, |f| out.push(f))?;
    Ok(out)
}

/// Parses GeoJSON text feature by feature, handing each to `each` as soon as it is read, so
/// that a collection of millions of features is never held as JSON values all at once.
pub fn for_each_feature(
    path: &Path,
    text: &str,
    expected: &'static str,
    mut each: impl FnMut(RawFeature),
) -> Result<(), LoadError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(LoadError::Empty {
            path: path.to_path_buf(),
            expected,
        });
    }
    if !text.trim_start().starts_with('{') {
        let value: Value = serde_json::from_str(text).map_err(|e| syntax_error(path, text, &e))?;
        return Err(LoadError::content(
            path,
            Place::File,
            format!("expected {expected}, found {}", json_type(&value)),
        ));
    }
    let mut de = serde_json::Deserializer::from_str(text);
    let (rest, features) =
        stream::root(path, &mut de, &mut each).map_err(|e| syntax_error(path, text, &e))?;
    finish(path, expected, rest, features?, each)
}

/// [`for_each_feature`] for a file, streamed from disk: the text is never held whole.
pub fn for_each_feature_in_file(
    path: &Path,
    expected: &'static str,
    mut each: impl FnMut(RawFeature),
) -> Result<(), LoadError> {
    let read_error = |source| LoadError::Read {
        path: path.to_path_buf(),
        source,
    };
    let mut head = Vec::with_capacity(4096);
    crate::io::open_capped(path, crate::io::MAX_DATA)
        .and_then(|f| std::io::Read::take(f, 4096).read_to_end(&mut head))
        .map_err(read_error)?;
    let starts_with_object = head
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(&head)
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|&b| b == b'{');
    // Empty files, other roots and every syntax error go through the text path for its
    // messages (the file is read whole only then).
    let whole = || -> Result<(), LoadError> {
        let bytes = crate::io::read_capped(path, crate::io::MAX_DATA).map_err(read_error)?;
        let text = crate::config::Source::text_of(path, bytes.into())?;
        for_each_feature(path, &text, expected, |_| {})
    };
    if !starts_with_object {
        return whole();
    }
    let mut reader = std::io::BufReader::with_capacity(
        1 << 16,
        crate::io::open_capped(path, crate::io::MAX_DATA).map_err(read_error)?,
    );
    if head.starts_with(b"\xEF\xBB\xBF") {
        std::io::Read::read_exact(&mut reader, &mut [0u8; 3]).map_err(read_error)?;
    }
    let mut de = serde_json::Deserializer::from_reader(reader);
    match stream::root(path, &mut de, &mut each) {
        Ok((rest, features)) => finish(path, expected, rest, features?, each),
        Err(e) if e.is_io() => Err(read_error(std::io::Error::other(e.to_string()))),
        Err(_) => whole(),
    }
}

fn finish(
    path: &Path,
    expected: &'static str,
    rest: Map<String, Value>,
    features: stream::Features,
    mut each: impl FnMut(RawFeature),
) -> Result<(), LoadError> {
    let kind = rest
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    match kind.as_str() {
        "FeatureCollection" => match features {
            stream::Features::Array => Ok(()),
            _ => Err(LoadError::field(
                path,
                Place::File,
                "features",
                "should be an array of features",
            )),
        },
        "Feature" => {
            each(raw_feature(path, 0, Value::Object(rest))?);
            Ok(())
        }
        "Point" | "MultiPoint" | "LineString" | "MultiLineString" | "Polygon" | "MultiPolygon"
        | "GeometryCollection" => {
            each(RawFeature {
                index: 0,
                id: None,
                geometry: Some(rest),
                properties: Map::new(),
            });
            Ok(())
        }
        "" => Err(LoadError::field(
            path,
            Place::File,
            "type",
            format!("is missing: expected {expected}"),
        )),
        other => Err(LoadError::content(
            path,
            Place::File,
            format!("expected {expected}, found type \"{other}\""),
        )),
    }
}

/// The streaming half of [`for_each_feature`]: serde visitors for the root object and its
/// `features` array.
mod stream {
    use std::fmt;
    use std::path::Path;

    use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
    use serde_json::{Map, Value};

    use super::{LoadError, RawFeature, raw_feature};

    /// What the `features` member was.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Features {
        /// No `features` member.
        Absent,
        /// An array, streamed.
        Array,
        /// Something else.
        Other,
    }

    /// The root object's visitor: streams `features`, keeps the other members.
    pub struct Root<'a, F> {
        path: &'a Path,
        each: &'a mut F,
        features: Features,
        error: Option<LoadError>,
    }

    /// What the `features` member was, or the first bad feature's error.
    pub type Outcome = Result<Features, LoadError>;

    /// Reads the root object from `de`: the members other than `features`, and what
    /// `features` was (or the first bad feature's error); each feature goes to `each`.
    pub fn root<'de, R: serde_json::de::Read<'de>, F: FnMut(RawFeature)>(
        path: &Path,
        de: &mut serde_json::Deserializer<R>,
        each: &mut F,
    ) -> Result<(Map<String, Value>, Outcome), serde_json::Error> {
        let mut root = Root {
            path,
            each,
            features: Features::Absent,
            error: None,
        };
        let rest = serde::Deserializer::deserialize_map(&mut *de, &mut root)?;
        de.end()?;
        let features = match root.error {
            Some(e) => Err(e),
            None => Ok(root.features),
        };
        Ok((rest, features))
    }

    impl<'de, F: FnMut(RawFeature)> Visitor<'de> for &mut Root<'_, F> {
        type Value = Map<String, Value>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a GeoJSON object")
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut rest = Map::new();
            while let Some(key) = map.next_key::<String>()? {
                if key == "features" {
                    self.features = map.next_value_seed(FeatureSeq { root: &mut *self })?;
                } else {
                    let v: Value = map.next_value()?;
                    rest.insert(key, v);
                }
            }
            Ok(rest)
        }
    }

    struct FeatureSeq<'r, 'a, F> {
        root: &'r mut Root<'a, F>,
    }

    impl<'de, F: FnMut(RawFeature)> DeserializeSeed<'de> for FeatureSeq<'_, '_, F> {
        type Value = Features;

        fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Features, D::Error> {
            d.deserialize_any(self)
        }
    }

    impl<'de, F: FnMut(RawFeature)> Visitor<'de> for FeatureSeq<'_, '_, F> {
        type Value = Features;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an array of features")
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Features, A::Error> {
            let mut index = 0;
            while let Some(v) = seq.next_element::<Value>()? {
                if self.root.error.is_none() {
                    match raw_feature(self.root.path, index, v) {
                        Ok(f) => (self.root.each)(f),
                        Err(e) => self.root.error = Some(e),
                    }
                }
                index += 1;
            }
            Ok(Features::Array)
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Features, A::Error> {
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            Ok(Features::Other)
        }

        fn visit_unit<E>(self) -> Result<Features, E> {
            Ok(Features::Other)
        }

        fn visit_bool<E>(self, _: bool) -> Result<Features, E> {
            Ok(Features::Other)
        }

        fn visit_i64<E>(self, _: i64) -> Result<Features, E> {
            Ok(Features::Other)
        }

        fn visit_u64<E>(self, _: u64) -> Result<Features, E> {
            Ok(Features::Other)
        }

        fn visit_f64<E>(self, _: f64) -> Result<Features, E> {
            Ok(Features::Other)
        }

        fn visit_str<E>(self, _: &str) -> Result<Features, E> {
            Ok(Features::Other)
        }
    }
}

fn raw_feature(path: &Path, index: usize, value: Value) -> Result<RawFeature, LoadError> {
    let place = Place::Feature { index, id: None };
    let Value::Object(mut obj) = value else {
        return Err(LoadError::content(
            path,
            place,
            format!("expected a Feature object, found {}", json_type(&value)),
        ));
    };
    match obj.get("type").and_then(Value::as_str) {
        Some("Feature") | None => {}
        Some(
            g @ ("Point" | "MultiPoint" | "LineString" | "MultiLineString" | "Polygon"
            | "MultiPolygon" | "GeometryCollection"),
        ) => {
            return Err(LoadError::content(
                path,
                place,
                format!(
                    "is a bare {g} geometry where a Feature belongs: wrap it as {{\"type\": \"Feature\", \"geometry\": …, \"properties\": {{…}}}}"
                ),
            ));
        }
        Some(other) => {
            return Err(LoadError::field(
                path,
                place,
                "type",
                format!("should be \"Feature\", found \"{other}\""),
            ));
        }
    }
    let properties = match obj.remove("properties") {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(m)) => m,
        Some(other) => {
            return Err(LoadError::field(
                path,
                place,
                "properties",
                format!("should be an object, found {}", json_type(&other)),
            ));
        }
    };
    let id = properties
        .get("id")
        .or_else(|| obj.get("id"))
        .and_then(id_text);
    let place = Place::Feature {
        index,
        id: id.clone(),
    };
    let geometry = match obj.remove("geometry") {
        None | Some(Value::Null) => None,
        Some(Value::Object(g)) => Some(g),
        Some(other) => {
            return Err(LoadError::field(
                path,
                place,
                "geometry",
                format!("should be an object or null, found {}", json_type(&other)),
            ));
        }
    };
    Ok(RawFeature {
        index,
        id,
        geometry,
        properties,
    })
}

/// An identifier from a string or an integer.
pub fn id_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn syntax_error(path: &Path, text: &str, e: &serde_json::Error) -> LoadError {
    let (line, column) = (e.line(), e.column());
    let mut message = format!("invalid JSON: {}", strip_position(&e.to_string()));
    // serde_json stops at the first letter of a bare NaN or Infinity; say what it is.
    if let Some(rest) = text
        .lines()
        .nth(line.saturating_sub(1))
        .and_then(|l| l.get(column.saturating_sub(1)..))
    {
        let rest = rest.trim_start_matches('-');
        if rest.starts_with("NaN") || rest.starts_with("Infinity") || rest.starts_with("inf") {
            message = "invalid JSON: NaN and Infinity are not JSON numbers; coordinates must be finite numbers".into();
        }
    }
    if e.to_string().starts_with("number out of range") {
        message = "invalid JSON: number out of range; coordinates must be finite numbers".into();
    }
    LoadError::Syntax {
        path: path.to_path_buf(),
        place: Place::LineColumn { line, column },
        message,
    }
}

fn strip_position(msg: &str) -> &str {
    msg.find(" at line ").map_or(msg, |i| &msg[..i])
}

/// The JSON type of a value, for messages.
pub fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A geometry's `type` member.
pub fn geometry_type(g: &Map<String, Value>) -> &str {
    g.get("type").and_then(Value::as_str).unwrap_or("(no type)")
}

/// The `coordinates` member of a geometry.
pub fn coordinates(g: &Map<String, Value>) -> Result<&Value, String> {
    if geometry_type(g) == "GeometryCollection" {
        return Err(
            "is a GeometryCollection: expected a single geometry (give each part as its own Feature)"
                .to_string(),
        );
    }
    g.get("coordinates")
        .ok_or_else(|| "has no `coordinates`".to_string())
}

/// The area in which coordinates are expected, for spotting swapped pairs.
#[derive(Debug, Clone, Copy)]
pub struct Area(pub [f64; 4]);

impl Area {
    /// The area around a data box where coordinates are expected: the box padded by
    /// half its size, and at least 5° on each side.
    pub fn padded(self) -> Self {
        let b = self.0;
        let pad_x = ((b[2] - b[0]) * 0.5).max(5.0);
        let pad_y = ((b[3] - b[1]) * 0.5).max(5.0);
        Self([b[0] - pad_x, b[1] - pad_y, b[2] + pad_x, b[3] + pad_y])
    }

    fn contains(&self, lon: f64, lat: f64) -> bool {
        let [x0, y0, x1, y1] = self.0;
        lon >= x0 && lon <= x1 && lat >= y0 && lat <= y1
    }
}

/// Reads one `[lon, lat]` position, checking numbers, ranges and swapped order.
pub fn position(v: &Value, area: Option<Area>) -> Result<LonLat, String> {
    let Some(arr) = v.as_array() else {
        return Err(format!(
            "should be a [longitude, latitude] array, found {}",
            json_type(v)
        ));
    };
    if arr.len() < 2 {
        return Err(format!(
            "should be a [longitude, latitude] array, found {} number(s)",
            arr.len()
        ));
    }
    for v in &arr[..2] {
        if let Value::Number(n) = v
            && !n.as_f64().is_some_and(f64::is_finite)
        {
            return Err(format!(
                "should hold finite numbers, found {n} (beyond the range of a 64-bit float)"
            ));
        }
    }
    let (Some(lon), Some(lat)) = (arr[0].as_f64(), arr[1].as_f64()) else {
        return Err(format!(
            "should hold numbers, found {} and {}",
            json_type(&arr[0]),
            json_type(&arr[1])
        ));
    };
    if !lon.is_finite() || !lat.is_finite() {
        return Err("should hold finite numbers".into());
    }
    if let Some(area) = area
        && !area.contains(lon, lat)
        && area.contains(lat, lon)
    {
        return Err(format!(
            "[{lon}, {lat}] looks swapped: it lies outside the data's area, but [{lat}, {lon}] lies inside; GeoJSON order is [longitude, latitude]"
        ));
    }
    if !(-180.0..=180.0).contains(&lon) {
        return Err(format!("longitude {lon} is outside -180 to 180"));
    }
    if !(-90.0..=90.0).contains(&lat) {
        return Err(format!("latitude {lat} is outside -90 to 90"));
    }
    Ok(LonLat::new(lon, lat))
}

/// Reads a line's positions.
pub fn line(v: &Value, area: Option<Area>) -> Result<Vec<LonLat>, String> {
    let Some(arr) = v.as_array() else {
        return Err(format!(
            "should be an array of positions, found {}",
            json_type(v)
        ));
    };
    arr.iter()
        .enumerate()
        .map(|(i, p)| position(p, area).map_err(|e| format!("position {i} {e}")))
        .collect()
}
