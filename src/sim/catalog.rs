//! What the publishers' catalogs list for a package (`pkg list -a`, `-n`, `-af`): every build a
//! repository carries it at, plus the obsoletion or rename record a repository publishes at the
//! build where the package was removed or renamed — when it still keeps records from that far
//! back (`history_from`), as the solver assumes too.

use crate::sim::solver;
use crate::sim::world::{Publisher, World};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CatalogState {
    Normal,
    Obsolete,
    Renamed,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CatalogEntry {
    pub build: u32,
    pub publisher: String,
    pub state: CatalogState,
}

/// Catalog entries for `name` from the enabled publishers in `pubs` whose repositories the
/// world describes as reachable (the cached catalogs; no contact is counted).
pub fn entries(world: &World, pubs: &[Publisher], name: &str) -> Vec<CatalogEntry> {
    let def = world.package_def(name);
    let mut out = Vec::new();
    if !exists(world, name) {
        return out;
    }
    for p in pubs.iter().filter(|p| p.enabled) {
        for repo in p.origins.iter().filter_map(|o| world.repository(o)).filter(|r| r.reachable) {
            let entry = |build, state| CatalogEntry { build, publisher: p.name.clone(), state };
            for &b in &repo.builds {
                if solver::carries(world, &repo.uri, name, b) {
                    out.push(entry(b, CatalogState::Normal));
                }
            }
            let keeps = |at: u32| {
                repo.builds.iter().any(|&b| b >= at) && repo.history_from.is_none_or(|h| h <= at)
            };
            if let Some(at) = def.and_then(|d| d.removed_at).filter(|&at| keeps(at)) {
                out.push(entry(at, CatalogState::Obsolete));
            }
            if let Some(at) =
                def.and_then(|d| d.renamed.as_ref()).map(|r| r.0).filter(|&at| keeps(at))
            {
                out.push(entry(at, CatalogState::Renamed));
            }
        }
    }
    out.sort_by_key(|e| e.build);
    out.dedup_by(|a, b| a.build == b.build && a.state == b.state);
    out
}

/// The newest of `entries` (a record at the same build as a package version wins: it is what
/// pkg published last).
pub fn newest(entries: &[CatalogEntry]) -> Option<&CatalogEntry> {
    entries.iter().max_by_key(|e| (e.build, e.state != CatalogState::Normal))
}

/// Every package name any catalog of `pubs` could list (for `pkg list -n` without operands).
pub fn known_names(world: &World, pubs: &[Publisher]) -> Vec<String> {
    let mut names: Vec<String> = world
        .packages
        .iter()
        .flat_map(|d| std::iter::once(d.name.clone()).chain(d.renamed.iter().map(|r| r.1.clone())))
        .chain(std::iter::once("entire".to_string()))
        .filter(|n| !entries(world, pubs, n).is_empty())
        .collect();
    names.sort();
    names.dedup();
    names
}

/// A name the world knows: `entire` (every repository carries it at each of its builds),
/// described by the scenario, a rename target, or installed in some image (the scenario's
/// undescribed packages float and every repository carries them).
fn exists(world: &World, name: &str) -> bool {
    if name == "entire" {
        return true;
    }
    let installed = |img: &crate::sim::world::Image| img.packages.iter().any(|p| p.name == name);
    world.package_def(name).is_some()
        || world.packages.iter().any(|d| d.renamed.as_ref().is_some_and(|r| r.1 == name))
        || installed(&world.global.image)
        || world.datasets.iter().filter_map(|d| d.image.as_ref()).any(installed)
}
