//! `gz-publishers`: for the duration of each attach, the global zone keeps only its
//! first-ranked enabled publisher (the others — disabled ones too, which trip the
//! Solaris 11 Express attach — are unset), and afterwards every publisher is put back exactly:
//! origins, mirrors, enabled/disabled, sticky and rank order. The restore runs whatever
//! happens ([`GzPublisherGuard`] restores on drop too), and the `pkg publisher -H -F tsv`
//! before and after are compared.

use super::{Applied, Input, Strategy, StrategyName};
use crate::commands::pkg::{Pkg, Publisher, SetPublisher};
use crate::engine::exec::Exec;
use crate::engine::facts::Facts;
use crate::system::{CommandSpec, Runner};

pub struct GzPublishers;

/// The publishers the simplification removes (all but the first enabled one).
fn to_remove(pubs: &[Publisher]) -> (Option<&Publisher>, Vec<&Publisher>) {
    let keep = pubs.iter().find(|p| p.enabled && p.enabled_origins().next().is_some());
    let rest =
        pubs.iter().filter(|p| Some(p.name.as_str()) != keep.map(|k| k.name.as_str())).collect();
    (keep, rest)
}

/// The commands that put `removed` back, in an order that recreates the original ranking:
/// publishers ranked after the kept one are re-added in order (each lands last); those ranked
/// before it are then re-added from the last to the first with `-P` (each lands first).
pub fn restore_specs(original: &[Publisher], keep: &str) -> Vec<CommandSpec> {
    let gz = Pkg::live();
    let pos = original.iter().position(|p| p.name == keep).unwrap_or(0);
    let mut specs = Vec::new();
    let mut add = |p: &Publisher, first: bool| {
        let sp = SetPublisher {
            name: p.name.clone(),
            add_origins: p.origins.iter().map(|o| o.uri.clone()).collect(),
            add_mirrors: p.mirrors.iter().map(|o| o.uri.clone()).collect(),
            enable: Some(p.enabled),
            sticky: Some(p.sticky),
            search_first: first,
            // The publisher may be unreachable (often why it was removed): no refresh.
            no_refresh: true,
            ..Default::default()
        };
        if let Ok(s) = gz.set_publisher_spec(&sp) {
            specs.push(s);
        }
    };
    for p in original.iter().skip(pos + 1) {
        add(p, false);
    }
    for p in original.iter().take(pos).rev() {
        add(p, true);
    }
    specs
}

impl Strategy for GzPublishers {
    fn name(&self) -> StrategyName {
        StrategyName::GzPublishers
    }
    fn worth_trying(&self, input: &Input) -> Result<String, String> {
        let (keep, rest) = to_remove(&input.facts.gz_publishers);
        match (keep, rest.is_empty()) {
            (None, _) => Err("the global zone has no enabled publisher with an origin".into()),
            (Some(_), true) => {
                Err("the global zone has a single publisher: nothing to simplify".into())
            }
            (Some(k), false) => Ok(format!(
                "attach -u resolves against the global zone's publishers; keep only {} during the attach \
                 (removing {}) and restore them afterwards",
                k.name,
                rest.iter().map(|p| p.name.as_str()).collect::<Vec<_>>().join(", ")
            )),
        }
    }
    fn commands(&self, input: &Input) -> Vec<String> {
        let (keep, rest) = to_remove(&input.facts.gz_publishers);
        let names: Vec<&str> = rest.iter().map(|p| p.name.as_str()).collect();
        let mut out = Vec::new();
        if let Ok(s) = Pkg::live().unset_publisher_spec(&names) {
            out.push(format!("{}   (before each attach)", s.display()));
        }
        if let Some(k) = keep {
            for s in restore_specs(&input.facts.gz_publishers, &k.name) {
                out.push(format!("{}   (after each attach)", s.display()));
            }
        }
        out
    }
    fn apply(&mut self, input: &Input, _exec: &Exec) -> anyhow::Result<Applied> {
        self.worth_trying(input).map_err(anyhow::Error::msg)?;
        Ok(Applied::Changed {
            detail: "global-zone publishers will be simplified around each attach".into(),
            findings: vec![],
        })
    }
}

/// The global zone's publishers simplified; restores them when [`restore`](Self::restore)
/// is called or, failing that, when dropped.
pub struct GzPublisherGuard {
    runner: Runner,
    original: Vec<Publisher>,
    original_tsv: String,
    keep: String,
    restored: bool,
}

/// How the restore went.
#[derive(Debug, Clone)]
pub struct RestoreReport {
    pub intact: bool,
    /// Empty when intact; else before/after tsv.
    pub difference: String,
    /// The `pkg set-publisher` commands that re-add what is still missing (by hand).
    pub missing: Vec<String>,
}

