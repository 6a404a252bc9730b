//! Tool-owned ZBE snapshots: `<zbe>@zonerescue-<run>-pre` before anything changes, and
//! `<zbe>@zonerescue-<run>-NN-<strategy>` before each mutating rung, tagged with namespaced
//! user properties so that `zonerescue snapshots`/`rollback` can find them.

use crate::commands::zfs;
use crate::strategies::StrategyName;
use crate::system::{CommandError, CommandSpec};

use super::exec::Exec;

pub const PROP_RUN: &str = "com.zonerescue:run";
pub const PROP_STEP: &str = "com.zonerescue:step";
pub const PROP_GZ_ENTIRE: &str = "com.zonerescue:gz-entire";
/// The zone's own `entire` version when its pre-rescue snapshot was taken: the release of the
/// image it keeps (a global zone booted back into an older BE matches it again).
pub const PROP_ZONE_ENTIRE: &str = "com.zonerescue:zone-entire";
pub const PREFIX: &str = "zonerescue-";

pub fn pre_name(zbe: &str, run_id: &str) -> String {
    format!("{zbe}@{PREFIX}{run_id}-pre")
}

/// The strategy in the name is for people; when a long ZBE name leaves no room for it the
/// name is just the step number (the `step` property still says which rung), so a run whose
/// `-pre` snapshot fits never stops at a later one.
pub fn rung_name(zbe: &str, run_id: &str, n: u32, s: StrategyName) -> String {
    let long = format!("{zbe}@{PREFIX}{run_id}-{n:02}-{s}");
    if long.len() <= zfs::MAX_NAME_LEN { long } else { format!("{zbe}@{PREFIX}{run_id}-{n:02}") }
}

/// The `zfs snapshot -r -o …` of [`create`], tagged for the run (also what a dry run lists).
pub fn create_spec(
    snapshot: &str,
    run_id: &str,
    step: &str,
    gz_entire: &str,
    zone_entire: Option<&str>,
) -> anyhow::Result<crate::system::CommandSpec> {
    let mut props = vec![(PROP_RUN, run_id), (PROP_STEP, step), (PROP_GZ_ENTIRE, gz_entire)];
    props.extend(zone_entire.map(|z| (PROP_ZONE_ENTIRE, z)));
    Ok(zfs::snapshot_spec(snapshot, true, &props)?)
}

/// `zfs snapshot -r -o …` then verified with `zfs list -t snapshot` (outside a dry run).
pub fn create(
    exec: &Exec,
    snapshot: &str,
    run_id: &str,
    step: &str,
    gz_entire: &str,
    zone_entire: Option<&str>,
) -> anyhow::Result<()> {
    let spec = create_spec(snapshot, run_id, step, gz_entire, zone_entire)?;
    match retrying_busy(exec, &spec) {
        Err(CommandError::Failed { code, stderr, .. }) => anyhow::bail!(
            "zfs snapshot {snapshot} failed (exit {}): {}",
            code.map_or("signal".into(), |c| c.to_string()),
            stderr.trim()
        ),
        Err(e) => return Err(e.into()),
        Ok(()) => {}
    }
    if exec.dry_run {
        return Ok(());
    }
    if !exists(exec, snapshot)? {
        anyhow::bail!(
            "zfs snapshot reported success but {snapshot} is not listed by `zfs list -t snapshot`"
        );
    }
    Ok(())
}

/// The zone's `entire` version a zonerescue pre-rescue snapshot holds (its tag), if tagged.
pub fn zone_entire_of(runner: &crate::system::Runner, snapshot: &str) -> Option<String> {
    let q = zfs::ListQuery {
        properties: &["name", PROP_ZONE_ENTIRE],
        recursive: false,
        types: &["snapshot"],
        datasets: &[snapshot],
    };
    let rows = zfs::list(runner, &q).ok()?;
    rows.first()?.get(PROP_ZONE_ENTIRE).filter(|v| *v != "-").map(str::to_string)
}

