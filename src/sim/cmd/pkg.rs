//! `pkg` (reference §3): the global-zone image without `-R`, a zone root with `-R`.

use super::getopt;
use crate::sim::catalog;
use crate::sim::faults;
use crate::sim::out::Output;
use crate::sim::pkgfmt;
use crate::sim::pkgops::{self, ImageRef, InstallOpts, Target};
use crate::sim::platform::Platform;
use crate::sim::solver;
use crate::sim::world::{Publisher, World};

fn usage(cmd: &str, msg: &str, synopsis: &str) -> Output {
    Output::fail(2, format!("pkg {cmd}: {msg}\nUsage:\n        pkg {cmd} {synopsis}"))
}

const USAGES: &[(&str, &str)] = &[
    (
        "install",
        "[-nvq] [--accept] [--no-refresh] [--reject pkg_fmri_pattern ... ] pkg_fmri_pattern ...",
    ),
    ("uninstall", "[-nvq] pkg_fmri_pattern ..."),
    (
        "update",
        "[-fnvq] [--accept] [--no-refresh] [--reject pkg_fmri_pattern ...] [pkg_fmri_pattern ...]",
    ),
    ("list", "[-Hafnqsuv] [pkg_fmri_pattern ...]"),
    ("info", "[-lr] [pkg_fmri_pattern ...]"),
    ("publisher", "[-HPn] [-F format] [publisher ...]"),
    (
        "set-publisher",
        "[-Pedv] [-k ssl_key] [-c ssl_cert] [-O origin_to_set] [-g origin_to_add] [-G origin_to_remove] [--enable] [--disable] [--no-refresh] [--non-sticky] [--sticky] [--search-first] [--set-property name_of_property=value] [--add-property-value name_of_property=value_to_add] [--remove-property-value name_of_property=value_to_remove] [--unset-property name_of_property_to_delete] [--proxy proxy to use] [publisher]",
    ),
    ("unset-publisher", "publisher ..."),
    ("refresh", "[--full] [publisher ...]"),
    (
        "image-create",
        "[-FPUfz] [--force] [--full|--partial|--user] [--zone] [--no-refresh] [(-p|--publisher) [<name>=]<repo_uri>] dir",
    ),
    ("variant", "[-H] [<variant_spec>]"),
    ("history", "[-Hl] [-n number]"),
    ("copy-publishers-from", "<dir>"),
    ("set-property", "propname propvalue"),
];

fn synopsis(cmd: &str) -> &'static str {
    USAGES.iter().find(|(c, _)| *c == cmd).map(|(_, s)| *s).unwrap_or("")
}

fn top_usage(msg: &str) -> Output {
    let mut text = format!(
        "pkg: {msg}\nUsage:\n        pkg [options] command [cmd_options] [operands]\n\nBasic subcommands:\n"
    );
    for (c, s) in USAGES {
        text.push_str(&format!("        pkg {c} {s}\n"));
    }
    text.push_str("\nOptions:\n        -R dir\n");
    Output::fail(2, text)
}

/// Runs `pkg ARGS` on the world.
pub fn run(world: &mut World, args: &[String]) -> Output {
    let mut root: Option<String> = None;
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "-R" => {
                root = args.get(i + 1).cloned();
                if root.is_none() {
                    return top_usage("option requires an argument -- R");
                }
                i += 2;
            }
            a if a.starts_with("-R") && a.len() > 2 => {
                root = Some(a[2..].to_string());
                i += 1;
            }
            "-?" | "--help" => return top_usage("help"),
            a if a.starts_with('-') => {
                return top_usage(&format!(
                    "illegal global option -- {}",
                    a.trim_start_matches('-')
                ));
            }
            _ => break,
        }
    }
    let Some(sub) = args.get(i) else { return top_usage("no subcommand specified") };
    let sub = if sub == "image-update" { "update".to_string() } else { sub.clone() };
    let rest = &args[i + 1..];
    let (iref, root_dir) = match &root {
        None => (ImageRef::Global, "/".to_string()),
        // The global zone's own root: `/` (as zoneadm lists it) or DIR itself.
        Some(dir)
            if dir.trim_end_matches('/').is_empty() || std::path::Path::new(dir) == world.root =>
        {
            (ImageRef::Global, "/".to_string())
        }
        Some(dir) => match world.zone_by_root(dir) {
            Some(z) if world.zone_image(z).is_some() && world.root_mounted(z) => {
                (ImageRef::Zone(z.name.clone()), dir.trim_end_matches('/').to_string())
            }
            _ if sub == "image-create" => (ImageRef::Global, dir.clone()),
            _ => return Output::fail(1, format!("pkg: No image rooted at '{dir}'")),
        },
    };
    let zone_name = match &iref {
        ImageRef::Zone(z) => Some(z.clone()),
        ImageRef::Global => None,
    };
    if is_mutating(&sub) && faults::take_kind(world, "image-locked", zone_name.as_deref()) {
        return image_in_use();
    }
    match sub.as_str() {
        "publisher" => publisher(world, &iref, rest),
        "set-publisher" => set_publisher(world, &iref, rest),
        "unset-publisher" => unset_publisher(world, &iref, rest),
        "copy-publishers-from" => copy_publishers_from(world, &iref, rest),
        "set-property" => set_property(world, &iref, rest),
        "refresh" => refresh(world, &iref, rest),
        "install" | "update" => install(world, &iref, &root_dir, &sub, rest),
        "uninstall" => uninstall(world, &iref, &root_dir, rest),
        "image-create" => image_create(world, rest),
        "list" => list(world, &iref, rest),
        "info" => info(world, &iref, rest),
        "variant" => variant(world, &iref, rest),
        "history" => history(world, &iref, rest),
        other => top_usage(&format!("unknown subcommand '{other}'")),
    }
}

