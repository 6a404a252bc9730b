use std::fmt;

/// The system programs zonerescue is allowed to run. Nothing else can be spawned: the runner
/// takes a `Program`, never a free-form path.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Program {
    Zoneadm,
    Zonecfg,
    Pkg,
    Zfs,
    Beadm,
    Mount,
    Zlogin,
}

impl Program {
    pub const ALL: [Program; 7] = [
        Program::Zoneadm,
        Program::Zonecfg,
        Program::Pkg,
        Program::Zfs,
        Program::Beadm,
        Program::Mount,
        Program::Zlogin,
    ];

    /// The command's file name, as it appears in a command directory.
    pub fn name(self) -> &'static str {
        match self {
            Program::Zoneadm => "zoneadm",
            Program::Zonecfg => "zonecfg",
            Program::Pkg => "pkg",
            Program::Zfs => "zfs",
            Program::Beadm => "beadm",
            Program::Mount => "mount",
            Program::Zlogin => "zlogin",
        }
    }

    /// Where the program lives on Solaris 11 and illumos (the same paths on both).
    pub fn default_path(self) -> &'static str {
        match self {
            Program::Zoneadm => "/usr/sbin/zoneadm",
            Program::Zonecfg => "/usr/sbin/zonecfg",
            Program::Pkg => "/usr/bin/pkg",
            Program::Zfs => "/usr/sbin/zfs",
            Program::Beadm => "/usr/sbin/beadm",
            Program::Mount => "/usr/sbin/mount",
            Program::Zlogin => "/usr/sbin/zlogin",
        }
    }
}

impl fmt::Display for Program {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
