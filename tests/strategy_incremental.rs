//! `incremental` against the simulated host: it installs `entire@VER` straight away (no `-n`
//! solve first); a build the repository's catalog does not list costs no solver run; when pkg
//! finds no plan for one intermediate build — the image untouched — it goes on to the next
//! build; when the intermediate `entire` excludes an installed package, it stops (every later
//! build would too) and auto removes that package before stepping again.

mod sim_support;
use serde_json::Value;
use sim_support::Sim;

/// The b111 world, but the last OpenSolaris release repository stops at 111 and the
/// development repository (the zone's own origin) carries only 121 and 134 of the builds the
/// playbook knows, with rename records from build 120 on only: entire@134 has no plan (the
/// Apache rename at 130 cannot be mapped from 111), entire@121 does.
fn world() -> Sim {
    let text = std::fs::read_to_string(sim_support::scenario("s11express-b111-web")).unwrap();
    let text = text.replace("builds = [111, 134]", "builds = [111]");
    assert!(text.contains("builds = [111]\n"), "scenario changed: adjust this test");
    Sim::from_text(&format!(
        "{text}\n[[repositories]]\nuri = \"http://pkg.opensolaris.org/dev/\"\n\
         publisher = \"opensolaris.org\"\nbuilds = [111, 121, 134]\nhistory_from = 120\n"
    ))
}

