//! Turns raw flags into a [`Project`]: the project file, then per-layer overrides.

use std::path::Path;

use anyhow::Context;
use bordermap::config::{Project, Source};

use super::{BatchArgs, ChartArgs, InputArgs, RenderArgs, TilesArgs};
use bordermap::map::{MapSpec, View, check_size};
use bordermap::style::Style;
use jiff::civil::Date;

/// The project the flags describe.
pub fn project(args: &InputArgs) -> anyhow::Result<Project> {
    let mut project = match &args.config {
        Some(path) => Project::from_file(path)?,
        // A border given without --config describes a new project: only the layers named
        // are loaded, whatever ./bordermap.toml says.
        None if args.border.is_some() => {
            Project::new(Source::File(args.border.clone().unwrap_or_default()))
        }
        None if Path::new("bordermap.toml").is_file() => {
            Project::from_file(Path::new("bordermap.toml")).context("reading ./bordermap.toml")?
        }
        None => Project::embedded(),
    };
    if let Some(p) = &args.border {
        project.border = Source::File(p.clone());
    }
    if let Some(p) = &args.posts {
        project.posts = Some(Source::File(p.clone()));
    }
    if let Some(p) = &args.places {
        project.places = Some(Source::File(p.clone()));
    }
    if let Some(p) = &args.basemap {
        project.basemap = Some(Source::File(p.clone()));
    }
    if !args.incidents.is_empty() {
        project.incidents = args.incidents.iter().cloned().map(Source::File).collect();
    }
    Ok(project)
}

/// A validated `render` request.
#[derive(Debug)]
pub struct RenderPlan {
    /// What to draw.
    pub spec: MapSpec,
    /// How.
    pub style: Style,
    /// Where to write it.
    pub out: std::path::PathBuf,
}

/// The style named by `--style` or the project, else the shipped one.
fn style_of(flag: Option<&std::path::PathBuf>, project: &Project) -> anyhow::Result<Style> {
    Ok(match flag.or(project.style.as_ref()) {
        Some(path) => Style::from_file(path)?,
        None => Style::default_style(),
    })
}

/// Checks that an image output ends in .png or .svg; true for SVG.
fn image_out(out: &std::path::Path) -> anyhow::Result<bool> {
    let ext = out
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    anyhow::ensure!(
        ext == "png" || ext == "svg",
        "--out {}: expected a file ending in .png or .svg",
        out.display()
    );
    Ok(ext == "svg")
}

/// The size of `--preset NAME`.
fn preset_size(p: &str) -> anyhow::Result<(u32, u32)> {
    bordermap::map::preset(p).with_context(|| {
        let names: Vec<&str> = bordermap::map::PRESETS.iter().map(|p| p.0).collect();
        format!("--preset {p}: expected one of {}", names.join(", "))
    })
}

/// Parses `--km A-B`.
fn km_range(k: &str) -> anyhow::Result<(f64, f64)> {
    k.split_once('-')
        .and_then(|(x, y)| Some((x.trim().parse::<f64>().ok()?, y.trim().parse::<f64>().ok()?)))
        .with_context(|| format!("--km {k}: expected a range A-B in km, e.g. 1100-1500"))
}

fn date(flag: &str, s: &str) -> anyhow::Result<Date> {
    bordermap::load::props::parse_date(s)
        .with_context(|| format!("--{flag} {s}: expected a date YYYY-MM-DD"))
}

/// Checks every `render` flag before anything is loaded or drawn.
pub fn render(a: &RenderArgs, project: &Project) -> anyhow::Result<RenderPlan> {
    image_out(&a.out)?;
    let size = match &a.preset {
        Some(p) => {
            let (w, h) = preset_size(p)?;
            format!("{w}x{h}")
        }
        None => a.size.clone(),
    };
    let (w, h) = size
        .split_once('x')
        .and_then(|(w, h)| Some((w.trim().parse::<u32>().ok()?, h.trim().parse::<u32>().ok()?)))
        .with_context(|| {
            format!(
                "--size {}: expected WIDTHxHEIGHT in pixels, e.g. 1600x1000",
                a.size
            )
        })?;
    anyhow::ensure!(
        a.scale.is_finite() && (0.25..=8.0).contains(&a.scale),
        "--scale {}: expected a number from 0.25 to 8",
        a.scale
    );
    let (width, height) = (
        (w as f32 * a.scale).round() as u32,
        (h as f32 * a.scale).round() as u32,
    );
    check_size(
        if w == 0 { 0 } else { width },
        if h == 0 { 0 } else { height },
    )
    .map_err(|e| anyhow::anyhow!("--size {} --scale {}: {e}", a.size, a.scale))?;
    // Title, panel, legend and credits need room; below this the layout cannot hold them.
    const MIN: (u32, u32) = (400, 250);
    anyhow::ensure!(
        w >= MIN.0 && h >= MIN.1,
        "--size {w}x{h}: a map with its title, key and credits needs at least {}x{} pixels",
        MIN.0,
        MIN.1
    );
    let dates = dates(&a.date, &a.from, &a.to)?;
    let view = match (&a.bbox, &a.km) {
        (Some(b), _) => View::Bbox(bbox(b)?),
        (None, Some(k)) => {
            let (from, to) = km_range(k)?;
            anyhow::ensure!(from < to, "--km {k}: expected A < B");
            View::Km(from, to)
        }
        (None, None) => View::Border,
    };
    let style = style_of(a.style.as_ref(), project)?;
    Ok(RenderPlan {
        spec: MapSpec {
            width,
            height,
            scale: a.scale,
            view,
            dates,
            title: a.title.clone(),
        },
        style,
        out: a.out.clone(),
    })
}

