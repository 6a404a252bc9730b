//! Test support: a deterministic generator of varied but valid simulated worlds (scenario TOML
//! text for `zonesim init`), seeded by a u64. Each world is one of the problem class of
//! recovery-procedure.md: the global zone was upgraded, its zones lag behind by a minor update,
//! a release jump (OpenSolaris 111 → 151, OmniOS release steps) or within Solaris 11, and carry
//! some of the playbooks' problem packages, renamed or removed packages, extra or dead
//! publishers. Repositories use the playbooks' real URIs so that `incremental` can find them.
//! The generator never decides the expected outcome: the simulator's oracle does.

#![allow(dead_code)]

use std::fmt::Write;

/// SplitMix64: tiny, deterministic, good enough to spread seeds over the model.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x005E_ED0F_2047_u64.wrapping_mul(0x9E37_79B9_7F4A_7C15))
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    /// True with probability `pct` percent.
    pub fn chance(&mut self, pct: u64) -> bool {
        self.next() % 100 < pct
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

#[derive(Clone, Debug)]
struct Repo {
    uri: String,
    publisher: String,
    builds: Vec<u32>,
    history_from: u32,
    reachable: bool,
}

#[derive(Clone, Debug)]
struct Pkg {
    name: String,
    core: bool,
    removed_at: Option<u32>,
    renamed: Option<(u32, String)>,
    depends: Vec<String>,
}

#[derive(Clone, Debug)]
struct Pub {
    name: String,
    origin: String,
    enabled: bool,
}

#[derive(Clone, Debug)]
struct Zone {
    name: String,
    brand: &'static str,
    state: &'static str,
    entire: u32,
    packages: Vec<String>,
    publishers: Vec<Pub>,
}

/// One platform's vocabulary: releases, repositories, problem packages.
struct Platform {
    name: &'static str,
    brands: &'static [&'static str],
    be: &'static str,
    be_uuid: &'static str,
    core: &'static [&'static str],
    /// (name, first build without it, or the rename) of the platform's problem packages.
    problems: &'static [Problem],
    /// Harmless site/application packages.
    apps: &'static [&'static str],
}

