//! How the engine runs commands: read-only ones always (they are how facts are learnt),
//! changing ones only outside `--dry-run`. Every command becomes a `command` event.

use std::sync::Arc;

use super::events::Event;
use super::reporter::Reporter;
use super::signals::Interrupt;
use crate::system::{CommandError, CommandOutput, CommandSpec, Runner, Stream};

pub struct Exec {
    pub runner: Runner,
    pub dry_run: bool,
    pub reporter: Arc<Reporter>,
    pub interrupt: Interrupt,
    /// The current step number (for events).
    pub step: u32,
}

impl Exec {
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
        let out = self.runner.run(spec)?;
        self.report(spec, Some(&out), false);
        Ok(out)
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
        let out = self.runner.run_streaming(spec, on_line)?;
        self.report(spec, Some(&out), false);
        Ok(Some(out))
    }

    /// A changing command that must succeed (exit code in `ok`).
    pub fn change_ok(&self, spec: &CommandSpec, ok: &[i32]) -> Result<(), CommandError> {
        match self.change(spec)? {
            Some(out) => out.check_codes(ok).map(|_| ()),
            None => Ok(()),
        }
    }
}
