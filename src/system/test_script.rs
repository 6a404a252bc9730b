//! Fake programs for unit tests: shell scripts standing in for zfs, pkg, zoneadm.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::time::Duration;

/// Writes `body` as an executable `/bin/sh` script at `path`, ready to run. Another test
/// thread's child may still hold the write descriptor between its fork and exec, and Linux
/// refuses to run a file open for writing (ETXTBSY): wait until a probe run gets through.
pub fn write(path: &Path, body: &str) {
    let text = format!("#!/bin/sh\n[ -n \"$ZR_TEST_PROBE\" ] && exit 0\n{body}\n");
    std::fs::write(path, text).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
    for _ in 0..500 {
        match std::process::Command::new(path).env("ZR_TEST_PROBE", "1").status() {
            Err(e) if e.raw_os_error() == Some(libc::ETXTBSY) => {
                std::thread::sleep(Duration::from_millis(10))
            }
            _ => return,
        }
    }
    panic!("{} stayed busy", path.display());
}