/// Subcommands that change the image, and so take pkg's image lock for their whole run.
pub fn is_mutating(sub: &str) -> bool {
    matches!(
        sub,
        "install"
            | "uninstall"
            | "update"
            | "image-update"
            | "set-publisher"
            | "unset-publisher"
            | "refresh"
            | "image-create"
            | "copy-publishers-from"
            | "set-property"
    )
}

/// pkg's refusal when another client holds the image lock (exit 7).
pub fn image_in_use() -> Output {
    Output::fail(
        7,
        format!(
            "pkg: The image cannot be modified as it is currently in use by another package client: pkg on {}, pid 4242.",
            hostname()
        ),
    )
}

fn hostname() -> &'static str {
    "zonesim"
}

fn parse(cmd: &str, rest: &[String], short: &str, long: &[&str]) -> Result<getopt::Parsed, Output> {
    getopt::parse(rest, short, long, false).map_err(|e| usage(cmd, &e, synopsis(cmd)))
}

fn image(world: &World, r: &ImageRef) -> crate::sim::world::Image {
    pkgops::get(world, r).unwrap_or_else(|| world.global.image.clone())
}

fn publisher(world: &mut World, r: &ImageRef, rest: &[String]) -> Output {
    let p = match parse("publisher", rest, "HPnF:", &["no-header"]) {
        Ok(p) => p,
        Err(o) => return o,
    };
    let img = image(world, r);
    let mut pubs: Vec<Publisher> = img.publishers.clone();
    if p.has("n") {
        pubs.retain(|x| x.enabled);
    }
    if p.has("P") {
        pubs.truncate(1);
    }
    if !p.operands.is_empty() {
        for name in &p.operands {
            if !pubs.iter().any(|x| &x.name == name) {
                return Output::fail(1, format!("pkg publisher: Unknown publisher '{name}'."));
            }
        }
        pubs.retain(|x| p.operands.contains(&x.name));
        if p.value("F").is_none() && !p.has("H") {
            let mut out = Output::ok();
            for x in &pubs {
                out.lines(pkgfmt::publisher_detail(x, world.clock_s));
            }
            return out;
        }
    }
    let header = !p.has("H");
    let mut out = Output::ok();
    match p.value("F") {
        Some("tsv") => out.lines(pkgfmt::publisher_tsv(world.platform, &pubs, header)),
        Some("default") | None => out.lines(pkgfmt::publisher_table(world.platform, &pubs, header)),
        Some(other) => {
            return usage(
                "publisher",
                &format!("Unrecognized format {other}. Supported formats: default, tsv"),
                synopsis("publisher"),
            );
        }
    }
    out
}

