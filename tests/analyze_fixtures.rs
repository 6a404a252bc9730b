//! What each fixture must be diagnosed as (independent of the exact wording checked by the
//! snapshots): verdict, generation, the leading finding, the recommended strategy, subjects.

use std::fs;
use std::path::Path;
use std::sync::LazyLock;

use zonerescue::analysis::{
    AnalysisContext, Analyzer, Generation, LogKind, Report, RuleSet, Verdict, analyze_reader,
};
use zonerescue::strategies::StrategyName;

static RULES: LazyLock<RuleSet> = LazyLock::new(|| RuleSet::builtin().unwrap());

fn analyze(name: &str) -> Report {
    analyze_ctx(name, AnalysisContext::default())
}

fn analyze_ctx(name: &str, ctx: AnalysisContext) -> Report {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/logs").join(name);
    analyze_reader(&RULES, ctx, fs::File::open(path).unwrap()).unwrap()
}

/// (fixture, verdict, generation, key of the leading finding, recommended strategy, exit code)
type Case = (&'static str, Verdict, Generation, Option<&'static str>, Option<StrategyName>, u8);

use Generation as G;
use StrategyName as S;
use Verdict as V;

#[rustfmt::skip]
const CASES: &[Case] = &[
    ("opensolaris-200906-success.txt", V::Attached, G::Opensolaris200906, None, None, 0),
    ("opensolaris-b134-success.txt", V::Attached, G::OpensolarisB134, None, None, 0),
    ("opensolaris-b134-no-entire.txt", V::Failed, G::OpensolarisB134, Some("entire-missing"), None, 1),
    ("opensolaris-b134-licenses.log", V::Failed, G::OpensolarisB134, Some("licenses-not-accepted"), None, 1),
    ("s11express-disabled-publisher.log", V::Failed, G::S11express, Some("publisher-unreachable"), Some(S::GzPublishers), 1),
    ("s11express-disabled-publisher-transcript.txt", V::Failed, G::S11express, Some("gz-publisher-disabled"), Some(S::GzPublishers), 1),
    ("s11express-b111-rename.log", V::Failed, G::S11express, Some("package-renamed"), Some(S::Uninstall), 1),
    ("s11express-require-dependency.log", V::Failed, G::S11express, Some("dependency-unavailable"), None, 1),
    ("s11express-exclude-dependency.log", V::Failed, G::S11express, Some("package-excluded"), Some(S::Uninstall), 1),
    ("s11express-two-attempts.txt", V::Attached, G::S11express, None, None, 0),
    ("openindiana-zone-internal-repo.log", V::Failed, G::Openindiana, Some("publisher-unreachable"), Some(S::GzPublishers), 1),
    ("openindiana-transcript-with-publishers.txt", V::Failed, G::Openindiana, Some("publisher-unreachable-zone"), Some(S::ZonePublishers), 1),
    ("openindiana-success-partial-warning.txt", V::Attached, G::Openindiana, Some("partial-image-warning"), None, 0),
    ("openindiana-sparse-zone.log", V::Failed, G::Openindiana, Some("sparse-zone"), None, 1),
    ("openindiana-zonepath-not-zfs.txt", V::Failed, G::Unknown, Some("zonepath-not-zfs"), None, 1),
    ("openindiana-no-active-zbe.log", V::Failed, G::S11express, Some("zbe-not-mounted"), None, 1),
    ("openindiana-multiple-active.log", V::Failed, G::Openindiana, Some("zbe-multiple-active"), None, 1),
    ("openindiana-pattern-not-matched.log", V::Failed, G::Openindiana, Some("pattern-not-matched"), Some(S::ZonePublishers), 1),
    ("openindiana-2014-preferred-publisher.log", V::Failed, G::Openindiana, Some("publisher-reset-failed"), Some(S::ZonePublishers), 1),
    ("openindiana-truncated.log", V::Incomplete, G::Openindiana, Some("log-truncated"), Some(S::Attach), 1),
    ("omnios-postgres-removed.log", V::Failed, G::Omnios, Some("package-removed"), Some(S::Uninstall), 1),
    ("omnios-withdrawn-lts-jump.log", V::Failed, G::Omnios, Some("package-excluded"), Some(S::Uninstall), 1),
    ("omnios-terminal-only.txt", V::Incomplete, G::Unknown, Some("log-elsewhere"), None, 3),
    ("omnios-crlf-eucjp.log", V::Failed, G::Omnios, Some("package-removed"), Some(S::Uninstall), 1),
    ("solaris11-prefcs-image-locked.log", V::Failed, G::Solaris11Prefcs, Some("image-locked"), Some(S::Attach), 1),
    ("solaris11-success.txt", V::Attached, G::Solaris11, None, None, 0),
    ("solaris11-4-success-unindented.txt", V::Attached, G::Solaris11, None, None, 0),
    ("solaris11-publisher-mismatch.log", V::Failed, G::Solaris11, Some("publisher-mismatch"), Some(S::ZonePublishers), 1),
    // Analyze round z F1: a blocker kept by its dependents: image-create only for a core one.
    ("openindiana-uninstall-blocked-by-core-dependent.txt", V::Failed, G::Openindiana, Some("uninstall-blocked"), Some(S::ImageCreate), 1),
    ("openindiana-uninstall-blocked-by-its-extensions.txt", V::Failed, G::Openindiana, Some("uninstall-blocked"), Some(S::Uninstall), 1),
    // Analyze round z F2: the distribution's own publisher did not answer, another did: still
    // nothing gets past it (gz-publishers keeps it).
    ("solaris11-attach-solaris-publisher-down-other-refreshed.log", V::Failed, G::Solaris11, Some("publisher-unreachable-gz"), None, 1),
    ("openindiana-attach-distro-publisher-certificate-other-refreshed.log", V::Failed, G::Openindiana, Some("publisher-ssl-failed"), None, 1),
    // Analyze round z F4: the package a stale release incorporation excludes is one core
    // system/library requires: pkg refuses its uninstall, no strategy.
    ("omnios-attach-openssl-required-by-core-library.log", V::Failed, G::Omnios, Some("incorporation-excluded"), None, 1),
    // Analyze round aa F2: the zone is ahead of the GZ (its apache newer than the synced
    // parent incorporation allows): no uninstall. F3: the release's own incorporation
    // excluded: nothing named to uninstall, no strategy.
    ("solaris11-attach-zone-ahead-of-gz-synced-parent.txt", V::Failed, G::Solaris11, Some("package-not-permissible"), None, 1),
    ("omnios-attach-illumos-gate-incorporation-excluded.log", V::Failed, G::Omnios, Some("package-removed"), None, 1),
    // Analyze round aa F5: the operator's ^C ended a `tail -f` of the log, not the attach.
    ("openindiana-tail-f-of-attach-log-ctrl-c.txt", V::Incomplete, G::Openindiana, Some("log-truncated"), Some(S::Attach), 1),
    // Analyze round z F5 and y F6: a page saved with its <br>; Japanese-locale date stamps.
    ("omnios-attach-saved-from-web-page-br.html", V::Failed, G::Omnios, Some("package-removed"), Some(S::Uninstall), 1),
    ("openindiana-attach-japanese-date-stamps.log", V::Failed, G::Openindiana, Some("dependency-unavailable"), Some(S::Uninstall), 1),
    // Analyze round y: a core package is never one to uninstall (F1); a global zone older
    // than the zone for the package is no reason to remove it (F5); on Solaris 11 every
    // catalog failing through the system repository is the GZ's publisher (F2), and one
    // origin served by it is a GZ publisher.
    ("solaris11-attach-core-os-not-permissible.log", V::Failed, G::Solaris11, Some("package-not-permissible"), None, 1),
    ("omnios-attach-core-excluded-by-proposed.log", V::Failed, G::Omnios, Some("package-removed"), None, 1),
    ("solaris11-attach-gz-older-version.log", V::Failed, G::Solaris11, Some("package-not-permissible"), None, 1),
    ("solaris11-attach-refresh-none-through-sysrepo.log", V::Failed, G::Solaris11, Some("publisher-unreachable-gz"), None, 1),
    ("solaris11-attach-sysrepo-second-publisher-dns.log", V::Failed, G::Solaris11, Some("publisher-unreachable-gz"), Some(S::GzPublishers), 1),
    ("solaris11-incorporation-excluded.log", V::Failed, G::Solaris11, Some("incorporation-excluded"), Some(S::Uninstall), 1),
    // Solaris 11 zones see the GZ's publishers through the system repository: no zone strategy.
    ("solaris11-pattern-not-matched.log", V::Failed, G::Solaris11, Some("pattern-not-matched"), None, 1),
    ("solaris11-incorporate-version-missing.log", V::Failed, G::Solaris11, Some("incorporated-version-missing"), None, 1),
    ("solaris11-excluded-by-release-incorporation.log", V::Failed, G::Solaris11, Some("package-removed"), Some(S::Uninstall), 1),
    ("openindiana-higher-ranked-publisher.log", V::Failed, G::Openindiana, Some("publisher-ranking"), Some(S::ZonePublishers), 1),
    ("solaris11-zbe-ambiguous.txt", V::Failed, G::Solaris11, Some("zbe-multiple-active"), None, 1),
    ("solaris11-interrupted.txt", V::Incomplete, G::Solaris11, Some("interrupted"), Some(S::Attach), 1),
    ("solaris11-update-required.txt", V::Failed, G::Solaris11, Some("update-required"), Some(S::Attach), 1),
    ("solaris11-old-image-format.log", V::Failed, G::Solaris11, Some("image-format-old"), None, 1),
    ("pkg-out-of-date.txt", V::Failed, G::Solaris11, Some("pkg-out-of-date"), None, 1),
    ("solaris11-sysrepo.txt", V::Failed, G::Solaris11, Some("sysrepo-unavailable"), None, 1),
    ("zoneadm-already-installed.txt", V::Failed, G::Unknown, Some("zone-already-installed"), None, 1),
    ("zoneadm-running.txt", V::Failed, G::Unknown, Some("zone-running"), None, 1),
    ("zoneadm-incomplete.txt", V::Failed, G::Unknown, Some("zone-incomplete"), None, 1),
    ("solaris11-out-of-space.log", V::Failed, G::Solaris11, Some("out-of-space"), None, 1),
    ("solaris11-zbe-clone-out-of-space.txt", V::Failed, G::Solaris11, Some("out-of-space"), None, 1),
    ("openindiana-ssl-certificate.log", V::Failed, G::Openindiana, Some("publisher-ssl-failed"), Some(S::GzPublishers), 1),
    ("openindiana-repository-404.log", V::Failed, G::Openindiana, Some("repository-incomplete"), None, 1),
    ("solaris11-file-conflict.log", V::Failed, G::Solaris11, Some("action-conflict"), Some(S::Uninstall), 1),
    ("omnios-duplicate-action.log", V::Failed, G::Omnios, Some("action-conflict"), Some(S::Uninstall), 1),
    // The freeze is the cause: unfreeze, not uninstall (no strategy unfreezes).
    ("solaris11-frozen-package.log", V::Failed, G::Solaris11, Some("package-frozen"), None, 1),
    ("solaris11-zone-session-update-then-dry-run.txt", V::Failed, G::Unknown, Some("no-solution"), None, 1),
    // realworld vv F1: the freeze one level down a require chain (PHP requires the frozen
    // Apache's new version): uninstalling PHP was recommended; the freeze stays in the way.
    ("solaris11-freeze-under-a-require.log", V::Failed, G::Solaris11, Some("package-frozen"), None, 1),
    ("solaris11-not-permissible.log", V::Failed, G::Solaris11, Some("package-not-permissible"), Some(S::Uninstall), 1),
    // The global zone's pkg update failing in its zone (a linked child): no zone strategy.
    ("solaris11-linked-sync-transcript.txt", V::Failed, G::Solaris11, Some("package-not-permissible"), None, 1),
    ("unknown-failure.log", V::Failed, G::S11express, Some("unknown-failure"), None, 3),
    ("not-an-attach-log.txt", V::NotAnAttachLog, G::Unknown, None, None, 3),
    ("solaris11-zonepath-not-directory.txt", V::Failed, G::Unknown, Some("zonepath-not-directory"), None, 1),
    ("solaris11-proposed-incorporation-excluded.log", V::Failed, G::Solaris11, Some("proposed-incorporation-excluded"), Some(S::Uninstall), 1),
    ("solaris11-4-zone-in-use-elsewhere.txt", V::Failed, G::Unknown, Some("zone-in-use-elsewhere"), None, 1),
    // The terminal says almost nothing; the log it cats, stamped "[July  6, 2026 at 04:52:20
    // AM UTC]", holds the solver's answer.
    // Analyze round y F4: entire itself requires the package named: uninstalling it cannot help.
    ("omnios-entire-requires-unavailable-transcript.txt", V::Failed, G::Omnios, Some("dependency-unavailable"), None, 1),
    ("omnios-entire-requires-unavailable-mail-quoted-72.txt", V::Failed, G::Omnios, Some("dependency-unavailable"), None, 1),
    ("omnios-entire-requires-unavailable-terminal-80.txt", V::Failed, G::Omnios, Some("dependency-unavailable"), None, 1),
    ("openindiana-entire-requires-obsolete-python-wrapped-72.txt", V::Failed, G::Openindiana, Some("dependency-unavailable"), None, 1),
    // The detach before an attach -u refused: mounts below the zonepath (SmartOS vmadm wording).
    ("smartos-detach-mounts-below-zonepath.txt", V::Failed, G::Unknown, Some("zonepath-has-mounts"), None, 1),
    // A Solaris 10 (SVR4) zone's plain attach lists what differs from the global zone.
    // A Solaris 10 zone is outside zonerescue's recovery: no strategy, the commands remain.
    ("solaris10-native-attach-out-of-sync.txt", V::Failed, G::Unknown, Some("update-required"), None, 1),
    // Analyze round ee: attach -u of a Solaris 10 zone ahead of this host (zoneadm's
    // sw_support.c wording), and the solaris10 brand's image check on Solaris 11 (its
    // common.ksh wording); a support repository refusing the client (403).
    // Analyze round cc F5, F10: zoneadm's own refusals (reference §1.2): a detach of a running
    // zone then its attach; a detach of a zone already detached; halted in between.
    // Analyze round ff: admin sessions whose last command only follows up the attempt before
    // it (attach -F forcing in a failed zone, an attach of a zone that had attached, a plain
    // attach after a failed attach -u): the findings are that attempt's.
    ("session-s11-attach-u-fails-then-attach-F.txt", V::Failed, G::Solaris11, Some("attach-forced"), Some(S::Uninstall), 1),
    ("session-s10-attach-u-fails-then-attach-F.txt", V::Failed, G::Unknown, Some("attach-forced"), None, 1),
    ("session-oi-attached-then-attach-again.txt", V::Attached, G::Openindiana, None, None, 0),
    ("session-oi-attach-u-fails-then-plain-attach.txt", V::Failed, G::Openindiana, Some("dependency-unavailable"), Some(S::Uninstall), 1),
    ("session-s11-attach-u-fails-then-plain-attach.txt", V::Failed, G::Solaris11, Some("package-not-permissible"), Some(S::Uninstall), 1),
    // Analyze round gg, Solaris 11 (pkg5 api_errors/pkg_solver wording, reference §2.6, §3.9).
    // A system-repository origin (localhost:1008/PUB/HASH/) failing with no publisher line is
    // the global zone's publisher (it was zone-publishers, which leaves system publishers
    // alone).
    ("solaris11-attach-sysrepo-origin-503-no-publisher.log", V::Failed, G::Solaris11, Some("publisher-unreachable-gz"), None, 1),
    ("solaris11-attach-sysrepo-proxy-error-no-publisher.txt", V::Failed, G::Solaris11, Some("publisher-unreachable-gz"), None, 1),
    // "Package in global zone is from a different publisher": the zone's publishers are the
    // global zone's (system repository); uninstall, not zone-publishers.
    ("solaris11-attach-parent-package-different-publisher.log", V::Failed, G::Solaris11, Some("package-not-permissible"), Some(S::Uninstall), 1),
    // A good attach, then `zlogin ZONE pkg update` failing: the zone's own operation (it
    // was a failed attach, the ladder advised for a running zone).
    ("session-oi-attached-then-zlogin-pkg-update-fails.txt", V::Failed, G::Openindiana, Some("no-solution"), None, 1),
    // The same update typed quoted, with zlogin's -l, or from the global zone with -R on the
    // attached zone's root (regress jj F3, F4: read as attached, or the ladder advised).
    ("session-oi-attached-then-zlogin-quoted-pkg-update-fails.txt", V::Failed, G::Openindiana, Some("no-solution"), None, 1),
    ("session-oi-attached-then-zlogin-l-root-pkg-update-fails.txt", V::Failed, G::Openindiana, Some("no-solution"), None, 1),
    ("session-oi-attached-then-pkg-R-update-fails.txt", V::Failed, G::Openindiana, Some("no-solution"), None, 1),
    ("zoneadm-detach-refused-running-then-attach.txt", V::Failed, G::Unknown, Some("zone-already-installed"), None, 1),
    ("zoneadm-detach-refused-halted-then-attach.txt", V::Failed, G::Unknown, Some("zone-already-installed"), None, 1),
    ("zoneadm-detach-of-a-detached-zone.txt", V::Failed, G::Unknown, Some("zone-not-installed"), None, 1),
    ("solaris10-native-attach-u-downgrade-patch.txt", V::Failed, G::Unknown, Some("svr4-zone-ahead"), None, 1),
    ("solaris10-native-attach-u-downgrade-package.txt", V::Failed, G::Unknown, Some("svr4-zone-ahead"), None, 1),
    ("solaris11-solaris10-brand-image-downrev.txt", V::Failed, G::Solaris11, Some("solaris10-image-check"), None, 1),
    ("solaris11-solaris10-brand-release-version.txt", V::Failed, G::Solaris11, Some("solaris10-image-check"), None, 1),
    ("solaris11-solaris10-brand-newer-emulation.txt", V::Failed, G::Solaris11, Some("solaris10-image-check"), None, 1),
    ("solaris11-attach-support-repository-403.log", V::Failed, G::Solaris11, Some("publisher-unreachable-gz"), None, 1),
    // The last command was the uninstall the failed attach called for: judged on its own.
    // Analyze round z F1: its dependent is the site's own app, no core package: uninstall the two
    // together (it was image-create, which keeps neither and resets the whole image).
    ("openindiana-uninstall-blocked-transcript.txt", V::Failed, G::Openindiana, Some("uninstall-blocked"), Some(S::Uninstall), 1),
    // Other operations' logs: said what they are, never an attach strategy.
    ("omnios-install-pkg-failure.txt", V::NotAnAttachLog, G::Unknown, Some("install-log"), None, 3),
    ("solaris11-install-repository-down.txt", V::NotAnAttachLog, G::Solaris11, Some("install-log"), None, 3),
    ("illumos-onu-zone-update-failed.txt", V::NotAnAttachLog, G::Openindiana, Some("onu-log"), None, 3),
    // Real posted texts (sources in the commit messages).
    // omniosorg/omnios-build#4039: a global zone's `pkg update -r`; the release's
    // incorporation pins a package the repository does not (yet) offer.
    ("omnios-pkg-update-r-incorporate-missing.txt", V::Failed, G::Omnios, Some("incorporated-version-missing"), None, 1),
    // Oracle Solaris 11.4 docs (update-sys-add-sw), examples whose FMRIs wrap at the page width.
    ("solaris11-4-doc-entire-incorporate-unlocked.txt", V::Failed, G::Solaris11, Some("incorporated-version-missing"), None, 1),
    ("solaris11-4-doc-required-package-rejected.txt", V::Failed, G::Solaris11, Some("incorporated-version-missing"), None, 1),
    ("solaris11-4-doc-zone-install-pattern-not-matched.txt", V::NotAnAttachLog, G::Solaris11, Some("install-log"), None, 3),
    // OpenIndiana handbook, zone troubleshooting.
    ("openindiana-handbook-install-zonepath-not-dataset.txt", V::NotAnAttachLog, G::Unknown, Some("install-log"), None, 3),
    // lildude.co.uk, "HOWTO Interpret, Understand and Resolve Common pkg(1M) Errors on Solaris
    // 11", scenario 1: the global zone at 11.1 SRU 9.5, its repository at 11.1 GA.
    ("solaris11-lildude-repository-behind-sru.txt", V::Failed, G::Solaris11, Some("repository-behind"), None, 1),
    // TritonDataCenter/smartos-live#642: zoneadm's verify (run before attach, install, boot)
    // rejects a delegated dataset; the brand never ran, there is no brand log to look at.
    ("smartos-vmadm-create-failed-to-verify.txt", V::Failed, G::Unknown, Some("zone-verify-failed"), None, 1),
    // cneira/zcage#2: an OmniOS zone install whose global zone ranks extra.omnios first.
    ("omnios-install-entire-not-in-preferred.txt", V::NotAnAttachLog, G::Omnios, Some("install-log"), None, 3),
    // omniosorg/kayak#2: the global zone's BE has no libbe uuid.
    ("omnios-install-gzbe-no-uuid.txt", V::NotAnAttachLog, G::Unknown, Some("install-log"), None, 3),
    // omniosorg/pkg5#543: OmniOS r151059+'s solver output ("Package:" above "Reason:"), and
    // the older one with its reasons wrapped at 80 columns.
    // The requirer, system/library/python/solaris-313, is core (system/library/*): never removed.
    ("omnios-pkg5-543-new-solver-output.txt", V::Failed, G::Omnios, Some("dependency-unavailable"), None, 1),
    ("omnios-pkg5-543-old-solver-output.txt", V::Failed, G::Omnios, Some("dependency-unavailable"), Some(S::Uninstall), 1),
    // omniosorg/omnios-build#3049: a package for an OmniOS sparse zone that delivers files
    // below the shared /usr: install its prerequisite in the global zone, no zone strategy.
    ("omnios-sparse-pkg-R-exclusions.txt", V::Failed, G::Unknown, Some("sparse-zone-exclusions"), None, 1),
    // Oracle Solaris 11.4 docs (IDR in a non-global zone): the system repository in
    // maintenance, its start method unable to read a publisher's .p5p archive.
    ("oracle-s11-4-sysrepo-maintenance-idr.txt", V::Failed, G::Unknown, Some("sysrepo-unavailable"), None, 1),
    // The global zone's own pkg operation, told by pkg's parent messages without a command
    // line; its zones are linked children: no zone strategy (round j, tester's item 1).
    // cademuir.eu: a Solaris 11 zone's refresh fails behind a proxy only the shell knows.
    ("cademuir-s11-sysrepo-proxy-sync-linked.txt", V::Failed, G::Solaris11, Some("zone-sysrepo-unreachable"), None, 1),
    // Oracle Solaris 11.4 docs: a zone's package not permissible during the GZ's update.
    ("oracle-s11-4-sync-linked-not-permissible.txt", V::Failed, G::Solaris11, Some("package-not-permissible"), None, 1),
    // Round q, coverage of the failure messages of zoneadm, the brand scripts and pkg
    // (api_errors.py, pkg_solver.py) that no rule named: constructed from those texts.
    // Outside the image, no strategy: who runs zoneadm, and where.
    ("zoneadm-attach-not-privileged.txt", V::Failed, G::Unknown, Some("not-privileged"), None, 1),
    ("zoneadm-attach-inside-zone.txt", V::Failed, G::Unknown, Some("zoneadm-wrong-context"), None, 1),
    // A global-zone process in the zone root; a ZBE mounted over files; a zfs user property.
    ("solaris11-attach-zone-root-busy.txt", V::Failed, G::Solaris11, Some("zone-root-busy"), None, 1),
    ("solaris11-zbe-mount-directory-not-empty.txt", V::Failed, G::Solaris11, Some("zbe-not-mounted"), None, 1),
    ("solaris11-attach-pin-datasets-failed.txt", V::Failed, G::Solaris11, Some("dataset-config-failed"), None, 1),
    // The solaris brand's own option checks; the ipkg brand's interrupt trap.
    ("solaris11-attach-options-u-and-U.txt", V::Failed, G::Unknown, Some("brand-usage"), None, 1),
    ("omnios-attach-cancelled-interrupt.log", V::Incomplete, G::Omnios, Some("interrupted"), Some(S::Attach), 1),
    // Publishers: signature policy, stickiness, rank, the installed version's publisher, no
    // origin; the system repository's address.
    ("openindiana-signature-untrusted-ca.log", V::Failed, G::Openindiana, Some("signature-policy-failed"), None, 1),
    ("openindiana-sticky-publisher.log", V::Failed, G::Openindiana, Some("publisher-sticky"), None, 1),
    // Round t F3: a package with a parent dependency that the global zone lacks: not gone
    // from the release (its Reject line names it at the GZ's build).
    ("openindiana-attach-not-installed-in-gz.log", V::Failed, G::Openindiana, Some("package-not-permissible"), None, 1),
    ("openindiana-publisher-ranked-lower.log", V::Failed, G::Openindiana, Some("publisher-ranking"), Some(S::ZonePublishers), 1),
    ("openindiana-installed-from-other-publisher.log", V::Failed, G::Openindiana, Some("pattern-not-matched"), Some(S::ZonePublishers), 1),
    // pkg5's wrong-variants message (realworld jj F2): the publishers carry the package, so
    // zone-publishers cannot help.
    ("openindiana-attach-wrong-variant.log", V::Failed, G::Openindiana, Some("wrong-variant"), None, 1),
    // realworld kk F1: omnios-build#4152 as an IRC log keeps it (the release's entire needs the
    // missing driver), and its Reason line pasted alone names no package to uninstall (the one
    // it names is the missing one, not installed).
    ("omnios4152-irc-log.txt", V::Failed, G::Omnios, Some("dependency-unavailable"), None, 1),
    // regress ll F3: the same as WeeChat shows it (`date time nick | `).
    ("omnios4152-weechat-log.txt", V::Failed, G::Omnios, Some("dependency-unavailable"), None, 1),
    ("omnios4152-reason-line-only.txt", V::Failed, G::Unknown, Some("dependency-unavailable"), None, 1),
    // realworld uu F3: the same session kept by daemontools' `multilog t` (the field notes'
    // logging: a TAI64N label on every line), and as an ISO 8601 chat log (`…T04:55:00 <nick> `):
    // the labels hid the GZ version and glued the Reject line to the next; uninstall of the
    // missing driver was advised.
    ("omnios4152-multilog-labelled.txt", V::Failed, G::Omnios, Some("dependency-unavailable"), None, 1),
    ("omnios4152-irc-iso8601.txt", V::Failed, G::Omnios, Some("dependency-unavailable"), None, 1),
    // regress vv F6, realworld vv F2: the same with a bouncer's `…T04:55:00Z` stamp, and an
    // OpenIndiana log exported from a chat app (`[18/01/2018, 09:14:05] kim: `): the GZ's
    // version was lost, and the second flipped to uninstalling what the release requires.
    ("omnios4152-irc-iso8601-zulu.txt", V::Failed, G::Omnios, Some("dependency-unavailable"), None, 1),
    ("openindiana-python-extra-chat-export.txt", V::Failed, G::Openindiana, Some("dependency-unavailable"), None, 1),
    // realworld uu F1: the terminal of the failed attach, then the dry run of its own solve
    // (`pkg -R ROOT install -nv entire@GZ`, recovery procedure step 3): that answer is the
    // attach's reason (it was discarded as a preview: "the reason is in the brand's log").
    ("omnios4152-terminal-then-dry-run.txt", V::Failed, G::Omnios, Some("dependency-unavailable"), None, 1),
    // regress vv F5: the dry run typed is another zone's (`pkg -R /zones/db0/root …`): not this
    // attach's reason.
    ("omnios4152-terminal-then-other-zones-dry-run.txt", V::Incomplete, G::Omnios, Some("log-elsewhere"), None, 3),
    // realworld vv F3: the older brands' terminal says only `ERROR: Could not update attaching
    // zone`: no reason either, and the dry run typed after it is the attach's (it was "unknown").
    ("openindiana-terminal-then-dry-run.txt", V::Failed, G::Openindiana, Some("package-excluded"), Some(S::Uninstall), 1),
    ("s11express-terminal-then-dry-run.txt", V::Failed, G::S11express, Some("package-excluded"), Some(S::Uninstall), 1),
    // realworld kk F3: a paste site's "12. " line numbers copied along.
    ("solaris11-not-permissible-numbered-paste.txt", V::Failed, G::Solaris11, Some("package-not-permissible"), Some(S::Uninstall), 1),
    ("openindiana-publisher-without-origin.log", V::Failed, G::Openindiana, Some("publisher-unreachable"), Some(S::ZonePublishers), 1),
    ("solaris11-sysrepo-host-port-unknown.txt", V::Failed, G::Solaris11, Some("sysrepo-unavailable"), None, 1),
    // A damaged download pasted without pkg's header (it was read as a dead publisher, with
    // zone-publishers); the image changed under the plan; the image's own configuration.
    ("openindiana-download-chash-failure-cut.txt", V::Failed, G::Openindiana, Some("repository-transfer-failed"), Some(S::Attach), 1),
    // A stalled download pasted without pkg's header: the URL names a package's file.
    ("openindiana-download-stall-excerpt.txt", V::Failed, G::Openindiana, Some("repository-transfer-failed"), Some(S::Attach), 1),
    ("openindiana-plan-no-longer-valid.log", V::Failed, G::Openindiana, Some("image-locked"), Some(S::Attach), 1),
    ("solaris11-update-format-cfg-empty.txt", V::Failed, G::Solaris11, Some("image-unsupported"), Some(S::ImageCreate), 1),
    // An installed package needs one the release made obsolete.
    ("openindiana-depends-on-obsolete.log", V::Failed, G::Openindiana, Some("dependency-unavailable"), Some(S::Uninstall), 1),
    // A stale mirror's catalog parts; a faulted pool under the image.
    ("openindiana-catalog-mismatched-mirror.log", V::Failed, G::Openindiana, Some("catalog-inconsistent"), None, 1),
    ("omnios-attach-io-error.log", V::Failed, G::Omnios, Some("io-error"), None, 1),
    // wazuh/wazuh-documentation#1320: pkg install -g ARCHIVE in a global zone with zones.
    ("wazuh1320-s11-temporary-origins-children.txt", V::Failed, G::Unknown, Some("temporary-origins-children"), None, 1),
    // oi-dev, Nov 2024: the package asked for is excluded by the installed incorporation; it is
    // not installed, so never one to uninstall.
    // openzfs/openzfs#517 (2018): a GZ's `pkg update PKG@latest` of one installed package
    // the installed userland incorporation holds back (realworld mm F1).
    ("openzfs517-oi-update-named-package-excluded.txt", V::Failed, G::Openindiana, Some("incorporation-excluded"), None, 1),
    // The same pasted without its prompts (regress nn F4).
    ("openzfs517-oi-update-named-package-excluded-no-prompt.txt", V::Failed, G::Openindiana, Some("incorporation-excluded"), None, 1),
    // ... and timed (`# time pkg update …`, regress oo F1).
    ("openzfs517-oi-update-named-package-excluded-timed.txt", V::Failed, G::Openindiana, Some("incorporation-excluded"), None, 1),
    // pastebin.com/7RiqEmhy (OmniOS r151006 -> r151008, a script's trace, its "- " list
    // rendering taken off): entire requires omnios-userland, every version offered is older
    // (realworld mm F2).
    ("pastebin-7RiqEmhy-omnios-r151008-all-versions-rejected.txt", V::Failed, G::Omnios, Some("required-versions-rejected"), None, 1),
    // omniosorg/pkg5#128: a global zone's `pkg list` that matched nothing; a query's error is
    // no failed operation (realworld pp F1: it was a failed attach, with the ladder).
    ("omnios-pkg5-128-pkg-list-not-installed.txt", V::NotAnAttachLog, G::Omnios, None, None, 3),
    // Michael Rennecke, "Zonen retten" (2010, OpenSolaris b131): the failed attaches, then the
    // fix's commands without output (`zoneadm -z test install`): the attach's diagnosis
    // stands (realworld pp F2: the post was an install log).
    ("rennecke-2010-osol-b131-no-active-dataset-post.md", V::Failed, G::Unknown, Some("zbe-none-active"), None, 1),
    // omniosorg/zadm#138: `pkg install -r` in an OmniOS global zone fails in a sparse zone
    // (realworld pp F3: said Solaris 11, its `pkg list` column `2.4.6-151046.0` unread).
    ("zadm138-omnios-gz-pkg-install-r-child-exclusions.txt", V::Failed, G::Omnios, Some("sparse-zone-exclusions"), None, 1),
    // Oracle, "Packaging and Delivering Software With IPS in Solaris 11.2" (the conflicting
    // dir attributes example, laid out as pkg prints it): the package the install brings
    // conflicts, not the installed OS packages (realworld ss F2: onbld was named).
    ("oracle-s11-ips-guide-gz-install-dir-conflict.txt", V::Failed, G::Solaris11, Some("action-conflict"), None, 1),
    ("oi-dev-build-essential-excluded-by-incorporation.txt", V::Failed, G::Openindiana, Some("incorporation-excluded"), None, 1),
    // teodeh.com: a Solaris 11.1 zone install log (InstallationLogger); the system
    // repository was misconfigured. No attach strategy, never zone-publishers.
    ("teodeh-s11-install-sysrepo-host.log", V::NotAnAttachLog, G::Solaris11, Some("install-log"), None, 3),
    // Oracle's Solaris 10 zones guide (blog copy): the zone has packages and patches the new
    // host lacks: attach -u cannot help, update the global zone first; a Solaris 10 zone
    // is outside zonerescue's recovery, no strategy.
    ("yucas-s10-attach-out-of-sync.txt", V::Failed, G::Unknown, Some("svr4-zone-ahead"), None, 1),
    // cneira/zcage#19: two pkg installs in an OmniOS global zone; the prompt after the last is
    // no package.
    ("zcage19-omnios-gz-pattern-not-matched.txt", V::Failed, G::Unknown, Some("pattern-not-matched"), None, 1),
    // Oracle Solaris 11.3 docs: compress/zip frozen ("if-" in the pkg list pasted after the
    // failure): unfreeze it, not uninstall it.
    ("oracle-s11-3-frozen-zip-proposed-incorporation.txt", V::Failed, G::Solaris11, Some("package-frozen"), None, 1),
    // Regression fixtures, real posted texts diagnosed right (round j; sources in the commit).
    // OpenIndiana: pkg run in a linked zone whose publishers are not a superset of the GZ's.
    ("alp-oi-invalid-child-publisher-config.txt", V::Failed, G::Openindiana, Some("publisher-mismatch"), Some(S::ZonePublishers), 1),
    // omniosorg/pkg5#246: the global zone's `pkg update -nv` whose solver names no cause.
    ("omnios-pkg5-246-update-nv-no-cause.txt", V::Failed, G::Omnios, Some("no-solution"), None, 1),
    // oi-userland#27017: the release's package requires one the repository lacks.
    ("oi-userland27017-mate-install-require-missing.txt", V::Failed, G::Openindiana, Some("dependency-unavailable"), None, 1),
    // oxidecomputer/helios#2: onu recursing into lipkg zone images not mounted under the BE.
    ("helios2-onu-lipkg-no-image-rooted.txt", V::NotAnAttachLog, G::Unknown, Some("onu-log"), None, 3),
    // omniosorg/pkg5#53: a sparse zone install cut short while it downloads.
    ("omnios-pkg5-53-sparse-install-v-inprogress.txt", V::NotAnAttachLog, G::Omnios, Some("install-log"), None, 3),
    // omniosorg/illumos-omnios#61: an lx zone install whose zonepath's parent is no dataset.
    ("omnios-pr61-lx-install-no-zonepath-dataset.txt", V::NotAnAttachLog, G::Unknown, Some("install-log"), None, 3),
    ("omnios-pr61-lx-install-empty-error.txt", V::NotAnAttachLog, G::Unknown, Some("install-log"), None, 3),
    // Round l. A pkg command of its own, typed without -R, with no attach in the input and no
    // error, is no attach that stopped short (it used to be "incomplete", log-truncated, and
    // the attach strategy for the zone it named).
    // ansible/ansible#22781: inside a Solaris 11 zone, `pkg update PKG` finds nothing to do.
    ("ansible22781-s11-zone-update-nothing-constrained.txt", V::NotAnAttachLog, G::Solaris11, Some("pkg-session"), None, 3),
    // omniosce.org, linked images in r151022: the global zone's `pkg update -nv`, cut in the
    // middle of its lipkg zone's part; OmniOS by its version syntax, not Solaris 11 by zone:NAME.
    ("omniosce-newlinkedimages-gz-update-nv-dry-run.txt", V::NotAnAttachLog, G::Omnios, Some("pkg-session"), None, 3),
    // Oracle Solaris 11.2 docs (French): the global zone's `pkg update -C 0` with its zones,
    // flattened onto one line by the page copy and cut while it downloads.
    ("oracle-fr-s11-2-pkg-update-C0-linked-flattened.txt", V::NotAnAttachLog, G::Solaris11, Some("pkg-session"), None, 3),
    // Regression fixtures (round l). cademuir.eu (another stored copy of the j-round post):
    // the transcript flattened onto one line.
    ("cademuir-p807-flattened.txt", V::Failed, G::Solaris11, Some("zone-sysrepo-unreachable"), None, 1),
    // omniosorg/zadm#39: `zadm create` of a KVM zone (it installs the zone) failing on its
    // datasets; it used to be "the attach failed", unknown-failure and the ladder.
    ("zadm39-omnios-kvm-create-no-dataset.txt", V::NotAnAttachLog, G::Unknown, Some("install-log"), None, 3),
    // A Solaris 11.4/12 kernel zone installed from an archive without AI media.
    ("uar-kernel-zone-install-no-ai-media.txt", V::NotAnAttachLog, G::Solaris11, Some("install-log"), None, 3),
    // Round m. A zone's own pkg operation (zlogin ZONE pkg …, a zlogin session, or pkg
    // comparing the image with the global zone's), formats of reference §3.9 and the Oracle
    // Solaris 11.4 docs: the zone is attached, no zone strategy (it was uninstall, or
    // global-zone-pkg for a zone's prompt).
    ("solaris11-zlogin-pkg-update-not-permissible.txt", V::Failed, G::Solaris11, Some("package-not-permissible"), None, 1),
    ("solaris11-zone-session-install-gz-older.txt", V::Failed, G::Solaris11, Some("package-not-permissible"), None, 1),
    ("solaris11-zone-prompt-update-synced-parent.txt", V::Failed, G::Solaris11, Some("no-solution"), None, 1),
    // zoneadm's own checks before the brand runs (zoneadm.c validate_zonepath(), main()'s -R):
    // named, no strategy (they were zone-verify-failed about the configuration, or
    // unknown-failure with the ladder).
    // A blog's OpenSolaris zone set-up: verify refuses the zonepath's mode.
    ("serverhorror-opensolaris-verify-zonepath-mode.txt", V::Failed, G::Unknown, Some("zonepath-unusable"), None, 1),
    // omniosorg/illumos-omnios#63: onu's zone update with zoneadm -R on a BE unmounted too early.
    ("omnios-pr63-onu-zone-update-root-path.txt", V::Failed, G::Unknown, Some("zoneadm-altroot-missing"), None, 1),
    // Solaris 11 corrects the mode itself and goes on (a cookbook's solaris10 zone install).
    ("solaris11-cookbook-s10-install-zonepath-mode-corrected.txt", V::NotAnAttachLog, G::Solaris11, Some("install-log"), None, 3),
    ("solaris11-attach-zonepath-missing.txt", V::Failed, G::Unknown, Some("zonepath-missing"), None, 1),
    // Round n. Other operations than an attach, and failures that are no package problem.
    // omniosorg/illumos-omnios#765: the global zone's pkg update cannot clone its boot
    // environment (illumos 12783, an unmount race): named, no strategy, pkg's words.
    ("omnios-pr765-pkg-update-unable-to-clone-be.txt", V::Failed, G::Unknown, Some("be-clone-failed"), None, 1),
    // omniosorg/illumos-omnios#216: `zoneadm clone -m copy` refused by the ipkg brand's clone
    // script (no -m): a zone clone, not an attach; the brand's usage is named.
    ("omnios-issue216-clone-m-copy-unknown-option.txt", V::NotAnAttachLog, G::Unknown, Some("install-log"), None, 3),
    // TritonDataCenter/smartos-live#299: zoneadm cannot start zoneadmd (the zone's console):
    // it used to be "the attach failed", unknown-failure and the ladder.
    ("smartos299-vmadm-create-zoneadmd-console.txt", V::Failed, G::Unknown, Some("zoneadmd-failed"), None, 1),
    // Solaris 10 10/09 release notes (6800618): a branded Solaris 10 zone never detached cannot
    // be checked; attach -F (no strategy: a Solaris 10 zone). Was "nothing recognisable".
    ("s10-relnotes-6800618-branded-attach-mount-invalid.txt", V::Failed, G::Unknown, Some("svr4-attach-unverifiable"), None, 1),
    // Solaris 10 5/09 release notes (6449301): an fs resource zoneadm cannot reach (verify).
    // Was unknown-failure with the ladder.
    ("s10-relnotes-6449301-install-zfs-legacy-fs.txt", V::Failed, G::Unknown, Some("zone-verify-failed"), None, 1),
    // Sun's zones guide (mirror): `zoneadm boot` refused by verify; said to be a boot, not an
    // attach ("then run the zone boot again").
    ("opensolaris-zones-guide-boot-privilege-missing.txt", V::Failed, G::Unknown, Some("zone-verify-failed"), None, 1),
    // TritonDataCenter/smartos-live#707 (an IRC excerpt): the joyent brand's "missing parent ZFS
    // dataset for DIR", the zonepath's parent no mounted dataset. Was "nothing recognisable".
    ("smartos707-vmadm-create-missing-parent-dataset.txt", V::Failed, G::Unknown, Some("zonepath-not-zfs"), None, 1),
    // Round o. The update's download failing after the catalogs were refreshed (server error,
    // timeout, stall, reset, proxy): attach again, never a publisher strategy (it was
    // publisher-unreachable with gz-publishers, which drops publishers the update needs).
    // Constructed from pkg5 client.py and transport/exception.py message formats: the current
    // one ("http protocol error: Unknown error code: 503 reason: …") and the OpenSolaris-era one
    // ("Framework error: code: 7 reason: …", "URL: '…'.").
    ("openindiana-download-http-503.log", V::Failed, G::Openindiana, Some("repository-transfer-failed"), Some(S::Attach), 1),
    ("openindiana-download-framework-error-numeric.log", V::Failed, G::Openindiana, Some("repository-transfer-failed"), Some(S::Attach), 1),
    // Round p. A proxy that wants credentials (HTTP 407) refused the catalog refresh (it was
    // publisher-unreachable with gz-publishers: dropping the global zone's primary publisher
    // is no remedy) or the download (was repository-transfer-failed, attach: it fails again
    // until the proxy is configured). Constructed from pkg5 transport/exception.py formats.
    ("openindiana-catalog-proxy-407.log", V::Failed, G::Openindiana, Some("proxy-authentication-required"), None, 1),
    ("solaris11-download-proxy-407-old-format.log", V::Failed, G::Solaris11, Some("proxy-authentication-required"), None, 1),
    // Adversarial round p F5: a catalog part that failed to transfer through a proxy
    // ("Transfer from '…/catalog/1/catalog.attrs' via proxy '…' failed") is the catalog
    // refresh failing, not the update's download (it was repository-transfer-failed with
    // attach). The simulator's attach log with pkg5 transport/exception.py's proxy wording.
    ("s11express-catalog-refresh-via-proxy-failed.log", V::Failed, G::S11express, Some("publisher-unreachable"), Some(S::GzPublishers), 1),
    // A mirror of the Oracle Solaris 11.2 docs (Kernel Zone Host Data) with the transcript
    // flattened onto one line: https://oracle.hydrogen.sagittarius.connect.product.adaptavist.com/cd/E36784_01/html/E37629/gocho.html
    // realworld ww F2: cut after `Image format already current.`, which the brand prints
    // before the sync: not attached
    ("solaris11-attach-cut-while-syncing.txt", V::Incomplete, G::Solaris11, Some("log-truncated"), Some(S::Attach), 1),
    ("solaris11-second-attempt-cut-in-download.txt", V::Incomplete, G::Solaris11, Some("log-truncated"), Some(S::Attach), 1),
    // fidelity ww F1: the refresh failure copy-publishers-from ignores, then the solver's
    // answer, which is what stopped the attach
    ("openindiana-refresh-ignored-then-excluded.log", V::Failed, G::Openindiana, Some("package-excluded"), Some(S::Uninstall), 1),
    // regress ww F6: a `pkg list` pasted after shows an unrelated package frozen: not in the way
    ("solaris11-excluded-php-then-list-with-unrelated-freeze.txt", V::Failed, G::Solaris11, Some("package-removed"), Some(S::Uninstall), 1),
    ("solaris11-gz-update-then-zlogin-zone-dry-run.txt", V::Failed, G::Unknown, Some("no-solution"), None, 1),
    ("solaris11-gz-update-then-glued-dash-r-zone-dry-run.txt", V::Failed, G::Unknown, Some("no-solution"), None, 1),
    // realworld ww2 F3: a terminal that shows no pkg error, then a `pkg list` with a frozen
    // package: the freeze is the one cause shown
    ("openindiana-terminal-then-list-with-frozen.txt", V::Failed, G::Openindiana, Some("package-frozen"), None, 1),
    // realworld ww F1: `tail` of attach logs, each excerpt headed `==> FILE <==`
    ("omnios-tail-one-zone-two-attach-logs.txt", V::Failed, G::Omnios, Some("package-excluded"), Some(S::Uninstall), 1),
    ("oracle-s11-2-kz-attach-in-use-flattened.txt", V::Failed, G::Unknown, Some("zone-in-use-elsewhere"), None, 1),
];

