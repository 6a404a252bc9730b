//! Standard output, for everything zonerescue prints there (a run's summary, `status`,
//! `snapshots`, `--all`, `analyze`, completions) through [`outln!`](crate::outln) and
//! [`out!`](crate::out) instead of `println!`, which panics when the reader has gone away
//! (`zonerescue status ZONE | head`). Rust ignores SIGPIPE, so a write to a closed pipe fails
//! with EPIPE; here that is not an error: the text is dropped and the program goes on to its
//! usual end and exit status, quietly. A rescue, rollback or prune is never stopped midway
//! because nobody reads what it prints. Other write errors (a full disk) are returned.

use std::fmt;
use std::io::{self, Write};

/// Writes `args` to standard output and flushes it; a closed pipe is success (see above).
pub fn write_fmt(args: fmt::Arguments<'_>) -> io::Result<()> {
    let text = args.to_string();
    let text = super::color::terminal_safe(&text);
    let mut out = io::stdout().lock();
    closed_is_fine(out.write_all(text.as_bytes()).and_then(|()| out.flush()))
}

/// Writes `bytes` to standard output and flushes it; a closed pipe is success (see above).
pub fn write_all(bytes: &[u8]) -> io::Result<()> {
    let mut out = io::stdout().lock();
    closed_is_fine(out.write_all(bytes).and_then(|()| out.flush()))
}

fn closed_is_fine(r: io::Result<()>) -> io::Result<()> {
    match r {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        r => r,
    }
}

/// `println!` to standard output, tolerating a closed pipe: an `io::Result<()>` (see
/// [`crate::ui::stdout`]).
#[macro_export]
macro_rules! outln {
    ($($arg:tt)*) => {
        $crate::ui::stdout::write_fmt(format_args!("{}\n", format_args!($($arg)*)))
    };
}

/// `print!` to standard output, tolerating a closed pipe: an `io::Result<()>` (see
/// [`crate::ui::stdout`]).
#[macro_export]
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::ui::stdout::write_fmt(format_args!($($arg)*))
    };
}
