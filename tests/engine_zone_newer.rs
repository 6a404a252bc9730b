//! A zone of a later release than the global zone (moved from a newer host): pkg never
//! downgrades, so every `attach -u` fails and only a new image attaches it. Preflight reads
//! both `entire`s and knows this before anything is tried. Before, auto detached the zone,
//! attached it to find out, and without consent for image-create left it detached (it had
//! been installed).

mod sim_support;
use sim_support::Sim;

const ZONE: &str = "moved01";

/// The world with a global-zone publisher that does not answer.
fn with_a_dead_gz_publisher() -> String {
    let text = std::fs::read_to_string(sim_support::world("omnios-zone-newer-than-gz")).unwrap();
    let dead = "[[global.publishers]]\nname = \"dead\"\norigins = [\"http://dead.example/\"]\n\n\
                [[repositories]]\nuri = \"http://dead.example/\"\npublisher = \"dead\"\n\
                reachable = false\nbuilds = []\n\n[[repositories]]";
    text.replacen("[[repositories]]", dead, 1)
}

fn zone_packages(sim: &Sim) -> String {
    sim.run("pkg", &["-R", &sim.root(ZONE), "list", "-H"]).stdout
}

#[test]
fn without_consent_for_a_new_image_nothing_is_changed() {
    let sim = Sim::from_file(&sim_support::world("omnios-zone-newer-than-gz"));
    let before = zone_packages(&sim);
    let (events, code) = sim_support::rescue_json(&sim.dir, ZONE, &[]);
    let summary = events.last().unwrap();
    assert_eq!(summary["result"], "failed", "{summary}");
    assert_ne!(code, Some(0));
    assert_eq!(summary["attempts"], 0, "no attach that cannot work: {summary}");
    assert_eq!(summary["strategies_applied"], serde_json::json!([]), "{summary}");
    assert_eq!(sim.state(ZONE), "installed", "the zone stays as it was found");
    assert_eq!(sim_support::attach_runs(&sim.dir), 0);
    assert_eq!(zone_packages(&sim), before);
    let message = summary["message"].as_str().unwrap();
    assert!(message.contains("update the global zone"), "{message}");
    assert!(message.contains("nothing was changed"), "{message}");
    // Nothing ran: no "tried: attach, image-create" for the predicted attach and the rung
    // skipped for want of consent.
    assert!(message.starts_with("no strategy could be applied"), "{message}");
}

#[test]
fn with_consent_the_image_is_re_created_without_a_futile_attach_first() {
    let sim = Sim::from_file(&sim_support::world("omnios-zone-newer-than-gz"));
    let (events, code) = sim_support::rescue_json(&sim.dir, ZONE, &["--allow-destructive"]);
    let summary = events.last().unwrap();
    assert_eq!(code, Some(0), "{summary}");
    assert_eq!(summary["strategies_applied"], serde_json::json!(["image-create"]), "{summary}");
    assert_eq!(summary["attempts"], 1, "{summary}");
    assert_eq!(sim.state(ZONE), "installed");
}

/// Round t observation: `--dry-run` showed image-update and the other rungs for a zone newer
/// than the GZ, which the real run never considers: its plan is image-create alone.
#[test]
fn the_dry_run_plan_is_image_create_alone() {
    let sim = Sim::from_file(&sim_support::world("omnios-zone-newer-than-gz"));
    let (events, code) = sim_support::rescue_json(&sim.dir, ZONE, &["--dry-run"]);
    assert_eq!(code, Some(0), "{:?}", events.last());
    let rungs: Vec<&str> =
        sim_support::step_names(&events).into_iter().filter(|n| *n != "snapshot").collect();
    assert_eq!(rungs, ["image-create"], "{events:#?}");
}

/// Oracle jj F1: the same zone with a global-zone publisher that does not answer. The new
/// image would need it out of the way (gz-publishers with image-create), but without consent
/// to image-create auto ran gz-publishers alone: it detached the zone, disabled the GZ's
/// publishers, and ran the attach it had predicted would fail, leaving the zone detached.
#[test]
fn a_dead_gz_publisher_changes_nothing_without_consent_either() {
    let text = with_a_dead_gz_publisher();
    let sim = Sim::from_text(&text);
    let gz_before = sim.run("pkg", &["publisher", "-H", "-F", "tsv"]).stdout;
    assert!(gz_before.contains("dead"), "{gz_before}");
    let (events, code) = sim_support::rescue_json(&sim.dir, ZONE, &[]);
    let summary = events.last().unwrap();
    assert_eq!((summary["result"].as_str(), code), (Some("failed"), Some(1)), "{summary}");
    assert_eq!(summary["strategies_applied"], serde_json::json!([]), "{summary}");
    assert_eq!(sim_support::attach_runs(&sim.dir), 0);
    assert_eq!(sim.state(ZONE), "installed");
    assert!(
        !sim_support::audit(&sim.dir).iter().any(|a| a.argv.iter().any(|x| x == "set-publisher"))
    );
    let message = summary["message"].as_str().unwrap();
    assert!(message.contains("--strategy auto --allow-destructive moved01"), "{message}");
    // With consent: the GZ's publisher out of the new image's way, the zone attached.
    let sim = Sim::from_text(&text);
    let (events, code) = sim_support::rescue_json(&sim.dir, ZONE, &["--allow-destructive"]);
    let summary = events.last().unwrap();
    assert_eq!(code, Some(0), "{summary}");
    assert_eq!(
        summary["strategies_applied"],
        serde_json::json!(["gz-publishers", "image-create"]),
        "{summary}"
    );
    assert_eq!(sim.run("pkg", &["publisher", "-H", "-F", "tsv"]).stdout, gz_before);
}

/// Regress kk F3: the blind ladder (and a single gentle strategy) without consent to
/// image-create detached the installed zone, ran `attach -u` six times and switched the GZ's
/// publishers off and on around each, for attaches known to fail, and left the zone detached.
/// They pass every gentle rung over now, as auto does: nothing is changed.
#[test]
fn the_ladder_and_a_gentle_strategy_change_nothing_without_consent_either() {
    let text = with_a_dead_gz_publisher();
    for choice in ["ladder", "attach", "gz-publishers"] {
        let sim = Sim::from_text(&text);
        let before = zone_packages(&sim);
        let (events, code) = sim_support::rescue_json(&sim.dir, ZONE, &["--strategy", choice]);
        let summary = events.last().unwrap();
        assert_eq!(code, Some(1), "{choice}: {summary}");
        assert_eq!(summary["strategies_applied"], serde_json::json!([]), "{choice}: {summary}");
        assert_eq!(sim_support::attach_runs(&sim.dir), 0, "{choice}");
        assert_eq!(sim.state(ZONE), "installed", "{choice}");
        assert_eq!(zone_packages(&sim), before, "{choice}");
        let changed = sim_support::audit(&sim.dir)
            .iter()
            .any(|a| a.argv.iter().any(|x| x == "set-publisher" || x == "detach"));
        assert!(!changed, "{choice}");
        let message = summary["message"].as_str().unwrap();
        assert!(message.contains("nothing was changed"), "{choice}: {message}");
    }
    // With consent the ladder still gets there.
    let sim = Sim::from_text(&text);
    let extra = ["--strategy", "ladder", "--allow-destructive"];
    let (events, code) = sim_support::rescue_json(&sim.dir, ZONE, &extra);
    assert_eq!(code, Some(0), "{}", events.last().unwrap());
    assert_eq!(sim.state(ZONE), "installed");
}
