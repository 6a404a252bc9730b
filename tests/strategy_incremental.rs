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
    // 134 (listed, no plan), then 121; none for 133, 130, 126: no catalog lists them. The
    // attach still failing from 121, a second step goes on along the way up: from 121 the
    // rename is mapped and 134 solves.
    let built: Vec<&str> =
        installs.iter().map(|(a, _)| a.rsplit("entire@0.5.11-0.").next().unwrap()).collect();
    assert_eq!(built, ["134", "121", "134"], "{installs:?}");
    assert!(installs[0].1 != 0 && installs[1].1 == 0 && installs[2].1 == 0, "{installs:?}");
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

/// auto on `zone` of the test world `world`, which must attach it: the summary, and the
/// zone image's package list afterwards.
fn attached_by_auto(world: &str, zone: &str) -> (sim_support::Sim, Value, String) {
    attached_by(world, zone, &[])
}

/// [`attached_by_auto`] with other options (`--strategy …`).
fn attached_by(world: &str, zone: &str, options: &[&str]) -> (sim_support::Sim, Value, String) {
    let sim = sim_support::Sim::from_file(&sim_support::world(world));
    let (events, code) = sim_support::rescue_json(&sim.dir, zone, options);
    let s = events.last().unwrap().clone();
    assert_eq!(code, Some(0), "{s}");
    let listed = sim.run("pkg", &["-R", &sim.root(zone), "list", "-H"]).stdout;
    (sim, s, listed)
}

#[test]
fn a_package_the_catalogs_know_nothing_of_is_kept_by_a_step_before_any_uninstall() {
    let (_, s, listed) = attached_by_auto("openindiana-app-renamed-beyond-history", "files01");
    let applied = sim_support::applied_remedies(&s);
    assert!(applied.contains("incremental") && !applied.contains("uninstall"), "{s}");
    assert!(listed.contains("site/backup/agent"), "the renamed package is kept: {listed}");
}

#[test]
fn an_old_lts_zone_steps_again_where_one_step_is_not_enough() {
    // The first step solves only to r151038, from where the attach still calls rsync gone;
    // a second step (r151046) maps its rename. Before, auto uninstalled rsync instead.
    let (sim, s, listed) = attached_by_auto("omnios-old-lts-two-steps", "lts22");
    assert_eq!(
        s["strategies_applied"],
        serde_json::json!(["attach", "incremental", "incremental"])
    );
    let installs: Vec<String> = sim_support::audit(&sim.dir)
        .into_iter()
        .filter(|e| e.argv.iter().any(|a| a.starts_with("entire@")) && e.exit == 0)
        .map(|e| e.argv.last().unwrap().clone())
        .collect();
    assert_eq!(installs, ["entire@11-151038", "entire@11-151046"]);
    assert!(listed.contains("network/rsync-3"), "the renamed package is kept: {listed}");
    // Regress ww2 F2: the zone ends on the global zone's own origin, which is no step's
    // repository left behind.
    let next = s["next_steps"].to_string();
    assert!(!next.contains("incremental.publisher-repointed"), "{next}");
}

/// The way up takes two steps whichever way rungs are chosen: `incremental` means stepping
/// along the upgrade path, not one step. Before, `--strategy incremental` stepped once and
/// failed, and the ladder climbed past it (to image-create with consent).
#[test]
fn the_single_strategy_and_the_ladder_step_again_too() {
    for options in [&["--strategy", "incremental"], &["--strategy", "ladder"]] {
        let (sim, s, listed) = attached_by("omnios-old-lts-two-steps", "lts22", options);
        let applied = s["strategies_applied"].to_string();
        assert_eq!(applied.matches("incremental").count(), 2, "{options:?}: {s}");
        assert!(!applied.contains("image-"), "{options:?}: {s}");
        let installs: Vec<String> = sim_support::audit(&sim.dir)
            .into_iter()
            .filter(|e| e.argv.iter().any(|a| a.starts_with("entire@")) && e.exit == 0)
            .map(|e| e.argv.last().unwrap().clone())
            .collect();
        assert_eq!(installs, ["entire@11-151038", "entire@11-151046"], "{options:?}");
        assert!(listed.contains("network/rsync-3"), "{options:?}: {listed}");
    }
}

/// A rename mapped by a step, whose record the final repository no longer holds: the summary
/// counts the package as renamed (finding `zone.packages-renamed`), not among the removed.
/// Before, `pkg info -r` after the attach found no record, and openssl was reported removed
/// with the advice to install it again.
#[test]
fn a_rename_a_step_mapped_is_not_reported_removed() {
    let (_, s, listed) = attached_by_auto("omnios-rename-mapped-by-a-step", "build01");
    assert!(listed.contains("library/security/openssl-11"), "{listed}");
    assert_eq!(s["packages_removed"], serde_json::json!(["runtime/python-27"]), "{s}");
}

