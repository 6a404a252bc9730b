//! How options are given: boolean environment variables, global options before or after a
//! subcommand. Against the simulator, without a terminal (as CI runs it).

mod sim_support;

use sim_support::Sim;

fn dotted_world() -> Sim {
    Sim::from_file(&sim_support::world("s11-dotted-zone-names"))
}

/// `zonerescue --json web` with ZONERESCUE_YES=`value` and no terminal: its exit code and
/// what it said (stdout, then stderr).
fn rescue_with_yes_env(sim: &Sim, value: &str) -> (Option<i32>, String) {
    let out = sim_support::zonerescue(&sim.dir)
        .env("ZONERESCUE_YES", value)
        .args(["--json", "web"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    (out.status.code(), format!("{}{stderr}", String::from_utf8_lossy(&out.stdout)))
}

#[test]
fn zonerescue_yes_takes_the_usual_boolean_words() {
    for value in ["1", "yes", "true", "on", "YES", "True"] {
        let sim = dotted_world();
        let (code, said) = rescue_with_yes_env(&sim, value);
        assert_eq!(code, Some(0), "ZONERESCUE_YES={value}: {said}");
        assert_eq!(sim.state("web"), "installed");
    }
    // An emptied variable gives no consent (before: an error blaming --yes, exit 2).
    for value in ["0", "no", "false", "off", ""] {
        let sim = dotted_world();
        let (code, said) = rescue_with_yes_env(&sim, value);
        assert_eq!(code, Some(3), "ZONERESCUE_YES={value} says no: {said}");
        assert!(said.contains("no terminal"), "ZONERESCUE_YES={value}: {said}");
        let changed = sim_support::audit(&sim.dir)
            .into_iter()
            .filter(|a| a.argv.iter().any(|w| w == "detach" || w == "snapshot"))
            .count();
        assert_eq!(changed, 0, "ZONERESCUE_YES={value} changed something");
    }
    let sim = dotted_world();
    let (code, said) = rescue_with_yes_env(&sim, "maybe");
    assert_eq!(code, Some(2), "{said}");
    assert!(said.contains("maybe"), "{said}");
    // The operator never typed --yes: the error names the variable (ops round t F8).
    assert!(said.contains("ZONERESCUE_YES"), "{said}");
}

/// Cm vv F4: with --json, a command line that cannot be parsed (a bad value in a variable, an
/// unknown option) ends stdout with an error summary too, as the errors found later do.
#[test]
fn a_bad_setting_with_json_ends_stdout_with_an_error_summary() {
    let sim = dotted_world();
    for (var, args) in [
        (("ZONERESCUE_TIMEOUT", "soon"), &["--json", "web"][..]),
        (("ZONERESCUE_COLOR", "sometimes"), &["--json", "web"][..]),
        (("ZONERESCUE_STATE_UNUSED", "x"), &["--json", "--no-such-option", "web"][..]),
    ] {
        let out = sim_support::zonerescue(&sim.dir).env(var.0, var.1).args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{var:?} {args:?}");
        let stdout = String::from_utf8_lossy(&out.stdout);
        let last: serde_json::Value =
            serde_json::from_str(stdout.lines().last().unwrap_or_default()).unwrap();
        assert_eq!((&last["event"], &last["result"]), (&"summary".into(), &"error".into()));
        assert!(!last["message"].as_str().unwrap().is_empty(), "{last}");
    }
    // Not for --help, which is no error.
    let out = sim_support::zonerescue(&sim.dir).args(["--json", "--help"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(!String::from_utf8_lossy(&out.stdout).contains("\"result\""));
    // Regress ww F5: each command's own last line (docs/events-json.md), and what is missing
    // named.
    let last = |args: &[&str]| -> serde_json::Value {
        let out = sim_support::zonerescue(&sim.dir).args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        serde_json::from_str(stdout.lines().last().unwrap_or_default()).unwrap()
    };
    let v = last(&["--json", "rollback"]);
    assert_eq!(v["event"], "rollback-summary", "{v}");
    assert!(v["message"].as_str().unwrap().contains("<ZONE>"), "{v}");
    assert_eq!(last(&["--json", "snapshots", "--prune"])["event"], "prune-summary");
    let v = last(&["--json", "status"]);
    assert!(v["journal"].is_null() && v["error"].as_str().unwrap().contains("<ZONE>"), "{v}");
    assert_eq!(last(&["--json", "--all", "--no-such-option"])["kind"], "all");
    // Regress ww2 F3: analyze and a snapshot listing print no summary on an error.
    for args in [&["--json", "analyze", "--no-such-option"][..], &["--json", "snapshots"][..]] {
        let out = sim_support::zonerescue(&sim.dir).args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}: {}", String::from_utf8_lossy(&out.stdout));
    }
}

/// Cm ww F4: an emptied variable (`ZONERESCUE_PLAYBOOK= zonerescue …` in a script) sets
/// nothing; it stopped the run with exit 2, blaming an option nobody typed.
#[test]
fn an_emptied_variable_sets_nothing() {
    let sim = dotted_world();
    let mut c = sim_support::zonerescue(&sim.dir);
    for var in ["ZONERESCUE_PLAYBOOK", "ZONERESCUE_COLOR", "ZONERESCUE_TIMEOUT", "ZONERESCUE_RULES"]
    {
        c.env(var, "");
    }
    let out = c.args(["status", "web"]).output().unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{said}");
    assert!(!said.contains("a value is required"), "{said}");
}

/// `--yes` before a subcommand is the subcommand's `--yes`: `zonerescue --yes rollback ZONE`
/// without a terminal rolls back like `zonerescue rollback --yes ZONE` does.
#[test]
fn yes_before_the_subcommand_answers_its_question() {
    for args in [["--yes", "rollback", "web"], ["rollback", "--yes", "web"]] {
        let sim = dotted_world();
        let (events, code) = sim_support::rescue_json(&sim.dir, "web", &[]);
        assert_eq!(code, Some(0), "{events:?}");
        assert_eq!(sim.state("web"), "installed");
        let out = sim_support::zonerescue(&sim.dir).args(args).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
        assert!(!stderr.contains("add --yes"), "{args:?}: {stderr}");
        assert_eq!(sim.state("web"), "configured", "{args:?}: rolled back, detached");
    }
}

/// `--playbook` and `analyze --rules` files that cannot be read or are not valid TOML: one
/// error line that names the file and says what is wrong once (with toml's line and column).
#[test]
fn bad_playbook_and_rules_files_are_named_once_with_the_place() {
    let sim = dotted_world();
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.toml");
    let malformed = dir.path().join("malformed.toml");
    std::fs::write(&malformed, "version = 1\nplatform = 5\n").unwrap();
    let (m, b) = (missing.display().to_string(), malformed.display().to_string());
    let runs = [
        (vec!["--playbook", &m, "--dry-run", "web"], &m, "No such file or directory"),
        (
            vec!["--playbook", &b, "--dry-run", "web"],
            &b,
            "line 2, column 12: wanted string or table",
        ),
        (vec!["--all", "--playbook", &b], &b, "line 2, column 12: wanted string or table"),
        (vec!["analyze", "--rules", &m, "-"], &m, "No such file or directory"),
        (vec!["analyze", "--rules", &b, "-"], &b, "line 2, column 1: unknown field `platform`"),
    ];
    for (args, path, what) in runs {
        let out = sim_support::zonerescue(&sim.dir).args(&args).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{args:?}: one line: {stderr}");
        assert!(stderr.contains(path.as_str()), "{args:?}: {stderr}");
        assert_eq!(stderr.matches(what).count(), 1, "{args:?}: {what} once: {stderr}");
    }
}

/// The commands of the simulated host's audit log that change a zone or its snapshots.
fn changes(sim: &Sim) -> Vec<Vec<String>> {
    let changing = ["detach", "rollback", "destroy"];
    let audit = sim_support::audit(&sim.dir).into_iter();
    audit
        .map(|a| a.argv)
        .filter(|argv| argv.iter().any(|w| changing.contains(&w.as_str())))
        .collect()
}

/// Round j: `rollback --to` with something zfs would never take as a snapshot name is a usage
/// error (exit 2), not "stopped, run again once the cause is fixed" (exit 5); nothing runs.
#[test]
fn rollback_to_a_name_that_is_no_snapshot_is_a_usage_error() {
    let sim = dotted_world();
    let (_, code) = sim_support::rescue_json(&sim.dir, "web", &[]);
    assert_eq!(code, Some(0));
    let before = changes(&sim).len();
    for bad in ["x;rm -rf /", "rpool/zones/web", "a@b@c"] {
        let out = sim_support::zonerescue(&sim.dir)
            .args(["rollback", "--yes", "--to", bad, "web"])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{bad}: {stderr}");
        assert!(stderr.contains("--to") && !stderr.contains("again once"), "{stderr}");
    }
    assert_eq!(changes(&sim).len(), before, "{:?}", changes(&sim));
    assert_eq!(sim.state("web"), "installed");
}

/// A run that applied nothing and tried no attach (uninstall found nothing to remove):
/// `rollback --yes` says there is nothing to roll back and leaves the installed zone attached.
/// Before, it detached it.
#[test]
fn rollback_after_a_run_that_changed_nothing_does_nothing() {
    let sim = dotted_world();
    // Unattended image-create without --allow-destructive: refused, saying how (round k F9),
    // before any snapshot (worlds round y F5).
    let (events, code) = sim_support::rescue_json(&sim.dir, "web", &["--strategy", "image-create"]);
    assert_eq!(code, Some(3));
    let m = events.last().unwrap()["message"].to_string();
    assert!(m.contains("--allow-destructive"), "{m}");
    assert!(sim_support::audit(&sim.dir).iter().all(|a| !a.argv.contains(&"snapshot".into())));
    let (_, code) = sim_support::rescue_json(&sim.dir, "web", &["--strategy", "uninstall"]);
    assert_eq!(code, Some(1));
    assert!(changes(&sim).is_empty(), "{:?}", changes(&sim));
    let out =
        sim_support::zonerescue(&sim.dir).args(["rollback", "--yes", "web"]).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("nothing to roll back"), "{stdout}");
    assert_eq!(sim.state("web"), "installed");
    assert!(changes(&sim).is_empty(), "{:?}", changes(&sim));
}

/// `snapshots --prune` destroys only with consent: without a terminal it needs --yes (before
/// or after the subcommand), and says so.
#[test]
fn prune_without_a_terminal_needs_yes() {
    let sim = dotted_world();
    // Three runs: the first's pre-rescue snapshot is the zone before any rescue and the
    // last's is the last run's (both kept); the second's is what there is to prune.
    for _ in 0..3 {
        // A zone attached in step is left alone (no snapshot): detached, it needs attach -u.
        if sim.state("web") == "installed" {
            sim.detach("web");
        }
        let (_, code) = sim_support::rescue_json(&sim.dir, "web", &[]);
        assert_eq!(code, Some(0));
    }
    let before = changes(&sim).len();
    let out =
        sim_support::zonerescue(&sim.dir).args(["snapshots", "web", "--prune"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(stderr.contains("refused: no terminal to confirm on: add --yes"), "{stderr}");
    assert_eq!(changes(&sim).len(), before, "{:?}", changes(&sim));
    let out = sim_support::zonerescue(&sim.dir)
        .args(["--yes", "snapshots", "web", "--prune"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("destroyed"));
    let destroyed = &changes(&sim)[before..];
    assert!(destroyed.len() == 1 && destroyed[0].contains(&"destroy".into()), "{destroyed:?}");
}

/// `status` of a journal whose run is over never calls a step "in progress": a finished run's
/// step without an end is "not finished", a run marked running that holds no lock on the zone
/// was killed (and `resume` continues it). The zone's state now is shown too.
#[test]
fn status_tells_a_finished_or_killed_run_from_a_running_one() {
    let sim = dotted_world();
    let (_, code) = sim_support::rescue_json(&sim.dir, "web", &[]);
    assert_eq!(code, Some(0));
    let path = sim.dir.join("state/web/journal.json");
    let mut j: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    let last = j["steps"].as_array().unwrap().len() - 1;
    j["steps"][last]["state"] = "started".into();
    j["steps"][last]["ended"] = serde_json::Value::Null;
    j["steps"][last]["outcome"] = serde_json::Value::Null;
    let status = |j: &serde_json::Value| {
        std::fs::write(&path, serde_json::to_vec(j).unwrap()).unwrap();
        let out = sim_support::zonerescue(&sim.dir).args(["status", "web"]).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).into_owned()
    };

    j["status"] = serde_json::json!({"ended": "interrupted"});
    let text = status(&j);
    assert!(text.contains("not finished (the run ended at "), "{text}");
    assert!(!text.contains("in progress"), "{text}");
    assert!(text.contains("zone state now: installed"), "{text}");

    // A pid that is certainly gone: a child that has been waited for.
    let mut gone = std::process::Command::new("true").spawn().unwrap();
    gone.wait().unwrap();
    j["status"] = "running".into();
    j["pid"] = gone.id().into();
    let text = status(&j);
    assert!(text.contains(&format!("killed or crashed (pid {} is gone", gone.id())), "{text}");
    assert!(text.contains("`zonerescue resume web` continues it"), "{text}");
    assert!(!text.contains("in progress"), "{text}");

    // Ops round aa F2b: a live pid that does not hold the zone's lock reused the pid of a
    // killed run (before: "running now").
    j["pid"] = std::process::id().into();
    let text = status(&j);
    assert!(text.contains("killed or crashed"), "{text}");
    // Holding the zone's lock, as a run does throughout: running now.
    let _lock = sim_support::hold_lock(&sim.dir.join("state/web/lock"));
    let text = status(&j);
    assert!(text.contains(&format!("running now (pid {})", std::process::id())), "{text}");
    assert!(text.contains("in progress"), "{text}");
}

/// Ops round y F5: a bad ZONERESCUE_STRATEGY stops only what uses it, a recovery, with an
/// error naming the variable; `status`, `analyze` and `completions` ignore it (they stopped
/// with "invalid value for '--strategy'", which the operator never typed).
#[test]
fn a_bad_strategy_in_the_environment_stops_only_a_recovery() {
    let sim = dotted_world();
    let zr = |args: &[&str]| {
        let out = sim_support::zonerescue(&sim.dir)
            .env("ZONERESCUE_STRATEGY", "Auto")
            .args(args)
            .output()
            .unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!text.contains("panicked"), "{text}");
        (out.status.code(), text)
    };
    let log = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/logs/omnios-postgres-removed.log");
    for args in
        [&["status", "web"][..], &["completions", "bash"], &["analyze", log.to_str().unwrap()]]
    {
        let (code, text) = zr(args);
        assert!(!text.contains("invalid") && !text.contains("ZONERESCUE_STRATEGY"), "{text}");
        assert_ne!(code, Some(2), "{args:?}: {text}");
    }
    let (code, text) = zr(&["--yes", "web"]);
    assert_eq!(code, Some(2), "{text}");
    assert!(text.contains("ZONERESCUE_STRATEGY") && text.contains("'Auto'"), "{text}");
    assert!(sim_support::audit(&sim.dir).is_empty(), "a command ran");
    // An emptied variable chooses nothing (worlds round z): the run goes on as auto.
    let out = sim_support::zonerescue(&sim.dir)
        .env("ZONERESCUE_STRATEGY", "")
        .args(["--yes", "web"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
}

/// Docs jj F2: a zone named like a subcommand. The commands the run advises take it after
/// `--`, as the README says they must (before, `zonerescue --strategy auto status` and
/// `zonerescue status` were printed: pasted, a usage error, or another subcommand).
#[test]
fn advice_for_a_zone_named_like_a_subcommand_puts_it_after_a_double_dash() {
    let text = std::fs::read_to_string(sim_support::scenario("omnios-postgres-removed")).unwrap();
    let sim = Sim::from_text(&text.replace("\"pg01\"", "\"status\"").replace("/pg01", "/status"));
    let (events, code) =
        sim_support::rescue_json(&sim.dir, "status", &["--strategy", "attach", "--"]);
    let s = events.last().unwrap();
    assert_eq!(code, Some(1), "{s}");
    let steps = s["next_steps"].to_string();
    assert!(steps.contains("zonerescue -- status") && steps.contains("auto -- status"), "{s}");
    assert!(!steps.contains("zonerescue --strategy auto status"), "{s}");
}
