//! The Solaris 11 `solaris` brand (Gen D, [S11-ON] attach.ksh/detach.ksh).

use super::{Transcript, Update, update_image};
use crate::sim::clock;
use crate::sim::cmd::zfs;
use crate::sim::out::Output;
use crate::sim::pkgops::{self, ImageRef};
use crate::sim::solver::Step;
use crate::sim::world::{Snapshot, World};

const PARENT: &str = "org.opensolaris.libbe:parentbe";
const ACTIVE: &str = "org.opensolaris.libbe:active";

/// `detach`: unmount the ZBE, save the XML; ZFS properties stay as they are.
pub fn detach(world: &mut World, zone: &str, dry_run: bool) -> Output {
    if dry_run {
        let mut out = Output::ok();
        out.lines(super::ipkg::zone_xml(world, zone));
        return out;
    }
    if let Some(z) = world.zone(zone).cloned()
        && !world.pure
    {
        let xml = super::ipkg::zone_xml(world, zone).join("\n") + "\n";
        let _ =
            std::fs::write(std::path::Path::new(&world.zonepath(&z)).join("SUNWdetached.xml"), xml);
    }
    // `detach_zone` unmounts the ZBE (reference §2.9): the zone root is an empty mountpoint
    // until an attach mounts it again (fidelity ss F1).
    if let Some(z) = world.zones.iter_mut().find(|z| z.name == zone) {
        z.root_unmounted = true;
    }
    Output::ok()
}

/// `discover_active_be`: returns (ZBE to use, cloned-from name if it had to be cloned).
fn discover(world: &mut World, zone: &str) -> Result<(String, Option<String>), Vec<String>> {
    let Some(z) = world.zone(zone).cloned() else { return Err(Vec::new()) };
    let gzbe = world.global.be_uuid.clone();
    let zbes: Vec<(String, String, bool)> = world
        .zbes(&z)
        .iter()
        .map(|d| {
            (
                d.name.clone(),
                d.props.get(PARENT).cloned().unwrap_or_default(),
                d.props.get(ACTIVE).map(String::as_str) == Some("on"),
            )
        })
        .collect();
    let mine_active: Vec<&(String, String, bool)> =
        zbes.iter().filter(|(_, p, a)| *p == gzbe && *a).collect();
    let mine: Vec<&(String, String, bool)> = zbes.iter().filter(|(_, p, _)| *p == gzbe).collect();
    let active: Vec<&(String, String, bool)> = zbes.iter().filter(|(_, _, a)| *a).collect();
    let pick = if mine_active.len() == 1 {
        Some((mine_active[0].0.clone(), None))
    } else if mine.len() == 1 {
        Some((mine[0].0.clone(), None))
    } else if active.len() == 1 {
        let (name, parent, _) = active[0].clone();
        let gz_bes_exists = world.global.other_bes.iter().any(|(_, u)| *u == parent);
        if gz_bes_exists {
            Some((clone_zbe(world, zone, &z.zbe_parent(), &name), Some(name)))
        } else {
            Some((name, None))
        }
    } else if zbes.len() == 1 {
        // The guard `[[ ${#zone.allowed_bes[@]} ]]` is always true: activated in place.
        Some((zbes[0].0.clone(), None))
    } else {
        None
    };
    match pick {
        Some((name, cloned)) => {
            for (other, _, _) in &zbes {
                if *other != name
                    && let Some(d) = world.dataset_mut(other)
                    && d.props.get(PARENT) == Some(&gzbe)
                {
                    d.props.insert(ACTIVE.into(), "off".into());
                }
            }
            if let Some(d) = world.dataset_mut(&name) {
                d.props.insert(PARENT.into(), gzbe);
                d.props.insert(ACTIVE.into(), "on".into());
                d.props.insert("canmount".into(), "noauto".into());
            }
            Ok((name, cloned))
        }
        None => {
            let mut lines = vec![
                "Unable to determine which boot environment to activate.  Candidates are:"
                    .to_string(),
                String::new(),
                "Zone Boot Environment Active Global Zone Boot Environment".to_string(),
                "--------------------- ------ ------------------------------------".to_string(),
            ];
            for (n, p, a) in &zbes {
                let short = n.rsplit('/').next().unwrap_or(n);
                lines.push(format!("{short:<21} {:<6} {p}", if *a { "on" } else { "off" }));
            }
            lines.push(String::new());
            lines.push(format!("Use the following command to attach a specific zone boot environment:\nzoneadm -z {zone} attach -z <zbe>"));
            Err(lines)
        }
    }
}

