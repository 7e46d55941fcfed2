//! The SVG backend of the painter: paths as `<path>`, text as `<text>` with its font
//! family, size and weight (editable in Illustrator or Inkscape), halos as a stroke painted
//! under the letters (`paint-order: stroke`). Every text element carries its box
//! (`data-box="x y w h"`, from the same shaping as the PNG) so tests can check layout.

use std::fmt::Write as _;

use tiny_skia::{FillRule, LineCap, LineJoin, Path, PathSegment, Stroke};

use super::paint::Painter;
use super::text::{Fonts, Shaped};
use crate::style::Rgba;

/// Collects SVG elements.
pub struct SvgPainter<'a> {
    fonts: &'a Fonts,
    width: u32,
    height: u32,
    body: String,
    /// Attributes added to the next element (e.g. `data-incident`), then cleared.
    next_attrs: String,
}

impl std::fmt::Debug for SvgPainter<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SvgPainter")
            .field("width", &self.width)
            .field("height", &self.height)
            .finish_non_exhaustive()
    }
}

fn color(c: Rgba) -> String {
    format!("#{:02x}{:02x}{:02x}", c.0[0], c.0[1], c.0[2])
}

fn opacity(c: Rgba, attr: &str) -> String {
    if c.0[3] == 255 {
        String::new()
    } else {
        format!(r#" {attr}="{:.3}""#, f32::from(c.0[3]) / 255.0)
    }
}

/// Escapes text for XML content and attribute values.
pub fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// SVG path data of a tiny-skia path.
pub fn path_data(path: &Path) -> String {
    let mut d = String::new();
    for seg in path.segments() {
        let _ = match seg {
            PathSegment::MoveTo(p) => write!(d, "M{:.2} {:.2}", p.x, p.y),
            PathSegment::LineTo(p) => write!(d, "L{:.2} {:.2}", p.x, p.y),
            PathSegment::QuadTo(a, p) => write!(d, "Q{:.2} {:.2} {:.2} {:.2}", a.x, a.y, p.x, p.y),
            PathSegment::CubicTo(a, b, p) => write!(
                d,
                "C{:.2} {:.2} {:.2} {:.2} {:.2} {:.2}",
                a.x, a.y, b.x, b.y, p.x, p.y
            ),
            PathSegment::Close => write!(d, "Z"),
        };
    }
    d
}

impl<'a> SvgPainter<'a> {
    /// Changes the drawing's height (a canvas grown for the key's continuation band).
    pub fn set_height(&mut self, height: u32) {
        self.height = height;
    }

    /// An empty drawing of `width`×`height` pixels.
    pub fn new(width: u32, height: u32, fonts: &'a Fonts) -> Self {
        Self {
            fonts,
            width,
            height,
            body: String::new(),
            next_attrs: String::new(),
        }
    }

    /// Adds `attrs` (already escaped, e.g. `data-km="12.5"`) to the next element drawn.
    pub fn tag_next(&mut self, attrs: &str) {
        self.next_attrs.push(' ');
        self.next_attrs.push_str(attrs);
    }

    /// Starts a named group (a layer in Illustrator and Inkscape).
    pub fn group(&mut self, id: &str) {
        let _ = writeln!(self.body, r#"<g id="{}">"#, escape(id));
    }

    /// Ends the group.
    pub fn end_group(&mut self) {
        self.body.push_str("</g>\n");
    }

    /// The finished document.
    pub fn finish(self) -> String {
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\">\n{body}</svg>\n",
            w = self.width,
            h = self.height,
            body = self.body
        )
    }

    fn take_attrs(&mut self) -> String {
        std::mem::take(&mut self.next_attrs)
    }
}

impl Painter for SvgPainter<'_> {
    fn fill_path(&mut self, path: &Path, c: Rgba, rule: FillRule, _anti_alias: bool) {
        let attrs = self.take_attrs();
        let rule = if rule == FillRule::EvenOdd {
            r#" fill-rule="evenodd""#
        } else {
            ""
        };
        let _ = writeln!(
            self.body,
            r#"<path d="{}" fill="{}"{}{rule}{attrs}/>"#,
            path_data(path),
            color(c),
            opacity(c, "fill-opacity")
        );
    }

    fn stroke_path(&mut self, path: &Path, c: Rgba, stroke: &Stroke) {
        let attrs = self.take_attrs();
        let cap = match stroke.line_cap {
            LineCap::Butt => "butt",
            LineCap::Round => "round",
            LineCap::Square => "square",
        };
        let join = match stroke.line_join {
            LineJoin::Round => "round",
            LineJoin::Bevel => "bevel",
            _ => "miter",
        };
        let _ = writeln!(
            self.body,
            r#"<path d="{}" fill="none" stroke="{}"{} stroke-width="{:.2}" stroke-linecap="{cap}" stroke-linejoin="{join}"{attrs}/>"#,
            path_data(path),
            color(c),
            opacity(c, "stroke-opacity"),
            stroke.width
        );
    }

    fn stroke_dashed(&mut self, path: &Path, c: Rgba, width: f32, dash: &[f32]) {
        let attrs = self.take_attrs();
        let dashes: Vec<String> = dash.iter().map(|d| format!("{d:.2}")).collect();
        let _ = writeln!(
            self.body,
            r#"<path d="{}" fill="none" stroke="{}"{} stroke-width="{width:.2}" stroke-linecap="round" stroke-linejoin="round" stroke-dasharray="{}"{attrs}/>"#,
            path_data(path),
            color(c),
            opacity(c, "stroke-opacity"),
            dashes.join(" ")
        );
    }

    fn text(&mut self, shaped: &Shaped, x: f32, baseline: f32, c: Rgba, halo: Option<(Rgba, f32)>) {
        let attrs = self.take_attrs();
        let (family, weight) = shaped.css_font();
        let halo = halo
            .filter(|h| h.1 > 0.0)
            .map(|(hc, w)| {
                format!(
                    r#" stroke="{}" stroke-width="{:.2}" stroke-linejoin="round" paint-order="stroke""#,
                    color(hc),
                    2.0 * w
                )
            })
            .unwrap_or_default();
        let _ = writeln!(
            self.body,
            r#"<text x="{x:.2}" y="{baseline:.2}" font-family="{family}" font-size="{:.2}" font-weight="{weight}" fill="{}"{}{halo} data-box="{:.2} {:.2} {:.2} {:.2}"{attrs}>{}</text>"#,
            shaped.size(),
            color(c),
            opacity(c, "fill-opacity"),
            x,
            baseline - shaped.ascent,
            shaped.width,
            shaped.height(),
            escape(&shaped.text)
        );
    }

    fn fonts(&self) -> &Fonts {
        self.fonts
    }

    fn tag(&mut self, attrs: &str) {
        self.tag_next(attrs);
    }
}
