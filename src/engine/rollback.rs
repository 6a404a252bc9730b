//! `zonerescue rollback ZONE [--to SNAPSHOT]`: return the ZBE to the pre-rescue snapshot of the
//! last run (or a named one), restore the global zone's publishers if a run left them changed,
//! and leave the zone detached (`configured`), ready for another attempt. Refuses, with a
//! reason, when that is not safe; does nothing when the last run changed nothing.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;

use crate::cli::{Cli, RollbackArgs};
use crate::commands::ZoneName;
use crate::commands::zoneadm::{self, ZoneState};
use crate::exit;
use crate::system::Runner;
use crate::ui::{self, Palette};

use super::ending::Ending;
use super::events::{RunResult, StepOutcome};
use super::exec::Exec;
use super::inflight;
use super::journal::{Journal, JournalError};
use super::lock::{LockError, ZoneLock};
use super::preflight;
use super::previous_run::restore_recorded_gz_publishers;
use super::recover::{runner_from, state_base};
use super::reporter::Reporter;
use super::signals::Interrupt;
use super::snapshot;
use super::snapshots::{self, ZbeSnapshot};
use super::zbe_clone::{self, CloneUndo, Undo};

pub fn rollback(cli: &Cli, args: &RollbackArgs) -> anyhow::Result<u8> {
    Ok(roll_back(cli, args)?.print(cli.global.json))
}

/// The `--json` summary of a rollback, built up as its facts become known; its last line.
#[derive(Debug, Serialize)]
struct Summary {
    zone: String,
    result: Outcome,
    /// The snapshot rolled back to, once known.
    snapshot: Option<String>,
    /// Snapshots (and the Solaris 11 clone) the rollback destroyed.
    destroyed: Vec<String>,
    zone_state: Option<String>,
    /// Null when the last run left the global zone's publishers as it found them.
    gz_publishers_restored: Option<bool>,
    message: String,
    next_steps: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
enum Outcome {
    RolledBack,
    NothingToDo,
    Refused,
    Locked,
    Usage,
    Error,
}

impl Summary {
    fn new(zone: &str) -> Summary {
        Summary {
            zone: zone.to_string(),
            result: Outcome::Error,
            snapshot: None,
            destroyed: Vec::new(),
            zone_state: None,
            gz_publishers_restored: None,
            message: String::new(),
            next_steps: Vec::new(),
        }
    }

    fn end(mut self, result: Outcome, message: String) -> Ending<Summary> {
        let code = match result {
            Outcome::RolledBack | Outcome::NothingToDo => exit::OK,
            Outcome::Refused => exit::REFUSED,
            Outcome::Locked => exit::LOCKED,
            Outcome::Usage => exit::USAGE,
            Outcome::Error => exit::ERROR,
        };
        self.result = result;
        self.message = message;
        Ending::new("rollback-summary", code, self)
    }

    /// Nothing was changed, for `why`.
    fn refused(self, why: impl std::fmt::Display) -> Ending<Summary> {
        let m = format!("rollback of zone {} refused: {why}", self.zone);
        self.end(Outcome::Refused, m.clone()).warn(format!("zonerescue: {m}"))
    }

    /// Another run holds the zone, or a command a killed run left running outlasted its limit.
    fn locked(self, message: String) -> Ending<Summary> {
        self.end(Outcome::Locked, message.clone()).warn(format!("zonerescue: {message}"))
    }

    /// A command failed midway: say so once, with the cause, and how to go on.
    fn stopped(mut self, e: &anyhow::Error) -> Ending<Summary> {
        let zone = self.zone.clone();
        self.next_steps = vec![format!("zonerescue rollback {zone}")];
        let m = format!("rollback of zone {zone} stopped: {e:#}");
        self.end(Outcome::Error, m.clone()).warn(format!(
            "zonerescue: {m}\n\
             Run `zonerescue rollback {zone}` again once the cause is fixed."
        ))
    }

