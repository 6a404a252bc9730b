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
