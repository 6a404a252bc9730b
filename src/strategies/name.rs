use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A recovery strategy by its canonical name, in ladder order (gentlest first).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StrategyName {
    Attach,
    GzPublishers,
    ZonePublishers,
    Uninstall,
    Incremental,
    ImageUpdate,
    ImageCreate,
}

impl StrategyName {
    /// The field notes' fixed order.
    pub const LADDER: [StrategyName; 7] = [
        StrategyName::Attach,
        StrategyName::GzPublishers,
        StrategyName::ZonePublishers,
        StrategyName::Uninstall,
        StrategyName::Incremental,
        StrategyName::ImageUpdate,
        StrategyName::ImageCreate,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            StrategyName::Attach => "attach",
            StrategyName::GzPublishers => "gz-publishers",
            StrategyName::ZonePublishers => "zone-publishers",
            StrategyName::Uninstall => "uninstall",
            StrategyName::Incremental => "incremental",
            StrategyName::ImageUpdate => "image-update",
            StrategyName::ImageCreate => "image-create",
        }
    }

    /// Destroys the zone's package metadata: needs explicit consent.
    pub fn is_destructive(self) -> bool {
        self == StrategyName::ImageCreate
    }

    /// Whether it changes the zone's image (the others act only around an attach: a plain
    /// attach, gz-publishers): such a rung needs the image mounted at the zone root, gets its
    /// own snapshot, and the zone is detached for it.
    pub fn changes_image(self) -> bool {
        !matches!(self, StrategyName::Attach | StrategyName::GzPublishers)
    }

    /// How much a strategy takes away from the zone: 2 re-creates the image, 1 removes
    /// installed software, 0 changes configuration or versions only. `auto` prefers the
    /// lowest among the remedies a diagnosis calls for (the oracle's notion of gentleness).
    pub fn harm(self) -> u8 {
        match self {
            StrategyName::ImageCreate => 2,
            StrategyName::Uninstall => 1,
            _ => 0,
        }
    }
}

impl fmt::Display for StrategyName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for StrategyName {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        StrategyName::LADDER.into_iter().find(|n| n.as_str() == s).ok_or_else(|| {
            let names: Vec<&str> = StrategyName::LADDER.iter().map(|n| n.as_str()).collect();
            format!("unknown strategy '{s}' (expected one of: {})", names.join(", "))
        })
    }
}

/// How the engine picks rungs: from the diagnosis, the fixed ladder, or one strategy only.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StrategyChoice {
    Auto,
    Ladder,
    Only(StrategyName),
}

impl fmt::Display for StrategyChoice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StrategyChoice::Auto => f.write_str("auto"),
            StrategyChoice::Ladder => f.write_str("ladder"),
            StrategyChoice::Only(n) => n.fmt(f),
        }
    }
}

impl FromStr for StrategyChoice {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "auto" => Ok(StrategyChoice::Auto),
            "ladder" => Ok(StrategyChoice::Ladder),
            other => other
                .parse::<StrategyName>()
                .map(StrategyChoice::Only)
                .map_err(|e| format!("{e}, auto, ladder")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_keep_ladder_order() {
        for n in StrategyName::LADDER {
            assert_eq!(n.as_str().parse::<StrategyName>().unwrap(), n);
        }
        assert!(StrategyName::Attach < StrategyName::ImageCreate);
        assert_eq!(
            "incremental".parse::<StrategyChoice>().unwrap(),
            StrategyChoice::Only(StrategyName::Incremental)
        );
        assert!("reinstall".parse::<StrategyChoice>().is_err());
    }
}
