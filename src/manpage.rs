//! `man/zonerescue.8`: generated from the clap definition (synopsis, options, subcommands,
//! environment) with clap_mangen, plus the hand-written sections an administrator needs
//! (the ladder, exit status, files, examples). `tests/man_page.rs` keeps the committed page
//! equal to [`render`].

use clap::{Arg, Command, CommandFactory};
use clap_mangen::Man;
use roff::{Inline, Roff, bold, italic, roman};

use crate::cli::Cli;
use crate::exit;
use crate::strategies::StrategyName;

/// Section 8, as on current illumos and Solaris 11.4 (system administration commands).
pub const SECTION: &str = "8";

/// The date in the page header. Fixed (not today's date) so that the page is reproducible;
/// update it when the page's content changes for a release.
pub const DATE: &str = "2026-11-23";

/// The page, as roff source. (Only writes into memory; the `io::Result` is clap_mangen's.)
pub fn render() -> std::io::Result<Vec<u8>> {
    let mut cmd = Cli::command();
    cmd.build();
    let man = Man::new(cmd.clone())
        .title("ZONERESCUE")
        .section(SECTION)
        .date(DATE)
        .source(format!("zonerescue {}", env!("CARGO_PKG_VERSION")))
        .manual("System Administration Commands");
    let mut out = Vec::new();
    man.render_title(&mut out)?;
    for piece in [Man::render_name_section, Man::render_synopsis_section] {
        let mut buf = Vec::new();
        piece(&man, &mut buf)?;
        push_without_prelude(&mut out, &String::from_utf8_lossy(&buf));
    }

    let mut roff = Roff::new();
    description(&mut roff);
    options(&mut roff, "OPTIONS", &top_level_args(&cmd), &cmd);
    subcommands(&mut roff, &cmd);
    exit_status(&mut roff);
    environment(&mut roff, &cmd);
    files(&mut roff);
    examples(&mut roff);
    see_also(&mut roff);
    push_without_prelude(&mut out, &roff.render());
    Ok(out)
}

/// Every rendered piece starts with the same two-line definition of the `Aq` (apostrophe)
/// string; the title already carries it, so later pieces drop theirs.
fn push_without_prelude(out: &mut Vec<u8>, piece: &str) {
    for line in piece.lines().filter(|l| !l.contains(".ds Aq")) {
        out.extend_from_slice(line.as_bytes());
        out.push(b'\n');
    }
}

fn paragraph(roff: &mut Roff, text: impl Into<Vec<Inline>>) {
    roff.control("PP", []);
    roff.text(text);
}

fn tagged(roff: &mut Roff, tag: impl Into<Vec<Inline>>, text: impl Into<Vec<Inline>>) {
    roff.control("TP", []);
    roff.text(tag);
    roff.text(text);
}

/// One line per strategy, in ladder order; the match keeps it complete.
fn strategy_summary(s: StrategyName) -> &'static str {
    match s {
        StrategyName::Attach => "Plain detach and attach -u: a minor update often just works.",
        StrategyName::GzPublishers => {
            "Reduce the global zone's publishers to its primary one (the one its entire comes \
             from, else its first enabled one) for the duration of the attach (attach -u resolves against them), then restore them. On Solaris 11, \
             OpenIndiana and OmniOS, whose attach ignores disabled publishers, the others are \
             disabled with pkg set-publisher --disable and enabled again (proxies, SSL keys and \
             certificates untouched); on Solaris 11 Express, whose attach uses disabled ones too, \
             they are unset and re-added with their proxies, SSL key and certificate (read with \
             pkg publisher NAME first)."
        }
        StrategyName::ZonePublishers => {
            "Remove publishers from the zone image whose origins the global zone cannot reach, and \
             make the global zone's primary publisher (the one its entire comes from) the zone's \
             first."
        }
        StrategyName::Uninstall => {
            "Uninstall the packages that block the solver: those the last failure names, else \
             the problem groups' members the global zone's release no longer offers (never pkg \
             uninstall -r, which can empty the zone root)."
        }
        StrategyName::Incremental => {
            "Step entire through an intermediate release from a repository that still carries \
             the zone's history, then attach -u for the rest. Builds the repository's catalog \
             does not list are skipped without a solve; when the intermediate entire cannot keep \
             an installed package, the step stops and auto removes that package first. Once a \
             step has moved the zone up and the attach still fails, it steps again, whichever way \
             rungs are chosen (OmniOS upgrades one LTS release at a time)."
        }
        StrategyName::ImageUpdate => "pkg image-update inside the zone image.",
        StrategyName::ImageCreate => {
            "Last resort, destructive: re-create the zone's package image with pkg image-create \
             (from the global zone's primary publisher, each of its origins in turn until one \
             works) and reinstall system/library (needs --allow-destructive or a confirmation)."
        }
    }
}

