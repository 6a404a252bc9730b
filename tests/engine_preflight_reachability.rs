//! Preflight asks the global zone to refresh the publishers an `attach -u` will refresh. A
//! publisher it cannot reach and a gentle rung can take out of the way means the plain attach
//! is known to fail: auto starts with that rung (one attempt fewer) and still applies exactly
//! the oracle's gentlest plan. A dry run does not refresh anything. Right after that refresh,
//! preflight also asks the global zone's catalogs for the zone's packages (`pkg list -Hn
//! --no-refresh`): one they list as obsolete at the GZ's release blocks every solve, so auto
//! starts by uninstalling it. On Solaris 11 Express, whose attach re-creates and refreshes
//! every GZ publisher in the zone, a disabled one on an origin nothing answered from (pkg
//! cannot refresh a disabled publisher) sends auto to gz-publishers first.

use std::collections::BTreeSet;

mod sim_support;
use serde_json::Value;
use sim_support::Sim;

fn rescue(sim: &Sim, zone: &str, extra: &[&str]) -> Vec<Value> {
    sim_support::rescue_json(&sim.dir, zone, extra).0
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

fn first_rung(events: &[Value]) -> String {
    let first = events.iter().find(|e| e["event"] == "step-start" && e["name"] != "snapshot");
    first.map(|e| e["name"].as_str().unwrap().to_string()).unwrap_or_default()
}

#[test]
fn an_obsolete_package_is_uninstalled_before_any_attach() {
    let sim = Sim::new("omnios-postgres-removed");
    let events = rescue(&sim, "pg01", &[]);
    let s = events.last().unwrap();
    assert_eq!(s["result"], "attached", "{s}");
    let k = keys(&events);
    assert!(k.contains("zone.package-obsolete") && k.contains("attach.predicted-failure"), "{k:?}");
    assert_eq!(first_rung(&events), "uninstall");
    assert_eq!(s["attempts"], 1, "no diagnosing attach: {s}");
    assert_eq!(sim_support::attach_runs(&sim.dir), 1);
    assert_eq!(
        sim_support::applied_remedies(s),
        sim_support::oracle_gentlest(&sim_support::scenario("omnios-postgres-removed"), "pg01")
    );
    // The catalog query ran in the global zone, on the catalogs preflight had just refreshed.
    let audit = sim_support::audit(&sim.dir);
    let q = audit.iter().find(|a| a.argv.iter().any(|x| x == "-n")).expect("catalog query");
    assert_eq!(q.argv[..5], ["pkg", "list", "-H", "-n", "--no-refresh"], "{:?}", q.argv);
    assert_eq!(q.cost_s, 0);
}

#[test]
fn without_the_obsolete_record_auto_attaches_to_find_out() {
    // The GZ's repository keeps no records from before r151052, so its catalog does not say
    // PostgreSQL (gone at r151050) is obsolete: nothing is predicted, the attach tells.
    let text = std::fs::read_to_string(sim_support::scenario("omnios-postgres-removed"))
        .unwrap()
        .replacen(
            "builds = [151054]\nhistory_from = 151046",
            "builds = [151054]\nhistory_from = 151052",
            1,
        );
    assert!(text.contains("history_from = 151052"));
    let sim = Sim::from_text(&text);
    let events = rescue(&sim, "pg01", &[]);
    let s = events.last().unwrap();
    assert_eq!(s["result"], "attached", "{s}");
    assert!(!keys(&events).contains("zone.package-obsolete"));
    assert_eq!(first_rung(&events), "attach");
    assert_eq!(s["attempts"], 2, "{s}");
}

#[test]
fn an_obsolete_package_core_depends_on_is_reported_but_never_uninstalled() {
    // SUNWxvmpv is obsolete since build 140 and SUNWcs depends on it: preflight says so;
    // uninstall's own dry run shows it cannot go, so it is never removed (only re-creating the
    // image gets past it). The playbook does not list it as core: xVM is a feature the
    // release dropped, not the OS itself, so an xVM package nothing needs may be removed.
    let sim = Sim::new("s11express-orphaned-core");
    let events = rescue(&sim, "legacy01", &["--allow-destructive"]);
    let s = events.last().unwrap();
    assert_eq!(s["result"], "attached", "{s}");
    assert!(keys(&events).contains("zone.package-obsolete"));
    assert!(!sim_support::applied_remedies(s).contains("uninstall"), "{s}");
    let removals = sim_support::audit(&sim.dir)
        .into_iter()
        .filter(|a| a.argv.iter().any(|x| x == "uninstall") && !a.argv.iter().any(|x| x == "-n"))
        .count();
    assert_eq!(removals, 0);
}

#[test]
fn a_dry_run_reads_the_catalogs_as_last_refreshed() {
    let sim = Sim::new("omnios-postgres-removed");
    let before = std::fs::read_to_string(sim.dir.join("world.json")).unwrap();
    let events = rescue(&sim, "pg01", &["--dry-run"]);
    assert!(keys(&events).contains("zone.package-obsolete"));
    // The plan starts where a real run would: with the uninstall, no plain attach.
    assert_eq!(first_rung(&events), "uninstall");
    assert!(!events.iter().any(|e| e["event"] == "step-start" && e["name"] == "attach"));
    let audit = sim_support::audit(&sim.dir);
    assert!(!audit.iter().any(|a| a.argv.iter().any(|x| x == "refresh")), "a dry run refreshed");
    assert!(audit.iter().any(|a| a.argv.iter().any(|x| x == "--no-refresh")));
    let after: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(sim.dir.join("world.json")).unwrap())
            .unwrap();
    let before: serde_json::Value = serde_json::from_str(&before).unwrap();
    for key in ["datasets", "zones", "global"] {
        assert!(before[key].is_array() || before[key].is_object(), "{key}");
        assert_eq!(after[key], before[key], "a dry run changed {key}");
    }
}

