//! One attach attempt: detach if installed, `zoneadm -z Z attach -u`, the attach log followed
//! live while it runs (its lines fed to the analyzer as they arrive), and success decided by
//! the zone's state afterwards, not by the text.

use std::collections::HashSet;
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, SystemTime};

use crate::analysis::{Analyzer, Report};
use crate::commands::zoneadm::{self, AttachOptions, ZoneState};
use crate::system::{CommandError, Stream, SystemPaths};

use super::diagnosis::Diagnosis;
use super::events::Event;
use super::exec::Exec;
use super::facts::Facts;
use super::findings::{Finding, Severity};

const POLL: Duration = Duration::from_millis(100);
/// Bytes read per poll at most (a runaway log cannot stall the follower).
const CHUNK: usize = 1 << 20;
/// A log line longer than this is read up to here, the rest skipped to its end.
const MAX_LINE: usize = 64 * 1024;
/// What the attach prints on its terminal that is kept (its log is followed besides).
const MAX_TERMINAL: usize = 16 * 1024 * 1024;

pub struct AttemptResult {
    pub state: Option<ZoneState>,
    pub diagnosis: Diagnosis,
    pub log_path: Option<PathBuf>,
    pub exit: Option<i32>,
}

impl AttemptResult {
    pub fn attached(&self) -> bool {
        self.state == Some(ZoneState::Installed)
    }
}

/// Detaches the zone if it is installed (attach needs `configured`).
pub fn ensure_detached(exec: &Exec, facts: &mut Facts) -> anyhow::Result<()> {
    let state = zoneadm::get(&exec.runner, &facts.zone).map(|e| e.state).unwrap_or(facts.state);
    if state == ZoneState::Installed {
        let changed_before = exec.changed();
        let spec = zoneadm::detach_spec(&facts.zone, false);
        let mut result = exec.change_ok(&spec, &[0]);
        // zoneadm killed by a signal this run did not send (the OOM killer, a kill -9) before
        // it detached: once more, as an attach is (regress kk F2).
        if let Err(CommandError::Failed { code: None, .. }) = &result
            && !exec.interrupt.is_set()
            && state_now(exec, facts) == Some(ZoneState::Installed)
        {
            result = exec.change_ok(&spec, &[0]);
        }
        if let Err(e) = result {
            // Stopped at its time limit, or killed from outside, after the zone was detached
            // (a hung cleanup): the zone's state says so (regress kk F1), as for an attach.
            let outside = matches!(
                e,
                CommandError::TimedOut { .. } | CommandError::Failed { code: None, .. }
            ) && !exec.interrupt.is_set();
            if outside && state_now(exec, facts) == Some(ZoneState::Configured) {
                exec.reporter.emit(&Event::Finding(
                    Finding::warn(
                        "detach.outlived-its-limit",
                        Severity::Medium,
                        "zoneadm detach was stopped after the zone was detached",
                    )
                    .detail(e.to_string()),
                ));
            } else {
                // A detach that failed changed nothing (the zone is still installed).
                if !changed_before {
                    exec.mark_unchanged();
                }
                anyhow::bail!("detaching zone {}: {e}", facts.zone);
            }
        }
        // Success is the zone's state (hostile pp F2: a detach that exited 0 and left the zone
        // installed let a rung change the installed zone's image, and the failed attach after
        // it read as attached).
        if let Err(e) = confirm_detached(exec, &facts.zone) {
            if !changed_before {
                exec.mark_unchanged();
            }
            return Err(e);
        }
        if !exec.dry_run {
            facts.state = ZoneState::Configured;
            // The ipkg detach mounts the ZBE at the zone root (reference §2.9).
            facts.read_deferred_image(&exec.runner);
        }
    }
    Ok(())
}

/// After a `zoneadm detach` that exited 0: the zone's state says whether it is detached (one
/// unreadable is taken at the detach's word).
pub fn confirm_detached(exec: &Exec, zone: &crate::commands::ZoneName) -> anyhow::Result<()> {
    if exec.dry_run {
        return Ok(());
    }
    match zoneadm::get(&exec.runner, zone).map(|z| z.state) {
        Ok(now) if now != ZoneState::Configured => anyhow::bail!(
            "detaching zone {zone}: zoneadm detach exited 0, but the zone is {} (not configured)",
            now.as_str()
        ),
        _ => Ok(()),
    }
}

