//! Failures whose cause lies outside the zone's package image (pkg crashing, a full pool, a
//! time limit, a repository that had answered and then did not) inside a rung or an attach:
//! never read as "the strategy did not solve". What may pass is retried; what stays stops the
//! run without rolling back or climbing to a more destructive rung, and `resume` goes on from
//! there — it runs a rung stopped that way again and attaches again after such an attach —
//! keeping what a fresh run keeps (field reports F2, F4, F4b, F5, F8, F9, F11 of round h).

use std::process::Command;

use serde_json::Value;

mod sim_support;
use sim_support::Sim;

const ZONE: &str = "web01";

/// The b111 web zone (Apache renamed in 130, Sun Studio gone in 140) with `fault` injected:
/// its rescue is gz-publishers, incremental (which maps Apache's rename) and uninstall of
/// Sun Studio, keeping Apache.
fn b111(fault: &str) -> Sim {
    let text = std::fs::read_to_string(sim_support::scenario("s11express-b111-web")).unwrap();
    Sim::from_text(&format!("{text}\n[[faults]]\n{fault}\n"))
}

fn zr(sim: &Sim) -> Command {
    let mut c = sim_support::zonerescue(&sim.dir);
    c.env_remove("ZONESIM_SPEED").env("ZONERESCUE_PKG_LOCK_WAIT_MS", "5");
    c
}

/// Runs zonerescue with `args` (`--json` added first); the events and the exit status.
fn run(sim: &Sim, args: &[&str], env: &[(&str, &str)]) -> (Vec<Value>, Option<i32>) {
    let mut c = zr(sim);
    c.arg("--json").args(args);
    for (k, v) in env {
        c.env(k, v);
    }
    let out = c.output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    let events: Vec<Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}\n{stderr}")))
        .collect();
    (events, out.status.code())
}

fn rescue(sim: &Sim, extra: &[&str], env: &[(&str, &str)]) -> (Vec<Value>, Option<i32>) {
    let mut args = vec!["--yes", "--allow-destructive"];
    args.extend(extra);
    args.push(ZONE);
    run(sim, &args, env)
}

fn resume(sim: &Sim) -> (Vec<Value>, Option<i32>) {
    run(sim, &["resume", ZONE, "--yes", "--allow-destructive"], &[])
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array().unwrap().iter().map(|s| s.as_str().unwrap().to_string()).collect()
}

/// The step names the events started, in order.
fn steps(events: &[Value]) -> Vec<String> {
    events
        .iter()
        .filter(|e| e["event"] == "step-start")
        .map(|e| e["name"].as_str().unwrap().to_string())
        .collect()
}

fn installed(sim: &Sim) -> String {
    sim.run("pkg", &["-R", &sim.root(ZONE), "list", "-H"]).stdout
}

/// Apache was never uninstalled, and the zone has it (under its new name once stepped).
fn apache_kept(sim: &Sim) {
    let removed = sim_support::audit(&sim.dir).into_iter().any(|e| {
        e.argv.iter().any(|a| a == "uninstall") && e.argv.iter().any(|a| a.contains("apch22"))
    });
    assert!(!removed, "Apache was uninstalled");
    let listed = installed(sim);
    assert!(listed.contains("apache-22") || listed.contains("SUNWapch22"), "{listed}");
}

fn ran(sim: &Sim, verb: &str) -> bool {
    sim_support::audit(&sim.dir).iter().any(|e| e.argv.iter().any(|a| a == verb))
}

/// `resume` runs the stopped incremental step again and attaches with Apache.
fn resume_steps_again_and_keeps_apache(sim: &Sim) {
    let (events, code) = resume(sim);
    let s = events.last().unwrap();
    assert_eq!((code, &s["result"]), (Some(0), &"attached".into()), "{s}");
    assert!(steps(&events).contains(&"incremental".to_string()), "{:?}", steps(&events));
    apache_kept(sim);
}

