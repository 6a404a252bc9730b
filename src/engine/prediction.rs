//! What preflight's facts say of the plain attach before it is tried: the failure auto
//! starts from instead of attaching to find out, also shown by `--all` for each zone.

use super::diagnosis::Diagnosis;
use super::facts::Facts;
use crate::playbook::Playbook;
use crate::strategies::StrategyName;

/// The diagnosis auto starts from instead of a plain attach, if any: what preflight found
/// that makes the plain attach fail for certain — a publisher `attach -u` refreshes that the
/// global zone cannot reach and that a gentle rung can take out of the way (a GZ publisher
/// other than the first; a zone-only publisher), a disabled GZ publisher the platform's attach
/// refreshes anyway, installed packages the GZ's catalogs list as obsolete at its release (no
/// plan keeps them), or a zone newer than the global zone.
pub fn predict(facts: &Facts, playbook: &Playbook) -> Option<Diagnosis> {
    if facts.zone_newer_than_gz() {
        // Whatever else is wrong, this fails first, and only a new image gets past it.
        return Some(Diagnosis {
            predicted: true,
            reasons: vec![format!(
                "the zone's entire ({}) is of a later release than the global zone's ({}): \
                 attach -u cannot downgrade it ({})",
                facts.zone_version().map(ToString::to_string).unwrap_or_default(),
                facts.gz_entire_text(),
                Diagnosis::ZONE_NEWER
            )],
            keys: vec![Diagnosis::ZONE_NEWER.into()],
            ..Default::default()
        });
    }
    beside_the_release(facts, playbook)
}

/// What preflight predicts besides the zone's release: publishers the attach refreshes that do
/// not answer, packages the GZ's catalogs call obsolete. (A zone newer than the global zone
/// fails before these; image-create, its only way, meets the global zone's publishers still.)
pub fn beside_the_release(facts: &Facts, playbook: &Playbook) -> Option<Diagnosis> {
    let first = facts.gz_primary_publisher().map(|(p, _)| p.name.clone());
    let gz = facts.gz_unreachable.clone().unwrap_or_default();
    let zone = facts.zone_unreachable.clone().unwrap_or_default();
    let obsolete = predicted_obsolete(facts, playbook);
    // Solaris 11 Express re-creates every GZ publisher in the zone, disabled ones too, and
    // refreshes them (the field notes: "it even consults disabled publishers"); pkg cannot
    // test a disabled one beforehand, and keeping them out of the attach is harmless.
    let disabled = if playbook.platform.attach_uses_disabled_gz_publishers() {
        facts.untested_disabled_gz_publishers()
    } else {
        Vec::new()
    };
    if gz.iter().any(|g| Some(g) == first.as_ref())
        || (gz.is_empty() && zone.is_empty() && obsolete.is_empty() && disabled.is_empty())
    {
        // Nothing known, or the primary itself unreachable: attach and let the log speak.
        return None;
    }
    let mut d = Diagnosis { predicted: true, ..Default::default() };
    if !gz.is_empty() || !disabled.is_empty() {
        d.remedies.push(StrategyName::GzPublishers);
    }
    if !gz.is_empty() {
        d.reasons.push(format!(
            "the global zone cannot reach publisher(s) {} (gz.publisher-unreachable)",
            gz.join(", ")
        ));
        d.keys.push(Diagnosis::GZ_UNREACHABLE.into());
    }
    if !disabled.is_empty() {
        d.reasons.push(format!(
            "the global zone's disabled publisher(s) {} are re-created and refreshed in the \
             zone by this release's attach, which fails if one does not answer, and pkg \
             cannot test a disabled publisher beforehand (gz.publisher-disabled)",
            disabled.join(", ")
        ));
        d.keys.push(Diagnosis::GZ_DISABLED.into());
    }
    if !zone.is_empty() {
        d.remedies.push(StrategyName::ZonePublishers);
        d.reasons.push(format!(
            "the zone's publisher(s) {} cannot be reached from the global zone \
             (zone.publisher-unreachable)",
            zone.join(", ")
        ));
        d.keys.push(Diagnosis::ZONE_UNREACHABLE.into());
    }
    if !obsolete.is_empty() {
        d.add_catalog_obsolete(obsolete);
    }
    d.publishers = gz.into_iter().chain(zone).collect();
    Some(d)
}

/// The installed packages whose uninstall the GZ's catalogs predict. Only the playbook's
/// problem groups — the packages the field notes found blocking the solve — are removed on
/// the catalogs' word, and only when they are all the catalogs call obsolete: obsolete
/// alone need not block (pkg drops such a package when nothing requires it), and one that
/// does block and cannot go (core, or required by core) would make removing the others
/// change for nothing. A package no catalog knows may be either (a core package may
/// require it). The attach judges those.
pub fn predicted_obsolete(facts: &Facts, playbook: &Playbook) -> Vec<String> {
    let catalogs = facts.gz_catalogs.clone().unwrap_or_default();
    let uncovered = |p: &String| playbook.is_core(p) || playbook.problem_group(p).is_none();
    if catalogs.obsolete.iter().chain(&catalogs.unknown).any(uncovered) {
        return Vec::new();
    }
    catalogs.obsolete
}
