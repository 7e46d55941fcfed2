//! `bordermap batch`: maps equal `render --date` whatever `--jobs`; the index; resume
//! after an edit and after `kill -9`; shards via flags and via the Kubernetes and Slurm
//! variables; `--finish`; the animation; bad input; a real Slurm job array.

use std::path::Path;
use std::process::Command;

use crate::util::{bordermap, error_lines, root};

fn run(args: &[&str]) -> String {
    let mut all = vec!["batch"];
    all.extend_from_slice(args);
    let o = bordermap(&all);
    assert!(
        o.status.success(),
        "bordermap {all:?}:\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    v.sort();
    v
}

#[test]
fn maps_equal_render_whatever_jobs_and_the_index_lists_them() {
    let tmp = tempfile::tempdir().unwrap();
    let pat = |d: &str| format!("{}/{d}/{{date}}.png", tmp.path().display());
    run(&[
        "--from",
        "2025-10-08",
        "--to",
        "2025-10-13",
        "--jobs",
        "1",
        "-q",
        "--out-pattern",
        &pat("a"),
    ]);
    run(&[
        "--from",
        "2025-10-08",
        "--to",
        "2025-10-13",
        "--jobs",
        "2",
        "-q",
        "--out-pattern",
        &pat("b"),
    ]);
    let (a, b) = (files(&tmp.path().join("a")), files(&tmp.path().join("b")));
    assert_eq!(a.len(), 8, "6 maps and 2 index files");
    for ((na, ba), (nb, bb)) in a.iter().zip(&b) {
        assert_eq!(na, nb);
        if na.ends_with(".png") {
            assert!(ba == bb, "{na} depends on --jobs");
        }
    }
    for day in ["2025-10-09", "2025-10-11", "2025-10-13"] {
        let out = tmp.path().join(format!("r{day}.png"));
        let o = bordermap(&["render", "--date", day, "--out", &out.display().to_string()]);
        assert!(o.status.success());
        assert!(
            std::fs::read(&out).unwrap()
                == std::fs::read(tmp.path().join(format!("a/{day}.png"))).unwrap(),
            "{day}: batch and render differ"
        );
    }
    let csv = std::fs::read_to_string(tmp.path().join("a/index.csv")).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "item,from,to,file,incidents,claims");
    assert_eq!(lines.len(), 7);
    assert!(
        lines[2].starts_with("2,2025-10-09,2025-10-09,") && lines[2].ends_with(",2,4"),
        "{}",
        lines[2]
    );
    assert!(lines[6].ends_with(",0,0"), "{}", lines[6]);
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(tmp.path().join("a/index.json")).unwrap())
            .unwrap();
    assert_eq!(json.as_array().unwrap().len(), 6);
    assert_eq!(json[3]["incidents"], 1);
}

#[test]
fn resume_writes_nothing_when_nothing_changed_and_one_day_after_an_edit() {
    let tmp = tempfile::tempdir().unwrap();
    let incidents = tmp.path().join("incidents.geojson");
    std::fs::copy(root().join("geodata/incidents.geojson"), &incidents).unwrap();
    let inc = incidents.display().to_string();
    let pat = format!("{}/out/{{date}}.png", tmp.path().display());
    let args = [
        "--from",
        "2025-10-08",
        "--to",
        "2025-10-13",
        "--incidents",
        &inc,
        "--out-pattern",
        &pat,
        "--resume",
    ];
    run(&args);
    let before = files(&tmp.path().join("out"));
    let mtimes = |dir: &Path| -> Vec<std::time::SystemTime> {
        let mut v: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .flatten()
            .map(|e| (e.file_name(), e.metadata().unwrap().modified().unwrap()))
            .collect();
        v.sort();
        v.into_iter().map(|x| x.1).collect()
    };
    let t0 = mtimes(&tmp.path().join("out"));
    let again = run(&args);
    assert!(again.contains("0 map(s) written, 6 current"), "{again}");
    assert_eq!(
        mtimes(&tmp.path().join("out")),
        t0,
        "a rerun with nothing changed writes nothing"
    );
    let text = std::fs::read_to_string(&incidents).unwrap();
    std::fs::write(
        &incidents,
        text.replace("Airstrike in Kabul", "Air strike in Kabul"),
    )
    .unwrap();
    let edited = run(&args);
    assert!(edited.contains("1 map(s) written, 5 current"), "{edited}");
    let after = files(&tmp.path().join("out"));
    let changed: Vec<&String> = before
        .iter()
        .zip(&after)
        .filter(|(a, b)| a.1 != b.1)
        .map(|(a, _)| &a.0)
        .collect();
    assert_eq!(
        changed,
        ["2025-10-09.png"],
        "only the airstrike's day changes"
    );
}

