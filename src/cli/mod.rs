//! Command-line flags (clap) and their translation into a validated plan.
//!
//! This module belongs to the binary only: the library never sees clap.

pub mod plan;

use std::path::PathBuf;

use clap::{Args as ClapArgs, Parser, Subcommand};

/// bordermap: maps of border incidents, from reporting to print.
#[derive(Debug, Parser)]
#[command(name = "bordermap", version, about, long_about = None)]
pub struct Args {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Load every input, report problems and print a summary.
    Validate {
        /// Inputs.
        #[command(flatten)]
        inputs: InputArgs,
    },
    /// Attach points to the border: km along it, signed offset, side, nearest post.
    Locate(LocateArgs),
    /// Draw an annotated PNG map.
    Render(RenderArgs),
    /// Write one combined GeoJSON (border, posts, incidents) that QGIS opens typed.
    Export(ExportArgs),
    /// Write XYZ raster tiles of the map: a directory, an .mbtiles or a .pmtiles file.
    Tiles(TilesArgs),
    /// Serve an .mbtiles or .pmtiles file with its preview page on 127.0.0.1.
    Serve(ServeArgs),
    /// Join shard archives written with `tiles --shard I/N` into one.
    Merge(MergeArgs),
    /// One map per day, week or month over a date range, in parallel.
    Batch(BatchArgs),
    /// Chart incidents by km along the border and date (PNG or SVG).
    Chart(ChartArgs),
}

/// Flags of `chart`.
#[derive(Debug, ClapArgs)]
pub struct ChartArgs {
    /// Inputs.
    #[command(flatten)]
    pub inputs: InputArgs,
    /// First day shown (YYYY-MM-DD) [default: the first incident's].
    #[arg(long)]
    pub from: Option<String>,
    /// Last day shown (YYYY-MM-DD) [default: the last incident's].
    #[arg(long)]
    pub to: Option<String>,
    /// Stretch of border shown, km A-B [default: all of it].
    #[arg(long)]
    pub km: Option<String>,
    /// Size WIDTHxHEIGHT [default: 1600x1000].
    #[arg(long, conflicts_with = "preset")]
    pub size: Option<String>,
    /// A named size: default, small, wide, square, portrait, print.
    #[arg(long)]
    pub preset: Option<String>,
    /// Pixel density.
    #[arg(long, default_value_t = 1.0)]
    pub scale: f32,
    /// Style file (TOML).
    #[arg(long, value_name = "FILE")]
    pub style: Option<PathBuf>,
    /// Title.
    #[arg(long)]
    pub title: Option<String>,
    /// Output: FILE.png or FILE.svg.
    #[arg(long, short, default_value = "output/chart.png")]
    pub out: PathBuf,
}

/// Flags of `batch`.
#[derive(Debug, ClapArgs)]
pub struct BatchArgs {
    /// Inputs.
    #[command(flatten)]
    pub inputs: InputArgs,
    /// First day (YYYY-MM-DD).
    #[arg(long)]
    pub from: String,
    /// Last day (YYYY-MM-DD).
    #[arg(long)]
    pub to: String,
    /// One map per day, week or month.
    #[arg(long, default_value = "day")]
    pub every: String,
    /// Each map shows the last N days up to its date.
    #[arg(long, conflicts_with = "cumulative")]
    pub window: Option<u32>,
    /// Each map shows everything from --from up to its date.
    #[arg(long)]
    pub cumulative: bool,
    /// Where each map goes: {date} is the item's first day, {n} its number.
    #[arg(long, default_value = "output/daily/{date}.png")]
    pub out_pattern: String,
    /// Title; {date} is replaced [default: from the border's name].
    #[arg(long)]
    pub title: Option<String>,
    /// Frame a lon/lat box: lon_min,lat_min,lon_max,lat_max.
    #[arg(long, allow_hyphen_values = true, conflicts_with = "km")]
    pub bbox: Option<String>,
    /// Frame a stretch of the border by km, e.g. 1100-1500.
    #[arg(long)]
    pub km: Option<String>,
    /// Layout size in pixels, WIDTHxHEIGHT.
    #[arg(long, default_value = "1600x1000", conflicts_with = "preset")]
    pub size: String,
    /// A named size: default, small, wide, square, portrait, print.
    #[arg(long)]
    pub preset: Option<String>,
    /// Pixel density.
    #[arg(long, default_value_t = 1.0)]
    pub scale: f32,
    /// Style file (TOML).
    #[arg(long, value_name = "FILE")]
    pub style: Option<PathBuf>,
    /// Worker threads [default: the number of cores].
    #[arg(long)]
    pub jobs: Option<usize>,
    /// Skip maps the manifest says are current; redraw only what changed.
    #[arg(long)]
    pub resume: bool,
    /// Take share I of N (0-based) of the items.
    #[arg(long, value_name = "I/N", conflicts_with = "shards")]
    pub shard: Option<String>,
    /// Split into N shares; this run's index comes from --shard-index,
    /// JOB_COMPLETION_INDEX (Kubernetes) or SLURM_ARRAY_TASK_ID (Slurm).
    #[arg(long, value_name = "N")]
    pub shards: Option<u32>,
    /// This run's share, with --shards.
    #[arg(long, value_name = "I")]
    pub shard_index: Option<u32>,
    /// Write the index (and the animation) once every shard is done; report missing maps.
    #[arg(long)]
    pub finish: bool,
    /// One tile set per item instead of a map: --out-pattern names a directory, a
    /// .pmtiles or an .mbtiles per item; unchanged metatiles are reused across days.
    #[arg(long)]
    pub tiles: bool,
    /// Zoom range of the daily tile sets, e.g. 0-10 (with --tiles).
    #[arg(long, requires = "tiles")]
    pub zoom: Option<String>,
    /// Also write an animation of the maps in date order: FILE.gif, or FILE.png / .apng (APNG).
    #[arg(long, value_name = "FILE")]
    pub animate: Option<PathBuf>,
    /// Hold time of each animation frame in milliseconds.
    #[arg(long, default_value_t = 800)]
    pub frame_ms: u16,
    /// No progress output.
    #[arg(short, long)]
    pub quiet: bool,
}

