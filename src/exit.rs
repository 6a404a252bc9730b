//! Exit codes, documented in README.md and man/zonerescue.8 (EXIT STATUS).
//!
//! Recovery (`zonerescue ZONE`, `resume`, `rollback`):
//! 0 attached (or the requested command succeeded), 1 failed (every useful rung failed; zone
//! left detached with its image restored), 2 usage or I/O error, 3 refused (nothing was
//! changed: zone running, cannot snapshot, no terminal for prompts …), 4 another run holds the
//! zone's lock (or a command a killed run left running outlasted its limit), 5 stopped by an unexpected error midway (journal says where; `resume` goes on),
//! 6 the global zone's publishers differ from how the run found them and could not be put
//! back (whatever became of the zone: the summary's `result` says; its next steps give the
//! commands), 130 interrupted by a signal.
//! `--dry-run` exits 0 (result `planned` in the JSON summary). An invalid or unknown zone name,
//! a running or incomplete zone, an ambiguous ZBE, a failed pre-rescue snapshot and "no
//! terminal and neither --strategy nor --yes" are all refusals (3), as is a GZ publisher
//! configuration an earlier run left modified that cannot be restored from its journal. `rollback` exits 0 when the
//! image was rolled back, 3 when it refused (no journal, unknown snapshot, running zone), 4 when
//! a run holds the lock, 5 when a command failed midway (run it again once the cause is fixed).
//!
//! `analyze`: 0 the log shows a successful attach, 1 a failure was diagnosed, 2 usage or I/O
//! error, 3 a failure (or input) that no rule explains; for several zones' logs the worst.

pub const OK: u8 = 0;
pub const FAILED: u8 = 1;
pub const USAGE: u8 = 2;
pub const REFUSED: u8 = 3;
pub const LOCKED: u8 = 4;
pub const ERROR: u8 = 5;
/// The run ended with the global zone's publishers not as it found them: that concerns every
/// zone on the host, so it outranks the zone's own result (even `attached`).
pub const GZ_PUBLISHERS_MODIFIED: u8 = 6;
pub const INTERRUPTED: u8 = 130;

/// `analyze`: the log shows a successful attach.
pub const ANALYZE_ATTACHED: u8 = 0;
/// `analyze`: a failure was diagnosed by at least one rule.
pub const ANALYZE_DIAGNOSED: u8 = 1;
/// `analyze`: a failure (or input) that no rule explains.
pub const ANALYZE_UNEXPLAINED: u8 = 3;
