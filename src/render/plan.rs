//! Where symbols and labels go: collected from a scene, placed without overlap, once per
//! static map or once per zoom level for tiles.
//!
//! Positions are "plan pixels": pixels at the plan's resolution from a Mercator origin.
//! A static map's plan has its canvas as plan pixels and keeps every label inside the
//! map. A tile plan ([`Plan::world`]) covers the whole data at one ground resolution, its
//! origin on the 256 px tile grid, so a label or symbol crossing a tile edge is drawn
//! identically, in part, in both tiles.

use super::clusters;
use super::labels::{self, LabelRequest, Leader};
use crate::projection::{Frame, PxRect};
use crate::scene::geometry::frame_box;
use crate::scene::{LabelText, Scene, km_ticks};

/// A symbol to draw.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Mark {
    /// A place (index into the dataset's places).
    Place(usize),
    /// A post (index into the dataset's posts).
    Post(usize),
    /// An incident (index into the scene's incidents).
    Incident(usize),
    /// Incidents at one place (index into the plan's clusters).
    Cluster(usize),
}

/// A placed label.
#[derive(Debug, Clone)]
pub struct PlacedLabel {
    /// Its text, shaped.
    pub text: LabelText,
    /// Its box in plan pixels.
    pub rect: PxRect,
    /// The point it labels.
    pub anchor: (f32, f32),
    /// A leader line, when it was moved away from its anchor.
    pub leader: Option<Leader>,
    /// Centred on its anchor (area labels).
    pub centred: bool,
}

/// Symbols and labels in plan pixels.
#[derive(Debug, Clone)]
pub struct Plan {
    /// Mercator metres of plan pixel (0, 0).
    pub origin: (f64, f64),
    /// Metres per plan pixel.
    pub res: f64,
    /// A static map's viewport; `None` for a world plan.
    pub viewport: Option<PxRect>,
    /// Symbols with their positions, in drawing order.
    pub marks: Vec<(Mark, (f32, f32))>,
    /// Placed labels.
    pub labels: Vec<PlacedLabel>,
    /// Labels that fitted nowhere: "KEY: why".
    pub dropped: Vec<String>,
    /// Groups of incidents drawn as one symbol (indices into the scene's incidents).
    pub clusters: Vec<Vec<usize>>,
}

/// A label to place, with its text.
pub type Request = (LabelRequest, LabelText);

impl Plan {
    /// The plan of a static map in `frame`: only what lies inside the map, labels kept
    /// inside it, clear of `obstacles` (furniture on the map), with `extra` label
    /// requests (country names) placed last.
    pub fn for_frame(
        scene: &Scene<'_>,
        frame: &Frame,
        obstacles: &[PxRect],
        extra: Vec<Request>,
    ) -> Self {
        let res = frame.m_per_px();
        let v = frame.viewport;
        let origin = (
            frame.extent[0] - f64::from(v.x) * res,
            frame.extent[3] + f64::from(v.y) * res,
        );
        let clip = frame_box(frame, 8.0 * scene.scale);
        let inside = |p: (f32, f32), m: f32| {
            let r = v.inflate(m);
            r.contains_point(p)
        };
        let mut c = Collector::new(scene, origin, res);
        c.collect(
            &|h: &crate::scene::Highlight| {
                h.line.touches(&clip) && !h.line.runs_in(&clip).is_empty()
            },
            &|p| inside(p, -2.0),
            &|p| inside(p, 0.0),
        );
        c.obstacles.extend_from_slice(obstacles);
        c.requests.extend(extra);
        c.place(v.inflate(-2.0 * scene.scale), Some(v))
    }

    /// The plan of everything in the scene at `res` metres per pixel, for tiles.
    pub fn world(scene: &Scene<'_>, res: f64) -> Self {
        // The origin on the 256 px grid, so tile offsets are whole pixels.
        let cell = 256.0 * res;
        let b = scene.base.border_box;
        let half = crate::projection::HALF_WORLD_M;
        let origin = (
            ((b[0] + half) / cell).floor() * cell - half,
            half - ((half - b[3]) / cell).floor() * cell,
        );
        let mut c = Collector::new(scene, origin, res);
        c.collect(&|_| true, &|_| true, &|_| true);
        let everywhere = PxRect::new(-1e9, -1e9, 2e9, 2e9);
        c.place(everywhere, None)
    }

    /// Plan pixels to a frame's pixels: a shift (the frame must have the plan's resolution).
    pub fn offset(&self, frame: &Frame) -> (f32, f32) {
        let res = self.res;
        let v = frame.viewport;
        let whole = |d: f64| {
            // Whole-pixel shifts stay whole, so tiles cut the same glyph phases.
            if (d - d.round()).abs() < 1e-4 {
                d.round()
            } else {
                d
            }
        };
        (
            (whole((self.origin.0 - frame.extent[0]) / res) + f64::from(v.x)) as f32,
            (whole((frame.extent[3] - self.origin.1) / res) + f64::from(v.y)) as f32,
        )
    }
}