/// `--set-property` replaces a value; `--add-property-value` / `--remove-property-value` edit
/// a list value, kept as pkg prints it (`['a', 'b']`). Only `signature-policy`'s values are
/// checked (the ones pkg(1) lists).
fn set_publisher_property(
    p: &mut Publisher,
    opt: &str,
    key: &str,
    value: &str,
) -> Result<(), String> {
    const POLICIES: [&str; 4] = ["ignore", "verify", "require-signatures", "require-names"];
    if key == "signature-policy" && !POLICIES.contains(&value) {
        return Err(format!("{value} is an invalid value for signature-policy."));
    }
    let at = p.properties.iter().position(|(k, _)| k == key);
    let list = |v: Option<&String>| -> Vec<String> {
        let inner = v.map(|v| v.trim_start_matches('[').trim_end_matches(']')).unwrap_or("");
        inner
            .split(", ")
            .filter(|x| !x.is_empty())
            .map(|x| x.trim_matches('\'').to_string())
            .collect()
    };
    let new = match opt {
        "set-property" => value.to_string(),
        _ => {
            let mut items = list(at.map(|i| &p.properties[i].1));
            if opt == "add-property-value" {
                if !items.iter().any(|x| x == value) {
                    items.push(value.to_string());
                }
            } else if let Some(i) = items.iter().position(|x| x == value) {
                items.remove(i);
            } else {
                return Err(format!("{value} is not a value of {key}."));
            }
            let quoted: Vec<String> = items.iter().map(|x| format!("'{x}'")).collect();
            format!("[{}]", quoted.join(", "))
        }
    };
    match at {
        Some(i) => p.properties[i].1 = new,
        None => p.properties.push((key.to_string(), new)),
    }
    Ok(())
}

fn set_publisher(world: &mut World, r: &ImageRef, rest: &[String]) -> Output {
    let long = [
        "origin-uri=",
        "add-origin=",
        "remove-origin=",
        "enable",
        "disable",
        "no-refresh",
        "non-sticky",
        "sticky",
        "search-first",
        "search-before=",
        "search-after=",
        "reset-uuid",
        "proxy=",
        "set-property=",
        "add-property-value=",
        "remove-property-value=",
        "unset-property=",
    ];
    let p = match parse("set-publisher", rest, "O:g:G:m:M:p:k:c:Pedv", &long) {
        Ok(p) => p,
        Err(o) => return o,
    };
    let Some(name) = p.operands.first().cloned() else {
        return usage("set-publisher", "requires a publisher name", synopsis("set-publisher"));
    };
    let mut img = image(world, r);
    let existing = img.publishers.iter().position(|x| x.name == name);
    let mut pubr = existing.and_then(|i| img.publishers.get(i).cloned()).unwrap_or(Publisher {
        name: name.clone(),
        origins: Vec::new(),
        enabled: true,
        sticky: true,
        ..Default::default()
    });
    if pubr.syspub {
        // UNVERIFIED text of ModifyingSyspubException (reference §3.4).
        return Output::fail(
            1,
            format!(
                "\npkg set-publisher: The origins or mirrors of the system publisher '{name}' cannot be modified."
            ),
        );
    }
    let mut origins_changed = false;
    for (opt, val) in &p.opts {
        let v = val.clone().unwrap_or_default();
        match opt.as_str() {
            "O" | "origin-uri" => {
                pubr.origins = vec![v];
                origins_changed = true;
            }
            "g" | "add-origin" => {
                if !pubr.origins.contains(&v) {
                    pubr.origins.push(v);
                }
                origins_changed = true;
            }
            "G" | "remove-origin" => {
                if v == "*" {
                    pubr.origins.clear();
                } else if let Some(at) = pubr.origins.iter().position(|o| *o == v) {
                    pubr.origins.remove(at);
                } else {
                    return Output::fail(
                        1,
                        format!(
                            "\npkg set-publisher: Origin URI '{v}' is not configured for publisher '{name}'."
                        ),
                    );
                }
            }
            // One proxy for all the publisher's origins (per-origin proxies are not modelled).
            "proxy" => pubr.proxy = Some(v),
            "k" => pubr.ssl_key = Some(v),
            "c" => pubr.ssl_cert = Some(v),
            "e" | "enable" => pubr.enabled = true,
            "d" | "disable" => pubr.enabled = false,
            "non-sticky" => pubr.sticky = false,
            "sticky" => pubr.sticky = true,
            "set-property" | "add-property-value" | "remove-property-value" => {
                let Some((key, value)) = v.split_once('=') else {
                    return usage(
                        "set-publisher",
                        "property arguments must be of the form '<name>=<value>'.",
                        synopsis("set-publisher"),
                    );
                };
                if let Err(text) = set_publisher_property(&mut pubr, opt, key, value) {
                    return Output::fail(1, format!("\npkg set-publisher: {text}"));
                }
            }
            "unset-property" => pubr.properties.retain(|(k, _)| *k != v),
            _ => {}
        }
    }
    // pkg refreshes the catalog when the origins change, for a new publisher, and when a
    // disabled publisher is enabled again: the image holds no catalog for it (disabling removes
    // the publisher's metadata; `copy-publishers-from` adds it without a refresh). A refresh
    // that fails puts the publisher back as it was (old origins, still disabled) and nothing
    // is saved. (oracle/solaris-ips `src/modules/client/api.py` `update_publisher`:
    // `need_refresh` "The publisher has been re-enabled, so retrieve the catalog", and its
    // `cleanup()` "the original publisher information needs to be restored" on any failure of
    // `valid_publisher_test`/`refresh`; not in the reference, whose §3.4 gives only the error
    // texts.)
    let reenabled = existing.is_some_and(|i| !img.publishers[i].enabled) && pubr.enabled;
    let refresh = !p.has("no-refresh")
        && pubr.enabled
        && (origins_changed || existing.is_none() || reenabled)
        && !pubr.origins.is_empty();
    if refresh && let Err(text) = solver::refresh(world, std::slice::from_ref(&pubr)) {
        if existing.is_none() {
            return Output::fail(
                1,
                format!(
                    "\npkg set-publisher: The origin URIs for '{name}' do not appear to point to a valid pkg repository.\nPlease verify the repository's location and the client's network configuration.\nAdditional details:\n\n{text}"
                ),
            );
        }
        return Output::fail(
            1,
            format!("\npkg set-publisher: Could not refresh the catalog for {name}\n\n{text}"),
        );
    }
    match existing {
        Some(i) => img.publishers[i] = pubr.clone(),
        None => img.publishers.push(pubr.clone()),
    }
    if p.has("P") || p.has("search-first") {
        img.publishers.retain(|x| x.name != name);
        img.publishers.insert(0, pubr);
    } else if let Some(other) = p.value("search-before").or(p.value("search-after")) {
        img.publishers.retain(|x| x.name != name);
        let at =
            img.publishers.iter().position(|x| x.name == other).unwrap_or(img.publishers.len());
        let at =
            if p.value("search-after").is_some() { (at + 1).min(img.publishers.len()) } else { at };
        img.publishers.insert(at, pubr);
    }
    pkgops::put(world, r, img);
    Output::ok()
}

