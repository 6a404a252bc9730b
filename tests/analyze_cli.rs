//! `zonerescue analyze` as a command: inputs, exit codes, --json, --rules.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

mod sim_support;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/logs").join(name)
}

fn zonerescue(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_zonerescue"))
        .args(args)
        .env_remove("ZONERESCUE_RULES")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    if let Some(bytes) = stdin {
        input.write_all(bytes).unwrap();
    }
    drop(input);
    child.wait_with_output().unwrap()
}

fn path_arg(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn exit_codes_follow_the_verdict() {
    let ok = fixture("solaris11-success.txt");
    let diagnosed = fixture("omnios-postgres-removed.log");
    let unknown = fixture("unknown-failure.log");
    let other = fixture("not-an-attach-log.txt");
    for (file, code) in [(&ok, 0), (&diagnosed, 1), (&unknown, 3), (&other, 3)] {
        let out = zonerescue(&["analyze", "--color", "never", path_arg(file)], None);
        assert_eq!(out.status.code(), Some(code), "{}", file.display());
        assert!(out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
    }
}

#[test]
fn missing_file_and_bad_rules_are_usage_errors() {
    let out = zonerescue(&["analyze", "/nonexistent/zone.attach_log"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("cannot open /nonexistent/zone.attach_log")
    );

    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, "version = 1\n[[rules]]\nkey = 'x'\nseverity = 'error'\ntitle = 't'\nexplanation = 'e'\npatterns = ['(unclosed']\n").unwrap();
    let out = zonerescue(
        &["analyze", "--rules", path_arg(&bad), path_arg(&fixture("solaris11-success.txt"))],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("bad regex"));
}

#[test]
fn stdin_and_dash_are_read() {
    let bytes = std::fs::read(fixture("omnios-postgres-removed.log")).unwrap();
    for args in [&["analyze", "--json"][..], &["analyze", "--json", "-"][..]] {
        let out = zonerescue(args, Some(&bytes));
        assert_eq!(out.status.code(), Some(1));
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["schema_version"], 1);
        assert_eq!(v["verdict"], "failed");
        assert_eq!(v["recommended"], "uninstall");
        assert_eq!(v["findings"][0]["key"], "package-removed");
    }
}

#[test]
fn an_administrator_rule_explains_a_new_failure_without_a_rebuild() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("site.toml");
    std::fs::write(
        &rules,
        r#"version = 1
[[rules]]
key = "site-frobnicator"
severity = "error"
title = "The quux frobnicator is down"
explanation = "Restart it."
patterns = ['quux frobnicator is unavailable']
strategy = "attach"
next = ["svcadm restart frobnicator", "zonerescue --strategy {strategy} {zone}"]
"#,
    )
    .unwrap();
    let log = fixture("unknown-failure.log");
    let before = zonerescue(&["analyze", path_arg(&log)], None);
    assert_eq!(before.status.code(), Some(3));
    let after =
        zonerescue(&["analyze", "--json", "--rules", path_arg(&rules), path_arg(&log)], None);
    assert_eq!(after.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&after.stdout).unwrap();
    assert_eq!(v["findings"][0]["key"], "site-frobnicator");
    assert_eq!(v["findings"][0]["next_commands"][1], "zonerescue --strategy attach odd01");
}

