//! `incremental`: step the zone's `entire` to an intermediate build strictly between the
//! zone's and the global zone's, newest first, from the playbook's intermediate repositories
//! and the zone's own configured origins: `pkg -R ROOT set-publisher -O URI PUB`, then
//! `pkg -R ROOT install -v entire@VER` (`-nv` in a dry run); the first that solves is kept.
//! VER is the zone's own `entire` version with its build replaced (no platform syntax here).

use super::{
    Applied, Input, Strategy, StrategyName, hidden_own_configuration, pkg_message, tail,
    use_own_configuration,
};
use crate::commands::Fmri;
use crate::commands::Version;
use crate::commands::pkg::{PlanOptions, SetPublisher};
use crate::engine::build::version_for_build;
use crate::engine::exec::Exec;
use crate::engine::facts::{Offer, RepositoryOffer};
use crate::system::CommandSpec;

/// Keeps what its tries showed of each repository ([`Strategy::learnt`]).
#[derive(Default)]
pub struct Incremental {
    offers: Vec<RepositoryOffer>,
}

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
        // An earlier rung of this run (or preflight's refresh) found the repository dead, or
        // without this build.
        if f.repository(publisher, uri).is_some_and(|r| !r.may_offer(build))
            || f.origin_dead_at_start(uri)
        {
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
    // The zone's own origins may carry intermediate builds too. Not a system publisher's:
    // its location is `<system-repository>` (no URI), it is the global zone's, and pkg
    // refuses to modify it anyway.
    // Besides the playbook's builds, those its catalogs were found to offer.
    builds.extend(&f.zone_offered_builds);
    builds.sort_unstable();
    builds.dedup();
    // A disabled publisher (the attach copies the GZ's disabled ones in) serves no install.
    let own = |p: &&crate::commands::pkg::Publisher| p.syspub != Some(true) && p.enabled;
    for p in f.zone_publishers.iter().filter(own) {
        for uri in p.origins.iter().map(|o| o.uri.as_str()) {
            for &b in &builds {
                if let Some(v) = version_for_build(zv, b) {
                    push(&p.name, uri, v);
                }
            }
        }
    }
    // The origins the zone had before an attach replaced them: only for the builds its
    // catalogs offered then (each try costs a refresh; a per-release repository offers none).
    for p in f.zone_publishers_at_start.iter().filter(own) {
        for uri in p.origins.iter().map(|o| o.uri.as_str()) {
            for &b in &f.zone_offered_builds {
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
        let mut builds: Vec<String> = Vec::new();
        for c in candidates(input) {
            let b = c.build.to_string();
            if !builds.contains(&b) {
                builds.push(b);
            }
        }
        if builds.is_empty() && hidden_own_configuration(input) {
            // An attach (the operator's own, say) made the zone's publishers the system
            // repository's: its own origins, which may carry the builds, are only hidden.
            return Ok(format!(
                "a jump from build {zb} to {gb} rarely solves in one go; the zone's own \
                 publisher configuration, hidden by the system repository since an attach, may \
                 offer a build between them"
            ));
        }
        if builds.is_empty() {
            return Err(format!(
                "no intermediate build between {zb} and {gb} is known to the playbook"
            ));
        }
        // Which one is only known once pkg has solved (newest first).
        let to = match builds.as_slice() {
            [one] => format!("build {one}"),
            _ => format!("the newest of builds {} that solves", builds.join(", ")),
        };
        Ok(format!("a jump from build {zb} to {gb} rarely solves in one go; step to {to} first"))
    }
    fn commands(&self, input: &Input) -> Vec<String> {
        let zp = input.facts.zone_pkg();
        let mut out = Vec::new();
        let all = candidates(input);
        let mut own_config = false;
        for (i, c) in all.iter().enumerate() {
            if !own_config && served_by_system_repository(input, &c.publisher) {
                own_config = true;
                out.push(format!(
                    "{}   (the zone's own publisher configuration, not the system repository's)",
                    zp.use_system_repo_spec(false).display()
                ));
            }
            // Between candidates, the publisher is put back as it was.
            if i > 0
                && let Some(spec) = put_back(input, &all[i - 1])
            {
                out.push(format!("{}   (after a build that did not solve)", spec.display()));
            }
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
            out.push(format!(
                "{}   (when pkg finds no plan it changes nothing; the next build is tried)",
                zp.install_spec(&PlanOptions { verbose: true, ..Default::default() }, &[e])
                    .display()
            ));
        }
        out
    }
    fn learnt(&self) -> Vec<RepositoryOffer> {
        self.offers.clone()
    }
    fn apply(&mut self, input: &Input, exec: &Exec) -> anyhow::Result<Applied> {
        let zp = input.facts.zone_pkg();
        let mut tried = Vec::new();
        // What each repository was found to offer (set-publisher refreshes its catalog, then
        // `list -af --no-refresh entire` reads it for free): a build it does not carry costs
        // no solver run, a dead origin no second refresh — in this rung and, through the
        // facts, in any later one.
        self.offers.clear();
        let mut own_config = false;
        let mut all = candidates(input);
        if all.is_empty() && hidden_own_configuration(input) {
            own_config = true;
            match use_own_configuration(exec, &zp)? {
                Ok(false) => {
                    return Ok(Applied::Changed {
                        detail: "would switch the zone to its own publisher configuration and \
                                 step from the builds its origins offer"
                            .into(),
                        findings: vec![],
                    });
                }
                Err(said) => {
                    return Ok(Applied::NotSolvable(format!(
                        "pkg did not switch the zone to its own publisher configuration: {said}"
                    )));
                }
                Ok(true) => {
                    let own = own_origin_candidates(input, exec, &zp)?;
                    all = own.candidates;
                    // Its repositories not answering is why no build is offered (oracle uu
                    // F2: "no intermediate build to try" hid it, and a rename the step would
                    // have mapped was removed without the finding that says so).
                    if let Some(said) = own.refresh_failed {
                        for (publisher, uri) in own.dead {
                            let offer = Offer::Unreachable;
                            self.offers.push(RepositoryOffer { publisher, uri, offer });
                        }
                        if all.is_empty() {
                            return Ok(Applied::NotSolvable(format!(
                                "no intermediate build to try: the zone's own repositories did \
                                 not answer ({said})"
                            )));
                        }
                    }
                }
            }
        }
        for c in all {
            if exec.interrupt.is_set() {
                break;
            }
            // After an attach (Solaris 11) the zone's publisher of that name is the global
            // zone's, served by the system repository, and pkg refuses to change its origins.
            // The zone's own configuration is only hidden: used again, the step can be set up
            // (the next attach switches the system repository back on).
            if !own_config && served_by_system_repository(input, &c.publisher) {
                own_config = true;
                if let Err(said) = use_own_configuration(exec, &zp)? {
                    return Ok(Applied::NotSolvable(format!(
                        "the zone's publisher {} is the system repository's, and pkg did not \
                         switch the zone to its own publisher configuration: {said}",
                        c.publisher
                    )));
                }
            }
            let known = self
                .offers
                .iter()
                .find(|o| o.publisher == c.publisher && o.uri == c.uri)
                .map(|o| o.offer.clone());
            match &known {
                Some(Offer::Unreachable) => continue,
                Some(Offer::Builds(b)) if !b.contains(&c.build) => continue,
                _ => {}
            }
            let sp = SetPublisher {
                name: c.publisher.clone(),
                set_origin: Some(c.uri.clone()),
                // The install refreshes again; a catalog already read needs no fetch here.
                no_refresh: known.is_some(),
                ..Default::default()
            };
            if let Some(out) = exec.change(&zp.set_publisher_spec(&sp)?)?
                && !out.success()
            {
                if out.stderr.contains("system publisher") {
                    // A refusal, not an outage: the repository is not known dead.
                    tried.push(format!(
                        "{} not set as {}'s origin: {}",
                        c.uri,
                        c.publisher,
                        pkg_message(&out.stderr)
                    ));
                } else {
                    tried.push(format!("{} unreachable", c.uri));
                    self.learn(&c, Offer::Unreachable);
                }
                continue;
            }
            let offered = match known {
                Some(_) => true,
                None if exec.dry_run => true,
                None => {
                    let o = offered_builds(exec, &zp);
                    let carries = o.as_ref().is_none_or(|b| b.contains(&c.build));
                    if let Some(b) = o {
                        self.learn(&c, Offer::Builds(b));
                    }
                    carries
                }
            };
            if offered {
                let e = Fmri {
                    publisher: None,
                    name: "entire".into(),
                    version: Some(c.version.clone()),
                };
                match step(exec, &zp, e, &input.facts.zone_packages)? {
                    Step::Planned => {
                        return Ok(Applied::Changed {
                            detail: format!("would step to build {}", c.build),
                            findings: vec![],
                        });
                    }
                    Step::Done => {
                        return Ok(Applied::Changed {
                            detail: format!("stepped entire to {} from {}", c.version, c.uri),
                            findings: vec![],
                        });
                    }
                    Step::ChangedThenFailed(why) => {
                        return Ok(Applied::NotSolvable(format!(
                            "install entire@{} failed after changing the image: {why}",
                            c.version
                        )));
                    }
                    Step::Blocked(packages, why) => {
                        // Every later build lacks them too, and an earlier one only moves the
                        // image without getting it past them: they must go first.
                        return Ok(Applied::Blocked {
                            why: format!(
                                "entire@{} cannot keep installed {}: they must be removed \
                                 before any step ({why})",
                                c.version,
                                packages.join(", ")
                            ),
                            packages,
                        });
                    }
                    Step::NoSolution(why) if crate::commands::pkg::out_of_space(&why) => {
                        // A full pool fails every build alike: stop at the first.
                        return Ok(Applied::NotSolvable(format!(
                            "install entire@{} from {}: {why}",
                            c.version, c.uri
                        )));
                    }
                    Step::NoSolution(why) => {
                        tried.push(format!("entire@{} from {}: {why}", c.version, c.uri));
                    }
                }
            } else {
                tried.push(format!("{} offers no entire@{}", c.uri, c.version));
            }
            // Put the publisher back as it was before trying the next repository.
            if let Some(spec) = put_back(input, &c) {
                let _ = exec.change(&spec);
            }
        }
        if tried.is_empty() {
            return Ok(Applied::NotSolvable("no intermediate build to try".into()));
        }
        Ok(Applied::NotSolvable(format!("no intermediate build solves: {}", tried.join("; "))))
    }
}

/// With the zone on its own publisher configuration again: each of its enabled origins, for
/// every build between the zone's and the global zone's that its catalogs (refreshed) offer.
/// What the zone's own publisher configuration offers to step through.
#[derive(Default)]
struct OwnOrigins {
    candidates: Vec<Candidate>,
    /// pkg's message when their refresh failed.
    refresh_failed: Option<String>,
    /// The (publisher, origin) pairs of the publishers that refresh named unreachable.
    dead: Vec<(String, String)>,
}

fn own_origin_candidates(
    input: &Input,
    exec: &Exec,
    zp: &crate::commands::pkg::Pkg,
) -> anyhow::Result<OwnOrigins> {
    let f = input.facts;
    let (Some(zb), Some(gb), Some(zv)) = (f.zone_build(), f.gz_build(), f.zone_version()) else {
        return Ok(OwnOrigins::default());
    };
    let own = crate::commands::pkg::publishers(&exec.runner, zp)?;
    let own: Vec<_> = own.into_iter().filter(|p| p.enabled && p.syspub != Some(true)).collect();
    let names: Vec<&str> = own.iter().map(|p| p.name.as_str()).collect();
    if names.is_empty() {
        return Ok(OwnOrigins::default());
    }
    // A refresh that fails leaves the catalogs as they were: what they offer is read anyway.
    let mut result = OwnOrigins::default();
    if let Some(out) = exec.change(&zp.refresh_spec(false, &names)?)?
        && !out.success()
    {
        let text = format!("{}\n{}", out.stdout, out.stderr);
        for p in &own {
            // `1/1 repositories for publisher 'solaris' could not be reached …`
            if text.contains(&format!("publisher '{}' could not be reached", p.name)) {
                let origins = p.origins.iter().map(|o| (p.name.clone(), o.uri.clone()));
                result.dead.extend(origins);
            }
        }
        // pkg's first line counts catalogs; the one that says which did not answer is later.
        let said = text.lines().map(str::trim).find(|l| l.contains("could not be reached"));
        result.refresh_failed = Some(said.map_or_else(|| pkg_message(&out.stderr), str::to_string));
    }
    let offered = offered_builds(exec, zp).unwrap_or_default();
    let mut out = Vec::new();
    for &b in offered.iter().filter(|b| **b > zb && **b < gb) {
        let Some(version) = version_for_build(zv, b) else { continue };
        for p in &own {
            for o in &p.origins {
                let publisher = p.name.clone();
                let (uri, version) = (o.uri.clone(), version.clone());
                out.push(Candidate { publisher, uri, build: b, version });
            }
        }
    }
    out.sort_by_key(|c| std::cmp::Reverse(c.build));
    result.candidates = out;
    Ok(result)
}

/// Whether the zone's publisher `name` is the global zone's, served by the system repository
/// (`(syspub)`, Solaris 11 after an attach).
fn served_by_system_repository(input: &Input, name: &str) -> bool {
    input.facts.zone_publishers.iter().any(|p| p.name == name && p.syspub == Some(true))
}

/// The command that puts candidate `c`'s publisher back as the zone had it (its first
/// origin; unset when the zone had no such publisher), after a step from `c` failed. A
/// system publisher's is not the zone's to set: the rung's undo restores the image.
fn put_back(input: &Input, c: &Candidate) -> Option<CommandSpec> {
    let zp = input.facts.zone_pkg();
    if served_by_system_repository(input, &c.publisher) {
        return None;
    }
    match input.facts.zone_publishers.iter().find(|p| p.name == c.publisher) {
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
    }
}

impl Incremental {
    fn learn(&mut self, c: &Candidate, offer: Offer) {
        let (publisher, uri) = (c.publisher.clone(), c.uri.clone());
        self.offers.push(RepositoryOffer { publisher, uri, offer });
    }
}

/// The builds of `entire` the image's catalogs offer as last refreshed, `None` when pkg's
/// answer cannot be read (then every candidate is tried, as before the check existed).
fn offered_builds(exec: &Exec, zp: &crate::commands::pkg::Pkg) -> Option<Vec<u64>> {
    let entire = Fmri::stem("entire").ok()?;
    let out = exec.read(&zp.list_all_versions_spec(&[entire])).ok()?;
    crate::commands::pkg::offered_builds(&out)
}

/// How one `install entire@VER` went.
enum Step {
    /// Dry run: the plan (`install -nv`) solves.
    Planned,
    Done,
    /// The install failed and the image's package list is unchanged: try the next candidate.
    NoSolution(String),
    /// Unchanged, and these installed packages are in the way (see [`blockers`]).
    Blocked(Vec<String>, String),
    /// The install failed after changing packages: the engine rolls the rung back.
    ChangedThenFailed(String),
}

/// A dry run checks the plan with `install -nv`. A real run installs straight away, as the
/// field notes do: when pkg finds no plan it changes nothing, so a separate `-n` first would
/// only run the solver (and refresh every catalog) twice. Whether a failed install changed
/// anything is read from the image (`pkg list -H` before and after), not from its wording.
fn step(
    exec: &Exec,
    zp: &crate::commands::pkg::Pkg,
    entire: Fmri,
    installed: &[String],
) -> anyhow::Result<Step> {
    if exec.dry_run {
        let check = zp.install_spec(
            &PlanOptions { dry_run: true, verbose: true, ..Default::default() },
            std::slice::from_ref(&entire),
        );
        let out = exec.read(&check)?;
        let blockers = blockers(&out.stderr, installed);
        return Ok(match out.code {
            Some(0) => Step::Planned,
            _ if !blockers.is_empty() => Step::Blocked(blockers, tail(&out)),
            _ => Step::NoSolution(tail(&out)),
        });
    }
    let listing = || exec.read(&zp.list_spec(&[])).ok().filter(|o| o.success()).map(|o| o.stdout);
    let before = listing();
    let real = zp.install_spec(&PlanOptions { verbose: true, ..Default::default() }, &[entire]);
    let Some(out) = exec.change(&real)? else { return Ok(Step::Planned) };
    if out.success() {
        return Ok(Step::Done);
    }
    let why = tail(&out);
    let blockers = blockers(&out.stderr, installed);
    Ok(match (before, listing()) {
        (Some(b), Some(a)) if a == b && !blockers.is_empty() => Step::Blocked(blockers, why),
        (Some(b), Some(a)) if a == b => Step::NoSolution(why),
        _ => Step::ChangedThenFailed(why),
    })
}

/// Installed packages a failed step names as in its way: excluded by the intermediate
/// `entire`, or required with no version at its build (gone from that release on: no later
/// build has it either, and an earlier one leaves the final attach facing the same gap).
fn blockers(stderr: &str, installed: &[String]) -> Vec<String> {
    let mut out = crate::commands::pkg::parse_excluded_installed(stderr);
    for p in crate::commands::pkg::parse_unavailable_dependencies(stderr) {
        if installed.contains(&p) && !out.contains(&p) {
            out.push(p);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::playbook::{Platform, Playbook};
    use crate::strategies::testfacts::{b111, publisher, rung_input};

    /// The b111 zone whose publisher is served by the system repository, and its playbook.
    fn served_by_the_system_repository() -> (crate::engine::facts::Facts, Playbook) {
        let mut facts = b111();
        let mut sys = publisher("opensolaris.org", "<system-repository>", true);
        sys.syspub = Some(true);
        facts.zone_publishers = vec![sys];
        (facts, Playbook::builtin(Platform::S11Express))
    }

    /// A solaris-brand image after a failed `attach -u` lists the GZ publisher as a system
    /// publisher at `<system-repository>`: never a candidate origin (found by a generated world,
    /// where `set-publisher -O <system-repository>` ended the rung with an invalid-URI error).
    #[test]
    fn a_system_publishers_location_is_no_candidate() {
        let (mut facts, pb) = served_by_the_system_repository();
        let input = rung_input(&facts, None, &pb, true);
        let c = candidates(&input);
        assert!(!c.is_empty());
        assert!(c.iter().all(|c| !c.uri.contains("system-repository")));
        facts.zone_publishers[0].syspub = None;
        let input = rung_input(&facts, None, &pb, true);
        assert!(candidates(&input).iter().any(|c| c.uri.contains("system-repository")));
    }

    /// A step through a publisher the system repository serves first switches the zone to its
    /// own publisher configuration, once, and never "puts back" the system one (round q F2).
    #[test]
    fn a_system_publisher_is_switched_off_once_before_the_step() {
        let (mut facts, pb) = served_by_the_system_repository();
        let input = rung_input(&facts, None, &pb, true);
        let plan = Incremental::default().commands(&input);
        let off: Vec<&String> =
            plan.iter().filter(|l| l.contains("set-property use-system-repo false")).collect();
        assert_eq!(off.len(), 1, "{plan:#?}");
        assert!(plan[0].contains("use-system-repo false"), "{plan:#?}");
        assert!(!plan.iter().any(|l| l.contains("after a build that did not solve")), "{plan:#?}");
        facts.zone_publishers[0].syspub = None;
        let input = rung_input(&facts, None, &pb, true);
        let plan = Incremental::default().commands(&input);
        assert!(!plan.iter().any(|l| l.contains("use-system-repo")), "{plan:#?}");
    }

    /// A zone-only publisher whose refresh failed in preflight is no step origin: before,
    /// the plan listed re-adding it after zone-publishers had removed it (round r minor).
    #[test]
    fn an_origin_preflight_found_dead_is_no_candidate() {
        let mut facts = b111();
        let dead = "http://old.corp.example/legacy/";
        facts.zone_publishers.push(publisher("legacy", dead, true));
        facts.zone_publishers_at_start = facts.zone_publishers.clone();
        facts.zone_offered_builds = vec![134];
        let pb = Playbook::builtin(Platform::S11Express);
        let has_dead = |facts: &crate::engine::facts::Facts| {
            candidates(&rung_input(facts, None, &pb, true)).iter().any(|c| c.uri == dead)
        };
        facts.zone_unreachable = Some(vec![]);
        assert!(has_dead(&facts));
        facts.zone_unreachable = Some(vec!["legacy".into()]);
        assert!(!has_dead(&facts));
        assert!(!candidates(&rung_input(&facts, None, &pb, true)).is_empty());
    }

    #[test]
    fn pkg_s_message_is_its_first_line_without_the_command() {
        let refusal = "\npkg set-publisher: The origins or mirrors of the system publisher \
                       'solaris' cannot be modified.\n";
        assert_eq!(
            pkg_message(refusal),
            "The origins or mirrors of the system publisher 'solaris' cannot be modified."
        );
        assert_eq!(pkg_message(""), "(no message)");
    }

    /// The plan names what the rung runs between candidates: the publisher put back as the zone
    /// had it (before, `--dry-run` left these out).
    #[test]
    fn the_plan_puts_each_publisher_back_between_candidates() {
        let facts = b111();
        let pb = Playbook::builtin(Platform::S11Express);
        let input = rung_input(&facts, None, &pb, true);
        let n = candidates(&input).len();
        assert!(n > 1, "{n}");
        let plan = Incremental::default().commands(&input);
        let back: Vec<&String> =
            plan.iter().filter(|l| l.contains("(after a build that did not solve)")).collect();
        assert_eq!(back.len(), n - 1, "{plan:#?}");
        let own = &facts.zone_publishers[0].origins[0].uri;
        assert!(back.iter().all(|l| l.contains(&format!("-O {own} --no-refresh"))), "{plan:#?}");
    }
}