fn events(stdout: &[u8]) -> Vec<Value> {
    String::from_utf8_lossy(stdout).lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

/// The step-end event of the incremental rung.
fn incremental_end(events: &[Value]) -> &Value {
    events
        .iter()
        .find(|e| e["event"] == "step-end" && e["name"] == "incremental")
        .unwrap_or_else(|| panic!("no incremental step: {events:?}"))
}

#[test]
fn steps_to_the_newest_build_that_solves_without_a_separate_plan_run() {
    let sim = world();
    let out = sim_support::zonerescue(&sim.dir)
        .args(["--strategy", "incremental", "--yes", "--json", "web01"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    let installs: Vec<(String, i64)> = sim_support::audit(&sim.dir)
        .into_iter()
        .filter(|e| e.argv.iter().any(|a| a == "install"))
        .map(|e| (e.argv.join(" "), e.exit))
        .collect();
    assert!(installs.iter().all(|(a, _)| !a.contains(" -n")), "a separate plan run: {installs:?}");
    // 134 (listed, no plan), then 121; none for 133, 130, 126: no catalog lists them.
    let built: Vec<&str> =
        installs.iter().map(|(a, _)| a.rsplit("entire@0.5.11-0.").next().unwrap()).collect();
    assert_eq!(built, ["134", "121"], "{installs:?}");
    assert!(installs[0].1 != 0 && installs[1].1 == 0, "{installs:?}");
    let listed = sim_support::audit(&sim.dir)
        .into_iter()
        .filter(|e| e.argv.windows(2).any(|w| w == ["list", "-H"]) && e.argv.contains(&"-a".into()))
        .count();
    assert!(listed >= 1, "the catalogs were not read before installing");
    // Its step reports the build it reached (the attach after it still fails in this world —
    // Sun Studio is gone from 151 — so the engine undoes the rung at the end).
    let events = events(&out.stdout);
    let end = incremental_end(&events);
    assert!(
        end["detail"].as_str().unwrap_or("").contains("stepped entire to 0.5.11-0.121"),
        "{end}"
    );
}

/// OmniOS: the zone's rsync was renamed in r151040 (the r151054 repository no longer maps it)
/// and its Apache was dropped in r151036. Stepping through r151046 maps the rename, but
/// r151046's entire excludes the installed Apache: incremental stops at the first install
/// (every later build excludes it too), auto removes Apache only — not rsync, which the step
/// gets past — and steps again.
#[test]
fn an_excluded_installed_package_stops_the_step_until_it_is_removed() {
    let text =
        std::fs::read_to_string(sim_support::scenario("omnios-rename-needs-incremental")).unwrap();
    let text = text.replace(
        "packages = [\"SUNWcs\", \"system/library\", \"network/rsync\"]",
        "packages = [\"SUNWcs\", \"system/library\", \"network/rsync\", \"ooce/server/apache-22\"]",
    );
    assert!(text.contains("\"ooce/server/apache-22\"]"), "scenario changed: adjust this test");
    let sim = Sim::from_text(&format!(
        "{text}\n[[packages]]\nname = \"ooce/server/apache-22\"\nkind = \"app\"\nremoved_at = 151036\n"
    ));
    let out =
        sim_support::zonerescue(&sim.dir).args(["--yes", "--json", "backup01"]).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let summary: Value = serde_json::from_str(stdout.lines().last().unwrap()).unwrap();
    assert_eq!(summary["result"], "attached", "{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    let audit = sim_support::audit(&sim.dir);
    let steps: Vec<(String, i64)> = audit
        .iter()
        .filter(|e| e.argv.iter().any(|a| a.starts_with("entire@")))
        .map(|e| (e.argv.last().unwrap().clone(), e.exit))
        .collect();
    assert_eq!(
        steps,
        [("entire@11-151046".to_string(), 1), ("entire@11-151046".to_string(), 0)],
        "one blocked step, one after Apache is gone"
    );
    let uninstalls: Vec<String> = audit
        .iter()
        .filter(|e| e.argv.contains(&"uninstall".into()) && !e.argv.contains(&"-n".into()))
        .map(|e| e.argv.join(" "))
        .collect();
    assert_eq!(uninstalls.len(), 1, "{uninstalls:?}");
    assert!(uninstalls[0].ends_with(" ooce/server/apache-22"), "{uninstalls:?}");
    let list = sim.run("pkg", &["-R", &sim.root("backup01"), "list", "-H"]);
    assert!(
        list.stdout.contains("network/rsync-3"),
        "rsync kept under its new name: {}",
        list.stdout
    );
    assert!(!list.stdout.contains("apache"), "{}", list.stdout);
    let applied: Vec<&str> = summary["strategies_applied"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(applied.ends_with(&["uninstall", "incremental"]), "{applied:?}");
}

/// A core driver the zone has was dropped at build 130: entire@134 finds no version of it,
/// and no other build helps (an earlier one leaves the final attach facing the same gap), so
/// incremental stops after that one install instead of stepping down to build 121.
#[test]
fn a_required_package_gone_from_the_step_stops_it() {
    let text = std::fs::read_to_string(sim_support::scenario("s11express-b111-web")).unwrap();
    let zone_pkgs = "packages = [\"SUNWcs\", \"system/library\",";
    assert!(text.contains(zone_pkgs), "scenario changed: adjust this test");
    let text =
        text.replace(zone_pkgs, "packages = [\"SUNWcs\", \"driver/xvm/pv\", \"system/library\",");
    let sim = Sim::from_text(&format!(
        "{text}\n[[repositories]]\nuri = \"http://pkg.opensolaris.org/dev/\"\n\
         publisher = \"opensolaris.org\"\nbuilds = [111, 121, 134]\nhistory_from = 86\n\
         \n[[packages]]\nname = \"driver/xvm/pv\"\nkind = \"core\"\nremoved_at = 130\n"
    ));
    let out = sim_support::zonerescue(&sim.dir)
        .args(["--strategy", "incremental", "--yes", "--json", "web01"])
        .output()
        .unwrap();
    let installs: Vec<String> = sim_support::audit(&sim.dir)
        .into_iter()
        .filter(|e| e.argv.iter().any(|a| a.starts_with("entire@")))
        .map(|e| e.argv.last().unwrap().clone())
        .collect();
    assert_eq!(installs, ["entire@0.5.11-0.134"]);
    let events = events(&out.stdout);
    let end = incremental_end(&events);
    assert!(
        end["detail"].as_str().unwrap().contains("cannot keep installed driver/xvm/pv"),
        "{end}"
    );
    assert_ne!(events.last().unwrap()["result"], "attached");
}

/// The step-end events of one strategy, in order.
fn ends<'a>(events: &'a [Value], name: &str) -> Vec<&'a Value> {
    events.iter().filter(|e| e["event"] == "step-end" && e["name"] == name).collect()
}

/// OmniOS: rsync, renamed in r151040, is unknown to the r151054 catalogs (they keep records
/// from r151046 on). Preflight sees that before any attach; incremental finds the rename
/// record in the r151046 repository's catalog and steps: one attach, no diagnosing one.
#[test]
fn a_package_the_gz_catalogs_do_not_know_is_stepped_past_when_a_repository_shows_its_rename() {
    let sim = Sim::new("omnios-rename-needs-incremental");
    let out =
        sim_support::zonerescue(&sim.dir).args(["--yes", "--json", "backup01"]).output().unwrap();
    let events = events(&out.stdout);
    let s = events.last().unwrap();
    assert_eq!(s["result"], "attached", "{s}");
    assert_eq!(s["attempts"], 1, "{s}");
    assert_eq!(s["strategies_applied"], serde_json::json!(["incremental"]), "{s}");
    let predicted = events
        .iter()
        .find(|e| e["key"] == "attach.predicted-failure")
        .unwrap_or_else(|| panic!("no prediction: {events:?}"));
    assert!(predicted["title"].as_str().unwrap().contains("network/rsync"), "{predicted}");
    let list = sim.run("pkg", &["-R", &sim.root("backup01"), "list", "-H"]);
    assert!(list.stdout.contains("network/rsync-3"), "{}", list.stdout);
}

/// The same zone, but rsync was removed in r151040 rather than renamed: the r151046 catalog
/// shows it obsolete, no repository shows a rename, so incremental changes nothing (its rung
/// skipped and rolled back, no install run), the plain attach names the package, and auto
/// removes it — the oracle's plan, with no step through r151046 applied.
#[test]
fn without_a_rename_record_the_attach_tells() {
    let text =
        std::fs::read_to_string(sim_support::scenario("omnios-rename-needs-incremental")).unwrap();
    let renamed = "renamed = { at = 151040, to = \"network/rsync-3\" }";
    assert!(text.contains(renamed), "scenario changed: adjust this test");
    let text = text.replace(renamed, "removed_at = 151040");
    let sim = Sim::from_text(&text);
    let out =
        sim_support::zonerescue(&sim.dir).args(["--yes", "--json", "backup01"]).output().unwrap();
    let events = events(&out.stdout);
    let s = events.last().unwrap();
    assert_eq!(s["result"], "attached", "{s}");
    // The probe (the attach's log then calls for a step for the long way alone, which pkg
    // finds blocked by rsync: not applied either).
    let inc = ends(&events, "incremental");
    assert_eq!(inc[0]["outcome"], "skipped", "{}", inc[0]);
    assert!(inc[0]["detail"].as_str().unwrap().contains("no rename record"), "{}", inc[0]);
    let before_attach = sim_support::audit(&sim.dir)
        .into_iter()
        .take_while(|e| !e.argv.contains(&"attach".into()))
        .filter(|e| e.argv.contains(&"install".into()))
        .count();
    assert_eq!(before_attach, 0, "no solver run without a rename record");
    assert_eq!(s["strategies_applied"], serde_json::json!(["attach", "uninstall"]), "{s}");
    let scn = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(scn.path(), &text).unwrap();
    assert_eq!(
        sim_support::applied_remedies(s),
        sim_support::oracle_gentlest(scn.path(), "backup01"),
        "{s}"
    );
    // The probe's set-publisher is undone: its rung's snapshot is rolled back.
    let step = &inc[0]["step"];
    assert!(
        events.iter().any(|e| e["event"] == "snapshot"
            && e["step"] == *step
            && e["action"] == "rolled-back"),
        "{events:?}"
    );
}

/// Solaris 11 Express: Apache was renamed at build 130 and the GZ's repository keeps records
/// from 134 on only, so the GZ's catalogs do not know SUNWapch22 — but the zone's own
/// publisher, which the attach keeps and the global zone reaches, still carries the rename
/// record. The attach maps it there: no prediction, no step, the plain attach is all it takes.
#[test]
fn a_rename_the_zones_own_reachable_publisher_maps_predicts_nothing() {
    let sim = Sim::from_text(
        r#"
[scenario]
name = "rename mapped by the zone's own publisher"
platform = "s11express"

[global]
be = "solaris-1"
be_uuid = "0c2f6d3e-2b7c-4a55-b6a5-6d0f8f2f9a11"
entire = 151

[[global.publishers]]
name = "solaris"
origins = ["http://pkg.oracle.com/solaris/release/"]

[[repositories]]
uri = "http://pkg.oracle.com/solaris/release/"
publisher = "solaris"
builds = [151]
history_from = 134

[[repositories]]
uri = "http://pkg.opensolaris.org/release/"
publisher = "opensolaris.org"
builds = [111, 134]
history_from = 86

[[packages]]
name = "SUNWcs"
kind = "core"

[[packages]]
name = "system/library"
kind = "core"

[[packages]]
name = "SUNWapch22"
kind = "app"
renamed = { at = 130, to = "web/server/apache-22" }

[[zones]]
name = "db01"
brand = "ipkg"
zonepath = "/zones/db01"
state = "installed"
entire = 111
packages = ["SUNWcs", "system/library", "SUNWapch22"]
zbes = [{ name = "zbe", parentbe = "5a1e0c77-0000-4000-8000-000000001110", active = true }]
publishers = [{ name = "opensolaris.org", origins = ["http://pkg.opensolaris.org/release/"] }]
"#,
    );
    // The world is what this test says: the GZ's catalogs do not know the package.
    let gz = sim.run("pkg", &["list", "-Hn", "--no-refresh", "SUNWapch22"]);
    assert_ne!(gz.code, 0, "{}", gz.stdout);
    let out = sim_support::zonerescue(&sim.dir).args(["--yes", "--json", "db01"]).output().unwrap();
    let events = events(&out.stdout);
    let s = events.last().unwrap();
    assert_eq!(s["result"], "attached", "{s}");
    assert_eq!(s["strategies_applied"], serde_json::json!(["attach"]), "{s}");
    assert!(!events.iter().any(|e| e["key"] == "attach.predicted-failure"), "{events:?}");
    assert!(ends(&events, "incremental").is_empty());
}
