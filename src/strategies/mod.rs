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

pub use gz_publishers::{
    GzPublisherGuard, LeftDisabled, Place, attach_copies_publishers, readd_specs, zone_enable_spec,
    zone_reenable_plan,
};
pub use image_create::config_differences;
pub use name::{StrategyChoice, StrategyName};
pub use uninstall::Uninstall;
pub use zone_publishers::REMOVED as ZONE_PUBLISHERS_REMOVED;

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
    /// An attach has failed (this run's last, or the operator's own): what it would have
    /// shown to go through is in doubt, even on the blind ladder.
    pub attach_failed: bool,
    /// The diagnosis of the last failure whatever the choice: the blind ladder climbs in its
    /// fixed order, but what its uninstall removes is what the log names, as an administrator
    /// reading it would.
    pub last_failure: Option<&'a Diagnosis>,
    /// The blind ladder has `incremental` still ahead, which may map a rename the global
    /// zone's catalogs record: until it has been tried, uninstall keeps such a package.
    pub rename_step_ahead: bool,
    /// The rungs whose own dry run found installed packages in their way (`incremental`: the
    /// step's `entire` cannot keep them), which pkg named, whatever the last attach log says.
    pub blocked: &'a [crate::engine::journal::BlockedRung],
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
    /// Installed packages stand in the way of this strategy (pkg names them): the engine
    /// rolls back like `NotSolvable`, counts them as blockers, and may try this strategy again
    /// once they are gone.
    Blocked { why: String, packages: Vec<String> },
    /// These packages are unavailable at the global zone's release and cannot be removed
    /// (core packages depend on them): only re-creating the image gets past them. Rolled back
    /// like `NotSolvable`; auto tries no other gentle rung.
    Stuck { why: String, packages: Vec<String> },
}

/// The result of [`Strategy::preview`].
#[derive(Debug)]
pub enum Preview {
    /// Nothing to add to the question.
    AsSaid,
    /// Applying does more than the question says: the sentence that says it.
    More(String),
    /// Its own read-only check already shows `apply` would change nothing (never
    /// [`Applied::Changed`]): there is nothing to ask.
    WillNotApply(Applied),
}

pub trait Strategy {
    fn name(&self) -> StrategyName;
    /// `Ok(reason)` when worth trying, `Err(why not)` otherwise.
    fn worth_trying(&self, input: &Input) -> Result<String, String>;
    /// The commands `apply` will run, as an administrator would type them.
    fn commands(&self, input: &Input) -> Vec<String>;
    /// The installed packages applying it removes (said in its question); none by default.
    fn removes(&self, _input: &Input) -> Vec<String> {
        Vec::new()
    }
    /// Read-only checks worth their cost only when a person is asked: what applying would
    /// do beyond what the question says (`removes`), or that it would not apply at all.
    fn preview(&mut self, _input: &Input, _exec: &Exec) -> anyhow::Result<Preview> {
        Ok(Preview::AsSaid)
    }
    fn apply(&mut self, input: &Input, exec: &Exec) -> anyhow::Result<Applied>;
    /// What its last `apply` found candidate repositories to offer, for later rungs.
    fn learnt(&self) -> Vec<crate::engine::facts::RepositoryOffer> {
        Vec::new()
    }
}

/// The zone image has an enabled publisher known to be unreachable from the global zone
/// (preflight's refresh, or named by the diagnosis — e.g. a dead GZ publisher that an earlier
/// OpenIndiana or OmniOS attach copied into the zone): `zone-publishers` has evidence to act
/// on. A disabled one is never refreshed nor solved against.
/// pkg's message in `stderr`: its first line with text, without the `pkg CMD: ` prefix.
fn pkg_message(stderr: &str) -> String {
    let line = stderr.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or("(no message)");
    match line.strip_prefix("pkg ").and_then(|l| l.split_once(": ")) {
        Some((_, rest)) => rest.to_string(),
        None => line.to_string(),
    }
}

