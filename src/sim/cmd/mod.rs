//! One module per simulated command; each takes the world and its arguments (without argv[0])
//! and returns what it printed and its exit code.

pub mod beadm;
pub mod getopt;
pub mod mount;
pub mod pkg;
pub mod zfs;
pub mod zlogin;
pub mod zoneadm;
pub mod zonecfg;

use super::out::Output;
use super::world::World;

/// The command names zonesim answers to (through links in DIR/bin).
pub const COMMANDS: [&str; 7] = ["zoneadm", "zonecfg", "pkg", "zfs", "beadm", "mount", "zlogin"];

pub fn run(name: &str, world: &mut World, args: &[String]) -> Output {
    super::files::absorb_all(world);
    let out = match name {
        "zoneadm" => zoneadm::run(world, args),
        "zonecfg" => zonecfg::run(world, args),
        "pkg" => pkg::run(world, args),
        "zfs" => zfs::run(world, args),
        "beadm" => beadm::run(world, args),
        "mount" => mount::run(world, args),
        "zlogin" => zlogin::run(world, args),
        other => Output::fail(2, format!("zonesim: unknown command '{other}'")),
    };
    super::files::sync_all(world);
    out
}
