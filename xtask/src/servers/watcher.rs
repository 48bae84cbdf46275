//! Watcher 17.0.0: the API on 127.0.0.1:9322, the decision engine and the applier, talking
//! over RabbitMQ, and the command that seeds an executable action plan.
//!
//! The `watcher-api` console script does not run on oslo.service's threading backend, so
//! `shims/wsgi_serve.py` serves `watcher.wsgi.api`. The engines are ready only once each has
//! logged "Leader election completed": an audit posted earlier is cancelled by the decision
//! engine's start-up.

use std::path::PathBuf;
use std::process::Command;

use super::files;
use super::layout::Layout;
use super::ready::Probe;
use super::secrets::Secrets;
use super::step;
use super::venv;

pub const API: &str = "watcher-api";
pub const DECISION_ENGINE: &str = "watcher-decision-engine";
pub const APPLIER: &str = "watcher-applier";

pub const API_PROBE: Probe = Probe::Http("http://127.0.0.1:9322/", 200);
pub const DECISION_ENGINE_PROBE: Probe =
    Probe::LogLine("Leader election completed for watcher-decision-engine");
pub const APPLIER_PROBE: Probe = Probe::LogLine("Leader election completed for watcher-applier");

/// The endpoint registered in Keystone's catalog.
pub const URL: &str = "http://127.0.0.1:9322";

const TEMPLATE: &str = include_str!("../../servers/watcher.conf");

fn config(layout: &Layout) -> PathBuf {
    layout.etc("watcher/watcher.conf")
}

/// Writes `etc/watcher/watcher.conf`.
pub fn write_config(layout: &Layout, secrets: &Secrets) -> Result<(), String> {
    let state = layout.root().to_string_lossy();
    let text = files::render(
        TEMPLATE,
        &[
            ("STATE_DIR", &state),
            ("WATCHER_PASSWORD", &secrets.watcher_password),
        ],
    );
    files::write(&config(layout), &text)
}

/// Creates the database and loads the goals and strategies of the installed plugins, once.
/// Returns whether it ran.
pub fn init(layout: &Layout) -> Result<bool, String> {
    step::once(
        &layout.data("watcher.initialised"),
        &[layout.data("watcher.db")],
        || {
            let log = layout.log("watcher-init");
            step::run(
                "watcher-db-manage create_schema",
                &mut tool(layout, "watcher-db-manage", &["create_schema"]),
                &log,
            )?;
            step::run("watcher-sync", &mut tool(layout, "watcher-sync", &[]), &log)
        },
    )
}

/// A Watcher console script with the configuration file.
fn tool(layout: &Layout, program: &str, args: &[&str]) -> Command {
    let mut command = Command::new(layout.venv_bin(venv::OPENSTACK.name, program));
    command.arg("--config-file").arg(config(layout)).args(args);
    command
}

/// The API's command line.
pub fn api_command(layout: &Layout) -> Command {
    let mut command = Command::new(layout.venv_bin(venv::OPENSTACK.name, "python"));
    command
        .arg(layout.shims().join("wsgi_serve.py"))
        .args(["127.0.0.1", "9322", "watcher.wsgi.api:application", "--"])
        .arg("--config-file")
        .arg(config(layout));
    command
}

/// The decision engine's command line.
pub fn decision_engine_command(layout: &Layout) -> Command {
    tool(layout, DECISION_ENGINE, &[])
}

/// The applier's command line.
pub fn applier_command(layout: &Layout) -> Command {
    tool(layout, APPLIER, &[])
}

/// The command that, given an audit UUID as its last argument, inserts a RECOMMENDED action
/// plan (nop, sleep 1 s, nop) for that audit and prints the plan's UUID.
pub fn seed_action_plan_command(layout: &Layout) -> Vec<String> {
    [
        layout.venv_bin(venv::OPENSTACK.name, "python"),
        layout.shims().join("watcher_seed_action_plan.py"),
        "--config-file".into(),
        config(layout),
    ]
    .iter()
    .map(|part| part.to_string_lossy().into_owned())
    .collect()
}
