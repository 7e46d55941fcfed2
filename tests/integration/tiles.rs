//! `bordermap tiles`: the three formats hold the same tiles whatever `--jobs`, read back
//! by independent readers (SQLite and GDAL for MBTiles, the `pmtiles` Python package for
//! PMTiles); the preview page in a real headless Chromium; `serve` over real HTTP; the
//! seam invariant for 512 px tiles; bad options refused with nothing written.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::util::{bordermap, error_lines, root};

/// Every `z/x/y.png` under a tile directory.
pub fn dir_tiles(dir: &Path) -> BTreeMap<(u8, u32, u32), Vec<u8>> {
    let mut out = BTreeMap::new();
    for z in std::fs::read_dir(dir).unwrap().flatten() {
        let Ok(zn) = z.file_name().to_string_lossy().parse::<u8>() else {
            continue;
        };
        for x in std::fs::read_dir(z.path()).unwrap().flatten() {
            let xn: u32 = x.file_name().to_string_lossy().parse().unwrap();
            for y in std::fs::read_dir(x.path()).unwrap().flatten() {
                let name = y.file_name().to_string_lossy().into_owned();
                let yn: u32 = name.trim_end_matches(".png").parse().unwrap();
                out.insert((zn, xn, yn), std::fs::read(y.path()).unwrap());
            }
        }
    }
    out
}

fn run_tiles(args: &[&str]) -> std::process::Output {
    let mut all = vec!["tiles", "-q"];
    all.extend_from_slice(args);
    let out = bordermap(&all);
    assert!(
        out.status.success(),
        "bordermap {all:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// A tool needed by a test: required on CI, skipped with a note elsewhere.
fn have(tool: &str, probe: &[&str]) -> bool {
    let ok = Command::new(tool)
        .args(probe)
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            std::env::var_os("CI").is_none(),
            "{tool} is needed on CI (.ci/run installs it)"
        );
        eprintln!("note: {tool} not found; skipping this check");
    }
    ok
}

fn mbtiles_tiles(path: &Path) -> BTreeMap<(u8, u32, u32), Vec<u8>> {
    let db = rusqlite::Connection::open(path).unwrap();
    let mut st = db
        .prepare("SELECT zoom_level, tile_column, tile_row, tile_data FROM tiles")
        .unwrap();
    st.query_map([], |r| {
        let z: u8 = r.get(0)?;
        let x: u32 = r.get(1)?;
        let tms: u32 = r.get(2)?;
        Ok(((z, x, (1u32 << z) - 1 - tms), r.get::<_, Vec<u8>>(3)?))
    })
    .unwrap()
    .map(|r| r.unwrap())
    .collect()
}

