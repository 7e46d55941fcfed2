//! Canvas layout: header, map, side panel and footer.

use crate::map::MapSpec;
use crate::projection::PxRect;
use crate::style::Style;

/// Where things go on the canvas.
#[derive(Debug, Clone, Copy)]
pub struct CanvasLayout {
    /// The map viewport.
    pub map: PxRect,
    /// Header band (title, subtitle), if any.
    pub header: Option<PxRect>,
    /// The panel (key, legend, inset), if any: beside the map, or below it on a portrait
    /// canvas.
    pub panel: Option<PxRect>,
    /// Whether the panel is below the map (portrait canvases).
    pub below: bool,
    /// Footer band (sources), if any.
    pub footer: Option<PxRect>,
}

/// Splits the canvas into header, map, panel and footer; `title_lines` is how many lines
/// the title takes (a long title wraps onto two, and the header grows).
pub fn canvas_layout(spec: &MapSpec, style: &Style, title_lines: usize) -> CanvasLayout {
    let (w, h, s) = (spec.width as f32, spec.height as f32, spec.scale);
    let l = &style.layers;
    let header_h = if l.title {
        let extra = if title_lines > 1 { 22.0 * s } else { 0.0 };
        (76.0 * s + extra).min(h * 0.22)
    } else {
        0.0
    };
    let footer_h = if l.sources {
        (28.0 * s).min(h * 0.1)
    } else {
        0.0
    };
    let has_panel = l.panel || l.legend || l.inset;
    let body = h - header_h - footer_h;
    // Portrait: a side panel would leave the map a narrow strip; the panel goes below it,
    // the key on the left and the legend and inset on the right.
    if has_panel && h > w * 1.15 {
        let panel_h = (body * 0.36).max(300.0 * s).min(body * 0.5);
        return CanvasLayout {
            map: PxRect::new(0.0, header_h, w, body - panel_h),
            header: (header_h > 0.0).then(|| PxRect::new(0.0, 0.0, w, header_h)),
            panel: Some(PxRect::new(0.0, header_h + body - panel_h, w, panel_h)),
            below: true,
            footer: (footer_h > 0.0).then(|| PxRect::new(0.0, h - footer_h, w, footer_h)),
        };
    }
    let panel_w = if has_panel {
        (390.0 * s).min(w * 0.38)
    } else {
        0.0
    };
    CanvasLayout {
        below: false,
        map: PxRect::new(0.0, header_h, w - panel_w, h - header_h - footer_h),
        header: (header_h > 0.0).then(|| PxRect::new(0.0, 0.0, w, header_h)),
        panel: (panel_w > 0.0)
            .then(|| PxRect::new(w - panel_w, header_h, panel_w, h - header_h - footer_h)),
        footer: (footer_h > 0.0).then(|| PxRect::new(0.0, h - footer_h, w, footer_h)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::map::View;

    fn layout(width: u32, height: u32) -> CanvasLayout {
        let spec = MapSpec {
            width,
            height,
            scale: 1.0,
            view: View::Border,
            dates: None,
            title: None,
        };
        canvas_layout(&spec, &Style::default_style(), 1)
    }

    #[test]
    fn portrait_puts_the_panel_below_the_map_and_landscape_beside_it() {
        let p = layout(1080, 1350);
        let panel = p.panel.unwrap();
        assert!(p.below);
        assert_eq!((p.map.w, panel.w), (1080.0, 1080.0));
        assert!((panel.y - p.map.bottom()).abs() < 0.01);
        for (w, h) in [(1600, 1000), (1080, 1080), (800, 500)] {
            let l = layout(w, h);
            let panel = l.panel.unwrap();
            assert!(!l.below, "{w}x{h}");
            assert!((panel.x - l.map.right()).abs() < 0.01, "{w}x{h}");
        }
    }
}
