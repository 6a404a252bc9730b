//! Where events go: JSON Lines on stdout (`--json`), or plain words on stderr for a person
//! (the final summary on stdout). Shared between the engine and the log-follower thread.
//! The human transcript is kept in both modes, so `--report FILE` holds it even with `--json`.

use std::io::Write;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::events::{Event, StepOutcome, to_json_line};
use crate::ui::progress::SpinnerDraw;
use crate::ui::{Palette, Spinner};

pub struct Reporter {
    json: bool,
    palette: Palette,
    /// Also show every read-only command (human mode shows only changes by default).
    verbose: bool,
    lock: Mutex<()>,
    /// Everything a human report needs, kept for `--report FILE`.
    transcript: Mutex<Vec<String>>,
    /// The spinner of the long command running now (terminal only, never with `--json`).
    spinner: Mutex<Option<Spinner>>,
    spinner_draw: SpinnerDraw,
    /// When each step started, for its duration in the human report.
    step_started: Mutex<Vec<(u32, Instant)>>,
}

impl Reporter {
    pub fn new(json: bool, palette: Palette) -> Reporter {
        Reporter {
            json,
            palette,
            verbose: false,
            lock: Mutex::new(()),
            transcript: Mutex::new(Vec::new()),
            spinner: Mutex::new(None),
            spinner_draw: if json { SpinnerDraw::Never } else { SpinnerDraw::Terminal },
            step_started: Mutex::new(Vec::new()),
        }
    }

    /// Spinners kept with their text but drawn nowhere (tests read them).
    #[cfg(test)]
    pub(crate) fn with_hidden_spinners(mut self) -> Reporter {
        self.spinner_draw = SpinnerDraw::Hidden;
        self
    }

