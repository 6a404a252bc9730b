//! Arbitrary bytes as a `--playbook` file: parsing must return a playbook or an error, never
//! panic; a parsed playbook must answer lookups for any package stem (its globs included).
#![no_main]

use libfuzzer_sys::fuzz_target;
use zonerescue::playbook::Playbook;

fuzz_target!(|data: &[u8]| {
    // The first line doubles as a package stem to look up; the whole input is the playbook.
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let stem = text.lines().next().unwrap_or_default();
    if let Ok(p) = Playbook::parse(text, "fuzz.toml") {
        let _ = p.is_core(stem);
        let _ = p.problem_group(stem);
        let _ = p.is_core("entire");
    }
});
