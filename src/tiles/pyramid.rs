//! The tile pyramid: metatiles per zoom, drawn in parallel, cut into tiles, encoded, and
//! handed to one writer in a fixed order, so the output does not depend on `--jobs`.
//!
//! A metatile is an aligned block of up to 4×4 tiles drawn as one frame with the zoom's
//! world plan, so labels and symbols on tile edges are drawn once and cut identically.
//! Workers render and encode a batch of metatiles with rayon while the writer thread
//! stores the previous batch (a channel of two batches bounds memory).

use std::collections::HashSet;
use std::hash::Hasher;
use std::sync::OnceLock;
use std::sync::mpsc::sync_channel;
use std::time::Instant;

use rayon::prelude::*;
use tiny_skia::{IntRect, Pixmap};

use super::encode::{PngMode, SolidCache, encode, uniform};
use super::resume::Cache;
use super::sink::{Tile, TileSink};
use super::xyz::{self, TileError, TileId, cover, pmtiles_id};
use crate::projection::{Frame, PxRect};
use crate::render::{Plan, SkiaPainter, draw_map};
use crate::scene::Scene;
use crate::scene::geometry::frame_box;

/// Tiles per metatile side.
pub const META: u32 = 4;

/// What to render.
#[derive(Debug, Clone, PartialEq)]
pub struct Pyramid {
    /// Inclusive zoom range.
    pub zooms: (u8, u8),
    /// lon/lat box to cover `[west, south, east, north]`.
    pub bbox: [f64; 4],
    /// Tile side in pixels: 256 or 512, times the scene's scale. A 512 px tile at zoom z
    /// has the ground resolution of 256 px tiles at z+1; `--scale 2` keeps the ground
    /// resolution and doubles every pixel parameter instead.
    pub tile_px: u32,
    /// PNG compression.
    pub png: PngMode,
}

/// An aligned block of tiles at one zoom, clipped to the covered range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Meta {
    /// Zoom.
    pub z: u8,
    /// First column and row.
    pub x0: u32,
    /// First row.
    pub y0: u32,
    /// Columns.
    pub nx: u32,
    /// Rows.
    pub ny: u32,
}

impl Meta {
    /// The tiles it holds.
    pub fn tiles(&self) -> impl Iterator<Item = TileId> + '_ {
        (0..self.ny).flat_map(move |j| {
            (0..self.nx).map(move |i| TileId {
                z: self.z,
                x: self.x0 + i,
                y: self.y0 + j,
            })
        })
    }
}

/// Every metatile of the pyramid, in PMTiles tile-id order.
pub fn metatiles(p: &Pyramid) -> Result<Vec<Meta>, TileError> {
    let mut out = Vec::new();
    for z in p.zooms.0..=p.zooms.1 {
        xyz::tiles_per_side(z)?;
        let ((x0, x1), (y0, y1)) = cover(p.bbox, z)?;
        let mut bx = x0 / META * META;
        while bx <= x1 {
            let mut by = y0 / META * META;
            while by <= y1 {
                let (sx, sy) = (bx.max(x0), by.max(y0));
                let (ex, ey) = ((bx + META - 1).min(x1), (by + META - 1).min(y1));
                out.push(Meta {
                    z,
                    x0: sx,
                    y0: sy,
                    nx: ex - sx + 1,
                    ny: ey - sy + 1,
                });
                by += META;
            }
            bx += META;
        }
    }
    // Aligned blocks are contiguous along the Hilbert curve, so ordering blocks by their
    // first tile's id orders every tile.
    out.sort_by_key(|m| {
        let first = TileId {
            z: m.z,
            x: m.x0 / META * META,
            y: m.y0 / META * META,
        };
        (m.z, pmtiles_id(first))
    });
    Ok(out)
}

/// The number of tiles the pyramid covers, counted without listing them (so a request
/// for billions of tiles is refused at once, not after allocating their list).
pub fn count(p: &Pyramid) -> Result<u64, TileError> {
    let mut n = 0u64;
    for z in p.zooms.0..=p.zooms.1 {
        let ((x0, x1), (y0, y1)) = cover(p.bbox, z)?;
        n = n.saturating_add(u64::from(x1 - x0 + 1) * u64::from(y1 - y0 + 1));
    }
    Ok(n)
}

