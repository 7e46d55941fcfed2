//! Lines and rings in Web Mercator, simplified for one zoom level and cut into chunks with
//! boxes, so a frame touches only the geometry inside it.
//!
//! A chunk lying wholly outside a frame's clip box lies wholly beyond one of its edges
//! (boxes that do not overlap are separated along x or y). Replacing such a chunk by its
//! end points moves the ring only beyond that edge, so the filled area inside the frame is
//! exactly what it was, while the frame's cost stops growing with data outside it.

use crate::projection::Frame;

/// Vertices per chunk.
const CHUNK: usize = 32;

/// A Mercator box `[min_x, min_y, max_x, max_y]` in metres.
pub type MercBox = [f64; 4];

/// The box around `pts`.
pub fn bbox(pts: &[(f64, f64)]) -> MercBox {
    let mut b = [
        f64::INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NEG_INFINITY,
    ];
    for &(x, y) in pts {
        b = [b[0].min(x), b[1].min(y), b[2].max(x), b[3].max(y)];
    }
    b
}

fn overlaps(a: &MercBox, b: &MercBox) -> bool {
    a[0] <= b[2] && a[2] >= b[0] && a[1] <= b[3] && a[3] >= b[1]
}

/// A polyline (or closed ring) cut into runs of 32 segments, each with its box.
#[derive(Debug, Clone, Default)]
pub struct Chunked {
    /// The vertices, in Mercator metres.
    pub pts: Vec<(f64, f64)>,
    /// Per chunk: first vertex index, last vertex index (inclusive, shared with the next
    /// chunk), box.
    chunks: Vec<(usize, usize, MercBox)>,
    /// The box of all vertices.
    pub bbox: MercBox,
}

impl Chunked {
    /// Chunks `pts`.
    pub fn new(pts: Vec<(f64, f64)>) -> Self {
        let mut chunks = Vec::with_capacity(pts.len() / CHUNK + 1);
        let mut start = 0;
        while start + 1 < pts.len() {
            let end = (start + CHUNK).min(pts.len() - 1);
            chunks.push((start, end, bbox(&pts[start..=end])));
            start = end;
        }
        let bbox = bbox(&pts);
        Self { pts, chunks, bbox }
    }

    /// The ring's vertices with every chunk outside `clip` collapsed to its end points.
    pub fn ring_in(&self, clip: &MercBox) -> Vec<(f64, f64)> {
        let mut out = Vec::new();
        for &(a, b, bx) in &self.chunks {
            if overlaps(&bx, clip) {
                out.extend_from_slice(&self.pts[a..b]);
            } else {
                out.push(self.pts[a]);
            }
        }
        if let Some(&last) = self.pts.last() {
            out.push(last);
        }
        out
    }

    /// The runs of consecutive chunks that touch `clip`.
    pub fn runs_in(&self, clip: &MercBox) -> Vec<&[(f64, f64)]> {
        let mut runs = Vec::new();
        let mut open: Option<(usize, usize)> = None;
        for &(a, b, bx) in &self.chunks {
            if overlaps(&bx, clip) {
                open = Some(match open {
                    Some((s, _)) => (s, b),
                    None => (a, b),
                });
            } else if let Some((s, e)) = open.take() {
                runs.push(&self.pts[s..=e]);
            }
        }
        if let Some((s, e)) = open {
            runs.push(&self.pts[s..=e]);
        }
        runs
    }

    /// Whether the closed ring holds `p` (crossing number; points exactly on an edge
    /// may go either way).
    pub fn contains(&self, p: (f64, f64)) -> bool {
        let b = self.bbox;
        if p.0 < b[0] || p.0 > b[2] || p.1 < b[1] || p.1 > b[3] {
            return false;
        }
        let mut inside = false;
        let n = self.pts.len();
        for i in 0..n {
            let (a, c) = (self.pts[i], self.pts[(i + 1) % n]);
            if (a.1 > p.1) != (c.1 > p.1) && p.0 < a.0 + (p.1 - a.1) / (c.1 - a.1) * (c.0 - a.0) {
                inside = !inside;
            }
        }
        inside
    }

    /// Whether any part may touch `clip`.
    pub fn touches(&self, clip: &MercBox) -> bool {
        overlaps(&self.bbox, clip)
    }
}

/// The Mercator box a frame shows, grown by `margin_px` pixels.
pub fn frame_box(frame: &Frame, margin_px: f32) -> MercBox {
    let m = f64::from(margin_px) * frame.m_per_px();
    [
        frame.extent[0] - m,
        frame.extent[1] - m,
        frame.extent[2] + m,
        frame.extent[3] + m,
    ]
}

