//! `--json` for the maintenance subcommands against the simulator: `rollback` and
//! `snapshots --prune` print JSON Lines only, the last line a summary for every ending, and
//! `status` without a journal prints an object. Before, rollback ended its command events
//! with a sentence (or printed nothing but a refusal on stderr), prune printed `destroyed …`
//! lines, and status printed words.

mod sim_support;

use serde_json::Value;
use sim_support::Sim;

const PG: &str = "pg01";

/// `zonerescue --json ARGS…`: every stdout line parsed (a line that is not JSON fails the
/// test), and the exit code.
fn json(sim: &Sim, args: &[&str]) -> (Vec<Value>, Option<i32>) {
    let out = sim_support::zonerescue(&sim.dir).arg("--json").args(args).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    let lines = stdout
        .lines()
        .map(|l| {
            serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}\n{stdout}"))
        })
        .collect();
    (lines, out.status.code())
}

/// The last line of `--json ARGS…`, checked to be the summary `event` with schema 1.
fn summary(sim: &Sim, event: &str, args: &[&str]) -> (Value, Option<i32>) {
    let (lines, code) = json(sim, args);
    let last = lines.last().cloned().unwrap_or_else(|| panic!("no output for {args:?}"));
    assert_eq!((&last["event"], &last["schema"]), (&event.into(), &1.into()), "{last}");
    assert!(last["time"].is_u64(), "{last}");
    (last, code)
}

fn rollback(sim: &Sim, zone: &str, extra: &[&str]) -> (Value, Option<i32>) {
    let args: Vec<&str> =
        ["--yes", "rollback"].iter().chain(extra).chain([&zone]).copied().collect();
    summary(sim, "rollback-summary", &args)
}

fn prune(sim: &Sim, zone: &str, extra: &[&str]) -> (Value, Option<i32>) {
    let args: Vec<&str> =
        ["snapshots", "--prune"].iter().chain(extra).chain([&zone]).copied().collect();
    summary(sim, "prune-summary", &args)
}

fn postgres() -> Sim {
    Sim::new("omnios-postgres-removed")
}

/// A rescue of pg01 that attaches it (uninstall): its summary.
fn rescued(sim: &Sim) -> Value {
    let (events, code) = sim_support::rescue_json(&sim.dir, PG, &[]);
    let s = events.last().unwrap().clone();
    assert_eq!((code, &s["result"]), (Some(0), &"attached".into()), "{s}");
    s
}

/// The run's snapshots other than the pre-rescue one (its rungs').
fn rung_snapshots(s: &Value) -> Vec<Value> {
    let pre = &s["pre_snapshot"];
    s["snapshots"].as_array().unwrap().iter().filter(|n| *n != pre).cloned().collect()
}

#[test]
fn status_without_a_run_is_a_json_object() {
    let sim = postgres();
    let (lines, code) = json(&sim, &["status", PG]);
    assert_eq!(code, Some(0));
    assert_eq!(lines.len(), 1, "{lines:?}");
    let s = &lines[0];
    assert_eq!(s["zone"], PG, "{s}");
    assert!(s["journal"].is_null(), "{s}");
    assert_eq!(s["run_starting"], false, "{s}");
    assert!(s["message"].as_str().unwrap().contains("no zonerescue run recorded"), "{s}");
}

#[test]
fn rollback_without_a_run_is_refused() {
    let sim = postgres();
    let (s, code) = rollback(&sim, PG, &[]);
    assert_eq!(code, Some(3), "{s}");
    assert_eq!((&s["zone"], &s["result"]), (&PG.into(), &"refused".into()), "{s}");
    assert!(s["message"].as_str().unwrap().contains("no zonerescue run is recorded"), "{s}");
    assert_eq!(s["destroyed"], serde_json::json!([]), "{s}");
    assert_eq!(sim.state(PG), "installed");
}

