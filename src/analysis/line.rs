//! One input line: normalisation before matching, and safe text for reports.

use std::borrow::Cow;

/// Lines longer than this are cut before matching (a megabyte line of progress bar must not
/// cost a megabyte regex scan per rule, nor memory).
pub const MAX_MATCH_LEN: usize = 16 * 1024;

/// Evidence text is cut to this many bytes.
pub const MAX_EVIDENCE_LEN: usize = 400;

/// The part of a raw line that rules are matched against: without the line end, the log
/// helpers' `[<date>] ` prefix (brackets holding a time), an ISO timestamp, a syslog header
/// after it (`gz01 zoneadm[123]: [ID 702911 daemon.error] `: the log as syslog or a console
/// kept it), a linked-image `| ` prefix, and surrounding blanks. Prefixes nest (a brand line
/// sent to syslog keeps its `[date]`), so they are taken off until none is left.
pub fn normalise(raw: &[u8]) -> &[u8] {
    let mut s = &raw[..raw.len().min(MAX_MATCH_LEN)];
    s = trim(s);
    for _ in 0..3 {
        let before = s.len();
        if let Some(end) = date_bracket_end(s) {
            s = trim(&s[end + 1..]);
        }
        s = strip_iso_timestamp(s);
        if s.len() == before {
            break;
        }
    }
    if let Some(rest) = s.strip_prefix(b"| ") {
        s = trim(rest);
    }
    s
}

/// Undo what posting a log does to its lines before they are read, so that a log copied from
/// a web page or quoted in a mail reply reads like the log itself: HTML entities a page copy
/// leaves (`&#39;`, `&quot;`, `&gt;` …), the typographic quotes, dashes and spaces a blog or
/// word processor puts for `'`, `"`, `-` and blanks (and the zero-width spaces a page puts in
/// long words), HTML line breaks and `<pre>` left in, and mail quoting (`> `, `>> `, `> > `) at the start of each line. Newlines
/// are kept, so line numbers stay those of the input. Borrowed when there is nothing to undo.
pub fn depaste(text: &[u8]) -> Cow<'_, [u8]> {
    if !needs_depaste(text) {
        return Cow::Borrowed(text);
    }
    let mut lines: Vec<Cow<'_, [u8]>> = Vec::new();
    for line in text.split(|&b| b == b'\n') {
        let mut l = Cow::Borrowed(line);
        // Colour first: `grep --color` puts it inside the words rules match.
        if l.contains(&0x1b) {
            l = Cow::Owned(strip_ansi(&l));
        }
        // Entities first: a web archive shows a mail's quoting as `&gt; `.
        if l.contains(&b'&') {
            l = Cow::Owned(replace_all(&l, ENTITIES));
        }
        if l.iter().any(|&b| b == 0xc2 || b == 0xe2) {
            l = Cow::Owned(replace_all(&l, TYPOGRAPHY));
        }
        // A multilog label starts the line as kept, or follows what quoted or sent it on.
        let kept = strip_tai64n(strip_syslog(strip_chat(strip_quoting(strip_html_tags(
            strip_tai64n(&l),
        )))));
        lines.push(if kept.len() == l.len() { l } else { Cow::Owned(kept.to_vec()) });
    }
    // Line numbers last: a mail quotes, a web page escapes, the numbered lines.
    let mut out = Vec::with_capacity(text.len());
    for (k, (l, raw)) in lines.iter().zip(text.split(|&b| b == b'\n')).enumerate() {
        if k > 0 {
            out.push(b'\n');
        }
        let n = line_number_len(l);
        // A chat log numbered by a paste site or `cat -n` (regress mm F7): its prefix follows
        // the number.
        let l = if n > 0 { strip_chat(&l[n..]) } else { &l[..] };
        // A line left empty stays a (blank) line: an input that ends without a newline still
        // ends in a line.
        out.extend_from_slice(if l.is_empty() && !raw.is_empty() { b" " } else { l });
    }
    Cow::Owned(out)
}

/// Terminal escape sequences a coloured paste keeps (`grep --color`, a colourising pager):
/// CSI (`ESC [ … m`, `ESC [ K`) and the two-byte ones (`ESC ( B`).
fn strip_ansi(line: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(line.len());
    let mut i = 0;
    while i < line.len() {
        if line[i] != 0x1b {
            out.push(line[i]);
            i += 1;
            continue;
        }
        match line.get(i + 1) {
            Some(b'[') => {
                // Parameter and intermediate bytes, then one final byte.
                let mut j = i + 2;
                while line.get(j).is_some_and(|b| (0x20..=0x3f).contains(b)) {
                    j += 1;
                }
                i = if line.get(j).is_some_and(|b| (0x40..=0x7e).contains(b)) { j + 1 } else { j };
            }
            Some(b'(' | b')') => i = (i + 3).min(line.len()),
            Some(_) => i += 2,
            None => i += 1,
        }
    }
    out
}

/// How many bytes of `line` are a line number a paste put before it: `cat -n`'s (`%6d` and a
/// tab), or `grep -n`'s (`12:` on a match, `12-` on context, with grep's file name before it
/// when there is one), while a log line that starts with a date (`2018-01-18 …`) or a time
/// (`10:14:09 …`) is left alone. One line at a time, so a log fed line by line reads as one
/// read whole.
fn line_number_len(line: &[u8]) -> usize {
    cat_n_prefix(line).or_else(|| grep_n_prefix(line)).or_else(|| list_prefix(line)).unwrap_or(0)
}

/// A numbered list's `12. ` or `12) ` (a paste site's line numbers copied along, realworld kk
/// F3): digits, a dot or a parenthesis and one blank; the line's own indentation stays. A
/// version (`0.5.11`) has no blank after its dot.
fn list_prefix(line: &[u8]) -> Option<usize> {
    let lead = line.iter().take(8).take_while(|&&b| b == b' ').count();
    let digits = line[lead..].iter().take(7).take_while(|b| b.is_ascii_digit()).count();
    let dot = lead + digits;
    let ok = (1..=6).contains(&digits)
        && matches!(line.get(dot), Some(b'.' | b')'))
        && matches!(line.get(dot + 1), Some(b' ') | None);
    ok.then(|| (dot + 2).min(line.len()))
}

