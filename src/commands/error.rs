use std::fmt;

use crate::system::CommandError;

use super::InvalidName;

/// Output that does not have the shape the reference documents. `line` is 1-based; 0 means
/// the output as a whole (for example "no line for zone z1").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    pub line: usize,
    pub message: String,
}

impl ParseError {
    pub fn at(line: usize, message: impl Into<String>) -> Self {
        ParseError { line, message: message.into() }
    }

    pub fn whole(message: impl Into<String>) -> Self {
        ParseError { line: 0, message: message.into() }
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            f.write_str(&self.message)
        } else {
            write!(f, "line {}: {}", self.line, self.message)
        }
    }
}

impl std::error::Error for ParseError {}

/// What the convenience functions (run + check + parse) return on failure. The command
/// error keeps argv, exit status, stdout and stderr; a parse error keeps argv and stdout.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error(transparent)]
    Command(#[from] CommandError),
    #[error("unexpected output from `{argv}`: {source}")]
    Parse {
        argv: String,
        stdout: String,
        #[source]
        source: ParseError,
    },
    #[error(transparent)]
    Invalid(#[from] InvalidName),
}

impl RunError {
    /// The failed command, if the command itself failed (not its parsing).
    pub fn command_error(&self) -> Option<&CommandError> {
        match self {
            RunError::Command(e) => Some(e),
            _ => None,
        }
    }

    /// The exit code of a command that ran and failed.
    pub fn code(&self) -> Option<i32> {
        self.command_error().and_then(CommandError::code)
    }

    /// The failed command's stderr ("" when not applicable).
    pub fn stderr(&self) -> &str {
        self.command_error().map(CommandError::stderr).unwrap_or("")
    }
}
