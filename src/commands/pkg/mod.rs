//! `pkg` (reference §3), on the live image or on an image root (`pkg -R ROOT …`, `-R` first).
//!
//! Builders are methods of [`Pkg`]; parsers live in one module per output format.

mod exit;
pub mod history;
pub mod info;
pub mod list;
pub mod plan;
pub mod publisher;
pub mod refresh;
pub mod variant;

use std::path::{Path, PathBuf};

pub use exit::PkgExit;
pub use history::{HistoryEntry, parse_history};
pub use info::{PackageInfo, parse_info};
pub use list::{ListedPackage, parse_list};
pub use plan::{
    PackageChange, Plan, UninstallBlock, out_of_space, parse_excluded_installed, parse_plan,
    parse_unavailable_dependencies, parse_uninstall_blocks,
};
pub use publisher::{
    DetailLocation, LocationKind, Origin, Publisher, PublisherDetail, merge_table_flags,
    parse_publisher_detail, parse_publisher_table, parse_publisher_tsv,
};
pub use refresh::{UnreachablePublisher, parse_unreachable_publishers};
pub use variant::parse_variants;

use crate::system::{CommandError, CommandOutput, CommandSpec, Program, Runner, Stream};

use super::{
    Fmri, InvalidName, RunError, run_parsed, validate_argument, validate_publisher_name,
    validate_uri,
};

/// Which image a pkg command acts on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pkg {
    root: Option<PathBuf>,
}

/// Options shared by install, uninstall, update and image-update.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PlanOptions {
    /// `-n`: plan only.
    pub dry_run: bool,
    /// `-v`: print the plan (needed for [`parse_plan`]'s `Changed packages:`).
    pub verbose: bool,
    /// `--accept`: accept licenses.
    pub accept: bool,
    /// `--no-refresh` (not on b134 `image-update`).
    pub no_refresh: bool,
    /// `--reject FMRI` (install/update only).
    pub reject: Vec<Fmri>,
}

/// `pkg set-publisher` (§3.4). `None`/empty fields add no option.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SetPublisher {
    pub name: String,
    /// `-O URI`: replace the origins.
    pub set_origin: Option<String>,
    /// `-g URI` each.
    pub add_origins: Vec<String>,
    /// `-G URI` each (`*` removes all).
    pub remove_origins: Vec<String>,
    /// `-m URI` each.
    pub add_mirrors: Vec<String>,
    /// `-M URI` each (`*` removes all).
    pub remove_mirrors: Vec<String>,
    /// `--enable` (true) / `--disable` (false).
    pub enable: Option<bool>,
    /// `-P`: first in search order (b134/b151: "preferred").
    pub search_first: bool,
    /// `--search-before=NAME`: right before that publisher in the search order.
    pub search_before: Option<String>,
    /// `--sticky` (true) / `--non-sticky` (false).
    pub sticky: Option<bool>,
    /// `--no-refresh`.
    pub no_refresh: bool,
    /// `-k PATH`: the client SSL key (of the publisher's https origins and mirrors).
    pub ssl_key: Option<String>,
    /// `-c PATH`: the client SSL certificate.
    pub ssl_cert: Option<String>,
    /// `--proxy URI`: the proxy of the origins and mirrors this command adds.
    pub proxy: Option<String>,
    /// `--set-property NAME=VALUE` each.
    pub set_properties: Vec<(String, String)>,
    /// `--add-property-value NAME=VALUE` each (one value of a list property).
    pub add_property_values: Vec<(String, String)>,
}

/// `pkg image-create` (§3.5), as the last-resort strategy uses it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageCreate {
    /// `-f`: create even if the directory is not empty.
    pub force: bool,
    /// `-z`: a zone image (full, `variant.opensolaris.zone=nonglobal`).
    pub zone: bool,
    /// `--full` (implied by `-z`; the field notes sometimes add it explicitly).
    pub full: bool,
    /// `-p NAME=URI`.
    pub publisher: (String, String),
    pub root: PathBuf,
}

impl Pkg {
    /// The live (running) image: `pkg …`.
    pub fn live() -> Self {
        Pkg { root: None }
    }

    /// The image rooted at `root` (a zone root, `ZONEPATH/root`): `pkg -R ROOT …`.
    pub fn image(root: impl Into<PathBuf>) -> Self {
        Pkg { root: Some(root.into()) }
    }

