//! XYZ tile maths (the Google/OSM scheme, y = 0 at the north), with no I/O: lon/lat to
//! tile, tile bounds, and zoom levels checked before any `1 << z`.

use crate::model::LonLat;
use crate::projection::{Frame, HALF_WORLD_M, MAX_LAT, PxRect, from_mercator, to_mercator};

/// The deepest zoom accepted (tile indices stay within u32).
pub const MAX_ZOOM: u8 = 24;

/// A tile address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TileId {
    /// Zoom level.
    pub z: u8,
    /// Column, from the antimeridian eastwards.
    pub x: u32,
    /// Row, from the north.
    pub y: u32,
}

/// A zoom or tile index out of range.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TileError {
    /// The zoom is deeper than [`MAX_ZOOM`].
    #[error("zoom {0}: expected 0 to {MAX_ZOOM}")]
    Zoom(u8),
    /// x or y is outside the zoom's grid.
    #[error("tile {z}/{x}/{y}: expected x and y below {}", 1u64 << z)]
    Index {
        /// Zoom.
        z: u8,
        /// Column.
        x: u32,
        /// Row.
        y: u32,
    },
}

/// Tiles per side at zoom `z`, checked.
pub fn tiles_per_side(z: u8) -> Result<u32, TileError> {
    if z > MAX_ZOOM {
        return Err(TileError::Zoom(z));
    }
    Ok(1u32 << z)
}

impl TileId {
    /// A tile, checked against its zoom's grid.
    pub fn new(z: u8, x: u32, y: u32) -> Result<Self, TileError> {
        let n = tiles_per_side(z)?;
        if x >= n || y >= n {
            return Err(TileError::Index { z, x, y });
        }
        Ok(Self { z, x, y })
    }

    /// The tile holding `p` at zoom `z` (latitudes are clamped to Web Mercator's limit).
    pub fn containing(p: LonLat, z: u8) -> Result<Self, TileError> {
        let n = tiles_per_side(z)?;
        let (mx, my) = to_mercator(LonLat::new(
            p.lon.clamp(-180.0, 180.0),
            p.lat.clamp(-MAX_LAT, MAX_LAT),
        ));
        let span = 2.0 * HALF_WORLD_M / f64::from(n);
        let col = ((mx + HALF_WORLD_M) / span)
            .floor()
            .clamp(0.0, f64::from(n - 1));
        let row = ((HALF_WORLD_M - my) / span)
            .floor()
            .clamp(0.0, f64::from(n - 1));
        Ok(Self {
            z,
            x: col as u32,
            y: row as u32,
        })
    }

    /// The tile's Mercator extent `[min_x, min_y, max_x, max_y]` in metres.
    pub fn extent(&self) -> [f64; 4] {
        let span = 2.0 * HALF_WORLD_M / f64::from(1u32 << self.z.min(MAX_ZOOM));
        let min_x = -HALF_WORLD_M + f64::from(self.x) * span;
        let max_y = HALF_WORLD_M - f64::from(self.y) * span;
        [min_x, max_y - span, min_x + span, max_y]
    }

    /// The tile's lon/lat box `[west, south, east, north]`.
    pub fn bounds(&self) -> [f64; 4] {
        let e = self.extent();
        let sw = from_mercator(e[0], e[1]);
        let ne = from_mercator(e[2], e[3]);
        [sw.lon, sw.lat, ne.lon, ne.lat]
    }

    /// The tile drawn on a `size`-pixel canvas.
    pub fn frame(&self, size: u32) -> Frame {
        Frame {
            extent: self.extent(),
            viewport: PxRect::new(0.0, 0.0, size as f32, size as f32),
        }
    }

    /// The TMS row (y = 0 at the south), as MBTiles stores it.
    pub fn tms_y(&self) -> u32 {
        (1u32 << self.z.min(MAX_ZOOM)) - 1 - self.y
    }
}

/// The PMTiles v3 tile id: tiles of all lower zooms first, then the position along the
/// zoom's Hilbert curve (so an aligned 2^k block of tiles has consecutive ids).
pub fn pmtiles_id(t: TileId) -> u64 {
    let z = u32::from(t.z.min(MAX_ZOOM));
    // 1 + 4 + … + 4^(z-1) = (4^z - 1) / 3 tiles come before zoom z.
    let base = ((1u64 << (2 * z)) - 1) / 3;
    let (mut x, mut y) = (u64::from(t.x), u64::from(t.y));
    let mut d = 0u64;
    let mut s = (1u64 << z) / 2;
    while s > 0 {
        let rx = u64::from(x & s > 0);
        let ry = u64::from(y & s > 0);
        d += s * s * ((3 * rx) ^ ry);
        // Rotate the quadrant (as the PMTiles reference implementations do, with `s`).
        if ry == 0 {
            if rx == 1 {
                // Only the bits below `s` matter from here on.
                x = (s - 1) - (x & (s - 1));
                y = (s - 1) - (y & (s - 1));
            }
            std::mem::swap(&mut x, &mut y);
        }
        s /= 2;
    }
    base + d
}

/// The tile of a PMTiles tile id (the inverse of [`pmtiles_id`]).
pub fn from_pmtiles_id(id: u64) -> Result<TileId, TileError> {
    let mut base = 0u64;
    for z in 0..=MAX_ZOOM {
        let n = 1u64 << (2 * u32::from(z));
        if id < base + n {
            let mut d = id - base;
            let (mut x, mut y) = (0u64, 0u64);
            let mut s = 1u64;
            while s < (1u64 << z) {
                let rx = 1 & (d / 2);
                let ry = 1 & (d ^ rx);
                if ry == 0 {
                    if rx == 1 {
                        x = s - 1 - x;
                        y = s - 1 - y;
                    }
                    std::mem::swap(&mut x, &mut y);
                }
                x += s * rx;
                y += s * ry;
                d /= 4;
                s *= 2;
            }
            return TileId::new(z, x as u32, y as u32);
        }
        base += n;
    }
    Err(TileError::Zoom(MAX_ZOOM.saturating_add(1)))
}

