//! `zfs` (reference §4.4): list/get parsers and builders for the dataset operations the
//! recovery uses (snapshot, rollback, destroy, clone, promote, set, inherit).
//!
//! `zfs list -H -o a,b,c`: no header, one line per dataset, fields separated by a single
//! TAB, unset (user) properties printed as `-`.
//! `zfs get -H -o name,property,value,source PROPS DATASET`: four TAB-separated fields.

use crate::system::{CommandSpec, Program, Runner};

use super::{InvalidName, ParseError, RunError, run_checked, run_parsed};

/// Longest dataset name ZFS accepts (`ZFS_MAX_DATASET_NAME_LEN` 256 including the NUL).
pub const MAX_NAME_LEN: usize = 255;

fn check_component(kind: &'static str, full: &str, c: &str) -> Result<(), InvalidName> {
    let err = |reason: String| Err(InvalidName::new(kind, full, reason));
    if c.is_empty() {
        return err("it has an empty component".into());
    }
    if c == "." || c == ".." {
        return err(format!("component '{c}' is not allowed"));
    }
    if let Some(ch) = c.chars().find(|ch| !(ch.is_ascii_alphanumeric() || "-_.:".contains(*ch))) {
        return err(format!("character {ch:?} is not allowed (letters, digits, '-_.:')"));
    }
    Ok(())
}

/// A filesystem/volume name: `pool/a/b`, components of letters, digits and `-_.:` (spaces,
/// which newer illumos allows, are refused here), the pool starting with a letter, no
/// leading `-`, no empty or `.`/`..` component.
pub fn validate_dataset(name: &str) -> Result<(), InvalidName> {
    const KIND: &str = "dataset name";
    if name.len() > MAX_NAME_LEN {
        return Err(InvalidName::new(KIND, name, "it is longer than 255 characters"));
    }
    if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return Err(InvalidName::new(KIND, name, "it must start with the pool name (a letter)"));
    }
    name.split('/').try_for_each(|c| check_component(KIND, name, c))
}

/// `dataset@snapname`.
pub fn validate_snapshot(name: &str) -> Result<(), InvalidName> {
    let Some((ds, snap)) = name.split_once('@') else {
        return Err(InvalidName::new("snapshot name", name, "it has no '@'"));
    };
    if name.len() > MAX_NAME_LEN {
        return Err(InvalidName::new("snapshot name", name, "it is longer than 255 characters"));
    }
    validate_dataset(ds)?;
    check_component("snapshot name", name, snap)
}

/// Property names: native (`mountpoint`) or user (`org.opensolaris.libbe:active`).
pub fn validate_property(name: &str) -> Result<(), InvalidName> {
    let ok = name.starts_with(|c: char| c.is_ascii_lowercase())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || "-_.:".contains(c));
    if ok {
        Ok(())
    } else {
        Err(InvalidName::new("property name", name, "letters, digits, '-_.:'"))
    }
}

fn validate_value(prop: &str, value: &str) -> Result<(), InvalidName> {
    if value.is_empty() || value.chars().any(char::is_control) {
        return Err(InvalidName::new("property value", value, format!("bad value for {prop}")));
    }
    Ok(())
}

fn prop_assignment(prop: &str, value: &str) -> Result<String, InvalidName> {
    validate_property(prop)?;
    validate_value(prop, value)?;
    Ok(format!("{prop}={value}"))
}

fn zfs() -> CommandSpec {
    CommandSpec::new(Program::Zfs)
}

/// What to list: `zfs list -H [-r] [-t TYPES] -o PROPS [DATASET…]`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListQuery<'a> {
    pub properties: &'a [&'a str],
    pub recursive: bool,
    /// `filesystem`, `snapshot`, `volume`, `all` (comma-joined).
    pub types: &'a [&'a str],
    pub datasets: &'a [&'a str],
}

pub fn list_spec(q: &ListQuery<'_>) -> Result<CommandSpec, InvalidName> {
    if q.properties.is_empty() {
        return Err(InvalidName::new("property list", "", "at least one property is needed"));
    }
    q.properties.iter().try_for_each(|p| validate_property(p))?;
    let mut spec = zfs().args(["list", "-H"]);
    if q.recursive {
        spec = spec.arg("-r");
    }
    if !q.types.is_empty() {
        for t in q.types {
            if !["filesystem", "snapshot", "volume", "all", "bookmark"].contains(t) {
                return Err(InvalidName::new("dataset type", t, "unknown type"));
            }
        }
        spec = spec.arg("-t").arg(q.types.join(","));
    }
    spec = spec.arg("-o").arg(q.properties.join(","));
    for d in q.datasets {
        validate_dataset_or_snapshot(d)?;
    }
    Ok(spec.args(q.datasets))
}