/// Flags of `merge`.
#[derive(Debug, ClapArgs)]
pub struct MergeArgs {
    /// The shard archives (.pmtiles or .mbtiles), every I of one N.
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// The merged archive.
    #[arg(long, short)]
    pub out: PathBuf,
}

/// Flags of `tiles`.
#[derive(Debug, ClapArgs)]
pub struct TilesArgs {
    /// Inputs.
    #[command(flatten)]
    pub inputs: InputArgs,
    /// Zoom range A-B (or one zoom) [default: 0 to where the border's detail runs out].
    #[arg(long)]
    pub zoom: Option<String>,
    /// Area to cover: lon_min,lat_min,lon_max,lat_max [default: the border's box plus 10 %].
    #[arg(long, allow_hyphen_values = true)]
    pub bbox: Option<String>,
    /// Only incidents on this day (YYYY-MM-DD).
    #[arg(long, conflicts_with_all = ["from", "to"])]
    pub date: Option<String>,
    /// First day of a date range (YYYY-MM-DD).
    #[arg(long)]
    pub from: Option<String>,
    /// Last day of a date range (YYYY-MM-DD).
    #[arg(long)]
    pub to: Option<String>,
    /// Style file (TOML) [default: the shipped style].
    #[arg(long, value_name = "FILE")]
    pub style: Option<PathBuf>,
    /// Tile size: 256, or 512 (the ground resolution of 256 px tiles one zoom deeper).
    #[arg(long, default_value_t = 256)]
    pub tile_size: u32,
    /// Pixel density: 2 writes @2x tiles (twice the pixels, every line and font doubled).
    #[arg(long, default_value_t = 1)]
    pub scale: u32,
    /// PNG compression: fast, or best (palette where possible, strongest deflate).
    #[arg(long, default_value = "fast")]
    pub png: String,
    /// Worker threads [default: the number of cores].
    #[arg(long)]
    pub jobs: Option<usize>,
    /// Output format [default: from --out: a directory, .mbtiles or .pmtiles].
    #[arg(long)]
    pub format: Option<String>,
    /// No progress output.
    #[arg(short, long)]
    pub quiet: bool,
    /// Keep finished metatiles in a cache beside the output and reuse them: a killed run
    /// started with --resume continues where it stopped; a changed incident redraws only
    /// the metatiles it touches.
    #[arg(long)]
    pub resume: bool,
    /// Render only part I of N (0-based): a contiguous range of tiles, for one machine of
    /// many; join the parts with `bordermap merge`.
    #[arg(long, value_name = "I/N")]
    pub shard: Option<String>,
    /// Skip the final flush of a tile directory to disk (scratch output: after a power
    /// loss its files may be empty; a crash of bordermap itself still leaves no half set).
    #[arg(long)]
    pub no_sync: bool,
    /// Output: a directory, FILE.mbtiles or FILE.pmtiles.
    #[arg(long, short)]
    pub out: PathBuf,
}

