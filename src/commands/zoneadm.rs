//! `zoneadm`: list, detach, attach, boot, halt.
//!
//! Reference §1.5 (`zoneadm list -p`), one line per zone, `:`-separated, `\:` escaping a colon
//! inside the zonepath:
//! - b134 / illumos 2009: `zoneid:zonename:state:zonepath:uuid:brand:ip-type` (7 fields)
//! - illumos current:     `…:ip-type:debugid` (8 fields, debugid empty when -1)
//! - Solaris 11.0:        `…:ip-type:r/w:file-mac-profile` (9 fields; r/w one of `-`, `R`, `W`)
//!
//! zoneid is `-` when not running; uuid may be empty. §1.6 gives the state strings.

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use crate::system::{CommandError, CommandOutput, CommandSpec, Program, Runner, Stream};

use super::{ParseError, RunError, ZoneName, parse_lines, run_checked, run_parsed};

/// A zone's state (`zone_state_str`, §1.6; `unavailable` is Solaris 11.4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ZoneState {
    Configured,
    Incomplete,
    Installed,
    Ready,
    Running,
    ShuttingDown,
    Down,
    Mounted,
    Unavailable,
}

impl ZoneState {
    pub const ALL: [ZoneState; 9] = [
        ZoneState::Configured,
        ZoneState::Incomplete,
        ZoneState::Installed,
        ZoneState::Ready,
        ZoneState::Running,
        ZoneState::ShuttingDown,
        ZoneState::Down,
        ZoneState::Mounted,
        ZoneState::Unavailable,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ZoneState::Configured => "configured",
            ZoneState::Incomplete => "incomplete",
            ZoneState::Installed => "installed",
            ZoneState::Ready => "ready",
            ZoneState::Running => "running",
            ZoneState::ShuttingDown => "shutting_down",
            ZoneState::Down => "down",
            ZoneState::Mounted => "mounted",
            ZoneState::Unavailable => "unavailable",
        }
    }

    /// Whether the zone's kernel side exists (ready, running, shutting down, down): such a
    /// zone cannot be detached or attached (`detach operation is invalid for running zones.`).
    pub fn is_active(self) -> bool {
        matches!(
            self,
            ZoneState::Ready | ZoneState::Running | ZoneState::ShuttingDown | ZoneState::Down
        )
    }
}

impl fmt::Display for ZoneState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ZoneState {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ZoneState::ALL
            .into_iter()
            .find(|st| st.as_str() == s)
            .ok_or_else(|| format!("unknown zone state '{s}'"))
    }
}

/// Which `list -p` layout a line had.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListFormat {
    /// 7 fields (OpenSolaris b134, illumos 2009).
    Legacy,
    /// 8 fields, trailing debugid (current illumos: OpenIndiana, OmniOS).
    Illumos,
    /// 9 fields, trailing r/w flag and file-mac-profile (Solaris 11).
    Solaris11,
}

/// One line of `zoneadm list -p`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ZoneEntry {
    /// Numeric id; `None` for `-` (not running).
    pub id: Option<u64>,
    pub name: String,
    pub state: ZoneState,
    pub zonepath: PathBuf,
    pub uuid: Option<String>,
    pub brand: String,
    /// `excl` or `shared`.
    pub ip_type: String,
    /// illumos only; `None` when empty.
    pub debugid: Option<String>,
    /// Solaris 11 only: `-`, `R` or `W`.
    pub read_write: Option<char>,
    /// Solaris 11 only: `none` for the global zone.
    pub mac_profile: Option<String>,
    pub format: ListFormat,
}

impl ZoneEntry {
    pub fn is_global(&self) -> bool {
        self.name == "global"
    }
}

/// Splits a `list -p` line at unescaped colons, undoing `\:` and `\\`.
pub fn split_escaped(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(n) => push_char(&mut fields, n),
                None => push_char(&mut fields, '\\'),
            },
            ':' => fields.push(String::new()),
            _ => push_char(&mut fields, c),
        }
    }
    fields
}

fn push_char(fields: &mut [String], c: char) {
    if let Some(last) = fields.last_mut() {
        last.push(c);
    }
}

/// The inverse of [`split_escaped`] for one field: `\` → `\\`, `:` → `\:`.
pub fn escape_field(field: &str) -> String {
    field.replace('\\', r"\\").replace(':', r"\:")
}

/// A zone id column: a number, or `-` when the zone is not running.
fn parse_zone_id(s: &str) -> Result<Option<u64>, String> {
    match s {
        "-" => Ok(None),
        s => s.parse::<u64>().map(Some).map_err(|_| format!("zone id '{s}' is not a number")),
    }
}

