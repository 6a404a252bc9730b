//! Solaris 11: a zone whose active ZBE belongs to an older global-zone BE that still exists is
//! cloned by its first `attach -u` (solaris-0) and runs from the clone from then on. Snapshots,
//! undos and the final rollback must follow the clone; before, they acted on the old ZBE and a
//! failed run left the clone holding the failed rungs' changes while saying it rolled back.

use std::process::Command;

mod sim_support;
use sim_support::Sim;

const ZONE: &str = "pg11";
const OLD: &str = "rpool/zones/pg11/rpool/ROOT/solaris";
const CLONE: &str = "rpool/zones/pg11/rpool/ROOT/solaris-0";

/// PostgreSQL 8.4 is gone in 179 and system/library depends on it, so only image-create gets
/// past it; the fault makes image-create's `install system/library` fail, so the run fails.
const WORLD: &str = r#"
[scenario]
name = "s11 zone on a ZBE of the previous GZ BE; image-create fails"
platform = "solaris11"

[global]
be = "solaris-2"
be_uuid = "1d0f3c55-8a41-4f7e-9a9e-3b6b2d0c1183"
entire = 183
other_bes = [{ name = "solaris-1", uuid = "1d0f3c55-0000-4000-8000-000000000175" }]

[[global.publishers]]
name = "solaris"
origins = ["https://pkg.oracle.com/solaris/support/"]

[[repositories]]
uri = "https://pkg.oracle.com/solaris/support/"
publisher = "solaris"
builds = [175, 178, 183]
history_from = 151

[[packages]]
name = "system/core-os"
kind = "core"

[[packages]]
name = "system/library"
kind = "core"
depends = ["database/postgres-84"]

[[packages]]
name = "database/postgres-84"
kind = "app"
removed_at = 179

[[zones]]
name = "pg11"
brand = "solaris"
zonepath = "/zones/pg11"
entire = 175
packages = ["system/core-os", "system/library", "database/postgres-84"]
zbes = [{ name = "solaris", parentbe = "1d0f3c55-0000-4000-8000-000000000175", active = true }]
publishers = [{ name = "solaris", origins = ["https://pkg.oracle.com/solaris/support/"] }]

[[faults]]
command = "pkg install"
match = "system/library"
exit = 1
stderr = "pkg: 0/1 catalogs successfully updated:\n\n1/1 repositories for publisher 'solaris' could not be reached for catalog refresh."
"#;

/// The package stems and entire build of dataset `ds` in the simulated world.
fn image_of(sim: &Sim, ds: &str) -> (Vec<String>, u64) {
    let out = Command::new(env!("CARGO_BIN_EXE_zonesim"))
        .args(["show", "--json"])
        .arg(&sim.dir)
        .output()
        .unwrap();
    let w: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let d = w["datasets"].as_array().unwrap().iter().find(|d| d["name"] == ds).unwrap();
    let img = &d["image"];
    let pkgs = img["packages"]
        .as_array()
        .map(|a| a.iter().filter_map(|p| p["name"].as_str().map(String::from)).collect())
        .unwrap_or_default();
    (pkgs, img["entire"].as_u64().unwrap_or(0))
}

#[test]
fn a_failed_run_restores_the_clone_the_attach_moved_the_zone_to() {
    let sim = Sim::from_text(WORLD);
    let (events, code) = sim_support::rescue_json(&sim.dir, ZONE, &["--allow-destructive"]);
    let summary = events.last().unwrap();
    assert_eq!(summary["result"], "failed", "{summary}");
    assert_eq!(code, Some(1));
    assert!(
        events.iter().any(|e| e["key"] == "zbe.cloned-by-attach"),
        "the clone is reported: {events:#?}"
    );
    // The zone runs from the clone: that is what the pre-rescue snapshot and the rollback are
    // about, and it holds the image from before the rescue again.
    let pre = summary["pre_snapshot"].as_str().unwrap();
    assert!(pre.starts_with(&format!("{CLONE}@")), "{pre}");
    let (pkgs, entire) = image_of(&sim, CLONE);
    assert_eq!(entire, 175);
    assert_eq!(pkgs, ["system/core-os", "system/library", "database/postgres-84"]);
    // The old ZBE is untouched.
    assert_eq!(image_of(&sim, OLD).1, 175);
    assert_eq!(sim.state(ZONE), "configured");
}
