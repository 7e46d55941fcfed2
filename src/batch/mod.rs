//! One map per day, week or month over a date range, from one load and one Scene.
//!
//! The frame, the furniture's obstacles and the date-independent layers (countries,
//! border, km ticks) are prepared once ([`crate::map::prepare`]); each item draws only its
//! incidents, labels and furniture on a copy, in parallel, and is byte-identical to
//! `bordermap render` with the item's dates. A manifest of finished items makes `--resume`
//! skip what is done; shards take disjoint items; `--finish` writes the index once every
//! shard is done.

pub mod animate;
pub mod items;
pub mod manifest;
pub mod tiles;

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::dataset::Dataset;
use crate::io::atomic_file::{self, Sync};
use crate::map::{self, MapSpec};
use crate::render::text::Fonts;
use crate::scene::Scene;
use crate::style::Style;
pub use items::{Every, Item, ItemError, Window};
use manifest::Manifest;

/// One row of the index.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Row {
    /// 1-based item number.
    pub item: usize,
    /// First day shown.
    pub from: String,
    /// Last day shown.
    pub to: String,
    /// The map file.
    pub file: String,
    /// Incidents on the map.
    pub incidents: usize,
    /// Claims over those incidents.
    pub claims: usize,
}

/// Totals of a run.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Summary {
    /// Maps drawn and written.
    pub written: usize,
    /// Maps skipped because the manifest says they are current.
    pub skipped: usize,
    /// Seconds.
    pub seconds: f64,
}

/// Why a batch failed.
#[derive(Debug, thiserror::Error)]
pub enum BatchError {
    /// Drawing failed.
    #[error(transparent)]
    Render(#[from] crate::map::RenderError),
    /// Encoding failed.
    #[error("encoding {0}: {1}")]
    Encode(String, png::EncodingError),
    /// Writing failed.
    #[error("{0}: {1}")]
    Io(String, std::io::Error),
    /// `--finish` found maps missing.
    #[error("{} map(s) missing, e.g. {}: run the shards that write them, then --finish again", .0.len(), .0.first().map(String::as_str).unwrap_or(""))]
    Missing(Vec<String>),
}

/// The directory a pattern writes under: its longest leading part without placeholders.
pub fn out_dir(pattern: &str) -> PathBuf {
    let mut dir = PathBuf::new();
    let parts: Vec<_> = Path::new(pattern).components().collect();
    for c in &parts[..parts.len().saturating_sub(1)] {
        let s = c.as_os_str().to_string_lossy();
        if s.contains('{') {
            break;
        }
        dir.push(c);
    }
    if dir.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        dir
    }
}

/// The map request of one item: the template with the item's dates and title.
pub fn item_spec(template: &MapSpec, item: &Item) -> MapSpec {
    MapSpec {
        dates: Some(item.window),
        title: template
            .title
            .as_ref()
            .map(|t| t.replace("{date}", &item.date.to_string())),
        ..template.clone()
    }
}

/// The index rows of `items` (incident and claim counts from the data; nothing drawn),
/// files relative to `dir`, where the index is written.
pub fn rows(data: &Dataset, items: &[Item], dir: &Path) -> Vec<Row> {
    items
        .iter()
        .map(|it| {
            let shown: Vec<_> = data
                .incidents
                .iter()
                .filter(|i| i.overlaps(it.window.0, it.window.1))
                .collect();
            Row {
                item: it.index + 1,
                from: it.window.0.to_string(),
                to: it.window.1.to_string(),
                file: Path::new(&it.file)
                    .strip_prefix(dir)
                    .map_or_else(|_| it.file.clone(), |p| p.display().to_string()),
                incidents: shown.len(),
                claims: shown.iter().map(|i| i.claims.len()).sum(),
            }
        })
        .collect()
}

/// Writes `index.csv` and `index.json` into `dir`, each only if its content changed.
pub fn write_index(dir: &Path, rows: &[Row]) -> Result<Vec<PathBuf>, BatchError> {
    let mut csv = String::from("item,from,to,file,incidents,claims\n");
    for r in rows {
        let file = if r.file.contains([',', '"', '\n']) {
            format!("\"{}\"", r.file.replace('"', "\"\""))
        } else {
            r.file.clone()
        };
        csv.push_str(&format!(
            "{},{},{},{},{},{}\n",
            r.item, r.from, r.to, file, r.incidents, r.claims
        ));
    }
    let json = serde_json::to_string_pretty(rows)
        .map_err(|e| BatchError::Io("index.json".into(), e.into()))?
        + "\n";
    let mut written = Vec::new();
    for (name, text) in [("index.csv", csv), ("index.json", json)] {
        let path = dir.join(name);
        if std::fs::read(&path).ok().as_deref() == Some(text.as_bytes()) {
            continue;
        }
        atomic_file::write_with(&path, Sync::Deferred, |w| w.write_all(text.as_bytes()))
            .map_err(|e| BatchError::Io(path.display().to_string(), e))?;
        written.push(path);
    }
    Ok(written)
}

