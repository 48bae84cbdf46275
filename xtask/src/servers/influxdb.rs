//! InfluxDB 1.x from Debian, the metrics store behind Monasca, on 127.0.0.1:8086.

use std::process::Command;

use super::files;
use super::http;
use super::layout::Layout;
use super::ready::Probe;

pub const NAME: &str = "influxdb";
pub const PROBE: Probe = Probe::Http("http://127.0.0.1:8086/ping", 204);

const TEMPLATE: &str = include_str!("../../servers/influxdb.conf");

/// The database Monasca reads and writes.
const DATABASE: &str = "mon";

fn config(layout: &Layout) -> std::path::PathBuf {
    layout.etc("influxdb.conf")
}

/// Writes `etc/influxdb.conf`.
pub fn write_config(layout: &Layout) -> Result<(), String> {
    let state = layout.root().to_string_lossy();
    files::write(
        &config(layout),
        &files::render(TEMPLATE, &[("STATE_DIR", &state)]),
    )
}

/// The server's command line.
pub fn command(layout: &Layout) -> Command {
    let mut command = Command::new("influxd");
    command.arg("-config").arg(config(layout));
    command
}

/// Creates Monasca's database (a no-op when it exists).
pub fn create_database() -> Result<(), String> {
    let reply = http::post_text(
        "http://127.0.0.1:8086/query",
        &format!("q=CREATE+DATABASE+{DATABASE}"),
    )?;
    match reply.status {
        200 if !reply.body.contains("\"error\"") => Ok(()),
        status => Err(format!(
            "creating InfluxDB database {DATABASE} failed: {status} {}",
            reply.body
        )),
    }
}
