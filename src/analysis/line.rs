//! One input line: normalisation before matching, and safe text for reports.

/// Lines longer than this are cut before matching (a megabyte line of progress bar must not
/// cost a megabyte regex scan per rule, nor memory).
pub const MAX_MATCH_LEN: usize = 16 * 1024;

/// Evidence text is cut to this many bytes.
pub const MAX_EVIDENCE_LEN: usize = 400;

/// The part of a raw line that rules are matched against: without the line end, the log
/// helpers' `[<date>] ` prefix (any content in brackets), an ISO timestamp, a linked-image
/// `| ` prefix, and surrounding blanks.
pub fn normalise(raw: &[u8]) -> &[u8] {
    let mut s = &raw[..raw.len().min(MAX_MATCH_LEN)];
    s = trim(s);
    if s.first() == Some(&b'[')
        && let Some(end) = s.iter().take(80).position(|&b| b == b']')
    {
        s = trim(&s[end + 1..]);
    }
    s = strip_iso_timestamp(s);
    if let Some(rest) = s.strip_prefix(b"| ") {
        s = trim(rest);
    }
    s
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
    (t.first() == Some(&b'[') && t.iter().take(80).any(|&b| b == b']'))
        || strip_iso_timestamp(t).len() != t.len()
}

/// `2026-11-23T10:44:32Z `, `2026-11-23 10:44:32.123+01:00 ` …
fn strip_iso_timestamp(s: &[u8]) -> &[u8] {
    let digits =
        |r: std::ops::Range<usize>| s.get(r).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    if s.len() > 19
        && digits(0..4)
        && s[4] == b'-'
        && digits(5..7)
        && s[7] == b'-'
        && digits(8..10)
        && (s[10] == b'T' || s[10] == b' ')
        && digits(11..13)
        && s[13] == b':'
    {
        let end =
            s.iter().skip(11).position(|&b| b == b' ' || b == b'\t').map_or(s.len(), |p| p + 11);
        return trim(&s[end..]);
    }
    s
}

/// A line as report text: lossy UTF-8, control characters dropped, tabs kept, capped.
pub fn display(raw: &[u8]) -> String {
    let mut s = trim_end(raw);
    let cut = s.len() > MAX_EVIDENCE_LEN;
    if cut {
        s = &s[..MAX_EVIDENCE_LEN];
    }
    let mut out: String =
        String::from_utf8_lossy(s).chars().filter(|c| *c == '\t' || !c.is_control()).collect();
    if cut {
        out.push_str(" …");
    }
    out
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_prefixes_and_line_ends() {
        assert_eq!(normalise(b"[Tue Nov 15 10:30:01 UTC 2011] ERROR: x\r\n"), b"ERROR: x");
        assert_eq!(
            normalise(b"2026-11-23T10:44:32Z   Reject:  pkg://a/b@1\r"),
            b"Reject:  pkg://a/b@1"
        );
        assert_eq!(normalise(b"  | pkg: update failed"), b"pkg: update failed");
        assert_eq!(normalise(b"[unterminated"), b"[unterminated");
        assert_eq!(normalise(b""), b"");
        assert_eq!(normalise(b"\0\0\0"), b"");
    }

    #[test]
    fn display_is_safe_and_bounded() {
        let long = vec![b'x'; 5000];
        assert!(display(&long).len() < MAX_EVIDENCE_LEN + 10);
        assert_eq!(display(b"a\x1b[31mb\0c\r\n"), "a[31mbc");
        assert_eq!(display(&[0xa4, 0xa2, b'!']), "\u{fffd}\u{fffd}!");
    }

    #[test]
    fn subjects_are_cleaned() {
        assert_eq!(subject(b"'extra'").as_deref(), Some("extra"));
        assert_eq!(subject(b"/zones/z1/root.").as_deref(), Some("/zones/z1/root"));
        assert_eq!(subject(b"  "), None);
    }
}
