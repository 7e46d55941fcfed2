//! Incident cards: number badge, headline, date and place, and each side's figures as
//! that side's claims, never merged.

use super::{Context, Listed, WHITE};
use crate::dataset::Dataset;
use crate::model::{Incident, Location};
use crate::projection::PxRect;
use crate::render::paint::Painter;
use crate::render::symbols;
use crate::render::text::{Shaped, Weight};
use crate::style::{Rgba, Symbol};
use crate::words;

/// Where the incident happened, in words.
pub fn location_text(inc: &Incident, data: &Dataset) -> String {
    match &inc.location {
        Location::Point { precision_m, .. } => {
            let place = inc.properties.get_str("place");
            let place = place.as_deref();
            match (place, precision_m) {
                (Some(p), Some(m)) => format!("{p}, within {:.0} km", m / 1000.0),
                (Some(p), None) => p.to_string(),
                (None, Some(m)) => format!("Point, within {:.0} km", m / 1000.0),
                (None, None) => "Point".into(),
            }
        }
        Location::Post { post_id } => data.post(post_id).map_or_else(
            || post_id.clone(),
            |(p, r)| format!("{} (km {:.0})", p.name, r.located.along_km),
        ),
        Location::KmRange { from_km, to_km } => format!("Border km {from_km:.0}–{to_km:.0}"),
        Location::Region { name, .. } => format!("{name} (no precise place given)"),
        Location::BorderWide => {
            let count = inc.properties.get_str("locations_count");
            match count {
                Some(c) => format!("Along the border, {c} locations (none named)"),
                None => "Along the border (no place named)".into(),
            }
        }
    }
}

/// The lines of one incident's card: (line, colour, indent).
pub fn block(ctx: &Context<'_>, inc: &Incident, width: f32) -> Vec<(Shaped, Rgba, f32)> {
    let st = ctx.style;
    let s = ctx.s();
    let mut block: Vec<(Shaped, Rgba, f32)> = Vec::new();
    let indent = 26.0 * s;
    for l in ctx.wrap(
        &words::incident_title(inc),
        Weight::Bold,
        st.text.body_size + 1.0,
        width - indent,
    ) {
        block.push((l, st.text.color, indent));
    }
    let meta = format!(
        "{} · {}",
        words::short_date(inc),
        location_text(inc, ctx.data)
    );
    for l in ctx.wrap(&meta, Weight::Regular, st.text.small_size, width - indent) {
        block.push((l, st.text.muted, indent));
    }
    for line in words::contested_lines(inc) {
        for (k, l) in ctx
            .wrap(
                &line,
                Weight::Regular,
                st.text.small_size,
                width - indent - 8.0 * s,
            )
            .into_iter()
            .enumerate()
        {
            block.push((l, st.text.color, indent + if k > 0 { 8.0 * s } else { 0.0 }));
        }
    }
    let claimants: Vec<String> = inc
        .claims
        .iter()
        .filter(|c| c.figures.is_empty())
        .map(|c| match &c.outlet {
            Some(o) => format!("{} ({o})", c.label_name()),
            None => c.label_name().to_string(),
        })
        .collect();
    if !claimants.is_empty() {
        for l in ctx.wrap(
            &format!("Statements: {}", claimants.join("; ")),
            Weight::Regular,
            st.text.small_size,
            width - indent,
        ) {
            block.push((l, st.text.muted, indent));
        }
    }
    block
}

/// The height one card takes, rule and gaps included.
pub fn height(ctx: &Context<'_>, block: &[(Shaped, Rgba, f32)]) -> f32 {
    block.iter().map(|(l, _, _)| l.size_line()).sum::<f32>() + 14.0 * ctx.s()
}

/// Draws the message of a map without incidents in the key's column `key`.
pub fn draw_empty(p: &mut dyn Painter, ctx: &Context<'_>, key: PxRect, incidents: &[Listed<'_>]) {
    let st = ctx.style;
    let s = ctx.s();
    let (x0, width) = (key.x, key.w);
    let mut y = key.y;
    let lines = ctx.wrap(
        &super::header::subtitle(ctx, incidents),
        Weight::Bold,
        st.text.body_size + 1.0,
        width,
    );
    for l in lines {
        y += l.ascent;
        p.text(&l, x0, y, st.text.muted, None);
        y += l.descent + 4.0 * s;
    }
}

/// Draws one card at `y` (its top) with its number badge; returns the y below it.
pub fn draw_card(
    p: &mut dyn Painter,
    ctx: &Context<'_>,
    (x0, width): (f32, f32),
    y: f32,
    (inc, number): (&Incident, usize),
    block: &[(Shaped, Rgba, f32)],
) -> f32 {
    let st = ctx.style;
    let s = ctx.s();
    let (_, ks) = st.kind(&inc.kind);
    let mut y = y;
    badge(
        p,
        ctx,
        (x0 + 10.0 * s, y + 11.0 * s),
        10.0,
        number,
        ks.color,
    );
    for (l, color, ind) in block {
        p.text(l, x0 + ind, y + l.ascent, *color, None);
        y += l.size_line();
    }
    y += 6.0 * s;
    p.hline(x0, x0 + width, y, st.text.panel_rule, 1.0 * s);
    y + 8.0 * s
}

/// A number badge in a kind's colour, matching the symbol on the map; `r` unscaled.
pub fn badge(
    p: &mut dyn Painter,
    ctx: &Context<'_>,
    (cx, cy): (f32, f32),
    r: f32,
    number: usize,
    color: Rgba,
) {
    let s = ctx.s();
    if let Some(path) = symbols::path(Symbol::Circle, cx, cy, r * s) {
        p.fill(&path, color);
    }
    let text = number.to_string();
    let mut size = r * 1.1;
    let mut num = ctx.shape(&text, Weight::Bold, size);
    while num.width > 1.7 * r * s && size > 5.0 {
        size *= 0.9;
        num = ctx.shape(&text, Weight::Bold, size);
    }
    p.text(
        &num,
        cx - num.width / 2.0,
        cy + num.ascent * 0.36,
        WHITE,
        None,
    );
}
