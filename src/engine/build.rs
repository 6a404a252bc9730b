//! OS build numbers from `entire` versions, and versions for another build by analogy, so
//! that no platform's version syntax is hard-coded: `0.5.11-0.111` (OpenSolaris), `0.5.11-0.151.1.8`
//! (OpenIndiana), `11-0.151046` (OmniOS as the simulator prints it), `0.5.11-0.175.0.0.0.2.1` (S11).

use crate::commands::{Version, fmri::DotSequence};

/// The build is the first non-zero component of the branch (`0.111` → 111, `151046.0` →
/// 151046); without a branch, the last release component.
/// The zone's own version with its build replaced by `build` and everything after the build
/// dropped (a version pattern: pkg picks the newest matching one): `0.5.11-0.111` with 134 →
/// `0.5.11-0.134`; `11-0.151046` with 151050 → `11-0.151050`.
pub fn version_for_build(zone_version: &Version, build: u64) -> Option<Version> {
    let old = zone_version.os_build()?;
    let mut v = zone_version.clone();
    v.timestamp = None;
    v.build = None;
    match &mut v.branch {
        Some(b) => {
            let i = b.0.iter().position(|&n| n == old)?;
            let mut parts: Vec<u64> = b.0[..i].to_vec();
            parts.push(build);
            *b = DotSequence(parts);
        }
        None => {
            let last = v.release.0.last_mut()?;
            *last = build;
        }
    }
    Some(v)
}

/// Same release and branch: what `attach -u` compares (`fmri_compare` of the brand scripts),
/// ignoring the publish timestamp, which a rebuilt package changes without changing the
/// release.
pub fn same_release(a: &Version, b: &Version) -> bool {
    a.release == b.release && a.branch == b.branch
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Version {
        Version::parse(s).unwrap()
    }

    #[test]
    fn builds_and_analogous_versions() {
        assert_eq!(v("0.5.11-0.111").os_build(), Some(111));
        assert_eq!(v("0.5.11,5.11-0.151.0.1:20101105T054056Z").os_build(), Some(151));
        assert_eq!(v("11-0.151046").os_build(), Some(151046));
        assert_eq!(v("0.5.11-0.175.0.0.0.2.1").os_build(), Some(175));
        // Solaris 11.4 numbers its SRUs on another scale: no build to compare with 11.3's.
        assert_eq!(v("11.4-11.4.42.0.1.113.1:20220112T184707Z").os_build(), None);
        assert_eq!(v("0.5.11-2018.0.0.17949").os_build(), Some(2018));
        assert_eq!(version_for_build(&v("0.5.11-0.111"), 134).unwrap().to_string(), "0.5.11-0.134");
        assert_eq!(
            version_for_build(&v("11-0.151046"), 151050).unwrap().to_string(),
            "11-0.151050"
        );
        assert_eq!(
            version_for_build(&v("0.5.11,5.11-0.151.1.8:20120101T000000Z"), 148)
                .unwrap()
                .to_string(),
            "0.5.11-0.148"
        );
    }

    #[test]
    fn same_release_looks_past_the_build_number_but_not_at_timestamps() {
        // One build, two OpenIndiana updates (151a8, 151a9) and two Solaris 11 SRUs.
        assert!(!same_release(&v("0.5.11-0.151.1.8"), &v("0.5.11-0.151.1.9")));
        assert!(!same_release(&v("0.5.11-0.175.1.0.0.24.2"), &v("0.5.11-0.175.3.1.0.5.0")));
        assert!(same_release(
            &v("0.5.11,5.11-0.151.1.8:20130305T000000Z"),
            &v("0.5.11-0.151.1.8:20140101T000000Z")
        ));
        assert!(!same_release(&v("11-0.151046"), &v("11-0.151054")));
    }
}
