//! One run per zone: an exclusive lock on `<zone state dir>/lock`. The lock file's content
//! names the holder (pid and start time) so a refused second run can say who holds it.
//! std's `File::try_lock` uses flock where it exists and fcntl record locks on Solaris/illumos;
//! the lock lives as long as the returned [`ZoneLock`] (and its open file).

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

#[derive(Debug, thiserror::Error)]
pub enum LockError {
    #[error("another zonerescue run holds the lock on zone {zone} ({holder}); lock file {path}")]
    Held { zone: String, holder: String, path: String },
    #[error("opening lock file {path}: {source}")]
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
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .mode(0o600)
            .custom_flags(libc::O_NOFOLLOW)
            .open(&path)
            .map_err(io)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                let mut text = String::new();
                let _ = file.read_to_string(&mut text);
                let holder = describe_holder(&text);
                return Err(LockError::Held {
                    zone: zone.into(),
                    holder,
                    path: path.display().to_string(),
                });
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(io(e)),
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
}

impl Drop for ZoneLock {
    fn drop(&mut self) {
        // Leave the file (removing it would race with a waiting run); just release.
        let _ = self.file.unlock();
    }
}

fn describe_holder(text: &str) -> String {
    let get = |k: &str| {
        text.lines().find_map(|l| l.strip_prefix(k).and_then(|v| v.strip_prefix('=')))
    };
    match (get("pid"), get("started")) {
        (Some(pid), Some(t)) => format!("pid {pid}, started at {t} (seconds since the epoch)"),
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
        // Same process, other open file description: flock (Linux) refuses. On Solaris fcntl
        // locks are per process, so the cross-process case is tested in tests/engine_*.rs.
        if cfg!(target_os = "linux") {
            let e = ZoneLock::acquire(d.path(), "z1").unwrap_err();
            let msg = e.to_string();
            assert!(msg.contains(&format!("pid {}", std::process::id())), "{msg}");
        }
        drop(first);
        ZoneLock::acquire(d.path(), "z1").unwrap();
    }
}