/// `cat -n`: the number right-aligned in six columns (wider past 999999), then a tab; a
/// forum's code block may indent it further. All of it goes, the blanks before the number too.
fn cat_n_prefix(line: &[u8]) -> Option<usize> {
    let tab = line.iter().take(24).position(|&b| b == b'\t')?;
    let head = &line[..tab];
    let digits = head.iter().rev().take_while(|b| b.is_ascii_digit()).count();
    let lead = tab - digits;
    let ok = digits > 0 && tab >= 6 && head[..lead].iter().all(|&b| b == b' ');
    ok.then_some(tab + 1)
}

/// `grep -n`: digits, then `:` or `-` (after a code block's indentation), then the line as it
/// was: text at once (`11:pkg install: …`, `6:120081 is not installed`), or its own
/// indentation (`12-  Reject: …`). Not a date or a time (`2018-01-18 …`, `10:14:09 …`), nor one
/// blank and a word (`119254: version mismatch`, a Solaris 10 patch, `404: Not Found`). With
/// grep's file name before it (`-H`, or several files): an attach log's path, then `:` or `-`.
fn grep_n_prefix(line: &[u8]) -> Option<usize> {
    let lead = line.iter().take(8).take_while(|&&b| b == b' ').count();
    let file = attach_log_path_len(&line[lead..]).map_or(0, |n| n + 1);
    let at = lead + file;
    let digits = line[at..].iter().take(8).take_while(|b| b.is_ascii_digit()).count();
    if digits == 0 && file > 0 {
        // `grep -H` without -n: the file name alone.
        return Some(at);
    }
    let sep = at + digits;
    let rest = line.get(sep + 1..).unwrap_or_default();
    // Digits after the separator are the line's own (a date `2018-01-18`, a time `10:14:09`
    // or `12:40`, a patch `119397-09`, a version a terminal's wrap cut before `11-151054.0`),
    // but for what grep -n pastes of Solaris 10 logs show: a number and a blank (`6:120081 is
    // not installed`), or a `zoneadm list -p` row (`7:0:global:running`).
    let stamp = {
        let d = rest.iter().take_while(|b| b.is_ascii_digit()).count();
        let after = rest.get(d);
        let number = d > 2 && after.is_none_or(u8::is_ascii_whitespace);
        let row =
            d > 0 && after == Some(&b':') && rest.get(d + 1).is_some_and(u8::is_ascii_alphabetic);
        d > 0 && !number && !row
    };
    let ok = digits > 0
        && matches!(line.get(sep), Some(b':' | b'-'))
        && !stamp
        && !(rest.first() == Some(&b' ') && rest.get(1).is_some_and(|b| !b.is_ascii_whitespace()));
    ok.then_some(sep + 1)
}

/// The length of an attach log's path at the start of `s` before grep's `:` (a match) or `-`
/// (context): `/var/tmp/z1.attach_log.AbCd12` (or relative, grep run in /var/tmp),
/// `/var/log/zones/zoneadm.20260101T…Z.z1.attach`.
fn attach_log_path_len(s: &[u8]) -> Option<usize> {
    let s = &s[..s.len().min(200)];
    let find = |w: &[u8]| s.windows(w.len()).position(|x| x == w).map(|i| i + w.len());
    let end = match find(b".attach_log.") {
        Some(i) => i + s[i..].iter().take_while(|b| b.is_ascii_alphanumeric()).count(),
        None if s.starts_with(b"/var/log/zones/") => find(b".attach")?,
        None => return None,
    };
    let path = !s[..end].iter().any(|b| b.is_ascii_whitespace());
    (path && matches!(s.get(end), Some(b':' | b'-'))).then_some(end)
}

/// A line saved from a web page without its tags taken off: the `<br>` that ends it, and
/// the `<pre>` / `<code>` around the block (left in, a `<br>` ended up in the commands given
/// to copy: `pkg -R /zones/z/root<br> uninstall …`, a redirection in a shell).
fn strip_html_tags(line: &[u8]) -> &[u8] {
    const OPEN: [&[u8]; 4] = [b"<pre>", b"<PRE>", b"<code>", b"<CODE>"];
    const CLOSE: [&[u8]; 8] =
        [b"<br>", b"<BR>", b"<br/>", b"<BR/>", b"<br />", b"<BR />", b"</pre>", b"</code>"];
    let mut l = line.strip_suffix(b"\r").unwrap_or(line);
    let body = l.len();
    loop {
        let before = l.len();
        for t in OPEN {
            l = l.strip_prefix(t).unwrap_or(l);
        }
        for t in CLOSE {
            l = l.trim_ascii_end().strip_suffix(t).unwrap_or(l);
        }
        if l.len() == before {
            // Nothing taken off: the line as it was (its CR too).
            return if l.len() == body { line } else { l };
        }
    }
}

/// Whether anything in `text` may be undone: an `&`, a byte that starts one of the
/// characters replaced, or a `>` that opens a line (after blanks).
fn needs_depaste(text: &[u8]) -> bool {
    let mut line_start = true;
    for (i, &b) in text.iter().enumerate() {
        match b {
            b'&' | b'<' | 0xc2 | 0xe2 | 0x1b => return true,
            b'>' if line_start => return true,
            // A line number a paste put before the line (see `line_number_len`), or grep's
            // file name.
            b'0'..=b'9' if line_start => return true,
            _ if line_start && attach_log_path_len(&text[i..]).is_some() => return true,
            b'@' if line_start && tai64n_len(&text[i..]).is_some() => return true,
            // A chat export's `[18/01/2018, 09:14:05] kim: ` (realworld vv F2).
            b'[' if line_start && {
                let line = text[i..].split(|&b| b == b'\n').next().unwrap_or_default();
                strip_chat(line).len() != line.len()
            } =>
            {
                return true;
            }
            b'J' | b'F' | b'M' | b'A' | b'S' | b'O' | b'N' | b'D'
                if line_start && syslog_header_len(&text[i..]).is_some() =>
            {
                return true;
            }
            b'\n' => line_start = true,
            b' ' | b'\t' => {}
            _ => line_start = false,
        }
    }
    false
}

