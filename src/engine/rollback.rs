//! `zonerescue rollback ZONE [--to SNAPSHOT]`: return the ZBE to the pre-rescue snapshot of the
//! last run (or a named one), restore the global zone's publishers if a run left them changed,
//! and leave the zone detached (`configured`), ready for another attempt. Refuses, with a
//! reason, when that is not safe; does nothing when the last run changed nothing.

use std::sync::Arc;

use crate::cli::{Cli, RollbackArgs};
use crate::commands::ZoneName;
use crate::commands::zoneadm::{self, ZoneState};
use crate::exit;
use crate::ui::{self, Palette};

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
use super::snapshots::{self, ZbeSnapshot};

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
    // Detaching and rolling back a zone the run never touched would only take it out of
    // service. (With --to the snapshot may be older than the last run: it says nothing.)
    if args.to.is_none() && journal.changed_nothing() && !journal.gz_publishers_modified {
        println!(
            "zone {zone}: nothing to roll back: the last run ({}) applied no remedy and tried \
             no attach, so the zone is as it was; it is left as it is",
            journal.run_id
        );
        return Ok(exit::OK);
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
    // `zfs rollback -r` destroys every later snapshot of the dataset, zonerescue's or not.
    let (zbe, _) = target.split_once('@').unwrap_or((&target, ""));
    let later: Vec<ZbeSnapshot> = match snapshots::of_zbe(&runner, zbe) {
        Ok(all) => all.into_iter().skip_while(|s| s.name != target).skip(1).collect(),
        Err(e) => return Ok(stopped(&zone, &e.into())),
    };
    let installed = state == ZoneState::Installed;
    let question = if installed {
        format!("Detach zone {zone} and roll it back?")
    } else {
        format!("Roll zone {zone} back?")
    };
    if let Err(why) = ui::consent(args.yes, &plan(&zone, &target, installed, &later), &question) {
        return refuse(why.into());
    }
    let n = journal.begin_step("rollback", Some(target.clone()));
    journal.save(&dir)?;
    let mut undo = || -> anyhow::Result<String> {
        // The global zone first: it serves every zone, not just this one.
        let mut gz_note = String::new();
        if journal.gz_publishers_modified {
            // Not under another zone's attach, nor while another run has them simplified.
            let access = super::host_lock::Access::Exclusive;
            let Some(_host) = super::recover::lock_gz_publishers(&exec, &dir, access)? else {
                anyhow::bail!("interrupted while waiting to restore the global zone's publishers");
            };
            let intact = restore_recorded_gz_publishers(&exec, &journal)?;
            gz_note = if intact {
                "; global-zone publishers restored".into()
            } else {
                "; WARNING: global-zone publishers still differ from the record (see above)".into()
            };
            journal.gz_publishers_modified = !intact;
        }
        if installed {
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
    let destroyed = if later.is_empty() {
        String::new()
    } else {
        let names: Vec<&str> = later.iter().map(|s| s.name.as_str()).collect();
        format!(" (later snapshots destroyed: {})", names.join(", "))
    };
    println!(
        "zone {zone}: image rolled back to {target}{destroyed}; the zone is detached \
         (configured){gz_note}.\n\
         Run `zonerescue {zone}` to try again, or `zoneadm -z {zone} attach -F` to force it back as it was."
    );
    Ok(exit::OK)
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
            let whose = if s.run.is_some() { "" } else { "   (not made by zonerescue)" };
            out.push_str(&format!("      {}{whose}\n", s.name));
        }
    }
    out.push_str("  - whatever changed in the zone's image after the snapshot is lost\n");
    out
}

/// A command failed midway: say so once, with the cause, and how to go on (exit 5).
fn stopped(zone: &ZoneName, e: &anyhow::Error) -> u8 {
    eprintln!(
        "zonerescue: rollback of zone {zone} stopped: {e:#}\n\
         Run `zonerescue rollback {zone}` again once the cause is fixed."
    );
    exit::ERROR
}
