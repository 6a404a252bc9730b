//! Lines a mail client or a terminal wrapped: which line goes on on the next one.
//!
//! A log pasted into a mail wrapped at 72 columns, or copied from a terminal 80 columns wide,
//! has its long lines cut in two or more. A wrapper leaves a mark: no line is wider than the
//! wrap width, a word-wrapper breaks a line only where its next word would not have fitted,
//! and a terminal cuts at exactly the width. The width is learnt from the input as it is read
//! (the widest line with words in it so far), so both input paths, which see the same lines in
//! the same order, decide alike. A line continues the one before only if it has none of the
//! structure of a record of its own: no timestamp, no indentation (pkg indents its solver
//! blocks and FMRI lists), no prompt, no `Word:` head, no table columns, and it does not start
//! the way the line before started (a list).

use super::analyzer::is_prompt;
use super::line::{has_timestamp, normalise};

/// Narrowest wrap width believed: mail clients wrap at 72–78 columns, terminals at 80 or more.
const MIN_WIDTH: usize = 60;
/// Widest wrap width believed: an input with a line of words wider than this was not wrapped.
pub const MAX_WIDTH: usize = 132;
/// Lines of this many columns below the width count as "near" it (see [`Widths::hard`]).
const NEAR: usize = 8;
/// Lines near the width (or, for a terminal's cut, exactly as wide) that make it a wrap width:
/// the widest line of a log that nobody wrapped is one line, not a margin. Until then only a
/// line that cannot start a message of its own (lower case, a digit, a path) continues.
const CONFIRM: u32 = 3;

/// What the input has shown of its line widths so far.
#[derive(Debug, Clone)]
pub(crate) struct Widths {
    /// `counts[c]`: lines with words of `c` columns (`c <= MAX_WIDTH`).
    counts: Vec<u32>,
    /// The widest line with words in it so far (saturating above `MAX_WIDTH`).
    widest: usize,
    /// The widest line of one token alone so far: a terminal cuts those at its width too, a
    /// word-wrapper leaves them whole.
    widest_token: usize,
}

impl Default for Widths {
    fn default() -> Self {
        Widths { counts: vec![0; MAX_WIDTH + 1], widest: 0, widest_token: 0 }
    }
}

/// How a line was cut.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Cut {
    /// At a blank, by a word-wrapper: the parts join with one blank.
    Word,
    /// At the width, anywhere in a word, by a terminal: the parts join as they are.
    Hard,
    /// At the width, between two letters (or a word and a path), in an input that has not
    /// shown a terminal's cut (a word-wrapper's margin may keep a line that ends exactly at
    /// it): the join that more patterns match.
    Either,
}

impl Widths {
    /// A line wider than any wrap was seen: no line of this input is cut, none need be seen.
    pub fn unwrapped(&self) -> bool {
        self.widest > MAX_WIDTH
    }

    /// Take one more line of the input (in input order, every line, both paths).
    pub fn see(&mut self, line: &[u8]) {
        if self.unwrapped() {
            return;
        }
        let line = chomp(line);
        if !has_words(line) {
            // One token alone (a long URL or FMRI) is not broken by a word-wrapper: it may
            // stick out beyond the width.
            self.widest_token = self.widest_token.max(columns(line.trim_ascii()));
            return;
        }
        let c = columns(line);
        self.widest = self.widest.max(c);
        if let Some(n) = self.counts.get_mut(c) {
            *n += 1;
        }
    }

    /// The wrap width the input may have: `None` when a line wider than any wrap was seen, or
    /// none as wide as the narrowest.
    pub fn width(&self) -> Option<usize> {
        (MIN_WIDTH..=MAX_WIDTH).contains(&self.widest).then_some(self.widest)
    }

    /// Lines as wide as the widest, and lines near it (below it by less than [`NEAR`]).
    fn at_width(&self) -> (u32, u32) {
        let w = self.widest;
        if !(MIN_WIDTH..=MAX_WIDTH).contains(&w) {
            return (0, 0);
        }
        (self.counts[w], self.counts[w - NEAR..w].iter().sum())
    }