fn description(roff: &mut Roff) {
    roff.control("SH", ["DESCRIPTION"]);
    roff.text([
        roman(
            "zonerescue rescues a Solaris 11 or illumos (OpenIndiana, OmniOS) non-global zone that \
         fails ",
        ),
        bold("zoneadm -z ZONE attach -u"),
        roman(" after the global zone was upgraded. It must be run as root in the global zone."),
    ]);
    paragraph(
        roff,
        [
            roman(
                "Before changing anything it runs a preflight (zone state, zone boot environment, \
             publishers and whether the global zone can reach them, packages the global zone's \
             catalogs list as obsolete, a zone of a later release than the global zone, which no \
             attach can take back) and takes a ZFS snapshot of the zone boot environment in use. It then \
             climbs a ladder of remedies, gentlest first, running ",
            ),
            bold("attach -u"),
            roman(
                " after each and reading the attach log between attempts to choose the next one. \
             Every step is journalled under the state directory, so an interrupted run can be \
             continued with ",
            ),
            bold("resume"),
            roman(
                " (on a terminal, starting a new run after one that never finished offers to) \
                 and undone with ",
            ),
            bold("rollback"),
            roman("."),
        ],
    );
    paragraph(
        roff,
        [
            roman("The rungs of the ladder, in order (names as accepted by "),
            bold("--strategy"),
            roman("):"),
        ],
    );
    for s in StrategyName::LADDER {
        tagged(roff, [bold(s.as_str())], [roman(strategy_summary(s))]);
    }
    paragraph(
        roff,
        [
            bold("--strategy auto"),
            roman(
                " (the default) picks rungs from the diagnosis of each failure (on a detached zone \
                 whose own attach -u failed less than a day ago, from that attempt's log, instead \
                 of repeating it); ",
            ),
            bold("--strategy ladder"),
            roman(" tries them in the order above; naming one strategy runs only that one."),
        ],
    );
    paragraph(
        roff,
        [roman(
            "On a terminal, each rung is proposed with its reason and exact commands, and one key \
             answers: y applies it; s skips it, and the run goes on as if that strategy were not \
             worth trying (auto plans the next rung without it, the ladder climbs on; it is not \
             proposed again, not even by resume); n, Enter or q stop the rescue and roll its \
             image back to the pre-rescue snapshot (resume then starts a new rescue from it, \
             keeping the operator's skips); other keys, Esc and the arrows among them, are \
             ignored. image-create asks for the zone name instead; anything else declines it.",
        )],
    );
}

/// Arguments of the top-level command (recovery options and global options), without
/// clap's generated help/version flags, which are documented once below.
fn top_level_args(cmd: &Command) -> Vec<Arg> {
    cmd.get_arguments().filter(|a| !a.is_hide_set()).cloned().collect()
}

fn arg_tag(arg: &Arg) -> Vec<Inline> {
    let mut tag = Vec::new();
    let value = arg
        .get_value_names()
        .and_then(|v| v.first())
        .map(|v| v.to_string())
        .unwrap_or_else(|| arg.get_id().to_string().to_uppercase());
    let takes_value = arg.get_num_args().is_some_and(|n| n.takes_values());
    if arg.is_positional() {
        tag.push(italic(value));
        if arg.get_num_args().is_some_and(|n| n.max_values() > 1) {
            tag.push(roman("..."));
        }
        return tag;
    }
    if let Some(s) = arg.get_short() {
        tag.push(bold(format!("-{s}")));
        if arg.get_long().is_some() {
            tag.push(roman(", "));
        }
    }
    if let Some(l) = arg.get_long() {
        tag.push(bold(format!("--{l}")));
    }
    if takes_value {
        tag.push(roman(" "));
        tag.push(italic(value));
    }
    tag
}

