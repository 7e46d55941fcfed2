//! The painter interface every layer and every piece of furniture draws through, and its
//! tiny-skia backend.
//!
//! A layer asks for paths to be filled or stroked and shaped text to be set; it never
//! touches pixels. A vector backend (SVG) can therefore share every layer.

use tiny_skia::{
    FillRule, LineCap, LineJoin, Paint, Path, PathBuilder, PixmapMut, Rect, Stroke, StrokeDash,
    Transform,
};

use super::text::{Fonts, Shaped};
use crate::projection::PxRect;
use crate::style::Rgba;

/// What a map is drawn onto.
pub trait Painter {
    /// Fills `path` in `color`. `anti_alias: false` is for fills whose edges are covered
    /// by an outline drawn on top.
    fn fill_path(&mut self, path: &Path, color: Rgba, rule: FillRule, anti_alias: bool);
    /// Strokes `path` in `color`.
    fn stroke_path(&mut self, path: &Path, color: Rgba, stroke: &Stroke);
    /// Sets shaped text with its left end on the baseline at (`x`, `baseline`), with an
    /// optional halo (colour, width in pixels) around the letters.
    fn text(
        &mut self,
        shaped: &Shaped,
        x: f32,
        baseline: f32,
        color: Rgba,
        halo: Option<(Rgba, f32)>,
    );
    /// The fonts text is shaped with.
    fn fonts(&self) -> &Fonts;

    /// Tags the next element with attributes (`name="value"`, escaped) for vector output,
    /// so tests and editors can tell what it is; raster backends ignore it.
    fn tag(&mut self, _attrs: &str) {}

    /// Strokes polylines (in pixels) with round joins and caps. Backends may draw these
    /// faster than a general path (see [`super::polyline`]).
    fn polylines(&mut self, runs: &[Vec<(f32, f32)>], color: Rgba, width: f32) {
        let mut pb = PathBuilder::new();
        for run in runs {
            push_poly(&mut pb, run, false);
        }
        if let Some(path) = pb.finish() {
            self.stroke(&path, color, width);
        }
    }

    /// Fills `path` (non-zero winding, anti-aliased).
    fn fill(&mut self, path: &Path, color: Rgba) {
        self.fill_path(path, color, FillRule::Winding, true);
    }

    /// Strokes `path` with a round-joined line `width` pixels wide.
    fn stroke(&mut self, path: &Path, color: Rgba, width: f32) {
        self.stroke_path(path, color, &round_stroke(width));
    }

    /// Strokes `path` with a dashed round-joined line.
    fn stroke_dashed(&mut self, path: &Path, color: Rgba, width: f32, dash: &[f32]) {
        let mut st = round_stroke(width);
        st.dash = StrokeDash::new(dash.to_vec(), 0.0);
        self.stroke_path(path, color, &st);
    }

    /// Fills a rectangle.
    fn fill_rect(&mut self, r: PxRect, color: Rgba) {
        if let Some(rect) = Rect::from_xywh(r.x, r.y, r.w, r.h) {
            self.fill_path(
                &PathBuilder::from_rect(rect),
                color,
                FillRule::Winding,
                true,
            );
        }
    }

    /// A horizontal rule with square ends.
    fn hline(&mut self, x0: f32, x1: f32, y: f32, color: Rgba, width: f32) {
        let mut pb = PathBuilder::new();
        pb.move_to(x0, y);
        pb.line_to(x1, y);
        if let Some(p) = pb.finish() {
            let mut st = round_stroke(width);
            st.line_cap = LineCap::Butt;
            self.stroke_path(&p, color, &st);
        }
    }
}

/// A round-capped, round-joined stroke.
pub fn round_stroke(width: f32) -> Stroke {
    Stroke {
        width,
        line_cap: LineCap::Round,
        line_join: LineJoin::Round,
        ..Stroke::default()
    }
}

fn paint(c: Rgba, anti_alias: bool) -> Paint<'static> {
    let mut p = Paint::default();
    p.set_color(c.color());
    p.anti_alias = anti_alias;
    p
}

/// Draws into a caller's pixels with tiny-skia.
pub struct SkiaPainter<'a> {
    pixmap: PixmapMut<'a>,
    fonts: &'a Fonts,
}

impl<'a> SkiaPainter<'a> {
    /// A painter over `pixmap`.
    pub fn new(pixmap: PixmapMut<'a>, fonts: &'a Fonts) -> Self {
        Self { pixmap, fonts }
    }
}

impl Painter for SkiaPainter<'_> {
    fn fill_path(&mut self, path: &Path, color: Rgba, rule: FillRule, anti_alias: bool) {
        self.pixmap.fill_path(
            path,
            &paint(color, anti_alias),
            rule,
            Transform::identity(),
            None,
        );
    }

    fn stroke_path(&mut self, path: &Path, color: Rgba, stroke: &Stroke) {
        self.pixmap.stroke_path(
            path,
            &paint(color, true),
            stroke,
            Transform::identity(),
            None,
        );
    }

    fn text(
        &mut self,
        shaped: &Shaped,
        x: f32,
        baseline: f32,
        color: Rgba,
        halo: Option<(Rgba, f32)>,
    ) {
        self.fonts.draw(
            &mut self.pixmap,
            shaped,
            x,
            baseline,
            color.color(),
            halo.map(|(c, w)| (c.color(), w)),
        );
    }

    fn fonts(&self) -> &Fonts {
        self.fonts
    }

    fn polylines(&mut self, runs: &[Vec<(f32, f32)>], color: Rgba, width: f32) {
        super::polyline::stroke(&mut self.pixmap, runs, color, width);
    }
}

/// Appends a polyline (closed when `close`) to a path builder.
pub fn push_poly(pb: &mut PathBuilder, pts: &[(f32, f32)], close: bool) {
    if pts.len() < 2 {
        return;
    }
    pb.move_to(pts[0].0, pts[0].1);
    for p in &pts[1..] {
        pb.line_to(p.0, p.1);
    }
    if close {
        pb.close();
    }
}

/// A single straight segment as a path.
pub fn segment(a: (f32, f32), b: (f32, f32)) -> Option<Path> {
    let mut pb = PathBuilder::new();
    pb.move_to(a.0, a.1);
    pb.line_to(b.0, b.1);
    pb.finish()
}
