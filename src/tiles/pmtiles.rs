//! PMTiles v3: one file with a 127-byte header, a gzip-compressed root directory within
//! the first 16 KiB, JSON metadata, leaf directories when the root would not fit, and
//! the tile data clustered in tile-id order. Identical tiles are stored once, and runs
//! of consecutive tiles with the same content are one entry (run length).
//!
//! The format is specified at github.com/protomaps/PMTiles (spec/v3/spec.md).

use std::collections::HashMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use flate2::Compression;
use flate2::write::GzEncoder;

use super::sink::{Tile, TileSetInfo, TileSink};
use super::xyz::pmtiles_id;
use crate::io::atomic_file::TempPath;

/// Header size in bytes.
pub const HEADER_LEN: usize = 127;
/// The root directory must end within this many bytes of the file's start.
pub const ROOT_LIMIT: usize = 16_384;

/// One directory entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    /// First tile id.
    pub tile_id: u64,
    /// Offset in the tile data (or in the leaf directories, for a leaf pointer).
    pub offset: u64,
    /// Length in bytes.
    pub length: u32,
    /// How many consecutive tile ids share the data; 0 marks a leaf directory.
    pub run_length: u32,
}

fn varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn gzip(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut e = GzEncoder::new(Vec::new(), Compression::default());
    e.write_all(bytes)?;
    e.finish()
}

/// A directory serialised as the spec says (ids delta-coded, then run lengths, lengths,
/// offsets with 0 meaning "right after the previous entry"), gzip-compressed.
pub fn encode_directory(entries: &[Entry]) -> std::io::Result<Vec<u8>> {
    let mut b = Vec::with_capacity(entries.len() * 6);
    varint(&mut b, entries.len() as u64);
    let mut last = 0;
    for e in entries {
        varint(&mut b, e.tile_id - last);
        last = e.tile_id;
    }
    for e in entries {
        varint(&mut b, u64::from(e.run_length));
    }
    for e in entries {
        varint(&mut b, u64::from(e.length));
    }
    for (i, e) in entries.iter().enumerate() {
        let follows = i > 0 && e.offset == entries[i - 1].offset + u64::from(entries[i - 1].length);
        varint(&mut b, if follows { 0 } else { e.offset + 1 });
    }
    gzip(&b)
}

/// The root directory and the leaf directories' bytes: all entries in the root if it
/// fits, else leaves of a size that makes the root fit.
pub fn directories(entries: &[Entry], room: usize) -> std::io::Result<(Vec<u8>, Vec<u8>)> {
    let root = encode_directory(entries)?;
    if root.len() <= room {
        return Ok((root, Vec::new()));
    }
    let mut leaf_size = 4096usize;
    loop {
        let mut leaves = Vec::new();
        let mut pointers = Vec::new();
        for chunk in entries.chunks(leaf_size) {
            let bytes = encode_directory(chunk)?;
            pointers.push(Entry {
                tile_id: chunk[0].tile_id,
                offset: leaves.len() as u64,
                length: u32::try_from(bytes.len()).map_err(std::io::Error::other)?,
                run_length: 0,
            });
            leaves.extend_from_slice(&bytes);
        }
        let root = encode_directory(&pointers)?;
        if root.len() <= room {
            return Ok((root, leaves));
        }
        leaf_size *= 2;
    }
}

/// Writes tiles into a PMTiles archive.
#[derive(Debug)]
pub struct PmtilesSink {
    target: PathBuf,
    data: TempPath,
    file: std::io::BufWriter<std::fs::File>,
    written: u64,
    entries: Vec<Entry>,
    seen: HashMap<u128, (u64, u32)>,
    addressed: u64,
}

impl PmtilesSink {
    /// A sink that will become `target` when finished.
    pub fn new(target: &Path) -> std::io::Result<Self> {
        let data_name = target.with_extension("pmtiles-data");
        let (data, file) = TempPath::beside(&data_name)?;
        Ok(Self {
            target: target.to_path_buf(),
            data,
            file: std::io::BufWriter::new(file),
            written: 0,
            entries: Vec::new(),
            seen: HashMap::new(),
            addressed: 0,
        })
    }
}

