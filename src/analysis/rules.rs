//! Analysis rules as data: `playbooks/analysis-rules.toml` (embedded) plus optional extra files,
//! compiled once into a `RegexSet` for the per-line test and one `Regex` per pattern for the
//! captures.
//!
//! Rule file format (TOML, `version = 1`), one `[[rules]]` table per rule:
//!
//! | field | meaning |
//! |---|---|
//! | `key` | stable identifier (kebab-case); a later file's rule with the same key replaces the earlier one |
//! | `severity` | `error`, `warning` or `info` |
//! | `inhibitor` | true (default) if this finding by itself explains a failed attach |
//! | `priority` | ordering among findings (higher first, default 50) |
//! | `title`, `explanation` | one line, one paragraph in plain words; `{operation}` in them is what the input is the output of (`attach`, `pkg operation`, `zone install`, `zone boot` …, `operation` when nothing says) |
//! | `in_zone_explanation` | the paragraph used instead when no attach is involved: a zone's own pkg operation, or the global zone's failing in one of its zones (what to do in the zone) |
//! | `patterns` | (may be empty for a finding only produced by a refinement or at the end) regexes (bytes, ASCII classes) tested against each normalised line: `[date]` prefix, `PKG:` marker, CR and surrounding blanks removed. Named groups `package`, `publisher`, `origin`, `dataset`, `zone` capture subjects, `zonepath` the zonepath |
//! | `follow` | also read the next N lines (max 20) of the block as evidence |
//! | `follow_pattern` | regex with the same named groups, applied to those follow lines |
//! | `strategy` | canonical strategy name, or absent for none |
//! | `next` | next-command templates: `{zone}`, `{zoneroot}`, `{zonepath}` (as zoneadm named it, or the zone root's parent), `{gz_entire}`, `{strategy}`, `{packages}`, `{package}`, `{publisher}`, `{origin}`, `{dataset}`, `{log_file}` |
//! | `requires` | only report when one of these keys was also found |
//! | `min_build_gap` | only report when the global zone's build is this much newer than the zone's |
//! | `refine` | name of a built-in refinement: `publisher-scope`, `removed-or-renamed`, `parent-publisher`, `system-repository`, `repository-behind`, `repository-scope` |
//! | `suppresses` | keys made redundant when this one is reported |
//! | `explains` | keys whose hits about this finding's packages it explains (a freeze explains why the frozen package's new version cannot be installed): those packages are taken from them, and one left without packages is not reported |
//! | `ignore_packages` | captured package names that are not subjects (e.g. `entire`); a hit that names only these is not a hit |
//! | `structural` | globs of the release's own packages (`entire`, incorporations) that are never a subject: a hit naming one names the package of the `Reject:` line above it instead, or none |
//! | `subject` | `named` (default): the package the line names; `rejected`: on a `Reason:` line, the package of the `Reject:` line above (the one that needs the named package), unless it is structural |

use std::collections::HashSet;
use std::path::Path;

use regex::bytes::{Regex, RegexBuilder, RegexSet, RegexSetBuilder};
use serde::Deserialize;

use super::markers::{MARKERS, Marker};
use super::scanner::Scanner;

use super::report::Severity;
use crate::playbook::toml_error;
use crate::strategies::StrategyName;

/// The built-in rules, compiled into the binary.
pub const BUILTIN_RULES: &str = include_str!("../../playbooks/analysis-rules.toml");

/// Rule files of this version are understood.
pub const RULES_FORMAT_VERSION: u32 = 1;

/// Longest `follow` a rule may ask for (keeps memory and work per hit bounded).
pub const MAX_FOLLOW: u32 = 20;

/// Errors loading or compiling rules.
#[derive(Debug, thiserror::Error)]
pub enum RuleError {
    // Causes are in the messages, not also sources: printed with its causes, an error would
    // say them twice.
    #[error("cannot read rules file {path}: {error}")]
    Read { path: String, error: std::io::Error },
    #[error("rules file {origin}: {message}")]
    Parse { origin: String, message: String },
    #[error(
        "rules file {origin}: version {found} is not supported (expected {RULES_FORMAT_VERSION})"
    )]
    Version { origin: String, found: u32 },
    #[error("rule '{key}' ({origin}): {problem}")]
    Invalid { origin: String, key: String, problem: String },
    #[error("rule '{key}' ({origin}): bad regex: {error}")]
    Regex { origin: String, key: String, error: Box<regex::Error> },
}

