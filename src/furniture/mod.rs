//! Map furniture around a static map: header (title, subtitle), the side panel (incident
//! cards with each side's figures, legend, inset locator), scale bar, north arrow and
//! sources line. One file per item; [`draw`] composes them.

pub mod attribution;
pub mod cards;
pub mod country_names;
pub mod header;
pub mod inset;
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

    /// Breaks `text` into lines no wider than `width` (each word is measured once; the
    /// lines are then shaped whole, so kerning across words is kept).
    pub fn wrap(&self, text: &str, w: Weight, size: f32, width: f32) -> Vec<Shaped> {
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

/// Draws all furniture; returns the legend entries drawn.
pub fn draw(
    p: &mut dyn Painter,
    ctx: &Context<'_>,
    items: &LegendItems,
    incidents: &[Listed<'_>],
) -> Vec<String> {
    let st = ctx.style;
    let s = ctx.s();
    if let Some(bar) = &ctx.scale_bar {
        scale_bar::draw(p, ctx, bar);
    }
    north_arrow::draw(p, ctx);
    if let Some(h) = ctx.layout.header {
        header::draw(p, ctx, h, incidents);
    }
    if let Some(f) = ctx.layout.footer {
        attribution::draw(p, ctx, f, incidents);
    }
    let mut drawn = Vec::new();
    if let Some(panel) = ctx.layout.panel {
        p.fill_rect(panel, st.text.panel_fill);
        if let Some(path) = crate::render::paint::segment(
            (panel.x + 0.5 * s, panel.y),
            (panel.x + 0.5 * s, panel.bottom()),
        ) {
            p.stroke(&path, st.text.panel_rule, 1.0 * s);
        }
        let entries = legend::entries(ctx, items);
        let legend_h = if st.layers.legend {
            30.0 * s + legend::height(ctx, panel, &entries)
        } else {
            0.0
        };
        // The cards need room first; on a short panel the inset goes before them.
        let min_cards = if st.layers.panel { 150.0 * s } else { 0.0 };
        let inset_h = if st.layers.inset && panel.h - legend_h - 190.0 * s >= min_cards {
            190.0 * s
        } else {
            0.0
        };
        let cards_bottom = panel.bottom() - inset_h - legend_h - 12.0 * s;
        if st.layers.panel {
            cards::draw(p, ctx, panel, cards_bottom, incidents);
        }
        if st.layers.legend {
            let top = panel.bottom() - inset_h - legend_h;
            drawn = legend::draw(p, ctx, panel, top, &entries);
        }
        if inset_h > 0.0 {
            inset::draw(
                p,
                ctx,
                PxRect::new(
                    panel.x + 18.0 * s,
                    panel.bottom() - inset_h + 4.0 * s,
                    panel.w - 36.0 * s,
                    inset_h - 18.0 * s,
                ),
            );
        }
    }
    drawn
}
