//! Shared helpers for the zonesim process tests: a world in a temp dir, commands run through
//! its DIR/bin links exactly as zonerescue runs them (absolute path, LC_ALL=C, no ZONESIM_ROOT).

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// zonerescue pointed at the simulated host in `dir` through its only seam (command dir,
/// system root, state dir), inheriting no zonesim or zonerescue settings from the environment.
pub fn zonerescue(dir: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_zonerescue"));
    c.arg("--command-dir")
        .arg(dir.join("bin"))
        .arg("--system-root")
        .arg(dir)
        .arg("--state-dir")
        .arg(dir.join("state"))
        .env_remove("ZONESIM_ROOT")
        .env_remove("ZONERESCUE_STRATEGY")
        .env_remove("ZONERESCUE_YES");
    c
}

/// `zonerescue --json --yes ZONE` started in the background on the host in `dir`, the
/// simulator at `speed`: its JSON events on a pipe (`events`), or discarded; stderr discarded.
pub fn spawn_rescue(dir: &Path, zone: &str, speed: &str, events: bool) -> std::process::Child {
    spawn_with(dir, &[zone], speed, events)
}

/// `zonerescue --json --yes ARGS…` at simulator `speed`, its events piped (or dropped).
fn spawn_with(dir: &Path, args: &[&str], speed: &str, events: bool) -> std::process::Child {
    let out = if events { std::process::Stdio::piped() } else { std::process::Stdio::null() };
    zonerescue(dir)
        .args(["--json", "--yes"])
        .args(args)
        .env("ZONESIM_SPEED", speed)
        .stdout(out)
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap()
}

/// `zonerescue --yes --json EXTRA… ZONE` on the simulated host: its events (one JSON object a
/// line, the summary last) and exit code. A panic fails the test.
pub fn rescue_json(
    dir: &Path,
    zone: &str,
    extra: &[&str],
) -> (Vec<serde_json::Value>, Option<i32>) {
    let out = zonerescue(dir).args(["--yes", "--json"]).args(extra).arg(zone).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    let events = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    (events, out.status.code())
}

/// `field` of the first `event` about rung `name` (e.g. a step-start's reason), or "".
pub fn event_field(events: &[serde_json::Value], event: &str, name: &str, field: &str) -> String {
    events
        .iter()
        .find(|e| e["event"] == event && e["name"] == name)
        .and_then(|e| e[field].as_str())
        .unwrap_or_default()
        .to_string()
}

/// The first finding event with `key`; panics, showing the events, when there is none.
pub fn finding<'a>(events: &'a [serde_json::Value], key: &str) -> &'a serde_json::Value {
    events
        .iter()
        .find(|e| e["event"] == "finding" && e["key"] == key)
        .unwrap_or_else(|| panic!("no {key} finding: {events:?}"))
}

/// The rungs (and re-attach steps) a run started, in order.
pub fn step_names(events: &[serde_json::Value]) -> Vec<&str> {
    events
        .iter()
        .filter(|e| e["event"] == "step-start")
        .filter_map(|e| e["name"].as_str())
        .collect()
}

pub struct Sim {
    pub tmp: tempfile::TempDir,
    pub dir: PathBuf,
}

pub struct Run {
    pub stdout: String,
    pub stderr: String,
    pub code: i32,
}

impl Run {
    pub fn out_lines(&self) -> Vec<&str> {
        self.stdout.lines().collect()
    }
}

pub fn scenario(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/scenarios").join(format!("{name}.toml"))
}

/// A world only tests use (testdata/worlds/NAME.toml): not a bundled scenario, so not part
/// of the scenario matrix, the demo or the benchmark.
pub fn world(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/worlds").join(format!("{name}.toml"))
}

/// The text of test world `name` (for tests that vary it).
pub fn world_text(name: &str) -> String {
    std::fs::read_to_string(world(name)).unwrap()
}

impl Sim {
    pub fn new(name: &str) -> Sim {
        Sim::from_file(&scenario(name))
    }

    pub fn from_text(text: &str) -> Sim {
        let tmp = tempfile::tempdir().unwrap();
        let f = tmp.path().join("scenario.toml");
        std::fs::write(&f, text).unwrap();
        Sim::init(tmp, &f)
    }

    pub fn from_file(path: &Path) -> Sim {
        Sim::init(tempfile::tempdir().unwrap(), path)
    }