#[test]
fn kill_9_then_resume_gives_the_same_bytes() {
    let tmp = tempfile::tempdir().unwrap();
    let pat = |d: &str| format!("{}/{d}/{{date}}.png", tmp.path().display());
    let range = ["--from", "2025-09-01", "--to", "2025-10-31", "-q"];
    let mut whole = range.to_vec();
    let p = pat("whole");
    whole.extend(["--out-pattern", &p]);
    run(&whole);
    let k = pat("killed");
    let mut child = Command::new(env!("CARGO_BIN_EXE_bordermap"))
        .arg("batch")
        .args(range)
        .args(["--out-pattern", &k, "--resume", "--jobs", "1"])
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(900));
    child.kill().unwrap();
    let _ = child.wait();
    let partial = std::fs::read_dir(tmp.path().join("killed"))
        .map(|d| d.count())
        .unwrap_or(0);
    let mut resumed = range.to_vec();
    resumed.extend(["--out-pattern", &k, "--resume"]);
    run(&resumed);
    assert!(
        files(&tmp.path().join("killed")) == files(&tmp.path().join("whole")),
        "resumed batch differs ({partial} files before the resume)"
    );
}

#[test]
fn shards_from_flags_and_environment_then_finish() {
    let tmp = tempfile::tempdir().unwrap();
    let pat = |d: &str| format!("{}/{d}/{{date}}.png", tmp.path().display());
    let base = ["--from", "2025-10-01", "--to", "2025-10-14", "-q"];
    let one = pat("one");
    let mut a = base.to_vec();
    a.extend(["--out-pattern", &one]);
    run(&a);
    let sh = pat("sharded");
    let mut first = base.to_vec();
    first.extend(["--out-pattern", &sh, "--shard", "0/3"]);
    run(&first);
    // Share 1 as a Kubernetes Indexed Job pod would see it.
    let o = Command::new(env!("CARGO_BIN_EXE_bordermap"))
        .arg("batch")
        .args(base)
        .args(["--out-pattern", &sh, "--shards", "3"])
        .env("JOB_COMPLETION_INDEX", "1")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // Before share 2 exists, --finish names what is missing.
    let mut fin = base.to_vec();
    fin.extend(["--out-pattern", &sh, "--finish"]);
    let o = bordermap(&[&["batch"][..], &fin].concat());
    assert!(!o.status.success());
    assert!(
        error_lines(&o).join("\n").contains("map(s) missing, e.g."),
        "{:?}",
        error_lines(&o)
    );
    assert!(!tmp.path().join("sharded/index.csv").exists());
    // Share 2 as a Slurm array task.
    let o = Command::new(env!("CARGO_BIN_EXE_bordermap"))
        .arg("batch")
        .args(base)
        .args(["--out-pattern", &sh, "--shards", "3"])
        .env("SLURM_ARRAY_TASK_ID", "2")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    run(&fin);
    assert!(
        files(&tmp.path().join("sharded")) == files(&tmp.path().join("one")),
        "sharded run differs"
    );
}

