//! Turns raw flags into a [`Project`]: the project file, then per-layer overrides.

use std::path::Path;

use anyhow::Context;
use bordermap::config::{Project, Source};

use super::InputArgs;

/// The project the flags describe.
pub fn project(args: &InputArgs) -> anyhow::Result<Project> {
    let mut project = match &args.config {
        Some(path) => Project::from_file(path)?,
        None if Path::new("bordermap.toml").is_file() => {
            Project::from_file(Path::new("bordermap.toml")).context("reading ./bordermap.toml")?
        }
        // A border given alone describes a new project: only the layers named are loaded.
        None if args.border.is_some() => Project {
            border: Source::File(args.border.clone().unwrap_or_default()),
            posts: None,
            places: None,
            basemap: None,
            incidents: Vec::new(),
            country_field: None,
            style: None,
        },
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
