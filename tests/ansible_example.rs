//! examples/ansible without Ansible: every command line site.yml runs is extracted from the YAML
//! (as text), run against a simulated host, and its output checked against the report fields
//! the example's README documents.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

const ZR: &str = env!("CARGO_BIN_EXE_zonerescue");
const ZS: &str = env!("CARGO_BIN_EXE_zonesim");

fn example(file: &str) -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/ansible").join(file);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// One `ansible.builtin.command` task: its argv items and its `loop:` expression, if any.
#[derive(Debug)]
struct CommandTask {
    argv: Vec<String>,
    looped: Option<String>,
}

fn unquote(s: &str) -> String {
    let s = s.trim();
    s.strip_prefix('"')
        .and_then(|r| r.strip_suffix('"'))
        .or_else(|| s.strip_prefix('\'').and_then(|r| r.strip_suffix('\'')))
        .unwrap_or(s)
        .to_string()
}

fn indent(l: &str) -> usize {
    l.len() - l.trim_start().len()
}

/// Line-based: tasks start with `- name:`; a command task has `argv:` followed by `- item`
/// lines indented deeper. Rejects `shell:` and free-form `cmd:` (the example must be argv-only).
fn command_tasks(yaml: &str) -> Vec<CommandTask> {
    let lines: Vec<&str> = yaml.lines().filter(|l| !l.trim_start().starts_with('#')).collect();
    let mut tasks = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let t = lines[i].trim_start();
        assert!(
            !t.starts_with("ansible.builtin.shell") && !t.starts_with("shell:"),
            "the example must not use a shell: {t}"
        );
        if t.starts_with("ansible.builtin.command:") || t == "command:" {
            let task_indent = indent(lines[i]);
            let mut task = CommandTask { argv: Vec::new(), looped: None };
            let mut j = i + 1;
            while j < lines.len() && (lines[j].trim().is_empty() || indent(lines[j]) >= task_indent)
            {
                let l = lines[j].trim_start();
                if l.starts_with("- name:") && indent(lines[j]) <= task_indent {
                    break;
                }
                if l == "argv:" {
                    let argv_indent = indent(lines[j]);
                    j += 1;
                    while j < lines.len() && indent(lines[j]) > argv_indent {
                        let item = lines[j].trim_start();
                        let item = item
                            .strip_prefix("- ")
                            .unwrap_or_else(|| panic!("not a list item: {item}"));
                        task.argv.push(unquote(item));
                        j += 1;
                    }
                    continue;
                }
                assert!(!l.starts_with("cmd:"), "command tasks must use argv: {l}");
                if let Some(v) = l.strip_prefix("loop:") {
                    task.looped = Some(unquote(v));
                }
                j += 1;
            }
            assert!(!task.argv.is_empty(), "a command task without argv at line {}", i + 1);
            tasks.push(task);
            i = j;
        } else {
            i += 1;
        }
    }
    tasks
}

/// `- \`name\`: …` bullets under the README heading `heading`.
fn documented_fields(readme: &str, heading: &str) -> Vec<String> {
    readme
        .lines()
        .skip_while(|l| !l.starts_with(heading))
        .skip(1)
        .take_while(|l| !l.starts_with("## "))
        .filter_map(|l| l.strip_prefix("- `"))
        .filter_map(|l| l.split_once('`').map(|(f, _)| f.to_string()))
        .collect()
}

fn init(dir: &Path, scenario: &str) {
    let scn = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/scenarios").join(scenario);
    let out = Command::new(ZS)
        .arg("init")
        .arg(&scn)
        .arg(dir)
        .env_remove("ZONESIM_ROOT")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

/// The playbook's argv with `{{ zonerescue_bin }}` as zonerescue pointed at the simulated host
/// and `{{ item }}` as `item`; any other template is an error (the test would not know it).
fn host_argv(argv: &[String], sim: &Path, item: Option<&str>) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for a in argv {
        if a == "{{ zonerescue_bin }}" {
            out.push(PathBuf::from(ZR));
            out.push("--command-dir".into());
            out.push(sim.join("bin"));
            out.push("--system-root".into());
            out.push(sim.to_path_buf());
            out.push("--state-dir".into());
            out.push(sim.join("state"));
        } else if a == "{{ item }}" {
            out.push(item.expect("{{ item }} outside a loop").into());
        } else {
            assert!(!a.contains("{{"), "unknown template in argv: {a}");
            out.push(a.into());
        }
    }
    out
}

fn run(argv: &[PathBuf]) -> (i32, String) {
    let (prog, args) = argv.split_first().unwrap();
    assert_eq!(prog, Path::new(ZR), "the playbook must start zonerescue first: {argv:?}");
    let out = Command::new(prog)
        .args(args)
        .env_remove("ZONESIM_ROOT")
        .env_remove("ZONERESCUE_STRATEGY")
        .env_remove("ZONERESCUE_YES")
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.code().is_some(),
        "{argv:?} was killed; stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code().unwrap_or(-1), stdout)
}

/// Looks `path` (`a.b`, `zones[].c`) up; for `[]` every element must have the rest.
fn has_field(v: &Value, path: &str) -> bool {
    match path.split_once('.') {
        None => match path.strip_suffix("[]") {
            Some(p) => v.get(p).is_some_and(Value::is_array),
            None => v.get(path).is_some(),
        },
        Some((head, rest)) => match head.strip_suffix("[]") {
            Some(h) => v
                .get(h)
                .and_then(Value::as_array)
                .is_some_and(|a| !a.is_empty() && a.iter().all(|e| has_field(e, rest))),
            None => v.get(head).is_some_and(|e| has_field(e, rest)),
        },
    }
}