/// The zone's state after an attach, asked up to three times a second apart.
fn state_after_attach(exec: &Exec, facts: &Facts) -> anyhow::Result<ZoneState> {
    let mut tries = 0;
    loop {
        match zoneadm::get(&exec.runner, &facts.zone) {
            Ok(z) => return Ok(z.state),
            Err(e) if tries >= 2 => {
                return Err(anyhow::Error::new(e).context(format!(
                    "the state of zone {} after its attach could not be read: whether it \
                     attached is not known",
                    facts.zone
                )));
            }
            Err(_) => {
                tries += 1;
                std::thread::sleep(std::time::Duration::from_secs(1));
            }
        }
    }
}

/// The zone's state as zoneadm reports it now (`None`: unreadable).
fn state_now(exec: &Exec, facts: &Facts) -> Option<ZoneState> {
    zoneadm::get(&exec.runner, &facts.zone).ok().map(|z| z.state)
}

/// Runs `attach -u`, following its log and feeding it to `analyzer` (a fresh one per attempt).
pub fn attach(
    exec: &Exec,
    facts: &mut Facts,
    analyzer: Analyzer<'_>,
) -> anyhow::Result<AttemptResult> {
    ensure_detached(exec, facts)?;
    let zone = facts.zone.as_str().to_string();
    let var_tmp = exec.runner.paths().host_path("/var/tmp");
    let before: HashSet<PathBuf> =
        attach_logs(&var_tmp, &zone).into_iter().map(|(p, _)| p).collect();
    let began = SystemTime::now();

    let printed: Mutex<Option<PathBuf>> = Mutex::new(None);
    let done = AtomicBool::new(false);
    let spec =
        zoneadm::attach_spec(&facts.zone, &AttachOptions { update: true, ..Default::default() });
    let mut terminal: Vec<String> = Vec::new();
    let mut terminal_bytes = 0usize;
    let reporter = Arc::clone(&exec.reporter);
    let step = exec.step;
    let (result, joined) = thread::scope(|scope| {
        let follower = scope.spawn(|| {
            follow(analyzer, &printed, &done, &var_tmp, &zone, &before, began, &reporter, step)
        });
        let result = exec.change_streaming(&spec, &mut |_stream: Stream, line: &str| {
            if let Some(p) = log_path_in(line)
                && let Ok(mut g) = printed.lock()
            {
                *g = Some(p);
            }
            // Bounded as the followed log's lines are (regress mm F8: a runaway stdout line).
            if terminal_bytes < MAX_TERMINAL {
                let mut cut = line.len().min(MAX_LINE);
                while !line.is_char_boundary(cut) {
                    cut -= 1;
                }
                terminal_bytes += cut;
                terminal.push(line[..cut].to_string());
            }
        });
        done.store(true, Ordering::SeqCst);
        (result, follower.join())
    });
    let Ok((mut analyzer, log_path)) = joined else {
        anyhow::bail!("the attach-log follower thread panicked");
    };
    let out = match result {
        Ok(out) => out,
        // zoneadm outlived its time limit and was stopped, but the attach had ended first
        // (a hung cleanup): the zone's state says so, and its log is read as any other.
        Err(e @ CommandError::TimedOut { .. })
            if zoneadm::get(&exec.runner, &facts.zone)
                .is_ok_and(|z| z.state == ZoneState::Installed) =>
        {
            reporter.emit(&Event::Finding(
                Finding::warn(
                    "attach.outlived-its-limit",
                    Severity::Medium,
                    "zoneadm attach was stopped at its time limit after the zone was attached",
                )
                .detail(e.to_string()),
            ));
            None
        }
        Err(e) => anyhow::bail!("running attach -u: {e}"),
    };
    let mut log_path = log_path;
    if log_path.is_none() {
        // No log file in the global zone (removed, rotated, unreadable, a symlink): the copy
        // the solaris brand saves in the zone, which the terminal names, if this attempt wrote
        // it; else the terminal is all there is.
        let slack = began.checked_sub(Duration::from_secs(2)).unwrap_or(began);
        let copy = terminal
            .iter()
            .find_map(|l| saved_copy_in(l))
            .filter(|p| p.starts_with(&facts.zone_root))
            .filter(|p| {
                p.file_name().and_then(|n| n.to_str()).and_then(solaris_log_zone) == Some(&zone)
            })
            .and_then(|p| open_log(&p).map(|f| (p, f)))
            .filter(|(_, f)| f.metadata().and_then(|m| m.modified()).is_ok_and(|t| t >= slack));
        match copy {
            Some((p, f)) => {
                for line in BufReader::new(f).split(b'\n').map_while(Result::ok) {
                    analyzer.feed_line(&line);
                }
                log_path = Some(p);
            }
            None => {
                for l in &terminal {
                    analyzer.feed_line(l.as_bytes());
                }
            }
        }
    }
    let report: Report = analyzer.finish();
    // Success is the zone's state, so an unreadable one is no answer: asked again, and if
    // it stays unreadable the run stops (hostile pp F1: a failed `zoneadm list` after an
    // attach that worked read as a failure, and the attached zone was detached and rolled
    // back).
    let now = state_after_attach(exec, facts)?;
    facts.state = now;
    let state = Some(now);
    let mut diagnosis = Diagnosis::from_report(&report);
    // pkg's traceback may reach only the terminal (its stderr), not the brand's log: it is
    // still a crash, not an answer about the image.
    let crash = super::environment::PKG_CRASHED;
    if state != Some(ZoneState::Installed)
        && !diagnosis.keys.iter().any(|k| k == crash)
        && log_path.is_some()
        && super::environment::crashed_in(&terminal.join("\n"))
    {
        diagnosis.keys.push(crash.into());
        diagnosis.reasons.push(format!(
            "pkg stopped on an unexpected error (a Python traceback on the terminal) ({crash})"
        ));
    }
    // zoneadm killed by a signal this run did not send (the OOM killer, a kill -9) ends
    // without a word in its log, which reads as truncated: it says nothing about the image.
    let killed = out.as_ref().is_some_and(|o| o.code.is_none()) && !exec.interrupt.is_set();
    let interrupted = super::environment::INTERRUPTED;
    if killed
        && state != Some(ZoneState::Installed)
        && !diagnosis.keys.iter().any(|k| k == interrupted)
    {
        diagnosis.keys.push(interrupted.into());
        diagnosis.reasons.insert(
            0,
            format!("zoneadm attach was killed by a signal before it finished ({interrupted})"),
        );
    }
    Ok(AttemptResult { state, diagnosis, log_path, exit: out.and_then(|o| o.code) })
}

