//! `zonerescue demo`: builds a simulated host from a scenario bundled in the binary and runs
//! the guided recovery against it. This is a harness around the simulator (it lives here, not
//! in the recovery code): the recovery itself only sees the simulated commands' output.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::Parser;

use super::scenario::Scenario;
use crate::cli::{Cli, DemoArgs, GlobalArgs};

/// The scenarios compiled into the binary: (name, TOML text).
pub const BUNDLED: &[(&str, &str)] = &[
    ("s11express-b111-web", include_str!("../../testdata/scenarios/s11express-b111-web.toml")),
    (
        "s11express-minor-update",
        include_str!("../../testdata/scenarios/s11express-minor-update.toml"),
    ),
    (
        "s11express-disabled-gz-publisher",
        include_str!("../../testdata/scenarios/s11express-disabled-gz-publisher.toml"),
    ),
    (
        "s11express-orphaned-core",
        include_str!("../../testdata/scenarios/s11express-orphaned-core.toml"),
    ),
    (
        "openindiana-zone-internal-repo",
        include_str!("../../testdata/scenarios/openindiana-zone-internal-repo.toml"),
    ),
    (
        "openindiana-disabled-gz-publisher",
        include_str!("../../testdata/scenarios/openindiana-disabled-gz-publisher.toml"),
    ),
    (
        "openindiana-repository-down",
        include_str!("../../testdata/scenarios/openindiana-repository-down.toml"),
    ),
    (
        "openindiana-dead-publisher-in-gz-and-zone",
        include_str!("../../testdata/scenarios/openindiana-dead-publisher-in-gz-and-zone.toml"),
    ),
    (
        "omnios-postgres-removed",
        include_str!("../../testdata/scenarios/omnios-postgres-removed.toml"),
    ),
    (
        "omnios-rename-needs-incremental",
        include_str!("../../testdata/scenarios/omnios-rename-needs-incremental.toml"),
    ),
    ("omnios-two-zones", include_str!("../../testdata/scenarios/omnios-two-zones.toml")),
    (
        "omnios-withdrawn-package-lts-jump",
        include_str!("../../testdata/scenarios/omnios-withdrawn-package-lts-jump.toml"),
    ),
    (
        "solaris11-disabled-publisher-harmless",
        include_str!("../../testdata/scenarios/solaris11-disabled-publisher-harmless.toml"),
    ),
    (
        "solaris11-image-update",
        include_str!("../../testdata/scenarios/solaris11-image-update.toml"),
    ),
    (
        "solaris11-zone-internal-repo",
        include_str!("../../testdata/scenarios/solaris11-zone-internal-repo.toml"),
    ),
];

pub const DEFAULT: &str = "s11express-b111-web";

/// How fast simulated time runs in the demo unless ZONESIM_SPEED says otherwise: fast enough
/// to finish in seconds, slow enough to see the progress.
const DEMO_SPEED: &str = "40";

pub fn run(args: &DemoArgs, global: &GlobalArgs) -> Result<u8> {
    if args.list {
        for (name, text) in BUNDLED {
            let title = Scenario::parse(name, text).map(|s| s.scenario.name).unwrap_or_default();
            let mark = if *name == DEFAULT { " (default)" } else { "" };
            println!("{name:40} {title}{mark}");
        }
        return Ok(crate::exit::OK);
    }
    let name = args.scenario.as_deref().unwrap_or(DEFAULT);
    let Some((_, text)) = BUNDLED.iter().find(|(n, _)| *n == name) else {
        bail!("no bundled scenario '{name}' (see `zonerescue demo --list`)");
    };
    let scenario = Scenario::parse(name, text)?;
    let zone = scenario.zones.first().map(|z| z.name.clone()).context("scenario has no zone")?;
    let zonesim = zonesim_path()?;

    let tmp;
    let dir: PathBuf = match &args.keep {
        Some(d) => d.clone(),
        None => {
            tmp = tempfile::Builder::new().prefix("zonerescue-demo.").tempdir()?;
            tmp.path().to_path_buf()
        }
    };
    let world = super::init_with(&scenario, &dir, &zonesim)?;
    let root = world.root.clone();
    if std::env::var_os("ZONESIM_SPEED").is_none() {
        // SAFETY: set before the recovery starts any thread; nothing else reads the
        // environment concurrently at this point.
        unsafe { std::env::set_var("ZONESIM_SPEED", DEMO_SPEED) };
    }
    eprintln!("demo: simulated {} host in {}", world.platform.name(), root.display());
    eprintln!("demo: scenario '{}'; rescuing zone '{zone}'", scenario.scenario.name);

    let mut argv: Vec<String> = vec!["zonerescue".into()];
    argv.push("--command-dir".into());
    argv.push(root.join("bin").display().to_string());
    argv.push("--system-root".into());
    argv.push(root.display().to_string());
    argv.push("--state-dir".into());
    argv.push(root.join("var/lib/zonerescue").display().to_string());
    argv.push(format!("--color={}", color_word(global)));
    if global.json {
        argv.push("--json".into());
    }
    if args.yes {
        argv.push("--yes".into());
    }
    argv.push(zone);
    let cli = Cli::try_parse_from(&argv).context("building the demo's command line")?;
    let code = crate::engine::command::run(&cli)?;
    if args.keep.is_some() {
        eprintln!(
            "demo: the simulated host stays in {0}; explore it with\n  PATH={0}/bin:$PATH zoneadm list -cv",
            root.display()
        );
    }
    Ok(code)
}

fn color_word(global: &GlobalArgs) -> &'static str {
    match global.color {
        crate::cli::ColorChoice::Auto => "auto",
        crate::cli::ColorChoice::Always => "always",
        crate::cli::ColorChoice::Never => "never",
    }
}

/// The zonesim binary is built next to zonerescue (`cargo build` builds both).
fn zonesim_path() -> Result<PathBuf> {
    let exe = std::env::current_exe().context("cannot find the zonerescue executable")?;
    let dir = exe.parent().unwrap_or(Path::new("."));
    let candidate = dir.join("zonesim");
    if candidate.is_file() {
        return Ok(candidate);
    }
    bail!(
        "the simulator binary is missing: expected {} (build both binaries with `cargo build`)",
        candidate.display()
    )
}
