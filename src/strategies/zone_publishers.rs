//! `zone-publishers`: the zone image drops publishers the global zone cannot reach (named as
//! unreachable by the diagnosis, or failing a refresh run from the global zone with
//! `pkg -R ROOT refresh PUB`; disabled where `unset-publisher` fails), after taking the global
//! zone's primary publisher as its first.

use super::{Applied, Input, Strategy, StrategyName, tail};
use crate::commands::pkg::SetPublisher;
use crate::engine::exec::Exec;
use crate::engine::findings::{Finding, Severity};
use crate::playbook::Platform;

pub struct ZonePublishers;

/// The finding that names the zone publishers this rung removed, with the commands that put
/// them back (kept for the run's summary).
pub const REMOVED: &str = "zone-publishers.removed";

impl ZonePublishers {
    /// Zone publishers the diagnosis names as unreachable, or whose refresh from the global
    /// zone failed in preflight. System publishers are left out: they are the global zone's
    /// own (served through the system repository, which pkg refuses to modify in the zone);
    /// `gz-publishers` is the rung for those.
    /// Where the attach copies the global zone's publishers in (reference §5: OpenIndiana's and
    /// OmniOS's `copy-publishers-from /`, disabled ones too), a zone publisher the global zone
    /// also has is replaced by the GZ's copy before pkg uses it: removing it changes nothing
    /// (gz-publishers is the rung for the GZ's copy).
    pub(crate) fn known_dead(input: &Input) -> Vec<String> {
        let preflight = input.facts.zone_unreachable.as_deref().unwrap_or_default();
        // (Not on Solaris 11 Express, where gz-publishers unsets the GZ's copy for the
        // attach, which then leaves the zone's own in place.)
        let replaced = |name: &str| {
            matches!(input.facts.platform, Platform::OpenIndiana | Platform::OmniOs)
                && input.facts.gz_publishers.iter().any(|g| g.name == name)
        };
        // One whose repository answered when this run began (a resumed run's preflight found
        // it down) is tested again, not taken for dead: its failure then is an outage
        // (regress ww2 F1).
        let answered_before = |p: &crate::commands::pkg::Publisher| {
            let mut origins = p.enabled_origins().peekable();
            origins.peek().is_some()
                && origins.all(|o| {
                    input.facts.answered_before.iter().any(|a| a == o.trim_end_matches('/'))
                })
        };
        input
            .facts
            .zone_publishers
            .iter()
            .filter(|p| p.syspub != Some(true))
            .filter(|p| !replaced(&p.name))
            .filter(|p| !answered_before(p))
            .filter(|p| {
                preflight.contains(&p.name)
                    || input.diagnosis.is_some_and(|d| {
                        d.publishers.contains(&p.name)
                            || p.origins.iter().any(|o| d.origins.contains(&o.uri))
                    })
            })
            .map(|p| p.name.clone())
            .collect()
    }

    /// Whether `name` still needs a reachability test: preflight refreshed every enabled
    /// zone-only publisher from the global zone already (those not named dead answered);
    /// one the attach replaced with the global zone's namesake was not tested there.
    fn untested(input: &Input, name: &str) -> bool {
        input.facts.zone_unreachable.is_none()
            || input.facts.gz_publishers.iter().any(|g| g.name == name)
    }

    /// [`Self::known_dead`] without the global zone's primary publisher, which this rung makes
    /// the zone's first instead of removing it.
    fn known_dead_but_first(input: &Input) -> Vec<String> {
        let gz_first = input.facts.gz_primary_publisher().map(|(p, _)| p.name.clone());
        let mut dead = Self::known_dead(input);
        dead.retain(|d| Some(d) != gz_first.as_ref());
        dead
    }

    /// Whether zone publisher `p` is refreshed from the global zone to find out whether it
    /// answers: enabled, not a system publisher, not known `dead`, not the global zone's
    /// primary one, and not already tested in preflight.
    fn needs_test(input: &Input, p: &crate::commands::pkg::Publisher, dead: &[String]) -> bool {
        let gz_first = input.facts.gz_primary_publisher().map(|(g, _)| &g.name);
        p.enabled
            && p.syspub != Some(true)
            && !dead.contains(&p.name)
            && Some(&p.name) != gz_first
            && Self::untested(input, &p.name)
    }

