//! The run journal: `<zone state dir>/journal.json`, rewritten atomically (temp file in the
//! same directory, fsync, rename, fsync of the directory) before and after every step, so a
//! crash at any point leaves either the previous or the new complete journal.
//!
//! Format (version [`JOURNAL_FORMAT`]): one JSON object, see [`Journal`].

use std::fs::OpenOptions;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::events::{RunResult, StepOutcome};
use crate::strategies::StrategyName;

pub const JOURNAL_FORMAT: u32 = 1;
const FILE_NAME: &str = "journal.json";

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Journal {
    pub format: u32,
    pub run_id: String,
    pub zone: String,
    pub pid: u32,
    pub started: u64,
    pub updated: u64,
    /// `running` while a run is under way; else how it ended.
    pub status: JournalStatus,
    pub strategy: String,
    pub dry_run: bool,
    pub active_zbe: Option<String>,
    pub zone_root: Option<String>,
    /// The ZBE snapshot taken before anything changed.
    pub pre_snapshot: Option<String>,
    /// The pre-rescue snapshot of the earliest run, of those this run's chain replaced, that
    /// changed the zone: the zone as it was before any rescue. `snapshots --prune` keeps it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub earlier_pre: Option<String>,
    /// The `--playbook` the run was started with (absolute): `resume` continues with it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub playbook: Option<std::path::PathBuf>,
    /// The snapshot the run rolled its image back to as it ended (its pre-rescue one, or the
    /// state before a clone): what its rungs applied is gone, so `resume` has nothing to
    /// continue and starts a new rescue from that image instead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rolled_back_at_end: Option<String>,
    /// The last `zonerescue rollback --to` of this run went to a snapshot taken after its
    /// pre-rescue one that is not a rung's (the operator's own, of the rescued zone): the
    /// pre-rescue snapshot outlived it (ops mm F1).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub rollback_kept_pre: bool,
    /// The run ended having changed nothing but its pre-rescue snapshot (the zone as it
    /// was): `resume` has nothing to continue.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub changed_nothing: bool,
    /// The run stopped on a cause outside the image before it changed anything (the zone as
    /// it was): `resume` runs that rung again once the cause is fixed, and `rollback` has
    /// nothing to undo (regress tt F2: it detached the zone).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub stopped_untouched: bool,
    /// The zone was installed when the rescue began (a resumed run, or a new rescue replacing
    /// a rolled-back run, finds it detached): `attach -F` brings it back as it was once its
    /// image is rolled back.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub installed_at_start: bool,
    /// The run had the operator's consent to destructive rungs (`--allow-destructive`, or
    /// given at a destructive rung's question it stopped in): its `resume` needs it too.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub allow_destructive: bool,
    /// The snapshot the run's rollback as it ended went only partway back to (the ZBE, not a
    /// dataset below it): the image is consistent again only once `zonerescue rollback`
    /// finishes it, and no run goes on from it before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rollback_incomplete: Option<String>,
    /// Solaris 11: the ZBE the run started from, once an attach moved the zone to a clone of
    /// it (`active_zbe`); undoing the rescue makes it the zone's ZBE again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original_zbe: Option<String>,
    /// `pkg publisher -H -F tsv` of the global zone at the start, verbatim.
    pub gz_publishers_tsv: Option<String>,
    /// `pkg publisher -H` of the global zone at the start, verbatim.
    #[serde(default)]
    pub gz_publishers_table: Option<String>,
    /// `pkg publisher NAME…` (the detail listing: SSL key and certificate, proxies,
    /// properties) of the GZ publishers `gz-publishers` unsets, verbatim, written before the
    /// unset (Solaris 11 Express; where the rung only disables publishers nothing is lost).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gz_publishers_detail: Option<String>,
    /// True while the GZ publisher configuration is changed (a crash here needs a restore).
    pub gz_publishers_modified: bool,
    pub strategies_applied: Vec<StrategyName>,
    pub attempts: u32,
    pub steps: Vec<JournalStep>,
    /// Packages found unavailable at the GZ's release and not removable: auto tries no
    /// gentle rung after that, on resume too.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stuck: Vec<String>,
    /// Rungs stopped by installed packages in their way: auto tries them again once the
    /// packages are gone, on resume too.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub blocked: Vec<BlockedRung>,
    /// The zone's build when `incremental` last ran: auto steps again from a later one, on
    /// resume too.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step_from: Option<u64>,
    /// Rungs the operator skipped at a guided question: never proposed again in this run,
    /// on resume neither.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skipped_by_operator: Vec<StrategyName>,
    /// The run stopped because its last attach failed on a cause outside the zone's image
    /// (a full pool, a repository that had answered, a time limit): how to go on. Nothing
    /// was rolled back, so `resume` attaches again before climbing further.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stopped_outside: Option<String>,
    /// The zone's installed packages when the run began (before any rung): a resumed run
    /// reports what the whole rescue removed, not only its own second half.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub zone_packages_at_start: Vec<String>,
    /// The zone's publishers that were enabled when the run began: an attach that failed
    /// may have copied the global zone's in disabled, and a resumed run must not take that
    /// for what the zone had.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub zone_publishers_enabled_at_start: Vec<String>,
    /// Zone publishers the attach under way copies in disabled that the zone had enabled:
    /// enabled again once it attached, by `resume` when this run was killed inside it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reenable_in_zone: Vec<String>,
    /// Renames the zone's packages went through in this run's steps (old, new), learnt while
    /// the step's repository still held the record: the final one may not.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub renamed: Vec<(String, String)>,
    /// Packages a step's release excluded or no longer had (its `entire` stood in their
    /// way): withdrawn, not renamed — a rename leaves a record the solver follows.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub withdrawn: Vec<String>,
    /// What the repositories this run's rungs pointed the zone at offered: one that answered
    /// and is down later is an outage, on resume too (regress ww F1: a resume while it was
    /// still down passed the step over and uninstalled what it keeps).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub repositories: Vec<super::facts::RepositoryOffer>,
    /// The origins this run's first preflight saw answer: down at a resume's, an outage of
    /// the same run, not a dead publisher (regress ww2 F1).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub answered_at_start: Vec<String>,
}

