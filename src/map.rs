//! A static map: a [`Scene`]'s map layers in a frame fitted to the view, composed with
//! furniture (title, cards, legend, scale bar, inset, sources) on one canvas.

use std::time::{Duration, Instant};

use jiff::civil::Date;
use tiny_skia::Pixmap;

use crate::dataset::Dataset;
use crate::furniture::{self, Context, country_names, north_arrow, scale_bar};
use crate::projection::{Frame, PxRect};
use crate::render::layers::countries::CountryRings;
use crate::render::plan::{Plan, Request};
use crate::render::text::Fonts;
use crate::render::{Painter, SkiaPainter, draw_base, draw_map, draw_overlay, layers};
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

/// Named canvas sizes a graphics desk asks for.
pub const PRESETS: [(&str, u32, u32); 6] = [
    ("default", 1600, 1000),
    ("small", 800, 500),
    ("wide", 1200, 675),
    ("square", 1080, 1080),
    ("portrait", 1080, 1350),
    ("print", 2400, 1600),
];

/// The size of a preset by name.
pub fn preset(name: &str) -> Option<(u32, u32)> {
    PRESETS
        .iter()
        .find(|(n, _, _)| *n == name)
        .map(|&(_, w, h)| (w, h))
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

/// What a static map's frame needs before any incident is placed: the canvas layout, the
/// frame, the base layers (background, countries, border, km ticks) already drawn, and the
/// furniture's obstacles. A batch prepares it once and draws every day on a copy.
pub struct Canvas {
    layout: furniture::CanvasLayout,
    frame: Frame,
    base: Pixmap,
    base_drawn: crate::render::Drawn,
    rings: Vec<CountryRings>,
    bar: Option<scale_bar::ScaleBar>,
    obstacles: Vec<PxRect>,
    names: Vec<Request>,
    layout_time: Duration,
}

impl std::fmt::Debug for Canvas {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Canvas")
            .field("frame", &self.frame)
            .finish_non_exhaustive()
    }
}

impl Canvas {
    /// The map's frame.
    pub fn frame(&self) -> &Frame {
        &self.frame
    }
}

/// Lays out `spec` and draws its date-independent base layers.
pub fn prepare(scene: &Scene<'_>, spec: &MapSpec) -> Result<Canvas, RenderError> {
    check_size(spec.width, spec.height)?;
    let (data, style, s) = (scene.data, scene.style, scene.scale);
    let t0 = Instant::now();
    let title = spec
        .title
        .clone()
        .unwrap_or_else(|| furniture::header::default_title(data));
    let title_lines =
        furniture::header::title_lines(scene.fonts, style, s, &title, spec.width as f32 - 44.0 * s)
            .len();
    let layout = furniture::canvas_layout(spec, style, title_lines);
    let frame = frame_for(data, spec, layout.map)?;
    let mut base = blank(spec.width, spec.height, style.base.background)?;
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
    let layout_time = t0.elapsed();
    let base_drawn = {
        let mut painter = SkiaPainter::new(base.as_mut(), scene.fonts);
        draw_base(scene, &frame, &mut painter, Some(&rings), false, true)
    };
    Ok(Canvas {
        layout,
        frame,
        base,
        base_drawn,
        rings,
        bar,
        obstacles,
        names,
        layout_time,
    })
}

/// What the furniture needs: its context and the incidents it lists.
fn furniture_inputs<'a>(
    scene: &'a Scene<'a>,
    spec: &'a MapSpec,
    canvas: &'a Canvas,
) -> (Context<'a>, Vec<furniture::Listed<'a>>) {
    let (left, right) = (&scene.base.sides.0, &scene.base.sides.1);
    let ctx = Context {
        scene,
        data: scene.data,
        style: scene.style,
        fonts: scene.fonts,
        spec,
        frame: canvas.frame,
        layout: &canvas.layout,
        left: left.as_deref(),
        right: right.as_deref(),
        scale_bar: canvas.bar,
        outside: 0,
    };
    // A map zoomed on part of the border lists what is on it; the header says how many
    // incidents of the same dates lie outside.
    let e = canvas.frame.extent;
    let zoomed = !matches!(spec.view, View::Border);
    let inside = |x: &crate::scene::Shown<'_>| {
        !zoomed
            || x.merc
                .is_none_or(|(mx, my)| mx >= e[0] && mx <= e[2] && my >= e[1] && my <= e[3])
    };
    let listed = scene
        .incidents
        .iter()
        .filter(|x| inside(x))
        .map(|x| (x.incident, x.number, x.at.is_some()))
        .collect();
    let ctx = Context {
        outside: scene.incidents.iter().filter(|x| !inside(x)).count(),
        ..ctx
    };
    (ctx, listed)
}

/// Draws a static map from a prepared scene (whose scale and dates `spec` must match).
pub fn render_scene(scene: &Scene<'_>, spec: &MapSpec) -> Result<Rendered, RenderError> {
    let canvas = prepare(scene, spec)?;
    render_on(scene, spec, &canvas)
}

