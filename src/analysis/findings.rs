//! From what the analyzer collected to a [`Report`]: verdict, conditions (`requires`,
//! `min_build_gap`), refinements, synthetic findings, templates, recommendation.

use regex::bytes::{Captures, Regex};

use super::analyzer::{Attempt, Facts, MAX_EVIDENCE, MAX_SUBJECTS, package_stem, push_unique};
use super::context::AnalysisContext;
use super::generation::Generation;
use super::line::{display, package_subject, subject};
use super::report::{
    Evidence, Finding, FollowedUp, LogKind, REPORT_SCHEMA_VERSION, Report, Verdict,
};
use super::rules::{Refinement, Rule, RuleSet};
use crate::commands::Version;
use crate::playbook::Playbook;
use crate::strategies::StrategyName;

/// Well-known keys the analyzer itself produces or reasons about (they must exist in the
/// rules; if an administrator removes one, that conclusion is simply not reported).
pub mod keys {
    pub const INTERRUPTED: &str = "interrupted";
    pub const LOG_TRUNCATED: &str = "log-truncated";
    pub const LOG_ELSEWHERE: &str = "log-elsewhere";
    pub const UNKNOWN_FAILURE: &str = "unknown-failure";
    pub const PUBLISHER_UNREACHABLE_GZ: &str = "publisher-unreachable-gz";
    pub const PUBLISHER_UNREACHABLE_ZONE: &str = "publisher-unreachable-zone";
    pub const GZ_PUBLISHER_DISABLED: &str = "gz-publisher-disabled";
    pub const PACKAGE_RENAMED: &str = "package-renamed";
    pub const REPOSITORY_BEHIND: &str = "repository-behind";
    pub const INSTALL_LOG: &str = "install-log";
    pub const GLOBAL_ZONE_PKG: &str = "global-zone-pkg";
    pub const ZONE_PKG: &str = "zone-pkg";
    pub const ONU_LOG: &str = "onu-log";
    pub const NOT_TEXT: &str = "not-text";
    pub const LINKED_CHILD_FAILED: &str = "linked-child-failed";
    pub const PKG_SESSION: &str = "pkg-session";
    pub const ZONE_SYSREPO_UNREACHABLE: &str = "zone-sysrepo-unreachable";
    pub const SVR4_ZONE: &str = "svr4-zone";
    pub const ZONE_ALREADY_INSTALLED: &str = "zone-already-installed";
    pub const ZONE_RUNNING: &str = "zone-running";
    pub const ATTACH_FORCED: &str = "attach-forced";
    pub const ATTACH_ERROR_LINE: &str = "attach-error-line";
    pub const UPDATE_REQUIRED: &str = "update-required";
    pub const UNINSTALL_BLOCKED: &str = "uninstall-blocked";
    pub const ACTION_CONFLICT: &str = "action-conflict";

    /// A package the administrator froze: unfreezing it is the fix, which no rung makes, and
    /// removing what requires it (one level up a `require` chain) leaves the freeze in the
    /// incorporation's way (realworld vv F1: uninstall of PHP was recommended). analyze
    /// recommends no strategy while it stands; the engine goes on (a new image has no freeze).
    pub const BEFORE_ANY_RECOMMENDATION: [&str; 1] = ["package-frozen"];

    /// Rule keys (the "datasets, ZBEs, zone state" rules) that no strategy can fix: the
    /// engine stops on them, and analyze recommends no strategy while one stands.
    pub const OUTSIDE_THE_IMAGE: [&str; 19] = [
        // Still held after the repeated attaches (recover.rs): another zoneadm's operation.
        "zone-busy",
        // Who runs zoneadm and where, a global-zone process in the zone root, the publishers'
        // signature policy: the operator's to fix.
        "not-privileged",
        "zoneadm-wrong-context",
        "zone-root-busy",
        "signature-policy-failed",
        // An installed package held to a sticky publisher of the zone's: `set-publisher
        // --non-sticky` is the fix, which no rung makes (zone-publishers would unset a publisher
        // that answers, uninstall remove an application that may stay).
        "publisher-sticky",
        // A faulted pool or device.
        "io-error",
        // zoneadm's own checks of the zone's configuration, and another host's claim on it.
        "zone-verify-failed",
        "zone-in-use-elsewhere",
        // Solaris 11's system repository serves the zone's publishers: its service, not them.
        "sysrepo-unavailable",
        // Files a sparse zone shares from the global zone: installed there, not in the zone.
        "sparse-zone-exclusions",
        "zonepath-not-zfs",
        "zbe-not-mounted",
        "zbe-none-active",
        "zbe-multiple-active",
        "no-image",
        "gzbe-unknown",
        "sparse-zone",
        "out-of-space",
    ];
}

/// The findings of an unreachable repository (any scope).
const UNREACHABLE: [&str; 4] = [
    "publisher-unreachable",
    keys::PUBLISHER_UNREACHABLE_GZ,
    keys::PUBLISHER_UNREACHABLE_ZONE,
    keys::GZ_PUBLISHER_DISABLED,
];

/// Hits of one rule in the current attempt.
#[derive(Debug, Clone)]
pub(crate) struct Acc {
    pub rule: usize,
    pub evidence: Vec<Evidence>,
    pub omitted: u64,
    pub packages: Vec<String>,
    pub publishers: Vec<String>,
    pub origins: Vec<String>,
    pub datasets: Vec<String>,
}

impl Acc {
    pub fn new(rule: usize) -> Acc {
        Acc {
            rule,
            evidence: Vec::new(),
            omitted: 0,
            packages: Vec::new(),
            publishers: Vec::new(),
            origins: Vec::new(),
            datasets: Vec::new(),
        }
    }

    pub fn add_evidence(&mut self, n: u64, raw: &[u8]) {
        self.push_evidence(Evidence::new(n, display(raw)));
    }

    pub fn push_evidence(&mut self, e: Evidence) {
        if self.evidence.last().is_some_and(|last| last.line == e.line) {
            return;
        }
        if self.evidence.len() < MAX_EVIDENCE {
            self.evidence.push(e);
        } else {
            self.omitted += 1;
        }
    }

    pub fn add_package(&mut self, p: String) {
        push_unique(&mut self.packages, p);
    }

    /// Take the named groups `package`, `publisher`, `origin`, `dataset` of `re` on `line`.
    pub fn add_captures(&mut self, re: &Regex, line: &[u8]) {
        if let Some(c) = re.captures(line) {
            self.add_subjects(&c, true);
        }
    }

    /// Take the named groups of one match (`package` only when `with_package`).
    pub fn add_subjects(&mut self, c: &Captures, with_package: bool) {
        let get = |name: &str| c.name(name).and_then(|m| subject(m.as_bytes()));
        let package = c.name("package").and_then(|m| package_subject(m.as_bytes()));
        if let Some(p) = package.filter(|_| with_package) {
            push_unique(&mut self.packages, p);
        }
        if let Some(p) = get("publisher") {
            push_unique(&mut self.publishers, p);
        }
        if let Some(o) = get("origin") {
            push_unique(&mut self.origins, repository_origin(&o));
        }
        if let Some(d) = get("dataset") {
            push_unique(&mut self.datasets, d);
        }
    }
}

pub(crate) struct FindingBuilder<'a> {
    pub rules: &'a RuleSet,
    pub ctx: &'a AnalysisContext,
    pub facts: &'a Facts,
    pub generation: Generation,
    /// The input is a pkg operation on the global zone's own image (a `pkg` command typed
    /// without `-R`, no zone named): advice for the global zone, no zone strategy.
    pub gz_image: bool,
    /// The input is a pkg operation of a zone's own image, typed in the zone (`zlogin ZONE
    /// pkg …`, a zlogin session) or shown by pkg to be a zone's: the zone is attached, no
    /// zone strategy; the zone's commands run in it.
    pub zone_image: bool,
    /// The input is the global zone's pkg operation, and its sync of a zone (a linked child,
    /// named) failed: no attach failed, the zone is installed; no zone strategy, and the
    /// zone's commands run in it (`zlogin ZONE pkg …`).
    pub linked_child: bool,
    /// The input is nothing but a `pkg` command typed without `-R` (in the global zone, or
    /// inside a zone) and its output, with no attach in sight: when it shows no error, there
    /// is no attach to judge (see [`keys::PKG_SESSION`]).
    pub pkg_session: bool,
}

