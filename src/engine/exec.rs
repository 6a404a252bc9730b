//! How the engine runs commands: read-only ones always (they are how facts are learnt),
//! changing ones only outside `--dry-run`. Every command becomes a `command` event when it
//! ends; a changing one also a `command-start` event just before it is spawned, so a consumer
//! (or a kill test) knows which long operation is in flight.

use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::environment;
use super::events::Event;
use super::inflight::InFlight;
use super::reporter::Reporter;
use super::signals::Interrupt;
use crate::system::{
    CommandError, CommandKind, CommandOutput, CommandSpec, Program, Runner, Stream,
};

/// `pkg` exits 7 when another package client holds the image; that client usually finishes
/// soon, so a changing pkg command is retried this many times before its exit 7 stands.
pub const PKG_LOCK_RETRIES: u32 = 3;
/// Base wait before the first retry (doubling after each), in milliseconds; the environment
/// variable `ZONERESCUE_PKG_LOCK_WAIT_MS` overrides it (tests use a few milliseconds).
#[cfg(not(test))]
const PKG_LOCK_WAIT_MS: u64 = 5_000;
/// Unit tests check the retry schedule, not the waiting.
#[cfg(test)]
const PKG_LOCK_WAIT_MS: u64 = 20;
/// pkg(1): "The requested operation cannot be performed on a live image" / image in use.
const PKG_EXIT_LOCKED: i32 = 7;

fn pkg_lock_wait(retry: u32) -> Duration {
    let base = std::env::var("ZONERESCUE_PKG_LOCK_WAIT_MS")
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .unwrap_or(PKG_LOCK_WAIT_MS);
    Duration::from_millis(base.saturating_mul(1u64 << retry.min(16)))
}

pub struct Exec {
    pub runner: Runner,
    pub dry_run: bool,
    pub reporter: Arc<Reporter>,
    pub interrupt: Interrupt,
    /// The current step number (for events).
    pub step: u32,
    /// The image (`-R` root, `/` for the global zone) and pkg's message, once a pkg command
    /// stayed refused for the image lock after every retry: another package client (say, the
    /// orphaned `pkg` of a killed run) is changing that image.
    pub image_lock_stood: Mutex<Option<(String, String)>>,
    /// The zone's state directory: each changing child is recorded there while it runs
    /// ([`InFlight`]), for a later run to wait on if this one is killed outright.
    pub inflight_dir: Option<std::path::PathBuf>,
    /// A changing command has run since the last [`Exec::mark_unchanged`] (a run that
    /// changed nothing but its own snapshot leaves the zone as it found it).
    changed: AtomicBool,
    /// Holders of [`Exec::finishing`]: putting back what the run changed around its attach,
    /// which a signal does not stop.
    finishing: AtomicU32,
    /// A changing command was held back because a signal had asked the run to stop.
    held_back: AtomicBool,
    /// The failures outside the zone's image (pkg crashing, a full pool, a time limit, a
    /// repository not reached) that commands met since the last [`Exec::take_environment`].
    environment: Mutex<Vec<environment::Failure>>,
}

impl Exec {
    pub fn new(
        runner: Runner,
        dry_run: bool,
        reporter: Arc<Reporter>,
        interrupt: Interrupt,
        inflight_dir: Option<std::path::PathBuf>,
    ) -> Exec {
        Exec {
            runner,
            dry_run,
            reporter,
            interrupt,
            step: 0,
            image_lock_stood: Default::default(),
            inflight_dir,
            changed: AtomicBool::new(false),
            finishing: AtomicU32::new(0),
            held_back: AtomicBool::new(false),
            environment: Default::default(),
        }
    }

