//! `zonerescue --all`: preflight and log analysis over every installed or detached zone of the
//! host, read-only. One table for people, one aggregate JSON object (`--json`) for scripts and
//! fleet tools (see examples/ansible/).
//!
//! It never changes anything, even with `--strategy`/`--yes`: a rescue changes one zone and
//! must name it (`zonerescue --strategy auto --yes ZONE`), so a fleet run cannot rescue zones
//! nobody looked at. Per-zone changes are the caller's explicit, second step.

use std::path::PathBuf;

use serde::Serialize;

use crate::analysis::{RuleSet, Verdict, analyze_reader};
use crate::cli::Cli;
use crate::commands::beadm;
use crate::commands::pkg::{self, Pkg};
use crate::commands::zoneadm::{self, ZoneEntry, ZoneState};
use crate::exit;
use crate::playbook::Playbook;
use crate::strategies::StrategyName;
use crate::system::Runner;

use super::attempt;
use super::diagnosis::Diagnosis;
use super::facts::entire;
use super::findings::Finding;
use super::journal::Journal;
use super::prediction;
use super::preflight;
use super::previous_run;
use super::recover::{analysis_context, runner_from, state_base};

/// Version of the JSON shape of [`FleetReport`]; fields are only added within a version.
pub const FLEET_SCHEMA_VERSION: u32 = 1;

/// The one object `--all --json` prints when it stops on an error: still parseable by a fleet
/// tool collecting reports.
pub fn error_object(exit_status: u8, message: &str) -> serde_json::Value {
    serde_json::json!({
        "schema_version": FLEET_SCHEMA_VERSION,
        "kind": "all",
        "exit_status": exit_status,
        "error": message,
    })
}

/// The aggregate `--all --json` report.
#[derive(Debug, Serialize)]
pub struct FleetReport {
    pub schema_version: u32,
    /// Always `"all"`: tells this object from the per-zone event stream.
    pub kind: &'static str,
    pub host: HostFacts,
    pub zones: Vec<ZoneReport>,
    /// The process exit status this report leads to (0 fine, 1 rescue needed, 3 refused).
    pub exit_status: u8,
    /// Why options asking for changes were ignored, when any were given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Debug, Default, Serialize)]
pub struct HostFacts {
    pub gz_be: Option<String>,
    pub gz_be_uuid: Option<String>,
    pub gz_entire: Option<String>,
    pub gz_publishers: Vec<PublisherSummary>,
}

#[derive(Debug, Serialize)]
pub struct PublisherSummary {
    pub name: String,
    pub enabled: bool,
    pub origins: Vec<String>,
}

/// What `--all` concludes about one zone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ZoneStatus {
    /// Installed and in step with the global zone.
    Fine,
    /// Detached, out of step with the global zone, or its last attach failed.
    NeedsRescue,
    /// Preflight found an inhibitor: zonerescue would refuse it (exit 3).
    Inhibited,
    /// Neither installed nor detached (running, ready …): not examined.
    Skipped,
}

impl ZoneStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ZoneStatus::Fine => "fine",
            ZoneStatus::NeedsRescue => "needs-rescue",
            ZoneStatus::Inhibited => "inhibited",
            ZoneStatus::Skipped => "skipped",
        }
    }
}

