//! Preflight: every fact the run needs, collected before anything changes, each problem a
//! [`Finding`]. Inhibitors stop the run with nothing changed (exit 3).

use std::path::Path;

use crate::commands::pkg::{self, Pkg};
use crate::commands::zoneadm::{self, ZoneState};
use crate::commands::{Fmri, Version, ZoneName, beadm, mount, run_parsed, zfs, zonecfg};
use crate::playbook::Platform;
use crate::system::Runner;

use super::facts::{Facts, GzCatalogs, entire};
use super::findings::{Finding, Severity};
use super::zbe::{ZbeChoice, ZbeInfo, choose_active};

pub const SUPPORTED_BRANDS: [&str; 3] = ["ipkg", "lipkg", "solaris"];

pub struct Preflight {
    pub facts: Option<Facts>,
    pub findings: Vec<Finding>,
}

impl Preflight {
    pub fn inhibited(&self) -> bool {
        self.facts.is_none() || self.findings.iter().any(|f| f.inhibitor)
    }
}

fn stop(findings: &mut Vec<Finding>, f: Finding) -> Preflight {
    findings.push(f);
    Preflight { facts: None, findings: std::mem::take(findings) }
}

/// Collects the facts about `zone`. `forced` is the platform of a `--playbook` given by hand.
/// `reachability`: test whether the global zone reaches the publishers an attach will refresh
/// (`pkg refresh`, which writes only the catalog cache; not in a dry run or a survey).
pub fn run(runner: &Runner, zone: &str, forced: Option<Platform>, reachability: bool) -> Preflight {
    let mut fs: Vec<Finding> = Vec::new();
    let zone = match ZoneName::new(zone) {
        Ok(z) => z,
        Err(e) => {
            return stop(
                &mut fs,
                Finding::inhibitor(
                    "zone.name-invalid",
                    format!("'{zone}' is not a valid zone name"),
                )
                .detail(e.to_string()),
            );
        }
    };
    let entry = match zoneadm::list(runner) {
        Ok(list) => list.into_iter().find(|e| e.name == zone.as_str()),
        Err(e) => {
            return stop(
                &mut fs,
                Finding::inhibitor("zoneadm.list-failed", "cannot list the zones")
                    .detail(e.to_string()),
            );
        }
    };
    let Some(entry) = entry else {
        return stop(
            &mut fs,
            Finding::inhibitor(
                "zone.missing",
                format!("zone {zone} is not configured on this host"),
            )
            .remediation("check the name with `zoneadm list -cv`"),
        );
    };
    if entry.is_global() {
        return stop(
            &mut fs,
            Finding::inhibitor("zone.global", "the global zone cannot be rescued"),
        );
    }
    if !SUPPORTED_BRANDS.contains(&entry.brand.as_str()) {
        return stop(
            &mut fs,
            Finding::inhibitor(
                "zone.brand-unsupported",
                format!("brand {} is not supported", entry.brand),
            )
            .detail(format!("supported brands: {}", SUPPORTED_BRANDS.join(", "))),
        );
    }
    match entry.state {
        ZoneState::Installed => fs.push(Finding::info(
            "zone.installed",
            format!("zone {zone} is installed: it will be detached (after the snapshot) before attach -u"),
        )),
        ZoneState::Configured => fs.push(Finding::info(
            "zone.configured",
            format!("zone {zone} is configured (detached): ready for attach -u"),
        )),
        ZoneState::Incomplete => {
            return stop(
                &mut fs,
                Finding::inhibitor("zone.incomplete", format!("zone {zone} is incomplete"))
                    .detail("an install, uninstall or attach was interrupted; zoneadm refuses to attach such a zone")
                    .remediation(incomplete_remedy(&zone, &entry.brand, &entry.zonepath)),
            );
        }
        s if s.is_active() => {
            return stop(
                &mut fs,
                Finding::inhibitor("zone.running", format!("zone {zone} is {s}"))
                    .detail("a running zone cannot be detached or attached; it is probably fine as it is")
                    .remediation(format!("if it really needs rescuing: `zoneadm -z {zone} halt` first")),
            );
        }
        s => {
            return stop(
                &mut fs,
                Finding::inhibitor("zone.state", format!("zone {zone} is in state {s}"))
                    .detail("only installed or configured zones can be rescued"),
            );
        }
    }
    let zonepath = match zonecfg::zonepath(runner, &zone) {
        Ok(p) => p,
        Err(e) => {
            fs.push(
                Finding::warn(
                    "zonecfg.zonepath",
                    Severity::Low,
                    "zonecfg gave no zonepath; using zoneadm's",
                )
                .detail(e.to_string()),
            );
            entry.zonepath.clone()
        }
    };
    let zone_root = zoneadm::zone_root(&zonepath);
    // Which boot environment is mounted at the zone root is what `pkg -R` would change: one
    // other than the ZBE snapshotted stops the run, so not knowing does too (hostile ww F1:
    // a failing `mount -p` read as "nothing mounted" let a run change an unsnapshotted BE).
    let mounts = match mount_table(runner) {
        Ok(m) => m,
        Err(e) => {
            return stop(
                &mut fs,
                Finding::inhibitor(
                    "mount.unreadable",
                    "cannot read the mount table (mount -p): which boot environment is mounted \
                     at the zone root, the one pkg -R would change, is not known",
                )
                .detail(e.to_string())
                .remediation("find out why mount -p fails, then run zonerescue again"),
            );
        }
    };
    let zonepath_dataset = dataset_of_zonepath(runner, &mounts, &zonepath);
    let Some(zpds) = zonepath_dataset.clone() else {
        return stop(
            &mut fs,
            Finding::inhibitor(
                "zonepath.no-dataset",
                format!("no ZFS dataset holds the zonepath {}", zonepath.display()),
            )
            .detail("zonerescue snapshots the zone boot environment first; without ZFS it cannot")
            .remediation("rescue this zone by hand"),
        );
    };
    // What could not be read of the facts that tell whether an installed zone needs attach -u
    // at all (an error, not an answer: an `entire` not installed is an answer).
    let mut unread: Vec<String> = Vec::new();
    let gz_be_uuid = match beadm::current(runner) {
        Ok(be) => be.uuid,
        Err(e) => {
            unread.push(format!("the running global-zone BE ({e})"));
            fs.push(
                Finding::warn(
                    "beadm.no-current",
                    Severity::Medium,
                    "cannot tell the running global-zone BE",
                )
                .detail(e.to_string()),
            );
            None
        }
    };
    let zbe_root = zbe_root(&entry.brand, &zpds);
    let zbes: Vec<ZbeInfo> = match list_zbes(runner, &zbe_root) {
        Ok(z) => z,
        Err(e) => {
            return stop(
                &mut fs,
                Finding::inhibitor(
                    "zbe.list-failed",
                    format!("cannot list the zone boot environments under {zbe_root}"),
                )
                .detail(e.to_string()),
            );
        }
    };
    let mounted = mount::zfs_dataset_at(&mounts, &zone_root).map(str::to_string);
    let choice =
        choose_active(&zbes, gz_be_uuid.as_deref(), mounted.as_deref(), entry.brand == "solaris");
    let zbe_of_running_gz_be = matches!(choice, ZbeChoice::ByParent(_));
    let active_zbe = match choice {
        ZbeChoice::ByParent(d) => d,
        ZbeChoice::ToClaim(d) => {
            fs.push(Finding::info(
                "zbe.to-be-claimed",
                format!(
                    "active ZBE {d}: the one the attach claims for the running global-zone BE \
                     (not active yet, so the zone is not attached to it)"
                ),
            ));
            d
        }
        ZbeChoice::ByMount(d) => {
            fs.push(Finding::info(
                "zbe.by-mount",
                format!("active ZBE {d}: the one mounted at {}", zone_root.display()),
            ));
            d
        }
        ZbeChoice::OnlyActive { dataset, parentbe } => {
            fs.push(
                Finding::warn(
                    "zbe.parentbe-mismatch",
                    Severity::Low,
                    format!("active ZBE {dataset} belongs to another global-zone BE"),
                )
                .detail(format!(
                    "its org.opensolaris.libbe:parentbe is {}, the running GZ BE is {}: expected right after a \
                     global-zone upgrade; attach -u re-parents it",
                    parentbe.as_deref().unwrap_or("unset"),
                    gz_be_uuid.as_deref().unwrap_or("unknown")
                )),
            );
            dataset
        }
        ZbeChoice::None => {
            return stop(
                &mut fs,
                Finding::inhibitor("zbe.none", format!("no active zone boot environment under {zbe_root}"))
                    .remediation("check `zfs list -r -o name,org.opensolaris.libbe:parentbe,org.opensolaris.libbe:active` and set active=on on the right one"),
            );
        }
        ZbeChoice::Ambiguous(list) => {
            // The solaris brand has its own way to pick one (reference §2.6, discover_active_be):
            // flipping `active` by hand could take a ZBE from the global-zone BE it belongs to.
            let fix = if entry.brand == "solaris" {
                let names: Vec<&str> =
                    list.iter().map(|d| d.rsplit('/').next().unwrap_or(d)).collect();
                // An installed zone is detached first: zoneadm refuses to attach it otherwise.
                let detach = if entry.state == ZoneState::Installed {
                    format!("zoneadm -z {zone} detach, then ")
                } else {
                    String::new()
                };
                format!(
                    "zonerescue never guesses: choose the one to keep and let the brand claim it: \
                     {detach}zoneadm -z {zone} attach -u -z ZBE, ZBE one of {} (the others stay \
                     with their global-zone BEs); run zonerescue again if its update then fails",
                    names.join(", ")
                )
            } else {
                "zonerescue never guesses: of those whose org.opensolaris.libbe:parentbe is the \
                 running global-zone BE's uuid (beadm list -H), mark exactly one with \
                 org.opensolaris.libbe:active=on"
                    .to_string()
            };
            return stop(
                &mut fs,
                Finding::inhibitor(
                    "zbe.ambiguous",
                    "several zone boot environments could be the active one",
                )
                .detail(list.join(", "))
                .remediation(fix),
            );
        }
    };
    // The ipkg attach takes the dataset `mount -p` shows at <zonepath>/root (a detach leaves
    // the ZBE mounted there); with none it fails before pkg runs, whatever a rung changes.
    if entry.brand != "solaris" && entry.state == ZoneState::Configured && mounted.is_none() {
        return stop(
            &mut fs,
            Finding::inhibitor(
                "zbe.not-mounted",
                format!(
                    "nothing is mounted at {}: the {} attach needs the zone boot environment there",
                    zone_root.display(),
                    entry.brand
                ),
            )
            .detail(format!(
                "mount -p lists no ZFS dataset at the zone root, so attach -u would fail with \
                 \"Failed to locate any dataset mounted at {}\"; no strategy changes that",
                zone_root.display()
            ))
            .remediation(format!(
                "mount the active ZBE there (mount -F zfs {active_zbe} {} when its mountpoint is \
                 legacy, else zfs mount {active_zbe}), then run zonerescue again",
                crate::system::shell_quote(&zone_root.display().to_string())
            )),
        );
    }
    let gz = Pkg::live();
    let gz_entire = entire(runner, &gz).unwrap_or_else(|e| {
        unread.push(format!("the global zone's entire ({e})"));
        None
    });
    let verbatim = |spec: crate::system::CommandSpec| {
        runner.run(&spec).ok().filter(|o| o.success()).map(|o| o.stdout).unwrap_or_default()
    };
    let gz_publishers_tsv = verbatim(gz.publisher_tsv_spec());
    let gz_publishers_table = verbatim(gz.publisher_table_spec());
    let gz_publishers = match pkg::publishers(runner, &gz) {
        Ok(p) => p,
        Err(e) => {
            return stop(
                &mut fs,
                Finding::inhibitor("gz.publishers", "cannot read the global zone's publishers")
                    .detail(e.to_string()),
            );
        }
    };
    let zp = Pkg::image(&zone_root);
    let mut zone_image_deferred = false;
    let zone_entire = entire(runner, &zp).unwrap_or_else(|e| {
        // A halted zone's ZBE is mounted nowhere (canmount=noauto, zoned=on; reference §4.2):
        // pkg finds no image at the zone root until the detach (ipkg, §2.9) or the attach
        // (§2.5 step 5, §2.6) mounts it. Normal, not a reason to refuse (fidelity kk F1).
        if mounted.is_none() && e.to_string().contains("No image rooted at") {
            zone_image_deferred = true;
        } else {
            unread.push(format!("the zone's entire ({e})"));
        }
        None
    });
    if zone_image_deferred {
        let when = if entry.brand == "solaris" { "the first attach" } else { "the detach" };
        fs.push(
            Finding::info(
                "zone.image-not-mounted",
                format!(
                    "the zone's boot environment is not mounted at {} (a halted zone's is \
                     mounted nowhere): its image is read once {when} mounts it",
                    zone_root.display()
                ),
            )
            .detail(
                "until then its entire, publishers and packages are unknown: no remedy is \
                 predicted before the first attach, whose log decides",
            ),
        );
    }
    if entry.state == ZoneState::Installed && !unread.is_empty() {
        // An installed zone may need nothing at all: detaching it on a guess could only
        // make it worse.
        return stop(
            &mut fs,
            Finding::inhibitor(
                "preflight.unread",
                format!("cannot tell whether installed zone {zone} needs attach -u"),
            )
            .detail(format!("could not read {}", unread.join("; ")))
            .remediation(
                "nothing was changed; run zonerescue again once those commands work (a passing \
                 error, such as another pkg client holding the image, is gone by then)",
            ),
        );
    }
    let zone_publishers = pkg::publishers(runner, &zp).unwrap_or_default();
    let unusable = |pubs: &[pkg::Publisher]| pubs.iter().find_map(|p| p.check_usable().err());
    for (e, whose) in [
        (unusable(&gz_publishers), "the global zone's"),
        (unusable(&zone_publishers), "the zone's"),
    ] {
        if let Some(e) = e {
            return stop(
                &mut fs,
                Finding::inhibitor(
                    "publisher.unusable",
                    format!("{whose} publisher configuration holds a value zonerescue will not pass to pkg"),
                )
                .detail(e.to_string())
                .remediation(
                    "correct or remove that publisher (pkg set-publisher / unset-publisher), then \
                     run zonerescue again; nothing was changed",
                ),
            );
        }
    }
    // A list that cannot be read (pkg crashing on it) is no empty one, or uninstall would not
    // see a blocker and the climb would end in image-create (hostile ss F2). An image not
    // mounted yet is read once it is.
    let zone_packages: Vec<String> = match super::facts::installed_packages(runner, &zp) {
        Ok(l) => l,
        Err(_) if zone_image_deferred => Vec::new(),
        Err(e) => {
            return stop(
                &mut fs,
                Finding::inhibitor(
                    "zone.packages-unread",
                    "cannot read the packages installed in the zone",
                )
                .detail(e.to_string())
                .remediation(format!(
                    "every remedy is chosen from them (uninstall would not see what blocks, and \
                     image-create drops what it cannot list): make `pkg -R {} list` work, then \
                     run zonerescue again; nothing was changed",
                    zone_root.display()
                )),
            );
        }
    };
    if zone_entire.is_none() && !zone_image_deferred {
        fs.push(
            Finding::warn("zone.no-entire", Severity::Medium, "cannot read the zone's `entire`")
                .detail("incremental steps need the zone's build; they will be skipped"),
        );
    }
    let in_step = super::facts::in_step(
        entry.state,
        gz_entire.as_ref(),
        zone_entire.as_ref(),
        zbe_of_running_gz_be,
    );
    if in_step && let Some(f) = fs.iter_mut().find(|f| f.key == "zone.installed") {
        *f = Finding::info(
            "zone.installed",
            format!(
                "zone {zone} is installed and in step with the global zone (its entire is the \
                 global zone's release, its boot environment the running global-zone BE's): \
                 nothing to rescue"
            ),
        );
    }
    // Nothing to rescue: no publisher is tested (a zone's publisher served from inside it
    // does not answer while it is down; that is no reason to change anything).
    let (gz_unreachable, zone_unreachable) = if reachability && !in_step {
        let (g, z) = unreachable_publishers(runner, &gz, &gz_publishers, &zp, &zone_publishers);
        reachability_unknown(&mut fs, "its", &g);
        reachability_unknown(&mut fs, "the zone's own", &z);
        let (g, z) = (g.known(), z.known());
        let needed = super::facts::primary_publisher(
            &gz_publishers,
            gz_entire.as_ref().and_then(|f| f.publisher.as_deref()),
        );
        reachability_findings(
            &mut fs,
            g.as_deref().unwrap_or_default(),
            z.as_deref().unwrap_or_default(),
            needed.map(|p| p.name.as_str()),
        );
        // An image not read yet is not tested yet (`Facts::read_deferred_image` does).
        (g, z.filter(|_| !zone_image_deferred))
    } else {
        (None, None)
    };
    // Read-only and free: the catalogs as last refreshed — by the refresh above, or (dry run,
    // survey) whenever the global zone last refreshed them.
    let gz_catalogs = read_gz_catalogs(runner, &gz, &zone_packages, gz_entire.as_ref());
    let zone_offered_builds = zone_offered_builds(runner, &zp);
    let catalogs = gz_catalogs.clone().unwrap_or_default();
    if let Some(obsolete) = Some(&catalogs.obsolete).filter(|o| !o.is_empty()) {
        fs.push(
            Finding::warn(
                super::diagnosis::Diagnosis::CATALOG_OBSOLETE,
                Severity::High,
                format!(
                    "the global zone's repositories list {} as obsolete at its release: \
                     attach -u cannot carry them forward (it fails on those it cannot drop)",
                    obsolete.join(", ")
                ),
            )
            .remediation(
                "uninstall removes them: auto does so before the first attach when all are \
                 members of the playbook's problem groups, else once an attach has named the \
                 ones in its way; a core package (never uninstalled): only re-creating the \
                 image gets past",
            ),
        );
    }
    let detected =
        detect_platform(&entry.brand, &gz_publishers_tsv, &gz_publishers, gz_entire.as_ref());
    let platform = forced.unwrap_or(detected);
    if let Some(f) = forced.filter(|&f| f != detected) {
        let title = format!("the playbook is for {f}, but this host looks like {detected}");
        let detail = format!("zone brand {}, GZ pkg publisher listing and entire", entry.brand);
        if contradicts(f, &entry.brand, &gz_publishers_tsv) {
            // The brand and pkg's own output say for certain: a playbook for another
            // platform would simplify publishers and step builds the wrong way.
            fs.push(
                Finding::inhibitor("playbook.platform-mismatch", title).detail(detail).remediation(
                    format!(
                        "give a playbook for {detected}, or none (the built-in one follows the \
                         host)"
                    ),
                ),
            );
        } else {
            fs.push(Finding::warn("playbook.platform-mismatch", Severity::Low, title).detail(
                format!(
                    "{detail}: only a guess between these two; the playbook's \
                                     platform is used"
                ),
            ));
        }
    }
    fs.push(Finding::info(
        "platform",
        format!(
            "platform: {platform}{}",
            if forced.is_some() { " (from the playbook)" } else { "" }
        ),
    ));
    if let (Some(g), Some(z)) = (&gz_entire, &zone_entire) {
        fs.push(Finding::info("entire", format!("global zone {} / zone {}", g.short(), z.short())));
    }
    let facts = Facts {
        zone,
        brand: entry.brand.clone(),
        state: entry.state,
        zonepath,
        zone_root,
        zonepath_dataset,
        gz_be_uuid,
        active_zbe: Some(active_zbe),
        zbe_of_running_gz_be,
        zbe_root,
        platform,
        gz_entire,
        zone_entire,
        gz_publishers,
        gz_publishers_tsv,
        gz_publishers_table,
        zone_publishers_at_start: zone_publishers.clone(),
        repositories: Vec::new(),
        answered_before: Vec::new(),
        zone_image_deferred,
        zone_packages_unread: None,
        zone_publishers,
        zone_packages,
        gz_unreachable,
        zone_unreachable,
        gz_catalogs,
        zone_offered_builds,
    };
    Preflight { facts: Some(facts), findings: fs }
}

