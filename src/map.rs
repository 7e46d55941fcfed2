//! A static map: a [`Scene`]'s map layers in a frame fitted to the view, composed with
//! furniture (title, cards, legend, scale bar, inset, sources) on one canvas.

use std::time::{Duration, Instant};

use jiff::civil::Date;
use tiny_skia::Pixmap;

use crate::dataset::Dataset;
use crate::furniture::{self, Context, country_names, north_arrow, scale_bar};
use crate::projection::{Frame, PxRect};
use crate::render::text::Fonts;
use crate::render::{SkiaPainter, draw_map, layers, plan::Plan};
use crate::scene::Scene;
use crate::style::Style;

/// What part of the world a map shows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum View {
    /// The whole border, padded.
    Border,
    /// A lon/lat box `[lon_min, lat_min, lon_max, lat_max]`.
    Bbox([f64; 4]),
    /// The stretch of border between two km marks, padded.
    Km(f64, f64),
}

/// Everything that decides one picture.
#[derive(Debug, Clone, PartialEq)]
pub struct MapSpec {
    /// Canvas width in pixels.
    pub width: u32,
    /// Canvas height in pixels.
    pub height: u32,
    /// Multiplies every pixel parameter: line widths, fonts, symbols, halos, offsets.
    pub scale: f32,
    /// What to show.
    pub view: View,
    /// Only incidents overlapping this inclusive day range; `None` for all.
    pub dates: Option<(Date, Date)>,
    /// Title; `None` for one made from the border's name.
    pub title: Option<String>,
}

/// Time spent in each stage, for `-v`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Timings {
    /// Preparing the scene: selecting and numbering incidents, shaping labels.
    pub scene: Duration,
    /// Shaping text and placing labels.
    pub layout: Duration,
    /// Rasterising.
    pub draw: Duration,
    /// Drawing time per layer, in drawing order.
    pub layers: Vec<(&'static str, Duration)>,
}

/// A rendered map and what happened on the way.
#[derive(Debug)]
pub struct Rendered {
    /// The picture.
    pub pixmap: Pixmap,
    /// Labels that could not be placed, lowest priority first.
    pub dropped_labels: Vec<String>,
    /// Every placed label's box, for overlap checks.
    pub label_boxes: Vec<(String, PxRect)>,
    /// Legend entries, as drawn.
    pub legend: Vec<String>,
    /// Incidents shown, in panel order.
    pub incidents: Vec<String>,
    /// Time per stage.
    pub timings: Timings,
}

/// Why a map cannot be drawn.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum RenderError {
    /// The canvas size is unusable.
    #[error("size {width}x{height}: {reason}")]
    Size {
        /// Width asked for.
        width: u32,
        /// Height asked for.
        height: u32,
        /// What is wrong.
        reason: &'static str,
    },
    /// The km range is not on the border.
    #[error("km range {from}-{to}: {reason}")]
    KmRange {
        /// Start.
        from: f64,
        /// End.
        to: f64,
        /// What is wrong.
        reason: String,
    },
    /// The bounding box is unusable.
    #[error(
        "bbox {0:?}: expected lon_min < lon_max and lat_min < lat_max within -180..180, -85..85"
    )]
    Bbox([f64; 4]),
}

/// Largest side and area accepted.
pub const MAX_SIDE: u32 = 16_384;
/// Largest canvas in pixels (100 megapixels).
pub const MAX_PIXELS: u64 = 100_000_000;

/// Checks a canvas size.
pub fn check_size(width: u32, height: u32) -> Result<(), RenderError> {
    let reason = if width == 0 || height == 0 {
        "a side of zero pixels"
    } else if width > MAX_SIDE || height > MAX_SIDE {
        "a side over 16384 pixels"
    } else if u64::from(width) * u64::from(height) > MAX_PIXELS {
        "over 100 megapixels"
    } else {
        return Ok(());
    };
    Err(RenderError::Size {
        width,
        height,
        reason,
    })
}

/// Draws a map of `data` in `style` as `spec` says.
pub fn render(
    data: &Dataset,
    style: &Style,
    fonts: &Fonts,
    spec: &MapSpec,
) -> Result<Rendered, RenderError> {
    check_size(spec.width, spec.height)?;
    let t0 = Instant::now();
    let scene = Scene::new(data, style, fonts, spec.scale, spec.dates);
    let prepared = t0.elapsed();
    let mut map = render_scene(&scene, spec)?;
    map.timings.scene = prepared;
    Ok(map)
}

