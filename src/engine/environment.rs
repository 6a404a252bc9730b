//! Failures whose cause lies outside the zone's package image and outside what a strategy
//! chose: pkg crashing (exit 99, a traceback), an I/O error, a command running out its time
//! limit, a full pool (or another dataset/ZBE cause the analyzer knows), and a repository
//! that answered earlier in the run and now does not. None of them says anything about
//! whether the strategy was right, so the engine never climbs to another rung on one: it
//! retries what may pass, then stops the run for `zonerescue resume`.
//!
//! One classification for every command ([`of_output`], [`of_error`]; [`super::exec::Exec`]
//! records what the commands of a rung hit) and for the attach's diagnosis ([`of_diagnosis`]):
//! the texts are the analyzer's rules (`out-of-space`, the dataset and ZBE rules,
//! `publisher-unreachable`); only pkg's exit status 99 and the Python traceback and I/O
//! error texts, which no rule names, are read here.

use crate::analysis::RuleSet;
use crate::system::{CommandError, CommandOutput, CommandSpec, Program};

use super::diagnosis::Diagnosis;

/// How many times a failure that may pass is retried (after the pkg lock's waits: 5 s, then
/// 10 s) before the run stops on it.
pub const RETRIES: u32 = 2;

/// pkg(1) exit status 99: "an unexpected exception occurred" (a traceback).
const PKG_EXIT_CRASHED: i32 = 99;

/// Analysis key of pkg crashing (a traceback) in an attach's log.
pub(crate) const PKG_CRASHED: &str = "pkg-crashed";

/// Analysis key of an attach stopped by a signal before it finished (not sent by this run:
/// its children run in their own process group, and an interrupted run lets them finish).
pub const INTERRUPTED: &str = "interrupted";

/// Analysis key of a failed download of the packages' files from a repository whose catalog
/// pkg had just fetched in the same operation.
const DOWNLOAD: &str = "repository-transfer-failed";

/// Analysis key of a publisher's catalog whose parts do not fit together.
const CATALOG: &str = "catalog-inconsistent";

/// Analysis key of pkg's own I/O error line (`[Errno 5] I/O error`).
const IO_ERROR: &str = "io-error";

/// Analysis keys of a transport failure: pkg could not reach a repository.
const TRANSPORT: [&str; 3] =
    ["publisher-unreachable", "publisher-unreachable-gz", "publisher-unreachable-zone"];

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cause {
    /// pkg stopped on an unexpected exception (exit 99, a Python traceback).
    Crashed,
    /// An I/O error (EIO) from the system.
    Io,
    /// The command ran out its time limit and was stopped.
    TimedOut,
    /// A signal from outside the run (a kill, the OOM killer, a closed session) stopped it
    /// before it finished: it says nothing about the image.
    Interrupted,
    /// A cause the analyzer puts outside the image (its key: `out-of-space`, a ZBE problem).
    Outside(String),
    /// pkg could not reach these repositories. Environmental only when they answered earlier
    /// in this run (the caller judges: [`super::facts::Facts::answered`]); a repository that
    /// never answered is what the publisher rungs are for.
    Transport { publishers: Vec<String>, origins: Vec<String> },
    /// pkg fetched the catalogs, then downloading the packages' files failed (a server error,
    /// a timeout, a proxy): the repository answered in that very operation, and no rung can
    /// change where the packages come from.
    Download,
    /// A publisher's catalog did not fit together (a stale mirror or proxy, a damaged copy):
    /// the next refresh may get a consistent one; no rung changes what the catalog is.
    Catalog,
}

/// One command's failure outside the image.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    pub cause: Cause,
    /// The command, as an administrator would type it.
    pub command: String,
    /// What it said (its last meaningful line).
    pub said: String,
    /// What the analysis says to run about a cause outside the image (its rule's `next`:
    /// `fuser -cu ZONEROOT` for a busy zone root), `<zone>` where the text did not name it.
    pub next: Vec<String>,
}

impl Failure {
    /// May pass by itself: worth the same command again after a short wait. Not a full pool
    /// or a ZBE problem (waiting frees nothing) nor a command that ran out its time limit (it
    /// would take as long again).
    pub fn may_pass(&self) -> bool {
        matches!(
            self.cause,
            Cause::Crashed
                | Cause::Io
                | Cause::Interrupted
                | Cause::Transport { .. }
                | Cause::Download
                | Cause::Catalog
        )
    }

