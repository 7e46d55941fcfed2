//! Writing files atomically: write a uniquely named temporary file beside the target,
//! then rename it over the target.
//!
//! A crash or an error leaves either the old file or the new one, never half of one, so
//! a resumed batch can trust any file it finds. Temporary names carry a random part (not
//! the process id: in a container every main process is PID 1) and are created with
//! `create_new`, so two writers never share one. Every live temporary is registered, so
//! [`install_signal_cleanup`] can remove them on Ctrl-C or SIGTERM, and holds an advisory
//! lock (`flock`) while it lives: a temporary left by a `kill -9` is unlocked (the kernel
//! drops a dead process's locks), and the next write to the same target removes it, while a
//! temporary another live run is writing stays locked and is left alone.

use std::collections::HashMap;
use std::hash::{BuildHasher, Hasher};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};

/// Whether each file is flushed to disk before its rename.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sync {
    /// `fsync` every file before renaming it (a single map).
    #[default]
    EachFile,
    /// Skip the per-file `fsync`; the caller syncs once at the end with [`sync_dir`]
    /// (bulk writers: thousands of tiles, hundreds of daily maps).
    Deferred,
}

/// Temporaries that exist right now, for the signal handler, each with the open handle that
/// holds its lock.
fn live() -> &'static Mutex<HashMap<PathBuf, Option<std::fs::File>>> {
    static LIVE: OnceLock<Mutex<HashMap<PathBuf, Option<std::fs::File>>>> = OnceLock::new();
    LIVE.get_or_init(|| Mutex::new(HashMap::new()))
}

/// How old an unlocked temporary must be to count as left behind: a new one is locked a
/// moment after it is created, and this keeps that moment safe.
const STALE_AFTER: std::time::Duration = std::time::Duration::from_secs(2);

/// Removes temporaries for `name` in `dir` that no live process holds: left by a run that
/// was killed (`kill -9`, a power cut) before it could clean up.
fn remove_stale(dir: &Path, name: &str) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let prefix = format!(".{name}.");
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(f) = file_name.to_str() else {
            continue;
        };
        let is_ours = f
            .strip_prefix(&prefix)
            .and_then(|rest| rest.strip_suffix(".tmp"))
            .is_some_and(|tag| tag.len() == 16 && tag.bytes().all(|b| b.is_ascii_hexdigit()));
        let path = entry.path();
        if !is_ours
            || live()
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .contains_key(&path)
        {
            continue;
        }
        let Ok(meta) = std::fs::symlink_metadata(&path) else {
            continue;
        };
        let old = meta
            .modified()
            .ok()
            .and_then(|m| m.elapsed().ok())
            .is_some_and(|age| age > STALE_AFTER);
        if !old || meta.file_type().is_symlink() {
            continue;
        }
        let Ok(handle) = std::fs::File::open(&path) else {
            continue;
        };
        if handle.try_lock().is_err() {
            continue; // another run is writing it
        }
        let _ = if meta.is_dir() {
            std::fs::remove_dir_all(&path)
        } else {
            std::fs::remove_file(&path)
        };
    }
}

/// A random 64-bit tag: std's hasher keys are random per process, mixed with a counter.
fn random_tag() -> u64 {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    if let Ok(t) = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
        h.write_u128(t.as_nanos());
    }
    h.finish()
}