    pub fn root(&self) -> Option<&Path> {
        self.root.as_deref()
    }

    fn base(&self) -> CommandSpec {
        let spec = CommandSpec::new(Program::Pkg);
        match &self.root {
            Some(r) => spec.arg("-R").arg(r),
            None => spec,
        }
    }

    /// `pkg publisher -H -F tsv`.
    pub fn publisher_tsv_spec(&self) -> CommandSpec {
        self.base().args(["publisher", "-H", "-F", "tsv"])
    }

    /// `pkg publisher -H` (the default table: the only place a disabled publisher shows).
    pub fn publisher_table_spec(&self) -> CommandSpec {
        self.base().args(["publisher", "-H"])
    }

    pub fn set_publisher_spec(&self, sp: &SetPublisher) -> Result<CommandSpec, InvalidName> {
        validate_publisher_name(&sp.name)?;
        let mut spec = self.base().arg("set-publisher");
        if let Some(uri) = &sp.set_origin {
            validate_uri(uri)?;
            spec = spec.args(["-O", uri]);
        }
        for (flag, uris, star_ok) in [
            ("-g", &sp.add_origins, false),
            ("-G", &sp.remove_origins, true),
            ("-m", &sp.add_mirrors, false),
            ("-M", &sp.remove_mirrors, true),
        ] {
            for uri in uris {
                if !(star_ok && uri == "*") {
                    validate_uri(uri)?;
                }
                spec = spec.args([flag, uri]);
            }
        }
        for (flag, path) in [("-k", &sp.ssl_key), ("-c", &sp.ssl_cert)] {
            if let Some(path) = path {
                validate_argument("SSL key or certificate path", path)?;
                spec = spec.args([flag, path]);
            }
        }
        if let Some(proxy) = &sp.proxy {
            validate_argument("proxy", proxy)?;
            spec = spec.args(["--proxy", proxy]);
        }
        for (flag, props) in [
            ("--set-property", &sp.set_properties),
            ("--add-property-value", &sp.add_property_values),
        ] {
            for (name, value) in props {
                let pair = format!("{name}={value}");
                if name.is_empty() || name.contains('=') {
                    return Err(InvalidName::new("publisher property", &pair, "no property name"));
                }
                validate_argument("publisher property", &pair)?;
                spec = spec.args([flag, &pair]);
            }
        }
        if sp.search_first {
            spec = spec.arg("-P");
        } else if let Some(next) = &sp.search_before {
            validate_publisher_name(next)?;
            spec = spec.arg(format!("--search-before={next}"));
        }
        match sp.enable {
            Some(true) => spec = spec.arg("--enable"),
            Some(false) => spec = spec.arg("--disable"),
            None => {}
        }
        match sp.sticky {
            Some(true) => spec = spec.arg("--sticky"),
            Some(false) => spec = spec.arg("--non-sticky"),
            None => {}
        }
        if sp.no_refresh {
            spec = spec.arg("--no-refresh");
        }
        Ok(spec.arg(&sp.name))
    }

    /// `pkg publisher NAME…`: the detail listing (SSL key and certificate, proxies,
    /// properties: what the tsv and the table do not show).
    pub fn publisher_detail_spec(&self, names: &[&str]) -> Result<CommandSpec, InvalidName> {
        for n in names {
            validate_publisher_name(n)?;
        }
        Ok(self.base().arg("publisher").args(names))
    }

    /// `pkg unset-publisher NAME…`.
    pub fn unset_publisher_spec(&self, names: &[&str]) -> Result<CommandSpec, InvalidName> {
        // pkg's usage error, and a plan line that is no command (fidelity gg F4).
        if names.is_empty() {
            return Err(InvalidName::new("publisher name", "", "no publisher to unset"));
        }
        for n in names {
            validate_publisher_name(n)?;
        }
        Ok(self.base().arg("unset-publisher").args(names))
    }

    /// `pkg refresh [--full] [PUBLISHER…]`.
    pub fn refresh_spec(
        &self,
        full: bool,
        publishers: &[&str],
    ) -> Result<CommandSpec, InvalidName> {
        for n in publishers {
            validate_publisher_name(n)?;
        }
        let spec = self.base().arg("refresh");
        let spec = if full { spec.arg("--full") } else { spec };
        Ok(spec.args(publishers))
    }

