//! The recovery state machine: lock → preflight → pre-rescue snapshot → detach → rungs
//! (each: proposal, consent, own snapshot, apply, `attach -u` with the log followed) → ending.
//! Every step is journalled before and after.

use std::path::PathBuf;
use std::sync::Arc;

use crate::analysis::{AnalysisContext, Analyzer, Generation, RuleSet};
use crate::cli::Cli;
use crate::commands::zoneadm::{self, AttachOptions, ZoneState};
use crate::exit;
use crate::playbook::{Platform, Playbook};
use crate::strategies::{
    self, Applied, GzPublisherGuard, Input, Preview, StrategyChoice, StrategyName,
};
use crate::system::{CommandSpec, Runner, SystemPaths, Timeouts};
use crate::ui::{self, Answer, AutoPrompter, DialoguerPrompter, Palette, Prompter};

use super::attempt;
use super::diagnosis::Diagnosis;
use super::environment;
use super::events::{Event, RunResult, SnapshotAction, StepOutcome, Summary};
use super::exec::Exec;
use super::facts::{self, Facts};
use super::findings::{Finding, Severity};
use super::journal::{Journal, JournalStatus};
use super::lock::{LockError, ZoneLock};
use super::prediction;
use super::reporter::Reporter;
use super::signals::Interrupt;
use super::zbe::{ZbeChoice, choose_active};
use super::{host_lock, inflight, planner, preflight, previous_run, snapshot, statedir};

mod package_changes;
mod post_checks;
mod zone_publishers_after_attach;

use package_changes::dropped_records;

/// Builds the runner from the global options (the seam tests use).
pub fn runner_from(cli: &Cli) -> anyhow::Result<Runner> {
    let root = cli.global.system_root.clone().unwrap_or_else(|| PathBuf::from("/"));
    let paths =
        SystemPaths::new(cli.global.command_dir.clone(), root).map_err(anyhow::Error::msg)?;
    Ok(Runner::new(paths, Timeouts::from_settings(&cli.global.timeout)))
}

pub fn state_base(cli: &Cli, runner: &Runner) -> PathBuf {
    cli.global.state_dir.clone().unwrap_or_else(|| runner.paths().host_path("/var/lib/zonerescue"))
}

struct Run {
    exec: Exec,
    facts: Facts,
    playbook: Playbook,
    journal: Journal,
    zone_dir: PathBuf,
    prompter: Box<dyn Prompter>,
    choice: StrategyChoice,
    rules: RuleSet,
    applied: Vec<StrategyName>,
    tried: Vec<StrategyName>,
    /// Rungs the operator skipped at a guided question: judged not worth trying, never
    /// proposed again in this run (journalled: on resume neither).
    skipped: Vec<StrategyName>,
    /// Packages the diagnoses named when `uninstall` ran (auto may run it again for others).
    uninstall_named: Vec<String>,
    /// Packages proven unavailable at the GZ's release that cannot be removed (uninstall's
    /// dry run: core packages depend on them). Only image-create gets past them.
    stuck: Vec<String>,
    attempts: u32,
    snapshots: Vec<String>,
    pre: Option<String>,
    simplify_gz: bool,
    gz_intact: Option<bool>,
    /// Before anything else, this run restored the GZ publishers a killed run had left
    /// modified: a change to the global zone the ending reports.
    restored_last_gz: bool,
    /// What a failed restore of the GZ publishers left to re-add by hand.
    gz_restore_by_hand: Vec<String>,
    /// Global-zone publishers someone else removed or set again during the run (left so).
    gz_changed_by_others: Vec<String>,
    /// Attaches repeated because another zoneadm held the zone's lock.
    busy_retries: u32,
    diagnosis: Option<Diagnosis>,
    /// Preflight predicted remedies that change the image, held back because the solaris
    /// brand's detach unmounts it: they join the first attach's diagnosis.
    prediction_held: bool,
    /// Why a plain attach goes first in this round (`attach_first`), for its step to say.
    attach_first_why: Option<String>,
    /// A plain attach step was passed over in this run (no consent for what it leads to).
    attach_passed_over: bool,
    extra_findings: Vec<Finding>,
    last_log: Option<PathBuf>,
    /// Continuing a journalled run (`resume`).
    resuming: bool,
    /// Steps the journal held when this process started (resume: the earlier run's).
    steps_before: usize,
    /// Another package client held the zone image's lock for good: nothing is rolled back
    /// under it; the run stops for a later `resume`.
    image_busy: bool,
    /// The run stopped on a cause outside the zone's image (pkg crashing, a full pool, a time
    /// limit, a repository that had answered): nothing is rolled back (the rungs applied so
    /// far stay in the image, their snapshots kept); `resume` continues once it is fixed.
    env_stop: Option<environment::Failure>,
    /// The rung a stop (image lock, a cause outside the image) left in flight: `resume` runs
    /// it again, and a destructive one needs `--allow-destructive` there too.
    stopped_in: Option<StrategyName>,
    /// Attaches repeated for a cause outside the image that may pass.
    env_retries: u32,
    /// The zone's installed packages when this process started (`pkg list` stems): what an
    /// attached zone no longer has is said at the end.
    packages_at_start: Vec<String>,
    /// The zone was installed when the rescue began (this run, or the one it resumes or
    /// replaces: see `Journal::installed_at_start`).
    installed_at_start: bool,
    /// This run found it installed (and so is what detached it).
    found_installed: bool,
    /// A halted zone whose image, read after its detach or first attach, needs no attach -u
    /// was attached again as it was (`attach -F`): the ending must not detach it again. The
    /// flag says whether something the run changed remains (its image could not be rolled
    /// back past a later snapshot zonerescue did not take, say).
    put_back: Option<bool>,
    /// That put-back's `attach -F` failed: what remains is the `attach -F` again, once its
    /// cause is fixed; `resume` would start a rescue the zone does not need (regress nn F6: it
    /// removed the in-zone publisher of a zone in step).
    put_back_failed: bool,
    /// Consent to destructive strategies was given (`--allow-destructive`): the `resume` this
    /// run advises carries it, else resume would pass image-create over.
    allow_destructive: bool,
    /// The zone's last journal that this new run replaces: put back at the end when this run
    /// changed nothing (declined at its first question, only image-create without consent),
    /// as a refusal in preflight leaves it.
    previous: Option<Journal>,
}

/// How old an administrator's failed attach log may be for auto to start from its diagnosis
/// (older, the host may have changed since: attach again to find out).
const OPERATOR_LOG_MAX_AGE: std::time::Duration = std::time::Duration::from_secs(24 * 3600);

/// What one run is asked to do (from `zonerescue ZONE` or `zonerescue resume ZONE`).
struct Request {
    zone: String,
    choice: StrategyChoice,
    /// `--strategy` given (or resuming a run that had one): consent to run unattended.
    explicit: bool,
    dry_run: bool,
    yes: bool,
    allow_destructive: bool,
    playbook: Option<PathBuf>,
    report: Option<PathBuf>,
    boot: bool,
    resume: bool,
}

pub fn recover(cli: &Cli) -> anyhow::Result<u8> {
    recover_asking(cli, None)
}

/// `zonerescue ZONE` or `zonerescue resume ZONE` (per `cli.command`) with the operator's
/// answers from `prompter`, as if on a terminal: guided mode without one (tests script it).
pub fn guided_with(cli: &Cli, prompter: Box<dyn Prompter>) -> anyhow::Result<u8> {
    match &cli.command {
        Some(crate::cli::Command::Resume(args)) => resume_asking(cli, args, Some(prompter)),
        _ => recover_asking(cli, Some(prompter)),
    }
}

fn recover_asking(cli: &Cli, prompter: Option<Box<dyn Prompter>>) -> anyhow::Result<u8> {
    let args = &cli.recover;
    if args.all {
        return super::fleet::run(cli);
    }
    let Some(zone) = args.zone.clone() else {
        anyhow::bail!("no zone given (usage: zonerescue [OPTIONS] ZONE; see --help)");
    };
    let strategy = args.choice().map_err(anyhow::Error::msg)?;
    start(
        cli,
        Request {
            zone,
            choice: strategy.unwrap_or(StrategyChoice::Auto),
            explicit: strategy.is_some(),
            dry_run: args.dry_run,
            yes: args.yes,
            allow_destructive: args.allow_destructive,
            playbook: args.playbook.clone(),
            report: args.report.clone(),
            boot: args.boot,
            resume: false,
        },
        prompter,
    )
}

/// `zonerescue resume ZONE`: continue the journalled run with its strategy choice.
pub fn resume(cli: &Cli, args: &crate::cli::ResumeArgs) -> anyhow::Result<u8> {
    resume_asking(cli, args, None)
}

fn resume_asking(
    cli: &Cli,
    args: &crate::cli::ResumeArgs,
    prompter: Option<Box<dyn Prompter>>,
) -> anyhow::Result<u8> {
    start(
        cli,
        Request {
            zone: args.zone.clone(),
            choice: StrategyChoice::Auto,
            explicit: true,
            dry_run: false,
            yes: args.yes,
            allow_destructive: args.allow_destructive,
            playbook: None,
            report: None,
            boot: false,
            resume: true,
        },
        prompter,
    )
}

/// One run; `prompter`: the operator's answers when not from this terminal (tests). Its
/// `--report` file, once checked, gets what the run printed however it ends: a refusal or a
/// locked zone too (cm ww F1: the file stayed empty for the runs that need a person).
fn start(cli: &Cli, req: Request, prompter: Option<Box<dyn Prompter>>) -> anyhow::Result<u8> {
    let runner = runner_from(cli)?;
    let reporter = Arc::new(Reporter::new(cli.global.json, Palette::new(cli.global.color)));
    let checked = std::cell::Cell::new(false);
    let report = req.report.clone();
    let ended = run_request(cli, req, prompter, runner, Arc::clone(&reporter), &checked);
    if let Some(path) = report.filter(|_| checked.get()) {
        super::report_file::write(&path, &reporter.transcript())?;
    }
    ended
}

fn run_request(
    cli: &Cli,
    req: Request,
    prompter: Option<Box<dyn Prompter>>,
    runner: Runner,
    reporter: Arc<Reporter>,
    checked: &std::cell::Cell<bool>,
) -> anyhow::Result<u8> {
    let zone = req.zone.clone();
    let refuse = |r: Refusal| -> anyhow::Result<u8> {
        reporter.emit(&r.summary(&zone));
        Ok(exit::REFUSED)
    };
    let run_id = snapshot::new_run_id();
    let interactive = prompter.is_some() || ui::interactive();
    // Questions are for the guided run alone: `--strategy` (scripts, configuration
    // management, perhaps under a terminal) asks none, as --yes, and image-create then needs
    // --allow-destructive. `resume` continues a run as it was: guided on a terminal.
    let asks = interactive && !req.yes && (req.resume || !req.explicit);
    // Whoever answers the questions of this run (the resume offer, each rung's).
    let mut prompter: Box<dyn Prompter> = match prompter {
        _ if !asks => Box::new(AutoPrompter { allow_destructive: req.allow_destructive }),
        Some(p) => p,
        None => Box::new(DialoguerPrompter { allow_destructive: req.allow_destructive }),
    };
    if !interactive && !req.explicit && !req.yes && !req.dry_run {
        return refuse(Refusal::new(
            &run_id,
            format!(
                "no terminal to ask questions on ({}): give --strategy (auto, ladder or a \
                 strategy) or --yes to run unattended, or --dry-run to see the plan",
                ui::not_a_terminal()
            ),
        ));
    }
    // A usage error, as for the other subcommands (exit 2), said once.
    crate::commands::ZoneName::new(&zone)?;
    // Nothing but image-create may run, and no one can consent to it: refused before the
    // zone is snapshotted (it failed after, changing a snapshot no journal recorded).
    if req.choice == StrategyChoice::Only(StrategyName::ImageCreate)
        && !asks
        && !req.allow_destructive
        && !req.dry_run
        && !req.resume
    {
        return refuse(Refusal::new(
            &run_id,
            "--strategy image-create re-creates the zone's package image: it asks no question, \
             so it runs only with --allow-destructive (or run `zonerescue ZONE` on a terminal \
             and answer image-create's); nothing was done",
        ));
    }
    if let Some(path) = &req.report {
        let inputs: Vec<&std::path::Path> = req.playbook.iter().map(|p| p.as_path()).collect();
        super::report_file::check(path, &state_base(cli, &runner), &inputs)?;
        checked.set(true);
    }
    let forced_playbook = match &req.playbook {
        Some(p) => Some(Playbook::load(p)?),
        None => None,
    };
    let zone_dir = statedir::ensure_zone_dir(&state_base(cli, &runner), &zone)?;
    let _lock = match ZoneLock::acquire(&zone_dir, &zone) {
        Ok(l) => l,
        Err(e @ LockError::Held { .. }) => {
            reporter.emit(&Refusal::locked(&run_id, e.to_string()).summary(&zone));
            return Ok(exit::LOCKED);
        }
        Err(e) => return Err(e.into()),
    };
    let interrupt = Interrupt::install().unwrap_or_else(|_| Interrupt::detached());
    {
        let (reporter, zone) = (Arc::clone(&reporter), zone.to_string());
        interrupt.on_first(move |sig| {
            reporter.note(&format!(
                "{sig} received: a command running now is left to finish (pkg and zoneadm are \
                 never killed midway); then zonerescue restores what it must and stops, and its \
                 summary says how to go on (`zonerescue resume {zone}` continues a run that \
                 changed something; if that command is the attach and it attaches the zone, the \
                 run ends attached)."
            ))
        });
    }
    let exec = Exec::new(
        runner.clone(),
        req.dry_run,
        Arc::clone(&reporter),
        interrupt,
        (!req.dry_run).then(|| zone_dir.clone()),
    );
    // A child of an earlier run killed outright may still be changing the zone.
    // An `attach -u` that a killed run had started (recorded when spawned) is one of that
    // run's attempts, counted when it is resumed.
    let cut_attach = !req.dry_run
        && inflight::InFlight::load(&zone_dir).is_some_and(|r| r.command.contains(" attach -u"));
    let waited = if req.dry_run {
        None
    } else {
        match inflight::wait_for_leftover(&zone_dir, runner.timeouts(), &reporter, &exec.interrupt)
        {
            Ok(w) => w,
            Err(why) => {
                reporter.emit(&Refusal::locked(&run_id, why).summary(&zone));
                return Ok(exit::LOCKED);
            }
        }
    };
    // Asked first (the guided resume question), before any host lock: an unanswered
    // question must not hold up another zone's rescue. Its own run's leftovers are restored in
    // there, under the exclusive host lock.
    let mut opened = match open_journal(&req, asks, prompter.as_mut(), &exec, &zone_dir, run_id)? {
        Ok(o) => o,
        Err(r) => return refuse(r),
    };
    // A run continued goes on with the playbook it began with (cm vv F2: resumed with the
    // bundled one, it uninstalled what the site's playbook keeps as core).
    // So does the new rescue a resume starts from an image its run rolled back as it ended
    // (regress ww F2).
    let forced_playbook = match (forced_playbook, &opened.journal.playbook) {
        (None, Some(p)) if opened.resume || req.resume => {
            Some(anyhow::Context::with_context(Playbook::load(p), || {
                format!("the run resumed was started with --playbook {}", p.display())
            })?)
        }
        (f, _) => f,
    };
    // The GZ publishers stay as they are (no other zone's run changes them) from here until
    // preflight has read them; exclusively when a killed run on another zone left them
    // modified and they are restored first.
    let mut access = host_lock::Access::Shared;
    let (host, others_left) = loop {
        let Some(l) = host_lock::wait_for(&exec, &zone_dir, access)? else {
            let why = format!(
                "stopped by {} while waiting; nothing was changed",
                exec.interrupt.signal_name()
            );
            let id = opened.journal.run_id.clone();
            reporter.emit(&summary_only(&zone, &id, RunResult::Interrupted, why));
            return Ok(exit::INTERRUPTED);
        };
        let others =
            previous_run::others_left_modified(zone_dir.parent().unwrap_or(&zone_dir), &zone);
        if !req.dry_run && !others.is_empty() && access == host_lock::Access::Shared {
            drop(l);
            access = host_lock::Access::Exclusive;
            continue;
        }
        break (l, others);
    };
    for (dir, mut j) in others_left {
        // A live run on that zone that has yet to restore them (it is resuming) or could not:
        // what the GZ shows is no original.
        let Some(_theirs) = ZoneLock::try_acquire(&dir, &j.zone)? else {
            let why = format!(
                "a zonerescue run on zone {} is running, and its journal says the global zone's \
                 publishers are modified (it restores them before anything else, or could \
                 not); nothing was changed: once they are as that journal records \
                 (`zonerescue status {}`), run zonerescue again",
                j.zone, j.zone
            );
            return refuse(Refusal::gz_differs(&opened.journal.run_id, why));
        };
        // Its attach, orphaned by the kill, may still run on the simplified publishers.
        if !req.dry_run {
            match inflight::wait_for_leftover(&dir, runner.timeouts(), &reporter, &exec.interrupt) {
                Ok(f) => opened.inherited.extend(f),
                Err(why) => {
                    reporter.emit(&Refusal::locked(&opened.journal.run_id, why).summary(&zone));
                    return Ok(exit::LOCKED);
                }
            }
        }
        match previous_run::restore_gz_publishers(&exec, &j, req.dry_run, &dir)? {
            Ok(f) => {
                if !req.dry_run {
                    j.gz_publishers_modified = false;
                    j.save(&dir)?;
                }
                opened.inherited.push(f);
            }
            Err(why) => {
                return refuse(Refusal::gz_differs(&opened.journal.run_id, why));
            }
        }
    }
    if opened.resume && cut_attach {
        opened.journal.attempts += 1;
    }
    let run_id = opened.journal.run_id.clone();
    reporter.emit(&Event::RunStart {
        run_id: run_id.clone(),
        zone: zone.clone(),
        strategy: opened.choice.to_string(),
        dry_run: req.dry_run,
        version: env!("CARGO_PKG_VERSION").into(),
    });
    // A killed run had left the GZ publishers modified, and they were just put back.
    let restored_last_gz =
        !req.dry_run && opened.inherited.iter().any(|f| f.key == previous_run::GZ_LEFT_MODIFIED);
    for f in waited.into_iter().chain(opened.inherited) {
        reporter.emit(&Event::Finding(f));
    }

    // Its `pkg refresh` of the publishers the attach will refresh may wait on a dead
    // repository up to the pkg time limit: a spinner says what runs (ops ww F2: the screen
    // showed only the header line meanwhile).
    let checking = (!req.dry_run)
        .then(|| reporter.progress("preflight: pkg refresh of the publishers attach -u refreshes"));
    let pf =
        preflight::run(&runner, &zone, forced_playbook.as_ref().map(|p| p.platform), !req.dry_run);
    drop(checking);
    drop(host);
    for f in &pf.findings {
        reporter.emit(&Event::Finding(f.clone()));
    }
    if req.dry_run {
        // `pkg refresh` writes the catalog cache, so a dry run does not test the publishers:
        // the real run may find more to fix (and plan otherwise).
        reporter.emit(&Event::Finding(
            Finding::info(
                "dry-run.reachability-unchecked",
                "dry run: publishers were not refreshed, so whether the global zone reaches \
                 them is not known; the real run checks and may plan other rungs",
            )
            .detail("the plan below uses the catalogs as the global zone last refreshed them"),
        ));
    }
    let mut facts = match pf.facts {
        Some(f) if !pf.findings.iter().any(|f| f.inhibitor) => f,
        _ => {
            let why: Vec<String> =
                pf.findings.iter().filter(|f| f.inhibitor).map(|f| f.title.clone()).collect();
            return refuse(Refusal::new(
                &run_id,
                format!("nothing was changed: {}", why.join("; ")),
            ));
        }
    };
    let mut journal = opened.journal;
    // A signal during preflight (read-only) stops the run before its first change: no
    // snapshot, and a new run's journal does not replace the last run's record.
    if exec.interrupt.is_set() && !req.dry_run {
        if opened.resume {
            journal.status = JournalStatus::Ended(RunResult::Interrupted);
            journal.save(&zone_dir)?;
        }
        let why = format!(
            "stopped by {} before anything was changed (during preflight)",
            exec.interrupt.signal_name()
        );
        reporter.emit(&summary_only(&zone, &run_id, RunResult::Interrupted, why));
        return Ok(exit::INTERRUPTED);
    }
    if !opened.resume {
        // A new rescue that replaces a run whose image was rolled back keeps what that run
        // found (the zone it detached was installed).
        journal.installed_at_start |= facts.state == ZoneState::Installed;
        journal.active_zbe = facts.active_zbe.clone();
        journal.zone_root = Some(facts.zone_root.display().to_string());
        journal.gz_publishers_tsv = Some(facts.gz_publishers_tsv.clone());
        journal.gz_publishers_table = Some(facts.gz_publishers_table.clone());
        if journal.earlier_pre.is_none() || journal.zone_packages_at_start.is_empty() {
            journal.zone_packages_at_start = facts.zone_packages.clone();
        }
        journal.zone_publishers_enabled_at_start = facts
            .zone_publishers_at_start
            .iter()
            .filter(|p| p.enabled)
            .map(|p| p.name.clone())
            .collect();
        if let Err(e) = journal.save(&zone_dir) {
            // Before anything changed: the run stops, its summary still the last line.
            let why = format!("stopped by an error before anything was changed: {e}");
            reporter.emit(&summary_only(&zone, &run_id, RunResult::Error, why));
            return Ok(exit::ERROR);
        }
    }
    let playbook = forced_playbook.unwrap_or_else(|| Playbook::builtin(facts.platform));
    let rules = RuleSet::builtin().map_err(|e| anyhow::anyhow!("built-in analysis rules: {e}"))?;
    let journal_steps = journal.steps.len();
    // Remedies the operator skipped stay skipped: on resume, and in the new rescue that
    // replaces a run whose image was rolled back (open_journal carries them over).
    let skipped_before = journal.skipped_by_operator.clone();
    // A resumed run's rescue began with the earlier run (journals of older versions lack it).
    let packages_at_start = if journal.zone_packages_at_start.is_empty() {
        facts.zone_packages.clone()
    } else {
        journal.zone_packages_at_start.clone()
    };
    // ... and so did the zone's publishers (those the run's attaches may have disabled).
    for p in facts.zone_publishers_at_start.iter_mut() {
        p.enabled |= journal.zone_publishers_enabled_at_start.contains(&p.name);
    }
    // ... and what its repositories answered (empty in a new run's journal).
    facts.learn_repositories(journal.repositories.clone());
    if journal.answered_at_start.is_empty() {
        journal.answered_at_start = facts.preflight_answered_origins();
    }
    facts.answered_before = journal.answered_at_start.clone();
    let installed_at_start = journal.installed_at_start;
    let found_installed = facts.state == ZoneState::Installed;
    let mut run = Run {
        exec,
        facts,
        playbook,
        journal,
        zone_dir,
        prompter,
        choice: opened.choice,
        rules,
        applied: Vec::new(),
        tried: skipped_before.iter().chain(&opened.tried_before).copied().collect(),
        skipped: skipped_before,
        uninstall_named: Vec::new(),
        stuck: Vec::new(),
        attempts: 0,
        snapshots: Vec::new(),
        pre: None,
        simplify_gz: false,
        gz_intact: None,
        restored_last_gz,
        gz_restore_by_hand: Vec::new(),
        gz_changed_by_others: Vec::new(),
        busy_retries: 0,
        diagnosis: None,
        prediction_held: false,
        attach_first_why: None,
        attach_passed_over: false,
        extra_findings: Vec::new(),
        last_log: None,
        resuming: opened.resume,
        steps_before: journal_steps,
        image_busy: false,
        env_stop: None,
        stopped_in: None,
        env_retries: 0,
        packages_at_start,
        installed_at_start,
        found_installed,
        put_back: None,
        put_back_failed: false,
        allow_destructive: req.allow_destructive,
        previous: opened.previous,
    };
    let outcome = if opened.resume { run.resume() } else { run.go() };
    let (result, message) = match outcome {
        // A command held back after a signal that a step did not expect to fail: the run
        // stops there, nothing rolled back (a rollback would be a new command too).
        Ok((r, m))
            if run.exec.held_back()
                && !matches!(r, RunResult::Attached | RunResult::Interrupted) =>
        {
            (
                RunResult::Interrupted,
                format!("stopped by {} ({m})", run.exec.interrupt.signal_name()),
            )
        }
        Err(e) if run.exec.held_back() => (
            RunResult::Interrupted,
            format!("stopped by {}: {e:#}", run.exec.interrupt.signal_name()),
        ),
        Ok(r) => r,
        Err(e) => (RunResult::Error, format!("stopped by an error: {e:#}")),
    };
    run.finish(result, message, req.boot)
}