#[test]
fn playbook_commands_run_against_the_simulator_and_match_the_documented_schema() {
    let tasks = command_tasks(&example("site.yml"));
    let readme = example("README.md");
    let all_fields = documented_fields(&readme, "## The `--all --json` report");
    let summary_fields = documented_fields(&readme, "## Per-zone rescue output");
    assert!(all_fields.len() >= 10, "README documents too few --all fields: {all_fields:?}");
    assert!(
        summary_fields.len() >= 4,
        "README documents too few summary fields: {summary_fields:?}"
    );

    let survey: Vec<&CommandTask> =
        tasks.iter().filter(|t| t.argv.iter().any(|a| a == "--all")).collect();
    let rescue: Vec<&CommandTask> = tasks.iter().filter(|t| t.looped.is_some()).collect();
    assert_eq!(survey.len(), 1, "one survey command: {tasks:?}");
    assert_eq!(rescue.len(), 1, "one looped rescue command: {tasks:?}");
    assert_eq!(rescue[0].looped.as_deref(), Some("{{ zonerescue_rescue_zones }}"));
    for t in &tasks {
        assert!(t.argv.iter().any(|a| a == "--json"), "every command reports JSON: {t:?}");
    }

    let sim = tempfile::tempdir().unwrap();
    init(sim.path(), "omnios-two-zones.toml");

    // Survey, then the rescue of one zone (as with zonerescue_rescue_zones: [web02]), then the
    // survey again: the rescued zone is now fine.
    let check_survey = |expect_web02: &str| {
        let (code, out) = run(&host_argv(&survey[0].argv, sim.path(), None));
        let v: Value = serde_json::from_str(&out)
            .unwrap_or_else(|e| panic!("not one JSON object ({e}): {out}"));
        for f in &all_fields {
            assert!(has_field(&v, f), "documented field {f} missing: {out}");
        }
        assert_eq!(v["schema_version"], 1);
        assert_eq!(v["exit_status"], code);
        let web02 = v["zones"].as_array().unwrap().iter().find(|z| z["zone"] == "web02").unwrap();
        assert_eq!(web02["status"], expect_web02);
    };
    check_survey("needs-rescue");

    let (code, out) = run(&host_argv(&rescue[0].argv, sim.path(), Some("web02")));
    assert_eq!(code, 0, "web02 attaches with a plain attach -u: {out}");
    let events: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not a JSON line ({e}): {l}")))
        .collect();
    assert!(events.iter().all(|e| e["schema"] == 1 && e["event"].is_string()), "{out}");
    let summary = events.last().unwrap();
    for f in &summary_fields {
        assert!(has_field(summary, f), "documented summary field {f} missing: {summary}");
    }
    assert_eq!(summary["event"], "summary");
    assert_eq!(summary["result"], "attached");
    check_survey("fine");
    // Cm ww F3: the play's `changed_when` reads the summary's snapshots (a run changes nothing
    // before its snapshot): one for the rescue, none for the next play on the attached zone
    // (`rc == 0` called that changed on every play).
    let site = example("site.yml");
    assert!(site.contains("| last | from_json).snapshots"), "changed_when reads snapshots");
    assert!(!summary["snapshots"].as_array().unwrap().is_empty(), "{summary}");
    let (code, out) = run(&host_argv(&rescue[0].argv, sim.path(), Some("web02")));
    let again: Value = serde_json::from_str(out.lines().last().unwrap()).unwrap();
    assert_eq!(code, 0, "{out}");
    assert_eq!(again["snapshots"], serde_json::json!([]), "{again}");
}

#[test]
fn the_extractor_finds_argv_and_rejects_shells() {
    let yaml = "- name: a\n  ansible.builtin.command:\n    argv:\n      - \"{{ zonerescue_bin }}\"\n      - --all\n  register: x\n- name: b\n  ansible.builtin.command:\n    argv:\n      - z\n  loop: \"{{ zs }}\"\n";
    let t = command_tasks(yaml);
    assert_eq!(t.len(), 2);
    assert_eq!(t[0].argv, ["{{ zonerescue_bin }}", "--all"]);
    assert_eq!(t[0].looped, None);
    assert_eq!(t[1].looped.as_deref(), Some("{{ zs }}"));
    let shell = std::panic::catch_unwind(|| {
        command_tasks("- name: s\n  ansible.builtin.shell: zonerescue --all\n")
    });
    assert!(shell.is_err());
}

/// Docs jj F3: the example's default binary is where the package installs it (it named
/// /usr/sbin, the manifest delivers usr/bin: the survey task failed on every host).
#[test]
fn the_default_binary_is_where_the_package_puts_it() {
    let manifest = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("packaging/zonerescue.p5m"),
    )
    .unwrap();
    let path = manifest
        .lines()
        .find_map(|l| {
            l.split(' ')
                .find_map(|w| w.strip_prefix("path="))
                .filter(|p| p.ends_with("/zonerescue"))
        })
        .expect("the manifest delivers the binary");
    let default = format!("zonerescue_bin: /{path}");
    assert!(example("site.yml").contains(&default), "{default}");
    assert!(example("README.md").contains(&format!("`zonerescue_bin` (default `/{path}`)")));
}