fn validate_dataset_or_snapshot(name: &str) -> Result<(), InvalidName> {
    if name.contains('@') { validate_snapshot(name) } else { validate_dataset(name) }
}

/// One line of `zfs list -H -o …`, values in the requested order (`-` = unset → `None`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ZfsRow {
    pub values: Vec<(String, Option<String>)>,
}

impl ZfsRow {
    /// The value of `prop` (`None` if unset or not requested).
    pub fn get(&self, prop: &str) -> Option<&str> {
        self.values.iter().find(|(p, _)| p == prop).and_then(|(_, v)| v.as_deref())
    }

    /// The `name` column, if requested.
    pub fn name(&self) -> Option<&str> {
        self.get("name")
    }
}

/// Parses `zfs list -H -o PROPS` where `props` are the requested names, in order.
pub fn parse_list(stdout: &str, props: &[&str]) -> Result<Vec<ZfsRow>, ParseError> {
    let mut rows = Vec::new();
    for (i, line) in stdout.lines().enumerate() {
        if line.is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        if fields.len() != props.len() {
            return Err(ParseError::at(
                i + 1,
                format!("expected {} tab-separated fields, found {}", props.len(), fields.len()),
            ));
        }
        let values = props
            .iter()
            .zip(fields)
            .map(|(p, v)| (p.to_string(), (v != "-").then(|| v.to_string())))
            .collect();
        rows.push(ZfsRow { values });
    }
    Ok(rows)
}

/// `zfs get -H -o name,property,value,source PROPS DATASET…`.
pub fn get_spec(properties: &[&str], datasets: &[&str]) -> Result<CommandSpec, InvalidName> {
    get_with_columns("name,property,value,source", properties, datasets)
}

/// `zfs get -H -o value PROP DATASET`.
pub fn get_value_spec(property: &str, dataset: &str) -> Result<CommandSpec, InvalidName> {
    get_with_columns("value", &[property], &[dataset])
}

fn get_with_columns(
    columns: &str,
    properties: &[&str],
    datasets: &[&str],
) -> Result<CommandSpec, InvalidName> {
    if properties.is_empty() {
        return Err(InvalidName::new("property list", "", "at least one property is needed"));
    }
    properties.iter().try_for_each(|p| validate_property(p))?;
    datasets.iter().try_for_each(|d| validate_dataset_or_snapshot(d))?;
    Ok(zfs().args(["get", "-H", "-o", columns]).arg(properties.join(",")).args(datasets))
}

/// One line of `zfs get -H -o name,property,value,source`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ZfsProperty {
    pub dataset: String,
    pub property: String,
    /// `None` for `-`.
    pub value: Option<String>,
    /// `local`, `default`, `inherited from X`, `-` (`None`), …
    pub source: Option<String>,
}

pub fn parse_get(stdout: &str) -> Result<Vec<ZfsProperty>, ParseError> {
    let props = ["name", "property", "value", "source"];
    parse_list(stdout, &props)?
        .into_iter()
        .enumerate()
        .map(|(i, row)| {
            let dataset = row.get("name").map(str::to_string);
            let property = row.get("property").map(str::to_string);
            match (dataset, property) {
                (Some(dataset), Some(property)) => Ok(ZfsProperty {
                    dataset,
                    property,
                    value: row.get("value").map(str::to_string),
                    source: row.get("source").map(str::to_string),
                }),
                _ => Err(ParseError::at(i + 1, "empty dataset or property name")),
            }
        })
        .collect()
}

/// `zfs get -H -o value`: one value per line (`-` → `None`).
pub fn parse_get_values(stdout: &str) -> Vec<Option<String>> {
    stdout.lines().map(|l| (l != "-").then(|| l.to_string())).collect()
}

/// `zfs snapshot [-r] [-o P=V]… DATASET@SNAP`.
pub fn snapshot_spec(
    snapshot: &str,
    recursive: bool,
    props: &[(&str, &str)],
) -> Result<CommandSpec, InvalidName> {
    validate_snapshot(snapshot)?;
    let mut spec = zfs().arg("snapshot");
    if recursive {
        spec = spec.arg("-r");
    }
    for (p, v) in props {
        spec = spec.arg("-o").arg(prop_assignment(p, v)?);
    }
    Ok(spec.arg(snapshot))
}

/// `zfs rollback [-r] DATASET@SNAP` (`-r` destroys later snapshots).
pub fn rollback_spec(snapshot: &str, destroy_later: bool) -> Result<CommandSpec, InvalidName> {
    validate_snapshot(snapshot)?;
    let spec = zfs().arg("rollback");
    Ok(if destroy_later { spec.arg("-r") } else { spec }.arg(snapshot))
}

