//! The recovery engine: preflight, snapshot, escalating attempts, journal and lock.

pub mod command;
pub mod events;
pub mod findings;
pub mod journal;
pub mod lock;
pub mod signals;
pub mod statedir;