/// Inclusive column range and row range.
pub type TileRange = ((u32, u32), (u32, u32));

/// The tiles at zoom `z` covering the lon/lat box `bbox`, as inclusive column and row
/// ranges.
pub fn cover(bbox: [f64; 4], z: u8) -> Result<TileRange, TileError> {
    let nw = TileId::containing(LonLat::new(bbox[0], bbox[3]), z)?;
    let se = TileId::containing(LonLat::new(bbox[2], bbox[1]), z)?;
    Ok(((nw.x, se.x), (nw.y, se.y)))
}

#[cfg(test)]
mod tests {
    use rstest::rstest;

    use super::*;

    #[rstest]
    #[case::null_island(0.0, 0.0, 1, (1, 1))]
    #[case::kabul_z6(69.17, 34.53, 6, (44, 25))]
    #[case::kabul_z10(69.17, 34.53, 10, (708, 407))]
    #[case::north_west_corner(-180.0, 85.0511, 3, (0, 0))]
    #[case::south_east_corner(180.0, -85.0511, 3, (7, 7))]
    #[case::beyond_mercator(10.0, 89.9, 2, (2, 0))]
    fn lonlat_to_tile(#[case] lon: f64, #[case] lat: f64, #[case] z: u8, #[case] xy: (u32, u32)) {
        let t = TileId::containing(LonLat::new(lon, lat), z).unwrap();
        assert_eq!((t.x, t.y), xy);
    }

    #[rstest]
    #[case::zoom_too_deep(25, 0, 0, TileError::Zoom(25))]
    #[case::zoom_255(255, 0, 0, TileError::Zoom(255))]
    #[case::x_out(2, 4, 0, TileError::Index { z: 2, x: 4, y: 0 })]
    #[case::y_out(0, 0, 1, TileError::Index { z: 0, x: 0, y: 1 })]
    fn bad_tiles_are_refused(
        #[case] z: u8,
        #[case] x: u32,
        #[case] y: u32,
        #[case] err: TileError,
    ) {
        assert_eq!(TileId::new(z, x, y), Err(err));
    }

    #[test]
    fn tile_frame_matches_the_xyz_scheme() {
        // z6/44/25 holds the Khyber region; its north-west corner:
        let f = TileId::new(6, 44, 25).unwrap().frame(256);
        let nw = f.to_lonlat(0.0, 0.0);
        assert!((nw.lon - 67.5).abs() < 1e-9, "{nw:?}");
        assert!((nw.lat - 36.597_889).abs() < 1e-5, "{nw:?}");
        let b = TileId::new(6, 44, 25).unwrap().bounds();
        assert!((b[0] - 67.5).abs() < 1e-9 && (b[3] - 36.597_889).abs() < 1e-5);
    }

    #[rstest]
    #[case::root(0, 0, 0, 0)]
    #[case::z1_nw(1, 0, 0, 1)]
    #[case::z1_sw(1, 0, 1, 2)]
    #[case::z1_se(1, 1, 1, 3)]
    #[case::z1_ne(1, 1, 0, 4)]
    #[case::z2_first(2, 0, 0, 5)]
    #[case::z20_origin(20, 0, 0, 366_503_875_925)]
    fn pmtiles_ids_follow_the_spec(#[case] z: u8, #[case] x: u32, #[case] y: u32, #[case] id: u64) {
        assert_eq!(pmtiles_id(TileId::new(z, x, y).unwrap()), id);
    }

    #[test]
    fn pmtiles_ids_are_a_bijection_and_aligned_blocks_are_contiguous() {
        let z = 4;
        let mut ids: Vec<u64> = (0..16)
            .flat_map(|x| (0..16).map(move |y| pmtiles_id(TileId::new(z, x, y).unwrap())))
            .collect();
        ids.sort_unstable();
        let base = (4u64.pow(4) - 1) / 3;
        assert_eq!(ids, (base..base + 256).collect::<Vec<_>>());
        let block: Vec<u64> = (4..8)
            .flat_map(|x| (8..12).map(move |y| pmtiles_id(TileId::new(z, x, y).unwrap())))
            .collect();
        let (lo, hi) = (block.iter().min().unwrap(), block.iter().max().unwrap());
        assert_eq!(hi - lo, 15);
    }

    #[test]
    fn pmtiles_ids_invert() {
        for z in 0..8u8 {
            let n = 1u32 << z;
            for x in (0..n).step_by(3) {
                for y in (0..n).step_by(5) {
                    let t = TileId::new(z, x, y).unwrap();
                    assert_eq!(from_pmtiles_id(pmtiles_id(t)).unwrap(), t);
                }
            }
        }
        let far = TileId::new(20, 700_001, 400_003).unwrap();
        assert_eq!(from_pmtiles_id(pmtiles_id(far)).unwrap(), far);
    }

    #[test]
    fn tms_rows_flip() {
        assert_eq!(TileId::new(3, 1, 0).unwrap().tms_y(), 7);
        assert_eq!(TileId::new(0, 0, 0).unwrap().tms_y(), 0);
    }

    #[test]
    fn cover_spans_the_box() {
        let ((x0, x1), (y0, y1)) = cover([60.5, 29.3, 75.0, 37.1], 5).unwrap();
        assert!(x0 <= x1 && y0 <= y1);
        assert_eq!((x0, x1), (21, 22));
    }
}
