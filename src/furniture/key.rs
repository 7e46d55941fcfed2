//! The key to the numbers on the map: every incident has an entry, whatever the density.
//!
//! The side panel shows full cards while they fit, the main story first (incidents with no
//! place on the map, such as border-wide firefights, then the largest claims). When they do
//! not all fit, the rest become compact rows (number, date, headline, each side's figures)
//! in smaller type, down to [`MIN_ROW_SIZE`]; what still does not fit continues in a band
//! below the map, and the canvas grows to hold it ([`super::band`]). Nothing is left out.

use super::{Context, Listed, cards};
use crate::render::paint::Painter;
use crate::render::text::{Shaped, Weight};
use crate::words;

/// The smallest type a compact row is set in (points at scale 1).
pub const MIN_ROW_SIZE: f32 = 8.0;

/// Which incident goes where in the key (indices into the listed incidents).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct KeyPlan {
    /// Full cards in the panel, in order.
    pub cards: Vec<usize>,
    /// Compact rows in the panel, by number.
    pub rows: Vec<usize>,
    /// The rows' type size (unscaled).
    pub row_size: f32,
    /// Rows continued in the band below the map, by number.
    pub overflow: Vec<usize>,
    /// Whether the panel has room for the line saying the key continues below the map.
    pub note: bool,
}

/// The listed incidents in card order: the main story first (the largest claims, then
/// what has no place on the map, such as border-wide firefights), then by number.
pub fn card_order(incidents: &[Listed<'_>]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..incidents.len()).collect();
    order.sort_by(|&a, &b| {
        let (ia, na, _) = incidents[a];
        let (ib, nb, _) = incidents[b];
        ib.max_claimed_casualties()
            .total_cmp(&ia.max_claimed_casualties())
            .then(drawn(&incidents[a]).cmp(&drawn(&incidents[b])))
            .then(na.cmp(&nb))
    });
    order
}

/// Whether the incident is drawn on the map: a symbol, or a highlighted stretch of border.
fn drawn(inc: &Listed<'_>) -> bool {
    inc.2 || matches!(inc.0.location, crate::model::Location::KmRange { .. })
}

/// Plans the key in a panel column `width` wide and `room` high.
pub fn plan(ctx: &Context<'_>, incidents: &[Listed<'_>], width: f32, room: f32) -> KeyPlan {
    let st = ctx.style;
    let order = card_order(incidents);
    let heights: Vec<f32> = order
        .iter()
        .map(|&i| cards::height(ctx, &cards::block(ctx, incidents[i].0, width)))
        .collect();
    let mut fit = 0;
    let mut used = 0.0;
    for h in &heights {
        if used + h > room {
            break;
        }
        used += h;
        fit += 1;
    }
    if fit == incidents.len() {
        return KeyPlan {
            cards: order,
            row_size: st.text.small_size,
            ..KeyPlan::default()
        };
    }
    let rest_of = |k: usize| {
        let mut rest: Vec<usize> = order[k..].to_vec();
        rest.sort_by_key(|&i| incidents[i].1);
        rest
    };
    let cards_h = |k: usize| heights[..k].iter().sum::<f32>();
    // Larger row type first; within a size, as many cards as leave room for the rows.
    let mut size = st.text.small_size;
    loop {
        for k in (0..=fit).rev() {
            let rest = rest_of(k);
            let rows_h: f32 = rest
                .iter()
                .map(|&i| rows_height(ctx, incidents[i], width, size))
                .sum();
            if cards_h(k) + rows_h <= room {
                return KeyPlan {
                    cards: order[..k].to_vec(),
                    rows: rest,
                    row_size: size,
                    overflow: Vec::new(),
                    note: false,
                };
            }
        }
        if size <= MIN_ROW_SIZE {
            break;
        }
        size = (size - 0.5).max(MIN_ROW_SIZE);
    }
    // Too many for the panel: the main stories as cards, rows at the usual size as far as
    // they go (with a line saying the key continues), the rest below the map.
    let k = fit.min(2);
    let size = st.text.small_size;
    let note = ctx.shape("Key continues below the map", Weight::Bold, size);
    let note_h = note.size_line() + 6.0 * ctx.s();
    let mut used = cards_h(k) + note_h;
    let mut rows = Vec::new();
    let mut overflow = Vec::new();
    for i in rest_of(k) {
        let h = rows_height(ctx, incidents[i], width, size);
        if overflow.is_empty() && used + h <= room {
            used += h;
            rows.push(i);
        } else {
            overflow.push(i);
        }
    }
    KeyPlan {
        cards: order[..k].to_vec(),
        rows,
        row_size: size,
        note: !overflow.is_empty() && used <= room,
        overflow,
    }
}

