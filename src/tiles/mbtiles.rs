//! MBTiles 1.3: SQLite with a hash-keyed `images` table, a `map` table and a `tiles`
//! view (as tippecanoe and martin write it, so identical tiles are stored once), TMS
//! rows, and the spec's metadata. Written in WAL mode with one transaction per batch,
//! under a temporary name renamed when complete.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, params};

use super::sink::{Tile, TileSetInfo, TileSink};
use crate::io::atomic_file::TempPath;

/// Writes tiles into an MBTiles file.
pub struct MbtilesSink {
    target: PathBuf,
    tmp: TempPath,
    db: Connection,
    /// Contents already stored: each image is inserted once, with no lookup in SQLite.
    stored: std::collections::HashSet<u128>,
}

impl std::fmt::Debug for MbtilesSink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MbtilesSink")
            .field("target", &self.target)
            .finish_non_exhaustive()
    }
}

fn sql(e: rusqlite::Error) -> std::io::Error {
    std::io::Error::other(format!("SQLite: {e}"))
}

impl MbtilesSink {
    /// A sink that will become `target` when finished.
    pub fn new(target: &Path) -> std::io::Result<Self> {
        let (tmp, file) = TempPath::beside(target)?;
        drop(file);
        let db = Connection::open(tmp.path()).map_err(sql)?;
        db.execute_batch(
            "PRAGMA journal_mode = WAL;
             PRAGMA synchronous = OFF;
             PRAGMA page_size = 4096;
             CREATE TABLE metadata (name TEXT, value TEXT);
             CREATE UNIQUE INDEX metadata_name ON metadata (name);
             CREATE TABLE map (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_id TEXT);
             CREATE TABLE images (tile_data BLOB, tile_id TEXT);
             CREATE VIEW tiles AS
               SELECT map.zoom_level AS zoom_level, map.tile_column AS tile_column,
                      map.tile_row AS tile_row, images.tile_data AS tile_data
               FROM map JOIN images ON images.tile_id = map.tile_id;",
        )
        .map_err(sql)?;
        Ok(Self {
            target: target.to_path_buf(),
            tmp,
            db,
            stored: std::collections::HashSet::new(),
        })
    }
}

impl TileSink for MbtilesSink {
    fn put_batch(&mut self, tiles: &[Tile]) -> std::io::Result<()> {
        let tx = self.db.transaction().map_err(sql)?;
        {
            let mut image = tx
                .prepare_cached("INSERT INTO images (tile_data, tile_id) VALUES (?1, ?2)")
                .map_err(sql)?;
            let mut map = tx
                .prepare_cached("INSERT INTO map (zoom_level, tile_column, tile_row, tile_id) VALUES (?1, ?2, ?3, ?4)")
                .map_err(sql)?;
            for t in tiles {
                let key = format!("{:032x}", t.hash);
                if self.stored.insert(t.hash) {
                    image.execute(params![&t.png[..], key]).map_err(sql)?;
                }
                map.execute(params![t.id.z, t.id.x, t.id.tms_y(), key])
                    .map_err(sql)?;
            }
        }
        tx.commit().map_err(sql)
    }

    fn finish(self: Box<Self>, info: &TileSetInfo) -> std::io::Result<Vec<PathBuf>> {
        let Self {
            target, tmp, db, ..
        } = *self;
        let b = info.bounds;
        let (cx, cy, cz) = info.center();
        let meta = [
            ("name", info.name.clone()),
            ("format", "png".to_string()),
            (
                "bounds",
                format!("{:.6},{:.6},{:.6},{:.6}", b[0], b[1], b[2], b[3]),
            ),
            ("center", format!("{cx:.6},{cy:.6},{cz}")),
            ("minzoom", info.zooms.0.to_string()),
            ("maxzoom", info.zooms.1.to_string()),
            ("attribution", info.attribution.clone()),
            ("description", info.description.clone()),
            ("type", "baselayer".to_string()),
            ("version", "1.3".to_string()),
            ("bordermap", info.extra().to_string()),
        ];
        {
            let mut st = db
                .prepare("INSERT INTO metadata (name, value) VALUES (?1, ?2)")
                .map_err(sql)?;
            for (k, v) in meta {
                st.execute(params![k, v]).map_err(sql)?;
            }
        }
        // Indexes after the bulk insert; then back to a single file for the rename.
        db.execute_batch(
            "CREATE UNIQUE INDEX map_index ON map (zoom_level, tile_column, tile_row);
             CREATE UNIQUE INDEX images_id ON images (tile_id);
             PRAGMA wal_checkpoint(TRUNCATE);
             PRAGMA journal_mode = DELETE;",
        )
        .map_err(sql)?;
        db.close().map_err(|(_, e)| sql(e))?;
        std::fs::File::open(tmp.path())?.sync_all()?;
        tmp.persist(&target)?;
        Ok(vec![target])
    }
}