struct Problem {
    name: &'static str,
    removed_at: Option<u32>,
    renamed: Option<(u32, &'static str)>,
}

const fn removed(name: &'static str, at: u32) -> Problem {
    Problem { name, removed_at: Some(at), renamed: None }
}

const fn renamed(name: &'static str, at: u32, to: &'static str) -> Problem {
    Problem { name, removed_at: None, renamed: Some((at, to)) }
}

const S11EXPRESS: Platform = Platform {
    name: "s11express",
    brands: &["ipkg"],
    be: "solaris-1",
    be_uuid: "0c2f6d3e-2b7c-4a55-b6a5-6d0f8f2f9a11",
    core: &["SUNWcs", "system/library"],
    problems: &[
        renamed("SUNWapch22", 130, "web/server/apache-22"),
        renamed("SUNWphp52", 130, "web/php-52"),
        removed("SUNWpostgr-83", 140),
        removed("developer/sunstudio12u1", 140),
        removed("SUNWmysql5", 145),
    ],
    apps: &["site/webapp", "network/rsync", "editor/vim"],
};

const OPENINDIANA: Platform = Platform {
    name: "openindiana",
    brands: &["ipkg"],
    be: "openindiana-2",
    be_uuid: "9b0e57a4-6f3e-4c1b-8e0d-2f1c7a5d3e21",
    core: &["SUNWcs", "system/library"],
    problems: &[
        renamed("SUNWapch22", 130, "web/server/apache-22"),
        renamed("SUNWphp52", 130, "web/php-52"),
        removed("database/postgres-83", 149),
        removed("developer/sunstudio12u1", 149),
        removed("runtime/java/jre-6", 150),
    ],
    apps: &["site/webapp", "network/rsync", "editor/vim"],
};

const OMNIOS: Platform = Platform {
    name: "omnios",
    brands: &["ipkg", "lipkg"],
    be: "r151054",
    be_uuid: "c5a4e0d1-7b2f-4e8a-9c3d-1e2f3a4b5c6d",
    core: &["SUNWcs", "system/library"],
    problems: &[
        removed("ooce/database/postgresql-11", 151052),
        removed("runtime/python-27", 151032),
        renamed("ooce/application/php-74", 151044, "ooce/application/php-81"),
        renamed("network/rsync", 151040, "network/rsync-3"),
        removed("ooce/server/apache-22", 151036),
    ],
    apps: &["site/webapp", "editor/vim", "ooce/util/tmux"],
};

const SOLARIS11: Platform = Platform {
    name: "solaris11",
    brands: &["solaris"],
    be: "solaris-2",
    be_uuid: "1d0f3c55-8a41-4f7e-9a9e-3b6b2d0c1183",
    core: &["system/core-os", "system/library"],
    problems: &[
        renamed("web/php-53", 180, "web/php-56"),
        removed("web/server/apache-22", 181),
        removed("database/postgres-84", 179),
        removed("developer/solarisstudio-123", 177),
    ],
    apps: &["site/webapp", "network/rsync", "editor/vim"],
};

/// A generated world: its seed, scenario TOML and a one-line description for failure output.
pub struct World {
    pub seed: u64,
    pub toml: String,
    pub summary: String,
    pub zones: Vec<String>,
}

struct Builder {
    rng: Rng,
    platform: &'static Platform,
    gz_entire: u32,
    gz_pubs: Vec<Pub>,
    repos: Vec<Repo>,
    pkgs: Vec<Pkg>,
    zones: Vec<Zone>,
    notes: Vec<String>,
}

pub fn world(seed: u64) -> World {
    let mut rng = Rng::new(seed);
    let platform = *rng.pick(&[&S11EXPRESS, &OPENINDIANA, &OMNIOS, &SOLARIS11]);
    let mut b = Builder {
        rng,
        platform,
        gz_entire: 0,
        gz_pubs: Vec::new(),
        repos: Vec::new(),
        pkgs: Vec::new(),
        zones: Vec::new(),
        notes: Vec::new(),
    };
    for c in platform.core {
        b.pkg(c, true);
    }
    match platform.name {
        "s11express" => b.s11express(),
        "openindiana" => b.openindiana(),
        "omnios" => b.omnios(),
        _ => b.solaris11(),
    }
    b.gz_extras();
    b.rare_core();
    let toml = b.render(seed);
    World {
        seed,
        summary: format!("{} {}", platform.name, b.notes.join("; ")),
        zones: b.zones.iter().map(|z| z.name.clone()).collect(),
        toml,
    }
}

impl Builder {
    fn pkg(&mut self, name: &str, core: bool) {
        if !self.pkgs.iter().any(|p| p.name == name) {
            self.pkgs.push(Pkg {
                name: name.to_string(),
                core,
                removed_at: None,
                renamed: None,
                depends: Vec::new(),
            });
        }
    }

    fn repo(&mut self, uri: &str, publisher: &str, builds: &[u32], history_from: u32) {
        let reachable = true;
        self.repos.push(Repo {
            uri: uri.into(),
            publisher: publisher.into(),
            builds: builds.to_vec(),
            history_from,
            reachable,
        });
    }

    fn set_reachable(&mut self, uri: &str, reachable: bool) {
        if let Some(r) = self.repos.iter_mut().find(|r| r.uri == uri) {
            r.reachable = reachable;
        }
    }

    fn gz_pub(&mut self, name: &str, origin: &str, enabled: bool) {
        self.gz_pubs.push(Pub { name: name.into(), origin: origin.into(), enabled });
    }

    /// Sometimes (rarely) the main repository is down: not attachable by any plan.
    fn main_repo_down(&mut self, uri: &str) {
        if self.rng.chance(5) {
            self.set_reachable(uri, false);
            self.notes.push("GZ repository down".into());
        }
    }

    fn s11express(&mut self) {
        self.gz_entire = 151;
        let main = "http://pkg.oracle.com/solaris/release/";
        let hist = *self.rng.pick(&[134, 134, 145]);
        self.repo(main, "solaris", &[151], hist);
        self.gz_pub("solaris", main, true);
        self.main_repo_down(main);
        let release = "http://pkg.opensolaris.org/release/";
        let dev = "http://pkg.opensolaris.org/dev/";
        // The OpenSolaris repositories: both, one, or gone (the zone's own publisher then dead).
        match self.rng.below(4) {
            0 => {
                self.repo(release, "opensolaris.org", &[111, 134], 86);
                self.repo(dev, "opensolaris.org", &[115, 121, 130, 134], 86);
            }
            1 => self.repo(release, "opensolaris.org", &[111, 134], 86),
            2 => self.repo(dev, "opensolaris.org", &[115, 121, 130, 134], 101),
            _ => self.notes.push("OpenSolaris repositories gone".into()),
        }
        let n = 1 + usize::from(self.rng.chance(25));
        for i in 0..n {
            let entire = *self.rng.pick(&[111, 111, 134, 134, 147, 148]);
            let old_uri = if entire >= 147 { main } else { *self.rng.pick(&[release, dev]) };
            let old_pub = if entire >= 147 { "solaris" } else { "opensolaris.org" };
            self.zone(i, entire, old_pub, old_uri);
        }
    }

