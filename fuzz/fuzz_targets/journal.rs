//! Arbitrary bytes as `journal.json`: parsing must return a journal or an error, never panic;
//! a parsed journal must describe itself (`zonerescue status`) and survive a round trip.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zonerescue::engine::journal::Journal;

fuzz_target!(|data: &[u8]| {
    if let Ok(j) = Journal::parse(data, "journal.json") {
        let _ = j.describe(false);
        let again = serde_json::to_vec(&j).expect("a parsed journal serialises");
        let j2 = Journal::parse(&again, "journal.json").expect("a serialised journal parses");
        assert_eq!(j.describe(false), j2.describe(false), "round trip changed the journal");
    }
});