/// The journal a run writes, and what it takes over from the zone's last one.
struct Opened {
    journal: Journal,
    choice: StrategyChoice,
    /// Continuing the journalled run (asked for, or accepted at the guided prompt).
    resume: bool,
    /// Findings about the last run: GZ publishers restored, a run that never finished.
    inherited: Vec<Finding>,
    /// The last journal a new run replaces (none when resuming).
    previous: Option<Journal>,
    /// Rungs a run whose image was rolled back already tried on that very image (its plain
    /// attach, before any rung changed it): the new rescue that replaces it does not repeat
    /// them.
    tried_before: Vec<StrategyName>,
}

/// Why a run stops before it changes anything.
struct Refusal {
    run_id: String,
    message: String,
    gz_publishers_intact: Option<bool>,
    /// `Refused`, or `Locked` when another zonerescue holds the zone.
    result: RunResult,
}

impl Refusal {
    /// A refusal because the GZ publishers differ from a run's record and cannot be put back.
    fn gz_differs(run_id: &str, why: impl Into<String>) -> Refusal {
        Refusal { gz_publishers_intact: Some(false), ..Refusal::new(run_id, why) }
    }

    fn new(run_id: &str, message: impl Into<String>) -> Self {
        Refusal {
            run_id: run_id.into(),
            message: message.into(),
            gz_publishers_intact: None,
            result: RunResult::Refused,
        }
    }

    /// Another zonerescue process holds the zone (exit 4).
    fn locked(run_id: &str, message: impl Into<String>) -> Self {
        Refusal { result: RunResult::Locked, ..Refusal::new(run_id, message) }
    }

    fn summary(self, zone: &str) -> Event {
        let mut e = summary_only(zone, &self.run_id, self.result, self.message);
        if let Event::Summary(s) = &mut e {
            s.gz_publishers_intact = self.gz_publishers_intact;
            if self.result == RunResult::Locked {
                s.next_steps = vec![
                    format!("see what holds the zone: zonerescue status {zone}"),
                    format!("once that has ended: zonerescue {}", crate::cli::rescue_operand(zone)),
                ];
            }
        }
        e
    }
}

/// Opens the run's journal: the journalled run's to resume it, or a new one (not yet written:
/// a new run's journal replaces the last one only once preflight lets it go on, since a
/// refusal changes nothing and must not cost the last run's record, its resume and its
/// snapshots). First puts back the GZ publishers the last run may have left modified.
fn open_journal(
    req: &Request,
    asks: bool,
    prompter: &mut dyn Prompter,
    exec: &Exec,
    zone_dir: &std::path::Path,
    run_id: String,
) -> anyhow::Result<Result<Opened, Refusal>> {
    // A new run replaces the journal (a dry run does not): read the last one first. One that
    // cannot be read is kept aside, not overwritten: it may be the only record of the GZ
    // publishers a killed run left modified.
    let mut kept_aside = None;
    let mut previous = match (req.resume, Journal::load_checked(zone_dir)) {
        (true, _) => None,
        (false, Ok(j)) => j,
        (false, Err(e)) if req.dry_run => {
            exec.reporter.note(&format!("the zone's journal cannot be read ({e})"));
            None
        }
        (false, Err(e)) => {
            let from = Journal::path(zone_dir);
            let to = zone_dir.join(format!("journal.unreadable-{run_id}.json"));
            std::fs::rename(&from, &to).map_err(|re| {
                anyhow::anyhow!(
                    "the journal {} cannot be read ({e}) nor kept aside: {re}",
                    from.display()
                )
            })?;
            kept_aside = Some(
                Finding::warn(
                    "journal.unreadable",
                    Severity::Medium,
                    format!(
                        "the zone's last journal could not be read ({e}): kept as {}",
                        to.display()
                    ),
                )
                .remediation(format!(
                    "if a run was killed with the global zone's publishers simplified, {} (read \
                     as text: it may be cut short)",
                    super::journal::compare_gz_publishers("that file's")
                )),
            );
            None
        }
    };
    // A run whose rollback as it ended stopped partway left an image that is neither the
    // rescued one nor the one before: nothing goes on from it until the rollback is finished.
    let partway = |j: &Journal| {
        j.rollback_left_partway().map(|t| {
            Refusal::new(
                &j.run_id,
                format!(
                    "the last run's rollback to {t} stopped partway (a dataset below the zone \
                     boot environment was not rolled back): finish it first with `zonerescue \
                     rollback {}`",
                    req.zone
                ),
            )
        })
    };
    if let Some(r) = previous.as_ref().and_then(partway) {
        return Ok(Err(r));
    }
    // Guided: an operator whose run was killed may simply have started it again; offer to
    // continue that run rather than start afresh from the zone as it was left.
    let mut resume = req.resume;
    if asks
        && !req.dry_run
        && let Some(q) = previous.as_ref().and_then(previous_run::resume_question)
    {
        match exec.reporter.suspended(|| prompter.confirm(&q)) {
            Answer::Yes => resume = true,
            Answer::No | Answer::Skip => {}
            Answer::Stop | Answer::Lost => {
                // The GZ publishers that run left modified are put back all the same (no
                // consent needed: the GZ as it was), or the operator walks away from a GZ
                // whose only record is the journal (guided kk F1).
                let mut why = String::from("stopped at the operator's request");
                if let Some(mut j) = previous.clone().filter(|j| j.gz_publishers_modified) {
                    match restore_left_gz_publishers(exec, zone_dir, &j, false)? {
                        Some(Ok(_)) => {
                            j.gz_publishers_modified = false;
                            j.put_back(zone_dir)?;
                            why.push_str(&format!(
                                "; the global zone's publishers, which that run had left \
                                 modified, were restored from its journal (`zonerescue resume \
                                 {}` continues the rest of it)",
                                req.zone
                            ));
                        }
                        Some(Err(e)) => return Ok(Err(Refusal::gz_differs(&run_id, e))),
                        None => why.push_str(&format!(
                            "; the global zone's publishers are still as that run left them \
                             (`zonerescue resume {}` restores them first)",
                            req.zone
                        )),
                    }
                }
                return Ok(Err(Refusal::new(&run_id, why)));
            }
        }
    }
    if resume {
        previous = None;
    }
    let mut choice = req.choice;
    let mut restarted = None;
    let mut tried_before = Vec::new();
    let mut journal = if resume {
        let Some(mut j) = Journal::load_checked(zone_dir)? else {
            let why = format!("no journal in {} to resume", zone_dir.display());
            return Ok(Err(Refusal::new(&run_id, why)));
        };
        if let JournalStatus::Ended(
            r @ (RunResult::Attached | RunResult::Refused | RunResult::Planned),
        ) = j.status
        {
            let why = format!("the last run ended {}: nothing to resume", r.as_str());
            return Ok(Err(Refusal::new(&j.run_id, why)));
        }
        if let Some(r) = partway(&j) {
            return Ok(Err(r));
        }
        // (Resuming it would detach an installed zone for the same rungs again.)
        if j.changed_nothing && j.status == JournalStatus::Ended(RunResult::Failed) {
            let why = format!(
                "the last run changed nothing (the zone is as it was): nothing to resume; \
                 `zonerescue {}` starts a new rescue",
                crate::cli::rescue_operand(&req.zone)
            );
            return Ok(Err(Refusal::new(&j.run_id, why)));
        }
        if j.rolled_back() {
            let why = format!(
                "the last run was rolled back (zonerescue rollback): nothing to resume; \
                 `zonerescue {}` starts a new rescue",
                crate::cli::rescue_operand(&req.zone)
            );
            return Ok(Err(Refusal::new(&j.run_id, why)));
        }
        choice = j.strategy.parse().unwrap_or(StrategyChoice::Auto);
        if let Some(to) = j.rolled_back_at_end.clone() {
            // Nothing of that run is in the image: continuing it would take rungs for applied
            // that are not (round v F2). A new rescue, with the same strategy, from that image.
            restarted = Some(Finding::info(
                "journal.last-run-rolled-back",
                format!(
                    "the last run ({}) rolled the zone's image back to {to} as it ended: \
                     nothing of it is left to resume, so this is a new rescue from that image",
                    j.run_id
                ),
            ));
            resume = false;
            // Its snapshots must not be named like the rolled-back run's: a run id is the
            // second and the pid, the same only for a resume in the same second by the same
            // process (as tests run it in-process).
            let run_id = if run_id == j.run_id {
                std::thread::sleep(std::time::Duration::from_millis(1100));
                snapshot::new_run_id()
            } else {
                run_id.clone()
            };
            let mut fresh = Journal::new(&run_id, &req.zone, &choice.to_string(), req.dry_run);
            fresh.playbook = j.playbook.clone();
            fresh.skipped_by_operator = j.skipped_by_operator.clone();
            fresh.installed_at_start = j.installed_at_start;
            tried_before = plain_attach_failed_on_pre(&j);
            previous = Some(j);
            fresh
        } else {
            j.pid = std::process::id();
            j.status = JournalStatus::Running;
            j.stopped_untouched = false;
            j
        }
    } else {
        let mut j = Journal::new(&run_id, &req.zone, &choice.to_string(), req.dry_run);
        j.playbook = req.playbook.as_ref().map(|p| std::path::absolute(p).unwrap_or(p.clone()));
        j
    };
    // The global zone first: it serves every zone. A run killed outright mid-attach (or whose
    // restore failed) may have left its publishers simplified, and its journal holds the only
    // record of the original; nothing goes on from a global zone that differs from it.
    let mut inherited = Vec::new();
    let left = if resume { Some(&journal) } else { previous.as_ref() };
    if let Some(j) = left.filter(|j| j.gz_publishers_modified) {
        match restore_left_gz_publishers(exec, zone_dir, j, req.dry_run)? {
            None => {
                let why = "interrupted while waiting to restore the global zone's publishers";
                return Ok(Err(Refusal::new(&journal.run_id, why)));
            }
            Some(Ok(f)) => inherited.push(f),
            Some(Err(why)) => {
                return Ok(Err(Refusal::gz_differs(&journal.run_id, why)));
            }
        }
        journal.gz_publishers_modified = false;
        if let Some(p) = previous.as_mut() {
            p.gz_publishers_modified = false;
        }
    }
    inherited.extend(kept_aside);
    // A resume that starts anew from a rolled-back run: "stop this one and resume it" would
    // name the command running (regress ss F4).
    let restarting = restarted.is_some();
    inherited.extend(restarted);
    if !restarting {
        inherited.extend(previous.as_ref().and_then(previous_run::unfinished));
    }
    if resume {
        journal.save(zone_dir)?;
    } else {
        journal.earlier_pre = previous.as_ref().and_then(previous_run::earlier_pre);
        // Starting from what an earlier run left changed (an image-create cut short, say),
        // this one reports what went since before that run, not since what it left (ops uu
        // F2: a zone without its core packages read as rescued, nothing missing).
        // Not after a run that attached the zone: what it removed was the rescue the zone
        // had then, and the zone is as this run finds it (regress vv F4).
        if journal.earlier_pre.is_some()
            && let Some(p) = &previous
            && p.status != JournalStatus::Ended(RunResult::Attached)
        {
            journal.zone_packages_at_start = p.zone_packages_at_start.clone();
        }
    }
    Ok(Ok(Opened { journal, choice, resume, inherited, previous, tried_before }))
}

/// Said of a zone put back with `attach -F` whose image could not be rolled back first.
const NOT_ROLLED_BACK: &str = "; but its image was not rolled back first: it keeps what the \
                               failed attach changed in it, and the pre-rescue snapshot keeps it \
                               as it was";

/// Why a rung is not judged yet: its zone's image is mounted nowhere until the detach.
const JUDGED_ONCE_READ: &str = "judged once the zone's image is mounted and read";

/// A halted zone's image, read once the detach had mounted it, is of a later release than the
/// global zone: no `attach -u` takes it (pkg never downgrades), and it was attached again as
/// it was (`attach -F`).
#[derive(Debug)]
pub struct NewerAfterAll;

impl std::fmt::Display for NewerAfterAll {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(
            "the zone's image, read once the detach or the first attach had mounted it (a \
             halted zone's boot environment is mounted nowhere), is of a later release than the \
             global zone, and \
             pkg never downgrades: no attach -u can take it; it was attached again as it was \
             (zoneadm attach -F)",
        )
    }
}

impl std::error::Error for NewerAfterAll {}

/// Restores the GZ publishers the run of `j` left modified, under the host lock (not under
/// another zone's attach, nor while another run has them simplified): the finding, or why they
/// still differ; `None` when interrupted while waiting for the lock.
fn restore_left_gz_publishers(
    exec: &Exec,
    zone_dir: &std::path::Path,
    j: &Journal,
    dry_run: bool,
) -> anyhow::Result<Option<Result<Finding, String>>> {
    let _host = if dry_run {
        None
    } else {
        match host_lock::wait_for(exec, zone_dir, host_lock::Access::Exclusive)? {
            Some(l) => Some(l),
            None => return Ok(None),
        }
    };
    previous_run::restore_gz_publishers(exec, j, dry_run, zone_dir).map(Some)
}

/// The zone's last attach failed on `key`, outside its package image (a full pool, a ZBE
/// problem): what the administrator fixes before running zonerescue, so it is attached again.
fn outside_image_finding(
    key: &str,
    minutes_ago: Option<u64>,
    log: Option<&std::path::Path>,
) -> Finding {
    let when = minutes_ago.map_or(String::new(), |m| format!(" {m} min ago"));
    let mut f = Finding::info(
        "attach.previous-failure",
        format!("the zone's last attach -u failed{when} on {key}"),
    );
    let log = log.map_or(String::new(), |p| format!("{}: ", p.display()));
    f.detail = format!(
        "{log}that lies outside the zone's package image; attach again to see whether it is fixed"
    );
    f
}

fn summary_only(zone: &str, run_id: &str, result: RunResult, message: String) -> Event {
    Event::Summary(Summary {
        zone: zone.into(),
        result,
        run_id: run_id.into(),
        strategies_applied: vec![],
        strategies_skipped: vec![],
        attempts: 0,
        snapshots: vec![],
        pre_snapshot: None,
        zone_state: None,
        gz_publishers_intact: None,
        gz_publishers_changed_by_others: vec![],
        message,
        next_steps: vec![],
        packages_removed: vec![],
    })
}

/// The step detail of a rung a killed run was applying, undone by `resume`: it never ran to
/// its end, so it was not tried.
const CUT_SHORT: &str = "interrupted; undone on resume";

/// The step detail of a rung a stopped run was applying, left as it is on resume because the
/// zone has been attached since.
const NOT_UNDONE_ATTACHED: &str = "stopped; not undone on resume: the zone had been attached since (an attached zone's ZBE is never rolled back)";

/// `[attach]` when `j`'s plain attach failed before any of its rungs changed the image: the
/// image its rollback restored is the one that attach failed on.
fn plain_attach_failed_on_pre(j: &Journal) -> Vec<StrategyName> {
    for st in &j.steps {
        match st.name.parse::<StrategyName>() {
            Ok(StrategyName::Attach) if st.outcome == Some(StepOutcome::AttachFailed) => {
                return vec![StrategyName::Attach];
            }
            Ok(StrategyName::Attach) => {}
            // A rung whose change stayed in the image before that attach.
            Ok(_)
                if matches!(
                    st.outcome,
                    None | Some(StepOutcome::Done | StepOutcome::AttachFailed)
                ) =>
            {
                return Vec::new();
            }
            _ => {}
        }
    }
    Vec::new()
}

/// Whether a journalled step ran to its end (not skipped, not cut short by a kill, not
/// stopped before its attach could run).
fn ran_to_its_end(st: &super::journal::JournalStep) -> bool {
    !matches!(st.outcome, None | Some(StepOutcome::Skipped))
        && st.detail != CUT_SHORT
        && st.detail != NOT_UNDONE_ATTACHED
        && !st.detail.starts_with(ATTACH_NOT_RUN)
}

/// The start of the journalled detail of rungs acting around an attach (gz-publishers) that
/// stopped before it ran, on a cause outside the image: not tried, `resume` plans them again.
const ATTACH_NOT_RUN: &str = "its attach did not run";

/// The step detail of a destructive rung run without consent to it.
const NOT_ALLOWED: &str = "not allowed: a destructive strategy needs --allow-destructive (or, \
     run guided on a terminal, the zone name typed at its question)";

/// The step detail (journal and event) of a rung the operator skipped.
const SKIPPED_BY_OPERATOR: &str = "skipped by the operator";
/// The journalled detail of a step whose question waits for the operator.
const AWAITING_ANSWER: &str = "asked the operator; no answer yet (nothing of it ran)";

/// Zone publishers to enable again after an attach, and those left disabled (why).
type ReenablePlan = (Vec<String>, Vec<(String, strategies::LeftDisabled)>);

/// How far one rung got before its attach.
enum RungStep {
    Applied {
        n: u32,
        detail: String,
    },
    /// Ran but changed nothing (nothing to do, or its own dry run failed and it was undone).
    NotApplied,
    /// Not run: a destructive rung without the operator's consent, or a rung the operator
    /// skipped. The next rung comes without an attach (nothing changed).
    NotAllowed,
    End((RunResult, String)),
}

/// What the analyzer may know beyond the log: the facts preflight collected (shared with
/// `--all`, which analyses every zone's newest log the same way).
pub fn analysis_context(facts: &Facts) -> AnalysisContext {
    AnalysisContext {
        platform: Some(generation(facts.platform)),
        gz_publishers: facts.gz_publishers.iter().map(|p| p.name.clone()).collect(),
        gz_disabled_publishers: facts
            .gz_publishers
            .iter()
            .filter(|p| !p.enabled)
            .map(|p| p.name.clone())
            .collect(),
        zone_publishers: facts.zone_publishers.iter().map(|p| p.name.clone()).collect(),
        zone: Some(facts.zone.as_str().to_string()),
        zone_root: Some(facts.zone_root.display().to_string()),
    }
}

fn generation(p: Platform) -> Generation {
    match p {
        Platform::S11Express => Generation::S11express,
        Platform::OpenIndiana => Generation::Openindiana,
        Platform::OmniOs => Generation::Omnios,
        Platform::Solaris11 => Generation::Solaris11,
    }
}

impl Run {
    fn emit(&self, e: Event) {
        self.exec.reporter.emit(&e);
    }

    fn save(&mut self) -> anyhow::Result<()> {
        self.journal.strategies_applied = self.applied.clone();
        self.journal.attempts = self.attempts;
        self.journal.save(&self.zone_dir)?;
        Ok(())
    }

    /// The zone's state now, per `zoneadm list`.
    fn zone_state_now(&self) -> Option<ZoneState> {
        crate::commands::zoneadm::get(&self.exec.runner, &self.facts.zone).ok().map(|e| e.state)
    }

    fn attached_now(&self) -> bool {
        self.zone_state_now() == Some(ZoneState::Installed)
    }

    fn zbe(&self) -> anyhow::Result<String> {
        self.facts.active_zbe.clone().ok_or_else(|| anyhow::anyhow!("no active ZBE"))
    }

    /// The whole run; returns how it ended.
    fn go(&mut self) -> anyhow::Result<(RunResult, String)> {
        // A zone that needs no attach: detaching it, or any rung, could only make it worse
        // (a zone publisher served from inside the zone is down while it is, not dead).
        if self.facts.in_step() {
            let zone = &self.facts.zone;
            let changed = if self.restored_last_gz {
                // (worlds round y F3: it said "nothing was changed".)
                self.gz_intact = Some(true);
                "the global zone's publishers, which the last run had left modified, were \
                 restored from its journal; nothing else was changed"
            } else {
                "nothing was changed"
            };
            return Ok((
                if self.exec.dry_run { RunResult::Planned } else { RunResult::Attached },
                format!(
                    "zone {zone} is installed and in step with the global zone: nothing to \
                     rescue; {changed}"
                ),
            ));
        }
        if let Some(why) = self.image_create_cannot_help() {
            return Ok((RunResult::Refused, why));
        }
        // 1. The pre-rescue snapshot, verified, before anything changes.
        let zbe = self.zbe()?;
        let pre = snapshot::pre_name(&zbe, &self.journal.run_id);
        let n = self.open_step(
            "snapshot",
            Some(pre.clone()),
            "every remedy can damage the zone: snapshot its boot environment first".into(),
            vec![],
        )?;
        // A resumed run killed right after `zfs snapshot` finds its snapshot already there.
        let reuse = self.resuming && snapshot::exists(&self.exec, &pre)?;
        if reuse {
            // Verified to exist: nothing to create.
        } else if let Err(e) = snapshot::create(
            &self.exec,
            &pre,
            &self.journal.run_id.clone(),
            "pre",
            &self.facts.gz_entire_text(),
            self.facts.zone_version().map(|v| v.to_string()).as_deref(),
        ) {
            self.journal.end_step(n, StepOutcome::Failed, &e.to_string());
            self.emit(Event::StepEnd {
                step: n,
                name: "snapshot".into(),
                outcome: StepOutcome::Failed,
                detail: e.to_string(),
            });
            return Ok((
                RunResult::Refused,
                format!(
                    "could not snapshot the zone boot environment, so nothing was changed: {e}"
                ),
            ));
        }
        if !self.exec.dry_run {
            self.pre = Some(pre.clone());
            self.snapshots.push(pre.clone());
            self.journal.pre_snapshot = Some(pre.clone());
            self.emit(Event::Snapshot {
                step: n,
                name: pre.clone(),
                action: SnapshotAction::Created,
            });
            self.keep_unrecorded_earlier_pre();
        }
        // A dry run only shows the snapshot it would take.
        let (outcome, detail) = if self.exec.dry_run {
            (StepOutcome::Skipped, format!("dry run: would create {pre}"))
        } else {
            (StepOutcome::Done, String::new())
        };
        self.journal.end_step(n, outcome, &detail);
        self.emit(Event::StepEnd { step: n, name: "snapshot".into(), outcome, detail });
        self.save()?;
        self.exec.mark_unchanged();

        self.plan_first_attempt();
        if self.choice == StrategyChoice::Only(StrategyName::Uninstall) {
            self.name_blockers_for_uninstall();
        }
        if self.exec.dry_run {
            return Ok(self.dry_run_plan());
        }
        self.climb()
    }

