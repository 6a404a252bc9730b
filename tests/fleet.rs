//! `zonerescue --all` against the simulator: every zone reported, nothing changed.

mod sim_support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

const ZS: &str = env!("CARGO_BIN_EXE_zonesim");

fn scenario(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/scenarios").join(name)
}

fn init(name: &str) -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    let out = Command::new(ZS)
        .arg("init")
        .arg(scenario(name))
        .arg(d.path())
        .env_remove("ZONESIM_ROOT")
        .output()
        .unwrap();
    assert!(out.status.success(), "init {name}: {}", String::from_utf8_lossy(&out.stderr));
    d
}

fn zr(dir: &Path, args: &[&str]) -> Output {
    sim_support::zonerescue(dir).args(args).output().unwrap()
}

/// A simulated command run directly (to set a world up, as an administrator would).
fn sim(dir: &Path, prog: &str, args: &[&str]) -> Output {
    Command::new(dir.join("bin").join(prog)).args(args).env_remove("ZONESIM_ROOT").output().unwrap()
}

fn audit_len(dir: &Path) -> usize {
    std::fs::read_to_string(dir.join("audit.log")).unwrap_or_default().lines().count()
}

/// argv of every command in audit.log after the first `skip` lines.
fn audited_since(dir: &Path, skip: usize) -> Vec<Vec<String>> {
    std::fs::read_to_string(dir.join("audit.log"))
        .unwrap_or_default()
        .lines()
        .skip(skip)
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            v["argv"].as_array().unwrap().iter().map(|a| a.as_str().unwrap().to_string()).collect()
        })
        .collect()
}

/// Only listing/reading subcommands (`pkg -R ROOT x` counts as `pkg x`).
fn is_read_only(argv: &[String]) -> bool {
    let a: Vec<&str> = argv.iter().map(String::as_str).collect();
    let a: Vec<&str> = match a.as_slice() {
        ["pkg", "-R", _, rest @ ..] => std::iter::once("pkg").chain(rest.iter().copied()).collect(),
        _ => a,
    };
    matches!(
        a.as_slice(),
        ["zoneadm", "list", ..]
            | ["zonecfg", "-z", _, "info", ..]
            | ["pkg", "publisher" | "info" | "list", ..]
            | ["zfs", "list" | "get", ..]
            | ["beadm", "list", ..]
            | ["mount", "-p"]
    )
}

/// Runs `--all` (with `extra`) and checks nothing changed; returns (exit code, stdout).
fn all_read_only(dir: &Path, extra: &[&str]) -> (i32, String) {
    let world = std::fs::read(dir.join("world.json")).unwrap();
    let before = audit_len(dir);
    let mut args = vec!["--all"];
    args.extend_from_slice(extra);
    let out = zr(dir, &args);
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(
        std::fs::read(dir.join("world.json")).unwrap(),
        world,
        "--all changed the world; stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let run = audited_since(dir, before);
    assert!(!run.is_empty(), "--all ran no command at all");
    for argv in &run {
        assert!(is_read_only(argv), "--all ran a command that is not read-only: {argv:?}");
    }
    (out.status.code().unwrap(), stdout)
}

fn zone<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["zones"]
        .as_array()
        .unwrap()
        .iter()
        .find(|z| z["zone"] == name)
        .unwrap_or_else(|| panic!("zone {name} missing from {report}"))
}

