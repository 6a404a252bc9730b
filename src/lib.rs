//! zonerescue: rescues Solaris 11 / illumos non-global zones that fail `zoneadm attach -u`
//! after the global zone was upgraded.
//!
//! Where things are:
//! - [`system`]: the command runner every external command goes through.
//! - [`commands`]: one wrapper per system command (argv builder + parser of its output).
//! - [`analysis`]: reads attach logs and classifies failures (`zonerescue analyze`); the rules
//!   themselves are data in `playbooks/analysis-rules.toml`.
//! - [`playbook`]: per-platform recovery playbooks (`playbooks/*.toml`).
//! - [`strategies`]: one module per recovery strategy (the rungs of the ladder).
//! - [`engine`]: the state machine: preflight, snapshot, attempts, journal, lock.
//! - [`ui`]: what people see: colour, progress bars, prompts, reports.
//! - [`sim`]: `zonesim`, the simulated Solaris/illumos host used by tests and the demo.
//!   Only the `zonesim` binary and `zonerescue demo` use it; recovery code never does.

pub mod analysis;
pub mod cli;
pub mod commands;
pub mod completions;
pub mod engine;
pub mod exit;
pub mod manpage;
pub mod playbook;
pub mod sim;
pub mod strategies;
pub mod system;
pub mod ui;
