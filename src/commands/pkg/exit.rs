//! pkg(1) exit codes (reference §3.1). Codes 8–11 changed meaning in Solaris 11.2 (they
//! moved to 51–54), so they are reported as [`PkgExit::Other`] rather than guessed.

use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PkgExit {
    /// 0: command succeeded (`-n`: there would be changes).
    Ok,
    /// 1: an error occurred.
    Error,
    /// 2: invalid command line options.
    BadOptions,
    /// 3: multiple operations requested, not all succeeded.
    Partial,
    /// 4: no changes were made, nothing to do.
    NothingToDo,
    /// 5: the operation cannot be performed on a live image.
    NotLive,
    /// 6: license acceptance required (`--accept`).
    LicenseRequired,
    /// 7: the image is locked by another process.
    Locked,
    /// 51: can't access the requested image (S11.2+, OI, OmniOS).
    AccessDenied,
    /// 52: image is not in sync with its constraints.
    Diverged,
    /// 53: image is not linked to a parent image.
    NoParent,
    /// 54: linked operation must be done from the parent.
    ParentOp,
    /// 99: an unanticipated exception (a pkg traceback).
    Fatal,
    /// Killed by a signal.
    Signal,
    /// Anything else, including 8–11 whose meaning depends on the pkg version.
    Other(i32),
}

impl PkgExit {
    pub fn from_code(code: Option<i32>) -> Self {
        match code {
            None => PkgExit::Signal,
            Some(0) => PkgExit::Ok,
            Some(1) => PkgExit::Error,
            Some(2) => PkgExit::BadOptions,
            Some(3) => PkgExit::Partial,
            Some(4) => PkgExit::NothingToDo,
            Some(5) => PkgExit::NotLive,
            Some(6) => PkgExit::LicenseRequired,
            Some(7) => PkgExit::Locked,
            Some(51) => PkgExit::AccessDenied,
            Some(52) => PkgExit::Diverged,
            Some(53) => PkgExit::NoParent,
            Some(54) => PkgExit::ParentOp,
            Some(99) => PkgExit::Fatal,
            Some(c) => PkgExit::Other(c),
        }
    }

    /// Success for an operation: changes made (0) or nothing needed doing (4).
    pub fn is_success(self) -> bool {
        matches!(self, PkgExit::Ok | PkgExit::NothingToDo)
    }

    pub fn describe(self) -> String {
        match self {
            PkgExit::Ok => "command succeeded".into(),
            PkgExit::Error => "an error occurred".into(),
            PkgExit::BadOptions => "invalid command line options".into(),
            PkgExit::Partial => "not all of the requested operations succeeded".into(),
            PkgExit::NothingToDo => "nothing to do".into(),
            PkgExit::NotLive => "operation cannot be performed on a live image".into(),
            PkgExit::LicenseRequired => "license acceptance required".into(),
            PkgExit::Locked => "the image is locked by another package client".into(),
            PkgExit::AccessDenied => "cannot access the requested image".into(),
            PkgExit::Diverged => "the image is not in sync with its constraints".into(),
            PkgExit::NoParent => "the image is not linked to a parent image".into(),
            PkgExit::ParentOp => "linked operation must be done from the parent".into(),
            PkgExit::Fatal => "pkg failed with an unanticipated exception".into(),
            PkgExit::Signal => "pkg was killed by a signal".into(),
            PkgExit::Other(c) => format!("pkg exited with status {c}"),
        }
    }
}

impl fmt::Display for PkgExit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_documented_codes() {
        assert_eq!(PkgExit::from_code(Some(0)), PkgExit::Ok);
        assert_eq!(PkgExit::from_code(Some(4)), PkgExit::NothingToDo);
        assert_eq!(PkgExit::from_code(Some(7)), PkgExit::Locked);
        assert_eq!(PkgExit::from_code(Some(52)), PkgExit::Diverged);
        assert_eq!(PkgExit::from_code(Some(9)), PkgExit::Other(9));
        assert_eq!(PkgExit::from_code(None), PkgExit::Signal);
        assert!(PkgExit::NothingToDo.is_success());
        assert!(!PkgExit::Locked.is_success());
        assert!(PkgExit::Locked.to_string().contains("locked"));
    }
}
