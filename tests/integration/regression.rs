//! Regression tests, each named after the bug it pins down.

use bordermap::config::Project;
use bordermap::{Dataset, LonLat};

use crate::util::{bordermap, error_lines, root};

/// The `csv` crate counts record lines one short after CRLF line ends; messages must give
/// the physical line of the row.
#[test]
fn csv_line_numbers_with_crlf_line_ends() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crlf.csv");
    std::fs::write(
        &path,
        "id,date,kind,lon,lat\r\na1,2025-10-11,clash,71.0,34.1\r\na2,2025-10-11,clash,71.0,zz\r\n",
    )
    .unwrap();
    let out = bordermap(&["validate", "--incidents", path.to_str().unwrap()]);
    let lines = error_lines(&out);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0]
            .ends_with(": line 3 (id \"a2\"): `lat` should be a latitude in degrees, found \"zz\""),
        "{lines:?}"
    );
}

/// Near Jalalabad two stretches of border lie 51.43 km and 51.50 km away; a planar
/// candidate frame once picked the farther one (km 1982 instead of km 1823).
#[test]
fn locate_settles_a_near_tie_on_the_ellipsoid() {
    let data = Dataset::load(&Project::embedded()).unwrap();
    let at = data.border.locate(LonLat::new(70.45, 34.43));
    assert!((at.along_km - 1823.135).abs() < 0.001, "{}", at.along_km);
    assert!((at.offset_km - 51.427).abs() < 0.001, "{}", at.offset_km);
}

