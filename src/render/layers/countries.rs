//! Country fills and outlines.

use tiny_skia::{FillRule, PathBuilder};

use super::to_px;
use crate::projection::Frame;
use crate::render::clip;
use crate::render::paint::{Painter, push_poly};
use crate::scene::Scene;
use crate::scene::geometry::frame_box;

/// One country's rings in pixels (exteriors and holes).
pub type CountryRings = Vec<Vec<(f32, f32)>>;

/// Per country (dataset order), its rings in the frame's pixels, clipped just outside it.
pub fn rings_px(scene: &Scene<'_>, frame: &Frame) -> Vec<CountryRings> {
    rings_px_within(scene, frame, 8.0 * scene.scale)
}

/// Per country, its rings in the frame's pixels, clipped `margin` pixels outside it.
pub fn rings_px_within(scene: &Scene<'_>, frame: &Frame, margin: f32) -> Vec<CountryRings> {
    let level = scene.level(frame.m_per_px());
    let clip_m = frame_box(frame, margin);
    let clip_px = frame.viewport.inflate(margin);
    level
        .countries
        .iter()
        .map(|rings| {
            rings
                .iter()
                .filter(|r| r.touches(&clip_m))
                .filter_map(|r| {
                    let pts = clip::clip_ring(&to_px(frame, &r.ring_in(&clip_m)), &clip_px);
                    (pts.len() >= 3).then_some(pts)
                })
                .collect()
        })
        .collect()
}

/// Fills each country in its colour (even-odd, so holes stay holes), then strokes all
/// outlines at once.
pub fn draw(scene: &Scene<'_>, p: &mut dyn Painter, rings: &[CountryRings]) {
    let b = &scene.style.base;
    let mut outlines = PathBuilder::new();
    for (i, country) in rings.iter().enumerate() {
        let Some(fill) = scene.base.country_fill(i) else {
            continue;
        };
        let mut pb = PathBuilder::new();
        for pts in country {
            push_poly(&mut pb, pts, true);
            push_poly(&mut outlines, pts, true);
        }
        if let Some(path) = pb.finish() {
            // The outline drawn on top covers every edge, so the fill needs no
            // anti-aliasing: that skips tiny-skia's supersampling of the whole area.
            let aa = b.outline_width * scene.scale < 0.5;
            p.fill_path(&path, fill, FillRule::EvenOdd, aa);
        }
    }
    if let Some(path) = outlines.finish() {
        p.stroke(&path, b.outline, b.outline_width * scene.scale);
    }
}
