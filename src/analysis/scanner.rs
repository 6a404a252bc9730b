//! Finding candidate lines in a large buffer without looking at every line.
//!
//! Every pattern has some text that any match must contain (`Reject:` in
//! `^Reject: +(pkg://…)?…`, one of `ERROR`/`rror`/… in an alternation). Those "required
//! literals" of all patterns go into one Aho-Corasick automaton, which skims a buffer at
//! memory speed; only lines holding one of them are matched against the real patterns. If a
//! pattern has no usable literal (an administrator's `[a-z]+ failed`?), the scanner falls
//! back to one multi-pattern regex of all patterns — slower, never wrong.

use std::collections::BTreeMap;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use regex_automata::util::syntax;
use regex_automata::{Input, meta};
use regex_syntax::hir::{Hir, HirKind};

/// Literals shorter than this make too many false candidates to be worth it.
const MIN_LITERAL: usize = 2;

/// Finds candidate lines, and the patterns a candidate line may match.
#[derive(Debug)]
pub(crate) enum Scanner {
    /// `literal_patterns[i]`: the patterns that require literal `i` of the automaton.
    Literals {
        ac: AhoCorasick,
        literal_patterns: Vec<Vec<usize>>,
    },
    Regex(Box<meta::Regex>),
}

impl Scanner {
    /// Build from the patterns (rule and marker patterns, as written, in set order).
    pub fn new(patterns: &[String]) -> Result<Scanner, String> {
        let mut by_literal: BTreeMap<Vec<u8>, Vec<usize>> = BTreeMap::new();
        let mut all = true;
        for (i, p) in patterns.iter().enumerate() {
            match required_literals(p) {
                Some(set) => {
                    for l in set {
                        by_literal.entry(l).or_default().push(i);
                    }
                }
                None => {
                    all = false;
                    break;
                }
            }
        }
        if all {
            let (literals, literal_patterns) = merge_contained(by_literal);
            // Standard semantics: overlapping search (all literals of a line) is possible.
            let ac = AhoCorasick::builder()
                .match_kind(MatchKind::Standard)
                .kind(Some(AhoCorasickKind::DFA))
                .build(&literals)
                .or_else(|_| AhoCorasick::builder().build(&literals))
                .map_err(|e| e.to_string())?;
            return Ok(Scanner::Literals { ac, literal_patterns });
        }
        let unanchored: Vec<String> = patterns.iter().map(|p| unanchored(p)).collect();
        let re = meta::Regex::builder()
            .syntax(syntax::Config::new().unicode(false).utf8(false))
            .configure(meta::Config::new().utf8_empty(false).nfa_size_limit(Some(1 << 26)))
            .build_many(&unanchored)
            .map_err(|e| e.to_string())?;
        Ok(Scanner::Regex(Box::new(re)))
    }

    /// Where, at or after `from`, a candidate line may hold a match.
    pub fn find(&self, haystack: &[u8], from: usize) -> Option<usize> {
        match self {
            Scanner::Literals { ac, .. } => ac
                .find(aho_corasick::Input::new(haystack).span(from..haystack.len()))
                .map(|m| m.start()),
            Scanner::Regex(re) => {
                re.find(Input::new(haystack).span(from..haystack.len())).map(|m| m.start())
            }
        }
    }

    /// The patterns that may match `line`, ascending; `None` when every pattern has to be
    /// tried (the regex fallback).
    pub fn candidates(&self, line: &[u8]) -> Option<Vec<usize>> {
        let Scanner::Literals { ac, literal_patterns, .. } = self else { return None };
        let mut out = Vec::new();
        for m in ac.find_overlapping_iter(line) {
            if let Some(ps) = literal_patterns.get(m.pattern().as_usize()) {
                out.extend_from_slice(ps);
            }
        }
        out.sort_unstable();
        out.dedup();
        Some(out)
    }

    /// Whether the fast literal path is in use (the built-in rules must allow it).
    #[cfg(test)]
    pub fn is_literal(&self) -> bool {
        matches!(self, Scanner::Literals { .. })
    }
}

/// A literal that contains another literal of the set is implied by it: its patterns move to
/// the shorter one (fewer literals, same candidates). Returns literals and their patterns.
fn merge_contained(by_literal: BTreeMap<Vec<u8>, Vec<usize>>) -> (Vec<Vec<u8>>, Vec<Vec<usize>>) {
    let mut entries: Vec<(Vec<u8>, Vec<usize>)> = by_literal.into_iter().collect();
    entries.sort_by(|a, b| a.0.len().cmp(&b.0.len()).then_with(|| a.0.cmp(&b.0)));
    let mut kept: Vec<(Vec<u8>, Vec<usize>)> = Vec::new();
    for (lit, pats) in entries {
        match kept.iter_mut().find(|(k, _)| lit.windows(k.len()).any(|w| w == k.as_slice())) {
            Some((_, into)) => into.extend(pats),
            None => kept.push((lit, pats)),
        }
    }
    kept.into_iter()
        .map(|(l, mut p)| {
            p.sort_unstable();
            p.dedup();
            (l, p)
        })
        .unzip()
}

