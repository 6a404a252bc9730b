//! Hostile input: random bytes, NULs, CR, megabyte lines, lines split across read buffers.
//! Nothing may panic, and what can be found must still be found.

use std::io::Read;
use std::sync::LazyLock;

use proptest::prelude::*;
use zonerescue::analysis::{AnalysisContext, Analyzer, RuleSet, Verdict, analyze_reader};

/// Compiled once: compiling the rules in a debug build costs more than a proptest case.
static RULES: LazyLock<RuleSet> = LazyLock::new(|| RuleSet::builtin().unwrap());

/// A reader that hands out at most `step` bytes per read, to split lines across buffers.
struct Trickle<'a> {
    data: &'a [u8],
    step: usize,
}

impl Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.step.min(buf.len()).min(self.data.len());
        buf[..n].copy_from_slice(&self.data[..n]);
        self.data = &self.data[n..];
        Ok(n)
    }
}

const FAILED_LOG: &[u8] = b"[Mon Nov 23 09:40:02 UTC 2026] Log File: /var/tmp/pg01.attach_log.c8Fd2a\n\
pkg install: No solution was found to satisfy constraints\n\
  No suitable version of installed package pkg://omnios/database/postgresql-12@12.16-151046.0 found\n\
[Mon Nov 23 09:41:30 UTC 2026]                     Result: Attach Failed.\n";

#[test]
fn a_megabyte_line_is_skipped_not_swallowed() {
    let rules = RuleSet::builtin().unwrap();
    let mut input = Vec::new();
    input.extend_from_slice(b"Download: ");
    input.extend(std::iter::repeat_n(b'#', 3 << 20)); // one 3 MB line (a progress bar gone wrong)
    input.push(b'\n');
    input.extend_from_slice(FAILED_LOG);
    let r = analyze_reader(&rules, AnalysisContext::default(), &input[..]).unwrap();
    assert_eq!(r.verdict, Verdict::Failed);
    assert_eq!(r.lines_read, 5);
    let f = r.finding("package-removed").unwrap();
    assert_eq!(f.packages, ["database/postgresql-12"]);
    assert_eq!(f.evidence[0].line, 4);
    assert!(r.tail.iter().all(|e| e.text.len() < 1000));
}

#[test]
fn nul_and_cr_do_not_hide_the_failure() {
    let rules = RuleSet::builtin().unwrap();
    let mut input: Vec<u8> = FAILED_LOG
        .iter()
        .flat_map(|&b| if b == b'\n' { vec![b'\r', b'\n'] } else { vec![b] })
        .collect();
    input.splice(0..0, b"\0\0\0\r\n".iter().copied());
    let r = analyze_reader(&rules, AnalysisContext::default(), &input[..]).unwrap();
    assert_eq!(r.verdict, Verdict::Failed);
    assert_eq!(r.recommended.map(|s| s.as_str()), Some("uninstall"));
    assert!(r.findings.iter().flat_map(|f| &f.evidence).all(|e| !e.text.contains('\r')));
}

