//! `--report FILE`, written by root, often to a directory anyone can write to (`/var/tmp` is
//! 1777, and Solaris has neither `protected_symlinks` nor `protected_hardlinks`). Someone
//! else's symlink or hard link planted at FILE would have root overwrite its target, so the
//! report only ever goes to a new file or to a plain file of our own with no other name: that
//! is checked before the run ([`check`]) and again on the descriptor the report is written
//! through ([`write`], opened with `O_NOFOLLOW`), since a link may be planted in between.
//!
//! A new report is created 0600: it names the host's publishers (origins, proxies, SSL key
//! paths) and the zone's packages, and lands where everyone can read; the operator who asked
//! for it is root. An existing report of ours keeps its mode.

use std::fs::{Metadata, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
use std::path::Path;

/// Refuses `--report path` before the run changes anything (a rescue that attaches the zone and
/// then cannot write its report would exit as an error): its directory must exist, and an
/// existing `path` must be a file the report may replace (see [`unsafe_target`]), none of the
/// run's own `inputs` (its playbook: a slip of tab completion would replace it).
pub fn check(path: &Path, state: &Path, inputs: &[&Path]) -> anyhow::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    if !dir.is_dir() {
        anyhow::bail!("--report {}: {} is not a directory", path.display(), dir.display());
    }
    // Its files are the runs' records (a journal written over is a rescue forgotten).
    if let (Ok(d), Ok(s)) = (dir.canonicalize(), state.canonicalize())
        && d.starts_with(&s)
    {
        anyhow::bail!(
            "--report {}: inside zonerescue's state directory {}, whose files are the runs' \
             records; give a path elsewhere",
            path.display(),
            state.display()
        );
    }
    match std::fs::symlink_metadata(path) {
        Ok(m) => {
            if let Some(why) = unsafe_target(&m) {
                anyhow::bail!("--report {}: {why}", path.display());
            }
            let same = |i: &&&Path| {
                std::fs::metadata(i).is_ok_and(|o| (o.dev(), o.ino()) == (m.dev(), m.ino()))
            };
            if let Some(i) = inputs.iter().find(same) {
                anyhow::bail!(
                    "--report {}: is {}, which this run reads; give a path of its own",
                    path.display(),
                    i.display()
                );
            }
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => anyhow::bail!("--report {}: {e}", path.display()),
    }
    // Opened (a new one created, empty and 0600) as it will be written: a directory that
    // refuses new files, a read-only file system, a full one, are found out now, not after
    // the rescue.
    open_checked(path).map_err(|e| anyhow::anyhow!("--report {}: {e}", path.display()))?;
    Ok(())
}

/// Writes `text` to `path`: never through a symlink, never into anything [`check`] refuses
/// (checked on the open descriptor, before it is truncated), a new file 0600.
pub fn write(path: &Path, text: &str) -> anyhow::Result<()> {
    write_checked(path, text).map_err(|e| anyhow::anyhow!("writing report {}: {e}", path.display()))
}

fn write_checked(path: &Path, text: &str) -> io::Result<()> {
    let mut f = open_checked(path)?;
    f.set_len(0)?;
    f.write_all(text.as_bytes())?;
    f.flush()
}

/// `path` opened for writing, not truncated: never through a symlink, never anything
/// [`unsafe_target`] refuses (checked on the descriptor), a new file 0600.
fn open_checked(path: &Path) -> io::Result<std::fs::File> {
    let refused = |why: &str| io::Error::other(why.to_string());
    if is_attach_log(path) {
        return Err(refused(ATTACH_LOG));
    }
    let f = OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(false)
        .mode(0o600)
        // O_NONBLOCK: a FIFO planted there is refused below instead of blocking the open.
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)
        .map_err(|e| match e.raw_os_error() {
            Some(libc::ELOOP) => refused(SYMLINK),
            Some(libc::ENXIO) => refused(NOT_FILE),
            _ => e,
        })?;
    if let Some(why) = unsafe_target(&f.metadata()?) {
        return Err(refused(why));
    }
    Ok(f)
}

const ATTACH_LOG: &str = "is named as a zone's attach log (ZONE.attach_log.*, zoneadm.*.attach): \
     the evidence of an attach, never written over by a report";

