//! Faults a scenario injects (`[[faults]]`). Fields:
//!
//! - `command = "zfs snapshot"`: the program, then its subcommand: the first argument after
//!   the program's global options and their values (`"pkg install"` matches
//!   `pkg -R /r install …`, `"zoneadm attach"` matches `zoneadm -z Z attach -u`, but
//!   `"zfs snapshot"` not `zfs list -t snapshot`); any further words must appear, in order,
//!   among the arguments after it. For programs without subcommands (`zlogin`, `mount`) the
//!   words must appear, in order, among all the arguments. With:
//!   - `match = "text"`: additionally, the joined arguments must contain this text;
//!   - `nth = N`: only the N-th matching invocation (counting from 1) fires; absent = every one;
//!   - `exit = N`, `stdout = "…"`, `stderr = "…"`: the command does nothing but print these
//!     and exit N (exit defaults to 1 when stdout/stderr/exit is given);
//!   - `hang_s = S`: the command really sleeps S seconds (scaled by `ZONESIM_SPEED`) before
//!     doing its work (or failing as above), so callers' timeouts can be tested.
//!   - `linger_s = S`: the command does its work and writes its output, then really sleeps S
//!     seconds (scaled) before it exits, as a hung cleanup would;
//!   - `killed = true`: the command is killed by SIGKILL (after `hang_s`, if given) before it
//!     does its work, as the OOM killer or a `kill -9` from elsewhere would; it changes nothing.
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
//!   - `zbe-promote-fails`: the Solaris 11 brand's `clone_zbe` leaves its clone unpromoted
//!     (the snapshots stay on the old ZBE);
//!   - `out-of-space`: `zfs snapshot`/`clone` fail with `out of space`, pkg installs with
//!     `[Errno 28] No space left on device`.
//!
//! The oracle runs with faults disabled.

use super::world::World;

/// What a `command` fault does to one invocation.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Injected {
    pub hang_s: Option<u64>,
    /// The command dies of SIGKILL before its work.
    pub killed: bool,
    /// Seconds the command sleeps after its work and output, before it exits.
    pub linger_s: Option<u64>,
    /// `Some` when the command must not run but print/exit as given.
    pub replace: Option<(String, String, i32)>,
}

fn words_in_order(args: &[String], words: &[&str]) -> bool {
    let mut it = args.iter();
    words.iter().all(|w| it.any(|a| a == w))
}

/// The global options taking a value (`-R ROOT` or `-RROOT`) of the programs that have
/// subcommands, as the simulated commands parse them; `None` for programs without.
fn global_options_with_value(program: &str) -> Option<&'static [&'static str]> {
    match program {
        "pkg" => Some(&["-R"]),
        "zoneadm" => Some(&["-z", "-u", "-R"]),
        "zonecfg" => Some(&["-z", "-R"]),
        "zfs" | "beadm" => Some(&[]),
        _ => None,
    }
}

/// Does `command` (`"PROGRAM [SUBCOMMAND [WORD…]]"`) name this invocation?
fn command_matches(command: &str, program: &str, args: &[String]) -> bool {
    let mut words = command.split_whitespace();
    if words.next() != Some(program) {
        return false;
    }
    let rest: Vec<&str> = words.collect();
    let Some((sub, more)) = rest.split_first() else { return true };
    let Some(with_value) = global_options_with_value(program) else {
        return words_in_order(args, &rest);
    };
    let mut i = 0;
    while let Some(a) = args.get(i) {
        if with_value.contains(&a.as_str()) {
            i += 2;
        } else if a.len() > 1 && a.starts_with('-') {
            i += 1;
        } else {
            // zonecfg also takes its subcommand as one argument (`zonecfg -z Z "info zonepath"`).
            return a.split_whitespace().next() == Some(*sub)
                && words_in_order(&args[i + 1..], more);
        }
    }
    false
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
        if !command_matches(cmd, program, args)
            || f.match_.as_deref().is_some_and(|m| !joined.contains(m))
        {
            continue;
        }
        // Every matching fault counts this invocation, also when an earlier one fires (the
        // first to fire wins): `nth` counts matching invocations, not unclaimed ones.
        let n = world.bump(&format!("fault:{i}"));
        let fired = result.replace.is_some()
            || result.hang_s.is_some()
            || result.killed
            || result.linger_s.is_some();
        if fired || f.nth.is_some_and(|nth| nth != n) {
            continue;
        }
        if f.hang_s.is_some() {
            result.hang_s = f.hang_s;
        }
        result.killed = f.killed;
        result.linger_s = f.linger_s;
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

#[cfg(test)]
mod tests {
    use super::command_matches;

    fn m(command: &str, argv: &str) -> bool {
        let mut words = argv.split_whitespace();
        let program = words.next().unwrap();
        let args: Vec<String> = words.map(str::to_string).collect();
        command_matches(command, program, &args)
    }

    #[test]
    fn the_second_word_is_the_subcommand_after_global_options() {
        assert!(m("zfs snapshot", "zfs snapshot rpool/z@a"));
        assert!(!m("zfs snapshot", "zfs list -H -t snapshot -o name"));
        assert!(m("zfs list", "zfs list -H -t snapshot"));
        assert!(m("pkg install", "pkg -R /zones/z/root install entire@0.5.11-0.151"));
        assert!(m("pkg install", "pkg -R/zones/z/root install x"));
        assert!(!m("pkg install", "pkg -R /r list install"));
        assert!(!m("pkg install", "pkg -R /r uninstall x"));
        assert!(!m("pkg set-publisher", "pkg unset-publisher x"));
        assert!(m("zoneadm attach", "zoneadm -z web01 attach -u"));
        assert!(m("zoneadm attach", "zoneadm -zweb01 attach"));
        // A zone named like a subcommand is not one.
        assert!(!m("zoneadm attach", "zoneadm -z attach detach"));
        assert!(m("zonecfg info", "zonecfg -z web01 info zonepath"));
        let one_arg: Vec<String> =
            ["-z", "web01", "info zonepath"].iter().map(|s| s.to_string()).collect();
        assert!(command_matches("zonecfg info", "zonecfg", &one_arg));
        assert!(!m("pkg install", "pkg -R /r"));
        // Further words: in order among the arguments after the subcommand.
        assert!(m("zfs list -t", "zfs list -H -t snapshot"));
        assert!(!m("zfs snapshot -r", "zfs snapshot x@y"));
        // The program alone, and programs without subcommands.
        assert!(m("pkg", "pkg -R /r update"));
        assert!(!m("zfs", "pkg install zfs"));
        assert!(m("zlogin svcs", "zlogin web01 svcs -x"));
    }
}
