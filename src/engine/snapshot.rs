//! Tool-owned ZBE snapshots: `<zbe>@zonerescue-<run>-pre` before anything changes, and
//! `<zbe>@zonerescue-<run>-NN-<strategy>` before each mutating rung, tagged with namespaced
//! user properties so that `zonerescue snapshots`/`rollback` can find them.

use crate::commands::zfs;
use crate::strategies::StrategyName;

use super::exec::Exec;

pub const PROP_RUN: &str = "com.zonerescue:run";
pub const PROP_STEP: &str = "com.zonerescue:step";
pub const PROP_GZ_ENTIRE: &str = "com.zonerescue:gz-entire";
pub const PREFIX: &str = "zonerescue-";

pub fn pre_name(zbe: &str, run_id: &str) -> String {
    format!("{zbe}@{PREFIX}{run_id}-pre")
}

pub fn rung_name(zbe: &str, run_id: &str, n: u32, s: StrategyName) -> String {
    format!("{zbe}@{PREFIX}{run_id}-{n:02}-{s}")
}

/// `zfs snapshot -r -o …` then verified with `zfs list -t snapshot` (outside a dry run).
pub fn create(
    exec: &Exec,
    snapshot: &str,
    run_id: &str,
    step: &str,
    gz_entire: &str,
) -> anyhow::Result<()> {
    let props = [(PROP_RUN, run_id), (PROP_STEP, step), (PROP_GZ_ENTIRE, gz_entire)];
    let spec = zfs::snapshot_spec(snapshot, true, &props)?;
    match exec.change(&spec)? {
        None => return Ok(()),
        Some(out) if !out.success() => {
            anyhow::bail!(
                "zfs snapshot {snapshot} failed (exit {}): {}",
                out.code.map_or("signal".into(), |c| c.to_string()),
                out.stderr.trim()
            );
        }
        Some(_) => {}
    }
    if !exists(exec, snapshot)? {
        anyhow::bail!(
            "zfs snapshot reported success but {snapshot} is not listed by `zfs list -t snapshot`"
        );
    }
    Ok(())
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

/// `zfs rollback -r SNAP` (later snapshots of this run are destroyed with it).
pub fn rollback(exec: &Exec, snapshot: &str) -> anyhow::Result<()> {
    let spec = zfs::rollback_spec(snapshot, true)?;
    exec.change_ok(&spec, &[0]).map_err(|e| anyhow::anyhow!("rolling back to {snapshot}: {e}"))
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
}
