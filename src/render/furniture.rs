//! Map furniture: header (title, subtitle), side panel (incident cards with each side's
//! figures, legend, inset locator), scale bar and sources line.

use std::collections::BTreeSet;

use tiny_skia::{FillRule, PathBuilder, Pixmap, Rect, Transform};

use super::text::{Fonts, Shaped, Weight};
use super::{
    MapSpec, clip, fill_with, incident_title, paint, push_poly, short_date, stroke, stroke_with,
    symbols,
};
use crate::dataset::Dataset;
use crate::model::{Incident, Location, LonLat};
use crate::projection::{Frame, PxRect};
use crate::style::{Rgba, Style, Symbol};

/// Where things go on the canvas.
#[derive(Debug, Clone, Copy)]
pub struct CanvasLayout {
    /// The map viewport.
    pub map: PxRect,
    /// Header band (title, subtitle), if any.
    pub header: Option<PxRect>,
    /// Side panel, if any.
    pub panel: Option<PxRect>,
    /// Footer band (sources), if any.
    pub footer: Option<PxRect>,
}

/// Splits the canvas into header, map, panel and footer.
pub fn canvas_layout(spec: &MapSpec, style: &Style) -> CanvasLayout {
    let (w, h, s) = (spec.width as f32, spec.height as f32, spec.scale);
    if !spec.furniture {
        return CanvasLayout {
            map: PxRect::new(0.0, 0.0, w, h),
            header: None,
            panel: None,
            footer: None,
        };
    }
    let l = &style.layers;
    let header_h = if l.title {
        (76.0 * s).min(h * 0.2)
    } else {
        0.0
    };
    let footer_h = if l.sources {
        (28.0 * s).min(h * 0.1)
    } else {
        0.0
    };
    let panel_w = if l.panel || l.legend || l.inset {
        (390.0 * s).min(w * 0.38)
    } else {
        0.0
    };
    CanvasLayout {
        map: PxRect::new(0.0, header_h, w - panel_w, h - header_h - footer_h),
        header: (header_h > 0.0).then(|| PxRect::new(0.0, 0.0, w, header_h)),
        panel: (panel_w > 0.0)
            .then(|| PxRect::new(w - panel_w, header_h, panel_w, h - header_h - footer_h)),
        footer: (footer_h > 0.0).then(|| PxRect::new(0.0, h - footer_h, w, footer_h)),
    }
}

/// What the map drew, so the legend lists exactly that.
#[derive(Debug, Clone, Default)]
pub struct LegendItems {
    /// The border line.
    pub border: bool,
    /// Highlighted km ranges.
    pub highlight: bool,
    /// km ticks and their step.
    pub km_step: Option<f64>,
    /// Post kinds.
    pub post_kinds: BTreeSet<String>,
    /// City dots.
    pub places: bool,
    /// Incident kinds (style keys).
    pub kinds: BTreeSet<String>,
    /// Uncertainty rings.
    pub precision_ring: bool,
}

/// Inputs for furniture drawing.
pub struct Context<'a> {
    /// Data.
    pub data: &'a Dataset,
    /// Style.
    pub style: &'a Style,
    /// Fonts.
    pub fonts: &'a Fonts,
    /// The request.
    pub spec: &'a MapSpec,
    /// The map frame.
    pub frame: Frame,
    /// Canvas layout.
    pub layout: &'a CanvasLayout,
    /// Country on the border's left.
    pub left: Option<&'a str>,
    /// Country on its right.
    pub right: Option<&'a str>,
    /// The scale bar's layout, when drawn.
    pub scale_bar: Option<ScaleBar>,
}

