//! The border line: a light casing under a dark line.

use super::to_px;
use crate::linref::status::Status;
use crate::projection::Frame;
use crate::render::clip;
use crate::render::dashes;
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

/// What the border layer drew, for the legend.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BorderDrawn {
    /// Any of the border is in the frame.
    pub border: bool,
    /// A long bridge over a gap in the source data is.
    pub gap: bool,
    /// Disputed or de facto stretches are.
    pub statuses: std::collections::BTreeSet<Status>,
}

/// Draws the border: a light casing under a dark line; disputed or de facto stretches and
/// bridges over gaps in the source data dashed over the casing (laid from each line's start,
/// so tiles agree).
pub fn draw(scene: &Scene<'_>, frame: &Frame, p: &mut dyn Painter) -> BorderDrawn {
    let level = scene.level(frame.m_per_px());
    let runs = runs_px(scene, frame, &level.border);
    let b = &scene.style.border;
    let s = scene.scale;
    stroke_runs(p, &runs, b.casing, b.casing_width * s);
    stroke_runs(p, &runs, b.color, b.width * s);
    let mut out = BorderDrawn {
        border: !runs.is_empty(),
        ..BorderDrawn::default()
    };
    let bounds = frame.viewport.inflate(8.0 * s);
    let lines = scene
        .base
        .status_lines
        .iter()
        .map(|(st, line)| (Some(*st), line))
        .chain(scene.base.gap_lines.iter().map(|line| (None, line)));
    for (status, line) in lines {
        let px = to_px(frame, line);
        let covered: Vec<Vec<(f32, f32)>> = clip::clip_line(&px, &bounds);
        if covered.is_empty() {
            continue;
        }
        let [on, off] = status.map_or([5.0, 4.0], Status::dashes);
        let width = if status.is_some() {
            b.width
        } else {
            b.width * 0.6
        };
        let dashes = dashes::dashes(&px, on * s, off * s, bounds);
        stroke_runs(p, &covered, b.casing, b.casing_width * s);
        stroke_runs(p, &dashes, b.color, width * s);
        match status {
            Some(st) => {
                out.statuses.insert(st);
            }
            None => out.gap = true,
        }
    }
    out
}
