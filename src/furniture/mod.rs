//! Map furniture around a static map: header (title, subtitle), the side panel (incident
//! cards with each side's figures, legend, inset locator), scale bar, north arrow and
//! sources line. One file per item; [`draw`] composes them.

pub mod attribution;
pub mod band;
pub mod cards;
pub mod country_names;
pub mod header;
pub mod inset;
pub mod key;
pub mod layout;
pub mod legend;
pub mod north_arrow;
pub mod scale_bar;

use crate::dataset::Dataset;
use crate::map::MapSpec;
use crate::model::Incident;
use crate::projection::{Frame, PxRect};
use crate::render::LegendItems;
use crate::render::paint::Painter;
use crate::render::text::{Fonts, Shaped, Weight};
use crate::style::{Rgba, Style};
pub use layout::{CanvasLayout, canvas_layout};
pub use scale_bar::ScaleBar;

/// White, for halos and badges.
pub const WHITE: Rgba = Rgba([255, 255, 255, 255]);

/// An incident as the furniture lists it: the record, its key number, and whether it has
/// a symbol on the map.
pub type Listed<'a> = (&'a Incident, usize, bool);

/// Inputs for furniture drawing.
pub struct Context<'a> {
    /// The scene the map was drawn from.
    pub scene: &'a crate::scene::Scene<'a>,
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
    /// Incidents of the map's dates that lie outside a zoomed map's frame (not listed).
    pub outside: usize,
}

impl Context<'_> {
    /// The scale factor.
    pub fn s(&self) -> f32 {
        self.spec.scale
    }

    /// Shapes `text` at `size` (unscaled).
    pub fn shape(&self, text: &str, w: Weight, size: f32) -> Shaped {
        self.fonts.shape(text, w, size * self.s())
    }

    #[expect(
        clippy::too_many_arguments,
        reason = "text, weight, size, colour and position"
    )]
    /// Sets one line of text; returns its width.
    pub fn text(
        &self,
        p: &mut dyn Painter,
        t: &str,
        w: Weight,
        size: f32,
        color: Rgba,
        x: f32,
        baseline: f32,
    ) -> f32 {
        let shaped = self.shape(t, w, size);
        p.text(&shaped, x, baseline, color, None);
        shaped.width
    }

    /// Breaks `text` into lines no wider than `width` (see [`Fonts::wrap`]); `size` unscaled.
    pub fn wrap(&self, text: &str, w: Weight, size: f32, width: f32) -> Vec<Shaped> {
        self.fonts.wrap(text, w, size * self.s(), width)
    }

    /// The base map's name for a country code.
    pub fn country_name(&self, code: &str) -> String {
        self.data
            .countries
            .iter()
            .find(|c| c.code == code)
            .and_then(|c| c.properties.get("name").and_then(|v| v.as_str()))
            .unwrap_or(code)
            .to_string()
    }
}

/// What [`draw`] leaves for below the map.
#[derive(Debug, Clone, Default)]
pub struct Furnished {
    /// The legend entries drawn.
    pub legend: Vec<String>,
    /// Incidents (indices into the listed ones) whose key entries continue below the map.
    pub overflow: Vec<usize>,
}

