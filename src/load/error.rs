//! Load errors: each names the file, the place in it, the field and what was expected.

use std::fmt;
use std::path::PathBuf;

/// Where in a file a problem is.
#[derive(Debug, Clone, PartialEq)]
pub enum Place {
    /// The file as a whole.
    File,
    /// A JSON syntax position.
    LineColumn {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
    },
    /// A GeoJSON feature: 0-based index in the collection, and its id when it has one.
    Feature {
        /// Index in the FeatureCollection.
        index: usize,
        /// The feature's id, if it could be read.
        id: Option<String>,
    },
    /// A CSV row: 1-based line in the file, and the record's id when it has one.
    Row {
        /// 1-based line number where the record starts.
        line: u64,
        /// The record's id, if it could be read.
        id: Option<String>,
    },
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::File => Ok(()),
            Self::LineColumn { line, column } => write!(f, ":{line}:{column}"),
            Self::Feature {
                index,
                id: Some(id),
            } => write!(f, ": feature {index} (id \"{id}\")"),
            Self::Feature { index, id: None } => write!(f, ": feature {index}"),
            Self::Row { line, id: Some(id) } => write!(f, ": line {line} (id \"{id}\")"),
            Self::Row { line, id: None } => write!(f, ": line {line}"),
        }
    }
}

/// A problem with one input file.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LoadError {
    /// The file could not be read.
    #[error("{path}: cannot read the file")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The file is empty or only white space.
    #[error("{path}: the file is empty, expected {expected}")]
    Empty {
        /// The file.
        path: PathBuf,
        /// What the file should hold.
        expected: &'static str,
    },
    /// The file is not valid JSON (or CSV).
    #[error("{path}{place}: {message}")]
    Syntax {
        /// The file.
        path: PathBuf,
        /// Line and column.
        place: Place,
        /// What the parser said, with a hint where one helps.
        message: String,
    },
    /// A record's field is missing or wrong.
    #[error("{path}{place}: `{field}` {problem}")]
    Field {
        /// The file.
        path: PathBuf,
        /// Which record.
        place: Place,
        /// The field (property name, `geometry`, or a column name).
        field: String,
        /// What is wrong, saying what was expected.
        problem: String,
    },
    /// A problem with the file's content as a whole.
    #[error("{path}{place}: {problem}")]
    Content {
        /// The file.
        path: PathBuf,
        /// Where, if it can be narrowed down.
        place: Place,
        /// What is wrong.
        problem: String,
    },
}

impl LoadError {
    /// A field error.
    pub fn field(
        path: &std::path::Path,
        place: Place,
        field: impl Into<String>,
        problem: impl Into<String>,
    ) -> Self {
        Self::Field {
            path: path.to_path_buf(),
            place,
            field: field.into(),
            problem: problem.into(),
        }
    }

    /// A whole-content error.
    pub fn content(path: &std::path::Path, place: Place, problem: impl Into<String>) -> Self {
        Self::Content {
            path: path.to_path_buf(),
            place,
            problem: problem.into(),
        }
    }
}

/// What one loader produced: the records it could read and the problems of the others.
#[derive(Debug)]
pub struct Loaded<T> {
    /// Records read without problems.
    pub items: Vec<T>,
    /// One entry per rejected record or field, in file order.
    pub problems: Vec<LoadError>,
    /// Things worth saying that are not errors (e.g. a file read as Windows-1252).
    pub notes: Vec<String>,
}

impl<T> Loaded<T> {
    /// An empty result.
    pub fn new() -> Self {
        Self {
            items: Vec::new(),
            problems: Vec::new(),
            notes: Vec::new(),
        }
    }
}

impl<T> Default for Loaded<T> {
    fn default() -> Self {
        Self::new()
    }
}
