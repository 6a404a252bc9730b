//! Colour on or off, decided per stream: `--color always|never`, and for `auto` that stream a
//! terminal, no `NO_COLOR` (or an empty one) and `TERM` not `dumb`. The summary goes to stdout and
//! may be piped (`| tee log`) while stderr is a terminal, so each stream decides for itself.

use std::io::IsTerminal;
use std::sync::OnceLock;

use crate::cli::ColorChoice;

static CHOICE: OnceLock<ColorChoice> = OnceLock::new();

/// Records `--color` for what is not handed a [`Palette`] (dialoguer's prompts). Called once,
/// by `main`; later calls are ignored.
pub fn set_choice(choice: ColorChoice) {
    let _ = CHOICE.set(choice);
}

/// The recorded `--color` (`auto` when none was recorded: library use, tests).
pub fn choice() -> ColorChoice {
    CHOICE.get().copied().unwrap_or(ColorChoice::Auto)
}

/// The SGR codes a [`Palette`] and analyze's report paint with (`ESC [ code m`), and the
/// reset.
const OWN_CODES: [&str; 10] = ["0", "1", "2", "31", "32", "33", "1;31", "1;32", "1;33", "1;36"];

/// `text` made safe for a terminal: a control character that did not come from a palette
/// (an escape sequence in a publisher name, a BEL, a C1 control) is shown as `\u00XX` instead
/// of acting on the operator's terminal (hostile jj F2: a listing could retitle or clear it,
/// or hide report lines); newlines, tabs and the palette's own colour codes stay. In JSON text
/// the escape is the same character, so a JSON line stays what it was.
pub fn terminal_safe(text: &str) -> std::borrow::Cow<'_, str> {
    let own_sgr = |rest: &str| -> Option<usize> {
        let body = rest.strip_prefix("\x1b[")?;
        let end = body.find('m')?;
        OWN_CODES.contains(&&body[..end]).then_some(2 + end + 1)
    };
    let unsafe_at = |i: usize, c: char| {
        c.is_control() && c != '\n' && c != '\t' && !(c == '\x1b' && own_sgr(&text[i..]).is_some())
    };
    if !text.char_indices().any(|(i, c)| unsafe_at(i, c)) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut skip = 0;
    for (i, c) in text.char_indices() {
        if skip > 0 {
            skip -= c.len_utf8();
            out.push(c);
            continue;
        }
        if c == '\x1b'
            && let Some(n) = own_sgr(&text[i..])
        {
            skip = n - 1;
            out.push(c);
        } else if unsafe_at(i, c) {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Palette {
    /// Colour for stderr, where this palette paints.
    enabled: bool,
    /// The same decision for stdout (see [`Palette::stdout`]).
    stdout: bool,
}

/// Whether the environment lets `auto` colour: `NO_COLOR` unset or empty (no-color.org: "when
/// present and not an empty string"), and `TERM` not `dumb`.
fn env_allows(no_color: Option<&std::ffi::OsStr>, term: Option<String>) -> bool {
    no_color.is_none_or(|v| v.is_empty()) && term.is_none_or(|t| t != "dumb")
}

impl Palette {
    /// A palette for stderr; [`Palette::stdout`] gives the one for stdout.
    pub fn new(choice: ColorChoice) -> Palette {
        let env_ok =
            env_allows(std::env::var_os("NO_COLOR").as_deref(), std::env::var("TERM").ok());
        Palette {
            enabled: decide(choice, env_ok, std::io::stderr().is_terminal()),
            stdout: decide(choice, env_ok, std::io::stdout().is_terminal()),
        }
    }

    /// This palette for text printed on stdout.
    pub fn stdout(self) -> Palette {
        Palette { enabled: self.stdout, ..self }
    }

    pub fn plain() -> Palette {
        Palette { enabled: false, stdout: false }
    }

    pub fn enabled(&self) -> bool {
        self.enabled
    }

    fn paint(&self, code: &str, s: &str) -> String {
        if self.enabled { format!("\x1b[{code}m{s}\x1b[0m") } else { s.to_string() }
    }

    pub fn bold(&self, s: &str) -> String {
        self.paint("1", s)
    }
    pub fn red(&self, s: &str) -> String {
        self.paint("31", s)
    }
    pub fn green(&self, s: &str) -> String {
        self.paint("32", s)
    }
    pub fn yellow(&self, s: &str) -> String {
        self.paint("33", s)
    }
    pub fn dim(&self, s: &str) -> String {
        self.paint("2", s)
    }
}

/// Colour for one stream: `tty` is whether that stream is a terminal.
fn decide(choice: ColorChoice, env_ok: bool, tty: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => env_ok && tty,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_palette_s_own_escapes_reach_the_terminal() {
        let p = Palette { enabled: true, stdout: true };
        let painted = format!("{}\n\t{}", p.bold("x"), p.red("y"));
        assert_eq!(terminal_safe(&painted), painted);
        let hostile = "ev\x1b]0;PWNED\x07il \x1b[2J \x1b[8mhidden \u{9b}31m \x7f";
        let safe = terminal_safe(hostile);
        assert!(!safe.chars().any(|c| c.is_control()), "{safe:?}");
        assert_eq!(
            safe,
            "ev\\u001b]0;PWNED\\u0007il \\u001b[2J \\u001b[8mhidden \\u009b31m \\u007f"
        );
        // In a JSON line the escape is the same character.
        let json = serde_json::to_string(&"a\u{85}b\x7f").unwrap();
        let parsed: String = serde_json::from_str(&terminal_safe(&json)).unwrap();
        assert_eq!(parsed, "a\u{85}b\x7f");
    }

    #[test]
    fn an_empty_no_color_is_no_no_color() {
        let os = std::ffi::OsStr::new;
        assert!(env_allows(None, None));
        assert!(env_allows(Some(os("")), Some("xterm".into())));
        assert!(!env_allows(Some(os("1")), None));
        assert!(!env_allows(None, Some("dumb".into())));
    }

    #[test]
    fn auto_honours_environment_and_terminal() {
        assert!(!decide(ColorChoice::Auto, false, true));
        assert!(!decide(ColorChoice::Auto, true, false));
        assert!(decide(ColorChoice::Auto, true, true));
        assert!(decide(ColorChoice::Always, false, false));
        assert!(!decide(ColorChoice::Never, true, true));
        assert_eq!(Palette::plain().red("x"), "x");
    }

    #[test]
    fn stdout_has_its_own_decision() {
        let p = Palette { enabled: true, stdout: false };
        assert_eq!(p.bold("x"), "\x1b[1mx\x1b[0m");
        assert_eq!(p.stdout().bold("x"), "x");
    }
}
