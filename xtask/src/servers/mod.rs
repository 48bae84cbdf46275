//! `cargo xtask servers up|down|status`: real Keystone, Watcher and Monasca (with InfluxDB and
//! RabbitMQ) on 127.0.0.1 for opsclient's integration tests.
//!
//! `up` installs what is missing (Debian packages, two virtualenvs), writes the configuration,
//! initialises the databases once, starts every server that does not run yet, seeds Keystone
//! and writes `env`, `env.json` and `clouds.yaml` for the tests. `down` stops what `up`
//! started; `status` shows what runs and whether its readiness check passes. Everything lives
//! in one state directory (see [`layout`]); the recipe is `shared/notes/real-servers.md`.

mod apache;
mod apt;
mod down;
mod files;
mod http;
mod influxdb;
mod keystone;
mod layout;
mod monasca;
mod oidc;
mod outputs;
mod process;
mod proxy;
mod rabbitmq;
mod ready;
mod secrets;
mod seed;
mod status;
mod step;
mod system_ca;
mod up;
mod venv;
mod watcher;

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};

use layout::Layout;
use ready::Probe;

/// Lifetime of Keystone's tokens unless told otherwise: short, so that tests meet expiry.
const DEFAULT_TOKEN_EXPIRATION: u32 = 30;

/// `cargo xtask servers ...`
#[derive(Args)]
pub struct ServersArgs {
    #[command(subcommand)]
    action: Action,
    /// The state directory: virtualenvs, configuration, databases, logs, PIDs and the files
    /// the tests read [default: target/openstack-servers in the workspace]
    #[arg(long, global = true, value_name = "DIR")]
    state_dir: Option<PathBuf>,
}

#[derive(Subcommand)]
enum Action {
    /// Installs what is missing and starts every server that does not run yet.
    Up {
        /// Lifetime of Keystone's tokens, in seconds (short, so tests meet expiry).
        #[arg(long, default_value_t = DEFAULT_TOKEN_EXPIRATION, value_name = "SECS")]
        token_expiration: u32,
    },
    /// Stops the servers `up` started.
    Down,
    /// Shows which servers run and whether their readiness checks pass.
    Status,
}

/// A server process that `up` starts and `down` stops.
pub struct Server {
    pub name: &'static str,
    /// The loopback port it listens on, if any.
    pub port: Option<u16>,
    pub probe: Probe,
}

/// Every server, in start order.
pub const SERVERS: [Server; 11] = [
    Server {
        name: influxdb::NAME,
        port: Some(8086),
        probe: influxdb::PROBE,
    },
    Server {
        name: rabbitmq::NAME,
        port: Some(5672),
        probe: rabbitmq::PROBE,
    },
    Server {
        name: keystone::NAME,
        port: Some(5000),
        probe: keystone::PROBE,
    },
    Server {
        name: watcher::API,
        port: Some(9322),
        probe: watcher::API_PROBE,
    },
    Server {
        name: watcher::DECISION_ENGINE,
        port: None,
        probe: watcher::DECISION_ENGINE_PROBE,
    },
    Server {
        name: watcher::APPLIER,
        port: None,
        probe: watcher::APPLIER_PROBE,
    },
    Server {
        name: monasca::NAME,
        port: Some(8070),
        probe: monasca::PROBE,
    },
    Server {
        name: oidc::NAME,
        port: Some(oidc::PORT),
        probe: oidc::PROBE,
    },
    Server {
        name: apache::NAME,
        port: Some(apache::PORT),
        probe: apache::PROBE,
    },
    Server {
        name: proxy::OPEN,
        port: Some(proxy::OPEN_PORT),
        probe: proxy::OPEN_PROBE,
    },
    Server {
        name: proxy::AUTH,
        port: Some(proxy::AUTH_PORT),
        probe: proxy::AUTH_PROBE,
    },
];

/// The server of this name in [`SERVERS`].
fn server(name: &str) -> &'static Server {
    SERVERS
        .iter()
        .find(|s| s.name == name)
        .expect("every server is in SERVERS")
}

/// Runs `cargo xtask servers ...` for the workspace at `root`.
pub fn run(root: &Path, args: ServersArgs) -> Result<(), String> {
    let dir = args
        .state_dir
        .unwrap_or_else(|| root.join("target/openstack-servers"));
    match args.action {
        Action::Up { token_expiration } => {
            std::fs::create_dir_all(&dir)
                .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
            up::up(&Layout::new(absolute(&dir)?), token_expiration)
        }
        Action::Down | Action::Status if !dir.exists() => {
            println!("no servers: {} does not exist", dir.display());
            Ok(())
        }
        Action::Down => down::down(&Layout::new(absolute(&dir)?)),
        Action::Status => status::status(&Layout::new(absolute(&dir)?)),
    }
}

/// For `cargo xtask test`: brings the servers up in the default state directory with the default
/// token lifetime. Returns the servers this call started, for [`down_after_tests`]; servers that
/// ran before are a developer's and are left running.
pub fn up_for_tests(root: &Path) -> Result<Vec<&'static str>, String> {
    let dir = root.join("target/openstack-servers");
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let layout = Layout::new(absolute(&dir)?);
    let starting: Vec<&'static str> = SERVERS
        .iter()
        .filter(|s| process::recorded(&layout, s.name).is_none())
        .map(|s| s.name)
        .collect();
    if let Err(problem) = up::up(&layout, DEFAULT_TOKEN_EXPIRATION) {
        // Leave nothing half-started behind a failed run.
        return Err(match down::down_only(&layout, &starting) {
            Ok(()) => problem,
            Err(more) => format!("{problem}\nxtask: stopping the servers again: {more}"),
        });
    }
    Ok(starting)
}

/// For `cargo xtask test`: stops the servers of the default state directory that
/// [`up_for_tests`] started.
pub fn down_after_tests(root: &Path, started: &[&str]) -> Result<(), String> {
    let dir = root.join("target/openstack-servers");
    down::down_only(&Layout::new(absolute(&dir)?), started)
}

/// The canonical path of an existing directory (it is written into configuration files and
/// compared with the working directory of running servers).
fn absolute(dir: &Path) -> Result<PathBuf, String> {
    dir.canonicalize()
        .map_err(|e| format!("cannot resolve {}: {e}", dir.display()))
}
