//! `zfs` (reference §4.4): list, get, set, inherit, create, snapshot, rollback, destroy,
//! clone, promote on the world's datasets.

use super::getopt;
use crate::sim::faults;
use crate::sim::files;
use crate::sim::out::Output;
use crate::sim::platform::Platform;
use crate::sim::world::{Dataset, Snapshot, World};

const USAGE: &str = "usage: zfs command args ...\nwhere 'command' is one of the following:\n\n\tcreate [-p] [-o property=value] ... <filesystem>\n\tdestroy [-rRf] <filesystem|volume>\n\tdestroy [-rRd] <snapshot>\n\n\tsnapshot [-r] [-o property=value] ... <filesystem@snapname|volume@snapname>\n\trollback [-rRf] <snapshot>\n\tclone [-p] [-o property=value] ... <snapshot> <filesystem|volume>\n\tpromote <clone-filesystem>\n\n\tlist [-rH][-d max] [-o property[,...]] [-t type[,...]] [-s property] ...\n\t    [-S property] ... [filesystem|volume|snapshot] ...\n\n\tset <property=value> <filesystem|volume|snapshot> ...\n\tget [-rHp] [-d max] [-o \"all\" | field[,...]] [-s source[,...]]\n\t    <\"all\" | property[,...]> [filesystem|volume|snapshot] ...\n\tinherit [-rS] <property> <filesystem|volume|snapshot> ...\n";

fn usage(msg: &str) -> Output {
    Output::fail(2, format!("{msg}\n{USAGE}"))
}

fn no_such(name: &str) -> Output {
    Output::fail(1, format!("cannot open '{name}': dataset does not exist"))
}

pub fn run(world: &mut World, args: &[String]) -> Output {
    let Some(sub) = args.first() else { return usage("missing command") };
    let rest = &args[1..];
    let out = match sub.as_str() {
        "list" => list(world, rest),
        "get" => get(world, rest),
        "set" => set(world, rest),
        "inherit" => inherit(world, rest),
        "create" => create(world, rest),
        "snapshot" | "snap" => snapshot(world, rest),
        "rollback" => rollback(world, rest),
        "destroy" => destroy(world, rest),
        "clone" => clone(world, rest),
        "promote" => promote(world, rest),
        other => usage(&format!("unrecognized command '{other}'")),
    };
    files::sync_all(world);
    out
}

/// One row source: a dataset or one of its snapshots.
#[derive(Clone)]
enum Obj<'a> {
    Fs(&'a Dataset),
    Snap(&'a Dataset, &'a Snapshot),
}

impl Obj<'_> {
    fn name(&self) -> String {
        match self {
            Obj::Fs(d) => d.name.clone(),
            Obj::Snap(d, s) => format!("{}@{}", d.name, s.name),
        }
    }
}

fn parent_of(name: &str) -> Option<&str> {
    name.rsplit_once('/').map(|(p, _)| p)
}

/// Value and source of a dataset property (inheritance for mountpoint, zoned and user props).
fn fs_prop(world: &World, ds: &Dataset, prop: &str) -> Option<(String, String)> {
    if let Some(v) = ds.props.get(prop) {
        return Some((v.clone(), "local".into()));
    }
    let inheritable = prop == "mountpoint" || prop == "zoned" || prop.contains(':');
    if inheritable {
        let mut leaf = vec![ds.name.rsplit('/').next().unwrap_or("").to_string()];
        let mut cur = parent_of(&ds.name);
        while let Some(p) = cur {
            if let Some(pd) = world.dataset(p)
                && let Some(v) = pd.props.get(prop)
            {
                let value = if prop == "mountpoint" && v.starts_with('/') {
                    leaf.reverse();
                    format!("{}/{}", v.trim_end_matches('/'), leaf.join("/"))
                } else {
                    v.clone()
                };
                return Some((value, format!("inherited from {p}")));
            }
            leaf.push(p.rsplit('/').next().unwrap_or("").to_string());
            cur = parent_of(p);
        }
        return match prop {
            "mountpoint" => Some((format!("/{}", ds.name), "default".into())),
            "zoned" => Some(("off".into(), "default".into())),
            _ => None,
        };
    }
    let v = match prop {
        "name" => ds.name.clone(),
        "type" => "filesystem".into(),
        "canmount" => return Some(("on".into(), "default".into())),
        "used" => "1.21G".into(),
        "avail" | "available" => "12.4G".into(),
        "refer" | "referenced" => "834M".into(),
        "creation" => crate::sim::clock::date(ds.seq),
        "origin" => ds.origin.clone().unwrap_or_else(|| "-".into()),
        "mounted" => {
            let mp = fs_prop(world, ds, "mountpoint").map(|(v, _)| v).unwrap_or_default();
            let canmount = ds.props.get("canmount").map(String::as_str).unwrap_or("on");
            if canmount == "on" && mp.starts_with('/') && mp != "/"
                || ds.name.starts_with("rpool/ROOT/")
            {
                "yes".into()
            } else {
                "no".into()
            }
        }
        "compression" => return Some(("off".into(), "default".into())),
        _ => return None,
    };
    Some((v, "-".into()))
}

