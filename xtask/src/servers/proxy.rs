//! Two HTTP proxies (Debian's tinyproxy) on 127.0.0.1 for the proxy tests: one open, one that
//! asks for Basic credentials. Both forward plain HTTP and tunnel `CONNECT` to the TLS ports of
//! the test servers only, and log each request (the tests count them in the log).

use std::process::Command;

use super::files;
use super::layout::Layout;
use super::ready::Probe;
use super::secrets::Secrets;

/// The open proxy.
pub const OPEN: &str = "proxy";
pub const OPEN_PORT: u16 = 8888;
pub const OPEN_PROBE: Probe = Probe::Port(OPEN_PORT);
/// The proxy that asks for credentials.
pub const AUTH: &str = "proxy-auth";
pub const AUTH_PORT: u16 = 8889;
pub const AUTH_PROBE: Probe = Probe::Port(AUTH_PORT);
/// The user of the authenticating proxy; its password is in `secrets.json`.
pub const USER: &str = "opsclient-proxy";
/// The ports a `CONNECT` may reach: Apache's TLS (tokenless Keystone) and the OpenID provider.
const CONNECT_PORTS: [u16; 2] = [super::apache::TLS_PORT, super::oidc::PORT];

/// The configuration of proxy `name` (`OPEN` or `AUTH`).
fn config(layout: &Layout, name: &str) -> std::path::PathBuf {
    layout.etc(&format!("{name}.conf"))
}

/// Writes `etc/proxy.conf` and `etc/proxy-auth.conf`.
pub fn write_config(layout: &Layout, secrets: &Secrets) -> Result<(), String> {
    files::write(&config(layout, OPEN), &text(OPEN_PORT, None))?;
    files::write_private(
        &config(layout, AUTH),
        &text(AUTH_PORT, Some(&secrets.proxy_password)),
    )
}

/// tinyproxy's settings: loopback only, every request logged, `CONNECT` to the test ports.
fn text(port: u16, password: Option<&str>) -> String {
    let mut text = format!(
        "# Written by `cargo xtask servers up`.\n\
         Port {port}\n\
         Listen 127.0.0.1\n\
         Allow 127.0.0.1\n\
         Timeout 60\n\
         MaxClients 50\n\
         LogLevel Info\n\
         DisableViaHeader Yes\n"
    );
    for connect in CONNECT_PORTS {
        text.push_str(&format!("ConnectPort {connect}\n"));
    }
    if let Some(password) = password {
        text.push_str(&format!("BasicAuth {USER} {password}\n"));
    }
    text
}

/// Proxy `name` in the foreground, logging to its stderr (the server's log file).
pub fn command(layout: &Layout, name: &str) -> Command {
    let mut command = Command::new("tinyproxy");
    command.arg("-d").arg("-c").arg(config(layout, name));
    command
}