#[test]
fn a_transcript_and_its_log_file_read_together_are_one_attempt() {
    let out = zonerescue(
        &[
            "analyze",
            "--json",
            path_arg(&fixture("omnios-terminal-only.txt")),
            path_arg(&fixture("omnios-postgres-removed.log")),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["recommended"], "uninstall");
    assert_eq!(v["zone"], "pg01");
}

#[test]
fn colour_is_only_used_when_asked() {
    let f = fixture("omnios-postgres-removed.log");
    let plain = zonerescue(&["analyze", "--color", "never", path_arg(&f)], None);
    assert!(!plain.stdout.contains(&0x1b));
    let auto = zonerescue(&["analyze", path_arg(&f)], None); // stdout is a pipe
    assert!(!auto.stdout.contains(&0x1b));
    let coloured = zonerescue(&["analyze", "--color", "always", path_arg(&f)], None);
    assert!(coloured.stdout.contains(&0x1b));
}

#[test]
fn logs_of_several_zones_get_one_report_each_and_the_worst_exit_status() {
    let pg = fixture("omnios-postgres-removed.log");
    let transcript = fixture("omnios-terminal-only.txt");
    let odd = fixture("unknown-failure.log");
    let tools = fixture("solaris11-file-conflict.log");
    // pg01's transcript and log are one attempt even with another zone's log between them.
    let out = zonerescue(
        &["analyze", "--json", path_arg(&transcript), path_arg(&odd), path_arg(&pg)],
        None,
    );
    assert_eq!(out.status.code(), Some(3), "odd01's failure is unexplained");
    let reports: Vec<serde_json::Value> = serde_json::Deserializer::from_slice(&out.stdout)
        .into_iter()
        .collect::<Result<_, _>>()
        .unwrap();
    let zones: Vec<&str> = reports.iter().map(|r| r["zone"].as_str().unwrap()).collect();
    assert_eq!(zones, ["pg01", "odd01"]);
    assert_eq!(reports[0]["recommended"], "uninstall");
    assert_eq!(reports[0]["attempts"], 1);
    assert_eq!(reports[0]["generation"], "omnios");
    assert!(reports[1]["recommended"].is_null());

    let out = zonerescue(&["analyze", "--color", "never", path_arg(&tools), path_arg(&pg)], None);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    let first = text.find(&format!("==> {} <==", tools.display())).expect(&text);
    let second = text.find(&format!("==> {} <==", pg.display())).expect(&text);
    assert!(first < second, "{text}");
    assert!(text[first..second].contains("zonerescue --strategy uninstall tools1"), "{text}");
    assert!(text[second..].contains("Zone:       pg01"), "{text}");
}

#[test]
fn two_files_that_name_no_zone_are_two_reports() {
    let a = fixture("pkg-out-of-date.txt");
    let b = fixture("not-an-attach-log.txt");
    let out = zonerescue(&["analyze", "--json", path_arg(&a), path_arg(&b)], None);
    let reports: Vec<serde_json::Value> = serde_json::Deserializer::from_slice(&out.stdout)
        .into_iter()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(reports.len(), 2, "{}", String::from_utf8_lossy(&out.stdout));
    // Each file's own diagnosis, not a mix.
    let keys = |r: &serde_json::Value| {
        r["findings"].as_array().unwrap().iter().map(|f| f["key"].clone()).collect::<Vec<_>>()
    };
    assert!(keys(&reports[0]).iter().any(|k| k == "pkg-out-of-date"), "{}", reports[0]);
    assert!(!keys(&reports[1]).iter().any(|k| k == "pkg-out-of-date"), "{}", reports[1]);
}

#[test]
fn one_stream_holding_two_zones_logs_is_one_report_per_zone() {
    // `cat` of two zones' logs: each zone its own report, in input order, its zone, root, log
    // and generation its own (the first log is Solaris 11's, the second OmniOS's). Analyze
    // round aa F1: before, only the last zone was reported, its attempts counted 2, and a
    // first zone's failure vanished behind a second one's success.
    let mut bytes = std::fs::read(fixture("solaris11-file-conflict.log")).unwrap();
    bytes.extend(std::fs::read(fixture("omnios-postgres-removed.log")).unwrap());
    let out = zonerescue(&["analyze", "--json"], Some(&bytes));
    assert_eq!(out.status.code(), Some(1));
    let reports: Vec<serde_json::Value> = serde_json::Deserializer::from_slice(&out.stdout)
        .into_iter()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(reports.len(), 2, "{}", String::from_utf8_lossy(&out.stdout));
    let (first, v) = (&reports[0], &reports[1]);
    assert_eq!(first["generation"], "solaris11", "{first}");
    assert_ne!(first["zone"], "pg01", "{first}");
    assert_eq!(first["verdict"], "failed", "{first}");
    assert_eq!(v["attempts"], 1);
    assert_eq!(v["zone"], "pg01");
    assert_eq!(v["zone_root"], "/zones/pg01/root");
    assert!(v["log_file"].as_str().unwrap().starts_with("/var/tmp/pg01.attach_log."), "{v}");
    assert_eq!(v["generation"], "omnios");
}

/// Analyze round aa F1: a loop over zones pasted whole, the first zone failing and the second
/// attaching: the failure is reported (exit 1), not hidden behind the second zone's success.
#[test]
fn a_pasted_loop_over_zones_reports_each_zone() {
    let out =
        zonerescue(&["analyze", path_arg(&fixture("openindiana-for-loop-two-zones.txt"))], None);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("(zone db) <==") && text.contains("(zone www) <=="), "{text}");
    let db = &text[..text.find("(zone www)").unwrap()];
    assert!(db.contains("Verdict:    failed") && db.contains("database/postgres-84"), "{db}");
    assert!(db.contains("1 attempt(s)"), "{db}");
}