/// A rung that installed packages kept from applying (see [`Journal::blocked`]).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct BlockedRung {
    pub strategy: StrategyName,
    pub packages: Vec<String>,
}

/// The packages that blocked rung `s` (its own dry run named them).
pub fn blockers_of(blocked: &[BlockedRung], s: StrategyName) -> impl Iterator<Item = &String> {
    blocked.iter().filter(move |b| b.strategy == s).flat_map(|b| &b.packages)
}

#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum JournalStatus {
    Running,
    Ended(RunResult),
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct JournalStep {
    pub n: u32,
    /// `snapshot`, `attach`, or a strategy name.
    pub name: String,
    pub state: StepState,
    pub snapshot: Option<String>,
    pub started: u64,
    pub ended: Option<u64>,
    pub outcome: Option<StepOutcome>,
    pub detail: String,
}

/// How many steps before step `n` named `name` were applied (their change kept: the zone
/// attached after them, or their attach failed with the change in place).
pub fn applications_before(steps: &[JournalStep], n: u32, name: &str) -> usize {
    steps
        .iter()
        .filter(|e| e.n < n && e.name == name)
        .filter(|e| matches!(e.outcome, Some(StepOutcome::Done | StepOutcome::AttachFailed)))
        .count()
}

#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum StepState {
    Started,
    Finished,
}

/// How to check the global zone's publishers against a journal's record by hand (`whose`:
/// "this journal's", "that file's"): the tsv does not show a publisher left disabled on every
/// release (reference §3.3), the table does.
pub fn compare_gz_publishers(whose: &str) -> String {
    format!(
        "compare `pkg publisher -H -F tsv` with {whose} gz_publishers_tsv, and `pkg publisher` \
         with {whose} gz_publishers_table (only the table shows a publisher left disabled)"
    )
}

