//! Checks of a stitched border's shape that the maps and the km positions rely on: a line
//! that crosses or touches itself, or turns straight back on itself, makes "km along"
//! ambiguous; latitudes beyond Web Mercator's limit cannot be drawn; long bridges over gaps
//! in the source data are not border.

use geo::{Coord, Line, LineIntersection, line_intersection::line_intersection};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{AABB, RTree};

use super::Border;

/// The latitude where Web Mercator ends (maps clamp beyond it).
pub const MERCATOR_LIMIT: f64 = 85.051_128_779_806_59;

/// A bridge longer than this is a warning: a gap in the source data, not a border.
pub const LONG_BRIDGE_KM: f64 = 20.0;

/// How many places of one kind a warning lists before "and N more".
const LISTED: usize = 5;

/// Warnings about the border's shape, each saying what and where (km and position).
pub fn warnings(border: &Border) -> Vec<String> {
    let mut out = Vec::new();
    let (crossings, reversals) = self_overlaps(border);
    if !crossings.is_empty() {
        out.push(format!(
            "the border crosses or touches itself {} time(s), so a km position there is ambiguous: {}",
            crossings.len(),
            listed(&crossings)
        ));
    }
    if !reversals.is_empty() {
        out.push(format!(
            "the border turns straight back on itself {} time(s) (a piece given twice, or A-B-A): {}",
            reversals.len(),
            listed(&reversals)
        ));
    }
    let beyond: Vec<String> = border
        .vertices()
        .iter()
        .zip(border.vertex_km())
        .filter(|(p, _)| p.lat.abs() > MERCATOR_LIMIT)
        .map(|(p, km)| format!("km {km:.1} at latitude {}", p.lat))
        .collect();
    if !beyond.is_empty() {
        out.push(format!(
            "{} border vertex(es) lie beyond Web Mercator's limit (±85.0511°) and are drawn at the limit: {}",
            beyond.len(),
            listed(&beyond)
        ));
    }
    for b in border.bridges() {
        if b.gap_km > LONG_BRIDGE_KM {
            out.push(format!(
                "a {:.1} km gap in the border data, from [{}, {}] to [{}, {}], is bridged by a straight line (longer than {LONG_BRIDGE_KM} km: drawn dashed, \"gap in the source data\")",
                b.gap_km, b.from.lon, b.from.lat, b.to.lon, b.to.lat
            ));
        }
    }
    out
}

fn listed(items: &[String]) -> String {
    let mut s = items[..items.len().min(LISTED)].join("; ");
    if items.len() > LISTED {
        s.push_str(&format!("; and {} more", items.len() - LISTED));
    }
    s
}

/// Where segments cross or touch (not at a shared vertex of neighbours), and where a
/// segment runs back along its neighbour; each as "km A and km B at [lon, lat]".
fn self_overlaps(border: &Border) -> (Vec<String>, Vec<String>) {
    let v = border.vertices();
    let km = border.vertex_km();
    let n = v.len().saturating_sub(1);
    let line = |i: usize| {
        Line::new(
            Coord {
                x: v[i].lon,
                y: v[i].lat,
            },
            Coord {
                x: v[i + 1].lon,
                y: v[i + 1].lat,
            },
        )
    };
    let tree = RTree::bulk_load(
        (0..n)
            .map(|i| {
                let l = line(i);
                GeomWithData::new(
                    Rectangle::from_corners([l.start.x, l.start.y], [l.end.x, l.end.y]),
                    i,
                )
            })
            .collect(),
    );
    let closed = n > 2 && v[0] == v[n];
    let (mut crossings, mut reversals) = (Vec::new(), Vec::new());
    for i in 0..n {
        let a = line(i);
        let envelope = AABB::from_corners([a.start.x, a.start.y], [a.end.x, a.end.y]);
        for other in tree.locate_in_envelope_intersecting(&envelope) {
            let j = other.data;
            if j <= i || (closed && i == 0 && j == n - 1) {
                continue;
            }
            let Some(hit) = line_intersection(a, line(j)) else {
                continue;
            };
            let at = match hit {
                LineIntersection::SinglePoint { intersection, .. } => intersection,
                LineIntersection::Collinear { intersection } => intersection.start,
            };
            let collinear = matches!(hit, LineIntersection::Collinear { .. });
            if j == i + 1 && !collinear {
                continue; // neighbours meet at their shared vertex
            }
            let where_ = format!(
                "km {:.1} and km {:.1} at [{:.5}, {:.5}]",
                km[i], km[j], at.x, at.y
            );
            if collinear {
                reversals.push(where_);
            } else {
                crossings.push(where_);
            }
        }
    }
    (crossings, reversals)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn border(points: &[(f64, f64)]) -> Border {
        Border::from_lonlat(points).unwrap()
    }

    #[test]
    fn a_plain_line_has_no_warnings() {
        assert!(warnings(&border(&[(70.0, 34.0), (70.5, 34.2), (71.0, 34.0)])).is_empty());
    }

    #[test]
    fn a_figure_of_eight_crosses_itself_once() {
        let w = warnings(&border(&[(0.0, 0.0), (1.0, 1.0), (1.0, 0.0), (0.0, 1.0)]));
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(
            w[0].contains("crosses or touches itself 1 time(s)"),
            "{w:?}"
        );
        assert!(w[0].contains("[0.50000, 0.50000]"), "{w:?}");
    }

    #[test]
    fn a_b_a_b_doubles_back() {
        let w = warnings(&border(&[(0.0, 0.0), (1.0, 0.0), (0.0, 0.0), (1.0, 0.0)]));
        assert!(w.iter().any(|w| w.contains("turns straight back")), "{w:?}");
    }

    #[test]
    fn a_closed_ring_is_not_a_crossing() {
        let w = warnings(&border(&[(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 0.0)]));
        assert!(w.is_empty(), "{w:?}");
    }

    #[test]
    fn polar_vertices_are_named() {
        let w = warnings(&border(&[(0.0, 84.0), (1.0, 89.5)]));
        assert_eq!(w.len(), 1);
        assert!(w[0].contains("latitude 89.5"), "{w:?}");
    }
}
