//! What a run takes over from the last one its zone's journal records: global-zone publishers
//! that run may have left modified (put back before anything else, since the journal holds the
//! only record of the original) and, for a new run, a run that never finished.

use std::path::{Path, PathBuf};

use super::events::{Event, RunResult};
use super::exec::Exec;
use super::findings::{Finding, Severity};
use super::journal::{Journal, JournalStatus, StepState};
use crate::strategies::GzPublisherGuard;

/// Puts back the GZ publishers a journal recorded (what a killed run may have left unset or
/// disabled).
/// Returns whether they now equal the record.
pub fn restore_recorded_gz_publishers(exec: &Exec, j: &Journal) -> anyhow::Result<bool> {
    use crate::commands::pkg::{
        merge_table_flags, parse_publisher_detail, parse_publisher_table, parse_publisher_tsv,
    };
    let tsv = j.gz_publishers_tsv.clone().unwrap_or_default();
    let mut pubs = parse_publisher_tsv(&tsv)?;
    if let Some(table) = &j.gz_publishers_table {
        merge_table_flags(&mut pubs, &parse_publisher_table(table)?);
    }
    // What only `pkg publisher NAME` showed (SSL key and certificate, proxies) of the
    // publishers the run unset.
    let details = match &j.gz_publishers_detail {
        Some(d) => parse_publisher_detail(d)?,
        None => Vec::new(),
    };
    let Some(mut g) = GzPublisherGuard::recorded(&exec.runner, pubs, tsv, details) else {
        return Ok(true);
    };
    let r = g.restore(exec);
    for f in r.by_others_findings() {
        exec.reporter.emit(&Event::Finding(f));
    }
    if !r.intact {
        exec.reporter.emit(&Event::Finding(
            Finding::warn(
                "gz-publishers.restore-differs",
                Severity::High,
                "THE GLOBAL ZONE'S PUBLISHERS DIFFER FROM THE RECORD",
            )
            .detail(r.difference),
        ));
    }
    Ok(r.intact)
}

/// The GZ publishers `last` (whose `gz_publishers_modified` is set) may have left modified,
/// restored from its record: a finding saying so, or why the run must not go on (the journal
/// is then kept for the next try). A dry run only says what a real run would do.
pub fn restore_gz_publishers(
    exec: &Exec,
    last: &Journal,
    dry_run: bool,
    zone_dir: &Path,
) -> anyhow::Result<Result<Finding, String>> {
    let who = format!("the last run on zone {} ({})", last.zone, last.run_id);
    if dry_run {
        let f = Finding::warn(
            GZ_LEFT_MODIFIED,
            Severity::High,
            format!("{who} may have left the global zone's publishers modified"),
        )
        .remediation("a real run restores them from its journal before anything else");
        return Ok(Ok(f));
    }
    if !restore_recorded_gz_publishers(exec, last)? {
        let journal = Journal::path(zone_dir).display().to_string();
        return Ok(Err(format!(
            "{who} left the global zone's publishers modified, and after restoring them from its \
             journal ({journal}) they still differ from its record (the difference is above: \
             someone may have changed them since); make them match the record by hand \
             (`zonerescue status {}`), or, if they are as they should be now, set the record \
             aside (mv {journal} {journal}.accepted), then run zonerescue again",
            last.zone
        )));
    }
    Ok(Ok(Finding::info(
        GZ_LEFT_MODIFIED,
        format!("{who} had left the global zone's publishers modified: restored from its journal"),
    )))
}

