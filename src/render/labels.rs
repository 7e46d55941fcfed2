//! Label placement: candidate positions around each anchor, greedy by priority, with no
//! label overlapping another label or a symbol, and nothing cut at the frame edge.
//!
//! Each label tries eight positions next to its symbol (right first, as cartographers
//! prefer), then the same eight further out with a leader line. A label that fits nowhere
//! is dropped; lower priorities go first, so incidents win over posts over places.

use crate::projection::PxRect;

/// One label to place.
#[derive(Debug, Clone)]
pub struct LabelRequest {
    /// What the label is for, for reports of dropped labels.
    pub key: String,
    /// Width and height of the label's text block.
    pub size: (f32, f32),
    /// The point it labels.
    pub anchor: (f32, f32),
    /// Radius of the anchor's symbol: the label keeps clear of it.
    pub radius: f32,
    /// Higher is placed first.
    pub priority: i32,
    /// Whether the label may move away from its anchor with a leader line.
    pub leader: bool,
    /// Centre the label on the anchor instead (area labels such as country names).
    pub centred: bool,
    /// Further centre points to try, in order, for centred labels.
    pub alternatives: Vec<(f32, f32)>,
}

/// Where a label went.
#[derive(Debug, Clone, PartialEq)]
pub struct Placement {
    /// Index into the requests.
    pub index: usize,
    /// The label's box.
    pub rect: PxRect,
    /// A leader line from near the anchor to the label, when it was moved away.
    pub leader: Option<Leader>,
}

/// A leader line: from near the anchor to the label.
pub type Leader = ((f32, f32), (f32, f32));

/// The outcome: placed labels, and the keys of dropped ones in the order dropped.
#[derive(Debug, Clone, Default)]
pub struct Layout {
    /// Placed labels.
    pub placed: Vec<Placement>,
    /// Keys of labels that fitted nowhere.
    pub dropped: Vec<String>,
}

/// Places `requests` inside `bounds`, avoiding `obstacles` (symbol boxes) and each other.
/// `gap` is the clearance between a label and its symbol, and between labels.
pub fn place(requests: &[LabelRequest], bounds: PxRect, obstacles: &[PxRect], gap: f32) -> Layout {
    let mut order: Vec<usize> = (0..requests.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(requests[i].priority));
    let mut layout = Layout::default();
    let mut taken: Vec<PxRect> = Vec::new();
    for i in order {
        let r = &requests[i];
        let found = candidates(r, gap).into_iter().find(|(rect, _)| {
            bounds.contains_rect(rect)
                && !taken.iter().any(|t| t.inflate(gap * 0.5).intersects(rect))
                && !obstacles.iter().any(|o| o.intersects(rect))
        });
        match found {
            Some((rect, leader)) => {
                taken.push(rect);
                layout.placed.push(Placement {
                    index: i,
                    rect,
                    leader,
                });
            }
            None => layout.dropped.push(r.key.clone()),
        }
    }
    layout
}

fn candidates(r: &LabelRequest, gap: f32) -> Vec<(PxRect, Option<Leader>)> {
    let (w, h) = r.size;
    let (ax, ay) = r.anchor;
    if r.centred {
        return std::iter::once(r.anchor)
            .chain(r.alternatives.iter().copied())
            .map(|(x, y)| (PxRect::new(x - w / 2.0, y - h / 2.0, w, h), None))
            .collect();
    }
    // Unit directions, in order of preference: E, W, NE, SE, NW, SW, N, S.
    const DIRS: [(f32, f32); 8] = [
        (1.0, 0.0),
        (-1.0, 0.0),
        (0.7, -0.7),
        (0.7, 0.7),
        (-0.7, -0.7),
        (-0.7, 0.7),
        (0.0, -1.0),
        (0.0, 1.0),
    ];
    let mut out = Vec::new();
    let rings: &[f32] = if r.leader {
        &[0.0, 1.0, 2.2, 3.6]
    } else {
        &[0.0]
    };
    for (k, &ring) in rings.iter().enumerate() {
        let d = r.radius + gap + ring * (h + 6.0 * gap);
        for (dx, dy) in DIRS {
            let (px, py) = (ax + dx * d, ay + dy * d);
            // The box touches the point (px, py) on the side facing the anchor.
            let x = if dx > 0.1 {
                px
            } else if dx < -0.1 {
                px - w
            } else {
                px - w / 2.0
            };
            let y = if dy > 0.1 {
                py
            } else if dy < -0.1 {
                py - h
            } else {
                py - h / 2.0
            };
            let rect = PxRect::new(x, y, w, h);
            let leader = (k > 0).then(|| {
                let start = (ax + dx * (r.radius + 1.0), ay + dy * (r.radius + 1.0));
                (start, (px, py))
            });
            out.push((rect, leader));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(key: &str, anchor: (f32, f32), priority: i32) -> LabelRequest {
        LabelRequest {
            key: key.into(),
            size: (60.0, 14.0),
            anchor,
            radius: 4.0,
            priority,
            leader: true,
            centred: false,
            alternatives: Vec::new(),
        }
    }

    #[test]
    fn crowded_labels_never_overlap_and_low_priority_drops_first() {
        let bounds = PxRect::new(0.0, 0.0, 200.0, 120.0);
        let reqs: Vec<LabelRequest> = (0..30)
            .map(|i| req(&format!("l{i}"), (100.0 + (i % 3) as f32, 60.0), i))
            .collect();
        let layout = place(&reqs, bounds, &[], 2.0);
        for (i, a) in layout.placed.iter().enumerate() {
            assert!(bounds.contains_rect(&a.rect));
            for b in &layout.placed[i + 1..] {
                assert!(!a.rect.intersects(&b.rect), "{a:?} overlaps {b:?}");
            }
        }
        assert!(!layout.dropped.is_empty());
        assert!(
            layout.placed.iter().any(|p| p.index == 29),
            "the highest priority is placed"
        );
        assert!(
            layout.dropped.contains(&"l0".to_string()),
            "the lowest priority is dropped"
        );
    }

    #[test]
    fn label_near_the_edge_moves_inside() {
        let bounds = PxRect::new(0.0, 0.0, 200.0, 120.0);
        let layout = place(&[req("edge", (195.0, 60.0), 1)], bounds, &[], 2.0);
        let p = &layout.placed[0];
        assert!(p.rect.right() <= 195.0, "placed left of the anchor: {p:?}");
    }

    #[test]
    fn symbols_are_avoided() {
        let bounds = PxRect::new(0.0, 0.0, 200.0, 120.0);
        let symbol = PxRect::new(104.0, 50.0, 20.0, 20.0);
        let layout = place(&[req("a", (100.0, 60.0), 1)], bounds, &[symbol], 2.0);
        assert!(!layout.placed[0].rect.intersects(&symbol));
    }
}
