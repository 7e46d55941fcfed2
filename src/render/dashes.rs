//! Dashed lines that agree across tiles: the dash pattern is laid from the line's start, not
//! from where a frame's clip happens to cut it, so a dash crossing a tile edge is drawn in
//! part in both tiles, at the same place.

use crate::projection::PxRect;

/// The dashes of the polyline `pts` (pixels) with `on` pixels drawn and `off` skipped,
/// starting at its first point; only dashes reaching `bounds` are returned.
pub fn dashes(pts: &[(f32, f32)], on: f32, off: f32, bounds: PxRect) -> Vec<Vec<(f32, f32)>> {
    let mut out = Vec::new();
    if pts.len() < 2 || !(on > 0.0 && off >= 0.0) {
        return out;
    }
    let period = on + off;
    let mut dist = 0.0f32; // distance along the line at the start of the segment
    let mut current: Vec<(f32, f32)> = Vec::new();
    let reaches = |run: &[(f32, f32)]| {
        let (mut x0, mut y0, mut x1, mut y1) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
        for &(x, y) in run {
            x0 = x0.min(x);
            y0 = y0.min(y);
            x1 = x1.max(x);
            y1 = y1.max(y);
        }
        x1 >= bounds.x && x0 <= bounds.right() && y1 >= bounds.y && y0 <= bounds.bottom()
    };
    for w in pts.windows(2) {
        let (a, b) = (w[0], w[1]);
        let len = ((b.0 - a.0).powi(2) + (b.1 - a.1).powi(2)).sqrt();
        if len == 0.0 {
            continue;
        }
        let at = |d: f32| {
            let t = ((d - dist) / len).clamp(0.0, 1.0);
            (a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t)
        };
        let end = dist + len;
        let mut d = dist;
        while d < end {
            let phase = d.rem_euclid(period);
            if phase < on {
                // Inside a dash: draw to its end or the segment's.
                if current.is_empty() {
                    current.push(at(d));
                }
                let stop = (d - phase + on).min(end);
                current.push(at(stop));
                if stop < end || (stop - (d - phase + on)).abs() < 1e-4 {
                    if current.len() >= 2 && reaches(&current) {
                        out.push(std::mem::take(&mut current));
                    } else {
                        current.clear();
                    }
                }
                d = stop.max(d + 1e-4);
            } else {
                d = (d - phase + period).min(end).max(d + 1e-4);
            }
        }
        dist = end;
    }
    if current.len() >= 2 && reaches(&current) {
        out.push(current);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: PxRect = PxRect {
        x: -1e6,
        y: -1e6,
        w: 2e6,
        h: 2e6,
    };

    #[test]
    fn dashes_follow_the_pattern_across_vertices() {
        let line = [(0.0, 0.0), (7.0, 0.0), (7.0, 13.0)];
        assert_eq!(
            dashes(&line, 5.0, 3.0, ALL),
            vec![
                vec![(0.0, 0.0), (5.0, 0.0)],
                vec![(7.0, 1.0), (7.0, 6.0)],
                vec![(7.0, 9.0), (7.0, 13.0)],
            ]
        );
        // A dash turning the corner keeps the corner.
        assert_eq!(
            dashes(&line, 10.0, 3.0, ALL)[0],
            vec![(0.0, 0.0), (7.0, 0.0), (7.0, 3.0)]
        );
    }

    #[test]
    fn the_pattern_does_not_depend_on_the_frame() {
        let line: Vec<(f32, f32)> = (0..50)
            .map(|i| (i as f32 * 7.3, (i % 3) as f32 * 4.0))
            .collect();
        let shifted: Vec<(f32, f32)> = line.iter().map(|&(x, y)| (x - 256.0, y)).collect();
        let a = dashes(&line, 6.0, 4.0, ALL);
        let b = dashes(&shifted, 6.0, 4.0, ALL);
        assert_eq!(a.len(), b.len());
        for (da, db) in a.iter().zip(&b) {
            for (p, q) in da.iter().zip(db) {
                assert!((p.0 - 256.0 - q.0).abs() < 1e-3 && (p.1 - q.1).abs() < 1e-3);
            }
        }
        // Only dashes reaching the bounds are kept.
        let some = dashes(&line, 6.0, 4.0, PxRect::new(0.0, -10.0, 50.0, 30.0));
        assert!(!some.is_empty() && some.len() < a.len());
    }
}
