//! `mount -p` (reference §4.3): vfstab-style lines
//! `special - mountpoint fstype - mount-at-boot options`; the brand scripts pick `$1` of the
//! line whose `$3` is the zone root and `$4` is `zfs`.

use std::path::Path;

use crate::system::{CommandSpec, Program, Runner};

use super::{RunError, run_parsed};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MountEntry {
    pub special: String,
    pub mountpoint: String,
    pub fstype: String,
    /// Mount options (`-` when none).
    pub options: String,
}

/// `mount -p`.
pub fn mount_p_spec() -> CommandSpec {
    CommandSpec::new(Program::Mount).arg("-p")
}

/// Parses `mount -p`; lines with fewer than four fields are skipped.
pub fn parse_mount_p(stdout: &str) -> Vec<MountEntry> {
    stdout
        .lines()
        .filter_map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            if f.len() < 4 {
                return None;
            }
            Some(MountEntry {
                special: f[0].to_string(),
                mountpoint: f[2].to_string(),
                fstype: f[3].to_string(),
                options: f.get(6).unwrap_or(&"-").to_string(),
            })
        })
        .collect()
}

/// The ZFS dataset mounted at `path`, if any (the last such mount wins, as it hides the
/// earlier ones).
pub fn zfs_dataset_at<'a>(entries: &'a [MountEntry], path: &Path) -> Option<&'a str> {
    entries
        .iter()
        .rev()
        .find(|e| e.fstype == "zfs" && Path::new(&e.mountpoint) == path)
        .map(|e| e.special.as_str())
}

/// Runs `mount -p` and finds the dataset mounted at `path`.
pub fn dataset_mounted_at(runner: &Runner, path: &Path) -> Result<Option<String>, RunError> {
    let entries = run_parsed(runner, &mount_p_spec(), |out| Ok(parse_mount_p(out)))?;
    Ok(zfs_dataset_at(&entries, path).map(str::to_string))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_zone_root_dataset() {
        let out = "rpool/ROOT/openindiana - / zfs - no \n\
                   /devices - /devices devfs - no \n\
                   rpool/zones/z1 - /zones/z1 zfs - no rw,devices,setuid,nonbmand,exec,xattr,atime\n\
                   rpool/zones/z1/ROOT/zbe - /zones/z1/root zfs - no rw,devices\n\
                   swap - /zones/z1/root zfs-lookalike - no\n\
                   short line\n";
        let e = parse_mount_p(out);
        assert_eq!(e.len(), 5);
        assert_eq!(e[0].options, "-");
        assert_eq!(
            zfs_dataset_at(&e, Path::new("/zones/z1/root")),
            Some("rpool/zones/z1/ROOT/zbe")
        );
        assert_eq!(
            zfs_dataset_at(&e, Path::new("/zones/z1/root/")),
            Some("rpool/zones/z1/ROOT/zbe")
        );
        assert_eq!(zfs_dataset_at(&e, Path::new("/devices")), None);
        assert_eq!(zfs_dataset_at(&e, Path::new("/zones/z2/root")), None);
        assert_eq!(mount_p_spec().display(), "mount -p");
    }
}
