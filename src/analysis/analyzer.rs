//! The streaming analyzer: one pass over the input, bounded memory.
//!
//! Lines go in one at a time ([`Analyzer::feed_line`], what the recovery engine does while an
//! attach runs) or as a whole reader ([`Analyzer::consume_reader`], which finds candidate lines
//! in large buffers with one multi-pattern regex and never looks at the other lines one by
//! one). Only evidence lines, a few notable lines and the last lines are kept.

use std::collections::VecDeque;
use std::io::{self, Read};

use memchr::{memchr, memchr_iter, memrchr};
use regex::bytes::Regex;

use super::context::AnalysisContext;
use super::findings::{Acc, FindingBuilder, keys};
use super::generation::{Generation, GenerationVotes};
use super::line::{
    MAX_MATCH_LEN, depaste, display, display_at, has_timestamp, normalise, offset_in,
    package_subject, subject,
};
use super::markers::Marker;
use super::report::{Evidence, FollowedUp, LogKind, Report};
use super::rules::{PatternOwner, Refinement, RuleSet, Subject};
use super::wrap::{self, Widths};
use crate::commands::Version;
use crate::commands::fmri::DotSequence;
use crate::playbook::glob_match;

/// Bytes read per buffer in [`Analyzer::consume_reader`].
const CHUNK: usize = 1 << 20;
/// Lines kept from the end of the input.
const TAIL_LINES: usize = 8;
/// Notable lines kept (the most recent ones).
const NOTABLE_LINES: usize = 40;
/// Lines kept that show what kind of operation an attempt is (install, onu).
const KIND_LINES: usize = 6;
/// Evidence lines kept per finding.
pub(crate) const MAX_EVIDENCE: usize = 30;
/// Subjects (packages, publishers …) kept per finding.
pub(crate) const MAX_SUBJECTS: usize = 100;

/// Facts about the host and zone gathered from the whole input.
#[derive(Clone, Debug, Default)]
pub(crate) struct Facts {
    pub zone: Option<String>,
    pub zone_root: Option<String>,
    /// The zonepath as zoneadm named it (its checks of the zonepath).
    pub zonepath: Option<String>,
    pub log_file: Option<String>,
    pub gz_entire: Option<String>,
    pub zone_entire: Option<String>,
    /// Lines that named the `entire` versions (evidence for version-jump).
    pub entire_lines: Vec<Evidence>,
    pub gz_publishers: Vec<String>,
    /// The publisher of the `entire` the attach installs (`PKG: install … pkg://P/entire@…`):
    /// the global zone's own, its first.
    pub entire_publisher: Option<String>,
    /// pkg refreshed none of the image's catalogs (`pkg: 0/N catalogs successfully updated`).
    pub no_catalog_refreshed: bool,
    pub disabled_publishers: Vec<String>,
    /// Publishers listed by a `pkg -R <zone root> publisher` table in the input.
    pub zone_publishers: Vec<String>,
    /// A `pkg publisher` table of the global zone was in the input: its list is complete.
    pub gz_table_seen: bool,
    pub datasets: Vec<String>,
    /// Packages an install asked for (`pkg install: No matching version of PKG …`, or named on
    /// a typed `pkg install` command line): not installed, so never a package to uninstall.
    pub requested: Vec<String>,
    /// Packages a typed `pkg update PKG…` named (realworld mm F1): installed, asked for at a
    /// version the installed release may not allow, so never a package to uninstall either.
    pub update_named: Vec<String>,
    /// Packages the release itself requires (`Reject: …/entire@…` then `Reason: … 'require'
    /// dependency … PKG`): removing one cannot help, the release would require it again.
    pub release_requires: Vec<String>,
    /// Packages a core package requires (`Reject: …/system/library@…` then `Reason: …
    /// 'require' dependency … PKG`), with that core package: pkg refuses to remove what an
    /// installed package depends on, and the update would require it again.
    pub core_requires: Vec<(String, String)>,
    /// Installed packages the zone has at a newer version than the global zone allows (`Global
    /// zone has an older version`, or excluded by a synced parent incorporation of an older
    /// release): the zone is ahead of the global zone, and pkg never moves a package back.
    pub zone_ahead: Vec<String>,
    /// Packages a version of which the release offers but an incorporation the zone has
    /// installed of its own (a site's pin, not the release's) excludes, with that pin: they
    /// move on once the pin is uninstalled, so they are no package to uninstall.
    pub pinned: Vec<(String, String)>,
    /// pkg spoke of an image that is a zone (see [`Marker::ChildImage`]).
    pub child_image: bool,
    /// zoneadm refused an operation because the zone is up (`running` or `ready`), and the
    /// line that said so.
    pub zone_active: Option<(String, Evidence)>,
}

/// State of the current attach attempt; a new attempt starts when a start marker follows a
/// concluded one (several attempts appended to one transcript or log).
#[derive(Debug, Default)]
pub(crate) struct Attempt {
    pub first_line: u64,
    pub started: bool,
    pub log: Option<String>,
    /// The brand's last word: Some(true) succeeded, Some(false) failed.
    pub outcome: Option<bool>,
    pub error_lines: bool,
    /// Some of those error lines are pkg's own (`pkg install: …`).
    pub pkg_errors: bool,
    /// Some of them are of the linked-image sync an attach runs (`pkg sync-linked: …`).
    pub sync_errors: bool,
    pub pkg_success: bool,
    /// The line of the attempt's first solver answer (`No matching version of …`).
    pub solver_line: Option<u64>,
    pub brand_lines: bool,
    pub pkg_lines: bool,
    /// Lines with a log helper's timestamp: the input is the brand's log file itself.
    pub dated_lines: bool,
    /// What operation this attempt is (an attach unless its own lines say otherwise).
    pub kind: LogKind,
    /// The attempt is a `pkg` command typed without `-R`: it works on the image it runs in,
    /// the global zone's unless typed in a zone (`in_zone`).
    pub gz_pkg: bool,
    /// The image its typed command named ([`typed_image`]).
    pub typed_image: Option<String>,
    /// That command was typed in a zone: through `zlogin ZONE pkg …`, or in a zlogin session.
    pub in_zone: bool,
    /// The lines that said so.
    pub kind_lines: Vec<Evidence>,
    /// The attempt is the global zone's pkg operation on its linked children (its zones):
    /// the lines that show it (see [`Marker::LinkedParent`]).
    pub parent_lines: Vec<Evidence>,
    /// A `zoneadm -z ZONE attach` was typed for this attempt.
    pub attach_typed: bool,
    /// That command was `attach -F`: forced in, no update (see [`Analyzer::echo_of`]).
    pub forced: bool,
    /// Another zoneadm subcommand was typed for this attempt (see [`Marker::ZoneadmCommand`]).
    pub zoneadm_verb: Option<&'static str>,
    /// The solver's answer is to a `pkg install` (`pkg install: No matching version of …`):
    /// the packages it proposes were asked for.
    pub install_solve: bool,
    pub accs: Vec<Acc>,
    /// The input is binary data (see [`Analyzer::is_binary`]): nothing in it was read as a log.
    pub not_text: bool,
    /// A typed pkg command refused because its patterns matched nothing (`pkg fix: no
    /// packages matching …`): it changed nothing (see [`matched_nothing`]).
    pub matched_nothing: bool,
}

impl Attempt {
    fn concluded(&self) -> bool {
        self.outcome.is_some()
    }

    pub(crate) fn has_content(&self) -> bool {
        self.brand_lines || self.pkg_lines || !self.accs.is_empty() || self.error_lines
    }
}

#[derive(Clone, Copy, Debug)]
struct Follow {
    rule: usize,
    remaining: u32,
    /// The block's first line had a timestamp: the whole input is stamped line by line
    /// (e.g. piped through `ts`), so a stamp does not mark the brand speaking again.
    stamped: bool,
}

/// A line held back until the next one is seen: an FMRI that a terminal or a web page wrapped
/// continues on the next line (`…dependency on pkg:/library/python-2` +
/// `/python-sexy-26@0.1.9-… cannot be found`), and only the joined line names the package; or
/// a line that a mail client or a terminal cut at its width (see [`Widths`]).
#[derive(Debug)]
struct Held {
    /// The line number of its first part.
    n: u64,
    /// Its parts joined so far.
    raw: Vec<u8>,
    /// Its last part as it was in the input (whose width says whether it was cut).
    last: Vec<u8>,
    parts: u32,
}

/// Parts joined into one line at most (a paragraph a mail client wrapped is a few).
const MAX_PARTS: u32 = 12;

/// The `Reject:` list of the solver error block being read: the package the operation asked
/// for (`No matching version of PKG can be installed:`), the package rejected, its publisher,
/// the newest release branch of the versions listed (`None` when one has none, see
/// [`release_branch`]) and the `Reject:` line itself.
#[derive(Debug, Default)]
struct RejectList {
    proposed: Option<String>,
    package: Option<String>,
    publisher: Option<String>,
    newest: Option<DotSequence>,
    first: Option<Evidence>,
    /// The last version listed below the `Reject:` line (the newest the repository offers).
    last: Option<Evidence>,
    last_line: u64,
    /// The block is `No suitable version of installed package`: its first `Reject:` is the
    /// version installed.
    installed: bool,
}

impl RejectList {
    /// Take one more version listed; a version without a release branch spoils the list.
    fn listed(&mut self, version: Option<String>, first: bool) {
        let branch = version.as_deref().and_then(release_branch);
        self.newest = match (first, branch, self.newest.take()) {
            (true, b, _) => b,
            (false, Some(b), Some(cur)) => Some(b.max(cur)),
            (false, _, _) => None,
        };
    }
}

