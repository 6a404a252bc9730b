//! zonesim: the simulated Solaris/illumos host (see ../shared/docs/simulator.md).
//! Used only by the `zonesim` binary and `zonerescue demo`; recovery code never imports it.
//!
//! - [`scenario`]: scenario TOML files; [`world`]: the live model in DIR/world.json;
//!   [`store`]: locking and atomic saves; [`audit`]: DIR/audit.log (format documented there:
//!   JSON Lines `{"argv":[…],"exit":0,"cost_s":15,"clock_s":123}`).
//! - [`cmd`]: zoneadm, zonecfg, pkg, zfs, beadm, mount, zlogin; [`brand`]: the attach/detach
//!   hooks; [`solver`]: the package solve; [`pkgops`]: image operations; [`pkgfmt`]: pkg's
//!   output formats; [`platform`]: platforms and version syntax; [`clock`]: simulated time;
//!   [`faults`]: injected faults; [`files`]: real files under DIR; [`oracle`]: ground truth;
//!   [`oplock`]: pkg's image lock and zoneadm's zone lock while an operation runs.
//!
//! The world directory of a command is `$ZONESIM_ROOT`, else derived from argv[0]
//! (`DIR/bin/zoneadm` → DIR).

pub mod audit;
pub mod brand;
pub mod catalog;
pub mod clock;
pub mod cmd;
pub mod demo;
pub mod faults;
pub mod files;
pub mod live;
pub mod oplock;
pub mod oracle;
pub mod out;
pub mod pkgfmt;
pub mod pkgops;
pub mod platform;
pub mod scenario;
pub mod solver;
pub mod store;
pub mod world;

use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use scenario::Scenario;
use world::World;

/// Entry point of the `zonesim` multi-call binary; returns the process exit code.
pub fn main(args: Vec<OsString>) -> i32 {
    let args: Vec<String> = args.into_iter().map(|a| a.to_string_lossy().into_owned()).collect();
    let argv0 = args.first().cloned().unwrap_or_else(|| "zonesim".into());
    let name =
        Path::new(&argv0).file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let rest = args.get(1..).unwrap_or(&[]).to_vec();
    if cmd::COMMANDS.contains(&name.as_str()) {
        return match run_command(&argv0, &name, &rest) {
            Ok(code) => code,
            Err(e) => {
                eprintln!("{name}: zonesim: {e:#}");
                1
            }
        };
    }
    match rest.first().map(String::as_str) {
        Some("init") => cli(init_cmd(&rest[1..])),
        Some("show") => cli(show_cmd(&rest[1..])),
        Some("oracle") => cli(oracle_cmd(&rest[1..])),
        Some(c) if cmd::COMMANDS.contains(&c) => match run_command(&argv0, c, &rest[1..]) {
            Ok(code) => code,
            Err(e) => {
                eprintln!("{c}: zonesim: {e:#}");
                1
            }
        },
        _ => {
            eprintln!("{USAGE}");
            2
        }
    }
}