/// `Log File: /var/tmp/z1.attach_log.AbC123` (ipkg) or
/// `Progress being logged to /var/log/zones/zoneadm.….attach` (solaris brand).
pub fn log_path_in(line: &str) -> Option<PathBuf> {
    let t = line.trim();
    let rest = t.strip_prefix("Log File:").or_else(|| {
        t.find("Progress being logged to").map(|i| &t[i + "Progress being logged to".len()..])
    })?;
    let p = rest.trim();
    (p.starts_with('/') && !p.contains('\0')).then(|| PathBuf::from(p))
}

/// `Log saved in non-global zone as <zoneroot>/var/log/zones/zoneadm.….attach`: the copy of
/// its log the solaris brand leaves in the zone at the end of an attach.
pub fn saved_copy_in(line: &str) -> Option<PathBuf> {
    const SAID: &str = "Log saved in non-global zone as";
    let t = line.trim();
    let p = t[t.find(SAID)? + SAID.len()..].trim();
    (p.starts_with('/') && !p.contains('\0')).then(|| PathBuf::from(p))
}

/// The zone whose ipkg attach log a file name in /var/tmp is: `ZONE.attach_log.XXXXXX` (the
/// brand's `mktemp`, whose suffix has no dot). The zone is everything before that
/// `.attach_log.`, so zone `web` does not claim `app.web.attach_log.X` (zone names may hold dots).
pub fn ipkg_log_zone(file_name: &str) -> Option<&str> {
    let (head, suffix) = file_name.rsplit_once('.')?;
    let zone = head.strip_suffix(".attach_log")?;
    (!zone.is_empty() && !suffix.is_empty()).then_some(zone)
}

