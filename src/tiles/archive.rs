//! Reading tile archives back: every tile of a PMTiles or MBTiles file in tile-id order,
//! with the set's description. Used by `merge` (and `serve` for metadata).

use std::io::Read;
use std::path::Path;
use std::sync::Arc;

use super::pmtiles::{Entry, HEADER_LEN, decode_directory};
use super::sink::TileSetInfo;
use super::xyz::{TileId, from_pmtiles_id, pmtiles_id};

/// A whole archive in memory.
#[derive(Debug)]
pub struct Archive {
    /// What the set is.
    pub info: TileSetInfo,
    /// Every tile, in PMTiles tile-id order.
    pub tiles: Vec<(TileId, Arc<[u8]>)>,
}

fn bad(path: &Path, m: impl std::fmt::Display) -> std::io::Error {
    std::io::Error::other(format!("{}: {m}", path.display()))
}

fn empty_info() -> TileSetInfo {
    TileSetInfo {
        name: String::new(),
        description: String::new(),
        attribution: String::new(),
        zooms: (0, 0),
        bounds: [-180.0, -85.0, 180.0, 85.0],
        shard: None,
        total_tiles: 0,
        tile_size: 256,
    }
}

/// Reads `path` (`.pmtiles` or `.mbtiles`).
pub fn read(path: &Path) -> std::io::Result<Archive> {
    match path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .as_deref()
    {
        Some("pmtiles") => read_pmtiles(path, &std::fs::read(path).map_err(|e| bad(path, e))?),
        Some("mbtiles") => read_mbtiles(path),
        _ => Err(bad(path, "expected an .mbtiles or .pmtiles file")),
    }
}

/// The set's description from a PMTiles header and metadata.
pub fn pmtiles_info(path: &Path, bytes: &[u8]) -> std::io::Result<TileSetInfo> {
    if bytes.len() < HEADER_LEN || &bytes[..7] != b"PMTiles" || bytes[7] != 3 {
        return Err(bad(path, "not a PMTiles v3 archive"));
    }
    let u = |at: usize| u64::from_le_bytes(bytes[at..at + 8].try_into().unwrap_or([0; 8]));
    let e7 = |at: usize| {
        f64::from(i32::from_le_bytes(
            bytes[at..at + 4].try_into().unwrap_or([0; 4]),
        )) / 1e7
    };
    let (mo, ml) = (u(24), u(32));
    let gz = usize::try_from(mo)
        .ok()
        .zip(usize::try_from(mo + ml).ok())
        .and_then(|(a, b)| bytes.get(a..b))
        .ok_or_else(|| bad(path, "metadata beyond the end of the file"))?;
    let mut text = String::new();
    flate2::read::GzDecoder::new(gz)
        .take(16 << 20)
        .read_to_string(&mut text)
        .map_err(|e| bad(path, format!("metadata: {e}")))?;
    let meta: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| bad(path, format!("metadata: {e}")))?;
    let s = |k: &str| meta[k].as_str().unwrap_or_default().to_string();
    let mut info = TileSetInfo {
        name: s("name"),
        description: s("description"),
        attribution: s("attribution"),
        zooms: (bytes[100], bytes[101]),
        bounds: [e7(102), e7(106), e7(110), e7(114)],
        ..empty_info()
    };
    info.apply_extra(&meta["bordermap"]);
    Ok(info)
}

/// Every entry of a PMTiles archive, leaves expanded, in tile-id order.
pub fn pmtiles_entries(path: &Path, bytes: &[u8]) -> std::io::Result<Vec<Entry>> {
    let u = |at: usize| u64::from_le_bytes(bytes[at..at + 8].try_into().unwrap_or([0; 8]));
    let section = |off: u64, len: u64| -> std::io::Result<&[u8]> {
        usize::try_from(off)
            .ok()
            .zip(usize::try_from(off.saturating_add(len)).ok())
            .and_then(|(a, b)| bytes.get(a..b))
            .ok_or_else(|| bad(path, "a directory lies beyond the end of the file"))
    };
    let (leaves_at, leaves_len) = (u(40), u(48));
    let mut out = Vec::new();
    let mut stack = vec![(decode_directory(section(u(8), u(16))?)?, 0usize)];
    while let Some((dir, depth)) = stack.pop() {
        for e in dir.into_iter().rev() {
            if e.run_length > 0 {
                out.push(e);
            } else if depth < 3 && e.offset + u64::from(e.length) <= leaves_len {
                stack.push((
                    decode_directory(section(leaves_at + e.offset, u64::from(e.length))?)?,
                    depth + 1,
                ));
            } else {
                return Err(bad(path, "a leaf directory is out of place"));
            }
        }
    }
    out.reverse();
    out.sort_by_key(|e| e.tile_id);
    Ok(out)
}

