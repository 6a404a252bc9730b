//! `--strategy uninstall` names the blocking packages without an attach of its own: from the
//! administrator's fresh failed attach, else from the global zone's catalogs. Before, with no
//! diagnosis it tried only the playbook's problem groups, so a withdrawn package outside them
//! was never removed, although `zonerescue analyze` recommends exactly this command.

mod sim_support;
use sim_support::Sim;

const ZONE: &str = "cache01";

fn uninstall_run(sim: &Sim) -> (Vec<serde_json::Value>, Option<i32>) {
    sim_support::rescue_json(&sim.dir, ZONE, &["--strategy", "uninstall"])
}

#[test]
fn the_catalogs_name_a_blocker_outside_the_problem_groups() {
    let sim = Sim::from_file(&sim_support::world("omnios-withdrawn-package-outside-groups"));
    let (events, code) = uninstall_run(&sim);
    let summary = events.last().unwrap();
    assert_eq!(summary["result"], "attached", "{events:#?}");
    assert_eq!(code, Some(0));
    let why = sim_support::event_field(&events, "step-start", "uninstall", "reason");
    assert!(why.contains("ooce/library/libmemcached"), "{why}");
    // Only the blocker goes: the other application stays.
    let listed = sim.run("pkg", &["-R", &sim.root(ZONE), "list", "-H"]).stdout;
    assert!(listed.contains("ooce/util/tmux"), "{listed}");
    assert!(!listed.contains("libmemcached"), "{listed}");
}

#[test]
fn the_administrators_failed_attach_names_the_blocker() {
    let sim = Sim::from_file(&sim_support::world("omnios-withdrawn-package-outside-groups"));
    sim.detach(ZONE);
    assert_ne!(sim.run("zoneadm", &["-z", ZONE, "attach", "-u"]).code, 0);
    let (events, code) = uninstall_run(&sim);
    assert_eq!(code, Some(0), "{events:#?}");
    let why = sim_support::event_field(&events, "step-start", "uninstall", "reason");
    assert!(why.contains("ooce/library/libmemcached"), "{why}");
    assert!(!why.contains("zone.package-obsolete"), "the log, not the catalogs: {why}");
}

/// Round k F2: the blind ladder climbs in its fixed order, but its uninstall removes what the
/// failed attach names. Before, it found "no installed, non-core package blocks the solver"
/// (the blocker is in no problem group) and went on to image-create, which also dropped tmux.
#[test]
fn the_ladder_uninstalls_what_the_failed_attach_names() {
    let sim = Sim::from_file(&sim_support::world("omnios-withdrawn-package-outside-groups"));
    let extra = ["--strategy", "ladder", "--allow-destructive"];
    let (events, code) = sim_support::rescue_json(&sim.dir, ZONE, &extra);
    let summary = events.last().unwrap();
    assert_eq!((code, &summary["result"]), (Some(0), &"attached".into()), "{summary}");
    let applied = sim_support::applied_remedies(summary);
    assert!(applied.contains("uninstall") && !applied.contains("image-create"), "{summary}");
    assert_eq!(summary["packages_removed"], serde_json::json!(["ooce/library/libmemcached"]));
}

#[test]
fn a_package_of_a_dropped_feature_is_not_core() {
    let sim = Sim::from_file(&sim_support::world("s11express-xvm-package-nothing-needs"));
    let (events, code) = sim_support::rescue_json(&sim.dir, "virt01", &["--allow-destructive"]);
    let summary = events.last().unwrap();
    assert_eq!(code, Some(0), "{summary}");
    let applied = sim_support::applied_remedies(summary);
    assert!(applied.contains("uninstall") && !applied.contains("image-create"), "{summary}");
}

#[test]
fn a_package_the_catalogs_do_not_know_is_not_uninstalled_on_their_word() {
    // SUNWapch22's rename is in the GZ's repository (the attach maps it), but its old name is
    // in no catalog listing: before, a single --strategy uninstall removed it with the
    // obsolete PostgreSQL.
    let sim = Sim::from_file(&sim_support::world("s11express-renamed-apache-and-removed-postgres"));
    let (events, code) = sim_support::rescue_json(&sim.dir, "z1", &["--strategy", "uninstall"]);
    assert_eq!(code, Some(0), "{:?}", events.last());
    let why = sim_support::event_field(&events, "step-start", "uninstall", "reason");
    assert!(why.contains("SUNWpostgr-83") && !why.contains("SUNWapch22"), "{why}");
    let listed = sim.run("pkg", &["-R", &sim.root("z1"), "list", "-H"]).stdout;
    assert!(listed.contains("apache-22"), "{listed}");
}