/// Draws a static map from a prepared scene (whose scale and dates `spec` must match).
pub fn render_scene(scene: &Scene<'_>, spec: &MapSpec) -> Result<Rendered, RenderError> {
    check_size(spec.width, spec.height)?;
    let (data, style, s) = (scene.data, scene.style, scene.scale);
    let t0 = Instant::now();
    let layout = furniture::canvas_layout(spec, style);
    let frame = frame_for(data, spec, layout.map)?;
    let mut pixmap = Pixmap::new(spec.width, spec.height).ok_or(RenderError::Size {
        width: spec.width,
        height: spec.height,
        reason: "cannot allocate",
    })?;
    pixmap.fill(style.base.background.color());

    let rings = layers::countries::rings_px(scene, &frame);
    let border = layers::border::runs_px(scene, &frame, &scene.level(frame.m_per_px()).border);
    let bar = style
        .layers
        .scale_bar
        .then(|| scale_bar::layout(&frame, s, &border));
    let mut obstacles = vec![north_arrow::area(&frame, s)];
    obstacles.extend(bar.map(|b| b.rect));
    let names = if style.layers.basemap {
        country_names::requests(scene, &frame, &rings, &border)
    } else {
        Vec::new()
    };
    let plan = Plan::for_frame(scene, &frame, &obstacles, names);
    let layout_time = t0.elapsed();

    let t1 = Instant::now();
    let mut painter = SkiaPainter::new(pixmap.as_mut(), scene.fonts);
    let drawn = draw_map(scene, &frame, &mut painter, &plan, Some(&rings));
    let (left, right) = (&scene.base.sides.0, &scene.base.sides.1);
    let ctx = Context {
        scene,
        data,
        style,
        fonts: scene.fonts,
        spec,
        frame,
        layout: &layout,
        left: left.as_deref(),
        right: right.as_deref(),
        scale_bar: bar,
    };
    let listed: Vec<furniture::Listed<'_>> = scene
        .incidents
        .iter()
        .map(|x| (x.incident, x.number, x.at.is_some()))
        .collect();
    let tf = Instant::now();
    let legend = furniture::draw(&mut painter, &ctx, &drawn.legend, &listed);
    let mut layer_times = drawn.layers;
    layer_times.push(("furniture", tf.elapsed()));
    Ok(Rendered {
        pixmap,
        dropped_labels: plan.dropped.clone(),
        label_boxes: plan
            .labels
            .iter()
            .map(|l| (l.text.key.clone(), l.rect))
            .collect(),
        legend,
        incidents: scene
            .incidents
            .iter()
            .map(|x| x.incident.id.clone())
            .collect(),
        timings: Timings {
            scene: Duration::ZERO,
            layout: layout_time,
            draw: t1.elapsed(),
            layers: layer_times,
        },
    })
}

fn frame_for(data: &Dataset, spec: &MapSpec, viewport: PxRect) -> Result<Frame, RenderError> {
    Ok(match spec.view {
        View::Border => Frame::fit(data.border.bbox(), viewport, 0.04),
        View::Bbox(b) => {
            let ok = b.iter().all(|v| v.is_finite())
                && b[0] < b[2]
                && b[1] < b[3]
                && b[0] >= -180.0
                && b[2] <= 180.0
                && b[1] >= -85.0
                && b[3] <= 85.0;
            if !ok {
                return Err(RenderError::Bbox(b));
            }
            Frame::fit(b, viewport, 0.0)
        }
        View::Km(from, to) => {
            let len = data.border.length_km();
            if !(from.is_finite() && to.is_finite() && from < to) {
                return Err(RenderError::KmRange {
                    from,
                    to,
                    reason: "expected A-B with A < B".into(),
                });
            }
            if from < 0.0 || to > len {
                return Err(RenderError::KmRange {
                    from,
                    to,
                    reason: format!("outside the border (0 to {len:.1} km)"),
                });
            }
            let line = data
                .border
                .substring(from, to)
                .map_err(|e| RenderError::KmRange {
                    from,
                    to,
                    reason: e.to_string(),
                })?;
            let mut b = [
                f64::INFINITY,
                f64::INFINITY,
                f64::NEG_INFINITY,
                f64::NEG_INFINITY,
            ];
            for p in &line {
                b = [
                    b[0].min(p.lon),
                    b[1].min(p.lat),
                    b[2].max(p.lon),
                    b[3].max(p.lat),
                ];
            }
            Frame::fit(b, viewport, 0.12)
        }
    })
}

/// The map layers alone in `frame` (no furniture), labels kept inside it: what a plain
/// renderer such as Mapnik draws for one extent.
pub fn render_bare(scene: &Scene<'_>, frame: &Frame) -> Result<Pixmap, RenderError> {
    let (w, h) = (
        frame.viewport.w.ceil() as u32,
        frame.viewport.h.ceil() as u32,
    );
    check_size(w, h)?;
    let mut pixmap = Pixmap::new(w, h).ok_or(RenderError::Size {
        width: w,
        height: h,
        reason: "cannot allocate",
    })?;
    pixmap.fill(scene.style.base.background.color());
    let plan = Plan::for_frame(scene, frame, &[], Vec::new());
    let mut painter = SkiaPainter::new(pixmap.as_mut(), scene.fonts);
    draw_map(scene, frame, &mut painter, &plan, None);
    Ok(pixmap)
}