    /// `--strategy image-create` alone, when preflight already knows its attach fails on a
    /// global-zone publisher, which a new image is refreshed from as well: why re-creating
    /// the image is refused (it was re-created, the attach failed as foreseen, and the image
    /// was rolled back; worlds round y F1).
    fn image_create_cannot_help(&self) -> Option<String> {
        if self.choice != StrategyChoice::Only(StrategyName::ImageCreate) {
            return None;
        }
        let gz = self.gz_publishers_in_the_way()?;
        Some(format!(
            "image-create would re-create the zone's package image and its attach would still \
             fail: {}. A new image is refreshed from the global zone's publishers too; nothing \
             was changed. Let auto take them out of that attach's way and re-create the image \
             only if that is still needed: `{}` (gz-publishers on its own puts them back after \
             its own attach, so running it first does not help)",
            gz.join("; "),
            self.image_create_command()
        ))
    }

    /// What preflight predicts of the global zone's publishers that fails any attach (a new
    /// image is refreshed from them too): the reasons, each ending with its key; None when
    /// nothing does.
    fn gz_publishers_in_the_way(&self) -> Option<Vec<String>> {
        let d = prediction::beside_the_release(&self.facts, &self.playbook)?;
        if !d.remedies.contains(&StrategyName::GzPublishers) {
            return None;
        }
        Some(d.reasons.into_iter().filter(|r| r.contains("(gz.publisher-")).collect())
    }

    /// The command that runs image-create with consent: on its own, unless the global zone's
    /// publishers are in the way, where image-create alone is refused and auto applies
    /// gz-publishers with it.
    fn image_create_command(&self) -> String {
        let zone = crate::cli::rescue_operand(self.facts.zone.as_str());
        match self.gz_publishers_in_the_way() {
            // auto, unattended: it takes them out of the attach's way as gz-publishers does,
            // around the attach after image-create (gz-publishers alone restores them after
            // its own attach, so a separate run of it first changes nothing).
            Some(_) => format!("zonerescue --strategy auto --allow-destructive {zone}"),
            None => format!("zonerescue --strategy image-create --allow-destructive {zone}"),
        }
    }

    /// auto's first attempt: the administrator's fresh failed attach, else what preflight
    /// predicts, may make the plain attach pointless (else it goes first and finds out).
    fn plan_first_attempt(&mut self) {
        if self.choice != StrategyChoice::Auto {
            return;
        }
        if self.facts.state == ZoneState::Configured {
            self.adopt_operators_attempt();
        }
        if self.diagnosis.is_none() {
            self.predict_failure();
        }
    }

    /// What preflight found that makes the plain attach fail for certain: a publisher
    /// `attach -u` refreshes that the global zone cannot reach and that a gentle rung can take
    /// out of the way (a GZ publisher other than the first; a zone-only publisher), and
    /// installed packages the GZ's catalogs list as obsolete at its release (no plan keeps
    /// them). Then auto starts with those remedies instead of attaching to find out.
    fn predict_failure(&mut self) {
        if let Some(f) = self.unknown_core_finding() {
            self.emit(Event::Finding(f));
        }
        if let Some(d) = prediction::predict(&self.facts, &self.playbook) {
            let mut f = Finding::info(
                "attach.predicted-failure",
                format!("attach -u would fail: {}", d.reasons.join("; ")),
            );
            f.detail = "auto starts with the remedy instead of a plain attach to find out".into();
            if self.image_unmounted_until_attach() && d.remedies.iter().any(|s| s.changes_image()) {
                // Nothing can change the image before an attach mounts it again (see
                // `attach_first`): what was predicted joins that attach's diagnosis.
                self.prediction_held = true;
                f.detail = "the solaris brand's detach unmounts the zone's boot environment and \
                            only an attach mounts it again: the remedies that change the image \
                            come after the first attach"
                    .into();
            }
            self.start_from(d, f);
        }
    }

    /// The solaris brand's detach unmounts the image (reference §2.9), and only an attach
    /// mounts it again (a failed one leaves it mounted): while the zone is installed, the rungs
    /// that change the image wait for the next round, and a plain attach goes first when
    /// nothing else would go around it (fidelity ss F1: they ran on the empty mountpoint).
    /// Not when an attach step was passed over or skipped already, not run (regress vv F1: it
    /// came back forever): the waiting rungs then say why they cannot run. Also the attach
    /// that names what a single uninstall is for (`blockers_unnamed`).
    fn attach_first(&mut self, batch: &mut Vec<StrategyName>) {
        self.attach_first_why = None;
        let attach = StrategyName::Attach;
        // (One that ran, or was cut short, may go again: a rollback on resume unmounts.)
        let attach_left = !self.attach_passed_over && !self.skipped.contains(&attach);
        if self.needs_a_mounting_attach(batch) {
            let (waiting, others): (Vec<StrategyName>, Vec<StrategyName>) =
                batch.iter().partition(|r| r.changes_image());
            if !others.is_empty() {
                *batch = others;
            } else if attach_left {
                *batch = vec![attach];
                self.attach_first_why = Some(Self::mounting_reason(&waiting));
            }
        } else if attach_left && let Some(why) = self.blockers_unnamed(batch) {
            *batch = vec![attach];
            self.attach_first_why = Some(why);
        }
    }

    /// `--strategy uninstall` before any attach has failed, with nothing to remove but
    /// members of the problem groups the global zone's catalogs do not know at all: kept
    /// until an attach names them (one may be a rename whose record the GZ's repository
    /// dropped: oracle tt F1), so the attach that names them goes first (oracle vv F2: the
    /// rung said that nothing blocks the solver, and ended).
    fn blockers_unnamed(&self, rungs: &[StrategyName]) -> Option<String> {
        let uninstall = StrategyName::Uninstall;
        if self.choice != StrategyChoice::Only(uninstall) || !rungs.contains(&uninstall) {
            return None;
        }
        let input = self.input();
        if input.attach_failed || self.worth(uninstall).is_ok() {
            return None;
        }
        let unknown = strategies::Uninstall::named_once_attached(&input);
        (!unknown.is_empty()).then(|| {
            format!(
                "the attach names what blocks it: {} (members of the playbook's problem groups \
                 that the global zone's catalogs do not know at all) are removed only once an \
                 attach names them, since a rename whose record the repository dropped looks the \
                 same (and the attach may carry it forward alone)",
                unknown.join(", ")
            )
        })
    }

    /// Why a plain attach goes first for `waiting` (ops uu: it said "often just works", not
    /// what it is there for).
    fn mounting_reason(waiting: &[StrategyName]) -> String {
        let names: Vec<&str> = waiting.iter().map(|s| s.as_str()).collect();
        format!(
            "the solaris brand's detach leaves the zone's boot environment mounted nowhere: this \
             attach mounts it for {} (and may attach the zone alone)",
            names.join(", ")
        )
    }

    /// Whether `rungs` wait for an attach to mount the image (see `attach_first`). Not a single
    /// strategy the image preflight read shows cannot apply: that is not worth an attach, the
    /// rung says why and nothing changes.
    fn needs_a_mounting_attach(&self, rungs: &[StrategyName]) -> bool {
        if let StrategyChoice::Only(s) = self.choice
            && !self.facts.zone_image_deferred
            && self.worth(s).is_err()
        {
            return false;
        }
        // Not for rungs passed over for want of consent whatever the image (regress vv F2:
        // the attach ran, detached the zone and cloned its boot environment for nothing).
        self.image_unmounted_until_attach()
            && rungs.iter().any(|r| r.changes_image() && !self.wants_consent(*r))
    }

    /// Whether a destructive rung may run: allowed, or someone is asked.
    fn may_destroy(&self) -> bool {
        self.allow_destructive || self.prompter.asks()
    }

    /// Whether rung `s` is passed over for want of consent, whatever the image: image-create
    /// without --allow-destructive and nobody to ask, and (but for auto, which considers
    /// image-create alone there) a gentle rung on a zone newer than the global zone, which
    /// only image-create gets past (regress kk F3).
    fn wants_consent(&self, s: StrategyName) -> bool {
        !self.may_destroy()
            && (s.is_destructive()
                || (self.choice != StrategyChoice::Auto && self.facts.zone_newer_than_gz()))
    }

    /// Why rung `s`, which changes the image, cannot run on a solaris-brand zone now: its
    /// boot environment is mounted nowhere, or will be once the zone is detached for the rung
    /// (reference §2.9), so it would work on the empty mountpoint, in the zonepath's own
    /// dataset (regress mm F6); or an attach mounted it, but its package list, from which
    /// every remedy is chosen, cannot be read. Asked before anything else is judged: the facts
    /// of an image out of reach say nothing (regress uu F1, F2).
    fn image_out_of_reach(&self, s: StrategyName) -> Option<String> {
        let f = &self.facts;
        if !s.changes_image() || f.brand != "solaris" {
            return None;
        }
        if let (Some(e), false) = (&f.zone_packages_unread, self.image_unmounted_until_attach()) {
            return Some(self.packages_unread_why(e));
        }
        self.image_unmounted_until_attach().then(|| {
            format!(
                "not run: the solaris brand's detach leaves the zone's boot environment mounted \
                 nowhere, so {s} would work on the empty mountpoint {}; an attach mounts it (and \
                 a failed one leaves it mounted): zonerescue --strategy auto {}",
                f.zone_root.display(),
                crate::cli::rescue_operand(f.zone.as_str())
            )
        })
    }

    /// Why no rung changes an image whose package list (`e`: what reading it met) cannot be
    /// read: every remedy is chosen from it.
    fn packages_unread_why(&self, e: &str) -> String {
        format!(
            "not run: the zone's package list cannot be read ({e}), and every remedy is chosen \
             from it: make `pkg -R {} list` work, then resume",
            self.facts.zone_root.display()
        )
    }

    /// The image of a solaris-brand zone is out of reach until an attach mounts it: the zone
    /// is installed, and its detach unmounts the boot environment (reference §2.9), or the
    /// boot environment is mounted nowhere now (a halted zone's, one a detach left so). An
    /// image an attach mounted whose package list cannot be read is another matter.
    fn image_unmounted_until_attach(&self) -> bool {
        let f = &self.facts;
        f.brand == "solaris"
            && (f.state == ZoneState::Installed
                || (f.zone_image_deferred && f.zone_packages_unread.is_none()))
    }

    /// A core package no GZ catalog knows cannot be carried forward nor removed: unless an
    /// intermediate release maps a rename, only image-create gets past it. Said before
    /// anything is tried.
    fn unknown_core_finding(&self) -> Option<Finding> {
        let catalogs = self.facts.gz_catalogs.as_ref()?;
        let names: Vec<&str> = catalogs
            .unknown
            .iter()
            .filter(|p| self.playbook.is_core(p))
            .map(String::as_str)
            .collect();
        if names.is_empty() {
            return None;
        }
        let f = Finding::warn(
            "zone.core-package-unknown",
            Severity::High,
            format!(
                "the global zone's repositories know no version of core package(s) {}: \
                 attach -u cannot carry them forward",
                names.join(", ")
            ),
        )
        .remediation(
            "if it was renamed, stepping through an intermediate release (incremental) maps it; \
             if it is gone, only re-creating the zone image (image-create) gets past",
        );
        Some(f)
    }

    /// auto starts from `d` (known without an attach of its own) instead of a plain attach,
    /// saying so with `why`.
    fn start_from(&mut self, d: Diagnosis, why: Finding) {
        self.emit(Event::Finding(why));
        self.tried.push(StrategyName::Attach);
        self.diagnosis = Some(d);
    }

    /// A detached zone usually reaches zonerescue right after its administrator's own
    /// `attach -u` failed. When that attempt's log is fresh and names what went wrong, auto
    /// starts from its diagnosis instead of repeating the same failing attach (minutes of
    /// catalog refreshes and solving, with the zone down). A stale, unreadable or
    /// inconclusive log is ignored and the plain attach comes first as usual.
    fn adopt_operators_attempt(&mut self) {
        let Some((path, age)) = self.fresh_operator_log() else { return };
        let Some(mut d) = self.diagnose_newest_log() else { return };
        // An attempt a signal cut short, or pkg crashing in it, says nothing about the image:
        // the plain attach goes first, as without a log.
        let cut_short = environment::of_diagnosis(&d, "").is_some_and(|f| {
            matches!(f.cause, environment::Cause::Interrupted | environment::Cause::Crashed)
        });
        if d.attached || d.reasons.is_empty() || cut_short {
            self.last_log = None;
            return;
        }
        let minutes = age.as_secs() / 60;
        // A cause outside the image (a full pool, a ZBE problem) is what the administrator
        // fixes before running zonerescue; only a new attach tells whether it is gone.
        if let Some(key) = d.outside_the_image() {
            self.emit(Event::Finding(outside_image_finding(key, Some(minutes), Some(&path))));
            self.last_log = None;
            return;
        }
        // Every package it names is gone from the image since (uninstalled by hand), or it
        // calls the zone newer than the global zone while the image is older now (rolled
        // back): the log predates the image, and acting on it would climb past a plain attach
        // that may pass (a zone "newer" calls for image-create alone).
        let gone = !d.packages.is_empty()
            && !d.packages.iter().any(|p| self.facts.zone_packages.contains(p));
        let no_longer_newer = d.zone_newer_than_gz()
            && matches!((self.facts.zone_build(), self.facts.gz_build()), (Some(z), Some(g)) if z <= g);
        // Or it could not reach publishers that preflight's refresh has just reached (the
        // network or the repository fixed since).
        let reached_since = !d.publishers.is_empty()
            && d.packages.is_empty()
            && self.facts.answered(&d.publishers, &d.origins);
        if gone || no_longer_newer || reached_since {
            let on = if gone {
                format!(
                    "on {}, which the zone no longer has installed (the image changed since)",
                    d.packages.join(", ")
                )
            } else if reached_since {
                format!(
                    "on publisher(s) {} it could not reach, which answered preflight's refresh \
                     just now",
                    d.publishers.join(", ")
                )
            } else {
                "calling the zone newer than the global zone, which its image no longer is (it \
                 changed since)"
                    .to_string()
            };
            self.emit(Event::Finding(
                Finding::info(
                    "attach.previous-failure-stale",
                    format!(
                        "the zone's last attach -u failed {minutes} min ago {on}: the plain \
                         attach comes first"
                    ),
                )
                .detail(path.display().to_string()),
            ));
            self.last_log = None;
            return;
        }
        let mut f = Finding::info(
            "attach.previous-failure",
            format!("the zone's last attach -u failed {minutes} min ago: {}", d.reasons.join("; ")),
        );
        f.detail = format!(
            "{}: auto starts from this diagnosis instead of repeating the plain attach",
            path.display()
        );
        self.add_predictions(&mut d);
        self.start_from(d, f);
    }

    /// What preflight predicts joins the diagnosis of a log: the publishers that do not
    /// answer, and, when the log names no package (a publisher failure stops pkg before it
    /// solves, so it says nothing against them), the uninstall the catalogs predict.
    fn add_predictions(&self, d: &mut Diagnosis) {
        if d.packages.is_empty() {
            let obsolete = prediction::predicted_obsolete(&self.facts, &self.playbook);
            if !obsolete.is_empty() {
                d.add_catalog_obsolete(obsolete);
            }
        }
        if let Some(p) = prediction::beside_the_release(&self.facts, &self.playbook) {
            d.add_predicted_publishers(&p);
        }
    }

    /// The zone's newest attach log and its age, when it is fresh enough to act on.
    fn fresh_operator_log(&self) -> Option<(PathBuf, std::time::Duration)> {
        let path = attempt::newest_attach_log(self.exec.runner.paths(), self.facts.zone.as_str())?;
        let age = std::fs::symlink_metadata(&path).ok()?.modified().ok()?.elapsed().ok()?;
        (age <= OPERATOR_LOG_MAX_AGE).then_some((path, age))
    }

    /// `--strategy uninstall` runs no attach of its own before the rung, so nothing has named
    /// the blocking packages: take them from the administrator's fresh failed attach, else
    /// from what the global zone's catalogs list as obsolete (never core packages; uninstall's
    /// own `-nv` check still decides). Not the packages they do not know: that reads the same
    /// for a rename the attach maps, and removing it would lose the application. Without this only the
    /// playbook's problem groups were tried, and a blocker outside them was never removed.
    fn name_blockers_for_uninstall(&mut self) {
        if self.diagnosis.is_some() {
            return;
        }
        if self.facts.state == ZoneState::Configured
            && self.fresh_operator_log().is_some()
            && let Some(d) = self.diagnose_newest_log()
            && !d.attached
            && !d.packages.is_empty()
        {
            self.diagnosis = Some(d);
            return;
        }
        self.last_log = None;
        let catalogs = self.facts.gz_catalogs.clone().unwrap_or_default();
        let blockers: Vec<String> =
            catalogs.obsolete.iter().filter(|p| !self.playbook.is_core(p)).cloned().collect();
        if !blockers.is_empty() {
            let mut d = Diagnosis { predicted: true, ..Default::default() };
            d.add_catalog_obsolete(blockers);
            self.diagnosis = Some(d);
        }
    }

    /// The last attach named as gone a package the GZ's catalogs know nothing of (no
    /// version, no obsolete record) or only by a rename record: pkg prints the same for a
    /// package the release dropped and one renamed longer ago than the repository keeps
    /// records of the zone's version. Stepping through an
    /// intermediate release maps a rename and keeps the package, so it comes before the
    /// uninstall (gentlest first); a true removal then fails the step's attach the same way
    /// and the uninstall follows.
    fn maybe_renamed(&self) -> bool {
        let Some(d) = &self.diagnosis else { return false };
        // Unknown to the GZ's catalogs, or known there only by a rename record.
        let may_be =
            |p: &String| self.facts.gz_catalogs.as_ref().is_some_and(|c| c.may_be_renamed(p));
        !d.predicted
            && d.keys.iter().any(|k| k == "package-removed")
            && (!self.tried.contains(&StrategyName::Incremental) || self.may_step_again())
            && d.packages.iter().any(|p| may_be(p) && !self.playbook.is_core(p))
    }

    /// `incremental` counts as untried again once the zone stands on a later build than the
    /// one it last stepped from, whichever way rungs are chosen (auto, the ladder, the single
    /// strategy): the way up may take several steps — OmniOS upgrades from one LTS release to
    /// the next only, and a rename may be recorded only by a later intermediate release than
    /// the first step reached. Each step moves the zone up, so this ends.
    /// (The ladder and the single strategy judge nothing else by the facts, but this is the
    /// strategy's own way: another step only when an intermediate build is left to step to.
    /// auto's planner asks that of every rung anyway.)
    fn may_step_again(&self) -> bool {
        self.journal.step_from.zip(self.facts.zone_build()).is_some_and(|(from, now)| now > from)
            && (self.choice == StrategyChoice::Auto
                || strategies::make(StrategyName::Incremental).worth_trying(&self.input()).is_ok())
    }

    /// The GZ's first publisher, when the last attach could not reach it.
    fn unreachable_primary(&self) -> Option<String> {
        let d = self.diagnosis.as_ref().filter(|d| !d.predicted)?;
        self.facts.unreachable_primary(d).map(str::to_string)
    }

