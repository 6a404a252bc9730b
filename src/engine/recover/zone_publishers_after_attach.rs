//! The zone's publishers after an attach that had the global zone's out of its way: those
//! the attach copied in disabled are enabled again where the zone had them enabled, and
//! those Solaris 11 Express's attach did not re-create are named with how to add them; after
//! an attach that ended a rescue with an `incremental` step, a zone publisher left pointing at
//! the step's repository is named with how to point it back.

use super::{ReenablePlan, Run};
use crate::engine::environment;
use crate::engine::events::Event;
use crate::engine::findings::{Finding, Severity};
use crate::strategies;

impl Run {
    /// After an attach that copied publishers into the zone disabled (`copy-publishers-from`:
    /// disabled in the global zone, or for the attach): enables again, in the zone image, those the zone had enabled
    /// before the run and that were not found unreachable (preflight, or the diagnosis before
    /// this attach), and says what was enabled and what stays disabled and why. A failed
    /// enable leaves the publisher disabled (pkg changes nothing) and never fails the run.
    /// Which of `copied` to enable again after the attach, and which stay disabled (why):
    /// decided before the attach, so that a run killed inside it leaves the plan to `resume`.
    pub(super) fn reenable_plan(&self, copied: &[String]) -> ReenablePlan {
        let mut unreachable = self.facts.gz_unreachable.clone().unwrap_or_default();
        if let Some(d) = &self.diagnosis {
            unreachable.extend(d.publishers.iter().cloned());
        }
        strategies::zone_reenable_plan(copied, &self.facts.zone_publishers_at_start, &unreachable)
    }

    pub(super) fn reenable_copied_in_zone(&mut self, (enable, left): ReenablePlan) {
        let mut enabled = Vec::new();
        // Left disabled in the zone: (name, why, whether its repository may not answer).
        let mut still: Vec<(String, String, bool)> = Vec::new();
        for n in enable {
            match self.enable_in_zone(&n, environment::RETRIES) {
                Ok(true) => enabled.push(n),
                Ok(false) => {}
                Err(e) => still.push((n, e.0, e.1)),
            }
        }
        for (n, why) in left {
            let (why, waiting) = match why {
                // Found unreachable once (preflight's refresh, the attach before): one more
                // try, since `set-publisher --enable` refreshes it and leaves it disabled if it
                // still does not answer (oracle ss2 F2: a refresh that timed out once left the
                // zone's own publisher disabled).
                strategies::LeftDisabled::Unreachable => match self.enable_in_zone(&n, 0) {
                    Ok(true) => {
                        enabled.push(n);
                        continue;
                    }
                    Ok(false) => continue,
                    Err(_) => (
                        "the zone had it enabled, but the global zone could not reach its \
                         repository"
                            .to_string(),
                        true,
                    ),
                },
                strategies::LeftDisabled::NotEnabledBefore => (
                    "the zone did not have it enabled before".to_string(),
                    self.facts.gz_unreachable.as_ref().is_none_or(|u| u.contains(&n)),
                ),
            };
            still.push((n, why, waiting));
        }
        let root = self.facts.zone_root_quoted();
        if !enabled.is_empty() {
            self.emit(Event::Finding(
                Finding::info(
                    "gz-publishers.reenabled-in-zone",
                    format!(
                        "enabled {} again in the zone (the attach copied them disabled; the zone \
                         had them enabled before; their catalogs refreshed)",
                        enabled.join(", ")
                    ),
                )
                .detail(
                    enabled
                        .iter()
                        .map(|n| format!("pkg -R {root} set-publisher --enable {n}"))
                        .collect::<Vec<_>>()
                        .join("; "),
                ),
            ));
        }
        if !still.is_empty() {
            let names: Vec<&str> = still.iter().map(|(n, ..)| n.as_str()).collect();
            // "Once their repositories answer" only for those whose repository may not.
            let waiting: Vec<&str> =
                still.iter().filter(|(.., w)| *w).map(|(n, ..)| n.as_str()).collect();
            let when = if waiting.len() == names.len() {
                "once their repositories answer, if the zone should use them".to_string()
            } else if waiting.is_empty() {
                "if the zone should use them".to_string()
            } else {
                format!(
                    "if the zone should use them ({} once their repositories answer)",
                    waiting.join(", ")
                )
            };
            // One the zone used is off now: its packages get no updates from it (said above
            // info, so that the summary names it).
            let lost = still.iter().any(|(n, ..)| {
                self.facts.zone_publishers_at_start.iter().any(|p| p.name == *n && p.enabled)
            });
            let severity = if lost { Severity::Medium } else { Severity::Info };
            self.emit(Event::Finding(
                Finding::warn(
                    "gz-publishers.copied-disabled",
                    severity,
                    format!(
                        "the attach copied {} into the zone disabled (as the global zone has \
                         them: disabled there, or disabled for the attach)",
                        names.join(", ")
                    ),
                )
                .detail(
                    still
                        .iter()
                        .map(|(n, why, _)| format!("{n}: {why}"))
                        .collect::<Vec<_>>()
                        .join("; "),
                )
                .remediation(format!(
                    "{when}: {}",
                    names
                        .iter()
                        .map(|n| format!("pkg -R {root} set-publisher --enable {n}"))
                        .collect::<Vec<_>>()
                        .join("; ")
                )),
            ));
        }
    }