/// Parses `--date` or `--from`/`--to` into an inclusive day range.
fn dates(
    date_arg: &Option<String>,
    from: &Option<String>,
    to: &Option<String>,
) -> anyhow::Result<Option<(Date, Date)>> {
    Ok(match (date_arg, from, to) {
        (Some(d), _, _) => {
            let d = date("date", d)?;
            Some((d, d))
        }
        (None, Some(f), Some(t)) => {
            let (f, t) = (date("from", f)?, date("to", t)?);
            anyhow::ensure!(
                f <= t,
                "--from {f} --to {t}: the range ends before it starts"
            );
            Some((f, t))
        }
        (None, Some(f), None) => Some((date("from", f)?, Date::MAX)),
        (None, None, Some(t)) => Some((Date::MIN, date("to", t)?)),
        (None, None, None) => None,
    })
}

/// Parses `--bbox lon_min,lat_min,lon_max,lat_max`.
fn bbox(b: &str) -> anyhow::Result<[f64; 4]> {
    let v: Vec<f64> = b
        .split(',')
        .map(|x| x.trim().parse::<f64>())
        .collect::<Result<_, _>>()
        .ok()
        .filter(|v: &Vec<f64>| v.len() == 4 && v.iter().all(|x| x.is_finite()))
        .with_context(|| format!("--bbox {b}: expected lon_min,lat_min,lon_max,lat_max"))?;
    let bb = [v[0], v[1], v[2], v[3]];
    anyhow::ensure!(
        bb[0] < bb[2] && bb[1] < bb[3],
        "--bbox {b}: the box is empty or inverted (expected lon_min < lon_max and lat_min < lat_max)"
    );
    anyhow::ensure!(
        bb[0] >= -180.0 && bb[2] <= 180.0 && bb[1] >= -85.0 && bb[3] <= 85.0,
        "--bbox {b}: expected longitudes within -180..180 and latitudes within -85..85"
    );
    Ok(bb)
}

/// Parses `--zoom A-B` (or one zoom), at most `max`.
fn zoom_range(z: &str, max: u8) -> anyhow::Result<(u8, u8)> {
    let parse = |s: &str| s.trim().parse::<u8>().ok();
    let (lo, hi) = match z.split_once('-') {
        Some((x, y)) => (parse(x), parse(y)),
        None => (parse(z), parse(z)),
    };
    let (Some(lo), Some(hi)) = (lo, hi) else {
        anyhow::bail!("--zoom {z}: expected a zoom range A-B such as 0-10, or one zoom");
    };
    anyhow::ensure!(
        lo <= hi,
        "--zoom {z}: the range is reversed (expected A <= B)"
    );
    anyhow::ensure!(hi <= max, "--zoom {z}: zooms go from 0 to {max}");
    Ok((lo, hi))
}

/// A validated `tiles` request (the zooms and box may still default from the data).
#[derive(Debug)]
pub struct TilesPlan {
    /// Zoom range, if given.
    pub zooms: Option<(u8, u8)>,
    /// Area, if given.
    pub bbox: Option<[f64; 4]>,
    /// Date window.
    pub dates: Option<(Date, Date)>,
    /// Style.
    pub style: Style,
    /// 256 or 512.
    pub tile_size: u32,
    /// 1, 2 or 3.
    pub scale: u32,
    /// PNG compression.
    pub png: bordermap::tiles::encode::PngMode,
    /// Worker threads.
    pub jobs: usize,
    /// Output format.
    pub format: bordermap::tiles::Format,
    /// Output path.
    pub out: std::path::PathBuf,
    /// `--shard I/N`.
    pub shard: Option<(u32, u32)>,
}