/// Flags of `serve`.
#[derive(Debug, ClapArgs)]
pub struct ServeArgs {
    /// The .mbtiles or .pmtiles file.
    pub file: PathBuf,
    /// Port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
}

/// Flags of `export`.
#[derive(Debug, ClapArgs)]
pub struct ExportArgs {
    /// Inputs.
    #[command(flatten)]
    pub inputs: InputArgs,
    /// Output GeoJSON.
    #[arg(long, short, default_value = "output/combined.geojson")]
    pub out: PathBuf,
    /// One file per layer (NAME.border.geojson, NAME.post.geojson, NAME.incident.geojson),
    /// each with a QGIS style sidecar (.qml).
    #[arg(long)]
    pub split: bool,
}

/// Flags of `render`.
#[derive(Debug, ClapArgs)]
pub struct RenderArgs {
    /// Inputs.
    #[command(flatten)]
    pub inputs: InputArgs,
    /// Only incidents on this day (YYYY-MM-DD).
    #[arg(long, conflicts_with_all = ["from", "to"])]
    pub date: Option<String>,
    /// First day of a date range (YYYY-MM-DD).
    #[arg(long)]
    pub from: Option<String>,
    /// Last day of a date range (YYYY-MM-DD).
    #[arg(long)]
    pub to: Option<String>,
    /// Frame a lon/lat box: lon_min,lat_min,lon_max,lat_max.
    #[arg(long, allow_hyphen_values = true, conflicts_with = "km")]
    pub bbox: Option<String>,
    /// Frame a stretch of the border by km, e.g. 1100-1500.
    #[arg(long)]
    pub km: Option<String>,
    /// Layout size in pixels, WIDTHxHEIGHT (the PNG is this times --scale).
    #[arg(long, default_value = "1600x1000")]
    pub size: String,
    /// A named size instead of --size: default, small, wide, square, portrait, print.
    #[arg(long)]
    pub preset: Option<String>,
    /// Pixel density: 2 doubles the canvas and every line, font, symbol, halo and offset.
    #[arg(long, default_value_t = 1.0)]
    pub scale: f32,
    /// Title (default: from the border's name).
    #[arg(long)]
    pub title: Option<String>,
    /// Style file (TOML) [default: the shipped style].
    #[arg(long, value_name = "FILE")]
    pub style: Option<PathBuf>,
    /// Output: FILE.png, or FILE.svg (editable vector: text as text).
    #[arg(long, short, default_value = "output/map.png")]
    pub out: PathBuf,
    /// Print a timing breakdown and the labels that could not be placed.
    #[arg(short, long)]
    pub verbose: bool,
}

/// Where the inputs come from: a project file, with per-layer overrides.
#[derive(Debug, Clone, Default, ClapArgs)]
pub struct InputArgs {
    /// Project file naming the inputs [default: ./bordermap.toml if present, else the shipped data].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Border line (GeoJSON LineString, MultiLineString or FeatureCollection).
    #[arg(long, value_name = "FILE")]
    pub border: Option<PathBuf>,
    /// Border posts (GeoJSON points).
    #[arg(long, value_name = "FILE")]
    pub posts: Option<PathBuf>,
    /// Context places (GeoJSON points with name and rank).
    #[arg(long, value_name = "FILE")]
    pub places: Option<PathBuf>,
    /// Country polygons (GeoJSON).
    #[arg(long, value_name = "FILE")]
    pub basemap: Option<PathBuf>,
    /// Incident files (GeoJSON); repeat for several.
    #[arg(long, value_name = "FILE")]
    pub incidents: Vec<PathBuf>,
    /// When some records are rejected, write the outputs from the records that loaded (and
    /// exit 0). Without it such a run writes nothing and exits 1, leaving existing outputs
    /// as they were.
    #[arg(long)]
    pub keep_going: bool,
}

/// Flags of `locate`.
#[derive(Debug, ClapArgs)]
pub struct LocateArgs {
    /// Inputs.
    #[command(flatten)]
    pub inputs: InputArgs,
    /// Longitude of one point (with --lat).
    #[arg(
        long,
        allow_hyphen_values = true,
        requires = "lat",
        conflicts_with = "points"
    )]
    pub lon: Option<f64>,
    /// Latitude of one point (with --lon).
    #[arg(long, allow_hyphen_values = true, requires = "lon")]
    pub lat: Option<f64>,
    /// A GeoJSON file of points; prints them back with the referencing added.
    #[arg(long, value_name = "FILE", required_unless_present = "lon")]
    pub points: Option<PathBuf>,
}
