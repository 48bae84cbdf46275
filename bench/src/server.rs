//! A keep-alive HTTP/1.1 server on 127.0.0.1 that answers from canned responses, at as little
//! cost as it can, so that the client is what is measured. It can also gzip its answers, once
//! before serving, for clients that accept gzip, as a web server in front of an API does.

use std::borrow::Cow;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use std::io::Write;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// One canned answer: for `method` on `path` (exact, without the query), `status` with `body`.
pub struct Route {
    pub method: &'static str,
    pub path: String,
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
    /// Sensu paging: the same body is every one of `pages` pages, each naming the next in
    /// `Sensu-Continue` after the request's `continue` (none: the first page).
    pub pages: Option<usize>,
}

impl Route {
    pub fn json(
        method: &'static str,
        path: impl Into<String>,
        status: u16,
        body: Vec<u8>,
    ) -> Route {
        Route {
            method,
            path: path.into(),
            status,
            headers: vec![("content-type", "application/json".into())],
            body,
            pages: None,
        }
    }

    /// `pages` pages of `body` on `GET path`, linked by `Sensu-Continue`.
    pub fn paged(path: impl Into<String>, body: Vec<u8>, pages: usize) -> Route {
        Route {
            pages: Some(pages),
            ..Route::json("GET", path, 200, body)
        }
    }

    /// The status line and headers of `body`, with `Sensu-Continue: next` when there is a
    /// next page.
    fn head(&self, body: &Body, next: Option<usize>) -> Vec<u8> {
        let mut head = format!(
            "HTTP/1.1 {} X\r\ncontent-length: {}\r\n",
            self.status,
            body.bytes.len()
        );
        for (name, value) in &self.headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        if body.gzipped {
            head.push_str("content-encoding: gzip\r\n");
        }
        if let Some(next) = next {
            head.push_str(&format!("sensu-continue: {next}\r\n"));
        }
        head.push_str("\r\n");
        head.into_bytes()
    }

    /// The answer to `target` (path and query) with `body`, as its head and the rest: canned
    /// whole, or the page it asks for.
    fn answer_to<'a>(&'a self, body: &'a Body, target: &str) -> (Cow<'a, [u8]>, &'a [u8]) {
        let Some(pages) = self.pages else {
            return (body.whole.as_slice().into(), &[]);
        };
        let page: usize = target
            .split_once('?')
            .map(|(_, query)| query)
            .unwrap_or("")
            .split('&')
            .find_map(|pair| pair.strip_prefix("continue="))
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        let next = (page + 1 < pages).then_some(page + 1);
        (self.head(body, next).into(), &body.bytes)
    }
}

/// A route's body as it is sent, and, unless the route is paged, the whole answer canned.
struct Body {
    bytes: Vec<u8>,
    gzipped: bool,
    whole: Vec<u8>,
}

impl Body {
    fn new(route: &Route, bytes: Vec<u8>, gzipped: bool) -> Body {
        let mut body = Body {
            bytes,
            gzipped,
            whole: Vec::new(),
        };
        if route.pages.is_none() {
            body.whole = [route.head(&body, None), body.bytes.clone()].concat();
        }
        body
    }
}

/// A route's answers: as they are and, when the server compresses, gzipped.
struct Canned {
    route: Route,
    plain: Body,
    gzipped: Option<Body>,
}

/// Bodies smaller than this are sent as they are, as web servers do.
const GZIP_FROM: usize = 1024;

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).expect("gzip into memory");
    encoder.finish().expect("gzip into memory")
}

/// Whether a request head accepts gzip.
fn accepts_gzip(head: &str) -> bool {
    head.lines()
        .filter_map(|l| l.split_once(':'))
        .any(|(name, value)| {
            name.eq_ignore_ascii_case("accept-encoding")
                && value.split(',').any(|coding| coding.trim() == "gzip")
        })
}