/// Streaming attach-log analyzer. Create one per analysis; it borrows the compiled rules.
pub struct Analyzer<'r> {
    rules: &'r RuleSet,
    ctx: AnalysisContext,
    line_no: u64,
    attempts: u32,
    attempt: Attempt,
    /// The attempt before the current one, taken back only while the current one has nothing
    /// of its own: a typed `zoneadm attach` after a `cat` of its log file may be that very
    /// attempt's terminal output (same `Log File:`), pasted second.
    previous: Option<Attempt>,
    facts: Facts,
    /// The attempt in which `facts.zone` was learnt.
    zone_attempt: u32,
    votes: GenerationVotes,
    has_log_file_line: bool,
    notable: VecDeque<Evidence>,
    tail: VecDeque<Evidence>,
    follow: Option<Follow>,
    last_reject: Option<String>,
    rejects: RejectList,
    /// A candidate line that may continue on the next one (see [`Held`]).
    held: Option<Held>,
    /// The line widths seen so far in the current file: whether it was wrapped, and where.
    widths: Widths,
    /// A line longer than a buffer is being skipped up to its end.
    skipping_long_line: bool,
    /// Inside a pasted `pkg publisher` table: Some(true) a zone's, Some(false) the global
    /// zone's (a table without its command line counts as the global zone's).
    publisher_table: Option<bool>,
    /// Inside a zlogin session: commands typed now run in the zone.
    zone_session: bool,
    /// A log is being followed at the prompt (see [`Marker::Follower`]).
    following: bool,
    /// The output of a pkg command typed with `-n` / `--dry-run` after an attempt is being
    /// read: a preview, which changed nothing, so neither an attempt nor evidence about the
    /// last one, up to the next command typed (or a log's start).
    previewing: bool,
    /// That preview works on the image of the pkg command before it (neither has `-R`): what
    /// it shows of the image (a synced parent: a zone's) is that image's too.
    preview_same_image: bool,
    /// Another zoneadm subcommand typed (see [`Marker::ZoneadmCommand`]), its line and the
    /// operation it is: it starts an attempt of its own only when a line of its output says
    /// something (a bare `zoneadm boot` after an attach that succeeded changes nothing).
    pending_verb: Option<(u64, &'static str, Vec<u8>)>,
    /// The files read, each with its first line in the whole input.
    files: Vec<(u64, String)>,
    /// Bytes seen other than NUL and newline, and how many of them are control bytes no text
    /// holds (see [`is_binary_byte`]).
    text_bytes: u64,
    binary_bytes: u64,
    /// Reports of the zones earlier in the input whose attempts were followed by another
    /// zone's (a loop over zones pasted whole): one report each, see [`Analyzer::finish_all`].
    done: Vec<Report>,
    /// The first line of the zone whose attempts are being read.
    segment_start: u64,
}