    fn openindiana(&mut self) {
        self.gz_entire = 151;
        let main = "http://pkg.openindiana.org/dev/";
        let hist = *self.rng.pick(&[134, 134, 148]);
        self.repo(main, "openindiana.org", &[148, 151], hist);
        self.gz_pub("openindiana.org", main, true);
        self.main_repo_down(main);
        let legacy = "http://pkg.openindiana.org/legacy/";
        let release = "http://pkg.opensolaris.org/release/";
        if self.rng.chance(50) {
            self.repo(legacy, "openindiana.org", &[148, 151], 111);
        }
        if self.rng.chance(50) {
            self.repo(release, "opensolaris.org", &[111, 134], 86);
        }
        let n = 1 + usize::from(self.rng.chance(25));
        for i in 0..n {
            let entire = *self.rng.pick(&[134, 148, 148, 151]);
            let (old_pub, old_uri) = if entire == 134 {
                ("opensolaris.org", release)
            } else {
                ("openindiana.org", *self.rng.pick(&[main, legacy]))
            };
            self.zone(i, entire, old_pub, old_uri);
        }
    }

    fn omnios(&mut self) {
        let gz = *self.rng.pick(&[151046, 151050, 151054]);
        self.gz_entire = gz;
        let uri = |r: u32| format!("https://pkg.omnios.org/r{r}/core/");
        let main = uri(gz);
        let hist = *self.rng.pick(&[151038, 151046, 151046]);
        self.repo(&main, "omnios", &[gz], hist.min(gz));
        self.gz_pub("omnios", &main, true);
        self.main_repo_down(&main.clone());
        if self.rng.chance(40) {
            let extra = format!("https://pkg.omnios.org/r{gz}/extra/");
            self.repo(&extra, "extra.omnios", &[gz], hist.min(gz));
            self.gz_pub("extra.omnios", &extra, true);
        }
        // Older releases still served: the playbook's LTS path (other releases only as a
        // zone's own publisher, below).
        for r in [151022u32, 151030, 151038, 151046] {
            if r < gz && self.rng.chance(55) {
                let h = if r <= 151030 { 151022 } else { *self.rng.pick(&[151022, 151030]) };
                self.repo(&uri(r), "omnios", &[r], h);
            }
        }
        let n = 1 + usize::from(self.rng.chance(30));
        for i in 0..n {
            let older: Vec<u32> = [151022u32, 151030, 151038, 151046, 151050]
                .into_iter()
                .filter(|r| *r < gz)
                .collect();
            let entire = *self.rng.pick(&older);
            let own = uri(entire);
            if !self.repos.iter().any(|r| r.uri == own) && self.rng.chance(50) {
                let h = if entire <= 151030 { 151022 } else { 151030 };
                self.repo(&own, "omnios", &[entire], h);
            }
            self.zone(i, entire, "omnios", &own);
        }
    }

    fn solaris11(&mut self) {
        let gz = *self.rng.pick(&[178, 183, 183]);
        self.gz_entire = gz;
        let main = "https://pkg.oracle.com/solaris/support/";
        let hist = *self.rng.pick(&[151, 175, 178]);
        let builds: Vec<u32> = [175u32, 178, 183].into_iter().filter(|b| *b <= gz).collect();
        self.repo(main, "solaris", &builds, hist.min(gz));
        self.gz_pub("solaris", main, true);
        self.main_repo_down(main);
        let release = "http://pkg.oracle.com/solaris/release/";
        if self.rng.chance(50) {
            self.repo(release, "solaris", &[151, 175], 151);
        }
        // A site repository exists only as some zone's own publisher: zonerescue can only
        // know repositories that a publisher or the playbook names (the oracle knows them all).
        let legacy = "http://repo.example.com/s11-legacy/";
        let n = 1 + usize::from(self.rng.chance(25));
        for i in 0..n {
            // Solaris 11 zones start at 11/11 (build 175): older ones were S11 Express ipkg.
            let olders: Vec<u32> = [175u32, 178].into_iter().filter(|b| *b < gz).collect();
            let entire = *self.rng.pick(&olders);
            let (p, u) = match self.rng.below(3) {
                0 => ("site", legacy),
                1 => ("solaris", release),
                _ => ("solaris", main),
            };
            if p == "site" && !self.repos.iter().any(|r| r.uri == legacy) && self.rng.chance(80) {
                let h = *self.rng.pick(&[175, 176]);
                self.repo(legacy, "site", &[175, 178], h);
            }
            self.zone(i, entire, p, u);
        }
    }