#[test]
fn lines_split_across_reads_are_reassembled() {
    let rules = RuleSet::builtin().unwrap();
    let whole = analyze_reader(&rules, AnalysisContext::default(), FAILED_LOG).unwrap();
    for step in [1, 2, 3, 7, 64] {
        let r =
            analyze_reader(&rules, AnalysisContext::default(), Trickle { data: FAILED_LOG, step })
                .unwrap();
        assert_eq!(r, whole, "read size {step}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn random_bytes_never_panic(data in proptest::collection::vec(any::<u8>(), 0..4096)) {
        let rules = &*RULES;
        let r = analyze_reader(rules, AnalysisContext::default(), &data[..]).unwrap();
        let newlines = data.iter().filter(|&&b| b == b'\n').count() as u64;
        let partial = u64::from(!data.is_empty() && data.last() != Some(&b'\n'));
        prop_assert_eq!(r.lines_read, newlines + partial);
        let _ = serde_json::to_string(&r).unwrap();
    }

    #[test]
    fn random_lines_mixed_with_real_ones_never_panic_and_stream_the_same(
        junk in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..200), 0..30),
        cut in 0usize..4,
    ) {
        let rules = &*RULES;
        let real: Vec<&[u8]> = FAILED_LOG.split_inclusive(|&b| b == b'\n').collect();
        let mut input = Vec::new();
        for (i, j) in junk.iter().enumerate() {
            input.extend_from_slice(j);
            input.push(b'\n');
            if let Some(l) = real.get(i) {
                input.extend_from_slice(l);
            }
        }
        input.truncate(input.len().saturating_sub(cut));
        let read = analyze_reader(rules, AnalysisContext::default(), &input[..]).unwrap();
        let mut a = Analyzer::new(rules);
        for line in input.split_inclusive(|&b| b == b'\n') {
            a.feed_line(line);
        }
        prop_assert_eq!(a.finish(), read);
    }
}

#[test]
fn a_transcript_stamped_line_by_line_keeps_its_blocks() {
    // The same log piped through a timestamping tool: every line starts with a time.
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/logs/solaris11-publisher-mismatch.log");
    let plain = std::fs::read_to_string(path).unwrap();
    let stamped: String = plain
        .lines()
        .enumerate()
        .map(|(i, l)| {
            let l = l.find("] ").map_or(l, |p| &l[p + 2..]);
            format!("Nov 16 20:{:02}:{:02} {l}\n", i / 60, i % 60)
        })
        .collect();
    let r = analyze_reader(&RULES, AnalysisContext::default(), stamped.as_bytes()).unwrap();
    let f = r.finding("publisher-mismatch").unwrap();
    assert_eq!(f.publishers, ["solaris", "site"]);
    assert_eq!(r.verdict, Verdict::Failed);
    assert_eq!(r.zone.as_deref(), Some("z1"));
}

/// Inputs the fuzzer found (testdata/logs/fuzz-regressions/, raw libFuzzer inputs: the first
/// two bytes choose where the fuzz target splits the input): both input paths must agree.
#[test]
fn fuzz_regressions_stream_and_read_the_same() {
    let dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/logs/fuzz-regressions");
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let data = std::fs::read(&path).unwrap();
        let body = data.get(2..).unwrap_or(&[]);
        let read = analyze_reader(&RULES, AnalysisContext::default(), body).unwrap();
        let mut a = Analyzer::new(&RULES);
        for line in body.split_inclusive(|&b| b == b'\n') {
            a.feed_line(line);
        }
        assert_eq!(a.finish(), read, "{}", path.display());
    }
}

