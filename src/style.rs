//! Map styles: a TOML file of colours, sizes, symbols per incident kind, and layer
//! switches. The default style ships in `styles/default.toml` and is compiled in; a style
//! file given with `--style` is complete on its own (unknown keys are errors).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Deserializer};

/// A colour parsed from `#RRGGBB` or `#RRGGBBAA`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rgba(pub [u8; 4]);

impl Rgba {
    /// As a tiny-skia colour.
    pub fn color(self) -> tiny_skia::Color {
        tiny_skia::Color::from_rgba8(self.0[0], self.0[1], self.0[2], self.0[3])
    }

    /// Parses `#RRGGBB` or `#RRGGBBAA`.
    pub fn parse(s: &str) -> Option<Self> {
        let hex = s.strip_prefix('#')?;
        if !(hex.len() == 6 || hex.len() == 8) || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
        Some(Self([
            byte(0)?,
            byte(2)?,
            byte(4)?,
            if hex.len() == 8 { byte(6)? } else { 255 },
        ]))
    }
}

impl<'de> Deserialize<'de> for Rgba {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Rgba::parse(&s).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "invalid colour \"{s}\": expected #RRGGBB or #RRGGBBAA"
            ))
        })
    }
}

/// A symbol shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Symbol {
    /// Circle.
    Circle,
    /// Five-pointed star.
    Star,
    /// Triangle pointing down (a strike from above).
    Triangle,
    /// Eight-pointed burst.
    Burst,
    /// Square.
    Square,
    /// Circle with a bar (closed).
    Bar,
    /// Diamond.
    Diamond,
}

/// Style of one incident kind.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KindStyle {
    /// Fill colour.
    pub color: Rgba,
    /// Shape.
    pub symbol: Symbol,
    /// Legend text.
    pub label: String,
}

macro_rules! section {
    ($(#[$m:meta])* $name:ident { $($(#[$fm:meta])* $field:ident : $ty:ty),* $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, PartialEq, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct $name { $($(#[$fm])* pub $field: $ty),* }
    };
}

section!(
    /// Font names (embedded) or font file paths.
    Fonts { /// Regular text.
        regular: String, /// Bold text.
        bold: String, /// Arabic-script text.
        arabic: String });
section!(
    /// Which layers and furniture are drawn.
    Layers { /// Country fills and outlines.
        basemap: bool, /// The border line.
        border: bool, /// km ticks.
        km_marks: bool, /// Posts.
        posts: bool, /// Places.
        places: bool, /// Incidents.
        incidents: bool, /// Labels.
        labels: bool, /// Legend.
        legend: bool, /// Scale bar.
        scale_bar: bool, /// Inset locator map.
        inset: bool, /// Title and subtitle.
        title: bool, /// Sources line.
        sources: bool, /// Side panel with incident cards.
        panel: bool, /// Local-script names under post labels.
        local_names: bool });
/// Base map.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Base {
    /// Sea and off-map.
    pub background: Rgba,
    /// Country left of the border.
    pub left_fill: Rgba,
    /// Country right of the border.
    pub right_fill: Rgba,
    /// Other countries.
    pub other_fill: Rgba,
    /// Fills by country code, overriding the three above.
    #[serde(default)]
    pub fills: BTreeMap<String, Rgba>,
    /// Country outlines.
    pub outline: Rgba,
    /// Outline width.
    pub outline_width: f32,
    /// Country name colour.
    pub country_label: Rgba,
    /// Country name size.
    pub country_label_size: f32,
}

impl Base {
    /// The fill of a country: by code if listed, else by its side of the border.
    pub fn fill_for(&self, code: &str, left: Option<&str>, right: Option<&str>) -> Rgba {
        if let Some(c) = self.fills.get(code) {
            *c
        } else if Some(code) == left {
            self.left_fill
        } else if Some(code) == right {
            self.right_fill
        } else {
            self.other_fill
        }
    }
}

section!(
    /// The border line.
    BorderStyle { /// Line colour.
        color: Rgba, /// Line width.
        width: f32, /// Casing colour.
        casing: Rgba, /// Casing width.
        casing_width: f32, /// Colour of highlighted stretches.
        highlight: Rgba, /// Width of highlighted stretches.
        highlight_width: f32 });
section!(
    /// km ticks.
    KmMarks { /// Colour.
        color: Rgba, /// Tick length.
        tick_length: f32, /// Label size.
        label_size: f32, /// Step in km, 0 for automatic.
        step_km: f64 });
/// Posts.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Posts {
    /// Outline colour.
    pub color: Rgba,
    /// Fill colour.
    pub fill: Rgba,
    /// Symbol size (about the radius).
    pub size: f32,
    /// Outline width.
    #[serde(default = "default_post_stroke")]
    pub stroke_width: f32,
    /// Symbol for posts whose kind has none of its own (passes are triangles, military
    /// posts filled squares).
    #[serde(default = "default_post_symbol")]
    pub symbol: Symbol,
    /// Label size.
    pub label_size: f32,
    /// Label colour.
    pub label_color: Rgba,
}

fn default_post_stroke() -> f32 {
    1.5
}

fn default_post_symbol() -> Symbol {
    Symbol::Square
}

section!(
    /// Places.
    Places { /// Dot colour.
        color: Rgba, /// Dot size.
        size: f32, /// Label size.
        label_size: f32, /// Label colour.
        label_color: Rgba, /// Highest rank drawn (1 = capitals only).
        max_rank: u8 });
