//! Drawing maps with tiny-skia: any Web Mercator frame onto a pixmap of any size.
//!
//! A static map and an XYZ tile are the same call, [`render`], with a different
//! [`MapSpec`]: a tile has a tile frame and no furniture (title, panel, legend, scale bar,
//! inset, sources). Layers are drawn in a fixed order, single-threaded, so the same
//! inputs give the same pixels whatever else runs in parallel.

pub mod clip;
mod furniture;
pub mod labels;
pub mod png;
mod symbols;
pub mod text;

use std::time::{Duration, Instant};

use jiff::civil::Date;
use tiny_skia::{
    FillRule, LineCap, LineJoin, Paint, PathBuilder, Pixmap, Stroke, StrokeDash, Transform,
};

use crate::dataset::Dataset;
use crate::model::{Incident, Location, LonLat};
use crate::projection::{Frame, PxRect};
use crate::style::{Rgba, Style, Symbol};
use labels::{LabelRequest, Layout};
use text::{Fonts, Shaped, Weight};

/// What part of the world a map shows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum View {
    /// The whole border, padded.
    Border,
    /// A lon/lat box `[lon_min, lat_min, lon_max, lat_max]`.
    Bbox([f64; 4]),
    /// The stretch of border between two km marks, padded.
    Km(f64, f64),
    /// An exact frame (tiles).
    Frame(Frame),
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
    /// Title, panel, legend, scale bar, inset and sources (off for tiles).
    pub furniture: bool,
}

/// Time spent in each stage, for `-v`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Timings {
    /// Referencing incidents to the border.
    pub locate: Duration,
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

/// One incident as drawn: where, how big, which number in the panel.
struct Shown<'a> {
    incident: &'a Incident,
    number: usize,
    at: Option<LonLat>,
    precision_m: Option<f64>,
}

/// Which country codes are left and right of the border (computed once per dataset).
pub fn border_sides(data: &Dataset) -> (Option<String>, Option<String>) {
    data.border_sides(|| sample_sides(data)).clone()
}

/// The majority country 3 km left and right of the border at 19 points along it.
fn sample_sides(data: &Dataset) -> (Option<String>, Option<String>) {
    let len = data.border.length_km();
    let mut left = std::collections::HashMap::new();
    let mut right = std::collections::HashMap::new();
    for k in 1..20 {
        let km = len * f64::from(k) / 20.0;
        let Ok(p) = data.border.interpolate(km) else {
            continue;
        };
        let Ok(q) = data.border.interpolate((km + 0.5).min(len)) else {
            continue;
        };
        let az = crate::geodesy::inverse(p, q).azimuth_start;
        for (offset, tally) in [(-90.0, &mut left), (90.0, &mut right)] {
            let (side, _) = crate::geodesy::direct(p, az + offset, 3.0);
            if let Some(c) = data.country_at(side) {
                *tally.entry(c).or_insert(0) += 1;
            }
        }
    }
    let top = |m: std::collections::HashMap<String, i32>| {
        m.into_iter()
            .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
            .map(|(c, _)| c)
    };
    (top(left), top(right))
}

