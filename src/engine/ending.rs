//! How a maintenance subcommand (`rollback`, `snapshots --prune`) ended, printed in one place:
//! the words people get, or with `--json` one summary object, always the last line of its
//! JSON Lines output (docs/events-json.md).

use serde::Serialize;

use super::events::SCHEMA_VERSION;

/// `S`: the subcommand's summary (`zone`, `result`, `message` …), flattened into the line.
#[derive(Debug)]
pub struct Ending<S> {
    /// The summary's `event`, e.g. `rollback-summary`.
    pub event: &'static str,
    /// The exit status (src/exit.rs).
    pub code: u8,
    /// What people get without `--json`, exactly: lines for stdout, then for stderr.
    pub out: Vec<String>,
    pub err: Vec<String>,
    pub summary: S,
}

impl<S: Serialize> Ending<S> {
    pub fn new(event: &'static str, code: u8, summary: S) -> Ending<S> {
        Ending { event, code, out: Vec::new(), err: Vec::new(), summary }
    }

    pub fn say(mut self, line: String) -> Ending<S> {
        self.out.push(line);
        self
    }

    pub fn warn(mut self, line: String) -> Ending<S> {
        self.err.push(line);
        self
    }

    /// Prints the ending and gives the exit status. The work is done by now: a closed stdout
    /// does not change the status.
    pub fn print(&self, json: bool) -> u8 {
        if json {
            let _ = crate::outln!("{}", self.json_line());
            return self.code;
        }
        for l in &self.out {
            let _ = crate::outln!("{l}");
        }
        for l in &self.err {
            crate::errln!("{l}");
        }
        self.code
    }

    fn json_line(&self) -> String {
        #[derive(Serialize)]
        struct Line<'a, S> {
            schema: u32,
            time: u64,
            event: &'static str,
            #[serde(flatten)]
            summary: &'a S,
        }
        let line = Line {
            schema: SCHEMA_VERSION,
            time: super::journal::now(),
            event: self.event,
            summary: &self.summary,
        };
        // Plain data with string keys: serialising it cannot fail.
        serde_json::to_string(&line)
            .unwrap_or_else(|e| format!("{{\"event\":\"error\",\"error\":\"{e}\"}}"))
    }
}