fn postgres_world(edit: impl Fn(String) -> String) -> Sim {
    let text = std::fs::read_to_string(sim_support::scenario("omnios-postgres-removed")).unwrap();
    let edited = edit(text.clone());
    assert_ne!(edited, text, "the edit must change the world");
    Sim::from_text(&edited)
}

#[test]
fn an_obsolete_package_outside_the_problem_groups_is_only_reported() {
    // Obsolete alone need not block a real update: only the playbook's problem groups are
    // removed on the catalogs' word; anything else is left to the attach to judge.
    let sim = postgres_world(|t| t.replace("database/postgresql-12", "database/timescale-2"));
    let events = rescue(&sim, "pg01", &[]);
    let s = events.last().unwrap();
    assert_eq!(s["result"], "attached", "{s}");
    let k = keys(&events);
    assert!(k.contains("zone.package-obsolete") && !k.contains("attach.predicted-failure"));
    assert_eq!(first_rung(&events), "attach");
}

#[test]
fn a_predicted_uninstall_held_by_core_leaves_only_image_create() {
    // A core package requires the obsolete PostgreSQL: the predicted uninstall's dry run
    // shows it cannot go, and the catalogs say the GZ's release has no version of it, so no
    // attach can succeed: auto re-creates the image without attaching to find out first
    // (before, it attached once more).
    let sim = postgres_world(|t| {
        t.replacen(
            "name = \"SUNWcs\"\nkind = \"core\"",
            "name = \"SUNWcs\"\nkind = \"core\"\ndepends = [\"database/postgresql-12\"]",
            1,
        )
    });
    let events = rescue(&sim, "pg01", &["--allow-destructive"]);
    let s = events.last().unwrap();
    assert_eq!(s["result"], "attached", "{s}");
    let rungs: Vec<&str> = events
        .iter()
        .filter(|e| e["event"] == "step-start" && e["name"] != "snapshot")
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    assert_eq!(rungs, ["uninstall", "image-create"], "{rungs:?}");
    assert_eq!(s["attempts"], 1, "{s}");
    let applied = sim_support::applied_remedies(s);
    assert!(!applied.contains("uninstall"), "{applied:?}");
    assert!(
        !sim_support::audit(&sim.dir).iter().any(|a| a.argv.iter().any(|x| x == "-v")
            && a.argv.contains(&"uninstall".to_string())
            && !a.argv.contains(&"-n".to_string())),
        "a real uninstall ran"
    );
}

