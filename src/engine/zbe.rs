//! Which zone boot environment (ZBE) is the zone's active one — decided the way the brand
//! scripts decide (`get_active_ds`), never by guessing among several.

use serde::Serialize;

/// One ZBE as `zfs list -o name,org.opensolaris.libbe:parentbe,org.opensolaris.libbe:active`
/// shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ZbeInfo {
    pub dataset: String,
    pub parentbe: Option<String>,
    pub active: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ZbeChoice {
    /// parentbe == the running GZ BE and active=on: what the brand scripts pick.
    ByParent(String),
    /// The dataset mounted at `<zonepath>/root` (a detached zone, or a mounted one).
    ByMount(String),
    /// The only ZBE with active=on, whose parentbe is another (older) GZ BE: typical right
    /// after a global-zone upgrade.
    OnlyActive {
        dataset: String,
        parentbe: Option<String>,
    },
    None,
    /// Several candidates: refuse, never guess.
    Ambiguous(Vec<String>),
}

pub fn choose_active(
    zbes: &[ZbeInfo],
    gz_be_uuid: Option<&str>,
    mounted: Option<&str>,
) -> ZbeChoice {
    if let Some(uuid) = gz_be_uuid {
        let by_parent: Vec<&ZbeInfo> =
            zbes.iter().filter(|z| z.active && z.parentbe.as_deref() == Some(uuid)).collect();
        match by_parent.as_slice() {
            [one] => return ZbeChoice::ByParent(one.dataset.clone()),
            [] => {}
            many => return ZbeChoice::Ambiguous(many.iter().map(|z| z.dataset.clone()).collect()),
        }
    }
    if let Some(m) = mounted
        && zbes.iter().any(|z| z.dataset == m)
    {
        return ZbeChoice::ByMount(m.to_string());
    }
    let active: Vec<&ZbeInfo> = zbes.iter().filter(|z| z.active).collect();
    match active.as_slice() {
        [one] => {
            ZbeChoice::OnlyActive { dataset: one.dataset.clone(), parentbe: one.parentbe.clone() }
        }
        [] => ZbeChoice::None,
        many => ZbeChoice::Ambiguous(many.iter().map(|z| z.dataset.clone()).collect()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn z(name: &str, parent: &str, active: bool) -> ZbeInfo {
        ZbeInfo { dataset: name.into(), parentbe: Some(parent.into()), active }
    }

    #[test]
    fn brand_rules_in_order() {
        let zbes = vec![z("p/ROOT/zbe", "old", true), z("p/ROOT/zbe-1", "gz", true)];
        assert_eq!(
            choose_active(&zbes, Some("gz"), None),
            ZbeChoice::ByParent("p/ROOT/zbe-1".into())
        );
        // After a GZ upgrade no ZBE names the new GZ BE: the mounted one, else the only active.
        let zbes = vec![z("p/ROOT/zbe", "old", true), z("p/ROOT/zbe-1", "older", false)];
        assert_eq!(
            choose_active(&zbes, Some("gz"), Some("p/ROOT/zbe-1")),
            ZbeChoice::ByMount("p/ROOT/zbe-1".into())
        );
        assert!(matches!(choose_active(&zbes, Some("gz"), None), ZbeChoice::OnlyActive { .. }));
        let two = vec![z("a", "x", true), z("b", "y", true)];
        assert!(matches!(choose_active(&two, Some("gz"), None), ZbeChoice::Ambiguous(_)));
        let dup = vec![z("a", "gz", true), z("b", "gz", true)];
        assert!(matches!(choose_active(&dup, Some("gz"), Some("a")), ZbeChoice::Ambiguous(_)));
        assert_eq!(choose_active(&[], Some("gz"), None), ZbeChoice::None);
    }
}
