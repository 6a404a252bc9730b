//! pkg(1) stdout formats: plan display (§3.6), non-tty progress (§3.7), publisher listings
//! (§3.3), list/info/variant/history (§3.8).

use super::platform::Platform;
use super::solver::Plan;
use super::world::{Image, InstalledPkg, Publisher};

/// Right-justified `label value` summary lines; zero counts are left out.
fn summary(rows: &[(&str, String)]) -> Vec<String> {
    let present: Vec<(&str, String)> =
        rows.iter().filter(|(_, v)| v != "0").map(|(l, v)| (*l, v.clone())).collect();
    let lw = present.iter().map(|(l, _)| l.len()).max().unwrap_or(0);
    let vw = present.iter().map(|(_, v)| v.len()).max().unwrap_or(0);
    present.iter().map(|(l, v)| format!("{l:>lw$} {v:>vw$}")).collect()
}

fn counts(plan: &Plan) -> (usize, usize, usize) {
    let remove = plan.changes.iter().filter(|c| c.new.is_none()).count();
    let install = plan.changes.iter().filter(|c| c.old.is_none()).count();
    let update = plan.changes.len() - remove - install;
    (remove, install, update)
}

/// Number of packages the plan touches (for the install cost).
pub fn changed(plan: &Plan) -> usize {
    plan.changes.len()
}

/// stdout of a successful install/update/uninstall in non-tty mode. The current
/// CommandLineProgressTracker format (§3.7) is used on every platform; what the b151 client
/// (s11express) printed when not on a tty is UNVERIFIED.
pub fn plan_output(
    platform: Platform,
    plan: &Plan,
    refreshed: &[String],
    verbose: bool,
    dry_run: bool,
    live: bool,
) -> Vec<String> {
    let mut out = Vec::new();
    for p in refreshed {
        out.push(format!(" Startup: Refreshing catalog '{p}' ... Done"));
    }
    out.push(" Startup: Caching catalogs ... Done".into());
    for job in [
        "Solver setup",
        "Running solver",
        "Finding local manifests",
        "Package planning",
        "Merging actions",
        "Checking for conflicting actions",
        "Consolidating action changes",
        "Evaluating mediators",
    ] {
        out.push(format!("Planning: {job} ... Done"));
    }
    out.push("Planning: Planning completed in 2.00 seconds".into());
    let (remove, install, update) = counts(plan);
    let mut rows = vec![
        ("Packages to remove:", remove.to_string()),
        ("Packages to install:", install.to_string()),
        ("Packages to update:", update.to_string()),
    ];
    if live {
        // Only operations on the live root (the global zone) show the BE lines.
        rows.push(("Create boot environment:", "No".into()));
        rows.push(("Create backup boot environment:", "Yes".into()));
    }
    out.extend(summary(&rows));
    if verbose {
        out.push(String::new());
        out.push("Changed packages:".into());
        let mut by_pub: Vec<(String, Vec<String>)> = Vec::new();
        for c in &plan.changes {
            let publisher =
                c.new.as_ref().or(c.old.as_ref()).map(|p| p.publisher.clone()).unwrap_or_default();
            let ver = |p: &Option<InstalledPkg>| {
                p.as_ref().map(|p| platform.short_version(p.build)).unwrap_or_else(|| "None".into())
            };
            let lines =
                vec![format!("  {}", c.name), format!("    {} -> {}", ver(&c.old), ver(&c.new))];
            match by_pub.iter_mut().find(|(p, _)| *p == publisher) {
                Some((_, l)) => l.extend(lines),
                None => by_pub.push((publisher, lines)),
            }
        }
        for (p, lines) in by_pub {
            out.push(p);
            out.extend(lines);
        }
    }
    if !dry_run {
        let n = plan.changes.len();
        out.push(format!(
            "Download: Completed {:.2} MB in {:.2} seconds (1.2M/s)",
            n as f64 * 1.5,
            n as f64 * 1.25
        ));
        out.push(format!(
            " Actions: Completed {} actions in {:.2} seconds.",
            n * 117,
            n as f64 * 0.5
        ));
        for job in [
            "Updating package state database",
            "Updating image state",
            "Creating fast lookup database",
            "Updating package cache",
        ] {
            out.push(format!("Finalize: {job} ...  Done"));
        }
    }
    out
}

/// `No updates necessary for this image.` / `No updates available for this image.` (op update).
pub fn nothing_to_do(op: &str) -> String {
    if op == "update" {
        "No updates available for this image.".into()
    } else {
        "No updates necessary for this image.".into()
    }
}

fn attrs(p: &Publisher, old: bool, first: bool) -> String {
    let mut a = Vec::new();
    if old && first {
        a.push("preferred");
    }
    if !p.sticky {
        a.push("non-sticky");
    }
    if !p.enabled {
        a.push("disabled");
    }
    if p.syspub && !old {
        a.push("syspub");
    }
    if a.is_empty() { String::new() } else { format!("({})", a.join(", ")) }
}

