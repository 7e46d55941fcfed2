//! Text: embedded Noto fonts, shaped with rustybuzz (HarfBuzz's algorithms), drawn as
//! glyph outlines with tiny-skia.
//!
//! Arabic-script text (Pashto, Dari, Urdu) is set in Noto Naskh Arabic; rustybuzz picks
//! right-to-left direction and joined letter forms from the text itself.

use std::collections::HashMap;
use std::sync::RwLock;

use rustybuzz::ttf_parser::{GlyphId, OutlineBuilder};
use rustybuzz::{Face, ShapePlan, UnicodeBuffer};
use tiny_skia::{FillRule, Path, PathBuilder, PixmapMut, Transform};

/// Which face of the font set to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Weight {
    /// Regular text.
    Regular,
    /// Titles and emphasis.
    Bold,
}

const EMBEDDED: &[(&str, &[u8])] = &[
    (
        "Noto Sans",
        include_bytes!("../../assets/fonts/NotoSans-Regular.ttf"),
    ),
    (
        "Noto Sans Bold",
        include_bytes!("../../assets/fonts/NotoSans-Bold.ttf"),
    ),
    (
        "Noto Naskh Arabic",
        include_bytes!("../../assets/fonts/NotoNaskhArabic-Regular.ttf"),
    ),
];

/// Names of the fonts compiled into the binary.
pub fn embedded_names() -> Vec<&'static str> {
    EMBEDDED.iter().map(|(n, _)| *n).collect()
}

/// The fonts a map uses: regular, bold, and one for Arabic script.
pub struct Fonts {
    faces: [Face<'static>; 3],
    outlines: RwLock<HashMap<(usize, u16), Option<Path>>>,
    /// Shape plans by font, direction and script: building one costs more than shaping.
    plans: RwLock<HashMap<PlanKey, std::sync::Arc<ShapePlan>>>,
    /// Rasterised glyphs (coverage, and coverage dilated for halos), see [`GlyphKey`].
    glyphs: RwLock<HashMap<GlyphKey, std::sync::Arc<Coverage>>>,
}

/// Font index, right-to-left, script tag.
type PlanKey = (usize, bool, [u8; 4]);

/// A glyph rasterised at one size, quarter-pixel phase and halo radius (0 for the glyph).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct GlyphKey {
    font: usize,
    glyph: u16,
    size_bits: u32,
    phase: u8,
    halo_bits: u32,
}

/// A coverage bitmap placed relative to the glyph origin.
#[derive(Debug)]
struct Coverage {
    left: i32,
    top: i32,
    width: usize,
    height: usize,
    data: Vec<u8>,
}

impl std::fmt::Debug for Fonts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fonts").finish_non_exhaustive()
    }
}

/// A font could not be found or read.
#[derive(Debug, thiserror::Error)]
#[error("font \"{name}\" is neither an embedded font ({}) nor a readable TrueType/OpenType file{}", embedded_names().join(", "), detail.as_ref().map(|d| format!(": {d}")).unwrap_or_default())]
pub struct FontError {
    /// The name or path given.
    pub name: String,
    /// Why a file could not be used.
    pub detail: Option<String>,
}

fn face(name: &str) -> Result<Face<'static>, FontError> {
    if let Some((_, data)) = EMBEDDED.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)) {
        return Face::from_slice(data, 0).ok_or_else(|| FontError {
            name: name.into(),
            detail: Some("embedded font is corrupt".into()),
        });
    }
    let bytes =
        crate::io::read_capped(std::path::Path::new(name), crate::io::MAX_FONT).map_err(|e| {
            FontError {
                name: name.into(),
                detail: Some(e.to_string()),
            }
        })?;
    // A font file named in a style lives as long as the process, like the embedded ones.
    let bytes: &'static [u8] = Box::leak(bytes.into_boxed_slice());
    Face::from_slice(bytes, 0).ok_or_else(|| FontError {
        name: name.into(),
        detail: Some("not a TrueType/OpenType font".into()),
    })
}

