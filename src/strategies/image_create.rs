//! `image-create` (last resort, destructive): re-create the zone's package image in place
//! with the global zone's first publisher (`pkg image-create -f -z -p NAME=URI ROOT`), install
//! `system/library` matching the global zone, then list the configuration files under
//! `ROOT/etc` that now differ from the pre-rescue snapshot, with the commands to restore them.

use std::path::{Path, PathBuf};

use super::{Applied, Input, Strategy, StrategyName, tail};
use crate::commands::Fmri;
use crate::commands::pkg::{self, ImageCreate as Create, PlanOptions, image_create_spec};
use crate::engine::exec::Exec;
use crate::engine::findings::{Finding, Severity};

pub struct ImageCreate;

/// Most differing files listed individually.
const MAX_LISTED: usize = 200;

impl ImageCreate {
    /// One `image-create` per enabled origin of the GZ's first publisher, in its order: `-p`
    /// takes one origin, and a dead mirror listed first must not stop the last resort when
    /// the next origin answers.
    fn create_specs(input: &Input) -> Vec<crate::system::CommandSpec> {
        let Some((p, _)) = input.facts.gz_primary_publisher() else { return Vec::new() };
        p.enabled_origins()
            .filter_map(|origin| {
                image_create_spec(&Create {
                    force: true,
                    zone: true,
                    full: false,
                    publisher: (p.name.clone(), origin.to_string()),
                    root: input.facts.zone_root.clone(),
                })
                .ok()
            })
            .collect()
    }

    fn library(exec: &Exec) -> Fmri {
        // system/library at the global zone's version, so the zone can boot.
        let stem = Fmri { publisher: None, name: "system/library".into(), version: None };
        match pkg::installed_fmri(&exec.runner, &pkg::Pkg::live(), &stem) {
            Ok(Some(f)) => Fmri {
                publisher: None,
                name: f.name,
                version: f.version.map(|mut v| {
                    v.timestamp = None;
                    v
                }),
            },
            _ => stem,
        }
    }
}

impl Strategy for ImageCreate {
    fn name(&self) -> StrategyName {
        StrategyName::ImageCreate
    }
    fn worth_trying(&self, input: &Input) -> Result<String, String> {
        if Self::create_specs(input).is_empty() {
            return Err(
                "the global zone has no enabled publisher to re-create the image from".into()
            );
        }
        Ok("last resort: re-create the zone's package image (package metadata is reset; files stay, but the configuration files of what is installed again are replaced by defaults: the differences are listed afterwards with the commands to restore them)".into())
    }
    fn commands(&self, input: &Input) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for (i, spec) in Self::create_specs(input).iter().enumerate() {
            let when = if i == 0 { "" } else { "   (if the one before failed)" };
            out.push(format!("{}{when}", spec.display()));
        }
        out.push(format!(
            "pkg -R {} install -v --accept system/library@<global zone's version>",
            input.facts.zone_root_quoted()
        ));
        out
    }
    fn apply(&mut self, input: &Input, exec: &Exec) -> anyhow::Result<Applied> {
        let specs = Self::create_specs(input);
        if specs.is_empty() {
            return Ok(Applied::NotSolvable("no global-zone publisher".into()));
        }
        let lib = Self::library(exec);
        let zp = input.facts.zone_pkg();
        let install = zp.install_spec(
            &PlanOptions { verbose: true, accept: true, ..Default::default() },
            &[lib],
        );
        // The next origin when one fails the image-create or the install after it (a mirror
        // that is dead, lacks the release, or dies between the two); not on a full pool.
        let mut failures = Vec::new();
        for spec in &specs {
            let why = match exec.change(spec)? {
                Some(out) if !out.success() => format!("image-create failed: {}", tail(&out)),
                _ => match exec.change(&install)? {
                    Some(out) if !matches!(out.code, Some(0) | Some(4)) => {
                        format!("install system/library failed: {}", tail(&out))
                    }
                    _ => {
                        return Ok(Applied::Changed {
                            detail: "zone image re-created".into(),
                            findings: vec![],
                        });
                    }
                },
            };
            let full = crate::commands::pkg::out_of_space(&why);
            failures.push(why);
            if full {
                break;
            }
        }
        Ok(Applied::NotSolvable(failures.join("; then: ")))
    }
}