/// The form of a pattern used on raw input: anchors dropped, because the raw line still has
/// its `[date]` prefix (a superset is fine: candidates are re-checked).
fn unanchored(p: &str) -> String {
    let p = p.strip_prefix('^').unwrap_or(p);
    let p = match p.strip_suffix('$') {
        Some(rest) if !rest.ends_with('\\') => rest,
        _ => p,
    };
    p.to_string()
}

/// A set of literals one of which every match of `pattern` contains, or `None` when there is
/// no such set with literals of at least [`MIN_LITERAL`] bytes.
pub(crate) fn required_literals(pattern: &str) -> Option<Vec<Vec<u8>>> {
    let hir = regex_syntax::ParserBuilder::new()
        .unicode(false)
        .utf8(false)
        .build()
        .parse(pattern)
        .ok()?;
    let set = required(&hir)?;
    set.iter().all(|l| l.len() >= MIN_LITERAL).then_some(set)
}

fn required(h: &Hir) -> Option<Vec<Vec<u8>>> {
    match h.kind() {
        HirKind::Literal(lit) => Some(vec![lit.0.to_vec()]),
        HirKind::Capture(c) => required(&c.sub),
        HirKind::Repetition(r) if r.min >= 1 => required(&r.sub),
        // Of the parts that must all match, the one with the most selective literals: the
        // longest shortest literal (long literals are rare in a log), then the fewest
        // alternatives, then the first.
        HirKind::Concat(parts) => {
            let mut best: Option<Vec<Vec<u8>>> = None;
            let score = |set: &Vec<Vec<u8>>| {
                (set.iter().map(Vec::len).min().unwrap_or(0), std::cmp::Reverse(set.len()))
            };
            for set in parts.iter().filter_map(required) {
                if best.as_ref().is_none_or(|b| score(&set) > score(b)) {
                    best = Some(set);
                }
            }
            best
        }
        // One alternative matches: any of their literals may be the one.
        HirKind::Alternation(alts) => {
            let mut all = Vec::new();
            for a in alts {
                all.extend(required(a)?);
            }
            Some(all)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lits(p: &str) -> Option<Vec<String>> {
        required_literals(p).map(|v| v.into_iter().map(|l| String::from_utf8(l).unwrap()).collect())
    }

    #[test]
    fn required_literals_of_typical_patterns() {
        assert_eq!(
            lits("^Reject: +(pkg://[^/]+/|pkg:/)?(?P<package>[^ @]+)").unwrap(),
            ["Reject:"]
        );
        assert_eq!(lits("(ERROR|[Ee]rror|No solution)").unwrap(), ["ERROR", "rror", "No solution"]);
        assert_eq!(
            lits("[#$%>] +((pfexec|sudo) +)?(/usr/sbin/)?zoneadm +-z +(?P<zone>[^ ]+) +attach")
                .unwrap(),
            ["zoneadm"]
        );
        assert_eq!(lits("[a-z]+ failed").unwrap(), [" failed"]);
        assert_eq!(lits("^(Removal|Install|Update) Phase").unwrap(), [" Phase"]);
        assert_eq!(lits("[a-z]+"), None);
        assert_eq!(lits("(a|bcd)"), None);
        assert_eq!(lits("^\\^C").unwrap(), ["^C"]);
    }

    #[test]
    fn both_scanners_find_the_same_candidates() {
        let pats = vec!["Reject: ".to_string(), "^ERROR: ".to_string()];
        let lit = Scanner::new(&pats).unwrap();
        assert!(lit.is_literal());
        let mut with_fallback = pats.clone();
        with_fallback.push("[0-9]+x".into());
        let re = Scanner::new(&with_fallback).unwrap();
        assert!(!re.is_literal());
        let hay = b"noise\n[date] ERROR: x\n  Reject:  pkg:/a\n";
        assert_eq!(lit.find(hay, 0), Some(13));
        assert_eq!(re.find(hay, 0), Some(13));
        assert_eq!(lit.find(hay, 14), Some(24));
        assert_eq!(lit.find(hay, 30), None);
        assert_eq!(lit.candidates(b"ERROR: Reject: x"), Some(vec![0, 1]));
        let merged =
            Scanner::new(&["Reject: ".into(), "Reject: +pkg".into(), "zz Reject:".into()]).unwrap();
        assert_eq!(merged.candidates(b"  Reject:  pkg:/a"), Some(vec![0, 1, 2]));
        assert_eq!(lit.candidates(b"nothing"), Some(vec![]));
        assert_eq!(re.candidates(b"ERROR: x"), None);
    }
}
