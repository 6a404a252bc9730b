//! The changing command in flight, recorded in `<zone state dir>/child` while it runs.
//!
//! Children run in their own process group, so a `pkg` or `zoneadm attach` outlives a
//! zonerescue that is killed outright (SIGKILL, a crash, a lost console with no handler run).
//! The next run on the zone — `resume` or a fresh one — must not roll a snapshot back or start
//! pkg under that live transaction: it reads this record and waits for the child to end first.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::findings::Finding;
use super::journal::now;
use super::reporter::Reporter;
use super::signals::Interrupt;
use super::statedir;
use crate::system::{CommandKind, Timeouts};

const FILE_NAME: &str = "child";

/// A child recorded by an earlier run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InFlight {
    pub pid: u32,
    pub kind: String,
    pub command: String,
    /// Seconds since the epoch when it was started.
    pub started: u64,
}

impl InFlight {
    pub fn path(zone_dir: &Path) -> PathBuf {
        zone_dir.join(FILE_NAME)
    }

    /// Records a child just spawned (best effort: a failed write must not stop the command).
    pub fn record(zone_dir: &Path, pid: u32, kind: CommandKind, command: &str) {
        let text = format!(
            "pid={pid}\nkind={}\nstarted={}\ncommand={}\n",
            kind.name(),
            now(),
            command.replace('\n', " ")
        );
        // Not fsynced: the child dies with the host, so the record only matters while this
        // boot lasts, and the window between spawn and record should be as short as can be.
        let _ = statedir::write_atomically(zone_dir, FILE_NAME, text.as_bytes(), false);
    }

    /// The child ended (or never started): forget it.
    pub fn clear(zone_dir: &Path) {
        let _ = std::fs::remove_file(InFlight::path(zone_dir));
    }

    /// The record left in `zone_dir`, if any and if it parses (an unreadable or garbled record
    /// names no process to wait for; it is removed by the next [`clear`](Self::clear)).
    pub fn load(zone_dir: &Path) -> Option<InFlight> {
        use std::io::Read;
        let mut text = String::new();
        super::statedir::open_file(
            std::fs::OpenOptions::new().read(true),
            &InFlight::path(zone_dir),
        )
        .ok()?
        .take(64 * 1024)
        .read_to_string(&mut text)
        .ok()?;
        InFlight::parse(&text)
    }

    pub fn parse(text: &str) -> Option<InFlight> {
        let field = |k: &str| {
            text.lines().find_map(|l| l.strip_prefix(k).and_then(|r| r.strip_prefix('=')))
        };
        let pid: u32 = field("pid")?.trim().parse().ok()?;
        // 0 and 1 are never a child of ours; kill(0, …) would even mean our process group.
        if pid <= 1 {
            return None;
        }
        Some(InFlight {
            pid,
            kind: field("kind").unwrap_or("").trim().to_string(),
            command: field("command").unwrap_or("").trim().to_string(),
            started: field("started").and_then(|s| s.trim().parse().ok()).unwrap_or(0),
        })
    }

    /// Whether the process, or any of the process group it led (the brand script and pkg
    /// of a zoneadm that is gone), still exists. A pid is not reused while its process group
    /// lives; a process of that pid whose command line lacks the recorded program, or that
    /// started minutes after the record, is another one that reused it (the record survives
    /// reboots, and pids wrap): nothing of ours runs; nor does a zombie. When ps cannot tell,
    /// we wait on the safe side, bounded by the command kind's limit.
    pub fn is_running(&self) -> bool {
        if pid_exists(self.pid) {
            return match crate::system::process_identity(self.pid) {
                // Ended, not yet reaped by its new parent.
                Some((_, args)) if args.ends_with("<defunct>") => false,
                Some((age, args)) => self.is_ours(age, &args),
                None => true,
            };
        }
        crate::system::group_alive(self.pid)
    }

    /// Whether the process that has run for `age` with command line `args` is the recorded
    /// child: its program named in `args` (pkg is run by python: `python3 /usr/bin/pkg …`),
    /// and started no later than two minutes after the record (clock steps aside).
    fn is_ours(&self, age: Duration, args: &str) -> bool {
        let base = |w: &str| w.rsplit('/').next().unwrap_or(w).to_string();
        let program = self.command.split_whitespace().next().map(base);
        let named = program.is_none_or(|p| args.split_whitespace().any(|w| base(w) == p));
        let started = now().saturating_sub(age.as_secs());
        named && started <= self.started + 120
    }

    /// How long this child may still run: its kind's limit from its start (a run killed
    /// outright never got to stop it), plus a few seconds for clock steps.
    pub fn remaining(&self, timeouts: &Timeouts) -> Duration {
        let kind = CommandKind::ALL.into_iter().find(|k| k.name() == self.kind);
        let limit = timeouts.get(kind.unwrap_or(CommandKind::Pkg));
        let elapsed = Duration::from_secs(now().saturating_sub(self.started));
        limit.saturating_sub(elapsed) + Duration::from_secs(5)
    }