/// Realworld ww F1: `tail /var/tmp/*.attach_log.*` heads each excerpt `==> FILE <==` and cuts
/// it from its `Log File:` line. Two zones' excerpts were one attempt of the last zone, the
/// other zone's dead publisher deciding its advice; one zone's two logs were one attempt, the
/// older failure deciding it. Each attach log is an attempt, of the zone it names.
#[test]
fn tail_excerpts_of_several_attach_logs_are_an_attempt_each() {
    let reports = |name: &str| -> Vec<serde_json::Value> {
        let out = zonerescue(&["analyze", "--json", path_arg(&fixture(name))], None);
        // A failure, or one that shows no reason (exit 3): never "attached" (exit 0).
        let code = out.status.code();
        assert!(matches!(code, Some(1 | 3)), "{code:?} {}", String::from_utf8_lossy(&out.stderr));
        serde_json::Deserializer::from_slice(&out.stdout).into_iter().map(Result::unwrap).collect()
    };
    let keys = |r: &serde_json::Value| -> Vec<String> {
        r["findings"].as_array().unwrap().iter().map(|f| f["key"].to_string()).collect()
    };
    // Headed with the full path, or relative as `tail` in the log directory heads them
    // (realworld ww2 F1).
    for file in
        ["omnios-tail-two-zones-attach-logs.txt", "omnios-tail-relative-headers-two-zones.txt"]
    {
        let two = reports(file);
        assert_eq!(two.len(), 2, "{file}: {two:#?}");
        let (mail, web) = (&two[0], &two[1]);
        assert_eq!(mail["zone"], "mail", "{mail}");
        assert_eq!(mail["recommended"], "zone-publishers", "{mail}");
        assert_eq!(web["zone"], "web", "{web}");
        assert_eq!(web["recommended"], "uninstall", "{web}");
        assert!(!keys(web).iter().any(|k| k.contains("publisher-unreachable")), "{web}");
    }
    let s11 = reports("solaris11-tail-relative-headers-two-zones.txt");
    assert_eq!(s11.len(), 2, "{s11:#?}");
    assert_eq!((&s11[0]["zone"], &s11[0]["verdict"]), (&"db".into(), &"failed".into()));
    assert_eq!((&s11[1]["zone"], &s11[1]["verdict"]), (&"app".into(), &"attached".into()));
    let one = reports("omnios-tail-one-zone-two-attach-logs.txt");
    assert_eq!(one.len(), 1, "{one:#?}");
    assert_eq!(one[0]["attempts"], 2, "{}", one[0]);
    assert_eq!(one[0]["recommended"], "uninstall", "{}", one[0]);
    assert!(!keys(&one[0]).iter().any(|k| k.contains("publisher-unreachable")), "{}", one[0]);
}

