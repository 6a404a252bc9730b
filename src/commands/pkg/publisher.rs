//! `pkg publisher -H -F tsv` and `pkg publisher -H` (reference §3.3).
//!
//! tsv, current (S11.x, OpenIndiana, OmniOS), 8 columns:
//! `PUBLISHER<TAB>STICKY<TAB>SYSPUB<TAB>ENABLED<TAB>TYPE<TAB>STATUS<TAB>URI<TAB>PROXY`
//! tsv, old (b134 … b151), 7 columns:
//! `PUBLISHER<TAB>STICKY<TAB>PREFERRED<TAB>ENABLED<TAB>TYPE<TAB>STATUS<TAB>URI`
//! One row per origin and per mirror, in rank order; a publisher without origins or mirrors
//! has one row with empty TYPE/STATUS/URI.
//!
//! Quirk of current pkg (§3.3): ENABLED is overwritten on every origin row by the *origin's*
//! flag, so a publisher disabled with `set-publisher --disable` shows `true` there. Only the
//! default table (attrs column `(non-sticky, disabled, syspub)`) tells; hence
//! [`merge_table_flags`].
//!
//! Default table, current: `{0:14} {1:12} {2:8} {3:2} {4} {5}` = PUBLISHER, attrs, TYPE,
//! STATUS, P, LOCATION; old: `%-24s %-12s %-8s %-8s %s` = PUBLISHER, attrs, TYPE, STATUS, URI.

use crate::commands::ParseError;

/// One origin or mirror of a publisher.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Origin {
    pub uri: String,
    /// The origin's own status (`online`; `disabled` for a disabled origin on current pkg).
    pub enabled: bool,
    /// Its proxies (current tsv `PROXY` column of its row; empty when `-` or not shown).
    pub proxies: Vec<String>,
}

/// A publisher, aggregated from its rows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Publisher {
    pub name: String,
    pub sticky: bool,
    /// The publisher-level flag. From tsv alone this is only reliable on the old format and
    /// for publishers without origins; [`merge_table_flags`] corrects it from the table.
    pub enabled: bool,
    /// Old format only (`PREFERRED` column, `(preferred)` attribute).
    pub preferred: Option<bool>,
    /// Current format only (`SYSPUB` column): provided by the S11 system repository.
    pub syspub: Option<bool>,
    /// In rank order as printed.
    pub origins: Vec<Origin>,
    pub mirrors: Vec<Origin>,
    /// Proxies (current tsv `PROXY` column, comma-joined; `-` = none).
    pub proxies: Vec<String>,
}

impl Publisher {
    fn new(name: &str) -> Self {
        Publisher {
            name: name.to_string(),
            sticky: true,
            enabled: true,
            preferred: None,
            syspub: None,
            origins: Vec::new(),
            mirrors: Vec::new(),
            proxies: Vec::new(),
        }
    }

    /// URIs of the enabled origins.
    pub fn enabled_origins(&self) -> impl Iterator<Item = &str> {
        self.origins.iter().filter(|o| o.enabled).map(|o| o.uri.as_str())
    }

    /// Whether every value of it that a rung may pass to `pkg set-publisher` (its name, the
    /// URIs and proxies of its origins and mirrors) passes the checks that command's builder
    /// makes: read from the host, it is checked before anything changes, not when a rung
    /// builds its argv with the zone detached.
    pub fn check_usable(&self) -> Result<(), crate::commands::InvalidName> {
        use crate::commands::names::{validate_argument, validate_publisher_name, validate_uri};
        validate_publisher_name(&self.name)?;
        // A system publisher (Solaris 11: `<system-repository>`) is the global zone's, served
        // through the system repository: no rung sets it.
        if self.syspub == Some(true) {
            return Ok(());
        }
        for o in self.origins.iter().chain(&self.mirrors) {
            validate_uri(&o.uri)?;
            for proxy in &o.proxies {
                validate_argument("proxy", proxy)?;
            }
        }
        for proxy in &self.proxies {
            validate_argument("proxy", proxy)?;
        }
        Ok(())
    }
}