impl Context<'_> {
    fn s(&self) -> f32 {
        self.spec.scale
    }

    fn shape(&self, text: &str, w: Weight, size: f32) -> Shaped {
        self.fonts.shape(text, w, size * self.s())
    }

    #[expect(
        clippy::too_many_arguments,
        reason = "text, weight, size, colour and position"
    )]
    fn text(
        &self,
        pm: &mut Pixmap,
        t: &str,
        w: Weight,
        size: f32,
        color: Rgba,
        x: f32,
        baseline: f32,
    ) -> f32 {
        let shaped = self.shape(t, w, size);
        self.fonts
            .draw(pm, &shaped, x, baseline, color.color(), None);
        shaped.width
    }

    /// Breaks `text` into lines no wider than `width` (each word is measured once; the
    /// lines are then shaped whole, so kerning across words is kept).
    fn wrap(&self, text: &str, w: Weight, size: f32, width: f32) -> Vec<Shaped> {
        let space = self.shape(" ", w, size).width;
        let mut lines = Vec::new();
        let mut current = String::new();
        let mut current_w = 0.0;
        for word in text.split_whitespace() {
            let ww = self.shape(word, w, size).width;
            if !current.is_empty() && current_w + space + ww > width {
                lines.push(self.shape(&current, w, size));
                current.clear();
                current_w = 0.0;
            }
            if !current.is_empty() {
                current.push(' ');
                current_w += space;
            }
            current.push_str(word);
            current_w += ww;
        }
        if !current.is_empty() {
            lines.push(self.shape(&current, w, size));
        }
        lines
    }

    fn country_name(&self, code: &str) -> String {
        self.data
            .countries
            .iter()
            .find(|c| c.code == code)
            .and_then(|c| c.properties.get("name").and_then(|v| v.as_str()))
            .unwrap_or(code)
            .to_string()
    }
}

fn fill_rect(pm: &mut Pixmap, r: PxRect, c: Rgba) {
    if let Some(rect) = Rect::from_xywh(r.x, r.y, r.w, r.h) {
        pm.fill_rect(rect, &paint(c), Transform::identity(), None);
    }
}

fn hline(pm: &mut Pixmap, x0: f32, x1: f32, y: f32, c: Rgba, w: f32) {
    let mut pb = PathBuilder::new();
    pb.move_to(x0, y);
    pb.line_to(x1, y);
    if let Some(p) = pb.finish() {
        let mut st = stroke(w);
        st.line_cap = tiny_skia::LineCap::Butt;
        pm.stroke_path(&p, &paint(c), &st, Transform::identity(), None);
    }
}

/// Draws all furniture; returns the legend entries drawn.
pub fn draw(
    pm: &mut Pixmap,
    ctx: &Context<'_>,
    items: &LegendItems,
    incidents: &[(&Incident, usize, bool)],
) -> Vec<String> {
    let st = ctx.style;
    let s = ctx.s();
    if let Some(bar) = &ctx.scale_bar {
        scale_bar(pm, ctx, bar);
    }
    north_arrow(pm, ctx);
    if let Some(h) = ctx.layout.header {
        fill_rect(pm, h, st.text.panel_fill);
        hline(
            pm,
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
            pm,
            &title,
            Weight::Bold,
            st.text.title_size,
            st.text.color,
            22.0 * s,
            38.0 * s,
        );
        let sub = subtitle(ctx, incidents);
        ctx.text(
            pm,
            &sub,
            Weight::Regular,
            st.text.subtitle_size,
            st.text.muted,
            22.0 * s,
            62.0 * s,
        );
    }
    if let Some(f) = ctx.layout.footer {
        fill_rect(pm, f, st.text.panel_fill);
        hline(
            pm,
            f.x,
            f.right(),
            f.y + 0.5 * s,
            st.text.panel_rule,
            1.0 * s,
        );
        let line = sources_line(ctx.data, incidents);
        let shaped = ctx.shape(&line, Weight::Regular, st.text.small_size);
        let x = 22.0 * s;
        ctx.fonts.draw(
            pm,
            &shaped,
            x,
            f.y + f.h / 2.0 + shaped.ascent * 0.35,
            st.text.muted.color(),
            None,
        );
    }
    let mut legend = Vec::new();
    if let Some(p) = ctx.layout.panel {
        fill_rect(pm, p, st.text.panel_fill);
        let mut pb = PathBuilder::new();
        pb.move_to(p.x + 0.5 * s, p.y);
        pb.line_to(p.x + 0.5 * s, p.bottom());
        if let Some(path) = pb.finish() {
            stroke_with(pm, &path, st.text.panel_rule, 1.0 * s);
        }
        let legend_items = legend_entries(ctx, items);
        let legend_h = if st.layers.legend {
            30.0 * s + legend_height(ctx, p, &legend_items)
        } else {
            0.0
        };
        // The cards need room first; on a short panel the inset goes before them.
        let min_cards = if st.layers.panel { 150.0 * s } else { 0.0 };
        let inset_h = if st.layers.inset && p.h - legend_h - 190.0 * s >= min_cards {
            190.0 * s
        } else {
            0.0
        };
        let cards_bottom = p.bottom() - inset_h - legend_h - 12.0 * s;
        if st.layers.panel {
            cards(pm, ctx, p, cards_bottom, incidents);
        }
        if st.layers.legend {
            let top = p.bottom() - inset_h - legend_h;
            legend = draw_legend(pm, ctx, p, top, &legend_items);
        }
        if inset_h > 0.0 {
            inset(
                pm,
                ctx,
                PxRect::new(
                    p.x + 18.0 * s,
                    p.bottom() - inset_h + 4.0 * s,
                    p.w - 36.0 * s,
                    inset_h - 18.0 * s,
                ),
            );
        }
    }
    legend
}

