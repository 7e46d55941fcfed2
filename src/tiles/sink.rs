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
    /// For one shard of a set split with `--shard I/N`: (I, N).
    pub shard: Option<(u32, u32)>,
    /// Tiles in the whole set (every shard).
    pub total_tiles: u64,
    /// Tile size as a map client lays it out (`--tile-size`, 256 or 512); `@2x` tiles
    /// have twice as many pixels.
    pub tile_size: u32,
}

impl TileSetInfo {
    /// What bordermap needs to merge shards: exact bounds, tile count, shard.
    pub fn extra(&self) -> serde_json::Value {
        let mut v = serde_json::json!({
            "bounds": self.bounds,
            "tiles": self.total_tiles,
            "tile_size": self.tile_size,
        });
        if let Some((i, n)) = self.shard {
            v["shard"] = serde_json::json!([i, n]);
        }
        v
    }

    /// Reads back [`Self::extra`] into `self`.
    pub fn apply_extra(&mut self, v: &serde_json::Value) {
        if let Some(b) = v["bounds"].as_array()
            && let [a, b2, c, d] = b.as_slice()
            && let (Some(a), Some(b2), Some(c), Some(d)) =
                (a.as_f64(), b2.as_f64(), c.as_f64(), d.as_f64())
        {
            self.bounds = [a, b2, c, d];
        }
        if let Some(t) = v["tiles"].as_u64() {
            self.total_tiles = t;
        }
        if let Some(t) = v["tile_size"].as_u64().and_then(|t| u32::try_from(t).ok()) {
            self.tile_size = t;
        }
        self.shard = v["shard"].as_array().and_then(|s| {
            Some((
                u32::try_from(s.first()?.as_u64()?).ok()?,
                u32::try_from(s.get(1)?.as_u64()?).ok()?,
            ))
        });
    }

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