fn parse_bool(s: &str, column: &str) -> Result<bool, String> {
    match s {
        "true" | "True" => Ok(true),
        "false" | "False" => Ok(false),
        _ => Err(format!("{column} column is '{s}', expected true or false")),
    }
}

/// Finds the publisher `name`, appending it if it is new (rows of one publisher are
/// consecutive, but merging by name keeps rank order even if they were not).
fn entry<'a>(pubs: &'a mut Vec<Publisher>, name: &str) -> &'a mut Publisher {
    match pubs.iter().position(|p| p.name == name) {
        Some(i) => &mut pubs[i],
        None => {
            pubs.push(Publisher::new(name));
            let last = pubs.len() - 1;
            &mut pubs[last]
        }
    }
}

fn add_location(
    p: &mut Publisher,
    kind: &str,
    status: &str,
    uri: &str,
    proxies: Vec<String>,
) -> Result<(), String> {
    let enabled = match status {
        "online" | "" => true,
        "disabled" => false,
        other => return Err(format!("unknown origin status '{other}'")),
    };
    let o = Origin { uri: uri.to_string(), enabled, proxies };
    match kind {
        "origin" => p.origins.push(o),
        "mirror" => p.mirrors.push(o),
        "" => {}
        other => return Err(format!("unknown TYPE '{other}' (expected origin or mirror)")),
    }
    Ok(())
}

/// Parses `pkg publisher -H -F tsv`, old or current columns detected per line.
pub fn parse_publisher_tsv(stdout: &str) -> Result<Vec<Publisher>, ParseError> {
    let mut pubs: Vec<Publisher> = Vec::new();
    for (i, line) in stdout.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        parse_tsv_row(&mut pubs, &cols).map_err(|m| ParseError::at(i + 1, m))?;
    }
    Ok(pubs)
}

fn parse_tsv_row(pubs: &mut Vec<Publisher>, cols: &[&str]) -> Result<(), String> {
    let current = match cols.len() {
        8 => true,
        7 => false,
        n => return Err(format!("expected 7 or 8 tab-separated columns, found {n}")),
    };
    let name = cols[0];
    if name.is_empty() {
        return Err("empty publisher name".into());
    }
    let sticky = parse_bool(cols[1], "STICKY")?;
    let third = parse_bool(cols[2], if current { "SYSPUB" } else { "PREFERRED" })?;
    let enabled = parse_bool(cols[3], "ENABLED")?;
    let (kind, status, uri) = (cols[4], cols[5], cols[6]);
    let p = entry(pubs, name);
    p.sticky = sticky;
    let mut row_proxies = Vec::new();
    if current {
        p.syspub = Some(third);
        let proxy = cols[7];
        if proxy != "-" && !proxy.is_empty() {
            for px in proxy.split(',').map(str::trim).filter(|s| !s.is_empty()) {
                if !p.proxies.iter().any(|q| q == px) {
                    p.proxies.push(px.to_string());
                }
                row_proxies.push(px.to_string());
            }
        }
    } else {
        p.preferred = Some(third);
    }
    // Current pkg overwrites ENABLED from the origin's flag on origin rows (see module doc),
    // so only the old format's and origin-less rows' value describe the publisher.
    if !current || kind.is_empty() {
        p.enabled = enabled;
    }
    add_location(p, kind, status, uri, row_proxies)
}

/// One publisher as the default table (`pkg publisher -H`) shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableRow {
    pub name: String,
    /// From the attrs column: `non-sticky`, `disabled`, `syspub`, `preferred`.
    pub attrs: Vec<String>,
    pub kind: String,
    pub status: String,
    /// Current format: the `P` column (`T` if a proxy is configured).
    pub proxy: Option<bool>,
    /// URI, or `<system-repository>`.
    pub location: String,
}