    /// While the returned guard lives, changing commands run even after a signal: they put
    /// back what the run changed for its attach (the global zone's publishers).
    pub fn finishing(&self) -> Finishing<'_> {
        self.finishing.fetch_add(1, Ordering::SeqCst);
        Finishing(&self.finishing)
    }

    /// Whether a changing command was held back because of a signal: the step it belonged
    /// to was cut short.
    pub fn held_back(&self) -> bool {
        self.held_back.load(Ordering::SeqCst)
    }

    /// The failures outside the image met since the last call (see [`environment`]).
    pub fn take_environment(&self) -> Vec<environment::Failure> {
        self.environment.lock().map(|mut g| std::mem::take(&mut *g)).unwrap_or_default()
    }

    fn note_environment(&self, f: Option<environment::Failure>) {
        if let (Some(f), Ok(mut g)) = (f, self.environment.lock()) {
            g.push(f);
        }
    }

    /// Whether a changing command has run since [`Exec::mark_unchanged`].
    pub fn changed(&self) -> bool {
        self.changed.load(Ordering::Relaxed)
    }

    /// What has run so far counts as no change (the pre-rescue snapshot).
    pub fn mark_unchanged(&self) {
        self.changed.store(false, Ordering::Relaxed);
    }

    fn report(&self, spec: &CommandSpec, out: Option<&CommandOutput>, skipped: bool) {
        self.reporter.emit(&Event::Command {
            step: self.step,
            command: spec.display(),
            exit: out.and_then(|o| o.code),
            elapsed_ms: out.map_or(0, |o| o.elapsed.as_millis() as u64),
            skipped,
        });
    }

    /// A command that changes nothing (listings, `pkg … -n`): run even in a dry run.
    pub fn read(&self, spec: &CommandSpec) -> Result<CommandOutput, CommandError> {
        self.run_waiting_for_lock(spec, false, &mut |_, _| {})
    }

    /// A command that changes the system: in a dry run only shown (returns `None`).
    pub fn change(&self, spec: &CommandSpec) -> Result<Option<CommandOutput>, CommandError> {
        self.change_streaming(spec, &mut |_, _| {})
    }

    pub fn change_streaming(
        &self,
        spec: &CommandSpec,
        on_line: &mut dyn FnMut(Stream, &str),
    ) -> Result<Option<CommandOutput>, CommandError> {
        if self.dry_run {
            self.report(spec, None, true);
            return Ok(None);
        }
        // After a signal the command running is left to finish, and nothing new is started
        // (a shutdown's SIGKILL would land in it): `resume` goes on from here.
        if self.interrupt.is_set() && self.finishing.load(Ordering::SeqCst) == 0 {
            self.held_back.store(true, Ordering::SeqCst);
            return Err(CommandError::NotStarted {
                argv: spec.display(),
                signal: self.interrupt.signal_name(),
            });
        }
        self.changed.store(true, Ordering::Relaxed);
        self.run_waiting_for_lock(spec, true, on_line).map(Some)
    }

    /// Runs and reports `spec`; a pkg command refused because the image is locked (even
    /// `pkg … -n`, which plans under the lock too) is retried after a growing wait. A
    /// `changing` command is announced (`command-start`) before every spawn.
    fn run_waiting_for_lock(
        &self,
        spec: &CommandSpec,
        changing: bool,
        on_line: &mut dyn FnMut(Stream, &str),
    ) -> Result<CommandOutput, CommandError> {
        let mut retry = 0;
        let long = changing && long_running(spec);
        loop {
            if changing {
                self.reporter
                    .emit(&Event::CommandStart { step: self.step, command: spec.display() });
            }
            // The runner reads both streams on threads of their own and hands each line here.
            let progress = long.then(|| self.reporter.progress(&spec.display()));
            let mut lines = |stream: Stream, line: &str| {
                if long {
                    self.reporter.progress_line(line);
                }
                on_line(stream, line);
            };
            let out = match (&self.inflight_dir, changing) {
                (Some(dir), true) => {
                    let kind = CommandKind::of(spec);
                    let mut on_spawn = |pid: u32| InFlight::record(dir, pid, kind, &spec.display());
                    let out = self.runner.run_observed(spec, &mut on_spawn, &mut lines);
                    // A command past its limit whose process group outlived its SIGKILL (a
                    // process stuck in the kernel) stays recorded: rollback and resume wait.
                    let outlived = matches!(out, Err(CommandError::TimedOut { .. }))
                        && InFlight::load(dir).is_some_and(|r| r.is_running());
                    if !outlived {
                        InFlight::clear(dir);
                    }
                    out
                }
                _ => self.runner.run_streaming(spec, &mut lines),
            };
            // Cleared before anything is printed about it (a failure, a retry).
            drop(progress);
            let out = out.inspect_err(|e| self.note_environment(environment::of_error(spec, e)))?;
            self.report(spec, Some(&out), false);
            if !is_image_locked(spec, &out) {
                self.note_environment(environment::of_output(spec, &out));
                return Ok(out);
            }
            // Once the lock has outlasted the retries, later commands do not wait again: the
            // run stops at the end of this step (recover.rs) instead of waiting minutes more.
            // Only for the same image: restoring the global zone's publishers still waits
            // out a brief lock on the live image after a zone image's lock stood.
            let image = image_of(spec);
            let stood_here = self
                .image_lock_stood
                .lock()
                .ok()
                .is_some_and(|g| g.as_ref().is_some_and(|(i, _)| *i == image));
            if retry >= PKG_LOCK_RETRIES || stood_here || !self.wait_for_lock(retry) {
                let text = out.stderr.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
                if let Ok(mut g) = self.image_lock_stood.lock() {
                    g.get_or_insert_with(|| (image, text.trim().to_string()));
                }
                return Ok(out);
            }
            retry += 1;
        }
    }

    /// Sleeps before retry number `retry + 1`, in short slices so that a signal is not
    /// delayed; false when interrupted (the caller then keeps the locked result).
    fn wait_for_lock(&self, retry: u32) -> bool {
        self.wait_before_retry(
            "the package image is locked by another pkg client",
            retry,
            PKG_LOCK_RETRIES,
        )
    }

    /// Says `why` and sleeps before retry number `retry + 1` of `of` (the pkg lock's
    /// schedule), in short slices so that a signal is not delayed; false when interrupted.
    pub fn wait_before_retry(&self, why: &str, retry: u32, of: u32) -> bool {
        let wait = pkg_lock_wait(retry);
        self.reporter.note(&format!(
            "{why}; retrying in {:.1} s ({} of {})",
            wait.as_secs_f64(),
            retry + 1,
            of
        ));
        let until = Instant::now() + wait;
        while Instant::now() < until {
            if self.interrupt.is_set() {
                return false;
            }
            std::thread::sleep((until - Instant::now()).min(Duration::from_millis(100)));
        }
        !self.interrupt.is_set()
    }

    /// pkg's message if a pkg command stayed refused for the image lock (`image_lock_stood`).
    pub fn image_locked(&self) -> Option<String> {
        self.image_lock_stood.lock().ok().and_then(|g| g.as_ref().map(|(_, m)| m.clone()))
    }

    /// A changing command that must succeed (exit code in `ok`).
    pub fn change_ok(&self, spec: &CommandSpec, ok: &[i32]) -> Result<(), CommandError> {
        match self.change(spec)? {
            Some(out) => out.check_codes(ok).map(|_| ()),
            None => Ok(()),
        }
    }
}

