//! Validation of names that reach a command line: zone names, publisher names, repository
//! URIs. Everything zonerescue passes to a system command is checked first, so that a name
//! read from a file or a prompt can never become an option (`-R`) or carry control characters.

use std::fmt;
use std::str::FromStr;

/// A name that was refused, with why.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid {kind} '{}': {reason}", .value.escape_debug())]
pub struct InvalidName {
    pub kind: &'static str,
    pub value: String,
    pub reason: String,
}

impl InvalidName {
    pub fn new(kind: &'static str, value: &str, reason: impl Into<String>) -> Self {
        InvalidName { kind, value: value.to_string(), reason: reason.into() }
    }
}

/// illumos `ZONENAME_MAX` is 64 bytes including the terminating NUL
/// (`zonecfg_validate_zonename`: `strlen(zone) >= ZONENAME_MAX` is refused).
pub const ZONENAME_MAX_LEN: usize = 63;

/// The rules of illumos/Solaris `zonecfg_validate_zonename` plus zonecfg's reservation of
/// `SUNW*`: first character alphanumeric, then alphanumerics, `-`, `_`, `.`; at most 63
/// characters; not `global`.
pub fn validate_zone_name(name: &str) -> Result<(), InvalidName> {
    let err = |reason: &str| Err(InvalidName::new("zone name", name, reason));
    let Some(first) = name.chars().next() else {
        return err("it is empty");
    };
    if name.len() > ZONENAME_MAX_LEN {
        return err("it is longer than 63 characters");
    }
    if !first.is_ascii_alphanumeric() {
        return err("it must start with a letter or digit");
    }
    if let Some(c) = name.chars().find(|c| !(c.is_ascii_alphanumeric() || "-_.".contains(*c))) {
        return Err(InvalidName::new(
            "zone name",
            name,
            format!("character {:?} is not allowed (letters, digits, '-', '_', '.')", c),
        ));
    }
    if name == "global" {
        return err("'global' is the global zone, not a non-global zone");
    }
    if name.starts_with("SUNW") {
        return err("names starting with SUNW are reserved");
    }
    Ok(())
}

/// A validated non-global zone name (see [`validate_zone_name`]).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ZoneName(String);