/// Parses `pkg publisher -H` (or with its header, which is skipped) into rows, then
/// aggregates them like the tsv.
pub fn parse_publisher_table(stdout: &str) -> Result<Vec<Publisher>, ParseError> {
    let mut pubs: Vec<Publisher> = Vec::new();
    for (i, line) in stdout.lines().enumerate() {
        if line.trim().is_empty() || is_table_header(line) {
            continue;
        }
        let row = parse_table_row(line).map_err(|m| ParseError::at(i + 1, m))?;
        let p = entry(&mut pubs, &row.name);
        let has = |a: &str| row.attrs.iter().any(|x| x == a);
        p.sticky = !has("non-sticky");
        p.enabled = !has("disabled");
        if has("preferred") {
            p.preferred = Some(true);
        }
        p.syspub = Some(has("syspub"));
        add_location(p, &row.kind, &row.status, &row.location, Vec::new())
            .map_err(|m| ParseError::at(i + 1, m))?;
    }
    Ok(pubs)
}

fn is_table_header(line: &str) -> bool {
    let mut words = line.split_whitespace();
    words.next() == Some("PUBLISHER") && words.next() == Some("TYPE")
}

/// One row of the default table. The publisher name has no spaces; attrs are one
/// parenthesised group; then TYPE STATUS [P] LOCATION, or nothing for origin-less publishers.
pub fn parse_table_row(line: &str) -> Result<TableRow, String> {
    let mut rest = line.trim_start();
    let name_end = rest.find(char::is_whitespace).unwrap_or(rest.len());
    let name = &rest[..name_end];
    rest = rest[name_end..].trim_start();
    let mut attrs = Vec::new();
    if let Some(inner) = rest.strip_prefix('(') {
        let close = inner.find(')').ok_or("unclosed '(' in attributes")?;
        attrs = inner[..close].split(',').map(|a| a.trim().to_string()).collect();
        rest = inner[close + 1..].trim_start();
    }
    let tokens: Vec<&str> = rest.split_whitespace().collect();
    let (kind, status, proxy, location) = match tokens.as_slice() {
        [] => ("", "", None, ""),
        [k, s, p @ ("T" | "F"), l] => (*k, *s, Some(*p == "T"), *l),
        [k, s, l] => (*k, *s, None, *l),
        _ => return Err(format!("cannot read publisher row '{}'", line.trim())),
    };
    Ok(TableRow {
        name: name.to_string(),
        attrs,
        kind: kind.to_string(),
        status: status.to_string(),
        proxy,
        location: location.to_string(),
    })
}

/// Takes the publisher-level `enabled` flag (and stickiness) from the table rows, which
/// show `(disabled)` even where current tsv output says `true`.
pub fn merge_table_flags(tsv: &mut [Publisher], table: &[Publisher]) {
    for p in tsv.iter_mut() {
        if let Some(t) = table.iter().find(|t| t.name == p.name) {
            p.enabled = t.enabled;
            p.sticky = t.sticky;
        }
    }
}

/// Whether a location of [`PublisherDetail`] is an origin or a mirror.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LocationKind {
    Origin,
    Mirror,
}

/// One origin or mirror as `pkg publisher NAME` shows it, with what only that listing has.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DetailLocation {
    pub kind: LocationKind,
    pub uri: String,
    /// `Origin Status` / `Mirror Status` as printed (`Online`, `Disabled`; UNVERIFIED strings).
    pub status: Option<String>,
    /// `Proxy:` (comma-joined; the line is only printed when one is set).
    pub proxies: Vec<String>,
    /// `SSL Key:` / `SSL Cert:`; `None` when printed as `None` or not printed.
    pub ssl_key: Option<String>,
    pub ssl_cert: Option<String>,
}

impl DetailLocation {
    /// Whether its status says disabled (`Disabled`, any case).
    pub fn disabled(&self) -> bool {
        self.status.as_deref().is_some_and(|s| s.eq_ignore_ascii_case("disabled"))
    }
}