/// A file named as the brands name their attach logs (`/var/tmp/ZONE.attach_log.XXXXXX`,
/// `/var/log/zones/zoneadm.STAMP.ZONE.attach`): what preflight reads and support asks for.
fn is_attach_log(path: &Path) -> bool {
    use super::attempt::{ipkg_log_zone, solaris_log_zone};
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else { return false };
    ipkg_log_zone(name).is_some() || solaris_log_zone(name).is_some()
}

const SYMLINK: &str = "is a symbolic link (a report is never written through one)";
const NOT_FILE: &str = "is not a regular file";

/// Why an existing report path (its `lstat`, or `fstat` once opened) must not be written.
fn unsafe_target(m: &Metadata) -> Option<&'static str> {
    let euid = super::statedir::euid();
    if m.file_type().is_symlink() {
        Some(SYMLINK)
    } else if m.is_dir() {
        Some("is a directory")
    } else if !m.is_file() {
        Some(NOT_FILE)
    } else if m.uid() != euid {
        Some("is owned by another user")
    } else if m.nlink() > 1 {
        Some("has another hard link (a report never replaces a file known by another name)")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A state directory that does not exist: no report is inside it.
    const NO_STATE: &str = "/nonexistent/zonerescue-state";

    #[test]
    fn writes_a_new_private_file_and_replaces_an_own_one() {
        use std::os::unix::fs::PermissionsExt;
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("r.txt");
        check(&p, Path::new(NO_STATE), &[]).unwrap();
        write(&p, "a longer first report\n").unwrap();
        assert_eq!(std::fs::metadata(&p).unwrap().permissions().mode() & 0o777, 0o600);
        check(&p, Path::new(NO_STATE), &[]).unwrap();
        write(&p, "second\n").unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "second\n");
    }

    #[test]
    fn never_writes_through_a_symlink_or_into_a_hard_link() {
        let d = tempfile::tempdir().unwrap();
        let victim = d.path().join("victim");
        std::fs::write(&victim, "keep\n").unwrap();
        let sym = d.path().join("sym");
        std::os::unix::fs::symlink(&victim, &sym).unwrap();
        let hard = d.path().join("hard");
        std::fs::hard_link(&victim, &hard).unwrap();
        for p in [&sym, &hard] {
            assert!(check(p, Path::new(NO_STATE), &[]).is_err(), "{}", p.display());
            assert!(write(p, "report\n").is_err(), "{}", p.display());
        }
        assert!(write(&sym, "x").unwrap_err().to_string().contains("symbolic link"));
        assert!(
            check(d.path(), Path::new(NO_STATE), &[])
                .unwrap_err()
                .to_string()
                .contains("is a directory")
        );
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep\n");
    }

    /// Ops round aa F5: `--report` the run's own playbook, or a zone's attach log, is refused
    /// (before: replaced by the report, exit 0, also in a dry run).
    #[test]
    fn never_replaces_an_input_of_the_run_or_an_attach_log() {
        let d = tempfile::tempdir().unwrap();
        let book = d.path().join("site.toml");
        std::fs::write(&book, "version = 1\n").unwrap();
        let err = check(&book, Path::new(NO_STATE), &[&book]).unwrap_err().to_string();
        assert!(err.contains("which this run reads"), "{err}");
        for name in ["web01.attach_log.Qa9Zx1", "zoneadm.20140312T101500Z.web.attach"] {
            let log = d.path().join(name);
            std::fs::write(&log, "Log File: …\n").unwrap();
            assert!(check(&log, Path::new(NO_STATE), &[]).is_err(), "{name}");
            assert!(write(&log, "report\n").is_err(), "{name}");
            assert_eq!(std::fs::read_to_string(&log).unwrap(), "Log File: …\n");
        }
        assert_eq!(std::fs::read_to_string(&book).unwrap(), "version = 1\n");
        // Another file of ours in that directory is replaced as before.
        let own = d.path().join("report.txt");
        std::fs::write(&own, "old\n").unwrap();
        check(&own, Path::new(NO_STATE), &[&book]).unwrap();
    }
}
