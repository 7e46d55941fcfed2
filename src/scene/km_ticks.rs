//! km marks along the border: the step for a ground resolution, and tick positions per
//! step, computed once and shared by every frame.

use crate::dataset::Dataset;
use crate::projection::to_mercator;

/// Round steps the automatic choice picks from, in km.
pub const STEPS: [f64; 12] = [
    1.0, 2.0, 5.0, 10.0, 20.0, 25.0, 50.0, 100.0, 200.0, 250.0, 500.0, 1000.0,
];

/// At most this many ticks per step, whatever the style asks for.
pub const MAX_TICKS: f64 = 20_000.0;

/// One tick: its km, its position, and two points just before and after it that give
/// the line's direction, all in Mercator metres.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tick {
    /// km from the border's start.
    pub km: f64,
    /// Where the tick is.
    pub at: (f64, f64),
    /// 2 % of a step before.
    pub before: (f64, f64),
    /// 2 % of a step after.
    pub after: (f64, f64),
}

/// The tick step and the label step at `km_per_px`: the smallest round steps whose ticks
/// are at least 60 px apart and whose labels at least 130 px apart (`s` scales both).
/// A fixed `style_step` wins for ticks.
pub fn steps(km_per_px: f64, s: f32, style_step: f64) -> (f64, f64) {
    let step = if style_step > 0.0 {
        style_step
    } else {
        STEPS
            .into_iter()
            .find(|step| step / km_per_px >= f64::from(60.0 * s))
            .unwrap_or(1000.0)
    };
    let label = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|k| k * step)
        .find(|l| l / km_per_px >= f64::from(130.0 * s))
        .unwrap_or(step * 10.0);
    (step, label)
}

/// Every tick at multiples of `step` (not km 0, not the end).
pub fn ticks(data: &Dataset, step: f64) -> Vec<Tick> {
    let len = data.border.length_km();
    if step.is_nan() || step <= 0.0 || len / step > MAX_TICKS {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut n = 1u32;
    while f64::from(n) * step < len {
        let km = f64::from(n) * step;
        n += 1;
        let (Ok(p), Ok(a), Ok(b)) = (
            data.border.interpolate(km),
            data.border.interpolate((km - step * 0.02).max(0.0)),
            data.border.interpolate((km + step * 0.02).min(len)),
        ) else {
            continue;
        };
        out.push(Tick {
            km,
            at: to_mercator(p),
            before: to_mercator(a),
            after: to_mercator(b),
        });
    }
    out
}

/// Whether `km` is a multiple of `label_step`.
pub fn is_labelled(km: f64, label_step: f64) -> bool {
    (km / label_step).fract().abs() < 1e-9
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_grow_with_ground_resolution() {
        assert_eq!(steps(0.1, 1.0, 0.0), (10.0, 20.0));
        assert_eq!(steps(1.0, 1.0, 0.0), (100.0, 200.0));
        assert_eq!(steps(1.0, 2.0, 0.0), (200.0, 400.0));
        assert_eq!(steps(1.0, 1.0, 25.0).0, 25.0);
    }
}
