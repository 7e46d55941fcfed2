//! The header band: title and subtitle.

use super::{Context, Listed};
use crate::dataset::Dataset;
use crate::projection::PxRect;
use crate::render::paint::Painter;
use crate::render::text::{Shaped, Weight};
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
    let room = h.w - 44.0 * s;
    let lines = title_lines(ctx.fonts, ctx.style, s, &title, room);
    let mut baseline = if lines.len() > 1 { 26.0 * s } else { 38.0 * s };
    for (i, l) in lines.iter().enumerate() {
        if i > 0 {
            baseline += l.size_line();
        }
        p.text(l, 22.0 * s, h.y + baseline, st.text.color, None);
    }
    let sub = ctx.shape(
        &subtitle(ctx, incidents),
        Weight::Regular,
        st.text.subtitle_size,
    );
    let last_descent = lines.last().map_or(0.0, |l| l.descent);
    let sub_baseline = if lines.len() > 1 {
        (62.0 * s).max(baseline + last_descent + sub.ascent + 2.0 * s)
    } else {
        62.0 * s
    };
    p.text(&sub, 22.0 * s, h.y + sub_baseline, st.text.muted, None);
}

/// The title in at most two lines, never cut mid-word: at its size if it fits one line,
/// else a little smaller (down to 75 %), else wrapped onto two lines and made smaller until
/// they fit (down to half size).
pub fn title_lines(
    fonts: &crate::render::text::Fonts,
    style: &crate::style::Style,
    s: f32,
    title: &str,
    room: f32,
) -> Vec<Shaped> {
    let size = style.text.title_size * s;
    let mut k = 1.0;
    while k >= 0.75 {
        let one = fonts.shape(title, Weight::Bold, size * k);
        if one.width <= room {
            return vec![one];
        }
        k -= 0.05;
    }
    let mut k = 0.72;
    loop {
        let lines = fonts.wrap(title, Weight::Bold, size * k, room);
        let fits = lines.len() <= 2 && lines.iter().all(|l| l.width <= room);
        if fits || k <= 0.5 {
            return lines;
        }
        k -= 0.04;
    }
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
