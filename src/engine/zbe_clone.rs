//! Solaris 11: undoing a rescue whose `attach -u` moved the zone to a clone of its boot
//! environment (reference §2.6 `clone_zbe`: snapshot `<zbe>@<date>`, clone it to `solaris-<n>`,
//! set the clone's parentbe to the running GZ BE and active=on, promote the clone).
//!
//! The pre-rescue image is the run's `@zonerescue-RUN-pre` snapshot wherever it is now: on the
//! clone when the promote moved it there (it moves every snapshot up to the clone point), on
//! the original ZBE when there was no promote. Either way one dataset depends on a later
//! snapshot of the other (the clone point), so `zfs rollback -r` to the pre-rescue snapshot is
//! refused (`clones of previous snapshots exist`). Undoing everything means the layout from
//! before the rescue: the original ZBE — whose parentbe and active=on the brand left alone,
//! as it turns off only the current GZ BE's other ZBEs — holding the pre-rescue image, and no
//! clone. So: promote the original back when the snapshot had moved (the snapshots up to the
//! clone point return to it), then `zfs rollback -R` it to the pre-rescue snapshot, which
//! destroys the clone point and the clone made from it, and check that the brand's rule now
//! picks the original again. Anything else depending on those snapshots, or a zone that runs
//! from a ZBE that is not such a clone, is left to a human, with the commands.
//!
//! Everything here is learnt from `zfs list`, `beadm list` and `mount -p`, as on a real host:
//! the journal may be stale (a run killed during the attach never learnt of the clone).

use std::path::Path;

use crate::commands::{RunError, beadm, mount, zfs};
use crate::system::Runner;

use super::exec::Exec;
use super::preflight;
use super::snapshot::PROP_RUN;
use super::zbe::{ZbeChoice, choose_active};

const ACTIVE: &str = "org.opensolaris.libbe:active";

/// The ZBE the zone runs from now, by the rule preflight and the brand use: parentbe ==
/// running GZ BE and active=on, else the one mounted at the zone root, else the only active.
pub fn current_zbe(
    runner: &Runner,
    zbe_root: &str,
    zone_root: Option<&Path>,
) -> Result<String, String> {
    let gz = beadm::current(runner).ok().and_then(|b| b.uuid);
    let zbes = preflight::list_zbes(runner, zbe_root)
        .map_err(|e| format!("cannot list the zone boot environments under {zbe_root}: {e}"))?;
    let mounted = zone_root.and_then(|r| mount::dataset_mounted_at(runner, r).ok().flatten());
    // (The solaris brand's ZBEs are under `<zonepath ds>/rpool/ROOT`, ipkg's under `…/ROOT`.)
    let solaris = zbe_root.ends_with("/rpool/ROOT");
    match choose_active(&zbes, gz.as_deref(), mounted.as_deref(), solaris) {
        ZbeChoice::ByParent(d) | ZbeChoice::ByMount(d) | ZbeChoice::ToClaim(d) => Ok(d),
        ZbeChoice::OnlyActive { dataset, .. } => Ok(dataset),
        ZbeChoice::None => Err(format!("no zone boot environment under {zbe_root} is active")),
        ZbeChoice::Ambiguous(list) => Err(format!(
            "several zone boot environments could be the active one: {}",
            list.join(", ")
        )),
    }
}

/// The parent of a ZBE (`…/rpool/ROOT`), from its name.
pub fn zbe_root_of(zbe: &str) -> Option<&str> {
    zbe.split('@').next().and_then(|d| d.rsplit_once('/')).map(|(p, _)| p)
}