    fn plan_spec(&self, op: &str, opts: &PlanOptions, packages: &[Fmri]) -> CommandSpec {
        let mut spec = self
            .base()
            .arg(op)
            .arg_if(opts.dry_run, "-n")
            .arg_if(opts.verbose, "-v")
            .arg_if(opts.accept, "--accept")
            .arg_if(opts.no_refresh, "--no-refresh");
        for r in &opts.reject {
            spec = spec.arg("--reject").arg(r.to_pattern());
        }
        spec.args(packages.iter().map(Fmri::to_pattern))
    }

    /// `pkg install [-n] [-v] [--accept] [--no-refresh] [--reject P…] PKG…`.
    pub fn install_spec(&self, opts: &PlanOptions, packages: &[Fmri]) -> CommandSpec {
        self.plan_spec("install", opts, packages)
    }

    /// `pkg uninstall [-n] [-v] PKG…` (never `-r`: its meaning differs between releases;
    /// `--reject`, `--accept` and `--no-refresh` do not exist for uninstall and are left out).
    pub fn uninstall_spec(&self, opts: &PlanOptions, packages: &[Fmri]) -> CommandSpec {
        let opts =
            PlanOptions { dry_run: opts.dry_run, verbose: opts.verbose, ..Default::default() };
        self.plan_spec("uninstall", &opts, packages)
    }

    /// `pkg update …` (b151 and later).
    pub fn update_spec(&self, opts: &PlanOptions, packages: &[Fmri]) -> CommandSpec {
        self.plan_spec("update", opts, packages)
    }

    /// `pkg image-update …` (the b134 name; an alias of update from b151 on).
    pub fn image_update_spec(&self, opts: &PlanOptions) -> CommandSpec {
        self.plan_spec("image-update", opts, &[])
    }

    /// `pkg list -H [PKG…]`.
    pub fn list_spec(&self, packages: &[Fmri]) -> CommandSpec {
        self.base().args(["list", "-H"]).args(packages.iter().map(Fmri::to_pattern))
    }

    /// `pkg list -H -n --no-refresh PKG…`: the newest version each package has in the image's
    /// publishers' catalogs as last refreshed (installed or not; obsolete and renamed ones
    /// flagged) — no catalog is fetched.
    pub fn list_newest_spec(&self, packages: &[Fmri]) -> CommandSpec {
        self.base()
            .args(["list", "-H", "-n", "--no-refresh"])
            .args(packages.iter().map(Fmri::to_pattern))
    }

    /// `pkg list -H -a -f --no-refresh PKG…`: every version of the packages the image's
    /// publishers' catalogs offer, as last refreshed (no catalog is fetched).
    pub fn list_all_versions_spec(&self, packages: &[Fmri]) -> CommandSpec {
        self.base()
            .args(["list", "-H", "-a", "-f", "--no-refresh"])
            .args(packages.iter().map(Fmri::to_pattern))
    }

    /// `pkg info [-r] PKG…` (`-r`: query the repositories instead of the image).
    pub fn info_spec(&self, remote: bool, packages: &[Fmri]) -> CommandSpec {
        let spec = self.base().arg("info");
        let spec = if remote { spec.arg("-r") } else { spec };
        spec.args(packages.iter().map(Fmri::to_pattern))
    }

    /// `pkg variant -H [variant.opensolaris.zone …]`.
    pub fn variant_spec(&self, names: &[&str]) -> Result<CommandSpec, InvalidName> {
        for n in names {
            let ok = n.starts_with(|c: char| c.is_ascii_alphabetic())
                && n.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c));
            if !ok {
                return Err(InvalidName::new("variant name", n, "letters, digits, '._-' only"));
            }
        }
        Ok(self.base().args(["variant", "-H"]).args(names))
    }

    /// `pkg history -H`.
    pub fn history_spec(&self) -> CommandSpec {
        self.base().args(["history", "-H"])
    }

    /// `pkg set-property use-system-repo true|false` (Solaris 11): whether the image's
    /// publishers come from the system repository (the global zone's, as `(syspub)`) or from
    /// the image's own configuration, which the system repository only hides.
    pub fn use_system_repo_spec(&self, on: bool) -> CommandSpec {
        self.base().args(["set-property", "use-system-repo", if on { "true" } else { "false" }])
    }

    /// `pkg copy-publishers-from DIR` (private; OpenIndiana ≥ 2016, OmniOS).
    pub fn copy_publishers_from_spec(&self, dir: &Path) -> Result<CommandSpec, InvalidName> {
        validate_argument("directory", &dir.to_string_lossy())?;
        Ok(self.base().arg("copy-publishers-from").arg(dir))
    }
}

