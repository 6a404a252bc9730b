//! Faults a scenario injects (`[[faults]]`). Fields:
//!
//! - `command = "zfs snapshot"`: the program and words that must appear, in order, among the
//!   arguments (`"pkg install"` also matches `pkg -R /r install …`). With:
//!   - `match = "text"`: additionally, the joined arguments must contain this text;
//!   - `nth = N`: only the N-th matching invocation (counting from 1) fires; absent = every one;
//!   - `exit = N`, `stdout = "…"`, `stderr = "…"`: the command does nothing but print these
//!     and exit N (exit defaults to 1 when stdout/stderr/exit is given);
//!   - `hang_s = S`: the command really sleeps S seconds (scaled by `ZONESIM_SPEED`) before
//!     doing its work (or failing as above), so callers' timeouts can be tested.
//! - `repository = URI, unreachable_after = N`: the repository answers the first N catalog
//!   contacts, then is unreachable.
//! - `kind = "…"` (optionally `zone = "Z"` — `"global"` for the global zone's image — and
//!   `nth = N`), where kind is one of:
//!   - `image-locked`: pkg operations on the image (the zone's with `zone`, else any) exit 7
//!     with pkg's lock text;
//!   - `zoneadm-locked`: zoneadm's state-changing subcommands fail with
//!     `another zoneadm may have an operation in progress.`;
//!   - `attach-log-unreadable`: the attach log is written with mode 000;
//!   - `attach-log-missing`: the attach log is deleted when the attach ends;
//!   - `out-of-space`: `zfs snapshot`/`clone` fail with `out of space`, pkg installs with
//!     `[Errno 28] No space left on device`.
//!
//! The oracle runs with faults disabled.

use super::world::World;

/// What a `command` fault does to one invocation.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Injected {
    pub hang_s: Option<u64>,
    /// `Some` when the command must not run but print/exit as given.
    pub replace: Option<(String, String, i32)>,
}

fn words_in_order(args: &[String], words: &[&str]) -> bool {
    let mut it = args.iter();
    words.iter().all(|w| it.any(|a| a == w))
}

/// Checks the `command` faults for `program args` (counting matches for `nth`).
pub fn command(world: &mut World, program: &str, args: &[String]) -> Injected {
    if world.pure {
        return Injected::default();
    }
    let joined = args.join(" ");
    let mut result = Injected::default();
    for i in 0..world.faults.len() {
        let f = world.faults[i].clone();
        let Some(cmd) = f.command.as_deref() else { continue };
        let mut words = cmd.split_whitespace();
        if words.next() != Some(program) {
            continue;
        }
        let rest: Vec<&str> = words.collect();
        if !words_in_order(args, &rest) || f.match_.as_deref().is_some_and(|m| !joined.contains(m))
        {
            continue;
        }
        // Every matching fault counts this invocation, also when an earlier one fires (the
        // first to fire wins): `nth` counts matching invocations, not unclaimed ones.
        let n = world.bump(&format!("fault:{i}"));
        let fired = result.replace.is_some() || result.hang_s.is_some();
        if fired || f.nth.is_some_and(|nth| nth != n) {
            continue;
        }
        if f.hang_s.is_some() {
            result.hang_s = f.hang_s;
        }
        if f.exit.is_some() || f.stdout.is_some() || f.stderr.is_some() {
            let mut stderr = f.stderr.clone().unwrap_or_default();
            if !stderr.is_empty() && !stderr.ends_with('\n') {
                stderr.push('\n');
            }
            let mut stdout = f.stdout.clone().unwrap_or_default();
            if !stdout.is_empty() && !stdout.ends_with('\n') {
                stdout.push('\n');
            }
            result.replace = Some((stdout, stderr, f.exit.unwrap_or(1)));
        }
    }
    result
}

/// Does a `kind` fault fire now (for `zone`, when given)? Counts checks for `nth`.
pub fn take_kind(world: &mut World, kind: &str, zone: Option<&str>) -> bool {
    if world.pure {
        return false;
    }
    let mut fired = false;
    for i in 0..world.faults.len() {
        let f = world.faults[i].clone();
        if f.kind.as_deref() != Some(kind) {
            continue;
        }
        // A fault naming a zone fires only for that zone ("global": the global zone's image).
        let applies = match (f.zone.as_deref(), zone) {
            (None, _) => true,
            (Some(fz), Some(z)) => fz == z,
            (Some(fz), None) => fz == "global",
        };
        if !applies {
            continue;
        }
        // As for command faults: every matching fault counts the check.
        let n = world.bump(&format!("fault:{i}"));
        fired |= f.nth.is_none_or(|nth| nth == n);
    }
    fired
}