/// Parses `--shard I/N` (0-based, I < N).
pub fn shard(s: &str) -> anyhow::Result<(u32, u32)> {
    let parsed = s
        .split_once('/')
        .and_then(|(i, n)| Some((i.trim().parse::<u32>().ok()?, n.trim().parse::<u32>().ok()?)));
    let Some((i, n)) = parsed else {
        anyhow::bail!("--shard {s}: expected I/N, such as 0/4 (shards are numbered from 0)");
    };
    anyhow::ensure!(n >= 1, "--shard {s}: N must be at least 1");
    anyhow::ensure!(
        i < n,
        "--shard {s}: I must be below N (shards are numbered 0 to {})",
        n - 1
    );
    Ok((i, n))
}

/// Checks every `tiles` flag before anything is loaded or drawn.
pub fn tiles(a: &TilesArgs, project: &Project) -> anyhow::Result<TilesPlan> {
    use bordermap::tiles::{Format, encode::PngMode, xyz::MAX_ZOOM};
    let zooms = a
        .zoom
        .as_deref()
        .map(|z| zoom_range(z, MAX_ZOOM))
        .transpose()?;
    anyhow::ensure!(
        a.tile_size == 256 || a.tile_size == 512,
        "--tile-size {}: expected 256 or 512",
        a.tile_size
    );
    anyhow::ensure!(
        (1..=3).contains(&a.scale),
        "--scale {}: expected 1, 2 (@2x tiles) or 3",
        a.scale
    );
    let png = match a.png.as_str() {
        "fast" => PngMode::Fast,
        "best" => PngMode::Best,
        other => anyhow::bail!("--png {other}: expected fast or best"),
    };
    let jobs = match a.jobs {
        Some(0) => anyhow::bail!("--jobs 0: expected at least 1"),
        Some(n) => n.min(256),
        None => std::thread::available_parallelism().map_or(1, |n| n.get()),
    };
    let format = match &a.format {
        Some(f) => Format::from_name(f).map_err(anyhow::Error::msg)?,
        None => Format::from_path(&a.out)
            .map_err(|e| anyhow::anyhow!("--out {}: {e}", a.out.display()))?,
    };
    match format {
        Format::Dir => anyhow::ensure!(
            !a.out.exists() || a.out.is_dir(),
            "--out {}: exists and is not a directory (a directory output needs a directory path)",
            a.out.display()
        ),
        Format::Mbtiles | Format::Pmtiles => anyhow::ensure!(
            !a.out.is_dir(),
            "--out {}: is a directory (an archive output needs a file path)",
            a.out.display()
        ),
    }
    let style = style_of(a.style.as_ref(), project)?;
    Ok(TilesPlan {
        zooms,
        bbox: a.bbox.as_deref().map(bbox).transpose()?,
        dates: dates(&a.date, &a.from, &a.to)?,
        style,
        tile_size: a.tile_size,
        scale: a.scale,
        png,
        jobs,
        format,
        out: a.out.clone(),
        shard: a.shard.as_deref().map(shard).transpose()?,
    })
}

/// A validated `batch` request.
#[derive(Debug)]
pub struct BatchPlan {
    /// The map request every item starts from.
    pub template: MapSpec,
    /// The style.
    pub style: Style,
    /// Every item of the batch.
    pub items: Vec<bordermap::batch::Item>,
    /// This run's share, if sharded.
    pub shard: Option<(u32, u32)>,
    /// The directory the pattern writes under.
    pub dir: std::path::PathBuf,
    /// Worker threads.
    pub jobs: usize,
    /// With --tiles: the zoom range.
    pub zooms: Option<(u8, u8)>,
}

/// The shard index from the environment of a Kubernetes Indexed Job or a Slurm array.
fn env_index() -> anyhow::Result<Option<(String, u32)>> {
    for var in ["JOB_COMPLETION_INDEX", "SLURM_ARRAY_TASK_ID"] {
        if let Ok(v) = std::env::var(var) {
            let i = v
                .trim()
                .parse::<u32>()
                .with_context(|| format!("{var}={v}: expected a whole number"))?;
            return Ok(Some((var.to_string(), i)));
        }
    }
    Ok(None)
}