#[test]
fn rollback_after_a_run_rolls_back() {
    let sim = postgres();
    let run = rescued(&sim);
    let rungs = rung_snapshots(&run);
    assert!(!rungs.is_empty(), "{run}");
    let (lines, code) = json(&sim, &["--yes", "rollback", PG]);
    let s = lines.last().unwrap();
    assert_eq!(code, Some(0), "{s}");
    // The commands it ran come first, as events.
    assert!(
        lines[..lines.len() - 1]
            .iter()
            .all(|e| e["event"].as_str().unwrap().starts_with("command"))
    );
    assert_eq!((&s["event"], &s["result"]), (&"rollback-summary".into(), &"rolled-back".into()));
    assert_eq!(s["snapshot"], run["pre_snapshot"], "{s}");
    assert_eq!(s["destroyed"], Value::Array(rungs), "{s}");
    assert_eq!(s["zone_state"], "configured", "{s}");
    assert!(s["gz_publishers_restored"].is_null(), "{s}");
    assert!(s["message"].as_str().unwrap().contains("image rolled back to"), "{s}");
    assert_eq!(s["next_steps"][0], format!("zonerescue {PG}"), "{s}");
    assert_eq!(sim.state(PG), "configured");
}

/// A run that applied nothing and tried no attach (uninstall found nothing to remove).
#[test]
fn rollback_after_a_run_that_changed_nothing_has_nothing_to_do() {
    let sim = Sim::from_file(&sim_support::world("s11-dotted-zone-names"));
    let (_, code) = sim_support::rescue_json(&sim.dir, "web", &["--strategy", "uninstall"]);
    assert_eq!(code, Some(1));
    let (lines, code) = json(&sim, &["--yes", "rollback", "web"]);
    assert_eq!(lines.len(), 1, "{lines:?}");
    let s = &lines[0];
    assert_eq!(code, Some(0), "{s}");
    assert_eq!((&s["event"], &s["result"]), (&"rollback-summary".into(), &"nothing-to-do".into()));
    assert!(s["message"].as_str().unwrap().contains("nothing to roll back"), "{s}");
    assert_eq!(s["destroyed"], serde_json::json!([]), "{s}");
    assert_eq!(sim.state("web"), "installed");
}

#[test]
fn rollback_of_a_running_zone_is_refused() {
    let sim = postgres();
    let run = rescued(&sim);
    let boot = sim.run("zoneadm", &["-z", PG, "boot"]);
    assert_eq!(boot.code, 0, "{}", boot.stderr);
    let (s, code) = rollback(&sim, PG, &[]);
    assert_eq!(code, Some(3), "{s}");
    assert_eq!(s["result"], "refused", "{s}");
    assert_eq!(s["zone_state"], "running", "{s}");
    assert_eq!(s["snapshot"], run["pre_snapshot"], "{s}");
    assert!(s["message"].as_str().unwrap().contains("halt it first"), "{s}");
    assert_eq!(sim.state(PG), "running");
}

/// An invalid `--to` is the operator's typing: usage (2), nothing changed.
#[test]
fn rollback_to_an_invalid_name_is_a_usage_error() {
    let sim = postgres();
    rescued(&sim);
    let (s, code) = rollback(&sim, PG, &["--to", "bad name"]);
    assert_eq!((code, &s["result"]), (Some(2), &"usage".into()), "{s}");
    assert!(s["message"].as_str().unwrap().contains("--to"), "{s}");
    assert_eq!(sim.state(PG), "installed");
}

/// Solaris 11, the attach moved the zone to a clone of its ZBE: the clone is among what the
/// rollback destroyed.
#[test]
fn rollback_of_a_cloned_zbe_names_the_clone_destroyed() {
    let sim = Sim::from_file(&sim_support::world("s11-zbe-of-older-gz-be-gz-publishers"));
    let (events, code) = sim_support::rescue_json(&sim.dir, "db1", &[]);
    assert_eq!(code, Some(0), "{}", events.last().unwrap());
    let (s, code) = rollback(&sim, "db1", &[]);
    assert_eq!((code, &s["result"]), (Some(0), &"rolled-back".into()), "{s}");
    let clone = "rpool/zones/db1/rpool/ROOT/solaris-0";
    assert!(s["destroyed"].as_array().unwrap().contains(&clone.into()), "{s}");
    assert!(s["snapshot"].as_str().unwrap().starts_with("rpool/zones/db1/rpool/ROOT/solaris@"));
    assert_eq!(s["zone_state"], "configured", "{s}");
}

