//! Operations on pkg(5) images shared by `pkg`, the brand attach scripts and the oracle.

use super::out::Output;
use super::pkgfmt;
use super::solver::{self, Step};
use super::world::{HistoryEntry, Image, InstalledPkg, Kind, Publisher, World};

/// Which image a pkg command works on.
#[derive(Clone, Debug, PartialEq)]
pub enum ImageRef {
    Global,
    Zone(String),
}

pub fn get(world: &World, r: &ImageRef) -> Option<Image> {
    match r {
        ImageRef::Global => Some(world.global.image.clone()),
        ImageRef::Zone(z) => world.zone(z).and_then(|zone| world.zone_image(zone)).cloned(),
    }
}

pub fn put(world: &mut World, r: &ImageRef, image: Image) {
    match r {
        ImageRef::Global => world.global.image = image,
        ImageRef::Zone(z) => {
            if let Some(slot) = world.zone_image_mut(z) {
                *slot = image;
            }
        }
    }
}

fn history(world: &World, image: &mut Image, op: &str, outcome: &str) {
    image.history.push(HistoryEntry {
        clock_s: world.clock_s,
        operation: op.into(),
        outcome: outcome.into(),
    });
}

/// Options of an install-like operation.
#[derive(Clone, Debug, Default)]
pub struct InstallOpts {
    pub verbose: bool,
    pub dry_run: bool,
    pub no_refresh: bool,
    /// Publishers to solve with instead of the image's enabled ones.
    pub pubs: Option<Vec<Publisher>>,
    /// Publishers that must also be reachable (s11express attach: disabled GZ publishers).
    pub must_reach: Vec<Publisher>,
    /// Operation name for messages (`install`, `update`, `sync-linked`).
    pub op: String,
    pub rejects: Vec<String>,
}

pub enum Target {
    Entire(u32),
    Newest,
    Names(Vec<String>),
}

/// Result of an install-like run: output plus the solve failure step, if any.
pub struct InstallRun {
    pub out: Output,
    pub failed: Option<Step>,
    pub blockers: Vec<String>,
}

fn out_of_space(world: &mut World, root: &str) -> Option<Output> {
    super::faults::take_kind(world, "out-of-space", None).then(|| {
        Output::fail(1, format!("pkg: [Errno 28] No space left on device: '{root}/var/pkg/cache'"))
    })
}