    /// The input looks cut by a terminal: more lines are exactly as wide as the widest than
    /// are a little narrower (a word-wrapper leaves its lines spread below the width), and no
    /// token alone sticks out beyond it (a terminal cuts those too). Dated brand lines of
    /// one width, wrapped by a mail client, are no terminal's cut.
    fn hard(&self) -> bool {
        let (exact, near) = self.at_width();
        exact >= CONFIRM && exact * 2 > near && self.widest_token <= self.widest
    }

    /// Whether `line` may have been cut (it is wide enough for its rest to be on the next
    /// line): the lines the reader path must look at even when they hold no rule's literal.
    pub fn may_be_cut(&self, line: &[u8]) -> bool {
        let Some(w) = self.width() else { return false };
        let line = chomp(line);
        line.len() <= w * 4
            && !line.trim_ascii().is_empty()
            // Or a head alone (`URL:`) whose value did not fit after it.
            && (columns(line) * 2 >= w || bare_head(normalise(line)))
    }

    /// How `next` continues `prev` (the last line of what is held), if it does.
    pub fn continues(&self, prev: &[u8], next: &[u8]) -> Option<Cut> {
        let w = self.width()?;
        let (prev, next) = (chomp(prev), chomp(next));
        let prev_text = prev.trim_ascii_end();
        if prev_text.trim_ascii_start().is_empty() || next.trim_ascii().is_empty() {
            return None;
        }
        if has_timestamp(next) {
            return None;
        }
        let cols = columns(prev);
        let exact = cols == self.widest;
        // The width is a margin only when several lines reach it.
        let (at, near) = self.at_width();
        let confirmed = at + near >= CONFIRM;
        // Before the input confirms a terminal's cut, a line as wide as the widest was cut in
        // the middle of a word only where the cut is inside a name, a path or a number
        // (`zoneadm.2` + `0150116T…`); between two letters it may be a word-wrapper's.
        let inside_token = |b: u8| b.is_ascii_digit() || b"./_-@:,=".contains(&b);
        let joins = |b: Option<&u8>| b.is_some_and(|&b| b.is_ascii_alphabetic() || inside_token(b));
        let unsure = exact && !confirmed && joins(prev.last()) && joins(next.first());
        // Between two letters, or a word and a path (`… rooted at` + `/zones/…`, or `…/log`
        // + `/zones/…`), a blank may or may not have stood at the cut.
        let letters = prev.last().is_some_and(u8::is_ascii_alphabetic)
            && next.first().is_some_and(|&b| b.is_ascii_alphabetic() || b == b'/');
        // A word-wrapper breaks a long token (a version, a path) only where it is wider than
        // the width; one cut at the width with its rest going on in digits or punctuation
        // (`entire@0.5.11,5.1` + `1-0.134:…`) was cut by a terminal, whatever margin the
        // other lines show (a rest in letters may be the next word: `…/build-essential` +
        // `can be installed:`).
        let in_long_token = long_token_end(prev)
            && joins(prev.last())
            && next.first().is_some_and(|&b| inside_token(b));
        // A brand's `Head: value` line (`Attach Path: /zones/se` + `rvices0/root`, `Log File:
        // …attach_l` + `og.vAaGlb`) holds one token after its head: a rest of one token is
        // that token's end, two words there would be no such line.
        let value_cut = joins(prev.last())
            && next.first().is_some_and(u8::is_ascii_alphanumeric)
            && !next.trim_ascii().contains(&b' ')
            && head_and_value(normalise(prev));
        let hard = exact && (self.hard() || (unsure && !letters) || in_long_token || value_cut);
        // Indentation is structure (pkg's blocks and lists); a terminal that cut just before
        // a blank leaves one.
        let lead = next.iter().take_while(|&&b| b == b' ' || b == b'\t').count();
        if lead > 0 && !(exact && lead == 1 && next[0] == b' ') {
            return None;
        }
        let body = &next[lead..];
        let (prev_norm, next_norm) = (normalise(prev), normalise(next));
        // A terminal cut a long token (an FMRI, a path) at the width: a rest that is one
        // token is its end (`…:20120918` + `T160038Z`), never a word of its own.
        let token_cut = hard && long_token_end(prev_text) && !body.trim_ascii().contains(&b' ');
        if !confirmed {
            // Not upper case (a message of its own); after a word-wrapper's cut, a word.
            let first = body[0];
            let word =
                first.is_ascii_lowercase() || first.is_ascii_digit() || b"/'\"(".contains(&first);
            if (first.is_ascii_uppercase() && !token_cut) || !(hard || word) {
                return None;
            }
        }
        if !prev_norm.iter().any(u8::is_ascii_alphanumeric)
            || (starts_record(body) && !token_cut)
            || prompt(prev_norm)
            || prompt(next_norm)
            || is_list(prev_norm, body)
            || is_table(prev_norm, body)
        {
            return None;
        }
        // A line that ends in a colon announces the next one (`… use the following
        // command:`, `… in non-global zone to install:`), unless the colon ends a head with
        // nothing after it yet (`Reject:` whose FMRI went to the next line) or a terminal cut
        // a token after it (`…@2016-05-11-13:` + `17:30'`).
        if !(self.hard() || in_long_token)
            && prev_norm.ends_with(b":")
            && prev_norm.contains(&b' ')
            && !bare_head(prev_norm)
        {
            return None;
        }
        // A sentence that ended, and one that starts: two lines.
        if !hard && prev_norm.ends_with(b".") && body.first().is_some_and(u8::is_ascii_uppercase) {
            return None;
        }
        if self.hard() && !exact {
            // Cut by a terminal: a narrower line ended where its text did.
            return None;
        }
        if !exact {
            // A word-wrapper breaks only where the next word would not have fitted. Some
            // break one column short of the widest line they keep (the blank after the word
            // counted as well): a word that would have ended exactly at the width may have
            // gone to the next line.
            let word = body.iter().position(|&b| b == b' ' || b == b'\t').unwrap_or(body.len());
            if columns(prev_text) + 1 + columns(&body[..word]) < w {
                return None;
            }
        }
        Some(if hard {
            Cut::Hard
        } else if exact && !self.hard() && letters {
            Cut::Either
        } else {
            Cut::Word
        })
    }
}

