//! The command line, as clap derive types. Dispatch lives in `main.rs`; each subcommand's
//! work lives in its own module (`analysis::command`, `engine::command`, …).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::strategies::StrategyChoice;
use crate::system::TimeoutSetting;

#[derive(Debug, Parser)]
#[command(
    name = "zonerescue",
    version,
    about = "Rescue a non-global zone that fails `zoneadm attach -u` after a global-zone upgrade",
    long_about = "Rescue a Solaris 11 / illumos non-global zone that fails `zoneadm -z ZONE attach -u` \
after the global zone was upgraded. zonerescue snapshots the zone boot environment first, then \
climbs a ladder of remedies, gentlest first, reading the attach log between attempts.",
    subcommand_negates_reqs = true,
    // clap's own would read `zonerescue [OPTIONS] [ZONE] <COMMAND>`, but a zone before a
    // subcommand is not a form that works: the zone goes after it.
    override_usage = "zonerescue [OPTIONS] ZONE\n       \
                      zonerescue [OPTIONS] --all\n       \
                      zonerescue <COMMAND> [ARGS]   (e.g. zonerescue status ZONE)"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    #[command(flatten)]
    pub recover: RecoverArgs,

    #[command(flatten)]
    pub global: GlobalArgs,
}

/// Options that apply to every subcommand.
#[derive(Debug, Clone, Args)]
pub struct GlobalArgs {
    /// When to use colour (NO_COLOR and TERM=dumb are honoured by `auto`).
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, env = "ZONERESCUE_COLOR")]
    pub color: ColorChoice,

    /// Machine-readable output: JSON (JSON Lines events for recovery; the last line is the summary).
    #[arg(long, global = true)]
    pub json: bool,

    /// Run system commands from this directory instead of their standard paths
    /// (/usr/sbin/zoneadm, /usr/bin/pkg, …). Used with a simulated host.
    #[arg(long, global = true, value_name = "DIR", env = "ZONERESCUE_COMMAND_DIR")]
    pub command_dir: Option<PathBuf>,

    /// Treat DIR as the system root for /var/tmp, /var/log/zones and the default state directory.
    #[arg(long, global = true, value_name = "DIR", env = "ZONERESCUE_SYSTEM_ROOT")]
    pub system_root: Option<PathBuf>,

    /// Where journals and locks are kept (default: /var/lib/zonerescue under the system root).
    #[arg(long, global = true, value_name = "DIR", env = "ZONERESCUE_STATE_DIR")]
    pub state_dir: Option<PathBuf>,

    /// Time limits for commands, in seconds: SECONDS for every kind or KIND=SECONDS for one
    /// (repeatable, comma-separated). Kinds and defaults: query=600 (listings), zfs=1800
    /// (snapshot, rollback), zoneadm=7200 (attach, detach), pkg=7200 (install, uninstall,
    /// update, publisher changes), image-create=14400. A command past its limit is stopped.
    #[arg(
        long,
        global = true,
        value_name = "[KIND=]SECONDS",
        value_delimiter = ',',
        env = "ZONERESCUE_TIMEOUT"
    )]
    pub timeout: Vec<TimeoutSetting>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// Options of the recovery itself (`zonerescue [OPTIONS] ZONE`).
#[derive(Debug, Clone, Args)]
pub struct RecoverArgs {
    /// The non-global zone to rescue.
    #[arg(value_name = "ZONE")]
    pub zone: Option<String>,

    /// How to choose remedies: auto (from the diagnosis of each failure), ladder (fixed order),
    /// or one strategy: attach, gz-publishers, zone-publishers, uninstall, incremental,
    /// image-update, image-create. Default: auto, guided on a terminal (without one an
    /// explicit --strategy or --yes is required). Given, the run asks no questions, on a
    /// terminal or not: image-create then needs --allow-destructive.
    #[arg(long, value_name = "STRATEGY", env = "ZONERESCUE_STRATEGY", value_parser = StrategyParser)]
    pub strategy: Option<StrategyArg>,

