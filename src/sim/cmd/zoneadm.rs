//! `zoneadm` (reference §1): list, detach, attach, boot, halt, help.

use super::getopt;
use crate::sim::brand::{self, Update};
use crate::sim::faults;
use crate::sim::out::Output;
use crate::sim::platform::Platform;
use crate::sim::world::{World, ZoneState};

fn usage_text(platform: Platform) -> String {
    let boot = if platform == Platform::Solaris11 {
        "boot [-w|-W] [-- boot_arguments]"
    } else {
        "boot [-- boot_arguments]"
    };
    let mut subs = vec![
        "help".to_string(),
        boot.to_string(),
        "reboot [-- boot_arguments]".into(),
        "halt".into(),
        "ready".into(),
    ];
    if platform != Platform::S11Express {
        subs.push(if platform == Platform::Solaris11 {
            "shutdown [-r [-- boot_arguments]".into()
        } else {
            "shutdown [-r [-- boot_arguments]]".into()
        });
    }
    subs.extend(
        [
            "list [-cipv]",
            "verify",
            "install [brand-specific args]",
            "uninstall [-F] [brand-specific args]",
            "clone [-m method] [-s <ZFS snapshot>] [brand-specific args] zonename",
            "move zonepath",
            "detach [-n] [brand-specific args]",
            "attach [-F] [-n <path>] [brand-specific args]",
            "mark incomplete",
        ]
        .iter()
        .map(|s| s.to_string()),
    );
    let mut text = "usage:\tzoneadm help\n\tzoneadm [-z <zone>] [-u <uuid-match>] list\n\tzoneadm {-z <zone>|-u <uuid-match>} <subcommand>\n\nSubcommands:\n\n".to_string();
    for s in subs {
        text.push_str(&s);
        text.push('\n');
    }
    text
}

fn usage(platform: Platform) -> Output {
    Output::fail(2, usage_text(platform))
}

const ATTACH_HELP: &str = "usage:\tattach [-F] [-n <path>] [brand-specific args]\n\tAttach the zone to the system.  The zone state must be 'configured'\n\tprior to attach; upon successful completion, the zone state will be\n\t'installed'.  The system software on the current system must be\n\tcompatible with the software on the zone's original system.\n\tSpecify -F to force the attach and skip software compatibility tests.\n\tThe -n option can be used to specify 'no-execute' mode.  When -n is\n\tused, the information needed to attach the zone is read from the\n\tspecified path and the configuration is only validated.  The path can\n\tbe '-' to specify standard input.  The -F and -n options are mutually\n\texclusive.  All other arguments are passed to the brand attach\n\tfunction; see brands(5) for more information.\n";

/// Subcommands that change a zone's state, and so take zoneadm's lock on the zone.
pub const STATE_CHANGING: [&str; 8] =
    ["detach", "attach", "boot", "halt", "reboot", "ready", "shutdown", "mark"];

/// zoneadm's refusal while another zoneadm works on the zone.
pub fn zone_busy(zone: &str) -> Output {
    Output::fail(1, zerr(zone, "another zoneadm may have an operation in progress."))
}

fn zerr(zone: &str, msg: &str) -> String {
    format!("zoneadm: zone '{zone}': {msg}")
}