/// Built-in refinements a rule can request by name (logic that a regex cannot express).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Refinement {
    /// Tell a global-zone publisher from a zone-only one (and a disabled global one).
    PublisherScope,
    /// Tell a package removed from the target release from one that was renamed.
    RemovedOrRenamed,
    /// The zone's and the parent image's versions of a package come from different
    /// publishers: align the zone's publishers (zone-publishers) instead of the rule's strategy.
    ParentPublisher,
    /// On Solaris 11 the zone sees the global zone's publishers through the system
    /// repository: what they lack is fixed in the global zone, not by a zone strategy.
    SystemRepository,
    /// An installed incorporation excludes every version of the package asked for, and all of
    /// them are older than it: the repository is behind the installed release
    /// (`repository-behind`), nothing pins the package.
    RepositoryBehind,
    /// The repository that lacks something is the global zone's (Solaris 11's system
    /// repository, or the global zone's own pkg operation): fixed there, not by a zone strategy.
    RepositoryScope,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    version: u32,
    #[serde(default)]
    rules: Vec<RuleDef>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleDef {
    key: String,
    severity: Severity,
    #[serde(default = "default_true")]
    inhibitor: bool,
    #[serde(default = "default_priority")]
    priority: i32,
    title: String,
    explanation: String,
    in_zone_explanation: Option<String>,
    patterns: Vec<String>,
    #[serde(default)]
    follow: u32,
    follow_pattern: Option<String>,
    strategy: Option<String>,
    #[serde(default)]
    next: Vec<String>,
    #[serde(default)]
    requires: Vec<String>,
    min_build_gap: Option<u32>,
    refine: Option<Refinement>,
    #[serde(default)]
    suppresses: Vec<String>,
    #[serde(default)]
    explains: Vec<String>,
    #[serde(default)]
    ignore_packages: Vec<String>,
    #[serde(default)]
    structural: Vec<String>,
    #[serde(default)]
    subject: Subject,
}

/// Which package a hit on a solver `Reason:` line is about.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Subject {
    /// The package the line names.
    #[default]
    Named,
    /// The rejected package (the `Reject:` line above) that needs the named one.
    Rejected,
}

fn default_true() -> bool {
    true
}

fn default_priority() -> i32 {
    50
}

/// One compiled rule.
#[derive(Debug)]
pub struct Rule {
    pub key: String,
    pub severity: Severity,
    pub inhibitor: bool,
    pub priority: i32,
    pub title: String,
    pub explanation: String,
    /// The explanation when no attach is involved: the zone's own pkg operation, or the global
    /// zone's failing in an installed zone (its advice is what to do in the zone).
    pub in_zone_explanation: Option<String>,
    pub strategy: Option<StrategyName>,
    pub next: Vec<String>,
    pub requires: Vec<String>,
    pub min_build_gap: Option<u32>,
    pub refine: Option<Refinement>,
    pub suppresses: Vec<String>,
    pub explains: Vec<String>,
    pub ignore_packages: Vec<String>,
    pub structural: Vec<String>,
    pub subject: Subject,
    pub follow: u32,
    pub follow_pattern: Option<Regex>,
    /// The patterns as written (for `grep -E -f` comparisons and docs).
    pub sources: Vec<String>,
}

/// All rules, compiled once. Cheap to share by reference between analyzers.
#[derive(Debug)]
pub struct RuleSet {
    rules: Vec<Rule>,
    /// Every pattern of every rule, in order; `pattern_rule[i]` is the owning rule.
    set: RegexSet,
    singles: Vec<Regex>,
    pattern_rule: Vec<usize>,
    /// Built-in markers; their patterns follow the rules' patterns in `set`.
    markers: Vec<(Marker, Regex)>,
    /// Finds candidate lines in a whole buffer without looking at each line.
    scanner: Scanner,
}

/// What pattern `i` of the combined set belongs to.
#[derive(Clone, Copy, Debug)]
pub(crate) enum PatternOwner<'a> {
    Rule(usize, &'a Regex),
    Marker(Marker, &'a Regex),
}

impl<'a> PatternOwner<'a> {
    pub fn regex(&self) -> &'a Regex {
        match self {
            PatternOwner::Rule(_, re) | PatternOwner::Marker(_, re) => re,
        }
    }
}

/// Compile a pattern the way every rule pattern is compiled: bytes, no Unicode classes (so
/// `.` and `\S` also match the bytes of EUC-JP / Shift_JIS text), size-limited.
pub(crate) fn compile_pattern(src: &str) -> Result<Regex, regex::Error> {
    RegexBuilder::new(src).unicode(false).size_limit(1 << 22).build()
}

