//! Which base-map countries lie left and right of the border.

use std::collections::HashMap;

use crate::dataset::Dataset;

/// The majority country 3 km left and right of the border at 19 points along it.
pub fn border_sides(data: &Dataset) -> (Option<String>, Option<String>) {
    let len = data.border.length_km();
    let mut left = HashMap::new();
    let mut right = HashMap::new();
    for k in 1..20 {
        let km = len * f64::from(k) / 20.0;
        let Ok(p) = data.border.interpolate(km) else {
            continue;
        };
        let Ok(q) = data.border.interpolate((km + 0.5).min(len)) else {
            continue;
        };
        let az = crate::geodesy::inverse(p, q).azimuth_start;
        for (offset, tally) in [(-90.0, &mut left), (90.0, &mut right)] {
            let (side, _) = crate::geodesy::direct(p, az + offset, 3.0);
            if let Some(c) = data.country_at(side) {
                *tally.entry(c).or_insert(0) += 1;
            }
        }
    }
    let top = |m: HashMap<String, i32>| {
        m.into_iter()
            .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
            .map(|(c, _)| c)
    };
    (top(left), top(right))
}