/// Oracle tt F1: the same world without PostgreSQL. Nothing else named, Apache (unknown to the
/// GZ's catalogs: the rename record is older than their history) was removed "because it
/// blocks the solver", where a plain attach keeps it under its new name. Kept until an attach
/// names it: `--strategy uninstall` runs that attach first, which attaches the zone alone
/// (oracle vv F2), Apache kept under its new name.
#[test]
fn a_package_unknown_to_the_catalogs_waits_for_an_attach_to_name_it() {
    let text = sim_support::world_text("s11express-renamed-apache-and-removed-postgres")
        .replace("\"SUNWpostgr-83\", ", "");
    let sim = Sim::from_text(&text);
    let (events, _) = sim_support::rescue_json(&sim.dir, "z1", &["--strategy", "uninstall"]);
    let summary = events.last().unwrap();
    assert_eq!(summary["strategies_applied"], serde_json::json!(["attach"]), "{summary}");
    assert_eq!(summary["result"], "attached", "{summary}");
    let listed = sim.run("pkg", &["-R", &sim.root("z1"), "list", "-H"]).stdout;
    assert!(listed.contains("web/server/apache-22"), "{listed}");
    // auto attaches it, Apache under its new name.
    let sim = Sim::from_text(&text);
    let (events, code) = sim_support::rescue_json(&sim.dir, "z1", &[]);
    assert_eq!(code, Some(0), "{:?}", events.last());
    let listed = sim.run("pkg", &["-R", &sim.root("z1"), "list", "-H"]).stdout;
    assert!(listed.contains("web/server/apache-22"), "{listed}");
}

#[test]
fn a_package_the_release_carries_under_a_new_name_is_not_uninstalled() {
    // Both renames are in the GZ's catalogs with the history from the zone's build: a plain
    // attach follows them. Before, --strategy uninstall removed Apache and PHP "because they
    // block the solver". The attach that would name them goes first and attaches the zone
    // (oracle vv F2); nothing is uninstalled.
    let sim = Sim::from_file(&sim_support::world("s11express-renames-the-attach-follows"));
    let before = sim.run("pkg", &["-R", &sim.root("web02"), "list", "-H"]).stdout.lines().count();
    let (events, code) = sim_support::rescue_json(&sim.dir, "web02", &["--strategy", "uninstall"]);
    let summary = events.last().unwrap();
    assert_eq!(summary["strategies_applied"], serde_json::json!(["attach"]), "{summary}");
    assert_eq!(code, Some(0));
    let removed = sim_support::uninstalled(&sim.dir);
    assert!(!removed, "{summary}");
    let listed = sim.run("pkg", &["-R", &sim.root("web02"), "list", "-H"]).stdout;
    assert_eq!(listed.lines().count(), before, "{listed}");
}

/// The plan of an uninstall (shown before it runs, with `--yes` too) says that what depends
/// on the named packages goes with them when the `-n` check names any (round q minor: a site
/// package that needed PostgreSQL's libraries was removed without the plan saying it could be).
#[test]
fn the_plan_says_dependents_go_with_the_named_packages() {
    let sim = Sim::new("omnios-postgres-removed");
    let (events, code) = sim_support::rescue_json(&sim.dir, "pg01", &["--dry-run"]);
    assert_eq!(code, Some(0), "{:?}", events.last());
    let start = events.iter().find(|e| e["event"] == "step-start" && e["name"] == "uninstall");
    let plan = start.map(|e| e["commands"].to_string()).unwrap_or_default();
    assert!(plan.contains("with the packages that depend on them"), "{events:#?}");
}

/// On an installed zone auto checks its predicted uninstall (`uninstall -nv`) before it
/// detaches the zone for it (round t F2); the rung then removes what that check showed,
/// without a second round of the same checks (each a solver run).
#[test]
fn the_check_before_the_detach_is_not_run_again() {
    let sim = Sim::new("omnios-postgres-removed");
    let (events, code) = sim_support::rescue_json(&sim.dir, "pg01", &[]);
    assert_eq!(code, Some(0), "{:?}", events.last());
    let argv: Vec<Vec<String>> = sim_support::audit(&sim.dir).into_iter().map(|a| a.argv).collect();
    let checks =
        argv.iter().filter(|a| a.iter().any(|x| x == "uninstall") && a.contains(&"-n".into()));
    assert_eq!(checks.count(), 1, "{argv:?}");
    let at = |w: &str| argv.iter().position(|a| a.iter().any(|x| x == w)).unwrap();
    assert!(at("uninstall") < at("detach"), "checked after the detach: {argv:?}");
}

/// Oracle kk F1: a package the zone was too old to follow through its rename is uninstalled;
/// the repositories record the rename (`pkg info -r`: "Renamed to"). The report named neither
/// the new package nor the command; it does, and the command, run as given, installs it.
#[test]
fn a_removed_package_the_repositories_call_renamed_is_given_its_new_name() {
    let sim = Sim::from_file(&sim_support::world("s11-renamed-package-removed-successor-named"));
    let (events, code) = sim_support::rescue_json(&sim.dir, "web1", &[]);
    assert_eq!(code, Some(0), "{}", events.last().unwrap());
    let f = sim_support::finding(&events, "zone.packages-removed");
    let r = f["remediation"].as_str().unwrap();
    assert!(r.contains("web/php-56 → web/php-71"), "{r}");
    let command = r.split('`').nth(1).unwrap();
    assert!(command.ends_with(" install -v --accept web/php-71"), "{command}");
    let argv: Vec<&str> = command.split(' ').collect();
    let root = sim.root("web1");
    assert_eq!(sim.run("pkg", &["-R", &root, "list", "web/php-71"]).code, 1, "not there yet");
    let out = sim.run("pkg", &argv[1..]);
    assert_eq!(out.code, 0, "{command}: {}", out.stderr);
    assert_eq!(sim.run("pkg", &["-R", &root, "list", "web/php-71"]).code, 0, "{command}");
}

