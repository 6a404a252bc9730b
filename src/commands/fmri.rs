//! pkg(5) FMRIs and versions.
//!
//! Reference §3.8/§3.9: `pkg://<pub>/<name>@<release>[,<build>]-<branch>:<timestamp>`, e.g.
//! `pkg://solaris/entire@0.5.11,5.11-0.175.0.0.0.2.1:20111019T082311Z`; the short form used in
//! solver messages is `pkg://<pub>/<name>@<release>-<branch>`; patterns may be a bare stem
//! (`entire`), `name@version` or `pkg:/name@version`.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use super::InvalidName;

/// A dot-separated sequence of non-negative integers (`0.5.11`, `0.175.0.0.0.2.1`), compared
/// component by component numerically; a prefix sorts first (`5.11` < `5.11.1`).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DotSequence(pub Vec<u64>);

impl DotSequence {
    /// pkg refuses empty components and zero-padded numbers (`05`), and so does this.
    pub fn parse(s: &str) -> Result<Self, String> {
        let mut out = Vec::new();
        for part in s.split('.') {
            if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
                return Err(format!("'{s}' is not a dot-separated sequence of numbers"));
            }
            if part.len() > 1 && part.starts_with('0') {
                return Err(format!("'{s}' has a zero-padded number"));
            }
            out.push(part.parse::<u64>().map_err(|_| format!("'{part}' is too large"))?);
        }
        Ok(DotSequence(out))
    }
}

impl fmt::Display for DotSequence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, n) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(".")?;
            }
            write!(f, "{n}")?;
        }
        Ok(())
    }
}

/// A package version `release[,build]-branch[:timestamp]`; any part after the release may be
/// missing (patterns such as `entire@0.5.11-0.151` have no timestamp).
///
/// Ordering follows pkg(5): release, then branch, then timestamp (a missing part sorts
/// first); the build release is not significant to pkg and only breaks ties here.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Version {
    pub release: DotSequence,
    pub build: Option<DotSequence>,
    pub branch: Option<DotSequence>,
    /// `YYYYMMDDTHHMMSSZ`, kept as text (it sorts correctly as text).
    pub timestamp: Option<String>,
}

impl Version {
    /// The OS build this version belongs to: the first non-zero component of the branch
    /// (`0.5.11-0.134` → 134, OmniOS `11-0.151046` or `11-151046.0` → 151046, Solaris 11
    /// `0.5.11-0.175.0.0.0.2.1` → 175), else the last component of the release.
    ///
    /// `None` for Solaris 11.4's scheme (`11.4-11.4.42.0.1.113.1`: the branch repeats the
    /// release, then SRU and build), which has no number on the same scale as 11.3's 175.
    pub fn os_build(&self) -> Option<u64> {
        match &self.branch {
            Some(b) if b.0.starts_with(&self.release.0) && self.release.0.len() > 1 => None,
            Some(b) => b.0.iter().copied().find(|&n| n != 0),
            None => self.release.0.last().copied(),
        }
    }

    pub fn parse(s: &str) -> Result<Self, String> {
        let (rest, timestamp) = match s.split_once(':') {
            Some((r, t)) => {
                if t.len() != 16
                    || !t.bytes().enumerate().all(|(i, b)| match i {
                        8 => b == b'T',
                        15 => b == b'Z',
                        _ => b.is_ascii_digit(),
                    })
                {
                    return Err(format!("'{t}' is not a timestamp like 20111019T082311Z"));
                }
                (r, Some(t.to_string()))
            }
            None => (s, None),
        };
        let (rest, branch) = match rest.split_once('-') {
            Some((r, b)) => (r, Some(DotSequence::parse(b)?)),
            None => (rest, None),
        };
        let (release, build) = match rest.split_once(',') {
            Some((r, b)) => (r, Some(DotSequence::parse(b)?)),
            None => (rest, None),
        };
        Ok(Version { release: DotSequence::parse(release)?, build, branch, timestamp })
    }

    /// `release-branch`, the form solver messages print (`get_short_version`).
    pub fn short(&self) -> String {
        match &self.branch {
            Some(b) => format!("{}-{}", self.release, b),
            None => self.release.to_string(),
        }
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.release)?;
        if let Some(b) = &self.build {
            write!(f, ",{b}")?;
        }
        if let Some(b) = &self.branch {
            write!(f, "-{b}")?;
        }
        if let Some(t) = &self.timestamp {
            write!(f, ":{t}")?;
        }
        Ok(())
    }
}