/// Creates a uniquely named temporary beside `target` with `create` (which must fail with
/// `AlreadyExists` when the name is taken), and registers it for the signal handler.
fn create_beside<T>(
    target: &Path,
    create: impl Fn(&Path) -> std::io::Result<T>,
) -> std::io::Result<(PathBuf, T)> {
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir)?;
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    remove_stale(dir, &name);
    loop {
        let path = dir.join(format!(".{name}.{:016x}.tmp", random_tag()));
        match create(&path) {
            Ok(made) => {
                set_live(&path, true);
                return Ok((path, made));
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
}

/// Adds `path` to, or removes it from, the temporaries the signal handler removes; a live
/// temporary is locked until it is removed from the set.
fn set_live(path: &Path, on: bool) {
    let lock = on
        .then(|| std::fs::File::open(path).ok())
        .flatten()
        .filter(|f| f.try_lock().is_ok());
    let mut live = live().lock().unwrap_or_else(|e| e.into_inner());
    if on {
        live.insert(path.to_path_buf(), lock);
    } else {
        live.remove(path);
    }
}

/// A temporary file that is removed when dropped unless persisted.
#[derive(Debug)]
pub struct TempPath {
    path: PathBuf,
    armed: bool,
}

impl TempPath {
    /// Creates a new, empty, uniquely named temporary file beside `target`.
    pub fn beside(target: &Path) -> std::io::Result<(Self, std::fs::File)> {
        let (path, file) = create_beside(target, |p| {
            std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(p)
        })?;
        Ok((Self { path, armed: true }, file))
    }

    /// The temporary's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Renames the temporary to `target`.
    pub fn persist(mut self, target: &Path) -> std::io::Result<()> {
        std::fs::rename(&self.path, target)?;
        self.armed = false;
        set_live(&self.path, false);
        Ok(())
    }
}

impl Drop for TempPath {
    fn drop(&mut self) {
        if self.armed {
            let _ = std::fs::remove_file(&self.path);
            set_live(&self.path, false);
        }
    }
}

/// A temporary directory beside a target directory, removed when dropped unless
/// persisted. Persisting swaps it into place: an existing target is moved aside first and
/// removed after, so a failure at any point leaves either the old directory or the new one.
#[derive(Debug)]
pub struct TempDir {
    path: PathBuf,
    armed: bool,
}

impl TempDir {
    /// Creates a new, empty, uniquely named directory beside `target`.
    pub fn beside(target: &Path) -> std::io::Result<Self> {
        let (path, ()) = create_beside(target, |p| std::fs::create_dir(p))?;
        Ok(Self { path, armed: true })
    }

    /// The directory's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Moves the directory to `target`, replacing a previous directory there.
    pub fn persist(mut self, target: &Path) -> std::io::Result<()> {
        let old = if target.exists() {
            let aside = TempDir::beside(target)?;
            std::fs::remove_dir(&aside.path)?;
            std::fs::rename(target, &aside.path)?;
            // Lock the old directory now under the temporary name.
            set_live(&aside.path, true);
            Some(aside)
        } else {
            None
        };
        if let Err(e) = std::fs::rename(&self.path, target) {
            if let Some(old) = &old {
                let _ = std::fs::rename(&old.path, target);
            }
            return Err(e);
        }
        self.armed = false;
        set_live(&self.path, false);
        drop(old);
        Ok(())
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        if self.armed {
            let _ = std::fs::remove_dir_all(&self.path);
            set_live(&self.path, false);
        }
    }
}

/// Removes every live temporary (called from the signal handler).
pub fn remove_live_temporaries() {
    let paths: Vec<PathBuf> = live()
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .drain()
        .map(|(p, _)| p)
        .collect();
    for p in paths {
        if p.is_dir() {
            let _ = std::fs::remove_dir_all(p);
        } else {
            let _ = std::fs::remove_file(p);
        }
    }
}

/// On Ctrl-C or SIGTERM: remove every temporary being written, then exit with 130.
/// Call once, from the binary.
pub fn install_signal_cleanup() {
    let _ = ctrlc::set_handler(|| {
        remove_live_temporaries();
        std::process::exit(130);
    });
}

/// Writes `bytes` to `path` through a temporary file in the same directory.
pub fn write(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_with(path, Sync::EachFile, |w| w.write_all(bytes))
}

/// Calls `fill` with a writer on a temporary file, then renames it to `path`.
/// If `fill` fails, the temporary file is removed and `path` is untouched.
pub fn write_with(
    path: &Path,
    sync: Sync,
    fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let path = &target_of(path)?;
    let (tmp, file) = TempPath::beside(path)?;
    let mut w = std::io::BufWriter::new(file);
    fill(&mut w)?;
    let file = w.into_inner().map_err(|e| e.into_error())?;
    if sync == Sync::EachFile {
        file.sync_all()?;
    }
    drop(file);
    tmp.persist(path)
}

/// Where a write to `path` lands: `path` itself, or the file a symbolic link at `path`
/// points to (the link is kept and its target replaced atomically). Anything at `path`
/// that is not a regular file (a directory, a FIFO, a device) is refused rather than
/// replaced.
pub fn target_of(path: &Path) -> std::io::Result<PathBuf> {
    let refuse = |what: &str| {
        std::io::Error::other(format!(
            "{} is {what}, not a regular file: refusing to replace it",
            path.display()
        ))
    };
    match std::fs::symlink_metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(path.to_path_buf()),
        Err(e) => Err(e),
        Ok(m) if m.file_type().is_symlink() => {
            let target = std::fs::canonicalize(path).map_err(|e| {
                std::io::Error::other(format!(
                    "{} is a symbolic link whose target cannot be reached: {e}",
                    path.display()
                ))
            })?;
            match std::fs::metadata(&target) {
                Ok(t) if t.is_file() => Ok(target),
                Ok(t) if t.is_dir() => Err(refuse("a link to a directory")),
                Ok(_) => Err(refuse("a link to a special file")),
                Err(e) => Err(e),
            }
        }
        Ok(m) if m.is_file() => Ok(path.to_path_buf()),
        Ok(m) if m.is_dir() => Err(refuse("a directory")),
        Ok(_) => Err(refuse("a special file (a FIFO, socket or device)")),
    }
}

/// Refuses an output that is one of the inputs (compared by canonical path): a map must
/// never be written over the data it was drawn from.
pub fn refuse_inputs<'a>(
    out: &Path,
    inputs: impl IntoIterator<Item = &'a Path>,
) -> std::io::Result<()> {
    let canonical = |p: &Path| -> Option<PathBuf> {
        std::fs::canonicalize(p).ok().or_else(|| {
            let parent = p
                .parent()
                .filter(|d| !d.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            Some(std::fs::canonicalize(parent).ok()?.join(p.file_name()?))
        })
    };
    let Some(out_c) = canonical(out) else {
        return Ok(());
    };
    for input in inputs {
        if std::fs::canonicalize(input).is_ok_and(|c| c == out_c) {
            return Err(std::io::Error::other(format!(
                "{} is an input of this run: refusing to write over it",
                out.display()
            )));
        }
    }
    Ok(())
}

/// Flushes every deferred write under `dir` to disk: one `syncfs` on Linux, which
/// covers the files and the renames of a whole batch at once.
pub fn sync_dir(dir: &Path) -> std::io::Result<()> {
    let d = std::fs::File::open(dir)?;
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        // SAFETY: `syncfs` only reads the descriptor, which `d` keeps open.
        let rc = unsafe { libc::syncfs(d.as_raw_fd()) };
        if rc != 0 {
            return Err(std::io::Error::last_os_error());
        }
    }
    #[cfg(not(target_os = "linux"))]
    d.sync_all()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::FileTypeExt;

    use super::*;

    #[test]
    fn temporaries_left_by_a_killed_run_are_removed_and_live_ones_kept() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("map.png");
        let old = std::time::SystemTime::now() - std::time::Duration::from_secs(60);
        let make = |tag: &str, is_dir: bool| {
            let p = dir.path().join(format!(".map.png.{tag}.tmp"));
            if is_dir {
                std::fs::create_dir(&p).unwrap();
                std::fs::write(p.join("0.png"), b"x").unwrap();
            } else {
                std::fs::write(&p, b"half a png").unwrap();
            }
            std::fs::File::open(&p).unwrap().set_modified(old).unwrap();
            p
        };
        let stale_file = make("00000000000000aa", false);
        let stale_dir = make("00000000000000bb", true);
        // Another run is still writing this one: it holds the lock.
        let busy = make("00000000000000cc", false);
        let holder = std::fs::File::open(&busy).unwrap();
        holder.try_lock().unwrap();
        // Too new to judge, and not ours by name: both left alone.
        let fresh = dir.path().join(".map.png.00000000000000dd.tmp");
        std::fs::write(&fresh, b"x").unwrap();
        let other = dir.path().join(".map.png.notatag.tmp");
        std::fs::write(&other, b"x").unwrap();
        std::fs::File::open(&other)
            .unwrap()
            .set_modified(old)
            .unwrap();

        write(&target, b"new").unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"new");
        assert!(!stale_file.exists() && !stale_dir.exists());
        assert!(busy.exists() && fresh.exists() && other.exists());
        drop(holder);
    }

    #[test]
    fn failed_fill_leaves_old_file_and_no_temp() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.png");
        write(&path, b"old").unwrap();
        let err = write_with(&path, Sync::EachFile, |w| {
            w.write_all(b"partial")?;
            Err(std::io::Error::other("boom"))
        });
        assert!(err.is_err());
        assert_eq!(std::fs::read(&path).unwrap(), b"old");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        assert!(live().lock().unwrap().is_empty());
    }

    #[test]
    fn temporaries_are_unique_and_registered_until_persisted() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("x.bin");
        let (a, _fa) = TempPath::beside(&target).unwrap();
        let (b, _fb) = TempPath::beside(&target).unwrap();
        assert_ne!(a.path(), b.path());
        assert!(
            !a.path()
                .to_string_lossy()
                .contains(&std::process::id().to_string())
        );
        assert!(live().lock().unwrap().contains_key(a.path()));
        let bp = b.path().to_path_buf();
        a.persist(&target).unwrap();
        drop(b);
        assert!(target.exists() && !bp.exists());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn symlinks_are_written_through_and_special_files_refused() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.png");
        write(&real, b"old").unwrap();
        let link = dir.path().join("link.png");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        write(&link, b"new").unwrap();
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::read(&real).unwrap(), b"new");
        let fifo = dir.path().join("fifo");
        let c = std::ffi::CString::new(fifo.to_string_lossy().as_bytes()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let err = write(&fifo, b"x").unwrap_err().to_string();
        assert!(err.contains("special file"), "{err}");
        assert!(
            std::fs::symlink_metadata(&fifo)
                .unwrap()
                .file_type()
                .is_fifo()
        );
        let err = write(dir.path(), b"x").unwrap_err().to_string();
        assert!(err.contains("a directory"), "{err}");
    }

    #[test]
    fn an_input_is_never_an_output() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("border.geojson");
        std::fs::write(&input, "{}").unwrap();
        let via_dots = dir.path().join(".").join("border.geojson");
        let err = refuse_inputs(&via_dots, [input.as_path()])
            .unwrap_err()
            .to_string();
        assert!(err.contains("is an input of this run"), "{err}");
        assert!(refuse_inputs(&dir.path().join("map.png"), [input.as_path()]).is_ok());
    }

    #[test]
    fn deferred_writes_are_flushed_by_one_sync() {
        let dir = tempfile::tempdir().unwrap();
        for i in 0..3 {
            write_with(&dir.path().join(format!("{i}.txt")), Sync::Deferred, |w| {
                w.write_all(b"x")
            })
            .unwrap();
        }
        sync_dir(dir.path()).unwrap();
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 3);
    }
}
