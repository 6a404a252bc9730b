//! `--report FILE`: the human report (findings, each rung with outcome and duration, snapshots
//! kept, how to roll back) lands in FILE with and without `--json`.

mod sim_support;

use std::path::Path;
use std::process::Command;

const ZS: &str = env!("CARGO_BIN_EXE_zonesim");

fn scenario(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/scenarios").join(format!("{name}.toml"))
}

/// Rescues pg01 (needs an uninstall rung) with `--report`; returns (report, stdout).
fn rescue_with_report(json: bool) -> (String, String) {
    let d = tempfile::tempdir().unwrap();
    let init = Command::new(ZS)
        .arg("init")
        .arg(scenario("omnios-postgres-removed"))
        .arg(d.path())
        .env_remove("ZONESIM_ROOT")
        .output()
        .unwrap();
    assert!(init.status.success(), "{}", String::from_utf8_lossy(&init.stderr));
    let report = d.path().join("report.txt");
    let mut c = sim_support::zonerescue(d.path());
    c.arg("--report")
        .arg(&report)
        .args(["--yes", "--color", "never"])
        .env("ZONESIM_SPEED", "100000");
    if json {
        c.arg("--json");
    }
    let out = c.arg("pg01").output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let text = std::fs::read_to_string(&report).expect("report file written");
    (text, String::from_utf8_lossy(&out.stdout).into_owned())
}

fn assert_human_report(text: &str) {
    assert!(text.contains("zonerescue: zone pg01"), "{text}");
    // What was found: at least one finding line (preflight's, here).
    assert!(text.lines().any(|l| l.trim_start().starts_with('[')), "no finding:\n{text}");
    // Each rung with its outcome and duration.
    assert!(text.contains("==> step"), "{text}");
    for rung in ["snapshot", "uninstall"] {
        let end = text
            .lines()
            .find(|l| l.starts_with(&format!("<== {rung}:")))
            .unwrap_or_else(|| panic!("no end line for {rung}:\n{text}"));
        assert!(end.ends_with(" s)"), "no duration on {end:?}");
    }
    assert!(text.contains("Result for zone pg01: attached"), "{text}");
    assert!(text.contains("snapshot kept:"), "{text}");
    assert!(text.contains("zonerescue rollback pg01"), "{text}");
    assert!(!text.contains('\x1b'), "colour codes in the report");
}

#[test]
fn report_holds_the_human_summary_in_human_mode() {
    let (text, _) = rescue_with_report(false);
    assert_human_report(&text);
}

#[test]
fn report_holds_the_human_summary_even_with_json() {
    let (text, stdout) = rescue_with_report(true);
    assert_human_report(&text);
    // stdout stays pure JSON Lines.
    for l in stdout.lines() {
        assert!(serde_json::from_str::<serde_json::Value>(l).is_ok(), "not JSON: {l}");
    }
}

/// `zonerescue --report REPORT --yes pg01` must refuse before anything changes: exit 2, the
/// reason `why` on stderr, no command run.
fn refused_before_anything(sim: &sim_support::Sim, report: &Path, why: &str) {
    let out = sim_support::zonerescue(&sim.dir)
        .arg("--report")
        .arg(report)
        .args(["--yes", "pg01"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains(why), "{err}");
    assert!(sim_support::audit(&sim.dir).is_empty(), "a command ran");
}

/// A root-only file in the simulated host that a report must never overwrite.
fn victim(sim: &sim_support::Sim) -> std::path::PathBuf {
    let victim = sim.dir.join("shadow");
    std::fs::write(&victim, "root:$6$secret:19000::::::\n").unwrap();
    victim
}

fn assert_untouched(victim: &Path) {
    assert_eq!(std::fs::read_to_string(victim).unwrap(), "root:$6$secret:19000::::::\n");
}

/// A report path whose directory does not exist is an error before anything changes. Before,
/// the zone was rescued and the run then exited 2 on writing the report.
#[test]
fn a_report_path_that_cannot_be_written_stops_before_anything() {
    let sim = sim_support::Sim::from_file(&scenario("omnios-postgres-removed"));
    refused_before_anything(&sim, &sim.dir.join("no/such/dir/report.txt"), "is not a directory");
}

/// Ops round t F3: a report in zonerescue's own state directory (over the zone's journal, or
/// beside it) is refused before anything changes, the journal untouched. Before, the rescue
/// ran, then wrote the transcript over the journal, and rollback and status failed.
#[test]
fn a_report_inside_the_state_directory_is_refused() {
    let sim = sim_support::Sim::from_file(&scenario("omnios-postgres-removed"));
    let zone_dir = sim.dir.join("state/pg01");
    std::fs::create_dir_all(&zone_dir).unwrap();
    let journal = zone_dir.join("journal.json");
    std::fs::write(&journal, "{}").unwrap();
    for report in [journal.clone(), zone_dir.join("report.txt"), sim.dir.join("state/r.txt")] {
        refused_before_anything(&sim, &report, "inside zonerescue's state directory");
    }
    assert_eq!(std::fs::read_to_string(&journal).unwrap(), "{}");
}

/// A directory that exists but takes no new file (here /proc, where not even root creates
/// one; on a host, a read-only or full file system): refused before anything changes, as the
/// file is now created before the run (round o minor; before, the rescue ran, then exit 2).
#[test]
fn a_report_file_that_cannot_be_created_stops_before_anything() {
    let dir = Path::new("/proc/self");
    if !dir.is_dir() {
        eprintln!("SKIPPED: no /proc here");
        return;
    }
    let sim = sim_support::Sim::from_file(&scenario("omnios-postgres-removed"));
    refused_before_anything(&sim, &dir.join("zonerescue-report.txt"), "--report /proc/self/");
}

/// `--report` at a symlink someone planted (another user's link in a 1777 directory such as
/// /var/tmp, to a root-only file: Solaris has no protected_symlinks) is refused before the run
/// changes anything; the link's target is not written. Before, it was overwritten with the
/// report.
#[test]
fn a_report_path_that_is_a_symlink_is_refused_and_its_target_untouched() {
    let sim = sim_support::Sim::from_file(&scenario("omnios-postgres-removed"));
    let victim = victim(&sim);
    let link = sim.dir.join("pg01-report.txt");
    std::os::unix::fs::symlink(&victim, &link).unwrap();
    refused_before_anything(&sim, &link, "is a symbolic link");
    assert_untouched(&victim);
}

/// A second name of another file (a hard link, which Solaris lets any user make to a file of
/// root's on the same file system) or something other than a plain file is refused too.
#[test]
fn a_report_path_that_is_a_hard_link_or_not_a_file_is_refused() {
    let sim = sim_support::Sim::from_file(&scenario("omnios-postgres-removed"));
    let victim = victim(&sim);
    let hard = sim.dir.join("hard-report.txt");
    std::fs::hard_link(&victim, &hard).unwrap();
    refused_before_anything(&sim, &hard, "has another hard link");
    let fifo = sim.dir.join("fifo-report.txt");
    let c = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    refused_before_anything(&sim, &fifo, "is not a regular file");
    assert_untouched(&victim);
}

/// The link may appear after that check, while the run works (the report file it created
/// replaced by one, in a directory without the sticky bit): the report is then not written
/// through it either (opened with O_NOFOLLOW), and the run says so and exits non-zero.
#[test]
fn a_symlink_planted_during_the_run_is_not_followed() {
    use std::io::BufRead;
    let sim = sim_support::Sim::from_file(&scenario("omnios-postgres-removed"));
    let victim = victim(&sim);
    let report = sim.dir.join("pg01-report.txt");
    let mut child = sim_support::zonerescue(&sim.dir)
        .arg("--report")
        .arg(&report)
        .args(["--yes", "--json", "pg01"])
        .env("ZONESIM_SPEED", "100000")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut planted = false;
    for line in stdout.lines() {
        let v: serde_json::Value = serde_json::from_str(&line.unwrap()).unwrap();
        if !planted && v["event"] == "command" {
            // The run created the (empty) report before it began; swapped for a link.
            std::fs::remove_file(&report).unwrap();
            std::os::unix::fs::symlink(&victim, &report).unwrap();
            planted = true;
        }
    }
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(planted, "no command event");
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("is a symbolic link"), "{err}");
    assert_untouched(&victim);
}