#[test]
fn omnios_version_syntax_tells_omnios_from_openindiana() {
    // An older OmniOS attach (messages still on the terminal) shares every brand line with
    // OpenIndiana; only the `entire` versions (r151022, r151014) say which it is.
    let log = "Log File: /var/tmp/web.attach_log.aGaOqb\n\
               Attach Path: /zones/web/root\n\
               Attach ZFS Dataset: zones/web/ROOT/zbe\n\
               \n\
               Global zone version: entire@11-0.151022:20170511T002513Z\n\
               Non-Global zone version: entire@11-0.151014:20150417T182430Z\n\
               Cache: Using /var/pkg/publisher.\n\
               Updating non-global zone: Output follows\n\
               ERROR: Could not update attaching zone\n\
               Result: Attach Failed.\n";
    let out = zonerescue(&["analyze", "--json"], Some(log.as_bytes()));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["generation"], "omnios", "{v}");
    let oi =
        log.replace("11-0.151022", "0.5.11-0.151.1.8").replace("11-0.151014", "0.5.11-0.151.1.5");
    let out = zonerescue(&["analyze", "--json"], Some(oi.as_bytes()));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["generation"], "openindiana", "{v}");
}

#[test]
fn evidence_of_several_files_read_as_one_names_its_file() {
    let transcript = fixture("omnios-terminal-only.txt");
    let log = fixture("omnios-postgres-removed.log");
    let first_lines = std::fs::read_to_string(&transcript).unwrap().lines().count() as u64;
    let out = zonerescue(&["analyze", "--json", path_arg(&transcript), path_arg(&log)], None);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let f = &v["findings"][0];
    assert_eq!(f["key"], "package-removed");
    let e = &f["evidence"][0];
    // The line in the whole input, and where it is in its own file.
    assert_eq!(e["file"], path_arg(&log));
    let line = e["line"].as_u64().unwrap();
    assert_eq!(e["file_line"].as_u64().unwrap(), line - first_lines);
    let out =
        zonerescue(&["analyze", "--color", "never", path_arg(&transcript), path_arg(&log)], None);
    let text = String::from_utf8_lossy(&out.stdout);
    let shown = format!("      {}:{}: ", log.display(), line - first_lines);
    assert!(text.contains(&shown), "{text}");
    // One file alone: line numbers as before, no file names.
    let out = zonerescue(&["analyze", "--json", path_arg(&log)], None);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["findings"][0]["evidence"][0].get("file").is_none());
}

/// A program (here zonesim, which holds the brand's own lines as strings) or a part of one
/// is no attach log, whatever strings it happens to contain; NUL padding or terminal control
/// bytes do not make a log binary.
#[test]
fn binary_input_is_not_an_attach_log() {
    let program = std::fs::read(env!("CARGO_BIN_EXE_zonesim")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    // The head of an ELF file with a success line pasted in, as a file and on stdin.
    let mut head = program[..4096].to_vec();
    head.extend_from_slice(b"\n[Tue Nov 15 10:33:16 UTC 2011]    Result: Attach Succeeded.\n");
    let head_file = dir.path().join("bin.log");
    std::fs::write(&head_file, &head).unwrap();
    for (args, stdin) in [
        (vec!["analyze", env!("CARGO_BIN_EXE_zonesim")], None),
        (vec!["analyze", path_arg(&head_file)], None),
        (vec!["analyze"], Some(head.as_slice())),
    ] {
        let out = zonerescue(&args, stdin);
        let text = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(3), "{args:?}: {text}");
        assert!(text.contains("Verdict:    not-an-attach-log"), "{args:?}: {text}");
        assert!(text.contains("binary data, not an attach log"), "{args:?}: {text}");
        assert!(!text.contains("the zone attached"), "{args:?}: {text}");
        let mut json_args = args.clone();
        json_args.insert(1, "--json");
        let out = zonerescue(&json_args, stdin);
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["verdict"], "not-an-attach-log", "{args:?}: {v}");
        assert_eq!(v["findings"][0]["key"], "not-text", "{args:?}: {v}");
        assert!(v["zone"].is_null() && v["recommended"].is_null(), "{args:?}: {v}");
    }

    // Not binary: a log cut short by a crash may end in a block of NUL bytes; a transcript
    // holds a few terminal control bytes. Both are still read as logs.
    let mut padded = std::fs::read(fixture("solaris11-success.txt")).unwrap();
    padded.extend(std::iter::repeat_n(0u8, 64 * 1024));
    let padded_file = dir.path().join("padded.log");
    std::fs::write(&padded_file, &padded).unwrap();
    let mut typed = b"# zoneadm -z web attach -u\x0f\x0e\x07\x08 \x08\n".to_vec();
    typed.extend(std::fs::read(fixture("solaris11-success.txt")).unwrap());
    let typed_file = dir.path().join("typed.txt");
    std::fs::write(&typed_file, &typed).unwrap();
    for f in [&padded_file, &typed_file] {
        let out = zonerescue(&["analyze", "--json", path_arg(f)], None);
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["verdict"], "attached", "{}: {v}", f.display());
        assert_eq!(out.status.code(), Some(0));
    }
}