/// `pkg image-create [-f] [-z] -p NAME=URI ROOT`.
pub fn image_create_spec(ic: &ImageCreate) -> Result<CommandSpec, InvalidName> {
    validate_publisher_name(&ic.publisher.0)?;
    validate_uri(&ic.publisher.1)?;
    validate_argument("image root", &ic.root.to_string_lossy())?;
    let spec = CommandSpec::new(Program::Pkg)
        .arg("image-create")
        .arg_if(ic.force, "-f")
        .arg_if(ic.zone, "-z")
        .arg_if(ic.full, "--full");
    Ok(spec.arg("-p").arg(format!("{}={}", ic.publisher.0, ic.publisher.1)).arg(&ic.root))
}

/// What a pkg operation did: its exit meaning, the output, and the plan it printed.
#[derive(Clone, Debug)]
pub struct PkgOutcome {
    pub exit: PkgExit,
    pub output: CommandOutput,
    pub plan: Plan,
}

/// Runs a pkg operation (install/uninstall/update/…) whatever its exit code, streaming lines
/// to `on_line`: a failing pkg is data (the caller analyses stderr), not an error. Errors
/// only when pkg could not be run or timed out.
pub fn run_op(
    runner: &Runner,
    spec: &CommandSpec,
    on_line: &mut dyn FnMut(Stream, &str),
) -> Result<PkgOutcome, CommandError> {
    let output = runner.run_streaming(spec, on_line)?;
    let exit = PkgExit::from_code(output.code);
    let plan = parse_plan(&output.stdout);
    Ok(PkgOutcome { exit, output, plan })
}

/// The image's publishers in rank order, with the enabled flag taken from the default table
/// (the tsv output cannot tell a disabled publisher on current pkg, see [`merge_table_flags`]).
pub fn publishers(runner: &Runner, pkg: &Pkg) -> Result<Vec<Publisher>, RunError> {
    let mut pubs = run_parsed(runner, &pkg.publisher_tsv_spec(), parse_publisher_tsv)?;
    let table = run_parsed(runner, &pkg.publisher_table_spec(), parse_publisher_table)?;
    merge_table_flags(&mut pubs, &table);
    Ok(pubs)
}

/// The detail listing of `names` (`pkg publisher NAME…`); nothing to run for no names.
pub fn publisher_details(
    runner: &Runner,
    pkg: &Pkg,
    names: &[&str],
) -> Result<Vec<PublisherDetail>, RunError> {
    if names.is_empty() {
        return Ok(Vec::new());
    }
    run_parsed(runner, &pkg.publisher_detail_spec(names)?, parse_publisher_detail)
}

/// Installed packages (`pkg list -H`); an image with none makes pkg exit 1 saying "no
/// packages installed" (client.py list_inventory): an empty list, not an error.
pub fn installed(runner: &Runner, pkg: &Pkg) -> Result<Vec<ListedPackage>, RunError> {
    let out = runner.run(&pkg.list_spec(&[]))?;
    if out.code == Some(1)
        && out.stdout.trim().is_empty()
        && out.stderr.contains("no packages installed")
    {
        return Ok(Vec::new());
    }
    Ok(parse_list(&out.check()?.stdout))
}

/// The newest catalog version of each of `packages` (`pkg list -Hn --no-refresh`); packages
/// no catalog knows are simply absent (pkg exits 1 or 3 naming them).
pub fn newest_known(
    runner: &Runner,
    pkg: &Pkg,
    packages: &[Fmri],
) -> Result<Vec<ListedPackage>, RunError> {
    let out = runner.run(&pkg.list_newest_spec(packages))?;
    // Exit 3: some patterns matched, the rest are unknown; exit 1 with nothing listed: none
    // known (current pkg says "no known packages matching", older ones "no packages matching
    // '…' known").
    let partial = out.code == Some(3);
    let none_known = out.code == Some(1)
        && out.stdout.trim().is_empty()
        && out.stderr.contains("no ")
        && out.stderr.contains("matching");
    if partial || none_known {
        return Ok(parse_list(&out.stdout));
    }
    Ok(parse_list(&out.check()?.stdout))
}

