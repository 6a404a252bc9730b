//! Attach-log analysis (`zonerescue analyze`, and the engine's diagnosis between attempts).
//!
//! Public API:
//! - [`RuleSet`]: the rules of `playbooks/analysis-rules.toml` (embedded) plus optional extra
//!   files, compiled once. `RuleSet::builtin()`, `RuleSet::with_file(path)`.
//! - [`Analyzer`]: `Analyzer::new(&rules)` / `with_context(&rules, ctx)`, then
//!   `feed_line(&[u8])` per line (streaming) or `consume_reader(reader)`, then `finish()`.
//! - [`analyze_reader`]: the whole thing in one call.
//! - [`Report`], [`Finding`], [`Verdict`], [`Severity`], [`Evidence`], [`Generation`]: the
//!   result; serialisable (`--json`, schema [`REPORT_SCHEMA_VERSION`], docs/analyze-json.md).
//! - [`AnalysisContext`]: what the engine knows (platform, publishers) to sharpen a diagnosis.
//! - [`keys`]: the finding keys the analyzer itself reasons about; [`build_of`]: the OS build
//!   of an `entire` version.
//!
//! How it works: every rule and built-in marker pattern has a literal that any match must
//! contain; one Aho-Corasick automaton over those literals finds candidate lines in 1 MiB
//! buffers, and only candidate lines are normalised (timestamp prefix, CR, blanks) and matched
//! against the few patterns whose literals they hold. State kept: the current attempt's hits
//! (bounded evidence and subjects per rule), facts (zone, zone root, `entire` versions), a
//! ring of notable lines and the last lines. Memory does not grow with the input.

mod analyzer;
pub mod command;
mod context;
mod encoding;
mod findings;
mod generation;
mod line;
mod markers;
mod render;
mod report;
mod rules;
mod scanner;
mod wrap;

pub use analyzer::{Analyzer, analyze_reader};
pub use context::AnalysisContext;
pub use findings::{build_of, keys, repository_origin};
pub use generation::Generation;
pub use render::render_human;
pub use report::{Evidence, Finding, LogKind, REPORT_SCHEMA_VERSION, Report, Severity, Verdict};
pub use rules::{BUILTIN_RULES, RULES_FORMAT_VERSION, Rule, RuleError, RuleSet};
