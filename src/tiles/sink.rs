//! Where rendered tiles go: one small trait behind the directory, MBTiles and PMTiles
//! writers.

use std::sync::Arc;

use super::xyz::TileId;

/// One encoded tile.
#[derive(Debug, Clone)]
pub struct Tile {
    /// Its address.
    pub id: TileId,
    /// PNG bytes (shared between identical tiles).
    pub png: Arc<[u8]>,
    /// A 128-bit hash of the bytes, for de-duplication.
    pub hash: u128,
}

/// What the tile set describes, for metadata and the preview page.
#[derive(Debug, Clone, PartialEq)]
pub struct TileSetInfo {
    /// Name of the set.
    pub name: String,
    /// One-line description.
    pub description: String,
    /// Attribution shown with the map.
    pub attribution: String,
    /// Zoom range.
    pub zooms: (u8, u8),
    /// lon/lat box `[west, south, east, north]`.
    pub bounds: [f64; 4],
    /// Tile size as a map client lays it out (`--tile-size`, 256 or 512); `@2x` tiles
    /// have twice as many pixels.
    pub tile_size: u32,
}

impl TileSetInfo {
    /// The centre of the bounds at a zoom inside the range.
    pub fn center(&self) -> (f64, f64, u8) {
        let b = self.bounds;
        let z = (self.zooms.0 + 2).clamp(self.zooms.0, self.zooms.1);
        ((b[0] + b[2]) / 2.0, (b[1] + b[3]) / 2.0, z)
    }
}

/// A tile writer. Tiles arrive in batches, in PMTiles tile-id order (zoom, then Hilbert).
pub trait TileSink: Send {
    /// Stores a batch of tiles.
    fn put_batch(&mut self, tiles: &[Tile]) -> std::io::Result<()>;
    /// Completes the output: everything is under its final name only after this.
    fn finish(self: Box<Self>, info: &TileSetInfo) -> std::io::Result<Vec<std::path::PathBuf>>;
}