fn help_of(arg: &Arg) -> Option<String> {
    arg.get_long_help().or(arg.get_help()).map(|h| h.to_string()).filter(|h| !h.trim().is_empty())
}

/// The help text as a sentence; subcommand arguments without their own help borrow the
/// top-level argument of the same name (`--yes`), and a bare ZONE says what it is.
fn arg_text(arg: &Arg, top: &Command) -> Vec<Inline> {
    let help = help_of(arg)
        .or_else(|| top.get_arguments().find(|a| a.get_id() == arg.get_id()).and_then(help_of))
        .unwrap_or_else(|| match arg.get_id().as_str() {
            "zone" => "The non-global zone.".to_string(),
            _ => String::new(),
        });
    let mut sentences = Vec::new();
    if !help.trim().is_empty() {
        sentences.push(sentence(&help));
    }
    let values: Vec<String> = arg
        .get_possible_values()
        .iter()
        .filter(|v| !v.is_hide_set())
        .map(|v| v.get_name().to_string())
        .collect();
    if !values.is_empty() {
        sentences.push(format!("Values: {}.", values.join(", ")));
    }
    let defaults: Vec<String> =
        arg.get_default_values().iter().map(|v| v.to_string_lossy().into_owned()).collect();
    if !defaults.is_empty() && arg.get_num_args().is_some_and(|n| n.takes_values()) {
        sentences.push(format!("Default: {}.", defaults.join(",")));
    }
    if arg.is_global_set() {
        sentences.push("Global: before or after a subcommand.".to_string());
    }
    let mut text = vec![roman(sentences.join(" "))];
    if let Some(env) = arg.get_env() {
        text.push(roman(if sentences.is_empty() { "Environment: " } else { " Environment: " }));
        text.push(bold(env.to_string_lossy().into_owned()));
        text.push(roman("."));
    }
    text
}

/// clap help texts are fragments; the page wants sentences, in ASCII (troff without preconv,
/// as on older hosts, warns on anything else).
fn sentence(text: &str) -> String {
    let mut s = text.trim().replace('…', "...").replace(['‘', '’'], "'").replace(['“', '”'], "\"");
    s.retain(|c| c.is_ascii());
    if !s.ends_with(['.', ':']) {
        s.push('.');
    }
    s
}

fn options(roff: &mut Roff, heading: &str, args: &[Arg], top: &Command) {
    if args.is_empty() {
        return;
    }
    roff.control("SH", [heading]);
    for arg in args {
        tagged(roff, arg_tag(arg), arg_text(arg, top));
    }
}

fn subcommands(roff: &mut Roff, cmd: &Command) {
    roff.control("SH", ["SUBCOMMANDS"]);
    roff.text([roman("Options marked as global above apply to every subcommand.")]);
    // clap's own `help` subcommand is left out: --help is documented under OPTIONS.
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set() && s.get_name() != "help") {
        let own: Vec<Arg> = sub
            .get_arguments()
            .filter(|a| !a.is_hide_set() && !a.is_global_set())
            .cloned()
            .collect();
        let mut synopsis = vec![bold(format!("zonerescue {}", sub.get_name()))];
        for a in own.iter().filter(|a| a.is_positional()) {
            synopsis.push(roman(" "));
            if !a.is_required_set() {
                synopsis.push(roman("["));
            }
            synopsis.extend(arg_tag(a));
            if !a.is_required_set() {
                synopsis.push(roman("]"));
            }
        }
        if own.iter().any(|a| !a.is_positional() && a.get_id() != "help") {
            synopsis.push(roman(" [options]"));
        }
        roff.control("SS", []);
        roff.text(synopsis);
        let about =
            sub.get_long_about().or(sub.get_about()).map(|a| a.to_string()).unwrap_or_default();
        roff.text([roman(about)]);
        roff.control("RS", []);
        for a in own.iter().filter(|a| a.get_id() != "help") {
            tagged(roff, arg_tag(a), arg_text(a, cmd));
        }
        roff.control("RE", []);
    }
}

