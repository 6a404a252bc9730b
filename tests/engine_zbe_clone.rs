//! Solaris 11: a zone whose active ZBE belongs to an older global-zone BE that still exists is
//! cloned by its first `attach -u` (solaris-0) and runs from the clone from then on; the brand
//! promotes the clone, which moves the older snapshots (zonerescue's `@…-pre` included) to it
//! (reference §2.6 `clone_zbe`). Undoing the rescue must return the zone to the image it had
//! before: the original ZBE, at the pre-rescue snapshot, the zone's boot environment again.
//! Before, the run took a "pre-rescue" snapshot of the clone *after* the attach, and `rollback`
//! said "image rolled back" to it while the zone kept the updated image; after a kill during
//! the attach it rolled back the original while the zone ran from the clone.

use std::process::Command;

mod sim_support;
use serde_json::Value;
use sim_support::Sim;

const ZONE: &str = "pg11";
const OLD: &str = "rpool/zones/pg11/rpool/ROOT/solaris";
const CLONE: &str = "rpool/zones/pg11/rpool/ROOT/solaris-0";

const DB: &str = "db1";
const DB_OLD: &str = "rpool/zones/db1/rpool/ROOT/solaris";
const DB_CLONE: &str = "rpool/zones/db1/rpool/ROOT/solaris-0";
const DB_WORLD: &str = "s11-zbe-of-older-gz-be-gz-publishers";

fn show(sim: &Sim) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_zonesim"))
        .args(["show", "--json"])
        .arg(&sim.dir)
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).unwrap()
}

fn dataset(sim: &Sim, ds: &str) -> Option<Value> {
    show(sim)["datasets"].as_array().unwrap().iter().find(|d| d["name"] == ds).cloned()
}

/// The package stems and entire build of dataset `ds` in the simulated world.
fn image_of(sim: &Sim, ds: &str) -> (Vec<String>, u64) {
    let d = dataset(sim, ds).unwrap_or_else(|| panic!("no dataset {ds}"));
    let img = &d["image"];
    let pkgs = img["packages"]
        .as_array()
        .map(|a| a.iter().filter_map(|p| p["name"].as_str().map(String::from)).collect())
        .unwrap_or_default();
    (pkgs, img["entire"].as_u64().unwrap_or(0))
}

/// The ZBE the zone runs from, by the brand's rule (parentbe == running GZ BE and active=on,
/// else the only active one), and its whole image (packages, publishers, files, history).
fn zone_image(sim: &Sim, zone: &str) -> (String, Value) {
    let w = show(sim);
    let gz = w["global"]["be_uuid"].as_str().unwrap().to_string();
    let prefix = format!("rpool/zones/{zone}/rpool/ROOT/");
    let zbes: Vec<&Value> = w["datasets"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| {
            d["name"].as_str().unwrap().strip_prefix(&prefix).is_some_and(|r| !r.contains('/'))
        })
        .filter(|d| d["props"]["org.opensolaris.libbe:active"] == "on")
        .collect();
    let mine: Vec<&&Value> = zbes
        .iter()
        .filter(|d| d["props"]["org.opensolaris.libbe:parentbe"] == gz.as_str())
        .collect();
    let d = match (mine.as_slice(), zbes.as_slice()) {
        ([one], _) => **one,
        ([], [one]) => *one,
        _ => panic!("no single active ZBE for {zone}: {zbes:#?}"),
    };
    (d["name"].as_str().unwrap().to_string(), d["image"].clone())
}

/// The zone's files as they are on disk under its root.
fn files(sim: &Sim, zone: &str) -> Vec<(String, String)> {
    ["etc/motd", "etc/db1.conf"]
        .iter()
        .map(|f| {
            let p = format!("{}/{f}", sim.root(zone));
            (f.to_string(), std::fs::read_to_string(p).unwrap_or_default())
        })
        .collect()
}

