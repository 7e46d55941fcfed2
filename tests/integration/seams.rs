//! Seams: the picture does not depend on how it is cut. The 2×2 block of 256 px frames at
//! zoom z+1, stitched, equals the one 512 px frame at zoom z over the same ground (the
//! same ground resolution), symbols and labels included.

use bordermap::Dataset;
use bordermap::config::Project;
use bordermap::model::LonLat;
use bordermap::render::text::Fonts;
use bordermap::render::{Plan, SkiaPainter, draw_map};
use bordermap::scene::Scene;
use bordermap::style::Style;
use bordermap::tiles::xyz::TileId;
use rstest::rstest;
use tiny_skia::Pixmap;

/// Channel differences up to this are anti-aliasing noise (edge coverage rounded).
const NOISE: u8 = 2;
/// Pixels within 2 px of a seam that may differ by more than NOISE (a 512 px frame has
/// 4,096 such pixels).
const MAX_NEAR: usize = 26;
/// The largest difference allowed elsewhere, in 1/255.
const MAX_AWAY: u8 = 16;

fn draw(scene: &Scene<'_>, plan: &Plan, frame: &bordermap::projection::Frame, size: u32) -> Pixmap {
    let mut pm = Pixmap::new(size, size).unwrap();
    pm.fill(scene.style.base.background.color());
    let mut p = SkiaPainter::new(pm.as_mut(), scene.fonts);
    draw_map(scene, frame, &mut p, plan, None);
    pm
}

/// Pixels differing by more than NOISE within 2 px of a seam, and the largest channel
/// difference anywhere else.
fn compare(whole: &Pixmap, parts: &Pixmap) -> (usize, u8) {
    let (mut near, mut away) = (0, 0);
    for (i, (a, b)) in whole.pixels().iter().zip(parts.pixels()).enumerate() {
        let (x, y) = (i as u32 % 512, i as u32 / 512);
        let d = [
            a.red().abs_diff(b.red()),
            a.green().abs_diff(b.green()),
            a.blue().abs_diff(b.blue()),
            a.alpha().abs_diff(b.alpha()),
        ];
        let worst = d.into_iter().max().unwrap_or(0);
        if worst <= NOISE {
            continue;
        }
        if x.abs_diff(256) <= 2 || y.abs_diff(256) <= 2 {
            near += 1;
        } else {
            away = away.max(worst);
        }
    }
    (near, away)
}

#[rstest]
#[case::z5_kabul(5, 69.17, 34.53)]
#[case::z7_torkham(7, 71.1, 34.1)]
#[case::z8_chaman(8, 66.45, 30.92)]
#[case::z9_khost(9, 69.9, 33.35)]
#[case::z11_torkham(11, 71.09, 34.13)]
fn two_by_two_tiles_equal_one_frame_of_twice_the_size(
    #[case] z: u8,
    #[case] lon: f64,
    #[case] lat: f64,
) {
    let data = Dataset::load(&Project::embedded()).unwrap();
    let style = Style::default_style();
    let fonts = Fonts::embedded();
    let scene = Scene::new(&data, &style, &fonts, 1.0, None);
    let parent = TileId::containing(LonLat::new(lon, lat), z).unwrap();
    let big = parent.frame(512);
    let plan = Plan::world(&scene, big.m_per_px());
    let whole = draw(&scene, &plan, &big, 512);
    let mut stitched = Pixmap::new(512, 512).unwrap();
    for (i, j) in [(0, 0), (1, 0), (0, 1), (1, 1)] {
        let child = TileId::new(z + 1, 2 * parent.x + i, 2 * parent.y + j).unwrap();
        let tile = draw(&scene, &plan, &child.frame(256), 256);
        stitched.draw_pixmap(
            (256 * i) as i32,
            (256 * j) as i32,
            tile.as_ref(),
            &tiny_skia::PixmapPaint {
                blend_mode: tiny_skia::BlendMode::Source,
                ..Default::default()
            },
            tiny_skia::Transform::identity(),
            None,
        );
    }
    let (near, away) = compare(&whole, &stitched);
    if near > 0 || away > 0 {
        let dir = std::env::temp_dir();
        whole
            .save_png(dir.join(format!("seam_z{z}_whole.png")))
            .unwrap();
        stitched
            .save_png(dir.join(format!("seam_z{z}_tiles.png")))
            .unwrap();
    }
    // Away from the seams only edge anti-aliasing may differ: the same path is rasterised
    // from coordinates offset by 256 px, which rounds differently in f32.
    assert!(
        away <= MAX_AWAY,
        "z{z}: a pixel differs by {away}/255 away from the seams"
    );
    assert!(
        near <= MAX_NEAR,
        "z{z}: {near} pixels differ along the seams"
    );
    eprintln!("z{z}: {near} pixels differ along the seams, at most {away}/255 elsewhere");
}

#[test]
fn labels_do_cross_tile_edges() {
    // Guards the test above against passing vacuously: at z7, some placed label straddles
    // a 256 px tile edge, and it is drawn in part in both tiles.
    let data = Dataset::load(&Project::embedded()).unwrap();
    let style = Style::default_style();
    let fonts = Fonts::embedded();
    let scene = Scene::new(&data, &style, &fonts, 1.0, None);
    let frame = TileId::new(7, 0, 0).unwrap().frame(256);
    let plan = Plan::world(&scene, frame.m_per_px());
    let crossing = plan
        .labels
        .iter()
        .filter(|l| {
            let (x0, x1) = (l.rect.x.floor() as i64, l.rect.right().floor() as i64);
            let (y0, y1) = (l.rect.y.floor() as i64, l.rect.bottom().floor() as i64);
            x0.div_euclid(256) != x1.div_euclid(256) || y0.div_euclid(256) != y1.div_euclid(256)
        })
        .count();
    assert!(crossing >= 2, "{crossing} labels cross a tile edge at z7");
}
