//! A standard output whose reader went away (`zonerescue status ZONE | head`) never makes
//! zonerescue panic: every subcommand ends with its usual exit status, nothing on stderr about
//! it, and a rescue or rollback still does all its work.

mod sim_support;

use std::process::{Command, Stdio};

/// A pipe whose read end is already closed: every write to it fails with EPIPE.
fn closed_stdout() -> Stdio {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    Stdio::from(writer)
}

/// Runs `c` with a closed stdout; asserts exit status `code` and a quiet stderr.
fn quietly(mut c: Command, code: i32) -> String {
    let out = c.stdout(closed_stdout()).stderr(Stdio::piped()).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!err.contains("panicked") && !err.contains("Broken pipe"), "{c:?}:\n{err}");
    assert_eq!(out.status.code(), Some(code), "{c:?}:\n{err}");
    err
}

fn zr(sim: &sim_support::Sim, args: &[&str]) -> Command {
    let mut c = sim_support::zonerescue(&sim.dir);
    c.args(args).env("ZONESIM_SPEED", "100000");
    c
}

#[test]
fn every_subcommand_tolerates_a_closed_stdout() {
    let sim = sim_support::Sim::new("omnios-postgres-removed");
    // The rescue prints its summary on stdout, after the work: the zone is attached all the same.
    let err = quietly(zr(&sim, &["--yes", "pg01"]), 0);
    assert!(err.contains("<== uninstall: done"), "{err}");
    assert_eq!(sim.state("pg01"), "installed");
    for json in [false, true] {
        let with = |args: &[&str]| {
            let mut c = zr(&sim, args);
            if json {
                c.arg("--json");
            }
            c
        };
        quietly(with(&["status", "pg01"]), 0);
        quietly(with(&["snapshots", "pg01"]), 0);
        quietly(with(&["--all"]), 0);
    }
    quietly(zr(&sim, &["completions", "bash"]), 0);
    let log = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/logs/solaris11-success.txt");
    quietly(zr(&sim, &["analyze", log]), 0);
    // Those that change things go through with it.
    quietly(zr(&sim, &["rollback", "--yes", "pg01"]), 0);
    assert_eq!(sim.state("pg01"), "configured");
    quietly(zr(&sim, &["snapshots", "--prune", "--yes", "pg01"]), 0);
    quietly(zr(&sim, &["rollback", "--yes", "pg01"]), 0);
}
