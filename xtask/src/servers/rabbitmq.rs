//! RabbitMQ from Debian, Watcher's RPC transport, on 127.0.0.1:5672.
//!
//! It runs as root straight from `/usr/lib/rabbitmq/bin` (the `/usr/sbin` wrappers switch to
//! the `rabbitmq` user), with all its state (Erlang cookie, Mnesia, logs) under
//! `<state>/data/rabbitmq`, set through its environment. Erlang starts `epmd` on first use and
//! leaves it running; `down` stops it too when it was not running before `up`.

use std::path::PathBuf;
use std::process::Command;

use super::files;
use super::layout::Layout;
use super::process;
use super::ready::Probe;
use super::step;

pub const NAME: &str = "rabbitmq";
pub const PROBE: Probe = Probe::Port(5672);

const TEMPLATE: &str = include_str!("../../servers/rabbitmq.conf");
const BIN: &str = "/usr/lib/rabbitmq/bin";
const NODE: &str = "rabbit@localhost";
/// The PID file name of an `epmd` that `up` caused to start.
const EPMD: &str = "epmd";

fn dir(layout: &Layout, name: &str) -> PathBuf {
    layout.data("rabbitmq").join(name)
}

/// Writes `etc/rabbitmq/rabbitmq.conf` and an empty plugin list, and creates the state dirs.
pub fn write_config(layout: &Layout) -> Result<(), String> {
    files::write(&layout.etc("rabbitmq/rabbitmq.conf"), TEMPLATE)?;
    files::write(&layout.etc("rabbitmq/enabled_plugins"), "[].\n")?;
    for name in ["home", "mnesia", "log"] {
        let path = dir(layout, name);
        std::fs::create_dir_all(&path)
            .map_err(|e| format!("cannot create {}: {e}", path.display()))?;
    }
    Ok(())
}

/// The environment that keeps RabbitMQ private and on loopback (server and rabbitmqctl).
fn environment(layout: &Layout) -> Vec<(&'static str, PathBuf)> {
    let loopback_only = "-kernel inet_dist_use_interface {127,0,0,1}";
    vec![
        ("HOME", dir(layout, "home")),
        ("RABBITMQ_NODENAME", NODE.into()),
        ("RABBITMQ_NODE_IP_ADDRESS", "127.0.0.1".into()),
        ("RABBITMQ_NODE_PORT", "5672".into()),
        ("RABBITMQ_DIST_PORT", "25672".into()),
        ("ERL_EPMD_ADDRESS", "127.0.0.1".into()),
        ("RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS", loopback_only.into()),
        ("RABBITMQ_CTL_ERL_ARGS", loopback_only.into()),
        ("RABBITMQ_CONFIG_FILE", layout.etc("rabbitmq/rabbitmq.conf")),
        (
            "RABBITMQ_ENABLED_PLUGINS_FILE",
            layout.etc("rabbitmq/enabled_plugins"),
        ),
        ("RABBITMQ_MNESIA_BASE", dir(layout, "mnesia")),
        ("RABBITMQ_LOG_BASE", dir(layout, "log")),
        ("RABBITMQ_PID_FILE", dir(layout, "rabbitmq.pid")),
        ("RABBITMQ_LOGS", "-".into()),
    ]
}

/// The server's command line.
pub fn command(layout: &Layout) -> Command {
    let mut command = Command::new(format!("{BIN}/rabbitmq-server"));
    command.envs(environment(layout));
    command
}

fn rabbitmqctl(layout: &Layout, args: &[&str]) -> Command {
    let mut command = Command::new(format!("{BIN}/rabbitmqctl"));
    command
        .envs(environment(layout))
        .args(["-n", NODE, "-q"])
        .args(args);
    command
}

/// Whether an `epmd` runs now (call before starting RabbitMQ).
pub fn epmd_running() -> bool {
    !process::find_by_name("epmd").is_empty()
}

/// Waits for the node to finish booting (after its port is open), then, when no `epmd` ran
/// before, records the one RabbitMQ started so that `down` can stop it.
pub fn await_startup(layout: &Layout, epmd_was_running: bool) -> Result<(), String> {
    step::run(
        "rabbitmqctl await_startup",
        &mut rabbitmqctl(layout, &["await_startup", "--timeout", "120"]),
        &layout.log("rabbitmqctl"),
    )?;
    if !epmd_was_running {
        if let Some(&pid) = process::find_by_name("epmd").first() {
            process::write_pid(&layout.pid_file(EPMD), pid)?;
        }
    }
    Ok(())
}

/// Stops the node: `rabbitmqctl stop`, then what is left of its process group.
pub fn stop(layout: &Layout, pid: u32) -> Result<(), String> {
    if let Err(problem) = step::run(
        "rabbitmqctl stop",
        &mut rabbitmqctl(layout, &["stop"]),
        &layout.log("rabbitmqctl"),
    ) {
        eprintln!("xtask: {problem}; stopping RabbitMQ by signal");
    }
    process::stop_group(pid)
}

/// Stops the `epmd` that `up` caused to start, if any.
pub fn stop_epmd(layout: &Layout) -> Result<(), String> {
    let file = layout.pid_file(EPMD);
    let Some(pid) = process::read_pid(&file) else {
        return Ok(());
    };
    if process::alive(pid) && process::command_name(pid).as_deref() == Some("epmd") {
        process::stop_one(pid)?;
        println!("epmd stopped");
    }
    let _ = std::fs::remove_file(file);
    Ok(())
}