/// The zone whose solaris-brand attach log a file name in /var/log/zones is:
/// `zoneadm.YYYYmmddTHHMMSSZ.ZONE.attach`, the zone being everything between the timestamp
/// and the final `.attach`, so zone `web` does not claim `zoneadm.….app.web.attach`.
pub fn solaris_log_zone(file_name: &str) -> Option<&str> {
    let rest = file_name.strip_prefix("zoneadm.")?.strip_suffix(".attach")?;
    let (stamp, zone) = rest.split_once('.')?;
    (is_log_stamp(stamp) && !zone.is_empty()).then_some(zone)
}

/// `date +%Y%m%dT%H%M%SZ`, as in the solaris brand's log names.
fn is_log_stamp(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 16
        && b[8] == b'T'
        && b[15] == b'Z'
        && b[..8].iter().chain(&b[9..15]).all(u8::is_ascii_digit)
}

/// The regular files (never a symlink) in `dir` whose name `zone_of` gives as `zone`'s, with
/// their modification times: only those zoneadm (root, as this run) could have written. In
/// /var/tmp (mode 1777) anyone may create `ZONE.attach_log.X`, and a log's claims lead to
/// uninstalls and image-create.
fn logs_in(
    dir: &Path,
    zone: &str,
    zone_of: fn(&str) -> Option<&str>,
) -> Vec<(PathBuf, SystemTime)> {
    let Ok(rd) = std::fs::read_dir(dir) else { return Vec::new() };
    rd.filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_str().and_then(zone_of) == Some(zone))
        .filter_map(|e| {
            // symlink_metadata: a symlink is never a candidate.
            let m = std::fs::symlink_metadata(e.path()).ok()?;
            let modified = m.modified().unwrap_or(SystemTime::UNIX_EPOCH);
            // One dated ahead of now was not written now (hostile tt F1: an old log from a
            // clock that ran ahead was taken for this run's last attempt).
            let future = modified > SystemTime::now() + FUTURE_SLACK;
            (m.is_file() && super::statedir::trusted(&m) && !future).then(|| (e.path(), modified))
        })
        .collect()
}

/// How far ahead of the clock a log's modification time may be (clocks of NFS servers and
/// zones drift a little) and still be taken as written now.
const FUTURE_SLACK: Duration = Duration::from_secs(60);

/// `/var/tmp/ZONE.attach_log.*` files with their modification times.
fn attach_logs(var_tmp: &Path, zone: &str) -> Vec<(PathBuf, SystemTime)> {
    logs_in(var_tmp, zone, ipkg_log_zone)
}

/// The newest attach log of `zone`: `/var/tmp/ZONE.attach_log.*` (ipkg) or
/// `/var/log/zones/zoneadm.*.ZONE.attach` (solaris brand), symlinks never considered.
pub fn newest_attach_log(paths: &SystemPaths, zone: &str) -> Option<PathBuf> {
    let mut all = attach_logs(&paths.host_path("/var/tmp"), zone);
    all.extend(logs_in(&paths.host_path("/var/log/zones"), zone, solaris_log_zone));
    all.into_iter().max_by_key(|(_, t)| *t).map(|(p, _)| p)
}

/// Opens a log without following a symlink, and only if it is a regular file.
pub fn open_log(path: &Path) -> Option<File> {
    let f = OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)
        .ok()?;
    f.metadata().ok().filter(|m| m.is_file() && super::statedir::trusted(m)).map(|_| f)
}

