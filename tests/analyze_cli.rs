//! `zonerescue analyze` as a command: inputs, exit codes, --json, --rules.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

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
