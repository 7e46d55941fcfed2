//! Benchmark: the static map (draw and PNG encode separately), building a Scene, and the
//! per-frame cost of 256 px frames along the border at z4–z14 with the Scene built once.
//!
//! Workloads: the shipped data (17,015-vertex border, 51,501-vertex base map, 15 posts,
//! 24 places, 4 incidents, full furniture); the same with the border 10× denser (every
//! segment cut in ten), to show a frame's cost does not grow with data outside it; and
//! the Mapnik anchor workload in `../shared/bench/data` framed on its `extent_3857` when
//! that folder is present. Data loading is done once, outside the timings. Run with
//! `cargo bench --bench render`.

#![expect(
    missing_docs,
    reason = "criterion_group! generates an undocumented function"
)]

use std::hint::black_box;
use std::path::Path;

use bordermap::Dataset;
use bordermap::config::{Project, Source};
use bordermap::map::{MapSpec, View, render, render_bare};
use bordermap::model::LonLat;
use bordermap::projection::{Frame, PxRect};
use bordermap::render::text::Fonts;
use bordermap::render::{Plan, SkiaPainter, draw_map, png};
use bordermap::scene::Scene;
use bordermap::style::Style;
use bordermap::tiles::xyz::TileId;
use criterion::{Criterion, criterion_group, criterion_main};

fn spec() -> MapSpec {
    MapSpec {
        width: 1600,
        height: 1000,
        scale: 1.0,
        view: View::Border,
        dates: None,
        title: None,
    }
}

/// The shipped project with its border's every segment cut into ten.
fn denser(shipped: &Dataset, dir: &Path) -> Dataset {
    let v = shipped.border.vertices();
    let mut coords = Vec::with_capacity(v.len() * 10);
    for w in v.windows(2) {
        for k in 0..10 {
            let t = f64::from(k) / 10.0;
            coords.push(serde_json::json!([
                w[0].lon + (w[1].lon - w[0].lon) * t,
                w[0].lat + (w[1].lat - w[0].lat) * t
            ]));
        }
    }
    let last = v[v.len() - 1];
    coords.push(serde_json::json!([last.lon, last.lat]));
    let fc = serde_json::json!({"type": "FeatureCollection", "features": [{
        "type": "Feature",
        "properties": serde_json::Value::Object(shipped.border_properties.clone()),
        "geometry": {"type": "LineString", "coordinates": coords}
    }]});
    let path = dir.join("border_dense.geojson");
    std::fs::write(&path, fc.to_string()).expect("writes the dense border");
    let project = Project {
        border: Source::File(path),
        ..Project::embedded()
    };
    Dataset::load(&project).expect("the dense border loads")
}

/// The 256 px tile frame at zoom `z` holding km 1,750 of the border (near Torkham).
fn frame_on_border(data: &Dataset, z: u8) -> Frame {
    let p = data
        .border
        .interpolate(1750.0)
        .expect("km 1750 is on the border");
    TileId::containing(p, z).expect("zoom in range").frame(256)
}

