//! Maps: golden images, options that must change the picture, label layout, determinism,
//! and bad options that must fail cleanly without leaving a file behind.

use std::path::Path;

use bordermap::Dataset;
use bordermap::config::Project;
use bordermap::map::{MapSpec, Rendered, View, render};
use bordermap::render::png;
use bordermap::render::text::Fonts;
use bordermap::style::Style;
use rstest::rstest;

use crate::util::{bordermap, error_lines, root};

fn small() -> Dataset {
    Dataset::load(&Project::from_file(&root().join("tests/fixtures/project_small.toml")).unwrap())
        .unwrap()
}

fn spec(w: u32, h: u32) -> MapSpec {
    MapSpec {
        width: w,
        height: h,
        scale: 1.0,
        view: View::Border,
        dates: None,
        title: None,
    }
}

fn draw(data: &Dataset, style: &Style, spec: &MapSpec) -> Rendered {
    render(data, style, &Fonts::embedded(), spec).unwrap()
}

/// Share of pixels that differ by more than `tolerance` in any channel.
pub fn share_differing(a: &tiny_skia::Pixmap, b: &tiny_skia::Pixmap, tolerance: u8) -> f64 {
    assert_eq!(
        (a.width(), a.height()),
        (b.width(), b.height()),
        "sizes differ"
    );
    let n = a
        .data()
        .chunks_exact(4)
        .zip(b.data().chunks_exact(4))
        .filter(|(p, q)| {
            p.iter()
                .zip(q.iter())
                .any(|(x, y)| x.abs_diff(*y) > tolerance)
        })
        .count();
    n as f64 / f64::from(a.width() * a.height())
}

/// Pixels that differ at all, and their bounding box.
fn differing(a: &tiny_skia::Pixmap, b: &tiny_skia::Pixmap) -> (usize, [u32; 4]) {
    assert_eq!(
        (a.width(), a.height()),
        (b.width(), b.height()),
        "sizes differ"
    );
    let mut n = 0;
    let mut bbox = [u32::MAX, u32::MAX, 0, 0];
    for (i, (p, q)) in a.pixels().iter().zip(b.pixels()).enumerate() {
        if p != q {
            n += 1;
            let (x, y) = (i as u32 % a.width(), i as u32 / a.width());
            bbox = [
                bbox[0].min(x),
                bbox[1].min(y),
                bbox[2].max(x),
                bbox[3].max(y),
            ];
        }
    }
    (n, bbox)
}

/// Compares with `tests/golden/NAME.png` exactly: the renderer is deterministic, so any
/// changed pixel (a wrong scale-bar number, a missing halo) fails. A differing render is
/// written to `NAME.actual.png` beside it. A missing reference is written when not on
/// CI, and is an error on CI.
pub fn assert_golden(name: &str, pixmap: &tiny_skia::Pixmap) {
    let path = root().join(format!("tests/golden/{name}.png"));
    if !path.exists() {
        assert!(
            std::env::var_os("CI").is_none(),
            "missing golden image {}",
            path.display()
        );
        std::fs::write(&path, png::encode(pixmap).unwrap()).unwrap();
        eprintln!(
            "wrote new golden image {}: look at it before committing",
            path.display()
        );
        return;
    }
    let reference = tiny_skia::Pixmap::load_png(&path).unwrap();
    let (n, bbox) = differing(&reference, pixmap);
    if n > 0 {
        let actual = root().join(format!("tests/golden/{name}.actual.png"));
        std::fs::write(&actual, png::encode(pixmap).unwrap()).unwrap();
        panic!(
            "{name}: {n} pixel(s) differ within x {}..={}, y {}..={}; see {}",
            bbox[0],
            bbox[2],
            bbox[1],
            bbox[3],
            actual.display()
        );
    }
}

#[test]
fn golden_small_map() {
    let map = draw(&small(), &Style::default_style(), &spec(800, 500));
    assert_golden("small_map", &map.pixmap);
}

