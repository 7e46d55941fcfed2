//! A prepared scene: everything drawable that does not depend on the frame, built once
//! per (dataset, style, date window, scale) and shared read-only by every frame drawn
//! from it, on any number of threads.
//!
//! Geometry lives in Web Mercator metres. Per zoom level (ground resolution) the country
//! rings and the border are simplified to 0.3 px and cut into chunks with boxes, built on
//! first use; km ticks are computed once per step; incidents are selected and numbered
//! once; every label text is shaped once. [`Scene::with_dates`] shares all of the
//! date-independent part and redoes only the incidents.

pub mod geometry;
pub mod incidents;
pub mod km_ticks;
pub mod sides;

use std::collections::HashMap;
use std::sync::{Arc, OnceLock, RwLock};

use jiff::civil::Date;

use crate::dataset::Dataset;
use crate::model::LonLat;
use crate::projection::{HALF_WORLD_M, from_mercator, to_mercator};
use crate::render::text::{Fonts, Shaped, Weight};
use crate::style::{Rgba, Style};
use crate::words;
use geometry::{Chunked, MercBox};
pub use incidents::{Highlight, Shown};
use km_ticks::Tick;

/// The deepest zoom level geometry is prepared for; finer frames use this level.
pub const MAX_LEVEL: u8 = 24;

/// Mercator metres per pixel at zoom `z` with 256 px tiles.
pub fn level_res(z: u8) -> f64 {
    2.0 * HALF_WORLD_M / (256.0 * f64::from(1u32 << z.min(MAX_LEVEL)))
}

/// The coarsest level at least as fine as `m_per_px` (so simplification never shows).
/// A relative slack of 1e-9 absorbs rounding in frame extents, so every frame of one
/// ground resolution gets the same level.
pub fn level_for(m_per_px: f64) -> u8 {
    (0..=MAX_LEVEL)
        .find(|&z| level_res(z) <= m_per_px * (1.0 + 1e-9))
        .unwrap_or(MAX_LEVEL)
}

/// One zoom level's geometry.
#[derive(Debug)]
pub struct Level {
    /// Metres per pixel this level is simplified for.
    pub res: f64,
    /// Per country (in dataset order), its rings (exteriors and holes; fill even-odd).
    pub countries: Vec<Vec<Chunked>>,
    /// The border line.
    pub border: Chunked,
}

/// A text block shaped once: lines with their colours, and the block's size.
#[derive(Debug, Clone)]
pub struct LabelText {
    /// For reports of dropped labels ("place kabul").
    pub key: String,
    /// The lines' text, joined with newlines (what a resume key hashes).
    pub text: String,
    /// Lines, top to bottom.
    pub lines: Vec<(Shaped, Rgba)>,
    /// Width and height in pixels.
    pub size: (f32, f32),
}

impl LabelText {
    fn new(key: String, text: String, lines: Vec<(Shaped, Rgba)>) -> Self {
        let w = lines.iter().map(|(s, _)| s.width).fold(0.0, f32::max);
        let h = lines.iter().map(|(s, _)| s.size_line()).sum();
        Self {
            key,
            text,
            lines,
            size: (w, h),
        }
    }

    /// Shapes `lines` at `size` (unscaled points; `s` is the scene scale) in `color`.
    pub fn shape(
        fonts: &Fonts,
        key: String,
        lines: &[(String, Weight)],
        size: f32,
        s: f32,
        color: Rgba,
    ) -> Self {
        Self::new(
            key,
            lines
                .iter()
                .map(|(t, _)| t.as_str())
                .collect::<Vec<_>>()
                .join("\n"),
            lines
                .iter()
                .map(|(t, w)| (fonts.shape(t, *w, size * s), color))
                .collect(),
        )
    }
}

/// A ring in Mercator metres.
pub type MercRing = Vec<(f64, f64)>;

/// The date-independent part of a scene.
#[derive(Debug)]
pub struct Base {
    /// Country codes on the border's left and right.
    pub sides: (Option<String>, Option<String>),
    /// Per country: fill colour and rings in Mercator metres.
    countries: Vec<(Rgba, Vec<MercRing>)>,
    border: Vec<(f64, f64)>,
    /// The border's Mercator box.
    pub border_box: MercBox,
    /// Latitude at the Mercator middle of the border's box, where km steps are measured.
    pub ref_lat: f64,
    levels: Vec<OnceLock<Level>>,
    ticks: RwLock<HashMap<u64, Arc<Vec<Tick>>>>,
    /// Place labels, by index into the dataset's places.
    pub place_labels: Vec<LabelText>,
    /// Post labels, by index into the dataset's posts.
    pub post_labels: Vec<LabelText>,
    /// Disputed or de facto stretches of the border in Mercator metres, drawn dashed.
    pub status_lines: Vec<(crate::linref::status::Status, Vec<(f64, f64)>)>,
    /// Straight bridges over gaps of more than [`LONG_BRIDGE_KM`] in the border data, drawn
    /// dashed as not border.
    ///
    /// [`LONG_BRIDGE_KM`]: crate::linref::checks::LONG_BRIDGE_KM
    pub gap_lines: Vec<Vec<(f64, f64)>>,
}