    /// Shows a spinner naming `command` until the returned guard is dropped; the command's
    /// output ([`progress_line`](Self::progress_line)) and attach-log lines appear beneath it.
    pub fn progress(&self, command: &str) -> Progress<'_> {
        let spinner = Spinner::start(self.spinner_draw, command, self.palette);
        if let Ok(mut g) = self.spinner.lock()
            && let Some(old) = g.replace(spinner)
        {
            old.finish();
        }
        Progress { reporter: self }
    }

    /// The running command's newest output line, shown beneath its spinner (blank lines are
    /// not news).
    pub fn progress_line(&self, line: &str) {
        if line.trim().is_empty() {
            return;
        }
        if let Ok(g) = self.spinner.lock()
            && let Some(s) = g.as_ref()
        {
            s.set_line(line);
        }
    }

    /// What the spinner shows now: (command, newest line).
    #[cfg(test)]
    pub(crate) fn progress_text(&self) -> Option<(String, String)> {
        self.spinner.lock().ok()?.as_ref()?.text()
    }

    /// Runs `f` (a question, printed text) with the spinner, if one is drawing, hidden.
    pub fn suspended<R>(&self, f: impl FnOnce() -> R) -> R {
        let held = self.spinner.lock().ok().filter(|g| g.is_some());
        match held.as_ref().and_then(|g| g.as_ref()) {
            Some(s) => s.suspend(f),
            None => {
                // Not held while `f` runs: a question may take the operator minutes.
                drop(held);
                f()
            }
        }
    }

    pub fn emit(&self, event: &Event) {
        let _g = self.lock.lock();
        let text = self.human(event);
        // The screen's version first: it is shorter by what the transcript shows already.
        let on_screen = self.on_screen(event).or_else(|| text.clone());
        if let Some(text) = &text
            && let Ok(mut t) = self.transcript.lock()
        {
            t.push(strip_ansi(text));
        }
        if self.json {
            // A closed stdout (consumer went away) must not stop a recovery midway. Flushed
            // line by line, so a consumer sees the events live.
            let _ = crate::outln!("{}", to_json_line(event));
            return;
        }
        if let Event::LogLine { line, .. } = event {
            self.progress_line(line);
        }
        if let Some(text) = on_screen {
            self.print(&text, matches!(event, Event::Summary(_)));
        }
    }

    /// `event` for the screen where it differs from the transcript (`--report`, which keeps
    /// everything): a rung's `why:` names by key the diagnosis the screen has just shown in
    /// full (a finding, the last attach's end), instead of repeating it.
    fn on_screen(&self, event: &Event) -> Option<String> {
        let Event::StepStart { step, name, reason, commands, evidence } = event else {
            return None;
        };
        let shown = self.transcript.lock().ok()?;
        let seen = |e: &String| shown.iter().any(|line| line.contains(e.as_str()));
        if evidence.is_empty() || !evidence.iter().all(seen) {
            return None;
        }
        let keys: Vec<&str> = evidence.iter().map(|e| key_of(e)).collect::<Option<_>>()?;
        let why = reason.replacen(
            &evidence.join("; "),
            &format!("as shown above ({})", keys.join(", ")),
            1,
        );
        Some(self.step_start(*step, name, &why, commands))
    }

    /// The lines that open step `step`.
    fn step_start(&self, step: u32, name: &str, why: &str, commands: &[String]) -> String {
        let mut s = self.palette.bold(&format!("==> step {step}: {name}"));
        if !why.is_empty() {
            s.push_str(&format!("\n    why: {why}"));
        }
        for c in commands {
            s.push_str(&format!("\n    plan: {c}"));
        }
        s
    }

    /// Starts the clock of step `step` again (after a prompt was answered).
    pub fn restart_step_clock(&self, step: u32) {
        self.step_clock(step, false);
    }

    /// Notes when step `step` started; returns how long it took when it ends.
    fn step_clock(&self, step: u32, ends: bool) -> Option<Duration> {
        let mut g = self.step_started.lock().ok()?;
        if !ends {
            g.retain(|(n, _)| *n != step);
            g.push((step, Instant::now()));
            return None;
        }
        g.iter().find(|(n, _)| *n == step).map(|(_, t)| t.elapsed())
    }

    /// Prints `text` around the spinner: the summary on stdout, everything else on stderr.
    fn print(&self, text: &str, to_stdout: bool) {
        let print = || {
            // A closed stdout must not stop a recovery midway (nor fail it after the fact).
            if to_stdout {
                let _ = crate::outln!("{text}");
            } else {
                let _ = writeln!(std::io::stderr(), "{}", crate::ui::color::terminal_safe(text));
            }
        };
        self.suspended(print)
    }

    /// A line for the operator only (not an event: the JSON stream already has the command
    /// events it explains), on stderr with --json too (a wait for another run, or for a pkg a
    /// killed run left, must not look like a hang); kept in the transcript for --report.
    pub fn note(&self, text: &str) {
        let _g = self.lock.lock();
        if let Ok(mut t) = self.transcript.lock() {
            t.push(strip_ansi(text));
        }
        self.print(text, false);
    }

    /// The human-readable transcript so far (no colour codes).
    pub fn transcript(&self) -> String {
        self.transcript.lock().map(|t| t.join("\n") + "\n").unwrap_or_default()
    }

    fn human(&self, event: &Event) -> Option<String> {
        // The summary goes to stdout, which may be piped while stderr is a terminal.
        let p = &match event {
            Event::Summary(_) => self.palette.stdout(),
            _ => self.palette,
        };
        match event {
            Event::RunStart { zone, strategy, dry_run, run_id, .. } => Some(p.bold(&format!(
                "zonerescue: zone {zone}, strategy {strategy}{} (run {run_id})",
                if *dry_run { ", dry run: nothing will be changed" } else { "" }
            ))),
            Event::Finding(f) => {
                let sev = match f.severity {
                    super::findings::Severity::High => p.red(f.severity.as_str()),
                    super::findings::Severity::Medium => p.yellow(f.severity.as_str()),
                    _ => p.dim(f.severity.as_str()),
                };
                let mut s = format!(
                    "  [{sev}{}] {} ({})",
                    if f.inhibitor { ", inhibitor" } else { "" },
                    f.title,
                    f.key
                );
                if !f.detail.is_empty() {
                    s.push_str(&format!("\n      {}", f.detail.replace('\n', "\n      ")));
                }
                if let Some(r) = &f.remediation {
                    s.push_str(&format!("\n      what to do: {r}"));
                }
                Some(s)
            }
            Event::StepStart { step, name, reason, commands, .. } => {
                self.step_clock(*step, false);
                Some(self.step_start(*step, name, reason, commands))
            }
            Event::Command { command, exit, skipped, .. } => {
                if *skipped {
                    Some(format!("    would run: {command}"))
                } else if self.verbose || *exit != Some(0) {
                    Some(p.dim(&format!(
                        "    $ {command}  (exit {})",
                        exit.map_or("signal".into(), |c| c.to_string())
                    )))
                } else {
                    None
                }
            }
            Event::LogLine { .. } | Event::CommandStart { .. } => None,
            Event::Snapshot { name, action, .. } => Some(format!(
                "    snapshot {}: {name}",
                match action {
                    super::events::SnapshotAction::Created => "created",
                    super::events::SnapshotAction::RolledBack => "rolled back to",
                }
            )),
            Event::StepEnd { step, name, outcome, detail } => {
                let word = match outcome {
                    StepOutcome::Done => p.green("done"),
                    StepOutcome::RolledBack => p.yellow("did not solve; rolled back"),
                    StepOutcome::AttachFailed => p.yellow("applied; attach still fails"),
                    StepOutcome::Skipped => p.dim("skipped"),
                    StepOutcome::Failed => p.red("failed"),
                };
                let mut s = format!("<== {name}: {word}");
                // "skipped — skipped by the operator" says it twice.
                let said = match outcome {
                    StepOutcome::Skipped => detail.strip_prefix("skipped ").unwrap_or(detail),
                    _ => detail,
                };
                if said.len() < detail.len() {
                    s.push_str(&format!(" {said}"));
                } else if !detail.is_empty() {
                    s.push_str(&format!(" — {detail}"));
                }
                // A step not run took no time of its own (only the operator's to answer).
                if let Some(d) = self.step_clock(*step, true)
                    && *outcome != StepOutcome::Skipped
                {
                    s.push_str(&format!(" ({:.1} s)", d.as_secs_f64()));
                }
                Some(s)
            }
            Event::Summary(sum) => {
                let applied: Vec<&str> =
                    sum.strategies_applied.iter().map(|s| s.as_str()).collect();
                let mut s =
                    p.bold(&format!("\nResult for zone {}: {}", sum.zone, sum.result.as_str()));
                s.push_str(&format!("\n  {}", sum.message));
                s.push_str(&format!(
                    "\n  strategies applied: {}; attach attempts: {}",
                    if applied.is_empty() { "none".to_string() } else { applied.join(", ") },
                    sum.attempts
                ));
                if !sum.strategies_skipped.is_empty() {
                    let skipped: Vec<&str> =
                        sum.strategies_skipped.iter().map(|s| s.as_str()).collect();
                    s.push_str(&format!("\n  skipped by the operator: {}", skipped.join(", ")));
                }
                if !sum.packages_removed.is_empty() {
                    s.push_str(&format!(
                        "\n  no longer installed in the zone: {}",
                        sum.packages_removed.join(", ")
                    ));
                }
                if let Some(st) = &sum.zone_state {
                    s.push_str(&format!("\n  zone state now: {st}"));
                }
                if let Some(intact) = sum.gz_publishers_intact {
                    let state = gz_publishers_state(intact, &sum.gz_publishers_changed_by_others);
                    s.push_str(&format!("\n  global-zone publishers: {state}"));
                }
                for snap in &sum.snapshots {
                    s.push_str(&format!("\n  snapshot kept: {snap}"));
                }
                for n in &sum.next_steps {
                    s.push_str(&format!("\n  next: {n}"));
                }
                Some(s)
            }
        }
    }
}

