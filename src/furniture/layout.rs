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
    /// Side panel, if any.
    pub panel: Option<PxRect>,
    /// Footer band (sources), if any.
    pub footer: Option<PxRect>,
}

/// Splits the canvas into header, map, panel and footer.
pub fn canvas_layout(spec: &MapSpec, style: &Style) -> CanvasLayout {
    let (w, h, s) = (spec.width as f32, spec.height as f32, spec.scale);
    let l = &style.layers;
    let header_h = if l.title {
        (76.0 * s).min(h * 0.2)
    } else {
        0.0
    };
    let footer_h = if l.sources {
        (28.0 * s).min(h * 0.1)
    } else {
        0.0
    };
    let panel_w = if l.panel || l.legend || l.inset {
        (390.0 * s).min(w * 0.38)
    } else {
        0.0
    };
    CanvasLayout {
        map: PxRect::new(0.0, header_h, w - panel_w, h - header_h - footer_h),
        header: (header_h > 0.0).then(|| PxRect::new(0.0, 0.0, w, header_h)),
        panel: (panel_w > 0.0)
            .then(|| PxRect::new(w - panel_w, header_h, panel_w, h - header_h - footer_h)),
        footer: (footer_h > 0.0).then(|| PxRect::new(0.0, h - footer_h, w, footer_h)),
    }
}
