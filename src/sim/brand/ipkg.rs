//! The ipkg brand (Gen C b151 on s11express, Gen C'' on openindiana, Gen C''' on omnios).

use super::{Transcript, Update, entire_fmri, update_image};
use crate::sim::out::Output;
use crate::sim::pkgops::{self, ImageRef};
use crate::sim::platform::Platform;
use crate::sim::world::{Publisher, World};

const ROOT_LIBBE_PARENT: &str = "org.opensolaris.libbe:parentbe";
const ROOT_LIBBE_ACTIVE: &str = "org.opensolaris.libbe:active";

/// `get_active_ds`: the ZBE with parentbe == current GZBE and active=on.
///
/// DEVIATION from the real script: when no ZBE belongs to the current GZ BE, fall back to the
/// single `active=on` ZBE. Every scenario's zone was last attached under the pre-upgrade GZ BE,
/// and the real detach would then stop with `no active dataset.`; 0 or >1 active ZBEs keep
/// the strict errors.
pub fn active_ds(world: &World, zone: &str) -> Result<String, &'static str> {
    let Some(z) = world.zone(zone) else { return Err("no active dataset.") };
    let zbes = world.zbes(z);
    let active: Vec<&&crate::sim::world::Dataset> = zbes
        .iter()
        .filter(|d| d.props.get(ROOT_LIBBE_ACTIVE).map(String::as_str) == Some("on"))
        .collect();
    let mine: Vec<&&&crate::sim::world::Dataset> = active
        .iter()
        .filter(|d| d.props.get(ROOT_LIBBE_PARENT) == Some(&world.global.be_uuid))
        .collect();
    match (mine.len(), active.len()) {
        (1, _) => Ok(mine[0].name.clone()),
        (0, 1) => Ok(active[0].name.clone()),
        (0, 0) => Err("no active dataset."),
        _ => Err("multiple active datasets."),
    }
}

fn set(world: &mut World, ds: &str, k: &str, v: &str) {
    if let Some(d) = world.dataset_mut(ds) {
        d.props.insert(k.into(), v.into());
    }
}

fn inherit(world: &mut World, ds: &str, k: &str) {
    if let Some(d) = world.dataset_mut(ds) {
        d.props.remove(k);
    }
}

/// `/usr/lib/brand/ipkg/detach -z Z -R ZONEPATH [-n]`: mounts the ZBE at `<zonepath>/root`.
pub fn detach(world: &mut World, zone: &str, dry_run: bool) -> Output {
    let Some(z) = world.zone(zone).cloned() else { return Output::fail(1, "") };
    if dry_run {
        let mut out = Output::ok();
        out.lines(zone_xml(world, zone));
        return out;
    }
    let ds = match active_ds(world, zone) {
        Ok(ds) => ds,
        Err(msg) => {
            let mut out = Output::ok().with_code(1);
            out.line(format!("ERROR: {msg}"));
            return out;
        }
    };
    let root = world.zoneroot(&z);
    set(world, &ds, "zoned", "off");
    set(world, &ds, "canmount", "on");
    set(world, &ds, "mountpoint", &root);
    if !world.pure {
        let xml = zone_xml(world, zone).join("\n") + "\n";
        let _ =
            std::fs::write(std::path::Path::new(&world.zonepath(&z)).join("SUNWdetached.xml"), xml);
    }
    Output::ok()
}

/// The zone's configuration XML (`cat /etc/zones/<z>.xml`).
pub fn zone_xml(world: &World, zone: &str) -> Vec<String> {
    let Some(z) = world.zone(zone) else { return Vec::new() };
    vec![
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>".into(),
        "<!DOCTYPE zone PUBLIC \"-//Sun Microsystems Inc//DTD Zones//EN\" \"file:///usr/share/lib/xml/dtd/zonecfg.dtd.1\">".into(),
        format!("<zone name=\"{}\" zonepath=\"{}\" autoboot=\"false\" brand=\"{}\" ip-type=\"{}\">", z.name, world.zonepath(z), z.brand, z.ip_type),
        "</zone>".into(),
    ]
}