/// `pkg -R ROOT set-property use-system-repo false`: `Ok(true)` once switched, `Ok(false)` in
/// a dry run, `Err(what pkg said)` when it refused.
pub fn use_own_configuration(
    exec: &Exec,
    zp: &crate::commands::pkg::Pkg,
) -> anyhow::Result<Result<bool, String>> {
    Ok(match exec.change(&zp.use_system_repo_spec(false))? {
        None => Ok(false),
        Some(out) if !out.success() => Err(pkg_message(&out.stderr)),
        Some(_) => Ok(true),
    })
}

/// Whether the zone's publishers are the system repository's (Solaris 11 after an attach), so
/// that its own configuration, and any origin of its own, is hidden.
pub fn hidden_own_configuration(input: &Input) -> bool {
    input.facts.zone_publishers.iter().any(|p| p.syspub == Some(true))
}

pub fn zone_has_dead_publishers(input: &Input) -> bool {
    let dead = zone_publishers::ZonePublishers::known_dead(input);
    input.facts.zone_publishers.iter().any(|p| p.enabled && dead.contains(&p.name))
}

/// `incremental` re-points a zone publisher to an intermediate repository; when every zone
/// publisher the diagnosis calls unreachable is one it re-points, it fixes both problems in
/// one rung and `zone-publishers` would be a wasted attempt.
pub fn incremental_subsumes_zone_publishers(input: &Input) -> bool {
    let dead = zone_publishers::ZonePublishers::known_dead(input);
    if dead.is_empty() {
        return false;
    }
    // A candidate on the dead publisher's own origin replaces nothing.
    let dead_origins: Vec<&str> = input
        .facts
        .zone_publishers
        .iter()
        .filter(|p| dead.contains(&p.name))
        .flat_map(|p| p.origins.iter().map(|o| o.uri.as_str()))
        .collect();
    let cands: Vec<incremental::Candidate> = incremental::candidates(input)
        .into_iter()
        .filter(|c| !dead_origins.contains(&c.uri.as_str()))
        .collect();
    // `pkg -R ROOT install` refreshes every enabled publisher of the zone image, so each dead
    // enabled one needs a real replacement (a disabled one is not refreshed).
    let enabled: Vec<&str> =
        input.facts.zone_publishers.iter().filter(|p| p.enabled).map(|p| p.name.as_str()).collect();
    !cands.is_empty()
        && dead
            .iter()
            .filter(|d| enabled.contains(&d.as_str()))
            .all(|d| cands.iter().any(|c| &c.publisher == d))
}

