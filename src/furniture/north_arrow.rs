//! The north arrow, top left of the map.

use tiny_skia::PathBuilder;

use super::{Context, WHITE};
use crate::projection::{Frame, PxRect};
use crate::render::paint::Painter;
use crate::render::text::Weight;

/// The north arrow's box (top-left of the map), which labels avoid.
pub fn area(frame: &Frame, s: f32) -> PxRect {
    let v = frame.viewport;
    PxRect::new(v.x + 16.0 * s, v.y + 8.0 * s, 20.0 * s, 40.0 * s)
}

/// Draws the north arrow.
pub fn draw(p: &mut dyn Painter, ctx: &Context<'_>) {
    let s = ctx.s();
    let v = ctx.frame.viewport;
    let (x, y) = (v.x + 26.0 * s, v.y + 22.0 * s);
    let mut pb = PathBuilder::new();
    pb.move_to(x, y - 9.0 * s);
    pb.line_to(x + 6.0 * s, y + 8.0 * s);
    pb.line_to(x, y + 4.0 * s);
    pb.line_to(x - 6.0 * s, y + 8.0 * s);
    pb.close();
    if let Some(path) = pb.finish() {
        p.fill(&path, ctx.style.text.color);
        p.stroke(&path, WHITE, 1.0 * s);
    }
    let n = ctx.shape("N", Weight::Bold, 11.0);
    p.text(
        &n,
        x - n.width / 2.0,
        y + 22.0 * s,
        ctx.style.text.color,
        Some((WHITE, 1.5 * s)),
    );
}
