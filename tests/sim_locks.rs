//! Operation locks of the simulated host (src/sim/oplock.rs): while one pkg transaction runs
//! on an image, a second changing pkg on that image exits 7 at once with pkg's lock text, as a
//! real client does, instead of queueing behind it; the same for zoneadm on one zone.

mod sim_support;

use std::process::{Child, Command};
use std::time::{Duration, Instant};

use sim_support::Sim;

/// The scenario's own repository (setting it again is a harmless change).
const ORIGIN: &str = "http://pkg.oracle.com/solaris/release/";

/// `cmd args` started in the background, really sleeping its simulated cost at `speed`.
fn start(h: &Sim, cmd: &str, args: &[&str], speed: &str) -> Child {
    Command::new(h.dir.join("bin").join(cmd))
        .args(args)
        .env("LC_ALL", "C")
        .env("ZONESIM_SPEED", speed)
        .env_remove("ZONESIM_ROOT")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap()
}

/// Waits until the background command holds the world (it is really running).
fn running(h: &Sim) {
    let lock = std::fs::OpenOptions::new().write(true).open(h.dir.join("world.lock")).unwrap();
    let until = Instant::now() + Duration::from_secs(30);
    while Instant::now() < until {
        match lock.try_lock() {
            Err(std::fs::TryLockError::WouldBlock) => return,
            Ok(()) => lock.unlock().unwrap(),
            Err(e) => panic!("{e}"),
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    panic!("the background command never ran");
}

#[test]
fn a_second_pkg_on_a_busy_image_exits_7_at_once() {
    let h = Sim::new("s11express-minor-update");
    h.detach("db01");
    let root = h.root("db01");
    let before = h.run("pkg", &["-R", &root, "publisher", "-H", "-F", "tsv"]).stdout;
    // The update costs over a minute of simulated time: seconds at speed 20.
    let mut first = start(&h, "pkg", &["-R", &root, "update", "-v"], "20");
    running(&h);
    let second = h.run("pkg", &["-R", &root, "set-publisher", "-O", ORIGIN, "solaris"]);
    let still_running = first.try_wait().unwrap().is_none();
    assert_eq!(second.code, 7, "{}", second.stderr);
    assert!(
        second.stderr.contains("currently in use by another package client"),
        "{}",
        second.stderr
    );
    assert!(still_running, "refused while the first ran, not after it");
    assert!(first.wait().unwrap().success());
    assert_eq!(h.run("pkg", &["-R", &root, "publisher", "-H", "-F", "tsv"]).stdout, before);
    // The refusal is audited; once the first is done, the image is free again.
    let audit = std::fs::read_to_string(h.dir.join("audit.log")).unwrap();
    assert!(audit.lines().any(|l| l.contains("\"set-publisher\"") && l.contains("\"exit\":7")));
    let again = h.run("pkg", &["-R", &root, "set-publisher", "-O", ORIGIN, "solaris"]);
    assert_eq!(again.code, 0, "{}", again.stderr);
}

#[test]
fn a_second_zoneadm_on_a_busy_zone_is_refused() {
    let h = Sim::new("s11express-minor-update");
    h.detach("db01");
    let mut attach = start(&h, "zoneadm", &["-z", "db01", "attach", "-u"], "20");
    running(&h);
    let detach = h.run("zoneadm", &["-z", "db01", "detach"]);
    assert_eq!(detach.code, 1);
    assert!(
        detach.stderr.contains("another zoneadm may have an operation in progress"),
        "{}",
        detach.stderr
    );
    assert!(attach.wait().unwrap().success());
    assert_eq!(h.state("db01"), "installed");
    // Read-only commands are not refused (they wait for the world instead).
    assert_eq!(h.run("zoneadm", &["-z", "db01", "list", "-p"]).code, 0);
}
