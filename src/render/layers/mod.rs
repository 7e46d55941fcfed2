//! The map layers, one file each, drawn in this order: countries, highlighted stretches,
//! the border, km marks, symbols (places, posts, incidents), labels.

pub mod border;
pub mod clusters;
pub mod countries;
pub mod highlights;
pub mod incidents;
pub mod km_marks;
pub mod labels;
pub mod places;
pub mod posts;
pub mod symbols;

/// Geometry in Mercator metres to frame pixels.
pub(crate) fn to_px(frame: &crate::projection::Frame, pts: &[(f64, f64)]) -> Vec<(f32, f32)> {
    pts.iter().map(|&(x, y)| frame.merc_to_px(x, y)).collect()
}