/// The length of a syslog header before a log line copied from `/var/adm/messages` (or
/// sent there by `logger`), taken off the raw line so that pkg's indentation and a brand
/// line's `[date]` behind it read as in the log itself: `Mar 12 10:14:09 HOST TAG[PID]: `
/// with the Solaris message id `[ID 702911 daemon.notice] ` after it, if any. [`normalise`]
/// takes a looser set of headers off the text rules are matched against; this one must not
/// eat a message: not when HOST is a command whose own output this may be (`Mar  3 10:22:33
/// pkg install: …`), and a TAG without pid only before a message id or a `[date]`.
fn syslog_header_len(l: &[u8]) -> Option<usize> {
    const COMMANDS: [&[u8]; 8] =
        [b"pkg", b"zoneadm", b"zonecfg", b"zfs", b"zlogin", b"beadm", b"mount", b"umount"];
    const MONTHS: [&[u8]; 12] = [
        b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov",
        b"Dec",
    ];
    let l = &l[..l.len().min(400)];
    // RFC 3164's stamp: the month's name, the day, the time (no year, no zone).
    let t = find_time(l)?;
    if !MONTHS.contains(&l.get(..3)?) || !is_date_words(&l[..t]) || l.get(t + 8) != Some(&b' ') {
        return None;
    }
    let mut i = t + 9;
    let host =
        l[i..].iter().take_while(|b| b.is_ascii_alphanumeric() || b"._-".contains(b)).count();
    if host == 0 || l.get(i + host) != Some(&b' ') || COMMANDS.contains(&&l[i..i + host]) {
        return None;
    }
    i += host + 1;
    let tag =
        l[i..].iter().take_while(|b| b.is_ascii_alphanumeric() || b"._/-[]".contains(b)).count();
    if tag == 0 || l.get(i + tag..i + tag + 2) != Some(b": ".as_slice()) {
        return None;
    }
    let with_pid = l[..i + tag].ends_with(b"]");
    i += tag + 2;
    let rest = &l[i..];
    if rest.starts_with(b"[ID ")
        && let Some(end) = rest.iter().position(|&b| b == b']')
    {
        // One blank separates it from the message, whose own indentation follows.
        let blank = usize::from(rest.get(end + 1) == Some(&b' '));
        return Some(i + end + 1 + blank);
    }
    // A tag without its pid may be the message's own first word (`zoneadm: zone 'z1': …`),
    // unless a brand line's `[date]` follows it.
    (with_pid || date_bracket_end(rest).is_some()).then_some(i)
}

/// The line without a syslog header ([`syslog_header_len`]).
fn strip_syslog(line: &[u8]) -> &[u8] {
    match syslog_header_len(line) {
        Some(n) => &line[n..],
        None => line,
    }
}

/// The length of the TAI64N label daemontools' `multilog t` puts before each line it keeps
/// (`@4000000063c5f0e11f3a7b5c `, the field notes' way of logging every step), if any.
fn tai64n_len(l: &[u8]) -> Option<usize> {
    let hex = l.get(1..25)?;
    (l[0] == b'@' && hex.iter().all(u8::is_ascii_hexdigit) && l.get(25) == Some(&b' '))
        .then_some(26)
}

/// The line without its `multilog t` label ([`tai64n_len`]).
fn strip_tai64n(line: &[u8]) -> &[u8] {
    match tai64n_len(line) {
        Some(n) => &line[n..],
        None => line,
    }
}

/// The line without the prefix a chat log puts before each message: a time, then the nick in
/// angle brackets with its channel mode (`04:57 < jclulow> `, irssi; `[04:57:12] <@alice> `,
/// `[2026-07-06 04:57:12] <alice> `, other clients; `<alice> ` alone). A nick is a word: a
/// line's own `<system-repository>` stays.
fn strip_chat(line: &[u8]) -> &[u8] {
    let lead = line.iter().take(8).take_while(|&&b| b == b' ').count();
    let s = &line[lead..];
    // `H:MM` or `HH:MM`, then `:SS` if any; or a bracket holding a date and a time; or
    // nothing (a bare `<nick> `, regress ll F3).
    let digits = |i: usize| s[i.min(s.len())..].iter().take_while(|b| b.is_ascii_digit()).count();
    let mut i = 0;
    if let Some(end) = date_bracket_end(s) {
        i = end + 1;
    } else if s.first() != Some(&b'<') {
        // WeeChat's `2026-07-06 04:57:12 nick | `: a date before the time (or ISO 8601's
        // `2026-07-06T04:55:00 <nick> `).
        if digits(0) == 4
            && s.get(4) == Some(&b'-')
            && digits(5) == 2
            && s.get(7) == Some(&b'-')
            && digits(8) == 2
            && matches!(s.get(10), Some(b' ' | b'T'))
        {
            i = 11;
        }
        let hours = digits(i);
        if !(1..=2).contains(&hours)
            || s.get(i + hours) != Some(&b':')
            || digits(i + hours + 1) != 2
        {
            return line;
        }
        i += hours + 3;
        if s.get(i) == Some(&b':') && digits(i + 1) == 2 {
            // A bouncer's or bridge's ISO 8601 stamp: `…T04:55:00.123+02:00 <nick> ` (regress
            // vv F6).
            i = seconds_end(s, i + 3);
        }
        if let Some(end) = weechat_nick_end(&s[i..]) {
            return &line[lead + i + end..];
        }
    }
    // Alone, without a time before it, a stricter word (no `-` or `.`, as in a line's own
    // `<system-repository>`).
    let bare = i == 0;
    let blanks = s[i..].iter().take_while(|&&b| b == b' ').count();
    // A chat export's `[18/01/2018, 09:14:05] kim: ` or `…T09:14:05+01:00 kim: ` (realworld
    // vv F2). Not after a bracket with words in it (the brand's own `[Tue Nov 15 … 2011]`).
    let numeric_stamp = s.first() != Some(&b'[')
        || s[..i].iter().all(|b| b.is_ascii_digit() || b"[]/.-:, ".contains(b));
    if !bare
        && blanks == 1
        && numeric_stamp
        && let Some(end) = speaker_end(&s[i + 1..])
    {
        return &line[lead + i + 1 + end..];
    }
    if (i > 0 && blanks == 0) || s.get(i + blanks) != Some(&b'<') {
        return line;
    }
    i += blanks + 1;
    i += usize::from(s.get(i).is_some_and(|b| b" @+%&~".contains(b)));
    let nick = nick_len(&s[i..], if bare { b"_[]`^{}|" } else { b"_-[]\\`^{}|." });
    if nick == 0 || nick > 32 || s.get(i + nick) != Some(&b'>') {
        return line;
    }
    i += nick + 1;
    i += usize::from(s.get(i) == Some(&b' '));
    &line[lead + i..]
}