#[test]
fn prune_with_nothing_to_prune() {
    let sim = postgres();
    let run = rescued(&sim);
    let (s, code) = prune(&sim, PG, &["--yes"]);
    assert_eq!((code, &s["result"]), (Some(0), &"pruned".into()), "{s}");
    let (lines, code) = json(&sim, &["snapshots", "--prune", "--yes", PG]);
    assert_eq!(lines.len(), 1, "{lines:?}");
    let s = &lines[0];
    assert_eq!(code, Some(0), "{s}");
    assert_eq!((&s["event"], &s["result"]), (&"prune-summary".into(), &"nothing-to-do".into()));
    assert_eq!(s["destroyed"], serde_json::json!([]), "{s}");
    assert_eq!(s["kept"], serde_json::json!([run["pre_snapshot"]]), "{s}");
}

#[test]
fn prune_destroys_the_rung_snapshots() {
    let sim = postgres();
    let run = rescued(&sim);
    let rungs = rung_snapshots(&run);
    assert!(!rungs.is_empty(), "{run}");
    // Without --yes and no terminal: refused, nothing destroyed.
    let (s, code) = prune(&sim, PG, &[]);
    assert_eq!((code, &s["result"]), (Some(3), &"refused".into()), "{s}");
    assert!(s["message"].as_str().unwrap().contains("add --yes"), "{s}");
    let (s, code) = prune(&sim, PG, &["--yes"]);
    assert_eq!((code, &s["result"]), (Some(0), &"pruned".into()), "{s}");
    assert_eq!(s["destroyed"], Value::Array(rungs.clone()), "{s}");
    assert_eq!(s["failed"], serde_json::json!([]), "{s}");
    let left = sim.run("zfs", &["list", "-H", "-t", "snapshot", "-o", "name"]).stdout;
    for r in &rungs {
        assert!(!left.contains(r.as_str().unwrap()), "{r} still there: {left}");
    }
    assert!(left.contains(run["pre_snapshot"].as_str().unwrap()), "{left}");
}

#[test]
fn prune_without_a_run_is_refused() {
    let sim = postgres();
    let (s, code) = prune(&sim, PG, &["--yes"]);
    assert_eq!((code, &s["result"]), (Some(3), &"refused".into()), "{s}");
    // The listing's --json stays the list alone: its refusal is words on stderr.
    let (lines, code) = json(&sim, &["snapshots", PG]);
    assert_eq!((code, lines.len()), (Some(3), 0), "{lines:?}");
}

/// While a run is in its preflight (lock held, no journal yet): status says a run is
/// starting, rollback and prune end `locked` (exit 4).
#[test]
fn a_run_in_its_preflight_is_locked_in_json() {
    let sim = postgres();
    // Slowed down: preflight's catalog refresh lasts seconds.
    let mut run = sim_support::spawn_rescue(&sim.dir, PG, "1", false);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let (lines, _) = json(&sim, &["status", PG]);
        if lines.first().is_some_and(|s| s["run_starting"] == true) {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "status never saw the run: {lines:?}");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let (r, rc) = rollback(&sim, PG, &[]);
    let (p, pc) = prune(&sim, PG, &["--yes"]);
    run.kill().unwrap();
    run.wait().unwrap();
    for (s, code) in [(r, rc), (p, pc)] {
        assert_eq!((code, &s["result"]), (Some(4), &"locked".into()), "{s}");
        assert!(s["message"].as_str().unwrap().contains("has not written its journal yet"), "{s}");
    }
}

/// Round o F3: the rollback detaches the attached zone, then `zfs rollback` fails (the
/// dataset is busy, also on the retry). The zone is down: the summary says so, its
/// `zone_state` is the state now (was "installed", from before the detach), the first next
/// step is the attach that brings the unchanged image back, and status does not say
/// "attached" any more.
#[test]
fn a_rollback_that_fails_after_the_detach_says_the_zone_is_detached() {
    let text = std::fs::read_to_string(sim_support::scenario("omnios-postgres-removed")).unwrap()
        + "\n[[faults]]\ncommand = \"zfs rollback\"\nmatch = \"-pre\"\nexit = 1\n\
           stderr = \"cannot rollback 'rpool/zones/pg01/ROOT/zbe': dataset is busy\"\n";
    let sim = Sim::from_text(&text);
    rescued(&sim);
    let (s, code) = rollback(&sim, PG, &[]);
    assert_eq!((code, &s["result"]), (Some(5), &"error".into()), "{s}");
    assert_eq!(s["zone_state"], "configured", "{s}");
    assert!(s["message"].as_str().unwrap().contains("THE ZONE IS DETACHED (configured)"), "{s}");
    assert_eq!(s["next_steps"][0], "zoneadm -z pg01 attach", "{s}");
    assert_eq!(sim.state(PG), "configured");
    let status = sim_support::zonerescue(&sim.dir).args(["status", PG]).output().unwrap();
    let status = String::from_utf8_lossy(&status.stdout);
    assert!(status.lines().next().unwrap().contains("its rollback"), "{status}");
    // What it says brings the zone back.
    assert_eq!(sim.run("zoneadm", &["-z", PG, "attach"]).code, 0);
    assert_eq!(sim.state(PG), "installed");
}

