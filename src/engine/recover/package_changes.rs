//! What a rescue did to the zone's packages, said in its summary: those it no longer has
//! (uninstalled, renamed, or forgotten by image-create), the renames steps made, and what
//! re-creating the image drops (asked before it runs).

use super::Run;
use crate::engine::events::Event;
use crate::engine::findings::{Finding, Severity};

impl Run {
    /// The packages the zone had at the start that it no longer has (uninstalled, renamed,
    /// or forgotten by image-create), said as a finding with what came instead; the names.
    pub(super) fn packages_gone(&mut self) -> Vec<String> {
        self.facts.refresh_zone(&self.exec.runner);
        let now = &self.facts.zone_packages;
        let mut gone: Vec<String> =
            self.packages_at_start.iter().filter(|p| !now.contains(p)).cloned().collect();
        if gone.is_empty() || self.exec.dry_run {
            return Vec::new();
        }
        // A package the update renamed is still there under its new name: not lost. Also
        // one a step renamed, which the final repository may hold no record of.
        let mut renamed = self.renamed_now_installed(&gone);
        for (old, new) in &self.journal.renamed {
            let mut to = new;
            // Renamed again by a later step: followed to what is installed now (bounded: a
            // record cannot make it loop).
            for _ in 0..self.journal.renamed.len() {
                match self.journal.renamed.iter().find(|(o, _)| o == to) {
                    Some((_, next)) => to = next,
                    None => break,
                }
            }
            if gone.contains(old)
                && self.facts.zone_packages.contains(to)
                && !renamed.iter().any(|(o, _)| o == old)
            {
                renamed.push((old.clone(), to.clone()));
            }
        }
        gone.retain(|p| !renamed.iter().any(|(old, _)| old == p));
        if !renamed.is_empty() {
            let each: Vec<String> =
                renamed.iter().map(|(old, new)| format!("{old} → {new}")).collect();
            self.emit(Event::Finding(Finding::info(
                "zone.packages-renamed",
                format!("renamed by the update, installed under the new name: {}", each.join(", ")),
            )));
        }
        if gone.is_empty() {
            return gone;
        }
        let now = &self.facts.zone_packages;
        let new: Vec<&str> = now
            .iter()
            .filter(|p| !self.packages_at_start.contains(p))
            .map(String::as_str)
            .collect();
        let root = self.facts.zone_root_quoted();
        // Those the global zone's release still offers (image-create forgets them all): the
        // one command that puts them back, checked with -n first.
        let offered: Vec<crate::commands::Fmri> = gone
            .iter()
            .filter(|p| self.facts.gz_catalogs.as_ref().is_some_and(|c| c.current.contains(p)))
            .filter_map(|p| crate::commands::Fmri::stem(p).ok())
            .collect();
        // Those the repositories record as renamed (not installed under the new name: the
        // attach could not follow the rename): the new names, and the command (oracle kk F1).
        let renamed_away = self.renames(&gone, &|_| true);
        let back = if offered.is_empty() {
            String::new()
        } else {
            let opts = crate::commands::pkg::PlanOptions {
                verbose: true,
                accept: true,
                ..Default::default()
            };
            let install = self.facts.zone_pkg().install_spec(&opts, &offered);
            let names: Vec<&str> = offered.iter().map(|f| f.name.as_str()).collect();
            // Listed is not installable: one removed because it requires a package the release
            // no longer has cannot come back (oracle mm F2). pkg's own plan says.
            let plan = crate::commands::pkg::PlanOptions { dry_run: true, ..opts.clone() };
            let check = self.facts.zone_pkg().install_spec(&plan, &offered);
            let listed = format!("the global zone's release still offers {}", names.join(", "));
            match self.exec.read(&check) {
                Ok(o) if o.code == Some(0) => {
                    format!("{listed}: `{}` puts them back; ", install.display())
                }
                Err(_) => format!(
                    "{listed}: `{}` may put them back (its -n check could not run: add -n to see \
                     the plan first); ",
                    install.display()
                ),
                Ok(o) => {
                    let reason = o
                        .stderr
                        .lines()
                        .chain(o.stdout.lines())
                        .map(str::trim)
                        .find(|l| l.starts_with("Reason:"))
                        .map(|l| format!(" ({l})"))
                        .unwrap_or_default();
                    format!(
                        "the global zone's release still lists {}, but pkg cannot plan putting \
                         them back (`{}` fails{reason}): what they require is not offered at \
                         this release; ",
                        names.join(", "),
                        check.display()
                    )
                }
            }
        };
        let back = if renamed_away.is_empty() {
            back
        } else {
            let each: Vec<String> =
                renamed_away.iter().map(|(old, new)| format!("{old} → {new}")).collect();
            let targets: Vec<crate::commands::Fmri> = renamed_away
                .iter()
                .filter_map(|(_, new)| crate::commands::Fmri::stem(new).ok())
                .collect();
            let opts = crate::commands::pkg::PlanOptions {
                verbose: true,
                accept: true,
                ..Default::default()
            };
            let install = self.facts.zone_pkg().install_spec(&opts, &targets);
            let them = if renamed_away.len() == 1 { "it" } else { "them" };
            format!(
                "{back}the repositories record {them} as renamed ({}): `{}` installs {them} \
                 under the new name (add -n to see the plan first); ",
                each.join(", "),
                install.display()
            )
        };
        let core: Vec<&str> =
            gone.iter().filter(|p| self.playbook.is_core(p)).map(String::as_str).collect();
        let (severity, core_note) = if core.is_empty() {
            (Severity::Medium, String::new())
        } else {
            (
                Severity::High,
                format!(" (core: {}; the zone may not boot without them)", core.join(", ")),
            )
        };
        let mut f = Finding::warn(
            "zone.packages-removed",
            severity,
            format!(
                "{} package(s) the zone had are no longer installed: {}{core_note}",
                gone.len(),
                gone.join(", ")
            ),
        )
        .remediation(format!(
            "{back}check that the zone's services still have what they need; install what is \
             missing from a publisher that offers it (pkg -R {root} install NAME); the \
             pre-rescue snapshot keeps the old image"
        ));
        if !new.is_empty() {
            f = f.detail(format!("installed now that were not before: {}", new.join(", ")));
        }
        self.emit(Event::Finding(f.clone()));
        self.extra_findings.push(f);
        let unknown: Vec<String> =
            gone.iter().filter(|p| !renamed_away.iter().any(|(o, _)| o == *p)).cloned().collect();
        if let Some(f) = self.maybe_renamed_finding(&unknown) {
            self.emit(Event::Finding(f));
        }
        gone
    }

