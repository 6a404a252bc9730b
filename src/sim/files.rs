//! Real files under DIR: zone roots follow the image of the zone's current ZBE; snapshots of a
//! ZBE are materialised under `<zoneroot>/.zfs/snapshot/<snap>/` like ZFS's snapshot dir.

use std::path::{Path, PathBuf};

use super::world::{Image, World};

fn write(path: &Path, content: &str) {
    if let Some(parent) = path.parent() {
        let _ = std::fs::create_dir_all(parent);
    }
    let _ = std::fs::write(path, content);
}

/// Rewrites the files of every zone root from its current image (no-op in oracle mode).
pub fn sync_all(world: &mut World) {
    for i in 0..world.zones.len() {
        sync_zone(world, i);
    }
}

pub fn sync_zone(world: &mut World, idx: usize) {
    if world.pure {
        return;
    }
    let Some(zone) = world.zones.get(idx).cloned() else { return };
    let root = PathBuf::from(world.zoneroot(&zone));
    let files = world.zone_image(&zone).map(|i| i.files.clone()).unwrap_or_default();
    for stale in zone.materialized.iter().filter(|p| !files.contains_key(*p)) {
        let _ = std::fs::remove_file(root.join(stale));
    }
    for (path, content) in &files {
        let target = root.join(path);
        if std::fs::read_to_string(&target).ok().as_deref() != Some(content.as_str()) {
            write(&target, content);
        }
    }
    if let Some(z) = world.zones.get_mut(idx) {
        z.materialized = files.keys().cloned().collect();
    }
}

/// Zone (index) whose ZBE is `dataset`.
pub fn zone_of_zbe(world: &World, dataset: &str) -> Option<usize> {
    world.zones.iter().position(|z| {
        dataset
            .strip_prefix(&format!("{}/", z.zbe_parent()))
            .is_some_and(|rest| !rest.contains('/'))
    })
}

fn snapshot_dir(world: &World, idx: usize, snap: &str) -> Option<PathBuf> {
    let zone = world.zones.get(idx)?;
    Some(PathBuf::from(world.zoneroot(zone)).join(".zfs").join("snapshot").join(snap))
}

pub fn write_snapshot(world: &World, dataset: &str, snap: &str, image: &Image) {
    if world.pure {
        return;
    }
    let Some(idx) = zone_of_zbe(world, dataset) else { return };
    let Some(dir) = snapshot_dir(world, idx, snap) else { return };
    for (path, content) in &image.files {
        write(&dir.join(path), content);
    }
}

pub fn remove_snapshot(world: &World, dataset: &str, snap: &str) {
    if world.pure {
        return;
    }
    let Some(idx) = zone_of_zbe(world, dataset) else { return };
    if let Some(dir) = snapshot_dir(world, idx, snap) {
        let _ = std::fs::remove_dir_all(dir);
    }
}
