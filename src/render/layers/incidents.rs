//! Incidents: a symbol by kind, sized by area to the largest single claim, its key
//! number, and a dashed ring where the place is known only roughly.

use tiny_skia::PathBuilder;

use crate::projection::Frame;
use crate::render::LegendItems;
use crate::render::paint::Painter;
use crate::render::symbols;
use crate::render::text::Weight;
use crate::scene::Scene;
use crate::style::{Rgba, Symbol};

/// The uncertainty ring's radius in pixels at the incident's own latitude (Mercator
/// stretches by 1/cos φ), so every frame of one resolution agrees.
fn ring_px(scene: &Scene<'_>, frame: &Frame, i: usize) -> Option<f32> {
    let x = scene.incidents.get(i)?;
    let (m, at) = (x.precision_m?, x.at?);
    let m_per_px_ground = frame.m_per_px() * at.lat.to_radians().cos();
    Some((m / m_per_px_ground) as f32)
}

/// The dashed ring of the area within which a place is known, when it is wider than the
/// symbol of radius `r`.
pub fn uncertainty_ring(
    scene: &Scene<'_>,
    (px, py): (f32, f32),
    ring: f32,
    r: f32,
    p: &mut dyn Painter,
    legend: &mut LegendItems,
) {
    let (st, s) = (&scene.style.incidents, scene.scale);
    if ring > r * 1.2
        && let Some(path) = PathBuilder::from_circle(px, py, ring)
    {
        let mut fill = st.precision_ring;
        fill.0[3] = 28;
        p.fill(&path, fill);
        p.stroke_dashed(&path, st.precision_ring, 1.2 * s, &[4.0 * s, 3.0 * s]);
        legend.precision_ring = true;
    }
}

/// How far from its centre incident `i` draws.
pub fn reach(scene: &Scene<'_>, frame: &Frame, i: usize) -> f32 {
    let r = scene
        .incidents
        .get(i)
        .map_or(0.0, |x| scene.incident_radius(x));
    ring_px(scene, frame, i).unwrap_or(0.0).max(r) + 4.0 * scene.scale
}

/// Draws incident `i` at `at`.
pub fn draw(
    scene: &Scene<'_>,
    frame: &Frame,
    i: usize,
    (px, py): (f32, f32),
    p: &mut dyn Painter,
    legend: &mut LegendItems,
) {
    let Some(x) = scene.incidents.get(i) else {
        return;
    };
    let s = scene.scale;
    let (kind, ks) = scene.style.kind(&x.incident.kind);
    let r = scene.incident_radius(x);
    if let Some(ring) = ring_px(scene, frame, i) {
        uncertainty_ring(scene, (px, py), ring, r, p, legend);
    }
    if let Some(path) = symbols::path(ks.symbol, px, py, r) {
        p.fill(&path, ks.color);
        p.stroke(&path, Rgba([255, 255, 255, 255]), 1.6 * s);
        if ks.symbol == Symbol::Bar
            && let Some(bar) = crate::render::paint::segment((px - r * 0.6, py), (px + r * 0.6, py))
        {
            p.stroke(&bar, Rgba([255, 255, 255, 255]), 2.4 * s);
        }
    }
    // The number ties the symbol to its card in the key.
    let num = p
        .fonts()
        .shape(&x.number.to_string(), Weight::Bold, 10.5 * s);
    p.text(
        &num,
        px - num.width / 2.0,
        py + num.ascent * 0.36,
        Rgba([255, 255, 255, 255]),
        Some((ks.color, 1.2 * s)),
    );
    legend.kinds.insert(kind.to_string());
}
