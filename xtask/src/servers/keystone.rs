//! Keystone 30.0.0 on 127.0.0.1:5000: configuration, `keystone-manage` initialisation and the
//! server process. Seeding users and services through the API is in [`super::seed`].
//!
//! Keystone 30 ships no WSGI scripts; `shims/wsgi_serve.py` serves `keystone.wsgi.api`, which
//! reads `keystone.conf` from `$OS_KEYSTONE_CONFIG_DIR`.

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

/// The server's command line.
pub fn command(layout: &Layout) -> Command {
    let mut command = Command::new(layout.venv_bin(venv::OPENSTACK.name, "python"));
    command
        .arg(layout.shims().join("wsgi_serve.py"))
        .args(["127.0.0.1", "5000", "keystone.wsgi.api:application"])
        .env("OS_KEYSTONE_CONFIG_DIR", config_dir(layout));
    command
}

/// `id -un` or `id -gn`: keystone-manage, run as root, must be told whose keys to write.
fn id(flag: &str) -> Result<String, String> {
    step::output(Command::new("id").arg(flag))
        .map(|name| name.trim().to_string())
        .ok_or_else(|| format!("`id {flag}` failed"))
}