/// A shaped line of text, positioned in pixels from its left end on the baseline.
#[derive(Debug, Clone)]
pub struct Shaped {
    font: usize,
    size: f32,
    /// The text as given, for vector output.
    pub text: String,
    /// Glyphs in visual order: face index, glyph id, x and y offsets in pixels.
    glyphs: Vec<(usize, u16, f32, f32)>,
    /// Whether runs of more than one face were used (mixed scripts).
    mixed: bool,
    /// Advance width in pixels.
    pub width: f32,
    /// Height above the baseline in pixels.
    pub ascent: f32,
    /// Depth below the baseline in pixels (positive).
    pub descent: f32,
}

impl Shaped {
    /// Font size in pixels.
    pub fn size(&self) -> f32 {
        self.size
    }

    /// The CSS font family and weight of the face it was shaped with (embedded faces by
    /// name; a font file by its file stem).
    pub fn css_font(&self) -> (&'static str, &'static str) {
        if self.mixed {
            let weight = if self.glyphs.iter().any(|g| g.0 == 1) {
                "bold"
            } else {
                "normal"
            };
            return ("Noto Sans, Noto Naskh Arabic, sans-serif", weight);
        }
        match self.font {
            1 => ("Noto Sans, sans-serif", "bold"),
            2 => ("Noto Naskh Arabic, serif", "normal"),
            _ => ("Noto Sans, sans-serif", "normal"),
        }
    }

    /// Total line height.
    pub fn height(&self) -> f32 {
        self.ascent + self.descent
    }

    /// Line height used when stacking lines.
    pub fn size_line(&self) -> f32 {
        self.height() * 1.02
    }

    /// Ascent used to place the baseline inside a line box.
    pub fn line_ascent(&self) -> f32 {
        self.ascent
    }
}

/// Byte ranges of `text` in one script each (Arabic script, or not); spaces join the run
/// before them (or the first run). Western digits and punctuation go with the Latin face,
/// which has them (Noto Naskh Arabic has no brackets).
fn script_runs(text: &str) -> Vec<(usize, usize)> {
    let mut runs: Vec<(usize, usize, Option<bool>)> = Vec::new();
    for (i, c) in text.char_indices() {
        let end = i + c.len_utf8();
        let class = (!c.is_whitespace()).then(|| is_arabic_script(c));
        match runs.last_mut() {
            Some(last) if class.is_none() || last.2.is_none() || last.2 == class => {
                last.1 = end;
                if last.2.is_none() {
                    last.2 = class;
                }
            }
            _ => runs.push((i, end, class)),
        }
    }
    runs.into_iter().map(|(a, b, _)| (a, b)).collect()
}

fn is_arabic_script(c: char) -> bool {
    matches!(c as u32, 0x0600..=0x06FF | 0x0750..=0x077F | 0x08A0..=0x08FF | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF)
}

impl Fonts {
    /// Noto Sans regular and bold, and Noto Naskh Arabic, all embedded.
    pub fn embedded() -> Self {
        Self::new("Noto Sans", "Noto Sans Bold", "Noto Naskh Arabic").expect("embedded fonts parse")
    }

    /// A font set from embedded names or font file paths.
    pub fn new(regular: &str, bold: &str, arabic: &str) -> Result<Self, FontError> {
        Ok(Self {
            faces: [face(regular)?, face(bold)?, face(arabic)?],
            outlines: RwLock::new(HashMap::new()),
            plans: RwLock::new(HashMap::new()),
            glyphs: RwLock::new(HashMap::new()),
        })
    }

