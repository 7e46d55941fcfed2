//! Towns and cities: a dot, larger and ringed for the first rank.

use tiny_skia::PathBuilder;

use crate::render::LegendItems;
use crate::render::paint::Painter;
use crate::scene::Scene;
use crate::style::Rgba;

/// Draws place `i` at `at`.
pub fn draw(
    scene: &Scene<'_>,
    i: usize,
    (x, y): (f32, f32),
    p: &mut dyn Painter,
    legend: &mut LegendItems,
) {
    let Some(place) = scene.data.places.get(i) else {
        return;
    };
    let st = &scene.style.places;
    let r = (st.size + if place.rank <= 1 { 1.5 } else { 0.0 }) * scene.scale;
    if let Some(path) = PathBuilder::from_circle(x, y, r) {
        p.fill(&path, st.color);
        if place.rank <= 1 {
            p.stroke(&path, Rgba([255, 255, 255, 255]), 1.2 * scene.scale);
        }
    }
    legend.places = true;
}
