//! Border posts, crossings and passes, by kind.

use crate::projection::Frame;
use crate::render::LegendItems;
use crate::render::paint::Painter;
use crate::render::symbols;
use crate::scene::Scene;

/// Draws a post symbol of `kind` at `at` with radius `r` (pixels), as on the map; the map,
/// the legend and the chart's strip share it.
pub fn symbol(
    p: &mut dyn Painter,
    st: &crate::style::Posts,
    kind: &str,
    (x, y): (f32, f32),
    r: f32,
    s: f32,
) {
    let (path, filled) = symbols::post(kind, st.symbol, x, y, r);
    if let Some(path) = path {
        p.fill(&path, if filled { st.color } else { st.fill });
        p.stroke(&path, st.color, st.stroke_width * s);
    }
}

/// The radius in pixels of the area within which post `i`'s place is known, when stated.
fn ring_px(scene: &Scene<'_>, frame: &Frame, i: usize) -> Option<f32> {
    let post = scene.data.posts.get(i)?;
    let m = post.precision_m?;
    Some((m / (frame.m_per_px() * post.at.lat.to_radians().cos())) as f32)
}

/// How far from its centre post `i` draws.
pub fn reach(scene: &Scene<'_>, frame: &Frame, i: usize) -> f32 {
    let symbol = 4.0 * (scene.style.places.size + scene.style.posts.size) * scene.scale;
    ring_px(scene, frame, i).map_or(symbol, |r| r.max(symbol) + 4.0 * scene.scale)
}

/// Draws post `i` at `at`: its symbol, and a dashed ring where its place is known only to
/// within a distance wider than the symbol (a post known to ±25 km is not a point).
pub fn draw(
    scene: &Scene<'_>,
    frame: &Frame,
    i: usize,
    (x, y): (f32, f32),
    p: &mut dyn Painter,
    legend: &mut LegendItems,
) {
    let Some(post) = scene.data.posts.get(i) else {
        return;
    };
    let st = &scene.style.posts;
    let r = st.size * scene.scale * 0.8;
    if let Some(ring) = ring_px(scene, frame, i) {
        super::incidents::uncertainty_ring(scene, (x, y), ring, 2.0 * r, p, legend);
    }
    let kind = post.kind.as_deref().unwrap_or("post");
    symbol(p, st, kind, (x, y), r, scene.scale);
    legend.post_kinds.insert(kind.to_string());
}