#[derive(Debug, Serialize)]
pub struct ZoneReport {
    pub zone: String,
    pub state: String,
    pub brand: String,
    pub status: ZoneStatus,
    /// One line: why this status.
    pub reason: String,
    pub platform: Option<String>,
    pub active_zbe: Option<String>,
    pub gz_entire: Option<String>,
    pub zone_entire: Option<String>,
    /// `entire` versions equal (release and branch); `None` when either is unknown.
    pub in_sync: Option<bool>,
    /// From the newest attach log: `false` when it names unreachable publishers, `true` when
    /// it names none, `None` without a log (a live check needs `pkg refresh`, which writes the
    /// catalog cache, so `--all` does not run one).
    pub publishers_reachable: Option<bool>,
    pub unreachable_publishers: Vec<String>,
    /// Preflight findings (inhibitors have `"inhibitor": true`).
    pub findings: Vec<Finding>,
    pub attach_log: Option<String>,
    pub verdict: Option<Verdict>,
    pub recommended: Option<StrategyName>,
    pub remedies: Vec<StrategyName>,
    /// The remedies auto starts from without an attach, predicted from preflight's facts (the
    /// global zone's catalogs, a zone newer than the global zone); empty when nothing is.
    pub predicted: Vec<StrategyName>,
    /// The pid of a zonerescue run rescuing this zone right now (its journal says running and
    /// the process exists), or of a `zonerescue rollback` of it going on (finding
    /// `journal.rollback-in-progress`): nothing to start, only to wait for. `null` otherwise.
    pub rescue_in_progress: Option<u32>,
    /// What to run next instead of a new rescue, from the zone's journal: `zonerescue resume
    /// ZONE` for a run that stopped before it finished, `zonerescue rollback ZONE` for a
    /// rollback that did not finish; or `pkg refresh PUBLISHER` when the last attach could not
    /// reach the global zone's own publisher, which every rung needs. `null` otherwise.
    pub next: Option<String>,
}

impl ZoneReport {
    /// A zone not examined yet (status `skipped`, every fact unknown).
    pub fn blank(zone: &str, state: &str, brand: &str) -> ZoneReport {
        ZoneReport {
            zone: zone.into(),
            state: state.into(),
            brand: brand.into(),
            status: ZoneStatus::Skipped,
            reason: String::new(),
            platform: None,
            active_zbe: None,
            gz_entire: None,
            zone_entire: None,
            in_sync: None,
            publishers_reachable: None,
            unreachable_publishers: Vec::new(),
            findings: Vec::new(),
            attach_log: None,
            verdict: None,
            recommended: None,
            remedies: Vec::new(),
            predicted: Vec::new(),
            rescue_in_progress: None,
            next: None,
        }
    }
}

pub fn run(cli: &Cli) -> anyhow::Result<u8> {
    let args = &cli.recover;
    let runner = runner_from(cli)?;
    let note = (args.strategy.is_some() || args.yes || args.allow_destructive || args.boot).then(|| {
        "--all only reports and changes nothing, whatever --strategy/--yes say: rescue a zone by \
         naming it, e.g. `zonerescue --strategy auto --yes ZONE`"
            .to_string()
    });
    let forced = match &args.playbook {
        Some(p) => Some(Playbook::load(p)?),
        None => None,
    };
    let rules = RuleSet::builtin().map_err(|e| anyhow::anyhow!("built-in analysis rules: {e}"))?;
    let state = state_base(cli, &runner);
    let report = match zoneadm::list(&runner) {
        Ok(list) => {
            let zones: Vec<ZoneReport> = list
                .iter()
                .filter(|e| !e.is_global())
                .map(|e| {
                    let mut z = examine(&runner, &rules, e, forced.as_ref());
                    note_last_run(&mut z, &state);
                    z
                })
                .collect();
            let exit_status = exit_status(&zones);
            FleetReport {
                schema_version: FLEET_SCHEMA_VERSION,
                kind: "all",
                host: host_facts(&runner),
                zones,
                exit_status,
                note,
            }
        }
        Err(e) => {
            let message = format!("cannot list the zones: {e}");
            if cli.global.json {
                // Still one JSON object, so a fleet tool collecting reports can parse it.
                crate::outln!("{}", error_object(exit::REFUSED, &message))?;
            }
            crate::errln!("zonerescue: refused: {message}");
            return Ok(exit::REFUSED);
        }
    };
    let text = if cli.global.json {
        let mut s = serde_json::to_string_pretty(&report)?;
        s.push('\n');
        s
    } else {
        render_table(&report)
    };
    if let Some(path) = &args.report {
        super::report_file::write(path, &render_table(&report))?;
    }
    crate::out!("{text}")?;
    Ok(report.exit_status)
}

