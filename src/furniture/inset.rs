//! The locator inset: where the map lies in the wider region.

use tiny_skia::{FillRule, PathBuilder, Rect};

use super::{Context, WHITE};
use crate::model::LonLat;
use crate::projection::{Frame, PxRect};
use crate::render::paint::{Painter, push_poly, round_stroke};
use crate::render::text::Weight;

/// Draws the locator inset in `r`: the countries around, and the map's area outlined.
pub fn draw(p: &mut dyn Painter, ctx: &Context<'_>, r: PxRect) {
    let st = ctx.style;
    let s = ctx.s();
    let b = ctx.frame.lonlat_bbox();
    let (cx, cy) = ((b[0] + b[2]) / 2.0, (b[1] + b[3]) / 2.0);
    let (hw, hh) = (
        ((b[2] - b[0]) * 1.3).max(6.0),
        ((b[3] - b[1]) * 1.3).max(4.0),
    );
    let region = [cx - hw, (cy - hh).max(-80.0), cx + hw, (cy + hh).min(80.0)];
    let frame = Frame::fit(region, r, 0.0);
    p.fill_rect(r, st.base.background);
    let rings = crate::render::layers::countries::rings_px_within(ctx.scene, &frame, 0.0);
    for (i, country) in rings.iter().enumerate() {
        let Some(fill) = ctx.scene.base.country_fill(i) else {
            continue;
        };
        let mut pb = PathBuilder::new();
        for pts in country {
            push_poly(&mut pb, pts, true);
        }
        if let Some(path) = pb.finish() {
            p.fill_path(&path, fill, FillRule::EvenOdd, true);
            p.stroke(&path, st.base.outline, 0.5 * s);
        }
    }
    let (x0, y0) = frame.to_px(LonLat::new(b[0], b[3]));
    let (x1, y1) = frame.to_px(LonLat::new(b[2], b[1]));
    if let Some(rect) = Rect::from_ltrb(
        x0.max(r.x),
        y0.max(r.y),
        x1.min(r.right()),
        y1.min(r.bottom()),
    ) {
        let path = PathBuilder::from_rect(rect);
        p.stroke(&path, st.border.color, 1.8 * s);
    }
    if let Some(rect) = Rect::from_xywh(r.x, r.y, r.w, r.h) {
        p.stroke_path(
            &PathBuilder::from_rect(rect),
            st.text.panel_rule,
            &round_stroke(1.0 * s),
        );
    }
    let label = ctx.shape("Area shown", Weight::Regular, st.text.small_size - 1.0);
    p.text(
        &label,
        r.x + 5.0 * s,
        r.bottom() - 6.0 * s,
        st.text.muted,
        Some((WHITE, 1.5 * s)),
    );
}
