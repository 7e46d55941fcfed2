//! Linear referencing on the shipped border: accuracy against GeographicLib, and the CLI.

use bordermap::config::Project;
use bordermap::{Dataset, LonLat};
use serde_json::Value;

use crate::util::{bordermap, root};

fn shipped() -> Dataset {
    Dataset::load(&Project::embedded()).expect("the shipped data loads")
}

/// Within 1 m of pyproj's Geod (GeographicLib) on 20 points around the border.
#[test]
fn matches_geographiclib_within_a_metre() {
    let data = shipped();
    let text =
        std::fs::read_to_string(root().join("tests/fixtures/linref_reference.json")).unwrap();
    let reference: Value = serde_json::from_str(&text).unwrap();
    let points = reference["points"].as_array().unwrap();
    assert_eq!(points.len(), 20);
    for p in points {
        let at = LonLat::new(p["lon"].as_f64().unwrap(), p["lat"].as_f64().unwrap());
        let got = data.border.locate(at);
        let along = p["along_km"].as_f64().unwrap();
        let offset = p["abs_offset_km"].as_f64().unwrap();
        assert!(
            (got.along_km - along).abs() < 0.001,
            "{at:?}: along {} vs {along}",
            got.along_km
        );
        assert!(
            (got.offset_km.abs() - offset).abs() < 0.001,
            "{at:?}: offset {} vs {offset}",
            got.offset_km
        );
    }
}

#[test]
fn shipped_border_runs_from_iran_to_china_with_afghanistan_on_the_left() {
    let data = shipped();
    let s = data.summary();
    assert!((s.border_km - 2761.5).abs() < 0.1, "{}", s.border_km);
    assert_eq!(s.vertices, 17015);
    let kabul = data.reference(LonLat::new(69.1723, 34.5281));
    assert_eq!(kabul.country.as_deref(), Some("AFG"));
    assert!(kabul.located.offset_km > 0.0);
    let peshawar = data.reference(LonLat::new(71.5249, 34.0151));
    assert_eq!(peshawar.country.as_deref(), Some("PAK"));
    assert!(peshawar.located.offset_km < 0.0);
    let (torkham, r) = data.post("torkham").unwrap();
    assert_eq!(torkham.name, "Torkham");
    assert!(
        r.located.offset_km.abs() < 0.01,
        "crossings are on the line"
    );
}

#[test]
fn locate_one_point_prints_json() {
    let out = bordermap(&["locate", "--lon", "69.1723", "--lat", "34.5281"]);
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["along_km"], 1765.57);
    assert_eq!(v["offset_km"], 86.481);
    assert_eq!(v["side"], "AFG");
    assert_eq!(v["hand"], "left");
    assert_eq!(v["nearest_post_id"], "tari-mangal");
}

#[test]
fn locate_points_keeps_every_property() {
    let out = bordermap(&[
        "locate",
        "--points",
        "tests/fixtures/posts_small.geojson",
        "--border",
        "tests/fixtures/border_small.geojson",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let f = &v["features"][1]["properties"];
    assert_eq!(f["name"], "Seven");
    assert_eq!(f["country"], "PAK");
    assert!(f["along_km"].as_f64().unwrap() > 90.0);
    let keys: Vec<&str> = f.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "name",
            "country",
            "along_km",
            "offset_km",
            "side",
            "hand",
            "nearest_post_id",
            "nearest_post_km",
            "nearest_post_distance_km"
        ]
    );
}
