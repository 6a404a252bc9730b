//! Questions to the operator, behind a small trait so that non-interactive runs and tests
//! drive the same engine: [`DialoguerPrompter`] on a terminal, [`AutoPrompter`] for `--yes`.

use dialoguer::console::Term;
use dialoguer::theme::{ColorfulTheme, SimpleTheme, Theme};
use dialoguer::{Confirm, Input};

use super::color::{self, Palette};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Answer {
    Yes,
    No,
    /// Esc / end of input: stop safely.
    Stop,
}

pub trait Prompter {
    /// A yes/no question about a mutating step.
    fn confirm(&mut self, question: &str) -> Answer;
    /// A destructive step: the operator must type `expected` (the zone name).
    fn confirm_destructive(&mut self, question: &str, expected: &str) -> Answer;
}

/// `--yes`: every ordinary question is answered yes; destructive ones only with
/// `--allow-destructive`.
#[derive(Clone, Debug)]
pub struct AutoPrompter {
    pub allow_destructive: bool,
}

impl Prompter for AutoPrompter {
    fn confirm(&mut self, _question: &str) -> Answer {
        Answer::Yes
    }
    fn confirm_destructive(&mut self, _question: &str, _expected: &str) -> Answer {
        if self.allow_destructive { Answer::Yes } else { Answer::No }
    }
}

/// dialoguer on stderr; used only when stdin and stderr are terminals.
pub struct DialoguerPrompter {
    pub allow_destructive: bool,
}

impl Prompter for DialoguerPrompter {
    fn confirm(&mut self, question: &str) -> Answer {
        let answer = ask(|theme, term| {
            Confirm::with_theme(theme).with_prompt(question).default(false).interact_on_opt(term)
        });
        match answer {
            Ok(Some(true)) => Answer::Yes,
            Ok(Some(false)) => Answer::No,
            Ok(None) | Err(_) => Answer::Stop,
        }
    }

    fn confirm_destructive(&mut self, question: &str, expected: &str) -> Answer {
        if self.allow_destructive {
            return Answer::Yes;
        }
        let typed: Result<String, _> = ask(|theme, term| {
            Input::with_theme(theme)
                .with_prompt(format!(
                    "{question}\nType the zone name ({expected}) to proceed, anything else to skip"
                ))
                .allow_empty(true)
                .interact_text_on(term)
        });
        match typed {
            Ok(t) if t.trim() == expected => Answer::Yes,
            Ok(_) => Answer::No,
            Err(_) => Answer::Stop,
        }
    }
}

/// Runs one dialoguer prompt on stderr, coloured only when `--color` allows it there (dialoguer's
/// colourful theme would colour regardless), and leaves the terminal as it was: on a failed
/// read (Ctrl-C) dialoguer returns with the cursor hidden and the line unended, so the next
/// output would be glued to the question.
fn ask<T>(prompt: impl FnOnce(&dyn Theme, &Term) -> dialoguer::Result<T>) -> dialoguer::Result<T> {
    let term = Term::stderr();
    let result = if Palette::new(color::choice()).enabled() {
        prompt(&ColorfulTheme::default(), &term)
    } else {
        prompt(&SimpleTheme, &term)
    };
    if result.is_err() {
        let _ = term.write_line("");
    }
    let _ = term.show_cursor();
    result
}
