//! Calendar dates from epoch seconds (UTC), without a time-zone database: journal times in
//! `zonerescue status` (the simulator formats its clock with the same conversion).

/// A UTC calendar instant.
pub struct Civil {
    pub year: i64,
    pub month: u32,
    pub day: u32,
    pub hour: u64,
    pub min: u64,
    pub sec: u64,
    pub weekday: usize,
}

/// The calendar instant of `epoch` seconds since 1970 (UTC).
pub fn civil(epoch: u64) -> Civil {
    let days = (epoch / 86_400) as i64;
    let rem = epoch % 86_400;
    // Howard Hinnant's days-to-civil algorithm.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    Civil {
        year,
        month,
        day,
        hour: rem / 3600,
        min: rem % 3600 / 60,
        sec: rem % 60,
        weekday: ((days + 4).rem_euclid(7)) as usize,
    }
}

/// Epoch seconds as `2011-11-15 10:30:00 UTC`.
pub fn utc(epoch_s: u64) -> String {
    let c = civil(epoch_s);
    format!("{}-{:02}-{:02} {:02}:{:02}:{:02} UTC", c.year, c.month, c.day, c.hour, c.min, c.sec)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_formats_the_instant() {
        assert_eq!(utc(1_321_353_000), "2011-11-15 10:30:00 UTC");
        assert_eq!(utc(951_782_400), "2000-02-29 00:00:00 UTC");
    }
}