    /// The global zone's primary publisher and its enabled origins, to be the zone's first
    /// publisher; none when it already is.
    fn first_origins(input: &Input) -> Option<(String, Vec<String>)> {
        let (gz, _) = input.facts.gz_primary_publisher()?;
        let origins: Vec<String> = gz.enabled_origins().map(str::to_string).collect();
        // A system publisher (solaris brand after an `attach -u` switched the image to the
        // system repository) is the global zone's publisher by construction: its origin shows as
        // `<system-repository>` and pkg refuses to modify it.
        let already = input.facts.zone_publishers.first().is_some_and(|z| {
            z.name == gz.name
                && (z.syspub == Some(true)
                    || z.enabled_origins().any(|o| origins.iter().any(|g| g == o)))
        });
        (!already).then(|| (gz.name.clone(), origins))
    }

    /// `pkg -R ROOT set-publisher -O origin -P name`.
    fn first_spec(
        input: &Input,
        name: &str,
        origin: &str,
    ) -> Result<crate::system::CommandSpec, crate::commands::InvalidName> {
        input.facts.zone_pkg().set_publisher_spec(&SetPublisher {
            name: name.to_string(),
            set_origin: Some(origin.to_string()),
            search_first: true,
            ..Default::default()
        })
    }
}

impl Strategy for ZonePublishers {
    fn name(&self) -> StrategyName {
        StrategyName::ZonePublishers
    }
    fn worth_trying(&self, input: &Input) -> Result<String, String> {
        if input.facts.zone_publishers.is_empty() {
            return Err("cannot read the zone's publishers".into());
        }
        let dead = Self::known_dead(input);
        if !dead.is_empty() {
            return Ok(format!(
                "the zone's publisher(s) {} cannot be reached from the global zone",
                dead.join(", ")
            ));
        }
        let called = input.diagnosis.is_some_and(|d| d.remedies.contains(&self.name()));
        if input.guided && input.diagnosis.is_some() && !called {
            // auto acts on evidence: the last failure named no unreachable zone publisher and
            // no publisher mismatch.
            return Err("the diagnosis names no unreachable zone publisher".into());
        }
        let gz_only: Vec<&str> =
            input.facts.gz_publishers.iter().map(|p| p.name.as_str()).collect();
        let zone_only =
            input.facts.zone_publishers.iter().any(|p| !gz_only.contains(&p.name.as_str()));
        if zone_only || Self::first_origins(input).is_some() {
            Ok("the zone has publishers of its own or a different first publisher than the global zone".into())
        } else {
            Err("the zone's publishers already match the global zone's".into())
        }
    }
    fn commands(&self, input: &Input) -> Vec<String> {
        let zp = input.facts.zone_pkg();
        let dead = Self::known_dead_but_first(input);
        let mut out = Vec::new();
        let mut tests = false;
        for p in input.facts.zone_publishers.iter().filter(|p| Self::needs_test(input, p, &dead)) {
            if let Ok(s) = zp.refresh_spec(false, &[p.name.as_str()]) {
                out.push(format!("{}   (reachability test)", s.display()));
                tests = true;
            }
        }
        if let Some((name, origins)) = Self::first_origins(input)
            && let Some(Ok(s)) = origins.first().map(|o| Self::first_spec(input, &name, o))
        {
            let next =
                if origins.len() > 1 { "   (its next origin if that one fails)" } else { "" };
            out.push(format!("{}{next}", s.display()));
        }
        // The publishers known dead by name; those the tests above find are added to them.
        let mut unset = dead;
        if tests {
            unset.push("<each that fails its reachability test>".into());
        }
        if !unset.is_empty() {
            out.push(format!(
                "pkg -R {} unset-publisher {}",
                input.facts.zone_root_quoted(),
                unset.join(" ")
            ));
        }
        out
    }
    fn apply(&mut self, input: &Input, exec: &Exec) -> anyhow::Result<Applied> {
        let zp = input.facts.zone_pkg();
        let mut dead = Self::known_dead_but_first(input);
        let untested: Vec<&crate::commands::pkg::Publisher> = input
            .facts
            .zone_publishers
            .iter()
            .filter(|p| Self::needs_test(input, p, &dead))
            .collect();
        for p in untested {
            // A refresh only updates the catalog cache: it is a reachability test, run even
            // in a dry run.
            let spec = zp.refresh_spec(false, &[p.name.as_str()])?;
            let out = exec.read(&spec)?;
            if !matches!(out.code, Some(0) | Some(4)) {
                // Its origin answered earlier in this run (the global zone's namesake, say):
                // an outage, which the engine retries and then stops on, never a reason to
                // remove the publisher (oracle ww F1).
                let origins: Vec<String> = p.enabled_origins().map(str::to_string).collect();
                if input.facts.answered(&[], &origins) {
                    return Ok(Applied::NotSolvable(format!(
                        "{} did not answer its refresh, though its repository answered earlier \
                         in this run: {}",
                        p.name,
                        tail(&out)
                    )));
                }
                dead.push(p.name.clone());
            }
        }
        let mut done = Vec::new();
        let mut findings = Vec::new();
        // The global zone's publisher first: pkg (b151) will not remove or disable the
        // preferred publisher, which a dead one often is (RemovePreferredPublisher).
        // Each of its origins in turn, as the global zone's pkg does: the first may be a dead
        // mirror the second stands in for.
        if let Some((name, origins)) = Self::first_origins(input) {
            let mut failed = Vec::new();
            for origin in &origins {
                match exec.change(&Self::first_spec(input, &name, origin)?)? {
                    Some(out) if !out.success() => failed.push(format!("{origin}: {}", tail(&out))),
                    _ => {
                        failed.clear();
                        break;
                    }
                }
            }
            if !failed.is_empty() {
                let why = format!("set-publisher failed: {}", failed.join("; "));
                return Ok(Applied::NotSolvable(why));
            }
            done.push(format!("made {name} the first publisher"));
        }
        if !dead.is_empty() {
            let names: Vec<&str> = dead.iter().map(String::as_str).collect();
            // What only `pkg publisher NAME` shows (SSL key and certificate, proxies,
            // properties such as a signature policy), read before the unset: the commands that
            // put them back carry it (oracle jj F2: a client certificate was lost).
            let details = crate::commands::pkg::publisher_details(&exec.runner, &zp, &names).ok();
            match exec.change(&zp.unset_publisher_spec(&names)?)? {
                Some(out) if !out.success() => {
                    // Removal can fail where disabling works (its directory cannot be
                    // removed, say); a disabled publisher is not refreshed by the attach
                    // either. Those already removed (exit 3: some were) are left as they are.
                    let unset_failed = tail(&out);
                    let still: Vec<String> = crate::commands::pkg::publishers(&exec.runner, &zp)
                        .map(|p| p.into_iter().map(|p| p.name).collect())
                        .unwrap_or_else(|_| dead.clone());
                    for name in dead.iter().filter(|d| still.contains(d)) {
                        let disable = SetPublisher {
                            name: name.clone(),
                            enable: Some(false),
                            no_refresh: true,
                            ..Default::default()
                        };
                        if let Some(out) = exec.change(&zp.set_publisher_spec(&disable)?)?
                            && !out.success()
                        {
                            return Ok(Applied::NotSolvable(format!(
                                "unset-publisher failed: {unset_failed}; disabling {name} failed \
                                 too: {}",
                                tail(&out)
                            )));
                        }
                    }
                    done.push(format!(
                        "disabled {} (unset-publisher failed: {unset_failed})",
                        dead.join(", ")
                    ));
                }
                _ => {
                    done.push(format!("removed {}", dead.join(", ")));
                    findings.extend(Self::removed_finding(input, &dead, details.as_deref()));
                }
            }
        }
        if done.is_empty() {
            return Ok(Applied::NothingToDo(
                "every zone publisher is reachable and already in order".into(),
            ));
        }
        Ok(Applied::Changed { detail: done.join("; "), findings })
    }
}

