//! Linear referencing along a border line, geodesic on WGS84.
//!
//! Conventions, stated once: `along_km` is geodesic km from the line's first vertex
//! (km 0); `offset_km` is the geodesic distance from the line, signed **positive on the
//! left** of the direction of travel and negative on the right.
//!
//! geo's `LineLocatePoint` is planar, so it is not used on degrees. Instead an R-tree
//! over the segments in a local equirectangular frame (km) finds candidate segments;
//! the best is chosen with a frame scaled at the point's own latitude, and the foot of
//! the perpendicular is then refined on the ellipsoid with GeographicLib until the
//! geodesic from the foot to the point is perpendicular to the border.

mod stitch;

pub use stitch::{Bridge, stitch};

use rstar::RTree;
use rstar::primitives::{GeomWithData, Line};

use crate::geodesy::{self, azimuth_difference};
use crate::model::LonLat;

/// Mean km per degree of latitude, used only for the candidate-search frames.
const KM_PER_DEG: f64 = 111.195;

/// Why a border line cannot be built.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum BorderError {
    /// Fewer than two distinct points.
    #[error("a border needs at least two distinct points, found {0}")]
    TooFewPoints(usize),
}

/// Why a km position cannot be used.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("km {km} is outside the border (0 to {length_km:.1} km)")]
pub struct OutOfRange {
    /// The km asked for.
    pub km: f64,
    /// The border's length.
    pub length_km: f64,
}

#[derive(Debug, Clone, Copy)]
struct Segment {
    km: f64,
    azimuth_start: f64,
    azimuth_end: f64,
}

type SegmentEntry = GeomWithData<Line<[f64; 2]>, usize>;

/// A border line prepared for linear referencing.
#[derive(Debug, Clone)]
pub struct Border {
    vertices: Vec<LonLat>,
    /// km from the start to each vertex.
    cum_km: Vec<f64>,
    segments: Vec<Segment>,
    tree: RTree<SegmentEntry>,
    frame_cos: f64,
    bridges: Vec<Bridge>,
    pieces: usize,
}

/// Where a point lies relative to the border.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Located {
    /// Geodesic km along the border from km 0 to the closest point.
    pub along_km: f64,
    /// Signed geodesic distance from the border in km, positive on the left.
    pub offset_km: f64,
    /// The closest point on the border.
    pub snapped: LonLat,
    /// Index of the border segment that holds `snapped`.
    pub segment: usize,
}

impl Located {
    /// Which side of the direction of travel the point is on.
    pub fn hand(&self) -> Hand {
        if self.offset_km > 0.0 {
            Hand::Left
        } else if self.offset_km < 0.0 {
            Hand::Right
        } else {
            Hand::On
        }
    }
}

/// Side of the line relative to its direction of travel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hand {
    /// Left of the direction of travel (positive offsets).
    Left,
    /// Right of the direction of travel (negative offsets).
    Right,
    /// Exactly on the line.
    On,
}

impl Hand {
    /// `"left"`, `"right"` or `"on"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Left => "left",
            Self::Right => "right",
            Self::On => "on",
        }
    }
}

impl Border {
    /// A border from one ordered list of lon/lat pairs.
    ///
    /// ```
    /// # use bordermap::linref::Border;
    /// let border = Border::from_lonlat(&[(70.0, 34.0), (71.0, 34.0)]).unwrap();
    /// assert!((border.length_km() - 92.4).abs() < 0.1);
    /// ```
    pub fn from_lonlat(points: &[(f64, f64)]) -> Result<Self, BorderError> {
        Self::from_pieces(&[points.iter().map(|&(x, y)| LonLat::new(x, y)).collect()])
    }

    /// A border from pieces, stitched in order with [`stitch`]; gaps are bridged.
    pub fn from_pieces(pieces: &[Vec<LonLat>]) -> Result<Self, BorderError> {
        let (vertices, bridges) = stitch(pieces);
        if vertices.len() < 2 {
            return Err(BorderError::TooFewPoints(vertices.len()));
        }
        let mut cum_km = Vec::with_capacity(vertices.len());
        let mut segments = Vec::with_capacity(vertices.len() - 1);
        let mut total = 0.0;
        cum_km.push(0.0);
        for w in vertices.windows(2) {
            let inv = geodesy::inverse(w[0], w[1]);
            segments.push(Segment {
                km: inv.km,
                azimuth_start: inv.azimuth_start,
                azimuth_end: inv.azimuth_end,
            });
            total += inv.km;
            cum_km.push(total);
        }
        let mean_lat = vertices.iter().map(|p| p.lat).sum::<f64>() / vertices.len() as f64;
        let frame_cos = mean_lat.to_radians().cos().max(0.01);
        let to_xy = |p: LonLat| [p.lon * frame_cos * KM_PER_DEG, p.lat * KM_PER_DEG];
        let entries = vertices
            .windows(2)
            .enumerate()
            .map(|(i, w)| GeomWithData::new(Line::new(to_xy(w[0]), to_xy(w[1])), i))
            .collect();
        Ok(Self {
            pieces: pieces.iter().filter(|p| !p.is_empty()).count(),
            vertices,
            cum_km,
            segments,
            tree: RTree::bulk_load(entries),
            frame_cos,
            bridges,
        })
    }

