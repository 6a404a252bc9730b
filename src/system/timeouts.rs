//! Per-command-kind timeouts. A listing that hangs (a dead NFS mount, a wedged zoneadmd) should
//! be given up after minutes, while `attach -u` or `pkg image-create` legitimately runs for an
//! hour or more: one number for both is either too short for the long ones or leaves an
//! operator staring at a hung `zfs list` for two hours.
//!
//! `--timeout` takes `SECONDS` (every kind) or `KIND=SECONDS` (one kind), repeatable and
//! comma-separated; the kind of a command is decided here, from its program and subcommand.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use super::{CommandSpec, Program};

/// What a command does, for its time limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CommandKind {
    /// Read-only listings: `zoneadm list`, `zonecfg info`, `pkg list/info/publisher`,
    /// `zfs list/get`, `beadm list`, `mount -p`, `zlogin … svcs`.
    Query,
    /// `zfs snapshot/rollback/destroy/set/…`.
    Zfs,
    /// `zoneadm attach/detach/boot/halt/…` (attach -u runs a whole package update).
    Zoneadm,
    /// `pkg install/uninstall/update/image-update/refresh/set-publisher/…`, plans (`-n`) too.
    Pkg,
    /// `pkg image-create` (downloads the whole image).
    ImageCreate,
}

impl CommandKind {
    pub const ALL: [CommandKind; 5] = [
        CommandKind::Query,
        CommandKind::Zfs,
        CommandKind::Zoneadm,
        CommandKind::Pkg,
        CommandKind::ImageCreate,
    ];

    pub fn name(self) -> &'static str {
        match self {
            CommandKind::Query => "query",
            CommandKind::Zfs => "zfs",
            CommandKind::Zoneadm => "zoneadm",
            CommandKind::Pkg => "pkg",
            CommandKind::ImageCreate => "image-create",
        }
    }

    /// Defaults generous enough for a slow repository over a WAN, short enough that a hung
    /// listing does not hold a production zone down for hours.
    pub fn default_timeout(self) -> Duration {
        Duration::from_secs(match self {
            CommandKind::Query => 600,
            CommandKind::Zfs => 1800,
            CommandKind::Zoneadm | CommandKind::Pkg => 7200,
            CommandKind::ImageCreate => 14400,
        })
    }

    /// The kind of `spec`, from its program and subcommand.
    pub fn of(spec: &CommandSpec) -> CommandKind {
        let args = spec.args_lossy();
        // The subcommand: the first word that is neither an option nor an option's value.
        let sub = |with_value: &[&str]| -> String {
            let mut it = args.iter();
            while let Some(a) = it.next() {
                if with_value.contains(&a.as_str()) {
                    it.next();
                } else if !a.starts_with('-') {
                    return a.clone();
                }
            }
            String::new()
        };
        match spec.program() {
            Program::Zonecfg | Program::Beadm | Program::Mount | Program::Zlogin => {
                CommandKind::Query
            }
            Program::Zoneadm => match sub(&["-z", "-R", "-u"]).as_str() {
                "list" | "" => CommandKind::Query,
                _ => CommandKind::Zoneadm,
            },
            Program::Zfs => match sub(&[]).as_str() {
                "list" | "get" | "" => CommandKind::Query,
                _ => CommandKind::Zfs,
            },
            Program::Pkg => match sub(&["-R", "-D"]).as_str() {
                "list" | "info" | "publisher" | "contents" | "search" | "history" | "property"
                | "facet" | "variant" | "" => CommandKind::Query,
                "image-create" => CommandKind::ImageCreate,
                _ => CommandKind::Pkg,
            },
        }
    }
}

impl fmt::Display for CommandKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Longest accepted limit (a week): beyond it a typo is likelier than intent.
const MAX_SECONDS: u64 = 7 * 24 * 3600;

/// One `--timeout` value: `SECONDS` or `KIND=SECONDS`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimeoutSetting {
    /// `None`: every kind.
    pub kind: Option<CommandKind>,
    pub seconds: u64,
}

impl FromStr for TimeoutSetting {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (kind, secs) = match s.split_once('=') {
            Some((k, v)) => {
                let kind = CommandKind::ALL.into_iter().find(|c| c.name() == k.trim()).ok_or_else(
                    || {
                        format!(
                            "unknown command kind `{}` (expected one of: {})",
                            k.trim(),
                            CommandKind::ALL.map(CommandKind::name).join(", ")
                        )
                    },
                )?;
                (Some(kind), v)
            }
            None => (None, s),
        };
        let seconds: u64 = secs.trim().parse().map_err(|_| {
            format!(
                "`{}` is not a number of seconds (from --timeout or the environment \
                     variable ZONERESCUE_TIMEOUT)",
                secs.trim()
            )
        })?;
        if seconds == 0 || seconds > MAX_SECONDS {
            return Err(format!("{seconds} s is out of range (1 to {MAX_SECONDS} seconds)"));
        }
        Ok(TimeoutSetting { kind, seconds })
    }
}