/// The PostgreSQL world with `extra` appended to pg01's packages and `defs` to the scenario.
fn postgres_world_with(extra: &str, defs: &str) -> Sim {
    let old = "\"database/postgresql-12/contrib\"]";
    let text = std::fs::read_to_string(sim_support::scenario("omnios-postgres-removed")).unwrap();
    assert!(text.contains(old), "scenario changed: adjust this test");
    let text = text.replacen(old, &format!("\"database/postgresql-12/contrib\", {extra}]"), 1);
    Sim::from_text(&format!("{text}\n{defs}"))
}

#[test]
fn the_predicted_remedies_share_one_attach() {
    // pg01 also keeps a publisher of its own whose server is gone: zone-publishers and the
    // predicted uninstall both go before the first attach.
    let base = std::fs::read_to_string(sim_support::scenario("omnios-postgres-removed")).unwrap();
    let old = "publishers = [{ name = \"omnios\", origins = [\"https://pkg.omnios.org/r151046/core/\"] }]";
    assert!(base.contains(old), "scenario changed: adjust this test");
    let text = base.replacen(
        old,
        "publishers = [{ name = \"omnios\", origins = [\"https://pkg.omnios.org/r151046/core/\"] }, \
         { name = \"local\", origins = [\"http://pkg.internal.example/\"] }]",
        1,
    );
    let sim = Sim::from_text(&text);
    let scn = sim.tmp.path().join("scenario.toml");
    let events = rescue(&sim, "pg01", &[]);
    let s = events.last().unwrap();
    assert_eq!(s["result"], "attached", "{s}");
    let k = keys(&events);
    assert!(
        k.contains("zone.publisher-unreachable") && k.contains("zone.package-obsolete"),
        "{k:?}"
    );
    assert_eq!(s["attempts"], 1, "both remedies before one attach: {s}");
    assert_eq!(sim_support::applied_remedies(s), sim_support::oracle_gentlest(&scn, "pg01"));
}

#[test]
fn a_package_no_catalog_knows_leaves_the_prediction_to_the_attach() {
    // An app package gone at r151040, before the GZ repository's records start: no catalog
    // knows it, and a core package might require it — the attach judges, PostgreSQL or not.
    let sim = postgres_world_with(
        "\"ooce/util/oldtool\"",
        "[[packages]]\nname = \"ooce/util/oldtool\"\nkind = \"app\"\nremoved_at = 151040\n",
    );
    let events = rescue(&sim, "pg01", &[]);
    let s = events.last().unwrap();
    assert_eq!(s["result"], "attached", "{s}");
    let k = keys(&events);
    assert!(
        k.contains("zone.package-obsolete") && !k.contains("attach.predicted-failure"),
        "{k:?}"
    );
    assert!(!k.contains("zone.core-package-unknown"), "{k:?}");
    assert_eq!(first_rung(&events), "attach");
}

#[test]
fn a_core_package_no_catalog_knows_is_reported() {
    let sim = postgres_world_with(
        "\"system/kernel/oldfw\"",
        "[[packages]]\nname = \"system/kernel/oldfw\"\nkind = \"core\"\nremoved_at = 151040\n",
    );
    let events = rescue(&sim, "pg01", &[]);
    let f = events
        .iter()
        .find(|e| e["event"] == "finding" && e["key"] == "zone.core-package-unknown")
        .unwrap_or_else(|| panic!("no finding: {:?}", keys(&events)));
    assert!(f["title"].as_str().unwrap().contains("system/kernel/oldfw"), "{f}");
    assert_eq!(first_rung(&events), "attach");
    // Without consent image-create is not run: the run ends cleanly, the zone as it was.
    assert_ne!(events.last().unwrap()["result"], "attached");
}