impl FromStr for Version {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Version::parse(s)
    }
}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        self.release
            .cmp(&other.release)
            .then_with(|| self.branch.cmp(&other.branch))
            .then_with(|| self.timestamp.cmp(&other.timestamp))
            .then_with(|| self.build.cmp(&other.build))
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// A package FMRI or pattern: optional publisher, package name (stem), optional version.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Fmri {
    pub publisher: Option<String>,
    pub name: String,
    pub version: Option<Version>,
}

impl Fmri {
    /// A bare package name, validated.
    pub fn stem(name: &str) -> Result<Self, InvalidName> {
        validate_package_name(name)?;
        Ok(Fmri { publisher: None, name: name.to_string(), version: None })
    }

    /// `pkg://pub/name@v`, `pkg:/name@v`, `//pub/name`, `/name`, `name@v` or `name`.
    pub fn parse(s: &str) -> Result<Self, InvalidName> {
        let invalid = |reason: String| InvalidName::new("package FMRI", s, reason);
        let body = s.strip_prefix("pkg:").unwrap_or(s);
        let (publisher, rest) = if let Some(r) = body.strip_prefix("//") {
            let (p, rest) = r
                .split_once('/')
                .ok_or_else(|| invalid("no package name after publisher".into()))?;
            super::validate_publisher_name(p).map_err(|e| invalid(e.reason))?;
            (Some(p.to_string()), rest)
        } else {
            (None, body.strip_prefix('/').unwrap_or(body))
        };
        let (name, version) = match rest.split_once('@') {
            Some((n, v)) => (n, Some(Version::parse(v).map_err(invalid)?)),
            None => (rest, None),
        };
        validate_package_name(name).map_err(|e| invalid(e.reason))?;
        Ok(Fmri { publisher, name: name.to_string(), version })
    }

    pub fn with_version(mut self, version: Version) -> Self {
        self.version = Some(version);
        self
    }

    /// What to pass to `pkg install`: `name@version`, or `pkg://pub/name@version` when a
    /// publisher is part of it.
    pub fn to_pattern(&self) -> String {
        let mut out = match &self.publisher {
            Some(p) => format!("pkg://{p}/{}", self.name),
            None => self.name.clone(),
        };
        if let Some(v) = &self.version {
            out.push('@');
            out.push_str(&v.to_string());
        }
        out
    }

    /// `pkg://pub/name@release-branch` (or without publisher), as solver messages print it.
    pub fn short(&self) -> String {
        let mut out = match &self.publisher {
            Some(p) => format!("pkg://{p}/{}", self.name),
            None => format!("pkg:/{}", self.name),
        };
        if let Some(v) = &self.version {
            out.push('@');
            out.push_str(&v.short());
        }
        out
    }
}

impl fmt::Display for Fmri {
    /// The canonical form: `pkg://pub/name@version` or `pkg:/name@version`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.publisher {
            Some(p) => write!(f, "pkg://{p}/{}", self.name)?,
            None => write!(f, "pkg:/{}", self.name)?,
        }
        if let Some(v) = &self.version {
            write!(f, "@{v}")?;
        }
        Ok(())
    }
}

impl FromStr for Fmri {
    type Err = InvalidName;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Fmri::parse(s)
    }
}