/// One publisher as `pkg publisher NAME…` (the detail listing, reference §3.3) shows it.
/// Client UUID and catalog date are left out: they are not configuration.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PublisherDetail {
    pub name: String,
    pub alias: Option<String>,
    /// Origins and mirrors in printed order.
    pub locations: Vec<DetailLocation>,
    /// `Enabled:` (`Yes`/`No`).
    pub enabled: Option<bool>,
    /// `Properties:` lines `name = value`, in printed order.
    pub properties: Vec<(String, String)>,
}

impl PublisherDetail {
    pub fn location(&self, kind: LocationKind, uri: &str) -> Option<&DetailLocation> {
        self.locations.iter().find(|l| l.kind == kind && l.uri == uri)
    }
}

const DETAIL_LABELS: [&str; 15] = [
    "Publisher",
    "Alias",
    "Origin URI",
    "Origin Status",
    "Mirror URI",
    "Mirror Status",
    "Proxy",
    "SSL Key",
    "SSL Cert",
    "Cert. Effective Date",
    "Cert. Expiration Date",
    "Client UUID",
    "Catalog Updated",
    "Enabled",
    "Properties",
];

/// `Label: value` when the text before the first colon is a label of the detail listing.
fn detail_field(line: &str) -> Option<(&'static str, &str)> {
    let (label, value) = line.split_once(':')?;
    let label = DETAIL_LABELS.into_iter().find(|l| *l == label.trim())?;
    Some((label, value.trim()))
}

fn none_or(value: &str) -> Option<String> {
    (!value.is_empty() && value != "None").then(|| value.to_string())
}

