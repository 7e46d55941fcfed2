//! Stretches of border where a km-range incident was reported.

use super::border::{runs_px, stroke_runs};
use crate::projection::Frame;
use crate::render::paint::Painter;
use crate::scene::Scene;

/// Draws every highlighted stretch in the frame; returns whether any was drawn.
pub fn draw(scene: &Scene<'_>, frame: &Frame, p: &mut dyn Painter) -> bool {
    let b = &scene.style.border;
    let mut drew = false;
    for h in &scene.highlights {
        let runs = runs_px(scene, frame, &h.line);
        if !runs.is_empty() {
            stroke_runs(p, &runs, b.highlight, b.highlight_width * scene.scale);
            drew = true;
        }
    }
    drew
}