/// `clone_zbe` (reference §2.6): `zfs snapshot -r <ROOT>/<zbe>@<YYYY-MM-DD-HH:MM:SS>`, clone it
/// to the first free `solaris-<n>` (`create_active_ds -s`), then `zfs promote` the clone and
/// `zfs destroy -rd` the snapshot. The promote moves the origin's snapshots up to the clone
/// point (the brand's own and every older one, zonerescue's `@…-pre` included) to the clone,
/// and the old ZBE becomes a clone of `<clone>@<ts>`; with that dependent clone the deferred
/// destroy (`-d`) leaves `<clone>@<ts>` listed. The old ZBE keeps its parentbe and active=on:
/// `set_active_be` turns off only the other ZBEs of the *current* GZ BE (done in `discover`).
///
/// A scenario fault `kind = "zbe-promote-fails"` leaves the clone unpromoted (modelling a
/// brand or pool where the promote did not happen): the snapshots stay on the old ZBE and the
/// clone's origin is `<old>@<ts>`.
fn clone_zbe(world: &mut World, zone: &str, parent: &str, src: &str) -> String {
    let mut n = 0;
    while world.dataset(&format!("{parent}/solaris-{n}")).is_some() {
        n += 1;
    }
    let dst = format!("{parent}/solaris-{n}");
    let image = world.dataset(src).and_then(|d| d.image.clone());
    let cost = world.costs.snapshot + world.costs.clone;
    world.charge(cost);
    let ts = clock::snapshot_stamp(world.clock_s);
    let seq = world.next_seq();
    if let Some(d) = world.dataset_mut(src) {
        d.snapshots.push(Snapshot {
            name: ts.clone(),
            props: Default::default(),
            image: image.clone(),
            seq,
        });
    }
    world.add_dataset(&dst, &[("canmount", "noauto"), ("mountpoint", "/")], image);
    if let Some(d) = world.dataset_mut(&dst) {
        d.origin = Some(format!("{src}@{ts}"));
    }
    // The snapshot is recursive and so is the clone: the ZBE's children (`var`) are cloned
    // below the new ZBE, parents first, each promoted with it.
    let below = format!("{src}/");
    type Child = (String, Vec<(String, String)>, Option<super::super::world::Image>);
    let mut children: Vec<Child> = world
        .datasets
        .iter()
        .filter(|d| d.name.starts_with(&below))
        .map(|d| (d.name.clone(), d.props.clone().into_iter().collect(), d.image.clone()))
        .collect();
    children.sort_by_key(|c| c.0.matches('/').count());
    let mut clones = vec![dst.clone()];
    for (child, props, image) in children {
        let seq = world.next_seq();
        if let Some(d) = world.dataset_mut(&child) {
            d.snapshots.push(Snapshot {
                name: ts.clone(),
                props: Default::default(),
                image: image.clone(),
                seq,
            });
        }
        let copy = format!("{dst}{}", &child[src.len()..]);
        let props: Vec<(&str, &str)> =
            props.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        world.add_dataset(&copy, &props, image);
        if let Some(d) = world.dataset_mut(&copy) {
            d.origin = Some(format!("{child}@{ts}"));
        }
        clones.push(copy);
    }
    if !crate::sim::faults::take_kind(world, "zbe-promote-fails", Some(zone)) {
        for c in clones {
            let _ = zfs::promote(world, std::slice::from_ref(&c));
        }
    }
    dst
}