/// Ops round t F2: `<state>/web02/` holding pg02's journal (a copied or renamed state
/// directory), or itself a symlink to pg02's: rollback, prune, status and resume on web02 act
/// on nothing and say why; pg02 (running) and its snapshots are untouched. Before, rollback
/// detached web02 and rolled pg02's dataset back under the running zone.
#[test]
fn another_zones_journal_is_never_acted_on() {
    let sim = Sim::new("omnios-two-zones");
    for z in ["web02", "pg02"] {
        let (_, code) = sim_support::rescue_json(&sim.dir, z, &[]);
        assert_eq!(code, Some(0), "{z}");
    }
    assert_eq!(sim.run("zoneadm", &["-z", "pg02", "boot"]).code, 0);
    let state = sim.dir.join("state");
    let snapshots = || sim.run("zfs", &["list", "-H", "-t", "snapshot", "-o", "name"]).stdout;
    let before = snapshots();
    let copied = || {
        std::fs::copy(state.join("pg02/journal.json"), state.join("web02/journal.json")).unwrap();
    };
    let symlinked = || {
        std::fs::remove_dir_all(state.join("web02")).unwrap();
        std::os::unix::fs::symlink(state.join("pg02"), state.join("web02")).unwrap();
    };
    for setup in [&copied as &dyn Fn(), &symlinked] {
        setup();
        for args in [
            &["--yes", "rollback", "web02"][..],
            &["--yes", "snapshots", "web02", "--prune"],
            &["status", "web02"],
            &["--yes", "resume", "web02"],
        ] {
            let out = sim_support::zonerescue(&sim.dir).args(args).output().unwrap();
            let said = String::from_utf8_lossy(&out.stderr);
            assert_ne!(out.status.code(), Some(0), "{args:?}: {said}");
            assert!(
                said.contains("not acted on") || said.contains("symbolic link"),
                "{args:?}: {said}"
            );
        }
        assert_eq!((sim.state("pg02"), sim.state("web02")), ("running".into(), "installed".into()));
        assert_eq!(snapshots(), before);
    }
}

/// Round v F1: the ZBE has a child dataset (a Solaris 11 ZBE's `var`, holding /var/pkg), which
/// the run's `zfs snapshot -r` took along. The rollback rolls it back too, to its own snapshot
/// of the same name, destroying its later ones; before, only the ZBE itself was rolled back
/// and the child kept the rescued /var and the rungs' snapshots.
#[test]
fn rollback_rolls_back_the_zbes_child_datasets_too() {
    let text = std::fs::read_to_string(sim_support::scenario("omnios-postgres-removed")).unwrap();
    let sim =
        Sim::from_text(&text.replace("active = true }", "active = true, children = [\"var\"] }"));
    let child = "rpool/zones/pg01/ROOT/zbe/var";
    let run = rescued(&sim);
    let pre = run["pre_snapshot"].as_str().unwrap().to_string();
    let child_pre = format!("{child}@{}", pre.split_once('@').unwrap().1);
    let snaps = |sim: &Sim| {
        sim.run("zfs", &["list", "-H", "-t", "snapshot", "-o", "name", "-r", child]).stdout
    };
    assert!(
        snaps(&sim).lines().count() > 1,
        "the rung's snapshot -r covers the child: {}",
        snaps(&sim)
    );
    // The way back by hand it prints names the child's rollback too.
    let by_hand = format!("zfs rollback -r {pre} && zfs rollback -r {child_pre})");
    assert!(run["next_steps"].to_string().contains(&by_hand), "{run}");
    // Docs jj F1: it says what `-r` destroys that `zonerescue rollback` keeps (pasted
    // unwarned, it destroyed the operator's own later snapshot).
    let zbe = pre.split_once('@').unwrap().0;
    let warned = format!(
        "destroys every later snapshot of the boot environment, zonerescue's or not (list them: zfs list -t snapshot -r {zbe})"
    );
    assert!(run["next_steps"].to_string().contains(&warned), "{run}");
    let (s, code) = rollback(&sim, PG, &[]);
    assert_eq!((code, &s["result"]), (Some(0), &"rolled-back".into()), "{s}");
    assert_eq!(snaps(&sim).lines().collect::<Vec<_>>(), [child_pre.as_str()]);
    let rolled: Vec<String> = sim_support::audit(&sim.dir)
        .into_iter()
        .filter(|a| a.argv.get(1).map(String::as_str) == Some("rollback"))
        .map(|a| a.argv.last().unwrap().clone())
        .collect();
    assert_eq!(rolled, [pre, child_pre], "parent first, then the child");
}

