//! The key's continuation band below the map: the compact rows that did not fit the panel,
//! in columns across the canvas. The canvas grows by the band's height.

use super::{Context, Listed, key};
use crate::projection::PxRect;
use crate::render::paint::Painter;
use crate::render::text::Weight;

/// Column width of the band (unscaled): about the panel's.
const COLUMN: f32 = 360.0;

/// The band's columns: their width, the rows each holds (indices into `rows`), and each
/// row's height.
fn columns(ctx: &Context<'_>, rows: &[Listed<'_>], width: f32) -> (f32, Vec<Vec<usize>>, Vec<f32>) {
    let s = ctx.s();
    let size = ctx.style.text.small_size;
    let gap = 24.0 * s;
    let n = (((width + gap) / (COLUMN * s + gap)).floor() as usize).clamp(1, rows.len().max(1));
    let col_w = (width - gap * (n as f32 - 1.0)) / n as f32;
    let heights: Vec<f32> = rows
        .iter()
        .map(|r| {
            key::row_lines(ctx, r, col_w, size)
                .iter()
                .map(|l| l.size_line())
                .sum::<f32>()
                + 3.0 * s
        })
        .collect();
    let total: f32 = heights.iter().sum();
    // Column by column, each filled to the average (in reading order, by number).
    let target = total / n as f32;
    let mut cols: Vec<Vec<usize>> = vec![Vec::new()];
    let mut h = 0.0;
    for (i, rh) in heights.iter().enumerate() {
        if h > 0.0 && h + rh / 2.0 > target && cols.len() < n {
            cols.push(Vec::new());
            h = 0.0;
        }
        cols.last_mut().expect("one column at least").push(i);
        h += rh;
    }
    (col_w, cols, heights)
}

/// The band's height for `rows` across `width` (0 without rows).
pub fn height(ctx: &Context<'_>, rows: &[Listed<'_>], width: f32) -> f32 {
    if rows.is_empty() {
        return 0.0;
    }
    let s = ctx.s();
    let (_, cols, heights) = columns(ctx, rows, width - 44.0 * s);
    let tallest = cols
        .iter()
        .map(|c| c.iter().map(|&i| heights[i]).sum::<f32>())
        .fold(0.0, f32::max);
    let title = ctx.shape("Key, continued", Weight::Bold, ctx.style.text.body_size);
    14.0 * s + title.size_line() + 6.0 * s + tallest + 10.0 * s
}

/// Draws the band in `rect`.
pub fn draw(p: &mut dyn Painter, ctx: &Context<'_>, rect: PxRect, rows: &[Listed<'_>]) {
    let st = ctx.style;
    let s = ctx.s();
    p.fill_rect(rect, st.text.panel_fill);
    p.hline(
        rect.x,
        rect.right(),
        rect.y + 0.5 * s,
        st.text.panel_rule,
        1.0 * s,
    );
    let x0 = rect.x + 22.0 * s;
    let title = ctx.shape("Key, continued", Weight::Bold, st.text.body_size);
    let mut top = rect.y + 14.0 * s;
    p.text(&title, x0, top + title.ascent, st.text.color, None);
    top += title.size_line() + 6.0 * s;
    let (col_w, cols, _) = columns(ctx, rows, rect.w - 44.0 * s);
    let gap = 24.0 * s;
    for (c, col) in cols.iter().enumerate() {
        let x = x0 + c as f32 * (col_w + gap);
        let items: Vec<Listed<'_>> = col.iter().map(|&i| rows[i]).collect();
        key::draw_rows(p, ctx, (x, col_w), top, &items, st.text.small_size);
    }
}