fn location(p: &Publisher, origin: &str) -> String {
    if p.syspub { "<system-repository>".into() } else { origin.to_string() }
}

/// `pkg publisher` default table (old b151 layout or current).
pub fn publisher_table(platform: Platform, pubs: &[Publisher], header: bool) -> Vec<String> {
    let old = platform.old_pkg_client();
    let mut out = Vec::new();
    if header {
        if old {
            out.push(format!(
                "{:<24} {:<12} {:<8} {:<8} {}",
                "PUBLISHER", "", "TYPE", "STATUS", "URI"
            ));
        } else {
            out.push(format!(
                "{:14} {:12} {:8} {:2} {} {}",
                "PUBLISHER", "", "TYPE", "STATUS", "P", "LOCATION"
            ));
        }
    }
    for (i, p) in pubs.iter().enumerate() {
        let a = attrs(p, old, i == 0);
        let rows: Vec<(&str, &str, String)> = if p.origins.is_empty() {
            vec![("", "", String::new())]
        } else {
            // STATUS is the origin's own state (§3.3); `set-publisher --disable` leaves the
            // origins alone (the publisher shows `(disabled)` in attrs) and the world has no
            // disabled origins, so it is always `online` (old format: always `online`).
            p.origins.iter().map(|o| ("origin", "online", location(p, o))).collect()
        };
        for (t, st, loc) in rows {
            let line = if old {
                format!("{:<24} {:<12} {:<8} {:<8} {}", p.name, a, t, st, loc)
            } else {
                let proxy = match (t.is_empty(), p.proxy.is_some()) {
                    (true, _) => "",
                    (false, true) => "T",
                    (false, false) => "F",
                };
                format!("{:14} {:12} {:8} {:2} {} {}", p.name, a, t, st, proxy, loc)
            };
            out.push(line.trim_end().to_string());
        }
    }
    out
}

/// `pkg publisher -H -F tsv`: 7 columns on b151 (PREFERRED), 8 on current clients (SYSPUB, PROXY).
pub fn publisher_tsv(platform: Platform, pubs: &[Publisher], header: bool) -> Vec<String> {
    let old = platform.old_pkg_client();
    let mut out = Vec::new();
    if header {
        out.push(if old {
            "PUBLISHER\tSTICKY\tPREFERRED\tENABLED\tTYPE\tSTATUS\tURI".to_string()
        } else {
            "PUBLISHER\tSTICKY\tSYSPUB\tENABLED\tTYPE\tSTATUS\tURI\tPROXY".to_string()
        });
    }
    let tf = |b: bool| if b { "true" } else { "false" };
    for (i, p) in pubs.iter().enumerate() {
        if p.origins.is_empty() {
            out.push(if old {
                format!("{}\t{}\t{}\t{}\t\t\t", p.name, tf(p.sticky), tf(i == 0), tf(p.enabled))
            } else {
                format!("{}\t{}\t{}\t{}\t\t\t\t", p.name, tf(p.sticky), tf(p.syspub), tf(p.enabled))
            });
        }
        for o in &p.origins {
            out.push(if old {
                format!(
                    "{}\t{}\t{}\t{}\torigin\tonline\t{}",
                    p.name,
                    tf(p.sticky),
                    tf(i == 0),
                    tf(p.enabled),
                    o
                )
            } else {
                // Quirk (§3.3): ENABLED on origin rows comes from the origin, which
                // `--disable` leaves untouched, so it stays `true`.
                format!(
                    "{}\t{}\t{}\ttrue\torigin\tonline\t{}\t{}",
                    p.name,
                    tf(p.sticky),
                    tf(p.syspub),
                    location(p, o),
                    p.proxy.as_deref().unwrap_or("-")
                )
            });
        }
    }
    out
}

/// `pkg publisher <name>`: labels right-aligned to 21 characters (§3.3). The value strings of
/// `Origin Status` / `Enabled` are UNVERIFIED.
pub fn publisher_detail(p: &Publisher, clock_s: u64) -> Vec<String> {
    let mut rows: Vec<(&str, String)> =
        vec![("Publisher", p.name.clone()), ("Alias", String::new())];
    // Per origin (§3.3): its own status (`--disable` leaves origins alone, as the tsv's
    // ENABLED quirk shows), its proxy when set, the client SSL key and certificate.
    let none = |v: &Option<String>| v.clone().unwrap_or_else(|| "None".into());
    for o in &p.origins {
        rows.push(("Origin URI", location(p, o)));
        rows.push(("Origin Status", "Online".into()));
        if let Some(proxy) = &p.proxy {
            rows.push(("Proxy", proxy.clone()));
        }
        rows.push(("SSL Key", none(&p.ssl_key)));
        rows.push(("SSL Cert", none(&p.ssl_cert)));
    }
    rows.push(("Client UUID", "0c9a4b1e-5d1f-11e0-8a4e-0800279b2c3d".into()));
    rows.push(("Catalog Updated", super::clock::date(clock_s)));
    rows.push(("Enabled", if p.enabled { "Yes".into() } else { "No".into() }));
    let mut out = vec![String::new()];
    out.extend(rows.iter().map(|(l, v)| format!("{l:>21}: {v}").trim_end().to_string()));
    out.push(format!("{:>21}:", "Properties"));
    let policy = p.properties.iter().find(|(k, _)| k == "signature-policy");
    let policy = policy.map_or("verify", |(_, v)| v.as_str());
    out.push(format!("{:>23}signature-policy = {policy}", ""));
    for (k, v) in p.properties.iter().filter(|(k, _)| k != "signature-policy") {
        out.push(format!("{:>23}{k} = {v}", ""));
    }
    out
}

