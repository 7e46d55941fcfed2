//! Groups of incidents at one place: one circle with their count, in their kind's colour
//! when they share one, else a neutral dark grey; the widest uncertainty ring of its members.

use crate::projection::Frame;
use crate::render::LegendItems;
use crate::render::paint::Painter;
use crate::render::plan::{Plan, cluster_radius};
use crate::render::symbols;
use crate::render::text::Weight;
use crate::scene::Scene;
use crate::style::{Rgba, Symbol};

/// The fill of a group whose members differ in kind.
pub const MIXED: Rgba = Rgba([59, 59, 59, 255]);

fn ring_px(scene: &Scene<'_>, frame: &Frame, members: &[usize]) -> Option<f32> {
    members
        .iter()
        .filter_map(|&i| {
            let x = scene.incidents.get(i)?;
            let (m, at) = (x.precision_m?, x.at?);
            Some((m / (frame.m_per_px() * at.lat.to_radians().cos())) as f32)
        })
        .reduce(f32::max)
}

/// How far from its centre group `c` draws.
pub fn reach(scene: &Scene<'_>, frame: &Frame, plan: &Plan, c: usize) -> f32 {
    let members = plan.clusters.get(c).map_or(&[][..], Vec::as_slice);
    let r = cluster_radius(scene, members);
    ring_px(scene, frame, members).unwrap_or(0.0).max(r) + 4.0 * scene.scale
}

/// Draws group `c` of `plan` at `at`.
pub fn draw(
    scene: &Scene<'_>,
    frame: &Frame,
    plan: &Plan,
    c: usize,
    (px, py): (f32, f32),
    p: &mut dyn Painter,
    legend: &mut LegendItems,
) {
    let Some(members) = plan.clusters.get(c) else {
        return;
    };
    let s = scene.scale;
    let r = cluster_radius(scene, members);
    if let Some(ring) = ring_px(scene, frame, members) {
        super::incidents::uncertainty_ring(scene, (px, py), ring, r, p, legend);
    }
    let kinds: Vec<&str> = members
        .iter()
        .map(|&i| scene.style.kind(&scene.incidents[i].incident.kind).0)
        .collect();
    let color = if kinds.windows(2).all(|w| w[0] == w[1]) {
        scene
            .style
            .kind(&scene.incidents[members[0]].incident.kind)
            .1
            .color
    } else {
        MIXED
    };
    if let Some(path) = symbols::path(Symbol::Circle, px, py, r) {
        p.fill(&path, color);
        p.stroke(&path, Rgba([255, 255, 255, 255]), 2.0 * s);
    }
    let num = p
        .fonts()
        .shape(&members.len().to_string(), Weight::Bold, 11.5 * s);
    p.text(
        &num,
        px - num.width / 2.0,
        py + num.ascent * 0.36,
        Rgba([255, 255, 255, 255]),
        None,
    );
    for k in kinds {
        legend.kinds.insert(k.to_string());
    }
    legend.clusters = true;
}