/// `/usr/lib/brand/ipkg/attach Z ZONEPATH [-u]`.
pub fn attach(world: &mut World, zone: &str, update: Update) -> Transcript {
    let p = world.platform;
    let mut t = Transcript::new(world);
    let Some(z) = world.zone(zone).cloned() else {
        t.code = super::SUBPROC_FATAL;
        return t;
    };
    let path = super::mktemp_log(world, zone);
    t.log_path = Some(path.clone());
    t.log(world, &format!("Log File: {}", path.display()));
    let root = world.zoneroot(&z);
    // EXIT_CODE=254 from here: the trap prints `Result: Attach Failed.`
    let mounted = world
        .zbes(&z)
        .iter()
        .find(|d| {
            d.props.get("mountpoint") == Some(&root)
                && d.props.get("canmount").map(String::as_str) == Some("on")
        })
        .map(|d| d.name.clone());
    let Some(ds) = mounted else {
        t.error(world, &format!("Failed to locate any dataset mounted at {root}.  Attach requires a mounted dataset."));
        return fail(world, t, None);
    };
    set(world, &ds, ROOT_LIBBE_PARENT, &world.global.be_uuid.clone());
    set(world, &ds, ROOT_LIBBE_ACTIVE, "on");
    set(world, &ds, "canmount", "noauto");
    inherit(world, &ds, "mountpoint");
    inherit(world, &ds, "zoned");
    match p {
        Platform::S11Express => t.log(world, "Attaching..."),
        _ => {
            t.log(world, &format!("               Attach Path: {root}"));
            t.log(world, &format!("        Attach ZFS Dataset: {ds}\n"));
            t.log(world, "                Installing: Using pre-existing data in zonepath");
        }
    }
    let gz_pubs = world.global.image.publishers.clone();
    if p == Platform::S11Express {
        t.log(
            world,
            &format!(
                "preferred global publisher: {}",
                gz_pubs.first().map(|x| x.name.as_str()).unwrap_or("")
            ),
        );
    }
    let zimg = pkgops::get(world, &ImageRef::Zone(zone.into()));
    if let Some(b) = world.global.image.entire {
        t.log(world, &format!("       Global zone version: {}", entire_fmri(p, b)));
    }
    if let Some(b) = zimg.as_ref().and_then(|i| i.entire) {
        let nl = if p == Platform::S11Express { "\n" } else { "" };
        t.log(world, &format!("   Non-Global zone version: {}{nl}", entire_fmri(p, b)));
    }
    let cache = if p == Platform::S11Express { "/var/pkg/download" } else { "/var/pkg/publisher" };
    t.log(world, &format!("                     Cache: Using {cache}."));
    t.log(world, "  Updating non-global zone: Output follows");
    // The publisher step (reference §5).
    let mut img = zimg.unwrap_or_else(|| world.global.image.clone());
    // s11express: an unreachable GZ publisher, even a disabled one, fails the step (field
    // notes). How b151 worded that failure is UNVERIFIED; it surfaces as the solve's catalog
    // refresh block in the log, then `ERROR: Could not update attaching zone`.
    let must_reach: Vec<Publisher> = if p == Platform::S11Express {
        pkgops::recreate_gz_publishers(&mut img, &gz_pubs);
        gz_pubs.iter().filter(|x| !x.enabled).cloned().collect()
    } else {
        // (`LC_ALL=C pkg copy-publishers-from /`, not through `lc_pkg -v`: no PKG: line.)
        pkgops::copy_publishers_from(&mut img, &gz_pubs);
        Vec::new()
    };
    pkgops::put(world, &ImageRef::Zone(zone.into()), img.clone());
    let (run, args) =
        update_image(world, zone, img.enabled_publishers(), must_reach, "install", update);
    t.pkg(world, &args, &run.out);
    t.failed = run.failed;
    t.blockers = run.blockers;
    match (update, run.out.code) {
        (Update::None, 4) => {
            t.log(world, "\n                    Result: Attach Succeeded.");
            t
        }
        (Update::None, _) => {
            let msg = format!(
                "                Evaluation: Packages in zone {zone} are out of sync with the global zone. To proceed, retry with the -u flag."
            );
            let msg = if p == Platform::S11Express { msg } else { format!("\n{msg}") };
            t.log(world, &msg);
            fail(world, t, Some(&ds))
        }
        (_, 0 | 4) => {
            if p == Platform::S11Express {
                t.log(world, "  Updating non-global zone: Zone updated.");
            } else {
                t.log(world, "\n  Updating non-global zone: Zone updated.");
            }
            t.log(world, "                    Result: Attach Succeeded.");
            t
        }
        _ => {
            t.error(world, "Could not update attaching zone");
            fail(world, t, Some(&ds))
        }
    }
}

/// The EXIT trap: put the ZBE back where detach left it, then `Result: Attach Failed.`
fn fail(world: &mut World, mut t: Transcript, ds: Option<&str>) -> Transcript {
    if let Some(ds) = ds {
        let root = world.zone(&ds_zone(world, ds)).map(|z| world.zoneroot(z)).unwrap_or_default();
        set(world, ds, "zoned", "off");
        set(world, ds, "canmount", "on");
        set(world, ds, "mountpoint", &root);
    }
    t.log(world, "                    Result: Attach Failed.");
    t.code = super::SUBPROC_NOTCOMPLETE;
    t
}

fn ds_zone(world: &World, ds: &str) -> String {
    crate::sim::files::zone_of_zbe(world, ds)
        .and_then(|i| world.zones.get(i))
        .map(|z| z.name.clone())
        .unwrap_or_default()
}