fn unset_publisher(world: &mut World, r: &ImageRef, rest: &[String]) -> Output {
    let p = match parse("unset-publisher", rest, "", &[]) {
        Ok(p) => p,
        Err(o) => return o,
    };
    if p.operands.is_empty() {
        return usage(
            "unset-publisher",
            "at least one publisher must be specified",
            synopsis("unset-publisher"),
        );
    }
    let mut img = image(world, r);
    let mut failed = Vec::new();
    for name in &p.operands {
        match img.publishers.iter().position(|x| &x.name == name) {
            Some(i) if img.publishers[i].syspub => failed.push(format!(
                "Removal failed for '{name}': The origins or mirrors of the system publisher '{name}' cannot be modified."
            )),
            // b151's pkg refuses to remove the preferred (first-ranked) publisher
            // (api_errors.RemovePreferredPublisher); its attach script adds a temporary
            // preferred publisher before unsetting the others for that reason (reference §5).
            Some(0) if world.platform.old_pkg_client() => failed.push(format!(
                "Removal failed for '{name}': The preferred publisher cannot be removed."
            )),
            Some(i) => {
                img.publishers.remove(i);
            }
            None => failed.push(format!("Removal failed for '{name}': Unknown publisher '{name}'.")),
        }
    }
    pkgops::put(world, r, img);
    if failed.is_empty() {
        return Output::ok();
    }
    let code = if failed.len() == p.operands.len() { 1 } else { 3 };
    Output::fail(
        code,
        failed.iter().map(|f| format!("\npkg unset-publisher: {f}\n")).collect::<String>(),
    )
}

fn copy_publishers_from(world: &mut World, r: &ImageRef, rest: &[String]) -> Output {
    let Some(dir) = rest.first() else {
        return usage(
            "copy-publishers-from",
            "directory to copy from must be specified",
            synopsis("copy-publishers-from"),
        );
    };
    if dir != "/" {
        return Output::fail(1, format!("pkg: No image rooted at '{dir}'"));
    }
    let gz = world.global.image.publishers.clone();
    let mut img = image(world, r);
    pkgops::copy_publishers_from(&mut img, &gz);
    pkgops::put(world, r, img.clone());
    match solver::refresh(world, &img.enabled_publishers()) {
        Ok(()) => Output::ok(),
        Err(text) => Output::fail(1, text),
    }
}

