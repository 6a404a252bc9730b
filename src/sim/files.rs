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

/// Before a command: what was written under the zone roots since the last one (an
/// administrator's edit, a file added or removed) becomes part of the zone's current image, as
/// it is on a real ZBE, so that snapshots capture it and rollbacks put back what they captured
/// (no-op in oracle mode). Text files up to 1 MiB; `.zfs` is the snapshots' view, not the image.
pub fn absorb_all(world: &mut World) {
    if world.pure {
        return;
    }
    for idx in 0..world.zones.len() {
        let Some(zone) = world.zones.get(idx).cloned() else { continue };
        let root = PathBuf::from(world.zoneroot(&zone));
        if !root.is_dir() {
            continue;
        }
        let mut on_disk = std::collections::BTreeMap::new();
        walk(&root, "", 0, &mut on_disk);
        let Some(img) = world.zone_image_mut(&zone.name) else { continue };
        for gone in zone.materialized.iter().filter(|p| !on_disk.contains_key(*p)) {
            img.files.remove(gone);
        }
        for (path, content) in on_disk {
            if img.files.get(&path) != Some(&content) {
                img.files.insert(path, content);
            }
        }
    }
}

/// The text files below `dir` (`rel` its path from the zone root) into `out`.
fn walk(dir: &Path, rel: &str, depth: u32, out: &mut std::collections::BTreeMap<String, String>) {
    const MAX_DEPTH: u32 = 16;
    const MAX_SIZE: u64 = 1 << 20;
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let path = if rel.is_empty() { name.clone() } else { format!("{rel}/{name}") };
        let Ok(t) = e.file_type() else { continue };
        if t.is_dir() && name != ".zfs" && depth < MAX_DEPTH {
            walk(&e.path(), &path, depth + 1, out);
        } else if t.is_file()
            && e.metadata().is_ok_and(|m| m.len() <= MAX_SIZE)
            && let Ok(text) = std::fs::read_to_string(e.path())
        {
            out.insert(path, text);
        }
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
