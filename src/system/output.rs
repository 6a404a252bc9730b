use std::time::Duration;

use super::CommandError;

/// What a finished command left behind. A non-zero exit is *not* an error here: for pkg,
/// exit 4 means "nothing to do" and for `attach -u` a failure is data to analyse. Callers
/// decide with [`check`](CommandOutput::check) or [`check_codes`](CommandOutput::check_codes).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommandOutput {
    /// The full argv, program path first.
    pub argv: Vec<String>,
    /// Exit code; `None` if the child was killed by a signal.
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    pub elapsed: Duration,
}

impl CommandOutput {
    pub fn success(&self) -> bool {
        self.code == Some(0)
    }

    /// Ok if the exit code is 0, else a [`CommandError::Failed`] carrying everything.
    pub fn check(self) -> Result<Self, CommandError> {
        self.check_codes(&[0])
    }

    /// Ok if the exit code is one of `ok` (pkg: `&[0, 4]`).
    pub fn check_codes(self, ok: &[i32]) -> Result<Self, CommandError> {
        match self.code {
            Some(c) if ok.contains(&c) => Ok(self),
            _ => Err(CommandError::Failed {
                argv: self.argv.join(" "),
                code: self.code,
                stdout: self.stdout,
                stderr: self.stderr,
            }),
        }
    }
}