fn prop(world: &World, obj: &Obj, p: &str) -> Option<(String, String)> {
    match obj {
        Obj::Fs(d) => fs_prop(world, d, p),
        Obj::Snap(d, s) => {
            if let Some(v) = s.props.get(p) {
                return Some((v.clone(), "local".into()));
            }
            match p {
                "name" => Some((obj.name(), "-".into())),
                "type" => Some(("snapshot".into(), "-".into())),
                "used" => Some(("0".into(), "-".into())),
                "refer" | "referenced" => Some(("834M".into(), "-".into())),
                "creation" => Some((crate::sim::clock::date(s.seq), "-".into())),
                "avail" | "available" | "mountpoint" | "canmount" | "origin" | "mounted" => {
                    Some(("-".into(), "-".into()))
                }
                _ if p.contains(':') => fs_prop(world, d, p).map(|(v, src)| {
                    let src =
                        if src == "local" { format!("inherited from {}", d.name) } else { src };
                    (v, src)
                }),
                _ => None,
            }
        }
    }
}

fn sort_key(name: &str) -> Vec<String> {
    name.split('/').map(str::to_string).collect()
}

/// Objects selected by targets, -r/-d and -t.
fn select<'a>(
    world: &'a World,
    targets: &[String],
    recurse: bool,
    depth: Option<usize>,
    fs: bool,
    snaps: bool,
) -> Result<Vec<Obj<'a>>, Output> {
    let mut datasets: Vec<&Dataset> = world.datasets.iter().collect();
    datasets.sort_by_key(|d| sort_key(&d.name));
    let mut out = Vec::new();
    let push_ds = |out: &mut Vec<Obj<'a>>, d: &'a Dataset, with_snaps: bool| {
        if fs {
            out.push(Obj::Fs(d));
        }
        if with_snaps {
            let mut ss: Vec<&Snapshot> = d.snapshots.iter().collect();
            ss.sort_by_key(|s| s.seq);
            out.extend(ss.into_iter().map(|s| Obj::Snap(d, s)));
        }
    };
    if targets.is_empty() {
        for d in datasets {
            push_ds(&mut out, d, snaps);
        }
        return Ok(out);
    }
    for t in targets {
        if let Some((ds, snap)) = t.split_once('@') {
            let d = world.dataset(ds).ok_or_else(|| no_such(t))?;
            let s = d.snapshots.iter().find(|s| s.name == snap).ok_or_else(|| no_such(t))?;
            out.push(Obj::Snap(d, s));
            continue;
        }
        let root = world.dataset(t).ok_or_else(|| no_such(t))?;
        let depth_of = |n: &str| n.matches('/').count() - root.name.matches('/').count();
        for d in &datasets {
            let under = d.name == root.name || d.name.starts_with(&format!("{}/", root.name));
            if !under {
                continue;
            }
            let dd = depth_of(&d.name);
            let within = if let Some(max) = depth { dd <= max } else { recurse || dd == 0 };
            if !within {
                continue;
            }
            // Snapshots of the target itself are listed when only snapshots are asked for.
            let with_snaps = snaps && (recurse || depth.is_some_and(|m| dd < m || dd == 0) || !fs);
            push_ds(&mut out, d, with_snaps);
        }
    }
    Ok(out)
}