pub fn make(name: StrategyName) -> Box<dyn Strategy> {
    match name {
        StrategyName::Attach => Box::new(attach::Attach),
        StrategyName::GzPublishers => Box::new(gz_publishers::GzPublishers),
        StrategyName::ZonePublishers => Box::new(zone_publishers::ZonePublishers),
        StrategyName::Uninstall => Box::new(uninstall::Uninstall::default()),
        StrategyName::Incremental => Box::new(incremental::Incremental::default()),
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

#[cfg(test)]
pub(crate) mod testfacts;

#[cfg(test)]
mod tests {
    use super::testfacts::{b111, diagnosis, rung_input};
    use super::*;
    use crate::playbook::{Platform, Playbook};

    #[test]
    fn uninstall_takes_what_the_diagnosis_names_never_core() {
        let facts = b111();
        let pb = Playbook::builtin(Platform::S11Express);
        let d = diagnosis(&["developer/sunstudio12u1", "entire", "SUNWcs", "not/installed"], &[]);
        let auto = rung_input(&facts, Some(&d), &pb, true);
        let cmds = make(StrategyName::Uninstall).commands(&auto);
        assert!(cmds[0].ends_with("uninstall -n -v developer/sunstudio12u1"), "{cmds:?}");
        // Blind ladder / silent diagnosis: the installed members of the problem groups.
        let core_only = diagnosis(&["entire"], &[]);
        let silent = rung_input(&facts, Some(&core_only), &pb, true);
        let cmds = make(StrategyName::Uninstall).commands(&silent);
        assert!(
            cmds[0].contains("SUNWapch22") && cmds[0].contains("developer/sunstudio12u1"),
            "{cmds:?}"
        );
        assert!(!cmds[0].contains("SUNWcs") && !cmds[0].contains(" entire"), "{cmds:?}");
        assert!(cmds.iter().all(|c| !c.split(' ').any(|a| a == "-r")));
        // A member the GZ's release still carries does not block: it stays.
        let mut known = b111();
        known.gz_catalogs = Some(crate::engine::facts::GzCatalogs {
            obsolete: vec!["developer/sunstudio12u1".into()],
            unknown: vec![],
            current: vec!["SUNWapch22".into(), "SUNWphp52".into()],
            renamed: vec![],
        });
        for guided in [true, false] {
            let silent = rung_input(&known, None, &pb, guided);
            let cmds = make(StrategyName::Uninstall).commands(&silent);
            assert!(cmds[0].ends_with("uninstall -n -v developer/sunstudio12u1"), "{cmds:?}");
        }
        // What a diagnosis names is all a single `--strategy uninstall` removes too.
        let single = rung_input(&facts, Some(&d), &pb, false);
        let cmds = make(StrategyName::Uninstall).commands(&single);
        assert!(cmds[0].ends_with("uninstall -n -v developer/sunstudio12u1"), "{cmds:?}");
    }

    #[test]
    fn incremental_steps_strictly_between_newest_first() {
        let facts = b111();
        let pb = Playbook::builtin(Platform::S11Express);
        let input = rung_input(&facts, None, &pb, true);
        let c = incremental::candidates(&input);
        assert!(!c.is_empty());
        assert!(c.iter().all(|c| c.build > 111 && c.build < 151));
        assert!(c.windows(2).all(|w| w[0].build >= w[1].build), "newest first");
        assert_eq!(c[0].build, 134);
        assert_eq!(c[0].uri, "http://pkg.opensolaris.org/release/");
        assert_eq!(c[0].version.to_string(), "0.5.11-0.134");
        // The zone already at 148 on a 151 host: nothing strictly between in the playbook.
        let mut f148 = b111();
        f148.zone_entire =
            Some(crate::commands::Fmri::parse("pkg://solaris/entire@0.5.11-0.148").unwrap());
        let input = rung_input(&f148, None, &pb, true);
        assert!(make(StrategyName::Incremental).worth_trying(&input).is_err());
    }

    #[test]
    fn zone_publishers_in_auto_needs_evidence_and_yields_to_incremental() {
        let facts = b111();
        let pb = Playbook::builtin(Platform::S11Express);
        let silent = diagnosis(&[], &[]);
        let input = rung_input(&facts, Some(&silent), &pb, true);
        assert!(make(StrategyName::ZonePublishers).worth_trying(&input).is_err());
        let dead = diagnosis(&[], &["opensolaris.org"]);
        let input = rung_input(&facts, Some(&dead), &pb, true);
        assert!(make(StrategyName::ZonePublishers).worth_trying(&input).is_ok());
        // incremental re-points opensolaris.org to the release repository: one rung, not two.
        assert!(incremental_subsumes_zone_publishers(&input));
        // A dead zone-only publisher that no playbook repository serves (generated world 63):
        // a "candidate" on its own dead origin replaces nothing, zone-publishers must run.
        let mut with_local = b111();
        with_local.zone_publishers.push(super::testfacts::publisher(
            "local",
            "http://10.0.7.12:10000/",
            true,
        ));
        let dead = diagnosis(&[], &["local"]);
        let input = rung_input(&with_local, Some(&dead), &pb, true);
        assert!(!incremental_subsumes_zone_publishers(&input));
    }

    #[test]
    fn gz_publishers_and_image_create_need_something_to_work_with() {
        let mut facts = b111();
        let pb = Playbook::builtin(Platform::S11Express);
        let input = rung_input(&facts, None, &pb, true);
        assert!(make(StrategyName::GzPublishers).worth_trying(&input).is_ok());
        assert!(make(StrategyName::ImageCreate).commands(&input)[0].starts_with(
            "pkg image-create -f -z -p solaris=http://pkg.oracle.com/solaris/release/ "
        ));
        facts.gz_publishers.truncate(1);
        let input = rung_input(&facts, None, &pb, true);
        assert!(make(StrategyName::GzPublishers).worth_trying(&input).is_err());
        facts.gz_publishers[0].enabled = false;
        let input = rung_input(&facts, None, &pb, true);
        assert!(make(StrategyName::ImageCreate).worth_trying(&input).is_err());
    }
}