#[test]
fn a_package_the_step_cannot_keep_goes_first_and_the_renamed_one_stays() {
    // The step to 134 is blocked by Sun Studio (removed at 125); it must be uninstalled and
    // the step tried again, which maps Apache's rename. Before, auto tried the plain attach
    // and the publisher fix first, and then uninstalled Apache, which the attach named. The
    // step follows the uninstall in one attempt (oracle pp F2: an attach between them failed).
    let (_, s, listed) = attached_by_auto("s11express-step-blocked-by-removed-app", "web02");
    assert_eq!(s["strategies_applied"], serde_json::json!(["uninstall", "incremental"]), "{s}");
    assert_eq!(s["attempts"], 1, "{s}");
    assert!(listed.contains("web/server/apache-22"), "the renamed package is kept: {listed}");
    assert!(!listed.contains("sunstudio"), "{listed}");
}

#[test]
fn a_repository_one_rung_found_dead_or_without_the_build_is_not_tried_again() {
    // The first step (to r151038) leaves PHP unmappable; r151046, the only build left between
    // the zone and the GZ, comes from a repository that step found dead (and the GZ's origins
    // offer only r151050). Before, a second incremental rung refreshed them all again, took
    // and rolled back its snapshot, and only then did auto uninstall PHP.
    let (sim, s, listed) = attached_by_auto("omnios-lts-jump-dead-intermediate", "db01");
    assert_eq!(
        s["strategies_applied"],
        serde_json::json!(["attach", "incremental", "uninstall"]),
        "{s}"
    );
    let audit = sim_support::audit(&sim.dir);
    let dead_tries = audit
        .iter()
        .filter(|e| e.argv.iter().any(|a| a == "https://pkg.omnios.org/r151046/core/"))
        .count();
    assert_eq!(dead_tries, 1, "the dead repository is tried once: {s}");
    let rollbacks = audit.iter().filter(|e| e.argv.get(1).is_some_and(|a| a == "rollback")).count();
    assert_eq!(rollbacks, 0, "no rung was tried in vain: {s}");
    assert!(listed.contains("entire"), "{listed}");
}

/// Round m F8: the step repository that maps openssl's rename does not answer, so the rung
/// cannot keep it and the uninstall removes it (the oracle's plan too: the global zone's
/// repositories cannot tell a rename from a removal). The result says that the removed
/// packages may have been renamed, names the dead repository and how to get them back;
/// before, it never mentioned the repository.
#[test]
fn a_package_lost_while_the_step_repository_was_down_is_said_to_maybe_be_a_rename() {
    let sim =
        sim_support::Sim::from_file(&sim_support::world("omnios-rename-step-repository-down"));
    let (events, code) = sim_support::rescue_json(&sim.dir, "build01", &[]);
    assert_eq!(code, Some(0), "{:?}", events.last());
    let f = sim_support::finding(&events, "zone.removed-maybe-renamed");
    let title = f["title"].as_str().unwrap();
    assert!(title.contains("library/security/openssl"), "{f}");
    assert!(title.contains("https://pkg.omnios.org/r151038/core/"), "{f}");
    assert!(f["remediation"].as_str().unwrap().contains("zonerescue rollback build01"), "{f}");
    // With the repository up, nothing is lost that way: no such finding.
    let up = sim_support::Sim::from_file(&sim_support::world("omnios-rename-mapped-by-a-step"));
    let (events, _) = sim_support::rescue_json(&up.dir, "build01", &[]);
    assert!(!events.iter().any(|e| e["key"] == "zone.removed-maybe-renamed"), "{events:?}");
}

/// Round q F2: on Solaris 11 the failed plain attach leaves the zone's `solaris` a system
/// publisher, whose origins pkg refuses to change. The step switches the zone to its own
/// publisher configuration (`set-property use-system-repo false`, which the next attach turns
/// back on) and keeps PHP under its new name. Before, the refusal was taken for the release
/// repository being down, and auto uninstalled web/php-53 (and advised the same run again).
#[test]
fn a_step_after_the_attach_made_the_publisher_a_system_one_uses_the_zone_s_own() {
    let (sim, s, listed) = attached_by_auto("s11-step-after-attach-made-syspub", "www");
    assert_eq!(s["strategies_applied"], serde_json::json!(["attach", "incremental"]), "{s}");
    assert!(listed.contains("web/php-56") && !listed.contains("web/php-53"), "{listed}");
    assert_eq!(s["packages_removed"], serde_json::json!([]), "{s}");
    let audit: Vec<String> =
        sim_support::audit(&sim.dir).into_iter().map(|e| e.argv.join(" ")).collect();
    let own = audit.iter().position(|a| a.ends_with("set-property use-system-repo false"));
    let origin = audit.iter().position(|a| a.contains("set-publisher -O http://pkg.oracle.com"));
    assert!(own.is_some() && own < origin, "{audit:?}");
    // The attach that followed serves the publisher from the system repository again.
    let p = sim.run("pkg", &["-R", &sim.root("www"), "publisher", "-H"]).stdout;
    assert!(p.contains("(syspub)"), "{p}");
}