/// F4: the step's `pkg install entire@…` fails once on a catalog refresh of the repository
/// its `set-publisher` had just reached. Before, incremental "did not solve" and auto went on
/// to uninstall Apache; now the rung runs again and keeps it.
#[test]
fn a_repository_blip_inside_a_rung_is_retried_not_escalated() {
    let sim = b111(
        "command = \"pkg install\"\nmatch = \"entire@\"\nnth = 1\nexit = 1\nstderr = \"\"\"\
         pkg: 0/1 catalogs successfully updated:\n\n1/1 repositories for publisher \
         'opensolaris.org' could not be reached for catalog refresh.\n\nFramework error: code: \
         E_COULDNT_CONNECT (7) reason: Failed to connect to pkg.opensolaris.org port 80: \
         Connection timed out\nURL: 'http://pkg.opensolaris.org/release/catalog/1/catalog.attrs'\"\"\"",
    );
    let (events, code) = rescue(&sim, &[], &[]);
    let s = events.last().unwrap();
    assert_eq!((code, &s["result"]), (Some(0), &"attached".into()), "{s}");
    assert!(strings(&s["strategies_applied"]).contains(&"incremental".to_string()), "{s}");
    apache_kept(&sim);
}

/// pkg's error after the catalogs were fetched and the packages' files would not download
/// (pkg5 client.py and transport/exception.py wording; a 503 from the repository server).
const DOWNLOAD_FAILED: &str = "Errors were encountered while attempting to retrieve package or \
     file data for\nthe requested operation.\nDetails follow:\n\nhttp protocol error: Unknown \
     error code: 503 reason: Service Unavailable\nURL: \
     'http://pkg.opensolaris.org/release/file/1/6b1d7f8c0c7a3f2e9d4b51e0a8c2f91d3e7b6a40'";

/// The b111 world whose step installs (`pkg install entire@…`) fail downloading (`nth`:
/// which of them, or every one).
fn b111_download_failing(nth: &str) -> Sim {
    b111(&format!(
        "command = \"pkg install\"\nmatch = \"entire@\"\n{nth}exit = 1\nstderr = \"\"\"{DOWNLOAD_FAILED}\"\"\""
    ))
}

/// The step's install fails once downloading the packages' files (a 503 from the server
/// whose catalog it had just fetched). That says nothing about the step: it runs again and
/// keeps Apache (before, incremental "did not solve" and auto went on to remove Apache).
#[test]
fn a_failed_download_inside_a_rung_is_retried_not_escalated() {
    let sim = b111_download_failing("nth = 1\n");
    let (events, code) = rescue(&sim, &[], &[]);
    let s = events.last().unwrap();
    assert_eq!((code, &s["result"]), (Some(0), &"attached".into()), "{s}");
    assert!(strings(&s["strategies_applied"]).contains(&"incremental".to_string()), "{s}");
    apache_kept(&sim);
}

/// A download that keeps failing stops the run there, with no further rung, and says what
/// to fix before `resume`.
#[test]
fn a_download_that_keeps_failing_stops_the_run() {
    let sim = b111_download_failing("");
    let (events, code) = rescue(&sim, &[], &[]);
    let s = events.last().unwrap();
    assert_eq!((code, &s["result"]), (Some(1), &"failed".into()), "{s}");
    assert!(!steps(&events).contains(&"uninstall".to_string()), "{:?}", steps(&events));
    assert!(!ran(&sim, "image-create") && !ran(&sim, "image-update"), "climbed on: {s}");
    assert!(s["next_steps"].to_string().contains("once downloads from the repository work"), "{s}");
    apache_kept(&sim);
}

/// F8: the real `pkg uninstall -v` crashes once (exit 99, a traceback). Before: "did not
/// solve; rolled back", then zone-publishers, image-update and image-create.
#[test]
fn a_pkg_crash_inside_a_rung_is_retried_not_escalated() {
    let sim = b111(
        "command = \"pkg uninstall\"\nmatch = \"uninstall -v\"\nnth = 1\nexit = 99\n\
         stderr = \"\"\"\n\nThis is an internal error in pkg(5) version 052fe2a6f8b8.  Please log \
         a\nService Request about this issue.\nTraceback (most recent call last):\n  File \
         \\\"/usr/bin/pkg\\\", line 5405, in handle_errors\nOSError: [Errno 5] I/O error\"\"\"",
    );
    let (events, code) = rescue(&sim, &[], &[]);
    let s = events.last().unwrap();
    assert_eq!((code, &s["result"]), (Some(0), &"attached".into()), "{s}");
    assert!(!ran(&sim, "image-create") && !ran(&sim, "image-update"), "climbed on: {s}");
    apache_kept(&sim);
}

