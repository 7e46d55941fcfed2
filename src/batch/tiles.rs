//! `batch --tiles`: one tile set per item. The items share one metatile cache keyed by
//! what each metatile draws, so a metatile whose incidents and labels did not change since
//! an earlier day is copied, not drawn: a month of daily pyramids costs far less than a
//! month of separate runs. A directory batch gets a preview page with a date slider.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::items::Item;
use crate::dataset::Dataset;
use crate::io::atomic_file;
use crate::scene::Scene;
use crate::tiles::Format;
use crate::tiles::preview;
use crate::tiles::pyramid::{Pyramid, Renderer, Summary, metatiles};
use crate::tiles::resume::Cache;
use crate::tiles::sink::TileSetInfo;

/// Name of the shared metatile cache in the batch's directory.
pub const CACHE: &str = ".bordermap-daily-tiles-cache";

/// Totals over every item.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct DailySummary {
    /// Tile sets written.
    pub sets: usize,
    /// Metatiles drawn.
    pub drawn: u64,
    /// Metatiles copied from an earlier item or run.
    pub reused: u64,
    /// Tiles written over all sets.
    pub tiles: u64,
}

/// Writes one tile set per item, in date order.
#[expect(
    clippy::too_many_arguments,
    reason = "data, root scene, pyramid, items, directory, threads, progress and the set's naming"
)]
pub fn run(
    data: &Dataset,
    root: &Scene<'_>,
    pyramid: &Pyramid,
    items: &[Item],
    dir: &Path,
    jobs: usize,
    progress: &(dyn Fn(usize) + std::marker::Sync),
    info: &dyn Fn(&Scene<'_>) -> TileSetInfo,
) -> std::io::Result<DailySummary> {
    let cache = Arc::new(Cache::in_dir(&dir.join(CACHE))?);
    let metas = metatiles(pyramid).map_err(std::io::Error::other)?;
    let mut total = DailySummary::default();
    for (k, item) in items.iter().enumerate() {
        let scene = root.with_dates(Some(item.window));
        let renderer = Renderer::new(&scene, pyramid).with_cache(cache.clone());
        let path = PathBuf::from(&item.file);
        let format = Format::from_path(&path).map_err(std::io::Error::other)?;
        let mut sink = format.sink(&path, false)?;
        let s: Summary = renderer
            .run(&metas, jobs, sink.as_mut(), &mut |_| {})
            .map_err(|e| std::io::Error::other(format!("{}: {e}", item.file)))?;
        sink.finish(&info(&scene))?;
        total.sets += 1;
        total.drawn += s.drawn;
        total.reused += s.reused;
        total.tiles += s.tiles;
        progress(k + 1);
    }
    cache.prune()?;
    atomic_file::sync_dir(dir)?;
    let _ = data;
    Ok(total)
}

/// The preview page of a directory batch: every day's tiles, a slider to switch days.
pub fn write_slider_page(
    dir: &Path,
    items: &[Item],
    info: &TileSetInfo,
) -> std::io::Result<PathBuf> {
    let days: Vec<serde_json::Value> = items
        .iter()
        .map(|it| {
            let rel = Path::new(&it.file)
                .strip_prefix(dir)
                .map_or_else(|_| it.file.clone(), |p| p.display().to_string());
            serde_json::json!({"date": it.date.to_string(), "url": format!("{rel}/{{z}}/{{x}}/{{y}}.png")})
        })
        .collect();
    let first = days
        .first()
        .and_then(|d| d["url"].as_str())
        .unwrap_or("{z}/{x}/{y}.png")
        .to_string();
    let mut html = preview::page(info, &first, info.tile_size);
    let days_json = serde_json::Value::Array(days)
        .to_string()
        .replace("</", "<\\/");
    let slider = format!(
        r#"<div id="days" style="position:absolute;z-index:1000;left:60px;top:10px;background:#fff;padding:6px 10px;font:14px sans-serif;border-radius:4px">
<input id="day" type="range" min="0" max="{max}" value="0" style="width:260px;vertical-align:middle"> <span id="label"></span></div>
<script>
"use strict";
var days = {days_json};
var slider = document.getElementById("day");
function show(i) {{
  layer.setUrl(days[i].url);
  document.getElementById("label").textContent = days[i].date;
  bmStatus.day = days[i].date;
  report();
}}
slider.addEventListener("input", function () {{ show(Number(slider.value)); }});
show(0);
</script>
</body>"#,
        max = items.len().saturating_sub(1)
    );
    html = html.replacen("</body>", &slider, 1);
    let path = dir.join("index.html");
    atomic_file::write(&path, html.as_bytes())?;
    let lf = dir.join("leaflet");
    atomic_file::write(&lf.join("leaflet.js"), preview::LEAFLET_JS.as_bytes())?;
    atomic_file::write(&lf.join("leaflet.css"), preview::LEAFLET_CSS.as_bytes())?;
    atomic_file::write(&lf.join("LICENSE"), preview::LEAFLET_LICENSE.as_bytes())?;
    Ok(path)
}
