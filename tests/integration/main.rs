//! Integration tests: one binary, one module per area.

mod errors;
mod linref;
mod render;
mod util;
