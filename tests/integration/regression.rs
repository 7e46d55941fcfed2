//! Regression tests, each named after the bug it pins down.

use bordermap::config::Project;
use bordermap::{Dataset, LonLat};

use crate::util::{bordermap, error_lines};

/// The `csv` crate counts record lines one short after CRLF line ends; messages must give
/// the physical line of the row.
#[test]
fn csv_line_numbers_with_crlf_line_ends() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crlf.csv");
    std::fs::write(
        &path,
        "id,date,kind,lon,lat\r\na1,2025-10-11,clash,71.0,34.1\r\na2,2025-10-11,clash,71.0,zz\r\n",
    )
    .unwrap();
    let out = bordermap(&["validate", "--incidents", path.to_str().unwrap()]);
    let lines = error_lines(&out);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0]
            .ends_with(": line 3 (id \"a2\"): `lat` should be a latitude in degrees, found \"zz\""),
        "{lines:?}"
    );
}

/// Near Jalalabad two stretches of border lie 51.43 km and 51.50 km away; a planar
/// candidate frame once picked the farther one (km 1982 instead of km 1823).
#[test]
fn locate_settles_a_near_tie_on_the_ellipsoid() {
    let data = Dataset::load(&Project::embedded()).unwrap();
    let at = data.border.locate(LonLat::new(70.45, 34.43));
    assert!((at.along_km - 1823.135).abs() < 0.001, "{}", at.along_km);
    assert!((at.offset_km - 51.427).abs() < 0.001, "{}", at.offset_km);
}

/// `--border` without `--config` starts a new project even where ./bordermap.toml exists:
/// the shipped posts, places and incidents must not leak into another border's map.
#[test]
fn border_flag_starts_a_new_project() {
    let out = bordermap(&[
        "validate",
        "--border",
        "tests/fixtures/border_small.geojson",
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("posts      0") && stdout.contains("incidents  0"),
        "{stdout}"
    );
}