/// Parses one `zoneadm list -p` line.
pub fn parse_list_line(line: &str) -> Result<ZoneEntry, String> {
    let f = split_escaped(line);
    let format = match f.len() {
        7 => ListFormat::Legacy,
        8 => ListFormat::Illumos,
        9 => ListFormat::Solaris11,
        n => return Err(format!("expected 7, 8 or 9 ':'-separated fields, found {n}")),
    };
    let id = parse_zone_id(&f[0])?;
    if f[1].is_empty() {
        return Err("empty zone name".into());
    }
    let state = f[2].parse::<ZoneState>()?;
    let non_empty = |s: &str| (!s.is_empty()).then(|| s.to_string());
    let (debugid, read_write, mac_profile) = match format {
        ListFormat::Legacy => (None, None, None),
        ListFormat::Illumos => (non_empty(&f[7]), None, None),
        ListFormat::Solaris11 => {
            let mut rw = f[7].chars();
            let c = match (rw.next(), rw.next()) {
                (Some(c @ ('-' | 'R' | 'W')), None) => c,
                _ => return Err(format!("r/w field '{}' is not -, R or W", f[7])),
            };
            (None, Some(c), non_empty(&f[8]))
        }
    };
    Ok(ZoneEntry {
        id,
        name: f[1].clone(),
        state,
        zonepath: PathBuf::from(&f[3]),
        uuid: non_empty(&f[4]),
        brand: f[5].clone(),
        ip_type: f[6].clone(),
        debugid,
        read_write,
        mac_profile,
        format,
    })
}

/// Parses the whole output of `zoneadm list -cp` (blank lines ignored).
pub fn parse_list(stdout: &str) -> Result<Vec<ZoneEntry>, ParseError> {
    parse_lines(stdout, parse_list_line)
}

/// One row of `zoneadm list -cv` (§1.5: `%*s %-16s %-10s %-30s %-8s %-6s`, ID `-` when not
/// running). Columns are not truncated, so they are read as words: ID, NAME, STATUS, then the
/// path up to the last two words (BRAND, IP). Runs of spaces inside a path are not kept;
/// use `list -p` where the exact path matters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerboseEntry {
    pub id: Option<u64>,
    pub name: String,
    pub state: ZoneState,
    pub zonepath: PathBuf,
    pub brand: String,
    pub ip_type: String,
}

/// Parses `zoneadm list -cv` (header line skipped).
pub fn parse_list_verbose(stdout: &str) -> Result<Vec<VerboseEntry>, ParseError> {
    let is_header = |l: &str| {
        let mut w = l.split_whitespace();
        w.next() == Some("ID") && w.next() == Some("NAME")
    };
    let rows = stdout.lines().enumerate().filter(|(_, l)| !l.trim().is_empty() && !is_header(l));
    rows.map(|(i, l)| parse_verbose_line(l).map_err(|m| ParseError::at(i + 1, m))).collect()
}

fn parse_verbose_line(line: &str) -> Result<VerboseEntry, String> {
    let w: Vec<&str> = line.split_whitespace().collect();
    let [id, name, state, path @ .., brand, ip] = w.as_slice() else {
        return Err(format!("expected ID NAME STATUS PATH BRAND IP, found {} words", w.len()));
    };
    if path.is_empty() {
        return Err("no PATH column".into());
    }
    let id = parse_zone_id(id)?;
    Ok(VerboseEntry {
        id,
        name: name.to_string(),
        state: state.parse()?,
        zonepath: PathBuf::from(path.join(" ")),
        brand: brand.to_string(),
        ip_type: ip.to_string(),
    })
}

/// `zoneadm list -cv`.
pub fn list_verbose_spec() -> CommandSpec {
    CommandSpec::new(Program::Zoneadm).args(["list", "-cv"])
}

/// `zoneadm list -cp`: every configured zone, parsable.
pub fn list_spec() -> CommandSpec {
    CommandSpec::new(Program::Zoneadm).args(["list", "-cp"])
}

/// `zoneadm -z ZONE list -p`.
pub fn list_zone_spec(zone: &ZoneName) -> CommandSpec {
    zone_spec(zone).args(["list", "-p"])
}

fn zone_spec(zone: &ZoneName) -> CommandSpec {
    CommandSpec::new(Program::Zoneadm).arg("-z").arg(zone)
}

/// Options of `zoneadm attach` (§1.3). `-F` and `-n` are mutually exclusive (zoneadm refuses).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AttachOptions {
    /// `-u`: update the zone's packages to match the global zone (brand option).
    pub update: bool,
    /// `-U`: illumos "forced update" (also allows attaching an `incomplete` zone).
    pub forced_update: bool,
    /// `-F`: force, skipping the software compatibility tests.
    pub force: bool,
    /// `-n PATH`: dry run against a manifest.
    pub dry_run_manifest: Option<PathBuf>,
}

