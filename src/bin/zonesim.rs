//! zonesim: multi-call simulator of zoneadm, zonecfg, pkg, zfs, beadm, mount and zlogin.

fn main() {
    let code = zonerescue::sim::main(std::env::args_os().collect());
    std::process::exit(code);
}