    /// Packages `gone` that the global zone's catalogs cannot tell renamed from removed, lost
    /// while a repository that steps map renames through did not answer: the step that would
    /// have kept them under their new names could not be tried there. One a step's release
    /// was seen to withdraw is not in doubt.
    pub(super) fn maybe_renamed_finding(&self, gone: &[String]) -> Option<Finding> {
        let catalogs = self.facts.gz_catalogs.as_ref()?;
        let doubtful: Vec<&str> = gone
            .iter()
            .filter(|p| catalogs.may_be_renamed(p) && !self.journal.withdrawn.contains(p))
            .map(String::as_str)
            .collect();
        let dead: Vec<&str> = self
            .facts
            .repositories
            .iter()
            .filter(|r| r.offer == crate::engine::facts::Offer::Unreachable)
            .map(|r| r.uri.as_str())
            .collect();
        if doubtful.is_empty() || dead.is_empty() {
            return None;
        }
        let zone = &self.facts.zone;
        Some(
            Finding::warn(
                "zone.removed-maybe-renamed",
                Severity::High,
                format!(
                    "{} may have been renamed, not dropped: the global zone's repositories \
                     cannot tell, and the intermediate repository that would map a rename ({}) \
                     did not answer, so the step that keeps them under a new name was not tried \
                     there",
                    doubtful.join(", "),
                    dead.join(", ")
                ),
            )
            .remediation(format!(
                "once that repository answers (or the playbook names a mirror of it): \
                 zonerescue rollback {zone}, then zonerescue {} again; or install what they \
                 were renamed to (pkg -R {} install NAME)",
                crate::cli::rescue_operand(zone.as_str()),
                self.facts.zone_root_quoted()
            )),
        )
    }

    /// Right after a step moved the image: the packages it no longer has that it renamed
    /// (asked now, while the zone's publisher is the step's repository, which holds the rename
    /// record the final one may not), kept in the journal for the summary.
    pub(super) fn note_step_renames(&mut self) {
        self.facts.refresh_zone(&self.exec.runner);
        let known = |p: &String| self.journal.renamed.iter().any(|(o, _)| o == p);
        let gone: Vec<String> = self
            .packages_at_start
            .iter()
            .chain(self.journal.renamed.iter().map(|(_, n)| n))
            .filter(|p| !self.facts.zone_packages.contains(p) && !known(p))
            .cloned()
            .collect();
        if !gone.is_empty() {
            let found = self.renamed_now_installed(&gone);
            self.journal.renamed.extend(found);
        }
    }

    /// Of `gone`, those whose newest catalog record (`pkg info -r`) renames them to a package
    /// the zone has now, with that package. A failed query claims no rename.
    pub(super) fn renamed_now_installed(&self, gone: &[String]) -> Vec<(String, String)> {
        let now = &self.facts.zone_packages;
        self.renames(gone, &|t| now.iter().any(|p| p == t))
    }

    /// Of `gone`, those whose newest catalog record (`pkg info -r`) renames them, with the
    /// first package they are renamed to that `pick` takes. A failed query claims no rename.
    fn renames(&self, gone: &[String], pick: &dyn Fn(&str) -> bool) -> Vec<(String, String)> {
        let stems: Vec<crate::commands::Fmri> =
            gone.iter().filter_map(|p| crate::commands::Fmri::stem(p).ok()).collect();
        let spec = self.facts.zone_pkg().info_spec(true, &stems);
        let Ok(out) = self.exec.read(&spec) else { return Vec::new() };
        let infos = crate::commands::pkg::parse_info(&out.stdout).unwrap_or_default();
        infos
            .iter()
            .filter_map(|i| {
                let old = i.name().filter(|n| gone.iter().any(|g| g == n))?;
                let new = i.renamed_to().into_iter().find(|t| pick(t))?;
                Some((old.to_string(), new))
            })
            .collect()
    }
}

/// What re-creating the image drops, for its question: every installed package but the two
/// it installs again loses its package record (its files stay), named — a package the
/// operator just declined to uninstall is among them.
pub(super) fn dropped_records(installed: &[String]) -> String {
    const SHOWN: usize = 12;
    let lost: Vec<&str> = installed
        .iter()
        .map(String::as_str)
        .filter(|p| !matches!(*p, "entire" | "system/library"))
        .collect();
    if lost.is_empty() {
        return String::new();
    }
    let more = lost.len().saturating_sub(SHOWN);
    let mut names = lost[..lost.len().min(SHOWN)].join(", ");
    if more > 0 {
        names.push_str(&format!(" and {more} more"));
    }
    format!(
        ": {} package(s) lose their package record, their files stay ({names}); the \
         configuration files of the system/library package installed again are replaced by its \
         defaults (listed afterwards, with the commands to restore them)",
        lost.len()
    )
}
