//! The run-check-parse functions against fake commands: exit codes honoured, errors keep
//! argv/status/stdout/stderr, parse failures name the command.

use std::path::{Path, PathBuf};

use super::fake::FakeHost;
use super::*;
use crate::system::Program;

fn z(name: &str) -> ZoneName {
    ZoneName::new(name).unwrap()
}

#[test]
fn zoneadm_get_and_unknown_zone() {
    let h = FakeHost::new();
    h.program(
        Program::Zoneadm,
        &[
            ("z1", "-:z1:configured:/zones/z1::ipkg:shared:\n", "", 0),
            ("z9", "", "zoneadm: z9: No such zone configured\n", 1),
            (
                "-cp",
                "0:global:running:/::ipkg:shared:0\n-:z1:configured:/zones/z1::ipkg:shared:\n",
                "",
                0,
            ),
        ],
    );
    let e = zoneadm::get(&h.runner, &z("z1")).unwrap();
    assert_eq!(e.state, zoneadm::ZoneState::Configured);
    assert_eq!(zoneadm::list(&h.runner).unwrap().len(), 2);
    let err = zoneadm::get(&h.runner, &z("z9")).unwrap_err();
    assert_eq!(err.code(), Some(1));
    assert!(err.stderr().contains("No such zone configured"));
    assert!(err.to_string().contains("zoneadm -z z9 list -p"), "{err}");
}

#[test]
fn parse_failures_name_the_command_and_keep_stdout() {
    let h = FakeHost::new();
    h.program(Program::Zoneadm, &[("-cp", "garbage\n", "", 0)]);
    match zoneadm::list(&h.runner).unwrap_err() {
        RunError::Parse { argv, stdout, source } => {
            assert!(argv.ends_with("zoneadm list -cp"), "{argv}");
            assert_eq!(stdout, "garbage\n");
            assert_eq!(source.line, 1);
        }
        other => panic!("expected a parse error, got {other:?}"),
    }
}

#[test]
fn zonecfg_values() {
    let h = FakeHost::new();
    h.program(
        Program::Zonecfg,
        &[("zonepath", "zonepath: /zones/z1\n", "", 0), ("brand", "brand: \n", "", 0)],
    );
    assert_eq!(zonecfg::zonepath(&h.runner, &z("z1")).unwrap(), PathBuf::from("/zones/z1"));
    assert!(matches!(zonecfg::brand(&h.runner, &z("z1")), Err(RunError::Parse { .. })));
}

#[test]
fn publishers_merge_tsv_and_table() {
    let h = FakeHost::new();
    h.program(
        Program::Pkg,
        &[
            (
                "tsv",
                "solaris\ttrue\tfalse\ttrue\torigin\tonline\thttp://a/\t-\n\
                 extra\ttrue\tfalse\ttrue\torigin\tonline\thttp://b/\t-\n",
                "",
                0,
            ),
            (
                "publisher",
                "solaris                      origin   online F http://a/\n\
                 extra          (disabled)    origin   online F http://b/\n",
                "",
                0,
            ),
        ],
    );
    let pubs = pkg::publishers(&h.runner, &pkg::Pkg::image("/zones/z1/root")).unwrap();
    assert_eq!(pubs.iter().map(|p| p.enabled).collect::<Vec<_>>(), [true, false]);
}

#[test]
fn pkg_info_and_not_installed() {
    let h = FakeHost::new();
    h.program(
        Program::Pkg,
        &[
            (
                "entire",
                "          Name: entire\n         State: Installed\n          FMRI: pkg://solaris/entire@0.5.11,5.11-0.151.0.1:20101105T054056Z\n",
                "",
                0,
            ),
            (
                "SUNWfoo",
                "",
                "pkg: info: no packages matching the following patterns you specified are\ninstalled on the system.  Try querying remotely instead:\n\n        SUNWfoo\n",
                1,
            ),
            ("variant", "opensolaris.zone nonglobal\n", "", 0),
        ],
    );
    let p = pkg::Pkg::image("/zones/z1/root");
    let f = pkg::installed_fmri(&h.runner, &p, &Fmri::parse("entire").unwrap()).unwrap().unwrap();
    assert_eq!(f.version.unwrap().short(), "0.5.11-0.151.0.1");
    assert_eq!(pkg::installed_fmri(&h.runner, &p, &Fmri::parse("SUNWfoo").unwrap()).unwrap(), None);
    assert_eq!(pkg::zone_variant(&h.runner, &p).unwrap().as_deref(), Some("nonglobal"));
}

