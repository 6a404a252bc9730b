//! `zonerescue analyze [FILE…]`: read logs (files, or `-`/nothing for stdin), print the report.
//! Exit status: 0 attached, 1 diagnosed, 2 usage or I/O error, 3 unexplained (src/exit.rs).

use std::fs::{File, OpenOptions};
use std::io::{self, IsTerminal};
use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

use anyhow::Context;

use super::{AnalysisContext, Analyzer, Generation, Report, RuleSet, Verdict, render_human};
use crate::cli::{AnalyzeArgs, ColorChoice, GlobalArgs};

pub fn run(args: &AnalyzeArgs, global: &GlobalArgs) -> anyhow::Result<u8> {
    let rules = match &args.rules {
        Some(path) => RuleSet::with_file(path)?,
        None => RuleSet::builtin().context("built-in analysis rules")?,
    };
    let stdin = args.files.is_empty() || args.files.iter().any(|f| f == Path::new("-"));
    let reports: Vec<(Vec<&Path>, Report)> = if stdin || args.files.len() == 1 {
        // Standard input cannot be read twice to be split by zone: one stream, as given.
        let files: Vec<&Path> = args.files.iter().map(PathBuf::as_path).collect();
        analyze(&rules, &files)?.into_iter().map(|r| (files.clone(), r)).collect()
    } else {
        per_zone(&rules, &args.files)?
    };
    let several = reports.len() > 1;
    let mut text = String::new();
    for (i, (files, report)) in reports.iter().enumerate() {
        if global.json {
            text.push_str(&serde_json::to_string_pretty(report).context("encoding the report")?);
            text.push('\n');
            continue;
        }
        if several {
            let mut names: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
            if names.is_empty() {
                names.push("<stdin>".into());
            }
            // One input holding several zones: told apart by their zone.
            let shared = reports.iter().filter(|(f, _)| f == files).count() > 1;
            let zone = match (&report.zone, shared) {
                (Some(z), true) => format!(" (zone {z})"),
                _ => String::new(),
            };
            text.push_str(&format!(
                "{}==> {}{zone} <==\n",
                if i > 0 { "\n" } else { "" },
                names.join(", ")
            ));
        }
        text.push_str(&render_human(report, use_color(global.color)));
    }
    // `zonerescue analyze log | head` is fine.
    crate::out!("{text}").context("writing the report")?;
    Ok(worst_exit(reports.iter().map(|(_, r)| r.exit_code())))
}

/// Standard input into `analyzer`; on a terminal, said first: a bare `zonerescue analyze`
/// otherwise waits in silence, and looks hung.
fn read_stdin(analyzer: &mut Analyzer) -> anyhow::Result<()> {
    use std::io::IsTerminal;
    if io::stdin().is_terminal() {
        crate::errln!(
            "zonerescue: reading the log from the terminal: paste it, then press Ctrl-D on a \
             line of its own (or give the log's file name: zonerescue analyze FILE)"
        );
    }
    analyzer.consume_reader(io::stdin().lock()).context("reading standard input")?;
    Ok(())
}

/// One analysis of `files` read one after another (`-` or none: standard input): one report
/// per zone whose attempts follow one another in them.
fn analyze(rules: &RuleSet, files: &[&Path]) -> anyhow::Result<Vec<Report>> {
    let mut analyzer = Analyzer::with_context(rules, AnalysisContext::default());
    if files.is_empty() {
        read_stdin(&mut analyzer)?;
    }
    for f in files {
        if *f == Path::new("-") {
            analyzer.begin_file("<stdin>");
            read_stdin(&mut analyzer)?;
        } else {
            analyzer.begin_file(&f.display().to_string());
            let file = open_log_file(f)?;
            analyzer.consume_reader(file).with_context(|| format!("reading {}", f.display()))?;
        }
    }
    Ok(analyzer.finish_all())
}