/// How to return the zone to its pre-rescue image.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Undo {
    /// The zone runs from the ZBE that holds the pre-rescue snapshot: `zfs rollback -r`.
    Plain { target: String },
    /// The zone runs from `clone`, cloned from `original` after the pre-rescue snapshot.
    Clone(CloneUndo),
    /// Not safe to do automatically: why, and what a human must do.
    ByHand { why: String, steps: Vec<String> },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CloneUndo {
    /// The ZBE the rescue started from; the zone's ZBE again afterwards.
    pub original: String,
    /// The ZBE the attach cloned and the zone runs from now: destroyed.
    pub clone: String,
    /// `original@tag` is the pre-rescue snapshot once the original is promoted back.
    pub tag: String,
    /// The promote moved the pre-rescue snapshot to the clone: promote the original back.
    pub moved: bool,
    /// The original's descendants (a Solaris 11 ZBE's `var`) that the brand's recursive clone
    /// and promote turned into clones of the clone's: promoted back with it, parents first.
    /// Else `zfs rollback -R` would destroy them as dependents of the clone's children.
    pub children: Vec<String>,
    /// Snapshots destroyed with the rollback: the original's after the pre-rescue one (the
    /// clone point among them) and every snapshot of the clone.
    pub destroyed_snapshots: Vec<String>,
    /// Those of them zonerescue did not take, but for the clone point the attach made.
    pub foreign_snapshots: Vec<String>,
}

impl CloneUndo {
    /// The pre-rescue snapshot as it is named after the undo.
    pub fn target(&self) -> String {
        format!("{}@{}", self.original, self.tag)
    }

    /// The commands, for a plan or for a human.
    pub fn commands(&self) -> Vec<String> {
        let mut c = Vec::new();
        if self.moved {
            c.push(format!("zfs promote {}", self.original));
            c.extend(self.children.iter().map(|d| format!("zfs promote {d}")));
        }
        c.push(format!("zfs rollback -R {}", self.target()));
        c
    }
}

/// Every filesystem with its origin (clones may live anywhere).
fn with_origins(runner: &Runner) -> Result<Vec<zfs::ZfsRow>, RunError> {
    zfs::list(
        runner,
        &zfs::ListQuery {
            properties: &["name", "origin"],
            recursive: false,
            types: &["filesystem"],
            datasets: &[],
        },
    )
}

/// The filesystems cloned from one of `snapshots` (full names), each with its origin: what
/// makes `zfs rollback -r` to an earlier snapshot refuse (and `-R` destroy them).
pub fn clones_of(runner: &Runner, snapshots: &[&str]) -> Result<Vec<(String, String)>, RunError> {
    if snapshots.is_empty() {
        return Ok(Vec::new());
    }
    let fs = with_origins(runner)?;
    Ok(fs
        .iter()
        .filter_map(|r| {
            let origin = r.get("origin").filter(|o| snapshots.contains(o))?;
            Some((r.name()?.to_string(), origin.to_string()))
        })
        .collect())
}

