//! The scale bar: a round length in km, in a map corner the border does not cross.

use super::{Context, WHITE};
use crate::projection::{Frame, PxRect};
use crate::render::clip;
use crate::render::paint::Painter;
use crate::render::text::Weight;
use crate::style::Rgba;

/// A round length near `target` km: 1, 2 or 5 times a power of ten.
pub fn nice_km(target: f64) -> f64 {
    let p = 10f64.powf(target.log10().floor());
    [5.0, 2.0, 1.0]
        .into_iter()
        .map(|m| m * p)
        .find(|v| *v <= target)
        .unwrap_or(p)
}

/// Where the scale bar goes: its length in km and pixels, its bar origin, its box.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScaleBar {
    km: f64,
    len: f32,
    x0: f32,
    y0: f32,
    /// The white box behind it, which labels avoid.
    pub rect: PxRect,
}

/// Lays out the scale bar in the first map corner (bottom-left, bottom-right, top-right)
/// that the border line does not cross.
pub fn layout(frame: &Frame, s: f32, border: &[Vec<(f32, f32)>]) -> ScaleBar {
    let v = frame.viewport;
    let km_per_px = frame.km_per_px_at_centre();
    let km = nice_km(f64::from(v.w * 0.2) * km_per_px);
    let len = (km / km_per_px) as f32;
    let (bw, bh) = (len + 62.0 * s, 36.0 * s);
    let corners = [
        (v.x + 10.0 * s, v.bottom() - bh - 10.0 * s),
        (v.right() - bw - 10.0 * s, v.bottom() - bh - 10.0 * s),
        (v.right() - bw - 10.0 * s, v.y + 10.0 * s),
    ];
    let crosses = |r: &PxRect| {
        border
            .iter()
            .any(|line| !clip::clip_line(line, &r.inflate(4.0 * s)).is_empty())
    };
    let (bx, by) = corners
        .iter()
        .copied()
        .find(|&(x, y)| !crosses(&PxRect::new(x, y, bw, bh)))
        .unwrap_or(corners[0]);
    ScaleBar {
        km,
        len,
        x0: bx + 8.0 * s,
        y0: by + 24.0 * s,
        rect: PxRect::new(bx, by, bw, bh),
    }
}

/// Draws the scale bar.
pub fn draw(p: &mut dyn Painter, ctx: &Context<'_>, bar: &ScaleBar) {
    let st = ctx.style;
    let s = ctx.s();
    let ScaleBar {
        km,
        len,
        x0,
        y0,
        rect,
    } = *bar;
    p.fill_rect(rect, Rgba([255, 255, 255, 210]));
    let h = 5.0 * s;
    p.fill_rect(PxRect::new(x0, y0, len, h), st.text.color);
    p.fill_rect(
        PxRect::new(x0 + len / 4.0, y0 + 1.0 * s, len / 4.0, h - 2.0 * s),
        WHITE,
    );
    p.fill_rect(
        PxRect::new(x0 + 3.0 * len / 4.0, y0 + 1.0 * s, len / 4.0, h - 2.0 * s),
        WHITE,
    );
    let fmt = |v: f64| {
        if v.fract() == 0.0 {
            format!("{v:.0}")
        } else {
            format!("{v}")
        }
    };
    for (frac, label) in [
        (0.0, "0".to_string()),
        (0.5, fmt(km / 2.0)),
        (1.0, format!("{} km", fmt(km))),
    ] {
        let shaped = ctx.shape(&label, Weight::Regular, st.text.small_size);
        let x = x0 + len * frac
            - if frac == 1.0 {
                8.0 * s
            } else {
                shaped.width / 2.0
            };
        p.text(&shaped, x, y0 - 5.0 * s, st.text.color, None);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_lengths_are_round() {
        assert_eq!(nice_km(237.0), 200.0);
        assert_eq!(nice_km(99.0), 50.0);
        assert_eq!(nice_km(7.3), 5.0);
        assert_eq!(nice_km(1.0), 1.0);
    }
}
