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
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

/// Prints each problem once, with its causes, and says how many there were.
fn report(problems: &[LoadError]) {
    for p in problems {
        let mut line = format!("error: {p}");
        let mut source = std::error::Error::source(p);
        while let Some(s) = source {
            line.push_str(&format!(": {s}"));
            source = s.source();
        }
        eprintln!("{line}");
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
            eprintln!("note: {n}");
        }
    }
    data
}

fn run(args: Args) -> anyhow::Result<ExitCode> {
    match args.command {
        Command::Render(a) => render(&a),
        Command::Export(a) => export(&a),
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
    let data = loaded(load_project(&project))?;
    report(&data.problems);
    let load = t0.elapsed();
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
            eprintln!("label dropped (no room): {key}");
        }
    }
    println!("{}", plan.out.display());
    Ok(if data.problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn export(a: &cli::ExportArgs) -> anyhow::Result<ExitCode> {
    use anyhow::Context;

    let data = loaded(load(&a.inputs)?)?;
    report(&data.problems);
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
    Ok(if data.problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
