//! Typed reads of feature properties, each failure phrased as "`field` should be …".

use serde_json::{Map, Value};

use super::json::json_type;

/// A property read failure: the field and what was wrong.
pub type FieldError = (String, String);

fn wrong(field: &str, expected: &str, v: &Value) -> FieldError {
    (
        field.to_string(),
        format!("should be {expected}, found {}", describe(v)),
    )
}

/// A value as quoted in a message: its type, and the value itself when short.
pub fn describe(v: &Value) -> String {
    match v {
        Value::String(s) if s.chars().count() <= 40 => format!("the string \"{s}\""),
        Value::Number(n) => format!("the number {n}"),
        Value::Bool(b) => format!("{b}"),
        other => json_type(other).to_string(),
    }
}

/// Reads typed properties of one record.
pub struct Props<'a> {
    map: &'a Map<String, Value>,
}

impl<'a> Props<'a> {
    /// Wraps a property map.
    pub fn new(map: &'a Map<String, Value>) -> Self {
        Self { map }
    }

    fn get(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key).filter(|v| !v.is_null())
    }

    /// A required non-empty string.
    pub fn required_str(&self, key: &str) -> Result<String, FieldError> {
        match self.get(key) {
            None => Err((key.into(), "is missing: expected a non-empty string".into())),
            Some(Value::String(s)) if !s.trim().is_empty() => Ok(s.clone()),
            Some(v) => Err(wrong(key, "a non-empty string", v)),
        }
    }

    /// An optional string (empty strings count as absent).
    pub fn opt_str(&self, key: &str) -> Result<Option<String>, FieldError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(v) => Err(wrong(key, "a string", v)),
        }
    }

    /// The first of several keys that is present, as a string.
    pub fn first_str(&self, keys: &[&str]) -> Result<Option<String>, FieldError> {
        for k in keys {
            if let Some(s) = self.opt_str(k)? {
                return Ok(Some(s));
            }
        }
        Ok(None)
    }

    /// An optional number (a numeric string is accepted, since spreadsheets write them).
    pub fn opt_f64(&self, key: &str) -> Result<Option<f64>, FieldError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Number(n)) => n
                .as_f64()
                .filter(|f| f.is_finite())
                .map(Some)
                .ok_or_else(|| wrong(key, "a finite number", &Value::Number(n.clone()))),
            Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
            Some(v @ Value::String(s)) => s
                .trim()
                .parse::<f64>()
                .ok()
                .filter(|f| f.is_finite())
                .map(Some)
                .ok_or_else(|| wrong(key, "a number", v)),
            Some(v) => Err(wrong(key, "a number", v)),
        }
    }

    /// `precision_m`: how far the true place may be, in metres, from 0 to 20,000 km (half
    /// the Earth's circumference).
    pub fn opt_precision(&self) -> Result<Option<f64>, FieldError> {
        let m = self.opt_f64("precision_m")?;
        if let Some(m) = m
            && !(0.0..=20_000_000.0).contains(&m)
        {
            return Err((
                "precision_m".into(),
                format!("{m} should be a distance in metres from 0 to 20,000,000"),
            ));
        }
        Ok(m)
    }

    /// An optional id-like value: string or integer.
    pub fn opt_id(&self, key: &str) -> Result<Option<String>, FieldError> {
        match self.get(key) {
            None => Ok(None),
            Some(v) => super::json::id_text(v)
                .map(Some)
                .ok_or_else(|| wrong(key, "a string or an integer", v)),
        }
    }

    /// A list of strings: a JSON array of strings, or one string split on `;`.
    pub fn str_list(&self, key: &str) -> Result<Vec<String>, FieldError> {
        match self.get(key) {
            None => Ok(Vec::new()),
            Some(Value::String(s)) => Ok(s
                .split(';')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect()),
            Some(Value::Array(items)) => items
                .iter()
                .map(|v| match v {
                    Value::String(s) => Ok(s.clone()),
                    other => Err(wrong(key, "an array of strings", other)),
                })
                .collect(),
            Some(v) => Err(wrong(key, "an array of strings", v)),
        }
    }

    /// An optional ISO date `YYYY-MM-DD`.
    pub fn opt_date(&self, key: &str) -> Result<Option<jiff::civil::Date>, FieldError> {
        match self.opt_str(key)? {
            None => Ok(None),
            Some(s) => parse_date(&s).map(Some).ok_or_else(|| {
                (
                    key.to_string(),
                    format!("should be a date YYYY-MM-DD, found \"{s}\""),
                )
            }),
        }
    }

    /// The raw value of a key.
    pub fn raw(&self, key: &str) -> Option<&'a Value> {
        self.get(key)
    }
}

/// Parses `YYYY-MM-DD` strictly.
pub fn parse_date(s: &str) -> Option<jiff::civil::Date> {
    let s = s.trim();
    if s.len() != 10 {
        return None;
    }
    s.parse::<jiff::civil::Date>().ok()
}