/// F4b: the step's install outlasts the `pkg` time limit. Before, the run went on and removed
/// Apache; now it stops there (nothing rolled back), and `resume` with the default limits
/// runs the step again.
#[test]
fn a_timed_out_rung_stops_the_run_and_resume_runs_it_again() {
    let sim = b111("command = \"pkg install\"\nmatch = \"entire@\"\nnth = 1\nhang_s = 1000");
    let (events, code) = rescue(&sim, &["--timeout", "pkg=3"], &[("ZONESIM_SPEED", "100")]);
    let s = events.last().unwrap();
    assert_eq!((code, &s["result"]), (Some(1), &"failed".into()), "{s}");
    let message = s["message"].as_str().unwrap();
    assert!(message.contains("did not finish within 3s"), "{message}");
    // Hostile jj F5: no colon left dangling from the error's first line.
    assert!(!message.contains("stopped:;"), "{message}");
    assert!(message.contains("nothing was rolled back"), "{message}");
    assert!(!steps(&events).contains(&"uninstall".to_string()), "{:?}", steps(&events));
    assert!(s["next_steps"].to_string().contains("zonerescue resume web01"), "{s}");

    resume_steps_again_and_keeps_apache(&sim);
}

/// F2: the step's install fails once on a full pool. The run stops (as before); `resume`
/// must run the step again, not take it for "did not solve" and remove Apache.
#[test]
fn resume_after_a_full_pool_inside_a_rung_runs_that_rung_again() {
    let sim = b111(
        "command = \"pkg install\"\nmatch = \"entire@\"\nnth = 1\nexit = 1\nstderr = \"pkg: \
         [Errno 28] No space left on device: '/zones/web01/root/var/pkg/cache'\"",
    );
    let (events, code) = rescue(&sim, &[], &[]);
    let s = events.last().unwrap();
    assert_eq!((code, &s["result"]), (Some(1), &"failed".into()), "{s}");
    assert!(
        s["next_steps"]
            .to_string()
            .contains("once that is fixed (the pool or file system is full: out-of-space)"),
        "{s}"
    );
    resume_steps_again_and_keeps_apache(&sim);
}

/// F5: the third `zfs snapshot` (the uninstall rung's) fails on a full pool. Before: exit 5,
/// the image rolled back to the pre-rescue snapshot while the summary still listed
/// incremental as applied, and resume skipped it and removed Apache. Now the run stops with
/// the step in the image (the summary says what it holds), and resume finishes the job.
#[test]
fn a_full_pool_at_a_rung_snapshot_stops_and_resume_finishes_without_loss() {
    let sim = b111(
        "command = \"zfs snapshot\"\nnth = 3\nexit = 1\nstderr = \"cannot create snapshot \
         'rpool/zones/web01/ROOT/zbe@x': out of space\"",
    );
    let (events, code) = rescue(&sim, &[], &[]);
    let s = events.last().unwrap();
    assert_eq!((code, &s["result"]), (Some(1), &"failed".into()), "{s}");
    assert_eq!(strings(&s["strategies_applied"]), ["gz-publishers", "incremental"], "{s}");
    // What the summary says is in the image: the step to 134 (Apache under its new name).
    assert!(installed(&sim).contains("apache-22"), "{}", installed(&sim));

    let (events, code) = resume(&sim);
    let s = events.last().unwrap();
    assert_eq!((code, &s["result"]), (Some(0), &"attached".into()), "{s}");
    assert_eq!(
        strings(&s["strategies_applied"]),
        ["gz-publishers", "incremental", "uninstall"],
        "{s}"
    );
    apache_kept(&sim);
}

