//! Questions to the operator, behind a small trait so that non-interactive runs and tests
//! drive the same engine: [`DialoguerPrompter`] on a terminal, [`AutoPrompter`] for `--yes`.

use dialoguer::console::{Key, Term};
use dialoguer::theme::{ColorfulTheme, SimpleTheme, Theme};

use super::color::{self, Palette};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Answer {
    Yes,
    /// No: at [`Prompter::choose`], stop the rescue here; at
    /// [`Prompter::confirm_destructive`], not allowed (no one was asked and
    /// `--allow-destructive` was not given).
    No,
    /// Not this remedy, but go on: the operator skipped it ([`Prompter::choose`]) or declined
    /// a destructive one by not typing the zone name ([`Prompter::confirm_destructive`]).
    Skip,
    /// q (or a failed yes/no read): stop safely.
    Stop,
    /// No answer could be read (the terminal went away: a dropped SSH session): nobody
    /// decided anything.
    Lost,
}

pub trait Prompter {
    /// A yes/no question about a mutating step.
    fn confirm(&mut self, question: &str) -> Answer;
    /// A rung that destroys nothing: apply it ([`Answer::Yes`]), skip it and let the tool
    /// choose the next one ([`Answer::Skip`]), or stop ([`Answer::No`], [`Answer::Stop`]).
    /// A prompter that offers no skip asks yes/no, no stopping.
    fn choose(&mut self, question: &str) -> Answer {
        self.confirm(question)
    }
    /// A destructive step: the operator must type `expected` (the zone name).
    fn confirm_destructive(&mut self, question: &str, expected: &str) -> Answer;
    /// Whether a person answers (read-only checks that only make a question precise are
    /// skipped when not).
    fn asks(&self) -> bool {
        true
    }
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
    fn asks(&self) -> bool {
        false
    }
}

/// dialoguer on stderr; used only when stdin and stderr are terminals.
pub struct DialoguerPrompter {
    pub allow_destructive: bool,
}

impl Prompter for DialoguerPrompter {
    /// One key, no Enter: y applies, n or a bare Enter declines (the safe default), q or
    /// Ctrl-C stop.
    fn confirm(&mut self, question: &str) -> Answer {
        one_key(question, YES_NO, yes_no_for_key)
    }

    /// One key, no Enter: y applies, s skips, n or a bare Enter stops (the safe default),
    /// q or Ctrl-C stop too.
    fn choose(&mut self, question: &str) -> Answer {
        one_key(question, CHOICES, choice_for_key)
    }

    fn confirm_destructive(&mut self, question: &str, expected: &str) -> Answer {
        if self.allow_destructive {
            return Answer::Yes;
        }
        let p = Palette::new(color::choice());
        let question = color::terminal_safe(question);
        // Read here, key by key, not by dialoguer's Input: its redraw counted the question's
        // rows without their wrapping, so at 80 columns the destructive question was shown
        // twice, the second time with a check mark whatever the answer (ops vv F2, uu F5),
        // and it moved the cursor on a dumb terminal.
        let typed = ask(|_, term| {
            if !term.is_term() {
                return Err(std::io::Error::other("not a terminal").into());
            }
            term.write_str(&format!(
                "{}\nType the zone name ({expected}) to proceed, anything else to skip: ",
                p.bold(&question)
            ))?;
            term.flush()?;
            Ok(read_typed_line(term)?)
        });
        match typed {
            Ok(t) if t.trim() == expected => Answer::Yes,
            // The operator was asked and did not consent: declined, not "not allowed".
            Ok(_) => Answer::Skip,
            Err(_) => Answer::Lost,
        }
    }
}

/// `question`, with the answers `choices` on the line after it, answered by the first key
/// `answer` maps (the others are ignored); the answer is written after the choices.
fn one_key(question: &str, choices: &str, answer: fn(Key) -> Option<Answer>) -> Answer {
    let p = Palette::new(color::choice());
    let question = color::terminal_safe(question);
    let answered = ask(|_, term| {
        if !term.is_term() {
            // read_key would return Key::Unknown for ever.
            return Err(std::io::Error::other("not a terminal").into());
        }
        // The cursor stays where the key is typed (ops ss F3: it was hidden there, and a
        // dumb terminal showed the hide/show sequences as text).
        term.write_str(&format!("{}\n{choices}", p.bold(&question)))?;
        term.flush()?;
        let a = loop {
            if let Some(a) = answer(term.read_key()?) {
                break a;
            }
        };
        term.write_line(match a {
            Answer::Yes => "yes",
            Answer::Skip => "skip",
            Answer::No => "no",
            Answer::Stop | Answer::Lost => "stop",
        })?;
        Ok(a)
    });
    answered.unwrap_or(Answer::Lost)
}

