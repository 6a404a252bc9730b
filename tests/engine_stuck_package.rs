//! A package the global zone's release has no version of, that cannot be removed either (it
//! is core, or uninstall's dry run finds core packages depending on it), keeps every attach
//! failing whatever a gentle rung changes. Once auto knows that, it tries no other gentle
//! rung (no image-update, no publisher fix, no step): image-create is all that is left, and
//! without consent to it the run ends saying so.

mod sim_support;
use serde_json::Value;
use sim_support::Sim;

fn rescue(sim: &Sim, zone: &str, extra: &[&str]) -> (Vec<Value>, Option<i32>) {
    sim_support::rescue_json(&sim.dir, zone, extra)
}

/// The rungs started, in order (the pre-rescue snapshot is not a rung).
fn rungs(events: &[Value]) -> Vec<String> {
    events
        .iter()
        .filter(|e| e["event"] == "step-start" && e["name"] != "snapshot")
        .map(|e| e["name"].as_str().unwrap().to_string())
        .collect()
}

/// auto with consent to image-create on `zone` of the test world `world`, which it must attach.
fn attached_with_consent(world: &str, zone: &str) -> (Sim, Vec<Value>) {
    let sim = Sim::from_file(&sim_support::world(world));
    let (events, code) = rescue(&sim, zone, &["--allow-destructive"]);
    assert_eq!(code, Some(0), "{}", events.last().unwrap());
    (sim, events)
}

/// The orphaned-core world with the orphan renamed out of the playbook's core globs: only
/// uninstall's dry run can tell that it must stay.
fn pv_world() -> Sim {
    let text = std::fs::read_to_string(sim_support::scenario("s11express-orphaned-core")).unwrap();
    assert!(text.contains("\"SUNWxvmpv\""));
    Sim::from_text(&text.replace("SUNWxvmpv", "driver/xvm/pv"))
}

/// The run without consent ends rolled back, the zone detached; `resume` (a new rescue from
/// that image) also ends without consent: it too says how to get the zone back as it was,
/// installed before the rescue began (guided gg F2: after resume, nothing said so).
#[test]
fn a_resume_that_ends_rolled_back_says_how_to_get_the_zone_back() {
    let sim = Sim::new("s11express-orphaned-core");
    let (events, _) = rescue(&sim, "legacy01", &[]);
    assert_eq!(events.last().unwrap()["result"], "failed");
    assert_eq!(sim.state("legacy01"), "configured");
    let (events, code) = rescue(&sim, "legacy01", &["resume"]);
    let s = events.last().unwrap();
    assert_eq!((s["result"].as_str(), code), (Some("failed"), Some(1)), "{s}");
    let next = s["next_steps"].to_string();
    assert!(
        next.contains(
            "the zone was installed before the rescue, and its image is back as it was: \
             zoneadm -z legacy01 attach -F"
        ),
        "{s}"
    );
}

#[test]
fn a_core_package_the_release_lacks_leaves_only_image_create() {
    // The orphan is one of the playbook's core packages: no uninstall is even tried.
    let text = std::fs::read_to_string(sim_support::scenario("s11express-orphaned-core")).unwrap();
    let sim = Sim::from_text(&text.replace("SUNWxvmpv", "SUNWcsd"));
    let (events, code) = rescue(&sim, "legacy01", &["--allow-destructive"]);
    let s = events.last().unwrap();
    assert_eq!(s["result"], "attached", "{s}");
    assert_eq!(code, Some(0));
    // The first attach names SUNWcsd as unavailable; image-update would keep it.
    assert_eq!(rungs(&events), ["zone-publishers", "image-create"]);
    let why = sim_support::event_field(&events, "step-start", "image-create", "reason");
    assert!(why.contains("SUNWcsd cannot stay"), "{why}");
}

