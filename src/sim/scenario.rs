//! Scenario files (TOML, version 1): what a world looks like before anything runs.
//!
//! Every table denies unknown fields; semantic errors (unknown platform, a zone package that
//! `[[packages]]` does not define, bad build numbers) name the file, the line and the field.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use super::platform::Platform;

#[derive(Debug, thiserror::Error)]
#[error("{file}:{line}: {field}: {message}")]
pub struct ScenarioError {
    pub file: String,
    pub line: usize,
    pub field: String,
    pub message: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    pub scenario: Meta,
    #[serde(default)]
    pub expect: Option<Expect>,
    pub global: Global,
    #[serde(default)]
    pub repositories: Vec<Repository>,
    #[serde(default)]
    pub packages: Vec<PackageDef>,
    #[serde(default)]
    pub zones: Vec<ZoneDef>,
    #[serde(default)]
    pub faults: Vec<FaultDef>,
    /// Overrides of the default operation costs (seconds), see `clock::Costs`.
    #[serde(default)]
    pub costs: BTreeMap<String, u64>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Meta {
    pub name: String,
    pub platform: Spanned<String>,
    #[serde(default)]
    pub description: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    pub attachable: bool,
    #[serde(default)]
    pub gentlest: Vec<String>,
    /// Per-zone expectations for hosts with several zones (zone name → expectation).
    #[serde(default)]
    pub zones: BTreeMap<String, ZoneExpect>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ZoneExpect {
    pub attachable: bool,
    #[serde(default)]
    pub gentlest: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Global {
    pub be: String,
    pub be_uuid: String,
    pub entire: Spanned<i64>,
    #[serde(default)]
    pub publishers: Vec<PublisherDef>,
    /// Older GZ boot environments still present (name, uuid), listed by `beadm list`.
    #[serde(default)]
    pub other_bes: Vec<OtherBe>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OtherBe {
    pub name: String,
    pub uuid: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublisherDef {
    pub name: String,
    #[serde(default)]
    pub origins: Vec<String>,
    #[serde(default = "yes")]
    pub enabled: bool,
    #[serde(default = "yes")]
    pub sticky: bool,
    /// `--proxy` of its origins.
    #[serde(default)]
    pub proxy: Option<String>,
    /// `-k` / `-c`: client SSL key and certificate paths.
    #[serde(default)]
    pub ssl_key: Option<String>,
    #[serde(default)]
    pub ssl_cert: Option<String>,
    /// Publisher properties (`--set-property NAME=VALUE`; a list value as pkg prints it,
    /// `['a', 'b']`).
    #[serde(default)]
    pub properties: BTreeMap<String, String>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Repository {
    pub uri: String,
    pub publisher: String,
    #[serde(default = "no_builds")]
    pub builds: Spanned<Vec<i64>>,
    #[serde(default)]
    pub history_from: Option<i64>,
    #[serde(default = "yes")]
    pub reachable: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PackageDef {
    pub name: String,
    pub kind: Spanned<String>,
    #[serde(default)]
    pub removed_at: Option<Spanned<i64>>,
    #[serde(default)]
    pub renamed: Option<RenameDef>,
    #[serde(default)]
    pub depends: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RenameDef {
    pub at: i64,
    pub to: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ZoneDef {
    pub name: String,
    pub brand: Spanned<String>,
    pub zonepath: String,
    #[serde(default = "installed")]
    pub state: Spanned<String>,
    pub entire: Spanned<i64>,
    #[serde(default)]
    pub packages: Vec<Spanned<String>>,
    #[serde(default)]
    pub zbes: Vec<ZbeDef>,
    #[serde(default)]
    pub publishers: Vec<PublisherDef>,
    #[serde(default)]
    pub files: Vec<FileDef>,
    /// `excl` (default) or `shared`.
    #[serde(default)]
    pub ip_type: Option<String>,
    #[serde(default)]
    pub uuid: Option<String>,
    /// SMF FMRIs that `zlogin Z svcs -x` reports in maintenance once the zone runs.
    #[serde(default)]
    pub services_maintenance: Vec<String>,
    /// `false`: the zone boot environment is mounted nowhere (a halted zone since the global
    /// zone booted: `canmount=noauto`, reference §4.2), so `pkg -R ZONEROOT` finds no image
    /// until a detach (ipkg) or an attach mounts it. Default `true`: mounted at the zone root
    /// (an attach or a detach in this boot left it there).
    #[serde(default = "yes")]
    pub root_mounted: bool,
}

fn no_builds() -> Spanned<Vec<i64>> {
    Spanned::new(0..0, Vec::new())
}

fn installed() -> Spanned<String> {
    Spanned::new(0..0, "installed".to_string())
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ZbeDef {
    pub name: String,
    pub parentbe: String,
    #[serde(default)]
    pub active: bool,
    /// Datasets below the ZBE, mounted at `/NAME` in the zone (a Solaris 11 ZBE's `var`):
    /// `zfs snapshot -r` takes them along, `zfs rollback` acts on each alone.
    #[serde(default)]
    pub children: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileDef {
    pub path: String,
    pub content: String,
}

/// A fault; see `faults.rs` for the meaning of each field.
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct FaultDef {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command: Option<String>,
    #[serde(default, rename = "match", skip_serializing_if = "Option::is_none")]
    pub match_: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nth: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exit: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stdout: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stderr: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hang_s: Option<u64>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub killed: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub linger_s: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repository: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unreachable_after: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zone: Option<String>,
}

pub const FAULT_KINDS: [&str; 6] = [
    "image-locked",
    "zoneadm-locked",
    "attach-log-unreadable",
    "attach-log-missing",
    "zbe-promote-fails",
    "out-of-space",
];

impl Scenario {
    pub fn load(path: &Path) -> Result<Scenario, ScenarioError> {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| ScenarioError {
            file: file.clone(),
            line: 0,
            field: "-".into(),
            message: format!("cannot read: {e}"),
        })?;
        Scenario::parse(&file, &text)
    }

    pub fn parse(file: &str, text: &str) -> Result<Scenario, ScenarioError> {
        let scenario: Scenario = toml::from_str(text).map_err(|e| {
            let line = e.span().map(|s| line_of(text, s.start)).unwrap_or(0);
            let message = e.message().trim().to_string();
            let field = field_in_message(&message).unwrap_or_else(|| "-".into());
            ScenarioError { file: file.to_string(), line, field, message }
        })?;
        Validator { file, text }.check(&scenario)?;
        Ok(scenario)
    }

    pub fn platform(&self) -> Platform {
        // validated in parse()
        Platform::parse(self.scenario.platform.get_ref()).unwrap_or(Platform::S11Express)
    }
}

fn line_of(text: &str, offset: usize) -> usize {
    text.get(..offset).map(|t| t.matches('\n').count() + 1).unwrap_or(0)
}

fn field_in_message(message: &str) -> Option<String> {
    let start = message.find('`')? + 1;
    let len = message.get(start..)?.find('`')?;
    message.get(start..start + len).map(str::to_string)
}

struct Validator<'a> {
    file: &'a str,
    text: &'a str,
}

impl Validator<'_> {
    fn err<T>(
        &self,
        span: std::ops::Range<usize>,
        field: &str,
        message: String,
    ) -> Result<T, ScenarioError> {
        Err(ScenarioError {
            file: self.file.to_string(),
            line: line_of(self.text, span.start),
            field: field.to_string(),
            message,
        })
    }

    /// Line of the first occurrence of `needle` (for fields that carry no span).
    fn find(&self, needle: &str) -> std::ops::Range<usize> {
        let at = self.text.find(needle).unwrap_or(0);
        at..at
    }

    fn build(&self, value: &Spanned<i64>, field: &str) -> Result<(), ScenarioError> {
        let b = *value.get_ref();
        if !(1..=i64::from(u32::MAX)).contains(&b) {
            return self.err(
                value.span(),
                field,
                format!("bad build number {b} (expected a positive build such as 151)"),
            );
        }
        Ok(())
    }

    fn check(&self, s: &Scenario) -> Result<(), ScenarioError> {
        let p = &s.scenario.platform;
        if Platform::parse(p.get_ref()).is_none() {
            return self.err(
                p.span(),
                "scenario.platform",
                format!("unknown platform '{}' (expected one of: s11express, openindiana, omnios, solaris11)", p.get_ref()),
            );
        }
        let platform = s.platform();
        self.build(&s.global.entire, "global.entire")?;
        for r in &s.repositories {
            for b in r.builds.get_ref() {
                if *b <= 0 || *b > i64::from(u32::MAX) {
                    return self.err(
                        r.builds.span(),
                        "repositories.builds",
                        format!("bad build number {b} in repository {}", r.uri),
                    );
                }
            }
            if let Some(h) = r.history_from
                && h <= 0
            {
                return self.err(
                    self.find(&r.uri),
                    "repositories.history_from",
                    format!("bad build number {h}"),
                );
            }
        }
        let mut names: Vec<&str> = Vec::new();
        for pkg in &s.packages {
            if names.contains(&pkg.name.as_str()) {
                return self.err(
                    self.find(&format!("\"{}\"", pkg.name)),
                    "packages.name",
                    format!("package '{}' defined twice", pkg.name),
                );
            }
            names.push(&pkg.name);
            if !matches!(pkg.kind.get_ref().as_str(), "core" | "app") {
                return self.err(
                    pkg.kind.span(),
                    "packages.kind",
                    format!("unknown kind '{}' (expected core or app)", pkg.kind.get_ref()),
                );
            }
            if let Some(r) = &pkg.removed_at {
                self.build(r, "packages.removed_at")?;
            }
            if let Some(r) = &pkg.renamed
                && r.at <= 0
            {
                return self.err(
                    self.find(&r.to),
                    "packages.renamed.at",
                    format!("bad build number {}", r.at),
                );
            }
        }
        let mut zone_names: Vec<&str> = Vec::new();
        for z in &s.zones {
            if zone_names.contains(&z.name.as_str()) {
                return self.err(
                    self.find(&z.zonepath),
                    "zones.name",
                    format!("zone '{}' defined twice", z.name),
                );
            }
            zone_names.push(&z.name);
            let brand = z.brand.get_ref().as_str();
            if !platform.brands().contains(&brand) {
                return self.err(
                    z.brand.span(),
                    "zones.brand",
                    format!(
                        "brand '{brand}' does not exist on {} (expected one of: {})",
                        platform.name(),
                        platform.brands().join(", ")
                    ),
                );
            }
            if !matches!(
                z.state.get_ref().as_str(),
                "configured" | "installed" | "running" | "incomplete"
            ) {
                return self.err(
                    z.state.span(),
                    "zones.state",
                    format!("unknown zone state '{}'", z.state.get_ref()),
                );
            }
            self.build(&z.entire, "zones.entire")?;
            if !z.zonepath.starts_with('/') || z.zonepath.contains("..") {
                return self.err(
                    self.find(&z.zonepath),
                    "zones.zonepath",
                    format!("zonepath '{}' must be absolute", z.zonepath),
                );
            }
            for p in &z.packages {
                if !names.contains(&p.get_ref().as_str()) {
                    return self.err(
                        p.span(),
                        "zones.packages",
                        format!(
                            "zone '{}' installs package '{}' that [[packages]] does not define",
                            z.name,
                            p.get_ref()
                        ),
                    );
                }
            }
            if z.zbes.is_empty() {
                return self.err(
                    self.find(&z.zonepath),
                    "zones.zbes",
                    format!("zone '{}' has no zone boot environment", z.name),
                );
            }
            for f in &z.files {
                if f.path.starts_with('/') || f.path.split('/').any(|c| c == ".." || c.is_empty()) {
                    return self.err(
                        self.find(&f.path),
                        "zones.files.path",
                        format!("file path '{}' must be relative to the zone root", f.path),
                    );
                }
            }
        }
        for f in &s.faults {
            let at = f
                .command
                .as_deref()
                .or(f.repository.as_deref())
                .or(f.kind.as_deref())
                .unwrap_or("[[faults]]");
            let span = self.find(at);
            if let Some(kind) = &f.kind
                && !FAULT_KINDS.contains(&kind.as_str())
            {
                return self.err(
                    span,
                    "faults.kind",
                    format!(
                        "unknown fault kind '{kind}' (expected one of: {})",
                        FAULT_KINDS.join(", ")
                    ),
                );
            }
            let shapes = [f.command.is_some(), f.repository.is_some(), f.kind.is_some()];
            if shapes.iter().filter(|b| **b).count() != 1 {
                return self.err(
                    span,
                    "faults",
                    "a fault needs exactly one of `command`, `repository` or `kind`".into(),
                );
            }
            if f.repository.is_some() && f.unreachable_after.is_none() {
                return self.err(
                    span,
                    "faults.unreachable_after",
                    "a repository fault needs `unreachable_after`".into(),
                );
            }
            if f.nth == Some(0) {
                return self.err(span, "faults.nth", "nth counts from 1".into());
            }
        }
        for key in s.costs.keys() {
            if !super::clock::Costs::KEYS.contains(&key.as_str()) {
                return self.err(
                    self.find(key),
                    "costs",
                    format!(
                        "unknown cost '{key}' (expected one of: {})",
                        super::clock::Costs::KEYS.join(", ")
                    ),
                );
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINI: &str = r#"[scenario]
name = "x"
platform = "s11express"

[global]
be = "solaris-1"
be_uuid = "u"
entire = 151

[[packages]]
name = "SUNWcs"
kind = "core"

[[zones]]
name = "z1"
brand = "ipkg"
zonepath = "/zones/z1"
entire = 111
packages = ["SUNWcs"]
zbes = [{ name = "zbe", parentbe = "p", active = true }]
"#;

    #[test]
    fn minimal_scenario_loads() {
        let s = Scenario::parse("mini.toml", MINI).unwrap();
        assert_eq!(s.zones.len(), 1);
        assert_eq!(s.platform(), Platform::S11Express);
    }

    #[test]
    fn unknown_field_names_file_line_field() {
        let text = MINI.replace("be = \"solaris-1\"", "be = \"solaris-1\"\nbogus = 1");
        let e = Scenario::parse("f.toml", &text).unwrap_err();
        assert_eq!(e.file, "f.toml");
        assert_eq!(e.line, 7);
        assert_eq!(e.field, "bogus");
    }

    #[test]
    fn unknown_platform_is_an_error() {
        let e = Scenario::parse("f.toml", &MINI.replace("s11express", "solaris12")).unwrap_err();
        assert_eq!((e.line, e.field.as_str()), (3, "scenario.platform"));
    }

    #[test]
    fn undefined_zone_package_is_an_error() {
        let e = Scenario::parse(
            "f.toml",
            &MINI.replace("packages = [\"SUNWcs\"]", "packages = [\"SUNWcs\", \"nope\"]"),
        )
        .unwrap_err();
        assert_eq!((e.line, e.field.as_str()), (19, "zones.packages"));
        assert!(e.message.contains("nope"));
    }

    #[test]
    fn bad_build_number_is_an_error() {
        let e =
            Scenario::parse("f.toml", &MINI.replace("entire = 111", "entire = -3")).unwrap_err();
        assert_eq!((e.line, e.field.as_str()), (18, "zones.entire"));
    }
}