/// Packages per `pkg list` invocation (argv stays far below ARG_MAX on any platform).
const LIST_CHUNK: usize = 200;

/// What the global zone's catalogs say about the zone's packages (`pkg list -Hn
/// --no-refresh`: no catalog is fetched): those whose newest version is an obsolete record at
/// or below the GZ's build, and those no catalog knows. `None` when a query fails or the GZ's
/// build is unknown.
pub(crate) fn read_gz_catalogs(
    runner: &Runner,
    gz: &Pkg,
    zone_packages: &[String],
    gz_entire: Option<&Fmri>,
) -> Option<GzCatalogs> {
    let gz_version = gz_entire.and_then(|f| f.version.as_ref())?;
    let stems: Vec<Fmri> = zone_packages
        .iter()
        .filter(|p| p.as_str() != "entire")
        .filter_map(|p| Fmri::stem(p).ok())
        .collect();
    let mut rows = Vec::new();
    for chunk in stems.chunks(LIST_CHUNK) {
        rows.extend(pkg::newest_known(runner, gz, chunk).ok()?);
    }
    let mut out = GzCatalogs::default();
    for stem in &stems {
        // pkg lists the newest version per publisher: obsolete only if every publisher that
        // knows the package says so, at or below the global zone's release.
        let mine: Vec<&pkg::ListedPackage> = rows.iter().filter(|r| r.name == stem.name).collect();
        // A version at (or past) the GZ's release that is not obsolete: it can stay.
        if mine.iter().any(|r| {
            !r.is_obsolete() && Version::parse(&r.version).is_ok_and(|v| not_newer(gz_version, &v))
        }) && !out.current.contains(&stem.name)
        {
            out.current.push(stem.name.clone());
        }
        let renamed = !mine.is_empty()
            && mine.iter().all(|r| {
                r.is_renamed()
                    && Version::parse(&r.version).is_ok_and(|v| not_newer(&v, gz_version))
            });
        if renamed && !out.renamed.contains(&stem.name) {
            out.renamed.push(stem.name.clone());
        }
        let obsolete = !mine.is_empty()
            && mine.iter().all(|r| {
                r.is_obsolete()
                    && Version::parse(&r.version).is_ok_and(|v| not_newer(&v, gz_version))
            });
        let list = if obsolete {
            &mut out.obsolete
        } else if mine.is_empty() {
            &mut out.unknown
        } else {
            continue;
        };
        if !list.contains(&stem.name) {
            list.push(stem.name.clone());
        }
    }
    Some(out)
}