#[test]
fn every_fixture_is_diagnosed_as_expected() {
    let mut bad = Vec::new();
    for &(file, verdict, generation, first_key, recommended, exit) in CASES {
        let r = analyze(file);
        let first = r.findings.first().map(|f| f.key.as_str());
        if r.verdict != verdict
            || r.generation != generation
            || first != first_key
            || r.recommended != recommended
            || r.exit_code() != exit
        {
            bad.push(format!(
                "{file}: got verdict {:?} gen {:?} first {:?} rec {:?} exit {}",
                r.verdict,
                r.generation,
                first,
                r.recommended,
                r.exit_code()
            ));
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

#[test]
fn subjects_are_named() {
    let r = analyze("omnios-postgres-removed.log");
    let f = r.finding("package-removed").unwrap();
    assert_eq!(f.packages, ["database/postgresql-12", "database/postgresql-12/contrib"]);
    assert!(f.next_commands.iter().any(|c| c
        == "pkg -R /zones/pg01/root uninstall -nv database/postgresql-12 database/postgresql-12/contrib"));
    assert_eq!(r.zone.as_deref(), Some("pg01"));
    assert_eq!(r.gz_entire.as_deref(), Some("entire@11-151054.0:20250505T101010Z"));
    assert_eq!(r.zone_entire.as_deref(), Some("entire@11-151046.0:20230505T101010Z"));
    // OmniOS 151046 -> 151054 is not a "too large jump".
    assert!(r.finding("version-jump").is_none());

    let r = analyze("s11express-b111-rename.log");
    assert_eq!(r.finding("package-renamed").unwrap().packages, ["SUNWapch22"]);
    assert_eq!(r.finding("package-removed").unwrap().packages, ["developer/sunstudio12u1"]);
    assert!(r.finding("version-jump").is_some());
    assert_eq!(r.remedies, [S::Uninstall, S::Incremental]);

    // Three LTS releases behind, but the target's own exclusion is the whole failure: stepping
    // through an intermediate release cannot lift it, so no version jump is derived.
    let r = analyze("omnios-withdrawn-lts-jump.log");
    assert_eq!(r.finding("package-excluded").unwrap().packages, ["ooce/server/apache-22"]);
    assert!(r.finding("version-jump").is_none());
    assert!(r.finding("no-solution").is_none());
    assert_eq!(r.remedies, [S::Uninstall]);

    // 'global' in this message is not the zone's name.
    assert_eq!(analyze("openindiana-2014-preferred-publisher.log").zone.as_deref(), Some("oi14"));

    let r = analyze("solaris11-publisher-mismatch.log");
    assert_eq!(r.finding("publisher-mismatch").unwrap().publishers, ["solaris", "site"]);

    let r = analyze("solaris11-incorporation-excluded.log");
    assert_eq!(r.finding("incorporation-excluded").unwrap().packages, ["site/web-incorporation"]);

    // Solaris 11 writes `==== Starting:` after `Progress being logged to`: one attempt; a
    // zone name may contain dots.
    let r = analyze("solaris11-dotted-zone-name.log");
    assert_eq!((r.zone.as_deref(), r.attempts), (Some("db-11.prod"), 1));
    assert_eq!(r.finding("incorporation-excluded").unwrap().packages, ["database/mysql-50"]);

    // The release's own incorporation moves with entire: the package it excludes is named.
    let r = analyze("solaris11-excluded-by-release-incorporation.log");
    assert_eq!(r.finding("incorporation-excluded").unwrap().packages, ["web/php-52"]);

    // A missing dependency names the package that requires it (sendmail, not libmilter),
    // and entire only where it is the requirer (then the package it requires).
    let r = analyze("s11express-require-dependency.log");
    assert_eq!(
        r.finding("dependency-unavailable").unwrap().packages,
        ["service/network/smtp/sendmail"]
    );

    // entire needs the OS incorporation, which needs math, shadowed by another publisher: no
    // uninstall of entire's own parts, the ranking is the cause.
    let r = analyze("openindiana-higher-ranked-publisher.log");
    assert_eq!(r.finding("publisher-ranking").unwrap().publishers, ["on-nightly"]);
    assert!(r.finding("dependency-unavailable").is_none());
    assert_eq!(r.remedies, [S::ZonePublishers]);

    // entire incorporates a version that cannot be found: neither entire nor the
    // incorporation is something to uninstall.
    let r = analyze("solaris11-incorporate-version-missing.log");
    assert!(r.finding("dependency-unavailable").is_none());
    assert!(r.remedies.is_empty());

    let r = analyze("solaris11-zbe-ambiguous.txt");
    assert_eq!(r.finding("zbe-multiple-active").unwrap().datasets, ["solaris-0", "solaris-1"]);

    let r = analyze("s11express-disabled-publisher.log");
    let f = r.finding("publisher-unreachable").unwrap();
    assert_eq!(f.publishers, ["extra"]);
    assert_eq!(f.origins, ["http://pkg.example.net/extra/"]);
}

#[test]
fn real_world_failure_classes_name_their_subjects() {
    // A full pool: the pool named by zfs, or the zone's datasets when pkg only says ENOSPC.
    let r = analyze("solaris11-zbe-clone-out-of-space.txt");
    let f = r.finding("out-of-space").unwrap();
    assert_eq!(f.datasets, ["rpool"]);
    assert!(f.next_commands.iter().any(|c| c == "zfs list -o space rpool"));
    let r = analyze("solaris11-out-of-space.log");
    assert!(
        r.finding("out-of-space")
            .unwrap()
            .next_commands
            .iter()
            .any(|c| c == "zfs list -o space rpool/zones/db02/rpool/ROOT/solaris")
    );
    assert!(r.remedies.is_empty(), "no rung frees space: {:?}", r.remedies);

    // TLS: no strategy of its own; the unreachable-repository finding carries the scope.
    let r = analyze("openindiana-ssl-certificate.log");
    let f = r.finding("publisher-ssl-failed").unwrap();
    assert_eq!(f.strategy, None);
    assert_eq!(f.origins, ["https://pkg.example.org/extra/"]);
    assert_eq!(r.finding("publisher-unreachable").unwrap().publishers, ["extra"]);

    // HTTP 404: the repository answered, so it is not reported as unreachable.
    let r = analyze("openindiana-repository-404.log");
    assert!(r.finding("publisher-unreachable").is_none());
    assert!(
        r.finding("repository-incomplete")
            .unwrap()
            .evidence
            .iter()
            .any(|e| e.text.contains("/oi-151a8/file/1/"))
    );

    let r = analyze("solaris11-file-conflict.log");
    assert_eq!(r.finding("action-conflict").unwrap().packages, ["web/wget", "site/gnu-wget"]);
    let r = analyze("omnios-duplicate-action.log");
    assert_eq!(r.finding("action-conflict").unwrap().packages, ["ooce/util/jq", "text/jq"]);

    let r = analyze("solaris11-frozen-package.log");
    let f = r.finding("package-frozen").unwrap();
    assert_eq!(f.packages, ["web/server/apache-22"]);
    assert_eq!(f.strategy, None);
    assert!(
        f.next_commands
            .iter()
            .any(|c| c == "pkg -R /zones/web2/root unfreeze web/server/apache-22")
    );

    // Same publisher on both sides: uninstall; the zone's copy from another publisher:
    // align the zone's publishers instead.
    let r = analyze("solaris11-not-permissible.log");
    let f = r.finding("package-not-permissible").unwrap();
    assert_eq!(f.packages, ["web/server/apache-22"]);
    assert_eq!(f.strategy, Some(S::Uninstall));
    // The global zone's update failing in its zone: the zone's copy comes from another
    // publisher (said), but the zone is no detached one to rescue: no strategy, the zone's
    // commands run in it.
    let r = analyze("solaris11-linked-sync-transcript.txt");
    let f = r.finding("package-not-permissible").unwrap();
    assert_eq!(f.packages, ["database/oracle/instantclient"]);
    assert_eq!(f.strategy, None);
    assert!(f.explanation.contains("different publishers"));
    assert!(f.next_commands.iter().any(|c| c.starts_with("zlogin ora1 pkg ")));
    assert!(!f.next_commands.iter().any(|c| c.starts_with("zonerescue")));
    assert!(r.finding("linked-image-error").is_some());
    assert!(r.finding("linked-child-failed").is_some());
    // The global zone's pkg update names the zone only as its linked child.
    assert_eq!(r.zone.as_deref(), Some("ora1"));
}

#[test]
fn omnios_solver_output_new_and_wrapped_names_the_requirers() {
    // The root cause under "Package:" is about that package (the Reason line is cut short).
    let r = analyze("omnios-pkg5-543-new-solver-output.txt");
    let f = r.finding("dependency-unavailable").unwrap();
    assert_eq!(f.packages, ["system/library/python/solaris-313"]);
    assert!(r.finding("no-solution").is_some());
    // Each wrapped reason joined to its package: the requirers are named, not what they need.
    let r = analyze("omnios-pkg5-543-old-solver-output.txt");
    let f = r.finding("dependency-unavailable").unwrap();
    // (system/library, the other requirer, is core: named as such, never for uninstall.)
    assert_eq!(f.packages, ["runtime/perl/module/sun-solaris"]);
    assert!(f.explanation.contains("system/library is part of the core system"), "{f:?}");
    assert!(f.evidence.iter().any(|e| e.text.contains("system/library@0.5.11-151059.0 can be")));
}

#[test]
fn global_zone_operations_on_their_zones_get_no_zone_remedy() {
    // Solaris 11 behind a proxy: the zone's refresh is the system repository's.
    let r = analyze("cademuir-s11-sysrepo-proxy-sync-linked.txt");
    assert_eq!(r.zone.as_deref(), Some("zclone"));
    assert!(r.finding("publisher-unreachable").is_none());
    let f = r.finding("zone-sysrepo-unreachable").unwrap();
    assert!(f.next_commands.iter().any(|c| c.contains("setprop config/http_proxy=")));
    assert!(r.remedies.is_empty());
    // No command line, but pkg's own words say it is the parent image: the global zone's.
    let r = analyze("wazuh1320-s11-temporary-origins-children.txt");
    assert!(r.finding("global-zone-pkg").is_some());
    assert!(r.finding("log-elsewhere").is_none());
    // A package asked for and not installed is never one to uninstall.
    let r = analyze("oi-dev-build-essential-excluded-by-incorporation.txt");
    let f = r.finding("incorporation-excluded").unwrap();
    assert!(f.packages.is_empty());
    assert!(!f.next_commands.iter().any(|c| c.contains("uninstall")));
    assert!(r.remedies.is_empty());
    // The candidates of a required dependency rejected by the proposed incorporation are not
    // installed packages the release excludes; the trace's `/usr/bin/pkg update` is the GZ's.
    let r = analyze("pastebin-7RiqEmhy-omnios-r151008-all-versions-rejected.txt");
    assert!(r.finding("proposed-incorporation-excluded").is_none());
    assert!(r.finding("global-zone-pkg").is_some());
    let f = r.finding("required-versions-rejected").unwrap();
    assert_eq!(f.packages, ["incorporation/jeos/omnios-userland"]);
    assert!(!f.next_commands.iter().any(|c| c.contains("uninstall") || c.contains(" -R ")));
    // Nor one an update asked for by name, at a version the installed release excludes.
    for log in [
        "openzfs517-oi-update-named-package-excluded.txt",
        "openzfs517-oi-update-named-package-excluded-no-prompt.txt",
        "openzfs517-oi-update-named-package-excluded-timed.txt",
    ] {
        let r = analyze(log);
        let f = r.finding("incorporation-excluded").unwrap();
        assert!(f.explanation.contains("the update asked for by name"), "{}", f.explanation);
        assert!(!f.next_commands.iter().any(|c| c.contains("uninstall")), "{:?}", f.next_commands);
        assert!(r.remedies.is_empty(), "{log}");
    }
    // Solaris 11's installer log: the system repository is named as a suspect.
    let r = analyze("teodeh-s11-install-sysrepo-host.log");
    let f = r.finding("pattern-not-matched").unwrap();
    assert!(f.explanation.contains("system-repository"));
    assert!(!f.next_commands.iter().any(|c| c.contains("zone-publishers")));
}

#[test]
fn solaris10_zone_ahead_of_the_new_host_and_prompts_ending_output() {
    let r = analyze("yucas-s10-attach-out-of-sync.txt");
    let f = r.finding("svr4-zone-ahead").unwrap();
    assert_eq!(f.packages, ["SUNWradpu320", "NCRos86r"]);
    assert!(r.finding("update-required").is_none());
    assert!(r.finding("svr4-zone").is_some());
    assert!(r.remedies.is_empty());
    // The zone's packages older only: attach -u, said without a zonerescue strategy.
    let r = analyze("solaris10-native-attach-out-of-sync.txt");
    let f = r.finding("update-required").unwrap();
    assert!(f.next_commands.iter().any(|c| c == "zoneadm -z sstg attach -u"));
    assert!(!f.next_commands.iter().any(|c| c.starts_with("zonerescue")));
    // The prompt after pkg's output is neither a package nor evidence.
    let r = analyze("zcage19-omnios-gz-pattern-not-matched.txt");
    let f = r.finding("pattern-not-matched").unwrap();
    assert_eq!(f.packages, ["brand/pkgsrc"]);
    assert!(!f.evidence.iter().any(|e| e.text.starts_with("root@")));
}

#[test]
fn failed_action_is_explained_with_its_package() {
    let log = "[Tue Nov 14 10:12:01 UTC 2023] Log File: /var/tmp/z.attach_log.x\n\
        pkg install: Requested operation failed for package pkg://omnios/system/library@0.5.11-151046.0:20230503T094512Z:\n\
        [errno 30: Read-only file system]\n\
        [Tue Nov 14 10:13:20 UTC 2023] Result: Attach Failed.\n";
    let r = analyze_reader(&RULES, AnalysisContext::default(), log.as_bytes()).unwrap();
    assert_eq!(r.verdict, V::Failed);
    let f = r.findings.first().unwrap();
    assert_eq!(f.key, "action-failed");
    assert_eq!(f.packages, ["system/library"]);
}

#[test]
fn context_tells_global_from_zone_only_publishers() {
    // Same log; what the engine knows about the publishers decides the remedy.
    let zone_only = AnalysisContext {
        gz_publishers: vec!["openindiana.org".into()],
        zone_publishers: vec!["openindiana.org".into(), "internal".into()],
        ..AnalysisContext::default()
    };
    let r = analyze_ctx("openindiana-zone-internal-repo.log", zone_only);
    assert_eq!(r.findings[0].key, "publisher-unreachable-zone");
    assert_eq!(r.recommended, Some(S::ZonePublishers));

    let disabled = AnalysisContext {
        gz_publishers: vec!["solaris".into(), "extra".into()],
        gz_disabled_publishers: vec!["extra".into()],
        ..AnalysisContext::default()
    };
    let r = analyze_ctx("s11express-disabled-publisher.log", disabled);
    assert_eq!(r.findings[0].key, "gz-publisher-disabled");
    assert_eq!(r.recommended, Some(S::GzPublishers));

    let enabled_gz =
        AnalysisContext { gz_publishers: vec!["extra".into()], ..AnalysisContext::default() };
    let r = analyze_ctx("s11express-disabled-publisher.log", enabled_gz);
    assert_eq!(r.findings[0].key, "publisher-unreachable-gz");
}

#[test]
fn streaming_lines_gives_the_same_report_as_the_reader() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/logs");
    for &(file, ..) in CASES {
        let bytes = fs::read(dir.join(file)).unwrap();
        let mut a = Analyzer::new(&RULES);
        for line in bytes.split_inclusive(|&b| b == b'\n') {
            a.feed_line(line);
        }
        let streamed = a.finish();
        let read = analyze(file);
        assert_eq!(streamed, read, "{file}");
    }
}

#[test]
fn pkg_space_estimate_and_older_parent_publisher_wording() {
    let space = "Progress being logged to /var/log/zones/zoneadm.20240105T101500Z.z1.attach\n\
        pkg update: Insufficient disk space available (1.2 GB) for estimated need (3.4 GB) for Root filesystem\n\
        Result: Attach Failed.\n";
    let r = analyze_reader(&RULES, AnalysisContext::default(), space.as_bytes()).unwrap();
    assert_eq!(r.findings.first().unwrap().key, "out-of-space");
    // An innocent line that merely ends in "out of space" is not a full pool.
    let innocent = "Progress being logged to /var/log/zones/zoneadm.20240105T101500Z.z1.attach\n\
        note: ran out of space ideas: out of space\n\
        pkg: No solution was found to satisfy constraints\n\
        Result: Attach Failed.\n";
    let r = analyze_reader(&RULES, AnalysisContext::default(), innocent.as_bytes()).unwrap();
    assert!(r.finding("out-of-space").is_none());
    // The older solver's wording for a package from another publisher than the parent's.
    let parent = "Progress being logged to /var/log/zones/zoneadm.20240105T101500Z.z1.attach\n\
        pkg sync-linked: The installed package web/php-53 is not permissible.\n\
        Reject:  pkg://site/web/php-53@5.3.29,5.11-0.175.1.0.0.24.0:20120919T184141Z\n\
        Reason:  Package in parent is from a different publisher: pkg://solaris/web/php-53@5.3.29,5.11-0.175.2.0.0.24.0:20140919T184141Z\n\
        Result: Attach Failed.\n";
    let r = analyze_reader(&RULES, AnalysisContext::default(), parent.as_bytes()).unwrap();
    let f = r.finding("package-not-permissible").unwrap();
    assert_eq!(f.strategy, Some(S::ZonePublishers));
}

#[test]
fn unknown_publisher_scope_is_guessed_from_how_the_release_attaches() {
    // The global zone's publisher list is not in the log. b151's script (OpenIndiana's 151
    // builds too) sets every GZ publisher in the zone, contacting disabled ones; hipster's
    // and OmniOS's `copy-publishers-from` refreshes only enabled ones, which the global zone
    // was just updated from, so there a zone-only publisher is the likelier culprit.
    let log = |gz: &str, zone: &str| {
        format!(
            "Log File: /var/tmp/web.attach_log.aGaOqb\n\
             Attach Path: /zones/web/root\n\
             Global zone version: entire@{gz}\n\
             Non-Global zone version: entire@{zone}\n\
             Updating non-global zone: Output follows\n\
             pkg: 1/2 catalogs successfully updated:\n\
             1/1 repositories for publisher 'extra' could not be reached for catalog refresh.\n\
             Framework error: code: 7 reason: Failed connect to pkg.example.net:80\n\
             URL: 'http://pkg.example.net/extra/'\n\
             ERROR: Could not update attaching zone\n\
             Result: Attach Failed.\n"
        )
    };
    for (gz, zone, generation, want) in [
        ("0.5.11-0.151.1.8", "0.5.11-0.151.1.5", G::Openindiana, S::GzPublishers),
        ("0.5.11-2018.0.0.17949", "0.5.11-2016.0.0.15724", G::Openindiana, S::ZonePublishers),
        ("11-0.151022:20170511T002513Z", "11-0.151014", G::Omnios, S::ZonePublishers),
    ] {
        let r =
            analyze_reader(&RULES, AnalysisContext::default(), log(gz, zone).as_bytes()).unwrap();
        assert_eq!(r.generation, generation, "{gz}");
        assert_eq!(r.findings[0].key, "publisher-unreachable", "{gz}");
        assert_eq!(r.recommended, Some(want), "{gz}");
    }
}

#[test]
fn install_and_onu_logs_are_named_and_get_no_attach_strategy() {
    for (file, kind, failure) in [
        ("omnios-install-pkg-failure.txt", LogKind::Install, "pattern-not-matched"),
        ("solaris11-install-repository-down.txt", LogKind::Install, "publisher-unreachable"),
        ("illumos-onu-zone-update-failed.txt", LogKind::Onu, "package-removed"),
    ] {
        let r = analyze(file);
        assert_eq!(r.log_kind, kind, "{file}");
        // The pkg failure that stopped it is still named ...
        let f = r.finding(failure).unwrap_or_else(|| panic!("{file}: no {failure}"));
        // ... but nothing recommends rescuing an attach.
        assert_eq!(f.strategy, None, "{file}");
        assert!(r.findings.iter().all(|f| f.strategy.is_none()), "{file}");
        assert!(
            r.findings.iter().flat_map(|f| &f.next_commands).all(|c| !c.contains("--strategy")),
            "{file}"
        );
        assert!(r.remedies.is_empty() && r.recommended.is_none(), "{file}");
    }
    assert_eq!(analyze("omnios-postgres-removed.log").log_kind, LogKind::Attach);
    assert_eq!(analyze("not-an-attach-log.txt").log_kind, LogKind::Unknown);
}

#[test]
fn an_attach_after_a_failed_install_is_judged_as_an_attach() {
    let mut text = fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/logs/omnios-install-pkg-failure.txt"),
    )
    .unwrap();
    text.push_str(
        "root@gz1:~# zoneadm -z web03 attach -u\n\
         Log File: /var/tmp/web03.attach_log.q8Rt2z\n\
         pkg install: No solution was found to satisfy constraints\n\
         No suitable version of installed package pkg://omnios/database/postgresql-12 found\n\
         Result: Attach Failed.\n",
    );
    let r = analyze_reader(&RULES, AnalysisContext::default(), text.as_bytes()).unwrap();
    assert_eq!((r.log_kind, r.verdict, r.attempts), (LogKind::Attach, V::Failed, 2));
    assert_eq!(r.recommended, Some(S::Uninstall));
    assert!(r.finding("install-log").is_none());
}

#[test]
fn exclusion_by_the_proposed_incorporation_names_the_excluded_package() {
    // Same class as package-excluded: the excluded package is removed, the release's own
    // incorporation is not a subject, and the exclusion alone is the solver's whole failure.
    let r = analyze("solaris11-proposed-incorporation-excluded.log");
    let f = r.finding("proposed-incorporation-excluded").unwrap();
    assert_eq!(f.packages, ["web/php-53"]);
    assert!(r.finding("no-solution").is_none());
    assert!(r.finding("version-jump").is_none());
    assert_eq!(r.remedies, [S::Uninstall]);
}

#[test]
fn a_conflict_the_install_brings_names_that_package_not_the_installed_ones() {
    let r = analyze("oracle-s11-ips-guide-gz-install-dir-conflict.txt");
    let f = r.finding("action-conflict").unwrap();
    assert_eq!(f.packages, ["mypkg"]);
    assert!(f.explanation.contains("global zone's own"), "{}", f.explanation);
    assert!(f.next_commands.iter().all(|c| !c.contains("onbld")), "{:?}", f.next_commands);
    assert!(r.finding("global-zone-pkg").is_some());
    assert!(r.remedies.is_empty());
}

#[test]
fn a_zone_claimed_by_another_host_says_detach_there_and_no_strategy() {
    let r = analyze("solaris11-4-zone-in-use-elsewhere.txt");
    let f = r.finding("zone-in-use-elsewhere").unwrap();
    assert_eq!(r.zone.as_deref(), Some("kz07"));
    assert!(f.evidence.iter().any(|e| e.text.contains("hostname: gza")), "{:?}", f.evidence);
    // The takeover cannot be undone: told in the text, never a command to copy (realworld ss
    // F1); the detach on the other host comes first.
    assert!(f.next_commands.iter().all(|c| !c.contains("force-takeover")), "{:?}", f.next_commands);
    assert!(f.explanation.contains("detach the zone"), "{}", f.explanation);
    assert!(f.next_commands.iter().any(|c| c == "zoneadm -z kz07 attach"));
    assert!(r.remedies.is_empty());
    // The zonepath check of zoneadm: no strategy changes the zonepath.
    let r = analyze("solaris11-zonepath-not-directory.txt");
    assert_eq!(r.findings[0].evidence[0].text, "/zones/db4 is not a directory.");
    assert!(r.remedies.is_empty());
}

#[test]
fn a_failed_verify_names_the_configuration_not_the_brand_log() {
    // zoneadm verified the configuration before the brand: no brand log exists to look at.
    let r = analyze("smartos-vmadm-create-failed-to-verify.txt");
    assert_eq!(r.zone.as_deref(), Some("bfff0017-6754-c2f5-de54-a5c580c9430c"));
    assert!(r.finding("log-elsewhere").is_none() && r.finding("unknown-failure").is_none());
    let f = r.finding("zone-verify-failed").unwrap();
    assert!(f.evidence.iter().any(|e| e.text.contains("mountpoint cannot be inherited")));
    assert!(r.remedies.is_empty());
    // The same check refuses an attach on a host without the zone's network interface
    // (zoneadm.c print_net_err(), the reason on a tab-indented second line).
    let moved = "# zoneadm -z web2 attach -u\n\
        could not verify net physical=bge0\n\
        \tnetwork interface bge0 is not plumbed in the global zone\n\
        zoneadm: zone web2 failed to verify\n";
    let r = analyze_reader(&RULES, AnalysisContext::default(), moved.as_bytes()).unwrap();
    assert_eq!(r.findings[0].key, "zone-verify-failed");
    assert_eq!(r.findings[0].evidence.len(), 3);
    assert_eq!((r.zone.as_deref(), r.recommended), (Some("web2"), None));
}

#[test]
fn real_posted_install_failures_name_what_stopped_them() {
    let r = analyze("omnios-install-entire-not-in-preferred.txt");
    assert_eq!(r.finding("entire-not-in-preferred").unwrap().publishers, ["extra.omnios"]);
    let r = analyze("omnios-install-gzbe-no-uuid.txt");
    assert!(r.finding("gzbe-unknown").is_some());
    assert_eq!(r.zone.as_deref(), Some("testzone"));
}

/// Analyze round z F5: a log saved from a web page with its `<br>` tags: none reaches the
/// commands given to copy (`pkg -R /zones/pg01/root<br> uninstall …` redirects in a shell),
/// the zone root or the versions.
#[test]
fn html_line_breaks_never_reach_the_commands() {
    let r = analyze("omnios-attach-saved-from-web-page-br.html");
    assert_eq!(r.zone_root.as_deref(), Some("/zones/pg01/root"));
    let f = r.finding("package-removed").unwrap();
    assert!(f.next_commands.iter().any(|c| c.starts_with("pkg -R /zones/pg01/root uninstall")));
    let text = serde_json::to_string(&r).unwrap();
    assert!(!text.contains("<br") && !text.contains("<pre"), "{text}");
}

/// Analyze round z F4: `system/library` (core) requires openssl-11, which the zone's stale
/// release incorporation excludes: openssl-11 is named (what pkg said) but never given to
/// uninstall (before: strategy uninstall and `pkg -R … uninstall -nv …openssl-11`).
#[test]
fn a_package_a_core_package_requires_is_never_advised_for_uninstall() {
    let r = analyze("omnios-attach-openssl-required-by-core-library.log");
    let f = r.finding("incorporation-excluded").unwrap();
    assert_eq!(f.packages, ["library/security/openssl-11"]);
    assert_eq!(f.strategy, None);
    assert!(f.explanation.contains("core package system/library requires"), "{f:?}");
    let cmds: Vec<&String> = r.findings.iter().flat_map(|f| &f.next_commands).collect();
    assert!(!cmds.iter().any(|c| c.contains(" uninstall")), "{cmds:?}");
    assert!(r.remedies.is_empty(), "{:?}", r.remedies);
}

/// Analyze round aa F2: the zone's apache-24 (0.175.3) is excluded by the synced parent
/// incorporation of the GZ's older release (0.175.2), beside a `Global zone has an older
/// version`: the zone is ahead, pkg never downgrades, and no uninstall is advised (before:
/// uninstall apache-24, "no longer exists in the target release").
#[test]
fn a_zone_ahead_of_the_global_zone_is_never_advised_an_uninstall() {
    let r = analyze("solaris11-attach-zone-ahead-of-gz-synced-parent.txt");
    assert!(r.remedies.is_empty(), "{:?}", r.remedies);
    let f = r.finding("incorporation-excluded").unwrap();
    assert_eq!(
        (f.strategy, f.packages.as_slice()),
        (None, &["web/server/apache-24".to_string()][..])
    );
    assert!(f.explanation.contains("NEWER than the global zone's release"), "{f:?}");
    let cmds: Vec<&String> = r.findings.iter().flat_map(|f| &f.next_commands).collect();
    assert!(!cmds.iter().any(|c| c.contains(" uninstall")), "{cmds:?}");
    // The same exclusion of an installed version OLDER than the parent's (the zone behind,
    // the usual case) keeps its uninstall advice.
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/logs/solaris11-attach-zone-ahead-of-gz-synced-parent.txt");
    let behind: String = fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter(|l| !l.contains("system/library"))
        .map(|l| l.replace("2.4.12,5.11-0.175.3.1.0.3.0", "2.4.12,5.11-0.175.1.15.0.3.0") + "\n")
        .collect();
    let r = analyze_reader(&RULES, AnalysisContext::default(), behind.as_bytes()).unwrap();
    assert_eq!(r.recommended, Some(S::Uninstall), "{:?}", r.findings);
    assert!(
        r.finding("incorporation-excluded")
            .unwrap()
            .packages
            .contains(&"web/server/apache-24".into())
    );
}

/// Analyze round aa F3: the release's own incorporation (`incorporation/jeos/illumos-gate`)
/// excluded by the proposed entire: nothing the zone can remove, so no uninstall (before: the
/// finding kept strategy uninstall with no package, and uninstall was recommended).
#[test]
fn an_excluded_release_incorporation_is_no_uninstall() {
    let r = analyze("omnios-attach-illumos-gate-incorporation-excluded.log");
    assert!(r.remedies.is_empty(), "{:?}", r.remedies);
    assert!(r.findings.iter().all(|f| f.strategy.is_none()), "{:?}", r.findings);
}

#[test]
fn a_log_stamped_in_words_gives_its_facts() {
    let r = analyze("omnios-entire-requires-unavailable-transcript.txt");
    assert_eq!(r.zone.as_deref(), Some("services0"));
    assert_eq!(r.log_file.as_deref(), Some("/var/tmp/services0.attach_log.vAaGlb"));
    assert_eq!(r.gz_entire.as_deref(), Some("entire@11-151054.0:20250502T142539Z"));
    assert_eq!(r.attempts, 1);
    // entire is the requirer: the package it requires is named, never entire.
    assert_eq!(r.finding("dependency-unavailable").unwrap().packages, ["driver/network/cxgbe"]);
    // Analyze round y F6: stamped by `date` in a Japanese locale (`09時12分40秒`, no colon).
    let r = analyze("openindiana-attach-japanese-date-stamps.log");
    assert_eq!(r.log_file.as_deref(), Some("/var/tmp/srss.attach_log.Tb7yXq"));
    assert!(r.gz_entire.as_deref().is_some_and(|e| e.starts_with("entire@2024.0.0-")), "{r:?}");
}

/// Realworld round jj F1: the brand's first `Head: value` lines cut at the wrap width (a mail
/// reply folded at 72 columns, a copy from an 80-column terminal) before the input showed its
/// width: the value is read whole (before: zone root `/zones/se`, log `…attach_log.vAaGl`, and
/// the cut root in every `pkg -R` command advised).
#[test]
fn a_brand_value_cut_at_the_width_is_read_whole() {
    for file in [
        "omnios-entire-requires-unavailable-mail-quoted-72.txt",
        "omnios-entire-requires-unavailable-terminal-80.txt",
    ] {
        let r = analyze(file);
        assert_eq!(r.zone_root.as_deref(), Some("/zones/services0/root"), "{file}");
        assert_eq!(r.log_file.as_deref(), Some("/var/tmp/services0.attach_log.vAaGlb"), "{file}");
    }
    let r = analyze("openindiana-entire-requires-obsolete-python-wrapped-72.txt");
    assert_eq!(r.zone_root.as_deref(), Some("/zones/dev/root"));
    let next: Vec<_> = r.findings.iter().flat_map(|f| f.next_commands.iter()).collect();
    assert!(next.iter().any(|c| c.starts_with("pkg -R /zones/dev/root ")), "{next:?}");
}

#[test]
fn a_solaris10_zone_is_updated_on_attach_unless_newer_than_the_global_zone() {
    // The real plain attach: packages and patches that differ, no other word; -u updates them.
    let r = analyze("solaris10-native-attach-out-of-sync.txt");
    // A Solaris 10 zone is outside zonerescue's recovery: attach -u is said, no strategy.
    assert_eq!((r.zone.as_deref(), r.remedies.as_slice()), (Some("sstg"), &[][..]));
    // zoneadm's update on attach for SVR4 zones refuses to downgrade (zerror text). Analyze
    // round ee F1: that is the Solaris 10 zone ahead of this host (it was the IPS
    // zone-newer-than-gz, whose `pkg list -v entire` Solaris 10 has no pkg to run).
    let newer = "# zoneadm -z sstg attach -u\n\
        zoneadm: zone 'sstg': ERROR: attempt to downgrade package SUNWcsu 11.10.0,REV=2005.08.10.02.13 to version 11.10.0,REV=2005.01.21.15.53\n";
    let r = analyze_reader(&RULES, AnalysisContext::default(), newer.as_bytes()).unwrap();
    let f = r.finding("svr4-zone-ahead").unwrap();
    assert_eq!(f.packages, ["SUNWcsu"]);
    assert!(r.finding("update-required").is_none());
    for name in [
        "solaris10-native-attach-u-downgrade-patch.txt",
        "solaris10-native-attach-u-downgrade-package.txt",
    ] {
        let r = analyze(name);
        assert!(r.finding("svr4-zone").is_some(), "{name}");
        let f = r.finding("svr4-zone-ahead").unwrap();
        assert!(f.evidence[0].text.contains("attempt to downgrade package"), "{name}");
        assert!(
            r.findings.iter().all(|f| f.next_commands.iter().all(|c| !c.starts_with("pkg "))),
            "{name}"
        );
        assert!(r.remedies.is_empty(), "{name}");
    }
}

/// Analyze round ee F2: the solaris10 brand's image check (patch level, release, brand
/// emulation) ends "Sanity Check: FAILED (see log for details)", which was read as an ipkg
/// zone root with nothing mounted (sparse-zone: check the mounts); its cause line was not in
/// the evidence.
#[test]
fn the_solaris10_brand_s_image_check_is_named_with_its_cause() {
    for (name, cause) in [
        ("solaris11-solaris10-brand-image-downrev.txt", "(patchlist 118833-36"),
        ("solaris11-solaris10-brand-release-version.txt", "must be 10 (got 9)"),
        ("solaris11-solaris10-brand-newer-emulation.txt", "newer version of the solaris10 brand"),
    ] {
        let r = analyze(name);
        assert!(r.finding("sparse-zone").is_none(), "{name}");
        let f = r.finding("solaris10-image-check").unwrap();
        assert!(f.evidence.iter().any(|e| e.text.contains(cause)), "{name}: {:?}", f.evidence);
        assert!(r.finding("svr4-zone").is_some() && r.remedies.is_empty(), "{name}");
    }
}

/// Analyze round ee F3: a repository that answered 403 was "did not answer", its status line
/// left out of the evidence, and "pkg refreshed none of the zone's catalogs" was said beside
/// "1/2 catalogs successfully updated".
#[test]
fn a_forbidden_repository_is_shown_and_said_to_have_answered() {
    let r = analyze("solaris11-attach-support-repository-403.log");
    let f = r.finding("publisher-unreachable-gz").unwrap();
    assert!(
        f.evidence.iter().any(|e| e.text.contains("code: 403 reason: Forbidden")),
        "{:?}",
        f.evidence
    );
    assert!(f.explanation.contains("with 403 Forbidden"), "{}", f.explanation);
    assert!(
        f.explanation.contains("pkg set-publisher -k KEY -c CERT solaris"),
        "{}",
        f.explanation
    );
    assert!(!f.explanation.contains("refreshed none"), "{}", f.explanation);
}

#[test]
fn each_typed_pkg_command_is_an_attempt_of_its_own() {
    // attach failed, the uninstall it called for was refused: the uninstall is the last
    // attempt, not more evidence for the attach (which would recommend uninstall again).
    let r = analyze("openindiana-uninstall-blocked-transcript.txt");
    assert_eq!((r.attempts, r.log_kind), (2, LogKind::Pkg));
    assert!(r.finding("package-removed").is_none());
    assert_eq!(r.finding("uninstall-blocked").unwrap().packages[0], "web/php-56");

    let attach = "root@gz:~# zoneadm -z web1 attach -u\n\
        Log File: /var/tmp/web1.attach_log.Hq2Lw9\n\
        Updating non-global zone: Output follows\n\
        pkg install: No solution was found to satisfy constraints\n\
        No suitable version of installed package pkg://openindiana.org/web/php-56 found\n";
    let uninstall = "root@gz:~# pkg -R /zones/web1/root uninstall web/php-56\n\
        Packages to remove:  1\n\
        Removal Phase  101/101\n";
    // The uninstall worked and the attach was not run again: that is what to do next.
    let r = analyze_reader(
        &RULES,
        AnalysisContext::default(),
        format!("{attach}{uninstall}").as_bytes(),
    )
    .unwrap();
    assert_eq!((r.attempts, r.verdict, r.log_kind), (2, V::Incomplete, LogKind::Pkg));
    assert_eq!(r.recommended, Some(S::Attach));
    assert!(r.finding("package-removed").is_none());
    // Run again, the attach fails for another reason: only that one is reported.
    let again = "root@gz:~# zoneadm -z web1 attach -u\n\
        Log File: /var/tmp/web1.attach_log.Zz81kd\n\
        Updating non-global zone: Output follows\n\
        Unable to contact valid package repository: http://pkg.example.net/site/\n\
        Result: Attach Failed.\n";
    let text = format!("{attach}{uninstall}{again}");
    let r = analyze_reader(&RULES, AnalysisContext::default(), text.as_bytes()).unwrap();
    assert_eq!((r.attempts, r.log_kind), (3, LogKind::Attach));
    assert!(r.finding("package-removed").is_none());
    assert!(r.finding("publisher-unreachable").is_some());
}

#[test]
fn an_fmri_wrapped_at_the_page_width_is_read_whole() {
    // Oracle's examples wrap long FMRIs onto the next line (`…dependency on
    // pkg:/consolidation/ub_javavm` + `/ub_javavm-incorporation@…`): the package is the whole
    // name, and the evidence shows the joined line.
    let r = analyze("solaris11-4-doc-entire-incorporate-unlocked.txt");
    let f = r.finding("incorporated-version-missing").unwrap();
    assert_eq!(f.packages, ["consolidation/ub_javavm/ub_javavm-incorporation"]);
    assert!(f.evidence[0].text.ends_with("@0.5.11,5.11-0.175.2.0.0.9.0 cannot be found"));
    assert!(r.finding("dependency-unavailable").is_none(), "entire is no subject");
    let r = analyze("solaris11-4-doc-required-package-rejected.txt");
    let f = r.finding("incorporated-version-missing").unwrap();
    assert_eq!(f.packages, ["library/python-2/python-sexy-26"]);
    assert!(r.remedies.is_empty(), "{:?}", r.remedies);
    // The FMRI after the words that announce one, on a line of its own.
    let text = "pkg install: No matching version of web/php-53 can be installed:\n\
        Reject:  pkg://solaris/web/php-53@5.3.14,5.11-0.175.1.0.0.24.0:20121211T170542Z\n\
        Reason:  This version is excluded by installed incorporation\n\
        pkg://site/site/web-incorporation@1.0,5.11:20121211T170542Z\n";
    let r = analyze_reader(&RULES, AnalysisContext::default(), text.as_bytes()).unwrap();
    assert_eq!(r.finding("incorporation-excluded").unwrap().packages, ["site/web-incorporation"]);
    // A line that merely follows an FMRI is not glued to it.
    let text = "pkg install: No matching version of web/php-53 can be installed:\n\
        Reject:  pkg://solaris/web/php-53@5.3.14,5.11-0.175.1.0.0.24.0:20121211T170542Z\n\
        Reason:  A version for 'incorporate' dependency on pkg:/web/php-53\n\
        /zones/z1/root is not a directory\n";
    let r = analyze_reader(&RULES, AnalysisContext::default(), text.as_bytes()).unwrap();
    assert_eq!(r.finding("incorporated-version-missing").unwrap().packages, ["web/php-53"]);
}

#[test]
fn newer_pkg_wording_of_a_missing_incorporated_version_is_read() {
    let r = analyze("omnios-pkg-update-r-incorporate-missing.txt");
    assert_eq!(r.log_kind, LogKind::Pkg);
    let f = r.finding("incorporated-version-missing").unwrap();
    assert_eq!(f.packages, ["system/microcode/amd"]);
    assert!(r.remedies.is_empty());
}

#[test]
fn a_freeze_is_undone_not_uninstalled() {
    // The frozen package's new version "cannot be installed" because of the freeze: it is
    // not also a package to uninstall.
    let r = analyze("solaris11-frozen-package.log");
    assert!(r.finding("dependency-unavailable").is_none());
    assert!(r.recommended.is_none() && r.remedies.is_empty(), "{:?}", r.remedies);
    assert!(r.findings[0].explanation.contains("unfreeze"));
    // Another package that cannot be installed still is one.
    let text = "Progress being logged to /var/log/zones/zoneadm.20150116T074510Z.web2.attach\n\
        pkg sync-linked: No solution was found to satisfy constraints\n\
        No suitable version of required package pkg://solaris/web/server/apache-22@2.2.27-0.175.2.0.0.42.0 found:\n\
        Reject:  pkg://solaris/web/server/apache-22@2.2.27-0.175.2.0.0.42.0\n\
        Reason:  This version is excluded by a freeze on web/server/apache-22 at version 2.2.22-0.175.1.0.0.24.0.\n\
        No suitable version of required package pkg://site/web/mod-foo@1.0 found:\n\
        Reject:  pkg://site/web/mod-foo@1.0\n\
        Reason:  No version matching 'require' dependency web/server/apache-24 can be installed\n\
        Result: Attach Failed.\n";
    let r = analyze_reader(&RULES, AnalysisContext::default(), text.as_bytes()).unwrap();
    let f = r.finding("dependency-unavailable").unwrap();
    assert!(!f.packages.iter().any(|p| p.contains("apache-22")), "{:?}", f.packages);
    // Its uninstall is a remedy, but none is recommended while the freeze stands: it would
    // fail the attach again (realworld vv F1).
    assert!(r.remedies.contains(&S::Uninstall), "{:?}", r.remedies);
    assert_eq!(r.recommended, None);
    // Excluded by the release: the freeze and the version lock are named first.
    let r = analyze("solaris11-proposed-incorporation-excluded.log");
    let f = r.finding("proposed-incorporation-excluded").unwrap();
    // The zone root from start_log's `==== Starting: …/attach web5 /zones/web5 -u ====`
    // (analyze gg F3: was the `<zonepath>/root` placeholder).
    assert!(f.next_commands.iter().any(|c| c == "pkg -R /zones/web5/root freeze"));
    assert!(f.explanation.contains("version-lock"));
}

/// The block of lildude's scenario 1 (a repository at 11.1 GA, an image at 11.1 SRU 9.5), asked
/// for by an attach of the generation whose lines precede it.
fn behind_block(asked: &str) -> String {
    format!(
        "pkg install: No matching version of {asked} can be installed:\n\
         \x20 Reject:  pkg://solaris/{asked}@0.5.11,5.11-0.175.0.10.1.0.0:20120918T160038Z\n\
         \x20          pkg://solaris/{asked}@0.5.11,5.11-0.175.1.0.0.24.2:20120919T184131Z\n\
         \x20 Reason:  This version is excluded by installed incorporation \
         pkg://solaris/consolidation/osnet/osnet-incorporation@0.5.11,5.11-0.175.1.9.0.5.2:20130704T025151Z\n"
    )
}

#[test]
fn a_repository_behind_the_installed_sru_is_no_pin() {
    // Every version the repository offers is older than the installed incorporation: nothing
    // pins the package, the repository lacks the installed SRU. Not uninstall.
    let r = analyze("solaris11-lildude-repository-behind-sru.txt");
    let f = r.finding("repository-behind").unwrap();
    assert_eq!(
        (f.packages.as_slice(), f.publishers.as_slice()),
        (&["compatibility/ucb".to_string()][..], &["solaris".to_string()][..])
    );
    assert_eq!(f.evidence.iter().map(|e| e.line).collect::<Vec<_>>(), [4, 7, 8]);
    assert!(r.finding("incorporation-excluded").is_none() && r.finding("no-solution").is_none());
    assert!(r.remedies.is_empty(), "{:?}", r.remedies);
    assert!(
        f.next_commands
            .iter()
            .any(|c| c == "pkg set-publisher -g <repository-with-the-installed-SRU> solaris"),
        "{:?}",
        f.next_commands
    );

    // The same in a zone's attach whose image has its own publishers: point them at the
    // global zone's (zone-publishers).
    let text = format!(
        "Log File: /var/tmp/z1.attach_log.Ab12Cd\n\
         \x20              Attach Path: /zones/z1/root\n\
         \x20 Installing: Using pre-existing data in zonepath\n{}\
         ERROR: Could not update attaching zone\n\
         \x20                   Result: Attach Failed.\n",
        behind_block("entire")
    );
    let r = analyze_reader(&RULES, AnalysisContext::default(), text.as_bytes()).unwrap();
    assert_eq!(r.generation, G::Openindiana);
    assert_eq!(r.findings[0].key, "repository-behind");
    assert_eq!(r.recommended, Some(S::ZonePublishers));
    assert!(r.findings[0].next_commands.contains(&"pkg -R /zones/z1/root list -af entire".into()));

    // Solaris 11: the zone's publishers are the global zone's (system repository).
    let text = format!(
        "Progress being logged to /var/log/zones/zoneadm.20130801T101010Z.z1.attach\n\
         \x20 Updating non-global zone: Syncing packages.\n{}\
         Result: Attach Failed.\n",
        behind_block("entire")
    );
    let r = analyze_reader(&RULES, AnalysisContext::default(), text.as_bytes()).unwrap();
    assert_eq!((r.generation, r.findings[0].key.as_str()), (G::Solaris11, "repository-behind"));
    assert!(r.recommended.is_none() && r.findings[0].explanation.contains("system repository"));
}

#[test]
fn a_pin_or_a_removal_is_not_a_repository_behind() {
    // Versions newer than the pinning incorporation are offered: a pin (the old fixture).
    let r = analyze("solaris11-incorporation-excluded.log");
    assert!(r.finding("repository-behind").is_none());
    assert_eq!(r.recommended, Some(S::Uninstall));
    // The installed package is rejected ("No suitable version of installed package"): the
    // release dropped it, however old its version.
    let r = analyze("solaris11-excluded-by-release-incorporation.log");
    assert!(r.finding("repository-behind").is_none());
    // A package that entire needs, not the one asked for.
    let r = analyze("solaris11-dotted-zone-name.log");
    assert!(r.finding("repository-behind").is_none());
    // One listed version as new as the incorporation: not all behind.
    let text = behind_block("compatibility/ucb").replace("0.175.1.0.0.24.2", "0.175.1.9.0.5.2");
    let r = analyze_reader(&RULES, AnalysisContext::default(), text.as_bytes()).unwrap();
    assert!(r.finding("repository-behind").is_none());
    assert!(r.finding("incorporation-excluded").is_some());
    // OpenIndiana hipster's branches are no release order (a package's 2026.0.0.0 against
    // the incorporation's 2026.0.0.32718): Netatalk/netatalk#2949, an OpenIndiana CI run.
    let text = "  pkg install: No matching version of library/cmark can be installed:\n\
        \x20   Reject:  pkg://openindiana.org/library/cmark@0.31.2-2026.0.0.0\n\
        \x20   Reason:  This version is excluded by installed incorporation consolidation/userland/userland-incorporation@0.5.11-2026.0.0.32718\n\
        \x20 No matching version of library/magic can be installed:\n\
        \x20   Reject:  pkg://openindiana.org/library/magic@5.47-2026.0.0.0\n\
        \x20   Reason:  This version is excluded by installed incorporation consolidation/userland/userland-incorporation@0.5.11-2026.0.0.32718\n";
    let r = analyze_reader(&RULES, AnalysisContext::default(), text.as_bytes()).unwrap();
    assert!(r.finding("repository-behind").is_none());
    // Both were asked for by the install and are not installed: neither is one to uninstall.
    let f = r.finding("incorporation-excluded").unwrap();
    assert!(f.packages.is_empty() && f.strategy.is_none(), "{f:?}");
    assert!(f.explanation.contains("asked for"));
}

#[test]
fn a_global_zone_pkg_command_gets_global_zone_advice() {
    // `pkg update` typed in the global zone, no zone named: the global zone's commands, no
    // zone strategy, and the report says whose image it is.
    for file in [
        "omnios-pkg-update-r-incorporate-missing.txt",
        "solaris11-4-doc-entire-incorporate-unlocked.txt",
    ] {
        let r = analyze(file);
        assert!(r.finding("global-zone-pkg").is_some(), "{file}");
        let commands: Vec<&String> = r.findings.iter().flat_map(|f| &f.next_commands).collect();
        assert!(
            commands
                .iter()
                .all(|c| !c.contains(" -R ") && !c.contains("zonerescue") && !c.contains("<zone")),
            "{file}: {commands:?}"
        );
        assert!(commands.iter().any(|c| *c == "pkg publisher"), "{file}");
        assert!(
            r.recommended.is_none() && r.findings.iter().all(|f| f.strategy.is_none()),
            "{file}"
        );
    }
    // A pkg command on a zone's image (-R) keeps the zone's advice; a global zone's update
    // failing in a zone it names is about that zone (linked-child-failed), with no strategy:
    // the zone is installed, not detached.
    let r = analyze("pkg-out-of-date.txt");
    assert!(r.finding("global-zone-pkg").is_none());
    let r = analyze("solaris11-linked-sync-transcript.txt");
    assert!(r.finding("global-zone-pkg").is_none());
    assert!(r.finding("linked-child-failed").is_some());
    assert_eq!(r.recommended, None);
    // An unexplained failure of the global zone's own pkg command has no brand log to read.
    let text = "# pkg update --accept\npkg update: something unheard of\n";
    let r = analyze_reader(&RULES, AnalysisContext::default(), text.as_bytes()).unwrap();
    assert!(r.finding("unknown-failure").is_some() && r.finding("log-elsewhere").is_none());
    assert!(r.finding("global-zone-pkg").is_some());
}

#[test]
fn a_pkg_command_typed_in_a_zone_gets_the_zone_s_commands_and_no_strategy() {
    // zlogin ZONE pkg …, and a zlogin session: the zone is named, its commands run in it.
    for (file, zone) in [
        ("solaris11-zlogin-pkg-update-not-permissible.txt", "web1"),
        ("solaris11-zone-session-install-gz-older.txt", "app2"),
        // ... also after the attach that brought the zone up (zlogin needs it running).
        ("session-oi-attached-then-zlogin-pkg-update-fails.txt", "app01"),
        ("session-oi-attached-then-zlogin-quoted-pkg-update-fails.txt", "app01"),
        ("session-oi-attached-then-zlogin-l-root-pkg-update-fails.txt", "app01"),
        ("session-oi-attached-then-pkg-R-update-fails.txt", "app01"),
    ] {
        let r = analyze(file);
        assert_eq!(r.zone.as_deref(), Some(zone), "{file}");
        assert!(r.finding("zone-pkg").is_some(), "{file}");
        assert!(r.finding("global-zone-pkg").is_none() && r.finding("log-elsewhere").is_none());
        assert!(r.recommended.is_none() && r.findings.iter().all(|f| f.strategy.is_none()));
        let commands: Vec<&String> = r.findings.iter().flat_map(|f| &f.next_commands).collect();
        assert!(
            commands.iter().all(|c| !c.contains(" -R ")
                && !c.starts_with("zonerescue")
                && !c.starts_with("zoneadm")),
            "{file}: {commands:?}"
        );
        let in_zone = format!("zlogin {zone} pkg sync-linked -nv");
        assert!(commands.iter().any(|c| **c == in_zone), "{file}: {commands:?}");
    }
    // At a zone's prompt, the zone unnamed: pkg's "synced parent" says the image is a zone's;
    // the commands are typed where the user is.
    // realworld vv F4: also when "synced parent" is in the dry run typed after the update
    // (a preview of the same image): it was the global zone's then.
    for file in [
        "solaris11-zone-prompt-update-synced-parent.txt",
        "solaris11-zone-session-update-then-dry-run.txt",
    ] {
        let r = analyze(file);
        assert!(r.finding("zone-pkg").is_some() && r.finding("global-zone-pkg").is_none());
        let zone_pkg = r.finding("zone-pkg").unwrap();
        assert!(zone_pkg.next_commands.iter().any(|c| c == "pkg sync-linked -nv"), "{file}");
    }
    // Regress ww F7: a global zone's own failed update, then a zone's dry run typed through
    // zlogin or with `-R/root` glued: that dry run shows another image, not the GZ's own.
    for file in [
        "solaris11-gz-update-then-zlogin-zone-dry-run.txt",
        "solaris11-gz-update-then-glued-dash-r-zone-dry-run.txt",
    ] {
        let r = analyze(file);
        assert!(r.finding("global-zone-pkg").is_some(), "{file}");
        assert!(r.finding("zone-pkg").is_none(), "{file}");
    }
    // The same reasons in an attach log are the attach's: its strategies stay.
    let r = analyze("solaris11-not-permissible.log");
    assert!(r.finding("zone-pkg").is_none());
    assert_eq!(r.recommended, Some(S::Uninstall));
}

#[test]
fn zoneadm_s_own_zonepath_checks_are_named_not_the_configuration() {
    let r = analyze("serverhorror-opensolaris-verify-zonepath-mode.txt");
    assert!(r.finding("zone-verify-failed").is_none());
    assert_eq!(r.finding("zonepath-unusable").unwrap().evidence.len(), 4);
    assert!(r.finding("log-elsewhere").is_none() && r.finding("unknown-failure").is_none());
    // A mode zoneadm corrected itself is no failure.
    let r = analyze("solaris11-cookbook-s10-install-zonepath-mode-corrected.txt");
    assert!(r.finding("zonepath-unusable").is_none());
    assert!(r.finding("zonepath-mode-corrected").is_some());
    let r = analyze("omnios-pr63-onu-zone-update-root-path.txt");
    assert!(r.finding("unknown-failure").is_none() && r.finding("log-elsewhere").is_none());
    assert!(r.remedies.is_empty());
}

#[test]
fn a_brand_script_s_error_line_is_not_called_the_attach_s_in_an_install_log() {
    for file in ["uar-kernel-zone-install-no-ai-media.txt", "solaris11-install-repository-down.txt"]
    {
        let r = analyze(file);
        let f = r.finding("attach-error-line").unwrap();
        assert!(!f.title.contains("attach"), "{file}: {}", f.title);
    }
}

#[test]
fn a_boot_environment_pkg_cannot_create_is_named_not_unknown() {
    let r = analyze("omnios-pr765-pkg-update-unable-to-clone-be.txt");
    assert!(r.finding("unknown-failure").is_none());
    let f = r.finding("be-clone-failed").unwrap();
    assert_eq!(f.evidence[0].text, "pkg: Unable to clone the current boot environment.");
    assert!(f.next_commands.iter().any(|c| c == "beadm list"));
    assert!(r.recommended.is_none() && r.finding("global-zone-pkg").is_some());
    // The rest of pkg's boot-environment family (api_errors.py BEException).
    for (line, key) in [
        ("pkg: Unable to mount solaris-2 at /tmp/tmpXyZ12", "be-clone-failed"),
        (
            "pkg: A problem occurred while attempting to rename the boot environment",
            "be-clone-failed",
        ),
        ("pkg update: The boot environment 's11.4.42' already exists.", "be-name-rejected"),
        ("pkg: 'a b' is not a valid boot environment name.", "be-name-rejected"),
    ] {
        let text = format!("# pkg update --be-name x\n{line}\n");
        let r = analyze_reader(&RULES, AnalysisContext::default(), text.as_bytes()).unwrap();
        assert_eq!(r.findings[0].key, key, "{line}");
        assert!(r.recommended.is_none(), "{line}");
    }
}

#[test]
fn a_brand_refusing_options_is_named_and_a_clone_is_no_attach() {
    let r = analyze("omnios-issue216-clone-m-copy-unknown-option.txt");
    assert_eq!((r.log_kind, r.zone.as_deref()), (LogKind::Install, Some("zone1")));
    let f = r.finding("brand-usage").unwrap();
    assert_eq!(f.evidence.iter().map(|e| e.line).collect::<Vec<_>>(), [2, 4]);
    assert!(r.remedies.is_empty());
    // The same refusal of an attach's option: named, no strategy proposed for it.
    let text = "# zoneadm -z web1 attach -x deny-zbe-clone\n\
        /usr/lib/brand/ipkg/attach: -x: unknown option\n\
        \n\
        brand-specific usage: attach [-a archive] [-d dataset] [-n] [-r zfs-recv] [-u]\n";
    let r = analyze_reader(&RULES, AnalysisContext::default(), text.as_bytes()).unwrap();
    assert_eq!(r.findings[0].key, "brand-usage");
    assert!(r.finding("unknown-failure").is_none() && r.recommended.is_none());
}

#[test]
fn zoneadmd_failures_are_named_not_an_attach() {
    let r = analyze("smartos299-vmadm-create-zoneadmd-console.txt");
    assert!(r.finding("unknown-failure").is_none() && r.finding("log-elsewhere").is_none());
    let f = r.finding("zoneadmd-failed").unwrap();
    assert!(f.next_commands.iter().any(|c| c.ends_with(" ready")));
    let commands: Vec<&String> = r.findings.iter().flat_map(|f| &f.next_commands).collect();
    assert!(!commands.iter().any(|c| c.starts_with("zonerescue")), "{commands:?}");
}

#[test]
fn an_unexplained_failure_is_worded_by_what_the_input_is() {
    let title = |text: &str| {
        let r = analyze_reader(&RULES, AnalysisContext::default(), text.as_bytes()).unwrap();
        let f = r.finding("unknown-failure").unwrap().clone();
        assert!(!f.title.contains('{') && !f.explanation.contains('{'), "{f:?}");
        f.title
    };
    // pkg typed in the global zone, or pkg's own error pasted alone: no attach was run.
    assert!(
        title("# pkg update --accept\npkg update: something unheard of\n")
            .starts_with("The pkg operation failed")
    );
    assert!(title("pkg install: something unheard of\n").starts_with("The pkg operation failed"));
    // Nothing says what the input is the output of.
    assert!(title("zoneadm: zone z1: a failure unheard of\n").starts_with("The operation failed"));
    // An attach log stays an attach's.
    assert!(
        analyze("unknown-failure.log")
            .finding("unknown-failure")
            .unwrap()
            .title
            .starts_with("The attach failed")
    );
}

#[test]
fn a_zone_s_package_not_permissible_is_answered_in_the_zone() {
    // pkg output pasted without its command line, whose reason shows the image is a zone's, and
    // no line of an attach: the zone's own operation; what to do is done in the zone.
    let text = "pkg update: The installed package web/server/apache-22 is not permissible.\n\
        \x20 Reject:  pkg://solaris/web/server/apache-22@2.2.22\n\
        \x20 Reason:  Parent image has a incompatible newer version: pkg://solaris/web/server/apache-22@2.2.29\n";
    let r = analyze_reader(&RULES, AnalysisContext::default(), text.as_bytes()).unwrap();
    assert!(r.finding("zone-pkg").is_some());
    let f = r.finding("package-not-permissible").unwrap();
    assert_eq!(f.strategy, None);
    assert!(r.recommended.is_none());
    assert!(!f.explanation.contains("lets the attach proceed"), "{}", f.explanation);
    assert!(f.explanation.contains("in the zone"));
    // The same pasted block of the sync an attach runs stays the attach's.
    let sync = text.replace("pkg update:", "pkg sync-linked:");
    let r = analyze_reader(&RULES, AnalysisContext::default(), sync.as_bytes()).unwrap();
    assert!(r.finding("zone-pkg").is_none());
    assert_eq!(r.recommended, Some(S::Uninstall));
    // Typed in a zone through zlogin, or the global zone's update failing in a zone: the same.
    for file in
        ["solaris11-zlogin-pkg-update-not-permissible.txt", "solaris11-linked-sync-transcript.txt"]
    {
        let f = analyze(file).finding("package-not-permissible").unwrap().clone();
        assert!(!f.explanation.contains("lets the attach proceed"), "{file}");
    }
    // In an attach, the attach's words and strategy stay.
    let f = analyze("solaris11-not-permissible.log")
        .finding("package-not-permissible")
        .unwrap()
        .clone();
    assert!(f.explanation.contains("lets the attach proceed"));
    assert_eq!(f.strategy, Some(S::Uninstall));
}

#[test]
fn a_prompt_s_host_name_is_never_taken_for_the_zone() {
    // The host name in a prompt is the global zone's (or a zone's host name, which need not be
    // its zone name): the zone is the one zoneadm names, and none when none is named.
    let text = "root@web01:~# zoneadm -z web02 attach -u\nzoneadm: zone 'web02': ERROR: x\n";
    let r = analyze_reader(&RULES, AnalysisContext::default(), text.as_bytes()).unwrap();
    assert_eq!(r.zone.as_deref(), Some("web02"));
    let text = "root@web01:~# pkg update\npkg update: something unheard of\n";
    let r = analyze_reader(&RULES, AnalysisContext::default(), text.as_bytes()).unwrap();
    assert_eq!(r.zone, None);
}

#[test]
fn zonepath_commands_name_the_path_the_log_names() {
    let r = analyze("serverhorror-opensolaris-verify-zonepath-mode.txt");
    let f = r.finding("zonepath-unusable").unwrap();
    assert!(
        f.next_commands.iter().any(|c| c == "ls -ld /zones/testzone /zones/testzone/.."),
        "{:?}",
        f.next_commands
    );
    assert!(!f.next_commands.iter().any(|c| c.contains("<zonepath>")));
    let r = analyze("solaris11-attach-zonepath-missing.txt");
    let f = r.finding("zonepath-missing").unwrap();
    assert!(f.next_commands.iter().any(|c| c == "ls -ld /zones/web1/.."), "{:?}", f.next_commands);
}

#[test]
fn another_zoneadm_subcommand_is_worded_as_itself_and_gets_no_attach_advice() {
    let r = analyze("opensolaris-zones-guide-boot-privilege-missing.txt");
    let f = r.finding("zone-verify-failed").unwrap();
    assert!(f.explanation.ends_with("then run the zone boot again."), "{}", f.explanation);
    assert!(r.finding("log-elsewhere").is_none());
    // An unexplained boot failure: no attach strategy, no attach log to look for.
    let text = "# zoneadm -z z1 boot\nzoneadm: zone 'z1': something unheard of\n";
    let r = analyze_reader(&RULES, AnalysisContext::default(), text.as_bytes()).unwrap();
    let f = r.finding("unknown-failure").unwrap();
    assert!(f.title.starts_with("The zone boot failed"), "{}", f.title);
    assert!(r.finding("log-elsewhere").is_none());
    let commands: Vec<&String> = r.findings.iter().flat_map(|f| &f.next_commands).collect();
    assert!(!commands.iter().any(|c| c.starts_with("zonerescue")), "{commands:?}");
    // A detach, then the attach: the attach is judged as one.
    let text = "# zoneadm -z z1 detach\n# zoneadm -z z1 attach -u\nzoneadm: zone 'z1': something unheard of\n";
    let r = analyze_reader(&RULES, AnalysisContext::default(), text.as_bytes()).unwrap();
    assert!(r.finding("unknown-failure").unwrap().title.starts_with("The attach failed"));
    // A boot typed after an attach that succeeded, with nothing said: the attach stands.
    let text = "# zoneadm -z z1 attach -u\n\
        Progress being logged to /var/log/zones/zoneadm.20240105T101500Z.z1.attach\n\
        \x20 Updating non-global zone: Syncing packages.\n\
        \x20                   Result: Attach Succeeded.\n\
        # zoneadm -z z1 boot\n\
        # zlogin z1 uptime\n";
    let r = analyze_reader(&RULES, AnalysisContext::default(), text.as_bytes()).unwrap();
    assert_eq!((r.verdict, r.attempts), (V::Attached, 1));
    // A Solaris 10 branded zone never detached: attach -F, no strategy.
    let r = analyze("s10-relnotes-6800618-branded-attach-mount-invalid.txt");
    let f = r.finding("svr4-attach-unverifiable").unwrap();
    assert!(f.next_commands.iter().any(|c| c.ends_with("attach -F")));
    assert!(r.finding("svr4-zone").is_some() && r.remedies.is_empty());
}

#[test]
fn a_failed_download_names_the_error_and_the_repository() {
    // The transport error itself is evidence, the repository is named, and no publisher
    // finding claims the catalog refresh failed.
    for name in
        ["openindiana-download-http-503.log", "openindiana-download-framework-error-numeric.log"]
    {
        let r = analyze(name);
        let f = r.finding("repository-transfer-failed").unwrap();
        assert!(
            f.evidence
                .iter()
                .any(|e| e.text.contains("protocol error") || e.text.contains("Framework error")),
            "{name}: {:?}",
            f.evidence
        );
        assert_eq!(f.origins.len(), 1, "{name}");
        assert!(r.finding("publisher-unreachable").is_none(), "{name}");
    }
    // A proxy that asks for credentials: its configuration is the remedy, named with the
    // refused URL; no publisher strategy, and no attach before the proxy is fixed.
    for name in ["openindiana-catalog-proxy-407.log", "solaris11-download-proxy-407-old-format.log"]
    {
        let r = analyze(name);
        let f = r.finding("proxy-authentication-required").unwrap();
        assert!(f.evidence.iter().any(|e| e.text.contains("407")), "{name}");
        assert_eq!(f.origins.len(), 1, "{name}");
        assert!(f.explanation.contains("--proxy") && f.explanation.contains("http_proxy"));
        assert!(f.explanation.contains("system-repository"));
        assert_eq!(r.recommended, None, "{name}");
        for k in ["publisher-unreachable", "publisher-unreachable-gz", "repository-transfer-failed"]
        {
            assert!(r.finding(k).is_none(), "{name}: {k}");
        }
    }
    // A 404 stays an incomplete repository (nothing to retry).
    let r = analyze("openindiana-repository-404.log");
    assert!(r.finding("repository-transfer-failed").is_none());
    assert_eq!(r.recommended, None);
}

/// Regression round bb F3: the `tail -f` stopped with Ctrl-C pressed twice (two `^C` lines) is
/// still no interrupted attach; a `zoneadm attach` typed after it and interrupted is.
#[test]
fn a_tail_f_stopped_twice_is_no_interrupted_attach() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/logs/openindiana-tail-f-of-attach-log-ctrl-c.txt");
    let text = fs::read_to_string(path).unwrap();
    let twice = text.replacen("^C\n", "^C\n^C\n", 1);
    assert_ne!(twice, text);
    let r = analyze_reader(&RULES, AnalysisContext::default(), twice.as_bytes()).unwrap();
    assert!(r.finding("interrupted").is_none(), "{:?}", r.findings);
    let typed = format!("{twice}root@oi:~# zoneadm -z db attach -u\n^C\n");
    let r = analyze_reader(&RULES, AnalysisContext::default(), typed.as_bytes()).unwrap();
    assert!(r.finding("interrupted").is_some(), "{:?}", r.findings);
}

