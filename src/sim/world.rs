//! The live world model, serialised as DIR/world.json.
//!
//! Top-level shape of world.json:
//! ```text
//! { "format": 1, "name": "…", "platform": "s11express|openindiana|omnios|solaris11",
//!   "root": "/abs/DIR", "clock_s": 123, "costs": { "solver": 20, … },
//!   "global": { "be", "be_uuid", "other_bes": [[name, uuid]],
//!               "image": <Image: the GZ's entire, packages, publishers> },
//!   "repositories": [{ "uri", "publisher", "builds", "history_from", "reachable" }],
//!   "packages": [{ "name", "kind": "core|app", "removed_at", "renamed": [at, to], "depends" }],
//!   "zones": [{ "name", "brand", "zonepath" (scenario path), "state", "uuid", "ip_type",
//!               "services_maintenance", "materialized" }],
//!   "datasets": [{ "name", "props" (local only), "image": <Image>|null, "origin",
//!                  "snapshots": [{ "name", "props", "image", "seq" }], "seq" }],
//!   "faults": [<scenario faults>], "counters": { "fault:<i>": n, "repo:<uri>": n }, "seq": n }
//! ```
//! An Image is `{ "entire": build|null, "packages": [{name, build, publisher}],
//! "publishers": [{name, origins, enabled, sticky, syspub, proxy?, ssl_key?, ssl_cert?}],
//! "files": {path: content},
//! "variant_zone", "use_system_repo", "shadowed_publishers"?, "history": [{clock_s, operation,
//! outcome}] }`.
//! A zone's image lives on its current ZBE dataset.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::clock::Costs;
use super::platform::Platform;
use super::scenario::{FaultDef, PublisherDef, Scenario};

