use std::path::{Path, PathBuf};

use super::Program;

/// Where system programs and system files are found.
///
/// On a real host: each program at its absolute default path and files under `/`. For tests
/// and the demo, `command_dir` holds every program (the simulator's links) and `root` is a
/// directory standing in for `/` (as `zoneadm -R` does). Paths printed by commands (zonepaths,
/// log files) are used as printed; only well-known system locations go through [`host_path`].
///
/// [`host_path`]: SystemPaths::host_path
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SystemPaths {
    command_dir: Option<PathBuf>,
    root: PathBuf,
}

impl Default for SystemPaths {
    fn default() -> Self {
        SystemPaths { command_dir: None, root: PathBuf::from("/") }
    }
}

impl SystemPaths {
    /// The real host: default program paths, root `/`.
    pub fn host() -> Self {
        Self::default()
    }

    /// Every program in `command_dir`, system files under `root`. Both must be absolute so
    /// that nothing depends on the working directory or `PATH`.
    pub fn new(command_dir: Option<PathBuf>, root: PathBuf) -> Result<Self, String> {
        if let Some(dir) = &command_dir
            && !dir.is_absolute()
        {
            return Err(format!("command directory must be absolute: {}", dir.display()));
        }
        if !root.is_absolute() {
            return Err(format!("system root must be absolute: {}", root.display()));
        }
        Ok(SystemPaths { command_dir, root })
    }

    pub fn program(&self, program: Program) -> PathBuf {
        match &self.command_dir {
            Some(dir) => dir.join(program.name()),
            None => PathBuf::from(program.default_path()),
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn is_host(&self) -> bool {
        self.command_dir.is_none() && self.root == Path::new("/")
    }

    /// A well-known absolute system path (`/var/tmp`) under the configured root.
    pub fn host_path(&self, absolute: &str) -> PathBuf {
        self.root.join(absolute.trim_start_matches('/'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_defaults_are_absolute_system_paths() {
        let p = SystemPaths::host();
        assert_eq!(p.program(Program::Pkg), PathBuf::from("/usr/bin/pkg"));
        assert_eq!(p.program(Program::Zoneadm), PathBuf::from("/usr/sbin/zoneadm"));
        assert_eq!(p.host_path("/var/tmp"), PathBuf::from("/var/tmp"));
        assert!(p.is_host());
    }

    #[test]
    fn seam_redirects_programs_and_files() {
        let p = SystemPaths::new(Some("/w/bin".into()), "/w".into()).unwrap();
        assert_eq!(p.program(Program::Zfs), PathBuf::from("/w/bin/zfs"));
        assert_eq!(p.host_path("/var/log/zones"), PathBuf::from("/w/var/log/zones"));
        assert!(!p.is_host());
    }

    #[test]
    fn relative_seam_paths_are_refused() {
        assert!(SystemPaths::new(Some("bin".into()), "/".into()).is_err());
        assert!(SystemPaths::new(None, "w".into()).is_err());
    }
}