    /// Print the plan and the exact commands; run only read-only commands and `pkg … -n`.
    #[arg(long, short = 'n')]
    pub dry_run: bool,

    /// Answer yes to every prompt (image-create still needs --allow-destructive).
    /// ZONERESCUE_YES takes 1/0, yes/no, true/false or on/off.
    // Global: `zonerescue --yes rollback ZONE` answers rollback's question too (the
    // subcommands' own --yes takes the value wherever it is typed).
    #[arg(
        long,
        short = 'y',
        global = true,
        env = "ZONERESCUE_YES",
        value_parser = yes_parser
    )]
    pub yes: bool,

    /// Allow image-create (re-creating the zone's package image) without a prompt.
    #[arg(long)]
    pub allow_destructive: bool,

    /// Use this playbook instead of the built-in one for the platform.
    #[arg(long, value_name = "FILE", env = "ZONERESCUE_PLAYBOOK")]
    pub playbook: Option<PathBuf>,

    /// Also write the human report to FILE.
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,

    /// After a successful attach, boot the zone and report services in maintenance (not while
    /// configuration files differ from the pre-rescue snapshot: restore them, then boot).
    #[arg(long)]
    pub boot: bool,

    /// Preflight and analysis over every installed or detached zone of the host.
    #[arg(long, conflicts_with = "zone")]
    pub all: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Classify a failed attach log, show the evidence, recommend a strategy.
    Analyze(AnalyzeArgs),
    /// Show the journal of the last run for ZONE in plain words.
    Status(ZoneArg),
    /// Continue an interrupted run from its journal.
    Resume(ResumeArgs),
    /// Return the zone boot environment to the pre-rescue (or a named) snapshot.
    Rollback(RollbackArgs),
    /// List zonerescue's snapshots of ZONE; with --prune, remove all but the ones still needed.
    Snapshots(SnapshotsArgs),
    /// Run a guided recovery against a simulated host built from a bundled scenario.
    Demo(DemoArgs),
    /// Print shell completions.
    Completions(CompletionsArgs),
}

#[derive(Debug, Clone, Args)]
pub struct AnalyzeArgs {
    /// Attach logs, terminal transcripts or pkg output; `-` or none reads standard input.
    /// One zone's files are read together in the order given (oldest first; attach logs
    /// named as such, as a glob of /var/tmp gives them, in the order of their times); each
    /// zone whose logs are given gets its own report.
    #[arg(value_name = "LOGFILE")]
    pub files: Vec<PathBuf>,

    /// Additional rules (TOML, same format as playbooks/analysis-rules.toml).
    #[arg(long, value_name = "FILE", env = "ZONERESCUE_RULES")]
    pub rules: Option<PathBuf>,
}

#[derive(Debug, Clone, Args)]
pub struct ZoneArg {
    /// The non-global zone.
    #[arg(value_name = "ZONE")]
    pub zone: String,
}

#[derive(Debug, Clone, Args)]
pub struct ResumeArgs {
    /// The zone whose interrupted run to continue.
    #[arg(value_name = "ZONE")]
    pub zone: String,
    /// Answer yes to every prompt (image-create still needs --allow-destructive).
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// Allow image-create (re-creating the zone's package image) without a prompt.
    #[arg(long)]
    pub allow_destructive: bool,
}

#[derive(Debug, Clone, Args)]
pub struct RollbackArgs {
    /// The zone to roll back.
    #[arg(value_name = "ZONE")]
    pub zone: String,
    /// Snapshot to return to (default: the pre-rescue snapshot of the last run); works also
    /// when the zone's journal cannot be read.
    #[arg(long, value_name = "SNAPSHOT")]
    pub to: Option<String>,
    /// Roll back without asking (without a terminal, rollback needs it).
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// With --yes, also destroy later snapshots zonerescue did not take (`zfs rollback -r`
    /// destroys every later snapshot); without it --yes refuses to.
    #[arg(long)]
    pub destroy_foreign_snapshots: bool,
}

