//! Point symbols from a plan: places, posts and incidents, each drawn by its own layer,
//! in the plan's order.

use super::{clusters, incidents, places, posts};
use crate::projection::Frame;
use crate::render::LegendItems;
use crate::render::paint::Painter;
use crate::render::plan::{Mark, Plan};
use crate::scene::Scene;

/// How far from its centre a mark draws, in pixels.
pub fn reach(scene: &Scene<'_>, frame: &Frame, plan: &Plan, mark: Mark) -> f32 {
    match mark {
        Mark::Place(_) => 4.0 * (scene.style.places.size + scene.style.posts.size) * scene.scale,
        Mark::Post(i) => posts::reach(scene, frame, i),
        Mark::Incident(i) => incidents::reach(scene, frame, i),
        Mark::Cluster(c) => clusters::reach(scene, frame, plan, c),
    }
}

/// Draws the plan's symbols that reach the frame.
pub fn draw(
    scene: &Scene<'_>,
    frame: &Frame,
    plan: &Plan,
    p: &mut dyn Painter,
    legend: &mut LegendItems,
) {
    let (dx, dy) = plan.offset(frame);
    let v = frame.viewport;
    for &(mark, (x, y)) in &plan.marks {
        let at = (x + dx, y + dy);
        let r = v.inflate(reach(scene, frame, plan, mark));
        if !r.contains_point(at) {
            continue;
        }
        match mark {
            Mark::Place(i) => places::draw(scene, i, at, p, legend),
            Mark::Post(i) => posts::draw(scene, frame, i, at, p, legend),
            Mark::Incident(i) => incidents::draw(scene, frame, i, at, p, legend),
            Mark::Cluster(c) => clusters::draw(scene, frame, plan, c, at, p, legend),
        }
    }
}