/// After a chat export's time, its speaker's `name: `: the length taken, or None. A name with
/// a lower-case letter that is no word a log itself puts before a colon (`ERROR:`, `Reason:`,
/// `Cache:` …), so a stamped log's own lines stay text.
fn speaker_end(s: &[u8]) -> Option<usize> {
    const LOG_WORDS: [&str; 16] = [
        "reason",
        "reject",
        "result",
        "error",
        "warning",
        "note",
        "notice",
        "pkg",
        "log",
        "cache",
        "installing",
        "output",
        "progress",
        "url",
        "errno",
        "phase",
    ];
    let n = nick_len(s, b"_-.");
    if n == 0 || n > 32 || s.get(n..n + 2) != Some(b": ") {
        return None;
    }
    let name = String::from_utf8_lossy(&s[..n]).to_ascii_lowercase();
    let lower = s[..n].iter().any(u8::is_ascii_lowercase);
    (lower && !LOG_WORDS.contains(&name.as_str())).then_some(n + 2)
}

/// The length of the nick at the start of `s` (letters, digits and `extra`), at most 33: more
/// than 32 is no nick.
fn nick_len(s: &[u8], extra: &[u8]) -> usize {
    s.iter().take(33).take_while(|b| b.is_ascii_alphanumeric() || extra.contains(b)).count()
}

/// After a chat log's time, WeeChat's nick column: blanks (the nick is right-aligned), the
/// nick with its mode, blanks, then `|` (or the box-drawing `│` of a copied screen) and a
/// blank. The length taken, or None when the line goes on otherwise.
fn weechat_nick_end(s: &[u8]) -> Option<usize> {
    let mut i = s.iter().take_while(|&&b| b == b' ').count();
    if i == 0 {
        return None;
    }
    i += usize::from(s.get(i).is_some_and(|b| b"@+%&~".contains(b)));
    // A nick's `|` is WeeChat's column mark here.
    let nick = nick_len(&s[i..], b"_-[]\\`^{}.");
    if nick == 0 || nick > 32 {
        return None;
    }
    i += nick;
    let blanks = s[i..].iter().take_while(|&&b| b == b' ').count();
    if blanks == 0 {
        return None;
    }
    i += blanks;
    let bar = "\u{2502}".as_bytes();
    i += if s.get(i) == Some(&b'|') {
        1
    } else if s[i..].starts_with(bar) {
        bar.len()
    } else {
        return None;
    };
    Some(i + usize::from(s.get(i) == Some(&b' ')))
}

/// The line without its mail quoting: `>` marks, each with the blank after it, before the
/// text (the text keeps its own indentation).
fn strip_quoting(line: &[u8]) -> &[u8] {
    let mut s = line;
    let lead = s.iter().take_while(|&&b| b == b' ' || b == b'\t').count();
    if s.get(lead) != Some(&b'>') {
        return line;
    }
    s = &s[lead..];
    while let Some(rest) = s.strip_prefix(b">") {
        s = rest.strip_prefix(b" ").unwrap_or(rest);
        let blanks = s.iter().take_while(|&&b| b == b' ').count();
        if s.get(blanks) == Some(&b'>') {
            s = &s[blanks..];
        }
    }
    s
}

const ENTITIES: &[(&[u8], &[u8])] = &[
    (b"&#39;", b"'"),
    (b"&#039;", b"'"),
    (b"&#x27;", b"'"),
    (b"&apos;", b"'"),
    (b"&quot;", b"\""),
    (b"&#34;", b"\""),
    (b"&lt;", b"<"),
    (b"&gt;", b">"),
    (b"&nbsp;", b" "),
    (b"&#8217;", b"'"),
    (b"&#8216;", b"'"),
    (b"&amp;", b"&"),
];

const TYPOGRAPHY: &[(&[u8], &[u8])] = &[
    ("\u{2018}".as_bytes(), b"'"),
    ("\u{2019}".as_bytes(), b"'"),
    ("\u{201a}".as_bytes(), b"'"),
    ("\u{2032}".as_bytes(), b"'"),
    ("\u{201c}".as_bytes(), b"\""),
    ("\u{201d}".as_bytes(), b"\""),
    ("\u{201e}".as_bytes(), b"\""),
    ("\u{2013}".as_bytes(), b"-"),
    ("\u{2212}".as_bytes(), b"-"),
    ("\u{2014}".as_bytes(), b"--"),
    ("\u{00a0}".as_bytes(), b" "),
    ("\u{2009}".as_bytes(), b" "),
    ("\u{202f}".as_bytes(), b" "),
    ("\u{200b}".as_bytes(), b""),
    ("\u{2026}".as_bytes(), b"..."),
];

/// `s` with every `from` of `pairs` replaced by its `to` (one left-to-right pass).
fn replace_all(s: &[u8], pairs: &[(&[u8], &[u8])]) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    'outer: while i < s.len() {
        for (from, to) in pairs {
            if s[i..].starts_with(from) {
                out.extend_from_slice(to);
                i += from.len();
                continue 'outer;
            }
        }
        out.push(s[i]);
        i += 1;
    }
    out
}

fn trim(mut s: &[u8]) -> &[u8] {
    while let [first, rest @ ..] = s {
        if is_blank(*first) {
            s = rest;
        } else {
            break;
        }
    }
    while let [rest @ .., last] = s {
        if is_blank(*last) {
            s = rest;
        } else {
            break;
        }
    }
    s
}

fn is_blank(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n' | 0 | 0x0b | 0x0c)
}

/// Whether the line carries a log helper's timestamp (`[date] ` or ISO): such lines come from
/// the brand script, never from inside a pkg error block.
pub fn has_timestamp(raw: &[u8]) -> bool {
    let t = trim(&raw[..raw.len().min(MAX_MATCH_LEN)]);
    date_bracket_end(t).is_some() || strip_iso_timestamp(t).len() != t.len()
}

