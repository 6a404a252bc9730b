//! One host, many zones, one set of global-zone publishers: every zone's `attach -u` reads
//! them (copy-publishers-from, the system repository), and gz-publishers changes them for its
//! own attach. Runs on different zones therefore share `<state dir>/gz-publishers.lock`: a
//! run holds it shared while it reads the GZ publishers (preflight) or attaches with them as
//! they are, and exclusively from before it simplifies them until they are restored (or while
//! it restores what a killed run left modified). So no attach runs on publishers another run
//! has simplified, nothing is restored under a running attach, and no run records another's
//! simplification as the original. Same fcntl locks as [`super::lock`]: a killed run's lock
//! vanishes with it.

use std::fs::File;
use std::path::Path;
use std::time::Duration;

use super::lock::{LockError, conflicting_pid, is_contended, open_lock_file, set_lock};

pub const FILE_NAME: &str = "gz-publishers.lock";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Reading the GZ publishers, or attaching with them as they are.
    Shared,
    /// Changing them (simplify and restore).
    Exclusive,
}

impl Access {
    fn kind(self) -> libc::c_short {
        match self {
            Access::Shared => libc::F_RDLCK as libc::c_short,
            Access::Exclusive => libc::F_WRLCK as libc::c_short,
        }
    }
}

#[derive(Debug)]
pub struct GzPublishersLock {
    file: File,
    pub access: Access,
}

impl GzPublishersLock {
    /// Takes the lock on `base` (the state directory holding every zone's), polling while
    /// another run holds a conflicting one: `waiting(holder pid)` is called on each poll and
    /// returns false to give up (a signal), which returns `Ok(None)`.
    pub fn acquire(
        base: &Path,
        access: Access,
        waiting: &mut dyn FnMut(Option<libc::pid_t>) -> bool,
    ) -> Result<Option<GzPublishersLock>, LockError> {
        let path = base.join(FILE_NAME);
        let io = |source| LockError::Io { path: path.display().to_string(), source };
        let file = open_lock_file(&path).map_err(io)?;
        loop {
            match set_lock(&file, access.kind()) {
                Ok(()) => return Ok(Some(GzPublishersLock { file, access })),
                Err(e) if is_contended(&e) => {
                    if !waiting(conflicting_pid(&file, access.kind())) {
                        return Ok(None);
                    }
                    std::thread::sleep(Duration::from_millis(200));
                }
                Err(e) => return Err(io(e)),
            }
        }
    }
}

impl Drop for GzPublishersLock {
    fn drop(&mut self) {
        let _ = set_lock(&self.file, libc::F_UNLCK as libc::c_short);
    }
}

/// The host's GZ-publishers lock for the run of `zone_dir`, waiting (and
/// saying so once) while another zone's run holds it; `None` when a signal ends the wait.
pub fn wait_for(
    exec: &super::exec::Exec,
    zone_dir: &std::path::Path,
    access: Access,
) -> anyhow::Result<Option<GzPublishersLock>> {
    let base = zone_dir.parent().unwrap_or(zone_dir);
    let mut said = false;
    let mut waiting = |holder: Option<libc::pid_t>| {
        if !said {
            said = true;
            let who = holder.map_or("another zonerescue run".to_string(), |p| {
                format!("the zonerescue run with pid {p}")
            });
            exec.reporter.note(&format!(
                "waiting for {who}: it is using the global zone's publishers (attaching its \
                 zone, or with them simplified for its attach), which every zone's attach reads"
            ));
        }
        !exec.interrupt.is_set()
    };
    Ok(GzPublishersLock::acquire(base, access, &mut waiting)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_and_exclusive_are_taken_and_released() {
        // Contention needs two processes (fcntl locks are per process): see tests/engine_host_lock.rs.
        let d = tempfile::tempdir().unwrap();
        let mut never = |_| panic!("nothing else holds it");
        let shared = GzPublishersLock::acquire(d.path(), Access::Shared, &mut never).unwrap();
        assert_eq!(shared.map(|l| l.access), Some(Access::Shared));
        let excl = GzPublishersLock::acquire(d.path(), Access::Exclusive, &mut never).unwrap();
        assert!(excl.is_some());
        assert!(d.path().join(FILE_NAME).exists());
    }
}