#[test]
fn two_zones_table_and_json_list_each_zone_and_change_nothing() {
    let d = init("omnios-two-zones.toml");
    let (code, table) = all_read_only(d.path(), &[]);
    assert_eq!(code, 1, "both zones are behind the upgraded global zone:\n{table}");
    for z in ["web02", "pg02"] {
        assert!(
            table
                .lines()
                .any(|l| l.starts_with(z) && l.contains("installed") && l.contains("needs-rescue")),
            "no table row for {z}:\n{table}"
        );
    }
    assert!(!table.contains("global  "), "the global zone is not a row:\n{table}");

    let (code, json) = all_read_only(d.path(), &["--json"]);
    assert_eq!(code, 1);
    let r: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(r["schema_version"], 1);
    assert_eq!(r["exit_status"], 1);
    assert_eq!(r["host"]["gz_be"], "r151054");
    assert_eq!(r["zones"].as_array().unwrap().len(), 2, "{json}");
    for z in ["web02", "pg02"] {
        let z = zone(&r, z);
        assert_eq!(z["state"], "installed");
        assert_eq!(z["brand"], "lipkg");
        assert_eq!(z["platform"], "omnios");
        assert_eq!(z["in_sync"], false);
        assert_eq!(z["status"], "needs-rescue");
        assert!(z["active_zbe"].as_str().unwrap().ends_with("/ROOT/zbe"), "{z}");
        assert!(z["verdict"].is_null(), "no attach log yet: {z}");
    }
}

#[test]
fn failed_attach_log_gives_verdict_and_strategy_and_yes_still_changes_nothing() {
    let d = init("omnios-two-zones.toml");
    assert!(sim(d.path(), "zoneadm", &["-z", "pg02", "detach"]).status.success());
    assert!(!sim(d.path(), "zoneadm", &["-z", "pg02", "attach", "-u"]).status.success());
    let (code, json) = all_read_only(d.path(), &["--json", "--strategy", "auto", "--yes"]);
    assert_eq!(code, 1);
    let r: Value = serde_json::from_str(&json).unwrap();
    assert!(r["note"].as_str().unwrap().contains("changes nothing"), "{json}");
    let pg = zone(&r, "pg02");
    assert_eq!(pg["state"], "configured");
    assert_eq!(pg["verdict"], "failed");
    assert_eq!(pg["recommended"], "uninstall");
    assert!(pg["attach_log"].as_str().unwrap().starts_with("/var/tmp/pg02.attach_log."), "{pg}");
    assert!(zone(&r, "web02")["attach_log"].is_null(), "pg02's log is not web02's");
}

