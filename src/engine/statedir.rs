//! The per-zone state directory (`<state dir>/<zone>/`, mode 0700) that holds the journal and
//! the lock. Created safely for a root-run tool: no path component may be a symlink, and every
//! component we create or enter below the base must be owned by us.

use std::fs::{self, DirBuilder};
use std::io;
use std::os::unix::fs::{DirBuilderExt, MetadataExt, PermissionsExt};
use std::path::{Component, Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum StateDirError {
    #[error("state directory path {0} must be absolute")]
    NotAbsolute(String),
    #[error("refusing state directory {path}: {reason}")]
    Unsafe { path: String, reason: String },
    #[error("creating state directory {path}")]
    Io {
        path: String,
        #[source]
        source: io::Error,
    },
}

/// Opens a file of the state directory with `options`: never through a symlink, and only a
/// regular file (a FIFO someone put there would block the open, and the run holding the
/// zone's lock with it, for ever: it is opened without waiting, then refused).
pub fn open_file(options: &mut fs::OpenOptions, path: &Path) -> io::Result<fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    let file = options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK).open(path)?;
    if !file.metadata()?.is_file() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{} is not a regular file", path.display()),
        ));
    }
    Ok(file)
}

/// Creates (if needed) and checks `base/zone` and returns it. `zone` must already be a
/// validated zone name (no `/`, no `..`).
pub fn ensure_zone_dir(base: &Path, zone: &str) -> Result<PathBuf, StateDirError> {
    walk_zone_dir(base, zone, true)
}

/// Checks `base/zone` as [`ensure_zone_dir`] does, creating nothing (ops mm F4: `rollback` and
/// `snapshots --prune` act on what a journal there says): `Ok` also when it does not exist.
pub fn check_zone_dir(base: &Path, zone: &str) -> Result<PathBuf, StateDirError> {
    walk_zone_dir(base, zone, false)
}

fn walk_zone_dir(base: &Path, zone: &str, create: bool) -> Result<PathBuf, StateDirError> {
    if !base.is_absolute() {
        return Err(StateDirError::NotAbsolute(base.display().to_string()));
    }
    if zone.is_empty() || zone.contains('/') || zone == "." || zone == ".." {
        return Err(StateDirError::Unsafe {
            path: base.join(zone).display().to_string(),
            reason: "invalid zone directory name".into(),
        });
    }
    let target = base.join(zone);
    let uid = euid();
    let mut current = PathBuf::from("/");
    let comps: Vec<Component> = target.components().collect();
    let base_len = base.components().count();
    for (i, c) in comps.iter().enumerate() {
        match c {
            Component::RootDir => continue,
            Component::Normal(name) => current.push(name),
            _ => {
                return Err(StateDirError::Unsafe {
                    path: target.display().to_string(),
                    reason: "`.` or `..` in path".into(),
                });
            }
        }
        let ours = i >= base_len.saturating_sub(1);
        match fs::symlink_metadata(&current) {
            Ok(m) => {
                if m.file_type().is_symlink() {
                    return Err(unsafe_path(&current, "is a symbolic link"));
                }
                if !m.is_dir() {
                    return Err(unsafe_path(&current, "is not a directory"));
                }
                // Components we own (the base and below) must be ours and not writable by others.
                if ours && m.uid() != uid {
                    return Err(unsafe_path(&current, "is not owned by the current user"));
                }
                // The base too: others could plant another zone's journal there, which a
                // run reads (and acts on: it restores GZ publishers from it).
                if ours && m.mode() & 0o022 != 0 {
                    return Err(unsafe_path(&current, "is writable by group or others"));
                }
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound && !create => return Ok(target),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                let mode = if ours { 0o700 } else { 0o755 };
                match DirBuilder::new().mode(mode).create(&current) {
                    Ok(()) => {}
                    Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                        // Raced with someone: re-check on the next pass.
                        let m = fs::symlink_metadata(&current)
                            .map_err(|source| io_err(&current, source))?;
                        if m.file_type().is_symlink() || !m.is_dir() {
                            return Err(unsafe_path(&current, "appeared as a non-directory"));
                        }
                    }
                    Err(source) => return Err(io_err(&current, source)),
                }
            }
            Err(source) => return Err(io_err(&current, source)),
        }
    }
    // The zone directory itself: exactly 0700.
    if create {
        fs::set_permissions(&target, fs::Permissions::from_mode(0o700))
            .map_err(|source| io_err(&target, source))?;
    }
    Ok(target)
}

fn unsafe_path(p: &Path, reason: &str) -> StateDirError {
    StateDirError::Unsafe { path: p.display().to_string(), reason: reason.into() }
}

fn io_err(p: &Path, source: io::Error) -> StateDirError {
    StateDirError::Io { path: p.display().to_string(), source }
}

/// Whether a file zonerescue acts on (a journal, an attach log) can be trusted: owned by this
/// user (root, as zoneadm) and writable by nobody else.
pub fn trusted(m: &fs::Metadata) -> bool {
    m.uid() == euid() && m.mode() & 0o022 == 0
}

/// The effective user id (root on a real host).
pub fn euid() -> u32 {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() }
}

/// Replaces `dir/name` with `bytes` atomically: a private temp file (mode 0600, never through a
/// symlink), then rename. `durable`: fsync the file before and the directory after, so a host
/// crash leaves the old or the new file (a record that only matters while this boot lasts
/// skips that and is written in microseconds).
pub fn write_atomically(dir: &Path, name: &str, bytes: &[u8], durable: bool) -> io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    {
        let mut f = fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .custom_flags(libc::O_NOFOLLOW)
            .open(&tmp)?;
        f.write_all(bytes)?;
        if durable {
            f.sync_all()?;
        }
    }
    fs::rename(&tmp, dir.join(name))?;
    if durable && let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn creates_private_dir_and_refuses_symlinks() {
        let d = tempfile::tempdir().unwrap();
        let base = d.path().join("state");
        let z = ensure_zone_dir(&base, "web01").unwrap();
        let m = fs::metadata(&z).unwrap();
        assert_eq!(m.mode() & 0o777, 0o700);
        // Again: idempotent.
        ensure_zone_dir(&base, "web01").unwrap();

        let evil = d.path().join("evil");
        fs::create_dir(&evil).unwrap();
        std::os::unix::fs::symlink(&evil, base.join("link")).unwrap();
        let e = ensure_zone_dir(&base, "link").unwrap_err();
        assert!(e.to_string().contains("symbolic link"), "{e}");
        assert!(ensure_zone_dir(&base, "..").is_err());
        assert!(ensure_zone_dir(Path::new("rel"), "z").is_err());
    }

    /// Round j F1: a world-writable state directory let another user plant a zone's journal.
    #[test]
    fn refuses_a_base_others_can_write() {
        let d = tempfile::tempdir().unwrap();
        let base = d.path().join("state");
        fs::create_dir(&base).unwrap();
        fs::set_permissions(&base, fs::Permissions::from_mode(0o1777)).unwrap();
        let e = ensure_zone_dir(&base, "web01").unwrap_err();
        assert!(e.to_string().contains("writable by group or others"), "{e}");
    }
}
