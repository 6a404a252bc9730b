//! Simulated time: what each operation costs, and how simulated instants are printed.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Simulated seconds since this instant (Tue Nov 15 10:30:00 UTC 2011) is `clock_s = 0`.
pub const EPOCH: u64 = 1_321_353_000;

/// Costs in simulated seconds (simulator.md "Time"); a scenario's `[costs]` overrides them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Costs {
    pub refresh_per_publisher: u64,
    pub solver: u64,
    pub install_base: u64,
    pub install_per_package: u64,
    pub image_create: u64,
    pub snapshot: u64,
    pub rollback: u64,
    pub clone: u64,
    pub zone_bookkeeping: u64,
}

impl Default for Costs {
    fn default() -> Self {
        Costs {
            refresh_per_publisher: 15,
            solver: 20,
            install_base: 30,
            install_per_package: 3,
            image_create: 120,
            snapshot: 1,
            rollback: 2,
            clone: 2,
            zone_bookkeeping: 10,
        }
    }
}

impl Costs {
    pub const KEYS: [&'static str; 9] = [
        "refresh_per_publisher",
        "solver",
        "install_base",
        "install_per_package",
        "image_create",
        "snapshot",
        "rollback",
        "clone",
        "zone_bookkeeping",
    ];

    pub fn with_overrides(overrides: &BTreeMap<String, u64>) -> Costs {
        let mut c = Costs::default();
        for (k, v) in overrides {
            let slot = match k.as_str() {
                "refresh_per_publisher" => &mut c.refresh_per_publisher,
                "solver" => &mut c.solver,
                "install_base" => &mut c.install_base,
                "install_per_package" => &mut c.install_per_package,
                "image_create" => &mut c.image_create,
                "snapshot" => &mut c.snapshot,
                "rollback" => &mut c.rollback,
                "clone" => &mut c.clone,
                "zone_bookkeeping" => &mut c.zone_bookkeeping,
                _ => continue,
            };
            *slot = *v;
        }
        c
    }

    pub fn install(&self, changed: usize) -> u64 {
        self.install_base + self.install_per_package * changed as u64
    }
}

/// `ZONESIM_SPEED=N` (N > 0): really sleep cost/N seconds.
pub fn speed() -> Option<f64> {
    let s: f64 = std::env::var("ZONESIM_SPEED").ok()?.parse().ok()?;
    (s > 0.0 && s.is_finite()).then_some(s)
}

pub fn sleep_scaled(seconds: u64) {
    if let Some(s) = speed() {
        std::thread::sleep(std::time::Duration::from_secs_f64(seconds as f64 / s));
    }
}

use crate::ui::time::civil;

/// `date(1)` default output, e.g. `Tue Nov 15 10:30:01 UTC 2011`.
/// UNVERIFIED (reference §2.0): the exact default format on Solaris/illumos.
pub fn date(clock_s: u64) -> String {
    const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    const MONTHS: [&str; 12] =
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let c = civil(EPOCH + clock_s);
    format!(
        "{} {} {:2} {:02}:{:02}:{:02} UTC {}",
        DAYS[c.weekday % 7],
        MONTHS[(c.month as usize + 11) % 12],
        c.day,
        c.hour,
        c.min,
        c.sec,
        c.year
    )
}

/// `TZ=GMT date +%Y%m%dT%H%M%SZ` (S11 log file names).
pub fn compact(clock_s: u64) -> String {
    let c = civil(EPOCH + clock_s);
    format!("{}{:02}{:02}T{:02}{:02}{:02}Z", c.year, c.month, c.day, c.hour, c.min, c.sec)
}

/// `date +%Y-%m-%d-%H:%M:%S`: the brand's `clone_zbe` snapshot name (reference §2.6).
pub fn snapshot_stamp(clock_s: u64) -> String {
    let c = civil(EPOCH + clock_s);
    format!("{}-{:02}-{:02}-{:02}:{:02}:{:02}", c.year, c.month, c.day, c.hour, c.min, c.sec)
}

/// ISO time as `pkg history` prints it.
pub fn iso(clock_s: u64) -> String {
    let c = civil(EPOCH + clock_s);
    format!("{}-{:02}-{:02}T{:02}:{:02}:{:02}", c.year, c.month, c.day, c.hour, c.min, c.sec)
}

/// Epoch seconds of a simulated instant (beadm -H creation column).
pub fn epoch(clock_s: u64) -> u64 {
    EPOCH + clock_s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_formatted_like_date_1() {
        assert_eq!(date(1), "Tue Nov 15 10:30:01 UTC 2011");
        assert_eq!(compact(0), "20111115T103000Z");
        assert_eq!(date(86_400 * 17), "Fri Dec  2 10:30:00 UTC 2011");
    }
}