#[test]
fn zone_publishers_does_not_test_again_what_preflight_tested() {
    // app12 keeps `site` (reachable) and `local` (dead): preflight refreshed both from the
    // global zone; the rung removes `local` without refreshing `site` a second time.
    let sim = Sim::new("solaris11-zone-internal-repo");
    let events = rescue(&sim, "app12", &[]);
    let s = events.last().unwrap();
    assert_eq!(s["result"], "attached", "{s}");
    let refreshes: Vec<Vec<String>> = sim_support::audit(&sim.dir)
        .into_iter()
        .filter(|a| a.argv.iter().any(|x| x == "refresh") && a.argv.iter().any(|x| x == "-R"))
        .map(|a| a.argv)
        .collect();
    assert_eq!(refreshes.len(), 1, "{refreshes:?}");
    assert!(refreshes[0].ends_with(&["site".to_string(), "local".to_string()]), "{refreshes:?}");
    // Its plan names what preflight found, and tests nothing again.
    let plan = plan_of(&events, "zone-publishers");
    assert!(plan.contains("unset-publisher local\""), "{plan}");
    assert!(!plan.contains("reachability test") && !plan.contains('<'), "{plan}");
}

/// A dry run refreshes nothing, so the plan says which publishers it would test and that
/// those failing are removed.
#[test]
fn a_dry_run_plan_of_zone_publishers_names_its_reachability_tests() {
    let sim = Sim::new("solaris11-zone-internal-repo");
    let events = rescue(&sim, "app12", &["--dry-run", "--strategy", "zone-publishers"]);
    let plan = plan_of(&events, "zone-publishers");
    assert!(plan.contains("refresh site   (reachability test)"), "{plan}");
    assert!(plan.contains("refresh local   (reachability test)"), "{plan}");
    assert!(plan.contains("unset-publisher <each that fails its reachability test>"), "{plan}");
}

/// The commands rung `rung` announced when it started (a JSON array, as text).
fn plan_of(events: &[Value], rung: &str) -> String {
    let start = events.iter().find(|e| e["event"] == "step-start" && e["name"] == rung);
    start.map(|e| e["commands"].to_string()).unwrap_or_default()
}

/// The reason given when rung `rung` started.
fn reason_of(events: &[Value], rung: &str) -> String {
    sim_support::event_field(events, "step-start", rung, "reason")
}

#[test]
fn a_disabled_gz_publisher_stays_out_of_the_first_attach_on_solaris11_express() {
    // `pkg refresh` refuses a disabled publisher, and this release's attach re-creates and
    // refreshes it in the zone: gz-publishers goes first, no diagnosing attach.
    let sim = Sim::new("s11express-disabled-gz-publisher");
    let before = sim.run("pkg", &["publisher", "-H", "-F", "tsv"]).stdout;
    let events = rescue(&sim, "mail01", &[]);
    let s = events.last().unwrap();
    assert_eq!(s["result"], "attached", "{s}");
    assert_eq!(s["attempts"], 1, "{s}");
    assert_eq!(first_rung(&events), "gz-publishers");
    assert!(reason_of(&events, "gz-publishers").contains("gz.publisher-disabled"));
    assert_eq!(sim.run("pkg", &["publisher", "-H", "-F", "tsv"]).stdout, before);
}

#[test]
fn a_disabled_gz_publisher_on_a_tested_origin_changes_nothing() {
    // The same disabled publisher, but on the origin the enabled primary just answered from:
    // nothing is predicted, the plain attach works.
    let text = std::fs::read_to_string(sim_support::scenario("s11express-disabled-gz-publisher"))
        .unwrap()
        .replacen(
            "origins = [\"http://pkg.example.org/contrib/\"]",
            "origins = [\"http://pkg.oracle.com/solaris/release/\"]",
            1,
        );
    assert!(text.contains("name = \"contrib\"\norigins = [\"http://pkg.oracle.com"));
    let sim = Sim::from_text(&text);
    let events = rescue(&sim, "mail01", &[]);
    let s = events.last().unwrap();
    assert_eq!(s["result"], "attached", "{s}");
    assert_eq!(first_rung(&events), "attach");
    assert_eq!(s["strategies_applied"], serde_json::json!(["attach"]), "{s}");
}