/// The journals of other zones (state directories beside `own`'s under `base`) whose runs
/// left the GZ publishers modified: killed while they were simplified, or their restore failed.
/// Such a journal holds the only record of the publishers every zone's attach should see.
pub fn others_left_modified(base: &Path, own: &str) -> Vec<(PathBuf, Journal)> {
    let Ok(entries) = std::fs::read_dir(base) else { return Vec::new() };
    let mut out = Vec::new();
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        // Only real directories named as zones (never through a symlink someone planted).
        let is_dir = std::fs::symlink_metadata(e.path()).is_ok_and(|m| m.is_dir());
        if name == own || !is_dir || crate::commands::ZoneName::new(&name).is_err() {
            continue;
        }
        if let Ok(Some(j)) = Journal::load(&e.path())
            && j.gz_publishers_modified
            && j.zone == name
        {
            out.push((e.path(), j));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// How `last` ended when it never finished (killed, interrupted, stopped by an error).
fn never_finished(last: &Journal) -> Option<&'static str> {
    match last.status {
        JournalStatus::Running => Some("was killed"),
        JournalStatus::Ended(RunResult::Interrupted) => Some("was interrupted"),
        JournalStatus::Ended(RunResult::Error) => Some("stopped on an error"),
        // Stopped for `resume` (a cause outside the image, another pkg client): nothing was
        // rolled back, so the image holds part of a rescue, like a killed run's.
        // (Not one that rolled its image back as it ended: nothing of it is left.)
        JournalStatus::Ended(RunResult::Failed)
            if last.rolled_back_at_end.is_none()
                && (last.stopped_outside.is_some()
                    || last.steps.iter().any(|s| s.state == StepState::Started)) =>
        {
            Some("stopped for resume")
        }
        JournalStatus::Ended(_) => None,
    }
}

/// The zone as it was before any rescue, when a new run replaces `last`: the earliest
/// pre-rescue snapshot of the chain of runs that changed the zone. Passed on by every later
/// run, whatever became of it — finished, attached, failed with a rung kept, or unfinished:
/// only that snapshot still holds what the rescues took out of the image (a package
/// uninstalled, an image re-created), and `snapshots --prune` keeps what the journal names.
/// None when `last` changed nothing, or was rolled back in full to its pre-rescue snapshot
/// (the image is as before it).
pub fn earlier_pre(last: &Journal) -> Option<String> {
    if last.earlier_pre.is_some() {
        // It began from a chain's leftovers: it passes the record on.
        return last.earlier_pre.clone();
    }
    let undone = (last.rolled_back() && last.rolled_back_partway().is_none())
        || last.rolled_back_at_end.is_some();
    if undone || last.changed_nothing() {
        return None;
    }
    last.pre_snapshot.clone()
}

/// Guided mode's question before a new run replaces `last`, when that run never finished and
/// had changed something (so `resume` can continue it).
pub fn resume_question(last: &Journal) -> Option<String> {
    let how = never_finished(last)?;
    let pre = last.pre_snapshot.as_ref()?;
    Some(format!(
        "The last run ({}) {how} before it finished (strategy {}, {} attach attempt(s), \
         pre-rescue snapshot {pre}). Resume it instead of starting a new run?",
        last.run_id, last.strategy, last.attempts
    ))
}

/// A new run replaces the journal of `last`: when that run never finished and had changed
/// something, say that this one starts from the zone as it was left, and how to continue or
/// undo the old one instead.
pub fn unfinished(last: &Journal) -> Option<Finding> {
    let how = never_finished(last)?;
    last.pre_snapshot.as_ref()?;
    // The start of its chain, else its own pre-rescue snapshot.
    let before = last.earlier_pre.clone().or_else(|| last.pre_snapshot.clone())?;
    let zone = &last.zone;
    let f = Finding::warn(
        "journal.last-run-unfinished",
        Severity::Medium,
        format!("the last run ({}) {how} before it finished", last.run_id),
    )
    .detail(format!(
        "this run starts from the zone as that run left it; the snapshot of the zone before \
         any rescue, {before}, stays (snapshots --prune keeps it)"
    ))
    .remediation(format!(
        "to continue that run instead: stop this one and run `zonerescue resume {zone}`; to \
         return to the zone as it was before any rescue: `zonerescue rollback {zone} --to \
         {before}`"
    ));
    Some(f)
}

/// The key of the finding that a run's GZ publishers, left modified, were (or, in a dry run,
/// would be) restored from its journal.
pub const GZ_LEFT_MODIFIED: &str = "gz-publishers.last-run-modified";

/// The key of the survey's finding for a `zonerescue rollback` that never ended.
pub const ROLLBACK_UNFINISHED: &str = "journal.rollback-unfinished";

/// The key of the survey's finding for a run going on with the GZ publishers simplified.
pub const GZ_SIMPLIFIED_NOW: &str = "gz-publishers.simplified-by-running-run";

/// The key of the survey's finding for a run that is still going on.
pub const RUN_IN_PROGRESS: &str = "journal.run-in-progress";

/// The key of the survey's finding for a `zonerescue rollback` going on now.
pub const ROLLBACK_IN_PROGRESS: &str = "journal.rollback-in-progress";

/// For `--all` (read-only): what the zone's last journalled run left to deal with;
/// `lock_holder`: the process holding the zone's lock now, if any.
pub fn survey(last: &Journal, lock_holder: Option<i32>) -> Vec<Finding> {
    let zone = &last.zone;
    let mut found = Vec::new();
    let live = last.status == JournalStatus::Running && last.runs_now(lock_holder);
    if last.gz_publishers_modified && live {
        // Simplified for its attach right now: what the global zone shows is not its own.
        found.push(Finding::info(
            GZ_SIMPLIFIED_NOW,
            format!(
                "the global zone's publishers are simplified right now for the attach of the \
                 zonerescue run on {zone} ({}): the publishers shown are not the host's own; \
                 that run restores them when its attach ends",
                last.run_id
            ),
        ));
    } else if last.gz_publishers_modified {
        found.push(
            Finding::warn(
                GZ_LEFT_MODIFIED,
                Severity::High,
                format!(
                    "zonerescue's last run for {zone} ({}) may have left the global zone's \
                     publishers modified",
                    last.run_id
                ),
            )
            .remediation(format!(
                "`zonerescue resume {zone}` or a new run (`zonerescue {}`) restores them from \
                 its journal first (so does `zonerescue rollback {zone}`, which also undoes the \
                 rescue)",
                crate::cli::rescue_operand(zone)
            )),
        );
    }
    if let (Some(target), Some(pid)) = (last.rollback_unfinished(), lock_holder) {
        found.push(Finding::info(
            ROLLBACK_IN_PROGRESS,
            format!("a zonerescue rollback of {zone} to {target} is running now (pid {pid})"),
        ));
    } else if let Some(target) = last.rollback_unfinished() {
        found.push(
            Finding::warn(
                ROLLBACK_UNFINISHED,
                Severity::High,
                format!(
                    "a zonerescue rollback of {zone} to {target} did not finish (killed or \
                     crashed): the zone may be detached with the rescued image"
                ),
            )
            .remediation(format!("`zonerescue rollback {zone}` runs it again")),
        );
    }
    if live {
        // No lock is taken here: the run may simply be going on.
        found.push(Finding::info(
            RUN_IN_PROGRESS,
            format!(
                "a zonerescue run for {zone} ({}, pid {}) is in progress",
                last.run_id, last.pid
            ),
        ));
    } else if let Some(how) = never_finished(last)
        && last.pre_snapshot.is_some()
    {
        found.push(
            Finding::warn(
                "journal.last-run-unfinished",
                Severity::Medium,
                format!(
                    "zonerescue's last run for {zone} ({}) {how} before it finished",
                    last.run_id
                ),
            )
            .remediation(match &last.stopped_outside {
                // It stopped on a cause outside the image: resuming before that is fixed
                // only meets it again.
                Some(until) => format!("continue it {until}: {}", last.resume_command()),
                None => format!("continue it: {}", last.resume_command()),
            }),
        );
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_run_that_changed_something_and_never_finished_is_mentioned() {
        let mut j = Journal::new("r1", "web01", "auto", false);
        assert!(unfinished(&j).is_none(), "no pre-rescue snapshot: nothing was changed");
        // A refused run (its snapshot failed) hands on the record it was given.
        j.status = JournalStatus::Ended(RunResult::Refused);
        j.earlier_pre = Some("rpool/zones/web01/ROOT/zbe@zonerescue-r0-pre".into());
        assert_eq!(earlier_pre(&j), j.earlier_pre);
        (j.status, j.earlier_pre) = (JournalStatus::Running, None);
        j.pre_snapshot = Some("rpool/zones/web01/ROOT/zbe@zonerescue-r1-pre".into());
        let f = unfinished(&j).expect("killed (still marked running)");
        let q = resume_question(&j).expect("guided mode offers to resume it");
        assert!(q.contains("r1") && q.ends_with("Resume it instead of starting a new run?"), "{q}");
        assert!(f.title.contains("r1") && f.title.contains("was killed"), "{}", f.title);
        let undo = "zonerescue rollback web01 --to rpool/zones/web01/ROOT/zbe@zonerescue-r1-pre";
        assert!(f.remediation.as_deref().is_some_and(|r| r.contains(undo)), "{f:?}");
        // Our own pid holding the zone's lock: the run is going on, not killed.
        let me = Some(i32::try_from(j.pid).unwrap());
        let keys: Vec<String> = survey(&j, me).into_iter().map(|f| f.key).collect();
        assert_eq!(keys, ["journal.run-in-progress"]);
        // Going on with the GZ publishers simplified for its attach: said as such, not as
        // publishers a run may have left modified (round o minor).
        j.gz_publishers_modified = true;
        let keys: Vec<String> = survey(&j, me).into_iter().map(|f| f.key).collect();
        assert_eq!(keys, ["gz-publishers.simplified-by-running-run", "journal.run-in-progress"]);
        j.gz_publishers_modified = false;
        j.pid = 1; // never a run of ours: as good as a pid that is gone
        j.gz_publishers_modified = true;
        let keys: Vec<String> = survey(&j, None).into_iter().map(|f| f.key).collect();
        assert_eq!(keys, ["gz-publishers.last-run-modified", "journal.last-run-unfinished"]);
        j.gz_publishers_modified = false;
        j.earlier_pre = Some("rpool/zones/web01/ROOT/zbe@zonerescue-r0-pre".into());
        assert_eq!(
            earlier_pre(&j).as_deref(),
            Some("rpool/zones/web01/ROOT/zbe@zonerescue-r0-pre")
        );
        let r0 = j.earlier_pre.clone();
        // A run that changed nothing passes no pre-rescue snapshot of its own on.
        j.earlier_pre = None;
        assert_eq!(earlier_pre(&j), None);
        (j.earlier_pre, j.attempts) = (r0.clone(), 1);
        for (r, said) in [
            (RunResult::Interrupted, true),
            (RunResult::Error, true),
            (RunResult::Failed, false),
            (RunResult::Attached, false),
        ] {
            j.status = JournalStatus::Ended(r);
            assert_eq!(unfinished(&j).is_some(), said, "{r:?}");
            // Round m F7: the start of the chain is passed on even by a run that finished.
            assert_eq!(earlier_pre(&j), r0, "{r:?}");
            j.earlier_pre = None;
            // A run that changed the zone passes its own pre on, finished or not: the zone
            // before any rescue (round o: a finished run's was pruned after a second run).
            assert_eq!(earlier_pre(&j), j.pre_snapshot, "{r:?}: its own pre");
            j.earlier_pre = r0.clone();
            assert_eq!(resume_question(&j).is_some(), said, "{r:?}");
            assert_eq!(survey(&j, None).len(), usize::from(said), "{r:?}");
        }
    }
}