fn types(spec: Option<&str>) -> (bool, bool) {
    match spec {
        None => (true, false),
        Some(s) => {
            let parts: Vec<&str> = s.split(',').collect();
            let all = parts.contains(&"all");
            (
                all || parts.contains(&"filesystem"),
                all || parts.iter().any(|p| *p == "snapshot" || *p == "snap"),
            )
        }
    }
}

fn table(rows: Vec<Vec<String>>, header: Option<Vec<String>>, right: &[bool]) -> Vec<String> {
    match header {
        None => rows.into_iter().map(|r| r.join("\t")).collect(),
        Some(h) => {
            let mut all = vec![h];
            all.extend(rows);
            let n = all.first().map(Vec::len).unwrap_or(0);
            let widths: Vec<usize> = (0..n)
                .map(|c| {
                    all.iter().map(|r| r.get(c).map(String::len).unwrap_or(0)).max().unwrap_or(0)
                })
                .collect();
            all.iter()
                .map(|r| {
                    let cells: Vec<String> = r
                        .iter()
                        .enumerate()
                        .map(|(c, v)| {
                            let w = widths.get(c).copied().unwrap_or(0);
                            if c + 1 == n && !right.get(c).copied().unwrap_or(false) {
                                v.clone()
                            } else if right.get(c).copied().unwrap_or(false) {
                                format!("{v:>w$}")
                            } else {
                                format!("{v:<w$}")
                            }
                        })
                        .collect();
                    cells.join("  ").trim_end().to_string()
                })
                .collect()
        }
    }
}

fn list(world: &mut World, rest: &[String]) -> Output {
    let p = match getopt::parse(rest, "rHpd:o:t:s:S:", &[], false) {
        Ok(p) => p,
        Err(e) => return usage(&e),
    };
    let depth = match p.value("d").map(str::parse::<usize>) {
        Some(Ok(d)) => Some(d),
        Some(Err(_)) => return usage("invalid depth"),
        None => None,
    };
    let (fs, snaps) = types(p.value("t"));
    let cols: Vec<String> = p
        .value("o")
        .unwrap_or("name,used,avail,refer,mountpoint")
        .split(',')
        .map(|s| s.trim().to_string())
        .collect();
    for c in &cols {
        if !c.contains(':') && !KNOWN.contains(&c.as_str()) {
            return usage(&format!("bad property list: invalid property '{c}'"));
        }
    }
    let objs = match select(world, &p.operands, p.has("r"), depth, fs, snaps) {
        Ok(o) => o,
        Err(o) => return o,
    };
    let rows: Vec<Vec<String>> = objs
        .iter()
        .map(|o| {
            cols.iter()
                .map(|c| prop(world, o, c).map(|(v, _)| v).unwrap_or_else(|| "-".into()))
                .collect()
        })
        .collect();
    let mut out = Output::ok();
    if rows.is_empty() && !p.has("H") {
        out.eline("no datasets available");
        return out;
    }
    let header = (!p.has("H")).then(|| cols.iter().map(|c| c.to_uppercase()).collect());
    let right: Vec<bool> = cols
        .iter()
        .map(|c| matches!(c.as_str(), "used" | "avail" | "available" | "refer" | "referenced"))
        .collect();
    out.lines(table(rows, header, &right));
    out
}

const KNOWN: [&str; 15] = [
    "name",
    "type",
    "used",
    "avail",
    "available",
    "refer",
    "referenced",
    "mountpoint",
    "canmount",
    "zoned",
    "creation",
    "origin",
    "mounted",
    "compression",
    "all",
];

