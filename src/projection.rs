//! Web Mercator (EPSG:3857) and map frames: which part of the world maps to which pixels.

use crate::model::LonLat;

/// Half the Web Mercator world width in metres.
pub const HALF_WORLD_M: f64 = 20_037_508.342_789_244;
/// Latitude limit of Web Mercator.
pub const MAX_LAT: f64 = 85.051_128_779_806_59;
const R: f64 = 6_378_137.0;

/// lon/lat degrees to Web Mercator metres.
///
/// ```
/// # use bordermap::{projection::to_mercator, model::LonLat};
/// let (x, y) = to_mercator(LonLat::new(180.0, 0.0));
/// assert!((x - 20_037_508.34).abs() < 0.01 && y.abs() < 1e-6);
/// ```
pub fn to_mercator(p: LonLat) -> (f64, f64) {
    let lat = p.lat.clamp(-MAX_LAT, MAX_LAT).to_radians();
    (
        R * p.lon.to_radians(),
        R * (std::f64::consts::FRAC_PI_4 + lat / 2.0).tan().ln(),
    )
}

/// Web Mercator metres to lon/lat degrees.
pub fn from_mercator(x: f64, y: f64) -> LonLat {
    LonLat::new(
        (x / R).to_degrees(),
        (2.0 * (y / R).exp().atan() - std::f64::consts::FRAC_PI_2).to_degrees(),
    )
}

/// A pixel rectangle: x, y of the top-left corner, width, height.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PxRect {
    /// Left edge.
    pub x: f32,
    /// Top edge.
    pub y: f32,
    /// Width.
    pub w: f32,
    /// Height.
    pub h: f32,
}

impl PxRect {
    /// A rectangle from its corner and size.
    pub const fn new(x: f32, y: f32, w: f32, h: f32) -> Self {
        Self { x, y, w, h }
    }

    /// Right edge.
    pub fn right(&self) -> f32 {
        self.x + self.w
    }

    /// Bottom edge.
    pub fn bottom(&self) -> f32 {
        self.y + self.h
    }

    /// Whether two rectangles overlap (touching edges do not count).
    pub fn intersects(&self, o: &PxRect) -> bool {
        self.x < o.right() && o.x < self.right() && self.y < o.bottom() && o.y < self.bottom()
    }

    /// Whether the point lies inside (edges included).
    pub fn contains_point(&self, (x, y): (f32, f32)) -> bool {
        x >= self.x && x <= self.right() && y >= self.y && y <= self.bottom()
    }

    /// Whether `o` lies entirely inside.
    pub fn contains_rect(&self, o: &PxRect) -> bool {
        o.x >= self.x && o.y >= self.y && o.right() <= self.right() && o.bottom() <= self.bottom()
    }

    /// Grown by `m` on every side.
    pub fn inflate(&self, m: f32) -> PxRect {
        PxRect::new(self.x - m, self.y - m, self.w + 2.0 * m, self.h + 2.0 * m)
    }
}

/// A Web Mercator extent drawn into a pixel viewport, north up.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Frame {
    /// Mercator extent `[min_x, min_y, max_x, max_y]` in metres.
    pub extent: [f64; 4],
    /// Where the extent is drawn on the canvas.
    pub viewport: PxRect,
}

impl Frame {
    /// The frame showing the lon/lat box `bbox`, padded by `pad` (a fraction of its size on
    /// each side) and grown about its centre to the viewport's aspect ratio.
    pub fn fit(bbox: [f64; 4], viewport: PxRect, pad: f64) -> Self {
        let (x0, y0) = to_mercator(LonLat::new(bbox[0], bbox[1]));
        let (x1, y1) = to_mercator(LonLat::new(bbox[2], bbox[3]));
        let (w, h) = ((x1 - x0).max(1.0), (y1 - y0).max(1.0));
        let (mut w, mut h) = (w * (1.0 + 2.0 * pad), h * (1.0 + 2.0 * pad));
        let aspect = f64::from(viewport.w) / f64::from(viewport.h);
        if w / h < aspect {
            w = h * aspect;
        } else {
            h = w / aspect;
        }
        let (cx, cy) = ((x0 + x1) / 2.0, (y0 + y1) / 2.0);
        Self {
            extent: [cx - w / 2.0, cy - h / 2.0, cx + w / 2.0, cy + h / 2.0],
            viewport,
        }
    }

    /// Metres of Mercator per pixel.
    pub fn m_per_px(&self) -> f64 {
        (self.extent[2] - self.extent[0]) / f64::from(self.viewport.w)
    }

    /// Pixel position of Mercator metres.
    pub fn merc_to_px(&self, x: f64, y: f64) -> (f32, f32) {
        let k = self.m_per_px();
        (
            self.viewport.x + ((x - self.extent[0]) / k) as f32,
            self.viewport.y + ((self.extent[3] - y) / k) as f32,
        )
    }

    /// Pixel position of a lon/lat point.
    pub fn to_px(&self, p: LonLat) -> (f32, f32) {
        let (x, y) = to_mercator(p);
        self.merc_to_px(x, y)
    }

    /// lon/lat of a pixel position.
    pub fn to_lonlat(&self, px: f32, py: f32) -> LonLat {
        let k = self.m_per_px();
        from_mercator(
            self.extent[0] + f64::from(px - self.viewport.x) * k,
            self.extent[3] - f64::from(py - self.viewport.y) * k,
        )
    }

    /// The lon/lat box the frame shows.
    pub fn lonlat_bbox(&self) -> [f64; 4] {
        let a = from_mercator(self.extent[0], self.extent[1]);
        let b = from_mercator(self.extent[2], self.extent[3]);
        [a.lon, a.lat, b.lon, b.lat]
    }

    /// Ground km per pixel at the frame's centre latitude (Mercator stretches by 1/cos φ).
    pub fn km_per_px_at_centre(&self) -> f64 {
        let c = from_mercator(0.0, (self.extent[1] + self.extent[3]) / 2.0);
        self.m_per_px() * c.lat.to_radians().cos() / 1000.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mercator_round_trips() {
        let p = LonLat::new(69.1723, 34.5281);
        let (x, y) = to_mercator(p);
        let q = from_mercator(x, y);
        assert!((q.lon - p.lon).abs() < 1e-9 && (q.lat - p.lat).abs() < 1e-9);
    }

    #[test]
    fn fit_keeps_aspect_and_north_up() {
        let f = Frame::fit(
            [60.0, 29.0, 75.0, 37.0],
            PxRect::new(0.0, 0.0, 1600.0, 1000.0),
            0.05,
        );
        let w = f.extent[2] - f.extent[0];
        let h = f.extent[3] - f.extent[1];
        assert!((w / h - 1.6).abs() < 1e-9);
        let (_, y_north) = f.to_px(LonLat::new(67.0, 36.0));
        let (_, y_south) = f.to_px(LonLat::new(67.0, 30.0));
        assert!(y_north < y_south);
    }
}
