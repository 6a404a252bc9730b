//! The JSON Lines event stream of `--json` (schema [`SCHEMA_VERSION`]). Every line is one
//! object with `schema`, `event` and `time` (seconds since the epoch); the last line of a run
//! is always the `summary`. Human output is produced from the same events by the UI.

use std::time::{SystemTime, UNIX_EPOCH};

use serde::Serialize;

use super::findings::Finding;
use crate::strategies::StrategyName;

pub const SCHEMA_VERSION: u32 = 1;

#[derive(Clone, Debug, Serialize)]
#[serde(tag = "event", rename_all = "kebab-case")]
pub enum Event {
    RunStart {
        run_id: String,
        zone: String,
        strategy: String,
        dry_run: bool,
        version: String,
    },
    Finding(Finding),
    StepStart {
        step: u32,
        name: String,
        #[serde(skip_serializing_if = "String::is_empty")]
        reason: String,
        /// The commands the step plans to run (as an administrator would type them).
        commands: Vec<String>,
        /// The diagnosis' reasons that `reason` quotes (each `title (key)`): a screen that has
        /// shown them already names them by key. Not in the JSON.
        #[serde(skip)]
        evidence: Vec<String>,
    },
    /// A changing command is about to be spawned (never in a dry run, never for read-only
    /// commands); its `command` event follows when it ends.
    CommandStart {
        step: u32,
        command: String,
    },
    Command {
        step: u32,
        command: String,
        exit: Option<i32>,
        elapsed_ms: u64,
        /// True when the command was only shown, not run (`--dry-run`).
        skipped: bool,
    },
    LogLine {
        step: u32,
        path: String,
        line: String,
    },
    Snapshot {
        step: u32,
        name: String,
        action: SnapshotAction,
    },
    StepEnd {
        step: u32,
        name: String,
        outcome: StepOutcome,
        #[serde(skip_serializing_if = "String::is_empty")]
        detail: String,
    },
    Summary(Summary),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SnapshotAction {
    Created,
    RolledBack,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StepOutcome {
    /// The step did its work (a strategy applied; the zone attached).
    Done,
    /// The step's own commands failed; its snapshot was rolled back.
    RolledBack,
    /// The step applied but the attach after it still failed.
    AttachFailed,
    /// Not run: not applicable, declined, skipped by the operator, or dry run.
    Skipped,
    Failed,
}

/// How a run ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RunResult {
    Attached,
    Failed,
    Refused,
    Interrupted,
    /// Another zonerescue process holds the zone (its lock, or a command a killed run left
    /// running there): nothing was changed.
    Locked,
    /// `--dry-run`: nothing changed; the plan was shown.
    Planned,
    /// Stopped by an unexpected error midway.
    Error,
}

impl RunResult {
    pub fn as_str(self) -> &'static str {
        match self {
            RunResult::Attached => "attached",
            RunResult::Failed => "failed",
            RunResult::Refused => "refused",
            RunResult::Interrupted => "interrupted",
            RunResult::Locked => "locked",
            RunResult::Planned => "planned",
            RunResult::Error => "error",
        }
    }

    pub fn exit_code(self) -> u8 {
        use crate::exit;
        match self {
            RunResult::Attached | RunResult::Planned => exit::OK,
            RunResult::Failed => exit::FAILED,
            RunResult::Refused => exit::REFUSED,
            RunResult::Interrupted => exit::INTERRUPTED,
            RunResult::Locked => exit::LOCKED,
            RunResult::Error => exit::ERROR,
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Summary {
    pub zone: String,
    pub result: RunResult,
    pub run_id: String,
    pub strategies_applied: Vec<StrategyName>,
    /// Strategies the operator skipped at a guided question (not tried in this run), in the
    /// order they were skipped.
    pub strategies_skipped: Vec<StrategyName>,
    /// Number of `zoneadm attach -u` attempts made.
    pub attempts: u32,
    /// Snapshots created by this run (full names), oldest first.
    pub snapshots: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pre_snapshot: Option<String>,
    pub zone_state: Option<String>,
    /// GZ publisher configuration equals the one found at the start (None: never touched).
    pub gz_publishers_intact: Option<bool>,
    /// Global-zone publishers someone else changed while the run had simplified them: left
    /// as he set them (not counted against `gz_publishers_intact`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub gz_publishers_changed_by_others: Vec<String>,
    pub message: String,
    /// Commands a human can use next (rollback, inspection).
    pub next_steps: Vec<String>,
    /// Attached: the packages the zone had at the start that it no longer has (uninstalled,
    /// renamed, or forgotten by image-create); empty otherwise.
    pub packages_removed: Vec<String>,
}

#[derive(Serialize)]
struct Line<'a> {
    schema: u32,
    time: u64,
    #[serde(flatten)]
    event: &'a Event,
}

/// Serialises one event as a JSON line.
pub fn to_json_line(event: &Event) -> String {
    let time = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    let line = Line { schema: SCHEMA_VERSION, time, event };
    // Serialising plain data with string keys cannot fail.
    serde_json::to_string(&line)
        .unwrap_or_else(|e| format!("{{\"event\":\"error\",\"error\":\"{e}\"}}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_carry_schema_and_kebab_names() {
        let e = Event::StepEnd {
            step: 2,
            name: "gz-publishers".into(),
            outcome: StepOutcome::AttachFailed,
            detail: String::new(),
        };
        let v: serde_json::Value = serde_json::from_str(&to_json_line(&e)).unwrap();
        assert_eq!(v["schema"], 1);
        let c = Event::CommandStart { step: 4, command: "zoneadm -z z1 attach -u".into() };
        let c: serde_json::Value = serde_json::from_str(&to_json_line(&c)).unwrap();
        assert_eq!(c["event"], "command-start");
        assert_eq!(c["command"], "zoneadm -z z1 attach -u");
        assert_eq!(v["event"], "step-end");
        assert_eq!(v["outcome"], "attach-failed");
        let s = Event::Summary(Summary {
            zone: "z".into(),
            result: RunResult::Attached,
            run_id: "r".into(),
            strategies_applied: vec![StrategyName::GzPublishers],
            strategies_skipped: vec![StrategyName::Attach],
            attempts: 2,
            snapshots: vec![],
            pre_snapshot: None,
            zone_state: Some("installed".into()),
            gz_publishers_intact: Some(true),
            gz_publishers_changed_by_others: vec![],
            message: String::new(),
            next_steps: vec![],
            packages_removed: vec![],
        });
        let v: serde_json::Value = serde_json::from_str(&to_json_line(&s)).unwrap();
        assert_eq!(v["event"], "summary");
        assert_eq!(v["result"], "attached");
        assert_eq!(v["strategies_applied"][0], "gz-publishers");
        assert_eq!(v["strategies_skipped"][0], "attach");
    }
}
