//! Clipping projected geometry to a pixel rectangle before rasterising.
//!
//! tiny-skia works in f32 with fixed-point edges, so a country polygon that spans
//! hundreds of thousands of pixels at zoom 10 must be cut down first. Points closer than
//! a fraction of a pixel are dropped too: they cannot change the picture.

use crate::projection::PxRect;

/// Drops points closer than `min_px` to the previous kept point (keeps the last).
pub fn thin(points: &[(f32, f32)], min_px: f32) -> Vec<(f32, f32)> {
    let mut out: Vec<(f32, f32)> = Vec::with_capacity(points.len());
    let min2 = min_px * min_px;
    for (i, &p) in points.iter().enumerate() {
        match out.last() {
            Some(&q)
                if i + 1 < points.len() && (p.0 - q.0).powi(2) + (p.1 - q.1).powi(2) < min2 => {}
            _ => out.push(p),
        }
    }
    out
}

/// Ramer–Douglas–Peucker simplification in pixels: no dropped point is farther than
/// `tolerance` from the simplified line, so the picture cannot change visibly.
pub fn simplify(points: &[(f32, f32)], tolerance: f32) -> Vec<(f32, f32)> {
    if points.len() < 3 {
        return points.to_vec();
    }
    let mut keep = vec![false; points.len()];
    keep[0] = true;
    keep[points.len() - 1] = true;
    let mut stack = vec![(0usize, points.len() - 1)];
    let tol2 = tolerance * tolerance;
    while let Some((a, b)) = stack.pop() {
        let (ax, ay) = points[a];
        let (bx, by) = points[b];
        let (dx, dy) = (bx - ax, by - ay);
        let len2 = dx * dx + dy * dy;
        let mut worst = (0.0f32, 0usize);
        for (i, &(px, py)) in points.iter().enumerate().take(b).skip(a + 1) {
            let d2 = if len2 == 0.0 {
                (px - ax).powi(2) + (py - ay).powi(2)
            } else {
                let cross = dx * (py - ay) - dy * (px - ax);
                cross * cross / len2
            };
            if d2 > worst.0 {
                worst = (d2, i);
            }
        }
        if worst.0 > tol2 {
            keep[worst.1] = true;
            stack.push((a, worst.1));
            stack.push((worst.1, b));
        }
    }
    points
        .iter()
        .zip(keep)
        .filter(|(_, k)| *k)
        .map(|(p, _)| *p)
        .collect()
}

