//! Fault matrix: a bundled scenario plus one injected `[[faults]]` entry (src/sim/faults.rs).
//! Whatever goes wrong, the run must end with a clear message and a documented exit code
//! (src/exit.rs), and lose nothing: the pre-rescue snapshot still exists (unless the run never
//! changed anything), the global zone's publishers are as before and the journal parses.

use std::path::Path;
use std::process::{Command, Output};

mod sim_support;
use sim_support::Sim;

const SCENARIO: &str = "omnios-postgres-removed";
const ZONE: &str = "pg01";

/// A simulated host from `SCENARIO` with `fault` appended as one `[[faults]]` table.
fn host(fault: &str) -> Sim {
    let text = std::fs::read_to_string(sim_support::scenario(SCENARIO)).unwrap();
    Sim::from_text(&format!("{text}\n[[faults]]\n{fault}\n"))
}

fn zr(h: &Path) -> Command {
    let mut c = sim_support::zonerescue(h);
    c.env_remove("ZONESIM_SPEED")
        // Retries of a locked pkg image wait milliseconds here, not seconds.
        .env("ZONERESCUE_PKG_LOCK_WAIT_MS", "5");
    c
}

fn sim(h: &Path, prog: &str, args: &[&str]) -> String {
    let out = Command::new(h.join("bin").join(prog))
        .args(args)
        .env_remove("ZONESIM_ROOT")
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn pre_snapshots(h: &Path) -> usize {
    sim(h, "zfs", &["list", "-H", "-t", "snapshot", "-o", "name"])
        .lines()
        .filter(|l| l.contains("@zonerescue-") && l.ends_with("-pre"))
        .count()
}

struct Case {
    fault: &'static str,
    /// Extra arguments and environment for the run.
    args: &'static [&'static str],
    env: &'static [(&'static str, &'static str)],
    exit: i32,
    /// Text the human output (stdout + stderr) must contain.
    says: &'static str,
    /// Did the run change anything (so a pre-rescue snapshot must exist)?
    changed: bool,
}

/// A fault the engine survives: the zone still attaches.
fn attaches(fault: &'static str) -> Case {
    Case {
        fault,
        args: &[],
        env: &[],
        exit: 0,
        says: "Result for zone pg01: attached",
        changed: true,
    }
}

/// Runs `case` and checks it; returns the host for what follows.
fn check(case: &Case) -> Sim {
    let d = host(case.fault);
    let h = d.dir.clone();
    let pubs_before = sim(&h, "pkg", &["publisher", "-H", "-F", "tsv"]);
    let mut cmd = zr(&h);
    cmd.arg("--yes").args(case.args).arg(ZONE);
    for (k, v) in case.env {
        cmd.env(k, v);
    }
    let out: Output = cmd.output().unwrap();
    let text =
        format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    let name = case.fault.replace('\n', "; ");
    assert!(!text.contains("panicked"), "{name}: panic\n{text}");
    assert_eq!(out.status.code(), Some(case.exit), "{name}: exit code\n{text}");
    assert!(text.contains(case.says), "{name}: expected {:?} in\n{text}", case.says);
    assert_eq!(pre_snapshots(&h), usize::from(case.changed), "{name}: pre-rescue snapshot\n{text}");
    assert_eq!(
        sim(&h, "pkg", &["publisher", "-H", "-F", "tsv"]),
        pubs_before,
        "{name}: GZ publishers changed"
    );
    let status = zr(&h).args(["status", ZONE, "--json"]).output().unwrap();
    assert!(status.status.success(), "{name}: status: {}", String::from_utf8_lossy(&status.stderr));
    serde_json::from_slice::<serde_json::Value>(&status.stdout)
        .unwrap_or_else(|e| panic!("{name}: status --json is not JSON: {e}"));
    d
}

#[test]
fn zone_image_locked_once_is_waited_out_and_the_zone_attaches() {
    check(&Case {
        fault: "kind = \"image-locked\"\nzone = \"pg01\"\nnth = 1",
        args: &[],
        env: &[],
        exit: 0,
        says: "the package image is locked by another pkg client; retrying",
        changed: true,
    });
}

/// Ops round t F6: with --json the operator still hears of a wait (here for a pkg lock), on
/// stderr; stdout stays JSON only. Before, every such note was dropped with --json.
#[test]
fn with_json_a_wait_is_said_on_stderr() {
    let d = host("kind = \"image-locked\"\nzone = \"pg01\"\nnth = 1");
    let out = zr(&d.dir).args(["--json", "--yes", ZONE]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("locked by another pkg client; retrying"), "{stderr}");
    for l in String::from_utf8_lossy(&out.stdout).lines() {
        serde_json::from_str::<serde_json::Value>(l).unwrap_or_else(|e| panic!("{e}: {l}"));
    }
    assert_eq!(out.status.code(), Some(0), "{stderr}");
}

