//! Apache in front of Keystone (see `servers/apache.conf`): federation through mod_auth_openidc
//! on 127.0.0.1:5001, and TLS with client certificates through mod_ssl on 127.0.0.1:5443 for
//! tokenless X.509. Both pass requests to Keystone's unix socket with the uwsgi protocol, the
//! checked identity as variables (see `servers/keystone.rs`). The test CA, the server's
//! certificate and two client certificates (one the CA signed, one it did not) are made here
//! once per state directory.

use std::path::PathBuf;
use std::process::Command;

use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};

use super::files;
use super::layout::Layout;
use super::oidc;
use super::ready::Probe;
use super::secrets::Secrets;

pub const NAME: &str = "apache";
pub const PORT: u16 = 5001;
/// Keystone behind mod_auth_openidc.
pub const FEDERATION_URL: &str = "http://127.0.0.1:5001/v3";
/// Keystone behind mod_ssl with client certificates.
pub const TOKENLESS_URL: &str = "https://127.0.0.1:5443/v3";
/// The port of [`TOKENLESS_URL`].
pub const TLS_PORT: u16 = 5443;
pub const PROBE: Probe = Probe::Http("http://127.0.0.1:5001/v3", 200);
/// The test CA's subject, as mod_ssl writes it in `SSL_CLIENT_I_DN` (Keystone's
/// `trusted_issuer`).
pub const CA_SUBJECT: &str = "CN=opsclient test CA";
/// The user Apache's workers run as when it is started as root (`User` in `apache.conf`):
/// Keystone's socket is given to them.
pub const WORKER_USER: &str = "nobody";
/// The group of [`WORKER_USER`].
pub const WORKER_GROUP: &str = "nogroup";
/// The subject of the client certificate the CA signed.
pub const CLIENT_CN: &str = "watcher-tokenless";
pub const CLIENT_O: &str = "opsclient";

const TEMPLATE: &str = include_str!("../../servers/apache.conf");

fn config(layout: &Layout) -> PathBuf {
    layout.etc("apache.conf")
}

/// Writes `etc/apache.conf`, and the certificates when missing.
pub fn write_config(layout: &Layout, secrets: &Secrets) -> Result<(), String> {
    let state = layout.root().to_string_lossy();
    let text = files::render(
        TEMPLATE,
        &[
            ("STATE_DIR", &state),
            (
                "KEYSTONE_SOCKET",
                &layout.keystone_socket().to_string_lossy(),
            ),
            ("WORKER_USER", WORKER_USER),
            ("WORKER_GROUP", WORKER_GROUP),
            ("OIDC_ISSUER", oidc::ISSUER),
            ("INTROSPECTION_SECRET", &secrets.oidc_introspection_secret),
        ],
    );
    files::write_private(&config(layout), &text)?;
    if !layout.tls().join("client.pem").is_file() {
        write_certificates(layout)?;
    }
    Ok(())
}

fn write_certificates(layout: &Layout) -> Result<(), String> {
    let fail = |e: rcgen::Error| format!("making the test certificates: {e}");
    let dir = layout.tls();
    let ca_key = KeyPair::generate().map_err(fail)?;
    let mut ca = CertificateParams::new(Vec::<String>::new()).map_err(fail)?;
    ca.distinguished_name
        .push(DnType::CommonName, "opsclient test CA");
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca_cert = ca.self_signed(&ca_key).map_err(fail)?;
    let issuer = Issuer::new(ca, &ca_key);

    let leaf = |names: Vec<String>, cn: &str, signer: &Issuer<'_, &KeyPair>| {
        let key = KeyPair::generate().map_err(fail)?;
        let mut params = CertificateParams::new(names).map_err(fail)?;
        params.distinguished_name.push(DnType::CommonName, cn);
        params
            .distinguished_name
            .push(DnType::OrganizationName, CLIENT_O);
        let cert = params.signed_by(&key, signer).map_err(fail)?;
        Ok::<_, String>((cert.pem(), key.serialize_pem()))
    };
    let (server, server_key) = leaf(
        vec!["127.0.0.1".into(), "localhost".into()],
        "127.0.0.1",
        &issuer,
    )?;
    let (client, client_key) = leaf(vec![], CLIENT_CN, &issuer)?;
    // The same subject from a CA the server does not trust.
    let rogue_key = KeyPair::generate().map_err(fail)?;
    let mut rogue = CertificateParams::new(Vec::<String>::new()).map_err(fail)?;
    rogue
        .distinguished_name
        .push(DnType::CommonName, "opsclient test CA");
    rogue.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let rogue_issuer = Issuer::new(rogue, &rogue_key);
    let (untrusted, untrusted_key) = leaf(vec![], CLIENT_CN, &rogue_issuer)?;

    files::write(&dir.join("ca.pem"), &ca_cert.pem())?;
    files::write(&dir.join("server.pem"), &server)?;
    files::write_private(&dir.join("server.key"), &server_key)?;
    files::write(&dir.join("client.pem"), &client)?;
    files::write_private(&dir.join("client.key"), &client_key)?;
    files::write(&dir.join("untrusted.pem"), &untrusted)?;
    files::write_private(&dir.join("untrusted.key"), &untrusted_key)
}

/// The server's command line: in the foreground, so `down` stops it like the others.
pub fn command(layout: &Layout) -> Command {
    let mut command = Command::new("apache2");
    command.arg("-f").arg(config(layout)).arg("-DFOREGROUND");
    command
}
