//! Label placement: candidate positions around each anchor, greedy by priority, with no
//! label overlapping another label or a symbol, and nothing cut at the frame edge.
//!
//! Each label tries eight positions next to its symbol (right first, as cartographers
//! prefer), then the same eight further out with a leader line, at most
//! [`MAX_LEADER_HEIGHTS`] label heights long. A leader never crosses another leader, a
//! label or another symbol. A label that fits nowhere is dropped; lower priorities go
//! first, so incidents win over posts over places.

use crate::projection::PxRect;

/// The longest leader line, in label heights (plus clearances): about 100 px for a
/// two-line incident label at scale 1.
pub const MAX_LEADER_HEIGHTS: f32 = 2.2;

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
    /// Labels that fitted nowhere: key, and why (what blocked the preferred position).
    pub dropped: Vec<(String, String)>,
}

/// Places `requests` inside `bounds`, avoiding `obstacles` (symbol boxes) and each other.
/// `gap` is the clearance between a label and its symbol, and between labels.
pub fn place(requests: &[LabelRequest], bounds: PxRect, obstacles: &[PxRect], gap: f32) -> Layout {
    let mut order: Vec<usize> = (0..requests.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(requests[i].priority));
    let mut layout = Layout::default();
    let mut taken: Vec<PxRect> = Vec::new();
    let mut leaders: Vec<Leader> = Vec::new();
    let mut keys: Vec<&str> = Vec::new();
    for i in order {
        let r = &requests[i];
        let blocked = |(rect, leader): &(PxRect, Option<Leader>)| -> Option<String> {
            if !bounds.contains_rect(rect) {
                return Some("it would leave the map".into());
            }
            if let Some(k) = taken
                .iter()
                .position(|t| t.inflate(gap * 0.5).intersects(rect))
            {
                return Some(format!("it would cover the label of {}", keys[k]));
            }
            if obstacles.iter().any(|o| o.intersects(rect)) {
                return Some("it would cover a symbol".into());
            }
            if leaders.iter().any(|l| crosses_rect(*l, rect)) {
                return Some("it would cover a leader line".into());
            }
            if let Some(l) = leader
                && (leaders.iter().any(|m| segments_cross(*l, *m))
                    || taken.iter().any(|t| crosses_rect(*l, t))
                    || obstacles
                        .iter()
                        .any(|o| !o.contains_point(r.anchor) && crosses_rect(*l, o)))
            {
                return Some("its leader line would cross a label, a leader or a symbol".into());
            }
            None
        };
        let candidates = candidates(r, gap);
        let Some((rect, leader)) = candidates.iter().find(|c| blocked(c).is_none()).cloned() else {
            let why = candidates
                .first()
                .and_then(blocked)
                .unwrap_or_else(|| "no position".into());
            layout.dropped.push((r.key.clone(), why));
            continue;
        };
        taken.push(rect);
        keys.push(r.key.as_str());
        leaders.extend(leader);
        layout.placed.push(Placement {
            index: i,
            rect,
            leader,
        });
    }
    layout
}

/// Whether segments `a` and `b` cross (touching at an end counts).
fn segments_cross(a: Leader, b: Leader) -> bool {
    let orient = |p: (f32, f32), q: (f32, f32), r: (f32, f32)| {
        (q.0 - p.0) * (r.1 - p.1) - (q.1 - p.1) * (r.0 - p.0)
    };
    let (d1, d2) = (orient(b.0, b.1, a.0), orient(b.0, b.1, a.1));
    let (d3, d4) = (orient(a.0, a.1, b.0), orient(a.0, a.1, b.1));
    d1 * d2 <= 0.0 && d3 * d4 <= 0.0 && !(d1 == 0.0 && d2 == 0.0 && d3 == 0.0 && d4 == 0.0)
}

/// Whether segment `l` passes through the inside of `r` for a stretch, not merely touching
/// an edge (a leader ends on its own label's edge).
fn crosses_rect(l: Leader, r: &PxRect) -> bool {
    super::clip::clip_params(l.0, l.1, r).is_some_and(|(t0, t1)| t1 - t0 > 1e-3)
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
        &[0.0, 1.0, 1.6, MAX_LEADER_HEIGHTS]
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
        let l0 = layout.dropped.iter().find(|(k, _)| k == "l0");
        assert!(l0.is_some(), "the lowest priority is dropped");
        // And says why: its preferred place is taken by a label placed before it.
        assert!(
            l0.is_some_and(|(_, why)| why.starts_with("it would cover the label of l")),
            "{l0:?}"
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

    #[test]
    fn leaders_are_short_and_never_cross() {
        // Two anchors side by side whose labels must both move out: their leaders may not
        // cross, and none is longer than the stated maximum.
        let req = |x: f32, key: &str| LabelRequest {
            key: key.into(),
            size: (80.0, 30.0),
            anchor: (x, 100.0),
            radius: 6.0,
            priority: 300,
            leader: true,
            centred: false,
            alternatives: Vec::new(),
        };
        let block = PxRect::new(40.0, 60.0, 200.0, 80.0);
        let requests = vec![req(100.0, "a"), req(130.0, "b"), req(160.0, "c")];
        let obstacles = vec![block];
        let layout = place(
            &requests,
            PxRect::new(0.0, 0.0, 400.0, 400.0),
            &obstacles,
            2.0,
        );
        let leaders: Vec<Leader> = layout.placed.iter().filter_map(|p| p.leader).collect();
        assert!(!leaders.is_empty());
        for (i, a) in leaders.iter().enumerate() {
            let len = ((a.1.0 - a.0.0).powi(2) + (a.1.1 - a.0.1).powi(2)).sqrt();
            assert!(
                len <= 6.0 + 2.0 + MAX_LEADER_HEIGHTS * (30.0 + 12.0) + 1.0,
                "{len}"
            );
            for b in &leaders[i + 1..] {
                assert!(!segments_cross(*a, *b), "{a:?} crosses {b:?}");
            }
        }
        assert!(segments_cross(
            ((0.0, 0.0), (10.0, 10.0)),
            ((0.0, 10.0), (10.0, 0.0))
        ));
        assert!(!segments_cross(
            ((0.0, 0.0), (10.0, 0.0)),
            ((0.0, 5.0), (10.0, 5.0))
        ));
        assert!(crosses_rect(
            ((0.0, 5.0), (20.0, 5.0)),
            &PxRect::new(5.0, 0.0, 5.0, 10.0)
        ));
        assert!(!crosses_rect(
            ((0.0, 20.0), (20.0, 20.0)),
            &PxRect::new(5.0, 0.0, 5.0, 10.0)
        ));
    }
}