/// The builds of `entire` a `pkg list -Haf --no-refresh entire` lists (what the image's
/// catalogs offer); `None` when its answer cannot be read. Exit 1 naming the pattern: no
/// catalog lists any version.
pub fn offered_builds(out: &CommandOutput) -> Option<Vec<u64>> {
    let rows = parse_list(&out.stdout);
    let none_known = out.code == Some(1) && rows.is_empty() && out.stderr.contains("matching");
    if !out.success() && !none_known {
        return None;
    }
    let builds = rows
        .iter()
        .filter(|r| r.name == "entire")
        .filter_map(|r| crate::commands::Version::parse(&r.version).ok())
        .filter_map(|v| v.os_build())
        .collect();
    Some(builds)
}

/// The installed version of one package (`pkg info NAME` → `FMRI:`), `None` when pkg says it
/// is not installed (exit 1 with its "no packages matching" text).
pub fn installed_fmri(runner: &Runner, pkg: &Pkg, name: &Fmri) -> Result<Option<Fmri>, RunError> {
    let spec = pkg.info_spec(false, std::slice::from_ref(name));
    let out = runner.run(&spec)?;
    if out.code == Some(1) && out.stderr.contains("no packages matching") {
        return Ok(None);
    }
    let out = out.check()?;
    let infos = parse_info(&out.stdout).map_err(|source| RunError::Parse {
        argv: out.argv.join(" "),
        stdout: out.stdout.clone(),
        source,
    })?;
    Ok(infos.into_iter().find(|i| i.name() == Some(name.name.as_str())).and_then(|i| i.fmri))
}

/// The image's `variant.opensolaris.zone` (`global` or `nonglobal`), if set.
pub fn zone_variant(runner: &Runner, pkg: &Pkg) -> Result<Option<String>, RunError> {
    let spec = pkg.variant_spec(&["variant.opensolaris.zone"])?;
    let vars = run_parsed(runner, &spec, |out| Ok(parse_variants(out)))?;
    Ok(vars.into_iter().find(|(n, _)| n == "variant.opensolaris.zone").map(|(_, v)| v))
}

