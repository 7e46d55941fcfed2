//! Loading inputs: border, posts, places, base map and incidents.
//!
//! Every loader takes a path (used in messages) and the file's text, so embedded data
//! and files on disk go through the same code. Problems with single records are
//! collected in [`Loaded::problems`]; the good records are kept.

pub mod csv;
pub mod csv_scan;
pub mod error;
pub mod incidents;
pub mod json;
pub mod layers;
pub mod props;
pub mod zone;

pub use error::{LoadError, Loaded, Place};
pub use json::Area;
pub use layers::{BorderLayer, basemap, border, places, posts};
