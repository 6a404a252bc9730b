//! The recovery strategies, one module each (the rungs of the ladder). Their canonical names
//! are one vocabulary across the CLI, playbooks, reports and the simulator's oracle.

mod name;

pub use name::{StrategyChoice, StrategyName};
