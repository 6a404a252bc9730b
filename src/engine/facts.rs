//! Facts about the host and the zone, collected by preflight before anything is decided, and
//! refreshed (the zone side) after every rung that changed the zone image.

use std::path::PathBuf;

use crate::commands::pkg::{self, Pkg, Publisher};
use crate::commands::zoneadm::ZoneState;
use crate::commands::{Fmri, Version, ZoneName};
use crate::playbook::Platform;
use crate::system::Runner;

#[derive(Clone, Debug)]
pub struct Facts {
    pub zone: ZoneName,
    pub brand: String,
    pub state: ZoneState,
    pub zonepath: PathBuf,
    pub zone_root: PathBuf,
    /// The dataset mounted at (or holding) the zonepath.
    pub zonepath_dataset: Option<String>,
    pub gz_be_uuid: Option<String>,
    /// The active ZBE (full dataset name); the snapshot target.
    pub active_zbe: Option<String>,
    /// The active ZBE's parentbe is the running GZ BE's uuid (what the brand scripts pick).
    pub zbe_of_running_gz_be: bool,
    /// The dataset the ZBEs live under (`…/ROOT`, `…/rpool/ROOT` for brand solaris).
    pub zbe_root: String,
    pub platform: Platform,
    pub gz_entire: Option<Fmri>,
    pub zone_entire: Option<Fmri>,
    pub gz_publishers: Vec<Publisher>,
    /// `pkg publisher -H -F tsv` of the GZ, verbatim (journal; exact restore check).
    pub gz_publishers_tsv: String,
    /// `pkg publisher -H` of the GZ, verbatim (the only place a disabled publisher shows).
    pub gz_publishers_table: String,
    pub zone_publishers: Vec<Publisher>,
    /// Stems of the packages installed in the zone image.
    pub zone_packages: Vec<String>,
    /// Enabled GZ publishers whose catalog refresh failed in preflight (`None`: not tested).
    pub gz_unreachable: Option<Vec<String>>,
    /// Enabled zone-only publishers (no GZ publisher of that name replaces them on attach)
    /// whose refresh from the global zone failed in preflight (`None`: not tested).
    pub zone_unreachable: Option<Vec<String>>,
    /// What the global zone's catalogs, as preflight refreshed them, say about the zone's
    /// packages (`None`: not tested).
    pub gz_catalogs: Option<GzCatalogs>,
    /// The builds of `entire` the zone image's own catalogs offer, as preflight refreshed
    /// them: intermediate releases its publishers may carry beyond the playbook's list.
    pub zone_offered_builds: Vec<u64>,
    /// The zone image's publishers as preflight found them (never refreshed): a failed
    /// solaris-brand attach switches the image to the system repository, yet the zone's own
    /// origins may still be the way through an intermediate release.
    pub zone_publishers_at_start: Vec<Publisher>,
    /// What this run's rungs found candidate repositories to offer (never refreshed: a
    /// repository's content does not change within a run, and every retry costs a refresh).
    pub repositories: Vec<RepositoryOffer>,
    /// Origins the run this one resumes saw answer (its preflight's refresh): one down now is
    /// an outage of the same run (regress ww2 F1: a resume removed such a zone publisher).
    pub answered_before: Vec<String>,
    /// Preflight found no image at the zone root (a halted zone's ZBE is mounted nowhere):
    /// the zone's image is read once a detach (ipkg) or an attach has mounted it.
    pub zone_image_deferred: bool,
    /// Why the zone's package list could not be read at the last try (pkg's error).
    pub zone_packages_unread: Option<String>,
}

/// See [`Facts::entire_in_sync`].
fn entire_in_sync(gz: Option<&Fmri>, zone: Option<&Fmri>) -> Option<bool> {
    let version = |f: Option<&Fmri>| f.and_then(|f| f.version.clone());
    Some(crate::engine::build::same_release(&version(gz)?, &version(zone)?))
}

/// Installed, its `entire` of the GZ's release, its ZBE the running GZ BE's: what an
/// `attach -u` that worked leaves. Nothing to rescue.
pub fn in_step(
    state: ZoneState,
    gz: Option<&Fmri>,
    zone: Option<&Fmri>,
    zbe_of_running: bool,
) -> bool {
    state == ZoneState::Installed && zbe_of_running && entire_in_sync(gz, zone) == Some(true)
}