/// `pkg set-property use-system-repo true|false`, the one image property modelled.
fn set_property(world: &mut World, r: &ImageRef, rest: &[String]) -> Output {
    let [name, value] = rest else {
        return usage(
            "set-property",
            "requires a property name and value",
            synopsis("set-property"),
        );
    };
    if name != "use-system-repo" {
        return Output::fail(1, format!("pkg set-property: property '{name}' is not modelled"));
    }
    let on = match value.as_str() {
        "true" | "True" => true,
        "false" | "False" => false,
        _ => {
            return Output::fail(
                1,
                format!(
                    "pkg set-property: Invalid value '{value}' for property 'use-system-repo': \
                     expected True or False"
                ),
            );
        }
    };
    let gz = world.global.image.publishers.clone();
    let mut img = image(world, r);
    if on {
        pkgops::system_repository(&mut img, &gz);
    } else {
        pkgops::own_repository(&mut img);
    }
    pkgops::put(world, r, img);
    Output::ok()
}

fn refresh(world: &mut World, r: &ImageRef, rest: &[String]) -> Output {
    let p = match parse("refresh", rest, "q", &["full"]) {
        Ok(p) => p,
        Err(o) => return o,
    };
    let img = image(world, r);
    let mut pubs = img.enabled_publishers();
    if !p.operands.is_empty() {
        pubs.retain(|x| p.operands.contains(&x.name));
    }
    let total = pubs.len();
    match solver::refresh(world, &pubs) {
        Ok(()) => Output::ok(),
        Err(text) => {
            let all_failed = text.starts_with(&format!("pkg: 0/{total}"));
            Output::fail(if all_failed { 1 } else { 3 }, text)
        }
    }
}

fn install(world: &mut World, r: &ImageRef, root: &str, op: &str, rest: &[String]) -> Output {
    let p = match parse(
        op,
        rest,
        "nvqfC:g:",
        &[
            "accept",
            "no-refresh",
            "reject=",
            "licenses",
            "no-index",
            "no-backup-be",
            "be-name=",
            "deny-new-be",
            "ignore-missing",
        ],
    ) {
        Ok(p) => p,
        Err(o) => return o,
    };
    let o = InstallOpts {
        verbose: p.has("v"),
        dry_run: p.has("n"),
        no_refresh: p.has("no-refresh"),
        op: op.to_string(),
        rejects: p.values("reject").iter().map(|s| s.to_string()).collect(),
        ..Default::default()
    };
    let target = if op == "update" && p.operands.is_empty() {
        Target::Newest
    } else if p.operands.is_empty() {
        return usage(op, "at least one package name required", synopsis(op));
    } else if let [only] = p.operands.as_slice()
        && let Some(v) = only.trim_start_matches("pkg:/").strip_prefix("entire@")
    {
        match world.platform.parse_build(v) {
            Some(b) => Target::Entire(b),
            None => return Output::fail(1, format!("\npkg {op}: '{only}' is an illegal fmri")),
        }
    } else {
        Target::Names(p.operands.clone())
    };
    pkgops::install(world, r, root, target, &o).out
}

fn uninstall(world: &mut World, r: &ImageRef, root: &str, rest: &[String]) -> Output {
    // `-r`: recursive removal of dependents on b151 (what zonerescue must never use); S11.0
    // has no -r; OI/OmniOS: recurse into child zones (nothing to recurse into from -R).
    let short = if world.platform == Platform::Solaris11 { "nvq" } else { "nvqr" };
    let p = match parse("uninstall", rest, short, &["no-index", "ignore-missing"]) {
        Ok(p) => p,
        Err(o) => return o,
    };
    if p.operands.is_empty() {
        return usage("uninstall", "at least one package name required", synopsis("uninstall"));
    }
    let recursive = p.has("r") && world.platform == Platform::S11Express;
    let o = InstallOpts {
        verbose: p.has("v"),
        dry_run: p.has("n"),
        op: "uninstall".into(),
        ..Default::default()
    };
    pkgops::uninstall(world, r, root, &p.operands, recursive, &o)
}

