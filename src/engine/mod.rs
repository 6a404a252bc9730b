//! The recovery engine: preflight, snapshot, escalating attempts, journal and lock.

pub mod attempt;
pub mod build;
pub mod command;
pub mod diagnosis;
pub mod environment;
pub mod events;
pub mod exec;
pub mod facts;
pub mod findings;
pub mod fleet;
pub mod host_lock;
pub mod inflight;
pub mod journal;
pub mod lock;
pub mod planner;
pub mod preflight;
pub mod previous_run;
pub mod recover;
pub mod reporter;
pub mod rollback;
pub mod signals;
pub mod snapshot;
pub mod snapshots;
pub mod statedir;
pub mod zbe;
pub mod zbe_clone;
