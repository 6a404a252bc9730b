//! What the caller (the recovery engine) already knows about the host, to sharpen a diagnosis.

use super::generation::Generation;

/// Optional knowledge beyond the log. Everything may be left empty (`Default`): the analyzer
/// then says which reading is more likely and why.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AnalysisContext {
    /// The platform, if known (otherwise guessed from the log).
    pub platform: Option<Generation>,
    /// Publishers configured in the global zone (enabled and disabled).
    pub gz_publishers: Vec<String>,
    /// The subset of `gz_publishers` that is disabled.
    pub gz_disabled_publishers: Vec<String>,
    /// Publishers configured in the zone image before the attach.
    pub zone_publishers: Vec<String>,
    pub zone: Option<String>,
    /// `<zonepath>/root`.
    pub zone_root: Option<String>,
}