/// `zfs rollback -R SNAPSHOT`: also destroys the clones of the later snapshots, which `-r`
/// refuses to (`cannot rollback to '…': clones of previous snapshots exist`).
pub fn rollback_destroying_clones_spec(snapshot: &str) -> Result<CommandSpec, InvalidName> {
    validate_snapshot(snapshot)?;
    Ok(zfs().args(["rollback", "-R"]).arg(snapshot))
}

/// `zfs destroy [-r] NAME` (a dataset or a snapshot).
pub fn destroy_spec(name: &str, recursive: bool) -> Result<CommandSpec, InvalidName> {
    validate_dataset_or_snapshot(name)?;
    let spec = zfs().arg("destroy");
    Ok(if recursive { spec.arg("-r") } else { spec }.arg(name))
}

/// `zfs clone [-o P=V]… SNAPSHOT FILESYSTEM`.
pub fn clone_spec(
    snapshot: &str,
    target: &str,
    props: &[(&str, &str)],
) -> Result<CommandSpec, InvalidName> {
    validate_snapshot(snapshot)?;
    validate_dataset(target)?;
    let mut spec = zfs().arg("clone");
    for (p, v) in props {
        spec = spec.arg("-o").arg(prop_assignment(p, v)?);
    }
    Ok(spec.arg(snapshot).arg(target))
}

/// `zfs promote CLONE`.
pub fn promote_spec(clone: &str) -> Result<CommandSpec, InvalidName> {
    validate_dataset(clone)?;
    Ok(zfs().arg("promote").arg(clone))
}

/// `zfs set P=V DATASET`.
pub fn set_spec(dataset: &str, prop: &str, value: &str) -> Result<CommandSpec, InvalidName> {
    validate_dataset_or_snapshot(dataset)?;
    Ok(zfs().arg("set").arg(prop_assignment(prop, value)?).arg(dataset))
}

/// `zfs inherit [-r] P DATASET`.
pub fn inherit_spec(
    dataset: &str,
    prop: &str,
    recursive: bool,
) -> Result<CommandSpec, InvalidName> {
    validate_dataset(dataset)?;
    validate_property(prop)?;
    let spec = zfs().arg("inherit");
    Ok(if recursive { spec.arg("-r") } else { spec }.arg(prop).arg(dataset))
}

/// Runs `zfs list` and parses it.
pub fn list(runner: &Runner, q: &ListQuery<'_>) -> Result<Vec<ZfsRow>, RunError> {
    let spec = list_spec(q)?;
    run_parsed(runner, &spec, |out| parse_list(out, q.properties))
}

/// One property's value (`None` if `-`).
pub fn get_value(runner: &Runner, dataset: &str, prop: &str) -> Result<Option<String>, RunError> {
    let spec = get_value_spec(prop, dataset)?;
    run_parsed(runner, &spec, |out| {
        parse_get_values(out)
            .into_iter()
            .next()
            .ok_or_else(|| ParseError::whole(format!("no value of {prop} for {dataset}")))
    })
}