/// Configuration files under `root/etc` that differ from (or are missing in) the snapshot's
/// copy `root/.zfs/snapshot/SNAP/etc`, as a finding with the commands to restore them.
pub fn config_differences(root: &Path, snap: &str) -> Finding {
    let snap_etc = root.join(".zfs/snapshot").join(snap).join("etc");
    let cur_etc = root.join("etc");
    if !snap_etc.is_dir() {
        return Finding::warn(
            "config.no-snapshot-view",
            Severity::Medium,
            "cannot compare /etc with the snapshot",
        )
        .detail(format!("{} is not readable", snap_etc.display()));
    }
    let mut diffs: Vec<PathBuf> = Vec::new();
    walk(&snap_etc, &snap_etc, &cur_etc, &mut diffs, 0);
    if diffs.is_empty() {
        return Finding::info("config.unchanged", "/etc is identical to the pre-rescue snapshot");
    }
    let mut cmds = Vec::new();
    for d in diffs.iter().take(MAX_LISTED) {
        // The names are the zone's (its root chose them): quoted, as any advice to paste.
        let q = |p: PathBuf| crate::system::shell_quote(&p.to_string_lossy());
        cmds.push(format!("cp -p {} {}", q(snap_etc.join(d)), q(cur_etc.join(d))));
    }
    Finding::warn(
        "config.differs",
        Severity::High,
        format!("{} configuration file(s) differ from the pre-rescue snapshot", diffs.len()),
    )
    .detail(
        diffs
            .iter()
            .take(MAX_LISTED)
            .map(|d| format!("/etc/{}", d.display()))
            .collect::<Vec<_>>()
            .join("\n"),
    )
    .remediation(format!("review each, then restore what should be kept:\n{}", cmds.join("\n")))
}

fn walk(base: &Path, dir: &Path, cur: &Path, out: &mut Vec<PathBuf>, depth: usize) {
    if depth > 32 {
        return;
    }
    let Ok(rd) = std::fs::read_dir(dir) else { return };
    let mut entries: Vec<_> = rd.filter_map(|e| e.ok()).collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let p = e.path();
        let Ok(m) = std::fs::symlink_metadata(&p) else { continue };
        let Ok(rel) = p.strip_prefix(base) else { continue };
        if m.is_dir() {
            walk(base, &p, cur, out, depth + 1);
        } else if m.is_file() {
            let now = cur.join(rel);
            let same = std::fs::symlink_metadata(&now).is_ok_and(|n| n.is_file())
                && std::fs::read(&p).ok() == std::fs::read(&now).ok();
            if !same {
                out.push(rel.to_path_buf());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A printed command is pasted as printed: a zone root with a space is quoted (ops round
    /// t F7: `pkg -R /zones/web 01/root …` ran against `/zones/web`).
    #[test]
    fn a_zone_root_with_a_space_is_quoted_in_the_plan() {
        let mut facts = crate::strategies::testfacts::b111();
        facts.zone_root = "/zones/web 01/root".into();
        let pb = crate::playbook::Playbook::builtin(facts.platform);
        let input = crate::strategies::testfacts::rung_input(&facts, None, &pb, true);
        let plan = ImageCreate.commands(&input);
        assert!(plan.iter().all(|l| !l.contains(" /zones/web 01")), "{plan:#?}");
        assert!(
            plan.last().unwrap().starts_with("pkg -R '/zones/web 01/root' install"),
            "{plan:#?}"
        );
    }

    #[test]
    fn lists_changed_and_missing_config_files() {
        let d = tempfile::tempdir().unwrap();
        let root = d.path();
        let snap = root.join(".zfs/snapshot/s1/etc");
        std::fs::create_dir_all(snap.join("mail")).unwrap();
        std::fs::create_dir_all(root.join("etc/mail")).unwrap();
        std::fs::write(snap.join("motd"), "a").unwrap();
        std::fs::write(root.join("etc/motd"), "a").unwrap();
        std::fs::write(snap.join("mail/sendmail.cf"), "custom").unwrap();
        std::fs::write(root.join("etc/mail/sendmail.cf"), "default").unwrap();
        std::fs::write(snap.join("gone"), "x").unwrap();
        let f = config_differences(root, "s1");
        assert_eq!(f.key, "config.differs");
        assert!(f.detail.contains("/etc/mail/sendmail.cf") && f.detail.contains("/etc/gone"));
        assert!(!f.detail.contains("motd"));
        assert!(f.remediation.unwrap().contains("cp -p"));
        assert_eq!(config_differences(root, "nope").key, "config.no-snapshot-view");
    }
}