/// Round v F2 (unattended form): a run that ended failed rolled its image back to the
/// pre-rescue snapshot; `status` says its rungs were undone, and `resume` starts a new rescue
/// from that image (said by a finding, new run id) instead of taking them for applied.
#[test]
fn resume_after_a_run_that_rolled_its_image_back_starts_a_new_rescue() {
    let sim = Sim::new("s11express-orphaned-core");
    let (events, code) = sim_support::rescue_json(&sim.dir, "legacy01", &[]);
    let first = events.last().unwrap().clone();
    assert_eq!((code, first["result"].as_str()), (Some(1), Some("failed")), "{first}");
    let status = sim_support::zonerescue(&sim.dir).args(["status", "legacy01"]).output().unwrap();
    let status = String::from_utf8_lossy(&status.stdout);
    assert!(status.contains("(all undone: the run rolled its image back to"), "{status}");
    let (events, code) =
        sim_support::rescue_json(&sim.dir, "legacy01", &["resume", "--allow-destructive"]);
    let s = events.last().unwrap();
    assert_eq!((code, s["result"].as_str()), (Some(0), Some("attached")), "{s}");
    assert!(events.iter().any(|e| e["key"] == "journal.last-run-rolled-back"), "{events:?}");
    // Round w F4: that run finished (undone), it did not stop "for resume".
    assert!(!events.iter().any(|e| e["key"] == "journal.last-run-unfinished"), "{events:?}");
    assert_ne!(s["run_id"], first["run_id"], "{s}");
}