    /// Geodesic length in km.
    pub fn length_km(&self) -> f64 {
        self.cum_km[self.cum_km.len() - 1]
    }

    /// The stitched vertices, km 0 first.
    pub fn vertices(&self) -> &[LonLat] {
        &self.vertices
    }

    /// km from the start to each vertex.
    pub fn vertex_km(&self) -> &[f64] {
        &self.cum_km
    }

    /// The bridges added while stitching.
    pub fn bridges(&self) -> &[Bridge] {
        &self.bridges
    }

    /// How many pieces the input had.
    pub fn pieces(&self) -> usize {
        self.pieces
    }

    /// Bounding box `[lon_min, lat_min, lon_max, lat_max]`.
    pub fn bbox(&self) -> [f64; 4] {
        let mut b = [
            f64::INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NEG_INFINITY,
        ];
        for p in &self.vertices {
            b[0] = b[0].min(p.lon);
            b[1] = b[1].min(p.lat);
            b[2] = b[2].max(p.lon);
            b[3] = b[3].max(p.lat);
        }
        b
    }

    /// Where `p` lies along the border: km from the start, signed offset, closest point.
    ///
    /// ```
    /// # use bordermap::{linref::Border, model::LonLat};
    /// let border = Border::from_lonlat(&[(70.0, 34.0), (71.0, 34.0)]).unwrap();
    /// let at = border.locate(LonLat::new(70.5, 34.1));
    /// assert!((at.along_km - 46.2).abs() < 0.1);
    /// // North of an eastward line is on its left; the geodesic bulges ~110 m north.
    /// assert!((at.offset_km - 10.98).abs() < 0.01);
    /// ```
    pub fn locate(&self, p: LonLat) -> Located {
        let candidates = self.candidate_segments(p);
        let best_estimate = candidates.iter().map(|c| c.0).fold(f64::INFINITY, f64::min);
        // Near-ties (within 0.5 %, the local frame's error over hundreds of km) are settled
        // on the ellipsoid; usually only one candidate is left.
        candidates
            .iter()
            .filter(|c| c.0 <= best_estimate * 1.005 + 1e-3)
            .map(|&(_, i, t)| self.refine(p, i, t))
            .min_by(|a, b| a.offset_km.abs().total_cmp(&b.offset_km.abs()))
            .unwrap_or_else(|| self.refine(p, 0, 0.0))
    }

    /// Segments that may hold the closest point, as (estimated km, index, fraction).
    fn candidate_segments(&self, p: LonLat) -> Vec<(f64, usize, f64)> {
        let px = [p.lon * self.frame_cos * KM_PER_DEG, p.lat * KM_PER_DEG];
        let (km_per_deg_lat, km_per_deg_lon) = local_scales(p.lat);
        let local_cos = km_per_deg_lon / km_per_deg_lat;
        // The search frame's x scale differs from the point's own by this factor at most
        // (plus slack for the frame's curvature): stop once no candidate can beat the best.
        let slack = (self.frame_cos / local_cos).max(local_cos / self.frame_cos) * 1.05;
        let mut best = f64::INFINITY;
        let mut found: Vec<(f64, usize, f64)> = Vec::new();
        for (candidate, d2) in self.tree.nearest_neighbor_iter_with_distance_2(&px) {
            if d2.sqrt() > best * slack + 1e-6 {
                break;
            }
            let i = candidate.data;
            let (a, b) = (self.vertices[i], self.vertices[i + 1]);
            // Frame centred on p with the ellipsoid's local scales, longitudes unwrapped.
            let ax = wrap_lon(a.lon - p.lon) * km_per_deg_lon;
            let ay = (a.lat - p.lat) * km_per_deg_lat;
            let bx = wrap_lon(b.lon - p.lon) * km_per_deg_lon;
            let by = (b.lat - p.lat) * km_per_deg_lat;
            let (dx, dy) = (bx - ax, by - ay);
            let len2 = dx * dx + dy * dy;
            let t = if len2 > 0.0 {
                (-(ax * dx + ay * dy) / len2).clamp(0.0, 1.0)
            } else {
                0.0
            };
            let (fx, fy) = (ax + t * dx, ay + t * dy);
            let dist = (fx * fx + fy * fy).sqrt();
            best = best.min(dist);
            found.push((dist, i, t));
        }
        found
    }