/// When a line stamped by the log helpers (`[Mon Nov 23 09:40:02 UTC 2026] …`, `date` in the
/// C locale) was written, as (year, month, day, hour, minute, second): the logs of one host
/// compare by it. The zone name is the host's, so it is left out; other locales give none.
pub fn date_stamp(raw: &[u8]) -> Option<(u32, u32, u32, u32, u32, u32)> {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let t = trim(&raw[..raw.len().min(MAX_MATCH_LEN)]);
    let end = date_bracket_end(t)?;
    let inner = std::str::from_utf8(&t[1..end]).ok()?;
    // `Mon Nov 23 09:40:02 UTC 2026` (date(1) in the C locale) or OmniOS's `July  6, 2026 at
    // 04:52:20 AM UTC` (realworld uu F2): a month's name (or its first three letters), the
    // day, the time (with AM/PM), a year anywhere.
    let words: Vec<&str> =
        inner.split_whitespace().map(|w| w.trim_end_matches([',', '.'])).collect();
    let month_of =
        |w: &str| MONTHS.iter().position(|m| w == *m || (w.len() == 3 && m.starts_with(w)));
    let m = words.iter().position(|w| month_of(w).is_some())?;
    let month = month_of(words[m])? as u32 + 1;
    let day: u32 = words.get(m + 1)?.parse().ok().filter(|d| (1..=31).contains(d))?;
    let at = m + 2 + words[m + 2..].iter().position(|w| w.split(':').count() == 3)?;
    let mut hms = words[at].split(':').map(|p| p.parse::<u32>().ok());
    let (mut h, mi, sec) = (hms.next()??, hms.next()??, hms.next()??);
    match words.get(at + 1).map(|w| w.to_ascii_uppercase()).as_deref() {
        Some("AM") if h == 12 => h = 0,
        Some("PM") if h < 12 => h += 12,
        _ => {}
    }
    let year: u32 =
        words.iter().filter_map(|w| w.parse().ok()).find(|y| (1990..=2200).contains(y))?;
    Some((year, month, day, h, mi, sec))
}

/// Where the log helpers' leading `[<date>]` ends: a bracket within 80 bytes whose content
/// holds a time (`HH:MM`, or a Japanese locale's `09時12分`), so pkg's own `[Errno 28] …` or
/// `[errno 30: …]` lines stay text.
fn date_bracket_end(s: &[u8]) -> Option<usize> {
    if s.first() != Some(&b'[') {
        return None;
    }
    let end = s.iter().take(80).position(|&b| b == b']')?;
    let inner = &s[1..end];
    let time = inner.windows(5).any(|w| {
        w[0].is_ascii_digit()
            && w[1].is_ascii_digit()
            && w[2] == b':'
            && w[3].is_ascii_digit()
            && w[4].is_ascii_digit()
    });
    // `date` in ja_JP: `2024年10月 8日 火曜日 09時12分40秒 JST`.
    let hour = "時".as_bytes();
    let cjk = inner.windows(hour.len() + 2).any(|w| {
        w[0].is_ascii_digit() && &w[1..=hour.len()] == hour && w[hour.len() + 1].is_ascii_digit()
    });
    (time || cjk).then_some(end)
}

/// Past a time's seconds at `i`: its fraction (`.123`, `,123`), then `Z` or a numeric offset
/// (`+01:00`, `-0500`), if any.
fn seconds_end(s: &[u8], mut i: usize) -> usize {
    if matches!(s.get(i), Some(b'.' | b',')) {
        i += 1;
        while s.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
    }
    if s.get(i) == Some(&b'Z') {
        i += 1;
    } else if matches!(s.get(i), Some(b'+' | b'-')) && s.get(i + 1).is_some_and(u8::is_ascii_digit)
    {
        i += 1;
        while s.get(i).is_some_and(|b| b.is_ascii_digit() || *b == b':') {
            i += 1;
        }
    }
    i
}

/// A leading timestamp without brackets, in any of the usual shapes: `2026-11-23T10:44:32Z `,
/// `2026-11-23 10:44:32.123+01:00 `, `Nov 23 10:44:32 `, `Mon Nov 23 10:44:32 UTC 2026 `,
/// `23/11/2026 10:44:32 `, `10:44:32 `. Recognised by a `HH:MM:SS` within the first 40 bytes
/// preceded only by date-like words, so message text is never eaten.
fn strip_iso_timestamp(s: &[u8]) -> &[u8] {
    let Some(t) = find_time(s) else { return s };
    if !is_date_words(&s[..t]) {
        return s;
    }
    let mut i = seconds_end(s, t + 8);
    // ` UTC 2026` / ` 2026` (date(1) style)
    let mut j = i;
    while s.get(j) == Some(&b' ') {
        j += 1;
    }
    let zone_len = s[j..].iter().take_while(|b| b.is_ascii_uppercase()).count();
    let k = j + zone_len;
    let year_at = |p: usize| {
        s.get(p) == Some(&b' ')
            && s.get(p + 1..p + 5).is_some_and(|y| y.iter().all(u8::is_ascii_digit))
            && s.get(p + 5).is_none_or(|b| !b.is_ascii_digit())
    };
    if (2..=5).contains(&zone_len) && year_at(k) {
        i = k + 5;
    } else if year_at(i) {
        i += 5;
    }
    match s.get(i) {
        None => &s[i..],
        Some(b' ' | b'\t' | b':' | b']') => strip_syslog_header(trim(&s[i + 1..])),
        Some(_) => s,
    }
}

/// After a timestamp, the rest of a syslog header (RFC 3164, as syslogd writes
/// /var/adm/messages): the host (`gz01`, `gz01.example.com`), then the tag with its process id
/// (`zoneadm[123]:`), then Solaris's message id (`[ID 702911 daemon.error]`). A host alone is
/// only taken for one, when it cannot be the message's first word: no colon, something
/// follows it, and it holds a digit or a dot (`gz01`, `host.domain.tld`) or is in lower case
/// before a message in upper case or a `[date]` (`gz ERROR: …`). A tag without a
/// process id (`zoneadm: zone 'z1': …`) is zoneadm's own message, and stays.
fn strip_syslog_header(s: &[u8]) -> &[u8] {
    let token = |s: &[u8]| s.iter().position(|&b| b == b' ' || b == b'\t').unwrap_or(s.len());
    let host_len = token(s);
    let host = &s[..host_len];
    let host_like = host.first().is_some_and(u8::is_ascii_alphabetic)
        && host.len() <= 64
        && host.iter().all(|b| b.is_ascii_alphanumeric() || b"._-".contains(b));
    if !host_like || host_len == s.len() {
        return s;
    }
    let after_host = trim(&s[host_len..]);
    let tag_len = token(after_host);
    let tag = &after_host[..tag_len];
    let mut rest = match tag.strip_suffix(b"]:").and_then(|t| {
        let open = t.iter().rposition(|&b| b == b'[')?;
        let (name, pid) = (&t[..open], &t[open + 1..]);
        (!name.is_empty() && !pid.is_empty() && pid.iter().all(u8::is_ascii_digit)).then_some(())
    }) {
        Some(()) => trim(&after_host[tag_len..]),
        None if after_host.starts_with(b"[ID ") => after_host,
        None if host.iter().any(|b| b.is_ascii_digit() || *b == b'.') => after_host,
        // a host in lower case before a message that starts in upper case or with a `[date]`
        None if host[0].is_ascii_lowercase()
            && after_host.first().is_some_and(|b| b.is_ascii_uppercase() || *b == b'[') =>
        {
            after_host
        }
        None => return s,
    };
    if let Some(id) = rest.strip_prefix(b"[ID ")
        && let Some(end) = id.iter().take(40).position(|&b| b == b']')
        && id[..end].first().is_some_and(u8::is_ascii_digit)
    {
        rest = trim(&id[end + 1..]);
    }
    rest
}