fn get(world: &mut World, rest: &[String]) -> Output {
    let p = match getopt::parse(rest, "rHpd:o:s:", &[], false) {
        Ok(p) => p,
        Err(e) => return usage(&e),
    };
    let Some((props, targets)) = p.operands.split_first() else {
        return usage("missing property argument");
    };
    let fields: Vec<String> = p
        .value("o")
        .unwrap_or("name,property,value,source")
        .split(',')
        .map(str::to_string)
        .collect();
    let sources: Option<Vec<&str>> = p.value("s").map(|s| s.split(',').collect());
    let depth = p.value("d").and_then(|d| d.parse().ok());
    let objs = match select(world, targets, p.has("r"), depth, true, p.has("r") || depth.is_some())
    {
        Ok(o) => o,
        Err(o) => return o,
    };
    let names: Vec<String> = if props == "all" {
        ["type", "creation", "used", "avail", "refer", "mountpoint", "canmount", "zoned", "mounted"]
            .iter()
            .map(|s| s.to_string())
            .collect()
    } else {
        props.split(',').map(str::to_string).collect()
    };
    let mut rows = Vec::new();
    for o in &objs {
        for n in &names {
            let (v, src) = match prop(world, o, n) {
                Some(x) => x,
                None if n.contains(':') => ("-".into(), "-".into()),
                None => return usage(&format!("bad property list: invalid property '{n}'")),
            };
            let kind = if src.starts_with("inherited") { "inherited" } else { src.as_str() };
            if let Some(ss) = &sources
                && !ss.contains(&kind)
            {
                continue;
            }
            let row: Vec<String> = fields
                .iter()
                .map(|f| match f.as_str() {
                    "name" => o.name(),
                    "property" => n.clone(),
                    "value" => v.clone(),
                    "source" => src.clone(),
                    _ => "-".into(),
                })
                .collect();
            rows.push(row);
        }
    }
    let mut out = Output::ok();
    let header = (!p.has("H")).then(|| fields.iter().map(|f| f.to_uppercase()).collect());
    out.lines(table(rows, header, &[]));
    out
}

const READONLY: [&str; 8] =
    ["used", "avail", "available", "refer", "referenced", "creation", "type", "origin"];

fn set(world: &mut World, rest: &[String]) -> Output {
    let p = match getopt::parse(rest, "rc", &[], false) {
        Ok(p) => p,
        Err(e) => return usage(&e),
    };
    let Some((assign, targets)) = p.operands.split_first() else {
        return usage("missing property=value argument");
    };
    let Some((k, v)) = assign.split_once('=') else {
        return usage("missing '=' for set argument");
    };
    if targets.is_empty() {
        return usage("missing dataset name");
    }
    if READONLY.contains(&k) {
        return Output::fail(
            1,
            format!("cannot set property for '{}': '{k}' is readonly", targets[0]),
        );
    }
    if !k.contains(':') && !KNOWN.contains(&k) {
        return Output::fail(
            2,
            format!("cannot set property for '{}': invalid property '{k}'", targets[0]),
        );
    }
    for t in targets {
        if let Some((ds, snap)) = t.split_once('@') {
            let Some(s) =
                world.dataset_mut(ds).and_then(|d| d.snapshots.iter_mut().find(|s| s.name == snap))
            else {
                return no_such(t);
            };
            s.props.insert(k.into(), v.into());
        } else {
            let Some(d) = world.dataset_mut(t) else { return no_such(t) };
            d.props.insert(k.into(), v.into());
        }
    }
    Output::ok()
}

fn inherit(world: &mut World, rest: &[String]) -> Output {
    let p = match getopt::parse(rest, "rS", &[], false) {
        Ok(p) => p,
        Err(e) => return usage(&e),
    };
    let Some((k, targets)) = p.operands.split_first() else {
        return usage("missing property argument");
    };
    for t in targets {
        let names: Vec<String> = world
            .datasets
            .iter()
            .filter(|d| d.name == *t || p.has("r") && d.name.starts_with(&format!("{t}/")))
            .map(|d| d.name.clone())
            .collect();
        if names.is_empty() {
            return no_such(t);
        }
        for n in names {
            if let Some(d) = world.dataset_mut(&n) {
                d.props.remove(k);
            }
        }
    }
    Output::ok()
}