pub fn run(world: &mut World, args: &[String]) -> Output {
    let p = world.platform;
    let mut zone: Option<String> = None;
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "-z" | "-u" | "-R" => {
                let Some(v) = args.get(i + 1) else { return usage(p) };
                if args[i] == "-z" {
                    zone = Some(v.clone());
                } else if args[i] == "-u" {
                    zone = world
                        .zones
                        .iter()
                        .find(|z| &z.uuid == v)
                        .map(|z| z.name.clone())
                        .or(Some(v.clone()));
                }
                i += 2;
            }
            a if a.starts_with("-z") && a.len() > 2 => {
                zone = Some(a[2..].to_string());
                i += 1;
            }
            "-?" => return usage(p),
            a if a.starts_with('-') => return usage(p),
            _ => break,
        }
    }
    let sub = args.get(i).map(String::as_str).unwrap_or("list");
    let rest = args.get(i + 1..).unwrap_or(&[]);
    if sub == "help" {
        let mut out = Output::ok();
        out.stdout = usage_text(p);
        return out;
    }
    if let Some(z) = &zone
        && z != "global"
        && world.zone(z).is_none()
    {
        return Output::fail(1, format!("zoneadm: {z}: No such zone configured"));
    }
    if sub == "list" {
        return list(world, zone.as_deref(), rest);
    }
    let Some(zone) = zone else {
        return Output::fail(2, format!("zoneadm: no zone specified\n{}", usage_text(p)));
    };
    if zone == "global" {
        return Output::fail(
            1,
            zerr(&zone, &format!("{sub} operation is invalid for the global zone.")),
        );
    }
    let known =
        ["detach", "attach", "boot", "halt", "reboot", "ready", "shutdown", "verify", "mark"];
    if !known.contains(&sub) {
        return usage(p);
    }
    if sub != "verify" && faults::take_kind(world, "zoneadm-locked", Some(&zone)) {
        return zone_busy(&zone);
    }
    match sub {
        "detach" => detach(world, &zone, rest),
        "attach" => attach(world, &zone, rest),
        "boot" | "reboot" | "ready" => boot(world, &zone, sub),
        "halt" | "shutdown" => halt(world, &zone, sub),
        "verify" => Output::ok(),
        _ => mark(world, &zone, rest),
    }
}

fn state(world: &World, zone: &str) -> ZoneState {
    world.zone(zone).map(|z| z.state).unwrap_or(ZoneState::Configured)
}

fn set_state(world: &mut World, zone: &str, s: ZoneState) {
    if let Some(i) = world.zone_index(zone) {
        world.zones[i].state = s;
    }
}

fn list(world: &World, zone: Option<&str>, rest: &[String]) -> Output {
    let p = world.platform;
    let short = if p == Platform::Solaris11 { "cipvd" } else { "cipv" };
    let opts = match getopt::parse(rest, short, &[], false) {
        Ok(o) => o,
        Err(_) => return usage(p),
    };
    let prefix = |m: &str| match zone {
        Some(z) => zerr(z, m),
        None => format!("zoneadm: {m}"),
    };
    if opts.has("p") && opts.has("v") {
        return Output::fail(1, prefix("list -p and -v are mutually exclusive."));
    }
    if zone.is_some() && (opts.has("c") || opts.has("i")) {
        return Output::fail(1, prefix("-c and -i may not be used with -z."));
    }
    let gz_brand = if p == Platform::Solaris11 { "solaris" } else { "ipkg" }; // UNVERIFIED (§1.5)
    struct Row {
        id: String,
        name: String,
        state: String,
        path: String,
        uuid: String,
        brand: String,
        ip: String,
    }
    let mut rows = vec![Row {
        id: "0".into(),
        name: "global".into(),
        state: "running".into(),
        path: "/".into(),
        uuid: String::new(),
        brand: gz_brand.into(),
        ip: "shared".into(),
    }];
    let mut next_id = 0;
    for z in &world.zones {
        let running = z.state == ZoneState::Running;
        if running {
            next_id += 1;
        }
        let wanted = match zone {
            Some(name) => z.name == name,
            None if opts.has("c") => true,
            None if opts.has("i") => z.state != ZoneState::Configured,
            None => running,
        };
        if wanted {
            rows.push(Row {
                id: if running { next_id.to_string() } else { "-".into() },
                name: z.name.clone(),
                state: z.state.as_str().into(),
                path: world.zonepath(z),
                uuid: z.uuid.clone(),
                brand: z.brand.clone(),
                ip: z.ip_type.clone(),
            });
        }
    }
    if let Some(name) = zone
        && name != "global"
    {
        rows.retain(|r| r.name == name);
    } else if zone == Some("global") {
        rows.truncate(1);
    }
    let mut out = Output::ok();
    if opts.has("p") {
        for r in rows {
            let path = r.path.replace(':', "\\:");
            let base =
                format!("{}:{}:{}:{}:{}:{}:{}", r.id, r.name, r.state, path, r.uuid, r.brand, r.ip);
            out.line(match p {
                Platform::S11Express => base,
                Platform::OpenIndiana | Platform::OmniOS => format!("{base}:"),
                Platform::Solaris11 => {
                    format!("{base}:-:{}", if r.name == "global" { "none" } else { "" })
                }
            });
        }
    } else if opts.has("v") {
        out.line(format!(
            "{:>4} {:<16} {:<10} {:<30} {:<8} {:<6}",
            "ID", "NAME", "STATUS", "PATH", "BRAND", "IP"
        ));
        for r in rows {
            out.line(format!(
                "{:>4} {:<16} {:<10} {:<30} {:<8} {:<6}",
                r.id, r.name, r.state, r.path, r.brand, r.ip
            ));
        }
    } else {
        for r in rows {
            out.line(r.name);
        }
    }
    out
}