    /// Shapes one line of text at `size` pixels. Text mixing Arabic script with Latin (an
    /// Urdu title with an English name) is shaped run by run, each run with the face that
    /// has its letters; the runs are ordered by the line's first strong direction (a
    /// right-to-left line puts its runs right to left).
    pub fn shape(&self, text: &str, weight: Weight, size: f32) -> Shaped {
        let runs = script_runs(text);
        if runs.len() <= 1 {
            return self.shape_run(text, weight, size);
        }
        let rtl = text
            .chars()
            .find(|c| c.is_alphabetic())
            .is_some_and(is_arabic_script);
        let mut order: Vec<String> = Vec::new();
        for &(a, b) in &runs {
            let run = &text[a..b];
            // In a right-to-left line, the spaces and punctuation between a right-to-left
            // run and a left-to-right one take the line's direction: they stand apart,
            // reversed ("closed :سرحد"), not at the head of the Latin run.
            let lead = run
                .char_indices()
                .find(|(_, c)| c.is_alphanumeric())
                .map_or(run.len(), |(i, _)| i);
            if rtl && lead > 0 && !run.chars().next().is_some_and(is_arabic_script) {
                order.push(run[..lead].chars().rev().collect());
                if lead < run.len() {
                    order.push(run[lead..].to_string());
                }
            } else {
                order.push(run.to_string());
            }
        }
        if rtl {
            order.reverse();
        }
        let mut out: Option<Shaped> = None;
        for run in &order {
            let shaped = self.shape_run(run, weight, size);
            out = Some(match out {
                None => shaped,
                Some(mut acc) => {
                    let dx = acc.width;
                    acc.glyphs
                        .extend(shaped.glyphs.iter().map(|&(f, g, x, y)| (f, g, x + dx, y)));
                    acc.width += shaped.width;
                    acc.ascent = acc.ascent.max(shaped.ascent);
                    acc.descent = acc.descent.max(shaped.descent);
                    acc.mixed = true;
                    acc
                }
            });
        }
        let mut out = out.unwrap_or_else(|| self.shape_run(text, weight, size));
        out.text = text.to_string();
        out
    }

    /// Breaks `text` into lines no wider than `width` at `size` pixels (each word is
    /// measured once; the lines are then shaped whole, so kerning across words is kept).
    pub fn wrap(&self, text: &str, w: Weight, size: f32, width: f32) -> Vec<Shaped> {
        let space = self.shape(" ", w, size).width;
        let mut lines = Vec::new();
        let mut current = String::new();
        let mut current_w = 0.0;
        for word in text.split_whitespace() {
            let ww = self.shape(word, w, size).width;
            if !current.is_empty() && current_w + space + ww > width {
                lines.push(self.shape(&current, w, size));
                current.clear();
                current_w = 0.0;
            }
            if !current.is_empty() {
                current.push(' ');
                current_w += space;
            }
            current.push_str(word);
            current_w += ww;
        }
        if !current.is_empty() {
            lines.push(self.shape(&current, w, size));
        }
        lines
    }

    /// Shapes one run of one script with the face that has its letters.
    fn shape_run(&self, text: &str, weight: Weight, size: f32) -> Shaped {
        let font = if text.chars().any(is_arabic_script) {
            2
        } else if weight == Weight::Bold {
            1
        } else {
            0
        };
        let face = &self.faces[font];
        let mut buffer = UnicodeBuffer::new();
        buffer.push_str(text);
        buffer.guess_segment_properties();
        let (direction, script) = (buffer.direction(), buffer.script());
        let key = (
            font,
            direction == rustybuzz::Direction::RightToLeft,
            script.tag().to_bytes(),
        );
        let cached = self
            .plans
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(&key)
            .cloned();
        let plan = match cached {
            Some(p) => p,
            None => self
                .plans
                .write()
                .unwrap_or_else(|e| e.into_inner())
                .entry(key)
                .or_insert_with(|| {
                    std::sync::Arc::new(ShapePlan::new(face, direction, Some(script), None, &[]))
                })
                .clone(),
        };
        let out = rustybuzz::shape_with_plan(face, &plan, buffer);
        let scale = size / face.units_per_em() as f32;
        let mut x = 0.0;
        let mut glyphs = Vec::with_capacity(out.len());
        for (info, pos) in out.glyph_infos().iter().zip(out.glyph_positions()) {
            glyphs.push((
                font,
                info.glyph_id as u16,
                x + pos.x_offset as f32 * scale,
                pos.y_offset as f32 * scale,
            ));
            x += pos.x_advance as f32 * scale;
        }
        Shaped {
            font,
            size,
            text: text.to_string(),
            glyphs,
            mixed: false,
            width: x,
            ascent: f32::from(face.ascender()) * scale,
            descent: -f32::from(face.descender()) * scale,
        }
    }

