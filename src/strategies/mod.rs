//! The recovery strategies, one module each (the rungs of the ladder). Their canonical names
//! are one vocabulary across the CLI, playbooks, reports and the simulator's oracle.
//!
//! Every strategy answers three questions behind [`Strategy`]: is it worth trying given the
//! facts and the diagnosis of the last failure, which commands will it run (shown in prompts
//! and `--dry-run`), and apply (its own checks such as `pkg … -n` first). Success of a rung is
//! always checked the same way by the engine: the next `attach -u` leaves the zone `installed`.

mod attach;
mod gz_publishers;
mod image_create;
mod image_update;
mod incremental;
mod name;
mod uninstall;
mod zone_publishers;

pub use gz_publishers::GzPublisherGuard;
pub use image_create::config_differences;
pub use name::{StrategyChoice, StrategyName};

use crate::engine::diagnosis::Diagnosis;
use crate::engine::exec::Exec;
use crate::engine::facts::Facts;
use crate::engine::findings::Finding;
use crate::playbook::Playbook;

/// What a strategy sees when deciding and planning.
pub struct Input<'a> {
    pub facts: &'a Facts,
    pub diagnosis: Option<&'a Diagnosis>,
    pub playbook: &'a Playbook,
    /// `auto` restricts some strategies to what the diagnosis names; `ladder` is blind.
    pub guided: bool,
}

/// The result of [`Strategy::apply`].
#[derive(Debug)]
pub enum Applied {
    /// The change is made; attach again.
    Changed { detail: String, findings: Vec<Finding> },
    /// Nothing to change (already in that state): no attach attempt needed for it.
    NothingToDo(String),
    /// The strategy's own commands did not solve: the engine rolls back its snapshot.
    NotSolvable(String),
}

pub trait Strategy {
    fn name(&self) -> StrategyName;
    /// `Ok(reason)` when worth trying, `Err(why not)` otherwise.
    fn worth_trying(&self, input: &Input) -> Result<String, String>;
    /// The commands `apply` will run, as an administrator would type them.
    fn commands(&self, input: &Input) -> Vec<String>;
    fn apply(&mut self, input: &Input, exec: &Exec) -> anyhow::Result<Applied>;
}

/// `incremental` re-points a zone publisher to an intermediate repository; when every zone
/// publisher the diagnosis calls unreachable is one it re-points, it fixes both problems in
/// one rung and `zone-publishers` would be a wasted attempt.
pub fn incremental_subsumes_zone_publishers(input: &Input) -> bool {
    let dead = zone_publishers::ZonePublishers::known_dead(input);
    if dead.is_empty() {
        return false;
    }
    let cands = incremental::candidates(input);
    !cands.is_empty() && dead.iter().all(|d| cands.iter().any(|c| &c.publisher == d))
}

pub fn make(name: StrategyName) -> Box<dyn Strategy> {
    match name {
        StrategyName::Attach => Box::new(attach::Attach),
        StrategyName::GzPublishers => Box::new(gz_publishers::GzPublishers),
        StrategyName::ZonePublishers => Box::new(zone_publishers::ZonePublishers),
        StrategyName::Uninstall => Box::new(uninstall::Uninstall),
        StrategyName::Incremental => Box::new(incremental::Incremental),
        StrategyName::ImageUpdate => Box::new(image_update::ImageUpdate),
        StrategyName::ImageCreate => Box::new(image_create::ImageCreate),
    }
}

/// Runs a pkg plan command, returning (exit code, stdout, stderr); `None` in a dry run.
pub(crate) fn run_pkg(
    exec: &Exec,
    spec: &crate::system::CommandSpec,
    read_only: bool,
) -> anyhow::Result<Option<crate::system::CommandOutput>> {
    let out = if read_only { Some(exec.read(spec)?) } else { exec.change(spec)? };
    Ok(out)
}

/// The last meaningful lines of a failed command, for a one-line reason.
pub(crate) fn tail(out: &crate::system::CommandOutput) -> String {
    let text = if out.stderr.trim().is_empty() { &out.stdout } else { &out.stderr };
    let lines: Vec<&str> = text.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    let start = lines.len().saturating_sub(3);
    lines[start..].join(" / ")
}
