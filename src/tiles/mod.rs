//! XYZ raster tiles of the same map: the pure tile maths ([`xyz`]), the pyramid of
//! metatiles drawn in parallel ([`pyramid`]), PNG encoding ([`encode`]), three writers
//! behind one [`sink::TileSink`] ([`dir`], [`mbtiles`], [`pmtiles`]) and the preview page
//! ([`preview`]).

pub mod archive;
pub mod dir;
pub mod encode;
pub mod mbtiles;
pub mod merge;
pub mod pmtiles;
pub mod preview;
pub mod pyramid;
pub mod resume;
pub mod serve;
pub mod sink;
pub mod xyz;

use std::path::Path;

use crate::dataset::Dataset;

/// Where tiles are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `{z}/{x}/{y}.png` files in a directory, with `index.html`.
    Dir,
    /// One MBTiles 1.3 (SQLite) file.
    Mbtiles,
    /// One PMTiles v3 file.
    Pmtiles,
}

impl Format {
    /// The format a path's extension names: `.mbtiles`, `.pmtiles`, or none (a directory).
    pub fn from_path(path: &Path) -> Result<Self, String> {
        match path.extension().map(|e| e.to_string_lossy().to_lowercase()) {
            Some(e) if e == "mbtiles" => Ok(Self::Mbtiles),
            Some(e) if e == "pmtiles" => Ok(Self::Pmtiles),
            None => Ok(Self::Dir),
            Some(e) => Err(format!(
                "unknown extension .{e}: expected a directory (no extension), .mbtiles or .pmtiles (or give --format)"
            )),
        }
    }

    /// The format named by `--format`.
    pub fn from_name(name: &str) -> Result<Self, String> {
        match name {
            "dir" | "directory" => Ok(Self::Dir),
            "mbtiles" => Ok(Self::Mbtiles),
            "pmtiles" => Ok(Self::Pmtiles),
            other => Err(format!(
                "--format {other}: expected dir, mbtiles or pmtiles"
            )),
        }
    }

    /// Opens a writer that becomes `path` when finished. `sync` flushes a directory's
    /// files to disk before it is swapped in (archives are always synced: one file).
    pub fn sink(self, path: &Path, sync: bool) -> std::io::Result<Box<dyn sink::TileSink>> {
        Ok(match self {
            Self::Dir => Box::new(dir::DirSink::new(path, sync)?),
            Self::Mbtiles => Box::new(mbtiles::MbtilesSink::new(path)?),
            Self::Pmtiles => Box::new(pmtiles::PmtilesSink::new(path)?),
        })
    }
}

/// The border's box grown by 10 % of its size on each side (at least 0.25°), clamped to
/// Web Mercator: the default area of a tile set.
pub fn default_bbox(data: &Dataset) -> [f64; 4] {
    let b = data.border.bbox();
    let mx = ((b[2] - b[0]) * 0.1).max(0.25);
    let my = ((b[3] - b[1]) * 0.1).max(0.25);
    let lim = crate::projection::MAX_LAT;
    [
        (b[0] - mx).max(-180.0),
        (b[1] - my).max(-lim),
        (b[2] + mx).min(180.0),
        (b[3] + my).min(lim),
    ]
}

/// The deepest useful zoom: where one 256 px tile pixel is no more than half the median
/// spacing of the border's vertices, so a deeper zoom would only magnify the line. At
/// least 6, at most 16.
pub fn detail_zoom(data: &Dataset) -> u8 {
    let v = data.border.vertices();
    let mut gaps: Vec<f64> = v
        .windows(2)
        .map(|w| crate::geodesy::distance_km(w[0], w[1]) * 1000.0)
        .filter(|d| *d > 0.0)
        .collect();
    if gaps.is_empty() {
        return 6;
    }
    gaps.sort_by(f64::total_cmp);
    let median = gaps[gaps.len() / 2];
    let b = data.border.bbox();
    let cos = ((b[1] + b[3]) / 2.0).to_radians().cos();
    (0u8..=16)
        .find(|&z| crate::scene::level_res(z) * cos <= median / 2.0)
        .unwrap_or(16)
        .max(6)
}