    /// Moves the foot along segment `i` until the geodesic to `p` meets the border at a right angle.
    fn refine(&self, p: LonLat, i: usize, t: f64) -> Located {
        let seg = self.segments[i];
        let a = self.vertices[i];
        let mut s = t * seg.km;
        // On segments under a km, linear lon/lat interpolation stays within a centimetre of
        // the geodesic and the azimuth varies almost linearly: skip the direct solution there.
        let (mut foot, mut azimuth) = if seg.km < 1.0 {
            let b = self.vertices[i + 1];
            (
                LonLat::new(
                    a.lon + t * wrap_lon(b.lon - a.lon),
                    a.lat + t * (b.lat - a.lat),
                ),
                seg.azimuth_start + t * azimuth_difference(seg.azimuth_end, seg.azimuth_start),
            )
        } else {
            geodesy::direct(a, seg.azimuth_start, s)
        };
        let mut inv = geodesy::inverse(foot, p);
        for _ in 0..4 {
            let delta = azimuth_difference(inv.azimuth_start, azimuth);
            let step = inv.km * delta.to_radians().cos();
            let next = (s + step).clamp(0.0, seg.km);
            if (next - s).abs() < 1e-5 {
                break;
            }
            s = next;
            let (f, az) = geodesy::direct(a, seg.azimuth_start, s);
            foot = f;
            azimuth = az;
            inv = geodesy::inverse(foot, p);
        }
        let delta = azimuth_difference(inv.azimuth_start, azimuth);
        // P lies to the right when the azimuth towards it is clockwise of the border's.
        let sign = if inv.km == 0.0 || delta == 0.0 || delta.abs() == 180.0 {
            0.0
        } else if delta > 0.0 {
            -1.0
        } else {
            1.0
        };
        Located {
            along_km: self.cum_km[i] + s,
            offset_km: sign * inv.km,
            snapped: foot,
            segment: i,
        }
    }

    /// The point `km` along the border.
    ///
    /// ```
    /// # use bordermap::linref::Border;
    /// let border = Border::from_lonlat(&[(70.0, 34.0), (71.0, 34.0)]).unwrap();
    /// let p = border.interpolate(46.2).unwrap();
    /// assert!((p.lon - 70.5).abs() < 0.01);
    /// assert!(border.interpolate(100.0).is_err());
    /// ```
    pub fn interpolate(&self, km: f64) -> Result<LonLat, OutOfRange> {
        let i = self.segment_at(km)?;
        let seg = self.segments[i];
        let s = (km - self.cum_km[i]).clamp(0.0, seg.km);
        if s == 0.0 {
            return Ok(self.vertices[i]);
        }
        if s == seg.km {
            return Ok(self.vertices[i + 1]);
        }
        Ok(geodesy::direct(self.vertices[i], seg.azimuth_start, s).0)
    }

    /// The stretch of border between two km marks, as a line (in the order given).
    pub fn substring(&self, from_km: f64, to_km: f64) -> Result<Vec<LonLat>, OutOfRange> {
        let (lo, hi) = if from_km <= to_km {
            (from_km, to_km)
        } else {
            (to_km, from_km)
        };
        let start = self.interpolate(lo)?;
        let end = self.interpolate(hi)?;
        let mut out = vec![start];
        let first = self.cum_km.partition_point(|&k| k <= lo);
        let last = self.cum_km.partition_point(|&k| k < hi);
        out.extend(self.vertices[first..last].iter().copied());
        if out.last() != Some(&end) {
            out.push(end);
        }
        if out.len() == 1 {
            out.push(end);
        }
        if from_km > to_km {
            out.reverse();
        }
        Ok(out)
    }

    fn segment_at(&self, km: f64) -> Result<usize, OutOfRange> {
        let length_km = self.length_km();
        // A millimetre of slack absorbs rounding at the ends.
        if !km.is_finite() || km < -1e-6 || km > length_km + 1e-6 {
            return Err(OutOfRange { km, length_km });
        }
        let i = self.cum_km.partition_point(|&k| k <= km).saturating_sub(1);
        Ok(i.min(self.segments.len() - 1))
    }
}

/// km per degree of latitude and of longitude at `lat` on WGS84 (meridional and
/// prime-vertical radii of curvature).
fn local_scales(lat: f64) -> (f64, f64) {
    const A_KM: f64 = 6378.137;
    const E2: f64 = 0.006_694_379_990_14;
    let (sin, cos) = lat.to_radians().sin_cos();
    let w = (1.0 - E2 * sin * sin).sqrt();
    let m = A_KM * (1.0 - E2) / (w * w * w);
    let n = A_KM / w;
    (m.to_radians(), (n * cos.max(1e-6)).to_radians())
}

fn wrap_lon(d: f64) -> f64 {
    if d > 180.0 {
        d - 360.0
    } else if d < -180.0 {
        d + 360.0
    } else {
        d
    }
}

#[cfg(test)]
mod tests;
