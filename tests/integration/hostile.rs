//! Issue 11: a hostile-input suite beyond the bad fixtures: each case writes its inputs
//! (invented, inline below) into a fresh folder beside an existing good map, runs the real
//! binary, and asserts its exact `error:`/`warning:` lines and exit status (recorded in
//! `tests/fixtures/hostile/expected.txt`, paths shown as `$TMP`), that it did not panic or
//! hang, that no input changed, and that a failed run left the existing map as it was.

use std::collections::BTreeMap;
use std::process::Command;
use std::time::{Duration, Instant};

/// One case: a name, files to write (name, bytes), and the arguments (with `$TMP`).
struct Case {
    name: &'static str,
    files: Vec<(&'static str, Vec<u8>)>,
    args: Vec<&'static str>,
}

fn case(name: &'static str, files: Vec<(&'static str, Vec<u8>)>, args: &[&'static str]) -> Case {
    Case {
        name,
        files,
        args: args.to_vec(),
    }
}

/// A FeatureCollection of incidents with one feature whose properties are `props` (JSON
/// members) and geometry `geom`.
fn inc(props: &str, geom: &str) -> Vec<u8> {
    format!(
        r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","geometry":{geom},"properties":{{{props}}}}}]}}"#
    )
    .into_bytes()
}

const PT: &str = r#"{"type":"Point","coordinates":[71.0,34.1]}"#;
const OK: &str = r#""id":"a","date":"2025-10-11","kind":"clash""#;

fn incident_cases() -> Vec<Case> {
    let i = |name: &'static str, props: &str, geom: &str| {
        case(
            name,
            vec![("in.geojson", inc(props, geom))],
            &[
                "render",
                "--incidents",
                "$TMP/in.geojson",
                "--out",
                "$TMP/map.png",
            ],
        )
    };
    let with = |extra: &str| format!("{OK},{extra}");
    vec![
        i("id missing", r#""date":"2025-10-11","kind":"clash""#, PT),
        i("id empty", r#""id":"","date":"2025-10-11","kind":"clash""#, PT),
        i("id true", r#""id":true,"date":"2025-10-11","kind":"clash""#, PT),
        i("id array", r#""id":[1],"date":"2025-10-11","kind":"clash""#, PT),
        i("date missing", r#""id":"a","kind":"clash""#, PT),
        i("date month 13", r#""id":"a","date":"2025-13-01","kind":"clash""#, PT),
        i("date 30 February", r#""id":"a","date":"2025-02-30","kind":"clash""#, PT),
        i("date slashes", r#""id":"a","date":"11/10/2025","kind":"clash""#, PT),
        i("date number", r#""id":"a","date":20251011,"kind":"clash""#, PT),
        i("end before start", &with(r#""end_date":"2025-10-01""#), PT),
        i("end date bad", &with(r#""end_date":"soon""#), PT),
        i("time 25:00", &with(r#""time":"25:00""#), PT),
        i("time words", &with(r#""time":"late evening""#), PT),
        i("zone Mars", &with(r#""time":"22:00","time_zone":"Mars/Olympus""#), PT),
        i("zone +99", &with(r#""time":"22:00","time_zone":"+99:00""#), PT),
        i("zone +04:75", &with(r#""time":"22:00","time_zone":"+04:75""#), PT),
        i("zone number", &with(r#""time":"22:00","time_zone":5"#), PT),
        i("precision decade", &with(r#""date_precision":"decade""#), PT),
        i("kind missing", r#""id":"a","date":"2025-10-11""#, PT),
        i("kind number", r#""id":"a","date":"2025-10-11","kind":7"#, PT),
        i("kind blank", r#""id":"a","date":"2025-10-11","kind":"  ""#, PT),
        i("geometry LineString", OK, r#"{"type":"LineString","coordinates":[[70,34],[71,34]]}"#),
        i("geometry Polygon", OK, r#"{"type":"Polygon","coordinates":[[[70,34],[71,34],[71,35],[70,34]]]}"#),
        i("geometry string", OK, r#""here""#),
        i("geometry null, nothing else", OK, "null"),
        i("coordinates strings", OK, r#"{"type":"Point","coordinates":["71","34"]}"#),
        i("coordinates one number", OK, r#"{"type":"Point","coordinates":[71]}"#),
        i("coordinates missing", OK, r#"{"type":"Point"}"#),
        i("longitude 200", OK, r#"{"type":"Point","coordinates":[200,34]}"#),
        i("latitude -95", OK, r#"{"type":"Point","coordinates":[71,-95]}"#),
        i("coordinates swapped", OK, r#"{"type":"Point","coordinates":[34.1,71.0]}"#),
        i("coordinates 1e400", OK, r#"{"type":"Point","coordinates":[1e400,34]}"#),
        i("precision negative", &with(r#""precision_m":-5000"#), PT),
        i("precision text", &with(r#""precision_m":"far""#), PT),
        i("post unknown", &with(r#""post_id":"nowhere""#), "null"),
        i("km range reversed", &with(r#""km_from":50,"km_to":10"#), "null"),
        i("km range beyond", &with(r#""km_from":5000,"km_to":5100"#), "null"),
        i("location unknown", &with(r#""location":"everywhere""#), PT),
        i("region without name", &with(r#""location":"region""#), "null"),
        i("claims object", &with(r#""claims":{"a":1}"#), PT),
        i("claim unknown key", &with(r#""claims":[{"claimant":"X","figurs":[]}]"#), PT),
        i("figure negative", &with(r#""claims":[{"claimant":"X","figures":[{"party":"p","measure":"killed","low":-3}]}]"#), PT),
        i("figure fraction", &with(r#""claims":[{"claimant":"X","figures":[{"party":"p","measure":"killed","low":2.5}]}]"#), PT),
        i("figure 1e18", &with(r#""claims":[{"claimant":"X","figures":[{"party":"p","measure":"killed","high":1e18}]}]"#), PT),
        i("figure low above high", &with(r#""claims":[{"claimant":"X","figures":[{"party":"p","measure":"killed","low":9,"high":3}]}]"#), PT),
        i("figure unknown key", &with(r#""claims":[{"claimant":"X","figures":[{"party":"p","measure":"killed","value":3}]}]"#), PT),
        i("actors number", &with(r#""actors":5"#), PT),
        i("sources object", &with(r#""sources":{"a":1}"#), PT),
        i("title array", &with(r#""title":["a"]"#), PT),
        i("escape sequences in id", r#""id":"\u001b]0;owned\u0007\u202e","date":"x","kind":"clash""#, PT),
        case("duplicate ids", vec![("in.geojson", format!(r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","geometry":{PT},"properties":{{{OK}}}}},{{"type":"Feature","geometry":{PT},"properties":{{{OK}}}}}]}}"#).into_bytes())], &["render", "--incidents", "$TMP/in.geojson", "--out", "$TMP/map.png"]),
        case("ids too big for f64 are distinct", vec![("in.geojson", format!(r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","geometry":{PT},"properties":{{"id":123456789012345678901234567890,"date":"2025-10-11","kind":"clash"}}}},{{"type":"Feature","geometry":{PT},"properties":{{"id":123456789012345678901234567891,"date":"2025-10-11","kind":"clash"}}}}]}}"#).into_bytes())], &["render", "--incidents", "$TMP/in.geojson", "--out", "$TMP/map.png"]),
        case("same id in two files", vec![("a.geojson", inc(OK, PT)), ("b.geojson", inc(OK, PT))], &["render", "--incidents", "$TMP/a.geojson", "--incidents", "$TMP/b.geojson", "--out", "$TMP/map.png"]),
        case("keep going draws the rest", vec![("in.geojson", inc(r#""id":"a","date":"bad","kind":"clash""#, PT))], &["render", "--keep-going", "--incidents", "$TMP/in.geojson", "--out", "$TMP/map.png"]),
    ]
}

fn file_cases() -> Vec<Case> {
    let f = |name: &'static str, bytes: &[u8]| {
        case(
            name,
            vec![("in.geojson", bytes.to_vec())],
            &[
                "render",
                "--incidents",
                "$TMP/in.geojson",
                "--out",
                "$TMP/map.png",
            ],
        )
    };
    vec![
        f("empty file", b""),
        f("only white space", b"  \n\t "),
        f("byte-order mark only", b"\xEF\xBB\xBF"),
        f("truncated JSON", br#"{"type":"FeatureCollection","features":[{"type":"Feat"#),
        f("trailing garbage", br#"{"type":"FeatureCollection","features":[]} x"#),
        f("NaN literal", br#"{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[NaN,1]},"properties":{}}]}"#),
        f("a JSON array", b"[1,2,3]"),
        f("a JSON number", b"42"),
        f("type missing", br#"{"features":[]}"#),
        f("type Topology", br#"{"type":"Topology","objects":{}}"#),
        f("features an object", br#"{"type":"FeatureCollection","features":{}}"#),
        f("feature a string", br#"{"type":"FeatureCollection","features":["x"]}"#),
        f("feature of another type", br#"{"type":"FeatureCollection","features":[{"type":"Thing"}]}"#),
        f("bare geometry in features", br#"{"type":"FeatureCollection","features":[{"type":"Point","coordinates":[1,2]}]}"#),
        f("properties an array", br#"{"type":"FeatureCollection","features":[{"type":"Feature","geometry":null,"properties":[1]}]}"#),
        f("deep nesting", &{
            let mut v = br#"{"type":"FeatureCollection","features":"#.to_vec();
            v.extend(std::iter::repeat_n(b'[', 5000));
            v
        }),
        f("invalid UTF-8", b"{\"type\":\"FeatureCollection\",\"features\":[\xff\xfe]}"),
        f("UTF-16 JSON", &{
            let mut v = vec![0xFF, 0xFE];
            for u in r#"{"type":"FeatureCollection","features":[]}"#.encode_utf16() {
                v.extend(u.to_le_bytes());
            }
            v
        }),
        f("an empty collection", br#"{"type":"FeatureCollection","features":[]}"#),
        case("missing file", vec![], &["render", "--incidents", "$TMP/none.geojson", "--out", "$TMP/map.png"]),
        case("a directory as input", vec![("dir/x", b"x".to_vec())], &["render", "--incidents", "$TMP/dir", "--out", "$TMP/map.png"]),
        case("dev zero as input", vec![], &["render", "--incidents", "/dev/zero", "--out", "$TMP/map.png"]),
    ]
}

fn csv_cases() -> Vec<Case> {
    let c = |name: &'static str, text: &[u8]| {
        case(
            name,
            vec![("in.csv", text.to_vec())],
            &[
                "render",
                "--incidents",
                "$TMP/in.csv",
                "--out",
                "$TMP/map.png",
            ],
        )
    };
    const ACLED: &str = "event_id_cnty,event_date,event_type,sub_event_type,location,latitude,longitude,geo_precision,time_precision,source,fatalities";
    let acled = |row: &str| format!("{ACLED}\n{row}\n").into_bytes();
    vec![
        c("header only", b"id,date,kind,lon,lat\n"),
        c("no date column", b"id,kind,lon,lat\na,clash,71,34.1\n"),
        c(
            "bad date",
            b"id,date,kind,lon,lat\na,someday,clash,71,34.1\n",
        ),
        c("no kind", b"id,date,lon,lat\na,2025-10-11,71,34.1\n"),
        c(
            "longitude text",
            b"id,date,kind,lon,lat\na,2025-10-11,clash,east,34.1\n",
        ),
        c(
            "latitude 100",
            b"id,date,kind,lon,lat\na,2025-10-11,clash,71,100\n",
        ),
        c(
            "lon and lat swapped",
            b"id,date,kind,lon,lat\na,2025-10-11,clash,34.1,71\n",
        ),
        c("nowhere", b"id,date,kind,note\na,2025-10-11,clash,x\n"),
        c(
            "too few fields",
            b"id,date,kind,lon,lat\na,2025-10-11,clash,71\n",
        ),
        c(
            "too many fields",
            b"id,date,kind,lon,lat\na,2025-10-11,clash,71,34.1,9\n",
        ),
        c(
            "duplicate column",
            b"id,date,date,kind,lon,lat\na,2025-10-11,2025-10-12,clash,71,34.1\n",
        ),
        c(
            "unterminated quote",
            b"id,date,kind,lon,lat\na,2025-10-11,\"clash,71,34.1\nb,2025-10-11,clash,71,34.1\n",
        ),
        c(
            "semicolons",
            b"id;date;kind;lon;lat\na;2025-10-11;clash;71;34.1\n",
        ),
        c(
            "tabs",
            b"id\tdate\tkind\tlon\tlat\na\t2025-10-11\tclash\t71\t34.1\n",
        ),
        c(
            "Windows-1252",
            b"id,date,kind,lon,lat,notes\na,2025-10-11,clash,71,34.1,caf\xe9\n",
        ),
        c(
            "CSV duplicate ids",
            b"id,date,kind,lon,lat\na,2025-10-11,clash,71,34.1\na,2025-10-11,clash,71,34.1\n",
        ),
        c(
            "CSV km reversed",
            b"id,date,kind,km_from,km_to\na,2025-10-11,clash,90,10\n",
        ),
        c("binary garbage", &[0u8, 159, 146, 150, 1, 2, 3, 255]),
        c(
            "ACLED geo_precision 4",
            &acled("X1,2025-10-11,Battles,Armed clash,Torkham,34.11,71.08,4,1,Wire,0"),
        ),
        c(
            "ACLED time_precision 9",
            &acled("X1,2025-10-11,Battles,Armed clash,Torkham,34.11,71.08,1,9,Wire,0"),
        ),
        c(
            "ACLED fatalities -1",
            &acled("X1,2025-10-11,Battles,Armed clash,Torkham,34.11,71.08,1,1,Wire,-1"),
        ),
        c(
            "ACLED fatalities 1.5",
            &acled("X1,2025-10-11,Battles,Armed clash,Torkham,34.11,71.08,1,1,Wire,1.5"),
        ),
        c(
            "ACLED fatalities 1e18",
            &acled("X1,2025-10-11,Battles,Armed clash,Torkham,34.11,71.08,1,1,Wire,1e18"),
        ),
        c(
            "ACLED no coordinates",
            &acled("X1,2025-10-11,Battles,Armed clash,Torkham,,,1,1,Wire,0"),
        ),
        c(
            "ACLED no date",
            &acled("X1,,Battles,Armed clash,Torkham,34.11,71.08,1,1,Wire,0"),
        ),
    ]
}

fn layer_cases() -> Vec<Case> {
    let line = |coords: &str, props: &str| {
        format!(r#"{{"type":"Feature","properties":{{{props}}},"geometry":{{"type":"LineString","coordinates":{coords}}}}}"#).into_bytes()
    };
    let b = |name: &'static str, bytes: Vec<u8>| {
        case(
            name,
            vec![("b.geojson", bytes)],
            &[
                "render",
                "--border",
                "$TMP/b.geojson",
                "--out",
                "$TMP/map.png",
            ],
        )
    };
    let posts = |name: &'static str, props: &str, geom: &str| {
        case(
            name,
            vec![("p.geojson", inc(props, geom))],
            &[
                "render",
                "--posts",
                "$TMP/p.geojson",
                "--out",
                "$TMP/map.png",
            ],
        )
    };
    let places = |name: &'static str, props: &str| {
        case(
            name,
            vec![("p.geojson", inc(props, PT))],
            &[
                "render",
                "--places",
                "$TMP/p.geojson",
                "--out",
                "$TMP/map.png",
            ],
        )
    };
    let country = |name: &'static str, props: &str, geom: &str| {
        case(
            name,
            vec![("c.geojson", inc(props, geom))],
            &[
                "render",
                "--basemap",
                "$TMP/c.geojson",
                "--out",
                "$TMP/map.png",
            ],
        )
    };
    vec![
        b("border one point", line("[[70,34]]", "")),
        b("border a Point", br#"{"type":"Point","coordinates":[70,34]}"#.to_vec()),
        b("border a Polygon", br#"{"type":"Polygon","coordinates":[[[70,34],[71,34],[71,35],[70,34]]]}"#.to_vec()),
        b("border a GeometryCollection", br#"{"type":"GeometryCollection","geometries":[]}"#.to_vec()),
        b("border null geometry", br#"{"type":"Feature","properties":{},"geometry":null}"#.to_vec()),
        b("border empty collection", br#"{"type":"FeatureCollection","features":[]}"#.to_vec()),
        b("border string coordinates", line(r#"[["70","34"],["71","34"]]"#, "")),
        b("border across the antimeridian", line("[[179.5,-16],[-179.5,-16.5]]", "")),
        b("border figure of eight", line("[[70,34],[71,35],[71,34],[70,35]]", "")),
        b("border runs back", line("[[70,34],[71,34],[70,34],[71,34]]", "")),
        b("border at the pole", line("[[10,84],[11,89.5]]", "")),
        b("border with a long gap", br#"{"type":"MultiLineString","coordinates":[[[70,34],[70.5,34.2]],[[70.8,34.35],[71.3,34.5]]]}"#.to_vec()),
        b("border status unknown", line("[[70,34],[71,34.5]]", r#""status":"contested""#)),
        b("border stretch beyond", line("[[70,34],[71,34.5]]", r#""stretches":[{"from_km":10,"to_km":900,"status":"disputed"}]"#)),
        b("border stretches not a list", line("[[70,34],[71,34.5]]", r#""stretches":"all""#)),
        posts("post without name", r#""id":"p1""#, PT),
        posts("post without id", r#""name":"P""#, PT),
        posts("post a line", r#""id":"p1","name":"P""#, r#"{"type":"LineString","coordinates":[[70,34],[71,34]]}"#),
        posts("post precision negative", r#""id":"p1","name":"P","precision_m":-1"#, PT),
        places("place rank 0", r#""id":"t","name":"T","rank":0"#),
        places("place rank text", r#""id":"t","name":"T","rank":"big""#),
        places("place without name", r#""id":"t","rank":2"#),
        country("country ring of two", r#""iso3":"XXX""#, r#"{"type":"Polygon","coordinates":[[[70,34],[71,34]]]}"#),
        country("country ring open", r#""iso3":"XXX""#, r#"{"type":"Polygon","coordinates":[[[70,34],[71,34],[71,35],[70,35]]]}"#),
        country("country without code", r#""colour":"red""#, r#"{"type":"Polygon","coordinates":[[[70,34],[71,34],[71,35],[70,34]]]}"#),
        country("country a line", r#""iso3":"XXX""#, r#"{"type":"LineString","coordinates":[[70,34],[71,34]]}"#),
        country("country rings not arrays", r#""iso3":"XXX""#, r#"{"type":"Polygon","coordinates":[5]}"#),
    ]
}

fn option_cases() -> Vec<Case> {
    let style = |name: &'static str, toml: &str| {
        let text =
            std::fs::read_to_string(crate::util::root().join("styles/default.toml")).unwrap();
        let (key, value) = toml.split_once(" = ").unwrap();
        let text = text
            .lines()
            .map(|l| {
                if l.starts_with(&format!("{key} =")) {
                    toml.to_string()
                } else {
                    l.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join("\n");
        let _ = value;
        case(
            name,
            vec![("s.toml", text.into_bytes())],
            &["render", "--style", "$TMP/s.toml", "--out", "$TMP/map.png"],
        )
    };
    let r = |name: &'static str, args: &[&'static str]| case(name, vec![], args);
    vec![
        style("style title size huge", "title_size = 1e9"),
        style("style halo nan", "halo_width = nan"),
        style("style width negative", "highlight_width = -3"),
        case(
            "style unknown key",
            vec![("s.toml", b"[border]\ncolour = \"#fff\"\n".to_vec())],
            &["render", "--style", "$TMP/s.toml", "--out", "$TMP/map.png"],
        ),
        case(
            "style not TOML",
            vec![("s.toml", b"{ this is not toml".to_vec())],
            &["render", "--style", "$TMP/s.toml", "--out", "$TMP/map.png"],
        ),
        case(
            "project unknown key",
            vec![(
                "p.toml",
                b"[layers]\nborder = \"b.geojson\"\nbordr = 1\n".to_vec(),
            )],
            &["render", "--config", "$TMP/p.toml", "--out", "$TMP/map.png"],
        ),
        case(
            "project missing layer file",
            vec![("p.toml", b"[layers]\nborder = \"nope.geojson\"\n".to_vec())],
            &["render", "--config", "$TMP/p.toml", "--out", "$TMP/map.png"],
        ),
        r(
            "size too small",
            &["render", "--size", "100x100", "--out", "$TMP/map.png"],
        ),
        r(
            "size zero",
            &["render", "--size", "0x0", "--out", "$TMP/map.png"],
        ),
        r(
            "size huge",
            &["render", "--size", "100000x100000", "--out", "$TMP/map.png"],
        ),
        r(
            "size words",
            &["render", "--size", "big", "--out", "$TMP/map.png"],
        ),
        r(
            "preset unknown",
            &["render", "--preset", "poster", "--out", "$TMP/map.png"],
        ),
        r(
            "bbox reversed",
            &["render", "--bbox", "75,38,60,29", "--out", "$TMP/map.png"],
        ),
        r(
            "bbox in Nigeria",
            &["render", "--bbox", "3,6,14,14", "--out", "$TMP/map.png"],
        ),
        r(
            "option km reversed",
            &["render", "--km", "900-100", "--out", "$TMP/map.png"],
        ),
        r(
            "km beyond",
            &["render", "--km", "100-9000", "--out", "$TMP/map.png"],
        ),
        r(
            "date invalid",
            &["render", "--date", "2025-02-30", "--out", "$TMP/map.png"],
        ),
        r(
            "from after to",
            &[
                "render",
                "--from",
                "2025-10-12",
                "--to",
                "2025-10-01",
                "--out",
                "$TMP/map.png",
            ],
        ),
        r(
            "scale 0",
            &["render", "--scale", "0", "--out", "$TMP/map.png"],
        ),
        r("output jpg", &["render", "--out", "$TMP/map.jpg"]),
        r("output onto a directory", &["render", "--out", "$TMP"]),
        r("output onto dev null", &["render", "--out", "/dev/null"]),
        r(
            "tiles zoom 0-30",
            &["tiles", "-q", "--zoom", "0-30", "--out", "$TMP/t.pmtiles"],
        ),
        r(
            "tiles zoom reversed",
            &["tiles", "-q", "--zoom", "9-2", "--out", "$TMP/t.pmtiles"],
        ),
        r(
            "tiles size 300",
            &[
                "tiles",
                "-q",
                "--tile-size",
                "300",
                "--out",
                "$TMP/t.pmtiles",
            ],
        ),
        r(
            "tiles unknown extension",
            &["tiles", "-q", "--out", "$TMP/t.zip"],
        ),
        r(
            "tiles shard 3 of 2",
            &["tiles", "-q", "--shard", "3/2", "--out", "$TMP/t.pmtiles"],
        ),
        r(
            "export onto the input",
            &[
                "export",
                "--incidents",
                "geodata/incidents.geojson",
                "--out",
                "geodata/incidents.geojson",
            ],
        ),
        r(
            "chart km reversed",
            &["chart", "--km", "900-100", "--out", "$TMP/c.png"],
        ),
        r(
            "batch every fortnight",
            &[
                "batch",
                "--from",
                "2025-10-01",
                "--to",
                "2025-10-05",
                "--every",
                "fortnight",
                "--out-pattern",
                "$TMP/{date}.png",
            ],
        ),
    ]
}

/// Runs a case with a 60 s deadline: (exit code, stdout, stderr).
fn run(args: &[String]) -> (Option<i32>, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_bordermap"))
        .args(args)
        .current_dir(crate::util::root())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if start.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("{args:?} hung for a minute");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let out = child.wait_with_output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn hostile_inputs_give_exact_messages_and_harm_nothing() {
    let cases: Vec<Case> = [
        incident_cases(),
        file_cases(),
        csv_cases(),
        layer_cases(),
        option_cases(),
    ]
    .into_iter()
    .flatten()
    .collect();
    assert!(cases.len() >= 100, "{} cases", cases.len());
    let expected_path = crate::util::root().join("tests/fixtures/hostile/expected.txt");
    let expected_text = std::fs::read_to_string(&expected_path).unwrap_or_default();
    let mut expected: BTreeMap<String, String> = BTreeMap::new();
    for block in expected_text
        .split("\n## ")
        .filter(|b| !b.trim().is_empty())
    {
        let block = block.strip_prefix("## ").unwrap_or(block);
        let (name, body) = block.split_once('\n').unwrap_or((block, ""));
        expected.insert(name.to_string(), body.trim_end().to_string());
    }
    let good_map = std::fs::read(crate::util::root().join("tests/golden/small_map.png")).unwrap();
    let mut got_all = String::new();
    let mut failures = Vec::new();
    let mut names = std::collections::HashSet::new();
    for c in &cases {
        assert!(names.insert(c.name), "two cases named {}", c.name);
        let tmp = tempfile::tempdir().unwrap();
        let t = tmp.path().display().to_string();
        for (name, bytes) in &c.files {
            let p = tmp.path().join(name);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(&p, bytes).unwrap();
        }
        // An existing good output, which a failed run must leave as it was.
        for out in ["map.png", "c.png", "t.pmtiles"] {
            std::fs::write(tmp.path().join(out), &good_map).unwrap();
        }
        let before: Vec<(std::path::PathBuf, Vec<u8>)> = c
            .files
            .iter()
            .map(|(n, _)| tmp.path().join(n))
            .map(|p| {
                let bytes = std::fs::read(&p).unwrap();
                (p, bytes)
            })
            .collect();
        let incidents_before =
            std::fs::read(crate::util::root().join("geodata/incidents.geojson")).unwrap();
        let args: Vec<String> = c.args.iter().map(|a| a.replace("$TMP", &t)).collect();
        let (code, _stdout, stderr) = run(&args);
        assert!(
            !stderr.contains("panicked"),
            "{}: panicked: {stderr}",
            c.name
        );
        let lines: Vec<String> = stderr
            .lines()
            .filter(|l| l.starts_with("error:") || l.starts_with("warning:"))
            .map(|l| l.replace(&t, "$TMP"))
            .collect();
        let got = format!(
            "exit {}\n{}",
            code.map_or("signal".into(), |c| c.to_string()),
            lines.join("\n")
        )
        .trim_end()
        .to_string();
        got_all.push_str(&format!("## {}\n{got}\n\n", c.name));
        match expected.get(c.name) {
            Some(want) if *want == got => {}
            Some(want) => {
                failures.push(format!("{}:\n--- expected\n{want}\n--- got\n{got}", c.name))
            }
            None => failures.push(format!("{}: not recorded\n{got}", c.name)),
        }
        for (p, bytes) in &before {
            assert_eq!(
                &std::fs::read(p).unwrap(),
                bytes,
                "{}: input {} changed",
                c.name,
                p.display()
            );
        }
        assert_eq!(
            std::fs::read(crate::util::root().join("geodata/incidents.geojson")).unwrap(),
            incidents_before,
            "{}: the shipped incidents changed",
            c.name
        );
        if code != Some(0) {
            for out in ["map.png", "c.png", "t.pmtiles"] {
                assert_eq!(
                    std::fs::read(tmp.path().join(out)).unwrap(),
                    good_map,
                    "{}: a failed run replaced {out}",
                    c.name
                );
            }
            let left: Vec<String> = std::fs::read_dir(tmp.path())
                .unwrap()
                .flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".tmp"))
                .collect();
            assert!(left.is_empty(), "{}: temporaries left: {left:?}", c.name);
        }
    }
    if !failures.is_empty() && std::env::var_os("BORDERMAP_RECORD_HOSTILE").is_some() {
        std::fs::write(&expected_path, &got_all).unwrap();
        eprintln!(
            "recorded {}: read every message before committing",
            expected_path.display()
        );
        return;
    }
    assert!(
        failures.is_empty(),
        "{} case(s) differ:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}