fn image_create(world: &mut World, rest: &[String]) -> Output {
    let p = match parse(
        "image-create",
        rest,
        "FPUfzp:g:k:c:",
        &[
            "force",
            "full",
            "partial",
            "user",
            "zone",
            "no-refresh",
            "publisher=",
            "origin=",
            "variant=",
        ],
    ) {
        Ok(p) => p,
        Err(o) => return o,
    };
    if p.values("p").len() + p.values("publisher").len() > 1 {
        return usage(
            "image-create",
            "The -p option can be specified only once.",
            synopsis("image-create"),
        );
    }
    let Some(dir) = p.operands.first().cloned() else {
        return usage(
            "image-create",
            "an image directory path must be specified",
            synopsis("image-create"),
        );
    };
    let Some(spec) = p.value("p").or(p.value("publisher")).map(str::to_string) else {
        return usage(
            "image-create",
            "a publisher must be specified with -p",
            synopsis("image-create"),
        );
    };
    let (name, uri) = spec
        .split_once('=')
        .map(|(n, u)| (n.to_string(), u.to_string()))
        .unwrap_or_else(|| ("solaris".into(), spec.clone()));
    let Some(zone) = world.zone_by_root(&dir).map(|z| z.name.clone()) else {
        return Output::fail(
            1,
            format!(
                "pkg image-create: cannot create an image at '{dir}': not a zone root of this host"
            ),
        );
    };
    if !(p.has("f") || p.has("force")) {
        return Output::fail(
            1,
            format!(
                "pkg image-create: the specified image path is not empty: {dir}.\nTo override, use the -f (force) option."
            ),
        );
    }
    if faults::take_kind(world, "out-of-space", Some(&zone)) {
        return Output::fail(
            1,
            format!("pkg: [Errno 28] No space left on device: '{dir}/var/pkg'"),
        );
    }
    let new_pub = Publisher {
        name: name.clone(),
        origins: vec![uri.clone()],
        enabled: true,
        sticky: true,
        ..Default::default()
    };
    if !p.has("no-refresh")
        && let Err(text) = solver::refresh(world, std::slice::from_ref(&new_pub))
    {
        return Output::fail(1, format!("pkg image-create: {text}"));
    }
    let cost = world.costs.image_create;
    world.charge(cost);
    let r = ImageRef::Zone(zone);
    let mut img = image(world, &r);
    pkgops::image_create(&mut img, &name, &uri);
    pkgops::put(world, &r, img);
    Output::ok()
}

