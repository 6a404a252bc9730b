//! Entry points of the recovery subcommands (recover, resume, status, rollback, snapshots)..

use crate::cli::{Cli, Command};
use crate::exit;
use crate::{out, outln};

use crate::commands::zoneadm;

use super::inflight;
use super::journal::Journal;
use super::recover::{recover, runner_from, state_base};

pub fn run(cli: &Cli) -> anyhow::Result<u8> {
    if cli.command.is_some() {
        // Global options (--json, --state-dir …) may come before a subcommand; the recovery's
        // own options may not: `zonerescue --dry-run rollback Z` must not roll back for real.
        // (--strategy and --playbook can also come from the environment, so they are ignored
        // here rather than refused; --yes is global: resume, rollback and demo take it.)
        let r = &cli.recover;
        if let Some(zone) = &r.zone {
            anyhow::bail!(
                "the zone goes after the subcommand, not before it: `zonerescue SUBCOMMAND {zone}` \
                 (see `zonerescue --help`)"
            );
        }
        if r.dry_run || r.allow_destructive || r.report.is_some() || r.boot || r.all {
            anyhow::bail!(
                "recovery options (--dry-run, --allow-destructive, --report …) do not apply to a \
                 subcommand; put the subcommand's own options after it"
            );
        }
    }
    match &cli.command {
        None => recover(cli),
        Some(Command::Status(z)) => status(cli, &z.zone),
        Some(Command::Completions(c)) => crate::completions::run(c),
        Some(Command::Resume(args)) => super::recover::resume(cli, args),
        Some(Command::Rollback(args)) => super::rollback::rollback(cli, args),
        Some(Command::Snapshots(args)) => super::snapshots::snapshots(cli, args),
        Some(Command::Demo(_)) => anyhow::bail!("internal: demo is dispatched in main"),
        Some(Command::Analyze(_)) => anyhow::bail!("internal: analyze is dispatched in main"),
    }
}

/// With `--json`, the object that ends the output of a command stopped by an error (a
/// playbook that cannot be read, a state directory refused, a journal that cannot be read), so
/// that its last line is still its summary: result `error` and the message. None where the
/// output has no summary (a snapshot listing, analyze, completions, demo).
pub fn json_error(cli: &Cli, message: &str) -> Option<String> {
    let (event, zone) = match &cli.command {
        None if cli.recover.all => {
            return Some(super::fleet::error_object(crate::exit::USAGE, message).to_string());
        }
        None => ("summary", cli.recover.zone.as_deref()),
        Some(Command::Resume(a)) => ("summary", Some(a.zone.as_str())),
        Some(Command::Rollback(a)) => ("rollback-summary", Some(a.zone.as_str())),
        Some(Command::Snapshots(a)) if a.prune => ("prune-summary", Some(a.zone.as_str())),
        Some(Command::Status(z)) => {
            let v = serde_json::json!({"zone": z.zone, "journal": null, "error": message});
            return Some(v.to_string());
        }
        _ => return None,
    };
    Some(error_summary(event, zone, message))
}

/// The summary of a run that stopped on an error before it began.
fn error_summary(event: &str, zone: Option<&str>, message: &str) -> String {
    let v = serde_json::json!({
        "schema": super::events::SCHEMA_VERSION,
        "time": super::journal::now(),
        "event": event,
        "zone": zone,
        "result": "error",
        "message": message,
    });
    v.to_string()
}

/// With `--json`, the line that ends stdout when clap rejected the command line `args` (a bad
/// value in a `ZONERESCUE_*` variable, an unknown option): a script reading the last line of
/// stdout gets one, as for the errors found after parsing (cm vv F4), and the one the command
/// would have ended with, from its name as typed (regress ww F5: `summary` for every command).
pub fn json_usage_error(args: &[std::ffi::OsString], message: &str) -> Option<String> {
    let has = |a: &str| args.iter().any(|x| x == a);
    // The first word that names a subcommand (option values come before it).
    let names: Vec<String> = <Cli as clap::CommandFactory>::command()
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .collect();
    let sub = args.iter().skip(1).filter_map(|a| a.to_str()).find(|a| names.iter().any(|n| n == a));
    Some(match sub {
        Some("rollback") => error_summary("rollback-summary", None, message),
        Some("snapshots") if has("--prune") => error_summary("prune-summary", None, message),
        Some("status") => {
            serde_json::json!({"zone": null, "journal": null, "error": message}).to_string()
        }
        Some("resume") => error_summary("summary", None, message),
        // The others (analyze, a snapshot listing …) print no summary on an error either
        // ([`json_error`]; regress ww2 F3).
        Some(_) => return None,
        None if has("--all") => super::fleet::error_object(crate::exit::USAGE, message).to_string(),
        None => error_summary("summary", None, message),
    })
}

fn status(cli: &Cli, zone: &str) -> anyhow::Result<u8> {
    let name = crate::commands::ZoneName::new(zone)?;
    let runner = runner_from(cli)?;
    let dir = state_base(cli, &runner).join(zone);
    match Journal::load_checked(&dir)? {
        None => {
            let starting = super::lock::starting_run(&dir, zone);
            let message = match &starting {
                Some(starting) => format!("zone {zone}: {starting}"),
                None => format!("zone {zone}: no zonerescue run recorded in {}", dir.display()),
            };
            if cli.global.json {
                // No journal to print: an object that says so, never words.
                let none = serde_json::json!({
                    "zone": zone,
                    "journal": null,
                    "run_starting": starting.is_some(),
                    "message": message,
                });
                outln!("{none}")?;
            } else {
                outln!("{message}")?;
            }
        }
        Some(j) if cli.global.json => {
            outln!("{}", serde_json::to_string(&j)?)?;
        }
        Some(j) => {
            let holder = super::lock::holder(&dir);
            out!("{}", j.describe(j.runs_now(holder), holder))?;
            // A changing command the run had started and never saw end (killed outright): it
            // may still run, or have finished on its own (an attach -u is counted on resume).
            if let Some(r) = inflight::InFlight::load(&dir) {
                let now = if r.is_running() { "still running" } else { "ended" };
                outln!(
                    "  started by the run and not seen to end: `{}` at {} (pid {}, {now})",
                    r.command,
                    crate::ui::time::utc(r.started),
                    r.pid
                )?;
            }
            // The ZBE the zone runs from now, by the brand's rule: a Solaris 11 attach may
            // have moved it to a clone the journal never learnt of (a run killed meanwhile).
            if let Some(root) = j.active_zbe.as_deref().and_then(super::zbe_clone::zbe_root_of) {
                let zone_root = j.zone_root.as_ref().map(std::path::PathBuf::from);
                match super::zbe_clone::current_zbe(&runner, root, zone_root.as_deref()) {
                    Ok(now) if Some(now.as_str()) == j.active_zbe.as_deref() => {
                        outln!("  zone boot environment now: {now}")?;
                    }
                    Ok(now) => outln!(
                        "  zone boot environment now: {now} (the journal names {}: an attach \
                         moved the zone to a clone; `zonerescue rollback {zone}` undoes that too)",
                        j.active_zbe.as_deref().unwrap_or("-")
                    )?,
                    Err(why) => outln!("  zone boot environment now: unknown ({why})")?,
                }
            }
            // The journal says what the run did; the zone may have changed since.
            match zoneadm::get(&runner, &name) {
                Ok(e) => outln!("  zone state now: {}", e.state)?,
                Err(e) => outln!("  zone state now: unknown ({e})")?,
            }
        }
    }
    Ok(exit::OK)
}