/// A new report is root's alone (0600): it names the host's publishers (proxies, SSL key
/// paths) and is often written to /var/tmp, which everyone can read.
#[test]
fn a_new_report_file_is_private() {
    use std::os::unix::fs::PermissionsExt;
    let sim = sim_support::Sim::from_file(&scenario("omnios-postgres-removed"));
    let report = sim.dir.join("pg01-report.txt");
    let out = sim_support::zonerescue(&sim.dir)
        .arg("--report")
        .arg(&report)
        .args(["--yes", "pg01"])
        .env("ZONESIM_SPEED", "100000")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let mode = std::fs::metadata(&report).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "{mode:o}");
    assert!(std::fs::read_to_string(&report).unwrap().contains("Result for zone pg01"));
}

/// Ops round aa F5: `--report` naming the zone's attach log (what preflight reads, what support
/// asks for) is refused before anything changes, the log untouched; before, the report
/// replaced it, exit 0, in a dry run too. (The run's own playbook: report_file's unit test.)
#[test]
fn a_report_over_an_attach_log_is_refused() {
    let sim = sim_support::Sim::from_file(&scenario("omnios-postgres-removed"));
    let log = sim.dir.join("var/tmp/pg01.attach_log.Qa9Zx1");
    std::fs::create_dir_all(log.parent().unwrap()).unwrap();
    std::fs::write(&log, "Log File: /var/tmp/pg01.attach_log.Qa9Zx1\n").unwrap();
    refused_before_anything(&sim, &log, "attach log");
    assert_eq!(
        std::fs::read_to_string(&log).unwrap(),
        "Log File: /var/tmp/pg01.attach_log.Qa9Zx1\n"
    );
}

/// Cm ww F1: a run refused before its snapshot (a repository the global zone cannot reach, exit
/// 3) or a zone another run holds (exit 4) left the report file empty: the runs a person must
/// read. It holds what the run printed.
#[test]
fn a_refused_or_locked_run_writes_its_report_too() {
    // `--report` on `zone`: exit status and the report's text.
    let run = |sim: &sim_support::Sim, zone: &str| {
        let report = sim.dir.join("report.txt");
        let out = sim_support::zonerescue(&sim.dir)
            .arg("--report")
            .arg(&report)
            .args(["--yes", "--color", "never", zone])
            .output()
            .unwrap();
        (out.status.code(), std::fs::read_to_string(&report).unwrap())
    };
    let sim = sim_support::Sim::new("openindiana-repository-down");
    let (code, text) = run(&sim, "db02");
    assert_eq!(code, Some(3), "{text}");
    assert!(text.contains("Result for zone db02: refused"), "{text:?}");
    // A second run while the first holds the zone's lock (its lock file held open here).
    let held = sim_support::Sim::new("omnios-postgres-removed");
    let zone_dir = held.dir.join("state/pg01");
    std::fs::create_dir_all(&zone_dir).unwrap();
    let _lock = sim_support::hold_lock(&zone_dir.join("lock"));
    let (code, text) = run(&held, "pg01");
    assert_eq!(code, Some(4), "{text}");
    assert!(text.contains("Result for zone pg01:"), "{text:?}");
}