    /// Solaris 11 Express's attach re-creates the global zone's publishers in the zone: those
    /// unset for it are not among them, where a plain attach would have added them. They are
    /// named, with the command that adds each (the global zone's origin; its SSL
    /// key/certificate and proxy as `pkg publisher NAME` shows them), rather than leaving the
    /// zone silently cut off them (updates, support repositories).
    pub(super) fn note_unset_missing_in_zone(&mut self, unset: &[String]) {
        self.facts.refresh_zone(&self.exec.runner);
        let has = |n: &str| self.facts.zone_publishers.iter().any(|p| p.name == n);
        let missing: Vec<&String> = unset.iter().filter(|n| !has(n)).collect();
        if missing.is_empty() {
            return;
        }
        let zp = self.facts.zone_pkg();
        // What only `pkg publisher NAME` showed (SSL key and certificate, proxies), recorded
        // before the unset: the zone gets them as the global zone has them.
        let details = self
            .journal
            .gz_publishers_detail
            .as_deref()
            .and_then(|d| crate::commands::pkg::parse_publisher_detail(d).ok())
            .unwrap_or_default();
        let (mut commands, mut notes) = (Vec::new(), Vec::new());
        for n in &missing {
            let Some(p) = self.facts.gz_publishers.iter().find(|p| p.name == **n) else {
                continue;
            };
            let detail = details.iter().find(|d| d.name == p.name);
            if let Ok((specs, more)) =
                strategies::readd_specs(&zp, p, detail, strategies::Place::Last)
            {
                commands.extend(specs.iter().map(|s| s.display()));
                notes.extend(more);
            }
        }
        let names: Vec<&str> = missing.iter().map(|n| n.as_str()).collect();
        self.emit(Event::Finding(
            Finding::warn(
                "gz-publishers.missing-in-zone",
                Severity::Medium,
                format!(
                    "the zone lacks the global zone's publisher(s) {}: they were out of the \
                     attach's way, and this release's attach re-creates in the zone only the \
                     global zone's publishers it finds",
                    names.join(", ")
                ),
            )
            .detail(notes.join("; "))
            .remediation(format!(
                "if the zone should use them, add them as the global zone has them: {}",
                commands.join("; ")
            )),
        ));
    }
}

/// Finding key of a zone publisher an `incremental` step left pointing at its repository.
pub(crate) const REPOINTED: &str = "incremental.publisher-repointed";

