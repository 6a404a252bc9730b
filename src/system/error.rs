use std::time::Duration;

use super::CommandKind;

/// A command that could not be run, did not finish, or failed when success was required.
/// Each variant carries the argv and whatever output there was, so the message printed once
/// at the top says everything an administrator needs.
#[derive(Debug, thiserror::Error)]
pub enum CommandError {
    #[error("could not run `{argv}`: {source}")]
    Spawn {
        argv: String,
        #[source]
        source: std::io::Error,
    },
    #[error("`{argv}` did not finish within {}s (the `{kind}` limit; raise it with --timeout {kind}=SECONDS) and was stopped{}", .timeout.as_secs(), tail(.stdout, .stderr))]
    TimedOut { argv: String, kind: CommandKind, timeout: Duration, stdout: String, stderr: String },
    #[error("`{argv}` {}{}", describe(.code), tail(.stdout, .stderr))]
    Failed { argv: String, code: Option<i32>, stdout: String, stderr: String },
    /// A changing command held back because a signal had asked the run to stop: what runs
    /// is left to finish, nothing new starts.
    #[error("`{argv}` was not started: {signal} asked the run to stop")]
    NotStarted { argv: String, signal: &'static str },
    #[error("reading the output of `{argv}`: {source}")]
    Io {
        argv: String,
        #[source]
        source: std::io::Error,
    },
}

impl CommandError {
    /// The exit code of a command that ran and failed.
    pub fn code(&self) -> Option<i32> {
        match self {
            CommandError::Failed { code, .. } => *code,
            _ => None,
        }
    }

    pub fn stderr(&self) -> &str {
        match self {
            CommandError::Failed { stderr, .. } | CommandError::TimedOut { stderr, .. } => stderr,
            _ => "",
        }
    }
}

fn describe(code: &Option<i32>) -> String {
    match code {
        Some(c) => format!("exited with status {c}"),
        None => "was killed by a signal".to_string(),
    }
}

/// The last lines of stderr (or stdout if stderr is empty), indented under the message.
fn tail(stdout: &str, stderr: &str) -> String {
    let text = if stderr.trim().is_empty() { stdout } else { stderr };
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    if lines.is_empty() {
        return String::new();
    }
    let start = lines.len().saturating_sub(8);
    let mut out = String::from(":");
    for l in &lines[start..] {
        out.push_str("\n    ");
        out.push_str(l);
    }
    out
}
