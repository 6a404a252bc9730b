//! The solaris brand's detach unmounts the zone boot environment (reference §2.9), and only an
//! attach mounts it again (a failed one leaves it mounted, §2.6's EXIT trap): nothing can
//! change the image of an installed zone between its detach and its first attach
//! (fidelity ss F1). zonesim keeps those rules; zonerescue attaches first.

mod sim_support;

use sim_support::Sim;

/// Whether `argv` changes a zone image with `pkg -R` (not a read, not a dry run).
fn changes_an_image(argv: &[String]) -> bool {
    const CHANGES: [&str; 9] = [
        "unset-publisher",
        "set-publisher",
        "uninstall",
        "install",
        "update",
        "image-update",
        "image-create",
        "set-property",
        "change-facet",
    ];
    let pkg = argv.first().is_some_and(|a| a.ends_with("/pkg"));
    pkg && argv.iter().any(|a| a == "-R" || a == "image-create")
        && argv.iter().any(|a| CHANGES.contains(&a.as_str()))
        && !argv.iter().any(|a| a == "-n" || a == "-nv")
}

/// Commands the simulated host ran between the first `zoneadm detach` and the first
/// `zoneadm attach` after it.
fn between_detach_and_attach(dir: &std::path::Path) -> Vec<Vec<String>> {
    let zoneadm = |e: &sim_support::Audited, verb: &str| {
        e.argv.first().is_some_and(|a| a.ends_with("/zoneadm")) && e.argv.iter().any(|a| a == verb)
    };
    sim_support::audit(dir)
        .into_iter()
        .skip_while(|e| !zoneadm(e, "detach"))
        .skip(1)
        .take_while(|e| !zoneadm(e, "attach"))
        .map(|e| e.argv)
        .collect()
}

/// The reason the first `attach` step gives.
fn attach_reason(events: &[serde_json::Value]) -> &str {
    events
        .iter()
        .find(|e| e["event"] == "step-start" && e["name"] == "attach")
        .and_then(|e| e["reason"].as_str())
        .unwrap_or_default()
}

#[test]
fn zonesim_s11_detach_unmounts_and_a_failed_attach_leaves_it_mounted() {
    let sim = Sim::new("solaris11-image-update");
    let root = sim.root("php11");
    assert!(sim.run("pkg", &["-R", &root, "list", "-H"]).code == 0);
    sim.detach("php11");
    let r = sim.run("pkg", &["-R", &root, "list", "-H"]);
    assert!(r.code != 0, "{}", r.stdout);
    assert!(r.stderr.contains("No image rooted at"), "{}", r.stderr);
    let a = sim.run("zoneadm", &["-z", "php11", "attach", "-u"]);
    assert!(a.code != 0, "the scenario's attach fails: {}", a.stdout);
    let r = sim.run("pkg", &["-R", &root, "list", "-H"]);
    assert!(r.code == 0, "{}", r.stderr);
    assert!(r.stdout.contains("php-53"), "{}", r.stdout);
}

/// Preflight predicts a dead GZ publisher, a dead zone publisher and an obsolete Apache: the
/// image remedies come after the first attach (gz-publishers goes around it), and they join
/// that attach's diagnosis (its log names only the zone publisher), so two attaches do it.
#[test]
fn auto_attaches_an_installed_solaris_zone_before_changing_its_image() {
    let sim = Sim::from_file(&sim_support::world("s11-three-predicted-remedies"));
    let (events, code) = sim_support::rescue_json(&sim.dir, "web", &[]);
    let s = events.last().unwrap();
    assert_eq!((code, &s["result"]), (Some(0), &"attached".into()), "{s}");
    assert_eq!(
        s["strategies_applied"],
        serde_json::json!(["gz-publishers", "zone-publishers", "uninstall"]),
        "{s}"
    );
    assert_eq!(s["attempts"], 2, "{s}");
    let between = between_detach_and_attach(&sim.dir);
    assert!(!between.iter().any(|a| changes_an_image(a)), "{between:?}");
}

/// Regress uu F1, oracle uu F1: a single strategy on a halted Solaris 11 zone (boot
/// environment mounted nowhere) judged the unread image and stopped with a false reason ("no
/// installed, non-core package blocks the solver"). The plain attach that mounts it goes
/// first, then the strategy, which attaches the zone.
#[test]
fn a_single_strategy_on_a_halted_solaris_zone_attaches_first() {
    let text = std::fs::read_to_string(sim_support::scenario("solaris11-image-update"))
        .unwrap()
        .replacen("[[zones]]\n", "[[zones]]\nroot_mounted = false\n", 1);
    for strategy in ["uninstall", "image-update", "incremental"] {
        let sim = Sim::from_text(&text);
        let (events, code) = sim_support::rescue_json(&sim.dir, "php11", &["--strategy", strategy]);
        let s = events.last().unwrap();
        assert_eq!((code, &s["result"]), (Some(0), &"attached".into()), "{strategy}: {s}");
        assert_eq!(s["strategies_applied"], serde_json::json!(["attach", strategy]), "{s}");
        let between = between_detach_and_attach(&sim.dir);
        assert!(!between.iter().any(|a| changes_an_image(a)), "{strategy}: {between:?}");
        // It says what the attach is there for, not that a plain attach often just works.
        let mounting = format!("this attach mounts it for {strategy}");
        assert!(attach_reason(&events).contains(&mounting), "{events:?}");
        // The dry run shows the same order, for the same reason.
        let sim = Sim::from_text(&text);
        let (events, _) =
            sim_support::rescue_json(&sim.dir, "php11", &["--strategy", strategy, "--dry-run"]);
        assert_eq!(
            sim_support::step_names(&events),
            ["snapshot", "attach", strategy],
            "{events:?}"
        );
        assert!(attach_reason(&events).contains(&mounting), "{events:?}");
    }
}

/// Regress vv F1, F2: an installed Solaris 11 zone newer than the global zone, its image
/// readable, and no consent to image-create. The plain attach that mounts the image was
/// passed over and pushed again forever (the ladder, `--strategy image-update`), and auto
/// ran an attach it had said would fail. Nothing gets past a newer zone but image-create:
/// the run ends, having run no zoneadm command.
#[test]
fn a_newer_solaris_zone_without_consent_ends_without_an_attach() {
    let text = std::fs::read_to_string(sim_support::world("s11-halted-zone-unmounted"))
        .unwrap()
        .replace("root_mounted = false", "root_mounted = true");
    for strategy in ["ladder", "image-update", "auto"] {
        let sim = Sim::from_text(&text);
        let (events, code) = sim_support::rescue_json(&sim.dir, "z1", &["--strategy", strategy]);
        let s = events.last().unwrap();
        assert_ne!(code, Some(0), "{strategy}: {s}");
        assert!(sim_support::step_names(&events).len() <= 9, "{strategy}: {events:?}");
        let zoneadm = sim_support::audit(&sim.dir)
            .into_iter()
            .filter(|e| e.argv.first().is_some_and(|a| a.ends_with("/zoneadm")))
            .any(|e| e.argv.iter().any(|a| a == "attach" || a == "detach"));
        assert!(!zoneadm, "{strategy}: {s}");
    }
}
