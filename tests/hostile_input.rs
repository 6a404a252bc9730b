//! Hostile input: zone names, symlinked logs, corrupt journals and playbooks, non-UTF-8
//! arguments. Each gets a clear error and a non-zero exit, never a panic, and a bad zone name
//! runs no command at all (the simulator's audit.log records every command it ran).

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::process::Output;

mod sim_support;
use sim_support::Sim;

const ZONE: &str = "pg01";

/// The simulated host (the world directory is `.dir`).
fn host() -> Sim {
    Sim::new("omnios-postgres-removed")
}

fn run<I, S>(dir: &Path, args: I) -> (Output, String)
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let out = sim_support::zonerescue(dir)
        .args(args)
        .env_remove("ZONESIM_SPEED")
        .env_remove("ZONERESCUE_PLAYBOOK")
        .output()
        .unwrap();
    let text =
        format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(!text.contains("panicked"), "panic:\n{text}");
    (out, text)
}

fn audit(dir: &Path) -> Vec<u8> {
    std::fs::read(dir.join("audit.log")).unwrap_or_default()
}

/// Hostile jj F6: an invalid zone name is a usage error (exit 2) for a rescue as for every
/// subcommand, said once (it exited 3, "invalid zone name: invalid zone name …").
#[test]
fn an_invalid_zone_name_is_a_usage_error_everywhere() {
    let d = host();
    for args in
        [&["--yes", "we b"][..], &["resume", "we b"], &["status", "we b"], &["rollback", "we b"]]
    {
        let (out, text) = run(&d.dir, args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {text}");
        assert_eq!(text.matches("invalid zone name").count(), 1, "{args:?}: {text}");
    }
}

#[test]
fn hostile_zone_names_are_refused_before_any_command() {
    let d = host();
    let long = "a".repeat(65);
    let names: Vec<&[u8]> = vec![
        b"../x",
        b"a;rm -rf /",
        b"global",
        long.as_bytes(),
        "z\u{f6}ne".as_bytes(),
        b"",
        b"-x",
        b"\xff\xfe",
    ];
    for name in names {
        let before = audit(&d.dir);
        let (out, text) = run(&d.dir, [OsStr::new("--yes"), OsStr::from_bytes(name)]);
        let shown = String::from_utf8_lossy(name);
        assert_ne!(out.status.code(), Some(0), "{shown:?} accepted:\n{text}");
        assert!(out.status.code().is_some(), "{shown:?}: killed by a signal");
        assert!(
            text.to_lowercase().contains("zone") || text.contains("error"),
            "{shown:?}: no clear message:\n{text}"
        );
        assert_eq!(audit(&d.dir), before, "{shown:?}: a command ran:\n{text}");
    }
}

#[test]
fn symlinked_attach_log_is_never_followed() {
    let d = host();
    let secret = d.dir.join("secret");
    let marker = "SECRET-MARKER-7f3a9c";
    std::fs::write(&secret, format!("ERROR: {marker}\n")).unwrap();
    let var_tmp = d.dir.join("var/tmp");
    std::fs::create_dir_all(&var_tmp).unwrap();
    std::os::unix::fs::symlink(&secret, var_tmp.join(format!("{ZONE}.attach_log.evil"))).unwrap();
    std::os::unix::fs::symlink("/etc/passwd", var_tmp.join(format!("{ZONE}.attach_log.passwd")))
        .unwrap();
    let (_, text) = run(&d.dir, ["--yes", ZONE]);
    let (_, json) = run(&d.dir, ["--json", "status", ZONE]);
    for out in [&text, &json] {
        assert!(!out.contains(marker), "symlink target leaked:\n{out}");
        assert!(!out.contains("root:x:0:0") && !out.contains("root:*:0:0"), "passwd leaked");
    }
    assert_eq!(std::fs::read_to_string(&secret).unwrap(), format!("ERROR: {marker}\n"));
}

#[test]
fn corrupt_journal_gives_a_clear_error() {
    let d = host();
    let dir = d.dir.join("state").join(ZONE);
    std::fs::create_dir_all(&dir).unwrap();
    for garbage in [&b"{garbage"[..], b"", b"\xff\xfe\x00", b"[1,2,3]", b"{\"schema\": 99}"] {
        std::fs::write(dir.join("journal.json"), garbage).unwrap();
        for cmd in ["status", "resume"] {
            let before = audit(&d.dir);
            let (out, text) = run(&d.dir, ["--yes", cmd, ZONE]);
            assert_ne!(out.status.code(), Some(0), "{cmd} {garbage:?}:\n{text}");
            assert!(out.status.code().is_some(), "{cmd}: killed by a signal");
            assert!(text.contains("journal"), "{cmd} {garbage:?}: unclear:\n{text}");
            if cmd == "resume" {
                assert_eq!(audit(&d.dir), before, "resume ran commands on a corrupt journal");
            }
        }
    }
}

/// Ops round aa F6: a journal that cannot be parsed blocked every way back. `rollback --to`
/// names its snapshot, so it rolls back without it (the journal left as it is, for the GZ
/// publishers it may record); the listing works from the system; a plain rollback and pruning,
/// which need it, refuse with no command run and say what does without it.
#[test]
fn corrupt_journal_leaves_rollback_to_and_the_listing_working() {
    let d = host();
    let pkgs = |d: &Sim| d.run("pkg", &["-R", &d.root(ZONE), "list", "-H"]).stdout;
    let before = pkgs(&d);
    let (out, text) = run(&d.dir, ["--yes", ZONE]);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert_ne!(pkgs(&d), before, "the rescue changed nothing to roll back");
    let path = d.dir.join("state").join(ZONE).join("journal.json");
    let journal: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    let pre = journal["pre_snapshot"].as_str().unwrap().to_string();
    let bytes = std::fs::read(&path).unwrap();
    let truncated = &bytes[..bytes.len() / 2];
    std::fs::write(&path, truncated).unwrap();
    let world = |d: &Sim| {
        let snaps = d.run("zfs", &["list", "-H", "-t", "snapshot", "-o", "name"]).stdout;
        (snaps, d.state(ZONE), pkgs(d))
    };
    for cmd in [&["rollback", ZONE, "--yes"][..], &["snapshots", ZONE, "--prune", "--yes"]] {
        let was = world(&d);
        let (out, text) = run(&d.dir, cmd);
        assert_eq!(out.status.code(), Some(2), "{cmd:?}:\n{text}");
        assert!(text.contains("--to SNAPSHOT"), "{cmd:?}: no way on:\n{text}");
        assert_eq!(world(&d), was, "{cmd:?} changed the host");
    }
    let (out, text) = run(&d.dir, ["snapshots", ZONE]);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains(&pre) && text.contains("is corrupt"), "{text}");
    // Regression round dd F3: a script pruning by `keep` must not lose the way back.
    let (out, _) = run(&d.dir, ["--json", "snapshots", ZONE]);
    let listed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let listed = listed.as_array().unwrap();
    let kept = |name: &str| listed.iter().find(|s| s["name"] == name).map(|s| s["keep"].clone());
    assert_eq!(kept(&pre), Some(serde_json::Value::Bool(true)), "{listed:?}");
    assert!(listed.iter().any(|s| s["keep"] == false), "rung snapshots kept too: {listed:?}");
    let short = pre.split_once('@').unwrap().1;
    let (out, text) = run(&d.dir, ["rollback", ZONE, "--yes", "--to", short]);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains("pkg publisher -H -F tsv"), "GZ publishers unchecked unsaid:\n{text}");
    assert_eq!(d.state(ZONE), "configured");
    assert_eq!(pkgs(&d), before, "the image is not as before the rescue");
    assert_eq!(std::fs::read(&path).unwrap(), truncated, "the unreadable journal was replaced");
}

