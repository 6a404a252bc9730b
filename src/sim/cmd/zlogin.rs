//! `zlogin Z svcs -x`: the zone must be running; services listed in the scenario's
//! `services_maintenance` are reported in maintenance, nothing is printed when healthy.

use crate::sim::out::Output;
use crate::sim::world::{World, ZoneState};

pub fn run(world: &mut World, args: &[String]) -> Output {
    let mut rest: &[String] = args;
    while let Some(first) = rest.first() {
        if first == "-S" || first == "-E" || first == "-C" || first == "-Q" {
            rest = &rest[1..];
        } else if first == "-l" || first == "-e" {
            rest = rest.get(2..).unwrap_or(&[]);
        } else {
            break;
        }
    }
    let Some((zone, cmd)) = rest.split_first() else {
        return Output::fail(
            2,
            "usage: zlogin [ -dnQCES ] [ -e cmdchar ] [-l user] zonename [command [args ...] ]\n",
        );
    };
    let Some(z) = world.zone(zone) else {
        return Output::fail(1, format!("zlogin: zone '{zone}' unknown"));
    };
    if z.state != ZoneState::Running {
        return Output::fail(
            1,
            format!(
                "zlogin: login allowed only to running zones ({zone} is '{}').",
                z.state.as_str()
            ),
        );
    }
    let words: Vec<&str> = cmd.iter().map(String::as_str).collect();
    match words.as_slice() {
        ["svcs", "-x"] | ["/usr/bin/svcs", "-x"] => {
            let mut out = Output::ok();
            for (i, fmri) in z.services_maintenance.iter().enumerate() {
                if i > 0 {
                    out.line("");
                }
                let name =
                    fmri.trim_start_matches("svc:/").split(':').next().unwrap_or(fmri).to_string();
                out.line(format!("{fmri} ({name})"));
                out.line(" State: maintenance since Tue Nov 15 10:30:00 2011");
                out.line("Reason: Start method exited with $SMF_EXIT_ERR_FATAL.");
                out.line("   See: http://support.oracle.com/msg/SMF-8000-KS");
                out.line(format!("   See: /var/svc/log/{}.log", name.replace('/', "-")));
                out.line("Impact: This service is not running.");
            }
            out
        }
        [] => Output::fail(1, "zlogin: interactive login is not simulated"),
        other => Output::fail(127, format!("{}: not found in the simulated zone", other[0])),
    }
}
