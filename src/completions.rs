//! `zonerescue completions SHELL`: shell completion scripts generated from the clap
//! definition, so they can never disagree with the real options.

use anyhow::Context;
use clap::CommandFactory;
use clap_complete::Shell;

use crate::cli::{Cli, CompletionsArgs};
use crate::exit;

/// The binary name completions are registered for.
pub const BIN_NAME: &str = "zonerescue";

/// The completion script for `shell`.
pub fn render(shell: Shell) -> Vec<u8> {
    let mut cmd = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut cmd, BIN_NAME, &mut out);
    out
}

/// Where the IPS package installs the script for `shell` (relative to `/`), and the file name
/// the shell expects there.
pub fn install_path(shell: Shell) -> Option<&'static str> {
    match shell {
        Shell::Bash => Some("usr/share/bash-completion/completions/zonerescue"),
        Shell::Zsh => Some("usr/share/zsh/site-functions/_zonerescue"),
        Shell::Fish => Some("usr/share/fish/vendor_completions.d/zonerescue.fish"),
        _ => None,
    }
}

/// `zonerescue completions SHELL`: prints the script on standard output. Rendered to memory
/// first so that a closed pipe is never a panic inside the generator (it ends quietly).
pub fn run(args: &CompletionsArgs) -> anyhow::Result<u8> {
    let script = render(args.shell);
    crate::ui::stdout::write_all(&script)
        .with_context(|| format!("writing the {} completion script", args.shell))?;
    Ok(exit::OK)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(shell: Shell) -> String {
        String::from_utf8(render(shell)).unwrap()
    }

    #[test]
    fn scripts_know_the_subcommands_and_options() {
        for shell in [Shell::Bash, Shell::Zsh, Shell::Fish] {
            let t = text(shell);
            // Long options without their dashes: fish writes `-l strategy`.
            for word in
                ["analyze", "rollback", "resume", "strategy", "dry-run", "allow-destructive"]
            {
                assert!(t.contains(word), "{shell} completion lacks {word}");
            }
        }
        assert!(text(Shell::Bash).contains("complete -F _zonerescue"));
        assert!(text(Shell::Zsh).starts_with("#compdef zonerescue"));
        assert!(text(Shell::Fish).contains("complete -c zonerescue"));
    }

    #[test]
    fn install_paths_are_relative_and_named_for_the_shell() {
        for shell in [Shell::Bash, Shell::Zsh, Shell::Fish] {
            let p = install_path(shell).unwrap();
            assert!(!p.starts_with('/'));
            assert!(p.contains(&shell.to_string()), "{p}");
        }
        assert_eq!(install_path(Shell::PowerShell), None);
    }
}