/// `--yes --playbook NAME ZONE` with `content` in NAME: a usage error (exit 2) before any
/// command ran; its output.
fn refused_playbook(d: &Sim, name: &str, content: &[u8]) -> String {
    let path = d.dir.join(name);
    std::fs::write(&path, content).unwrap();
    let before = audit(&d.dir);
    let (out, text) = run(
        &d.dir,
        [OsStr::new("--yes"), OsStr::new("--playbook"), path.as_os_str(), OsStr::new(ZONE)],
    );
    assert_eq!(out.status.code(), Some(2), "{name}:\n{text}");
    assert_eq!(audit(&d.dir), before, "{name}: a command ran");
    text
}

#[test]
fn corrupt_playbook_is_a_usage_error_naming_the_file() {
    let d = host();
    for (name, content) in [
        ("binary.toml", &b"\xff\xfe garbage [["[..]),
        ("garbage.toml", b"[[[ this is = not toml"),
        ("empty-key.toml", b"= 1\n"),
    ] {
        let text = refused_playbook(&d, name, content);
        assert!(text.contains(name), "{name}: file not named:\n{text}");
    }
    // Ops round y F3: values a run would hand to pkg are checked when the playbook is read
    // (a URI with a space passed, and the run stopped on it after detaching the zone).
    let omnios = include_str!("../playbooks/omnios.toml");
    let uri = "https://pkg.omnios.org/r151046/core/";
    for (name, content, says) in [
        ("space.toml", omnios.replacen(uri, &format!("{uri} -r"), 1), "character ' '"),
        ("scheme.toml", omnios.replacen(uri, "--proxy=http://x/", 1), "only http://"),
        // Worlds round z F3: a port no port is, an unclosed IPv6 address, no build at all.
        (
            "port.toml",
            omnios.replacen(uri, "https://pkg.omnios.org:99999/r151046/core/", 1),
            "port",
        ),
        ("ipv6.toml", omnios.replacen(uri, "http://[fe80::1/r151046/core/", 1), "IPv6"),
        ("builds.toml", omnios.replacen("builds = [151046]", "builds = [0]", 1), "builds must"),
        (
            "publisher.toml",
            omnios.replacen("publisher = \"omnios\"", "publisher = \"-r\"", 1),
            "publisher name",
        ),
        (
            "version.toml",
            omnios.replacen("[incremental]", "[incremental]\nversions = [\"-r\"]", 1),
            "not a version",
        ),
    ] {
        assert_ne!(content, omnios, "{name}: nothing replaced");
        let text = refused_playbook(&d, name, content.as_bytes());
        assert!(text.contains(name) && text.contains(says), "{name}:\n{text}");
    }
    let (out, text) = run(&d.dir, ["--yes", "--playbook", "/nonexistent/playbook.toml", ZONE]);
    assert_eq!(out.status.code(), Some(2), "{text}");
    assert!(text.contains("/nonexistent/playbook.toml"), "{text}");
}