    /// A zone at `entire` whose image points at `old_pub` = `old_uri`, with some problem
    /// packages (only those that actually bite between its build and the GZ's).
    fn zone(&mut self, i: usize, entire: u32, old_pub: &str, old_uri: &str) {
        let p = self.platform;
        let role = *self.rng.pick(&["web", "db", "app", "build", "mail"]);
        let name = format!("{role}{:02}", i + 1);
        let mut packages: Vec<String> = p.core.iter().map(|s| s.to_string()).collect();
        let problems = self.rng.below(3);
        for _ in 0..problems {
            let pr = self.rng.pick(p.problems);
            let bites = pr.removed_at.or(pr.renamed.map(|r| r.0)).unwrap_or(0);
            // A package removed or renamed before the zone's build could not be installed there.
            if bites <= entire || packages.iter().any(|x| x == pr.name) {
                continue;
            }
            if !self.pkgs.iter().any(|x| x.name == pr.name) {
                self.pkgs.push(Pkg {
                    name: pr.name.into(),
                    core: false,
                    removed_at: pr.removed_at,
                    renamed: pr.renamed.map(|(at, to)| (at, to.to_string())),
                    depends: Vec::new(),
                });
            }
            packages.push(pr.name.into());
            self.notes.push(format!("{name}: {}", pr.name));
        }
        if self.rng.chance(60) {
            let app = self.rng.pick(p.apps).to_string();
            self.pkg(&app, false);
            // A site module that needs one of the problem packages (uninstall must take both).
            if let Some(dep) = packages.iter().find(|x| !p.core.contains(&x.as_str())).cloned()
                && self.rng.chance(40)
                && app != dep
            {
                let plugin = format!("site/{}-plugin", dep.rsplit('/').next().unwrap_or("x"));
                self.pkg(&plugin, false);
                if let Some(pk) = self.pkgs.iter_mut().find(|x| x.name == plugin) {
                    pk.depends = vec![dep.clone()];
                }
                packages.push(plugin);
            }
            if !packages.contains(&app) {
                packages.push(app);
            }
        }
        let mut publishers =
            vec![Pub { name: old_pub.into(), origin: old_uri.into(), enabled: true }];
        // An internal publisher served from inside the zone or a decommissioned site server.
        if self.rng.chance(20) {
            let origin = format!("http://10.0.{}.12:10000/", 1 + self.rng.below(9));
            if self.rng.chance(50) {
                self.repos.push(Repo {
                    uri: origin.clone(),
                    publisher: "local".into(),
                    builds: Vec::new(),
                    history_from: entire,
                    reachable: false,
                });
            }
            publishers.push(Pub { name: "local".into(), origin, enabled: true });
            self.notes.push(format!("{name}: internal publisher"));
        }
        let state = if self.rng.chance(20) { "configured" } else { "installed" };
        let brand = *self.rng.pick(p.brands);
        self.zones.push(Zone { name, brand, state, entire, packages, publishers });
    }

    /// Extra GZ publishers: disabled with a dead origin (trips s11express's attach), an enabled
    /// reachable add-on, or an enabled one whose server is down.
    fn gz_extras(&mut self) {
        match self.rng.below(6) {
            0 => {
                let o = "http://pkg.example.net/extra/";
                self.repos.push(Repo {
                    uri: o.into(),
                    publisher: "extra".into(),
                    builds: Vec::new(),
                    history_from: self.gz_entire,
                    reachable: false,
                });
                self.gz_pub("extra", o, false);
                self.notes.push("disabled GZ publisher, dead origin".into());
            }
            1 => {
                self.gz_pub("mirror", "http://mirror.example.org/old/", false);
                self.notes.push("disabled GZ publisher, unknown origin".into());
            }
            2 => {
                let o = "http://pkg.example.net/site/";
                self.repos.push(Repo {
                    uri: o.into(),
                    publisher: "sitepub".into(),
                    builds: vec![self.gz_entire],
                    history_from: self.gz_entire,
                    reachable: false,
                });
                self.gz_pub("sitepub", o, true);
                self.notes.push("enabled GZ publisher, server down".into());
            }
            3 => {
                let o = "http://pkg.example.net/addons/";
                self.repo(o, "addons", &[self.gz_entire], self.gz_entire);
                self.gz_pub("addons", o, true);
                self.notes.push("enabled reachable add-on GZ publisher".into());
            }
            _ => {}
        }
    }