/// Round q F3: the blind ladder's uninstall keeps a package the global zone's catalogs record
/// a rename for until its step has been tried: in the bundled Solaris 11 world the step maps
/// PHP's rename (before, the ladder uninstalled web/php-53 and ended with no PHP at all). Where
/// no step can (the legacy repository without build 178), it is removed after the step.
#[test]
fn the_ladder_keeps_a_renamed_package_for_its_step_and_removes_it_after_a_failed_one() {
    let text = std::fs::read_to_string(sim_support::scenario("solaris11-image-update")).unwrap();
    assert!(text.contains("builds = [175, 178]"), "scenario changed: adjust this test");
    for (world, kept) in [(text.clone(), true), (text.replace("[175, 178]", "[175]"), false)] {
        let sim = Sim::from_text(&world);
        let (events, code) = sim_support::rescue_json(&sim.dir, "php11", &["--strategy", "ladder"]);
        let s = events.last().unwrap();
        assert_eq!(code, Some(0), "{s}");
        let listed = sim.run("pkg", &["-R", &sim.root("php11"), "list", "-H"]).stdout;
        let uninstalls: Vec<&Value> = events
            .iter()
            .filter(|e| e["event"] == "step-end" && e["name"] == "uninstall")
            .collect();
        if kept {
            assert!(listed.contains("web/php-56"), "{listed}");
            assert_eq!(s["strategies_applied"], serde_json::json!(["attach", "incremental"]));
            assert_eq!(uninstalls.len(), 1, "{uninstalls:?}");
        } else {
            assert!(!listed.contains("web/php"), "{listed}");
            assert_eq!(s["packages_removed"], serde_json::json!(["web/php-53"]), "{s}");
            assert_eq!(uninstalls.len(), 2, "{uninstalls:?}");
        }
        let first = uninstalls[0]["detail"].as_str().unwrap_or_default();
        assert!(first.contains("web/php-53 kept for now"), "{uninstalls:?}");
    }
}

/// Round r F2, F3: before its step, the blind ladder's uninstall removes what is proven gone
/// at the GZ's release (a package its catalogs list as obsolete: MySQL 5.1 here) and keeps
/// what may be a rename the step maps: one the catalogs record a rename for (PHP), or one the
/// failed attach names without proving it gone (Apache, "package-renamed"). Before, the ladder
/// never removed MySQL and climbed to image-create, and it uninstalled Apache with Sun Studio.
#[test]
fn the_ladder_removes_what_is_proven_gone_and_keeps_what_a_step_may_rename() {
    let text = std::fs::read_to_string(sim_support::scenario("solaris11-image-update")).unwrap();
    let with_mysql = text
        .replace(
            "[[zones]]",
            "[[packages]]\nname = \"database/mysql-51\"\nkind = \"app\"\nremoved_at = 182\n\n[[zones]]",
        )
        .replace("\"web/php-53\"]", "\"web/php-53\", \"database/mysql-51\"]");
    assert!(with_mysql.contains("\"database/mysql-51\"]"), "scenario changed: adjust this test");
    let sim = Sim::from_text(&with_mysql);
    let (events, code) = sim_support::rescue_json(&sim.dir, "php11", &["--strategy", "ladder"]);
    let s = events.last().unwrap();
    assert_eq!(code, Some(0), "{s}");
    assert_eq!(s["packages_removed"], serde_json::json!(["database/mysql-51"]), "{s}");
    let listed = sim.run("pkg", &["-R", &sim.root("php11"), "list", "-H"]).stdout;
    assert!(listed.contains("web/php-56"), "{listed}");

    let (_, s, listed) =
        attached_by("s11express-step-blocked-by-removed-app", "web02", &["--strategy", "ladder"]);
    assert_eq!(s["packages_removed"], serde_json::json!(["developer/sunstudio12u1"]), "{s}");
    assert!(listed.contains("web/server/apache-22"), "the renamed package is kept: {listed}");
}