    fn init(tmp: tempfile::TempDir, scenario: &Path) -> Sim {
        let dir = tmp.path().join("world");
        let out = Command::new(env!("CARGO_BIN_EXE_zonesim"))
            .arg("init")
            .arg(scenario)
            .arg(&dir)
            .output()
            .unwrap();
        assert!(out.status.success(), "init failed: {}", String::from_utf8_lossy(&out.stderr));
        let dir = dir.canonicalize().unwrap();
        Sim { tmp, dir }
    }

    pub fn d(&self) -> String {
        self.dir.display().to_string()
    }

    pub fn root(&self, zone: &str) -> String {
        format!("{}/zones/{zone}/root", self.d())
    }

    pub fn run(&self, cmd: &str, args: &[&str]) -> Run {
        self.run_env(cmd, args, &[])
    }

    pub fn run_env(&self, cmd: &str, args: &[&str], env: &[(&str, &str)]) -> Run {
        let mut c = Command::new(self.dir.join("bin").join(cmd));
        c.args(args).env("LC_ALL", "C").env_remove("ZONESIM_ROOT").env_remove("ZONESIM_SPEED");
        for (k, v) in env {
            c.env(k, v);
        }
        let out = c.output().unwrap();
        Run {
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            code: out.status.code().unwrap_or(-1),
        }
    }

    /// `zoneadm -z Z detach` that must succeed.
    pub fn detach(&self, zone: &str) {
        let r = self.run("zoneadm", &["-z", zone, "detach"]);
        assert_eq!(r.code, 0, "detach: {}", r.stderr);
    }

    pub fn state(&self, zone: &str) -> String {
        let r = self.run("zoneadm", &["-z", zone, "list", "-p"]);
        r.stdout.split(':').nth(2).unwrap_or("").to_string()
    }

    /// The attach log file (the only one under var/tmp, or var/log/zones on S11).
    pub fn attach_log(&self) -> (PathBuf, String) {
        for sub in ["var/tmp", "var/log/zones"] {
            if let Some(e) = std::fs::read_dir(self.dir.join(sub)).unwrap().next() {
                let p = e.unwrap().path();
                let text = std::fs::read_to_string(&p).unwrap_or_default();
                return (p, text);
            }
        }
        panic!("no attach log")
    }
}

/// Removes the `[<date>] ` prefix of a log line, asserting its `date(1)` shape.
pub fn undate(line: &str) -> String {
    match line.strip_prefix('[') {
        Some(rest) if rest.len() > 29 && rest.as_bytes()[28] == b']' => {
            let date = &rest[..28];
            assert!(date.ends_with(" 2011") && date.contains(" UTC "), "bad date prefix: {line}");
            rest[30..].to_string()
        }
        _ => line.to_string(),
    }
}

/// The standard non-tty pkg lines of a successful install (refreshing `pubs`).
pub fn pkg_success(pubs: &[&str], summary: &[&str]) -> Vec<String> {
    let mut v: Vec<String> =
        pubs.iter().map(|p| format!(" Startup: Refreshing catalog '{p}' ... Done")).collect();
    v.push(" Startup: Caching catalogs ... Done".into());
    for job in [
        "Solver setup",
        "Running solver",
        "Finding local manifests",
        "Package planning",
        "Merging actions",
        "Checking for conflicting actions",
        "Consolidating action changes",
        "Evaluating mediators",
    ] {
        v.push(format!("Planning: {job} ... Done"));
    }
    v.push("Planning: Planning completed in 2.00 seconds".into());
    v.extend(summary.iter().map(|s| s.to_string()));
    v
}

/// The oracle's gentlest plan for `zone` of the scenario file `scenario` (strategy names).
pub fn oracle_gentlest(scenario: &Path, zone: &str) -> std::collections::BTreeSet<String> {
    let out = Command::new(env!("CARGO_BIN_EXE_zonesim"))
        .arg("oracle")
        .arg(scenario)
        .arg("--json")
        .output()
        .unwrap();
    let all: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    let o = all.into_iter().find(|o| o["zone"] == zone).unwrap();
    o["gentlest"].as_array().unwrap().iter().map(|s| s.as_str().unwrap().to_string()).collect()
}

