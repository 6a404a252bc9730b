//! Colour on or off: `--color always|never`, and for `auto` a terminal on stderr, no
//! `NO_COLOR` (any value) and `TERM` not `dumb`.

use std::io::IsTerminal;

use crate::cli::ColorChoice;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Palette {
    enabled: bool,
}

impl Palette {
    pub fn new(choice: ColorChoice) -> Palette {
        let env_ok = std::env::var_os("NO_COLOR").is_none()
            && std::env::var("TERM").map(|t| t != "dumb").unwrap_or(true);
        Palette::decide(choice, env_ok, std::io::stderr().is_terminal())
    }

    pub fn decide(choice: ColorChoice, env_ok: bool, tty: bool) -> Palette {
        let enabled = match choice {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => env_ok && tty,
        };
        Palette { enabled }
    }

    pub fn plain() -> Palette {
        Palette { enabled: false }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auto_honours_environment_and_terminal() {
        assert!(!Palette::decide(ColorChoice::Auto, false, true).enabled);
        assert!(!Palette::decide(ColorChoice::Auto, true, false).enabled);
        assert!(Palette::decide(ColorChoice::Auto, true, true).enabled);
        assert!(Palette::decide(ColorChoice::Always, false, false).enabled);
        assert!(!Palette::decide(ColorChoice::Never, true, true).enabled);
        assert_eq!(Palette::plain().red("x"), "x");
    }
}
