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

/// A point on the unit sphere: chord distances between these order pairs of points as
/// great-circle distances do, so an R-tree can find the nearest end.
fn unit(p: LonLat) -> [f64; 3] {
    let (lon, lat) = (p.lon.to_radians(), p.lat.to_radians());
    [lat.cos() * lon.cos(), lat.cos() * lon.sin(), lat.sin()]
}

/// An end of a piece in the index: the piece, and whether it is the piece's last point.
type End = rstar::primitives::GeomWithData<[f64; 3], (usize, bool)>;

/// Joins `pieces` into one line, starting with the first piece in its own direction.
///
/// At each step the piece whose end lies nearest to either end of the growing line is
/// attached there (reversed if needed), so pieces may come in any order and direction.
/// Each join where the ends do not coincide is reported as a [`Bridge`], in the order
/// they occur along the result. The free ends sit in an R-tree, so each step costs a
/// nearest-neighbour query: 10,000 pieces stitch in well under a second (a scan of every
/// piece at every step took minutes).
pub fn stitch(pieces: &[Vec<LonLat>]) -> (Vec<LonLat>, Vec<Bridge>) {
    let live: Vec<&Vec<LonLat>> = pieces.iter().filter(|p| !p.is_empty()).collect();
    let Some((first, rest)) = live.split_first() else {
        return (Vec::new(), Vec::new());
    };
    let mut ends = rstar::RTree::bulk_load(
        rest.iter()
            .enumerate()
            .flat_map(|(i, p)| {
                [
                    End::new(unit(p[0]), (i, false)),
                    End::new(unit(p[p.len() - 1]), (i, true)),
                ]
            })
            .collect(),
    );
    let mut line: std::collections::VecDeque<LonLat> = first.iter().copied().collect();
    // Bridges found at the front are collected separately and reversed at the end.
    let mut back_bridges = Vec::new();
    let mut front_bridges = Vec::new();
    let chord2 = |a: &[f64; 3], b: &[f64; 3]| (0..3).map(|k| (a[k] - b[k]).powi(2)).sum::<f64>();
    while ends.size() > 0 {
        let head = line[0];
        let tail = line[line.len() - 1];
        let (uh, ut) = (unit(head), unit(tail));
        let (Some(nt), Some(nh)) = (ends.nearest_neighbor(&ut), ends.nearest_neighbor(&uh)) else {
            break;
        };
        // Tail first on a tie, as the line grows in its own direction.
        let (end, at_tail) = if chord2(nt.geom(), &ut) <= chord2(nh.geom(), &uh) {
            (*nt, true)
        } else {
            (*nh, false)
        };
        let (index, is_last) = end.data;
        let piece = rest[index];
        let (s, e) = (piece[0], piece[piece.len() - 1]);
        ends.remove(&End::new(unit(s), (index, false)));
        ends.remove(&End::new(unit(e), (index, true)));
        // At the tail a piece enters by its nearest end; at the head it leaves by it.
        let reversed = is_last == at_tail;
        let mut pts: Vec<LonLat> = piece.clone();
        if reversed {
            pts.reverse();
        }
        if at_tail {
            let gap_km = distance_km(tail, pts[0]);
            if gap_km > 0.0 {
                back_bridges.push(Bridge {
                    from: tail,
                    to: pts[0],
                    gap_km,
                });
            }
            line.extend(pts);
        } else {
            let gap_km = distance_km(head, pts[pts.len() - 1]);
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
    fn ten_thousand_shuffled_pieces_reassemble_exactly() {
        // A line of 30,001 vertices cut into 10,000 pieces, shuffled by a fixed
        // permutation, every third piece reversed; the first piece stays first.
        let n = 10_000usize;
        let all: Vec<LonLat> = (0..=3 * n)
            .map(|i| {
                LonLat::new(
                    60.0 + i as f64 * 0.0005,
                    30.0 + (i as f64 * 0.37).sin() * 0.01,
                )
            })
            .collect();
        let mut pieces: Vec<Vec<LonLat>> = (0..n)
            .map(|k| {
                let mut p = all[3 * k..=3 * k + 3].to_vec();
                if k % 3 == 1 {
                    p.reverse();
                }
                p
            })
            .collect();
        // 7919 is prime, so i -> i * 7919 mod n permutes 1..n.
        let first = pieces.remove(0);
        let mut shuffled = vec![first];
        shuffled.extend((0..n - 1).map(|i| pieces[(i * 7919) % (n - 1)].clone()));
        let (line, bridges) = stitch(&shuffled);
        assert!(bridges.is_empty(), "{} bridges", bridges.len());
        assert_eq!(line, all);
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
