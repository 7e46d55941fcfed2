//! QGIS style sidecars (`.qml`) for split exports, so the layers open styled like
//! bordermap's maps: the border as the map's red line, posts as squares, incidents
//! categorised by `kind` in the style's colours, each labelled.

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

fn marker(name: &str, shape: &str, fill: Rgba, stroke: Rgba, size_mm: f32) -> String {
    format!(
        r#"<symbol type="marker" name="{name}" alpha="1" clip_to_extent="1" force_rhr="0"><layer class="SimpleMarker" pass="0" locked="0" enabled="1"><Option type="Map"><Option name="name" type="QString" value="{shape}"/><Option name="color" type="QString" value="{}"/><Option name="outline_color" type="QString" value="{}"/><Option name="outline_width" type="QString" value="0.3"/><Option name="size" type="QString" value="{size_mm}"/><Option name="size_unit" type="QString" value="MM"/></Option></layer></symbol>"#,
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

fn shape(symbol: Symbol) -> &'static str {
    match symbol {
        Symbol::Circle | Symbol::Bar => "circle",
        Symbol::Star => "star",
        Symbol::Triangle => "triangle",
        Symbol::Burst => "star",
        Symbol::Square => "square",
        Symbol::Diamond => "diamond",
    }
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
                marker("0", "square", style.posts.fill, style.posts.color, 2.4)
            ),
            &labels("name", style.posts.label_color),
        ),
        _ => {
            let mut categories = String::new();
            let mut symbols = String::new();
            for (i, (kind, ks)) in style.incidents.kinds.iter().enumerate() {
                let value = if kind == "default" {
                    String::new()
                } else {
                    escape(kind)
                };
                categories.push_str(&format!(
                    r#"<category symbol="{i}" value="{value}" label="{}" render="true"/>"#,
                    escape(&ks.label)
                ));
                symbols.push_str(&marker(
                    &i.to_string(),
                    shape(ks.symbol),
                    ks.color,
                    Rgba([255, 255, 255, 255]),
                    4.0,
                ));
            }
            document(
                &format!(
                    r#"<renderer-v2 type="categorizedSymbol" attr="kind" symbollevels="0" enableorderby="0" forceraster="0"><categories>{categories}</categories><symbols>{symbols}</symbols></renderer-v2>"#
                ),
                &labels("title", style.incidents.label_color),
            )
        }
    }
}
