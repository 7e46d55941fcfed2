//! Geodesic measures on the WGS84 ellipsoid (Karney's algorithms via GeographicLib).
//!
//! Every function here takes and returns kilometres and degrees; the metre-to-km
//! conversion happens in this module only.

use std::sync::LazyLock;

use geographiclib_rs::{DirectGeodesic, Geodesic, InverseGeodesic};

use crate::model::LonLat;

static WGS84: LazyLock<Geodesic> = LazyLock::new(Geodesic::wgs84);

/// Result of the inverse geodesic problem between two points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Inverse {
    /// Geodesic distance in km.
    pub km: f64,
    /// Azimuth at the first point, degrees clockwise from north.
    pub azimuth_start: f64,
    /// Forward azimuth at the second point, degrees clockwise from north.
    pub azimuth_end: f64,
}

/// Solves the inverse problem: distance and azimuths from `a` to `b`.
pub fn inverse(a: LonLat, b: LonLat) -> Inverse {
    let (s12, azi1, azi2, _a12): (f64, f64, f64, f64) = WGS84.inverse(a.lat, a.lon, b.lat, b.lon);
    Inverse {
        km: s12 / 1000.0,
        azimuth_start: azi1,
        azimuth_end: azi2,
    }
}

/// Geodesic distance between two points in km.
///
/// ```
/// # use bordermap::{geodesy, model::LonLat};
/// let km = geodesy::distance_km(LonLat::new(69.17, 34.53), LonLat::new(73.05, 33.68));
/// assert!((km - 370.190).abs() < 0.001); // Kabul to Islamabad, as pyproj gives it
/// ```
pub fn distance_km(a: LonLat, b: LonLat) -> f64 {
    let s12: f64 = WGS84.inverse(a.lat, a.lon, b.lat, b.lon);
    s12 / 1000.0
}

/// Solves the direct problem: the point `km` from `start` along `azimuth` degrees,
/// and the forward azimuth there.
pub fn direct(start: LonLat, azimuth: f64, km: f64) -> (LonLat, f64) {
    let (lat, lon, azi2): (f64, f64, f64) =
        WGS84.direct(start.lat, start.lon, azimuth, km * 1000.0);
    (LonLat::new(lon, lat), azi2)
}

/// Difference of two azimuths folded into (-180, 180] degrees.
pub fn azimuth_difference(a: f64, b: f64) -> f64 {
    let mut d = (a - b) % 360.0;
    if d > 180.0 {
        d -= 360.0;
    } else if d <= -180.0 {
        d += 360.0;
    }
    d
}
