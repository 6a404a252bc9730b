//! Live terminal output for `ZONESIM_SPEED` runs: brand messages and pkg output of an attach
//! are written as they happen (between the real sleeps), so the demo shows progress.
//! Whatever was emitted live is not printed again at the end.

use std::cell::Cell;
use std::io::Write;

thread_local! {
    static ENABLED: Cell<bool> = const { Cell::new(false) };
    static EMITTED: Cell<usize> = const { Cell::new(0) };
}

pub fn enable(on: bool) {
    ENABLED.with(|e| e.set(on));
    EMITTED.with(|e| e.set(0));
}

/// Writes terminal text now (when live) and remembers how much was written.
pub fn emit(text: &str) {
    if ENABLED.with(Cell::get) {
        let mut out = std::io::stdout();
        let _ = out.write_all(text.as_bytes());
        let _ = out.flush();
        EMITTED.with(|e| e.set(e.get() + text.len()));
    }
}

/// Bytes of stdout already written live.
pub fn emitted() -> usize {
    EMITTED.with(Cell::get)
}
