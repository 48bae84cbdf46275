//! Monasca API 11.0.0 on 127.0.0.1:8070, with an sqlite database built from its models and
//! metrics written straight to InfluxDB instead of Kafka (see the shims in `xtask/servers/`).

use std::path::PathBuf;
use std::process::Command;

use super::files;
use super::layout::Layout;
use super::ready::Probe;
use super::secrets::Secrets;
use super::step;
use super::venv;

pub const NAME: &str = "monasca-api";
/// Without a token the API answers 401 once its whole pipeline (with keystonemiddleware) is
/// loaded; Monasca has no unauthenticated page that answers 200 (`/healthcheck` needs Kafka).
pub const PROBE: Probe = Probe::Http("http://127.0.0.1:8070/", 401);
/// The endpoint registered in Keystone's catalog (with the version, as monascaclient expects).
pub const URL: &str = "http://127.0.0.1:8070/v2.0";

const TEMPLATE: &str = include_str!("../../servers/monasca-api.conf");
const PASTE: &str = include_str!("../../servers/monasca-api-paste.ini");

fn config_dir(layout: &Layout) -> PathBuf {
    layout.etc("monasca")
}

/// Writes `etc/monasca/monasca-api.conf` and its paste pipeline `api-config.ini`.
pub fn write_config(layout: &Layout, secrets: &Secrets) -> Result<(), String> {
    let state = layout.root().to_string_lossy();
    let text = files::render(
        TEMPLATE,
        &[
            ("STATE_DIR", &state),
            ("MONASCA_PASSWORD", &secrets.monasca_password),
        ],
    );
    files::write(&config_dir(layout).join("monasca-api.conf"), &text)?;
    files::write(&config_dir(layout).join("api-config.ini"), PASTE)
}

/// Creates the sqlite database, once. Returns whether it ran.
pub fn init(layout: &Layout) -> Result<bool, String> {
    let database = layout.data("monasca.db");
    step::once(
        &layout.data("monasca.initialised"),
        std::slice::from_ref(&database),
        || {
            step::run(
                "creating Monasca's sqlite schema",
                Command::new(python(layout))
                    .arg(layout.shims().join("monasca_sqlite_schema.py"))
                    .arg(&database),
                &layout.log("monasca-init"),
            )
        },
    )
}

fn python(layout: &Layout) -> PathBuf {
    layout.venv_bin(venv::MONASCA.name, "python")
}

/// The server's command line.
pub fn command(layout: &Layout) -> Command {
    let mut command = Command::new(python(layout));
    command
        .arg(layout.shims().join("wsgi_serve.py"))
        .args(["127.0.0.1", "8070", "monasca_wsgi:application", "--"])
        .arg("--config-file")
        .arg(config_dir(layout).join("monasca-api.conf"))
        .env("PYTHONPATH", layout.shims())
        .env("OPSCLIENT_MONASCA_CONFIG_DIR", config_dir(layout))
        .env("OPSCLIENT_MONASCA_LOG_FILE", log_file(layout));
    command
}

/// Where the logs API's entries go (there is no Kafka).
pub fn log_file(layout: &Layout) -> PathBuf {
    layout.data("monasca-logs.jsonl")
}

/// The command that creates an alarm for an alarm definition id (appended), as monasca-thresh
/// would, and prints its id.
pub fn seed_alarm_command(layout: &Layout) -> Vec<String> {
    [
        python(layout),
        layout.shims().join("monasca_seed_alarm.py"),
        "--config-file".into(),
        config_dir(layout).join("monasca-api.conf"),
    ]
    .iter()
    .map(|part| part.to_string_lossy().into_owned())
    .collect()
}