/// `prev` and `next` as one line, cut as `cut` says.
pub(crate) fn join(prev: &[u8], next: &[u8], cut: Cut) -> Vec<u8> {
    let (prev, next) = (chomp(prev), chomp(next));
    let mut out = Vec::with_capacity(prev.len() + next.len() + 1);
    match cut {
        Cut::Hard => {
            out.extend_from_slice(prev);
            out.extend_from_slice(next);
        }
        Cut::Word | Cut::Either => {
            out.extend_from_slice(prev.trim_ascii_end());
            out.push(b' ');
            out.extend_from_slice(next.trim_ascii_start());
        }
    }
    out
}

/// Without its line end.
fn chomp(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// Columns on a terminal (characters; a UTF-8 sequence is one).
fn columns(line: &[u8]) -> usize {
    if line.len() > MAX_WIDTH * 4 {
        return line.len();
    }
    line.iter().filter(|&&b| b & 0xc0 != 0x80).count()
}

/// Two words or more (a blank between text), in the first bytes a line is matched on.
fn has_words(line: &[u8]) -> bool {
    let t = line[..line.len().min(super::line::MAX_MATCH_LEN)].trim_ascii();
    t.iter().any(|&b| b == b' ' || b == b'\t')
}

/// Commands whose messages start with their name and a colon (`pkg: …`, `pkg install: …`,
/// `zoneadm: …`), and the words tools put before a message of their own.
const HEADS: [&[u8]; 22] = [
    b"pkg", b"zoneadm", b"zonecfg", b"zlogin", b"zfs", b"zpool", b"beadm", b"mount", b"umount",
    b"svcadm", b"svccfg", b"sh", b"ksh", b"bash", b"cp", b"zadm", b"onu", b"error", b"warning",
    b"note", b"fatal", b"usage",
];

/// A line that starts a record of its own: a bracket (`[date]`, `[Connected to zone …]`), a
/// linked image's `|`, a bullet or a rule (`- `, `* `, `----`), a word in capitals
/// (`DOWNLOAD`, `PHASE`, `ERROR`), a head (`Reject:`, `Log File:`, `Packages to update:`,
/// `pkg install:`, `zoneadm:`).
fn starts_record(body: &[u8]) -> bool {
    let Some(&first) = body.first() else { return true };
    if matches!(first, b'[' | b'|' | b'#' | b'$' | b'%' | b'>' | b'`') {
        return true;
    }
    if matches!(first, b'-' | b'*' | b'+' | b'=' | b'_' | b'~')
        && (body.get(1) == Some(&b' ') || body.iter().take(3).all(|&b| b == first))
    {
        return true;
    }
    let word_len = body.iter().take_while(|b| b.is_ascii_alphanumeric()).count();
    let word = &body[..word_len];
    // A capitalised word alone: a shell's notice of its job (`Killed`, `Terminated`, `Done`).
    if word_len == body.trim_ascii_end().len() && first.is_ascii_uppercase() {
        return true;
    }
    // A command line a tool echoes (`pkg -R /root image-update failed`).
    let rest = &body[word_len..];
    if HEADS.contains(&word) && (rest.starts_with(b" -") || rest.starts_with(b" /")) {
        return true;
    }
    if word_len >= 3
        && first.is_ascii_uppercase()
        && word.iter().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
    {
        return true;
    }
    // A head: up to four words, the first capitalised (or a command's name), then a colon
    // and a blank or the end of the line.
    let Some(colon) = body.iter().take(60).position(|&b| b == b':') else { return false };
    let head = &body[..colon];
    let after = body.get(colon + 1);
    // `pkg: …`, `error:14090086:…`; not an FMRI (`pkg:/…`), which goes on a `Reject:`.
    if HEADS.contains(&head) && after != Some(&b'/') {
        return true;
    }
    if !(after.is_none() || after == Some(&b' ') || after == Some(&b'\t')) {
        return false;
    }
    // A program's or an exception's name (`pkg.sysrepo:`, `api_errors.PermissionsException:`).
    if !head.is_empty()
        && head.iter().all(|b| b.is_ascii_alphanumeric() || b"._-".contains(b))
        && head.iter().any(|b| b"._".contains(b))
    {
        return true;
    }
    let words = head.split(|&b| b == b' ').filter(|w| !w.is_empty()).count();
    let plain = head.iter().all(|b| b.is_ascii_alphanumeric() || b" _()/.-".contains(b));
    plain
        && (1..=4).contains(&words)
        && (first.is_ascii_uppercase()
            || HEADS.contains(&head.split(|&b| b == b' ').next().unwrap_or(head)))
}

/// The line ends in a long token that names something (an FMRI, a path, a version): a
/// terminal's cut there leaves the rest of the name.
fn long_token_end(text: &[u8]) -> bool {
    let token = text.rsplit(|&b| b == b' ' || b == b'\t').next().unwrap_or(text);
    token.len() >= 16 && token.iter().any(|b| b"/@:".contains(b))
}

/// A line that is a head of capitalised words and one token after it (`Attach Path: /zones/z1/root`).
fn head_and_value(norm: &[u8]) -> bool {
    let text = norm.trim_ascii();
    let Some(colon) = text.windows(2).position(|w| w == b": ") else { return false };
    let (head, value) = (&text[..colon], text[colon + 2..].trim_ascii_start());
    head.first().is_some_and(u8::is_ascii_uppercase)
        && head.iter().all(|&b| b.is_ascii_alphabetic() || b == b' ' || b == b'-')
        && head.split(|&b| b == b' ').count() <= 4
        && !value.is_empty()
        && !value.contains(&b' ')
}

/// A line that is a head and nothing else (`Global zone version:`, `Reject:`): its value went
/// to the next line.
fn bare_head(norm: &[u8]) -> bool {
    let text = norm.trim_ascii_end();
    !text.is_empty()
        && text.iter().position(|&b| b == b':') == Some(text.len() - 1)
        && starts_record(text)
}

/// A shell's prompt, or a tool's (`zonecfg:z1> `), starts the line: a command typed.
fn prompt(norm: &[u8]) -> bool {
    let first = norm.split(|&b| b == b' ').next().unwrap_or(norm);
    // `[root@host /dir]# ` (a bracketed prompt)
    let bracketed = norm.first() == Some(&b'[')
        && norm.iter().take(80).position(|&b| b == b']').is_some_and(|e| {
            norm[..e].contains(&b'@') && matches!(norm.get(e + 1), Some(b'#' | b'$' | b'%'))
        });
    is_prompt(norm)
        || bracketed
        || (first.len() >= 2 && first.ends_with(b">") && first.len() < norm.len())
}

/// Both lines start with the same word or both with an FMRI: items of a list, not one line.
fn is_list(prev: &[u8], body: &[u8]) -> bool {
    let first = |s: &[u8]| -> Vec<u8> {
        s.iter().take_while(|&&b| b != b' ' && b != b'\t').copied().collect()
    };
    let (a, b) = (first(prev), first(body));
    (a.len() >= 2 && a == b) || (a.starts_with(b"pkg:/") && b.starts_with(b"pkg:/"))
}

/// Both lines have columns (a run of three blanks inside): rows of a table.
fn is_table(prev: &[u8], body: &[u8]) -> bool {
    let columns = |s: &[u8]| s.trim_ascii().windows(3).any(|w| w == b"   ");
    columns(prev) && columns(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn widths(lines: &[&str]) -> Widths {
        let mut w = Widths::default();
        for l in lines {
            w.see(l.as_bytes());
        }
        w
    }

    /// Three lines of words near 72 columns: a mail client's margin.
    fn mail() -> Widths {
        let l = |c: char| format!("{c}{}", " word".repeat(14));
        widths(&[&l('a'), &l('b')[..69], &l('c')[..70]])
    }

    #[test]
    fn a_word_wrapped_line_continues() {
        let w = mail();
        assert_eq!(w.width(), Some(71));
        let prev = b"    Reason:  This version is excluded by a freeze on";
        assert_eq!(w.continues(prev, b"web/server/apache-22 at version 2.2.22"), Some(Cut::Word));
        assert_eq!(
            join(prev, b"web/server/apache-22 at\r\n", Cut::Word),
            b"    Reason:  This version is excluded by a freeze on web/server/apache-22 at"
        );
        // The next word would have fitted: the line ended there.
        assert_eq!(w.continues(prev, b"web at version"), None);
        // It would have ended exactly at the width: a wrapper that breaks one column short
        // of the widest line it keeps (the blank counted) moved it.
        let short = format!("{} doesn't", "x".repeat(57));
        assert_eq!(columns(short.as_bytes()) + 1 + "match".len(), 71);
        assert_eq!(w.continues(short.as_bytes(), b"match the catalog's"), Some(Cut::Word));
        // A head whose FMRI went to the next line.
        assert_eq!(
            w.continues(b"  Reject:", &[b"pkg://solaris/".as_slice(), &[b'a'; 60]].concat()),
            Some(Cut::Word)
        );
        // A head alone is a line that may be cut, however short.
        assert!(w.may_be_cut(b"URL:"));
        assert!(!w.may_be_cut(b"Done."));
        assert!(!w.may_be_cut(b"[Fri Jan 16 07:45:39 UTC 2015] "));
        // A head of several words whose value went to the next line.
        assert_eq!(
            w.continues(
                b"[Tue Mar  5 10:00:05 UTC 2024]        Global zone version:",
                b"entire@11-2024.0.0.22500:20240301T081512Z"
            ),
            Some(Cut::Word)
        );
    }

    #[test]
    fn a_line_at_a_word_margin_may_still_be_cut_inside_a_token() {
        // A word-wrapper's margin (not a terminal's); lines exactly at it.
        let w = mail();
        let at = |s: &str| format!("{}{s}", "x ".repeat(40))[80 + s.len() - 71..].to_string();
        // In a version or a name: the rest of the token, joined as it is, even after a colon.
        let version = at("Non-Global zone version: entire@0.5.11,5.1");
        assert_eq!(w.continues(version.as_bytes(), b"1-0.134:20100302T023411Z"), Some(Cut::Hard));
        let snapshot = at("cannot create snapshot 'rpool/zones/app4/ROOT/s-1@2016-05-11-13:");
        assert_eq!(w.continues(snapshot.as_bytes(), b"17:30': out of space"), Some(Cut::Hard));
        // Between two letters, after a name too: either, as the patterns decide (`… can be
        // installed`, `… package client`).
        let name = at("pkg install: No matching version of metapackages/build-essential");
        assert_eq!(w.continues(name.as_bytes(), b"can be installed:"), Some(Cut::Either));
        let words = at("in use by another packa");
        assert_eq!(w.continues(words.as_bytes(), b"ge client: pkg on gz01"), Some(Cut::Either));
    }

    #[test]
    fn a_record_of_its_own_does_not_continue() {
        let w = mail();
        let prev = "a ".repeat(35);
        let prev = prev.trim_end().as_bytes();
        for next in [
            &b"  Reject:  pkg://solaris/a@1"[..],
            b"Reject:  pkg://solaris/a@1",
            b"[Fri Jan 16 07:45:16 UTC 2015] x",
            b"Jan 16 07:45:16 gz01 x",
            b"DOWNLOAD   PKGS",
            b"pkg install: x",
            b"pkg -R /zones/z1/root image-update failed",
            b"zoneadm: zone 'z1': x",
            b"pkg.client.api_errors.PermissionsException: x",
            b"Log File: /var/tmp/x",
            b"root@gz:~# zoneadm -z z1 attach -u",
            b"zonecfg:z1> set x",
            b"----------------------------------------",
            b"- item",
            b"```",
            b"Killed",
            b"",
        ] {
            assert_eq!(w.continues(prev, next), None, "{}", String::from_utf8_lossy(next));
        }
        // Lists, tables, a prompt's command, a line that announces the next one, a sentence.
        let long = |s: &str| format!("{s} {}", "x".repeat(70 - s.len()));
        let no = |p: &str, n: &str| {
            assert_eq!(w.continues(long(p).as_bytes(), n.as_bytes()), None, "{p}")
        };
        no("pkg://solaris/a@1", "pkg://solaris/b@2");
        no("solaris      origin   online", "extra      origin   online");
        no("root@gz:~# zoneadm -z z1 attach", "/zones/z1 is not a directory.");
        no("Use the following command:", "zoneadm -z z1 attach -z zbe");
        assert_eq!(
            w.continues(format!("{}. It ended.", "x".repeat(60)).as_bytes(), b"Another one"),
            None
        );
        // Text continues: lower case, a path, an FMRI, a capital without a colon.
        for next in
            [&b"zone: Auditing packages."[..], b"/zones/z1/root", b"pkg://s/a@1", b"Failed."]
        {
            assert!(w.continues(prev, next).is_some(), "{}", String::from_utf8_lossy(next));
        }
    }

    #[test]
    fn a_terminal_cut_joins_as_it_is() {
        let a = "a".repeat(80);
        let full = |c: char| format!("{c} {a}")[..80].to_string();
        let w = widths(&[&full('x'), &full('y'), &full('z'), "short line"]);
        let prev = full('p');
        let prev = prev.as_bytes();
        assert_eq!(w.continues(prev, b"ent"), Some(Cut::Hard));
        assert_eq!(w.continues(prev, b" /zones/z1"), Some(Cut::Hard));
        assert_eq!(join(prev, b" /zones/z1", Cut::Hard).len(), 90);
        // A narrower line of a terminal's copy ended where its text did.
        assert_eq!(w.continues(&prev[..70], b"ent"), None);
        // An indented line is pkg's, even after a full one.
        assert_eq!(w.continues(prev, b"    Reason: x"), None);
        // The rest of an FMRI cut at the width, even one that looks like a word of capitals.
        let fmri =
            format!("  Reject:  pkg://solaris/compatibility/ucb@0.5.11,5.11-{}", "0".repeat(80));
        let fmri = &fmri.as_bytes()[..80];
        assert_eq!(w.continues(fmri, b"Z"), Some(Cut::Hard));
        assert_eq!(w.continues(fmri, b"T160038Z"), Some(Cut::Hard));
        // After words, a capitalised word alone is a record (a shell's `Killed`).
        assert_eq!(w.continues(prev, b"Killed"), None);
    }

    #[test]
    fn before_the_margin_is_known_only_a_rest_continues() {
        // One line as wide as the widest so far: a cut inside a name joins as it is, one
        // between letters is either, a capital starts a line of its own.
        let first =
            "[Tue Nov 15 10:30:29 UTC 2011] Progress being logged to /var/log/zones/zoneadm.2";
        let w = widths(&[first]);
        assert_eq!(w.continues(first.as_bytes(), b"0111115T103029Z.z1.attach"), Some(Cut::Hard));
        let words =
            "pkg uninstall: Unable to remove 'web/php-56@5.6.40-2020.0.1.3' due to the follo";
        let w = widths(&[words]);
        assert_eq!(
            w.continues(words.as_bytes(), b"wing packages that depend on it:"),
            Some(Cut::Either)
        );
        assert_eq!(w.continues(words.as_bytes(), b"Attaching..."), None);
        // A word, then a path: a mail client drops the blank, a terminal keeps none.
        let at = "pkg update-format: The configuration data for the image rooted at";
        let w = widths(&[at]);
        assert_eq!(w.continues(at.as_bytes(), b"/zones/db1/root is empty."), Some(Cut::Either));
    }

    #[test]
    fn a_token_wider_than_the_margin_is_no_terminal_s_cut() {
        // Dated lines all as wide as each other look like a terminal's cut…
        let dated =
            |s: &str| format!("[Fri Jan 16 07:45:39 UTC 2015]   Updating non-global zone: {s}");
        let mut w = widths(&[&dated("Linking"), &dated("Syncing"), &dated("Sharing")]);
        let prev = b"        Reason:  This version is excluded by a freeze on";
        let next = b"web/server/apache-22 at version 2.2.22";
        assert_eq!(w.continues(prev, next), None);
        // … until a token alone sticks out beyond them: a word-wrapper's margin.
        w.see(b"pkg://solaris/consolidation/userland/userland-incorporation@0.5.11-0.175.2");
        assert_eq!(w.continues(prev, next), Some(Cut::Word));
    }

    #[test]
    fn no_width_no_wrap() {
        let w = widths(&[&"a ".repeat(120)]);
        assert_eq!(w.width(), None);
        assert_eq!(w.continues(&b"b ".repeat(100), b"continued"), None);
        // A long token alone does not widen; nothing as wide as a margin yet: no width.
        let w = widths(&[&"p".repeat(300), "a b"]);
        assert_eq!(w.width(), None);
        assert_eq!(w.continues(b"a b", b"continued"), None);
    }
}
