//! A zone whose administrator's own `attach -u` just failed: auto starts from the diagnosis of
//! that attempt's log instead of repeating it, and still applies the oracle's gentlest plan.
//! A stale log (older than a day) is not trusted: the plain attach comes first again.

use std::time::{Duration, SystemTime};

mod sim_support;
use serde_json::Value;
use sim_support::Sim;

/// The operator's attempt, as typed at the console: detach, then `attach -u`, which fails.
fn operator_attempt(sim: &Sim, zone: &str) {
    sim.detach(zone);
    let r = sim.run("zoneadm", &["-z", zone, "attach", "-u"]);
    assert_ne!(r.code, 0, "the scenario's attach was meant to fail");
    assert_eq!(sim.state(zone), "configured");
}

fn rescue(sim: &Sim, zone: &str) -> Vec<Value> {
    let out = sim_support::zonerescue(&sim.dir)
        .args(["--yes", "--json", "--allow-destructive", zone])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    String::from_utf8_lossy(&out.stdout).lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

#[test]
fn a_fresh_failed_attach_is_diagnosed_not_repeated() {
    for (scenario, zone) in [
        ("omnios-postgres-removed", "pg01"),
        ("omnios-rename-needs-incremental", "backup01"),
        ("openindiana-zone-internal-repo", "app01"),
        ("s11express-disabled-gz-publisher", "mail01"),
        ("s11express-b111-web", "web01"),
    ] {
        let sim = Sim::new(scenario);
        operator_attempt(&sim, zone);
        let events = rescue(&sim, zone);
        let s = events.last().unwrap();
        assert_eq!(s["result"], "attached", "{scenario}: {s}");
        assert_eq!(sim.state(zone), "installed");
        let found = events
            .iter()
            .find(|e| e["event"] == "finding" && e["key"] == "attach.previous-failure")
            .unwrap_or_else(|| panic!("{scenario}: no finding for the operator's attempt"));
        assert!(found["detail"].as_str().unwrap().contains("attach"), "{found}");
        // The diagnosing plain attach saved: at least one attempt fewer than from an untouched
        // world where auto attaches first (none fewer is promised where preflight already
        // predicted the failure; the operator's log may tell more than preflight could).
        let fresh = Sim::new(scenario);
        let fresh_events = rescue(&fresh, zone);
        let fresh_summary = fresh_events.last().unwrap();
        let fresh_attempts = fresh_summary["attempts"].as_u64().unwrap();
        let plain_first = fresh_summary["strategies_applied"][0] == "attach";
        let attempts = s["attempts"].as_u64().unwrap();
        assert!(attempts + u64::from(plain_first) <= fresh_attempts, "{scenario}: {s}");
        assert_eq!(
            sim_support::attach_runs(&sim.dir),
            attempts as usize + 1,
            "{scenario}: operator's + ours"
        );
        assert!(!s["strategies_applied"].as_array().unwrap().iter().any(|a| a == "attach"));
        assert_eq!(
            sim_support::applied_remedies(s),
            sim_support::oracle_gentlest(&sim_support::scenario(scenario), zone),
            "{scenario}: {s}"
        );
    }
}

#[test]
fn a_stale_failed_attach_is_tried_again() {
    // A world where preflight predicts nothing (a rename the GZ's repository keeps no record
    // of: its catalogs do not know the package, which a removal looks like too), so the plain
    // attach is what a distrusted log leaves.
    let sim = Sim::new("omnios-rename-needs-incremental");
    operator_attempt(&sim, "backup01");
    let (log, _) = sim.attach_log();
    let two_days_ago = SystemTime::now() - Duration::from_secs(2 * 24 * 3600);
    std::fs::File::options().write(true).open(&log).unwrap().set_modified(two_days_ago).unwrap();
    let events = rescue(&sim, "backup01");
    let s = events.last().unwrap();
    assert_eq!(s["result"], "attached", "{s}");
    assert!(
        !events.iter().any(|e| e["key"] == "attach.previous-failure"),
        "a two-day-old log was trusted"
    );
    assert_eq!(s["attempts"], 2, "plain attach first, then the remedy: {s}");
}

/// The operator's attach was killed by a signal (its log ends in `Killed`): it says nothing
/// about the image, so auto attaches plainly first (here that is all it takes). Before, it
/// adopted the log as the plain attach's failure and went on to a rung the zone did not need.
#[test]
fn an_operators_attach_killed_by_a_signal_is_not_taken_for_a_diagnosis() {
    use std::os::unix::fs::PermissionsExt;
    let sim = Sim::new("s11express-minor-update");
    sim.detach("db01");
    let log = sim.dir.join("var/tmp/db01.attach_log.KiLLed");
    let text = "[Mon Nov 14 10:00:00 UTC 2011] Log File: /var/tmp/db01.attach_log.KiLLed\n\
                [Mon Nov 14 10:00:00 UTC 2011]        Attach Path: /zones/db01/root\n\
                [Mon Nov 14 10:00:02 UTC 2011]   Updating non-global zone: Output follows\n\
                Killed\n";
    std::fs::write(&log, text).unwrap();
    std::fs::set_permissions(&log, std::fs::Permissions::from_mode(0o600)).unwrap();
    let events = rescue(&sim, "db01");
    let s = events.last().unwrap();
    assert_eq!(s["result"], "attached", "{s}");
    assert_eq!(s["strategies_applied"], serde_json::json!(["attach"]), "{s}");
    assert!(!events.iter().any(|e| e["key"] == "attach.previous-failure"), "{s}");
}

/// OpenIndiana, an enabled GZ publisher whose server is gone and a PostgreSQL the release
/// dropped. The operator's attach failed on the dead publisher — after copying it into the
/// zone image — so its log names no package. Auto still knows both remedies before its first
/// attempt: gz-publishers (the log) and the uninstall the GZ's catalogs predict; one attach,
/// the oracle's set. (The copy in the zone image needs no zone-publishers: the next attach
/// replaces it with the GZ's, disabled for it; oracle jj F3.)
#[test]
fn the_operators_publisher_failure_and_the_catalogs_share_one_attempt() {
    let text = std::fs::read_to_string(sim_support::scenario("openindiana-disabled-gz-publisher"))
        .unwrap()
        .replacen("enabled = false\n", "", 1)
        .replacen(
            "packages = [\"SUNWcs\", \"system/library\"]",
            "packages = [\"SUNWcs\", \"system/library\", \"database/postgres-84\"]",
            1,
        );
    assert!(text.contains("\"database/postgres-84\"]"), "scenario changed: adjust this test");
    let text = format!(
        "{text}\n[[packages]]\nname = \"database/postgres-84\"\nkind = \"app\"\nremoved_at = 150\n"
    );
    let sim = Sim::from_text(&text);
    operator_attempt(&sim, "www01");
    let copied = sim.run("pkg", &["-R", &sim.root("www01"), "publisher", "-H"]).stdout;
    assert!(copied.contains("contrib"), "the failed attach copied the dead publisher: {copied}");
    let before = sim.run("pkg", &["publisher", "-H", "-F", "tsv"]).stdout;
    let events = rescue(&sim, "www01");
    let s = events.last().unwrap();
    assert_eq!(s["result"], "attached", "{s}");
    assert_eq!(s["attempts"], 1, "{s}");
    let applied = sim_support::applied_remedies(s);
    let want: std::collections::BTreeSet<String> =
        ["gz-publishers", "uninstall"].map(String::from).into();
    assert_eq!(applied, want, "{s}");
    assert_eq!(sim.run("pkg", &["publisher", "-H", "-F", "tsv"]).stdout, before);
    let list = sim.run("pkg", &["-R", &sim.root("www01"), "list", "-H"]).stdout;
    assert!(!list.contains("postgres"), "{list}");
}

/// The operator's attach failed on a full pool, then space was freed: the log's diagnosis
/// (nothing in the image to fix) must not stop the rescue before it tries; auto attaches
/// again to see whether the cause is gone, and the zone attaches.
#[test]
fn a_failure_outside_the_image_is_tried_again_once_fixed() {
    let text = std::fs::read_to_string(sim_support::scenario("s11express-minor-update")).unwrap();
    // The operator's attach is the first package install: it runs out of space, once.
    let sim = Sim::from_text(&format!("{text}\n[[faults]]\nkind = \"out-of-space\"\nnth = 1\n"));
    sim.detach("db01");
    let r = sim.run("zoneadm", &["-z", "db01", "attach", "-u"]);
    assert_ne!(r.code, 0, "the operator's attach runs out of space");
    let events = rescue(&sim, "db01");
    let s = events.last().unwrap();
    assert_eq!(s["result"], "attached", "{s}");
    assert_eq!(sim.state("db01"), "installed");
    let found = events
        .iter()
        .find(|e| e["event"] == "finding" && e["key"] == "attach.previous-failure")
        .expect("the operator's attempt is mentioned");
    assert!(found["title"].as_str().unwrap().contains("out-of-space"), "{found}");
    assert!(found["detail"].as_str().unwrap().contains("attach again"), "{found}");
}

/// Solaris 11 zones `web` and `app.web`: app.web's failed attach log,
/// /var/log/zones/zoneadm.TS.app.web.attach, also ends in `.web.attach`. It is not web's
/// previous failure: web's rescue starts with the plain attach, which works.
#[test]
fn another_dotted_zones_failed_attach_is_not_this_zones() {
    let sim = Sim::from_file(&sim_support::world("s11-dotted-zone-names"));
    sim.detach("web");
    operator_attempt(&sim, "app.web");
    let events = rescue(&sim, "web");
    let s = events.last().unwrap();
    assert_eq!(s["result"], "attached", "{s}");
    assert!(
        !events.iter().any(|e| e["key"] == "attach.previous-failure"),
        "app.web's log was taken for web's: {events:?}"
    );
    assert_eq!(s["strategies_applied"], serde_json::json!(["attach"]), "{s}");
    assert_eq!(sim.state("app.web"), "configured", "app.web was left alone");
}

/// Round o minor: the operator's attach failed on PostgreSQL, then he uninstalled it by hand.
/// The log names only a package the zone no longer has: it predates the image, so the plain
/// attach comes first (and is all it takes). Before, auto adopted the log and, finding nothing
/// of it to remove, climbed to an image-update nobody needed.
#[test]
fn a_failed_attach_whose_packages_are_gone_since_is_not_adopted() {
    let sim = Sim::new("omnios-postgres-removed");
    operator_attempt(&sim, "pg01");
    let root = sim.root("pg01");
    let r = sim.run(
        "pkg",
        &["-R", &root, "uninstall", "database/postgresql-12/contrib", "database/postgresql-12"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let events = rescue(&sim, "pg01");
    let s = events.last().unwrap();
    assert_eq!(s["result"], "attached", "{s}");
    assert!(events.iter().any(|e| e["key"] == "attach.previous-failure-stale"), "{s}");
    assert_eq!(s["strategies_applied"], serde_json::json!(["attach"]), "{s}");
}

/// Oracle jj F4: after the operator's failed attach, the step that its diagnosis called for
/// finds no intermediate build and is rolled back (the image unchanged). Before, auto then
/// ran the very plain attach the operator's had been, failing the same way; now it goes on
/// to the next remedy at once.
#[test]
fn a_remedy_that_changed_nothing_does_not_bring_the_operators_attach_back() {
    let sim = Sim::from_file(&sim_support::world("s11-sru-jump-rename-nothing-maps"));
    operator_attempt(&sim, "z1");
    let events = rescue(&sim, "z1");
    let s = events.last().unwrap();
    assert_eq!(s["result"], "attached", "{s}");
    assert_eq!(s["attempts"], 1, "{s}");
    let rungs: Vec<&str> = events
        .iter()
        .filter(|e| e["event"] == "step-start" && e["name"] != "snapshot")
        .filter_map(|e| e["name"].as_str())
        .collect();
    assert_eq!(rungs, ["incremental", "uninstall"], "{s}");
}
