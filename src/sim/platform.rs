//! The simulated platforms (reference §2.1) and their package version syntax.
//!
//! Version syntax per platform (builds are the world's unit; FMRIs are derived from them):
//! - `s11express` (b151):  `0.5.11,5.11-0.<build>:<timestamp>`          short `0.5.11-0.<build>`
//! - `solaris11`:          `0.5.11,5.11-0.<build>.0.0.0.0.0:<timestamp>` short `0.5.11-0.<build>.0.0.0.0.0`
//! - `openindiana`:        `0.5.11,5.11-0.<build>:<timestamp>`          short `0.5.11-0.<build>`
//! - `omnios`:             `11,5.11-<build>.0:<timestamp>`              short `11-<build>.0`
//!   (OmniOS builds are release numbers such as 151046.)
//!
//! The timestamp is derived from the build so that it is stable across runs.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Platform {
    S11Express,
    OpenIndiana,
    OmniOS,
    Solaris11,
}

impl Platform {
    pub fn parse(s: &str) -> Option<Platform> {
        match s {
            "s11express" => Some(Platform::S11Express),
            "openindiana" => Some(Platform::OpenIndiana),
            "omnios" => Some(Platform::OmniOS),
            "solaris11" => Some(Platform::Solaris11),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Platform::S11Express => "s11express",
            Platform::OpenIndiana => "openindiana",
            Platform::OmniOS => "omnios",
            Platform::Solaris11 => "solaris11",
        }
    }

    pub fn brands(self) -> &'static [&'static str] {
        match self {
            Platform::S11Express | Platform::OpenIndiana => &["ipkg"],
            Platform::OmniOS => &["ipkg", "lipkg"],
            Platform::Solaris11 => &["solaris"],
        }
    }

    /// illumos-derived systems (current zoneadm, current pkg client).
    pub fn is_illumos(self) -> bool {
        matches!(self, Platform::OpenIndiana | Platform::OmniOS)
    }

    /// `pkg publisher -F tsv` has the old 7-column layout (b151) or the current 8-column one.
    pub fn old_pkg_client(self) -> bool {
        self == Platform::S11Express
    }

    fn branch(self, build: u32) -> String {
        match self {
            Platform::S11Express | Platform::OpenIndiana => format!("0.{build}"),
            Platform::Solaris11 => format!("0.{build}.0.0.0.0.0"),
            Platform::OmniOS => format!("{build}.0"),
        }
    }

    fn release(self) -> &'static str {
        match self {
            Platform::OmniOS => "11",
            _ => "0.5.11",
        }
    }

    /// `<release>-<branch>`: the short version of `fmri.get_short_fmri`.
    pub fn short_version(self, build: u32) -> String {
        format!("{}-{}", self.release(), self.branch(build))
    }

    /// Full version with build release and timestamp.
    pub fn full_version(self, build: u32) -> String {
        format!("{},5.11-{}:{}", self.release(), self.branch(build), timestamp(build))
    }

    /// What `pkg info` prints after `FMRI: pkg://pub/name@`: with the build release on
    /// b151 and S11.0, without it on current OI/OmniOS clients (reference §3.8).
    pub fn info_version(self, build: u32) -> String {
        if self.is_illumos() {
            format!("{}-{}:{}", self.release(), self.branch(build), timestamp(build))
        } else {
            self.full_version(build)
        }
    }

    /// Build number of a version or FMRI in any of the accepted spellings
    /// (`entire@0.5.11-0.134`, `pkg://p/entire@0.5.11,5.11-0.134:2010…`, `11-151046.0`, `134`).
    pub fn parse_build(self, text: &str) -> Option<u32> {
        let version = text.rsplit_once('@').map(|(_, v)| v).unwrap_or(text);
        let version = version.split(':').next().unwrap_or(version);
        if let Ok(b) = version.parse::<u32>() {
            return Some(b);
        }
        let branch = version.split_once('-').map(|(_, b)| b)?;
        let mut parts = branch.split('.');
        let first = parts.next()?;
        let candidate =
            if self == Platform::OmniOS || first != "0" { first } else { parts.next()? };
        candidate.parse().ok()
    }
}

/// A stable `YYYYMMDDTHHMMSSZ` timestamp for a build.
pub fn timestamp(build: u32) -> String {
    let b = build % 1000;
    format!(
        "20{:02}{:02}{:02}T{:02}{:02}{:02}Z",
        (8 + b / 40).min(25),
        1 + b % 12,
        1 + b % 28,
        b % 24,
        (b * 7) % 60,
        (b * 13) % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_round_trip_per_platform() {
        for p in
            [Platform::S11Express, Platform::OpenIndiana, Platform::OmniOS, Platform::Solaris11]
        {
            for b in [111, 134, 151, 175, 151046] {
                assert_eq!(
                    p.parse_build(&format!("entire@{}", p.full_version(b))),
                    Some(b),
                    "{p:?}"
                );
                assert_eq!(p.parse_build(&p.short_version(b)), Some(b));
                assert_eq!(
                    p.parse_build(&format!("pkg://x/entire@{}", p.info_version(b))),
                    Some(b)
                );
            }
        }
        assert_eq!(Platform::S11Express.short_version(134), "0.5.11-0.134");
        assert_eq!(Platform::OmniOS.short_version(151046), "11-151046.0");
        assert_eq!(Platform::OmniOS.parse_build("entire@151046"), Some(151046));
    }
}
