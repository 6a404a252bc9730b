//! `beadm list -H` (reference §4.1): one `;`-separated line per boot environment,
//! `<name>;<uuid>;<active>;<mountpoint>;<space bytes>;<policy>;<created epoch>`.
//! Python beadm (b134, S11.0) prints `-`/missing values as empty; the illumos C beadm prints
//! an empty mountpoint when unmounted. Active flags: `N` (active now), `R` (active on
//! reboot), `NR`, `-`; S11 adds `!` (unbootable zone BE); illumos zones `x`/`b`.

use crate::system::{CommandSpec, Program, Runner};

use super::{ParseError, RunError, parse_lines, run_parsed};

/// One boot environment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BootEnv {
    pub name: String,
    pub uuid: Option<String>,
    /// The active column as printed (`NR`, `N`, `R`, `-`, `!R`, `x`, …).
    pub flags: String,
    pub mountpoint: Option<String>,
    /// Bytes used.
    pub space: Option<u64>,
    pub policy: Option<String>,
    /// Creation time, seconds since the epoch.
    pub created: Option<i64>,
}

impl BootEnv {
    /// Active now (`N`).
    pub fn is_active(&self) -> bool {
        self.flags.contains('N')
    }

    /// Active on reboot (`R`).
    pub fn is_active_on_reboot(&self) -> bool {
        self.flags.contains('R')
    }
}

/// `beadm list -H`.
pub fn list_spec() -> CommandSpec {
    CommandSpec::new(Program::Beadm).args(["list", "-H"])
}

fn opt(s: &str) -> Option<String> {
    (!s.is_empty() && s != "-").then(|| s.to_string())
}

/// Parses one `-H` line.
pub fn parse_line(line: &str) -> Result<BootEnv, String> {
    let f: Vec<&str> = line.split(';').collect();
    if f.len() != 7 {
        return Err(format!("expected 7 ';'-separated fields, found {}", f.len()));
    }
    if f[0].is_empty() {
        return Err("empty boot environment name".into());
    }
    let space = match opt(f[4]) {
        Some(s) => Some(s.parse::<u64>().map_err(|_| format!("space '{s}' is not a number"))?),
        None => None,
    };
    let created = match opt(f[6]) {
        Some(s) => Some(s.parse::<i64>().map_err(|_| format!("created '{s}' is not a number"))?),
        None => None,
    };
    Ok(BootEnv {
        name: f[0].to_string(),
        uuid: opt(f[1]),
        flags: if f[2].is_empty() { "-".to_string() } else { f[2].to_string() },
        mountpoint: opt(f[3]),
        space,
        policy: opt(f[5]),
        created,
    })
}

/// Parses `beadm list -H` output.
pub fn parse_list(stdout: &str) -> Result<Vec<BootEnv>, ParseError> {
    parse_lines(stdout, parse_line)
}

/// The boot environment running now (flags contain `N`).
pub fn current_be(bes: &[BootEnv]) -> Option<&BootEnv> {
    bes.iter().find(|b| b.is_active())
}

pub fn list(runner: &Runner) -> Result<Vec<BootEnv>, RunError> {
    run_parsed(runner, &list_spec(), parse_list)
}

/// The running global-zone boot environment; an error if none is marked `N`.
pub fn current(runner: &Runner) -> Result<BootEnv, RunError> {
    run_parsed(runner, &list_spec(), |out| {
        let bes = parse_list(out)?;
        current_be(&bes)
            .cloned()
            .ok_or_else(|| ParseError::whole("no boot environment is marked active now (N)"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_and_c_forms() {
        let out = "solaris;d8bb2b5d-1c3a-4d4e-9c1a-2b2f9b1b1c01;NR;/;4306247680;static;1321447300\n\
                   solaris-backup;5a1e0c77-0000-4000-8000-000000000111;;;123456;static;1321000000\n\
                   openindiana-1;0c2f6d3e-2b7c-4a55-b6a5-6d0f8f2f9a11;R;;8812;static;1590000000\n\
                   zbe;;!R;-;-;-;-\n";
        let bes = parse_list(out).unwrap();
        assert_eq!(bes.len(), 4);
        assert_eq!(bes[0].mountpoint.as_deref(), Some("/"));
        assert_eq!(bes[0].space, Some(4306247680));
        assert_eq!(bes[0].created, Some(1321447300));
        assert!(bes[0].is_active() && bes[0].is_active_on_reboot());
        assert_eq!(bes[1].flags, "-");
        assert_eq!(bes[1].mountpoint, None);
        assert!(bes[2].is_active_on_reboot() && !bes[2].is_active());
        assert_eq!((bes[3].uuid.clone(), bes[3].space, bes[3].created), (None, None, None));
        assert_eq!(current_be(&bes).unwrap().name, "solaris");
        assert_eq!(current_be(&bes[1..]), None);
    }

    #[test]
    fn bad_lines() {
        assert_eq!(parse_list("a;b;N;/;x;static;1\n").unwrap_err().line, 1);
        assert!(parse_line("a;b;N").is_err());
        assert!(parse_line(";u;N;/;1;static;1").is_err());
        assert_eq!(list_spec().display(), "beadm list -H");
    }
}
