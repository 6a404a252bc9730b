//! `incremental` against the simulated host: it installs `entire@VER` straight away (no `-n`
//! solve first), and when pkg finds no plan for one intermediate build — the image untouched —
//! it goes on to the next build.

mod sim_support;
use serde_json::Value;
use sim_support::Sim;

/// The b111 world, but the last OpenSolaris release repository stops at 111 and the
/// development repository (the zone's own origin) carries only 121 of the builds the
/// playbook knows.
fn world() -> Sim {
    let text = std::fs::read_to_string(sim_support::scenario("s11express-b111-web")).unwrap();
    let text = text.replace("builds = [111, 134]", "builds = [111]");
    assert!(text.contains("builds = [111]\n"), "scenario changed: adjust this test");
    Sim::from_text(&format!(
        "{text}\n[[repositories]]\nuri = \"http://pkg.opensolaris.org/dev/\"\n\
         publisher = \"opensolaris.org\"\nbuilds = [111, 121]\nhistory_from = 86\n"
    ))
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
    let first = &installs[0];
    assert!(first.0.ends_with("entire@0.5.11-0.134") && first.1 != 0, "{installs:?}");
    let last = installs.last().unwrap();
    assert!(last.0.ends_with("entire@0.5.11-0.121") && last.1 == 0, "{installs:?}");
    assert!(installs[..installs.len() - 1].iter().all(|(_, c)| *c != 0), "{installs:?}");
    // Its step reports the build it reached (the attach after it still fails in this world —
    // Sun Studio is gone from 151 — so the engine undoes the rung at the end).
    let events: Vec<Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let end = events
        .iter()
        .find(|e| e["event"] == "step-end" && e["name"] == "incremental")
        .unwrap_or_else(|| panic!("no incremental step: {events:?}"));
    assert!(
        end["detail"].as_str().unwrap_or("").contains("stepped entire to 0.5.11-0.121"),
        "{end}"
    );
}
