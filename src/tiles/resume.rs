//! `tiles --resume`: a cache of finished metatiles beside the output, keyed by a hash of
//! everything a metatile's pixels depend on. A run killed at any point and run again with
//! `--resume` reuses every metatile it finished and produces the same bytes as an
//! uninterrupted run; a changed incident changes the keys of only the metatiles it
//! touches. Entries are written atomically; a run that completes removes entries it did
//! not use.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use super::pyramid::hash;
use super::sink::Tile;
use super::xyz::TileId;
use crate::io::atomic_file::{self, Sync};

/// The cache folder for an output.
#[derive(Debug)]
pub struct Cache {
    dir: PathBuf,
    used: Mutex<HashSet<String>>,
}

impl Cache {
    /// The cache of `out` (a hidden folder beside it), created if missing.
    pub fn open(out: &Path) -> std::io::Result<Self> {
        let parent = match out.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        Self::in_dir(&parent.join(format!(".{name}.bordermap-cache")))
    }

    /// A cache in `dir` (created if missing), e.g. one shared by a batch's daily tile sets.
    pub fn in_dir(dir: &Path) -> std::io::Result<Self> {
        std::fs::create_dir_all(dir)?;
        Ok(Self {
            dir: dir.to_path_buf(),
            used: Mutex::new(HashSet::new()),
        })
    }

    /// The folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn path(&self, key: u128) -> (String, PathBuf) {
        let name = format!("{key:032x}.tiles");
        let path = self.dir.join(&name);
        (name, path)
    }

    /// The tiles stored under `key`, if a complete entry is there.
    pub fn load(&self, key: u128) -> Option<Vec<Tile>> {
        let (name, path) = self.path(key);
        let bytes = std::fs::read(path).ok()?;
        let tiles = decode(&bytes)?;
        self.used
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(name);
        Some(tiles)
    }

    /// Stores `tiles` under `key` (atomically; synced with the output at the end).
    pub fn store(&self, key: u128, tiles: &[Tile]) -> std::io::Result<()> {
        let (name, path) = self.path(key);
        atomic_file::write_with(&path, Sync::Deferred, |w| {
            for t in tiles {
                w.write_all(&[t.id.z])?;
                w.write_all(&t.id.x.to_le_bytes())?;
                w.write_all(&t.id.y.to_le_bytes())?;
                w.write_all(&(t.png.len() as u32).to_le_bytes())?;
                w.write_all(&t.png)?;
            }
            Ok(())
        })?;
        self.used
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(name);
        Ok(())
    }

    /// Removes entries this run did not use; returns how many.
    pub fn prune(&self) -> std::io::Result<usize> {
        let used = self.used.lock().unwrap_or_else(|e| e.into_inner());
        let mut n = 0;
        for e in std::fs::read_dir(&self.dir)?.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if !used.contains(&name) {
                std::fs::remove_file(e.path())?;
                n += 1;
            }
        }
        Ok(n)
    }
}

fn decode(mut b: &[u8]) -> Option<Vec<Tile>> {
    let mut out = Vec::new();
    while !b.is_empty() {
        let z = *b.first()?;
        let x = u32::from_le_bytes(b.get(1..5)?.try_into().ok()?);
        let y = u32::from_le_bytes(b.get(5..9)?.try_into().ok()?);
        let len = u32::from_le_bytes(b.get(9..13)?.try_into().ok()?) as usize;
        let png: Arc<[u8]> = b.get(13..13 + len)?.into();
        out.push(Tile {
            id: TileId::new(z, x, y).ok()?,
            hash: hash(&png),
            png,
        });
        b = &b[13 + len..];
    }
    Some(out)
}