/// `v` is at or below `gz`: compared by branch when both have one (it orders Solaris 11's
/// `0.175.x` below 11.4's `11.4.x`, OmniOS's `151046.0` below `151054.0`), else by OS build.
fn not_newer(v: &Version, gz: &Version) -> bool {
    order(v, gz).is_some_and(|o| o.is_le())
}

/// `v` is of a later release than `gz` (same comparison as [`not_newer`]; `false` when the
/// two cannot be ordered).
pub fn newer(v: &Version, gz: &Version) -> bool {
    order(v, gz).is_some_and(|o| o.is_gt())
}

fn order(v: &Version, gz: &Version) -> Option<std::cmp::Ordering> {
    match (&v.branch, &gz.branch) {
        (Some(a), Some(b)) => Some(a.cmp(b)),
        _ => v.os_build().zip(gz.os_build()).map(|(a, b)| a.cmp(&b)),
    }
}

/// What an administrator does with an `incomplete` zone, the data first: `uninstall`
/// destroys the zone's datasets, so they are snapshotted before anything (reference §1.3:
/// zoneadm's undocumented forced update, `-X` on Solaris 11 and `-U` on illumos, attaches from
/// `incomplete`).
fn incomplete_remedy(zone: &ZoneName, brand: &str, zonepath: &std::path::Path) -> String {
    let forced = if brand == "solaris" { "-X" } else { "-U" };
    format!(
        "first keep what is there: `zfs snapshot -r DATASET@before-repair` of the dataset \
         mounted at {} (`zfs list -o name,mountpoint` names it); then inspect the zone. \
         If its image is whole, `zoneadm -z {zone} attach {forced}` (zoneadm's forced update) \
         attaches it from incomplete; else restore its boot environment from a snapshot, or \
         `zoneadm -z {zone} uninstall` (which DESTROYS the zone's datasets) and reinstall",
        zonepath.display()
    )
}

