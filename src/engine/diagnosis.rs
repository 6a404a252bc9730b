//! What the engine keeps from the analyzer's report of one failed attempt: which strategies
//! the findings call for, which packages block, which publishers/origins are unreachable.

use serde::Serialize;

use crate::analysis::{Report, Verdict, keys};
use crate::strategies::StrategyName;

#[derive(Clone, Debug, Default, Serialize)]
pub struct Diagnosis {
    pub attached: bool,
    /// Predicted by preflight (no attach failed yet).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub predicted: bool,
    /// The strategies the findings call for, most recommended first.
    pub remedies: Vec<StrategyName>,
    /// Package names (stems) the solver rejected or that block it.
    pub packages: Vec<String>,
    /// Those of `packages` proven unavailable at the global zone's release (excluded by its
    /// incorporation, no installable version, obsolete in its catalogs): no rung that keeps
    /// them installed can attach the zone, whatever the route to that release.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unavailable: Vec<String>,
    /// Those of `packages` the release's own `entire` requires: uninstalling one cannot
    /// help, the attach would require it again.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub required_by_release: Vec<String>,
    /// Publishers named as unreachable / failing.
    pub publishers: Vec<String>,
    pub origins: Vec<String>,
    /// One line per inhibiting finding, for reports and prompts.
    pub reasons: Vec<String>,
    /// Keys of the findings (for the journal and tests).
    pub keys: Vec<String>,
    /// The analysis' next commands for its first cause outside the image (what the operator
    /// runs before `resume`).
    #[serde(skip)]
    pub outside_next: Vec<String>,
}

impl Diagnosis {
    /// Key of the preflight prediction from the global zone's catalogs (obsolete packages).
    pub const CATALOG_OBSOLETE: &str = "zone.package-obsolete";
    /// Preflight's keys of the publishers the attach would meet (see
    /// [`super::prediction::beside_the_release`]).
    pub const GZ_UNREACHABLE: &str = "gz.publisher-unreachable";
    pub const GZ_DISABLED: &str = "gz.publisher-disabled";
    pub const ZONE_UNREACHABLE: &str = "zone.publisher-unreachable";
    /// Key of the analyzer's rule (and preflight's prediction): the zone is newer than the GZ.
    pub const ZONE_NEWER: &str = "zone-newer-than-gz";

    /// Predicted from the catalogs: every package it names blocks the solve.
    pub fn from_catalogs(&self) -> bool {
        self.keys.iter().any(|k| k == Self::CATALOG_OBSOLETE)
    }

    pub fn from_report(r: &Report) -> Diagnosis {
        let mut d = Diagnosis {
            attached: r.verdict == Verdict::Attached,
            required_by_release: r.release_requires.iter().map(|p| stem(p)).collect(),
            ..Default::default()
        };
        if let Some(s) = r.recommended {
            d.remedies.push(s);
        }
        for s in &r.remedies {
            if !d.remedies.contains(s) {
                d.remedies.push(*s);
            }
        }
        for f in &r.findings {
            d.keys.push(f.key.clone());
            // Packages the release cannot carry that analyze advises no uninstall for (core,
            // or required by the release itself): the uninstall rung is what proves them
            // stuck, with pkg's own -nv, and so leaves auto only image-create at once instead
            // of climbing through rungs that cannot help first.
            let cannot_follow =
                UNAVAILABLE_AT_TARGET.contains(&f.key.as_str()) || f.key == "package-removed";
            if cannot_follow
                && f.strategy.is_none()
                && !f.packages.is_empty()
                && !d.remedies.contains(&StrategyName::Uninstall)
            {
                d.remedies.push(StrategyName::Uninstall);
            }
            if d.outside_next.is_empty() && Self::is_outside(&f.key) {
                d.outside_next = f.next_commands.clone();
            }
            if f.inhibitor {
                d.reasons.push(format!("{} ({})", f.title, f.key));
            }
            for p in &f.packages {
                let stem = stem(p);
                if stem.is_empty() {
                    continue;
                }
                if UNAVAILABLE_AT_TARGET.contains(&f.key.as_str()) && !d.unavailable.contains(&stem)
                {
                    d.unavailable.push(stem.clone());
                }
                if !d.packages.contains(&stem) {
                    d.packages.push(stem);
                }
            }
            // Publishers that fail; a sticky one answers (it only lacks the new version).
            for p in f.publishers.iter().filter(|_| !NOT_FAILING.contains(&f.key.as_str())) {
                if !d.publishers.contains(p) {
                    d.publishers.push(p.clone());
                }
            }
            for o in &f.origins {
                if !d.origins.contains(o) {
                    d.origins.push(o.clone());
                }
            }
        }
        d
    }

