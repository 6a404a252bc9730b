//! Any bytes as an attach log: the analyzer must never panic, in either input path, and both
//! paths must agree. The first two bytes pick where the reader splits the input, so lines
//! also break across reads.
#![no_main]

use std::io::Read;
use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use zonerescue::analysis::{AnalysisContext, Analyzer, RuleSet, analyze_reader, render_human};

static RULES: LazyLock<RuleSet> = LazyLock::new(|| RuleSet::builtin().expect("built-in rules"));

fuzz_target!(|data: &[u8]| {
    let (cut, body) = match data {
        [a, b, rest @ ..] => (usize::from(u16::from_le_bytes([*a, *b])) % (rest.len() + 1), rest),
        _ => (0, data),
    };
    let (head, tail) = body.split_at(cut);
    let read = analyze_reader(&RULES, AnalysisContext::default(), head.chain(tail))
        .expect("reading from memory cannot fail");
    let mut a = Analyzer::new(&RULES);
    for line in body.split_inclusive(|&b| b == b'\n') {
        a.feed_line(line);
    }
    let streamed = a.finish();
    assert_eq!(read, streamed);
    let _ = render_human(&read, true);
    let _ = serde_json::to_string(&read).expect("report serialises");
});
