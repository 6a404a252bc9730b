//! `zonerescue snapshots ZONE [--prune]`: the tool-owned snapshots of the zone's boot
//! environment (those carrying `com.zonerescue:run`), and pruning all but the last run's
//! pre-rescue snapshot and, when that run replaced one that never finished, the snapshot from
//! before any rescue — never the last good one.

use std::sync::Arc;

use serde::Serialize;

use crate::cli::{Cli, SnapshotsArgs};
use crate::commands::{ZoneName, zfs};
use crate::exit;
use crate::ui::Palette;

use super::exec::Exec;
use super::journal::Journal;
use super::lock::lock_or_report;
use super::recover::{runner_from, state_base};
use super::reporter::Reporter;
use super::signals::Interrupt;
use super::snapshot::{PROP_RUN, PROP_STEP};

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
        eprintln!("zonerescue: no zonerescue run is recorded for zone {zone} in {}", dir.display());
        return Ok(exit::REFUSED);
    };
    let Some(zbe) = journal.active_zbe.clone() else {
        eprintln!("zonerescue: the journal of zone {zone} names no zone boot environment");
        return Ok(exit::REFUSED);
    };
    let props = ["name", PROP_RUN, PROP_STEP];
    let q = zfs::ListQuery {
        properties: &props,
        recursive: true,
        types: &["snapshot"],
        datasets: &[&zbe],
    };
    let prefix = format!("{zbe}@");
    let owned: Vec<Owned> = zfs::list(&runner, &q)?
        .iter()
        .filter_map(|r| {
            let name = r.name()?;
            let run = r.get(PROP_RUN)?;
            name.starts_with(&prefix).then(|| Owned {
                name: name.to_string(),
                run: run.to_string(),
                step: r.get(PROP_STEP).map(str::to_string),
                keep: [&journal.pre_snapshot, &journal.earlier_pre]
                    .iter()
                    .any(|k| k.as_deref() == Some(name)),
            })
        })
        .collect();
    if !args.prune {
        if cli.global.json {
            println!("{}", serde_json::to_string(&owned)?);
        } else if owned.is_empty() {
            println!("zone {zone}: no zonerescue snapshots of {zbe}");
        } else {
            for o in &owned {
                let note = if journal.pre_snapshot.as_deref() == Some(o.name.as_str()) {
                    "  (pre-rescue snapshot of the last run: kept)"
                } else if o.keep {
                    "  (before any rescue; an earlier run never finished: kept)"
                } else {
                    ""
                };
                println!(
                    "{}  run {}  step {}{note}",
                    o.name,
                    o.run,
                    o.step.as_deref().unwrap_or("-")
                );
            }
        }
        return Ok(exit::OK);
    }
    let _lock = match lock_or_report(&dir, zone.as_str())? {
        Ok(l) => l,
        Err(code) => return Ok(code),
    };
    let reporter = Arc::new(Reporter::new(cli.global.json, Palette::new(cli.global.color)));
    let exec = Exec::new(runner, false, reporter, Interrupt::detached(), None);
    let mut failed = 0;
    for o in owned.iter().filter(|o| !o.keep) {
        // -r: the run snapshotted the ZBE recursively, so its children carry the same name.
        let spec = zfs::destroy_spec(&o.name, true)?;
        match exec.change(&spec)? {
            Some(out) if out.success() => println!("destroyed {}", o.name),
            Some(out) => {
                failed += 1;
                eprintln!("zonerescue: could not destroy {}: {}", o.name, out.stderr.trim());
            }
            None => {}
        }
    }
    Ok(if failed == 0 { exit::OK } else { exit::FAILED })
}
