//! Snapshot tests: every fixture in testdata/logs/ is analysed, and the human and JSON reports
//! are compared with testdata/logs/expected/<fixture>.{txt,json}. `UPDATE_SNAPSHOTS=1 cargo test
//! --test analyze_snapshots` rewrites them (review the diff before committing).

use std::fs;
use std::path::{Path, PathBuf};

use zonerescue::analysis::{AnalysisContext, Analyzer, RuleSet, render_human};

fn fixtures() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/logs");
    let mut v: Vec<PathBuf> =
        fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).filter(|p| p.is_file()).collect();
    v.sort();
    v
}

fn check(path: &Path, actual: &str, update: bool, failures: &mut Vec<String>) {
    if update {
        fs::write(path, actual).unwrap();
        return;
    }
    match fs::read_to_string(path) {
        Ok(expected) if expected == actual => {}
        Ok(expected) => failures.push(format!(
            "{} differs:\n--- expected\n{expected}\n--- actual\n{actual}",
            path.display()
        )),
        Err(_) => {
            failures.push(format!("{} missing (run with UPDATE_SNAPSHOTS=1)", path.display()))
        }
    }
}

#[test]
fn human_and_json_reports_match_snapshots() {
    let rules = RuleSet::builtin().unwrap();
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some();
    let expected_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/logs/expected");
    let mut failures = Vec::new();
    let all = fixtures();
    assert!(all.len() >= 30, "fixtures missing");
    for f in &all {
        let name = f.file_name().unwrap().to_string_lossy().to_string();
        // One report per zone (a loop over zones pasted whole holds several), in input order.
        let mut analyzer = Analyzer::with_context(&rules, AnalysisContext::default());
        analyzer.consume_reader(fs::File::open(f).unwrap()).unwrap();
        let reports = analyzer.finish_all();
        let human: Vec<String> = reports.iter().map(|r| render_human(r, false)).collect();
        let human = human.join("\n");
        let json: String =
            reports.iter().map(|r| serde_json::to_string_pretty(r).unwrap() + "\n").collect();
        check(&expected_dir.join(format!("{name}.txt")), &human, update, &mut failures);
        check(&expected_dir.join(format!("{name}.json")), &json, update, &mut failures);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
