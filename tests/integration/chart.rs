//! `bordermap chart`: goldens for the shipped data and an invented multi-year fixture, and
//! the SVG checked as a reader would: each mark at its km and date, bars spanning their
//! ranges, no two text boxes overlapping, every text inside the canvas.

use bordermap::Dataset;
use bordermap::chart::{self, Axes, ChartSpec, Place};
use bordermap::config::{Project, Source};
use bordermap::projection::PxRect;
use bordermap::render::text::Fonts;
use bordermap::style::Style;

use crate::render::assert_golden;
use crate::util::{bordermap, error_lines, root};

fn multiyear() -> Dataset {
    let project = Project {
        incidents: vec![Source::File(
            root().join("tests/fixtures/chart/multiyear.geojson"),
        )],
        ..Project::embedded()
    };
    Dataset::load(&project).unwrap()
}

fn spec(w: u32, h: u32) -> ChartSpec {
    ChartSpec {
        width: w,
        height: h,
        scale: 1.0,
        dates: None,
        km: None,
        title: None,
        sectors: Vec::new(),
    }
}

#[test]
fn golden_charts() {
    let style = Style::default_style();
    let fonts = Fonts::embedded();
    let shipped = Dataset::load(&Project::embedded()).unwrap();
    let (pm, _) = chart::to_pixmap(&shipped, &style, &fonts, &spec(1600, 1000)).unwrap();
    assert_golden("chart_shipped", &pm);
    let (pm, drawn) = chart::to_pixmap(&multiyear(), &style, &fonts, &spec(1600, 1000)).unwrap();
    assert_eq!(drawn.incidents.len(), 60);
    assert_golden("chart_multiyear", &pm);
}

/// Every `<text>` box and every element with a `data-…` attribute, as attribute maps.
pub fn elements(svg: &str) -> Vec<(String, std::collections::HashMap<String, String>)> {
    let mut out = Vec::new();
    for chunk in svg.split('<').skip(1) {
        let name: String = chunk.chars().take_while(|c| c.is_alphanumeric()).collect();
        let head = chunk.split('>').next().unwrap_or("");
        let mut attrs = std::collections::HashMap::new();
        let mut rest = head[name.len()..].trim();
        while let Some(eq) = rest.find("=\"") {
            let key = rest[..eq].trim().to_string();
            let after = &rest[eq + 2..];
            let end = after.find('"').unwrap();
            attrs.insert(key, after[..end].to_string());
            rest = after[end + 1..].trim();
        }
        let text = chunk.split('>').nth(1).unwrap_or("").to_string();
        attrs.insert("#text".into(), text);
        out.push((name, attrs));
    }
    out
}