#[test]
fn golden_small_map_at_scale_2() {
    let map = draw(
        &small(),
        &Style::default_style(),
        &MapSpec {
            scale: 2.0,
            ..spec(1600, 1000)
        },
    );
    assert_golden("small_map_scale2", &map.pixmap);
}

#[test]
fn scale_changes_every_pixel_parameter_not_just_the_canvas() {
    let data = small();
    let style = Style::default_style();
    let base = draw(&data, &style, &spec(800, 500));
    let hidpi = draw(
        &data,
        &style,
        &MapSpec {
            scale: 2.0,
            ..spec(1600, 1000)
        },
    );
    // Same layout at twice the density: every label box is twice as far and twice as big,
    // which only holds if fonts, symbols, offsets and gaps all scale.
    assert_eq!(base.label_boxes.len(), hidpi.label_boxes.len());
    for ((ka, a), (kb, b)) in base.label_boxes.iter().zip(&hidpi.label_boxes) {
        assert_eq!(ka, kb);
        for (x, y) in [(a.x, b.x), (a.y, b.y), (a.w, b.w), (a.h, b.h)] {
            assert!((2.0 * x - y).abs() < 3.0, "{ka}: {a:?} at scale 2 is {b:?}");
        }
    }
    // And the picture, shrunk back by averaging 2×2 blocks, is the same map.
    let (w, h) = (800usize, 500usize);
    let big = hidpi.pixmap.data();
    let mut shrunk = tiny_skia::Pixmap::new(800, 500).unwrap();
    for y in 0..h {
        for x in 0..w {
            for c in 0..4 {
                let at = |dx: usize, dy: usize| {
                    u32::from(big[((2 * y + dy) * 2 * w + 2 * x + dx) * 4 + c])
                };
                shrunk.data_mut()[(y * w + x) * 4 + c] =
                    ((at(0, 0) + at(1, 0) + at(0, 1) + at(1, 1) + 2) / 4) as u8;
            }
        }
    }
    let share = share_differing(&base.pixmap, &shrunk, 60);
    assert!(
        share < 0.02,
        "{:.2} % of pixels differ strongly",
        share * 100.0
    );
}

#[test]
fn style_changes_the_picture() {
    let data = small();
    let a = draw(&data, &Style::default_style(), &spec(800, 500));
    let other = Style::from_file(&root().join("bench/anchor_style.toml")).unwrap();
    let b = draw(&data, &other, &spec(800, 500));
    assert!(share_differing(&a.pixmap, &b.pixmap, 3) > 0.2);
}

#[test]
fn date_filter_changes_the_picture_and_the_incidents() {
    let data = small();
    let style = Style::default_style();
    let all = draw(&data, &style, &spec(800, 500));
    let day = bordermap::load::props::parse_date("2025-10-11").unwrap();
    let one = draw(
        &data,
        &style,
        &MapSpec {
            dates: Some((day, day)),
            ..spec(800, 500)
        },
    );
    assert_eq!(all.incidents, ["clash-1", "statement-1", "stretch-1"]);
    assert_eq!(one.incidents, ["clash-1"]);
    assert!(share_differing(&all.pixmap, &one.pixmap, 3) > 0.005);
    let empty_day = bordermap::load::props::parse_date("2025-10-20").unwrap();
    let none = draw(
        &data,
        &style,
        &MapSpec {
            dates: Some((empty_day, empty_day)),
            ..spec(800, 500)
        },
    );
    assert!(none.incidents.is_empty());
    assert!(
        !none.legend.iter().any(|l| l == "Clash"),
        "the legend lists only what is drawn"
    );
    assert!(all.legend.iter().any(|l| l == "Clash"));
}