fn read_pmtiles(path: &Path, bytes: &[u8]) -> std::io::Result<Archive> {
    let info = pmtiles_info(path, bytes)?;
    let data_at = u64::from_le_bytes(bytes[56..64].try_into().unwrap_or([0; 8]));
    let mut shared: std::collections::HashMap<(u64, u32), Arc<[u8]>> =
        std::collections::HashMap::new();
    let mut tiles = Vec::new();
    for e in pmtiles_entries(path, bytes)? {
        let data = match shared.get(&(e.offset, e.length)) {
            Some(d) => d.clone(),
            None => {
                let a = usize::try_from(data_at + e.offset).map_err(|e| bad(path, e))?;
                let d: Arc<[u8]> = bytes
                    .get(a..a + e.length as usize)
                    .ok_or_else(|| bad(path, "tile data beyond the end of the file"))?
                    .into();
                shared.insert((e.offset, e.length), d.clone());
                d
            }
        };
        for k in 0..u64::from(e.run_length) {
            let id = from_pmtiles_id(e.tile_id + k).map_err(|e| bad(path, e))?;
            tiles.push((id, data.clone()));
        }
    }
    Ok(Archive { info, tiles })
}

/// The set's description from an MBTiles `metadata` table.
pub fn mbtiles_info(db: &rusqlite::Connection) -> TileSetInfo {
    let meta = |k: &str| -> Option<String> {
        db.query_row("SELECT value FROM metadata WHERE name = ?1", [k], |r| {
            r.get(0)
        })
        .ok()
    };
    let b: Vec<f64> = meta("bounds")
        .unwrap_or_default()
        .split(',')
        .filter_map(|v| v.trim().parse().ok())
        .collect();
    let mut info = TileSetInfo {
        name: meta("name").unwrap_or_default(),
        description: meta("description").unwrap_or_default(),
        attribution: meta("attribution").unwrap_or_default(),
        zooms: (
            meta("minzoom").and_then(|v| v.parse().ok()).unwrap_or(0),
            meta("maxzoom").and_then(|v| v.parse().ok()).unwrap_or(0),
        ),
        bounds: if let [a, b2, c, d] = b.as_slice() {
            [*a, *b2, *c, *d]
        } else {
            empty_info().bounds
        },
        ..empty_info()
    };
    if let Some(extra) = meta("bordermap").and_then(|t| serde_json::from_str(&t).ok()) {
        info.apply_extra(&extra);
    }
    info
}

fn read_mbtiles(path: &Path) -> std::io::Result<Archive> {
    let sql = |e: rusqlite::Error| bad(path, format!("SQLite: {e}"));
    let db =
        rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .map_err(sql)?;
    let info = mbtiles_info(&db);
    let mut st = db
        .prepare("SELECT zoom_level, tile_column, tile_row, tile_data FROM tiles")
        .map_err(sql)?;
    let mut tiles: Vec<(TileId, Arc<[u8]>)> = st
        .query_map([], |r| {
            Ok((
                r.get::<_, u8>(0)?,
                r.get::<_, u32>(1)?,
                r.get::<_, u32>(2)?,
                r.get::<_, Vec<u8>>(3)?,
            ))
        })
        .map_err(sql)?
        .map(|row| {
            let (z, x, tms, data) = row.map_err(sql)?;
            let n = super::xyz::tiles_per_side(z).map_err(|e| bad(path, e))?;
            let y = n
                .checked_sub(1 + tms)
                .ok_or_else(|| bad(path, format!("tile row {tms} beyond zoom {z}")))?;
            let id = TileId::new(z, x, y).map_err(|e| bad(path, e))?;
            Ok((id, Arc::<[u8]>::from(data)))
        })
        .collect::<std::io::Result<_>>()?;
    tiles.sort_by_key(|(id, _)| pmtiles_id(*id));
    Ok(Archive { info, tiles })
}