pub const FORMAT: u32 = 1;

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct World {
    pub format: u32,
    pub name: String,
    pub platform: Platform,
    /// Absolute path of the world directory (DIR).
    pub root: PathBuf,
    pub clock_s: u64,
    pub costs: Costs,
    pub global: Global,
    pub repositories: Vec<Repository>,
    pub packages: Vec<PackageDef>,
    pub zones: Vec<Zone>,
    pub datasets: Vec<Dataset>,
    pub faults: Vec<FaultDef>,
    /// Named counters: fault matches (`fault:<i>`), repository contacts (`repo:<uri>`), …
    pub counters: BTreeMap<String, u64>,
    /// Monotonic sequence for creation order and unique names.
    pub seq: u64,
    /// Oracle mode: no faults, no sleeping, no files.
    #[serde(skip)]
    pub pure: bool,
    /// Simulated seconds charged during this invocation.
    #[serde(skip)]
    pub cost_s: u64,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Global {
    pub be: String,
    pub be_uuid: String,
    pub other_bes: Vec<(String, String)>,
    pub image: Image,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Publisher {
    pub name: String,
    pub origins: Vec<String>,
    pub enabled: bool,
    pub sticky: bool,
    /// Provided by the system repository (S11 zones): printed `(syspub)`.
    #[serde(default)]
    pub syspub: bool,
    /// The proxy of its origins (`set-publisher --proxy`; one for all of them: per-origin
    /// proxies are not modelled). Shown in the tsv `PROXY` column, the table's `P` column and
    /// `pkg publisher NAME`'s `Proxy:`; lost by `unset-publisher`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proxy: Option<String>,
    /// Client SSL key and certificate paths (`set-publisher -k/-c`), shown only by
    /// `pkg publisher NAME`; lost by `unset-publisher`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ssl_key: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ssl_cert: Option<String>,
    /// Publisher properties (`set-publisher --set-property`, `--add-property-value`), in the
    /// order set; `signature-policy` is `verify` unless set. Shown only by `pkg publisher
    /// NAME`; lost by `unset-publisher`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub properties: Vec<(String, String)>,
}

impl Publisher {
    pub fn from_def(d: &PublisherDef) -> Publisher {
        Publisher {
            name: d.name.clone(),
            origins: d.origins.clone(),
            enabled: d.enabled,
            sticky: d.sticky,
            syspub: false,
            proxy: d.proxy.clone(),
            ssl_key: d.ssl_key.clone(),
            ssl_cert: d.ssl_cert.clone(),
            properties: d.properties.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Repository {
    pub uri: String,
    pub publisher: String,
    pub builds: Vec<u32>,
    pub history_from: Option<u32>,
    pub reachable: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Core,
    App,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PackageDef {
    pub name: String,
    pub kind: Kind,
    pub removed_at: Option<u32>,
    pub renamed: Option<(u32, String)>,
    pub depends: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InstalledPkg {
    pub name: String,
    pub build: u32,
    pub publisher: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HistoryEntry {
    pub clock_s: u64,
    pub operation: String,
    pub outcome: String,
}

/// A pkg(5) image: what a ZBE (or the global zone) carries.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Image {
    /// Build of the installed `entire`, if any.
    pub entire: Option<u32>,
    pub packages: Vec<InstalledPkg>,
    pub publishers: Vec<Publisher>,
    /// Files relative to the image root (zone images only).
    pub files: BTreeMap<String, String>,
    pub variant_zone: String,
    pub use_system_repo: bool,
    /// The image's own configuration of publishers the system repository serves under the
    /// same name: pkg keeps it (its BlendedConfig shows the system one instead) and uses it
    /// again once `use-system-repo` is false.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub shadowed_publishers: Vec<Publisher>,
    /// The publisher `entire` was installed from, as pkg records it (fidelity mm F1): a
    /// change of ranking, the system repository or a failed plan does not move it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entire_from: Option<String>,
    pub history: Vec<HistoryEntry>,
}

impl Image {
    /// The build the image is at: `entire`'s, else that of its newest package.
    pub fn build(&self) -> Option<u32> {
        self.entire.or_else(|| self.packages.iter().map(|p| p.build).max())
    }

    pub fn installed(&self, name: &str) -> Option<&InstalledPkg> {
        self.packages.iter().find(|p| p.name == name)
    }

    pub fn publisher(&self, name: &str) -> Option<&Publisher> {
        self.publishers.iter().find(|p| p.name == name)
    }

    pub fn enabled_publishers(&self) -> Vec<Publisher> {
        self.publishers.iter().filter(|p| p.enabled).cloned().collect()
    }

    /// The publisher `entire` is listed from: the one recorded when it was installed, else
    /// (a scenario's starting image) [`Image::derived_entire_publisher`].
    pub fn entire_publisher(&self, world: &World) -> String {
        self.entire_from.clone().unwrap_or_else(|| self.derived_entire_publisher(world))
    }

    /// Where a scenario's `entire` came from: the first-ranked enabled publisher a repository
    /// of which carries its build, else the first-ranked enabled one that is no add-on (whose
    /// repositories carry no build of the OS at all, `builds = []`).
    pub fn derived_entire_publisher(&self, world: &World) -> String {
        let repos = |p: &Publisher| -> Vec<&Repository> {
            p.origins.iter().filter_map(|o| world.repository(o)).collect()
        };
        let addon = |p: &&Publisher| {
            let r = repos(p);
            !r.is_empty() && r.iter().all(|r| r.builds.is_empty())
        };
        let holds = |p: &&Publisher| {
            self.entire.is_some_and(|b| repos(p).iter().any(|r| r.builds.contains(&b)))
        };
        let enabled = || self.publishers.iter().filter(|p| p.enabled);
        enabled()
            .find(holds)
            .or_else(|| enabled().find(|p| !addon(p)))
            .map(|p| p.name.clone())
            .unwrap_or_else(|| self.first_publisher_name())
    }

    pub fn first_publisher_name(&self) -> String {
        self.publishers
            .iter()
            .find(|p| p.enabled)
            .or(self.publishers.first())
            .map(|p| p.name.clone())
            .unwrap_or_default()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ZoneState {
    Configured,
    Incomplete,
    Installed,
    Running,
}

impl ZoneState {
    pub fn as_str(self) -> &'static str {
        match self {
            ZoneState::Configured => "configured",
            ZoneState::Incomplete => "incomplete",
            ZoneState::Installed => "installed",
            ZoneState::Running => "running",
        }
    }

    fn parse(s: &str) -> ZoneState {
        match s {
            "configured" => ZoneState::Configured,
            "incomplete" => ZoneState::Incomplete,
            "running" => ZoneState::Running,
            _ => ZoneState::Installed,
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Zone {
    pub name: String,
    pub brand: String,
    /// The zonepath as the scenario names it (e.g. `/zones/web01`); printed paths are
    /// `World::host_path` of it.
    pub zonepath: String,
    pub state: ZoneState,
    pub uuid: String,
    pub ip_type: String,
    pub services_maintenance: Vec<String>,
    /// Files written under the zone root by the simulator (to remove stale ones on rollback).
    pub materialized: BTreeSet<String>,
    /// The zone boot environment is mounted nowhere (scenario `root_mounted = false`) until
    /// a detach (ipkg) or an attach mounts it.
    #[serde(default)]
    pub root_unmounted: bool,
}

impl Zone {
    /// Zonepath dataset: `rpool` + zonepath (e.g. `rpool/zones/web01`).
    pub fn dataset(&self) -> String {
        format!("rpool{}", self.zonepath.trim_end_matches('/'))
    }

    /// Parent of the ZBEs: `<zpds>/ROOT` (ipkg) or `<zpds>/rpool/ROOT` (solaris).
    pub fn zbe_parent(&self) -> String {
        if self.brand == "solaris" {
            format!("{}/rpool/ROOT", self.dataset())
        } else {
            format!("{}/ROOT", self.dataset())
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Snapshot {
    pub name: String,
    pub props: BTreeMap<String, String>,
    pub image: Option<Image>,
    pub seq: u64,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Dataset {
    pub name: String,
    /// Locally set properties; inherited ones are computed (`zfs.rs`).
    pub props: BTreeMap<String, String>,
    pub image: Option<Image>,
    pub snapshots: Vec<Snapshot>,
    pub seq: u64,
    /// For clones: the snapshot they came from.
    #[serde(default)]
    pub origin: Option<String>,
}

impl World {
    pub fn from_scenario(s: &Scenario, root: PathBuf) -> World {
        let platform = s.platform();
        let build = |v: i64| u32::try_from(v).unwrap_or(0);
        let packages: Vec<PackageDef> = s
            .packages
            .iter()
            .map(|p| PackageDef {
                name: p.name.clone(),
                kind: if p.kind.get_ref() == "core" { Kind::Core } else { Kind::App },
                removed_at: p.removed_at.as_ref().map(|r| build(*r.get_ref())),
                renamed: p.renamed.as_ref().map(|r| (build(r.at), r.to.clone())),
                depends: p.depends.clone(),
            })
            .collect();
        let gz_build = build(*s.global.entire.get_ref());
        let gz_publishers: Vec<Publisher> =
            s.global.publishers.iter().map(Publisher::from_def).collect();
        let first_gz =
            gz_publishers.first().map(|p| p.name.clone()).unwrap_or_else(|| "solaris".into());
        let gz_image = Image {
            entire: Some(gz_build),
            packages: packages
                .iter()
                .filter(|p| p.kind == Kind::Core && p.removed_at.is_none_or(|r| r > gz_build))
                .map(|p| InstalledPkg {
                    name: p.name.clone(),
                    build: gz_build,
                    publisher: first_gz.clone(),
                })
                .collect(),
            publishers: gz_publishers,
            files: BTreeMap::new(),
            variant_zone: "global".into(),
            use_system_repo: false,
            shadowed_publishers: Vec::new(),
            entire_from: None,
            history: Vec::new(),
        };
        let mut world = World {
            format: FORMAT,
            name: s.scenario.name.clone(),
            platform,
            root,
            clock_s: 0,
            costs: Costs::with_overrides(&s.costs),
            global: Global {
                be: s.global.be.clone(),
                be_uuid: s.global.be_uuid.clone(),
                other_bes: s
                    .global
                    .other_bes
                    .iter()
                    .map(|b| (b.name.clone(), b.uuid.clone()))
                    .collect(),
                image: gz_image,
            },
            repositories: s
                .repositories
                .iter()
                .map(|r| Repository {
                    uri: r.uri.clone(),
                    publisher: r.publisher.clone(),
                    builds: r.builds.get_ref().iter().map(|b| build(*b)).collect(),
                    history_from: r.history_from.map(build),
                    reachable: r.reachable,
                })
                .collect(),
            packages,
            zones: Vec::new(),
            datasets: Vec::new(),
            faults: s.faults.clone(),
            counters: BTreeMap::new(),
            seq: 0,
            pure: false,
            cost_s: 0,
        };
        world.add_dataset("rpool", &[("mountpoint", "/rpool")], None);
        world.add_dataset("rpool/ROOT", &[("mountpoint", "legacy")], None);
        let be_ds = format!("rpool/ROOT/{}", s.global.be);
        world.add_dataset(&be_ds, &[("mountpoint", "/"), ("canmount", "noauto")], None);
        let zones_mp = world.host_path("/zones");
        world.add_dataset("rpool/zones", &[("mountpoint", &zones_mp)], None);
        for (i, z) in s.zones.iter().enumerate() {
            let zone = Zone {
                name: z.name.clone(),
                brand: z.brand.get_ref().clone(),
                zonepath: z.zonepath.trim_end_matches('/').to_string(),
                state: ZoneState::parse(z.state.get_ref()),
                uuid: z
                    .uuid
                    .clone()
                    .unwrap_or_else(|| format!("2f1c7a5d-0000-4000-8000-{:012x}", i + 1)),
                ip_type: z.ip_type.clone().unwrap_or_else(|| "excl".into()),
                services_maintenance: z.services_maintenance.clone(),
                materialized: BTreeSet::new(),
                root_unmounted: !z.root_mounted,
            };
            let zbuild = build(*z.entire.get_ref());
            let publishers: Vec<Publisher> = z.publishers.iter().map(Publisher::from_def).collect();
            let first = publishers.first().map(|p| p.name.clone()).unwrap_or_default();
            let image = Image {
                entire: Some(zbuild),
                packages: z
                    .packages
                    .iter()
                    .map(|p| InstalledPkg {
                        name: p.get_ref().clone(),
                        build: zbuild,
                        publisher: first.clone(),
                    })
                    .collect(),
                publishers,
                files: z.files.iter().map(|f| (f.path.clone(), f.content.clone())).collect(),
                variant_zone: "nonglobal".into(),
                use_system_repo: zone.brand == "solaris",
                shadowed_publishers: Vec::new(),
                entire_from: None,
                history: Vec::new(),
            };
            let zpds = zone.dataset();
            let zp = world.host_path(&zone.zonepath);
            world.add_dataset(&zpds, &[("mountpoint", &zp)], None);
            let parent = zone.zbe_parent();
            if zone.brand == "solaris" {
                world.add_dataset(
                    &format!("{zpds}/rpool"),
                    &[("mountpoint", "/rpool"), ("zoned", "on")],
                    None,
                );
                world.add_dataset(
                    &parent,
                    &[("mountpoint", "legacy"), ("canmount", "noauto")],
                    None,
                );
            } else {
                world.add_dataset(&parent, &[("mountpoint", "legacy"), ("zoned", "on")], None);
            }
            for zbe in &z.zbes {
                let active = if zbe.active { "on" } else { "off" };
                let mut props: Vec<(&str, &str)> = vec![
                    ("canmount", "noauto"),
                    ("org.opensolaris.libbe:parentbe", &zbe.parentbe),
                    ("org.opensolaris.libbe:active", active),
                ];
                if zone.brand == "solaris" {
                    props.push(("mountpoint", "/"));
                }
                let img = zbe.active.then(|| image.clone());
                world.add_dataset(&format!("{parent}/{}", zbe.name), &props, img);
                for child in &zbe.children {
                    let mountpoint = format!("/{child}");
                    world.add_dataset(
                        &format!("{parent}/{}/{child}", zbe.name),
                        &[("mountpoint", &mountpoint), ("canmount", "noauto")],
                        None,
                    );
                }
            }
            if zone.brand == "solaris" {
                world.add_dataset(
                    &format!("{zpds}/rpool/export"),
                    &[("mountpoint", "/export")],
                    None,
                );
            }
            world.zones.push(zone);
        }
        // Where each starting image's `entire` came from, recorded as pkg records it.
        let gz_from = world.global.image.derived_entire_publisher(&world);
        world.global.image.entire_from = Some(gz_from);
        let from: Vec<Option<String>> = world
            .datasets
            .iter()
            .map(|d| d.image.as_ref().map(|i| i.derived_entire_publisher(&world)))
            .collect();
        for (d, f) in world.datasets.iter_mut().zip(from) {
            if let Some(img) = d.image.as_mut() {
                img.entire_from = f.filter(|_| img.entire.is_some());
            }
        }
        world
    }

    pub fn add_dataset(&mut self, name: &str, props: &[(&str, &str)], image: Option<Image>) {
        self.seq += 1;
        self.datasets.push(Dataset {
            name: name.to_string(),
            props: props.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
            image,
            snapshots: Vec::new(),
            seq: self.seq,
            origin: None,
        });
    }

    /// A scenario path (`/zones/web01`) as the real path under DIR.
    pub fn host_path(&self, scenario_path: &str) -> String {
        format!("{}{}", self.root.display(), scenario_path)
    }

    pub fn zone(&self, name: &str) -> Option<&Zone> {
        self.zones.iter().find(|z| z.name == name)
    }

    pub fn zone_index(&self, name: &str) -> Option<usize> {
        self.zones.iter().position(|z| z.name == name)
    }

    pub fn zonepath(&self, zone: &Zone) -> String {
        self.host_path(&zone.zonepath)
    }

    pub fn zoneroot(&self, zone: &Zone) -> String {
        format!("{}/root", self.zonepath(zone))
    }

    pub fn dataset(&self, name: &str) -> Option<&Dataset> {
        self.datasets.iter().find(|d| d.name == name)
    }

    pub fn dataset_mut(&mut self, name: &str) -> Option<&mut Dataset> {
        self.datasets.iter_mut().find(|d| d.name == name)
    }

    pub fn package_def(&self, name: &str) -> Option<&PackageDef> {
        self.packages.iter().find(|p| p.name == name)
    }

    /// The zone's ZBEs (direct children of the ZBE parent dataset).
    pub fn zbes(&self, zone: &Zone) -> Vec<&Dataset> {
        let parent = format!("{}/", zone.zbe_parent());
        self.datasets
            .iter()
            .filter(|d| d.name.strip_prefix(&parent).is_some_and(|rest| !rest.contains('/')))
            .collect()
    }

    /// Whether anything is mounted at the zone root: a ZBE whose own mountpoint it is (an ipkg
    /// detach, `canmount=on`), a running zone's, or one an attach mounted there (unless the
    /// scenario starts the zone halted with its ZBE mounted nowhere).
    pub fn root_mounted(&self, zone: &Zone) -> bool {
        let root = self.zoneroot(zone);
        let by_props = self.zbes(zone).iter().any(|d| {
            d.props.get("mountpoint") == Some(&root)
                && d.props.get("canmount").map(String::as_str) == Some("on")
        });
        !zone.root_unmounted || by_props || zone.state == ZoneState::Running
    }

    /// The ZBE that owns the zone's current image: the one mounted at the zone root, else
    /// the active one for the current GZ BE, else the single active one.
    pub fn current_zbe(&self, zone: &Zone) -> Option<String> {
        let zbes = self.zbes(zone);
        let root = self.zoneroot(zone);
        if let Some(d) = zbes.iter().find(|d| d.props.get("mountpoint") == Some(&root)) {
            return Some(d.name.clone());
        }
        let active: Vec<&&Dataset> = zbes
            .iter()
            .filter(|d| {
                d.props.get("org.opensolaris.libbe:active").map(String::as_str) == Some("on")
            })
            .collect();
        let mine: Vec<&&&Dataset> = active
            .iter()
            .filter(|d| d.props.get("org.opensolaris.libbe:parentbe") == Some(&self.global.be_uuid))
            .collect();
        if mine.len() == 1 {
            return mine.first().map(|d| d.name.clone());
        }
        // The solaris brand's rule 2: the only ZBE of the running GZ BE, active or not.
        let of_running: Vec<&&Dataset> = zbes
            .iter()
            .filter(|d| d.props.get("org.opensolaris.libbe:parentbe") == Some(&self.global.be_uuid))
            .collect();
        if zone.brand == "solaris" && of_running.len() == 1 {
            return of_running.first().map(|d| d.name.clone());
        }
        if active.len() == 1 {
            return active.first().map(|d| d.name.clone());
        }
        zbes.iter().find(|d| d.image.is_some()).map(|d| d.name.clone())
    }

    pub fn zone_image(&self, zone: &Zone) -> Option<&Image> {
        let ds = self.current_zbe(zone)?;
        self.dataset(&ds)?.image.as_ref()
    }

    pub fn zone_image_mut(&mut self, zone_name: &str) -> Option<&mut Image> {
        let zone = self.zone(zone_name)?.clone();
        let ds = self.current_zbe(&zone)?;
        self.dataset_mut(&ds)?.image.as_mut()
    }

    /// Zone whose root is `dir` (for `pkg -R`).
    pub fn zone_by_root(&self, dir: &str) -> Option<&Zone> {
        let dir = dir.trim_end_matches('/');
        self.zones.iter().find(|z| self.zoneroot(z) == dir)
    }

    pub fn repository(&self, uri: &str) -> Option<&Repository> {
        let norm = |u: &str| u.trim_end_matches('/').to_string();
        self.repositories.iter().find(|r| norm(&r.uri) == norm(uri))
    }

    pub fn bump(&mut self, counter: &str) -> u64 {
        let c = self.counters.entry(counter.to_string()).or_insert(0);
        *c += 1;
        *c
    }

    /// Advances the simulated clock (and really sleeps under `ZONESIM_SPEED`).
    pub fn charge(&mut self, seconds: u64) {
        self.clock_s += seconds;
        self.cost_s += seconds;
        if !self.pure {
            super::clock::sleep_scaled(seconds);
        }
    }

    pub fn next_seq(&mut self) -> u64 {
        self.seq += 1;
        self.seq
    }
}