    /// When to go on, as in "… : zonerescue resume ZONE".
    pub fn until(&self) -> String {
        match &self.cause {
            Cause::Crashed => "once pkg runs without crashing (see its message)".into(),
            Cause::Io => "once the I/O error is fixed".into(),
            Cause::TimedOut => "with a longer time limit (--timeout KIND=SECONDS)".into(),
            Cause::Interrupted => {
                "once nothing stops it any more (see who or what sent the signal)".into()
            }
            // Said in the rule's words, its key kept for the analysis output.
            Cause::Outside(k) => match RuleSet::builtin().ok().and_then(|r| {
                r.rule(k).map(|r| {
                    let mut t = r.title.clone();
                    if let Some(c) = t.get(..1) {
                        t.replace_range(..1, &c.to_lowercase());
                    }
                    t
                })
            }) {
                Some(what) => format!("once that is fixed ({what}: {k})"),
                None => format!("once {k} is fixed"),
            },
            Cause::Transport { .. } => "once the repository answers again".into(),
            Cause::Download => {
                "once downloads from the repository work again (its server, or the proxy the \
                 global zone uses)"
                    .into()
            }
            Cause::Catalog => "once `pkg refresh --full` (in the global zone, and with -R for the \
                               zone image) gets a consistent catalog"
                .into(),
        }
    }

    /// One sentence: what failed and why that is outside the image.
    pub fn describe(&self) -> String {
        let (c, said) = (&self.command, &self.said);
        match &self.cause {
            // The runner's message names the command, its limit and how to raise it.
            Cause::TimedOut => said.clone(),
            Cause::Crashed => {
                format!("`{c}` crashed (an unexpected error in pkg, not a solver answer): {said}")
            }
            Cause::Io => format!("`{c}` failed on an I/O error: {said}"),
            Cause::Interrupted => format!(
                "`{c}` was stopped by a signal before it finished (not an answer about the \
                 image): {said}"
            ),
            Cause::Outside(k) => {
                format!("`{c}` failed on a cause outside the zone's package image ({k}): {said}")
            }
            Cause::Transport { .. } => format!(
                "`{c}` could not reach a repository that answered earlier in this run: {said}"
            ),
            Cause::Download => format!(
                "`{c}` could not download the packages' files from a repository whose catalog \
                 it had just fetched (not an answer about the image): {said}"
            ),
            Cause::Catalog => format!(
                "`{c}` got a publisher's catalog whose parts do not fit together (a stale \
                 mirror or proxy, a damaged copy; not an answer about the image): {said}"
            ),
        }
    }
}

/// The failure outside the image of a command that ran and failed, if that is its cause.
pub fn of_output(spec: &CommandSpec, out: &CommandOutput) -> Option<Failure> {
    if out.success() {
        return None;
    }
    if out.code.is_none() {
        return Some(killed(spec));
    }
    let text = format!("{}\n{}", out.stdout, out.stderr);
    let crashed = spec.program() == Program::Pkg && out.code == Some(PKG_EXIT_CRASHED);
    let (cause, next) = of_text(&text, crashed)?;
    Some(Failure { said: said(&cause, &text), cause, command: spec.display(), next })
}

/// A command a signal stopped before it finished (the OOM killer, a `kill -9`; the run's own
/// interrupt is told apart by its caller): it printed no answer about the image, whatever it
/// printed before (hostile uu F3: a killed uninstall read as "did not solve", and auto went
/// on to image-create).
fn killed(spec: &CommandSpec) -> Failure {
    Failure {
        cause: Cause::Interrupted,
        command: spec.display(),
        said: "terminated by a signal".into(),
        next: Vec::new(),
    }
}

