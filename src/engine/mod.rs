//! The recovery engine: preflight, snapshot, escalating attempts, journal and lock.

pub mod command;
