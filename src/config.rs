//! The project file `bordermap.toml`: which inputs to load, and from where.
//!
//! Paths in the file are relative to the file's own directory. Without a project file
//! the shipped geodata embedded in the binary is used, so `bordermap render` works
//! from any directory on a fresh machine.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::load::LoadError;

/// Where one input comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    /// A file on disk.
    File(PathBuf),
    /// A copy of a shipped file compiled into the binary.
    Embedded {
        /// The shipped file's path in the repository.
        name: &'static str,
        /// Its text.
        text: &'static str,
    },
}

impl Source {
    /// The path to name in messages.
    pub fn path(&self) -> PathBuf {
        match self {
            Self::File(p) => p.clone(),
            Self::Embedded { name, .. } => PathBuf::from(format!("{name} (embedded)")),
        }
    }

    /// The file's bytes.
    pub fn read_bytes(&self) -> Result<std::borrow::Cow<'static, [u8]>, LoadError> {
        match self {
            Self::File(p) => crate::io::read_capped(p, crate::io::MAX_DATA)
                .map(Cow::Owned)
                .map_err(|source| LoadError::Read {
                    path: p.clone(),
                    source,
                }),
            Self::Embedded { text, .. } => Ok(Cow::Borrowed(text.as_bytes())),
        }
    }

    /// The file's text.
    pub fn read(&self) -> Result<Cow<'static, str>, LoadError> {
        Self::text_of(&self.path(), self.read_bytes()?)
    }

    /// Bytes as UTF-8 text, without copying them; `path` names the file in the error.
    pub fn text_of(path: &Path, bytes: Cow<'static, [u8]>) -> Result<Cow<'static, str>, LoadError> {
        let utf16 = bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]);
        let invalid = |e: std::str::Utf8Error| LoadError::Syntax {
            path: path.to_path_buf(),
            place: crate::load::Place::File,
            message: if utf16 {
                "the file is UTF-16 (it starts with a UTF-16 byte-order mark); save it as UTF-8"
                    .to_string()
            } else {
                format!(
                    "the file is not UTF-8 (invalid byte at offset {}); save it as UTF-8",
                    e.valid_up_to()
                )
            },
        };
        match bytes {
            Cow::Borrowed(b) => std::str::from_utf8(b).map(Cow::Borrowed).map_err(invalid),
            Cow::Owned(b) => String::from_utf8(b)
                .map(Cow::Owned)
                .map_err(|e| invalid(e.utf8_error())),
        }
    }

    /// The file name's extension, lower-case.
    pub fn extension(&self) -> String {
        let p = match self {
            Self::File(p) => p.clone(),
            Self::Embedded { name, .. } => PathBuf::from(name),
        };
        p.extension()
            .map(|e| e.to_string_lossy().to_lowercase())
            .unwrap_or_default()
    }
}

/// The inputs of one map project.
#[derive(Debug, Clone, PartialEq)]
pub struct Project {
    /// The border line (required).
    pub border: Source,
    /// Border posts and crossings.
    pub posts: Option<Source>,
    /// Towns and cities for context.
    pub places: Option<Source>,
    /// Country polygons.
    pub basemap: Option<Source>,
    /// Incident files (GeoJSON or CSV).
    pub incidents: Vec<Source>,
    /// A property name to read country codes from, before the usual ones.
    pub country_field: Option<String>,
    /// A style file, when the project names one.
    pub style: Option<PathBuf>,
    /// Column names for generic CSV incident files.
    pub csv: crate::load::csv::CsvColumns,
    /// Named stretches of the border (`[[sectors]]`), drawn as bands on charts.
    pub sectors: Vec<Sector>,
}

/// A named stretch of the border: `[[sectors]]` with `name`, `from_km`, `to_km`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sector {
    /// What the stretch is called.
    pub name: String,
    /// Where it starts, km along the border.
    pub from_km: f64,
    /// Where it ends.
    pub to_km: f64,
}