fn rollback(sim: &Sim, zone: &str) -> (i32, String, String) {
    let out = sim_support::zonerescue(&sim.dir).args(["rollback", zone, "--yes"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into_owned(), stderr)
}

fn zfs_snapshots(sim: &Sim, zone: &str) -> String {
    let root = format!("rpool/zones/{zone}/rpool/ROOT");
    sim.run("zfs", &["list", "-H", "-t", "snapshot", "-o", "name", "-r", &root]).stdout
}

/// The ZBE a zone runs from and its image; a zone's files (path, content).
type ZoneImage = (String, Value);
type Files = Vec<(String, String)>;

/// The zone's image and files, then a rescue of zone db1 that attaches it: its events.
fn rescue_attached(sim: &Sim) -> (ZoneImage, Files, Vec<Value>) {
    let before = zone_image(sim, DB);
    let files_before = files(sim, DB);
    let (events, code) = sim_support::rescue_json(&sim.dir, DB, &[]);
    let summary = events.last().unwrap();
    assert_eq!((code, &summary["result"]), (Some(0), &"attached".into()), "{summary}");
    (before, files_before, events)
}

/// Round k F6: `rollback --to` the first run's pre-rescue snapshot, from before the attach's
/// clone of the ZBE: `zfs rollback -r` would refuse (the old ZBE is cloned from a later
/// snapshot) and -R would destroy the original image. Refused before the zone is detached;
/// before, the healthy zone was detached and the run stopped with exit 5.
#[test]
fn rollback_to_a_snapshot_before_the_zbe_clone_is_refused_before_detaching() {
    let sim = Sim::from_file(&sim_support::world(DB_WORLD));
    let (_, _, events) = rescue_attached(&sim);
    let first = events.last().unwrap()["pre_snapshot"].as_str().unwrap().to_string();
    let (_, code) = sim_support::rescue_json(&sim.dir, DB, &["--strategy", "gz-publishers"]);
    assert_eq!(code, Some(0));
    let before = zone_image(&sim, DB);
    let short = first.split_once('@').unwrap().1;
    let out = sim_support::zonerescue(&sim.dir)
        .args(["rollback", "--yes", "--to", short, DB])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(stderr.contains(&format!("{DB_OLD} (cloned from {DB_CLONE}@")), "{stderr}");
    assert!(stderr.contains("nothing was changed"), "{stderr}");
    assert_eq!(sim.state(DB), "installed");
    assert_eq!(zone_image(&sim, DB), before);
}

#[test]
fn a_failed_run_returns_the_zone_to_its_original_zbe_at_the_pre_rescue_snapshot() {
    let sim = Sim::from_file(&sim_support::world("s11-zbe-of-older-gz-be-image-create-fails"));
    let before = zone_image(&sim, ZONE);
    let (events, code) = sim_support::rescue_json(&sim.dir, ZONE, &["--allow-destructive"]);
    let summary = events.last().unwrap();
    assert_eq!(summary["result"], "failed", "{summary}");
    assert_eq!(code, Some(1));
    assert!(
        events.iter().any(|e| e["key"] == "zbe.cloned-by-attach"),
        "the clone is reported: {events:#?}"
    );
    // The attach cloned and promoted; undoing the run promotes the original back and rolls it
    // back, destroying the clone: the layout and the image from before the rescue.
    let pre = summary["pre_snapshot"].as_str().unwrap();
    assert!(pre.starts_with(&format!("{OLD}@")), "{pre}");
    assert!(summary["message"].as_str().unwrap().contains("is destroyed"), "{summary}");
    assert_eq!(zone_image(&sim, ZONE), before);
    let (pkgs, entire) = image_of(&sim, OLD);
    assert_eq!(entire, 175);
    assert_eq!(pkgs, ["system/core-os", "system/library", "database/postgres-84"]);
    assert!(dataset(&sim, CLONE).is_none(), "the clone the attach made is gone");
    assert_eq!(sim.state(ZONE), "configured");
}

/// `zonerescue` then `zonerescue rollback`: the zone runs from its original ZBE again with
/// exactly the image (packages, entire, publishers, files) it had before the rescue.
#[test]
fn rollback_after_an_attach_that_cloned_and_promoted_returns_the_pre_rescue_image() {
    let sim = Sim::from_file(&sim_support::world(DB_WORLD));
    let (before, files_before, events) = rescue_attached(&sim);
    let summary = events.last().unwrap();
    // The promote moved the pre-rescue snapshot to the clone: that is the pre-rescue image,
    // and no snapshot of the updated clone passes for it.
    let pre = summary["pre_snapshot"].as_str().unwrap();
    assert!(pre.starts_with(&format!("{DB_CLONE}@zonerescue-")) && pre.ends_with("-pre"), "{pre}");
    let snaps = zfs_snapshots(&sim, DB);
    assert_eq!(snaps.lines().filter(|l| l.ends_with("-pre")).count(), 1, "{snaps}");
    let (now, img) = zone_image(&sim, DB);
    assert_eq!(now, DB_CLONE);
    assert_eq!(img["entire"], 200, "the attach updated the clone");
    let steps = summary["next_steps"].to_string();
    assert!(steps.contains(&format!("zonerescue rollback {DB}")), "{steps}");
    assert!(
        !steps.contains("zfs rollback -r"),
        "a plain zfs rollback cannot undo a clone: {steps}"
    );

    let (code, out, err) = rollback(&sim, DB);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("image rolled back") && out.contains("destroyed"), "{out}");
    assert_eq!(zone_image(&sim, DB), before, "the zone's image as before the rescue");
    assert_eq!(before.0, DB_OLD);
    assert_eq!(files(&sim, DB), files_before);
    assert!(dataset(&sim, DB_CLONE).is_none());
    assert_eq!(sim.state(DB), "configured");
    // And it attaches again from there.
    let (events, code) = sim_support::rescue_json(&sim.dir, DB, &[]);
    assert_eq!(code, Some(0), "{:#}", events.last().unwrap());
}

