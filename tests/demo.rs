//! `zonerescue demo`: README's main command. Drives the real binaries.

use std::process::Command;

fn zonerescue() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_zonerescue"));
    c.env("ZONESIM_SPEED", "100000").env("NO_COLOR", "1").env_remove("ZONERESCUE_STRATEGY");
    c
}

#[test]
fn every_scenario_file_is_bundled() {
    let out = zonerescue().args(["demo", "--list"]).output().unwrap();
    assert!(out.status.success());
    let listed = String::from_utf8_lossy(&out.stdout);
    for entry in std::fs::read_dir("testdata/scenarios").unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("toml") {
            continue;
        }
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        assert!(
            listed.lines().any(|l| l.split_whitespace().next() == Some(stem.as_str())),
            "{stem} is not bundled in src/sim/demo.rs"
        );
    }
}

#[test]
fn unattended_demo_rescues_the_default_zone() {
    let out = zonerescue().args(["--json", "demo", "--yes"]).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let last = stdout.lines().last().unwrap_or_default();
    let summary: serde_json::Value = serde_json::from_str(last).expect("summary line is JSON");
    assert_eq!(summary["event"], "summary", "{last}");
    assert_eq!(summary["zone"], "web01");
    assert_eq!(summary["result"], "attached", "{stdout}");
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn demo_without_terminal_or_yes_refuses() {
    let out = zonerescue().args(["demo"]).output().unwrap();
    assert_eq!(out.status.code(), Some(3), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn unknown_demo_scenario_is_a_usage_error() {
    let out = zonerescue().args(["demo", "no-such-world"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("demo --list"));
}
