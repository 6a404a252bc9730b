//! The brand attach/detach hooks zoneadm runs (reference §2): ipkg (s11express, openindiana,
//! omnios) and solaris (solaris11).

pub mod ipkg;
pub mod solaris;

use std::path::PathBuf;

use super::clock;
use super::out::Output;
use super::pkgops::{self, ImageRef, InstallOpts, Target};
use super::platform::Platform;
use super::solver::Step;
use super::world::{Publisher, World};

/// Brand hook exit codes (`sys/zone.h`).
pub const SUBPROC_OK: i32 = 0;
pub const SUBPROC_USAGE: i32 = 253;
pub const SUBPROC_NOTCOMPLETE: i32 = 254;
pub const SUBPROC_FATAL: i32 = 255;

/// What a brand hook wrote: terminal (stdout), the attach log, and its exit code.
pub struct Transcript {
    pub platform: Platform,
    pub terminal: String,
    pub log: String,
    pub log_path: Option<PathBuf>,
    pub code: i32,
    /// Oracle runs never write to the terminal.
    platform_pure: bool,
    /// The solve's first failing step and blockers when the update failed (oracle).
    pub failed: Option<Step>,
    pub blockers: Vec<String>,
}

impl Transcript {
    pub fn new(world: &World) -> Transcript {
        Transcript {
            platform: world.platform,
            platform_pure: world.pure,
            terminal: String::new(),
            log: String::new(),
            log_path: None,
            code: 0,
            failed: None,
            blockers: Vec::new(),
        }
    }

    /// Messages only go to the log on OmniOS (its log.ksh override, reference §2.0).
    fn log_only(&self) -> bool {
        self.platform == Platform::OmniOS
    }

    /// `log`: stdout, plus a `[date] ` copy in the log file once it exists.
    pub fn log(&mut self, world: &World, msg: &str) {
        if !self.log_only() {
            self.term(&format!("{msg}\n"));
        }
        if self.log_path.is_some() {
            self.log.push_str(&format!("[{}] {msg}\n", clock::date(world.clock_s)));
        }
    }

    /// Text for the terminal (written at once in live mode).
    pub fn term(&mut self, text: &str) {
        if !self.platform_pure {
            super::live::emit(text);
        }
        self.terminal.push_str(text);
    }

    /// `vlog`: only the log file.
    pub fn vlog(&mut self, world: &World, msg: &str) {
        if self.log_path.is_some() {
            self.log.push_str(&format!("[{}] {msg}\n", clock::date(world.clock_s)));
        }
    }

    /// `error`: `ERROR: ` on stdout (not stderr) and in the log.
    pub fn error(&mut self, world: &World, msg: &str) {
        self.log(world, &format!("ERROR: {msg}"));
    }

    /// A pkg invocation: its stdout reaches the terminal, its stderr only the log.
    pub fn pkg(&mut self, world: &World, args: &str, out: &Output) {
        if self.platform == Platform::OmniOS {
            // lc_pkg -v: `PKG: <args>` to stderr, i.e. the log.
            self.log.push_str(&format!("PKG: {args}\n"));
        }
        let _ = world;
        self.term(&out.stdout);
        self.log.push_str(&out.stderr);
    }

    /// Writes the log file (honouring the attach-log faults) and returns zoneadm's output.
    pub fn finish(self, world: &mut World, zone: &str) -> (Output, Transcript) {
        if let Some(path) = &self.log_path
            && !world.pure
        {
            if let Some(parent) = path.parent() {
                let _ = std::fs::create_dir_all(parent);
            }
            let _ = std::fs::write(path, &self.log);
            // As the real ones, whatever the umask: mktemp's 0600 in /var/tmp, the solaris
            // brand's 0644 in /var/log/zones.
            let in_var_tmp = path.parent().is_some_and(|d| d.ends_with("var/tmp"));
            set_mode(path, if in_var_tmp { 0o600 } else { 0o644 });
            if super::faults::take_kind(world, "attach-log-missing", Some(zone)) {
                let _ = std::fs::remove_file(path);
            } else if super::faults::take_kind(world, "attach-log-unreadable", Some(zone)) {
                set_mode(path, 0o000);
            }
        }
        let out = Output {
            stdout: self.terminal.clone(),
            stderr: String::new(),
            code: if self.code == 0 { 0 } else { 1 },
        };
        (out, self)
    }
}

#[cfg(unix)]
fn set_mode(path: &std::path::Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode));
}

#[cfg(not(unix))]
fn set_mode(_path: &std::path::Path, _mode: u32) {}

/// `mktemp -t -p /var/tmp <zone>.attach_log.XXXXXX` under DIR: six stable pseudo-random chars.
/// The boot environment a boot of `zone` mounts: ipkg's `get_active_ds`; the solaris brand's
/// is one of the zone's ZBEs (none: "Zone has no boot environments").
pub fn boot_dataset(world: &World, zone: &str, brand: &str) -> Result<String, &'static str> {
    if brand != "solaris" {
        return ipkg::active_ds(world, zone);
    }
    let z = world.zone(zone).ok_or("Zone has no boot environments")?;
    world.zbes(z).first().map(|d| d.name.clone()).ok_or("Zone has no boot environments")
}

pub fn mktemp_log(world: &mut World, zone: &str) -> PathBuf {
    const CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut n = world.next_seq().wrapping_mul(2_654_435_761).wrapping_add(0x9e37_79b9);
    let mut suffix = String::new();
    for _ in 0..6 {
        suffix.push(CHARS[(n % CHARS.len() as u64) as usize] as char);
        n /= CHARS.len() as u64;
        n = n.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407) >> 3;
    }
    world.root.join("var/tmp").join(format!("{zone}.attach_log.{suffix}"))
}

/// How the attach should update the zone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Update {
    /// No `-u`: only check that the zone is in sync.
    None,
    /// `-u`: move to the GZ's `entire`.
    Min,
    /// `-U` (S11: `pkg update`; illumos: same as -u).
    All,
}

/// Runs the zone image's update for attach: the publisher step is already done; solves
/// `entire@<GZ build>` with `pubs` (and `must_reach` refreshed as well).
pub fn update_image(
    world: &mut World,
    zone: &str,
    pubs: Vec<Publisher>,
    must_reach: Vec<Publisher>,
    op: &str,
    update: Update,
) -> (pkgops::InstallRun, String) {
    let gz = world.global.image.entire.unwrap_or(0);
    let root = world.zone(zone).map(|z| world.zoneroot(z)).unwrap_or_default();
    let dry = update == Update::None;
    let o = InstallOpts {
        verbose: false,
        dry_run: dry,
        no_refresh: false,
        pubs: Some(pubs),
        must_reach,
        op: op.to_string(),
        rejects: Vec::new(),
    };
    // -U (S11 `pkg update`) is still held to the parent image's (GZ's) build.
    let target = Target::Entire(gz);
    // `install --accept --no-refresh [-n] $incorp_list`, the list being the GZ's `entire` as
    // the `Global zone version:` line prints it (reference §2.5 steps 9, 15, 16).
    let args = format!(
        "install --accept --no-refresh {}{}",
        if dry { "-n " } else { "" },
        entire_fmri(world.platform, gz)
    );
    let cost = world.costs.zone_bookkeeping;
    world.charge(cost);
    (pkgops::install(world, &ImageRef::Zone(zone.to_string()), &root, target, &o), args)
}

/// `entire@<version>` as the brand's get_pkg_fmri/get_entire_incorp prints it.
pub fn entire_fmri(platform: Platform, build: u32) -> String {
    format!("entire@{}", platform.info_version(build))
}
