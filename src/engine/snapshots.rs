//! `zonerescue snapshots ZONE [--prune]`: the tool-owned snapshots of the zone's boot
//! environment (those carrying `com.zonerescue:run`), and pruning all but the last run's
//! pre-rescue snapshot and, when an earlier run changed the zone, the snapshot from before any
//! rescue — never the last good one.

use std::path::PathBuf;
use std::sync::Arc;

use serde::Serialize;

use crate::cli::{Cli, SnapshotsArgs};
use crate::commands::{RunError, ZoneName, zfs, zoneadm};
use crate::exit;
use crate::outln;
use crate::system::Runner;
use crate::ui::{self, Palette};

use super::ending::Ending;
use super::exec::Exec;
use super::journal::{Journal, JournalError};
use super::lock::{LockError, ZoneLock};
use super::recover::{runner_from, state_base};
use super::reporter::Reporter;
use super::signals::Interrupt;
use super::snapshot::{PROP_RUN, PROP_STEP};
use super::{preflight, zbe_clone};

/// A snapshot of the zone boot environment; `run` and `step` are set on zonerescue's own.
#[derive(Clone, Debug)]
pub struct ZbeSnapshot {
    pub name: String,
    pub run: Option<String>,
    pub step: Option<String>,
}

/// The snapshots of `zbe` itself, oldest first (`zfs list` orders a dataset's snapshots by
/// creation): the order `zfs rollback -r` destroys the later ones in.
pub fn of_zbe(runner: &Runner, zbe: &str) -> Result<Vec<ZbeSnapshot>, RunError> {
    let prefix = format!("{zbe}@");
    Ok(with_descendants(runner, zbe)?.into_iter().filter(|s| s.name.starts_with(&prefix)).collect())
}

/// The snapshots of `zbe` and of the datasets below it, in `zfs list`'s order (by dataset,
/// each one's oldest first).
fn with_descendants(runner: &Runner, zbe: &str) -> Result<Vec<ZbeSnapshot>, RunError> {
    let props = ["name", PROP_RUN, PROP_STEP];
    let q = zfs::ListQuery {
        properties: &props,
        recursive: true,
        types: &["snapshot"],
        datasets: &[zbe],
    };
    let below = format!("{zbe}/");
    Ok(zfs::list(runner, &q)?
        .iter()
        .filter_map(|r| {
            let name = r.name().filter(|n| {
                n.split_once('@').is_some_and(|(d, _)| d == zbe || d.starts_with(&below))
            })?;
            Some(ZbeSnapshot {
                name: name.to_string(),
                run: r.get(PROP_RUN).map(str::to_string),
                step: r.get(PROP_STEP).map(str::to_string),
            })
        })
        .collect())
}

/// The zone's boot environments as the system shows them, for when its journal cannot be read.
pub struct SystemZbes {
    /// Every ZBE under the zonepath dataset.
    pub all: Vec<String>,
    /// The one the zone runs from now, by the brand's rule; or why it cannot be told.
    pub current: Result<String, String>,
    pub zone_root: PathBuf,
}

/// [`SystemZbes`] of `zone`, learnt from zoneadm, `mount -p` and `zfs list` alone; `Err`: why
/// the zone has none to speak of.
pub fn zbes_from_system(
    runner: &Runner,
    zone: &ZoneName,
) -> anyhow::Result<Result<SystemZbes, String>> {
    let entry = zoneadm::get(runner, zone)?;
    // Unread, the zonepath's dataset is looked up by its mountpoint instead.
    let mounts = preflight::mount_table(runner).unwrap_or_default();
    let Some(zpds) = preflight::dataset_of_zonepath(runner, &mounts, &entry.zonepath) else {
        return Ok(Err(format!(
            "no ZFS dataset holds zone {zone}'s zonepath {}",
            entry.zonepath.display()
        )));
    };
    let root = preflight::zbe_root(&entry.brand, &zpds);
    let all = preflight::list_zbes(runner, &root)?.into_iter().map(|z| z.dataset).collect();
    let zone_root = entry.zonepath.join("root");
    let current = zbe_clone::current_zbe(runner, &root, Some(&zone_root));
    Ok(Ok(SystemZbes { all, current, zone_root }))
}