/// A line typed at a question, echoed as typed: Backspace takes back a character, Enter ends
/// it, Ctrl-C (an error from `read_key`) interrupts.
fn read_typed_line(term: &Term) -> std::io::Result<String> {
    let mut typed = String::new();
    loop {
        match term.read_key()? {
            Key::Enter => break,
            Key::Backspace if !typed.is_empty() => {
                typed.pop();
                term.write_str("\x08 \x08")?;
            }
            Key::Char(c) if !c.is_control() && typed.len() < 256 => {
                typed.push(c);
                term.write_str(c.encode_utf8(&mut [0; 4]))?;
            }
            _ => {}
        }
        term.flush()?;
    }
    term.write_line("")?;
    Ok(typed)
}

/// The answers to [`DialoguerPrompter::choose`], on the line after the question (ASCII, under
/// 80 columns: remote consoles).
const CHOICES: &str =
    "  [y] apply it  [s] skip it, choose the next remedy  [N] stop, undo the run: ";

/// The answers to [`DialoguerPrompter::confirm`].
const YES_NO: &str = "  [y] yes  [N] no  [q] stop: ";

/// What a key means at [`DialoguerPrompter::confirm`]; `None`: ignored.
fn yes_no_for_key(key: Key) -> Option<Answer> {
    match key {
        Key::Char('s' | 'S') => None,
        key => choice_for_key(key),
    }
}

/// What a key means at [`DialoguerPrompter::choose`]; `None`: ignored, wait for another.
fn choice_for_key(key: Key) -> Option<Answer> {
    match key {
        Key::Char('y' | 'Y') => Some(Answer::Yes),
        Key::Char('s' | 'S') => Some(Answer::Skip),
        // The default stays the safe one: a bare Enter applies nothing.
        Key::Char('n' | 'N') | Key::Enter => Some(Answer::No),
        Key::Char('q' | 'Q') => Some(Answer::Stop),
        // Esc too: on a slow serial console (9600 baud, ILOM, ipmitool sol) an arrow key's
        // bytes arrive apart and the first reads as a bare Esc, which must not undo the run.
        _ => None,
    }
}

/// Runs one dialoguer prompt on stderr, coloured only when `--color` allows it there (dialoguer's
/// colourful theme would colour regardless), and leaves the terminal as it was: on a failed
/// read (Ctrl-C) dialoguer returns with the cursor hidden and the line unended, so the next
/// output would be glued to the question.
fn ask<T>(prompt: impl FnOnce(&dyn Theme, &Term) -> dialoguer::Result<T>) -> dialoguer::Result<T> {
    discard_typeahead();
    let term = Term::stderr();
    let result = if Palette::new(color::choice()).enabled() {
        prompt(&ColorfulTheme::default(), &term)
    } else {
        prompt(&SimpleTheme, &term)
    };
    if result.is_err() {
        let _ = term.write_line("");
    }
    // Only where dialoguer may have hidden it: never as text on a dumb terminal.
    if !dialoguer::console::is_dumb() {
        let _ = term.show_cursor();
    }
    result
}

/// Only keys typed at a question answer it: what was typed before it was shown (the Enter an
/// operator adds after `y` by habit, a key pressed while a step ran) would answer it unseen,
/// and the next question may be the one that removes packages.
fn discard_typeahead() {
    use std::io::IsTerminal;
    use std::os::fd::AsRawFd;
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        // SAFETY: tcflush(3C) on our own open descriptor; no memory is passed.
        unsafe { libc::tcflush(stdin.as_raw_fd(), libc::TCIFLUSH) };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bare_enter_applies_nothing_and_only_y_applies() {
        assert_eq!(choice_for_key(Key::Enter), Some(Answer::No));
        assert_eq!(choice_for_key(Key::Char('y')), Some(Answer::Yes));
        assert_eq!(choice_for_key(Key::Char('S')), Some(Answer::Skip));
        assert_eq!(choice_for_key(Key::Char('n')), Some(Answer::No));
        assert_eq!(choice_for_key(Key::Char('q')), Some(Answer::Stop));
        for k in [Key::Char(' '), Key::Char('x'), Key::ArrowDown, Key::Tab, Key::Escape] {
            assert_eq!(choice_for_key(k.clone()), None, "{k:?}");
        }
        assert!(CHOICES.len() < 80 && CHOICES.is_ascii());
        // Yes/no: the same keys, without skip.
        assert_eq!(yes_no_for_key(Key::Char('Y')), Some(Answer::Yes));
        assert_eq!(yes_no_for_key(Key::Enter), Some(Answer::No));
        assert_eq!(yes_no_for_key(Key::Char('s')), None);
        assert_eq!(yes_no_for_key(Key::Escape), None);
        assert!(YES_NO.len() < 80 && YES_NO.is_ascii());
    }

    #[test]
    fn a_prompter_without_skip_asks_yes_or_no() {
        struct YesNo;
        impl Prompter for YesNo {
            fn confirm(&mut self, _: &str) -> Answer {
                Answer::No
            }
            fn confirm_destructive(&mut self, _: &str, _: &str) -> Answer {
                Answer::No
            }
        }
        assert_eq!(YesNo.choose("Apply attach?"), Answer::No);
        assert_eq!(
            (AutoPrompter { allow_destructive: false }).choose("Apply attach?"),
            Answer::Yes
        );
    }
}
