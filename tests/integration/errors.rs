//! Bad input: every malformed fixture gives its exact message and a non-zero exit.

use rstest::rstest;

use crate::util::{assert_lines, bordermap, error_lines};

const BORDER: &str = "tests/fixtures/border_small.geojson";
const POSTS: &str = "tests/fixtures/posts_small.geojson";

#[rstest]
#[case::broken_json("broken_json", &["error: tests/fixtures/bad/broken_json.geojson:2:21: invalid JSON: expected `,` or `}`"])]
#[case::nan("nan_coordinates", &["error: tests/fixtures/bad/nan_coordinates.geojson:2:109: invalid JSON: NaN and Infinity are not JSON numbers; coordinates must be finite numbers"])]
#[case::infinite("infinite_coordinates", &["error: tests/fixtures/bad/infinite_coordinates.geojson: feature 0 (id \"p1\"): `geometry` coordinates should hold finite numbers, found 1e+999 (beyond the range of a 64-bit float)"])]
#[case::lon_range("lon_out_of_range", &["error: tests/fixtures/bad/lon_out_of_range.geojson: feature 0 (id \"p1\"): `geometry` coordinates longitude 200 is outside -180 to 180"])]
#[case::lat_range("lat_out_of_range", &["error: tests/fixtures/bad/lat_out_of_range.geojson: feature 0 (id \"p1\"): `geometry` coordinates latitude 95 is outside -90 to 90"])]
#[case::swapped("swapped_coordinates", &["error: tests/fixtures/bad/swapped_coordinates.geojson: feature 0 (id \"p1\"): `geometry` coordinates [33.5, 70.4] looks swapped: it lies outside the data's area, but [70.4, 33.5] lies inside; GeoJSON order is [longitude, latitude]"])]
#[case::missing_field("missing_name", &["error: tests/fixtures/bad/missing_name.geojson: feature 0 (id \"p1\"): `name` is missing: expected a non-empty string"])]
#[case::wrong_type("wrong_type", &["error: tests/fixtures/bad/wrong_type.geojson: feature 0 (id \"p1\"): `precision_m` should be a number, found the string \"far\""])]
#[case::duplicate_id("duplicate_id", &["error: tests/fixtures/bad/duplicate_id.geojson: feature 1 (id \"p1\"): `id` \"p1\" is already used by feature 0: ids must be unique"])]
#[case::empty("empty", &["error: tests/fixtures/bad/empty.geojson: the file is empty, expected a FeatureCollection of Point features"])]
#[case::all_problems_reported("many_problems", &[
    "error: tests/fixtures/bad/many_problems.geojson: feature 1 (id \"no-geom\"): `geometry` is null: expected a Point",
    "error: tests/fixtures/bad/many_problems.geojson: feature 2: `id` is missing: expected a string or an integer",
    "error: tests/fixtures/bad/many_problems.geojson: feature 3 (id \"line\"): `geometry` should be a Point, found LineString",
])]
fn bad_posts(#[case] name: &str, #[case] expected: &[&str]) {
    let posts = format!("tests/fixtures/bad/{name}.geojson");
    let out = bordermap(&["validate", "--border", BORDER, "--posts", &posts]);
    assert_lines(&error_lines(&out), expected);
    assert_eq!(out.status.code(), Some(1));
}

#[rstest]
#[case::unknown_post(
    "unknown_post",
    "`post_id` \"nowhere\" is not the id of any loaded post"
)]
#[case::end_before_start(
    "end_before_start",
    "`end_date` 2025-10-10 is before the start date 2025-10-12"
)]
#[case::bad_date("bad_date", "`date` should be a date YYYY-MM-DD, found \"12/10/2025\"")]
#[case::bad_claims(
    "bad_claims",
    "`claims` should be an array of claims ({claimant, outlet, reported, figures}): invalid type: string \"58\", expected f64"
)]
#[case::km_outside(
    "km_outside_border",
    "`km_from` the range 10–900 km lies outside the border (0 to 145.9 km)"
)]
#[case::no_location(
    "nowhere",
    "`geometry` is null and nothing else says where: expected a Point, a `post_id`, `km_from`/`km_to`, or `location` \"region\" or \"border_wide\""
)]
fn bad_incidents(#[case] name: &str, #[case] message: &str) {
    let incidents = format!("tests/fixtures/bad/{name}.geojson");
    let out = bordermap(&[
        "validate",
        "--border",
        BORDER,
        "--posts",
        POSTS,
        "--incidents",
        &incidents,
    ]);
    let expected = format!("error: {incidents}: feature 0 (id \"i1\"): {message}");
    assert_lines(&error_lines(&out), &[&expected]);
    assert_eq!(out.status.code(), Some(1));
}

#[rstest]
#[case::polygon(
    "polygon_border",
    "feature 0: `geometry` should be a LineString or MultiLineString, found Polygon"
)]
#[case::one_point(
    "one_point_border",
    "a border needs at least two distinct points, found 1"
)]
fn bad_border_stops_the_run(#[case] name: &str, #[case] message: &str) {
    let border = format!("tests/fixtures/bad/{name}.geojson");
    let out = bordermap(&["validate", "--border", &border]);
    assert_lines(
        &error_lines(&out),
        &[
            &format!("error: {border}: {message}"),
            "error: the border could not be loaded (1 problem(s))",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn missing_file_names_the_file_and_the_cause() {
    let out = bordermap(&["validate", "--border", "tests/fixtures/nope.geojson"]);
    let lines = error_lines(&out);
    assert!(
        lines[0]
            .starts_with("error: tests/fixtures/nope.geojson: cannot read the file: No such file"),
        "{lines:?}"
    );
}

#[test]
fn valid_small_project_passes_with_summary() {
    let out = bordermap(&[
        "validate",
        "--border",
        "tests/fixtures/border_pieces.geojson",
        "--posts",
        POSTS,
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("146.1 km, 5 vertices, 3 piece(s) stitched, 1 bridge(s)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("bridge   1.109 km gap from [70.6, 33.49] to [70.6, 33.5]"),
        "{stdout}"
    );
    assert!(stdout.contains("posts      2"), "{stdout}");
}