#[test]
fn non_utf8_arguments_are_errors_not_panics() {
    let d = host();
    let bad = OsStr::from_bytes(b"\xc3\x28");
    for args in [
        vec![OsStr::new("--strategy"), bad, OsStr::new(ZONE)],
        vec![OsStr::new("status"), bad],
        vec![OsStr::new("rollback"), bad],
        vec![OsStr::new("analyze"), bad],
        vec![bad],
    ] {
        let (out, text) = run(&d.dir, &args);
        assert_ne!(out.status.code(), Some(0), "{args:?}:\n{text}");
        assert!(out.status.code().is_some(), "{args:?}: killed by a signal");
        assert!(!text.trim().is_empty(), "{args:?}: no message");
    }
}

#[test]
fn a_playbook_for_another_platform_is_refused_when_the_host_says_so_for_certain() {
    let d = host();
    let book = |p: &str| format!("{}/playbooks/{p}.toml", env!("CARGO_MANIFEST_DIR"));
    // An OmniOS zone (brand lipkg): a Solaris 11 playbook cannot be right.
    let (out, text) = run(&d.dir, ["--yes", "--json", "--playbook", &book("solaris11"), ZONE]);
    assert_eq!(out.status.code(), Some(3), "{text}");
    assert!(
        text.contains("the playbook is for solaris11, but this host looks like omnios"),
        "{text}"
    );
    let audited = String::from_utf8_lossy(&audit(&d.dir)).into_owned();
    assert!(!audited.contains("\"snapshot\""), "nothing is done on a refused playbook");
    // OpenIndiana or OmniOS is only a guess from names: warned, and the playbook is used.
    let (out, text) =
        run(&d.dir, ["--yes", "--json", "--dry-run", "--playbook", &book("openindiana"), ZONE]);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains("\"key\":\"playbook.platform-mismatch\",\"severity\":\"low\""), "{text}");
}

#[test]
fn a_new_run_keeps_an_unreadable_journal_aside_instead_of_overwriting_it() {
    let d = host();
    let dir = d.dir.join("state").join(ZONE);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("journal.json"), b"{garbage").unwrap();
    let (out, text) = run(&d.dir, ["--yes", "--json", ZONE]);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains("\"key\":\"journal.unreadable\""), "{text}");
    let kept: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with("journal.unreadable-"))
        .collect();
    assert_eq!(kept.len(), 1, "{text}");
    assert_eq!(std::fs::read(kept[0].path()).unwrap(), b"{garbage");
    // The new run's journal is readable again.
    let (out, text) = run(&d.dir, ["--json", "status", ZONE]);
    assert_eq!(out.status.code(), Some(0), "{text}");
}

