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

/// Draws one card per incident in `panel` down to `bottom`, then a note of how many
/// did not fit.
pub fn draw(
    p: &mut dyn Painter,
    ctx: &Context<'_>,
    panel: PxRect,
    bottom: f32,
    incidents: &[Listed<'_>],
) {
    let st = ctx.style;
    let s = ctx.s();
    let (x0, width) = (panel.x + 18.0 * s, panel.w - 36.0 * s);
    let mut y = panel.y + 16.0 * s;
    if incidents.is_empty() {
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
        return;
    }
    for (n, (inc, number, _)) in incidents.iter().enumerate() {
        let (_, ks) = st.kind(&inc.kind);
        let mut block: Vec<(Shaped, Rgba, f32)> = Vec::new(); // (line, colour, indent)
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
        let block_h: f32 = block.iter().map(|(l, _, _)| l.size_line()).sum::<f32>() + 12.0 * s;
        if y + block_h > bottom {
            let more = format!("+ {} more incident(s): see the export", incidents.len() - n);
            let l = ctx.shape(&more, Weight::Regular, st.text.small_size);
            // The note may use the margin above the legend.
            if y + l.size_line() <= bottom + 10.0 * s {
                p.text(&l, x0, y + l.ascent, st.text.muted, None);
            }
            return;
        }
        // Number badge in the kind's colour, matching the symbol on the map.
        let r = 10.0 * s;
        if let Some(path) = symbols::path(Symbol::Circle, x0 + r, y + r + 1.0 * s, r) {
            p.fill(&path, ks.color);
        }
        let num = ctx.shape(&number.to_string(), Weight::Bold, 11.0);
        p.text(
            &num,
            x0 + r - num.width / 2.0,
            y + r + 1.0 * s + num.ascent * 0.36,
            WHITE,
            None,
        );
        for (l, color, ind) in &block {
            p.text(l, x0 + ind, y + l.ascent, *color, None);
            y += l.size_line();
        }
        y += 6.0 * s;
        p.hline(x0, x0 + width, y, st.text.panel_rule, 1.0 * s);
        y += 8.0 * s;
    }
}