    /// Adds what the GZ's catalogs predict: the uninstall of installed packages they list as
    /// obsolete at the GZ's release.
    pub fn add_catalog_obsolete(&mut self, packages: Vec<String>) {
        if !self.remedies.contains(&StrategyName::Uninstall) {
            self.remedies.push(StrategyName::Uninstall);
        }
        self.reasons.push(format!(
            "the global zone's repositories list {} as obsolete at its release ({})",
            packages.join(", "),
            Self::CATALOG_OBSOLETE
        ));
        self.keys.push(Self::CATALOG_OBSOLETE.into());
        for pkg in packages {
            if !self.unavailable.contains(&pkg) {
                self.unavailable.push(pkg.clone());
            }
            if !self.packages.contains(&pkg) {
                self.packages.push(pkg);
            }
        }
    }

    /// Adds the publisher remedies `predicted` (preflight's facts) calls for: publishers that
    /// do not answer now, which a log taken with the global zone's publishers simplified (an
    /// earlier run's gz-publishers) cannot show (ops ss F1: its attach failed on one).
    pub fn add_predicted_publishers(&mut self, predicted: &Diagnosis) {
        // Only a remedy the log does not call for already: its own reasons stay what they
        // are (a log naming the disabled publisher keeps "only gz-publishers" true).
        let joins =
            |r: StrategyName| predicted.remedies.contains(&r) && !self.remedies.contains(&r);
        let (gz, zone) = (joins(StrategyName::GzPublishers), joins(StrategyName::ZonePublishers));
        for (key, reason) in predicted.keys.iter().zip(&predicted.reasons) {
            let whose = match key.as_str() {
                Self::GZ_UNREACHABLE | Self::GZ_DISABLED => gz,
                Self::ZONE_UNREACHABLE => zone,
                _ => false,
            };
            if whose && !self.keys.contains(key) {
                self.keys.push(key.clone());
                self.reasons.push(reason.clone());
            }
        }
        for (r, add) in [(StrategyName::GzPublishers, gz), (StrategyName::ZonePublishers, zone)] {
            if add {
                self.remedies.push(r);
            }
        }
        if gz || zone {
            for p in &predicted.publishers {
                if !self.publishers.contains(p) {
                    self.publishers.push(p.clone());
                }
            }
        }
    }

    /// An attach failed, and every inhibiting finding is about the global zone's own
    /// publishers — a disabled one this release's attach re-creates, an enabled one the global
    /// zone cannot reach: only keeping them out of the attach's way (gz-publishers), or fixing
    /// them in the global zone, gets past it. (Not a prediction: pkg cannot test a disabled
    /// publisher beforehand.)
    pub fn only_gz_publishers(&self) -> bool {
        const KEYS: [&str; 2] = ["gz-publisher-disabled", "publisher-unreachable-gz"];
        !self.attached && !self.predicted && !self.reasons.is_empty() && self.only_because_of(&KEYS)
    }

    /// Every inhibiting finding (each reason ends with its key in parentheses) is one of
    /// `keys` (true when there is none).
    pub fn only_because_of(&self, keys: &[&str]) -> bool {
        self.reasons.iter().all(|r| keys.iter().any(|k| Self::is_of(r, k)))
    }

    /// One of the inhibiting findings is `key`'s.
    pub fn because_of(&self, key: &str) -> bool {
        self.reasons.iter().any(|r| Self::is_of(r, key))
    }

    fn is_of(reason: &str, key: &str) -> bool {
        reason.ends_with(&format!("({key})"))
    }

    /// The zone is of a later release than the global zone (predicted from the two
    /// `entire`s, or said by the attach): pkg never downgrades, so only a new image attaches.
    pub fn zone_newer_than_gz(&self) -> bool {
        self.keys.iter().any(|k| k == Self::ZONE_NEWER)
    }

    /// A finding about the zone's datasets, boot environments or pool: the attach stopped
    /// before pkg ran (or pkg ran out of space), and every strategy changes only the package
    /// image or publishers, so none of them can get past it (re-creating the image would only
    /// destroy metadata for nothing; on a full pool every rung's snapshot makes it worse).
    pub fn outside_the_image(&self) -> Option<&str> {
        self.keys.iter().map(String::as_str).find(|k| Self::is_outside(k))
    }

    /// Whether analysis key `k` is a cause outside the image.
    pub fn is_outside(k: &str) -> bool {
        keys::OUTSIDE_THE_IMAGE.contains(&k)
    }

    /// The global zone's first-ranked publisher (`primary`) could not be reached: every
    /// strategy needs it (the attach refreshes it, gz-publishers keeps it, image-update and
    /// image-create install from it), so no rung gets past it.
    /// When the log names origins, one of them must be the primary's own (a zone's
    /// same-named publisher may carry a dead origin of its own, which zone-publishers fixes).
    pub fn primary_unreachable(&self, primary: &str, origins: &[&str]) -> bool {
        let norm = |o: &str| o.trim_end_matches('/').to_string();
        self.keys.iter().any(|k| k == "publisher-unreachable-gz" || k == "publisher-unreachable")
            && self.publishers.iter().any(|p| p == primary)
            && (self.origins.is_empty()
                || self.origins.iter().any(|o| origins.iter().any(|p| norm(p) == norm(o))))
    }