/// Parses `pkg publisher NAME…` (one block per publisher, each starting with `Publisher:`).
/// Labels are matched after trimming, so their alignment does not matter; lines with other
/// labels (added by later pkg versions) are skipped.
pub fn parse_publisher_detail(stdout: &str) -> Result<Vec<PublisherDetail>, ParseError> {
    let mut pubs: Vec<PublisherDetail> = Vec::new();
    let mut in_properties = false;
    for (i, line) in stdout.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let field = detail_field(line);
        if in_properties && field.is_none() {
            let (k, v) = line.split_once(" = ").ok_or_else(|| {
                ParseError::at(i + 1, format!("cannot read property line '{}'", line.trim()))
            })?;
            if let Some(p) = pubs.last_mut() {
                p.properties.push((k.trim().to_string(), v.trim().to_string()));
            }
            continue;
        }
        let Some((label, value)) = field else {
            continue;
        };
        in_properties = false;
        if label == "Publisher" {
            if value.is_empty() {
                return Err(ParseError::at(i + 1, "empty publisher name"));
            }
            pubs.push(PublisherDetail { name: value.to_string(), ..Default::default() });
            continue;
        }
        let p = pubs.last_mut().ok_or_else(|| {
            ParseError::at(i + 1, format!("'{label}' before any 'Publisher:' line"))
        })?;
        // Per origin/mirror; a publisher without any has nothing they could belong to.
        match label {
            "Alias" => p.alias = none_or(value),
            "Origin URI" | "Mirror URI" => p.locations.push(DetailLocation {
                kind: if label == "Origin URI" {
                    LocationKind::Origin
                } else {
                    LocationKind::Mirror
                },
                uri: value.to_string(),
                status: None,
                proxies: Vec::new(),
                ssl_key: None,
                ssl_cert: None,
            }),
            "Origin Status" | "Mirror Status" => {
                if let Some(l) = p.locations.last_mut() {
                    l.status = Some(value.to_string());
                }
            }
            "Proxy" => {
                if let Some(l) = p.locations.last_mut() {
                    l.proxies = value
                        .split(',')
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(String::from)
                        .collect();
                }
            }
            "SSL Key" => {
                if let Some(l) = p.locations.last_mut() {
                    l.ssl_key = none_or(value);
                }
            }
            "SSL Cert" => {
                if let Some(l) = p.locations.last_mut() {
                    l.ssl_cert = none_or(value);
                }
            }
            "Enabled" => {
                p.enabled = match value {
                    "Yes" | "yes" | "True" | "true" => Some(true),
                    "No" | "no" | "False" | "false" => Some(false),
                    other => {
                        return Err(ParseError::at(
                            i + 1,
                            format!("Enabled is '{other}', expected Yes or No"),
                        ));
                    }
                }
            }
            "Properties" => in_properties = true,
            _ => {}
        }
    }
    Ok(pubs)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CURRENT_TSV: &str = "openindiana.org\ttrue\tfalse\ttrue\torigin\tonline\thttp://pkg.openindiana.org/hipster/\t-\n\
        openindiana.org\ttrue\tfalse\ttrue\tmirror\tonline\thttp://mirror.example/hipster/\t-\n\
        extra\tfalse\tfalse\ttrue\torigin\tonline\thttp://pkg.example.net/extra/\thttp://proxy:3128\n\
        extra\tfalse\tfalse\tfalse\torigin\tdisabled\thttp://old.example.net/extra/\thttp://proxy:3128\n\
        empty\ttrue\tfalse\tfalse\t\t\t\t-\n";

    #[test]
    fn current_tsv_is_aggregated_in_rank_order() {
        let pubs = parse_publisher_tsv(CURRENT_TSV).unwrap();
        let names: Vec<&str> = pubs.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["openindiana.org", "extra", "empty"]);
        let oi = &pubs[0];
        assert_eq!(oi.origins[0].uri, "http://pkg.openindiana.org/hipster/");
        assert_eq!(oi.mirrors[0].uri, "http://mirror.example/hipster/");
        assert_eq!((oi.sticky, oi.syspub, oi.preferred), (true, Some(false), None));
        let extra = &pubs[1];
        assert!(!extra.sticky);
        assert_eq!(extra.origins.len(), 2);
        assert!(!extra.origins[1].enabled, "disabled origin");
        assert_eq!(extra.enabled_origins().collect::<Vec<_>>(), ["http://pkg.example.net/extra/"]);
        assert_eq!(extra.proxies, ["http://proxy:3128"]);
        // The origin rows' ENABLED column describes origins, not the publisher.
        assert!(extra.enabled);
        // Without origins the column is the publisher's own flag.
        assert!(!pubs[2].enabled);
        assert!(pubs[2].origins.is_empty());
    }

    #[test]
    fn old_tsv_has_preferred_and_a_reliable_enabled_column() {
        let out = "opensolaris.org\ttrue\ttrue\ttrue\torigin\tonline\thttp://pkg.opensolaris.org/release/\n\
                   extra\ttrue\tfalse\tfalse\torigin\tonline\thttp://pkg.example.net/extra/\n";
        let pubs = parse_publisher_tsv(out).unwrap();
        assert_eq!(pubs[0].preferred, Some(true));
        assert_eq!(pubs[0].syspub, None);
        assert!(pubs[0].enabled);
        assert!(!pubs[1].enabled);
        assert_eq!(pubs[1].preferred, Some(false));
    }

    #[test]
    fn tsv_errors_name_the_line() {
        let e = parse_publisher_tsv(
            "a\ttrue\tfalse\ttrue\torigin\tonline\thttp://x/\t-\nbroken line\n",
        )
        .unwrap_err();
        assert_eq!(e.line, 2);
        let e =
            parse_publisher_tsv("a\tyes\tfalse\ttrue\torigin\tonline\thttp://x/\t-\n").unwrap_err();
        assert!(e.message.contains("STICKY"), "{e}");
        assert!(
            parse_publisher_tsv("a\ttrue\tfalse\ttrue\tcarrier\tonline\thttp://x/\t-\n").is_err()
        );
    }

    #[test]
    fn current_table_with_attrs_and_syspub() {
        let out = "PUBLISHER                   TYPE     STATUS P LOCATION\n\
                   openindiana.org              origin   online F http://pkg.openindiana.org/hipster/\n\
                   extra          (non-sticky, disabled) origin   online F http://pkg.example.net/extra/\n\
                   solaris        (syspub)     origin   online T <system-repository>\n\
                   bare                        \n";
        let pubs = parse_publisher_table(out).unwrap();
        assert_eq!(pubs.len(), 4);
        assert!(pubs[0].enabled && pubs[0].sticky);
        assert!(!pubs[1].enabled && !pubs[1].sticky);
        // A publisher disabled with `set-publisher --disable`: STATUS describes its origin.
        assert!(pubs[1].origins[0].enabled);
        assert_eq!(pubs[2].syspub, Some(true));
        assert_eq!(pubs[2].origins[0].uri, "<system-repository>");
        assert!(pubs[3].origins.is_empty());
        let row =
            parse_table_row("solaris        (syspub)     origin   online T <system-repository>")
                .unwrap();
        assert_eq!(row.proxy, Some(true));
    }

    #[test]
    fn old_table() {
        let out = "opensolaris.org          (preferred)  origin   online   http://pkg.opensolaris.org/release/\n\
                   extra                    (disabled)   origin   online   http://pkg.example.net/extra/\n";
        let pubs = parse_publisher_table(out).unwrap();
        assert_eq!(pubs[0].preferred, Some(true));
        assert!(!pubs[1].enabled);
        assert!(pubs[1].origins[0].enabled, "old STATUS is always online");
        assert_eq!(pubs[1].origins[0].uri, "http://pkg.example.net/extra/");
        assert!(parse_publisher_table("x (unclosed origin online F http://x/\n").is_err());
    }

    #[test]
    fn table_corrects_the_tsv_enabled_quirk() {
        let mut tsv = parse_publisher_tsv(
            "solaris\ttrue\tfalse\ttrue\torigin\tonline\thttp://a/\t-\n\
             extra\ttrue\tfalse\ttrue\torigin\tonline\thttp://b/\t-\n",
        )
        .unwrap();
        let table = parse_publisher_table(
            "solaris                      origin   online F http://a/\n\
             extra          (disabled)    origin   online F http://b/\n",
        )
        .unwrap();
        merge_table_flags(&mut tsv, &table);
        assert!(tsv[0].enabled);
        assert!(!tsv[1].enabled);
    }

    const DETAIL: &str = "
            Publisher: solaris
                Alias:
           Origin URI: http://pkg.oracle.com/solaris/release/
        Origin Status: Online
              SSL Key: None
             SSL Cert: None
          Client UUID: 0c9a4b1e-5d1f-11e0-8a4e-0800279b2c3d
      Catalog Updated: March 14, 2011 10:20:30 AM
              Enabled: Yes
           Properties:
                       signature-policy = verify

            Publisher: ha-cluster
                Alias:
           Origin URI: https://pkg.oracle.com/ha-cluster/support/
        Origin Status: Online
                Proxy: http://proxy.example.net:3128
              SSL Key: /var/pkg/ssl/Oracle_Solaris_Cluster_4.key.pem
             SSL Cert: /var/pkg/ssl/Oracle_Solaris_Cluster_4.certificate.pem
 Cert. Effective Date: March  1, 2011 12:00:00 AM