/// The strategies a JSON summary says were applied, without the plain `attach`.
pub fn applied_remedies(summary: &serde_json::Value) -> std::collections::BTreeSet<String> {
    summary["strategies_applied"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .filter(|s| s != "attach")
        .collect()
}

/// One finished command of the simulated host, from its `audit.log`.
pub struct Audited {
    pub argv: Vec<String>,
    pub exit: i64,
    /// Simulated seconds it cost.
    pub cost_s: u64,
}

/// Every command the simulated host in `dir` has finished (empty while nothing has run).
pub fn audit(dir: &Path) -> Vec<Audited> {
    std::fs::read_to_string(dir.join("audit.log"))
        .unwrap_or_default()
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .map(|v| Audited {
            argv: v["argv"]
                .as_array()
                .map(|a| a.iter().filter_map(|s| s.as_str().map(str::to_string)).collect())
                .unwrap_or_default(),
            exit: v["exit"].as_i64().unwrap_or(-1),
            cost_s: v["cost_s"].as_u64().unwrap_or(0),
        })
        .collect()
}

/// Starts `zonerescue --json --yes ZONE` at simulated speed 20 and SIGKILLs it at its first
/// `command` event whose command contains `needle` (e.g. `unset-publisher`: the GZ
/// publishers were just simplified); waits a second for what it started to finish. Panics if
/// no such event came.
pub fn kill_at_command(dir: &Path, zone: &str, needle: &str) {
    kill_at_command_with(dir, zone, needle, &[]);
}

/// `zonerescue --json --yes ARGS…` at simulator speed 20, its events piped (stderr dropped).
pub fn spawn_json(dir: &Path, args: &[&str]) -> std::process::Child {
    spawn_with(dir, args, "20", true)
}

/// [`kill_at_command`] with `extra` options before the zone (`--allow-destructive`).
pub fn kill_at_command_with(dir: &Path, zone: &str, needle: &str, extra: &[&str]) {
    use std::io::BufRead;
    let args: Vec<&str> = extra.iter().copied().chain([zone]).collect();
    let mut child = spawn_json(dir, &args);
    let stdout = child.stdout.take().unwrap();
    let mut killed = false;
    for line in std::io::BufReader::new(stdout).lines() {
        let v: serde_json::Value = serde_json::from_str(&line.unwrap()).unwrap();
        if v["event"] == "command" && v["command"].as_str().unwrap().contains(needle) {
            child.kill().unwrap();
            killed = true;
            break;
        }
    }
    let _ = child.wait();
    assert!(killed, "never saw a command containing '{needle}'");
    std::thread::sleep(std::time::Duration::from_secs(1));
}

/// Whether the simulated host in `dir` ran a `pkg uninstall` that was no dry run.
pub fn uninstalled(dir: &Path) -> bool {
    audit(dir)
        .iter()
        .any(|a| a.argv.iter().any(|x| x == "uninstall") && !a.argv.iter().any(|x| x == "-n"))
}

/// How many `attach -u` runs the audit log holds.
pub fn attach_runs(dir: &Path) -> usize {
    audit(dir).iter().filter(|e| e.argv.windows(2).any(|w| w == ["attach", "-u"])).count()
}

/// An executable `/bin/sh` script at `path` for a test, written like
/// `src/system/test_script.rs` does for unit tests: a probe run waits out another test
/// thread's child that still holds the write descriptor (ETXTBSY).
pub fn write_script(path: &Path, body: &str) {
    use std::os::unix::fs::PermissionsExt;
    let text = format!("#!/bin/sh\n[ -n \"$ZR_TEST_PROBE\" ] && exit 0\n{body}\n");
    std::fs::write(path, text).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
    let busy = || {
        let probe = Command::new(path).env("ZR_TEST_PROBE", "1").status();
        probe.err().and_then(|e| e.raw_os_error()) == Some(libc::ETXTBSY)
    };
    let mut tries = 0;
    while busy() {
        tries += 1;
        assert!(tries < 500, "{} stayed busy", path.display());
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}

/// A zonerescue lock held as a run holds it: an fcntl write lock on `path` (created when
/// missing), for as long as the returned file stays open.
#[allow(dead_code)]
pub fn hold_lock(path: &Path) -> std::fs::File {
    let f = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
        .unwrap();
    // SAFETY: fcntl(F_SETLK) on a descriptor this function owns, with a zeroed flock filled in.
    let held = unsafe {
        let mut fl: libc::flock = std::mem::zeroed();
        fl.l_type = libc::F_WRLCK as libc::c_short;
        fl.l_whence = libc::SEEK_SET as libc::c_short;
        libc::fcntl(std::os::fd::AsRawFd::as_raw_fd(&f), libc::F_SETLK, &fl)
    };
    assert_eq!(held, 0, "could not lock {}", path.display());
    f
}
