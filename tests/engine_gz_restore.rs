//! The global zone's publishers, simplified for the attach, must come back exactly. A transient
//! failure of the restoring `pkg set-publisher` is retried; one that persists is said in the
//! summary's message, with the commands that re-add what is missing, even when the zone
//! attached (before: only `gz_publishers_intact: false` in the JSON said so).

mod sim_support;
use sim_support::Sim;

const ZONE: &str = "mini";

/// s11express: the disabled GZ publisher `extra` is unreachable (simplified away for the
/// attach); re-adding it fails once (`nth = 1`), or every time without that line.
const WORLD: &str = r#"
[scenario]
name = "s11x GZ publisher restore fails once"
platform = "s11express"

[global]
be = "solaris-1"
be_uuid = "0c2f6d3e-2b7c-4a55-b6a5-6d0f8f2f9a11"
entire = 151

[[global.publishers]]
name = "solaris"
origins = ["http://pkg.oracle.com/solaris/release/"]

[[global.publishers]]
name = "extra"
origins = ["http://pkg.example.net/extra/"]
enabled = false

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

[[repositories]]
uri = "http://pkg.example.net/extra/"
publisher = "extra"
builds = []
reachable = false

[[repositories]]
uri = "http://192.168.7.20:10000/"
publisher = "devtools"
builds = [134]
history_from = 134
reachable = false

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

[[packages]]
name = "SUNWphp52"
kind = "app"
renamed = { at = 130, to = "web/php-52" }
depends = ["SUNWapch22"]

[[packages]]
name = "SUNWpostgr-83"
kind = "app"
removed_at = 140

[[packages]]
name = "developer/sunstudio12u1"
kind = "app"
removed_at = 140

[[packages]]
name = "driver/xvm/pv"
kind = "core"
removed_at = 145

[[packages]]
name = "editor/vim"
kind = "app"

[[zones]]
name = "mini"
brand = "ipkg"
zonepath = "/zones/mini"
entire = 148
packages = ["SUNWcs", "system/library", "editor/vim"]
zbes = [{ name = "zbe", parentbe = "5a1e0c77-0000-4000-8000-000000000148", active = true }]
publishers = [{ name = "solaris", origins = ["http://pkg.oracle.com/solaris/release/"] }]
files = [{ path = "etc/motd", content = "mini\n" }]


[[faults]]
command = "pkg set-publisher"
match = "pkg.example.net/extra"
nth = 1
exit = 1
stderr = "pkg: Could not complete the operation on /var/pkg/lock: Resource temporarily unavailable"
"#;

fn gz_publishers(sim: &Sim) -> String {
    sim.run("pkg", &["publisher", "-H", "-F", "tsv"]).stdout
}

#[test]
fn a_transient_restore_failure_is_retried() {
    let sim = Sim::from_text(WORLD);
    let before = gz_publishers(&sim);
    let (events, code) = sim_support::rescue_json(&sim.dir, ZONE, &[]);
    let s = events.last().unwrap();
    assert_eq!(code, Some(0), "{s}");
    assert_eq!(s["gz_publishers_intact"], true, "{s}");
    assert_eq!(gz_publishers(&sim), before);
}

#[test]
fn a_lasting_restore_failure_is_said_with_the_commands_to_fix_it() {
    let sim = Sim::from_text(&WORLD.replacen("nth = 1\n", "", 1));
    let (events, _) = sim_support::rescue_json(&sim.dir, ZONE, &[]);
    let s = events.last().unwrap();
    assert_eq!(s["gz_publishers_intact"], false, "{s}");
    let message = s["message"].as_str().unwrap();
    assert!(message.contains("THE GLOBAL ZONE'S PUBLISHERS DIFFER"), "{message}");
    let steps: Vec<&str> =
        s["next_steps"].as_array().unwrap().iter().filter_map(|v| v.as_str()).collect();
    assert!(
        steps.iter().any(|l| l.contains("set-publisher") && l.trim_end().ends_with(" extra")),
        "{steps:#?}"
    );
}