#[test]
fn without_consent_the_run_ends_naming_the_package_and_the_way_past_it() {
    let sim = Sim::new("s11express-orphaned-core");
    let gz_before = sim.run("pkg", &["publisher", "-H", "-F", "tsv"]).stdout;
    let (events, code) = rescue(&sim, "legacy01", &[]);
    let s = events.last().unwrap();
    assert_eq!(s["result"], "failed", "{s}");
    assert_eq!(code, Some(1));
    assert!(!rungs(&events).iter().any(|r| r == "image-update" || r == "gz-publishers"));
    let message = s["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("SUNWxvmpv cannot stay")
            && message.contains("--strategy image-create --allow-destructive legacy01"),
        "{s}"
    );
    // Left as the safest state: detached, GZ publishers as before.
    assert_eq!(sim.state("legacy01"), "configured");
    assert_eq!(sim.run("pkg", &["publisher", "-H", "-F", "tsv"]).stdout, gz_before);
}

#[test]
fn a_package_held_by_a_core_dependent_leaves_only_image_create() {
    let sim = pv_world();
    let (events, _) = rescue(&sim, "legacy01", &["--allow-destructive"]);
    let s = events.last().unwrap();
    assert_eq!(s["result"], "attached", "{s}");
    let r = rungs(&events);
    // The uninstall's dry run finds SUNWcs depending on it: rolled back, then image-create.
    let at = r.iter().position(|x| x == "uninstall").unwrap_or_else(|| panic!("{r:?}"));
    assert_eq!(r[at + 1..], ["image-create"], "{r:?}");
    let outcome = sim_support::event_field(&events, "step-end", "uninstall", "outcome");
    assert_eq!(outcome, "rolled-back", "{r:?}");
    // Nothing was uninstalled for real.
    assert!(
        !sim_support::audit(&sim.dir).iter().any(|a| {
            a.argv.iter().any(|x| x == "uninstall") && !a.argv.iter().any(|x| x == "-n")
        })
    );
}

/// The same orphan with nothing in the zone depending on it: uninstall's dry run would pass,
/// but the attach log says the release's own entire requires it, so removing it cannot help
/// (the attach would require it again). Auto removed it (oracle gg F2: a core package gone
/// without consent to anything destructive).
#[test]
fn a_package_the_release_itself_requires_is_never_uninstalled() {
    let text = std::fs::read_to_string(sim_support::scenario("s11express-orphaned-core")).unwrap();
    let lone =
        text.replace("depends = [\"SUNWxvmpv\"]\n", "").replace("SUNWxvmpv", "driver/xvm/pv");
    assert!(!lone.contains("depends"));
    let removed = |sim: &Sim| {
        sim_support::audit(&sim.dir)
            .iter()
            .any(|a| a.argv.iter().any(|x| x == "uninstall") && !a.argv.iter().any(|x| x == "-n"))
    };
    let sim = Sim::from_text(&lone);
    let (events, code) = rescue(&sim, "legacy01", &[]);
    let s = events.last().unwrap();
    assert_eq!((s["result"].as_str(), code), (Some("failed"), Some(1)), "{s}");
    assert!(!removed(&sim), "{:?}", rungs(&events));
    let listed = sim.run("pkg", &["-R", &sim.root("legacy01"), "list", "-H"]).stdout;
    assert!(listed.contains("driver/xvm/pv"), "{listed}");
    let message = s["message"].as_str().unwrap_or_default();
    assert!(message.contains("--strategy image-create --allow-destructive legacy01"), "{s}");
    // The blind ladder reads the same failure before its uninstall (regress jj F1: it removed
    // the package after three attach logs had named it required by entire).
    let sim = Sim::from_text(&lone);
    let (events, code) = rescue(&sim, "legacy01", &["--strategy", "ladder"]);
    assert_eq!(code, Some(1), "{}", events.last().unwrap());
    assert!(rungs(&events).contains(&"uninstall".to_string()), "{:?}", rungs(&events));
    assert!(!removed(&sim), "{:?}", rungs(&events));
    // With consent: image-create, still nothing uninstalled.
    let sim = Sim::from_text(&lone);
    let (events, code) = rescue(&sim, "legacy01", &["--allow-destructive"]);
    assert_eq!(code, Some(0), "{}", events.last().unwrap());
    assert_eq!(rungs(&events).last().map(String::as_str), Some("image-create"));
    assert!(!removed(&sim), "{:?}", rungs(&events));
}

