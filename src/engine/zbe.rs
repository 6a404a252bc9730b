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
    /// The solaris brand's attach claims this one (parentbe := the running GZ BE, active=on):
    /// the only ZBE of the running GZ BE but not active (its rule 2), or a zone's only ZBE
    /// not active (rule 4). Until then the zone is not the running GZ BE's.
    ToClaim(String),
    None,
    /// Several candidates: refuse, never guess.
    Ambiguous(Vec<String>),
}

/// `solaris`: the solaris brand's rules (reference §2.6 `discover_active_be`), which also take
/// the only ZBE of the running GZ BE whether active or not (its rule 2), and a zone's only ZBE
/// (rule 4); the ipkg brand's `get_active_ds` takes only an active one of the running GZ BE.
pub fn choose_active(
    zbes: &[ZbeInfo],
    gz_be_uuid: Option<&str>,
    mounted: Option<&str>,
    solaris: bool,
) -> ZbeChoice {
    if let Some(uuid) = gz_be_uuid {
        let by_parent: Vec<&ZbeInfo> =
            zbes.iter().filter(|z| z.active && z.parentbe.as_deref() == Some(uuid)).collect();
        match by_parent.as_slice() {
            // (regress rr F2: another mounted at the zone root is what `pkg -R` changes.)
            [one] => {
                return unless_another_is_mounted(&one.dataset, zbes, mounted)
                    .unwrap_or_else(|| ZbeChoice::ByParent(one.dataset.clone()));
            }
            [] => {}
            many => return ZbeChoice::Ambiguous(many.iter().map(|z| z.dataset.clone()).collect()),
        }
        // (oracle qq F1: the active ZBE of an older GZ BE was taken instead, and changed,
        // while the attach mounted this one.)
        let of_running: Vec<&ZbeInfo> =
            zbes.iter().filter(|z| z.parentbe.as_deref() == Some(uuid)).collect();
        if solaris && let [one] = of_running.as_slice() {
            return unless_another_is_mounted(&one.dataset, zbes, mounted)
                .unwrap_or_else(|| ZbeChoice::ToClaim(one.dataset.clone()));
        }
    }
    let active: Vec<&ZbeInfo> = zbes.iter().filter(|z| z.active).collect();
    if solaris {
        // Rule 3, exactly one active: mounted or cloned by the attach. Its rules never look at
        // mounts: another ZBE mounted at the zone root is what `pkg -R` would change
        // (regress ss F2: it was taken, and snapshotted, while the attach cloned this one).
        if let [one] = active.as_slice() {
            return unless_another_is_mounted(&one.dataset, zbes, mounted).unwrap_or_else(|| {
                ZbeChoice::OnlyActive {
                    dataset: one.dataset.clone(),
                    parentbe: one.parentbe.clone(),
                }
            });
        }
        // Rule 4: the only ZBE, activated in place by the attach.
        if let [one] = zbes {
            return unless_another_is_mounted(&one.dataset, zbes, mounted)
                .unwrap_or_else(|| ZbeChoice::ToClaim(one.dataset.clone()));
        }
        // Else the brand prints its candidates and fails.
        return match active.as_slice() {
            [] => ZbeChoice::None,
            many => ZbeChoice::Ambiguous(many.iter().map(|z| z.dataset.clone()).collect()),
        };
    }
    if let Some(m) = mounted
        && zbes.iter().any(|z| z.dataset == m)
    {
        return ZbeChoice::ByMount(m.to_string());
    }
    match active.as_slice() {
        [one] => {
            ZbeChoice::OnlyActive { dataset: one.dataset.clone(), parentbe: one.parentbe.clone() }
        }
        [] => ZbeChoice::None,
        many => ZbeChoice::Ambiguous(many.iter().map(|z| z.dataset.clone()).collect()),
    }
}

