//! A spinner per step on stderr with elapsed time and the last log line beneath it. Hidden
//! (a no-op) when stderr is not a terminal or with `--json`.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

pub struct Spinner {
    bar: Option<ProgressBar>,
}

impl Spinner {
    pub fn start(enabled: bool, message: &str) -> Spinner {
        if !enabled || !std::io::stderr().is_terminal() {
            return Spinner { bar: None };
        }
        let bar = ProgressBar::new_spinner();
        if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} [{elapsed}]") {
            bar.set_style(style);
        }
        bar.set_message(message.to_string());
        bar.enable_steady_tick(Duration::from_millis(120));
        Spinner { bar: Some(bar) }
    }

    /// Shows `line` (e.g. the newest attach-log line) as the spinner's message.
    pub fn set_line(&self, prefix: &str, line: &str) {
        if let Some(b) = &self.bar {
            let short: String = line.chars().take(100).collect();
            b.set_message(format!("{prefix} | {short}"));
        }
    }

    /// Runs `f` with the spinner hidden (for prompts and printed text).
    pub fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
        match &self.bar {
            Some(b) => b.suspend(f),
            None => f(),
        }
    }

    pub fn finish(self) {
        if let Some(b) = self.bar {
            b.finish_and_clear();
        }
    }
}