/// 1 when any zone needs rescue or a zone's last run left the global zone's publishers
/// modified (the host needs action even when every zone is fine), else 3 when any would be
/// refused, else 0.
pub fn exit_status(zones: &[ZoneReport]) -> u8 {
    let gz_left =
        |z: &ZoneReport| z.findings.iter().any(|f| f.key == previous_run::GZ_LEFT_MODIFIED);
    if zones.iter().any(|z| z.status == ZoneStatus::NeedsRescue || gz_left(z)) {
        exit::FAILED
    } else if zones.iter().any(|z| z.status == ZoneStatus::Inhibited) {
        exit::REFUSED
    } else {
        exit::OK
    }
}

fn host_facts(runner: &Runner) -> HostFacts {
    let gz = Pkg::live();
    let be = beadm::current(runner).ok();
    HostFacts {
        gz_be: be.as_ref().map(|b| b.name.clone()),
        gz_be_uuid: be.and_then(|b| b.uuid),
        gz_entire: entire(runner, &gz).ok().flatten().map(|f| f.short()),
        gz_publishers: pkg::publishers(runner, &gz)
            .unwrap_or_default()
            .into_iter()
            .map(|p| PublisherSummary {
                enabled: p.enabled,
                origins: p.enabled_origins().map(str::to_string).collect(),
                name: p.name,
            })
            .collect(),
    }
}

/// What the zone's last zonerescue run left (a run that never finished, GZ publishers it may
/// have left modified), from its journal, read only.
fn note_last_run(z: &mut ZoneReport, state: &std::path::Path) {
    let Ok(Some(last)) = Journal::load_checked(&state.join(&z.zone)) else { return };
    let holder = super::lock::holder(&state.join(&z.zone));
    let found = previous_run::survey(&last, holder);
    if let Some(f) = found.iter().find(|f| f.key == previous_run::ROLLBACK_IN_PROGRESS) {
        // Nothing to start: a second rollback or a rescue would be refused by the lock.
        z.rescue_in_progress = holder.and_then(|p| u32::try_from(p).ok());
        z.reason = format!("{}; {}", z.reason, f.title);
    } else if found.iter().any(|f| f.key == previous_run::RUN_IN_PROGRESS) {
        // Its recommendation would start a second run on the zone (refused by the lock).
        z.rescue_in_progress = Some(last.pid);
        z.reason = format!(
            "being rescued now by zonerescue run {} (pid {}); what it last saw: {}",
            last.run_id, last.pid, z.reason
        );
    } else if let Some(f) = found.iter().find(|f| f.key == previous_run::ROLLBACK_UNFINISHED) {
        z.reason = format!("{}; {}", z.reason, f.title);
        z.next = Some(format!("zonerescue rollback {}", z.zone));
    } else if let Some(f) = found.iter().find(|f| f.key == "journal.last-run-unfinished") {
        z.reason = format!("{}; {}", z.reason, f.title);
        if z.status == ZoneStatus::Fine {
            // Attached since (by hand): resuming has nothing to do (round q F1).
            z.reason.push_str(", but the zone has been attached since: nothing to resume");
        } else {
            // The run itself said how to go on: a new rescue would start from its leftovers.
            let until =
                last.stopped_outside.as_ref().map_or(String::new(), |u| format!("   ({u})"));
            z.next = Some(format!("{}{until}", last.resume_command()));
        }
    }
    // The global zone's publishers a killed run left modified: what restores them without
    // undoing anything (a new run on a zone in step restores them and stops there).
    if z.next.is_none() && found.iter().any(|f| f.key == previous_run::GZ_LEFT_MODIFIED) {
        z.next = Some(if z.status == ZoneStatus::Fine {
            format!(
                "zonerescue {}   (puts back the global zone's publishers its last run left \
                 modified; the zone is in step: nothing else is done)",
                crate::cli::rescue_operand(&z.zone)
            )
        } else {
            format!("zonerescue resume {}", z.zone)
        });
    }
    z.findings.extend(found);
}