struct Collector<'s, 'a> {
    scene: &'s Scene<'a>,
    origin: (f64, f64),
    res: f64,
    marks: Vec<(Mark, (f32, f32))>,
    requests: Vec<Request>,
    obstacles: Vec<PxRect>,
    clusters: Vec<Vec<usize>>,
}

impl<'s, 'a> Collector<'s, 'a> {
    fn new(scene: &'s Scene<'a>, origin: (f64, f64), res: f64) -> Self {
        Self {
            scene,
            origin,
            res,
            marks: Vec::new(),
            requests: Vec::new(),
            obstacles: Vec::new(),
            clusters: Vec::new(),
        }
    }

    fn px(&self, (x, y): (f64, f64)) -> (f32, f32) {
        (
            ((x - self.origin.0) / self.res) as f32,
            ((self.origin.1 - y) / self.res) as f32,
        )
    }

    fn request(&mut self, text: &LabelText, anchor: (f32, f32), radius: f32, priority: i32) {
        self.requests.push((
            LabelRequest {
                key: text.key.clone(),
                size: text.size,
                anchor,
                radius,
                priority,
                leader: priority >= 200,
                centred: false,
                alternatives: Vec::new(),
            },
            text.clone(),
        ));
    }

    fn symbol(&mut self, mark: Mark, at: (f32, f32), r: f32) {
        self.marks.push((mark, at));
        self.obstacles
            .push(PxRect::new(at.0 - r, at.1 - r, 2.0 * r, 2.0 * r));
    }

    /// Label requests in the order the layers are drawn (highlights, km, places, posts,
    /// incidents): `highlight`, `tick` and `point` say what is in view.
    fn collect(
        &mut self,
        highlight: &dyn Fn(&crate::scene::Highlight) -> bool,
        tick: &dyn Fn((f32, f32)) -> bool,
        point: &dyn Fn((f32, f32)) -> bool,
    ) {
        let scene = self.scene;
        let (st, s, layers) = (scene.style, scene.scale, &scene.style.layers);
        if layers.incidents {
            for (h, text) in scene.highlights.iter().zip(&scene.highlight_labels) {
                if highlight(h) {
                    let at = self.px(h.mid);
                    self.request(text, at, 4.0 * s, 300);
                }
            }
        }
        if layers.km_marks {
            let (step, label_step) = scene.km_steps(self.res);
            let tick_r = st.km_marks.tick_length * s;
            for t in scene.ticks(step).iter() {
                let at = self.px(t.at);
                if tick(at) && km_ticks::is_labelled(t.km, label_step) {
                    let text = LabelText::shape(
                        scene.fonts,
                        format!("km {:.0}", t.km),
                        &[(format!("km {:.0}", t.km), crate::render::text::Weight::Bold)],
                        st.km_marks.label_size,
                        s,
                        st.km_marks.color,
                    );
                    self.request(&text, at, tick_r, 60);
                }
            }
        }
        if layers.places {
            let pst = &st.places;
            for (i, place) in scene.data.places.iter().enumerate() {
                if place.rank > pst.max_rank {
                    continue;
                }
                let at = self.px(crate::projection::to_mercator(place.at));
                if !point(at) {
                    continue;
                }
                let r = (pst.size + if place.rank <= 1 { 1.5 } else { 0.0 }) * s;
                self.symbol(Mark::Place(i), at, r);
                let text = &scene.base.place_labels[i];
                self.request(text, at, r, 100 - i32::from(place.rank) * 10);
            }
        }
        if layers.posts {
            let r = st.posts.size * s * 0.8;
            for (i, post) in scene.data.posts.iter().enumerate() {
                let at = self.px(crate::projection::to_mercator(post.at));
                if !point(at) {
                    continue;
                }
                self.symbol(Mark::Post(i), at, r);
                let text = &scene.base.post_labels[i];
                self.request(text, at, r, 200);
            }
        }
        if layers.incidents {
            // In key-number order, so that groups are the same whatever the draw order.
            let mut points: Vec<(usize, (f32, f32), f32)> = scene
                .incidents
                .iter()
                .enumerate()
                .filter_map(|(i, x)| {
                    let at = self.px(x.merc?);
                    point(at).then(|| (i, at, scene.incident_radius(x)))
                })
                .collect();
            let groups = clusters::settle(
                &points.iter().map(|&(_, at, r)| (at, r)).collect::<Vec<_>>(),
                3.0 * s,
                |members: &[usize]| {
                    let ids: Vec<usize> = members.iter().map(|&k| points[k].0).collect();
                    cluster_radius(scene, &ids)
                },
            );
            let rank: Vec<usize> = {
                let mut rank = vec![0; scene.incidents.len()];
                for (k, &i) in scene.draw_order.iter().enumerate() {
                    rank[i] = k;
                }
                rank
            };
            // Draw singles in the scene's order (large under small); groups on top.
            let (singles, many): (Vec<_>, Vec<_>) = groups.into_iter().partition(|g| g.len() == 1);
            let mut singles: Vec<usize> = singles.into_iter().map(|g| g[0]).collect();
            singles.sort_by_key(|&k| rank[points[k].0]);
            for k in singles {
                let (i, at, r) = points[k];
                self.symbol(Mark::Incident(i), at, r);
                let text = &scene.incident_labels[i];
                self.request(text, at, r, 300);
            }
            for g in many {
                let members: Vec<usize> = g.iter().map(|&k| points[k].0).collect();
                let n = g.len() as f32;
                let at = (
                    g.iter().map(|&k| points[k].1.0).sum::<f32>() / n,
                    g.iter().map(|&k| points[k].1.1).sum::<f32>() / n,
                );
                let r = cluster_radius(scene, &members);
                let text = clusters::label(scene, &members);
                self.symbol(Mark::Cluster(self.clusters.len()), at, r);
                self.request(&text, at, r, 310);
                self.clusters.push(members);
            }
            points.clear();
        }
    }