/// Ramer–Douglas–Peucker in Mercator metres: no dropped vertex is farther than
/// `tolerance` from the kept line; then kept vertices closer than `min_step` to the last
/// kept one are dropped (the ends are kept). Simplifying first means a line sampled ten
/// times more densely keeps the same corners, so a frame costs the same.
pub fn simplify(pts: &[(f64, f64)], tolerance: f64, min_step: f64) -> Vec<(f64, f64)> {
    if pts.len() < 3 {
        return pts.to_vec();
    }
    let mut keep = vec![false; pts.len()];
    keep[0] = true;
    keep[pts.len() - 1] = true;
    let tol2 = tolerance * tolerance;
    // Douglas–Peucker is quadratic when every split lands next to an end (a zigzag: each
    // vertex as far from the chord as the next). Blocks of at most BLOCK vertices, with
    // their ends kept, bound the work to BLOCK per vertex and keep the same tolerance.
    const BLOCK: usize = 512;
    let mut stack: Vec<(usize, usize)> = (0..pts.len() - 1)
        .step_by(BLOCK)
        .map(|a| {
            let b = (a + BLOCK).min(pts.len() - 1);
            keep[b] = true;
            (a, b)
        })
        .collect();
    while let Some((a, b)) = stack.pop() {
        if b <= a + 1 {
            continue;
        }
        let (mut worst, mut at) = (0.0, a);
        for (i, p) in pts.iter().enumerate().take(b).skip(a + 1) {
            let d = seg_dist2(*p, pts[a], pts[b]);
            if d > worst {
                worst = d;
                at = i;
            }
        }
        if worst > tol2 {
            keep[at] = true;
            stack.push((a, at));
            stack.push((at, b));
        }
    }
    let kept: Vec<(f64, f64)> = pts
        .iter()
        .zip(keep)
        .filter_map(|(p, k)| k.then_some(*p))
        .collect();
    let min2 = min_step * min_step;
    let mut out: Vec<(f64, f64)> = Vec::with_capacity(kept.len());
    for (i, &p) in kept.iter().enumerate() {
        match out.last() {
            Some(&q) if i + 1 < kept.len() && (p.0 - q.0).powi(2) + (p.1 - q.1).powi(2) < min2 => {}
            _ => out.push(p),
        }
    }
    out
}

fn seg_dist2(p: (f64, f64), a: (f64, f64), b: (f64, f64)) -> f64 {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len2 = dx * dx + dy * dy;
    let t = if len2 > 0.0 {
        (((p.0 - a.0) * dx + (p.1 - a.1) * dy) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let (x, y) = (a.0 + t * dx - p.0, a.1 + t * dy - p.1);
    x * x + y * y
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collapsed_chunks_keep_the_ring_inside_the_clip() {
        // A ring of 400 vertices on a circle; clip its right quarter.
        let ring: Vec<(f64, f64)> = (0..=400)
            .map(|i| {
                let a = f64::from(i) / 400.0 * std::f64::consts::TAU;
                (a.cos() * 1000.0, a.sin() * 1000.0)
            })
            .collect();
        let c = Chunked::new(ring.clone());
        let clip = [500.0, -300.0, 1100.0, 300.0];
        let cut = c.ring_in(&clip);
        assert!(cut.len() < ring.len() / 2, "{} vertices kept", cut.len());
        for p in ring.iter().filter(|p| p.0 >= 500.0 && p.1.abs() <= 300.0) {
            assert!(cut.contains(p), "{p:?} lost");
        }
        assert_eq!(cut.first(), ring.first());
        assert_eq!(cut.last(), ring.last());
    }

    #[test]
    fn runs_cover_only_touching_chunks() {
        let line: Vec<(f64, f64)> = (0..200).map(|i| (f64::from(i), 0.0)).collect();
        let c = Chunked::new(line);
        let runs = c.runs_in(&[40.0, -1.0, 50.0, 1.0]);
        assert_eq!(runs.len(), 1);
        assert!(runs[0].first().unwrap().0 <= 40.0 && runs[0].last().unwrap().0 >= 50.0);
        assert!(runs[0].len() <= 2 * CHUNK + 1);
    }

    #[test]
    fn simplify_keeps_shape_within_tolerance() {
        let line: Vec<(f64, f64)> = (0..100)
            .map(|i| (f64::from(i), if i % 2 == 0 { 0.0 } else { 0.1 }))
            .collect();
        let s = simplify(&line, 0.5, 0.0);
        assert_eq!(s.len(), 2);
        let s = simplify(&line, 0.05, 0.0);
        assert_eq!(s.len(), 100);
    }
}
