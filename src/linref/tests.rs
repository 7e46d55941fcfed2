use proptest::prelude::*;

use super::*;

/// A zig-zag line in the border's latitudes, with segments of varied length.
fn zigzag() -> Border {
    let pts: Vec<(f64, f64)> = (0..40)
        .map(|i| {
            let x = 61.0 + i as f64 * 0.3;
            let y = 30.0 + (i as f64 * 0.7).sin() * 0.8 + i as f64 * 0.15;
            (x, y)
        })
        .collect();
    Border::from_lonlat(&pts).unwrap()
}

#[test]
fn too_few_points_is_an_error() {
    assert_eq!(
        Border::from_lonlat(&[(1.0, 1.0)]).unwrap_err(),
        BorderError::TooFewPoints(1)
    );
    assert_eq!(
        Border::from_lonlat(&[(1.0, 1.0), (1.0, 1.0)]).unwrap_err(),
        BorderError::TooFewPoints(1)
    );
}

#[test]
fn points_beyond_the_ends_clamp_to_the_ends() {
    let b = Border::from_lonlat(&[(70.0, 34.0), (71.0, 34.0)]).unwrap();
    let before = b.locate(LonLat::new(69.0, 34.0));
    assert_eq!(before.along_km, 0.0);
    assert!((before.offset_km.abs() - 92.4).abs() < 0.2);
    let after = b.locate(LonLat::new(72.0, 34.0));
    assert!((after.along_km - b.length_km()).abs() < 1e-9);
}

#[test]
fn south_of_an_eastward_line_is_right_and_negative() {
    let b = Border::from_lonlat(&[(70.0, 34.0), (71.0, 34.0)]).unwrap();
    let at = b.locate(LonLat::new(70.5, 33.9));
    assert_eq!(at.hand(), Hand::Right);
    // The geodesic bulges ~110 m north of the parallel, so the point is 11.205 km away.
    assert!((at.offset_km + 11.205).abs() < 0.001, "{}", at.offset_km);
}

#[test]
fn substring_keeps_inner_vertices() {
    let b = zigzag();
    let k = b.vertex_km().to_vec();
    let sub = b.substring(k[3] - 1.0, k[6] + 1.0).unwrap();
    assert_eq!(sub.len(), 2 + 4);
    assert_eq!(sub[1], b.vertices()[3]);
    let reversed = b.substring(k[6] + 1.0, k[3] - 1.0).unwrap();
    assert_eq!(reversed[0], sub[sub.len() - 1]);
    assert!(b.substring(-5.0, 10.0).is_err());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Locating an interpolated point gives back its km, on the line.
    #[test]
    fn locate_inverts_interpolate(frac in 0.0f64..1.0) {
        let b = zigzag();
        let km = frac * b.length_km();
        let p = b.interpolate(km).unwrap();
        let at = b.locate(p);
        prop_assert!((at.along_km - km).abs() < 1e-3, "km {km} located at {}", at.along_km);
        prop_assert!(at.offset_km.abs() < 1e-3);
    }

    /// km grows monotonically with the vertex index, and interpolation follows it.
    #[test]
    fn along_km_is_monotonic(a in 0.0f64..1.0, b in 0.0f64..1.0) {
        let border = zigzag();
        let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
        let pa = border.locate(border.interpolate(lo * border.length_km()).unwrap());
        let pb = border.locate(border.interpolate(hi * border.length_km()).unwrap());
        prop_assert!(pa.along_km <= pb.along_km + 1e-6);
        prop_assert!(border.vertex_km().windows(2).all(|w| w[0] < w[1]));
    }

    /// Mirroring a point across the line flips the sign of its offset, not its size.
    #[test]
    fn mirrored_point_flips_side(frac in 0.02f64..0.98, off in 0.05f64..20.0) {
        let b = zigzag();
        let km = frac * b.length_km();
        let foot = b.interpolate(km).unwrap();
        let seg = b.segment_at(km).unwrap();
        let (_, azimuth) = geodesy::direct(b.vertices[seg], b.segments[seg].azimuth_start, km - b.cum_km[seg]);
        let (left, _) = geodesy::direct(foot, azimuth - 90.0, off);
        let (right, _) = geodesy::direct(foot, azimuth + 90.0, off);
        let l = b.locate(left);
        let r = b.locate(right);
        // Near a bend the closest point can move to the neighbouring segment: only the
        // sign is guaranteed, and the distance can only shrink.
        prop_assert!(l.offset_km > 0.0, "left {l:?}");
        prop_assert!(r.offset_km < 0.0, "right {r:?}");
        prop_assert!(l.offset_km <= off + 1e-6 && -r.offset_km <= off + 1e-6);
    }
}