#[test]
fn global_zone_image_locked_during_preflight_is_waited_out() {
    // The first pkg operation that takes a lock is preflight's reachability refresh in the
    // global zone: it is retried once the lock is gone, and the rescue goes on.
    let fault = "kind = \"image-locked\"\nnth = 1";
    check(&attaches(fault));
    let d = host(fault);
    let out = zr(&d.dir).args(["--yes", ZONE]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let refreshes: Vec<i64> = sim_support::audit(&d.dir)
        .into_iter()
        .filter(|e| e.argv == ["pkg", "refresh", "omnios"])
        .map(|e| e.exit)
        .collect();
    assert_eq!(refreshes, [7, 0], "preflight's refresh: locked, then retried");
}

#[test]
fn image_locked_for_good_fails_after_bounded_retries() {
    check(&Case {
        fault: "kind = \"image-locked\"",
        args: &[],
        env: &[],
        exit: 1,
        says: "in use by another package client",
        changed: true,
    });
}

/// Hostile ww F1: a failing `mount -p` was read as "nothing mounted at the zone root", so the
/// check that another boot environment than the one snapshotted is mounted there (what
/// `pkg -R` would change) was skipped without a word. Not knowing refuses, as knowing does.
#[test]
fn an_unreadable_mount_table_refuses_without_change() {
    let d = check(&Case {
        fault: "command = \"mount\"\nexit = 1\nstderr = \"mount: cannot open /etc/mnttab: Interrupted system call\"",
        args: &[],
        env: &[],
        exit: 3,
        says: "cannot read the mount table (mount -p)",
        changed: false,
    });
    let detached = sim_support::audit(&d.dir).iter().any(|a| a.argv.iter().any(|x| x == "detach"));
    assert!(!detached);
}

#[test]
fn failed_pre_rescue_snapshot_refuses_without_change() {
    check(&Case {
        fault: "command = \"zfs snapshot\"\nexit = 1\nstderr = \"cannot create snapshot: dataset is busy\"",
        args: &[],
        env: &[],
        exit: 3,
        says: "could not snapshot the zone boot environment, so nothing was changed",
        changed: false,
    });
}

/// A `zfs snapshot` that meets a busy dataset once (the pre-rescue one, or a rung's) is tried
/// again, as `zfs rollback` is: the zone attaches. Before, a busy rung snapshot stopped the
/// run with an error (exit 5) and a busy pre-rescue one refused it (exit 3).
#[test]
fn a_snapshot_on_a_busy_dataset_is_tried_again() {
    for nth in ["1", "2"] {
        let fault = format!(
            "command = \"zfs snapshot\"\nexit = 1\nstderr = \"cannot create snapshot \
             'rpool/zones/pg01/ROOT/zbe@x': dataset is busy\"\nnth = {nth}"
        );
        check(&attaches(Box::leak(fault.into_boxed_str())));
    }
}

#[test]
fn pool_out_of_space_mid_run() {
    // Check 1 (the pre-rescue snapshot) passes; the second, the snapshot before the uninstall
    // step (preflight predicts it: PostgreSQL is obsolete), runs out of space: the run stops
    // there, a cause outside the image (before: exit 5 and a rollback), for `resume`.
    check(&Case {
        fault: "kind = \"out-of-space\"\nnth = 2",
        args: &[],
        env: &[],
        exit: 1,
        says: "once that is fixed (the pool or file system is full: out-of-space): zonerescue resume pg01",
        changed: true,
    });
}

#[test]
fn a_zone_that_cannot_be_detached_keeps_its_image() {
    // Every detach fails, the first one before the predicted uninstall: the zone stays
    // installed and nothing is rolled back under it. Before, the failed detach counted as a
    // change and the summary spoke of a rollback it could not do; the run changed nothing.
    let d = check(&Case {
        fault: "command = \"zoneadm detach\"\nexit = 1\nstderr = \"zoneadm: zone 'pg01': another zoneadm may have an operation in progress.\"",
        args: &[],
        env: &[],
        exit: 1,
        says: "nothing was changed: the zone is as it was",
        changed: true,
    });
    assert!(!sim_support::audit(&d.dir).iter().any(|a| a.argv.iter().any(|x| x == "rollback")));
    assert_eq!(d.state(ZONE), "installed");
}

#[test]
fn a_plain_attach_whose_detach_failed_was_not_applied() {
    // The first detach finds the zone root busy: no attach ran, so the plain attach rung did
    // nothing (before: "applied; attach still fails", strategies_applied ["attach"], with
    // 0 attempts). Once the root is free (the fault struck once), resume's attach is it.
    let text = std::fs::read_to_string(sim_support::scenario("s11express-minor-update")).unwrap();
    let d = Sim::from_text(&format!(
        "{text}\n[[faults]]\ncommand = \"zoneadm detach\"\nnth = 1\nexit = 1\n\
         stderr = \"cannot unmount '/zones/db01/root': Device busy\\nzoneadm: zone 'db01': \
         unable to unmount /zones/db01/root.\"\n"
    ));
    let (events, code) = sim_support::rescue_json(&d.dir, "db01", &[]);
    let s = events.last().unwrap();
    assert_eq!((code, s["result"].as_str()), (Some(1), Some("failed")), "{s}");
    assert_eq!(s["strategies_applied"], serde_json::json!([]), "{s}");
    assert_eq!(s["attempts"], 0, "{s}");
    let end = events.iter().find(|e| e["event"] == "step-end" && e["name"] == "attach").unwrap();
    assert_eq!(end["outcome"], "failed", "{end}");
    assert_eq!(d.state("db01"), "installed");
    let (events, code) = sim_support::rescue_json(&d.dir, "db01", &["resume"]);
    let s = events.last().unwrap();
    assert_eq!((code, s["result"].as_str()), (Some(0), Some("attached")), "{s}");
    assert_eq!(s["strategies_applied"], serde_json::json!(["attach"]), "{s}");
}

/// `scenario` whose first `zoneadm detach` fails (exit 1) saying `stderr`.
fn first_detach_fails(scenario: &str, stderr: &str) -> Sim {
    let text = std::fs::read_to_string(sim_support::scenario(scenario)).unwrap();
    Sim::from_text(&format!(
        "{text}\n[[faults]]\ncommand = \"zoneadm detach\"\nnth = 1\nexit = 1\nstderr = \"{stderr}\"\n"
    ))
}

/// `zonerescue resume ZONE` attaches it (exit 0).
fn resume_attaches(d: &Sim, zone: &str) {
    let (events, code) = sim_support::rescue_json(&d.dir, zone, &["resume"]);
    let s = events.last().unwrap();
    assert_eq!((code, s["result"].as_str()), (Some(0), Some("attached")), "{s}");
}

/// Round u F5: a detach that fails on a message no rule knows ends the run with an error;
/// the plain attach rung did nothing there either, and the way on is `resume` (before:
/// strategies_applied ["attach"] with 0 attempts, and only `zonerescue status` as advice).
#[test]
fn a_detach_failing_on_an_unknown_error_applies_nothing_and_says_resume() {
    let d =
        first_detach_fails("omnios-two-zones", "zoneadm: zone 'web02': brand detach hook failed");
    let (events, code) = sim_support::rescue_json(&d.dir, "web02", &[]);
    let s = events.last().unwrap();
    assert_eq!((code, s["result"].as_str()), (Some(5), Some("error")), "{s}");
    assert_eq!((&s["strategies_applied"], &s["attempts"]), (&serde_json::json!([]), &0.into()));
    assert!(s["next_steps"][0].as_str().unwrap().contains("zonerescue resume web02"), "{s}");
    resume_attaches(&d, "web02");
}

/// illumos umount(8)'s own wording of a busy zone root ("umount: MOUNTPOINT busy", not
/// zfs's "cannot unmount … Device busy") is the known cause zone-root-busy: the run stops
/// having changed nothing, tells how to find who holds the root, and resumes once it is free
/// (before: an unclassified error, exit 5, no hint of the cause).
#[test]
fn a_detach_stopped_by_umount_busy_names_the_busy_root() {
    let d = first_detach_fails("omnios-two-zones", "umount: /zones/web02/root busy");
    let (events, code) = sim_support::rescue_json(&d.dir, "web02", &[]);
    let s = events.last().unwrap();
    assert_eq!((code, s["result"].as_str()), (Some(1), Some("failed")), "{s}");
    assert!(s["message"].as_str().unwrap().contains("(zone-root-busy)"), "{s}");
    assert_eq!((&s["strategies_applied"], &s["attempts"]), (&serde_json::json!([]), &0.into()));
    let next: Vec<&str> =
        s["next_steps"].as_array().unwrap().iter().flat_map(|v| v.as_str()).collect();
    assert!(next.iter().any(|n| n.ends_with("fuser -cu /zones/web02/root")), "{s}");
    assert!(!next.iter().any(|n| n.contains("zoneadm -z web02 attach")), "{s}");
    assert!(next.iter().any(|n| n.contains("zone-root-busy): zonerescue resume web02")), "{s}");
    assert_eq!(d.state("web02"), "installed");
    resume_attaches(&d, "web02");
}

/// Round w F3: the same busy root at the detach before a rung that changes the image
/// (incremental on the b111 web zone, after gz-publishers): the run stops there having
/// changed nothing, names the cause and how to find who holds the root, and `resume` runs the
/// rung once the root is free (before: an unclassified error, exit 5).
#[test]
fn a_rungs_detach_stopped_by_umount_busy_names_the_busy_root() {
    let d = first_detach_fails("s11express-b111-web", "umount: /zones/web01/root busy");
    let (events, code) = sim_support::rescue_json(&d.dir, "web01", &[]);
    let s = events.last().unwrap();
    assert_eq!((code, s["result"].as_str()), (Some(1), Some("failed")), "{s}");
    assert!(s["message"].as_str().unwrap().contains("(zone-root-busy)"), "{s}");
    assert!(s["message"].as_str().unwrap().contains("nothing was changed"), "{s}");
    assert!(s["next_steps"].to_string().contains("fuser -cu /zones/web01/root"), "{s}");
    assert_eq!(d.state("web01"), "installed");
    resume_attaches(&d, "web01");
}

/// Ops round t F1: the journal cannot be written right after an `attach -u` that worked (a
/// full /var; here its place is taken by a directory during the attach). The run stops with
/// an error, but leaves the attached zone attached: no detach, no rollback, the summary still
/// its last line. Before, it detached the zone and rolled the rescue back (and, with the disk
/// still full at the end, exited 2 without a summary).
#[test]
fn a_journal_that_cannot_be_written_after_the_attach_leaves_the_zone_attached() {
    let d = Sim::new(SCENARIO);
    journal_unwritable_from(&d, "zoneadm", "attach");
    let (events, code) = sim_support::rescue_json(&d.dir, ZONE, &[]);
    let s = events.last().unwrap();
    assert_eq!((code, s["result"].as_str()), (Some(5), Some("error")), "{s}");
    assert_eq!(s["zone_state"], "installed", "{s}");
    let said = s["message"].as_str().unwrap();
    assert!(said.contains("the zone is attached (installed): nothing was rolled back"), "{s}");
    assert!(said.contains("the journal could not be written"), "{s}");
    let audit = sim_support::audit(&d.dir);
    assert!(!audit.iter().any(|a| a.argv.iter().any(|x| x == "rollback")), "rolled back");
    assert_eq!(sim_support::attach_runs(&d.dir), 1);
    assert_eq!(d.state(ZONE), "installed");
}

/// Ops round t F4: the journal cannot be written after preflight (its refresh). The run stops
/// before its first change with a summary as its last line (before: exit 2, none).
#[test]
fn a_journal_that_cannot_be_written_before_any_change_ends_with_a_summary() {
    let d = Sim::new(SCENARIO);
    journal_unwritable_from(&d, "pkg", "refresh");
    let (events, code) = sim_support::rescue_json(&d.dir, ZONE, &[]);
    let s = events.last().unwrap();
    assert_eq!((code, s["result"].as_str()), (Some(5), Some("error")), "{s}");
    assert!(s["message"].as_str().unwrap().contains("before anything was changed"), "{s}");
    assert_eq!(pre_snapshots(&d.dir), 0);
    assert_eq!(d.state(ZONE), "installed");
}

/// From `prog`'s first run with `word` among its arguments on, a directory stands where
/// the zone's journal is written: every write of it fails (as on a full /var).
fn journal_unwritable_from(d: &Sim, prog: &str, word: &str) {
    let journal = d.dir.join("state").join(ZONE).join("journal.json");
    let path = d.dir.join("bin").join(prog);
    std::fs::remove_file(&path).unwrap();
    sim_support::write_script(
        &path,
        &format!(
            "case \" $* \" in *\" {word} \"*) [ -d '{j}' ] || {{ rm -f '{j}'; mkdir '{j}'; }};; esac\n\
             ZONESIM_ROOT='{root}' exec '{sim}' {prog} \"$@\"",
            j = journal.display(),
            root = d.dir.display(),
            sim = env!("CARGO_BIN_EXE_zonesim"),
        ),
    );
}

/// The pre-rescue and uninstall snapshots pass; the attach's own pkg update then finds no
/// space: auto stops there (no rung frees space) instead of climbing to image-update.
const OUT_OF_SPACE_IN_THE_ATTACH: Case = Case {
    fault: "kind = \"out-of-space\"\nnth = 3",
    args: &[],
    env: &[],
    exit: 1,
    says: "no strategy gets past out-of-space",
    changed: true,
};

#[test]
fn pool_out_of_space_inside_the_attach() {
    check(&OUT_OF_SPACE_IN_THE_ATTACH);
}

/// `OUT_OF_SPACE_IN_THE_ATTACH` stops on a full pool. Once the administrator has freed space (the fault
/// struck once), `resume` attaches again instead of stopping on the old log's cause.
#[test]
fn resume_after_the_pool_was_freed_attaches_again() {
    let d = check(&Case {
        says: "once that is fixed (the pool or file system is full: out-of-space): zonerescue resume pg01",
        ..OUT_OF_SPACE_IN_THE_ATTACH
    });
    let out = zr(&d.dir).args(["--json", "resume", ZONE, "--yes"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let events: Vec<serde_json::Value> =
        text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let s = events.last().unwrap();
    assert_eq!(s["result"], "attached", "{text}\n{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(out.status.code(), Some(0));
    assert!(
        events.iter().any(|e| e["event"] == "finding" && e["key"] == "attach.previous-failure"),
        "the old cause is mentioned: {text}"
    );
    let zones = sim(&d.dir, "zoneadm", &["list", "-cp"]);
    assert!(zones.lines().any(|l| l.contains(":pg01:installed:")), "{zones}");
}

#[test]
fn repository_unreachable_mid_run() {
    // The GZ's first publisher dies after preflight reached it: a network problem, not one
    // a rung fixes. The attach is repeated, then auto stops instead of climbing on to
    // image-update and image-create for nothing, and says to resume once it answers.
    let d = check(&Case {
        fault: "repository = \"https://pkg.omnios.org/r151054/core/\"\nunreachable_after = 1",
        args: &["--allow-destructive"],
        env: &[],
        exit: 1,
        says: "could not reach a repository that answered earlier in this run",
        changed: true,
    });
    let ran =
        |what: &str| sim_support::audit(&d.dir).iter().any(|a| a.argv.iter().any(|x| x == what));
    assert!(!ran("image-create") && !ran("update"), "climbed on");
}

/// Runs zonerescue with `args`: it stops (exit 1) on a repository that answered earlier in the
/// run and no longer does. Its output.
fn stops_on_an_outage(d: &Sim, args: &[&str]) -> String {
    let out = zr(&d.dir).args(args).output().unwrap();
    let text =
        format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("could not reach a repository that answered earlier"), "{text}");
    text
}

/// Oracle vv F1: the step repository answered the incremental rung's `set-publisher`, then
/// died during its install. The rung's retry met it dead at its `set-publisher`; that was
/// read as "no intermediate build solves" and auto uninstalled the renamed package the step
/// keeps. An outage is retried, then stops the run (exit 1), the package still there.
#[test]
fn a_step_repository_that_stops_answering_stops_the_run() {
    let d = Sim::from_file(&sim_support::world("omnios-step-repository-dies-after-answering"));
    let text = stops_on_an_outage(&d, &["--yes", "s"]);
    let removed = sim_support::uninstalled(&d.dir);
    assert!(!removed, "{text}");
    let root = d.dir.join("zones/s/root").display().to_string();
    let list = sim(&d.dir, "pkg", &["-R", &root, "list", "-H"]);
    assert!(list.contains("a/site"), "{list}");
    // Regress ww F1: resumed while the repository is still down, the run had forgotten it
    // answered, passed the step over and uninstalled a/site. It stops again.
    let text = stops_on_an_outage(&d, &["resume", "s", "--yes"]);
    assert!(!sim_support::uninstalled(&d.dir), "{text}");
    let list = sim(&d.dir, "pkg", &["-R", &root, "list", "-H"]);
    assert!(list.contains("a/site"), "{list}");
}

/// Oracle ww F1: zone-publishers tested the zone's `site` (the global zone's origin, which
/// answered preflight's refresh) and, the repository down since, removed it as one "the global
/// zone could not reach". An outage is retried, then stops the run; `site` stays.
#[test]
fn a_zone_publisher_whose_repository_answered_is_not_removed_in_an_outage() {
    let d = Sim::from_file(&sim_support::world("s11-shared-site-publisher-dies-after-preflight"));
    let text = stops_on_an_outage(&d, &["--yes", "web"]);
    let unset = sim_support::audit(&d.dir).iter().any(|a| {
        a.argv.iter().any(|x| x == "unset-publisher") && a.argv.iter().any(|x| x == "site")
    });
    assert!(!unset, "{text}");
    let root = d.dir.join("zones/web/root").display().to_string();
    let pubs = sim(&d.dir, "pkg", &["-R", &root, "publisher", "-H"]);
    assert!(pubs.contains("site"), "{pubs}");
    // Regress ww2 F1: resumed while it is still down, the resume's preflight found `site`
    // unreachable and zone-publishers removed it: the run's own start saw it answer.
    let text = stops_on_an_outage(&d, &["resume", "web", "--yes"]);
    let unset = sim_support::audit(&d.dir).iter().any(|a| {
        a.argv.iter().any(|x| x == "unset-publisher") && a.argv.iter().any(|x| x == "site")
    });
    assert!(!unset, "{text}");
    let pubs = sim(&d.dir, "pkg", &["-R", &root, "publisher", "-H"]);
    assert!(pubs.contains("site"), "{pubs}");
}

/// Hostile ww F2: a `zfs rollback` that exits 0 having done nothing: `zonerescue rollback`
/// said the image was rolled back and the later snapshots destroyed, and `status` that the
/// zone was as before the rescue. The snapshots left say otherwise: it stops, not done.
#[test]
fn a_rollback_that_left_the_later_snapshots_is_not_reported_done() {
    let text = std::fs::read_to_string(sim_support::scenario("s11express-b111-web")).unwrap();
    let d = Sim::from_text(&format!("{text}\n[[faults]]\ncommand = \"zfs rollback\"\nexit = 0\n"));
    let out = zr(&d.dir).args(["--yes", "web01"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let out = zr(&d.dir).args(["--yes", "rollback", "web01"]).output().unwrap();
    let text =
        format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert_ne!(out.status.code(), Some(0), "{text}");
    assert!(!text.contains("image rolled back"), "{text}");
    assert!(text.contains("later snapshot(s) still exist"), "{text}");
}

#[test]
fn hanging_pkg_is_stopped_by_the_timeout() {
    // 1000 simulated seconds at speed 100 is 10 real seconds; the timeout is 3.
    check(&Case {
        fault: "command = \"pkg uninstall\"\nhang_s = 1000",
        args: &["--timeout", "3"],
        env: &[("ZONESIM_SPEED", "100")],
        exit: 1,
        says: "did not finish within 3s",
        changed: true,
    });
}

#[test]
fn a_hanging_pkg_is_stopped_by_its_own_kinds_limit() {
    check(&Case {
        fault: "command = \"pkg uninstall\"\nhang_s = 1000",
        args: &["--timeout", "pkg=3"],
        env: &[("ZONESIM_SPEED", "100")],
        exit: 1,
        says: "did not finish within 3s (the `pkg` limit; raise it with --timeout pkg=SECONDS)",
        changed: true,
    });
}

#[test]
fn a_short_query_limit_does_not_cut_a_slow_pkg_short() {
    // The uninstall takes 3 real seconds, over the 2-second limit for listings but within
    // the pkg limit: kinds are limited separately, so the rescue goes through.
    check(&Case {
        fault: "command = \"pkg uninstall\"\nhang_s = 300",
        args: &["--timeout", "query=2,pkg=60"],
        env: &[("ZONESIM_SPEED", "100")],
        exit: 0,
        says: "Result for zone pg01: attached",
        changed: true,
    });
}

#[test]
fn attach_log_missing() {
    check(&attaches("kind = \"attach-log-missing\""));
}

#[test]
fn attach_log_unreadable() {
    check(&attaches("kind = \"attach-log-unreadable\""));
}

#[test]
fn zoneadm_lock_held() {
    // Held at the detach before the uninstall: a cause outside the image (zone-busy), so the
    // run stops there for resume, changing nothing (before round w F3: an error, exit 5).
    check(&Case {
        fault: "kind = \"zoneadm-locked\"",
        args: &[],
        env: &[],
        exit: 1,
        says: "another zoneadm may have an operation in progress",
        changed: true,
    });
}

#[test]
fn an_attach_another_zoneadm_held_up_is_repeated() {
    // The attach after the uninstall finds the zone locked by another zoneadm: that says
    // nothing about the image, so it is repeated once the lock is free, no rung applied.
    let d = check(&Case {
        says: "re-attach",
        ..attaches(
            "command = \"zoneadm attach\"\nnth = 1\nexit = 1\n\
             stderr = \"zoneadm: zone 'pg01': another zoneadm may have an operation in progress.\"",
        )
    });
    let audit = sim_support::audit(&d.dir);
    assert!(!audit.iter().any(|a| a.argv.iter().any(|x| x == "update" || x == "image-create")));
}

/// `zfs list` of the pre-rescue snapshot failing for another reason than its absence (an I/O
/// error) must not read as "no such snapshot": rollback stops with exit 5 and the cause, and
/// works when run again.
#[test]
fn rollback_does_not_take_a_failing_zfs_list_for_a_missing_snapshot() {
    let d = host(
        "command = \"zfs list\"\nmatch = \"-pre\"\nnth = 2\nexit = 1\nstderr = \"internal error: I/O error\\n\"",
    );
    let h = d.dir.clone();
    let image = |h: &Path| {
        sim(h, "pkg", &["-R", &h.join("zones/pg01/root").to_string_lossy(), "list", "-H"])
    };
    let before = image(&h);
    let out = zr(&h).args(["--yes", ZONE]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_ne!(image(&h), before, "the rescue changed the image");

    let first = zr(&h).args(["rollback", ZONE, "--yes"]).output().unwrap();
    let err = String::from_utf8_lossy(&first.stderr);
    assert_eq!(first.status.code(), Some(5), "{err}");
    assert!(err.contains("cannot tell whether snapshot") && err.contains("I/O error"), "{err}");
    assert!(err.contains("again once the cause is fixed"), "{err}");
    assert!(!err.contains("does not exist"), "{err}");

    let again = zr(&h).args(["rollback", ZONE, "--yes"]).output().unwrap();
    assert_eq!(again.status.code(), Some(0), "{}", String::from_utf8_lossy(&again.stderr));
    assert_eq!(image(&h), before);
}

/// Round j F4: the operator undoes a rescue with `rollback` (PostgreSQL back). `resume` used
/// to redo the rescue and remove PostgreSQL again; now there is nothing to resume, and
/// `status` says the run was rolled back.
#[test]
fn resume_after_a_rollback_redoes_nothing() {
    let d = Sim::new(SCENARIO);
    let h = d.dir.clone();
    let image =
        || sim(&h, "pkg", &["-R", &h.join("zones/pg01/root").to_string_lossy(), "list", "-H"]);
    let before = image();
    assert_eq!(zr(&h).args(["--yes", ZONE]).output().unwrap().status.code(), Some(0));
    let back = zr(&h).args(["rollback", ZONE, "--yes"]).output().unwrap();
    assert_eq!(back.status.code(), Some(0), "{}", String::from_utf8_lossy(&back.stderr));
    assert_eq!(image(), before);

    let status = zr(&h).args(["status", ZONE]).output().unwrap();
    let text = String::from_utf8_lossy(&status.stdout);
    assert!(
        text.lines()
            .next()
            .unwrap()
            .ends_with("rolled back (`zonerescue rollback`): the zone is as before the rescue"),
        "{text}"
    );
    let out = zr(&h).args(["--json", "resume", ZONE, "--yes"]).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let last: serde_json::Value = serde_json::from_str(stdout.lines().last().unwrap()).unwrap();
    assert_eq!((out.status.code(), &last["result"]), (Some(3), &"refused".into()), "{last}");
    assert!(last["message"].as_str().unwrap().contains("was rolled back"), "{last}");
    assert_eq!(image(), before, "resume changed the image");
}

/// Round j F7: a run killed inside image-create, resumed without --allow-destructive: the
/// cut-short image-create was not tried, so the summary must not list it as tried and must
/// say that only image-create gets past, with the consent it needs.
#[test]
fn resume_without_consent_after_a_kill_in_image_create_names_the_way_on() {
    let d = Sim::new("s11express-orphaned-core");
    sim_support::kill_at_command_with(&d.dir, "legacy01", "image-create", &["--allow-destructive"]);
    let out = zr(&d.dir).args(["--json", "resume", "legacy01", "--yes"]).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let last: serde_json::Value = serde_json::from_str(stdout.lines().last().unwrap()).unwrap();
    assert_eq!((out.status.code(), &last["result"]), (Some(1), &"failed".into()), "{last}");
    let message = last["message"].as_str().unwrap();
    assert!(message.contains("(tried: zone-publishers, uninstall)"), "{message}");
    assert!(message.contains("only image-create gets past"), "{message}");
    assert!(message.contains("--allow-destructive legacy01"), "{message}");
}

/// image-create's `install system/library` fails once with an unexplained pkg error, so the run
/// ends failed with every useful rung tried and its image rolled back to the pre-rescue
/// snapshot. Nothing of it is left to resume: `resume` says so and is a new rescue from that
/// image, which attaches (before round v F2 it stopped, pointing at a fresh run).
#[test]
fn resume_with_nothing_left_is_a_fresh_run() {
    let text = std::fs::read_to_string(sim_support::scenario("s11express-orphaned-core")).unwrap();
    let d = Sim::from_text(&format!(
        "{text}\n[[faults]]\ncommand = \"pkg install\"\nmatch = \"system/library\"\nnth = 1\n\
         exit = 1\nstderr = \"pkg: an unexpected error\\n\"\n"
    ));
    let run = |args: &[&str]| {
        let out = zr(&d.dir).args(args).output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        let last: serde_json::Value = serde_json::from_str(text.lines().last().unwrap()).unwrap();
        (out.status.code(), last)
    };
    let (code, first) = run(&["--json", "--yes", "--allow-destructive", "legacy01"]);
    assert_eq!((code, &first["result"]), (Some(1), &"failed".into()), "{first}");
    let out = zr(&d.dir)
        .args(["--json", "resume", "legacy01", "--yes", "--allow-destructive"])
        .output()
        .unwrap();
    let events = events_of(&out);
    let resumed = events.last().unwrap();
    assert_eq!((out.status.code(), &resumed["result"]), (Some(0), &"attached".into()), "{resumed}");
    assert!(events.iter().any(|e| e["key"] == "journal.last-run-rolled-back"), "{events:?}");
    assert_ne!(resumed["run_id"], first["run_id"], "a new rescue: {resumed}");
}

/// A run stopped by an error midway (its detach failed on a message no rule knows), then a
/// run that preflight refuses (the zone was marked incomplete meanwhile): the refusal changed
/// nothing, so it must not replace the stopped run's journal (its status, `resume`, its
/// pre-rescue snapshot).
#[test]
fn a_refused_run_keeps_the_last_runs_journal() {
    let d = host(
        "command = \"zoneadm detach\"\nnth = 1\nexit = 1\n\
         stderr = \"zoneadm: zone 'pg01': brand detach hook failed\"",
    );
    let h = d.dir.clone();
    let first = zr(&h).args(["--yes", ZONE]).output().unwrap();
    assert_eq!(first.status.code(), Some(5), "{}", String::from_utf8_lossy(&first.stderr));
    let journal = || std::fs::read(h.join("state").join(ZONE).join("journal.json")).unwrap();
    let stopped = journal();
    let mark = Command::new(h.join("bin/zoneadm"))
        .args(["-z", ZONE, "mark", "incomplete"])
        .env_remove("ZONESIM_ROOT")
        .status()
        .unwrap();
    assert!(mark.success());
    let refused = zr(&h).args(["--yes", ZONE]).output().unwrap();
    assert_eq!(refused.status.code(), Some(3), "{}", String::from_utf8_lossy(&refused.stdout));
    assert_eq!(journal(), stopped, "the refused run replaced the journal");
}

/// The world whose step to 134 maps Apache's rename once Sun Studio is gone, with `pkg
/// install` of the intermediate `entire` failing on a full pool.
fn full_pool_during_the_step() -> Sim {
    let text = sim_support::world_text("s11express-step-blocked-by-removed-app");
    Sim::from_text(&format!(
        "{text}\n[[faults]]\ncommand = \"pkg install\"\nmatch = \"entire@0.5.11-0.134\"\nexit = 1\n\
         stderr = \"pkg: [Errno 28] No space left on device: '/zones/web02/root/var/pkg/download'\"\n"
    ))
}

#[test]
fn a_full_pool_during_a_rung_stops_auto_instead_of_removing_packages() {
    // Before, the full pool read as "no intermediate build solves" and auto went on to
    // uninstall Apache, whose rename the step would have mapped.
    let sim = full_pool_during_the_step();
    let (events, code) = sim_support::rescue_json(&sim.dir, "web02", &["--allow-destructive"]);
    let summary = events.last().unwrap();
    assert_eq!(summary["result"], "failed", "{summary}");
    assert_ne!(code, Some(0));
    let message = summary["message"].as_str().unwrap();
    assert!(message.contains("out-of-space"), "{message}");
    let uninstalled: Vec<String> = sim_support::audit(&sim.dir)
        .into_iter()
        .filter(|e| e.argv.iter().any(|a| a == "uninstall") && !e.argv.iter().any(|a| a == "-n"))
        .flat_map(|e| e.argv)
        .collect();
    assert!(
        !uninstalled.iter().any(|a| a.contains("apache") || a.contains("SUNWapch")),
        "{uninstalled:?}"
    );
    let next = summary["next_steps"].to_string();
    assert!(next.contains("resume"), "{next}");
    // The image is as before the rescue.
    let listed = sim.run("pkg", &["-R", &sim.root("web02"), "list", "-H"]).stdout;
    assert!(listed.contains("SUNWapch22") && listed.contains("sunstudio"), "{listed}");
}

#[test]
fn a_single_strategy_with_nothing_to_do_leaves_the_zone_as_it_was() {
    // gz-publishers on a GZ with one publisher: nothing to simplify. Before, the zone was
    // detached for it and left detached.
    let sim = Sim::new("s11express-minor-update");
    assert_eq!(sim.state("db01"), "installed");
    let (events, code) =
        sim_support::rescue_json(&sim.dir, "db01", &["--strategy", "gz-publishers"]);
    let summary = events.last().unwrap();
    assert_ne!(code, Some(0), "{summary}");
    assert_eq!(summary["attempts"], 0, "{summary}");
    assert_eq!(sim.state("db01"), "installed", "{summary}");
    assert!(summary["message"].as_str().unwrap().contains("nothing was changed"), "{summary}");
    assert!(!summary["next_steps"].to_string().contains("LOGFILE"), "{summary}");
}

#[test]
fn a_full_pool_in_one_rung_of_a_combined_attempt_stops_auto() {
    // Preflight predicts three remedies; the image ones are applied together once the first
    // attach (around which gz-publishers acts) has mounted the image (the solaris brand's
    // detach unmounts it). Before, the uninstall's full pool was lost to the attach that
    // followed (its diagnosis replaced it) and auto went on to image-update and image-create
    // on the full pool.
    let text = sim_support::world_text("s11-three-predicted-remedies");
    let sim = Sim::from_text(&format!(
        "{text}\n[[faults]]\ncommand = \"pkg uninstall\"\nmatch = \"uninstall -v\"\nexit = 1\n\
         stderr = \"pkg: [Errno 28] No space left on device: '/zones/web/root/var/pkg/cache'\"\n"
    ));
    let (events, code) = sim_support::rescue_json(&sim.dir, "web", &["--allow-destructive"]);
    let summary = events.last().unwrap();
    assert_eq!(summary["result"], "failed", "{summary}");
    assert_eq!(code, Some(1));
    assert!(summary["message"].as_str().unwrap().contains("out-of-space"), "{summary}");
    assert_eq!(summary["attempts"], 1, "no attach on the full pool after the one that mounted it");
    let ran: Vec<&str> = events
        .iter()
        .filter(|e| e["event"] == "step-start")
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    assert_eq!(ran, ["snapshot", "gz-publishers", "zone-publishers", "uninstall"]);
    // Every step that started has ended.
    let ended = events.iter().filter(|e| e["event"] == "step-end").count();
    assert_eq!(ended, ran.len(), "{events:?}");
    assert_eq!(sim.state("web"), "configured");
}

#[test]
fn a_failed_attach_without_a_log_says_so() {
    // OmniOS writes its messages only to the attach log: without it nothing tells why. The
    // step said "attach still fails: " and stopped at the colon.
    let text =
        std::fs::read_to_string(sim_support::scenario("omnios-rename-needs-incremental")).unwrap();
    let sim = Sim::from_text(&format!(
        "{text}\n[[faults]]\nkind = \"attach-log-missing\"\nzone = \"backup01\"\nnth = 1\n"
    ));
    let (events, _) = sim_support::rescue_json(&sim.dir, "backup01", &[]);
    let first = events
        .iter()
        .find(|e| e["event"] == "step-end" && e["name"] == "attach")
        .unwrap_or_else(|| panic!("{events:?}"));
    let detail = first["detail"].as_str().unwrap();
    assert!(
        detail.ends_with("attach still fails: no attach log was found to tell why"),
        "{detail}"
    );
}

#[test]
fn a_zone_publisher_that_cannot_be_removed_is_disabled_instead() {
    // Before, the failed unset ended zone-publishers, and auto went on to image-update (whose
    // refresh needs the dead publisher) and image-create.
    let text = sim_support::world_text("s11-three-predicted-remedies");
    let sim = Sim::from_text(&format!(
        "{text}\n[[faults]]\ncommand = \"pkg unset-publisher\"\nmatch = \"unset-publisher site\"\n\
         exit = 1\nstderr = \"\\npkg unset-publisher: \\nRemoval failed for 'site': [Errno 13] \
         Permission denied: '/zones/web/root/var/pkg/publisher/site'\"\n"
    ));
    let (events, code) = sim_support::rescue_json(&sim.dir, "web", &["--allow-destructive"]);
    let summary = events.last().unwrap();
    assert_eq!((code, &summary["result"]), (Some(0), &"attached".into()), "{summary}");
    let applied: Vec<&str> = summary["strategies_applied"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    assert_eq!(applied, ["gz-publishers", "zone-publishers", "uninstall"]);
    let step =
        events.iter().find(|e| e["event"] == "step-end" && e["name"] == "zone-publishers").unwrap();
    assert!(step["detail"].as_str().unwrap().starts_with("disabled site"), "{step}");
}

/// `--strategy uninstall` fails on this world (a zone-only publisher is dead) after removing
/// PHP; the run's final `zfs rollback` meets a busy dataset once (`nth = 1`), or always.
fn failed_uninstall(always_busy: bool) -> (Sim, serde_json::Value) {
    let mut text = sim_support::world_text("openindiana-final-rollback-busy");
    if always_busy {
        text = text.replacen("nth = 1\n", "", 1);
    }
    let h = Sim::from_text(&text);
    let out =
        zr(&h.dir).args(["--json", "--yes", "--strategy", "uninstall", "build1"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let last = String::from_utf8_lossy(&out.stdout).lines().last().unwrap().to_string();
    (h, serde_json::from_str(&last).unwrap())
}

#[test]
fn a_final_rollback_on_a_busy_dataset_is_tried_again() {
    let (h, s) = failed_uninstall(false);
    let message = s["message"].as_str().unwrap();
    assert!(message.contains("image rolled back to"), "{s}");
    let listed = h.run("pkg", &["-R", &h.root("build1"), "list", "-H"]).stdout;
    assert!(listed.contains("web/php-56"), "PHP is back: {listed}");
    assert_eq!(s["packages_removed"], serde_json::json!([]), "{s}");
}

#[test]
fn a_final_rollback_that_fails_says_what_the_image_lost_and_how_to_roll_back() {
    let (h, s) = failed_uninstall(true);
    let message = s["message"].as_str().unwrap();
    assert!(message.contains("NOT rolled back"), "{s}");
    assert_eq!(
        s["packages_removed"],
        serde_json::json!(["web/php-56", "web/php-56/extension/php-mysql"]),
        "{s}"
    );
    let steps = s["next_steps"].to_string();
    assert!(steps.contains("zonerescue rollback build1"), "{s}");
    let listed = h.run("pkg", &["-R", &h.root("build1"), "list", "-H"]).stdout;
    assert!(!listed.contains("web/php-56"), "{listed}");
}

/// The JSON Lines events a run printed.
fn events_of(out: &std::process::Output) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(&out.stdout).lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

/// `zonerescue --json --yes ARGS` on `h`: exit status and the summary (the last line).
fn summary_of(h: &Sim, args: &[&str]) -> (Option<i32>, serde_json::Value) {
    let out = zr(&h.dir).args(["--json", "--yes"]).args(args).output().unwrap();
    let last = String::from_utf8_lossy(&out.stdout).lines().last().unwrap_or_default().to_string();
    (out.status.code(), serde_json::from_str(&last).unwrap())
}

/// The busy dataset meets the undo of a rung, not the run's final rollback: `--strategy
/// incremental` cannot step this zone (a zone-only publisher is dead), and undoing its rung
/// met `dataset is busy` once. Before, that stopped the run with an error (exit 5) although
/// the image ended as it began; the undo is now tried again, and the run ends as the
/// strategy's failure it is (exit 1), with the image as the rescue found it.
#[test]
fn a_rung_undo_on_a_busy_dataset_is_tried_again() {
    let h = Sim::from_text(&sim_support::world_text("openindiana-final-rollback-busy"));
    let before = h.run("pkg", &["-R", &h.root("build1"), "list", "-H"]).stdout;
    let (code, s) = summary_of(&h, &["--strategy", "incremental", "build1"]);
    assert_eq!(code, Some(1), "{s}");
    assert_eq!(s["result"], "failed", "{s}");
    assert!(s["message"].as_str().unwrap().contains("image rolled back to"), "{s}");
    let rollbacks = sim_support::audit(&h.dir)
        .into_iter()
        .filter(|a| a.argv.iter().any(|w| w == "rollback"))
        .map(|a| a.exit)
        .collect::<Vec<_>>();
    // The rung's undo: busy, then done; the final rollback to the pre-rescue snapshot: done.
    assert_eq!(rollbacks, [1, 0, 0], "{s}");
    assert_eq!(h.run("pkg", &["-R", &h.root("build1"), "list", "-H"]).stdout, before);
}

/// An error no retry gets past stops the run midway (exit 5); its next steps name `resume`,
/// which runs the stopped rung again (documented in the man page's exit status 5). Before,
/// they offered only `zonerescue status`.
#[test]
fn a_run_stopped_by_an_error_says_resume_continues_it() {
    let text = sim_support::world_text("openindiana-final-rollback-busy")
        .replace("dataset is busy", "I/O error");
    let h = Sim::from_text(&text);
    let (code, s) = summary_of(&h, &["--strategy", "incremental", "build1"]);
    assert_eq!(code, Some(5), "{s}");
    let steps = s["next_steps"].to_string();
    assert!(steps.contains("once the cause is fixed: zonerescue resume build1"), "{s}");
    let (code, s) = summary_of(&h, &["resume", "build1"]);
    // The rung ran again (this zone's dead zone-only publisher defeats it) and was undone.
    assert_eq!(code, Some(1), "{s}");
    assert!(s["message"].as_str().unwrap().contains("tried: incremental"), "{s}");
}

/// An attach stopped by a signal from outside the run (a kill, the OOM killer) says nothing
/// about the image: it is attached again, not taken for the rung's failure. Before, auto
/// climbed past uninstall to image-update and, with --allow-destructive, re-created the
/// image of a zone the next attach rescues (adversarial round l).
#[test]
fn an_attach_killed_from_outside_is_attached_again_not_climbed_past() {
    let h = host(
        "command = \"zoneadm attach\"\nnth = 1\nexit = 1\nstderr = \"zoneadm: zone 'pg01': \
         'brand-specific attach' terminated by signal SIGKILL.\"",
    );
    let (code, s) = summary_of(&h, &["--allow-destructive", ZONE]);
    assert_eq!(code, Some(0), "{s}");
    assert_eq!(s["strategies_applied"], serde_json::json!(["uninstall"]), "{s}");
    assert_eq!(s["attempts"], 2, "{s}");
    let removed = s["packages_removed"].to_string();
    assert!(!removed.contains("SUNWcs"), "{s}");
}

/// Round m F3: the global zone's copy of a Solaris 11 attach log is gone when the attach ends
/// (rotated, /var cleaned); the copy the brand saved in the zone, which the terminal names
/// ("Log saved in non-global zone as …"), is read instead. Before, auto had no evidence and
/// uninstalled web/php-53, which a step keeps (renamed to web/php-56 later).
#[test]
fn the_brand_s_copy_in_the_zone_stands_in_for_a_missing_attach_log() {
    let path = sim_support::scenario("solaris11-image-update");
    let text =
        std::fs::read_to_string(path).unwrap() + "\n[[faults]]\nkind = \"attach-log-missing\"\n";
    let h = Sim::from_text(&text);
    let (code, s) = summary_of(&h, &["php11"]);
    assert_eq!(code, Some(0), "{s}");
    assert_eq!(s["strategies_applied"], serde_json::json!(["attach", "incremental"]), "{s}");
    let listed = h.run("pkg", &["-R", &h.root("php11"), "list", "-H"]).stdout;
    assert!(listed.contains("web/php-56"), "PHP is kept (renamed): {listed}");
}

/// Round m F7: run 1 stops for resume after its uninstall (its attach is killed by a signal
/// three times), so its pre-rescue snapshot is the only image with PostgreSQL. Run 2 (a new
/// run, not resume) attaches and keeps it as the zone before any rescue; so must every later
/// run. Before, run 3's journal no longer named it and `snapshots --prune` destroyed it.
#[test]
fn the_snapshot_from_before_any_rescue_outlives_later_runs_and_prune() {
    let killed = "\n[[faults]]\ncommand = \"zoneadm attach\"\nnth = N\nexit = 1\nstderr = \
                  \"zoneadm: zone 'pg01': 'brand-specific attach' terminated by signal SIGKILL.\"\n";
    let mut text =
        std::fs::read_to_string(sim_support::scenario("omnios-postgres-removed")).unwrap();
    for n in 1..=3 {
        text.push_str(&killed.replace("nth = N", &format!("nth = {n}")));
    }
    let h = Sim::from_text(&text);
    let (code, first) = summary_of(&h, &["pg01"]);
    assert_eq!(code, Some(1), "{first}");
    let original = first["pre_snapshot"].as_str().unwrap().to_string();
    for run in [2, 3] {
        let (code, s) = summary_of(&h, &["pg01"]);
        assert_eq!(code, Some(0), "run {run}: {s}");
    }
    let out = zr(&h.dir).args(["--yes", "snapshots", "--prune", "pg01"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let left = h.run("zfs", &["list", "-H", "-t", "snapshot", "-o", "name"]).stdout;
    assert!(left.lines().any(|l| l == original), "{original} pruned: {left}");
}

/// An incomplete zone is refused with what an administrator does, the data first (round o
/// minor): snapshot the zone's dataset, then the brand's forced update (`-X` on Solaris 11,
/// `-U` on illumos) or a restore; `uninstall` last, said to destroy the datasets. Before, the
/// advice began with `zoneadm uninstall`.
#[test]
fn an_incomplete_zone_is_refused_with_the_data_kept_first() {
    for (world, zone, forced) in
        [("omnios-postgres-removed", "pg01", "-U"), ("solaris11-image-update", "php11", "-X")]
    {
        let sim = Sim::new(world);
        assert_eq!(sim.run("zoneadm", &["-z", zone, "mark", "incomplete"]).code, 0);
        let (events, code) = sim_support::rescue_json(&sim.dir, zone, &[]);
        assert_eq!(code, Some(3), "{:?}", events.last());
        let f = events.iter().find(|e| e["key"] == "zone.incomplete").expect("the finding");
        let fix = f["remediation"].as_str().unwrap();
        assert!(fix.starts_with("first keep what is there: `zfs snapshot -r"), "{fix}");
        assert!(fix.contains(&format!("zoneadm -z {zone} attach {forced}")), "{fix}");
        assert!(fix.contains("DESTROYS"), "{fix}");
        assert_eq!(sim.state(zone), "incomplete");
    }
}

/// Round q F1: a run stopped in its uninstall (pkg crashed); pkg is fixed and the operator
/// rescues the zone by hand (uninstall, `attach -u`: installed, in step with the global zone).
/// `resume` leaves that zone alone: no `zfs rollback` of the attached zone's ZBE, the
/// operator's image kept; `--all` calls the zone fine and advises no resume. Before, resume
/// rolled the ZBE back under the attached zone (PostgreSQL back, entire 151046 on a 151054
/// global zone) and said "attached".
#[test]
fn resume_leaves_a_zone_fixed_by_hand_since_the_stop_alone() {
    let h = host(
        "command = \"pkg uninstall\"\nmatch = \"postgresql\"\nexit = 99\nstderr = \"Traceback \
         (most recent call last):\\nMemoryError\\n\"",
    );
    let (code, s) = summary_of(&h, &[ZONE]);
    assert_eq!(code, Some(1), "{s}");
    assert!(s["next_steps"].to_string().contains("zonerescue resume pg01"), "{s}");
    let world_path = h.dir.join("world.json");
    let mut world: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&world_path).unwrap()).unwrap();
    world["faults"] = serde_json::Value::Array(vec![]);
    std::fs::write(&world_path, serde_json::to_vec_pretty(&world).unwrap()).unwrap();
    let root = h.root(ZONE);
    let pg = ["database/postgresql-12", "database/postgresql-12/contrib"];
    assert_eq!(h.run("pkg", &[&["-R", root.as_str(), "uninstall"][..], &pg[..]].concat()).code, 0);
    assert_eq!(h.run("zoneadm", &["-z", ZONE, "attach", "-u"]).code, 0);
    let fixed = h.run("pkg", &["-R", &root, "list", "-H"]).stdout;
    assert!(fixed.contains("11-151054") && !fixed.contains("postgresql"), "{fixed}");
    let all = zr(&h.dir).args(["--all", "--json"]).output().unwrap();
    let all: serde_json::Value = serde_json::from_slice(&all.stdout).unwrap();
    let z = &all["zones"][0];
    assert_eq!(z["status"], "fine", "{z}");
    assert!(z["next"].is_null(), "{z}");
    let before = sim_support::audit(&h.dir).len();
    let (code, s) = summary_of(&h, &["resume", ZONE]);
    assert_eq!(code, Some(0), "{s}");
    assert!(s["message"].as_str().unwrap().contains("nothing was undone"), "{s}");
    assert_eq!(h.state(ZONE), "installed");
    assert_eq!(h.run("pkg", &["-R", &root, "list", "-H"]).stdout, fixed, "the fix was undone");
    let changed: Vec<String> = sim_support::audit(&h.dir)[before..]
        .iter()
        .map(|a| a.argv.join(" "))
        .filter(|a| {
            ["zfs rollback", "detach", "attach", " install", " uninstall", " update"]
                .iter()
                .any(|c| a.contains(c))
        })
        .collect();
    assert!(changed.is_empty(), "resume changed the fixed zone: {changed:?}");
}

/// Round u F2: another pkg client holds the zone's image for the whole run. The check before
/// the uninstall rung meets the lock past its retries: the run stops there, the zone still
/// installed (before: the rung was taken as not applicable, and gz-publishers' attach detached
/// the zone, to stop at the next rung with the zone left detached).
#[test]
fn an_image_held_by_another_pkg_stops_the_run_before_any_detach() {
    let text = std::fs::read_to_string(sim_support::scenario("s11express-b111-web")).unwrap();
    let d =
        Sim::from_text(&format!("{text}\n[[faults]]\nkind = \"image-locked\"\nzone = \"web01\"\n"));
    let out = zr(&d.dir).args(["--json", "--yes", "web01"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let s: serde_json::Value = serde_json::from_str(text.lines().last().unwrap()).unwrap();
    assert_eq!((out.status.code(), s["result"].as_str()), (Some(1), Some("failed")), "{s}");
    assert!(s["message"].as_str().unwrap().contains("another package client holds"), "{s}");
    assert_eq!(d.state("web01"), "installed");
    let audit = sim_support::audit(&d.dir);
    assert!(!audit.iter().any(|a| a.argv.iter().any(|x| x == "detach" || x == "attach")));
}

/// Hostile jj F4: the same, told only by the attach's exit status: zoneadm killed outright
/// (SIGKILL, nothing said on its stderr), its log just stopping. Before, that read as a
/// truncated log: auto went on to image-update, `--strategy attach` rolled back and advised
/// auto. It is attached again, with no further rung.
#[test]
fn an_attach_killed_by_a_signal_without_a_word_is_attached_again() {
    let text = std::fs::read_to_string(sim_support::scenario("s11express-minor-update")).unwrap();
    let fault = "[[faults]]\ncommand = \"zoneadm attach\"\nnth = 1\nkilled = true\n";
    for choice in ["auto", "attach"] {
        let h = Sim::from_text(&format!("{text}\n{fault}"));
        let (code, s) = summary_of(&h, &["--strategy", choice, "db01"]);
        assert_eq!(code, Some(0), "{choice}: {s}");
        assert_eq!(s["strategies_applied"], serde_json::json!(["attach"]), "{choice}: {s}");
        assert_eq!(sim_support::attach_runs(&h.dir), 2, "{choice}: {s}");
        let audit = sim_support::audit(&h.dir);
        assert!(audit.iter().any(|a| a.exit == 137), "the fault must fire");
        let updated = audit.iter().any(|a| a.argv.iter().any(|x| x == "image-update"));
        assert!(!updated, "{choice}: {s}");
    }
}

/// Regress kk F1, F2: the detach in front of the attach, killed from outside before it
/// detached (OOM killer, kill -9), ended the run as an error (exit 5) with no retry; stopped at
/// its time limit after it had detached (a hung cleanup), the run said "nothing was changed:
/// the zone is as it was" of a zone left detached. The killed detach is run again; the one
/// that outlived its limit counts by the zone's state. Both attach the zone.
#[test]
fn a_detach_killed_or_outliving_its_limit_is_judged_by_the_zones_state() {
    let text = std::fs::read_to_string(sim_support::scenario("s11express-minor-update")).unwrap();
    let killed = "[[faults]]\ncommand = \"zoneadm detach\"\nnth = 1\nkilled = true\n";
    let lingers = "[[faults]]\ncommand = \"zoneadm detach\"\nnth = 1\nlinger_s = 6000\n";
    for (fault, detaches, extra) in
        [(killed, 2, vec![]), (lingers, 1, vec!["--timeout", "zoneadm=2"])]
    {
        let h = Sim::from_text(&format!("{text}\n{fault}"));
        let mut args = extra.clone();
        args.extend(["--strategy", "attach", "db01"]);
        let out = sim_support::zonerescue(&h.dir)
            .args(["--json", "--yes"])
            .args(&args)
            .env("ZONESIM_SPEED", "1000")
            .output()
            .unwrap();
        let events = events_of(&out);
        let s = events.last().unwrap();
        assert_eq!(out.status.code(), Some(0), "{fault}: {s}");
        assert_eq!(s["result"], "attached", "{fault}: {s}");
        assert_eq!(h.state("db01"), "installed");
        let audit = sim_support::audit(&h.dir);
        let n = audit.iter().filter(|a| a.argv.iter().any(|x| x == "detach")).count();
        assert_eq!(n, detaches, "{fault}");
        if fault == lingers {
            sim_support::finding(&events, "detach.outlived-its-limit");
        }
    }
}

/// Hostile ll F3: a snapshot another tool takes of the zone boot environment during a run
/// (time-slider's, a replication tool's) was destroyed by the run's own `zfs rollback -r` to an
/// earlier snapshot, silently, where `zonerescue rollback` refuses without
/// `--destroy-foreign-snapshots`. The run's undo spares it now, and says why it did not roll back.
/// Regress mm F3: also one of a dataset below the ZBE (Solaris 11's `…/var`), which the rollback
/// rolls back too.
#[test]
fn a_runs_rollback_spares_a_snapshot_another_tool_took() {
    let text = std::fs::read_to_string(sim_support::scenario("s11express-orphaned-core")).unwrap();
    let with_var = text.replacen("active = true }", "active = true, children = [\"var\"] }", 1);
    assert_ne!(text, with_var);
    for foreign in [
        "rpool/zones/legacy01/ROOT/zbe@zfs-auto-snap_hourly-2026-12-07-0300",
        "rpool/zones/legacy01/ROOT/zbe/var@zfs-auto-snap_hourly-2026-12-07-0300",
    ] {
        let h = Sim::from_text(&with_var);
        let dir = &h.dir;
        // Before the run's first attach: the other tool's snapshot.
        let hook = format!(
            "case \"$*\" in *attach*) [ -e '{m}' ] || {{ : > '{m}'; '{zfs}' snapshot '{foreign}'; }};; esac\nexec '{zoneadm}' \"$@\"",
            m = dir.join("snapped").display(),
            zfs = dir.join("bin/zfs").display(),
            zoneadm = dir.join("bin/zoneadm").display(),
        );
        let events =
            rescue_through_wrapped_zoneadm(dir, &hook, &["--strategy", "ladder", "legacy01"]);
        let s = events.last().unwrap();
        assert!(dir.join("snapped").exists(), "the hook must fire: {s}");
        let listed = h.run("zfs", &["list", "-H", "-t", "snapshot", "-o", "name"]).stdout;
        assert!(listed.lines().any(|l| l == foreign), "destroyed: {listed}\n{s}");
        let said = s.to_string();
        assert!(said.contains("zonerescue did not take") && said.contains(foreign), "{s}");
    }
}

/// Regress oo F1: a halted Solaris 11 zone of a later release, read after its first attach,
/// whose image cannot be rolled back before its put-back (another tool snapshotted its `var`
/// during the attach): it is put back installed, and the report says its image was not rolled
/// back first (it said "attached again as it was").
#[test]
fn a_put_back_whose_rollback_was_refused_says_so() {
    let text = sim_support::world_text("s11-halted-zone-unmounted");
    let with_var = text.replacen("active = true }", "active = true, children = [\"var\"] }", 1);
    assert_ne!(text, with_var);
    let h = Sim::from_text(&with_var);
    let dir = &h.dir;
    let foreign = "rpool/zones/z1/rpool/ROOT/solaris/var@zfs-auto-snap_hourly-2026-12-07-0300";
    let hook = format!(
        "case \"$*\" in *attach*-u*) [ -e '{m}' ] || {{ : > '{m}'; '{zfs}' snapshot '{foreign}'; }};; esac\nexec '{zoneadm}' \"$@\"",
        m = dir.join("snapped").display(),
        zfs = dir.join("bin/zfs").display(),
        zoneadm = dir.join("bin/zoneadm").display(),
    );
    let events = rescue_through_wrapped_zoneadm(dir, &hook, &["--strategy", "auto", "z1"]);
    let s = events.last().unwrap();
    assert!(dir.join("snapped").exists(), "the hook must fire: {s}");
    assert_eq!(h.state("z1"), "installed", "{s}");
    assert!(s["message"].as_str().unwrap().contains("was not rolled back first"), "{s}");
    let listed = h.run("zfs", &["list", "-H", "-t", "snapshot", "-o", "name"]).stdout;
    assert!(listed.lines().any(|l| l == foreign), "destroyed: {listed}\n{s}");
}

/// Regress nn F6: a halted Solaris 11 zone found in step after its first attach, whose put-back
/// `attach -F` failed, was told "once the cause is fixed: zonerescue resume", which starts a
/// rescue it does not need (zone-publishers removed its in-zone publisher). The `attach -F` is
/// what remains; run as given, it puts the zone back with its publishers.
#[test]
fn a_failed_put_back_is_not_sent_to_resume() {
    let text = sim_support::world_text("s11-halted-zone-unmounted")
        .replace("entire = 185", "entire = 183")
        .replace("5a1e0c77-0000-4000-8000-000000000111", "9b0e57a4-6f3e-4c1b-8e0d-2f1c7a5d3e21")
        .replace(
            r#"publishers = [{ name = "solaris", origins = ["http://pkg.oracle.com/solaris/new/"] }]"#,
            r#"publishers = [{ name = "solaris", origins = ["http://pkg.oracle.com/solaris/release/"] }, { name = "local", origins = ["http://10.0.5.12:10000/"] }]"#,
        );
    let h = Sim::from_text(&format!(
        "{text}\n[[faults]]\ncommand = \"zoneadm\"\nmatch = \"-F\"\nnth = 1\nexit = 1\nstderr = \"zoneadm: zone z1: attach failed\"\n"
    ));
    let (code, s) = summary_of(&h, &["--strategy", "auto", "z1"]);
    assert_ne!(code, Some(0), "{s}");
    assert_eq!(h.state("z1"), "configured", "{s}");
    let next = s["next_steps"].to_string();
    assert!(!next.contains("zonerescue resume"), "{next}");
    assert!(next.contains("zoneadm -z z1 attach -F"), "{next}");
    assert_eq!(h.run("zoneadm", &["-z", "z1", "attach", "-F"]).code, 0);
    assert_eq!(h.state("z1"), "installed");
    let pubs = h.run("pkg", &["-R", &h.root("z1"), "publisher", "-H"]).stdout;
    assert!(pubs.contains("local"), "{pubs}");
}

/// Hostile pp F1: `zoneadm list -p` failing after an `attach -u` that worked read as a failed
/// attach: the zone was detached again and rolled back to the pre-rescue snapshot. A failure
/// once is asked again (attached); one that lasts stops the run with the zone left as the
/// attach left it, neither detached nor rolled back.
#[test]
fn an_unreadable_state_after_an_attach_does_not_undo_it() {
    for (times, attached) in [(1, true), (99, false)] {
        let h = Sim::new("omnios-postgres-removed");
        let dir = &h.dir;
        let hook = format!(
            "m='{m}'; n='{n}'\ncase \"$*\" in\n*attach*) : > \"$m\";;\n*list*) if [ -e \"$m\" ] && [ \"$(wc -c < \"$n\" 2>/dev/null || echo 0)\" -lt {times} ]; then printf x >> \"$n\"; echo \"zoneadm: zone 'pg01': could not get state\" >&2; exit 1; fi;;\nesac\nexec '{zoneadm}' \"$@\"",
            m = dir.join("attached").display(),
            n = dir.join("failures").display(),
            zoneadm = dir.join("bin/zoneadm").display(),
        );
        let events = rescue_through_wrapped_zoneadm(dir, &hook, &["--strategy", "auto", "pg01"]);
        let s = events.last().unwrap();
        assert!(dir.join("attached").exists(), "the attach must run: {s}");
        assert_eq!(h.state("pg01"), "installed", "{times}: {s}");
        let rolled_back =
            sim_support::audit(dir).iter().any(|e| e.argv.iter().any(|a| a == "rollback"));
        assert!(!rolled_back, "{times}: {s}");
        if attached {
            assert_eq!(s["result"], "attached", "{s}");
        } else {
            assert_eq!(s["result"], "error", "{s}");
            let m = s["message"].as_str().unwrap();
            assert!(m.contains("neither detached nor rolled back"), "{m}");
        }
    }
}

/// Hostile pp F2: a `zoneadm detach` that exited 0 and left the zone installed was taken at its
/// word: the rung changed the installed zone's image, and the attach that failed after it read
/// as attached (the zone was installed), exit 0. The detach is checked by the zone's state:
/// the run stops before any rung, having changed nothing.
#[test]
fn a_detach_that_leaves_the_zone_installed_stops_the_run() {
    let h = Sim::new("omnios-postgres-removed");
    let dir = &h.dir;
    let hook = format!(
        "case \"$*\" in *detach*) exit 0;; esac\nexec '{}' \"$@\"",
        dir.join("bin/zoneadm").display()
    );
    let events = rescue_through_wrapped_zoneadm(dir, &hook, &["--strategy", "auto", "pg01"]);
    let s = events.last().unwrap();
    assert_eq!(s["result"], "error", "{s}");
    assert!(s["message"].as_str().unwrap().contains("nothing was changed"), "{s}");
    assert_eq!(h.state("pg01"), "installed");
    let changed = sim_support::audit(dir).iter().any(|e| {
        e.argv.iter().any(|a| a == "uninstall") && !e.argv.iter().any(|a| a == "-n")
            || e.argv.iter().any(|a| a == "attach")
    });
    assert!(!changed, "{s}");
}

/// Hostile pp F3: a rung's `zfs snapshot` that exits 0 without the snapshot listed stops the
/// run before the rung, which the step then said was "applied, then rolled back". It says the
/// rung did not run.
#[test]
fn a_rung_whose_snapshot_is_not_there_is_said_not_to_have_run() {
    let h = Sim::new("omnios-postgres-removed");
    let dir = &h.dir;
    let zfs = format!(
        "case \"$*\" in snapshot*-02-*) exit 0;; esac\nexec '{}' \"$@\"",
        dir.join("bin/zfs").display()
    );
    let events = rescue_through_wrapped(dir, "zfs", &zfs, &["--strategy", "auto", "pg01"]);
    let s = events.last().unwrap();
    assert_eq!(s["result"], "error", "{s}");
    assert_eq!(s["strategies_applied"], serde_json::json!([]), "{s}");
    let end = events
        .iter()
        .find(|e| e["event"] == "step-end" && e["name"] == "uninstall")
        .unwrap_or_else(|| panic!("{s}"));
    assert_eq!(end["outcome"], "skipped", "{end}");
    assert!(end["detail"].as_str().unwrap().starts_with("not run"), "{end}");
    // The resume it advises starts anew from the rolled-back image, and does not tell the
    // operator to stop it and run `resume` (regress ss F4: the command already running).
    let out = zr(dir).args(["--yes", "--json", "resume", "pg01"]).output().unwrap();
    let events: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(out.status.code(), Some(0), "{:?}", events.last());
    assert!(events.iter().any(|e| e["key"] == "journal.last-run-rolled-back"), "{events:?}");
    assert!(!events.iter().any(|e| e["key"] == "journal.last-run-unfinished"), "{events:?}");
}

/// Regress qq F1: `zonerescue rollback` believed a detach that exited 0 and left the zone
/// installed: it rolled the installed zone's image back to the old release and said it was
/// detached. It stops before any rollback.
#[test]
fn a_rollback_does_not_roll_back_under_a_zone_still_installed() {
    let h = Sim::new("s11express-b111-web");
    let (events, _) = sim_support::rescue_json(&h.dir, "web01", &["--strategy", "auto"]);
    assert_eq!(events.last().unwrap()["result"], "attached");
    let dir = &h.dir;
    let hook = format!(
        "case \"$*\" in *detach*) exit 0;; esac\nexec '{}' \"$@\"",
        dir.join("bin/zoneadm").display()
    );
    let events = rescue_through_wrapped_zoneadm(dir, &hook, &["rollback", "web01"]);
    let s = events.last().unwrap();
    assert_ne!(s["result"], "rolled-back", "{s}");
    assert_eq!(h.state("web01"), "installed");
    let rolled_back =
        sim_support::audit(dir).iter().any(|e| e.argv.iter().any(|a| a == "rollback"));
    assert!(!rolled_back, "{s}");
}

/// Hostile ll F1: an attach log with one line of hundreds of megabytes and no end was held
/// whole while followed (a 700 MB limit aborted the run). The follower reads a line's first
/// 64 KiB and skips the rest to its end, as analyze does; the lines after it are still read.
#[test]
fn a_runaway_attach_log_line_is_read_only_in_part() {
    let h = Sim::new("omnios-two-zones");
    let dir = &h.dir;
    // After the attach: 3 MB without a newline, then one more line, in its log.
    let hook = format!(
        "'{real}' \"$@\"; rc=$?\ncase \"$*\" in *attach*) for f in '{tmp}'/pg02.attach_log.*; do \
         head -c 3000000 /dev/zero | tr '\\0' x >> \"$f\"; printf '\\nafter the runaway line\\n' >> \"$f\"; done;; esac\nexit $rc",
        real = dir.join("bin/zoneadm").display(),
        tmp = dir.join("var/tmp").display(),
    );
    let events = rescue_through_wrapped_zoneadm(dir, &hook, &["--strategy", "attach", "pg02"]);
    let lines: Vec<&str> = events
        .iter()
        .filter(|e| e["event"] == "log-line")
        .filter_map(|e| e["line"].as_str())
        .collect();
    let longest = lines.iter().map(|l| l.len()).max().unwrap_or(0);
    assert!(longest > 60_000 && longest <= 64 * 1024, "{longest}");
    assert!(lines.contains(&"after the runaway line"), "the lines after it are read");
}

/// Hostile ll F2: an installed zone detached for a rung whose own snapshot then failed (a full
/// pool) was left detached with no word of `attach -F`, the report saying the rungs' work was
/// left in its image (nothing had been applied). It says the rung changed nothing, and how to
/// put the zone back as it was; the command, run as given, does.
#[test]
fn a_zone_detached_for_a_rung_that_never_ran_is_told_how_to_go_back() {
    let text = std::fs::read_to_string(sim_support::scenario("omnios-two-zones")).unwrap();
    let h = Sim::from_text(&format!("{text}\n[[faults]]\nkind = \"out-of-space\"\nnth = 2\n"));
    let (code, s) = summary_of(&h, &["--strategy", "auto", "pg02"]);
    assert_eq!(code, Some(1), "{s}");
    assert_eq!(h.state("pg02"), "configured");
    let m = s["message"].as_str().unwrap();
    assert!(m.contains("which changed nothing in its image"), "{m}");
    let next = s["next_steps"].to_string();
    assert!(next.contains("zoneadm -z pg02 attach -F"), "{next}");
    assert_eq!(h.run("zoneadm", &["-z", "pg02", "attach", "-F"]).code, 0);
    assert_eq!(h.state("pg02"), "installed");
}

/// `zonerescue --json --yes ARGS…` on the host in `dir` through a command dir of its own whose
/// `zoneadm` is the script `zoneadm` (the others hand over to the host's): its events.
fn rescue_through_wrapped_zoneadm(
    dir: &std::path::Path,
    zoneadm: &str,
    args: &[&str],
) -> Vec<serde_json::Value> {
    rescue_through_wrapped(dir, "zoneadm", zoneadm, args)
}

/// [`rescue_through_wrapped_zoneadm`] with the command `wrapped` as the script `body`.
fn rescue_through_wrapped(
    dir: &std::path::Path,
    wrapped: &str,
    body: &str,
    args: &[&str],
) -> Vec<serde_json::Value> {
    rescue_through_wrapped_env(dir, wrapped, body, args, &[])
}

/// [`rescue_through_wrapped`] with `env` set for zonerescue (as in the operator's shell).
fn rescue_through_wrapped_env(
    dir: &std::path::Path,
    wrapped: &str,
    body: &str,
    args: &[&str],
    env: &[(&str, &str)],
) -> Vec<serde_json::Value> {
    let wrap = dir.join("wrapped-bin");
    std::fs::create_dir(&wrap).unwrap();
    for e in std::fs::read_dir(dir.join("bin")).unwrap() {
        let name = e.unwrap().file_name().to_string_lossy().to_string();
        let real = dir.join("bin").join(&name);
        let body = if name == wrapped {
            body.to_string()
        } else {
            format!("exec '{}' \"$@\"", real.display())
        };
        sim_support::write_script(&wrap.join(&name), &body);
    }
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_zonerescue"))
        .arg("--command-dir")
        .arg(&wrap)
        .arg("--system-root")
        .arg(dir)
        .arg("--state-dir")
        .arg(dir.join("state"))
        .args(["--json", "--yes"])
        .args(args)
        .env_remove("ZONESIM_ROOT")
        .envs(env.iter().copied())
        .output()
        .unwrap();
    events_of(&out)
}

/// Hostile ss F2: `pkg -R ROOT list -H` crashing on every call was read as a zone with no
/// packages: the uninstall of the blockers the attach named was never proposed ("not
/// installed"), and auto climbed to image-create, which wiped the zone's package image. The
/// run refuses before anything changes, and says why; one crash alone is read past.
#[test]
fn a_package_list_that_cannot_be_read_refuses_the_run() {
    let crash = |once: bool| {
        let h = Sim::new("omnios-postgres-removed");
        let dir = h.dir.clone();
        let mark = dir.join("crashed");
        let guard = if once {
            format!("[ -e '{0}' ] || {{ : > '{0}'; crash; }}", mark.display())
        } else {
            "crash".into()
        };
        let pkg = format!(
            "crash() {{ echo 'Traceback (most recent call last):' >&2; echo MemoryError >&2; exit 99; }}\n\
             if [ \"$1\" = -R ] && [ \"$3\" = list ] && [ \"$4\" = -H ] && [ $# = 4 ]; then {guard}; fi\n\
             exec '{}' \"$@\"",
            dir.join("bin/pkg").display()
        );
        let events = rescue_through_wrapped(
            &dir,
            "pkg",
            &pkg,
            &["--strategy", "auto", "--allow-destructive", "pg01"],
        );
        (h, events)
    };
    let (h, events) = crash(false);
    let s = events.last().unwrap();
    assert_eq!(s["result"], "refused", "{s}");
    let f = sim_support::finding(&events, "zone.packages-unread");
    assert!(f["detail"].as_str().unwrap().contains("MemoryError"), "{f}");
    assert_eq!(h.state("pg01"), "installed");
    assert!(!sim_support::audit(&h.dir).iter().any(|e| e.argv.iter().any(|a| a == "image-create")));
    // A crash that passes: the run goes on, and uninstall (not image-create) attaches it.
    let (_h, events) = crash(true);
    let s = events.last().unwrap();
    assert_eq!(s["result"], "attached", "{s}");
    assert_eq!(s["strategies_applied"], serde_json::json!(["uninstall"]), "{s}");
}

/// Regress ss F1: a halted zone found in step once the detach mounted its image, whose
/// put-back `attach -F` failed on a busy zone (a cause outside the image): the run advised
/// `resume`, which then rescued the zone that needed nothing and removed its in-zone
/// publisher. Only the put-back is advised.
#[test]
fn a_put_back_that_meets_a_busy_zone_advises_only_the_put_back() {
    let text = sim_support::world_text("openindiana-zone-already-in-step").replacen(
        "[[zones]]\n",
        "[[zones]]\nroot_mounted = false\n",
        1,
    );
    let h = Sim::from_text(&format!(
        "{text}\n[[faults]]\ncommand = \"zoneadm attach\"\nmatch = \"-F\"\nnth = 1\nexit = 1\n\
         stderr = \"zoneadm: zone 'app01': another zoneadm may have an operation in progress.\"\n"
    ));
    let (events, _) = sim_support::rescue_json(&h.dir, "app01", &["--strategy", "auto"]);
    let s = events.last().unwrap();
    assert_eq!(s["result"], "failed", "{s}");
    let next = s["next_steps"].to_string();
    assert!(!next.contains("zonerescue resume"), "{next}");
    assert!(next.contains("zoneadm -z app01 attach -F"), "{next}");
}

/// Oracle ss2 F1: uninstall's read-only check met a full pool while the zone was still
/// installed; the run detached it anyway, met the full pool again and stopped with the zone
/// left detached. It stops before the detach, with nothing changed.
#[test]
fn a_rung_check_on_a_full_pool_stops_before_the_detach() {
    let h = host(
        "command = \"pkg uninstall\"\nexit = 1\n\
         stderr = \"pkg: [Errno 28] No space left on device: '/zones/pg01/root/var/pkg/lock'\"",
    );
    let out = zr(&h.dir).args(["--yes", "--json", "--strategy", "auto", ZONE]).output().unwrap();
    let last = String::from_utf8_lossy(&out.stdout).lines().last().unwrap_or_default().to_string();
    let s: serde_json::Value = serde_json::from_str(&last).unwrap();
    assert_eq!(s["result"], "failed", "{s}");
    assert!(s["message"].as_str().unwrap().contains("nothing was changed"), "{s}");
    assert_eq!(h.state(ZONE), "installed", "{s}");
    let detached = sim_support::audit(&h.dir).iter().any(|e| e.argv.iter().any(|a| a == "detach"));
    assert!(!detached, "{s}");
    // Nothing to undo: `rollback` changes nothing (regress tt F2: it detached the zone and
    // rolled back its untouched image).
    let out = zr(&h.dir).args(["--yes", "rollback", ZONE]).output().unwrap();
    assert_eq!(h.state(ZONE), "installed", "{}", String::from_utf8_lossy(&out.stdout));
    let detached = sim_support::audit(&h.dir).iter().any(|e| e.argv.iter().any(|a| a == "detach"));
    assert!(!detached);
}

/// `zonerescue --strategy auto --allow-destructive ZONE` on `scenario` with the zone halted
/// (its boot environment mounted nowhere) and `pkg -R ROOT list -H` crashing on every call.
fn halted_with_package_list_crashing(scenario: &str, zone: &str) -> (Sim, Vec<serde_json::Value>) {
    let text = std::fs::read_to_string(sim_support::scenario(scenario)).unwrap().replacen(
        "[[zones]]\n",
        "[[zones]]\nroot_mounted = false\n",
        1,
    );
    let h = Sim::from_text(&text);
    let pkg = format!(
        "if [ \"$1\" = -R ] && [ \"$3\" = list ] && [ \"$4\" = -H ] && [ $# = 4 ]; then \
         echo MemoryError >&2; exit 99; fi\nexec '{}' \"$@\"",
        h.dir.join("bin/pkg").display()
    );
    let events = rescue_through_wrapped(
        &h.dir,
        "pkg",
        &pkg,
        &["--strategy", "auto", "--allow-destructive", zone],
    );
    (h, events)
}

/// Regress uu F2: the same crash on a halted Solaris 11 zone, whose image only its first
/// attach mounts: after that attach every rung said the boot environment was "mounted
/// nowhere", and the crash was never named. The rungs say what stops them.
#[test]
fn a_solaris_zones_package_list_unreadable_after_its_first_attach_is_named() {
    let (_h, events) = halted_with_package_list_crashing("solaris11-image-update", "php11");
    let s = events.last().unwrap();
    assert_ne!(s["result"], "attached", "{s}");
    let said: Vec<&str> = events
        .iter()
        .filter(|e| e["event"] == "step-end" && e["outcome"] == "skipped")
        .filter_map(|e| e["detail"].as_str())
        .collect();
    assert!(!said.is_empty(), "{events:?}");
    for d in said {
        assert!(d.contains("package list cannot be read") && d.contains("MemoryError"), "{d}");
        assert!(!d.contains("mounted nowhere"), "{d}");
    }
}

/// Regress tt F1: the same crash on a halted zone, whose package list is read only once the
/// detach has mounted its image: it read as no packages there, and auto re-created the image.
/// No rung changes an image whose packages cannot be read.
#[test]
fn a_package_list_unreadable_after_the_detach_changes_nothing() {
    let (h, events) = halted_with_package_list_crashing(SCENARIO, ZONE);
    let dir = h.dir.clone();
    let s = events.last().unwrap();
    assert_ne!(s["result"], "attached", "{s}");
    let changed = sim_support::audit(&dir).iter().any(|e| {
        e.argv.iter().any(|a| a == "image-create" || a == "image-update")
            || (e.argv.iter().any(|a| a == "uninstall") && !e.argv.iter().any(|a| a == "-n"))
    });
    assert!(!changed, "{s}");
    let skipped = events.iter().any(|e| {
        e["event"] == "step-end"
            && e["detail"].as_str().is_some_and(|d| d.contains("package list cannot be read"))
    });
    assert!(skipped, "{events:?}");
}

/// Hostile uu F3: a rung's pkg command killed by a signal the run did not send (the OOM
/// killer, a `kill -9`) printed nothing and was read as pkg's answer: "did not solve", and
/// auto went on to image-create, with consent, on a zone a second uninstall attaches. Like
/// any cause outside the image that may pass, the rung is undone and run again. The same for
/// its read-only check.
#[test]
fn a_pkg_command_killed_by_a_signal_is_no_answer_about_the_image() {
    for matched in ["uninstall -v", "uninstall -n"] {
        let h = host(&format!(
            "command = \"pkg uninstall\"\nmatch = \"{matched}\"\nnth = 1\nkilled = true"
        ));
        let (events, code) =
            sim_support::rescue_json(&h.dir, ZONE, &["--strategy", "auto", "--allow-destructive"]);
        let s = events.last().unwrap();
        assert_eq!((code, &s["result"]), (Some(0), &"attached".into()), "{matched}: {s}");
        assert_eq!(s["strategies_applied"], serde_json::json!(["uninstall"]), "{matched}: {s}");
        let created =
            sim_support::audit(&h.dir).iter().any(|e| e.argv.iter().any(|a| a == "image-create"));
        assert!(!created, "{matched}: {s}");
    }
}

/// Hostile uu F4: `PKG_IMAGE` exported in the operator's shell would make every `pkg` without
/// `-R` (the global zone's publishers, their simplification and restore) work on that image.
/// The commands zonerescue runs do not inherit it (the wrapped pkg refuses to run with it).
#[test]
fn pkg_image_in_the_environment_reaches_no_command() {
    let h = Sim::new(SCENARIO);
    let pkg = format!(
        "if [ -n \"$PKG_IMAGE\" ]; then echo \"PKG_IMAGE=$PKG_IMAGE leaked\" >&2; exit 1; fi\n\
         exec '{}' \"$@\"",
        h.dir.join("bin/pkg").display()
    );
    let events = rescue_through_wrapped_env(
        &h.dir,
        "pkg",
        &pkg,
        &["--strategy", "auto", ZONE],
        &[("PKG_IMAGE", "/zones/other/root")],
    );
    let s = events.last().unwrap();
    assert_eq!(s["result"], "attached", "{s}");
    assert!(!events.iter().any(|e| e.to_string().contains("leaked")), "{events:?}");
}

/// Regress uu F4: `--strategy uninstall` on an installed zone with nothing to remove said "the
/// uninstall plan did not converge" (no `pkg uninstall` had run): it says nothing blocks.
#[test]
fn an_uninstall_with_nothing_to_remove_says_so() {
    let h = Sim::new("omnios-two-zones");
    let (events, code) = sim_support::rescue_json(&h.dir, "web02", &["--strategy", "uninstall"]);
    assert_eq!(code, Some(1), "{:?}", events.last());
    let step = events
        .iter()
        .find(|e| e["event"] == "step-end" && e["name"] == "uninstall")
        .unwrap_or_else(|| panic!("{events:?}"));
    let detail = step["detail"].as_str().unwrap();
    assert!(!detail.contains("did not converge"), "{detail}");
    assert!(detail.contains("block"), "{detail}");
    assert_eq!(h.state("web02"), "installed");
}
