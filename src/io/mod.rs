//! Writing outputs safely: atomic files, and cleanup of temporaries on signals.

pub mod atomic_file;

use std::io::Read;
use std::path::Path;

/// Largest data file read (GeoJSON, CSV): 1 GiB.
pub const MAX_DATA: u64 = 1 << 30;
/// Largest style or project file read: 16 MiB.
pub const MAX_SETTINGS: u64 = 16 << 20;
/// Largest font file read: 64 MiB.
pub const MAX_FONT: u64 = 64 << 20;

/// Reads a whole input file of at most `max` bytes. Only regular files (or links to them)
/// are read: a FIFO would block forever and `/dev/zero` would never end, so both are
/// refused before any read, and a file that grows past `max` while read is refused too.
pub fn read_capped(path: &Path, max: u64) -> std::io::Result<Vec<u8>> {
    let len = check_regular(path, max)?;
    let mut bytes = Vec::with_capacity(len as usize);
    std::fs::File::open(path)?
        .take(max + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max {
        return Err(grew(max));
    }
    Ok(bytes)
}

/// Opens an input file for streaming, with the checks of [`read_capped`]: a reader that fails
/// once more than `max` bytes have come.
pub fn open_capped(path: &Path, max: u64) -> std::io::Result<Capped<std::fs::File>> {
    check_regular(path, max)?;
    Ok(Capped {
        inner: std::fs::File::open(path)?,
        left: max,
        max,
    })
}

/// A reader that refuses to yield more than a set number of bytes.
pub struct Capped<R> {
    inner: R,
    left: u64,
    max: u64,
}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n as u64 > self.left {
            return Err(grew(self.max));
        }
        self.left -= n as u64;
        Ok(n)
    }
}

fn grew(max: u64) -> std::io::Error {
    std::io::Error::other(format!(
        "grew past the {max} bytes an input may have while being read"
    ))
}

/// The length of a regular file of at most `max` bytes; anything else is an error.
fn check_regular(path: &Path, max: u64) -> std::io::Result<u64> {
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        return Err(std::io::Error::other(if meta.is_dir() {
            "a directory, not a file".to_string()
        } else {
            "a special file (a FIFO, socket or device), not a regular file".to_string()
        }));
    }
    if meta.len() > max {
        return Err(std::io::Error::other(format!(
            "{} bytes, more than the {} bytes an input may have",
            meta.len(),
            max
        )));
    }
    Ok(meta.len())
}
