//! What an analysis concludes: the [`Report`] and its [`Finding`]s.
//!
//! `--json` prints a `Report` with serde; its shape is versioned by
//! [`REPORT_SCHEMA_VERSION`] and documented in `docs/analyze-json.md`. Fields are only ever
//! added within a version; renaming or removing one bumps it.

use serde::Serialize;

use super::generation::Generation;
use crate::strategies::StrategyName;

/// Version of the JSON shape of [`Report`] (`schema_version` in the output).
pub const REPORT_SCHEMA_VERSION: u32 = 1;

/// The overall conclusion about the input.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// The (last) attach attempt in the input succeeded.
    Attached,
    /// The (last) attach attempt failed.
    Failed,
    /// The attempt was interrupted, killed, or the log stops before any result.
    Incomplete,
    /// Nothing in the input looks like attach or pkg output, or it is another operation's log
    /// (a zone install, onu): see [`LogKind`].
    NotAnAttachLog,
}

/// What the last attempt of the input is the output of.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LogKind {
    /// A zone attach (its log, a terminal transcript, or the pkg output of one).
    #[default]
    Attach,
    /// A `pkg` command typed after an attach (e.g. `pkg -R ZONEROOT uninstall PKG`): the input
    /// ends before the attach was run again.
    Pkg,
    /// A zone install (`zoneadm install`: ipkg `pkgcreatezone`, the solaris brand installer).
    Install,
    /// illumos `onu`: a global-zone boot environment updated from a build's packages.
    Onu,
    /// Nothing recognisable.
    Unknown,
}

impl LogKind {
    pub fn as_str(self) -> &'static str {
        match self {
            LogKind::Attach => "attach",
            LogKind::Pkg => "pkg",
            LogKind::Install => "install",
            LogKind::Onu => "onu",
            LogKind::Unknown => "unknown",
        }
    }

    /// Another operation's log: no attach strategy can answer it.
    pub fn is_other_operation(self) -> bool {
        matches!(self, LogKind::Install | LogKind::Onu)
    }
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Attached => "attached",
            Verdict::Failed => "failed",
            Verdict::Incomplete => "incomplete",
            Verdict::NotAnAttachLog => "not-an-attach-log",
        }
    }
}

/// How much a finding matters.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// One input line kept as proof. `line` is 1-based over the whole input (all files).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Evidence {
    pub line: u64,
    /// The line as text (invalid UTF-8 replaced, control characters removed, capped length).
    pub text: String,
    /// When several files were read as one input: the file holding the line ...
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// ... and the line's number in that file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file_line: Option<u64>,
}

impl Evidence {
    pub fn new(line: u64, text: String) -> Evidence {
        Evidence { line, text, file: None, file_line: None }
    }

    /// Name the file holding the line; `starts`: each file's first line in the whole input
    /// and its name, in input order.
    fn attribute(&mut self, starts: &[(u64, String)]) {
        if let Some((first, name)) = starts.iter().rev().find(|(first, _)| *first <= self.line) {
            self.file = Some(name.clone());
            self.file_line = Some(self.line - first + 1);
        }
    }
}

/// One diagnosed problem (or notable fact) with its proof and remedy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Stable key (see `playbooks/analysis-rules.toml` and docs/analyze-json.md).
    pub key: String,
    pub severity: Severity,
    /// True when this finding by itself explains why the attach failed (false for
    /// symptoms and notes, e.g. "pkg failed" or a harmless warning).
    pub inhibitor: bool,
    pub title: String,
    /// One paragraph in plain words.
    pub explanation: String,
    /// Proof, in input order (bounded; `evidence_omitted` counts the rest).
    pub evidence: Vec<Evidence>,
    pub evidence_omitted: u64,
    pub packages: Vec<String>,
    pub publishers: Vec<String>,
    /// Repository URIs named by the error (unreachable origins …).
    pub origins: Vec<String>,
    pub datasets: Vec<String>,
    pub strategy: Option<StrategyName>,
    /// Exact commands to run next, most useful first.
    pub next_commands: Vec<String>,
}