/// Checks every `batch` flag before anything is loaded or drawn.
pub fn batch(a: &BatchArgs, project: &Project) -> anyhow::Result<BatchPlan> {
    use bordermap::batch::{Every, Window, items};
    let (from, to) = (date("from", &a.from)?, date("to", &a.to)?);
    let every = match a.every.as_str() {
        "day" => Every::Day,
        "week" => Every::Week,
        "month" => Every::Month,
        other => anyhow::bail!("--every {other}: expected day, week or month"),
    };
    let window = match (a.window, a.cumulative) {
        (Some(n), _) => Window::Days(n),
        (None, true) => Window::Cumulative(from),
        (None, false) => Window::Period,
    };
    let all = items::items_of(from, to, every, window, &a.out_pattern, a.tiles)?;
    let shard = match (&a.shard, a.shards) {
        (Some(s), _) => Some(shard(s)?),
        (None, Some(n)) => {
            anyhow::ensure!(n >= 1, "--shards 0: expected at least 1");
            let i = match a.shard_index {
                Some(i) => i,
                None => match env_index()? {
                    Some((_, i)) => i,
                    None => anyhow::bail!(
                        "--shards {n}: no shard index: give --shard-index, or run as a Kubernetes Indexed Job (JOB_COMPLETION_INDEX) or a Slurm array task (SLURM_ARRAY_TASK_ID)"
                    ),
                },
            };
            anyhow::ensure!(
                i < n,
                "shard index {i} with --shards {n}: expected 0 to {}",
                n - 1
            );
            Some((i, n))
        }
        (None, None) => None,
    };
    let render = RenderArgs {
        inputs: a.inputs.clone(),
        date: None,
        from: None,
        to: None,
        bbox: a.bbox.clone(),
        km: a.km.clone(),
        size: a.size.clone(),
        scale: a.scale,
        title: a.title.clone(),
        style: a.style.clone(),
        out: "batch.png".into(),
        verbose: false,
        preset: a.preset.clone(),
    };
    let plan = self::render(&render, project)?;
    let jobs = match a.jobs {
        Some(0) => anyhow::bail!("--jobs 0: expected at least 1"),
        Some(n) => n.min(256),
        None => std::thread::available_parallelism().map_or(1, |n| n.get()),
    };
    let zooms = a.zoom.as_deref().map(|z| zoom_range(z, 16)).transpose()?;
    if let Some(anim) = &a.animate {
        let ext = anim
            .extension()
            .map(|e| e.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        anyhow::ensure!(
            ["gif", "png", "apng"].contains(&ext.as_str()),
            "--animate {}: expected a file ending in .gif, .png or .apng",
            anim.display()
        );
    }
    anyhow::ensure!(
        !(a.tiles && a.animate.is_some()),
        "--animate needs maps: it cannot be combined with --tiles"
    );
    Ok(BatchPlan {
        zooms,
        template: plan.spec,
        style: plan.style,
        dir: bordermap::batch::out_dir(&a.out_pattern),
        items: all,
        shard,
        jobs,
    })
}

/// A validated `chart` request.
#[derive(Debug)]
pub struct ChartPlan {
    /// Canvas width before `--scale`.
    pub width: u32,
    /// Canvas height before `--scale`.
    pub height: u32,
    /// Days shown, if given.
    pub dates: Option<(Date, Date)>,
    /// km range shown, if given.
    pub km: Option<(f64, f64)>,
    /// The style.
    pub style: Style,
    /// SVG rather than PNG.
    pub svg: bool,
}

/// Checks every `chart` flag before anything is loaded or drawn.
pub fn chart(a: &ChartArgs, project: &Project) -> anyhow::Result<ChartPlan> {
    let (width, height) = match (&a.preset, &a.size) {
        (Some(p), _) => preset_size(p)?,
        (None, Some(s)) => s
            .split_once('x')
            .and_then(|(w, h)| Some((w.trim().parse::<u32>().ok()?, h.trim().parse::<u32>().ok()?)))
            .with_context(|| {
                format!("--size {s}: expected WIDTHxHEIGHT in pixels, e.g. 1600x1000")
            })?,
        (None, None) => (1600, 1000),
    };
    anyhow::ensure!(
        a.scale.is_finite() && (0.25..=8.0).contains(&a.scale),
        "--scale {}: expected a number from 0.25 to 8",
        a.scale
    );
    let svg = image_out(&a.out)?;
    anyhow::ensure!(
        a.from.is_some() == a.to.is_some(),
        "give both --from and --to, or neither"
    );
    let km = a.km.as_deref().map(km_range).transpose()?;
    let style = style_of(a.style.as_ref(), project)?;
    Ok(ChartPlan {
        width,
        height,
        dates: dates(&None, &a.from, &a.to)?,
        km,
        style,
        svg,
    })
}
