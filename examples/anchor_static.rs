//! The Mapnik anchor benchmark's static job, done by bordermap: load the workload once,
//! then N times render the 1600×1000 map of `extent_3857`, encode it as PNG and write it,
//! timing render and encode+write separately. Prints one JSON object, like
//! `../shared/bench/mapnik_static.py`. Used by `bench/compare_mapnik.sh`.
//!
//! ```sh
//! cargo run --release --example anchor_static -- ../shared/bench /tmp/bm.png 20
//! ```

use std::path::PathBuf;
use std::time::Instant;

use bordermap::Dataset;
use bordermap::config::{Project, Source};
use bordermap::map::render_bare;
use bordermap::projection::{Frame, PxRect};
use bordermap::render::png;
use bordermap::render::text::Fonts;
use bordermap::scene::Scene;
use bordermap::style::Style;

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    anyhow::ensure!(
        args.len() >= 3,
        "usage: anchor_static BENCH_DIR OUT.png [N]"
    );
    let bench = PathBuf::from(&args[1]);
    let out = PathBuf::from(&args[2]);
    let n: usize = args.get(3).map_or(Ok(20), |s| s.parse())?;
    let workload: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(bench.join("workload.json"))?)?;
    let e: Vec<f64> = workload["static"]["extent_3857"]
        .as_array()
        .map(|a| a.iter().filter_map(serde_json::Value::as_f64).collect())
        .unwrap_or_default();
    anyhow::ensure!(
        e.len() == 4,
        "workload.json: static.extent_3857 should hold 4 numbers"
    );

    let t0 = Instant::now();
    let data_dir = bench.join("data");
    let project = Project {
        posts: Some(Source::File(data_dir.join("border_points.geojson"))),
        basemap: Some(Source::File(data_dir.join("countries.geojson"))),
        ..Project::new(Source::File(data_dir.join("afg_pak_border.geojson")))
    };
    let data =
        Dataset::load(&project).map_err(|p| anyhow::anyhow!("{} load problem(s)", p.len()))?;
    let style = Style::from_file(
        &PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("bench/anchor_style.toml"),
    )?;
    let fonts = Fonts::new(&style.fonts.regular, &style.fonts.bold, &style.fonts.arabic)?;
    let load_ms = t0.elapsed().as_secs_f64() * 1e3;
    let frame = Frame {
        extent: [e[0], e[1], e[2], e[3]],
        viewport: PxRect::new(0.0, 0.0, 1600.0, 1000.0),
    };
    let (mut total, mut draw, mut encode) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..n {
        let t0 = Instant::now();
        // A fresh scene per map, as a one-shot `render` process would build.
        let scene = Scene::new(&data, &style, &fonts, 1.0, None);
        let pixmap = render_bare(&scene, &frame)?;
        let t1 = Instant::now();
        let bytes = png::encode(&pixmap)?;
        bordermap::io::atomic_file::write(&out, &bytes)?;
        let t2 = Instant::now();
        draw.push((t1 - t0).as_secs_f64() * 1e3);
        encode.push((t2 - t1).as_secs_f64() * 1e3);
        total.push((t2 - t0).as_secs_f64() * 1e3);
    }
    let all = total.clone();
    println!(
        "{}",
        serde_json::json!({
            "renderer": format!("bordermap {}", env!("CARGO_PKG_VERSION")),
            "renders": n,
            "style_load_ms": load_ms,
            "median_ms_total": median(&mut total),
            "median_ms_render": median(&mut draw),
            "median_ms_encode_write": median(&mut encode),
            "all_ms_total": all,
        })
    );
    Ok(())
}
