//! The zone's publishers after an attach that had the global zone's out of its way: those
//! the attach copied in disabled are enabled again where the zone had them enabled, and
//! those Solaris 11 Express's attach did not re-create are named with how to add them.

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
        let zp = self.facts.zone_pkg();
        let mut enabled = Vec::new();
        // Left disabled in the zone: (name, why, whether its repository may not answer).
        let mut still: Vec<(String, String, bool)> = Vec::new();
        for n in enable {
            let spec = match strategies::zone_enable_spec(&zp, &n) {
                Ok(s) => s,
                Err(e) => {
                    still.push((n, format!("not enabled again: {e}"), false));
                    continue;
                }
            };
            if self.exec.interrupt.is_set() {
                still.push((n, "not enabled again: the run was interrupted".into(), false));
                continue;
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
                let Some(f) = passing.filter(|_| retries < environment::RETRIES) else {
                    break done;
                };
                let why = format!("{}; enabling {n} again", f.describe());
                if !self.exec.wait_before_retry(&why, retries, environment::RETRIES) {
                    break done;
                }
                retries += 1;
            };
            match done {
                Ok(Some(out)) if out.success() => enabled.push(n),
                Ok(Some(out)) => still.push((
                    n,
                    format!(
                        "the zone had it enabled, but `{}` failed, so it stays disabled: {}",
                        spec.display(),
                        strategies::tail(&out)
                    ),
                    true,
                )),
                // A dry run (which has no attach either): only shown.
                Ok(None) => {}
                Err(e) => still.push((
                    n,
                    format!("the zone had it enabled, but `{}` could not run: {e}", spec.display()),
                    true,
                )),
            }
        }
        for (n, why) in left {
            let (why, waiting) = match why {
                strategies::LeftDisabled::Unreachable => (
                    "the zone had it enabled, but the global zone could not reach its repository",
                    true,
                ),
                strategies::LeftDisabled::NotEnabledBefore => (
                    "the zone did not have it enabled before",
                    self.facts.gz_unreachable.as_ref().is_none_or(|u| u.contains(&n)),
                ),
            };
            still.push((n, why.into(), waiting));
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
            self.emit(Event::Finding(
                Finding::info(
                    "gz-publishers.copied-disabled",
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