/// Without the promote (a fault here) the pre-rescue snapshot stays on the original ZBE: the
/// run keeps naming it, /etc is not compared with a snapshot it cannot see, and `rollback`
/// makes the original the zone's ZBE again at that snapshot.
#[test]
fn rollback_after_an_unpromoted_clone_returns_the_pre_rescue_image() {
    let text = format!(
        "{}\n[[faults]]\nkind = \"zbe-promote-fails\"\nzone = \"{DB}\"\n",
        sim_support::world_text(DB_WORLD)
    );
    let sim = Sim::from_text(&text);
    let (before, files_before, events) = rescue_attached(&sim);
    let summary = events.last().unwrap();
    let pre = summary["pre_snapshot"].as_str().unwrap();
    assert!(pre.starts_with(&format!("{DB_OLD}@zonerescue-")), "{pre}");
    let snaps = zfs_snapshots(&sim, DB);
    assert!(
        !snaps.contains(&format!("{DB_CLONE}@zonerescue-")),
        "no snapshot of the updated clone: {snaps}"
    );
    assert!(
        !events.iter().any(|e| e["key"] == "config.unchanged"),
        "/etc compared with a snapshot that is not the pre-rescue image: {events:#?}"
    );
    assert_eq!(zone_image(&sim, DB).1["entire"], 200);
    // `snapshots` lists it, on the ZBE the run started from (before: "no zonerescue
    // snapshots" of the clone).
    let out = sim_support::zonerescue(&sim.dir).args(["snapshots", DB]).output().unwrap();
    let listed = String::from_utf8_lossy(&out.stdout);
    assert!(listed.contains(&format!("{pre}  run ")), "{listed}");
    assert!(listed.contains("(pre-rescue snapshot of the last run: kept)"), "{listed}");

    let (code, out, err) = rollback(&sim, DB);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(zone_image(&sim, DB), before);
    assert_eq!(files(&sim, DB), files_before);
    assert!(dataset(&sim, DB_CLONE).is_none());
}