/// F11: the first attach -u, after gz-publishers, incremental and uninstall, fails once on a
/// full pool. Before, the image went back to the pre-rescue snapshot and resume never redid
/// incremental (Apache removed). Now nothing is rolled back and resume attaches again first.
#[test]
fn a_full_pool_in_the_attach_keeps_the_image_and_resume_attaches_again() {
    let sim = b111(
        "command = \"zoneadm attach\"\nnth = 1\nexit = 1\nstdout = \"\"\"Log File: \
         /var/tmp/web01.attach_log.AbCdEf\nAttaching...\n\n  Updating non-global zone: Output \
         follows\npkg: [Errno 28] No space left on device: '/zones/web01/root/var/pkg/cache'\n\
         ERROR: Could not update attaching zone\nResult: Attach Failed.\"\"\"",
    );
    let (events, code) = rescue(&sim, &[], &[]);
    let s = events.last().unwrap();
    assert_eq!((code, &s["result"]), (Some(1), &"failed".into()), "{s}");
    let applied = strings(&s["strategies_applied"]);
    assert!(applied.contains(&"incremental".to_string()), "{s}");
    assert!(s["message"].as_str().unwrap().contains("nothing was rolled back"), "{s}");
    assert!(installed(&sim).contains("apache-22"), "the step stays in the image");

    let (events, code) = resume(&sim);
    let s = events.last().unwrap();
    assert_eq!((code, &s["result"]), (Some(0), &"attached".into()), "{s}");
    assert_eq!(steps(&events), ["re-attach"], "attach again before anything else");
    apache_kept(&sim);
    // The summary of the whole rescue: Sun Studio went in the first run's uninstall (C5).
    assert_eq!(strings(&s["packages_removed"]), ["developer/sunstudio12u1"], "{s}");
}

/// The attach fails because Solaris 11's system repository service could not be enabled:
/// no rung changes that (the zone's publishers are served through it), so the run stops and
/// says to fix the service, rather than climbing to image-update or image-create.
#[test]
fn a_system_repository_that_cannot_start_stops_the_run() {
    let text = std::fs::read_to_string(sim_support::scenario("solaris11-image-update")).unwrap();
    let sim = Sim::from_text(&format!(
        "{text}\n[[faults]]\ncommand = \"zoneadm attach\"\nexit = 1\nstdout = \"\"\"\
         Progress being logged to /var/log/zones/zoneadm.20120202T020202Z.php11.attach\n\
         Unable to enable svc:/application/pkg/system-repository, please enable the service \
         manually.\n                    Result: Attach Failed.\"\"\"\n"
    ));
    let (events, code) = run(&sim, &["--yes", "--allow-destructive", "php11"], &[]);
    let s = events.last().unwrap();
    assert_eq!((code, &s["result"]), (Some(1), &"failed".into()), "{s}");
    assert!(s["message"].as_str().unwrap().contains("sysrepo-unavailable"), "{s}");
    for verb in ["image-update", "image-create", "uninstall", "update"] {
        assert!(!ran(&sim, verb), "{verb} ran: {s}");
    }
}

/// F9: the first attach -u fails on a catalog refresh timeout of the publisher preflight had
/// just refreshed. Before: "no strategy gets past it", the installed zone left detached. Now
/// the attach is repeated and the zone attaches.
#[test]
fn an_attach_that_misses_a_repository_that_answered_is_repeated() {
    let sim = Sim::from_file(&sim_support::world("s11-attach-repository-timeout-once"));
    let (events, code) = run(&sim, &["--yes", "web"], &[]);
    let s = events.last().unwrap();
    assert_eq!((code, &s["result"]), (Some(0), &"attached".into()), "{s}");
    assert_eq!(s["attempts"], 2, "{s}");
    assert_eq!(steps(&events), ["snapshot", "attach", "re-attach"], "{s}");
}

/// A repository that answered preflight and then stays down: the attach is repeated twice,
/// then the run stops without climbing or rolling back, and says to resume once it answers.
#[test]
fn a_repository_that_stays_down_after_answering_stops_the_run() {
    let text = sim_support::world_text("s11-attach-repository-timeout-once");
    let text = text.replace("nth = 1\n", "");
    let sim = Sim::from_text(&text);
    let (events, code) = run(&sim, &["--yes", "--allow-destructive", "web"], &[]);
    let s = events.last().unwrap();
    assert_eq!((code, &s["result"]), (Some(1), &"failed".into()), "{s}");
    assert_eq!(s["attempts"], 3, "{s}");
    assert!(!ran(&sim, "image-create") && !ran(&sim, "rollback"), "{s}");
    assert!(s["next_steps"].to_string().contains("once the repository answers again"), "{s}");
}

/// The minor-update zone whose `zoneadm attach` prints pkg's traceback on the terminal (not in
/// its log) once, or every time without `nth`.
fn attach_crash(every_time: bool) -> Sim {
    let text = std::fs::read_to_string(sim_support::scenario("s11express-minor-update")).unwrap();
    let nth = if every_time { "" } else { "nth = 1\n" };
    Sim::from_text(&format!(
        "{text}\n[[faults]]\ncommand = \"zoneadm attach\"\n{nth}exit = 1\nstdout = \"\"\"Log File: \
         /var/tmp/db01.attach_log.AAAAAA\nAttaching...\nTraceback (most recent call last):\n  File \
         \\\"/usr/bin/pkg\\\", line 5378, in handle_errors\nOSError: [Errno 5] I/O error\"\"\"\n"
    ))
}

