//! The settings of the real servers that `cargo xtask servers up` starts (`env.json` of its
//! state directory), and whether the tests that use them run, skip or fail.
//!
//! Plain `cargo test` skips them, with a note, when the file is absent or its servers do not
//! answer. `cargo xtask test` sets `OPSCLIENT_REAL_SERVERS=required` once it has the servers up:
//! then a missing or unreadable file, or a server that does not answer, fails the test with a
//! message that says what is wrong. Shared by the library's and the CLI's tests.

#![allow(dead_code)]

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::path::Path;
use std::sync::OnceLock;
use std::time::Duration;

/// The variable that makes the real servers required, and its value.
pub const REQUIRED_VAR: &str = "OPSCLIENT_REAL_SERVERS";
pub const REQUIRED: &str = "required";

/// How long a server may take to accept a connection or answer a request.
const PROBE_TIMEOUT: Duration = Duration::from_secs(5);

/// Whether this run requires the real servers (`OPSCLIENT_REAL_SERVERS=required`).
pub fn required() -> bool {
    std::env::var(REQUIRED_VAR).is_ok_and(|value| value == REQUIRED)
}

/// What a test does about the real servers.
#[derive(Clone, Debug, PartialEq)]
pub enum Verdict {
    /// They answer: run, with these settings.
    Run(HashMap<String, String>),
    /// They are not there and not required: skip, for this reason.
    Skip(String),
    /// They are required and not usable, or their settings are broken: fail, for this reason.
    Fail(String),
}

/// The settings for `test`: `Some` when the servers are there; `None`, with a note on stderr,
/// when they are not and not required. Panics with the reason when they are required and not
/// usable, or when the file is there but is not a JSON object.
pub fn for_test(test: &str, file: &Path) -> Option<HashMap<String, String>> {
    // Probing is done once per test binary; every test of it gets the same verdict.
    static VERDICT: OnceLock<Verdict> = OnceLock::new();
    match VERDICT.get_or_init(|| load(file, required())) {
        Verdict::Run(vars) => Some(vars.clone()),
        Verdict::Skip(why) => {
            eprintln!(
                "{test}: skipped, no real OpenStack servers: {why} (run `cargo xtask servers up`)"
            );
            None
        }
        Verdict::Fail(problem) => panic!("{test}: {problem}"),
    }
}

/// Reads `file` and checks that every server it names answers. Without the servers: skip when
/// they are not `required`, fail when they are. A file that is not a JSON object of settings
/// fails either way.
pub fn load(file: &Path, required: bool) -> Verdict {
    let without_servers = |why: String| match required {
        false => Verdict::Skip(why),
        true => Verdict::Fail(format!(
            "{REQUIRED_VAR}={REQUIRED} (set by `cargo xtask test`), but {why}"
        )),
    };
    let text = match std::fs::read_to_string(file) {
        Ok(text) => text,
        Err(e) => {
            return without_servers(format!(
                "the real servers' settings {} cannot be read: {e}",
                file.display()
            ))
        }
    };
    let vars = match parse(&text) {
        Ok(vars) => vars,
        Err(e) => return Verdict::Fail(format!("{} is not usable: {e}", file.display())),
    };
    for url in vars.values().filter(|v| v.starts_with("http")) {
        if let Err(problem) = answers(url) {
            return without_servers(format!(
                "a server named in {} does not answer: {problem}",
                file.display()
            ));
        }
    }
    Verdict::Run(vars)
}

/// `env.json`: an object whose values are strings (others are kept as their JSON text).
fn parse(text: &str) -> Result<HashMap<String, String>, String> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let object = value.as_object().ok_or("not a JSON object")?;
    Ok(object
        .iter()
        .map(|(k, v)| {
            let text = v
                .as_str()
                .map(str::to_string)
                .unwrap_or_else(|| v.to_string());
            (k.clone(), text)
        })
        .collect())
}

/// Whether the server at `url` answers: an `http://` URL must answer a `GET` with any HTTP
/// status; for `https://` the port must accept a connection.
pub fn answers(url: &str) -> Result<(), String> {
    let (scheme, rest) = url
        .split_once("://")
        .ok_or_else(|| format!("{url}: no scheme"))?;
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let default_port = if scheme == "https" { 443 } else { 80 };
    let address = if authority.contains(':') {
        authority.to_string()
    } else {
        format!("{authority}:{default_port}")
    };
    let socket: SocketAddr = address
        .to_socket_addrs()
        .map_err(|e| format!("{url}: {e}"))?
        .next()
        .ok_or_else(|| format!("{url}: no address"))?;
    let mut stream = TcpStream::connect_timeout(&socket, PROBE_TIMEOUT)
        .map_err(|e| format!("{url}: cannot connect ({e})"))?;
    if scheme != "http" {
        return Ok(());
    }
    // One write: a server may answer and close as soon as it has read a first part.
    let request = format!("GET {path} HTTP/1.0\r\nHost: {authority}\r\nConnection: close\r\n\r\n");
    stream
        .set_read_timeout(Some(PROBE_TIMEOUT))
        .and_then(|()| stream.set_write_timeout(Some(PROBE_TIMEOUT)))
        .and_then(|()| stream.write_all(request.as_bytes()))
        .map_err(|e| format!("{url}: cannot send a request ({e})"))?;
    let mut start = [0u8; 12];
    stream
        .read_exact(&mut start)
        .map_err(|e| format!("{url}: no answer ({e})"))?;
    match start.starts_with(b"HTTP/") {
        true => Ok(()),
        false => Err(format!("{url}: the answer is not HTTP")),
    }
}