/// The summary's word on the global zone's publishers, which this run changed.
fn gz_publishers_state(intact: bool, changed_by_others: &[String]) -> String {
    match (intact, changed_by_others.is_empty()) {
        (false, _) => "DIFFERENT from the start (see above)".into(),
        (true, true) => "as they were".into(),
        // "As they were" holds only for what the run itself changed.
        (true, false) => format!(
            "restored, but for {}: changed by someone else during the run, left as set",
            changed_by_others.join(", ")
        ),
    }
}

/// A running command's spinner ([`Reporter::progress`]); dropping it clears the spinner.
pub struct Progress<'a> {
    reporter: &'a Reporter,
}

impl Drop for Progress<'_> {
    fn drop(&mut self) {
        if let Ok(mut g) = self.reporter.spinner.lock()
            && let Some(s) = g.take()
        {
            s.finish();
        }
    }
}

/// The key of a diagnosis reason (`title (key)`), if it ends with one.
fn key_of(reason: &str) -> Option<&str> {
    let (_, key) = reason.strip_suffix(')')?.rsplit_once(" (")?;
    (!key.is_empty() && !key.contains(char::is_whitespace)).then_some(key)
}

fn strip_ansi(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            for d in chars.by_ref() {
                if d == 'm' {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::findings::Finding;

    #[test]
    fn a_long_command_shows_its_newest_output_line_under_its_name_until_it_ends() {
        let r = Reporter::new(false, Palette::plain()).with_hidden_spinners();
        assert_eq!(r.progress_text(), None);
        let p = r.progress("pkg -R /z/root image-update -v");
        r.progress_line("Download: 1/20 items");
        r.progress_line("   ");
        let shown = r.progress_text().unwrap();
        assert_eq!(shown, ("pkg -R /z/root image-update -v".into(), "Download: 1/20 items".into()));
        // The attach log's lines come as events from the follower thread.
        r.emit(&Event::LogLine {
            step: 1,
            path: "/var/tmp/z.log".into(),
            line: "Installing".into(),
        });
        assert_eq!(r.progress_text().unwrap().1, "Installing");
        assert_eq!(r.suspended(|| 7), 7);
        drop(p);
        assert_eq!(r.progress_text(), None);
        r.progress_line("after the end");
        assert_eq!(r.progress_text(), None);
    }

    #[test]
    fn a_why_line_names_by_key_the_diagnosis_the_screen_just_showed() {
        let r = Reporter::new(false, Palette::plain());
        let evidence = vec![
            "contrib is disabled (gz.publisher-disabled)".to_string(),
            "x is obsolete (zone.package-obsolete)".to_string(),
        ];
        let step = Event::StepStart {
            step: 2,
            name: "gz-publishers".into(),
            reason: format!("keep only solaris; attach -u would fail: {}", evidence.join("; ")),
            commands: vec!["pkg unset-publisher contrib".into()],
            evidence: evidence.clone(),
        };
        // Not shown yet (a resumed run's diagnosis, read from the log): said in full.
        assert_eq!(r.on_screen(&step), None);
        let title = format!("attach -u would fail: {}", evidence.join("; "));
        r.emit(&Event::Finding(Finding::info("attach.predicted-failure", title)));
        let shown = r.on_screen(&step).unwrap();
        assert!(
            shown.contains(
                "\n    why: keep only solaris; attach -u would fail: as shown above \
                 (gz.publisher-disabled, zone.package-obsolete)\n    plan: pkg unset-publisher"
            ),
            "{shown}"
        );
        // The report keeps every word.
        r.emit(&step);
        assert!(r.transcript().contains(&format!(
            "why: keep only solaris; attach -u would fail: {}",
            evidence.join("; ")
        )));
        // A reason without a key is never cut.
        let keyless = Event::StepStart {
            step: 3,
            name: "uninstall".into(),
            reason: "attach -u would fail: contrib is disabled".into(),
            commands: vec![],
            evidence: vec!["contrib is disabled".into()],
        };
        assert_eq!(r.on_screen(&keyless), None);
    }

    #[test]
    fn publishers_someone_else_changed_are_not_called_as_they_were() {
        assert_eq!(gz_publishers_state(true, &[]), "as they were");
        let s = gz_publishers_state(true, &["solaris".into()]);
        assert!(s.starts_with("restored, but for solaris: changed by someone else"), "{s}");
        assert!(gz_publishers_state(false, &["solaris".into()]).starts_with("DIFFERENT"));
    }

    #[test]
    fn json_draws_no_spinner() {
        let r = Reporter::new(true, Palette::plain());
        let _p = r.progress("pkg install x");
        assert_eq!(r.progress_text(), None);
    }

    #[test]
    fn a_step_clock_restarted_after_a_prompt_leaves_the_answer_time_out() {
        let r = Reporter::new(true, Palette::plain());
        r.step_clock(1, false);
        std::thread::sleep(Duration::from_millis(300));
        let with_answer = r.step_clock(1, true).unwrap();
        r.restart_step_clock(1);
        let without = r.step_clock(1, true).unwrap();
        assert!(with_answer >= Duration::from_millis(300));
        assert!(without < Duration::from_millis(300), "{without:?}");
    }
}