#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    // The cause is in the message, not a source: printed with its chain, it would be twice.
    #[error("writing journal {path}: {cause}")]
    Write { path: String, cause: std::io::Error },
    #[error("reading journal {path}: {cause}")]
    Read { path: String, cause: std::io::Error },
    /// Not parsed (truncated, edited, a format this version does not know).
    #[error(
        "journal {path} is corrupt: {message} (`rollback ZONE --to SNAPSHOT` and `snapshots ZONE` \
         do without it; a new rescue keeps it aside)"
    )]
    Corrupt { path: String, message: String },
    /// Read, or readable, but not to be acted on (another owner, a symlink, another zone's).
    #[error("journal {path}: {message}")]
    Untrusted { path: String, message: String },
}

fn ended_at(when: u64, result: RunResult) -> String {
    format!("the run ended at {}: {}", crate::ui::time::utc(when), result.as_str())
}

pub fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}

impl Journal {
    pub fn new(run_id: &str, zone: &str, strategy: &str, dry_run: bool) -> Journal {
        let t = now();
        Journal {
            format: JOURNAL_FORMAT,
            run_id: run_id.into(),
            zone: zone.into(),
            pid: std::process::id(),
            started: t,
            updated: t,
            status: JournalStatus::Running,
            strategy: strategy.into(),
            dry_run,
            active_zbe: None,
            zone_root: None,
            pre_snapshot: None,
            earlier_pre: None,
            playbook: None,
            rolled_back_at_end: None,
            changed_nothing: false,
            stopped_untouched: false,
            rollback_kept_pre: false,
            installed_at_start: false,
            allow_destructive: false,
            rollback_incomplete: None,
            original_zbe: None,
            gz_publishers_tsv: None,
            gz_publishers_table: None,
            gz_publishers_detail: None,
            gz_publishers_modified: false,
            strategies_applied: Vec::new(),
            attempts: 0,
            steps: Vec::new(),
            stuck: Vec::new(),
            blocked: Vec::new(),
            step_from: None,
            skipped_by_operator: Vec::new(),
            stopped_outside: None,
            zone_packages_at_start: Vec::new(),
            zone_publishers_enabled_at_start: Vec::new(),
            renamed: Vec::new(),
            withdrawn: Vec::new(),
            repositories: Vec::new(),
            answered_at_start: Vec::new(),
            reenable_in_zone: Vec::new(),
        }
    }

    pub fn path(zone_dir: &Path) -> PathBuf {
        zone_dir.join(FILE_NAME)
    }

    /// Reads the journal of `zone_dir`; `Ok(None)` when there is none.
    pub fn load(zone_dir: &Path) -> Result<Option<Journal>, JournalError> {
        let path = Journal::path(zone_dir);
        let shown = path.display().to_string();
        let file = match super::statedir::open_file(OpenOptions::new().read(true), &path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(cause) => return Err(JournalError::Read { path: shown, cause }),
        };
        // Acted on as root (it may restore GZ publishers): only a journal no one else wrote.
        if !file.metadata().is_ok_and(|m| super::statedir::trusted(&m)) {
            return Err(JournalError::Untrusted {
                path: shown,
                message: "not owned by this user, or writable by others: not trusted".into(),
            });
        }
        let mut bytes = Vec::new();
        use std::io::Read;
        (&file)
            .take(16 * 1024 * 1024)
            .read_to_end(&mut bytes)
            .map_err(|cause| JournalError::Read { path: shown.clone(), cause })?;
        Journal::parse(&bytes, &shown).map(Some)
    }