    /// The outline of the shaped text with its left end on the baseline at (`x`, `y`).
    pub fn path(&self, shaped: &Shaped, x: f32, y: f32) -> Option<Path> {
        let mut pb = PathBuilder::new();
        for &(font, gid, gx, gy) in &shaped.glyphs {
            let scale = shaped.size / self.faces[font].units_per_em() as f32;
            if let Some(p) = self.outline(font, gid) {
                // Font units are y-up; pixels are y-down.
                let t = Transform::from_row(scale, 0.0, 0.0, -scale, x + gx, y - gy);
                if let Some(p) = p.clone().transform(t) {
                    pb.push_path(&p);
                }
            }
        }
        pb.finish()
    }

    /// A glyph's outline in font units, cached. Lookups take a shared lock, so rayon
    /// workers drawing labels at once do not wait on each other.
    fn outline(&self, font: usize, glyph: u16) -> Option<Path> {
        if let Some(p) = self
            .outlines
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(&(font, glyph))
        {
            return p.clone();
        }
        let path = {
            let mut b = Outline(PathBuilder::new());
            self.faces[font]
                .outline_glyph(GlyphId(glyph), &mut b)
                .and_then(|_| b.0.finish())
        };
        self.outlines
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .insert((font, glyph), path.clone());
        path
    }

    /// The coverage of one glyph at a size, quarter-pixel phase and halo radius.
    fn coverage(
        &self,
        shaped: &Shaped,
        (font, glyph): (usize, u16),
        phase: u8,
        halo: f32,
    ) -> Option<std::sync::Arc<Coverage>> {
        let key = GlyphKey {
            font,
            glyph,
            size_bits: shaped.size.to_bits(),
            phase,
            halo_bits: halo.to_bits(),
        };
        if let Some(c) = self
            .glyphs
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(&key)
        {
            return Some(c.clone());
        }
        let face = &self.faces[font];
        let scale = shaped.size / face.units_per_em() as f32;
        let outline = self.outline(font, glyph)?;
        let dx = f32::from(phase) / 4.0;
        let path = outline.transform(Transform::from_row(scale, 0.0, 0.0, -scale, dx, 0.0))?;
        let b = path.bounds();
        let pad = halo.ceil() as i32 + 1;
        let left = b.left().floor() as i32 - pad;
        let top = b.top().floor() as i32 - pad;
        let width = (b.right().ceil() as i32 + pad - left).max(1) as usize;
        let height = (b.bottom().ceil() as i32 + pad - top).max(1) as usize;
        let mut mask = tiny_skia::Mask::new(width as u32, height as u32)?;
        mask.fill_path(
            &path,
            FillRule::Winding,
            true,
            Transform::from_translate(-left as f32, -top as f32),
        );
        let data = if halo > 0.0 {
            dilate(mask.data(), width, height, halo)
        } else {
            mask.data().to_vec()
        };
        let c = std::sync::Arc::new(Coverage {
            left,
            top,
            width,
            height,
            data,
        });
        self.glyphs
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .insert(key, c.clone());
        Some(c)
    }

