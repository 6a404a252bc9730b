//! The IPS manifest delivers what the build produces, where the code says it goes, and the
//! committed completion scripts are what `zonerescue completions` prints.
//! Run with `UPDATE_COMPLETIONS=1` to rewrite packaging/completions/ after changing the CLI.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use clap_complete::Shell;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// One manifest action: its name, the payload source (first bare word, for `file`), and its
/// `key=value` attributes (values may be double-quoted).
#[derive(Debug)]
struct Action {
    name: String,
    source: Option<String>,
    attrs: BTreeMap<String, String>,
}

fn tokens(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            c if c.is_whitespace() && !quoted => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
            c => cur.push(c),
        }
    }
    assert!(!quoted, "unbalanced quote in manifest line: {line}");
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn manifest() -> Vec<Action> {
    let text = std::fs::read_to_string(repo().join("packaging/zonerescue.p5m")).unwrap();
    let joined = text.replace("\\\n", " ");
    joined
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let mut t = tokens(l).into_iter();
            let name = t.next().unwrap();
            let mut source = None;
            let mut attrs = BTreeMap::new();
            for tok in t {
                match tok.split_once('=') {
                    Some((k, v)) => {
                        attrs.insert(k.to_string(), v.to_string());
                    }
                    None if name == "file" && source.is_none() => source = Some(tok),
                    None => panic!("unexpected bare word {tok:?} in {l}"),
                }
            }
            Action { name, source, attrs }
        })
        .collect()
}

/// The binaries `cargo build --release` produces (the `[[bin]]` names of Cargo.toml).
fn build_products() -> Vec<String> {
    let cargo: toml::Table =
        std::fs::read_to_string(repo().join("Cargo.toml")).unwrap().parse().unwrap();
    let bins = cargo.get("bin").and_then(|b| b.as_array()).cloned().unwrap_or_default();
    bins.iter()
        .filter_map(|b| b.get("name").and_then(|n| n.as_str()))
        .map(|n| format!("target/release/{n}"))
        .collect()
}

fn set_value(actions: &[Action], name: &str) -> Option<String> {
    actions
        .iter()
        .find(|a| a.name == "set" && a.attrs.get("name").map(String::as_str) == Some(name))
        .and_then(|a| a.attrs.get("value").cloned())
}

#[test]
fn every_file_action_names_something_the_build_produces_or_the_repo_contains() {
    let actions = manifest();
    let products = build_products();
    let files: Vec<&Action> = actions.iter().filter(|a| a.name == "file").collect();
    assert!(!files.is_empty());
    for f in &files {
        let src = f.source.as_deref().expect("file action without a source path");
        assert!(!src.starts_with('/') && !src.contains(".."), "{src} must be relative to the tree");
        assert!(
            products.iter().any(|p| p == src) || repo().join(src).is_file(),
            "{src} is neither a build product ({products:?}) nor a file in the repository"
        );
        for attr in ["path", "owner", "group", "mode"] {
            assert!(f.attrs.contains_key(attr), "{src}: missing {attr}=");
        }
    }
}

#[test]
fn payload_goes_where_the_code_says() {
    let actions = manifest();
    let delivered: BTreeMap<&str, &str> = actions
        .iter()
        .filter(|a| a.name == "file")
        .filter_map(|a| Some((a.attrs.get("path")?.as_str(), a.source.as_deref()?)))
        .collect();
    assert_eq!(delivered.get("usr/bin/zonerescue"), Some(&"target/release/zonerescue"));
    let section = zonerescue::manpage::SECTION;
    assert_eq!(
        delivered.get(format!("usr/share/man/man{section}/zonerescue.{section}").as_str()),
        Some(&format!("man/zonerescue.{section}").as_str())
    );
    for shell in [Shell::Bash, Shell::Zsh, Shell::Fish] {
        let path = zonerescue::completions::install_path(shell).unwrap();
        let src = delivered.get(path).unwrap_or_else(|| panic!("no {shell} completion at {path}"));
        assert_eq!(Path::new(src), committed_completion(shell).strip_prefix(repo()).unwrap());
    }
}

#[test]
fn every_delivered_path_has_its_directories_declared() {
    let actions = manifest();
    let dirs: Vec<&str> = actions
        .iter()
        .filter(|a| a.name == "dir")
        .filter_map(|a| a.attrs.get("path").map(String::as_str))
        .collect();
    for a in actions.iter().filter(|a| a.name == "file" || a.name == "dir") {
        let path = a.attrs.get("path").unwrap();
        assert!(!path.starts_with('/'), "IPS paths are relative: {path}");
        let mut parent = Path::new(path).parent();
        while let Some(p) = parent.filter(|p| !p.as_os_str().is_empty()) {
            assert!(dirs.contains(&p.to_str().unwrap()), "no dir action for {}", p.display());
            parent = p.parent();
        }
    }
}

#[test]
fn package_metadata() {
    let actions = manifest();
    let fmri = set_value(&actions, "pkg.fmri").expect("pkg.fmri");
    let version = fmri.rsplit_once('@').map(|(_, v)| v).expect("pkg.fmri has a version");
    assert_eq!(version, env!("CARGO_PKG_VERSION"), "pkg.fmri version must follow Cargo.toml");
    assert!(set_value(&actions, "pkg.summary").is_some_and(|s| !s.is_empty()));
    assert!(
        set_value(&actions, "info.classification")
            .is_some_and(|c| c.starts_with("org.opensolaris.category.2008:"))
    );
    assert_eq!(set_value(&actions, "variant.arch").as_deref(), Some("$(ARCH)"));
    for d in actions.iter().filter(|a| a.name == "depend") {
        assert_eq!(d.attrs.get("type").map(String::as_str), Some("require"));
    }
}

fn committed_completion(shell: Shell) -> PathBuf {
    let name = match shell {
        Shell::Bash => "zonerescue.bash",
        Shell::Zsh => "_zonerescue",
        Shell::Fish => "zonerescue.fish",
        other => panic!("no committed completion for {other}"),
    };
    repo().join("packaging/completions").join(name)
}

#[test]
fn committed_completions_are_up_to_date() {
    let update = std::env::var_os("UPDATE_COMPLETIONS").is_some();
    for shell in [Shell::Bash, Shell::Zsh, Shell::Fish] {
        let path = committed_completion(shell);
        let generated = zonerescue::completions::render(shell);
        if update {
            std::fs::write(&path, &generated).unwrap();
            continue;
        }
        let committed = std::fs::read(&path).unwrap_or_default();
        assert!(
            committed == generated,
            "{} is out of date; regenerate with\n\n    UPDATE_COMPLETIONS=1 cargo test --test packaging\n\nand commit the result",
            path.display()
        );
    }
}
