//! `uninstall`: remove the packages that block the solver — those the diagnosis names, or
//! (when none is named, as on the blind ladder) the installed members of the playbook's
//! problem groups that the GZ's catalogs have no version of — with the installed packages
//! that depend on them. Checked with
//! `pkg -R ROOT uninstall -nv` first; never `-r`; never a core package.

use super::{Applied, Input, Preview, Strategy, StrategyName, tail};
use crate::commands::Fmri;
use crate::commands::pkg::{PlanOptions, parse_uninstall_blocks};
use crate::engine::exec::Exec;

#[derive(Default)]
pub struct Uninstall {
    /// The last preview's candidates and what its `uninstall -nv` rounds made of them: its
    /// apply runs no second round of checks for the same candidates (the image has not
    /// changed in between: at most the zone was detached and snapshotted).
    previewed: Option<(Vec<String>, Vec<String>)>,
}

/// Most dependency-expansion rounds (each `-n` costs a solver run).
const MAX_ROUNDS: usize = 6;

impl Uninstall {
    fn candidates(input: &Input) -> Vec<String> {
        let f = input.facts;
        let mut out: Vec<String> = Vec::new();
        let renamed = |p: &String| f.gz_catalogs.as_ref().is_some_and(|c| c.renamed.contains(p));
        let step_blockers: Vec<String> =
            crate::engine::journal::blockers_of(input.blocked, StrategyName::Incremental)
                .cloned()
                .collect();
        let named: Option<Vec<String>> = match (input.diagnosis, input.last_failure) {
            (Some(d), _) => Some(d.packages.clone()),
            // The blind ladder (no diagnosis), its step still ahead, takes only what is proven
            // unavailable at the GZ's release: excluded or without a version there (less what
            // the GZ's catalogs record a rename for), or obsolete in its catalogs. A package
            // named as removed may be a rename that incremental, the next rung, maps.
            (None, Some(d)) if input.rename_step_ahead => {
                let obsolete = f.gz_catalogs.as_ref().map(|c| c.obsolete.clone());
                let proven = d.unavailable.iter().filter(|p| !renamed(p)).cloned();
                Some(proven.chain(obsolete.unwrap_or_default()).collect())
            }
            // What the step found in its way, so that it can step again (oracle pp F4: the
            // attach after the blocked step named another package, a rename the step maps,
            // and the blocker stayed).
            (None, Some(_)) if step_blockers.iter().any(|p| f.is_installed_in_zone(p)) => {
                Some(step_blockers)
            }
            // After its step, what the log names, as an administrator reading it would.
            (None, Some(d)) => Some(d.packages.clone()),
            (None, None) => None,
        };
        if let Some(named) = &named {
            for p in named {
                if f.is_installed_in_zone(p) && !input.playbook.is_core(p) && !out.contains(p) {
                    out.push(p.clone());
                }
            }
        }
        // Nothing named: the problem groups' members, except those the GZ's catalogs offer
        // at its release: a member the release still carries does not block, and removing it
        // would lose an application for nothing. So does one they record a rename for, until
        // an attach has failed: the attach follows a rename when the repository keeps the
        // history from the zone's version, which only a failed attach shows it does not; and
        // on the blind ladder until its step has been tried, which may map it.
        if out.is_empty() {
            // Kept for the blind ladder's step: a rename the catalogs record, or a package the
            // last failure names without proving it unavailable (pkg says "no suitable
            // version" of a rename whose record the GZ's repository dropped, too).
            let named_by_failure =
                |p: &String| input.last_failure.is_some_and(|d| d.packages.contains(p));
            let waits_for_step =
                |p: &String| input.rename_step_ahead && (renamed(p) || named_by_failure(p));
            // Before an attach has failed, one the catalogs do not know at all may be a
            // rename whose record the GZ's repository no longer keeps (the zone's does, and
            // the attach maps it): kept until an attach names it (oracle tt F1: Apache was
            // removed where a plain attach kept it under its new name).
            let unavailable = |p: &String| {
                !waits_for_step(p)
                    && f.gz_catalogs.as_ref().is_none_or(|c| {
                        !c.current.contains(p)
                            && (input.attach_failed
                                || (!c.renamed.contains(p) && !c.unknown.contains(p)))
                    })
            };
            for p in &f.zone_packages {
                if input.playbook.problem_group(p).is_some() && unavailable(p) && !out.contains(p) {
                    out.push(p.clone());
                }
            }
        }
        out.retain(|p| !input.playbook.is_core(p));
        out
    }

    /// What the blind ladder's uninstall keeps until its step has been tried (a rename the
    /// global zone's catalogs record, a package the failed attach names without proving it
    /// gone) and removes after it.
    pub fn waiting_for_step(input: &Input) -> Vec<String> {
        let before = Self::candidates(&Input { rename_step_ahead: true, ..*input });
        let after = Self::candidates(&Input { rename_step_ahead: false, ..*input });
        after.into_iter().filter(|p| !before.contains(p)).collect()
    }