/// pkg crashing in the attach (round i, N3): before, "no rule explains its log", and auto
/// applied image-update for a zone a second attach attaches.
#[test]
fn a_pkg_crash_in_the_attach_is_attached_again_not_climbed_past() {
    let sim = attach_crash(false);
    let (events, code) = run(&sim, &["--yes", "--allow-destructive", "db01"], &[]);
    let s = events.last().unwrap();
    assert_eq!((code, &s["result"]), (Some(0), &"attached".into()), "{s}");
    assert_eq!(steps(&events), ["snapshot", "attach", "re-attach"], "{s}");
    assert!(!ran(&sim, "image-update") && !ran(&sim, "image-create"), "{s}");
}

/// A crash every time: two more attaches, then a stop for resume; no rung is tried.
#[test]
fn a_pkg_crash_in_every_attach_stops_the_run_without_a_rung() {
    let sim = attach_crash(true);
    let (events, code) = run(&sim, &["--yes", "--allow-destructive", "db01"], &[]);
    let s = events.last().unwrap();
    assert_eq!((code, &s["result"]), (Some(1), &"failed".into()), "{s}");
    assert_eq!(s["attempts"], 3, "{s}");
    for verb in ["image-update", "image-create", "uninstall", "set-publisher", "rollback"] {
        assert!(!ran(&sim, verb), "{verb}: {s}");
    }
    assert!(s["next_steps"].to_string().contains("once pkg runs without crashing"), "{s}");
}

/// image-create's `pkg install system/library` runs out of space once: the run stops there,
/// and the resume it offers carries `--allow-destructive`, which re-running image-create needs
/// (round i, N1: the plain `resume` it offered skipped image-create and rolled back).
#[test]
fn a_stop_inside_image_create_offers_a_resume_that_may_run_it() {
    let text = std::fs::read_to_string(sim_support::scenario("s11express-orphaned-core")).unwrap();
    let sim = Sim::from_text(&format!(
        "{text}\n[[faults]]\ncommand = \"pkg install\"\nmatch = \"system/library\"\nnth = 1\n\
         exit = 1\nstderr = \"pkg: [Errno 28] No space left on device: '/var/pkg'\"\n"
    ));
    let (events, code) = run(&sim, &["--yes", "--allow-destructive", "legacy01"], &[]);
    let s = events.last().unwrap();
    assert_eq!((code, &s["result"]), (Some(1), &"failed".into()), "{s}");
    let next = s["next_steps"].to_string();
    assert!(next.contains("zonerescue resume legacy01 --allow-destructive"), "{next}");
    let (events, code) = run(&sim, &["resume", "legacy01", "--yes", "--allow-destructive"], &[]);
    let s = events.last().unwrap();
    assert_eq!((code, &s["result"]), (Some(0), &"attached".into()), "{s}");
}

