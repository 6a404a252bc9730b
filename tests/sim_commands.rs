//! zonesim commands driven as processes through DIR/bin, compared with the reference formats.

mod sim_support;

use sim_support::{Sim, scenario};
use zonerescue::sim::audit;
use zonerescue::sim::platform::Platform;

#[test]
fn zoneadm_list_cv_and_cp_per_platform() {
    let sim = Sim::new("s11express-minor-update");
    let zp = format!("{}/zones/db01", sim.d());
    let cv = sim.run("zoneadm", &["list", "-cv"]);
    assert_eq!(
        cv.out_lines(),
        [
            "  ID NAME             STATUS     PATH                           BRAND    IP    "
                .to_string(),
            "   0 global           running    /                              ipkg     shared"
                .to_string(),
            format!("   - db01             installed  {zp:<30} ipkg     excl  "),
        ]
    );
    let cp = sim.run("zoneadm", &["list", "-cp"]);
    assert_eq!(
        cp.out_lines(),
        [
            "0:global:running:/::ipkg:shared".to_string(),
            format!("-:db01:installed:{zp}:2f1c7a5d-0000-4000-8000-000000000001:ipkg:excl")
        ]
    );
    // Default list: running zones only.
    assert_eq!(sim.run("zoneadm", &["list"]).out_lines(), ["global"]);
    let oi = Sim::new("openindiana-disabled-gz-publisher");
    let cp = oi.run("zoneadm", &["list", "-cp"]);
    assert_eq!(
        cp.out_lines()[1],
        format!(
            "-:www01:installed:{}/zones/www01:2f1c7a5d-0000-4000-8000-000000000001:ipkg:excl:",
            oi.d()
        )
    );
    let s11 = Sim::new("solaris11-image-update");
    let cp = s11.run("zoneadm", &["list", "-cp"]);
    assert_eq!(
        cp.out_lines(),
        [
            "0:global:running:/::solaris:shared:-:none".to_string(),
            format!(
                "-:php11:installed:{}/zones/php11:2f1c7a5d-0000-4000-8000-000000000001:solaris:excl:-:",
                s11.d()
            )
        ]
    );
    let r = s11.run("zoneadm", &["list", "-pv"]);
    assert_eq!(
        (r.code, r.stderr.as_str()),
        (1, "zoneadm: list -p and -v are mutually exclusive.\n")
    );
}

#[test]
fn zonecfg_info_and_beadm_list_h() {
    let sim = Sim::new("s11express-b111-web");
    let r = sim.run("zonecfg", &["-z", "web01", "info", "zonepath"]);
    assert_eq!(r.stdout, format!("zonepath: {}/zones/web01\n", sim.d()));
    assert_eq!(sim.run("zonecfg", &["-z", "web01", "info", "brand"]).stdout, "brand: ipkg\n");
    let r = sim.run("beadm", &["list", "-H"]);
    let fields: Vec<&str> = r.stdout.trim_end().split(';').collect();
    assert_eq!(
        fields[..6],
        ["solaris-1", "0c2f6d3e-2b7c-4a55-b6a5-6d0f8f2f9a11", "NR", "/", "4306247680", "static"]
    );
    assert!(fields[6].parse::<u64>().is_ok());
}

#[test]
fn pkg_publisher_old_table_and_tsv_on_s11express() {
    let sim = Sim::new("s11express-b111-web");
    let t = sim.run("pkg", &["publisher"]);
    assert_eq!(
        t.out_lines(),
        [
            "PUBLISHER                             TYPE     STATUS   URI",
            "solaris                  (preferred)  origin   online   http://pkg.oracle.com/solaris/release/",
            "extra                    (disabled)   origin   online   http://pkg.example.net/extra/",
        ]
    );
    let tsv = sim.run("pkg", &["publisher", "-H", "-F", "tsv"]);
    assert_eq!(
        tsv.out_lines(),
        [
            "solaris\ttrue\ttrue\ttrue\torigin\tonline\thttp://pkg.oracle.com/solaris/release/",
            "extra\ttrue\tfalse\tfalse\torigin\tonline\thttp://pkg.example.net/extra/"
        ]
    );
    assert_eq!(sim.run("pkg", &["publisher", "-H", "-n", "-F", "tsv"]).out_lines().len(), 1);
    let detail = sim.run("pkg", &["publisher", "extra"]);
    assert_eq!(
        detail.out_lines()[..4],
        [
            "",
            "            Publisher: extra",
            "                Alias:",
            "           Origin URI: http://pkg.example.net/extra/"
        ]
    );
    assert!(detail.out_lines().contains(&"              Enabled: No"));
    let unknown = sim.run("pkg", &["publisher", "nope"]);
    assert_eq!(
        (unknown.code, unknown.stderr.as_str()),
        (1, "pkg publisher: Unknown publisher 'nope'.\n")
    );
    let r = sim.run("pkg", &["-R", "/nowhere", "list"]);
    assert_eq!((r.code, r.stderr.as_str()), (1, "pkg: No image rooted at '/nowhere'\n"));
}

