//! `--report FILE`: the human report (findings, each rung with outcome and duration, snapshots
//! kept, how to roll back) lands in FILE with and without `--json`.

mod sim_support;

use std::path::Path;
use std::process::Command;

const ZS: &str = env!("CARGO_BIN_EXE_zonesim");

fn scenario(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/scenarios").join(format!("{name}.toml"))
}

/// Rescues pg01 (needs an uninstall rung) with `--report`; returns (report, stdout).
fn rescue_with_report(json: bool) -> (String, String) {
    let d = tempfile::tempdir().unwrap();
    let init = Command::new(ZS)
        .arg("init")
        .arg(scenario("omnios-postgres-removed"))
        .arg(d.path())
        .env_remove("ZONESIM_ROOT")
        .output()
        .unwrap();
    assert!(init.status.success(), "{}", String::from_utf8_lossy(&init.stderr));
    let report = d.path().join("report.txt");
    let mut c = sim_support::zonerescue(d.path());
    c.arg("--report")
        .arg(&report)
        .args(["--yes", "--color", "never"])
        .env("ZONESIM_SPEED", "100000");
    if json {
        c.arg("--json");
    }
    let out = c.arg("pg01").output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let text = std::fs::read_to_string(&report).expect("report file written");
    (text, String::from_utf8_lossy(&out.stdout).into_owned())
}

fn assert_human_report(text: &str) {
    assert!(text.contains("zonerescue: zone pg01"), "{text}");
    // What was found: at least one finding line (preflight's, here).
    assert!(text.lines().any(|l| l.trim_start().starts_with('[')), "no finding:\n{text}");
    // Each rung with its outcome and duration.
    assert!(text.contains("==> step"), "{text}");
    for rung in ["snapshot", "uninstall"] {
        let end = text
            .lines()
            .find(|l| l.starts_with(&format!("<== {rung}:")))
            .unwrap_or_else(|| panic!("no end line for {rung}:\n{text}"));
        assert!(end.ends_with(" s)"), "no duration on {end:?}");
    }
    assert!(text.contains("Result for zone pg01: attached"), "{text}");
    assert!(text.contains("snapshot kept:"), "{text}");
    assert!(text.contains("zonerescue rollback pg01"), "{text}");
    assert!(!text.contains('\x1b'), "colour codes in the report");
}

#[test]
fn report_holds_the_human_summary_in_human_mode() {
    let (text, _) = rescue_with_report(false);
    assert_human_report(&text);
}

#[test]
fn report_holds_the_human_summary_even_with_json() {
    let (text, stdout) = rescue_with_report(true);
    assert_human_report(&text);
    // stdout stays pure JSON Lines.
    for l in stdout.lines() {
        assert!(serde_json::from_str::<serde_json::Value>(l).is_ok(), "not JSON: {l}");
    }
}

/// A report path whose directory does not exist is an error before anything changes. Before,
/// the zone was rescued and the run then exited 2 on writing the report.
#[test]
fn a_report_path_that_cannot_be_written_stops_before_anything() {
    let sim = sim_support::Sim::from_file(&scenario("omnios-postgres-removed"));
    let out = sim_support::zonerescue(&sim.dir)
        .arg("--report")
        .arg(sim.dir.join("no/such/dir/report.txt"))
        .args(["--yes", "pg01"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("is not a directory"), "{err}");
    assert!(sim_support::audit(&sim.dir).is_empty(), "a command ran");
}
