//! Preflight asks the global zone to refresh the publishers an `attach -u` will refresh. A
//! publisher it cannot reach and a gentle rung can take out of the way means the plain attach
//! is known to fail: auto starts with that rung (one attempt fewer) and still applies exactly
//! the oracle's gentlest plan. A dry run does not refresh anything.

use std::collections::BTreeSet;

mod sim_support;
use serde_json::Value;
use sim_support::Sim;

fn rescue(sim: &Sim, zone: &str, extra: &[&str]) -> Vec<Value> {
    let out = sim_support::zonerescue(&sim.dir)
        .args(["--yes", "--json"])
        .args(extra)
        .arg(zone)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    String::from_utf8_lossy(&out.stdout).lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

fn keys(events: &[Value]) -> BTreeSet<String> {
    events
        .iter()
        .filter(|e| e["event"] == "finding")
        .map(|e| e["key"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn an_unreachable_zone_publisher_is_found_before_any_attach() {
    let sim = Sim::new("openindiana-zone-internal-repo");
    let events = rescue(&sim, "app01", &[]);
    let s = events.last().unwrap();
    assert_eq!(s["result"], "attached", "{s}");
    let k = keys(&events);
    assert!(k.contains("zone.publisher-unreachable") && k.contains("attach.predicted-failure"));
    assert_eq!(s["attempts"], 1, "no diagnosing attach: {s}");
    assert_eq!(
        sim_support::applied_remedies(events.last().unwrap()),
        sim_support::oracle_gentlest(
            &sim_support::scenario("openindiana-zone-internal-repo"),
            "app01"
        )
    );
}

#[test]
fn an_unreachable_secondary_gz_publisher_is_found_before_any_attach() {
    // The PostgreSQL world plus an enabled second GZ publisher whose server is gone.
    let path = sim_support::scenario("omnios-postgres-removed");
    let text = std::fs::read_to_string(&path).unwrap().replacen(
        "[[repositories]]",
        "[[global.publishers]]\nname = \"extra\"\norigins = [\"http://pkg.example.net/extra/\"]\n\n\
         [[repositories]]\nuri = \"http://pkg.example.net/extra/\"\npublisher = \"extra\"\n\
         builds = []\nreachable = false\n\n[[repositories]]",
        1,
    );
    let sim = Sim::from_text(&text);
    let scn = sim.tmp.path().join("scenario.toml");
    let before = sim.run("pkg", &["publisher", "-H", "-F", "tsv"]).stdout;
    let events = rescue(&sim, "pg01", &[]);
    let s = events.last().unwrap();
    assert_eq!(s["result"], "attached", "{s}");
    assert!(keys(&events).contains("gz.publisher-unreachable"));
    let first = events.iter().find(|e| e["event"] == "step-start" && e["name"] != "snapshot");
    assert_eq!(first.unwrap()["name"], "gz-publishers", "the first rung: {first:?}");
    assert_eq!(
        sim_support::applied_remedies(events.last().unwrap()),
        sim_support::oracle_gentlest(&scn, "pg01"),
        "{s}"
    );
    assert_eq!(sim.run("pkg", &["publisher", "-H", "-F", "tsv"]).stdout, before);
}

#[test]
fn a_dry_run_refreshes_nothing_in_preflight() {
    let sim = Sim::new("openindiana-zone-internal-repo");
    let events = rescue(&sim, "app01", &["--dry-run"]);
    assert!(!keys(&events).contains("zone.publisher-unreachable"));
    let audit = std::fs::read_to_string(sim.dir.join("audit.log")).unwrap();
    assert!(!audit.lines().any(|l| l.contains(r#""pkg","refresh""#)), "{audit}");
}