    /// The rollback failed after it had detached the zone (`was_installed`, and zoneadm now
    /// says `configured`): the zone is down. Said first, with the state as it is now, and how
    /// to bring it back (`image_unchanged`: the failing step changed nothing of the image, so
    /// a plain attach puts the zone back as it was before this rollback).
    fn stopped_after_detach(
        mut self,
        e: &anyhow::Error,
        runner: &crate::system::Runner,
        zone: &ZoneName,
        was_installed: bool,
        image_unchanged: bool,
    ) -> Ending<Summary> {
        let now = zoneadm::get(runner, zone).ok().map(|z| z.state);
        if let Some(st) = now {
            self.zone_state = Some(st.to_string());
        }
        if !(was_installed && now == Some(ZoneState::Configured)) {
            return self.stopped(e);
        }
        let m = format!(
            "rollback of zone {zone} stopped: {e:#}; THE ZONE IS DETACHED (configured) and down"
        );
        let again = format!("zonerescue rollback {zone}");
        let (how, steps) = if image_unchanged {
            let attach = format!("zoneadm -z {zone} attach");
            (
                format!(
                    "Its image is as it was before this rollback: `{attach}` brings the zone back \
                     as it was; or run `{again}` again once the cause is fixed."
                ),
                vec![attach, again],
            )
        } else {
            (format!("Run `{again}` again once the cause is fixed."), vec![again])
        };
        self.next_steps = steps;
        self.end(Outcome::Error, m.clone()).warn(format!("zonerescue: {m}\n{how}"))
    }

