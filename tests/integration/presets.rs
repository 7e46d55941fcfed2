//! Issue 10: the SVG of every preset, for the shipped data and the dense fixture (48
//! invented ACLED-format events in March 2026), parsed and checked: every text inside the
//! canvas, no two texts overlapping, every key number on the map keyed, the credits whole.

use crate::util::bordermap;

/// One `<text>` element: its box (x, y, w, h), its content, and whether it is in the map
/// group (else the furniture).
struct Text {
    rect: [f32; 4],
    body: String,
    on_map: bool,
}

fn texts(svg: &str) -> Vec<Text> {
    let furniture_at = svg.find("<g id=\"furniture\">").unwrap_or(svg.len());
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(i) = svg[at..].find("<text ") {
        let start = at + i;
        let end = start + svg[start..].find("</text>").expect("closed text");
        let el = &svg[start..end];
        let rect: Vec<f32> = el
            .split("data-box=\"")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .map(|r| r.split(' ').filter_map(|v| v.parse().ok()).collect())
            .unwrap_or_default();
        let body = el.rsplit('>').next().unwrap_or("").to_string();
        if rect.len() == 4 {
            out.push(Text {
                rect: [rect[0], rect[1], rect[2], rect[3]],
                body,
                on_map: start < furniture_at,
            });
        }
        at = end;
    }
    out
}

fn size(svg: &str) -> (f32, f32) {
    let attr = |name: &str| -> f32 {
        svg.split(&format!(" {name}=\""))
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .parse()
            .unwrap()
    };
    (attr("width"), attr("height"))
}

fn overlap(a: [f32; 4], b: [f32; 4]) -> f32 {
    let w = (a[0] + a[2]).min(b[0] + b[2]) - a[0].max(b[0]);
    let h = (a[1] + a[3]).min(b[1] + b[3]) - a[1].max(b[1]);
    if w > 0.0 && h > 0.0 { w * h } else { 0.0 }
}

fn check(name: &str, args: &[&str], acled: bool) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("m.svg");
    let out_s = out.display().to_string();
    let mut all = args.to_vec();
    all.extend(["--out", &out_s]);
    let o = bordermap(&all);
    assert!(
        o.status.success(),
        "{name}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    let svg = std::fs::read_to_string(&out).unwrap();
    let (w, h) = size(&svg);
    let texts = texts(&svg);
    assert!(texts.len() > 20, "{name}: {} texts", texts.len());
    for t in &texts {
        let [x, y, tw, th] = t.rect;
        assert!(
            x >= -0.5 && y >= -0.5 && x + tw <= w + 0.5 && y + th <= h + 0.5,
            "{name}: \"{}\" at {:?} leaves the {w}x{h} canvas",
            t.body,
            t.rect
        );
    }
    // No two texts overlap (a glyph box may graze a neighbour's by a pixel or two).
    for (i, a) in texts.iter().enumerate() {
        for b in &texts[i + 1..] {
            let o = overlap(a.rect, b.rect);
            assert!(
                o < 0.15 * (a.rect[3].min(b.rect[3])).powi(2),
                "{name}: \"{}\" {:?} overlaps \"{}\" {:?}",
                a.body,
                a.rect,
                b.body,
                b.rect
            );
        }
    }
    // Every key number shown on the map (inside a symbol, or in a group's "Nos." line) has
    // its entry in the key.
    let keyed: std::collections::HashSet<&str> = texts
        .iter()
        .filter(|t| !t.on_map && t.body.chars().all(|c| c.is_ascii_digit()))
        .map(|t| t.body.as_str())
        .collect();
    let mut on_map: Vec<String> = Vec::new();
    for t in texts.iter().filter(|t| t.on_map) {
        if let Some(list) = t.body.strip_prefix("Nos. ") {
            let list = list.split(" · ").next().unwrap_or("");
            for part in list.split(", ") {
                match part.split_once('–') {
                    Some((a, b)) => {
                        let (a, b): (u32, u32) = (a.parse().unwrap(), b.parse().unwrap());
                        on_map.extend((a..=b).map(|n| n.to_string()));
                    }
                    None => on_map.push(part.to_string()),
                }
            }
        }
    }
    for n in &on_map {
        assert!(
            keyed.contains(n.as_str()),
            "{name}: number {n} is on the map but not keyed"
        );
    }
    // The credits, whole (they may wrap: joined across lines).
    let footer: String = texts
        .iter()
        .filter(|t| !t.on_map && t.rect[1] > h - 80.0)
        .map(|t| t.body.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        footer.contains("© OpenStreetMap contributors (ODbL)") && footer.contains("Map: bordermap"),
        "{name}: credits: {footer}"
    );
    if acled {
        assert!(
            footer.contains(
                "Armed Conflict Location &amp; Event Data Project (ACLED), acleddata.com"
            ),
            "{name}: credits: {footer}"
        );
    }
}

const PRESETS: [&str; 6] = ["default", "small", "wide", "square", "portrait", "print"];

#[test]
fn shipped_data_at_every_preset() {
    for preset in PRESETS {
        check(
            &format!("shipped {preset}"),
            &["render", "--preset", preset],
            false,
        );
    }
}

#[test]
fn dense_month_at_every_preset() {
    for preset in PRESETS {
        check(
            &format!("dense {preset}"),
            &[
                "render",
                "--incidents",
                "tests/fixtures/dense/dense_march_2026.csv",
                "--from",
                "2026-03-01",
                "--to",
                "2026-03-31",
                "--preset",
                preset,
            ],
            true,
        );
    }
}

