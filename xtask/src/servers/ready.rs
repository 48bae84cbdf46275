//! Readiness: the check that tells a server is serving, and watching a server just started
//! until it passes.

use std::fs;
use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::path::Path;
use std::thread::{self, sleep, JoinHandle};
use std::time::Duration;

use super::http;
use super::process::Started;

/// How long a server may take to become ready after its start.
pub const TIMEOUT: Duration = Duration::from_secs(180);

/// How often a readiness check is repeated.
const POLL: Duration = Duration::from_millis(200);

/// How a server shows it is ready.
#[derive(Clone, Copy, Debug)]
pub enum Probe {
    /// `GET` on this URL answers with this status.
    Http(&'static str, u16),
    /// This TCP port on 127.0.0.1 accepts connections.
    Port(u16),
    /// The server's log contains this text (Watcher's decision engine and applier, whose
    /// start-up is finished only once they say so).
    LogLine(&'static str),
}

impl Probe {
    /// Whether the check passes now; `log` is the server's log file.
    pub fn passes(&self, log: &Path) -> bool {
        match *self {
            Probe::Http(url, status) => http::probe(url) == Some(status),
            Probe::Port(port) => {
                let address = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
                TcpStream::connect_timeout(&address, Duration::from_secs(1)).is_ok()
            }
            Probe::LogLine(text) => fs::read_to_string(log).is_ok_and(|l| l.contains(text)),
        }
    }

    /// What is checked, for messages.
    pub fn describe(&self) -> String {
        match self {
            Probe::Http(url, status) => format!("GET {url} answers {status}"),
            Probe::Port(port) => format!("127.0.0.1:{port} accepts connections"),
            Probe::LogLine(text) => format!("log says {text:?}"),
        }
    }
}

/// A server just started, watched on its own thread until it is ready, so that its start-up
/// time is measured when it happens, whatever `up` waits for meanwhile.
pub struct Watch {
    handle: JoinHandle<Result<(), String>>,
}

/// Watches `started` until `probe` passes and then runs `then` (a further readiness step, such
/// as `rabbitmqctl await_startup`); prints the start-up time once both are done.
pub fn watch(
    mut started: Started,
    probe: Probe,
    then: impl FnOnce() -> Result<(), String> + Send + 'static,
) -> Watch {
    let handle = thread::spawn(move || {
        wait(&mut started, &probe)?;
        then()?;
        println!(
            "{} ready in {:.1} s (pid {})",
            started.name,
            started.since.elapsed().as_secs_f64(),
            started.pid
        );
        Ok(())
    });
    Watch { handle }
}

impl Watch {
    /// Waits for the outcome.
    pub fn join(self) -> Result<(), String> {
        self.handle
            .join()
            .unwrap_or_else(|_| Err("a readiness thread panicked".to_string()))
    }
}

/// Waits until `probe` passes for a server just started. Fails, naming the server and its log,
/// when the process exits first or on [`TIMEOUT`].
fn wait(started: &mut Started, probe: &Probe) -> Result<(), String> {
    loop {
        if probe.passes(&started.log) {
            return Ok(());
        }
        if let Some(how) = started.exited() {
            return Err(format!(
                "{} exited ({how}) before it was ready; read {}",
                started.name,
                started.log.display()
            ));
        }
        if started.since.elapsed() > TIMEOUT {
            return Err(format!(
                "{} not ready after {} s (waited until {}); read {}",
                started.name,
                TIMEOUT.as_secs(),
                probe.describe(),
                started.log.display()
            ));
        }
        sleep(POLL);
    }
}
