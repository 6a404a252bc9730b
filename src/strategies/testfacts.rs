//! Hand-made facts for the unit tests of the decision logic.

use crate::commands::pkg::{Origin, Publisher};
use crate::commands::zoneadm::ZoneState;
use crate::commands::{Fmri, ZoneName};
use crate::engine::diagnosis::Diagnosis;
use crate::engine::facts::Facts;
use crate::playbook::{Platform, Playbook};

use super::Input;

/// A rung's input, before any attach has failed.
pub fn rung_input<'a>(
    facts: &'a Facts,
    diagnosis: Option<&'a Diagnosis>,
    playbook: &'a Playbook,
    guided: bool,
) -> Input<'a> {
    Input {
        facts,
        diagnosis,
        playbook,
        guided,
        attach_failed: false,
        last_failure: diagnosis,
        rename_step_ahead: false,
        blocked: &[],
    }
}

pub fn publisher(name: &str, uri: &str, enabled: bool) -> Publisher {
    Publisher {
        name: name.into(),
        sticky: true,
        enabled,
        preferred: None,
        syspub: None,
        origins: vec![Origin { uri: uri.into(), enabled: true, proxies: vec![] }],
        mirrors: vec![],
        proxies: vec![],
    }
}

/// A b111 zone on a b151 Solaris 11 Express host, like the field notes' web zone.
pub fn b111() -> Facts {
    Facts {
        zone: ZoneName::new("web01").unwrap(),
        brand: "ipkg".into(),
        state: ZoneState::Configured,
        zonepath: "/zones/web01".into(),
        zone_root: "/zones/web01/root".into(),
        zonepath_dataset: Some("rpool/zones/web01".into()),
        gz_be_uuid: Some("gz".into()),
        active_zbe: Some("rpool/zones/web01/ROOT/zbe".into()),
        zbe_of_running_gz_be: false,
        zbe_root: "rpool/zones/web01/ROOT".into(),
        platform: Platform::S11Express,
        gz_entire: Some(Fmri::parse("pkg://solaris/entire@0.5.11-0.151").unwrap()),
        zone_entire: Some(Fmri::parse("pkg://opensolaris.org/entire@0.5.11-0.111").unwrap()),
        gz_publishers: vec![
            publisher("solaris", "http://pkg.oracle.com/solaris/release/", true),
            publisher("extra", "http://pkg.example.net/extra/", false),
        ],
        gz_publishers_tsv: String::new(),
        gz_publishers_table: String::new(),
        zone_publishers: vec![publisher(
            "opensolaris.org",
            "http://pkg.opensolaris.org/dev/",
            true,
        )],
        zone_packages: [
            "SUNWcs",
            "system/library",
            "SUNWapch22",
            "developer/sunstudio12u1",
            "entire",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect(),
        gz_unreachable: None,
        zone_unreachable: None,
        zone_image_deferred: false,
        zone_packages_unread: None,
        zone_offered_builds: Vec::new(),
        zone_publishers_at_start: Vec::new(),
        repositories: Vec::new(),
        answered_before: Vec::new(),
        gz_catalogs: None,
    }
}

pub fn diagnosis(packages: &[&str], publishers: &[&str]) -> Diagnosis {
    Diagnosis {
        packages: packages.iter().map(|s| s.to_string()).collect(),
        publishers: publishers.iter().map(|s| s.to_string()).collect(),
        ..Default::default()
    }
}