/// The lines of one compact row: date, headline, each side's figures.
pub fn row_lines(ctx: &Context<'_>, inc: &Listed<'_>, width: f32, size: f32) -> Vec<Shaped> {
    let on_map = drawn(inc);
    let inc = inc.0;
    let mut text = format!(
        "{} · {}",
        words::short_date(inc),
        words::incident_title(inc)
    );
    if !on_map {
        text.push_str(" (not on the map)");
    }
    for line in words::contested_lines(inc) {
        text.push_str(" · ");
        text.push_str(&line.replacen(", all parties:", ":", 1));
    }
    ctx.wrap(&text, Weight::Regular, size, width - indent(ctx, size))
}

fn indent(ctx: &Context<'_>, size: f32) -> f32 {
    (size * 2.2 + 4.0) * ctx.s()
}

fn rows_height(ctx: &Context<'_>, inc: Listed<'_>, width: f32, size: f32) -> f32 {
    row_lines(ctx, &inc, width, size)
        .iter()
        .map(Shaped::size_line)
        .sum::<f32>()
        + 3.0 * ctx.s()
}

/// Draws compact rows from `y` (their top) in a column at `x0`; returns the y below them.
pub fn draw_rows(
    p: &mut dyn Painter,
    ctx: &Context<'_>,
    (x0, width): (f32, f32),
    y: f32,
    rows: &[Listed<'_>],
    size: f32,
) -> f32 {
    let st = ctx.style;
    let s = ctx.s();
    let mut y = y;
    for row in rows {
        let (inc, number, _) = *row;
        let lines = row_lines(ctx, row, width, size);
        let Some(first) = lines.first() else {
            continue;
        };
        let r = size * 0.85;
        let (_, ks) = st.kind(&inc.kind);
        cards::badge(
            p,
            ctx,
            (x0 + r * s, y + first.ascent - first.ascent * 0.36),
            r,
            number,
            ks.color,
        );
        for l in &lines {
            p.text(l, x0 + indent(ctx, size), y + l.ascent, st.text.color, None);
            y += l.size_line();
        }
        y += 3.0 * s;
    }
    y
}

/// Draws the key in the panel column from `top` down: cards, rows, and the note that the
/// key continues below the map when it does.
pub fn draw(
    p: &mut dyn Painter,
    ctx: &Context<'_>,
    (x0, width): (f32, f32),
    top: f32,
    incidents: &[Listed<'_>],
    plan: &KeyPlan,
) {
    let st = ctx.style;
    let s = ctx.s();
    let mut y = top;
    for &i in &plan.cards {
        let (inc, number, _) = incidents[i];
        let block = cards::block(ctx, inc, width);
        y = cards::draw_card(p, ctx, (x0, width), y, (inc, number), &block);
    }
    let rows: Vec<Listed<'_>> = plan.rows.iter().map(|&i| incidents[i]).collect();
    y = draw_rows(p, ctx, (x0, width), y, &rows, plan.row_size);
    if plan.note {
        let note = ctx.shape(
            "Key continues below the map",
            Weight::Bold,
            st.text.small_size,
        );
        p.text(&note, x0, y + 3.0 * s + note.ascent, st.text.muted, None);
    }
}