impl TileSink for PmtilesSink {
    fn put_batch(&mut self, tiles: &[Tile]) -> std::io::Result<()> {
        for t in tiles {
            let id = pmtiles_id(t.id);
            let (offset, length) = match self.seen.get(&t.hash) {
                Some(&at) => at,
                None => {
                    let len = u32::try_from(t.png.len()).map_err(std::io::Error::other)?;
                    self.file.write_all(&t.png)?;
                    let at = (self.written, len);
                    self.written += u64::from(len);
                    self.seen.insert(t.hash, at);
                    at
                }
            };
            self.addressed += 1;
            if let Some(last) = self.entries.last_mut()
                && last.offset == offset
                && last.length == length
                && last.tile_id + u64::from(last.run_length) == id
            {
                last.run_length += 1;
                continue;
            }
            if let Some(last) = self.entries.last()
                && id < last.tile_id + u64::from(last.run_length)
            {
                return Err(std::io::Error::other(format!(
                    "tile {}/{}/{} arrived out of order",
                    t.id.z, t.id.x, t.id.y
                )));
            }
            self.entries.push(Entry {
                tile_id: id,
                offset,
                length,
                run_length: 1,
            });
        }
        Ok(())
    }

    fn finish(self: Box<Self>, info: &TileSetInfo) -> std::io::Result<Vec<PathBuf>> {
        let Self {
            target,
            data,
            file,
            written,
            entries,
            seen,
            addressed,
        } = *self;
        let mut data_file = file.into_inner().map_err(|e| e.into_error())?;
        data_file.flush()?;
        let (root, leaves) = directories(&entries, ROOT_LIMIT - HEADER_LEN)?;
        let b = info.bounds;
        let (cx, cy, cz) = info.center();
        let metadata = gzip(
            serde_json::json!({
                "name": info.name,
                "description": info.description,
                "attribution": info.attribution,
                "type": "baselayer",
                "format": "png",
                "generator": format!("bordermap {}", env!("CARGO_PKG_VERSION")),
                "bordermap": info.extra(),
            })
            .to_string()
            .as_bytes(),
        )?;
        let root_off = HEADER_LEN as u64;
        let meta_off = root_off + root.len() as u64;
        let leaf_off = meta_off + metadata.len() as u64;
        let data_off = leaf_off + leaves.len() as u64;
        let e7 = |v: f64| ((v * 1e7).round() as i32).to_le_bytes();
        let mut h = Vec::with_capacity(HEADER_LEN);
        h.extend_from_slice(b"PMTiles");
        h.push(3);
        for v in [
            root_off,
            root.len() as u64,
            meta_off,
            metadata.len() as u64,
            leaf_off,
            leaves.len() as u64,
            data_off,
            written,
            addressed,
            entries.len() as u64,
            seen.len() as u64,
        ] {
            h.extend_from_slice(&v.to_le_bytes());
        }
        // Clustered, gzip directories, uncompressed tiles, PNG.
        h.extend_from_slice(&[1, 2, 1, 2, info.zooms.0, info.zooms.1]);
        for v in [b[0], b[1], b[2], b[3]] {
            h.extend_from_slice(&e7(v));
        }
        h.push(cz);
        h.extend_from_slice(&e7(cx));
        h.extend_from_slice(&e7(cy));
        debug_assert_eq!(h.len(), HEADER_LEN);
        let (out, file) = TempPath::beside(&target)?;
        let mut w = std::io::BufWriter::new(file);
        w.write_all(&h)?;
        w.write_all(&root)?;
        w.write_all(&metadata)?;
        w.write_all(&leaves)?;
        drop(data_file);
        let mut reader = std::fs::File::open(data.path())?;
        let copied = std::io::copy(&mut reader, &mut w)?;
        if copied != written {
            return Err(std::io::Error::other("tile data changed while finishing"));
        }
        let f = w.into_inner().map_err(|e| e.into_error())?;
        f.sync_all()?;
        drop(f);
        out.persist(&target)?;
        drop(data);
        Ok(vec![target])
    }
}