/// The publisher an attach needs among `pubs`: `entire`'s (`prefer`, the FMRI's publisher)
/// when it is enabled with an origin, else the first-ranked enabled one with an origin. A
/// first-ranked site or add-on publisher is not where the system's packages come from: when it
/// is down, gz-publishers takes it out of the attach's way instead of every remedy stopping.
pub fn primary_publisher<'a>(pubs: &'a [Publisher], prefer: Option<&str>) -> Option<&'a Publisher> {
    let usable = |p: &&Publisher| p.enabled && p.enabled_origins().next().is_some();
    pubs.iter()
        .filter(usable)
        .find(|p| Some(p.name.as_str()) == prefer)
        .or_else(|| pubs.iter().find(usable))
}

/// What pointing a zone publisher at one origin showed.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RepositoryOffer {
    pub publisher: String,
    pub uri: String,
    pub offer: Offer,
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Offer {
    /// `set-publisher -O` could not refresh from it.
    Unreachable,
    /// The builds of `entire` the image's catalogs listed with the publisher pointed there.
    Builds(Vec<u64>),
}

impl RepositoryOffer {
    /// Whether `build` may be had from this repository (not known to be absent).
    pub fn may_offer(&self, build: u64) -> bool {
        match &self.offer {
            Offer::Unreachable => false,
            Offer::Builds(b) => b.contains(&build),
        }
    }
}

/// What the global zone's catalogs (as last refreshed) say about the zone's packages (stems).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GzCatalogs {
    /// Listed as obsolete at or below the GZ's build by every publisher that knows them:
    /// `attach -u` cannot carry them forward.
    pub obsolete: Vec<String>,
    /// Known to no catalog at all, neither a version nor a record: gone from the GZ's
    /// release, or renamed where the repository no longer keeps the rename record.
    pub unknown: Vec<String>,
    /// Offered at (or past) the GZ's release and not obsolete: nothing about the package
    /// itself keeps it from staying.
    pub current: Vec<String>,
    /// Whose newest record, at or below the GZ's release, is a rename: the attach maps it
    /// only when the repository still holds the path from the zone's version.
    pub renamed: Vec<String>,
}

impl GzCatalogs {
    /// Whether the catalogs cannot tell `p` renamed from dropped: unknown to them, or known
    /// only by a rename record (pkg reports both as gone when the path from the zone's
    /// version is not kept).
    pub fn may_be_renamed(&self, p: &str) -> bool {
        self.unknown.iter().chain(&self.renamed).any(|k| k == p)
    }
}

impl Facts {
    /// The publisher the global zone's `entire` comes from (its FMRI's): the one an attach
    /// cannot do without.
    pub fn gz_entire_publisher(&self) -> Option<&str> {
        self.gz_entire.as_ref().and_then(|f| f.publisher.as_deref())
    }

    pub fn gz_build(&self) -> Option<u64> {
        self.gz_entire.as_ref().and_then(|f| f.version.as_ref()).and_then(Version::os_build)
    }

    pub fn zone_build(&self) -> Option<u64> {
        self.zone_entire.as_ref().and_then(|f| f.version.as_ref()).and_then(Version::os_build)
    }

    pub fn zone_version(&self) -> Option<&Version> {
        self.zone_entire.as_ref().and_then(|f| f.version.as_ref())
    }

    /// The zone's `entire` is the GZ's, release and branch (the build number alone cannot
    /// tell OpenIndiana 151a8 from 151a9, or one Solaris 11 SRU from the next); `None` when
    /// either is unknown.
    pub fn entire_in_sync(&self) -> Option<bool> {
        entire_in_sync(self.gz_entire.as_ref(), self.zone_entire.as_ref())
    }

    /// See [`in_step`].
    pub fn in_step(&self) -> bool {
        in_step(
            self.state,
            self.gz_entire.as_ref(),
            self.zone_entire.as_ref(),
            self.zbe_of_running_gz_be,
        )
    }