#[derive(Debug, Clone, Args)]
pub struct SnapshotsArgs {
    /// The zone whose snapshots to list or prune.
    #[arg(value_name = "ZONE")]
    pub zone: String,
    /// Destroy tool-owned snapshots that are no longer needed: all but the last run's
    /// pre-rescue snapshot and, when an earlier run changed the zone, the snapshot of the zone
    /// before any rescue.
    #[arg(long)]
    pub prune: bool,
    /// Prune without asking (without a terminal, --prune needs it).
    #[arg(long, short = 'y')]
    pub yes: bool,
}

#[derive(Debug, Clone, Args)]
pub struct DemoArgs {
    /// Bundled scenario name (see --list).
    #[arg(value_name = "SCENARIO")]
    pub scenario: Option<String>,
    /// List the bundled scenarios.
    #[arg(long)]
    pub list: bool,
    /// Answer yes to every prompt.
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// Keep the simulated host in DIR instead of a temporary directory.
    #[arg(long, value_name = "DIR")]
    pub keep: Option<PathBuf>,
}

#[derive(Debug, Clone, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// `--yes`'s value, as ZONERESCUE_YES gives it (clap names only the option in its error, so
/// the error names the variable too). Empty is no: an emptied variable gives no consent.
fn yes_parser(s: &str) -> Result<bool, String> {
    match s.trim().to_ascii_lowercase().as_str() {
        "1" | "y" | "yes" | "t" | "true" | "on" => Ok(true),
        "" | "0" | "n" | "no" | "f" | "false" | "off" => Ok(false),
        _ => Err("expected 1/0, yes/no, true/false or on/off (from --yes or the environment \
                  variable ZONERESCUE_YES)"
            .into()),
    }
}

/// `--strategy`'s value as typed or taken from ZONERESCUE_STRATEGY: checked when a recovery
/// uses it ([`RecoverArgs::choice`]), so that a bad value in the environment does not stop
/// `status`, `rollback` or `analyze`, which have no use for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StrategyArg(String);

/// Parses `--strategy` into a [`StrategyArg`], listing the possible values (help,
/// completions, man page) without refusing others here.
#[derive(Debug, Clone, Copy)]
struct StrategyParser;

impl clap::builder::TypedValueParser for StrategyParser {
    type Value = StrategyArg;

    fn parse_ref(
        &self,
        _cmd: &clap::Command,
        _arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<StrategyArg, clap::Error> {
        Ok(StrategyArg(value.to_string_lossy().into_owned()))
    }

    fn possible_values(
        &self,
    ) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        Some(Box::new(strategy_names().map(clap::builder::PossibleValue::new)))
    }
}

/// `auto`, `ladder`, then each strategy in ladder order.
fn strategy_names() -> impl Iterator<Item = &'static str> {
    ["auto", "ladder"]
        .into_iter()
        .chain(crate::strategies::StrategyName::LADDER.into_iter().map(|s| s.as_str()))
}

/// ZONE as the operand of a rescue command line (`zonerescue [OPTIONS] ZONE`) zonerescue
/// advises: after `--` when it is named like a subcommand (or `help`), which clap would take
/// for that subcommand (docs jj F2: `zonerescue --strategy auto status` was a usage error).
pub fn rescue_operand(zone: &str) -> String {
    use clap::CommandFactory;
    let cmd = Cli::command();
    let clashes = zone == "help"
        || cmd
            .get_subcommands()
            .any(|s| s.get_name() == zone || s.get_all_aliases().any(|a| a == zone));
    if clashes { format!("-- {zone}") } else { zone.to_string() }
}