#[test]
fn pkg_operations_report_exit_meaning_and_plan() {
    let h = FakeHost::new();
    h.program(
        Program::Pkg,
        &[
            ("update", "No updates available for this image.\n", "", 4),
            ("install", "Packages to update: 3\n", "\npkg install: locked\n", 7),
        ],
    );
    let p = pkg::Pkg::image("/r");
    let mut lines = Vec::new();
    let spec = p.update_spec(&pkg::PlanOptions::default(), &[]);
    let o = pkg::run_op(&h.runner, &spec, &mut |_, l| lines.push(l.to_string())).unwrap();
    assert_eq!(o.exit, pkg::PkgExit::NothingToDo);
    assert!(o.plan.nothing_to_do);
    assert_eq!(lines, ["No updates available for this image."]);
    let spec = p.install_spec(&pkg::PlanOptions::default(), &[Fmri::parse("entire").unwrap()]);
    let o = pkg::run_op(&h.runner, &spec, &mut |_, _| {}).unwrap();
    assert_eq!(o.exit, pkg::PkgExit::Locked);
    assert_eq!(o.plan.count("Packages to update"), 3);
    assert_eq!(pkg::run_change(&h.runner, &spec).unwrap_err().code(), Some(7));
    assert_eq!(
        pkg::run_change(&h.runner, &p.update_spec(&Default::default(), &[])).unwrap(),
        pkg::PkgExit::NothingToDo
    );
}

#[test]
fn beadm_zfs_mount_svcs() {
    let h = FakeHost::new();
    h.program(Program::Beadm, &[("list", "old;u1;;;1;static;1\nnew;u2;NR;/;2;static;2\n", "", 0)]);
    h.program(
        Program::Zfs,
        &[
            ("zoned", "on\n", "", 0),
            ("rpool/missing", "", "cannot open 'rpool/missing': dataset does not exist\n", 1),
        ],
    );
    h.program(
        Program::Mount,
        &[("-p", "rpool/zones/z1/ROOT/zbe - /zones/z1/root zfs - no rw\n", "", 0)],
    );
    h.program(
        Program::Zlogin,
        &[("-x", "svc:/a:default (A)\n State: maintenance since x\n\nsvc:/b:default (B)\n State: offline since y\n", "", 0)],
    );
    assert_eq!(beadm::current(&h.runner).unwrap().uuid.as_deref(), Some("u2"));
    assert_eq!(zfs::get_value(&h.runner, "rpool/z", "zoned").unwrap().as_deref(), Some("on"));
    let e = zfs::run(&h.runner, zfs::destroy_spec("rpool/missing", false)).unwrap_err();
    assert!(e.stderr().contains("dataset does not exist"));
    assert!(matches!(
        zfs::run(&h.runner, zfs::destroy_spec("-rf", false)),
        Err(RunError::Invalid(_))
    ));
    assert_eq!(
        mount::dataset_mounted_at(&h.runner, Path::new("/zones/z1/root")).unwrap().as_deref(),
        Some("rpool/zones/z1/ROOT/zbe")
    );
    let m = svcs::maintenance(&h.runner, &z("z1")).unwrap();
    assert_eq!(m.iter().map(|s| s.fmri.as_str()).collect::<Vec<_>>(), ["svc:/a:default"]);
}

/// pkg lists an image with nothing installed as an error (exit 1, "no packages installed"):
/// that is an empty list; any other failure stays one (fidelity pp F2).
#[test]
fn pkg_installed_of_an_empty_image_is_empty() {
    let h = FakeHost::new();
    h.program(
        Program::Pkg,
        &[
            ("/zones/empty/root", "", "pkg list: no packages installed\n", 1),
            ("/zones/broken/root", "", "pkg: the image at /zones/broken/root is not valid\n", 1),
        ],
    );
    let empty = pkg::installed(&h.runner, &pkg::Pkg::image("/zones/empty/root")).unwrap();
    assert!(empty.is_empty());
    assert!(pkg::installed(&h.runner, &pkg::Pkg::image("/zones/broken/root")).is_err());
}