#[test]
fn labels_never_overlap_and_stay_inside_on_the_shipped_map() {
    let data = Dataset::load(&Project::embedded()).unwrap();
    let map = draw(&data, &Style::default_style(), &spec(1600, 1000));
    let boxes = &map.label_boxes;
    assert!(boxes.len() > 30, "{} labels", boxes.len());
    for (i, (ka, a)) in boxes.iter().enumerate() {
        assert!(
            a.x >= 0.0 && a.y >= 76.0 && a.right() <= 1600.0 - 390.0 && a.bottom() <= 1000.0 - 28.0,
            "{ka} leaves the map: {a:?}"
        );
        for (kb, b) in &boxes[i + 1..] {
            assert!(!a.intersects(b), "{ka} {a:?} overlaps {kb} {b:?}");
        }
    }
    // Incidents outrank posts, which outrank places.
    assert!(
        boxes
            .iter()
            .any(|(k, _)| k == "incident 2025-10-09-kabul-airstrike")
    );
    assert!(boxes.iter().any(|(k, _)| k == "post torkham"));
}

#[test]
fn output_is_deterministic_across_runs_and_threads() {
    let data = small();
    let style = Style::default_style();
    let once = png::encode(&draw(&data, &style, &spec(800, 500)).pixmap).unwrap();
    let threads: Vec<Vec<u8>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..2)
            .map(|_| s.spawn(|| png::encode(&draw(&data, &style, &spec(800, 500)).pixmap).unwrap()))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert!(threads.iter().all(|t| *t == once), "byte-identical PNGs");
}

#[test]
fn render_command_writes_the_png_and_prints_its_path() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("m.png");
    let out_s = out.to_str().unwrap();
    let run = bordermap(&[
        "render",
        "--config",
        "tests/fixtures/project_small.toml",
        "--size",
        "400x250",
        "--scale",
        "2",
        "--out",
        out_s,
    ]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&run.stdout).trim(), out_s);
    let png = tiny_skia::Pixmap::load_png(&out).unwrap();
    // The key does not fit a panel this small: it continues below the map (issue 10).
    assert_eq!(png.width(), 800);
    assert!(png.height() > 500, "{}", png.height());
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no temporary file left"
    );
}

#[rstest]
#[case::zero(&["--size", "0x100"], "error: --size 0x100 --scale 1: size 0x100: a side of zero pixels")]
#[case::too_wide(&["--size", "20000x100"], "error: --size 20000x100 --scale 1: size 20000x100: a side over 16384 pixels")]
#[case::too_many_pixels(&["--size", "12000x12000"], "error: --size 12000x12000 --scale 1: size 12000x12000: over 100 megapixels")]
#[case::size_format(&["--size", "1600by1000"], "error: --size 1600by1000: expected WIDTHxHEIGHT in pixels, e.g. 1600x1000")]
#[case::inverted_bbox(&["--bbox", "75,30,60,37"], "error: --bbox 75,30,60,37: the box is empty or inverted (expected lon_min < lon_max and lat_min < lat_max)")]
#[case::km_outside(&["--km", "10-99999"], "error: km range 10-99999: outside the border (0 to 2761.5 km)")]
#[case::date_format(&["--date", "2025/10/11"], "error: --date 2025/10/11: expected a date YYYY-MM-DD")]
#[case::range_backwards(&["--from", "2025-10-12", "--to", "2025-10-10"], "error: --from 2025-10-12 --to 2025-10-10: the range ends before it starts")]
#[case::missing_font(&["--style", "tests/fixtures/bad/style_missing_font.toml"], "error: tests/fixtures/bad/style_missing_font.toml: [fonts]: font \"Helvetica Neue\" is neither an embedded font (Noto Sans, Noto Sans Bold, Noto Naskh Arabic) nor a readable TrueType/OpenType file: No such file or directory (os error 2)")]
fn bad_render_options_fail_without_output(#[case] args: &[&str], #[case] message: &str) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("m.png");
    let mut all = vec!["render", "--out", out.to_str().unwrap()];
    all.extend_from_slice(args);
    let run = bordermap(&all);
    assert_eq!(error_lines(&run), [message]);
    assert_eq!(run.status.code(), Some(1));
    assert!(!out.exists());
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "nothing written"
    );
}