/// Position of the first `HH:MM:SS` in the first 40 bytes.
fn find_time(s: &[u8]) -> Option<usize> {
    let d = |i: usize| s.get(i).is_some_and(u8::is_ascii_digit);
    (0..s.len().min(40)).find(|&i| {
        d(i) && d(i + 1)
            && s.get(i + 2) == Some(&b':')
            && d(i + 3)
            && d(i + 4)
            && s.get(i + 5) == Some(&b':')
            && d(i + 6)
            && d(i + 7)
            && (i == 0 || !s[i - 1].is_ascii_digit())
    })
}

/// Only digits, date separators and weekday/month names (the part before the time).
fn is_date_words(p: &[u8]) -> bool {
    const NAMES: [&[u8]; 19] = [
        b"Mon", b"Tue", b"Wed", b"Thu", b"Fri", b"Sat", b"Sun", b"Jan", b"Feb", b"Mar", b"Apr",
        b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov", b"Dec",
    ];
    p.split(|&b| b == b' ' || b == b',').filter(|w| !w.is_empty()).all(|w| {
        NAMES.contains(&w)
            || (w.iter().all(|b| b.is_ascii_digit() || b"-/.T".contains(b))
                && w.iter().any(u8::is_ascii_digit))
    })
}

/// A line as report text: lossy UTF-8, control characters dropped, tabs kept, capped.
pub fn display(raw: &[u8]) -> String {
    let mut s = trim_end(raw);
    let cut = s.len() > MAX_EVIDENCE_LEN;
    if cut {
        s = &s[..MAX_EVIDENCE_LEN];
    }
    let mut out = text(s);
    if cut {
        out.push_str(" …");
    }
    out
}

/// Bytes shown before the match when a long line is shown around it.
const CONTEXT_BEFORE: usize = 60;
/// Bytes shown of a long line around a match.
const WINDOW: usize = 240;

/// A line as report text, shown around byte `at` (where a pattern matched): as [`display`]
/// when that shows the match, else a short window from a little before it, `…` where the line
/// was cut (a whole post pasted onto one line).
pub fn display_at(raw: &[u8], at: usize) -> String {
    let s = trim_end(raw);
    if s.len() <= MAX_EVIDENCE_LEN || at + CONTEXT_BEFORE * 2 <= MAX_EVIDENCE_LEN || at >= s.len() {
        return display(raw);
    }
    // From the first word that starts within the context, to the last word end in the window.
    let mut start = at - CONTEXT_BEFORE;
    if let Some(p) = s[start..at].iter().position(|&b| b == b' ') {
        start += p + 1;
    }
    while start < at && is_continuation(s[start]) {
        start += 1;
    }
    let mut end = (start + WINDOW).min(s.len());
    if end < s.len() {
        if let Some(p) = s[at..end].iter().rposition(|&b| b == b' ') {
            end = at + p;
        }
        while end > at && is_continuation(s[end]) {
            end -= 1;
        }
    }
    let tail = if end < s.len() { " …" } else { "" };
    format!("… {}{tail}", text(s[start..end].trim_ascii()))
}

/// Where `inner`, a part of `outer` (a normalised line of its raw line), starts in it.
pub fn offset_in(outer: &[u8], inner: &[u8]) -> usize {
    (inner.as_ptr() as usize).saturating_sub(outer.as_ptr() as usize).min(outer.len())
}

fn is_continuation(b: u8) -> bool {
    b & 0xc0 == 0x80
}

/// Lossy UTF-8, control characters dropped, tabs kept.
fn text(s: &[u8]) -> String {
    String::from_utf8_lossy(s).chars().filter(|c| *c == '\t' || !c.is_control()).collect()
}

fn trim_end(mut s: &[u8]) -> &[u8] {
    while let [rest @ .., last] = s {
        if is_blank(*last) {
            s = rest;
        } else {
            break;
        }
    }
    s
}

/// Captured subject as text (lossy, trimmed of quotes and trailing punctuation).
pub fn subject(raw: &[u8]) -> Option<String> {
    let s = String::from_utf8_lossy(raw);
    let s = s
        .trim_matches(|c: char| c == '\'' || c == '"' || c == ',' || c == ':' || c.is_whitespace());
    let s = s.strip_suffix('.').unwrap_or(s);
    if s.is_empty() || s.len() > 300 || s.chars().any(char::is_control) {
        None
    } else {
        Some(s.to_string())
    }
}

