//! The header band: title and subtitle.

use super::{Context, Listed};
use crate::dataset::Dataset;
use crate::projection::PxRect;
use crate::render::paint::Painter;
use crate::render::text::Weight;
use crate::words::range_text;

/// Draws the header band `h`.
pub fn draw(p: &mut dyn Painter, ctx: &Context<'_>, h: PxRect, incidents: &[Listed<'_>]) {
    let st = ctx.style;
    let s = ctx.s();
    p.fill_rect(h, st.text.panel_fill);
    p.hline(
        h.x,
        h.right(),
        h.bottom() - 0.5 * s,
        st.text.panel_rule,
        1.0 * s,
    );
    let title = ctx
        .spec
        .title
        .clone()
        .unwrap_or_else(|| default_title(ctx.data));
    ctx.text(
        p,
        &title,
        Weight::Bold,
        st.text.title_size,
        st.text.color,
        22.0 * s,
        38.0 * s,
    );
    let sub = subtitle(ctx, incidents);
    ctx.text(
        p,
        &sub,
        Weight::Regular,
        st.text.subtitle_size,
        st.text.muted,
        22.0 * s,
        62.0 * s,
    );
}

/// "NAME: reported incidents".
pub fn default_title(data: &Dataset) -> String {
    let name = data
        .border_properties
        .get("name")
        .and_then(|v| v.as_str())
        .unwrap_or("Border");
    format!("{name}: reported incidents")
}

/// What the map shows, or that nothing was recorded.
pub fn subtitle(ctx: &Context<'_>, incidents: &[Listed<'_>]) -> String {
    let mut text = subtitle_for(ctx.spec.dates, incidents);
    match ctx.outside {
        0 => {}
        1 => text.push_str(" · 1 more lies outside this map"),
        n => text.push_str(&format!(" · {n} more lie outside this map")),
    }
    text
}

/// The subtitle for a date window and the incidents in it.
pub fn subtitle_for(
    dates: Option<(jiff::civil::Date, jiff::civil::Date)>,
    incidents: &[Listed<'_>],
) -> String {
    match (dates, incidents.is_empty()) {
        (Some((a, b)), true) => format!("No incidents recorded on {}", range_text(a, b)),
        (None, true) => "No incidents recorded".into(),
        (Some((a, b)), false) => format!(
            "Incidents reported for {}, as claimed by each side",
            range_text(a, b)
        ),
        (None, false) => {
            let first = incidents.iter().map(|i| i.0.date).min().unwrap_or_default();
            let last = incidents
                .iter()
                .map(|i| i.0.end_date.unwrap_or(i.0.date))
                .max()
                .unwrap_or_default();
            format!(
                "Incidents reported {}, as claimed by each side",
                range_text(first, last)
            )
        }
    }
}
