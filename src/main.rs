//! The `bordermap` command: parse flags, plan, call the library, report, exit code.

mod cli;

use std::process::ExitCode;

use bordermap::Dataset;
use bordermap::export::annotate;
use bordermap::load::LoadError;
use bordermap::model::LonLat;
use clap::Parser;

use cli::{Args, Command};

fn main() -> ExitCode {
    let args = Args::parse();
    bordermap::io::atomic_file::install_signal_cleanup();
    match run(args) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {}", shown(&format!("{err:#}")));
            ExitCode::FAILURE
        }
    }
}

/// Text from input files made safe for a terminal: control characters (ESC, BEL, …) and
/// bidirectional overrides are shown as `\u{..}`, so a data file cannot retitle, clear or
/// reorder the user's terminal. Line breaks stay.
fn shown(text: &str) -> String {
    text.chars()
        .map(|c| {
            let bidi = matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
            if (c.is_control() && c != '\n') || bidi {
                format!("\\u{{{:x}}}", c as u32)
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// The fonts a style names (embedded names or font files).
fn fonts_for(style: &bordermap::style::Style) -> anyhow::Result<bordermap::render::text::Fonts> {
    use anyhow::Context;
    bordermap::render::text::Fonts::new(
        &style.fonts.regular,
        &style.fonts.bold,
        &style.fonts.arabic,
    )
    .context("[fonts]")
}

/// Refuses to write `out` over one of the run's inputs.
fn guard(out: &std::path::Path, data: &Dataset) -> anyhow::Result<()> {
    bordermap::io::atomic_file::refuse_inputs(out, data.inputs.iter().map(|(_, p)| p.as_path()))?;
    Ok(())
}

/// Prints each problem once, with its causes, and says how many there were.
/// The data of a run that writes outputs: loaded, its problems reported, and refused when
/// records were rejected unless `--keep-going`, so that a run that exits non-zero leaves
/// every existing output as it was.
fn for_writing(data: Result<Dataset, Vec<LoadError>>, keep_going: bool) -> anyhow::Result<Dataset> {
    let data = loaded(data)?;
    report(&data.problems);
    let n = data.problems.len();
    anyhow::ensure!(
        n == 0 || keep_going,
        "{n} problem(s) above: nothing was written (existing outputs are as they were); fix the input, or pass --keep-going to use the records that loaded"
    );
    Ok(data)
}

fn report(problems: &[LoadError]) {
    for p in problems {
        let mut line = format!("error: {p}");
        let mut source = std::error::Error::source(p);
        while let Some(s) = source {
            line.push_str(&format!(": {s}"));
            source = s.source();
        }
        eprintln!("{}", shown(&line));
    }
}

fn load(inputs: &cli::InputArgs) -> anyhow::Result<Result<Dataset, Vec<LoadError>>> {
    let project = cli::plan::project(inputs)?;
    Ok(load_project(&project))
}

/// The dataset, or the border's problems reported and an error: nothing can be done
/// without a border.
fn loaded(data: Result<Dataset, Vec<LoadError>>) -> anyhow::Result<Dataset> {
    data.or_else(|problems| {
        report(&problems);
        anyhow::bail!(
            "the border could not be loaded ({} problem(s))",
            problems.len()
        )
    })
}

/// Loads a project and prints its notes (remarks that are not errors).
fn load_project(project: &bordermap::config::Project) -> Result<Dataset, Vec<LoadError>> {
    let data = Dataset::load(project);
    if let Ok(d) = &data {
        for n in &d.notes {
            eprintln!("note: {}", shown(n));
        }
        for w in &d.warnings {
            eprintln!("warning: {}", shown(w));
        }
    }
    data
}

fn run(args: Args) -> anyhow::Result<ExitCode> {
    match args.command {
        Command::Render(a) => render(&a),
        Command::Export(a) => export(&a),
        Command::Tiles(a) => tiles(&a),
        Command::Batch(a) => batch(&a),
        Command::Chart(a) => chart(&a),
        Command::Merge(a) => {
            let n = bordermap::tiles::merge::merge(&a.inputs, &a.out)
                .map_err(|e| anyhow::anyhow!("merge: {e}"))?;
            eprintln!("merged: {n} tiles from {} shard(s)", a.inputs.len());
            println!("{}", a.out.display());
            Ok(ExitCode::SUCCESS)
        }
        Command::Serve(a) => {
            let mut server = bordermap::tiles::serve::Server::open(&a.file)?;
            let addr = server.bind(a.port)?;
            eprintln!(
                "serving {} at http://{addr}/ (Ctrl-C to stop)",
                a.file.display()
            );
            server.run()?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Validate { inputs } => {
            let data = loaded(load(&inputs)?)?;
            report(&data.problems);
            let s = data.summary();
            for (layer, path) in &data.inputs {
                println!("{layer:10} {}", path.display());
            }
            println!(
                "border     {:.1} km, {} vertices, {} piece(s) stitched, {} bridge(s)",
                s.border_km, s.vertices, s.pieces, s.bridges
            );
            for b in data.border.bridges() {
                println!(
                    "  bridge   {:.3} km gap from [{}, {}] to [{}, {}]",
                    b.gap_km, b.from.lon, b.from.lat, b.to.lon, b.to.lat
                );
            }
            println!("posts      {}", s.posts);
            println!("places     {}", s.places);
            println!("countries  {}", s.countries);
            println!("incidents  {} with {} claim(s)", s.incidents, s.claims);
            for (path, read, kept, rejected) in &data.incident_counts {
                println!(
                    "  {}: {read} read, {kept} kept, {rejected} rejected",
                    path.display()
                );
            }
            if s.problems > 0 {
                println!("problems   {} (see above)", s.problems);
                return Ok(ExitCode::FAILURE);
            }
            println!("ok");
            Ok(ExitCode::SUCCESS)
        }
        Command::Locate(a) => {
            let data = loaded(load(&a.inputs)?)?;
            // Problems in other layers are reported but do not stop a lookup.
            report(&data.problems);
            if let (Some(lon), Some(lat)) = (a.lon, a.lat) {
                anyhow::ensure!(
                    lon.is_finite() && (-180.0..=180.0).contains(&lon),
                    "--lon {lon}: expected a longitude from -180 to 180"
                );
                anyhow::ensure!(
                    lat.is_finite() && (-90.0..=90.0).contains(&lat),
                    "--lat {lat}: expected a latitude from -90 to 90"
                );
                println!("{}", annotate::locate_json(&data, LonLat::new(lon, lat)));
                return Ok(ExitCode::SUCCESS);
            }
            let Some(path) = a.points else {
                anyhow::bail!("give --lon and --lat, or --points FILE");
            };
            let text = bordermap::config::Source::File(path.clone()).read()?;
            let out = annotate::annotate_points(&data, &path, &text)?;
            report(&out.problems);
            let fc = serde_json::json!({"type": "FeatureCollection", "features": out.items});
            println!("{}", serde_json::to_string_pretty(&fc)?);
            Ok(if out.problems.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
    }
}

fn render(a: &cli::RenderArgs) -> anyhow::Result<ExitCode> {
    use std::time::Instant;

    use anyhow::Context;
    use bordermap::render::{self, text::Fonts};

    let t0 = Instant::now();
    let project = cli::plan::project(&a.inputs)?;
    let plan = cli::plan::render(a, &project)?;
    let style_file = a.style.as_ref().or(project.style.as_ref()).map_or_else(
        || "styles/default.toml".to_string(),
        |p| p.display().to_string(),
    );
    let fonts = Fonts::new(
        &plan.style.fonts.regular,
        &plan.style.fonts.bold,
        &plan.style.fonts.arabic,
    )
    .with_context(|| format!("{style_file}: [fonts]"))?;
    let data = for_writing(load_project(&project), a.inputs.keep_going)?;
    guard(&plan.out, &data)?;
    if let bordermap::map::View::Bbox(b) = plan.spec.view {
        let e = bordermap::tiles::default_bbox(&data);
        anyhow::ensure!(
            b[0] < e[2] && b[2] > e[0] && b[1] < e[3] && b[3] > e[1],
            "--bbox {},{},{},{}: holds none of the data, whose extent is {:.3},{:.3},{:.3},{:.3}",
            b[0],
            b[1],
            b[2],
            b[3],
            e[0],
            e[1],
            e[2],
            e[3]
        );
    }
    let load = t0.elapsed();
    let is_svg = plan
        .out
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("svg"));
    if is_svg {
        let scene = bordermap::scene::Scene::new(
            &data,
            &plan.style,
            &fonts,
            plan.spec.scale,
            plan.spec.dates,
        );
        let svg = bordermap::map::render_svg(&scene, &plan.spec)?;
        bordermap::io::atomic_file::write(&plan.out, svg.as_bytes())
            .with_context(|| format!("{}: cannot write the map", plan.out.display()))?;
        println!("{}", plan.out.display());
        return Ok(ExitCode::SUCCESS);
    }
    let map = bordermap::map::render(&data, &plan.style, &fonts, &plan.spec)?;
    let t1 = Instant::now();
    let png = render::png::encode(&map.pixmap).context("encoding the PNG")?;
    let encode = t1.elapsed();
    bordermap::io::atomic_file::write(&plan.out, &png)
        .with_context(|| format!("{}: cannot write the map", plan.out.display()))?;
    if a.verbose {
        let t = &map.timings;
        eprintln!(
            "timing: load {:.1} ms, scene {:.1} ms, layout {:.1} ms, draw {:.1} ms, encode {:.1} ms",
            load.as_secs_f64() * 1e3,
            t.scene.as_secs_f64() * 1e3,
            t.layout.as_secs_f64() * 1e3,
            t.draw.as_secs_f64() * 1e3,
            encode.as_secs_f64() * 1e3
        );
        let layers: Vec<String> = t
            .layers
            .iter()
            .map(|(n, d)| format!("{n} {:.1}", d.as_secs_f64() * 1e3))
            .collect();
        eprintln!("draw by layer (ms): {}", layers.join(", "));
        eprintln!("incidents shown: {}", map.incidents.len());
        for key in &map.dropped_labels {
            eprintln!("label dropped: {}", shown(key));
        }
    }
    println!("{}", plan.out.display());
    Ok(ExitCode::SUCCESS)
}

fn export(a: &cli::ExportArgs) -> anyhow::Result<ExitCode> {
    use anyhow::Context;

    let data = for_writing(load(&a.inputs)?, a.inputs.keep_going)?;
    guard(&a.out, &data)?;
    if a.split {
        let stem = a
            .out
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let dir = a.out.parent().unwrap_or(std::path::Path::new(""));
        for layer in bordermap::export::LAYERS {
            guard(&dir.join(format!("{stem}.{layer}.geojson")), &data)?;
        }
    }
    let written = bordermap::export::write(&data, &a.out, a.split)
        .with_context(|| format!("{}: cannot write the export", a.out.display()))?;
    let s = data.summary();
    eprintln!(
        "exported: 1 border ({:.1} km), {} posts, {} incidents with {} claims",
        s.border_km, s.posts, s.incidents, s.claims
    );
    for p in written {
        println!("{}", p.display());
    }
    Ok(ExitCode::SUCCESS)
}

/// Progress on stderr: a bar on a terminal, a plain line every two seconds otherwise
/// (Kubernetes and Slurm logs), nothing with `-q`.
struct Progress {
    noun: &'static str,
    total: u64,
    bar: Option<indicatif::ProgressBar>,
    plain: bool,
    start: std::time::Instant,
    last: std::time::Instant,
}

impl Progress {
    fn new(total: u64, quiet: bool) -> Self {
        Self::named(total, quiet, "tiles")
    }

    fn named(total: u64, quiet: bool, noun: &'static str) -> Self {
        use std::io::IsTerminal;
        let tty = std::io::stderr().is_terminal();
        let bar = (!quiet && tty).then(|| {
            let b = indicatif::ProgressBar::new(total);
            if let Ok(st) = indicatif::ProgressStyle::with_template(&format!(
                "{{bar:40}} {{pos}}/{{len}} {noun}, {{per_sec}}, ETA {{eta}}"
            )) {
                b.set_style(st);
            }
            b
        });
        let now = std::time::Instant::now();
        Self {
            noun,
            total,
            bar,
            plain: !quiet && !tty,
            start: now,
            last: now,
        }
    }

    fn update(&mut self, done: u64) {
        let n = self.noun;
        if let Some(b) = &self.bar {
            b.set_position(done);
        } else if self.plain && (self.last.elapsed().as_secs_f64() >= 2.0 || done == self.total) {
            self.last = std::time::Instant::now();
            let secs = self.start.elapsed().as_secs_f64().max(1e-9);
            let rate = done as f64 / secs;
            let eta = if rate > 0.0 {
                (self.total - done) as f64 / rate
            } else {
                0.0
            };
            eprintln!(
                "{n}: {done}/{} ({:.0} %), {rate:.0} {n}/s, ETA {eta:.0} s",
                self.total,
                100.0 * done as f64 / self.total.max(1) as f64
            );
        }
    }

    fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}

fn tiles(a: &cli::TilesArgs) -> anyhow::Result<ExitCode> {
    use anyhow::Context;
    use bordermap::scene::Scene;
    use bordermap::tiles::pyramid::{Pyramid, Renderer, count, metatiles, shard, tile_count};
    use bordermap::tiles::sink::TileSetInfo;

    let project = cli::plan::project(&a.inputs)?;
    let plan = cli::plan::tiles(a, &project)?;
    let fonts = fonts_for(&plan.style)?;
    let data = for_writing(load_project(&project), a.inputs.keep_going)?;
    guard(&plan.out, &data)?;
    let extent = bordermap::tiles::default_bbox(&data);
    let bbox = match plan.bbox {
        Some(b) => {
            anyhow::ensure!(
                b[0] < extent[2] && b[2] > extent[0] && b[1] < extent[3] && b[3] > extent[1],
                "--bbox {},{},{},{}: holds none of the data, whose extent is {:.3},{:.3},{:.3},{:.3}",
                b[0],
                b[1],
                b[2],
                b[3],
                extent[0],
                extent[1],
                extent[2],
                extent[3]
            );
            b
        }
        None => extent,
    };
    let zooms = match plan.zooms {
        Some(z) => z,
        None => {
            let top = bordermap::tiles::detail_zoom(&data);
            if !a.quiet {
                eprintln!(
                    "zooms 0-{top}: the border's detail runs out at z{top} (give --zoom to change)"
                );
            }
            (0, top)
        }
    };
    let pyramid = Pyramid {
        zooms,
        bbox,
        tile_px: plan.tile_size * plan.scale,
        png: plan.png,
    };
    let total = count(&pyramid)?;
    const MAX_TILES: u64 = 5_000_000;
    anyhow::ensure!(
        total <= MAX_TILES,
        "--zoom {}-{}: {total} tiles over this area, more than {MAX_TILES}; narrow --bbox or --zoom",
        zooms.0,
        zooms.1
    );
    let all = metatiles(&pyramid)?;
    debug_assert_eq!(tile_count(&all), total);
    let metas = match plan.shard {
        Some((i, n)) => shard(&all, i, n),
        None => &all[..],
    };
    let scene = Scene::new(&data, &plan.style, &fonts, plan.scale as f32, plan.dates);
    let mut renderer = Renderer::new(&scene, &pyramid);
    if a.resume {
        let cache = bordermap::tiles::resume::Cache::open(&plan.out)
            .with_context(|| format!("{}: cannot open the resume cache", plan.out.display()))?;
        renderer = renderer.with_cache(std::sync::Arc::new(cache));
    }
    let mut sink = plan
        .format
        .sink(&plan.out, !a.no_sync)
        .with_context(|| format!("{}: cannot write the tiles", plan.out.display()))?;
    let mut progress = Progress::new(tile_count(metas), a.quiet);
    let summary = renderer
        .run(metas, plan.jobs, sink.as_mut(), &mut |n| progress.update(n))
        .with_context(|| format!("{}: writing the tiles", plan.out.display()))?;
    progress.finish();
    let listed: Vec<bordermap::furniture::Listed<'_>> = scene
        .incidents
        .iter()
        .map(|x| (x.incident, x.number, x.at.is_some()))
        .collect();
    let name = data
        .border_properties
        .get("name")
        .and_then(|v| v.as_str())
        .unwrap_or("Border");
    let info = TileSetInfo {
        name: format!("{name}: reported incidents"),
        description: format!(
            "{}; bordermap {}",
            bordermap::furniture::header::subtitle_for(scene.dates, &listed),
            env!("CARGO_PKG_VERSION")
        ),
        attribution: bordermap::furniture::attribution::sources_line(&data, &listed),
        zooms,
        bounds: bbox,
        shard: plan.shard,
        total_tiles: total,
        tile_size: plan.tile_size,
    };
    let written = sink
        .finish(&info)
        .with_context(|| format!("{}: finishing the tiles", plan.out.display()))?;
    if let Some(cache) = renderer.cache() {
        let pruned = cache.prune()?;
        bordermap::io::atomic_file::sync_dir(cache.dir())?;
        if !a.quiet {
            eprintln!(
                "resume: {} metatile(s) reused, {} drawn, {pruned} stale cache entr(ies) removed",
                summary.reused, summary.drawn
            );
        }
    }
    if !a.quiet {
        eprintln!(
            "tiles: {} written ({} unique, {:.1} MB of PNG) in {:.2} s",
            summary.tiles,
            summary.unique,
            summary.bytes as f64 / 1e6,
            summary.seconds
        );
    }
    for p in written {
        println!("{}", p.display());
    }
    Ok(ExitCode::SUCCESS)
}

fn batch(a: &cli::BatchArgs) -> anyhow::Result<ExitCode> {
    use anyhow::Context;

    let project = cli::plan::project(&a.inputs)?;
    let plan = cli::plan::batch(a, &project)?;
    let fonts = fonts_for(&plan.style)?;
    let data = for_writing(load_project(&project), a.inputs.keep_going)?;
    for item in &plan.items {
        guard(std::path::Path::new(&item.file), &data)?;
    }
    let mine = match plan.shard {
        Some((i, n)) => bordermap::batch::items::shard(&plan.items, i, n),
        None => plan.items.clone(),
    };
    let finish = |data: &bordermap::Dataset| -> anyhow::Result<()> {
        let written = bordermap::batch::finish(data, &plan.items, &plan.dir)?;
        if let Some(anim) = &a.animate {
            let frames: Vec<std::path::PathBuf> =
                plan.items.iter().map(|i| i.file.clone().into()).collect();
            bordermap::batch::animate::write(&frames, anim, a.frame_ms)
                .with_context(|| format!("{}: cannot write the animation", anim.display()))?;
            println!("{}", anim.display());
        }
        for p in written {
            println!("{}", p.display());
        }
        Ok(())
    };
    if a.tiles {
        return daily_tiles(a, &plan, &data, &fonts, &mine);
    }
    if a.finish {
        finish(&data)?;
        return Ok(ExitCode::SUCCESS);
    }
    let progress = std::sync::Mutex::new(Progress::named(mine.len() as u64, a.quiet, "maps"));
    let summary = bordermap::batch::run(
        &data,
        &plan.style,
        &fonts,
        &plan.template,
        &mine,
        &plan.dir,
        plan.jobs,
        a.resume,
        &|n| {
            progress
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .update(n as u64)
        },
    )?;
    progress.lock().unwrap_or_else(|e| e.into_inner()).finish();
    if !a.quiet {
        eprintln!(
            "batch: {} map(s) written, {} current and skipped, in {:.2} s",
            summary.written, summary.skipped, summary.seconds
        );
    }
    // A sharded run writes only its maps; `--finish` writes the index once all are done.
    if plan.shard.is_none() {
        finish(&data)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn daily_tiles(
    a: &cli::BatchArgs,
    plan: &cli::plan::BatchPlan,
    data: &bordermap::Dataset,
    fonts: &bordermap::render::text::Fonts,
    mine: &[bordermap::batch::Item],
) -> anyhow::Result<ExitCode> {
    use bordermap::scene::Scene;
    use bordermap::tiles::pyramid::Pyramid;
    use bordermap::tiles::sink::TileSetInfo;

    let bbox = bordermap::tiles::default_bbox(data);
    let zooms = plan
        .zooms
        .unwrap_or((0, bordermap::tiles::detail_zoom(data).min(10)));
    let pyramid = Pyramid {
        zooms,
        bbox,
        tile_px: (256.0 * plan.template.scale).round() as u32,
        png: bordermap::tiles::encode::PngMode::Fast,
    };
    let total = bordermap::tiles::pyramid::count(&pyramid)?;
    let name = data
        .border_properties
        .get("name")
        .and_then(|v| v.as_str())
        .unwrap_or("Border")
        .to_string();
    let info = |scene: &Scene<'_>| {
        let listed: Vec<bordermap::furniture::Listed<'_>> = scene
            .incidents
            .iter()
            .map(|x| (x.incident, x.number, x.at.is_some()))
            .collect();
        TileSetInfo {
            name: format!("{name}: reported incidents"),
            description: bordermap::furniture::header::subtitle_for(scene.dates, &listed),
            attribution: bordermap::furniture::attribution::sources_line(data, &listed),
            zooms,
            bounds: bbox,
            shard: None,
            total_tiles: total,
            tile_size: 256,
        }
    };
    let root = Scene::new(data, &plan.style, fonts, plan.template.scale, None);
    if !a.finish {
        let progress =
            std::sync::Mutex::new(Progress::named(mine.len() as u64, a.quiet, "tile sets"));
        let s = bordermap::batch::tiles::run(
            data,
            &root,
            &pyramid,
            mine,
            &plan.dir,
            plan.jobs,
            &|n| {
                progress
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .update(n as u64)
            },
            &info,
        )?;
        progress.lock().unwrap_or_else(|e| e.into_inner()).finish();
        if !a.quiet {
            eprintln!(
                "batch: {} tile set(s), {} tiles; {} metatile(s) drawn, {} reused from earlier days",
                s.sets, s.tiles, s.drawn, s.reused
            );
        }
    }
    if plan.shard.is_none() || a.finish {
        let missing: Vec<&str> = plan
            .items
            .iter()
            .filter(|it| !std::path::Path::new(&it.file).exists())
            .map(|it| it.file.as_str())
            .collect();
        anyhow::ensure!(
            missing.is_empty(),
            "{} tile set(s) missing, e.g. {}",
            missing.len(),
            missing[0]
        );
        let dirs = plan
            .items
            .iter()
            .all(|it| std::path::Path::new(&it.file).is_dir());
        if dirs {
            let page =
                bordermap::batch::tiles::write_slider_page(&plan.dir, &plan.items, &info(&root))?;
            println!("{}", page.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn chart(a: &cli::ChartArgs) -> anyhow::Result<ExitCode> {
    use anyhow::Context;
    use bordermap::chart::{self, ChartSpec};

    let project = cli::plan::project(&a.inputs)?;
    let cli::plan::ChartPlan {
        width,
        height,
        dates,
        km,
        style,
        svg,
    } = cli::plan::chart(a, &project)?;
    let fonts = fonts_for(&style)?;
    let data = for_writing(load_project(&project), a.inputs.keep_going)?;
    guard(&a.out, &data)?;
    let spec = ChartSpec {
        width,
        height,
        scale: a.scale,
        dates,
        km,
        title: a.title.clone(),
        sectors: project.sectors.clone(),
    };
    let bytes = if svg {
        chart::to_svg(&data, &style, &fonts, &spec)?.0.into_bytes()
    } else {
        let (pm, _) = chart::to_pixmap(&data, &style, &fonts, &spec)?;
        bordermap::render::png::encode(&pm).context("encoding the PNG")?
    };
    bordermap::io::atomic_file::write(&a.out, &bytes)
        .with_context(|| format!("{}: cannot write the chart", a.out.display()))?;
    println!("{}", a.out.display());
    Ok(ExitCode::SUCCESS)
}