/// OpenSolaris b134: the last release whose repository still carries the SUNW* renames.
const LAST_OPENSOLARIS_BUILD: u32 = 134;

/// The repository a pkg request URL belongs to: transport errors name the request
/// (`http://host/repo/catalog/1/catalog.attrs`), the publisher is configured with its origin
/// (`http://host/repo/`). Cut at the first pkg depot operation in the path.
pub fn repository_origin(url: &str) -> String {
    const OPS: [&str; 7] =
        ["/catalog/", "/versions/", "/manifest/", "/file/", "/publisher/", "/status/", "/search/"];
    let scheme_end = url.find("://").map_or(0, |p| p + 3);
    let cut = OPS.iter().filter_map(|op| url[scheme_end..].find(op).map(|p| p + scheme_end)).min();
    match cut {
        Some(p) => format!("{}/", &url[..p]),
        None => url.to_string(),
    }
}

/// The OS build an `entire` version belongs to: `0.5.11-0.151.0.1` → 151,
/// `0.5.11-0.175.1.0.0.24.2` → 175, `11-151046.0` → 151046.
pub fn build_of(entire: &str) -> Option<u32> {
    let version = entire.rsplit_once('@').map_or(entire, |(_, v)| v);
    // Logs may carry more after the version (timestamps, `Size:` fields of a flattened
    // `pkg info`): only the part before the timestamp is needed for the build.
    let version = version.split([':', ' ', '\t']).next()?;
    Version::parse(version).ok()?.os_build()?.try_into().ok()
}

