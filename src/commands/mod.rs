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