fn detach(world: &mut World, zone: &str, rest: &[String]) -> Output {
    let opts = match getopt::parse(rest, "Fn", &[], false) {
        Ok(o) => o,
        Err(_) => return Output::fail(2, "usage:\tdetach [-n] [brand-specific args]\n"),
    };
    match state(world, zone) {
        ZoneState::Configured | ZoneState::Incomplete => {
            return Output::fail(1, zerr(zone, "must be installed before detach."));
        }
        ZoneState::Running => {
            return Output::fail(1, zerr(zone, "detach operation is invalid for running zones."));
        }
        ZoneState::Installed => {}
    }
    if opts.has("F") {
        set_state(world, zone, ZoneState::Configured);
        return Output::ok();
    }
    let dry = opts.has("n");
    let brand = world.zone(zone).map(|z| z.brand.clone()).unwrap_or_default();
    let out = if brand == "solaris" {
        brand::solaris::detach(world, zone, dry)
    } else {
        brand::ipkg::detach(world, zone, dry)
    };
    if dry || out.code != 0 {
        let code = if out.code == 0 { 0 } else { 1 };
        return out.with_code(code);
    }
    let cost = world.costs.zone_bookkeeping;
    world.charge(cost);
    set_state(world, zone, ZoneState::Configured);
    out
}