/// Where the pre-rescue snapshot `pre` is now and how to return to it. `original` is the ZBE
/// the run snapshotted (from the journal), if it differs from `pre`'s dataset.
pub fn plan(
    runner: &Runner,
    pre: &str,
    original: Option<&str>,
    zone_root: Option<&Path>,
) -> Result<Undo, RunError> {
    let (pre_ds, tag) = pre.split_once('@').unwrap_or((pre, ""));
    let cloned = original.is_some();
    let original = original.unwrap_or(pre_ds).to_string();
    let Some(root) = zbe_root_of(&original).map(str::to_string) else {
        return Ok(Undo::Plain { target: pre.to_string() });
    };
    let by_hand = |why: String| {
        let mut steps = vec![format!(
            "zfs list -r -o name,origin,org.opensolaris.libbe:parentbe,org.opensolaris.libbe:active {root}"
        )];
        steps.push(format!(
            "decide which ZBE holds the image to keep (the pre-rescue snapshot is @{tag}); make \
             it the only one with {ACTIVE}=on (zfs set {ACTIVE}=on|off DATASET) and roll it back \
             (zfs rollback -r DATASET@{tag}); leave the zone detached"
        ));
        Undo::ByHand { why, steps }
    };
    let current = match current_zbe(runner, &root, zone_root) {
        Ok(c) => c,
        // The run moved the zone to a clone, and which ZBE it runs from now cannot be told (a
        // later attach of another global-zone BE left two active): undoing by the journal's
        // names alone could roll back the wrong one (round v F3).
        Err(e) if cloned => {
            return Ok(by_hand(format!(
                "this run moved the zone from {original} to a clone of it, and which zone boot \
                 environment it runs from now cannot be told ({e})"
            )));
        }
        // Without a clear answer the journal's ZBE is the best there is (as before clones were
        // looked for): preflight refused such a zone, so a run cannot have changed it.
        Err(_) => return Ok(Undo::Plain { target: pre.to_string() }),
    };
    // Every snapshot under the ZBE root, each dataset's oldest first (`zfs list` order).
    let rows = zfs::list(
        runner,
        &zfs::ListQuery {
            properties: &["name", PROP_RUN],
            recursive: true,
            types: &["snapshot"],
            datasets: &[root.as_str()],
        },
    )?;
    let snaps_of = |ds: &str| -> Vec<String> {
        let prefix = format!("{ds}@");
        rows.iter().filter_map(|r| r.name()?.strip_prefix(&prefix).map(str::to_string)).collect()
    };
    let holder = [&current, &original, &pre_ds.to_string()]
        .into_iter()
        .find(|ds| snaps_of(ds).iter().any(|s| s == tag))
        .cloned();
    if current == original {
        return Ok(match holder {
            Some(h) if h == current => Undo::Plain { target: format!("{current}@{tag}") },
            _ => Undo::ByHand {
                why: format!("the zone runs from {current}, which has no snapshot @{tag}"),
                steps: vec![format!("zfs list -t snapshot -r {root}")],
            },
        });
    }
    // All filesystems with their origin (clones may live anywhere): what -R would destroy.
    let fs = with_origins(runner)?;
    let origin_of = |ds: &str| -> Option<String> {
        fs.iter().find(|r| r.name() == Some(ds)).and_then(|r| r.get("origin").map(str::to_string))
    };
    let (moved, clone_point) = match holder.as_deref() {
        Some(h) if h == current => (true, origin_of(&original)),
        Some(h) if h == original => (false, origin_of(&current)),
        _ => {
            return Ok(by_hand(format!(
                "the zone runs from {current}, not {original}, and neither holds @{tag}"
            )));
        }
    };
    let owner = if moved { &current } else { &original };
    let owner_snaps = snaps_of(owner);
    let link = clone_point
        .as_deref()
        .and_then(|o| o.strip_prefix(&format!("{owner}@")))
        .and_then(|x| owner_snaps.iter().position(|s| s == x));
    let tag_at = owner_snaps.iter().position(|s| s == tag);
    let (Some(x_at), Some(tag_at)) = (link, tag_at) else {
        return Ok(by_hand(format!(
            "the zone runs from {current}, which is not a clone of {original} made after the \
             pre-rescue snapshot @{tag}"
        )));
    };
    if x_at <= tag_at {
        return Ok(by_hand(format!(
            "{current} and {original} were parted before the pre-rescue snapshot @{tag}: not by \
             this rescue"
        )));
    }
    // The original's snapshots once promoted back: the owner's up to the clone point, then its
    // own; those after the pre-rescue one go, and the clone with all of its own.
    let mut after: Vec<String> = if moved {
        let mut v: Vec<String> = owner_snaps[..=x_at].to_vec();
        v.extend(snaps_of(&original));
        v
    } else {
        owner_snaps.clone()
    };
    after = after.split_off(tag_at + 1);
    let clone_own: Vec<String> =
        if moved { owner_snaps[x_at + 1..].to_vec() } else { snaps_of(&current) };
    let mut destroyed: Vec<String> = after.iter().map(|s| format!("{original}@{s}")).collect();
    destroyed.extend(clone_own.iter().map(|s| format!("{current}@{s}")));
    // `-R` destroys every clone of those snapshots, and theirs: only the attach's clone may go.
    let mut frontier = destroyed.clone();
    let mut others = Vec::new();
    while let Some(o) = frontier.pop() {
        // After the promote back, the attach's clone descends from original@<clone point>.
        let o =
            if moved { o.replacen(&format!("{current}@"), &format!("{original}@"), 1) } else { o };
        for r in &fs {
            let Some(name) = r.name() else { continue };
            let origin = r.get("origin").unwrap_or("");
            let origin = if moved {
                origin.replacen(&format!("{current}@"), &format!("{original}@"), 1)
            } else {
                origin.to_string()
            };
            if origin != o || name == original {
                continue;
            }
            if name == current || name.starts_with(&format!("{current}/")) {
                continue;
            }
            if !others.contains(&name.to_string()) {
                others.push(name.to_string());
                frontier.extend(snaps_of(name).iter().map(|s| format!("{name}@{s}")));
            }
        }
    }
    if !others.is_empty() {
        return Ok(by_hand(format!(
            "returning to the pre-rescue image would also destroy {}, which depend(s) on later \
             snapshots",
            others.join(", ")
        )));
    }
    // A snapshot keeps its short name through a promote: one of that name under either ZBE
    // carries the run property if zonerescue took it.
    let ours = |short: &str| {
        rows.iter().any(|r| {
            r.get(PROP_RUN).is_some()
                && [&original, &current].iter().any(|ds| r.name() == Some(&format!("{ds}@{short}")))
        })
    };
    let clone_point = &owner_snaps[x_at];
    let foreign_snapshots = destroyed
        .iter()
        .filter(|d| d.split_once('@').is_some_and(|(_, s)| s != clone_point && !ours(s)))
        .cloned()
        .collect();
    let below = format!("{original}/");
    let from_clone = format!("{current}/");
    let mut children: Vec<String> = fs
        .iter()
        .filter(|r| r.name().is_some_and(|n| n.starts_with(&below)))
        .filter(|r| r.get("origin").is_some_and(|o| o.starts_with(&from_clone)))
        .filter_map(|r| r.name().map(str::to_string))
        .collect();
    children.sort_by_key(|c| c.matches('/').count());
    Ok(Undo::Clone(CloneUndo {
        original,
        clone: current,
        tag: tag.to_string(),
        moved,
        children: if moved { children } else { Vec::new() },
        destroyed_snapshots: destroyed,
        foreign_snapshots,
    }))
}