impl FindingBuilder<'_> {
    fn rule(&self, key: &str) -> Option<(usize, &Rule)> {
        self.rules.rules().iter().enumerate().find(|(_, r)| r.key == key)
    }

    /// How far the zone is behind, in OpenSolaris-build units (what `min_build_gap` counts).
    /// OmniOS builds are release numbers two apart with an LTS every 8, and OmniOS supports
    /// upgrading at most one LTS cycle at a time; counting its gap double makes "beyond one
    /// LTS cycle" (10 or more, e.g. r151038 → r151050) reach version-jump's 20, while a
    /// supported LTS-to-LTS step (8) stays below it.
    fn build_gap(&self) -> Option<u32> {
        let gz = build_of(self.facts.gz_entire.as_deref()?)?;
        let zone = build_of(self.facts.zone_entire.as_deref()?)?;
        let gap = gz.checked_sub(zone)?;
        Some(if self.generation == Generation::Omnios { gap.saturating_mul(2) } else { gap })
    }

    pub fn build(
        self,
        attempt: Attempt,
        attempts: u32,
        notable: Vec<Evidence>,
        tail: Vec<Evidence>,
        lines_read: u64,
    ) -> Report {
        let mut accs = attempt.accs.clone();
        // The packages the failure names (before a freeze's finding explains some away).
        let named: Vec<String> = accs
            .iter()
            .filter(|a| self.rules.rules().get(a.rule).is_some_and(|r| r.key != "package-frozen"))
            .flat_map(|a| a.packages.iter().cloned())
            .collect();
        self.refine(&mut accs);
        self.child_through_sysrepo(&mut accs);
        self.apply_explained(&mut accs);
        // Before the conditions: a finding another one explains must not imply a third
        // (an exclusion's no-solution does not make a version jump).
        self.apply_suppression(&mut accs);
        self.apply_conditions(&mut accs);

        let key_of = |a: &Acc| self.rules.rules().get(a.rule).map(|r| r.key.as_str());
        let has = |accs: &[Acc], k: &str| accs.iter().any(|a| key_of(a) == Some(k));
        let inhibitor = |accs: &[Acc]| {
            accs.iter().any(|a| self.rules.rules().get(a.rule).is_some_and(|r| r.inhibitor))
        };
        let interrupted = has(&accs, keys::INTERRUPTED);
        let anything = attempt.started || attempt.has_content() || !accs.is_empty();

        let other_operation = attempt.kind.is_other_operation();
        let verdict = if other_operation {
            // A zone install or onu: whatever it shows, it is no attach to rescue.
            Verdict::NotAnAttachLog
        } else if attempt.outcome == Some(true) && !interrupted {
            Verdict::Attached
        } else if interrupted {
            Verdict::Incomplete
        } else if attempt.outcome == Some(false) || attempt.error_lines || inhibitor(&accs) {
            Verdict::Failed
        } else if attempt.pkg_success && attempt.kind != LogKind::Pkg {
            Verdict::Attached
        } else if self.pkg_session {
            // A pkg command of its own that reported no error (done, nothing to do, or cut
            // short while it worked): no attach was run, none stopped short.
            Verdict::NotAnAttachLog
        } else if anything {
            Verdict::Incomplete
        } else {
            Verdict::NotAnAttachLog
        };

        match verdict {
            Verdict::Attached => {
                // Errors of an attempt that still succeeded were survivable: keep notes only.
                accs.retain(|a| self.rules.rules().get(a.rule).is_some_and(|r| !r.inhibitor));
            }
            Verdict::Incomplete if !interrupted => {
                // The input ends with a pkg command (or its output): the attach was not run
                // again after it, which is what to do next.
                if attempt.brand_lines || attempt.kind == LogKind::Pkg {
                    self.add_synthetic(&mut accs, keys::LOG_TRUNCATED, &tail);
                } else {
                    // pkg output only, no brand line: a terminal transcript whose reasons
                    // went to the brand's log file (OmniOS prints nothing else).
                    self.add_synthetic(&mut accs, keys::LOG_ELSEWHERE, &[]);
                }
            }
            Verdict::NotAnAttachLog if attempt.not_text => {
                self.add_synthetic(&mut accs, keys::NOT_TEXT, &[]);
            }
            Verdict::NotAnAttachLog if self.pkg_session => {
                self.add_synthetic(&mut accs, keys::PKG_SESSION, &attempt.kind_lines);
            }
            Verdict::NotAnAttachLog if other_operation => {
                let key = match attempt.kind {
                    LogKind::Onu => keys::ONU_LOG,
                    _ => keys::INSTALL_LOG,
                };
                self.add_synthetic(&mut accs, key, &attempt.kind_lines);
            }
            Verdict::Failed if !inhibitor(&accs) => {
                self.add_synthetic(&mut accs, keys::UNKNOWN_FAILURE, &notable);
                // A global zone's pkg command printed its own errors: there is no brand log.
                let brand_log =
                    !attempt.brand_lines || (self.facts.log_file.is_some() && !attempt.dated_lines);
                if brand_log
                    && !self.gz_image
                    && !self.zone_image
                    && !self.linked_child
                    && attempt.zoneadm_verb.is_none()
                {
                    self.add_synthetic(&mut accs, keys::LOG_ELSEWHERE, &[]);
                }
            }
            _ => {}
        }

        // Both say what failed: nothing did in a pkg session without errors.
        let failed = !matches!(verdict, Verdict::Attached | Verdict::NotAnAttachLog);
        if self.gz_image && failed {
            let lines = if attempt.kind_lines.is_empty() {
                &attempt.parent_lines
            } else {
                &attempt.kind_lines
            };
            self.add_synthetic(&mut accs, keys::GLOBAL_ZONE_PKG, lines);
        }
        if self.linked_child && failed {
            self.add_synthetic(&mut accs, keys::LINKED_CHILD_FAILED, &attempt.parent_lines);
        }
        if self.zone_image && failed {
            self.add_synthetic(&mut accs, keys::ZONE_PKG, &attempt.kind_lines);
        }
        self.apply_suppression(&mut accs);
        // The global zone's first publisher did not answer: every strategy needs it.
        let primary_down = accs.iter().find_map(|a| {
            let r = self.rules.rules().get(a.rule)?;
            self.primary_unreachable(r, a).map(|_| r.key.clone())
        });
        let mut findings: Vec<(i32, Finding)> =
            accs.iter().filter_map(|a| self.finding(a).map(|f| (self.priority(a), f))).collect();
        findings.sort_by(|(pa, fa), (pb, fb)| {
            pb.cmp(pa).then_with(|| first_line(fa).cmp(&first_line(fb)))
        });
        let mut findings: Vec<Finding> = findings.into_iter().map(|(_, f)| f).collect();
        self.solver_ran_after_a_refresh(&mut findings, attempt.solver_line);
        frozen_aside(&mut findings, &named);
        let operation = self.operation(&attempt);
        for f in &mut findings {
            f.title = f.title.replace("{operation}", operation);
            f.explanation = f.explanation.replace("{operation}", operation);
        }
        // A Solaris 10 zone: zonerescue's strategies do not apply to it.
        let svr4 = findings.iter().any(|f| f.key == keys::SVR4_ZONE);
        // Another zoneadm subcommand (boot, detach …): no attach to rescue either.
        let not_attach = attempt.zoneadm_verb.is_some();
        if other_operation || self.linked_child || self.zone_image || svr4 || not_attach {
            // What failed in another operation may be named, but no attach strategy answers it.
            for f in &mut findings {
                f.strategy = None;
                f.next_commands.retain(|c| !c.starts_with("zonerescue --strategy"));
            }
        }

        // A plain attach whose check also printed the solver's answer: `attach -u` would meet
        // the same answer, so the remedies that answer calls for come first (round x F4).
        let solver_remedy = findings
            .iter()
            .any(|f| f.key != keys::UPDATE_REQUIRED && f.inhibitor && f.strategy.is_some());
        if solver_remedy {
            for f in findings.iter_mut().filter(|f| f.key == keys::UPDATE_REQUIRED) {
                f.strategy = None;
                f.next_commands.retain(|c| !c.starts_with("zonerescue --strategy"));
            }
        }
        let mut remedies: Vec<StrategyName> =
            findings.iter().filter(|f| f.inhibitor).filter_map(|f| f.strategy).collect();
        remedies.sort();
        remedies.dedup();
        // A cause no strategy fixes (a full pool, a busy zone root) stands before every
        // remedy: the others' strategies would fail on it again (the engine stops there too).
        // It is kept also when no other finding calls for a strategy (`--all` says so). So is
        // the global zone's own first publisher not answering.
        let blocked_by = findings
            .iter()
            .find(|f| {
                f.inhibitor
                    && f.strategy.is_none()
                    && (keys::OUTSIDE_THE_IMAGE.contains(&f.key.as_str())
                        || keys::BEFORE_ANY_RECOMMENDATION.contains(&f.key.as_str()))
            })
            .map(|f| f.key.clone())
            .or(primary_down);
        let recommended = if blocked_by.is_some() { None } else { remedies.first().copied() };
        let explained = findings.iter().any(|f| f.inhibitor);

        Report {
            schema_version: REPORT_SCHEMA_VERSION,
            verdict,
            log_kind: match verdict {
                Verdict::NotAnAttachLog if !other_operation && !self.pkg_session => {
                    LogKind::Unknown
                }
                _ => attempt.kind,
            },
            generation: self.generation,
            zone: self.zone(),
            zone_root: self.zone_root(),
            log_file: self.facts.log_file.clone(),
            gz_entire: self.facts.gz_entire.clone(),
            zone_entire: self.facts.zone_entire.clone(),
            attempts: attempts.max(u32::from(anything)),
            followed_up_at: None,
            followed_up_how: FollowedUp::Echo,
            findings,
            recommended,
            blocked_by,
            remedies,
            notable_lines: if explained || verdict == Verdict::Attached {
                Vec::new()
            } else {
                notable
            },
            tail: if verdict == Verdict::Attached { Vec::new() } else { tail },
            lines_read,
            release_requires: self.facts.release_requires.clone(),
        }
    }

    /// A Solaris 11 zone's catalog refresh that failed while the global zone's operation
    /// synced it: the zone reaches every publisher through the global zone's system
    /// repository, so that service's access to the repository failed (a proxy only the
    /// shell's environment knows), not the zone's publishers.
    fn child_through_sysrepo(&self, accs: &mut Vec<Acc>) {
        if !self.linked_child || self.generation != Generation::Solaris11 {
            return;
        }
        let Some((ri, _)) = self.rule(keys::ZONE_SYSREPO_UNREACHABLE) else { return };
        let is_unreachable = |a: &Acc| {
            self.rules.rules().get(a.rule).is_some_and(|r| UNREACHABLE.contains(&r.key.as_str()))
        };
        let mut into = Acc::new(ri);
        let mut moved = false;
        for a in accs.iter_mut().filter(|a| is_unreachable(a)) {
            merge(&mut into, std::mem::replace(a, Acc::new(a.rule)));
            moved = true;
        }
        if moved {
            accs.retain(|a| {
                !a.evidence.is_empty() || !a.packages.is_empty() || !a.publishers.is_empty()
            });
            accs.push(into);
        }
    }

    fn priority(&self, a: &Acc) -> i32 {
        self.rules.rules().get(a.rule).map_or(0, |r| r.priority)
    }

    fn zone(&self) -> Option<String> {
        self.ctx.zone.clone().or_else(|| self.facts.zone.clone())
    }

    fn zone_root(&self) -> Option<String> {
        // Every supported brand keeps the zone's image at <zonepath>/root.
        (self.ctx.zone_root.clone().or_else(|| self.facts.zone_root.clone())).or_else(|| {
            self.facts.zonepath.as_ref().map(|p| format!("{}/root", p.trim_end_matches('/')))
        })
    }

    /// The zonepath: as zoneadm named it, or the zone root's parent.
    fn zonepath(&self) -> Option<String> {
        self.facts.zonepath.clone().or_else(|| {
            self.zone_root()?.strip_suffix("/root").filter(|p| !p.is_empty()).map(str::to_string)
        })
    }

    /// What the input is the output of, for a title or explanation's `{operation}`.
    fn operation(&self, attempt: &Attempt) -> &'static str {
        let attach = attempt.attach_typed
            || attempt.outcome.is_some()
            || attempt.brand_lines
            || self.facts.log_file.is_some()
            || self.ctx.zone.is_some()
            || self.ctx.zone_root.is_some();
        if let Some(verb) = attempt.zoneadm_verb {
            verb
        } else if attempt.kind == LogKind::Install {
            "zone install"
        } else if attempt.kind == LogKind::Onu {
            "onu run"
        } else if attach && !self.gz_image && !self.zone_image && !self.linked_child {
            "attach"
        } else if attempt.kind == LogKind::Pkg
            || self.gz_image
            || self.zone_image
            || self.linked_child
            || attempt.pkg_lines
            || attempt.pkg_errors
        {
            "pkg operation"
        } else {
            "operation"
        }
    }

    fn add_synthetic(&self, accs: &mut Vec<Acc>, key: &str, evidence: &[Evidence]) {
        let Some((ri, _)) = self.rule(key) else { return };
        if accs.iter().any(|a| a.rule == ri) {
            return;
        }
        let mut acc = Acc::new(ri);
        acc.evidence = evidence.iter().take(MAX_EVIDENCE).cloned().collect();
        accs.push(acc);
    }

    /// `requires` and `min_build_gap`: drop hits whose conditions fail, and add the
    /// pattern-less findings whose conditions hold (e.g. version-jump).
    fn apply_conditions(&self, accs: &mut Vec<Acc>) {
        let present: Vec<String> = accs
            .iter()
            .filter_map(|a| self.rules.rules().get(a.rule).map(|r| r.key.clone()))
            .collect();
        let gap = self.build_gap();
        let holds = |r: &Rule| {
            let req = r.requires.is_empty() || r.requires.iter().any(|k| present.contains(k));
            let gap_ok = r.min_build_gap.is_none_or(|min| gap.is_some_and(|g| g >= min));
            req && gap_ok
        };
        accs.retain(|a| self.rules.rules().get(a.rule).is_some_and(holds));
        for (ri, r) in self.rules.rules().iter().enumerate() {
            let conditional = !r.requires.is_empty() || r.min_build_gap.is_some();
            if r.sources.is_empty() && conditional && holds(r) && !accs.iter().any(|a| a.rule == ri)
            {
                let mut acc = Acc::new(ri);
                acc.evidence = self.facts.entire_lines.clone();
                accs.push(acc);
            }
        }
    }

    /// `explains`: a finding's packages are taken from the findings it explains (a frozen
    /// package is not also a package to uninstall because its new version "cannot be
    /// installed"); a finding left without packages is dropped.
    fn apply_explained(&self, accs: &mut Vec<Acc>) {
        let rules = self.rules.rules();
        let mut explained: Vec<(String, String)> = Vec::new();
        for a in accs.iter() {
            let Some(r) = rules.get(a.rule) else { continue };
            for k in &r.explains {
                for p in &a.packages {
                    explained.push((k.clone(), package_stem(p).to_string()));
                }
            }
        }
        if explained.is_empty() {
            return;
        }
        accs.retain_mut(|a| {
            let Some(key) = rules.get(a.rule).map(|r| r.key.as_str()) else { return true };
            let had = a.packages.len();
            a.packages.retain(|p| !explained.iter().any(|(k, s)| k == key && s == package_stem(p)));
            // One that names no package (its packages were structural: an incorporation) is
            // explained by the finding that explains its key.
            (had == 0 && !explained.iter().any(|(k, _)| k == key)) || !a.packages.is_empty()
        });
    }

    fn apply_suppression(&self, accs: &mut Vec<Acc>) {
        let suppressed: Vec<String> = accs
            .iter()
            .filter_map(|a| self.rules.rules().get(a.rule))
            .flat_map(|r| r.suppresses.iter().cloned())
            .collect();
        accs.retain(|a| {
            self.rules.rules().get(a.rule).is_some_and(|r| !suppressed.contains(&r.key))
        });
    }

    fn refine(&self, accs: &mut Vec<Acc>) {
        let mut extra: Vec<Acc> = Vec::new();
        for acc in accs.iter_mut() {
            let Some(rule) = self.rules.rules().get(acc.rule) else { continue };
            match rule.refine {
                Some(Refinement::PublisherScope) => self.split_publishers(acc, &mut extra),
                Some(Refinement::RemovedOrRenamed) => self.split_renamed(acc, &mut extra),
                // Decided from the evidence when the finding is built.
                Some(
                    Refinement::ParentPublisher
                    | Refinement::SystemRepository
                    | Refinement::RepositoryBehind
                    | Refinement::RepositoryScope,
                )
                | None => {}
            }
        }
        for e in extra {
            match accs.iter_mut().find(|a| a.rule == e.rule) {
                Some(existing) => merge(existing, e),
                None => accs.push(e),
            }
        }
        accs.retain(|a| {
            !a.evidence.is_empty() || !a.packages.is_empty() || !a.publishers.is_empty()
        });
    }

    /// Move each publisher whose scope is known into the finding for that scope; what stays
    /// is the scope-unknown `publisher-unreachable`.
    fn split_publishers(&self, acc: &mut Acc, extra: &mut Vec<Acc>) {
        let in_list = |list: &[String], p: &str| list.iter().any(|x| x == p);
        let ctx = self.ctx;
        let mut keep = Vec::new();
        // No publisher named, but an origin of Solaris 11's system repository: the global
        // zone's publisher it serves (pkg names only the URL when the failure is not a
        // catalog refresh's).
        if acc.publishers.is_empty() {
            acc.publishers = acc.origins.iter().filter_map(|o| sysrepo_publisher(o)).collect();
            acc.publishers.dedup();
        }
        for p in std::mem::take(&mut acc.publishers) {
            let key = if in_list(&ctx.gz_disabled_publishers, &p)
                || in_list(&self.facts.disabled_publishers, &p)
            {
                Some(keys::GZ_PUBLISHER_DISABLED)
            } else if in_list(&ctx.gz_publishers, &p)
                || in_list(&self.facts.gz_publishers, &p)
                || served_by_sysrepo(&acc.origins, &p)
            {
                Some(keys::PUBLISHER_UNREACHABLE_GZ)
            } else if in_list(&ctx.zone_publishers, &p)
                || !ctx.gz_publishers.is_empty()
                || in_list(&self.facts.zone_publishers, &p)
                || self.facts.gz_table_seen
            {
                // Named only by the zone, or absent from a complete list of the global zone's.
                Some(keys::PUBLISHER_UNREACHABLE_ZONE)
            } else {
                None
            };
            match key.and_then(|k| self.rule(k)) {
                Some((ri, _)) => {
                    let mut e = Acc::new(ri);
                    e.evidence = acc.evidence.clone();
                    e.origins = acc.origins.clone();
                    e.publishers.push(p);
                    extra.push(e);
                }
                None => keep.push(p),
            }
        }
        let moved_all = keep.is_empty() && extra.iter().any(|e| !e.publishers.is_empty());
        acc.publishers = keep;
        if moved_all {
            acc.evidence.clear();
            acc.origins.clear();
        }
    }

    fn split_renamed(&self, acc: &mut Acc, extra: &mut Vec<Acc>) {
        let Some((ri, _)) = self.rule(keys::PACKAGE_RENAMED) else { return };
        // The SVR4-style SUNW* names were replaced by FMRI-style names in the b130s; a zone
        // from before b134 still holding one needs the rename records of that era. From b134
        // on, a SUNW package that cannot move was removed, not renamed.
        let zone_build = self.facts.zone_entire.as_deref().and_then(build_of);
        if zone_build.is_some_and(|b| b >= LAST_OPENSOLARIS_BUILD) {
            return;
        }
        let (renamed, removed): (Vec<String>, Vec<String>) =
            std::mem::take(&mut acc.packages).into_iter().partition(|p| is_legacy_name(p));
        acc.packages = removed;
        if !renamed.is_empty() {
            let mut e = Acc::new(ri);
            e.evidence = evidence_naming(&acc.evidence, &renamed);
            e.packages = renamed;
            extra.push(e);
            acc.evidence = evidence_naming(&acc.evidence, &acc.packages);
        }
    }

    /// The global zone's first publisher, when finding `a` of rule `r` says it could not be
    /// reached: the one the attach installs entire from, or any when pkg refreshed none of the
    /// zone's catalogs where the zone has the global zone's publishers (copied into it, or on
    /// Solaris 11 served by the system repository).
    fn primary_unreachable<'a>(&'a self, r: &Rule, a: &'a Acc) -> Option<&'a String> {
        if !UNREACHABLE.contains(&r.key.as_str()) {
            return None;
        }
        if let Some(p) = self.facts.entire_publisher.as_ref().filter(|p| a.publishers.contains(p)) {
            return Some(p);
        }
        // The distribution's own publisher, which the global zone's entire comes from, is the
        // one the attach installs from, whatever else did answer (analyze round z F2).
        let distro = match self.generation {
            Generation::Solaris11 | Generation::Solaris11Prefcs | Generation::S11express => {
                Some("solaris")
            }
            Generation::Openindiana => Some("openindiana.org"),
            Generation::Omnios => Some("omnios"),
            _ => None,
        };
        if let Some(p) = distro.and_then(|d| a.publishers.iter().find(|p| *p == d))
            && !self.zone_image
            && !self.gz_image
        {
            return Some(p);
        }
        // (Not where the attach sets each publisher in turn, each its own `0/1 catalogs`.)
        // Solaris 11's zone gets them all through the system repository.
        let has_gz_publishers = (self.generation.copies_gz_publishers()
            && !self.recreates_gz_publishers())
            || self.generation == Generation::Solaris11;
        let all_failed = self.facts.no_catalog_refreshed
            && has_gz_publishers
            && !self.zone_image
            && !self.gz_image;
        a.publishers.first().filter(|_| all_failed)
    }

    /// b151's attach script (also OpenIndiana's until 2016, its 151 builds) sets every GZ
    /// publisher in the zone, one `set-publisher` each, which contacts even disabled ones;
    /// `copy-publishers-from` (OpenIndiana hipster, OmniOS) copies them and refreshes only the
    /// enabled ones.
    fn recreates_gz_publishers(&self) -> bool {
        let gz_build = self.facts.gz_entire.as_deref().and_then(build_of);
        self.generation == Generation::S11express
            || (self.generation == Generation::Openindiana && gz_build.is_none_or(|b| b == 151))
    }

    /// The explanation of a scope-unknown unreachable publisher, with the likelier reading.
    fn publisher_scope_note(&self) -> (&'static str, Option<StrategyName>) {
        if self.recreates_gz_publishers() {
            (
                "Without the global zone's publisher list this cannot be told for sure; more likely it is a global-zone publisher (perhaps a disabled one): this generation re-creates every global-zone publisher in the zone, disabled ones too, and refreshes them all. If 'pkg publisher' in the global zone does not list it, it is zone-only: use zone-publishers instead.",
                Some(StrategyName::GzPublishers),
            )
        } else if self.generation.copies_gz_publishers() {
            (
                "Without the global zone's publisher list this cannot be told for sure; more likely it is a zone-only publisher: this generation copies the global zone's publishers into the zone but refreshes only the enabled ones, which the global zone was just updated from, and a publisher only the zone has is refreshed too. If 'pkg publisher' in the global zone lists it as enabled, use gz-publishers instead.",
                Some(StrategyName::ZonePublishers),
            )
        } else {
            (
                "Without the global zone's publisher list this cannot be told for sure; more likely it is a zone-only publisher: the global zone was just updated from its own publishers, and this generation does not copy disabled ones. If 'pkg publisher' in the global zone lists it, use gz-publishers instead.",
                Some(StrategyName::ZonePublishers),
            )
        }
    }

    fn finding(&self, a: &Acc) -> Option<Finding> {
        let r = self.rules.rules().get(a.rule)?;
        let no_attach = self.zone_image || self.linked_child;
        let mut explanation = match &r.in_zone_explanation {
            Some(text) if no_attach => text.clone(),
            _ => r.explanation.clone(),
        };
        let mut strategy = r.strategy;
        let primary = self.primary_unreachable(r, a);
        if r.refine == Some(Refinement::PublisherScope) && primary.is_none() {
            let (note, s) = self.publisher_scope_note();
            explanation.push(' ');
            explanation.push_str(note);
            strategy = s;
        }
        // The publisher the global zone's own entire comes from (the attach installs entire
        // from it): every strategy needs it, so none gets past it (round x F1).
        if let Some(p) = primary {
            let which = if self.facts.entire_publisher.as_ref() == Some(p) {
                format!("{p} is the publisher the global zone's own entire comes from, its first")
            } else if self.facts.no_catalog_refreshed {
                "pkg refreshed none of the zone's catalogs, so the global zone's first publisher \
                 (which the zone has too) did not answer either"
                    .to_string()
            } else {
                // Found by its name alone: other catalogs did refresh.
                format!(
                    "{p} is the distribution's own publisher, which the global zone's entire comes from"
                )
            };
            let sysrepo = if self.generation == Generation::Solaris11 {
                "; on Solaris 11 the system repository that serves them to the zone: svcs -xv \
                 system-repository, its config/http_proxy"
            } else {
                ""
            };
            explanation.push_str(&format!(
                " Here {which}: the attach refreshes it, gz-publishers keeps it and the other \
                 strategies install from it, so none gets past it. Make the global zone reach it \
                 again (pkg refresh in the global zone; its certificate bundle and clock, its \
                 proxy, its name service{sysrepo}), then attach again."
            ));
            strategy = None;
        }
        // "Already installed" of a zone zoneadm said is up: detaching it is refused too.
        let up = self.facts.zone_active.as_ref().filter(|_| r.key == keys::ZONE_ALREADY_INSTALLED);
        if let Some((state, line)) = up {
            explanation.push_str(&format!(
                " Here the zone is {state} (line {}: {}): zoneadm refuses to detach it too. \
                 Halt it first (stop its applications cleanly before), then detach, then \
                 attach -u.",
                line.line,
                line.text.trim()
            ));
        }
        // A 403 is an answer: the repository refused this client (Oracle's support repository
        // does so for an expired or wrong client certificate), not a network fault.
        if UNREACHABLE.contains(&r.key.as_str())
            && a.evidence.iter().any(|e| e.text.contains("code: 403"))
        {
            let name = a.publishers.first().map_or("NAME", |p| p.as_str());
            explanation.push_str(&format!(
                " Here the repository did answer, with 403 Forbidden: it refused this client. \
                 For a repository that asks for a client certificate (Oracle's support \
                 repository) that is an expired or wrong key or certificate: pkg publisher \
                 {name} shows the SSL key and certificate; set new ones with pkg set-publisher \
                 -k KEY -c CERT {name} in the global zone."
            ));
        }
        if r.refine == Some(Refinement::ParentPublisher)
            && from_several_publishers(&a.evidence)
            && self.generation == Generation::Solaris11
            && !no_attach
            && parent_publisher(&a.evidence).is_some_and(|p| p != "solaris")
        {
            // The global zone has it from another publisher than the distribution's, so the
            // zone's copy is the distribution's, a system publisher (the system repository
            // serves the global zone's publishers): nothing in the zone to make match, and
            // zone-publishers leaves system publishers alone. (A zone copy from a publisher of
            // its own, the global zone's from `solaris`, is zone-publishers' case below.)
            explanation.push_str(
                " Here the zone's version and the global zone's come from different publishers. \
                 A Solaris 11 zone's publishers are the global zone's, served by the system \
                 repository, so there is nothing to make match in the zone: the zone's copy is \
                 held to the publisher it was installed from. Uninstall it from the zone \
                 (uninstall) and install it again after the attach, from the global zone's \
                 publisher; or, in the global zone, make the package's publishers agree (install \
                 it there from the publisher the zone has it from, or set the other non-sticky).",
            );
            strategy = Some(StrategyName::Uninstall);
        } else if r.refine == Some(Refinement::ParentPublisher)
            && from_several_publishers(&a.evidence)
        {
            explanation.push_str(if no_attach {
                " Here the zone's version and the global zone's come from different publishers: \
                 make the zone's publishers match the global zone's (pkg set-publisher in the \
                 zone) rather than uninstalling."
            } else {
                " Here the zone's version and the global zone's come from different publishers: \
                 make the zone's publishers match the global zone's (zone-publishers) rather than \
                 uninstalling."
            });
            strategy = Some(StrategyName::ZonePublishers);
        } else if r.refine == Some(Refinement::ParentPublisher)
            && a.evidence.iter().any(|e| parent_is_older(&e.text))
        {
            // The zone is ahead of the global zone for this package: pkg does not take it
            // back, and removing an application is no gentle remedy for an older GZ.
            explanation.push_str(
                " Here the global zone has an OLDER version than the zone's: the zone is ahead \
                 of the global zone for it. Update the global zone first (or boot the \
                 global-zone boot environment the zone came from), then attach; uninstalling it \
                 from the zone is a choice only for a package the zone can do without.",
            );
            strategy = None;
        }
        if r.refine == Some(Refinement::SystemRepository)
            && self.generation == Generation::Solaris11
        {
            explanation =
                "pkg found nothing matching what the attach asked for (usually entire at \
                the global zone's version). A Solaris 11 zone gets the global zone's publishers \
                through the system repository, so they do not offer the global zone's own \
                release: the global zone was updated from another origin (a support repository, \
                an SRU) than the one it lists now. Add that origin to the global zone's publisher \
                (pkg set-publisher -g URI NAME), check with pkg list -af entire, then attach; no \
                zone strategy can supply it. If the global zone's publishers do list that \
                version, the system repository is not serving them: check the service (svcs -xv \
                system-repository) and its configuration (svcprop -p config system-repository: \
                config/host must be localhost)."
                    .into();
            strategy = None;
        }
        if r.refine == Some(Refinement::RepositoryScope) {
            if self.gz_image {
                explanation.push_str(
                    " Here the image is the global zone's own: add to its publisher an origin \
                     that carries the installed SRU (pkg set-publisher -g URI NAME), or replace \
                     the old one (-G OLD -g NEW).",
                );
            } else if self.generation == Generation::Solaris11 {
                explanation.push_str(
                    " On Solaris 11 the zone gets the global zone's publishers through the \
                     system repository, so the repository behind is the global zone's: add an \
                     origin that carries the installed SRU to the global zone's publisher (pkg \
                     set-publisher -g URI NAME); no zone strategy can supply it.",
                );
                strategy = None;
            }
        }
        // A package the install asked for is not installed: never one to uninstall.
        let mut packages = a.packages.clone();
        let mut asked_only = false;
        let removes = strategy == Some(StrategyName::Uninstall)
            || r.next.iter().any(|t| t.contains(" uninstall "));
        if self.gz_image {
            // The global zone's own pkg operation: no zone strategy acts on it, and the
            // advice about the zone's packages is about the global zone's (realworld ss F2).
            if removes {
                explanation.push_str(
                    " Here the image is the global zone's own: what is said of the zone's \
                     packages holds for the global zone's, and no attach follows.",
                );
            }
            strategy = None;
        }
        if removes && !self.facts.requested.is_empty() {
            let asked = |p: &String| self.facts.requested.iter().any(|q| q == package_stem(p));
            let had = packages.len();
            let (new, installed): (Vec<String>, Vec<String>) =
                packages.iter().cloned().partition(|p| asked(p));
            packages = installed;
            if r.key == keys::ACTION_CONFLICT && !new.is_empty() {
                // The installed packages lived together before the install: the one it
                // brings is what conflicts (realworld ss F2: an OS package was named).
                explanation.push_str(&format!(
                    " Here {} is what the install asked for, and it conflicts with what is \
                     installed: correct that package (its publisher's manifest) or leave it \
                     out; uninstalling the installed packages it meets is no remedy.",
                    new.join(", ")
                ));
                packages = new;
                strategy = None;
                asked_only = true;
            } else if had > 0 && packages.is_empty() {
                explanation.push_str(
                    " Here the package named is the one the install asked for, which is not \
                     installed: uninstalling it is no remedy. What the reason names must change \
                     instead; when the installed release's incorporation excludes every version \
                     offered, those versions are made for another release: update the image to \
                     that release (pkg update) or install a version made for the installed one.",
                );
                strategy = None;
                asked_only = true;
            }
        }
        if removes && !asked_only && !self.facts.update_named.is_empty() {
            let named = |p: &String| self.facts.update_named.iter().any(|q| q == package_stem(p));
            if !packages.is_empty() && packages.iter().all(named) {
                explanation.push_str(
                    " Here the package named is the one the update asked for by name, at the \
                     version it asked for: uninstalling it would not bring that version, so it \
                     is no remedy. What the reason names must change instead; when an installed \
                     incorporation excludes that version, it is made for another release: \
                     update the whole image to that release (pkg update without naming the \
                     package), or ask for a version made for the installed one.",
                );
                strategy = None;
                asked_only = true;
            }
        }
        // What the release itself requires comes back with it, and a core package is never
        // removed (the uninstall strategy refuses it): neither is worth naming for uninstall.
        // When that is all of them they stay named (what pkg said), and no uninstall is advised.
        let mut withhold = |packages: &mut Vec<String>, out: &dyn Fn(&String) -> bool| {
            let named: Vec<String> = packages.iter().filter(|p| out(p)).cloned().collect();
            let all = !named.is_empty() && named.len() == packages.len();
            if all {
                if strategy == Some(StrategyName::Uninstall) {
                    strategy = None;
                }
            } else {
                packages.retain(|p| !out(p));
            }
            (named, all)
        };
        if removes && !asked_only && !self.facts.release_requires.is_empty() {
            let required =
                |p: &String| self.facts.release_requires.iter().any(|q| q == package_stem(p));
            let (named, all) = withhold(&mut packages, &required);
            if !named.is_empty() {
                explanation.push_str(&format!(
                    " Here the release's entire itself requires {}: uninstalling it cannot help, \
                     the update would require it again. What keeps it from installing must \
                     change (a Reject line below it names that), or the release's repository \
                     does not offer it for a zone: then no zone remedy helps.",
                    named.join(", ")
                ));
            }
            asked_only |= all;
        }
        if removes && !asked_only && !self.facts.zone_ahead.is_empty() {
            let ahead = |p: &String| self.facts.zone_ahead.iter().any(|q| q == package_stem(p));
            let (named, all) = withhold(&mut packages, &ahead);
            if !named.is_empty() {
                explanation.push_str(&format!(
                    " Here the zone's version of {} is NEWER than the global zone's release \
                     allows: the zone is ahead of the global zone (it was updated from a newer \
                     release, or the global zone booted an older boot environment), and pkg \
                     never moves a package back; uninstalling it is no remedy for an older \
                     global zone. Update the global zone to the zone's release first (or boot \
                     the global-zone boot environment the zone came from), then attach.",
                    named.join(", ")
                ));
            }
            asked_only |= all;
        }
        if removes && !asked_only && !self.facts.pinned.is_empty() {
            let pin = |p: &String| {
                self.facts.pinned.iter().find(|(q, _)| q == package_stem(p)).map(|(_, i)| i)
            };
            let (named, all) = withhold(&mut packages, &|p| pin(p).is_some());
            if !named.is_empty() {
                let mut by: Vec<&str> = named.iter().filter_map(pin).map(String::as_str).collect();
                by.dedup();
                explanation.push_str(&format!(
                    " Here {} is held back by an incorporation the zone has installed of its own \
                     ({}), which excludes the version the update needs: uninstalling that pin \
                     lets it move on (incorporation-excluded), and it stays.",
                    named.join(", "),
                    by.join(", ")
                ));
            }
            asked_only |= all;
        }
        if removes && !asked_only && !self.facts.core_requires.is_empty() {
            let requirer = |p: &String| {
                self.facts.core_requires.iter().find(|(q, _)| q == package_stem(p)).map(|(_, c)| c)
            };
            let (named, all) = withhold(&mut packages, &|p| requirer(p).is_some());
            if !named.is_empty() {
                let mut by: Vec<&str> =
                    named.iter().filter_map(requirer).map(String::as_str).collect();
                by.dedup();
                explanation.push_str(&format!(
                    " Here the core package {} requires {}: pkg refuses to uninstall what an \
                     installed package depends on, and the update would require it again. What \
                     keeps it from installing must change (the Reject line below it names that; \
                     a release incorporation left at the old version points to a freeze or a \
                     publisher problem).",
                    by.join(", "),
                    named.join(", ")
                ));
            }
            asked_only |= all;
        }
        if removes && !asked_only {
            let core = |p: &String| Playbook::is_builtin_core(package_stem(p));
            let (named, all) = withhold(&mut packages, &core);
            if all {
                explanation.push_str(&format!(
                    " Here every package named is part of the core system ({}), which is never \
                     uninstalled; a core package that cannot follow the global zone's release is \
                     replaced only by re-creating the zone's image (image-create, the last \
                     resort).",
                    named.join(", ")
                ));
            } else if !named.is_empty() {
                explanation.push_str(&format!(
                    " {} {} part of the core system and never uninstalled.",
                    named.join(", "),
                    if named.len() == 1 { "is" } else { "are" }
                ));
            }
            asked_only |= all;
        }
        // Nothing named to remove (what pkg named is the release's own, see `structural`):
        // no uninstall to advise.
        if strategy == Some(StrategyName::Uninstall) && packages.is_empty() {
            strategy = None;
        }
        // The blocker's dependents are what keeps it: when none of them (nor it) is core,
        // removing them together (no -r) is the gentle way, not re-creating the image.
        let mut templates: Vec<&str> = r.next.iter().map(String::as_str).collect();
        if r.key == keys::UNINSTALL_BLOCKED
            && strategy == Some(StrategyName::ImageCreate)
            && !packages.is_empty()
            && !packages.iter().any(|p| Playbook::is_builtin_core(package_stem(p)))
        {
            explanation.push_str(
                " Here none of them is a core package: uninstall the blocking package together \
                 with the packages named that depend on it, in one command and never with -r \
                 (check it with -nv first), then attach; reinstall what is still wanted \
                 afterwards. image-create is not needed.",
            );
            strategy = Some(StrategyName::Uninstall);
            templates = vec![
                "pkg -R {zoneroot} uninstall -nv {packages}",
                "zonerescue --strategy uninstall {zone}",
            ];
        }
        let mut evidence = a.evidence.clone();
        if let Some((_, line)) = up {
            templates =
                vec!["zoneadm list -cv", "zoneadm -z {zone} halt", "zoneadm -z {zone} detach"];
            if !evidence.iter().any(|e| e.line == line.line) {
                evidence.insert(0, line.clone());
            }
        }
        let mut datasets = a.datasets.clone();
        if datasets.is_empty() && r.next.iter().any(|t| t.contains("{dataset}")) {
            datasets = self.facts.datasets.iter().take(3).cloned().collect();
        }
        let mut f = Finding {
            key: r.key.clone(),
            severity: r.severity,
            inhibitor: r.inhibitor,
            title: r.title.clone(),
            explanation,
            evidence,
            evidence_omitted: a.omitted,
            packages,
            publishers: a.publishers.clone(),
            origins: a.origins.clone(),
            datasets,
            strategy,
            next_commands: Vec::new(),
        };
        let mut next: Vec<String> = Vec::new();
        for c in templates.iter().filter_map(|t| self.fill(t, &f)) {
            // The global zone's version of a zone command may repeat one already listed.
            if !next.contains(&c) {
                next.push(c);
            }
        }
        if asked_only {
            next.retain(|c| !c.contains(" uninstall"));
        }
        // The rule's own strategy changed here (refined, or none gets past the cause): its
        // zonerescue command goes with it. (A rule without one may still name the attach to
        // run once its cause is fixed.)
        if r.strategy.is_some() {
            let named = f.strategy.map(|s| format!("zonerescue --strategy {} ", s.as_str()));
            next.retain(|c| {
                !c.starts_with("zonerescue --strategy ")
                    || named.as_ref().is_some_and(|n| c.starts_with(n.as_str()))
            });
        }
        f.next_commands = next;
        Some(f)
    }

    /// Fill a next-command template; `None` when a placeholder has no value. For the global
    /// zone's own pkg operation, `pkg -R {zoneroot} …` is the same command on the global zone
    /// (`pkg …`), and a command about a zone has no place.
    fn fill(&self, template: &str, f: &Finding) -> Option<String> {
        let gz;
        let child;
        let template = if self.linked_child || self.zone_image {
            // The zone is installed (and likely running): its image is worked on inside it, in
            // the shell the command was typed in when the zone is not named.
            let zone_pkg = if self.zone().is_some() { "zlogin {zone} pkg " } else { "pkg " };
            child = template.replace("pkg -R {zoneroot} ", zone_pkg);
            // It is attached: no attach or detach of it is a next step.
            if child.contains("zoneadm -z {zone} attach")
                || child.contains("zoneadm -z {zone} detach")
            {
                return None;
            }
            child.as_str()
        } else if self.gz_image {
            gz = template.replace("pkg -R {zoneroot} ", "pkg ");
            if gz.contains("{zone}") || gz.contains("{zoneroot}") {
                return None;
            }
            gz.as_str()
        } else {
            template
        };
        // Placeholders the user fills in are shown as written; values read from the input are
        // quoted (a `>` in a zone root read from a log is a redirection once pasted).
        let zone = self.zone().map_or_else(|| "<zone>".into(), |z| shell_word(&z));
        let zoneroot =
            self.zone_root().map_or_else(|| "<zonepath>/root".into(), |r| shell_word(&r));
        let zonepath = self.zonepath().map_or_else(|| "<zonepath>".into(), |p| shell_word(&p));
        let gz_entire = self.facts.gz_entire.clone().unwrap_or_else(|| "entire".into());
        let packages = (!f.packages.is_empty()).then(|| {
            f.packages
                .iter()
                .take(MAX_SUBJECTS)
                .map(|p| shell_word(p))
                .collect::<Vec<_>>()
                .join(" ")
        });
        let first = |v: &[String]| v.first().map(|s| shell_word(s));
        let vars: [(&str, Option<String>); 11] = [
            // The operand of a rescue command line goes after `--` when named like a
            // subcommand.
            (
                "{zone}",
                Some(if template.starts_with("zonerescue ") {
                    crate::cli::rescue_operand(&zone)
                } else {
                    zone.clone()
                }),
            ),
            ("{zoneroot}", Some(zoneroot)),
            ("{zonepath}", Some(zonepath)),
            ("{gz_entire}", Some(shell_word(&gz_entire))),
            ("{strategy}", f.strategy.map(super::render::strategy_words)),
            ("{packages}", packages),
            ("{package}", first(&f.packages)),
            ("{publisher}", first(&f.publishers)),
            ("{origin}", first(&f.origins)),
            ("{dataset}", first(&f.datasets)),
            ("{log_file}", self.facts.log_file.as_deref().map(shell_word)),
        ];
        let mut out = template.to_string();
        for (name, value) in vars {
            if out.contains(name) {
                out = out.replace(name, &value?);
            }
        }
        Some(out)
    }
}