/// What posting a log does to it: (name, transformation of the whole text).
type Paste = (&'static str, fn(&str) -> String);

const PASTES: &[Paste] = &[
    // A mail reply quotes every line, once or twice (`> `, `> > `, a bare `>` for a blank).
    ("quoted", |t| {
        t.lines().map(|l| if l.is_empty() { ">\n".into() } else { format!("> {l}\n") }).collect()
    }),
    ("quoted twice", |t| t.lines().map(|l| format!("> > {l}\n")).collect()),
    // A web archive's page copied as text with its HTML entities (and its quoting as `&gt; `).
    ("html entities", |t| {
        t.lines()
            .map(|l| {
                let l = l.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
                format!("&gt; {}\n", l.replace('\'', "&#39;").replace('"', "&quot;"))
            })
            .collect()
    }),
    // Kept by syslog (/var/adm/messages) or a console logger: a header on every line, with a
    // host alone, or a host, the tag with its pid and Solaris's message id.
    ("syslog", |t| {
        t.lines()
            .map(|l| if l.is_empty() { "\n".into() } else { format!("Mar  3 10:22:33 gz01 {l}\n") })
            .collect()
    }),
    ("syslog with tag and message id", |t| {
        t.lines()
            .map(|l| {
                format!(
                    "Dec 16 11:02:03 gz01.example.com zoneadm[4711]: [ID 702911 daemon.error] {l}\n"
                )
            })
            .collect()
    }),
    // A blog's typography: curly quotes, non-breaking spaces, dashes for hyphens in options.
    ("typography", |t| {
        t.replace('\'', "\u{2019}").replace("  ", "\u{a0} ").replace(" -u", " \u{2013}u")
    }),
];

/// Every fixture, quoted in a mail reply, copied from a web archive or a blog, is diagnosed as
/// the log itself: same verdict, leading finding, recommendation and zone.
#[test]
fn a_posted_log_reads_like_the_log() {
    // A numbered paste (`grep -n`, `cat -n`) is a terminal's: syslog never kept one, and its
    // header hides the number.
    const EXCEPTIONS: &[(&str, &str)] = &[
        ("openindiana-entire-requires-obsolete-python-cat-n.txt", "syslog"),
        ("openindiana-entire-requires-obsolete-python-grep-n.txt", "syslog"),
        ("openindiana-entire-requires-obsolete-python-grep-Hn.txt", "syslog"),
        ("yucas-s10-attach-out-of-sync-grep-n.txt", "syslog"),
        // Wrapped at 72 by a mail client already: a header on each cut line makes the widths
        // the reader sees those of another wrap, and the cuts are not joined.
        ("omnios-entire-requires-unavailable-mail-quoted-72.txt", "syslog"),
        ("omnios-entire-requires-unavailable-mail-quoted-72.txt", "syslog with tag and message id"),
        // A chat log's lines sent through syslog: no one's log looks like that, and the
        // header hides the chat prefix from the paste reader.
        ("omnios4152-irc-log.txt", "syslog"),
        ("omnios4152-irc-log.txt", "syslog with tag and message id"),
        ("omnios4152-weechat-log.txt", "syslog"),
        ("omnios4152-weechat-log.txt", "syslog with tag and message id"),
        ("omnios4152-irc-iso8601.txt", "syslog"),
        ("omnios4152-irc-iso8601.txt", "syslog with tag and message id"),
        ("omnios4152-irc-iso8601-zulu.txt", "syslog"),
        ("omnios4152-irc-iso8601-zulu.txt", "syslog with tag and message id"),
        ("openindiana-python-extra-chat-export.txt", "syslog"),
        ("openindiana-python-extra-chat-export.txt", "syslog with tag and message id"),
        // The same for a multilog file's labelled lines: the header hides the label from the
        // paste reader, which joins the labelled Reject line to the next.
        ("omnios4152-multilog-labelled.txt", "syslog"),
        ("omnios4152-multilog-labelled.txt", "syslog with tag and message id"),
    ];
    let bad = posted_forms_differ(PASTES, EXCEPTIONS);
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

/// Every fixture in every posted form (except the `(file name, form)` listed): where its
/// diagnosis (verdict, leading finding, recommendation, zone) is not that of the log itself,
/// or it is read otherwise when fed line by line.
fn posted_forms_differ(forms: &[Paste], exceptions: &[(&str, &str)]) -> Vec<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/logs");
    let mut bad = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if !path.is_file() {
            continue;
        }
        let data = std::fs::read(&path).unwrap();
        let Ok(text) = std::str::from_utf8(&data) else { continue };
        let file = path.file_name().unwrap().to_string_lossy().to_string();
        let key = |r: &zonerescue::analysis::Report| {
            (r.verdict, r.findings.first().map(|f| f.key.clone()), r.recommended, r.zone.clone())
        };
        let plain =
            key(&analyze_reader(&RULES, AnalysisContext::default(), data.as_slice()).unwrap());
        for (name, paste) in forms {
            let posted = paste(text);
            let r = analyze_reader(&RULES, AnalysisContext::default(), posted.as_bytes()).unwrap();
            if key(&r) != plain && !exceptions.contains(&(file.as_str(), *name)) {
                bad.push(format!("{file} {name}: {:?} became {:?}", plain, key(&r)));
            }
            // Fed line by line, the same.
            let mut a = Analyzer::new(&RULES);
            for line in posted.split_inclusive('\n') {
                a.feed_line(line.as_bytes());
            }
            if a.finish() != r {
                bad.push(format!("{file} {name}: fed line by line, read otherwise"));
            }
        }
    }
    bad
}