    /// What would be removed once an attach has failed and not before: members of the
    /// problem groups the global zone's catalogs do not know at all (maybe renamed).
    pub fn named_once_attached(input: &Input) -> Vec<String> {
        let now = Self::candidates(input);
        let after = Self::candidates(&Input { attach_failed: true, ..*input });
        after.into_iter().filter(|p| !now.contains(p)).collect()
    }

    /// Why there is nothing to remove now: nothing blocks, or (blind ladder) what would be
    /// removed waits for the step that may map its rename.
    fn nothing_now(input: &Input) -> String {
        let later = Self::waiting_for_step(input);
        if input.rename_step_ahead && !later.is_empty() {
            format!(
                "{} kept for now: maybe renamed (the global zone's catalogs record a rename, or \
                 the attach names it without proving it gone), which the step (incremental, \
                 next) may map; removed after it if the attach still fails",
                later.join(", ")
            )
        } else {
            NOTHING_BLOCKS.into()
        }
    }
}

/// Why uninstall has nothing to remove.
const NOTHING_BLOCKS: &str = "no installed, non-core package blocks the solver";

fn stem_of(printed: &str) -> String {
    Fmri::parse(printed.trim()).map(|f| f.name).unwrap_or_else(|_| printed.trim().to_string())
}

impl Strategy for Uninstall {
    fn name(&self) -> StrategyName {
        StrategyName::Uninstall
    }
    fn worth_trying(&self, input: &Input) -> Result<String, String> {
        let c = Self::candidates(input);
        if c.is_empty() {
            Err(Self::nothing_now(input))
        } else {
            Ok(format!(
                "remove {} (they block the solver; never core packages, never -r)",
                c.join(", ")
            ))
        }
    }
    fn removes(&self, input: &Input) -> Vec<String> {
        Self::candidates(input)
    }
    fn commands(&self, input: &Input) -> Vec<String> {
        let zp = input.facts.zone_pkg();
        let pk: Vec<Fmri> =
            Self::candidates(input).iter().filter_map(|p| Fmri::stem(p).ok()).collect();
        // None known yet (a plan before any attach failed): said, not left out of the line.
        let none = if pk.is_empty() { " <the packages a failed attach names>" } else { "" };
        vec![
            format!(
                "{}{none}",
                zp.uninstall_spec(
                    &PlanOptions { dry_run: true, verbose: true, ..Default::default() },
                    &pk,
                )
                .display()
            ),
            format!(
                "{}{none}   (with the packages that depend on them, should the -n check name \
                 any; never a core package)",
                zp.uninstall_spec(&PlanOptions { verbose: true, ..Default::default() }, &pk)
                    .display()
            ),
        ]
    }
    fn preview(&mut self, input: &Input, exec: &Exec) -> anyhow::Result<Preview> {
        let asked = Self::candidates(input);
        // Nothing to remove is said as such, not as a plan that "did not converge" (regress
        // uu F4).
        if asked.is_empty() {
            return Ok(Preview::WillNotApply(Applied::NothingToDo(Self::nothing_now(input))));
        }
        let all = match Self::expand(input, exec)? {
            Expansion::Ready(all) => all,
            Expansion::Not(a) => return Ok(Preview::WillNotApply(a)),
        };
        self.previewed = Some((asked.clone(), all.clone()));
        let more: Vec<&str> =
            all.iter().filter(|p| !asked.contains(p)).map(|p| p.as_str()).collect();
        if more.is_empty() {
            return Ok(Preview::AsSaid);
        }
        Ok(Preview::More(format!(
            "pkg's dry run (uninstall -nv) removes with them {}: installed packages that depend \
             on them (pkg removes none that others need; never -r)",
            more.join(", ")
        )))
    }
    fn apply(&mut self, input: &Input, exec: &Exec) -> anyhow::Result<Applied> {
        if Self::candidates(input).is_empty() {
            // The blind ladder applies rungs not worth trying too: say why nothing is done.
            return Ok(Applied::NothingToDo(Self::nothing_now(input)));
        }
        let pkgs = match self.previewed.take() {
            Some((asked, all)) if asked == Self::candidates(input) => all,
            _ => match Self::expand(input, exec)? {
                Expansion::Ready(p) => p,
                Expansion::Not(a) => return Ok(a),
            },
        };
        let zp = input.facts.zone_pkg();
        let fm: Vec<Fmri> = pkgs.iter().filter_map(|p| Fmri::stem(p).ok()).collect();
        let real = zp.uninstall_spec(&PlanOptions { verbose: true, ..Default::default() }, &fm);
        Ok(match exec.change(&real)? {
            None => Applied::Changed {
                detail: format!("would remove {}", pkgs.join(", ")),
                findings: vec![],
            },
            Some(o) if o.success() => Applied::Changed {
                detail: format!("removed {}", pkgs.join(", ")),
                findings: vec![],
            },
            Some(o) => Applied::NotSolvable(format!("uninstall failed: {}", tail(&o))),
        })
    }
}

