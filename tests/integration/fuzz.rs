//! Fuzzing on stable Rust with proptest: every reader gets arbitrary bytes and structured
//! mutations of valid inputs (bytes flipped, inserted, deleted, truncated, spliced with
//! numbers that break things: NaN, 1e400, -0, huge integers, nesting). A reader may reject
//! its input, never panic. Datasets that still load are drawn and exported too.
//!
//! Cases per reader: 96 here; `BORDERMAP_FUZZ_CASES=20000 cargo test --test integration
//! fuzz -- --nocapture` for a long run.

use std::path::Path;

use bordermap::config::{Project, Source};
use bordermap::load::{self, Area};
use bordermap::style::Style;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

use crate::util::root;

fn cases() -> u32 {
    std::env::var("BORDERMAP_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(96)
}

/// Tokens that have broken parsers before.
const NASTY: &[&str] = &[
    "NaN",
    "1e400",
    "-1e400",
    "-0",
    "1e18",
    "123456789012345678901234567890",
    "[[[[[[[[",
    "{}",
    "null",
    "\"\u{202e}\"",
    "\"\\u001b]0;x\\u0007\"",
    "-180.0000001",
    "90.5",
    "[]",
    "\"\"",
    "{\"type\":\"GeometryCollection\",\"geometries\":[]}",
    "\r\n",
    ",,,,",
    "\"\"\"",
];

#[derive(Debug, Clone)]
enum Edit {
    Flip(usize, u8),
    Insert(usize, usize),
    Delete(usize, usize),
    Truncate(usize),
}

fn edits() -> impl Strategy<Value = Vec<Edit>> {
    prop::collection::vec(
        prop_oneof![
            (any::<usize>(), any::<u8>()).prop_map(|(a, b)| Edit::Flip(a, b)),
            (any::<usize>(), 0..NASTY.len()).prop_map(|(a, b)| Edit::Insert(a, b)),
            (any::<usize>(), 1usize..64).prop_map(|(a, b)| Edit::Delete(a, b)),
            any::<usize>().prop_map(Edit::Truncate),
        ],
        1..6,
    )
}

fn mutate(base: &[u8], edits: &[Edit]) -> Vec<u8> {
    let mut b = base.to_vec();
    for e in edits {
        if b.is_empty() {
            break;
        }
        match *e {
            Edit::Flip(at, v) => {
                let i = at % b.len();
                b[i] = v;
            }
            Edit::Insert(at, k) => {
                let i = at % (b.len() + 1);
                b.splice(i..i, NASTY[k].bytes());
            }
            Edit::Delete(at, n) => {
                let i = at % b.len();
                let j = (i + n).min(b.len());
                b.drain(i..j);
            }
            Edit::Truncate(at) => b.truncate(at % (b.len() + 1)),
        }
    }
    b
}

/// Runs `check` on mutations of `base` and on arbitrary bytes.
fn fuzz(name: &str, base: &[u8], check: impl Fn(&[u8])) {
    let mut runner = TestRunner::new(Config {
        cases: cases(),
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&edits(), |e| {
            check(&mutate(base, &e));
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    runner
        .run(&prop::collection::vec(any::<u8>(), 0..512), |bytes| {
            check(&bytes);
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{name} (random bytes): {e}"));
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(root().join(name)).unwrap()
}

#[test]
fn fuzz_geojson_layer_readers() {
    let p = Path::new("fuzz.geojson");
    let area = Some(Area([60.0, 29.0, 75.0, 37.0]).padded());
    fuzz(
        "border",
        &fixture("tests/fixtures/border_small.geojson"),
        |b| {
            let _ = load::border(p, &text(b));
        },
    );
    fuzz(
        "border pieces",
        &fixture("tests/fixtures/border_pieces.geojson"),
        |b| {
            let _ = load::border(p, &text(b));
        },
    );
    fuzz(
        "posts",
        &fixture("tests/fixtures/posts_small.geojson"),
        |b| {
            let _ = load::posts(p, &text(b), area, None);
        },
    );
    fuzz(
        "places",
        &fixture("tests/fixtures/places_small.geojson"),
        |b| {
            let _ = load::places(p, &text(b), area);
        },
    );
    fuzz(
        "basemap",
        &fixture("tests/fixtures/basemap_small.geojson"),
        |b| {
            let _ = load::basemap(p, &text(b), None);
        },
    );
    fuzz(
        "incidents",
        &fixture("tests/fixtures/incidents_small.geojson"),
        |b| {
            let _ = load::incidents::from_geojson(p, &text(b), area);
        },
    );
}

#[test]
fn fuzz_csv_and_acled_readers() {
    let p = Path::new("fuzz.csv");
    let area = Some(Area([60.0, 29.0, 75.0, 37.0]).padded());
    for f in [
        "tests/fixtures/csv/acled_40.csv",
        "tests/fixtures/csv/generic.csv",
        "tests/fixtures/csv/acled_messy_cp1252.csv",
    ] {
        fuzz(f, &fixture(f), |b| {
            let _ = load::csv::from_csv(p, b, area, &Default::default());
        });
    }
}

#[test]
fn fuzz_style_and_project_files() {
    fuzz("style", &fixture("styles/default.toml"), |b| {
        let _ = Style::parse(Path::new("fuzz.toml"), &text(b));
    });
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("bordermap.toml");
    fuzz(
        "project",
        &fixture("tests/fixtures/project_small.toml"),
        |b| {
            std::fs::write(&path, b).unwrap();
            let _ = Project::from_file(&path);
        },
    );
}

#[test]
fn fuzzed_incidents_that_load_are_drawn_and_exported() {
    let style = Style::default_style();
    let fonts = bordermap::render::text::Fonts::embedded();
    let tmp = tempfile::tempdir().unwrap();
    let inc = tmp.path().join("inc.geojson");
    let base = fixture("tests/fixtures/incidents_small.geojson");
    let mut runner = TestRunner::new(Config {
        cases: (cases() / 4).max(8),
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&edits(), |e| {
            std::fs::write(&inc, mutate(&base, &e)).unwrap();
            let project = Project {
                incidents: vec![Source::File(inc.clone())],
                ..Project::from_file(&root().join("tests/fixtures/project_small.toml")).unwrap()
            };
            if let Ok(data) = bordermap::Dataset::load(&project) {
                let spec = bordermap::map::MapSpec {
                    width: 480,
                    height: 320,
                    scale: 1.0,
                    view: bordermap::map::View::Border,
                    dates: None,
                    title: None,
                };
                let _ = bordermap::map::render(&data, &style, &fonts, &spec);
                let _ = bordermap::export::write(&data, &tmp.path().join("x.geojson"), false);
                let chart = bordermap::chart::ChartSpec {
                    width: 640,
                    height: 480,
                    scale: 1.0,
                    dates: None,
                    km: None,
                    title: None,
                    sectors: Vec::new(),
                };
                let _ = bordermap::chart::to_svg(&data, &style, &fonts, &chart);
            }
            Ok(())
        })
        .unwrap();
}
