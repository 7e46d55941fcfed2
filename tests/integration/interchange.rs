//! CSV and ACLED import, and the combined GeoJSON export: round trip, QGIS-friendly schema,
//! and loading with GDAL's ogrinfo.

use std::process::Command;

use bordermap::Dataset;
use bordermap::config::{Project, Source};
use bordermap::model::Location;
use serde_json::Value;

use crate::util::{assert_lines, bordermap, error_lines, root};

fn with_incidents(files: &[&str]) -> Dataset {
    let mut p = Project::embedded();
    p.incidents = files.iter().map(|f| Source::File(root().join(f))).collect();
    Dataset::load(&p).unwrap()
}

#[test]
fn acled_export_of_40_events_imports_whole() {
    let data = with_incidents(&["tests/fixtures/csv/acled_40.csv"]);
    assert!(data.problems.is_empty(), "{:?}", data.problems);
    assert_eq!(data.incidents.len(), 40);
    let first = &data.incidents[0];
    assert_eq!(first.id, "PAK1001");
    assert_eq!(first.kind, "clash");
    // Originals kept, typed: numbers for ACLED's numeric columns, text for the rest.
    assert_eq!(
        first.properties.get("event_type").unwrap_or_default(),
        "Battles"
    );
    assert_eq!(
        first.properties.get("sub_event_type").unwrap_or_default(),
        "Armed clash"
    );
    assert_eq!(first.properties.get("geo_precision").unwrap_or_default(), 1);
    assert_eq!(
        first.properties.get("analyst_flag").unwrap_or_default(),
        Value::Null,
        "extra columns kept"
    );
    assert!(
        first
            .properties
            .get("notes")
            .unwrap_or_default()
            .as_str()
            .unwrap()
            .contains("\"more than six locations\""),
        "quotes inside quoted fields"
    );
    // "11 October 2025" reads like 2025-10-11; fatalities become one claim attributed to ACLED.
    let nbc = data.incidents.iter().find(|i| i.id == "PAK1007").unwrap();
    assert_eq!(nbc.date.to_string(), "2025-10-11");
    assert_eq!(nbc.kind, "post_captured");
    assert_eq!(nbc.claims[0].claimant, "ACLED");
    assert_eq!(nbc.claims[0].outlet.as_deref(), Some("NBC News"));
    assert_eq!(nbc.claims[0].figures[0].low, Some(58.0));
    // geo_precision 3 is a region-sized uncertainty: not drawn as a precise dot.
    assert!(!nbc.location.is_precise());
    let strike = data.incidents.iter().find(|i| i.id == "AFG2002").unwrap();
    assert_eq!(strike.kind, "airstrike");
    let protest = data.incidents.iter().find(|i| i.id == "PAK1027").unwrap();
    assert!(
        protest
            .notes
            .as_deref()
            .unwrap()
            .contains("د پاسپورټ قانون نه منو"),
        "Pashto text survives"
    );
    assert_eq!(
        data.incident_counts[0].1..=data.incident_counts[0].2,
        40..=40
    );
}

#[test]
fn messy_csv_reports_every_bad_row_and_keeps_the_good_one() {
    let out = bordermap(&[
        "validate",
        "--incidents",
        "tests/fixtures/csv/acled_messy_cp1252.csv",
    ]);
    let f = "tests/fixtures/csv/acled_messy_cp1252.csv";
    assert_lines(
        &error_lines(&out),
        &[
            &format!(
                "error: {f}: line 3 (id \"PAK9002\"): `longitude/latitude` [34.1175, 71.0892] looks swapped: it lies outside the data's area, but [71.0892, 34.1175] lies inside; check which column is which"
            ),
            &format!(
                "error: {f}: line 4 (id \"PAK9003\"): `event_date` should be a date like 2025-10-11 or 11 October 2025, found \"11/10/2025\""
            ),
            &format!(
                "error: {f}: line 5 (id \"PAK9004\"): `latitude/longitude` are empty: ACLED rows need coordinates"
            ),
            &format!("error: {f}: line 6 (id \"PAK9005\"): has 2 fields, the header has 28"),
        ],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("note: {f}: not UTF-8; read as Windows-1252")),
        "{stderr}"
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains(&format!("{f}: 5 read, 1 kept, 4 rejected")),
        "{stdout}"
    );
    assert_eq!(out.status.code(), Some(1));
    // Windows-1252 text decoded: the en dash and curly quotes are real characters.
    let data = with_incidents(&["tests/fixtures/csv/acled_messy_cp1252.csv"]);
    let kept = &data.incidents[0];
    assert_eq!(
        kept.properties.get("location").unwrap_or_default(),
        "Torkham – Landi Kotal"
    );
    assert_eq!(kept.properties.get("source").unwrap_or_default(), "Dawn");
}