impl fmt::Display for TimeoutSetting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            Some(k) => write!(f, "{k}={}", self.seconds),
            None => write!(f, "{}", self.seconds),
        }
    }
}

/// The limit for each [`CommandKind`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Timeouts {
    limits: [Duration; CommandKind::ALL.len()],
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts { limits: CommandKind::ALL.map(CommandKind::default_timeout) }
    }
}

impl Timeouts {
    /// The same limit for every kind.
    pub fn uniform(limit: Duration) -> Self {
        Timeouts { limits: [limit; CommandKind::ALL.len()] }
    }

    /// The defaults, then every plain `SECONDS`, then every `KIND=SECONDS` (a kind named
    /// explicitly wins over a plain value, whatever the order on the command line).
    pub fn from_settings(settings: &[TimeoutSetting]) -> Self {
        let mut t = Timeouts::default();
        for s in settings.iter().filter(|s| s.kind.is_none()) {
            t = Timeouts::uniform(Duration::from_secs(s.seconds));
        }
        for s in settings {
            if let Some(k) = s.kind {
                t.limits[k as usize] = Duration::from_secs(s.seconds);
            }
        }
        t
    }

    pub fn get(&self, kind: CommandKind) -> Duration {
        self.limits[kind as usize]
    }

    /// The limit for `spec`: its own if it sets one, else its kind's.
    pub fn for_spec(&self, spec: &CommandSpec) -> Duration {
        spec.get_timeout().unwrap_or_else(|| self.get(CommandKind::of(spec)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(p: Program, args: &[&str]) -> CommandKind {
        CommandKind::of(&CommandSpec::new(p).args(args))
    }

    #[test]
    fn kinds_follow_the_subcommand_not_the_options() {
        use CommandKind::*;
        assert_eq!(kind(Program::Zoneadm, &["list", "-cp"]), Query);
        assert_eq!(kind(Program::Zoneadm, &["-z", "list", "list", "-p"]), Query);
        assert_eq!(kind(Program::Zoneadm, &["-z", "list", "attach", "-u"]), Zoneadm);
        assert_eq!(kind(Program::Zoneadm, &["-z", "z1", "detach"]), Zoneadm);
        assert_eq!(kind(Program::Pkg, &["-R", "/z/info/root", "info", "entire"]), Query);
        assert_eq!(kind(Program::Pkg, &["publisher", "-H", "-F", "tsv"]), Query);
        assert_eq!(kind(Program::Pkg, &["-R", "/z/root", "install", "-n", "-v", "entire"]), Pkg);
        assert_eq!(kind(Program::Pkg, &["-R", "/z/root", "uninstall", "-v", "x"]), Pkg);
        assert_eq!(kind(Program::Pkg, &["unset-publisher", "extra"]), Pkg);
        assert_eq!(kind(Program::Pkg, &["image-create", "-f", "-z", "/z/root"]), ImageCreate);
        assert_eq!(kind(Program::Zfs, &["list", "-H", "-t", "snapshot"]), Query);
        assert_eq!(kind(Program::Zfs, &["snapshot", "-r", "a@b"]), Zfs);
        assert_eq!(kind(Program::Zfs, &["rollback", "-r", "a@b"]), Zfs);
        assert_eq!(kind(Program::Beadm, &["list", "-H"]), Query);
        assert_eq!(kind(Program::Mount, &["-p"]), Query);
    }

    #[test]
    fn settings_parse_and_explicit_kinds_win() {
        let s: Vec<TimeoutSetting> =
            ["zoneadm=30", "120", "query=5"].iter().map(|s| s.parse().unwrap()).collect();
        let t = Timeouts::from_settings(&s);
        assert_eq!(t.get(CommandKind::Zoneadm), Duration::from_secs(30));
        assert_eq!(t.get(CommandKind::Query), Duration::from_secs(5));
        assert_eq!(t.get(CommandKind::Pkg), Duration::from_secs(120));
        assert_eq!(t.get(CommandKind::ImageCreate), Duration::from_secs(120));
        assert_eq!(Timeouts::from_settings(&[]), Timeouts::default());
        assert_eq!(s[0].to_string(), "zoneadm=30");
        for bad in ["0", "-1", "x", "pkg=", "attach=10", "=10", "pkg=99999999999", ""] {
            assert!(bad.parse::<TimeoutSetting>().is_err(), "{bad}");
        }
        let e = "attach=10".parse::<TimeoutSetting>().unwrap_err();
        assert!(e.contains("query, zfs, zoneadm, pkg, image-create"), "{e}");
    }

    #[test]
    fn a_spec_limit_overrides_its_kind() {
        let t = Timeouts::default();
        let spec = CommandSpec::new(Program::Zfs).arg("list");
        assert_eq!(t.for_spec(&spec), CommandKind::Query.default_timeout());
        assert_eq!(t.for_spec(&spec.timeout(Duration::from_secs(3))), Duration::from_secs(3));
    }
}