/// Draws a map of `data` in `style` as `spec` says.
pub fn render(
    data: &Dataset,
    style: &Style,
    fonts: &Fonts,
    spec: &MapSpec,
) -> Result<Rendered, RenderError> {
    check_size(spec.width, spec.height)?;
    let s = spec.scale;
    let mut timings = Timings::default();
    let t0 = Instant::now();
    let layout = furniture::canvas_layout(spec, style);
    let frame = frame_for(data, spec, layout.map)?;

    // Which incidents, in panel order (by date, then id), and where.
    let mut chosen: Vec<&Incident> = data
        .incidents
        .iter()
        .filter(|i| spec.dates.is_none_or(|(from, to)| i.overlaps(from, to)))
        .collect();
    chosen.sort_by(|a, b| a.date.cmp(&b.date).then(a.id.cmp(&b.id)));
    let shown: Vec<Shown<'_>> = chosen
        .iter()
        .enumerate()
        .map(|(n, inc)| {
            let (at, precision_m) = match &inc.location {
                Location::Point { at, precision_m } if inc.location.is_precise() => {
                    (Some(*at), *precision_m)
                }
                Location::Post { post_id } => (
                    data.post(post_id).map(|(p, _)| p.at),
                    data.post(post_id).and_then(|(p, _)| p.precision_m),
                ),
                _ => (None, None),
            };
            Shown {
                incident: inc,
                number: n + 1,
                at,
                precision_m,
            }
        })
        .collect();
    let (left, right) = border_sides(data);
    timings.locate = t0.elapsed();

    let mut canvas = Pixmap::new(spec.width, spec.height).ok_or(RenderError::Size {
        width: spec.width,
        height: spec.height,
        reason: "cannot allocate",
    })?;
    canvas.fill(style.base.background.color());
    let mut map = MapDraw {
        data,
        style,
        fonts,
        frame,
        s,
        clip: frame.viewport.inflate(8.0 * s),
        obstacles: Vec::new(),
        labels: Vec::new(),
        label_text: Vec::new(),
        legend: furniture::LegendItems::default(),
        country_px: Vec::new(),
    };
    let t1 = Instant::now();
    let (mut draw_time, mut layout_time) = (Duration::ZERO, Duration::ZERO);
    let mut layer_times: Vec<(&'static str, Duration)> = Vec::new();
    let mut timed = |name: &'static str, f: &mut dyn FnMut()| {
        let t = Instant::now();
        f();
        layer_times.push((name, t.elapsed()));
    };
    {
        let pm = &mut canvas;
        timed("mercator", &mut || {
            data.mercator();
        });
        if style.layers.basemap {
            timed("countries", &mut || {
                map.countries(pm, left.as_deref(), right.as_deref())
            });
        }
        timed("highlights", &mut || map.highlights(pm, &shown));
        if style.layers.border {
            timed("border", &mut || map.border(pm));
        }
        if style.layers.km_marks {
            timed("km marks", &mut || map.km_marks(pm));
        }
        if style.layers.places {
            timed("places", &mut || map.places(pm));
        }
        if style.layers.posts {
            timed("posts", &mut || map.posts(pm));
        }
        if style.layers.incidents {
            timed("incidents", &mut || map.incidents(pm, &shown));
        }
        if style.layers.basemap && spec.furniture {
            timed("country names", &mut || {
                map.country_labels(left.as_deref(), right.as_deref())
            });
        }
        draw_time += t1.elapsed();
        let t2 = Instant::now();
        let bar = (spec.furniture && style.layers.scale_bar)
            .then(|| furniture::scale_bar_layout(&frame, s, data));
        if spec.furniture {
            map.obstacles.push(furniture::north_arrow_box(&frame, s));
            if let Some(b) = &bar {
                map.obstacles.push(b.rect);
            }
        }
        let placed = if style.layers.labels {
            labels::place(
                &map.labels,
                frame.viewport.inflate(-2.0 * s),
                &map.obstacles,
                2.0 * s,
            )
        } else {
            Layout::default()
        };
        layout_time += t2.elapsed();
        let t3 = Instant::now();
        timed("labels", &mut || map.draw_labels(pm, &placed));
        draw_time += t3.elapsed();
        let t4 = Instant::now();
        let mut rendered = Rendered {
            pixmap: Pixmap::new(1, 1).ok_or(RenderError::Size {
                width: 1,
                height: 1,
                reason: "cannot allocate",
            })?,
            dropped_labels: placed.dropped.clone(),
            label_boxes: placed
                .placed
                .iter()
                .map(|p| (map.labels[p.index].key.clone(), p.rect))
                .collect(),
            legend: Vec::new(),
            incidents: shown.iter().map(|x| x.incident.id.clone()).collect(),
            timings,
        };
        if spec.furniture {
            let ctx = furniture::Context {
                data,
                style,
                fonts,
                spec,
                frame,
                layout: &layout,
                left: left.as_deref(),
                right: right.as_deref(),
                scale_bar: bar,
            };
            let panel: Vec<(&Incident, usize, bool)> = shown
                .iter()
                .map(|x| (x.incident, x.number, x.at.is_some()))
                .collect();
            timed("furniture", &mut || {
                rendered.legend = furniture::draw(pm, &ctx, &map.legend, &panel)
            });
        }
        draw_time += t4.elapsed();
        rendered.timings.layout = layout_time;
        rendered.timings.draw = draw_time;
        rendered.timings.layers = layer_times;
        rendered.pixmap = canvas;
        Ok(rendered)
    }
}