    /// Rungs until attached or nothing useful is left.
    fn climb(&mut self) -> anyhow::Result<(RunResult, String)> {
        loop {
            if self.exec.interrupt.is_set() {
                return Ok((
                    RunResult::Interrupted,
                    format!("stopped by {}", self.exec.interrupt.signal_name()),
                ));
            }
            // Another zoneadm (a boot, a detach by hand) held the zone's lock: that says
            // nothing about the image, so the attach is repeated once it is free rather than
            // a rung applied for it.
            if self.diagnosis.as_ref().is_some_and(|d| d.keys.iter().any(|k| k == "zone-busy"))
                && self.busy_retries < crate::engine::exec::PKG_LOCK_RETRIES
            {
                let why = "another zoneadm held the zone's lock during the attach";
                let of = crate::engine::exec::PKG_LOCK_RETRIES;
                if !self.exec.wait_before_retry(why, self.busy_retries, of) {
                    continue;
                }
                self.busy_retries += 1;
                if let Some(end) = self.reattach(&format!("{why}: attach again"))? {
                    return Ok(end);
                }
                continue;
            }
            // An attach that failed on a cause outside the image that may pass (a repository
            // this run saw answer, pkg crashing) is repeated after a short wait; if it stays,
            // the run stops on it: no rung is applied for it, nothing is rolled back.
            if let Some(f) = self.attach_environment() {
                let of = environment::RETRIES;
                if self.env_retries < of {
                    let why = format!("{}; attach again", f.describe());
                    if !self.exec.wait_before_retry(&why, self.env_retries, of) {
                        continue;
                    }
                    self.env_retries += 1;
                    if let Some(end) = self.reattach(&why)? {
                        return Ok(end);
                    }
                    continue;
                }
                let m = format!(
                    "stopped: attach -u failed {} times on a cause outside the zone's package \
                     image, so no rung is tried for it: {}",
                    of + 1,
                    f.describe()
                );
                self.stop_at_attach(f);
                return Ok((RunResult::Failed, m));
            }
            // auto: a failure before the package step (datasets, ZBEs) is out of every
            // rung's reach; climbing on would end at image-create for nothing.
            if self.choice == StrategyChoice::Auto
                && let Some(key) = self.diagnosis.as_ref().and_then(Diagnosis::outside_the_image)
            {
                let m = format!(
                    "{}; no strategy gets past {key}: it lies outside the zone's package image",
                    self.failure_message()
                );
                if let Some(f) = self
                    .diagnosis
                    .as_ref()
                    .and_then(|d| environment::of_diagnosis(d, &self.attach_command()))
                {
                    self.stop_at_attach(f);
                }
                return Ok((RunResult::Failed, m));
            }
            if self.choice == StrategyChoice::Auto
                && let Some(primary) = self.unreachable_primary()
            {
                let m = format!(
                    "{}; no strategy gets past it: the global zone's first publisher {primary} \
                     cannot be reached, and every rung needs it",
                    self.failure_message()
                );
                return Ok((RunResult::Failed, m));
            }
            // auto: a global-zone publisher preflight's own refresh found dead fails every
            // attach, whatever else is predicted, and the operator skipped gz-publishers, the
            // one rung that keeps it out of the way: nothing else is tried (ops uu F1, regress
            // vv F3: the plain attach detached the zone and failed as foreseen).
            if self.choice == StrategyChoice::Auto
                && self.attempts == 0
                && self.skipped.contains(&StrategyName::GzPublishers)
                && let Some(d) = self
                    .diagnosis
                    .as_ref()
                    .filter(|d| d.predicted && d.because_of(Diagnosis::GZ_UNREACHABLE))
            {
                let m = format!(
                    "attach -u would fail: {}, as preflight's refresh found; no strategy gets \
                     past a failure in the global zone's own publishers but gz-publishers, which \
                     keeps them out of the attach's way, and the operator skipped it; fix them in \
                     the global zone (enable, re-point or unset the publisher named above), or \
                     start a new run and let gz-publishers apply",
                    d.reasons.join("; ")
                );
                let result =
                    if self.applied.is_empty() { RunResult::Refused } else { RunResult::Failed };
                return Ok((result, m));
            }
            // auto: a prediction whose remedies the operator all skipped no longer stands in
            // for the plain attach: it goes next and tells what really fails.
            if self.choice == StrategyChoice::Auto
                && self.attempts == 0
                && !self.skipped.contains(&StrategyName::Attach)
                && self.diagnosis.as_ref().is_some_and(|d| {
                    d.predicted
                        && !d.remedies.is_empty()
                        && d.remedies.iter().all(|r| self.skipped.contains(r))
                })
            {
                self.tried.retain(|s| *s != StrategyName::Attach);
            }
            // auto: the global zone's own publishers fail the attach, and gz-publishers, the
            // one rung that keeps them out of its way, was skipped by the operator or has run:
            // every other rung meets the same failure (image-create would re-create the image
            // for nothing).
            if self.choice == StrategyChoice::Auto
                && self.tried.contains(&StrategyName::GzPublishers)
                && self.diagnosis.as_ref().is_some_and(Diagnosis::only_gz_publishers)
            {
                let why = if self.skipped.contains(&StrategyName::GzPublishers) {
                    "the operator skipped it"
                } else {
                    "it did not get past them"
                };
                let m = format!(
                    "{}; no other strategy gets past a failure in the global zone's own \
                     publishers: only gz-publishers keeps them out of the attach's way, and {why}; \
                     fix them in the global zone (enable, re-point or unset the publisher named \
                     above), or start a new run and let gz-publishers apply",
                    self.failure_message()
                );
                return Ok((RunResult::Failed, m));
            }
            let mut remedies =
                self.diagnosis.as_ref().map(|d| d.remedies.clone()).unwrap_or_default();
            if self.choice == StrategyChoice::Auto
                && self.maybe_renamed()
                && !remedies.contains(&StrategyName::Incremental)
            {
                remedies.push(StrategyName::Incremental);
            }
            let next = {
                let worth = |s: StrategyName| self.worth(s).is_ok();
                planner::next(self.choice, &self.tried_for_planner(), &remedies, &worth)
            };
            let Some(s) = next else {
                return Ok((RunResult::Failed, self.failure_message()));
            };
            let s = self.uninstall_first(self.subsume(s));
            self.blockers_first(s);
            // auto: every harmless remedy of the same diagnosis goes into one attempt (remedies
            // accumulate anyway; each extra attach costs minutes of downtime). So does the
            // uninstall the catalogs predict: those packages block whatever else is fixed.
            let mut batch = vec![s];
            if self.choice == StrategyChoice::Auto && s.harm() == 0 {
                let predicted = self.diagnosis.as_ref().is_some_and(Diagnosis::from_catalogs);
                // A dead publisher in the zone image fails the attach whatever else is fixed.
                // Only before our first attach: later rungs re-point publishers (incremental)
                // and the attach copies the global zone's in, so the newest log speaks instead.
                let mut remedies = remedies;
                if self.attempts == 0 && strategies::zone_has_dead_publishers(&self.input()) {
                    remedies.push(StrategyName::ZonePublishers);
                }
                for r in remedies {
                    let r = self.subsume(r);
                    let worth = self.worth(r).is_ok();
                    let joins = r.harm() == 0 || (predicted && r == StrategyName::Uninstall);
                    if joins && worth && !batch.contains(&r) && !self.tried.contains(&r) {
                        batch.push(r);
                    }
                }
                // The publisher rungs before the uninstall (stable: the first stays first).
                batch.sort_by_key(|s| s.harm());
            }
            // auto: the step a blocked `incremental` could not take follows the uninstall of
            // its blockers in the same attempt, as the README promises ("removes that package,
            // then steps again"): an attach between them fails on what only the step maps,
            // whose package the next uninstall then removed (oracle pp F2).
            if self.choice == StrategyChoice::Auto
                && s == StrategyName::Uninstall
                && self.journal.blocked.iter().any(|b| {
                    b.strategy == StrategyName::Incremental
                        && self
                            .diagnosis
                            .as_ref()
                            .is_some_and(|d| b.packages.iter().all(|p| d.packages.contains(p)))
                })
                && !self.skipped.contains(&StrategyName::Incremental)
            {
                batch.push(StrategyName::Incremental);
            }
            // auto's image-create: a new image is refreshed from the global zone's publishers
            // too, so one preflight finds in the way is taken out of it in the same attempt
            // (else the destructive attach fails on it first). Stuck packages, which keep
            // gentle rungs out otherwise (`worth`), are what image-create is for. Only when
            // image-create may run: without consent and nobody to ask, gz-publishers alone would
            // detach the zone and change the GZ for an attach known to fail (oracle jj F1).
            let gz = StrategyName::GzPublishers;
            if self.choice == StrategyChoice::Auto
                && s == StrategyName::ImageCreate
                && self.may_destroy()
                && !self.tried.contains(&gz)
                && !self.skipped.contains(&gz)
                && self.gz_publishers_in_the_way().is_some()
                && strategies::make(gz).worth_trying(&self.input()).is_ok()
            {
                batch.insert(0, gz);
            }
            self.attach_first(&mut batch);
            let mut steps = Vec::new();
            // The blind ladder attaches after every rung it ran, as the field notes do; only
            // a destructive rung refused for want of consent is passed over without one.
            let mut attach_anyway = false;
            let mut did_nothing = false;
            let mut blockers_stay = false;
            let learnt_before = (self.journal.blocked.len(), self.stuck.len());
            for (i, s) in batch.into_iter().enumerate() {
                // Stopped during the rung before: no further rung and no question; what was
                // applied is journalled for `resume` (attach_after / the loop's check).
                if self.exec.interrupt.is_set() {
                    break;
                }
                if i > 0 && self.worth(s).is_err() {
                    continue;
                }
                // The step after the uninstall of its blockers: not when they are still there
                // (regress qq F5: the uninstall's check refused, and the step failed again).
                if i > 0 && s == StrategyName::Incremental && blockers_stay {
                    continue;
                }
                self.tried.push(s);
                let from = self.facts.zone_build();
                if s == StrategyName::Uninstall
                    && let Some(d) = &self.diagnosis
                {
                    self.uninstall_named.extend(d.packages.iter().cloned());
                }
                let step = self.apply_rung(s)?;
                // Once the step has ended: one cut short (a signal; `resume` undoes it to its
                // snapshot) is not a step, and the build it started from stays the last one
                // stepped from (else resume, back on that build, would step no more).
                let cut_short = matches!(step, RungStep::End((RunResult::Interrupted, _)));
                if s == StrategyName::Incremental && !cut_short {
                    self.journal.step_from = from;
                }
                match step {
                    RungStep::Applied { n, detail } => steps.push((s, n, detail)),
                    RungStep::NotApplied => {
                        attach_anyway = self.choice == StrategyChoice::Ladder;
                        did_nothing = true;
                        blockers_stay |= s == StrategyName::Uninstall;
                    }
                    RungStep::NotAllowed => {
                        self.attach_passed_over |= s == StrategyName::Attach;
                    }
                    RungStep::End(end) => {
                        if self.env_stop.is_some() {
                            // Applied, their attach still to come: the journal keeps them in
                            // flight, so `resume` includes them in its attach.
                            for (s, n, detail) in &steps {
                                self.emit(Event::StepEnd {
                                    step: *n,
                                    name: s.as_str().into(),
                                    outcome: StepOutcome::Done,
                                    detail: format!(
                                        "{detail}; not attached yet: the run stopped at a later \
                                         rung (resume attaches with it)"
                                    ),
                                });
                            }
                        }
                        return Ok(end);
                    }
                }
            }
            if steps.is_empty() && !attach_anyway {
                // A diagnosis preflight predicted without an attach whose remedy changed
                // nothing: the plain attach tells. Not when a rung found installed packages in
                // its way (their uninstall is next) or that cannot go (only image-create is
                // left), nor after the operator's own attach of this very image, which told
                // already (oracle jj F4: it was repeated, failing the same way).
                if self.choice == StrategyChoice::Auto
                    && did_nothing
                    && self.diagnosis.as_ref().is_some_and(|d| d.predicted)
                    && (self.journal.blocked.len(), self.stuck.len()) == learnt_before
                    && self.attempts == 0
                    && !self.applied.contains(&StrategyName::Attach)
                {
                    self.tried.retain(|s| *s != StrategyName::Attach);
                }
                continue;
            }
            if let Some(end) = self.attach_after(&steps)? {
                return Ok(end);
            }
        }
    }

    /// `incremental` instead of `zone-publishers` when it re-points the same publishers and a
    /// step may be needed anyway: the diagnosis calls for one, or the GZ's catalogs know
    /// nothing of some zone package (renamed where the target repository keeps no record,
    /// which only an intermediate release maps). Otherwise stepping the image is a solve and
    /// an install the fix does not need.
    fn subsume(&self, s: StrategyName) -> StrategyName {
        let unknown = self.facts.gz_catalogs.as_ref().is_some_and(|c| !c.unknown.is_empty());
        let step_called = unknown
            || self
                .diagnosis
                .as_ref()
                .is_some_and(|d| d.remedies.contains(&StrategyName::Incremental));
        if self.choice == StrategyChoice::Auto
            && s == StrategyName::ZonePublishers
            && step_called
            && !self.tried_for_planner().contains(&StrategyName::Incremental)
            && self.worth(StrategyName::Incremental).is_ok()
            && strategies::incremental_subsumes_zone_publishers(&self.input())
        {
            StrategyName::Incremental
        } else {
            s
        }
    }

    /// auto: `uninstall` before a step when the diagnosis proves installed packages
    /// unavailable at the GZ's release: every route to it must remove them, and a step first
    /// is often blocked by them anyway. Only those packages: a rename the step may map stays.
    fn uninstall_first(&mut self, s: StrategyName) -> StrategyName {
        if self.choice != StrategyChoice::Auto || s != StrategyName::Incremental {
            return s;
        }
        let Some(d) = &self.diagnosis else { return s };
        let certain: Vec<String> = d
            .unavailable
            .iter()
            .filter(|p| self.removable(p) && !self.uninstall_named.contains(p))
            .cloned()
            .collect();
        if certain.is_empty() || self.worth(StrategyName::Uninstall).is_err() {
            return s;
        }
        if let Some(d) = self.diagnosis.as_mut() {
            d.packages = certain;
        }
        StrategyName::Uninstall
    }

    /// Installed in the zone and not core: uninstall may remove it.
    fn removable(&self, p: &str) -> bool {
        self.facts.is_installed_in_zone(p) && !self.playbook.is_core(p)
    }

    /// auto: an `uninstall` while a rung still waits on installed packages it found in its way
    /// removes those (with any the diagnosis proves unavailable): they must go for that rung,
    /// while what the last attach named instead (a rename whose record the GZ's repository
    /// dropped, say) may be what the rung, once free, maps and keeps.
    fn blockers_first(&mut self, s: StrategyName) {
        if self.choice != StrategyChoice::Auto || s != StrategyName::Uninstall {
            return;
        }
        // Field borrows only: the diagnosis is changed below.
        let (facts, playbook) = (&self.facts, &self.playbook);
        let removable = |p: &&String| facts.is_installed_in_zone(p) && !playbook.is_core(p);
        let mut waiting: Vec<String> = Vec::new();
        for p in self.journal.blocked.iter().flat_map(|b| &b.packages).filter(removable) {
            if !waiting.contains(p) {
                waiting.push(p.clone());
            }
        }
        if waiting.is_empty() {
            return;
        }
        let d = self.diagnosis.get_or_insert_with(Diagnosis::default);
        for p in d.unavailable.iter().filter(removable) {
            if !waiting.contains(p) {
                waiting.push(p.clone());
            }
        }
        d.packages = waiting;
    }

    /// Continues a journalled run: completed steps are not repeated; a step that was in flight
    /// is checked against the real state (its own snapshot restored if it had one) and may
    /// run again; the diagnosis comes from the newest attach log.
    fn resume(&mut self) -> anyhow::Result<(RunResult, String)> {
        if self.journal.pre_snapshot.is_none() {
            // Killed before the pre-rescue snapshot was recorded: nothing was changed yet.
            self.journal.steps.clear();
            return self.go();
        }
        // Its snapshots are rolled back by the steps that follow: they must be this zone's
        // (a stale or edited journal must never roll back another zone's datasets).
        let pre = self.journal.pre_snapshot.as_deref().unwrap_or_default();
        let ours = self.facts.zonepath_dataset.as_deref().map(|z| format!("{z}/"));
        if !ours.as_deref().is_some_and(|z| pre.starts_with(z)) {
            return Ok((
                RunResult::Refused,
                format!(
                    "the journal's pre-rescue snapshot {pre} is not a dataset of zone {} (its \
                     zonepath is {}): the journal does not describe this zone as it is now; \
                     nothing was changed",
                    self.facts.zone,
                    self.facts.zonepath_dataset.as_deref().unwrap_or("on no ZFS dataset")
                ),
            ));
        }
        self.pre = self.journal.pre_snapshot.clone();
        // Killed during an attach that cloned (and promoted) the ZBE: the journal still names
        // the ZBE it started from, and its snapshots there (worlds round z F1). Follow the
        // clone as the run would have.
        if let Some(journalled) = self.journal.active_zbe.clone()
            && self.facts.active_zbe.as_ref() != Some(&journalled)
        {
            self.facts.active_zbe = Some(journalled);
            self.follow_cloned_zbe()?;
        }
        self.attempts = self.journal.attempts;
        self.applied = self.journal.strategies_applied.clone();
        self.stuck = self.journal.stuck.clone();
        self.skipped = self.journal.skipped_by_operator.clone();
        self.tried.extend(self.skipped.iter().copied());
        self.simplify_gz = self.applied.contains(&StrategyName::GzPublishers);
        if let Some(pre) = &self.pre {
            self.snapshots.push(pre.clone());
        }
        let steps = self.journal.steps.clone();
        let mut pending_attach = false;
        let mut undone = false;
        // Its rungs ran on the detached zone: installed now, it was attached since (by the
        // run's own attach finishing after the kill, or by hand). The ZBE of an attached zone
        // is never rolled back: that would undo the attach's update, or the operator's fix.
        let attached_since = self.facts.state == ZoneState::Installed
            && steps.iter().any(|st| st.name.parse::<StrategyName>().is_ok());
        for st in &steps {
            let name: Option<StrategyName> = st.name.parse().ok();
            // A rung that applied and then met no attach (the run was interrupted before it,
            // or stopped at a later rung): the next attempt includes it, as for one killed
            // before its attach. A failed attach ends its rungs `attach-failed` (a re-attach
            // step too); a successful one ends the run.
            if st.outcome == Some(StepOutcome::AttachFailed) || st.name == "re-attach" {
                pending_attach = false;
            }
            if st.outcome == Some(StepOutcome::Done)
                && name.is_some_and(|s| s != StrategyName::Attach)
            {
                pending_attach = true;
            }
            if st.state == super::journal::StepState::Started {
                let completed = self.journal.applied_unended(st);
                // A plain attach changes nothing before its attach -u: cut short, it is simply
                // attempted again (and counted once).
                let plain_attach = name == Some(StrategyName::Attach);
                if completed && plain_attach {
                    if let Some(i) = self.applied.iter().rposition(|a| *a == StrategyName::Attach) {
                        self.applied.remove(i);
                    }
                    self.journal.strategies_applied = self.applied.clone();
                }
                // Its snapshot stays either way (undone to it, or not undone at all): kept.
                let kept = match &st.snapshot {
                    Some(snap) => snapshot::exists(&self.exec, snap)?,
                    None => false,
                };
                if let Some(snap) =
                    st.snapshot.as_ref().filter(|s| kept && !self.snapshots.contains(s))
                {
                    self.snapshots.push(snap.clone());
                }
                if (!completed || plain_attach) && attached_since {
                    self.journal.end_step(st.n, StepOutcome::Failed, NOT_UNDONE_ATTACHED);
                    continue;
                }
                if !completed || plain_attach {
                    // Its apply was cut short: undo what it may have half done; it may run again.
                    if let Some(snap) = st.snapshot.as_ref().filter(|_| kept) {
                        self.undo_rung(st.n, Some(snap))?;
                        undone = true;
                    }
                    self.journal.end_step(st.n, StepOutcome::Failed, CUT_SHORT);
                    continue;
                }
                // Applied, its attach still to come: the next attempt includes it.
                pending_attach = true;
                self.journal.end_step(
                    st.n,
                    StepOutcome::AttachFailed,
                    "interrupted before its attach finished",
                );
            }
            // A rung skipped (a destructive one without consent, one declined) was not tried:
            // `resume --allow-destructive` must be able to offer it. (One the operator
            // skipped is in `tried` already: never asked again.)
            // Nor one cut short by a signal or a kill, which an earlier resume undid: it is
            // run again, as that resume would have (a signal during that resume's undo).
            if let Some(s) = name
                && ran_to_its_end(st)
                && !self.tried.contains(&s)
            {
                self.tried.push(s);
            }
            if let Some(snap) = &st.snapshot
                && st.outcome != Some(StepOutcome::RolledBack)
                && !self.snapshots.contains(snap)
            {
                self.snapshots.push(snap.clone());
            }
        }
        self.save()?;
        if undone {
            // Preflight saw the image as the killed command left it (an orphaned uninstall or
            // unset-publisher may have finished first), not as it is restored: its package
            // list, reachability tests and catalog reading no longer describe it.
            let runner = self.exec.runner.clone();
            self.facts.refresh_zone(&runner);
            // The configuration as restored, enabled as the zone had them when the rescue began
            // (the run's attaches may have disabled them since).
            let enabled = &self.journal.zone_publishers_enabled_at_start;
            self.facts.zone_publishers_at_start = self.facts.zone_publishers.clone();
            for p in self.facts.zone_publishers_at_start.iter_mut() {
                p.enabled |= enabled.contains(&p.name);
            }
            self.facts.reread_catalogs(&runner);
            // Its zone publishers tested again, as preflight tests them (guided kk F2: a step
            // cut short had re-pointed a dead one; undone, the plan must know it is dead).
            self.facts.zone_unreachable = self.facts.gz_unreachable.as_ref().and_then(|_| {
                preflight::zone_only_unreachable(
                    &runner,
                    &self.facts.gz_publishers,
                    &self.facts.zone_pkg(),
                    &self.facts.zone_publishers,
                )
            });
        }
        self.diagnosis = self.diagnose_newest_log();
        // A blocked rung's packages were named by its dry run, not by any attach log.
        let blockers: Vec<String> = self
            .journal
            .blocked
            .iter()
            .filter(|b| b.packages.iter().any(|p| self.facts.is_installed_in_zone(p)))
            .flat_map(|b| b.packages.iter().cloned())
            .collect();
        if !blockers.is_empty() {
            self.diagnose_blockers(blockers);
        }
        // The zone may have attached before the run died: an attempt journalled, or killed
        // inside its attach -u, which finished on its own and logged success (the journal
        // never heard of it; attaching again would detach a zone that is fine).
        let orphan_attached =
            self.diagnosis.as_ref().is_some_and(|d| d.attached) && self.last_log_is_this_runs();
        // Attached by hand since the run stopped, and in step with the global zone (its ZBE
        // the running GZ BE's too: an `attach -F` does not re-parent it, round u F3): what the
        // run was for is done (round q F1: resume rolled the fix back).
        let fixed_by_hand = attached_since && self.facts.in_step();
        if self.facts.state == ZoneState::Installed
            && (self.attempts > 0 || orphan_attached || fixed_by_hand)
        {
            let enable = std::mem::take(&mut self.journal.reenable_in_zone);
            if !enable.is_empty() {
                self.reenable_copied_in_zone((enable, Vec::new()));
                self.save()?;
            }
            let message = if !fixed_by_hand || self.attempts > 0 {
                format!("zone {} is attached (installed)", self.facts.zone)
            } else {
                format!(
                    "zone {} has been attached since the run stopped (installed, its entire in \
                     step with the global zone's): nothing is left to resume, and nothing was \
                     undone",
                    self.facts.zone
                )
            };
            return Ok((RunResult::Attached, message));
        }
        // The run stopped because its attach failed on a cause outside the image, with
        // nothing rolled back: the administrator has fixed it (or it passed), and the attach
        // is what comes next, before any further rung.
        if !pending_attach && let Some(until) = self.journal.stopped_outside.take() {
            let mut f = Finding::info(
                "attach.previous-failure",
                "the last run stopped on a failed attach -u whose cause lies outside the zone's \
                 package image: attach again",
            );
            f.detail = format!("it said to go on {until}");
            self.emit(Event::Finding(f));
            self.diagnosis = None;
            let end = self
                .reattach("the last attach -u failed on a cause outside the image: attach again")?;
            if let Some(end) = end {
                return Ok(end);
            }
            if !self.tried.contains(&StrategyName::Attach) {
                self.tried.push(StrategyName::Attach);
            }
            return self.climb();
        }
        // The run ended (or was killed) on a cause outside the image: a full pool, a ZBE
        // problem. That is what the administrator fixes before resuming; only a new attach
        // tells whether it is gone, as for an operator's own failed attach.
        if !pending_attach
            && self.choice == StrategyChoice::Auto
            && let Some(d) = self.diagnosis.take_if(|d| d.outside_the_image().is_some())
        {
            let key = d.outside_the_image().unwrap_or_default();
            let f = outside_image_finding(key, None, self.last_log.as_deref());
            self.emit(Event::Finding(f));
            if self.tried.contains(&StrategyName::Attach) {
                if let Some(end) = self.reattach("the last attach -u failed outside the image")? {
                    return Ok(end);
                }
                return self.climb();
            }
        }
        // The killed run's reason to skip the plain attach is not journalled: a prediction
        // from preflight, or an earlier rung's attach that already failed. Resume must not
        // attach just to find out again (an extra attempt of minutes; on OmniOS a failed
        // attach -u also leaves a dead GZ publisher copied into the zone image).
        if pending_attach {
            // A rung applied before the kill still needs its attach (with the GZ publishers
            // simplified if gz-publishers was applied). Auto first applies what is left of a
            // predicted batch, whose attach is then that attempt; else the attempt is a step
            // of its own that applies nothing (`re-attach`, never reported as a plain attach
            // rung), and its log leads on.
            let batch = self.choice == StrategyChoice::Auto
                && !self.applied.contains(&StrategyName::Attach)
                && self.continue_predicted_batch();
            if !batch {
                let why = "the rung applied before the interruption still needs its attach -u";
                if let Some(end) = self.reattach(why)? {
                    return Ok(end);
                }
                // Auto: attached as the image now is, the plain attach has nothing to add.
                if self.choice == StrategyChoice::Auto
                    && !self.tried.contains(&StrategyName::Attach)
                {
                    self.tried.push(StrategyName::Attach);
                }
            }
        } else if self.choice == StrategyChoice::Auto && !self.tried.contains(&StrategyName::Attach)
        {
            let failed_before = self.attempts > 0
                && self.diagnosis.as_ref().is_some_and(|d| !d.attached && !d.reasons.is_empty());
            if failed_before {
                self.tried.push(StrategyName::Attach);
            } else if !self.last_log_is_this_runs() {
                // No attach of the killed run's has failed: the newest log, if any, is older
                // than the run (an earlier rescue's success since rolled back, or the
                // administrator's failure the run started from). Start as the run did.
                self.diagnosis = None;
                self.last_log = None;
                self.plan_first_attempt();
            }
        }
        self.climb()
    }

    /// The killed run may have been applying a batch of predicted remedies (publishers and
    /// the catalogs' uninstall before one attach): predict again, so that what the batch had
    /// left goes before the pending attempt. When nothing predicted is left to apply, the
    /// plain attach is that attempt, as before.
    /// Whether it did (else the pending attempt is a re-attach of its own).
    fn continue_predicted_batch(&mut self) -> bool {
        let Some(d) = prediction::predict(&self.facts, &self.playbook) else { return false };
        if d.from_catalogs() && d.remedies.iter().any(|r| !self.tried.contains(r)) {
            self.tried.retain(|s| *s != StrategyName::Attach);
            let mut f = Finding::info(
                "attach.predicted-failure",
                format!("the pending attach -u would fail: {}", d.reasons.join("; ")),
            );
            f.detail = "the rest of the earlier run's remedies go before it".into();
            self.start_from(d, f);
            return true;
        }
        false
    }

