//! Drawing the map layers of a prepared [`Scene`] into any frame, through a [`Painter`].
//!
//! [`draw_map`] draws countries, highlighted stretches, the border, km marks, symbols and
//! labels, in that order, for one frame; it knows nothing of titles or legends (the
//! [`crate::furniture`] module composes those around a static map). Symbols and labels
//! come from a [`Plan`], placed once per static map or once per zoom level for tiles.

pub mod clip;
pub mod clusters;
pub mod dashes;
pub mod labels;
pub mod layers;
pub mod paint;
pub mod plan;
pub mod png;
pub mod polyline;
pub mod svg;
pub mod symbols;
pub mod text;

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use crate::projection::Frame;
use crate::scene::Scene;
pub use paint::{Painter, SkiaPainter};
pub use plan::Plan;

/// What a frame drew, so a legend can list exactly that.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LegendItems {
    /// The border line.
    pub border: bool,
    /// Highlighted km ranges.
    pub highlight: bool,
    /// km ticks and their step.
    pub km_step: Option<f64>,
    /// Post kinds.
    pub post_kinds: BTreeSet<String>,
    /// Town dots.
    pub places: bool,
    /// Incident kinds (style keys).
    pub kinds: BTreeSet<String>,
    /// Uncertainty rings.
    pub precision_ring: bool,
    /// Symbols standing for several incidents at one place.
    pub clusters: bool,
    /// A long bridge over a gap in the border data, drawn dashed.
    pub gap: bool,
    /// Disputed or de facto stretches of the border, drawn dashed.
    pub statuses: BTreeSet<crate::linref::status::Status>,
}

/// What [`draw_map`] did.
#[derive(Debug, Clone, Default)]
pub struct Drawn {
    /// What was drawn, for the legend.
    pub legend: LegendItems,
    /// Time per layer, in drawing order.
    pub layers: Vec<(&'static str, Duration)>,
}

/// Draws the map layers of `scene` for `frame` through `painter`, with symbols and labels
/// from `plan` (which must have the frame's resolution). `countries` are the country
/// rings in the frame's pixels when the caller already has them ([`layers::countries::rings_px`]).
pub fn draw_map(
    scene: &Scene<'_>,
    frame: &Frame,
    painter: &mut dyn Painter,
    plan: &Plan,
    countries: Option<&[layers::countries::CountryRings]>,
) -> Drawn {
    let mut d = draw_base(
        scene,
        frame,
        painter,
        countries,
        true,
        plan.viewport.is_some(),
    );
    draw_overlay(scene, frame, painter, plan, &mut d);
    d
}

/// The layers under the symbols: countries, highlighted stretches (when `highlights`),
/// the border and km ticks (`whole_ticks`: only ticks whose centre is in the frame, as
/// a static map draws them). Without highlights this part does not depend on the date,
/// so a batch draws it once.
pub fn draw_base(
    scene: &Scene<'_>,
    frame: &Frame,
    painter: &mut dyn Painter,
    countries: Option<&[layers::countries::CountryRings]>,
    highlights: bool,
    whole_ticks: bool,
) -> Drawn {
    let mut d = Drawn::default();
    let l = &scene.style.layers;
    let mut timed = |name: &'static str, f: &mut dyn FnMut()| {
        let t = Instant::now();
        f();
        d.layers.push((name, t.elapsed()));
    };
    let mut legend = LegendItems::default();
    if l.basemap {
        timed("countries", &mut || match countries {
            Some(rings) => layers::countries::draw(scene, painter, rings),
            None => {
                layers::countries::draw(scene, painter, &layers::countries::rings_px(scene, frame))
            }
        });
    }
    if l.incidents && highlights {
        timed("highlights", &mut || {
            legend.highlight = layers::highlights::draw(scene, frame, painter);
        });
    }
    if l.border {
        timed("border", &mut || {
            let drawn = layers::border::draw(scene, frame, painter);
            legend.border = drawn.border;
            legend.gap = drawn.gap;
            legend.statuses = drawn.statuses;
        });
    }
    if l.km_marks {
        timed("km marks", &mut || {
            legend.km_step = layers::km_marks::draw(scene, frame, painter, whole_ticks);
        });
    }
    d.legend = legend;
    d
}

/// The layers over the base: symbols and labels from `plan`; adds to `d`.
pub fn draw_overlay(
    scene: &Scene<'_>,
    frame: &Frame,
    painter: &mut dyn Painter,
    plan: &Plan,
    d: &mut Drawn,
) {
    let t = Instant::now();
    layers::symbols::draw(scene, frame, plan, painter, &mut d.legend);
    d.layers.push(("symbols", t.elapsed()));
    let t = Instant::now();
    layers::labels::draw(scene, frame, plan, painter);
    d.layers.push(("labels", t.elapsed()));
}