/// Whether `snapshot` exists. A `zfs list` that fails for another reason than its absence
/// (an I/O error, a timeout) is an error: it must not read as "no snapshot".
pub fn exists(exec: &Exec, snapshot: &str) -> anyhow::Result<bool> {
    let props = ["name"];
    let q = zfs::ListQuery {
        properties: &props,
        recursive: false,
        types: &["snapshot"],
        datasets: &[snapshot],
    };
    match zfs::list(&exec.runner, &q) {
        Ok(rows) => Ok(rows.iter().any(|r| r.name() == Some(snapshot))),
        // libzfs: "cannot open '<name>': dataset does not exist" (or "no such pool or dataset").
        Err(crate::commands::RunError::Command(e))
            if e.stderr().contains("does not exist") || e.stderr().contains("no such pool") =>
        {
            Ok(false)
        }
        Err(e) => Err(anyhow::anyhow!("cannot tell whether snapshot {snapshot} exists: {e}")),
    }
}

/// `zfs rollback -r SNAP` (later snapshots of this run are destroyed with it), then the same
/// for each descendant dataset the `zfs snapshot -r` took along (a Solaris 11 ZBE's `var`,
/// which holds /var/pkg): `zfs rollback` acts on one dataset only, and an image whose root
/// and /var/pkg come from different moments is not the image that was snapshotted.
pub fn rollback(exec: &Exec, snapshot: &str) -> anyhow::Result<()> {
    rollback_with(exec, snapshot, |s| zfs::rollback_spec(s, true))
}

/// [`rollback`] for a run's own undo: refused, changing nothing, when the `-r` would destroy a
/// later snapshot zonerescue did not take (time-slider's, a replication tool's: hostile ll F3),
/// as `zonerescue rollback` refuses without `--destroy-foreign-snapshots`.
pub fn rollback_sparing_foreign(exec: &Exec, snapshot: &str) -> anyhow::Result<()> {
    let later = super::snapshots::after(&exec.runner, snapshot)?;
    let foreign: Vec<String> =
        later.into_iter().filter(|s| s.run.is_none()).map(|s| s.name).collect();
    if !foreign.is_empty() {
        anyhow::bail!(
            "not rolled back to {snapshot}: `zfs rollback -r` would destroy later snapshot(s) \
             zonerescue did not take ({}); keep what they hold (zfs send, or a clone), then \
             `zonerescue rollback` with --destroy-foreign-snapshots",
            foreign.join(", ")
        );
    }
    rollback(exec, snapshot)
}

/// Rolls `snapshot` and its descendants' snapshots of the same name back with `spec`. They
/// are listed before anything is rolled back: a list that fails changes nothing.
pub fn rollback_with(
    exec: &Exec,
    snapshot: &str,
    spec: impl Fn(&str) -> Result<CommandSpec, crate::commands::InvalidName>,
) -> anyhow::Result<()> {
    let children = descendants_at(exec, snapshot)?;
    let all: Vec<String> = std::iter::once(snapshot.to_string()).chain(children).collect();
    for (k, s) in all.iter().enumerate() {
        if let Err(e) = retrying_busy(exec, &spec(s)?) {
            if k == 0 {
                anyhow::bail!("rolling back to {s}: {e}");
            }
            let done = all[..k].to_vec();
            return Err(PartialRollback { done, failed: s.clone(), cause: e.to_string() }.into());
        }
    }
    // Each rollback destroys the later snapshots: some left means one did not do what it
    // said (hostile ww F2: a `zfs rollback` that exited 0 having done nothing was reported
    // done, and the image was not rolled back).
    if !exec.dry_run {
        let left = super::snapshots::after(&exec.runner, snapshot)?;
        if !left.is_empty() {
            let names: Vec<String> = left.into_iter().map(|s| s.name).collect();
            return Err(PartialRollback {
                done: all.clone(),
                failed: snapshot.to_string(),
                cause: format!(
                    "zfs reported each rollback done, yet later snapshot(s) still exist ({}): \
                     the image is not known to be rolled back",
                    names.join(", ")
                ),
            }
            .into());
        }
    }
    Ok(())
}

/// A rollback that went back part of the way: the datasets of `done` are at their snapshot
/// (their later snapshots destroyed, so this cannot be undone), `failed` and those after it
/// are not. The image is neither as it was nor as the snapshot holds it: only finishing the
/// rollback gives a consistent image.
#[derive(Debug, thiserror::Error)]
#[error(
    "rolling back to {failed}: {cause} ({} rolled back already: the image is only partly \
     rolled back)",
    done.join(", ")
)]
pub struct PartialRollback {
    pub done: Vec<String>,
    pub failed: String,
    pub cause: String,
}

