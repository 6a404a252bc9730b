//! The global zone's publishers, simplified for the attach, must come back exactly. A transient
//! failure of the restoring `pkg set-publisher` is retried; one that persists is said in the
//! summary's message, with the commands that re-add what is missing, even when the zone
//! attached (before: only `gz_publishers_intact: false` in the JSON said so).

mod sim_support;
use sim_support::Sim;

const ZONE: &str = "mini";

/// The disabled GZ publisher `extra`, simplified away for the attach; re-adding it fails
/// once (`nth = 1`), or every time without that line.
const WORLD: &str = "s11express-gz-publisher-restore-fails-once";

fn gz_publishers(sim: &Sim) -> String {
    sim.run("pkg", &["publisher", "-H", "-F", "tsv"]).stdout
}

#[test]
fn a_transient_restore_failure_is_retried() {
    let sim = Sim::from_file(&sim_support::world(WORLD));
    let before = gz_publishers(&sim);
    let (events, code) = sim_support::rescue_json(&sim.dir, ZONE, &[]);
    let s = events.last().unwrap();
    assert_eq!(code, Some(0), "{s}");
    assert_eq!(s["gz_publishers_intact"], true, "{s}");
    assert_eq!(gz_publishers(&sim), before);
}

#[test]
fn a_lasting_restore_failure_is_said_with_the_commands_to_fix_it() {
    let sim = Sim::from_text(&sim_support::world_text(WORLD).replacen("nth = 1\n", "", 1));
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