    /// Waits until the process is gone, polling; false if it still runs after `limit` or when
    /// `stop` says to give up (a signal).
    pub fn wait(&self, limit: Duration, stop: &dyn Fn() -> bool) -> bool {
        let until = Instant::now() + limit;
        while self.is_running() {
            if Instant::now() >= until || stop() {
                return false;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        true
    }
}

/// Before a run touches the zone: if an earlier run left a child that still runs, say so and
/// wait for it (bounded by its kind's limit, cut short by a signal). `Ok(Some(finding))` when
/// there was one and it has ended, `Err(message)` when it still runs. The record is removed
/// once nothing runs.
pub fn wait_for_leftover(
    zone_dir: &Path,
    timeouts: &Timeouts,
    reporter: &Reporter,
    interrupt: &Interrupt,
) -> Result<Option<Finding>, String> {
    let Some(rec) = InFlight::load(zone_dir) else {
        InFlight::clear(zone_dir);
        return Ok(None);
    };
    if !rec.is_running() {
        InFlight::clear(zone_dir);
        return Ok(None);
    }
    let what = format!("`{}` (pid {}) of an earlier run", rec.command, rec.pid);
    reporter
        .note(&format!("{what} is still running; waiting for it to end before touching the zone"));
    if !rec.wait(rec.remaining(timeouts), &|| interrupt.is_set()) {
        return Err(format!(
            "{what} is still running; nothing was changed. Let it finish (ps -fp {}), then run \
             zonerescue again",
            rec.pid
        ));
    }
    InFlight::clear(zone_dir);
    let mut f = Finding::info(
        "run.child-still-running",
        format!("waited for {what} to end before touching the zone"),
    );
    f.detail = "its run was killed while it ran; it kept running in its own process group".into();
    Ok(Some(f))
}

/// Whether a process `pid` exists (signal 0 sends nothing). 0 and 1 never name a run of ours.
pub fn pid_exists(pid: u32) -> bool {
    crate::system::pid_alive(pid)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_round_trip_and_garbage_names_nothing() {
        let d = tempfile::tempdir().unwrap();
        assert_eq!(InFlight::load(d.path()), None);
        InFlight::record(d.path(), 4242, CommandKind::Pkg, "pkg -R /z/root install -v entire");
        let r = InFlight::load(d.path()).unwrap();
        assert_eq!((r.pid, r.kind.as_str()), (4242, "pkg"));
        assert_eq!(r.command, "pkg -R /z/root install -v entire");
        InFlight::clear(d.path());
        assert_eq!(InFlight::load(d.path()), None);
        for bad in ["", "pid=abc", "pid=0", "pid=1", "pid=-5", "kind=pkg"] {
            assert_eq!(InFlight::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_live_child_is_waited_for_and_a_dead_one_is_not() {
        let mut child = std::process::Command::new("sleep").arg("30").spawn().unwrap();
        let rec = InFlight {
            pid: child.id(),
            kind: "pkg".into(),
            command: "sleep 30".into(),
            started: now(),
        };
        assert!(rec.is_running());
        assert!(!rec.wait(Duration::from_millis(300), &|| false), "still running");
        child.kill().unwrap();
        child.wait().unwrap();
        assert!(!rec.is_running());
        assert!(rec.wait(Duration::from_secs(5), &|| false));
    }

    /// Ops round aa F2: a pid the killed run's child had, reused by another program or by a
    /// process started long after, is not that child (before: waited for up to 2 h).
    #[test]
    fn a_reused_pid_is_not_the_recorded_child() {
        let rec = InFlight {
            pid: 4242,
            kind: "pkg".into(),
            command: "/usr/bin/pkg -R /z/root install -v entire".into(),
            started: now() - 60,
        };
        let minute = Duration::from_secs(60);
        assert!(rec.is_ours(minute, "/usr/bin/python3.9 /usr/bin/pkg -R /z/root install"));
        assert!(!rec.is_ours(minute, "sleep 600"));
        let hour_ago = InFlight { started: now() - 3600, ..rec.clone() };
        assert!(!hour_ago.is_ours(Duration::from_secs(5), "/usr/bin/pkg -R /z/root list"));
        assert!(hour_ago.is_ours(Duration::from_secs(3600), "/usr/bin/pkg -R /z/root list"));
        // A live child of ours, as the host runs it, is waited for.
        let mut child = std::process::Command::new("sleep").arg("30").spawn().unwrap();
        let live = InFlight { pid: child.id(), command: "sleep 30".into(), started: now(), ..rec };
        assert!(live.is_running());
        let other = InFlight { command: "/usr/bin/pkg install".into(), ..live.clone() };
        assert!(!other.is_running() || crate::system::process_identity(child.id()).is_none());
        child.kill().unwrap();
        child.wait().unwrap();
    }

    #[test]
    fn the_limit_left_counts_from_the_start() {
        let t = Timeouts::default();
        let fresh =
            InFlight { pid: 2, kind: "zoneadm".into(), command: String::new(), started: now() };
        assert!(fresh.remaining(&t) > Duration::from_secs(7000));
        let old = InFlight { started: now() - 10 * 3600, ..fresh };
        assert_eq!(old.remaining(&t), Duration::from_secs(5));
    }
}
