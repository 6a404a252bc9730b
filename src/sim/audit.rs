//! DIR/audit.log: one JSON object per line and per invocation of a simulated command:
//! `{"argv":["pkg","-R","/w/zones/z1/root","list","-H"],"exit":0,"cost_s":0,"clock_s":123}`
//! - `argv`: the command name (basename of argv[0]) and its arguments;
//! - `exit`: the exit code returned;
//! - `cost_s`: simulated seconds this invocation cost;
//! - `clock_s`: the world clock after it.

use std::io::Write;
use std::path::Path;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub argv: Vec<String>,
    pub exit: i32,
    pub cost_s: u64,
    pub clock_s: u64,
}

pub fn append(dir: &Path, entry: &AuditEntry) -> std::io::Result<()> {
    let mut f =
        std::fs::OpenOptions::new().create(true).append(true).open(dir.join("audit.log"))?;
    let line = serde_json::to_string(entry).map_err(std::io::Error::other)?;
    f.write_all(format!("{line}\n").as_bytes())
}

/// Reads every entry (tests and tools).
pub fn read(dir: &Path) -> std::io::Result<Vec<AuditEntry>> {
    let text = std::fs::read_to_string(dir.join("audit.log"))?;
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).map_err(std::io::Error::other))
        .collect()
}