/// What a `pkg list` row says of its package (the `IFO` / b151 `STATE`+`UFOXI` columns).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowState {
    Installed,
    Known,
    Obsolete,
    Renamed,
}

/// `pkg list` rows.
pub fn list(
    platform: Platform,
    image: &Image,
    rows: &[(InstalledPkg, RowState)],
    header: bool,
    verbose: bool,
) -> Vec<String> {
    let first = image.first_publisher_name();
    let old = platform.old_pkg_client();
    let mut out = Vec::new();
    if header {
        out.push(match (old, verbose) {
            (true, false) => {
                format!("{:<45} {:<15} {:<10} {}", "NAME (PUBLISHER)", "VERSION", "STATE", "UFOXI")
            }
            (true, true) => format!("{:<64} {:<10} {}", "FMRI", "STATE", "UFOXI"),
            (false, false) => format!("{:49} {:26} {}", "NAME (PUBLISHER)", "VERSION", "IFO"),
            (false, true) => format!("{:76} {}", "FMRI", "IFO"),
        });
    }
    for (p, state) in rows {
        let name = if p.publisher == first || p.publisher.is_empty() {
            p.name.clone()
        } else {
            format!("{} ({})", p.name, p.publisher)
        };
        let short = platform.short_version(p.build);
        let fmri = format!("pkg://{}/{}@{}", p.publisher, p.name, platform.full_version(p.build));
        // Third flag column: `o` obsolete, `r` renamed (both generations).
        let (st, ufoxi, ifo) = match state {
            RowState::Installed => ("installed", "-----", "i--"),
            RowState::Known => ("known", "-----", "---"),
            RowState::Obsolete => ("known", "--o--", "--o"),
            RowState::Renamed => ("known", "--r--", "--r"),
        };
        out.push(match (old, verbose) {
            (true, false) => format!("{name:<45} {short:<15} {st:<10} {ufoxi}"),
            (true, true) => format!("{fmri:<64} {st:<10} {ufoxi}"),
            (false, false) => format!("{name:49} {short:26} {ifo}"),
            (false, true) => format!("{fmri:76} {ifo}"),
        });
    }
    out
}

/// `pkg info <name>` block for an installed package.
/// One package's `pkg info` block. `state` is `Installed`, or for `info -r` of a package that
/// is not `Not installed` with its catalog flag (` (Renamed)`, ` (Obsolete)`); `renamed_to` the
/// rename record's `require` dependency, printed as `Renamed to` after `State` (§3.8).
pub fn info(
    platform: Platform,
    p: &InstalledPkg,
    summary: &str,
    state: &str,
    renamed_to: Option<&InstalledPkg>,
) -> Vec<String> {
    let branch = platform.short_version(p.build);
    let (release, branch) = branch.split_once('-').unwrap_or(("0.5.11", ""));
    let fmri = format!("pkg://{}/{}@{}", p.publisher, p.name, platform.info_version(p.build));
    let mut rows: Vec<(&str, String)> = vec![
        ("Name", p.name.clone()),
        ("Summary", summary.to_string()),
        ("State", state.to_string()),
    ];
    if let Some(to) = renamed_to {
        // The dependency's FMRI as pkg prints it (UNVERIFIED: release and branch only).
        rows.push(("Renamed to", format!("{}@{}", to.name, platform.short_version(to.build))));
    }
    rows.push(("Publisher", p.publisher.clone()));
    rows.push(("Version", release.to_string()));
    if !platform.is_illumos() {
        rows.push(("Build Release", "5.11".into()));
    }
    rows.push(("Branch", branch.to_string()));
    rows.push(("Packaging Date", "Tue Oct 19 08:23:11 2010".into()));
    rows.push(("Size", "5.45 kB".into()));
    rows.push(("FMRI", fmri));
    // S11.0 / b151 use fixed 14-character labels; current clients pad to the longest label.
    let width = rows.iter().map(|(l, _)| l.len()).max().unwrap_or(14);
    rows.iter().map(|(l, v)| format!("{l:>width$}: {v}")).collect()
}