/// `zonerescue analyze PATH` must end within 30 s (not read or wait for ever), exit 2 and say
/// `why` on stderr.
fn refused_promptly(path: &Path, why: &str) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_zonerescue"))
        .arg("analyze")
        .arg(path)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if start.elapsed() > std::time::Duration::from_secs(30) {
            let _ = child.kill();
            panic!("analyze {} still running after 30 s", path.display());
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    let mut err = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
    assert_eq!(status.code(), Some(2), "{err}");
    assert!(err.contains(&format!("{} {why}", path.display())), "{err}");
}

#[test]
fn a_device_is_refused_not_read_for_ever() {
    refused_promptly(Path::new("/dev/zero"), "is a device, not a log file");
}

/// A named pipe no program writes to is not waited on for ever (the open used to block); one
/// a program writes to is read. A socket and a directory are refused.
#[test]
fn a_fifo_a_socket_or_a_directory_is_refused_not_waited_on() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("zone.attach_log.fifo");
    let c = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    // No program writes to it: read at once as empty (exit 3: nothing recognisable).
    let out =
        Command::new(env!("CARGO_BIN_EXE_zonerescue")).arg("analyze").arg(&fifo).output().unwrap();
    assert_eq!(out.status.code(), Some(3), "{}", String::from_utf8_lossy(&out.stderr));
    // A program writing to it, as `analyze <(gzcat log.gz)` does: its text is read.
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || {
            let log = std::fs::read(fixture("solaris11-success.txt")).unwrap();
            std::fs::write(&fifo, log).unwrap();
        })
    };
    // The writer waits in its open for a reader by then (bash's `<(…)` has the pipe open
    // before the command starts).
    std::thread::sleep(std::time::Duration::from_millis(300));
    let out =
        Command::new(env!("CARGO_BIN_EXE_zonerescue")).arg("analyze").arg(&fifo).output().unwrap();
    writer.join().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let socket = dir.path().join("zone.attach_log.sock");
    let _listener = std::os::unix::net::UnixListener::bind(&socket).unwrap();
    refused_promptly(&socket, "is a socket, not a log file");
    refused_promptly(dir.path(), "is a directory, not a log file");
    // A pipe on standard input is read, as `-` or by default.
    let log = std::fs::read(fixture("solaris11-success.txt")).unwrap();
    for args in [&["analyze", "-"][..], &["analyze"]] {
        assert_eq!(zonerescue(args, Some(&log)).status.code(), Some(0), "{args:?}");
    }
}