#[test]
fn dir_mbtiles_and_pmtiles_hold_the_same_tiles_whatever_jobs() {
    let tmp = tempfile::tempdir().unwrap();
    let p = |n: &str| tmp.path().join(n).display().to_string();
    run_tiles(&["--zoom", "0-7", "--jobs", "1", "--out", &p("one")]);
    run_tiles(&["--zoom", "0-7", "--jobs", "2", "--out", &p("two")]);
    run_tiles(&["--zoom", "0-7", "--jobs", "2", "--out", &p("t.mbtiles")]);
    run_tiles(&["--zoom", "0-7", "--jobs", "1", "--out", &p("t1.pmtiles")]);
    run_tiles(&["--zoom", "0-7", "--jobs", "2", "--out", &p("t2.pmtiles")]);
    let one = dir_tiles(&tmp.path().join("one"));
    let two = dir_tiles(&tmp.path().join("two"));
    assert!(one.len() > 40, "{} tiles", one.len());
    assert!(one == two, "directory tiles depend on --jobs");
    assert!(tmp.path().join("one/index.html").is_file());
    assert!(tmp.path().join("one/leaflet/leaflet.js").is_file());
    // The archives are byte-identical whatever --jobs.
    assert_eq!(
        std::fs::read(tmp.path().join("t1.pmtiles")).unwrap(),
        std::fs::read(tmp.path().join("t2.pmtiles")).unwrap()
    );
    // MBTiles through SQLite: the same tiles, stored once per content.
    let mb = mbtiles_tiles(&tmp.path().join("t.mbtiles"));
    assert!(mb == one, "MBTiles differs from the directory");
    let db = rusqlite::Connection::open(tmp.path().join("t.mbtiles")).unwrap();
    let images: i64 = db
        .query_row("SELECT count(*) FROM images", [], |r| r.get(0))
        .unwrap();
    let distinct: std::collections::BTreeSet<&Vec<u8>> = one.values().collect();
    assert_eq!(
        images as usize,
        distinct.len(),
        "one image per distinct tile"
    );
    assert!(
        distinct.len() < one.len(),
        "some tiles repeat (one-colour tiles)"
    );
    let meta = |k: &str| -> String {
        db.query_row("SELECT value FROM metadata WHERE name = ?1", [k], |r| {
            r.get(0)
        })
        .unwrap()
    };
    assert_eq!(meta("format"), "png");
    assert_eq!((meta("minzoom"), meta("maxzoom")), ("0".into(), "7".into()));
    assert!(meta("attribution").contains("OpenStreetMap"));
    assert_eq!(meta("bounds").split(',').count(), 4);
    // No temporaries left anywhere.
    let left: Vec<String> = std::fs::read_dir(tmp.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(left.is_empty(), "left behind: {left:?}");

    // GDAL opens the MBTiles.
    if have("gdalinfo", &["--version"]) {
        let out = Command::new("gdalinfo")
            .arg(p("t.mbtiles"))
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(text.contains("Driver: MBTiles"), "{text}");
        assert!(text.contains("ZOOM_LEVEL=7"), "{text}");
    }
    // The pmtiles Python package reads every tile back, equal to the directory's.
    if have("python3", &["-c", "import pmtiles"]) {
        let script = r#"
import sys, json, hashlib
from pmtiles.reader import Reader, MmapSource, all_tiles
with open(sys.argv[1], "rb") as f:
    src = MmapSource(f)
    r = Reader(src)
    h = r.header()
    out = {"clustered": bool(h["clustered"]), "min": h["min_zoom"], "max": h["max_zoom"], "tiles": {}}
    for (z, x, y), data in all_tiles(src):
        out["tiles"][f"{z}/{x}/{y}"] = hashlib.sha256(data).hexdigest()
    print(json.dumps(out))
"#;
        let out = Command::new("python3")
            .args(["-c", script, &p("t1.pmtiles")])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["clustered"], true);
        assert_eq!((v["min"].as_u64(), v["max"].as_u64()), (Some(0), Some(7)));
        let tiles = v["tiles"].as_object().unwrap();
        assert_eq!(tiles.len(), one.len());
        for ((z, x, y), bytes) in &one {
            let want = sha256_hex(bytes);
            assert_eq!(tiles[&format!("{z}/{x}/{y}")], want.as_str(), "{z}/{x}/{y}");
        }
    }
}

/// SHA-256 through Python's hashlib would need Python; compute it with sha256sum instead.
fn sha256_hex(bytes: &[u8]) -> String {
    use std::io::Write;
    let mut child = Command::new("sha256sum")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(bytes).unwrap();
    let out = child.wait_with_output().unwrap();
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .next()
        .unwrap()
        .to_string()
}

fn decode(png: &[u8]) -> tiny_skia::Pixmap {
    tiny_skia::Pixmap::decode_png(png).unwrap()
}

