use std::ffi::OsString;
use std::io::{BufRead, BufReader, Read};
use std::os::unix::process::CommandExt;
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use super::{CommandError, CommandKind, CommandOutput, CommandSpec, SystemPaths, Timeouts};

/// Which output stream a line came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stream {
    Stdout,
    Stderr,
}

/// Most a single stream keeps in memory; beyond it lines are still streamed but not stored.
const MAX_CAPTURE: usize = 16 * 1024 * 1024;
/// How long to keep reading after the child exited, in case a grandchild holds the pipes.
const DRAIN_GRACE: Duration = Duration::from_secs(2);
const TICK: Duration = Duration::from_millis(50);

/// Runs [`CommandSpec`]s: argv only, absolute paths, `LC_ALL=C`, stdin from `/dev/null`, each
/// child in its own process group (so a Ctrl-C at the terminal reaches zonerescue, which then
/// decides, instead of killing a `pkg` transaction midway), with a timeout per command kind.
#[derive(Clone, Debug)]
pub struct Runner {
    paths: SystemPaths,
    timeouts: Timeouts,
}

impl Runner {
    pub fn new(paths: SystemPaths, timeouts: Timeouts) -> Self {
        Runner { paths, timeouts }
    }

    pub fn timeouts(&self) -> &Timeouts {
        &self.timeouts
    }

    pub fn paths(&self) -> &SystemPaths {
        &self.paths
    }

    /// The full argv that would be executed, program path first.
    pub fn argv(&self, spec: &CommandSpec) -> Vec<OsString> {
        let mut argv = vec![self.paths.program(spec.program()).into_os_string()];
        argv.extend(spec.get_args().iter().cloned());
        argv
    }

    pub fn run(&self, spec: &CommandSpec) -> Result<CommandOutput, CommandError> {
        self.run_streaming(spec, &mut |_, _| {})
    }

    /// Runs `spec`, calling `on_line` with each output line (without its newline) as soon as
    /// the child prints it. Returns the output whatever the exit code; errors only when the
    /// command could not be started, could not be read, or timed out (it is then killed).
    pub fn run_streaming(
        &self,
        spec: &CommandSpec,
        on_line: &mut dyn FnMut(Stream, &str),
    ) -> Result<CommandOutput, CommandError> {
        self.run_observed(spec, &mut |_| {}, on_line)
    }