Cert. Expiration Date: March  1, 2013 12:00:00 AM
           Origin URI: https://old.example.net/ha/
        Origin Status: Disabled
              SSL Key: None
             SSL Cert: None
           Mirror URI: http://mirror.example.net/ha/
        Mirror Status: Online
          Client UUID: 1d9a4b1e-5d1f-11e0-8a4e-0800279b2c3d
      Catalog Updated: March 14, 2011 10:20:30 AM
              Enabled: No
           Properties:
                       signature-policy = require-signatures
                       signature-required-names = http://x:y
";

    #[test]
    fn detail_listing_per_publisher_and_location() {
        let d = parse_publisher_detail(DETAIL).unwrap();
        assert_eq!(d.len(), 2);
        assert_eq!((d[0].name.as_str(), d[0].alias.as_deref()), ("solaris", None));
        assert_eq!(d[0].locations.len(), 1);
        let o = &d[0].locations[0];
        assert_eq!((o.ssl_key.as_deref(), o.ssl_cert.as_deref()), (None, None));
        assert!(o.proxies.is_empty() && !o.disabled());
        assert_eq!(d[0].enabled, Some(true));
        assert_eq!(d[0].properties, [("signature-policy".into(), "verify".into())]);
        let ha = &d[1];
        assert_eq!(ha.enabled, Some(false));
        let o = ha
            .location(LocationKind::Origin, "https://pkg.oracle.com/ha-cluster/support/")
            .unwrap();
        assert_eq!(o.proxies, ["http://proxy.example.net:3128"]);
        assert_eq!(o.ssl_key.as_deref(), Some("/var/pkg/ssl/Oracle_Solaris_Cluster_4.key.pem"));
        assert_eq!(
            o.ssl_cert.as_deref(),
            Some("/var/pkg/ssl/Oracle_Solaris_Cluster_4.certificate.pem")
        );
        assert!(
            ha.location(LocationKind::Origin, "https://old.example.net/ha/").unwrap().disabled()
        );
        let m = ha.location(LocationKind::Mirror, "http://mirror.example.net/ha/").unwrap();
        assert_eq!(m.status.as_deref(), Some("Online"));
        assert!(ha.location(LocationKind::Origin, "http://mirror.example.net/ha/").is_none());
        assert_eq!(ha.properties.len(), 2);
        assert_eq!(ha.properties[1], ("signature-required-names".into(), "http://x:y".into()));
    }

    #[test]
    fn detail_errors_and_leniency() {
        let e = parse_publisher_detail("              Enabled: Yes\n").unwrap_err();
        assert_eq!(e.line, 1);
        assert!(e.message.contains("before any 'Publisher:'"), "{e}");
        let e = parse_publisher_detail("            Publisher: a\n              Enabled: maybe\n")
            .unwrap_err();
        assert_eq!(e.line, 2);
        let e = parse_publisher_detail(
            "            Publisher: a\n           Properties:\n                       garbage\n",
        )
        .unwrap_err();
        assert_eq!(e.line, 3);
        // An unknown label (a later pkg) is skipped; SSL lines of an origin-less publisher too.
        let d = parse_publisher_detail(
            "            Publisher: a\n     Signature Policy: verify\n              SSL Key: None\n",
        )
        .unwrap();
        assert_eq!(d[0].name, "a");
        assert!(d[0].locations.is_empty());
        assert!(parse_publisher_detail("").unwrap().is_empty());
    }

    mod props {
        use super::*;
        use proptest::prelude::*;

        fn publisher() -> impl Strategy<Value = Publisher> {
            (
                "[a-z][a-z0-9.-]{0,12}",
                any::<bool>(),
                any::<bool>(),
                prop::collection::vec(("http://[a-z]{1,8}/[a-z]{0,6}", any::<bool>()), 0..3),
                prop::collection::vec("http://m[a-z]{1,8}/", 0..2),
                any::<bool>(),
            )
                .prop_map(|(name, sticky, enabled, origins, mirrors, syspub)| {
                    Publisher {
                        name,
                        sticky,
                        enabled,
                        preferred: None,
                        syspub: Some(syspub),
                        origins: origins
                            .into_iter()
                            .map(|(uri, enabled)| Origin { uri, enabled, proxies: vec![] })
                            .collect(),
                        mirrors: mirrors
                            .into_iter()
                            .map(|uri| Origin { uri, enabled: true, proxies: vec![] })
                            .collect(),
                        proxies: Vec::new(),
                    }
                })
        }

        /// The rows current pkg prints for `p` (ENABLED overwritten by origin flags).
        fn tsv_rows(p: &Publisher) -> Vec<String> {
            let row = |enabled: bool, kind: &str, status: &str, uri: &str| {
                format!(
                    "{}\t{}\t{}\t{}\t{kind}\t{status}\t{uri}\t-",
                    p.name,
                    p.sticky,
                    p.syspub == Some(true),
                    enabled
                )
            };
            if p.origins.is_empty() && p.mirrors.is_empty() {
                return vec![row(p.enabled, "", "", "")];
            }
            let mut rows = Vec::new();
            let mut last = p.enabled;
            for o in &p.origins {
                last = o.enabled;
                rows.push(row(
                    o.enabled,
                    "origin",
                    if o.enabled { "online" } else { "disabled" },
                    &o.uri,
                ));
            }
            for m in &p.mirrors {
                rows.push(row(last, "mirror", "online", &m.uri));
            }
            rows
        }

        fn table_rows(p: &Publisher) -> Vec<String> {
            let mut attrs = Vec::new();
            if !p.sticky {
                attrs.push("non-sticky");
            }
            if !p.enabled {
                attrs.push("disabled");
            }
            if p.syspub == Some(true) {
                attrs.push("syspub");
            }
            let attrs =
                if attrs.is_empty() { String::new() } else { format!("({})", attrs.join(", ")) };
            let mut rows = Vec::new();
            let locs = p
                .origins
                .iter()
                .map(|o| ("origin", o))
                .chain(p.mirrors.iter().map(|m| ("mirror", m)));
            for (kind, o) in locs {
                let status = if o.enabled { "online" } else { "disabled" };
                rows.push(format!(
                    "{:14} {:12} {:8} {:2} {} {}",
                    p.name, attrs, kind, status, "F", o.uri
                ));
            }
            if rows.is_empty() {
                rows.push(format!("{:14} {:12} {:8} {:2} {} {}", p.name, attrs, "", "", "", ""));
            }
            rows
        }

        fn unique_names(pubs: Vec<Publisher>) -> Vec<Publisher> {
            let mut seen = Vec::new();
            pubs.into_iter()
                .filter(|p| {
                    let new = !seen.contains(&p.name);
                    seen.push(p.name.clone());
                    new
                })
                .collect()
        }

        proptest! {
            #[test]
            fn tsv_plus_table_recovers_every_publisher(pubs in prop::collection::vec(publisher(), 1..5)) {
                let pubs = unique_names(pubs);
                let tsv: String = pubs.iter().flat_map(tsv_rows).map(|r| r + "\n").collect();
                let table: String = pubs.iter().flat_map(table_rows).map(|r| r + "\n").collect();
                let mut parsed = parse_publisher_tsv(&tsv).unwrap();
                let from_table = parse_publisher_table(&table).unwrap();
                merge_table_flags(&mut parsed, &from_table);
                prop_assert_eq!(&parsed, &pubs);
                // The table alone has the same names, flags and locations.
                let names: Vec<&str> = from_table.iter().map(|p| p.name.as_str()).collect();
                let want: Vec<&str> = pubs.iter().map(|p| p.name.as_str()).collect();
                prop_assert_eq!(names, want);
                for (t, p) in from_table.iter().zip(&pubs) {
                    prop_assert_eq!((t.enabled, t.sticky), (p.enabled, p.sticky));
                    prop_assert_eq!(&t.origins, &p.origins);
                }
            }

            #[test]
            fn arbitrary_text_never_panics(s in "\\PC{0,200}") {
                let _ = parse_publisher_tsv(&s);
                let _ = parse_publisher_table(&s);
                let _ = parse_publisher_detail(&s);
            }
        }
    }
}
