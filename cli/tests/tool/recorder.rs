//! A recording forwarder: an HTTP/1.1 reverse proxy on 127.0.0.1 that records each request's
//! method, path, query and JSON body, forwards it to one real service, and hands the answer
//! back. Pointing two clients' service endpoint at it shows what each sends.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use serde_json::Value;

/// One request as it reached the forwarder.
#[derive(Clone, Debug, PartialEq)]
pub struct Request {
    pub method: String,
    /// The path, without the query.
    pub path: String,
    /// The query's pairs, percent-decoded, in the order sent.
    pub query: Vec<(String, String)>,
    /// The body, when there is one (JSON, or the text when it is not).
    pub body: Option<Value>,
}

/// Most bytes of a request head or body, and of an answer, the forwarder takes.
const LIMIT: u64 = 16 * 1024 * 1024;

/// The forwarder; stops when dropped.
pub struct Recorder {
    port: u16,
    requests: Arc<Mutex<Vec<Request>>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Recorder {
    /// Forwards to `upstream` (`127.0.0.1:9322`).
    pub fn start(upstream: &str) -> Recorder {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a port for the forwarder");
        let port = listener.local_addr().unwrap().port();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let (requests, stop, upstream) = (requests.clone(), stop.clone(), upstream.to_string());
            std::thread::spawn(move || {
                for stream in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(stream) = stream else { continue };
                    let (requests, upstream) = (requests.clone(), upstream.clone());
                    std::thread::spawn(move || {
                        if let Err(e) = forward(stream, &upstream, &requests) {
                            eprintln!("forwarder: {e}");
                        }
                    });
                }
            })
        };
        Recorder {
            port,
            requests,
            stop,
            thread: Some(thread),
        }
    }

    /// The forwarder's URL, with `path` (`/v2.0`).
    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// The requests recorded since the last call.
    pub fn take(&self) -> Vec<Request> {
        std::mem::take(&mut *self.requests.lock().unwrap())
    }
}

impl Drop for Recorder {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wakes the accept loop so it sees the stop.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn decode(text: &str) -> String {
    let bytes = text.replace('+', " ").into_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Reads a head (up to the empty line) and its body (by Content-Length).
fn read_message(reader: &mut impl BufRead) -> std::io::Result<Option<(Vec<String>, Vec<u8>)>> {
    let mut lines = Vec::new();
    loop {
        let mut line = String::new();
        if reader.by_ref().take(LIMIT).read_line(&mut line)? == 0 {
            return Ok(if lines.is_empty() {
                None
            } else {
                Some((lines, Vec::new()))
            });
        }
        let line = line.trim_end_matches(['\r', '\n']).to_string();
        if line.is_empty() {
            break;
        }
        lines.push(line);
    }
    let length = lines
        .iter()
        .find_map(|l| {
            let (name, value) = l.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse::<u64>().ok())?
        })
        .unwrap_or(0)
        .min(LIMIT);
    let mut body = vec![0; length as usize];
    reader.read_exact(&mut body)?;
    Ok(Some((lines, body)))
}

/// The head with its `Connection` header made `close`.
fn closing(lines: &[String]) -> Vec<u8> {
    let mut out = String::new();
    for line in lines {
        if line
            .split_once(':')
            .is_some_and(|(name, _)| name.eq_ignore_ascii_case("connection"))
        {
            continue;
        }
        out.push_str(line);
        out.push_str("\r\n");
    }
    out.push_str("Connection: close\r\n\r\n");
    out.into_bytes()
}

fn forward(
    client: TcpStream,
    upstream: &str,
    requests: &Mutex<Vec<Request>>,
) -> std::io::Result<()> {
    client.set_read_timeout(Some(Duration::from_secs(120)))?;
    let mut reader = BufReader::new(client.try_clone()?);
    let Some((head, body)) = read_message(&mut reader)? else {
        return Ok(());
    };
    let mut parts = head[0].split(' ');
    let method = parts.next().unwrap_or_default().to_string();
    let target = parts.next().unwrap_or_default();
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let query = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect();
    let recorded_body = (!body.is_empty()).then(|| {
        serde_json::from_slice(&body)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&body).into_owned()))
    });
    requests.lock().unwrap().push(Request {
        method,
        path: decode(path),
        query,
        body: recorded_body,
    });

    let mut server = TcpStream::connect(upstream)?;
    server.set_read_timeout(Some(Duration::from_secs(120)))?;
    server.write_all(&closing(&head))?;
    server.write_all(&body)?;
    let mut answer = Vec::new();
    server.take(LIMIT).read_to_end(&mut answer)?;
    // The answer's head gets `Connection: close` too: the client opens a new connection next time.
    let split = answer
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or(answer.len());
    let head: Vec<String> = String::from_utf8_lossy(&answer[..split])
        .lines()
        .map(str::to_string)
        .collect();
    let mut client = client;
    client.write_all(&closing(&head))?;
    client.write_all(answer.get(split + 4..).unwrap_or_default())?;
    client.flush()?;
    client.shutdown(Shutdown::Both)
}