impl RuleSet {
    /// The embedded rules only.
    pub fn builtin() -> Result<RuleSet, RuleError> {
        RuleSet::from_sources(&[("built-in analysis-rules.toml", BUILTIN_RULES)])
    }

    /// The embedded rules plus the rules in `extra` (same format; same keys replace).
    pub fn with_file(extra: &Path) -> Result<RuleSet, RuleError> {
        let read = crate::system::read_config_file(extra, crate::system::CONFIG_LIMIT)
            .and_then(|b| String::from_utf8(b).map_err(|_| std::io::ErrorKind::InvalidData.into()));
        let text =
            read.map_err(|error| RuleError::Read { path: extra.display().to_string(), error })?;
        let origin = extra.display().to_string();
        RuleSet::from_sources(&[("built-in analysis-rules.toml", BUILTIN_RULES), (&origin, &text)])
    }

    /// Rules from several TOML texts `(origin, text)`, later ones overriding earlier keys.
    pub fn from_sources(sources: &[(&str, &str)]) -> Result<RuleSet, RuleError> {
        let mut defs: Vec<(String, RuleDef)> = Vec::new();
        for (origin, text) in sources {
            let file: RuleFile = toml::from_str(text).map_err(|e| RuleError::Parse {
                origin: origin.to_string(),
                message: toml_error(text, &e),
            })?;
            if file.version != RULES_FORMAT_VERSION {
                return Err(RuleError::Version { origin: origin.to_string(), found: file.version });
            }
            for def in file.rules {
                defs.retain(|(_, d)| d.key != def.key);
                defs.push((origin.to_string(), def));
            }
        }
        let mut rules = Vec::with_capacity(defs.len());
        let mut all_patterns = Vec::new();
        let mut singles = Vec::new();
        let mut pattern_rule = Vec::new();
        for (origin, def) in defs {
            let rule = compile_rule(&origin, def)?;
            for src in &rule.sources {
                let re = compile_pattern(src).map_err(|e| RuleError::Regex {
                    origin: origin.clone(),
                    key: rule.key.clone(),
                    error: Box::new(e),
                })?;
                singles.push(re);
                all_patterns.push(src.clone());
                pattern_rule.push(rules.len());
            }
            rules.push(rule);
        }
        let mut markers = Vec::with_capacity(MARKERS.len());
        for (marker, src) in MARKERS {
            let re = compile_pattern(src).map_err(|e| RuleError::Regex {
                origin: "built-in markers".into(),
                key: format!("{marker:?}"),
                error: Box::new(e),
            })?;
            markers.push((*marker, re));
            all_patterns.push((*src).to_string());
        }
        let set_error = |e: regex::Error| RuleError::Regex {
            origin: "rule set".into(),
            key: "*".into(),
            error: Box::new(e),
        };
        let set = RegexSetBuilder::new(&all_patterns)
            .unicode(false)
            .size_limit(1 << 26)
            .build()
            .map_err(set_error)?;
        let scanner =
            Scanner::new(&all_patterns).map_err(|e| set_error(regex::Error::Syntax(e)))?;
        Ok(RuleSet { rules, set, singles, pattern_rule, markers, scanner })
    }

    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    pub fn rule(&self, key: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.key == key)
    }

    pub(crate) fn set(&self) -> &RegexSet {
        &self.set
    }

    /// Who owns pattern `i` of the combined set, with its compiled regex.
    pub(crate) fn owner(&self, i: usize) -> Option<PatternOwner<'_>> {
        if let Some(re) = self.singles.get(i) {
            return Some(PatternOwner::Rule(*self.pattern_rule.get(i)?, re));
        }
        let (m, re) = self.markers.get(i - self.singles.len())?;
        Some(PatternOwner::Marker(*m, re))
    }

    pub(crate) fn scanner(&self) -> &Scanner {
        &self.scanner
    }

    /// Every rule pattern (as written), e.g. for `grep -E -f` in the benchmark.
    pub fn pattern_sources(&self) -> impl Iterator<Item = &str> {
        self.rules.iter().flat_map(|r| r.sources.iter().map(String::as_str))
    }
}