/// Quote a word for display in a command line when it has shell-special characters.
fn shell_word(s: &str) -> String {
    crate::system::shell_quote(s)
}

fn is_legacy_name(p: &str) -> bool {
    package_stem(p).starts_with("SUNW")
}

/// The evidence lines that mention one of `names` (a line naming no package at all, such as
/// a `Reason:`, stays with the package line before it).
fn evidence_naming(evidence: &[Evidence], names: &[String]) -> Vec<Evidence> {
    let mut out = Vec::new();
    let mut keep = false;
    for e in evidence {
        let text = e.text.as_str();
        let mentions = |n: &String| {
            text.match_indices(n.as_str()).any(|(i, _)| {
                let before = text[..i].chars().next_back();
                let after = text[i + n.len()..].chars().next();
                before.is_none_or(|c| c == '/' || c.is_whitespace())
                    && after.is_none_or(|c| c == '@' || c.is_whitespace())
            })
        };
        let reason = text.trim_start().starts_with("Reason:");
        if !reason && (text.contains("pkg:/") || text.contains("package ")) {
            keep = names.iter().any(mentions);
        }
        if keep {
            out.push(e.clone());
        }
    }
    out
}

/// Whether the evidence names packages of more than one publisher (`pkg://PUB/...`), or pkg
/// says so itself ("... is from a different publisher").
/// Whether one of `origins` is Solaris 11's system repository serving publisher `p`
/// (`http://localhost:1008/P/HASH/`): only the global zone's publishers are served that way.
fn served_by_sysrepo(origins: &[String], p: &str) -> bool {
    origins.iter().any(|o| sysrepo_publisher(o).is_some_and(|q| q == p))
}