/// Everything drawable that does not depend on the frame.
pub struct Scene<'a> {
    /// The data.
    pub data: &'a Dataset,
    /// The style.
    pub style: &'a Style,
    /// The fonts labels are shaped with.
    pub fonts: &'a Fonts,
    /// Multiplies every pixel parameter.
    pub scale: f32,
    /// The date window; `None` for all incidents.
    pub dates: Option<(Date, Date)>,
    /// The date-independent part, shared by [`Scene::with_dates`].
    pub base: Arc<Base>,
    /// The incidents shown, numbered, in key order.
    pub incidents: Vec<Shown<'a>>,
    /// Indices into `incidents`, largest symbol first (small symbols stay on top).
    pub draw_order: Vec<usize>,
    /// The km-range incidents' stretches.
    pub highlights: Vec<Highlight>,
    /// Per incident: its label (title and date).
    pub incident_labels: Vec<LabelText>,
    /// Per highlight: its label.
    pub highlight_labels: Vec<LabelText>,
}

impl std::fmt::Debug for Scene<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Scene")
            .field("scale", &self.scale)
            .field("dates", &self.dates)
            .field("incidents", &self.incidents.len())
            .finish_non_exhaustive()
    }
}

impl<'a> Scene<'a> {
    /// Prepares `data` in `style` at `scale`, showing the incidents within `dates`.
    pub fn new(
        data: &'a Dataset,
        style: &'a Style,
        fonts: &'a Fonts,
        scale: f32,
        dates: Option<(Date, Date)>,
    ) -> Self {
        let base = Arc::new(Base::new(data, style, fonts, scale));
        Self::with_base(data, style, fonts, scale, dates, base)
    }

    /// The same scene for another date window: geometry, ticks and place and post labels
    /// are shared, only the incidents are redone.
    pub fn with_dates(&self, dates: Option<(Date, Date)>) -> Self {
        Self::with_base(
            self.data,
            self.style,
            self.fonts,
            self.scale,
            dates,
            self.base.clone(),
        )
    }

    fn with_base(
        data: &'a Dataset,
        style: &'a Style,
        fonts: &'a Fonts,
        scale: f32,
        dates: Option<(Date, Date)>,
        base: Arc<Base>,
    ) -> Self {
        let shown = incidents::select(data, dates);
        let mut draw_order: Vec<usize> = (0..shown.len())
            .filter(|&i| shown[i].at.is_some())
            .collect();
        draw_order.sort_by(|&a, &b| {
            shown[b]
                .incident
                .max_claimed_casualties()
                .total_cmp(&shown[a].incident.max_claimed_casualties())
        });
        let highlights = incidents::highlights(data, &shown);
        let st = &style.incidents;
        let incident_labels = shown
            .iter()
            .map(|x| {
                LabelText::shape(
                    fonts,
                    format!("incident {}", x.incident.id),
                    &[
                        (words::incident_title(x.incident), Weight::Bold),
                        (words::short_date(x.incident), Weight::Regular),
                    ],
                    st.label_size,
                    scale,
                    st.label_color,
                )
            })
            .collect();
        let highlight_labels = highlights
            .iter()
            .map(|h| {
                let x = &shown[h.index];
                let text = format!(
                    "{} {}, km {:.0}–{:.0}",
                    x.number,
                    words::incident_title(x.incident),
                    h.km.0,
                    h.km.1
                );
                LabelText::shape(
                    fonts,
                    x.incident.id.to_string(),
                    &[(text, Weight::Bold)],
                    st.label_size,
                    scale,
                    st.label_color,
                )
            })
            .collect();
        Self {
            data,
            style,
            fonts,
            scale,
            dates,
            base,
            incidents: shown,
            draw_order,
            highlights,
            incident_labels,
            highlight_labels,
        }
    }

    /// The geometry of the level for `m_per_px`.
    pub fn level(&self, m_per_px: f64) -> &Level {
        self.base.level(level_for(m_per_px))
    }

    /// Ticks every `step` km, computed on first use.
    pub fn ticks(&self, step: f64) -> Arc<Vec<Tick>> {
        let key = step.to_bits();
        if let Some(t) = self
            .base
            .ticks
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(&key)
        {
            return t.clone();
        }
        let t = Arc::new(km_ticks::ticks(self.data, step));
        self.base
            .ticks
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .entry(key)
            .or_insert(t)
            .clone()
    }

    /// The tick and label steps for a frame at `m_per_px`. Measured at the border's
    /// reference latitude, so every frame of one ground resolution agrees.
    pub fn km_steps(&self, m_per_px: f64) -> (f64, f64) {
        let km_per_px = m_per_px * self.base.ref_lat.to_radians().cos() / 1000.0;
        km_ticks::steps(km_per_px, self.scale, self.style.km_marks.step_km)
    }

