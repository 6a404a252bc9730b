//! Reading a configuration file the operator names (`--playbook`, `analyze --rules`): a
//! regular file of bounded size. `/dev/zero` would be read until memory runs out, and a named
//! pipe no program writes to would block the open for ever.

use std::fs::OpenOptions;
use std::io::{self, Read};
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

/// Larger than any playbook or rule file (the bundled ones are tens of kilobytes).
pub const CONFIG_LIMIT: u64 = 4 * 1024 * 1024;

/// The bytes of the regular file at `path`, at most `limit` of them (more is an error). The
/// open does not block (O_NONBLOCK, which reads of a regular file ignore); the file's type is
/// checked on the descriptor.
pub fn read_config_file(path: &Path, limit: u64) -> io::Result<Vec<u8>> {
    let file = OpenOptions::new().read(true).custom_flags(libc::O_NONBLOCK).open(path)?;
    if !file.metadata()?.is_file() {
        return Err(io::Error::new(io::ErrorKind::InvalidInput, "not a regular file"));
    }
    let mut bytes = Vec::new();
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("larger than {} MiB: not a configuration file", limit / (1024 * 1024)),
        ));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_regular_file_of_bounded_size_is_read() {
        let d = tempfile::tempdir().unwrap();
        let f = d.path().join("p.toml");
        std::fs::write(&f, "x = 1\n").unwrap();
        assert_eq!(read_config_file(&f, 10).unwrap(), b"x = 1\n");
        assert!(read_config_file(&f, 3).unwrap_err().to_string().contains("larger than"));
        let e = read_config_file(d.path(), 10).unwrap_err();
        assert!(
            e.to_string().contains("not a regular file") || e.raw_os_error() == Some(libc::EISDIR),
            "{e}"
        );
        assert!(
            read_config_file(Path::new("/dev/zero"), 10)
                .unwrap_err()
                .to_string()
                .contains("not a regular file")
        );
        let fifo = d.path().join("fifo");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: mkfifo with a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        assert!(
            read_config_file(&fifo, 10).unwrap_err().to_string().contains("not a regular file")
        );
    }
}
