//! `zonecfg -z Z info [zonepath|brand|autoboot|ip-type|zonename]`.

use crate::sim::out::Output;
use crate::sim::world::World;

pub fn run(world: &mut World, args: &[String]) -> Output {
    let (zone, rest) = match args {
        [z, zone, rest @ ..] if z == "-z" => (zone.clone(), rest),
        [z, rest @ ..] if z.starts_with("-z") && z.len() > 2 => (z[2..].to_string(), rest),
        _ => return Output::fail(2, "usage:\tzonecfg -z <zone> [subcommand]\n"),
    };
    let Some(z) = world.zone(&zone).cloned() else {
        return Output::fail(1, format!("{zone}: No such zone configured"));
    };
    let words: Vec<&str> = rest.iter().flat_map(|a| a.split_whitespace()).collect();
    let mut out = Output::ok();
    let zonepath = world.zonepath(&z);
    let all: Vec<(&str, String)> = vec![
        ("zonename", z.name.clone()),
        ("zonepath", zonepath),
        ("brand", z.brand.clone()),
        ("autoboot", "false".into()),
        ("bootargs", String::new()),
        ("pool", String::new()),
        ("limitpriv", String::new()),
        ("scheduling-class", String::new()),
        ("ip-type", if z.ip_type == "excl" { "exclusive".into() } else { "shared".into() }),
    ];
    match words.as_slice() {
        ["info"] => {
            for (k, v) in &all {
                out.line(format!("{k}: {v}"));
            }
        }
        ["info", prop] => match all.iter().find(|(k, _)| k == prop) {
            Some((k, v)) => out.line(format!("{k}: {v}")),
            None => {
                return Output::fail(
                    1,
                    format!("zonecfg:{zone}> info: unknown resource or property type \"{prop}\""),
                );
            }
        },
        _ => {
            return Output::fail(
                1,
                format!(
                    "zonecfg:{zone}> simulated zonecfg supports only 'info' (got: {})",
                    words.join(" ")
                ),
            );
        }
    }
    out
}