/// The failure outside the image of a command that could not finish.
pub fn of_error(spec: &CommandSpec, e: &CommandError) -> Option<Failure> {
    match e {
        CommandError::TimedOut { .. } => Some(Failure {
            cause: Cause::TimedOut,
            command: spec.display(),
            // The first line, without the colon that announces the output's tail below it.
            said: e
                .to_string()
                .lines()
                .next()
                .unwrap_or_default()
                .trim_end_matches(':')
                .to_string(),
            next: Vec::new(),
        }),
        CommandError::Failed { code: None, .. } => Some(killed(spec)),
        CommandError::Failed { stdout, stderr, code, .. } => {
            let text = format!("{stdout}\n{stderr}");
            let crashed = spec.program() == Program::Pkg && *code == Some(PKG_EXIT_CRASHED);
            let (cause, next) = of_text(&text, crashed)?;
            Some(Failure { said: said(&cause, &text), cause, command: spec.display(), next })
        }
        _ => None,
    }
}

/// An attach's failure outside the image, from its diagnosis: a cause the analyzer puts
/// there, pkg crashing in it (`pkg-crashed`), or a repository named unreachable (judged by the
/// caller).
pub fn of_diagnosis(d: &Diagnosis, command: &str) -> Option<Failure> {
    let said = d.reasons.first().cloned().unwrap_or_default();
    let cause = if d.keys.iter().any(|k| k == IO_ERROR)
        && d.keys.iter().all(|k| k == IO_ERROR || !Diagnosis::is_outside(k))
    {
        // pkg's own "[Errno 5] I/O error" line: may pass, as the same error in a traceback.
        Cause::Io
    } else if let Some(k) = d.outside_the_image() {
        Cause::Outside(k.to_string())
    } else if d.keys.iter().any(|k| k == PKG_CRASHED) {
        Cause::Crashed
    } else if d.keys.iter().any(|k| k == INTERRUPTED) {
        Cause::Interrupted
    } else if d.keys.iter().any(|k| k == DOWNLOAD) && d.only_because_of(&[DOWNLOAD]) {
        Cause::Download
    } else if d.keys.iter().any(|k| k == CATALOG) && d.only_because_of(&[CATALOG]) {
        Cause::Catalog
    } else if d.keys.iter().any(|k| TRANSPORT.contains(&k.as_str()))
        // Not when another inhibiting cause stands beside it (a certificate, an incomplete
        // repository, a solver answer): then the failure is not only the connection.
        && d.only_because_of(&TRANSPORT)
    {
        Cause::Transport { publishers: d.publishers.clone(), origins: d.origins.clone() }
    } else {
        return None;
    };
    let next = if matches!(cause, Cause::Outside(_)) { d.outside_next.clone() } else { Vec::new() };
    Some(Failure { cause, command: command.into(), said, next })
}

/// `text` read with the analyzer's rules (its out-of-space, ZBE, transport and `pkg-crashed`
/// texts are the one definition of those causes).
fn diagnose(text: &str) -> Option<Diagnosis> {
    let rules = RuleSet::builtin().ok()?;
    let report =
        crate::analysis::analyze_reader(&rules, Default::default(), text.as_bytes()).ok()?;
    Some(Diagnosis::from_report(&report))
}

/// pkg crashed somewhere in `text` (a traceback the analyzer's `pkg-crashed` rule knows).
pub(crate) fn crashed_in(text: &str) -> bool {
    diagnose(text).is_some_and(|d| d.keys.iter().any(|k| k == PKG_CRASHED))
}

/// The cause outside the image in `text`, and what the analysis says to run about it.
fn of_text(text: &str, crashed: bool) -> Option<(Cause, Vec<String>)> {
    let d = diagnose(text);
    if crashed || d.as_ref().is_some_and(|d| d.keys.iter().any(|k| k == PKG_CRASHED)) {
        return Some((Cause::Crashed, Vec::new()));
    }
    if text.contains("[Errno 5]")
        || text.contains("I/O error")
        || text.contains("Input/output error")
    {
        return Some((Cause::Io, Vec::new()));
    }
    let f = of_diagnosis(&d?, "")?;
    match f.cause {
        Cause::Outside(_) | Cause::Transport { .. } | Cause::Download | Cause::Catalog => {
            Some((f.cause, f.next))
        }
        _ => None,
    }
}

/// What a failed command said: for a crash the exception pkg's traceback ends with (its
/// last line is the "please log a Service Request … message." banner), else its last line.
fn said(cause: &Cause, text: &str) -> String {
    match cause {
        Cause::Crashed => exception_line(text).unwrap_or_else(|| last_line(text)),
        _ => last_line(text),
    }
}