    /// [`Journal::load`] of the zone directory `<state>/ZONE`, acted on for ZONE only: never
    /// through a symlinked directory, and only a journal of that zone (a copied or renamed
    /// state directory would otherwise roll back, prune or resume another zone's datasets).
    pub fn load_checked(zone_dir: &Path) -> Result<Option<Journal>, JournalError> {
        let shown = Journal::path(zone_dir).display().to_string();
        let untrusted = |message: String| JournalError::Untrusted { path: shown.clone(), message };
        if std::fs::symlink_metadata(zone_dir).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(untrusted(format!(
                "{} is a symbolic link: not trusted",
                zone_dir.display()
            )));
        }
        let zone = zone_dir.file_name().map(|n| n.to_string_lossy().into_owned());
        match Journal::load(zone_dir)? {
            Some(j) if Some(&j.zone) != zone.as_ref() => Err(untrusted(format!(
                "it records zone {}, not {}: not acted on (move it where it belongs, or aside)",
                j.zone,
                zone.unwrap_or_default()
            ))),
            j => Ok(j),
        }
    }

    /// Parses a journal's bytes (`shown` names the file in errors). Pure, so it can be fuzzed.
    pub fn parse(bytes: &[u8], shown: &str) -> Result<Journal, JournalError> {
        let j: Journal = serde_json::from_slice(bytes)
            .map_err(|e| JournalError::Corrupt { path: shown.into(), message: e.to_string() })?;
        if j.format != JOURNAL_FORMAT {
            return Err(JournalError::Corrupt {
                path: shown.into(),
                message: format!("format {} is not supported", j.format),
            });
        }
        Ok(j)
    }

    /// Atomically replaces the journal in `zone_dir` with `self`.
    pub fn save(&mut self, zone_dir: &Path) -> Result<(), JournalError> {
        self.updated = now();
        self.put_back(zone_dir)
    }

    /// Writes the journal as it is (its `updated` time kept): a record put back.
    pub fn put_back(&self, zone_dir: &Path) -> Result<(), JournalError> {
        // A dry run must not replace a real run's journal: resume, rollback and the record of
        // the GZ publishers need it.
        if self.dry_run {
            return Ok(());
        }
        let path = Journal::path(zone_dir);
        let shown = path.display().to_string();
        let werr = |cause| JournalError::Write { path: shown.clone(), cause };
        let mut text = serde_json::to_vec_pretty(self)
            .map_err(|e| werr(std::io::Error::other(e.to_string())))?;
        text.push(b'\n');
        super::statedir::write_atomically(zone_dir, FILE_NAME, &text, true).map_err(werr)
    }

    /// Records the start of a step and returns its number.
    pub fn begin_step(&mut self, name: &str, snapshot: Option<String>) -> u32 {
        let n = self.steps.len() as u32 + 1;
        self.steps.push(JournalStep {
            n,
            name: name.into(),
            state: StepState::Started,
            snapshot,
            started: now(),
            ended: None,
            outcome: None,
            detail: String::new(),
        });
        n
    }

    pub fn end_step(&mut self, n: u32, outcome: StepOutcome, detail: &str) {
        if let Some(s) = self.steps.iter_mut().find(|s| s.n == n) {
            s.state = StepState::Finished;
            s.ended = Some(now());
            s.outcome = Some(outcome);
            s.detail = detail.into();
        }
    }

    pub fn set_step_snapshot(&mut self, n: u32, snapshot: &str) {
        if let Some(s) = self.steps.iter_mut().find(|s| s.n == n) {
            s.snapshot = Some(snapshot.into());
        }
    }

    /// Whether step `st`, begun and not ended, had applied its change (the rest of the run
    /// came after it): `strategies_applied` holds more of its name than the steps before it
    /// account for (auto may run uninstall twice, for other packages).
    pub fn applied_unended(&self, st: &JournalStep) -> bool {
        st.name.parse::<StrategyName>().is_ok_and(|s| {
            self.strategies_applied.iter().filter(|a| **a == s).count()
                > applications_before(&self.steps, st.n, &st.name)
        })
    }

    /// Whether `zonerescue rollback` undid this run (its last step): nothing is left to resume.
    /// The run's own rollback as it ended stopped partway, and no `zonerescue rollback` has
    /// finished it since: its target.
    pub fn rollback_left_partway(&self) -> Option<&str> {
        self.rollback_incomplete.as_deref().filter(|_| !self.rolled_back())
    }

    pub fn rolled_back(&self) -> bool {
        self.steps
            .last()
            .is_some_and(|s| s.name == "rollback" && s.outcome == Some(StepOutcome::Done))
    }

    /// A `zonerescue rollback` of this run began and never ended (killed, or running now):
    /// its target snapshot.
    pub fn rollback_unfinished(&self) -> Option<&str> {
        let last = self.steps.last().filter(|s| s.name == "rollback" && s.outcome.is_none())?;
        Some(last.snapshot.as_deref().unwrap_or("its target"))
    }

    /// Whether the last thing done to this run was a `zonerescue rollback` that failed.
    pub fn rollback_failed(&self) -> bool {
        self.steps
            .last()
            .is_some_and(|s| s.name == "rollback" && s.outcome == Some(StepOutcome::Failed))
    }

    /// The snapshot `zonerescue rollback` returned this run's image to, when it undid the run
    /// only partway (`--to` a rung's snapshot): the image still holds the earlier rungs'
    /// changes, and only the pre-rescue snapshot the zone as it was.
    pub fn rolled_back_partway(&self) -> Option<&str> {
        let target = self.rolled_back_to()?;
        // One of this run's rungs' own snapshots: taken after the pre-rescue one. A target
        // older than that (an earlier run's, the operator's own) undid the whole run.
        let rung = self.steps.iter().any(|s| {
            !matches!(s.name.as_str(), "rollback" | "snapshot")
                && s.snapshot.as_deref() == Some(target)
        });
        (rung || self.rollback_kept_pre).then_some(target)
    }

    /// The snapshot the last `zonerescue rollback` of this run returned the image to.
    pub fn rolled_back_to(&self) -> Option<&str> {
        self.steps.last().filter(|_| self.rolled_back())?.snapshot.as_deref()
    }

    /// Records why step `n` stopped without ending it (`resume` runs it again).
    pub fn set_step_detail(&mut self, n: u32, detail: &str) {
        if let Some(s) = self.steps.iter_mut().find(|s| s.n == n) {
            s.detail = detail.into();
        }
    }

    /// The command that continues this run: with the consent it had to destructive rungs (a
    /// stopped destructive rung runs again only with it).
    pub fn resume_command(&self) -> String {
        let consent = if self.allow_destructive { " --allow-destructive" } else { "" };
        format!("zonerescue resume {}{consent}", self.zone)
    }

    /// Whether the run certainly left the zone as it found it: no strategy applied, no attach
    /// tried, and every step but the snapshot skipped (a step without an end, or one that
    /// failed or was rolled back, may have changed the zone or detached it).
    pub fn changed_nothing(&self) -> bool {
        self.strategies_applied.is_empty()
            && self.attempts == 0
            && self
                .steps
                .iter()
                .all(|s| s.name == "snapshot" || s.outcome == Some(StepOutcome::Skipped))
    }

    /// Whether the run's process is running now: a run holds the zone's lock throughout, so
    /// the lock's `holder` must be its pid (a live process of that pid that does not hold it
    /// reused the pid after the run was killed).
    pub fn runs_now(&self, holder: Option<i32>) -> bool {
        holder.is_some_and(|h| i64::from(h) == i64::from(self.pid))
    }

    /// The plain-words account `zonerescue status` prints; `pid_alive`: whether the run's
    /// process still runs it (see [`Journal::runs_now`]; only asked of a journal marked
    /// running); `lock_holder`: the
    /// process holding the zone's lock now (a rollback under way holds it).
    pub fn describe(&self, pid_alive: bool, lock_holder: Option<i32>) -> String {
        let mut out = String::new();
        let (pid, zone) = (self.pid, &self.zone);
        let status = match self.status {
            JournalStatus::Running if pid_alive => format!("running now (pid {pid})"),
            JournalStatus::Running => format!(
                "killed or crashed (pid {pid} is gone, or no longer this run): `zonerescue resume \
                 {zone}` continues it"
            ),
            JournalStatus::Ended(_) if self.rollback_unfinished().is_some() => {
                let target = self.rollback_unfinished().unwrap_or_default();
                match lock_holder {
                    Some(p) => format!(
                        "its rollback (`zonerescue rollback`) to {target} is running now (pid \
                         {p}): wait for it"
                    ),
                    None => format!(
                        "its rollback (`zonerescue rollback`) to {target} did not finish \
                         (killed or crashed): the zone may be detached; `zonerescue rollback \
                         {zone}` runs it again"
                    ),
                }
            }
            JournalStatus::Ended(_) if self.rollback_failed() => {
                "its rollback (`zonerescue rollback`) failed midway (see that step): the zone \
                 may be detached; `zoneadm list -cv` shows its state"
                    .into()
            }
            JournalStatus::Ended(_) if self.rolled_back_partway().is_some() => format!(
                "rolled back partway (`zonerescue rollback --to`) to {}: the image keeps the \
                 changes of the steps before it; the zone as before the rescue is {}",
                self.rolled_back_partway().unwrap_or_default(),
                self.pre_snapshot.as_deref().unwrap_or("-")
            ),
            JournalStatus::Ended(_)
                if self.rolled_back() && self.rolled_back_to() != self.pre_snapshot.as_deref() =>
            {
                format!(
                    "rolled back (`zonerescue rollback --to`) to {}, older than this run's \
                     pre-rescue snapshot: the zone is as it was then",
                    self.rolled_back_to().unwrap_or("-")
                )
            }
            JournalStatus::Ended(_)
                if self.rolled_back()
                    && self
                        .earlier_pre
                        .as_ref()
                        .is_some_and(|e| Some(e) != self.pre_snapshot.as_ref()) =>
            {
                "rolled back (`zonerescue rollback`): the zone is as this run found it, which an \
                 earlier rescue had changed (before any rescue: below)"
                    .into()
            }
            JournalStatus::Ended(_) if self.rolled_back() => {
                "rolled back (`zonerescue rollback`): the zone is as before the rescue".into()
            }
            JournalStatus::Ended(r) => r.as_str().to_string(),
        };
        out.push_str(&format!(
            "zone {zone}: run {} (pid {pid}), strategy {}, {status}\n",
            self.run_id, self.strategy
        ));
        // A step without an end is under way only while the run is.
        let unended = match self.status {
            JournalStatus::Running if pid_alive => "in progress".to_string(),
            JournalStatus::Ended(_)
                if lock_holder.is_some() && self.rollback_unfinished().is_some() =>
            {
                "in progress".to_string()
            }
            JournalStatus::Running => "not finished (the run was killed or crashed)".to_string(),
            JournalStatus::Ended(r) => format!("not finished ({})", ended_at(self.updated, r)),
        };
        if let Some(s) = &self.pre_snapshot {
            // `zfs rollback -r` to an older snapshot destroyed it (and the rungs' ones).
            let gone = match self.rolled_back_to() {
                Some(t) if t != s && self.rolled_back_partway().is_none() => {
                    format!(" (destroyed by the rollback to {t})")
                }
                _ => String::new(),
            };
            out.push_str(&format!("  pre-rescue snapshot: {s}{gone}\n"));
        }
        if let Some(s) = &self.earlier_pre {
            out.push_str(&format!(
                "  before any rescue (an earlier run's pre-rescue snapshot): {s}\n"
            ));
        }
        if let Some(t) = self.rollback_left_partway() {
            out.push_str(&format!(
                "  WARNING: the run's rollback to {t} as it ended stopped partway (a dataset below \
                 the zone boot environment was not rolled back): the image is neither as it was \
                 nor as rescued; finish it with `zonerescue rollback {zone}` before anything else\n"
            ));
        }
        if self.gz_publishers_modified {
            out.push_str(&format!(
                "  WARNING: the global zone's publishers may still be modified: {}; the next \
                 zonerescue run on this zone restores them from it first\n",
                compare_gz_publishers("this journal's")
            ));
        }
        let applied: Vec<&str> = self.strategies_applied.iter().map(|s| s.as_str()).collect();
        // Still listed after a rollback (the run did apply them): say they are gone again.
        let undone = match self.rolled_back_partway() {
            _ if applied.is_empty() => String::new(),
            Some(target) => format!(" (the rollback to {target} undid those applied after it)"),
            None if self.rolled_back() => " (all undone by the rollback)".into(),
            None => match &self.rolled_back_at_end {
                Some(t) => {
                    format!(" (all undone: the run rolled its image back to {t} as it ended)")
                }
                None => String::new(),
            },
        };
        out.push_str(&format!(
            "  strategies applied: {}{undone}; attach attempts: {}\n",
            if applied.is_empty() { "none".into() } else { applied.join(", ") },
            self.attempts
        ));
        for s in &self.steps {
            let state = match (s.state, s.outcome) {
                // A rung applied whose attach the ended run never reached (it stopped on
                // a later rung): its change is in the image; `resume` attaches with it. (The
                // plain attach's only work is that attach.)
                (StepState::Started, _)
                    if let JournalStatus::Ended(r) = self.status
                        && s.name != "attach"
                        && self.applied_unended(s) =>
                {
                    let ended = ended_at(self.updated, r);
                    match (&self.rolled_back_at_end, self.rollback_left_partway()) {
                        (_, Some(t)) => format!(
                            "applied, then partly undone by the unfinished rollback to {t} ({ended})"
                        ),
                        (Some(t), _) => {
                            format!("applied, then undone by the rollback to {t} ({ended})")
                        }
                        (None, None) => {
                            format!("applied, not yet attached ({ended})")
                        }
                    }
                }
                // The run stopped there and a `zonerescue rollback` ended it afterwards: not
                // the run's own end (ops uu F3: "the run ended at <the rollback's time>: failed").
                (StepState::Started, _)
                    if s.name != "rollback"
                        && self.steps.last().is_some_and(|l| l.name == "rollback") =>
                {
                    "not finished when the run stopped (a rollback came after)".into()
                }
                (StepState::Started, _) => unended.clone(),
                (StepState::Finished, Some(o)) => serde_json::to_value(o)
                    .ok()
                    .and_then(|v| v.as_str().map(String::from))
                    .unwrap_or_default(),
                (StepState::Finished, None) => "finished".into(),
            };
            out.push_str(&format!("  {:>2}. {:<16} {state}", s.n, s.name));
            if let Some(snap) = &s.snapshot {
                out.push_str(&format!(" (snapshot {snap})"));
            }
            if !s.detail.is_empty() {
                out.push_str(&format!(": {}", s.detail));
            }
            out.push('\n');
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn applications_before_count_only_kept_changes() {
        let mut j = Journal::new("r1", "z1", "auto", false);
        let a = j.begin_step("uninstall", None);
        j.end_step(a, StepOutcome::AttachFailed, "");
        let b = j.begin_step("uninstall", None);
        j.end_step(b, StepOutcome::RolledBack, "");
        let c = j.begin_step("uninstall", None);
        let other = j.begin_step("incremental", None);
        j.end_step(other, StepOutcome::Done, "");
        assert_eq!(applications_before(&j.steps, c, "uninstall"), 1);
        assert_eq!(applications_before(&j.steps, a, "uninstall"), 0);
        assert_eq!(applications_before(&j.steps, 99, "incremental"), 1);
    }

    #[test]
    fn unended_steps_are_described_by_how_the_run_ended() {
        let mut j = Journal::new("r1", "z1", "auto", false);
        j.begin_step("uninstall", None);
        let running = j.describe(true, None);
        assert!(
            running.contains("running now (pid") && running.contains("in progress"),
            "{running}"
        );
        let dead = j.describe(false, None);
        assert!(
            dead.contains("no longer this run): `zonerescue resume z1` continues it"),
            "{dead}"
        );
        assert!(dead.contains("not finished (the run was killed or crashed)"), "{dead}");
        j.status = JournalStatus::Ended(RunResult::Interrupted);
        j.updated = 1_321_353_000;
        let ended = j.describe(true, None);
        assert!(
            ended.contains("not finished (the run ended at 2011-11-15 10:30:00 UTC: interrupted)"),
            "{ended}"
        );
        assert!(!ended.contains("in progress") && !ended.contains("running now"), "{ended}");
        // A rollback begun on the ended run: going on while a process holds the zone's lock.
        j.begin_step("rollback", Some("rpool/zones/z1/ROOT/zbe@zonerescue-r1-pre".into()));
        let rolling = j.describe(false, Some(42));
        assert!(rolling.contains("is running now (pid 42): wait for it"), "{rolling}");
        assert!(rolling.contains("in progress"), "{rolling}");
        let killed = j.describe(false, None);
        assert!(killed.contains("did not finish (killed or crashed)"), "{killed}");
        assert!(!killed.contains("in progress"), "{killed}");
        // The run's own unended step is not dated by the rollback that came after (ops uu F3).
        let n = j.steps.last().unwrap().n;
        j.end_step(n, StepOutcome::Done, "rolled back");
        j.status = JournalStatus::Ended(RunResult::Failed);
        j.updated = 1_321_360_000;
        let after = j.describe(false, None);
        let uninstall = after.lines().find(|l| l.contains(". uninstall ")).unwrap();
        assert!(
            uninstall.ends_with("not finished when the run stopped (a rollback came after)"),
            "{after}"
        );
    }

    /// Round i C1: a run stopped in a rung after an earlier one applied (auto attaches once
    /// after both): the earlier one is in the image, the stopped one is not.
    #[test]
    fn a_rung_applied_before_a_stop_is_described_as_applied() {
        let mut j = Journal::new("r1", "z1", "auto", false);
        j.begin_step("gz-publishers", None);
        j.strategies_applied.push(StrategyName::GzPublishers);
        let stopped = j.begin_step("incremental", None);
        j.set_step_detail(stopped, "stopped: out-of-space");
        j.status = JournalStatus::Ended(RunResult::Failed);
        j.updated = 1_321_353_000;
        let text = j.describe(false, None);
        let line = |name: &str| {
            text.lines().find(|l| l.contains(&format!(". {name} "))).unwrap().to_string()
        };
        assert!(
            line("gz-publishers").ends_with(
                "applied, not yet attached (the run ended at 2011-11-15 10:30:00 UTC: failed)"
            ),
            "{text}"
        );
        assert!(
            line("incremental").ends_with("failed): stopped: out-of-space")
                && line("incremental").contains("not finished"),
            "{text}"
        );
    }

    #[test]
    fn a_dry_run_leaves_the_last_real_runs_journal() {
        let d = tempfile::tempdir().unwrap();
        let mut real = Journal::new("r1", "web01", "auto", false);
        real.gz_publishers_modified = true;
        real.save(d.path()).unwrap();
        Journal::new("r2", "web01", "auto", true).save(d.path()).unwrap();
        let kept = Journal::load(d.path()).unwrap().unwrap();
        assert_eq!((kept.run_id.as_str(), kept.gz_publishers_modified), ("r1", true));
    }

    /// Ops round aa F2b: a live process of the journal's pid that does not hold the zone's
    /// lock reused the pid: the run is not running now.
    #[test]
    fn a_run_runs_now_only_while_it_holds_the_lock() {
        let j = Journal::new("r1", "web01", "auto", false);
        let me = i32::try_from(j.pid).unwrap();
        assert!(j.runs_now(Some(me)));
        assert!(!j.runs_now(Some(me + 1)));
        assert!(!j.runs_now(None));
    }

    #[test]
    fn save_load_round_trip_and_corruption() {
        let d = tempfile::tempdir().unwrap();
        let mut j = Journal::new("r1", "web01", "auto", false);
        let n = j.begin_step("attach", None);
        j.save(d.path()).unwrap();
        // Journals without `stuck` or `blocked` (written before they existed) still load.
        let text = std::fs::read_to_string(Journal::path(d.path())).unwrap();
        assert!(!text.contains("stuck") && !text.contains("blocked"), "{text}");
        let old = Journal::load(d.path()).unwrap().unwrap();
        assert_eq!(old.stuck, Vec::<String>::new());
        assert_eq!(old.blocked, Vec::new());
        j.end_step(n, StepOutcome::AttachFailed, "no solution");
        j.strategies_applied.push(StrategyName::Attach);
        j.stuck.push("driver/xvm/pv".into());
        j.blocked.push(BlockedRung {
            strategy: StrategyName::Incremental,
            packages: vec!["developer/sunstudio12u1".into()],
        });
        j.status = JournalStatus::Ended(RunResult::Failed);
        j.save(d.path()).unwrap();
        let back = Journal::load(d.path()).unwrap().unwrap();
        assert_eq!(back, j);
        assert!(back.describe(false, None).contains("attach-failed"));
        std::fs::write(Journal::path(d.path()), b"{not json").unwrap();
        let e = Journal::load(d.path()).unwrap_err();
        assert!(e.to_string().contains("corrupt"));
        assert!(Journal::load(&d.path().join("none")).unwrap().is_none());
        // Round j F1: one that others may have written is not acted on.
        j.save(d.path()).unwrap();
        use std::os::unix::fs::PermissionsExt;
        let writable = std::fs::Permissions::from_mode(0o666);
        std::fs::set_permissions(Journal::path(d.path()), writable).unwrap();
        let e = Journal::load(d.path()).unwrap_err();
        assert!(e.to_string().contains("not trusted"), "{e}");
    }
}