fn create(world: &mut World, rest: &[String]) -> Output {
    let p = match getopt::parse(rest, "po:", &[], false) {
        Ok(p) => p,
        Err(e) => return usage(&e),
    };
    let Some(name) = p.operands.first() else { return usage("missing filesystem argument") };
    if world.dataset(name).is_some() {
        return Output::fail(1, format!("cannot create '{name}': dataset already exists"));
    }
    match parent_of(name) {
        Some(parent) if world.dataset(parent).is_none() && !p.has("p") => {
            return Output::fail(1, format!("cannot create '{name}': parent does not exist"));
        }
        _ => {}
    }
    let props: Vec<(String, String)> = p
        .values("o")
        .iter()
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let mut missing = Vec::new();
    let mut cur = parent_of(name);
    while let Some(c) = cur {
        if world.dataset(c).is_none() {
            missing.push(c.to_string());
        }
        cur = parent_of(c);
    }
    for m in missing.iter().rev() {
        world.add_dataset(m, &[], None);
    }
    let refs: Vec<(&str, &str)> = props.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    world.add_dataset(name, &refs, None);
    Output::ok()
}

fn split_snap(t: &str) -> Option<(&str, &str)> {
    t.split_once('@').filter(|(d, s)| !d.is_empty() && !s.is_empty())
}

fn snapshot(world: &mut World, rest: &[String]) -> Output {
    let p = match getopt::parse(rest, "ro:", &[], false) {
        Ok(p) => p,
        Err(e) => return usage(&e),
    };
    if p.operands.is_empty() {
        return usage("missing snapshot argument");
    }
    let props: Vec<(String, String)> = p
        .values("o")
        .iter()
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    for t in &p.operands {
        let Some((ds, snap)) = split_snap(t) else {
            return Output::fail(
                1,
                format!("cannot create snapshot '{t}': missing '@' delimiter in snapshot name"),
            );
        };
        if world.dataset(ds).is_none() {
            return Output::fail(
                1,
                format!(
                    "cannot open '{ds}': dataset does not exist\nusage:\n\tsnapshot [-r] [-o property=value] ... <filesystem@snapname|volume@snapname>"
                ),
            );
        }
        if faults::take_kind(world, "out-of-space", None) {
            return Output::fail(1, format!("cannot create snapshot '{t}': out of space"));
        }
        let targets: Vec<String> = world
            .datasets
            .iter()
            .filter(|d| d.name == ds || p.has("r") && d.name.starts_with(&format!("{ds}/")))
            .map(|d| d.name.clone())
            .collect();
        for n in &targets {
            if world.dataset(n).is_some_and(|d| d.snapshots.iter().any(|s| s.name == snap)) {
                return Output::fail(
                    1,
                    format!("cannot create snapshot '{n}@{snap}': dataset already exists"),
                );
            }
        }
        let cost = world.costs.snapshot;
        world.charge(cost);
        for n in targets {
            let seq = world.next_seq();
            let Some(d) = world.dataset_mut(&n) else { continue };
            let image = d.image.clone();
            d.snapshots.push(Snapshot {
                name: snap.to_string(),
                props: props.iter().cloned().collect(),
                image: image.clone(),
                seq,
            });
            if let Some(img) = image {
                files::write_snapshot(world, &n, snap, &img);
            }
        }
    }
    Output::ok()
}

