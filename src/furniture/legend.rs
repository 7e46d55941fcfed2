//! The legend: one row for each thing the map drew, in the style it was drawn.

use tiny_skia::{PathBuilder, Rect};

use super::{Context, WHITE};
use crate::projection::PxRect;
use crate::render::LegendItems;
use crate::render::paint::Painter;
use crate::render::symbols;
use crate::render::text::Weight;
use crate::style::{Rgba, Symbol};

/// One legend row: a swatch kind and its text.
#[derive(Debug, Clone)]
pub enum Swatch {
    /// A line: colour, width, optional casing.
    Line(Rgba, f32, Option<(Rgba, f32)>),
    /// A km tick across the border.
    Tick,
    /// A country fill.
    Fill(Rgba),
    /// A post symbol of a kind.
    Post(String),
    /// A town dot.
    Place,
    /// An incident symbol.
    Incident(Symbol, Rgba),
    /// An uncertainty ring.
    Ring,
    /// A group of incidents with its count.
    Cluster,
    /// A dashed line over the border's casing: colour, width, dash and gap.
    Pattern(Rgba, f32, [f32; 2]),
}

/// The legend's rows for what the map drew.
pub fn entries(ctx: &Context<'_>, items: &LegendItems) -> Vec<(Swatch, String)> {
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
    for status in &items.statuses {
        let notes: Vec<&str> = ctx
            .data
            .stretches
            .iter()
            .filter(|s| s.status == *status)
            .filter_map(|s| s.note.as_deref())
            .collect();
        let mut text = status.label().to_string();
        if !notes.is_empty() {
            text = format!("{text}: {}", notes.join("; "));
        }
        out.push((
            Swatch::Pattern(st.border.color, st.border.width, status.dashes()),
            text,
        ));
    }
    if items.gap {
        out.push((
            Swatch::Pattern(st.border.color, st.border.width * 0.6, [5.0, 4.0]),
            format!(
                "Gap in the source data (over {:.0} km), bridged by a straight line",
                crate::linref::checks::LONG_BRIDGE_KM
            ),
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
    if items.clusters {
        out.push((
            Swatch::Cluster,
            "Several incidents at one place: their count (key numbers beside it; grey when of different kinds)".into(),
        ));
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

/// Draws the legend in `panel` from `top`; returns the texts drawn.
pub fn draw(
    p: &mut dyn Painter,
    ctx: &Context<'_>,
    panel: PxRect,
    top: f32,
    entries: &[(Swatch, String)],
) -> Vec<String> {
    let st = ctx.style;
    let s = ctx.s();
    let x0 = panel.x + 18.0 * s;
    p.hline(
        x0,
        panel.right() - 18.0 * s,
        top,
        st.text.panel_rule,
        1.0 * s,
    );
    ctx.text(
        p,
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
                        p.stroke(&path, *cc, cw * s);
                    }
                    p.stroke(&path, *c, w * s);
                }
            }
            Swatch::Tick => {
                let mut pb = PathBuilder::new();
                pb.move_to(cx - 12.0 * s, cy);
                pb.line_to(cx + 12.0 * s, cy);
                pb.move_to(cx, cy - st.km_marks.tick_length * s);
                pb.line_to(cx, cy + st.km_marks.tick_length * s);
                if let Some(path) = pb.finish() {
                    p.stroke(&path, st.border.color, st.border.width * s * 0.7);
                    p.stroke(&path, st.km_marks.color, 1.4 * s);
                }
            }
            Swatch::Fill(c) => {
                p.fill_rect(
                    PxRect::new(cx - 11.0 * s, cy - 7.0 * s, 22.0 * s, 14.0 * s),
                    *c,
                );
                if let Some(r) = Rect::from_xywh(cx - 11.0 * s, cy - 7.0 * s, 22.0 * s, 14.0 * s) {
                    let path = PathBuilder::from_rect(r);
                    p.stroke(&path, st.base.outline, 0.8 * s);
                }
            }
            Swatch::Post(kind) => {
                let r = st.posts.size * s * 0.8;
                crate::render::layers::posts::symbol(p, &st.posts, kind, (cx, cy), r, s);
            }
            Swatch::Place => {
                if let Some(path) = PathBuilder::from_circle(cx, cy, st.places.size * s) {
                    p.fill(&path, st.places.color);
                }
            }
            Swatch::Incident(sym, c) => {
                if let Some(path) = symbols::path(*sym, cx, cy, 7.5 * s) {
                    p.fill(&path, *c);
                    p.stroke(&path, WHITE, 1.2 * s);
                }
            }
            Swatch::Pattern(c, w, [on, off]) => {
                let mut pb = PathBuilder::new();
                pb.move_to(cx - 12.0 * s, cy);
                pb.line_to(cx + 12.0 * s, cy);
                if let Some(path) = pb.finish() {
                    p.stroke(&path, st.border.casing, st.border.casing_width * s);
                    p.stroke_dashed(&path, *c, w * s, &[on * s, off * s]);
                }
            }
            Swatch::Cluster => {
                let r = 8.0 * s;
                if let Some(path) = symbols::path(Symbol::Circle, cx, cy, r) {
                    p.fill(&path, crate::render::layers::clusters::MIXED);
                }
                let num = ctx.shape("3", Weight::Bold, 9.0);
                p.text(
                    &num,
                    cx - num.width / 2.0,
                    cy + num.ascent * 0.36,
                    super::WHITE,
                    None,
                );
            }
            Swatch::Ring => {
                if let Some(path) = PathBuilder::from_circle(cx, cy, 8.0 * s) {
                    p.stroke_dashed(
                        &path,
                        st.incidents.precision_ring,
                        1.2 * s,
                        &[3.0 * s, 2.0 * s],
                    );
                }
            }
        }
        let lines = ctx.wrap(
            text,
            Weight::Regular,
            st.text.small_size,
            text_width(ctx, panel),
        );
        let mut ly = cy;
        for l in &lines {
            p.text(l, x0 + 36.0 * s, ly + l.ascent * 0.36, st.text.color, None);
            ly += l.size_line();
        }
        drawn.push(text.clone());
        y += 21.0 * s
            + (lines.len().max(1) - 1) as f32 * lines.first().map_or(0.0, |l| l.size_line());
    }
    drawn
}

fn text_width(ctx: &Context<'_>, panel: PxRect) -> f32 {
    panel.w - 36.0 * ctx.s() - 36.0 * ctx.s()
}

/// The legend's height in `panel`.
pub fn height(ctx: &Context<'_>, panel: PxRect, entries: &[(Swatch, String)]) -> f32 {
    let s = ctx.s();
    entries
        .iter()
        .map(|(_, t)| {
            let lines = ctx.wrap(
                t,
                Weight::Regular,
                ctx.style.text.small_size,
                text_width(ctx, panel),
            );
            21.0 * s
                + (lines.len().max(1) - 1) as f32 * lines.first().map_or(0.0, |l| l.size_line())
        })
        .sum()
}