/// A new run (not `resume`) after a run that stopped for resume starts from the half-rescued
/// image: it says so, offers the way back to the zone before any rescue, and
/// `snapshots --prune` keeps that snapshot. Before (round i, N4), nothing was said, its
/// rollback went back only to the half-rescued image, and prune destroyed the only copy of
/// the original.
#[test]
fn a_new_run_after_a_stopped_one_keeps_the_way_back_to_before_any_rescue() {
    let sim = b111(
        "command = \"zfs snapshot\"\nnth = 3\nexit = 1\nstderr = \"cannot create snapshot \
         'rpool/zones/web01/ROOT/zbe@x': out of space\"",
    );
    let (events, code) = rescue(&sim, &[], &[]);
    assert_eq!(code, Some(1), "{:?}", events.last());
    let first_pre = events.last().unwrap()["pre_snapshot"].as_str().unwrap().to_string();

    let (events, code) = rescue(&sim, &[], &[]);
    let s = events.last().unwrap();
    assert_eq!((code, &s["result"]), (Some(0), &"attached".into()), "{s}");
    assert!(events.iter().any(|e| e["key"] == "journal.last-run-unfinished"), "{events:?}");
    let back = format!("zonerescue rollback {ZONE} --to {first_pre}");
    assert!(s["next_steps"].to_string().contains(&back), "{s}");

    let out = zr(&sim).args(["snapshots", ZONE, "--prune", "--yes"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let listed = sim.run("zfs", &["list", "-H", "-t", "snapshot", "-o", "name"]).stdout;
    assert!(listed.contains(&first_pre), "{first_pre} pruned:\n{listed}");
}

/// An attach whose download of the packages' files fails once (the zone's catalogs were
/// fetched, then a 503): attached again after a wait, no rung applied for it.
#[test]
fn an_attach_whose_download_fails_once_is_repeated_not_escalated() {
    let text = std::fs::read_to_string(sim_support::scenario("openindiana-disabled-gz-publisher"))
        .unwrap();
    let fault = format!(
        "command = \"zoneadm attach\"\nnth = 1\nexit = 1\nstderr = \"\"\"{DOWNLOAD_FAILED}\n\
         ERROR: Could not update attaching zone\nResult: Attach Failed.\"\"\""
    );
    let sim = Sim::from_text(&format!("{text}\n[[faults]]\n{fault}\n"));
    let (events, code) = run(&sim, &["--yes", "www01"], &[]);
    let s = events.last().unwrap();
    assert_eq!((code, &s["result"]), (Some(0), &"attached".into()), "{s}");
    assert_eq!(s["attempts"], 2, "{s}");
    assert_eq!(s["strategies_applied"], serde_json::json!(["attach"]), "{s}");
}

/// Round s F3, F1: an attach that fails once on pkg's own one-line I/O error, or on a
/// publisher's catalog whose parts do not fit together, may pass: it is attached again, as
/// the same error in a traceback is (before, the I/O error stopped the run at once, and the
/// catalog made auto fall back to image-update, which took the zone past the global zone).
#[test]
fn an_attach_failing_once_on_an_io_error_or_an_inconsistent_catalog_is_attached_again() {
    let world =
        std::fs::read_to_string(sim_support::world("s11express-release-repo-also-serves-175"))
            .unwrap();
    for said in [
        "pkg install: [Errno 5] I/O error",
        "pkg install: Catalog file 'catalog.base.C' is invalid.\nUse 'pkg refresh --full' to \
         retrieve a fresh copy of the catalog.",
    ] {
        let fault = format!(
            "[[faults]]\ncommand = \"zoneadm attach\"\nnth = 1\nexit = 1\nstdout = \"\"\"\
             [Tue Nov 15 10:30:00 UTC 2011] Log File: /var/tmp/db01.attach_log.Zz9Yy8\n\
             [Tue Nov 15 10:30:05 UTC 2011]   Updating non-global zone: Output follows\n\
             {said}\n[Tue Nov 15 10:30:09 UTC 2011] ERROR: Could not update attaching zone\n\
             [Tue Nov 15 10:30:09 UTC 2011]                     Result: Attach Failed.\n\"\"\"\n"
        );
        let sim = Sim::from_text(&format!("{world}\n{fault}"));
        let (events, code) = run(&sim, &["--yes", "db01"], &[]);
        let s = events.last().unwrap();
        assert_eq!(code, Some(0), "{said}: {s}");
        assert_eq!(steps(&events), ["snapshot", "attach", "re-attach"], "{said}: {s}");
        assert!(!ran(&sim, "image-update"), "{said}");
    }
}

/// Round s F1: image-update has no upper bound; where the zone's own publishers offer a
/// newer release than the global zone runs, it is undone (pkg never downgrades, so that zone
/// could only be re-created). Before, it was kept and auto then called for image-create.
#[test]
fn an_image_update_past_the_global_zone_is_undone() {
    let sim = Sim::from_file(&sim_support::world("s11express-release-repo-also-serves-175"));
    let root = sim.root("db01");
    let before = sim.run("pkg", &["-R", &root, "list", "-H"]).stdout;
    let (events, code) = run(&sim, &["--yes", "--strategy", "image-update", "db01"], &[]);
    let s = events.last().unwrap();
    assert_eq!(code, Some(1), "{s}");
    let end = events.iter().find(|e| e["event"] == "step-end" && e["name"] == "image-update");
    let detail = end.map(|e| e["detail"].to_string()).unwrap_or_default();
    assert!(detail.contains("past the global zone's 151"), "{events:#?}");
    assert_eq!(sim.run("pkg", &["-R", &root, "list", "-H"]).stdout, before);
}

/// Round s F2: an installed package held to the zone's sticky publisher, which answers: no
/// rung of ours makes it non-sticky, so the run stops and says so, and neither unsets the
/// publisher (zone-publishers said it could not be reached) nor uninstalls the package.
#[test]
fn a_package_held_to_a_sticky_publisher_stops_the_run_and_unsets_nothing() {
    let sim = Sim::from_file(&sim_support::world("openindiana-sticky-site-publisher"));
    let (events, code) = run(&sim, &["--yes", "web1"], &[]);
    let s = events.last().unwrap();
    assert_eq!(code, Some(1), "{s}");
    assert_eq!(steps(&events), ["snapshot", "attach"], "{s}");
    let m = s["message"].as_str().unwrap();
    assert!(
        m.starts_with("stopped on a cause outside the zone's package image (publisher-sticky)"),
        "{s}"
    );
    // The analysis' own advice comes with it.
    let next = s["next_steps"].to_string();
    assert!(next.contains("set-publisher --non-sticky localbuild"), "{s}");
    let p = sim.run("pkg", &["-R", &sim.root("web1"), "publisher", "-H"]).stdout;
    assert!(p.contains("localbuild"), "{p}");
    let listed = sim.run("pkg", &["-R", &sim.root("web1"), "list", "-H"]).stdout;
    assert!(listed.contains("web/server/nginx"), "{listed}");
}

/// Round s F1: the operator's fresh failed attach says the zone is newer than the global zone,
/// but its image is older now (rolled back since): the log predates the image, and the run
/// starts with the plain attach (before, it went straight to image-create).
#[test]
fn a_log_calling_the_zone_newer_than_its_image_is_is_stale() {
    let sim = Sim::from_file(&sim_support::world("s11express-release-repo-also-serves-175"));
    sim.detach("db01");
    std::fs::create_dir_all(sim.dir.join("var/tmp")).unwrap();
    std::fs::write(
        sim.dir.join("var/tmp/db01.attach_log.Zz9Yy8"),
        "[Tue Nov 15 10:30:00 UTC 2011] Log File: /var/tmp/db01.attach_log.Zz9Yy8\n\
         [Tue Nov 15 10:30:05 UTC 2011] ERROR: Zone is uprev of global zone\n\
         [Tue Nov 15 10:30:09 UTC 2011]                     Result: Attach Failed.\n",
    )
    .unwrap();
    let (events, code) = run(&sim, &["--yes", "--allow-destructive", "db01"], &[]);
    let s = events.last().unwrap();
    assert_eq!(code, Some(0), "{s}");
    let keys: Vec<&Value> = events.iter().map(|e| &e["key"]).filter(|k| !k.is_null()).collect();
    assert!(events.iter().any(|e| e["key"] == "attach.previous-failure-stale"), "{keys:?}");
    assert_eq!(s["strategies_applied"], serde_json::json!(["attach"]), "{s}");
}

/// Faults round ee F1: the GZ's own `pkg unset-publisher` for gz-publishers failing on an I/O
/// error was not tried again, and after the stop `resume` re-attached without gz-publishers
/// (counted as tried), failed as predicted, and told the administrator to change GZ publishers
/// that need no change. It is tried again now; when it keeps failing, `resume` applies it again.
#[test]
fn a_failing_gz_publisher_change_is_retried_and_resumed_with_gz_publishers() {
    let unset = unset_fails;
    let gz = gz_tsv;
    let unsets = |sim: &Sim| {
        sim_support::audit(&sim.dir)
            .iter()
            .filter(|e| e.argv.iter().any(|a| a == "unset-publisher"))
            .count()
    };

    let sim = b111(&unset(1));
    let (events, code) = rescue(&sim, &[], &[]);
    let s = events.last().unwrap();
    assert_eq!((code, &s["result"]), (Some(0), &"attached".into()), "{s}");
    assert!(strings(&s["strategies_applied"]).contains(&"gz-publishers".to_string()), "{s}");
    assert!(unsets(&sim) >= 2, "not tried again");

    let sim = b111(&[unset(1), unset(2), unset(3)].join("\n\n[[faults]]\n"));
    let before = gz(&sim);
    let (events, code) = rescue(&sim, &[], &[]);
    let s = events.last().unwrap();
    assert_eq!((code, &s["result"]), (Some(1), &"failed".into()), "{s}");
    assert_eq!(gz(&sim), before);
    let (events, code) = resume(&sim);
    let s = events.last().unwrap();
    assert_eq!((code, &s["result"]), (Some(0), &"attached".into()), "{s}");
    assert!(strings(&s["strategies_applied"]).contains(&"gz-publishers".to_string()), "{s}");
    assert_eq!(gz(&sim), before);
    apache_kept(&sim);
}

/// Regression round ff F2: a signal during the wait before gz-publishers' GZ change is tried
/// again ended the run `failed`, blaming the I/O error after one try of three. It is an
/// interrupt (exit 130); `resume` goes on once the cause has passed.
#[test]
fn a_signal_in_the_wait_before_a_retry_is_an_interrupt() {
    use std::io::BufRead;
    let fault = unset_fails;
    let sim = b111(&[fault(1), fault(2), fault(3)].join("\n\n[[faults]]\n"));
    let gz = gz_tsv;
    let before = gz(&sim);
    let mut child = zr(&sim)
        .args(["--json", "--yes", ZONE])
        .env("ZONERESCUE_PKG_LOCK_WAIT_MS", "3000")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut events: Vec<Value> = Vec::new();
    for line in std::io::BufReader::new(stdout).lines() {
        let v: Value = serde_json::from_str(&line.unwrap()).unwrap();
        if v["event"] == "command"
            && v["exit"] == 1
            && v["command"].as_str().is_some_and(|c| c.contains("unset-publisher"))
        {
            // SAFETY: plain kill(2) of our own child.
            unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGTERM) };
        }
        events.push(v);
    }
    let s = events.last().unwrap();
    assert_eq!(
        (child.wait().unwrap().code(), &s["result"]),
        (Some(130), &"interrupted".into()),
        "{s}"
    );
    let tries = sim_support::audit(&sim.dir)
        .iter()
        .filter(|e| e.argv.iter().any(|a| a == "unset-publisher"))
        .count();
    assert_eq!(tries, 1);
    assert_eq!(gz(&sim), before);
    let world = sim.dir.join("world.json");
    let mut w: Value = serde_json::from_slice(&std::fs::read(&world).unwrap()).unwrap();
    w["faults"] = serde_json::json!([]);
    std::fs::write(&world, serde_json::to_vec(&w).unwrap()).unwrap();
    let (events, code) = resume(&sim);
    let s = events.last().unwrap();
    assert_eq!((code, &s["result"]), (Some(0), &"attached".into()), "{s}");
    assert_eq!(gz(&sim), before);
    apache_kept(&sim);
}

