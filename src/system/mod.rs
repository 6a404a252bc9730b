//! The command layer: every external command zonerescue runs goes through [`Runner`].
//!
//! Rules it enforces for a root-run tool on production hosts: argv only (never a shell),
//! absolute program paths, `LC_ALL=C`, stdout and stderr read on their own threads (no
//! deadlock on a chatty child), lines streamed to a callback while the command runs, a timeout,
//! and errors that carry argv, status, stdout and stderr.
//!
//! The one seam for tests and the demo is [`SystemPaths`]: it points the runner at another
//! command directory (the simulator's links) and another system root (for `/var/tmp`,
//! `/var/log/zones`, the state directory).

mod command;
mod config_file;
mod error;
mod output;
mod paths;
mod program;
mod runner;
#[cfg(test)]
pub(crate) mod test_script;
mod timeouts;

pub use command::{CommandSpec, shell_quote};
pub use config_file::{CONFIG_LIMIT, read_config_file};
pub use error::CommandError;
pub use output::CommandOutput;
pub use paths::SystemPaths;
pub use program::Program;
pub use runner::{Runner, Stream, group_alive, pid_alive, process_identity};
pub use timeouts::{CommandKind, TimeoutSetting, Timeouts};