pub fn nums(s: &str) -> Vec<f32> {
    s.split(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-'))
        .filter(|t| !t.is_empty())
        .map(|t| t.parse().unwrap())
        .collect()
}

fn check_svg(data: &Dataset, w: u32, h: u32, sectors: bool) {
    let style = Style::default_style();
    let fonts = Fonts::embedded();
    let mut sp = spec(w, h);
    if sectors {
        let project =
            Project::from_file(&root().join("tests/fixtures/chart/sectors.toml")).unwrap();
        sp.sectors = project.sectors;
        assert_eq!(sp.sectors.len(), 3);
    }
    let (svg, drawn) = chart::to_svg(data, &style, &fonts, &sp).unwrap();
    if sectors {
        assert_eq!(svg.matches("data-sector=").count(), 3);
    }
    let els = elements(&svg);
    // The plot and its axes as the chart states them; positions are recomputed here.
    let plot_el = &els
        .iter()
        .find(|e| e.1.contains_key("data-plot"))
        .unwrap()
        .1;
    let p = nums(&plot_el["data-plot"]);
    let km: Vec<f64> = plot_el["data-km-axis"]
        .split(' ')
        .map(|v| v.parse().unwrap())
        .collect();
    let d: Vec<&str> = plot_el["data-dates"].split(' ').collect();
    let axes = Axes {
        plot: PxRect::new(p[0], p[1], p[2], p[3]),
        km: (km[0], km[1]),
        dates: (d[0].parse().unwrap(), d[1].parse().unwrap()),
    };
    assert_eq!(drawn.axes, Some(axes));
    let mut marks = 0;
    let mut bars = 0;
    for (_, a) in &els {
        let Some(id) = a.get("data-incident") else {
            continue;
        };
        let inc = data.incidents.iter().find(|i| i.id == *id).unwrap();
        let path = nums(&a["d"]);
        let xs: Vec<f32> = path.iter().step_by(2).copied().collect();
        let ys: Vec<f32> = path.iter().skip(1).step_by(2).copied().collect();
        let (x0, x1) = (
            xs.iter().copied().fold(f32::MAX, f32::min),
            xs.iter().copied().fold(f32::MIN, f32::max),
        );
        let (y0, y1) = (
            ys.iter().copied().fold(f32::MAX, f32::min),
            ys.iter().copied().fold(f32::MIN, f32::max),
        );
        match chart::place_of(data, inc) {
            Place::At(k) => {
                let (ex, ey) = (axes.x(k), axes.y(inc.date.max(axes.dates.0)));
                let at = nums(&a["data-at"]);
                assert!(
                    (at[0] - ex).abs() <= 1.0 && (at[1] - ey).abs() <= 1.0,
                    "{id}: at {at:?}, expected {ex} {ey}"
                );
                assert!(
                    x0 <= ex && ex <= x1 && y0 <= ey && ey <= y1,
                    "{id}: the symbol does not cover its point"
                );
                marks += 1;
            }
            Place::Range(a2, b2) => {
                let (ea, eb) = (axes.x(a2.max(axes.km.0)), axes.x(b2.min(axes.km.1)));
                assert!(
                    (x0 - ea).abs() <= 1.0 && (x1 - eb).abs() <= 1.0,
                    "{id}: bar {x0}..{x1}, expected {ea}..{eb}"
                );
                bars += 1;
            }
            Place::Everywhere => {
                assert!(
                    (x0 - axes.plot.x).abs() <= 1.0 && (x1 - axes.plot.right()).abs() <= 1.0,
                    "{id}: band {x0}..{x1}"
                );
                bars += 1;
            }
            Place::Unplaced => assert!(
                y0 > axes.plot.bottom(),
                "{id}: unplaced incidents sit in their lane"
            ),
        }
    }
    assert!(
        marks + bars >= data.incidents.len().min(4),
        "{marks} marks, {bars} bars"
    );
    // Text: inside the canvas, and no two boxes overlap.
    let boxes: Vec<(String, PxRect)> = els
        .iter()
        .filter(|e| e.0 == "text")
        .map(|e| {
            let b = nums(&e.1["data-box"]);
            (e.1["#text"].clone(), PxRect::new(b[0], b[1], b[2], b[3]))
        })
        .collect();
    assert!(boxes.len() > 10);
    let canvas = PxRect::new(0.0, 0.0, w as f32, h as f32);
    for (t, b) in &boxes {
        assert!(
            canvas.contains_rect(b),
            "{t:?} at {b:?} is outside the {w}x{h} canvas"
        );
    }
    for (i, (ta, a)) in boxes.iter().enumerate() {
        for (tb, b) in &boxes[i + 1..] {
            assert!(
                !a.inflate(-0.5).intersects(&b.inflate(-0.5)),
                "{ta:?} {a:?} overlaps {tb:?} {b:?}"
            );
        }
    }
}

#[test]
fn svg_marks_sit_at_their_km_and_date_and_text_never_collides() {
    let shipped = Dataset::load(&Project::embedded()).unwrap();
    for (w, h) in [(1600, 1000), (1080, 1350), (800, 500)] {
        check_svg(&shipped, w, h, false);
        check_svg(&multiyear(), w, h, true);
    }
}

#[test]
fn chart_command_writes_png_and_svg_and_refuses_bad_options() {
    let tmp = tempfile::tempdir().unwrap();
    for name in ["c.png", "c.svg"] {
        let out = tmp.path().join(name);
        let o = bordermap(&[
            "chart",
            "--preset",
            "portrait",
            "--out",
            &out.display().to_string(),
        ]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        assert!(out.is_file());
    }
    let svg = std::fs::read_to_string(tmp.path().join("c.svg")).unwrap();
    assert!(svg.starts_with("<?xml") && svg.contains(r#"width="1080" height="1350""#));
    for (args, expected) in [
        (
            vec!["--out", "x.jpg"],
            "expected a file ending in .png or .svg",
        ),
        (
            vec!["--preset", "huge", "--out", "x.png"],
            "--preset huge: expected one of",
        ),
        (
            vec!["--size", "300x200", "--out", "x.png"],
            "a chart needs at least 480x360 pixels",
        ),
        (
            vec!["--km", "900-100", "--out", "x.png"],
            "km range 900-100: expected A < B",
        ),
        (
            vec!["--from", "2025-10-10", "--out", "x.png"],
            "give both --from and --to",
        ),
    ] {
        let mut all = vec!["chart"];
        all.extend(args.iter().copied());
        let o = bordermap(&all);
        assert!(!o.status.success(), "{all:?}");
        assert!(
            error_lines(&o).join("\n").contains(expected),
            "{all:?}: {:?}",
            error_lines(&o)
        );
    }
}
