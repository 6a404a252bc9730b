//! The plan pkg prints for install/uninstall/update (reference §3.6), and the "Unable to
//! remove" blocks of a refused uninstall (§3.9).
//!
//! Summary lines, labels right-justified, printed only if non-zero:
//! ```text
//! Packages to install:  1
//!  Packages to update: 12
//! ```
//! With `-v`:
//! ```text
//!
//! Changed packages:
//! <publisher>
//!   <pkg stem>
//!     <old short version> -> <new short version>      ("None -> x" install, "x -> None" removal)
//! ```
//! Nothing to do: `No updates available for this image.` (update) /
//! `No updates necessary for this image.` (other operations), then exit 4.

/// One package's change in `Changed packages:`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PackageChange {
    pub publisher: String,
    pub name: String,
    /// `None` when the package is being installed.
    pub old: Option<String>,
    /// `None` when the package is being removed.
    pub new: Option<String>,
}

/// What a plan said.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Plan {
    /// `No updates necessary/available for this image.` was printed.
    pub nothing_to_do: bool,
    /// Summary lines in order: (`Packages to update`, `12`).
    pub summary: Vec<(String, String)>,
    pub changes: Vec<PackageChange>,
}

impl Plan {
    /// A numeric summary value (`"Packages to remove"` → 1); 0 when absent.
    pub fn count(&self, label: &str) -> u64 {
        self.summary.iter().find(|(l, _)| l == label).and_then(|(_, v)| v.parse().ok()).unwrap_or(0)
    }

    pub fn removed(&self) -> impl Iterator<Item = &PackageChange> {
        self.changes.iter().filter(|c| c.new.is_none())
    }

    pub fn installed(&self) -> impl Iterator<Item = &PackageChange> {
        self.changes.iter().filter(|c| c.old.is_none())
    }

    pub fn updated(&self) -> impl Iterator<Item = &PackageChange> {
        self.changes.iter().filter(|c| c.old.is_some() && c.new.is_some())
    }
}

/// Labels of summary lines (§3.6); any other `Label: value` line is not a summary line.
const SUMMARY_LABELS: [&str; 15] = [
    "Packages to remove",
    "Packages to install",
    "Packages to update",
    "Packages to change",
    "Packages to fix",
    "Mediators to change",
    "Variants/Facets to change",
    "Services to change",
    "Estimated space available",
    "Estimated space to be consumed",
    "Create boot environment",
    "Activate boot environment",
    "Create backup boot environment",
    "Rebuild boot archive",
    "Boot environment",
];

fn version_or_none(s: &str) -> Option<String> {
    (s != "None").then(|| s.to_string())
}

/// Parses a plan from pkg's stdout. Progress lines and anything else are ignored, so the
/// whole stdout of an operation can be given.
pub fn parse_plan(stdout: &str) -> Plan {
    let mut plan = Plan::default();
    let mut in_changes = false;
    let mut publisher: Option<String> = None;
    let mut stem: Option<String> = None;
    for line in stdout.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with("No updates necessary for this image")
            || trimmed.starts_with("No updates available for this image")
        {
            plan.nothing_to_do = true;
            continue;
        }
        if trimmed == "Changed packages:" {
            in_changes = true;
            continue;
        }
        if in_changes {
            if trimmed.is_empty() {
                in_changes = false;
                continue;
            }
            let indent = line.len() - line.trim_start().len();
            match indent {
                0 => {
                    publisher = Some(trimmed.to_string());
                    stem = None;
                }
                1..=3 => stem = Some(trimmed.to_string()),
                _ => {
                    if let (Some(p), Some(n), Some((old, new))) =
                        (&publisher, &stem, trimmed.split_once(" -> "))
                    {
                        plan.changes.push(PackageChange {
                            publisher: p.clone(),
                            name: n.clone(),
                            old: version_or_none(old.trim()),
                            new: version_or_none(new.trim()),
                        });
                    }
                }
            }
            continue;
        }
        if let Some((label, value)) = trimmed.split_once(':')
            && SUMMARY_LABELS.contains(&label)
        {
            plan.summary.push((label.to_string(), value.trim().to_string()));
        }
    }
    plan
}