fn frame_for(data: &Dataset, spec: &MapSpec, viewport: PxRect) -> Result<Frame, RenderError> {
    Ok(match spec.view {
        View::Frame(f) => Frame { viewport, ..f },
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

/// State while drawing the map layers.
struct MapDraw<'a> {
    data: &'a Dataset,
    style: &'a Style,
    fonts: &'a Fonts,
    frame: Frame,
    s: f32,
    clip: PxRect,
    obstacles: Vec<PxRect>,
    labels: Vec<LabelRequest>,
    /// Per label request: lines of (shaped text, colour, weight).
    label_text: Vec<Vec<(Shaped, Rgba)>>,
    legend: furniture::LegendItems,
    /// Country rings in pixels as drawn, for placing country names.
    country_px: Vec<Vec<Vec<(f32, f32)>>>,
}

fn paint(c: Rgba) -> Paint<'static> {
    let mut p = Paint::default();
    p.set_color(c.color());
    p.anti_alias = true;
    p
}

/// Strokes `path` in `color` with a round-joined line `width` pixels wide.
fn stroke_with(pm: &mut Pixmap, path: &tiny_skia::Path, color: Rgba, width: f32) {
    pm.stroke_path(
        path,
        &paint(color),
        &stroke(width),
        Transform::identity(),
        None,
    );
}

/// Fills `path` in `color` (non-zero winding, anti-aliased).
fn fill_with(pm: &mut Pixmap, path: &tiny_skia::Path, color: Rgba) {
    pm.fill_path(
        path,
        &paint(color),
        FillRule::Winding,
        Transform::identity(),
        None,
    );
}

fn stroke(width: f32) -> Stroke {
    Stroke {
        width,
        line_cap: LineCap::Round,
        line_join: LineJoin::Round,
        ..Stroke::default()
    }
}

impl MapDraw<'_> {
    fn px(&self, p: LonLat) -> (f32, f32) {
        self.frame.to_px(p)
    }

    fn visible(&self, (x, y): (f32, f32), margin: f32) -> bool {
        let v = self.frame.viewport.inflate(margin);
        x >= v.x && x <= v.right() && y >= v.y && y <= v.bottom()
    }

    /// A Mercator ring in pixels, thinned, simplified to 0.3 px and clipped.
    fn ring_px(&self, ring: &[(f64, f64)]) -> Vec<(f32, f32)> {
        let pts: Vec<(f32, f32)> = ring
            .iter()
            .map(|&(x, y)| self.frame.merc_to_px(x, y))
            .collect();
        clip::clip_ring(&clip::simplify(&clip::thin(&pts, 0.25), 0.3), &self.clip)
    }

    fn countries(&mut self, pm: &mut Pixmap, left: Option<&str>, right: Option<&str>) {
        let b = &self.style.base;
        let merc = self.data.mercator();
        let mut outlines = PathBuilder::new();
        for (c, rings) in self.data.countries.iter().zip(&merc.countries) {
            let fill = b.fill_for(&c.code, left, right);
            let mut pb = PathBuilder::new();
            let mut px_rings = Vec::new();
            for (ring, bbox) in rings {
                if !self.frame.overlaps(*bbox, 8.0) {
                    continue;
                }
                let pts = self.ring_px(ring);
                // Specks under half a pixel across add nothing but noise.
                if pts.len() < 3 || ring_extent(&pts) < 0.8 {
                    continue;
                }
                push_poly(&mut pb, &pts, true);
                push_poly(&mut outlines, &pts, true);
                px_rings.push(pts);
            }
            if let Some(path) = pb.finish() {
                // The outline drawn on top covers every edge, so the fill needs no
                // anti-aliasing: that skips tiny-skia's supersampling of the whole area.
                let mut p = paint(fill);
                p.anti_alias = b.outline_width * self.s < 0.5;
                pm.fill_path(&path, &p, FillRule::EvenOdd, Transform::identity(), None);
            }
            self.country_px.push(px_rings);
        }
        if let Some(path) = outlines.finish() {
            stroke_with(pm, &path, b.outline, b.outline_width * self.s);
        }
    }

    fn line_px(&self, line: &[LonLat]) -> Vec<Vec<(f32, f32)>> {
        let pts: Vec<(f32, f32)> = line.iter().map(|p| self.px(*p)).collect();
        self.runs_px(pts)
    }

    fn runs_px(&self, pts: Vec<(f32, f32)>) -> Vec<Vec<(f32, f32)>> {
        clip::clip_line(&clip::thin(&pts, 0.25), &self.clip)
            .into_iter()
            .map(|run| clip::simplify(&run, 0.3))
            .collect()
    }

    fn stroke_runs(
        &self,
        pm: &mut Pixmap,
        runs: &[Vec<(f32, f32)>],
        color: Rgba,
        width: f32,
        dash: Option<StrokeDash>,
    ) {
        let mut pb = PathBuilder::new();
        for run in runs {
            push_poly(&mut pb, run, false);
        }
        if let Some(path) = pb.finish() {
            let mut st = stroke(width);
            st.dash = dash;
            pm.stroke_path(&path, &paint(color), &st, Transform::identity(), None);
        }
    }

    fn border(&mut self, pm: &mut Pixmap) {
        let pts = self
            .data
            .mercator()
            .border
            .iter()
            .map(|&(x, y)| self.frame.merc_to_px(x, y))
            .collect();
        let runs = self.runs_px(pts);
        let b = &self.style.border;
        self.stroke_runs(pm, &runs, b.casing, b.casing_width * self.s, None);
        self.stroke_runs(pm, &runs, b.color, b.width * self.s, None);
        if !runs.is_empty() {
            self.legend.border = true;
        }
    }

    fn highlights(&mut self, pm: &mut Pixmap, shown: &[Shown<'_>]) {
        for x in shown {
            if let Location::KmRange { from_km, to_km } = x.incident.location
                && let Ok(line) = self.data.border.substring(from_km, to_km)
            {
                let runs = self.line_px(&line);
                if runs.is_empty() {
                    continue;
                }
                let b = &self.style.border;
                self.stroke_runs(pm, &runs, b.highlight, b.highlight_width * self.s, None);
                self.legend.highlight = true;
                let mid = self
                    .data
                    .border
                    .interpolate((from_km + to_km) / 2.0)
                    .unwrap_or(line[0]);
                let text = format!(
                    "{} {}, km {:.0}–{:.0}",
                    x.number,
                    incident_title(x.incident),
                    from_km,
                    to_km
                );
                self.add_label(
                    &x.incident.id,
                    &[(text, Weight::Bold)],
                    self.style.incidents.label_size,
                    self.style.incidents.label_color,
                    self.px(mid),
                    4.0 * self.s,
                    300,
                );
            }
        }
    }

    /// The tick step and the label step: the smallest round steps whose ticks are at least
    /// 40 px apart and whose labels are at least 130 px apart along the map.
    fn km_steps(&self) -> (f64, f64) {
        let km_per_px = self.frame.km_per_px_at_centre();
        let step = if self.style.km_marks.step_km > 0.0 {
            self.style.km_marks.step_km
        } else {
            [
                1.0, 2.0, 5.0, 10.0, 20.0, 25.0, 50.0, 100.0, 200.0, 250.0, 500.0, 1000.0,
            ]
            .into_iter()
            .find(|step| step / km_per_px >= f64::from(60.0 * self.s))
            .unwrap_or(1000.0)
        };
        let label = [1.0, 2.0, 5.0, 10.0]
            .into_iter()
            .map(|k| k * step)
            .find(|l| l / km_per_px >= f64::from(130.0 * self.s))
            .unwrap_or(step * 10.0);
        (step, label)
    }

    fn km_marks(&mut self, pm: &mut Pixmap) {
        let (step, label_step) = self.km_steps();
        let len = self.data.border.length_km();
        let k = &self.style.km_marks;
        let (color, tick, size) = (k.color, k.tick_length * self.s, k.label_size);
        let mut pb = PathBuilder::new();
        let mut n = 1;
        let mut drew = false;
        while f64::from(n) * step < len {
            let km = f64::from(n) * step;
            n += 1;
            let (Ok(p), Ok(a), Ok(b)) = (
                self.data.border.interpolate(km),
                self.data.border.interpolate((km - step * 0.02).max(0.0)),
                self.data.border.interpolate((km + step * 0.02).min(len)),
            ) else {
                continue;
            };
            let (x, y) = self.px(p);
            if !self.visible((x, y), -2.0) {
                continue;
            }
            let ((ax, ay), (bx, by)) = (self.px(a), self.px(b));
            let (dx, dy) = (bx - ax, by - ay);
            let l = (dx * dx + dy * dy).sqrt().max(1e-6);
            let (nx, ny) = (-dy / l * tick, dx / l * tick);
            pb.move_to(x - nx, y - ny);
            pb.line_to(x + nx, y + ny);
            drew = true;
            if (km / label_step).fract().abs() < 1e-9 {
                self.add_label(
                    &format!("km {km:.0}"),
                    &[(format!("km {km:.0}"), Weight::Bold)],
                    size,
                    color,
                    (x, y),
                    tick,
                    60,
                );
            }
        }
        if let Some(path) = pb.finish() {
            stroke_with(pm, &path, self.style.border.casing, 3.2 * self.s);
            stroke_with(pm, &path, color, 1.4 * self.s);
        }
        if drew {
            self.legend.km_step = Some(step);
        }
    }

    fn places(&mut self, pm: &mut Pixmap) {
        let st = &self.style.places;
        for place in &self.data.places {
            if place.rank > st.max_rank {
                continue;
            }
            let (x, y) = self.px(place.at);
            if !self.visible((x, y), 0.0) {
                continue;
            }
            let r = (st.size + if place.rank <= 1 { 1.5 } else { 0.0 }) * self.s;
            if let Some(path) = PathBuilder::from_circle(x, y, r) {
                fill_with(pm, &path, st.color);
                if place.rank <= 1 {
                    stroke_with(pm, &path, Rgba([255, 255, 255, 255]), 1.2 * self.s);
                }
            }
            self.obstacles
                .push(PxRect::new(x - r, y - r, 2.0 * r, 2.0 * r));
            self.legend.places = true;
            let size = st.label_size + if place.rank <= 2 { 1.5 } else { 0.0 };
            let weight = if place.rank <= 2 {
                Weight::Bold
            } else {
                Weight::Regular
            };
            self.add_label(
                &format!("place {}", place.id),
                &[(place.name.clone(), weight)],
                size,
                st.label_color,
                (x, y),
                r,
                100 - i32::from(place.rank) * 10,
            );
        }
    }

    fn posts(&mut self, pm: &mut Pixmap) {
        let st = &self.style.posts;
        for post in &self.data.posts {
            let (x, y) = self.px(post.at);
            if !self.visible((x, y), 0.0) {
                continue;
            }
            let r = st.size * self.s * 0.8;
            let kind = post.kind.as_deref().unwrap_or("post");
            let (path, filled) = symbols::post(kind, st.symbol, x, y, r);
            if let Some(path) = path {
                fill_with(pm, &path, if filled { st.color } else { st.fill });
                stroke_with(pm, &path, st.color, st.stroke_width * self.s);
            }
            self.legend.post_kinds.insert(kind.to_string());
            self.obstacles
                .push(PxRect::new(x - r, y - r, 2.0 * r, 2.0 * r));
            let mut lines = vec![(post.name.clone(), Weight::Regular)];
            if self.style.layers.local_names
                && let Some(local) = post
                    .properties
                    .get("alt_names")
                    .and_then(|v| v.as_array())
                    .and_then(|a| {
                        a.iter()
                            .filter_map(|v| v.as_str())
                            .find(|s| s.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)))
                    })
            {
                lines.push((local.to_string(), Weight::Regular));
            }
            self.add_label(
                &format!("post {}", post.id),
                &lines,
                st.label_size,
                st.label_color,
                (x, y),
                r,
                200,
            );
        }
    }

    fn incidents(&mut self, pm: &mut Pixmap, shown: &[Shown<'_>]) {
        let st = &self.style.incidents;
        // Largest first, so small symbols stay visible on top.
        let mut order: Vec<&Shown<'_>> = shown.iter().filter(|x| x.at.is_some()).collect();
        order.sort_by(|a, b| {
            b.incident
                .max_claimed_casualties()
                .total_cmp(&a.incident.max_claimed_casualties())
        });
        for x in order {
            let Some(at) = x.at else { continue };
            let (px, py) = self.px(at);
            if !self.visible((px, py), 0.0) {
                continue;
            }
            let (kind, ks) = self.style.kind(&x.incident.kind);
            // Area proportional to the largest figure any one claim gives.
            let r = (st.min_size
                + st.size_per_sqrt_casualty * x.incident.max_claimed_casualties().sqrt() as f32)
                * self.s;
            if let Some(m) = x.precision_m {
                let ring = (m / 1000.0 / self.frame.km_per_px_at_centre()) as f32;
                if ring > r * 1.2
                    && let Some(path) = PathBuilder::from_circle(px, py, ring)
                {
                    let mut fill = st.precision_ring;
                    fill.0[3] = 28;
                    fill_with(pm, &path, fill);
                    let mut sk = stroke(1.2 * self.s);
                    sk.dash = StrokeDash::new(vec![4.0 * self.s, 3.0 * self.s], 0.0);
                    pm.stroke_path(
                        &path,
                        &paint(st.precision_ring),
                        &sk,
                        Transform::identity(),
                        None,
                    );
                    self.legend.precision_ring = true;
                }
            }
            if let Some(path) = symbols::path(ks.symbol, px, py, r) {
                fill_with(pm, &path, ks.color);
                stroke_with(pm, &path, Rgba([255, 255, 255, 255]), 1.6 * self.s);
                if ks.symbol == Symbol::Bar {
                    let mut pb = PathBuilder::new();
                    pb.move_to(px - r * 0.6, py);
                    pb.line_to(px + r * 0.6, py);
                    if let Some(bar) = pb.finish() {
                        stroke_with(pm, &bar, Rgba([255, 255, 255, 255]), 2.4 * self.s);
                    }
                }
            }
            // The number ties the symbol to its card in the panel.
            let num = self
                .fonts
                .shape(&x.number.to_string(), Weight::Bold, 10.5 * self.s);
            self.fonts.draw(
                pm,
                &num,
                px - num.width / 2.0,
                py + num.ascent * 0.36,
                tiny_skia::Color::WHITE,
                Some((ks.color.color(), 1.2 * self.s)),
            );
            self.legend.kinds.insert(kind.to_string());
            self.obstacles
                .push(PxRect::new(px - r, py - r, 2.0 * r, 2.0 * r));
            let date = short_date(x.incident);
            self.add_label(
                &format!("incident {}", x.incident.id),
                &[
                    (incident_title(x.incident), Weight::Bold),
                    (date, Weight::Regular),
                ],
                st.label_size,
                st.label_color,
                (px, py),
                r,
                300,
            );
        }
    }

    fn country_labels(&mut self, left: Option<&str>, right: Option<&str>) {
        let b = &self.style.base;
        for (i, c) in self.data.countries.iter().enumerate() {
            let focus = Some(c.code.as_str()) == left || Some(c.code.as_str()) == right;
            let Some(rings) = self.country_px.get(i) else {
                continue;
            };
            let name = c
                .properties
                .get("name")
                .and_then(|v| v.as_str())
                .unwrap_or(&c.code)
                .to_uppercase();
            let spaced: String = name
                .chars()
                .flat_map(|ch| [ch, '\u{2009}'])
                .collect::<String>()
                .trim_end()
                .to_string();
            let size = if focus {
                b.country_label_size
            } else {
                b.country_label_size * 0.8
            };
            let key = format!("country {}", c.code);
            // Keep the name off the border line: half its width plus a margin.
            let width = self
                .fonts
                .shape(
                    spaced.trim_end_matches('\u{2009}'),
                    Weight::Bold,
                    size * self.s,
                )
                .width;
            let points =
                furniture::label_points(rings, &self.frame, self.data, width / 2.0 + 12.0 * self.s);
            let Some(&(x, y)) = points.first() else {
                continue;
            };
            self.add_label_centred(
                &key,
                spaced.trim_end_matches('\u{2009}'),
                size,
                b.country_label,
                (x, y),
                if focus { 20 } else { 10 },
            );
            if let Some(last) = self.labels.last_mut() {
                last.alternatives = points[1..].to_vec();
            }
        }
    }

    #[expect(
        clippy::too_many_arguments,
        reason = "a label is text, weight, size, colour, anchor, radius and priority"
    )]
    fn add_label(
        &mut self,
        key: &str,
        lines: &[(String, Weight)],
        size: f32,
        color: Rgba,
        anchor: (f32, f32),
        radius: f32,
        priority: i32,
    ) {
        let shaped: Vec<(Shaped, Rgba)> = lines
            .iter()
            .map(|(t, w)| (self.fonts.shape(t, *w, size * self.s), color))
            .collect();
        let w = shaped.iter().map(|(s, _)| s.width).fold(0.0, f32::max);
        let h: f32 = shaped.iter().map(|(s, _)| s.size_line()).sum();
        self.labels.push(LabelRequest {
            key: key.to_string(),
            size: (w, h),
            anchor,
            radius,
            priority,
            leader: priority >= 200,
            centred: false,
            alternatives: Vec::new(),
        });
        self.label_text.push(shaped);
    }

    fn add_label_centred(
        &mut self,
        key: &str,
        text: &str,
        size: f32,
        color: Rgba,
        anchor: (f32, f32),
        priority: i32,
    ) {
        let shaped = self.fonts.shape(text, Weight::Bold, size * self.s);
        self.labels.push(LabelRequest {
            key: key.to_string(),
            size: (shaped.width, shaped.size_line()),
            anchor,
            radius: 0.0,
            priority,
            leader: false,
            centred: true,
            alternatives: Vec::new(),
        });
        self.label_text.push(vec![(shaped, color)]);
    }

    fn draw_labels(&self, pm: &mut Pixmap, layout: &Layout) {
        let halo = (
            self.style.text.halo.color(),
            self.style.text.halo_width * self.s,
        );
        for p in &layout.placed {
            if let Some((a, b)) = p.leader {
                let mut pb = PathBuilder::new();
                pb.move_to(a.0, a.1);
                pb.line_to(b.0, b.1);
                if let Some(path) = pb.finish() {
                    stroke_with(pm, &path, Rgba([255, 255, 255, 200]), 2.6 * self.s);
                    stroke_with(pm, &path, Rgba([70, 70, 70, 255]), 0.9 * self.s);
                }
            }
        }
        for p in &layout.placed {
            let lines = &self.label_text[p.index];
            let req = &self.labels[p.index];
            // Text on the left of its anchor is right-aligned, so it hugs the symbol.
            let right_align = !req.centred && p.rect.right() <= req.anchor.0;
            let mut y = p.rect.y;
            for (shaped, color) in lines {
                let x = if req.centred {
                    p.rect.x + (p.rect.w - shaped.width) / 2.0
                } else if right_align {
                    p.rect.right() - shaped.width
                } else {
                    p.rect.x
                };
                let baseline = y + shaped.line_ascent();
                self.fonts
                    .draw(pm, shaped, x, baseline, color.color(), Some(halo));
                y += shaped.size_line();
            }
        }
    }
}