    /// One `attach -u` on resume, journalled as step `re-attach` (not a strategy: nothing is
    /// applied, nothing is counted as tried): the one a rung applied before an interruption
    /// never got, or one after a failure outside the image was fixed.
    fn reattach(&mut self, why: &str) -> anyhow::Result<Option<(RunResult, String)>> {
        let n = self.open_step(
            "re-attach",
            None,
            why.into(),
            vec![format!("zoneadm -z {} attach -u", self.facts.zone)],
        )?;
        let end = self.attach_after(&[])?;
        let (outcome, detail) = match &end {
            Some((RunResult::Attached, _)) => {
                // With no rung applied before it, this plain attach -u is what fixed the zone.
                if self.applied.is_empty() {
                    self.applied.push(StrategyName::Attach);
                }
                (StepOutcome::Done, "zone attached".to_string())
            }
            Some((_, why)) => (StepOutcome::Failed, why.clone()),
            None => (
                StepOutcome::AttachFailed,
                self.diagnosis.as_ref().map(|d| d.reasons.join("; ")).unwrap_or_default(),
            ),
        };
        self.journal.end_step(n, outcome, &detail);
        self.emit(Event::StepEnd { step: n, name: "re-attach".into(), outcome, detail });
        self.save()?;
        Ok(end)
    }