/// A package name as a line gives it (`pkg://pub/name@v`, `pkg:/name`, `name@v`): a subject
/// whose name starts with a letter or digit, as pkg(5) names do. What a hard wrap leaves of a
/// name (`/o`, the rest of `pkg://omnios/…` cut at the margin) is none.
pub fn package_subject(raw: &[u8]) -> Option<String> {
    let s = subject(raw)?;
    let name = match s.strip_prefix("pkg://") {
        Some(rest) => rest.split_once('/').map_or("", |(_, n)| n),
        None => s.strip_prefix("pkg:/").unwrap_or(&s),
    };
    name.starts_with(|c: char| c.is_ascii_alphanumeric()).then_some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_package_name_starts_with_a_letter_or_digit() {
        assert_eq!(
            package_subject(b"pkg://omnios/SUNWcs@0.5.11").as_deref(),
            Some("pkg://omnios/SUNWcs@0.5.11")
        );
        assert_eq!(package_subject(b"web/php-56,").as_deref(), Some("web/php-56"));
        assert_eq!(package_subject(b"/o"), None);
        assert_eq!(package_subject(b"pkg://omnios/"), None);
        assert_eq!(package_subject(b"@0.5.11"), None);
    }

    #[test]
    fn strips_prefixes_and_line_ends() {
        assert_eq!(normalise(b"[Tue Nov 15 10:30:01 UTC 2011] ERROR: x\r\n"), b"ERROR: x");
        assert_eq!(
            normalise(b"2026-11-23T10:44:32Z   Reject:  pkg://a/b@1\r"),
            b"Reject:  pkg://a/b@1"
        );
        assert_eq!(normalise(b"  | pkg: update failed"), b"pkg: update failed");
        assert_eq!(normalise(b"[unterminated"), b"[unterminated");
        // pkg's own bracketed errno lines are text, not a date prefix.
        assert_eq!(
            normalise(b"[errno 30: Read-only file system]"),
            b"[errno 30: Read-only file system]"
        );
        assert!(!has_timestamp(b"[Errno 28] No space left on device"));
        assert!(has_timestamp(b"[Tue Nov 15 10:30:01 UTC 2011] x"));
        for stamped in [
            &b"2026-11-23 10:44:32.123+01:00 ERROR: x"[..],
            b"Nov 23 10:44:32 ERROR: x",
            b"Mon Nov 23 10:44:32 UTC 2026 ERROR: x",
            b"Mon, 23 Nov 2026 10:44:32 ERROR: x",
            b"23/11/2026 10:44:32: ERROR: x",
            b"10:44:32 ERROR: x",
            // a syslog header after the stamp: host, tag with its pid, Solaris's message id
            b"Dec  6 01:02:03 gz01 zoneadm[123]: ERROR: x",
            b"Dec  6 01:02:03 gz01.example.com zoneadm[123]: [ID 702911 daemon.error] ERROR: x",
            b"2023-03-03T10:22:33.123+01:00 gz01 pkg[99]: ERROR: x",
            b"Mar  3 10:22:33 gz01 ERROR: x",
            b"Mar  3 10:22:33 host.domain.tld ERROR: x",
            b"Mar  3 10:22:33 gz ERROR: x",
            b"Dec  6 01:02:03 gz01 zoneadm[123]: [Tue Nov 15 10:30:01 UTC 2011] ERROR: x",
        ] {
            assert_eq!(normalise(stamped), b"ERROR: x", "{}", String::from_utf8_lossy(stamped));
        }
        // zoneadm's own message after a stamp stays whole; a message's first word is no host.
        assert_eq!(normalise(b"Mar  3 10:22:33 zoneadm: zone 'z1': x"), b"zoneadm: zone 'z1': x");
        assert_eq!(normalise(b"Mar  3 10:22:33 Attaching..."), b"Attaching...");
        assert_eq!(
            normalise(b"Mar  3 10:22:33 Updating non-global zone: x"),
            b"Updating non-global zone: x"
        );
        assert_eq!(normalise(b"Mar  3 10:22:33 gz01"), b"gz01");
        for plain in [&b"ERROR: x at 10:44:32 today"[..], b"Download: 10:44:32 x"] {
            assert_eq!(normalise(plain), plain.trim_ascii());
        }
        assert_eq!(normalise(b""), b"");
        assert_eq!(normalise(b"\0\0\0"), b"");
    }

    #[test]
    fn a_syslog_header_is_taken_off_the_raw_line_and_the_rest_kept_as_it_was() {
        let d = |s: &str| String::from_utf8(depaste(s.as_bytes()).into_owned()).unwrap();
        // pkg's indentation (a nested Reason) and a brand line's [date] survive.
        assert_eq!(
            d("Mar 12 10:14:09 gz1 zoneadmd[4242]: [ID 702911 daemon.error]     Reason:  x"),
            "    Reason:  x"
        );
        assert_eq!(
            d("Mar 12 10:14:09 gz1 pkg[7]:   Reject:  pkg://a/b@1"),
            "  Reject:  pkg://a/b@1"
        );
        assert_eq!(
            d(
                "Mar  2 10:14:09 gz1 root: [Wed Dec  1 08:00:03 GMT 2010] Log File: /var/tmp/z.attach_log.x"
            ),
            "[Wed Dec  1 08:00:03 GMT 2010] Log File: /var/tmp/z.attach_log.x"
        );
        // The message's own first word, or a command's line under a short timestamp, stays.
        for kept in [
            "Mar  3 10:22:33 gz01 zoneadm: zone 'z1': x",
            "Mar  3 10:22:33 pkg install: No matching version of entire can be installed:",
            "Mar  3 10:22:33 Attaching...",
            "Mar  3 10:22:33 Sanity Check: Passed.",
            "Nov 23 10:00:01 gz01",
        ] {
            assert_eq!(d(kept), kept);
        }
    }

    #[test]
    fn display_is_safe_and_bounded() {
        let long = vec![b'x'; 5000];
        assert!(display(&long).len() < MAX_EVIDENCE_LEN + 10);
        assert_eq!(display(b"a\x1b[31mb\0c\r\n"), "a[31mbc");
        assert_eq!(display(&[0xa4, 0xa2, b'!']), "\u{fffd}\u{fffd}!");
    }

    #[test]
    fn a_long_line_is_shown_around_its_match() {
        let mut line = "word ".repeat(200).into_bytes();
        line.extend_from_slice(b"pkg: 0/1 catalogs successfully updated: ");
        line.extend_from_slice("más ".repeat(100).as_bytes());
        let at = 1000;
        let shown = display_at(&line, at);
        assert!(shown.starts_with("… word ") && shown.ends_with(" …"), "{shown}");
        assert!(shown.contains("pkg: 0/1 catalogs successfully updated:"), "{shown}");
        assert!(shown.len() < WINDOW + 10, "{shown}");
        // A match near the start, or a line short enough, is shown as before.
        assert_eq!(display_at(&line, 10), display(&line));
        assert_eq!(display_at(b"short line", 6), "short line");
        // A window cut inside a character or a word never splits either.
        for at in 900..1100 {
            let shown = display_at(&line, at);
            assert!(!shown.contains('\u{fffd}'), "{at}: {shown}");
        }
        let nospace = "é".repeat(400);
        assert!(!display_at(nospace.as_bytes(), 501).contains('\u{fffd}'));
        let norm = &line[3..];
        assert_eq!(offset_in(&line, norm), 3);
    }

    #[test]
    fn what_posting_did_is_undone() {
        let d = |s: &str| String::from_utf8(depaste(s.as_bytes()).into_owned()).unwrap();
        assert_eq!(
            d("> > pkg: 0/1 catalogs\n>\n>>   Reject:  x"),
            "pkg: 0/1 catalogs\n \n  Reject:  x"
        );
        assert_eq!(
            d("&gt; publisher &#39;extra&#39; &amp; &quot;b&quot;"),
            "publisher 'extra' & \"b\""
        );
        assert_eq!(
            d("publisher \u{2018}extra\u{2019}\u{a0}\u{2013}u \u{2014}accept"),
            "publisher 'extra' -u --accept"
        );
        assert_eq!(d("pkg://solaris/a\u{200b}/b"), "pkg://solaris/a/b");
        // A `>` inside a line is text; an `&` that is no entity stays.
        assert_eq!(d("a > b & c"), "a > b & c");
        assert!(matches!(depaste(b"plain\n  text"), Cow::Borrowed(_)));
        // A chat log numbered by a paste site or cat -n (regress mm F7).
        assert_eq!(d("12. 04:57 < jclulow>   Reject:  x"), "  Reject:  x");
        assert_eq!(d("     3\t[2026-07-06 04:57:12] <bob> Reject:  x"), "Reject:  x");
        assert_eq!(d("12) <alice> Reason:  y"), "Reason:  y");
        // A line emptied stays a line (an input ending in `>` still ends in a line).
        assert_eq!(d(">"), " ");
        assert_eq!(d("a\n>"), "a\n ");
        // grep --color's escapes inside words; grep -n and cat -n numbers before lines.
        for (pasted, log) in [
            ("  \x1b[01;31m\x1b[KReject\x1b[m\x1b[K:  pkg://a/b@1\x1b(B", "  Reject:  pkg://a/b@1"),
            (
                "11:pkg install: x\n12-  Reject: y\n13-  Reason: z",
                "pkg install: x\n  Reject: y\n  Reason: z",
            ),
            ("4:a\n5-b\n--\n9:c\n10-d", "a\nb\n--\nc\nd"),
            ("     1\t[Thu Jan 18] x\n     2\t  Reject: y", "[Thu Jan 18] x\n  Reject: y"),
            (
                "6:120081 is not installed\n7:0:global:running",
                "120081 is not installed\n0:global:running",
            ),
            (
                "/var/tmp/z.attach_log.Ab1:12:pkg: x\n/var/tmp/z.attach_log.Ab1-13-  Reject: y",
                "pkg: x\n  Reject: y",
            ),
            ("/var/log/zones/zoneadm.20260101T101010Z.z.attach:Log File: y", "Log File: y"),
        ] {
            assert_eq!(d(pasted), log);
        }
        // A year or a time that starts log lines is no line number.
        for kept in [
            "2018-01-18 10:00:01 a\n2018-01-18 10:00:02 b\n2018-01-18 10:00:03 c",
            "10:14:09 a\n10:14:10 b\n10:14:11 c",
            "12:40 hmmm",
            "        119397-09",
            "11-151054.0:20240101T000000Z",
            "404: Not Found",
            "        119254: version mismatch",
            "/var/tmp/z1.attach_log.AbCd12 is the log",
        ] {
            assert_eq!(d(kept), kept);
        }
        // Newlines are kept: line numbers do not move.
        assert_eq!(d("> a\n> b\n").matches('\n').count(), 2);
    }

    /// A numbered list's numbers go; a version or a sentence's number stays.
    #[test]
    fn list_numbers_are_taken_off() {
        let cases: [(&[u8], usize); 7] = [
            (b"3. [Thu Apr  9 14:20:47 UTC 2015] Attaching...", 3),
            (b"13.   Reject:  pkg://solaris/web/server/apache-22", 4),
            (b"11. ", 4),
            (b"11.", 3),
            (b"0.5.11-0.151 is installed", 0),
            (b"1234567. x", 0),
            (b"12) [Thu Apr  9 14:20:47 UTC 2015] Attaching...", 4),
        ];
        for (line, n) in cases {
            assert_eq!(list_prefix(line).unwrap_or(0), n, "{}", String::from_utf8_lossy(line));
        }
    }

    /// A log pasted into a chat and copied from its log (realworld kk F1): the time and nick
    /// go, a line's own `<…>` and a time that starts a log line stay.
    #[test]
    fn chat_prefixes_are_taken_off() {
        let cases: [(&[u8], &[u8]); 20] = [
            (b"2026-07-06 04:57:12 jclulow | Reject:  x", b"Reject:  x"),
            (b"04:57:12      @jclulow |   Reason:  y", b"  Reason:  y"),
            ("04:57 bob \u{2502} pkg: x".as_bytes(), b"pkg: x"),
            (b"04:57 no nick | x", b"04:57 no nick | x"),
            (b"[2026-07-06 04:57:12] <jclulow>   Reject:  x", b"  Reject:  x"),
            (b"<system-repository> x", b"<system-repository> x"),
            (b"04:57 < jclulow> Reject:  pkg://omnios/entire", b"Reject:  pkg://omnios/entire"),
            (b"[04:57:12] <@alice>   Reason:  No version", b"  Reason:  No version"),
            (b"4:57 <+bob_> # zoneadm -z z1 attach -u", b"# zoneadm -z z1 attach -u"),
            (b"04:55 < jclulow>", b""),
            (b"10:44:32 pkg: <system-repository>", b"10:44:32 pkg: <system-repository>"),
            (b"<alice> Reject: x", b"Reject: x"),
            (b"04:57 <not a nick> x", b"04:57 <not a nick> x"),
            (b"2026-07-06T04:55:00.123+02:00 <jclulow> Reject: x", b"Reject: x"),
            (b"2026-07-06T04:55:00Z <jclulow> Reject: x", b"Reject: x"),
            (b"[18/01/2018, 09:14:05] kim: Reason:  y", b"Reason:  y"),
            (b"2018-01-18T09:14:05+01:00 kim: Reject: x", b"Reject: x"),
            (b"2018-01-18T09:14:05+01:00 Reason: x", b"2018-01-18T09:14:05+01:00 Reason: x"),
            (b"[Tue Nov 15 10:30:26 UTC 2011] kim: x", b"[Tue Nov 15 10:30:26 UTC 2011] kim: x"),
            (b"10:44:32 ERROR: x", b"10:44:32 ERROR: x"),
        ];
        for (line, want) in cases {
            assert_eq!(strip_chat(line), want, "{}", String::from_utf8_lossy(line));
        }
    }

    #[test]
    fn subjects_are_cleaned() {
        assert_eq!(subject(b"'extra'").as_deref(), Some("extra"));
        assert_eq!(subject(b"/zones/z1/root.").as_deref(), Some("/zones/z1/root"));
        assert_eq!(subject(b"  "), None);
    }
}