    /// Draws shaped text with its left end on the baseline at (`x`, `y`), with an optional
    /// halo `halo_px` wide around the letters.
    ///
    /// Glyphs are rasterised once per size and quarter-pixel phase and then blended, as
    /// text renderers do. The halo is each glyph's coverage dilated by a disc, combined by
    /// maximum over the label so overlapping halos do not darken each other.
    pub fn draw(
        &self,
        pixmap: &mut PixmapMut<'_>,
        shaped: &Shaped,
        x: f32,
        y: f32,
        color: tiny_skia::Color,
        halo: Option<(tiny_skia::Color, f32)>,
    ) {
        let baseline = y.round() as i32;
        let placed: Vec<(i32, u8, (usize, u16), f32)> = shaped
            .glyphs
            .iter()
            .map(|&(font, gid, gx, gy)| {
                let px = x + gx;
                let whole = px.floor();
                let phase = (((px - whole) * 4.0).round() as i32).clamp(0, 4);
                let (whole, phase) = if phase == 4 {
                    (whole + 1.0, 0)
                } else {
                    (whole, phase as u8)
                };
                (whole as i32, phase, (font, gid), gy)
            })
            .collect();
        if let Some((halo_color, width)) = halo.filter(|h| h.1 > 0.0) {
            let glyphs: Vec<(i32, i32, std::sync::Arc<Coverage>)> = placed
                .iter()
                .filter_map(|&(gx, phase, gid, gy)| {
                    self.coverage(shaped, gid, phase, width)
                        .map(|c| (gx, baseline - gy.round() as i32, c))
                })
                .collect();
            // One label-sized coverage buffer, max-combined.
            let (mut x0, mut y0, mut x1, mut y1) = (i32::MAX, i32::MAX, i32::MIN, i32::MIN);
            for (gx, gy, c) in &glyphs {
                x0 = x0.min(gx + c.left);
                y0 = y0.min(gy + c.top);
                x1 = x1.max(gx + c.left + c.width as i32);
                y1 = y1.max(gy + c.top + c.height as i32);
            }
            if x0 < x1 && y0 < y1 {
                let (w, h) = ((x1 - x0) as usize, (y1 - y0) as usize);
                let mut buf = vec![0u8; w * h];
                for (gx, gy, c) in &glyphs {
                    let (ox, oy) = ((gx + c.left - x0) as usize, (gy + c.top - y0) as usize);
                    for row in 0..c.height {
                        let src = &c.data[row * c.width..(row + 1) * c.width];
                        let dst = &mut buf[(oy + row) * w + ox..(oy + row) * w + ox + c.width];
                        for (d, s) in dst.iter_mut().zip(src) {
                            *d = (*d).max(*s);
                        }
                    }
                }
                blend(pixmap, x0, y0, w, h, &buf, halo_color);
            }
        }
        for &(gx, phase, gid, gy) in &placed {
            if let Some(c) = self.coverage(shaped, gid, phase, 0.0) {
                blend(
                    pixmap,
                    gx + c.left,
                    baseline - gy.round() as i32 + c.top,
                    c.width,
                    c.height,
                    &c.data,
                    color,
                );
            }
        }
    }
}

/// Source-over blend of `color` through a coverage bitmap at (`x`, `y`), clipped to the pixmap.
pub(crate) fn blend(
    pixmap: &mut PixmapMut<'_>,
    x: i32,
    y: i32,
    w: usize,
    h: usize,
    coverage: &[u8],
    color: tiny_skia::Color,
) {
    let src = premultiplied(color);
    let (pw, ph) = (pixmap.width() as i32, pixmap.height() as i32);
    // Clip the coverage rectangle to the pixmap once, then walk rows as slices.
    let (c0, c1) = ((-x).max(0), (pw - x).min(w as i32));
    let (r0, r1) = ((-y).max(0), (ph - y).min(h as i32));
    if c0 >= c1 || r0 >= r1 {
        return;
    }
    let data = pixmap.data_mut();
    for row in r0..r1 {
        let cov = &coverage[row as usize * w + c0 as usize..row as usize * w + c1 as usize];
        let start = ((y + row) * pw + x + c0) as usize * 4;
        blend_row(&mut data[start..start + cov.len() * 4], cov, src);
    }
}

/// Source-over blend of a premultiplied colour `src` through one row of coverage onto
/// one row of RGBA pixels.
pub(crate) fn blend_row(dst: &mut [u8], coverage: &[u8], src: [u32; 4]) {
    for (&k, px) in coverage.iter().zip(dst.chunks_exact_mut(4)) {
        if k == 0 {
            continue;
        }
        let k = u32::from(k);
        // Coverage-scaled premultiplied source over the destination.
        let sa = src[3] * k / 255;
        for (ch, d) in px.iter_mut().enumerate() {
            let s = src[ch] * k / 255;
            *d = (s + u32::from(*d) * (255 - sa) / 255).min(255) as u8;
        }
    }
}

/// A colour as premultiplied 0–255 channels.
pub(crate) fn premultiplied(color: tiny_skia::Color) -> [u32; 4] {
    let c = color.premultiply().to_color_u8();
    [
        u32::from(c.red()),
        u32::from(c.green()),
        u32::from(c.blue()),
        u32::from(c.alpha()),
    ]
}