#[rstest]
#[case::unknown_key(
    "tests/fixtures/bad/style_unknown_key.toml",
    "line 35, column 1",
    "unknown field `colour`, expected one of `color`"
)]
#[case::bad_colour(
    "tests/fixtures/bad/style_bad_colour.toml",
    "line 25, column 14",
    "invalid colour \"#c9dbzz\": expected #RRGGBB or #RRGGBBAA"
)]
fn bad_style_names_file_line_and_key(
    #[case] style: &str,
    #[case] position: &str,
    #[case] detail: &str,
) {
    let run = bordermap(&[
        "render",
        "--style",
        style,
        "--out",
        "/nonexistent/never.png",
    ]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.starts_with(&format!("error: {style}: {position}")),
        "{stderr}"
    );
    assert!(stderr.contains(detail), "{stderr}");
    assert_eq!(run.status.code(), Some(1));
}

#[test]
fn a_day_without_incidents_is_not_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("m.png");
    let run = bordermap(&[
        "render",
        "--date",
        "2025-10-13",
        "--size",
        "800x500",
        "--out",
        out.to_str().unwrap(),
        "-v",
    ]);
    assert!(run.status.success());
    assert!(String::from_utf8_lossy(&run.stderr).contains("incidents shown: 0"));
    assert!(Path::new(&out).exists());
}

#[test]
fn svg_output_is_the_same_layout_with_text_as_text() {
    let tmp = tempfile::tempdir().unwrap();
    let svg_path = tmp.path().join("map.svg");
    let out = bordermap(&["render", "--out", &svg_path.display().to_string()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let svg = std::fs::read_to_string(&svg_path).unwrap();
    assert!(svg.starts_with("<?xml") && svg.contains(r#"width="1600" height="1000""#));
    let els = crate::chart::elements(&svg);
    let texts: Vec<(String, bordermap::projection::PxRect)> = els
        .iter()
        .filter(|e| e.0 == "text")
        .map(|e| {
            let b = crate::chart::nums(&e.1["data-box"]);
            (
                e.1["#text"].clone(),
                bordermap::projection::PxRect::new(b[0], b[1], b[2], b[3]),
            )
        })
        .collect();
    for needle in [
        "Afghanistan–Pakistan border: reported incidents",
        "Airstrike in Kabul",
        "Legend",
        "© OpenStreetMap contributors",
    ] {
        assert!(
            texts.iter().any(|(t, _)| t.contains(needle)),
            "no text {needle:?}"
        );
    }
    let canvas = bordermap::projection::PxRect::new(0.0, 0.0, 1600.0, 1000.0);
    for (t, b) in &texts {
        assert!(canvas.contains_rect(b), "{t:?} {b:?} outside the canvas");
    }
    for (i, (ta, a)) in texts.iter().enumerate() {
        for (tb, b) in &texts[i + 1..] {
            // A halo is drawn twice (halo, then letters) at the same place only in raster
            // output; in SVG each text is one element, so no two may overlap.
            assert!(
                !a.inflate(-0.5).intersects(&b.inflate(-0.5)),
                "{ta:?} {a:?} overlaps {tb:?} {b:?}"
            );
        }
    }
    // The same layout as the PNG: every label the raster map placed has an SVG text
    // inside its box.
    let map = draw(
        &Dataset::load(&Project::embedded()).unwrap(),
        &Style::default_style(),
        &spec(1600, 1000),
    );
    assert!(map.label_boxes.len() > 20);
    for (key, r) in &map.label_boxes {
        assert!(
            texts.iter().any(|(_, b)| r.inflate(0.5).contains_rect(b)),
            "label {key} at {r:?} has no text in the SVG"
        );
    }
    let o = bordermap(&[
        "render",
        "--out",
        &tmp.path().join("x.jpg").display().to_string(),
    ]);
    assert!(
        error_lines(&o)
            .join("\n")
            .contains("expected a file ending in .png or .svg")
    );
    assert!(!tmp.path().join("x.jpg").exists());
}