#[test]
fn a_512_px_tile_equals_the_mosaic_of_four_256_px_tiles_one_zoom_deeper() {
    let tmp = tempfile::tempdir().unwrap();
    let p = |n: &str| tmp.path().join(n).display().to_string();
    let bbox = "69.5,33.0,71.6,35.0";
    run_tiles(&[
        "--zoom",
        "6",
        "--tile-size",
        "512",
        "--bbox",
        bbox,
        "--out",
        &p("big"),
    ]);
    run_tiles(&["--zoom", "7", "--bbox", bbox, "--out", &p("small")]);
    let big = dir_tiles(&tmp.path().join("big"));
    let small = dir_tiles(&tmp.path().join("small"));
    let mut compared = 0;
    for ((_, x, y), png) in &big {
        let whole = decode(png);
        assert_eq!(whole.width(), 512);
        for (i, j) in [(0, 0), (1, 0), (0, 1), (1, 1)] {
            let Some(child) = small.get(&(7, 2 * x + i, 2 * y + j)) else {
                continue;
            };
            let child = decode(child);
            let mut worst = 0u8;
            let mut differing = 0;
            for yy in 0..256 {
                for xx in 0..256 {
                    let a = whole.pixel(256 * i + xx, 256 * j + yy).unwrap();
                    let b = child.pixel(xx, yy).unwrap();
                    let d = a
                        .red()
                        .abs_diff(b.red())
                        .max(a.green().abs_diff(b.green()))
                        .max(a.blue().abs_diff(b.blue()));
                    worst = worst.max(d);
                    differing += usize::from(d > 2);
                }
            }
            // Same ground, same plan: only edge anti-aliasing may differ (see seams.rs).
            assert!(
                worst <= 16 && differing <= 40,
                "7/{}/{}: {differing} px, worst {worst}",
                2 * x + i,
                2 * y + j
            );
            compared += 1;
        }
    }
    assert!(compared >= 4, "{compared} child tiles compared");
}

#[test]
fn retina_tiles_have_twice_the_pixels_of_the_same_ground() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("r");
    run_tiles(&[
        "--zoom",
        "5",
        "--scale",
        "2",
        "--out",
        &out.display().to_string(),
    ]);
    let tiles = dir_tiles(&out);
    assert!(!tiles.is_empty());
    for png in tiles.values() {
        assert_eq!(decode(png).width(), 512);
    }
    let page = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(
        page.contains(r#""tileSize":256"#),
        "@2x tiles are laid out at 256 px"
    );
}

#[test]
fn best_png_is_smaller_and_decodes_to_the_same_pixels() {
    let tmp = tempfile::tempdir().unwrap();
    let p = |n: &str| tmp.path().join(n).display().to_string();
    run_tiles(&["--zoom", "0-6", "--out", &p("fast")]);
    run_tiles(&["--zoom", "0-6", "--png", "best", "--out", &p("best")]);
    let fast = dir_tiles(&tmp.path().join("fast"));
    let best = dir_tiles(&tmp.path().join("best"));
    let size = |m: &BTreeMap<(u8, u32, u32), Vec<u8>>| m.values().map(Vec::len).sum::<usize>();
    assert!(
        size(&best) < size(&fast),
        "{} vs {}",
        size(&best),
        size(&fast)
    );
    for (k, png) in &fast {
        assert_eq!(decode(png).data(), decode(&best[k]).data(), "{k:?}");
    }
}

pub fn chromium() -> Option<PathBuf> {
    have("chromium", &["--version"]).then(|| PathBuf::from("chromium"))
}

/// Loads `url` in headless Chromium: the page's `data-status` JSON and a screenshot.
pub fn browse(url: &str, dir: &Path) -> (serde_json::Value, tiny_skia::Pixmap) {
    let base = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=900,600",
        "--virtual-time-budget=8000",
    ];
    let profile = |n: &str| format!("--user-data-dir={}", dir.join(n).display());
    let dom = Command::new("chromium")
        .args(base)
        .arg(profile("p1"))
        .arg("--dump-dom")
        .arg(url)
        .output()
        .unwrap();
    let html = String::from_utf8_lossy(&dom.stdout);
    let status = html
        .split("data-status=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap_or_else(|| panic!("no data-status in the page:\n{html}"))
        .replace("&quot;", "\"");
    let shot = dir.join("shot.png");
    let out = Command::new("chromium")
        .args(base)
        .arg(profile("p2"))
        .arg(format!("--screenshot={}", shot.display()))
        .arg(url)
        .output()
        .unwrap();
    assert!(shot.is_file(), "{}", String::from_utf8_lossy(&out.stderr));
    (
        serde_json::from_str(&status).unwrap(),
        tiny_skia::Pixmap::load_png(&shot).unwrap(),
    )
}