/// Round r F1: the operator's own `attach -u` failed first (the usual way in on Solaris 11),
/// so the zone's publishers are the system repository's before the run starts and its own
/// origin is hidden. auto (and `--strategy incremental`) switch the zone to its own publisher
/// configuration, find the build its origin offers and step, keeping PHP; `--all` advises
/// auto. Before, incremental knew no build, auto uninstalled web/php-53, and `--all` advised
/// `--strategy uninstall`.
#[test]
fn a_step_finds_the_zone_s_own_origin_hidden_by_the_operator_s_attach() {
    for options in [&[][..], &["--strategy", "incremental"][..]] {
        let sim = Sim::from_file(&sim_support::world("s11-step-after-attach-made-syspub"));
        sim.detach("www");
        assert_ne!(sim.run("zoneadm", &["-z", "www", "attach", "-u"]).code, 0);
        if options.is_empty() {
            let all = sim_support::zonerescue(&sim.dir).arg("--all").output().unwrap();
            let all = String::from_utf8_lossy(&all.stdout);
            assert!(all.contains("Next: zonerescue www   (auto;"), "{all}");
        }
        let (events, code) = sim_support::rescue_json(&sim.dir, "www", options);
        let s = events.last().unwrap();
        assert_eq!(code, Some(0), "{options:?}: {s}");
        assert_eq!(s["strategies_applied"], serde_json::json!(["incremental"]), "{s}");
        assert_eq!(s["packages_removed"], serde_json::json!([]), "{s}");
        let listed = sim.run("pkg", &["-R", &sim.root("www"), "list", "-H"]).stdout;
        assert!(listed.contains("web/php-56"), "{options:?}: {listed}");
    }
}

/// Worlds round z F2: r151038 does not answer, and the r151046 step names python-27 in an
/// `exclude` dependency of its `entire`: withdrawn by the release, so its removal is no
/// "may have been renamed" (before: a [high] finding advising to roll the rescued zone back).
#[test]
fn a_package_a_steps_release_excludes_is_not_said_to_maybe_be_a_rename() {
    let sim = sim_support::Sim::from_file(&sim_support::world(
        "omnios-python-withdrawn-step-repository-down",
    ));
    let (events, code) = sim_support::rescue_json(&sim.dir, "bk22", &[]);
    assert_eq!(code, Some(0), "{:?}", events.last());
    let removed = sim_support::finding(&events, "zone.packages-removed");
    assert!(removed["title"].as_str().unwrap().contains("runtime/python-27"), "{removed}");
    assert!(!events.iter().any(|e| e["key"] == "zone.removed-maybe-renamed"), "{events:?}");
}

/// Oracle pp F2: once the blocker of a step is uninstalled, auto steps again before the next
/// attach, as the README says. It attached in between instead; that attach failed on a rename
/// only the step maps (the GZ's repository keeps no record of it), and the next uninstall
/// removed the renamed package. The ladder kept it.
#[test]
fn after_the_step_s_blocker_is_removed_auto_steps_before_attaching_again() {
    let (_, s, listed) = attached_by_auto("openindiana-removed-blocks-step-before-rename", "mix");
    assert_eq!(
        s["strategies_applied"],
        serde_json::json!(["attach", "uninstall", "incremental"]),
        "{s}"
    );
    assert_eq!(s["packages_removed"], serde_json::json!(["a/old"]), "{s}");
    assert_eq!(s["attempts"], 2, "{s}");
    assert!(listed.contains("e/deep2"), "the renamed package is kept: {listed}");
}

/// Oracle pp F4: the ladder's step named the package in its way (postgresql-96, which the
/// GZ's catalogs no longer know); its next uninstall removed the renamed apache the attach
/// named instead, and the run ended offering only image-create. It removes what the step
/// found in its way and steps again, keeping apache under its new name.
#[test]
fn the_ladder_removes_what_its_step_found_in_its_way_and_steps_again() {
    let (_, s, listed) = attached_by(
        "omnios-three-lts-step-blocked-by-removed-db",
        "www",
        &["--strategy", "ladder"],
    );
    let applied = s["strategies_applied"].as_array().unwrap();
    assert_eq!(applied.last().unwrap(), "incremental", "{s}");
    assert!(!s["strategies_applied"].to_string().contains("image-"), "{s}");
    assert!(listed.contains("ooce/server/apache-24x"), "apache is kept: {listed}");
    let removed = s["packages_removed"].to_string();
    assert!(removed.contains("postgresql-96") && !removed.contains("apache"), "{s}");
}