/// Preflight (the engine's own, read-only) and the analysis of the zone's newest attach log.
fn examine(
    runner: &Runner,
    rules: &RuleSet,
    entry: &ZoneEntry,
    forced: Option<&Playbook>,
) -> ZoneReport {
    let mut z = ZoneReport::blank(&entry.name, &entry.state.to_string(), &entry.brand);
    if !matches!(entry.state, ZoneState::Installed | ZoneState::Configured | ZoneState::Incomplete)
    {
        z.reason = format!("{}: not examined (only installed or detached zones are)", entry.state);
        return z;
    }
    let pf = preflight::run(runner, &entry.name, forced.map(|p| p.platform), false);
    let inhibited = pf.inhibited();
    z.findings = pf.findings;
    let Some(facts) = pf.facts.filter(|_| !inhibited) else {
        z.status = ZoneStatus::Inhibited;
        let why: Vec<&str> =
            z.findings.iter().filter(|f| f.inhibitor).map(|f| f.title.as_str()).collect();
        z.reason = why.join("; ");
        return z;
    };
    z.platform = Some(facts.platform.to_string());
    z.active_zbe = facts.active_zbe.clone();
    z.gz_entire = facts.gz_entire.as_ref().map(|f| f.short());
    z.zone_entire = facts.zone_entire.as_ref().map(|f| f.short());
    z.in_sync = facts.entire_in_sync();
    // The key of a cause outside the image the zone's last attach log shows.
    let mut blocked_by: Option<String> = None;
    let mut image_create_only = false;
    if let Some(path) = attempt::newest_attach_log(runner.paths(), &entry.name)
        && let Some(file) = attempt::open_log(&path)
        && let Ok(report) = analyze_reader(rules, analysis_context(&facts), file)
    {
        let d = Diagnosis::from_report(&report);
        z.attach_log = Some(display_host_path(runner, path));
        z.verdict = Some(report.verdict);
        z.recommended = report.recommended;
        z.remedies = report.remedies.clone();
        // The publisher every rung needs did not answer (gz-publishers keeps it, the others
        // install from it): no strategy is the answer, its repository is (round u F4).
        if let Some(primary) = facts.unreachable_primary(&d) {
            z.recommended = None;
            z.remedies.clear();
            z.next = Some(format!(
                "pkg refresh {primary}   (the global zone's own publisher must answer first; \
                 then: zonerescue {})",
                crate::cli::rescue_operand(&z.zone)
            ));
        }
        // A cause outside the image (a full pool, a ZBE not mounted) stands before every
        // strategy: the ladder would only climb into it.
        else if let Some(k) = &report.blocked_by {
            z.recommended = None;
            z.remedies.clear();
            z.next = Some(format!(
                "once {k} is fixed (zonerescue analyze {} says how): zonerescue {}",
                crate::system::shell_quote(z.attach_log.as_deref().unwrap_or_default()),
                crate::cli::rescue_operand(&z.zone)
            ));
            blocked_by = Some(k.clone());
        }
        z.publishers_reachable = Some(d.publishers.is_empty() && d.origins.is_empty());
        // A package the release's own entire requires and cannot get, or a zone of a later
        // release: auto concludes only image-create gets past (ops mm F3: the ladder was
        // advised, six attaches to the same end).
        image_create_only = !d.required_by_release.is_empty() || d.zone_newer_than_gz();
        z.unreachable_publishers = d.publishers;
    }
    // What auto would start from without an attach (publisher reachability unchecked here).
    let playbook = forced.cloned().unwrap_or_else(|| Playbook::builtin(facts.platform));
    if let Some(d) = prediction::predict(&facts, &playbook) {
        z.predicted =
            if d.zone_newer_than_gz() { vec![StrategyName::ImageCreate] } else { d.remedies };
    }
    let failed = matches!(z.verdict, Some(Verdict::Failed | Verdict::Incomplete));
    (z.status, z.reason) = match (facts.state, z.in_sync) {
        (ZoneState::Configured, _) if failed => (
            ZoneStatus::NeedsRescue,
            format!(
                "detached; its last attach failed ({})",
                match (&z.next, z.recommended, &blocked_by) {
                    (Some(_), _, Some(k)) => format!("{k}, which no strategy fixes"),
                    (Some(_), _, None) => "the global zone's own publisher did not answer".into(),
                    (None, Some(s), _) => format!("try {s}"),
                    // The command is in `next` (below).
                    (None, None, _) if image_create_only => "only image-create gets past".into(),
                    (None, None, _) => "try the ladder".into(),
                }
            ),
        ),
        (ZoneState::Configured, _) => {
            (ZoneStatus::NeedsRescue, "detached: needs attach -u".to_string())
        }
        (_, Some(false)) => (
            ZoneStatus::NeedsRescue,
            format!(
                "installed, but its entire ({}) differs from the global zone's ({}): needs attach -u",
                z.zone_entire.as_deref().unwrap_or("?"),
                z.gz_entire.as_deref().unwrap_or("?")
            ),
        ),
        (_, Some(true)) if !facts.zbe_of_running_gz_be => (
            ZoneStatus::NeedsRescue,
            "installed, its entire in step, but its boot environment belongs to another \
             global-zone BE: needs attach -u (which re-parents it)"
                .into(),
        ),
        (_, Some(true)) => (ZoneStatus::Fine, "installed and in step with the global zone".into()),
        // A halted zone's image is mounted nowhere (fidelity ll F1): a boot environment of
        // another global-zone BE says enough.
        (_, None) if !facts.zbe_of_running_gz_be => (
            ZoneStatus::NeedsRescue,
            "installed, its boot environment belongs to another global-zone BE: needs attach -u \
             (which re-parents it)"
                .into(),
        ),
        (_, None) if facts.zone_image_deferred => (
            ZoneStatus::Fine,
            "installed, its boot environment the running global-zone BE's; its image is not \
             mounted (a halted zone's), so whether its entire is in step is not known"
                .into(),
        ),
        (_, None) => (ZoneStatus::Fine, "installed (entire versions unknown)".into()),
    };
    // A zone of a later release, or one whose release's entire requires what no publisher
    // offers: only image-create gets past (regress nn F5: "needs attach -u", `zonerescue Z`).
    let newer = facts.zone_newer_than_gz();
    if z.status == ZoneStatus::NeedsRescue && z.next.is_none() && (image_create_only || newer) {
        if newer && facts.state == ZoneState::Installed {
            z.reason = format!(
                "installed, its entire ({}) of a later release than the global zone's ({}): no \
                 attach -u can take it (pkg never downgrades)",
                z.zone_entire.as_deref().unwrap_or("?"),
                z.gz_entire.as_deref().unwrap_or("?")
            );
        }
        z.next = Some(format!(
            "zonerescue --strategy auto --allow-destructive {}   (only image-create gets past: it \
             re-creates the package image; or update the global zone to the zone's release)",
            crate::cli::rescue_operand(&z.zone)
        ));
    }
    if z.status == ZoneStatus::Fine {
        // Nothing to rescue: an old log's strategy or a predicted remedy (say, for a dead
        // disabled GZ publisher the attach went past) would read as advice to apply one.
        z.recommended = None;
        z.predicted.clear();
        z.next = None;
    }
    z
}

