//! Drawing the map layers of a prepared [`Scene`] into any frame, through a [`Painter`].
//!
//! [`draw_map`] draws countries, highlighted stretches, the border, km marks, symbols and
//! labels, in that order, for one frame; it knows nothing of titles or legends (the
//! [`crate::furniture`] module composes those around a static map). Symbols and labels
//! come from a [`Plan`], placed once per static map or once per zoom level for tiles.

pub mod clip;
pub mod labels;
pub mod layers;
pub mod paint;
pub mod plan;
pub mod png;
pub mod polyline;
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
    if l.incidents {
        timed("highlights", &mut || {
            legend.highlight = layers::highlights::draw(scene, frame, painter);
        });
    }
    if l.border {
        timed("border", &mut || {
            legend.border = layers::border::draw(scene, frame, painter)
        });
    }
    if l.km_marks {
        let whole_only = plan.viewport.is_some();
        timed("km marks", &mut || {
            legend.km_step = layers::km_marks::draw(scene, frame, painter, whole_only);
        });
    }
    timed("symbols", &mut || {
        layers::symbols::draw(scene, frame, plan, painter, &mut legend);
    });
    timed("labels", &mut || {
        layers::labels::draw(scene, frame, plan, painter)
    });
    d.legend = legend;
    d
}