/// Draws and writes every item in `items` (all of the batch, or one shard's share) with
/// `jobs` threads; skips items the manifest in `dir` says are current when `resume`.
/// `progress` is called with the number of items done.
#[expect(
    clippy::too_many_arguments,
    reason = "data, style, fonts, template, items, directory, threads, resume, progress"
)]
pub fn run(
    data: &Dataset,
    style: &Style,
    fonts: &Fonts,
    template: &MapSpec,
    items: &[Item],
    dir: &Path,
    jobs: usize,
    resume: bool,
    progress: &(dyn Fn(usize) + std::marker::Sync),
) -> Result<Summary, BatchError> {
    let t0 = std::time::Instant::now();
    let root = Scene::new(data, style, fonts, template.scale, None);
    let canvas = map::prepare(&root, template)?;
    let manifest =
        Manifest::open(dir, resume).map_err(|e| BatchError::Io(dir.display().to_string(), e))?;
    let global = manifest::global_key(data, style, template);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs.max(1))
        .build()
        .map_err(|e| BatchError::Io("thread pool".into(), std::io::Error::other(e.to_string())))?;
    let done = std::sync::atomic::AtomicUsize::new(0);
    let memo = Memo::default();
    // Items are independent: rendered, encoded and written in parallel; the manifest
    // appends one line per finished map, after its rename.
    let outcomes: Vec<Result<bool, BatchError>> = pool.install(|| {
        items
            .par_iter()
            .map(|item| {
                let spec = item_spec(template, item);
                let scene = root.with_dates(Some(item.window));
                let key = manifest::item_key(global, &scene, &spec, item);
                let path = PathBuf::from(&item.file);
                let skip = resume && manifest.is_current(key, &item.file) && path.is_file();
                if !skip {
                    let picture = picture_key(&scene, &spec);
                    let bytes = match memo.get(picture) {
                        Some(b) => b,
                        None => {
                            let map = map::render_on(&scene, &spec, &canvas)?;
                            let b: std::sync::Arc<Vec<u8>> =
                                crate::render::png::encode(&map.pixmap)
                                    .map_err(|e| BatchError::Encode(item.file.clone(), e))?
                                    .into();
                            memo.put(picture, b.clone());
                            b
                        }
                    };
                    atomic_file::write_with(&path, Sync::Deferred, |w| w.write_all(&bytes))
                        .map_err(|e| BatchError::Io(item.file.clone(), e))?;
                    manifest
                        .record(key, &item.file)
                        .map_err(|e| BatchError::Io(manifest.path().display().to_string(), e))?;
                }
                progress(done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1);
                Ok(!skip)
            })
            .collect()
    });
    let mut summary = Summary::default();
    for o in outcomes {
        if o? {
            summary.written += 1;
        } else {
            summary.skipped += 1;
        }
    }
    if summary.written > 0 {
        // One flush for the whole batch instead of one per map.
        atomic_file::sync_dir(dir).map_err(|e| BatchError::Io(dir.display().to_string(), e))?;
    }
    summary.seconds = t0.elapsed().as_secs_f64();
    Ok(summary)
}

/// What makes one item's picture differ from another's within a batch: the incidents it
/// shows (their whole records), and, when the header or the panel is drawn, its title and
/// subtitle (which name the dates). Items with equal keys have equal pixels, so their
/// PNG is drawn and encoded once: a quiet month of days without incidents costs one map.
fn picture_key(scene: &Scene<'_>, spec: &MapSpec) -> u128 {
    let layers = &scene.style.layers;
    let mut text = String::new();
    for x in &scene.incidents {
        text.push_str(&format!("{} {:?}\n", x.number, x.incident));
    }
    if layers.title || layers.panel {
        let listed: Vec<crate::furniture::Listed<'_>> = scene
            .incidents
            .iter()
            .map(|x| (x.incident, x.number, x.at.is_some()))
            .collect();
        text.push_str(&format!(
            "{:?}\n{}\n",
            spec.title,
            crate::furniture::header::subtitle_for(spec.dates, &listed)
        ));
    }
    crate::tiles::pyramid::hash(text.as_bytes())
}

/// Recently encoded pictures by [`picture_key`] (a few: equal pictures come in runs).
#[derive(Default)]
struct Memo {
    recent: std::sync::Mutex<std::collections::VecDeque<(u128, std::sync::Arc<Vec<u8>>)>>,
}

impl Memo {
    const KEEP: usize = 8;

    fn get(&self, key: u128) -> Option<std::sync::Arc<Vec<u8>>> {
        let recent = self.recent.lock().unwrap_or_else(|e| e.into_inner());
        recent
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, b)| b.clone())
    }

    fn put(&self, key: u128, bytes: std::sync::Arc<Vec<u8>>) {
        let mut recent = self.recent.lock().unwrap_or_else(|e| e.into_inner());
        if recent.iter().any(|(k, _)| *k == key) {
            return;
        }
        if recent.len() == Self::KEEP {
            recent.pop_front();
        }
        recent.push_back((key, bytes));
    }
}

/// `--finish`: checks that every item's map exists and writes the index.
pub fn finish(data: &Dataset, items: &[Item], dir: &Path) -> Result<Vec<PathBuf>, BatchError> {
    let missing: Vec<String> = items
        .iter()
        .filter(|it| !Path::new(&it.file).is_file())
        .map(|it| it.file.clone())
        .collect();
    if !missing.is_empty() {
        return Err(BatchError::Missing(missing));
    }
    write_index(dir, &rows(data, items, dir))
}
