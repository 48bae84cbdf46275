//! The test OpenID provider: oidc-provider from npm, run by Node.js on https://127.0.0.1:9080 (see
//! `servers/oidc/provider.mjs` for its clients, users and routes).

use std::process::Command;

use super::files;
use super::layout::Layout;
use super::ready::Probe;
use super::secrets::Secrets;
use super::step;

pub const NAME: &str = "oidc-provider";
pub const PORT: u16 = 9080;
/// HTTPS with the test CA's server certificate (see [`super::apache`]).
pub const ISSUER: &str = "https://127.0.0.1:9080";
pub const DISCOVERY: &str = "https://127.0.0.1:9080/.well-known/openid-configuration";
/// xtask's HTTP client speaks no TLS: the port is checked.
pub const PROBE: Probe = Probe::Port(PORT);
/// The provider's users: the resource owner of the password and authorization-code flows, and
/// another whose token the access-token flow is given. Each differs from every client id, so a
/// Keystone token tells whose login it came from.
pub const USER: &str = "ann";
pub const OTHER_USER: &str = "bob";
/// The client the tests log in with.
pub const CLIENT_ID: &str = "opsclient";
/// Seconds an access token of the client `opsclient-short` lives.
pub const SHORT_TTL: u32 = 3;

const PACKAGE: &str = include_str!("../../servers/oidc/package.json");
const LOCK: &str = include_str!("../../servers/oidc/package-lock.json");
const PROVIDER: &str = include_str!("../../servers/oidc/provider.mjs");

fn dir(layout: &Layout) -> std::path::PathBuf {
    layout.root().join("oidc")
}

/// Writes the provider's script and its npm manifest.
pub fn write_files(layout: &Layout) -> Result<(), String> {
    let dir = dir(layout);
    files::write(&dir.join("package.json"), PACKAGE)?;
    files::write(&dir.join("package-lock.json"), LOCK)?;
    files::write(&dir.join("provider.mjs"), PROVIDER)
}

/// Installs oidc-provider at the locked version with `npm ci`, once per lock file. Returns
/// whether it ran.
pub fn install(layout: &Layout) -> Result<bool, String> {
    let dir = dir(layout);
    let marker = layout.data("oidc-provider.installed");
    if std::fs::read_to_string(&marker).is_ok_and(|lock| lock == LOCK)
        && dir.join("node_modules/oidc-provider").is_dir()
    {
        return Ok(false);
    }
    step::run(
        "npm ci (oidc-provider)",
        Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund", "--omit=dev"])
            .current_dir(&dir),
        &layout.log("npm"),
    )?;
    files::write(&marker, LOCK)?;
    Ok(true)
}

/// The server's command line.
pub fn command(layout: &Layout, secrets: &Secrets) -> Command {
    let mut command = Command::new("node");
    command
        .arg(dir(layout).join("provider.mjs"))
        .env("OIDC_PORT", PORT.to_string())
        .env("OIDC_CLIENT_SECRET", &secrets.oidc_client_secret)
        .env(
            "OIDC_INTROSPECTION_SECRET",
            &secrets.oidc_introspection_secret,
        )
        .env("OIDC_USER_PASSWORD", &secrets.oidc_user_password)
        .env(
            "OIDC_OTHER_USER_PASSWORD",
            &secrets.oidc_other_user_password,
        )
        .env("OIDC_COOKIE_KEY", &secrets.oidc_cookie_key)
        .env("OIDC_SHORT_TTL", SHORT_TTL.to_string())
        .env("OIDC_TLS_CERT", layout.tls().join("server.pem"))
        .env("OIDC_TLS_KEY", layout.tls().join("server.key"))
        .env("NODE_ENV", "development");
    command
}
