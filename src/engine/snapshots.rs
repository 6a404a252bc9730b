//! `zonerescue snapshots ZONE [--prune]`: the tool-owned snapshots of the zone's boot
//! environment (those carrying `com.zonerescue:run`), and pruning all but the last run's
//! pre-rescue snapshot and, when that run replaced one that never finished, the snapshot from
//! before any rescue — never the last good one.

use std::sync::Arc;

use serde::Serialize;

use crate::cli::{Cli, SnapshotsArgs};
use crate::commands::{RunError, ZoneName, zfs};
use crate::exit;
use crate::outln;
use crate::system::Runner;
use crate::ui::{self, Palette};

use super::exec::Exec;
use super::journal::Journal;
use super::lock::lock_or_report;
use super::recover::{runner_from, state_base};
use super::reporter::Reporter;
use super::signals::Interrupt;
use super::snapshot::{PROP_RUN, PROP_STEP};

/// A snapshot of the zone boot environment; `run` and `step` are set on zonerescue's own.
#[derive(Debug)]
pub struct ZbeSnapshot {
    pub name: String,
    pub run: Option<String>,
    pub step: Option<String>,
}

/// The snapshots of `zbe` itself, oldest first (`zfs list` orders a dataset's snapshots by
/// creation): the order `zfs rollback -r` destroys the later ones in.
pub fn of_zbe(runner: &Runner, zbe: &str) -> Result<Vec<ZbeSnapshot>, RunError> {
    let props = ["name", PROP_RUN, PROP_STEP];
    let q = zfs::ListQuery {
        properties: &props,
        recursive: true,
        types: &["snapshot"],
        datasets: &[zbe],
    };
    let prefix = format!("{zbe}@");
    Ok(zfs::list(runner, &q)?
        .iter()
        .filter_map(|r| {
            let name = r.name().filter(|n| n.starts_with(&prefix))?;
            Some(ZbeSnapshot {
                name: name.to_string(),
                run: r.get(PROP_RUN).map(str::to_string),
                step: r.get(PROP_STEP).map(str::to_string),
            })
        })
        .collect())
}

#[derive(Debug, Serialize)]
struct Owned {
    name: String,
    run: String,
    step: Option<String>,
    /// The last run's pre-rescue snapshot, or the one before any rescue (an earlier run that
    /// never finished): never pruned.
    keep: bool,
}

pub fn snapshots(cli: &Cli, args: &SnapshotsArgs) -> anyhow::Result<u8> {
    let zone = ZoneName::new(&args.zone)?;
    let runner = runner_from(cli)?;
    let dir = state_base(cli, &runner).join(zone.as_str());
    let Some(journal) = Journal::load(&dir)? else {
        if let Some(starting) = super::lock::starting_run(&dir, zone.as_str()) {
            eprintln!("zonerescue: {starting}");
            return Ok(exit::LOCKED);
        }
        eprintln!("zonerescue: no zonerescue run is recorded for zone {zone} in {}", dir.display());
        return Ok(exit::REFUSED);
    };
    let Some(zbe) = journal.active_zbe.clone() else {
        eprintln!("zonerescue: the journal of zone {zone} names no zone boot environment");
        return Ok(exit::REFUSED);
    };
    let owned: Vec<Owned> = of_zbe(&runner, &zbe)?
        .into_iter()
        .filter_map(|s| {
            let keep = [&journal.pre_snapshot, &journal.earlier_pre]
                .iter()
                .any(|k| k.as_deref() == Some(s.name.as_str()));
            Some(Owned { run: s.run?, name: s.name, step: s.step, keep })
        })
        .collect();
    if !args.prune {
        if cli.global.json {
            outln!("{}", serde_json::to_string(&owned)?)?;
        } else if owned.is_empty() {
            outln!("zone {zone}: no zonerescue snapshots of {zbe}")?;
        } else {
            for o in &owned {
                let note = if journal.pre_snapshot.as_deref() == Some(o.name.as_str()) {
                    "  (pre-rescue snapshot of the last run: kept)"
                } else if o.keep {
                    "  (before any rescue; an earlier run never finished: kept)"
                } else {
                    ""
                };
                outln!(
                    "{}  run {}  step {}{note}",
                    o.name,
                    o.run,
                    o.step.as_deref().unwrap_or("-")
                )?;
            }
        }
        return Ok(exit::OK);
    }
    let doomed: Vec<&Owned> = owned.iter().filter(|o| !o.keep).collect();
    if doomed.is_empty() {
        outln!("zone {zone}: nothing to prune")?;
        return Ok(exit::OK);
    }
    let _lock = match lock_or_report(&dir, zone.as_str())? {
        Ok(l) => l,
        Err(code) => return Ok(code),
    };
    let names: Vec<&str> = doomed.iter().map(|o| o.name.as_str()).collect();
    let plan =
        format!("These snapshots of zone {zone} will be destroyed:\n  {}\n", names.join("\n  "));
    let question = format!("Destroy these {} snapshot(s)?", doomed.len());
    if let Err(why) = ui::consent(args.yes, &plan, &question) {
        eprintln!("zonerescue: pruning the snapshots of zone {zone} refused: {why}");
        return Ok(exit::REFUSED);
    }
    let reporter = Arc::new(Reporter::new(cli.global.json, Palette::new(cli.global.color)));
    let exec = Exec::new(runner, false, reporter, Interrupt::detached(), None);
    let mut failed = 0;
    for o in doomed {
        // -r: the run snapshotted the ZBE recursively, so its children carry the same name.
        let spec = zfs::destroy_spec(&o.name, true)?;
        match exec.change(&spec)? {
            // Pruning goes on whatever becomes of its output.
            Some(out) if out.success() => {
                let _ = outln!("destroyed {}", o.name);
            }
            Some(out) => {
                failed += 1;
                eprintln!("zonerescue: could not destroy {}: {}", o.name, out.stderr.trim());
            }
            None => {}
        }
    }
    Ok(if failed == 0 { exit::OK } else { exit::FAILED })
}