/// Regress qq F5: the step after an uninstall of its blockers ran even when that uninstall
/// removed nothing (its check refused: a core package requires the blocker), and failed on
/// the same blocker again, twice. The step is not repeated while its blocker stays.
#[test]
fn the_step_is_not_repeated_while_its_blocker_stays() {
    let text = sim_support::world_text("omnios-three-lts-step-blocked-by-removed-db");
    let core_needs_db = text.replacen(
        "name = \"SUNWcs\"\nkind = \"core\"\n",
        "name = \"SUNWcs\"\nkind = \"core\"\ndepends = [\"ooce/database/postgresql-96\"]\n",
        1,
    );
    assert_ne!(text, core_needs_db);
    let sim = sim_support::Sim::from_text(&core_needs_db);
    let (events, _) = sim_support::rescue_json(&sim.dir, "www", &["--strategy", "auto"]);
    let steps = sim_support::audit(&sim.dir)
        .iter()
        .filter(|e| e.argv.iter().any(|a| a == "entire@11-151038"))
        .count();
    assert_eq!(steps, 1, "{}", events.last().unwrap());
}

/// Oracle uu F2: after an attach put a Solaris 11 zone on the system repository, incremental
/// turns it back to its own publishers, whose release repository does not answer. The rung
/// said only "no intermediate build to try", and the uninstall that then attached the zone
/// removed a package the GZ's catalogs cannot tell renamed from dropped, without the finding
/// that says a step through that repository would have kept it.
#[test]
fn a_dead_own_repository_is_said_and_the_maybe_renamed_package_is_flagged() {
    let sim = Sim::from_file(&sim_support::world("s11-dead-release-repository-hides-a-rename"));
    let (events, _) = sim_support::rescue_json(&sim.dir, "z1", &[]);
    let step = events
        .iter()
        .find(|e| e["event"] == "step-end" && e["name"] == "incremental")
        .unwrap_or_else(|| panic!("{events:?}"));
    let detail = step["detail"].as_str().unwrap();
    assert!(
        detail.contains("did not answer") && detail.contains("could not be reached"),
        "{detail}"
    );
    let s = events.last().unwrap();
    assert_eq!(s["packages_removed"], serde_json::json!(["web/server/apache-22"]), "{s}");
    let f = sim_support::finding(&events, "zone.removed-maybe-renamed");
    assert_eq!(f["severity"], "high", "{f}");
}

/// Cm ww F2: the playbook's intermediate repository a local mirror, the step left the zone's
/// zone-only publisher pointing at it (the attach re-creates only the global zone's) and the
/// run said nothing. It names the publisher, what it had, and the command that points it back,
/// which works.
#[test]
fn a_publisher_the_step_left_on_its_repository_is_named_with_the_way_back() {
    let d = Sim::from_file(&sim_support::world("s11express-step-from-a-local-mirror"));
    let bundled = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("playbooks/s11express.toml"),
    )
    .unwrap();
    let mirror = "file:///export/repo/osol-release/";
    let site = d.dir.join("site.toml");
    std::fs::write(&site, bundled.replace("http://pkg.opensolaris.org/release/", mirror)).unwrap();
    let p = site.display().to_string();
    let out = sim_support::zonerescue(&d.dir)
        .args(["--json", "--yes", "--playbook", &p, "web01"])
        .output()
        .unwrap();
    let events = events(&out.stdout);
    let summary = events.last().unwrap();
    assert_eq!(summary["result"], "attached", "{summary}");
    let f = sim_support::finding(&events, "incremental.publisher-repointed");
    let title = f["title"].as_str().unwrap();
    assert!(title.contains(mirror) && title.contains("http://pkg.opensolaris.org/release/"), "{f}");
    let fix = f["remediation"].as_str().unwrap();
    let cmd = fix.split(": ").last().unwrap();
    let next = summary["next_steps"].to_string();
    assert!(next.contains(cmd), "{next}");
    let argv: Vec<&str> = cmd.split(' ').collect();
    assert_eq!(argv[0], "pkg", "{cmd}");
    let ran = std::process::Command::new(d.dir.join("bin/pkg")).args(&argv[1..]).output().unwrap();
    assert!(ran.status.success(), "{}", String::from_utf8_lossy(&ran.stderr));
    let root = d.dir.join("zones/web01/root").display().to_string();
    let pubs = std::process::Command::new(d.dir.join("bin/pkg"))
        .args(["-R", &root, "publisher", "-H"])
        .output()
        .unwrap();
    let pubs = String::from_utf8_lossy(&pubs.stdout);
    assert!(
        pubs.contains("http://pkg.opensolaris.org/release/") && !pubs.contains(mirror),
        "{pubs}"
    );
}