/// A run SIGKILLed during the attach that clones the ZBE never learns of the clone; `status`
/// and `rollback` find the ZBE the zone runs from by the brand's rule and undo the rescue.
#[test]
fn rollback_after_a_kill_during_the_cloning_attach_returns_the_pre_rescue_image() {
    let sim = Sim::from_file(&sim_support::world(DB_WORLD));
    let before = zone_image(&sim, DB);
    let files_before = files(&sim, DB);
    let gz_before = sim.run("pkg", &["publisher", "-H", "-F", "tsv"]).stdout;
    sim_support::kill_at_command(&sim.dir, DB, "attach -u");
    let journal: Value = serde_json::from_slice(
        &std::fs::read(sim.dir.join("state").join(DB).join("journal.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(journal["active_zbe"], DB_OLD, "the killed run never learnt of the clone");

    let status = sim_support::zonerescue(&sim.dir).args(["status", DB]).output().unwrap();
    let status = String::from_utf8_lossy(&status.stdout).into_owned();
    assert!(status.contains(&format!("zone boot environment now: {DB_CLONE}")), "{status}");

    let (code, out, err) = rollback(&sim, DB);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains(&format!("{DB_OLD} is the zone's boot environment again")), "{out}");
    assert_eq!(zone_image(&sim, DB), before, "the zone's image as before the rescue");
    assert_eq!(files(&sim, DB), files_before);
    assert!(dataset(&sim, DB_CLONE).is_none());
    assert_eq!(sim.run("pkg", &["publisher", "-H", "-F", "tsv"]).stdout, gz_before);
    assert_eq!(sim.state(DB), "configured");
}

#[test]
fn two_active_zbes_of_older_gz_bes_are_refused_with_the_brands_own_way_to_choose() {
    // Flipping org.opensolaris.libbe:active by hand could take a ZBE from the global-zone BE
    // it belongs to; the solaris brand's `attach -z ZBE` claims one (reference §2.6).
    let sim = Sim::from_file(&sim_support::world("s11-two-active-zbes-of-older-gz-bes"));
    let (events, code) = sim_support::rescue_json(&sim.dir, "db1", &[]);
    assert_eq!(code, Some(3), "{:?}", events.last());
    let f = events.iter().find(|e| e["key"] == "zbe.ambiguous").expect("zbe.ambiguous");
    let fix = f["remediation"].as_str().unwrap();
    // Advice round ee F3: the zone is installed, which zoneadm refuses to attach: detached
    // first (the advice was the attach alone, which failed "is already installed").
    assert_eq!(sim.state("db1"), "installed");
    let advice = "zoneadm -z db1 detach, then zoneadm -z db1 attach -u -z ZBE, ZBE one of solaris, solaris-0";
    assert!(fix.contains(advice), "{fix}");
    assert!(sim_support::audit(&sim.dir).iter().all(|a| a.argv[0] != "zfs" || a.argv[1] == "list"));
    assert_eq!(sim.run("zoneadm", &["-z", "db1", "detach"]).code, 0);
    assert_eq!(sim.state("db1"), "configured");
}

/// Round p F4: the first run's attach cloned the ZBE; the operator rolls it back partway, a
/// second run attaches. The zone before any rescue (the first run's pre-rescue snapshot) is
/// one `rollback --to` cannot return to from here (a clone depends on a later snapshot):
/// the second run names it without offering that refused command.
#[test]
fn the_zone_before_any_rescue_is_not_offered_by_a_rollback_that_would_be_refused() {
    let sim = Sim::from_file(&sim_support::world("s11-cloned-zbe-dead-gz-publisher"));
    let (events, code) = sim_support::rescue_json(&sim.dir, "php11", &[]);
    assert_eq!(code, Some(0), "{:#}", events.last().unwrap());
    let snaps = sim.run("zfs", &["list", "-H", "-t", "snapshot", "-o", "name"]).stdout;
    let step = snaps.lines().find(|l| l.contains("03-incremental")).expect("the rung's snapshot");
    let back = sim_support::zonerescue(&sim.dir)
        .args(["--yes", "rollback", "--to", step, "php11"])
        .output()
        .unwrap();
    assert!(back.status.success(), "{}", String::from_utf8_lossy(&back.stderr));
    let (events, code) = sim_support::rescue_json(&sim.dir, "php11", &[]);
    let s = events.last().unwrap();
    assert_eq!(code, Some(0), "{s}");
    let next = s["next_steps"].to_string();
    assert!(next.contains("the zone before any rescue"), "{next}");
    assert!(next.contains("cannot return to it"), "{next}");
    assert!(!next.contains("rollback php11 --to"), "a refused command is offered: {next}");
}

/// Round v F3: after a rescue that moved the zone to the attach's clone, the global zone boots
/// a newer BE and the operator's own `attach -u` fails (two active ZBEs, neither of the
/// running BE). Which ZBE the zone runs from cannot be told: `rollback` refuses, changing
/// nothing, and gives the steps by hand. Before, it read the run as one without a clone and
/// told the operator to run `zonerescue rollback db1`, the command that had just refused.
#[test]
fn rollback_after_the_gz_booted_another_be_gives_the_steps_by_hand() {
    let sim = Sim::from_file(&sim_support::world(DB_WORLD));
    rescue_attached(&sim);
    let path = sim.dir.join("world.json");
    let mut w: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let g = &mut w["global"];
    let old = serde_json::json!([g["be"].clone(), g["be_uuid"].clone()]);
    g["other_bes"].as_array_mut().unwrap().push(old);
    g["be"] = "s11.4-sru40".into();
    g["be_uuid"] = "0c2f6d3e-2b7c-4a55-b6a5-114000000040".into();
    std::fs::write(&path, serde_json::to_string(&w).unwrap()).unwrap();
    sim.detach(DB);
    assert_ne!(sim.run("zoneadm", &["-z", DB, "attach", "-u"]).code, 0);
    let before = show(&sim)["datasets"].clone();
    let out = sim_support::zonerescue(&sim.dir).args(["rollback", "--yes", DB]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(stderr.contains("cannot be told"), "{stderr}");
    assert!(stderr.contains("By hand:"), "{stderr}");
    assert!(!stderr.contains(&format!("`zonerescue rollback {DB}`")), "{stderr}");
    assert_eq!(show(&sim)["datasets"], before, "nothing may change");
}

/// Worlds round y F2: the rung's snapshot, taken on the original ZBE before the attach that
/// cloned and promoted it, moved to the clone with the promote: the summary and the journal
/// name it there (they named it on the original, where `zfs list` and `rollback --to` found
/// nothing).
#[test]
fn every_snapshot_a_run_names_exists_where_it_is_named_after_the_promote() {
    let sim = Sim::from_file(&sim_support::world("s11-rung-snapshot-moved-by-promote"));
    let (events, code) = sim_support::rescue_json(&sim.dir, "bill", &[]);
    let summary = events.last().unwrap();
    assert_eq!(code, Some(0), "{summary}");
    let status =
        sim_support::zonerescue(&sim.dir).args(["--json", "status", "bill"]).output().unwrap();
    let status: Value = serde_json::from_slice(&status.stdout).unwrap();
    let journal_named =
        status["steps"].as_array().unwrap().iter().filter_map(|s| s["snapshot"].as_str());
    let named: Vec<&str> = summary["snapshots"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .chain(journal_named)
        .collect();
    assert!(named.iter().any(|n| n.contains("zone-publishers")), "no rung snapshot: {named:?}");
    let listed = sim.run("zfs", &["list", "-H", "-t", "snapshot", "-o", "name"]).stdout;
    for n in &named {
        assert!(n.starts_with("rpool/zones/bill/rpool/ROOT/solaris-0@"), "{n} (of {named:?})");
        assert!(listed.lines().any(|l| l == *n), "{n} does not exist:\n{listed}");
    }
}

/// Worlds round z F1: killed during the attach that clones and promotes the ZBE, then
/// `resume`: the run follows the clone as if it had seen it, so the snapshots it names (its
/// summary, the journal's pre-rescue snapshot) are where the promote moved them. Before, they
/// were named on the old ZBE, where zfs had none.
#[test]
fn resume_after_a_kill_during_the_cloning_attach_names_the_moved_snapshots() {
    let sim = Sim::from_file(&sim_support::world(DB_WORLD));
    sim_support::kill_at_command(&sim.dir, DB, "attach -u");
    let out =
        sim_support::zonerescue(&sim.dir).args(["--json", "--yes", "resume", DB]).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let s: Value = serde_json::from_str(stdout.lines().last().unwrap()).unwrap();
    assert_eq!(s["result"], "attached", "{s}");
    let listed = sim.run("zfs", &["list", "-H", "-t", "snapshot", "-o", "name"]).stdout;
    let journal: Value = serde_json::from_slice(
        &std::fs::read(sim.dir.join("state").join(DB).join("journal.json")).unwrap(),
    )
    .unwrap();
    let named = s["snapshots"].as_array().unwrap().iter().chain([&journal["pre_snapshot"]]);
    for n in named.map(|n| n.as_str().unwrap()) {
        assert!(listed.lines().any(|l| l == n), "{n} does not exist:\n{listed}\n{s}");
    }
    assert_eq!(journal["active_zbe"], DB_CLONE, "{journal}");
}

/// Worlds round aa F8: a Solaris 11 ZBE has its `var` child (the default layout). The brand
/// clones and promotes it recursively, so the original's `var` becomes a clone of the clone's
/// `var`; `zfs rollback -R` to the pre-rescue snapshot would destroy it as a dependent unless
/// it is promoted back with the original. The rollback leaves the original with its `var`,
/// both at the pre-rescue snapshot. (Before, zonesim cloned no child, which hid this.)
#[test]
fn rollback_after_a_clone_keeps_the_original_zbes_var_child() {
    let text = sim_support::world_text(DB_WORLD)
        .replace("active = true }", "active = true, children = [\"var\"] }");
    let sim = Sim::from_text(&text);
    let (_, _, events) = rescue_attached(&sim);
    let pre = events.last().unwrap()["pre_snapshot"].as_str().unwrap().to_string();
    assert!(dataset(&sim, &format!("{DB_CLONE}/var")).is_some(), "the clone has its var");
    let (code, out, err) = rollback(&sim, DB);
    assert_eq!(code, 0, "{out}{err}");
    let var = format!("{DB_OLD}/var");
    assert!(dataset(&sim, &var).is_some(), "the original's var survives: {out}");
    let tag = pre.split_once('@').unwrap().1;
    let snaps = zfs_snapshots(&sim, DB);
    assert!(snaps.lines().any(|l| l == format!("{var}@{tag}")), "{snaps}");
    assert!(
        dataset(&sim, DB_CLONE).is_none() && dataset(&sim, &format!("{DB_CLONE}/var")).is_none()
    );
}

/// Oracle qq F1: the solaris brand attaches the only ZBE of the running GZ BE even when it is
/// not active (its rule 2). zonerescue took the older GZ BE's active ZBE instead: snapshotted
/// it and removed a package from it (the fallback BE's zone lost it), while the attach used
/// the other. The older BE's ZBE is left alone; the snapshots are of the one attached.
#[test]
fn the_older_gz_be_s_zbe_is_not_the_one_rescued() {
    let sim = Sim::from_file(&sim_support::world("s11-zbe-of-running-gz-be-inactive"));
    let old = "rpool/system/zones/two/rpool/ROOT/solaris";
    let before = image_of(&sim, old);
    let (events, _) = sim_support::rescue_json(&sim.dir, "two", &["--strategy", "auto"]);
    let s = events.last().unwrap();
    assert_eq!(image_of(&sim, old), before, "{s}");
    let pre = s["pre_snapshot"].as_str().unwrap_or_default();
    assert!(pre.starts_with(&format!("{old}-0@")), "{s}");
}

/// Ops qq F2: the run's undo of the clone its attach made stopped after the promote, which
/// moved the pre-rescue snapshot back to the original ZBE; the journal still named it on the
/// clone, and `snapshots --prune` destroyed it (rollback was then refused). It is kept, and
/// the rollback afterwards returns the zone to it.
#[test]
fn a_pre_rescue_snapshot_moved_by_a_promote_is_not_pruned() {
    let sim = Sim::from_file(&sim_support::world("s11-clone-undo-stops-after-promote"));
    let (events, _) = sim_support::rescue_json(&sim.dir, "db1", &["--strategy", "gz-publishers"]);
    let s = events.last().unwrap();
    let list = |sim: &Sim| sim.run("zfs", &["list", "-H", "-t", "snapshot", "-o", "name"]).stdout;
    let pre: Vec<String> =
        list(&sim).lines().filter(|l| l.ends_with("-pre")).map(String::from).collect();
    assert_eq!(pre.len(), 1, "{s}");
    let out = sim_support::zonerescue(&sim.dir)
        .args(["snapshots", "--prune", "--yes", "db1"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(list(&sim).lines().any(|l| l == pre[0]), "pruned: {}", list(&sim));
    let (code, _, _) = rollback(&sim, "db1");
    assert_eq!(code, 0);
}
