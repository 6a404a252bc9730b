//! The locks a running operation holds on a real host: a changing `pkg` holds its image's lock
//! for the whole transaction (a second changing client on that image exits 7 at once), a
//! state-changing `zoneadm` holds the zone's lock (a second one is refused). Here each is an
//! flock on DIR/locks/<key>.lock held for the whole invocation and taken before the world
//! lock, so the refusal does not queue behind the running command.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::Path;

use anyhow::{Context, Result};

use super::cmd::{pkg, zoneadm};
use super::out::Output;

/// An operation lock of one invocation (released when dropped, or when the process dies).
pub enum Claim {
    /// Nothing to lock (read-only command), or the lock is ours.
    Held(Option<File>),
    /// Another invocation holds it: the command's refusal.
    Busy(Output),
}

/// The value of option `opt` (`-R DIR` or `-RDIR`) and the first operand, skipping the options
/// that take a value (`with_value`).
fn operand_and_option<'a>(
    args: &'a [String],
    opt: &str,
    with_value: &[&str],
) -> (Option<&'a str>, Option<&'a str>) {
    let mut value = None;
    let mut i = 0;
    while let Some(a) = args.get(i) {
        if !a.starts_with('-') {
            return (value, Some(a.as_str()));
        }
        let takes = with_value.iter().any(|o| a == o);
        if a == opt {
            value = args.get(i + 1).map(String::as_str);
        } else if let Some(v) = a.strip_prefix(opt) {
            value = Some(v);
        }
        i += if takes { 2 } else { 1 };
    }
    (value, None)
}

/// The lock a command takes: `pkg-<image root>` or `zoneadm-<zone>`; `None` for the rest.
fn key(dir: &Path, name: &str, args: &[String]) -> Option<String> {
    match name {
        "pkg" => {
            let (root, sub) = operand_and_option(args, "-R", &["-R"]);
            let sub = sub?;
            if !pkg::is_mutating(sub) {
                return None;
            }
            let image = if sub == "image-create" {
                args.iter().rev().find(|a| !a.starts_with('-')).map(String::as_str)
            } else {
                root
            };
            let image = image.unwrap_or("/").trim_end_matches('/');
            let global = image.is_empty() || Path::new(image) == dir;
            Some(format!("pkg-{}", if global { "/" } else { image }))
        }
        "zoneadm" => {
            let (zone, sub) = operand_and_option(args, "-z", &["-z", "-R", "-u"]);
            let zone = zone?;
            zoneadm::STATE_CHANGING.contains(&sub?).then(|| format!("zoneadm-{zone}"))
        }
        _ => None,
    }
}

fn file_name(key: &str) -> String {
    let safe: String =
        key.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' }).collect();
    format!("{safe}.lock")
}

/// Takes the operation lock of `name args` in world `dir`, without waiting.
pub fn claim(dir: &Path, name: &str, args: &[String]) -> Result<Claim> {
    let Some(key) = key(dir, name, args) else { return Ok(Claim::Held(None)) };
    let locks = dir.join("locks");
    std::fs::create_dir_all(&locks)
        .with_context(|| format!("cannot create {}", locks.display()))?;
    let path = locks.join(file_name(&key));
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .with_context(|| format!("cannot open {}", path.display()))?;
    match file.try_lock() {
        Ok(()) => Ok(Claim::Held(Some(file))),
        Err(TryLockError::WouldBlock) => Ok(Claim::Busy(match key.strip_prefix("zoneadm-") {
            Some(zone) => zoneadm::zone_busy(zone),
            None => pkg::image_in_use(),
        })),
        Err(TryLockError::Error(e)) => {
            Err(e).with_context(|| format!("cannot lock {}", path.display()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn changing_commands_lock_their_image_or_zone() {
        let d = Path::new("/w");
        let k = |n: &str, a: &str| key(d, n, &args(a));
        assert_eq!(
            k("pkg", "-R /w/zones/z1/root/ install -v x").as_deref(),
            Some("pkg-/w/zones/z1/root")
        );
        assert_eq!(
            k("pkg", "-R/w/zones/z1/root image-update").as_deref(),
            Some("pkg-/w/zones/z1/root")
        );
        assert_eq!(k("pkg", "set-publisher -G x p").as_deref(), Some("pkg-/"));
        assert_eq!(k("pkg", "-R /w unset-publisher p").as_deref(), Some("pkg-/"));
        assert_eq!(
            k("pkg", "image-create -f -z -p s=http://r/ /w/zones/z1/root").as_deref(),
            Some("pkg-/w/zones/z1/root")
        );
        assert_eq!(k("pkg", "-R /w/zones/z1/root list -H"), None);
        assert_eq!(
            k("pkg", "-R /w/zones/z1/root install -n -v x").as_deref(),
            Some("pkg-/w/zones/z1/root")
        );
        assert_eq!(k("zoneadm", "-z z1 attach -u").as_deref(), Some("zoneadm-z1"));
        assert_eq!(k("zoneadm", "-z z1 list -p"), None);
        assert_eq!(k("zoneadm", "list -cp"), None);
        assert_eq!(k("zfs", "snapshot -r a@b"), None);
    }
}
