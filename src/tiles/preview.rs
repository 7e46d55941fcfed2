//! The preview page: Leaflet (vendored, BSD-2) over the tile set, fitted to its bounds
//! and zoom range, with its attribution. It opens from `file://` beside a tile directory
//! and is served by `bordermap serve` for MBTiles and PMTiles. The page records tiles
//! loaded and failed and script errors in `body[data-status]`, which the browser test reads.

use std::path::Path;

use super::sink::TileSetInfo;
use crate::io::atomic_file;

/// Leaflet's script, vendored.
pub const LEAFLET_JS: &str = include_str!("../../assets/leaflet/leaflet.js");
/// Leaflet's style sheet, vendored.
pub const LEAFLET_CSS: &str = include_str!("../../assets/leaflet/leaflet.css");
/// Leaflet's licence.
pub const LEAFLET_LICENSE: &str = include_str!("../../assets/leaflet/LICENSE");

/// The page for tiles at `tile_url` (`{z}/{x}/{y}` placeholders), Leaflet under `leaflet/`.
pub fn page(info: &TileSetInfo, tile_url: &str, css_tile: u32) -> String {
    let b = info.bounds;
    // 512 px tiles at zoom z are drawn at Leaflet zoom z+1.
    let offset: i32 = if css_tile >= 512 { 1 } else { 0 };
    let config = serde_json::json!({
        "url": tile_url,
        "bounds": [[b[1], b[0]], [b[3], b[2]]],
        "minNativeZoom": i32::from(info.zooms.0) + offset,
        "maxNativeZoom": i32::from(info.zooms.1) + offset,
        "tileSize": css_tile,
        "zoomOffset": -offset,
        "attribution": info.attribution,
        "name": info.name,
    });
    // Safe inside <script>: no "</" can close the element.
    let config = config.to_string().replace("</", "<\\/");
    let title = info
        .name
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    format!(
        r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="stylesheet" href="leaflet/leaflet.css">
<style>html, body, #map {{ height: 100%; margin: 0; }}</style>
</head>
<body>
<div id="map"></div>
<script src="leaflet/leaflet.js"></script>
<script>
"use strict";
var bmStatus = {{ loaded: 0, failed: 0, errors: [] }};
function report() {{
  if (typeof map !== "undefined") {{ bmStatus.zoom = map.getZoom(); bmStatus.size = [map.getSize().x, map.getSize().y]; }}
  document.body.setAttribute("data-status", JSON.stringify(bmStatus));
}}
window.addEventListener("error", function (e) {{ bmStatus.errors.push(String(e.message)); report(); }});
var config = {config};
var bounds = L.latLngBounds(config.bounds);
var map = L.map("map", {{ minZoom: config.minNativeZoom, maxZoom: config.maxNativeZoom + 2 }});
var layer = L.tileLayer(config.url, {{
  minNativeZoom: config.minNativeZoom,
  maxNativeZoom: config.maxNativeZoom,
  minZoom: config.minNativeZoom,
  maxZoom: config.maxNativeZoom + 2,
  tileSize: config.tileSize,
  zoomOffset: config.zoomOffset,
  bounds: bounds,
  attribution: config.attribution
}});
layer.on("tileload", function () {{ bmStatus.loaded += 1; report(); }});
layer.on("tileerror", function () {{ bmStatus.failed += 1; report(); }});
layer.addTo(map);
map.fitBounds(bounds);
report();
</script>
</body>
</html>
"#
    )
}

/// Writes `index.html` and Leaflet into a tile directory.
pub fn write_dir_page(dir: &Path, info: &TileSetInfo) -> std::io::Result<()> {
    let css_tile = info.tile_size;
    atomic_file::write(
        &dir.join("index.html"),
        page(info, "{z}/{x}/{y}.png", css_tile).as_bytes(),
    )?;
    let lf = dir.join("leaflet");
    atomic_file::write(&lf.join("leaflet.js"), LEAFLET_JS.as_bytes())?;
    atomic_file::write(&lf.join("leaflet.css"), LEAFLET_CSS.as_bytes())?;
    atomic_file::write(&lf.join("LICENSE"), LEAFLET_LICENSE.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_escapes_script_breakers_and_fits_bounds() {
        let info = TileSetInfo {
            name: "A <b> & </script>".into(),
            description: String::new(),
            attribution: "© x </script><script>alert(1)</script>".into(),
            zooms: (0, 6),
            bounds: [60.0, 29.0, 75.0, 37.0],
            shard: None,
            total_tiles: 0,
            tile_size: 256,
        };
        let html = page(&info, "{z}/{x}/{y}.png", 256);
        assert!(!html.contains("</script><script>alert"));
        assert!(html.contains("<title>A &lt;b&gt; &amp; &lt;/script&gt;</title>"));
        assert!(html.contains(r#""bounds":[[29.0,60.0],[37.0,75.0]]"#));
        assert!(
            !html.contains("http"),
            "nothing is fetched from the network"
        );
    }
}