    /// The zone's `entire` is of a later release than the GZ's: no `attach -u` can take it
    /// back (pkg refuses to downgrade: "Newer version … is already installed"; the ipkg
    /// brands' `fmri_compare` says "uprev"). `false` when either is unknown or they cannot
    /// be ordered.
    pub fn zone_newer_than_gz(&self) -> bool {
        let gz = self.gz_entire.as_ref().and_then(|f| f.version.as_ref());
        match (gz, self.zone_version()) {
            (Some(gz), Some(zone)) => super::preflight::newer(zone, gz),
            _ => false,
        }
    }

    /// The GZ publisher every attach needs (see [`primary_publisher`]) and its first enabled
    /// origin.
    pub fn gz_primary_publisher(&self) -> Option<(&Publisher, &str)> {
        let p = primary_publisher(&self.gz_publishers, self.gz_entire_publisher())?;
        p.enabled_origins().next().map(|o| (p, o))
    }

    /// The GZ publisher every attach needs, when diagnosis `d` says it did not answer (no
    /// rung gets past that: see [`Diagnosis::primary_unreachable`]).
    pub fn unreachable_primary(&self, d: &super::diagnosis::Diagnosis) -> Option<&str> {
        let (p, _) = self.gz_primary_publisher()?;
        let origins: Vec<&str> = p.enabled_origins().collect();
        d.primary_unreachable(&p.name, &origins).then_some(p.name.as_str())
    }

    /// Disabled GZ publishers none of whose origins preflight saw answer (`pkg refresh`
    /// refuses a disabled publisher, so only an origin shared with a publisher it refreshed
    /// tells). Where the attach re-creates and refreshes them in the zone (Solaris 11
    /// Express), each may fail it.
    pub fn untested_disabled_gz_publishers(&self) -> Vec<String> {
        let answered = |list: &[Publisher], dead: &Option<Vec<String>>| -> Vec<String> {
            let Some(dead) = dead else { return Vec::new() };
            list.iter()
                .filter(|p| p.enabled && !dead.contains(&p.name))
                .flat_map(|p| p.enabled_origins().map(str::to_string))
                .collect()
        };
        let mut seen = answered(&self.gz_publishers, &self.gz_unreachable);
        seen.extend(answered(&self.zone_publishers, &self.zone_unreachable));
        self.gz_publishers
            .iter()
            .filter(|p| !p.enabled && !p.origins.is_empty())
            .filter(|p| p.origins.iter().any(|o| !seen.contains(&o.uri)))
            .map(|p| p.name.clone())
            .collect()
    }

    /// The zone root as a command printed for the operator needs it (quoted when it has a
    /// space or the like).
    pub fn zone_root_quoted(&self) -> String {
        crate::system::shell_quote(&self.zone_root.display().to_string())
    }

    pub fn zone_pkg(&self) -> Pkg {
        Pkg::image(&self.zone_root)
    }

    pub fn is_installed_in_zone(&self, stem: &str) -> bool {
        self.zone_packages.iter().any(|p| p == stem)
    }

    /// What the global zone's catalogs (as last refreshed) say about the zone's packages as
    /// they are now.
    pub fn reread_catalogs(&mut self, runner: &Runner) {
        self.gz_catalogs = super::preflight::read_gz_catalogs(
            runner,
            &Pkg::live(),
            &self.zone_packages,
            self.gz_entire.as_ref(),
        );
    }

    /// What is known of `uri` as `publisher`'s origin.
    pub fn repository(&self, publisher: &str, uri: &str) -> Option<&RepositoryOffer> {
        self.repositories.iter().find(|r| r.publisher == publisher && r.uri == uri)
    }

    /// Whether `uri` is an origin of a publisher whose refresh failed in preflight: each of
    /// its enabled origins failed (a refresh passes when any one answers).
    pub fn origin_dead_at_start(&self, uri: &str) -> bool {
        let norm = |o: &str| o.trim_end_matches('/').to_string();
        let dead = |list: &[Publisher], names: &Option<Vec<String>>| {
            list.iter()
                .filter(|p| p.enabled && names.as_ref().is_some_and(|n| n.contains(&p.name)))
                .any(|p| p.enabled_origins().any(|o| norm(o) == norm(uri)))
        };
        dead(&self.gz_publishers, &self.gz_unreachable)
            || dead(&self.zone_publishers_at_start, &self.zone_unreachable)
    }

