//! `mount -p` (reference §4.3): vfstab-style lines; an ipkg ZBE left mounted at
//! `<zonepath>/root` by detach shows up here.

use crate::sim::out::Output;
use crate::sim::world::{World, ZoneState};

pub fn run(world: &mut World, args: &[String]) -> Output {
    if args.first().map(String::as_str) != Some("-p") {
        return Output::fail(2, "Usage: mount [-v | -p]\n");
    }
    let opts = "rw,devices,setuid,nonbmand,exec,xattr,atime";
    let mut out = Output::ok();
    out.line(format!("rpool/ROOT/{} - / zfs - no {opts}", world.global.be));
    out.line("/devices - /devices devfs - no ");
    out.line("swap - /tmp tmpfs - no xattr");
    for z in &world.zones {
        let root = world.zoneroot(z);
        for d in world.zbes(z) {
            let detached_mount = d.props.get("mountpoint") == Some(&root)
                && d.props.get("canmount").map(String::as_str) == Some("on");
            let running = z.state == ZoneState::Running
                && world.current_zbe(z).as_deref() == Some(d.name.as_str());
            if detached_mount || running {
                out.line(format!("{} - {root} zfs - no {opts}", d.name));
            }
        }
    }
    out
}