/// Analyze round cc F2, F3: a log pasted as `grep -n -A8 …`, `cat -n …` or `grep --color=always`
/// reads like the log itself. Before, the line numbers and the colour escapes hid that the
/// release's own `entire` requires the package (advised for uninstall), and a coloured
/// `Attach Succeeded` was not an attach log.
#[test]
fn numbered_or_coloured_pastes_read_like_the_log() {
    let shape = |r: &Report| {
        let f: Vec<_> =
            r.findings.iter().map(|f| (f.key.clone(), f.strategy, f.packages.clone())).collect();
        (r.verdict, r.recommended, f)
    };
    let plain = analyze("openindiana-entire-requires-obsolete-python.log");
    assert_eq!(plain.recommended, None);
    for paste in ["grep-n", "cat-n", "grep-color", "grep-Hn"] {
        let r = analyze(&format!("openindiana-entire-requires-obsolete-python-{paste}.txt"));
        assert_eq!(shape(&r), shape(&plain), "{paste}");
        let text = serde_json::to_string(&r).unwrap();
        assert!(!text.contains("[01;31m") && !text.contains("[K"), "{paste}: {text}");
    }
    let r = analyze("openindiana-attach-success-grep-color.txt");
    assert_eq!((r.verdict, r.exit_code()), (Verdict::Attached, 0));
}

