//! Typed wrappers for the system commands: for each, a builder of its argv
//! ([`crate::system::CommandSpec`]) and a parser of its output, both unit-testable on the
//! exact formats of `../shared/reference/solaris-interfaces.md`.
//!
//! Layout: one module per command (`zoneadm`, `zonecfg`, `pkg`, `beadm`, `zfs`, `mount`,
//! `svcs` for `zlogin Z svcs -x`); [`fmri`] for package FMRIs and versions; [`names`] for the
//! validation of everything that reaches an argv. Builders are `*_spec` functions (pure);
//! parsers are `parse_*` functions over `&str` (pure); the remaining functions take a
//! [`Runner`], run, check the exit code and parse, failing with a [`RunError`].

pub mod beadm;
mod error;
pub mod fmri;
pub mod mount;
pub mod names;
pub mod pkg;
pub mod svcs;
pub mod zfs;
pub mod zoneadm;
pub mod zonecfg;

pub use error::{ParseError, RunError};
pub use fmri::{Fmri, Version};
pub use names::{
    InvalidName, ZoneName, validate_argument, validate_publisher_name, validate_uri,
    validate_zone_name,
};

use crate::system::{CommandOutput, CommandSpec, Runner};

/// Runs `spec` and requires exit 0.
pub fn run_checked(runner: &Runner, spec: &CommandSpec) -> Result<CommandOutput, RunError> {
    Ok(runner.run(spec)?.check()?)
}

/// Runs `spec`, requires exit 0 and parses stdout with `parse`.
pub fn run_parsed<T>(
    runner: &Runner,
    spec: &CommandSpec,
    parse: impl FnOnce(&str) -> Result<T, ParseError>,
) -> Result<T, RunError> {
    let out = run_checked(runner, spec)?;
    parse(&out.stdout).map_err(|source| RunError::Parse {
        argv: out.argv.join(" "),
        stdout: out.stdout.clone(),
        source,
    })
}

/// Parses every non-blank line with `parse_line`, naming the line of the first failure.
pub fn parse_lines<T>(
    stdout: &str,
    parse_line: impl Fn(&str) -> Result<T, String>,
) -> Result<Vec<T>, ParseError> {
    stdout
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| parse_line(l).map_err(|m| ParseError::at(i + 1, m)))
        .collect()
}

/// Fake system commands for the tests of the run-and-parse functions: each program prints a
/// fixed stdout/stderr and exits with a fixed code (a shell script, tests only).
#[cfg(test)]
pub(crate) mod fake {
    use std::fs;
    use std::time::Duration;

    use crate::system::{Program, Runner, SystemPaths};

    pub struct FakeHost {
        pub dir: tempfile::TempDir,
        pub runner: Runner,
    }

    impl FakeHost {
        pub fn new() -> Self {
            let dir = tempfile::tempdir().unwrap();
            fs::create_dir(dir.path().join("bin")).unwrap();
            let paths =
                SystemPaths::new(Some(dir.path().join("bin")), dir.path().to_path_buf()).unwrap();
            FakeHost {
                runner: Runner::new(
                    paths,
                    crate::system::Timeouts::uniform(Duration::from_secs(20)),
                ),
                dir,
            }
        }

        /// `program` prints `stdout`/`stderr` and exits `code`. When `when_arg` is given,
        /// only invocations containing that argument do so; others exit 99.
        pub fn program(&self, program: Program, rules: &[(&str, &str, &str, i32)]) {
            let bin = self.dir.path().join("bin");
            let mut script = String::from("args=\" $* \"\n");
            for (i, (when_arg, stdout, stderr, code)) in rules.iter().enumerate() {
                let out = bin.join(format!("{program}.{i}.out"));
                let err = bin.join(format!("{program}.{i}.err"));
                fs::write(&out, stdout).unwrap();
                fs::write(&err, stderr).unwrap();
                script.push_str(&format!(
                    "case \"$args\" in *\" {when_arg} \"*) cat '{}'; cat '{}' >&2; exit {code};; esac\n",
                    out.display(),
                    err.display()
                ));
            }
            script.push_str("echo \"unexpected: $*\" >&2; exit 99\n");
            crate::system::test_script::write(&bin.join(program.name()), &script);
        }
    }
}

#[cfg(test)]
mod run_tests;

#[cfg(test)]
mod fuzz_tests;