/// The publisher of the global zone's (parent's) version in pkg's reason `Package in global
/// zone is from a different publisher: pkg://PUB/…` (or `in parent`).
fn parent_publisher(evidence: &[Evidence]) -> Option<String> {
    // The evidence lines joined: a mail wrap may put the FMRI on the next line.
    let text: Vec<&str> = evidence.iter().map(|e| e.text.as_str()).collect();
    let text = text.join(" ");
    let (_, rest) = text.split_once("from a different publisher:")?;
    let rest = rest.trim_start().strip_prefix("pkg://")?;
    rest.split('/').next().filter(|p| !p.is_empty()).map(String::from)
}

/// The publisher a system-repository origin (`http://localhost:1008/P/HASH/`) serves.
fn sysrepo_publisher(origin: &str) -> Option<String> {
    let rest = ["http://localhost:1008/", "http://127.0.0.1:1008/"]
        .iter()
        .find_map(|base| origin.strip_prefix(base))?;
    let (p, hash) = rest.split_once('/')?;
    (!p.is_empty() && !hash.is_empty()).then(|| p.to_string())
}

/// pkg's reason that the parent image (global zone) holds an older version than the zone.
pub(crate) fn parent_is_older(text: &str) -> bool {
    ["Parent image has an older version", "Global zone has an older version"]
        .iter()
        .any(|m| text.contains(m))
}