/// `println!` that ignores a closed stdout (e.g. `zonesim oracle … | head`).
macro_rules! say {
    ($($arg:tt)*) => {{
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

const USAGE: &str = "usage: zonesim init SCENARIO.toml DIR\n       zonesim show DIR [--json]\n       zonesim oracle SCENARIO.toml [--json]\n       zonesim COMMAND ARGS...   (or through the links in DIR/bin; world from $ZONESIM_ROOT)";

/// Errors of the zonesim subcommands: message and exit code 2.
fn cli(r: Result<i32>) -> i32 {
    match r {
        Ok(c) => c,
        Err(e) => {
            eprintln!("zonesim: {e:#}");
            2
        }
    }
}

/// `$ZONESIM_ROOT`, else `DIR` of `DIR/bin/<cmd>` (argv[0], or the PATH entry it came from).
fn world_dir(argv0: &str, name: &str) -> Result<PathBuf> {
    if let Some(root) = std::env::var_os("ZONESIM_ROOT").filter(|r| !r.is_empty()) {
        return Ok(PathBuf::from(root));
    }
    let candidates: Vec<PathBuf> = if argv0.contains('/') {
        vec![PathBuf::from(argv0)]
    } else {
        std::env::var_os("PATH")
            .map(|p| std::env::split_paths(&p).map(|d| d.join(name)).collect())
            .unwrap_or_default()
    };
    for c in candidates {
        if let Some(dir) = c.parent().and_then(Path::parent)
            && dir.join("world.json").is_file()
        {
            return Ok(dir.to_path_buf());
        }
    }
    bail!("no world: set ZONESIM_ROOT or run the command through DIR/bin/{name}")
}

fn run_command(argv0: &str, name: &str, args: &[String]) -> Result<i32> {
    let dir = world_dir(argv0, name)?;
    // pkg's image lock / zoneadm's zone lock of a running operation, before the world lock.
    let _operation = match oplock::claim(&dir, name, args)? {
        oplock::Claim::Held(lock) => lock,
        oplock::Claim::Busy(out) => return refused_while_busy(&dir, name, args, out),
    };
    let (store, mut world) = store::Store::open(&dir)?;
    world.cost_s = 0;
    let injected = faults::command(&mut world, name, args);
    let (store, mut world) = match injected.hang_s {
        Some(secs) => {
            // Save the fault counters and let other commands run while this one hangs.
            store.save(&world)?;
            drop(store);
            clock::sleep_scaled(secs);
            let (s, mut w) = store::Store::open(&dir)?;
            w.cost_s = secs;
            w.clock_s += secs;
            (s, w)
        }
        None => (store, world),
    };
    if injected.killed {
        let mut argv = vec![name.to_string()];
        argv.extend(args.iter().cloned());
        let entry = audit::AuditEntry {
            argv,
            exit: 128 + libc::SIGKILL,
            cost_s: world.cost_s,
            clock_s: world.clock_s,
        };
        store.save(&world)?;
        audit::append(&dir, &entry).context("cannot append to audit.log")?;
        // SAFETY: kill(2) on this very process; nothing is shared with another thread.
        unsafe { libc::kill(libc::getpid(), libc::SIGKILL) };
    }
    live::enable(name == "zoneadm" && clock::speed().is_some());
    let out = match injected.replace {
        Some((stdout, stderr, code)) => out::Output { stdout, stderr, code },
        None => cmd::run(name, &mut world, args),
    };
    store.save(&world)?;
    let mut argv = vec![name.to_string()];
    argv.extend(args.iter().cloned());
    audit::append(
        &dir,
        &audit::AuditEntry { argv, exit: out.code, cost_s: world.cost_s, clock_s: world.clock_s },
    )
    .context("cannot append to audit.log")?;
    drop(store);
    let rest = out.stdout.get(live::emitted()..).unwrap_or("");
    live::enable(false);
    let _ = std::io::stdout().write_all(rest.as_bytes());
    let _ = std::io::stdout().flush();
    let _ = std::io::stderr().write_all(out.stderr.as_bytes());
    if let Some(secs) = injected.linger_s {
        clock::sleep_scaled(secs);
    }
    Ok(out.code)
}

/// A command refused because another invocation holds its operation lock: audited with the
/// clock as last saved (read without the world lock, which the running command holds).
fn refused_while_busy(dir: &Path, name: &str, args: &[String], out: out::Output) -> Result<i32> {
    let clock_s = std::fs::read_to_string(dir.join("world.json"))
        .ok()
        .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
        .and_then(|w| w["clock_s"].as_u64())
        .unwrap_or(0);
    let mut argv = vec![name.to_string()];
    argv.extend(args.iter().cloned());
    audit::append(dir, &audit::AuditEntry { argv, exit: out.code, cost_s: 0, clock_s })
        .context("cannot append to audit.log")?;
    let _ = std::io::stdout().write_all(out.stdout.as_bytes());
    let _ = std::io::stderr().write_all(out.stderr.as_bytes());
    Ok(out.code)
}

/// `zonesim init SCENARIO DIR`: builds the world, links, and the real files.
pub fn init(scenario_path: &Path, dir: &Path) -> Result<World> {
    let scenario = Scenario::load(scenario_path)?;
    let exe = std::env::current_exe().context("cannot find the zonesim executable")?;
    init_with(&scenario, dir, &exe)
}

/// Builds the world of `scenario` in `dir`, with the command links pointing at `exe` (the
/// zonesim binary).
pub fn init_with(scenario: &Scenario, dir: &Path, exe: &Path) -> Result<World> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let dir = dir.canonicalize().with_context(|| format!("cannot resolve {}", dir.display()))?;
    if dir.join("world.json").exists() {
        bail!("{} already holds a world", dir.display());
    }
    let mut world = World::from_scenario(scenario, dir.clone());
    let exe = exe.canonicalize().unwrap_or_else(|_| exe.to_path_buf());
    for sub in ["bin", "var/tmp", "var/log/zones"] {
        std::fs::create_dir_all(dir.join(sub))?;
    }
    for c in cmd::COMMANDS {
        let link = dir.join("bin").join(c);
        let _ = std::fs::remove_file(&link);
        symlink(&exe, &link)?;
    }
    std::fs::write(dir.join("audit.log"), "")?;
    for z in world.zones.clone() {
        let root = PathBuf::from(world.zoneroot(&z));
        for sub in ["etc/svc", "var/svc", "var/log/zones", "usr/bin"] {
            std::fs::create_dir_all(root.join(sub))?;
        }
    }
    files::sync_all(&mut world);
    store::write_world(&dir, &world)?;
    Ok(world)
}

#[cfg(unix)]
fn symlink(target: &Path, link: &Path) -> Result<()> {
    std::os::unix::fs::symlink(target, link)
        .with_context(|| format!("cannot link {}", link.display()))
}

#[cfg(not(unix))]
fn symlink(target: &Path, link: &Path) -> Result<()> {
    std::fs::copy(target, link)
        .map(|_| ())
        .with_context(|| format!("cannot copy to {}", link.display()))
}

fn init_cmd(args: &[String]) -> Result<i32> {
    let [scenario, dir] = args else { bail!("usage: zonesim init SCENARIO.toml DIR") };
    let world = init(Path::new(scenario), Path::new(dir))?;
    say!(
        "zonesim: world '{}' ({}) ready in {}",
        world.name,
        world.platform.name(),
        world.root.display()
    );
    say!("try: PATH={}/bin:$PATH zoneadm list -cv", world.root.display());
    Ok(0)
}

fn show_publishers(publishers: &[world::Publisher]) {
    for p in publishers {
        say!(
            "  publisher {}{} {}",
            p.name,
            if p.enabled { "" } else { " (disabled)" },
            p.origins.join(" ")
        );
    }
}

fn show_cmd(args: &[String]) -> Result<i32> {
    let json = args.iter().any(|a| a == "--json");
    let Some(dir) = args.iter().find(|a| !a.starts_with("--")) else {
        bail!("usage: zonesim show DIR [--json]")
    };
    let (_store, world) = store::Store::open(Path::new(dir))?;
    if json {
        say!("{}", serde_json::to_string_pretty(&world)?);
        return Ok(0);
    }
    say!("world: {} ({}), clock {} s", world.name, world.platform.name(), world.clock_s);
    let gz = &world.global.image;
    say!(
        "global zone: BE {} ({}), entire build {}",
        world.global.be,
        world.global.be_uuid,
        gz.entire.unwrap_or(0)
    );
    show_publishers(&gz.publishers);
    for z in &world.zones {
        say!("zone {} [{}] {} at {}", z.name, z.brand, z.state.as_str(), world.zonepath(z));
        if let Some(ds) = world.current_zbe(z) {
            say!("  ZBE {ds}");
        }
        if let Some(img) = world.zone_image(z) {
            say!(
                "  entire build {}",
                img.entire.map(|b| b.to_string()).unwrap_or_else(|| "-".into())
            );
            show_publishers(&img.publishers);
            for p in &img.packages {
                say!("  package {} @{} ({})", p.name, p.build, p.publisher);
            }
        }
        let snaps: Vec<String> = world
            .datasets
            .iter()
            .filter(|d| d.name.starts_with(&z.dataset()))
            .flat_map(|d| d.snapshots.iter().map(move |s| format!("{}@{}", d.name, s.name)))
            .collect();
        for s in snaps {
            say!("  snapshot {s}");
        }
    }
    Ok(0)
}

fn oracle_cmd(args: &[String]) -> Result<i32> {
    let json = args.iter().any(|a| a == "--json");
    let Some(path) = args.iter().find(|a| !a.starts_with("--")) else {
        bail!("usage: zonesim oracle SCENARIO.toml [--json]")
    };
    let scenario = Scenario::load(Path::new(path))?;
    let verdicts = oracle::run(&scenario);
    if json {
        say!("{}", serde_json::to_string_pretty(&verdicts)?);
    } else {
        for v in &verdicts {
            if v.attachable && v.gentlest.is_empty() {
                say!("{}: {}", v.zone, v.reason.as_deref().unwrap_or("nothing to do"));
                continue;
            }
            if v.attachable {
                say!(
                    "{}: attachable; gentlest plan: {} ({} s simulated)",
                    v.zone,
                    v.gentlest.join(", "),
                    v.clock_s
                );
            } else if let Some(reason) = &v.reason {
                say!("{}: not attachable by zonerescue: {reason}", v.zone);
            } else {
                say!("{}: not attachable by any plan", v.zone);
            }
            say!(
                "  single strategies that work: {}",
                if v.singles.is_empty() { "none".into() } else { v.singles.join(", ") }
            );
        }
    }
    Ok(0)
}