    /// Rarely, a core package that the new release dropped (the orphaned-core case, only
    /// image-create gets past it) in the first zone.
    fn rare_core(&mut self) {
        if !self.rng.chance(8) {
            return;
        }
        let gz = self.gz_entire;
        let Some(z) = self.zones.first_mut() else { return };
        if z.entire + 1 >= gz {
            return;
        }
        let at = z.entire + (gz - z.entire) / 2;
        let at = at.max(z.entire + 1);
        let name = "driver/xvm/pv".to_string();
        z.packages.push(name.clone());
        let core0 = self.platform.core[0];
        self.pkgs.push(Pkg {
            name: name.clone(),
            core: true,
            removed_at: Some(at),
            renamed: None,
            depends: Vec::new(),
        });
        if let Some(c) = self.pkgs.iter_mut().find(|p| p.name == core0) {
            c.depends = vec![name];
        }
        self.notes.push("orphaned core package".into());
    }

    fn render(&self, seed: u64) -> String {
        let mut t = String::new();
        let _ = writeln!(t, "# generated world, seed {seed}: {}", self.notes.join("; "));
        let _ = writeln!(t, "[scenario]\nname = \"generated world {seed}\"");
        let _ = writeln!(t, "platform = \"{}\"\n", self.platform.name);
        let _ = writeln!(t, "[global]\nbe = \"{}\"", self.platform.be);
        let _ =
            writeln!(t, "be_uuid = \"{}\"\nentire = {}\n", self.platform.be_uuid, self.gz_entire);
        for p in &self.gz_pubs {
            let _ = writeln!(t, "[[global.publishers]]\nname = \"{}\"", p.name);
            let _ = writeln!(t, "origins = [\"{}\"]", p.origin);
            if !p.enabled {
                let _ = writeln!(t, "enabled = false");
            }
            t.push('\n');
        }
        for r in &self.repos {
            let _ = writeln!(
                t,
                "[[repositories]]\nuri = \"{}\"\npublisher = \"{}\"",
                r.uri, r.publisher
            );
            let builds: Vec<String> = r.builds.iter().map(u32::to_string).collect();
            let _ =
                writeln!(t, "builds = [{}]\nhistory_from = {}", builds.join(", "), r.history_from);
            if !r.reachable {
                let _ = writeln!(t, "reachable = false");
            }
            t.push('\n');
        }
        for p in &self.pkgs {
            let _ = writeln!(t, "[[packages]]\nname = \"{}\"", p.name);
            let _ = writeln!(t, "kind = \"{}\"", if p.core { "core" } else { "app" });
            if let Some(at) = p.removed_at {
                let _ = writeln!(t, "removed_at = {at}");
            }
            if let Some((at, to)) = &p.renamed {
                let _ = writeln!(t, "renamed = {{ at = {at}, to = \"{to}\" }}");
            }
            if !p.depends.is_empty() {
                let d: Vec<String> = p.depends.iter().map(|d| format!("\"{d}\"")).collect();
                let _ = writeln!(t, "depends = [{}]", d.join(", "));
            }
            t.push('\n');
        }
        for (i, z) in self.zones.iter().enumerate() {
            let _ = writeln!(t, "[[zones]]\nname = \"{}\"\nbrand = \"{}\"", z.name, z.brand);
            let _ = writeln!(t, "zonepath = \"/zones/{}\"\nstate = \"{}\"", z.name, z.state);
            let _ = writeln!(t, "entire = {}", z.entire);
            let pk: Vec<String> = z.packages.iter().map(|p| format!("\"{p}\"")).collect();
            let _ = writeln!(t, "packages = [{}]", pk.join(", "));
            let _ = writeln!(
                t,
                "zbes = [{{ name = \"zbe\", parentbe = \"5a1e0c77-0000-4000-8000-{:012}\", active = true }}]",
                u64::from(z.entire) * 10 + i as u64
            );
            let pubs: Vec<String> = z
                .publishers
                .iter()
                .map(|p| format!("{{ name = \"{}\", origins = [\"{}\"] }}", p.name, p.origin))
                .collect();
            let _ = writeln!(t, "publishers = [{}]", pubs.join(", "));
            let _ =
                writeln!(t, "files = [{{ path = \"etc/motd\", content = \"{}\\n\" }}]\n", z.name);
        }
        t
    }
}