/// Pixels in the border's red (the default style's #c0392b-ish line).
pub fn border_pixels(shot: &tiny_skia::Pixmap) -> usize {
    shot.pixels()
        .iter()
        .filter(|p| p.red() > 150 && p.green() < 80 && p.blue() < 80)
        .count()
}

#[test]
fn preview_page_loads_in_chromium_and_shows_the_border() {
    if chromium().is_none() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("dir");
    run_tiles(&["--zoom", "0-6", "--out", &out.display().to_string()]);
    let (status, shot) = browse(&format!("file://{}/index.html", out.display()), tmp.path());
    assert_eq!(status["errors"], serde_json::json!([]), "{status}");
    assert_eq!(status["failed"], 0, "{status}");
    assert!(status["loaded"].as_u64().unwrap() >= 4, "{status}");
    assert!(
        border_pixels(&shot) > 200,
        "{} red pixels",
        border_pixels(&shot)
    );
}

/// GET (or HEAD) on 127.0.0.1: status line, headers, body.
fn http(addr: &str, path: &str, extra: &str) -> (String, String, Vec<u8>) {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    write!(s, "GET {path} HTTP/1.1\r\nHost: {addr}\r\n{extra}\r\n").unwrap();
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).unwrap();
    let split = buf.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(&buf[..split]).into_owned();
    let (status, headers) = head.split_once("\r\n").unwrap_or((&head, ""));
    (
        status.to_string(),
        headers.to_string(),
        buf[split + 4..].to_vec(),
    )
}

#[test]
fn serve_gives_the_page_tilejson_tiles_and_ranges() {
    let tmp = tempfile::tempdir().unwrap();
    let archive = tmp.path().join("t.pmtiles");
    run_tiles(&["--zoom", "0-5", "--out", &archive.display().to_string()]);
    let dir = tmp.path().join("d");
    run_tiles(&["--zoom", "0-5", "--out", &dir.display().to_string()]);
    let expected = dir_tiles(&dir);
    let mut child = Command::new(env!("CARGO_BIN_EXE_bordermap"))
        .args(["serve", &archive.display().to_string(), "--port", "0"])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    std::io::BufRead::read_line(&mut stderr, &mut line).unwrap();
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|s| s.split('/').next())
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .to_string();
    let (st, _, body) = http(&addr, "/tiles.json", "");
    assert!(st.contains("200"), "{st}");
    let tj: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(tj["tilejson"], "3.0.0");
    assert_eq!(tj["maxzoom"], 5);
    let ((z, x, y), want) = expected.iter().next_back().unwrap();
    let (st, headers, body) = http(&addr, &format!("/tiles/{z}/{x}/{y}.png"), "");
    assert!(
        st.contains("200") && headers.contains("image/png"),
        "{st} {headers}"
    );
    assert_eq!(&body, want);
    let (st, _, _) = http(&addr, "/tiles/5/0/0.png", "");
    assert!(st.contains("404"), "{st}");
    let (st, headers, body) = http(&addr, "/archive.pmtiles", "Range: bytes=0-6\r\n");
    assert!(
        st.contains("206") && headers.contains("Content-Range: bytes 0-6/"),
        "{st} {headers}"
    );
    assert_eq!(body, b"PMTiles");
    let (st, _, _) = http(&addr, "/archive.pmtiles", "Range: bytes=999999999-\r\n");
    assert!(st.contains("416"), "{st}");
    let (st, _, page) = http(&addr, "/", "");
    assert!(st.contains("200") && String::from_utf8_lossy(&page).contains("leaflet/leaflet.js"));
    if chromium().is_some() {
        let (status, shot) = browse(&format!("http://{addr}/"), tmp.path());
        assert_eq!(status["errors"], serde_json::json!([]), "{status}");
        assert!(status["loaded"].as_u64().unwrap() >= 1, "{status}");
        assert!(border_pixels(&shot) > 100);
    }
    child.kill().unwrap();
    let _ = child.wait();
}