fn from_several_publishers(evidence: &[Evidence]) -> bool {
    let mut seen: Vec<&str> = Vec::new();
    for e in evidence {
        if e.text.contains("from a different publisher") {
            return true;
        }
        for (i, _) in e.text.match_indices("pkg://") {
            let rest = &e.text[i + "pkg://".len()..];
            let publisher = rest.split('/').next().unwrap_or_default();
            if !publisher.is_empty() && !seen.contains(&publisher) {
                seen.push(publisher);
            }
        }
    }
    seen.len() > 1
}

fn merge(into: &mut Acc, from: Acc) {
    for e in from.evidence {
        if !into.evidence.iter().any(|x| x.line == e.line) && into.evidence.len() < MAX_EVIDENCE {
            into.evidence.push(e);
        }
    }
    into.evidence.sort_by_key(|e| e.line);
    for p in from.packages {
        push_unique(&mut into.packages, p);
    }
    for p in from.publishers {
        push_unique(&mut into.publishers, p);
    }
    for o in from.origins {
        push_unique(&mut into.origins, o);
    }
    for d in from.datasets {
        push_unique(&mut into.datasets, d);
    }
}

impl FindingBuilder<'_> {
    /// OpenIndiana (2016 on) and OmniOS attach with `copy-publishers-from /`, whose failed
    /// refresh is ignored, then solve with `--no-refresh` (reference §2.5 steps 13, 16): a
    /// solver answer printed after the refresh failure is what stopped the attach, not the
    /// unreachable repository (fidelity ww F1: "the solver never ran", zone-publishers
    /// advised for an excluded package).
    fn solver_ran_after_a_refresh(&self, findings: &mut Vec<Finding>, solver_line: Option<u64>) {
        let Some(at) = solver_line else { return };
        if !matches!(self.generation, Generation::Openindiana | Generation::Omnios) {
            return;
        }
        let before = |f: &Finding| {
            UNREACHABLE[..3].contains(&f.key.as_str())
                && !f.evidence.is_empty()
                && f.evidence.iter().all(|e| e.line < at)
        };
        let answered = findings
            .iter()
            .any(|f| f.inhibitor && f.strategy.is_some() && !before(f) && first_line(f) >= at);
        if !answered {
            return;
        }
        set_aside(findings, before, |f| {
            f.strategy = None;
            f.next_commands.retain(|c| !c.starts_with("zonerescue --strategy"));
            f.explanation = "pkg could not refresh this publisher's catalog, but this \
                             generation's attach ignores that and solves on the catalogs it has \
                             (`copy-publishers-from /`, then `install --no-refresh`): the \
                             solver's answer printed after it is what stopped the attach. The \
                             publisher still fails every refresh: fix or remove it once the zone \
                             is attached."
                .into();
        });
    }
}

