//! `beadm list [-H]` (reference §4.1): the global zone's boot environments.

use crate::sim::clock;
use crate::sim::out::Output;
use crate::sim::platform::Platform;
use crate::sim::world::World;

pub fn run(world: &mut World, args: &[String]) -> Output {
    let usage = "usage:\n\tbeadm subcommand cmd_options\n\n\tsubcommands:\n\n\tbeadm list [[-a] | [-d] [-s]] [-H]\n\t\t[-k|-K date | name | space] [-v] [beName]\n";
    match args.first().map(String::as_str) {
        Some("list") => {}
        _ => return Output::fail(2, usage),
    }
    let mut header = true;
    for a in &args[1..] {
        match a.as_str() {
            "-H" => header = false,
            "-a" | "-d" | "-s" => {}
            _ => return Output::fail(2, usage),
        }
    }
    // Current BE first is not guaranteed by beadm; it lists in name order.
    let mut bes: Vec<(String, String, &str, &str, u64, u64)> = world
        .global
        .other_bes
        .iter()
        .map(|(n, u)| {
            (n.clone(), u.clone(), "-", "", 3_422_552_064u64, clock::epoch(0) - 86_400 * 30)
        })
        .collect();
    bes.push((
        world.global.be.clone(),
        world.global.be_uuid.clone(),
        "NR",
        "/",
        4_306_247_680,
        clock::epoch(0) - 3600,
    ));
    bes.sort_by(|a, b| a.0.cmp(&b.0));
    let mut out = Output::ok();
    if !header {
        for (n, u, a, m, space, created) in &bes {
            let a = if *a == "-" { "" } else { a };
            out.line(format!("{n};{u};{a};{m};{space};static;{created}"));
        }
        return out;
    }
    let space = |b: u64| format!("{:.2}G", b as f64 / 1_073_741_824.0);
    let created = |t: u64| {
        let s = clock::iso(t.saturating_sub(clock::EPOCH));
        s.replace('T', " ").get(..16).unwrap_or("").to_string()
    };
    let rows: Vec<Vec<String>> = bes
        .iter()
        .map(|(n, _, a, m, sp, c)| {
            vec![
                n.clone(),
                a.to_string(),
                if m.is_empty() { "-".into() } else { m.to_string() },
                space(*sp),
                "static".into(),
                created(*c),
            ]
        })
        .collect();
    let head = ["BE", "Active", "Mountpoint", "Space", "Policy", "Created"];
    let widths: Vec<usize> = (0..6)
        .map(|c| rows.iter().map(|r| r[c].len()).chain([head[c].len()]).max().unwrap_or(0) + 1)
        .collect();
    let fmt = |cells: Vec<String>| {
        cells
            .iter()
            .enumerate()
            .map(|(c, v)| format!("{v:<w$}", w = widths[c]))
            .collect::<String>()
            .trim_end()
            .to_string()
    };
    if world.platform.is_illumos() {
        // illumos C beadm: one header row, columns separated by one space.
        out.line(fmt(head.iter().map(|s| s.to_string()).collect()));
    } else {
        out.line(fmt(head.iter().map(|s| s.to_string()).collect()));
        out.line(fmt(head.iter().map(|s| "-".repeat(s.len())).collect()));
    }
    for r in rows {
        out.line(fmt(r));
    }
    let _ = Platform::S11Express;
    out
}
