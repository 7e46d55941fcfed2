//! `bordermap merge`: joins shard archives (`tiles --shard I/N`) into the archive a
//! one-machine run writes, byte for byte, and refuses overlaps and missing parts.

use std::path::{Path, PathBuf};

use super::Format;
use super::archive::{self, Archive};
use super::pyramid::hash;
use super::sink::Tile;

/// Why shards cannot be merged.
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    /// Reading or writing failed.
    #[error(transparent)]
    Io(#[from] std::io::Error),
    /// An input was not written with `--shard`.
    #[error("{0}: not a shard (written without --shard I/N)")]
    NotShard(PathBuf),
    /// Inputs disagree on what they are parts of.
    #[error(
        "{0}: a shard of another tile set than {1} (zooms, bounds, shard count or metadata differ)"
    )]
    Mismatch(PathBuf, PathBuf),
    /// The same shard twice.
    #[error("{0} and {1} are both shard {2}")]
    Repeated(PathBuf, PathBuf, u32),
    /// Shards overlap.
    #[error("{0} and {1} hold the same tile {2}/{3}/{4}")]
    Overlap(PathBuf, PathBuf, u8, u32, u32),
    /// Shards are missing.
    #[error("missing shard(s) {missing:?} of {n}: give every part written with --shard I/{n}")]
    Missing {
        /// Missing indices.
        missing: Vec<u32>,
        /// Shard count.
        n: u32,
    },
    /// The parts hold fewer tiles than the set.
    #[error("the shards hold {got} tiles, the set has {want}: a shard is incomplete")]
    Count {
        /// Tiles found.
        got: u64,
        /// Tiles in the set.
        want: u64,
    },
}

/// Merges `inputs` into `out` (format from its extension).
pub fn merge(inputs: &[PathBuf], out: &Path) -> Result<u64, MergeError> {
    crate::io::atomic_file::refuse_inputs(out, inputs.iter().map(PathBuf::as_path))?;
    let format = Format::from_path(out)
        .map_err(|e| std::io::Error::other(format!("{}: {e}", out.display())))?;
    let mut parts: Vec<(PathBuf, Archive, u32)> = Vec::new();
    let mut n_all = None;
    for path in inputs {
        let a = archive::read(path)?;
        let Some((i, n)) = a.info.shard else {
            return Err(MergeError::NotShard(path.clone()));
        };
        if let Some((first, fa, _)) = parts.first() {
            let same = fa.info.zooms == a.info.zooms
                && fa.info.bounds == a.info.bounds
                && fa.info.name == a.info.name
                && fa.info.description == a.info.description
                && fa.info.attribution == a.info.attribution
                && fa.info.total_tiles == a.info.total_tiles
                && n_all == Some(n);
            if !same {
                return Err(MergeError::Mismatch(path.clone(), first.clone()));
            }
        }
        if let Some((other, _, _)) = parts.iter().find(|(_, _, j)| *j == i) {
            return Err(MergeError::Repeated(other.clone(), path.clone(), i));
        }
        n_all = Some(n);
        parts.push((path.clone(), a, i));
    }
    let Some(n) = n_all else {
        return Err(MergeError::Missing {
            missing: Vec::new(),
            n: 0,
        });
    };
    let missing: Vec<u32> = (0..n)
        .filter(|i| !parts.iter().any(|p| p.2 == *i))
        .collect();
    if !missing.is_empty() {
        return Err(MergeError::Missing { missing, n });
    }
    parts.sort_by_key(|p| p.2);
    // Shards hold contiguous id ranges: each must start after the previous one ends.
    for w in parts.windows(2) {
        let (a, b) = (&w[0], &w[1]);
        if let (Some(last), Some(first)) = (a.1.tiles.last(), b.1.tiles.first())
            && super::xyz::pmtiles_id(first.0) <= super::xyz::pmtiles_id(last.0)
        {
            let t = first.0;
            return Err(MergeError::Overlap(a.0.clone(), b.0.clone(), t.z, t.x, t.y));
        }
    }
    let got: u64 = parts.iter().map(|p| p.1.tiles.len() as u64).sum();
    let mut info = parts[0].1.info.clone();
    if got != info.total_tiles {
        return Err(MergeError::Count {
            got,
            want: info.total_tiles,
        });
    }
    info.shard = None;
    let mut sink = format.sink(out, true)?;
    for (_, a, _) in &parts {
        for chunk in a.tiles.chunks(4096) {
            let batch: Vec<Tile> = chunk
                .iter()
                .map(|(id, png)| Tile {
                    id: *id,
                    hash: hash(png),
                    png: png.clone(),
                })
                .collect();
            sink.put_batch(&batch)?;
        }
    }
    sink.finish(&info)?;
    Ok(got)
}