#[test]
fn a_disabled_gz_publisher_elsewhere_is_left_to_the_attach() {
    // OpenIndiana copies it into the zone disabled and does not refresh it: harmless there.
    let sim = Sim::new("openindiana-disabled-gz-publisher");
    let events = rescue(&sim, "www01", &[]);
    let s = events.last().unwrap();
    assert_eq!(s["result"], "attached", "{s}");
    assert_eq!(first_rung(&events), "attach");
    assert!(!reason_of(&events, "attach").contains("gz.publisher-disabled"));
}

#[test]
fn the_report_says_the_gz_publishers_are_back() {
    let sim = Sim::new("s11express-disabled-gz-publisher");
    let out = sim_support::zonerescue(&sim.dir)
        .env("NO_COLOR", "1")
        .args(["--yes", "mail01"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("global-zone publishers: as they were"), "{text}");
}

/// Preflight's `pkg refresh` of the global zone's publishers runs out its time limit: it
/// cannot tell whether they answer, and a finding says so with the command to check by hand
/// (before, nothing did, and the run went on as if every one had answered). The zone's own
/// publisher is still tested, and the rescue goes on.
#[test]
fn a_reachability_test_that_cannot_tell_says_so() {
    let path = sim_support::scenario("openindiana-zone-internal-repo");
    let text = std::fs::read_to_string(&path).unwrap()
        + "\n[[faults]]\ncommand = \"pkg refresh\"\nnth = 1\nhang_s = 1000\n";
    let sim = Sim::from_text(&text);
    let out = sim_support::zonerescue(&sim.dir)
        .args(["--yes", "--json", "--timeout", "pkg=3"])
        .env("ZONESIM_SPEED", "100")
        .arg("app01")
        .output()
        .unwrap();
    let events: Vec<Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let f = events
        .iter()
        .find(|e| e["event"] == "finding" && e["key"] == "publisher.reachability-unknown")
        .unwrap_or_else(|| panic!("no finding: {events:?}"));
    let title = f["title"].as_str().unwrap();
    assert!(title.contains("reaches its publisher(s) openindiana.org"), "{f}");
    assert!(f.to_string().contains("did not finish within 3s"), "{f}");
    assert!(f.to_string().contains("pkg refresh openindiana.org"), "{f}");
    assert!(keys(&events).contains("zone.publisher-unreachable"), "{events:?}");
    assert_eq!(events.last().unwrap()["result"], "attached", "{:?}", events.last());
}

/// Fidelity kk F1, F2: a halted installed zone's boot environment is mounted nowhere
/// (`canmount=noauto`), so `pkg -R ZONEROOT` finds no image. zonerescue refused the zone,
/// telling the operator to run it again "once those commands work", which never happens. It
/// reads the image once the ipkg detach has mounted it (or the solaris attach has), and
/// rescues the zone as it does one whose boot environment is mounted: the same remedies, the
/// same packages kept.
#[test]
fn a_halted_zone_whose_boot_environment_is_mounted_nowhere_is_rescued() {
    let unmounted = |t: &str| t.replacen("[[zones]]\n", "[[zones]]\nroot_mounted = false\n", 1);
    // (regress mm F5: the package report of the last was empty when unmounted.)
    for (scenario, zone) in [
        ("openindiana-zone-internal-repo", "app01"),
        ("solaris11-image-update", "php11"),
        ("omnios-postgres-removed", "pg01"),
    ] {
        let text = std::fs::read_to_string(sim_support::scenario(scenario)).unwrap();
        let mounted = Sim::from_text(&text);
        let (events, _) = sim_support::rescue_json(&mounted.dir, zone, &[]);
        let want = events.last().unwrap().clone();
        let sim = Sim::from_text(&unmounted(&text));
        let root = sim.root(zone);
        let read = sim.run("pkg", &["-R", &root, "info", "entire"]);
        assert!(read.code != 0 && read.stderr.contains("No image rooted at"), "{}", read.stderr);
        let (events, code) = sim_support::rescue_json(&sim.dir, zone, &[]);
        let s = events.last().unwrap();
        assert_eq!(code, Some(0), "{zone}: {s}");
        assert_eq!(s["result"], "attached", "{zone}");
        assert_eq!(sim.state(zone), "installed", "{zone}");
        sim_support::finding(&events, "zone.image-not-mounted");
        assert!(events.iter().all(|e| e["key"] != "preflight.unread"), "{zone}");
        assert_eq!(
            sim_support::applied_remedies(s),
            sim_support::applied_remedies(&want),
            "{zone}: {s}\nmounted: {want}"
        );
        assert_eq!(s["packages_removed"], want["packages_removed"], "{zone}");
        if zone == "pg01" {
            assert_ne!(s["packages_removed"], serde_json::json!([]), "{s}");
        }
    }
}

/// Fidelity ll F2, F3, regress ll F1, F2: what the deferred read of a halted zone's image must
/// still see. The builds the zone's own publisher offers (a step only its mirror has: the
/// renamed package is kept); a zone in step after all (put back as it was with `attach -F`,
/// not updated, its in-zone publisher kept: no rung); a zone newer than the global zone with no
/// image-create to follow (put back as it was, no attach -u); and `--all`, which called a
/// zone it could not read "fine".
#[test]
fn what_a_halted_zones_image_read_after_the_detach_still_decides() {
    let unmounted = |t: &str| t.replacen("[[zones]]\n", "[[zones]]\nroot_mounted = false\n", 1);
    let sim = Sim::from_file(&sim_support::world("openindiana-unmounted-zone-mirror-offers-step"));
    let (events, code) = sim_support::rescue_json(&sim.dir, "app01", &[]);
    assert_eq!(code, Some(0), "{}", events.last().unwrap());
    let listed = sim.run("pkg", &["-R", &sim.root("app01"), "list", "-H"]).stdout;
    assert!(listed.contains("site/tool2"), "renamed, kept: {listed}");

    let text = sim_support::world_text("openindiana-zone-already-in-step");
    let sim = Sim::from_text(&unmounted(&text));
    let (events, code) = sim_support::rescue_json(&sim.dir, "app01", &[]);
    let s = events.last().unwrap();
    assert_eq!((code, &s["result"]), (Some(0), &"attached".into()), "{s}");
    // The plain attach did nothing but the detach and `attach -F` (oracle nn F1).
    assert_eq!(s["strategies_applied"], serde_json::json!([]), "{s}");
    sim_support::finding(&events, "zone.in-step-after-all");
    assert_eq!(sim_support::attach_runs(&sim.dir), 0, "no update: {s}");
    let pubs = sim.run("pkg", &["-R", &sim.root("app01"), "publisher", "-H"]).stdout;
    assert!(pubs.contains("local"), "{pubs}");
    // Oracle nn F1: nothing applied (a dead GZ publisher's gz-publishers was said applied).
    let sim = Sim::from_file(&sim_support::world("omnios-in-step-unmounted-dead-gz-publisher"));
    let (events, code) = sim_support::rescue_json(&sim.dir, "zb", &[]);
    let s = events.last().unwrap();
    assert_eq!((code, &s["strategies_applied"]), (Some(0), &serde_json::json!([])), "{s}");
    let audit = sim_support::audit(&sim.dir);
    assert!(!audit.iter().any(|a| a.argv.iter().any(|x| x == "set-publisher")), "{s}");
    assert!(!s["next_steps"].to_string().contains("undo everything"), "nothing to undo: {s}");

    let text = sim_support::world_text("omnios-zone-newer-than-gz");
    let sim = Sim::from_text(&unmounted(&text));
    let (events, code) = sim_support::rescue_json(&sim.dir, "moved01", &[]);
    let s = events.last().unwrap();
    assert_eq!((code, &s["result"]), (Some(1), &"failed".into()), "{s}");
    assert_eq!(sim.state("moved01"), "installed", "{s}");
    assert_eq!(sim_support::attach_runs(&sim.dir), 0, "{s}");
    assert!(s["message"].as_str().unwrap().contains("attached again as it was"), "{s}");

    let text = std::fs::read_to_string(sim_support::scenario("solaris11-image-update")).unwrap();
    let sim = Sim::from_text(&unmounted(&text));
    let out = sim_support::zonerescue(&sim.dir).args(["--all", "--json"]).output().unwrap();
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["zones"][0]["status"], "needs-rescue", "{r}");
    assert_eq!(out.status.code(), Some(1));
}

