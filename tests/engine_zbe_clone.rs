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
    let sim = Sim::from_file(&sim_support::world("s11-zbe-of-older-gz-be-image-create-fails"));
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