    /// The image is back at `self.snapshot`, the zone detached; `what`: the sentence's middle.
    /// `pre`: the run's pre-rescue snapshot when the rollback went back only to a rung's
    /// snapshot (the image keeps the earlier rungs' changes: no "as it was").
    /// `earlier`: an earlier run's pre-rescue snapshot when the image went back to this run's,
    /// which that earlier rescue had changed (and whether `rollback --to` reaches it).
    fn rolled_back(
        mut self,
        what: String,
        gz: Option<bool>,
        pre: Option<&str>,
        earlier: Option<(String, bool)>,
    ) -> Ending<Summary> {
        let zone = self.zone.clone();
        self.zone_state = Some(ZoneState::Configured.to_string());
        self.gz_publishers_restored = gz;
        let m = format!(
            "zone {zone}: image rolled back to {what}; the zone is detached (configured){}.",
            gz_note(gz)
        );
        let said = match pre {
            Some(pre) => {
                let target = crate::cli::rescue_operand(&zone);
                self.next_steps =
                    vec![format!("zonerescue {target}"), format!("zonerescue rollback {zone}")];
                format!(
                    "{m}\nThe image keeps the changes of the steps before that snapshot. Run \
                     `zonerescue {target}` to go on from here, or `zonerescue rollback {zone}` to \
                     return to the zone as before the rescue ({pre})."
                )
            }
            // Not the zone as it was: `attach -F` would force a half-rescued image in.
            None if let Some((e, reach)) = earlier => {
                let (how, next) = if reach {
                    let back = format!("zonerescue rollback {zone} --to {e}");
                    (format!("`{back}` returns to it"), back)
                } else {
                    let list = format!("zonerescue snapshots {zone}");
                    let how = format!(
                        "`zonerescue rollback --to` cannot reach it from here (it is another \
                         boot environment's, or a clone depends on a later snapshot): `{list}` \
                         lists what is left"
                    );
                    (how, list)
                };
                let target = crate::cli::rescue_operand(&zone);
                self.next_steps = vec![format!("zonerescue {target}"), next];
                format!(
                    "{m}\nThe image is as this run found it, which an earlier rescue had already \
                     changed: the zone before any rescue is {e}; {how}. Run `zonerescue {target}` \
                     to try again from here."
                )
            }
            None => {
                let target = crate::cli::rescue_operand(&zone);
                self.next_steps =
                    vec![format!("zonerescue {target}"), format!("zoneadm -z {zone} attach -F")];
                format!(
                    "{m}\nRun `zonerescue {target}` to try again, or `zoneadm -z {zone} attach -F` \
                     to force it back as it was."
                )
            }
        };
        self.end(Outcome::RolledBack, m).say(said)
    }
}

/// The rollback, to its ending (printed by the caller).
fn roll_back(cli: &Cli, args: &RollbackArgs) -> anyhow::Result<Ending<Summary>> {
    let mut s = Summary::new(&args.zone);
    let zone = match ZoneName::new(&args.zone) {
        Ok(z) => z,
        Err(e) => {
            let m = format!("{e:#}");
            return Ok(s.end(Outcome::Usage, m.clone()).warn(format!("zonerescue: error: {m}")));
        }
    };
    let runner = runner_from(cli)?;
    // Where others could plant a journal, it is not acted on (as a rescue refuses it).
    let dir = super::statedir::check_zone_dir(&state_base(cli, &runner), zone.as_str())?;
    // `unreadable`: the zone's journal, when `--to` rolls back without it.
    let (mut journal, unreadable) = match Journal::load_checked(&dir) {
        Ok(Some(j)) => (j, None),
        Ok(None) => {
            if let Some(starting) = super::lock::starting_run(&dir, zone.as_str()) {
                return Ok(s.locked(format!("rollback of zone {zone} refused: {starting}")));
            }
            return Ok(s.refused(format!("no zonerescue run is recorded in {}", dir.display())));
        }
        Err(e @ JournalError::Corrupt { .. }) if args.to.is_some() => {
            match unrecorded(&runner, &zone, args.to.as_deref().unwrap_or_default())? {
                Ok(j) => (j, Some(Journal::path(&dir).display().to_string())),
                Err(why) => return Ok(s.refused(format!("{e}; and {why}"))),
            }
        }
        Err(e) => return Err(e.into()),
    };
    let _lock = match ZoneLock::acquire(&dir, zone.as_str()) {
        Ok(l) => l,
        Err(e @ LockError::Held { .. }) => return Ok(s.locked(e.to_string())),
        Err(e) => return Err(e.into()),
    };
    let reporter = Arc::new(Reporter::new(cli.global.json, Palette::new(cli.global.color)));
    // SIGINT, SIGTERM and SIGHUP (a dropped ssh session) are caught, not obeyed: a rollback
    // stopped between its detach and its last dataset leaves the zone worse than either end.
    // They only cut short the wait below; the commands run with a flag no signal sets.
    let signals = Interrupt::install().unwrap_or_else(|_| Interrupt::detached());
    let exec = Exec::new(runner.clone(), false, reporter, Interrupt::detached(), Some(dir.clone()));
    // Never roll back under a pkg or attach that a killed run left running; nor look at the
    // zone before it ends (a Solaris 11 attach may yet move it to a clone of its ZBE).
    if let Err(why) = inflight::wait_for_leftover(&dir, runner.timeouts(), &exec.reporter, &signals)
    {
        return Ok(s.locked(format!("rollback of zone {zone} refused: {why}")));
    }
    if signals.is_set() {
        let sig = signals.signal_name();
        return Ok(s.refused(format!("{sig} received before anything was changed")));
    }
    signals.on_first({
        let reporter = Arc::clone(&exec.reporter);
        move |sig| {
            reporter.note(&format!(
                "{sig} received: the rollback goes on to its end (stopped midway it would leave \
                 the zone neither rescued nor as it was)"
            ))
        }
    });
    let zone_root = journal.zone_root.as_ref().map(PathBuf::from);
    // The ZBE the zone runs from now, by the brand's rule: a run killed during an attach that
    // cloned the ZBE (Solaris 11) never learnt of the clone, so the journal's may be stale.
    let zbe_now = journal
        .active_zbe
        .as_deref()
        .and_then(zbe_clone::zbe_root_of)
        .and_then(|root| zbe_clone::current_zbe(&runner, root, zone_root.as_deref()).ok());
    let zbe_now = zbe_now.or_else(|| journal.active_zbe.clone());
    let mut target = match (&args.to, &journal.pre_snapshot, &zbe_now) {
        (Some(t), _, _) if t.contains('@') => t.clone(),
        (Some(t), _, Some(zbe)) => format!("{zbe}@{t}"),
        (Some(_), _, None) => {
            return Ok(s.refused("the journal does not name the zone boot environment"));
        }
        (None, Some(pre), _) => pre.clone(),
        (None, None, _) => return Ok(s.refused("the last run took no pre-rescue snapshot")),
    };
    s.snapshot = Some(target.clone());
    // A name zfs would refuse is the operator's typing, not a failure to fix and retry.
    if args.to.is_some()
        && let Err(e) = crate::commands::zfs::validate_snapshot(&target)
    {
        let m = format!("rollback of zone {zone}: --to: {e}");
        return Ok(s.end(Outcome::Usage, m.clone()).warn(format!("zonerescue: {m}")));
    }
    if args.to.is_some()
        && zbe_now.as_deref().is_some_and(|zbe| !target.starts_with(&format!("{zbe}@")))
    {
        return Ok(s.refused(format!("{target} is not a snapshot of the zone's boot environment")));
    }
    // The journal's datasets must be this zone's: a stale journal (the zone deleted and
    // configured again elsewhere) or an edited one must never roll back another zone's.
    if let Some(why) = not_this_zones(&runner, &zone, &target)? {
        return Ok(s.refused(format!("{why}; nothing was changed")));
    }
    // Detaching and rolling back a zone the run never touched would only take it out of
    // service. (With --to the snapshot may be older than the last run: it says nothing.)
    let untouched = journal.changed_nothing() || journal.stopped_untouched;
    if args.to.is_none() && untouched && !journal.gz_publishers_modified {
        let m = format!(
            "zone {zone}: nothing to roll back: the last run ({}) applied no remedy and tried \
             no attach, so the zone is as it was; it is left as it is",
            journal.run_id
        );
        return Ok(s.end(Outcome::NothingToDo, m.clone()).say(m));
    }
    // Where the pre-rescue image is now: an attach may have moved the zone to a clone.
    if args.to.is_none() {
        match zbe_clone::plan(
            &runner,
            &target,
            journal.original_zbe.as_deref(),
            zone_root.as_deref(),
        ) {
            Ok(Undo::Plain { target: t }) => target = t,
            Ok(Undo::Clone(u)) => {
                s.snapshot = Some(u.target());
                return rollback_clone(s, &dir, &exec, journal, &u, zone_root.as_deref(), args);
            }
            Ok(Undo::ByHand { why, steps }) => {
                s.next_steps = steps.clone();
                return Ok(s.refused(format!(
                    "{why}; nothing was changed. By hand:\n  {}",
                    steps.join("\n  ")
                )));
            }
            Err(e) => return Ok(s.stopped(&e.into())),
        }
    }
    s.snapshot = Some(target.clone());
    match snapshot::exists(&exec, &target) {
        Ok(true) => {}
        Ok(false) => return Ok(s.refused(format!("snapshot {target} does not exist"))),
        Err(e) => return Ok(s.stopped(&e)),
    }
    let state = zoneadm::get(&runner, &zone)?.state;
    s.zone_state = Some(state.to_string());
    if state.is_active() {
        return Ok(s.refused(format!(
            "the zone is {state}; halt it first if you really want its image rolled back"
        )));
    }
    // `zfs rollback -r` destroys every later snapshot of the dataset, zonerescue's or not.
    let later: Vec<ZbeSnapshot> = match snapshots::after(&runner, &target) {
        Ok(later) => later,
        Err(e) => return Ok(s.stopped(&e.into())),
    };
    // Checked before the zone is detached: `zfs rollback -r` refuses past a later snapshot
    // that has clones (a Solaris 11 attach's ZBE clone, holding an image), and -R would
    // destroy them.
    let names: Vec<&str> = later.iter().map(|s| s.name.as_str()).collect();
    match zbe_clone::clones_of(&runner, &names) {
        Ok(c) if !c.is_empty() => {
            let each: Vec<String> =
                c.iter().map(|(clone, origin)| format!("{clone} (cloned from {origin})")).collect();
            return Ok(s.refused(format!(
                "{} depend(s) on a snapshot after {target}: zfs rollback -r refuses, and -R would \
                 destroy them (a zone boot environment an attach made, or one holding an image); \
                 nothing was changed. Roll back to a later snapshot, or undo the last run with \
                 `zonerescue rollback {zone}`",
                each.join(", ")
            )));
        }
        Ok(_) => {}
        Err(e) => return Ok(s.stopped(&e.into())),
    }
    let foreign: Vec<String> =
        later.iter().filter(|s| s.run.is_none()).map(|s| s.name.clone()).collect();
    if let Some(why) = foreign_refusal(args, &foreign) {
        return Ok(s.refused(why));
    }
    let installed = state == ZoneState::Installed;
    let question = if installed {
        format!("Detach zone {zone} and roll it back?")
    } else {
        format!("Roll zone {zone} back?")
    };
    if let Err(why) = ui::consent(args.yes, &plan(&zone, &target, installed, &later), &question) {
        if signals.is_set() {
            let sig = signals.signal_name();
            return Ok(s.refused(format!("{sig} received at the question; nothing was changed")));
        }
        return Ok(s.refused(why));
    }
    let n = journal.begin_step("rollback", Some(target.clone()));
    journal.save(&dir)?;
    let mut undo = || -> anyhow::Result<Option<bool>> {
        let gz = restore_gz_then_detach(&exec, &mut journal, &dir, &zone, installed)?;
        snapshot::rollback(&exec, &target)?;
        Ok(gz)
    };
    let gz = match undo() {
        Ok(gz) => gz,
        Err(e) => {
            // The detach, and each dataset's `zfs rollback -r`, either happened or not: running
            // it again after the cause is fixed picks up where this stopped. Only a rollback
            // that stopped before its first dataset left the image as it was.
            journal.end_step(n, StepOutcome::Failed, &format!("{e:#}"));
            journal.save(&dir)?;
            let unchanged = snapshot::partly_rolled_back(&e).is_none();
            return Ok(s.stopped_after_detach(&e, &runner, &zone, installed, unchanged));
        }
    };
    journal.end_step(n, StepOutcome::Done, &format!("rolled back to {target}"));
    // A target taken after the pre-rescue snapshot (the operator's own, of the rescued zone)
    // undid the run only partway: the pre-rescue snapshot is not among those destroyed.
    let dataset = |s: &str| s.split_once('@').map_or(s.to_string(), |(d, _)| d.to_string());
    journal.rollback_kept_pre = journal.pre_snapshot.as_ref().is_some_and(|p| {
        *p != target
            && dataset(p) == dataset(&target)
            && snapshots::of_zbe(&runner, &dataset(p))
                .is_ok_and(|all| all.iter().any(|x| x.name == *p))
    });
    journal.status = super::journal::JournalStatus::Ended(RunResult::Failed);
    journal.save(&dir)?;
    let partway = journal.rolled_back_partway().and(journal.pre_snapshot.clone());
    s.destroyed = later.into_iter().map(|s| s.name).collect();
    let destroyed = if s.destroyed.is_empty() {
        String::new()
    } else {
        format!(" (later snapshots destroyed: {})", s.destroyed.join(", "))
    };
    // Back at this run's start, which an earlier rescue had changed: said, with the way on.
    let earlier = journal
        .earlier_pre
        .clone()
        .filter(|e| {
            partway.is_none() && journal.pre_snapshot.as_ref() == Some(&target) && *e != target
        })
        .map(|e| {
            let zbe = target.split_once('@').map_or(target.as_str(), |(d, _)| d);
            let reach = snapshots::rollback_reaches(&runner, zbe, &e);
            (e, reach)
        });
    let ending = s.rolled_back(format!("{target}{destroyed}"), gz, partway.as_deref(), earlier);
    Ok(match unreadable {
        Some(path) => unrecorded_note(ending, &path),
        None => ending,
    })
}

/// A journal never written, for `rollback --to` when the zone's own cannot be read: the zone's
/// boot environment and root as the system shows them. Its `dry_run` keeps every `save` from
/// replacing the unreadable file, which may be the only record of the GZ publishers a killed
/// run left simplified. `Err`: why the snapshot `to` cannot be placed without it.
fn unrecorded(
    runner: &Runner,
    zone: &ZoneName,
    to: &str,
) -> anyhow::Result<Result<Journal, String>> {
    let found = match snapshots::zbes_from_system(runner, zone)? {
        Ok(found) => found,
        Err(why) => return Ok(Err(why)),
    };
    let zbe = match found.current {
        Ok(zbe) => Some(zbe),
        // Named in full, the snapshot is checked to be the zone's by its dataset alone.
        Err(_) if to.contains('@') => None,
        Err(why) => {
            return Ok(Err(format!(
                "{why}: name the snapshot in full (DATASET@NAME, as `zfs list -t snapshot` shows it)"
            )));
        }
    };
    let mut j = Journal::new("unrecorded", zone.as_str(), "rollback", true);
    j.active_zbe = zbe;
    j.zone_root = Some(found.zone_root.display().to_string());
    Ok(Ok(j))
}

/// Says, after a rollback done without the zone's journal (`path`), what it could not check.
fn unrecorded_note(mut ending: Ending<Summary>, path: &str) -> Ending<Summary> {
    let note = format!(
        "The zone's journal {path} could not be read, so the global zone's publishers were not \
         checked: if a killed run left them simplified, {} (read as text: it may be cut short)",
        super::journal::compare_gz_publishers("that file's")
    );
    ending.summary.message.push_str(&format!(" {note}"));
    ending.summary.next_steps.extend(["pkg publisher -H -F tsv".into(), "pkg publisher".into()]);
    ending.warn(format!("zonerescue: warning: {note}"))
}

/// Solaris 11, the zone moved to a clone of its ZBE by an attach (see `zbe_clone`): make the
/// original ZBE the zone's again, at its pre-rescue snapshot, destroying the clone.
fn rollback_clone(
    mut s: Summary,
    dir: &Path,
    exec: &Exec,
    mut journal: Journal,
    u: &CloneUndo,
    zone_root: Option<&Path>,
    args: &RollbackArgs,
) -> anyhow::Result<Ending<Summary>> {
    // The name the caller checked: it is valid.
    let zone = &ZoneName::new(&s.zone)?;
    let state = zoneadm::get(&exec.runner, zone)?.state;
    s.zone_state = Some(state.to_string());
    if state.is_active() {
        return Ok(s.refused(format!(
            "the zone is {state}; halt it first if you really want its image rolled back"
        )));
    }
    let installed = state == ZoneState::Installed;
    let target = u.target();
    let mut plan = format!(
        "Rolling zone {zone} back to before the rescue: the attach moved it to {clone}, a clone \
         of {orig}; the pre-rescue image is {pre}:\n",
        clone = u.clone,
        orig = u.original,
        pre = if u.moved {
            format!("{}@{} (moved there by the promote)", u.clone, u.tag)
        } else {
            target.clone()
        },
    );
    if installed {
        plan.push_str("  - the zone is installed: it will be DETACHED first and left configured\n");
    }
    for c in u.commands() {
        plan.push_str(&format!("  - {c}\n"));
    }
    plan.push_str(&format!(
        "  - this DESTROYS {} (the clone the attach made, with what the rescue did to it)\n",
        u.clone
    ));
    if !u.destroyed_snapshots.is_empty() {
        plan.push_str("  - and these later snapshots:\n");
        for s in &u.destroyed_snapshots {
            let whose = if u.foreign_snapshots.contains(s) { NOT_OURS } else { "" };
            plan.push_str(&format!("      {s}{whose}\n"));
        }
    }
    plan.push_str(&format!(
        "  - {} is the zone's boot environment again, as before the rescue\n",
        u.original
    ));
    let question = if installed {
        format!("Detach zone {zone} and roll it back?")
    } else {
        format!("Roll zone {zone} back?")
    };
    if let Some(why) = foreign_refusal(args, &u.foreign_snapshots) {
        return Ok(s.refused(why));
    }
    if let Err(why) = ui::consent(args.yes, &plan, &question) {
        return Ok(s.refused(why));
    }
    let n = journal.begin_step("rollback", Some(target.clone()));
    journal.save(dir)?;
    let mut run = || -> anyhow::Result<Option<bool>> {
        let gz = restore_gz_then_detach(exec, &mut journal, dir, zone, installed)?;
        zbe_clone::undo(exec, u, zone_root)?;
        Ok(gz)
    };
    let gz = match run() {
        Ok(gz) => gz,
        Err(e) => {
            journal.end_step(n, StepOutcome::Failed, &format!("{e:#}"));
            journal.save(dir)?;
            return Ok(s.stopped_after_detach(&e, &exec.runner, zone, installed, false));
        }
    };
    let detail = format!(
        "{} is the zone's ZBE again, rolled back to {target}; {} destroyed",
        u.original, u.clone
    );
    journal.end_step(n, StepOutcome::Done, &detail);
    journal.active_zbe = Some(u.original.clone());
    journal.pre_snapshot = Some(target.clone());
    journal.original_zbe = None;
    journal.status = super::journal::JournalStatus::Ended(RunResult::Failed);
    journal.save(dir)?;
    s.destroyed = std::iter::once(&u.clone).chain(&u.destroyed_snapshots).cloned().collect();
    Ok(s.rolled_back(
        format!(
            "{target}: {orig} is the zone's boot environment again and the clone {clone} the \
             attach made is destroyed{destroyed}",
            orig = u.original,
            clone = u.clone,
            destroyed = if u.destroyed_snapshots.is_empty() {
                String::new()
            } else {
                format!(" (snapshots destroyed: {})", u.destroyed_snapshots.join(", "))
            },
        ),
        gz,
        None,
        None,
    ))
}

/// The global zone's publishers restored first (they serve every zone, not just this one),
/// then the zone detached if installed. Whether the publishers are as recorded again; `None`
/// when the last run left them unchanged.
fn restore_gz_then_detach(
    exec: &Exec,
    journal: &mut Journal,
    dir: &std::path::Path,
    zone: &ZoneName,
    installed: bool,
) -> anyhow::Result<Option<bool>> {
    let mut restored = None;
    if journal.gz_publishers_modified {
        // Not under another zone's attach, nor while another run has them simplified.
        let access = super::host_lock::Access::Exclusive;
        let Some(_host) = super::host_lock::wait_for(exec, dir, access)? else {
            anyhow::bail!("interrupted while waiting to restore the global zone's publishers");
        };
        let intact = restore_recorded_gz_publishers(exec, journal)?;
        journal.gz_publishers_modified = !intact;
        restored = Some(intact);
    }
    if installed {
        exec.change_ok(&zoneadm::detach_spec(zone, false), &[0])?;
        // Never roll back under a zone still installed (regress qq F1: a detach that exited
        // 0 and left it installed was believed).
        super::attempt::confirm_detached(exec, zone)?;
    }
    Ok(restored)
}

/// The final message's note on the global zone's publishers.
fn gz_note(restored: Option<bool>) -> &'static str {
    match restored {
        None => "",
        Some(true) => "; global-zone publishers restored",
        Some(false) => "; WARNING: global-zone publishers still differ from the record (see above)",
    }
}

