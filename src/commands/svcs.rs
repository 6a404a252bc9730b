//! `zlogin ZONE svcs -x`: services that are not running as they should, after a boot.
//!
//! Not in the reference; the format is svcs(1)'s `-x` explanation, blocks separated by a
//! blank line, labels right-aligned:
//! ```text
//! svc:/application/database/postgresql:version_84 (PostgreSQL RDBMS)
//!  State: maintenance since Mon Nov 23 10:01:02 2026
//! Reason: Start method exited with $SMF_EXIT_ERR_CONFIG.
//!    See: http://illumos.org/msg/SMF-8000-KS
//! Impact: This service is not running.
//! ```

use crate::system::{CommandSpec, Program, Runner};

use super::{RunError, ZoneName, run_parsed};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceProblem {
    /// `svc:/…:instance`.
    pub fmri: String,
    /// The parenthesised description on the header line, if any.
    pub description: Option<String>,
    /// First word of `State:` (`maintenance`, `offline`, `disabled`, `degraded`).
    pub state: String,
    pub reason: Option<String>,
}

impl ServiceProblem {
    pub fn in_maintenance(&self) -> bool {
        self.state == "maintenance"
    }
}

/// `zlogin ZONE svcs -x`.
pub fn svcs_x_spec(zone: &ZoneName) -> CommandSpec {
    CommandSpec::new(Program::Zlogin).arg(zone).args(["svcs", "-x"])
}

/// Parses `svcs -x` output into one entry per `svc:/` header.
pub fn parse_svcs_x(stdout: &str) -> Vec<ServiceProblem> {
    let mut out: Vec<ServiceProblem> = Vec::new();
    for line in stdout.lines() {
        if line.starts_with("svc:/") || line.starts_with("lrc:/") {
            let (fmri, desc) = match line.split_once(' ') {
                Some((f, d)) => {
                    let d = d.trim().trim_start_matches('(').trim_end_matches(')');
                    (f, (!d.is_empty()).then(|| d.to_string()))
                }
                None => (line.trim_end(), None),
            };
            out.push(ServiceProblem {
                fmri: fmri.to_string(),
                description: desc,
                state: String::new(),
                reason: None,
            });
            continue;
        }
        let Some(cur) = out.last_mut() else { continue };
        if let Some((label, value)) = line.trim_start().split_once(':') {
            match label {
                "State" => {
                    cur.state = value.split_whitespace().next().unwrap_or("").to_string();
                }
                "Reason" => cur.reason = Some(value.trim().to_string()),
                _ => {}
            }
        }
    }
    out
}

/// Services of ZONE in maintenance.
pub fn maintenance(runner: &Runner, zone: &ZoneName) -> Result<Vec<ServiceProblem>, RunError> {
    let all = run_parsed(runner, &svcs_x_spec(zone), |out| Ok(parse_svcs_x(out)))?;
    Ok(all.into_iter().filter(ServiceProblem::in_maintenance).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_blocks() {
        let out = "svc:/application/database/postgresql:version_84 (PostgreSQL RDBMS)\n State: maintenance since Mon Nov 23 10:01:02 2026\nReason: Start method exited with $SMF_EXIT_ERR_CONFIG.\n   See: http://illumos.org/msg/SMF-8000-KS\nImpact: This service is not running.\n\nsvc:/network/http:apache22 (Apache 2.2 HTTP server)\n State: offline since Mon Nov 23 10:01:00 2026\nReason: Dependency svc:/milestone/network is absent.\nImpact: 1 dependent service is not running:\n        svc:/site/web:default\n";
        let s = parse_svcs_x(out);
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].fmri, "svc:/application/database/postgresql:version_84");
        assert_eq!(s[0].description.as_deref(), Some("PostgreSQL RDBMS"));
        assert!(s[0].in_maintenance());
        assert_eq!(s[1].state, "offline");
        assert!(s[1].reason.as_deref().unwrap().contains("svc:/milestone/network"));
        assert!(parse_svcs_x("").is_empty());
        let z = ZoneName::new("z1").unwrap();
        assert_eq!(svcs_x_spec(&z).display(), "zlogin z1 svcs -x");
    }
}