/// What a reachability test (`pkg refresh` of some publishers) showed.
#[derive(Debug, PartialEq, Eq)]
enum Reach {
    /// The refresh ran; these of the publishers tested did not answer (maybe none).
    Tested(Vec<String>),
    /// The refresh could not tell: these publishers, and why (a time limit, the image lock,
    /// pkg crashing, an error that names no publisher).
    Unknown(Vec<String>, String),
}

impl Reach {
    fn known(self) -> Option<Vec<String>> {
        match self {
            Reach::Tested(dead) => Some(dead),
            Reach::Unknown(..) => None,
        }
    }
}

/// Which publishers `attach -u` will refresh that the global zone cannot reach: the GZ's
/// enabled ones, and the zone's enabled ones that no GZ publisher of the same name replaces
/// (those stay in the zone image and are refreshed from the global zone too).
fn unreachable_publishers(
    runner: &Runner,
    gz: &Pkg,
    gz_publishers: &[pkg::Publisher],
    zp: &Pkg,
    zone_publishers: &[pkg::Publisher],
) -> (Reach, Reach) {
    let gz_names: Vec<&str> = gz_publishers
        .iter()
        .filter(|p| p.enabled && p.enabled_origins().next().is_some())
        .map(|p| p.name.as_str())
        .collect();
    let zone_only = zone_only_names(gz_publishers, zone_publishers);
    (reach_test(runner, gz, gz_names), reach_test(runner, zp, zone_only))
}