/// Analyze round cc F8: `pkg -R ROOT uninstall -nv …` and `pkg install --dry-run …` typed after
/// a failed attach only preview: neither is an attempt (before: the last attempt, "log
/// truncated, the attach may still be running", a plain attach advised) nor evidence.
#[test]
fn pkg_previews_after_a_failed_attach_are_no_attempts() {
    let r = analyze("openindiana-attach-then-pkg-previews.txt");
    assert_eq!((r.verdict, r.attempts), (Verdict::Failed, 1));
    assert_eq!(r.recommended, Some(S::Uninstall));
    assert!(r.finding("log-truncated").is_none(), "{:?}", r.findings);
    assert_eq!(r.finding("dependency-unavailable").unwrap().packages, ["web/php-56"]);
}

/// Analyze round cc F1: dbi-522 is rejected at its installed version by the release's
/// incorporation and at the release's newer one only by the zone's own pin (site/perl-pin):
/// the pin is uninstalled, dbi-522 stays (before: also advised for uninstall, "no longer
/// exists").
#[test]
fn a_package_only_a_site_pin_holds_back_is_not_advised_for_uninstall() {
    let r = analyze("openindiana-attach-site-pin-holds-package.log");
    assert_eq!(r.recommended, Some(S::Uninstall));
    assert_eq!(r.finding("incorporation-excluded").unwrap().packages, ["site/perl-pin"]);
    for key in ["package-removed", "proposed-incorporation-excluded"] {
        let f = r.finding(key).unwrap();
        assert_eq!(f.strategy, None, "{f:?}");
        assert!(f.explanation.contains("site/perl-pin"), "{f:?}");
    }
    let cmds: Vec<&String> = r.findings.iter().flat_map(|f| &f.next_commands).collect();
    assert!(!cmds.iter().any(|c| c.contains("uninstall") && c.contains("dbi-522")), "{cmds:?}");
}

