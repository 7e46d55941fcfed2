//! The standing of the border line or of stretches of it: agreed (the default), disputed, or
//! de facto (held on the ground, not recognised by one side: the Durand Line is not
//! recognised by Afghanistan). Read from the border feature's properties:
//!
//! ```json
//! {"status": "de_facto", "status_note": "not recognised by Afghanistan",
//!  "stretches": [{"from_km": 120, "to_km": 180, "status": "disputed", "note": "…"}]}
//! ```

use serde_json::{Map, Value};

/// How a stretch of border stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    /// Claimed differently by the two sides.
    Disputed,
    /// Held on the ground, not recognised as a border by (at least) one side.
    DeFacto,
}

impl Status {
    /// The legend's words.
    pub fn label(self) -> &'static str {
        match self {
            Self::Disputed => "Disputed border",
            Self::DeFacto => "De facto border (not recognised by both sides)",
        }
    }

    /// The dash pattern (unscaled pixels: dash, gap).
    pub fn dashes(self) -> [f32; 2] {
        match self {
            Self::Disputed => [9.0, 5.0],
            Self::DeFacto => [3.0, 4.0],
        }
    }
}

/// A stretch with a standing other than agreed.
#[derive(Debug, Clone, PartialEq)]
pub struct Stretch {
    /// Start, km along the border.
    pub from_km: f64,
    /// End.
    pub to_km: f64,
    /// Its standing.
    pub status: Status,
    /// Who says what, for the legend, when given.
    pub note: Option<String>,
}

fn parse_status(v: &Value, field: &str) -> Result<Option<Status>, (String, String)> {
    match v.as_str() {
        Some("agreed" | "international") => Ok(None),
        Some("disputed") => Ok(Some(Status::Disputed)),
        Some("de_facto" | "de facto" | "line_of_control") => Ok(Some(Status::DeFacto)),
        _ => Err((
            field.to_string(),
            format!("should be \"agreed\", \"disputed\" or \"de_facto\", found {v}"),
        )),
    }
}

/// The stretches of a border `length_km` long from its feature's properties; the message
/// names the field and what was expected.
pub fn stretches(
    props: &Map<String, Value>,
    length_km: f64,
) -> Result<Vec<Stretch>, (String, String)> {
    let mut out = Vec::new();
    let note = |v: Option<&Value>| v.and_then(Value::as_str).map(String::from);
    if let Some(v) = props.get("status")
        && let Some(status) = parse_status(v, "status")?
    {
        out.push(Stretch {
            from_km: 0.0,
            to_km: length_km,
            status,
            note: note(props.get("status_note")),
        });
    }
    let Some(list) = props.get("stretches") else {
        return Ok(out);
    };
    let Some(list) = list.as_array() else {
        return Err((
            "stretches".into(),
            "should be an array of {from_km, to_km, status, note}".into(),
        ));
    };
    for (i, s) in list.iter().enumerate() {
        let field = format!("stretches[{i}]");
        let km = |k: &str| s.get(k).and_then(Value::as_f64);
        let (Some(a), Some(b)) = (km("from_km"), km("to_km")) else {
            return Err((field, "needs numbers `from_km` and `to_km`".into()));
        };
        if !(a.is_finite() && b.is_finite() && 0.0 <= a && a < b && b <= length_km + 1e-6) {
            return Err((
                field,
                format!(
                    "from_km {a} to_km {b}: expected 0 <= from_km < to_km <= {length_km:.1} (the border's length)"
                ),
            ));
        }
        let Some(status) = parse_status(s.get("status").unwrap_or(&Value::Null), &field)? else {
            continue;
        };
        out.push(Stretch {
            from_km: a,
            to_km: b,
            status,
            note: note(s.get("note")),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn props(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn whole_line_and_stretches() {
        let s = stretches(
            &props(
                json!({"status": "de_facto", "status_note": "not recognised by Afghanistan",
                "stretches": [{"from_km": 10, "to_km": 20, "status": "disputed"}]}),
            ),
            100.0,
        )
        .unwrap();
        assert_eq!(s.len(), 2);
        assert_eq!((s[0].status, s[0].to_km), (Status::DeFacto, 100.0));
        assert_eq!(s[0].note.as_deref(), Some("not recognised by Afghanistan"));
        assert_eq!((s[1].status, s[1].from_km), (Status::Disputed, 10.0));
        assert!(stretches(&props(json!({})), 100.0).unwrap().is_empty());
    }

    #[test]
    fn bad_values_are_named() {
        let e = stretches(&props(json!({"status": "contested"})), 100.0).unwrap_err();
        assert_eq!(e.0, "status");
        assert!(e.1.contains("found \"contested\""), "{}", e.1);
        let e = stretches(
            &props(json!({"stretches": [{"from_km": 50, "to_km": 150, "status": "disputed"}]})),
            100.0,
        )
        .unwrap_err();
        assert_eq!(e.0, "stretches[0]");
        assert!(e.1.contains("<= 100.0"), "{}", e.1);
    }
}