/// Runs a zfs command that must succeed (snapshot, rollback, destroy, set, …).
pub fn run(runner: &Runner, spec: Result<CommandSpec, InvalidName>) -> Result<(), RunError> {
    run_checked(runner, &spec?).map(drop)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        for ok in ["rpool", "rpool/zones/z1/ROOT/zbe-1", "tank/a.b_c:d"] {
            assert!(validate_dataset(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "-r",
            "rpool//x",
            "rpool/",
            "rpool/../etc",
            "rpool/a b",
            "1pool",
            "rpool/x;y",
            "rpool/x@s",
        ] {
            assert!(validate_dataset(bad).is_err(), "{bad}");
        }
        assert!(validate_dataset(&format!("p/{}", "a".repeat(300))).is_err());
        assert!(validate_snapshot("rpool/zones/z1/ROOT/zbe@zonerescue-20261123T1044").is_ok());
        for bad in ["rpool/x", "rpool/x@", "rpool/x@a@b", "@s", "rpool/x@a b", "rpool/x@.."] {
            assert!(validate_snapshot(bad).is_err(), "{bad}");
        }
        assert!(validate_property("org.opensolaris.libbe:parentbe").is_ok());
        assert!(validate_property("Mountpoint").is_err());
        assert!(validate_property("a=b").is_err());
    }

    #[test]
    fn list_rows_keyed_by_property() {
        let props = ["name", "org.opensolaris.libbe:parentbe", "org.opensolaris.libbe:active"];
        let out = "rpool/zones/z1/ROOT\t-\t-\n\
                   rpool/zones/z1/ROOT/zbe\t5a1e0c77-0000-4000-8000-000000000111\ton\n\
                   rpool/zones/z1/ROOT/zbe-1\t0c2f6d3e-2b7c-4a55-b6a5-6d0f8f2f9a11\toff\n";
        let rows = parse_list(out, &props).unwrap();
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0].get("org.opensolaris.libbe:active"), None);
        assert_eq!(rows[1].name(), Some("rpool/zones/z1/ROOT/zbe"));
        assert_eq!(rows[1].get("org.opensolaris.libbe:active"), Some("on"));
        assert_eq!(
            rows[2].get("org.opensolaris.libbe:parentbe"),
            Some("0c2f6d3e-2b7c-4a55-b6a5-6d0f8f2f9a11")
        );
        let e = parse_list("a\tb\n", &props).unwrap_err();
        assert_eq!(e.line, 1);
        // A value with spaces stays whole: only TABs separate.
        let rows = parse_list("rpool/x\tsome value\n", &["name", "com.example:note"]).unwrap();
        assert_eq!(rows[0].get("com.example:note"), Some("some value"));
    }

    #[test]
    fn get_outputs() {
        let out = "rpool/zones/z1/ROOT/zbe\tmountpoint\tlegacy\tinherited from rpool/zones/z1/ROOT\n\
                   rpool/zones/z1/ROOT/zbe\torg.opensolaris.libbe:active\ton\tlocal\n\
                   rpool/zones/z1/ROOT/zbe\tcom.example:x\t-\t-\n";
        let g = parse_get(out).unwrap();
        assert_eq!(g[0].source.as_deref(), Some("inherited from rpool/zones/z1/ROOT"));
        assert_eq!(g[1].value.as_deref(), Some("on"));
        assert_eq!((g[2].value.clone(), g[2].source.clone()), (None, None));
        assert!(parse_get("a\tb\tc\n").is_err());
        assert_eq!(parse_get_values("on\n-\n"), vec![Some("on".to_string()), None]);
    }

    #[test]
    fn builders() {
        let q = ListQuery {
            properties: &["name", "org.opensolaris.libbe:active"],
            recursive: true,
            types: &["filesystem"],
            datasets: &["rpool/zones/z1/ROOT"],
        };
        assert_eq!(
            list_spec(&q).unwrap().display(),
            "zfs list -H -r -t filesystem -o name,org.opensolaris.libbe:active rpool/zones/z1/ROOT"
        );
        assert!(list_spec(&ListQuery { properties: &[], ..q.clone() }).is_err());
        assert!(list_spec(&ListQuery { types: &["pool"], ..q.clone() }).is_err());
        assert!(list_spec(&ListQuery { datasets: &["-x"], ..q }).is_err());
        assert_eq!(
            get_spec(&["mountpoint", "zoned"], &["rpool/z"]).unwrap().display(),
            "zfs get -H -o name,property,value,source mountpoint,zoned rpool/z"
        );
        assert_eq!(
            get_value_spec("zoned", "rpool/z").unwrap().display(),
            "zfs get -H -o value zoned rpool/z"
        );
        assert_eq!(
            snapshot_spec("rpool/z@s1", true, &[("com.example:by", "zonerescue")])
                .unwrap()
                .display(),
            "zfs snapshot -r -o com.example:by=zonerescue rpool/z@s1"
        );
        assert!(snapshot_spec("rpool/z", false, &[]).is_err());
        assert!(snapshot_spec("rpool/z@s", false, &[("a", "x\ny")]).is_err());
        assert_eq!(
            rollback_spec("rpool/z@s1", true).unwrap().display(),
            "zfs rollback -r rpool/z@s1"
        );
        assert_eq!(
            rollback_spec("rpool/z@s1", false).unwrap().display(),
            "zfs rollback rpool/z@s1"
        );
        assert_eq!(destroy_spec("rpool/z@s1", false).unwrap().display(), "zfs destroy rpool/z@s1");
        assert_eq!(destroy_spec("rpool/z/b", true).unwrap().display(), "zfs destroy -r rpool/z/b");
        assert_eq!(
            clone_spec("rpool/z@s1", "rpool/z2", &[("canmount", "noauto")]).unwrap().display(),
            "zfs clone -o canmount=noauto rpool/z@s1 rpool/z2"
        );
        assert_eq!(promote_spec("rpool/z2").unwrap().display(), "zfs promote rpool/z2");
        assert_eq!(
            set_spec("rpool/z", "org.opensolaris.libbe:active", "on").unwrap().display(),
            "zfs set org.opensolaris.libbe:active=on rpool/z"
        );
        assert_eq!(
            inherit_spec("rpool/z", "zoned", true).unwrap().display(),
            "zfs inherit -r zoned rpool/z"
        );
    }
}