/// `--border` without `--config` starts a new project even where ./bordermap.toml exists:
/// the shipped posts, places and incidents must not leak into another border's map.
#[test]
fn border_flag_starts_a_new_project() {
    let out = bordermap(&[
        "validate",
        "--border",
        "tests/fixtures/border_small.geojson",
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("posts      0") && stdout.contains("incidents  0"),
        "{stdout}"
    );
}

/// Issue 11: an output naming an input (or a device, FIFO or directory) is refused and
/// the input is untouched; a symbolic link is written through to its target.
#[test]
fn issue_11_outputs_never_harm_inputs_or_special_files() {
    let tmp = tempfile::tempdir().unwrap();
    let border = tmp.path().join("border.geojson");
    std::fs::copy(root().join("geodata/border.geojson"), &border).unwrap();
    let incidents = tmp.path().join("incidents.geojson");
    std::fs::copy(root().join("geodata/incidents.geojson"), &incidents).unwrap();
    let before = (
        std::fs::read(&border).unwrap(),
        std::fs::read(&incidents).unwrap(),
    );
    let b = border.display().to_string();
    let i = incidents.display().to_string();
    for args in [
        vec!["render", "--border", &b, "--out", &b],
        vec!["chart", "--border", &b, "--incidents", &i, "--out", &b],
        vec!["export", "--border", &b, "--incidents", &i, "--out", &i],
    ] {
        let o = bordermap(&args);
        assert!(!o.status.success(), "{args:?} succeeded");
        let e = error_lines(&o).join("\n");
        assert!(
            e.contains("is an input of this run: refusing to write over it")
                || e.contains("expected a file ending in"),
            "{args:?}: {e}"
        );
    }
    assert_eq!(
        (
            std::fs::read(&border).unwrap(),
            std::fs::read(&incidents).unwrap()
        ),
        before
    );
    // A shard merged onto itself.
    let shard = tmp.path().join("s.pmtiles");
    let o = bordermap(&[
        "tiles",
        "-q",
        "--zoom",
        "0-3",
        "--shard",
        "0/1",
        "--out",
        &shard.display().to_string(),
    ]);
    assert!(o.status.success());
    let kept = std::fs::read(&shard).unwrap();
    let o = bordermap(&[
        "merge",
        &shard.display().to_string(),
        "--out",
        &shard.display().to_string(),
    ]);
    assert!(
        error_lines(&o)
            .join("\n")
            .contains("is an input of this run"),
        "{:?}",
        error_lines(&o)
    );
    assert_eq!(std::fs::read(&shard).unwrap(), kept);
    // A FIFO stands for a device: refused, left as it is.
    let fifo = tmp.path().join("out.png");
    let c = std::ffi::CString::new(fifo.to_string_lossy().as_bytes()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    let o = bordermap(&["render", "--out", &fifo.display().to_string()]);
    assert!(
        error_lines(&o)
            .join("\n")
            .contains("not a regular file: refusing to replace it"),
        "{:?}",
        error_lines(&o)
    );
    use std::os::unix::fs::FileTypeExt;
    assert!(
        std::fs::symlink_metadata(&fifo)
            .unwrap()
            .file_type()
            .is_fifo()
    );
    // A link: its target gets the map, the link stays a link.
    let target = tmp.path().join("target.png");
    std::fs::write(&target, b"old").unwrap();
    let link = tmp.path().join("link.png");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let o = bordermap(&["render", "--out", &link.display().to_string()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(std::fs::read(&target).unwrap().starts_with(b"\x89PNG"));
}

/// Issue 11: an id holding ESC/OSC/BEL or U+202E must not reach the terminal raw, and a
/// FIFO or `/dev/zero` given as an input fails at once instead of blocking or filling memory.
#[test]
fn issue_11_terminal_injection_and_special_input_files() {
    let tmp = tempfile::tempdir().unwrap();
    let evil = tmp.path().join("evil.geojson");
    std::fs::write(
        &evil,
        "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[70,34]},\"properties\":{\"id\":\"x\\u001b]0;pwned\\u0007\\u202e\",\"date\":\"2025-13-01\",\"kind\":\"clash\"}}]}",
    )
    .unwrap();
    let o = bordermap(&["validate", "--incidents", &evil.display().to_string()]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success());
    assert!(
        !stderr
            .chars()
            .any(|c| (c.is_control() && c != '\n') || c == '\u{202e}'),
        "{stderr:?}"
    );
    assert!(
        stderr.contains("\\u{1b}") && stderr.contains("\\u{202e}"),
        "{stderr}"
    );
    let fifo = tmp.path().join("fifo.geojson");
    let c = std::ffi::CString::new(fifo.to_string_lossy().as_bytes()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    for (flag, path) in [
        ("--border", fifo.display().to_string()),
        ("--incidents", "/dev/zero".to_string()),
        ("--style", "/dev/zero".to_string()),
    ] {
        let cmd = if flag == "--style" {
            "render"
        } else {
            "validate"
        };
        let t0 = std::time::Instant::now();
        let o = bordermap(&[cmd, flag, &path]);
        assert!(!o.status.success());
        let e = error_lines(&o).join("\n");
        assert!(e.contains("not a regular file"), "{flag} {path}: {e}");
        assert!(
            t0.elapsed() < std::time::Duration::from_secs(20),
            "took {:?}",
            t0.elapsed()
        );
    }
}

/// Issue 11: casualty figures are counts: 1e18 (once a tiny-skia panic), negative or
/// fractional values, `low` above `high` and misspelt keys are errors naming the feature,
/// the claim and the figure.
#[test]
fn issue_11_claim_figures_are_range_checked() {
    let o = bordermap(&[
        "validate",
        "--incidents",
        "tests/fixtures/bad/claims_out_of_range.geojson",
    ]);
    assert!(!o.status.success());
    let lines = error_lines(&o);
    let f = "error: tests/fixtures/bad/claims_out_of_range.geojson";
    crate::util::assert_lines(
        &lines,
        &[
            &format!(
                "{f}: feature 0 (id \"a\"): `claims` claim 0 (X), figure 0 (killed): `low` 1000000000000000000 should be a whole number from 0 to 1,000,000,000 (a count of people or posts)"
            ),
            &format!(
                "{f}: feature 1 (id \"b\"): `claims` claim 0 (X), figure 0 (killed): `low` 9 is above `high` 3"
            ),
            &format!(
                "{f}: feature 2 (id \"c\"): `claims` should be an array of claims ({{claimant, outlet, reported, figures}}): unknown field `figurs`, expected one of `claimant`, `short`, `outlet`, `reported`, `figures`, `statement`"
            ),
            &format!(
                "{f}: feature 3 (id \"d\"): `claims` claim 0 (X), figure 0 (killed): `low` -3.5 should be a whole number from 0 to 1,000,000,000 (a count of people or posts)"
            ),
        ],
    );
}

/// Issue 11: style numbers are sizes: NaN, negative and huge values (once an abort in an
/// allocation) are errors naming the key; a tiny `step_km` no longer runs for minutes.
#[test]
fn issue_11_style_numbers_are_range_checked() {
    let tmp = tempfile::tempdir().unwrap();
    let default = std::fs::read_to_string(root().join("styles/default.toml")).unwrap();
    for (from, to, expected) in [
        (
            "title_size = 27",
            "title_size = nan",
            "`text.title_size` = NaN: expected a number from 0 to 1000",
        ),
        (
            "halo_width = 2.2",
            "halo_width = 1e9",
            "`text.halo_width` = 1000000000: expected a number from 0 to 1000",
        ),
        (
            "casing_width = 5.0",
            "casing_width = -1",
            "`border.casing_width` = -1: expected a number from 0 to 1000",
        ),
    ] {
        assert!(default.contains(from), "{from}");
        let path = tmp.path().join("s.toml");
        std::fs::write(&path, default.replacen(from, to, 1)).unwrap();
        let out = tmp.path().join("m.png");
        let o = bordermap(&[
            "render",
            "--style",
            &path.display().to_string(),
            "--out",
            &out.display().to_string(),
        ]);
        assert!(!o.status.success());
        assert!(
            error_lines(&o).join("\n").contains(expected),
            "{to}: {:?}",
            error_lines(&o)
        );
        assert!(!out.exists());
    }
    let path = tmp.path().join("step.toml");
    let step = default.lines().find(|l| l.starts_with("step_km")).unwrap();
    std::fs::write(&path, default.replacen(step, "step_km = 0.001", 1)).unwrap();
    let o = bordermap(&[
        "render",
        "--style",
        &path.display().to_string(),
        "--out",
        &tmp.path().join("t.png").display().to_string(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

/// Issue 11: messages name the cause, not a symptom: a semicolon-separated or UTF-16 CSV
/// is read (with a note), a duplicate column, an unterminated quote (at the line it
/// opens), a GeometryCollection border and a bare geometry in `features` are named.
#[test]
fn issue_11_messages_name_the_cause() {
    let tmp = tempfile::tempdir().unwrap();
    let write = |name: &str, bytes: &[u8]| {
        let p = tmp.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        p.display().to_string()
    };
    let semi = write(
        "semi.csv",
        b"id;date;kind;lon;lat\na1;2025-10-11;clash;71.0;34.1\n",
    );
    let o = bordermap(&["validate", "--incidents", &semi]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        o.status.success() && err.contains("read as semicolon-separated"),
        "{err}"
    );
    let mut u16 = vec![0xFF, 0xFE];
    for unit in "id,date,kind,lon,lat\na1,2025-10-11,clash,71.0,34.1\n".encode_utf16() {
        u16.extend(unit.to_le_bytes());
    }
    let u16 = write("u16.csv", &u16);
    let o = bordermap(&["validate", "--incidents", &u16]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success() && err.contains("UTF-16"), "{err}");
    let cases: Vec<(String, &str, &str)> = vec![
        (write("dup.csv", b"id,date,date,kind,lon,lat\na1,2025-10-11,2025-10-12,clash,71.0,34.1\n"), "--incidents", "line 1: column `date` appears twice (columns 2 and 3)"),
        (write("unq.csv", b"id,date,kind,lon,lat\na1,2025-10-11,\"clash,71.0,34.1\na2,2025-10-11,clash,71.0,34.1\n"), "--incidents", "line 2: a quoted field opens here and is never closed"),
        (write("gc.geojson", br#"{"type":"GeometryCollection","geometries":[{"type":"LineString","coordinates":[[70,34],[71,34]]}]}"#), "--border", "`geometry` is a GeometryCollection: expected a single geometry"),
        (write("bare.geojson", br#"{"type":"FeatureCollection","features":[{"type":"Point","coordinates":[70,34]}]}"#), "--incidents", "feature 0: is a bare Point geometry where a Feature belongs"),
    ];
    for (path, flag, expected) in cases {
        let o = bordermap(&["validate", flag, &path]);
        assert!(!o.status.success(), "{path}");
        assert!(
            error_lines(&o).join("\n").contains(expected),
            "{path}: {:?}",
            error_lines(&o)
        );
    }
}

/// Issue 10: nonsense frames are errors, not empty maps: a bbox holding none of the data
/// names the data's extent; a size too small for the furniture names the minimum.
#[test]
fn issue_10_nonsense_frames_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("m.png").display().to_string();
    for (args, expected) in [
        (
            vec!["--bbox", "3,6,14,14"],
            "--bbox 3,6,14,14: holds none of the data, whose extent is 59.504,28.612,75.934,37.796",
        ),
        (
            vec!["--size", "100x100"],
            "--size 100x100: a map with its title, key and credits needs at least 400x250 pixels",
        ),
    ] {
        let mut all = vec!["render"];
        all.extend(args);
        all.extend(["--out", &out]);
        let o = bordermap(&all);
        assert!(!o.status.success(), "{all:?}");
        assert!(
            error_lines(&o).join("\n").contains(expected),
            "{all:?}: {:?}",
            error_lines(&o)
        );
    }
    assert!(!std::path::Path::new(&out).exists());
}

/// Files are streamed from disk (issue 11, memory); the streamed readers must give exactly
/// what the in-memory readers give, records, problems and notes alike, for every fixture.
#[test]
fn issue_11_streamed_files_read_exactly_as_text() {
    use bordermap::load::{csv, incidents};
    let dir = root().join("tests/fixtures");
    let mut files: Vec<std::path::PathBuf> = ["csv", "bad", "chart", "."]
        .iter()
        .flat_map(|d| std::fs::read_dir(dir.join(d)).unwrap())
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    // A CRLF file with a byte-order mark, a quoted newline and a bad row, written here.
    let tmp = tempfile::tempdir().unwrap();
    let crlf = tmp.path().join("crlf.csv");
    std::fs::write(
        &crlf,
        "\u{feff}id,date,kind,lon,lat,notes\r\na1,2025-10-11,clash,71.0,34.1,\"two\r\nlines\"\r\na2,bad,clash,71.0,34.1,x\r\na3,2025-10-12,clash,71.1,34.2,y\r\n",
    )
    .unwrap();
    files.push(crlf);
    let mut compared = 0;
    for path in files {
        let bytes = std::fs::read(&path).unwrap();
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        let (streamed, in_memory) = match ext {
            "csv" => (
                csv::from_csv_file(&path, None, &Default::default()),
                csv::from_csv(&path, &bytes, None, &Default::default()),
            ),
            "geojson" => {
                let Ok(text) = String::from_utf8(bytes) else {
                    continue;
                };
                (
                    incidents::from_geojson_file(&path, None),
                    incidents::from_geojson(&path, &text, None),
                )
            }
            _ => continue,
        };
        assert_eq!(
            format!("{streamed:?}"),
            format!("{in_memory:?}"),
            "{}",
            path.display()
        );
        compared += 1;
    }
    assert!(compared > 30, "only {compared} fixtures compared");
}

/// Issue 11: time zones, big numeric ids and the border's shape are checked at load, each
/// message saying what and where.
#[test]
fn issue_11_time_zones_ids_and_border_shape() {
    let tmp = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let p = tmp.path().join(name);
        std::fs::write(&p, text).unwrap();
        p.display().to_string()
    };
    let incident = |id: &str, zone: &str| {
        format!(
            r#"{{"type":"Feature","geometry":{{"type":"Point","coordinates":[71.0,34.1]}},"properties":{{"id":{id},"date":"2025-10-11","time":"22:00","time_zone":"{zone}","kind":"clash"}}}}"#
        )
    };
    let zones = write(
        "zones.geojson",
        &format!(
            r#"{{"type":"FeatureCollection","features":[{},{},{},{}]}}"#,
            incident("\"a\"", "Asia/Kabul"),
            incident("\"b\"", "Mars/Olympus"),
            incident("\"c\"", "+99:00"),
            incident("\"d\"", "+04:30"),
        ),
    );
    let o = bordermap(&["validate", "--incidents", &zones]);
    let errors = error_lines(&o).join("\n");
    assert!(errors.contains("feature 1 (id \"b\"): `time_zone` \"Mars/Olympus\" is not a time zone: expected an IANA name"), "{errors}");
    assert!(errors.contains("feature 2 (id \"c\"): `time_zone` \"+99:00\" is outside the offsets in use on Earth (−12:00 to +14:00)"), "{errors}");
    assert_eq!(error_lines(&o).len(), 2, "{errors}");

    // Two ids that differ in their last digit, both beyond exact f64: kept as written.
    let ids = write(
        "ids.geojson",
        &format!(
            r#"{{"type":"FeatureCollection","features":[{},{}]}}"#,
            incident("123456789012345678901234567890", "UTC"),
            incident("123456789012345678901234567891", "UTC"),
        ),
    );
    let project = Project {
        incidents: vec![bordermap::config::Source::File(ids.clone().into())],
        ..Project::embedded()
    };
    let data = Dataset::load(&project).unwrap();
    assert!(data.problems.is_empty(), "{:?}", data.problems);
    let got: Vec<&str> = data.incidents.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(
        got,
        [
            "123456789012345678901234567890",
            "123456789012345678901234567891"
        ]
    );

    let line = |coords: &str| {
        format!(
            r#"{{"type":"Feature","properties":{{}},"geometry":{{"type":"LineString","coordinates":{coords}}}}}"#
        )
    };
    let cases = [
        (
            "eight",
            "[[70,34],[71,35],[71,34],[70,35]]",
            "warning: the border crosses or touches itself 1 time(s), so a km position there is ambiguous: km 0.0 and km 254.9 at [70.50000, 34.50000]",
        ),
        (
            "abab",
            "[[70,34],[71,34],[70,34],[71,34]]",
            "warning: the border turns straight back on itself",
        ),
        (
            "polar",
            "[[10,84],[11,89.5]]",
            "warning: 1 border vertex(es) lie beyond Web Mercator's limit (±85.0511°) and are drawn at the limit: km 614.3 at latitude 89.5",
        ),
    ];
    for (name, coords, expected) in cases {
        let path = write(&format!("{name}.geojson"), &line(coords));
        let o = bordermap(&["validate", "--border", &path]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(expected), "{name}: {err}");
    }
    let path = write("dateline.geojson", &line("[[179.5,-16],[-179.5,-16.5]]"));
    let o = bordermap(&["validate", "--border", &path]);
    assert!(!o.status.success());
    let errors = error_lines(&o).join("\n");
    assert!(
        errors.contains("the border crosses the 180° meridian at km 0.0, from [179.5, -16] to [-179.5, -16.5]: borders across the antimeridian are not supported"),
        "{errors}"
    );
    let country = |rings: &str| {
        format!(
            r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","properties":{{"iso3":"XXX"}},"geometry":{{"type":"Polygon","coordinates":{rings}}}}}]}}"#
        )
    };
    for (name, rings, expected) in [
        (
            "two",
            "[[[70,34],[71,34]]]",
            "`geometry` ring 0 has 2 position(s): a ring needs at least 4",
        ),
        (
            "open",
            "[[[70,34],[71,34],[71,35],[70,35]]]",
            "`geometry` ring 0 is not closed: it ends at [70, 35], not at its first position [70, 34]",
        ),
    ] {
        let path = write(&format!("{name}.geojson"), &country(rings));
        let o = bordermap(&["validate", "--basemap", &path]);
        let errors = error_lines(&o).join("\n");
        assert!(errors.contains(expected), "{name}: {errors}");
    }
}

/// Issue 10: a month of dense ACLED data (21 incidents in October 2025, three or four at one
/// town) at every preset: every key number has its entry in the key (panel or the band below
/// the map), stacked incidents become one counted symbol, and the credits name ACLED and each
/// outlet once.
#[test]
fn issue_10_every_incident_keyed_at_every_preset() {
    let tmp = tempfile::tempdir().unwrap();
    for preset in ["default", "small", "wide", "square", "portrait", "print"] {
        let out = tmp.path().join(format!("{preset}.svg"));
        let o = bordermap(&[
            "render",
            "--incidents",
            "tests/fixtures/csv/acled_40.csv",
            "--from",
            "2025-10-01",
            "--to",
            "2025-10-31",
            "--preset",
            preset,
            "--out",
            &out.display().to_string(),
        ]);
        assert!(
            o.status.success(),
            "{preset}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let svg = std::fs::read_to_string(&out).unwrap();
        let furniture = &svg[svg.find("<g id=\"furniture\">").expect("a furniture group")..];
        for n in 1..=21 {
            assert!(
                furniture.contains(&format!(">{n}</text>")),
                "{preset}: no key entry for number {n}"
            );
        }
        assert!(
            !svg.contains("more incident"),
            "{preset}: a key hides incidents"
        );
        assert!(
            svg.contains("Torkham: 3 incidents"),
            "{preset}: no group at Torkham"
        );
        assert!(
            svg.contains("Nos. 4, 13, 21"),
            "{preset}: the group's numbers"
        );
        let credits: String = furniture
            .split("<text")
            .filter(|t| t.contains("fill=\"#"))
            .filter_map(|t| t.split('>').nth(1))
            .map(|t| t.trim_end_matches("</text").to_string())
            .collect::<Vec<_>>()
            .join(" ");
        assert!(
            credits.contains("(ACLED), acleddata.com"),
            "{preset}: {credits}"
        );
        assert_eq!(
            credits.matches("The Guardian").count(),
            1,
            "{preset}: each outlet once: {credits}"
        );
    }
}

/// Issue 10: a long bridge over a gap in the border data is a warning in `validate` and
/// `render`, drawn dashed, and explained in the legend.
#[test]
fn issue_10_bridged_gaps_warned_dashed_and_keyed() {
    let tmp = tempfile::tempdir().unwrap();
    let svg = tmp.path().join("gap.svg");
    let warning = "warning: a 32.2 km gap in the border data, from [70.5, 34.2] to [70.8, 34.35], is bridged by a straight line";
    let o = bordermap(&["validate", "--border", "tests/fixtures/border_gap.geojson"]);
    assert!(String::from_utf8_lossy(&o.stderr).contains(warning));
    let o = bordermap(&[
        "render",
        "--border",
        "tests/fixtures/border_gap.geojson",
        "--out",
        &svg.display().to_string(),
    ]);
    assert!(o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains(warning));
    let text = std::fs::read_to_string(&svg).unwrap();
    // The bridge's dashes are separate strokes over the casing (see render::dashes).
    assert!(text.contains("Gap in the source data (over 20 km)"));
    // The shipped border has no long bridge: no warning, no dashes, no legend entry.
    let o = bordermap(&["validate"]);
    assert!(!String::from_utf8_lossy(&o.stderr).contains("warning:"));
}

/// Issue 10: a shipped record that names its country lies in that country (the
/// "south-eastern Afghanistan" centre once lay 0.45 km inside Pakistan).
#[test]
fn issue_10_shipped_places_lie_in_the_country_they_name() {
    let data = Dataset::load(&Project::embedded()).unwrap();
    let mut checked = 0;
    for inc in &data.incidents {
        let at = match &inc.location {
            bordermap::model::Location::Point { at, .. } => *at,
            bordermap::model::Location::Region {
                centre: Some(at), ..
            } => *at,
            _ => continue,
        };
        let words = format!(
            "{} {}",
            inc.title.as_deref().unwrap_or(""),
            inc.properties.get_str("region").unwrap_or_default()
        );
        for (name, code) in [("Afghanistan", "AFG"), ("Pakistan", "PAK")] {
            if words.contains(name) {
                let side = data.reference(at).side();
                assert_eq!(side, code, "{}: {words} lies in {side}", inc.id);
                checked += 1;
            }
        }
    }
    assert!(checked >= 1);
}

/// Issue 10: a zoomed map lists what is on it and says how many incidents lie outside.
#[test]
fn issue_10_zoomed_map_counts_what_lies_outside() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("zoom.svg");
    let o = bordermap(&[
        "render",
        "--incidents",
        "tests/fixtures/csv/acled_40.csv",
        "--from",
        "2025-10-01",
        "--to",
        "2025-10-31",
        "--bbox",
        "69.5,33.5,72,35.5",
        "--out",
        &out.display().to_string(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let svg = std::fs::read_to_string(&out).unwrap();
    assert!(svg.contains("8 more lie outside this map"));
    // Chaman (km 740) is far outside: neither its group nor its rows are listed.
    assert!(
        !svg.contains("Chaman"),
        "an incident outside the map is listed"
    );
    assert!(svg.contains("Torkham: 3 incidents"));
}

/// Issue 10: a long title wraps onto two lines (never cut mid-word) and the header grows to
/// hold them and the subtitle.
#[test]
fn issue_10_long_titles_wrap_whole_words() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("t.svg");
    let title = "Afghanistan–Pakistan border clashes: Taliban and Pakistani army claims of captured posts, October 2025";
    let o = bordermap(&[
        "render",
        "--preset",
        "small",
        "--title",
        title,
        "--out",
        &out.display().to_string(),
    ]);
    assert!(o.status.success());
    let svg = std::fs::read_to_string(&out).unwrap();
    let texts: Vec<(f32, String)> = svg
        .split("<text ")
        .skip(1)
        .filter_map(|t| {
            let y: f32 = t.split("y=\"").nth(1)?.split('"').next()?.parse().ok()?;
            let body = t.split('>').nth(1)?.split("</text").next()?.to_string();
            Some((y, body))
        })
        .collect();
    let lines: Vec<&(f32, String)> = texts
        .iter()
        .filter(|(y, t)| *y < 70.0 && title.contains(t.as_str()) && t.len() > 10)
        .collect();
    assert_eq!(lines.len(), 2, "{texts:?}");
    assert_eq!(format!("{} {}", lines[0].1, lines[1].1), title);
    let subtitle = texts
        .iter()
        .find(|(_, t)| t.starts_with("Incidents reported"))
        .unwrap();
    assert!(
        subtitle.0 > lines[1].0 + 10.0,
        "the subtitle sits below the title"
    );
}

/// Issue 10: a border marked de facto, and a stretch marked disputed, are drawn distinctly
/// (dashes laid from each line's start) and the legend says so, with the data's note; a bad
/// status names the field.
#[test]
fn issue_10_disputed_and_de_facto_lines() {
    let tmp = tempfile::tempdir().unwrap();
    let svg = tmp.path().join("s.svg");
    let o = bordermap(&[
        "render",
        "--border",
        "tests/fixtures/border_status.geojson",
        "--out",
        &svg.display().to_string(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = std::fs::read_to_string(&svg).unwrap();
    assert!(text.contains(">De facto border (not recognised by both sides): not<"));
    assert!(text.contains(">recognised by the north<"));
    assert!(text.contains("Disputed border: claimed by both"));
    let bad = tmp.path().join("bad.geojson");
    std::fs::write(
        &bad,
        std::fs::read_to_string(root().join("tests/fixtures/border_status.geojson"))
            .unwrap()
            .replace("\"de_facto\"", "\"contested\""),
    )
    .unwrap();
    let o = bordermap(&["validate", "--border", &bad.display().to_string()]);
    assert!(!o.status.success());
    assert!(
        error_lines(&o).join("\n").contains(
            "`status` should be \"agreed\", \"disputed\" or \"de_facto\", found \"contested\""
        ),
        "{:?}",
        error_lines(&o)
    );
}

/// Issue 10: shipped crossings lie on the border line, posts with a stated country lie in it,
/// and the Chaman crossing is within its stated precision of the Friendship Gate's published
/// coordinate (30.92222 N, 66.44472 E).
#[test]
fn issue_10_shipped_posts_are_where_their_sources_say() {
    let data = Dataset::load(&Project::embedded()).unwrap();
    for post in &data.posts {
        let r = data.reference(post.at);
        if post.kind.as_deref() == Some("crossing") {
            assert!(
                r.located.offset_km.abs() < 0.1,
                "{} is off the line",
                post.id
            );
        }
        if let Some(code) = &post.country {
            assert_eq!(&r.side(), code, "{} lies outside {code}", post.id);
        }
    }
    let chaman = data
        .posts
        .iter()
        .find(|p| p.id == "chaman-spin-boldak")
        .unwrap();
    let published = LonLat::new(66.44472, 30.92222);
    let km = bordermap::geodesy::distance_km(chaman.at, published);
    assert!(
        km * 1000.0 <= chaman.precision_m.unwrap(),
        "{km:.1} km from the published coordinate"
    );
}

/// Issue 10: `batch` takes the presets too; days whose key grows the canvas still animate
/// (frames padded to the tallest).
#[test]
fn issue_10_batch_presets_and_growing_days_animate() {
    let tmp = tempfile::tempdir().unwrap();
    let pattern = format!("{}/{{date}}.png", tmp.path().display());
    let gif = tmp.path().join("a.gif");
    let o = bordermap(&[
        "batch",
        "--incidents",
        "tests/fixtures/dense/dense_march_2026.csv",
        "--from",
        "2026-03-01",
        "--to",
        "2026-03-21",
        "--every",
        "week",
        "--cumulative",
        "--preset",
        "small",
        "--out-pattern",
        &pattern,
        "--animate",
        &gif.display().to_string(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let sizes: Vec<(u32, u32)> = ["2026-03-01", "2026-03-08", "2026-03-15"]
        .iter()
        .map(|d| {
            let p = tiny_skia::Pixmap::load_png(tmp.path().join(format!("{d}.png"))).unwrap();
            (p.width(), p.height())
        })
        .collect();
    assert!(sizes.iter().all(|s| s.0 == 800), "{sizes:?}");
    assert!(sizes[2].1 > sizes[0].1, "later days hold more: {sizes:?}");
    let bytes = std::fs::read(&gif).unwrap();
    let (w, h) = (
        u16::from_le_bytes([bytes[6], bytes[7]]),
        u16::from_le_bytes([bytes[8], bytes[9]]),
    );
    assert_eq!(
        (u32::from(w), u32::from(h)),
        (800, sizes.iter().map(|s| s.1).max().unwrap())
    );
}