impl RecoverArgs {
    /// The strategy choice, if one was given (by --strategy or ZONERESCUE_STRATEGY).
    pub fn choice(&self) -> Result<Option<StrategyChoice>, String> {
        // An emptied variable chooses nothing, as an empty ZONERESCUE_YES says no.
        let Some(StrategyArg(s)) = self.strategy.as_ref().filter(|a| !a.0.is_empty()) else {
            return Ok(None);
        };
        s.parse::<StrategyChoice>().map(Some).map_err(|_| {
            format!(
                "invalid strategy '{}' (from --strategy or ZONERESCUE_STRATEGY): expected one of \
                 {}",
                s.escape_debug(),
                strategy_names().collect::<Vec<_>>().join(", ")
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Cli {
        Cli::try_parse_from(std::iter::once("zonerescue").chain(args.iter().copied())).unwrap()
    }

    fn rollback_yes(cli: &Cli) -> bool {
        match &cli.command {
            Some(Command::Rollback(a)) => a.yes,
            other => panic!("not a rollback: {other:?}"),
        }
    }

    #[test]
    fn a_zone_named_like_a_subcommand_goes_after_a_double_dash() {
        for zone in ["status", "demo", "help", "resume"] {
            let line = format!("--strategy auto {}", rescue_operand(zone));
            let cli = parse(&line.split(' ').collect::<Vec<_>>());
            assert!(cli.command.is_none(), "{line}");
            assert_eq!(cli.recover.zone.as_deref(), Some(zone), "{line}");
        }
        assert_eq!(rescue_operand("web01"), "web01");
    }

    #[test]
    fn the_command_line_is_consistent() {
        // clap's own checks (debug builds): a global option and a subcommand's own option of
        // the same name (`--yes`) must agree.
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }

    #[test]
    fn every_argument_is_described_and_the_usage_names_forms_that_work() {
        use clap::CommandFactory;
        let mut cmd = Cli::command();
        cmd.build();
        let mut undescribed = Vec::new();
        for c in std::iter::once(&cmd).chain(cmd.get_subcommands()) {
            for a in c.get_arguments() {
                if a.get_help().is_none() && a.get_long_help().is_none() {
                    undescribed.push(format!("{} {}", c.get_name(), a.get_id()));
                }
            }
        }
        assert!(undescribed.is_empty(), "without a description: {undescribed:?}");
        let help = cmd.render_help().to_string();
        assert!(help.contains("Usage: zonerescue [OPTIONS] ZONE\n"), "{help}");
        assert!(!help.contains("[ZONE] <COMMAND>"), "{help}");
        // The forms the usage names parse as it says.
        assert_eq!(parse(&["web01"]).recover.zone.as_deref(), Some("web01"));
        let cli = parse(&["--strategy", "incremental", "web01"]);
        assert_eq!(cli.recover.zone.as_deref(), Some("web01"));
        assert!(cli.recover.strategy.is_some() && cli.command.is_none());
        assert!(parse(&["--all"]).recover.all);
        assert!(matches!(parse(&["status", "web01"]).command, Some(Command::Status(_))));
    }

    #[test]
    fn yes_json_and_color_apply_before_or_after_the_subcommand() {
        for args in [
            &["--yes", "rollback", "z1"][..],
            &["-y", "rollback", "z1"],
            &["rollback", "--yes", "z1"],
            &["rollback", "z1", "-y"],
        ] {
            assert!(rollback_yes(&parse(args)), "{args:?}");
        }
        assert!(!rollback_yes(&parse(&["rollback", "z1"])));
        for args in [&["--yes", "resume", "z1"][..], &["resume", "z1", "--yes"]] {
            match parse(args).command {
                Some(Command::Resume(a)) => assert!(a.yes, "{args:?}"),
                other => panic!("{other:?}"),
            }
        }
        match parse(&["-y", "demo"]).command {
            Some(Command::Demo(a)) => assert!(a.yes),
            other => panic!("{other:?}"),
        }
        for args in [
            &["--json", "--color", "never", "status", "z1"][..],
            &["status", "z1", "--json", "--color", "never"],
        ] {
            let cli = parse(args);
            assert!(cli.global.json, "{args:?}");
            assert_eq!(cli.global.color, ColorChoice::Never, "{args:?}");
        }
    }
}
