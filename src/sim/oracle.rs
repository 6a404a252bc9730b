//! Ground truth by brute force: for each zone, every sequence of strategies (each one's world
//! transformation from simulator.md's table) followed by `attach -u`, and the gentlest that
//! succeeds. Shares no decision code with zonerescue's engine; it drives the simulated world.
//!
//! "Gentlest": fewest `image-create`, then fewest `uninstall`, then fewest strategies, then
//! ladder order. A strategy that changes nothing (or whose own step fails) ends its sequence.
//!
//! A running or incomplete zone gets no plan: zonerescue refuses it (see [`Verdict::reason`]).

use serde::Serialize;

use super::brand::{self, Update};
use super::pkgops::{self, ImageRef, InstallOpts, Target};
use super::platform::Platform;
use super::scenario::Scenario;
use super::solver::Step;
use super::world::{Publisher, World, ZoneState};

/// Ladder order (the field notes' fixed order), `attach` first.
pub const LADDER: [&str; 7] = [
    "attach",
    "gz-publishers",
    "zone-publishers",
    "uninstall",
    "incremental",
    "image-update",
    "image-create",
];

/// Longest sequence tried (every strategy at most once).
const MAX_LEN: usize = 6;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Verdict {
    pub zone: String,
    pub attachable: bool,
    pub gentlest: Vec<String>,
    pub clock_s: u64,
    /// Strategies that make `attach -u` succeed on their own.
    pub singles: Vec<String>,
    /// Why no plan is tried at all: the zone is in a state zonerescue refuses.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

pub fn run(s: &Scenario) -> Vec<Verdict> {
    let mut base = World::from_scenario(s, std::path::PathBuf::from("/oracle"));
    base.pure = true;
    base.zones
        .iter()
        .map(|z| z.name.clone())
        .collect::<Vec<_>>()
        .into_iter()
        .map(|z| zone_verdict(&base, &z))
        .collect()
}

type Key = (usize, usize, usize, Vec<usize>);

fn key(plan: &[&str]) -> Key {
    let count = |n: &str| plan.iter().filter(|p| **p == n).count();
    (
        count("image-create"),
        count("uninstall"),
        plan.len(),
        plan.iter().map(|p| LADDER.iter().position(|l| l == p).unwrap_or(99)).collect(),
    )
}

/// zoneadm's state rules, which the oracle's own detach/attach (the brand hooks) skip: a
/// running zone is neither detached nor attached (zonerescue refuses it: halt it first), an
/// incomplete one only by zoneadm's forced update (zonerescue refuses it too).
fn refused(world: &World, zone: &str) -> Option<String> {
    match world.zone(zone)?.state {
        ZoneState::Running => Some(
            "zone is running: zoneadm detaches and attaches only halted zones; zonerescue \
             refuses it until it is halted"
                .into(),
        ),
        ZoneState::Incomplete => Some(
            "zone is incomplete: zoneadm attaches it only with its forced update (-U, S11 -X); \
             zonerescue refuses it: the administrator inspects the image first, then forces \
             the update or reinstalls"
                .into(),
        ),
        ZoneState::Installed | ZoneState::Configured => None,
    }
}

/// Installed, at the global zone's build, its image in a ZBE of the running GZ BE: what a
/// successful `attach -u` leaves, so there is nothing to do.
fn in_step(world: &World, zone: &str) -> bool {
    let Some(z) = world.zone(zone) else { return false };
    let parent = world
        .current_zbe(z)
        .and_then(|d| world.dataset(&d))
        .and_then(|d| d.props.get("org.opensolaris.libbe:parentbe").cloned());
    z.state == ZoneState::Installed
        && parent.as_deref() == Some(world.global.be_uuid.as_str())
        && world
            .zone_image(z)
            .and_then(|i| i.entire)
            .is_some_and(|e| Some(e) == world.global.image.entire)
}

fn zone_verdict(base: &World, zone: &str) -> Verdict {
    if let Some(reason) = refused(base, zone) {
        return Verdict {
            zone: zone.into(),
            attachable: false,
            gentlest: Vec::new(),
            clock_s: 0,
            singles: Vec::new(),
            reason: Some(reason),
        };
    }
    if in_step(base, zone) {
        return Verdict {
            zone: zone.into(),
            attachable: true,
            gentlest: Vec::new(),
            clock_s: 0,
            singles: Vec::new(),
            reason: Some("installed and in step with the global zone: nothing to do".into()),
        };
    }
    let mut start = base.clone();
    detach(&mut start, zone);
    let mut best: Option<(Key, Vec<&'static str>, u64)> = None;
    let mut singles = Vec::new();
    if let Some(clock) = attach_ok(&start, zone) {
        best = Some((key(&["attach"]), vec!["attach"], clock));
        singles.push("attach".to_string());
    }
    let mut stack: Vec<(Vec<&'static str>, World)> = vec![(Vec::new(), start)];
    while let Some((plan, world)) = stack.pop() {
        if plan.len() >= MAX_LEN {
            continue;
        }
        for s in LADDER.iter().skip(1) {
            if plan.contains(s) {
                continue;
            }
            let mut next = world.clone();
            if !apply(&mut next, zone, s) {
                continue;
            }
            let mut p = plan.clone();
            p.push(s);
            if let Some(clock) = attach_ok(&next, zone) {
                if p.len() == 1 {
                    singles.push(s.to_string());
                }
                let k = key(&p);
                if best.as_ref().is_none_or(|(bk, _, _)| k < *bk) {
                    best = Some((k, p.clone(), clock));
                }
            }
            stack.push((p, next));
        }
    }
    match best {
        Some((_, plan, clock_s)) => Verdict {
            zone: zone.into(),
            attachable: true,
            gentlest: plan.iter().map(|s| s.to_string()).collect(),
            clock_s,
            singles,
            reason: None,
        },
        None => Verdict {
            zone: zone.into(),
            attachable: false,
            gentlest: Vec::new(),
            clock_s: 0,
            singles,
            reason: None,
        },
    }
}

fn detach(world: &mut World, zone: &str) {
    let Some(z) = world.zone(zone).cloned() else { return };
    if matches!(z.state, ZoneState::Installed) {
        let ok = if z.brand == "solaris" {
            brand::solaris::detach(world, zone, false)
        } else {
            brand::ipkg::detach(world, zone, false)
        };
        if ok.code == 0 {
            let cost = world.costs.zone_bookkeeping;
            world.charge(cost);
            set_state(world, zone, ZoneState::Configured);
        }
    }
}

fn set_state(world: &mut World, zone: &str, s: ZoneState) {
    if let Some(i) = world.zone_index(zone) {
        world.zones[i].state = s;
    }
}

/// Runs `attach -u` (the GZ publishers saved by `gz-publishers` are restored afterwards, which
/// does not change the outcome); returns the clock when it succeeded.
fn attach_ok(world: &World, zone: &str) -> Option<u64> {
    let mut w = world.clone();
    let t = run_attach(&mut w, zone);
    (t.code == 0).then_some(w.clock_s)
}

fn run_attach(world: &mut World, zone: &str) -> brand::Transcript {
    let solaris = world.zone(zone).is_some_and(|z| z.brand == "solaris");
    if solaris {
        brand::solaris::attach(world, zone, Update::Min)
    } else {
        brand::ipkg::attach(world, zone, Update::Min)
    }
}

fn zone_image(world: &World, zone: &str) -> Option<super::world::Image> {
    pkgops::get(world, &ImageRef::Zone(zone.into()))
}

/// The GZ publisher an attach needs: the one its `entire` is listed from, when enabled with
/// an origin, else the first-ranked enabled one with an origin (as an administrator reads
/// `pkg info entire`; zonerescue's own choice must not be the oracle's code).
fn primary(world: &World) -> Option<Publisher> {
    let img = &world.global.image;
    let usable = |p: &&Publisher| p.enabled && !p.origins.is_empty();
    let of_entire = img.entire_publisher(world);
    img.publishers
        .iter()
        .filter(usable)
        .find(|p| p.name == of_entire)
        .or_else(|| img.publishers.iter().find(usable))
        .cloned()
}

/// One strategy's world transformation; false when it is not applicable or its step fails.
fn apply(world: &mut World, zone: &str, strategy: &str) -> bool {
    let r = ImageRef::Zone(zone.into());
    let root = world.zone(zone).map(|z| world.zoneroot(z)).unwrap_or_default();
    match strategy {
        "gz-publishers" => {
            // The primary publisher is kept. Where the attach trips over disabled GZ
            // publishers too (b151), all the others are removed; elsewhere the other enabled
            // ones are disabled (disabled ones are already out of the way).
            let Some(keep) = primary(world).map(|p| p.name) else { return false };
            let pubs = &mut world.global.image.publishers;
            if world.platform == Platform::S11Express {
                if pubs.len() <= 1 {
                    return false;
                }
                pubs.retain(|p| p.name == keep);
            } else {
                let others = pubs.iter_mut().filter(|p| p.enabled && p.name != keep);
                let mut changed = false;
                for p in others {
                    p.enabled = false;
                    changed = true;
                }
                if !changed {
                    return false;
                }
            }
            true
        }
        "zone-publishers" => {
            let Some(mut img) = zone_image(world, zone) else { return false };
            let before = img.publishers.clone();
            let reachable = |w: &World, p: &Publisher| {
                p.origins.iter().any(|o| w.repository(o).is_some_and(|r| r.reachable))
            };
            img.publishers.retain(|p| reachable(world, p));
            if let Some(first) = primary(world) {
                img.publishers.retain(|p| p.name != first.name);
                img.publishers.insert(0, first);
            }
            if img.publishers == before {
                return false;
            }
            let cost = world.costs.refresh_per_publisher;
            world.charge(cost);
            pkgops::put(world, &r, img);
            true
        }
        "uninstall" => {
            let mut probe = world.clone();
            let t = run_attach(&mut probe, zone);
            if t.failed != Some(Step::Removed) || t.blockers.is_empty() {
                return false;
            }
            let Some(img) = zone_image(world, zone) else { return false };
            let names = pkgops::app_dependents(world, &img, &t.blockers);
            let out = pkgops::uninstall(world, &r, &root, &names, false, &InstallOpts::default());
            out.code == 0
        }
        "incremental" => {
            let Some(img) = zone_image(world, zone) else { return false };
            let (Some(cur), Some(target)) = (img.build(), world.global.image.entire) else {
                return false;
            };
            let mut best: Option<(u32, String, String)> = None;
            for repo in &world.repositories {
                if !repo.reachable || repo.history_from.is_none_or(|h| h > cur) {
                    continue;
                }
                for b in &repo.builds {
                    if *b > cur && *b < target && best.as_ref().is_none_or(|(bb, _, _)| b > bb) {
                        best = Some((*b, repo.uri.clone(), repo.publisher.clone()));
                    }
                }
            }
            let Some((b, uri, publisher)) = best else { return false };
            let mut img = img;
            match img.publishers.iter_mut().find(|p| p.name == publisher) {
                Some(p) => p.origins = vec![uri],
                None => img.publishers.push(Publisher {
                    name: publisher,
                    origins: vec![uri],
                    enabled: true,
                    sticky: true,
                    ..Default::default()
                }),
            }
            pkgops::put(world, &r, img);
            let run = pkgops::install(
                world,
                &r,
                &root,
                Target::Entire(b),
                &InstallOpts { op: "install".into(), ..Default::default() },
            );
            run.out.code == 0
        }
        "image-update" => {
            let run = pkgops::install(
                world,
                &r,
                &root,
                Target::Newest,
                &InstallOpts { op: "update".into(), ..Default::default() },
            );
            run.out.code == 0
        }
        "image-create" => {
            let Some(first) = primary(world) else { return false };
            // One origin (`-p NAME=URI`): one that answers, as an administrator would pick.
            let answers = |o: &&String| world.repository(o).is_some_and(|r| r.reachable);
            let Some(uri) = first.origins.iter().find(answers).or(first.origins.first()).cloned()
            else {
                return false;
            };
            let Some(mut img) = zone_image(world, zone) else { return false };
            let cost = world.costs.image_create;
            world.charge(cost);
            pkgops::image_create(&mut img, &first.name, &uri);
            pkgops::put(world, &r, img);
            let o = InstallOpts { op: "install".into(), ..Default::default() };
            let run =
                pkgops::install(world, &r, &root, Target::Names(vec!["system/library".into()]), &o);
            run.out.code == 0
        }
        _ => false,
    }
}