/// The `nth` global-zone `pkg unset-publisher` fails on an I/O error (a fault's TOML body).
fn unset_fails(nth: u32) -> String {
    format!(
        "command = \"pkg unset-publisher\"\nnth = {nth}\nexit = 1\nstderr = \"pkg \
         unset-publisher: Could not remove publisher: [Errno 5] Input/output error\""
    )
}

/// The global zone's publishers, `pkg publisher -H -F tsv`.
fn gz_tsv(sim: &Sim) -> String {
    sim.run("pkg", &["publisher", "-H", "-F", "tsv"]).stdout
}

/// Hostile jj F5: zoneadm attaches the zone, then hangs in its cleanup past its time limit and
/// is stopped. The zone is attached (its state and its log say so): before, the run ended
/// "failed … the zone is left configured", exit 1, next to "zone state now: installed".
#[test]
fn an_attach_that_ended_before_zoneadm_was_stopped_is_attached() {
    let text = std::fs::read_to_string(sim_support::scenario("s11express-minor-update")).unwrap();
    let fault = "[[faults]]\ncommand = \"zoneadm attach\"\nnth = 1\nlinger_s = 1000\n";
    let sim = Sim::from_text(&format!("{text}\n{fault}"));
    let (events, code) = run(
        &sim,
        &["--yes", "--strategy", "attach", "--timeout", "zoneadm=3", "db01"],
        &[("ZONESIM_SPEED", "100")],
    );
    let s = events.last().unwrap();
    assert_eq!((code, &s["result"]), (Some(0), &"attached".into()), "{s}");
    assert_eq!(s["attempts"], 1, "{s}");
    let said = events.iter().any(|e| e["key"] == "attach.outlived-its-limit");
    assert!(said, "the stop is said: {events:#?}");
}
