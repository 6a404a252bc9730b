//! `attach`: nothing but the plain detach / `attach -u` (which the engine runs after every rung).

use super::{Applied, Input, Strategy, StrategyName};
use crate::engine::exec::Exec;

pub struct Attach;

impl Strategy for Attach {
    fn name(&self) -> StrategyName {
        StrategyName::Attach
    }
    fn worth_trying(&self, input: &Input) -> Result<String, String> {
        // After a predicted failure whose remedy was skipped or refused, it is tried for what
        // its log names, not because it often works (ops ww F4).
        Ok(match input.diagnosis.filter(|d| d.predicted && !d.reasons.is_empty()) {
            Some(_) => "preflight predicts it fails (attach.predicted-failure, above); tried all \
                        the same: its log names what stands in the way"
                .into(),
            None => "the gentlest remedy: attach -u updates the zone to the global zone's release \
                     when nothing stands in the way"
                .into(),
        })
    }
    fn commands(&self, input: &Input) -> Vec<String> {
        let z = input.facts.zone.as_str();
        vec![format!("zoneadm -z {z} detach   (if installed)"), format!("zoneadm -z {z} attach -u")]
    }
    fn apply(&mut self, _input: &Input, _exec: &Exec) -> anyhow::Result<Applied> {
        Ok(Applied::Changed { detail: "plain attach -u".into(), findings: Vec::new() })
    }
}