/// The findings `aside` picks are no cause of the failure: warnings, edited by `edit`, after
/// the others.
fn set_aside(
    findings: &mut Vec<Finding>,
    aside: impl Fn(&Finding) -> bool,
    edit: impl Fn(&mut Finding),
) {
    let (mut notes, rest): (Vec<Finding>, Vec<Finding>) =
        std::mem::take(findings).into_iter().partition(|f| aside(f));
    for f in &mut notes {
        f.inhibitor = false;
        f.severity = super::report::Severity::Warning;
        edit(f);
    }
    findings.extend(rest);
    findings.extend(notes);
}

/// A frozen package only listed (`pkg list`'s `if-`), which neither the solver's "excluded by a
/// freeze" nor any other finding (`named`) names, is not in the failure's way: a note, after the
/// findings that are, which holds back no recommendation (regress ww F6).
fn frozen_aside(findings: &mut Vec<Finding>, named: &[String]) {
    let aside = |f: &Finding| {
        f.key == "package-frozen"
            && !f.evidence.iter().any(|e| e.text.contains("excluded by a freeze on"))
            && !f.packages.iter().any(|p| named.contains(p))
    };
    // Only beside a cause the input shows: alone (a terminal that printed no pkg error), the
    // freeze may well be what stopped the attach (realworld ww2 F3).
    let other_cause = findings.iter().any(|f| f.inhibitor && f.key != "package-frozen");
    if !other_cause {
        return;
    }
    set_aside(findings, aside, |f| {
        f.explanation = format!(
            "{} The failure does not name it: it is not what stopped this attach.",
            f.explanation.trim_end()
        );
    });
}