/// Round k F3: `analyze /var/tmp/pg01.attach_log.*` gets the logs in the order of their random
/// suffixes. The attempts are read oldest first whatever the order given: the failed attach,
/// then the one after the uninstall that attached. Before, a success sorting first made the
/// verdict "failed, uninstall" for an attached zone.
#[test]
fn one_zones_attach_logs_are_read_in_attempt_order_not_glob_order() {
    let sim = sim_support::Sim::new("omnios-postgres-removed");
    sim.detach("pg01");
    assert_ne!(sim.run("zoneadm", &["-z", "pg01", "attach", "-u"]).code, 0);
    let root = sim.root("pg01");
    let pg = ["database/postgresql-12/contrib", "database/postgresql-12"];
    assert_eq!(sim.run("pkg", &["-R", &root, "uninstall", pg[0], pg[1]]).code, 0);
    assert_eq!(sim.run("zoneadm", &["-z", "pg01", "attach", "-u"]).code, 0);
    let mut logs: Vec<PathBuf> = std::fs::read_dir(sim.dir.join("var/tmp"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().contains("pg01.attach_log."))
        .collect();
    assert_eq!(logs.len(), 2);
    // The failed attempt an hour older; the succeeding one given first.
    let failed = |p: &PathBuf| std::fs::read_to_string(p).unwrap().contains("Attach Failed");
    logs.sort_by_key(|p| failed(p));
    let older = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    std::fs::File::options().write(true).open(&logs[1]).unwrap().set_modified(older).unwrap();
    let args: Vec<&str> =
        ["analyze"].into_iter().chain(logs.iter().map(|p| p.to_str().unwrap())).collect();
    let out = zonerescue(&args, None);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("Verdict:    attached"), "{stdout}");
}

/// Analyze round y F3: a file naming no zone after another zone's log is that zone's only
/// when nothing says otherwise. A tail of an OmniOS failure after an OpenSolaris zone's
/// successful attach (another generation), or after an OmniOS zone's success (one attach
/// succeeded, the other failed), in either order, is a report of its own: the failure is not
/// hidden behind exit 0, and the zone that attached is not told to uninstall another's packages.
#[test]
fn a_file_naming_no_zone_is_not_merged_into_a_zone_it_contradicts() {
    let dir = tempfile::tempdir().unwrap();
    let log = std::fs::read_to_string(fixture("omnios-postgres-removed.log")).unwrap();
    let (head, rest) = log.split_at(log.find("Plan Creation").unwrap());
    // The solver output alone, as pasted from the middle of the log: no zone named.
    let tail = dir.path().join("cut.log");
    let solver: String =
        rest.lines().take_while(|l| !l.starts_with('[')).map(|l| format!("{l}\n")).collect();
    assert!(!solver.contains("pg01") && solver.contains("postgresql"), "{solver}");
    std::fs::write(&tail, &solver).unwrap();
    let omnios_success = dir.path().join("web01.attach_log.Hq81pA");
    std::fs::write(
        &omnios_success,
        head.replace("pg01", "web01")
            + "[Mon Nov 23 09:41:30 UTC 2026]                     Result: Attach Succeeded.\n",
    )
    .unwrap();
    for success in [fixture("opensolaris-b134-success.txt"), omnios_success] {
        for files in [[&success, &tail], [&tail, &success]] {
            let args = ["analyze", "--json", path_arg(files[0]), path_arg(files[1])];
            let out = zonerescue(&args, None);
            let text = String::from_utf8_lossy(&out.stdout);
            let reports: Vec<serde_json::Value> = serde_json::Deserializer::from_slice(&out.stdout)
                .into_iter()
                .collect::<Result<_, _>>()
                .unwrap();
            assert_eq!(reports.len(), 2, "{files:?}: {text}");
            assert_eq!(out.status.code(), Some(1), "{files:?}: {text}");
            let of = |v: &str| reports.iter().find(|r| r["verdict"] == v).expect(&text).clone();
            assert!(of("attached")["zone"].is_string(), "{text}");
            assert!(of("failed")["zone"].is_null(), "{text}");
        }
    }
}

