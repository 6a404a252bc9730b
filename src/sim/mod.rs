//! zonesim: the simulated Solaris/illumos host (see ../shared/docs/simulator.md).
//! Used only by the `zonesim` binary and `zonerescue demo`; recovery code never imports it.

/// Entry point of the `zonesim` multi-call binary; returns the process exit code.
pub fn main(_args: Vec<std::ffi::OsString>) -> i32 {
    eprintln!("zonesim: not implemented yet");
    1
}
