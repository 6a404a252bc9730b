//! A spinner on stderr while a long command runs: the command and its elapsed time, and its
//! newest output line (or attach-log line) beneath. Without `--json` where none can be drawn
//! (stderr no terminal, or TERM unset or dumb), one line names the command instead.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::Palette;

/// Where spinners are drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SpinnerDraw {
    /// Nowhere (`--json`: stderr carries nothing for people to watch).
    Never,
    /// On stderr when it is a terminal.
    Terminal,
    /// Nowhere, but kept with its text (tests read it).
    Hidden,
}

pub struct Spinner {
    bar: Option<ProgressBar>,
    palette: Palette,
}

/// Longest output line shown (the terminal's width cuts it further).
const LINE_MAX: usize = 200;

impl Spinner {
    /// A spinner naming `command`; `palette` says whether its output line may be dimmed.
    pub fn start(draw: SpinnerDraw, command: &str, palette: Palette) -> Spinner {
        let target = match draw {
            // indicatif draws nothing where TERM is unset or dumb (a serial console).
            SpinnerDraw::Terminal
                if std::io::stderr().is_terminal() && !dialoguer::console::is_dumb() =>
            {
                ProgressDrawTarget::stderr()
            }
            SpinnerDraw::Hidden => ProgressDrawTarget::hidden(),
            SpinnerDraw::Terminal => {
                // No spinner: one line says what runs, or a long attach is minutes of silence
                // on a dumb console, and a log kept by cron shows nothing of it.
                crate::errln!("  running: {command}");
                return Spinner { bar: None, palette };
            }
            SpinnerDraw::Never => return Spinner { bar: None, palette },
        };
        let bar = ProgressBar::with_draw_target(None, target);
        // No colour in the template: the palette (--color, NO_COLOR, TERM=dumb) decides.
        if let Ok(style) =
            ProgressStyle::with_template("{spinner} {prefix} [{elapsed}]\n  {wide_msg}")
        {
            // ASCII: a serial console in the C locale shows braille dots as garbage.
            bar.set_style(style.tick_chars("|/-\\ "));
        }
        bar.set_prefix(super::color::terminal_safe(command).into_owned());
        if draw == SpinnerDraw::Terminal {
            bar.enable_steady_tick(Duration::from_millis(120));
        }
        Spinner { bar: Some(bar), palette }
    }

    /// Shows `line` (the command's newest output line, or the attach log's) beneath it.
    pub fn set_line(&self, line: &str) {
        if let Some(b) = &self.bar {
            // A command's or log's own escape sequences never act on the operator's terminal
            // (hostile ss F3: a retitle, a clipboard write, a cleared screen).
            let safe = super::color::terminal_safe(line.trim_end());
            let short: String = safe.chars().take(LINE_MAX).collect();
            b.set_message(self.palette.dim(&short));
        }
    }

    /// What the spinner shows (command, newest line), if it is shown at all.
    pub fn text(&self) -> Option<(String, String)> {
        self.bar.as_ref().map(|b| (b.prefix(), b.message()))
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Hostile ss F3: the spinner showed a command's output line with its escape sequences
    /// raw (a window title, a clipboard write, a cleared screen).
    #[test]
    fn the_newest_line_never_carries_escape_sequences() {
        let s = Spinner::start(SpinnerDraw::Hidden, "pkg -R /z\x1b]0;x\x07 list", Palette::plain());
        s.set_line("Retrying \x1b]52;c;ZWNobyBwd25lZA==\x07\x1b[2J\x1b[H now");
        let (prefix, line) = s.text().unwrap();
        assert!(!line.contains('\x1b') && !line.contains('\x07'), "{line:?}");
        assert!(line.contains("Retrying") && line.contains("now"), "{line:?}");
        assert!(!prefix.contains('\x1b') && !prefix.contains('\x07'), "{prefix:?}");
    }
}
