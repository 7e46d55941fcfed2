//! The resume manifest: an append-only log of finished maps, one line per map: the hash
//! of everything the map depends on, and its file. A line is appended only after the map
//! is renamed into place, and a torn last line (a `kill -9` mid-write) is ignored, so the
//! log never claims a map that is not complete.

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::dataset::Dataset;
use crate::map::MapSpec;
use crate::scene::Scene;
use crate::style::Style;
use crate::tiles::pyramid::hash;

use super::items::Item;

/// File name of the manifest in the batch's directory.
pub const NAME: &str = ".bordermap-batch.log";

/// The manifest of one batch directory.
#[derive(Debug)]
pub struct Manifest {
    path: PathBuf,
    current: HashSet<(u128, String)>,
    log: Mutex<Option<std::fs::File>>,
}

impl Manifest {
    /// Opens the manifest in `dir` (read when `resume`; appended to either way).
    pub fn open(dir: &Path, resume: bool) -> std::io::Result<Self> {
        std::fs::create_dir_all(dir)?;
        let path = dir.join(NAME);
        let mut current = HashSet::new();
        if resume && let Ok(text) = std::fs::read_to_string(&path) {
            for line in text.lines() {
                if let Some((k, f)) = line.split_once(' ')
                    && let Ok(k) = u128::from_str_radix(k, 16)
                    && k32(k, line)
                {
                    current.insert((k, f.to_string()));
                }
            }
        }
        Ok(Self {
            path,
            current,
            log: Mutex::new(None),
        })
    }

    /// Where it is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether `file` was written for `key`.
    pub fn is_current(&self, key: u128, file: &str) -> bool {
        self.current.contains(&(key, file.to_string()))
    }

    /// Appends a finished map.
    pub fn record(&self, key: u128, file: &str) -> std::io::Result<()> {
        let mut log = self.log.lock().unwrap_or_else(|e| e.into_inner());
        if log.is_none() {
            *log = Some(
                std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(&self.path)?,
            );
        }
        if let Some(f) = log.as_mut() {
            // One write per line: appends of whole lines do not interleave.
            f.write_all(format!("{key:032x} {file}\n").as_bytes())?;
        }
        Ok(())
    }
}

/// A line's key is 32 hex digits (a torn line is shorter).
fn k32(_k: u128, line: &str) -> bool {
    line.split(' ').next().is_some_and(|k| k.len() == 32)
}

/// What every map of a batch depends on: the program, the style, the map request and
/// every input but the incidents.
pub fn global_key(data: &Dataset, style: &Style, template: &MapSpec) -> u128 {
    let mut text = format!(
        "bordermap {} batch 1\n{style:?}\n{:?}\n",
        env!("CARGO_PKG_VERSION"),
        MapSpec {
            title: None,
            dates: None,
            ..template.clone()
        }
    );
    for p in data.border.vertices() {
        text.push_str(&format!("{:x} {:x};", p.lon.to_bits(), p.lat.to_bits()));
    }
    for c in &data.countries {
        text.push_str(&format!("\n{} {:?} {:?}", c.code, c.shape, c.properties));
    }
    for p in &data.posts {
        text.push_str(&format!("\n{p:?}"));
    }
    for p in &data.places {
        text.push_str(&format!("\n{p:?}"));
    }
    text.push_str(&format!(
        "\n{:?}\n{:?}",
        data.border_properties, data.inputs
    ));
    hash(text.as_bytes())
}

/// What one item's map depends on beyond the global key: its dates, title, file and the
/// incidents it shows.
pub fn item_key(global: u128, scene: &Scene<'_>, spec: &MapSpec, item: &Item) -> u128 {
    let mut text = format!(
        "{global:032x}\n{:?}\n{:?}\n{}\n",
        spec.dates, spec.title, item.file
    );
    for x in &scene.incidents {
        text.push_str(&format!("{:?}\n", x.incident));
    }
    hash(text.as_bytes())
}