fn exit_status(roff: &mut Roff) {
    roff.control("SH", ["EXIT STATUS"]);
    roff.text([roman("Recovery (zonerescue ZONE, resume, rollback):")]);
    let recovery: [(u8, &str); 8] = [
        (exit::OK, "The zone was attached, or the requested command succeeded."),
        (
            exit::FAILED,
            "Every useful rung failed; the zone is left detached with its image restored. Or the run stopped on a cause outside the zone's package image (a full pool, a ZBE problem, pkg crashing, an I/O error, a time limit, a repository that had answered and no longer does; what may pass is retried first): nothing was rolled back and no further rung tried; once it is fixed, resume runs the stopped rung again or attaches again before climbing further. Or another pkg client held the image lock past the retries: the run stopped at that step without rolling back; resume continues it.",
        ),
        (exit::USAGE, "Usage or I/O error."),
        (
            exit::REFUSED,
            "Refused; nothing was changed (zone running, cannot snapshot, no terminal for prompts), or the global zone's publishers an earlier run left modified could not be restored from its journal (kept for the next try).",
        ),
        (
            exit::LOCKED,
            "Another zonerescue run holds the zone's lock, or a pkg or zoneadm that a killed run left running outlasted its time limit.",
        ),
        (
            exit::ERROR,
            "Stopped by an unexpected error midway; the journal says where, and resume continues (rollback: run it again once the cause is fixed).",
        ),
        (
            exit::GZ_PUBLISHERS_MODIFIED,
            "The global zone's publishers differ from how the run found them and could not be put back, whatever became of the zone (the JSON summary's result says; its next steps give the commands that restore them).",
        ),
        (exit::INTERRUPTED, "Interrupted by a signal."),
    ];
    for (code, text) in recovery {
        tagged(roff, [bold(code.to_string())], [roman(text)]);
    }
    paragraph(roff, [bold("analyze"), roman(":")]);
    let analyze: [(u8, &str); 4] = [
        (exit::ANALYZE_ATTACHED, "The log shows a successful attach."),
        (exit::ANALYZE_DIAGNOSED, "A failure was diagnosed by at least one rule."),
        (exit::USAGE, "Usage or I/O error."),
        (exit::ANALYZE_UNEXPLAINED, "A failure (or input) that no rule explains."),
    ];
    for (code, text) in analyze {
        tagged(roff, [bold(code.to_string())], [roman(text)]);
    }
    paragraph(
        roff,
        [roman("With the logs of several zones, the worst of their statuses: 3 over 1 over 0.")],
    );
}

/// Every environment variable an option reads, from the clap definition, plus NO_COLOR.
fn environment(roff: &mut Roff, cmd: &Command) {
    roff.control("SH", ["ENVIRONMENT"]);
    let mut seen: Vec<String> = Vec::new();
    let all = cmd.get_arguments().chain(cmd.get_subcommands().flat_map(Command::get_arguments));
    for arg in all {
        let Some(env) = arg.get_env() else { continue };
        let env = env.to_string_lossy().into_owned();
        if seen.contains(&env) {
            continue;
        }
        let mut flag = arg_tag(arg);
        flag.insert(0, roman("Default for "));
        flag.push(roman("."));
        tagged(roff, [bold(env.clone())], flag);
        seen.push(env);
    }
    tagged(
        roff,
        [bold("NO_COLOR")],
        [roman("When set and not empty, --color auto prints no colour (so does TERM=dumb).")],
    );
}