/// Package names as pkg(5) allows them (`fmri.py` `_valid_pkg_name`: letters, digits,
/// `_-.+/`), without a leading `-`, `/` or `.`, a trailing `/`, or an empty path segment.
/// Whitespace, control characters and shell metacharacters are therefore refused.
pub fn validate_package_name(name: &str) -> Result<(), InvalidName> {
    let err = |reason: String| Err(InvalidName::new("package name", name, reason));
    if name.is_empty() {
        return err("it is empty".into());
    }
    if let Some(c) = name.chars().find(|c| !(c.is_ascii_alphanumeric() || "_-.+/".contains(*c))) {
        return err(format!("character {c:?} is not allowed (letters, digits, '_-.+/')"));
    }
    if name.starts_with(['-', '/', '.']) {
        return err("it must start with a letter, digit, '_' or '+'".into());
    }
    if name.ends_with('/') || name.contains("//") {
        return err("it has an empty path segment".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_every_documented_form() {
        let f = Fmri::parse("pkg://solaris/entire@0.5.11,5.11-0.175.0.0.0.2.1:20111019T082311Z")
            .unwrap();
        assert_eq!(f.publisher.as_deref(), Some("solaris"));
        assert_eq!(f.name, "entire");
        let v = f.version.as_ref().unwrap();
        assert_eq!(v.release, DotSequence(vec![0, 5, 11]));
        assert_eq!(v.build, Some(DotSequence(vec![5, 11])));
        assert_eq!(v.branch, Some(DotSequence(vec![0, 175, 0, 0, 0, 2, 1])));
        assert_eq!(v.timestamp.as_deref(), Some("20111019T082311Z"));
        assert_eq!(f.short(), "pkg://solaris/entire@0.5.11-0.175.0.0.0.2.1");

        let f = Fmri::parse("pkg:/web/server/apache-22@2.2.14-0.134").unwrap();
        assert_eq!((f.publisher, f.name.as_str()), (None, "web/server/apache-22"));
        assert_eq!(f.version.unwrap().to_string(), "2.2.14-0.134");

        let f = Fmri::parse("entire@0.5.11-0.151.1.8:20130513T163628Z").unwrap();
        assert_eq!(f.to_pattern(), "entire@0.5.11-0.151.1.8:20130513T163628Z");
        assert_eq!(Fmri::parse("SUNWcs").unwrap().to_string(), "pkg:/SUNWcs");
        assert_eq!(
            Fmri::parse("//opensolaris.org/SUNWcs").unwrap().to_pattern(),
            "pkg://opensolaris.org/SUNWcs"
        );
        assert_eq!(Fmri::parse("/SUNWcs@0.5.11").unwrap().name, "SUNWcs");
    }

    #[test]
    fn refuses_dangerous_or_malformed_input() {
        for bad in [
            "",
            "-R",
            "entire; rm -rf /",
            "a b",
            "pkg://solaris/",
            "pkg://sol aris/x",
            "x@",
            "x@1..2",
            "x@1.05",
            "x@1-",
            "x@1:2011",
            "$(id)",
            "a`b`",
            "a\nb",
            "a//b",
            "a/",
        ] {
            assert!(Fmri::parse(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn versions_compare_numerically() {
        let v = |s: &str| Version::parse(s).unwrap();
        assert!(v("0.5.11-0.151") > v("0.5.11-0.134"));
        assert!(v("0.5.11-0.151.1.8") > v("0.5.11-0.151.1"));
        assert!(v("0.5.11-0.9") < v("0.5.11-0.10"));
        assert!(v("0.5.11") < v("0.5.11-0.1"));
        assert!(v("5.12") > v("5.11-0.999"));
        assert!(v("1.0-1:20110101T000000Z") < v("1.0-1:20120101T000000Z"));
        assert_eq!(v("0.5.11,5.11-0.151").cmp(&v("0.5.11,5.11-0.151")), Ordering::Equal);
    }

    fn seq() -> impl Strategy<Value = DotSequence> {
        prop::collection::vec(0u64..100_000, 1..6).prop_map(DotSequence)
    }

    fn version() -> impl Strategy<Value = Version> {
        (
            seq(),
            prop::option::of(seq()),
            prop::option::of(seq()),
            prop::option::of((2000u32..2100, 1u32..13, 1u32..29, 0u32..24, 0u32..60)),
        )
            .prop_map(|(release, build, branch, ts)| Version {
                release,
                build,
                branch,
                timestamp: ts
                    .map(|(y, mo, d, h, mi)| format!("{y:04}{mo:02}{d:02}T{h:02}{mi:02}00Z")),
            })
    }

    proptest! {
        #[test]
        fn fmri_format_parse_round_trip(
            publisher in prop::option::of("[a-z0-9][a-z0-9.-]{0,15}"),
            name in "[A-Za-z0-9_+][A-Za-z0-9_+.-]{0,10}(/[A-Za-z0-9_+][A-Za-z0-9_+.-]{0,10}){0,3}",
            version in prop::option::of(version()),
        ) {
            let f = Fmri { publisher, name, version };
            prop_assert_eq!(Fmri::parse(&f.to_string()).unwrap(), f.clone());
            prop_assert_eq!(Fmri::parse(&f.to_pattern()).unwrap(), f);
        }

        #[test]
        fn version_order_is_consistent(a in version(), b in version(), c in version()) {
            prop_assert_eq!(a.cmp(&b), b.cmp(&a).reverse());
            prop_assert_eq!(a.cmp(&b) == Ordering::Equal, a == b);
            if a <= b && b <= c { prop_assert!(a <= c); }
            prop_assert_eq!(Version::parse(&a.to_string()).unwrap(), a);
        }

        #[test]
        fn release_order_is_numeric(x in seq(), y in seq()) {
            let vx = Version { release: x.clone(), build: None, branch: None, timestamp: None };
            let vy = Version { release: y.clone(), build: None, branch: None, timestamp: None };
            let numeric = x.0.iter().zip(&y.0).find(|(p, q)| p != q)
                .map(|(p, q)| p.cmp(q))
                .unwrap_or(x.0.len().cmp(&y.0.len()));
            prop_assert_eq!(vx.cmp(&vy), numeric);
        }

        #[test]
        fn arbitrary_text_never_panics(s in "\\PC{0,40}") {
            let _ = Fmri::parse(&s);
        }
    }
}
