use std::process::ExitCode;

use clap::Parser;
use zonerescue::cli::{Cli, Command};
use zonerescue::exit;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // Not --help or --version: an error, said as JSON too when asked for.
            if e.use_stderr() && std::env::args_os().any(|a| a == "--json") {
                let text = e.render().to_string();
                let first = text.lines().next().unwrap_or_default();
                let message = first.strip_prefix("error: ").unwrap_or(first);
                let _ = zonerescue::outln!(
                    "{}",
                    zonerescue::engine::command::json_usage_error(message)
                );
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
