//! `bordermap chart`: the border as an axis. Incidents by km along the border (x) and date
//! (y), with a straightened strip of the border above the plot so a reader can relate km
//! to geography, posts and crossings as reference lines, contested figures as contested,
//! and the maps' symbols, colours, label engine, legend and credits.

pub mod axes;

use jiff::ToSpan;
use jiff::civil::Date;
use tiny_skia::{PathBuilder, Rect};

use crate::dataset::Dataset;
use crate::furniture::attribution::sources_line;
use crate::model::{DatePrecision, Incident, Location};
use crate::projection::PxRect;
use crate::render::labels::{self, LabelRequest};
use crate::render::paint::{Painter, segment};
use crate::render::symbols;
use crate::render::text::Weight;
use crate::style::{Rgba, Style, Symbol};
use crate::words;
pub use axes::Axes;

/// What to chart.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartSpec {
    /// Canvas width in pixels (before `scale`).
    pub width: u32,
    /// Canvas height in pixels (before `scale`).
    pub height: u32,
    /// Multiplies every pixel parameter.
    pub scale: f32,
    /// Days shown; `None` for the incidents' own range.
    pub dates: Option<(Date, Date)>,
    /// km range shown; `None` for the whole border.
    pub km: Option<(f64, f64)>,
    /// Title; `None` for one made from the border's name.
    pub title: Option<String>,
    /// Named stretches drawn as bands (`[[sectors]]` in `bordermap.toml`).
    pub sectors: Vec<crate::config::Sector>,
}

/// Where an incident goes on the chart.
#[derive(Debug, Clone, PartialEq)]
pub enum Place {
    /// A km along the border.
    At(f64),
    /// A stretch of border.
    Range(f64, f64),
    /// The whole border.
    Everywhere,
    /// Not placed on the border (a region without a centre).
    Unplaced,
}

/// Where `inc` sits along the border.
pub fn place_of(data: &Dataset, inc: &Incident) -> Place {
    match &inc.location {
        Location::Point { at, .. } => Place::At(data.border.locate(*at).along_km),
        Location::Post { post_id } => data
            .post(post_id)
            .map_or(Place::Unplaced, |(_, r)| Place::At(r.located.along_km)),
        Location::KmRange { from_km, to_km } => Place::Range(*from_km, *to_km),
        Location::Region {
            centre: Some(c),
            precision_m,
            ..
        } => {
            let km = data.border.locate(*c).along_km;
            let r = precision_m.unwrap_or(25_000.0) / 1000.0;
            Place::Range((km - r).max(0.0), (km + r).min(data.border.length_km()))
        }
        Location::Region { centre: None, .. } => Place::Unplaced,
        Location::BorderWide => Place::Everywhere,
    }
}

/// The last day an incident may have happened on, from its end date or date precision.
pub fn last_day(inc: &Incident) -> Date {
    if let Some(e) = inc.end_date {
        return e;
    }
    match inc.date_precision {
        DatePrecision::Day => inc.date,
        DatePrecision::Week => inc.date.checked_add(6.days()).unwrap_or(inc.date),
        DatePrecision::Month => inc.date.last_of_month(),
        DatePrecision::Year => inc.date.last_of_year(),
    }
}

/// The lowest and highest casualty total any one claim gives (claims with figures only).
pub fn claim_range(inc: &Incident) -> Option<(f64, f64)> {
    let totals: Vec<f64> = inc
        .claims
        .iter()
        .map(|c| {
            c.figures
                .iter()
                .filter(|f| crate::model::is_casualty_measure(&f.measure))
                .map(|f| f.high.or(f.low).unwrap_or(0.0))
                .sum::<f64>()
        })
        .filter(|t| *t > 0.0)
        .collect();
    let lo = totals.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = totals.iter().copied().fold(0.0, f64::max);
    (!totals.is_empty()).then_some((lo, hi))
}

/// What was drawn, for tests and `-v`.
#[derive(Debug, Clone, Default)]
pub struct Charted {
    /// The axes.
    pub axes: Option<Axes>,
    /// Incidents drawn, by id.
    pub incidents: Vec<String>,
    /// Labels dropped for lack of room.
    pub dropped: Vec<String>,
}

