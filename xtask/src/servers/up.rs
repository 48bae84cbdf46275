//! `cargo xtask servers up`: install, configure, initialise, start, seed, write the settings.
//!
//! Set-up runs in four parallel lines (Debian packages; the openstack virtualenv, then the
//! Keystone and Watcher databases; the monasca virtualenv, then its database; the clients
//! virtualenv); each skips what is already done. Servers then start as early as their dependencies allow:
//! InfluxDB, RabbitMQ, Keystone and the Watcher API at once; Monasca once InfluxDB has its
//! database; the Watcher engines once RabbitMQ has booted. A server that already runs is left
//! alone. Every start-up time is printed, measured from that server's own start.

use std::fs;
use std::process::Command;
use std::thread;
use std::time::Instant;

use super::layout::Layout;
use super::process;
use super::ready::{self, Probe, Watch};
use super::secrets::Secrets;
use super::{
    apache, apt, files, influxdb, keystone, monasca, oidc, outputs, proxy, rabbitmq, seed, status,
    system_ca, venv, watcher,
};
use super::{server, SERVERS};

/// Brings every server up; a no-op that prints the status when all of them run.
pub fn up(layout: &Layout, token_expiration: u32) -> Result<(), String> {
    let clock = Instant::now();
    layout.create()?;
    if SERVERS
        .iter()
        .all(|s| process::recorded(layout, s.name).is_some())
    {
        println!("all servers already run");
        note_token_expiration(layout, token_expiration);
        return match status::print(layout).as_slice() {
            [] => Ok(()),
            names => Err(format!("running but not ready: {}", names.join(", "))),
        };
    }
    let secrets = Secrets::load_or_create(layout)?;
    write_files(layout, &secrets, token_expiration)?;
    prepare(layout, &secrets)?;
    if system_ca::install(layout)? {
        println!("test CA put into the system trust store (a full `down` takes it out)");
    }
    start(layout, &secrets, token_expiration)?;
    println!(
        "all servers ready in {:.1} s; settings for the tests in {}",
        clock.elapsed().as_secs_f64(),
        layout.file("env.json").display()
    );
    Ok(())
}

/// Writes the Python helpers and every configuration file.
fn write_files(layout: &Layout, secrets: &Secrets, token_expiration: u32) -> Result<(), String> {
    files::write_shims(layout)?;
    influxdb::write_config(layout)?;
    rabbitmq::write_config(layout)?;
    keystone::write_config(layout, token_expiration)?;
    watcher::write_config(layout, secrets)?;
    oidc::write_files(layout)?;
    apache::write_config(layout, secrets)?;
    proxy::write_config(layout, secrets)?;
    monasca::write_config(layout, secrets)
}

/// Installs and initialises what is missing, in four parallel lines.
fn prepare(layout: &Layout, secrets: &Secrets) -> Result<(), String> {
    thread::scope(|scope| {
        let debian = scope.spawn(|| {
            timed("Debian packages installed", || apt::ensure(layout))?;
            timed("oidc-provider installed", || oidc::install(layout))
        });
        let openstack = scope.spawn(|| {
            timed("openstack virtualenv installed", || {
                venv::OPENSTACK.ensure(layout)
            })?;
            thread::scope(|scope| {
                let keystone = scope.spawn(|| {
                    timed("keystone database initialised", || {
                        keystone::init(layout, secrets)
                    })
                });
                let watcher = timed("watcher database initialised", || watcher::init(layout));
                join(keystone).and(watcher)
            })
        });
        let monasca = scope.spawn(|| {
            timed("monasca virtualenv installed", || {
                venv::MONASCA.ensure(layout)
            })?;
            timed("monasca database initialised", || monasca::init(layout))
        });
        let clients = scope.spawn(|| {
            timed("clients virtualenv installed", || {
                venv::CLIENTS.ensure(layout)
            })
        });
        join(debian)
            .and(join(openstack))
            .and(join(monasca))
            .and(join(clients))
    })
}

