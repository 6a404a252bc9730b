//! Preflight and diagnosis findings, leapp style: a stable key (for scripts and tests), a
//! severity, whether it inhibits the run, and what a human can do about it.

use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Stable identifier, e.g. `zone.running`, `zbe.parentbe-mismatch`.
    pub key: String,
    pub severity: Severity,
    /// An inhibitor stops the run before anything changes.
    pub inhibitor: bool,
    pub title: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub detail: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remediation: Option<String>,
}

impl Finding {
    pub fn info(key: &str, title: impl Into<String>) -> Finding {
        Finding {
            key: key.into(),
            severity: Severity::Info,
            inhibitor: false,
            title: title.into(),
            detail: String::new(),
            remediation: None,
        }
    }

    pub fn warn(key: &str, severity: Severity, title: impl Into<String>) -> Finding {
        Finding { severity, ..Finding::info(key, title) }
    }

    pub fn inhibitor(key: &str, title: impl Into<String>) -> Finding {
        Finding { severity: Severity::High, inhibitor: true, ..Finding::info(key, title) }
    }

    pub fn detail(mut self, detail: impl Into<String>) -> Finding {
        self.detail = detail.into();
        self
    }

    pub fn remediation(mut self, remediation: impl Into<String>) -> Finding {
        self.remediation = Some(remediation.into());
        self
    }
}
