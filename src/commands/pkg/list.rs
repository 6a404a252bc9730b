//! `pkg list -H` (reference §3.8).
//!
//! Current: `"{0:49} {1:26} {2}"` = `NAME (PUBLISHER)`, `VERSION`, `IFO` (flags `i` installed,
//! `f` frozen, `o` obsolete / `r` renamed, `-` otherwise); `(pub)` follows the name only when
//! the publisher is not the highest ranked.
//! b134: `"%-45s %-15s %-10s %s"` = `NAME (PUBLISHER)`, `VERSION`, `STATE`, `UFOXI`.

/// One row of `pkg list`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListedPackage {
    pub name: String,
    /// Present only when not the highest-ranked publisher.
    pub publisher: Option<String>,
    /// The short version as printed (`0.5.11-0.151.1.8`).
    pub version: String,
    /// b134 only: `installed`, `known`.
    pub state: Option<String>,
    /// `IFO` (current) or `UFOXI` (b134) flag column.
    pub flags: String,
}

impl ListedPackage {
    pub fn is_installed(&self) -> bool {
        match &self.state {
            Some(s) => s == "installed",
            None => self.flags.starts_with('i'),
        }
    }

    /// Obsolete (current `o` in IFO; b134 `o` in UFOXI).
    pub fn is_obsolete(&self) -> bool {
        self.flags.chars().nth(2) == Some('o')
    }

    /// Renamed (current `r` in the IFO third column; b134 `r` in UFOXI's third column).
    pub fn is_renamed(&self) -> bool {
        self.flags.chars().nth(2) == Some('r')
    }
}

/// Parses `pkg list` output (with or without `-H`); lines that are neither rows nor the
/// header are skipped, since pkg prints nothing else on stdout for `list`.
pub fn parse_list(stdout: &str) -> Vec<ListedPackage> {
    stdout.lines().filter_map(parse_list_line).collect()
}

/// One row, or `None` for the header or an unreadable line.
pub fn parse_list_line(line: &str) -> Option<ListedPackage> {
    let tokens: Vec<&str> = line.split_whitespace().collect();
    let (name, rest) = tokens.split_first()?;
    if *name == "NAME" {
        return None;
    }
    let (publisher, rest) = match rest.split_first() {
        Some((p, r)) if p.starts_with('(') && p.ends_with(')') && p.len() > 2 => {
            (Some(p[1..p.len() - 1].to_string()), r)
        }
        _ => (None, rest),
    };
    let (version, state, flags) = match rest {
        [v, f] => (*v, None, *f),
        [v, s, f] => (*v, Some(s.to_string()), *f),
        _ => return None,
    };
    Some(ListedPackage {
        name: name.to_string(),
        publisher,
        version: version.to_string(),
        state,
        flags: flags.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn current_rows() {
        let out = "NAME (PUBLISHER)                                  VERSION                    IFO\n\
                   entire                                            0.5.11-2020.0.1.20000      i--\n\
                   web/server/apache-22 (extra)                      2.2.31-2020.0.1.0          i-r\n\
                   SUNWcs                                            0.5.11-0.151.1.8           i-o\n";
        let pkgs = parse_list(out);
        assert_eq!(pkgs.len(), 3);
        assert_eq!(pkgs[0].name, "entire");
        assert_eq!(pkgs[0].version, "0.5.11-2020.0.1.20000");
        assert!(pkgs[0].is_installed());
        assert_eq!(pkgs[1].publisher.as_deref(), Some("extra"));
        assert!(pkgs[1].is_renamed());
        assert!(pkgs[2].is_obsolete());
    }

    #[test]
    fn b134_rows() {
        let out = "SUNWcs                                        0.5.11-0.134    installed  u----\n\
                   SUNWapch22 (opensolaris.org)                  2.2.14-0.134    known      -----\n";
        let pkgs = parse_list(out);
        assert_eq!(pkgs[0].state.as_deref(), Some("installed"));
        assert!(pkgs[0].is_installed());
        assert_eq!(pkgs[1].publisher.as_deref(), Some("opensolaris.org"));
        assert!(!pkgs[1].is_installed());
        assert_eq!(pkgs[1].flags, "-----");
    }

    #[test]
    fn junk_is_skipped() {
        assert!(parse_list("\n  \nonlyname\na b c d e f\n").is_empty());
    }
}