macro_rules! shipped {
    ($name:literal) => {
        Source::Embedded {
            name: concat!("geodata/", $name),
            text: include_str!(concat!("../geodata/", $name)),
        }
    };
}

impl Project {
    /// A project with only a border; add the other layers with struct update syntax.
    pub fn new(border: Source) -> Self {
        Self {
            border,
            posts: None,
            places: None,
            basemap: None,
            incidents: Vec::new(),
            country_field: None,
            style: None,
            csv: Default::default(),
            sectors: Vec::new(),
        }
    }

    /// The shipped Afghanistan–Pakistan data, embedded in the binary.
    pub fn embedded() -> Self {
        Self {
            border: shipped!("border.geojson"),
            posts: Some(shipped!("posts.geojson")),
            places: Some(shipped!("places.geojson")),
            basemap: Some(shipped!("basemap.geojson")),
            incidents: vec![shipped!("incidents.geojson")],
            country_field: None,
            style: None,
            csv: Default::default(),
            sectors: Vec::new(),
        }
    }

    /// Reads a project file.
    pub fn from_file(path: &Path) -> Result<Self, ConfigError> {
        let text = crate::io::read_capped(path, crate::io::MAX_SETTINGS)
            .and_then(|b| String::from_utf8(b).map_err(std::io::Error::other))
            .map_err(|source| ConfigError::Read {
                path: path.to_path_buf(),
                source,
            })?;
        let file: ProjectFile = toml::from_str(&text).map_err(|e| ConfigError::Parse {
            path: path.to_path_buf(),
            message: toml_message(&text, &e),
        })?;
        for (i, sec) in file.sectors.iter().enumerate() {
            let ok = sec.from_km.is_finite()
                && sec.to_km.is_finite()
                && 0.0 <= sec.from_km
                && sec.from_km < sec.to_km;
            if !ok {
                return Err(ConfigError::Parse {
                    path: path.to_path_buf(),
                    message: format!(
                        "sectors[{i}] ({}): from_km {} to_km {}: expected 0 <= from_km < to_km",
                        sec.name, sec.from_km, sec.to_km
                    ),
                });
            }
        }
        let dir = path.parent().unwrap_or(Path::new(""));
        let at = |p: PathBuf| Source::File(if p.is_absolute() { p } else { dir.join(p) });
        let layers = file.layers;
        Ok(Self {
            border: at(layers.border),
            posts: layers.posts.map(at),
            places: layers.places.map(at),
            basemap: layers.basemap.map(at),
            incidents: layers.incidents.into_iter().map(at).collect(),
            country_field: file.fields.and_then(|f| f.country),
            style: file
                .style
                .map(|s| if s.is_absolute() { s } else { dir.join(s) }),
            csv: file.csv.unwrap_or_default(),
            sectors: file.sectors,
        })
    }
}

/// A problem with the project file.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// It could not be read.
    #[error("{path}: cannot read the project file")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// It is not valid, with the line and key.
    #[error("{path}: {message}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// The TOML parser's message, with line, column and key.
        message: String,
    },
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProjectFile {
    layers: LayersFile,
    fields: Option<FieldsFile>,
    style: Option<PathBuf>,
    csv: Option<crate::load::csv::CsvColumns>,
    #[serde(default)]
    sectors: Vec<Sector>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LayersFile {
    border: PathBuf,
    posts: Option<PathBuf>,
    places: Option<PathBuf>,
    basemap: Option<PathBuf>,
    #[serde(default)]
    incidents: Vec<PathBuf>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FieldsFile {
    country: Option<String>,
}

/// A TOML error on one line: "line L, column C: what" (the parser's own text spans several
/// lines with a source excerpt).
pub fn toml_message(text: &str, e: &toml::de::Error) -> String {
    let what = e.message().trim_end().replace('\n', " ");
    match e.span() {
        Some(span) => {
            let before = &text[..span.start.min(text.len())];
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            format!("line {line}, column {column}: {what}")
        }
        None => what,
    }
}
