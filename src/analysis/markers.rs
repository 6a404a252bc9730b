//! Built-in structural markers: where attempts start and end, which generation wrote the log,
//! and facts (zone name, zone root, `entire` versions). Unlike the rules these are not
//! findings, they are how the analyzer understands the shape of a log, so they live in code.
//! Texts: reference §1.2, §2.2–§2.8, §3.6–§3.7.

use super::generation::Generation;
use super::report::LogKind;

/// What a marker line tells the analyzer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Marker {
    /// An attach attempt starts (`Log File:`, `Progress being logged to`).
    AttemptStart,
    /// A command typed at a shell prompt starts an attempt of this kind.
    Command(LogKind),
    /// Another zoneadm subcommand typed at a shell prompt (boot, ready, halt, detach, verify …,
    /// group `verb`): an attempt of its own, which no attach strategy answers.
    ZoneadmCommand,
    /// A line only this kind of operation prints (a zone install, onu), not an attach.
    Kind(LogKind),
    /// The brand declared success.
    Success,
    /// pkg finished without error (weaker than the brand's word).
    PkgSuccess,
    /// The brand or zoneadm declared failure.
    Failure,
    /// An error line (the attach may still go on or end either way).
    ErrorLine,
    /// A line from the attach script (not pkg): this is an attach log.
    Brand,
    /// Typical pkg output: at least this is pkg output.
    Pkg,
    /// Votes for a generation.
    Gen(Generation),
    /// Hints at a generation when no attach-script marker decides (pkg output of a release).
    Hint(Generation),
    /// The global zone's own pkg operation on its linked children (its zones): it recursed
    /// into one, a child's operation failed, or it refused because the image has children.
    LinkedParent,
    /// pkg's words for an image that is a zone, a linked child of the global zone: its name
    /// `(zone:NAME)`, or a reason only a child's solver gives (the global zone's version).
    ChildImage,
    /// zlogin opened (`true`) or closed a session in the zone named by group `zone`: the
    /// commands typed in it are the zone's.
    ZoneSession(bool),
    /// Names facts through named groups `zone`, `zoneroot`, `log`, `gz_entire`,
    /// `zone_entire`, `gz_publisher`, `entire_publisher`, `no_catalog_of`, `disabled_publisher`,
    /// `dataset`.
    Fact,
    /// A `Reject:` line of a solver error block: names the package the next `Reason:` is about
    /// (and the version rejected).
    Reject,
    /// An FMRI alone on its line: another version under a `Reject:` line (pkg lists every
    /// version rejected for the same reason below the first).
    RejectMore,
    /// The head of a solver error block: `No matching version of PKG can be installed:` names
    /// the package asked for (`proposed`); the others (`No suitable version of installed
    /// package …`) are about packages the operation did not ask for.
    SolverBlock { proposed: bool },
    /// The command line of a `pkg publisher` listing: of the global zone, or (`-R`) of a zone.
    PublisherTable { zone: bool },
    /// A row of a `pkg publisher` table (default or tsv), named by group `table_publisher`.
    PublisherRow,
    /// A log followed at a prompt (`tail -f LOG`, `less +F LOG`): a `^C` that follows stops
    /// the follower, not the attach.
    Follower,
    /// A line an expert would look at when nothing else explains the failure.
    Notable,
}

