//! What people see: colour, progress bars (stderr), prompts (only on a terminal), reports.

pub mod color;
pub mod progress;
pub mod prompt;
pub mod stderr;
pub mod stdout;
pub mod time;

pub use color::Palette;
pub use progress::Spinner;
pub use prompt::{Answer, AutoPrompter, DialoguerPrompter, Prompter};

use std::io::IsTerminal;

/// Guided mode and prompts need a person: stdin and stderr both terminals.
pub fn interactive() -> bool {
    std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
}

/// Which of the streams questions need is not a terminal, for a refusal to name it: `2>&1 |
/// tee log` takes stderr, where the questions are asked, from the terminal.
pub fn not_a_terminal() -> &'static str {
    match (std::io::stdin().is_terminal(), std::io::stderr().is_terminal()) {
        (false, false) => "neither stdin nor stderr is a terminal",
        (false, true) => "stdin is not a terminal",
        _ => {
            "stderr is not a terminal (redirected or piped: to keep a transcript, use --report FILE)"
        }
    }
}

/// Consent to a subcommand's change (rollback, snapshots --prune): `--yes` gives it; otherwise
/// a person reads `plan` (what will happen, on stderr) and answers `question` on a terminal.
/// `Err(why)` is the reason to refuse with.
pub fn consent(yes: bool, plan: &str, question: &str) -> Result<(), &'static str> {
    if yes {
        return Ok(());
    }
    if !interactive() {
        return Err("no terminal to confirm on: add --yes");
    }
    crate::err!("{plan}");
    match (DialoguerPrompter { allow_destructive: false }).confirm(question) {
        Answer::Yes => Ok(()),
        Answer::No | Answer::Skip | Answer::Stop => Err("not confirmed"),
        // A signal while it waited, or the terminal went away: nobody declined.
        Answer::Lost => Err("no answer could be read at the question (a signal, or the terminal \
                             went away); nothing was changed"),
    }
}