/// Regress mm F1, F2, F4, F6: the solaris brand's detach mounts nothing, so a halted zone's
/// image is read after its first attach. Newer than the global zone: put back as it was with
/// `attach -F`, installed, not left detached; in step after all: the same, its in-zone
/// publisher kept (zone-publishers had removed it). image-create is not run on the empty
/// mountpoint: the first attach mounts the image it re-creates; on ipkg an in-step zone is not
/// re-created once the detach shows it in step, even with consent.
#[test]
fn a_solaris_zones_image_read_after_its_first_attach_still_decides() {
    let newer = sim_support::world_text("s11-halted-zone-unmounted");
    for strategy in ["auto", "ladder", "attach"] {
        let sim = Sim::from_text(&newer);
        let (events, code) = sim_support::rescue_json(&sim.dir, "z1", &["--strategy", strategy]);
        let s = events.last().unwrap();
        assert_eq!((code, &s["result"]), (Some(1), &"failed".into()), "{strategy}: {s}");
        assert_eq!(sim.state("z1"), "installed", "{strategy}: {s}");
        assert_eq!(sim_support::attach_runs(&sim.dir), 1, "{strategy}: {s}");
        assert!(s["message"].as_str().unwrap().contains("attached again as it was"), "{s}");
    }

    let in_step = newer
        .replace("entire = 185", "entire = 183")
        .replace("5a1e0c77-0000-4000-8000-000000000111", "9b0e57a4-6f3e-4c1b-8e0d-2f1c7a5d3e21")
        .replace(
            r#"publishers = [{ name = "solaris", origins = ["http://pkg.oracle.com/solaris/new/"] }]"#,
            r#"publishers = [{ name = "solaris", origins = ["http://pkg.oracle.com/solaris/release/"] }, { name = "local", origins = ["http://10.0.5.12:10000/"] }]"#,
        );
    assert_ne!(in_step, newer);
    let sim = Sim::from_text(&in_step);
    let (events, code) = sim_support::rescue_json(&sim.dir, "z1", &[]);
    let s = events.last().unwrap();
    assert_eq!((code, &s["result"]), (Some(0), &"attached".into()), "{s}");
    sim_support::finding(&events, "zone.in-step-after-all");
    assert_eq!(s["strategies_applied"], serde_json::json!(["attach"]), "{s}");
    let pubs = sim.run("pkg", &["-R", &sim.root("z1"), "publisher", "-H"]).stdout;
    assert!(pubs.contains("local"), "{pubs}");

    // With consent, image-create is what gets a newer zone past: on the image the first
    // attach mounted, never on the empty mountpoint the detach left (fidelity ss F1).
    let with_consent = ["--strategy", "image-create", "--allow-destructive"];
    let sim = Sim::from_text(&newer);
    let (events, code) = sim_support::rescue_json(&sim.dir, "z1", &with_consent);
    let s = events.last().unwrap();
    assert_eq!((code, &s["result"]), (Some(0), &"attached".into()), "{s}");
    assert_eq!(s["strategies_applied"], serde_json::json!(["attach", "image-create"]), "{s}");
    let audit = sim_support::audit(&sim.dir);
    let first_attach = audit.iter().position(|e| e.argv.iter().any(|a| a == "attach")).unwrap();
    let created = audit.iter().position(|e| e.argv.iter().any(|a| a == "image-create")).unwrap();
    assert!(first_attach < created, "{s}");

    let unmounted = |t: &str| t.replacen("[[zones]]\n", "[[zones]]\nroot_mounted = false\n", 1);
    let sim =
        Sim::from_text(&unmounted(&sim_support::world_text("openindiana-zone-already-in-step")));
    let (events, code) = sim_support::rescue_json(&sim.dir, "app01", &with_consent);
    let s = events.last().unwrap();
    assert_eq!((code, &s["result"]), (Some(0), &"attached".into()), "{s}");
    assert!(!ran_image_create(&sim.dir), "{s}");
    sim_support::finding(&events, "zone.in-step-after-all");
}

fn ran_image_create(dir: &std::path::Path) -> bool {
    sim_support::audit(dir).iter().any(|e| e.argv.iter().any(|a| a == "image-create"))
}