/// See [`Exec::finishing`].
pub struct Finishing<'a>(&'a AtomicU32);

impl Drop for Finishing<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Runs `spec` with no events and no interrupt check, retrying pkg's exit 7 like [`Exec`]
/// does: for clean-up that must happen even when the run is unwinding (a guard's `Drop`).
pub(crate) fn run_quietly_waiting_for_lock(
    runner: &Runner,
    spec: &CommandSpec,
) -> Result<CommandOutput, CommandError> {
    let mut retry = 0;
    loop {
        let out = runner.run(spec)?;
        if !is_image_locked(spec, &out) || retry >= PKG_LOCK_RETRIES {
            return Ok(out);
        }
        std::thread::sleep(pkg_lock_wait(retry));
        retry += 1;
    }
}

/// A changing command that may run for minutes, shown with a spinner: every pkg (install,
/// update, uninstall, set-publisher, which may refresh catalogs) and zoneadm change, pkg
/// image-create, and zfs rollback; not zfs snapshot and the like, done in an instant.
fn long_running(spec: &CommandSpec) -> bool {
    match CommandKind::of(spec) {
        CommandKind::Pkg | CommandKind::ImageCreate | CommandKind::Zoneadm => true,
        CommandKind::Zfs => spec.args_lossy().first().is_some_and(|a| a == "rollback"),
        CommandKind::Query => false,
    }
}

/// The image a pkg command works on: its `-R` root, or `/` (the global zone's).
fn image_of(spec: &CommandSpec) -> String {
    let args = spec.args_lossy();
    args.iter()
        .position(|a| a == "-R")
        .and_then(|i| args.get(i + 1).cloned())
        .unwrap_or_else(|| "/".to_string())
}

