//! Incidents at the same or nearby places, grouped per plan (per map, or per zoom for tiles)
//! so that their symbols do not stack: one symbol with the count, one label naming the place
//! and the key numbers of its incidents.

use std::collections::HashMap;

use crate::render::text::Weight;
use crate::scene::{LabelText, Scene};

/// Groups points whose symbols would touch: `points` are (centre, radius); two join when
/// their centres are closer than the sum of their radii plus `gap`. Each group lists indices
/// into `points` in input order; the groups come in the order of their first member.
/// Linear in the number of points (a grid of cells the size of the largest join distance).
pub fn group(points: &[((f32, f32), f32)], gap: f32) -> Vec<Vec<usize>> {
    let reach = points.iter().map(|&(_, r)| r).fold(0.0, f32::max) * 2.0 + gap;
    if points.is_empty() || !(reach.is_finite() && reach > 0.0) {
        return points.iter().enumerate().map(|(i, _)| vec![i]).collect();
    }
    let cell = |(x, y): (f32, f32)| ((x / reach).floor() as i64, (y / reach).floor() as i64);
    let mut grid: HashMap<(i64, i64), Vec<usize>> = HashMap::new();
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for (i, &(p, r)) in points.iter().enumerate() {
        let (cx, cy) = cell(p);
        let mut joined = None;
        'search: for dx in -1..=1 {
            for dy in -1..=1 {
                for &g in grid.get(&(cx + dx, cy + dy)).into_iter().flatten() {
                    let (q, rq) = points[groups[g][0]];
                    let d = ((p.0 - q.0).powi(2) + (p.1 - q.1).powi(2)).sqrt();
                    if d < r + rq + gap {
                        joined = Some(g);
                        break 'search;
                    }
                }
            }
        }
        match joined {
            Some(g) => groups[g].push(i),
            None => {
                grid.entry((cx, cy)).or_default().push(groups.len());
                groups.push(vec![i]);
            }
        }
    }
    groups
}

/// Groups as [`group`] does, then groups whose own symbols (at their members' mean, of
/// radius `radius(members)`) would still touch are merged, until none do.
pub fn settle(
    points: &[((f32, f32), f32)],
    gap: f32,
    radius: impl Fn(&[usize]) -> f32,
) -> Vec<Vec<usize>> {
    let mut groups = group(points, gap);
    for _ in 0..8 {
        let symbols: Vec<((f32, f32), f32)> = groups
            .iter()
            .map(|g| {
                let n = g.len() as f32;
                let x = g.iter().map(|&i| points[i].0.0).sum::<f32>() / n;
                let y = g.iter().map(|&i| points[i].0.1).sum::<f32>() / n;
                (
                    (x, y),
                    if g.len() > 1 {
                        radius(g)
                    } else {
                        points[g[0]].1
                    },
                )
            })
            .collect();
        let merged = group(&symbols, gap);
        if merged.len() == groups.len() {
            break;
        }
        groups = merged
            .into_iter()
            .map(|m| {
                let mut all: Vec<usize> = m.iter().flat_map(|&g| groups[g].clone()).collect();
                all.sort_unstable();
                all
            })
            .collect();
        groups.sort_by_key(|g| g[0]);
    }
    groups
}

/// Key numbers as a short list: "4, 7–9, 13".
pub fn numbers_text(numbers: &[usize]) -> String {
    let mut sorted = numbers.to_vec();
    sorted.sort_unstable();
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < sorted.len() {
        let mut j = i;
        while j + 1 < sorted.len() && sorted[j + 1] == sorted[j] + 1 {
            j += 1;
        }
        parts.push(match j - i {
            0 => sorted[i].to_string(),
            1 => format!("{}, {}", sorted[i], sorted[j]),
            _ => format!("{}–{}", sorted[i], sorted[j]),
        });
        i = j + 1;
    }
    parts.join(", ")
}

/// The label of a group of incidents (indices into the scene's incidents): the place and
/// how many, then their key numbers and dates.
pub fn label(scene: &Scene<'_>, members: &[usize]) -> LabelText {
    let st = &scene.style.incidents;
    let shown: Vec<_> = members.iter().map(|&i| &scene.incidents[i]).collect();
    let place = shown
        .iter()
        .find_map(|x| crate::words::place_name(x.incident, scene.data));
    let head = match place {
        Some(p) => format!("{p}: {} incidents", shown.len()),
        None => format!("{} incidents", shown.len()),
    };
    let numbers: Vec<usize> = shown.iter().map(|x| x.number).collect();
    let first = shown.iter().map(|x| x.incident.date).min();
    let last = shown
        .iter()
        .map(|x| x.incident.end_date.unwrap_or(x.incident.date))
        .max();
    let dates = match (first, last) {
        (Some(a), Some(b)) => crate::words::range_text(a, b),
        _ => String::new(),
    };
    let key = format!(
        "cluster {}",
        shown
            .iter()
            .map(|x| x.incident.id.as_str())
            .collect::<Vec<_>>()
            .join("+")
    );
    LabelText::shape(
        scene.fonts,
        key,
        &[
            (head, Weight::Bold),
            (
                format!("Nos. {} · {dates}", numbers_text(&numbers)),
                Weight::Regular,
            ),
        ],
        st.label_size,
        scene.scale,
        st.label_color,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn touching_symbols_group_and_distant_ones_do_not() {
        let pts = [
            ((0.0, 0.0), 6.0),
            ((100.0, 0.0), 6.0),
            ((8.0, 3.0), 6.0),
            ((13.0, 0.0), 6.0),
            ((300.0, 300.0), 6.0),
        ];
        assert_eq!(group(&pts, 2.0), vec![vec![0, 2, 3], vec![1], vec![4]]);
    }

    #[test]
    fn groups_whose_symbols_touch_merge() {
        // Two pairs 20 px apart: each pair groups, and their larger group symbols touch.
        let pts = [
            ((0.0, 0.0), 6.0),
            ((10.0, 0.0), 6.0),
            ((30.0, 0.0), 6.0),
            ((40.0, 0.0), 6.0),
        ];
        assert_eq!(group(&pts, 2.0).len(), 2);
        assert_eq!(settle(&pts, 2.0, |_| 15.0), vec![vec![0, 1, 2, 3]]);
        assert_eq!(settle(&pts, 2.0, |_| 6.0).len(), 2);
    }

    #[test]
    fn numbers_compress_to_ranges() {
        assert_eq!(numbers_text(&[13, 4, 7, 8, 9, 1, 2]), "1, 2, 4, 7–9, 13");
        assert_eq!(numbers_text(&[5]), "5");
    }
}