fn files(roff: &mut Roff) {
    roff.control("SH", ["FILES"]);
    let files: [(&str, &str); 5] = [
        (
            "/var/lib/zonerescue",
            "State directory: one journal and lock per zone, used by status, resume and rollback \
             (see --state-dir; the journal is the last real run's: --dry-run, or a run preflight refuses, leaves it alone, and \
             a new run first restores the global zone's publishers it records if that run left \
             them modified), and the record of a changing command while it runs: if zonerescue \
             is killed outright, the next run, resume or rollback waits for that command first.",
        ),
        (
            "/var/lib/zonerescue/gz-publishers.lock",
            "Shared by the runs on every zone of the host: held shared while a run reads the \
             global zone's publishers or attaches with them as they are, exclusively while \
             gz-publishers has them simplified, so concurrent runs on several zones wait for \
             each other there. A run killed with them simplified is restored from its journal \
             by the next run on any zone.",
        ),
        (
            "/var/tmp/ZONE.attach_log.*",
            "Attach logs written by the ipkg brand (OpenSolaris, Solaris 11 Express, \
             OpenIndiana, OmniOS); read after every attempt.",
        ),
        (
            "/var/log/zones",
            "Attach logs of the Solaris 11 solaris brand (zoneadm.TIMESTAMP.ZONE.attach); read \
             after every attempt.",
        ),
        (
            "ZONEPATH/root/.zfs/snapshot",
            "The snapshots zonerescue takes of the zone boot environment before any change.",
        ),
    ];
    for (path, text) in files {
        tagged(roff, [italic(path)], [roman(text)]);
    }
}

fn example(roff: &mut Roff, what: &str, command: &str) {
    paragraph(roff, [roman(what)]);
    roff.control("RS", ["4"]);
    roff.control("nf", []);
    roff.text([bold(command)]);
    roff.control("fi", []);
    roff.control("RE", []);
}

fn examples(roff: &mut Roff) {
    roff.control("SH", ["EXAMPLES"]);
    example(
        roff,
        "Guided rescue of zone web01 (prompts before each change):",
        "# zonerescue web01",
    );
    example(
        roff,
        "Only step the zone's release through an intermediate build, showing the plan first \
         (with --strategy nothing is asked):",
        "# zonerescue --strategy incremental --dry-run web01\n# zonerescue --strategy incremental web01",
    );
    example(
        roff,
        "Explain why an attach failed, from its log:",
        "# zonerescue analyze /var/tmp/web01.attach_log.1faGlD",
    );
    example(
        roff,
        "Return the zone boot environment to the snapshot taken before the rescue:",
        "# zonerescue rollback web01",
    );
    example(
        roff,
        "Rescue a zone whose name is also a subcommand's (demo, status, rollback ...):",
        "# zonerescue -- demo",
    );
    example(
        roff,
        "Install bash completions:",
        "# zonerescue completions bash > /usr/share/bash-completion/completions/zonerescue",
    );
}

fn see_also(roff: &mut Roff) {
    roff.control("SH", ["SEE ALSO"]);
    roff.text([
        bold("zoneadm"),
        roman("(8), "),
        bold("zonecfg"),
        roman("(8), "),
        bold("pkg"),
        roman("(1), "),
        bold("beadm"),
        roman("(8), "),
        bold("zfs"),
        roman("(8), "),
        bold("zones"),
        roman("(7)"),
    ]);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page() -> String {
        String::from_utf8(render().unwrap()).unwrap()
    }

    #[test]
    fn has_the_sections_administrators_look_for() {
        let p = page();
        assert!(p.starts_with(".ie \\n(.g .ds Aq"), "{}", &p[..60]);
        assert!(p.contains("\n.TH ZONERESCUE 8 "));
        assert!(p.is_ascii(), "troff on older hosts wants ASCII");
        for section in [
            ".SH NAME",
            ".SH SYNOPSIS",
            ".SH DESCRIPTION",
            ".SH OPTIONS",
            ".SH SUBCOMMANDS",
            ".SH \"EXIT STATUS\"",
            ".SH ENVIRONMENT",
            ".SH FILES",
            ".SH EXAMPLES",
            ".SH \"SEE ALSO\"",
        ] {
            assert!(p.contains(section), "missing {section}");
        }
    }

    #[test]
    fn generated_parts_follow_the_cli() {
        let p = page();
        let cmd = Cli::command();
        for sub in cmd.get_subcommands() {
            assert!(p.contains(&format!("zonerescue {}", sub.get_name())), "{}", sub.get_name());
        }
        for arg in cmd.get_arguments() {
            if let Some(l) = arg.get_long() {
                assert!(p.contains(&format!("\\-\\-{}", l.replace('-', "\\-"))), "--{l}");
            }
        }
        for s in StrategyName::LADDER {
            assert!(p.contains(&s.as_str().replace('-', "\\-")), "{s}");
        }
        assert!(p.contains("ZONERESCUE_STATE_DIR"));
    }
}
