//! `zonecfg -z ZONE info PROPERTY` for simple properties (`zonepath`, `brand`).
//!
//! Output format (one line, `<property>: <value>`):
//! ```text
//! zonepath: /zones/z1
//! brand: ipkg
//! ```

use std::path::PathBuf;

use crate::system::{CommandSpec, Program, Runner};

use super::{ParseError, RunError, ZoneName, run_parsed};

/// The simple properties zonerescue reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Property {
    Zonepath,
    Brand,
    Autoboot,
    IpType,
}

impl Property {
    pub fn as_str(self) -> &'static str {
        match self {
            Property::Zonepath => "zonepath",
            Property::Brand => "brand",
            Property::Autoboot => "autoboot",
            Property::IpType => "ip-type",
        }
    }
}

/// `zonecfg -z ZONE info PROPERTY`.
pub fn info_spec(zone: &ZoneName, property: Property) -> CommandSpec {
    CommandSpec::new(Program::Zonecfg).arg("-z").arg(zone).args(["info", property.as_str()])
}

/// The value of `property` in `zonecfg info` output; `None` if it is absent or empty.
pub fn parse_info_value(stdout: &str, property: Property) -> Option<String> {
    let label = format!("{}:", property.as_str());
    stdout.lines().find_map(|l| {
        let v = l.trim_start().strip_prefix(&label)?.trim();
        (!v.is_empty()).then(|| v.to_string())
    })
}

fn required(runner: &Runner, zone: &ZoneName, property: Property) -> Result<String, RunError> {
    run_parsed(runner, &info_spec(zone, property), |out| {
        parse_info_value(out, property)
            .ok_or_else(|| ParseError::whole(format!("no {} for zone {zone}", property.as_str())))
    })
}

/// The zone's zonepath (`/zones/z1`).
pub fn zonepath(runner: &Runner, zone: &ZoneName) -> Result<PathBuf, RunError> {
    required(runner, zone, Property::Zonepath).map(PathBuf::from)
}

/// The zone's brand (`ipkg`, `lipkg`, `solaris`).
pub fn brand(runner: &Runner, zone: &ZoneName) -> Result<String, RunError> {
    required(runner, zone, Property::Brand)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_and_parses_info() {
        let z = ZoneName::new("z1").unwrap();
        assert_eq!(info_spec(&z, Property::Zonepath).display(), "zonecfg -z z1 info zonepath");
        assert_eq!(
            parse_info_value("zonepath: /zones/z1\n", Property::Zonepath).as_deref(),
            Some("/zones/z1")
        );
        assert_eq!(parse_info_value("brand: ipkg\n", Property::Brand).as_deref(), Some("ipkg"));
        assert_eq!(parse_info_value("zonepath: \n", Property::Zonepath), None);
        assert_eq!(parse_info_value("brand: ipkg\n", Property::Zonepath), None);
        // A path with a colon and spaces is kept whole.
        assert_eq!(
            parse_info_value("zonepath: /z/a:b c\n", Property::Zonepath).as_deref(),
            Some("/z/a:b c")
        );
    }
}
