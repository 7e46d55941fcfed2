//! Benchmark: drawing and PNG-encoding the 1600×1000 map, separately.
//!
//! Two workloads: the shipped data (17,015-vertex border, 51,501-vertex base map, 15 posts,
//! 24 places, 4 incidents, full furniture), and the Mapnik anchor workload in
//! `../shared/bench/data` (580-vertex border, 32,666-vertex countries, 20 labelled points)
//! framed on its `extent_3857` when that folder is present. Data loading is done once,
//! outside the timings, as in the Mapnik benchmark. Run with `cargo bench --bench render`.

#![expect(
    missing_docs,
    reason = "criterion_group! generates an undocumented function"
)]

use std::hint::black_box;
use std::path::Path;

use bordermap::Dataset;
use bordermap::config::{Project, Source};
use bordermap::projection::{Frame, PxRect};
use bordermap::render::text::Fonts;
use bordermap::render::{MapSpec, View, png, render};
use bordermap::style::Style;
use criterion::{Criterion, criterion_group, criterion_main};

fn spec(view: View) -> MapSpec {
    MapSpec {
        width: 1600,
        height: 1000,
        scale: 1.0,
        view,
        dates: None,
        title: None,
        furniture: true,
    }
}

fn bench(c: &mut Criterion) {
    let style = Style::default_style();
    let fonts = Fonts::embedded();
    let shipped = Dataset::load(&Project::embedded()).expect("the shipped data loads");
    let mut g = c.benchmark_group("static_1600x1000");
    g.sample_size(20);
    let s = spec(View::Border);
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
        let s = MapSpec {
            furniture: false,
            ..spec(View::Frame(frame))
        };
        g.bench_function("anchor_draw", |b| {
            b.iter(|| black_box(render(&data, &style, &fonts, &s).map(|r| r.pixmap)))
        });
        let map = render(&data, &style, &fonts, &s).expect("renders");
        g.bench_function("anchor_encode", |b| {
            b.iter(|| black_box(png::encode(&map.pixmap).map(|v| v.len())))
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