#[test]
fn bad_tile_options_fail_before_writing_anything() {
    let tmp = tempfile::tempdir().unwrap();
    let existing_file = tmp.path().join("file");
    std::fs::write(&existing_file, "keep").unwrap();
    let existing_dir = tmp.path().join("adir.pmtiles");
    std::fs::create_dir(&existing_dir).unwrap();
    let out = |n: &str| tmp.path().join(n).display().to_string();
    let cases: Vec<(Vec<String>, &str)> = vec![
        (
            vec!["--zoom".into(), "0-30".into(), "--out".into(), out("a")],
            "--zoom 0-30: zooms go from 0 to 24",
        ),
        (
            vec!["--zoom".into(), "8-2".into(), "--out".into(), out("a")],
            "--zoom 8-2: the range is reversed",
        ),
        (
            vec!["--zoom".into(), "x".into(), "--out".into(), out("a")],
            "--zoom x: expected a zoom range",
        ),
        (
            vec!["--tile-size".into(), "300".into(), "--out".into(), out("a")],
            "--tile-size 300: expected 256 or 512",
        ),
        (vec!["--out".into(), out("t.jpg")], "unknown extension .jpg"),
        (
            vec!["--out".into(), existing_file.display().to_string()],
            "exists and is not a directory",
        ),
        (
            vec!["--out".into(), existing_dir.display().to_string()],
            "is a directory",
        ),
        (
            vec![
                "--bbox".into(),
                "3,6,14,14".into(),
                "--out".into(),
                out("a"),
            ],
            "holds none of the data, whose extent is",
        ),
        (
            vec!["--zoom".into(), "0-20".into(), "--out".into(), out("a")],
            "more than 5000000",
        ),
        (
            vec!["--png".into(), "huge".into(), "--out".into(), out("a")],
            "--png huge: expected fast or best",
        ),
    ];
    for (args, expected) in cases {
        let mut all = vec!["tiles".to_string()];
        all.extend(args);
        let refs: Vec<&str> = all.iter().map(String::as_str).collect();
        let o = bordermap(&refs);
        assert!(!o.status.success(), "{refs:?} succeeded");
        let errors = error_lines(&o).join("\n");
        assert!(errors.contains(expected), "{refs:?}: {errors}");
    }
    assert_eq!(std::fs::read_to_string(&existing_file).unwrap(), "keep");
    let names: Vec<String> = std::fs::read_dir(tmp.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 2, "nothing written: {names:?}");
    let _ = root();
}