/// Why a chart cannot be drawn.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ChartError {
    /// Too small to lay out.
    #[error("size {0}x{1}: a chart needs at least 480x360 pixels")]
    Size(u32, u32),
    /// A km range off the border.
    #[error("km range {0}-{1}: expected A < B within 0 to {2:.1} km")]
    Km(f64, f64, f64),
}

const WHITE: Rgba = Rgba([255, 255, 255, 255]);

/// Draws the chart through `p`.
pub fn draw(
    data: &Dataset,
    style: &Style,
    fonts: &crate::render::text::Fonts,
    spec: &ChartSpec,
    p: &mut dyn Painter,
) -> Result<Charted, ChartError> {
    let s = spec.scale;
    let (w, h) = (spec.width as f32 * s, spec.height as f32 * s);
    if spec.width < 480 || spec.height < 360 {
        return Err(ChartError::Size(spec.width, spec.height));
    }
    let len = data.border.length_km();
    let km = spec.km.unwrap_or((0.0, len));
    if !(km.0 < km.1 && km.0 >= 0.0 && km.1 <= len + 1e-6) {
        return Err(ChartError::Km(km.0, km.1, len));
    }
    let mut incidents: Vec<&Incident> = data
        .incidents
        .iter()
        .filter(|i| spec.dates.is_none_or(|(a, b)| i.overlaps(a, b)))
        .collect();
    incidents.sort_by(|a, b| a.date.cmp(&b.date).then(a.id.cmp(&b.id)));
    let dates = spec.dates.unwrap_or_else(|| {
        let first = incidents
            .iter()
            .map(|i| i.date)
            .min()
            .unwrap_or(Date::constant(2025, 1, 1));
        let last = incidents.iter().map(|i| last_day(i)).max().unwrap_or(first);
        // A margin of about 3 % (at least a day) keeps the first and last marks off the
        // plot's edges and the km labels above it.
        let pad = (axes::days_between(first, last) / 33).max(1);
        (
            first.checked_sub(pad.days()).unwrap_or(first),
            last.max(first).checked_add(pad.days()).unwrap_or(last),
        )
    });
    let t = &style.text;
    let shape = |text: &str, weight: Weight, size: f32| fonts.shape(text, weight, size * s);

    // Header, footer and legend bands; the strip map; then the plot.
    p.fill_rect(PxRect::new(0.0, 0.0, w, h), WHITE);
    let margin = 22.0 * s;
    let title = spec.title.clone().unwrap_or_else(|| {
        let name = data
            .border_properties
            .get("name")
            .and_then(|v| v.as_str())
            .unwrap_or("Border");
        format!("{name}: incidents by place and date")
    });
    // The title shrinks (to 60 % at most) rather than run off the canvas.
    let room = w - 2.0 * margin;
    let mut title_size = t.title_size;
    let mut title_sh = shape(&title, Weight::Bold, title_size);
    while title_sh.width > room && title_size > t.title_size * 0.6 {
        title_size *= 0.92;
        title_sh = shape(&title, Weight::Bold, title_size);
    }
    p.text(&title_sh, margin, 38.0 * s, t.color, None);
    // The subtitle: what and when, then the axis in words; on two lines when narrow.
    let what = format!(
        "{} incident(s), {}",
        incidents.len(),
        words::range_text(dates.0, dates.1)
    );
    let axis = format!(
        "km along the border from the {} (0) to the {} ({:.0})",
        data.border_properties
            .get("km0")
            .and_then(|v| v.as_str())
            .unwrap_or("start"),
        data.border_properties
            .get("end")
            .and_then(|v| v.as_str())
            .unwrap_or("end"),
        len
    );
    let one = shape(
        &format!("{what}; {axis}"),
        Weight::Regular,
        t.subtitle_size * 0.8,
    );
    let mut header_extra = 0.0;
    if one.width <= room {
        p.text(&one, margin, 62.0 * s, t.muted, None);
    } else {
        for (k, line) in [what, axis].iter().enumerate() {
            let mut size = t.subtitle_size * 0.8;
            let mut sh = shape(line, Weight::Regular, size);
            while sh.width > room && size > t.small_size * 0.8 {
                size *= 0.92;
                sh = shape(line, Weight::Regular, size);
            }
            p.text(&sh, margin, 62.0 * s + k as f32 * 18.0 * s, t.muted, None);
        }
        header_extra = 18.0 * s;
    }
    // The legend's entries, known before layout so its rows can wrap.
    let mut entries: Vec<(Option<(Symbol, Rgba)>, String)> = Vec::new();
    let mut kinds_seen = std::collections::BTreeSet::new();
    for inc in &incidents {
        let (kind, _) = style.kind(&inc.kind);
        kinds_seen.insert(kind.to_string());
    }
    for k in &kinds_seen {
        if let Some(ks) = style.incidents.kinds.get(k) {
            entries.push((Some((ks.symbol, ks.color)), ks.label.clone()));
        }
    }
    let places: Vec<Place> = incidents.iter().map(|i| place_of(data, i)).collect();
    if places.iter().any(|p| matches!(p, Place::Range(..))) {
        entries.push((None, "Bar: a stretch of border".into()));
    }
    if places.contains(&Place::Everywhere) {
        entries.push((None, "Band: along the whole border".into()));
    }
    if incidents
        .iter()
        .any(|i| last_day(i) > i.date && matches!(place_of(data, i), Place::At(_)))
    {
        entries.push((None, "Vertical bar: date known to a week or month".into()));
    }
    if incidents
        .iter()
        // Rings are drawn only on point symbols: a contested band gets no ring, so no key.
        .any(|i| {
            claim_range(i).is_some_and(|(lo, hi)| hi > lo)
                && matches!(place_of(data, i), Place::At(_))
        })
    {
        entries.push((
            None,
            "Dashed ring: the highest claim; symbol: the lowest".into(),
        ));
    }
    let row_w = w - 2.0 * margin;
    let mut rows = 1;
    let mut x_run = 0.0;
    for (_, text) in &entries {
        let ew = 18.0 * s + shape(text, Weight::Regular, t.small_size).width + 16.0 * s;
        if x_run > 0.0 && x_run + ew > row_w {
            rows += 1;
            x_run = 0.0;
        }
        x_run += ew;
    }
    let footer_h = 28.0 * s;
    let legend_h = 10.0 * s + rows as f32 * 20.0 * s;
    let lane_h = if incidents
        .iter()
        .any(|i| place_of(data, i) == Place::Unplaced)
    {
        34.0 * s
    } else {
        0.0
    };
    let left = 96.0 * s;
    let strip = PxRect::new(left, 84.0 * s + header_extra, w - left - margin, 46.0 * s);
    let plot = PxRect::new(
        left,
        strip.bottom() + 30.0 * s,
        strip.w,
        h - footer_h - legend_h - lane_h - strip.bottom() - 30.0 * s - 10.0 * s,
    );
    let axes = Axes { plot, km, dates };
    // Symbols shrink on short plots (small presets), never below 60 %.
    let sym = 0.8 * (plot.h / (600.0 * s)).clamp(0.6, 1.0);

    // The strip: the border straightened, its two sides in the maps' fills, posts on it.
    let (lc, rc) = (
        data.border_properties
            .get("left")
            .and_then(|v| v.as_str())
            .map(str::to_string),
        data.border_properties
            .get("right")
            .and_then(|v| v.as_str())
            .map(str::to_string),
    );
    let (lc, rc) = match (lc, rc) {
        (Some(l), Some(r)) => (Some(l), Some(r)),
        _ => crate::scene::sides::border_sides(data),
    };
    let fill = |code: &Option<String>| {
        code.as_deref().map_or(style.base.background, |c| {
            style.base.fill_for(c, lc.as_deref(), rc.as_deref())
        })
    };
    let mid = strip.y + strip.h / 2.0;
    p.fill_rect(
        PxRect::new(strip.x, strip.y, strip.w, strip.h / 2.0),
        fill(&lc),
    );
    p.fill_rect(PxRect::new(strip.x, mid, strip.w, strip.h / 2.0), fill(&rc));
    let name_of = |code: &Option<String>| {
        code.as_deref().map(|c| {
            data.countries
                .iter()
                .find(|k| k.code == c)
                .and_then(|k| k.properties.get("name").and_then(|v| v.as_str()))
                .unwrap_or(c)
                .to_uppercase()
        })
    };
    for (code, y) in [
        (&lc, strip.y + strip.h * 0.25),
        (&rc, strip.y + strip.h * 0.75),
    ] {
        if let Some(n) = name_of(code) {
            let sh = shape(&n, Weight::Bold, t.small_size - 1.0);
            p.text(
                &sh,
                strip.x - sh.width - 8.0 * s,
                y + sh.ascent * 0.35,
                t.muted,
                None,
            );
        }
    }
    if let Some(line) = segment((strip.x, mid), (strip.right(), mid)) {
        p.stroke(&line, style.border.casing, style.border.casing_width * s);
        p.stroke(&line, style.border.color, style.border.width * s);
    }

    // km axis between the strip and the plot.
    let small = t.small_size;
    for k in axes.km_ticks(70.0 * s) {
        let x = axes.x(k);
        if let Some(l) = segment((x, strip.bottom()), (x, plot.y)) {
            p.stroke(&l, t.muted, 1.0 * s);
        }
        let label = if k == 0.0 {
            "0 km".to_string()
        } else {
            format!("{k:.0}")
        };
        let sh = shape(&label, Weight::Regular, small);
        // The first label starts at its tick (clear of the date labels to its left), the
        // others are centred, and none runs past the plot's right edge.
        let lx = if (x - plot.x).abs() < 1.0 {
            x + 2.0 * s
        } else {
            (x - sh.width / 2.0).min(plot.right() - sh.width)
        };
        p.text(&sh, lx, plot.y - 8.0 * s, t.muted, None);
    }

    // Date axis: ticks, labels and light rules across the plot.
    p.fill_rect(plot, Rgba([248, 248, 246, 255]));
    // Sectors: light bands across the plot, named at its top.
    let mut sector_boxes = Vec::new();
    for (i, sec) in spec.sectors.iter().enumerate() {
        let (a, b) = (sec.from_km.max(km.0), sec.to_km.min(km.1));
        if a >= b {
            continue;
        }
        let (xa, xb) = (axes.x(a), axes.x(b));
        let shade = if i % 2 == 0 {
            Rgba([232, 236, 242, 255])
        } else {
            Rgba([238, 233, 243, 255])
        };
        p.tag(&format!(
            r#"data-sector="{}""#,
            crate::render::svg::escape(&sec.name)
        ));
        p.fill_rect(PxRect::new(xa, plot.y, xb - xa, plot.h), shade);
        let sh = shape(&sec.name, Weight::Bold, small - 1.0);
        if sh.width + 6.0 * s <= xb - xa {
            let r = PxRect::new(xa + 3.0 * s, plot.y + 3.0 * s, sh.width, sh.height());
            p.text(&sh, r.x, r.y + sh.ascent, t.muted, None);
            sector_boxes.push(r);
        }
    }

    let mut last_label_y = f32::NEG_INFINITY;
    for (d, label) in axes.date_ticks(24.0 * s) {
        let y = axes.y_top(d);
        if let Some(l) = segment((plot.x, y), (plot.right(), y)) {
            p.stroke(&l, Rgba([225, 225, 222, 255]), 1.0 * s);
        }
        let sh = shape(&label, Weight::Regular, small);
        if y - last_label_y >= sh.height() + 2.0 * s {
            p.text(
                &sh,
                plot.x - sh.width - 8.0 * s,
                y + sh.ascent * 0.35,
                t.muted,
                None,
            );
            last_label_y = y;
        }
    }

    // Posts and crossings: reference lines across the plot, symbols on the strip, names
    // placed by the label engine above and below the strip line.
    let mut requests = Vec::new();
    let mut texts = Vec::new();
    let mut obstacles = Vec::new();
    let pr = style.posts.size * s * 0.8;
    for (post, r) in data.posts.iter().zip(&data.post_refs) {
        let k = r.located.along_km;
        if k < km.0 || k > km.1 {
            continue;
        }
        let x = axes.x(k);
        if let Some(l) = segment((x, plot.y), (x, plot.bottom())) {
            p.stroke_dashed(&l, Rgba([190, 190, 186, 255]), 1.0 * s, &[3.0 * s, 3.0 * s]);
        }
        let kind = post.kind.as_deref().unwrap_or("post");
        crate::render::layers::posts::symbol(p, &style.posts, kind, (x, mid), pr, s);
        obstacles.push(PxRect::new(x - pr, mid - pr, 2.0 * pr, 2.0 * pr));
        let sh = shape(&post.name, Weight::Regular, small - 1.0);
        requests.push(LabelRequest {
            key: format!("post {}", post.id),
            size: (sh.width, sh.size_line()),
            anchor: (x, mid),
            radius: pr,
            priority: 50,
            leader: false,
            centred: false,
            alternatives: Vec::new(),
        });
        texts.push((sh, t.color));
    }
    // Names go above or below the line, not along it.
    obstacles.push(PxRect::new(strip.x, mid - 2.0 * s, strip.w, 4.0 * s));
    let strip_layout = labels::place(&requests, strip, &obstacles, 2.0 * s);

    // Incidents.
    let mut drawn = Charted {
        axes: Some(axes),
        ..Charted::default()
    };
    let mut marks: Vec<(usize, f32, f32, f32)> = Vec::new(); // (incident, x, y, r)
    let mut bars: Vec<PxRect> = Vec::new();
    let lane_title = shape(
        "Not placed on the border:",
        Weight::Regular,
        t.small_size - 1.0,
    );
    let mut lane_x = plot.x + lane_title.width + 20.0 * s;
    let ist = &style.incidents;
    for (n, inc) in incidents.iter().enumerate() {
        let (_, ks) = style.kind(&inc.kind);
        let end = last_day(inc);
        let (y0, y1) = (
            axes.y_top(inc.date.max(dates.0)),
            axes.y_top(end.min(dates.1)) + plot.h / axes.days() as f32,
        );
        let y = axes.y(inc.date.max(dates.0).min(dates.1));
        let spans_days = end > inc.date;
        let tag = |p: &mut dyn Painter, extra: &str| {
            p.tag(&format!(
                r#"data-incident="{}" data-date="{}"{extra}"#,
                crate::render::svg::escape(&inc.id),
                inc.date
            ));
        };
        let band = |p: &mut dyn Painter, a: f64, b: f64, alpha: u8| {
            let (xa, xb) = (axes.x(a.max(km.0)), axes.x(b.min(km.1)));
            let mut c = ks.color;
            c.0[3] = if spans_days { alpha / 2 } else { alpha };
            // One day: a bar at most 12 px high on the day's line; several days: the span.
            let slot = plot.h / axes.days() as f32;
            let (top, bh) = if spans_days {
                (y0 + 1.0 * s, (y1 - y0 - 2.0 * s).max(4.0 * s))
            } else {
                let bh = (slot * 0.5).clamp(4.0 * s, 12.0 * s);
                (y - bh / 2.0, bh)
            };
            if let Some(r) = Rect::from_xywh(xa, top, (xb - xa).max(2.0 * s), bh) {
                let path = PathBuilder::from_rect(r);
                tag(p, &format!(r#" data-km-from="{a:.3}" data-km-to="{b:.3}""#));
                p.fill(&path, c);
                p.stroke(&path, ks.color, 1.0 * s);
            }
        };
        match place_of(data, inc) {
            Place::Everywhere => {
                band(p, km.0, km.1, 90);
                marks.push((n, axes.x((km.0 + km.1) / 2.0), y, 0.0));
            }
            Place::Range(a, b) => {
                if b >= km.0 && a <= km.1 {
                    band(p, a, b, 150);
                    // Labelled from its right end, clear of the bar.
                    let (xa, xb) = (axes.x(a.max(km.0)), axes.x(b.min(km.1)));
                    bars.push(PxRect::new(xa, y - 6.0 * s, xb - xa, 12.0 * s));
                    marks.push((n, xb, y, 2.0 * s));
                }
            }
            Place::At(k) => {
                if k < km.0 || k > km.1 {
                    continue;
                }
                let x = axes.x(k);
                if spans_days && let Some(l) = segment((x, y0), (x, y1)) {
                    let mut c = ks.color;
                    c.0[3] = 110;
                    p.stroke(&l, c, 4.0 * s);
                }
                let r = (ist.min_size
                    + ist.size_per_sqrt_casualty * inc.max_claimed_casualties().sqrt() as f32)
                    * s
                    * sym;
                if let Some((lo, hi)) = claim_range(inc)
                    && hi > lo
                {
                    // Contested: the symbol at the lowest claim, a dashed ring at the highest.
                    let r_lo =
                        (ist.min_size + ist.size_per_sqrt_casualty * lo.sqrt() as f32) * s * sym;
                    if let Some(c) = PathBuilder::from_circle(x, y, r) {
                        p.stroke_dashed(&c, ks.color, 1.4 * s, &[3.0 * s, 2.0 * s]);
                    }
                    if let Some(path) = symbols::path(ks.symbol, x, y, r_lo) {
                        tag(p, &format!(r#" data-km="{k:.3}" data-at="{x:.2} {y:.2}""#));
                        p.fill(&path, ks.color);
                        p.stroke(&path, WHITE, 1.2 * s);
                    }
                } else if let Some(path) = symbols::path(ks.symbol, x, y, r) {
                    tag(p, &format!(r#" data-km="{k:.3}" data-at="{x:.2} {y:.2}""#));
                    p.fill(&path, ks.color);
                    p.stroke(&path, WHITE, 1.2 * s);
                }
                marks.push((n, x, y, r));
            }
            Place::Unplaced => {
                let ly = plot.bottom() + 10.0 * s + lane_h / 2.0;
                let r = ist.min_size * s;
                if let Some(path) = symbols::path(ks.symbol, lane_x, ly, r) {
                    tag(p, r#" data-lane="unplaced""#);
                    p.fill(&path, ks.color);
                    p.stroke(&path, WHITE, 1.2 * s);
                }
                marks.push((n, lane_x, ly, r));
                lane_x += 3.0 * r + 2.0 * s;
            }
        }
        drawn.incidents.push(inc.id.to_string());
    }
    if lane_h > 0.0 {
        let ly = plot.bottom() + 10.0 * s + lane_h / 2.0;
        p.text(
            &lane_title,
            plot.x + 8.0 * s,
            ly + lane_title.ascent * 0.35,
            t.muted,
            None,
        );
    }

    // Labels for the largest incidents, by the maps' label engine.
    let mut inc_requests = Vec::new();
    let mut inc_texts = Vec::new();
    let mut order: Vec<&(usize, f32, f32, f32)> = marks.iter().collect();
    order.sort_by(|a, b| {
        incidents[b.0]
            .max_claimed_casualties()
            .total_cmp(&incidents[a.0].max_claimed_casualties())
            .then(a.0.cmp(&b.0))
    });
    let mark_boxes: Vec<PxRect> = marks
        .iter()
        .map(|&(_, x, y, r)| PxRect::new(x - r, y - r, 2.0 * r, 2.0 * r))
        .chain(bars.iter().copied())
        .chain(sector_boxes.iter().copied())
        .collect();
    for (rank, &&(n, x, y, r)) in order.iter().enumerate().take(24) {
        let inc = incidents[n];
        let text = format!(
            "{} · {}",
            words::incident_title(inc),
            words::short_date(inc)
        );
        let sh = shape(&text, Weight::Bold, ist.label_size - 1.0);
        inc_requests.push(LabelRequest {
            key: format!("incident {}", inc.id),
            size: (sh.width, sh.size_line()),
            anchor: (x, y),
            radius: r,
            priority: 1000 - rank as i32,
            leader: true,
            centred: false,
            alternatives: Vec::new(),
        });
        inc_texts.push(sh);
    }
    let bounds = PxRect::new(plot.x, plot.y, plot.w, plot.h + lane_h);
    let layout = labels::place(
        &inc_requests,
        bounds.inflate(-2.0 * s),
        &mark_boxes,
        2.0 * s,
    );
    let halo = (t.halo, t.halo_width * s);
    for pl in &layout.placed {
        if let Some((a, b)) = pl.leader
            && let Some(l) = segment(a, b)
        {
            p.stroke(&l, Rgba([70, 70, 70, 255]), 0.9 * s);
        }
        let sh = &inc_texts[pl.index];
        p.text(
            sh,
            pl.rect.x,
            pl.rect.y + sh.line_ascent(),
            ist.label_color,
            Some(halo),
        );
    }
    for pl in &strip_layout.placed {
        let (sh, c) = &texts[pl.index];
        p.text(
            sh,
            pl.rect.x,
            pl.rect.y + sh.line_ascent(),
            *c,
            Some((WHITE, 1.5 * s)),
        );
    }
    drawn.dropped = strip_layout
        .dropped
        .into_iter()
        .chain(layout.dropped)
        .map(|(key, why)| format!("{key}: {why}"))
        .collect();

    // Legend rows and credits.
    let mut lx = margin;
    let mut ly = h - footer_h - legend_h + 15.0 * s;
    for (sym, text) in &entries {
        let sh = shape(text, Weight::Regular, small);
        let ew = 18.0 * s + sh.width + 16.0 * s;
        if lx > margin && lx + ew > margin + row_w {
            lx = margin;
            ly += 20.0 * s;
        }
        if let Some((sym, c)) = sym
            && let Some(path) = symbols::path(*sym, lx + 7.0 * s, ly, 6.5 * s)
        {
            p.fill(&path, *c);
        }
        p.text(&sh, lx + 18.0 * s, ly + sh.ascent * 0.35, t.color, None);
        lx += ew;
    }
    let listed: Vec<crate::furniture::Listed<'_>> =
        incidents.iter().map(|i| (*i, 0, true)).collect();
    let credits = sources_line(data, &listed);
    let words_list: Vec<&str> = credits.split(' ').collect();
    // Credits wrap rather than run off the canvas.
    let mut line = String::new();
    let mut lines = Vec::new();
    for word in words_list {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if shape(&candidate, Weight::Regular, small - 1.0).width > w - 2.0 * margin
            && !line.is_empty()
        {
            lines.push(std::mem::take(&mut line));
            line = word.to_string();
        } else {
            line = candidate;
        }
    }
    lines.push(line);
    let mut fy = h - footer_h + 12.0 * s - (lines.len().saturating_sub(1)) as f32 * 6.0 * s;
    for l in &lines {
        let sh = shape(l, Weight::Regular, small - 1.0);
        p.text(&sh, margin, fy, t.muted, None);
        fy += sh.size_line();
    }
    p.tag(&format!(
        r#"data-plot="{:.3} {:.3} {:.3} {:.3}" data-km-axis="{} {}" data-dates="{} {}""#,
        plot.x, plot.y, plot.w, plot.h, km.0, km.1, dates.0, dates.1
    ));
    if let Some(r) = Rect::from_xywh(plot.x, plot.y, plot.w, plot.h) {
        p.stroke(
            &PathBuilder::from_rect(r),
            Rgba([200, 200, 196, 255]),
            1.0 * s,
        );
    }
    Ok(drawn)
}

pub use crate::map::{PRESETS, preset};

/// The chart as a PNG-ready pixmap.
pub fn to_pixmap(
    data: &Dataset,
    style: &Style,
    fonts: &crate::render::text::Fonts,
    spec: &ChartSpec,
) -> Result<(tiny_skia::Pixmap, Charted), ChartError> {
    let (w, h) = (
        (spec.width as f32 * spec.scale).round() as u32,
        (spec.height as f32 * spec.scale).round() as u32,
    );
    crate::map::check_size(w, h).map_err(|_| ChartError::Size(spec.width, spec.height))?;
    let mut pm = tiny_skia::Pixmap::new(w, h).ok_or(ChartError::Size(spec.width, spec.height))?;
    let charted = {
        let mut p = crate::render::SkiaPainter::new(pm.as_mut(), fonts);
        draw(data, style, fonts, spec, &mut p)?
    };
    Ok((pm, charted))
}

/// The chart as an SVG document: the same drawing, text as text.
pub fn to_svg(
    data: &Dataset,
    style: &Style,
    fonts: &crate::render::text::Fonts,
    spec: &ChartSpec,
) -> Result<(String, Charted), ChartError> {
    let (w, h) = (
        (spec.width as f32 * spec.scale).round() as u32,
        (spec.height as f32 * spec.scale).round() as u32,
    );
    let mut p = crate::render::svg::SvgPainter::new(w, h, fonts);
    let charted = draw(data, style, fonts, spec, &mut p)?;
    Ok((p.finish(), charted))
}