#[test]
fn animation_has_one_frame_per_map_at_most_800_px_wide() {
    let tmp = tempfile::tempdir().unwrap();
    let pat = format!("{}/m/{{date}}.png", tmp.path().display());
    let anim = tmp.path().join("a.png");
    run(&[
        "--from",
        "2025-10-08",
        "--to",
        "2025-10-12",
        "-q",
        "--out-pattern",
        &pat,
        "--animate",
        &anim.display().to_string(),
        "--frame-ms",
        "500",
    ]);
    let dec = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&anim).unwrap()));
    let r = dec.read_info().unwrap();
    let info = r.info();
    assert_eq!((info.width, info.height), (800, 500));
    let ac = info.animation_control().unwrap();
    assert_eq!(ac.num_frames, 5);
    let fc = info.frame_control().unwrap();
    assert_eq!((fc.delay_num, fc.delay_den), (500, 1000));
    // The same maps as a GIF: one global palette, every frame full size, held 0.5 s.
    let gif = tmp.path().join("a.gif");
    run(&[
        "--from",
        "2025-10-08",
        "--to",
        "2025-10-12",
        "-q",
        "--out-pattern",
        &pat,
        "--resume",
        "--animate",
        &gif.display().to_string(),
        "--frame-ms",
        "500",
    ]);
    let mut opts = gif::DecodeOptions::new();
    opts.set_color_output(gif::ColorOutput::Indexed);
    let mut dec = opts.read_info(std::fs::File::open(&gif).unwrap()).unwrap();
    assert_eq!((dec.width(), dec.height()), (800, 500));
    assert!(dec.global_palette().is_some_and(|p| p.len() >= 3 * 16));
    let mut n = 0;
    while let Some(f) = dec.read_next_frame().unwrap() {
        assert!(f.palette.is_none(), "frame {n} has its own palette");
        assert_eq!((f.width, f.height, f.delay), (800, 500, 50));
        n += 1;
    }
    assert_eq!(n, 5);
    let o = bordermap(&[
        "batch",
        "--from",
        "2025-10-08",
        "--to",
        "2025-10-12",
        "--out-pattern",
        &pat,
        "--animate",
        "x.mp4",
    ]);
    assert!(
        error_lines(&o)
            .join("\n")
            .contains("--animate x.mp4: expected a file ending in .gif, .png or .apng")
    );
}

#[test]
fn bad_batches_fail_before_any_work() {
    let tmp = tempfile::tempdir().unwrap();
    let pat = format!("{}/x/{{date}}.png", tmp.path().display());
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec![
                "--from",
                "2025-10-10",
                "--to",
                "2025-10-01",
                "--out-pattern",
                &pat,
            ],
            "the range ends before it starts",
        ),
        (
            vec![
                "--from",
                "1900-01-01",
                "--to",
                "2025-10-01",
                "--out-pattern",
                &pat,
            ],
            "more than 100 years",
        ),
        (
            vec![
                "--from",
                "2025-10-01",
                "--to",
                "2025-10-03",
                "--out-pattern",
                "out/map.png",
            ],
            "needs {date}",
        ),
        (
            vec![
                "--from",
                "2025-10-01",
                "--to",
                "2025-10-03",
                "--out-pattern",
                "out/../../{date}.png",
            ],
            "must not contain `..`",
        ),
        (
            vec![
                "--from",
                "2025-10-01",
                "--to",
                "2025-10-03",
                "--out-pattern",
                &pat,
                "--shard",
                "3/3",
            ],
            "--shard 3/3: I must be below N",
        ),
        (
            vec![
                "--from",
                "2025-10-01",
                "--to",
                "2025-10-03",
                "--out-pattern",
                &pat,
                "--shards",
                "3",
            ],
            "no shard index",
        ),
        (
            vec![
                "--from",
                "2025-10-01",
                "--to",
                "2025-10-03",
                "--out-pattern",
                &pat,
                "--every",
                "hour",
            ],
            "--every hour: expected day, week or month",
        ),
        (
            vec![
                "--from",
                "2025-13-01",
                "--to",
                "2025-10-03",
                "--out-pattern",
                &pat,
            ],
            "--from 2025-13-01: expected a date",
        ),
    ];
    for (args, expected) in cases {
        let o = Command::new(env!("CARGO_BIN_EXE_bordermap"))
            .arg("batch")
            .args(&args)
            .env_remove("JOB_COMPLETION_INDEX")
            .env_remove("SLURM_ARRAY_TASK_ID")
            .current_dir(root())
            .output()
            .unwrap();
        assert!(!o.status.success(), "{args:?} succeeded");
        let errors = error_lines(&o).join("\n");
        assert!(errors.contains(expected), "{args:?}: {errors}");
    }
    assert!(!tmp.path().join("x").exists(), "nothing written");
}