    fn place(self, bounds: PxRect, viewport: Option<PxRect>) -> Plan {
        let s = self.scene.scale;
        let (requests, texts): (Vec<LabelRequest>, Vec<LabelText>) =
            if self.scene.style.layers.labels {
                self.requests.into_iter().unzip()
            } else {
                (Vec::new(), Vec::new())
            };
        let layout = labels::place(&requests, bounds, &self.obstacles, 2.0 * s);
        let labels = layout
            .placed
            .iter()
            .map(|p| PlacedLabel {
                text: texts[p.index].clone(),
                rect: p.rect,
                anchor: requests[p.index].anchor,
                leader: p.leader,
                centred: requests[p.index].centred,
            })
            .collect();
        // A town whose name found no room loses its dot too: a bare dot beside another
        // town's name reads as that town.
        let dropped: std::collections::HashSet<&str> =
            layout.dropped.iter().map(|(k, _)| k.as_str()).collect();
        let places = &self.scene.base.place_labels;
        let labelled = self.scene.style.layers.labels;
        let marks = self
            .marks
            .into_iter()
            .filter(|(m, _)| match m {
                Mark::Place(i) => !labelled || !dropped.contains(places[*i].key.as_str()),
                _ => true,
            })
            .collect();
        Plan {
            origin: self.origin,
            res: self.res,
            viewport,
            marks,
            labels,
            dropped: layout
                .dropped
                .iter()
                .map(|(k, why)| format!("{k}: {why}"))
                .collect(),
            clusters: self.clusters,
        }
    }
}

/// The radius of a group's symbol: a little larger than its largest member's.
pub fn cluster_radius(scene: &Scene<'_>, members: &[usize]) -> f32 {
    members
        .iter()
        .map(|&i| scene.incident_radius(&scene.incidents[i]))
        .fold(0.0, f32::max)
        .max(8.0 * scene.scale)
        + 2.0 * scene.scale
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Project;
    use crate::dataset::Dataset;
    use crate::render::text::Fonts;
    use crate::style::Style;

    #[test]
    fn no_town_keeps_its_dot_without_its_name() {
        let data = Dataset::load(&Project::embedded()).unwrap();
        let (style, fonts) = (Style::default_style(), Fonts::embedded());
        let scene = Scene::new(&data, &style, &fonts, 1.0, None);
        for (w, h) in [(800.0, 500.0), (1600.0, 1000.0)] {
            let frame = Frame::fit(data.border.bbox(), PxRect::new(0.0, 0.0, w, h), 0.04);
            let plan = Plan::for_frame(&scene, &frame, &[], Vec::new());
            let dropped_towns = plan
                .dropped
                .iter()
                .filter(|k| k.starts_with("place "))
                .count();
            assert!(dropped_towns > 0, "the test needs a crowded frame");
            for (m, _) in &plan.marks {
                if let Mark::Place(i) = m {
                    let key = &scene.base.place_labels[*i].key;
                    assert!(
                        plan.labels.iter().any(|l| &l.text.key == key),
                        "{key} has a dot but no name at {w}x{h}"
                    );
                }
            }
        }
    }
}