#[test]
fn unreachable_repository_is_reported_and_rescued_zone_is_fine() {
    let d = init("openindiana-repository-down.toml");
    assert!(sim(d.path(), "zoneadm", &["-z", "db02", "detach"]).status.success());
    assert!(!sim(d.path(), "zoneadm", &["-z", "db02", "attach", "-u"]).status.success());
    let (code, table) = all_read_only(d.path(), &[]);
    assert_eq!(code, 1, "{table}");
    assert!(table.lines().any(|l| l.starts_with("db02") && l.contains("UNREACHABLE")), "{table}");
    let (_, json) = all_read_only(d.path(), &["--json"]);
    let r: Value = serde_json::from_str(&json).unwrap();
    let db = zone(&r, "db02");
    assert_eq!(db["publishers_reachable"], false, "{db}");
    assert_eq!(db["platform"], "openindiana");
    // Its only publisher, which every rung needs, is the one down: no strategy is recommended
    // (round u F4: gz-publishers, which changes nothing there), its repository is.
    assert_eq!(db["recommended"], Value::Null, "{db}");
    assert!(db["next"].as_str().unwrap().starts_with("pkg refresh openindiana.org"), "{db}");
    // Once the repository answers and the zone is attached, that old log asks for nothing.
    let world = d.path().join("world.json");
    let text = std::fs::read_to_string(&world)
        .unwrap()
        .replace("\"reachable\": false", "\"reachable\": true");
    std::fs::write(&world, text).unwrap();
    let out = zr(d.path(), &["--yes", "db02"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
    let (_, json) = all_read_only(d.path(), &["--json"]);
    let r: Value = serde_json::from_str(&json).unwrap();
    let db = zone(&r, "db02");
    assert_eq!((&db["status"], &db["next"]), (&"fine".into(), &Value::Null), "{db}");

    // A host whose zone was rescued: every zone fine, exit 0.
    let d = init("omnios-two-zones.toml");
    for z in ["web02", "pg02"] {
        let out = zr(d.path(), &["--json", "--strategy", "auto", z]);
        assert_eq!(out.status.code(), Some(0), "{z}: {}", String::from_utf8_lossy(&out.stdout));
    }
    let (code, json) = all_read_only(d.path(), &["--json"]);
    let r: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(code, 0, "{json}");
    for z in ["web02", "pg02"] {
        assert_eq!(zone(&r, z)["status"], "fine");
        assert_eq!(zone(&r, z)["in_sync"], true);
    }

    // A running zone is listed but not examined (preflight would call it an inhibitor).
    assert!(sim(d.path(), "zoneadm", &["-z", "web02", "boot"]).status.success());
    let (code, json) = all_read_only(d.path(), &["--json"]);
    let r: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(code, 0, "{json}");
    assert_eq!(zone(&r, "web02")["state"], "running");
    assert_eq!(zone(&r, "web02")["status"], "skipped");
    assert!(zone(&r, "web02")["findings"].as_array().unwrap().is_empty());
}

/// Round s minor: after mail01's rescue its GZ still has the dead disabled publisher that
/// made its plain attach fail. The zone is fine: no remedy is recommended for it (before:
/// `gz-publishers*` beside `fine`).
#[test]
fn a_fine_zone_gets_no_recommended_remedy() {
    let d = init("s11express-disabled-gz-publisher.toml");
    let out = zr(d.path(), &["--json", "--strategy", "auto", "mail01"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
    let (code, json) = all_read_only(d.path(), &["--json"]);
    let r: Value = serde_json::from_str(&json).unwrap();
    let z = zone(&r, "mail01");
    assert_eq!((code, z["status"].as_str()), (0, Some("fine")), "{z}");
    assert_eq!((&z["recommended"], &z["predicted"]), (&Value::Null, &serde_json::json!([])), "{z}");
    let (_, table) = all_read_only(d.path(), &[]);
    let row = table.lines().find(|l| l.starts_with("mail01")).unwrap();
    assert!(!row.contains("gz-publishers"), "{table}");
}

/// Round s minor: a run stopped on an I/O error in the attach. `--all` says to resume once
/// that is fixed (before: only `zonerescue resume db01`, which meets the error again).
#[test]
fn a_run_stopped_on_a_cause_outside_the_image_is_resumed_once_that_is_fixed() {
    let text = std::fs::read_to_string(scenario("s11express-minor-update.toml")).unwrap()
        + "\n[[faults]]\ncommand = \"zoneadm attach\"\nexit = 1\nstderr = \"pkg install: \
           [Errno 5] I/O error: '/zones/db01/root/var/pkg/state/installed/catalog.base.C'\"\n";
    let d = sim_support::Sim::from_text(&text);
    let out = zr(&d.dir, &["--yes", "db01"]);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stdout));
    let (_, json) = all_read_only(&d.dir, &["--json"]);
    let r: Value = serde_json::from_str(&json).unwrap();
    let z = zone(&r, "db01");
    assert_eq!(z["next"], "zonerescue resume db01   (once the I/O error is fixed)", "{z}");
    let f = z["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["key"] == "journal.last-run-unfinished")
        .unwrap();
    assert_eq!(f["remediation"], "continue it once the I/O error is fixed: zonerescue resume db01");
}

#[test]
fn zones_that_cannot_be_listed_are_refused_with_one_json_object() {
    let d = tempfile::tempdir().unwrap();
    let bin = d.path().join("bin");
    std::fs::create_dir(&bin).unwrap();
    sim_support::write_script(
        &bin.join("zoneadm"),
        "echo 'zoneadm: permission denied' >&2\nexit 1",
    );
    let out = zr(d.path(), &["--all", "--json"]);
    assert_eq!(out.status.code(), Some(3), "{}", String::from_utf8_lossy(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["exit_status"], 3);
    assert!(v["error"].as_str().unwrap().contains("cannot list the zones"), "{v}");
}

/// A zone whose last zonerescue run stopped on an error midway (its detach failed on a
/// message no rule knows): the survey says so and how to continue it, still without changing
/// anything.
#[test]
fn a_run_that_never_finished_is_reported_with_how_to_resume_it() {
    let text = std::fs::read_to_string(scenario("omnios-postgres-removed.toml")).unwrap();
    let host = sim_support::Sim::from_text(&format!(
        "{text}\n[[faults]]\ncommand = \"zoneadm detach\"\nexit = 1\n\
         stderr = \"zoneadm: zone 'pg01': brand detach hook failed\"\n"
    ));
    let dir = host.dir.as_path();
    let run = zr(dir, &["--yes", "pg01"]);
    assert_eq!(run.status.code(), Some(5), "{}", String::from_utf8_lossy(&run.stderr));
    let before = audit_len(dir);
    let out = zr(dir, &["--all", "--json"]);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let z = zone(&report, "pg01");
    let f = z["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["key"] == "journal.last-run-unfinished")
        .unwrap_or_else(|| panic!("{z}"));
    assert!(f["title"].as_str().unwrap().contains("stopped on an error"), "{f}");
    assert_eq!(f["remediation"], "continue it: zonerescue resume pg01");
    assert!(z["reason"].as_str().unwrap().contains("before it finished"), "{z}");
    // What to run is that run's resume, not a new rescue (round p minor).
    assert_eq!(z["next"], "zonerescue resume pg01", "{z}");
    assert!(audited_since(dir, before).iter().all(|a| is_read_only(a)), "--all changed something");
}

/// Round p F2: a `zonerescue rollback` killed (SIGKILL) after its detach. status and --all
/// say the rollback did not finish and that running it again is what to do (before: status
/// said "attached" and --all advised a new rescue, which re-attached the rescued image).
/// While it is still going on (it holds the zone's lock), they say it runs and to wait.
#[test]
fn a_rollback_that_was_killed_is_reported_with_how_to_run_it_again() {
    let host = sim_support::Sim::from_file(&scenario("omnios-postgres-removed.toml"));
    let dir = host.dir.as_path();
    assert_eq!(zr(dir, &["--yes", "pg01"]).status.code(), Some(0));
    let mut rollback = sim_support::zonerescue(dir)
        .args(["--yes", "rollback", "pg01"])
        .env("ZONESIM_SPEED", "1")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Killed once its detach has begun (journalled first, then the slow detach).
    let journal = dir.join("state/pg01/journal.json");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while !std::fs::read_to_string(&journal).is_ok_and(|t| t.contains("\"rollback\"")) {
        assert!(std::time::Instant::now() < deadline, "the rollback never began");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    std::thread::sleep(std::time::Duration::from_millis(300));
    rollback.kill().unwrap();
    rollback.wait().unwrap();
    {
        // While a rollback runs (it holds the zone's lock), status and --all say so and to
        // wait, not to run it again. They wait for the simulator's commands, so they cannot
        // look while the rollback's detach runs: its lock is taken here instead.
        let _held =
            zonerescue::engine::lock::ZoneLock::acquire(&dir.join("state/pg01"), "pg01").unwrap();
        let report: Value = serde_json::from_slice(&zr(dir, &["--all", "--json"]).stdout).unwrap();
        let z = zone(&report, "pg01");
        assert_eq!(z["rescue_in_progress"].as_u64(), Some(u64::from(std::process::id())), "{z}");
        assert!(z["next"].is_null(), "{z}");
        let (_, table) = all_read_only(dir, &[]);
        assert!(table.contains("Wait: pg01 is being rolled back by zonerescue pid"), "{table}");
        let status = zr(dir, &["status", "pg01"]);
        let status = String::from_utf8_lossy(&status.stdout);
        let running_now = format!("is running now (pid {})", std::process::id());
        assert!(status.lines().next().unwrap().contains(&running_now), "{status}");
    }
    let status = zr(dir, &["status", "pg01"]);
    let status = String::from_utf8_lossy(&status.stdout);
    assert!(status.lines().next().unwrap().contains("its rollback"), "{status}");
    assert!(status.contains("did not finish (killed or crashed)"), "{status}");
    let report: Value = serde_json::from_slice(&zr(dir, &["--all", "--json"]).stdout).unwrap();
    let z = zone(&report, "pg01");
    assert_eq!(z["next"], "zonerescue rollback pg01", "{z}");
    let (_, table) = all_read_only(dir, &[]);
    assert!(table.contains("Next: zonerescue rollback pg01"), "{table}");
    assert!(!table.contains("Next: zonerescue pg01"), "{table}");
}

/// Solaris 11 zones `web` and `app.web`: the failed attach log of app.web
/// (zoneadm.TS.app.web.attach) is reported for app.web only, not for web.
#[test]
fn a_dotted_zones_attach_log_is_its_own_only() {
    let host = sim_support::Sim::from_file(&sim_support::world("s11-dotted-zone-names"));
    let dir = host.dir.as_path();
    host.detach("web");
    host.detach("app.web");
    assert!(!sim(dir, "zoneadm", &["-z", "app.web", "attach", "-u"]).status.success());
    let (_, json) = all_read_only(dir, &["--json"]);
    let r: Value = serde_json::from_str(&json).unwrap();
    let app = zone(&r, "app.web");
    assert_eq!(app["verdict"], "failed", "{app}");
    assert!(app["attach_log"].as_str().unwrap().ends_with(".app.web.attach"), "{app}");
    let web = zone(&r, "web");
    assert!(web["attach_log"].is_null(), "app.web's log is not web's: {web}");
    assert!(web["verdict"].is_null(), "{web}");
}

/// While another zonerescue run rescues a zone, `--all` says so and tells the operator to wait
/// for it, instead of recommending a second rescue (which the zone's lock would refuse).
#[test]
fn a_zone_being_rescued_now_is_reported_as_such_not_recommended_again() {
    let dir = init("omnios-postgres-removed.toml");
    let dir = dir.path();
    let mut run = sim_support::spawn_rescue(dir, "pg01", "8", false);
    // The run is under way once its journal says so (then its refreshes and uninstall take
    // some real seconds at this simulator speed).
    let journal = dir.join("state/pg01/journal.json");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    while !std::fs::read_to_string(&journal).is_ok_and(|t| t.contains("\"running\"")) {
        assert!(std::time::Instant::now() < deadline, "the run never started");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    // One survey for both forms: the simulator runs one command at a time, so a second
    // `--all` could come after the rescue has ended.
    let table = dir.join("table.txt");
    let json = zr(dir, &["--all", "--json", "--report", table.to_str().unwrap()]);
    assert!(run.wait().unwrap().success(), "the rescue itself must still succeed");
    let report: Value = serde_json::from_slice(&json.stdout).unwrap();
    let z = zone(&report, "pg01");
    assert_eq!(z["rescue_in_progress"].as_u64(), Some(u64::from(run.id())), "{z}");
    assert!(z["reason"].as_str().unwrap().starts_with("being rescued now"), "{z}");
    let text = std::fs::read_to_string(&table).unwrap();
    assert!(!text.contains("Next: zonerescue"), "{text}");
    assert!(
        text.contains(&format!("Wait: pg01 is being rescued by zonerescue pid {}", run.id())),
        "{text}"
    );
    // Once it has ended, nothing is said about it.
    let after: Value = serde_json::from_slice(&zr(dir, &["--all", "--json"]).stdout).unwrap();
    assert!(zone(&after, "pg01")["rescue_in_progress"].is_null(), "{after}");
}

/// Rounds k and l: `--all` showed RECOMMENDED "-" for a zone whose failure preflight already
/// predicts (pg02: its PostgreSQL is obsolete in the global zone's catalogs, so auto starts
/// with uninstall). The prediction is now shown, marked as one (`uninstall*`), and is in the
/// JSON as `predicted`; a zone with nothing predicted keeps "-".
#[test]
fn a_failure_preflight_predicts_is_shown_before_any_attach() {
    let d = init("omnios-two-zones.toml");
    let (_, table) = all_read_only(d.path(), &[]);
    let row = |z: &str| table.lines().find(|l| l.starts_with(z)).unwrap().to_string();
    assert!(row("pg02").contains(" uninstall* "), "{table}");
    assert!(!row("web02").contains('*'), "{table}");
    assert!(table.contains("RECOMMENDED \"…*\": predicted without an attach"), "{table}");
    let (_, json) = all_read_only(d.path(), &["--json"]);
    let r: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(zone(&r, "pg02")["predicted"], serde_json::json!(["uninstall"]), "{json}");
    assert_eq!(zone(&r, "web02")["predicted"], serde_json::json!([]), "{json}");
    assert!(zone(&r, "pg02")["recommended"].is_null(), "no attach log to recommend from: {json}");
}

/// The operator's own `attach -u` ran out of space: `--all` recommends no strategy (each would
/// need more space) and says to free space first, with the analysis that shows how. Before, it
/// said "try the ladder".
#[test]
fn a_full_pool_in_the_last_attach_log_is_to_be_fixed_before_any_strategy() {
    let text = std::fs::read_to_string(scenario("omnios-two-zones.toml")).unwrap();
    let host =
        sim_support::Sim::from_text(&format!("{text}\n[[faults]]\nkind = \"out-of-space\"\n"));
    let dir = host.dir.as_path();
    host.detach("web02");
    assert!(!sim(dir, "zoneadm", &["-z", "web02", "attach", "-u"]).status.success());
    let (_, table) = all_read_only(dir, &[]);
    assert!(
        table.contains(
            "web02: detached; its last attach failed (out-of-space, which no strategy fixes)"
        ),
        "{table}"
    );
    assert!(!table.contains("try the ladder"), "{table}");
    let (_, json) = all_read_only(dir, &["--json"]);
    let r: Value = serde_json::from_str(&json).unwrap();
    let web = zone(&r, "web02");
    assert!(web["recommended"].is_null(), "{web}");
    let next = web["next"].as_str().unwrap();
    assert!(
        next.starts_with(
            "once out-of-space is fixed (zonerescue analyze /var/tmp/web02.attach_log."
        ),
        "{web}"
    );
    assert!(next.ends_with("): zonerescue web02"), "{web}");
}

/// Worlds round ff F1: a run killed while the global zone's publishers were simplified for an
/// attach that still went through: every zone fine, `--all` exited 0 with no next step, and
/// the only remedy named (beside resume) was a rollback that would undo the rescue. It exits 1
/// and says the command that puts them back and nothing else; that command does so.
#[test]
fn publishers_a_killed_run_left_modified_make_the_survey_say_so() {
    let host = init("s11express-disabled-gz-publisher.toml");
    let dir = host.path();
    let run = zr(dir, &["--yes", "mail01"]);
    assert_eq!(run.status.code(), Some(0), "{}", String::from_utf8_lossy(&run.stderr));
    let before = sim(dir, "pkg", &["publisher", "-H", "-F", "tsv"]).stdout;
    // As a kill leaves it: the journal still running (a pid long gone), the publisher the
    // run took out of the attach's way still out of it.
    let path = dir.join("state/mail01/journal.json");
    let mut j: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    j["status"] = Value::String("running".into());
    j["gz_publishers_modified"] = Value::Bool(true);
    j["pid"] = Value::from(4_194_300);
    std::fs::write(&path, serde_json::to_vec(&j).unwrap()).unwrap();
    assert!(sim(dir, "pkg", &["unset-publisher", "contrib"]).status.success());
    let out = zr(dir, &["--all", "--json"]);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stdout));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let z = zone(&report, "mail01");
    assert_eq!(z["status"], "fine", "{z}");
    let next = z["next"].as_str().unwrap_or_else(|| panic!("{z}"));
    assert!(next.starts_with("zonerescue mail01 "), "{next}");
    let run = zr(dir, &["--yes", "mail01"]);
    assert_eq!(run.status.code(), Some(0), "{}", String::from_utf8_lossy(&run.stdout));
    assert_eq!(sim(dir, "pkg", &["publisher", "-H", "-F", "tsv"]).stdout, before);
    assert_eq!(zr(dir, &["--all"]).status.code(), Some(0));
}

/// Ops mm F3: after a run that concluded only image-create gets past (a package the release's
/// own entire requires and no publisher offers), `--all` advised the ladder, which climbs six
/// attaches to the same end. It says what the run said.
#[test]
fn a_zone_only_image_create_can_rescue_is_not_sent_up_the_ladder() {
    let sim = sim_support::Sim::from_file(&sim_support::world(
        "openindiana-three-zones-entire-requires-missing",
    ));
    let (events, code) = sim_support::rescue_json(&sim.dir, "core03", &["--strategy", "auto"]);
    let s = events.last().unwrap();
    assert_eq!(code, Some(1), "{s}");
    assert!(s["message"].as_str().unwrap().contains("only image-create gets past"), "{s}");
    let out = zr(&sim.dir, &["--all", "--json"]);
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    let why = zone(&r, "core03")["reason"].as_str().unwrap().to_string();
    assert!(!why.contains("ladder"), "{why}");
    assert!(why.contains("only image-create gets past"), "{why}");
    // The command once, as what to run next.
    assert!(!why.contains("--allow-destructive"), "{why}");
    let next = zone(&r, "core03")["next"].as_str().unwrap().to_string();
    assert!(next.contains("--allow-destructive core03"), "{next}");
}

/// Regress nn F5: a zone of a later release put back installed (its boot environment mounted
/// nowhere, read after the first attach) was called "needs attach -u", `Next: zonerescue Z`.
#[test]
fn a_zone_of_a_later_release_is_sent_to_image_create_not_attach_u() {
    let sim = sim_support::Sim::from_file(&sim_support::world("s11-halted-zone-unmounted"));
    let (events, code) = sim_support::rescue_json(&sim.dir, "z1", &[]);
    assert_eq!(code, Some(1), "{}", events.last().unwrap());
    assert_eq!(sim.state("z1"), "installed");
    let out = zr(&sim.dir, &["--all", "--json"]);
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    let z = zone(&r, "z1");
    let why = z["reason"].as_str().unwrap();
    assert!(!why.contains("needs attach -u") && why.contains("later release"), "{why}");
    assert!(z["next"].as_str().unwrap().contains("--allow-destructive z1"), "{z}");
    let table = String::from_utf8_lossy(&zr(&sim.dir, &["--all"]).stdout).into_owned();
    assert!(table.contains("Next: zonerescue --strategy auto --allow-destructive z1"), "{table}");
}

/// Regress rr F1: a Solaris 11 zone in step whose ZBE of the running GZ BE is not active (the
/// brand's attach claims it, its rule 2) was called fine, and a rescue said "nothing to
/// rescue": until an attach claims it, the zone is not the running GZ BE's.
#[test]
fn a_zbe_the_attach_has_yet_to_claim_needs_an_attach() {
    let text = sim_support::world_text("s11-zbe-of-running-gz-be-inactive")
        .replace("entire = 200", "entire = 210");
    let sim = sim_support::Sim::from_text(&text);
    let zbe = "rpool/system/zones/two/rpool/ROOT/solaris-0";
    assert_eq!(sim.run("zfs", &["set", "org.opensolaris.libbe:active=off", zbe]).code, 0);
    let out = zr(&sim.dir, &["--all", "--json"]);
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(zone(&r, "two")["status"], "needs-rescue", "{r}");
}