impl ZoneName {
    pub fn new(name: &str) -> Result<Self, InvalidName> {
        validate_zone_name(name)?;
        Ok(ZoneName(name.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for ZoneName {
    type Err = InvalidName;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ZoneName::new(s)
    }
}

impl fmt::Display for ZoneName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for ZoneName {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl AsRef<std::ffi::OsStr> for ZoneName {
    fn as_ref(&self) -> &std::ffi::OsStr {
        self.0.as_ref()
    }
}

/// Publisher prefixes as pkg(5) accepts them (`misc.valid_pub_prefix`: letters, digits,
/// `-`, `.`; zonerescue also accepts `_`), never starting with `-` or `.`.
pub fn validate_publisher_name(name: &str) -> Result<(), InvalidName> {
    let err = |reason: String| Err(InvalidName::new("publisher name", name, reason));
    if name.is_empty() {
        return err("it is empty".into());
    }
    if name.len() > 255 {
        return err("it is longer than 255 characters".into());
    }
    if name.starts_with(['-', '.']) {
        return err("it must start with a letter or digit".into());
    }
    if let Some(c) = name.chars().find(|c| !(c.is_ascii_alphanumeric() || "-_.".contains(*c))) {
        return err(format!("character {c:?} is not allowed (letters, digits, '-', '_', '.')"));
    }
    Ok(())
}

/// Repository URIs zonerescue will hand to pkg: `http://host…`, `https://host…` or
/// `file:///absolute/path`, printable ASCII without whitespace or quotes.
pub fn validate_uri(uri: &str) -> Result<(), InvalidName> {
    let err = |reason: String| Err(InvalidName::new("repository URI", uri, reason));
    if let Some(c) = uri.chars().find(|c| !c.is_ascii_graphic() || "\"'`\\<>".contains(*c)) {
        return err(format!("character {c:?} is not allowed in a URI"));
    }
    let lower = uri.to_ascii_lowercase();
    if let Some(rest) = lower.strip_prefix("http://").or_else(|| lower.strip_prefix("https://")) {
        let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
        // `host`, `host:port`, `[v6]` or `[v6]:port`, after any `user:password@`.
        let authority = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
        let (host, port) = match authority.strip_prefix('[') {
            Some(v6) => match v6.split_once(']') {
                Some((h, after)) => (h, after.strip_prefix(':')),
                None => return err("its IPv6 address has no closing ']'".into()),
            },
            None => match authority.split_once(':') {
                Some((h, p)) => (h, Some(p)),
                None => (authority, None),
            },
        };
        if host.is_empty() {
            return err("it has no host".into());
        }
        if let Some(p) = port
            && !p.parse::<u16>().is_ok_and(|n| n > 0)
        {
            return err(format!("port {p:?} is not a port number (1 to 65535)"));
        }
        Ok(())
    } else if let Some(path) = lower.strip_prefix("file://") {
        if !path.starts_with('/') {
            return err("a file URI needs an absolute path (file:///path)".into());
        }
        Ok(())
    } else {
        err("only http://, https:// and file:// repositories are supported".into())
    }
}

/// Arguments that must not look like options or contain anything a terminal or log would
/// misrender: used for free-form values (paths, property values) placed in an argv.
pub fn validate_argument(kind: &'static str, value: &str) -> Result<(), InvalidName> {
    if value.is_empty() {
        return Err(InvalidName::new(kind, value, "it is empty"));
    }
    if value.starts_with('-') {
        return Err(InvalidName::new(kind, value, "it must not start with '-'"));
    }
    if value.chars().any(char::is_control) {
        return Err(InvalidName::new(kind, value, "it contains control characters"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zone_names_follow_zonecfg_rules() {
        for ok in ["z1", "web01", "a", "1zone", "my-zone_2.prod", &"a".repeat(63)] {
            assert!(validate_zone_name(ok).is_ok(), "{ok}");
        }
        for (bad, why) in [
            ("", "empty"),
            ("global", "global zone"),
            ("SUNWdefault", "reserved"),
            ("-R", "start with"),
            ("_z", "start with"),
            ("z 1", "' '"),
            ("z;rm", "';'"),
            ("z\n", "'\\n'"),
            ("zöne", "'ö'"),
        ] {
            let e = validate_zone_name(bad).unwrap_err();
            assert!(e.to_string().contains(why), "{bad}: {e}");
        }
        assert!(validate_zone_name(&"a".repeat(64)).unwrap_err().reason.contains("63"));
        assert_eq!("z1".parse::<ZoneName>().unwrap().as_str(), "z1");
        assert!("global".parse::<ZoneName>().is_err());
    }

    #[test]
    fn publisher_names() {
        for ok in ["solaris", "openindiana.org", "on-nightly", "za12345", "ms.omniti.com"] {
            assert!(validate_publisher_name(ok).is_ok(), "{ok}");
        }
        for bad in ["", "-P", ".x", "a b", "a/b", "a$b", "pub\t"] {
            assert!(validate_publisher_name(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn uris() {
        for ok in [
            "http://pkg.openindiana.org/hipster/",
            "https://pkg.oracle.com/solaris/support/",
            "file:///export/repo",
            "http://localhost:10000",
            "http://[fe80::1]:10000/omnios/",
            "https://user:secret@pkg.example.com:8443/",
        ] {
            assert!(validate_uri(ok).is_ok(), "{ok}");
        }
        for bad in [
            "ftp://x/",
            "http://",
            "http:///x",
            "file://relative",
            "http://a b/",
            "-g",
            "",
            "http://[fe80::1/",
            "http://pkg.example.com:99999/",
            "http://pkg.example.com:/",
            "http://:80/",
        ] {
            assert!(validate_uri(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn arguments() {
        assert!(validate_argument("path", "/zones/z1").is_ok());
        assert!(validate_argument("path", "-R").is_err());
        assert!(validate_argument("path", "").is_err());
        assert!(validate_argument("path", "a\u{1b}b").is_err());
    }
}