    /// Whether this run saw the repositories a transport failure names answer: `origins`
    /// (when it names any: each one an origin that preflight's refresh or a rung's
    /// `set-publisher` reached), else `publishers` (each one refreshed in preflight). A
    /// repository that answered and then did not is a network problem, not what a publisher
    /// rung is for; one never seen answering may be dead for good.
    pub fn answered(&self, publishers: &[String], origins: &[String]) -> bool {
        let norm = |o: &str| o.trim_end_matches('/').to_string();
        let seen = self.refreshed_in_preflight();
        let mut seen_origins = self.preflight_answered_origins();
        seen_origins.extend(
            self.repositories
                .iter()
                .filter(|r| matches!(r.offer, Offer::Builds(_)))
                .map(|r| norm(&r.uri)),
        );
        seen_origins.extend(self.answered_before.iter().cloned());
        if !origins.is_empty() {
            return origins.iter().all(|o| seen_origins.contains(&norm(o)));
        }
        !publishers.is_empty() && publishers.iter().all(|n| seen.iter().any(|p| p.name == *n))
    }

    /// The enabled publishers preflight's refresh reached (none when it did not test).
    fn refreshed_in_preflight(&self) -> Vec<Publisher> {
        let gz_names: Vec<&str> = self.gz_publishers.iter().map(|p| p.name.as_str()).collect();
        let refreshed = |list: &[Publisher], dead: &Option<Vec<String>>, zone: bool| {
            list.iter()
                .filter(|p| {
                    p.enabled
                        && dead.as_ref().is_some_and(|d| !d.contains(&p.name))
                        // Preflight refreshes only the zone's own publishers in the zone image.
                        && !(zone && gz_names.contains(&p.name.as_str()))
                })
                .cloned()
                .collect::<Vec<Publisher>>()
        };
        let mut seen = refreshed(&self.gz_publishers, &self.gz_unreachable, false);
        seen.extend(refreshed(&self.zone_publishers_at_start, &self.zone_unreachable, true));
        seen
    }

    /// The origins preflight's refresh showed answering (without a trailing `/`). A refresh
    /// passes when any origin answers: only a publisher's single origin is known to have
    /// answered (a dead mirror listed beside a live origin never did).
    pub fn preflight_answered_origins(&self) -> Vec<String> {
        self.refreshed_in_preflight()
            .iter()
            .filter(|p| p.enabled_origins().count() == 1)
            .flat_map(|p| p.enabled_origins().map(|o| o.trim_end_matches('/').to_string()))
            .collect()
    }

    /// Keeps what a rung learnt about repositories (the newest word on each), except that one
    /// which answered in this run is never recorded unreachable: that is an outage, which the
    /// rung's retries and then a stop are for, never a reason to pass it over (oracle vv F1:
    /// its retry skipped it, and the next rung removed what the step would have kept).
    pub fn learn_repositories(&mut self, learnt: Vec<RepositoryOffer>) {
        for r in learnt {
            let answered = |o: &RepositoryOffer| {
                o.publisher == r.publisher && o.uri == r.uri && matches!(o.offer, Offer::Builds(_))
            };
            if r.offer == Offer::Unreachable && self.repositories.iter().any(answered) {
                continue;
            }
            self.repositories.retain(|o| !(o.publisher == r.publisher && o.uri == r.uri));
            self.repositories.push(r);
        }
    }

    /// The zone's publishers as a Solaris 11 attach leaves them, failed or not (reference §5):
    /// the GZ's enabled publishers served by the system repository, then the zone's own that
    /// none of them hides. For a dry run, which attaches nowhere.
    pub fn as_a_solaris_attach_leaves_them(&self) -> Facts {
        let mut after = self.clone();
        if self.platform != crate::playbook::Platform::Solaris11
            || self.zone_publishers.iter().any(|p| p.syspub == Some(true))
        {
            return after;
        }
        let served: Vec<&Publisher> = self.gz_publishers.iter().filter(|g| g.enabled).collect();
        let mut pubs: Vec<Publisher> =
            served.iter().map(|g| Publisher { syspub: Some(true), ..(*g).clone() }).collect();
        pubs.extend(
            self.zone_publishers
                .iter()
                .filter(|p| !served.iter().any(|g| g.name == p.name))
                .cloned(),
        );
        after.zone_publishers = pubs;
        after
    }

