use std::process::ExitCode;

use clap::Parser;
use zonerescue::cli::{Cli, Command};
use zonerescue::exit;

fn main() -> ExitCode {
    // An emptied ZONERESCUE_* variable sets nothing, as `VAR= command` means in a script: clap
    // would take it for an empty value and blame the option (cm ww F4).
    for (name, value) in std::env::vars_os() {
        if value.is_empty() && name.to_string_lossy().starts_with("ZONERESCUE_") {
            // SAFETY: first thing in main, before any other thread exists.
            unsafe { std::env::remove_var(&name) };
        }
    }
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // Not --help or --version: an error, said as JSON too when asked for.
            let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
            if e.use_stderr() && args.iter().any(|a| a == "--json") {
                // Its first paragraph: the error and what it names on the lines below
                // (`the following required arguments were not provided:` / `  <ZONE>`).
                let text = e.render().to_string();
                let said: Vec<&str> =
                    text.lines().take_while(|l| !l.trim().is_empty()).map(str::trim).collect();
                let said = said.join(" ");
                let message = said.strip_prefix("error: ").unwrap_or(&said);
                if let Some(line) = zonerescue::engine::command::json_usage_error(&args, message) {
                    let _ = zonerescue::outln!("{line}");
                }
            }
            e.exit()
        }
    };
    zonerescue::ui::color::set_choice(cli.global.color);
    let result = match &cli.command {
        Some(Command::Analyze(args)) => zonerescue::analysis::command::run(args, &cli.global),
        Some(Command::Demo(args)) => zonerescue::sim::demo::run(args, &cli.global),
        _ => zonerescue::engine::command::run(&cli),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            // Printed once, with its chain of causes; with --json also as the summary that
            // ends stdout.
            let message = format!("{err:#}");
            zonerescue::errln!("zonerescue: error: {message}");
            if cli.global.json
                && let Some(line) = zonerescue::engine::command::json_error(&cli, &message)
            {
                let _ = zonerescue::outln!("{line}");
            }
            ExitCode::from(exit::USAGE)
        }
    }
}
