//! One run per zone: an exclusive lock on `<zone state dir>/lock`. The lock file's content
//! names the holder (pid and start time) so a refused second run can say who holds it.
//! The lock is a POSIX `fcntl(F_SETLK)` write lock: available on illumos, Solaris and Linux
//! alike (std's `File::try_lock` needs Rust 1.89, above this crate's MSRV, and is itself fcntl
//! on Solaris). fcntl locks belong to the process and vanish when it dies, so a killed run
//! never leaves a stale lock; the lock lives as long as the returned [`ZoneLock`].

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

#[derive(Debug, thiserror::Error)]
pub enum LockError {
    #[error("another zonerescue run holds the lock on zone {zone} ({holder}); lock file {path}")]
    Held { zone: String, holder: String, path: String },
    #[error("opening lock file {path}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

#[derive(Debug)]
pub struct ZoneLock {
    file: File,
    path: PathBuf,
}

impl ZoneLock {
    pub fn acquire(zone_dir: &Path, zone: &str) -> Result<ZoneLock, LockError> {
        let path = zone_dir.join("lock");
        let io = |source| LockError::Io { path: path.display().to_string(), source };
        let mut file = open_lock_file(&path).map_err(io)?;
        match set_lock(&file, libc::F_WRLCK as libc::c_short) {
            Ok(()) => {}
            Err(e) if is_contended(&e) => {
                let mut text = String::new();
                let _ = file.read_to_string(&mut text);
                let holder = describe_holder(&text);
                return Err(LockError::Held {
                    zone: zone.into(),
                    holder,
                    path: path.display().to_string(),
                });
            }
            Err(e) => return Err(io(e)),
        }
        let now = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
        let content = format!("pid={}\nstarted={now}\n", std::process::id());
        file.set_len(0).map_err(io)?;
        file.seek(SeekFrom::Start(0)).map_err(io)?;
        file.write_all(content.as_bytes()).map_err(io)?;
        let _ = file.sync_all();
        Ok(ZoneLock { file, path })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The lock of zone `zone` when no run holds it (`None`: one does).
    pub fn try_acquire(zone_dir: &Path, zone: &str) -> Result<Option<ZoneLock>, LockError> {
        match ZoneLock::acquire(zone_dir, zone) {
            Ok(l) => Ok(Some(l)),
            Err(LockError::Held { .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

impl Drop for ZoneLock {
    fn drop(&mut self) {
        // Leave the file (removing it would race with a waiting run); just release.
        let _ = set_lock(&self.file, libc::F_UNLCK as libc::c_short);
    }
}

/// A lock file, created root-only if missing, never opened through a symlink someone planted.
pub(super) fn open_lock_file(path: &Path) -> std::io::Result<File> {
    super::statedir::open_file(
        OpenOptions::new().read(true).write(true).create(true).truncate(false).mode(0o600),
        path,
    )
}

/// A whole-file `flock` record of `kind`.
fn whole_file(kind: libc::c_short) -> libc::flock {
    // SAFETY: an all-zero flock is a valid value; the fields set below are the ones fcntl reads.
    let mut fl: libc::flock = unsafe { std::mem::zeroed() };
    fl.l_type = kind;
    fl.l_whence = libc::SEEK_SET as libc::c_short;
    fl.l_start = 0;
    fl.l_len = 0;
    fl
}

/// `fcntl(F_SETLK)` over the whole file, without waiting.
pub(super) fn set_lock(file: &File, kind: libc::c_short) -> std::io::Result<()> {
    use std::os::fd::AsRawFd;
    let fl = whole_file(kind);
    // SAFETY: the descriptor is open for the lifetime of `file`; `fl` is a valid flock.
    let r = unsafe { libc::fcntl(file.as_raw_fd(), libc::F_SETLK, &fl) };
    if r == -1 { Err(std::io::Error::last_os_error()) } else { Ok(()) }
}

/// The pid of a process whose lock keeps a `kind` lock on `file` from being set, if any
/// (`fcntl(F_GETLK)`).
pub(super) fn conflicting_pid(file: &File, kind: libc::c_short) -> Option<libc::pid_t> {
    use std::os::fd::AsRawFd;
    let mut fl = whole_file(kind);
    // SAFETY: as in `set_lock`; F_GETLK writes the conflicting lock (if any) into `fl`.
    let r = unsafe { libc::fcntl(file.as_raw_fd(), libc::F_GETLK, &mut fl) };
    (r != -1 && fl.l_type != libc::F_UNLCK as libc::c_short).then_some(fl.l_pid)
}

/// Whether a failed `set_lock` failed because another process holds a conflicting lock.
pub(super) fn is_contended(e: &std::io::Error) -> bool {
    matches!(e.raw_os_error(), Some(libc::EAGAIN) | Some(libc::EACCES))
}

/// The pid of the zonerescue process (a run, a rollback, a prune) holding the zone's lock now,
/// if any. A read-only probe (`F_GETLK`): the lock file is neither created nor locked, so a
/// run starting meanwhile is never refused because of it.
pub fn holder(zone_dir: &Path) -> Option<libc::pid_t> {
    let file =
        super::statedir::open_file(OpenOptions::new().read(true), &zone_dir.join("lock")).ok()?;
    conflicting_pid(&file, libc::F_WRLCK as libc::c_short)
}

/// While a run is in its preflight (the lock taken, no journal yet): what to say instead of
/// "no run recorded" (read only, see [`holder`]).
pub fn starting_run(zone_dir: &Path, zone: &str) -> Option<String> {
    let pid = holder(zone_dir)?;
    Some(format!(
        "a zonerescue run (pid {pid}) holds the lock on zone {zone} and has not written its \
         journal yet: it is in its preflight, before the pre-rescue snapshot; ask again in a \
         moment (`zonerescue status {zone}`)"
    ))
}

fn describe_holder(text: &str) -> String {
    let get =
        |k: &str| text.lines().find_map(|l| l.strip_prefix(k).and_then(|v| v.strip_prefix('=')));
    match (get("pid"), get("started")) {
        (Some(pid), Some(t)) => match t.parse::<u64>() {
            Ok(t) => format!("pid {pid}, started at {}", crate::ui::time::utc(t)),
            Err(_) => format!("pid {pid}"),
        },
        (Some(pid), None) => format!("pid {pid}"),
        _ => "holder unknown".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_lock_is_refused_with_holder() {
        let d = tempfile::tempdir().unwrap();
        let first = ZoneLock::acquire(d.path(), "z1").unwrap();
        // fcntl locks are per process: contention is tested across processes in
        // tests/engine_lock.rs. Here: the holder is written, and released on drop.
        let text = std::fs::read_to_string(first.path()).unwrap();
        assert!(text.contains(&format!("pid={}", std::process::id())));
        assert!(describe_holder(&text).starts_with("pid "));
        drop(first);
        ZoneLock::acquire(d.path(), "z1").unwrap();
    }
}