    /// The global zone's `entire` version as text (`unknown` when not known).
    pub fn gz_entire_text(&self) -> String {
        self.gz_entire
            .as_ref()
            .and_then(|f| f.version.as_ref())
            .map(|v| v.to_string())
            .unwrap_or_else(|| "unknown".into())
    }

    /// The zone image preflight could not read (its ZBE mounted nowhere), once a detach or an
    /// attach has mounted it: the zone's `entire`, publishers, packages and what the global
    /// zone's catalogs say about them.
    pub fn read_deferred_image(&mut self, runner: &Runner) {
        if !self.zone_image_deferred {
            return;
        }
        self.refresh_zone(runner);
        // Every remedy is chosen from the packages: a list that cannot be read is no empty one
        // (regress tt F1: the blockers hidden, auto climbed to image-create). The image stays
        // unread, so that no rung changes it.
        if self.zone_entire.is_none() || self.zone_packages_unread.is_some() {
            return;
        }
        self.zone_image_deferred = false;
        self.zone_publishers_at_start = self.zone_publishers.clone();
        self.reread_catalogs(runner);
        // The builds its own catalogs offer, as preflight reads them (fidelity ll F2: a step
        // only its mirror offers).
        self.zone_offered_builds = super::preflight::zone_offered_builds(runner, &self.zone_pkg());
        // Tested as preflight tests them, when preflight tested the global zone's.
        if self.gz_unreachable.is_some() {
            self.zone_unreachable = super::preflight::zone_only_unreachable(
                runner,
                &self.gz_publishers,
                &self.zone_pkg(),
                &self.zone_publishers,
            );
        }
    }

    /// Re-reads what rungs change: the zone's `entire`, publishers and packages.
    pub fn refresh_zone(&mut self, runner: &Runner) {
        let zp = self.zone_pkg();
        if let Ok(Some(f)) = entire(runner, &zp) {
            self.zone_entire = Some(f);
        }
        if let Ok(p) = pkg::publishers(runner, &zp) {
            self.zone_publishers = p;
        }
        match installed_packages(runner, &zp) {
            Ok(list) => {
                self.zone_packages = list;
                self.zone_packages_unread = None;
            }
            Err(e) => self.zone_packages_unread = Some(e.to_string()),
        }
    }
}

/// The names of the packages installed in `image`, read twice before it counts as unreadable
/// (a passing crash): an unreadable list is no empty one, as every remedy is chosen from it.
pub fn installed_packages(
    runner: &Runner,
    image: &Pkg,
) -> Result<Vec<String>, crate::commands::RunError> {
    let list = pkg::installed(runner, image).or_else(|_| pkg::installed(runner, image))?;
    Ok(list.into_iter().map(|p| p.name).collect())
}

pub fn entire(runner: &Runner, image: &Pkg) -> Result<Option<Fmri>, crate::commands::RunError> {
    let name = Fmri::stem("entire")?;
    pkg::installed_fmri(runner, image, &name)
}

#[cfg(test)]
mod tests {
    use crate::commands::pkg::Origin;
    use crate::strategies::testfacts::b111;

    /// Round k F4: preflight's refresh of a publisher passes when any origin answers; a dead
    /// mirror listed first beside a live origin never answered, and a failure naming it is
    /// no network blip.
    #[test]
    fn only_a_single_origin_is_known_to_have_answered() {
        let mut f = b111();
        f.gz_unreachable = Some(Vec::new());
        let live = "http://pkg.oracle.com/solaris/release/";
        assert!(f.answered(&[], &[live.into()]));
        let dead = "http://mirror.example.net/solaris/";
        f.gz_publishers[0]
            .origins
            .insert(0, Origin { uri: dead.into(), enabled: true, proxies: vec![] });
        assert!(!f.answered(&[], &[dead.into()]));
        assert!(!f.answered(&[], &[live.into()]));
        assert!(f.answered(&["solaris".into()], &[]));
    }
}