/// The snapshots taken after `target` of its dataset, then of each descendant that has a
/// snapshot of the same name (a rollback to `target` rolls those back too: regress mm F3),
/// oldest first: what the `zfs rollback -r`s destroy (and what a clone depending on one keeps
/// them from passing).
pub fn after(runner: &Runner, target: &str) -> Result<Vec<ZbeSnapshot>, RunError> {
    let (zbe, short) = target.split_once('@').unwrap_or((target, ""));
    let all = with_descendants(runner, zbe)?;
    let mut datasets: Vec<&str> = Vec::new();
    for s in &all {
        let ds = s.name.split_once('@').map_or(s.name.as_str(), |(d, _)| d);
        if !datasets.contains(&ds) {
            datasets.push(ds);
        }
    }
    let mut out = Vec::new();
    for ds in datasets {
        let at = format!("{ds}@{short}");
        let mut of_ds = all.iter().filter(|s| s.name.split_once('@').is_some_and(|(d, _)| d == ds));
        if of_ds.clone().any(|s| s.name == at) {
            out.extend(of_ds.by_ref().skip_while(|s| s.name != at).skip(1).cloned());
        }
    }
    Ok(out)
}

#[derive(Debug, Serialize)]
struct Owned {
    name: String,
    run: String,
    step: Option<String>,
    /// The last run's pre-rescue snapshot, or the one before any rescue (an earlier run's):
    /// never pruned.
    keep: bool,
}

/// The `--json` summary of `snapshots --prune`: its last line.
#[derive(Debug, Serialize)]
struct PruneSummary {
    zone: String,
    result: PruneResult,
    destroyed: Vec<String>,
    failed: Vec<PruneFailure>,
    /// The tool-owned snapshots pruning never destroys (see [`Owned::keep`]).
    kept: Vec<String>,
    message: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
enum PruneResult {
    Pruned,
    NothingToDo,
    Refused,
    Locked,
    /// Some snapshots could not be destroyed (`failed` says why).
    Failed,
    Usage,
    /// A command could not be run at all: pruning stopped there.
    Error,
}

#[derive(Debug, Serialize)]
struct PruneFailure {
    snapshot: String,
    reason: String,
}

impl PruneSummary {
    fn new(zone: &str) -> PruneSummary {
        PruneSummary {
            zone: zone.to_string(),
            result: PruneResult::Error,
            destroyed: Vec::new(),
            failed: Vec::new(),
            kept: Vec::new(),
            message: String::new(),
        }
    }

    fn end(mut self, result: PruneResult, message: String) -> Ending<PruneSummary> {
        let code = match result {
            PruneResult::Pruned | PruneResult::NothingToDo => exit::OK,
            PruneResult::Refused => exit::REFUSED,
            PruneResult::Locked => exit::LOCKED,
            PruneResult::Failed => exit::FAILED,
            PruneResult::Usage | PruneResult::Error => exit::USAGE,
        };
        self.result = result;
        self.message = message;
        Ending::new("prune-summary", code, self)
    }

