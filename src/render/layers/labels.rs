//! Placed labels: leader lines first, then text with halos.

use crate::projection::Frame;
use crate::render::paint::{Painter, segment};
use crate::render::plan::Plan;
use crate::scene::Scene;
use crate::style::Rgba;

/// Draws the plan's labels that reach the frame.
pub fn draw(scene: &Scene<'_>, frame: &Frame, plan: &Plan, p: &mut dyn Painter) {
    let s = scene.scale;
    let (dx, dy) = plan.offset(frame);
    let halo = (scene.style.text.halo, scene.style.text.halo_width * s);
    let reach = frame.viewport.inflate(halo.1 + 4.0 * s);
    let shift = |(x, y): (f32, f32)| (x + dx, y + dy);
    for l in &plan.labels {
        if let Some((a, b)) = l.leader {
            let (a, b) = (shift(a), shift(b));
            let bx = crate::projection::PxRect::new(
                a.0.min(b.0),
                a.1.min(b.1),
                (a.0 - b.0).abs(),
                (a.1 - b.1).abs(),
            );
            if bx.inflate(3.0 * s).intersects(&reach)
                && let Some(path) = segment(a, b)
            {
                p.stroke(&path, Rgba([255, 255, 255, 200]), 2.6 * s);
                p.stroke(&path, Rgba([70, 70, 70, 255]), 0.9 * s);
            }
        }
    }
    for l in &plan.labels {
        let mut rect = l.rect;
        rect.x += dx;
        rect.y += dy;
        if !rect.intersects(&reach) {
            continue;
        }
        // Text on the left of its anchor is right-aligned, so it hugs the symbol.
        let right_align = !l.centred && l.rect.right() <= l.anchor.0;
        let mut y = rect.y;
        for (shaped, color) in &l.text.lines {
            let x = if l.centred {
                rect.x + (rect.w - shaped.width) / 2.0
            } else if right_align {
                rect.right() - shaped.width
            } else {
                rect.x
            };
            p.text(shaped, x, y + shaped.line_ascent(), *color, Some(halo));
            y += shaped.size_line();
        }
    }
}
