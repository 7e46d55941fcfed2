//! Benchmark: locating points against the shipped 17,015-vertex border on one core.
//!
//! Two workloads of 1,000,000 points each, generated without randomness: a 1000×1000
//! lattice over the border's bounding box (points up to ~400 km from the line), and
//! points within ±5 km of the line (where incidents and posts are). Run with
//! `cargo bench --bench linref`.

#![expect(
    missing_docs,
    reason = "criterion_group! generates an undocumented function"
)]

use std::hint::black_box;

use bordermap::config::Project;
use bordermap::{Dataset, LonLat};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn lattice(b: [f64; 4], n: usize) -> Vec<LonLat> {
    let mut pts = Vec::with_capacity(n * n);
    for i in 0..n {
        for j in 0..n {
            let x = b[0] + (b[2] - b[0]) * (i as f64 + 0.5) / n as f64;
            let y = b[1] + (b[3] - b[1]) * (j as f64 + 0.5) / n as f64;
            pts.push(LonLat::new(x, y));
        }
    }
    pts
}

fn near_line(data: &Dataset, n: usize) -> Vec<LonLat> {
    let len = data.border.length_km();
    (0..n)
        .map(|i| {
            // Golden-ratio stepping spreads the km evenly; the offset cycles over ±0.045°.
            let km = (i as f64 * 0.618_033_988_75).fract() * len;
            let p = data.border.interpolate(km).expect("km within the border");
            let d = ((i % 19) as f64 - 9.0) * 0.005;
            LonLat::new(p.lon + d, p.lat - d)
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let data = Dataset::load(&Project::embedded()).expect("the shipped data loads");
    let grid = lattice(data.border.bbox(), 1000);
    let near = near_line(&data, 1_000_000);
    let mut g = c.benchmark_group("locate_1m");
    g.sample_size(10);
    g.throughput(Throughput::Elements(1_000_000));
    g.bench_function("lattice_over_bbox", |b| {
        b.iter(|| {
            let mut sum = 0.0;
            for p in &grid {
                sum += data.border.locate(*p).along_km;
            }
            black_box(sum)
        })
    });
    g.bench_function("within_5km_of_line", |b| {
        b.iter(|| {
            let mut sum = 0.0;
            for p in &near {
                sum += data.border.locate(*p).along_km;
            }
            black_box(sum)
        })
    });
    g.finish();
    c.bench_function("load_shipped_border", |b| {
        let text = include_str!("../geodata/border.geojson");
        b.iter(|| {
            bordermap::load::border("border.geojson".as_ref(), black_box(text))
                .map(|l| l.border.length_km())
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