/// §3.3: the table's STATUS column describes the origin, which `set-publisher --disable`
/// leaves untouched (`online`); the publisher's state is the `(disabled)` attribute. The
/// product's table parser still reads the publisher as disabled and its origin as enabled.
#[test]
fn pkg_publisher_current_table_status_is_the_origins() {
    use zonerescue::commands::pkg::parse_publisher_table;
    let sim = Sim::new("openindiana-disabled-gz-publisher");
    let t = sim.run("pkg", &["publisher"]);
    assert_eq!(
        t.out_lines(),
        [
            "PUBLISHER                   TYPE     STATUS P LOCATION",
            "openindiana.org              origin   online F http://pkg.openindiana.org/dev/",
            "contrib        (disabled)   origin   online F http://pkg.example.org/contrib/",
        ]
    );
    assert_eq!(sim.run("pkg", &["set-publisher", "--disable", "openindiana.org"]).code, 0);
    let t = sim.run("pkg", &["publisher", "-H"]);
    assert_eq!(
        t.out_lines(),
        [
            "openindiana.org (disabled)   origin   online F http://pkg.openindiana.org/dev/",
            "contrib        (disabled)   origin   online F http://pkg.example.org/contrib/",
        ]
    );
    // The tsv keeps the ENABLED quirk: `true` on origin rows.
    let tsv = sim.run("pkg", &["publisher", "-H", "-F", "tsv"]);
    assert_eq!(
        tsv.out_lines()[0],
        "openindiana.org\ttrue\tfalse\ttrue\torigin\tonline\thttp://pkg.openindiana.org/dev/\t-"
    );
    let pubs = parse_publisher_table(&t.stdout).unwrap();
    assert!(pubs.iter().all(|p| !p.enabled), "{pubs:?}");
    assert!(pubs.iter().all(|p| p.origins.iter().all(|o| o.enabled)), "{pubs:?}");
    // Old (b151) layout: STATUS is always `online`, `(disabled)` in attrs.
    let old = Sim::new("s11express-b111-web");
    assert_eq!(old.run("pkg", &["set-publisher", "--disable", "solaris"]).code, 0);
    assert_eq!(
        old.run("pkg", &["publisher", "-H"]).out_lines(),
        [
            "solaris                  (preferred, disabled) origin   online   http://pkg.oracle.com/solaris/release/",
            "extra                    (disabled)   origin   online   http://pkg.example.net/extra/",
        ]
    );
}

/// `pkg -R ZONEROOT ARGS…` on `zone`'s image.
fn zone_pkg(sim: &Sim, zone: &str, args: &[&str]) -> sim_support::Run {
    let root = sim.root(zone);
    let mut a = vec!["-R", root.as_str()];
    a.extend_from_slice(args);
    sim.run("pkg", &a)
}