impl ZonePublishers {
    /// The zone's own publishers `removed` (the global zone could not reach them): what they
    /// were, and the commands that put them back once they answer (a repository served from
    /// inside the zone answers again once it boots). Only the pre-rescue snapshot keeps them
    /// otherwise. `details`: their `pkg publisher NAME` listings before the unset (None: they
    /// could not be read, and the commands may lack what only those show).
    fn removed_finding(
        input: &Input,
        removed: &[String],
        details: Option<&[crate::commands::pkg::PublisherDetail]>,
    ) -> Option<Finding> {
        let zp = input.facts.zone_pkg();
        let gone: Vec<&crate::commands::pkg::Publisher> =
            input.facts.zone_publishers.iter().filter(|p| removed.contains(&p.name)).collect();
        let mut each = Vec::new();
        let mut commands = Vec::new();
        let mut notes = Vec::new();
        for p in &gone {
            let origins: Vec<String> = p.origins.iter().map(|o| o.uri.clone()).collect();
            each.push(format!("{} ({})", p.name, origins.join(", ")));
            let detail = details.and_then(|d| d.iter().find(|d| d.name == p.name));
            if details.is_none() {
                notes.push(format!(
                    "{}: `pkg publisher {}` could not be read before the unset, so an SSL key or \
                     certificate and properties it had are not in the command (the pre-rescue \
                     snapshot keeps them)",
                    p.name, p.name
                ));
            }
            if let Ok((specs, n)) =
                super::gz_publishers::readd_specs(&zp, p, detail, super::gz_publishers::Place::Last)
            {
                commands.extend(specs.iter().map(|s| s.display()));
                notes.extend(n);
            }
        }
        if each.is_empty() {
            return None;
        }
        Some(
            Finding::warn(
                REMOVED,
                Severity::Medium,
                format!(
                    "the zone's publisher(s) {} were removed: the global zone could not reach them",
                    each.join("; ")
                ),
            )
            .detail(notes.join("; "))
            .remediation(format!(
                "once they answer (a repository served from inside the zone does once it boots), \
                 put them back: {}",
                commands.join("; ")
            )),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::playbook::{Platform, Playbook};
    use crate::strategies::testfacts::{b111, diagnosis, publisher, rung_input};

    /// After a failed `attach -u` of a solaris-brand zone the image lists the GZ publisher as a
    /// system publisher (`<system-repository>`): pkg refuses to modify it, so zone-publishers
    /// must only drop the dead ones (found by a generated world, seed 29).
    #[test]
    fn a_system_publisher_is_already_the_global_zones_first() {
        let mut facts = b111();
        facts.platform = Platform::Solaris11;
        facts.gz_publishers =
            vec![publisher("solaris", "https://pkg.oracle.com/solaris/support/", true)];
        let mut sys = publisher("solaris", "<system-repository>", true);
        sys.syspub = Some(true);
        facts.zone_publishers = vec![
            sys,
            publisher("site", "http://repo.example.com/s11-legacy/", true),
            publisher("local", "http://10.0.4.12:10000/", true),
        ];
        let pb = Playbook::builtin(Platform::Solaris11);
        // The diagnosis names a GZ publisher (served as a system publisher) and a zone one.
        let mut down = publisher("sitepub", "<system-repository>", true);
        down.syspub = Some(true);
        facts.zone_publishers.insert(1, down);
        let d = diagnosis(&[], &["sitepub", "local"]);
        let input = rung_input(&facts, Some(&d), &pb, true);
        assert_eq!(ZonePublishers::known_dead(&input), vec!["local".to_string()]);
        let input = rung_input(&facts, Some(&d), &pb, true);
        assert!(ZonePublishers.worth_trying(&input).is_ok());
        let cmds = ZonePublishers.commands(&input);
        assert!(cmds.iter().all(|c| !c.contains(" set-publisher ")), "{cmds:?}");
        // Without the syspub mark the same origin mismatch still calls for set-publisher.
        facts.zone_publishers[0].syspub = None;
        let input = rung_input(&facts, Some(&d), &pb, true);
        assert!(ZonePublishers.commands(&input).iter().any(|c| c.contains(" set-publisher ")));
    }

    /// A diagnosis that calls for zone-publishers without naming a dead publisher (pkg's
    /// "not a superset of the parent" or a package from another publisher than the global
    /// zone's) makes it worth trying when the zone's publishers differ; otherwise auto keeps
    /// acting on evidence only.
    #[test]
    fn a_publisher_mismatch_diagnosis_calls_for_it() {
        let mut facts = b111();
        facts.gz_publishers =
            vec![publisher("solaris", "http://pkg.oracle.com/solaris/release/", true)];
        facts.zone_publishers = vec![
            publisher("solaris", "http://pkg.oracle.com/solaris/release/", true),
            publisher("site", "http://repo.example.com/site/", true),
        ];
        let pb = Playbook::builtin(Platform::S11Express);
        let mut d = diagnosis(&[], &[]);
        let input = rung_input(&facts, Some(&d), &pb, true);
        assert!(ZonePublishers.worth_trying(&input).is_err(), "no evidence, no rung");
        d.remedies.push(StrategyName::ZonePublishers);
        let input = rung_input(&facts, Some(&d), &pb, true);
        assert!(ZonePublishers.worth_trying(&input).is_ok());
        facts.zone_publishers.pop();
        let input = rung_input(&facts, Some(&d), &pb, true);
        assert!(ZonePublishers.worth_trying(&input).is_err(), "already matching: nothing to do");
    }
}