#[test]
fn the_ladder_stays_blind_to_it() {
    // The baseline climbs every rung whatever it knows.
    let sim = pv_world();
    let (events, _) = rescue(&sim, "legacy01", &["--allow-destructive", "--strategy", "ladder"]);
    assert!(rungs(&events).iter().any(|r| r == "image-update"), "{:?}", rungs(&events));
}

/// Generated world 150, reduced: a b111 zone whose attach names driver/xvm/pv unavailable at
/// 151 (and, the jump being large, version-jump). Every route to 151 must remove it, so auto
/// runs the uninstall rung before any step, only for it; the attach log says the release's own
/// entire requires it, so the rung removes nothing and runs no dry run (it used to run
/// `uninstall -nv`, which found SUNWcs depending on it).
#[test]
fn a_package_unavailable_at_the_target_goes_before_any_step() {
    let sim = Sim::from_text(
        r#"
[scenario]
name = "orphaned driver behind a large jump"
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
depends = ["driver/xvm/pv"]

[[packages]]
name = "system/library"
kind = "core"

[[packages]]
name = "driver/xvm/pv"
kind = "core"
removed_at = 131

[[zones]]
name = "app01"
brand = "ipkg"
zonepath = "/zones/app01"
state = "installed"
entire = 111
packages = ["SUNWcs", "system/library", "driver/xvm/pv"]
zbes = [{ name = "zbe", parentbe = "5a1e0c77-0000-4000-8000-000000001110", active = true }]
publishers = [{ name = "opensolaris.org", origins = ["http://pkg.opensolaris.org/release/"] }]
"#,
    );
    let (events, _) = rescue(&sim, "app01", &["--allow-destructive"]);
    let s = events.last().unwrap();
    assert_eq!(s["result"], "attached", "{s}");
    let attach_end = sim_support::event_field(&events, "step-end", "attach", "detail");
    assert!(attach_end.contains("version-jump"), "the attach must call for a step: {attach_end}");
    assert_eq!(rungs(&events), ["attach", "uninstall", "image-create"]);
    let uninstall = sim_support::event_field(&events, "step-end", "uninstall", "detail");
    assert!(uninstall.contains("cannot help by removing driver/xvm/pv"), "{uninstall}");
    assert!(!sim_support::audit(&sim.dir).iter().any(|a| a.argv.iter().any(|x| x == "uninstall")));
}

#[test]
fn image_create_goes_on_to_the_next_origin_when_the_first_is_dead() {
    // The GZ's primary lists a dead mirror first: `image-create -p NAME=URI` takes one origin,
    // so the first fails and the second is used. Before, the run ended there, recommending
    // the image-create it had just tried.
    let (sim, events) = attached_with_consent("s11express-primary-first-origin-dead", "xvm134");
    let summary = events.last().unwrap();
    assert_eq!(summary["strategies_applied"], serde_json::json!(["attach", "image-create"]));
    let creates: Vec<String> = sim_support::audit(&sim.dir)
        .into_iter()
        .filter(|e| e.argv.iter().any(|a| a == "image-create"))
        .map(|e| format!("{} {}", e.argv.join(" "), e.exit))
        .collect();
    assert_eq!(creates.len(), 2, "{creates:?}");
    assert!(creates[0].contains("pkg-us.oracle.com") && !creates[0].ends_with(" 0"), "{creates:?}");
    assert!(creates[1].contains("solaris=http://pkg.oracle.com/") && creates[1].ends_with(" 0"));
}

#[test]
fn a_failed_image_create_is_not_recommended_again() {
    // Every image-create fails here: nothing attaches, and the message must not send the
    // administrator to the image-create that just failed.
    let text = sim_support::world_text("s11express-primary-first-origin-dead");
    let sim = Sim::from_text(&format!(
        "{text}\n[[faults]]\ncommand = \"pkg\"\nmatch = \"image-create\"\nexit = 1\nstderr = \"pkg: image-create failed\"\n"
    ));
    let (events, code) = rescue(&sim, "xvm134", &["--allow-destructive"]);
    let summary = events.last().unwrap();
    assert_ne!(code, Some(0), "{summary}");
    assert!(rungs(&events).contains(&"image-create".to_string()), "{events:#?}");
    let message = summary["message"].as_str().unwrap();
    assert!(!message.contains("--strategy image-create"), "{message}");
}