/// zoneadm's own options (-F, -n path, and -X/-U forced update) are taken out; everything
/// else goes to the brand hook, whose getopt decides.
fn attach(world: &mut World, zone: &str, rest: &[String]) -> Output {
    let p = world.platform;
    let mut force = false;
    let mut forced_update = false;
    let mut dry_path: Option<String> = None;
    let mut brand_args: Vec<String> = Vec::new();
    let mut i = 0;
    while i < rest.len() {
        match rest[i].as_str() {
            "-F" => force = true,
            "-n" => {
                let Some(v) = rest.get(i + 1) else { return Output::fail(2, ATTACH_HELP) };
                dry_path = Some(v.clone());
                i += 1;
            }
            // The forced update: `-u` to the brand, and an incomplete zone may be attached.
            "-X" if p == Platform::Solaris11 => {
                forced_update = true;
                brand_args.push("-u".into());
            }
            "-U" if p.is_illumos() => {
                forced_update = true;
                brand_args.push("-u".into());
            }
            "-?" => return Output::fail(2, ATTACH_HELP),
            other => brand_args.push(other.to_string()),
        }
        i += 1;
    }
    if force && dry_path.is_some() {
        return Output::fail(2, zerr(zone, "-F and -n flags are mutually exclusive"));
    }
    let before = state(world, zone);
    match before {
        ZoneState::Installed => return Output::fail(1, zerr(zone, "is already installed.")),
        ZoneState::Running => {
            return Output::fail(1, zerr(zone, "attach operation is invalid for running zones."));
        }
        ZoneState::Incomplete if !forced_update => {
            return Output::fail(1, zerr(zone, "zone is incomplete; uninstall required."));
        }
        ZoneState::Incomplete | ZoneState::Configured => {}
    }
    if dry_path.is_some() {
        return Output::ok();
    }
    if force {
        set_state(world, zone, ZoneState::Installed);
        return Output::ok();
    }
    let brand = world.zone(zone).map(|z| z.brand.clone()).unwrap_or_default();
    let solaris = brand == "solaris";
    let short = if solaris { "a:c:d:n:Uuvz:" } else { "a:d:nr:u" };
    let parsed = match getopt::parse(&brand_args, short, &[], false) {
        Ok(o) if o.operands.is_empty() => o,
        _ => {
            let brand_usage = if solaris {
                "Usage:\n\t attach [-uv] [-a archive | -d directory | -z zbe] [-c profile.xml | dir]".to_string()
            } else {
                "attach [-a archive] [-d dataset] [-n] [-r zfs-recv] [-u]\n\tThe -a archive option specifies a tar file or cpio archive.\n\tThe -d dataset option specifies an existing dataset.\n\tThe -r zfs-recv option receives the output of a 'zfs send' command\n\tof an existing zone root dataset.\n\tThe -u option indicates that the software should be updated to match\n\tthe current host.".to_string()
            };
            return Output::fail(
                2,
                format!("\nbrand-specific usage: {brand_usage}\n{ATTACH_HELP}"),
            );
        }
    };
    if solaris && parsed.has("u") && parsed.has("U") {
        let mut out = Output::ok().with_code(1);
        out.line("ERROR: incompatible options -u and U");
        return out;
    }
    if parsed.has("n") {
        return Output::ok();
    }
    let update = if parsed.has("U") {
        Update::All
    } else if parsed.has("u") {
        Update::Min
    } else {
        Update::None
    };
    // Both brands mount the zone boot environment at the zone root for pkg (reference §2.5
    // step 5 `mount -F zfs`, §2.6 `mount_active_be`) and leave it there, failed or not; the
    // ipkg one only once it found a dataset mounted there (else it fails at that step).
    let found = world.zones.iter().find(|z| z.name == zone).is_some_and(|z| world.root_mounted(z));
    if let Some(z) = world.zones.iter_mut().find(|z| z.name == zone)
        && (solaris || found)
    {
        z.root_unmounted = false;
    }
    let transcript = if solaris {
        brand::solaris::attach(world, zone, update)
    } else {
        brand::ipkg::attach(world, zone, update)
    };
    let transcript_code = transcript.code;
    let ok = transcript_code == 0;
    let (out, _) = transcript.finish(world, zone);
    // A failed hook leaves the state as it was (reference §1.3 step 5): an incomplete zone
    // stays incomplete; Solaris 11's "partially succeeded" (252) sets configured.
    let failed_state = if before == ZoneState::Incomplete && transcript_code != 252 {
        ZoneState::Incomplete
    } else {
        ZoneState::Configured
    };
    set_state(world, zone, if ok { ZoneState::Installed } else { failed_state });
    out
}

fn boot(world: &mut World, zone: &str, sub: &str) -> Output {
    match state(world, zone) {
        ZoneState::Configured | ZoneState::Incomplete => {
            Output::fail(1, zerr(zone, &format!("must be installed before {sub}.")))
        }
        ZoneState::Running if sub != "reboot" => {
            Output::fail(1, zerr(zone, "zone is already running."))
        }
        _ => {
            // The brand mounts the zone's boot environment first: none to mount fails the
            // boot, the zone stays installed (fidelity pp F3). zoneadmd's wording of the
            // brand's error is derived, not observed.
            let brand = world.zone(zone).map(|z| z.brand.clone()).unwrap_or_default();
            if let Err(e) = brand::boot_dataset(world, zone, &brand) {
                return Output::fail(
                    1,
                    format!("zone '{zone}': ERROR: {e}\n{}", zerr(zone, "call to zoneadmd failed")),
                );
            }
            let cost = world.costs.zone_bookkeeping;
            world.charge(cost);
            set_state(world, zone, ZoneState::Running);
            Output::ok()
        }
    }
}

fn halt(world: &mut World, zone: &str, sub: &str) -> Output {
    match state(world, zone) {
        ZoneState::Running => {
            set_state(world, zone, ZoneState::Installed);
            Output::ok()
        }
        ZoneState::Installed => Output::ok(),
        _ => Output::fail(1, zerr(zone, &format!("must be installed before {sub}."))),
    }
}

fn mark(world: &mut World, zone: &str, rest: &[String]) -> Output {
    match rest.first().map(String::as_str) {
        Some("incomplete") => {
            set_state(world, zone, ZoneState::Incomplete);
            Output::ok()
        }
        _ => Output::fail(2, "usage:\tmark incomplete\n"),
    }
}
