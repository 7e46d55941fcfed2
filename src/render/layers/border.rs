//! The border line: a light casing under a dark line.

use super::to_px;
use crate::linref::checks::LONG_BRIDGE_KM;
use crate::projection::Frame;
use crate::projection::to_mercator;
use crate::render::clip;
use crate::render::paint::Painter;
use crate::scene::Scene;
use crate::scene::geometry::{Chunked, frame_box};

/// The parts of `line` inside the frame (with a margin), in the frame's pixels.
pub fn runs_px(scene: &Scene<'_>, frame: &Frame, line: &Chunked) -> Vec<Vec<(f32, f32)>> {
    let margin = 8.0 * scene.scale;
    let clip_m = frame_box(frame, margin);
    if !line.touches(&clip_m) {
        return Vec::new();
    }
    let clip_px = frame.viewport.inflate(margin);
    line.runs_in(&clip_m)
        .into_iter()
        .flat_map(|run| clip::clip_line(&to_px(frame, run), &clip_px))
        .collect()
}

/// Strokes `runs` as one line.
pub fn stroke_runs(
    p: &mut dyn Painter,
    runs: &[Vec<(f32, f32)>],
    color: crate::style::Rgba,
    width: f32,
) {
    if !runs.is_empty() {
        p.polylines(runs, color, width);
    }
}

/// Draws the border; returns whether any of it is in the frame, and whether a long
/// bridge over a gap in the source data is (drawn dashed over the casing: not border).
pub fn draw(scene: &Scene<'_>, frame: &Frame, p: &mut dyn Painter) -> (bool, bool) {
    let level = scene.level(frame.m_per_px());
    let runs = runs_px(scene, frame, &level.border);
    let b = &scene.style.border;
    let s = scene.scale;
    stroke_runs(p, &runs, b.casing, b.casing_width * s);
    stroke_runs(p, &runs, b.color, b.width * s);
    let clip_px = frame.viewport.inflate(8.0 * s);
    let mut gap = false;
    for bridge in scene
        .data
        .border
        .bridges()
        .iter()
        .filter(|g| g.gap_km > LONG_BRIDGE_KM)
    {
        let ends = [to_mercator(bridge.from), to_mercator(bridge.to)];
        for run in clip::clip_line(&to_px(frame, &ends), &clip_px) {
            let [a, z] = [run[0], run[run.len() - 1]];
            if let Some(path) = crate::render::paint::segment(a, z) {
                p.stroke(&path, b.casing, b.casing_width * s);
                p.stroke_dashed(&path, b.color, b.width * 0.6 * s, &[5.0 * s, 4.0 * s]);
                gap = true;
            }
        }
    }
    (!runs.is_empty(), gap)
}