/// The larger side of a ring's pixel bounding box.
fn ring_extent(pts: &[(f32, f32)]) -> f32 {
    let (mut x0, mut y0, mut x1, mut y1) = (
        f32::INFINITY,
        f32::INFINITY,
        f32::NEG_INFINITY,
        f32::NEG_INFINITY,
    );
    for &(x, y) in pts {
        x0 = x0.min(x);
        y0 = y0.min(y);
        x1 = x1.max(x);
        y1 = y1.max(y);
    }
    (x1 - x0).max(y1 - y0)
}

fn push_poly(pb: &mut PathBuilder, pts: &[(f32, f32)], close: bool) {
    if pts.len() < 2 {
        return;
    }
    pb.move_to(pts[0].0, pts[0].1);
    for p in &pts[1..] {
        pb.line_to(p.0, p.1);
    }
    if close {
        pb.close();
    }
}

/// The incident's headline: its title, else its kind in words.
pub fn incident_title(i: &Incident) -> String {
    i.title.clone().unwrap_or_else(|| {
        let mut k = i.kind.replace('_', " ");
        if let Some(first) = k.get_mut(0..1) {
            first.make_ascii_uppercase();
        }
        k
    })
}

/// "9 Oct 2025" or "11–12 Oct 2025".
pub fn short_date(i: &Incident) -> String {
    let d = |d: Date| format!("{} {}", d.day(), month_abbr(d.month()));
    match i.end_date {
        Some(e) if e != i.date && e.month() == i.date.month() => {
            format!("{}–{} {}", i.date.day(), e.day(), month_abbr(e.month()))
                + &format!(" {}", e.year())
        }
        Some(e) if e != i.date => format!("{} – {} {}", d(i.date), d(e), e.year()),
        _ => format!("{} {}", d(i.date), i.date.year()),
    }
}

/// English month abbreviation.
pub fn month_abbr(m: i8) -> &'static str {
    [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ][(m.clamp(1, 12) - 1) as usize]
}

impl Shaped {
    /// Line height used when stacking lines.
    pub fn size_line(&self) -> f32 {
        self.height() * 1.02
    }

    /// Ascent used to place the baseline inside a line box.
    pub fn line_ascent(&self) -> f32 {
        self.ascent
    }
}