    /// [`run_streaming`](Self::run_streaming), also telling `on_spawn` the child's pid as soon
    /// as it runs (so a journal can name a child that may outlive us).
    pub fn run_observed(
        &self,
        spec: &CommandSpec,
        on_spawn: &mut dyn FnMut(u32),
        on_line: &mut dyn FnMut(Stream, &str),
    ) -> Result<CommandOutput, CommandError> {
        let argv = self.argv(spec);
        let argv_text: Vec<String> =
            argv.iter().map(|a| a.to_string_lossy().into_owned()).collect();
        let joined = argv_text.join(" ");
        let timeout = self.timeouts.for_spec(spec);
        let io_err = |source| CommandError::Io { argv: joined.clone(), source };

        let (out_r, out_w) = os_pipe::pipe().map_err(io_err)?;
        let (err_r, err_w) = os_pipe::pipe().map_err(io_err)?;
        let started = Instant::now();
        let handle = {
            // The expression owns the pipe writers; it is dropped at the end of this block so
            // that our copies close and the readers see end-of-file when the child exits.
            // PKG_IMAGE in the operator's shell would make every `pkg` without -R work on
            // that image instead of the global zone's (hostile uu F4).
            let expr = duct::cmd(&argv[0], &argv[1..])
                .env("LC_ALL", "C")
                .env_remove("PKG_IMAGE")
                .stdin_null()
                .stdout_file(out_w)
                .stderr_file(err_w)
                .unchecked()
                .before_spawn(|cmd| {
                    cmd.process_group(0);
                    Ok(())
                });
            expr.start()
        }
        .map_err(|source| CommandError::Spawn { argv: joined.clone(), source })?;
        let leader = handle.pids().first().copied();
        if let Some(pid) = leader {
            on_spawn(pid);
        }

        // Bounded: a child printing faster than its lines are taken waits for them, rather
        // than piling them up in memory (regress mm F8).
        let (tx, rx) = mpsc::sync_channel::<(Stream, Vec<u8>)>(16);
        spawn_reader(out_r, Stream::Stdout, tx.clone());
        spawn_reader(err_r, Stream::Stderr, tx);

        let deadline = started + timeout;
        let mut stdout = String::new();
        let mut stderr = String::new();
        let mut timed_out = false;
        let mut exited_at: Option<Instant> = None;
        loop {
            match rx.recv_timeout(TICK) {
                Ok((stream, bytes)) => {
                    let line = decode_line(&bytes);
                    on_line(stream, &line);
                    let buf = if stream == Stream::Stdout { &mut stdout } else { &mut stderr };
                    if buf.len() < MAX_CAPTURE {
                        buf.push_str(&line);
                        buf.push('\n');
                    }
                    // The limits are checked after every line too: a command that never
                    // stops printing is as stuck as a silent one (hostile ss F1), and a
                    // grandchild left printing to the pipe must not keep the run here.
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
                Err(mpsc::RecvTimeoutError::Timeout) => {}
            }
            let now = Instant::now();
            if exited_at.is_none() && handle.try_wait().map_err(io_err)?.is_some() {
                exited_at = Some(now);
            }
            if let Some(t) = exited_at {
                if now.duration_since(t) > DRAIN_GRACE {
                    break;
                }
            } else if now >= deadline && !timed_out {
                timed_out = true;
                // The whole command, not just its first process: zoneadm's brand script and
                // the pkg it runs are in its process group (the child leads one of its own).
                if let Some(pid) = leader {
                    signal_group(pid, libc::SIGKILL);
                }
                let _ = handle.kill();
            }
        }
        let status = handle.wait().map_err(io_err)?.status;
        if timed_out {
            // What the SIGKILL reached is gone in a moment; wait for it, bounded.
            let until = Instant::now() + GROUP_GRACE;
            while leader.is_some_and(group_alive) && Instant::now() < until {
                thread::sleep(TICK);
            }
            return Err(CommandError::TimedOut {
                argv: joined,
                kind: CommandKind::of(spec),
                timeout,
                stdout,
                stderr,
            });
        }
        Ok(CommandOutput {
            argv: argv_text,
            code: status.code(),
            stdout,
            stderr,
            elapsed: started.elapsed(),
        })
    }
}

/// How long a timed-out command's process group may take to die after its SIGKILL.
const GROUP_GRACE: Duration = Duration::from_secs(10);

/// Sends `sig` to the process group `pgid` leads (never to ours: `pgid` is a child that
/// was made the leader of a group of its own; 0 and 1 are refused).
fn signal_group(pgid: u32, sig: libc::c_int) {
    if let Ok(p) = libc::pid_t::try_from(pgid)
        && p > 1
    {
        // SAFETY: kill(2) on a negative pid signals that process group; no memory involved.
        unsafe { libc::kill(-p, sig) };
    }
}

/// Whether any process of process group `pgid` still exists (a command's child outliving
/// it, such as the brand script of a zoneadm that is gone).
pub fn group_alive(pgid: u32) -> bool {
    probe(pgid, true)
}

/// How long process `pid` has run and its command line, from `ps -o etime= -o args=` (the same
/// on Solaris, illumos and Linux); None when ps cannot tell (gone, no ps).
pub fn process_identity(pid: u32) -> Option<(std::time::Duration, String)> {
    let out = std::process::Command::new("/usr/bin/ps")
        .env("LC_ALL", "C")
        .args(["-o", "etime=", "-o", "args=", "-p", &pid.to_string()])
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text.lines().find(|l| !l.trim().is_empty())?.trim();
    let (etime, args) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
    Some((parse_etime(etime)?, args.trim().to_string()))
}

/// ps's elapsed time, `[[DD-]HH:]MM:SS`.
fn parse_etime(s: &str) -> Option<std::time::Duration> {
    let (days, rest) = match s.split_once('-') {
        Some((d, r)) => (d.parse::<u64>().ok()?, r),
        None => (0, s),
    };
    let parts: Vec<u64> = rest.split(':').map(|p| p.parse().ok()).collect::<Option<_>>()?;
    let secs = match parts.as_slice() {
        [m, s] => m * 60 + s,
        [h, m, s] => h * 3600 + m * 60 + s,
        _ => return None,
    };
    Some(std::time::Duration::from_secs(days * 86400 + secs))
}

/// Whether process `pid` exists (0 and 1 are never a child of ours: false).
pub fn pid_alive(pid: u32) -> bool {
    probe(pid, false)
}

fn probe(id: u32, group: bool) -> bool {
    let Ok(p) = libc::pid_t::try_from(id) else { return false };
    if p <= 1 {
        return false;
    }
    // SAFETY: signal 0 sends nothing; it only checks that the process (or group) exists.
    let r = unsafe { libc::kill(if group { -p } else { p }, 0) };
    r == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

fn spawn_reader(
    pipe: os_pipe::PipeReader,
    stream: Stream,
    tx: mpsc::SyncSender<(Stream, Vec<u8>)>,
) {
    thread::spawn(move || {
        let mut reader = BufReader::new(pipe);
        loop {
            let mut line = Vec::new();
            // Bound a single line so a child printing megabytes without a newline cannot
            // exhaust memory; the remainder arrives as further "lines".
            match (&mut reader).take(1 << 20).read_until(b'\n', &mut line) {
                Ok(0) | Err(_) => break,
                Ok(_) => {
                    if tx.send((stream, line)).is_err() {
                        break;
                    }
                }
            }
        }
    });
}

/// Bytes of one line to text: newline and carriage return removed, invalid UTF-8 replaced.
fn decode_line(bytes: &[u8]) -> String {
    let mut end = bytes.len();
    while end > 0 && (bytes[end - 1] == b'\n' || bytes[end - 1] == b'\r') {
        end -= 1;
    }
    String::from_utf8_lossy(&bytes[..end]).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ps_elapsed_times_parse() {
        let d = |s| parse_etime(s).map(|d| d.as_secs());
        assert_eq!(d("00:07"), Some(7));
        assert_eq!(d("12:34"), Some(754));
        assert_eq!(d("01:00:01"), Some(3601));
        assert_eq!(d("2-03:04:05"), Some(2 * 86400 + 3 * 3600 + 4 * 60 + 5));
        assert_eq!(d("x"), None);
    }
    use crate::system::{Program, TimeoutSetting};
    use std::fs;

    /// A command directory whose `zfs` is a tiny script (tests only: the product never runs
    /// a shell itself, but a fake executable may be one).
    fn fake(script: &str) -> (tempfile::TempDir, Runner) {
        let dir = tempfile::tempdir().unwrap();
        let bin = dir.path().join("bin");
        fs::create_dir(&bin).unwrap();
        let path = bin.join("zfs");
        crate::system::test_script::write(&path, script);
        let paths = SystemPaths::new(Some(bin), dir.path().to_path_buf()).unwrap();
        (dir, Runner::new(paths, Timeouts::uniform(Duration::from_secs(20))))
    }

    #[test]
    fn captures_both_streams_exit_code_and_locale() {
        let (_d, r) = fake("echo out $LC_ALL; echo err >&2; echo \"$@\"; exit 3");
        let out = r.run(&CommandSpec::new(Program::Zfs).args(["list", "a b"])).unwrap();
        assert_eq!(out.code, Some(3));
        assert_eq!(out.stdout, "out C\nlist a b\n");
        assert_eq!(out.stderr, "err\n");
        assert!(out.argv[0].ends_with("/bin/zfs"));
        assert!(out.clone().check().is_err());
        assert!(out.check_codes(&[3]).is_ok());
    }

    #[test]
    fn arguments_are_not_interpreted_by_a_shell() {
        let (_d, r) = fake("printf '%s|' \"$@\"");
        let out = r.run(&CommandSpec::new(Program::Zfs).args(["$(id)", "a;b", "*"])).unwrap();
        assert_eq!(out.stdout, "$(id)|a;b|*|\n");
    }

    #[test]
    fn streams_lines_while_running() {
        let (_d, r) = fake("echo one; echo two >&2; echo three");
        let mut seen = Vec::new();
        r.run_streaming(&CommandSpec::new(Program::Zfs), &mut |s, l| seen.push((s, l.to_string())))
            .unwrap();
        assert!(seen.contains(&(Stream::Stdout, "one".to_string())));
        assert!(seen.contains(&(Stream::Stderr, "two".to_string())));
        assert_eq!(seen.len(), 3);
    }

    #[test]
    fn large_output_on_both_streams_does_not_deadlock() {
        let (_d, r) =
            fake("i=0; while [ $i -lt 20000 ]; do echo line$i; echo err$i >&2; i=$((i+1)); done");
        let out = r.run(&CommandSpec::new(Program::Zfs)).unwrap();
        assert_eq!(out.stdout.lines().count(), 20000);
        assert_eq!(out.stderr.lines().count(), 20000);
    }

    #[test]
    fn timeout_kills_and_reports() {
        let (_d, r) = fake("echo started; exec sleep 30");
        let spec = CommandSpec::new(Program::Zfs).timeout(Duration::from_millis(300));
        let t = Instant::now();
        match r.run(&spec) {
            Err(CommandError::TimedOut { stdout, .. }) => assert_eq!(stdout, "started\n"),
            other => panic!("expected timeout, got {other:?}"),
        }
        assert!(t.elapsed() < Duration::from_secs(10));
    }

    /// Hostile ss F1: a command that prints a line every few milliseconds was never stopped
    /// (the limit was checked only after 50 ms without output); nor was a run whose command
    /// had exited while a grandchild outside its group kept printing to the pipe.
    #[test]
    fn timeout_stops_a_command_that_never_stops_printing() {
        let (_d, r) = fake("while :; do echo Retrying; sleep 0.01; done");
        let spec = CommandSpec::new(Program::Zfs).timeout(Duration::from_millis(500));
        let t = Instant::now();
        assert!(matches!(r.run(&spec), Err(CommandError::TimedOut { .. })));
        assert!(t.elapsed() < Duration::from_secs(10), "{:?}", t.elapsed());
        // The command exits at once; what it left behind (its own session) prints on.
        let (_d, r) = fake(
            "setsid sh -c 'i=0; while [ $i -lt 3000 ]; do echo x; sleep 0.01; i=$((i+1)); done' & echo done",
        );
        let t = Instant::now();
        let out = r.run(&CommandSpec::new(Program::Zfs).timeout(Duration::from_secs(60))).unwrap();
        assert!(
            out.stdout.starts_with("done\n") || out.stdout.contains("done\n"),
            "{}",
            out.stdout
        );
        assert!(t.elapsed() < Duration::from_secs(10), "{:?}", t.elapsed());
    }

    /// Round m F1: a command past its limit is stopped whole. Before, only its first process
    /// was killed: a child it started (zoneadm's brand script and pkg) ran on.
    #[test]
    fn timeout_kills_the_whole_process_group() {
        let d = tempfile::tempdir().unwrap();
        let mark = d.path().join("child.pid");
        let (_d, r) = fake(&format!("sleep 30 & echo $! > '{}'; wait", mark.display()));
        let spec = CommandSpec::new(Program::Zfs).timeout(Duration::from_millis(500));
        assert!(matches!(r.run(&spec), Err(CommandError::TimedOut { .. })));
        let child: u32 = fs::read_to_string(&mark).unwrap().trim().parse().unwrap();
        // SAFETY: signal 0 only checks that the pid exists.
        let alive = unsafe { libc::kill(child as libc::pid_t, 0) } == 0;
        assert!(!alive, "the command's child {child} still runs");
    }

    #[test]
    fn each_kind_has_its_own_limit() {
        // `zfs list` (a query) hangs past the query limit; `zfs snapshot` may take longer.
        let (d, _) = fake("echo started; [ \"$1\" = list ] && exec sleep 30; sleep 1; echo done");
        let paths = SystemPaths::new(Some(d.path().join("bin")), d.path().to_path_buf()).unwrap();
        let settings: Vec<TimeoutSetting> =
            ["query=1", "zfs=20"].iter().map(|s| s.parse().unwrap()).collect();
        let r = Runner::new(paths, Timeouts::from_settings(&settings));
        let t = Instant::now();
        let e = r.run(&CommandSpec::new(Program::Zfs).arg("list")).unwrap_err();
        assert!(matches!(e, CommandError::TimedOut { kind: CommandKind::Query, .. }), "{e:?}");
        assert!(e.to_string().contains("--timeout query=SECONDS"), "{e}");
        assert!(t.elapsed() < Duration::from_secs(10));
        let out = r.run(&CommandSpec::new(Program::Zfs).args(["snapshot", "a@b"])).unwrap();
        assert_eq!(out.stdout, "started\ndone\n");
    }

    #[test]
    fn missing_program_is_a_spawn_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let paths = SystemPaths::new(Some(dir.path().to_path_buf()), "/".into()).unwrap();
        let r = Runner::new(paths, Timeouts::default());
        let e = r.run(&CommandSpec::new(Program::Beadm).arg("list")).unwrap_err();
        assert!(matches!(e, CommandError::Spawn { .. }));
        assert!(e.to_string().contains("beadm list"), "{e}");
    }

    #[test]
    fn invalid_utf8_and_crlf_are_tolerated() {
        let (_d, r) = fake("printf 'a\\377b\\r\\n'");
        let out = r.run(&CommandSpec::new(Program::Zfs)).unwrap();
        assert_eq!(out.stdout, "a\u{fffd}b\n");
    }
}