impl Run {
    /// After an attach that took a rescue with an `incremental` step: a zone publisher that
    /// still points at the step's repository (the attach re-creates only the global zone's
    /// publishers) is named with what it had and how to point it back (cm ww F2: a temporary
    /// mirror stayed the zone's origin without a word).
    pub(super) fn note_repointed_by_a_step(&mut self) {
        if self.exec.dry_run || !self.applied.contains(&strategies::StrategyName::Incremental) {
            return;
        }
        let zp = self.facts.zone_pkg();
        let Ok(now) = crate::commands::pkg::publishers(&self.exec.runner, &zp) else {
            return;
        };
        let norm = |o: &str| o.trim_end_matches('/').to_string();
        // The global zone's own origins are where the zone belongs now, not a step's (regress
        // ww2 F2: every OmniOS step ending on the GZ's release was called repointed).
        let gz: Vec<String> = self
            .facts
            .gz_publishers
            .iter()
            .flat_map(|g| g.origins.iter().map(|o| norm(&o.uri)))
            .collect();
        let steps: Vec<String> = self
            .facts
            .repositories
            .iter()
            .map(|r| norm(&r.uri))
            .filter(|u| !gz.contains(u))
            .collect();
        for p in now.iter().filter(|p| p.syspub != Some(true)) {
            let Some(before) =
                self.facts.zone_publishers_at_start.iter().find(|b| b.name == p.name)
            else {
                continue;
            };
            let origins = |x: &crate::commands::pkg::Publisher| -> Vec<String> {
                x.origins.iter().map(|o| norm(&o.uri)).collect()
            };
            let (was, is) = (origins(before), origins(p));
            if was == is || !is.iter().any(|o| steps.contains(o)) {
                continue;
            }
            let Some(first) = before.origins.first() else { continue };
            let back = zp.set_publisher_spec(&crate::commands::pkg::SetPublisher {
                name: p.name.clone(),
                set_origin: Some(first.uri.clone()),
                no_refresh: true,
                ..Default::default()
            });
            let f = Finding::warn(
                REPOINTED,
                Severity::Medium,
                format!(
                    "the zone's publisher {} points at the intermediate step's repository {} \
                     (it had {}): the attach left it so",
                    p.name,
                    p.origins.iter().map(|o| o.uri.as_str()).collect::<Vec<_>>().join(", "),
                    before.origins.iter().map(|o| o.uri.as_str()).collect::<Vec<_>>().join(", ")
                ),
            )
            .detail(
                "a repository of an older release, or a mirror kept only for the rescue, is no \
                 origin for the zone's next update",
            );
            let f = match back {
                Ok(spec) => f.remediation(format!(
                    "point it back (or at the repository of the release the zone runs now): {}",
                    spec.display()
                )),
                Err(_) => f,
            };
            self.extra_findings.push(f.clone());
            self.emit(Event::Finding(f));
        }
    }

    /// `pkg -R ROOT set-publisher --enable NAME` (which refreshes it), tried again up to
    /// `retries` times on a cause that may pass: whether it was enabled (false: a dry run), or
    /// why not and whether its repository may not answer.
    fn enable_in_zone(&mut self, n: &str, retries_allowed: u32) -> Result<bool, (String, bool)> {
        let zp = self.facts.zone_pkg();
        let spec = strategies::zone_enable_spec(&zp, n)
            .map_err(|e| (format!("not enabled again: {e}"), false))?;
        if self.exec.interrupt.is_set() {
            return Err(("not enabled again: the run was interrupted".into(), false));
        }
        // pkg crashing or a repository blip says nothing of the publisher: tried again.
        let mut retries = 0;
        let done = loop {
            let done = self.exec.change(&spec);
            let passing = match &done {
                Ok(Some(out)) => environment::of_output(&spec, out),
                Err(e) => environment::of_error(&spec, e),
                Ok(None) => None,
            }
            .filter(environment::Failure::may_pass);
            let Some(f) = passing.filter(|_| retries < retries_allowed) else {
                break done;
            };
            let why = format!("{}; enabling {n} again", f.describe());
            if !self.exec.wait_before_retry(&why, retries, retries_allowed) {
                break done;
            }
            retries += 1;
        };
        match done {
            Ok(Some(out)) if out.success() => Ok(true),
            Ok(Some(out)) => Err((
                format!(
                    "the zone had it enabled, but `{}` failed, so it stays disabled: {}",
                    spec.display(),
                    strategies::tail(&out)
                ),
                true,
            )),
            // A dry run (which has no attach either): only shown.
            Ok(None) => Ok(false),
            Err(e) => Err((
                format!("the zone had it enabled, but `{}` could not run: {e}", spec.display()),
                true,
            )),
        }
    }
}