#[test]
fn generic_csv_takes_points_posts_and_km() {
    let data = with_incidents(&["tests/fixtures/csv/generic.csv"]);
    assert!(data.problems.is_empty(), "{:?}", data.problems);
    let kinds: Vec<&str> = data
        .incidents
        .iter()
        .map(|i| i.location.type_name())
        .collect();
    assert_eq!(kinds, ["point", "post", "km_range"]);
    assert_eq!(data.incidents[1].kind, "crossing_closed");
    assert_eq!(data.incidents[2].notes.as_deref(), Some("multi\nline note"));
    assert!(
        matches!(data.incidents[2].location, Location::KmRange { from_km, .. } if from_km == 1500.0)
    );
}

fn export_value(args: &[&str]) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("c.geojson");
    let mut all = vec!["export", "--out", out.to_str().unwrap()];
    all.extend_from_slice(args);
    let run = bordermap(&all);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap()
}

#[test]
fn export_round_trip_keeps_every_incident_and_input_property() {
    let v = export_value(&[
        "--incidents",
        "geodata/incidents.geojson",
        "--incidents",
        "tests/fixtures/csv/acled_40.csv",
    ]);
    let data = with_incidents(&[
        "geodata/incidents.geojson",
        "tests/fixtures/csv/acled_40.csv",
    ]);
    let features = v["features"].as_array().unwrap();
    let incidents: Vec<&Value> = features
        .iter()
        .filter(|f| f["properties"]["layer"] == "incident")
        .collect();
    assert_eq!(incidents.len(), 44);
    for inc in &data.incidents {
        let f = incidents
            .iter()
            .find(|f| f["properties"]["incident_id"] == inc.id.as_str())
            .unwrap_or_else(|| panic!("{} lost", inc.id));
        for (k, want) in &inc.properties.to_map() {
            let props = &f["properties"];
            // A computed column of the same name wins; the input value is then `input_<key>`.
            let got = props
                .get(format!("input_{k}").as_str())
                .or_else(|| props.get(k))
                .unwrap_or(&Value::Null);
            let same = match (want, got) {
                (Value::Array(_) | Value::Object(_), Value::String(s)) => {
                    serde_json::from_str::<Value>(s).ok().as_ref() == Some(want)
                }
                (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
                (Value::Number(a), Value::String(s)) => s.parse::<f64>().ok() == a.as_f64(),
                (Value::String(s), Value::Null) => s.is_empty(),
                _ => want == got,
            };
            assert!(same, "{}: `{k}` was {want}, exported {got}", inc.id);
        }
    }
    // The seed's contested figures: a range over the claims, each claim whole in claims_json.
    let clash = incidents
        .iter()
        .find(|f| f["properties"]["incident_id"] == "2025-10-11-border-clashes")
        .unwrap();
    assert_eq!(clash["properties"]["killed_low"], 23);
    assert_eq!(clash["properties"]["killed_high"], 58);
    assert_eq!(clash["properties"]["claims_count"], 4);
    assert_eq!(clash["geometry"]["type"], "LineString");
}

#[test]
fn export_schema_is_what_qgis_needs() {
    let v = export_value(&[
        "--incidents",
        "geodata/incidents.geojson",
        "--incidents",
        "tests/fixtures/csv/acled_40.csv",
    ]);
    assert!(v.get("crs").is_none());
    let features = v["features"].as_array().unwrap();
    let keys: Vec<&String> = features[0]["properties"]
        .as_object()
        .unwrap()
        .keys()
        .collect();
    let mut types: std::collections::HashMap<&str, &'static str> = std::collections::HashMap::new();
    for f in features {
        assert!(f.get("id").is_none(), "no top-level id");
        assert!(!f["geometry"].is_null(), "no null geometry");
        let props = f["properties"].as_object().unwrap();
        assert_eq!(
            props.keys().collect::<Vec<_>>(),
            keys,
            "same keys in the same order"
        );
        for (k, v) in props {
            let t = match v {
                Value::Null => continue,
                Value::Bool(_) => "bool",
                Value::Number(n) if n.is_f64() => "real",
                Value::Number(_) => "int",
                Value::String(_) => "string",
                _ => panic!("{k}: nested value {v}"),
            };
            let prev = types.entry(k).or_insert(t);
            assert!(*prev == t, "{k}: {prev} and {t}");
        }
        for k in ["date", "end_date"] {
            if let Some(Value::String(s)) = props.get(k) {
                assert!(bordermap::load::props::parse_date(s).is_some(), "{k} {s}");
            }
        }
        let text = f["geometry"].to_string();
        for number in text
            .split(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-'))
            .filter(|s| s.contains('.'))
        {
            assert!(
                number.split('.').nth(1).unwrap().len() <= 7,
                "{number} has more than 7 decimals"
            );
        }
    }
}

#[test]
fn split_export_writes_a_file_and_a_qml_per_layer() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("x.geojson");
    let run = bordermap(&["export", "--split", "--out", out.to_str().unwrap()]);
    assert!(run.status.success());
    for layer in ["border", "post", "incident"] {
        let g: Value = serde_json::from_str(
            &std::fs::read_to_string(dir.path().join(format!("x.{layer}.geojson"))).unwrap(),
        )
        .unwrap();
        assert!(
            g["features"]
                .as_array()
                .unwrap()
                .iter()
                .all(|f| f["properties"]["layer"] == layer)
        );
        let qml = std::fs::read_to_string(dir.path().join(format!("x.{layer}.qml"))).unwrap();
        assert!(qml.starts_with("<!DOCTYPE qgis"), "{qml}");
    }
    let qml = std::fs::read_to_string(dir.path().join("x.incident.qml")).unwrap();
    assert_well_formed(&qml);
    // The incident file holds points and lines (the border-wide firefights are the border
    // line): a rule per kind and geometry type, markers for points, lines for lines.
    for geometry in ["Point", "Line"] {
        let filter = format!(
            "filter=\"(&quot;kind&quot; = 'clash') AND geometry_type($geometry) = '{geometry}'\""
        );
        assert!(
            qml.contains(&filter),
            "no {geometry} rule for clashes: {qml}"
        );
    }
    assert!(qml.contains(r#"type="line""#) && qml.contains(r#"type="marker""#));
    // The same shapes as the maps: the airstrike's triangle points down, the explosion is
    // a burst.
    assert!(qml.contains(r#"value="triangle"/><Option name="angle" type="QString" value="180"/>"#));
    assert!(qml.contains(r#"value="asterisk_fill""#));
}

/// Tags open and close in order (a cheap well-formedness check without an XML crate).
fn assert_well_formed(xml: &str) {
    let mut stack: Vec<&str> = Vec::new();
    for part in xml.split('<').skip(1) {
        let tag = part.split('>').next().unwrap();
        if tag.starts_with('!') || tag.starts_with('?') {
            continue;
        }
        if let Some(name) = tag.strip_prefix('/') {
            assert_eq!(stack.pop(), Some(name.trim()), "unbalanced </{name}>");
        } else if !tag.ends_with('/') {
            stack.push(tag.split_whitespace().next().unwrap());
        }
    }
    assert!(stack.is_empty(), "unclosed: {stack:?}");
}

/// GDAL reads the export without a warning, with typed fields. Skipped (with a note) when
/// ogrinfo is not installed, except on CI, where `.ci/run` installs it.
#[test]
fn ogrinfo_reads_the_export_typed_and_without_warnings() {
    if Command::new("ogrinfo").arg("--version").output().is_err() {
        assert!(
            std::env::var_os("CI").is_none(),
            "ogrinfo is missing: .ci/run should install gdal-bin"
        );
        eprintln!(
            "note: ogrinfo not installed; skipping the GDAL check (apt-get install gdal-bin)"
        );
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("c.geojson");
    let run = bordermap(&[
        "export",
        "--out",
        out.to_str().unwrap(),
        "--incidents",
        "geodata/incidents.geojson",
        "--incidents",
        "tests/fixtures/csv/acled_40.csv",
    ]);
    assert!(run.status.success());
    let info = Command::new("ogrinfo")
        .args(["-al", "-so"])
        .arg(&out)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&info.stdout);
    let stderr = String::from_utf8_lossy(&info.stderr);
    assert!(info.status.success(), "{stderr}");
    assert!(
        !stderr.to_lowercase().contains("warning") && !stdout.to_lowercase().contains("warning"),
        "{stderr}{stdout}"
    );
    assert!(stdout.contains("Feature Count: 60"), "{stdout}");
    for field in [
        "date: Date",
        "end_date: Date",
        "claims_count: Integer",
        "killed_low: Integer",
        "along_km: Real",
        "incident_id: String",
        "fatalities: Integer",
    ] {
        assert!(stdout.contains(field), "{field} missing in\n{stdout}");
    }
}

/// Issue 10: ACLED's sub-event types become readable headlines.
#[test]
fn acled_headlines_read_as_words() {
    use bordermap::load::csv::acled_headline;
    assert_eq!(
        acled_headline(
            Some("Shelling/artillery/missile attack"),
            Some("Spin Boldak"),
            "shelling"
        ),
        "Shelling near Spin Boldak"
    );
    assert_eq!(
        acled_headline(Some("Armed clash"), Some("Torkham"), "clash"),
        "Clash at Torkham"
    );
    assert_eq!(
        acled_headline(Some("Something new"), Some("Torkham"), "other"),
        "Something new, Torkham"
    );
    assert_eq!(
        acled_headline(None, None, "strategic_development"),
        "Strategic development"
    );
}