section!(
    /// Text and panels.
    Text { /// Halo colour.
        halo: Rgba, /// Halo width.
        halo_width: f32, /// Title size.
        title_size: f32, /// Subtitle size.
        subtitle_size: f32, /// Body size.
        body_size: f32, /// Small text size.
        small_size: f32, /// Text colour.
        color: Rgba, /// Secondary text colour.
        muted: Rgba, /// Panel background.
        panel_fill: Rgba, /// Panel rules.
        panel_rule: Rgba });

/// Incidents.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Incidents {
    /// Label size.
    pub label_size: f32,
    /// Label colour.
    pub label_color: Rgba,
    /// Symbol radius with no casualty figures.
    pub min_size: f32,
    /// Extra radius per square root of the largest claimed casualty count (area ∝ casualties).
    pub size_per_sqrt_casualty: f32,
    /// Colour of the uncertainty ring.
    pub precision_ring: Rgba,
    /// Style per kind; `default` is used for kinds not listed.
    pub kinds: BTreeMap<String, KindStyle>,
}

/// A complete map style.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Style {
    /// Fonts.
    pub fonts: Fonts,
    /// Layer switches.
    pub layers: Layers,
    /// Base map.
    pub base: Base,
    /// Border line.
    pub border: BorderStyle,
    /// km ticks.
    pub km_marks: KmMarks,
    /// Posts.
    pub posts: Posts,
    /// Places.
    pub places: Places,
    /// Incidents.
    pub incidents: Incidents,
    /// Text and panels.
    pub text: Text,
}

/// Largest size or width in a style, in pixels (before `--scale`).
pub const MAX_PX: f64 = 1000.0;
/// Largest fixed km step.
pub const MAX_STEP_KM: f64 = 100_000.0;

/// Every number in a style is a size, width or step: finite, not negative, and at most
/// [`MAX_PX`] ([`MAX_STEP_KM`] for `step_km`), so no style can ask for a canvas-sized glyph
/// or an allocation that aborts. The message names the key.
fn check_numbers(v: &toml::Value, key: &str) -> Result<(), String> {
    let check = |x: f64| {
        let max = if key.ends_with("step_km") {
            MAX_STEP_KM
        } else {
            MAX_PX
        };
        if x.is_finite() && (0.0..=max).contains(&x) {
            Ok(())
        } else {
            Err(format!("`{key}` = {x}: expected a number from 0 to {max}"))
        }
    };
    match v {
        toml::Value::Float(x) => check(*x),
        toml::Value::Integer(i) => check(*i as f64),
        toml::Value::Table(t) => t.iter().try_for_each(|(k, v)| {
            let key = if key.is_empty() {
                k.clone()
            } else {
                format!("{key}.{k}")
            };
            check_numbers(v, &key)
        }),
        toml::Value::Array(a) => a.iter().try_for_each(|v| check_numbers(v, key)),
        _ => Ok(()),
    }
}

/// A style file could not be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StyleError {
    /// It could not be read.
    #[error("{path}: cannot read the style file")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// It is not a valid style: TOML syntax, unknown key, bad colour, wrong type.
    #[error("{path}: {message}")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// The parser's message with line, column and key.
        message: String,
    },
}

const DEFAULT: &str = include_str!("../styles/default.toml");

impl Style {
    /// The shipped default style.
    pub fn default_style() -> Self {
        Self::parse(Path::new("styles/default.toml"), DEFAULT).expect("the shipped style is valid")
    }

    /// Reads a style file.
    pub fn from_file(path: &Path) -> Result<Self, StyleError> {
        let text = crate::io::read_capped(path, crate::io::MAX_SETTINGS)
            .and_then(|b| String::from_utf8(b).map_err(std::io::Error::other))
            .map_err(|source| StyleError::Read {
                path: path.to_path_buf(),
                source,
            })?;
        Self::parse(path, &text)
    }

    /// Parses style text; `path` is used in messages.
    pub fn parse(path: &Path, text: &str) -> Result<Self, StyleError> {
        let style: Style = toml::from_str(text).map_err(|e| StyleError::Invalid {
            path: path.to_path_buf(),
            message: crate::config::toml_message(text, &e),
        })?;
        if let Ok(table) = text.parse::<toml::Table>() {
            check_numbers(&toml::Value::Table(table), "").map_err(|message| {
                StyleError::Invalid {
                    path: path.to_path_buf(),
                    message,
                }
            })?;
        }
        if !style.incidents.kinds.contains_key("default") {
            return Err(StyleError::Invalid {
                path: path.to_path_buf(),
                message: "[incidents.kinds] needs a `default` entry for kinds not listed".into(),
            });
        }
        Ok(style)
    }

    /// The style of an incident kind (the `default` entry for unknown kinds).
    pub fn kind(&self, kind: &str) -> (&str, &KindStyle) {
        match self.incidents.kinds.get_key_value(kind) {
            Some((k, s)) => (k.as_str(), s),
            None => ("default", &self.incidents.kinds["default"]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_style_parses() {
        let s = Style::default_style();
        assert_eq!(s.kind("clash").1.symbol, Symbol::Star);
        assert_eq!(s.kind("cattle_raid").0, "default");
    }

    #[test]
    fn bad_colour_names_line_and_key() {
        let text = DEFAULT.replace("background = \"#c9dbe8\"", "background = \"#c9dbzz\"");
        let err = Style::parse(Path::new("s.toml"), &text)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("invalid colour \"#c9dbzz\": expected #RRGGBB or #RRGGBBAA"),
            "{err}"
        );
        assert!(err.contains("line 25, column 14"), "{err}");
    }

    #[test]
    fn unknown_key_is_an_error() {
        let text = DEFAULT.replace("[border]\n", "[border]\ncolour = \"#000000\"\n");
        let err = Style::parse(Path::new("s.toml"), &text)
            .unwrap_err()
            .to_string();
        assert!(err.contains("unknown field `colour`"), "{err}");
    }
}
