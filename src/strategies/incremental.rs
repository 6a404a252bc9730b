//! `incremental`: step the zone's `entire` to an intermediate build strictly between the
//! zone's and the global zone's, newest first, from the playbook's intermediate repositories
//! and the zone's own configured origins: `pkg -R ROOT set-publisher -O URI PUB`, then
//! `pkg -R ROOT install -nv entire@VER`; the first that solves is applied with `install -v`.
//! VER is the zone's own `entire` version with its build replaced (no platform syntax here).

use super::{Applied, Input, Strategy, StrategyName, tail};
use crate::commands::Fmri;
use crate::commands::Version;
use crate::commands::pkg::{PlanOptions, SetPublisher};
use crate::engine::build::version_for_build;
use crate::engine::exec::Exec;

pub struct Incremental;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    pub publisher: String,
    pub uri: String,
    pub build: u64,
    pub version: Version,
}

/// Every (repository, build) worth a `-n` check, newest build first, playbook repositories
/// before the zone's own origins for the same build.
pub fn candidates(input: &Input) -> Vec<Candidate> {
    let f = input.facts;
    let (Some(zb), Some(gb), Some(zv)) = (f.zone_build(), f.gz_build(), f.zone_version()) else {
        return Vec::new();
    };
    let mut out: Vec<Candidate> = Vec::new();
    let mut push = |publisher: &str, uri: &str, version: Version| {
        let Some(build) = version.os_build() else { return };
        if build <= zb || build >= gb {
            return;
        }
        let c = Candidate { publisher: publisher.into(), uri: uri.into(), build, version };
        if !out.contains(&c) {
            out.push(c);
        }
    };
    let inc = &input.playbook.incremental;
    let mut builds: Vec<u64> =
        inc.repositories.iter().flat_map(|r| r.builds.iter().copied()).collect();
    for r in &inc.repositories {
        for &b in &r.builds {
            if let Some(v) = version_for_build(zv, b) {
                push(&r.publisher, &r.uri, v);
            }
        }
        for text in &inc.versions {
            if let Ok(v) = Version::parse(text) {
                push(&r.publisher, &r.uri, v);
            }
        }
    }
    // The zone's own origins may carry intermediate builds too.
    builds.sort_unstable();
    builds.dedup();
    for p in &f.zone_publishers {
        for uri in p.origins.iter().map(|o| o.uri.as_str()) {
            for &b in &builds {
                if let Some(v) = version_for_build(zv, b) {
                    push(&p.name, uri, v);
                }
            }
        }
    }
    out.sort_by_key(|c| std::cmp::Reverse(c.build));
    out
}

impl Strategy for Incremental {
    fn name(&self) -> StrategyName {
        StrategyName::Incremental
    }
    fn worth_trying(&self, input: &Input) -> Result<String, String> {
        let f = input.facts;
        let (Some(zb), Some(gb)) = (f.zone_build(), f.gz_build()) else {
            return Err("the zone's or the global zone's build is unknown".into());
        };
        let c = candidates(input);
        match c.first() {
            None => {
                Err(format!("no intermediate build between {zb} and {gb} is known to the playbook"))
            }
            Some(first) => Ok(format!(
                "a jump from build {zb} to {gb} rarely solves in one go; step to build {} first",
                first.build
            )),
        }
    }
    fn commands(&self, input: &Input) -> Vec<String> {
        let zp = input.facts.zone_pkg();
        let mut out = Vec::new();
        for c in candidates(input) {
            let sp = SetPublisher {
                name: c.publisher.clone(),
                set_origin: Some(c.uri.clone()),
                ..Default::default()
            };
            if let Ok(s) = zp.set_publisher_spec(&sp) {
                out.push(s.display());
            }
            let e =
                Fmri { publisher: None, name: "entire".into(), version: Some(c.version.clone()) };
            out.push(
                zp.install_spec(
                    &PlanOptions { dry_run: true, verbose: true, ..Default::default() },
                    std::slice::from_ref(&e),
                )
                .display(),
            );
            out.push(format!(
                "{}   (if the above solves)",
                zp.install_spec(&PlanOptions { verbose: true, ..Default::default() }, &[e])
                    .display()
            ));
        }
        out
    }
    fn apply(&mut self, input: &Input, exec: &Exec) -> anyhow::Result<Applied> {
        let zp = input.facts.zone_pkg();
        let mut tried = Vec::new();
        for c in candidates(input) {
            if exec.interrupt.is_set() {
                break;
            }
            let original = input.facts.zone_publishers.iter().find(|p| p.name == c.publisher);
            let sp = SetPublisher {
                name: c.publisher.clone(),
                set_origin: Some(c.uri.clone()),
                ..Default::default()
            };
            if let Some(out) = exec.change(&zp.set_publisher_spec(&sp)?)?
                && !out.success()
            {
                tried.push(format!("{} unreachable", c.uri));
                continue;
            }
            let e =
                Fmri { publisher: None, name: "entire".into(), version: Some(c.version.clone()) };
            let check = zp.install_spec(
                &PlanOptions { dry_run: true, verbose: true, ..Default::default() },
                std::slice::from_ref(&e),
            );
            let out = exec.read(&check)?;
            if out.code == Some(0) {
                let real =
                    zp.install_spec(&PlanOptions { verbose: true, ..Default::default() }, &[e]);
                return Ok(match exec.change(&real)? {
                    None => Applied::Changed {
                        detail: format!("would step to build {}", c.build),
                        findings: vec![],
                    },
                    Some(o) if o.success() => Applied::Changed {
                        detail: format!("stepped entire to {} from {}", c.version, c.uri),
                        findings: vec![],
                    },
                    Some(o) => Applied::NotSolvable(format!(
                        "install entire@{} failed: {}",
                        c.version,
                        tail(&o)
                    )),
                });
            }
            tried.push(format!("entire@{} from {}: {}", c.version, c.uri, tail(&out)));
            // Put the publisher back as it was before trying the next repository.
            let undo = match original {
                Some(p) => p.origins.first().and_then(|o| {
                    zp.set_publisher_spec(&SetPublisher {
                        name: p.name.clone(),
                        set_origin: Some(o.uri.clone()),
                        no_refresh: true,
                        ..Default::default()
                    })
                    .ok()
                }),
                None => zp.unset_publisher_spec(&[c.publisher.as_str()]).ok(),
            };
            if let Some(spec) = undo {
                let _ = exec.change(&spec);
            }
        }
        if tried.is_empty() {
            return Ok(Applied::NotSolvable("no intermediate build to try".into()));
        }
        Ok(Applied::NotSolvable(format!("no intermediate build solves: {}", tried.join("; "))))
    }
}