/// Enabling a disabled publisher again refreshes its catalog unless `--no-refresh` (the image
/// holds none for it); when the refresh fails, pkg restores the publisher as it was, still
/// disabled, and exits 1 (oracle/solaris-ips `api.py` `update_publisher`: `need_refresh`,
/// `cleanup()`). Before, the simulated enable never refreshed and always succeeded.
#[test]
fn pkg_set_publisher_enable_refreshes_and_a_failed_refresh_keeps_it_disabled() {
    let sim = Sim::from_file(&sim_support::world("omnios-gz-publishers-reenabled-in-zone"));
    let pkg = |args: &[&str]| zone_pkg(&sim, "web2", args);
    let disabled = |name: &str| {
        pkg(&["publisher", "-H"])
            .stdout
            .lines()
            .any(|l| l.starts_with(name) && l.contains("(disabled)"))
    };
    for name in ["site", "ooce"] {
        assert_eq!(pkg(&["set-publisher", "--disable", name]).code, 0);
    }
    // site's repository does not answer: the enable fails and changes nothing.
    let r = pkg(&["set-publisher", "--enable", "site"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(
        r.stderr.starts_with("\npkg set-publisher: Could not refresh the catalog for site\n"),
        "{}",
        r.stderr
    );
    assert!(disabled("site"));
    // ooce's answers.
    let r = pkg(&["set-publisher", "--enable", "ooce"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!disabled("ooce"));
    // --no-refresh enables without asking the repository.
    assert_eq!(pkg(&["set-publisher", "--enable", "--no-refresh", "site"]).code, 0);
    assert!(!disabled("site"));
}

/// Publisher properties (reference §3.4 `--set-property`, `--add-property-value`, …): shown by
/// `pkg publisher NAME` (`signature-policy = verify` unless set), lost with the publisher by
/// `unset-publisher`. Before, zonesim refused the options and always showed `verify`, so no
/// test could see a restore lose them.
#[test]
fn pkg_publisher_properties_are_set_shown_and_lost_by_unset() {
    let sim =
        Sim::from_file(&sim_support::world("s11express-gz-support-publisher-with-proxy-and-ssl"));
    let pkg = |args: &[&str]| sim.run("pkg", args);
    let props = |name: &str| -> Vec<String> {
        let out = pkg(&["publisher", name]).stdout;
        out.lines()
            .skip_while(|l| !l.ends_with("Properties:"))
            .skip(1)
            .map(|l| l.trim().to_string())
            .collect()
    };
    assert_eq!(
        props("support"),
        [
            "signature-policy = require-names",
            "signature-required-names = ['support.example.com', 'build.example.com']"
        ]
    );
    assert_eq!(props("solaris"), ["signature-policy = verify"]);
    let r = pkg(&["set-publisher", "--set-property", "signature-policy=bogus", "solaris"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    for args in [
        ["--set-property", "signature-policy=require-names"],
        ["--add-property-value", "signature-required-names=a"],
        ["--add-property-value", "signature-required-names=b"],
        ["--remove-property-value", "signature-required-names=a"],
    ] {
        let r = pkg(&[&["set-publisher"], &args[..], &["--no-refresh", "solaris"]].concat());
        assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
    }
    assert_eq!(
        props("solaris"),
        ["signature-policy = require-names", "signature-required-names = ['b']"]
    );
    assert_eq!(pkg(&["unset-publisher", "support"]).code, 0);
    let readd =
        ["set-publisher", "-g", "https://pkg.example.com/support/", "--no-refresh", "support"];
    assert_eq!(pkg(&readd).code, 0);
    assert_eq!(props("support"), ["signature-policy = verify"]);
}

/// A new origin whose refresh fails is not kept: pkg puts the publisher back with its old
/// origins (`update_publisher`'s `cleanup()`). Before, the simulator saved the dead origin.
#[test]
fn pkg_set_publisher_origin_whose_refresh_fails_keeps_the_old_origin() {
    let sim = Sim::from_file(&sim_support::world("omnios-gz-publishers-reenabled-in-zone"));
    let pkg = |args: &[&str]| zone_pkg(&sim, "web2", args);
    let origins = |name: &str| {
        pkg(&["publisher", "-H", "-F", "tsv"])
            .stdout
            .lines()
            .filter(|l| l.split('\t').next() == Some(name))
            .map(|l| l.split('\t').nth(6).unwrap_or("").to_string())
            .collect::<Vec<_>>()
    };
    let before = origins("omnios");
    assert_eq!(before, ["https://pkg.omnios.org/r151046/core/"]);
    let r = pkg(&["set-publisher", "-O", "http://depot.corp.example:10000/", "omnios"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(r.stderr.contains("Could not refresh the catalog for omnios"), "{}", r.stderr);
    assert_eq!(origins("omnios"), before);
    // One that answers is kept.
    let r = pkg(&["set-publisher", "-O", "https://pkg.omnios.org/r151054/core/", "omnios"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(origins("omnios"), ["https://pkg.omnios.org/r151054/core/"]);
}

#[test]
fn pkg_list_info_variant_on_a_zone_root() {
    let sim = Sim::new("s11express-b111-web");
    let root = sim.root("web01");
    let r = sim.run("pkg", &["-R", &root, "list", "-H"]);
    assert_eq!(
        r.out_lines()[0],
        format!("{:<45} {:<15} {:<10} -----", "SUNWapch22", "0.5.11-0.111", "installed")
    );
    assert_eq!(r.out_lines().len(), 5);
    let v = sim.run("pkg", &["-R", &root, "variant", "-H", "variant.opensolaris.zone"]);
    assert_eq!(v.stdout, "variant.opensolaris.zone nonglobal\n");
    let oi = Sim::new("openindiana-zone-internal-repo");
    let v = oi.run("pkg", &["-R", &oi.root("app01"), "variant", "-H", "variant.opensolaris.zone"]);
    assert_eq!(v.stdout, "opensolaris.zone nonglobal\n");
    // Fidelity ww F4: Oracle's Solaris 11 pkg prints the full name, which its attach requires.
    let s11 = Sim::new("solaris11-image-update");
    let v =
        s11.run("pkg", &["-R", &s11.root("php11"), "variant", "-H", "variant.opensolaris.zone"]);
    assert_eq!(v.stdout, "variant.opensolaris.zone nonglobal\n");
    // Fidelity ww F3: `entire` is uninstalled like any package (the OI attach does it when the
    // global zone has none), not "matches no installed packages".
    let oi_root = oi.root("app01");
    let dry = oi.run("pkg", &["-R", &oi_root, "uninstall", "-nv", "entire"]);
    assert_eq!(dry.code, 0, "{}", dry.stderr);
    let gone = oi.run("pkg", &["-R", &oi_root, "uninstall", "entire"]);
    assert_eq!(gone.code, 0, "{}", gone.stderr);
    let listed = oi.run("pkg", &["-R", &oi_root, "list", "-H", "entire"]);
    assert_ne!(listed.code, 0, "{}", listed.stdout);
    let info = oi.run("pkg", &["info", "entire"]);
    let fmri = info
        .out_lines()
        .into_iter()
        .find(|l| l.trim_start().starts_with("FMRI:"))
        .unwrap()
        .trim_start()
        .to_string();
    assert_eq!(
        fmri,
        format!("FMRI: pkg://openindiana.org/entire@{}", Platform::OpenIndiana.info_version(151))
    );
    assert!(!fmri.contains(",5.11"), "current clients print the FMRI without the build release");
}

#[test]
fn solver_failure_prints_reject_reason_block() {
    let sim = Sim::new("omnios-postgres-removed");
    let root = sim.root("pg01");
    sim.run(
        "pkg",
        &["-R", &root, "set-publisher", "-O", "https://pkg.omnios.org/r151054/core/", "omnios"],
    );
    let r = sim.run("pkg", &["-R", &root, "install", "-nv", "entire@11-151054.0"]);
    assert_eq!(r.code, 1);
    assert_eq!(
        r.stderr,
        "\npkg install: No matching version of entire can be installed:\n  Reject:  pkg://omnios/entire@11-151054.0\n  Reason:  Package contains 'exclude' dependency pkg:/database/postgresql-12@11-151046.0 on installed package\n  Reason:  Package contains 'exclude' dependency pkg:/database/postgresql-12/contrib@11-151046.0 on installed package\n"
    );
    // Uninstalling only the base package is refused because contrib depends on it.
    let u = sim.run("pkg", &["-R", &root, "uninstall", "-nv", "database/postgresql-12"]);
    assert_eq!(u.code, 1);
    assert!(u.stderr.starts_with("\npkg uninstall: Unable to remove 'pkg://omnios/database/postgresql-12@11,5.11-151046.0:"), "{}", u.stderr);
    assert!(u.stderr.contains(" due to the following packages that depend on it:\n  pkg://omnios/database/postgresql-12/contrib@"));
    let u = sim.run(
        "pkg",
        &["-R", &root, "uninstall", "database/postgresql-12/contrib", "database/postgresql-12"],
    );
    assert_eq!(u.code, 0, "{}", u.stderr);
    let r = sim.run("pkg", &["-R", &root, "install", "entire@11-151054.0"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let again = sim.run("pkg", &["-R", &root, "install", "entire@11-151054.0"]);
    assert_eq!((again.code, again.stdout.as_str()), (4, "No updates necessary for this image.\n"));
}

#[test]
fn b151_uninstall_r_removes_dependents_recursively() {
    let text = std::fs::read_to_string(scenario("s11express-minor-update"))
        .unwrap()
        .replace(
            "[[zones]]",
            "[[packages]]\nname = \"lib/a\"\nkind = \"app\"\n\n[[packages]]\nname = \"app/b\"\nkind = \"app\"\ndepends = [\"lib/a\"]\n\n[[zones]]",
        )
        .replace("packages = [\"SUNWcs\", \"system/library\"]", "packages = [\"SUNWcs\", \"system/library\", \"lib/a\", \"app/b\"]");
    let sim = Sim::from_text(&text);
    let root = sim.root("db01");
    assert_eq!(sim.run("pkg", &["-R", &root, "uninstall", "lib/a"]).code, 1);
    let r = sim.run("pkg", &["-R", &root, "uninstall", "-r", "lib/a"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let list = sim.run("pkg", &["-R", &root, "list", "-H"]).stdout;
    assert!(!list.contains("lib/a") && !list.contains("app/b"));
}

#[test]
fn catalog_refresh_failure() {
    let sim = Sim::new("openindiana-zone-internal-repo");
    let r = sim.run("pkg", &["-R", &sim.root("app01"), "refresh", "--full"]);
    assert_eq!(r.code, 3, "one of two publishers failed");
    assert_eq!(
        r.stderr,
        "pkg: 1/2 catalogs successfully updated:\n\n1/1 repositories for publisher 'local' could not be reached for catalog refresh.\n\nFramework error: code: E_COULDNT_CONNECT (7) reason: Failed to connect to 10.0.5.12 port 80: Connection refused\nURL: 'http://10.0.5.12:10000/catalog/1/catalog.attrs'\n"
    );
    let r = sim.run("pkg", &["-R", &sim.root("app01"), "refresh", "local"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.starts_with("pkg: 0/1 catalogs successfully updated:\n"));
}

#[test]
fn snapshot_change_rollback_restores_packages_publishers_and_files() {
    let sim = Sim::new("s11express-orphaned-core");
    let root = sim.root("legacy01");
    let zbe = "rpool/zones/legacy01/ROOT/zbe";
    let r = sim.run(
        "zfs",
        &["snapshot", "-r", "-o", "com.zonerescue:run=7", "rpool/zones/legacy01@zr-7-pre"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let snaps = sim.run(
        "zfs",
        &[
            "list",
            "-H",
            "-t",
            "snapshot",
            "-o",
            "name,com.zonerescue:run",
            "-r",
            "rpool/zones/legacy01",
        ],
    );
    assert_eq!(
        snaps.out_lines(),
        [
            "rpool/zones/legacy01@zr-7-pre\t7",
            "rpool/zones/legacy01/ROOT@zr-7-pre\t7",
            "rpool/zones/legacy01/ROOT/zbe@zr-7-pre\t7"
        ]
    );
    let snap_file = format!("{root}/.zfs/snapshot/zr-7-pre/etc/nsswitch.conf");
    assert_eq!(std::fs::read_to_string(&snap_file).unwrap(), "hosts: files dns\n");
    let before_list = sim.run("pkg", &["-R", &root, "list", "-H"]).stdout;
    let before_pubs = sim.run("pkg", &["-R", &root, "publisher", "-H", "-F", "tsv"]).stdout;
    // Re-create the image and install system/library: packages, publishers and /etc change.
    let r = sim.run(
        "pkg",
        &[
            "image-create",
            "-f",
            "-z",
            "-p",
            "solaris=http://pkg.oracle.com/solaris/release/",
            &root,
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = sim.run("pkg", &["-R", &root, "install", "-v", "--accept", "system/library"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_ne!(sim.run("pkg", &["-R", &root, "list", "-H"]).stdout, before_list);
    assert_ne!(
        std::fs::read_to_string(format!("{root}/etc/nsswitch.conf")).unwrap(),
        "hosts: files dns\n"
    );
    // A newer snapshot blocks a rollback without -r, with zfs's message.
    sim.run("zfs", &["snapshot", &format!("{zbe}@later")]);
    let r = sim.run("zfs", &["rollback", &format!("{zbe}@zr-7-pre")]);
    assert_eq!(r.code, 1);
    assert_eq!(
        r.stderr,
        format!(
            "cannot rollback to '{zbe}@zr-7-pre': more recent snapshots exist\nuse '-r' to force deletion of the following snapshots:\n{zbe}@later\n"
        )
    );
    let r = sim.run("zfs", &["rollback", "-r", &format!("{zbe}@zr-7-pre")]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(sim.run("pkg", &["-R", &root, "list", "-H"]).stdout, before_list);
    assert_eq!(sim.run("pkg", &["-R", &root, "publisher", "-H", "-F", "tsv"]).stdout, before_pubs);
    assert_eq!(
        std::fs::read_to_string(format!("{root}/etc/nsswitch.conf")).unwrap(),
        "hosts: files dns\n"
    );
    assert!(!std::path::Path::new(&format!("{root}/.zfs/snapshot/later")).exists());
    let r = sim.run("zfs", &["destroy", &format!("{zbe}@zr-7-pre")]);
    assert_eq!(r.code, 0);
    assert!(!std::path::Path::new(&snap_file).exists());
}

#[test]
fn zfs_list_properties_and_errors() {
    let sim = Sim::new("s11express-b111-web");
    let r = sim.run(
        "zfs",
        &[
            "list",
            "-H",
            "-r",
            "-t",
            "filesystem",
            "-o",
            "name,mountpoint,org.opensolaris.libbe:parentbe,org.opensolaris.libbe:active",
            "rpool/zones/web01",
        ],
    );
    assert_eq!(
        r.out_lines(),
        [
            format!("rpool/zones/web01\t{}/zones/web01\t-\t-", sim.d()),
            "rpool/zones/web01/ROOT\tlegacy\t-\t-".to_string(),
            "rpool/zones/web01/ROOT/zbe\tlegacy\t5a1e0c77-0000-4000-8000-000000000111\ton"
                .to_string(),
        ]
    );
    let r = sim.run("zfs", &["list", "rpool/nope"]);
    assert_eq!(
        (r.code, r.stderr.as_str()),
        (1, "cannot open 'rpool/nope': dataset does not exist\n")
    );
    let r =
        sim.run("zfs", &["get", "-H", "-o", "value,source", "zoned", "rpool/zones/web01/ROOT/zbe"]);
    assert_eq!(r.stdout, "on\tinherited from rpool/zones/web01/ROOT\n");
    // detach mounts the ZBE at the zone root (ipkg) and attach puts the properties back.
    sim.detach("web01");
    let r =
        sim.run("zfs", &["get", "-H", "-o", "value", "mountpoint", "rpool/zones/web01/ROOT/zbe"]);
    assert_eq!(r.stdout, format!("{}\n", sim.root("web01")));
    let m = sim.run("mount", &["-p"]);
    assert!(m.out_lines().contains(&format!("rpool/zones/web01/ROOT/zbe - {} zfs - no rw,devices,setuid,nonbmand,exec,xattr,atime", sim.root("web01")).as_str()));
}

#[test]
fn audit_log_records_every_invocation() {
    let sim = Sim::new("s11express-minor-update");
    sim.run("zoneadm", &["list", "-cp"]);
    sim.detach("db01");
    sim.run("zoneadm", &["-z", "db01", "attach", "-u"]);
    let entries = audit::read(&sim.dir).unwrap();
    assert_eq!(entries.len(), 3);
    assert_eq!(entries[0].argv, ["zoneadm", "list", "-cp"]);
    assert_eq!((entries[0].exit, entries[0].cost_s), (0, 0));
    assert_eq!(entries[1].cost_s, 10, "detach bookkeeping");
    // attach: bookkeeping 10 + refresh 15 + solver 20 + install 30 + 3 × 3 packages.
    assert_eq!(entries[2].cost_s, 10 + 15 + 20 + 30 + 9);
    assert_eq!(entries[2].clock_s, entries[1].clock_s + entries[2].cost_s);
    let show = std::process::Command::new(env!("CARGO_BIN_EXE_zonesim"))
        .arg("show")
        .arg(&sim.dir)
        .arg("--json")
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&show.stdout).unwrap();
    assert_eq!(v["clock_s"].as_u64(), Some(entries[2].clock_s));
}

#[test]
fn faults_snapshot_lock_and_hang() {
    let base = std::fs::read_to_string(scenario("s11express-minor-update")).unwrap();
    let text = format!(
        "{base}\n[[faults]]\ncommand = \"zfs snapshot\"\nnth = 2\nexit = 1\nstderr = \"cannot create snapshot 'x@y': out of space\"\n\n[[faults]]\nkind = \"image-locked\"\nzone = \"db01\"\nnth = 1\n\n[[faults]]\ncommand = \"pkg\"\nmatch = \"update\"\nhang_s = 3600\n\n[[faults]]\nkind = \"zoneadm-locked\"\nnth = 1\n"
    );
    let sim = Sim::from_text(&text);
    let ds = "rpool/zones/db01/ROOT/zbe";
    assert_eq!(sim.run("zfs", &["snapshot", &format!("{ds}@a")]).code, 0);
    let r = sim.run("zfs", &["snapshot", &format!("{ds}@b")]);
    assert_eq!((r.code, r.stderr.as_str()), (1, "cannot create snapshot 'x@y': out of space\n"));
    assert_eq!(sim.run("zfs", &["snapshot", &format!("{ds}@c")]).code, 0);
    let root = sim.root("db01");
    let r = sim.run("pkg", &["-R", &root, "uninstall", "SUNWcs"]);
    assert_eq!(r.code, 7);
    assert!(r.stderr.starts_with(
        "pkg: The image cannot be modified as it is currently in use by another package client: "
    ));
    let r = sim.run("zoneadm", &["-z", "db01", "detach"]);
    assert_eq!(
        (r.code, r.stderr.as_str()),
        (1, "zoneadm: zone 'db01': another zoneadm may have an operation in progress.\n")
    );
    // The hang is real: the process is still running until killed.
    let mut child = std::process::Command::new(sim.dir.join("bin/pkg"))
        .args(["-R", &root, "update"])
        .env("ZONESIM_SPEED", "1")
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert!(child.try_wait().unwrap().is_none(), "pkg update should hang");
    child.kill().unwrap();
    let _ = child.wait();
    // Other commands are not blocked by the hanging one.
    assert_eq!(sim.run("zoneadm", &["list", "-cp"]).code, 0);
}

#[test]
fn unreachable_after_breaks_a_repository_midway() {
    let base = std::fs::read_to_string(scenario("s11express-minor-update")).unwrap();
    let sim = Sim::from_text(&format!(
        "{base}\n[[faults]]\nrepository = \"http://pkg.oracle.com/solaris/release/\"\nunreachable_after = 1\n"
    ));
    assert_eq!(sim.run("pkg", &["refresh"]).code, 0);
    let r = sim.run("pkg", &["refresh"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains(
        "1/1 repositories for publisher 'solaris' could not be reached for catalog refresh."
    ));
}

#[test]
fn zlogin_svcs_x_reports_maintenance() {
    let sim = Sim::new("solaris11-disabled-publisher-harmless");
    let r = sim.run("zlogin", &["app11", "svcs", "-x"]);
    assert_eq!(r.code, 1, "zone not running");
    assert_eq!(sim.run("zoneadm", &["-z", "app11", "boot"]).code, 0);
    let r = sim.run("zlogin", &["app11", "svcs", "-x"]);
    assert_eq!(r.code, 0);
    assert_eq!(
        r.out_lines()[..2],
        [
            "svc:/application/database/mysql:version_55 (application/database/mysql)",
            " State: maintenance since Tue Nov 15 10:30:00 2011"
        ]
    );
    let healthy = Sim::new("s11express-minor-update");
    healthy.run("zoneadm", &["-z", "db01", "boot"]);
    let r = healthy.run("zlogin", &["db01", "svcs", "-x"]);
    assert_eq!((r.code, r.stdout.as_str()), (0, ""));
}

#[test]
fn zonesim_root_env_overrides_argv0() {
    let sim = Sim::new("s11express-minor-update");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_zonesim"))
        .args(["zoneadm", "list", "-cp"])
        .env("ZONESIM_ROOT", &sim.dir)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains(":db01:installed:"));
}

#[test]
fn every_matching_fault_counts_an_invocation_another_one_fired_on() {
    // nth counts matching invocations: the second fault fires on the second one, although
    // the first fault claimed the first (before, the first to fire kept the others from
    // counting it, so `nth = 1` and `nth = 2` failed the first and third).
    let base = std::fs::read_to_string(scenario("s11express-minor-update")).unwrap();
    let fault = |nth: u32| {
        format!(
            "[[faults]]\ncommand = \"zfs snapshot\"\nnth = {nth}\nexit = 1\nstderr = \"e{nth}\"\n"
        )
    };
    let sim = Sim::from_text(&format!("{base}\n{}\n{}", fault(1), fault(2)));
    let ds = "rpool/zones/db01/ROOT/zbe";
    let codes: Vec<i32> = ["a", "b", "c"]
        .iter()
        .map(|s| sim.run("zfs", &["snapshot", &format!("{ds}@{s}")]).code)
        .collect();
    assert_eq!(codes, [1, 1, 0]);
}

/// A `command` fault's second word is the subcommand (the first argument after the program's
/// global options), not any argument: `zfs snapshot` must not fire on `zfs list -t snapshot`,
/// nor `pkg install` on `pkg list install`; `pkg install` still fires on `pkg -R ROOT install`.
#[test]
fn command_faults_match_the_subcommand_not_any_argument() {
    let base = std::fs::read_to_string(scenario("s11express-minor-update")).unwrap();
    let sim = Sim::from_text(&format!(
        "{base}\n[[faults]]\ncommand = \"zfs snapshot\"\nnth = 1\nexit = 1\nstderr = \"snap\"\n\n\
         [[faults]]\ncommand = \"pkg install\"\nexit = 1\nstderr = \"inst\"\n\n\
         [[faults]]\ncommand = \"zoneadm detach\"\nexit = 1\nstderr = \"det\"\n"
    ));
    let ds = "rpool/zones/db01/ROOT/zbe";
    let r = sim.run("zfs", &["list", "-H", "-t", "snapshot", "-o", "name"]);
    assert_eq!((r.code, r.stderr.as_str()), (0, ""), "a listing is not a snapshot");
    // nth counted only real snapshots: the first one fails.
    let r = sim.run("zfs", &["snapshot", &format!("{ds}@a")]);
    assert_eq!((r.code, r.stderr.as_str()), (1, "snap\n"));
    let root = sim.root("db01");
    let r = sim.run("pkg", &["-R", &root, "list", "install"]);
    assert_ne!(r.stderr, "inst\n", "a package named install is not pkg install");
    let r = sim.run("pkg", &["-R", &root, "install", "SUNWcs"]);
    assert_eq!((r.code, r.stderr.as_str()), (1, "inst\n"));
    let r = sim.run("zoneadm", &["-z", "db01", "detach"]);
    assert_eq!((r.code, r.stderr.as_str()), (1, "det\n"));
}

#[test]
fn attach_log_and_space_faults() {
    let base = std::fs::read_to_string(scenario("s11express-minor-update")).unwrap();
    let sim = Sim::from_text(&format!(
        "{base}\n[[faults]]\nkind = \"attach-log-missing\"\nnth = 1\n\n[[faults]]\nkind = \"attach-log-unreadable\"\n\n[[faults]]\nkind = \"out-of-space\"\nnth = 1\n"
    ));
    let zbe = "rpool/zones/db01/ROOT/zbe";
    let r = sim.run("zfs", &["snapshot", &format!("{zbe}@s1")]);
    assert_eq!(
        (r.code, r.stderr.as_str()),
        (1, format!("cannot create snapshot '{zbe}@s1': out of space\n").as_str())
    );
    assert_eq!(sim.run("zfs", &["snapshot", &format!("{zbe}@s1")]).code, 0);
    sim.detach("db01");
    let r = sim.run("zoneadm", &["-z", "db01", "attach"]);
    let log = r.out_lines()[0].strip_prefix("Log File: ").unwrap().to_string();
    assert!(!std::path::Path::new(&log).exists(), "attach-log-missing deletes the printed log");
    let r = sim.run("zoneadm", &["-z", "db01", "attach", "-u"]);
    assert_eq!(r.code, 0);
    let log = r.out_lines()[0].strip_prefix("Log File: ").unwrap().to_string();
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&log).unwrap().permissions().mode() & 0o777,
        0,
        "attach-log-unreadable writes mode 000"
    );
}

#[test]
fn live_output_under_zonesim_speed_is_the_same_text() {
    let a = Sim::new("s11express-b111-web");
    let b = Sim::new("s11express-b111-web");
    a.detach("web01");
    b.detach("web01");
    let ra = a.run("zoneadm", &["-z", "web01", "attach", "-u"]);
    let rb = b.run_env("zoneadm", &["-z", "web01", "attach", "-u"], &[("ZONESIM_SPEED", "100000")]);
    assert_eq!(ra.code, rb.code);
    assert_eq!(ra.stdout.replace(&a.d(), "DIR"), rb.stdout.replace(&b.d(), "DIR"));
}

#[test]
fn concurrent_invocations_do_not_lose_updates() {
    let sim = Sim::new("s11express-minor-update");
    let handles: Vec<_> = (0..8)
        .map(|i| {
            let bin = sim.dir.join("bin/zfs");
            std::thread::spawn(move || {
                std::process::Command::new(bin)
                    .args(["snapshot", &format!("rpool/zones/db01/ROOT/zbe@c{i}")])
                    .status()
                    .unwrap()
                    .success()
            })
        })
        .collect();
    assert!(handles.into_iter().all(|h| h.join().unwrap()));
    let list =
        sim.run("zfs", &["list", "-H", "-t", "snapshot", "-o", "name", "-r", "rpool/zones/db01"]);
    assert_eq!(list.out_lines().len(), 8);
    assert_eq!(audit::read(&sim.dir).unwrap().len(), 9, "8 snapshots and the list");
}

/// `pkg list -n/-a/-af` read the publishers' catalogs (client.py list_inventory): obsolete and
/// renamed records carry `o`/`r` in the third flag column, names no catalog knows are reported
/// with the LIST_NEWEST/LIST_ALL text, and `--no-refresh` fetches nothing.
#[test]
fn pkg_list_newest_and_all_read_the_catalogs() {
    // OmniOS: PostgreSQL obsoleted at r151050; the GZ's repository carries r151054 only.
    let sim = Sim::new("omnios-postgres-removed");
    let clock = |s: &Sim| audit::read(&s.dir).unwrap().last().map_or(0, |e| e.clock_s);
    let before = clock(&sim);
    let n =
        sim.run("pkg", &["list", "-H", "-n", "--no-refresh", "database/postgresql-12", "SUNWcs"]);
    assert_eq!(n.code, 0, "{}", n.stderr);
    assert_eq!(
        n.out_lines(),
        [
            format!("{:49} {:26} i--", "SUNWcs", "11-151054.0"),
            format!("{:49} {:26} --o", "database/postgresql-12", "11-151050.0"),
        ]
    );
    assert_eq!(clock(&sim), before, "--no-refresh costs nothing");
    let partial = sim.run("pkg", &["list", "-Hn", "--no-refresh", "SUNWcs", "web/nonesuch"]);
    assert_eq!(partial.code, 3);
    assert!(partial.stderr.contains("pkg list: no known packages matching:\n  web/nonesuch"));
    let none = sim.run("pkg", &["list", "-a", "web/nonesuch"]);
    assert_eq!(none.code, 1);
    assert!(none.stderr.contains("are allowed by installed incorporations"), "{}", none.stderr);
    assert!(clock(&sim) > before, "without --no-refresh the catalogs are refreshed");
    // Installed-only listing is unchanged: the zone still has PostgreSQL at its old build.
    let zone = sim.run("pkg", &["-R", &sim.root("pg01"), "list", "-H", "database/postgresql-12"]);
    assert_eq!(
        zone.out_lines(),
        [format!("{:49} {:26} i--", "database/postgresql-12", "11-151046.0")]
    );

    // b151: the old columns; a rename record (`r`) where the repository keeps history, every
    // version with -af, and no record where the repository's history starts later.
    let sim = Sim::new("s11express-b111-web");
    let all = sim.run("pkg", &["list", "-H", "-af", "--no-refresh", "developer/sunstudio12u1"]);
    assert_eq!(
        all.out_lines(),
        [format!("{:<45} {:<15} {:<10} --o--", "developer/sunstudio12u1", "0.5.11-0.140", "known")]
    );
    let text = std::fs::read_to_string(scenario("s11express-b111-web")).unwrap();
    let early = Sim::from_text(&text.replace("history_from = 134", "history_from = 120"));
    let r = early.run("pkg", &["list", "-H", "-n", "--no-refresh", "SUNWapch22"]);
    assert_eq!(
        r.out_lines(),
        [format!("{:<45} {:<15} {:<10} --r--", "SUNWapch22", "0.5.11-0.130", "known")]
    );
    let late = Sim::from_text(&text.replace("history_from = 134", "history_from = 145"));
    let r = late.run("pkg", &["list", "-H", "-n", "--no-refresh", "developer/sunstudio12u1"]);
    assert_eq!(r.code, 1, "no record, no version at 151: unknown ({})", r.stdout);

    // `entire`: every build the image's repositories carry; a pattern's version selects one.
    let sim = Sim::new("omnios-rename-needs-incremental");
    let root = sim.root("backup01");
    let set = sim.run(
        "pkg",
        &["-R", &root, "set-publisher", "-O", "https://pkg.omnios.org/r151046/core/", "omnios"],
    );
    assert_eq!(set.code, 0, "{}", set.stderr);
    let all = sim.run("pkg", &["-R", &root, "list", "-Haf", "--no-refresh", "entire"]);
    assert_eq!(
        all.out_lines(),
        [
            format!("{:49} {:26} i--", "entire", "11-151030.0"),
            format!("{:49} {:26} ---", "entire", "11-151046.0"),
        ]
    );
    let one = sim.run("pkg", &["-R", &root, "list", "-Haf", "--no-refresh", "entire@11-151046"]);
    assert_eq!(one.out_lines(), [format!("{:49} {:26} ---", "entire", "11-151046.0")]);
    let none = sim.run("pkg", &["-R", &root, "list", "-Haf", "--no-refresh", "entire@11-151038"]);
    assert_eq!(none.code, 1, "{}", none.stdout);
    assert!(
        none.stderr.contains("no known packages matching:\n  entire@11-151038"),
        "{}",
        none.stderr
    );
}

/// Solaris 11: the attach turns the zone's `solaris` into the global zone's system publisher,
/// whose origins pkg refuses to change; `set-property use-system-repo false` shows the zone's
/// own configuration again (pkg only hid it), and `true` serves the system one again.
#[test]
fn s11_use_system_repo_false_shows_the_zone_s_own_publishers_again() {
    let sim = Sim::from_file(&sim_support::world("s11-step-after-attach-made-syspub"));
    sim.detach("www");
    assert_ne!(sim.run("zoneadm", &["-z", "www", "attach", "-u"]).code, 0);
    let table = zone_pkg(&sim, "www", &["publisher", "-H"]).stdout;
    assert!(table.contains("solaris        (syspub)"), "{table}");
    let refused = zone_pkg(&sim, "www", &["set-publisher", "-O", "http://x.example/", "solaris"]);
    assert!(refused.stderr.contains("system publisher 'solaris' cannot be modified"));
    assert_eq!(zone_pkg(&sim, "www", &["set-property", "use-system-repo", "false"]).code, 0);
    let tsv = zone_pkg(&sim, "www", &["publisher", "-H", "-F", "tsv"]).stdout;
    assert_eq!(tsv.lines().count(), 1, "{tsv}");
    assert!(tsv.starts_with("solaris\ttrue\tfalse\ttrue\t"), "{tsv}");
    assert!(tsv.contains("http://pkg.oracle.com/solaris/release/"), "{tsv}");
    assert_eq!(zone_pkg(&sim, "www", &["set-property", "use-system-repo", "true"]).code, 0);
    let table = zone_pkg(&sim, "www", &["publisher", "-H"]).stdout;
    assert!(table.contains("(syspub)"), "{table}");
    let bad = zone_pkg(&sim, "www", &["set-property", "use-system-repo", "maybe"]);
    assert_ne!(bad.code, 0);
}

/// Worlds round aa F8: what is written under a zone root between commands (an operator's
/// edit, a new file) is part of the ZBE: a snapshot captures it and a rollback puts back what
/// it captured. Before, a rollback gave back the scenario's original content, and the next
/// command of any kind wrote it over the operator's edit.
#[test]
fn snapshots_capture_what_was_written_in_the_zone_root() {
    let sim = Sim::new("omnios-postgres-removed");
    let root = std::path::PathBuf::from(sim.root("pg01"));
    let conf = root.join("etc/app.conf");
    std::fs::create_dir_all(conf.parent().unwrap()).unwrap();
    std::fs::write(&conf, "A\n").unwrap();
    let zbe = "rpool/zones/pg01/ROOT/zbe";
    assert_eq!(sim.run("zfs", &["snapshot", "-r", &format!("{zbe}@s1")]).code, 0);
    std::fs::write(&conf, "B\n").unwrap();
    let later = root.join("etc/later.conf");
    std::fs::write(&later, "new\n").unwrap();
    // Another command in between keeps the edit.
    assert_eq!(sim.run("zoneadm", &["list", "-cp"]).code, 0);
    assert_eq!(std::fs::read_to_string(&conf).unwrap(), "B\n");
    assert_eq!(sim.run("zoneadm", &["-z", "pg01", "detach"]).code, 0);
    assert_eq!(sim.run("zfs", &["rollback", "-r", &format!("{zbe}@s1")]).code, 0);
    assert_eq!(std::fs::read_to_string(&conf).unwrap(), "A\n");
    assert!(!later.exists(), "a file written after the snapshot is gone after the rollback");
}

/// Fidelity mm F1: pkg records the publisher an installed `entire` came from; zonesim derived
/// it from the current ranking. A GZ whose first-ranked publisher does not carry the release
/// lists `entire` from the one that does, and a failed attach (which makes the system
/// repository's publisher the zone's first) does not move the zone's.
#[test]
fn the_publisher_of_entire_is_where_it_came_from() {
    let text = std::fs::read_to_string(scenario("solaris11-image-update")).unwrap();
    let site_first = text.replacen(
        "[[global.publishers]]\n",
        "[[global.publishers]]\nname = \"site\"\norigins = [\"http://repo.example.com/s11-legacy/\"]\n\n[[global.publishers]]\n",
        1,
    );
    assert_ne!(site_first, text);
    let sim = Sim::from_text(&site_first);
    let info = sim.run("pkg", &["info", "entire"]).stdout;
    assert!(info.contains("Publisher: solaris"), "{info}");
    let sim = Sim::new("solaris11-image-update");
    let root = sim.root("php11");
    let fmri = || sim.run("pkg", &["-R", &root, "list", "-Hv", "entire"]).stdout;
    let before = fmri();
    assert!(before.contains("pkg://site/entire@"), "{before}");
    assert_eq!(sim.run("zoneadm", &["-z", "php11", "detach"]).code, 0);
    assert_ne!(sim.run("zoneadm", &["-z", "php11", "attach", "-u"]).code, 0);
    assert_eq!(fmri(), before);
}