/// The builds of `entire` the zone image's own catalogs offer (as last refreshed).
pub fn zone_offered_builds(runner: &Runner, zp: &Pkg) -> Vec<u64> {
    Fmri::stem("entire")
        .ok()
        .and_then(|e| runner.run(&zp.list_all_versions_spec(&[e])).ok())
        .and_then(|out| pkg::offered_builds(&out))
        .unwrap_or_default()
}

/// Refreshes `names` in `image`: which of them the global zone cannot reach.
fn reach_test(runner: &Runner, image: &Pkg, names: Vec<&str>) -> Reach {
    if names.is_empty() {
        return Reach::Tested(Vec::new());
    }
    let unknown = |why: String| Reach::Unknown(names.iter().map(|n| n.to_string()).collect(), why);
    let spec = match image.refresh_spec(false, &names) {
        Ok(spec) => spec,
        Err(e) => return unknown(e.to_string()),
    };
    let out = match super::exec::run_quietly_waiting_for_lock(runner, &spec) {
        Ok(out) => out,
        Err(e) => {
            return unknown(match super::environment::of_error(&spec, &e) {
                Some(f) => f.describe(),
                None => e.to_string().lines().next().unwrap_or_default().to_string(),
            });
        }
    };
    if out.success() {
        return Reach::Tested(Vec::new());
    }
    let dead: Vec<String> = pkg::parse_unreachable_publishers(&out.stderr)
        .into_iter()
        .map(|u| u.publisher)
        .filter(|p| names.contains(&p.as_str()))
        .collect();
    if !dead.is_empty() {
        return Reach::Tested(dead);
    }
    unknown(match super::environment::of_output(&spec, &out) {
        Some(f) => f.describe(),
        None => format!("`{}` failed: {}", spec.display(), crate::strategies::tail(&out)),
    })
}

