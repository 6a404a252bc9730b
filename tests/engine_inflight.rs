//! A zonerescue killed outright (SIGKILL) while `zoneadm attach -u` runs leaves that child
//! running in its own process group. The next command on the zone — `rollback` here, `resume`
//! in tests/engine_recovery.rs — must wait for it before touching the zone, and refuse (exit 4)
//! if it outlasts its time limit.

use std::process::Child;
use std::time::{Duration, Instant};

mod sim_support;
use sim_support::Sim;

/// Starts a rescue of pg01 at simulator `speed` and SIGKILLs zonerescue once the attach is
/// recorded as its running child.
fn kill_during_attach(sim: &Sim, speed: &str) {
    let mut zr: Child = sim_support::spawn_rescue(&sim.dir, "pg01", speed, false);
    let record = sim.dir.join("state/pg01/child");
    let deadline = Instant::now() + Duration::from_secs(120);
    while !std::fs::read_to_string(&record).is_ok_and(|t| t.contains("attach -u")) {
        assert!(Instant::now() < deadline, "no attach was recorded as running");
        std::thread::sleep(Duration::from_millis(5));
    }
    zr.kill().unwrap();
    zr.wait().unwrap();
}

#[test]
fn rollback_waits_for_the_attach_a_killed_run_left_running() {
    let sim = Sim::new("omnios-postgres-removed");
    // Slow enough that the attach still runs when the rollback starts (one that has ended is
    // a zombie until its new parent reaps it, and is not waited for).
    kill_during_attach(&sim, "5");
    assert!(
        sim_support::attach_runs(&sim.dir) == 0,
        "the attach ended before the rollback started"
    );
    let out = sim_support::zonerescue(&sim.dir)
        .args(["rollback", "pg01", "--yes"])
        .env("ZONESIM_SPEED", "20")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("of an earlier run is still running; waiting"), "{stderr}");
    assert!(sim_support::attach_runs(&sim.dir) > 0);
    assert!(!sim.dir.join("state/pg01/child").exists(), "record left behind");
    assert_eq!(sim.state("pg01"), "configured");
}

#[test]
fn a_child_past_its_limit_makes_the_next_run_refuse() {
    let sim = Sim::new("omnios-postgres-removed");
    // The attach runs ~15 real seconds at this speed; the resume allows zoneadm 1 s (+5 s of
    // slack from the attach's start), so it gives up while the attach still runs.
    kill_during_attach(&sim, "3");
    let record = sim.dir.join("state/pg01/child");
    let out = sim_support::zonerescue(&sim.dir)
        .args(["--json", "--timeout", "zoneadm=1", "resume", "pg01", "--yes"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(4), "{stdout}");
    let summary: serde_json::Value = serde_json::from_str(stdout.lines().last().unwrap()).unwrap();
    assert_eq!(summary["result"], "locked");
    let message = summary["message"].as_str().unwrap();
    assert!(message.contains("attach -u") && message.contains("still running"), "{message}");
    assert!(record.exists(), "the record must stay while its child runs");
}

#[test]
fn resume_counts_the_attach_the_killed_run_had_started() {
    // Before, the killed run's attach -u (it ran to its end as an orphan) was not among the
    // resumed run's attempts: the summary said one attach fewer than had run.
    let sim = Sim::new("omnios-postgres-removed");
    kill_during_attach(&sim, "20");
    // `status` says so meanwhile: the journal counts no attempt yet.
    let status = sim_support::zonerescue(&sim.dir).args(["status", "pg01"]).output().unwrap();
    let text = String::from_utf8_lossy(&status.stdout);
    assert!(
        text.contains("started by the run and not seen to end: `zoneadm -z pg01 attach -u` at "),
        "{text}"
    );
    let out = sim_support::zonerescue(&sim.dir)
        .args(["--json", "resume", "pg01", "--yes"])
        .env("ZONESIM_SPEED", "20")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let summary: serde_json::Value = serde_json::from_str(stdout.lines().last().unwrap()).unwrap();
    assert_eq!(summary["result"], "attached", "{summary}");
    assert_eq!(
        summary["attempts"].as_u64(),
        Some(sim_support::attach_runs(&sim.dir) as u64),
        "{summary}"
    );
}

/// Ops round aa F2: the killed run's child has ended and its pid now belongs to an unrelated
/// process (pids wrap; the record survives reboots). That process is not waited for: its
/// command line lacks the recorded program. Before, `status` called it still running and
/// `rollback`, `resume` and new runs waited for it up to the kind's limit, then refused
/// (exit 4), the zone left down.
#[test]
fn a_pid_reused_by_another_program_is_not_waited_for() {
    let sim = Sim::new("omnios-postgres-removed");
    kill_during_attach(&sim, "20");
    let record = sim.dir.join("state/pg01/child");
    let text = std::fs::read_to_string(&record).unwrap();
    let mut other = std::process::Command::new("sleep").arg("120").spawn().unwrap();
    let reused: String =
        text.lines()
            .map(|l| {
                if l.starts_with("pid=") {
                    format!("pid={}\n", other.id())
                } else {
                    format!("{l}\n")
                }
            })
            .collect();
    std::fs::write(&record, reused).unwrap();
    let status = sim_support::zonerescue(&sim.dir).args(["status", "pg01"]).output().unwrap();
    let text = String::from_utf8_lossy(&status.stdout);
    assert!(text.contains(&format!("(pid {}, ended)", other.id())), "{text}");
    let out = sim_support::zonerescue(&sim.dir)
        .args(["--json", "--timeout", "zoneadm=1", "rollback", "pg01", "--yes"])
        .env("ZONESIM_SPEED", "20")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    other.kill().unwrap();
    other.wait().unwrap();
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(!String::from_utf8_lossy(&out.stderr).contains("still running"));
    assert_eq!(sim.state("pg01"), "configured");
}
