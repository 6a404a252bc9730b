use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// The platform generations zonerescue knows (reference §2.1): they differ in how `attach -u`
/// treats publishers, where the attach log goes, and which repositories lead from old to new.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Platform {
    S11Express,
    OpenIndiana,
    #[serde(rename = "omnios")]
    OmniOs,
    Solaris11,
}

impl Platform {
    pub const ALL: [Platform; 4] =
        [Platform::S11Express, Platform::OpenIndiana, Platform::OmniOs, Platform::Solaris11];

    pub fn as_str(self) -> &'static str {
        match self {
            Platform::S11Express => "s11express",
            Platform::OpenIndiana => "openindiana",
            Platform::OmniOs => "omnios",
            Platform::Solaris11 => "solaris11",
        }
    }

    /// Whether `attach -u` trips over *disabled* global-zone publishers too (b151's copy).
    pub fn attach_uses_disabled_gz_publishers(self) -> bool {
        self == Platform::S11Express
    }
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Platform {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Platform::ALL
            .into_iter()
            .find(|p| p.as_str() == s)
            .ok_or_else(|| format!("unknown platform '{s}'"))
    }
}