/// Shard `i` of `n` (0-based): a contiguous run of metatiles holding about 1/n of the
/// tiles, so shard archives hold contiguous tile-id ranges and concatenate in order.
pub fn shard(metas: &[Meta], i: u32, n: u32) -> &[Meta] {
    let total = tile_count(metas);
    let (n, i) = (u64::from(n.max(1)), u64::from(i));
    let (lo, hi) = (total * i / n, total * (i + 1) / n);
    let mut start = metas.len();
    let mut end = metas.len();
    let mut before = 0u64;
    for (k, m) in metas.iter().enumerate() {
        // A metatile belongs to the shard its first tile falls in.
        if before >= lo && start == metas.len() {
            start = k;
        }
        if before >= hi {
            end = k;
            break;
        }
        before += u64::from(m.nx * m.ny);
    }
    &metas[start.min(end)..end]
}

/// The number of tiles in `metas`.
pub fn tile_count(metas: &[Meta]) -> u64 {
    metas.iter().map(|m| u64::from(m.nx * m.ny)).sum()
}

/// A 128-bit hash of tile bytes.
pub fn hash(bytes: &[u8]) -> u128 {
    // Two SipHash-1-3 passes with fixed, different keys: deterministic across runs.
    let mut a = std::hash::DefaultHasher::new();
    a.write(bytes);
    let mut b = std::hash::DefaultHasher::new();
    b.write_u64(0x9e37_79b9_7f4a_7c15);
    b.write(bytes);
    (u128::from(a.finish()) << 64) | u128::from(b.finish())
}

/// Renders the pyramid and what the writer needs to know.
pub struct Renderer<'s, 'a> {
    scene: &'s Scene<'a>,
    pyramid: &'s Pyramid,
    plans: Vec<OnceLock<Plan>>,
    solids: SolidCache,
    cache: Option<(std::sync::Arc<Cache>, u128)>,
}

/// Totals of a run.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Summary {
    /// Tiles written.
    pub tiles: u64,
    /// Distinct tile contents.
    pub unique: u64,
    /// Bytes of distinct tile contents.
    pub bytes: u64,
    /// Wall time in seconds.
    pub seconds: f64,
    /// Metatiles taken from the resume cache.
    pub reused: u64,
    /// Metatiles drawn.
    pub drawn: u64,
}