/// Opens `path` to read as a log: a regular file, or a pipe (`analyze <(gzcat log.gz)`),
/// its type checked on the open descriptor. A device never ends (/dev/zero, a tape). The
/// open is non-blocking (which reads of a regular file ignore): opening a named pipe no
/// program writes to would block for ever. A pipe is then read blocking as usual, which ends
/// at once when no program has it open for writing.
fn open_log_file(path: &Path) -> anyhow::Result<File> {
    let cannot_open = || format!("cannot open {}", path.display());
    match OpenOptions::new().read(true).custom_flags(libc::O_NONBLOCK).open(path) {
        Ok(file) => match file.metadata().with_context(cannot_open)?.file_type() {
            t if t.is_file() => Ok(file),
            t if t.is_fifo() => {
                blocking(&file).with_context(cannot_open)?;
                Ok(file)
            }
            t => Err(not_a_log(path, t)),
        },
        // Opening a socket fails (ENXIO, EOPNOTSUPP): say what it is rather than why.
        Err(e) => match std::fs::metadata(path) {
            Ok(m) if m.file_type().is_socket() => Err(not_a_log(path, m.file_type())),
            _ => Err(e).with_context(cannot_open),
        },
    }
}

/// Clears O_NONBLOCK: a writer that is slow to write is waited for, not taken for the end.
fn blocking(file: &File) -> io::Result<()> {
    use std::os::fd::AsRawFd;
    let fd = file.as_raw_fd();
    // SAFETY: fcntl on a descriptor this function's caller owns and keeps open; F_GETFL and
    // F_SETFL take and return plain integers.
    let flags = unsafe { libc::fcntl(fd, libc::F_GETFL) };
    if flags < 0 || unsafe { libc::fcntl(fd, libc::F_SETFL, flags & !libc::O_NONBLOCK) } < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// Why `path`, of type `t`, is not read as a log.
fn not_a_log(path: &Path, t: std::fs::FileType) -> anyhow::Error {
    let what = if t.is_char_device() || t.is_block_device() {
        "a device"
    } else if t.is_socket() {
        "a socket"
    } else if t.is_dir() {
        "a directory"
    } else {
        "a special file"
    };
    anyhow::anyhow!("{} is {what}, not a log file", path.display())
}

/// Attach logs of one zone, oldest first: a shell glob (`/var/tmp/z1.attach_log.*`) orders
/// them by their random suffixes, not by attempt, and the last attempt decides the verdict.
/// Only when every file is an attach log by name: the solaris brand's
/// `zoneadm.YYYYMMDDTHHMMSSZ.ZONE.attach` by its timestamp; the others by the date stamp of
/// their first stamped line when each has one (a copy, by `scp` or mail, gets a new
/// modification time), else by modification time. A transcript among them keeps the order
/// given.
fn in_attempt_order(files: &mut [&Path]) {
    let name_stamp = |f: &Path| -> Option<Option<String>> {
        let name = f.file_name()?.to_str()?;
        let stamp = name
            .strip_prefix("zoneadm.")
            .filter(|_| name.ends_with(".attach"))
            .and_then(|rest| rest.split('.').next())
            .map(str::to_string);
        (stamp.is_some() || name.contains(".attach_log.")).then_some(stamp)
    };
    if files.len() < 2 || !files.iter().all(|f| name_stamp(f).is_some()) {
        return;
    }
    let stamps: Vec<Option<_>> = files.iter().map(|f| first_date_stamp(f)).collect();
    if stamps.iter().all(Option::is_some) {
        let mut keyed: Vec<(_, &Path)> = stamps.into_iter().zip(files.iter().copied()).collect();
        keyed.sort_by_key(|k| k.0);
        for (slot, (_, f)) in files.iter_mut().zip(keyed) {
            *slot = f;
        }
        return;
    }
    let key = |f: &Path| -> Option<(Option<String>, std::time::SystemTime)> {
        let modified = std::fs::metadata(f).and_then(|m| m.modified()).ok()?;
        Some((name_stamp(f)?, modified))
    };
    if files.iter().all(|f| key(f).is_some()) {
        files.sort_by_key(|f| key(f));
    }
}

/// The date stamp of the first stamped line among the first lines of log `f`.
fn first_date_stamp(f: &Path) -> Option<(u32, u32, u32, u32, u32, u32)> {
    use std::io::{BufRead, BufReader, Read};
    let file = open_log_file(f).ok()?;
    let reader = BufReader::new(file.take(64 * 1024));
    reader.split(b'\n').take(50).map_while(Result::ok).find_map(|l| super::line::date_stamp(&l))
}

/// One report per zone, so that `analyze /var/tmp/*.attach_log.*` does not diagnose one zone
/// with another's log: each file is analysed alone to learn its zone, then the files of one
/// zone (and those naming none, with the zone's file before them) are read together in the
/// order given, e.g. a terminal transcript with its log file. Two files that name no zone are
/// not taken for one attempt: nothing ties them together.
fn per_zone<'a>(
    rules: &RuleSet,
    files: &'a [PathBuf],
) -> anyhow::Result<Vec<(Vec<&'a Path>, Report)>> {
    // (zone, files, the first file's report, sealed: a file of several zones' attempts, its
    // reports final and joined by no other file)
    let mut groups: Vec<(Option<String>, Vec<&'a Path>, Report, bool)> = Vec::new();
    for f in files {
        let mut each = analyze(rules, &[f.as_path()])?;
        if each.len() != 1 {
            for r in each {
                groups.push((r.zone.clone(), vec![f.as_path()], r, true));
            }
            continue;
        }
        let Some(alone) = each.pop() else { continue };
        let zone = alone.zone.clone();
        let open = |g: &(Option<String>, Vec<&'a Path>, Report, bool)| !g.3;
        let joins = match &zone {
            // A file naming no zone belongs with the one before it, if that one names its zone
            // and nothing in the two says they are not one zone's.
            None => groups.len().checked_sub(1).filter(|&i| {
                open(&groups[i]) && groups[i].0.is_some() && may_be_one_zones(&groups[i].2, &alone)
            }),
            // A zone's files stay together even when another zone's come between them; a
            // last group that named no zone yet takes this file's.
            Some(_) => groups.iter().position(|g| open(g) && g.0 == zone).or_else(|| {
                groups.len().checked_sub(1).filter(|&i| {
                    open(&groups[i])
                        && groups[i].0.is_none()
                        && may_be_one_zones(&alone, &groups[i].2)
                })
            }),
        };
        match joins {
            Some(i) => {
                let g = &mut groups[i];
                if g.0.is_none() {
                    g.0 = zone;
                }
                g.1.push(f.as_path());
            }
            None => groups.push((zone, vec![f.as_path()], alone, false)),
        }
    }
    let mut out = Vec::new();
    for (_, mut files, alone, _) in groups {
        if files.len() == 1 {
            out.push((files, alone));
            continue;
        }
        in_attempt_order(&mut files);
        for report in analyze(rules, &files)? {
            out.push((files.clone(), report));
        }
    }
    Ok(out)
}

/// Whether a file naming no zone (`alone`) may be the same zone's as the file before it
/// (`named`), read alone: not when the two are of different platform generations, nor when one
/// attach succeeded and the other failed (a log and the transcript of one attempt agree; a
/// failure must not be hidden behind the other file's success, nor a success called failed).
fn may_be_one_zones(named: &Report, alone: &Report) -> bool {
    let known = |g: Generation| g != Generation::Unknown;
    if known(named.generation) && known(alone.generation) && named.generation != alone.generation {
        return false;
    }
    let ended = |v: Verdict| matches!(v, Verdict::Attached | Verdict::Failed);
    !(ended(named.verdict) && ended(alone.verdict) && named.verdict != alone.verdict)
}

/// The exit status of several reports: an unexplained failure outweighs a diagnosed one,
/// which outweighs a success.
fn worst_exit(codes: impl Iterator<Item = u8>) -> u8 {
    use crate::exit::{ANALYZE_ATTACHED, ANALYZE_DIAGNOSED, ANALYZE_UNEXPLAINED};
    let rank = |c: u8| match c {
        ANALYZE_ATTACHED => 0,
        ANALYZE_DIAGNOSED => 1,
        ANALYZE_UNEXPLAINED => 2,
        _ => 3,
    };
    codes.max_by_key(|&c| rank(c)).unwrap_or(ANALYZE_ATTACHED)
}

fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::env::var("TERM").map_or(true, |t| t != "dumb")
                && io::stdout().is_terminal()
        }
    }
}
