//! QGIS style sidecars (`.qml`) for split exports, so the layers open styled like
//! bordermap's maps: the border as the map's red line, posts as squares, incidents by `kind`
//! in the style's colours and shapes (the airstrike's triangle pointing down, the
//! explosion's burst), each labelled. The incident file holds points and lines (a km range
//! or a border-wide incident is its stretch of border): QGIS opens them as two sublayers with
//! this one style, so its rules pick marker or line symbols by geometry type.

use crate::style::{Rgba, Style, Symbol};

fn rgba(c: Rgba) -> String {
    format!("{},{},{},{}", c.0[0], c.0[1], c.0[2], c.0[3])
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn marker(
    name: &str,
    (shape, angle): (&str, u16),
    fill: Rgba,
    stroke: Rgba,
    size_mm: f32,
) -> String {
    format!(
        r#"<symbol type="marker" name="{name}" alpha="1" clip_to_extent="1" force_rhr="0"><layer class="SimpleMarker" pass="0" locked="0" enabled="1"><Option type="Map"><Option name="name" type="QString" value="{shape}"/><Option name="angle" type="QString" value="{angle}"/><Option name="color" type="QString" value="{}"/><Option name="outline_color" type="QString" value="{}"/><Option name="outline_width" type="QString" value="0.3"/><Option name="size" type="QString" value="{size_mm}"/><Option name="size_unit" type="QString" value="MM"/></Option></layer></symbol>"#,
        rgba(fill),
        rgba(stroke)
    )
}

fn line(name: &str, color: Rgba, width_mm: f32) -> String {
    format!(
        r#"<symbol type="line" name="{name}" alpha="1" clip_to_extent="1" force_rhr="0"><layer class="SimpleLine" pass="0" locked="0" enabled="1"><Option type="Map"><Option name="line_color" type="QString" value="{}"/><Option name="line_width" type="QString" value="{width_mm}"/><Option name="line_width_unit" type="QString" value="MM"/><Option name="capstyle" type="QString" value="round"/><Option name="joinstyle" type="QString" value="round"/></Option></layer></symbol>"#,
        rgba(color)
    )
}

fn labels(field: &str, color: Rgba) -> String {
    format!(
        r#"<labeling type="simple"><settings calloutType="simple"><text-style fieldName="{field}" isExpression="0" fontFamily="Noto Sans" fontSize="9" fontSizeUnit="Point" textColor="{}"/><text-buffer bufferDraw="1" bufferSize="1" bufferSizeUnits="MM" bufferColor="255,255,255,255"/><placement placement="0" dist="1.5" distUnits="MM"/><rendering obstacle="1"/></settings></labeling>"#,
        rgba(color)
    )
}

fn document(renderer: &str, labeling: &str) -> String {
    format!(
        "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n<qgis version=\"3.22.0\" styleCategories=\"Symbology|Labeling\" labelsEnabled=\"1\">\n{renderer}\n{labeling}\n</qgis>\n"
    )
}

/// QGIS's marker shape and rotation for a map symbol.
pub fn shape(symbol: Symbol) -> (&'static str, u16) {
    match symbol {
        Symbol::Circle | Symbol::Bar => ("circle", 0),
        Symbol::Star => ("star", 0),
        // The maps' triangle points down: a strike from above.
        Symbol::Triangle => ("triangle", 180),
        // An eight-pointed burst (QGIS 3.14+).
        Symbol::Burst => ("asterisk_fill", 0),
        Symbol::Square => ("square", 0),
        Symbol::Diamond => ("diamond", 0),
    }
}

/// Two rules for one kind: its marker for points, a line in its colour for stretches.
fn push_rules(
    rules: &mut String,
    symbols: &mut String,
    n: &mut usize,
    filter: &str,
    ks: &crate::style::KindStyle,
) {
    for (geometry, symbol) in [
        (
            "Point",
            marker(
                &n.to_string(),
                shape(ks.symbol),
                ks.color,
                Rgba([255, 255, 255, 255]),
                4.0,
            ),
        ),
        ("Line", line(&(*n + 1).to_string(), ks.color, 1.6)),
    ] {
        let k = if geometry == "Point" { *n } else { *n + 1 };
        rules.push_str(&format!(
            r#"<rule key="rule_{k}" symbol="{k}" label="{}" filter="{}"/>"#,
            escape(&ks.label),
            escape(&format!(
                "({filter}) AND geometry_type($geometry) = '{geometry}'"
            ))
        ));
        symbols.push_str(&symbol);
    }
    *n += 2;
}

/// The `.qml` document for one export layer (`border`, `post`, `incident`).
pub fn for_layer(layer: &str) -> String {
    let style = Style::default_style();
    match layer {
        "border" => document(
            &format!(
                r#"<renderer-v2 type="singleSymbol" symbollevels="0" enableorderby="0" forceraster="0"><symbols>{}</symbols></renderer-v2>"#,
                line("0", style.border.color, 0.9)
            ),
            &labels("name", style.km_marks.color),
        ),
        "post" => document(
            &format!(
                r#"<renderer-v2 type="singleSymbol" symbollevels="0" enableorderby="0" forceraster="0"><symbols>{}</symbols></renderer-v2>"#,
                marker("0", ("square", 0), style.posts.fill, style.posts.color, 2.4)
            ),
            &labels("name", style.posts.label_color),
        ),
        _ => {
            let mut rules = String::new();
            let mut symbols = String::new();
            let mut n = 0;
            let mut others = Vec::new();
            for (kind, ks) in &style.incidents.kinds {
                if kind == "default" {
                    continue;
                }
                others.push(format!("'{}'", kind.replace('\'', "''")));
                let is_kind = format!("\"kind\" = '{}'", kind.replace('\'', "''"));
                push_rules(&mut rules, &mut symbols, &mut n, &is_kind, ks);
            }
            if let Some(ks) = style.incidents.kinds.get("default") {
                let other = format!(
                    "\"kind\" IS NULL OR \"kind\" NOT IN ({})",
                    others.join(", ")
                );
                push_rules(&mut rules, &mut symbols, &mut n, &format!("({other})"), ks);
            }
            document(
                &format!(
                    r#"<renderer-v2 type="RuleRenderer" symbollevels="0" enableorderby="0" forceraster="0"><rules key="renderer_rules">{rules}</rules><symbols>{symbols}</symbols></renderer-v2>"#
                ),
                &labels("title", style.incidents.label_color),
            )
        }
    }
}