/// Draws the incidents of `scene`, the labels and the furniture over a copy of `canvas`'s
/// base. The same scene and spec give the same bytes as [`render_scene`].
pub fn render_on(
    scene: &Scene<'_>,
    spec: &MapSpec,
    canvas: &Canvas,
) -> Result<Rendered, RenderError> {
    let style = scene.style;
    let t0 = Instant::now();
    let frame = canvas.frame;
    let plan = Plan::for_frame(scene, &frame, &canvas.obstacles, canvas.names.clone());
    let layout_time = canvas.layout_time + t0.elapsed();
    let t1 = Instant::now();
    let clip = crate::scene::geometry::frame_box(&frame, 8.0 * scene.scale);
    let highlighted = style.layers.incidents
        && scene
            .highlights
            .iter()
            .any(|h| !h.line.runs_in(&clip).is_empty());
    let mut pixmap = canvas.base.clone();
    let mut painter = SkiaPainter::new(pixmap.as_mut(), scene.fonts);
    let mut drawn = if highlighted {
        // A stretch lies under the border: draw the base again with it.
        painter.fill_rect(
            PxRect::new(0.0, 0.0, spec.width as f32, spec.height as f32),
            style.base.background,
        );
        draw_base(scene, &frame, &mut painter, Some(&canvas.rings), true, true)
    } else {
        canvas.base_drawn.clone()
    };
    draw_overlay(scene, &frame, &mut painter, &plan, &mut drawn);
    let (ctx, listed) = furniture_inputs(scene, spec, canvas);
    let tf = Instant::now();
    let furnished = furniture::draw(&mut painter, &ctx, &drawn.legend, &listed);
    let extra = furniture::growth(&ctx, &listed, &furnished.overflow);
    // A key too long for the panel continues below the map, credits may wrap: the canvas
    // grows.
    if extra > 0.0 {
        pixmap = grown(&pixmap, extra as u32, style.base.background)?;
    }
    let mut painter = SkiaPainter::new(pixmap.as_mut(), scene.fonts);
    furniture::draw_bottom(&mut painter, &ctx, &listed, &furnished.overflow);
    let legend = furnished.legend;
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
            .map(|x| x.incident.id.to_string())
            .collect(),
        timings: Timings {
            scene: Duration::ZERO,
            layout: layout_time,
            draw: t1.elapsed(),
            layers: layer_times,
        },
    })
}

/// A `w`×`h` canvas (checked against the size limits) filled with `background`.
fn blank(w: u32, h: u32, background: crate::style::Rgba) -> Result<Pixmap, RenderError> {
    check_size(w, h)?;
    let mut out = Pixmap::new(w, h).ok_or(RenderError::Size {
        width: w,
        height: h,
        reason: "cannot allocate",
    })?;
    out.fill(background.color());
    Ok(out)
}

/// `pixmap` with `extra` rows of background added at the bottom.
fn grown(
    pixmap: &Pixmap,
    extra: u32,
    background: crate::style::Rgba,
) -> Result<Pixmap, RenderError> {
    let mut out = blank(pixmap.width(), pixmap.height() + extra, background)?;
    out.draw_pixmap(
        0,
        0,
        pixmap.as_ref(),
        &tiny_skia::PixmapPaint::default(),
        tiny_skia::Transform::identity(),
        None,
    );
    Ok(out)
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
    let mut pixmap = blank(w, h, scene.style.base.background)?;
    let plan = Plan::for_frame(scene, frame, &[], Vec::new());
    let mut painter = SkiaPainter::new(pixmap.as_mut(), scene.fonts);
    draw_map(scene, frame, &mut painter, &plan, None);
    Ok(pixmap)
}

/// The same static map as an SVG document: the same layout and drawing through the SVG
/// painter, text as `<text>` with font names, paths as paths, editable in Illustrator or
/// Inkscape.
pub fn render_svg(scene: &Scene<'_>, spec: &MapSpec) -> Result<String, RenderError> {
    let canvas = prepare(scene, spec)?;
    let style = scene.style;
    let frame = canvas.frame;
    let plan = Plan::for_frame(scene, &frame, &canvas.obstacles, canvas.names.clone());
    let mut p = crate::render::svg::SvgPainter::new(spec.width, spec.height, scene.fonts);
    p.fill_rect(
        PxRect::new(0.0, 0.0, spec.width as f32, spec.height as f32),
        style.base.background,
    );
    p.group("map");
    let mut drawn = draw_base(scene, &frame, &mut p, Some(&canvas.rings), true, true);
    draw_overlay(scene, &frame, &mut p, &plan, &mut drawn);
    p.end_group();
    let (ctx, listed) = furniture_inputs(scene, spec, &canvas);
    p.group("furniture");
    let furnished = furniture::draw(&mut p, &ctx, &drawn.legend, &listed);
    let extra = furniture::growth(&ctx, &listed, &furnished.overflow);
    if extra > 0.0 {
        p.set_height(spec.height + extra as u32);
    }
    furniture::draw_bottom(&mut p, &ctx, &listed, &furnished.overflow);
    p.end_group();
    Ok(p.finish())
}