impl<'r> Analyzer<'r> {
    pub fn new(rules: &'r RuleSet) -> Analyzer<'r> {
        Analyzer::with_context(rules, AnalysisContext::default())
    }

    pub fn with_context(rules: &'r RuleSet, ctx: AnalysisContext) -> Analyzer<'r> {
        Analyzer {
            rules,
            ctx,
            line_no: 0,
            attempts: 0,
            attempt: Attempt::default(),
            previous: None,
            facts: Facts::default(),
            zone_attempt: 0,
            votes: GenerationVotes::default(),
            has_log_file_line: false,
            notable: VecDeque::new(),
            tail: VecDeque::new(),
            follow: None,
            last_reject: None,
            rejects: RejectList::default(),
            held: None,
            widths: Widths::default(),
            skipping_long_line: false,
            publisher_table: None,
            zone_session: false,
            following: false,
            previewing: false,
            preview_same_image: false,
            pending_verb: None,
            files: Vec::new(),
            text_bytes: 0,
            binary_bytes: 0,
            done: Vec::new(),
            segment_start: 1,
        }
    }

    /// The lines fed from now on come from the file `name` (several files read as one input:
    /// the report names each evidence line's file).
    pub fn begin_file(&mut self, name: &str) {
        // A file's last line does not go on in the next file, which has its own widths.
        if let Some(h) = self.held.take() {
            self.classify(h.n, &h.raw);
        }
        self.widths = Widths::default();
        self.files.push((self.line_no + 1, name.to_string()));
    }

    /// Lines seen so far.
    pub fn lines_read(&self) -> u64 {
        self.line_no
    }

    /// Feed one line (with or without its line end). Any bytes are accepted.
    pub fn feed_line(&mut self, line: &[u8]) {
        self.tally(line);
        self.line_no += 1;
        let n = self.line_no;
        let line = depaste(line);
        push_bounded(&mut self.tail, Evidence::new(n, display(&line)), TAIL_LINES);
        self.widths.see(&line);
        self.handle(n, &line);
    }

    /// Read everything from `r` (one pass, buffers of 1 MiB; memory does not grow with the
    /// input). Lines continue the numbering of what was fed before.
    pub fn consume_reader<R: Read>(&mut self, r: R) -> io::Result<()> {
        // A log saved as UTF-16 is read as the text it holds.
        let mut r = super::encoding::Utf8Reader::new(r);
        let mut buf = vec![0u8; CHUNK];
        let mut filled = 0usize;
        loop {
            let n = match r.read(&mut buf[filled..]) {
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            let eof = n == 0;
            self.tally(&buf[filled..filled + n]);
            filled += n;
            if !eof && filled < buf.len() {
                continue;
            }
            // Complete lines end at the last newline; at EOF the rest is a line too.
            let end = match memrchr(b'\n', &buf[..filled]) {
                Some(p) => p + 1,
                None if eof => filled,
                None => {
                    // One line longer than the buffer: analyse its start, skip the rest.
                    if !self.skipping_long_line {
                        self.scan_region(&buf[..filled], true);
                    }
                    self.skipping_long_line = true;
                    filled = 0;
                    continue;
                }
            };
            if self.skipping_long_line {
                // The end of an over-long line: already counted, not analysed again.
                let nl = memchr(b'\n', &buf[..end]).map_or(end, |p| p + 1);
                self.skipping_long_line = false;
                self.scan_region(&buf[nl..end], false);
            } else {
                self.scan_region(&buf[..end], false);
            }
            buf.copy_within(end..filled, 0);
            filled -= end;
            if eof && filled == 0 {
                return Ok(());
            }
        }
    }

    /// Analyse a buffer of whole lines (the last one may lack its newline). `partial` marks a
    /// buffer that is only the start of one long line.
    fn scan_region(&mut self, region: &[u8], partial: bool) {
        if region.is_empty() {
            return;
        }
        // What posting did to the lines is undone first (it keeps every newline).
        let region = &*depaste(region);
        let scanner = self.rules.scanner();
        let mut counted = 0usize; // first byte whose line is not numbered yet
        let mut pos = 0usize;
        let line_end = |ls: usize| memchr(b'\n', &region[ls..]).map_or(region.len(), |p| ls + p);
        while pos < region.len() {
            let start = if self.follow.is_some() || self.held.is_some() {
                Some(pos)
            } else {
                scanner.find(region, pos)
            };
            let target = start.map(|s| memrchr(b'\n', &region[..s]).map_or(0, |p| p + 1).max(pos));
            // Every line before the one found counts for the widths, and one that may have
            // been cut at the wrap width is looked at (its rest may complete a pattern).
            let mut ls = pos;
            let mut cut = false;
            while !self.widths.unwrapped() && ls < target.unwrap_or(region.len()) {
                let le = line_end(ls);
                self.widths.see(&region[ls..le]);
                if self.widths.may_be_cut(&region[ls..le]) {
                    cut = true;
                    break;
                }
                ls = le + 1;
            }
            let ls = match target {
                _ if cut => ls,
                Some(t) => {
                    self.widths.see(&region[t..line_end(t)]);
                    t
                }
                None => break,
            };
            let le = line_end(ls);
            self.line_no += memchr_iter(b'\n', &region[counted..ls]).count() as u64 + 1;
            let n = self.line_no;
            self.handle(n, &region[ls..le]);
            counted = (le + 1).min(region.len());
            pos = le + 1;
        }
        if counted < region.len() {
            let rest = &region[counted..];
            self.line_no += memchr_iter(b'\n', rest).count() as u64;
            if !partial && rest.last() != Some(&b'\n') {
                self.line_no += 1; // last line without a newline
            }
        }
        if partial && counted == 0 {
            self.line_no += 1;
        }
        self.remember_tail(region);
    }

    /// Keep the last lines of a region (numbered back from the current line).
    fn remember_tail(&mut self, region: &[u8]) {
        let body = region.strip_suffix(b"\n").unwrap_or(region);
        let mut lines = Vec::with_capacity(TAIL_LINES);
        let mut end = body.len();
        while lines.len() < TAIL_LINES {
            let start = memrchr(b'\n', &body[..end]).map_or(0, |p| p + 1);
            lines.push(&body[start..end]);
            if start == 0 {
                break;
            }
            end = start - 1;
        }
        let last = self.line_no;
        for (i, l) in lines.iter().enumerate().rev() {
            let n = last.saturating_sub(i as u64);
            push_bounded(&mut self.tail, Evidence::new(n, display(l)), TAIL_LINES);
        }
    }

    /// Count the bytes that tell text from binary data (newlines are not counted, so a line
    /// fed alone and the same line in a buffer count the same).
    fn tally(&mut self, bytes: &[u8]) {
        let (mut text, mut binary) = (0u64, 0u64);
        for &b in bytes {
            text += u64::from(b != 0 && b != b'\n');
            binary += u64::from(is_binary_byte(b));
        }
        self.text_bytes += text;
        self.binary_bytes += binary;
    }

    /// The input is binary data, not a log: at least 16 control bytes that no log or
    /// terminal output holds, and 1 in 100 of its bytes or more. NUL bytes do not count
    /// either way: a log cut short by a crash may end in a block of them.
    pub fn is_binary(&self) -> bool {
        self.binary_bytes >= 16 && self.binary_bytes * 100 >= self.text_bytes
    }

    /// Take one line: joined to a held line it continues, held itself when it may continue on
    /// the next line, otherwise classified.
    fn handle(&mut self, n: u64, raw: &[u8]) {
        if let Some(h) = self.held.take() {
            let joined = join_wrapped(&h.raw, raw).or_else(|| {
                self.widths.continues(&h.last, raw).map(|cut| match cut {
                    // Whichever join more patterns match (a word split, or two words).
                    wrap::Cut::Either => {
                        let hard = wrap::join(&h.raw, raw, wrap::Cut::Hard);
                        let word = wrap::join(&h.raw, raw, wrap::Cut::Word);
                        if self.matches(&hard) > self.matches(&word) { hard } else { word }
                    }
                    cut => wrap::join(&h.raw, raw, cut),
                })
            });
            if let Some(joined) = joined {
                // The joined line may go on in turn.
                if h.parts < MAX_PARTS
                    && joined.len() <= MAX_MATCH_LEN
                    && (self.may_continue(&joined) || self.widths.may_be_cut(raw))
                {
                    self.held =
                        Some(Held { n: h.n, raw: joined, last: raw.to_vec(), parts: h.parts + 1 });
                } else {
                    self.classify(h.n, &joined);
                }
                return;
            }
            self.classify(h.n, &h.raw);
        }
        if raw.len() <= MAX_MATCH_LEN
            && (self.may_continue(raw)
                || self.widths.may_be_cut(raw)
                || (self.widths.width().is_some() && self.is_candidate(raw)))
        {
            self.held = Some(Held { n, raw: raw.to_vec(), last: raw.to_vec(), parts: 1 });
            return;
        }
        self.classify(n, raw);
    }

    /// Whether a line may be the first part of a wrapped one: it ends in an FMRI or in the
    /// words pkg puts before one, and it is a line the reader path looks at (it holds a rule's
    /// or marker's literal), so that both paths hold the same lines.
    fn may_continue(&self, raw: &[u8]) -> bool {
        let norm = normalise(raw);
        wrap_shape(norm).is_some() && raw.len() <= MAX_MATCH_LEN && self.is_candidate(raw)
    }

    /// How many patterns match this line.
    fn matches(&self, raw: &[u8]) -> usize {
        let norm = normalise(raw);
        match self.rules.scanner().candidates(norm) {
            Some(c) => c
                .into_iter()
                .filter(|&i| self.rules.owner(i).is_some_and(|o| o.regex().is_match(norm)))
                .count(),
            None => self.rules.set().matches(norm).iter().count(),
        }
    }

    /// Whether the reader path looks at this line: it holds a rule's or a marker's literal.
    fn is_candidate(&self, raw: &[u8]) -> bool {
        let norm = normalise(raw);
        match self.rules.scanner().candidates(norm) {
            Some(c) => !c.is_empty(),
            None => self.rules.set().is_match(norm),
        }
    }

    /// Classify one line.
    fn classify(&mut self, n: u64, raw: &[u8]) {
        let norm = normalise(raw);
        let dated = has_timestamp(raw);
        if dated {
            // A block of pkg output ends where the brand speaks again.
            if self.follow.is_some_and(|f| !f.stamped) {
                self.follow = None;
            }
        }
        if self.follow.is_some() && is_prompt(norm) {
            // The next command typed: the block of output followed is over.
            self.follow = None;
        }
        if let Some(f) = self.follow
            && !norm.is_empty()
        {
            self.follow_line(f.rule, n, raw, norm);
            self.follow = (f.remaining > 1).then_some(Follow { remaining: f.remaining - 1, ..f });
        }
        if norm.is_empty() {
            return;
        }
        // The patterns that may match (by their required literals), each confirmed by its
        // own regex; without literals, the whole set decides.
        let matched: Vec<usize> = match self.rules.scanner().candidates(norm) {
            Some(c) => c
                .into_iter()
                .filter(|&i| self.rules.owner(i).is_some_and(|o| o.regex().is_match(norm)))
                .collect(),
            None => {
                let set = self.rules.set();
                if !set.is_match(norm) {
                    return;
                }
                set.matches(norm).iter().collect()
            }
        };
        // Only lines that matched something may change state: the reader path never looks
        // at the others, and both paths must conclude the same.
        if dated && !matched.is_empty() {
            self.attempt.dated_lines = true;
        }
        if self.previewing && !matched.is_empty() {
            let boundary = matched.iter().any(|&i| {
                matches!(
                    self.rules.owner(i),
                    Some(PatternOwner::Marker(
                        Marker::Command(_)
                            | Marker::ZoneadmCommand
                            | Marker::AttemptStart
                            | Marker::PublisherTable { .. }
                            | Marker::Follower,
                        _
                    ))
                )
            });
            if !boundary {
                // (realworld vv F4: a zone's session read as the global zone's.)
                let child = |&i: &usize| {
                    matches!(self.rules.owner(i), Some(PatternOwner::Marker(Marker::ChildImage, _)))
                };
                if self.preview_same_image && matched.iter().any(child) {
                    self.facts.child_image = true;
                }
                return;
            }
            self.previewing = false;
        }
        if self.pending_verb.is_some() && !matched.is_empty() {
            self.settle_pending_verb(&matched);
        }
        for i in matched {
            match self.rules.owner(i) {
                Some(PatternOwner::Rule(ri, re)) => self.rule_hit(ri, re, n, raw, norm),
                Some(PatternOwner::Marker(m, re)) => self.marker_hit(m, re, n, raw, norm),
                None => {}
            }
        }
    }

    fn acc_mut(&mut self, rule: usize) -> &mut Acc {
        let idx = match self.attempt.accs.iter().position(|a| a.rule == rule) {
            Some(i) => i,
            None => {
                self.attempt.accs.push(Acc::new(rule));
                self.attempt.accs.len() - 1
            }
        };
        &mut self.attempt.accs[idx]
    }

    fn rule_hit(&mut self, ri: usize, re: &Regex, n: u64, raw: &[u8], norm: &[u8]) {
        let Some(rule) = self.rules.rules().get(ri) else { return };
        let Some(caps) = re.captures(norm) else { return };
        let is_reason = norm.starts_with(b"Reason:");
        if is_reason
            && rule.refine == Some(Refinement::RepositoryBehind)
            && self.repository_behind(n, raw, norm)
        {
            return;
        }
        if self.following && norm.starts_with(b"^C") && rule.key == keys::INTERRUPTED {
            // The operator's Ctrl-C ended the `tail -f` (pressed twice, too): the attach may
            // well go on. Only a command typed next ends the following.
            return;
        }
        let reject = self.last_reject.clone().filter(|_| is_reason);
        // `requirer`: a line that names the package that requires (not the one required).
        let requirer = caps.name("requirer");
        let named = caps.name("package").or(requirer).and_then(|m| package_subject(m.as_bytes()));
        if named.as_ref().is_some_and(|p| rule.ignore_packages.iter().any(|i| package_stem(p) == i))
        {
            return;
        }
        if let (Some(p), Some(r)) = (named.as_ref(), reject.as_ref())
            && norm.windows(9).any(|w| w == b"'require'")
        {
            let stem = package_stem(p).to_string();
            if is_structural(&rule.structural, r) {
                push_unique(&mut self.facts.release_requires, stem);
            } else if crate::playbook::Playbook::is_builtin_core(package_stem(r)) {
                let pair = (stem, package_stem(r).to_string());
                if !self.facts.core_requires.contains(&pair) {
                    self.facts.core_requires.push(pair);
                }
            }
        }
        if let (Some(p), Some(r)) = (named.as_ref(), reject.as_ref())
            && norm.windows(35).any(|w| w == b"excluded by installed incorporation")
            && !is_structural(&rule.structural, p)
            && !crate::playbook::Playbook::is_builtin_core(package_stem(p))
        {
            let pair = (package_stem(r).to_string(), package_stem(p).to_string());
            push_unique(&mut self.facts.pinned, pair);
        }
        if let Some(r) = reject.as_ref().filter(|_| self.zone_is_ahead(norm)) {
            push_unique(&mut self.facts.zone_ahead, package_stem(r).to_string());
        }
        let package = match named {
            // A hit about the release's own packages only is no hit (`structural`).
            Some(p) => {
                let from = if requirer.is_some() { Subject::Named } else { rule.subject };
                match hit_subject(p, reject, from, is_reason, &rule.structural) {
                    Some(s) => s,
                    None => return,
                }
            }
            // A Reason that names no package is about the rejected one.
            None => reject.and_then(|p| {
                hit_subject(p, None, Subject::Named, true, &rule.structural).flatten()
            }),
        };
        self.ensure_started(n);
        let follow = rule.follow;
        self.take_facts(&caps, n, raw);
        // A long line (a post flattened onto one) is shown around what matched.
        let at = offset_in(raw, norm) + caps.get(0).map_or(0, |m| m.start());
        let acc = self.acc_mut(ri);
        acc.push_evidence(Evidence::new(n, display_at(raw, at)));
        acc.add_subjects(&caps, false);
        if let Some(p) = package {
            acc.add_package(p);
        }
        if follow > 0 {
            self.follow = Some(Follow { rule: ri, remaining: follow, stamped: has_timestamp(raw) });
        }
    }

    /// `refine = "repository-behind"`: the installed incorporation excludes every version of
    /// the very package the operation asked for, and each of them is older than that
    /// incorporation. Then nothing pins the package: the repository only offers releases before
    /// the one installed (an image updated from a support repository, pointed at the release
    /// repository since), and the hit is recorded as that finding instead. True when it was.
    fn repository_behind(&mut self, n: u64, raw: &[u8], norm: &[u8]) -> bool {
        let r = &self.rejects;
        let (Some(asked), Some(rejected)) = (&r.proposed, &r.package) else { return false };
        let Some(newest) = &r.newest else { return false };
        if package_stem(asked) != package_stem(rejected) {
            return false;
        }
        // The incorporation's FMRI ends the line ("… installed incorporation pkg://…@V").
        let last = norm.rsplit(|&b| b == b' ').next().unwrap_or_default();
        let installed = String::from_utf8_lossy(last);
        let Some(installed) = installed.split_once('@').and_then(|(_, v)| release_branch(v)) else {
            return false;
        };
        if *newest >= installed {
            return false;
        }
        let Some(ri) = self.rules.rules().iter().position(|r| r.key == keys::REPOSITORY_BEHIND)
        else {
            return false;
        };
        let listed: Vec<Evidence> = r.first.iter().chain(&r.last).cloned().collect();
        let (package, publisher) = (rejected.clone(), r.publisher.clone());
        self.ensure_started(n);
        let acc = self.acc_mut(ri);
        for e in listed {
            acc.push_evidence(e);
        }
        acc.add_evidence(n, raw);
        acc.add_package(package_stem(&package).to_string());
        if let Some(p) = publisher {
            push_unique(&mut acc.publishers, p);
        }
        true
    }

    fn follow_line(&mut self, ri: usize, n: u64, raw: &[u8], norm: &[u8]) {
        let pattern = self.rules.rules().get(ri).and_then(|r| r.follow_pattern.as_ref());
        let acc = self.acc_mut(ri);
        acc.add_evidence(n, raw);
        if let Some(re) = pattern {
            acc.add_captures(re, norm);
        }
    }

    /// A `Reason:` that the installed version rejected is newer than the global zone allows:
    /// pkg says the parent's is older, or the synced parent incorporation that excludes it is
    /// of an older release than the installed version (a repository's newer candidates
    /// excluded by it are no such sign: only a block about an installed package counts).
    fn zone_is_ahead(&self, norm: &[u8]) -> bool {
        let text = String::from_utf8_lossy(norm);
        if super::findings::parent_is_older(&text) {
            return true;
        }
        const SYNCED: &str = "Excluded by synced parent incorporation";
        let Some((_, rest)) = text.split_once(SYNCED) else { return false };
        let fmri = rest.trim().trim_matches(|c| c == '\'' || c == '"');
        let fmri = fmri.split(['\'', '"', ' ']).next().unwrap_or_default();
        let parent = fmri.split_once('@').and_then(|(_, v)| release_branch(v));
        let r = &self.rejects;
        match (parent, &r.newest) {
            (Some(parent), Some(zone)) => r.installed && r.last.is_none() && *zone > parent,
            _ => false,
        }
    }

    fn ensure_started(&mut self, n: u64) {
        if self.attempts == 0 {
            self.attempts = 1;
            self.attempt.first_line = n;
        }
    }

    fn new_attempt(&mut self, n: u64) {
        self.attempts += 1;
        let fresh = Attempt { first_line: n, started: true, ..Attempt::default() };
        self.previous = Some(std::mem::replace(&mut self.attempt, fresh));
        self.follow = None;
        self.last_reject = None;
        self.rejects = RejectList::default();
    }

    fn marker_hit(&mut self, m: Marker, re: &Regex, n: u64, raw: &[u8], norm: &[u8]) {
        let caps = re.captures(norm);
        let cap = |name: &str| {
            caps.as_ref().and_then(|c| c.name(name)).and_then(|m| subject(m.as_bytes()))
        };
        match m {
            Marker::PublisherTable { zone } => {
                self.publisher_table = Some(zone);
                if !zone {
                    self.facts.gz_table_seen = true;
                }
            }
            Marker::PublisherRow => {
                if let Some(p) = cap("table_publisher") {
                    let disabled = norm.windows(8).any(|w| w == b"disabled")
                        || norm.split(|&b| b == b'\t').nth(3) == Some(b"false");
                    if self.publisher_table == Some(true) {
                        push_unique(&mut self.facts.zone_publishers, p);
                    } else {
                        if disabled {
                            push_unique(&mut self.facts.disabled_publishers, p.clone());
                        }
                        push_unique(&mut self.facts.gz_publishers, p);
                    }
                }
            }
            Marker::AttemptStart => {
                let log = cap("log");
                self.attempt_start(n, log);
            }
            Marker::Command(kind) => {
                self.following = false;
                // A preview alone is the input's subject (`pkg update -nv` showing why the
                // global zone's update has no solution); after an attempt it only looks ahead.
                if kind == LogKind::Pkg && self.attempts > 0 && is_dry_run(norm) {
                    // The dry run of the attach's own solve (`pkg -R ROOT install -nv
                    // entire@…`, the procedure's way to see the error an OmniOS terminal does
                    // not show), typed after an attach that showed no reason: its answer is
                    // that attach's reason (realworld uu F1). The terminal of the older
                    // brands says only `ERROR: Could not update attaching zone`: no reason
                    // either (realworld vv F3).
                    if self.attempt.attach_typed
                        && self.shows_no_reason(&self.attempt)
                        && !self.attempt.pkg_errors
                        && previews_the_attach(norm)
                        && image_root(norm).is_some_and(|r| self.may_be_the_zones_root(&r))
                    {
                        return;
                    }
                    self.previewing = true;
                    // On the attempt's own image: typed the same way (regress ww F7: a zone's
                    // dry run through zlogin, or `-R/root`, counted for a GZ session).
                    self.preview_same_image =
                        self.attempt.gz_pkg && typed_image(norm) == self.attempt.typed_image;
                    return;
                }
                self.attempt_start(n, None);
                self.attempt.kind = kind;
                self.attempt.zoneadm_verb = None;
                self.attempt.attach_typed = kind == LogKind::Attach;
                self.attempt.forced = kind == LogKind::Attach && forces(norm);
                self.attempt.typed_image = typed_image(norm);
                self.attempt.gz_pkg = kind == LogKind::Pkg && !norm.windows(3).any(|w| w == b" -R");
                // Or typed in the global zone on the image of a zone the attempt before has
                // just attached (`pkg -R /zones/z/root update`): the attached zone's own
                // update, as through zlogin (regress jj F3: the ladder was advised for it).
                let attached_root = kind == LogKind::Pkg
                    && self.previous.as_ref().is_some_and(|p| p.outcome == Some(true))
                    && image_root(norm).is_some_and(|r| match &self.facts.zone_root {
                        Some(z) => z.trim_end_matches('/') == r.trim_end_matches('/'),
                        None => r.trim_end_matches('/').ends_with("/root"),
                    });
                self.attempt.in_zone = attached_root
                    || (self.attempt.gz_pkg
                        && (self.zone_session || norm.windows(7).any(|w| w == b"zlogin ")));
                if kind == LogKind::Pkg {
                    let (verb, named) = named_by_command(norm);
                    let list = match verb.as_deref() {
                        Some("install") => Some(&mut self.facts.requested),
                        Some("update" | "image-update") => Some(&mut self.facts.update_named),
                        _ => None,
                    };
                    if let Some(list) = list {
                        for p in named {
                            push_unique(list, p);
                        }
                    }
                }
                if kind != LogKind::Attach {
                    self.kind_line(n, raw);
                }
            }
            Marker::ZoneadmCommand => {
                // Halted since it was found up: no longer said to be.
                if cap("verb").is_some_and(|v| v == "halt" || v == "shutdown") {
                    self.facts.zone_active = None;
                }
                self.pending_verb = cap("verb")
                    .as_deref()
                    .and_then(zoneadm_verb)
                    .map(|verb| (n, verb, raw.to_vec()));
            }
            Marker::Kind(kind) => {
                self.ensure_started(n);
                self.attempt.kind = kind;
                self.attempt.brand_lines = true;
                self.kind_line(n, raw);
            }
            Marker::Success => {
                self.ensure_started(n);
                self.attempt.outcome = Some(true);
                self.attempt.brand_lines = true;
            }
            Marker::Failure => {
                self.ensure_started(n);
                self.attempt.outcome = Some(false);
                self.attempt.brand_lines = true;
            }
            // A query's error (`pkg list: no packages matching …`) is no failed operation
            // (realworld pp F1: a `pkg list` that matched nothing was a failed attach).
            Marker::ErrorLine if is_query_error(norm) => {}
            // A typed `pkg fix`/`freeze`/`uninstall` whose patterns matched nothing changed
            // nothing: the attach before it still says what is wrong (regress qq F4).
            Marker::ErrorLine if self.attempt.kind == LogKind::Pkg && matched_nothing(norm) => {
                self.attempt.matched_nothing = true;
            }
            Marker::ErrorLine => {
                self.ensure_started(n);
                self.attempt.error_lines = true;
                self.attempt.pkg_errors |= norm.starts_with(b"pkg");
                self.attempt.sync_errors |=
                    norm.starts_with(b"pkg sync-linked") || norm.starts_with(b"pkg attach-linked");
            }
            Marker::PkgSuccess => {
                self.ensure_started(n);
                self.attempt.pkg_success = true;
                self.attempt.pkg_lines = true;
            }
            Marker::Brand => {
                self.ensure_started(n);
                self.attempt.brand_lines = true;
            }
            Marker::Hint(g) => self.votes.hint(g),
            Marker::ChildImage => self.facts.child_image = true,
            Marker::ZoneSession(open) => self.zone_session = open,
            Marker::LinkedParent => {
                self.ensure_started(n);
                let at = offset_in(raw, norm) + re.find(norm).map_or(0, |m| m.start());
                push_vec_bounded(
                    &mut self.attempt.parent_lines,
                    Evidence::new(n, display_at(raw, at)),
                    KIND_LINES,
                );
            }
            // Typed at a prompt (`% pkg list pkg://omnios/…`), or an FMRI alone before any
            // attempt (the patterns a query did not match): the release, but no attach's
            // output (realworld pp F1).
            Marker::Gen(g)
                if is_prompt(norm) || (self.attempts == 0 && norm.starts_with(b"pkg://")) =>
            {
                self.votes.vote(g)
            }
            Marker::Gen(g) => {
                self.votes.vote(g);
                self.ensure_started(n);
                if g == Generation::Omnios && norm.starts_with(b"pkg://") {
                    self.attempt.pkg_lines = true;
                } else {
                    self.attempt.brand_lines = true;
                }
            }
            Marker::Pkg => {
                self.ensure_started(n);
                self.attempt.pkg_lines = true;
            }
            Marker::Reject => {
                self.last_reject = cap("package");
                let proposed = self.rejects.proposed.take();
                let installed = self.rejects.installed;
                self.rejects = RejectList {
                    installed,
                    proposed,
                    package: cap("package"),
                    publisher: cap("publisher"),
                    newest: None,
                    first: Some(Evidence::new(n, display(raw))),
                    last: None,
                    last_line: n,
                };
                self.rejects.listed(cap("version"), true);
            }
            Marker::RejectMore => {
                // Only right below the list (one `to` line may sit between: pkg collapses a
                // run of versions to its first and last).
                let r = &mut self.rejects;
                let more = r.package.is_some()
                    && n <= r.last_line + 2
                    && cap("package").as_deref().map(package_stem)
                        == r.package.as_deref().map(package_stem);
                if more {
                    r.listed(cap("version"), false);
                    r.last = Some(Evidence::new(n, display(raw)));
                    r.last_line = n;
                }
            }
            Marker::SolverBlock { proposed } => {
                self.attempt.solver_line.get_or_insert(n);
                let asked = cap("package").filter(|_| proposed);
                // `pkg install: No matching version of PKG` without a version: an installed
                // PKG would have satisfied the install, so it is not installed.
                const HEAD: &[u8] = b"install: No matching version of";
                if norm.windows(HEAD.len()).any(|w| w == HEAD) {
                    self.attempt.install_solve = true;
                }
                if let Some(p) = asked.as_ref().filter(|p| !p.contains('@'))
                    && self.attempt.install_solve
                {
                    push_unique(&mut self.facts.requested, package_stem(p).to_string());
                }
                let installed = !proposed && norm.windows(9).any(|w| w == b"installed");
                self.rejects = RejectList { proposed: asked, installed, ..RejectList::default() };
            }
            Marker::Follower => self.following = true,
            Marker::Notable => {
                push_bounded(&mut self.notable, Evidence::new(n, display(raw)), NOTABLE_LINES);
            }
            Marker::Fact => {}
        }
        if let Some(c) = caps.as_ref() {
            self.take_facts(c, n, raw);
        }
    }

    /// A zoneadm subcommand typed before this line: another command (or log) starting forgets
    /// it, a line that says something starts its attempt.
    fn settle_pending_verb(&mut self, matched: &[usize]) {
        let starts = |i: &usize| {
            matches!(
                self.rules.owner(*i),
                Some(PatternOwner::Marker(
                    Marker::Command(_)
                        | Marker::AttemptStart
                        | Marker::ZoneadmCommand
                        | Marker::PublisherTable { .. },
                    _
                ))
            )
        };
        if matched.iter().any(starts) {
            self.pending_verb = None;
            return;
        }
        if let Some((n, verb, raw)) = self.pending_verb.take() {
            self.attempt_start(n, None);
            self.attempt.kind = LogKind::Attach;
            self.attempt.attach_typed = false;
            self.attempt.zoneadm_verb = Some(verb);
            self.kind_line(n, &raw);
        }
    }

    /// An attempt's start marker (`log`: the log file it names; none for a typed command).
    fn attempt_start(&mut self, n: u64, log: Option<String>) {
        self.publisher_table = None;
        if log.is_some() {
            self.has_log_file_line = true;
        }
        // The log file's copy came first, then the typed command's terminal output of that
        // same attempt: one attempt (as in the other order), its log's findings kept.
        if let Some(l) = &log
            && self.attempt.log.is_none()
            && !self.attempt.has_content()
            && self.previous.as_ref().is_some_and(|p| p.log.as_ref() == Some(l))
            && let Some(p) = self.previous.take()
        {
            self.attempt = p;
            self.attempts -= 1;
            self.facts.log_file = Some(l.clone());
            return;
        }
        let a = &self.attempt;
        let differs = matches!((&a.log, &log), (Some(x), Some(y)) if x != y);
        // The same log file again (a transcript, then `cat` of its log): same attempt.
        let same_log = matches!((&a.log, &log), (Some(x), Some(y)) if x == y);
        let is_command = log.is_none();
        // Solaris 11's `start_log` prints `Progress being logged to` and then writes
        // `==== Starting: …` to the log: one attempt, not a second one.
        let just_logged = a.log.is_some()
            && !a.pkg_lines
            && !a.error_lines
            && a.accs.is_empty()
            && !a.concluded();
        if self.attempts == 0 {
            self.ensure_started(n);
            self.attempt.started = true;
        } else if !same_log
            && (a.concluded()
                || differs
                || (is_command && a.started && a.has_content() && !just_logged))
        {
            self.new_attempt(n);
        } else {
            self.attempt.started = true;
        }
        if let Some(l) = log {
            self.attempt.log.get_or_insert(l.clone());
            self.facts.log_file = Some(l);
        }
    }

    fn kind_line(&mut self, n: u64, raw: &[u8]) {
        push_vec_bounded(&mut self.attempt.kind_lines, Evidence::new(n, display(raw)), KIND_LINES);
    }

    fn take_facts(&mut self, c: &regex::bytes::Captures<'_>, n: u64, raw: &[u8]) {
        let get = |name: &str| c.name(name).and_then(|m| subject(m.as_bytes()));
        if let Some(z) = get("zone") {
            match &self.facts.zone {
                // A later attempt of another zone (logs of several zones in one input): what
                // the input said about the first zone describes neither this attempt nor its
                // zone, and the report must not mix them.
                Some(cur) if *cur != z && self.attempts > self.zone_attempt => {
                    self.split_off_zone();
                    self.facts = Facts { log_file: self.attempt.log.clone(), ..Facts::default() };
                    self.facts.zone = Some(z);
                    self.zone_attempt = self.attempts;
                }
                Some(_) => {}
                None => {
                    self.facts.zone = Some(z);
                    self.zone_attempt = self.attempts;
                }
            }
        }
        if let Some(r) = get("zoneroot") {
            self.facts.zone_root.get_or_insert(r);
        }
        if let Some(p) = get("zonepath") {
            self.facts.zonepath.get_or_insert(p);
        }
        if let Some(e) = get("gz_entire") {
            self.facts.gz_entire = Some(e);
            self.facts.entire_lines.retain(|l| l.line != n);
            push_vec_bounded(&mut self.facts.entire_lines, Evidence::new(n, display(raw)), 4);
        }
        if let Some(e) = get("zone_entire") {
            self.facts.zone_entire = Some(e);
            push_vec_bounded(&mut self.facts.entire_lines, Evidence::new(n, display(raw)), 4);
        }
        if let Some(p) = get("gz_publisher") {
            push_unique(&mut self.facts.gz_publishers, p);
        }
        if get("no_catalog_of").is_some() {
            self.facts.no_catalog_refreshed = true;
        }
        if let Some(state) = get("zone_active") {
            self.facts.zone_active = Some((state, Evidence::new(n, display(raw))));
        }
        if let Some(p) = get("entire_publisher") {
            push_unique(&mut self.facts.gz_publishers, p.clone());
            self.facts.entire_publisher = Some(p);
        }
        if let Some(p) = get("disabled_publisher") {
            push_unique(&mut self.facts.disabled_publishers, p);
        }
        if let Some(d) = get("dataset") {
            push_unique(&mut self.facts.datasets, d);
        }
    }

    /// Conclude: verdict, findings with their remedies, recommended strategy — of the last
    /// zone the input speaks of (the only one of a single zone's log).
    pub fn finish(self) -> Report {
        self.conclude_all().1
    }

    /// Conclude, one report per zone in input order: the attempts of one zone followed by
    /// another zone's (`for z in db www; do zoneadm -z $z attach -u; done` pasted whole) are
    /// that zone's report, never merged into the next zone's.
    pub fn finish_all(self) -> Vec<Report> {
        let (mut done, last) = self.conclude_all();
        done.push(last);
        done
    }

    /// The reports of the zones before the last one, and the last one's.
    fn conclude_all(mut self) -> (Vec<Report>, Report) {
        if let Some(h) = self.held.take() {
            self.classify(h.n, &h.raw);
        }
        if self.is_binary() {
            // Strings a binary happens to hold ("Result: Attach Succeeded" in a program) are
            // no attach: none of what was matched counts.
            let generation = self.ctx.platform.unwrap_or(Generation::Unknown);
            let facts = Facts::default();
            let builder = FindingBuilder {
                rules: self.rules,
                ctx: &self.ctx,
                facts: &facts,
                generation,
                gz_image: false,
                zone_image: false,
                linked_child: false,
                pkg_session: false,
            };
            let attempt = Attempt { not_text: true, ..Attempt::default() };
            let mut report = builder.build(attempt, 0, Vec::new(), Vec::new(), self.line_no);
            report.attribute_files(&self.files);
            return (Vec::new(), report);
        }
        let mut attempt = std::mem::take(&mut self.attempt);
        let mut followed_up_at = None;
        let mut how = FollowedUp::Echo;
        if let Some(prev) = self.previous.take() {
            match self.echo_of(&attempt, &prev) {
                Some(forced) => {
                    // The earlier attempt says what happened; the last one only followed it.
                    followed_up_at = Some(attempt.first_line);
                    how = if attempt.matched_nothing {
                        FollowedUp::MatchedNothing
                    } else if !attempt.has_content() && !attempt.forced {
                        FollowedUp::Silent
                    } else {
                        FollowedUp::Echo
                    };
                    let mut prev = prev;
                    for a in forced {
                        if !prev.accs.iter().any(|p| p.rule == a.rule) {
                            prev.accs.push(a);
                        }
                    }
                    attempt = prev;
                }
                None => self.previous = Some(prev),
            }
        }
        let facts = std::mem::take(&mut self.facts);
        let votes = std::mem::take(&mut self.votes);
        let notable = lines_in(&self.notable, attempt.first_line, u64::MAX);
        let tail = lines_in(&self.tail, self.segment_start, u64::MAX);
        let lines = (self.line_no + 1).saturating_sub(self.segment_start);
        let mut last = self.conclude(attempt, facts, votes, self.attempts, notable, tail, lines);
        last.followed_up_at = followed_up_at;
        last.followed_up_how = how;
        (self.done, last)
    }

    /// Whether image root `r` may be the zone's of this input: its root where known, else a
    /// path through a directory of the zone's name (regress vv F5: another zone's dry run was
    /// taken as this zone's reason).
    fn may_be_the_zones_root(&self, r: &str) -> bool {
        match (&self.facts.zone_root, &self.facts.zone) {
            (Some(z), _) => z.trim_end_matches('/') == r.trim_end_matches('/'),
            (None, Some(zone)) => r.split('/').any(|c| c == zone),
            (None, None) => true,
        }
    }

    /// Whether `a`'s findings are none, or only the brand's own error line (the symptom,
    /// `ERROR: Could not update attaching zone`) and notes: its reason is elsewhere.
    fn shows_no_reason(&self, a: &Attempt) -> bool {
        a.accs.iter().filter_map(|acc| self.rules.rules().get(acc.rule)).all(|r| {
            r.key == keys::ATTACH_ERROR_LINE || r.severity == super::report::Severity::Info
        })
    }

    /// Whether the last attempt only follows up `prev` and says nothing of its own, so that
    /// `prev` is what the input is about: a plain `attach` after a failed `attach -u` ("use
    /// -u": the cause is the -u attempt's), an attach refused as "already installed" (or for
    /// a running zone) after one that attached, an `attach -F` after a failed one (forced in
    /// without the update: its finding, returned, goes with `prev`'s).
    fn echo_of(&self, last: &Attempt, prev: &Attempt) -> Option<Vec<Acc>> {
        let keys: Vec<&str> = last
            .accs
            .iter()
            .filter_map(|a| self.rules.rules().get(a.rule))
            .map(|r| r.key.as_str())
            .collect();
        // Beside it, at most the brand's own error line (the symptom).
        let only = |main: &str| {
            keys.contains(&main) && keys.iter().all(|k| *k == main || *k == keys::ATTACH_ERROR_LINE)
        };
        // (A Solaris 10 attach prints no result line: its findings say it failed.)
        let failed_before = prev.outcome != Some(true) && !prev.accs.is_empty();
        // (An attach whose log shows pkg's update done, its last line cut, attached too.)
        let attached_before =
            prev.outcome == Some(true) || (prev.outcome.is_none() && prev.pkg_success);
        if (only(keys::UPDATE_REQUIRED) && failed_before)
            || ((only(keys::ZONE_ALREADY_INSTALLED) || only(keys::ZONE_RUNNING)) && attached_before)
        {
            return Some(Vec::new());
        }
        // Its finding may have gone with the attempt before (the prompt line ends it).
        if last.forced && failed_before && (keys.is_empty() || only(keys::ATTACH_FORCED)) {
            return Some(last.accs.clone());
        }
        // A command that printed nothing (the paste ends with it; `zoneadm -z Z install` listed
        // as a step of a fix), or only that its patterns matched nothing: what the input shows
        // is the attempt before (realworld pp F2).
        // (A success says what happened as well as a finding does: regress tt F7.)
        if last.started
            && !last.has_content()
            && prev.has_content()
            && (!prev.accs.is_empty() || prev.concluded())
        {
            return Some(Vec::new());
        }
        None
    }

    /// The attempt under way is another zone's than the attempts before it: those become
    /// their zone's report, and the input from here on is the new zone's.
    fn split_off_zone(&mut self) {
        let Some(prev) = self.previous.take() else { return };
        let cut = self.attempt.first_line;
        let mut facts = std::mem::take(&mut self.facts);
        // The new attempt's start named its log: the zone's own is its last attempt's.
        if facts.log_file.is_some() && facts.log_file == self.attempt.log {
            facts.log_file = prev.log.clone();
        }
        let votes = std::mem::take(&mut self.votes);
        let notable = lines_in(&self.notable, prev.first_line, cut);
        let tail = lines_in(&self.tail, self.segment_start, cut);
        let lines = cut.saturating_sub(self.segment_start);
        let attempts = self.attempts.saturating_sub(1);
        let report = self.conclude(prev, facts, votes, attempts, notable, tail, lines);
        self.done.push(report);
        self.attempts = 1;
        self.segment_start = cut;
    }

    /// The report of one zone's attempts: `attempt` its last, `lines` how many it spans.
    #[allow(clippy::too_many_arguments)]
    fn conclude(
        &self,
        attempt: Attempt,
        mut facts: Facts,
        votes: GenerationVotes,
        attempts: u32,
        notable: Vec<Evidence>,
        tail: Vec<Evidence>,
        lines: u64,
    ) -> Report {
        let generation = self.ctx.platform.unwrap_or_else(|| votes.decide(self.has_log_file_line));
        // A pkg command typed in the global zone, about no zone: its advice is the global
        // zone's (a zone named anywhere, an attach log or result, keep it a zone's; not
        // `brand_lines`: OmniOS's version syntax alone counts as one).
        // No attach in sight: no log file, no result, no attach command, nothing the engine
        // attaches (its context).
        let no_attach = attempt.outcome.is_none()
            && facts.log_file.is_none()
            && self.ctx.zone.is_none()
            && self.ctx.zone_root.is_none()
            && !attempt.attach_typed;
        // The global zone's own operation that worked on its zones (linked children): pkg's
        // parent messages say so, with or without the command line.
        let parent = no_attach && !attempt.parent_lines.is_empty();
        // A pkg command typed in a zone (zlogin), or whose image pkg shows to be a zone's: the
        // zone's own operation, on a zone that is attached. pkg output pasted without its
        // command line and without any line of an attach counts the same when pkg shows the
        // image to be a zone's, unless it is the linked-image sync an attach runs.
        let pasted_pkg = attempt.kind == LogKind::Attach
            && !attempt.brand_lines
            && !attempt.dated_lines
            && !attempt.sync_errors
            && attempt.zoneadm_verb.is_none();
        // zlogin needs a running zone: a pkg command typed in one is the zone's own operation
        // even after an attach of it in the same input (that attach is what brought it up).
        let typed_in_zone = attempt.in_zone && attempt.outcome.is_none() && !attempt.attach_typed;
        let zone_image = typed_in_zone
            || (no_attach
                && !parent
                && (attempt.gz_pkg || pasted_pkg)
                && (attempt.in_zone || facts.child_image));
        let gz_image = no_attach
            && !zone_image
            && (attempt.gz_pkg || parent)
            && facts.zone.is_none()
            && facts.zone_root.is_none();
        // ... and one zone's part of it failed: the zone is named as a child, not attached.
        let linked_child = parent && !gz_image && facts.zone.is_some();
        // Nothing but one pkg command typed without -R and its output.
        let pkg_session =
            no_attach && attempts <= 1 && attempt.kind == LogKind::Pkg && attempt.gz_pkg;
        if !no_attach {
            // An attach's own install names what the attach asks for (entire), not a request.
            facts.requested.clear();
            facts.update_named.clear();
        }
        let builder = FindingBuilder {
            rules: self.rules,
            ctx: &self.ctx,
            facts: &facts,
            generation,
            gz_image,
            zone_image,
            linked_child,
            pkg_session,
        };
        let mut report = builder.build(attempt, attempts, notable, tail, lines);
        report.attribute_files(&self.files);
        report
    }
}

/// The image a typed `pkg -R ROOT …` command line names.
fn image_root(norm: &[u8]) -> Option<String> {
    // `-R ROOT`, or `-RROOT` as getopt takes it too.
    let at = norm.windows(3).position(|w| w == b" -R")? + 3;
    let rest = norm[at..].trim_ascii_start();
    let end = rest.iter().position(|&b| b == b' ' || b == b'\t').unwrap_or(rest.len());
    std::str::from_utf8(&rest[..end]).ok().filter(|r| r.starts_with('/')).map(str::to_string)
}

/// The image a typed pkg command works on when it names one: `-R ROOT`, or `zone:NAME` for
/// `zlogin NAME pkg …`; `None`: the image of the shell it was typed in.
fn typed_image(norm: &[u8]) -> Option<String> {
    if let Some(r) = image_root(norm) {
        return Some(r.trim_end_matches('/').to_string());
    }
    let at = norm.windows(7).position(|w| w == b"zlogin ")? + 7;
    let words = std::str::from_utf8(&norm[at..]).ok()?;
    let mut it = words.split_ascii_whitespace();
    // Options before the zone name (`-l user`, `-S`): the name is the first operand.
    while let Some(w) = it.next() {
        match w {
            "-l" | "-e" => {
                it.next();
            }
            _ if w.starts_with('-') => {}
            zone => return Some(format!("zone:{zone}")),
        }
    }
    None
}

/// The lines of `kept` from line `from` up to, not including, line `to`.
fn lines_in(kept: &VecDeque<Evidence>, from: u64, to: u64) -> Vec<Evidence> {
    kept.iter().filter(|e| (from..to).contains(&e.line)).cloned().collect()
}

/// A control byte that neither a log nor a terminal transcript holds: C0 controls other than
/// tab, newline, vertical tab, form feed, carriage return, bell, backspace and escape (NUL is
/// left out too, see [`Analyzer::is_binary`]).
fn is_binary_byte(b: u8) -> bool {
    b < 0x20 && !matches!(b, 0 | b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | 0x07 | 0x08 | 0x1b)
}

/// Analyse everything `r` yields with the given rules and context.
pub fn analyze_reader<R: Read>(rules: &RuleSet, ctx: AnalysisContext, r: R) -> io::Result<Report> {
    let mut a = Analyzer::with_context(rules, ctx);
    a.consume_reader(r)?;
    Ok(a.finish())
}

/// Whether a line is pkg's error of a subcommand that only reads (`pkg list: …`, `pkg: info:
/// …`, as older pkg put it).
fn is_query_error(norm: &[u8]) -> bool {
    const QUERIES: [&[u8]; 10] = [
        b"list",
        b"info",
        b"search",
        b"contents",
        b"publisher",
        b"history",
        b"property",
        b"facet",
        b"variant",
        b"mediator",
    ];
    let rest = norm.strip_prefix(b"pkg: ").or_else(|| norm.strip_prefix(b"pkg ")).unwrap_or(b"");
    QUERIES.iter().any(|q| rest.strip_prefix(*q).is_some_and(|r| r.starts_with(b":")))
}

/// Whether a line is pkg's refusal of the patterns it was given (`pkg fix: no packages
/// matching the following patterns are installed:`, `pkg: freeze: no packages matching …`,
/// `pkg uninstall: 'X' matches no installed packages`, `… 'php' matches multiple packages`,
/// `… 'X@@' is an illegal fmri`; reference §3.9): pkg stops before planning anything.
fn matched_nothing(norm: &[u8]) -> bool {
    let text = String::from_utf8_lossy(norm);
    // Regress tt F6, regress uu F3.
    norm.starts_with(b"pkg")
        && (text.contains(": no packages matching the following patterns")
            || text.ends_with("matches no installed packages")
            || text.ends_with("' matches multiple packages")
            || text.ends_with("' is an illegal fmri"))
}

/// Whether a typed pkg command previews the attach's own operation on a zone image: an
/// `install` or `update` with `-R`, naming `entire` (or nothing, for update).
fn previews_the_attach(norm: &[u8]) -> bool {
    let (verb, named) = named_by_command(norm);
    image_root(norm).is_some()
        && match verb.as_deref() {
            Some("install") => named.iter().any(|n| n == "entire"),
            Some("update" | "image-update") => {
                named.is_empty() || named.iter().any(|n| n == "entire")
            }
            _ => false,
        }
}

/// Whether a typed pkg command only previews (`-n`, `-nv`, `--dry-run`): options that hold
/// an `n` after the subcommand (pkg's image-changing subcommands all take `-n` as it).
fn is_dry_run(norm: &[u8]) -> bool {
    let text = String::from_utf8_lossy(norm);
    let words = words_after_pkg(&text);
    // The subcommand: the first word that is neither an option nor -R's root.
    let mut root = false;
    let mut after = words.skip_while(|w| {
        let skip = root || w.starts_with('-');
        root = *w == "-R";
        skip
    });
    after.next();
    after.any(|w| {
        w == "--dry-run"
            || (w.len() > 1
                && w.starts_with('-')
                && !w.starts_with("--")
                && w[1..].bytes().all(|b| b.is_ascii_alphabetic())
                && w.contains('n'))
    })
}

/// The words of a typed command line after its `pkg` (or `/usr/bin/pkg`).
fn words_after_pkg(text: &str) -> impl Iterator<Item = &str> {
    let mut words = text.split_whitespace().skip_while(|w| *w != "pkg" && !w.ends_with("/pkg"));
    words.next();
    words
}

/// The subcommand of a typed `pkg [-R ROOT] VERB [options] PKG…` and the packages it names
/// (stems), up to the end of the command (a pipe, a redirection, `;`, `&&`).
fn named_by_command(norm: &[u8]) -> (Option<String>, Vec<String>) {
    let text = String::from_utf8_lossy(norm);
    let words = words_after_pkg(&text);
    let mut out = Vec::new();
    let mut verb = None;
    let mut skip_value = false;
    for w in words {
        if skip_value {
            skip_value = false;
            continue;
        }
        if w.starts_with(['|', ';', '&', '<']) || w.contains('>') {
            break;
        }
        if w.starts_with('-') {
            // Options with a value: -R ROOT (before the verb), -g/-p/--be-name … after it.
            skip_value = matches!(w, "-R" | "-g" | "-p" | "--be-name" | "--reject" | "--facet")
                || matches!(w, "--backup-be-name" | "--origin");
            continue;
        }
        match verb {
            None => verb = Some(w.to_string()),
            Some(_) => out.push(package_stem(w).to_string()),
        }
    }
    (verb, out)
}

/// The operation a zoneadm subcommand other than attach and install is, for the report's words.
fn zoneadm_verb(verb: &str) -> Option<&'static str> {
    Some(match verb {
        "boot" => "zone boot",
        "ready" => "zone ready",
        "halt" => "zone halt",
        "reboot" => "zone reboot",
        "shutdown" => "zone shutdown",
        "detach" => "zone detach",
        "move" => "zone move",
        "uninstall" => "zone uninstall",
        "verify" => "zone verify",
        "mark" => "zoneadm mark",
        _ => return None,
    })
}

/// A shell prompt starts the line (`root@gz:~# `, `# `, `r151034% `, `$ `): the output
/// before it is over.
pub(crate) fn is_prompt(norm: &[u8]) -> bool {
    let first = norm.split(|&b| b == b' ' || b == b'\t').next().unwrap_or(norm);
    let Some((&last, body)) = first.split_last() else { return false };
    b"#$%".contains(&last)
        && !body.contains(&b'/')
        && (body.is_empty()
            || body.contains(&b'@')
            || body.contains(&b':')
            || (body.iter().any(u8::is_ascii_alphabetic) && norm.len() > first.len()))
}

/// How a line may continue on the next one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Wrap {
    /// It ends in an FMRI: the next line may go on with its `/name`, `@version`, `.branch`.
    Fmri,
    /// It ends in the words pkg puts before an FMRI: the next line may start with it.
    Words,
    /// It ends in the words pkg puts before a repository's URI: the next line may be it.
    Uri,
}

/// Words that pkg's solver messages put right before an FMRI (`' dependency`: the older
/// `No version matching 'require' dependency PKG@V can be installed`).
const BEFORE_FMRI: [&[u8]; 5] = [
    b" incorporation",
    b" dependency on",
    b"' dependency",
    b" required package",
    b" installed package",
];

fn wrap_shape(norm: &[u8]) -> Option<Wrap> {
    let last = norm.rsplit(|&b| b == b' ' || b == b'\t').next().unwrap_or(norm);
    if last.starts_with(b"pkg:/") && !matches!(last.last(), Some(b':' | b'.' | b',' | b')')) {
        return Some(Wrap::Fmri);
    }
    if norm.trim_ascii_end().ends_with(b"Unable to contact valid package repository:") {
        return Some(Wrap::Uri);
    }
    BEFORE_FMRI.iter().any(|w| norm.ends_with(w)).then_some(Wrap::Words)
}

/// The held line and the next one as one line, when the next one continues it: an FMRI's
/// rest flush at the start of the line (`/name…`, `@version…`, `.0.0.10.0:…`), or an FMRI
/// after the words that announce one, or a repository's URI after pkg's `Unable to contact
/// valid package repository:`. Never a line of the brand (timestamped).
fn join_wrapped(held: &[u8], next: &[u8]) -> Option<Vec<u8>> {
    // In an input stamped line by line (syslog, `ts`), the stamp says nothing: what follows it
    // is the line.
    let next = match (has_timestamp(held), has_timestamp(next)) {
        (_, false) => next,
        (true, true) => normalise(next),
        (false, true) => return None,
    };
    let first = held.strip_suffix(b"\n").unwrap_or(held);
    let first = first.strip_suffix(b"\r").unwrap_or(first).trim_ascii_end();
    let rest = next.trim_ascii();
    let sep: &[u8] = match wrap_shape(normalise(held))? {
        Wrap::Fmri => {
            // A name's rest (`/python-sexy-26@0.1.9…`) goes on to its version: a path at
            // the start of a line (`/zones/z1/root is …`) is no FMRI.
            let token = next.split(|&b| b == b' ' || b == b'\t').next().unwrap_or(next);
            let continues = match next.first() {
                Some(b'/') => token.contains(&b'@'),
                Some(b'@' | b'.' | b',' | b':' | b'-') => true,
                _ => false,
            } && next.get(1).is_some_and(u8::is_ascii_alphanumeric);
            if !continues {
                return None;
            }
            b""
        }
        Wrap::Words if rest.starts_with(b"pkg:/") || bare_fmri_then_verb(rest) => b" ",
        Wrap::Words => return None,
        Wrap::Uri
            if [&b"http://"[..], b"https://", b"file:/"].iter().any(|p| rest.starts_with(p))
                && !rest.contains(&b' ') =>
        {
            b" "
        }
        Wrap::Uri => return None,
    };
    let mut joined = Vec::with_capacity(first.len() + sep.len() + rest.len());
    joined.extend_from_slice(first);
    joined.extend_from_slice(sep);
    joined.extend_from_slice(rest);
    Some(joined)
}

/// A package named without `pkg:/` at the start of a line, and the verb of the solver's
/// message after it: `system/library@0.5.11-151059.0 can be installed` (the rest of a reason
/// a terminal wrapped after "dependency"), not any word that happens to start a line.
fn bare_fmri_then_verb(rest: &[u8]) -> bool {
    let Some(sp) = rest.iter().position(|&b| b == b' ') else { return false };
    let (token, after) = (&rest[..sp], &rest[sp..]);
    let fmri_byte = |b: &u8| b.is_ascii_alphanumeric() || b"_./@,:+-".contains(b);
    token.first().is_some_and(u8::is_ascii_alphanumeric)
        && token.iter().all(fmri_byte)
        && [&b" can be "[..], b" cannot be "].iter().any(|v| after.starts_with(v))
}

/// `pkg://pub/name@ver` or `pkg:/name` or `name@ver` → `name`.
/// The package a rule's hit is about: `named` (what the line names) or `rejected` (the package
/// of the `Reject:` line above a `Reason:` line), never one of the release's own `structural`
/// packages (removing `entire` or an incorporation is no remedy). `None`: no hit at all;
/// `Some(None)`: a hit that names no package to act on. `reason`: the line is a `Reason:`.
fn hit_subject(
    named: String,
    rejected: Option<String>,
    from: Subject,
    reason: bool,
    structural: &[String],
) -> Option<Option<String>> {
    let ok = |p: &String| !is_structural(structural, p);
    match from {
        Subject::Named => Some(named).filter(ok).or(rejected.filter(ok)).map(Some),
        // A package that cannot get the release's own incorporation is not what holds the
        // release back: no hit.
        Subject::Rejected if !ok(&named) => None,
        Subject::Rejected => Some(match rejected {
            Some(r) if ok(&r) => Some(r),
            // The release's own package needs it: named, for the explanation to say so.
            Some(_) => Some(named),
            // A Reason whose Reject line was not read (pasted alone): the package it names is
            // the one that cannot be installed, not in the zone to remove (realworld kk F1).
            None if reason => None,
            // A header that names the package itself (`No suitable version of required
            // package X found:`, its Reject below names X again).
            None => Some(named),
        }),
    }
}

/// Whether package `p` is one of the release's own (`structural` globs: entire, its
/// incorporations).
fn is_structural(structural: &[String], p: &str) -> bool {
    structural.iter().any(|g| glob_match(g, package_stem(p)))
}

/// The branch of a package version (`0.5.11,5.11-0.175.1.9.0.5.2:2013…` → `0.175.1.9.0.5.2`),
/// which on Solaris 11, OpenSolaris and OmniOS names the release (and SRU) a package belongs
/// to, the same for every package of it. Not on OpenIndiana hipster (`2026.0.0.32718` for the
/// incorporation, `2026.0.0.0` for a package of the same snapshot): a branch that starts with
/// a year is no release order.
fn release_branch(version: &str) -> Option<DotSequence> {
    let branch = Version::parse(version).ok()?.branch?;
    let year = branch.0.first().is_some_and(|&c| (1990..=2100).contains(&c));
    (!year).then_some(branch)
}

pub(crate) fn package_stem(p: &str) -> &str {
    let p = match p.strip_prefix("pkg://") {
        Some(rest) => rest.split_once('/').map_or(rest, |(_, name)| name),
        None => p.strip_prefix("pkg:/").unwrap_or(p),
    };
    p.split('@').next().unwrap_or(p)
}

fn push_bounded<T>(q: &mut VecDeque<T>, item: T, cap: usize) {
    if q.len() == cap {
        q.pop_front();
    }
    q.push_back(item);
}

fn push_vec_bounded<T>(v: &mut Vec<T>, item: T, cap: usize) {
    if v.len() < cap {
        v.push(item);
    }
}

pub(crate) fn push_unique<T: PartialEq>(v: &mut Vec<T>, s: T) {
    if v.len() < MAX_SUBJECTS && !v.contains(&s) {
        v.push(s);
    }
}

/// Whether a typed `zoneadm … attach` command line has the `-F` flag (alone or among others).
fn forces(line: &[u8]) -> bool {
    let text = String::from_utf8_lossy(line);
    let Some(after) = text.split_once(" attach").map(|(_, a)| a.to_string()) else { return false };
    after.split_whitespace().any(|w| w.starts_with('-') && !w.starts_with("--") && w.contains('F'))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A failed OpenIndiana attach, then a typed pkg command whose patterns matched nothing.
    fn attach_then(typed: &str, refusal: &str) -> Report {
        let log = format!(
            "root@oi:~# zoneadm -z web1 attach -u
Log File: /var/tmp/web1.attach_log.m3Xy8P
  Updating non-global zone: Output follows
pkg install: No matching version of entire can be installed:
  Reject:  pkg://openindiana.org/entire@11-2024.0.0.22500
  Reason:  Package contains 'exclude' dependency pkg:/web/php-56 on installed package
ERROR: Could not update attaching zone
                    Result: Attach Failed.
root@oi:~# {typed}
{refusal}
  web/php-73
root@oi:~# 
"
        );
        let rules = RuleSet::builtin().unwrap();
        analyze_reader(&rules, AnalysisContext::default(), log.as_bytes()).unwrap()
    }

    #[test]
    fn a_command_that_matched_nothing_leaves_the_attach_diagnosed() {
        for (typed, refusal) in [
            (
                "pkg -R /zones/web1/root fix web/php-73",
                "pkg fix: no packages matching the following patterns are installed:",
            ),
            (
                "pkg -R /zones/web1/root freeze web/php-73",
                "pkg freeze: no packages matching the following patterns are installed:",
            ),
            // Regress uu F3: the other pattern refusals of reference §3.9.
            (
                "pkg -R /zones/web1/root uninstall php",
                "pkg uninstall: 'php' matches multiple packages",
            ),
            (
                "pkg -R /zones/web1/root uninstall web/php-56@@",
                "pkg uninstall: 'web/php-56@@' is an illegal fmri",
            ),
        ] {
            let r = attach_then(typed, refusal);
            let keys: Vec<&str> = r.findings.iter().map(|f| f.key.as_str()).collect();
            assert_eq!(keys.first(), Some(&"package-excluded"), "{typed}: {keys:?}");
            assert_eq!(r.recommended, Some(crate::strategies::StrategyName::Uninstall), "{typed}");
            assert_eq!(r.followed_up_at, Some(9), "{typed}");
            assert_eq!(r.followed_up_how, FollowedUp::MatchedNothing, "{typed}");
        }
        let r = attach_then(
            "pkg -R /zones/web1/root uninstall web/php-73",
            "pkg uninstall: 'web/php-73' matches no installed packages",
        );
        assert_eq!(r.followed_up_how, FollowedUp::MatchedNothing);
        assert_eq!(r.findings[0].key, "package-excluded");
        // Any other refusal of the command is its own failure, judged as the last attempt.
        let r = attach_then(
            "pkg -R /zones/web1/root fix web/php-73",
            "pkg fix: Unable to lock the image: the image is in use",
        );
        assert_eq!(r.followed_up_at, None);
        // After an attach that succeeded (regress tt F7: "incomplete", log-truncated).
        let log = "root@oi:~# zoneadm -z web1 attach -u
Log File: /var/tmp/web1.attach_log.m3Xy8P
  Updating non-global zone: Output follows
                    Result: Attach Succeeded.
root@oi:~# pkg -R /zones/web1/root fix web/php-73
pkg fix: no packages matching the following patterns are installed:
  web/php-73
root@oi:~# 
";
        let rules = RuleSet::builtin().unwrap();
        let r = analyze_reader(&rules, AnalysisContext::default(), log.as_bytes()).unwrap();
        assert_eq!(r.verdict, super::super::report::Verdict::Attached, "{:?}", r.findings);
    }

    #[test]
    fn prompts_are_told_from_output() {
        for p in ["root@026:~#", "# pkg list", "r151034% pfexec pkg update", "$ ls", "bloody# x"] {
            assert!(is_prompt(p.as_bytes()), "{p}");
        }
        for o in ["brand/pkgsrc", "50% done", "usr/bin/x#", "pkg://omnios/a@1", ""] {
            assert!(!is_prompt(o.as_bytes()), "{o}");
        }
    }

    #[test]
    fn previews_are_told_from_changes() {
        for p in [
            "# pkg -R /zones/w/root uninstall -nv web/php-56",
            "# pkg install --dry-run entire@11-2020",
            "# /usr/bin/pkg -R /z/root update -vn",
            "$ pfexec pkg install -g /tmp/repo -n entire",
        ] {
            assert!(is_dry_run(p.as_bytes()), "{p}");
        }
        for c in [
            "# pkg -R /zones/n/root uninstall web/php-56",
            "# pkg install --accept entire@11-2020 network/netcat",
            "# pkg set-publisher --no-refresh -g http://x/ omnios",
            "# pkg -R /zones/w/root update -v",
        ] {
            assert!(!is_dry_run(c.as_bytes()), "{c}");
        }
    }

    #[test]
    fn wrapped_fmris_are_joined_and_nothing_else() {
        let j = |a: &str, b: &str| {
            join_wrapped(a.as_bytes(), b.as_bytes()).map(|v| String::from_utf8(v).unwrap())
        };
        // The rest of an FMRI, flush at the start of the next line.
        assert_eq!(
            j(
                "  Reason: A version for 'incorporate' dependency on pkg:/library/python-2\n",
                "/python-sexy-26@0.1.9 cannot be found"
            )
            .as_deref(),
            Some(
                "  Reason: A version for 'incorporate' dependency on pkg:/library/python-2/python-sexy-26@0.1.9 cannot be found"
            )
        );
        assert_eq!(
            j(
                "No suitable version of required package pkg://solaris/entire@0.5.11,5.11-0.175.2",
                ".0.0.10.0:20130318T181506Z found:"
            )
            .as_deref(),
            Some(
                "No suitable version of required package pkg://solaris/entire@0.5.11,5.11-0.175.2.0.0.10.0:20130318T181506Z found:"
            )
        );
        assert_eq!(
            j(
                "Reject: pkg://solaris/consolidation/desktop/desktop-incorporation\r\n",
                "@0.5.11,5.11-0.175.2"
            )
            .as_deref(),
            Some(
                "Reject: pkg://solaris/consolidation/desktop/desktop-incorporation@0.5.11,5.11-0.175.2"
            )
        );
        // An FMRI on its own line after the words that announce one.
        assert_eq!(
            j(
                "Reason:  This version is excluded by installed incorporation ",
                "pkg://solaris/consolidation/osnet/osnet-incorporation@0.5.11"
            )
            .as_deref(),
            Some(
                "Reason:  This version is excluded by installed incorporation pkg://solaris/consolidation/osnet/osnet-incorporation@0.5.11"
            )
        );
        // The older solver wording, wrapped after "dependency" (omniosorg/pkg5#543).
        assert_eq!(
            j(
                "    Reason:  No version matching 'require' dependency",
                "    system/library@0.5.11-151059.0 can be installed"
            )
            .as_deref(),
            Some(
                "    Reason:  No version matching 'require' dependency system/library@0.5.11-151059.0 can be installed"
            )
        );
        assert_eq!(j("Reason:  No version matching 'require' dependency", "was not found"), None);
        // Not a continuation: indented, a word, a new message, a brand line, a path after words.
        assert_eq!(j("Reject:  pkg://solaris/web/php-53@5.3", "  /zones/z1/root"), None);
        assert_eq!(j("Reason: dependency on pkg:/web/php-53", "/zones/z1/root is not a dir"), None);
        assert_eq!(j("Reject:  pkg://solaris/web/php-53@5.3", "Reason: x"), None);
        assert_eq!(
            j("Reject:  pkg://solaris/web/php-53@5.3", "[Mon Nov 23 10:00:00 UTC 2026] /x"),
            None
        );
        assert_eq!(j("Reason:  excluded by installed incorporation", "/zones/z1"), None);
        assert_eq!(j("pkg install: No solution was found", "/python"), None);
    }
}