fn first_line(f: &Finding) -> u64 {
    f.evidence.first().map_or(u64::MAX, |e| e.line)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_from_entire_versions() {
        assert_eq!(build_of("entire@0.5.11-0.151.0.1"), Some(151));
        assert_eq!(build_of("entire@0.5.11-0.111"), Some(111));
        assert_eq!(build_of("entire@0.5.11,5.11-0.134:20100302T023411Z"), Some(134));
        assert_eq!(build_of("pkg://omnios/entire@11-151046.0"), Some(151046));
        assert_eq!(build_of("entire@0.5.11-0.175.1.0.0.24.2"), Some(175));
        assert_eq!(build_of("entire"), None);
        assert_eq!(build_of("entire@11.4-11.4.42.0.1.113.1:20220112T184707Z"), None);
        assert_eq!(build_of("entire@x-y.z"), None);
    }

    #[test]
    fn request_urls_become_origins() {
        assert_eq!(
            repository_origin("http://10.0.5.12:10000/catalog/1/catalog.attrs"),
            "http://10.0.5.12:10000/"
        );
        assert_eq!(
            repository_origin("https://pkg.example.net/extra/versions/0/"),
            "https://pkg.example.net/extra/"
        );
        assert_eq!(
            repository_origin("http://pkg.example.net/extra/"),
            "http://pkg.example.net/extra/"
        );
        assert_eq!(repository_origin("file:///export/repo/catalog/1/x"), "file:///export/repo/");
    }

    #[test]
    fn several_publishers_in_evidence() {
        let ev = |t: &str| Evidence::new(1, t.into());
        let same = [
            ev("Reject:  pkg://solaris/web/server/apache-22@2.2.22"),
            ev(
                "Reason:  Parent image has a incompatible newer version: pkg://solaris/web/server/apache-22@2.2.29",
            ),
        ];
        assert!(!from_several_publishers(&same));
        let differ = [
            ev("Reject:  pkg://site/web/server/apache-22@2.2.22"),
            ev(
                "Reason:  Parent image has a incompatible newer version: pkg://solaris/web/server/apache-22@2.2.29",
            ),
        ];
        assert!(from_several_publishers(&differ));
        assert!(from_several_publishers(&[ev(
            "Reason:  Package in global zone is from a different publisher: pkg://solaris/x@1"
        )]));
        assert!(!from_several_publishers(&[ev("pkg://"), ev("no fmri here")]));
    }

    #[test]
    fn legacy_names() {
        assert!(is_legacy_name("SUNWapch22"));
        assert!(is_legacy_name("pkg://opensolaris.org/SUNWapch22"));
        assert!(!is_legacy_name("web/server/apache-22"));
    }
}