    /// Why `s` is proposed, in the diagnosis' words.
    pub fn reason_for(&self, s: StrategyName) -> String {
        if self.remedies.contains(&s) && !self.reasons.is_empty() {
            let what =
                if self.predicted { "attach -u would fail" } else { "the last attach failed" };
            format!("{what}: {}", self.reasons.join("; "))
        } else {
            String::new()
        }
    }
}

/// Analysis rule keys whose publisher is named, not as failing.
const NOT_FAILING: [&str; 1] = ["publisher-sticky"];

/// Analysis rule keys whose packages the global zone's release cannot provide: its
/// incorporation excludes them, or no publisher of the attach has a version of them for it.
/// (Not `package-removed`: "No suitable version of installed package" reads the same for a
/// rename whose record the target repository dropped, which a step may map.)
const UNAVAILABLE_AT_TARGET: [&str; 3] =
    ["package-excluded", "proposed-incorporation-excluded", "dependency-unavailable"];

/// Package name from whatever form the analyzer kept (`pkg://pub/name@ver`, `name@ver`, `name`).
fn stem(p: &str) -> String {
    match crate::commands::Fmri::parse(p.trim()) {
        Ok(f) => f.name,
        Err(_) => p.trim().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dataset_findings_are_outside_every_rungs_reach() {
        let mut d = Diagnosis { keys: vec!["publisher-unreachable".into()], ..Default::default() };
        assert_eq!(d.outside_the_image(), None);
        d.keys.push("zbe-not-mounted".into());
        assert_eq!(d.outside_the_image(), Some("zbe-not-mounted"));
        // A full pool: no rung frees space, and their snapshots would take more.
        let full = Diagnosis {
            keys: vec!["no-solution".into(), "out-of-space".into()],
            ..Default::default()
        };
        assert_eq!(full.outside_the_image(), Some("out-of-space"));
        // A frozen package blocks only itself: the other rungs stay open.
        let frozen = Diagnosis { keys: vec!["package-frozen".into()], ..Default::default() };
        assert_eq!(frozen.outside_the_image(), None);
    }

    #[test]
    fn a_prediction_does_not_speak_of_a_failed_attach() {
        let mut d = Diagnosis {
            remedies: vec![StrategyName::ZonePublishers],
            reasons: vec!["the zone's publisher(s) x cannot be reached".into()],
            ..Default::default()
        };
        assert!(d.reason_for(StrategyName::ZonePublishers).starts_with("the last attach failed"));
        d.predicted = true;
        assert!(d.reason_for(StrategyName::ZonePublishers).starts_with("attach -u would fail"));
        assert_eq!(d.reason_for(StrategyName::Uninstall), "");
    }

    /// Analyze advises no uninstall where the release itself requires the package (or it is
    /// core); the engine still tries its uninstall rung, whose -nv check proves the package
    /// stuck and leaves image-create: without it auto climbed gz-publishers first (generated
    /// world 140, +30 s).
    #[test]
    fn what_analyze_will_not_remove_is_still_proven_stuck_by_the_uninstall_rung() {
        let rules = crate::analysis::RuleSet::builtin().unwrap();
        let log =
            include_str!("../../testdata/logs/omnios-entire-requires-unavailable-transcript.txt");
        let r =
            crate::analysis::analyze_reader(&rules, Default::default(), log.as_bytes()).unwrap();
        assert_eq!(r.recommended, None);
        let d = Diagnosis::from_report(&r);
        assert_eq!(d.remedies, [StrategyName::Uninstall], "{d:?}");
        assert_eq!(d.unavailable, ["driver/network/cxgbe"], "{d:?}");
    }

    #[test]
    fn a_package_the_proposed_incorporation_excludes_is_unavailable_at_the_target() {
        let rules = crate::analysis::RuleSet::builtin().unwrap();
        let log = include_str!("../../testdata/logs/solaris11-proposed-incorporation-excluded.log");
        let r =
            crate::analysis::analyze_reader(&rules, Default::default(), log.as_bytes()).unwrap();
        let d = Diagnosis::from_report(&r);
        assert_eq!(d.unavailable, ["web/php-53"], "{d:?}");
        assert_eq!(d.remedies.first(), Some(&StrategyName::Uninstall), "{d:?}");
    }

    #[test]
    fn every_key_named_here_is_a_builtin_rule() {
        let rules = crate::analysis::RuleSet::builtin().unwrap();
        for k in keys::OUTSIDE_THE_IMAGE.iter().chain(&UNAVAILABLE_AT_TARGET) {
            assert!(rules.rule(k).is_some(), "{k} is not a rule key");
        }
    }
}