/// FNV-1a over the pixels: a golden kept as a line of text rather than a PNG per preset.
fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Goldens for every preset, shipped and dense: the exact pixels, kept as hashes in
/// `tests/golden/presets.txt` (twelve full-size PNGs would weigh megabytes). A changed
/// render fails and is written to `tests/golden/NAME.actual.png` to look at; delete its line
/// (not on CI) to record the new one.
#[test]
fn goldens_for_every_preset() {
    let path = crate::util::root().join("tests/golden/presets.txt");
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    let known: std::collections::HashMap<&str, &str> =
        text.lines().filter_map(|l| l.split_once(' ')).collect();
    let tmp = tempfile::tempdir().unwrap();
    let mut recorded = String::new();
    let mut failures = Vec::new();
    for (data, args) in [
        ("shipped", vec![]),
        (
            "dense",
            vec![
                "--incidents",
                "tests/fixtures/dense/dense_march_2026.csv",
                "--from",
                "2026-03-01",
                "--to",
                "2026-03-31",
            ],
        ),
    ] {
        for preset in PRESETS {
            let name = format!("{data}_{preset}");
            let out = tmp.path().join(format!("{name}.png"));
            let out_s = out.display().to_string();
            let mut all = vec!["render", "--preset", preset, "--out", &out_s];
            all.extend(args.iter().copied());
            let o = bordermap(&all);
            assert!(
                o.status.success(),
                "{name}: {}",
                String::from_utf8_lossy(&o.stderr)
            );
            let png = tiny_skia::Pixmap::load_png(&out).unwrap();
            let got = format!("{}x{} {:016x}", png.width(), png.height(), fnv(png.data()));
            match known.get(name.as_str()) {
                Some(want) if *want == got => {}
                Some(want) => {
                    let actual =
                        crate::util::root().join(format!("tests/golden/{name}.actual.png"));
                    std::fs::copy(&out, &actual).unwrap();
                    failures.push(format!(
                        "{name}: {got}, golden {want}; see {}",
                        actual.display()
                    ));
                }
                None => {
                    assert!(std::env::var_os("CI").is_none(), "no golden for {name}");
                    recorded.push_str(&format!("{name} {got}\n"));
                }
            }
        }
    }
    if !recorded.is_empty() {
        std::fs::write(&path, format!("{text}{recorded}")).unwrap();
        eprintln!(
            "recorded goldens in {}: look at the maps before committing",
            path.display()
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The SVG, rasterised by an independent renderer (resvg, with the same three fonts),
/// against the PNG of the same map: the same layout and drawing. Text is rasterised
/// differently (glyph coverage, hinting), so pixels may differ a little at glyph and line
/// edges (measured: 0.24 % of pixels beyond 64/255 and a mean of 1.2/255 for the shipped
/// map, 0.64 % and 2.7/255 for the text-heavy dense portrait, all at glyph edges); the
/// tolerance: at most 2 % of pixels differ by more than 64/255 in any channel, and the mean
/// difference stays under 4/255. `BORDERMAP_DUMP_RESVG=DIR` writes both rasters to look at.
#[test]
fn svg_rasterised_by_resvg_matches_the_png() {
    let tmp = tempfile::tempdir().unwrap();
    for (name, args) in [
        ("shipped", vec!["render"]),
        (
            "dense",
            vec![
                "render",
                "--incidents",
                "tests/fixtures/dense/dense_march_2026.csv",
                "--from",
                "2026-03-01",
                "--to",
                "2026-03-31",
                "--preset",
                "portrait",
            ],
        ),
    ] {
        let png_path = tmp.path().join(format!("{name}.png"));
        let svg_path = tmp.path().join(format!("{name}.svg"));
        for out in [&png_path, &svg_path] {
            let out_s = out.display().to_string();
            let mut all = args.clone();
            all.extend(["--out", &out_s]);
            let o = bordermap(&all);
            assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        }
        let png = tiny_skia::Pixmap::load_png(&png_path).unwrap();
        let mut opt = resvg::usvg::Options::default();
        for font in [
            "NotoSans-Regular.ttf",
            "NotoSans-Bold.ttf",
            "NotoNaskhArabic-Regular.ttf",
        ] {
            let bytes = std::fs::read(crate::util::root().join("assets/fonts").join(font)).unwrap();
            opt.fontdb_mut().load_font_data(bytes);
        }
        let svg = std::fs::read_to_string(&svg_path).unwrap();
        let tree = resvg::usvg::Tree::from_str(&svg, &opt).unwrap();
        let size = tree.size().to_int_size();
        assert_eq!(
            (size.width(), size.height()),
            (png.width(), png.height()),
            "{name}"
        );
        let mut raster = tiny_skia::Pixmap::new(size.width(), size.height()).unwrap();
        resvg::render(
            &tree,
            tiny_skia::Transform::identity(),
            &mut raster.as_mut(),
        );
        if let Some(dir) = std::env::var_os("BORDERMAP_DUMP_RESVG") {
            raster
                .save_png(std::path::Path::new(&dir).join(format!("{name}.png")))
                .unwrap();
            png.save_png(std::path::Path::new(&dir).join(format!("{name}.ours.png")))
                .unwrap();
        }
        let (mut far, mut total) = (0usize, 0u64);
        for (a, b) in png
            .data()
            .chunks_exact(4)
            .zip(raster.data().chunks_exact(4))
        {
            let d = (0..3).map(|c| a[c].abs_diff(b[c])).max().unwrap_or(0);
            total += u64::from(d);
            if d > 64 {
                far += 1;
            }
        }
        let n = (png.width() * png.height()) as f64;
        let (share, mean) = (far as f64 / n, total as f64 / n);
        eprintln!(
            "{name}: {:.3} % of pixels differ by > 64/255, mean {mean:.2}/255",
            share * 100.0
        );
        assert!(
            share < 0.02 && mean < 4.0,
            "{name}: {:.3} %, mean {mean:.2}",
            share * 100.0
        );
    }
}
