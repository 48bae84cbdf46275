//! Keystone 30.0.0 on 127.0.0.1:5000: configuration, `keystone-manage` initialisation and the
//! server process. Seeding users and services through the API is in [`super::seed`].
//!
//! uWSGI serves `keystone.wsgi.api` (which reads `keystone.conf` from `$OS_KEYSTONE_CONFIG_DIR`)
//! on two sockets:
//! - plain HTTP on 127.0.0.1:5000, where every request header becomes an `HTTP_*` variable, so
//!   no client can set `REMOTE_USER`, `OIDC_CLAIM_*` or `SSL_CLIENT_*`;
//! - the uwsgi protocol on the unix socket `run/keystone.sock`, for Apache alone (mode 600,
//!   owned by Apache's worker user). Apache passes the identity it checked (`REMOTE_USER`, the
//!   OpenID claims, the client certificate's fields) there as variables, never as headers.
//!
//! The federation mappings and `[tokenless_auth]` read only those variables (see
//! `servers/keystone.conf` and [`super::seed`]), so identity reaches Keystone only through Apache.

use std::path::PathBuf;
use std::process::Command;

use super::files;
use super::layout::Layout;
use super::ready::Probe;
use super::secrets::Secrets;
use super::step;
use super::venv;

pub const NAME: &str = "keystone";
pub const PROBE: Probe = Probe::Http("http://127.0.0.1:5000/v3", 200);
/// The identity endpoint the tests use.
pub const AUTH_URL: &str = "http://127.0.0.1:5000/v3";

const TEMPLATE: &str = include_str!("../../servers/keystone.conf");

fn config_dir(layout: &Layout) -> PathBuf {
    layout.etc("keystone")
}

fn config(layout: &Layout) -> PathBuf {
    config_dir(layout).join("keystone.conf")
}

/// Writes `etc/keystone/keystone.conf` with tokens lasting `token_expiration` seconds.
pub fn write_config(layout: &Layout, token_expiration: u32) -> Result<(), String> {
    check_socket_path(layout)?;
    let state = layout.root().to_string_lossy();
    let text = files::render(
        TEMPLATE,
        &[
            ("STATE_DIR", &state),
            ("TOKEN_EXPIRATION", &token_expiration.to_string()),
            ("TOKENLESS_ISSUER", super::apache::CA_SUBJECT),
        ],
    );
    files::write(&config(layout), &text)
}

/// Creates the database, the Fernet and credential keys and the bootstrap admin, once.
/// Returns whether it ran.
pub fn init(layout: &Layout, secrets: &Secrets) -> Result<bool, String> {
    let wipe = [
        layout.data("keystone.db"),
        config_dir(layout).join("fernet-keys"),
        config_dir(layout).join("credential-keys"),
    ];
    step::once(&layout.data("keystone.initialised"), &wipe, || {
        let log = layout.log("keystone-init");
        let (user, group) = (id("-un")?, id("-gn")?);
        let owner = ["--keystone-user", &user, "--keystone-group", &group];
        let endpoint = format!("{AUTH_URL}/");
        let steps: [(&str, Vec<&str>); 4] = [
            ("keystone-manage db_sync", vec!["db_sync"]),
            (
                "keystone-manage fernet_setup",
                [&["fernet_setup"][..], &owner].concat(),
            ),
            (
                "keystone-manage credential_setup",
                [&["credential_setup"][..], &owner].concat(),
            ),
            (
                "keystone-manage bootstrap",
                vec![
                    "bootstrap",
                    "--bootstrap-password",
                    &secrets.admin_password,
                    "--bootstrap-username",
                    "admin",
                    "--bootstrap-project-name",
                    "admin",
                    "--bootstrap-role-name",
                    "admin",
                    "--bootstrap-service-name",
                    "keystone",
                    "--bootstrap-region-id",
                    "RegionOne",
                    "--bootstrap-admin-url",
                    &endpoint,
                    "--bootstrap-internal-url",
                    &endpoint,
                    "--bootstrap-public-url",
                    &endpoint,
                ],
            ),
        ];
        for (name, args) in steps {
            step::run(
                name,
                Command::new(layout.venv_bin(venv::OPENSTACK.name, "keystone-manage"))
                    .arg("--config-file")
                    .arg(config(layout))
                    .args(args),
                &log,
            )?;
        }
        Ok(())
    })
}

/// The longest unix socket path Linux takes (`sun_path` holds 108 bytes with the final NUL).
const SOCKET_PATH_MAX: usize = 107;

/// Checks that the socket's path fits in a unix socket address.
fn check_socket_path(layout: &Layout) -> Result<(), String> {
    let path = layout.keystone_socket();
    match path.as_os_str().len() {
        0..=SOCKET_PATH_MAX => Ok(()),
        length => Err(format!(
            "the state directory is too deep for Keystone's unix socket: {} is {length} bytes \
             long, at most {SOCKET_PATH_MAX} fit (use a shorter --state-dir)",
            path.display()
        )),
    }
}

/// The server's command line: uWSGI with one process of 16 threads (one process, so that
/// the in-process cache of every request sees the same revocations).
pub fn command(layout: &Layout) -> Command {
    let mut command = Command::new(layout.venv_bin(venv::OPENSTACK.name, "uwsgi"));
    command
        .args(["--http-socket", "127.0.0.1:5000"])
        .arg("--socket")
        .arg(layout.keystone_socket())
        .args([
            "--chmod-socket=600",
            // The socket goes when Keystone stops.
            "--vacuum",
            "--master",
            "--die-on-term",
            "--lazy-apps",
        ])
        .args(["--processes", "1", "--threads", "16"])
        // Room for Apache's variables (the OpenID claims, the client certificate's fields).
        .args(["--buffer-size", "65535"])
        // uWSGI's HTTP socket does not keep connections open: it says so, so clients do not
        // reuse a connection it is about to close.
        .args(["--add-header", "Connection: close"])
        .args(["--module", "keystone.wsgi.api:application"])
        .env("OS_KEYSTONE_CONFIG_DIR", config_dir(layout));
    // Started as root, Apache's workers run as its worker user: only they may connect.
    if id("-u").is_ok_and(|uid| uid == "0") {
        command.arg(format!(
            "--chown-socket={}:{}",
            super::apache::WORKER_USER,
            super::apache::WORKER_GROUP
        ));
    }
    command
}

/// `id -un` or `id -gn`: keystone-manage, run as root, must be told whose keys to write.
fn id(flag: &str) -> Result<String, String> {
    step::output(Command::new("id").arg(flag))
        .map(|name| name.trim().to_string())
        .ok_or_else(|| format!("`id {flag}` failed"))
}