    /// The incident symbol's radius in pixels: area proportional to the largest figure
    /// any one claim gives.
    pub fn incident_radius(&self, x: &Shown<'_>) -> f32 {
        let st = &self.style.incidents;
        (st.min_size
            + st.size_per_sqrt_casualty * x.incident.max_claimed_casualties().sqrt() as f32)
            * self.scale
    }
}

impl Base {
    fn new(data: &Dataset, style: &Style, fonts: &Fonts, s: f32) -> Self {
        let sides = sides::border_sides(data);
        let countries = data
            .countries
            .iter()
            .map(|c| {
                let fill = style
                    .base
                    .fill_for(&c.code, sides.0.as_deref(), sides.1.as_deref());
                let rings = c
                    .shape
                    .0
                    .iter()
                    .flat_map(|poly| std::iter::once(poly.exterior()).chain(poly.interiors()))
                    .map(|ring| {
                        ring.0
                            .iter()
                            .map(|c| to_mercator(LonLat::new(c.x, c.y)))
                            .collect()
                    })
                    .collect();
                (fill, rings)
            })
            .collect();
        let border: Vec<(f64, f64)> = data
            .border
            .vertices()
            .iter()
            .map(|p| to_mercator(*p))
            .collect();
        let border_box = geometry::bbox(&border);
        let ref_lat = from_mercator(0.0, (border_box[1] + border_box[3]) / 2.0).lat;
        let place_labels = data
            .places
            .iter()
            .map(|place| {
                let st = &style.places;
                let size = st.label_size + if place.rank <= 2 { 1.5 } else { 0.0 };
                let weight = if place.rank <= 2 {
                    Weight::Bold
                } else {
                    Weight::Regular
                };
                LabelText::shape(
                    fonts,
                    format!("place {}", place.id),
                    &[(place.name.clone(), weight)],
                    size,
                    s,
                    st.label_color,
                )
            })
            .collect();
        let post_labels = data
            .posts
            .iter()
            .map(|post| {
                let st = &style.posts;
                let mut lines = vec![(post.name.clone(), Weight::Regular)];
                if style.layers.local_names
                    && let Some(local) = words::local_name(post)
                {
                    lines.push((local.to_string(), Weight::Regular));
                }
                LabelText::shape(
                    fonts,
                    format!("post {}", post.id),
                    &lines,
                    st.label_size,
                    s,
                    st.label_color,
                )
            })
            .collect();
        Self {
            sides,
            countries,
            border,
            border_box,
            ref_lat,
            levels: (0..=MAX_LEVEL).map(|_| OnceLock::new()).collect(),
            ticks: RwLock::new(HashMap::new()),
            place_labels,
            post_labels,
            status_lines: data
                .stretches
                .iter()
                .filter_map(|st| {
                    let line = data.border.substring(st.from_km, st.to_km).ok()?;
                    Some((st.status, line.into_iter().map(to_mercator).collect()))
                })
                .collect(),
            gap_lines: data
                .border
                .bridges()
                .iter()
                .filter(|b| b.gap_km > crate::linref::checks::LONG_BRIDGE_KM)
                .map(|b| vec![to_mercator(b.from), to_mercator(b.to)])
                .collect(),
        }
    }

    /// Level `z`, built on first use.
    pub fn level(&self, z: u8) -> &Level {
        let z = z.min(MAX_LEVEL);
        self.levels[usize::from(z)].get_or_init(|| {
            let res = level_res(z);
            // 0.3 px keeps every dropped vertex invisible; 0.25 px thins runs of
            // near-coincident vertices first.
            let (tol, step) = (0.3 * res, 0.25 * res);
            let countries = self
                .countries
                .iter()
                .map(|(_, rings)| {
                    rings
                        .iter()
                        .filter_map(|ring| {
                            let b = geometry::bbox(ring);
                            // Specks under 0.8 px across add nothing but noise.
                            if (b[2] - b[0]).max(b[3] - b[1]) < 0.8 * res {
                                return None;
                            }
                            let pts = geometry::simplify(ring, tol, step);
                            (pts.len() >= 3).then(|| Chunked::new(pts))
                        })
                        .collect()
                })
                .collect();
            Level {
                res,
                countries,
                border: Chunked::new(geometry::simplify(&self.border, tol, step)),
            }
        })
    }

    /// Per country, in dataset order, its fill colour.
    pub fn country_fill(&self, i: usize) -> Option<Rgba> {
        self.countries.get(i).map(|c| c.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_frame_of_one_resolution_gets_one_level() {
        for z in 0..20u8 {
            let res = level_res(z);
            assert_eq!(level_for(res), z);
            assert_eq!(level_for(res * (1.0 + 1e-12)), z);
            assert_eq!(level_for(res * (1.0 - 1e-12)), z);
            assert_eq!(
                level_for(res * 1.5),
                z,
                "a coarser frame uses the finer level"
            );
        }
        assert_eq!(level_for(1e-9), MAX_LEVEL);
    }
}
