//! What people see: colour, progress bars (stderr), prompts (only on a terminal), reports.

pub mod color;
pub mod progress;
pub mod prompt;

pub use color::Palette;
pub use progress::Spinner;
pub use prompt::{Answer, AutoPrompter, DialoguerPrompter, Prompter};

use std::io::IsTerminal;

/// Guided mode and prompts need a person: stdin and stderr both terminals.
pub fn interactive() -> bool {
    std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
}