/// Grey-scale dilation of a coverage mask by a disc of `radius` pixels: each pixel takes
/// the largest coverage within the disc, with a soft edge on the last half pixel.
fn dilate(src: &[u8], w: usize, h: usize, radius: f32) -> Vec<u8> {
    let r = radius.ceil() as isize;
    let mut offsets = Vec::new();
    for dy in -r..=r {
        for dx in -r..=r {
            let d = ((dx * dx + dy * dy) as f32).sqrt();
            let weight = (radius + 0.5 - d).clamp(0.0, 1.0);
            if weight > 0.0 {
                offsets.push((dx, dy, (weight * 256.0) as u16));
            }
        }
    }
    let mut out = vec![0u8; w * h];
    for y in 0..h as isize {
        for x in 0..w as isize {
            let mut best = 0u16;
            for &(dx, dy, wgt) in &offsets {
                let (sx, sy) = (x + dx, y + dy);
                if sx < 0 || sy < 0 || sx >= w as isize || sy >= h as isize {
                    continue;
                }
                let v = (u16::from(src[sy as usize * w + sx as usize]) * wgt) >> 8;
                best = best.max(v);
            }
            out[y as usize * w + x as usize] = best.min(255) as u8;
        }
    }
    out
}

struct Outline(PathBuilder);

impl OutlineBuilder for Outline {
    fn move_to(&mut self, x: f32, y: f32) {
        self.0.move_to(x, y);
    }
    fn line_to(&mut self, x: f32, y: f32) {
        self.0.line_to(x, y);
    }
    fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
        self.0.quad_to(x1, y1, x, y);
    }
    fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
        self.0.cubic_to(x1, y1, x2, y2, x, y);
    }
    fn close(&mut self) {
        self.0.close();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin_shapes_with_kerning_width() {
        let fonts = Fonts::embedded();
        let s = fonts.shape("Torkham", Weight::Regular, 20.0);
        assert_eq!(s.glyphs.len(), 7);
        assert!(s.width > 60.0 && s.width < 90.0, "{}", s.width);
    }

    #[test]
    fn arabic_script_is_joined_and_right_to_left() {
        let fonts = Fonts::embedded();
        // "طورخم" (Torkham): 5 letters; joined forms are distinct glyphs from isolated ones.
        let joined = fonts.shape("طورخم", Weight::Regular, 20.0);
        let isolated: Vec<u16> = "طورخم"
            .chars()
            .map(|c| fonts.shape(&c.to_string(), Weight::Regular, 20.0).glyphs[0].1)
            .collect();
        assert_eq!(joined.font, 2);
        let ids: Vec<u16> = joined.glyphs.iter().map(|g| g.1).collect();
        assert_ne!(ids, isolated, "contextual forms were applied");
        // Visual order is right to left: HarfBuzz emits the last character's glyph first.
        let mut buffer = UnicodeBuffer::new();
        buffer.push_str("طورخم");
        buffer.guess_segment_properties();
        assert_eq!(buffer.direction(), rustybuzz::Direction::RightToLeft);
        let out = rustybuzz::shape(&fonts.faces[2], &[], buffer);
        let clusters: Vec<u32> = out.glyph_infos().iter().map(|g| g.cluster).collect();
        assert!(clusters.windows(2).all(|w| w[0] > w[1]), "{clusters:?}");
    }

    #[test]
    fn mixed_scripts_are_shaped_run_by_run_without_missing_glyphs() {
        let fonts = Fonts::embedded();
        for text in [
            "Torkham طورخم crossing",
            "طورخم Torkham",
            "Chaman: چمن (2025)",
        ] {
            let s = fonts.shape(text, Weight::Bold, 20.0);
            assert!(s.mixed, "{text}");
            // Glyph 0 is .notdef, the tofu box: every letter found a glyph.
            assert!(s.glyphs.iter().all(|g| g.1 != 0), "{text}: {:?}", s.glyphs);
            assert!(s.glyphs.iter().any(|g| g.0 == 2) && s.glyphs.iter().any(|g| g.0 != 2));
            // Glyphs advance left to right across the runs.
            let xs: Vec<f32> = s.glyphs.iter().map(|g| g.2).collect();
            assert!(s.width > 0.0 && xs.iter().all(|&x| x <= s.width));
        }
        assert_eq!(script_runs("abc def"), vec![(0, 7)]);
        assert_eq!(script_runs("ab طو cd").len(), 3);
        // One script: the same as before, one face.
        assert!(!fonts.shape("Torkham", Weight::Regular, 12.0).mixed);
    }
}