#[allow(clippy::too_many_arguments)]
fn follow<'r>(
    mut analyzer: Analyzer<'r>,
    printed: &Mutex<Option<PathBuf>>,
    done: &AtomicBool,
    var_tmp: &Path,
    zone: &str,
    before: &HashSet<PathBuf>,
    began: SystemTime,
    reporter: &super::reporter::Reporter,
    step: u32,
) -> (Analyzer<'r>, Option<PathBuf>) {
    let mut file: Option<(File, PathBuf)> = None;
    let mut pending: Vec<u8> = Vec::new();
    let mut skipping = false;
    let mut offset: u64 = 0;
    loop {
        let finished = done.load(Ordering::SeqCst);
        if file.is_none() {
            let candidate = printed.lock().ok().and_then(|g| g.clone()).or_else(|| {
                // OmniOS prints no path: the newest new log created after the attempt began.
                let slack = began.checked_sub(Duration::from_secs(2)).unwrap_or(began);
                attach_logs(var_tmp, zone)
                    .into_iter()
                    .filter(|(p, t)| !before.contains(p) && *t >= slack)
                    .max_by_key(|(_, t)| *t)
                    .map(|(p, _)| p)
            });
            if let Some(p) = candidate
                && let Some(f) = open_log(&p)
            {
                file = Some((f, p));
            }
        }
        if let Some((f, p)) = file.as_mut() {
            let mut buf = vec![0u8; CHUNK];
            // Once the attach has ended, what the log holds then is its end: a writer left
            // behind that keeps it growing must not keep the run here (hostile tt F2).
            let end = if finished { f.metadata().map_or(0, |m| m.len()) } else { u64::MAX };
            loop {
                if offset >= end || f.seek(SeekFrom::Start(offset)).is_err() {
                    break;
                }
                match f.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        offset += n as u64;
                        let mut chunk = &buf[..n];
                        if skipping {
                            // The rest of a runaway line: dropped up to its end.
                            let Some(i) = chunk.iter().position(|&b| b == b'\n') else { continue };
                            skipping = false;
                            chunk = &chunk[i + 1..];
                        }
                        pending.extend_from_slice(chunk);
                        let mut deliver = |line: &[u8]| {
                            analyzer.feed_line(line);
                            reporter.emit(&Event::LogLine {
                                step,
                                path: p.display().to_string(),
                                line: String::from_utf8_lossy(line).into_owned(),
                            });
                        };
                        // One pass over the chunk, one drain at the end: draining line by
                        // line moved the rest each time (hostile tt F2: 10 s a megabyte of
                        // short lines).
                        let mut start = 0;
                        while let Some(i) = memchr::memchr(b'\n', &pending[start..]) {
                            deliver(&pending[start..start + i]);
                            start += i + 1;
                        }
                        pending.drain(..start);
                        // A line with no end in sight (hostile ll F1: hundreds of megabytes):
                        // its start is read, the rest skipped, as analyze does; memory stays
                        // bounded.
                        if pending.len() > MAX_LINE {
                            pending.truncate(MAX_LINE);
                            deliver(&pending);
                            pending.clear();
                            skipping = true;
                        }
                    }
                }
            }
        }
        if finished {
            break;
        }
        thread::sleep(POLL);
    }
    if !pending.is_empty() {
        analyzer.feed_line(&pending);
    }
    let path = file.map(|(_, p)| p);
    (analyzer, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_paths_from_terminal_lines() {
        assert_eq!(
            log_path_in("Log File: /var/tmp/z1.attach_log.AbC123"),
            Some("/var/tmp/z1.attach_log.AbC123".into())
        );
        assert_eq!(
            log_path_in(
                "Progress being logged to /var/log/zones/zoneadm.20111116T201214Z.z1.attach"
            ),
            Some("/var/log/zones/zoneadm.20111116T201214Z.z1.attach".into())
        );
        assert_eq!(log_path_in("Log File: relative"), None);
        assert_eq!(
            saved_copy_in(
                "Log saved in non-global zone as /zones/z1/root/var/log/zones/zoneadm.20111116T201214Z.z1.attach"
            ),
            Some(PathBuf::from("/zones/z1/root/var/log/zones/zoneadm.20111116T201214Z.z1.attach"))
        );
        assert_eq!(saved_copy_in("Log saved in non-global zone as var/log/x"), None);
        assert_eq!(log_path_in("Attaching..."), None);
    }

    #[test]
    fn log_names_give_their_zone_exactly() {
        assert_eq!(ipkg_log_zone("web.attach_log.AbC123"), Some("web"));
        assert_eq!(ipkg_log_zone("app.web.attach_log.AbC123"), Some("app.web"));
        assert_eq!(ipkg_log_zone("web.attach_log.x.attach_log.AbC123"), Some("web.attach_log.x"));
        assert_eq!(ipkg_log_zone("web.attach_log."), None);
        assert_eq!(ipkg_log_zone(".attach_log.AbC123"), None);
        assert_eq!(ipkg_log_zone("web.install_log.AbC123"), None);
        assert_eq!(solaris_log_zone("zoneadm.20111116T201214Z.web.attach"), Some("web"));
        assert_eq!(solaris_log_zone("zoneadm.20111116T201214Z.app.web.attach"), Some("app.web"));
        assert_eq!(solaris_log_zone("zoneadm.20111116T201214Z.a.attach.attach"), Some("a.attach"));
        assert_eq!(solaris_log_zone("zoneadm.20111116T201214Z.web.install"), None);
        assert_eq!(solaris_log_zone("zoneadm.20111116T201214Z..attach"), None);
        assert_eq!(solaris_log_zone("zoneadm.2011-11-16.web.attach"), None);
        assert_eq!(solaris_log_zone("zoneadm.app.20111116T201214Z.web.attach"), None);
    }

    #[test]
    fn a_dotted_zones_logs_are_not_another_zones() {
        let d = tempfile::tempdir().unwrap();
        let paths = SystemPaths::new(None, d.path().to_path_buf()).unwrap();
        let zones = d.path().join("var/log/zones");
        let tmp = d.path().join("var/tmp");
        std::fs::create_dir_all(&zones).unwrap();
        std::fs::create_dir_all(&tmp).unwrap();
        std::fs::write(zones.join("zoneadm.20111116T201214Z.app.web.attach"), "x\n").unwrap();
        std::fs::write(tmp.join("app.web.attach_log.AbC123"), "x\n").unwrap();
        assert_eq!(newest_attach_log(&paths, "web"), None);
        assert!(attach_logs(&tmp, "web").is_empty());
        assert!(newest_attach_log(&paths, "app.web").is_some());
        assert!(newest_attach_log(&paths, "app").is_none());
    }

    /// Hostile tt F1: an old log dated ahead of the clock was the "newest", and `resume` took
    /// its diagnosis for the killed run's last attempt.
    #[test]
    fn a_log_dated_in_the_future_is_not_the_newest() {
        let d = tempfile::tempdir().unwrap();
        let paths = SystemPaths::new(None, d.path().to_path_buf()).unwrap();
        let tmp = d.path().join("var/tmp");
        std::fs::create_dir_all(&tmp).unwrap();
        let old = tmp.join("web.attach_log.Future");
        std::fs::write(&old, "x\n").unwrap();
        let ahead = SystemTime::now() + Duration::from_secs(30 * 24 * 3600);
        std::fs::File::options().write(true).open(&old).unwrap().set_modified(ahead).unwrap();
        std::fs::write(tmp.join("web.attach_log.Now123"), "x\n").unwrap();
        assert_eq!(newest_attach_log(&paths, "web"), Some(tmp.join("web.attach_log.Now123")));
    }

    #[test]
    fn symlinked_logs_are_not_opened() {
        let d = tempfile::tempdir().unwrap();
        let real = d.path().join("real");
        std::fs::write(&real, "x\n").unwrap();
        let link = d.path().join("z1.attach_log.abc");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        assert!(open_log(&link).is_none());
        assert!(open_log(&real).is_some());
        assert!(attach_logs(d.path(), "z1").is_empty());
    }

    /// Round j F2: anyone may create `/var/tmp/ZONE.attach_log.X`; a forged one led auto to
    /// image-create. Only logs no one else could have written are read.
    #[test]
    fn logs_others_could_write_are_not_read() {
        use std::os::unix::fs::PermissionsExt;
        let d = tempfile::tempdir().unwrap();
        let log = d.path().join("z1.attach_log.abc");
        std::fs::write(&log, "x\n").unwrap();
        std::fs::set_permissions(&log, std::fs::Permissions::from_mode(0o600)).unwrap();
        assert!(open_log(&log).is_some());
        assert_eq!(attach_logs(d.path(), "z1").len(), 1);
        std::fs::set_permissions(&log, std::fs::Permissions::from_mode(0o666)).unwrap();
        assert!(open_log(&log).is_none());
        assert!(attach_logs(d.path(), "z1").is_empty());
    }
}
