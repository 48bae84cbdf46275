//! What the tests read: `env` (shell `KEY='value'` lines), `env.json` (the same as one JSON
//! object of strings) and `clouds.yaml` (cloud `opsclient-test`, the same admin login).
//!
//! The standard `OS_*` variables describe only the admin login, so a client configured from
//! them sees one complete password login; everything else is under `OPSCLIENT_*` names.

use serde_json::{Map, Value};

use super::files;
use super::keystone::AUTH_URL;
use super::layout::Layout;
use super::secrets::Secrets;
use super::seed::{Seeded, TOTP_USER};
use super::{apache, monasca, oidc, proxy, watcher};

/// The cloud name in `clouds.yaml`.
pub const CLOUD: &str = "opsclient-test";

/// The files written here: they describe running servers, so `down` removes them.
pub const FILES: [&str; 3] = ["env", "env.json", "clouds.yaml"];

/// Writes `env`, `env.json` and `clouds.yaml`.
pub fn write(
    layout: &Layout,
    secrets: &Secrets,
    seeded: &Seeded,
    token_expiration: u32,
) -> Result<(), String> {
    let seed = |key: &str| {
        seeded
            .get(key)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    let clouds_yaml = layout.file("clouds.yaml");
    let tls = |name: &str| layout.tls().join(name).to_string_lossy().into_owned();
    let log = |name: &str| layout.log(name).to_string_lossy().into_owned();
    let vars: Vec<(&str, String)> = vec![
        ("OS_AUTH_URL", AUTH_URL.to_string()),
        ("OS_USERNAME", "admin".to_string()),
        ("OS_PASSWORD", secrets.admin_password.clone()),
        ("OS_PROJECT_NAME", "admin".to_string()),
        ("OS_USER_DOMAIN_ID", "default".to_string()),
        ("OS_PROJECT_DOMAIN_ID", "default".to_string()),
        ("OS_REGION_NAME", "RegionOne".to_string()),
        ("OPSCLIENT_ADMIN_USER_ID", seed("admin_user_id")),
        ("OPSCLIENT_ADMIN_PROJECT_ID", seed("admin_project_id")),
        ("OPSCLIENT_WATCHER_URL", watcher::URL.to_string()),
        ("OPSCLIENT_MONASCA_URL", monasca::URL.to_string()),
        ("OPSCLIENT_TOKEN_EXPIRATION", token_expiration.to_string()),
        ("OPSCLIENT_TOTP_USERNAME", TOTP_USER.to_string()),
        ("OPSCLIENT_TOTP_USER_ID", seed("totp_user_id")),
        ("OPSCLIENT_TOTP_USER_DOMAIN_ID", "default".to_string()),
        ("OPSCLIENT_TOTP_PASSWORD", secrets.totp_password.clone()),
        ("OPSCLIENT_TOTP_SECRET", secrets.totp_secret.clone()),
        (
            "OPSCLIENT_APPLICATION_CREDENTIAL_ID",
            seed("application_credential_id"),
        ),
        (
            "OPSCLIENT_APPLICATION_CREDENTIAL_NAME",
            seed("application_credential_name"),
        ),
        (
            "OPSCLIENT_APPLICATION_CREDENTIAL_SECRET",
            seed("application_credential_secret"),
        ),
        (
            "OPSCLIENT_WATCHER_SEED_ACTION_PLAN",
            watcher::seed_action_plan_command(layout).join(" "),
        ),
        (
            "OPSCLIENT_MONASCA_SEED_ALARM",
            monasca::seed_alarm_command(layout).join(" "),
        ),
        (
            "OPSCLIENT_MONASCA_LOG_FILE",
            monasca::log_file(layout).to_string_lossy().into_owned(),
        ),
        (
            "OPSCLIENT_CLOUDS_YAML",
            clouds_yaml.to_string_lossy().into_owned(),
        ),
        ("OPSCLIENT_CLOUD", CLOUD.to_string()),
        // The Python CLIs the tool is compared with.
        ("OPSCLIENT_MONASCA_CLI", python_cli(layout, "monasca")),
        ("OPSCLIENT_WATCHER_CLI", python_cli(layout, "watcher")),
        // OpenID Connect through Keystone's federation (Apache with mod_auth_openidc).
        (
            "OPSCLIENT_FEDERATION_AUTH_URL",
            apache::FEDERATION_URL.to_string(),
        ),
        ("OPSCLIENT_OIDC_ISSUER", oidc::ISSUER.to_string()),
        ("OPSCLIENT_OIDC_DISCOVERY", oidc::DISCOVERY.to_string()),
        (
            "OPSCLIENT_OIDC_IDENTITY_PROVIDER",
            seed("oidc_identity_provider"),
        ),
        ("OPSCLIENT_OIDC_PROTOCOL", "openid".to_string()),
        ("OPSCLIENT_OIDC_CLIENT_ID", oidc::CLIENT_ID.to_string()),
        (
            "OPSCLIENT_OIDC_SHORT_CLIENT_ID",
            "opsclient-short".to_string(),
        ),
        ("OPSCLIENT_OIDC_SHORT_TTL", oidc::SHORT_TTL.to_string()),
        (
            "OPSCLIENT_OIDC_CLIENT_SECRET",
            secrets.oidc_client_secret.clone(),
        ),
        ("OPSCLIENT_OIDC_USERNAME", oidc::USER.to_string()),
        (
            "OPSCLIENT_OIDC_PASSWORD",
            secrets.oidc_user_password.clone(),
        ),
        (
            "OPSCLIENT_OIDC_OTHER_USERNAME",
            oidc::OTHER_USER.to_string(),
        ),
        (
            "OPSCLIENT_OIDC_OTHER_PASSWORD",
            secrets.oidc_other_user_password.clone(),
        ),
        // The group the mapping puts every federated user in.
        ("OPSCLIENT_OIDC_GROUP_ID", seed("oidc_group_id")),
        (
            "OPSCLIENT_OIDC_CODE_URL",
            format!("{}/test/code", oidc::ISSUER),
        ),
        // Tokenless X.509 (Apache with mod_ssl, client certificates of the test CA).
        (
            "OPSCLIENT_TOKENLESS_AUTH_URL",
            apache::TOKENLESS_URL.to_string(),
        ),
        ("OPSCLIENT_TOKENLESS_PROJECT_ID", seed("service_project_id")),
        // The local user the client certificate's subject maps to.
        (
            "OPSCLIENT_TOKENLESS_USERNAME",
            apache::CLIENT_CN.to_string(),
        ),
        ("OPSCLIENT_TOKENLESS_USER_ID", seed("tokenless_user_id")),
        // The HTTP proxies: open, and one that asks for Basic credentials; their logs show
        // each request they passed on.
        (
            "OPSCLIENT_PROXY_URL",
            format!("http://127.0.0.1:{}", proxy::OPEN_PORT),
        ),
        ("OPSCLIENT_PROXY_LOG", log(proxy::OPEN)),
        (
            "OPSCLIENT_AUTH_PROXY_URL",
            format!("http://127.0.0.1:{}", proxy::AUTH_PORT),
        ),
        ("OPSCLIENT_AUTH_PROXY_LOG", log(proxy::AUTH)),
        ("OPSCLIENT_PROXY_USERNAME", proxy::USER.to_string()),
        ("OPSCLIENT_PROXY_PASSWORD", secrets.proxy_password.clone()),
        ("OPSCLIENT_TLS_CA", tls("ca.pem")),
        ("OPSCLIENT_TLS_CLIENT_CERT", tls("client.pem")),
        ("OPSCLIENT_TLS_CLIENT_KEY", tls("client.key")),
        ("OPSCLIENT_TLS_UNTRUSTED_CERT", tls("untrusted.pem")),
        ("OPSCLIENT_TLS_UNTRUSTED_KEY", tls("untrusted.key")),
    ];

    // The test CA in the machine's trust store, when `up` could put it there (as root).
    let mut vars = vars;
    if let Some(installed) = super::system_ca::installed(layout) {
        vars.push((
            "OPSCLIENT_SYSTEM_CA",
            installed.to_string_lossy().into_owned(),
        ));
    }

    let shell: String = vars
        .iter()
        .map(|(key, value)| format!("{key}={}\n", shell_quote(value)))
        .collect();
    let header = "# Written by `cargo xtask servers up`: the test servers' settings.\n";
    files::write_private(&layout.file("env"), &format!("{header}{shell}"))?;

    let json: Map<String, Value> = vars
        .iter()
        .map(|(key, value)| (key.to_string(), Value::String(value.clone())))
        .collect();
    let text = serde_json::to_string_pretty(&json).expect("a JSON map prints");
    files::write_private(&layout.file("env.json"), &(text + "\n"))?;

    files::write_private(&clouds_yaml, &clouds(&secrets.admin_password))
}

/// `clouds.yaml` with the admin login. Values are JSON strings, which YAML reads as strings.
fn clouds(password: &str) -> String {
    let q = |text: &str| Value::String(text.to_string()).to_string();
    format!(
        "# Written by `cargo xtask servers up`.\n\
         clouds:\n  {CLOUD}:\n    auth_type: password\n    auth:\n      \
         auth_url: {}\n      username: admin\n      password: {}\n      \
         project_name: admin\n      user_domain_id: default\n      project_domain_id: default\n    \
         region_name: RegionOne\n    interface: public\n    identity_api_version: 3\n",
        q(AUTH_URL),
        q(password),
    )
}

/// A program of the clients virtualenv.
fn python_cli(layout: &Layout, program: &str) -> String {
    layout
        .venv_bin(super::venv::CLIENTS.name, program)
        .to_string_lossy()
        .into_owned()
}

/// `'value'` for a POSIX shell.
fn shell_quote(value: &str) -> String {
    format!("'{}'", value.replace('\'', r"'\''"))
}
