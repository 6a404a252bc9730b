//! `image-update`: `pkg -R ROOT image-update -v` (`update -v` where the playbook says so):
//! the image moves to the newest build its own publishers offer. One past the global zone's
//! (pkg never downgrades, and no attach brings it back) is undone.

use super::{
    Applied, Input, Strategy, StrategyName, hidden_own_configuration, run_pkg, tail,
    use_own_configuration,
};
use crate::commands::pkg::PlanOptions;
use crate::engine::exec::Exec;

pub struct ImageUpdate;

impl ImageUpdate {
    fn spec(input: &Input) -> crate::system::CommandSpec {
        let zp = input.facts.zone_pkg();
        let opts = PlanOptions { verbose: true, ..Default::default() };
        if input.playbook.update_subcommand == "image-update" {
            zp.image_update_spec(&opts)
        } else {
            zp.update_spec(&opts, &[])
        }
    }
}

impl ImageUpdate {
    /// The zone's build after the update and the global zone's, when the update went past it
    /// (its own publishers offer a newer release than the global zone runs).
    fn past_the_gz(input: &Input, exec: &Exec) -> Option<(u64, u64)> {
        let gb = input.facts.gz_build()?;
        let entire = crate::commands::Fmri::stem("entire").ok()?;
        let zp = input.facts.zone_pkg();
        let now = crate::commands::pkg::installed_fmri(&exec.runner, &zp, &entire).ok()??;
        let b = now.version.as_ref()?.os_build()?;
        (b > gb).then_some((b, gb))
    }
}

impl Strategy for ImageUpdate {
    fn name(&self) -> StrategyName {
        StrategyName::ImageUpdate
    }
    fn worth_trying(&self, input: &Input) -> Result<String, String> {
        if input.facts.zone_publishers.iter().all(|p| !p.enabled) {
            return Err("the zone image has no enabled publisher to update from".into());
        }
        Ok("update the zone image to the newest build its own publishers offer".into())
    }
    fn commands(&self, input: &Input) -> Vec<String> {
        let mut out = Vec::new();
        if hidden_own_configuration(input) {
            out.push(format!(
                "{}   (the zone's own publishers, not the system repository's)",
                input.facts.zone_pkg().use_system_repo_spec(false).display()
            ));
        }
        out.push(Self::spec(input).display());
        out
    }
    fn apply(&mut self, input: &Input, exec: &Exec) -> anyhow::Result<Applied> {
        // A Solaris 11 attach, failed or not, put the zone on the system repository (the
        // global zone's publishers): its own, which this rung updates from, are only hidden.
        if hidden_own_configuration(input)
            && let Err(said) = use_own_configuration(exec, &input.facts.zone_pkg())?
        {
            return Ok(Applied::NotSolvable(format!(
                "the zone's own publisher configuration could not be used again: {said}"
            )));
        }
        let Some(out) = run_pkg(exec, &Self::spec(input), false)? else {
            return Ok(Applied::Changed { detail: "dry run".into(), findings: vec![] });
        };
        Ok(match out.code {
            Some(0) => match Self::past_the_gz(input, exec) {
                // pkg never downgrades: an image newer than the global zone never attaches.
                Some((b, gb)) => Applied::NotSolvable(format!(
                    "the update took the zone to build {b}, past the global zone's {gb}: an \
                     attach cannot bring it back down (undone)"
                )),
                None => Applied::Changed { detail: "image updated".into(), findings: vec![] },
            },
            Some(4) => Applied::NothingToDo("no newer build in the zone's own publishers".into()),
            _ => Applied::NotSolvable(tail(&out)),
        })
    }
}
