//! bordermap turns border-incident reporting into maps.
//!
//! The pipeline: [`load`] reads a border line, posts, places, a base map and incidents
//! (each record keeping every input property); [`linref`] attaches everything to the
//! border by geodesic linear referencing; the renderer draws annotated maps and the
//! exporter writes one combined GeoJSON.

pub mod batch;
pub mod chart;
pub mod config;
pub mod dataset;
pub mod export;
pub mod furniture;
pub mod geodesy;
pub mod io;
pub mod linref;
pub mod load;
pub mod map;
pub mod model;
pub mod projection;
pub mod properties;
pub mod render;
pub mod scene;
pub mod style;
pub mod tiles;
pub mod words;

pub use dataset::Dataset;
pub use linref::{Border, Located};
pub use model::{Claim, Figure, Incident, LonLat, Post};