    /// Said on stderr as `zonerescue: MESSAGE`.
    fn refused(self, result: PruneResult, message: String) -> Ending<PruneSummary> {
        self.end(result, message.clone()).warn(format!("zonerescue: {message}"))
    }
}

/// What `snapshots` works on: the zone's journal, its ZBE and zonerescue's snapshots of it.
struct Found {
    zone: ZoneName,
    dir: PathBuf,
    runner: Runner,
    /// `Err`: why it cannot be read (the ZBEs are then the system's, and every run's
    /// pre-rescue snapshot is kept).
    journal: Result<Journal, JournalError>,
    zbe: String,
    owned: Vec<Owned>,
}

/// The zone's snapshots; or, when there are none to speak of, how `snapshots` ends.
fn find(cli: &Cli, zone: &str, prune: bool) -> anyhow::Result<Result<Found, Ending<PruneSummary>>> {
    let s = PruneSummary::new(zone);
    let zone = match ZoneName::new(zone) {
        Ok(z) => z,
        Err(e) => {
            let m = format!("{e:#}");
            return Ok(Err(s
                .end(PruneResult::Usage, m.clone())
                .warn(format!("zonerescue: error: {m}"))));
        }
    };
    let runner = runner_from(cli)?;
    // Where others could plant a journal, prune does not act on it (as a rescue refuses it);
    // the listing only reads, as status does.
    let dir = if prune {
        super::statedir::check_zone_dir(&state_base(cli, &runner), zone.as_str())?
    } else {
        state_base(cli, &runner).join(zone.as_str())
    };
    let journal = match Journal::load_checked(&dir) {
        Ok(Some(j)) => Ok(j),
        Ok(None) => {
            if let Some(starting) = super::lock::starting_run(&dir, zone.as_str()) {
                return Ok(Err(s.refused(PruneResult::Locked, starting)));
            }
            let m = format!("no zonerescue run is recorded for zone {zone} in {}", dir.display());
            return Ok(Err(s.refused(PruneResult::Refused, m)));
        }
        // Listed from the system (the operator needs the names for `rollback --to`); pruning
        // stops below with the error, not knowing which snapshot must be kept.
        Err(e @ JournalError::Corrupt { .. }) => Err(e),
        Err(e) => return Err(e.into()),
    };
    let zbes: Vec<String> = match &journal {
        Ok(j) => {
            let Some(zbe) = j.active_zbe.clone() else {
                let m = format!("the journal of zone {zone} names no zone boot environment");
                return Ok(Err(s.refused(PruneResult::Refused, m)));
            };
            // Solaris 11: an attach that moved the zone to a clone of its ZBE leaves the run's
            // earlier snapshots (the pre-rescue one first) on the ZBE it started from.
            let mut zbes: Vec<String> = j.original_zbe.iter().cloned().collect();
            if !zbes.contains(&zbe) {
                zbes.push(zbe);
            }
            zbes
        }
        Err(_) => match zbes_from_system(&runner, &zone)? {
            Ok(found) => found.all,
            Err(why) => return Ok(Err(s.refused(PruneResult::Refused, why))),
        },
    };
    // Never another zone's snapshots, whatever the journal names (see `rollback`).
    for z in &zbes {
        if let Some(why) = super::rollback::not_this_zones(&runner, &zone, z)? {
            return Ok(Err(s.refused(PruneResult::Refused, format!("{why}; nothing was changed"))));
        }
    }
    let mut owned: Vec<Owned> = Vec::new();
    for z in &zbes {
        owned.extend(of_zbe(&runner, z)?.into_iter().filter_map(|s| {
            // Without the journal, which run's is the last is unknown: every run's pre-rescue
            // snapshot is kept (a script pruning by `keep` must not lose the way back).
            // Nor the snapshot of a rung the last run did not finish: `resume` undoes that
            // rung's half-done change to it (guided kk F3).
            let keep = match &journal {
                Ok(j) => {
                    [&j.pre_snapshot, &j.earlier_pre]
                        .iter()
                        .any(|k| k.as_deref().is_some_and(|k| same_snapshot(k, &s.name)))
                        || unfinished_rung(j, &s.name)
                }
                Err(_) => s.step.as_deref() == Some("pre"),
            };
            Some(Owned { run: s.run?, name: s.name, step: s.step, keep })
        }));
    }
    let zbe = zbes.join(" and ");
    Ok(Ok(Found { zone, dir, runner, journal, zbe, owned }))
}

pub fn snapshots(cli: &Cli, args: &SnapshotsArgs) -> anyhow::Result<u8> {
    let found = match find(cli, &args.zone, args.prune)? {
        Ok(found) => found,
        // The listing's --json is the list alone: its refusals stay words on stderr.
        Err(ending) => return Ok(ending.print(cli.global.json && args.prune)),
    };
    if args.prune {
        return Ok(prune(cli, args.yes, found)?.print(cli.global.json));
    }
    let Found { zone, journal, zbe, owned, .. } = found;
    let last_pre = journal.as_ref().ok().and_then(|j| j.pre_snapshot.clone());
    if let Err(e) = &journal {
        crate::errln!(
            "zonerescue: warning: {e}\nzonerescue: which of these is the last run's pre-rescue \
             snapshot is not known; each run's `pre` snapshot holds the zone as that run found it"
        );
    }
    if cli.global.json {
        outln!("{}", serde_json::to_string(&owned)?)?;
    } else if owned.is_empty() {
        outln!("zone {zone}: no zonerescue snapshots of {zbe}")?;
    } else {
        for o in &owned {
            let note = if last_pre.as_deref().is_some_and(|p| same_snapshot(p, &o.name)) {
                "  (pre-rescue snapshot of the last run: kept)"
            } else if o.keep && journal.is_err() {
                "  (a run's pre-rescue snapshot: kept)"
            } else if journal.as_ref().is_ok_and(|j| unfinished_rung(j, &o.name)) {
                "  (of a rung the last run did not finish: resume undoes it to this; kept)"
            } else if o.keep {
                "  (before any rescue, an earlier run's pre-rescue snapshot: kept)"
            } else {
                ""
            };
            outln!("{}  run {}  step {}{note}", o.name, o.run, o.step.as_deref().unwrap_or("-"))?;
        }
    }
    Ok(exit::OK)
}

/// Whether `snap` is the snapshot of a rung the journal's run started and did not finish.
fn unfinished_rung(j: &super::journal::Journal, snap: &str) -> bool {
    j.steps.iter().any(|st| {
        st.state == super::journal::StepState::Started
            && st.snapshot.as_deref().is_some_and(|k| same_snapshot(k, snap))
    })
}

/// The snapshot the journal names, wherever it is among this zone's ZBEs now: a `zfs promote`
/// (the brand's clone of the ZBE, or its undo) moves snapshots between them by name (ops qq
/// F2: the pre-rescue snapshot, moved back to the original ZBE by an undo that stopped midway,
/// was pruned under its journalled name on the clone). The name after `@` holds the run id.
fn same_snapshot(journalled: &str, found: &str) -> bool {
    let tag = |n: &str| n.split_once('@').map(|(_, t)| t.to_string());
    journalled == found || (tag(journalled).is_some() && tag(journalled) == tag(found))
}

/// Destroys the snapshots not kept, to the ending (printed by the caller).
fn prune(cli: &Cli, yes: bool, found: Found) -> anyhow::Result<Ending<PruneSummary>> {
    let Found { zone, dir, runner, owned, journal, .. } = found;
    let mut s = PruneSummary::new(zone.as_str());
    // Without it, which snapshot holds the zone as before any rescue is not known.
    if let Err(e) = journal {
        return Err(e.into());
    }
    let (kept, doomed): (Vec<Owned>, Vec<Owned>) = owned.into_iter().partition(|o| o.keep);
    s.kept = kept.into_iter().map(|o| o.name).collect();
    if doomed.is_empty() {
        let m = format!("zone {zone}: nothing to prune");
        return Ok(s.end(PruneResult::NothingToDo, m.clone()).say(m));
    }
    let _lock = match ZoneLock::acquire(&dir, zone.as_str()) {
        Ok(l) => l,
        Err(e @ LockError::Held { .. }) => return Ok(s.refused(PruneResult::Locked, e.to_string())),
        Err(e) => return Err(e.into()),
    };
    let names: Vec<&str> = doomed.iter().map(|o| o.name.as_str()).collect();
    let plan =
        format!("These snapshots of zone {zone} will be destroyed:\n  {}\n", names.join("\n  "));
    let question = format!("Destroy these {} snapshot(s)?", doomed.len());
    if let Err(why) = ui::consent(yes, &plan, &question) {
        let m = format!("pruning the snapshots of zone {zone} refused: {why}");
        return Ok(s.refused(PruneResult::Refused, m));
    }
    // -r: the run snapshotted the ZBE recursively, so its children carry the same name.
    // Every name checked before the first is destroyed.
    let specs =
        doomed.iter().map(|o| zfs::destroy_spec(&o.name, true)).collect::<Result<Vec<_>, _>>()?;
    let reporter = Arc::new(Reporter::new(cli.global.json, Palette::new(cli.global.color)));
    // A signal (a dropped ssh session) does not stop the destroys midway: caught and said.
    let signals = Interrupt::install().unwrap_or_else(|_| Interrupt::detached());
    signals.on_first({
        let reporter = Arc::clone(&reporter);
        move |sig| reporter.note(&format!("{sig} received: pruning goes on to its end"))
    });
    let exec = Exec::new(runner, false, reporter, Interrupt::detached(), None);
    for (o, spec) in doomed.into_iter().zip(&specs) {
        match exec.change(spec) {
            Ok(Some(out)) if out.success() => s.destroyed.push(o.name),
            Ok(Some(out)) => {
                s.failed.push(PruneFailure { snapshot: o.name, reason: out.stderr.trim().into() })
            }
            Ok(None) => {}
            // Not run at all: what was destroyed so far is still said.
            Err(e) => {
                return Ok(pruned(s, PruneResult::Error, format!("{e:#}")));
            }
        }
    }
    let result = if s.failed.is_empty() { PruneResult::Pruned } else { PruneResult::Failed };
    let mut m = format!("zone {zone}: {} snapshot(s) destroyed", s.destroyed.len());
    if !s.failed.is_empty() {
        m.push_str(&format!(", {} could not be", s.failed.len()));
    }
    Ok(pruned(s, result, m))
}

/// The ending of a prune that destroyed what `s` says: a line a snapshot for people.
fn pruned(s: PruneSummary, result: PruneResult, message: String) -> Ending<PruneSummary> {
    let out: Vec<String> = s.destroyed.iter().map(|n| format!("destroyed {n}")).collect();
    let mut err: Vec<String> = s
        .failed
        .iter()
        .map(|f| format!("zonerescue: could not destroy {}: {}", f.snapshot, f.reason))
        .collect();
    if result == PruneResult::Error {
        err.push(format!("zonerescue: error: {message}"));
    }
    let mut ending = s.end(result, message);
    ending.out = out;
    ending.err = err;
    ending
}

/// Whether `zfs rollback -r` to `snap` can be done from boot environment `zbe`: `snap` is one
/// of its snapshots, and no clone depends on a later one (the rollback refuses past it).
pub fn rollback_reaches(runner: &Runner, zbe: &str, snap: &str) -> bool {
    if !snap.starts_with(&format!("{zbe}@")) {
        return false;
    }
    let Ok(later) = after(runner, snap) else { return false };
    let names: Vec<&str> = later.iter().map(|s| s.name.as_str()).collect();
    super::zbe_clone::clones_of(runner, &names).is_ok_and(|c| c.is_empty())
}