fn default_title(data: &Dataset) -> String {
    let name = data
        .border_properties
        .get("name")
        .and_then(|v| v.as_str())
        .unwrap_or("Border");
    format!("{name}: reported incidents")
}

fn long_date(d: jiff::civil::Date) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    format!(
        "{} {} {}",
        d.day(),
        MONTHS[(d.month() - 1) as usize],
        d.year()
    )
}

fn range_text(a: jiff::civil::Date, b: jiff::civil::Date) -> String {
    if a == b {
        long_date(a)
    } else if a.year() == b.year() && a.month() == b.month() {
        format!("{}–{}", a.day(), long_date(b))
    } else {
        format!("{} – {}", long_date(a), long_date(b))
    }
}

fn subtitle(ctx: &Context<'_>, incidents: &[(&Incident, usize, bool)]) -> String {
    match (ctx.spec.dates, incidents.is_empty()) {
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

/// Outlets of the claims shown, then the geodata attribution.
pub fn sources_line(data: &Dataset, incidents: &[(&Incident, usize, bool)]) -> String {
    let mut outlets: Vec<String> = Vec::new();
    for (inc, _, _) in incidents {
        for o in inc
            .claims
            .iter()
            .filter_map(|c| c.outlet.clone())
            .chain(inc.sources.iter().cloned())
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

/// Points inside the country (its rings in pixels, even-odd) and inside the frame, at
/// least `clearance` pixels from the border line, best first: far from the frame's edges
/// and the line. Candidates for the country's name.
pub fn label_points(
    rings: &[Vec<(f32, f32)>],
    frame: &Frame,
    data: &Dataset,
    clearance: f32,
) -> Vec<(f32, f32)> {
    if rings.is_empty() {
        return Vec::new();
    }
    let v = frame.viewport;
    let line: Vec<(f32, f32)> = data
        .mercator()
        .border
        .iter()
        .map(|&(x, y)| frame.merc_to_px(x, y))
        .collect();
    let line = clip::simplify(&clip::thin(&line, 1.0), 1.0);
    let mut scored: Vec<((f32, f32), f32)> = Vec::new();
    for i in 1..16 {
        for j in 1..10 {
            let (x, y) = (v.x + v.w * i as f32 / 16.0, v.y + v.h * j as f32 / 10.0);
            let inside = rings
                .iter()
                .filter(|r| clip::ring_contains(r, x, y))
                .count()
                % 2
                == 1;
            if !inside {
                continue;
            }
            let to_line = line
                .windows(2)
                .map(|w| clip::segment_distance((x, y), w[0], w[1]))
                .fold(f32::INFINITY, f32::min);
            if to_line < clearance {
                continue;
            }
            let edge = (x - v.x)
                .min(v.right() - x)
                .min(y - v.y)
                .min(v.bottom() - y);
            scored.push(((x, y), edge.min(to_line)));
        }
    }
    scored.sort_by(|a, b| b.1.total_cmp(&a.1));
    scored.into_iter().take(10).map(|p| p.0).collect()
}

/// Groups figures by (party, measure) across claims: "58 (Taliban spokesman) · 23 (ISPR)".
pub fn contested_lines(inc: &Incident) -> Vec<String> {
    let mut keys: Vec<(String, String)> = Vec::new();
    for c in &inc.claims {
        for f in &c.figures {
            let k = (f.party.clone(), f.measure.clone());
            if !keys.contains(&k) {
                keys.push(k);
            }
        }
    }
    // Rows about the same measure from different parties stay separate: never merged.
    keys.iter()
        .map(|(party, measure)| {
            let values: Vec<String> = inc
                .claims
                .iter()
                .flat_map(|c| {
                    c.figures
                        .iter()
                        .filter(|f| &f.party == party && &f.measure == measure)
                        .map(move |f| format!("{} ({})", f.value_text(), c.label_name()))
                })
                .collect();
            let mut what = measure.replace('_', " ");
            if let Some(f) = what.get_mut(0..1) {
                f.make_ascii_uppercase();
            }
            format!("{what}, {party}: {}", values.join(" · "))
        })
        .collect()
}

fn location_text(inc: &Incident, data: &Dataset) -> String {
    match &inc.location {
        Location::Point { precision_m, .. } => {
            let place = inc.properties.get("place").and_then(|v| v.as_str());
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
            let count = inc
                .properties
                .get("locations_count")
                .and_then(|v| v.as_str());
            match count {
                Some(c) => format!("Along the border, {c} locations (none named)"),
                None => "Along the border (no place named)".into(),
            }
        }
    }
}

fn cards(
    pm: &mut Pixmap,
    ctx: &Context<'_>,
    p: PxRect,
    bottom: f32,
    incidents: &[(&Incident, usize, bool)],
) {
    let st = ctx.style;
    let s = ctx.s();
    let (x0, width) = (p.x + 18.0 * s, p.w - 36.0 * s);
    let mut y = p.y + 16.0 * s;
    if incidents.is_empty() {
        let lines = ctx.wrap(
            &subtitle(ctx, incidents),
            Weight::Bold,
            st.text.body_size + 1.0,
            width,
        );
        for l in lines {
            y += l.ascent;
            ctx.fonts.draw(pm, &l, x0, y, st.text.muted.color(), None);
            y += l.descent + 4.0 * s;
        }
        return;
    }
    for (n, (inc, number, _)) in incidents.iter().enumerate() {
        let (_, ks) = st.kind(&inc.kind);
        let mut block: Vec<(Shaped, Rgba, f32)> = Vec::new(); // (line, colour, indent)
        let indent = 26.0 * s;
        for l in ctx.wrap(
            &incident_title(inc),
            Weight::Bold,
            st.text.body_size + 1.0,
            width - indent,
        ) {
            block.push((l, st.text.color, indent));
        }
        let meta = format!("{} · {}", short_date(inc), location_text(inc, ctx.data));
        for l in ctx.wrap(&meta, Weight::Regular, st.text.small_size, width - indent) {
            block.push((l, st.text.muted, indent));
        }
        for line in contested_lines(inc) {
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
                ctx.fonts
                    .draw(pm, &l, x0, y + l.ascent, st.text.muted.color(), None);
            }
            return;
        }
        // Number badge in the kind's colour, matching the symbol on the map.
        let r = 10.0 * s;
        if let Some(path) = symbols::path(Symbol::Circle, x0 + r, y + r + 1.0 * s, r) {
            fill_with(pm, &path, ks.color);
        }
        let num = ctx.shape(&number.to_string(), Weight::Bold, 11.0);
        ctx.fonts.draw(
            pm,
            &num,
            x0 + r - num.width / 2.0,
            y + r + 1.0 * s + num.ascent * 0.36,
            tiny_skia::Color::WHITE,
            None,
        );
        for (l, color, ind) in &block {
            ctx.fonts
                .draw(pm, l, x0 + ind, y + l.ascent, color.color(), None);
            y += l.size_line();
        }
        y += 6.0 * s;
        hline(pm, x0, x0 + width, y, st.text.panel_rule, 1.0 * s);
        y += 8.0 * s;
    }
}

/// One legend row: a swatch kind and its text.
#[derive(Debug, Clone)]
enum Swatch {
    Line(Rgba, f32, Option<(Rgba, f32)>),
    Tick,
    Fill(Rgba),
    Post(String),
    Place,
    Incident(Symbol, Rgba),
    Ring,
}

fn legend_entries(ctx: &Context<'_>, items: &LegendItems) -> Vec<(Swatch, String)> {
    let st = ctx.style;
    let mut out = Vec::new();
    if items.border {
        let name = ctx
            .data
            .border_properties
            .get("name")
            .and_then(|v| v.as_str())
            .unwrap_or("Border");
        out.push((
            Swatch::Line(
                st.border.color,
                st.border.width,
                Some((st.border.casing, st.border.casing_width)),
            ),
            name.to_string(),
        ));
    }
    if let Some(step) = items.km_step {
        let from = ctx
            .data
            .border_properties
            .get("km0")
            .and_then(|v| v.as_str())
            .map_or_else(|| "its start".to_string(), |k| format!("the {k}"));
        out.push((
            Swatch::Tick,
            format!("Border km, every {step:.0} km from {from}"),
        ));
    }
    if items.highlight {
        out.push((
            Swatch::Line(st.border.highlight, st.border.highlight_width * 0.8, None),
            "Stretch of border where an incident was reported".into(),
        ));
    }
    if st.layers.basemap {
        for code in [ctx.left, ctx.right].into_iter().flatten() {
            let fill = st.base.fill_for(code, ctx.left, ctx.right);
            out.push((Swatch::Fill(fill), ctx.country_name(code)));
        }
    }
    for kind in &items.kinds {
        let ks = &st.incidents.kinds[kind];
        out.push((Swatch::Incident(ks.symbol, ks.color), ks.label.clone()));
    }
    if items.precision_ring {
        out.push((Swatch::Ring, "Area within which the place is known".into()));
    }
    for kind in &items.post_kinds {
        let text = match kind.as_str() {
            "pass" => "Mountain pass".to_string(),
            "crossing" => "Border crossing".to_string(),
            "military_post" => "Military post".to_string(),
            other => {
                let mut t = other.replace('_', " ");
                if let Some(f) = t.get_mut(0..1) {
                    f.make_ascii_uppercase();
                }
                t
            }
        };
        out.push((Swatch::Post(kind.clone()), text));
    }
    if items.places {
        out.push((Swatch::Place, "Town or city".into()));
    }
    out
}

fn draw_legend(
    pm: &mut Pixmap,
    ctx: &Context<'_>,
    p: PxRect,
    top: f32,
    entries: &[(Swatch, String)],
) -> Vec<String> {
    let st = ctx.style;
    let s = ctx.s();
    let x0 = p.x + 18.0 * s;
    hline(
        pm,
        x0,
        p.right() - 18.0 * s,
        top,
        st.text.panel_rule,
        1.0 * s,
    );
    ctx.text(
        pm,
        "Legend",
        Weight::Bold,
        st.text.body_size,
        st.text.color,
        x0,
        top + 20.0 * s,
    );
    let mut y = top + 30.0 * s;
    let mut drawn = Vec::new();
    for (swatch, text) in entries {
        let cy = y + 10.0 * s;
        let cx = x0 + 14.0 * s;
        match swatch {
            Swatch::Line(c, w, casing) => {
                let mut pb = PathBuilder::new();
                pb.move_to(cx - 12.0 * s, cy);
                pb.line_to(cx + 12.0 * s, cy);
                if let Some(path) = pb.finish() {
                    if let Some((cc, cw)) = casing {
                        stroke_with(pm, &path, *cc, cw * s);
                    }
                    stroke_with(pm, &path, *c, w * s);
                }
            }
            Swatch::Tick => {
                let mut pb = PathBuilder::new();
                pb.move_to(cx - 12.0 * s, cy);
                pb.line_to(cx + 12.0 * s, cy);
                pb.move_to(cx, cy - st.km_marks.tick_length * s);
                pb.line_to(cx, cy + st.km_marks.tick_length * s);
                if let Some(path) = pb.finish() {
                    stroke_with(pm, &path, st.border.color, st.border.width * s * 0.7);
                    stroke_with(pm, &path, st.km_marks.color, 1.4 * s);
                }
            }
            Swatch::Fill(c) => {
                fill_rect(
                    pm,
                    PxRect::new(cx - 11.0 * s, cy - 7.0 * s, 22.0 * s, 14.0 * s),
                    *c,
                );
                if let Some(r) = Rect::from_xywh(cx - 11.0 * s, cy - 7.0 * s, 22.0 * s, 14.0 * s) {
                    let path = PathBuilder::from_rect(r);
                    stroke_with(pm, &path, st.base.outline, 0.8 * s);
                }
            }
            Swatch::Post(kind) => {
                let r = st.posts.size * s * 0.8;
                let (path, filled) = symbols::post(kind.as_str(), st.posts.symbol, cx, cy, r);
                if let Some(path) = path {
                    fill_with(
                        pm,
                        &path,
                        if filled {
                            st.posts.color
                        } else {
                            st.posts.fill
                        },
                    );
                    stroke_with(pm, &path, st.posts.color, st.posts.stroke_width * s);
                }
            }
            Swatch::Place => {
                if let Some(path) = PathBuilder::from_circle(cx, cy, st.places.size * s) {
                    fill_with(pm, &path, st.places.color);
                }
            }
            Swatch::Incident(sym, c) => {
                if let Some(path) = symbols::path(*sym, cx, cy, 7.5 * s) {
                    fill_with(pm, &path, *c);
                    stroke_with(pm, &path, Rgba([255, 255, 255, 255]), 1.2 * s);
                }
            }
            Swatch::Ring => {
                if let Some(path) = PathBuilder::from_circle(cx, cy, 8.0 * s) {
                    let mut sk = stroke(1.2 * s);
                    sk.dash = tiny_skia::StrokeDash::new(vec![3.0 * s, 2.0 * s], 0.0);
                    pm.stroke_path(
                        &path,
                        &paint(st.incidents.precision_ring),
                        &sk,
                        Transform::identity(),
                        None,
                    );
                }
            }
        }
        let lines = ctx.wrap(
            text,
            Weight::Regular,
            st.text.small_size,
            legend_text_width(ctx, p),
        );
        let mut ly = cy;
        for l in &lines {
            ctx.fonts.draw(
                pm,
                l,
                x0 + 36.0 * s,
                ly + l.ascent * 0.36,
                st.text.color.color(),
                None,
            );
            ly += l.size_line();
        }
        drawn.push(text.clone());
        y += 21.0 * s
            + (lines.len().max(1) - 1) as f32 * lines.first().map_or(0.0, |l| l.size_line());
    }
    drawn
}

fn legend_text_width(ctx: &Context<'_>, p: PxRect) -> f32 {
    p.w - 36.0 * ctx.s() - 36.0 * ctx.s()
}

fn legend_height(ctx: &Context<'_>, p: PxRect, entries: &[(Swatch, String)]) -> f32 {
    let s = ctx.s();
    entries
        .iter()
        .map(|(_, t)| {
            let lines = ctx.wrap(
                t,
                Weight::Regular,
                ctx.style.text.small_size,
                legend_text_width(ctx, p),
            );
            21.0 * s
                + (lines.len().max(1) - 1) as f32 * lines.first().map_or(0.0, |l| l.size_line())
        })
        .sum()
}

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
pub fn scale_bar_layout(frame: &Frame, s: f32, data: &Dataset) -> ScaleBar {
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
    let line: Vec<(f32, f32)> = data
        .mercator()
        .border
        .iter()
        .map(|&(x, y)| frame.merc_to_px(x, y))
        .collect();
    let crosses = |r: &PxRect| !clip::clip_line(&line, &r.inflate(4.0 * s)).is_empty();
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

/// The north arrow's box (top-left of the map), which labels avoid.
pub fn north_arrow_box(frame: &Frame, s: f32) -> PxRect {
    let v = frame.viewport;
    PxRect::new(v.x + 16.0 * s, v.y + 8.0 * s, 20.0 * s, 40.0 * s)
}

fn scale_bar(pm: &mut Pixmap, ctx: &Context<'_>, bar: &ScaleBar) {
    let st = ctx.style;
    let s = ctx.s();
    let ScaleBar {
        km,
        len,
        x0,
        y0,
        rect,
    } = *bar;
    fill_rect(pm, rect, Rgba([255, 255, 255, 210]));
    let h = 5.0 * s;
    fill_rect(pm, PxRect::new(x0, y0, len, h), st.text.color);
    fill_rect(
        pm,
        PxRect::new(x0 + len / 4.0, y0 + 1.0 * s, len / 4.0, h - 2.0 * s),
        Rgba([255, 255, 255, 255]),
    );
    fill_rect(
        pm,
        PxRect::new(x0 + 3.0 * len / 4.0, y0 + 1.0 * s, len / 4.0, h - 2.0 * s),
        Rgba([255, 255, 255, 255]),
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
        ctx.fonts
            .draw(pm, &shaped, x, y0 - 5.0 * s, st.text.color.color(), None);
    }
}

fn north_arrow(pm: &mut Pixmap, ctx: &Context<'_>) {
    let s = ctx.s();
    let v = ctx.frame.viewport;
    let (x, y) = (v.x + 26.0 * s, v.y + 22.0 * s);
    let mut pb = PathBuilder::new();
    pb.move_to(x, y - 9.0 * s);
    pb.line_to(x + 6.0 * s, y + 8.0 * s);
    pb.line_to(x, y + 4.0 * s);
    pb.line_to(x - 6.0 * s, y + 8.0 * s);
    pb.close();
    if let Some(path) = pb.finish() {
        fill_with(pm, &path, ctx.style.text.color);
        stroke_with(pm, &path, Rgba([255, 255, 255, 255]), 1.0 * s);
    }
    let n = ctx.shape("N", Weight::Bold, 11.0);
    ctx.fonts.draw(
        pm,
        &n,
        x - n.width / 2.0,
        y + 22.0 * s,
        ctx.style.text.color.color(),
        Some((tiny_skia::Color::WHITE, 1.5 * s)),
    );
}

fn inset(pm: &mut Pixmap, ctx: &Context<'_>, r: PxRect) {
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
    fill_rect(pm, r, st.base.background);
    let clip_r = r;
    for (c, rings) in ctx
        .data
        .countries
        .iter()
        .zip(&ctx.data.mercator().countries)
    {
        let fill = st.base.fill_for(&c.code, ctx.left, ctx.right);
        let mut pb = PathBuilder::new();
        for (ring, bbox) in rings {
            if !frame.overlaps(*bbox, 0.0) {
                continue;
            }
            let pts: Vec<(f32, f32)> = ring.iter().map(|&(x, y)| frame.merc_to_px(x, y)).collect();
            let pts = clip::clip_ring(&clip::simplify(&clip::thin(&pts, 0.5), 0.5), &clip_r);
            push_poly(&mut pb, &pts, true);
        }
        if let Some(path) = pb.finish() {
            pm.fill_path(
                &path,
                &paint(fill),
                FillRule::EvenOdd,
                Transform::identity(),
                None,
            );
            stroke_with(pm, &path, st.base.outline, 0.5 * s);
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
        stroke_with(pm, &path, st.border.color, 1.8 * s);
    }
    if let Some(rect) = Rect::from_xywh(r.x, r.y, r.w, r.h) {
        pm.stroke_path(
            &PathBuilder::from_rect(rect),
            &paint(st.text.panel_rule),
            &stroke(1.0 * s),
            Transform::identity(),
            None,
        );
    }
    let label = ctx.shape("Area shown", Weight::Regular, st.text.small_size - 1.0);
    ctx.fonts.draw(
        pm,
        &label,
        r.x + 5.0 * s,
        r.bottom() - 6.0 * s,
        st.text.muted.color(),
        Some((tiny_skia::Color::WHITE, 1.5 * s)),
    );
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