fn list(world: &mut World, r: &ImageRef, rest: &[String]) -> Output {
    let p = match parse("list", rest, "Hafnqsuv", &["no-refresh"]) {
        Ok(p) => p,
        Err(o) => return o,
    };
    let img = image(world, r);
    // `-a` installed + newest known, `-n` newest known, `-af` every known version (client.py
    // list_inventory: LIST_INSTALLED_NEWEST, LIST_NEWEST, LIST_ALL); plain: installed only.
    let all = p.has("a") && p.has("f");
    let catalog = p.has("a") || p.has("n");
    let pubs = img.enabled_publishers();
    if catalog
        && !p.has("no-refresh")
        && let Err(text) = solver::refresh(world, &pubs)
    {
        return Output::fail(1, text);
    }
    let mut installed: Vec<crate::sim::world::InstalledPkg> = img.packages.clone();
    if let Some(b) = img.entire {
        let publisher = img.entire_publisher(world);
        installed.push(crate::sim::world::InstalledPkg {
            name: "entire".into(),
            build: b,
            publisher,
        });
    }
    let matches = |pat: &str, name: &str| {
        let pat = pat.trim_start_matches("pkg:/").split('@').next().unwrap_or(pat);
        pat == name
            || name.ends_with(&format!("/{pat}"))
            || pat.ends_with('*') && name.starts_with(pat.trim_end_matches('*'))
    };
    let mut names: Vec<String> = installed.iter().map(|x| x.name.clone()).collect();
    if catalog {
        names.extend(catalog::known_names(world, &pubs));
        names.extend(
            p.operands
                .iter()
                .map(|o| o.trim_start_matches("pkg:/").split('@').next().unwrap_or(o).to_string()),
        );
    }
    names.sort();
    names.dedup();
    let mut rows: Vec<(crate::sim::world::InstalledPkg, pkgfmt::RowState)> = Vec::new();
    for name in &names {
        let inst = installed.iter().find(|x| &x.name == name);
        let known = if catalog { catalog::entries(world, &pubs, name) } else { Vec::new() };
        let row = |e: &catalog::CatalogEntry| {
            let pkg = crate::sim::world::InstalledPkg {
                name: name.clone(),
                build: e.build,
                publisher: e.publisher.clone(),
            };
            let state = match e.state {
                catalog::CatalogState::Normal => pkgfmt::RowState::Known,
                catalog::CatalogState::Obsolete => pkgfmt::RowState::Obsolete,
                catalog::CatalogState::Renamed => pkgfmt::RowState::Renamed,
            };
            (pkg, state)
        };
        let newest = catalog::newest(&known);
        match (inst, newest) {
            (Some(i), _) if !catalog => rows.push((i.clone(), pkgfmt::RowState::Installed)),
            (Some(i), _) if all => {
                rows.push((i.clone(), pkgfmt::RowState::Installed));
                rows.extend(known.iter().filter(|e| e.build != i.build).map(row));
            }
            (None, _) if all => rows.extend(known.iter().map(row)),
            (Some(i), Some(n)) if p.has("n") && n.build > i.build => rows.push(row(n)),
            (Some(i), _) => rows.push((i.clone(), pkgfmt::RowState::Installed)),
            (None, Some(n)) => rows.push(row(n)),
            (None, None) => {}
        }
    }
    rows.sort_by(|a, b| a.0.name.cmp(&b.0.name).then(a.0.build.cmp(&b.0.build)));
    // A pattern's version (`entire@11-151046`) matches only rows of that version (pkg matches
    // versions by leading components; builds are what the world's versions encode).
    let platform = world.platform;
    let row_matches = |pat: &str, row: &crate::sim::world::InstalledPkg| {
        let wanted = pat.split_once('@').map(|(_, v)| platform.parse_build(v));
        matches(pat, &row.name)
            && match wanted {
                None | Some(None) => true,
                Some(Some(b)) => b == row.build,
            }
    };
    let mut unmatched = Vec::new();
    if !p.operands.is_empty() {
        for pat in &p.operands {
            if !rows.iter().any(|x| row_matches(pat, &x.0)) {
                unmatched.push(pat.clone());
            }
        }
        rows.retain(|x| p.operands.iter().any(|pat| row_matches(pat, &x.0)));
    }
    let mut out = Output::ok();
    // An image with nothing installed (client.py list_inventory: "no packages installed").
    if p.operands.is_empty() && !catalog && rows.is_empty() {
        return Output::fail(1, "pkg list: no packages installed");
    }
    if !p.has("q") && !rows.is_empty() {
        out.lines(pkgfmt::list(world.platform, &img, &rows, !p.has("H"), p.has("v")));
    }
    if !unmatched.is_empty() {
        out.code = if rows.is_empty() { 1 } else { 3 };
        if !p.has("q") {
            let what = if all || p.has("n") {
                "no known packages matching:"
            } else if catalog {
                "no packages matching the following patterns are allowed by installed \
                 incorporations, or image variants that are known or installed"
            } else {
                "no packages matching the following patterns are installed:"
            };
            out.stderr = format!(
                " \npkg list: {what}\n{}\n",
                unmatched.iter().map(|u| format!("  {u}")).collect::<Vec<_>>().join("\n")
            );
        }
    }
    out
}

fn info(world: &mut World, r: &ImageRef, rest: &[String]) -> Output {
    let p = match parse("info", rest, "lr", &["license"]) {
        Ok(p) => p,
        Err(o) => return o,
    };
    let img = image(world, r);
    let mut out = Output::ok();
    let mut missing = Vec::new();
    let names: Vec<String> = if p.operands.is_empty() {
        img.packages.iter().map(|x| x.name.clone()).collect()
    } else {
        p.operands.clone()
    };
    for (i, n) in names.iter().enumerate() {
        let name = n.trim_start_matches("pkg:/").split('@').next().unwrap_or(n).to_string();
        let found = if name == "entire" {
            img.entire.map(|b| crate::sim::world::InstalledPkg {
                name: "entire".into(),
                build: b,
                publisher: img.entire_publisher(world),
            })
        } else {
            img.installed(&name).cloned()
        };
        let summary = if name == "entire" {
            "incorporation to lock all system packages to the same build"
        } else {
            "simulated package"
        };
        if p.has("r") {
            // -r: the newest version the image's publishers' catalogs list, whether installed
            // or not, with its rename or obsoletion record.
            match remote_info(world, &img, &name) {
                Some((pkg, state, to)) => {
                    if !out.stdout.is_empty() {
                        out.line("");
                    }
                    out.lines(pkgfmt::info(world.platform, &pkg, summary, &state, to.as_ref()));
                }
                None => missing.push(n.clone()),
            }
            continue;
        }
        match found {
            Some(pkg) => {
                if i > 0 {
                    out.line("");
                }
                out.lines(pkgfmt::info(world.platform, &pkg, summary, "Installed", None));
            }
            None => missing.push(n.clone()),
        }
    }
    if !missing.is_empty() && p.has("r") {
        // UNVERIFIED: pkg5 client.py's text for remote patterns that match nothing.
        out.code = 1;
        out.stderr = format!(
            "pkg: info: no packages matching the following patterns you specified were\nfound in the catalog.  Try relaxing the patterns, refreshing, and/or\nexamining the catalogs:\n\n{}\n",
            missing.iter().map(|m| format!("        {m}")).collect::<Vec<_>>().join("\n")
        );
    } else if !missing.is_empty() {
        out.code = 1;
        out.stderr = format!(
            "pkg: info: no packages matching the following patterns you specified are\ninstalled on the system.  Try querying remotely instead:\n\n{}\n",
            missing.iter().map(|m| format!("        {m}")).collect::<Vec<_>>().join("\n")
        );
    }
    out
}

