//! Entry points of the recovery subcommands (recover, status, resume, rollback, snapshots).

use crate::cli::Cli;

pub fn run(_cli: &Cli) -> anyhow::Result<u8> {
    anyhow::bail!("recovery is not implemented yet")
}