/// The log path as the host sees it (without the `--system-root` prefix).
fn display_host_path(runner: &Runner, path: PathBuf) -> String {
    let root = runner.paths().host_path("/");
    match path.strip_prefix(&root) {
        Ok(rel) if root != std::path::Path::new("/") => format!("/{}", rel.display()),
        _ => path.display().to_string(),
    }
}

/// The human table: one row per zone, then each zone's reason and notable findings.
pub fn render_table(r: &FleetReport) -> String {
    let mut s = String::new();
    // A run going on has them simplified for its attach: not the host's own configuration.
    let simplified_by: Vec<&str> = r
        .zones
        .iter()
        .filter(|z| z.findings.iter().any(|f| f.key == previous_run::GZ_SIMPLIFIED_NOW))
        .map(|z| z.zone.as_str())
        .collect();
    let simplified = if simplified_by.is_empty() {
        String::new()
    } else {
        format!(
            " (simplified right now by the running rescue of {}; restored when its attach ends)",
            simplified_by.join(", ")
        )
    };
    s.push_str(&format!(
        "Global zone: BE {} · entire {} · publishers {}{simplified}\n\n",
        r.host.gz_be.as_deref().unwrap_or("?"),
        r.host.gz_entire.as_deref().unwrap_or("?"),
        r.host
            .gz_publishers
            .iter()
            .map(|p| if p.enabled { p.name.clone() } else { format!("{} (disabled)", p.name) })
            .collect::<Vec<_>>()
            .join(", ")
    ));
    let header = [
        "ZONE",
        "STATE",
        "BRAND",
        "PLATFORM",
        "ACTIVE ZBE",
        "ENTIRE GZ/ZONE",
        "PUBLISHERS",
        "LAST ATTACH",
        "RECOMMENDED",
        "STATUS",
    ];
    let rows: Vec<Vec<String>> = r
        .zones
        .iter()
        .map(|z| {
            vec![
                z.zone.clone(),
                z.state.clone(),
                z.brand.clone(),
                z.platform.clone().unwrap_or_else(|| "-".into()),
                z.active_zbe
                    .as_deref()
                    .and_then(|d| d.rsplit('/').next())
                    .unwrap_or("-")
                    .to_string(),
                match (&z.gz_entire, &z.zone_entire) {
                    (None, None) => "-".into(),
                    (g, zn) => format!(
                        "{}/{}",
                        g.as_deref().map_or("?", build_part),
                        zn.as_deref().map_or("?", build_part)
                    ),
                },
                match z.publishers_reachable {
                    Some(true) => "reachable".into(),
                    Some(false) if z.unreachable_publishers.is_empty() => "UNREACHABLE".into(),
                    Some(false) => format!("UNREACHABLE: {}", z.unreachable_publishers.join(",")),
                    None => "unchecked".into(),
                },
                z.verdict.map_or("no log".into(), |v| v.as_str().to_string()),
                match (z.recommended, z.predicted.as_slice()) {
                    (Some(s), _) => s.to_string(),
                    (None, []) => "-".into(),
                    (None, p) => {
                        let names: Vec<&str> = p.iter().map(|s| s.as_str()).collect();
                        format!("{}*", names.join("+"))
                    }
                },
                z.status.as_str().to_string(),
            ]
        })
        .collect();
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: &mut dyn Iterator<Item = &str>| -> String {
        let padded: Vec<String> =
            cells.zip(&widths).map(|(c, w)| format!("{c:<w$}", w = *w)).collect();
        format!("{}\n", padded.join("  ").trim_end())
    };
    s.push_str(&line(&mut header.iter().copied()));
    for row in &rows {
        s.push_str(&line(&mut row.iter().map(String::as_str)));
    }
    if r.zones.is_empty() {
        s.push_str("(no non-global zones)\n");
    }
    s.push('\n');
    for z in &r.zones {
        s.push_str(&format!("{}: {}\n", z.zone, z.reason));
        for f in z
            .findings
            .iter()
            .filter(|f| f.inhibitor || f.severity > super::findings::Severity::Info)
        {
            let tag = if f.inhibitor { "INHIBITOR" } else { f.severity.as_str() };
            s.push_str(&format!("  [{tag}] {} ({})\n", f.title, f.key));
        }
        if let Some(log) = &z.attach_log {
            s.push_str(&format!("  log: {log}\n"));
        }
    }
    if r.zones.iter().any(|z| z.publishers_reachable.is_none() && z.status != ZoneStatus::Skipped) {
        // Said, so that "unchecked" beside a dead publisher is not read as "fine".
        s.push_str(
            "\nPUBLISHERS \"unchecked\": no attach log names them, and --all runs no `pkg \
             refresh` (it writes the catalog cache); a rescue's preflight tests them first.\n",
        );
    }
    if r.zones.iter().any(|z| z.recommended.is_none() && !z.predicted.is_empty()) {
        s.push_str(
            "RECOMMENDED \"…*\": predicted without an attach, from the global zone's catalogs \
             and the zones' packages; a rescue (auto) starts there.\n",
        );
    }
    if let Some(n) = &r.note {
        s.push_str(&format!("\nNote: {n}\n"));
    }
    for z in &r.zones {
        if let Some(pid) = z.rescue_in_progress {
            let rolling_back =
                z.findings.iter().any(|f| f.key == previous_run::ROLLBACK_IN_PROGRESS);
            let what = if rolling_back { "rolled back" } else { "rescued" };
            s.push_str(&format!(
                "Wait: {} is being {what} by zonerescue pid {pid}; `zonerescue status {}` \
                 shows its progress\n",
                z.zone, z.zone
            ));
            continue;
        }
        if let Some(next) = &z.next {
            s.push_str(&format!("Next: {next}\n"));
            continue;
        }
        if z.status != ZoneStatus::NeedsRescue {
            continue;
        }
        // auto, not the recommended strategy alone: auto weighs the analysis with the facts
        // (a package the log calls removed may be a rename a step keeps; round r F1).
        s.push_str(&format!(
            "Next: zonerescue {}{}\n",
            crate::cli::rescue_operand(&z.zone),
            z.recommended.map_or(String::new(), |st| format!(
                "   (auto; the last attach's analysis points at {st})"
            ))
        ));
    }
    s
}