const NOT_OURS: &str = "   (not made by zonerescue)";

/// Why `snapshot` (from the journal or --to) is not one of `zone`'s datasets, if it is not:
/// each lies below the dataset that holds the zone's zonepath.
pub fn not_this_zones(
    runner: &Runner,
    zone: &ZoneName,
    snapshot: &str,
) -> anyhow::Result<Option<String>> {
    let zonepath = zoneadm::get(runner, zone)?.zonepath;
    // Unread, the zonepath's dataset is looked up by its mountpoint instead.
    let mounts = preflight::mount_table(runner).unwrap_or_default();
    let dataset = snapshot.split_once('@').map_or(snapshot, |(d, _)| d);
    Ok(match preflight::dataset_of_zonepath(runner, &mounts, &zonepath) {
        Some(z) if dataset.starts_with(&format!("{z}/")) => None,
        Some(z) => Some(format!(
            "{snapshot} is not a dataset of zone {zone} (its zonepath {} is {z}): the journal \
             does not describe this zone as it is now",
            zonepath.display()
        )),
        None => Some(format!(
            "no ZFS dataset holds zone {zone}'s zonepath {}, so {snapshot} cannot be told to be \
             this zone's",
            zonepath.display()
        )),
    })
}

/// Why `--yes` alone must not roll back past `foreign`, later snapshots zonerescue did not
/// take (an operator's, or a scheduled one's): `zfs rollback -r` destroys them, and --yes was
/// given to answer zonerescue's own question, perhaps by a script. On a terminal the plan
/// names them and the operator answers.
fn foreign_refusal(args: &RollbackArgs, foreign: &[String]) -> Option<String> {
    if foreign.is_empty() || !args.yes || args.destroy_foreign_snapshots {
        return None;
    }
    Some(format!(
        "zfs rollback -r would destroy later snapshot(s) zonerescue did not take: {}; nothing \
         was changed. Copy what you need from them first (zfs send, or the files under the \
         zone root's .zfs/snapshot), then run again with --destroy-foreign-snapshots, or \
         without --yes on a terminal",
        foreign.join(", ")
    ))
}

/// What a rollback to `target` does, for the operator to read before answering.
fn plan(zone: &ZoneName, target: &str, installed: bool, later: &[ZbeSnapshot]) -> String {
    let mut out = format!("Rolling zone {zone} back to {target}:\n");
    if installed {
        out.push_str("  - the zone is installed: it will be DETACHED first and left configured\n");
    }
    if later.is_empty() {
        out.push_str("  - no later snapshot exists, so none is destroyed\n");
    } else {
        out.push_str("  - `zfs rollback -r` DESTROYS these later snapshots:\n");
        for s in later {
            let whose = if s.run.is_some() { "" } else { NOT_OURS };
            out.push_str(&format!("      {}{whose}\n", s.name));
        }
    }
    out.push_str("  - whatever changed in the zone's image after the snapshot is lost\n");
    out
}