/// An uninstall refused because other packages depend on the one to remove.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UninstallBlock {
    /// The package that could not be removed, as printed.
    pub fmri: String,
    /// The installed packages that depend on it, as printed.
    pub dependents: Vec<String>,
}

/// Finds every `Unable to remove '<fmri>' due to the following packages that depend on it:`
/// block (with or without the `pkg uninstall: ` prefix) and its indented dependents.
pub fn parse_uninstall_blocks(stderr: &str) -> Vec<UninstallBlock> {
    const HEAD: &str = "Unable to remove '";
    let mut out: Vec<UninstallBlock> = Vec::new();
    let mut current: Option<UninstallBlock> = None;
    for line in stderr.lines() {
        if let Some(pos) = line.find(HEAD) {
            if let Some(b) = current.take() {
                out.push(b);
            }
            let rest = &line[pos + HEAD.len()..];
            if let Some((fmri, _)) = rest.split_once('\'') {
                current = Some(UninstallBlock { fmri: fmri.to_string(), dependents: Vec::new() });
            }
            continue;
        }
        let indented = line.starts_with([' ', '\t']) && !line.trim().is_empty();
        match (&mut current, indented) {
            (Some(b), true) => b.dependents.push(line.trim().to_string()),
            (Some(_), false) => out.extend(current.take()),
            (None, _) => {}
        }
    }
    out.extend(current);
    out
}

/// pkg failed for want of space: Python's `[Errno 28] No space left on device` (ENOSPC), as
/// pkg prints any OSError. Not a property of the plan: every other plan fails alike.
pub fn out_of_space(output: &str) -> bool {
    output.contains("[Errno 28]") || output.contains("No space left on device")
}

/// The installed packages a rejected version excludes — pkg_solver's `Reason:  Package
/// contains 'exclude' dependency <fmri> on installed package` (reference §3.9) — as package
/// stems, in order: they, not the version asked for, stand in the way of the solve.
pub fn parse_excluded_installed(stderr: &str) -> Vec<String> {
    const HEAD: &str = "Package contains 'exclude' dependency ";
    const TAIL: &str = " on installed package";
    let mut out: Vec<String> = Vec::new();
    for line in stderr.lines() {
        let Some(rest) = line.find(HEAD).map(|i| &line[i + HEAD.len()..]) else { continue };
        let Some((fmri, _)) = rest.split_once(TAIL) else { continue };
        let name = stem_or_text(fmri);
        if !name.is_empty() && !out.contains(&name) {
            out.push(name);
        }
    }
    out
}

/// The packages pkg_solver found no version of for a dependency — `No version for '<type>'
/// dependency on <fmri> can be found` (reference §3.9) — as package stems, in order.
pub fn parse_unavailable_dependencies(stderr: &str) -> Vec<String> {
    const HEAD: &str = "No version for '";
    const TAIL: &str = " can be found";
    let mut out: Vec<String> = Vec::new();
    for line in stderr.lines() {
        let Some(rest) = line.find(HEAD).map(|i| &line[i + HEAD.len()..]) else { continue };
        let Some((_, rest)) = rest.split_once("' dependency on ") else { continue };
        let Some((fmri, _)) = rest.split_once(TAIL) else { continue };
        let name = stem_or_text(fmri);
        if !name.is_empty() && !out.contains(&name) {
            out.push(name);
        }
    }
    out
}