#[test]
fn shards_merge_into_the_one_machine_archive_byte_for_byte() {
    let tmp = tempfile::tempdir().unwrap();
    let p = |n: &str| tmp.path().join(n).display().to_string();
    for ext in ["pmtiles", "mbtiles"] {
        run_tiles(&["--zoom", "0-8", "--out", &p(&format!("all.{ext}"))]);
        for i in 0..3 {
            let shard = format!("{i}/3");
            run_tiles(&[
                "--zoom",
                "0-8",
                "--shard",
                &shard,
                "--out",
                &p(&format!("s{i}.{ext}")),
            ]);
        }
        // Given in any order.
        let merged = p(&format!("merged.{ext}"));
        let shards = [
            p(&format!("s2.{ext}")),
            p(&format!("s0.{ext}")),
            p(&format!("s1.{ext}")),
        ];
        let o = bordermap(&[
            "merge", &shards[0], &shards[1], &shards[2], "--out", &merged,
        ]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        assert!(
            std::fs::read(&merged).unwrap() == std::fs::read(p(&format!("all.{ext}"))).unwrap(),
            "merged {ext} differs from the one-machine run"
        );
        // A missing part, a repeated part, a whole set given as a part: refused, no output.
        let bad = p(&format!("bad.{ext}"));
        let o = bordermap(&["merge", &shards[0], &shards[1], "--out", &bad]);
        assert!(
            error_lines(&o)
                .join("\n")
                .contains("missing shard(s) [1] of 3"),
            "{:?}",
            error_lines(&o)
        );
        let o = bordermap(&["merge", &shards[0], &shards[0], &shards[1], "--out", &bad]);
        assert!(
            error_lines(&o).join("\n").contains("are both shard 2"),
            "{:?}",
            error_lines(&o)
        );
        let whole = p(&format!("all.{ext}"));
        let o = bordermap(&["merge", &whole, &shards[1], "--out", &bad]);
        assert!(
            error_lines(&o).join("\n").contains("not a shard"),
            "{:?}",
            error_lines(&o)
        );
        assert!(!Path::new(&bad).exists());
    }
    let o = bordermap(&["tiles", "--shard", "3/3", "--out", &p("x.pmtiles")]);
    assert!(
        error_lines(&o)
            .join("\n")
            .contains("--shard 3/3: I must be below N"),
        "{:?}",
        error_lines(&o)
    );
}

#[test]
fn resume_after_kill_gives_the_same_bytes_and_an_edit_redraws_only_its_metatiles() {
    let tmp = tempfile::tempdir().unwrap();
    let incidents = tmp.path().join("incidents.geojson");
    std::fs::copy(root().join("geodata/incidents.geojson"), &incidents).unwrap();
    let inc = incidents.display().to_string();
    let p = |n: &str| tmp.path().join(n).display().to_string();
    let args = |out: &str| -> Vec<String> {
        ["tiles", "--zoom", "0-10", "--incidents", &inc, "--out", out]
            .iter()
            .map(|s| s.to_string())
            .collect()
    };
    run_tiles(
        &args(&p("plain.pmtiles"))[1..]
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>(),
    );
    // Start a resumable run and kill it with SIGKILL part-way.
    let mut child = Command::new(env!("CARGO_BIN_EXE_bordermap"))
        .args(args(&p("r.pmtiles")))
        .arg("--resume")
        .arg("-q")
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(700));
    child.kill().unwrap();
    let _ = child.wait();
    let cache = tmp.path().join(".r.pmtiles.bordermap-cache");
    let cached = std::fs::read_dir(&cache).map(|d| d.count()).unwrap_or(0);
    let resumed = |extra: &[&str]| -> String {
        let mut a = args(&p("r.pmtiles"));
        a.push("--resume".into());
        a.extend(extra.iter().map(|s| s.to_string()));
        let refs: Vec<&str> = a.iter().map(String::as_str).collect();
        let o = bordermap(&refs);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8_lossy(&o.stderr).into_owned()
    };
    let first = resumed(&[]);
    assert_eq!(
        std::fs::read(p("r.pmtiles")).unwrap(),
        std::fs::read(p("plain.pmtiles")).unwrap(),
        "a resumed run must equal an uninterrupted one"
    );
    eprintln!("{cached} metatiles were cached before the kill; {first}");
    // Nothing changed: everything is reused.
    let again = resumed(&[]);
    assert!(again.contains(" 0 drawn"), "{again}");
    // Retitle the Kabul airstrike: only metatiles its label reaches are drawn again.
    let text = std::fs::read_to_string(&incidents).unwrap();
    std::fs::write(
        &incidents,
        text.replace("Airstrike in Kabul", "Air strike reported in Kabul"),
    )
    .unwrap();
    let edited = resumed(&[]);
    let drawn: u64 = edited
        .split(" drawn")
        .next()
        .and_then(|s| s.rsplit(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{edited}"));
    let reused: u64 = edited
        .split(" metatile(s) reused")
        .next()
        .and_then(|s| s.rsplit(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{edited}"));
    assert!(drawn >= 1 && drawn * 10 < reused, "{edited}");
    run_tiles(
        &args(&p("fresh.pmtiles"))[1..]
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>(),
    );
    assert_eq!(
        std::fs::read(p("r.pmtiles")).unwrap(),
        std::fs::read(p("fresh.pmtiles")).unwrap(),
        "after the edit, the resumed run equals a fresh one"
    );
}

#[test]
fn sigterm_leaves_no_temporary_and_no_half_archive() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("t.pmtiles");
    let mut child = Command::new(env!("CARGO_BIN_EXE_bordermap"))
        .args([
            "tiles",
            "-q",
            "--zoom",
            "0-11",
            "--out",
            &out.display().to_string(),
        ])
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(600));
    // SAFETY: kill(2) on our own child's pid.
    unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
    let status = child.wait().unwrap();
    let left: Vec<String> = std::fs::read_dir(tmp.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    if status.success() {
        // It finished before the signal: the archive is whole.
        assert_eq!(left, ["t.pmtiles"]);
    } else {
        assert_eq!(status.code(), Some(130), "{status:?}");
        assert!(left.is_empty(), "left behind after SIGTERM: {left:?}");
    }
}

/// Issue 11: a `kill -9` cannot be caught, so its temporary stays; the next run to the same
/// output removes it (it is no longer locked by a live process).
#[test]
fn kill_9_leaves_a_temporary_that_the_next_run_removes() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("t.pmtiles");
    let out_arg = out.display().to_string();
    let mut child = Command::new(env!("CARGO_BIN_EXE_bordermap"))
        .args(["tiles", "-q", "--zoom", "0-11", "--out", &out_arg])
        .spawn()
        .unwrap();
    let listing = || -> Vec<String> {
        std::fs::read_dir(tmp.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect()
    };
    // Wait until the temporary exists (or the run ends).
    for _ in 0..100 {
        if !listing().is_empty() || child.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.kill().unwrap(); // SIGKILL
    let status = child.wait().unwrap();
    if status.success() {
        return; // finished before the kill: nothing to clean
    }
    let left = listing();
    // The archive's temporary, and the spill file of its tile data.
    assert!(
        !left.is_empty()
            && left
                .iter()
                .all(|f| f.starts_with(".t.pmtiles") && f.ends_with(".tmp")),
        "{left:?}"
    );
    // A temporary must be a little old before it counts as left behind.
    std::thread::sleep(std::time::Duration::from_millis(2_100));
    let o = bordermap(&["tiles", "-q", "--zoom", "0-2", "--out", &out_arg]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(listing(), ["t.pmtiles"]);
}

/// Identical tiles in a directory share one file (hard links), and every path still exists
/// with the right bytes (each equals the same tile read from a PMTiles run).
#[test]
fn identical_directory_tiles_share_one_file() {
    use std::os::unix::fs::MetadataExt;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("d");
    let pm = tmp.path().join("t.pmtiles");
    for out in [&dir, &pm] {
        let o = bordermap(&[
            "tiles",
            "-q",
            "--zoom",
            "0-9",
            "--out",
            &out.display().to_string(),
        ]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    let archive = std::fs::read(&pm).unwrap();
    let (mut files, mut linked) = (0, 0);
    let zooms = std::fs::read_dir(&dir).unwrap().flatten().filter(|e| {
        e.path().is_dir()
            && e.file_name()
                .to_str()
                .is_some_and(|n| n.parse::<u8>().is_ok())
    });
    for z in zooms {
        for x in std::fs::read_dir(z.path()).unwrap().flatten() {
            for y in std::fs::read_dir(x.path()).unwrap().flatten() {
                files += 1;
                if y.metadata().unwrap().nlink() > 1 {
                    linked += 1;
                }
                let id = bordermap::tiles::xyz::TileId {
                    z: z.file_name().to_str().unwrap().parse().unwrap(),
                    x: x.file_name().to_str().unwrap().parse().unwrap(),
                    y: y.path()
                        .file_stem()
                        .unwrap()
                        .to_str()
                        .unwrap()
                        .parse()
                        .unwrap(),
                };
                let from_archive = bordermap::tiles::pmtiles::read_tile(
                    &archive,
                    bordermap::tiles::xyz::pmtiles_id(id),
                )
                .unwrap();
                assert_eq!(
                    Some(std::fs::read(y.path()).unwrap()),
                    from_archive,
                    "{id:?}"
                );
            }
        }
    }
    assert!(
        files > 100 && linked > files / 3,
        "{linked} of {files} files linked"
    );
}