/// `pkg install entire@T`, `pkg update`, `pkg install <names>` on an image.
pub fn install(
    world: &mut World,
    r: &ImageRef,
    root: &str,
    target: Target,
    o: &InstallOpts,
) -> InstallRun {
    let op = if o.op.is_empty() { "install".to_string() } else { o.op.clone() };
    let ok = |out: Output| InstallRun { out, failed: None, blockers: Vec::new() };
    let Some(mut image) = get(world, r) else {
        return ok(Output::fail(1, format!("pkg: No image rooted at '{root}'")));
    };
    if let Some(out) = out_of_space(world, root) {
        return ok(out);
    }
    let pubs = o.pubs.clone().unwrap_or_else(|| image.enabled_publishers());
    let refreshed: Vec<String> = if o.no_refresh {
        Vec::new()
    } else {
        pubs.iter().filter(|p| p.enabled).map(|p| p.name.clone()).collect()
    };
    let target_build = match &target {
        Target::Entire(b) => Some(*b),
        Target::Newest => solver::newest_build(world, &pubs),
        Target::Names(names) => {
            return install_names(world, r, root, image, &pubs, names, o, &op);
        }
    };
    if matches!(target, Target::Newest)
        && target_build.is_none_or(|t| image.build().is_some_and(|c| t <= c))
    {
        if !o.no_refresh
            && let Err(text) = solver::refresh(world, &pubs)
        {
            return InstallRun {
                out: Output::fail(1, text),
                failed: Some(Step::Refresh),
                blockers: Vec::new(),
            };
        }
        let mut out = Output::ok().with_code(4);
        out.line(pkgfmt::nothing_to_do(&op));
        return ok(out);
    }
    let must: Vec<Publisher> = if o.no_refresh { Vec::new() } else { o.must_reach.clone() };
    let result = if o.no_refresh {
        let cost = world.costs.solver;
        world.charge(cost);
        match target_build {
            Some(t) => solver::plan(world, &image, &pubs, t),
            None => Ok(solver::Plan {
                target: image.build().unwrap_or(0),
                changes: Vec::new(),
                entire_publisher: String::new(),
            }),
        }
    } else {
        let all: Vec<Publisher> = pubs.clone();
        match target_build {
            Some(t) => solver::solve(world, &image, &all, &must, t),
            None => solver::refresh(world, &all)
                .map(|_| solver::Plan {
                    target: image.build().unwrap_or(0),
                    changes: Vec::new(),
                    entire_publisher: String::new(),
                })
                .map_err(|text| solver::SolveError {
                    step: Step::Refresh,
                    text,
                    blockers: Vec::new(),
                    plan_error: false,
                }),
        }
    };
    match result {
        Err(e) => {
            if !o.dry_run {
                history(world, &mut image, &op, "Failed");
                put(world, r, image);
            }
            InstallRun {
                out: Output::fail(1, e.stderr(&op)),
                failed: Some(e.step),
                blockers: e.blockers,
            }
        }
        Ok(plan) if plan.changes.is_empty() => {
            let mut out = Output::ok().with_code(4);
            out.line(pkgfmt::nothing_to_do(&op));
            if !o.dry_run {
                history(world, &mut image, &op, "Nothing to do");
                put(world, r, image);
            }
            ok(out)
        }
        Ok(plan) => {
            let mut out = Output::ok();
            out.lines(pkgfmt::plan_output(
                world.platform,
                &plan,
                &refreshed,
                o.verbose,
                o.dry_run,
                *r == ImageRef::Global,
            ));
            if !o.dry_run {
                let cost = world.costs.install(pkgfmt::changed(&plan));
                world.charge(cost);
                solver::apply(&mut image, &plan);
                history(world, &mut image, &op, "Succeeded");
                put(world, r, image);
            }
            ok(out)
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn install_names(
    world: &mut World,
    r: &ImageRef,
    root: &str,
    mut image: Image,
    pubs: &[Publisher],
    names: &[String],
    o: &InstallOpts,
    op: &str,
) -> InstallRun {
    let fail = |out: Output, step| InstallRun { out, failed: Some(step), blockers: Vec::new() };
    if !o.no_refresh
        && let Err(text) = solver::refresh(world, pubs)
    {
        return fail(Output::fail(1, text), Step::Refresh);
    }
    let cost = world.costs.solver;
    world.charge(cost);
    let build = image.entire.or_else(|| solver::newest_build(world, pubs));
    let mut new = Vec::new();
    let mut missing = Vec::new();
    for n in names {
        let (name, b) = match n.split_once('@') {
            Some((name, v)) => {
                (name.trim_start_matches("pkg:/").to_string(), world.platform.parse_build(v))
            }
            None => (n.trim_start_matches("pkg:/").to_string(), build),
        };
        if image.installed(&name).is_some_and(|p| Some(p.build) == b) {
            continue;
        }
        match (b.and_then(|b| offered_by(world, pubs, &name, b)), b) {
            (Some(p), Some(b)) => new.push(InstalledPkg { name, build: b, publisher: p }),
            _ => missing.push(n.clone()),
        }
    }
    if !missing.is_empty() {
        let text = format!(
            "\npkg {op}: The following pattern(s) did not match any allowable packages.  Try\nusing a different matching pattern, or refreshing publisher information:\n\n{}\n",
            missing.iter().map(|m| format!("\t{m}")).collect::<Vec<_>>().join("\n")
        );
        return fail(Output::fail(1, text), Step::Core);
    }
    // What each requires comes along when offered at its build, and must be: a package
    // whose dependency the release no longer has cannot be installed (oracle mm F2).
    let mut unmet = Vec::new();
    let mut k = 0;
    while k < new.len() {
        let (name, b, publisher) = (new[k].name.clone(), new[k].build, new[k].publisher.clone());
        // A release's own (core) package at build b requires only what that release has; a
        // site or third-party package keeps its requirements whatever the release.
        let core = world.package_def(&name).is_some_and(|d| d.kind == Kind::Core);
        for dep in world.package_def(&name).map(|d| d.depends.clone()).unwrap_or_default() {
            if image.installed(&dep).is_some() || new.iter().any(|x| x.name == dep) {
                continue;
            }
            match offered_by(world, pubs, &dep, b) {
                Some(p) => new.push(InstalledPkg { name: dep, build: b, publisher: p }),
                None if core => {}
                None => unmet.push(format!(
                    "No matching version of {name} can be installed:\n  Reject:  \
                     pkg://{publisher}/{name}@{}\n  Reason:  No version for 'require' \
                     dependency on pkg:/{dep} can be found",
                    world.platform.short_version(b)
                )),
            }
        }
        k += 1;
    }
    if !unmet.is_empty() {
        let text = format!("\npkg {op}: {}\n", unmet.join("\n"));
        return fail(Output::fail(1, text), Step::Core);
    }
    if new.is_empty() {
        let mut out = Output::ok().with_code(4);
        out.line(pkgfmt::nothing_to_do(op));
        return InstallRun { out, failed: None, blockers: Vec::new() };
    }
    let plan = solver::Plan {
        target: build.unwrap_or(0),
        changes: new
            .iter()
            .map(|n| solver::Change {
                name: n.name.clone(),
                old: image.installed(&n.name).cloned(),
                new: Some(n.clone()),
            })
            .collect(),
        entire_publisher: String::new(),
    };
    let mut out = Output::ok();
    out.lines(pkgfmt::plan_output(
        world.platform,
        &plan,
        &[],
        o.verbose,
        o.dry_run,
        *r == ImageRef::Global,
    ));
    if !o.dry_run {
        let cost = world.costs.install(new.len());
        world.charge(cost);
        // Installing system/library into an emptied image lays down its default config files.
        if names.iter().any(|n| n.trim_start_matches("pkg:/").starts_with("system/library"))
            && image.packages.is_empty()
        {
            for (path, content) in image.files.iter_mut() {
                if path.starts_with("etc/") {
                    *content = format!("# {path}: default installed by system/library\n");
                }
            }
        }
        solver::apply(&mut image, &plan);
        history(world, &mut image, op, "Succeeded");
        put(world, r, image);
    }
    let _ = root;
    InstallRun { out, failed: None, blockers: Vec::new() }
}

/// The enabled publisher of `pubs` one of whose reachable repositories offers `name` at
/// build `b` (it has that build, and the package is not removed by then).
fn offered_by(world: &World, pubs: &[Publisher], name: &str, b: u32) -> Option<String> {
    let def = world.package_def(name);
    if def.is_some_and(|d| d.removed_at.is_some_and(|x| x <= b)) {
        return None;
    }
    pubs.iter()
        .filter(|p| p.enabled)
        .find(|p| {
            p.origins.iter().any(|u| {
                world.repository(u).is_some_and(|repo| repo.reachable && repo.builds.contains(&b))
            })
        })
        .map(|p| p.name.clone())
}

/// `pkg uninstall [-r] names`: dependents block unless `recursive` (b151 `-r`).
pub fn uninstall(
    world: &mut World,
    r: &ImageRef,
    root: &str,
    names: &[String],
    recursive: bool,
    o: &InstallOpts,
) -> Output {
    let Some(mut image) = get(world, r) else {
        return Output::fail(1, format!("pkg: No image rooted at '{root}'"));
    };
    let p = world.platform;
    let mut remove: Vec<String> = Vec::new();
    // `entire` is kept beside the packages (image.entire): removable like one (the OI/OmniOS
    // attach runs `pkg uninstall entire` when the GZ has none: fidelity ww F3).
    let mut entire: Option<InstalledPkg> = None;
    for n in names {
        let name = n.split('@').next().unwrap_or(n).trim_start_matches("pkg:/").to_string();
        if name == "entire"
            && let Some(build) = image.entire
        {
            let publisher = image.entire_from.clone().unwrap_or_else(|| {
                image.publishers.first().map(|p| p.name.clone()).unwrap_or_default()
            });
            entire = Some(InstalledPkg { name, build, publisher });
            continue;
        }
        if image.installed(&name).is_none() {
            return Output::fail(
                1,
                format!("\npkg uninstall: '{n}' matches no installed packages"),
            );
        }
        remove.push(name);
    }
    let depends = |world: &World, pkg: &str| {
        world.package_def(pkg).map(|d| d.depends.clone()).unwrap_or_default()
    };
    loop {
        let dependents: Vec<(String, String)> = image
            .packages
            .iter()
            .filter(|i| !remove.contains(&i.name))
            .flat_map(|i| {
                depends(world, &i.name)
                    .into_iter()
                    .filter(|d| remove.contains(d))
                    .map(|d| (d, i.name.clone()))
            })
            .collect();
        if dependents.is_empty() {
            break;
        }
        if !recursive {
            let (target, _) = &dependents[0];
            let fmri = |n: &str| {
                let i = image.installed(n);
                format!(
                    "pkg://{}/{}@{}",
                    i.map(|i| i.publisher.as_str()).unwrap_or(""),
                    n,
                    p.full_version(i.map(|i| i.build).unwrap_or(0))
                )
            };
            let deps: Vec<String> = dependents
                .iter()
                .filter(|(t, _)| t == target)
                .map(|(_, d)| format!("  {}", fmri(d)))
                .collect();
            return Output::fail(
                1,
                format!(
                    "\npkg uninstall: Unable to remove '{}' due to the following packages that depend on it:\n{}",
                    fmri(target),
                    deps.join("\n")
                ),
            );
        }
        for (_, d) in dependents {
            if !remove.contains(&d) {
                remove.push(d);
            }
        }
    }
    let plan = solver::Plan {
        target: 0,
        changes: remove
            .iter()
            .filter_map(|n| image.installed(n).cloned())
            .chain(entire.clone())
            .map(|i| solver::Change { name: i.name.clone(), old: Some(i), new: None })
            .collect(),
        entire_publisher: String::new(),
    };
    let cost = world.costs.solver;
    world.charge(cost);
    let mut out = Output::ok();
    out.lines(pkgfmt::plan_output(p, &plan, &[], o.verbose, o.dry_run, *r == ImageRef::Global));
    if !o.dry_run {
        let cost = world.costs.install(plan.changes.len());
        world.charge(cost);
        solver::apply(&mut image, &plan);
        if entire.is_some() {
            image.entire = None;
            image.entire_from = None;
        }
        history(world, &mut image, "uninstall", "Succeeded");
        put(world, r, image);
    }
    out
}

/// Installed app packages that depend (transitively) on any of `names`.
pub fn app_dependents(world: &World, image: &Image, names: &[String]) -> Vec<String> {
    let mut set: Vec<String> = names.to_vec();
    loop {
        let more: Vec<String> = image
            .packages
            .iter()
            .filter(|i| !set.contains(&i.name))
            .filter(|i| {
                world.package_def(&i.name).is_some_and(|d| {
                    d.kind == Kind::App && d.depends.iter().any(|x| set.contains(x))
                })
            })
            .map(|i| i.name.clone())
            .collect();
        if more.is_empty() {
            return set;
        }
        set.extend(more);
    }
}

/// `pkg copy-publishers-from /` (OI ≥2016, OmniOS): every GZ publisher, disabled ones too, in
/// rank order replaces the same-named zone publisher; the first becomes search-first;
/// zone-only publishers stay, ranked after.
pub fn copy_publishers_from(image: &mut Image, gz: &[Publisher]) {
    let zone_only: Vec<Publisher> =
        image.publishers.iter().filter(|p| !gz.iter().any(|g| g.name == p.name)).cloned().collect();
    image.publishers = gz.to_vec();
    image.publishers.extend(zone_only);
}

/// The b151 publisher step: every GZ publisher (as `pkg publisher -HF tsv` lists them,
/// disabled included) is unset and re-created; zone-only publishers are left alone.
pub fn recreate_gz_publishers(image: &mut Image, gz: &[Publisher]) {
    copy_publishers_from(image, gz);
}

/// The S11 system repository: the zone sees the GZ's enabled publishers (as syspubs) first,
/// then its own non-system publishers.
pub fn system_repository(image: &mut Image, gz: &[Publisher]) {
    let served = |p: &Publisher| gz.iter().any(|g| g.name == p.name && g.enabled);
    // The image's own configuration of a publisher now served is hidden, not lost.
    for p in image.publishers.iter().filter(|p| !p.syspub && served(p)) {
        image.shadowed_publishers.retain(|h| h.name != p.name);
        image.shadowed_publishers.push(p.clone());
    }
    let own: Vec<Publisher> =
        image.publishers.iter().filter(|p| !p.syspub && !served(p)).cloned().collect();
    image.publishers =
        gz.iter().filter(|p| p.enabled).map(|p| Publisher { syspub: true, ..p.clone() }).collect();
    image.publishers.extend(own);
    image.use_system_repo = true;
}

/// `pkg set-property use-system-repo false`: the image's own publisher configuration again,
/// those the system repository hid first (the system publishers are gone).
pub fn own_repository(image: &mut Image) {
    let mut pubs = std::mem::take(&mut image.shadowed_publishers);
    for p in image.publishers.iter().filter(|p| !p.syspub) {
        if !pubs.iter().any(|h| h.name == p.name) {
            pubs.push(p.clone());
        }
    }
    image.publishers = pubs;
    image.use_system_repo = false;
}

/// Marks what `pkg image-create -z -p NAME=URI` leaves: no packages, one publisher.
pub fn image_create(image: &mut Image, name: &str, uri: &str) {
    image.entire = None;
    image.packages.clear();
    image.publishers = vec![Publisher {
        name: name.into(),
        origins: vec![uri.into()],
        enabled: true,
        sticky: true,
        ..Default::default()
    }];
    image.variant_zone = "nonglobal".into();
    image.use_system_repo = false;
    image.shadowed_publishers.clear();
}
