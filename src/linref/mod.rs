//! Linear referencing along a border line, geodesic on WGS84.
//!
//! Conventions, stated once: `along_km` is geodesic km from the line's first vertex
//! (km 0); `offset_km` is the geodesic distance from the line, signed **positive on the
//! left** of the direction of travel and negative on the right.
//!
//! geo's `LineLocatePoint` is planar, so it is not used on degrees. Instead an R-tree
//! holds runs of 16 consecutive segments (as 3D boxes of their chords in Earth-centred,
//! ECEF, km); the runs nearest the point are scanned segment by segment. Chord length orders
//! distances like the geodesic does to about 1e-5 relative within 500 km, with no
//! distortion anywhere on the globe, so the nearest chords are the candidates. Within
//! 100 km the chord to the foot converts to the geodesic distance in closed form (to a
//! centimetre); farther out the foot is refined on the ellipsoid with GeographicLib until
//! the geodesic from the foot to the point meets the border at a right angle.

pub mod checks;
pub mod status;
mod stitch;

pub use stitch::{Bridge, stitch};

use rstar::AABB;
use rstar::RTree;
use rstar::primitives::{GeomWithData, Rectangle};

use crate::geodesy::{self, azimuth_difference};
use crate::model::LonLat;

/// Why a border line cannot be built.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum BorderError {
    /// Fewer than two distinct points.
    #[error("a border needs at least two distinct points, found {0}")]
    TooFewPoints(usize),
    /// Two consecutive vertices on either side of the 180th meridian.
    #[error(
        "the border crosses the 180° meridian at km {km:.1}, from [{}, {}] to [{}, {}]: borders across the antimeridian are not supported (the line would be drawn around the world)",
        from.lon, from.lat, to.lon, to.lat
    )]
    CrossesAntimeridian {
        /// km of the vertex before the crossing.
        km: f64,
        /// The vertex before.
        from: LonLat,
        /// The vertex after.
        to: LonLat,
    },
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

/// A run of consecutive segments `start..end` and the ECEF box of their vertices.
type RunEntry = GeomWithData<Rectangle<[f64; 3]>, (usize, usize)>;

/// Segments per R-tree entry: scanning a short run is cheaper than a deeper tree.
const RUN: usize = 16;

/// Beyond this chord length the offset is solved with GeographicLib instead.
const CHORD_LIMIT_KM: f64 = 100.0;
/// Mean Earth radius (IUGG), for the chord-to-arc correction only.
const MEAN_RADIUS_KM: f64 = 6371.0088;

