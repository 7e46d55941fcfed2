//! The footer band: sources of the claims shown and the geodata's credits.

use super::{Context, Listed};
use crate::dataset::Dataset;
use crate::projection::PxRect;
use crate::render::paint::Painter;
use crate::render::text::Weight;

/// The footer's lines: the sources line at the usual size, a little smaller if that makes
/// it one line, else wrapped; never cut.
pub fn lines(ctx: &Context<'_>, incidents: &[Listed<'_>]) -> Vec<crate::render::text::Shaped> {
    let st = ctx.style;
    let s = ctx.s();
    let line = sources_line(ctx.data, incidents);
    let room = ctx.spec.width as f32 - 44.0 * s;
    let small = st.text.small_size * 0.85;
    let shaped = ctx.shape(&line, Weight::Regular, st.text.small_size);
    if shaped.width <= room {
        return vec![shaped];
    }
    let smaller = ctx.shape(&line, Weight::Regular, small);
    if smaller.width <= room {
        return vec![smaller];
    }
    ctx.wrap(&line, Weight::Regular, st.text.small_size, room)
}

/// The footer's height for its lines (at least the layout's).
pub fn height(ctx: &Context<'_>, incidents: &[Listed<'_>]) -> f32 {
    let Some(f) = ctx.layout.footer else {
        return 0.0;
    };
    let text: f32 = lines(ctx, incidents).iter().map(|l| l.size_line()).sum();
    f.h.max(text + 12.0 * ctx.s())
}

/// Draws the footer band `f`.
pub fn draw(p: &mut dyn Painter, ctx: &Context<'_>, f: PxRect, incidents: &[Listed<'_>]) {
    let st = ctx.style;
    let s = ctx.s();
    p.fill_rect(f, st.text.panel_fill);
    p.hline(f.x, f.right(), f.y + 0.5 * s, st.text.panel_rule, 1.0 * s);
    let lines = lines(ctx, incidents);
    let text_h: f32 = lines.iter().map(|l| l.size_line()).sum();
    let mut y = f.y + (f.h - text_h) / 2.0;
    for l in &lines {
        p.text(l, 22.0 * s, y + l.ascent, st.text.muted, None);
        y += l.size_line();
    }
}

/// Outlets of the claims shown, then the geodata attribution.
pub fn sources_line(data: &Dataset, incidents: &[Listed<'_>]) -> String {
    let mut outlets: Vec<String> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut acled = false;
    for (inc, _, _) in incidents {
        acled |= is_acled(inc);
        // ACLED joins an event's outlets with ';' in one field: one outlet each.
        let names = inc
            .claims
            .iter()
            .filter_map(|c| c.outlet.as_deref())
            .chain(inc.sources.iter().map(|s| s.as_str()))
            .flat_map(|o| o.split(';'))
            .map(str::trim)
            .filter(|o| !o.is_empty());
        for o in names {
            if seen.insert(o.to_lowercase()) {
                outlets.push(o.to_string());
            }
        }
    }
    let mut parts = Vec::new();
    if !outlets.is_empty() {
        parts.push(format!(
            "Sources: {}. Figures are each side's claims and unverified",
            outlets.join(", ")
        ));
    }
    if acled {
        parts.push(ACLED_CREDIT.to_string());
    }
    parts.push(geodata_attribution(data));
    parts.join(" · ")
}

/// ACLED's credit, as its terms of use ask of anything made from its data.
pub const ACLED_CREDIT: &str =
    "Incident data: Armed Conflict Location & Event Data Project (ACLED), acleddata.com";

/// Whether a record came from an ACLED export.
pub fn is_acled(inc: &crate::model::Incident) -> bool {
    inc.properties.keys().any(|k| k == "event_id_cnty")
}

/// "© OpenStreetMap contributors" for OSM-derived inputs, "Natural Earth" where used.
pub fn geodata_attribution(data: &Dataset) -> String {
    let mut text = serde_json::Value::Object(data.border_properties.clone()).to_string();
    for c in data.countries.iter().take(3) {
        text.push_str(&serde_json::Value::Object(c.properties.clone()).to_string());
    }
    for (_, p) in &data.inputs {
        text.push_str(&p.display().to_string());
    }
    let lower = text.to_lowercase();
    let mut parts = Vec::new();
    if lower.contains("openstreetmap") || lower.contains("geo-maps") {
        parts.push("Border and countries: © OpenStreetMap contributors (ODbL)");
    }
    if lower.contains("natural earth")
        || lower.contains("natural_earth")
        || lower.contains("ne_10m")
        || lower.contains("countries.geojson")
    {
        parts.push("Countries: Natural Earth (public domain)");
    }
    if parts.is_empty() {
        parts.push("Geodata: see the input files' provenance");
    }
    format!("{} · Map: bordermap", parts.join(" · "))
}