/// Another ZBE than the one the brand's rules pick is mounted at the zone root: `pkg -R` would
/// change that one while the snapshots are of the other. Refused as ambiguous.
fn unless_another_is_mounted(
    chosen: &str,
    zbes: &[ZbeInfo],
    mounted: Option<&str>,
) -> Option<ZbeChoice> {
    let m = mounted.filter(|m| *m != chosen && zbes.iter().any(|z| z.dataset == *m))?;
    Some(ZbeChoice::Ambiguous(vec![chosen.to_string(), m.to_string()]))
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
            choose_active(&zbes, Some("gz"), None, false),
            ZbeChoice::ByParent("p/ROOT/zbe-1".into())
        );
        // After a GZ upgrade no ZBE names the new GZ BE: the mounted one, else the only active.
        let zbes = vec![z("p/ROOT/zbe", "old", true), z("p/ROOT/zbe-1", "older", false)];
        assert_eq!(
            choose_active(&zbes, Some("gz"), Some("p/ROOT/zbe-1"), false),
            ZbeChoice::ByMount("p/ROOT/zbe-1".into())
        );
        assert!(matches!(
            choose_active(&zbes, Some("gz"), None, false),
            ZbeChoice::OnlyActive { .. }
        ));
        let two = vec![z("a", "x", true), z("b", "y", true)];
        assert!(matches!(choose_active(&two, Some("gz"), None, false), ZbeChoice::Ambiguous(_)));
        let dup = vec![z("a", "gz", true), z("b", "gz", true)];
        assert!(matches!(
            choose_active(&dup, Some("gz"), Some("a"), false),
            ZbeChoice::Ambiguous(_)
        ));
        assert_eq!(choose_active(&[], Some("gz"), None, false), ZbeChoice::None);
    }

    #[test]
    fn the_solaris_brand_also_takes_the_running_gz_be_s_inactive_one_and_an_only_one() {
        // Oracle qq F1: the older GZ BE's active ZBE was taken; the attach mounts the other.
        let zbes = vec![z("p/ROOT/solaris", "old", true), z("p/ROOT/solaris-1", "gz", false)];
        assert_eq!(
            choose_active(&zbes, Some("gz"), None, true),
            ZbeChoice::ToClaim("p/ROOT/solaris-1".into())
        );
        assert!(matches!(
            choose_active(&zbes, Some("gz"), None, false),
            ZbeChoice::OnlyActive { .. }
        ));
        // The other mounted at the zone root: `pkg -R` would change it, not the one snapshotted.
        assert!(matches!(
            choose_active(&zbes, Some("gz"), Some("p/ROOT/solaris"), true),
            ZbeChoice::Ambiguous(_)
        ));
        // Rule 1's pick with another mounted at the zone root (regress rr F2), either brand.
        let two = vec![z("p/ROOT/solaris", "gz", true), z("p/ROOT/solaris-0", "old", false)];
        for solaris in [true, false] {
            assert!(matches!(
                choose_active(&two, Some("gz"), Some("p/ROOT/solaris-0"), solaris),
                ZbeChoice::Ambiguous(_)
            ));
        }
        let only = vec![z("p/ROOT/solaris", "old", false)];
        assert_eq!(
            choose_active(&only, Some("gz"), None, true),
            ZbeChoice::ToClaim("p/ROOT/solaris".into())
        );
        assert_eq!(choose_active(&only, Some("gz"), None, false), ZbeChoice::None);
    }

    /// Regress ss F2: rule 3 (exactly one active, of an older GZ BE that exists: cloned by the
    /// attach) with another ZBE mounted at the zone root took the mounted one.
    #[test]
    fn the_solaris_brand_never_chooses_by_mount() {
        let zbes = vec![z("p/ROOT/solaris", "old", true), z("p/ROOT/solaris-0", "older", false)];
        assert!(matches!(
            choose_active(&zbes, Some("gz"), None, true),
            ZbeChoice::OnlyActive { ref dataset, .. } if dataset == "p/ROOT/solaris"
        ));
        assert!(matches!(
            choose_active(&zbes, Some("gz"), Some("p/ROOT/solaris-0"), true),
            ZbeChoice::Ambiguous(_)
        ));
        // ipkg's attach finds its ZBE by the mount (reference §2.5 step 5).
        assert_eq!(
            choose_active(&zbes, Some("gz"), Some("p/ROOT/solaris-0"), false),
            ZbeChoice::ByMount("p/ROOT/solaris-0".into())
        );
        // None active, several: the brand fails; so does the choice.
        let none = vec![z("p/ROOT/solaris", "old", false), z("p/ROOT/solaris-0", "older", false)];
        assert_eq!(
            choose_active(&none, Some("gz"), Some("p/ROOT/solaris-0"), true),
            ZbeChoice::None
        );
    }
}
