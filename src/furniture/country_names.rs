//! Country names: candidate points inside each country, clear of the border line.

use crate::projection::Frame;
use crate::render::clip;
use crate::render::labels::LabelRequest;
use crate::render::plan::Request;
use crate::render::text::Weight;
use crate::scene::{LabelText, Scene};

/// Label requests for the names of the countries drawn (`rings`: per country, its rings in
/// the frame's pixels; `border`: the border's runs in pixels). The two countries on the
/// border get the larger type.
pub fn requests(
    scene: &Scene<'_>,
    frame: &Frame,
    rings: &[crate::render::layers::countries::CountryRings],
    border: &[Vec<(f32, f32)>],
) -> Vec<Request> {
    let b = &scene.style.base;
    let s = scene.scale;
    let (left, right) = (&scene.base.sides.0, &scene.base.sides.1);
    let mut out = Vec::new();
    for (c, rings) in scene.data.countries.iter().zip(rings) {
        let focus =
            left.as_deref() == Some(c.code.as_str()) || right.as_deref() == Some(c.code.as_str());
        let name = c
            .properties
            .get("name")
            .and_then(|v| v.as_str())
            .unwrap_or(&c.code)
            .to_uppercase();
        // Letter-spaced with thin spaces.
        let spaced: String = name
            .chars()
            .flat_map(|ch| [ch, '\u{2009}'])
            .collect::<String>()
            .trim_end_matches('\u{2009}')
            .to_string();
        let size = if focus {
            b.country_label_size
        } else {
            b.country_label_size * 0.8
        };
        let text = LabelText::shape(
            scene.fonts,
            format!("country {}", c.code),
            &[(spaced, Weight::Bold)],
            size,
            s,
            b.country_label,
        );
        // Keep the name off the border line: half its width plus a margin.
        let points = label_points(rings, frame, border, text.size.0 / 2.0 + 12.0 * s);
        let Some(&anchor) = points.first() else {
            continue;
        };
        out.push((
            LabelRequest {
                key: text.key.clone(),
                size: text.size,
                anchor,
                radius: 0.0,
                priority: if focus { 20 } else { 10 },
                leader: false,
                centred: true,
                alternatives: points[1..].to_vec(),
            },
            text,
        ));
    }
    out
}

/// Points inside the country (its rings in pixels, even-odd) and inside the frame, at
/// least `clearance` pixels from the border line, best first: far from the frame's edges
/// and the line. Candidates for the country's name.
pub fn label_points(
    rings: &[Vec<(f32, f32)>],
    frame: &Frame,
    border: &[Vec<(f32, f32)>],
    clearance: f32,
) -> Vec<(f32, f32)> {
    if rings.is_empty() {
        return Vec::new();
    }
    let v = frame.viewport;
    let lines: Vec<Vec<(f32, f32)>> = border
        .iter()
        .map(|run| clip::simplify(&clip::thin(run, 1.0), 1.0))
        .collect();
    let mut scored: Vec<((f32, f32), f32)> = Vec::new();
    for i in 1..16 {
        for j in 1..10 {
            let (x, y) = (v.x + v.w * i as f32 / 16.0, v.y + v.h * j as f32 / 10.0);
            let inside = rings
                .iter()
                .filter(|r| clip::ring_contains(r, x, y))
                .count()
                % 2
                == 1;
            if !inside {
                continue;
            }
            let to_line = lines
                .iter()
                .flat_map(|l| l.windows(2))
                .map(|w| clip::segment_distance((x, y), w[0], w[1]))
                .fold(f32::INFINITY, f32::min);
            if to_line < clearance {
                continue;
            }
            let edge = (x - v.x)
                .min(v.right() - x)
                .min(y - v.y)
                .min(v.bottom() - y);
            scored.push(((x, y), edge.min(to_line)));
        }
    }
    scored.sort_by(|a, b| b.1.total_cmp(&a.1));
    scored.into_iter().take(10).map(|p| p.0).collect()
}
