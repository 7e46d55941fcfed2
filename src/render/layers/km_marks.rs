//! km ticks across the border line (their labels are placed with the others).

use crate::projection::Frame;
use crate::render::paint::Painter;
use crate::scene::Scene;

/// Draws the ticks in the frame; returns the step when any was drawn. A static map
/// (`whole_only`) draws ticks whose centre is inside it; a tile draws every tick that
/// reaches it, so ticks on a seam are drawn in part in both tiles.
pub fn draw(
    scene: &Scene<'_>,
    frame: &Frame,
    p: &mut dyn Painter,
    whole_only: bool,
) -> Option<f64> {
    let res = frame.m_per_px();
    let (step, _) = scene.km_steps(res);
    let k = &scene.style.km_marks;
    let tick = k.tick_length * scene.scale;
    let v = frame.viewport.inflate(if whole_only {
        -2.0
    } else {
        tick + 4.0 * scene.scale
    });
    let mut ticks: Vec<Vec<(f32, f32)>> = Vec::new();
    for t in scene.ticks(step).iter() {
        let (x, y) = frame.merc_to_px(t.at.0, t.at.1);
        if !v.contains_point((x, y)) {
            continue;
        }
        let ((ax, ay), (bx, by)) = (
            frame.merc_to_px(t.before.0, t.before.1),
            frame.merc_to_px(t.after.0, t.after.1),
        );
        let (dx, dy) = (bx - ax, by - ay);
        let l = (dx * dx + dy * dy).sqrt().max(1e-6);
        let (nx, ny) = (-dy / l * tick, dx / l * tick);
        ticks.push(vec![(x - nx, y - ny), (x + nx, y + ny)]);
    }
    if ticks.is_empty() {
        return None;
    }
    p.polylines(&ticks, scene.style.border.casing, 3.2 * scene.scale);
    p.polylines(&ticks, k.color, 1.4 * scene.scale);
    Some(step)
}
