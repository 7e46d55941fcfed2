//! A directory of `{z}/{x}/{y}.png` files, built under a temporary name beside the
//! target and swapped into place when complete, so a failed run leaves any previous
//! directory as it was.
//!
//! Every tile gets its file, but identical tiles (the one-colour sea and land that make up
//! most of a pyramid) share one: the first is written, the others are hard links to it, so
//! the file system allocates one inode and one set of blocks instead of hundreds. Where
//! links are not possible (another file system, a limit) the bytes are written instead.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::preview;
use super::sink::{Tile, TileSetInfo, TileSink};
use crate::io::atomic_file::TempDir;

/// Writes tiles into a directory.
#[derive(Debug)]
pub struct DirSink {
    target: PathBuf,
    staging: TempDir,
    io: rayon::ThreadPool,
    sync: bool,
    /// The first file written for each distinct tile, by hash.
    written: std::collections::HashMap<u128, PathBuf>,
}

/// Threads creating files: file creation waits on the file system, not the CPU, so more
/// threads than cores overlap the waits (measured in `benches/README.md`).
const IO_THREADS: usize = 4;

impl DirSink {
    /// A sink that will become `target` (a directory) when finished; with `sync`, every
    /// file is flushed to disk (one `syncfs`) before the directory is swapped in.
    pub fn new(target: &Path, sync: bool) -> std::io::Result<Self> {
        if target.exists() && !target.is_dir() {
            return Err(std::io::Error::other(format!(
                "{} exists and is not a directory",
                target.display()
            )));
        }
        Ok(Self {
            target: target.to_path_buf(),
            staging: TempDir::beside(target)?,
            io: rayon::ThreadPoolBuilder::new()
                .num_threads(IO_THREADS)
                .build()
                .map_err(|e| std::io::Error::other(e.to_string()))?,
            sync,
            written: std::collections::HashMap::new(),
        })
    }
}

impl TileSink for DirSink {
    fn put_batch(&mut self, tiles: &[Tile]) -> std::io::Result<()> {
        let root = self.staging.path();
        // Creating files dominates; workers create them in parallel. Column folders are
        // made first, serially, so no two workers race to create one.
        let mut dirs: Vec<(u8, u32)> = tiles.iter().map(|t| (t.id.z, t.id.x)).collect();
        dirs.dedup();
        for (z, x) in dirs {
            std::fs::create_dir_all(root.join(z.to_string()).join(x.to_string()))?;
        }
        let path_of = |t: &Tile| {
            root.join(t.id.z.to_string())
                .join(t.id.x.to_string())
                .join(format!("{}.png", t.id.y))
        };
        // The first of each distinct tile is written; the rest are linked to it after.
        let mut first: Vec<&Tile> = Vec::new();
        let mut links: Vec<(&Tile, PathBuf)> = Vec::new();
        for t in tiles {
            match self.written.get(&t.hash) {
                Some(original) => links.push((t, original.clone())),
                None => {
                    self.written.insert(t.hash, path_of(t));
                    first.push(t);
                }
            }
        }
        self.io.install(|| {
            first
                .par_iter()
                .with_min_len(8)
                .try_for_each(|t| std::fs::write(path_of(t), &t.png))?;
            links
                .par_iter()
                .with_min_len(8)
                .try_for_each(|(t, original)| {
                    let path = path_of(t);
                    std::fs::hard_link(original, &path).or_else(|_| std::fs::write(&path, &t.png))
                })
        })
    }

    fn finish(self: Box<Self>, info: &TileSetInfo) -> std::io::Result<Vec<PathBuf>> {
        preview::write_dir_page(self.staging.path(), info)?;
        if self.sync {
            crate::io::atomic_file::sync_dir(self.staging.path())?;
        }
        self.staging.persist(&self.target)?;
        Ok(vec![self.target.join("index.html")])
    }
}