/// `zoneadm -z ZONE attach [-F] [-n PATH] [-u] [-U]`.
pub fn attach_spec(zone: &ZoneName, opts: &AttachOptions) -> CommandSpec {
    let mut spec = zone_spec(zone).arg("attach");
    if opts.force {
        spec = spec.arg("-F");
    }
    if let Some(p) = &opts.dry_run_manifest {
        spec = spec.arg("-n").arg(p);
    }
    if opts.update {
        spec = spec.arg("-u");
    }
    if opts.forced_update {
        spec = spec.arg("-U");
    }
    spec
}

/// `zoneadm -z ZONE detach [-F]`: `force` skips the brand hooks and just sets `configured`.
pub fn detach_spec(zone: &ZoneName, force: bool) -> CommandSpec {
    let spec = zone_spec(zone).arg("detach");
    if force { spec.arg("-F") } else { spec }
}

/// `zoneadm -z ZONE boot`.
pub fn boot_spec(zone: &ZoneName) -> CommandSpec {
    zone_spec(zone).arg("boot")
}

/// `zoneadm -z ZONE halt`.
pub fn halt_spec(zone: &ZoneName) -> CommandSpec {
    zone_spec(zone).arg("halt")
}

/// Every configured zone (global included).
pub fn list(runner: &Runner) -> Result<Vec<ZoneEntry>, RunError> {
    run_parsed(runner, &list_spec(), parse_list)
}

/// One zone's entry. An unknown zone is a command error (`zoneadm: z9: No such zone configured`).
pub fn get(runner: &Runner, zone: &ZoneName) -> Result<ZoneEntry, RunError> {
    run_parsed(runner, &list_zone_spec(zone), |out| {
        parse_list(out)?
            .into_iter()
            .find(|e| e.name == zone.as_str())
            .ok_or_else(|| ParseError::whole(format!("no line for zone {zone}")))
    })
}

/// Runs `zoneadm -z ZONE attach …`, streaming each line to `on_line`, and returns the output
/// whatever the exit code: a failed attach is data for the analysis, not an error. Errors
/// only when zoneadm could not be run or timed out.
pub fn attach(
    runner: &Runner,
    zone: &ZoneName,
    opts: &AttachOptions,
    on_line: &mut dyn FnMut(Stream, &str),
) -> Result<CommandOutput, CommandError> {
    runner.run_streaming(&attach_spec(zone, opts), on_line)
}

/// Detaches ZONE; fails unless zoneadm exits 0.
pub fn detach(runner: &Runner, zone: &ZoneName, force: bool) -> Result<(), RunError> {
    run_checked(runner, &detach_spec(zone, force)).map(drop)
}

pub fn boot(runner: &Runner, zone: &ZoneName) -> Result<(), RunError> {
    run_checked(runner, &boot_spec(zone)).map(drop)
}

pub fn halt(runner: &Runner, zone: &ZoneName) -> Result<(), RunError> {
    run_checked(runner, &halt_spec(zone)).map(drop)
}