/// Regression round dd F2: a Solaris 10 attach pasted through `grep -n`, whose patch lines
/// start with digits of their own (`6:120081 is not installed`) and whose `zoneadm list -p`
/// rows too (`2:0:global:…`): read like the log (before: only some numbers came off, and the
/// advice was `attach -u`).
#[test]
fn a_grep_n_paste_of_a_solaris_10_log_reads_like_the_log() {
    let plain = analyze("yucas-s10-attach-out-of-sync.txt");
    let pasted = analyze("yucas-s10-attach-out-of-sync-grep-n.txt");
    let keys = |r: &Report| r.findings.iter().map(|f| f.key.clone()).collect::<Vec<_>>();
    assert_eq!((keys(&pasted), pasted.recommended), (keys(&plain), plain.recommended));
    let evidence = |r: &Report| {
        r.findings
            .iter()
            .flat_map(|f| f.evidence.iter().map(|e| e.text.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(evidence(&pasted), evidence(&plain));
}

/// Advice round ee F4: image-create was recommended as `zonerescue --strategy image-create
/// ZONE`, which is always refused without --allow-destructive.
#[test]
fn a_destructive_recommendation_is_a_command_that_runs() {
    for name in [
        "openindiana-uninstall-blocked-by-core-dependent.txt",
        "solaris11-update-format-cfg-empty.txt",
    ] {
        let r = analyze(name);
        assert_eq!(r.remedies.first(), Some(&S::ImageCreate), "{name}");
        let commands: Vec<&String> = r.findings.iter().flat_map(|f| &f.next_commands).collect();
        let zonerescue: Vec<&&String> = commands
            .iter()
            .filter(|c| c.starts_with("zonerescue --strategy image-create"))
            .collect();
        assert!(!zonerescue.is_empty(), "{name}: {commands:?}");
        assert!(
            zonerescue.iter().all(|c| c.contains(" --allow-destructive ")),
            "{name}: {commands:?}"
        );
    }
}

/// Analyze round cc F5: a detach refused for a running zone, then `attach -u`: "already
/// installed" advised the very detach that had just failed. The zone being up is said, with
/// the halt, unless it was halted since. F10: "must be installed before detach" (the zone is
/// detached already) was an unknown failure; it is an attach that it needs.
#[test]
fn zoneadm_s_refusals_name_the_zone_s_state_and_the_way_on() {
    let next = |r: &Report, key: &str| r.finding(key).unwrap().next_commands.clone();
    let r = analyze("zoneadm-detach-refused-running-then-attach.txt");
    let f = r.finding("zone-already-installed").unwrap();
    assert!(f.explanation.contains("Here the zone is running"), "{}", f.explanation);
    assert!(f.evidence.iter().any(|e| e.text.contains("invalid for running zones")));
    assert_eq!(
        next(&r, "zone-already-installed"),
        ["zoneadm list -cv", "zoneadm -z web1 halt", "zoneadm -z web1 detach"]
    );
    let r = analyze("zoneadm-detach-refused-halted-then-attach.txt");
    assert!(!r.finding("zone-already-installed").unwrap().explanation.contains("running"));
    assert!(!next(&r, "zone-already-installed").iter().any(|c| c.contains("halt")));
    let r = analyze("zoneadm-detach-of-a-detached-zone.txt");
    assert!(next(&r, "zone-not-installed").contains(&"zoneadm -z web1 attach -u".to_string()));
}

/// Analyze round ff F1-F3: the last command of a session only followed up the attempt before
/// it. `attach -F` after a failed attach -u was "the reason is in the brand's log" (exit 3),
/// with no word that the zone now runs un-updated; a plain attach after a failed -u advised
/// the -u that had just failed; an attach of a zone that had attached advised a halt.
#[test]
fn a_command_that_only_follows_up_an_attempt_is_judged_with_it() {
    let r = analyze("session-s11-attach-u-fails-then-attach-F.txt");
    assert_eq!(r.findings[0].next_commands, ["zoneadm -z www1 halt", "zoneadm -z www1 detach"]);
    assert!(r.finding("package-not-permissible").is_some());
    assert!(r.followed_up_at.is_some());
    let r = analyze("session-oi-attach-u-fails-then-plain-attach.txt");
    assert!(r.finding("update-required").is_none());
    let r = analyze("session-oi-attached-then-attach-again.txt");
    assert!(r.findings.iter().all(|f| f.next_commands.iter().all(|c| !c.contains("halt"))));
    // A plain attach on its own, or after one that attached, is still judged on its own.
    let r = analyze("solaris10-native-attach-out-of-sync.txt");
    assert!(r.finding("update-required").is_some() && r.followed_up_at.is_none());
}

/// realworld kk F3: a paste site's "12. " line numbers are taken off: the next line's number
/// was glued onto the log's path (`….www1.attach3`).
#[test]
fn a_numbered_paste_names_the_log_file_whole() {
    let r = analyze("solaris11-not-permissible-numbered-paste.txt");
    let want = "/var/log/zones/zoneadm.20150409T142041Z.www1.attach";
    assert_eq!(r.log_file.as_deref(), Some(want));
}