/// The enabled zone-only publishers (no GZ namesake replaces them on attach) of a zone image
/// read after preflight (its ZBE was mounted nowhere then) that the global zone cannot reach;
/// `None` when the test could not tell.
pub fn zone_only_unreachable(
    runner: &Runner,
    gz_publishers: &[pkg::Publisher],
    zp: &Pkg,
    zone_publishers: &[pkg::Publisher],
) -> Option<Vec<String>> {
    reach_test(runner, zp, zone_only_names(gz_publishers, zone_publishers)).known()
}

/// The enabled zone publishers with an origin that no GZ publisher of that name replaces.
fn zone_only_names<'a>(
    gz_publishers: &[pkg::Publisher],
    zone_publishers: &'a [pkg::Publisher],
) -> Vec<&'a str> {
    zone_publishers
        .iter()
        .filter(|p| p.enabled && p.enabled_origins().next().is_some())
        .filter(|p| !gz_publishers.iter().any(|g| g.name == p.name))
        .map(|p| p.name.as_str())
        .collect()
}

/// A reachability test that could not tell: the run goes on not knowing, so say so.
fn reachability_unknown(fs: &mut Vec<Finding>, whose: &str, reach: &Reach) {
    let Reach::Unknown(names, why) = reach else { return };
    fs.push(
        Finding::warn(
            "publisher.reachability-unknown",
            Severity::Medium,
            format!(
                "could not test whether the global zone reaches {whose} publisher(s) {}",
                names.join(", ")
            ),
        )
        .detail(format!(
            "{why}; the rescue goes on without knowing: an attach that fails on a repository \
             is diagnosed from its log"
        ))
        .remediation(format!("check by hand with `pkg refresh {}`", names.join(" "))),
    );
}

