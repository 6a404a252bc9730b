//! Recovery playbooks: per-platform data (problem package groups, core packages, intermediate
//! releases, the update subcommand) in `playbooks/*.toml`, embedded as defaults and
//! overridable with `--playbook FILE`. Code decides *how*; playbooks say *what* per platform.

mod glob;
mod platform;

pub use glob::glob_match;
pub use platform::Platform;

use std::path::Path;

use serde::Deserialize;

/// Playbook format version understood by this build.
pub const FORMAT_VERSION: u32 = 1;

#[derive(Debug, thiserror::Error)]
pub enum PlaybookError {
    // The OS error is in the message, not also a source: printed with its causes, it would
    // say it twice.
    #[error("cannot read playbook {path}: {error}")]
    Read { path: String, error: std::io::Error },
    #[error("playbook {origin} is not valid: {message}")]
    Invalid { origin: String, message: String },
}

#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Playbook {
    pub version: u32,
    pub platform: Platform,
    #[serde(default)]
    pub description: String,
    /// `image-update` (b134/b151) or `update` (later pkg).
    #[serde(default = "default_update")]
    pub update_subcommand: String,
    pub core: CoreList,
    #[serde(default)]
    pub problem_groups: Vec<ProblemGroup>,
    #[serde(default)]
    pub incremental: Incremental,
}

fn default_update() -> String {
    "update".to_string()
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct CoreList {
    /// Glob patterns on package stems that are never uninstalled.
    pub packages: Vec<String>,
}

#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ProblemGroup {
    pub name: String,
    pub packages: Vec<String>,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Incremental {
    #[serde(default)]
    pub repositories: Vec<IntermediateRepo>,
    /// Explicit `entire` versions to try (full version strings as `pkg info` prints them),
    /// in addition to the ones derived from builds.
    #[serde(default)]
    pub versions: Vec<String>,
}

#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct IntermediateRepo {
    pub publisher: String,
    pub uri: String,
    pub builds: Vec<u64>,
}

/// A TOML error of `text` on one line: `line L, column C: MESSAGE` (toml's message without
/// its excerpt of the file, which spans several lines).
pub fn toml_error(text: &str, e: &toml::de::Error) -> String {
    let message = e.message().trim().replace('\n', "; ");
    match e.span() {
        Some(span) => {
            let before = text.get(..span.start).unwrap_or(text);
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
            format!("line {line}, column {column}: {message}")
        }
        None => message,
    }
}

/// Every bundled playbook's core list, merged.
fn builtin_core() -> &'static [String] {
    static CORE: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    CORE.get_or_init(|| {
        let mut all: Vec<String> = Vec::new();
        for platform in Platform::ALL {
            for c in Playbook::builtin(platform).core.packages {
                if !all.contains(&c) {
                    all.push(c);
                }
            }
        }
        all
    })
}

impl Playbook {
    /// The playbook bundled for `platform`.
    pub fn builtin(platform: Platform) -> Playbook {
        let (name, text) = match platform {
            Platform::S11Express => ("s11express", include_str!("../../playbooks/s11express.toml")),
            Platform::OpenIndiana => {
                ("openindiana", include_str!("../../playbooks/openindiana.toml"))
            }
            Platform::OmniOs => ("omnios", include_str!("../../playbooks/omnios.toml")),
            Platform::Solaris11 => ("solaris11", include_str!("../../playbooks/solaris11.toml")),
        };
        // The bundled files are tested below; a broken one is a build defect, not input.
        match Playbook::parse(text, name) {
            Ok(p) => p,
            Err(e) => panic!("bundled playbook {name} is invalid: {e}"),
        }
    }

    pub fn parse(text: &str, origin: &str) -> Result<Playbook, PlaybookError> {
        let invalid = |message: String| PlaybookError::Invalid { origin: origin.into(), message };
        let p: Playbook = toml::from_str(text).map_err(|e| invalid(toml_error(text, &e)))?;
        if p.version != FORMAT_VERSION {
            return Err(invalid(format!(
                "format version {} is not supported (expected {FORMAT_VERSION})",
                p.version
            )));
        }
        if !matches!(p.update_subcommand.as_str(), "update" | "image-update") {
            return Err(invalid(format!(
                "update_subcommand must be \"update\" or \"image-update\", not {:?}",
                p.update_subcommand
            )));
        }
        if p.core.packages.iter().all(|c| c != "entire") {
            return Err(invalid("the core list must contain `entire`".into()));
        }
        // Checked here, not when a run gets to the rung: a bad value then would stop the run
        // after the zone was snapshotted and detached.
        for (i, r) in p.incremental.repositories.iter().enumerate() {
            let checked = crate::commands::validate_publisher_name(&r.publisher)
                .and_then(|()| crate::commands::validate_uri(&r.uri));
            if let Err(e) = checked {
                return Err(invalid(format!("incremental.repositories[{i}]: {e}")));
            }
            // A build is an OS build number (111, 134, 151, 175, 151046 …).
            if r.builds.is_empty() || r.builds.iter().any(|&b| b == 0 || b > 10_000_000) {
                return Err(invalid(format!(
                    "incremental.repositories[{i}]: builds must list the OS builds it serves \
                     (each 1 to 10000000), not {:?}",
                    r.builds
                )));
            }
        }
        for v in &p.incremental.versions {
            if let Err(e) = crate::commands::Version::parse(v) {
                return Err(invalid(format!("incremental.versions: {v:?} is not a version: {e}")));
            }
        }
        Ok(p)
    }

