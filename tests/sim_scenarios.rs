//! Every scenario in testdata/scenarios loads and `zonesim oracle` reproduces its [expect].

use std::path::{Path, PathBuf};
use std::process::Command;

use zonerescue::sim::oracle;
use zonerescue::sim::scenario::Scenario;

fn scenarios() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/scenarios");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    files
}

#[test]
fn oracle_reproduces_every_expectation() {
    let files = scenarios();
    assert!(files.len() >= 12, "need at least 12 scenarios, have {}", files.len());
    for f in files {
        let s = Scenario::load(&f).unwrap_or_else(|e| panic!("{e}"));
        let expect = s.expect.clone().unwrap_or_else(|| panic!("{} has no [expect]", f.display()));
        let verdicts = oracle::run(&s);
        assert_eq!(verdicts.len(), s.zones.len());
        for v in verdicts {
            let (attachable, gentlest) = match expect.zones.get(&v.zone) {
                Some(z) => (z.attachable, z.gentlest.clone()),
                None => (expect.attachable, expect.gentlest.clone()),
            };
            assert_eq!(v.attachable, attachable, "{}: zone {}", f.display(), v.zone);
            assert_eq!(v.gentlest, gentlest, "{}: zone {}", f.display(), v.zone);
            if v.attachable {
                assert!(v.clock_s > 0, "{}: a plan costs time", f.display());
            }
        }
    }
}

#[test]
fn scenarios_cover_every_platform_and_strategy() {
    let mut platforms = std::collections::BTreeSet::new();
    let mut strategies = std::collections::BTreeSet::new();
    let (mut unattachable, mut multi) = (false, false);
    for f in scenarios() {
        let s = Scenario::load(&f).unwrap();
        platforms.insert(s.platform().name().to_string());
        let e = s.expect.unwrap();
        unattachable |= !e.attachable;
        multi |= s.zones.len() > 1;
        strategies.extend(e.gentlest.iter().cloned());
        for z in e.zones.values() {
            strategies.extend(z.gentlest.iter().cloned());
        }
    }
    assert_eq!(platforms.len(), 4, "{platforms:?}");
    for s in oracle::LADDER {
        assert!(strategies.contains(s), "no scenario's gentlest plan uses {s}");
    }
    assert!(unattachable && multi);
}

#[test]
fn oracle_json_is_an_array_of_zone_verdicts() {
    let f =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/scenarios/s11express-b111-web.toml");
    let out = Command::new(env!("CARGO_BIN_EXE_zonesim"))
        .arg("oracle")
        .arg(&f)
        .arg("--json")
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v[0]["zone"], "web01");
    assert_eq!(v[0]["attachable"], true);
    assert_eq!(v[0]["gentlest"], serde_json::json!(["gz-publishers", "incremental", "uninstall"]));
    assert!(v[0]["clock_s"].as_u64().unwrap() > 0);
}

/// `zonesim oracle` (JSON, or human with `human`) of scenario `name` with zone `zone` put in
/// `state`.
fn oracle_in_state(name: &str, zone: &str, state: &str, human: bool) -> String {
    let src = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("testdata/scenarios/{name}.toml")),
    )
    .unwrap();
    let line = format!("zonepath = \"/zones/{zone}\"\n");
    assert!(src.contains(&line));
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("states.toml");
    let src = src.replace(&format!("{line}state = \"installed\"\n"), &line);
    std::fs::write(&f, src.replace(&line, &format!("{line}state = \"{state}\"\n"))).unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_zonesim"));
    cmd.arg("oracle").arg(&f);
    if !human {
        cmd.arg("--json");
    }
    let out = cmd.output().unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

/// zonerescue refuses a running zone (it must be halted first) and an incomplete one
/// (zoneadm: uninstall required): the oracle, whose plans go through detach and attach as
/// zoneadm's state rules allow, reports them as not attachable, with the reason. Before, a
/// running zone was detached as if installed, and an incomplete solaris-brand zone attached.
#[test]
fn oracle_does_not_plan_for_running_or_incomplete_zones() {
    for (name, zone, state) in [
        ("omnios-two-zones", "web02", "running"),
        ("solaris11-disabled-publisher-harmless", "app11", "incomplete"),
        ("solaris11-disabled-publisher-harmless", "app11", "running"),
        ("s11express-minor-update", "db01", "incomplete"),
    ] {
        let v: serde_json::Value =
            serde_json::from_str(&oracle_in_state(name, zone, state, false)).unwrap();
        let v = v.as_array().unwrap().iter().find(|v| v["zone"] == zone).unwrap();
        assert_eq!(v["attachable"], false, "{name} {zone} {state}: {v}");
        assert_eq!(v["gentlest"], serde_json::json!([]), "{name} {zone} {state}");
        assert_eq!(v["singles"], serde_json::json!([]), "{name} {zone} {state}");
        let reason = v["reason"].as_str().unwrap_or_default();
        assert!(reason.contains(&format!("zone is {state}")), "{name} {zone} {state}: {v}");
    }
    // The other zone of the world is planned for as before; attachable zones have no reason.
    let v: serde_json::Value =
        serde_json::from_str(&oracle_in_state("omnios-two-zones", "web02", "running", false))
            .unwrap();
    assert_eq!(v[1]["zone"], "pg02");
    assert_eq!(v[1]["gentlest"], serde_json::json!(["uninstall"]));
    assert!(v[1].get("reason").is_none(), "{v}");
    let human = oracle_in_state("omnios-two-zones", "web02", "running", true);
    assert!(human.contains("web02: not attachable by zonerescue: zone is running"), "{human}");
}

#[test]
fn bad_scenario_names_file_line_and_field_and_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let src = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("testdata/scenarios/s11express-minor-update.toml"),
    )
    .unwrap();
    let cases = [
        (src.replace("entire = 148\n", "entire = 148\ncolour = \"blue\"\n"), "colour"),
        (src.replace("platform = \"s11express\"", "platform = \"solaris12\""), "scenario.platform"),
        (
            src.replace(
                "packages = [\"SUNWcs\", \"system/library\"]",
                "packages = [\"SUNWcs\", \"nonesuch\"]",
            ),
            "zones.packages",
        ),
        (src.replace("entire = 148", "entire = 0"), "zones.entire"),
    ];
    for (i, (text, field)) in cases.iter().enumerate() {
        let f = dir.path().join(format!("bad{i}.toml"));
        std::fs::write(&f, text).unwrap();
        let out = Command::new(env!("CARGO_BIN_EXE_zonesim"))
            .arg("init")
            .arg(&f)
            .arg(dir.path().join(format!("w{i}")))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "case {i}");
        let err = String::from_utf8_lossy(&out.stderr);
        let expected_prefix = format!("zonesim: {}:", f.display());
        assert!(err.starts_with(&expected_prefix), "case {i}: {err}");
        let line: usize =
            err[expected_prefix.len()..].split(':').next().unwrap().parse().unwrap_or(0);
        assert!(line > 0, "case {i}: no line in {err}");
        assert!(err.contains(field), "case {i}: {err}");
        assert!(!err.contains("panicked"));
    }
}