/// `needed`: the GZ publisher every attach needs (see [`super::facts::primary_publisher`]).
fn reachability_findings(
    fs: &mut Vec<Finding>,
    gz: &[String],
    zone: &[String],
    needed: Option<&str>,
) {
    if !gz.is_empty() {
        let title = format!(
            "the global zone cannot reach publisher(s) {}: attach -u refreshes them and fails",
            gz.join(", ")
        );
        // Every remedy ends in an attach that needs the repository of the publisher `entire`
        // comes from (and image-create installs from it): detaching the zone now could only
        // make things worse.
        let f = if let Some(n) = needed.filter(|n| gz.iter().any(|g| g == n)) {
            Finding::inhibitor("gz.publisher-unreachable", title).remediation(format!(
                "no remedy can work until the global zone reaches the repository of {n}, the \
                 publisher its `entire` comes from (network, proxy, repository server); check \
                 with `pkg refresh {n}`, then run zonerescue again"
            ))
        } else {
            Finding::warn("gz.publisher-unreachable", Severity::High, title).remediation(
                "gz-publishers removes them from the global zone for the attach and restores them",
            )
        };
        fs.push(f);
    }
    if !zone.is_empty() {
        fs.push(
            Finding::warn(
                "zone.publisher-unreachable",
                Severity::High,
                format!(
                    "the zone's own publisher(s) {} cannot be reached from the global zone, which \
                     is where attach -u refreshes them",
                    zone.join(", ")
                ),
            )
            .remediation("zone-publishers removes them from the zone image"),
        );
    }
}

/// solaris brand → Solaris 11; ipkg with the old 7-column tsv → Solaris 11 Express (b134-b151
/// pkg); else by publisher names, then by the `entire` version syntax (OmniOS: release `11`).
pub fn detect_platform(
    brand: &str,
    gz_tsv: &str,
    gz_publishers: &[crate::commands::pkg::Publisher],
    gz_entire: Option<&crate::commands::Fmri>,
) -> Platform {
    if brand == "solaris" {
        return Platform::Solaris11;
    }
    if seven_columns(gz_tsv) {
        return Platform::S11Express;
    }
    if gz_publishers.iter().any(|p| p.name.contains("omnios")) {
        return Platform::OmniOs;
    }
    if gz_publishers.iter().any(|p| p.name.contains("openindiana")) {
        return Platform::OpenIndiana;
    }
    match gz_entire.and_then(|f| f.version.as_ref()) {
        Some(v) if v.release.0.first() == Some(&11) => Platform::OmniOs,
        _ => Platform::OpenIndiana,
    }
}

/// `pkg publisher -H -F tsv` in the 7 columns of Solaris 11 Express's pkg (b134–b151).
fn seven_columns(gz_tsv: &str) -> bool {
    let first = gz_tsv.lines().find(|l| !l.trim().is_empty());
    first.is_some_and(|l| l.split('\t').count() == 7)
}

/// Whether platform `p` contradicts what the host shows for certain: brand `solaris` is
/// Solaris 11 and nothing else is; the 7-column publisher tsv is Solaris 11 Express's pkg
/// and no other's. Between OpenIndiana and OmniOS only names and versions tell (a guess).
fn contradicts(p: Platform, brand: &str, gz_tsv: &str) -> bool {
    let s11 = brand == "solaris";
    let s11x = !s11 && seven_columns(gz_tsv);
    match p {
        Platform::Solaris11 => !s11,
        Platform::S11Express => !s11x,
        Platform::OmniOs | Platform::OpenIndiana => s11 || s11x,
    }
}

/// Where a zone's boot environments are, below its zonepath dataset `zpds` (reference §2.6,
/// §2.10: the solaris brand's `rpool/ROOT`, the ipkg-style brands' `ROOT`).
pub fn zbe_root(brand: &str, zpds: &str) -> String {
    if brand == "solaris" { format!("{zpds}/rpool/ROOT") } else { format!("{zpds}/ROOT") }
}

const PARENTBE: &str = "org.opensolaris.libbe:parentbe";
const ACTIVE: &str = "org.opensolaris.libbe:active";