/// `/usr/lib/brand/solaris/attach Z ZONEPATH [-u|-U]`.
pub fn attach(world: &mut World, zone: &str, update: Update) -> Transcript {
    let p = world.platform;
    let mut t = Transcript::new(world);
    let Some(z) = world.zone(zone).cloned() else {
        t.code = super::SUBPROC_FATAL;
        return t;
    };
    let stamp = clock::compact(world.clock_s);
    let name = format!("zoneadm.{stamp}.{zone}.attach");
    let path = world.root.join("var/log/zones").join(&name);
    t.log_path = Some(path.clone());
    t.log(world, &format!("Progress being logged to {}", path.display()));
    let flag = match update {
        Update::None => "",
        Update::Min => " -u",
        Update::All => " -U",
    };
    t.vlog(
        world,
        &format!(
            "==== Starting: /usr/lib/brand/solaris/attach {zone} {}{flag} ====",
            world.zonepath(&z)
        ),
    );
    let (ds, cloned) = match discover(world, zone) {
        Ok(x) => x,
        Err(lines) => {
            for l in lines {
                t.log(world, &l);
            }
            return fail(world, t, &z.name);
        }
    };
    t.log(world, "Attaching...");
    match &cloned {
        Some(from) => {
            let short = from.rsplit('/').next().unwrap_or(from).to_string();
            t.log(
                world,
                &format!("    Installing: Using clone of zone boot environment '{short}'"),
            );
        }
        None => t.log(world, "    Installing: Using existing zone boot environment"),
    }
    t.log(world, &format!("      Zone BE root dataset: {ds}"));
    t.log(world, "                     Cache: Using /var/pkg/publisher.");
    t.log(world, "Updating image format");
    if update != Update::None {
        t.term("Image format already current.\n");
    }
    // System repository: the zone sees the GZ's enabled publishers.
    let r = ImageRef::Zone(zone.into());
    let mut img = pkgops::get(world, &r).unwrap_or_else(|| world.global.image.clone());
    let gz_pubs = world.global.image.publishers.clone();
    pkgops::system_repository(&mut img, &gz_pubs);
    pkgops::put(world, &r, img.clone());
    let msg = match update {
        Update::None => "  Updating non-global zone: Auditing packages.",
        Update::Min => "  Updating non-global zone: Syncing packages.",
        Update::All => "  Updating non-global zone: Updating packages.",
    };
    let op = if update == Update::All { "update" } else { "sync-linked" };
    let (run, args) = update_image(world, zone, img.enabled_publishers(), Vec::new(), op, update);
    if run.failed == Some(Step::Refresh) {
        // `pkg refresh --full || pkg_err_check "Updating image format failed"` (sic).
        t.pkg(world, &format!("refresh --full; {args}"), &run.out);
        t.failed = run.failed;
        t.error(world, "Updating image format failed");
        return fail(world, t, &z.name);
    }
    // After the refresh (reference §2.6 steps 11-12: a failed refresh never gets here).
    t.log(world, "  Updating non-global zone: Linking to image /.");
    t.log(world, msg);
    t.pkg(world, &args, &run.out);
    t.failed = run.failed;
    t.blockers = run.blockers.clone();
    match (update, run.out.code) {
        (Update::None, 4) | (Update::Min | Update::All, 0 | 4) => {
            t.log(world, "\n  Updating non-global zone: Zone updated.");
            t.log(world, "                    Result: Attach Succeeded.");
            finish_log(world, &mut t, &z.name, &name);
            t
        }
        (Update::None, _) => {
            let gz = world.global.image.entire.unwrap_or(0);
            let cur = img.entire.unwrap_or(0);
            t.log.push_str(&format!(
                "\npkg sync-linked: Syncing this linked image would require the following package updates:\n\npkg://{}/entire@{} -> pkg://{}/entire@{}\n",
                img.entire_publisher(world),
                p.full_version(cur),
                img.entire_publisher(world),
                p.full_version(gz)
            ));
            t.error(world, "Could not update attaching zone");
            fail(world, t, &z.name)
        }
        _ => {
            t.error(world, "Could not update attaching zone");
            fail(world, t, &z.name)
        }
    }
}

fn finish_log(world: &mut World, t: &mut Transcript, zone: &str, name: &str) {
    t.vlog(world, &format!("==== Completed: {name}  ===="));
    let Some(z) = world.zone(zone).cloned() else { return };
    let copy = std::path::PathBuf::from(world.zoneroot(&z)).join("var/log/zones").join(name);
    // Part of the ZBE, as every file under the zone root (see `files::absorb_all`).
    if let Some(img) = world.zone_image_mut(zone) {
        img.files.insert(format!("var/log/zones/{name}"), t.log.clone());
    }
    if !world.pure {
        if let Some(parent) = copy.parent() {
            let _ = std::fs::create_dir_all(parent);
        }
        let _ = std::fs::write(&copy, &t.log);
    }
    t.log(world, &format!("Log saved in non-global zone as {}", copy.display()));
}

fn fail(world: &mut World, mut t: Transcript, zone: &str) -> Transcript {
    t.log(world, "                    Result: Attach Failed.");
    t.vlog(world, "Exiting with exit code 254");
    let name = t
        .log_path
        .as_ref()
        .and_then(|p| p.file_name())
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    finish_log(world, &mut t, zone, &name);
    t.code = super::SUBPROC_NOTCOMPLETE;
    t
}
