//! Symbol shapes as tiny-skia paths, centred on a point.

use tiny_skia::{Path, PathBuilder, Rect};

use crate::style::Symbol;

/// The path of `symbol` with radius `r` centred at (`x`, `y`).
pub fn path(symbol: Symbol, x: f32, y: f32, r: f32) -> Option<Path> {
    match symbol {
        Symbol::Circle | Symbol::Bar => PathBuilder::from_circle(x, y, r),
        Symbol::Square => Some(PathBuilder::from_rect(Rect::from_xywh(
            x - r * 0.85,
            y - r * 0.85,
            r * 1.7,
            r * 1.7,
        )?)),
        Symbol::Diamond => polygon(
            &[(0.0, -1.15), (1.0, 0.0), (0.0, 1.15), (-1.0, 0.0)],
            x,
            y,
            r,
        ),
        // Pointing down: a strike from above.
        Symbol::Triangle => polygon(&[(-1.1, -0.75), (1.1, -0.75), (0.0, 1.15)], x, y, r),
        Symbol::Star => star(5, x, y, r * 1.15, r * 0.5),
        Symbol::Burst => star(8, x, y, r * 1.15, r * 0.62),
    }
}

/// The symbol of a border post by its kind: passes are triangles pointing up, military
/// posts filled squares, everything else `default` (from the style). Returns the path and
/// whether it is filled with the outline colour.
pub fn post(kind: &str, default: Symbol, x: f32, y: f32, r: f32) -> (Option<Path>, bool) {
    match kind {
        "pass" => (triangle_up(x, y, r), false),
        "military_post" => (path(Symbol::Square, x, y, r * 0.85), true),
        _ => (path(default, x, y, r * 0.75), false),
    }
}

/// A triangle pointing up (mountain passes).
pub fn triangle_up(x: f32, y: f32, r: f32) -> Option<Path> {
    polygon(&[(0.0, -1.1), (1.0, 0.75), (-1.0, 0.75)], x, y, r)
}

fn polygon(unit: &[(f32, f32)], x: f32, y: f32, r: f32) -> Option<Path> {
    let mut pb = PathBuilder::new();
    for (i, (ux, uy)) in unit.iter().enumerate() {
        let (px, py) = (x + ux * r, y + uy * r);
        if i == 0 {
            pb.move_to(px, py);
        } else {
            pb.line_to(px, py);
        }
    }
    pb.close();
    pb.finish()
}

fn star(points: usize, x: f32, y: f32, outer: f32, inner: f32) -> Option<Path> {
    let mut pb = PathBuilder::new();
    for i in 0..points * 2 {
        let a = std::f32::consts::PI * i as f32 / points as f32 - std::f32::consts::FRAC_PI_2;
        let r = if i % 2 == 0 { outer } else { inner };
        let (px, py) = (x + r * a.cos(), y + r * a.sin());
        if i == 0 {
            pb.move_to(px, py);
        } else {
            pb.line_to(px, py);
        }
    }
    pb.close();
    pb.finish()
}