    /// Whether the attach log last diagnosed was written after this run began (not an
    /// operator's attempt from before it).
    fn last_log_is_this_runs(&self) -> bool {
        let modified = self
            .last_log
            .as_ref()
            .and_then(|p| std::fs::symlink_metadata(p).ok())
            .and_then(|m| m.modified().ok())
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok());
        modified.is_some_and(|t| t.as_secs() >= self.journal.started)
    }

    /// The diagnosis of the newest attach log of this zone (resume: the attempt before the
    /// interruption).
    fn diagnose_newest_log(&mut self) -> Option<Diagnosis> {
        let path = attempt::newest_attach_log(self.exec.runner.paths(), self.facts.zone.as_str())?;
        let file = attempt::open_log(&path)?;
        let ctx = self.analysis_context();
        let report = crate::analysis::analyze_reader(&self.rules, ctx, file).ok()?;
        self.last_log = Some(path);
        Some(Diagnosis::from_report(&report))
    }

    fn analysis_context(&self) -> AnalysisContext {
        analysis_context(&self.facts)
    }

    /// What the planner counts as tried. auto: `uninstall` again when the last attempt names
    /// installed, non-core blocking packages no earlier uninstall was run for — pkg reports one
    /// failing solver step at a time (an unmappable rename first, a removed package next), so
    /// the second blocker only shows after the first is gone. Whatever remedy the diagnosis
    /// prefers for it (incremental for a rename) is tried first; uninstall stays the gentler
    /// fallback before image-update and image-create. The named set only grows, so this
    /// cannot loop. Likewise a rung stopped by installed packages in its way (incremental:
    /// the intermediate `entire` excludes them) counts as untried once they are gone; it
    /// leaves `blocked` (journalled, so resume knows it too) once it has run again.
    fn tried_for_planner(&self) -> Vec<StrategyName> {
        let mut tried = self.tried.clone();
        if self.choice == StrategyChoice::Auto
            && let Some(d) = &self.diagnosis
            && d.packages.iter().any(|p| self.removable(p) && !self.uninstall_named.contains(p))
        {
            tried.retain(|s| *s != StrategyName::Uninstall);
        }
        if self.may_step_again() {
            tried.retain(|s| *s != StrategyName::Incremental);
        }
        // The ladder's uninstall kept a package whose rename a step might map, or the step
        // found installed packages in its way; the step has been tried and the attach still
        // fails: uninstall once more, before image-update.
        let uninstalls = self.tried.iter().filter(|s| **s == StrategyName::Uninstall).count();
        if self.choice == StrategyChoice::Ladder
            && uninstalls == 1
            && tried.contains(&StrategyName::Incremental)
            && (!strategies::Uninstall::waiting_for_step(&self.input()).is_empty()
                || super::journal::blockers_of(&self.journal.blocked, StrategyName::Incremental)
                    .any(|p| self.facts.is_installed_in_zone(p)))
        {
            tried.retain(|s| *s != StrategyName::Uninstall);
        }
        // A rung blocked by packages since removed is worth another try (the ladder's too:
        // its step, once its blockers are gone, maps what the attach calls removed).
        if matches!(self.choice, StrategyChoice::Auto | StrategyChoice::Ladder) {
            for b in &self.journal.blocked {
                if b.packages.iter().all(|p| !self.facts.is_installed_in_zone(p)) {
                    tried.retain(|t| *t != b.strategy);
                }
            }
        }
        // Whatever would make it worth another try: the operator said no to it.
        tried.extend(self.skipped.iter().copied());
        tried
    }

    /// Whether `s` is worth trying now: the strategy's own answer, and for auto, no gentle
    /// rung once a package is stuck: each would keep it installed, and the attach would fail
    /// on it again.
    fn worth(&self, s: StrategyName) -> Result<String, String> {
        if self.skipped.contains(&s) {
            return Err(SKIPPED_BY_OPERATOR.into());
        }
        if self.choice == StrategyChoice::Auto
            && !s.is_destructive()
            && let Some(stuck) = self.stuck_note()
        {
            return Err(format!("{stuck}: only re-creating the image gets past"));
        }
        strategies::make(s).worth_trying(&self.input())
    }

    /// Why no gentle rung helps, when packages are stuck (one wording for the rung reasons,
    /// `worth` and the final message).
    fn stuck_note(&self) -> Option<String> {
        if self.diagnosis.as_ref().is_some_and(Diagnosis::zone_newer_than_gz) {
            let mut note = String::from(
                "the zone is of a later release than the global zone and pkg never \
                 downgrades: update the global zone to its release (or boot the global-zone BE \
                 it came from), or re-create its image",
            );
            if let Some(snap) = self.way_back_to_this_release() {
                note.push_str(&format!(
                    "; or return the zone to {snap}, an earlier rescue's pre-rescue snapshot, \
                     whose image is of the release the global zone runs now: zonerescue \
                     rollback {} --to {snap}",
                    self.facts.zone
                ));
            }
            return Some(note);
        }
        let stuck = self.stuck_packages();
        (!stuck.is_empty()).then(|| {
            format!(
                "{} cannot stay (the global zone's release has no version of it) and cannot be \
                 removed",
                stuck.join(", ")
            )
        })
    }

    /// Whether `zonerescue rollback --to SNAP` can return the zone to `snap`: a snapshot of the
    /// ZBE it runs from with no clone depending on a later one (which `zfs rollback -r`
    /// refuses to pass, and rollback refuses before detaching).
    fn rollback_reaches(&self, snap: &str) -> bool {
        let Some(zbe) = self.facts.active_zbe.as_deref() else { return false };
        super::snapshots::rollback_reaches(&self.exec.runner, zbe, snap)
    }

    /// No journal of an earlier run could be read (kept aside unreadable, or the state
    /// directory was lost), yet the ZBE holds an earlier run's pre-rescue snapshot: whether
    /// that run changed the zone is unknown, so its snapshot is taken for the zone before any
    /// rescue — said, named in the summary, kept by `snapshots --prune`.
    fn keep_unrecorded_earlier_pre(&mut self) {
        if self.previous.is_some() || self.resuming || self.journal.earlier_pre.is_some() {
            return;
        }
        let Some(zbe) = self.facts.active_zbe.clone() else { return };
        let Ok(all) = super::snapshots::of_zbe(&self.exec.runner, &zbe) else { return };
        let run_id = self.journal.run_id.clone();
        let Some(oldest) = all.into_iter().find(|s| {
            s.step.as_deref() == Some("pre") && s.run.as_deref().is_some_and(|r| r != run_id)
        }) else {
            return;
        };
        self.emit(Event::Finding(
            Finding::warn(
                "zone.earlier-run-unrecorded",
                Severity::Medium,
                format!(
                    "an earlier zonerescue run ({}) left the pre-rescue snapshot {}, and no \
                     journal of it could be read: it may have changed the zone, so that snapshot \
                     is kept as the zone before any rescue",
                    oldest.run.as_deref().unwrap_or("-"),
                    oldest.name
                ),
            )
            .remediation(format!(
                "zonerescue rollback {} --to {} returns to it; snapshots --prune keeps it",
                self.facts.zone, oldest.name
            )),
        ));
        self.journal.earlier_pre = Some(oldest.name);
    }

    /// An earlier rescue's pre-rescue snapshot whose image is of the release the global zone
    /// runs now (its `com.zonerescue:zone-entire` tag): the way back for a zone left newer
    /// than a global zone booted back into the BE it was upgraded from.
    fn way_back_to_this_release(&self) -> Option<String> {
        let now = self.facts.gz_entire_text();
        let zbe = self.facts.active_zbe.as_deref()?;
        let prev = self.previous.as_ref();
        [prev.and_then(|p| p.pre_snapshot.clone()), self.journal.earlier_pre.clone()]
            .into_iter()
            .flatten()
            .filter(|s| s.starts_with(&format!("{zbe}@")))
            .find(|s| snapshot::zone_entire_of(&self.exec.runner, s).as_deref() == Some(&now))
    }

    /// Installed packages proven unavailable at the GZ's release that cannot be removed:
    /// uninstall's dry run found core packages depending on them, or they are core
    /// themselves (never uninstalled).
    fn stuck_packages(&self) -> Vec<String> {
        let mut stuck = self.stuck.clone();
        if let Some(d) = &self.diagnosis {
            for p in &d.unavailable {
                if self.facts.is_installed_in_zone(p)
                    && self.playbook.is_core(p)
                    && !stuck.contains(p)
                {
                    stuck.push(p.clone());
                }
            }
        }
        stuck
    }

    fn input(&self) -> Input<'_> {
        Input {
            facts: &self.facts,
            // The ladder is blind: it does not read the diagnosis.
            diagnosis: if self.choice == StrategyChoice::Ladder {
                None
            } else {
                self.diagnosis.as_ref()
            },
            playbook: &self.playbook,
            guided: self.choice == StrategyChoice::Auto,
            attach_failed: self.diagnosis.as_ref().is_some_and(|d| !d.predicted && !d.attached),
            last_failure: self.diagnosis.as_ref(),
            rename_step_ahead: self.choice == StrategyChoice::Ladder
                && !self.tried.contains(&StrategyName::Incremental),
            blocked: &self.journal.blocked,
        }
    }

    fn dry_run_plan(&mut self) -> (RunResult, String) {
        // The planner's own order, every rung counted worth trying: auto as it would start
        // (a diagnosis known without attaching first, least harmful first; the plain attach
        // only when nothing is known yet), the ladder in its order, a single strategy alone.
        let remedies = self.diagnosis.as_ref().map(|d| d.remedies.clone()).unwrap_or_default();
        let mut order: Vec<StrategyName> = Vec::new();
        let mut planned = self.tried.clone();
        while let Some(s) = planner::next(self.choice, &planned, &remedies, &|_| true) {
            planned.push(s);
            order.push(s);
        }
        // A zone newer than the global zone: auto considers image-create alone (no attach
        // can take it back), so the plan shows no other rung.
        if self.choice == StrategyChoice::Auto
            && self.diagnosis.as_ref().is_some_and(Diagnosis::zone_newer_than_gz)
        {
            order.retain(|s| *s == StrategyName::ImageCreate);
        }
        // As the real run does (`attach_first`): a plain attach mounts the image first, or
        // names what a single uninstall is for.
        let mut attach_first_why = match order.first() {
            Some(&first) if first.changes_image() && self.needs_a_mounting_attach(&order[..1]) => {
                Some(Self::mounting_reason(&[first]))
            }
            Some(_) => self.blockers_unnamed(&order[..1]),
            None => None,
        };
        // The uninstall that waits for the attach to name its packages removes those it names
        // (regress ww F3: the plan called it "not applicable now").
        let named_once_attached = match &attach_first_why {
            Some(_) if order.first() == Some(&StrategyName::Uninstall) => {
                strategies::Uninstall::named_once_attached(&self.input())
            }
            _ => Vec::new(),
        };
        if attach_first_why.is_some() {
            order.insert(0, StrategyName::Attach);
        }
        let attach_first = order.first() == Some(&StrategyName::Attach);
        let mut after_an_attach: Option<Facts> = None;
        for s in order {
            let st = strategies::make(s);
            let n = self.journal.begin_step(s.as_str(), None);
            // An image the detach has yet to mount is judged once it has, as the real run
            // does (regress tt F5: the dry run said "not applicable" of a rung the run applied).
            let out_of_reach = self.image_out_of_reach(s).filter(|_| !attach_first);
            let judged = if let Some(why) = out_of_reach {
                Err(why)
            } else if let Some(why) = attach_first_why.take().filter(|_| s == StrategyName::Attach)
            {
                Ok(why)
            } else if self.judged_once_read(s) {
                Ok(JUDGED_ONCE_READ.to_string())
            } else if s == StrategyName::Uninstall && !named_once_attached.is_empty() {
                Ok(format!(
                    "removes what the attach names of {}, should it fail on them",
                    named_once_attached.join(", ")
                ))
            } else {
                st.worth_trying(&self.input())
            };
            let (reason, outcome) = match judged {
                Ok(r) => (r, "dry run: not applied".to_string()),
                // The blind ladder runs it all the same (and attaches after it).
                Err(why) if self.choice == StrategyChoice::Ladder => {
                    (why, "dry run: not applied (the ladder runs it even so)".to_string())
                }
                Err(why) => (why, "not applicable now".to_string()),
            };
            // Every planned rung ends with an attach, which on Solaris 11 puts the zone on the
            // system repository: later rungs' commands are those for the zone as it leaves it.
            let mut commands = match &after_an_attach {
                Some(facts) => st.commands(&Input { facts, ..self.input() }),
                None => st.commands(&self.input()),
            };
            // A rung that changes the image takes its own snapshot and detaches an installed
            // zone first, as the real run does (cm vv F3: the plan left out both).
            if s.changes_image() {
                // In the real run's order: the detach (none after an attach this plan made
                // first, which failing leaves the zone configured), then the snapshot.
                let mut before = Vec::new();
                if self.facts.state == ZoneState::Installed && after_an_attach.is_none() {
                    before.push(format!("zoneadm -z {} detach   (if installed)", self.facts.zone));
                }
                if let Ok(zbe) = self.zbe() {
                    // A solaris-brand ZBE of another GZ BE is cloned by the attach, and the
                    // rung snapshots the clone (regress ww F4: the plan named the original).
                    let shown = after_an_attach
                        .as_ref()
                        .and_then(|_| self.clone_the_attach_makes(&zbe))
                        .unwrap_or_else(|| zbe.clone());
                    let run = &self.journal.run_id;
                    let name = snapshot::rung_name(&zbe, run, n, s);
                    let gz = self.facts.gz_entire_text();
                    if let Ok(spec) =
                        snapshot::create_spec(&name, run, &format!("{n:02}-{s}"), &gz, None)
                    {
                        let line = spec.display().replace(&format!("{zbe}@"), &format!("{shown}@"));
                        before.push(format!("{line}   (this rung's own, to undo it)"));
                    }
                }
                commands.splice(0..0, before);
            }
            // Every rung ends with the attach; the attach rung already lists it.
            let attach = format!("zoneadm -z {} attach -u", self.facts.zone);
            if commands.last() != Some(&attach) {
                commands.push(attach);
            }
            let (name, evidence) = (s.as_str().into(), vec![]);
            self.emit(Event::StepStart { step: n, name, reason, commands, evidence });
            self.journal.end_step(n, StepOutcome::Skipped, &outcome);
            self.emit(Event::StepEnd {
                step: n,
                name: s.as_str().into(),
                outcome: StepOutcome::Skipped,
                detail: outcome,
            });
            after_an_attach.get_or_insert_with(|| self.facts.as_a_solaris_attach_leaves_them());
        }
        let _ = self.save();
        // The plan is an upper bound: say how the real run differs from it.
        let how = match self.choice {
            StrategyChoice::Auto => {
                "auto picks each next rung from the diagnosis of the previous attach, so this is \
                 every rung it may use, not what it will use: the real run stops at the first \
                 attach that succeeds, and rungs known before an attach share one attach"
            }
            StrategyChoice::Ladder => {
                "the rungs in the order they would run; the real run stops at the first attach \
                 that succeeds"
            }
            StrategyChoice::Only(_) => "the rung and the commands it would run",
        };
        (RunResult::Planned, format!("dry run: nothing was changed; {how}"))
    }

    /// Journals a step as begun (saved before anything runs) and tells the reporter.
    fn open_step(
        &mut self,
        name: &str,
        snapshot: Option<String>,
        reason: String,
        commands: Vec<String>,
    ) -> anyhow::Result<u32> {
        let n = self.journal.begin_step(name, snapshot);
        self.exec.step = n;
        self.save()?;
        // The diagnosis quoted in the reason (Diagnosis::reason_for), for the screen to name.
        let evidence = match &self.diagnosis {
            Some(d) if !d.reasons.is_empty() && reason.contains(&d.reasons.join("; ")) => {
                d.reasons.clone()
            }
            _ => Vec::new(),
        };
        self.emit(Event::StepStart { step: n, name: name.into(), reason, commands, evidence });
        Ok(n)
    }

    /// One rung up to (not including) its attach: proposal, consent, snapshot, apply.
    fn apply_rung(&mut self, s: StrategyName) -> anyhow::Result<RungStep> {
        let mut st = strategies::make(s);
        let reason = {
            let input = self.input();
            let diag_reason = self.diagnosis.as_ref().map(|d| d.reason_for(s)).unwrap_or_default();
            let mut own = if let Some(why) =
                self.attach_first_why.clone().filter(|_| s == StrategyName::Attach)
            {
                why
            } else if self.judged_once_read(s) {
                // Its worth is known once the image is read (oracle ss F1).
                JUDGED_ONCE_READ.to_string()
            } else {
                st.worth_trying(&input).unwrap_or_else(|w| w)
            };
            if s.is_destructive()
                && let Some(stuck) = self.stuck_note()
            {
                own.push_str(&format!("; {stuck}"));
            }
            if diag_reason.is_empty() { own } else { format!("{own}; {diag_reason}") }
        };
        let commands = st.commands(&self.input());
        let n = self.open_step(s.as_str(), None, reason.clone(), commands.clone())?;
        if !self.wants_consent(s)
            && let Some(why) = self.image_out_of_reach(s)
        {
            // A single strategy the image preflight read shows cannot apply says that instead.
            let why = match (self.choice, self.facts.zone_image_deferred) {
                (StrategyChoice::Only(_), false) => st.worth_trying(&self.input()).err(),
                _ => None,
            }
            .unwrap_or(why);
            return self.not_applied(n, s, None, StepOutcome::Skipped, why);
        }
        // A zone newer than the global zone: pkg never downgrades, so no gentle rung gets past
        // it, whichever choice climbs. Without image-create to follow (no consent, nobody to
        // ask), the blind ladder and a single gentle strategy pass it over too, rather than
        // detach the zone and change the GZ's publishers for attaches known to fail, as auto
        // does (regress kk F3).
        if !s.is_destructive() && self.wants_consent(s) {
            let stuck = self.stuck_note().unwrap_or_else(|| {
                "the zone is of a later release than the global zone and pkg never downgrades"
                    .into()
            });
            let why = format!("passed over: {stuck}");
            self.end_rung(n, s, StepOutcome::Skipped, &why, "passed over")?;
            return Ok(RungStep::NotAllowed);
        }
        let removes = st.removes(&self.input());
        let mut question = if s == StrategyName::GzPublishers {
            // It is for the zone, but what it changes is the global zone's configuration.
            format!(
                "Apply gz-publishers for zone {}? It changes the GLOBAL zone's publishers until \
                 the attach ends, then restores them.",
                self.facts.zone
            )
        } else {
            format!("Apply {s} to zone {}?", self.facts.zone)
        };
        // A person is told what pkg's dry run adds (read-only; skipped unattended), and not
        // asked at all when it shows the rung would not apply. A check that met a cause
        // outside the image (a repository down) shows nothing: the question is asked.
        // Unattended too while the zone is still installed: a rung its own dry run shows
        // will not apply must not detach the zone for nothing.
        // An image the detach has yet to mount has nothing to preview (oracle ss F1: its dry
        // run read as "did not converge"): it is judged once mounted.
        let readable = !self.facts.zone_image_deferred;
        let preview =
            if readable && (self.prompter.asks() || self.facts.state == ZoneState::Installed) {
                self.exec.take_environment();
                let p = st.preview(&self.input(), &self.exec).unwrap_or(Preview::AsSaid);
                // Another pkg client holds the image past the retries: its refusal is no answer
                // about the rung, and nothing may be detached while it works (round u F2).
                if let Some(text) = self.exec.image_locked() {
                    return self.stop_for_image_lock(n, s, &text);
                }
                match self.environment_failure() {
                    // A full pool, a ZBE problem: the rung would meet it again after the detach,
                    // so the run stops here with the zone as it was (oracle ss2 F1: it detached,
                    // met it again and left the zone detached).
                    Some(f) if !f.may_pass() => return self.stop_for_environment(n, s, None, f),
                    Some(_) => Preview::AsSaid,
                    None => p,
                }
            } else {
                Preview::AsSaid
            };
        let more = match preview {
            Preview::WillNotApply(a) => {
                return self.settle(n, s, Ok(a), None, StepOutcome::Skipped);
            }
            Preview::More(m) => Some(m),
            Preview::AsSaid => None,
        };
        if !removes.is_empty() {
            question.push_str(&format!(
                " It REMOVES {} from the zone ({}; never core packages).",
                removes.join(", "),
                more.as_deref().unwrap_or("with the installed packages that depend on them")
            ));
        }
        // What the gentle image rungs change, as uninstall's and gz-publishers' questions say
        // theirs (ops ww F3: zone-publishers' replaced the zone's origins without a word).
        let changes = match s {
            StrategyName::ZonePublishers => {
                " It changes the zone's own publishers (the plan above)."
            }
            StrategyName::Incremental => {
                " It points the zone's publisher at the intermediate release's repository and \
                 updates the zone's image to that release."
            }
            StrategyName::ImageUpdate => {
                " It updates every package of the zone's image from its own publishers."
            }
            _ => "",
        };
        question.push_str(changes);
        // Said before consent: the rung's detach takes an installed zone out of service for
        // zoneadm until an attach succeeds (ops uu F4).
        if s.changes_image() && self.facts.state == ZoneState::Installed {
            question.push_str(
                " The zone is installed: it is detached first (its attach -u follows the rung).",
            );
        }
        let single = matches!(self.choice, StrategyChoice::Only(_));
        if single && !s.is_destructive() {
            // A single strategy has no next rung to skip to: "no" ends the rescue, say so.
            question.push_str(" Answering no stops the rescue here.");
        }
        // Spinners run only while a command does, never between; a question is asked with any
        // hidden all the same, so it never shares the screen with one.
        if s.is_destructive() {
            question.push_str(&format!(
                " This re-creates the zone's package image{}.",
                dropped_records(&self.facts.zone_packages)
            ));
        }
        // Journalled, so that `status` of a run killed here says where it waited (ops uu F3:
        // "not finished", as if the rung had begun).
        let asking = self.prompter.asks();
        if asking {
            self.journal.set_step_detail(n, AWAITING_ANSWER);
            self.save()?;
        }
        let zone = self.facts.zone.as_str();
        let prompter = &mut self.prompter;
        let answer = self.exec.reporter.suspended(|| {
            if s.is_destructive() {
                prompter.confirm_destructive(&question, zone)
            } else if single {
                prompter.confirm(&question)
            } else {
                prompter.choose(&question)
            }
        });
        // A signal while the question waited, or a terminal that went away (a dropped SSH
        // session: SIGHUP, no answer to read), is no answer: the run is interrupted there,
        // for `resume`, not declined by anyone.
        if self.exec.interrupt.is_set() || answer == Answer::Lost {
            let why = "interrupted at its question";
            self.end_rung(n, s, StepOutcome::Skipped, why, why)?;
            let stopped = if self.exec.interrupt.is_set() {
                format!("stopped by {}", self.exec.interrupt.signal_name())
            } else {
                "stopped: no answer could be read at the question (the terminal went away)".into()
            };
            return Ok(RungStep::End((RunResult::Interrupted, stopped)));
        }
        let passed_over = match answer {
            Answer::No if s.is_destructive() => Some(NOT_ALLOWED),
            Answer::Skip if s.is_destructive() => Some("declined by the operator"),
            // Judged not worth trying by the operator: never proposed again in this run.
            Answer::Skip => {
                self.skipped.push(s);
                self.journal.skipped_by_operator = self.skipped.clone();
                Some(SKIPPED_BY_OPERATOR)
            }
            _ => None,
        };
        if let Some(why) = passed_over {
            self.end_rung(n, s, StepOutcome::Skipped, why, why)?;
            return Ok(RungStep::NotAllowed);
        }
        match answer {
            // The step's duration is the work's, not the time the operator took to answer.
            Answer::Yes => {
                self.exec.reporter.restart_step_clock(n);
                if asking {
                    self.journal.set_step_detail(n, "");
                    self.save()?;
                }
            }
            Answer::No | Answer::Skip | Answer::Stop | Answer::Lost => {
                self.end_rung(n, s, StepOutcome::Skipped, "declined by the operator", "declined")?;
                self.drop_unattached_gz_publishers()?;
                let result = if self.applied.is_empty() && self.attempts == 0 {
                    RunResult::Refused
                } else {
                    RunResult::Failed
                };
                return Ok(RungStep::End((result, "stopped at the operator's request".into())));
            }
        }
        // A single strategy is run whatever auto would think of it; one that cannot apply at
        // all is skipped before the zone is detached for it. An image the ipkg detach has yet
        // to mount is judged once it has (oracle ss F1: the unread image was "no plan").
        let only = matches!(self.choice, StrategyChoice::Only(_));
        let judged_after_detach = self.facts.zone_image_deferred && self.facts.brand != "solaris";
        if only
            && !judged_after_detach
            && let Err(why) = st.worth_trying(&self.input())
        {
            return self.not_applied(n, s, None, StepOutcome::Skipped, why);
        }
        // Rungs that change the zone image get their own snapshot first, and the zone is
        // detached for them. The others act around the attach, which detaches: a run that
        // stops before it (a later rung declined) leaves an installed zone installed.
        let mutating = s.changes_image();
        if mutating {
            if self.exec.interrupt.is_set() {
                return self.interrupted_before_rung(n, s);
            }
            let deferred = self.facts.zone_image_deferred;
            let changed_before = self.exec.changed();
            self.exec.take_environment();
            if let Err(e) = attempt::ensure_detached(&self.exec, &mut self.facts) {
                // A busy zone root, a full pool: the zone is as it was, and `resume` runs
                // this rung once that is fixed (as for the plain attach's detach).
                return match self.environment_failure() {
                    Some(f) => self.stop_for_environment(n, s, None, f),
                    None => Err(e),
                };
            }
            self.note_image_read(deferred)?;
            if deferred && !self.exec.dry_run {
                if self.facts.zone_image_deferred {
                    let why = match &self.facts.zone_packages_unread {
                        Some(e) => self.packages_unread_why(e),
                        None => format!(
                            "not run: the detach did not mount the zone's boot environment at \
                             {}, so its image cannot be read or changed there",
                            self.facts.zone_root.display()
                        ),
                    };
                    return self.not_applied(n, s, None, StepOutcome::Skipped, why);
                }
                // Read only now: in step after all, or newer with no image-create to follow,
                // the zone goes back as it was, as before an attach (regress mm F4).
                if let Some(newer) = self.needless_once_read() {
                    self.attach_as_it_was("detach", changed_before, false)?;
                    let (result, why) = if newer {
                        (RunResult::Failed, self.newer_after_all_why())
                    } else {
                        let why = format!(
                            "zone {} is attached (installed) as it was: nothing to rescue",
                            self.facts.zone
                        );
                        (RunResult::Attached, why)
                    };
                    self.end_rung(n, s, StepOutcome::Skipped, &why, &why)?;
                    return Ok(RungStep::End((result, why)));
                }
                if only && let Err(why) = st.worth_trying(&self.input()) {
                    // Nothing of it ran: the zone goes back as it was. That failing on a cause
                    // outside the image (a full pool) is said as such (regress tt F4).
                    self.exec.take_environment();
                    if let Err(e) = self.attach_as_it_was("detach", changed_before, false) {
                        return match self.environment_failure() {
                            Some(f) => self.stop_for_environment(n, s, None, f),
                            None => Err(e),
                        };
                    }
                    return self.not_applied(n, s, None, StepOutcome::Skipped, why);
                }
            }
        }
        let mut rung_snap = None;
        if mutating {
            // A signal during the detach: the zone is detached, nothing of the rung has run.
            if self.exec.interrupt.is_set() {
                return self.interrupted_before_rung(n, s);
            }
            let name = snapshot::rung_name(&self.zbe()?, &self.journal.run_id, n, s);
            self.exec.take_environment();
            if let Err(e) = snapshot::create(
                &self.exec,
                &name,
                &self.journal.run_id.clone(),
                &format!("{n:02}-{s}"),
                &self.facts.gz_entire_text(),
                None,
            ) {
                // A full pool (or an I/O error): nothing of the rung has run yet.
                return match self.exec.take_environment().into_iter().next() {
                    Some(f) => self.stop_for_environment(n, s, None, f),
                    None => {
                        // Nor anything else: the step says so, and is not taken for a rung
                        // applied and rolled back at the end (hostile pp F3).
                        let why = format!("not run: its snapshot failed: {e:#}");
                        self.end_rung(n, s, StepOutcome::Skipped, &why, &why)?;
                        Err(e)
                    }
                };
            }
            self.journal.set_step_snapshot(n, &name);
            self.snapshots.push(name.clone());
            self.emit(Event::Snapshot {
                step: n,
                name: name.clone(),
                action: SnapshotAction::Created,
            });
            rung_snap = Some(name);
            self.save()?;
        }
        let mut retries = 0;
        let applied = loop {
            self.exec.take_environment();
            let applied = st.apply(&self.input(), &self.exec);
            self.facts.learn_repositories(st.learnt());
            self.journal.repositories = self.facts.repositories.clone();
            if self.exec.held_back() {
                // A signal came while one of its commands ran, and its next was not started:
                // the step stays open in the journal, for `resume` to undo to its snapshot and
                // run again (as after a kill).
                self.save()?;
                let m = format!(
                    "stopped by {}: {s} was cut short (what ran was left to finish, nothing more \
                     was started)",
                    self.exec.interrupt.signal_name()
                );
                return Ok(RungStep::End((RunResult::Interrupted, m)));
            }
            if let Some(text) = self.exec.image_locked() {
                return self.stop_for_image_lock(n, s, &text);
            }
            // A rung that did not get its way because of a cause outside the image (pkg
            // crashing, a full pool, a time limit, a repository that answered before) says
            // nothing about the strategy: tried again if that may pass, else the run stops
            // there. Never the next rung for it.
            let failed = matches!(applied, Ok(Applied::NotSolvable(_)) | Err(_));
            let Some(f) = failed.then(|| self.environment_failure()).flatten() else {
                break applied;
            };
            if !f.may_pass() || retries >= environment::RETRIES || self.exec.interrupt.is_set() {
                return self.stop_for_environment(n, s, rung_snap.as_deref(), f);
            }
            self.undo_rung(n, rung_snap.as_deref())?;
            let why = format!("{}; {s} is run again", f.describe());
            if !self.exec.wait_before_retry(&why, retries, environment::RETRIES) {
                // A signal during the wait: the rung is undone, not tried; `resume` plans it.
                if self.exec.interrupt.is_set() {
                    let why = format!("interrupted before it ran again ({})", f.describe());
                    self.end_rung(n, s, StepOutcome::Skipped, &why, &why)?;
                    let m = format!("stopped by {}", self.exec.interrupt.signal_name());
                    return Ok(RungStep::End((RunResult::Interrupted, m)));
                }
                return self.stop_for_environment(n, s, None, f);
            }
            retries += 1;
        };
        self.settle(n, s, applied, rung_snap.as_deref(), StepOutcome::RolledBack)
    }

    /// A signal before rung `n` changed anything: it did not begin.
    fn interrupted_before_rung(&mut self, n: u32, s: StrategyName) -> anyhow::Result<RungStep> {
        let why = "interrupted before it began";
        self.end_rung(n, s, StepOutcome::Skipped, why, why)?;
        let stopped = format!("stopped by {}", self.exec.interrupt.signal_name());
        Ok(RungStep::End((RunResult::Interrupted, stopped)))
    }

    /// Rung step `n` after `apply` (or a preview that showed what it would do): applied, or
    /// not, and then undone to `snap` and journalled `undone` (`Skipped` when nothing ran).
    fn settle(
        &mut self,
        n: u32,
        s: StrategyName,
        applied: anyhow::Result<Applied>,
        snap: Option<&str>,
        undone: StepOutcome,
    ) -> anyhow::Result<RungStep> {
        // The rung ran to its end: it is no longer blocked, or blocked anew (note_blockers).
        // Not before: a run killed in it leaves the mark for resume.
        self.journal.blocked.retain(|b| b.strategy != s);
        let (detail, findings) = match applied {
            Ok(Applied::Changed { detail, findings }) => (detail, findings),
            Ok(Applied::NothingToDo(why)) => {
                return self.not_applied(n, s, None, StepOutcome::Skipped, why);
            }
            Ok(Applied::NotSolvable(why)) => {
                return self.not_applied(n, s, snap, undone, why);
            }
            Ok(Applied::Blocked { why, packages }) => {
                self.note_blockers(s, packages);
                return self.not_applied(n, s, snap, undone, why);
            }
            Ok(Applied::Stuck { why, packages }) => {
                self.stuck.extend(packages);
                self.journal.stuck = self.stuck.clone();
                return self.not_applied(n, s, snap, undone, why);
            }
            Err(e) => {
                let why = format!("{e:#}");
                return self.not_applied(n, s, snap, StepOutcome::Failed, why);
            }
        };
        for f in findings {
            // What a rung took out of the zone that a human puts back is said in the summary
            // too (regress kk F4): a script keeps the summary, not the findings.
            if f.key == strategies::ZONE_PUBLISHERS_REMOVED {
                self.extra_findings.push(f.clone());
            }
            self.emit(Event::Finding(f));
        }
        // gz-publishers applied again by a resume (its attach had not come) is the same
        // simplification, said once; an uninstall or a step again is one more change.
        if s != StrategyName::GzPublishers || !self.applied.contains(&s) {
            self.applied.push(s);
        }
        if s == StrategyName::GzPublishers {
            self.simplify_gz = true;
        }
        if s == StrategyName::Incremental && !self.exec.dry_run {
            self.note_step_renames();
        }
        self.save()?;
        Ok(RungStep::Applied { n, detail })
    }

    /// The run stops before the attach its applied rungs wait for: a gz-publishers among them
    /// changed nothing (it acts only around an attach), so unless the image changed too (the
    /// attach on resume then includes it) it was not applied after all.
    fn drop_unattached_gz_publishers(&mut self) -> anyhow::Result<()> {
        let open: Vec<(u32, String)> = self
            .journal
            .steps
            .iter()
            .filter(|st| st.outcome.is_none() && st.name.parse::<StrategyName>().is_ok())
            .map(|st| (st.n, st.name.clone()))
            .collect();
        let gz = StrategyName::GzPublishers.as_str();
        if open.is_empty() || open.iter().any(|(_, name)| name != gz) {
            return Ok(());
        }
        for (n, _) in open {
            self.not_acted(n, StrategyName::GzPublishers)?;
        }
        Ok(())
    }

    /// Rung `n`, acting only around an attach that never came, did nothing: not applied.
    fn not_acted(&mut self, n: u32, s: StrategyName) -> anyhow::Result<()> {
        self.unapply(&[(s, n, String::new())]);
        let why = "not applied: the run stopped before the attach it acts around";
        self.end_rung(n, s, StepOutcome::Skipped, why, why)
    }

    /// A rung that applied nothing: `snap` (its snapshot, when it may have changed something)
    /// restored, the step journalled with `outcome`.
    fn not_applied(
        &mut self,
        n: u32,
        s: StrategyName,
        snap: Option<&str>,
        outcome: StepOutcome,
        why: String,
    ) -> anyhow::Result<RungStep> {
        self.undo_rung(n, snap)?;
        self.end_rung(n, s, outcome, &why, &why)?;
        Ok(RungStep::NotApplied)
    }

    /// Ends rung step `n` with `outcome`: `journal` in the journal, `said` in the event.
    fn end_rung(
        &mut self,
        n: u32,
        s: StrategyName,
        outcome: StepOutcome,
        journal: &str,
        said: &str,
    ) -> anyhow::Result<()> {
        self.journal.end_step(n, outcome, journal);
        let detail = said.to_string();
        self.emit(Event::StepEnd { step: n, name: s.as_str().into(), outcome, detail });
        self.save()
    }

    /// Installed packages pkg named as standing in the way of rung `s`: they become the
    /// diagnosis' blockers (so `uninstall` removes them next — only them: a package the
    /// attach named that the rung's own solve got past, such as a rename the intermediate
    /// release maps, must stay), and `s` may run again once they are gone.
    fn note_blockers(&mut self, s: StrategyName, packages: Vec<String>) {
        self.diagnose_blockers(packages.clone());
        for p in &packages {
            if !self.journal.withdrawn.contains(p) {
                self.journal.withdrawn.push(p.clone());
            }
        }
        self.journal.blocked.push(super::journal::BlockedRung { strategy: s, packages });
    }

    /// What the commands since the last look met outside the image, if anything: the first
    /// such failure, a transport failure only for repositories this run saw answer.
    fn environment_failure(&self) -> Option<environment::Failure> {
        self.exec.take_environment().into_iter().find(|f| match &f.cause {
            environment::Cause::Transport { publishers, origins } => {
                self.facts.answered(publishers, origins)
            }
            _ => true,
        })
    }

    /// Installed packages in a rung's way are what uninstall must remove next.
    /// Only uninstall is called for then: a harmless remedy of the same diagnosis first would
    /// cost an attach whose new diagnosis no longer names them.
    fn diagnose_blockers(&mut self, packages: Vec<String>) {
        let d = self.diagnosis.get_or_insert_with(Diagnosis::default);
        d.packages = packages;
        d.remedies = vec![StrategyName::Uninstall];
    }

    /// Another package client held the zone's image lock through every retry (typically the
    /// orphaned `pkg` of a killed run, still working): whatever this step reports is about
    /// the lock, not the zone, so no further rung, and no rollback under a live transaction.
    /// The step stays in flight in the journal: `resume` undoes and re-runs it later.
    fn stop_for_image_lock(
        &mut self,
        n: u32,
        s: StrategyName,
        text: &str,
    ) -> anyhow::Result<RungStep> {
        self.image_busy = true;
        self.stopped_in = Some(s);
        let detail = format!("another package client holds the zone's package image: {text}");
        self.emit(Event::StepEnd {
            step: n,
            name: s.as_str().into(),
            outcome: StepOutcome::Failed,
            detail: detail.clone(),
        });
        self.save()?;
        Ok(RungStep::End((
            RunResult::Failed,
            format!(
                "stopped: {detail}; nothing was rolled back while it works. When no other pkg \
                 runs on the zone image, `zonerescue resume {}` continues from step {n}",
                self.facts.zone
            ),
        )))
    }

    /// A rung met a cause outside the image that did not pass ([`environment`]): its own
    /// change is undone (`snap`, its snapshot), and the run stops there. Nothing else is rolled
    /// back: the rungs applied before it stay in the image (and in flight in the journal, as
    /// this step does), so `resume`, once the cause is fixed, runs this rung again and attaches
    /// before climbing further. No later rung is tried for it.
    fn stop_for_environment(
        &mut self,
        n: u32,
        s: StrategyName,
        snap: Option<&str>,
        f: environment::Failure,
    ) -> anyhow::Result<RungStep> {
        self.undo_rung(n, snap)?;
        self.stopped_in = Some(s);
        let detail = format!("stopped: {}", f.describe());
        self.journal.set_step_detail(n, &detail);
        self.emit(Event::StepEnd {
            step: n,
            name: s.as_str().into(),
            outcome: StepOutcome::Failed,
            detail: detail.clone(),
        });
        self.env_stop = Some(f);
        self.save()?;
        Ok(RungStep::End((
            RunResult::Failed,
            format!(
                "stopped at step {n} ({s}): {}. No other rung was tried for it: it says \
                 nothing about the strategy",
                detail.trim_start_matches("stopped: ")
            ),
        )))
    }

    /// The run stops on `f`, met by its last attach: nothing is rolled back, and `resume`
    /// attaches again first.
    fn stop_at_attach(&mut self, f: environment::Failure) {
        self.journal.stopped_outside = Some(f.until());
        self.env_stop = Some(f);
    }

    fn attach_command(&self) -> String {
        format!("zoneadm -z {} attach -u", self.facts.zone)
    }

    /// The last attach of this run failed on a cause outside the image that may pass: a
    /// repository this run saw answer (preflight's refresh, a rung's `set-publisher`) and
    /// that the attach could not reach. (A full pool or a ZBE problem: see
    /// [`Diagnosis::outside_the_image`].)
    fn attach_environment(&self) -> Option<environment::Failure> {
        let d = self.diagnosis.as_ref().filter(|d| !d.predicted && !d.attached)?;
        if self.attempts == 0 {
            return None;
        }
        let f = environment::of_diagnosis(d, &self.attach_command())?;
        match &f.cause {
            environment::Cause::Transport { publishers, origins } => {
                self.facts.answered(publishers, origins).then_some(f)
            }
            environment::Cause::Outside(_) => None,
            _ => f.may_pass().then_some(f),
        }
    }

    /// The attach after one or more applied rungs (`steps`: strategy, step number, detail).
    fn attach_after(
        &mut self,
        steps: &[(StrategyName, u32, String)],
    ) -> anyhow::Result<Option<(RunResult, String)>> {
        let interrupted = |run: &mut Self| -> anyhow::Result<Option<(RunResult, String)>> {
            let why = "interrupted before the attach";
            if Self::only_around_an_attach(steps) {
                // Rungs that act only around the attach (a plain attach, gz-publishers) did
                // nothing without it: not tried, `resume` plans them again (it went on to
                // the next rung: a plain attach cut short in its detach became image-update).
                run.end_attach_not_run(steps, why)?;
            } else {
                run.end_unattached(steps, why)?;
            }
            Ok(Some((
                RunResult::Interrupted,
                format!("stopped by {}", run.exec.interrupt.signal_name()),
            )))
        };
        if self.exec.interrupt.is_set() {
            return interrupted(self);
        }
        // Exclusive while the GZ publishers are simplified for this attach, else shared.
        let access = if self.simplify_gz && !self.exec.dry_run {
            host_lock::Access::Exclusive
        } else {
            host_lock::Access::Shared
        };
        let Some(host) = host_lock::wait_for(&self.exec, &self.zone_dir, access)? else {
            return interrupted(self);
        };
        let attempts_before = self.attempts;
        let deferred = self.facts.zone_image_deferred;
        let changed_before = self.exec.changed();
        let mut retries = 0;
        let (attempt, env) = loop {
            self.exec.take_environment();
            let attempt = self.attach_attempt();
            let env = if attempt.is_err() { self.environment_failure() } else { None };
            // Nothing of the attach ran (the detach, or the GZ publishers' change for it,
            // failed, and what it changed is put back) on a cause that may pass (an I/O error,
            // pkg crashing): tried again, as a rung's commands are.
            if let Some(f) = env.as_ref().filter(|f| f.may_pass())
                && self.attempts == attempts_before
                && !self.exec.held_back()
                && retries < environment::RETRIES
            {
                let why = format!("{}; the attach is tried again", f.describe());
                if self.exec.wait_before_retry(&why, retries, environment::RETRIES) {
                    retries += 1;
                    continue;
                }
            }
            break (attempt, env);
        };
        // A signal during the detach or the GZ publishers' simplification (put back since),
        // or during the wait before they were tried again: the attach was not started. Its
        // rungs stay applied for `resume`.
        if self.exec.held_back()
            || (attempt.is_err()
                && self.exec.interrupt.is_set()
                && self.attempts == attempts_before)
        {
            drop(host);
            self.attempts = attempts_before;
            return interrupted(self);
        }
        let attached = match attempt {
            Ok(a) => a,
            // The attach ran out its time limit (or the like): no rung is tried for it.
            Err(e) if e.is::<NewerAfterAll>() => {
                drop(host);
                let why = self.newer_after_all_why();
                self.end_attach_not_run(steps, &why)?;
                return Ok(Some((RunResult::Failed, why)));
            }
            Err(e) => {
                // The detach failed: no attach ran, so rungs that act only around one did
                // nothing.
                let none_ran =
                    self.attempts == attempts_before && Self::only_around_an_attach(steps);
                let Some(f) = env else {
                    if none_ran {
                        self.unapply(steps);
                    }
                    return Err(e);
                };
                drop(host);
                let why = f.describe();
                if none_ran {
                    // Not tried: `resume` plans them again (they changed nothing).
                    self.end_attach_not_run(steps, &why)?;
                } else {
                    self.end_steps(steps, StepOutcome::AttachFailed, Some(&why), &why)?;
                }
                // An analyzer's outside cause says so itself.
                let m = if matches!(f.cause, environment::Cause::Outside(_)) {
                    format!("stopped: {why}")
                } else {
                    format!("stopped: {why}; that lies outside the zone's package image")
                };
                if self.attempts == attempts_before {
                    // No attach failed: `resume` starts over from what is planned, not from
                    // a re-attach (which would leave out the GZ publishers' simplification).
                    self.env_stop = Some(f);
                } else {
                    self.stop_at_attach(f);
                }
                return Ok(Some((RunResult::Failed, m)));
            }
        };
        drop(host);
        // Put back as it was once the detach let its image be read (in step after all): the
        // rungs acting around the attach did nothing (oracle nn F1: gz-publishers was said
        // applied, "simplified around each attach", with no set-publisher run).
        if attached
            && self.put_back.is_some()
            && self.attempts == attempts_before
            && Self::only_around_an_attach(steps)
        {
            self.unapply(steps);
            let why = "not needed: the zone's image, read once the detach had mounted it, is in \
                       step with the global zone; it was attached again as it was";
            for (s, n, _) in steps {
                self.end_rung(*n, *s, StepOutcome::Skipped, why, why)?;
            }
            return Ok(Some((
                RunResult::Attached,
                format!(
                    "zone {} is attached (installed) as it was: nothing to rescue",
                    self.facts.zone
                ),
            )));
        }
        if self.facts.zone_image_deferred {
            // The attach mounted the ZBE it worked on (reference §2.5 step 5, §2.6).
            self.facts.read_deferred_image(&self.exec.runner);
            self.note_image_read(deferred)?;
            // The solaris brand's detach leaves it unmounted: read only after this first
            // attach (regress mm F1, F2). In step after all, or newer with no image-create to
            // follow, it goes back as it was: the image as before the attach, `attach -F`.
            let read_now = deferred && !self.facts.zone_image_deferred && !self.exec.dry_run;
            if !attached
                && read_now
                && Self::only_around_an_attach(steps)
                && let Some(newer) = self.needless_once_read()
            {
                return self.put_back_after_first_attach(steps, newer, changed_before);
            }
        } else {
            self.facts.refresh_zone(&self.exec.runner);
        }
        if attached {
            self.end_steps(steps, StepOutcome::Done, None, "zone attached")?;
            return Ok(Some((
                RunResult::Attached,
                format!("zone {} is attached (installed)", self.facts.zone),
            )));
        }
        let mut why = self.diagnosis.as_ref().map(|d| d.reasons.join("; ")).unwrap_or_default();
        if why.is_empty() {
            // No log (or none the rules explain): say so rather than end on a colon.
            why = match &self.last_log {
                Some(l) => format!("no rule explains its log {}", l.display()),
                None => "no attach log was found to tell why".into(),
            };
        }
        let said = format!("attach still fails: {why}");
        self.end_steps(steps, StepOutcome::AttachFailed, Some(&why), &said)?;
        Ok(None)
    }

    /// The first attach of a zone whose image it let be read found it needs none (see
    /// [`Self::needless_once_read`]): the image goes back to the pre-rescue snapshot (the
    /// failed attach may have changed it: the system repository's use), the zone is attached
    /// as it was, and the run ends: attached for one in step, failed for one newer.
    fn put_back_after_first_attach(
        &mut self,
        steps: &[(StrategyName, u32, String)],
        newer: bool,
        changed_before: bool,
    ) -> anyhow::Result<Option<(RunResult, String)>> {
        let mut restored = false;
        if let Some(pre) = self.pre.clone() {
            match self.undo_to_pre(&pre) {
                Ok(done) => {
                    restored = true;
                    self.emit(Event::Snapshot {
                        step: self.exec.step,
                        name: done.target,
                        action: SnapshotAction::RolledBack,
                    });
                }
                Err(e) => self.emit(Event::Finding(
                    Finding::warn(
                        "zone.not-rolled-back",
                        Severity::Medium,
                        format!(
                            "the image keeps what the failed attach changed in it; it could not \
                             be rolled back to {pre}"
                        ),
                    )
                    .detail(format!("{e:#}")),
                )),
            }
        }
        self.facts.refresh_zone(&self.exec.runner);
        // Unchanged only when the image is back as it was too.
        self.attach_as_it_was("first attach", changed_before || !restored, !restored)?;
        if newer {
            let mut why = self.newer_after_all_why();
            if !restored {
                why.push_str(NOT_ROLLED_BACK);
            }
            self.end_steps(steps, StepOutcome::AttachFailed, Some(&why), &why)?;
            return Ok(Some((RunResult::Failed, why)));
        }
        self.end_steps(steps, StepOutcome::Done, None, "zone attached as it was")?;
        // Its image not rolled back keeps what the failed attach changed in it (regress nn F1).
        let how = if restored {
            "as it was: nothing to rescue".to_string()
        } else {
            "again (attach -F), its image as the failed attach left it: not rolled back, the \
             pre-rescue snapshot keeps it as it was"
                .to_string()
        };
        Ok(Some((
            RunResult::Attached,
            format!("zone {} is attached (installed) {how}", self.facts.zone),
        )))
    }

    /// Whether every rung of `steps` acts only around the attach (changes nothing by itself).
    fn only_around_an_attach(steps: &[(StrategyName, u32, String)]) -> bool {
        steps.iter().all(|(s, ..)| !s.changes_image())
    }

    /// The run ended without the attach its applied rungs waited for, and the image was rolled
    /// back to the pre-rescue snapshot: those acting around the attach did nothing (not
    /// applied), the others were applied and are rolled back. Each is said, not left open.
    fn end_open_rungs_rolled_back(&mut self) -> anyhow::Result<()> {
        let open: Vec<(u32, StrategyName)> = self
            .journal
            .steps
            .iter()
            .filter(|st| st.outcome.is_none())
            .filter_map(|st| Some((st.n, st.name.parse::<StrategyName>().ok()?)))
            .collect();
        for (n, s) in open {
            if !s.changes_image() {
                self.not_acted(n, s)?;
            } else {
                let why = "applied, then rolled back with the image: the run stopped before its \
                           attach";
                self.end_rung(n, s, StepOutcome::Done, why, why)?;
            }
        }
        Ok(())
    }

    /// Rungs acting only around an attach that did not run (`why`): not applied, and
    /// journalled as not tried, so `resume` plans them again.
    fn end_attach_not_run(
        &mut self,
        steps: &[(StrategyName, u32, String)],
        why: &str,
    ) -> anyhow::Result<()> {
        self.unapply(steps);
        let journal = format!("{ATTACH_NOT_RUN}: {why}");
        self.end_steps(steps, StepOutcome::Failed, Some(&journal), why)
    }

    /// Takes `steps`' rungs off the applied list.
    fn unapply(&mut self, steps: &[(StrategyName, u32, String)]) {
        for (s, ..) in steps {
            if let Some(i) = self.applied.iter().rposition(|a| a == s) {
                self.applied.remove(i);
            }
        }
        self.simplify_gz = self.applied.contains(&StrategyName::GzPublishers);
    }

    /// Rungs that applied but get no attach: done, with why none followed.
    fn end_unattached(
        &mut self,
        steps: &[(StrategyName, u32, String)],
        why: &str,
    ) -> anyhow::Result<()> {
        self.end_steps(steps, StepOutcome::Done, Some(why), why)
    }

    /// Ends the applied rungs of one attempt with `outcome`: the journal keeps `journal` (or
    /// each rung's own detail), the event adds `said` to that detail.
    fn end_steps(
        &mut self,
        steps: &[(StrategyName, u32, String)],
        outcome: StepOutcome,
        journal: Option<&str>,
        said: &str,
    ) -> anyhow::Result<()> {
        for (s, n, detail) in steps {
            self.journal.end_step(*n, outcome, journal.unwrap_or(detail));
            self.emit(Event::StepEnd {
                step: *n,
                name: s.as_str().into(),
                outcome,
                detail: format!("{detail}; {said}"),
            });
        }
        self.save()
    }

    fn undo_rung(&mut self, n: u32, snap: Option<&str>) -> anyhow::Result<()> {
        if let Some(snap) = snap {
            snapshot::rollback_sparing_foreign(&self.exec, snap)?;
            self.emit(Event::Snapshot {
                step: n,
                name: snap.into(),
                action: SnapshotAction::RolledBack,
            });
            self.facts.refresh_zone(&self.exec.runner);
        }
        Ok(())
    }

    /// A halted zone's image just read (after its detach or first attach): what it held then
    /// is the rescue's start, for the package report and `resume` (regress mm F5: the report
    /// of removed and renamed packages was empty for every such zone).
    fn note_image_read(&mut self, deferred: bool) -> anyhow::Result<()> {
        if !deferred || self.facts.zone_image_deferred || self.exec.dry_run {
            return Ok(());
        }
        if self.packages_at_start.is_empty() {
            self.packages_at_start = self.facts.zone_packages.clone();
        }
        if self.journal.zone_packages_at_start.is_empty() {
            self.journal.zone_packages_at_start = self.facts.zone_packages.clone();
            self.journal.zone_publishers_enabled_at_start = self
                .facts
                .zone_publishers_at_start
                .iter()
                .filter(|p| p.enabled)
                .map(|p| p.name.clone())
                .collect();
            self.save()?;
        }
        Ok(())
    }

    /// For a halted zone's image read only now: `Some(false)` when it is in step with the
    /// global zone after all, `Some(true)` when it is of a later release and no image-create
    /// may follow; both need no `attach -u` (README: they are put back as they were).
    fn needless_once_read(&self) -> Option<bool> {
        let newer = self.facts.zone_newer_than_gz() && !self.may_destroy();
        (self.in_step_now() || newer).then_some(newer)
    }

    /// Whether rung `s` is judged only once the zone's image is read: it is mounted nowhere
    /// yet (a halted zone), and `s` works on it (the plain attach does not).
    fn judged_once_read(&self, s: StrategyName) -> bool {
        self.facts.zone_image_deferred && s != StrategyName::Attach
    }

    /// The ZBE the solaris brand's attach clones `zbe` to, when it clones it rather than take
    /// it: `zbe` is the active ZBE of another global-zone BE that still exists (reference §2.6,
    /// `discover_active_be` case 3; one whose GZ BE is gone is an orphan, mounted in place), and
    /// the clone is the first free `solaris-N` (`create_active_ds`).
    fn clone_the_attach_makes(&self, zbe: &str) -> Option<String> {
        if self.facts.brand != "solaris" || self.facts.zbe_of_running_gz_be {
            return None;
        }
        let zbes = preflight::list_zbes(&self.exec.runner, &self.facts.zbe_root).ok()?;
        let parent = zbes.iter().find(|z| z.dataset == zbe)?.parentbe.clone()?;
        let bes = crate::commands::beadm::list(&self.exec.runner).ok()?;
        if !bes.iter().any(|b| b.uuid.as_deref() == Some(parent.as_str())) {
            return None;
        }
        (0..100)
            .map(|i| format!("{}/solaris-{i}", self.facts.zbe_root))
            .find(|d| !zbes.iter().any(|z| &z.dataset == d))
    }

    /// Whether the zone's image, as read now, is in step with the global zone.
    fn in_step_now(&self) -> bool {
        facts::in_step(
            ZoneState::Installed,
            self.facts.gz_entire.as_ref(),
            self.facts.zone_entire.as_ref(),
            self.facts.zbe_of_running_gz_be,
        )
    }

    /// What a run ending on [`NewerAfterAll`] says, with what to do.
    fn newer_after_all_why(&self) -> String {
        format!(
            "{NewerAfterAll}: update the global zone to the zone's release, or re-create its \
             image: zonerescue --strategy auto --allow-destructive {}",
            crate::cli::rescue_operand(self.facts.zone.as_str())
        )
    }

    /// `zoneadm -z ZONE attach -F`: the zone put back as it was, without an update.
    fn attach_as_it_was_spec(&self) -> CommandSpec {
        let force = AttachOptions { force: true, ..Default::default() };
        zoneadm::attach_spec(&self.facts.zone, &force)
    }

    /// `zoneadm attach -F`: the zone back as it was, without an update; `mounted_by` (the
    /// detach, the first attach) is what let its image be read. Counts as no change when
    /// nothing had changed before (`changed_before`).
    /// `kept_changes`: its image could not be rolled back first, and keeps what the failed
    /// attach changed in it (regress oo F1: it was said attached "as it was").
    fn attach_as_it_was(
        &mut self,
        mounted_by: &str,
        changed_before: bool,
        kept_changes: bool,
    ) -> anyhow::Result<()> {
        if let Err(e) = self.exec.change_ok(&self.attach_as_it_was_spec(), &[0]) {
            self.put_back_failed = true;
            return Err(e.into());
        }
        self.facts.state = ZoneState::Installed;
        self.put_back = Some(changed_before);
        if !changed_before {
            self.exec.mark_unchanged();
        }
        // (Not for one put back because the rung asked for does not apply: regress tt F3.)
        if self.in_step_now() {
            self.emit(Event::Finding(Finding::info(
                "zone.in-step-after-all",
                format!(
                    "the zone's image, read once the {mounted_by} had mounted it, is in step \
                     with the global zone: nothing to rescue; it was attached again as it was \
                     (zoneadm attach -F){}",
                    if kept_changes { NOT_ROLLED_BACK } else { "" }
                ),
            )));
        }
        Ok(())
    }

    /// `attach -u` (with the GZ publishers simplified around it once gz-publishers applied).
    fn attach_attempt(&mut self) -> anyhow::Result<bool> {
        // Detached first: the global zone's publishers stay simplified no longer than the
        // attach itself.
        let deferred = self.facts.zone_image_deferred;
        let changed_before = self.exec.changed();
        attempt::ensure_detached(&self.exec, &mut self.facts)?;
        self.note_image_read(deferred)?;
        // A halted zone's image, read only now that the detach has mounted it (fidelity ll,
        // regress ll): in step with the global zone after all, or of a later release with no
        // image-create to follow, it is put back as it was (`attach -F`: no update, which for
        // one in step could only fail on an in-zone repository that is down while it is).
        let read_now = deferred && !self.facts.zone_image_deferred && !self.exec.dry_run;
        if let Some(newer) = self.needless_once_read().filter(|_| read_now) {
            self.attach_as_it_was("detach", changed_before, false)?;
            if newer {
                return Err(NewerAfterAll.into());
            }
            return Ok(true);
        }
        let mut guard = None;
        if self.simplify_gz {
            // Read (and journalled) before anything changes: what an unset would lose.
            let details = GzPublisherGuard::details_to_record(&self.exec, &self.facts)?;
            if details.is_some() {
                self.journal.gz_publishers_detail = details.clone();
            }
            // A signal during the detach: nothing is changed for an attach that will not run,
            // and the journal must not say the publishers may be (ops mm F2).
            if self.exec.interrupt.is_set() {
                anyhow::bail!("interrupted before the global zone's publishers were simplified");
            }
            self.journal.gz_publishers_modified = true;
            self.save()?;
            guard = GzPublisherGuard::simplify(&self.exec, &self.facts, details.as_deref())?;
        }
        // OpenIndiana and OmniOS copy every GZ publisher into the zone, disabled ones as
        // disabled: those disabled for the attach arrive disabled in the zone, and so do those
        // the global zone has disabled of its own that the zone had enabled (its packages may
        // come from there: a plain attach must not silently cut the zone off them).
        let copied_disabled = if !self.exec.dry_run
            && strategies::attach_copies_publishers(self.facts.platform)
        {
            let mut names = guard.as_ref().map(|g| g.disabled_for_attach()).unwrap_or_default();
            let zone_had = |n: &str| {
                self.facts.zone_publishers_at_start.iter().any(|p| p.name == n && p.enabled)
            };
            for p in self.facts.gz_publishers.iter().filter(|p| !p.enabled && zone_had(&p.name)) {
                if !names.contains(&p.name) {
                    names.push(p.name.clone());
                }
            }
            names
        } else {
            Vec::new()
        };
        let unset = guard.as_ref().map(|g| g.unset_for_attach()).unwrap_or_default();
        let reenable = self.reenable_plan(&copied_disabled);
        // Journalled: an attach that finishes after this run was killed still needs it.
        self.journal.reenable_in_zone = reenable.0.clone();
        self.save()?;
        // Counted after that save: a run killed in the attach has not journalled it (resume
        // counts the attach it finds cut short).
        self.attempts += 1;
        // The global zone's publishers as this attach sees them: one unset for it is not the
        // global zone's (a failing publisher of that name is the zone's own), one disabled for
        // it is disabled.
        let mut ctx = self.analysis_context();
        if let Some(g) = &guard {
            ctx.gz_publishers.retain(|n| !unset.contains(n));
            ctx.gz_disabled_publishers.retain(|n| !unset.contains(n));
            for n in g.disabled_for_attach() {
                if !ctx.gz_disabled_publishers.contains(&n) {
                    ctx.gz_disabled_publishers.push(n);
                }
            }
        }
        let analyzer = Analyzer::with_context(&self.rules, ctx);
        // Its spinner (as every long command's) is Exec's, with the log's lines beneath it.
        let result = attempt::attach(&self.exec, &mut self.facts, analyzer);
        if let Some(mut g) = guard {
            let r = g.restore(&self.exec);
            self.gz_intact = Some(self.gz_intact.unwrap_or(true) && r.intact);
            self.gz_restore_by_hand = r.missing.clone();
            let readded = r.readded_by_others.iter().map(|(n, _)| n);
            for n in r.removed_by_others.iter().chain(readded).chain(&r.changed_by_others) {
                if !self.gz_changed_by_others.contains(n) {
                    self.gz_changed_by_others.push(n.clone());
                }
            }
            for f in r.by_others_findings() {
                self.emit(Event::Finding(f));
            }
            if !r.intact {
                self.emit(Event::Finding(
                    Finding::warn(
                        "gz-publishers.restore-differs",
                        Severity::High,
                        "THE GLOBAL ZONE'S PUBLISHERS DIFFER FROM THE START",
                    )
                    .detail(r.difference)
                    .remediation(format!(
                        "{}; fix by hand",
                        super::journal::compare_gz_publishers("the journal's")
                    )),
                ));
            } else {
                self.journal.gz_publishers_modified = false;
            }
            self.save()?;
        }
        let result = result?;
        self.last_log = result.log_path.clone();
        let attached = result.attached();
        if attached && !copied_disabled.is_empty() {
            self.reenable_copied_in_zone(reenable);
        }
        if attached && !unset.is_empty() {
            self.note_unset_missing_in_zone(&unset);
        }
        self.journal.reenable_in_zone.clear();
        let mut d = result.diagnosis;
        // The first attach mounted the image the prediction was held back for.
        if std::mem::take(&mut self.prediction_held) && !attached && !d.attached {
            self.add_predictions(&mut d);
        }
        self.diagnosis = Some(d);
        self.follow_cloned_zbe()?;
        self.save()?;
        Ok(attached)
    }

    /// Returns the zone to the pre-rescue image `pre` (detached): `zfs rollback -r`, or, once an
    /// attach moved the zone to a clone of its ZBE, the original ZBE made the zone's again at
    /// the pre-rescue snapshot and the clone destroyed (see `zbe_clone`).
    fn undo_to_pre(&mut self, pre: &str) -> anyhow::Result<PreRestored> {
        let Some(original) = self.journal.original_zbe.clone() else {
            snapshot::rollback_sparing_foreign(&self.exec, pre)?;
            return Ok(PreRestored { target: pre.to_string(), note: String::new() });
        };
        let root = self.facts.zone_root.clone();
        match super::zbe_clone::plan(&self.exec.runner, pre, Some(&original), Some(&root))? {
            super::zbe_clone::Undo::Plain { target } => {
                snapshot::rollback_sparing_foreign(&self.exec, &target)?;
                Ok(PreRestored { target, note: String::new() })
            }
            super::zbe_clone::Undo::Clone(u) => {
                super::zbe_clone::undo(&self.exec, &u, Some(&root))?;
                let target = u.target();
                self.facts.active_zbe = Some(u.original.clone());
                self.journal.active_zbe = Some(u.original.clone());
                self.journal.original_zbe = None;
                self.journal.pre_snapshot = Some(target.clone());
                self.pre = Some(target.clone());
                self.facts.refresh_zone(&self.exec.runner);
                Ok(PreRestored {
                    target,
                    note: format!(
                        " ({} is the zone's boot environment again; the clone {} the attach made \
                         is destroyed)",
                        u.original, u.clone
                    ),
                })
            }
            super::zbe_clone::Undo::ByHand { why, steps } => {
                anyhow::bail!("{why}; by hand: {}", steps.join("; "))
            }
        }
    }

    /// The `zfs rollback -r` commands that return the image to `pre` by hand: the ZBE's, then
    /// each dataset's below it that `zfs snapshot -r` took along (a Solaris 11 ZBE's `var`).
    fn manual_rollback(&self, pre: &str) -> String {
        let children = snapshot::descendants_at(&self.exec, pre).unwrap_or_default();
        let each: Vec<String> = std::iter::once(pre.to_string())
            .chain(children)
            .map(|s| format!("zfs rollback -r {s}"))
            .collect();
        each.join(" && ")
    }

    /// The way back by hand, `first` (a halt, a detach) then [`manual_rollback`], saying what
    /// it does that `zonerescue rollback` refuses or does besides: `-r` destroys every later
    /// snapshot, the operator's too (docs jj F1: pasted, it destroyed one `rollback` keeps).
    fn by_hand(&self, pre: &str, first: &str) -> String {
        format!(
            "by hand, which destroys every later snapshot of the boot environment, zonerescue's \
             or not (list them: zfs list -t snapshot -r {}), and leaves the global zone's \
             publishers as they are: {first}{}",
            pre.split_once('@').map_or(pre, |(zbe, _)| zbe),
            self.manual_rollback(pre)
        )
    }

    /// Solaris 11's attach clones the active ZBE when it belongs to another global-zone BE that
    /// still exists, and the zone runs from the clone from then on: later snapshots and rung
    /// undos act on the clone; the pre-rescue image stays where it really is (moved to the
    /// clone by the brand's promote, else on the original), and undoing the rescue returns the
    /// zone to the original ZBE (`undo_to_pre`, `zonerescue rollback`).
    fn follow_cloned_zbe(&mut self) -> anyhow::Result<()> {
        let (Some(before), Some(uuid)) =
            (self.facts.active_zbe.clone(), self.facts.gz_be_uuid.clone())
        else {
            return Ok(());
        };
        if self.exec.dry_run {
            return Ok(());
        }
        let Ok(zbes) = preflight::list_zbes(&self.exec.runner, &self.facts.zbe_root) else {
            return Ok(());
        };
        let ZbeChoice::ByParent(now) =
            choose_active(&zbes, Some(&uuid), None, self.facts.brand == "solaris")
        else {
            return Ok(());
        };
        if now == before {
            return Ok(());
        }
        self.facts.active_zbe = Some(now.clone());
        self.journal.active_zbe = Some(now.clone());
        if self.journal.original_zbe.is_none() {
            self.journal.original_zbe = Some(before.clone());
        }
        let mut detail = format!(
            "{before} belonged to another global-zone BE; the attach cloned it and the zone now runs \
             from {now}; snapshots from now on are of {now}"
        );
        if let Some(old_pre) = self.pre.clone() {
            // The brand promotes its clone (reference §2.6), which moves the older snapshots,
            // ours included, to it. Without the promote the pre-rescue image stays on `before`:
            // a snapshot of the clone now would hold the attach's work, not the pre-rescue image.
            let tag = old_pre.split_once('@').map_or(old_pre.as_str(), |(_, t)| t);
            let moved = format!("{now}@{tag}");
            let pre = if snapshot::exists(&self.exec, &moved)? {
                detail.push_str(&format!(
                    ". The promote moved the pre-rescue snapshot to it: {moved}"
                ));
                moved
            } else {
                detail.push_str(&format!(". The pre-rescue image stays on {before} at {old_pre}"));
                old_pre.clone()
            };
            detail.push_str(&format!(
                "; undoing the rescue (zonerescue rollback {zone}) makes {before} the zone's boot \
                 environment again at that snapshot and destroys {now}",
                zone = self.facts.zone
            ));
            self.snapshots.retain(|s| *s != old_pre && *s != pre);
            self.snapshots.push(pre.clone());
            self.pre = Some(pre.clone());
            self.journal.pre_snapshot = Some(pre);
        }
        // The rungs' snapshots, taken on `before` before the attach, moved with the promote
        // too: named where they are now (they were named where they no longer existed).
        let mut moved: Vec<(String, String)> = Vec::new();
        let named =
            self.snapshots.iter().chain(self.journal.steps.iter().flat_map(|st| &st.snapshot));
        for old in named {
            let Some(tag) = old.strip_prefix(&format!("{before}@")) else { continue };
            let new = format!("{now}@{tag}");
            if !moved.iter().any(|(o, _)| o == old) && snapshot::exists(&self.exec, &new)? {
                moved.push((old.clone(), new));
            }
        }
        let rename = |s: &mut String| {
            if let Some((_, new)) = moved.iter().find(|(o, _)| o == s) {
                *s = new.clone();
            }
        };
        self.snapshots.iter_mut().for_each(rename);
        self.journal.steps.iter_mut().filter_map(|st| st.snapshot.as_mut()).for_each(rename);
        self.emit(Event::Finding(
            Finding::warn(
                "zbe.cloned-by-attach",
                Severity::Medium,
                format!("the attach moved the zone to a clone of its boot environment: {now}"),
            )
            .detail(detail),
        ));
        self.save()
    }

    fn failure_message(&self) -> String {
        // What ran, not what the planner counts as tried (a predicted failure's attach, a
        // rung skipped for want of consent).
        let mut ran: Vec<&str> = Vec::new();
        for st in &self.journal.steps {
            if st.name != "snapshot" && ran_to_its_end(st) && !ran.contains(&st.name.as_str()) {
                ran.push(&st.name);
            }
        }
        let outside = self.diagnosis.as_ref().and_then(|d| d.outside_the_image());
        let mut m = match outside {
            // Not for want of a strategy: the cause is the operator's to fix.
            Some(k) => format!(
                "stopped on a cause outside the zone's package image ({k}), which no strategy \
                 fixes (tried: {})",
                if ran.is_empty() { "nothing".to_string() } else { ran.join(", ") }
            ),
            None if ran.is_empty() => "no strategy could be applied".to_string(),
            None => format!("no remaining strategy is worth trying (tried: {})", ran.join(", ")),
        };
        if !self.skipped.is_empty() {
            let skipped: Vec<&str> = self.skipped.iter().map(|s| s.as_str()).collect();
            m.push_str(&format!("; skipped by the operator: {}", skipped.join(", ")));
        }
        if let Some(d) = &self.diagnosis
            && !d.reasons.is_empty()
        {
            m.push_str(&format!("; last diagnosis: {}", d.reasons.join("; ")));
        } else if let Some(st) =
            self.journal.steps.iter().rev().find(|st| {
                st.name != "snapshot" && !st.detail.is_empty() && st.detail != NOT_ALLOWED
            })
        {
            // No attach failed to say why: the rung's own reason (a step the solver refused,
            // say) was only in its progress line.
            m.push_str(&format!("; {}: {}", st.name, st.detail));
        }
        // Recommend image-create only when it has not run (it may have been skipped for want
        // of consent): one that ran and failed is in the diagnosis already.
        let created = self
            .journal
            .steps
            .iter()
            .any(|st| st.name == StrategyName::ImageCreate.as_str() && ran_to_its_end(st));
        if !created && let Some(stuck) = self.stuck_note() {
            // With the global zone's publishers in the way, image-create alone is refused:
            // auto applies gz-publishers with it.
            let how = self.image_create_command();
            m.push_str(&format!("; {stuck}: only image-create gets past ({how})"));
        }
        m
    }

    /// Nothing but the pre-rescue snapshot has changed, in this run or a run it resumes.
    fn untouched(&self) -> bool {
        !self.exec.dry_run && !self.resuming && !self.exec.changed()
    }

    fn finish(mut self, result: RunResult, mut message: String, boot: bool) -> anyhow::Result<u8> {
        let zone = self.facts.zone.as_str().to_string();
        // A signal during the attach lets it finish: when it attached the zone, the run ends
        // so (exit 0), and says why it did not stop (its notice spoke of stopping).
        let signalled_before = self.exec.interrupt.is_set();
        if result == RunResult::Attached && signalled_before {
            // (Or while the GZ publishers were put back after it, which is part of it.)
            message.push_str(&format!(
                "; {} came while the attach ran (or the restore after it), which was left to \
                 finish and attached the zone: nothing is left to resume",
                self.exec.interrupt.signal_name()
            ));
        }
        let mut next_steps = Vec::new();
        let mut packages_removed = Vec::new();
        // What continues this run: a stopped destructive rung runs again only with consent.
        self.journal.allow_destructive |=
            self.allow_destructive || self.stopped_in.is_some_and(|s| s.is_destructive());
        let resume = self.journal.resume_command();
        let target = crate::cli::rescue_operand(&zone);
        // A destructive rung passed over for want of consent is the way on: said as a command.
        if result == RunResult::Failed && !self.exec.dry_run {
            let mut withheld: Vec<&str> = Vec::new();
            for st in self.journal.steps.iter().filter(|st| st.detail == NOT_ALLOWED) {
                if !withheld.contains(&st.name.as_str()) {
                    withheld.push(&st.name);
                }
            }
            for s in withheld {
                let how = if s == StrategyName::ImageCreate.as_str() {
                    self.image_create_command()
                } else {
                    format!("zonerescue --strategy {s} --allow-destructive {target}")
                };
                next_steps
                    .push(format!("with consent to {s} (it re-creates the package image): {how}"));
            }
        }
        match result {
            RunResult::Failed if self.image_busy => {
                next_steps.push("see which pkg holds the image: pgrep -fl pkg".into());
                next_steps.push(format!("once it has finished: {resume}"));
                next_steps.push(format!("zonerescue status {zone}"));
            }
            RunResult::Failed if self.env_stop.is_some() => {
                // A cause outside the image: nothing rolled back, so that `resume` goes on
                // from here once it is fixed (the rungs' work is not lost, nor redone).
                let until = self.env_stop.as_ref().map(|f| f.until()).unwrap_or_default();
                // Detached for a rung that then changed nothing (its snapshot failed: hostile
                // ll F2): only the detach is left of the run.
                let only_detached = self.found_installed
                    && self.facts.state == ZoneState::Configured
                    && self.applied.is_empty()
                    && self.attempts == 0;
                if self.untouched() {
                    message.push_str("; nothing was changed: the zone is as it was");
                    // Nothing for `rollback` to undo (regress tt F2: it detached the zone).
                    self.journal.stopped_untouched = true;
                } else if only_detached {
                    message.push_str(
                        "; the zone was detached for the rung, which changed nothing in its image",
                    );
                    next_steps.push(format!(
                        "to put it back as it was instead: zoneadm -z {zone} attach -F   (no \
                         update; the zone was installed before this run, which only detached it)"
                    ));
                } else if let Some(pre) = &self.pre {
                    message.push_str(&format!(
                        "; nothing was rolled back: the zone is left {} with what the rungs \
                         applied so far in its image ({pre} keeps the image as it was)",
                        self.facts.state.as_str()
                    ));
                    packages_removed = self.packages_gone();
                }
                // What the analysis says to run about that cause, read from the failure
                // itself (a detach's busy root, an attach log), not from an older attach.
                if let Some(f) = &self.env_stop {
                    let whose = if f.command.contains(" attach") {
                        "the attach log"
                    } else {
                        "its message"
                    };
                    // Its own `attach -u` is what resume runs, once the cause is fixed.
                    for c in f.next.iter().filter(|c| !c.contains(" attach")).take(3) {
                        let c = c.replace("<zone>", zone.as_str());
                        next_steps.push(format!("as the analysis of {whose} says: {c}"));
                    }
                }
                if self.put_back_failed {
                    // Its image needed nothing: only the put-back is left (regress ss F1: the
                    // resume advised rescued an in-step zone and removed its publisher).
                    next_steps.push(format!(
                        "{until}: zoneadm -z {zone} attach -F   (puts it back as it was, without \
                         an update: its image needed no rescue)"
                    ));
                } else {
                    next_steps.push(format!("{until}: {resume}   (goes on from where it stopped)"));
                }
                if self.pre.is_some() && !self.untouched() {
                    next_steps.push(format!("or return to the start: zonerescue rollback {zone}"));
                }
                next_steps.push(format!("zonerescue status {zone}"));
            }
            // Stopped by the operator before anything changed (the pre-rescue snapshot aside).
            RunResult::Refused if self.pre.is_some() && self.untouched() => {
                message.push_str("; nothing was changed: the zone is as it was");
            }
            // Put back with `attach -F` once its image could be read (see `put_back`):
            // detaching it again to roll back would leave it worse than it was.
            RunResult::Failed if !self.untouched() && self.put_back.is_some() => {
                // (The message says it was attached again as it was.)
                if self.put_back == Some(true) {
                    message.push_str(
                        "; its image is as the run left it, not rolled back: the pre-rescue \
                         snapshot keeps it as it was",
                    );
                }
                next_steps.push(format!("zonerescue status {zone}"));
            }
            RunResult::Failed | RunResult::Error if self.untouched() => {
                // Known to fail before anything changed: detaching an installed zone and
                // rolling back would only make it worse.
                message.push_str("; nothing was changed: the zone is as it was");
                self.journal.changed_nothing = result == RunResult::Failed;
                if result == RunResult::Error {
                    next_steps.push(format!("once the cause is fixed: {resume}"));
                }
                next_steps.push(format!("zonerescue status {zone}"));
            }
            // Stopped by an error after an attach that worked (the journal's file system
            // filled during it, say): a rollback would detach the attached zone and undo the
            // rescue.
            RunResult::Error if !self.exec.dry_run && self.attempts > 0 && self.attached_now() => {
                message.push_str("; the zone is attached (installed): nothing was rolled back");
                packages_removed = self.packages_gone();
                next_steps.push(format!("zonerescue status {zone}"));
                if self.pre.is_some() {
                    next_steps.push(format!("undo everything: zonerescue rollback {zone}"));
                }
            }
            // Its state unreadable after an attach: it may be attached, and detaching it to
            // roll back could undo a rescue that worked (hostile pp F1).
            RunResult::Error
                if !self.exec.dry_run && self.attempts > 0 && self.zone_state_now().is_none() =>
            {
                message.push_str(
                    "; the zone's state cannot be read, so it was neither detached nor rolled \
                     back",
                );
                next_steps.push("see the zone's state: zoneadm list -cv".into());
                next_steps.push(format!("zonerescue status {zone}"));
                next_steps.push(format!(
                    "once zoneadm answers: {resume}   (or return to the start: zonerescue \
                     rollback {zone})"
                ));
            }
            RunResult::Failed | RunResult::Error if !self.exec.dry_run => {
                if let Some(pre) = self.pre.clone() {
                    let mut image_restored = false;
                    // The safest state: detached, image as before the rescue. A zone that
                    // cannot be detached keeps its image: no rollback under an installed zone.
                    if let Err(e) = attempt::ensure_detached(&self.exec, &mut self.facts) {
                        let why = e.to_string();
                        let why = if message.contains(&why) {
                            String::new()
                        } else {
                            format!(" ({why})")
                        };
                        message.push_str(&format!(
                            "; the zone could not be detached{why}, so its image was not rolled \
                             back to {pre}"
                        ));
                        next_steps.push(format!(
                            "once it can be detached: {}",
                            self.by_hand(&pre, &format!("zoneadm -z {zone} detach && "))
                        ));
                    } else {
                        // (A dataset busy for a moment is tried again by the rollback.)
                        match self.undo_to_pre(&pre) {
                            Ok(done) => {
                                image_restored = true;
                                self.journal.rolled_back_at_end = Some(done.target.clone());
                                self.emit(Event::Snapshot {
                                    step: self.exec.step,
                                    name: done.target.clone(),
                                    action: SnapshotAction::RolledBack,
                                });
                                self.snapshots.retain(|s| *s == done.target);
                                if self.snapshots.is_empty() {
                                    self.snapshots.push(done.target.clone());
                                }
                                message.push_str(&format!(
                                    "; the zone is left detached with its image rolled back to {}{}",
                                    done.target, done.note
                                ));
                            }
                            Err(e) if snapshot::partly_rolled_back(&e).is_some() => {
                                // The ZBE went back (its later snapshots with it), a dataset
                                // below it did not: neither image; no run may go on from it.
                                self.journal.rollback_incomplete = Some(pre.clone());
                                self.snapshots.retain(|s| *s == pre);
                                message.push_str(&format!(
                                    "; the zone is left detached and its image only PARTLY \
                                     rolled back to {pre}: {e:#}; do not attach it before the \
                                     rollback is finished"
                                ));
                                next_steps.push(format!(
                                    "finish the rollback once that is fixed: zonerescue \
                                     rollback {zone}"
                                ));
                            }
                            Err(e) => {
                                message.push_str(&format!(
                                    "; the zone is left detached and its image was NOT rolled \
                                     back: rolling back to {pre} failed: {e:#}"
                                ));
                                next_steps.push(format!(
                                    "roll the image back once that is fixed: zonerescue rollback \
                                     {zone}"
                                ));
                            }
                        }
                    }
                    // The image is as the rungs left it, not as the rescue found it: say what
                    // it lost.
                    if !image_restored {
                        packages_removed = self.packages_gone();
                    } else {
                        // A journal that cannot be written is said once, by the last save
                        // below, with the whole report (cm vv F1: it ended the run with exit 2
                        // and a bare message, the zone detached).
                        let _ = self.end_open_rungs_rolled_back();
                    }
                    // Of a later release (read after its detach or first attach), no attach -u
                    // can take it and image-create was declined: back as it was, installed
                    // (regress nn F2: a guided run left it detached).
                    let mut attached_again = false;
                    if image_restored && self.found_installed && self.facts.zone_newer_than_gz() {
                        match self.exec.change_ok(&self.attach_as_it_was_spec(), &[0]) {
                            Ok(()) => attached_again = true,
                            // Said, with the command to run once its cause is fixed (below).
                            Err(e) => message.push_str(&format!(
                                "; putting it back as it was failed (the zone is of a later \
                                 release: no attach -u can take it): {e}"
                            )),
                        }
                    }
                    if attached_again {
                        self.facts.state = ZoneState::Installed;
                        message.push_str(
                            ", then attached again as it was (zoneadm attach -F): no attach -u \
                             can take a zone of a later release than the global zone",
                        );
                    } else if image_restored && self.installed_at_start {
                        // The image is as the run found it: only the detach is left of it.
                        let changed_image = self.applied.iter().any(|s| s.changes_image());
                        let (before, done) = match self.found_installed {
                            true if self.attempts == 0 && !changed_image => {
                                ("this run", "which only detached it")
                            }
                            true => ("this run", "and its image is back as it was"),
                            false => ("the rescue", "and its image is back as it was"),
                        };
                        next_steps.push(format!(
                            "the zone was installed before {before}, {done}: zoneadm -z {zone} \
                             attach -F puts it back as it was, without an update"
                        ));
                    }
                }
                if let Some(l) = &self.last_log {
                    let l = crate::system::shell_quote(&l.display().to_string());
                    next_steps.push(format!("read the last attach log: {l}"));
                    next_steps.push(format!("zonerescue analyze {l}"));
                }
                next_steps.push(format!("zonerescue status {zone}"));
                if self.journal.rollback_incomplete.is_some() {
                    // Nothing goes on before the rollback is finished (said above).
                } else if result == RunResult::Error && self.put_back_failed {
                    // The `attach -F` said above is what remains, once its cause is fixed.
                } else if result == RunResult::Error {
                    // The journal keeps the step the error stopped: resume runs it again.
                    next_steps.push(format!("once the cause is fixed: {resume}"));
                } else if let Some(key) =
                    self.diagnosis.as_ref().and_then(Diagnosis::outside_the_image)
                {
                    next_steps.push(format!("once {key} is fixed: {resume}"));
                } else if let Some(primary) = self.unreachable_primary() {
                    next_steps.push(format!(
                        "once the global zone reaches publisher {primary} again (pkg refresh \
                         {primary}): zonerescue {target}"
                    ));
                } else if self.resuming && self.journal.steps.len() == self.steps_before {
                    // The earlier run had tried every useful rung: resuming it finds nothing
                    // left, while a rung failed by a passing error is worth a fresh start.
                    next_steps.push(format!(
                        "nothing was left to resume; to try every rung again: zonerescue {target}"
                    ));
                } else if let StrategyChoice::Only(s) = self.choice
                    && s != StrategyName::ImageCreate
                    && self.stuck_note().is_some()
                {
                    // The diagnosis already says only image-create gets past: auto without
                    // the consent would only climb to it and stop again (regress gg F3).
                    next_steps.push(format!(
                        "{s} alone did not attach the zone, and only image-create gets past: {}",
                        self.image_create_command()
                    ));
                } else if let StrategyChoice::Only(s) = self.choice {
                    // One rung was asked for; the diagnosis may call for others first.
                    next_steps.push(format!(
                        "{s} alone did not attach the zone; to let each diagnosis choose the \
                         rungs: zonerescue {target}   (on a terminal: asks before each change; \
                         unattended: zonerescue --strategy auto {target})"
                    ));
                }
            }
            RunResult::Attached => {
                packages_removed = self.packages_gone();
                self.note_repointed_by_a_step();
                let booted = self.post_checks(boot);
                if booted {
                    message.push_str(", and booted (running)");
                }
                // What needs a look before the zone runs its services (configuration files
                // re-created with defaults, core packages gone) leads the next steps: a script
                // keeps the summary, not the findings (docs jj F5).
                for f in self.extra_findings.iter().filter(|f| f.severity == Severity::High) {
                    let what = f.remediation.as_deref().unwrap_or_default();
                    let what = what.replace(":\n", ": ").replace('\n', "; ");
                    next_steps.push(format!("first: {} ({}): {what}", f.title, f.key));
                }
                for f in self.extra_findings.iter().filter(|f| {
                    [strategies::ZONE_PUBLISHERS_REMOVED, zone_publishers_after_attach::REPOINTED]
                        .contains(&f.key.as_str())
                }) {
                    let what = f.remediation.as_deref().unwrap_or_default();
                    next_steps.push(format!("{} ({}): {what}", f.title, f.key));
                }
                if boot && !signalled_before && self.exec.interrupt.is_set() {
                    message.push_str(&format!(
                        "; {} came during the checks after the attach (the boot, if it had \
                         begun, was left to finish): nothing is left to resume",
                        self.exec.interrupt.signal_name()
                    ));
                }
                // Neither undo works on a running zone: halted first.
                let halt =
                    if booted { format!("zoneadm -z {zone} halt && ") } else { String::new() };
                // A zone put back as it was (nothing changed): nothing to undo. After a run
                // that had changed it already, this run's undo is not everything (ops vv F3:
                // it left the zone neither as it was nor rescued): the line below names that.
                let undo = match &self.journal.earlier_pre {
                    Some(e) if Some(e) != self.pre.as_ref() => {
                        "undo this run (the zone as it found it, which an earlier rescue had \
                         changed)"
                    }
                    _ => "undo everything",
                };
                if let Some(pre) = self.pre.as_ref().filter(|_| !self.untouched()) {
                    next_steps.push(match &self.journal.original_zbe {
                        Some(orig) => format!(
                            "{undo}: {halt}zonerescue rollback {zone}   (the zone now runs \
                             from a clone of {orig}: that makes {orig} its boot environment again \
                             at the pre-rescue snapshot and destroys the clone)"
                        ),
                        None => format!(
                            "{undo}: {halt}zonerescue rollback {zone}   (or {})",
                            self.by_hand(pre, &format!("{halt}zoneadm -z {zone} detach && "))
                        ),
                    });
                }
                if let Some(before) = &self.journal.earlier_pre {
                    // `rollback --to` reaches only the snapshots of the ZBE the zone runs from;
                    // one on another (Solaris 11: the ZBE an attach cloned from) is named.
                    let here = self.rollback_reaches(before);
                    next_steps.push(if here {
                        format!("back to before any rescue (an earlier run's pre-rescue snapshot): {halt}zonerescue rollback {zone} --to {before}")
                    } else {
                        format!(
                            "the zone before any rescue (an earlier run's pre-rescue snapshot) is {before}; \
                             `zonerescue rollback --to` cannot return to it from the boot environment \
                             the zone runs from now (it is another's, or a clone depends on a later \
                             snapshot): `zonerescue rollback {zone}` undoes this run first, and \
                             `zonerescue snapshots {zone}` lists what is left"
                        )
                    });
                }
            }
            RunResult::Interrupted => {
                // Nothing is rolled back on an interrupt: what the rungs removed is gone now.
                if self.pre.is_some() && !self.untouched() {
                    packages_removed = self.packages_gone();
                }
                // Stopped at a question before anything changed (ops ww F1: it advised an
                // undo, and by hand a `zfs rollback` of an installed zone's live ZBE).
                if self.pre.is_some() && self.untouched() {
                    message.push_str("; nothing was changed: the zone is as it was");
                }
                next_steps.push(format!("continue where it stopped: {resume}"));
                next_steps.push(format!("see where it stopped: zonerescue status {zone}"));
                if let Some(pre) = self.pre.as_ref().filter(|_| !self.untouched()) {
                    // An attached zone is detached before its ZBE is rolled back, as
                    // `zonerescue rollback` does.
                    let detach = if self.attached_now() {
                        format!("zoneadm -z {zone} detach && ")
                    } else {
                        String::new()
                    };
                    next_steps.push(if self.journal.original_zbe.is_some() {
                        format!("return to the start: zonerescue rollback {zone}")
                    } else {
                        format!(
                            "return to the start: zonerescue rollback {zone}   (or {})",
                            self.by_hand(pre, &detach)
                        )
                    });
                }
            }
            _ => {}
        }
        if self.gz_intact == Some(false) {
            // Whatever became of the zone, the global zone serves every zone: say it first.
            message.push_str(
                "; THE GLOBAL ZONE'S PUBLISHERS DIFFER FROM THE START (see the difference above)",
            );
            let mut steps = vec![format!(
                "restore the global zone's publishers (recorded in {}, gz_publishers_tsv):",
                super::journal::Journal::path(&self.zone_dir).display()
            )];
            steps.extend(self.gz_restore_by_hand.iter().map(|c| format!("  {c}")));
            steps.push("then compare: pkg publisher -H -F tsv   (with gz_publishers_tsv)".into());
            // The tsv shows a publisher left disabled as enabled on most releases.
            steps.push("and: pkg publisher   (with gz_publishers_table: `(disabled)`)".into());
            next_steps.splice(0..0, steps);
        } else if !self.gz_changed_by_others.is_empty() {
            // "As they were" holds for what the run changed; these were someone else's doing.
            next_steps.insert(
                0,
                format!(
                    "check global-zone publisher(s) {}: changed by someone else during the run \
                     and left as they were set (see the finding above)",
                    self.gz_changed_by_others.join(", ")
                ),
            );
        }
        let state = self.zone_state_now();
        self.journal.status = JournalStatus::Ended(result);
        if let Err(e) = self.save() {
            // The summary is still said (its last line, for --json): the journal keeps the
            // run's last saved step.
            message.push_str(&format!(
                "; the journal could not be written ({e:#}): `zonerescue status` shows the run \
                 as it was last saved"
            ));
        }
        // Nothing changed: the last run's record stays the zone's (its status, resume, the
        // way back it names), not this run's.
        if !self.resuming
            && !self.exec.dry_run
            && self.journal.changed_nothing()
            && !self.journal.gz_publishers_modified
            && let Some(prev) = &self.previous
        {
            prev.put_back(&self.zone_dir)?;
        }
        let summary = Summary {
            zone,
            result,
            run_id: self.journal.run_id.clone(),
            strategies_applied: self.applied.clone(),
            strategies_skipped: self.skipped.clone(),
            attempts: self.attempts,
            snapshots: self.snapshots.clone(),
            pre_snapshot: self.pre.clone(),
            zone_state: state.map(|s: ZoneState| s.as_str().to_string()),
            gz_publishers_intact: self.gz_intact,
            gz_publishers_changed_by_others: self.gz_changed_by_others.clone(),
            message,
            next_steps,
            packages_removed,
        };
        self.emit(Event::Summary(summary));
        if self.gz_intact == Some(false) {
            return Ok(crate::exit::GZ_PUBLISHERS_MODIFIED);
        }
        Ok(result.exit_code())
    }
}

/// Where a failed run's undo left the zone: the pre-rescue snapshot it is at, and a note.
struct PreRestored {
    target: String,
    note: String,
}