/// `entire@0.5.11-0.151054` → the part after `@` (what differs between releases).
fn build_part(short: &str) -> &str {
    short.split_once('@').map_or(short, |(_, v)| v)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zone(name: &str, status: ZoneStatus) -> ZoneReport {
        ZoneReport {
            status,
            recommended: Some(StrategyName::Uninstall),
            ..ZoneReport::blank(name, "installed", "lipkg")
        }
    }

    #[test]
    fn exit_status_rescue_beats_refusal_beats_fine() {
        use ZoneStatus::*;
        assert_eq!(exit_status(&[]), exit::OK);
        assert_eq!(exit_status(&[zone("a", Fine), zone("b", Skipped)]), exit::OK);
        assert_eq!(exit_status(&[zone("a", Fine), zone("b", Inhibited)]), exit::REFUSED);
        assert_eq!(exit_status(&[zone("a", Inhibited), zone("b", NeedsRescue)]), exit::FAILED);
    }

    #[test]
    fn table_has_a_row_per_zone_and_next_steps_for_rescues() {
        let r = FleetReport {
            schema_version: FLEET_SCHEMA_VERSION,
            kind: "all",
            host: HostFacts::default(),
            zones: vec![zone("web", ZoneStatus::Fine), zone("db", ZoneStatus::NeedsRescue)],
            exit_status: exit::FAILED,
            note: None,
        };
        let t = render_table(&r);
        assert!(t.lines().any(|l| l.starts_with("web ") && l.ends_with("fine")), "{t}");
        assert!(t.lines().any(|l| l.starts_with("db ") && l.ends_with("needs-rescue")), "{t}");
        // auto, not the recommended strategy alone (round r F1).
        assert!(
            t.contains(
                "Next: zonerescue db   (auto; the last attach's analysis points at uninstall)"
            ),
            "{t}"
        );
        assert!(!t.contains("Next: zonerescue web"), "{t}");
        assert!(!t.contains("--strategy"), "{t}");
        // Neither zone has an attach log: the table says what "unchecked" means.
        assert!(t.contains("PUBLISHERS \"unchecked\": no attach log names them"), "{t}");
        assert!(!t.contains("simplified right now"), "{t}");
        // A run going on with the GZ publishers simplified for its attach: the header says
        // they are not the host's own (round o minor).
        let mut busy = zone("db", ZoneStatus::NeedsRescue);
        busy.findings.push(Finding::info(previous_run::GZ_SIMPLIFIED_NOW, "simplified"));
        let r = FleetReport { zones: vec![zone("web", ZoneStatus::Fine), busy], ..r };
        let t = render_table(&r);
        let head = t.lines().next().unwrap();
        assert!(head.contains("(simplified right now by the running rescue of db;"), "{t}");
        let empty = FleetReport { zones: Vec::new(), ..r };
        assert!(render_table(&empty).contains("(no non-global zones)"));
    }
}