/// A running server: its URL, how many requests each route answered, and how many answers
/// went gzipped.
pub struct Server {
    pub url: String,
    pub hits: Arc<Vec<AtomicUsize>>,
    gzipped: Arc<AtomicUsize>,
}

impl Server {
    /// Requests answered by route `index`.
    pub fn hits(&self, index: usize) -> usize {
        self.hits[index].load(Ordering::Relaxed)
    }

    /// Answers sent gzipped.
    pub fn gzipped(&self) -> usize {
        self.gzipped.load(Ordering::Relaxed)
    }
}

const NOT_FOUND: &[u8] = b"HTTP/1.1 404 X\r\ncontent-length: 0\r\n\r\n";

/// Serves `routes` on the current runtime until it ends.
pub async fn serve(routes: Vec<Route>) -> Server {
    serve_compressed(routes, false).await
}

/// Serves `routes` on the current runtime until it ends; with `gzip`, bodies of 1 KiB or more
/// go gzipped to the requests that accept it.
pub async fn serve_compressed(routes: Vec<Route>, gzip_bodies: bool) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a loopback port");
    let url = format!("http://{}", listener.local_addr().expect("an address"));
    let table: Arc<Vec<Canned>> = Arc::new(
        routes
            .into_iter()
            .map(|route| {
                let gzipped = (gzip_bodies && route.body.len() >= GZIP_FROM)
                    .then(|| Body::new(&route, gzip(&route.body), true));
                let plain = Body::new(&route, route.body.clone(), false);
                Canned {
                    route,
                    plain,
                    gzipped,
                }
            })
            .collect(),
    );
    let hits: Arc<Vec<AtomicUsize>> = Arc::new(table.iter().map(|_| AtomicUsize::new(0)).collect());
    let counters = hits.clone();
    let gzipped = Arc::new(AtomicUsize::new(0));
    let gzipped_count = gzipped.clone();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let _ = stream.set_nodelay(true);
            let table = table.clone();
            let hits = counters.clone();
            let gzipped = gzipped_count.clone();
            tokio::spawn(async move {
                let mut buffer: Vec<u8> = Vec::with_capacity(64 * 1024);
                let mut chunk = vec![0u8; 64 * 1024];
                loop {
                    let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") else {
                        match stream.read(&mut chunk).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
                        }
                        continue;
                    };
                    let head = String::from_utf8_lossy(&buffer[..end]).into_owned();
                    let length = head
                        .lines()
                        .filter_map(|l| l.split_once(':'))
                        .find(|(name, _)| name.eq_ignore_ascii_case("content-length"))
                        .and_then(|(_, v)| v.trim().parse::<usize>().ok())
                        .unwrap_or(0);
                    // The request body is read and dropped.
                    while buffer.len() < end + 4 + length {
                        match stream.read(&mut chunk).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
                        }
                    }
                    buffer.drain(..end + 4 + length);
                    let mut words = head.split(' ');
                    let (method, target) = (words.next().unwrap_or(""), words.next().unwrap_or(""));
                    let path = target.split('?').next().unwrap_or("");
                    let answer = match table
                        .iter()
                        .position(|c| c.route.method == method && c.route.path == path)
                    {
                        Some(i) => {
                            hits[i].fetch_add(1, Ordering::Relaxed);
                            let canned = &table[i];
                            let body = match &canned.gzipped {
                                Some(body) if accepts_gzip(&head) => {
                                    gzipped.fetch_add(1, Ordering::Relaxed);
                                    body
                                }
                                _ => &canned.plain,
                            };
                            canned.route.answer_to(body, target)
                        }
                        None => (NOT_FOUND.into(), &[][..]),
                    };
                    for part in [&answer.0[..], answer.1] {
                        if !part.is_empty() && stream.write_all(part).await.is_err() {
                            return;
                        }
                    }
                }
            });
        }
    });
    Server { url, hits, gzipped }
}