/// Ops round t F9: a playbook or rule file that is a device or a named pipe is refused at
/// once, not read until memory runs out (`/dev/zero`) or waited on for ever (a FIFO).
#[test]
fn a_playbook_or_rule_file_that_is_no_regular_file_is_refused() {
    let d = host();
    let fifo = d.dir.join("fifo");
    mkfifo(&fifo);
    let log = sim_support::scenario("omnios-postgres-removed");
    for f in [Path::new("/dev/zero"), &fifo] {
        let (out, text) =
            run(&d.dir, [OsStr::new("--playbook"), f.as_os_str(), "--yes".as_ref(), ZONE.as_ref()]);
        assert_eq!(out.status.code(), Some(2), "{text}");
        assert!(text.contains("not a regular file"), "{text}");
        let (out, text) = run(
            &d.dir,
            [OsStr::new("analyze"), "--rules".as_ref(), f.as_os_str(), log.as_os_str()],
        );
        assert_eq!(out.status.code(), Some(2), "{text}");
        assert!(text.contains("not a regular file"), "{text}");
    }
    assert!(audit(&d.dir).is_empty(), "a command ran");
}

/// `zonerescue ARGS…`, which must end within 30 s: killed and failed otherwise.
fn run_within(dir: &Path, args: &[&str]) -> (Option<i32>, String) {
    let mut child = sim_support::zonerescue(dir)
        .args(args)
        .env_remove("ZONESIM_SPEED")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while child.try_wait().unwrap().is_none() {
        if std::time::Instant::now() > deadline {
            child.kill().unwrap();
            panic!("zonerescue {args:?} still running after 30 s");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let out = child.wait_with_output().unwrap();
    let text =
        format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(!text.contains("panicked"), "panic:\n{text}");
    (out.status.code(), text)
}

fn mkfifo(path: &Path) {
    let c = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
    // SAFETY: mkfifo with a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
}

/// Ops round y F2: a named pipe in place of the journal, the lock or the in-flight record
/// blocked every subcommand in open() for ever (a run holding the zone's lock with it). Each
/// is refused at once as no regular file; an in-flight record that is none names no process.
#[test]
fn a_named_pipe_in_the_state_directory_is_refused_not_waited_on() {
    let d = host();
    let (code, text) = run_within(&d.dir, &["--yes", ZONE]);
    assert_eq!(code, Some(0), "{text}");
    let dir = d.dir.join("state").join(ZONE);
    let journal = dir.join("journal.json");
    std::fs::rename(&journal, dir.join("journal.kept")).unwrap();
    mkfifo(&journal);
    for args in [&["status", ZONE][..], &["snapshots", ZONE], &["rollback", "--yes", ZONE]] {
        let (code, text) = run_within(&d.dir, args);
        assert_eq!(code, Some(2), "{args:?}: {text}");
        assert!(text.contains("not a regular file"), "{args:?}: {text}");
    }
    std::fs::remove_file(&journal).unwrap();
    std::fs::rename(dir.join("journal.kept"), &journal).unwrap();
    let lock = dir.join("lock");
    let _ = std::fs::remove_file(&lock);
    mkfifo(&lock);
    let (code, text) = run_within(&d.dir, &["rollback", "--yes", ZONE]);
    assert_ne!(code, Some(0), "{text}");
    assert!(text.contains("not a regular file"), "{text}");
    // Hostile jj F3: the cause is said once (it was printed twice in the error's chain).
    assert_eq!(text.matches("not a regular file").count(), 1, "{text}");
    std::fs::remove_file(&lock).unwrap();
    mkfifo(&dir.join("child"));
    let (code, text) = run_within(&d.dir, &["rollback", "--yes", ZONE]);
    assert_eq!(code, Some(0), "{text}");
}

/// Ops round aa F4: with `--json`, a command stopped by an error (a playbook that cannot be
/// read, a journal that cannot be read) still ends stdout with its summary, result `error`;
/// before, stdout was empty (exit 2).
#[test]
fn json_output_ends_with_a_summary_even_on_errors() {
    let d = host();
    let last = |out: &Output| -> serde_json::Value {
        let text = String::from_utf8_lossy(&out.stdout);
        let line = text.lines().last().unwrap_or_else(|| panic!("empty stdout"));
        serde_json::from_str(line).unwrap()
    };
    let missing = d.dir.join("no-such-playbook.toml");
    let (out, text) = run(
        &d.dir,
        [
            OsStr::new("--json"),
            "--yes".as_ref(),
            "--playbook".as_ref(),
            missing.as_os_str(),
            ZONE.as_ref(),
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{text}");
    let s = last(&out);
    assert_eq!(
        (&s["event"], &s["result"], &s["zone"]),
        (&"summary".into(), &"error".into(), &ZONE.into()),
        "{s}"
    );
    let dir = d.dir.join("state").join(ZONE);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("journal.json"), b"{\"format\": 1, \"run_id\": ").unwrap();
    for (args, event) in [
        (vec!["--json", "rollback", "--yes", ZONE], "rollback-summary"),
        (vec!["--json", "snapshots", "--prune", "--yes", ZONE], "prune-summary"),
    ] {
        let (out, text) = run(&d.dir, &args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {text}");
        let s = last(&out);
        assert_eq!((&s["event"], &s["result"]), (&event.into(), &"error".into()), "{s}");
    }
    let (out, text) = run(&d.dir, ["--json", "status", ZONE]);
    assert_eq!(out.status.code(), Some(2), "{text}");
    let s = last(&out);
    assert!(s["journal"].is_null() && s["error"].is_string(), "{s}");
}

/// Hostile jj F1: a global-zone publisher whose name or origin zonerescue will not pass to pkg
/// (a name starting with `-`, an `ftp://` origin) was checked only when gz-publishers built its
/// command: the installed zone had been snapshotted, detached and two rungs applied, and the
/// run stopped with an error, the zone left detached. Preflight refuses it, nothing changed.
#[test]
fn a_publisher_value_no_command_may_carry_is_refused_before_anything_changes() {
    let text = std::fs::read_to_string(sim_support::scenario("s11express-b111-web")).unwrap();
    let bad_name = text
        .replace("name = \"extra\"", "name = \"-extra\"")
        .replace("publisher = \"extra\"", "publisher = \"-extra\"");
    let bad_origin = text.replace("http://pkg.example.net/extra/", "ftp://pkg.example.net/extra/");
    for (world, value) in [(bad_name, "-extra"), (bad_origin, "ftp://pkg.example.net/extra/")] {
        let sim = Sim::from_text(&world);
        let before = sim.state("web01");
        let (out, text) = run(&sim.dir, ["--yes", "--json", "--strategy", "auto", "web01"]);
        assert_eq!(out.status.code(), Some(3), "{text}");
        assert!(text.contains("publisher.unusable") && text.contains(value), "{text}");
        assert_eq!(sim.state("web01"), before, "{text}");
        let changed = sim_support::audit(&sim.dir).into_iter().any(|a| {
            a.argv.iter().any(|x| {
                ["detach", "snapshot", "set-publisher", "unset-publisher"].contains(&x.as_str())
            })
        });
        assert!(!changed, "{text}");
    }
}

/// Hostile jj F2: an escape sequence (an OSC "set window title" and a BEL) in a global-zone
/// publisher's name as `pkg publisher` prints it, and in a zone name given on the command
/// line. Before, findings, the plan, the `--all` table and the summary heading printed it raw
/// to the root operator's terminal. Now no output stream carries a raw control character.
#[test]
fn control_characters_from_the_host_or_argv_never_reach_the_terminal_raw() {
    let sim = Sim::new("s11express-minor-update");
    let path = sim.dir.join("world.json");
    let mut w: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    w["global"]["image"]["publishers"].as_array_mut().unwrap().push(serde_json::json!({
        "name": "ev\u{1b}]0;PWNED\u{7}il", "origins": ["http://pkg.example.net/evil/"],
        "enabled": false, "sticky": true, "syspub": false
    }));
    std::fs::write(&path, serde_json::to_vec(&w).unwrap()).unwrap();
    let listed = sim.run("pkg", &["publisher", "-H"]).stdout;
    assert!(listed.contains('\u{1b}'), "the host prints it raw: {listed:?}");
    for args in [
        &["--color", "never", "--dry-run", "db01"][..],
        &["--color", "never", "--all"],
        &["--color", "never", "--yes", "--strategy", "auto", "x\u{1b}]0;PWNED\u{7}"],
    ] {
        let (_, text) = run(&sim.dir, args);
        assert!(
            !text.chars().any(|c| c.is_control() && c != '\n' && c != '\t'),
            "{args:?}: {text:?}"
        );
        assert!(text.contains("PWNED"), "{args:?}: the name is still shown: {text}");
    }
}

/// Hostile uu F1, F2: advice printed to paste runs nothing hidden in the names it quotes. A
/// package named by a log inside a template's own quotes (`'depend::{package}'`) ended up
/// bare, a zone root read from a log kept its `>` (a redirection, as root), and the
/// `config.differs` `cp -p` lines left the zone's own file names unquoted. Each command is
/// pasted into `sh` with pkg, zonerescue and cp doing nothing: no marker file appears.
#[test]
fn advice_to_paste_runs_nothing_hidden_in_a_name() {
    let t = tempfile::tempdir().unwrap();
    let web = t.path().join("web.attach_log.ABCDEF");
    std::fs::write(
        &web,
        "[Fri Oct  1 09:12:40 UTC 2021] Log File: /var/tmp/web.attach_log.ABCDEF\n\
         [Fri Oct  1 09:12:40 UTC 2021]                Attach Path: /zones/web/root\n\
         [Fri Oct  1 09:12:42 UTC 2021]   Updating non-global zone: Output follows\n\
         PKG: install --accept pkg://omnios/entire@11-151030.0\n\
         pkg uninstall: Unable to remove 'a$(touch${IFS}PWNED-subst)x@1.0' due to the following \
         packages that depend on it:\n  pkg://omnios/system/library@0.5.11-151030.0\n\
         [Fri Oct  1 09:13:15 UTC 2021] ERROR: Could not update attaching zone\n\
         [Fri Oct  1 09:13:15 UTC 2021]                     Result: Attach Failed.\n",
    )
    .unwrap();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/logs/omnios-attach-openssl-required-by-core-library.log");
    let pg = t.path().join("pg01.log");
    let text = std::fs::read_to_string(fixture).unwrap();
    assert!(text.contains("Attach Path: /zones/pg01/root"));
    std::fs::write(
        &pg,
        text.replace(
            "Attach Path: /zones/pg01/root",
            "Attach Path: /zones/pg01/root>PWNED-redirect",
        ),
    )
    .unwrap();
    let mut pasted = Vec::new();
    for log in [&web, &pg] {
        let (_, out) = run(t.path(), [OsStr::new("analyze"), log.as_os_str()]);
        pasted.extend(next_commands(&out));
    }
    // The config.differs advice of image-create on a zone with a hostile file name in /etc.
    let sim = Sim::new("s11express-orphaned-core");
    let etc = sim.dir.join("zones/legacy01/root/etc");
    std::fs::write(etc.join("a;touch PWNED-cp;b"), "x\n").unwrap();
    let (events, _) = sim_support::rescue_json(&sim.dir, "legacy01", &["--allow-destructive"]);
    let differs = sim_support::finding(&events, "config.differs");
    let cps: Vec<String> = differs["remediation"]
        .as_str()
        .unwrap_or_default()
        .lines()
        .chain(differs["detail"].as_str().unwrap_or_default().lines())
        .filter(|l| l.trim_start().starts_with("cp -p "))
        .map(|l| l.trim().to_string())
        .collect();
    assert!(cps.iter().any(|c| c.contains("PWNED-cp")), "{differs}");
    pasted.extend(cps);
    assert!(pasted.len() > 3, "{pasted:?}");
    for line in &pasted {
        let st = std::process::Command::new("/bin/sh")
            .arg("-c")
            .arg(format!("pkg() {{ :; }}; zonerescue() {{ :; }}; cp() {{ :; }}; {line}"))
            .current_dir(t.path())
            .status()
            .unwrap();
        let _ = st;
    }
    for m in ["PWNED-subst", "PWNED-redirect", "PWNED-cp"] {
        assert!(!t.path().join(m).exists(), "pasting created {m}: {pasted:#?}");
    }
}

/// The commands under each `Next:` of `zonerescue analyze`'s report.
fn next_commands(out: &str) -> Vec<String> {
    let mut cmds = Vec::new();
    let mut inside = false;
    for l in out.lines() {
        if l.trim_start().starts_with("Next:") {
            inside = true;
        } else if inside && l.starts_with("      ") {
            cmds.push(l.trim().to_string());
        } else {
            inside = false;
        }
    }
    cmds
}