/// A mail client's word wrap at `width` columns: a line is broken at the last blank that
/// keeps it within the width (the blank dropped), a word longer than the width stays whole.
fn mail_wrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let mut rest = line;
        while rest.chars().count() > width {
            let limit = rest.char_indices().nth(width).map_or(rest.len(), |(i, _)| i);
            let cut = match rest[..limit].rfind(' ').filter(|&c| c > 0) {
                Some(c) => c,
                None => match rest[limit..].find(' ') {
                    Some(c) => limit + c,
                    None => break,
                },
            };
            out.push_str(&rest[..cut]);
            out.push('\n');
            rest = rest[cut..].trim_start_matches(' ');
        }
        out.push_str(rest);
        out.push('\n');
    }
    out
}

/// A terminal's copy `width` columns wide: every line cut at exactly the width.
fn terminal_cut(text: &str, width: usize) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let chars: Vec<char> = line.chars().collect();
        for (i, part) in chars.chunks(width).enumerate() {
            if i > 0 || !part.is_empty() {
                out.extend(part);
            }
            out.push('\n');
        }
        if chars.is_empty() {
            out.push('\n');
        }
    }
    out
}

/// A forum's code block: every line indented by four blanks.
fn code_block(text: &str) -> String {
    text.lines().map(|l| format!("    {l}\n")).collect()
}