fn stem_or_text(fmri: &str) -> String {
    crate::commands::Fmri::parse(fmri.trim())
        .map(|f| f.name)
        .unwrap_or_else(|_| fmri.trim().to_string())
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_full_pool_is_told_from_a_plan_failure() {
        assert!(out_of_space("pkg: [Errno 28] No space left on device: '/z/root/var/pkg'"));
        assert!(!out_of_space("No matching version of entire can be installed:"));
    }

    use super::*;

    const VERBOSE: &str = "           Packages to remove:   1\n          Packages to install:   1\n           Packages to update:  12\n     Estimated space available: 10.5 GB\nEstimated space to be consumed: 120 MB\n\nChanged packages:\nopenindiana.org\n  developer/sunstudio12u1\n    12.1.1-0.111 -> None\n  web/server/apache-22\n    None -> 2.2.31-0.151.1.8\n  SUNWcs\n    0.5.11-0.111 -> 0.5.11-0.151.1.8\nextra\n  entire\n    0.5.11-0.111 -> 0.5.11-0.151.1.8\n Startup: Refreshing catalog 'openindiana.org' ... Done\n";

    #[test]
    fn summary_and_changes() {
        let p = parse_plan(VERBOSE);
        assert!(!p.nothing_to_do);
        assert_eq!(p.count("Packages to remove"), 1);
        assert_eq!(p.count("Packages to update"), 12);
        assert_eq!(p.count("Packages to change"), 0);
        assert_eq!(p.summary.len(), 5);
        assert_eq!(p.changes.len(), 4);
        let removed: Vec<&str> = p.removed().map(|c| c.name.as_str()).collect();
        assert_eq!(removed, ["developer/sunstudio12u1"]);
        let inst: Vec<&str> = p.installed().map(|c| c.name.as_str()).collect();
        assert_eq!(inst, ["web/server/apache-22"]);
        let up = p.updated().collect::<Vec<_>>();
        assert_eq!(up[0].old.as_deref(), Some("0.5.11-0.111"));
        assert_eq!(up[1].publisher, "extra");
    }

    #[test]
    fn single_line_summary_and_nothing_to_do() {
        let p = parse_plan("Packages to update: 3\n");
        assert_eq!(p.count("Packages to update"), 3);
        assert!(p.changes.is_empty());
        assert!(parse_plan("No updates necessary for this image.\n").nothing_to_do);
        assert!(parse_plan("No updates available for this image. (zone:z1)\n").nothing_to_do);
        assert_eq!(parse_plan("Planning: Solver setup ... Done\n"), Plan::default());
    }

    #[test]
    fn uninstall_blocks() {
        let err = "\npkg uninstall: Unable to remove 'pkg://extra/library/libfoo@1.0-0.134' due to the following packages that depend on it:\n  pkg://extra/app/bar@2.0-0.134\n  pkg://extra/app/baz@2.0-0.134\nUnable to remove 'pkg://extra/x@1' due to the following packages that depend on it:\n  pkg://extra/y@1\n\nsomething else\n";
        let b = parse_uninstall_blocks(err);
        assert_eq!(b.len(), 2);
        assert_eq!(b[0].fmri, "pkg://extra/library/libfoo@1.0-0.134");
        assert_eq!(
            b[0].dependents,
            ["pkg://extra/app/bar@2.0-0.134", "pkg://extra/app/baz@2.0-0.134"]
        );
        assert_eq!(b[1].dependents, ["pkg://extra/y@1"]);
        assert!(parse_uninstall_blocks("pkg: no such thing\n").is_empty());
    }

    #[test]
    fn excluded_installed_packages_are_read_from_reason_lines() {
        let text = "\npkg install: No matching version of entire can be installed:\n  Reject:  pkg://omnios/entire@11-151046.0\n  Reason:  Package contains 'exclude' dependency pkg:/ooce/server/apache-22@11-151022.0 on installed package\n  Reason:  Package contains 'exclude' dependency pkg:/network/rsync@11-151022.0 on installed package\n";
        assert_eq!(parse_excluded_installed(text), ["ooce/server/apache-22", "network/rsync"]);
        // The proposed-package variant and other reasons name no installed blocker.
        let other = "  Reason:  Package contains 'exclude' dependency pkg:/a@1 on proposed package\n  Reason:  This version is excluded by installed incorporation pkg://s/consolidation/x@1\n";
        assert!(parse_excluded_installed(other).is_empty());
    }

    #[test]
    fn unavailable_dependencies_are_read_from_reason_lines() {
        let text = "pkg update: No matching version of entire can be installed:\n  Reject:  pkg://solaris/entire@0.5.11-0.151\n  Reason:  No version for 'require' dependency on pkg:/SUNWxvmpv@0.5.11-0.151 can be found\n";
        assert_eq!(parse_unavailable_dependencies(text), ["SUNWxvmpv"]);
        assert!(
            parse_unavailable_dependencies(
                "No version matching 'require' dependency x can be installed"
            )
            .is_empty()
        );
    }
}