/// Runs a state-changing pkg command (set-publisher, unset-publisher, refresh …) that must
/// exit 0 (or 4: nothing to do).
pub fn run_change(runner: &Runner, spec: &CommandSpec) -> Result<PkgExit, RunError> {
    let out = runner.run(spec)?.check_codes(&[0, 4])?;
    Ok(PkgExit::from_code(out.code))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(s: &str) -> Fmri {
        Fmri::parse(s).unwrap()
    }

    #[test]
    fn image_root_comes_first() {
        let z = Pkg::image("/zones/z1/root");
        assert_eq!(z.publisher_tsv_spec().display(), "pkg -R /zones/z1/root publisher -H -F tsv");
        assert_eq!(Pkg::live().publisher_table_spec().display(), "pkg publisher -H");
        let opts = PlanOptions { dry_run: true, verbose: true, ..Default::default() };
        assert_eq!(
            z.install_spec(&opts, &[f("entire@0.5.11-0.151")]).display(),
            "pkg -R /zones/z1/root install -n -v entire@0.5.11-0.151"
        );
    }

    #[test]
    fn plan_operations() {
        let p = Pkg::image("/z/root");
        let opts = PlanOptions {
            accept: true,
            no_refresh: true,
            reject: vec![f("developer/sunstudio12u1")],
            ..Default::default()
        };
        assert_eq!(
            p.update_spec(&opts, &[]).display(),
            "pkg -R /z/root update --accept --no-refresh --reject developer/sunstudio12u1"
        );
        assert_eq!(
            p.uninstall_spec(&opts, &[f("SUNWapch22")]).display(),
            "pkg -R /z/root uninstall SUNWapch22"
        );
        assert_eq!(
            p.image_update_spec(&PlanOptions { verbose: true, ..Default::default() }).display(),
            "pkg -R /z/root image-update -v"
        );
        assert_eq!(p.list_spec(&[]).display(), "pkg -R /z/root list -H");
        assert_eq!(p.info_spec(false, &[f("entire")]).display(), "pkg -R /z/root info entire");
        assert_eq!(p.info_spec(true, &[f("entire")]).display(), "pkg -R /z/root info -r entire");
        assert_eq!(
            p.variant_spec(&["variant.opensolaris.zone"]).unwrap().display(),
            "pkg -R /z/root variant -H variant.opensolaris.zone"
        );
        assert!(p.variant_spec(&["-x"]).is_err());
        assert_eq!(p.history_spec().display(), "pkg -R /z/root history -H");
    }

    #[test]
    fn unset_publisher_needs_a_name() {
        assert!(Pkg::live().unset_publisher_spec(&[]).is_err());
        let spec = Pkg::live().unset_publisher_spec(&["extra"]).unwrap();
        assert_eq!(spec.display(), "pkg unset-publisher extra");
    }

    #[test]
    fn set_publisher_options() {
        let sp = SetPublisher {
            name: "solaris".into(),
            set_origin: Some("http://pkg.oracle.com/solaris/release/".into()),
            add_origins: vec!["http://a/".into()],
            remove_origins: vec!["*".into()],
            add_mirrors: vec!["http://m/".into()],
            remove_mirrors: vec![],
            enable: Some(false),
            search_first: true,
            search_before: None,
            sticky: Some(false),
            no_refresh: true,
            ssl_key: None,
            ssl_cert: None,
            proxy: None,
            set_properties: vec![],
            add_property_values: vec![],
        };
        assert_eq!(
            Pkg::live().set_publisher_spec(&sp).unwrap().display(),
            "pkg set-publisher -O http://pkg.oracle.com/solaris/release/ -g http://a/ -G '*' \
             -m http://m/ -P --disable --non-sticky --no-refresh solaris"
        );
        let bad = SetPublisher { add_origins: vec!["*".into()], ..sp.clone() };
        assert!(Pkg::live().set_publisher_spec(&bad).is_err());
        let bad = SetPublisher { name: "-R".into(), ..sp };
        assert!(Pkg::live().set_publisher_spec(&bad).is_err());
        assert_eq!(
            Pkg::live().unset_publisher_spec(&["extra"]).unwrap().display(),
            "pkg unset-publisher extra"
        );
        assert!(Pkg::live().unset_publisher_spec(&["a b"]).is_err());
        let support = SetPublisher {
            name: "ha-cluster".into(),
            add_origins: vec!["https://pkg.oracle.com/ha-cluster/support/".into()],
            ssl_key: Some("/var/pkg/ssl/ha.key.pem".into()),
            ssl_cert: Some("/var/pkg/ssl/ha.cert.pem".into()),
            proxy: Some("http://proxy.example.net:3128".into()),
            enable: Some(true),
            no_refresh: true,
            ..Default::default()
        };
        assert_eq!(
            Pkg::live().set_publisher_spec(&support).unwrap().display(),
            "pkg set-publisher -g https://pkg.oracle.com/ha-cluster/support/ \
             -k /var/pkg/ssl/ha.key.pem -c /var/pkg/ssl/ha.cert.pem \
             --proxy http://proxy.example.net:3128 --enable --no-refresh ha-cluster"
        );
        for bad in [
            SetPublisher { ssl_key: Some("-R".into()), ..support.clone() },
            SetPublisher { ssl_cert: Some(String::new()), ..support.clone() },
            SetPublisher { proxy: Some("--enable".into()), ..support.clone() },
        ] {
            assert!(Pkg::live().set_publisher_spec(&bad).is_err(), "{bad:?}");
        }
        assert_eq!(
            Pkg::live().publisher_detail_spec(&["ha-cluster", "extra"]).unwrap().display(),
            "pkg publisher ha-cluster extra"
        );
        assert!(Pkg::live().publisher_detail_spec(&["-H"]).is_err());
        assert_eq!(
            Pkg::image("/r").refresh_spec(true, &["solaris"]).unwrap().display(),
            "pkg -R /r refresh --full solaris"
        );
    }

    #[test]
    fn image_create() {
        let ic = ImageCreate {
            force: true,
            zone: true,
            full: false,
            publisher: ("solaris".into(), "http://pkg.oracle.com/solaris/release/".into()),
            root: "/zones/z1/root".into(),
        };
        assert_eq!(
            image_create_spec(&ic).unwrap().display(),
            "pkg image-create -f -z -p solaris=http://pkg.oracle.com/solaris/release/ /zones/z1/root"
        );
        let full = ImageCreate { full: true, zone: false, force: false, ..ic.clone() };
        assert!(
            image_create_spec(&full).unwrap().display().starts_with("pkg image-create --full -p ")
        );
        let bad = ImageCreate { root: "-x".into(), ..ic };
        assert!(image_create_spec(&bad).is_err());
    }
}
