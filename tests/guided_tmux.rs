//! Guided mode as an operator sees it: `zonerescue demo` in a real terminal (a detached tmux
//! session of fixed size), prompts answered with send-keys, the screen read with capture-pane.
//! Skips, saying so, when tmux is not installed.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

mod sim_support;

const ZR: &str = env!("CARGO_BIN_EXE_zonerescue");

fn have_tmux() -> bool {
    Command::new("tmux").arg("-V").output().is_ok_and(|o| o.status.success())
}

/// One tmux server of its own (own socket), killed when the test ends.
struct Tmux {
    socket: String,
}

impl Tmux {
    fn start(name: &str, command: &str) -> Tmux {
        Tmux::start_sized(name, command, 200)
    }

    /// [`start`](Self::start) on a terminal `columns` wide.
    fn start_sized(name: &str, command: &str, columns: u16) -> Tmux {
        let t = Tmux { socket: format!("zonerescue-test-{}-{name}", std::process::id()) };
        let cols = columns.to_string();
        let ok = t
            .cmd()
            .args(["new-session", "-d", "-s", "t", "-x", &cols, "-y", "60", command])
            .status()
            .unwrap();
        assert!(ok.success(), "tmux new-session failed");
        t
    }

    fn cmd(&self) -> Command {
        let mut c = Command::new("tmux");
        c.args(["-L", &self.socket]);
        c
    }

    /// The whole screen and scrollback, wrapped lines joined.
    fn screen(&self) -> String {
        let out = self.cmd().args(["capture-pane", "-p", "-J", "-S", "-", "-t", "t"]).output();
        out.map(|o| String::from_utf8_lossy(&o.stdout).into_owned()).unwrap_or_default()
    }

    /// The screen as [`screen`](Self::screen) with colours and attributes as escape sequences.
    fn screen_escaped(&self) -> String {
        let out =
            self.cmd().args(["capture-pane", "-p", "-e", "-J", "-S", "-", "-t", "t"]).output();
        out.map(|o| String::from_utf8_lossy(&o.stdout).into_owned()).unwrap_or_default()
    }

    /// Whether the terminal's cursor is shown (a program may hide it and forget to show it).
    fn cursor_visible(&self) -> bool {
        let out = self.cmd().args(["display-message", "-p", "-t", "t", "#{cursor_flag}"]).output();
        out.is_ok_and(|o| o.stdout.starts_with(b"1"))
    }