/// Carries out `u` (the zone must be detached): promote the original back if needed, roll it
/// back destroying the clone, and check that the brand's rule picks the original again (set
/// its active=on if that is what is missing). An error says what happened and what is left.
pub fn undo(exec: &Exec, u: &CloneUndo, zone_root: Option<&Path>) -> anyhow::Result<()> {
    if u.moved {
        exec.change_ok(&zfs::promote_spec(&u.original)?, &[0]).map_err(|e| {
            anyhow::anyhow!("promoting {} back: {e}; nothing was rolled back", u.original)
        })?;
        for child in &u.children {
            exec.change_ok(&zfs::promote_spec(child)?, &[0]).map_err(|e| {
                anyhow::anyhow!(
                    "promoting {child} back: {e}; {} was promoted back, nothing was rolled back \
                     (promote {child} by hand before `zfs rollback -R`, which would destroy it)",
                    u.original
                )
            })?;
        }
    }
    let target = u.target();
    super::snapshot::rollback_with(exec, &target, zfs::rollback_destroying_clones_spec).map_err(
        |e| {
            if u.moved {
                e.context(format!("{} was promoted back: it holds {target}", u.original))
            } else {
                e
            }
        },
    )?;
    if exec.dry_run {
        return Ok(());
    }
    let root = zbe_root_of(&u.original).unwrap_or_default().to_string();
    if current_zbe(&exec.runner, &root, zone_root).as_deref() == Ok(u.original.as_str()) {
        return Ok(());
    }
    exec.change_ok(&zfs::set_spec(&u.original, ACTIVE, "on")?, &[0])?;
    match current_zbe(&exec.runner, &root, zone_root) {
        Ok(c) if c == u.original => Ok(()),
        other => anyhow::bail!(
            "{} holds the pre-rescue image again and {} is gone, but the zone's active ZBE is \
             not {} ({}): make it the only one with {ACTIVE}=on before attaching",
            u.original,
            u.clone,
            u.original,
            other.unwrap_or_else(|e| e)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zbe_root_is_the_parent() {
        assert_eq!(zbe_root_of("p/z/rpool/ROOT/solaris-0@x"), Some("p/z/rpool/ROOT"));
        assert_eq!(zbe_root_of("p/z/rpool/ROOT/solaris"), Some("p/z/rpool/ROOT"));
    }
}