/// Analyze round aa F4: two attach logs of one zone copied by `scp` (no -p) get modification
/// times in glob order, which follows their random suffixes. The later attempt (attached) has
/// the older mtime: the logs' own date stamps decide which attempt was the last, not the mtime
/// (before: the earlier failure was taken for the last attempt, exit 1).
/// Realworld uu F2: the same with the stamps of omnios-build#4152's log (`[July  6, 2026 at
/// 04:52:20 AM UTC]`), which gave no date: the failure was taken for the last attempt.
#[test]
fn copied_attach_logs_are_ordered_by_their_own_date_stamps() {
    for (zone, later_log, earlier_log, its_log_file) in [
        ("pg01", "pg01-later-success.log", "pg01-earlier-failure.log", "Aa0000"),
        (
            "services0",
            "services0-later-success-long-stamps.log",
            "services0-earlier-failure-long-stamps.log",
            "services0.attach_log.Ab12Cd",
        ),
    ] {
        copied_logs_ordered(zone, later_log, earlier_log, its_log_file);
    }
}

/// The two copies, the later attempt with the older modification time: `its_log_file` is how
/// the report names the later one.
fn copied_logs_ordered(zone: &str, later_log: &str, earlier_log: &str, its_log_file: &str) {
    let dir = tempfile::tempdir().unwrap();
    let later = dir.path().join(format!("{zone}.attach_log.Aa0000"));
    let earlier = dir.path().join(format!("{zone}.attach_log.Zz9999"));
    std::fs::copy(fixture(&format!("copied-attempts/{later_log}")), &later).unwrap();
    std::fs::copy(fixture(&format!("copied-attempts/{earlier_log}")), &earlier).unwrap();
    let now = std::time::SystemTime::now();
    let set = |p: &Path, t: std::time::SystemTime| {
        std::fs::File::options().write(true).open(p).unwrap().set_modified(t).unwrap();
    };
    set(&later, now - std::time::Duration::from_secs(100));
    set(&earlier, now);
    let out = zonerescue(&["analyze", "--json", path_arg(&earlier), path_arg(&later)], None);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!((v["verdict"].as_str(), v["attempts"].as_u64()), (Some("attached"), Some(2)), "{v}");
    assert_eq!(out.status.code(), Some(0));
    assert!(v["log_file"].as_str().unwrap().ends_with(its_log_file), "{v}");
}

/// realworld kk F2: a log saved as UTF-16 (Windows PowerShell 5.1's `>`, Notepad's "Unicode",
/// with or without its byte-order mark) read as "nothing recognisable". It reads as the same
/// log in UTF-8: same verdict, findings and recommendation, from a file and from stdin.
#[test]
fn a_log_saved_as_utf16_reads_as_the_log() {
    let findings = |out: &Output| {
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let keys: Vec<String> = v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| format!("{} {} {}", f["key"], f["strategy"], f["packages"]))
            .collect();
        (v["verdict"].clone(), v["zone_root"].clone(), keys, out.status.code())
    };
    for name in ["omnios-postgres-removed.log", "solaris11-publisher-mismatch.log"] {
        let text = std::fs::read_to_string(fixture(name)).unwrap().replace('\n', "\r\n");
        let want = findings(&zonerescue(&["analyze", "--json", path_arg(&fixture(name))], None));
        assert_eq!(want.0, "failed", "{name}");
        for (bom, little) in [(true, true), (false, true), (true, false)] {
            let mut bytes = Vec::new();
            let units = std::iter::once(0xfeff).filter(|_| bom).chain(text.encode_utf16());
            for u in units {
                bytes.extend(if little { u.to_le_bytes() } else { u.to_be_bytes() });
            }
            let dir = tempfile::tempdir().unwrap();
            let file = dir.path().join("attach.log");
            std::fs::write(&file, &bytes).unwrap();
            let got = findings(&zonerescue(&["analyze", "--json", path_arg(&file)], None));
            assert_eq!(got, want, "{name} bom={bom} little={little}");
            let piped = findings(&zonerescue(&["analyze", "--json", "-"], Some(&bytes)));
            assert_eq!(piped, want, "{name} from stdin");
        }
    }
}