/// What `uninstall -nv` rounds make of the candidates.
enum Expansion {
    /// These go together (the candidates and what depends on them): `uninstall -nv` passes.
    Ready(Vec<String>),
    /// Nothing to remove that way: why (not solvable, or stuck on a core package's need).
    Not(Applied),
}

impl Uninstall {
    /// The candidates with the installed packages that depend on them, found by `uninstall
    /// -nv` rounds (read-only), minus those a core package needs.
    fn expand(input: &Input, exec: &Exec) -> anyhow::Result<Expansion> {
        let zp = input.facts.zone_pkg();
        let mut pkgs = Self::candidates(input);
        // What the release's own entire requires comes back with the attach: removing it (or
        // the others, whose attach would still fail on it) cannot help, whichever choice
        // climbs (the blind ladder reads the same failure).
        let failure = input.diagnosis.or(input.last_failure);
        let required: Vec<String> = pkgs
            .iter()
            .filter(|p| failure.is_some_and(|d| d.required_by_release.contains(p)))
            .cloned()
            .collect();
        if !required.is_empty() {
            return Ok(Expansion::Not(Applied::Stuck {
                why: format!(
                    "cannot help by removing {}: the global zone's release itself requires it \
                     (its entire names it as a 'require' dependency no publisher offers), so \
                     the attach would still fail on it (only re-creating the image gets past)",
                    required.join(", ")
                ),
                packages: required,
            }));
        }
        // Packages that must stay, each with the core package that needs it.
        let mut refused: Vec<(String, String)> = Vec::new();
        for _ in 0..MAX_ROUNDS {
            if pkgs.is_empty() {
                break;
            }
            let fm: Vec<Fmri> = pkgs.iter().filter_map(|p| Fmri::stem(p).ok()).collect();
            let check = zp.uninstall_spec(
                &PlanOptions { dry_run: true, verbose: true, ..Default::default() },
                &fm,
            );
            let out = exec.read(&check)?;
            if out.code == Some(0) {
                return Ok(Expansion::Ready(pkgs));
            }
            let blocks = parse_uninstall_blocks(&out.stderr);
            if blocks.is_empty() {
                let why = format!("uninstall -n failed: {}", tail(&out));
                return Ok(Expansion::Not(Applied::NotSolvable(why)));
            }
            for b in blocks {
                let blocked = stem_of(&b.fmri);
                let deps: Vec<String> = b.dependents.iter().map(|d| stem_of(d)).collect();
                // A dependent that must stay (core, or itself required by core) holds it too.
                let must_stay =
                    |d: &&String| input.playbook.is_core(d) || refused.iter().any(|(r, _)| r == *d);
                if let Some(holder) = deps.iter().find(must_stay) {
                    let root = refused.iter().find(|(r, _)| r == holder).map(|(_, c)| c.clone());
                    let by = match &root {
                        Some(core) => format!("{holder}, which core package {core} needs,"),
                        None => format!("core package {holder}"),
                    };
                    // Only for packages proven unavailable at the GZ's release (an attach's
                    // diagnosis may name packages that a step would map instead).
                    let unavailable =
                        input.diagnosis.is_some_and(|d| d.unavailable.contains(&blocked));
                    if unavailable {
                        // A blocker that must stay keeps the attach failing whatever else
                        // goes: removing the others would be change for nothing.
                        return Ok(Expansion::Not(Applied::Stuck {
                            why: format!(
                                "cannot remove {blocked}: {by} depends on it, and \
                                 the global zone's release has no version of it, so the attach \
                                 would still fail on it (only re-creating the image gets past)"
                            ),
                            packages: vec![blocked],
                        }));
                    }
                    // Removing it would need a core package to go: drop it from the set.
                    if !refused.iter().any(|(r, _)| *r == blocked) {
                        refused.push((blocked.clone(), root.unwrap_or_else(|| holder.clone())));
                    }
                    pkgs.retain(|p| *p != blocked);
                } else {
                    for d in deps {
                        if !pkgs.contains(&d) {
                            pkgs.push(d);
                        }
                    }
                }
            }
        }
        let why = if refused.is_empty() {
            "the uninstall plan did not converge".to_string()
        } else {
            let each: Vec<String> = refused
                .iter()
                .map(|(p, core)| format!("{p} (core package {core} depends on it)"))
                .collect();
            format!("cannot remove {}", each.join(", "))
        };
        Ok(Expansion::Not(Applied::NotSolvable(why)))
    }
}