/// Round w F1/F2: the rollback as the run ends reaches the ZBE but not its `var` child (busy
/// every time). The image is neither as it was nor as rescued: the run says so, `status`
/// warns, and neither `resume` nor a new run goes on from it (before, resume took the undone
/// rungs for applied); `zonerescue rollback` failing the same way no longer says the image
/// is as it was before it.
#[test]
fn a_rollback_that_stops_below_the_zbe_is_finished_before_anything_goes_on() {
    let text = std::fs::read_to_string(sim_support::scenario("s11express-orphaned-core")).unwrap();
    let text = text.replace("active = true }", "active = true, children = [\"var\"] }");
    let sim = Sim::from_text(&format!(
        "{text}\n[[faults]]\ncommand = \"zfs rollback\"\nmatch = \"/var@\"\nexit = 1\n\
         stderr = \"cannot rollback to 'rpool/zones/legacy01/ROOT/zbe/var@x': dataset is busy\"\n"
    ));
    let (events, _) = sim_support::rescue_json(&sim.dir, "legacy01", &[]);
    let s = events.last().unwrap();
    let message = s["message"].as_str().unwrap();
    assert!(message.contains("its image only PARTLY rolled back to"), "{s}");
    let next = s["next_steps"].to_string();
    assert!(
        next.contains("finish the rollback once that is fixed: zonerescue rollback legacy01"),
        "{s}"
    );
    assert!(!next.contains("zonerescue resume legacy01"), "{s}");
    let status = sim_support::zonerescue(&sim.dir).args(["status", "legacy01"]).output().unwrap();
    assert!(String::from_utf8_lossy(&status.stdout).contains("stopped partway"));
    for args in [&["resume"][..], &[]] {
        let (events, code) = sim_support::rescue_json(&sim.dir, "legacy01", args);
        let s = events.last().unwrap();
        assert_eq!((code, s["result"].as_str()), (Some(3), Some("refused")), "{args:?}: {s}");
        assert!(
            s["message"]
                .as_str()
                .unwrap()
                .contains("finish it first with `zonerescue rollback legacy01`"),
            "{s}"
        );
    }
    let out =
        sim_support::zonerescue(&sim.dir).args(["rollback", "--yes", "legacy01"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(5), "{stderr}");
    assert!(!stderr.contains("Its image is as it was"), "{stderr}");
}

/// `zfs snapshot NAME` on the simulated host: the operator's own snapshot.
fn operator_snapshot(sim: &Sim, name: &str) {
    let r = sim.run("zfs", &["snapshot", name]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

fn snapshot_exists(sim: &Sim, name: &str) -> bool {
    sim.run("zfs", &["list", "-H", "-t", "snapshot", "-o", "name"])
        .stdout
        .lines()
        .any(|l| l == name)
}

/// `zfs rollback -r` destroys every later snapshot: `--yes` alone (a script's answer to
/// zonerescue's own question) must not destroy one the operator took after the rescue.
#[test]
fn rollback_yes_keeps_a_later_snapshot_zonerescue_did_not_take() {
    let sim = postgres();
    let run = rescued(&sim);
    let zbe = run["pre_snapshot"].as_str().unwrap().split_once('@').unwrap().0.to_string();
    let mine = format!("{zbe}@before-upgrade-of-app");
    operator_snapshot(&sim, &mine);
    let (s, code) = rollback(&sim, PG, &[]);
    assert_eq!((code, &s["result"]), (Some(3), &"refused".into()), "{s}");
    let m = s["message"].as_str().unwrap();
    assert!(m.contains(&mine) && m.contains("--destroy-foreign-snapshots"), "{s}");
    assert_eq!(s["destroyed"], serde_json::json!([]), "{s}");
    assert!(snapshot_exists(&sim, &mine));
    assert_eq!(sim.state(PG), "installed");
    // Said so, it goes.
    let (s, code) = rollback(&sim, PG, &["--destroy-foreign-snapshots"]);
    assert_eq!((code, &s["result"]), (Some(0), &"rolled-back".into()), "{s}");
    assert!(s["destroyed"].as_array().unwrap().contains(&mine.clone().into()), "{s}");
    assert!(!snapshot_exists(&sim, &mine));
}

/// The same after a Solaris 11 attach that cloned the ZBE: the operator's snapshot of the
/// clone the zone runs from now is kept; the attach's own clone point does not count (the
/// rollback without one is `rollback_of_a_cloned_zbe_names_the_clone_destroyed`).
#[test]
fn rollback_yes_of_a_cloned_zbe_keeps_the_operators_snapshot_of_the_clone() {
    let sim = Sim::from_file(&sim_support::world("s11-zbe-of-older-gz-be-gz-publishers"));
    let (events, code) = sim_support::rescue_json(&sim.dir, "db1", &[]);
    assert_eq!(code, Some(0), "{}", events.last().unwrap());
    let mine = "rpool/zones/db1/rpool/ROOT/solaris-0@nightly";
    operator_snapshot(&sim, mine);
    let (s, code) = rollback(&sim, "db1", &[]);
    assert_eq!((code, &s["result"]), (Some(3), &"refused".into()), "{s}");
    assert!(s["message"].as_str().unwrap().contains(mine), "{s}");
    assert!(snapshot_exists(&sim, mine));
    assert_eq!(sim.state("db1"), "installed");
}

/// Point zone `zone`'s journal at `other`'s pre-rescue snapshot (a stale journal: the zone
/// was deleted and configured again; or an edited one).
fn journal_names(sim: &Sim, zone: &str, other_pre: &str) {
    let path = sim.dir.join("state").join(zone).join("journal.json");
    let mut j: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    j["pre_snapshot"] = other_pre.into();
    j["active_zbe"] = other_pre.split_once('@').unwrap().0.into();
    for st in j["steps"].as_array_mut().unwrap() {
        if st["snapshot"].is_string() {
            st["snapshot"] = other_pre.into();
        }
    }
    std::fs::write(&path, serde_json::to_string_pretty(&j).unwrap()).unwrap();
}

fn changing_commands(sim: &Sim) -> Vec<String> {
    sim_support::audit(&sim.dir)
        .into_iter()
        .map(|a| a.argv.join(" "))
        .filter(|c| ["detach", "rollback", "destroy", "attach"].iter().any(|v| c.contains(v)))
        .collect()
}

/// A rescue of `zone` that attaches it: its pre-rescue snapshot.
fn rescued_pre(sim: &Sim, zone: &str) -> String {
    let (events, code) = sim_support::rescue_json(&sim.dir, zone, &[]);
    assert_eq!(code, Some(0), "{}", events.last().unwrap());
    events.last().unwrap()["pre_snapshot"].as_str().unwrap().to_string()
}

/// Ops round y F1: `rollback`, `snapshots --prune` and `resume` act only on the zone's own
/// datasets (below its zonepath's). With pg02's journal naming web02's snapshot, rollback
/// detached pg02 and rolled back web02's ZBE, destroying the operator's snapshot of it.
#[test]
fn a_journal_naming_another_zones_datasets_is_never_acted_on() {
    let sim = Sim::new("omnios-two-zones");
    let web_pre = rescued_pre(&sim, "web02");
    rescued_pre(&sim, "pg02");
    let mine = format!("{}@operator-keep", web_pre.split_once('@').unwrap().0);
    operator_snapshot(&sim, &mine);
    journal_names(&sim, "pg02", &web_pre);
    let before = changing_commands(&sim).len();
    let (s, code) = rollback(&sim, "pg02", &["--destroy-foreign-snapshots"]);
    assert_eq!((code, &s["result"]), (Some(3), &"refused".into()), "{s}");
    assert!(s["message"].as_str().unwrap().contains("is not a dataset of zone pg02"), "{s}");
    let (s, code) = prune(&sim, "pg02", &["--yes"]);
    assert_eq!((code, &s["result"]), (Some(3), &"refused".into()), "{s}");
    assert_eq!(changing_commands(&sim).len(), before, "{:?}", changing_commands(&sim));
    assert!(snapshot_exists(&sim, &mine) && snapshot_exists(&sim, &web_pre));
    assert_eq!((sim.state("pg02"), sim.state("web02")), ("installed".into(), "installed".into()));
}

/// The same for `resume` of a run killed midway whose journal names another zone's snapshot.
#[test]
fn resume_of_a_journal_naming_another_zones_datasets_is_refused() {
    let sim = Sim::new("omnios-two-zones");
    let web_pre = rescued_pre(&sim, "web02");
    sim_support::kill_at_command(&sim.dir, "pg02", "uninstall");
    journal_names(&sim, "pg02", &web_pre);
    let before = changing_commands(&sim).len();
    let (lines, code) = json(&sim, &["--yes", "resume", "pg02"]);
    let s = lines.last().unwrap();
    assert_eq!((code, &s["result"]), (Some(3), &"refused".into()), "{s}");
    assert!(s["message"].as_str().unwrap().contains("is not a dataset of zone pg02"), "{s}");
    assert_eq!(changing_commands(&sim).len(), before, "{:?}", changing_commands(&sim));
    assert!(snapshot_exists(&sim, &web_pre));
}

/// Ops round aa F1: a run killed after its rungs changed the zone leaves a journal the next
/// run cannot read (a newer format; a truncated file alike). The next run kept it aside and
/// took its own pre-rescue snapshot of the half-rescued image, and `snapshots --prune` then
/// destroyed the first run's: the only copy of the zone before any rescue. Now the next run
/// takes that snapshot for the zone before any rescue, says so, and prune keeps it.
#[test]
fn an_earlier_runs_pre_snapshot_survives_its_unreadable_journal() {
    let sim = Sim::new("s11express-b111-web");
    sim_support::kill_at_command(&sim.dir, "web01", "uninstall -v");
    let path = sim.dir.join("state/web01/journal.json");
    let text = std::fs::read_to_string(&path).unwrap();
    let first: Value = serde_json::from_str(&text).unwrap();
    let original = first["pre_snapshot"].as_str().unwrap().to_string();
    std::fs::write(&path, text.replacen("\"format\": 1", "\"format\": 2", 1)).unwrap();
    let (events, code) = sim_support::rescue_json(&sim.dir, "web01", &[]);
    assert_eq!(code, Some(0), "{:?}", events.last());
    let f = sim_support::finding(&events, "zone.earlier-run-unrecorded");
    assert!(f["title"].as_str().unwrap().contains(&original), "{f}");
    let (s, code) = prune(&sim, "web01", &["--yes"]);
    assert_eq!(code, Some(0), "{s}");
    assert!(s["kept"].as_array().unwrap().iter().any(|k| k == &original), "{s}");
    assert!(snapshot_exists(&sim, &original), "{s}");
}

/// Ops round aa F3: SIGHUP (a dropped ssh session) or SIGTERM during `rollback` killed it
/// outright (exit 129/143), no summary, its detach left running on its own. Now the signal is
/// caught and said, the rollback goes on to its end, and its summary is the last line.
#[test]
fn a_rollback_survives_sighup_and_sigterm() {
    for sig in [libc::SIGHUP, libc::SIGTERM] {
        let sim = postgres();
        rescued(&sim);
        let mut child = sim_support::zonerescue(&sim.dir)
            .args(["--json", "rollback", "--yes", PG])
            .env("ZONESIM_SPEED", "2")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let mut lines = std::io::BufRead::lines(std::io::BufReader::new(stdout));
        let mut seen = Vec::new();
        for l in lines.by_ref() {
            let l = l.unwrap();
            let detach = l.contains("\"command-start\"") && l.contains(" detach");
            seen.push(l);
            if detach {
                // SAFETY: kill(2) on the pid of a child this test spawned and has not reaped.
                unsafe { libc::kill(child.id() as i32, sig) };
                break;
            }
        }
        seen.extend(lines.map(Result::unwrap));
        let status = child.wait().unwrap();
        let last: Value = serde_json::from_str(seen.last().unwrap()).unwrap();
        assert_eq!(status.code(), Some(0), "signal {sig}: {seen:?}");
        assert_eq!(last["event"], "rollback-summary", "{last}");
        assert_eq!(last["result"], "rolled-back", "{last}");
        assert_eq!(sim.state(PG), "configured");
    }
}

/// Ops mm F4: a rescue refuses a state directory that is a symbolic link or writable by group
/// or others; `rollback` and `snapshots --prune` acted through one. They refuse it too,
/// nothing changed.
#[test]
fn rollback_and_prune_refuse_a_state_directory_a_rescue_refuses() {
    use std::os::unix::fs::PermissionsExt;
    let sim = postgres();
    rescued(&sim);
    let state = sim.dir.join("state");
    let real = sim.dir.join("real-state");
    let snapshots = || sim.run("zfs", &["list", "-H", "-t", "snapshot", "-o", "name"]).stdout;
    let before = snapshots();
    let linked = || {
        std::fs::rename(&state, &real).unwrap();
        std::os::unix::fs::symlink(&real, &state).unwrap();
    };
    let unlinked = || {
        std::fs::remove_file(&state).unwrap();
        std::fs::rename(&real, &state).unwrap();
    };
    let mode = |m: u32| std::fs::set_permissions(&state, std::fs::Permissions::from_mode(m));
    for (setup, undo, why) in [
        (&linked as &dyn Fn(), &unlinked as &dyn Fn(), "is a symbolic link"),
        (&|| mode(0o777).unwrap(), &|| mode(0o700).unwrap(), "writable by group or others"),
    ] {
        setup();
        for args in [&["--yes", "rollback", PG][..], &["--yes", "snapshots", "--prune", PG]] {
            let out = sim_support::zonerescue(&sim.dir).args(args).output().unwrap();
            let said = String::from_utf8_lossy(&out.stderr);
            assert_ne!(out.status.code(), Some(0), "{args:?}: {said}");
            assert!(said.contains(why), "{args:?}: {said}");
        }
        assert_eq!(sim.state(PG), "installed");
        assert_eq!(snapshots(), before);
        // The listing only reads, as status does (regress nn F7).
        let listed = sim_support::zonerescue(&sim.dir).args(["snapshots", PG]).output().unwrap();
        assert!(listed.status.success(), "{}", String::from_utf8_lossy(&listed.stderr));
        undo();
    }
    let (s, code) = rollback(&sim, PG, &[]);
    assert_eq!(code, Some(0), "{s}");
}
