//! A loopback HTTP/1.1 server that answers each request with the next fault of its script:
//! an answer, a connection closed before any answer, a hang, a body sent a byte at a time, a
//! body cut off half-way, or a huge body. It records every request it reads, with the time
//! (tokio's clock, so a paused clock shows the client's delays exactly).

#![allow(dead_code)]

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::time::Instant;

/// What the server does with one request.
#[derive(Clone, Debug)]
pub enum Fault {
    /// An answer.
    Answer {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    /// The connection is closed after the request is read, before any answer.
    Close,
    /// The request is read and never answered.
    Hang,
    /// A 200 whose body comes one byte per `every`, forever.
    Trickle { every: Duration },
    /// A 200 that announces `length` bytes, sends half, and closes.
    CutOff { length: usize },
    /// A 200 with a body of `length` bytes, sent as a stream without a length.
    Huge { length: usize },
    /// An answer with this body, sent in chunks of at most 1 KiB without a length.
    Chunked { status: u16, body: Vec<u8> },
    /// An answer whose body never ends: chunks of 1,000 bytes (so no sum of them is a power of
    /// two), as fast as they are read.
    Endless { status: u16 },
    /// Another fault, after a delay.
    Delayed { delay: Duration, then: Box<Fault> },
}

impl Fault {
    pub fn status(status: u16) -> Fault {
        Fault::Answer {
            status,
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    pub fn json(status: u16, body: serde_json::Value) -> Fault {
        Fault::Answer {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.to_string().into_bytes(),
        }
    }

    /// The same answer with one more header.
    pub fn with_header(self, name: &str, value: &str) -> Fault {
        match self {
            Fault::Answer {
                status,
                mut headers,
                body,
            } => {
                headers.push((name.into(), value.into()));
                Fault::Answer {
                    status,
                    headers,
                    body,
                }
            }
            other => other,
        }
    }
}

/// One request as the server read it.
#[derive(Clone, Debug)]
pub struct Seen {
    pub method: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub at: Instant,
}

impl Seen {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Clone)]
pub struct FaultServer {
    pub url: String,
    script: Arc<Mutex<VecDeque<Fault>>>,
    /// Answered when the script is empty.
    fallback: Arc<Mutex<Fault>>,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl FaultServer {
    pub async fn start() -> FaultServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let server = FaultServer::unstarted(&format!("http://{}", listener.local_addr().unwrap()));
        server.listen(listener);
        server
    }

    /// A server at `url` that refuses connections until [`FaultServer::listen`].
    pub fn unstarted(url: &str) -> FaultServer {
        FaultServer {
            url: url.into(),
            script: Arc::default(),
            fallback: Arc::new(Mutex::new(Fault::status(200))),
            seen: Arc::default(),
        }
    }

    /// Starts answering on `listener`.
    pub fn listen(&self, listener: TcpListener) {
        let state = self.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(state.clone().serve(stream));
            }
        });
    }

    /// Queues faults for the next requests, in order.
    pub fn script(&self, faults: impl IntoIterator<Item = Fault>) {
        self.script.lock().unwrap().extend(faults);
    }

    /// What every request gets once the script is used up.
    pub fn otherwise(&self, fault: Fault) {
        *self.fallback.lock().unwrap() = fault;
    }

    /// The requests read so far.
    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    /// Forgets the requests read so far and the rest of the script.
    pub fn reset(&self) {
        self.seen.lock().unwrap().clear();
        self.script.lock().unwrap().clear();
    }

    async fn serve(self, mut stream: TcpStream) {
        let mut buffer = Vec::new();
        loop {
            let Some(seen) = read_request(&mut stream, &mut buffer).await else {
                return;
            };
            self.seen.lock().unwrap().push(seen);
            let fault = self
                .script
                .lock()
                .unwrap()
                .pop_front()
                .unwrap_or_else(|| self.fallback.lock().unwrap().clone());
            if !answer(&mut stream, fault).await {
                return;
            }
        }
    }
}

/// Answers; returns whether the connection can take another request.
async fn answer(stream: &mut TcpStream, fault: Fault) -> bool {
    match fault {
        Fault::Delayed { delay, then } => {
            tokio::time::sleep(delay).await;
            Box::pin(answer(stream, *then)).await
        }
        Fault::Answer {
            status,
            headers,
            body,
        } => {
            let mut head = format!("HTTP/1.1 {status} X\r\ncontent-length: {}\r\n", body.len());
            for (name, value) in headers {
                head.push_str(&format!("{name}: {value}\r\n"));
            }
            head.push_str("\r\n");
            let mut bytes = head.into_bytes();
            bytes.extend_from_slice(&body);
            stream.write_all(&bytes).await.is_ok()
        }
        Fault::Close => false,
        Fault::Hang => {
            tokio::time::sleep(Duration::from_secs(24 * 3600)).await;
            false
        }
        Fault::Trickle { every } => {
            let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
            if stream.write_all(head.as_bytes()).await.is_err() {
                return false;
            }
            loop {
                tokio::time::sleep(every).await;
                if stream.write_all(b"1\r\n \r\n").await.is_err() {
                    return false;
                }
            }
        }
        Fault::CutOff { length } => {
            let head = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {length}\r\n\r\n"
            );
            let _ = stream.write_all(head.as_bytes()).await;
            let _ = stream.write_all(&vec![b' '; length / 2]).await;
            let _ = stream.flush().await;
            false
        }
        Fault::Huge { length } => {
            let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
            if stream.write_all(head.as_bytes()).await.is_err() {
                return false;
            }
            let chunk = vec![b' '; 64 * 1024];
            let mut left = length;
            while left > 0 {
                let n = left.min(chunk.len());
                let framed = [format!("{n:x}\r\n").as_bytes(), &chunk[..n], b"\r\n"].concat();
                if stream.write_all(&framed).await.is_err() {
                    return false;
                }
                left -= n;
            }
            stream.write_all(b"0\r\n\r\n").await.is_ok()
        }
        Fault::Chunked { status, body } => {
            let head = format!("HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n");
            let mut bytes = head.into_bytes();
            for chunk in body.chunks(1024) {
                bytes.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
                bytes.extend_from_slice(chunk);
                bytes.extend_from_slice(b"\r\n");
            }
            bytes.extend_from_slice(b"0\r\n\r\n");
            stream.write_all(&bytes).await.is_ok()
        }
        Fault::Endless { status } => {
            let head = format!("HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n");
            if stream.write_all(head.as_bytes()).await.is_err() {
                return false;
            }
            let framed = [b"3e8\r\n".as_slice(), &[b'x'; 1000], b"\r\n"].concat();
            while stream.write_all(&framed).await.is_ok() {}
            false
        }
    }
}

/// Reads one request (head and `content-length` body); `None` when the client closed.
async fn read_request(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Option<Seen> {
    let head_end = loop {
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break end + 4;
        }
        let mut chunk = [0u8; 8192];
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next()?.split(' ');
    let method = request_line.next()?.to_string();
    let path = request_line.next()?.to_string();
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    while buffer.len() < head_end + length {
        let mut chunk = [0u8; 8192];
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..n]);
    }
    let body = buffer[head_end..head_end + length].to_vec();
    buffer.drain(..head_end + length);
    Some(Seen {
        method,
        path,
        headers,
        body,
        at: Instant::now(),
    })
}