/// Starts every server that does not run, seeds Keystone and writes the settings.
fn start(layout: &Layout, secrets: &Secrets, token_expiration: u32) -> Result<(), String> {
    let epmd_was_running = rabbitmq::epmd_running();
    let influx = launch(layout, influxdb::NAME, influxdb::command, || Ok(()))?;
    let rabbit_layout = layout.clone();
    let rabbit = launch(layout, rabbitmq::NAME, rabbitmq::command, move || {
        rabbitmq::await_startup(&rabbit_layout, epmd_was_running)
    })?;
    let keystone = launch(layout, keystone::NAME, keystone::command, || Ok(()))?;
    if matches!(keystone, Launch::Started(_)) {
        let marker = layout.run("keystone.token-expiration");
        files::write(&marker, &token_expiration.to_string())?;
    }
    let watcher_api = launch(layout, watcher::API, watcher::api_command, || Ok(()))?;
    let provider = launch(
        layout,
        oidc::NAME,
        |layout| oidc::command(layout, secrets),
        || Ok(()),
    )?;

    let open_proxy = launch(
        layout,
        proxy::OPEN,
        |layout| proxy::command(layout, proxy::OPEN),
        || Ok(()),
    )?;
    let auth_proxy = launch(
        layout,
        proxy::AUTH,
        |layout| proxy::command(layout, proxy::AUTH),
        || Ok(()),
    )?;

    ready(layout, influx)?;
    influxdb::create_database()?;
    let monasca = launch(layout, monasca::NAME, monasca::command, || Ok(()))?;

    ready(layout, keystone)?;
    let clock = Instant::now();
    let (seeded, seeded_now) = seed::ensure(layout, secrets)?;
    if seeded_now {
        println!("keystone seeded in {:.1} s", clock.elapsed().as_secs_f64());
    }
    let apache = launch(layout, apache::NAME, apache::command, || Ok(()))?;
    ready(layout, provider)?;
    let clock = Instant::now();
    let (federation, federation_now) = seed::federation(layout, secrets)?;
    if federation_now {
        println!(
            "keystone federation seeded in {:.1} s",
            clock.elapsed().as_secs_f64()
        );
    }
    note_token_expiration(layout, token_expiration);
    let expiration = running_token_expiration(layout).unwrap_or(token_expiration);
    let mut seeded = seeded;
    seeded.extend(federation);
    outputs::write(layout, secrets, &seeded, expiration)?;

    ready(layout, rabbit)?;
    let engine = launch(
        layout,
        watcher::DECISION_ENGINE,
        watcher::decision_engine_command,
        || Ok(()),
    )?;
    let applier = launch(
        layout,
        watcher::APPLIER,
        watcher::applier_command,
        || Ok(()),
    )?;

    // Report every failure among the last ones, not only the first.
    let problems: Vec<String> = [
        watcher_api,
        monasca,
        engine,
        applier,
        apache,
        open_proxy,
        auth_proxy,
    ]
    .into_iter()
    .filter_map(|launch| ready(layout, launch).err())
    .collect();
    match problems.is_empty() {
        true => Ok(()),
        false => Err(problems.join("\nxtask: ")),
    }
}

/// A server that this run started (and watches until ready), or one that already ran.
enum Launch {
    Started(Watch),
    Running(&'static str, u32),
}

/// Starts the server `name` unless it runs, and watches it until it is ready (then `then`
/// runs); refuses when another process holds its port.
fn launch(
    layout: &Layout,
    name: &'static str,
    command: impl FnOnce(&Layout) -> Command,
    then: impl FnOnce() -> Result<(), String> + Send + 'static,
) -> Result<Launch, String> {
    if let Some(pid) = process::recorded(layout, name) {
        println!("{name} already runs (pid {pid})");
        return Ok(Launch::Running(name, pid));
    }
    if let Some(port) = server(name).port {
        if Probe::Port(port).passes(&layout.log(name)) {
            return Err(format!(
                "cannot start {name}: another process listens on 127.0.0.1:{port} \
                 (servers from another state directory? `cargo xtask servers down` there)"
            ));
        }
    }
    let started = process::spawn(layout, name, command(layout))?;
    Ok(Launch::Started(ready::watch(
        started,
        server(name).probe,
        then,
    )))
}

/// Waits until a server is ready; one that already ran must pass its check now.
fn ready(layout: &Layout, launch: Launch) -> Result<(), String> {
    match launch {
        Launch::Started(watch) => watch.join(),
        Launch::Running(name, pid) => {
            let probe = server(name).probe;
            match probe.passes(&layout.log(name)) {
                true => Ok(()),
                false => Err(format!(
                    "{name} runs (pid {pid}) but is not ready ({} fails); read {}",
                    probe.describe(),
                    layout.log(name).display()
                )),
            }
        }
    }
}

/// Runs one set-up step and prints how long it took when it did anything.
fn timed(what: &str, step: impl FnOnce() -> Result<bool, String>) -> Result<(), String> {
    let clock = Instant::now();
    if step()? {
        println!("{what} in {:.1} s", clock.elapsed().as_secs_f64());
    }
    Ok(())
}

fn join(handle: thread::ScopedJoinHandle<'_, Result<(), String>>) -> Result<(), String> {
    handle
        .join()
        .unwrap_or_else(|_| Err("a set-up thread panicked".to_string()))
}

/// The token lifetime the running Keystone was started with.
fn running_token_expiration(layout: &Layout) -> Option<u32> {
    fs::read_to_string(layout.run("keystone.token-expiration"))
        .ok()?
        .trim()
        .parse()
        .ok()
}

/// Says so when the running Keystone uses another token lifetime than the one asked for.
fn note_token_expiration(layout: &Layout, wanted: u32) {
    if let Some(running) = running_token_expiration(layout).filter(|&r| r != wanted) {
        println!(
            "note: keystone runs with {running} s tokens, not {wanted} s; \
             `cargo xtask servers down` first to change it"
        );
    }
}