impl GzPublisherGuard {
    /// Unsets every GZ publisher but the first enabled one. In a dry run nothing is changed.
    pub fn simplify(exec: &Exec, facts: &Facts) -> anyhow::Result<Option<GzPublisherGuard>> {
        let (keep, rest) = to_remove(&facts.gz_publishers);
        let Some(keep) = keep else { return Ok(None) };
        if rest.is_empty() {
            return Ok(None);
        }
        let names: Vec<&str> = rest.iter().map(|p| p.name.as_str()).collect();
        let spec = Pkg::live().unset_publisher_spec(&names)?;
        let mut guard = GzPublisherGuard {
            runner: exec.runner.clone(),
            original: facts.gz_publishers.clone(),
            original_tsv: facts.gz_publishers_tsv.clone(),
            keep: keep.name.clone(),
            restored: exec.dry_run,
        };
        if let Some(out) = exec.change(&spec)?
            && !out.success()
        {
            // Partial removal is possible (exit 3): put everything back before failing.
            let _ = guard.restore(exec);
            anyhow::bail!("unsetting global-zone publishers failed: {}", super::tail(&out));
        }
        Ok(Some(guard))
    }

    /// A guard for publishers recorded earlier (a journal): `restore` re-adds whatever of
    /// `original` is missing now. `None` when `original` has no enabled publisher.
    pub fn recorded(
        runner: &Runner,
        original: Vec<Publisher>,
        original_tsv: String,
    ) -> Option<GzPublisherGuard> {
        let keep = to_remove(&original).0?.name.clone();
        Some(GzPublisherGuard {
            runner: runner.clone(),
            original,
            original_tsv,
            keep,
            restored: false,
        })
    }

    /// Re-adds every removed publisher and compares the tsv with the original.
    pub fn restore(&mut self, exec: &Exec) -> RestoreReport {
        if self.restored {
            return RestoreReport { intact: true, difference: String::new(), missing: vec![] };
        }
        self.restored = true;
        // A second pass for what a transient failure (a dropped connection, an I/O error)
        // left missing: the global zone serves every zone, it is worth one more try.
        let mut report = self.restore_missing(exec);
        if !report.intact {
            report = self.restore_missing(exec);
        }
        report
    }

    fn restore_missing(&self, exec: &Exec) -> RestoreReport {
        let current =
            crate::commands::pkg::publishers(&self.runner, &Pkg::live()).unwrap_or_default();
        for spec in restore_specs(&self.original, &self.keep) {
            let name = spec.get_args().last().map(|a| a.to_string_lossy().into_owned());
            // Only what is missing now (a failed unset may have left some in place).
            if name.as_deref().is_some_and(|n| current.iter().any(|p| p.name == n)) {
                continue;
            }
            // Through `Exec` so that a pkg image lock held by another client is waited out.
            let _ = exec.change(&spec);
        }
        self.compare()
    }

    fn compare(&self) -> RestoreReport {
        let after = self
            .runner
            .run(&Pkg::live().publisher_tsv_spec())
            .map(|o| o.stdout)
            .unwrap_or_default();
        let after_pubs =
            crate::commands::pkg::publishers(&self.runner, &Pkg::live()).unwrap_or_default();
        let intact = after == self.original_tsv && after_pubs == self.original;
        let missing = restore_specs(&self.original, &self.keep)
            .iter()
            .filter(|s| {
                let name = s.get_args().last().map(|a| a.to_string_lossy().into_owned());
                !name.is_some_and(|n| after_pubs.iter().any(|p| p.name == n))
            })
            .map(|s| s.display())
            .collect();
        RestoreReport {
            intact,
            missing,
            difference: if intact {
                String::new()
            } else {
                format!("before:\n{}after:\n{}", self.original_tsv, after)
            },
        }
    }
}

impl Drop for GzPublisherGuard {
    fn drop(&mut self) {
        if !self.restored {
            self.restored = true;
            for spec in restore_specs(&self.original, &self.keep) {
                // Waits out another pkg client's image lock, as the normal restore does.
                let _ = crate::engine::exec::run_quietly_waiting_for_lock(&self.runner, &spec);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(name: &str, enabled: bool) -> Publisher {
        crate::strategies::testfacts::publisher(name, &format!("http://{name}/"), enabled)
    }

    #[test]
    fn keeps_first_enabled_and_restores_rank_order() {
        let pubs = vec![p("old", false), p("solaris", true), p("extra", false), p("x", true)];
        let (keep, rest) = to_remove(&pubs);
        assert_eq!(keep.unwrap().name, "solaris");
        assert_eq!(rest.len(), 3);
        let specs: Vec<String> =
            restore_specs(&pubs, "solaris").iter().map(|s| s.display()).collect();
        assert_eq!(specs.len(), 3);
        assert!(specs[0].ends_with(" extra") && specs[0].contains("--disable"), "{specs:?}");
        assert!(specs[1].ends_with(" x") && specs[1].contains("--enable"));
        assert!(specs[2].ends_with(" old") && specs[2].contains("-P"));
        assert!(specs.iter().all(|s| s.contains("--no-refresh") && s.contains("--sticky")));
    }
}
