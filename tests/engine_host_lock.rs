//! Runs on different zones of one host share the global zone's publishers: every attach reads
//! them, gz-publishers changes them around its own attach. A host-wide lock keeps an attach
//! off publishers another run has simplified, and a restore off another run's attach; a run
//! killed with them simplified is restored from its journal by the next run on any zone.

mod sim_support;
use std::io::BufRead;

use serde_json::Value;
use sim_support::Sim;

const WORLD: &str = "s11-two-zones-dead-gz-publisher";

fn gz_publishers(sim: &Sim) -> String {
    let tsv = sim.run("pkg", &["publisher", "-H", "-F", "tsv"]).stdout;
    format!("{tsv}{}", sim.run("pkg", &["publisher", "-H"]).stdout)
}

fn summary(out: &std::process::Output) -> Value {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    let last = String::from_utf8_lossy(&out.stdout).lines().last().unwrap_or_default().to_string();
    serde_json::from_str(&last).unwrap_or_else(|_| panic!("no summary: {stderr}"))
}

#[test]
fn a_second_zones_run_waits_while_the_first_has_the_gz_publishers_simplified() {
    let sim = Sim::from_file(&sim_support::world(WORLD));
    let before = gz_publishers(&sim);
    // db2's attach is slow (a fault), and runs with ha-cluster disabled by db2's run.
    let mut first = sim_support::spawn_rescue(&sim.dir, "db2", "20", true);
    let mut lines = std::io::BufReader::new(first.stdout.take().unwrap()).lines();
    let mut attaching = false;
    for line in lines.by_ref() {
        let v: Value = serde_json::from_str(&line.unwrap()).unwrap();
        if v["event"] == "command-start"
            && v["command"].as_str().is_some_and(|c| c.contains("attach -u"))
        {
            attaching = true;
            break;
        }
    }
    assert!(attaching, "db2's run never attached");
    assert_ne!(gz_publishers(&sim), before, "db2's attach runs on simplified publishers");
    // Now db1's run: unguarded, it took the simplified publishers for the original (and
    // attached plainly, leaving no record of them), or restored them under db2's attach.
    let second = sim_support::zonerescue(&sim.dir)
        .args(["--json", "--yes", "db1"])
        .env("ZONESIM_SPEED", "20")
        .output()
        .unwrap();
    let rest: Vec<String> = lines.map_while(Result::ok).collect();
    first.wait().unwrap();
    let s1: Value = serde_json::from_str(rest.last().unwrap()).unwrap();
    let s2 = summary(&second);
    for s in [&s1, &s2] {
        assert_eq!(s["result"], "attached", "{s}");
        assert_eq!(s["strategies_applied"], serde_json::json!(["gz-publishers"]), "{s}");
        assert_eq!(s["gz_publishers_intact"], true, "{s}");
        assert_eq!(s["packages_removed"], serde_json::json!([]), "{s}");
    }
    assert_eq!(second.status.code(), Some(0), "{s2}");
    assert_eq!(gz_publishers(&sim), before);
    // db1's run recorded the publishers as they were before either run.
    let j: Value = serde_json::from_str(
        &std::fs::read_to_string(sim.dir.join("state/db1/journal.json")).unwrap(),
    )
    .unwrap();
    let recorded = j["gz_publishers_tsv"].as_str().unwrap();
    assert!(before.starts_with(recorded), "recorded {recorded}, before {before}");
}

#[test]
fn a_run_on_another_zone_restores_what_a_killed_run_left_simplified() {
    let sim = Sim::from_file(&sim_support::world(WORLD));
    let before = gz_publishers(&sim);
    sim_support::kill_at_command(&sim.dir, "db1", "set-publisher --disable");
    assert_ne!(gz_publishers(&sim), before, "the kill left the GZ publishers simplified");
    let (events, code) = sim_support::rescue_json(&sim.dir, "db2", &[]);
    let s = events.last().unwrap();
    let restored = events
        .iter()
        .find(|e| e["key"] == "gz-publishers.last-run-modified")
        .unwrap_or_else(|| panic!("nothing said of db1's run: {s}"));
    assert!(restored["title"].as_str().unwrap().contains("zone db1"), "{restored}");
    assert_eq!(code, Some(0), "{s}");
    assert_eq!(s["strategies_applied"], serde_json::json!(["gz-publishers"]), "{s}");
    assert_eq!(gz_publishers(&sim), before);
    // db1's journal no longer claims them modified: its resume does not restore them again.
    let j: Value = serde_json::from_str(
        &std::fs::read_to_string(sim.dir.join("state/db1/journal.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(j["gz_publishers_modified"], false, "{j}");
}

/// While a run is in its preflight (its lock held, no journal yet: on a host, minutes of
/// catalog refreshes), `status` says a run is starting, and `rollback` and `snapshots --prune`
/// are refused as for a locked zone (exit 4). Before, all three said no run was recorded
/// (adversarial round l, F9).
#[test]
fn a_run_in_its_preflight_is_seen_by_status_rollback_and_prune() {
    let sim = Sim::from_file(&sim_support::scenario("omnios-postgres-removed"));
    // Slowed down: preflight's catalog refresh lasts seconds.
    let mut run = sim_support::spawn_rescue(&sim.dir, "pg01", "1", false);
    let status = || {
        let out = sim_support::zonerescue(&sim.dir).args(["status", "pg01"]).output().unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let mut said = status();
    while !said.contains("is in its preflight") {
        assert!(std::time::Instant::now() < deadline, "status never saw the run: {said}");
        std::thread::sleep(std::time::Duration::from_millis(50));
        said = status();
    }
    assert!(!sim.dir.join("state/pg01/journal.json").exists(), "{said}");
    for args in [&["rollback", "pg01", "--yes"][..], &["snapshots", "pg01", "--prune", "--yes"]] {
        let out = sim_support::zonerescue(&sim.dir).args(args).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(4), "{args:?}: {stderr}");
        assert!(stderr.contains("has not written its journal yet"), "{args:?}: {stderr}");
    }
    run.kill().unwrap();
    run.wait().unwrap();
}