/// Submits `deploy/slurm/batch.sbatch` as a real job array on the single-node cluster
/// that `.ci/run` starts (`../shared/tools/slurm_local.sh start`), then the finish job,
/// and compares with a one-machine run. Runs where `BORDERMAP_SLURM_TEST=1`.
#[test]
fn slurm_job_array_equals_one_machine() {
    if std::env::var_os("BORDERMAP_SLURM_TEST").is_none() {
        eprintln!("note: BORDERMAP_SLURM_TEST not set; the Slurm test needs a running cluster");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let pat = |d: &str| format!("{}/{d}/{{date}}.png", tmp.path().display());
    let one = pat("one");
    run(&[
        "--from",
        "2025-10-01",
        "--to",
        "2025-10-12",
        "-q",
        "--out-pattern",
        &one,
    ]);
    let slurm = pat("slurm");
    let sbatch = |script: &str, extra: &[&str]| {
        let o = Command::new("sbatch")
            .args(["--wait", "--export=ALL", "--chdir"])
            .arg(tmp.path())
            .args(extra)
            .arg(root().join("deploy/slurm").join(script))
            .env("BORDERMAP", env!("CARGO_BIN_EXE_bordermap"))
            .env("FROM", "2025-10-01")
            .env("TO", "2025-10-12")
            .env("SHARDS", "3")
            .env("PATTERN", &slurm)
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "sbatch {script}: {}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
    };
    sbatch("batch.sbatch", &["--array=0-2"]);
    sbatch("finish.sbatch", &[]);
    assert!(
        files(&tmp.path().join("slurm")) == files(&tmp.path().join("one")),
        "the Slurm array's maps and index differ from one machine's"
    );
}

#[test]
fn daily_tiles_equal_tiles_per_day_reuse_unchanged_metatiles_and_get_a_slider() {
    let tmp = tempfile::tempdir().unwrap();
    let pat = format!("{}/d/{{date}}", tmp.path().display());
    let err = run(&[
        "--tiles",
        "--zoom",
        "0-7",
        "--from",
        "2025-10-08",
        "--to",
        "2025-10-13",
        "--out-pattern",
        &pat,
    ]);
    let count = |what: &str| -> u64 {
        err.split(what)
            .next()
            .and_then(|s| s.rsplit(' ').next())
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("{err}"))
    };
    let (drawn, reused) = (count(" metatile(s) drawn"), count(" reused"));
    // One day alone draws every metatile once: six days must cost far less than six times that.
    let per_day = (drawn + reused) / 6;
    assert!(
        drawn < 2 * per_day,
        "{drawn} drawn, {reused} reused, {per_day} per day"
    );
    for day in ["2025-10-09", "2025-10-11", "2025-10-13"] {
        let single = tmp.path().join(format!("t{day}"));
        let o = bordermap(&[
            "tiles",
            "-q",
            "--zoom",
            "0-7",
            "--date",
            day,
            "--out",
            &single.display().to_string(),
        ]);
        assert!(o.status.success());
        let a = crate::tiles::dir_tiles(&single);
        let b = crate::tiles::dir_tiles(&tmp.path().join(format!("d/{day}")));
        assert!(
            !a.is_empty() && a == b,
            "{day}: daily tiles differ from `tiles --date`"
        );
    }
    let page = tmp.path().join("d/index.html");
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(
        html.contains(r#"id="day" type="range" min="0" max="5""#),
        "{html}"
    );
    if crate::tiles::chromium().is_some() {
        let (status, shot) =
            crate::tiles::browse(&format!("file://{}", page.display()), tmp.path());
        assert_eq!(status["errors"], serde_json::json!([]), "{status}");
        assert_eq!(status["day"], "2025-10-08", "{status}");
        assert!(status["loaded"].as_u64().unwrap() >= 1, "{status}");
        assert!(crate::tiles::border_pixels(&shot) > 100);
    }
}
