//! Attach-log analysis (`zonerescue analyze`, and the engine's diagnosis between attempts).

pub mod command;
