//! Debian packages: RabbitMQ, InfluxDB, Apache with mod_auth_openidc, tinyproxy, ca-certificates
//! (`update-ca-certificates`), and Node.js with npm
//! (unless a `node` and `npm` are already on the PATH), installed with apt-get only when
//! missing.
//!
//! Installing them must not start them (Debian's services would listen on all interfaces):
//! while apt-get runs, `/usr/sbin/policy-rc.d` exits 101, which tells `invoke-rc.d` to start
//! nothing. The file is created for the install and removed afterwards, unless it was there
//! before.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;

use super::layout::Layout;
use super::step;

/// The packages the servers need.
const PACKAGES: [&str; 6] = [
    "rabbitmq-server",
    "influxdb",
    "apache2",
    "libapache2-mod-auth-openidc",
    "tinyproxy",
    "ca-certificates",
];

/// Node.js for the OpenID provider; Debian's, when the machine has none of its own (a
/// Node.js from elsewhere brings its own npm, which Debian's `npm` would conflict with).
const NODE_PACKAGES: [&str; 2] = ["nodejs", "npm"];

const POLICY_RC_D: &str = "/usr/sbin/policy-rc.d";

/// Installs the packages that are missing; returns whether it installed anything.
pub fn ensure(layout: &Layout) -> Result<bool, String> {
    let node_found = ["node", "npm"].iter().all(|program| on_path(program));
    let wanted = PACKAGES
        .into_iter()
        .chain(NODE_PACKAGES.into_iter().filter(|_| !node_found));
    let missing: Vec<&str> = wanted.filter(|p| !installed(p)).collect();
    if missing.is_empty() {
        return Ok(false);
    }
    println!("installing Debian packages: {}", missing.join(" "));
    let log = layout.log("apt");
    let _policy = NoServiceStarts::new()?;
    let mut updated = false;
    if !missing.iter().all(|p| has_candidate(p)) {
        update(&log)?;
        updated = true;
    }
    if let Err(problem) = install(&missing, &log) {
        // Stale package lists give 404s; one update and retry fixes that.
        if updated {
            return Err(problem);
        }
        update(&log)?;
        install(&missing, &log)?;
    }
    Ok(true)
}

/// Whether `program` is an executable file in a directory of the PATH.
fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(program).is_file()))
}

/// Whether dpkg has the package installed.
fn installed(package: &str) -> bool {
    step::output(Command::new("dpkg-query").args(["-W", "-f=${Status}", package]))
        .is_some_and(|status| status.trim() == "install ok installed")
}

/// Whether apt's package lists know a version of the package to install.
fn has_candidate(package: &str) -> bool {
    step::output(Command::new("apt-cache").args(["policy", package])).is_some_and(|policy| {
        policy
            .lines()
            .any(|l| l.trim().starts_with("Candidate:") && !l.contains("(none)"))
    })
}

fn update(log: &Path) -> Result<(), String> {
    step::run(
        "apt-get update",
        Command::new("apt-get").args(["-q", "update"]),
        log,
    )
}

fn install(packages: &[&str], log: &Path) -> Result<(), String> {
    step::run(
        "apt-get install",
        Command::new("apt-get")
            .args(["-q", "-y", "--no-install-recommends", "install"])
            .args(packages)
            .env("DEBIAN_FRONTEND", "noninteractive"),
        log,
    )
}

/// `/usr/sbin/policy-rc.d` exiting 101 for as long as this value lives.
struct NoServiceStarts {
    created: bool,
}

impl NoServiceStarts {
    fn new() -> Result<Self, String> {
        if Path::new(POLICY_RC_D).exists() {
            return Ok(NoServiceStarts { created: false });
        }
        fs::write(
            POLICY_RC_D,
            "#!/bin/sh\n# Written by `cargo xtask servers up` while apt-get runs.\nexit 101\n",
        )
        .and_then(|()| fs::set_permissions(POLICY_RC_D, fs::Permissions::from_mode(0o755)))
        .map_err(|e| format!("cannot write {POLICY_RC_D}: {e}"))?;
        Ok(NoServiceStarts { created: true })
    }
}

impl Drop for NoServiceStarts {
    fn drop(&mut self) {
        if self.created {
            if let Err(e) = fs::remove_file(POLICY_RC_D) {
                eprintln!("xtask: could not remove {POLICY_RC_D}: {e}");
            }
        }
    }
}