/// The ZBEs directly under `root` with the two properties the brand scripts use.
pub fn list_zbes(runner: &Runner, root: &str) -> Result<Vec<ZbeInfo>, crate::commands::RunError> {
    let props = ["name", PARENTBE, ACTIVE];
    let q = zfs::ListQuery {
        properties: &props,
        recursive: true,
        types: &["filesystem"],
        datasets: &[root],
    };
    let rows = zfs::list(runner, &q)?;
    let prefix = format!("{root}/");
    Ok(rows
        .iter()
        .filter_map(|r| {
            let name = r.name()?;
            let child = name.strip_prefix(&prefix)?;
            (!child.is_empty() && !child.contains('/')).then(|| ZbeInfo {
                dataset: name.to_string(),
                parentbe: r.get(PARENTBE).map(str::to_string),
                active: r.get(ACTIVE) == Some("on"),
            })
        })
        .collect())
}

/// `mount -p`, parsed.
pub fn mount_table(runner: &Runner) -> Result<Vec<mount::MountEntry>, crate::commands::RunError> {
    run_parsed(runner, &mount::mount_p_spec(), |o| Ok(mount::parse_mount_p(o)))
}

/// The ZFS dataset that holds `zonepath`: the one mounted there (`mount -p`), or, for a zone
/// whose zonepath is not mounted, the one whose mountpoint it is.
pub fn dataset_of_zonepath(
    runner: &Runner,
    mounts: &[mount::MountEntry],
    zonepath: &Path,
) -> Option<String> {
    mount::zfs_dataset_at(mounts, zonepath)
        .map(str::to_string)
        .or_else(|| dataset_with_mountpoint(runner, zonepath))
}

/// `zfs list -H -o name,mountpoint`: the dataset whose mountpoint is `path`.
fn dataset_with_mountpoint(runner: &Runner, path: &Path) -> Option<String> {
    let props = ["name", "mountpoint"];
    let rows =
        zfs::list(runner, &zfs::ListQuery { properties: &props, ..Default::default() }).ok()?;
    rows.iter()
        .find(|r| r.get("mountpoint").is_some_and(|m| Path::new(m) == path))
        .and_then(|r| r.name().map(str::to_string))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::Fmri;
    use crate::commands::pkg::parse_publisher_tsv;

    #[test]
    fn catalog_versions_compare_by_branch_across_numbering_schemes() {
        let v = |s: &str| Version::parse(s).unwrap();
        // Solaris 11.3 (0.175.3) is older than 11.4 (11.4.x), though its OS build reads 175.
        assert!(not_newer(&v("0.5.11-0.175.3.1.0.5.0"), &v("11.4-11.4.42.0.1.113.1")));
        assert!(!not_newer(&v("11.4-11.4.42.0.1.113.1"), &v("0.5.11-0.175.3.1.0.5.0")));
        assert!(not_newer(&v("11-151050.0"), &v("11-151054.0")));
        assert!(!not_newer(&v("11-151054.0"), &v("11-151050.0")));
        assert!(not_newer(&v("0.5.11-0.151"), &v("0.5.11-0.151")));
        assert!(newer(&v("0.5.11-0.151"), &v("0.5.11-0.148")));
        assert!(!newer(&v("0.5.11-0.151"), &v("0.5.11-0.151")));
        assert!(!newer(&v("0.5.11-0.175.3.1.0.5.0"), &v("11.4-11.4.42.0.1.113.1")));
        assert!(newer(&v("11-151054.0"), &v("11-151050.0")));
    }

    #[test]
    fn platform_from_brand_tsv_publishers_and_version_syntax() {
        let old = "opensolaris.org\ttrue\ttrue\ttrue\torigin\tonline\thttp://pkg.opensolaris.org/release/\n";
        let cur = |name: &str| format!("{name}\ttrue\tfalse\ttrue\torigin\tonline\thttp://x/\t-\n");
        let pubs = |t: &str| parse_publisher_tsv(t).unwrap();
        assert_eq!(
            detect_platform("solaris", &cur("solaris"), &pubs(&cur("solaris")), None),
            Platform::Solaris11
        );
        assert_eq!(detect_platform("ipkg", old, &pubs(old), None), Platform::S11Express);
        let t = cur("omnios");
        assert_eq!(detect_platform("lipkg", &t, &pubs(&t), None), Platform::OmniOs);
        let t = cur("openindiana.org");
        assert_eq!(detect_platform("ipkg", &t, &pubs(&t), None), Platform::OpenIndiana);
        let t = cur("site");
        let omni = Fmri::parse("pkg://site/entire@11-0.151046").unwrap();
        assert_eq!(detect_platform("ipkg", &t, &pubs(&t), Some(&omni)), Platform::OmniOs);
        let oi = Fmri::parse("pkg://site/entire@0.5.11-0.151.1.8").unwrap();
        assert_eq!(detect_platform("ipkg", &t, &pubs(&t), Some(&oi)), Platform::OpenIndiana);
    }
}