fn rollback(world: &mut World, rest: &[String]) -> Output {
    let p = match getopt::parse(rest, "rRf", &[], false) {
        Ok(p) => p,
        Err(e) => return usage(&e),
    };
    let Some(t) = p.operands.first() else { return usage("missing dataset argument") };
    let Some((ds, snap)) = split_snap(t) else { return usage(&format!("'{t}' is not a snapshot")) };
    let Some(d) = world.dataset(ds) else { return no_such(t) };
    let Some(s) = d.snapshots.iter().find(|s| s.name == snap) else { return no_such(t) };
    let newer: Vec<String> =
        d.snapshots.iter().filter(|x| x.seq > s.seq).map(|x| x.name.clone()).collect();
    let image = s.image.clone();
    // Clones of the snapshots `-r` would destroy: `-r` refuses, `-R` destroys them too
    // (illumos/OpenSolaris `usr/src/cmd/zfs/zfs_main.c` rollback_check_dependent; not in the
    // reference, whose §4.4 gives only the syntax).
    let origins: Vec<String> = newer.iter().map(|n| format!("{ds}@{n}")).collect();
    let clones = dependents(world, &origins);
    if p.has("r") && !p.has("R") && !clones.is_empty() {
        return Output::fail(
            1,
            format!(
                "cannot rollback to '{t}': clones of previous snapshots exist\nuse '-R' to force deletion of the following clones and dependents:\n{}",
                clones.join("\n")
            ),
        );
    }
    if !(newer.is_empty() || p.has("r") || p.has("R")) {
        let (what, list_what) = if world.platform.is_illumos() {
            (
                "more recent snapshots or bookmarks exist",
                "use '-r' to force deletion of the following snapshots and bookmarks:",
            )
        } else {
            (
                "more recent snapshots exist",
                "use '-r' to force deletion of the following snapshots:",
            )
        };
        let names: Vec<String> = newer.iter().map(|n| format!("{ds}@{n}")).collect();
        return Output::fail(
            1,
            format!("cannot rollback to '{t}': {what}\n{list_what}\n{}", names.join("\n")),
        );
    }
    let cost = world.costs.rollback;
    world.charge(cost);
    for c in &clones {
        let snaps: Vec<String> = world
            .dataset(c)
            .map(|d| d.snapshots.iter().map(|s| s.name.clone()).collect())
            .unwrap_or_default();
        for sn in snaps {
            files::remove_snapshot(world, c, &sn);
        }
        world.datasets.retain(|d| d.name != *c && !d.name.starts_with(&format!("{c}/")));
    }
    for n in &newer {
        files::remove_snapshot(world, ds, n);
    }
    if let Some(d) = world.dataset_mut(ds) {
        d.snapshots.retain(|x| !newer.contains(&x.name));
        d.image = image;
    }
    Output::ok()
}

fn destroy(world: &mut World, rest: &[String]) -> Output {
    let p = match getopt::parse(rest, "rRfdnpv", &[], false) {
        Ok(p) => p,
        Err(e) => return usage(&e),
    };
    let Some(t) = p.operands.first() else { return usage("missing dataset argument") };
    let recursive = p.has("r") || p.has("R");
    if let Some((ds, snap)) = split_snap(t) {
        let targets: Vec<String> = world
            .datasets
            .iter()
            .filter(|d| d.name == ds || recursive && d.name.starts_with(&format!("{ds}/")))
            .filter(|d| d.snapshots.iter().any(|s| s.name == snap))
            .map(|d| d.name.clone())
            .collect();
        if !targets.contains(&ds.to_string()) {
            return Output::fail(
                1,
                "could not find any snapshots to destroy; check snapshot names.",
            );
        }
        let full = t.clone();
        if let Some(clone) =
            world.datasets.iter().find(|d| d.origin.as_deref() == Some(full.as_str()))
        {
            return Output::fail(
                1,
                format!(
                    "cannot destroy '{t}': snapshot has dependent clones\nuse '-R' to destroy the following datasets:\n{}",
                    clone.name
                ),
            );
        }
        for n in targets {
            files::remove_snapshot(world, &n, snap);
            if let Some(d) = world.dataset_mut(&n) {
                d.snapshots.retain(|s| s.name != snap);
            }
        }
        return Output::ok();
    }
    let Some(d) = world.dataset(t) else { return no_such(t) };
    let children: Vec<String> = world
        .datasets
        .iter()
        .filter(|c| c.name.starts_with(&format!("{t}/")))
        .map(|c| c.name.clone())
        .collect();
    let snaps: Vec<String> = d.snapshots.iter().map(|s| format!("{t}@{}", s.name)).collect();
    if (!children.is_empty() || !snaps.is_empty()) && !recursive {
        let mut listed = snaps.clone();
        listed.extend(children.clone());
        return Output::fail(
            1,
            format!(
                "cannot destroy '{t}': filesystem has children\nuse '-r' to destroy the following datasets:\n{}",
                listed.join("\n")
            ),
        );
    }
    let root = t.clone();
    world.datasets.retain(|c| c.name != root && !c.name.starts_with(&format!("{root}/")));
    Output::ok()
}