    pub fn load(path: &Path) -> Result<Playbook, PlaybookError> {
        let bytes = crate::system::read_config_file(path, crate::system::CONFIG_LIMIT)
            .map_err(|error| PlaybookError::Read { path: path.display().to_string(), error })?;
        let text = String::from_utf8(bytes).map_err(|_| PlaybookError::Invalid {
            origin: path.display().to_string(),
            message: "not UTF-8 text".into(),
        })?;
        let mut p = Playbook::parse(&text, &path.display().to_string())?;
        // A playbook may add core packages, never take the bundled ones away: a core list
        // without SUNWcs must not let uninstall remove it.
        for c in builtin_core() {
            if !p.core.packages.contains(c) {
                p.core.packages.push(c.clone());
            }
        }
        Ok(p)
    }

    /// Is `stem` (a package name without `pkg:/`, publisher or version) a core package?
    pub fn is_core(&self, stem: &str) -> bool {
        self.core.packages.iter().any(|p| glob_match(p, stem))
    }

    /// Is `stem` a core package in any bundled playbook? What `analyze` goes by, from a log
    /// alone: the platform may be guessed wrong, and a package core anywhere is never one to
    /// remove (as `load` keeps every bundled core list).
    pub fn is_builtin_core(stem: &str) -> bool {
        builtin_core().iter().any(|p| glob_match(p, stem))
    }

    /// The problem group `stem` belongs to, if any.
    pub fn problem_group(&self, stem: &str) -> Option<&ProblemGroup> {
        self.problem_groups.iter().find(|g| g.packages.iter().any(|p| glob_match(p, stem)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_playbooks_parse_and_protect_core() {
        for p in Platform::ALL {
            let pb = Playbook::builtin(p);
            assert_eq!(pb.platform, p);
            assert!(pb.is_core("entire"));
            assert!(pb.is_core("system/library"));
            assert!(pb.is_core("consolidation/osnet/osnet-incorporation"));
            assert!(!pb.is_core("web/server/apache-22"));
            assert!(pb.problem_group("database/postgresql-12").is_some(), "{p:?}");
        }
        let s11e = Playbook::builtin(Platform::S11Express);
        assert_eq!(s11e.problem_group("SUNWapch22").map(|g| g.name.as_str()), Some("Apache"));
        assert_eq!(s11e.update_subcommand, "image-update");
    }

    /// Round j F3: a `--playbook` whose core list leaves out SUNWcs let uninstall remove it.
    #[test]
    fn a_loaded_playbook_keeps_the_bundled_core_packages() {
        let d = tempfile::tempdir().unwrap();
        let path = d.path().join("pb.toml");
        let text = "version = 1\nplatform = \"s11express\"\n[core]\npackages = [\"entire\", \"site/*\"]\n\
                    [[problem_groups]]\nname = \"all\"\npackages = [\"*\"]\n";
        std::fs::write(&path, text).unwrap();
        let pb = Playbook::load(&path).unwrap();
        for core in ["SUNWcs", "system/library", "system/kernel/platform", "site/billing"] {
            assert!(pb.is_core(core), "{core}");
        }
        assert!(!pb.is_core("database/postgresql-12"));
    }

    #[test]
    fn toml_errors_name_their_line_and_column_once() {
        let e = Playbook::parse("version = 1\nplatform = 5\n", "/etc/pb.toml").unwrap_err();
        assert_eq!(
            e.to_string(),
            "playbook /etc/pb.toml is not valid: line 2, column 12: wanted string or table"
        );
        let text = "version = 1\nplatform = \"omnios\"\n[core]\npackages = [\"entire\"\n";
        let e = Playbook::parse(text, "x").unwrap_err().to_string();
        assert!(e.starts_with("playbook x is not valid: line 4, column "), "{e}");
        assert!(!e.contains('\n'), "{e}");
    }

    #[test]
    fn bad_playbooks_are_refused_with_reason() {
        let e = Playbook::parse("version = 1\nplatform = \"beos\"\n[core]\npackages=[]", "x");
        assert!(e.unwrap_err().to_string().contains("playbook x"));
        let e = Playbook::parse(
            "version = 2\nplatform = \"omnios\"\n[core]\npackages=[\"entire\"]",
            "x",
        );
        assert!(e.unwrap_err().to_string().contains("version 2"));
        let e = Playbook::parse(
            "version = 1\nplatform = \"omnios\"\n[core]\npackages=[\"SUNWcs\"]",
            "x",
        );
        assert!(e.unwrap_err().to_string().contains("entire"));
        let e = Playbook::parse(
            "version = 1\nplatform = \"omnios\"\nbogus = 1\n[core]\npackages=[\"entire\"]",
            "x",
        );
        assert!(e.is_err());
    }
}
