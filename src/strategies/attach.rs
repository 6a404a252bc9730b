//! `attach`: nothing but the plain detach / `attach -u` (which the engine runs after every rung).

use super::{Applied, Input, Strategy, StrategyName};
use crate::engine::exec::Exec;

pub struct Attach;

impl Strategy for Attach {
    fn name(&self) -> StrategyName {
        StrategyName::Attach
    }
    fn worth_trying(&self, _input: &Input) -> Result<String, String> {
        Ok("a plain attach -u often just works after a minor update".into())
    }
    fn commands(&self, input: &Input) -> Vec<String> {
        let z = input.facts.zone.as_str();
        vec![format!("zoneadm -z {z} detach   (if installed)"), format!("zoneadm -z {z} attach -u")]
    }
    fn apply(&mut self, _input: &Input, _exec: &Exec) -> anyhow::Result<Applied> {
        Ok(Applied::Changed { detail: "plain attach -u".into(), findings: Vec::new() })
    }
}