/// (marker, pattern). Patterns obey the same conventions as the rules (see rules.rs).
pub const MARKERS: &[(Marker, &str)] = &[
    // attempt boundaries and the log file
    (Marker::AttemptStart, "^Log File: (?P<log>[^ ]+)"),
    (Marker::AttemptStart, "Progress being logged to (?P<log>[^ ]+)"),
    (Marker::AttemptStart, "==== Starting: "),
    // `tail`/`head` of several files heads each with its name: an attach log's starts an
    // attempt, even cut from its `Log File:` line (realworld ww F1: two zones' excerpts read
    // as one attempt), its name as given (`tail zoneadm.*.attach` in /var/log/zones: relative)
    (
        Marker::AttemptStart,
        "^==> (?P<log>([^ ]*/)?([^ /]+\\.attach_log\\.[^ /]+|zoneadm\\.[0-9TZ]+\\.[^ /]+\\.attach)) <==$",
    ),
    (Marker::Fact, "^==> ([^ ]*/)?(?P<zone>[^ /]+)\\.attach_log\\.[^ /]+ <==$"),
    (
        Marker::Gen(Generation::Solaris11),
        "^==> ([^ ]*/)?zoneadm\\.[0-9TZ]+\\.(?P<zone>[^ /]+)\\.attach <==$",
    ),
    // the command typed at a shell prompt (`# `, `root@gz:~# `, `$ pfexec `); a bare line
    // `zoneadm -z Z attach -z ZBE` is advice printed by the S11 brand, not an attempt
    (
        Marker::Command(LogKind::Attach),
        "[#$%>] +((pfexec|sudo) +)?(/usr/sbin/)?zoneadm +-z +(?P<zone>[^ ]+) +attach",
    ),
    (
        Marker::Command(LogKind::Install),
        "[#$%>] +((pfexec|sudo) +)?(/usr/sbin/)?zoneadm +-z +(?P<zone>[^ ]+) +(install|clone)( |\\t|$)",
    ),
    // zoneadm's other subcommands that act on one zone
    (
        Marker::ZoneadmCommand,
        "[#$%>] +((pfexec|sudo) +)?(/usr/sbin/)?zoneadm +-z +(?P<zone>[^ ]+) +(?P<verb>boot|ready|halt|reboot|shutdown|detach|move|uninstall|verify|mark)( |\\t|$)",
    ),
    // OmniOS's zadm creates a zone and installs it (`zadm create -b BRAND [-i IMAGE] NAME`)
    (
        Marker::Command(LogKind::Install),
        "[#$%>] +((pfexec|sudo) +)?([^ ]*/)?zadm +(create|install) ",
    ),
    // a pkg command that changes an image, typed between attempts (`pkg -R ROOT uninstall X`,
    // `pkg set-publisher …`); listings (`pkg publisher`, `pkg list`, `pkg info`) are not one
    (
        Marker::Command(LogKind::Pkg),
        "[#$%>] +((pfexec|sudo|(/usr/bin/)?time( +-p)?) +)*((/usr/sbin/)?zlogin +(-[le] +[^ ]+ +|-[A-Za-z]+ +)*(?P<zone>[^ -][^ ]*) +['\"]?((pfexec|sudo) +)?)?(/usr/bin/)?pkg +(-R *[^ -][^ ]* +)?(install|uninstall|update|image-update|set-publisher|unset-publisher|change-facet|change-variant|freeze|unfreeze|fix|revert|image-create|update-format|attach-linked|sync-linked)( |\\t|$|['\"])",
    ),
    // The same pasted without its prompt (realworld mm F2: a script's trace; regress nn F4),
    // followed by an option, an FMRI or a versioned package, or nothing: not pkg's own
    // `pkg update: …` nor a tool's `pkg -R ROOT image-update failed: …`.
    (
        Marker::Command(LogKind::Pkg),
        "^((pfexec|sudo|(/usr/bin/)?time( +-p)?) +)*(/usr/bin/)?pkg +(-R *[^ -][^ ]* +)?(install|uninstall|update|image-update|set-publisher|unset-publisher|change-facet|change-variant|freeze|unfreeze|fix|revert|image-create|update-format|attach-linked|sync-linked)( +(-|pkg:/|[a-z0-9/_.+-]+@)|$)",
    ),
    // illumos-gate usr/src/tools/scripts/onu.sh: `onu -t BE [-d DIR | -u URI] …`
    (Marker::Command(LogKind::Onu), "[#$%>] +((pfexec|sudo) +)?([^ ]*/)?onu +-[a-zA-Z]"),
    // a zone install: the ipkg brand's pkgcreatezone, the solaris brand's installer (its log
    // is /var/log/zones/zoneadm.<stamp>.<zone>.install)
    (Marker::Kind(LogKind::Install), "^Image: Preparing at (?P<zoneroot>/[^ ]+)"),
    (Marker::Kind(LogKind::Install), "^Installing: Packages \\(output follows\\)"),
    (Marker::Kind(LogKind::Install), "^Installation: (Starting|Succeeded)"),
    (Marker::Kind(LogKind::Install), "^Done: Installation completed in"),
    (Marker::Kind(LogKind::Install), "installation failed: zone switching to configured state"),
    // the Solaris 11 installer (zone install, AI) logs through its InstallationLogger
    (Marker::Kind(LogKind::Install), "InstallationLogger "),
    (
        Marker::Kind(LogKind::Install),
        "/var/log/zones/zoneadm\\.[0-9TZ]+\\.(?P<zone>[^ /]+?)\\.install",
    ),
    // onu: the target BE mounted on its temporary directory, the zone warning, do_cmd's errors
    (Marker::Kind(LogKind::Onu), "/tmp/onu\\.[A-Za-z0-9]+"),
    (Marker::Kind(LogKind::Onu), "Use of onu\\(1\\) will prevent use of zone attach"),
    // outcomes
    (Marker::Success, "Result: Attach Succeeded"),
    (Marker::Success, "^Attach complete\\."),
    (Marker::Failure, "Result: Attach Failed"),
    (Marker::Failure, "Result: \\*\\*\\* Installation FAILED"),
    (Marker::Failure, "^Attach failed\\."),
    (Marker::ErrorLine, "^ERROR: "),
    (Marker::ErrorLine, "^zoneadm: "),
    (Marker::ErrorLine, "could not verify zonepath"),
    (Marker::ErrorLine, "^pkg( [a-z-]+)?: "),
    (Marker::PkgSuccess, "No updates (necessary|available) for this image"),
    (Marker::PkgSuccess, "Actions: Completed [0-9]+ actions"),
    (Marker::PkgSuccess, "^Updating image state +Done"),
    // `pkg update-format`'s word: the Solaris 11 brand runs it before the sync, so a log
    // cut after it has not attached (realworld ww F2: it was read as attached)
    (Marker::Pkg, "Image format (already current|updated)"),
    // brand lines (any generation)
    (Marker::Brand, "Updating non-global zone: "),
    (Marker::Brand, "^Global zone version: (?P<gz_entire>[^ ]+)"),
    (Marker::Brand, "Non-Global zone version: (?P<zone_entire>[^ ]+)"),
    (Marker::Brand, "^Attaching\\.\\.\\."),
    (Marker::Gen(Generation::OpensolarisB134), "^Attaching\\.\\.\\."),
    (Marker::Brand, "Cache: Using "),
    (Marker::Brand, "Installing: Using "),
    // generations (most specific wins, see GenerationVotes::decide)
    (Marker::Gen(Generation::Solaris11), "Progress being logged to /"),
    (
        Marker::Gen(Generation::Solaris11),
        "Log saved in non-global zone as (?P<zoneroot>[^ ]+)/var/log/zones/",
    ),
    (Marker::Gen(Generation::Solaris11), "Zone BE root dataset: (?P<dataset>[^ ]+)"),
    (
        Marker::Gen(Generation::Solaris11),
        "Updating non-global zone: (Auditing|Syncing|Updating) (legacy )?packages",
    ),
    (Marker::Gen(Generation::Solaris11), "^Updating image format"),
    (
        Marker::Gen(Generation::Solaris11),
        "/var/log/zones/zoneadm\\.[0-9TZ]+\\.(?P<zone>[^ /]+?)\\.attach",
    ),
    (Marker::Gen(Generation::Solaris11Prefcs), "Updating non-global zone: Linking to image"),
    (Marker::Gen(Generation::Omnios), "^PKG: "),
    (Marker::Gen(Generation::Omnios), "Uninstalling entire from NGZ to allow update"),
    (Marker::Gen(Generation::Omnios), "pkg://omnios/"),
    // OmniOS's version syntax (`11-0.151022`, `11-151046.0`, `0.5.11-151046.0`): OpenIndiana's
    // 151 builds are `0.151.1.8`, hipster's `2022.0.0.21224`.
    (Marker::Gen(Generation::Omnios), "@(0\\.5\\.)?11-(0\\.)?151[0-9]{3}([^0-9]|$)"),
    (Marker::Gen(Generation::Openindiana), "Attach Path: (?P<zoneroot>[^ ]+)"),
    (Marker::Gen(Generation::Openindiana), "Attach ZFS Dataset: (?P<dataset>[^ ]+)"),
    (Marker::Gen(Generation::Openindiana), "Installing: Using pre-existing data in zonepath"),
    (Marker::Gen(Generation::S11express), "Result: Attach (Succeeded|Failed)"),
    (Marker::Gen(Generation::S11express), "preferred global publisher: (?P<gz_publisher>[^ ]+)"),
    (Marker::Gen(Generation::S11express), "Updating non-global zone: Zone updated\\."),
    (Marker::Gen(Generation::OpensolarisB134), "^Attach complete\\."),
    (Marker::Gen(Generation::OpensolarisB134), "Publisher (Check|Reset): "),
    (Marker::Gen(Generation::OpensolarisB134), "Updating non-global zone: Zone updated to"),
    // hints from pkg output alone: Solaris 11's 0.175 branch (`0.5.11,5.11-0.175.1.1.0.4.0`,
    // `3.0-5.11-0.175.2.0.0.7.0` in a pkg list), its installer's logger, its zones as linked
    // children (`zone:NAME`); OpenIndiana's publisher
    (Marker::Hint(Generation::Solaris11), "-0\\.175\\.[0-9]"),
    (Marker::Hint(Generation::Solaris11), "InstallationLogger"),
    (
        Marker::Hint(Generation::Solaris11),
        "(linked image:? |for child '|Linked image '|working: )zone:[A-Za-z0-9]",
    ),
    (Marker::Hint(Generation::Openindiana), "openindiana\\.org"),
    // OmniOS's version syntax in pkg output without an FMRI (`Changed packages:` lists
    // `4.4.12-0.151021:… -> …`, `pkg list` columns `2.4.6-151046.0  i--`): OpenIndiana's 151
    // builds are `0.151.1.8`
    (Marker::Hint(Generation::Omnios), "[0-9]-(0\\.)?151[0-9]{3}([^0-9.]|\\.[0-9]+([: \\t]|$))"),
    // the global zone's pkg operation on its zones (pkg's linked-image parent messages,
    // reference §3.7 and §3.9); "X linked: N/M done" is left out: a child prints it too
    (Marker::LinkedParent, "^(Recursing into|Returning from) linked image"),
    (Marker::LinkedParent, "operation failed for child '"),
    (Marker::LinkedParent, "^Linked image '[^']+' output:"),
    (Marker::LinkedParent, "^Linked progress: "),
    (Marker::LinkedParent, "(on this parent image cannot be performed|this image has children)"),
    // facts
    (Marker::Fact, "zoneadm: zone '(?P<zone>[^']+)'"),
    // zoneadm refused a detach (attach, uninstall) of a zone that is up: a later "is already
    // installed" is that zone's, which a detach alone cannot fix.
    (Marker::Fact, "operation is invalid for (?P<zone_active>running|ready) zones"),
    // Solaris 11's start_log names the brand script's arguments (`attach %z %R`, reference §2);
    // wrapped by a mail client, the script's path starts a line of its own
    (
        Marker::Fact,
        "(==== Starting: |^)/usr/lib/brand/[a-z0-9]+/attach (?P<zone>[^ /]+) (?P<zonepath>/[^ ]+)",
    ),
    // validate_zonepath()'s last word names the zonepath
    (Marker::Fact, "could not verify zonepath (?P<zonepath>/[^ ]+) because"),
    // verify_details() names the zone without quotes
    (Marker::Fact, "zoneadm: zone (?P<zone>[^ ']+) failed to verify"),
    (Marker::Fact, "/var/tmp/(?P<zone>[^/ ]+)\\.attach_log\\."),
    (Marker::Fact, "Packages in zone (?P<zone>[^ ]+) are out of sync"),
    // pkg names a zone's image `(zone:NAME)` ("No updates available for this image.
    // (zone:z1)"); a zone's solver names the global zone's version (reference §3.9: "global
    // zone" when the image is a zone, "parent image" otherwise; "synced parent")
    (Marker::ChildImage, "\\(zone:(?P<zone>[^) ]+)\\)"),
    (
        Marker::ChildImage,
        "(Parent image|Global zone) has an? (incompatible )?(newer|older) version",
    ),
    (Marker::ChildImage, "Package in (parent( image)?|global zone) is from a different publisher"),
    (Marker::ChildImage, "Package [^ ]+ is not installed in (global zone|parent image)"),
    (Marker::ChildImage, "Excluded by synced parent incorporation"),
    // zlogin's own lines around an interactive session
    (Marker::ZoneSession(true), "^\\[Connected to zone '(?P<zone>[^']+)' "),
    (Marker::ZoneSession(false), "^\\[Connection to zone '[^']+' [^ ]+ closed\\]"),
    // a global zone's `pkg update` that failed to sync a zone names it as a linked child
    (Marker::Fact, "(for child|Linked image) 'zone:(?P<zone>[^']+)'"),
    (Marker::Fact, "pkg -R (?P<zoneroot>/[^ ]+/root) "),
    // `pkg publisher` listings pasted into a transcript: whose table it is, then its rows
    // (default table `NAME (attrs) origin online …`, or tsv `NAME\tsticky\tpreferred|syspub\tenabled\t…`)
    (
        Marker::PublisherTable { zone: false },
        "[#$%>] +((pfexec|sudo) +)?(/usr/bin/)?pkg +publisher",
    ),
    (
        Marker::PublisherTable { zone: true },
        "[#$%>] +((pfexec|sudo) +)?(/usr/bin/)?pkg +-R +(?P<zoneroot>[^ ]+) +publisher",
    ),
    (
        Marker::PublisherRow,
        "^(?P<table_publisher>[A-Za-z0-9][^ \t]*) +(\\([a-z, -]+\\) +)?(origin|mirror) +",
    ),
    (
        Marker::PublisherRow,
        "^(?P<table_publisher>[A-Za-z0-9][^ \t]*)\t(true|false)\t(true|false)\t(true|false)\t",
    ),
    (Marker::Fact, "set-publisher .*--disable (.* )?(?P<disabled_publisher>[^ -][^ ]*)"),
    // The entire an OmniOS/OpenIndiana attach installs is the global zone's, from its publisher.
    (Marker::Fact, "^PKG: (install|update) .*pkg://(?P<entire_publisher>[^/ ]+)/entire@"),
    // No catalog at all could be refreshed (`pkg: 0/N catalogs successfully updated`; `pkg
    // refresh: …` where the brand refreshes first).
    (Marker::Fact, "^pkg( refresh)?: 0/(?P<no_catalog_of>[0-9]+) catalogs successfully updated"),
    // pkg output
    // once per pkg run, not per progress line (progress lines are the bulk of a big log and
    // must not all become candidates)
    (Marker::Pkg, "^Planning: Solver setup"),
    (Marker::Pkg, "^Download: Completed"),
    (Marker::Pkg, "^(Removal|Install|Update) Phase"),
    (Marker::Pkg, "^Creating Plan"),
    (Marker::Pkg, "^(DOWNLOAD|PHASE) "),
    (Marker::Pkg, "^Packages to (install|update|remove|change|fix):"),
    (Marker::Pkg, "Refreshing catalog"),
    (
        Marker::Reject,
        "^Reject: +(pkg://(?P<publisher>[^/ ]+)/|pkg:/)?(?P<package>[^ @]+)(@(?P<version>[^ ]+))?",
    ),
    // OmniOS r151059+ (omniosorg/pkg5#543): the root causes name the rejected package on a
    // `Package:` line above its `Reason:`
    (
        Marker::Reject,
        "^Package: +(pkg://(?P<publisher>[^/ ]+)/|pkg:/)(?P<package>[^ @]+)(@(?P<version>[^ ]+))?",
    ),
    (Marker::RejectMore, "^pkg:/(/(?P<publisher>[^/ ]+)/)?(?P<package>[^ @]+)@(?P<version>[^ ]+)"),
    (
        Marker::SolverBlock { proposed: true },
        "No matching version of (pkg://[^/ ]+/|pkg:/)?(?P<package>[^ @]+)[^ ]* can be",
    ),
    (
        Marker::SolverBlock { proposed: false },
        "No suitable version of (installed|required) package",
    ),
    (
        Marker::Follower,
        "[#$%>] +((pfexec|sudo) +)?(/usr/bin/)?(tail +(-[A-Za-z0-9]+ +)*-[A-Za-z0-9]*[fF]|less +(-[A-Za-z]+ +)*\\+F)",
    ),
    // lines worth showing when no rule explains the failure
    (
        Marker::Notable,
        "(ERROR|[Ee]rror|FAILED|[Ff]ailed|[Cc]annot|[Uu]nable to|Reject:|Reason:|[Ii]nvalid|[Dd]enied|not found|[Cc]ould not|No solution)",
    ),
];