/// Every fixture wrapped by a mail client at 72 columns, or copied from a terminal 80 columns
/// wide, also after a forum indented it as a code block, is diagnosed as the log itself
/// (verdict, leading finding, recommendation, zone), read or fed line by line alike. Known
/// exceptions, each for a reason the wrap destroys:
const WRAP_EXCEPTIONS: &[(&str, &str)] = &[
    // The indentation made the mail client break inside the indentation of the Reject list
    // (a line of blanks, each FMRI alone at column 0 below it): the list is lost.
    ("solaris11-lildude-repository-behind-sru.txt", "code block, mail 72"),
    // The 111-column prompt line breaks before `pkg install`: nothing left says the command
    // ran in the global zone, so it reads as an attach's pkg output.
    ("oi-docs266-gz-install-require-obsolete-chain.txt", "code block, mail 72"),
    // The terminal's `Log File:` line, indented, breaks inside the log's name: nothing left
    // says the terminal output is the same attempt as the log file pasted before it.
    ("openindiana-log-then-terminal-same-attempt.txt", "code block, mail 72"),
    // `grep --color`'s escapes count as columns to this mail wrap, not to a terminal: the
    // lines break where no reader's would, inside the Reject list.
    ("openindiana-entire-requires-obsolete-python-grep-color.txt", "mail 72"),
    ("openindiana-entire-requires-obsolete-python-grep-color.txt", "code block, mail 72"),
    // grep's file name before each line: the mail wrap's widths are those of the prefixed
    // lines, the reader's those with the prefix taken off, so the cut lines are not joined.
    ("openindiana-entire-requires-obsolete-python-grep-Hn.txt", "mail 72"),
    ("openindiana-entire-requires-obsolete-python-grep-Hn.txt", "code block, mail 72"),
    // The plain attach's indented "out of sync with the global zone" line breaks inside those words:
    // nothing left says the last attach only asked for -u, so it is judged on its own.
    ("session-oi-attach-u-fails-then-plain-attach.txt", "code block, mail 72"),
    // The indented `Reject:` line breaks before its FMRI, which lands at column 0: the package
    // is not named, so the uninstall a Solaris 11 zone needs for it cannot be advised.
    ("solaris11-attach-parent-package-different-publisher.log", "code block, mail 72"),
    // A chat log's time and nick before each line: the mail wrap's widths are those of the
    // prefixed lines, the reader's those with the prefix taken off (as for grep -H above).
    ("omnios4152-irc-log.txt", "code block, mail 72"),
    // WeeChat's longer prefix (date, time, the padded nick) puts its lines past 72 and 80
    // columns where the irssi form's fit: every wrap cuts prefixed lines.
    ("omnios4152-weechat-log.txt", "mail 72"),
    ("omnios4152-weechat-log.txt", "terminal 80"),
    ("omnios4152-weechat-log.txt", "code block, mail 72"),
    ("omnios4152-weechat-log.txt", "code block, terminal 80"),
    // The ISO 8601 chat prefix and multilog's 26-column label alike: prefixed lines past the
    // wrap's width are cut where the reader's widths (prefix taken off) do not join them.
    ("omnios4152-irc-iso8601.txt", "mail 72"),
    ("omnios4152-irc-iso8601.txt", "terminal 80"),
    ("omnios4152-irc-iso8601.txt", "code block, mail 72"),
    ("omnios4152-irc-iso8601.txt", "code block, terminal 80"),
    ("omnios4152-irc-iso8601-zulu.txt", "mail 72"),
    ("omnios4152-irc-iso8601-zulu.txt", "terminal 80"),
    ("omnios4152-irc-iso8601-zulu.txt", "code block, mail 72"),
    ("omnios4152-irc-iso8601-zulu.txt", "code block, terminal 80"),
    ("openindiana-python-extra-chat-export.txt", "mail 72"),
    ("openindiana-python-extra-chat-export.txt", "terminal 80"),
    ("openindiana-python-extra-chat-export.txt", "code block, mail 72"),
    ("openindiana-python-extra-chat-export.txt", "code block, terminal 80"),
    ("omnios4152-multilog-labelled.txt", "mail 72"),
    ("omnios4152-multilog-labelled.txt", "code block, mail 72"),
    ("omnios4152-multilog-labelled.txt", "code block, terminal 80"),
    // The typed dry run's line (81 columns) breaks inside its entire@ FMRI: nothing left says
    // it previews the attach's own solve, so it reads as a look ahead.
    ("omnios4152-terminal-then-dry-run.txt", "mail 72"),
    ("omnios4152-terminal-then-dry-run.txt", "code block, mail 72"),
    ("openindiana-terminal-then-dry-run.txt", "mail 72"),
    ("openindiana-terminal-then-dry-run.txt", "code block, mail 72"),
    ("s11express-terminal-then-dry-run.txt", "mail 72"),
    ("s11express-terminal-then-dry-run.txt", "code block, mail 72"),
    // Indented as a code block, the dated `Result: Attach Succeeded.` line (84 columns) breaks
    // inside those words: the second zone's attach reads as cut short.
    ("solaris11-tail-relative-headers-two-zones.txt", "code block, mail 72"),
    // The indented `pkg list` row breaks before its IFO column: the freeze is not shown, and
    // the terminal without a reason reads as a log to be found elsewhere.
    ("openindiana-terminal-then-list-with-frozen.txt", "code block, mail 72"),
];

#[test]
fn a_wrapped_log_reads_like_the_log() {
    let wraps: [Paste; 4] = [
        ("mail 72", |t| mail_wrap(t, 72)),
        ("terminal 80", |t| terminal_cut(t, 80)),
        ("code block, mail 72", |t| mail_wrap(&code_block(t), 72)),
        ("code block, terminal 80", |t| terminal_cut(&code_block(t), 80)),
    ];
    let bad = posted_forms_differ(&wraps, WRAP_EXCEPTIONS);
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}