/// A border line prepared for linear referencing.
#[derive(Debug, Clone)]
pub struct Border {
    vertices: Vec<LonLat>,
    /// km from the start to each vertex.
    cum_km: Vec<f64>,
    segments: Vec<Segment>,
    tree: RTree<RunEntry>,
    /// ECEF km of each vertex.
    ecef: Vec<[f64; 3]>,
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
            if (w[1].lon - w[0].lon).abs() > 180.0 {
                return Err(BorderError::CrossesAntimeridian {
                    km: total,
                    from: w[0],
                    to: w[1],
                });
            }
            let inv = geodesy::inverse(w[0], w[1]);
            segments.push(Segment {
                km: inv.km,
                azimuth_start: inv.azimuth_start,
                azimuth_end: inv.azimuth_end,
            });
            total += inv.km;
            cum_km.push(total);
        }
        let ecef_vertices: Vec<[f64; 3]> = vertices.iter().map(|p| ecef(*p)).collect();
        let n_segments = vertices.len() - 1;
        let entries = (0..n_segments)
            .step_by(RUN)
            .map(|start| {
                let end = (start + RUN).min(n_segments);
                let bbox = AABB::from_points(ecef_vertices[start..=end].iter());
                GeomWithData::new(Rectangle::from_aabb(bbox), (start, end))
            })
            .collect();
        Ok(Self {
            pieces: pieces.iter().filter(|p| !p.is_empty()).count(),
            vertices,
            cum_km,
            segments,
            tree: RTree::bulk_load(entries),
            ecef: ecef_vertices,
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
        let px = ecef(p);
        // Ranked by the distance to each straight chord, which differs from the distance
        // to the surface by at most the sagitta L²/8R: 2 cm for a 1 km segment.
        let mut nearest: Option<(f64, usize, f64)> = None;
        for (run, d2) in self.tree.nearest_neighbor_iter_with_distance_2(&px) {
            if nearest.is_some_and(|n| d2.sqrt() > n.0) {
                break;
            }
            let (start, end) = run.data;
            for i in start..end {
                let (a, b) = (self.ecef[i], self.ecef[i + 1]);
                let t = chord_fraction(a, b, px);
                let q = [
                    a[0] + t * (b[0] - a[0]),
                    a[1] + t * (b[1] - a[1]),
                    a[2] + t * (b[2] - a[2]),
                ];
                let d = distance3(q, px);
                if nearest.is_none_or(|n| d < n.0) {
                    nearest = Some((d, i, t));
                }
            }
        }
        let best = nearest.map(|(_, i, t)| {
            let foot = self.point_on_segment(i, t);
            (distance3(ecef(foot), px), i, t, foot)
        });
        let Some((chord, i, t, foot)) = best else {
            return self.refine(p, 0, 0.0);
        };
        if chord > CHORD_LIMIT_KM {
            return self.refine(p, i, t);
        }
        // The chord to a surface point converts to the geodesic as c + c³/24R²; within
        // 100 km the spread of R over directions (0.7 %) moves that by under a centimetre.
        let km = chord + chord.powi(3) / (24.0 * MEAN_RADIUS_KM * MEAN_RADIUS_KM);
        let normal = cross(self.ecef[i], self.ecef[i + 1]);
        let side = dot(normal, px);
        let sign = if km == 0.0 || side == 0.0 {
            0.0
        } else {
            side.signum()
        };
        Located {
            along_km: self.cum_km[i] + t * self.segments[i].km,
            offset_km: sign * km,
            snapped: foot,
            segment: i,
        }
    }

    /// The point at fraction `t` of segment `i`: linear in lon/lat on segments under a km
    /// (within a centimetre of the geodesic), solved on the ellipsoid on longer ones.
    fn point_on_segment(&self, i: usize, t: f64) -> LonLat {
        let (a, b) = (self.vertices[i], self.vertices[i + 1]);
        let seg = self.segments[i];
        if seg.km < 1.0 || t == 0.0 || t == 1.0 {
            if t == 1.0 {
                return b;
            }
            LonLat::new(
                a.lon + t * wrap_lon(b.lon - a.lon),
                a.lat + t * (b.lat - a.lat),
            )
        } else {
            geodesy::direct(a, seg.azimuth_start, t * seg.km).0
        }
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

/// Earth-centred, Earth-fixed coordinates in km on WGS84, at height 0.
fn ecef(p: LonLat) -> [f64; 3] {
    const A_KM: f64 = 6378.137;
    const E2: f64 = 0.006_694_379_990_14;
    let (sin_lat, cos_lat) = p.lat.to_radians().sin_cos();
    let (sin_lon, cos_lon) = p.lon.to_radians().sin_cos();
    let n = A_KM / (1.0 - E2 * sin_lat * sin_lat).sqrt();
    [
        n * cos_lat * cos_lon,
        n * cos_lat * sin_lon,
        n * (1.0 - E2) * sin_lat,
    ]
}

fn distance3(a: [f64; 3], b: [f64; 3]) -> f64 {
    ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2) + (a[2] - b[2]).powi(2)).sqrt()
}

fn cross(a: [f64; 3], b: [f64; 3]) -> [f64; 3] {
    [
        a[1] * b[2] - a[2] * b[1],
        a[2] * b[0] - a[0] * b[2],
        a[0] * b[1] - a[1] * b[0],
    ]
}

fn dot(a: [f64; 3], b: [f64; 3]) -> f64 {
    a[0] * b[0] + a[1] * b[1] + a[2] * b[2]
}

/// Fraction along the chord from `a` to `b` of the point nearest to `p`, in 0..=1.
fn chord_fraction(a: [f64; 3], b: [f64; 3], p: [f64; 3]) -> f64 {
    let d = [b[0] - a[0], b[1] - a[1], b[2] - a[2]];
    let len2 = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
    if len2 == 0.0 {
        return 0.0;
    }
    let t = ((p[0] - a[0]) * d[0] + (p[1] - a[1]) * d[1] + (p[2] - a[2]) * d[2]) / len2;
    t.clamp(0.0, 1.0)
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