fn frames(c: &mut Criterion) {
    let style = Style::default_style();
    let fonts = Fonts::embedded();
    let shipped = Dataset::load(&Project::embedded()).expect("the shipped data loads");
    let tmp = tempfile::tempdir().expect("a temporary directory");
    let dense = denser(&shipped, tmp.path());

    let mut g = c.benchmark_group("scene");
    g.sample_size(20);
    g.bench_function("build_shipped", |b| {
        b.iter(|| {
            black_box(
                Scene::new(&shipped, &style, &fonts, 1.0, None)
                    .incidents
                    .len(),
            )
        })
    });
    g.finish();

    let mut g = c.benchmark_group("frame_256");
    g.sample_size(30);
    for (name, data) in [("shipped", &shipped), ("dense10x", &dense)] {
        let scene = Scene::new(data, &style, &fonts, 1.0, None);
        for z in [4u8, 8, 10, 12, 14] {
            let frame = frame_on_border(data, z);
            let plan = Plan::world(&scene, frame.m_per_px());
            // Warm the level's geometry and the ticks once, as a tile run would.
            let mut pm = tiny_skia::Pixmap::new(256, 256).expect("256 px");
            draw_map(
                &scene,
                &frame,
                &mut SkiaPainter::new(pm.as_mut(), &fonts),
                &plan,
                None,
            );
            g.bench_function(format!("{name}_z{z}"), |b| {
                b.iter(|| {
                    pm.fill(style.base.background.color());
                    let mut p = SkiaPainter::new(pm.as_mut(), &fonts);
                    black_box(draw_map(&scene, &frame, &mut p, &plan, None).legend.border)
                })
            });
        }
        if name == "shipped" {
            // A frame far from the border (the Hindu Kush north of Kabul).
            let frame = TileId::containing(LonLat::new(69.0, 35.6), 10)
                .expect("zoom in range")
                .frame(256);
            let plan = Plan::world(&scene, frame.m_per_px());
            let mut pm = tiny_skia::Pixmap::new(256, 256).expect("256 px");
            g.bench_function("shipped_z10_off_border", |b| {
                b.iter(|| {
                    pm.fill(style.base.background.color());
                    let mut p = SkiaPainter::new(pm.as_mut(), &fonts);
                    black_box(draw_map(&scene, &frame, &mut p, &plan, None).legend.border)
                })
            });
        }
    }
    g.finish();

    let mut g = c.benchmark_group("world_plan");
    g.sample_size(20);
    let scene = Scene::new(&shipped, &style, &fonts, 1.0, None);
    for z in [4u8, 10, 14] {
        let res = frame_on_border(&shipped, z).m_per_px();
        g.bench_function(format!("shipped_z{z}"), |b| {
            b.iter(|| black_box(Plan::world(&scene, res).labels.len()))
        });
    }
    g.finish();
}

fn static_map(c: &mut Criterion) {
    let style = Style::default_style();
    let fonts = Fonts::embedded();
    let shipped = Dataset::load(&Project::embedded()).expect("the shipped data loads");
    let mut g = c.benchmark_group("static_1600x1000");
    g.sample_size(20);
    let s = spec();
    g.bench_function("shipped_draw", |b| {
        b.iter(|| black_box(render(&shipped, &style, &fonts, &s).map(|r| r.pixmap)))
    });
    let map = render(&shipped, &style, &fonts, &s).expect("renders");
    g.bench_function("shipped_encode", |b| {
        b.iter(|| black_box(png::encode(&map.pixmap).map(|v| v.len())))
    });

    let data_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/bench/data");
    if data_dir.is_dir() {
        let project = Project {
            posts: Some(Source::File(data_dir.join("border_points.geojson"))),
            basemap: Some(Source::File(data_dir.join("countries.geojson"))),
            ..Project::new(Source::File(data_dir.join("afg_pak_border.geojson")))
        };
        let data = Dataset::load(&project).expect("the anchor workload loads");
        // The workload's extent_3857 drawn edge to edge, as Mapnik does (no furniture).
        let frame = Frame {
            extent: [6_640_981.713, 3_374_126.009, 8_430_981.928, 4_492_876.143],
            viewport: PxRect::new(0.0, 0.0, 1600.0, 1000.0),
        };
        g.bench_function("anchor_draw", |b| {
            b.iter(|| {
                let scene = Scene::new(&data, &style, &fonts, 1.0, None);
                black_box(render_bare(&scene, &frame).map(|p| p.width()))
            })
        });
        let scene = Scene::new(&data, &style, &fonts, 1.0, None);
        let pixmap = render_bare(&scene, &frame).expect("renders");
        g.bench_function("anchor_encode", |b| {
            b.iter(|| black_box(png::encode(&pixmap).map(|v| v.len())))
        });
    }
    g.finish();
}

criterion_group!(benches, frames, static_map);
criterion_main!(benches);