fn clone(world: &mut World, rest: &[String]) -> Output {
    let p = match getopt::parse(rest, "pKo:", &[], false) {
        Ok(p) => p,
        Err(e) => return usage(&e),
    };
    let [src, dst] = p.operands.as_slice() else {
        return usage("missing source or target dataset");
    };
    let Some((ds, snap)) = split_snap(src) else {
        return usage(&format!("'{src}' is not a snapshot"));
    };
    let Some(image) = world
        .dataset(ds)
        .and_then(|d| d.snapshots.iter().find(|s| s.name == snap))
        .map(|s| s.image.clone())
    else {
        return no_such(src);
    };
    if world.dataset(dst).is_some() {
        return Output::fail(1, format!("cannot create '{dst}': dataset already exists"));
    }
    if faults::take_kind(world, "out-of-space", None) {
        return Output::fail(1, format!("cannot create '{dst}': out of space"));
    }
    let cost = world.costs.clone;
    world.charge(cost);
    let props: Vec<(String, String)> = p
        .values("o")
        .iter()
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let refs: Vec<(&str, &str)> = props.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    world.add_dataset(dst, &refs, image);
    if let Some(d) = world.dataset_mut(dst) {
        d.origin = Some(src.clone());
    }
    Output::ok()
}

/// The clones of the snapshots `origins` (full names), and theirs in turn: what `-R` destroys.
fn dependents(world: &World, origins: &[String]) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    let mut frontier: Vec<String> = origins.to_vec();
    while let Some(o) = frontier.pop() {
        let clones: Vec<&str> = world
            .datasets
            .iter()
            .filter(|d| d.origin.as_deref() == Some(o.as_str()))
            .map(|d| d.name.as_str())
            .collect();
        // A clone goes with its descendants, and every clone of their snapshots goes too
        // (libzfs iterates dependents recursively: `zfs_iter_dependents(…, B_TRUE, …)`).
        for c in clones {
            for d in world
                .datasets
                .iter()
                .filter(|d| d.name == c || d.name.starts_with(&format!("{c}/")))
            {
                if !found.contains(&d.name) {
                    found.push(d.name.clone());
                    frontier.extend(d.snapshots.iter().map(|s| format!("{}@{}", d.name, s.name)));
                }
            }
        }
    }
    found
}

/// `zfs promote CLONE`: the origin's snapshots up to the clone point move to the clone, which
/// stops being a clone; the origin (and every other clone of a moved snapshot) now depends on
/// the clone's copy of the snapshot.
pub(crate) fn promote(world: &mut World, rest: &[String]) -> Output {
    let Some(t) = rest.first() else { return usage("missing clone filesystem argument") };
    let Some(origin) = world.dataset(t).map(|d| d.origin.clone()) else { return no_such(t) };
    let Some(origin) = origin else {
        return Output::fail(1, format!("cannot promote '{t}': not a cloned filesystem"));
    };
    let Some((ods, osnap)) = split_snap(&origin).map(|(a, b)| (a.to_string(), b.to_string()))
    else {
        return no_such(&origin);
    };
    let moved: Vec<Snapshot> = match world.dataset(&ods) {
        Some(d) => {
            let cut = d.snapshots.iter().find(|s| s.name == osnap).map(|s| s.seq).unwrap_or(0);
            d.snapshots.iter().filter(|s| s.seq <= cut).cloned().collect()
        }
        None => Vec::new(),
    };
    if let Some(d) = world.dataset_mut(&ods) {
        d.snapshots.retain(|s| !moved.iter().any(|m| m.name == s.name));
        d.origin = Some(format!("{t}@{osnap}"));
    }
    for d in world.datasets.iter_mut().filter(|d| d.name != *t) {
        let renamed = d
            .origin
            .as_deref()
            .and_then(split_snap)
            .filter(|(o, sn)| *o == ods && moved.iter().any(|m| m.name == *sn))
            .map(|(_, sn)| format!("{t}@{sn}"));
        if renamed.is_some() {
            d.origin = renamed;
        }
    }
    if let Some(d) = world.dataset_mut(t) {
        d.origin = None;
        let mut all = moved;
        all.append(&mut d.snapshots);
        d.snapshots = all;
    }
    let _ = Platform::OmniOS;
    Output::ok()
}
