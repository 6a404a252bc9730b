//! The package solve of simulator.md: refresh → core packages → renames → removed apps →
//! success. It reports its *first* failing step, with pkg's real error text (reference §3.9).

use super::platform::Platform;
use super::world::{Image, InstalledPkg, Kind, Publisher, World};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    Refresh,
    Core,
    Rename,
    Removed,
}

#[derive(Clone, Debug)]
pub struct SolveError {
    pub step: Step,
    /// What pkg writes to stderr (without the `pkg <op>: ` prefix for plan errors).
    pub text: String,
    /// Installed `app` packages that block the solve (step 4 only).
    pub blockers: Vec<String>,
    /// True when `text` is a plan error (printed as `\npkg <op>: <text>`), false for the
    /// catalog refresh block (printed verbatim).
    pub plan_error: bool,
}

impl SolveError {
    /// The stderr pkg prints for this failure.
    pub fn stderr(&self, op: &str) -> String {
        if self.plan_error { format!("\npkg {op}: {}\n", self.text) } else { self.text.clone() }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Change {
    pub name: String,
    pub old: Option<InstalledPkg>,
    pub new: Option<InstalledPkg>,
}

impl Change {
    /// `pkg` moved to `build`, served by `publisher`.
    fn moved(pkg: &InstalledPkg, build: u32, publisher: String) -> Change {
        Change {
            name: pkg.name.clone(),
            old: Some(pkg.clone()),
            new: Some(InstalledPkg { name: pkg.name.clone(), build, publisher }),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    pub target: u32,
    pub changes: Vec<Change>,
    pub entire_publisher: String,
}

/// Kind, removal and rename of a package name, also for names only known as rename targets.
struct PkgFacts {
    kind: Kind,
    removed_at: Option<u32>,
    renamed: Option<(u32, String)>,
    /// For rename targets: the build from which the name exists.
    exists_from: Option<u32>,
}

fn facts(world: &World, name: &str) -> PkgFacts {
    if let Some(d) = world.package_def(name) {
        return PkgFacts {
            kind: d.kind,
            removed_at: d.removed_at,
            renamed: d.renamed.clone(),
            exists_from: None,
        };
    }
    if let Some(src) =
        world.packages.iter().find(|d| d.renamed.as_ref().is_some_and(|(_, to)| to == name))
    {
        let at = src.renamed.as_ref().map(|(at, _)| *at);
        return PkgFacts {
            kind: src.kind,
            removed_at: src.removed_at,
            renamed: None,
            exists_from: at,
        };
    }
    PkgFacts { kind: Kind::App, removed_at: None, renamed: None, exists_from: None }
}

/// Does the repository at `uri` carry `name` at `build`?
pub(crate) fn carries(world: &World, uri: &str, name: &str, build: u32) -> bool {
    let Some(repo) = world.repository(uri) else { return false };
    if !repo.builds.contains(&build) {
        return false;
    }
    if name == "entire" {
        return true;
    }
    let f = facts(world, name);
    f.removed_at.is_none_or(|r| r > build)
        && f.renamed.as_ref().is_none_or(|(at, _)| *at > build)
        && f.exists_from.is_none_or(|from| from <= build)
}

/// Is the repository at `uri` reachable from the global zone right now? Counts contacts for
/// `unreachable_after` faults unless `world.pure` (the oracle ignores faults).
pub fn repo_reachable(world: &mut World, uri: &str) -> bool {
    let Some(repo) = world.repository(uri) else { return false };
    if !repo.reachable {
        return false;
    }
    if world.pure {
        return true;
    }
    let key = repo.uri.clone();
    let limit = world
        .faults
        .iter()
        .filter(|f| {
            f.repository.as_deref().map(|r| r.trim_end_matches('/'))
                == Some(key.trim_end_matches('/'))
        })
        .filter_map(|f| f.unreachable_after)
        .min();
    let n = world.bump(&format!("repo:{key}"));
    limit.is_none_or(|l| n <= l)
}

fn host_of(uri: &str) -> &str {
    let rest = uri.split_once("://").map(|(_, r)| r).unwrap_or(uri);
    let host = rest.split('/').next().unwrap_or(rest);
    host.split(':').next().unwrap_or(host)
}

/// Refreshes the catalogs of `pubs` (each origin once); the catalog-refresh failure block of
/// reference §3.9 when any publisher cannot be reached.
pub fn refresh(world: &mut World, pubs: &[Publisher]) -> Result<(), String> {
    let mut failed: Vec<(String, String)> = Vec::new();
    let mut total = 0;
    for p in pubs {
        if p.origins.is_empty() || p.syspub && world.platform != Platform::Solaris11 {
            continue;
        }
        total += 1;
        let cost = world.costs.refresh_per_publisher;
        world.charge(cost);
        let mut ok = false;
        let mut last = String::new();
        for o in &p.origins {
            if repo_reachable(world, o) {
                ok = true;
                break;
            }
            last = o.clone();
        }
        if !ok {
            failed.push((p.name.clone(), last));
        }
    }
    if failed.is_empty() {
        return Ok(());
    }
    let mut text =
        format!("pkg: {}/{} catalogs successfully updated:\n", total - failed.len(), total);
    for (name, uri) in &failed {
        let detail = if world.repository(uri).is_some() {
            format!(
                "Framework error: code: E_COULDNT_CONNECT (7) reason: Failed to connect to {} port 80: Connection refused",
                host_of(uri)
            )
        } else {
            format!(
                "Framework error: code: E_COULDNT_RESOLVE_HOST (6) reason: Could not resolve host: {}",
                host_of(uri)
            )
        };
        text.push_str(&format!(
            "\n1/1 repositories for publisher '{name}' could not be reached for catalog refresh.\n\n{detail}\nURL: '{}'\n",
            uri.trim_end_matches('/').to_string() + "/catalog/1/catalog.attrs"
        ));
    }
    Err(text)
}

/// First enabled publisher in `pubs` (reachable ones, by rank) offering `name` at `build`.
fn offering(
    world: &World,
    pubs: &[Publisher],
    reachable: &[String],
    name: &str,
    build: u32,
) -> Option<String> {
    pubs.iter()
        .filter(|p| p.enabled && reachable.contains(&p.name))
        .find(|p| p.origins.iter().any(|o| carries(world, o, name, build)))
        .map(|p| p.name.clone())
}

/// Newest build whose `entire` one of the (enabled, reachable) publishers offers.
pub fn newest_build(world: &World, pubs: &[Publisher]) -> Option<u32> {
    pubs.iter()
        .filter(|p| p.enabled)
        .flat_map(|p| p.origins.iter())
        .filter_map(|o| world.repository(o))
        .filter(|r| r.reachable)
        .flat_map(|r| r.builds.iter().copied())
        .max()
}

/// Names of the publishers in `pubs` that have at least one reachable origin (no counting).
fn reachable_names(world: &World, pubs: &[Publisher]) -> Vec<String> {
    pubs.iter()
        .filter(|p| p.origins.iter().any(|o| world.repository(o).is_some_and(|r| r.reachable)))
        .map(|p| p.name.clone())
        .collect()
}

/// Plans moving `image` to `target` using `pubs` (steps 2–4 of the solve; refresh is separate).
pub fn plan(
    world: &World,
    image: &Image,
    pubs: &[Publisher],
    target: u32,
) -> Result<Plan, SolveError> {
    let p = world.platform;
    let reachable = reachable_names(world, pubs);
    let current = image.build().unwrap_or(target);
    let entire_pub = offering(world, pubs, &reachable, "entire", target);
    let short = |publisher: &str, name: &str, b: u32| {
        format!("pkg://{publisher}/{name}@{}", p.short_version(b))
    };
    let Some(entire_pub) = entire_pub else {
        return Err(SolveError {
            step: Step::Core,
            text: format!(
                "The following pattern(s) did not match any allowable packages.  Try\nusing a different matching pattern, or refreshing publisher information:\n\n\tentire@{}",
                p.short_version(target)
            ),
            blockers: Vec::new(),
            plan_error: true,
        });
    };
    if image.entire.is_some_and(|b| b > target) {
        return Err(SolveError {
            step: Step::Core,
            text: format!(
                "No matching version of entire can be installed:\n  Reject:  {}\n  Reason:  Newer version {} is already installed",
                short(&entire_pub, "entire", target),
                short(&image.entire_publisher(world), "entire", current)
            ),
            blockers: Vec::new(),
            plan_error: true,
        });
    }
    // Step 2: every installed core package must exist at the target. The Reason wording for a
    // missing core package is our choice among pkg_solver's reasons (§3.9); UNVERIFIED.
    let mut reasons = Vec::new();
    for pkg in &image.packages {
        let f = facts(world, &pkg.name);
        let renamed_by_target = f.renamed.as_ref().is_some_and(|(at, _)| *at <= target);
        if f.kind == Kind::Core
            && !renamed_by_target
            && offering(world, pubs, &reachable, &pkg.name, target).is_none()
        {
            reasons.push(format!(
                "  Reason:  No version for 'require' dependency on pkg:/{}@{} can be found",
                pkg.name,
                p.short_version(target)
            ));
        }
    }
    if !reasons.is_empty() {
        return Err(SolveError {
            step: Step::Core,
            text: format!(
                "No matching version of entire can be installed:\n  Reject:  {}\n{}",
                short(&entire_pub, "entire", target),
                reasons.join("\n")
            ),
            blockers: Vec::new(),
            plan_error: true,
        });
    }
    // Step 3: renames between the image's build and the target need history records.
    let history_ok = pubs
        .iter()
        .filter(|pb| pb.enabled && reachable.contains(&pb.name))
        .flat_map(|pb| pb.origins.iter())
        .filter_map(|o| world.repository(o))
        .any(|r| r.reachable && r.history_from.is_some_and(|h| h <= current));
    let unmapped: Vec<&InstalledPkg> = image
        .packages
        .iter()
        .filter(|pkg| {
            facts(world, &pkg.name).renamed.is_some_and(|(at, _)| at > current && at <= target)
        })
        .collect();
    if !unmapped.is_empty() && !history_ok {
        let incs = match image.entire {
            Some(b) => format!("  {}", short(&image.entire_publisher(world), "entire", b)),
            None => "None".to_string(),
        };
        let errs: Vec<String> = unmapped
            .iter()
            .map(|pkg| format!("  No suitable version of installed package {} found", pkg.name))
            .collect();
        return Err(SolveError {
            step: Step::Rename,
            text: format!(
                "No solution was found to satisfy constraints\n\nmaintained incorporations:\n{incs}\n\n\nPlan Creation: dependency error(s) in proposed packages:\n\n{}",
                errs.join("\n")
            ),
            blockers: Vec::new(),
            plan_error: true,
        });
    }
    // Step 4: installed apps removed by the target block the solve. pkg_solver's real wording
    // depends on the package's dependencies; we use its `exclude` reason so that the blocking
    // package's FMRI is named on a Reason line (UNVERIFIED for this exact situation).
    let blockers: Vec<&InstalledPkg> = image
        .packages
        .iter()
        .filter(|pkg| {
            let f = facts(world, &pkg.name);
            f.kind == Kind::App && f.removed_at.is_some_and(|r| r <= target)
        })
        .collect();
    if !blockers.is_empty() {
        let reasons: Vec<String> = blockers
            .iter()
            .map(|pkg| {
                format!(
                    "  Reason:  Package contains 'exclude' dependency pkg:/{}@{} on installed package",
                    pkg.name,
                    p.short_version(pkg.build)
                )
            })
            .collect();
        return Err(SolveError {
            step: Step::Removed,
            text: format!(
                "No matching version of entire can be installed:\n  Reject:  {}\n{}",
                short(&entire_pub, "entire", target),
                reasons.join("\n")
            ),
            blockers: blockers.iter().map(|b| b.name.clone()).collect(),
            plan_error: true,
        });
    }
    // Step 5: the move.
    let mut changes = Vec::new();
    for pkg in &image.packages {
        let f = facts(world, &pkg.name);
        match f.renamed {
            Some((at, to)) if at <= target => {
                let publisher = offering(world, pubs, &reachable, &to, target)
                    .unwrap_or_else(|| entire_pub.clone());
                changes.push(Change { name: pkg.name.clone(), old: Some(pkg.clone()), new: None });
                if image.installed(&to).is_none() {
                    changes.push(Change {
                        name: to.clone(),
                        old: None,
                        new: Some(InstalledPkg { name: to, build: target, publisher }),
                    });
                }
            }
            _ => {
                if f.kind == Kind::Core && pkg.build != target {
                    let publisher = offering(world, pubs, &reachable, &pkg.name, target)
                        .unwrap_or_else(|| entire_pub.clone());
                    changes.push(Change::moved(pkg, target, publisher));
                } else if f.kind == Kind::App && pkg.build < target {
                    // Apps float: they follow the image when a repository still carries them.
                    if let Some(publisher) = offering(world, pubs, &reachable, &pkg.name, target) {
                        changes.push(Change::moved(pkg, target, publisher));
                    }
                }
            }
        }
    }
    if image.entire != Some(target) {
        changes.push(Change {
            name: "entire".into(),
            old: image.entire.map(|b| InstalledPkg {
                name: "entire".into(),
                build: b,
                publisher: image.entire_publisher(world),
            }),
            new: Some(InstalledPkg {
                name: "entire".into(),
                build: target,
                publisher: entire_pub.clone(),
            }),
        });
    }
    Ok(Plan { target, changes, entire_publisher: entire_pub })
}

/// Applies a successful plan to the image.
pub fn apply(image: &mut Image, plan: &Plan) {
    for c in &plan.changes {
        if c.name == "entire" {
            image.entire = c.new.as_ref().map(|n| n.build);
            image.entire_from =
                c.new.as_ref().map(|n| n.publisher.clone()).filter(|p| !p.is_empty());
            continue;
        }
        image.packages.retain(|p| p.name != c.name);
        if let Some(n) = &c.new {
            image.packages.push(n.clone());
        }
    }
    image.packages.sort_by(|a, b| a.name.cmp(&b.name));
}

/// Refresh then plan: the whole solve of `install entire@T`.
pub fn solve(
    world: &mut World,
    image: &Image,
    pubs: &[Publisher],
    must_reach: &[Publisher],
    target: u32,
) -> Result<Plan, SolveError> {
    let mut all: Vec<Publisher> = pubs.iter().filter(|p| p.enabled).cloned().collect();
    for p in must_reach {
        if !all.iter().any(|a| a.name == p.name) {
            all.push(p.clone());
        }
    }
    refresh(world, &all).map_err(|text| SolveError {
        step: Step::Refresh,
        text,
        blockers: Vec::new(),
        plan_error: false,
    })?;
    let cost = world.costs.solver;
    world.charge(cost);
    plan(world, image, pubs, target)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::scenario::Scenario;

    fn world(extra_zone_pkgs: &str, history_from: u32, zone_origin: &str) -> World {
        let text = format!(
            r#"[scenario]
name = "t"
platform = "s11express"
[global]
be = "b"
be_uuid = "u"
entire = 151
[[global.publishers]]
name = "solaris"
origins = ["http://r/151/"]
[[repositories]]
uri = "http://r/151/"
publisher = "solaris"
builds = [151]
history_from = {history_from}
[[packages]]
name = "SUNWcs"
kind = "core"
[[packages]]
name = "old/app"
kind = "app"
removed_at = 140
[[packages]]
name = "ren/app"
kind = "app"
renamed = {{ at = 130, to = "new/app" }}
[[zones]]
name = "z"
brand = "ipkg"
zonepath = "/zones/z"
entire = 111
packages = ["SUNWcs"{extra_zone_pkgs}]
zbes = [{{ name = "zbe", parentbe = "p", active = true }}]
publishers = [{{ name = "solaris", origins = ["{zone_origin}"] }}]
"#
        );
        let mut w = World::from_scenario(&Scenario::parse("t.toml", &text).unwrap(), "/w".into());
        w.pure = true;
        w
    }

    fn solve_zone(w: &mut World) -> Result<Plan, SolveError> {
        let z = w.zones[0].clone();
        let img = w.zone_image(&z).unwrap().clone();
        let pubs = img.enabled_publishers();
        solve(w, &img, &pubs, &[], 151)
    }

    #[test]
    fn steps_fail_in_order() {
        // Unreachable origin: refresh fails first, whatever else is wrong.
        let mut w = world(", \"old/app\", \"ren/app\"", 134, "http://gone/");
        assert_eq!(solve_zone(&mut w).unwrap_err().step, Step::Refresh);
        // Rename without history is reported before the removed app.
        let mut w = world(", \"old/app\", \"ren/app\"", 134, "http://r/151/");
        let e = solve_zone(&mut w).unwrap_err();
        assert_eq!(e.step, Step::Rename);
        assert!(e.blockers.is_empty());
        // With history the removed app blocks, and is named.
        let mut w = world(", \"old/app\", \"ren/app\"", 100, "http://r/151/");
        let e = solve_zone(&mut w).unwrap_err();
        assert_eq!((e.step, e.blockers.clone()), (Step::Removed, vec!["old/app".to_string()]));
        assert!(e.stderr("install").contains("pkg:/old/app@0.5.11-0.111"));
    }

    #[test]
    fn success_applies_renames_and_charges_time() {
        let mut w = world(", \"ren/app\"", 100, "http://r/151/");
        let before = w.clock_s;
        let plan = solve_zone(&mut w).unwrap();
        assert_eq!(w.clock_s - before, w.costs.refresh_per_publisher + w.costs.solver);
        let z = w.zones[0].clone();
        let mut img = w.zone_image(&z).unwrap().clone();
        apply(&mut img, &plan);
        assert_eq!(img.entire, Some(151));
        assert!(img.installed("ren/app").is_none());
        assert_eq!(img.installed("new/app").map(|p| p.build), Some(151));
    }
}