/// The whole result of one analysis.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Report {
    pub schema_version: u32,
    pub verdict: Verdict,
    /// What the last attempt is the output of (an attach, or another operation's log).
    pub log_kind: LogKind,
    pub generation: Generation,
    pub zone: Option<String>,
    /// The zone root (`<zonepath>/root`) when the log names it.
    pub zone_root: Option<String>,
    /// Where the brand said it logs (`Log File:` / `Progress being logged to`).
    pub log_file: Option<String>,
    /// The global zone's `entire` (e.g. `entire@0.5.11-0.151.0.1`).
    pub gz_entire: Option<String>,
    /// The zone's `entire` before the attach.
    pub zone_entire: Option<String>,
    /// How many attach attempts the input holds; findings describe the last one, or the one
    /// before it when the last only followed it up (see `followed_up_at`).
    pub attempts: u32,
    /// The line of the last command when it only followed up the attempt the findings
    /// describe (a plain attach after a failed `attach -u`, `attach -F`, an attach of a zone
    /// that had attached).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub followed_up_at: Option<u64>,
    /// How that command followed it up (said rather than "followed it up" when it printed
    /// nothing or matched nothing).
    #[serde(skip)]
    pub followed_up_how: FollowedUp,
    pub findings: Vec<Finding>,
    /// The strategy to try next (gentlest remedy that the findings call for).
    pub recommended: Option<StrategyName>,
    /// The finding (key) of a cause outside the image that no strategy fixes: nothing is
    /// recommended while it stands, whatever the other findings call for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub blocked_by: Option<String>,
    /// Every strategy the findings call for, in ladder order.
    pub remedies: Vec<StrategyName>,
    /// For unexplained failures: the lines most likely to matter (errors, rejects …).
    pub notable_lines: Vec<Evidence>,
    /// Last lines of the input (shown for incomplete logs).
    pub tail: Vec<Evidence>,
    pub lines_read: u64,
    /// Packages the release's own `entire` requires and no publisher offers (`Reject:
    /// …/entire@…` then `Reason: … 'require' dependency on PKG`): removing one cannot help,
    /// the update would require it again. For the engine; the findings say it in words.
    #[serde(skip)]
    pub release_requires: Vec<String>,
}

impl Report {
    /// True when at least one finding explains the failure.
    pub fn explained(&self) -> bool {
        self.findings.iter().any(|f| f.inhibitor)
    }

    /// `zonerescue analyze` exit status (see `crate::exit`).
    pub fn exit_code(&self) -> u8 {
        match self.verdict {
            Verdict::Attached => crate::exit::ANALYZE_ATTACHED,
            Verdict::NotAnAttachLog => crate::exit::ANALYZE_UNEXPLAINED,
            Verdict::Failed | Verdict::Incomplete if self.explained() => {
                crate::exit::ANALYZE_DIAGNOSED
            }
            Verdict::Failed | Verdict::Incomplete => crate::exit::ANALYZE_UNEXPLAINED,
        }
    }

    /// Name the file of every evidence line when the input was several files (`starts`: each
    /// file's first line in the whole input and its name).
    pub fn attribute_files(&mut self, starts: &[(u64, String)]) {
        if starts.len() < 2 {
            return;
        }
        let finding_lines = self.findings.iter_mut().flat_map(|f| f.evidence.iter_mut());
        for e in finding_lines.chain(self.notable_lines.iter_mut()).chain(self.tail.iter_mut()) {
            e.attribute(starts);
        }
    }

    /// The finding with this key, if any.
    pub fn finding(&self, key: &str) -> Option<&Finding> {
        self.findings.iter().find(|f| f.key == key)
    }
}

/// How the last command only followed up the attempt a report describes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum FollowedUp {
    /// It repeated or forced what the attempt before had done.
    #[default]
    Echo,
    /// It printed nothing.
    Silent,
    /// It was refused because its patterns matched no installed package: nothing changed.
    MatchedNothing,
}