    /// Waits until the screen shows `text` `times` times; the screen then.
    fn wait_for(&self, text: &str, times: usize) -> String {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let s = self.screen();
            if s.matches(text).count() >= times {
                return s;
            }
            assert!(Instant::now() < deadline, "screen never showed {text:?}:\n{s}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// The pid of the zonerescue the pane's shell runs.
    fn zonerescue_pid(&self) -> String {
        let pane =
            self.cmd().args(["display-message", "-p", "-t", "t", "#{pane_pid}"]).output().unwrap();
        let shell = String::from_utf8_lossy(&pane.stdout).trim().to_string();
        let child = Command::new("pgrep").args(["-P", &shell, "zonerescue"]).output().unwrap();
        let pid = String::from_utf8_lossy(&child.stdout).trim().to_string();
        assert!(!pid.is_empty(), "no zonerescue under the pane's shell {shell}");
        pid
    }

    fn keys(&self, keys: &str) {
        self.keys_at_once(&[keys]);
    }

    /// Several keys in one go, as a quick typist sends them.
    fn keys_at_once(&self, keys: &[&str]) {
        let ok = self.cmd().args(["send-keys", "-t", "t"]).args(keys).status().unwrap();
        assert!(ok.success());
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.cmd().arg("kill-server").status();
    }
}

/// `zonerescue OPTIONS demo SCENARIO --keep DIR` in tmux with more environment (`env`:
/// `VAR=value …`); the shell line reports the exit code.
fn start_demo(name: &str, scenario: &str, dir: &Path, env: &str, options: &str) -> Tmux {
    let cmd = format!(
        "env -u ZONESIM_ROOT -u ZONERESCUE_STRATEGY -u ZONERESCUE_YES -u NO_COLOR \
         ZONESIM_SPEED=100000 {env} '{ZR}' {options} demo {scenario} --keep '{}'; \
         echo \"demo exited $?\"; sleep 600",
        dir.display()
    );
    Tmux::start(name, &cmd)
}

/// The demo (without colour) started in a fresh directory, or `None` (said on stderr) without
/// tmux.
fn demo_or_skip(name: &str, scenario: &str) -> Option<(tempfile::TempDir, PathBuf, Tmux)> {
    demo_with_or_skip(name, scenario, "NO_COLOR=1", "")
}

/// [`demo_or_skip`] with more environment and zonerescue options (see [`start_demo`]).
fn demo_with_or_skip(
    name: &str,
    scenario: &str,
    env: &str,
    options: &str,
) -> Option<(tempfile::TempDir, PathBuf, Tmux)> {
    if !tmux_or_skip() {
        return None;
    }
    let d = tempfile::tempdir().unwrap();
    let dir = d.path().join("host");
    let t = start_demo(name, scenario, &dir, env, options);
    Some((d, dir, t))
}

/// `zonerescue ARGS` in tmux on a fresh omnios-postgres-removed host (see [`start_zr`]), or
/// `None` without tmux.
fn pg01_or_skip(name: &str, env: &str, args: &str) -> Option<(sim_support::Sim, Tmux)> {
    if !tmux_or_skip() {
        return None;
    }
    let sim = sim_support::Sim::new("omnios-postgres-removed");
    let t = start_zr(name, &sim.dir, env, args);
    Some((sim, t))
}

fn tmux_or_skip() -> bool {
    let have = have_tmux();
    if !have {
        eprintln!("SKIPPED: tmux is not installed (install it to run the guided-mode test)");
    }
    have
}

/// `zonerescue ARGS` on the simulated host in `dir`, in tmux, with more environment (`env`:
/// `VAR=value …`); the shell line `zr exited CODE` follows.
fn start_zr(name: &str, dir: &Path, env: &str, args: &str) -> Tmux {
    start_zr_sized(name, dir, env, args, 200)
}

/// [`start_zr`] on a terminal `columns` wide.
fn start_zr_sized(name: &str, dir: &Path, env: &str, args: &str, columns: u16) -> Tmux {
    let d = dir.display();
    let cmd = format!(
        "env -u ZONESIM_ROOT -u ZONERESCUE_STRATEGY -u ZONERESCUE_YES -u NO_COLOR \
         ZONESIM_SPEED=100000 {env} '{ZR}' --command-dir '{d}/bin' --system-root '{d}' \
         --state-dir '{d}/state' {args}; echo \"zr exited $?\"; sleep 600"
    );
    Tmux::start_sized(name, &cmd, columns)
}

fn journal(dir: &Path) -> serde_json::Value {
    fn find(d: &Path) -> Option<PathBuf> {
        for e in std::fs::read_dir(d).ok()?.flatten() {
            let p = e.path();
            if p.file_name().is_some_and(|n| n == "journal.json") {
                return Some(p);
            }
            if p.is_dir()
                && let Some(j) = find(&p)
            {
                return Some(j);
            }
        }
        None
    }
    let path = find(&dir.join("var/lib/zonerescue")).expect("journal.json written");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn gz_publishers(dir: &Path) -> String {
    let out = Command::new(dir.join("bin/pkg"))
        .args(["publisher", "-H", "-F", "tsv"])
        .env_remove("ZONESIM_ROOT")
        .output()
        .unwrap();
    assert!(out.status.success());
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn answering_yes_walks_the_operator_to_an_attached_zone() {
    // A rename the GZ's repository no longer records: nothing predicts it, the plain attach
    // tells, and its diagnosis leads to the step through an intermediate release.
    let Some((_d, dir, t)) = demo_or_skip("yes", "omnios-rename-needs-incremental") else {
        return;
    };

    // Findings first, then the proposal with its exact commands, then the question.
    let s = t.wait_for("Apply attach to zone backup01?", 1);
    assert!(s.contains("zbe.parentbe-mismatch"), "no finding on screen:\n{s}");
    assert!(s.contains("snapshot created:"), "{s}");
    assert!(s.contains("plan: zoneadm -z backup01 attach -u"), "{s}");
    t.keys("y");

    let s = t.wait_for("Apply incremental to zone backup01?", 1);
    assert!(s.contains("attach still fails"), "{s}");
    assert!(s.contains("(package-removed)"), "the diagnosis is not shown:\n{s}");
    assert!(s.contains("set-publisher -O https://pkg.omnios.org/r151046/core/"), "{s}");
    t.keys("y");

    let s = t.wait_for("demo exited", 1);
    assert!(s.contains("Result for zone backup01: attached"), "{s}");
    assert!(s.contains("zonerescue rollback backup01"), "{s}");
    assert!(s.contains("demo exited 0"), "{s}");
    let j = journal(&dir);
    assert_eq!(j["gz_publishers_tsv"].as_str(), Some(gz_publishers(&dir).as_str()), "{j}");
}

/// `y` and Enter by habit at a one-key question: the Enter, typed before the next question was
/// shown, must not answer it (a bare Enter there means stop). Before, the run stopped at the
/// incremental question without the operator ever seeing it.
#[test]
fn keys_typed_before_a_question_do_not_answer_it() {
    let Some((_d, _dir, t)) = demo_or_skip("typeahead", "omnios-rename-needs-incremental") else {
        return;
    };
    t.wait_for("Apply attach to zone backup01?", 1);
    t.keys_at_once(&["y", "Enter"]);
    let s = t.wait_for("Apply incremental to zone backup01?", 1);
    std::thread::sleep(Duration::from_millis(500));
    let s = format!("{s}{}", t.screen());
    assert!(!s.contains("demo exited"), "the Enter answered the next question:\n{s}");
    t.keys("y");
    let s = t.wait_for("demo exited", 1);
    assert!(s.contains("Result for zone backup01: attached"), "{s}");
}

/// Guided round cc F15: on a slow serial console an arrow key's bytes arrive apart, and its
/// first reads as a bare Esc. Esc, then `[` and `A` apart, answer nothing (before: Esc meant
/// "stop, undo the run").
#[test]
fn an_arrow_key_split_on_a_slow_console_answers_nothing() {
    let Some((_d, _dir, t)) = demo_or_skip("esc", "omnios-rename-needs-incremental") else {
        return;
    };
    t.wait_for("Apply attach to zone backup01?", 1);
    for key in ["Escape", "[", "A"] {
        t.keys(key);
        std::thread::sleep(Duration::from_millis(150));
    }
    std::thread::sleep(Duration::from_millis(500));
    let s = t.screen();
    let answered = s.contains("demo exited") || s.contains("undo the run: stop");
    assert!(!answered, "a split key answered:\n{s}");
    t.keys("y");
    t.wait_for("Apply incremental to zone backup01?", 1);
    t.keys("y");
    let s = t.wait_for("demo exited", 1);
    assert!(s.contains("Result for zone backup01: attached"), "{s}");
}

#[test]
fn answering_no_stops_safely() {
    // Solaris 11 Express with a disabled GZ publisher: gz-publishers is proposed first.
    let Some((_d, dir, t)) = demo_or_skip("no", "s11express-disabled-gz-publisher") else {
        return;
    };
    let s = t.wait_for("Apply gz-publishers for zone mail01?", 1);
    assert!(s.contains("(gz.publisher-disabled)"), "the prediction is not shown:\n{s}");
    // It changes the global zone: the question says so.
    assert!(s.contains("It changes the GLOBAL zone's publishers until the attach ends"), "{s}");
    // Shown just above, the prediction is named by its key in the rung's reason, not repeated.
    assert!(s.contains("attach -u would fail: as shown above (gz.publisher-disabled)"), "{s}");
    assert!(
        s.contains("[y] apply it  [s] skip it, choose the next remedy  [N] stop, undo the run:"),
        "{s}"
    );
    assert!(s.contains("plan: pkg unset-publisher contrib"), "{s}");
    t.keys("n");
    let s = t.wait_for("demo exited", 1);
    assert!(s.contains("stopped at the operator's request"), "{s}");
    assert!(!s.contains("demo exited 0"), "a declined rescue must not exit 0:\n{s}");

    let j = journal(&dir);
    let steps = j["steps"].as_array().expect("steps");
    let last = steps.last().expect("a step");
    assert_eq!(last["name"], "gz-publishers", "{j}");
    assert_eq!(last["outcome"], "skipped", "{j}");
    assert!(last["detail"].as_str().unwrap_or_default().contains("declined"), "{j}");
    // The global zone's publishers are exactly as the journal recorded them at the start.
    assert_eq!(j["gz_publishers_tsv"].as_str(), Some(gz_publishers(&dir).as_str()), "{j}");
    assert_eq!(j["gz_publishers_modified"], false, "{j}");
}

/// "s" at a question skips that remedy: the tool proposes the next one it judges worth trying
/// (here image-update, after skipping the plain attach), and the zone attaches.
#[test]
fn skipping_a_rung_proposes_the_next_one() {
    let Some((_d, dir, t)) = demo_or_skip("skip", "s11express-minor-update") else {
        return;
    };
    let s = t.wait_for("Apply attach to zone db01?", 1);
    assert!(s.contains("[s] skip it, choose the next remedy"), "{s}");
    t.keys("s");
    let s = t.wait_for("Apply image-update to zone db01?", 1);
    assert!(s.contains("<== attach: skipped by the operator"), "{s}");
    assert!(s.contains("plan: pkg -R"), "{s}");
    t.keys("y");
    let s = t.wait_for("demo exited", 1);
    assert!(s.contains("Result for zone db01: attached"), "{s}");
    assert!(s.contains("skipped by the operator: attach"), "{s}");
    assert!(s.contains("demo exited 0"), "{s}");
    let j = journal(&dir);
    assert_eq!(j["skipped_by_operator"], serde_json::json!(["attach"]), "{j}");
    assert_eq!(j["strategies_applied"], serde_json::json!(["image-update"]), "{j}");
}

/// Ops ww F4: the uninstall a predicted failure calls for skipped, the plain attach proposed
/// next said "a plain attach -u often just works after a minor update", under the prediction
/// that it fails. It says it is tried all the same, for what its log names.
#[test]
fn an_attach_proposed_after_a_skipped_predicted_remedy_says_it_is_predicted_to_fail() {
    if !tmux_or_skip() {
        return;
    }
    let sim = sim_support::Sim::new("omnios-two-zones");
    let t = start_zr("skip-predicted", &sim.dir, "", "pg02");
    t.wait_for("Apply uninstall to zone pg02?", 1);
    t.keys("s");
    let s = t.wait_for("Apply attach to zone pg02?", 1);
    assert!(s.contains("why: preflight predicts it fails"), "{s}");
    assert!(!s.contains("often just works"), "{s}");
    t.keys("n");
    t.wait_for("zr exited", 1);
}

/// Skipping gz-publishers, predicted for a disabled GZ publisher on Solaris 11 Express: the
/// plain attach tells (the prediction no longer stands in for it), and once it fails on the
/// global zone's publisher the run stops and says what gets past it. Before, auto went on to
/// image-update and then asked for image-create, which cannot fix the global zone's
/// publishers (adversarial round l).
#[test]
fn skipping_gz_publishers_stops_at_a_failure_only_it_gets_past() {
    let Some((_d, _dir, t)) = demo_or_skip("skip-gz", "s11express-disabled-gz-publisher") else {
        return;
    };
    t.wait_for("Apply gz-publishers for zone mail01?", 1);
    t.keys("s");
    t.wait_for("Apply attach to zone mail01?", 1);
    t.keys("y");
    let s = t.wait_for("demo exited", 1);
    assert!(s.contains("only gz-publishers keeps them out of the attach's way"), "{s}");
    assert!(s.contains("the operator skipped it"), "{s}");
    assert!(!s.contains("Apply image-"), "{s}");
    assert!(s.contains("demo exited 1"), "{s}");
}

/// A long pkg step shows a spinner naming the command while it runs (the simulator slowed
/// down: image-update takes seconds), and leaves nothing behind when it ends.
#[test]
fn a_long_pkg_step_shows_a_spinner_while_it_runs() {
    let Some((_d, _dir, t)) =
        demo_with_or_skip("spinner", "s11express-minor-update", "NO_COLOR=1 ZONESIM_SPEED=20", "")
    else {
        return;
    };
    t.wait_for("Apply attach to zone db01?", 1);
    t.keys("s");
    t.wait_for("Apply image-update to zone db01?", 1);
    t.keys("y");
    // The plan line names the command too; only the spinner adds the elapsed time.
    let s = t.wait_for("/zones/db01/root image-update -v [", 1);
    assert!(!s.contains("Result for zone"), "{s}");
    let s = t.wait_for("demo exited", 1);
    assert!(s.contains("Result for zone db01: attached"), "{s}");
    assert!(!s.contains("image-update -v ["), "the spinner was left on the screen:\n{s}");
}

/// Ops ww F2: preflight's `pkg refresh` (slow when a repository is dead: up to the pkg time
/// limit) ran with only the header line on the screen. A spinner names it, gone once done.
#[test]
fn preflight_s_refresh_shows_a_spinner() {
    if !tmux_or_skip() {
        return;
    }
    let text = std::fs::read_to_string(sim_support::scenario("omnios-postgres-removed")).unwrap();
    let sim = sim_support::Sim::from_text(&format!(
        "{text}\n[[faults]]\ncommand = \"pkg refresh\"\nhang_s = 30\n"
    ));
    let t = start_zr("preflight", &sim.dir, "NO_COLOR=1 ZONESIM_SPEED=10", "pg01");
    t.wait_for("preflight: pkg refresh of the publishers attach -u refreshes [", 1);
    let s = t.wait_for("Apply ", 1);
    assert!(!s.contains("preflight: pkg refresh"), "the spinner was left on the screen:\n{s}");
    t.keys("q");
    t.wait_for("zr exited", 1);
}

/// Yes to gz-publishers, then no to the next rung: gz-publishers only acts around an attach,
/// which never came, so nothing was changed and the installed zone stays installed. Before,
/// the gz-publishers rung detached it and the declined run left it detached.
#[test]
fn declining_the_second_rung_before_any_attach_leaves_the_zone_installed() {
    let Some((_d, dir, t)) = demo_or_skip("no2", "s11express-b111-web") else {
        return;
    };
    t.wait_for("Apply gz-publishers for zone web01?", 1);
    t.keys("y");
    t.wait_for("Apply incremental to zone web01?", 1);
    t.keys("n");
    let s = t.wait_for("demo exited", 1);
    assert!(s.contains("nothing was changed: the zone is as it was"), "{s}");
    let list = Command::new(dir.join("bin/zoneadm"))
        .args(["list", "-cp"])
        .env_remove("ZONESIM_ROOT")
        .output()
        .unwrap();
    let list = String::from_utf8_lossy(&list.stdout);
    assert!(list.lines().any(|l| l.contains(":web01:installed:")), "{list}");
    assert_eq!(journal(&dir)["gz_publishers_tsv"].as_str(), Some(gz_publishers(&dir).as_str()));
}

/// The question before an uninstall names what it removes; the summary what the zone lost.
#[test]
fn the_uninstall_question_names_the_packages_it_removes() {
    let Some((_d, _dir, t)) = demo_or_skip("removes", "omnios-postgres-removed") else {
        return;
    };
    t.wait_for(
        "Apply uninstall to zone pg01? It REMOVES database/postgresql-12, \
         database/postgresql-12/contrib from the zone",
        1,
    );
    t.keys("y");
    let s = t.wait_for("demo exited", 1);
    assert!(
        s.contains("no longer installed in the zone: database/postgresql-12, database/postgresql-12/contrib"),
        "{s}"
    );
}

/// An operator whose run was killed (the SSH session dropped) starts zonerescue again instead
/// of `resume`: guided mode offers to continue the killed run, and answering yes resumes it
/// (same run id, its pre-rescue snapshot) instead of starting afresh from a half-done zone.
#[test]
fn a_guided_run_offers_to_resume_a_killed_one() {
    use std::io::BufRead;
    if !tmux_or_skip() {
        return;
    }
    let sim = sim_support::Sim::new("omnios-postgres-removed");
    let dir = sim.dir.clone();
    let mut child = sim_support::spawn_rescue(&dir, "pg01", "20", true);
    let mut killed_run = String::new();
    for line in std::io::BufReader::new(child.stdout.take().unwrap()).lines() {
        let v: serde_json::Value = serde_json::from_str(&line.unwrap()).unwrap();
        if v["event"] == "run-start" {
            killed_run = v["run_id"].as_str().unwrap().to_string();
        }
        if v["event"] == "step-start" && v["name"] == "uninstall" {
            child.kill().unwrap();
            break;
        }
    }
    let _ = child.wait();
    assert!(!killed_run.is_empty());

    let t = start_zr("resume-offer", &dir, "NO_COLOR=1", "pg01");
    let s = t.wait_for("Resume it instead of starting a new run?", 1);
    assert!(s.contains(&format!("The last run ({killed_run}) was killed")), "{s}");
    t.keys("y");
    // The killed uninstall is proposed again, with the question guided mode always asks.
    t.wait_for("Apply uninstall to zone pg01?", 1);
    t.keys("y");
    let s = t.wait_for("zr exited", 1);
    assert!(s.contains("Result for zone pg01: attached"), "{s}");
    assert!(s.contains("zr exited 0"), "{s}");
    let j: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("state/pg01/journal.json")).unwrap())
            .unwrap();
    assert_eq!(j["run_id"], killed_run.as_str(), "the killed run was resumed, not replaced");
    assert_eq!(j["status"]["ended"], "attached", "{j}");
}

/// Ctrl-C at a yes/no question: the run stops as if declined, and the terminal is left usable:
/// the cursor shown again and the next line on a line of its own. Before, dialoguer's failed
/// read left the cursor hidden and glued the next line to the question (`[y/N] <== …`).
#[test]
fn ctrl_c_at_a_question_leaves_the_terminal_usable() {
    let Some((_d, _dir, t)) = demo_or_skip("ctrl-c", "s11express-disabled-gz-publisher") else {
        return;
    };
    t.wait_for("Apply gz-publishers for zone mail01?", 1);
    // The cursor stays where the key is typed (ops ss F3: it was hidden, and a dumb terminal
    // showed the hide/show sequences as text).
    assert!(t.cursor_visible(), "the cursor is hidden while the question waits");
    t.keys("C-c");
    let s = t.wait_for("demo exited", 1);
    assert!(s.lines().any(|l| l.starts_with("<== gz-publishers: skipped")), "{s}");
    assert!(t.cursor_visible(), "the cursor is still hidden:\n{s}");
    // Nothing had changed (the snapshot aside): no undo is advised (ops ww F1: "return to the
    // start: zonerescue rollback", which then found nothing to roll back).
    assert!(s.contains("nothing was changed: the zone is as it was"), "{s}");
    assert!(!s.contains("return to the start"), "{s}");
}

/// Guided round cc F6: a SIGTERM (another console, a timeout wrapper) while a question waits
/// is named SIGTERM, and Ctrl-C still SIGINT (before: the console library, its read
/// interrupted, raised SIGINT, and the run said "stopped by SIGINT").
#[test]
fn a_sigterm_at_a_question_is_named_sigterm() {
    let Some((_d, _dir, t)) = demo_or_skip("sigterm", "s11express-disabled-gz-publisher") else {
        return;
    };
    t.wait_for("Apply gz-publishers for zone mail01?", 1);
    let pid = t.zonerescue_pid();
    assert!(Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());
    let s = t.wait_for("demo exited", 1);
    assert!(s.contains("stopped by SIGTERM") && !s.contains("SIGINT"), "{s}");
}

/// `--color never` reaches dialoguer's questions too: no escape sequence on the screen.
#[test]
fn color_never_leaves_the_questions_plain() {
    let Some((_d, _dir, t)) =
        demo_with_or_skip("never", "s11express-disabled-gz-publisher", "", "--color never")
    else {
        return;
    };
    t.wait_for("Apply gz-publishers for zone mail01?", 1);
    let s = t.screen_escaped();
    assert!(!s.contains('\x1b'), "colour on the screen:\n{s:?}");
    // A bare Enter takes the default, which applies nothing: it stops.
    t.keys("Enter");
    let s = t.wait_for("demo exited", 1);
    assert!(s.contains("stopped at the operator's request"), "{s}");
    assert!(s.contains("strategies applied: none"), "{s}");
}

/// A terminal on stderr and stdout into a file (`zonerescue … | tee log`): the progress on the
/// terminal is coloured, the summary in the file is not.
#[test]
fn colour_is_decided_for_each_stream() {
    if !tmux_or_skip() {
        return;
    }
    let sim = sim_support::Sim::new("s11express-minor-update");
    let out = sim.dir.join("summary.txt");
    let t = start_zr("streams", &sim.dir, "", &format!("--yes db01 > '{}'", out.display()));
    let s = t.wait_for("zr exited", 1);
    assert!(s.contains("zr exited 0"), "{s}");
    assert!(t.screen_escaped().contains("\x1b[1m==> step"), "stderr lost its colour:\n{s}");
    let summary = std::fs::read_to_string(&out).unwrap();
    assert!(summary.contains("Result for zone db01: attached"), "{summary}");
    assert!(!summary.contains('\x1b'), "colour in the piped summary: {summary:?}");
}

/// The zonerescue snapshots of pg01's boot environment after the pre-rescue one (the rungs').
fn rung_snapshots(dir: &Path) -> Vec<String> {
    let out = sim_support::zonerescue(dir).args(["--json", "snapshots", "pg01"]).output().unwrap();
    let owned: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let names = owned.as_array().unwrap().iter().map(|o| o["name"].as_str().unwrap().to_string());
    names.filter(|n| !n.ends_with("-pre")).collect()
}

/// Before `rollback` asks, it says what it does: the installed zone is detached, and the later
/// snapshots `zfs rollback -r` destroys are named. `snapshots --prune` names what it destroys
/// and asks too.
#[test]
fn rollback_and_prune_say_what_they_destroy_before_asking() {
    if !tmux_or_skip() {
        return;
    }
    let sim = sim_support::Sim::new("omnios-postgres-removed");
    let (_, code) = sim_support::rescue_json(&sim.dir, "pg01", &[]);
    assert_eq!(code, Some(0));
    let rungs = rung_snapshots(&sim.dir);
    assert!(!rungs.is_empty(), "the rescue took rung snapshots");

    let t = start_zr("rollback", &sim.dir, "NO_COLOR=1", "rollback pg01");
    let s = t.wait_for("Detach zone pg01 and roll it back?", 1);
    assert!(s.contains("it will be DETACHED first"), "{s}");
    for r in &rungs {
        assert!(s.contains(r.as_str()), "{r} is not named:\n{s}");
    }
    t.keys("n");
    assert!(t.wait_for("zr exited", 1).contains("zr exited 3"));
    assert_eq!(sim.state("pg01"), "installed", "declined: the zone stays attached");

    let t = start_zr("prune", &sim.dir, "NO_COLOR=1", "snapshots pg01 --prune");
    let s = t.wait_for(&format!("Destroy these {} snapshot(s)?", rungs.len()), 1);
    for r in &rungs {
        assert!(s.contains(r.as_str()), "{r} is not named:\n{s}");
    }
    t.keys("y");
    assert!(t.wait_for("zr exited", 1).contains("zr exited 0"));
    assert!(rung_snapshots(&sim.dir).is_empty());
}

/// Round m: the terminal goes away (the SSH session drops: tmux's session is killed, SIGHUP)
/// while a question waits. Nobody declined anything: the run is interrupted there, for
/// `resume`. Before, the journal said "declined by the operator" and the run failed.
#[test]
fn a_hang_up_at_a_question_interrupts_the_run() {
    let Some((_d, dir, t)) = demo_or_skip("hup", "s11express-disabled-gz-publisher") else {
        return;
    };
    t.wait_for("Apply gz-publishers for zone mail01?", 1);
    let ok = t.cmd().args(["kill-session", "-t", "t"]).status().unwrap();
    assert!(ok.success());
    let deadline = Instant::now() + Duration::from_secs(60);
    let j = loop {
        let j = journal(&dir);
        if j["status"]["ended"].is_string() {
            break j;
        }
        assert!(Instant::now() < deadline, "the run never ended: {j}");
        std::thread::sleep(Duration::from_millis(100));
    };
    assert_eq!(j["status"]["ended"], "interrupted", "{j}");
    let step = j["steps"].as_array().unwrap().iter().find(|s| s["name"] == "gz-publishers");
    assert_eq!(step.unwrap()["detail"], "interrupted at its question", "{j}");
}

/// Round v F2: y, y, then "n" at the uninstall question. The run stops and rolls the image
/// back to its pre-rescue snapshot, undoing the incremental step. `resume` then starts a new
/// rescue from that image (same strategy) and keeps Apache through the rename, as a new run
/// does. Before, resume took the undone step for applied, skipped it, and uninstalled Apache.
#[test]
fn resume_after_stopping_where_the_run_undid_its_rungs_applies_them_again() {
    if !tmux_or_skip() {
        return;
    }
    let sim = sim_support::Sim::new("s11express-b111-web");
    let dir = sim.dir.clone();
    let report = dir.join("report.txt");
    let t =
        start_zr("undone", &dir, "NO_COLOR=1", &format!("--report '{}' web01", report.display()));
    t.wait_for("Apply gz-publishers for zone web01?", 1);
    t.keys("y");
    t.wait_for("Apply incremental to zone web01?", 1);
    t.keys("y");
    t.wait_for("Apply uninstall to zone web01?", 1);
    t.keys("n");
    t.wait_for("zr exited", 1);
    let status = sim_support::zonerescue(&dir).args(["status", "web01"]).output().unwrap();
    let status = String::from_utf8_lossy(&status.stdout);
    assert!(status.contains("(all undone: the run rolled its image back to"), "{status}");
    assert!(!status.contains("applied, not yet attached"), "{status}");
    // Guided gg F1, F6: gz-publishers never acted (it acts around the attach, which never
    // came): not applied; the step it took is said to be rolled back (before: both open, and
    // gz-publishers listed among the strategies applied, "undone by the rollback").
    assert!(status.contains("strategies applied: incremental (all undone"), "{status}");
    assert!(status.contains("gz-publishers    skipped: not applied: the run stopped"), "{status}");
    assert!(status.contains("applied, then rolled back with the image"), "{status}");
    // The step changed the image before the rollback: not "only detached".
    let report = std::fs::read_to_string(&report).unwrap();
    assert!(
        report.contains("and its image is back as it was: zoneadm -z web01 attach -F"),
        "{report}"
    );
    let (events, code) = sim_support::rescue_json(&dir, "web01", &["resume"]);
    let s = events.last().unwrap();
    assert_eq!((code, s["result"].as_str()), (Some(0), Some("attached")), "{s}");
    assert!(events.iter().any(|e| e["key"] == "journal.last-run-rolled-back"), "{events:?}");
    // Round w F4: nor did that run stop "for resume" (its applied rungs were undone).
    assert!(!events.iter().any(|e| e["key"] == "journal.last-run-unfinished"), "{events:?}");
    assert_eq!(s["packages_removed"], serde_json::json!(["developer/sunstudio12u1"]), "{s}");
    let listed = Command::new(dir.join("bin/pkg"))
        .args(["-R", &format!("{}/zones/web01/root", dir.display()), "list", "-H"])
        .env_remove("ZONESIM_ROOT")
        .output()
        .unwrap();
    let listed = String::from_utf8_lossy(&listed.stdout);
    assert!(listed.contains("web/server/apache-22"), "Apache was lost:\n{listed}");
}

/// Guided round cc F14: on a console without cursor control (TERM=dumb, a serial line) no
/// spinner can be drawn; a line names each long command as it starts instead (before: minutes
/// of silence through the detach and the attach). Without a terminal too (a log kept by cron).
#[test]
fn a_dumb_console_is_told_what_runs() {
    let Some((_sim, t)) = pg01_or_skip("dumb", "TERM=dumb", "--yes pg01") else {
        return;
    };
    let s = t.wait_for("zr exited", 1);
    assert!(s.contains("running: zoneadm -z pg01 attach -u"), "{s}");
    assert!(s.contains("zr exited 0"), "{s}");
    let sim = sim_support::Sim::new("omnios-postgres-removed");
    let out = sim_support::zonerescue(&sim.dir).args(["--yes", "pg01"]).output().unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("running: zoneadm -z pg01 attach -u"), "{said}");
    // --json: stderr stays for people's words only, and no spinner line is made up.
    let sim = sim_support::Sim::new("omnios-postgres-removed");
    let out = sim_support::zonerescue(&sim.dir).args(["--yes", "--json", "pg01"]).output().unwrap();
    assert!(!String::from_utf8_lossy(&out.stderr).contains("running:"));
}

/// Guided round cc F2: `zonerescue ZONE 2>&1 | tee log` on a terminal takes stderr, where the
/// questions go, from it: the refusal says so and how to keep a transcript (before: only "no
/// terminal", and --yes, which removes packages unasked, as the way on).
#[test]
fn a_refusal_for_want_of_a_terminal_names_the_stream() {
    let Some((_sim, t)) = pg01_or_skip("tee", "", "pg01 2>&1 | cat") else {
        return;
    };
    let s = t.wait_for("zr exited", 1);
    assert!(s.contains("stderr is not a terminal") && s.contains("--report FILE"), "{s}");
}

/// Guided round cc F10: `zonerescue analyze` with no file on a terminal says it reads what is
/// pasted, and how to end it (before: silence, as if hung).
#[test]
fn analyze_on_a_terminal_says_it_waits_for_a_paste() {
    let Some((_sim, t)) = pg01_or_skip("paste", "", "analyze") else {
        return;
    };
    t.wait_for("paste it, then press Ctrl-D", 1);
    t.keys_at_once(&["Result: Attach Succeeded.", "Enter", "C-d"]);
    let s = t.wait_for("zr exited", 1);
    assert!(s.contains("Verdict:    attached") && s.contains("zr exited 0"), "{s}");
}

/// Regression round dd F6: a SIGTERM at rollback's question is named, not "not confirmed".
#[test]
fn a_signal_at_rollbacks_question_is_named() {
    if !tmux_or_skip() {
        return;
    }
    let sim = sim_support::Sim::new("omnios-postgres-removed");
    let (_, code) = sim_support::rescue_json(&sim.dir, "pg01", &[]);
    assert_eq!(code, Some(0));
    let t = start_zr("rollback-term", &sim.dir, "NO_COLOR=1", "rollback pg01");
    t.wait_for("[y] yes  [N] no  [q] stop:", 1);
    let pid = t.zonerescue_pid();
    assert!(Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());
    let s = t.wait_for("zr exited", 1);
    assert!(s.contains("SIGTERM received at the question; nothing was changed"), "{s}");
    assert_eq!(sim.state("pg01"), "installed");
}

/// Guided kk F1: a run killed mid-attach on Solaris 11 Express left a GZ publisher unset (its
/// whole configuration only in the journal). Quitting at the "Resume it instead?" offer left it
/// so, the summary saying only "stopped". The publishers are restored from the journal first,
/// and the summary says so; `resume` is left to continue the rest.
#[test]
fn quitting_at_the_resume_offer_still_restores_the_gz_publishers() {
    if !tmux_or_skip() {
        return;
    }
    let sim = sim_support::Sim::new("s11express-disabled-gz-publisher");
    let dir = sim.dir.clone();
    let before = sim.run("pkg", &["publisher", "-H", "-F", "tsv"]).stdout;
    sim_support::kill_at_command(&dir, "mail01", "attach -u");
    assert_ne!(sim.run("pkg", &["publisher", "-H", "-F", "tsv"]).stdout, before, "simplified");

    let t = start_zr("resume-offer-quit", &dir, "NO_COLOR=1", "mail01");
    t.wait_for("Resume it instead of starting a new run?", 1);
    t.keys("q");
    let s = t.wait_for("zr exited", 1);
    assert!(s.contains("were restored from its journal"), "{s}");
    assert_eq!(sim.run("pkg", &["publisher", "-H", "-F", "tsv"]).stdout, before, "{s}");
    let j: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("state/mail01/journal.json")).unwrap())
            .unwrap();
    assert_eq!(j["gz_publishers_modified"], false, "the record says so: {j}");
}

/// Ops vv F2: at 80 columns the destructive question wraps, and dialoguer's redraw counted its
/// rows unwrapped: the question was shown twice, the second time with a check mark although
/// image-create was declined. Shown once; a declined one is not marked done.
#[test]
fn the_destructive_question_is_shown_once_at_80_columns() {
    if !tmux_or_skip() {
        return;
    }
    let sim = sim_support::Sim::from_file(&sim_support::world("omnios-zone-newer-than-gz"));
    let t = start_zr_sized("destructive80", &sim.dir, "TERM=xterm-256color", "moved01", 80);
    t.wait_for("Type the zone name", 1);
    t.keys_at_once(&["nope", "Enter"]);
    let s = t.wait_for("zr exited", 1);
    assert_eq!(s.matches("Type the zone name").count(), 1, "{s}");
    assert_eq!(s.matches("Apply image-create to zone moved01?").count(), 1, "{s}");
    assert!(!s.contains('\u{2714}'), "{s}");
    assert!(s.contains("nope"), "the typed answer is echoed: {s}");
}