/// Distance in pixels from `p` to the segment `a`–`b`.
pub fn segment_distance(p: (f32, f32), a: (f32, f32), b: (f32, f32)) -> f32 {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len2 = dx * dx + dy * dy;
    let t = if len2 > 0.0 {
        (((p.0 - a.0) * dx + (p.1 - a.1) * dy) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    ((a.0 + t * dx - p.0).powi(2) + (a.1 + t * dy - p.1).powi(2)).sqrt()
}

/// Whether (x, y) lies inside the closed ring (even-odd rule).
pub fn ring_contains(ring: &[(f32, f32)], x: f32, y: f32) -> bool {
    let mut inside = false;
    let n = ring.len();
    for i in 0..n {
        let (xi, yi) = ring[i];
        let (xj, yj) = ring[(i + n - 1) % n];
        if (yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi {
            inside = !inside;
        }
    }
    inside
}

/// Sutherland–Hodgman clipping of a closed ring (first point not repeated) to `r`.
pub fn clip_ring(ring: &[(f32, f32)], r: &PxRect) -> Vec<(f32, f32)> {
    let mut pts = ring.to_vec();
    let edges = [
        (0, r.x, true),
        (0, r.right(), false),
        (1, r.y, true),
        (1, r.bottom(), false),
    ];
    for (axis, bound, keep_above) in edges {
        if pts.is_empty() {
            break;
        }
        let coord = |p: (f32, f32)| if axis == 0 { p.0 } else { p.1 };
        let inside = |p: (f32, f32)| {
            if keep_above {
                coord(p) >= bound
            } else {
                coord(p) <= bound
            }
        };
        let cross = |a: (f32, f32), b: (f32, f32)| {
            let t = (bound - coord(a)) / (coord(b) - coord(a));
            let p = (a.0 + t * (b.0 - a.0), a.1 + t * (b.1 - a.1));
            if axis == 0 {
                (bound, p.1)
            } else {
                (p.0, bound)
            }
        };
        let mut out = Vec::with_capacity(pts.len() + 4);
        for i in 0..pts.len() {
            let (a, b) = (pts[(i + pts.len() - 1) % pts.len()], pts[i]);
            match (inside(a), inside(b)) {
                (true, true) => out.push(b),
                (true, false) => out.push(cross(a, b)),
                (false, true) => {
                    out.push(cross(a, b));
                    out.push(b);
                }
                (false, false) => {}
            }
        }
        pts = out;
    }
    pts
}

/// Splits a polyline into the runs that lie inside `r` (segments crossing the edge are cut).
pub fn clip_line(line: &[(f32, f32)], r: &PxRect) -> Vec<Vec<(f32, f32)>> {
    let mut runs = Vec::new();
    let mut run: Vec<(f32, f32)> = Vec::new();
    for w in line.windows(2) {
        match clip_segment(w[0], w[1], r) {
            Some((a, b)) => {
                if run.last() != Some(&a) {
                    if run.len() >= 2 {
                        runs.push(std::mem::take(&mut run));
                    }
                    run.clear();
                    run.push(a);
                }
                run.push(b);
            }
            None => {
                if run.len() >= 2 {
                    runs.push(std::mem::take(&mut run));
                }
                run.clear();
            }
        }
    }
    if run.len() >= 2 {
        runs.push(run);
    }
    runs
}

/// Liang–Barsky: the part of segment `a`–`b` inside `r`, as parameters `t0..=t1` along it
/// (0 at `a`, 1 at `b`), or `None` when it misses `r`.
pub(crate) fn clip_params(a: (f32, f32), b: (f32, f32), r: &PxRect) -> Option<(f32, f32)> {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let (mut t0, mut t1) = (0.0f32, 1.0f32);
    for (p, q) in [
        (-dx, a.0 - r.x),
        (dx, r.right() - a.0),
        (-dy, a.1 - r.y),
        (dy, r.bottom() - a.1),
    ] {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
        } else {
            let t = q / p;
            if p < 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
            if t0 > t1 {
                return None;
            }
        }
    }
    Some((t0, t1))
}

/// Liang–Barsky segment clipping.
fn clip_segment(a: (f32, f32), b: (f32, f32), r: &PxRect) -> Option<((f32, f32), (f32, f32))> {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let (t0, t1) = clip_params(a, b, r)?;
    let at = |t: f32| {
        if t == 0.0 {
            a
        } else if t == 1.0 {
            b
        } else {
            (a.0 + t * dx, a.1 + t * dy)
        }
    };
    Some((at(t0), at(t1)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ring_is_cut_to_the_box() {
        let r = PxRect::new(0.0, 0.0, 10.0, 10.0);
        let ring = clip_ring(
            &[(-5.0, -5.0), (15.0, -5.0), (15.0, 15.0), (-5.0, 15.0)],
            &r,
        );
        assert_eq!(ring.len(), 4);
        assert!(
            ring.iter()
                .all(|p| p.0 >= 0.0 && p.0 <= 10.0 && p.1 >= 0.0 && p.1 <= 10.0)
        );
    }

    #[test]
    fn line_leaving_and_returning_gives_two_runs() {
        let r = PxRect::new(0.0, 0.0, 10.0, 10.0);
        let runs = clip_line(
            &[(1.0, 1.0), (5.0, 1.0), (5.0, 20.0), (8.0, 20.0), (8.0, 2.0)],
            &r,
        );
        assert_eq!(runs.len(), 2);
        assert_eq!(runs[0], vec![(1.0, 1.0), (5.0, 1.0), (5.0, 10.0)]);
        assert_eq!(runs[1], vec![(8.0, 10.0), (8.0, 2.0)]);
    }

    #[test]
    fn simplify_drops_only_near_collinear_points() {
        let line = [(0.0, 0.0), (1.0, 0.1), (2.0, 0.0), (3.0, 5.0), (4.0, 0.0)];
        assert_eq!(
            simplify(&line, 0.3),
            vec![(0.0, 0.0), (2.0, 0.0), (3.0, 5.0), (4.0, 0.0)]
        );
    }

    #[test]
    fn point_in_ring() {
        let sq = [(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0)];
        assert!(ring_contains(&sq, 5.0, 5.0));
        assert!(!ring_contains(&sq, 15.0, 5.0));
    }

    #[test]
    fn thinning_keeps_ends() {
        let t = thin(
            &[(0.0, 0.0), (0.1, 0.0), (0.2, 0.0), (5.0, 0.0), (5.1, 0.0)],
            0.5,
        );
        assert_eq!(t, vec![(0.0, 0.0), (5.0, 0.0), (5.1, 0.0)]);
    }
}
