//! Which generation of the attach script wrote a log (reference §2.1), guessed from markers.

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

/// Attach-script generation. Names match the simulator's `platform` values where one exists.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Generation {
    /// OpenSolaris 2009.06 ipkg (gen A): no log file, `Attach complete.`.
    Opensolaris200906,
    /// OpenSolaris b134 ipkg (gen B): `Log File:` + `Attach complete.`.
    OpensolarisB134,
    /// b151 / Solaris 11 Express ipkg (gen C): `Attaching...` + `Result: Attach …`.
    S11express,
    /// OpenIndiana ipkg (gen C'/C''): `Attach Path:` / `Attach ZFS Dataset:`.
    Openindiana,
    /// OmniOS ipkg/lipkg (gen C'''): messages only in the log, `PKG:` lines.
    Omnios,
    /// Pre-FCS Solaris 11 ipkg (gen D0): `Log File:` + `Linking to image`.
    Solaris11Prefcs,
    /// Solaris 11 `solaris` brand (gen D): `Progress being logged to`, `Log saved in …`.
    Solaris11,
    /// pkg output only, or nothing distinctive.
    Unknown,
}

impl Generation {
    pub const ALL: [Generation; 8] = [
        Generation::Opensolaris200906,
        Generation::OpensolarisB134,
        Generation::S11express,
        Generation::Openindiana,
        Generation::Omnios,
        Generation::Solaris11Prefcs,
        Generation::Solaris11,
        Generation::Unknown,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Generation::Opensolaris200906 => "opensolaris-200906",
            Generation::OpensolarisB134 => "opensolaris-b134",
            Generation::S11express => "s11express",
            Generation::Openindiana => "openindiana",
            Generation::Omnios => "omnios",
            Generation::Solaris11Prefcs => "solaris11-prefcs",
            Generation::Solaris11 => "solaris11",
            Generation::Unknown => "unknown",
        }
    }

    /// Human description for reports.
    pub fn describe(self) -> &'static str {
        match self {
            Generation::Opensolaris200906 => "OpenSolaris 2009.06 (ipkg brand)",
            Generation::OpensolarisB134 => "OpenSolaris b134 (ipkg brand)",
            Generation::S11express => "OpenSolaris b151 / Solaris 11 Express (ipkg brand)",
            Generation::Openindiana => "OpenIndiana (ipkg brand)",
            Generation::Omnios => "OmniOS (ipkg/lipkg brand)",
            Generation::Solaris11Prefcs => "pre-release Solaris 11 (ipkg brand, linked images)",
            Generation::Solaris11 => "Solaris 11 (solaris brand)",
            Generation::Unknown => "unknown (no attach-script markers)",
        }
    }

    /// Whether `attach -u` copies the global zone's publishers into the zone image (ipkg
    /// generations from b151 on), as opposed to the system repository (Solaris 11) or the
    /// preferred publisher only (OpenSolaris).
    pub fn copies_gz_publishers(self) -> bool {
        matches!(self, Generation::S11express | Generation::Openindiana | Generation::Omnios)
    }
}

impl fmt::Display for Generation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Generation {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Generation::ALL.into_iter().find(|g| g.as_str() == s).ok_or_else(|| {
            let names: Vec<&str> = Generation::ALL.iter().map(|g| g.as_str()).collect();
            format!("unknown generation '{s}' (expected one of: {})", names.join(", "))
        })
    }
}

/// Evidence for each generation, accumulated while reading; [`GenerationVotes::decide`] picks.
#[derive(Clone, Debug, Default)]
pub struct GenerationVotes {
    votes: [u32; 8],
    /// Weaker evidence, taken only when no attach-script marker decides: what a release's own
    /// pkg output shows (Solaris 11's `0.175` versions, OpenIndiana's publisher name).
    hints: [u32; 8],
}

impl GenerationVotes {
    pub fn vote(&mut self, g: Generation) {
        if let Some(i) = Generation::ALL.iter().position(|x| *x == g) {
            self.votes[i] = self.votes[i].saturating_add(1);
        }
    }

    pub fn hint(&mut self, g: Generation) {
        if let Some(i) = Generation::ALL.iter().position(|x| *x == g) {
            self.hints[i] = self.hints[i].saturating_add(1);
        }
    }

    fn count(&self, g: Generation) -> u32 {
        Generation::ALL.iter().position(|x| *x == g).map_or(0, |i| self.votes[i])
    }

    /// Later generations share markers with earlier ones (OmniOS prints everything OI
    /// prints), so the most specific marker wins, not the most frequent.
    pub fn decide(&self, has_log_file_line: bool) -> Generation {
        use Generation::*;
        if self.count(Solaris11) > 0 {
            return Solaris11;
        }
        // `Linking to image` is both D0 and D; only D0 names a /var/tmp log file.
        if self.count(Solaris11Prefcs) > 0 {
            return if has_log_file_line { Solaris11Prefcs } else { Solaris11 };
        }
        for g in [Omnios, Openindiana, S11express] {
            if self.count(g) > 0 {
                return g;
            }
        }
        if self.count(OpensolarisB134) > 0 {
            return if has_log_file_line { OpensolarisB134 } else { Opensolaris200906 };
        }
        // No attach-script marker: the release the pkg output itself shows. OpenIndiana's
        // publisher name and OmniOS's version syntax are surer signs than linked images
        // (`zone:NAME`), which both have too.
        let hinted = |g: Generation| {
            Generation::ALL.iter().position(|x| *x == g).is_some_and(|i| self.hints[i] > 0)
        };
        [Openindiana, Omnios, Solaris11].into_iter().find(|&g| hinted(g)).unwrap_or(Unknown)
    }
}