#[test]
fn a_blocker_held_through_a_chain_of_dependents_leaves_only_image_create() {
    // Apache (gone at the GZ's release) is needed by PHP, which a core package needs. Before,
    // the chain was not followed: the uninstall reported PHP three times, and auto attached
    // and tried image-update before image-create.
    let (_, events) = attached_with_consent("s11express-core-needs-a-group-app", "php134");
    let summary = events.last().unwrap();
    assert_eq!(rungs(&events), ["uninstall", "image-create"], "{summary}");
    assert_eq!(summary["attempts"], 1, "{summary}");
    let why = sim_support::event_field(&events, "step-end", "uninstall", "detail");
    assert!(why.contains("cannot remove web/server/apache-22"), "{why}");
    assert!(why.contains("web/php-52, which core package SUNWckr needs"), "{why}");
}

#[test]
fn image_create_goes_on_when_the_first_origin_lacks_the_release() {
    // image-create from the first origin works, but it lacks the release and installing
    // system/library fails: the next origin is tried for both. Before, the run ended there.
    let (sim, events) = attached_with_consent("s11-first-origin-lacks-the-release", "z1");
    assert_eq!(
        events.last().unwrap()["strategies_applied"].as_array().unwrap().last().unwrap(),
        "image-create"
    );
    let creates = sim_support::audit(&sim.dir)
        .into_iter()
        .filter(|e| e.argv.iter().any(|a| a == "image-create"))
        .count();
    assert_eq!(creates, 2);
}

/// Worlds round aa F3: a core package the GZ's release lacks, and a dead enabled GZ add-on
/// publisher (ha-cluster) preflight finds. Without consent, the way past it the run names is
/// auto with consent, which applies gz-publishers with image-create (`--strategy
/// image-create` alone is refused there: its attach would fail on ha-cluster). With consent,
/// auto takes the publisher out of the way in the same attempt as image-create: before, it
/// re-created the image first, that attach failed on ha-cluster, and only then gz-publishers.
/// A single `--strategy gz-publishers` that fails on a package only image-create gets past:
/// its next line is the consent form (it was `--strategy auto` without it, which climbed to
/// image-create and stopped again after one more failed attach; regress gg F3).
#[test]
fn a_failed_single_strategy_that_knows_only_image_create_helps_advises_its_consent() {
    let sim = Sim::from_file(&sim_support::world("s11-dead-gz-addon-and-orphaned-core"));
    let (events, code) = rescue(&sim, "app1", &["--strategy", "gz-publishers"]);
    let s = events.last().unwrap();
    assert_eq!(code, Some(1), "{s}");
    let next: Vec<&str> =
        s["next_steps"].as_array().unwrap().iter().filter_map(|n| n.as_str()).collect();
    assert!(
        next.iter().any(|n| n.ends_with(
            "only image-create gets past: zonerescue --strategy auto --allow-destructive app1"
        )),
        "{s}"
    );
    assert!(!next.iter().any(|n| n.contains("--strategy auto app1")), "{s}");
}

