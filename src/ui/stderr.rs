//! Standard error, for the operator's lines (progress, refusals, errors) through
//! [`errln!`](crate::errln) and [`err!`](crate::err) instead of `eprintln!`, which panics when
//! the write fails: the terminal of a dropped SSH session (EIO after the hangup), or a closed
//! pipe (`zonerescue … 2>&1 | head -1`). A rescue must go on to its clean-up (the global
//! zone's publishers restored) whoever reads it, so a failed write is dropped, not an error.

use std::fmt;
use std::io::{self, Write};

/// Writes `args` to standard error, made safe for a terminal; a failed write is dropped.
pub fn write_fmt(args: fmt::Arguments<'_>) {
    let text = args.to_string();
    let text = super::color::terminal_safe(&text);
    let mut err = io::stderr().lock();
    let _ = err.write_all(text.as_bytes()).and_then(|()| err.flush());
}

/// `eprintln!` that never panics (see [`crate::ui::stderr`]).
#[macro_export]
macro_rules! errln {
    ($($arg:tt)*) => {
        $crate::ui::stderr::write_fmt(format_args!("{}\n", format_args!($($arg)*)))
    };
}

/// `eprint!` that never panics (see [`crate::ui::stderr`]).
#[macro_export]
macro_rules! err {
    ($($arg:tt)*) => {
        $crate::ui::stderr::write_fmt(format_args!($($arg)*))
    };
}