/// Oracle mm F2: a package uninstalled because it requires one the release made obsolete was
/// said to come back with `pkg install` ("puts them back"), never checked: pkg cannot plan it.
/// The report says its `install -n` fails and why; where the plan works (image-create forgot
/// packages the release offers, read from a halted zone's image after its detach: regress mm
/// F5) it gives the command, which puts them back.
#[test]
fn a_removed_package_whose_requirement_is_gone_is_not_promised_back() {
    let sim = Sim::from_file(&sim_support::world("s11-site-app-requires-obsolete-php"));
    let (events, code) = sim_support::rescue_json(&sim.dir, "z1", &[]);
    assert_eq!(code, Some(0), "{}", events.last().unwrap());
    let f = sim_support::finding(&events, "zone.packages-removed");
    let r = f["remediation"].as_str().unwrap();
    assert!(!r.contains("puts them back"), "{r}");
    assert!(r.contains("cannot plan putting them back"), "{r}");
    assert!(r.contains("dependency on pkg:/web/php-53"), "{r}");
    let root = sim.root("z1");
    let planned = sim.run("pkg", &["-R", &root, "install", "-nv", "site/webapp"]);
    assert_eq!(planned.code, 1, "{}", planned.stdout);
}

#[test]
fn packages_image_create_forgot_are_put_back_by_the_command_given() {
    let sim = Sim::from_file(&sim_support::world("omnios-image-create-forgets-site-app"));
    let consent = ["--strategy", "image-create", "--allow-destructive"];
    let (events, code) = sim_support::rescue_json(&sim.dir, "z1", &consent);
    let s = events.last().unwrap();
    assert_eq!(code, Some(0), "{s}");
    assert_eq!(s["packages_removed"], serde_json::json!(["SUNWcs", "site/app", "site/gone"]));
    let f = sim_support::finding(&events, "zone.packages-removed");
    let r = f["remediation"].as_str().unwrap();
    let command = r.split('`').nth(1).unwrap();
    assert!(r.contains(&format!("`{command}` puts them back")), "{r}");
    assert!(command.ends_with(" install -v --accept SUNWcs site/app"), "{command}");
    let argv: Vec<&str> = command.split(' ').collect();
    let out = sim.run("pkg", &argv[1..]);
    assert_eq!(out.code, 0, "{command}: {}", out.stderr);
    let root = sim.root("z1");
    assert_eq!(sim.run("pkg", &["-R", &root, "list", "site/app"]).code, 0, "{command}");
}

/// Oracle vv F2: a problem-group member the global zone's catalogs do not know at all is
/// kept until an attach names it (it may be a rename whose record the repository dropped).
/// The single strategy said "no installed, non-core package blocks the solver" and ended;
/// the attach that names it goes first, then the uninstall, in the run and in its dry run.
#[test]
fn a_group_member_the_catalogs_do_not_know_is_named_by_an_attach_first() {
    let world = sim_support::world("omnios-python27-unknown-to-gz-catalogs");
    let sim = Sim::from_file(&world);
    let (events, code) = sim_support::rescue_json(&sim.dir, "py", &["--strategy", "uninstall"]);
    let summary = events.last().unwrap();
    assert_eq!((code, &summary["result"]), (Some(0), &"attached".into()), "{summary}");
    assert_eq!(summary["strategies_applied"], serde_json::json!(["attach", "uninstall"]));
    let why = sim_support::event_field(&events, "step-start", "attach", "reason");
    assert!(why.contains("the attach names what blocks it: runtime/python-27 (members of the playbook's problem groups that"), "{why}");
    let sim = Sim::from_file(&world);
    let (events, _) =
        sim_support::rescue_json(&sim.dir, "py", &["--strategy", "uninstall", "--dry-run"]);
    assert_eq!(sim_support::step_names(&events), ["snapshot", "attach", "uninstall"]);
    // Regress ww F3: the plan's uninstall said "no installed, non-core package blocks the
    // solver" (not applicable now), the run's old words, of the removal the run then made.
    let why = sim_support::event_field(&events, "step-start", "uninstall", "reason");
    assert!(why.contains("removes what the attach names of runtime/python-27"), "{why}");
    let end = sim_support::event_field(&events, "step-end", "uninstall", "detail");
    assert_eq!(end, "dry run: not applied");
}
