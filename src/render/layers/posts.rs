//! Border posts, crossings and passes, by kind.

use crate::render::LegendItems;
use crate::render::paint::Painter;
use crate::render::symbols;
use crate::scene::Scene;

/// Draws post `i` at `at`.
pub fn draw(
    scene: &Scene<'_>,
    i: usize,
    (x, y): (f32, f32),
    p: &mut dyn Painter,
    legend: &mut LegendItems,
) {
    let Some(post) = scene.data.posts.get(i) else {
        return;
    };
    let st = &scene.style.posts;
    let r = st.size * scene.scale * 0.8;
    let kind = post.kind.as_deref().unwrap_or("post");
    let (path, filled) = symbols::post(kind, st.symbol, x, y, r);
    if let Some(path) = path {
        p.fill(&path, if filled { st.color } else { st.fill });
        p.stroke(&path, st.color, st.stroke_width * scene.scale);
    }
    legend.post_kinds.insert(kind.to_string());
}