/// Errors of a tile run.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// A zoom or tile out of range.
    #[error(transparent)]
    Tile(#[from] TileError),
    /// PNG encoding failed.
    #[error("encoding a tile: {0}")]
    Encode(#[from] png::EncodingError),
    /// Writing failed.
    #[error(transparent)]
    Io(#[from] std::io::Error),
    /// A metatile could not be allocated.
    #[error("cannot allocate a {0} px metatile")]
    Alloc(u32),
}

impl<'s, 'a> Renderer<'s, 'a> {
    /// A renderer for `pyramid` from `scene`.
    pub fn new(scene: &'s Scene<'a>, pyramid: &'s Pyramid) -> Self {
        Self {
            scene,
            pyramid,
            plans: (0..=xyz::MAX_ZOOM).map(|_| OnceLock::new()).collect(),
            solids: SolidCache::default(),
            cache: None,
        }
    }

    /// Reuses and fills `cache` (`--resume`).
    pub fn with_cache(mut self, cache: std::sync::Arc<Cache>) -> Self {
        let global = self.global_key();
        self.cache = Some((cache, global));
        self
    }

    /// The cache in use, if any.
    pub fn cache(&self) -> Option<&Cache> {
        self.cache.as_ref().map(|c| &*c.0)
    }

    /// What every tile depends on: the program, the style, the options and every input
    /// but the incidents (which are keyed per metatile).
    fn global_key(&self) -> u128 {
        let (scene, data) = (self.scene, self.scene.data);
        let mut text = format!(
            "bordermap {} resume 1\n{:?}\n{} {} {:?}\n",
            env!("CARGO_PKG_VERSION"),
            scene.style,
            scene.scale,
            self.pyramid.tile_px,
            self.pyramid.png
        );
        for p in data.border.vertices() {
            text.push_str(&format!("{:x} {:x};", p.lon.to_bits(), p.lat.to_bits()));
        }
        for c in &data.countries {
            text.push_str(&format!("\n{} {:?}", c.code, c.shape));
        }
        for p in &data.posts {
            text.push_str(&format!(
                "\n{} {} {:?} {:?} {:?}",
                p.id, p.name, p.at, p.kind, p.precision_m
            ));
        }
        for p in &data.places {
            text.push_str(&format!("\n{} {} {:?} {}", p.id, p.name, p.at, p.rank));
        }
        text.push_str(&format!("\n{:?}", data.border_properties));
        hash(text.as_bytes())
    }

    /// What one metatile depends on beyond the global key: its place, and the symbols,
    /// labels and highlighted stretches that reach it.
    fn local_key(&self, m: &Meta, frame: &Frame, plan: &Plan) -> u128 {
        let scene = self.scene;
        let s = scene.scale;
        let mut text = format!("{m:?}\n");
        let margin = 8.0 * s + scene.style.border.highlight_width * s;
        let clip = frame_box(frame, margin);
        for h in &scene.highlights {
            if !h.line.runs_in(&clip).is_empty() {
                text.push_str(&format!(
                    "h {} {:?}\n",
                    scene.incidents[h.index].incident.id, h.km
                ));
            }
        }
        let (dx, dy) = plan.offset(frame);
        let reach = frame.viewport.inflate(margin + 4.0 * s);
        for &(mark, (x, y)) in &plan.marks {
            let r = crate::render::layers::symbols::reach(scene, frame, plan, mark);
            let v = reach.inflate(r);
            let (x, y) = (x + dx, y + dy);
            if v.contains_point((x, y)) {
                text.push_str(&format!("m {mark:?} {:x} {:x}", x.to_bits(), y.to_bits()));
                let single;
                let members: &[usize] = match mark {
                    crate::render::plan::Mark::Incident(i) => {
                        single = [i];
                        &single
                    }
                    crate::render::plan::Mark::Cluster(c) => &plan.clusters[c],
                    _ => &[],
                };
                for &i in members {
                    let x = &scene.incidents[i];
                    text.push_str(&format!(
                        " {} {} {} {:x} {:?} {:?}",
                        x.incident.id,
                        x.incident.kind,
                        x.number,
                        x.incident.max_claimed_casualties().to_bits(),
                        x.precision_m,
                        x.at
                    ));
                }
                text.push('\n');
            }
        }
        let halo = scene.style.text.halo_width * s + 2.0 * s;
        for l in &plan.labels {
            let mut r = l.rect.inflate(halo);
            r.x += dx;
            r.y += dy;
            let leader_reaches = l.leader.is_some_and(|(a, b)| {
                let bx = PxRect::new(
                    a.0.min(b.0) + dx,
                    a.1.min(b.1) + dy,
                    (a.0 - b.0).abs(),
                    (a.1 - b.1).abs(),
                );
                bx.inflate(3.0 * s).intersects(&reach)
            });
            if r.intersects(&reach) || leader_reaches {
                text.push_str(&format!(
                    "l {} {:?} {:?} {:?}\n",
                    l.text.text, l.rect, l.leader, l.anchor
                ));
            }
        }
        hash(text.as_bytes())
    }

    /// A metatile's tiles from the cache when its key is there, else drawn (and stored
    /// when resuming). Returns whether they were reused.
    fn render_cached(&self, m: &Meta) -> Result<(Vec<Tile>, bool), RunError> {
        let Some((cache, global)) = &self.cache else {
            return Ok((self.render(m)?, false));
        };
        let frame = self.frame(m);
        let local = self.local_key(m, &frame, self.plan(m.z));
        let key = hash(format!("{global:032x}{local:032x}").as_bytes());
        if let Some(tiles) = cache.load(key) {
            return Ok((tiles, true));
        }
        let tiles = self.render(m)?;
        cache.store(key, &tiles)?;
        Ok((tiles, false))
    }

    /// The frame of a metatile.
    fn frame(&self, m: &Meta) -> Frame {
        let px = self.pyramid.tile_px;
        let first = TileId {
            z: m.z,
            x: m.x0,
            y: m.y0,
        };
        let last = TileId {
            z: m.z,
            x: m.x0 + m.nx - 1,
            y: m.y0 + m.ny - 1,
        };
        let (a, b) = (first.extent(), last.extent());
        Frame {
            extent: [a[0], b[1], b[2], a[3]],
            viewport: PxRect::new(0.0, 0.0, (m.nx * px) as f32, (m.ny * px) as f32),
        }
    }

    /// Metres per pixel at zoom `z`.
    fn res(&self, z: u8) -> f64 {
        TileId { z, x: 0, y: 0 }
            .frame(self.pyramid.tile_px)
            .m_per_px()
    }

    /// The zoom's world plan, placed once on first use.
    pub fn plan(&self, z: u8) -> &Plan {
        self.plans[usize::from(z.min(xyz::MAX_ZOOM))]
            .get_or_init(|| Plan::world(self.scene, self.res(z)))
    }

    /// Draws one metatile and cuts and encodes its tiles, in tile-id order.
    pub fn render(&self, m: &Meta) -> Result<Vec<Tile>, RunError> {
        let px = self.pyramid.tile_px;
        let (w, h) = (m.nx * px, m.ny * px);
        let frame = self.frame(m);
        let plan = self.plan(m.z);
        if let Some(color) = self.plain(&frame, plan) {
            // Nothing but one fill reaches this metatile: no need to draw it.
            let png = self.solids.get(color, px)?;
            let hash = hash(&png);
            let mut tiles: Vec<Tile> = m
                .tiles()
                .map(|id| Tile {
                    id,
                    png: png.clone(),
                    hash,
                })
                .collect();
            tiles.sort_by_key(|t| pmtiles_id(t.id));
            return Ok(tiles);
        }
        let mut pm = Pixmap::new(w, h).ok_or(RunError::Alloc(w.max(h)))?;
        pm.fill(self.scene.style.base.background.color());
        draw_map(
            self.scene,
            &frame,
            &mut SkiaPainter::new(pm.as_mut(), self.scene.fonts),
            plan,
            None,
        );
        let mut tiles = Vec::with_capacity((m.nx * m.ny) as usize);
        for id in m.tiles() {
            let (i, j) = (id.x - m.x0, id.y - m.y0);
            let rect = IntRect::from_xywh((i * px) as i32, (j * px) as i32, px, px)
                .ok_or(RunError::Alloc(px))?;
            let tile = pm.clone_rect(rect).ok_or(RunError::Alloc(px))?;
            let png = match uniform(tile.data()) {
                Some(color) => self.solids.get(color, px)?,
                None => encode(tile.data(), px, self.pyramid.png)?.into(),
            };
            tiles.push(Tile {
                id,
                hash: hash(&png),
                png,
            });
        }
        tiles.sort_by_key(|t| pmtiles_id(t.id));
        Ok(tiles)
    }

    /// The one colour a frame would be drawn in, when nothing but a single opaque fill
    /// (a country, or the background) reaches it: no border, outline, tick, highlight,
    /// symbol or label within its margin. `None` means it must be drawn.
    pub fn plain(&self, frame: &Frame, plan: &Plan) -> Option<[u8; 4]> {
        let scene = self.scene;
        let (style, s) = (scene.style, scene.scale);
        let layers = &style.layers;
        let margin = 8.0 * s + style.border.casing_width.max(style.border.highlight_width) * s;
        let clip = frame_box(frame, margin);
        let level = scene.level(frame.m_per_px());
        if layers.border && !level.border.runs_in(&clip).is_empty() {
            return None;
        }
        if layers.incidents
            && scene
                .highlights
                .iter()
                .any(|h| !h.line.runs_in(&clip).is_empty())
        {
            return None;
        }
        let reach = frame.viewport.inflate(margin + 4.0 * s);
        let near = |(x, y): (f32, f32), r: f32| {
            let v = reach.inflate(r);
            v.contains_point((x, y))
        };
        if layers.km_marks {
            let (step, _) = scene.km_steps(frame.m_per_px());
            let tick = style.km_marks.tick_length * s;
            if scene
                .ticks(step)
                .iter()
                .any(|t| near(frame.merc_to_px(t.at.0, t.at.1), tick))
            {
                return None;
            }
        }
        let (dx, dy) = plan.offset(frame);
        for &(mark, (x, y)) in &plan.marks {
            let r = crate::render::layers::symbols::reach(scene, frame, plan, mark);
            if near((x + dx, y + dy), r) {
                return None;
            }
        }
        let halo = style.text.halo_width * s + 2.0 * s;
        for l in &plan.labels {
            let mut r = l.rect.inflate(halo);
            r.x += dx;
            r.y += dy;
            if r.intersects(&reach) {
                return None;
            }
            if let Some((a, b)) = l.leader {
                let (a, b) = ((a.0 + dx, a.1 + dy), (b.0 + dx, b.1 + dy));
                let bx = PxRect::new(
                    a.0.min(b.0),
                    a.1.min(b.1),
                    (a.0 - b.0).abs(),
                    (a.1 - b.1).abs(),
                );
                if bx.inflate(3.0 * s).intersects(&reach) {
                    return None;
                }
            }
        }
        let mut color = style.base.background;
        if layers.basemap {
            let centre = (
                (frame.extent[0] + frame.extent[2]) / 2.0,
                (frame.extent[1] + frame.extent[3]) / 2.0,
            );
            for (i, rings) in level.countries.iter().enumerate() {
                if rings
                    .iter()
                    .any(|r| r.touches(&clip) && !r.runs_in(&clip).is_empty())
                {
                    return None;
                }
                let inside = rings.iter().filter(|r| r.contains(centre)).count() % 2 == 1;
                if inside {
                    color = scene.base.country_fill(i)?;
                }
            }
        }
        (color.0[3] == 255).then_some(color.0)
    }

    /// Renders every metatile in `metas` with `jobs` threads and hands the tiles to
    /// `sink` in order; `progress` is called after each batch with tiles done.
    pub fn run(
        &self,
        metas: &[Meta],
        jobs: usize,
        sink: &mut dyn TileSink,
        progress: &mut (dyn FnMut(u64) + Send),
    ) -> Result<Summary, RunError> {
        let t0 = Instant::now();
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(jobs.max(1))
            .build()
            .map_err(|e| std::io::Error::other(e.to_string()))?;
        let batch = (jobs.max(1) * 8).max(8);
        let mut summary = Summary::default();
        std::thread::scope(|s| -> Result<(), RunError> {
            let (tx, rx) = sync_channel::<Vec<Tile>>(2);
            let writer = s.spawn(move || -> Result<(u64, u64, u64), RunError> {
                let mut seen: HashSet<u128> = HashSet::new();
                let (mut n, mut unique, mut bytes) = (0u64, 0u64, 0u64);
                for tiles in rx {
                    sink.put_batch(&tiles)?;
                    for t in &tiles {
                        n += 1;
                        if seen.insert(t.hash) {
                            unique += 1;
                            bytes += t.png.len() as u64;
                        }
                    }
                    progress(n);
                }
                Ok((n, unique, bytes))
            });
            let rendered = pool.install(|| -> Result<(u64, u64), RunError> {
                let (mut reused, mut drawn) = (0, 0);
                for chunk in metas.chunks(batch) {
                    // Parallel over metatiles; collect keeps their order.
                    let parts: Vec<(Vec<Tile>, bool)> = chunk
                        .par_iter()
                        .map(|m| self.render_cached(m))
                        .collect::<Result<_, _>>()?;
                    let mut tiles = Vec::new();
                    for (t, from_cache) in parts {
                        if from_cache {
                            reused += 1;
                        } else {
                            drawn += 1;
                        }
                        tiles.extend(t);
                    }
                    if tx.send(tiles).is_err() {
                        break;
                    }
                }
                Ok((reused, drawn))
            });
            drop(tx);
            let written = writer
                .join()
                .map_err(|_| std::io::Error::other("the tile writer panicked"))?;
            let (reused, drawn) = rendered?;
            let (n, unique, bytes) = written?;
            summary = Summary {
                tiles: n,
                unique,
                bytes,
                seconds: 0.0,
                reused,
                drawn,
            };
            Ok(())
        })?;
        summary.seconds = t0.elapsed().as_secs_f64();
        Ok(summary)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skipped_metatiles_equal_drawn_ones_exactly() {
        use crate::config::Project;
        use crate::dataset::Dataset;
        use crate::render::text::Fonts;
        use crate::style::Style;
        let data = Dataset::load(&Project::embedded()).unwrap();
        let style = Style::default_style();
        let fonts = Fonts::embedded();
        let scene = Scene::new(&data, &style, &fonts, 1.0, None);
        let p = Pyramid {
            zooms: (9, 10),
            bbox: crate::tiles::default_bbox(&data),
            tile_px: 256,
            png: PngMode::Fast,
        };
        let r = Renderer::new(&scene, &p);
        let (mut skipped, mut drawn) = (0, 0);
        for m in metatiles(&p).unwrap() {
            let fast = r.render(&m).unwrap();
            let frame = r.frame(&m);
            if r.plain(&frame, r.plan(m.z)).is_none() {
                drawn += 1;
                continue;
            }
            skipped += 1;
            // Draw it anyway: every tile must be that one colour, pixel for pixel.
            let mut pm = Pixmap::new(m.nx * 256, m.ny * 256).unwrap();
            pm.fill(style.base.background.color());
            draw_map(
                &scene,
                &frame,
                &mut SkiaPainter::new(pm.as_mut(), &fonts),
                r.plan(m.z),
                None,
            );
            let color =
                uniform(pm.data()).unwrap_or_else(|| panic!("{m:?} is not one colour when drawn"));
            let png = r.solids.get(color, 256).unwrap();
            assert!(fast.iter().all(|t| t.png == png), "{m:?}");
        }
        assert!(
            skipped >= 20 && drawn >= 20,
            "{skipped} skipped, {drawn} drawn"
        );
    }

    #[test]
    fn shards_are_disjoint_contiguous_and_cover_everything() {
        let p = Pyramid {
            zooms: (0, 9),
            bbox: [60.8, 29.3, 74.6, 37.1],
            tile_px: 256,
            png: PngMode::Fast,
        };
        let metas = metatiles(&p).unwrap();
        for n in [1u32, 2, 3, 7] {
            let parts: Vec<&[Meta]> = (0..n).map(|i| shard(&metas, i, n)).collect();
            let joined: Vec<Meta> = parts.iter().flat_map(|s| s.iter().copied()).collect();
            assert_eq!(joined, metas, "{n} shards");
            let counts: Vec<u64> = parts.iter().map(|s| tile_count(s)).collect();
            let (min, max) = (counts.iter().min().unwrap(), counts.iter().max().unwrap());
            assert!(max - min <= 16 * 2, "{n} shards: {counts:?}");
        }
    }

    #[test]
    fn metatiles_cover_every_tile_once_in_id_order() {
        let p = Pyramid {
            zooms: (0, 7),
            bbox: [60.8, 29.3, 74.6, 37.1],
            tile_px: 256,
            png: PngMode::Fast,
        };
        let metas = metatiles(&p).unwrap();
        let ids: Vec<u64> = metas
            .iter()
            .flat_map(|m| {
                m.tiles()
                    .map(pmtiles_id)
                    .collect::<Vec<_>>()
                    .into_iter()
                    .collect::<std::collections::BTreeSet<_>>()
            })
            .collect();
        let mut sorted = ids.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(
            ids, sorted,
            "tile ids ascend across metatiles without repeats"
        );
        let mut expected = 0;
        for z in 0..=7 {
            let ((x0, x1), (y0, y1)) = cover(p.bbox, z).unwrap();
            expected += u64::from((x1 - x0 + 1) * (y1 - y0 + 1));
        }
        assert_eq!(tile_count(&metas), expected);
    }
}
