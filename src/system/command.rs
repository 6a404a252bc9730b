use std::ffi::{OsStr, OsString};
use std::time::Duration;

use super::Program;

/// What to run: a program and its argv, never a shell string.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommandSpec {
    program: Program,
    args: Vec<OsString>,
    timeout: Option<Duration>,
}

impl CommandSpec {
    pub fn new(program: Program) -> Self {
        CommandSpec { program, args: Vec::new(), timeout: None }
    }

    pub fn arg(mut self, arg: impl AsRef<OsStr>) -> Self {
        self.args.push(arg.as_ref().to_owned());
        self
    }

    pub fn args<I, S>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.args.extend(args.into_iter().map(|a| a.as_ref().to_owned()));
        self
    }

    /// Adds `arg` only when `cond` holds (option flags).
    pub fn arg_if(self, cond: bool, arg: impl AsRef<OsStr>) -> Self {
        if cond { self.arg(arg) } else { self }
    }

    /// Overrides the runner's default timeout for this command.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    pub fn program(&self) -> Program {
        self.program
    }

    pub fn get_args(&self) -> &[OsString] {
        &self.args
    }

    pub fn get_timeout(&self) -> Option<Duration> {
        self.timeout
    }

    /// The arguments as strings (lossy), for logs, journals and tests.
    pub fn args_lossy(&self) -> Vec<String> {
        self.args.iter().map(|a| a.to_string_lossy().into_owned()).collect()
    }

    /// The command as an administrator would type it (`pkg -R /zones/z1/root install -nv entire`),
    /// with arguments quoted where a shell would need it. For display only: it is never run.
    pub fn display(&self) -> String {
        let mut out = self.program.name().to_string();
        for a in self.args_lossy() {
            out.push(' ');
            out.push_str(&shell_quote(&a));
        }
        out
    }
}

/// `s` as a POSIX shell would need it typed (single quotes when it has anything but plain
/// characters): for commands printed as advice, never run. `^` is quoted: the Bourne shell of
/// older Solaris reads it as a pipe.
pub fn shell_quote(s: &str) -> String {
    let plain =
        !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || "-_./:=@,+%".contains(c));
    if plain { s.to_string() } else { format!("'{}'", s.replace('\'', r"'\''")) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_quotes_only_what_needs_it() {
        let c = CommandSpec::new(Program::Pkg)
            .args(["-R", "/zones/z1/root", "install", "-nv", "entire@0.5.11-0.134"])
            .arg("it's");
        assert_eq!(c.display(), "pkg -R /zones/z1/root install -nv entire@0.5.11-0.134 'it'\\''s'");
    }
}
