//! `zonerescue analyze [FILE…]`: read logs (files, or `-`/nothing for stdin), print the report.
//! Exit status: 0 attached, 1 diagnosed, 2 usage or I/O error, 3 unexplained (src/exit.rs).

use std::fs::File;
use std::io::{self, IsTerminal, Write};
use std::path::Path;

use anyhow::Context;

use super::{AnalysisContext, Analyzer, RuleSet, render_human};
use crate::cli::{AnalyzeArgs, ColorChoice, GlobalArgs};

pub fn run(args: &AnalyzeArgs, global: &GlobalArgs) -> anyhow::Result<u8> {
    let rules = match &args.rules {
        Some(path) => RuleSet::with_file(path)?,
        None => RuleSet::builtin().context("built-in analysis rules")?,
    };
    let mut analyzer = Analyzer::with_context(&rules, AnalysisContext::default());
    if args.files.is_empty() {
        analyzer.consume_reader(io::stdin().lock()).context("reading standard input")?;
    }
    for f in &args.files {
        if f == Path::new("-") {
            analyzer.consume_reader(io::stdin().lock()).context("reading standard input")?;
        } else {
            let file = File::open(f).with_context(|| format!("cannot open {}", f.display()))?;
            analyzer.consume_reader(file).with_context(|| format!("reading {}", f.display()))?;
        }
    }
    let report = analyzer.finish();
    let mut out = io::stdout().lock();
    let text = if global.json {
        let mut s = serde_json::to_string_pretty(&report).context("encoding the report")?;
        s.push('\n');
        s
    } else {
        render_human(&report, use_color(global.color))
    };
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Ok(()) => {}
        // `zonerescue analyze log | head` is fine.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {}
        Err(e) => return Err(e).context("writing the report"),
    }
    Ok(report.exit_code())
}

fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::env::var("TERM").map_or(true, |t| t != "dumb")
                && io::stdout().is_terminal()
        }
    }
}
