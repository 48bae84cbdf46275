//! `cargo xtask servers down`: stops what `up` started, by recorded PID.
//!
//! The Python servers and InfluxDB stop together (Watcher's services take about 5 s each after
//! SIGTERM); RabbitMQ goes last, with `rabbitmqctl stop` first, and then the `epmd` it started.
//! `env`, `env.json` and `clouds.yaml` are removed, so tests skip rather than fail, and the test
//! CA leaves the system trust store; installs,
//! databases and logs stay for the next `up`.

use std::thread;

use super::layout::Layout;
use super::{keystone, outputs, process, rabbitmq, system_ca, SERVERS};

/// Stops every running server; reports every failure, not only the first.
pub fn down(layout: &Layout) -> Result<(), String> {
    let all: Vec<&str> = SERVERS.iter().map(|s| s.name).collect();
    down_only(layout, &all)
}

/// Stops the servers named in `names` and leaves the others running (`cargo xtask test` stops
/// only what it started). The settings for the tests go once no server runs any more.
pub fn down_only(layout: &Layout, names: &[&str]) -> Result<(), String> {
    let chosen = |name: &str| names.contains(&name);
    let mut problems: Vec<String> = thread::scope(|scope| {
        let stopping: Vec<_> = SERVERS
            .iter()
            .filter(|s| s.name != rabbitmq::NAME && chosen(s.name))
            .map(|s| scope.spawn(move || stop(layout, s.name)))
            .collect();
        stopping
            .into_iter()
            .filter_map(|t| t.join().expect("a stop thread panicked").err())
            .collect()
    });
    if chosen(rabbitmq::NAME) {
        problems.extend(stop(layout, rabbitmq::NAME).err());
        problems.extend(rabbitmq::stop_epmd(layout).err());
    }
    if chosen(keystone::NAME) {
        let _ = std::fs::remove_file(layout.run("keystone.token-expiration"));
    }
    // The settings describe running servers; without them the tests skip instead of failing.
    // A full `down` removes them even when a server survived, as before.
    if SERVERS
        .iter()
        .all(|s| chosen(s.name) || process::recorded(layout, s.name).is_none())
    {
        for name in outputs::FILES {
            let _ = std::fs::remove_file(layout.file(name));
        }
        problems.extend(system_ca::remove(layout).err());
    }
    match problems.is_empty() {
        true => Ok(()),
        false => Err(problems.join("; ")),
    }
}

/// Stops one server if it runs, and forgets its PID.
fn stop(layout: &Layout, name: &str) -> Result<(), String> {
    let pid_file = layout.pid_file(name);
    let Some(pid) = process::recorded(layout, name) else {
        let _ = std::fs::remove_file(pid_file);
        return Ok(());
    };
    let stopped = match name {
        rabbitmq::NAME => rabbitmq::stop(layout, pid),
        _ => process::stop_group(pid),
    };
    stopped.map_err(|problem| {
        format!(
            "stopping {name}: {problem}; read {}",
            layout.log(name).display()
        )
    })?;
    let _ = std::fs::remove_file(pid_file);
    println!("{name} stopped");
    Ok(())
}