/// Where the zone's root file system is (`ZONEPATH/root`).
pub fn zone_root(zonepath: &Path) -> PathBuf {
    zonepath.join("root")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_the_three_layouts() {
        let legacy = parse_list_line(
            "-:z1:installed:/zones/z1:4f2b0c1e-1111-2222-3333-444455556666:ipkg:shared",
        )
        .unwrap();
        assert_eq!(legacy.format, ListFormat::Legacy);
        assert_eq!((legacy.id, legacy.name.as_str()), (None, "z1"));
        assert_eq!(legacy.state, ZoneState::Installed);
        assert_eq!(legacy.zonepath, PathBuf::from("/zones/z1"));
        assert_eq!(legacy.brand, "ipkg");
        assert_eq!(legacy.ip_type, "shared");

        let oi = parse_list_line("0:global:running:/::ipkg:shared:0").unwrap();
        assert_eq!(oi.format, ListFormat::Illumos);
        assert_eq!((oi.id, oi.uuid.clone(), oi.debugid.as_deref()), (Some(0), None, Some("0")));
        assert!(oi.is_global());
        let oi = parse_list_line("-:web01:configured:/zones/web01::lipkg:excl:").unwrap();
        assert_eq!((oi.debugid, oi.brand.as_str()), (None, "lipkg"));

        let s11 = parse_list_line("0:global:running:/::solaris:shared:-:none").unwrap();
        assert_eq!(s11.format, ListFormat::Solaris11);
        assert_eq!((s11.read_write, s11.mac_profile.as_deref()), (Some('-'), Some("none")));
        let s11 =
            parse_list_line("3:db:running:/zones/db:uuid-x:solaris:excl:R:fixed-configuration")
                .unwrap();
        assert_eq!((s11.id, s11.read_write), (Some(3), Some('R')));
    }

    #[test]
    fn unescapes_colons_and_backslashes_in_the_zonepath() {
        let e = parse_list_line(r"-:z1:installed:/zones/a\:b\\c:u:ipkg:excl:").unwrap();
        assert_eq!(e.zonepath, PathBuf::from(r"/zones/a:b\c"));
    }

    #[test]
    fn bad_lines_are_errors_with_line_numbers() {
        let out = "0:global:running:/::ipkg:shared:0\n\n-:z1:flying:/zones/z1::ipkg:shared:\n";
        let e = parse_list(out).unwrap_err();
        assert_eq!(e.line, 3);
        assert!(e.message.contains("flying"), "{e}");
        for bad in [
            "",
            "a:b:c",
            "x:z1:installed:/z::ipkg:shared",
            ":::::::",
            "0:g:running:/::s:shared:RW:none",
        ] {
            assert!(parse_list_line(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn verbose_listing() {
        let out = "  ID NAME             STATUS     PATH                           BRAND    IP    \n   0 global           running    /                              ipkg     shared\n   - z1               installed  /zones/z1                      ipkg     excl  \n   - a-very-long-zone-name configured /zones/with space   solaris  excl\n";
        let v = parse_list_verbose(out).unwrap();
        assert_eq!(v.len(), 3);
        assert_eq!(
            (v[0].id, v[0].state, v[0].ip_type.as_str()),
            (Some(0), ZoneState::Running, "shared")
        );
        assert_eq!((v[1].id, v[1].zonepath.clone()), (None, PathBuf::from("/zones/z1")));
        assert_eq!(v[2].zonepath, PathBuf::from("/zones/with space"));
        assert_eq!(v[2].brand, "solaris");
        assert_eq!(parse_list_verbose("   - z1 installed ipkg excl\n").unwrap_err().line, 1);
        assert!(parse_list_verbose("   x z1 installed /z ipkg excl\n").is_err());
        assert_eq!(list_verbose_spec().display(), "zoneadm list -cv");
    }

    #[test]
    fn states_round_trip() {
        for s in ZoneState::ALL {
            assert_eq!(s.to_string().parse::<ZoneState>().unwrap(), s);
        }
        assert!(ZoneState::Running.is_active());
        assert!(!ZoneState::Configured.is_active());
    }

    #[test]
    fn builders() {
        let z = ZoneName::new("z1").unwrap();
        assert_eq!(list_spec().display(), "zoneadm list -cp");
        assert_eq!(list_zone_spec(&z).display(), "zoneadm -z z1 list -p");
        let a = AttachOptions { update: true, ..Default::default() };
        assert_eq!(attach_spec(&z, &a).display(), "zoneadm -z z1 attach -u");
        let a = AttachOptions {
            force: true,
            forced_update: true,
            dry_run_manifest: Some("/tmp/m.xml".into()),
            update: false,
        };
        assert_eq!(attach_spec(&z, &a).display(), "zoneadm -z z1 attach -F -n /tmp/m.xml -U");
        assert_eq!(detach_spec(&z, false).display(), "zoneadm -z z1 detach");
        assert_eq!(detach_spec(&z, true).display(), "zoneadm -z z1 detach -F");
        assert_eq!(boot_spec(&z).display(), "zoneadm -z z1 boot");
        assert_eq!(halt_spec(&z).display(), "zoneadm -z z1 halt");
    }

    proptest! {
        #[test]
        fn escaped_lines_round_trip(
            id in prop::option::of(0u64..10_000),
            name in "[a-z0-9][a-z0-9_.-]{0,20}",
            state in prop::sample::select(ZoneState::ALL.to_vec()),
            zonepath in "/[ -~]{0,40}",
            uuid in prop::option::of("[0-9a-f-]{1,36}"),
            debugid in prop::option::of("[0-9]{1,4}"),
        ) {
            let line = format!(
                "{}:{name}:{state}:{}:{}:ipkg:excl:{}",
                id.map_or("-".to_string(), |i| i.to_string()),
                escape_field(&zonepath),
                uuid.clone().unwrap_or_default(),
                debugid.clone().unwrap_or_default(),
            );
            let e = parse_list_line(&line).unwrap();
            prop_assert_eq!(e.id, id);
            prop_assert_eq!(e.state, state);
            prop_assert_eq!(e.zonepath, PathBuf::from(&zonepath));
            prop_assert_eq!(e.uuid, uuid);
            prop_assert_eq!(e.debugid, debugid);
        }

        #[test]
        fn split_inverts_escape(fields in prop::collection::vec("[ -~]{0,12}", 1..10)) {
            let line: Vec<String> = fields.iter().map(|f| escape_field(f)).collect();
            prop_assert_eq!(split_escaped(&line.join(":")), fields);
        }
    }
}