/// Draws the furniture on and beside the map (everything but the band and footer below
/// it, see [`draw_bottom`]).
pub fn draw(
    p: &mut dyn Painter,
    ctx: &Context<'_>,
    items: &LegendItems,
    incidents: &[Listed<'_>],
) -> Furnished {
    let st = ctx.style;
    let s = ctx.s();
    if let Some(bar) = &ctx.scale_bar {
        scale_bar::draw(p, ctx, bar);
    }
    north_arrow::draw(p, ctx);
    if let Some(h) = ctx.layout.header {
        header::draw(p, ctx, h, incidents);
    }
    let mut out = Furnished::default();
    if let Some(panel) = ctx.layout.panel {
        p.fill_rect(panel, st.text.panel_fill);
        let rule = if ctx.layout.below {
            (
                (panel.x, panel.y + 0.5 * s),
                (panel.right(), panel.y + 0.5 * s),
            )
        } else {
            (
                (panel.x + 0.5 * s, panel.y),
                (panel.x + 0.5 * s, panel.bottom()),
            )
        };
        if let Some(path) = crate::render::paint::segment(rule.0, rule.1) {
            p.stroke(&path, st.text.panel_rule, 1.0 * s);
        }
        let entries = legend::entries(ctx, items);
        let slots = slots(ctx, panel, &entries);
        if st.layers.panel {
            let key = slots.key;
            if incidents.is_empty() {
                cards::draw_empty(p, ctx, key, incidents);
            } else {
                let plan = key::plan(ctx, incidents, key.w, key.h);
                key::draw(p, ctx, (key.x, key.w), key.y, incidents, &plan);
                out.overflow = plan.overflow;
            }
        }
        if let Some((column, top)) = slots.legend {
            out.legend = legend::draw(p, ctx, column, top, &entries);
        }
        if let Some(inset) = slots.inset {
            inset::draw(p, ctx, inset);
        }
    }
    out
}

/// Where the key, the legend and the inset go in the panel.
struct Slots {
    /// The key's column: its left, top, width and the height it may fill.
    key: PxRect,
    /// The legend's column (its x and width are used) and its top.
    legend: Option<(PxRect, f32)>,
    /// The inset locator.
    inset: Option<PxRect>,
}

fn slots(ctx: &Context<'_>, panel: PxRect, entries: &[(legend::Swatch, String)]) -> Slots {
    let st = ctx.style;
    let s = ctx.s();
    if ctx.layout.below {
        // Key on the left; legend, then the inset if it fits, on the right.
        let col_w = (390.0 * s).min(panel.w * 0.45);
        let column = PxRect::new(panel.right() - col_w, panel.y, col_w, panel.h);
        let legend_top = panel.y + 14.0 * s;
        let legend_h = if st.layers.legend {
            30.0 * s + legend::height(ctx, column, entries)
        } else {
            0.0
        };
        let inset_top = legend_top + legend_h;
        let inset = (st.layers.inset && panel.bottom() - inset_top >= 120.0 * s).then(|| {
            PxRect::new(
                column.x + 18.0 * s,
                inset_top + 4.0 * s,
                column.w - 36.0 * s,
                (panel.bottom() - inset_top - 18.0 * s).min(190.0 * s),
            )
        });
        let key_w = if st.layers.legend || st.layers.inset {
            panel.w - col_w
        } else {
            panel.w
        };
        return Slots {
            key: PxRect::new(
                panel.x + 18.0 * s,
                panel.y + 16.0 * s,
                key_w - 36.0 * s,
                panel.h - 28.0 * s,
            ),
            legend: st.layers.legend.then_some((column, legend_top)),
            inset,
        };
    }
    let legend_h = if st.layers.legend {
        30.0 * s + legend::height(ctx, panel, entries)
    } else {
        0.0
    };
    // The key needs room first; on a short panel the inset goes.
    let min_cards = if st.layers.panel { 150.0 * s } else { 0.0 };
    let inset_h = if st.layers.inset && panel.h - legend_h - 190.0 * s >= min_cards {
        190.0 * s
    } else {
        0.0
    };
    let cards_bottom = panel.bottom() - inset_h - legend_h - 12.0 * s;
    let top = panel.y + 16.0 * s;
    Slots {
        key: PxRect::new(
            panel.x + 18.0 * s,
            top,
            panel.w - 36.0 * s,
            cards_bottom - top,
        ),
        legend: st
            .layers
            .legend
            .then_some((panel, panel.bottom() - inset_h - legend_h)),
        inset: (inset_h > 0.0).then(|| {
            PxRect::new(
                panel.x + 18.0 * s,
                panel.bottom() - inset_h + 4.0 * s,
                panel.w - 36.0 * s,
                inset_h - 18.0 * s,
            )
        }),
    }
}

/// How much taller the canvas must grow below the map: the key's continuation band, and a
/// footer whose credits wrap to more lines (0 when everything fits).
pub fn growth(ctx: &Context<'_>, incidents: &[Listed<'_>], overflow: &[usize]) -> f32 {
    let rows: Vec<Listed<'_>> = overflow.iter().map(|&i| incidents[i]).collect();
    let band = band::height(ctx, &rows, ctx.spec.width as f32);
    let footer = ctx
        .layout
        .footer
        .map_or(0.0, |f| attribution::height(ctx, incidents) - f.h);
    (band + footer).ceil()
}

/// Draws what goes below the map on a canvas grown by [`growth`]: the key's continuation
/// band, then the footer (sources and credits) under it.
pub fn draw_bottom(
    p: &mut dyn Painter,
    ctx: &Context<'_>,
    incidents: &[Listed<'_>],
    overflow: &[usize],
) {
    let top = ctx.layout.footer.map_or(ctx.spec.height as f32, |f| f.y);
    let rows: Vec<Listed<'_>> = overflow.iter().map(|&i| incidents[i]).collect();
    let band_h = band::height(ctx, &rows, ctx.spec.width as f32);
    if band_h > 0.0 {
        let rect = PxRect::new(0.0, top, ctx.spec.width as f32, band_h);
        band::draw(p, ctx, rect, &rows);
    }
    if let Some(f) = ctx.layout.footer {
        let h = attribution::height(ctx, incidents);
        attribution::draw(p, ctx, PxRect::new(f.x, top + band_h, f.w, h), incidents);
    }
}
