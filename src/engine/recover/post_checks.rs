//! After a successful attach (the field notes end every procedure with a checklist): the
//! zone root's mode, configuration files that differ from the pre-rescue snapshot, and with
//! `--boot` the zone booted and its services in maintenance.

use super::Run;
use crate::engine::events::Event;
use crate::engine::findings::{Finding, Severity};
use crate::strategies;

impl Run {
    /// The checks after an attach (and the boot `--boot` asks for); whether the zone booted.
    pub(super) fn post_checks(&mut self, boot: bool) -> bool {
        use std::os::unix::fs::PermissionsExt;
        let mut found = Vec::new();
        let mut running = false;
        if let Ok(m) = std::fs::symlink_metadata(&self.facts.zone_root) {
            let mode = m.permissions().mode() & 0o7777;
            if mode & 0o002 != 0 {
                found.push(
                    Finding::warn(
                        "post.root-world-writable",
                        Severity::High,
                        format!("the zone root / has mode {mode:o}"),
                    )
                    .detail("sendmail and other services refuse to start under a world-writable /")
                    .remediation(format!("chmod 755 {}", self.facts.zone_root_quoted())),
                );
            }
        }
        if let Some(pre) = &self.pre {
            let (ds, short) = pre.split_once('@').unwrap_or((pre, pre));
            // `<zone root>/.zfs/snapshot` shows the snapshots of the ZBE mounted there only: a
            // pre-rescue snapshot left on the ZBE the attach cloned is not among them.
            if self.facts.active_zbe.as_deref().is_some_and(|z| z != ds) {
                found.push(
                    Finding::warn(
                        "config.no-snapshot-view",
                        Severity::Medium,
                        "cannot compare /etc with the pre-rescue snapshot",
                    )
                    .detail(format!(
                        "{pre} is a snapshot of {ds}, not of the zone boot environment mounted at \
                         {} now, so its files are not visible under .zfs/snapshot there",
                        self.facts.zone_root.display()
                    )),
                );
            } else {
                found.push(strategies::config_differences(&self.facts.zone_root, short));
            }
        }
        // Booting on configuration files a rung reset (image-create's defaults), or under a
        // world-writable root, starts services wrong: the operator first restores what the
        // findings above name, then boots.
        let unfit: Vec<&str> = found
            .iter()
            .filter(|f| f.key == "config.differs" || f.key == "post.root-world-writable")
            .map(|f| f.key.as_str())
            .collect();
        if boot && !unfit.is_empty() {
            let f = Finding::warn(
                "post.boot-withheld",
                Severity::Medium,
                "the zone was not booted (--boot): its configuration needs looking at first",
            )
            .detail(format!("see {} above", unfit.join(", ")))
            .remediation(format!(
                "restore what should be kept, then: zoneadm -z {} boot",
                self.facts.zone
            ));
            found.push(f);
        } else if boot {
            let spec = crate::commands::zoneadm::boot_spec(&self.facts.zone);
            let booted = match self.exec.change(&spec) {
                Ok(Some(out)) if out.success() => Ok(true),
                Ok(Some(out)) => Err(out.stderr.trim().to_string()),
                Ok(None) => Ok(false),
                Err(e) => Err(e.to_string()),
            };
            match booted {
                Ok(false) => {}
                Ok(true) => {
                    running = true;
                    match crate::commands::svcs::maintenance(&self.exec.runner, &self.facts.zone) {
                        Ok(list) if list.is_empty() => found.push(Finding::info(
                            "post.services-ok",
                            "the zone booted; no service is in maintenance",
                        )),
                        Ok(list) => found.push(
                            Finding::warn(
                                "post.services-maintenance",
                                Severity::High,
                                format!("{} service(s) in maintenance after boot", list.len()),
                            )
                            .detail(
                                list.iter().map(|p| p.fmri.clone()).collect::<Vec<_>>().join("\n"),
                            )
                            .remediation(format!("zlogin {} svcs -xv", self.facts.zone)),
                        ),
                        Err(e) => found.push(
                            Finding::warn(
                                "post.svcs-failed",
                                Severity::Medium,
                                "could not read the zone's services",
                            )
                            .detail(e.to_string()),
                        ),
                    }
                }
                Err(why) => found.push(
                    Finding::warn(
                        "post.boot-failed",
                        Severity::High,
                        "the zone attached but did not boot",
                    )
                    .detail(why),
                ),
            }
        }
        for f in found {
            self.emit(Event::Finding(f.clone()));
            self.extra_findings.push(f);
        }
        running
    }
}
