//! Stitching a border given in pieces into one ordered line, bridging the gaps.

use crate::geodesy::distance_km;
use crate::model::LonLat;

/// A straight bridge added between two pieces that did not touch.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bridge {
    /// End of the line before the gap.
    pub from: LonLat,
    /// Start of the next piece.
    pub to: LonLat,
    /// Geodesic length of the gap in km.
    pub gap_km: f64,
}

/// Joins `pieces` into one line, starting with the first piece in its own direction.
///
/// At each step the piece whose end lies nearest to either end of the growing line is
/// attached there (reversed if needed), so pieces may come in any order and direction.
/// Each join where the ends do not coincide is reported as a [`Bridge`], in the order
/// they occur along the result.
pub fn stitch(pieces: &[Vec<LonLat>]) -> (Vec<LonLat>, Vec<Bridge>) {
    let mut remaining: Vec<&Vec<LonLat>> = pieces.iter().filter(|p| !p.is_empty()).collect();
    if remaining.is_empty() {
        return (Vec::new(), Vec::new());
    }
    let first = remaining.remove(0);
    let mut line: std::collections::VecDeque<LonLat> = first.iter().copied().collect();
    // Bridges found at the front are collected separately and reversed at the end.
    let mut back_bridges = Vec::new();
    let mut front_bridges = Vec::new();
    while !remaining.is_empty() {
        let head = line[0];
        let tail = line[line.len() - 1];
        let mut best = (f64::INFINITY, 0, false, false); // (km, index, at_tail, reversed)
        for (i, piece) in remaining.iter().enumerate() {
            let (s, e) = (piece[0], piece[piece.len() - 1]);
            for (km, at_tail, reversed) in [
                (distance_km(tail, s), true, false),
                (distance_km(tail, e), true, true),
                (distance_km(head, e), false, false),
                (distance_km(head, s), false, true),
            ] {
                if km < best.0 {
                    best = (km, i, at_tail, reversed);
                }
            }
        }
        let (gap_km, index, at_tail, reversed) = best;
        let piece = remaining.remove(index);
        let mut pts: Vec<LonLat> = piece.clone();
        if reversed {
            pts.reverse();
        }
        if at_tail {
            if gap_km > 0.0 {
                back_bridges.push(Bridge {
                    from: tail,
                    to: pts[0],
                    gap_km,
                });
            }
            line.extend(pts);
        } else {
            if gap_km > 0.0 {
                front_bridges.push(Bridge {
                    from: pts[pts.len() - 1],
                    to: head,
                    gap_km,
                });
            }
            for p in pts.into_iter().rev() {
                line.push_front(p);
            }
        }
    }
    front_bridges.reverse();
    front_bridges.extend(back_bridges);
    let mut out: Vec<LonLat> = Vec::with_capacity(line.len());
    for p in line {
        if out.last() != Some(&p) {
            out.push(p);
        }
    }
    (out, front_bridges)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pts(v: &[(f64, f64)]) -> Vec<LonLat> {
        v.iter().map(|&(x, y)| LonLat::new(x, y)).collect()
    }

    #[test]
    fn joins_touching_pieces_without_bridges() {
        let (line, bridges) = stitch(&[
            pts(&[(0.0, 0.0), (1.0, 0.0)]),
            pts(&[(1.0, 0.0), (2.0, 0.0)]),
        ]);
        assert_eq!(line, pts(&[(0.0, 0.0), (1.0, 0.0), (2.0, 0.0)]));
        assert!(bridges.is_empty());
    }

    #[test]
    fn reorders_reverses_and_bridges() {
        // Pieces out of order, the middle one reversed, with a gap of 0.01° before the last.
        let (line, bridges) = stitch(&[
            pts(&[(0.0, 0.0), (1.0, 0.0)]),
            pts(&[(3.01, 0.0), (4.0, 0.0)]),
            pts(&[(3.0, 0.0), (2.0, 0.0), (1.0, 0.0)]),
        ]);
        assert_eq!(
            line,
            pts(&[
                (0.0, 0.0),
                (1.0, 0.0),
                (2.0, 0.0),
                (3.0, 0.0),
                (3.01, 0.0),
                (4.0, 0.0)
            ])
        );
        assert_eq!(bridges.len(), 1);
        assert!(
            (bridges[0].gap_km - 1.113).abs() < 0.01,
            "{}",
            bridges[0].gap_km
        );
    }

    #[test]
    fn grows_at_the_front_too() {
        let (line, bridges) = stitch(&[
            pts(&[(1.0, 0.0), (2.0, 0.0)]),
            pts(&[(0.0, 0.0), (0.5, 0.0)]),
        ]);
        assert_eq!(line, pts(&[(0.0, 0.0), (0.5, 0.0), (1.0, 0.0), (2.0, 0.0)]));
        assert_eq!(bridges.len(), 1);
        assert_eq!(bridges[0].from, LonLat::new(0.5, 0.0));
    }
}
