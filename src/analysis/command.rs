//! `zonerescue analyze`.

use crate::cli::{AnalyzeArgs, GlobalArgs};

pub fn run(_args: &AnalyzeArgs, _global: &GlobalArgs) -> anyhow::Result<u8> {
    anyhow::bail!("analyze is not implemented yet")
}
