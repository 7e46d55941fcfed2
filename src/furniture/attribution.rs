//! The footer band: sources of the claims shown and the geodata's credits.

use super::{Context, Listed};
use crate::dataset::Dataset;
use crate::projection::PxRect;
use crate::render::paint::Painter;
use crate::render::text::Weight;

/// Draws the footer band `f`.
pub fn draw(p: &mut dyn Painter, ctx: &Context<'_>, f: PxRect, incidents: &[Listed<'_>]) {
    let st = ctx.style;
    let s = ctx.s();
    p.fill_rect(f, st.text.panel_fill);
    p.hline(f.x, f.right(), f.y + 0.5 * s, st.text.panel_rule, 1.0 * s);
    let line = sources_line(ctx.data, incidents);
    // The credits are never cut: the line shrinks to fit the canvas, down to 60 %.
    let room = f.w - 44.0 * s;
    let mut size = st.text.small_size;
    let mut shaped = ctx.shape(&line, Weight::Regular, size);
    while shaped.width > room && size > st.text.small_size * 0.6 {
        size *= 0.94;
        shaped = ctx.shape(&line, Weight::Regular, size);
    }
    p.text(
        &shaped,
        22.0 * s,
        f.y + f.h / 2.0 + shaped.ascent * 0.35,
        st.text.muted,
        None,
    );
}

/// Outlets of the claims shown, then the geodata attribution.
pub fn sources_line(data: &Dataset, incidents: &[Listed<'_>]) -> String {
    let mut outlets: Vec<String> = Vec::new();
    for (inc, _, _) in incidents {
        for o in inc
            .claims
            .iter()
            .filter_map(|c| c.outlet.as_ref().map(|o| o.to_string()))
            .chain(inc.sources.iter().map(|s| s.to_string()))
        {
            if !outlets.contains(&o) {
                outlets.push(o);
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
    parts.push(geodata_attribution(data));
    parts.join(" · ")
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
