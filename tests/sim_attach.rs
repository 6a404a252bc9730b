//! `zoneadm attach -u` per platform, terminal and log file, line by line (reference §2).

mod sim_support;

use sim_support::{Sim, pkg_success, undate};
use zonerescue::sim::platform::Platform;

fn finalize() -> Vec<String> {
    [
        "Updating package state database",
        "Updating image state",
        "Creating fast lookup database",
        "Updating package cache",
    ]
    .iter()
    .map(|j| format!("Finalize: {j} ...  Done"))
    .collect()
}

fn log_path_ok(sim: &Sim, path: &str, zone: &str) {
    let prefix = format!("{}/var/tmp/{zone}.attach_log.", sim.d());
    let suffix = path.strip_prefix(&prefix).unwrap_or_else(|| panic!("log path {path}"));
    assert_eq!(suffix.len(), 6);
    assert!(suffix.chars().all(|c| c.is_ascii_alphanumeric()));
    assert!(std::path::Path::new(path).is_file());
}

#[test]
fn s11express_attach_u_success() {
    let sim = Sim::new("s11express-minor-update");
    sim.detach("db01");
    let r = sim.run("zoneadm", &["-z", "db01", "attach", "-u"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let lines = r.out_lines();
    let log = lines[0].strip_prefix("Log File: ").unwrap();
    log_path_ok(&sim, log, "db01");
    let p = Platform::S11Express;
    let mut expected: Vec<String> = vec![
        format!("Log File: {log}"),
        "Attaching...".into(),
        "preferred global publisher: solaris".into(),
        format!("       Global zone version: entire@{}", p.full_version(151)),
        format!("   Non-Global zone version: entire@{}", p.full_version(148)),
        String::new(),
        "                     Cache: Using /var/pkg/download.".into(),
        "  Updating non-global zone: Output follows".into(),
    ];
    expected.extend(pkg_success(&["solaris"], &["Packages to update: 3"]));
    expected.push("Download: Completed 4.50 MB in 3.75 seconds (1.2M/s)".into());
    expected.push(" Actions: Completed 351 actions in 1.50 seconds.".into());
    expected.extend(finalize());
    expected.push("  Updating non-global zone: Zone updated.".into());
    expected.push("                    Result: Attach Succeeded.".into());
    assert_eq!(lines, expected);
    // The log holds the dated `log` lines, never pkg's stdout.
    let text = std::fs::read_to_string(log).unwrap();
    let undated: Vec<String> = text.lines().map(undate).collect();
    let mut exp_log: Vec<String> = expected[..8].to_vec();
    exp_log.extend(expected[expected.len() - 2..].iter().cloned());
    assert_eq!(undated, exp_log);
    assert_eq!(sim.state("db01"), "installed");
    let info = sim.run("pkg", &["-R", &sim.root("db01"), "info", "entire"]);
    assert!(
        info.stdout.contains(&format!("FMRI: pkg://solaris/entire@{}", p.full_version(151))),
        "{}",
        info.stdout
    );
}

#[test]
fn s11express_disabled_unreachable_gz_publisher_fails_attach() {
    let sim = Sim::new("s11express-disabled-gz-publisher");
    sim.detach("mail01");
    let r = sim.run("zoneadm", &["-z", "mail01", "attach", "-u"]);
    assert_eq!(r.code, 1);
    assert_eq!(r.stderr, "", "a brand failure adds no zoneadm line");
    let lines = r.out_lines();
    assert_eq!(
        &lines[lines.len() - 3..],
        [
            "  Updating non-global zone: Output follows",
            "ERROR: Could not update attaching zone",
            "                    Result: Attach Failed."
        ]
    );
    let (_, log) = sim.attach_log();
    let undated: Vec<String> = log.lines().map(undate).collect();
    let at =
        undated.iter().position(|l| l == "pkg: 1/2 catalogs successfully updated:").expect(&log);
    assert_eq!(
        undated[at..at + 6],
        [
            "pkg: 1/2 catalogs successfully updated:",
            "",
            "1/1 repositories for publisher 'contrib' could not be reached for catalog refresh.",
            "",
            "Framework error: code: E_COULDNT_CONNECT (7) reason: Failed to connect to pkg.example.org port 80: Connection refused",
            "URL: 'http://pkg.example.org/contrib/catalog/1/catalog.attrs'",
        ]
    );
    assert_eq!(
        undated[undated.len() - 2..],
        ["ERROR: Could not update attaching zone", "                    Result: Attach Failed."]
    );
    assert_eq!(sim.state("mail01"), "configured", "a failed attach leaves the zone configured");
    // The ZBE is left mounted at the zone root, as detach left it.
    let mount = sim.run("mount", &["-p"]);
    assert!(
        mount.stdout.contains(&format!("rpool/zones/mail01/ROOT/zbe - {} zfs", sim.root("mail01")))
    );
}

#[test]
fn openindiana_ignores_the_same_disabled_publisher() {
    let sim = Sim::new("openindiana-disabled-gz-publisher");
    sim.detach("www01");
    let r = sim.run("zoneadm", &["-z", "www01", "attach", "-u"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    let lines = r.out_lines();
    let log = lines[0].strip_prefix("Log File: ").unwrap().to_string();
    log_path_ok(&sim, &log, "www01");
    let p = Platform::OpenIndiana;
    let head = [
        format!("Log File: {log}"),
        format!("               Attach Path: {}", sim.root("www01")),
        "        Attach ZFS Dataset: rpool/zones/www01/ROOT/zbe".into(),
        String::new(),
        "                Installing: Using pre-existing data in zonepath".into(),
        format!("       Global zone version: entire@{}", p.info_version(151)),
        format!("   Non-Global zone version: entire@{}", p.info_version(148)),
        "                     Cache: Using /var/pkg/publisher.".into(),
        "  Updating non-global zone: Output follows".into(),
    ];
    assert_eq!(lines[..9], head);
    assert_eq!(
        lines[9], " Startup: Refreshing catalog 'openindiana.org' ... Done",
        "only the enabled publisher is refreshed"
    );
    assert_eq!(
        lines[lines.len() - 3..],
        [
            "",
            "  Updating non-global zone: Zone updated.",
            "                    Result: Attach Succeeded."
        ]
    );
    // The disabled publisher was copied into the zone, disabled (current 8-column tsv).
    let tsv = sim.run("pkg", &["-R", &sim.root("www01"), "publisher", "-H", "-F", "tsv"]);
    assert_eq!(
        tsv.out_lines(),
        [
            "openindiana.org\ttrue\tfalse\ttrue\torigin\tonline\thttp://pkg.openindiana.org/dev/\t-",
            "contrib\ttrue\tfalse\ttrue\torigin\tonline\thttp://pkg.example.org/contrib/\t-",
        ]
    );
    let table = sim.run("pkg", &["-R", &sim.root("www01"), "publisher"]);
    assert_eq!(
        table.out_lines(),
        [
            "PUBLISHER                   TYPE     STATUS P LOCATION",
            "openindiana.org              origin   online F http://pkg.openindiana.org/dev/",
            "contrib        (disabled)   origin   online F http://pkg.example.org/contrib/",
        ]
    );
}

#[test]
fn openindiana_zone_only_unreachable_publisher_fails() {
    let sim = Sim::new("openindiana-zone-internal-repo");
    sim.detach("app01");
    let r = sim.run("zoneadm", &["-z", "app01", "attach", "-u"]);
    assert_eq!(r.code, 1);
    assert_eq!(
        r.out_lines()[r.out_lines().len() - 2..],
        ["ERROR: Could not update attaching zone", "                    Result: Attach Failed."]
    );
    let (_, log) = sim.attach_log();
    assert!(
        log.contains(
            "\n1/1 repositories for publisher 'local' could not be reached for catalog refresh.\n"
        ),
        "{log}"
    );
    assert_eq!(sim.state("app01"), "configured");
}

#[test]
fn omnios_messages_only_in_the_log_and_reject_reason_block() {
    let sim = Sim::new("omnios-postgres-removed");
    sim.detach("pg01");
    let r = sim.run("zoneadm", &["-z", "pg01", "attach", "-u"]);
    assert_eq!(r.code, 1);
    assert_eq!(
        r.stdout, "",
        "OmniOS brand messages go only to the log; pkg printed nothing on stdout"
    );
    let (path, log) = sim.attach_log();
    let undated: Vec<String> = log.lines().map(undate).collect();
    assert_eq!(undated[0], format!("Log File: {}", path.display()));
    let at = undated.iter().position(|l| l.starts_with("PKG: install")).expect(&log);
    // copy-publishers-from is not run through `lc_pkg -v` (fidelity pp F4).
    assert!(!log.contains("PKG: copy-publishers-from"), "{log}");
    assert_eq!(undated[at - 1], "  Updating non-global zone: Output follows");
    let p = Platform::OmniOS;
    assert_eq!(
        undated[at..],
        [
            // The GZ's entire as the `Global zone version:` line prints it.
            format!("PKG: install --accept --no-refresh entire@{}", p.info_version(151054)),
            String::new(),
            "pkg install: No matching version of entire can be installed:".into(),
            format!("  Reject:  pkg://omnios/entire@{}", p.short_version(151054)),
            format!(
                "  Reason:  Package contains 'exclude' dependency pkg:/database/postgresql-12@{} on installed package",
                p.short_version(151046)
            ),
            format!(
                "  Reason:  Package contains 'exclude' dependency pkg:/database/postgresql-12/contrib@{} on installed package",
                p.short_version(151046)
            ),
            "ERROR: Could not update attaching zone".into(),
            "                    Result: Attach Failed.".into(),
        ]
    );
}

#[test]
fn omnios_success_shows_only_pkg_output() {
    let sim = Sim::new("omnios-two-zones");
    sim.detach("web02");
    let r = sim.run("zoneadm", &["-z", "web02", "attach", "-u"]);
    assert_eq!(r.code, 0);
    let lines = r.out_lines();
    assert_eq!(
        lines[..2],
        [
            " Startup: Refreshing catalog 'omnios' ... Done",
            " Startup: Refreshing catalog 'extra.omnios' ... Done"
        ]
    );
    assert_eq!(*lines.last().unwrap(), "Finalize: Updating package cache ...  Done");
    let (_, log) = sim.attach_log();
    assert!(log.lines().map(undate).any(|l| l == "                    Result: Attach Succeeded."));
    // The other zone is untouched.
    assert_eq!(sim.state("pg02"), "installed");
}

#[test]
fn solaris11_attach_u_success_and_log_copy() {
    let sim = Sim::new("solaris11-disabled-publisher-harmless");
    sim.detach("app11");
    let r = sim.run("zoneadm", &["-z", "app11", "attach", "-u"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    let lines = r.out_lines();
    let log = format!("{}/var/log/zones/zoneadm.", sim.d());
    assert!(
        lines[0].starts_with(&format!("Progress being logged to {log}"))
            && lines[0].ends_with(".app11.attach")
    );
    let path = lines[0].strip_prefix("Progress being logged to ").unwrap();
    let name = path.rsplit('/').next().unwrap();
    let mut expected: Vec<String> = vec![
        lines[0].to_string(),
        "Attaching...".into(),
        "    Installing: Using existing zone boot environment".into(),
        "      Zone BE root dataset: rpool/zones/app11/rpool/ROOT/solaris".into(),
        "                     Cache: Using /var/pkg/publisher.".into(),
        "Updating image format".into(),
        "Image format already current.".into(),
        "  Updating non-global zone: Linking to image /.".into(),
        "  Updating non-global zone: Syncing packages.".into(),
    ];
    expected.extend(pkg_success(&["solaris"], &["Packages to update: 3"]));
    expected.push("Download: Completed 4.50 MB in 3.75 seconds (1.2M/s)".into());
    expected.push(" Actions: Completed 351 actions in 1.50 seconds.".into());
    expected.extend(finalize());
    expected.extend([
        String::new(),
        "  Updating non-global zone: Zone updated.".into(),
        "                    Result: Attach Succeeded.".into(),
        format!("Log saved in non-global zone as {}/var/log/zones/{name}", sim.root("app11")),
    ]);
    assert_eq!(lines, expected);
    let text = std::fs::read_to_string(path).unwrap();
    let undated: Vec<String> = text.lines().map(undate).collect();
    assert!(undated[1].starts_with("==== Starting: /usr/lib/brand/solaris/attach app11 "));
    assert!(undated.contains(&format!("==== Completed: {name}  ====")));
    assert!(std::path::Path::new(&format!("{}/var/log/zones/{name}", sim.root("app11"))).is_file());
    // System repository: only the enabled GZ publisher, as a syspub.
    let tsv = sim.run("pkg", &["-R", &sim.root("app11"), "publisher", "-H", "-F", "tsv"]);
    assert_eq!(
        tsv.out_lines(),
        ["solaris\ttrue\ttrue\ttrue\torigin\tonline\t<system-repository>\t-"]
    );
}

#[test]
fn solaris11_attach_u_no_solution() {
    let sim = Sim::new("solaris11-image-update");
    sim.detach("php11");
    let r = sim.run("zoneadm", &["-z", "php11", "attach", "-u"]);
    assert_eq!(r.code, 1);
    let lines = r.out_lines();
    let n = lines.len();
    assert_eq!(
        lines[n - 4..n - 1],
        [
            "  Updating non-global zone: Syncing packages.",
            "ERROR: Could not update attaching zone",
            "                    Result: Attach Failed."
        ]
    );
    assert!(lines[n - 1].starts_with("Log saved in non-global zone as "));
    let (_, log) = sim.attach_log();
    let p = Platform::Solaris11;
    // The zone's entire was installed from its only publisher, site (fidelity mm F1).
    let expected = format!(
        "\npkg sync-linked: No solution was found to satisfy constraints\n\nmaintained incorporations:\n  pkg://site/entire@{}\n\n\nPlan Creation: dependency error(s) in proposed packages:\n\n  No suitable version of installed package web/php-53 found\n",
        p.short_version(175)
    );
    assert!(log.contains(&expected), "{log}");
    assert_eq!(sim.state("php11"), "configured");
}

#[test]
fn attach_without_u_reports_out_of_sync() {
    let sim = Sim::new("openindiana-disabled-gz-publisher");
    sim.detach("www01");
    let r = sim.run("zoneadm", &["-z", "www01", "attach"]);
    assert_eq!(r.code, 1);
    let lines = r.out_lines();
    assert_eq!(
        lines[lines.len() - 3..],
        [
            "",
            "                Evaluation: Packages in zone www01 are out of sync with the global zone. To proceed, retry with the -u flag.",
            "                    Result: Attach Failed.",
        ]
    );
    assert_eq!(sim.state("www01"), "configured");
    let f = sim.run("zoneadm", &["-z", "www01", "attach", "-F"]);
    assert_eq!((f.code, sim.state("www01").as_str()), (0, "installed"));
}

/// Reference §1.3: zoneadm's forced update (`-U` illumos, `-X` Solaris 11) is `-u` to the
/// brand and attaches an incomplete zone; without it zoneadm refuses ("uninstall required").
/// A forced update that fails leaves the zone incomplete (state unchanged). Round t F4.
#[test]
fn forced_update_attaches_an_incomplete_zone() {
    for (world, zone, forced) in [
        ("omnios-postgres-removed", "pg01", "-U"),
        ("solaris11-disabled-publisher-harmless", "app11", "-X"),
        ("openindiana-disabled-gz-publisher", "www01", "-U"),
    ] {
        let sim = Sim::new(world);
        if sim.state(zone) == "installed" {
            sim.detach(zone);
        }
        assert_eq!(sim.run("zoneadm", &["-z", zone, "mark", "incomplete"]).code, 0);
        let r = sim.run("zoneadm", &["-z", zone, "attach", "-u"]);
        assert_eq!(r.code, 1, "{world}");
        assert!(r.stderr.contains("zone is incomplete; uninstall required."), "{}", r.stderr);
        let r = sim.run("zoneadm", &["-z", zone, "attach", forced]);
        let want = if world == "omnios-postgres-removed" { "incomplete" } else { "installed" };
        assert_eq!(sim.state(zone), want, "{world}: {} {}", r.stdout, r.stderr);
        assert_eq!(r.code == 0, want == "installed", "{world}");
    }
}

#[test]
fn wrong_state_and_unknown_zone_errors() {
    let sim = Sim::new("s11express-minor-update");
    let r = sim.run("zoneadm", &["-z", "db01", "attach", "-u"]);
    assert_eq!((r.code, r.stderr.as_str()), (1, "zoneadm: zone 'db01': is already installed.\n"));
    let r = sim.run("zoneadm", &["-z", "nope", "detach"]);
    assert_eq!((r.code, r.stderr.as_str()), (1, "zoneadm: nope: No such zone configured\n"));
    sim.detach("db01");
    let r = sim.run("zoneadm", &["-z", "db01", "boot"]);
    assert_eq!(
        (r.code, r.stderr.as_str()),
        (1, "zoneadm: zone 'db01': must be installed before boot.\n")
    );
    let r = sim.run("zoneadm", &["-z", "db01", "frobnicate"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.starts_with("usage:\tzoneadm help\n"));
    let r = sim.run("zoneadm", &["-z", "db01", "attach", "-x"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("brand-specific usage: attach [-a archive]"));
}

#[test]
fn solaris11_clones_a_zbe_whose_gz_be_still_exists() {
    let text = std::fs::read_to_string(sim_support::scenario("solaris11-disabled-publisher-harmless"))
        .unwrap()
        .replace("[global]", "[global]\nother_bes = [{ name = \"solaris-1\", uuid = \"1d0f3c55-0000-4000-8000-000000000175\" }]");
    let sim = Sim::from_text(&text);
    let be = sim.run("beadm", &["list", "-H"]);
    assert_eq!(be.out_lines().len(), 2);
    assert!(be.out_lines()[0].starts_with("solaris-1;1d0f3c55-0000-4000-8000-000000000175;;;"));
    sim.detach("app11");
    let r = sim.run("zoneadm", &["-z", "app11", "attach", "-u"]);
    assert_eq!(r.code, 0);
    assert_eq!(
        r.out_lines()[2..4],
        [
            "    Installing: Using clone of zone boot environment 'solaris'",
            "      Zone BE root dataset: rpool/zones/app11/rpool/ROOT/solaris-0"
        ]
    );
    let zfs = sim.run(
        "zfs",
        &[
            "list",
            "-H",
            "-r",
            "-d",
            "1",
            "-o",
            "name,org.opensolaris.libbe:parentbe,org.opensolaris.libbe:active",
            "rpool/zones/app11/rpool/ROOT",
        ],
    );
    assert_eq!(
        zfs.out_lines(),
        [
            "rpool/zones/app11/rpool/ROOT\t-\t-",
            // Reference §2.6: `set_active_be` turns off only the other ZBEs of the *current*
            // GZ BE; the old ZBE keeps active=on under its own GZ BE.
            "rpool/zones/app11/rpool/ROOT/solaris\t1d0f3c55-0000-4000-8000-000000000175\ton",
            "rpool/zones/app11/rpool/ROOT/solaris-0\t1d0f3c55-8a41-4f7e-9a9e-3b6b2d0c1183\ton",
        ]
    );
    // `clone_zbe` promotes the clone: the clone point moves to it and the old ZBE becomes a
    // clone of it (the deferred destroy leaves the snapshot while that clone depends on it).
    let origins = sim.run(
        "zfs",
        &["list", "-H", "-t", "all", "-r", "-o", "name,origin", "rpool/zones/app11/rpool/ROOT"],
    );
    assert_eq!(
        origins.out_lines()[1..],
        [
            "rpool/zones/app11/rpool/ROOT/solaris\trpool/zones/app11/rpool/ROOT/solaris-0@2011-11-15-10:30:13",
            "rpool/zones/app11/rpool/ROOT/solaris-0\t-",
            "rpool/zones/app11/rpool/ROOT/solaris-0@2011-11-15-10:30:13\t-",
        ]
    );
}

/// Fidelity pp F1: the Solaris 11 attach refreshes (`pkg refresh --full`) before it logs
/// `Linking to image /.`: a refresh that fails ends the log without that line.
#[test]
fn solaris11_a_failed_refresh_is_logged_before_any_linking() {
    let sim = Sim::from_file(&sim_support::world("s11-zbe-of-older-gz-be-gz-publishers"));
    sim.detach("db1");
    let r = sim.run("zoneadm", &["-z", "db1", "attach", "-u"]);
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("ERROR: Updating image format failed"), "{}", r.stdout);
    assert!(!r.stdout.contains("Linking to image"), "{}", r.stdout);
}

/// Fidelity pp F3: a zone whose boot environment is gone does not boot (the brand has no
/// dataset to mount); it stays installed.
#[test]
fn a_zone_without_a_boot_environment_does_not_boot() {
    let sim = Sim::new("openindiana-disabled-gz-publisher");
    assert_eq!(sim.run("zfs", &["destroy", "-r", "rpool/zones/www01/ROOT/zbe"]).code, 0);
    let r = sim.run("zoneadm", &["-z", "www01", "boot"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("no active dataset"), "{}", r.stderr);
    assert_eq!(sim.state("www01"), "installed");
}

/// Fidelity pp F2: pkg lists an image with nothing installed as an error.
#[test]
fn an_empty_image_is_listed_as_pkg_does() {
    let sim = Sim::new("openindiana-disabled-gz-publisher");
    sim.detach("www01");
    let root = sim.root("www01");
    let origin = "openindiana.org=http://pkg.openindiana.org/dev/";
    let made = sim.run("pkg", &["image-create", "-f", "-z", "-p", origin, &root]);
    assert_eq!(made.code, 0, "{}", made.stderr);
    let r = sim.run("pkg", &["-R", &root, "list", "-H"]);
    assert_eq!((r.code, r.stdout.as_str()), (1, ""));
    assert_eq!(r.stderr, "pkg list: no packages installed\n");
}