/// The partial rollback somewhere in `e`'s chain, if that is how it failed.
pub fn partly_rolled_back(e: &anyhow::Error) -> Option<&PartialRollback> {
    e.chain().find_map(|c| c.downcast_ref::<PartialRollback>())
}

/// The snapshots named like `snapshot` (`DS@NAME`) of the datasets below DS.
pub fn descendants_at(exec: &Exec, snapshot: &str) -> anyhow::Result<Vec<String>> {
    let Some((dataset, short)) = snapshot.split_once('@') else { return Ok(Vec::new()) };
    let q = zfs::ListQuery {
        properties: &["name"],
        recursive: true,
        types: &["snapshot"],
        datasets: &[dataset],
    };
    let rows = zfs::list(&exec.runner, &q).map_err(|e| {
        anyhow::anyhow!("cannot list the snapshots below {dataset} (nothing was rolled back): {e}")
    })?;
    let below = format!("{dataset}/");
    let mut found: Vec<String> = rows
        .iter()
        .filter_map(|r| r.name())
        .filter(|n| n.starts_with(&below) && n.split_once('@').is_some_and(|(_, s)| s == short))
        .map(str::to_string)
        .collect();
    // Parents before their children, as `zfs snapshot -r` made them.
    found.sort();
    Ok(found)
}

/// Runs the `zfs rollback` or `zfs snapshot` of `spec`. A dataset busy for a moment (a
/// process in the zonepath, a `zfs send`) often is not a few seconds later: one more try,
/// rather than a rung left half undone or a run stopped by an error.
pub fn retrying_busy(exec: &Exec, spec: &CommandSpec) -> Result<(), CommandError> {
    match exec.change_ok(spec, &[0]) {
        // libzfs: "cannot rollback 'DATASET': dataset is busy" (and "cannot create snapshot").
        Err(e)
            if e.stderr().contains("dataset is busy")
                && exec.wait_before_retry("the zone's dataset is busy", 0, 1) =>
        {
            exec.change_ok(spec, &[0])
        }
        done => done,
    }
}

/// A run id: UTC time plus pid, safe in a snapshot name.
pub fn new_run_id() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    format!("{secs}-{}", std::process::id())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_valid_snapshots() {
        let pre = pre_name("rpool/zones/z1/ROOT/zbe", "1700000000-42");
        assert_eq!(pre, "rpool/zones/z1/ROOT/zbe@zonerescue-1700000000-42-pre");
        assert!(zfs::validate_snapshot(&pre).is_ok());
        let r = rung_name("rpool/zones/z1/ROOT/zbe", "1-2", 3, StrategyName::GzPublishers);
        assert!(r.ends_with("@zonerescue-1-2-03-gz-publishers"));
        assert!(zfs::validate_snapshot(&r).is_ok());
    }

    /// A ZBE name that leaves room for `-pre` but not for `-NN-zone-publishers` (a 63-character
    /// zone name under a deep zonepath): the rung's name drops the strategy. Before, the rung's
    /// snapshot failed after the zone was detached.
    #[test]
    fn a_rung_name_too_long_for_zfs_drops_the_strategy() {
        let run = "1700000000-42";
        let zbe = format!("rpool/{}/ROOT/zbe", "z".repeat(255 - 40 - run.len()));
        let pre = pre_name(&zbe, run);
        assert!(zfs::validate_snapshot(&pre).is_ok(), "{}", pre.len());
        for s in StrategyName::LADDER {
            let r = rung_name(&zbe, run, 12, s);
            assert!(zfs::validate_snapshot(&r).is_ok(), "{r}");
            assert!(r.ends_with(&format!("-{run}-12")) || r.ends_with(&format!("-12-{s}")), "{r}");
        }
        assert!(rung_name(&zbe, run, 12, StrategyName::ZonePublishers).ends_with("-12"));
        assert!(rung_name(&zbe, run, 12, StrategyName::Attach).ends_with("-12-attach"));
    }
}
