//! `zonerescue rollback ZONE [--to SNAPSHOT]`: return the ZBE to the pre-rescue snapshot of the
//! last run (or a named one), restore the global zone's publishers if a run left them changed,
//! and leave the zone detached (`configured`), ready for another attempt. Refuses, with a
//! reason, when that is not safe.

use std::sync::Arc;

use crate::cli::{Cli, RollbackArgs};
use crate::commands::ZoneName;
use crate::commands::zoneadm::{self, ZoneState};
use crate::exit;
use crate::ui::{self, Answer, DialoguerPrompter, Palette, Prompter};

use super::events::{RunResult, StepOutcome};
use super::exec::Exec;
use super::inflight;
use super::journal::Journal;
use super::lock::lock_or_report;
use super::previous_run::restore_recorded_gz_publishers;
use super::recover::{runner_from, state_base};
use super::reporter::Reporter;
use super::signals::Interrupt;
use super::snapshot;

pub fn rollback(cli: &Cli, args: &RollbackArgs) -> anyhow::Result<u8> {
    let zone = ZoneName::new(&args.zone)?;
    let runner = runner_from(cli)?;
    let dir = state_base(cli, &runner).join(zone.as_str());
    let refuse = |why: String| {
        eprintln!("zonerescue: rollback of zone {zone} refused: {why}");
        Ok(exit::REFUSED)
    };
    let Some(mut journal) = Journal::load(&dir)? else {
        return refuse(format!("no zonerescue run is recorded in {}", dir.display()));
    };
    let _lock = match lock_or_report(&dir, zone.as_str())? {
        Ok(l) => l,
        Err(code) => return Ok(code),
    };
    let target = match (&args.to, &journal.pre_snapshot, &journal.active_zbe) {
        (Some(t), _, _) if t.contains('@') => t.clone(),
        (Some(t), _, Some(zbe)) => format!("{zbe}@{t}"),
        (Some(_), _, None) => {
            return refuse("the journal does not name the zone boot environment".into());
        }
        (None, Some(pre), _) => pre.clone(),
        (None, None, _) => return refuse("the last run took no pre-rescue snapshot".into()),
    };
    if journal.active_zbe.as_deref().is_some_and(|zbe| !target.starts_with(&format!("{zbe}@"))) {
        return refuse(format!("{target} is not a snapshot of the zone's boot environment"));
    }
    let reporter = Arc::new(Reporter::new(cli.global.json, Palette::new(cli.global.color)));
    let exec = Exec::new(runner.clone(), false, reporter, Interrupt::detached(), Some(dir.clone()));
    // Never roll back under a pkg or attach that a killed run left running.
    if let Err(why) =
        inflight::wait_for_leftover(&dir, runner.timeouts(), &exec.reporter, &exec.interrupt)
    {
        eprintln!("zonerescue: rollback of zone {zone} refused: {why}");
        return Ok(exit::LOCKED);
    }
    match snapshot::exists(&exec, &target) {
        Ok(true) => {}
        Ok(false) => return refuse(format!("snapshot {target} does not exist")),
        Err(e) => return Ok(stopped(&zone, &e)),
    }
    let state = zoneadm::get(&runner, &zone)?.state;
    if state.is_active() {
        return refuse(format!(
            "the zone is {state}; halt it first if you really want its image rolled back"
        ));
    }
    if !args.yes {
        if !ui::interactive() {
            return refuse("no terminal to confirm on: add --yes".into());
        }
        let mut p = DialoguerPrompter { allow_destructive: false };
        let q = format!("Roll zone {zone} back to {target}? Changes made after it are lost.");
        if p.confirm(&q) != Answer::Yes {
            return refuse("not confirmed".into());
        }
    }
    let n = journal.begin_step("rollback", Some(target.clone()));
    journal.save(&dir)?;
    let mut undo = || -> anyhow::Result<String> {
        // The global zone first: it serves every zone, not just this one.
        let mut gz_note = String::new();
        if journal.gz_publishers_modified {
            let intact = restore_recorded_gz_publishers(&exec, &journal)?;
            gz_note = if intact {
                "; global-zone publishers restored".into()
            } else {
                "; WARNING: global-zone publishers still differ from the record (see above)".into()
            };
            journal.gz_publishers_modified = !intact;
        }
        if state == ZoneState::Installed {
            exec.change_ok(&zoneadm::detach_spec(&zone, false), &[0])?;
        }
        snapshot::rollback(&exec, &target)?;
        Ok(gz_note)
    };
    let gz_note = match undo() {
        Ok(note) => note,
        Err(e) => {
            // Each part either happened or not (detach, then one `zfs rollback -r`): running
            // it again after the cause is fixed picks up where this stopped.
            journal.end_step(n, StepOutcome::Failed, &format!("{e:#}"));
            journal.save(&dir)?;
            return Ok(stopped(&zone, &e));
        }
    };
    journal.end_step(n, StepOutcome::Done, &format!("rolled back to {target}"));
    journal.status = super::journal::JournalStatus::Ended(RunResult::Failed);
    journal.save(&dir)?;
    println!(
        "zone {zone}: image rolled back to {target}; the zone is detached (configured){gz_note}.\n\
         Run `zonerescue {zone}` to try again, or `zoneadm -z {zone} attach -F` to force it back as it was."
    );
    Ok(exit::OK)
}

/// A command failed midway: say so once, with the cause, and how to go on (exit 5).
fn stopped(zone: &ZoneName, e: &anyhow::Error) -> u8 {
    eprintln!(
        "zonerescue: rollback of zone {zone} stopped: {e:#}\n\
         Run `zonerescue rollback {zone}` again once the cause is fixed."
    );
    exit::ERROR
}