/// The exception of the last Python traceback in `text`: the first unindented line after
/// `Traceback (most recent call last):` and its indented frames.
fn exception_line(text: &str) -> Option<String> {
    let (_, after) = text.rsplit_once("Traceback (most recent call last):")?;
    after
        .lines()
        .skip(1)
        .find(|l| !l.trim().is_empty() && !l.starts_with(char::is_whitespace))
        .map(|l| l.trim().to_string())
}

fn last_line(text: &str) -> String {
    text.lines().map(str::trim).rfind(|l| !l.is_empty()).unwrap_or_default().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn out(program: Program, code: i32, stderr: &str) -> (CommandSpec, CommandOutput) {
        let spec = CommandSpec::new(program).args(["-R", "/z/root", "install", "entire@1"]);
        let out = CommandOutput {
            argv: vec![],
            code: Some(code),
            stdout: String::new(),
            stderr: stderr.into(),
            elapsed: Duration::ZERO,
        };
        (spec, out)
    }

    #[test]
    fn a_crash_is_quoted_by_its_exception_not_by_the_banner_after_it() {
        let banner = "Traceback (most recent call last):\n  File \"/usr/bin/pkg\", line 5000, in \
                      handle_errors\n    __ret = func(*args, **kwargs)\nMemoryError: cannot \
                      allocate\n\npkg: This is an internal error in pkg(7) version 5c2f8a7.  \
                      Please log a\nService Request about this issue including the information \
                      above and this\nmessage.\n";
        let (s, o) = out(Program::Pkg, 99, banner);
        let f = of_output(&s, &o).unwrap();
        assert_eq!(f.said, "MemoryError: cannot allocate");
        assert!(f.describe().ends_with("crashed (an unexpected error in pkg, not a solver answer): MemoryError: cannot allocate"), "{}", f.describe());
        // Without a traceback to read, its last line.
        let (s, o) = out(Program::Pkg, 99, "pkg: something odd\n");
        assert_eq!(of_output(&s, &o).unwrap().said, "pkg: something odd");
    }

    #[test]
    fn crashes_io_errors_full_pools_and_transport_are_outside_the_image() {
        let (s, o) = out(Program::Pkg, 99, "Traceback (most recent call last):\nOSError: boom");
        assert_eq!(of_output(&s, &o).unwrap().cause, Cause::Crashed);
        let (s, o) = out(Program::Pkg, 1, "pkg: [Errno 5] Input/output error: '/z'");
        assert_eq!(of_output(&s, &o).unwrap().cause, Cause::Io);
        let (s, o) = out(Program::Pkg, 1, "pkg: [Errno 28] No space left on device: '/z'");
        let f = of_output(&s, &o).unwrap();
        assert_eq!(f.cause, Cause::Outside("out-of-space".into()));
        assert!(!f.may_pass());
        let (s, o) =
            out(Program::Zfs, 1, "cannot create snapshot 'rpool/zones/z/ROOT/zbe@x': out of space");
        assert_eq!(of_output(&s, &o).unwrap().cause, Cause::Outside("out-of-space".into()));
        let (s, o) = out(
            Program::Pkg,
            1,
            "pkg: 0/1 catalogs successfully updated:\n\n1/1 repositories for publisher 'o' could \
             not be reached for catalog refresh.\n\nFramework error: code: E_COULDNT_CONNECT (7) \
             reason: Failed to connect\nURL: 'http://h/r/catalog/1/catalog.attrs'",
        );
        let f = of_output(&s, &o).unwrap();
        assert_eq!(
            f.cause,
            Cause::Transport { publishers: vec!["o".into()], origins: vec!["http://h/r/".into()] }
        );
        assert!(f.may_pass());
    }

    #[test]
    fn a_solver_answer_is_no_environmental_failure() {
        for text in [
            "pkg install: No matching version of entire can be installed:\n  Reject:  x\n  \
             Reason:  y",
            "No solution was found to satisfy constraints",
            "pkg: an unexpected error",
        ] {
            let (s, o) = out(Program::Pkg, 1, text);
            assert_eq!(of_output(&s, &o), None, "{text}");
        }
        let (s, o) = out(Program::Pkg, 4, "No updates necessary for this image.");
        assert_eq!(of_output(&s, &o), None);
    }
}