/// `pkg info -r NAME`: the newest catalog entry for `name` among the image's publishers, its
/// `State` text, and for a rename record the package it requires (at the same build).
fn remote_info(
    world: &World,
    img: &crate::sim::world::Image,
    name: &str,
) -> Option<(crate::sim::world::InstalledPkg, String, Option<crate::sim::world::InstalledPkg>)> {
    use crate::sim::catalog::{self, CatalogState};
    use crate::sim::world::InstalledPkg;
    let entries = catalog::entries(world, &img.publishers, name);
    let e = catalog::newest(&entries)?;
    let pkg =
        InstalledPkg { name: name.to_string(), build: e.build, publisher: e.publisher.clone() };
    let installed = if img.installed(name).is_some() { "Installed" } else { "Not installed" };
    let (flag, to) = match e.state {
        CatalogState::Normal => ("", None),
        CatalogState::Obsolete => (" (Obsolete)", None),
        CatalogState::Renamed => {
            let target = world.package_def(name).and_then(|d| d.renamed.as_ref()).map(|r| {
                InstalledPkg { name: r.1.clone(), build: e.build, publisher: e.publisher.clone() }
            });
            (" (Renamed)", target)
        }
    };
    Some((pkg, format!("{installed}{flag}"), to))
}

fn variant(world: &mut World, r: &ImageRef, rest: &[String]) -> Output {
    let p = match parse("variant", rest, "HF:", &[]) {
        Ok(p) => p,
        Err(o) => return o,
    };
    let img = image(world, r);
    let vars = [
        ("variant.arch", "i386".to_string()),
        ("variant.opensolaris.zone", img.variant_zone.clone()),
    ];
    let mut out = Output::ok();
    let shown: Vec<&(&str, String)> = vars
        .iter()
        .filter(|(n, _)| p.operands.is_empty() || p.operands.iter().any(|o| o == n))
        .collect();
    for o in &p.operands {
        if !vars.iter().any(|(n, _)| n == o) {
            return Output::fail(1, format!("pkg variant: no such variant: {o}"));
        }
    }
    // b151 and Oracle's Solaris 11 pkg print the full name (`%-Ns %s`, N = max(len, 8): the
    // S11.0 attach requires it, fidelity ww F4); current illumos pkg strips `variant.`
    // (alignment of the current format is UNVERIFIED: padded like b151).
    let full = !world.platform.is_illumos();
    let name =
        |n: &str| if full { n.to_string() } else { n.trim_start_matches("variant.").to_string() };
    let width = shown.iter().map(|(n, _)| name(n).len()).max().unwrap_or(8).max(8);
    if !p.has("H") {
        out.line(format!("{:<width$} {}", "VARIANT", "VALUE"));
    }
    for (n, v) in shown {
        out.line(format!("{:<width$} {}", name(n), v));
    }
    out
}

fn history(world: &mut World, r: &ImageRef, rest: &[String]) -> Output {
    let p = match parse("history", rest, "HNln:o:t:", &[]) {
        Ok(p) => p,
        Err(o) => return o,
    };
    let img = image(world, r);
    let mut out = Output::ok();
    if !p.has("H") {
        out.line(format!("{:25}{:25}{:19}{}", "START", "OPERATION", "CLIENT", "OUTCOME"));
    }
    let n = p.value("n").and_then(|n| n.parse::<usize>().ok()).unwrap_or(usize::MAX);
    let skip = img.history.len().saturating_sub(n);
    for h in img.history.iter().skip(skip) {
        out.line(format!(
            "{:25}{:25}{:19}{}",
            crate::sim::clock::iso(h.clock_s),
            h.operation,
            "pkg",
            h.outcome
        ));
    }
    out
}
