//! Integration tests: one binary, one module per area.
#![expect(
    clippy::unwrap_used,
    reason = "test helpers fail loudly on unexpected errors"
)]

mod batch;
mod chart;
mod errors;
mod fuzz;
mod hostile;
mod interchange;
mod linref;
mod presets;
mod regression;
mod render;
mod seams;
mod tiles;
mod util;