#[test]
fn image_create_comes_with_gz_publishers_when_a_gz_publisher_is_in_the_way() {
    const WORLD: &str = "s11-dead-gz-addon-and-orphaned-core";
    let sim = Sim::from_file(&sim_support::world(WORLD));
    let (events, code) = rescue(&sim, "app1", &[]);
    let s = events.last().unwrap();
    assert_eq!(code, Some(1), "{s}");
    let said = format!("{}{}", s["message"], s["next_steps"]);
    // Advice round ee F2: the advised line runs as printed, unattended (it was `zonerescue
    // --allow-destructive app1`, which without a terminal asks for --strategy or --yes).
    let advised = "zonerescue --strategy auto --allow-destructive app1";
    assert!(said.contains(advised), "{s}");
    assert!(!said.contains("--strategy image-create"), "{s}");
    // Advice round ee F1: `--strategy image-create` is refused with the same advice (it was
    // `--strategy gz-publishers` first, which restores them after its own attach: a loop).
    let out = sim_support::zonerescue(&sim.dir)
        .args(["--json", "--strategy", "image-create", "--allow-destructive", "app1"])
        .output()
        .unwrap();
    let refusal = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(3), "{refusal}");
    assert!(
        refusal.contains(advised) && !refusal.contains("--strategy gz-publishers"),
        "{refusal}"
    );
    let out = sim_support::zonerescue(&sim.dir)
        .args(["--json", "--strategy", "auto", "--allow-destructive", "app1"])
        .output()
        .unwrap();
    let last = String::from_utf8_lossy(&out.stdout).lines().last().unwrap_or("").to_string();
    assert_eq!(out.status.code(), Some(0), "{last}");
    let (sim, events) = attached_with_consent(WORLD, "app1");
    let r = rungs(&events);
    let created = r.iter().position(|x| x == "image-create").unwrap();
    assert!(r[..created].iter().any(|x| x == "gz-publishers"), "{r:?}");
    let s = events.last().unwrap();
    // One destructive attach: the one that attached.
    let attaches_after = events
        .iter()
        .skip_while(|e| !(e["event"] == "step-start" && e["name"] == "image-create"))
        .filter(|e| {
            e["event"] == "command"
                && e["command"].as_str().is_some_and(|c| c.contains("attach -u"))
        })
        .count();
    assert_eq!(attaches_after, 1, "{s}");
    let tsv = sim.run("pkg", &["publisher", "-H", "-F", "tsv"]).stdout;
    assert!(tsv.contains("ha-cluster"), "the GZ's publishers are restored: {tsv}");
}

/// Regression round bb F1: the same world with the zone newer than the GZ (entire 200 under
/// 190), where preflight predicts the zone's release only: image-create still comes with
/// gz-publishers (before: image-create alone, its attach failing on ha-cluster). The zone is
/// installed and of the solaris brand, whose detach unmounts its image: gz-publishers' attach
/// mounts it first (fidelity ss F1), then image-create re-creates it, not the empty mountpoint.
#[test]
fn a_zone_newer_than_the_gz_gets_gz_publishers_with_image_create() {
    let text = sim_support::world_text("s11-dead-gz-addon-and-orphaned-core")
        .replacen("entire = 200", "entire = 190", 1)
        .replace("builds = [175, 190, 200]", "builds = [175, 190]")
        .replace("entire = 175\n", "entire = 200\n");
    let sim = Sim::from_text(&text);
    let (events, code) = rescue(&sim, "app1", &["--allow-destructive"]);
    let s = events.last().unwrap();
    assert_eq!(code, Some(0), "{s}");
    assert_eq!(rungs(&events), ["gz-publishers", "image-create"], "{s}");
    assert_eq!(s["attempts"], 2, "{s}");
}

/// Docs jj F5: after image-create the summary itself (what a script or the Ansible example
/// keeps) leads with what needs a look before the zone runs: the configuration files re-created
/// with defaults, with the commands that restore them, and the core package gone. Before,
/// only separate findings said so; the summary's one next step was "undo everything".
#[test]
fn the_summary_after_image_create_says_what_to_restore_first() {
    let sim = Sim::new("s11express-orphaned-core");
    let (events, code) =
        rescue(&sim, "legacy01", &["--strategy", "image-create", "--allow-destructive"]);
    let s = events.last().unwrap();
    assert_eq!(code, Some(0), "{s}");
    let steps: Vec<&str> =
        s["next_steps"].as_array().unwrap().iter().filter_map(|v| v.as_str()).collect();
    let config = steps.iter().find(|n| n.contains("(config.differs)")).expect("config files");
    assert!(config.starts_with("first: ") && config.contains("etc/nsswitch.conf"), "{config}");
    let copy = config.split("; ").find(|c| c.starts_with("cp -p ")).expect("a restore command");
    assert!(copy.contains("/.zfs/snapshot/") && copy.contains("-pre/etc/"), "{copy}");
    assert!(
        steps.iter().any(|n| n.starts_with("first: ") && n.contains("(zone.packages-removed)")),
        "{steps:?}"
    );
    assert!(steps.last().unwrap().starts_with("undo everything"), "{steps:?}");
}