fn compile_rule(origin: &str, def: RuleDef) -> Result<Rule, RuleError> {
    let invalid = |problem: String| RuleError::Invalid {
        origin: origin.to_string(),
        key: def.key.clone(),
        problem,
    };
    if def.key.is_empty()
        || !def.key.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Err(invalid("key must be non-empty kebab-case (a-z, 0-9, -)".into()));
    }
    if def.follow > MAX_FOLLOW {
        return Err(invalid(format!("follow must be at most {MAX_FOLLOW}")));
    }
    let strategy = match def.strategy.as_deref() {
        None | Some("none") => None,
        Some(s) => Some(s.parse::<StrategyName>().map_err(invalid)?),
    };
    let follow_pattern = match &def.follow_pattern {
        None => None,
        Some(src) => Some(compile_pattern(src).map_err(|e| RuleError::Regex {
            origin: origin.to_string(),
            key: def.key.clone(),
            error: Box::new(e),
        })?),
    };
    let mut seen = HashSet::new();
    let sources: Vec<String> =
        def.patterns.into_iter().filter(|p| seen.insert(p.clone())).collect();
    Ok(Rule {
        key: def.key,
        severity: def.severity,
        inhibitor: def.inhibitor,
        priority: def.priority,
        title: def.title,
        explanation: normalise_paragraph(&def.explanation),
        in_zone_explanation: def.in_zone_explanation.as_deref().map(normalise_paragraph),
        strategy,
        next: def.next,
        requires: def.requires,
        min_build_gap: def.min_build_gap,
        refine: def.refine,
        suppresses: def.suppresses,
        explains: def.explains,
        ignore_packages: def.ignore_packages,
        structural: def.structural,
        subject: def.subject,
        follow: def.follow,
        follow_pattern,
        sources,
    })
}

/// TOML multi-line strings keep the file's line breaks; a paragraph is one line.
fn normalise_paragraph(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_rules_compile_and_keys_are_unique() {
        let rs = RuleSet::builtin().unwrap();
        let mut keys = HashSet::new();
        for r in rs.rules() {
            assert!(keys.insert(r.key.clone()), "duplicate key {}", r.key);
        }
        assert!(rs.rules().len() >= 20);
        // Every built-in pattern has a required literal, so big logs take the fast path.
        let slow: Vec<&str> = rs
            .pattern_sources()
            .chain(MARKERS.iter().map(|(_, p)| *p))
            .filter(|p| super::super::scanner::required_literals(p).is_none())
            .collect();
        assert!(slow.is_empty(), "patterns without a required literal: {slow:#?}");
        assert!(rs.scanner().is_literal());
    }

    #[test]
    fn every_builtin_key_is_documented() {
        let doc = include_str!("../../docs/analyze-json.md");
        for r in RuleSet::builtin().unwrap().rules() {
            assert!(
                doc.contains(&format!("| `{}`", r.key)),
                "{} missing in docs/analyze-json.md",
                r.key
            );
        }
    }

    #[test]
    fn extra_rule_overrides_and_adds() {
        let extra = r#"
version = 1
[[rules]]
key = "site-nfs-hang"
severity = "error"
title = "NFS hang"
explanation = "The zone root sits on NFS."
patterns = ['NFS server \S+ not responding']
strategy = "attach"
"#;
        let rs = RuleSet::from_sources(&[("builtin", BUILTIN_RULES), ("extra", extra)]).unwrap();
        let r = rs.rule("site-nfs-hang").unwrap();
        assert_eq!(r.strategy, Some(StrategyName::Attach));
    }

    #[test]
    fn bad_rules_are_errors_not_panics() {
        let bad_regex = "version = 1\n[[rules]]\nkey='x'\nseverity='error'\ntitle='t'\nexplanation='e'\npatterns=['(']\n";
        assert!(matches!(RuleSet::from_sources(&[("t", bad_regex)]), Err(RuleError::Regex { .. })));
        let bad_strategy = "version = 1\n[[rules]]\nkey='x'\nseverity='error'\ntitle='t'\nexplanation='e'\npatterns=['a']\nstrategy='reinstall'\n";
        assert!(matches!(
            RuleSet::from_sources(&[("t", bad_strategy)]),
            Err(RuleError::Invalid { .. })
        ));
        let bad_version = "version = 9\n";
        assert!(matches!(
            RuleSet::from_sources(&[("t", bad_version)]),
            Err(RuleError::Version { .. })
        ));
        let unknown_field = "version = 1\n[[rules]]\nkey='x'\nseverity='error'\ntitle='t'\nexplanation='e'\npatterns=['a']\ncolour='red'\n";
        assert!(matches!(
            RuleSet::from_sources(&[("t", unknown_field)]),
            Err(RuleError::Parse { .. })
        ));
    }
}
