//! `bordermap serve`: an MBTiles or PMTiles file served on 127.0.0.1 with its preview
//! page, a TileJSON 3.0.0 document, the tiles, and the archive itself with HTTP Range
//! support (what PMTiles clients read).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::preview;
use super::sink::TileSetInfo;
use super::xyz::{TileId, pmtiles_id};

enum Archive {
    Mbtiles(Mutex<rusqlite::Connection>),
    Pmtiles(Vec<u8>),
}

/// A tile archive ready to serve.
pub struct Server {
    path: PathBuf,
    archive: Archive,
    info: TileSetInfo,
    listener: Option<TcpListener>,
}

impl std::fmt::Debug for Server {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Server")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

fn err(m: String) -> std::io::Error {
    std::io::Error::other(m)
}

impl Server {
    /// Opens `path` (`.mbtiles` or `.pmtiles`) and reads its metadata.
    pub fn open(path: &Path) -> std::io::Result<Self> {
        let ext = path
            .extension()
            .map(|e| e.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        let (archive, info) = match ext.as_str() {
            "mbtiles" => {
                let db = rusqlite::Connection::open_with_flags(
                    path,
                    rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
                )
                .map_err(|e| err(format!("{}: {e}", path.display())))?;
                let info = super::archive::mbtiles_info(&db);
                (Archive::Mbtiles(Mutex::new(db)), info)
            }
            "pmtiles" => {
                let bytes =
                    std::fs::read(path).map_err(|e| err(format!("{}: {e}", path.display())))?;
                let info = super::archive::pmtiles_info(path, &bytes)?;
                (Archive::Pmtiles(bytes), info)
            }
            _ => {
                return Err(err(format!(
                    "{}: expected an .mbtiles or .pmtiles file",
                    path.display()
                )));
            }
        };
        Ok(Self {
            path: path.to_path_buf(),
            archive,
            info,
            listener: None,
        })
    }

    /// Binds 127.0.0.1:`port` (0 for any free port); returns the address.
    pub fn bind(&mut self, port: u16) -> std::io::Result<SocketAddr> {
        let l = TcpListener::bind(("127.0.0.1", port))?;
        let addr = l.local_addr()?;
        self.listener = Some(l);
        Ok(addr)
    }

    /// Serves requests until the process ends.
    pub fn run(&self) -> std::io::Result<()> {
        let l = self
            .listener
            .as_ref()
            .ok_or_else(|| err("serve: bind first".into()))?;
        std::thread::scope(|s| {
            for conn in l.incoming() {
                let Ok(conn) = conn else { continue };
                s.spawn(move || {
                    let _ = self.handle(conn);
                });
            }
        });
        Ok(())
    }

    fn tile(&self, z: u8, x: u32, y: u32) -> std::io::Result<Option<Vec<u8>>> {
        let Ok(id) = TileId::new(z, x, y) else {
            return Ok(None);
        };
        match &self.archive {
            Archive::Mbtiles(db) => {
                let db = db.lock().unwrap_or_else(|e| e.into_inner());
                let r = db.query_row(
                    "SELECT tile_data FROM tiles WHERE zoom_level = ?1 AND tile_column = ?2 AND tile_row = ?3",
                    rusqlite::params![z, x, id.tms_y()],
                    |r| r.get::<_, Vec<u8>>(0),
                );
                match r {
                    Ok(b) => Ok(Some(b)),
                    Err(rusqlite::Error::QueryReturnedNoRows) => Ok(None),
                    Err(e) => Err(err(e.to_string())),
                }
            }
            Archive::Pmtiles(bytes) => super::pmtiles::read_tile(bytes, pmtiles_id(id)),
        }
    }

    fn tilejson(&self, host: &str) -> String {
        let (cx, cy, cz) = self.info.center();
        serde_json::json!({
            "tilejson": "3.0.0",
            "name": self.info.name,
            "description": self.info.description,
            "attribution": self.info.attribution,
            "scheme": "xyz",
            "tiles": [format!("http://{host}/tiles/{{z}}/{{x}}/{{y}}.png")],
            "minzoom": self.info.zooms.0,
            "maxzoom": self.info.zooms.1,
            "bounds": self.info.bounds,
            "center": [cx, cy, cz],
        })
        .to_string()
    }

    fn handle(&self, mut conn: TcpStream) -> std::io::Result<()> {
        conn.set_read_timeout(Some(std::time::Duration::from_secs(10)))?;
        let mut reader = BufReader::new(conn.try_clone()?);
        let mut line = String::new();
        reader.by_ref().take(8192).read_line(&mut line)?;
        let mut parts = line.split_whitespace();
        let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or("/"));
        let (mut range, mut host) = (None, "127.0.0.1".to_string());
        for _ in 0..100 {
            let mut h = String::new();
            if reader.by_ref().take(8192).read_line(&mut h)? == 0 || h.trim().is_empty() {
                break;
            }
            if let Some((k, v)) = h.split_once(':') {
                match k.trim().to_ascii_lowercase().as_str() {
                    "range" => range = Some(v.trim().to_string()),
                    "host" => host = v.trim().to_string(),
                    _ => {}
                }
            }
        }
        if method != "GET" && method != "HEAD" {
            return respond(
                &mut conn,
                405,
                "text/plain",
                b"only GET and HEAD",
                method == "HEAD",
            );
        }
        let head = method == "HEAD";
        let path = target.split('?').next().unwrap_or("/");
        match path {
            "/" | "/index.html" => {
                let page = preview::page(&self.info, "tiles/{z}/{x}/{y}.png", 256);
                respond(
                    &mut conn,
                    200,
                    "text/html; charset=utf-8",
                    page.as_bytes(),
                    head,
                )
            }
            "/leaflet/leaflet.js" => respond(
                &mut conn,
                200,
                "text/javascript",
                preview::LEAFLET_JS.as_bytes(),
                head,
            ),
            "/leaflet/leaflet.css" => respond(
                &mut conn,
                200,
                "text/css",
                preview::LEAFLET_CSS.as_bytes(),
                head,
            ),
            "/tiles.json" => respond(
                &mut conn,
                200,
                "application/json",
                self.tilejson(&host).as_bytes(),
                head,
            ),
            p if p.starts_with("/tiles/") => {
                let nums: Vec<&str> = p["/tiles/".len()..]
                    .trim_end_matches(".png")
                    .split('/')
                    .collect();
                let parsed = (nums.len() == 3)
                    .then(|| {
                        Some((
                            nums[0].parse::<u8>().ok()?,
                            nums[1].parse::<u32>().ok()?,
                            nums[2].parse::<u32>().ok()?,
                        ))
                    })
                    .flatten();
                match parsed {
                    Some((z, x, y)) => match self.tile(z, x, y)? {
                        Some(b) => respond(&mut conn, 200, "image/png", &b, head),
                        None => respond(&mut conn, 404, "text/plain", b"no such tile", head),
                    },
                    None => respond(
                        &mut conn,
                        400,
                        "text/plain",
                        b"expected /tiles/Z/X/Y.png",
                        head,
                    ),
                }
            }
            "/archive.pmtiles" => match &self.archive {
                Archive::Pmtiles(bytes) => serve_range(&mut conn, bytes, range.as_deref(), head),
                Archive::Mbtiles(_) => {
                    respond(&mut conn, 404, "text/plain", b"not a PMTiles archive", head)
                }
            },
            _ => respond(&mut conn, 404, "text/plain", b"not found", head),
        }
    }
}

/// Serves `bytes`, or the part a `Range: bytes=A-B` header asks for.
fn serve_range(
    conn: &mut TcpStream,
    bytes: &[u8],
    range: Option<&str>,
    head: bool,
) -> std::io::Result<()> {
    let Some(r) = range else {
        return respond(conn, 200, "application/octet-stream", bytes, head);
    };
    let len = bytes.len() as u64;
    let parsed = r.strip_prefix("bytes=").and_then(|spec| {
        let (a, b) = spec.split_once('-')?;
        match (a.trim().parse::<u64>().ok(), b.trim().parse::<u64>().ok()) {
            (Some(a), Some(b)) => Some((a, b.min(len.saturating_sub(1)))),
            (Some(a), None) if b.trim().is_empty() => Some((a, len.saturating_sub(1))),
            (None, Some(n)) if a.trim().is_empty() => {
                Some((len.saturating_sub(n), len.saturating_sub(1)))
            }
            _ => None,
        }
    });
    match parsed {
        Some((a, b)) if a <= b && a < len => {
            let part = &bytes[a as usize..=b as usize];
            let headers = format!(
                "HTTP/1.1 206 Partial Content\r\nContent-Type: application/octet-stream\r\nContent-Length: {}\r\nContent-Range: bytes {a}-{b}/{len}\r\nAccept-Ranges: bytes\r\nAccess-Control-Allow-Origin: *\r\nConnection: close\r\n\r\n",
                part.len()
            );
            conn.write_all(headers.as_bytes())?;
            if !head {
                conn.write_all(part)?;
            }
            Ok(())
        }
        _ => {
            let headers = format!(
                "HTTP/1.1 416 Range Not Satisfiable\r\nContent-Range: bytes */{len}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
            conn.write_all(headers.as_bytes())
        }
    }
}

fn respond(
    conn: &mut TcpStream,
    status: u16,
    kind: &str,
    body: &[u8],
    head: bool,
) -> std::io::Result<()> {
    let reason = match status {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        _ => "Error",
    };
    let headers = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nAccept-Ranges: bytes\r\nAccess-Control-Allow-Origin: *\r\nConnection: close\r\n\r\n",
        body.len()
    );
    conn.write_all(headers.as_bytes())?;
    if !head {
        conn.write_all(body)?;
    }
    conn.flush()
}
