//! `--strategy uninstall` names the blocking packages without an attach of its own: from the
//! administrator's fresh failed attach, else from the global zone's catalogs. Before, with no
//! diagnosis it tried only the playbook's problem groups, so a withdrawn package outside them
//! was never removed, although `zonerescue analyze` recommends exactly this command.

mod sim_support;
use sim_support::Sim;

const ZONE: &str = "cache01";

/// A vendor package withdrawn from the extra repository (not one of the problem groups).
const WORLD: &str = r#"
[scenario]
name = "omnios withdrawn site package outside the problem groups"
platform = "omnios"

[global]
be = "r151054"
be_uuid = "c5a4e0d1-7b2f-4e8a-9c3d-1e2f3a4b5c6d"
entire = 151054

[[global.publishers]]
name = "omnios"
origins = ["https://pkg.omnios.org/r151054/core/"]

[[global.publishers]]
name = "extra.omnios"
origins = ["https://pkg.omnios.org/r151054/extra/"]

[[repositories]]
uri = "https://pkg.omnios.org/r151054/core/"
publisher = "omnios"
builds = [151054]
history_from = 151038

[[repositories]]
uri = "https://pkg.omnios.org/r151054/extra/"
publisher = "extra.omnios"
builds = [151054]
history_from = 151038

[[repositories]]
uri = "https://pkg.omnios.org/r151046/core/"
publisher = "omnios"
builds = [151046]
history_from = 151030

[[packages]]
name = "SUNWcs"
kind = "core"

[[packages]]
name = "system/library"
kind = "core"

[[packages]]
name = "ooce/library/libmemcached"
kind = "app"
removed_at = 151050

[[packages]]
name = "ooce/util/tmux"
kind = "app"

[[zones]]
name = "cache01"
brand = "ipkg"
zonepath = "/zones/cache01"
entire = 151046
packages = ["SUNWcs", "system/library", "ooce/library/libmemcached", "ooce/util/tmux"]
zbes = [{ name = "zbe", parentbe = "7e6d5c4b-0000-4000-8000-000000151046", active = true }]
publishers = [{ name = "omnios", origins = ["https://pkg.omnios.org/r151046/core/"] }]
files = [{ path = "etc/motd", content = "cache01\n" }]
"#;

fn uninstall_run(sim: &Sim) -> (Vec<serde_json::Value>, Option<i32>) {
    sim_support::rescue_json(&sim.dir, ZONE, &["--strategy", "uninstall"])
}

#[test]
fn the_catalogs_name_a_blocker_outside_the_problem_groups() {
    let sim = Sim::from_text(WORLD);
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
    let sim = Sim::from_text(WORLD);
    sim.detach(ZONE);
    assert_ne!(sim.run("zoneadm", &["-z", ZONE, "attach", "-u"]).code, 0);
    let (events, code) = uninstall_run(&sim);
    assert_eq!(code, Some(0), "{events:#?}");
    let why = sim_support::event_field(&events, "step-start", "uninstall", "reason");
    assert!(why.contains("ooce/library/libmemcached"), "{why}");
    assert!(!why.contains("zone.package-obsolete"), "the log, not the catalogs: {why}");
}

/// An xVM package in a zone is not part of the OS core: the release dropped it and it can go.
const XVM_WORLD: &str = r#"
[scenario]
name = "s11x removed app matching a core glob"
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

[[packages]]
name = "SUNWcs"
kind = "core"

[[packages]]
name = "system/library"
kind = "core"

[[packages]]
name = "SUNWxvmhvm"
kind = "app"
removed_at = 140

[[zones]]
name = "virt01"
brand = "ipkg"
zonepath = "/zones/virt01"
entire = 134
packages = ["SUNWcs", "system/library", "SUNWxvmhvm"]
zbes = [{ name = "zbe", parentbe = "5a1e0c77-0000-4000-8000-000000000134", active = true }]
publishers = [{ name = "opensolaris.org", origins = ["http://pkg.opensolaris.org/release/"] }]
files = [{ path = "etc/motd", content = "virt01\n" }]
"#;

#[test]
fn a_package_of_a_dropped_feature_is_not_core() {
    let sim = Sim::from_text(XVM_WORLD);
    let (events, code) = sim_support::rescue_json(&sim.dir, "virt01", &["--allow-destructive"]);
    let summary = events.last().unwrap();
    assert_eq!(code, Some(0), "{summary}");
    let applied = sim_support::applied_remedies(summary);
    assert!(applied.contains("uninstall") && !applied.contains("image-create"), "{summary}");
}