/// A pkg command that failed only because another client holds the image lock.
fn is_image_locked(spec: &CommandSpec, out: &CommandOutput) -> bool {
    spec.program() == Program::Pkg && out.code == Some(PKG_EXIT_LOCKED)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::system::{SystemPaths, Timeouts};
    use crate::ui::Palette;

    /// A command directory whose `pkg` is a script (tests only), and an Exec over it.
    fn exec_with_pkg(script: &str) -> (tempfile::TempDir, Exec) {
        let dir = tempfile::tempdir().unwrap();
        let bin = dir.path().join("bin");
        std::fs::create_dir(&bin).unwrap();
        let pkg = bin.join("pkg");
        crate::system::test_script::write(
            &pkg,
            &format!("cd '{}'\n{script}", dir.path().display()),
        );
        let paths = SystemPaths::new(Some(bin), dir.path().to_path_buf()).unwrap();
        let exec = Exec::new(
            Runner::new(paths, Timeouts::default()),
            false,
            Arc::new(Reporter::new(true, Palette::plain())),
            Interrupt::detached(),
            None,
        );
        (dir, exec)
    }

    fn pkg(args: &[&str]) -> CommandSpec {
        CommandSpec::new(Program::Pkg).args(args)
    }

    #[test]
    fn the_image_is_the_r_root_or_the_global_zone() {
        assert_eq!(image_of(&pkg(&["-R", "/z/root", "install", "x"])), "/z/root");
        assert_eq!(image_of(&pkg(&["set-publisher", "-G", "*", "s"])), "/");
    }

    #[test]
    fn a_lock_that_stood_on_a_zone_image_does_not_stop_retries_on_the_global_zone() {
        // The zone image stays locked; the live image is locked once, then free.
        let (d, exec) = exec_with_pkg(
            "echo \"$@\" >> calls\n\
             if [ \"$1\" = -R ]; then echo 'pkg: image in use' >&2; exit 7; fi\n\
             if [ ! -e gz-tried ]; then touch gz-tried; exit 7; fi\nexit 0",
        );
        let zone = exec.change(&pkg(&["-R", "/z/root", "install", "x"])).unwrap().unwrap();
        assert_eq!(zone.code, Some(7));
        assert_eq!(exec.image_locked().as_deref(), Some("pkg: image in use"));
        // Once stood, the same image is not waited for again …
        let again = exec.change(&pkg(&["-R", "/z/root", "uninstall", "x"])).unwrap().unwrap();
        assert_eq!(again.code, Some(7));
        let calls = std::fs::read_to_string(d.path().join("calls")).unwrap();
        let count = |verb: &str| calls.lines().filter(|l| l.contains(verb)).count();
        assert_eq!(count(" install x"), PKG_LOCK_RETRIES as usize + 1);
        assert_eq!(count("uninstall"), 1);
        // … but the global zone's restore still waits its brief lock out.
        let gz = exec.change(&pkg(&["set-publisher", "--enable", "extra"])).unwrap().unwrap();
        assert_eq!(gz.code, Some(0));
    }

    #[test]
    fn a_long_changing_command_has_a_spinner_showing_its_newest_line_while_it_runs() {
        let (_d, mut exec) =
            exec_with_pkg("echo 'Planning: Solver setup ... Done'\necho 'Download: 1/2' >&2");
        let reporter = Arc::new(Reporter::new(false, Palette::plain()).with_hidden_spinners());
        exec.reporter = Arc::clone(&reporter);
        let mut seen = Vec::new();
        let spec = pkg(&["-R", "/z/root", "install", "x"]);
        let out = exec
            .change_streaming(&spec, &mut |_, line| {
                seen.push((line.to_string(), reporter.progress_text()))
            })
            .unwrap();
        assert!(out.is_some_and(|o| o.success()));
        assert_eq!(seen.len(), 2, "{seen:?}");
        for (line, shown) in seen {
            // Both streams, each line under the command's name as it arrives.
            assert_eq!(shown, Some((spec.display(), line)));
        }
        assert_eq!(reporter.progress_text(), None, "cleared when the command ends");
    }

    #[test]
    fn only_changing_commands_that_may_take_minutes_have_a_spinner() {
        let zfs = |args: &[&str]| CommandSpec::new(Program::Zfs).args(args);
        let zoneadm = |args: &[&str]| CommandSpec::new(Program::Zoneadm).args(args);
        assert!(long_running(&pkg(&["-R", "/z", "image-update", "-v"])));
        assert!(long_running(&pkg(&["set-publisher", "-g", "http://o/", "s"])));
        assert!(long_running(&pkg(&["-R", "/z", "image-create", "-F", "/z"])));
        assert!(long_running(&zfs(&["rollback", "-r", "p/z@s"])));
        assert!(long_running(&zoneadm(&["-z", "z", "attach", "-u"])));
        assert!(!long_running(&zfs(&["snapshot", "-r", "p/z@s"])));
        assert!(!long_running(&pkg(&["-R", "/z", "list", "-H"])));
    }

    #[test]
    fn quiet_clean_up_waits_out_a_brief_lock() {
        let (_d, exec) = exec_with_pkg("if [ ! -e tried ]; then touch tried; exit 7; fi\nexit 0");
        let out =
            run_quietly_waiting_for_lock(&exec.runner, &pkg(&["set-publisher", "s"])).unwrap();
        assert_eq!(out.code, Some(0));
    }
}