/// Reads a tile back from PMTiles bytes (for `serve` and tests): the tile's bytes, if
/// the archive holds it.
pub fn read_tile(archive: &[u8], id: u64) -> std::io::Result<Option<Vec<u8>>> {
    let bad = |m: &str| std::io::Error::other(format!("not a PMTiles v3 archive: {m}"));
    if archive.len() < HEADER_LEN || &archive[..7] != b"PMTiles" || archive[7] != 3 {
        return Err(bad("bad magic or version"));
    }
    let u = |at: usize| -> u64 {
        let mut b = [0u8; 8];
        b.copy_from_slice(&archive[at..at + 8]);
        u64::from_le_bytes(b)
    };
    let slice = |off: u64, len: u64| -> std::io::Result<&[u8]> {
        let (a, b) = (
            usize::try_from(off).map_err(|_| bad("offset"))?,
            usize::try_from(off + len).map_err(|_| bad("length"))?,
        );
        archive
            .get(a..b)
            .ok_or_else(|| bad("section beyond the end"))
    };
    let (root, leaves, data) = ((u(8), u(16)), (u(40), u(48)), u(56));
    let mut dir = decode_directory(slice(root.0, root.1)?)?;
    for _ in 0..4 {
        let Some(e) = find(&dir, id) else {
            return Ok(None);
        };
        if e.run_length > 0 {
            return Ok(Some(slice(data + e.offset, u64::from(e.length))?.to_vec()));
        }
        if e.offset + u64::from(e.length) > leaves.1 {
            return Err(bad("leaf beyond the leaf section"));
        }
        dir = decode_directory(slice(leaves.0 + e.offset, u64::from(e.length))?)?;
    }
    Err(bad("directories nested too deep"))
}

fn find(dir: &[Entry], id: u64) -> Option<Entry> {
    let i = dir.partition_point(|e| e.tile_id <= id).checked_sub(1)?;
    let e = dir[i];
    (e.run_length == 0 || id < e.tile_id + u64::from(e.run_length)).then_some(e)
}

/// Decodes a gzip-compressed directory.
pub fn decode_directory(gz: &[u8]) -> std::io::Result<Vec<Entry>> {
    let mut raw = Vec::new();
    flate2::read::GzDecoder::new(gz)
        .take(64 << 20)
        .read_to_end(&mut raw)?;
    let mut at = 0usize;
    let mut next = || -> std::io::Result<u64> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = *raw
                .get(at)
                .ok_or_else(|| std::io::Error::other("directory ends early"))?;
            at += 1;
            v |= u64::from(b & 0x7f) << shift;
            if b < 0x80 {
                return Ok(v);
            }
        }
        Err(std::io::Error::other("varint too long"))
    };
    let n = usize::try_from(next()?).map_err(std::io::Error::other)?;
    if n > raw.len() {
        return Err(std::io::Error::other(
            "directory entry count beyond its size",
        ));
    }
    let mut e = vec![
        Entry {
            tile_id: 0,
            offset: 0,
            length: 0,
            run_length: 0
        };
        n
    ];
    let mut id = 0;
    for x in e.iter_mut() {
        id += next()?;
        x.tile_id = id;
    }
    for x in e.iter_mut() {
        x.run_length = u32::try_from(next()?).map_err(std::io::Error::other)?;
    }
    for x in e.iter_mut() {
        x.length = u32::try_from(next()?).map_err(std::io::Error::other)?;
    }
    for i in 0..n {
        let v = next()?;
        e[i].offset = if v == 0 && i > 0 {
            e[i - 1].offset + u64::from(e[i - 1].length)
        } else {
            v.saturating_sub(1)
        };
    }
    Ok(e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directories_round_trip_and_split_into_leaves() {
        // Irregular values (a linear congruential sequence), so gzip cannot shrink the
        // directory to nothing.
        let mut seed = 12345u64;
        let mut next = || {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            seed >> 33
        };
        let mut id = 0;
        let entries: Vec<Entry> = (0..20_000u64)
            .map(|i| {
                id += 1 + next() % 5;
                Entry {
                    tile_id: id,
                    offset: i * 1000 + next() % 7,
                    length: 100 + (next() % 900) as u32,
                    run_length: 1 + (next() % 3) as u32,
                }
            })
            .collect();
        assert_eq!(
            decode_directory(&encode_directory(&entries).unwrap()).unwrap(),
            entries
        );
        let (root, leaves) = directories(&entries, 300).unwrap();
        assert!(root.len() <= 300 && !leaves.is_empty());
        let pointers = decode_directory(&root).unwrap();
        assert!(pointers.iter().all(|p| p.run_length == 0));
    }
}
