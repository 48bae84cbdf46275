//! The cost of the retry layer on the happy path: the same calls to a loopback server that
//! always answers 200, with retries on (the default policy) and off, and, for scale, raw
//! `reqwest` decoding into the same generated type.

use std::time::Duration;

use opsclient::RetryPolicy;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

use crate::measure::{Report, Way};

/// A keep-alive HTTP/1.1 server that answers every request with the same small list, at as
/// little cost as it can, so that the client is what is measured.
async fn canned_server(body: &'static [u8]) -> String {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a loopback port");
    let url = format!("http://{}", listener.local_addr().expect("an address"));
    let answer: &'static [u8] = Box::leak(
        [
            format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
                body.len()
            )
            .as_bytes(),
            body,
        ]
        .concat()
        .into_boxed_slice(),
    );
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut buffer = vec![0u8; 16 * 1024];
                let mut filled = 0;
                loop {
                    match stream.read(&mut buffer[filled..]).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => filled += n,
                    }
                    // Requests here have no body: each ends with an empty line.
                    while let Some(end) = buffer[..filled].windows(4).position(|w| w == b"\r\n\r\n")
                    {
                        buffer.copy_within(end + 4..filled, 0);
                        filled -= end + 4;
                        if stream.write_all(answer).await.is_err() {
                            return;
                        }
                    }
                }
            });
        }
    });
    url
}

pub fn run(report: &mut Report, rounds: usize) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let body: &'static [u8] = br#"[{"name":"default"},{"name":"ops"},{"name":"sybil"}]"#;
    let url = runtime.block_on(canned_server(body));
    let client = |retry: RetryPolicy| {
        opsclient::sensu::Client::builder()
            .url(&url)
            .api_key("k")
            .retry(retry)
            .timeout(Duration::from_secs(30))
            .build()
            .expect("a client")
    };
    let (with, without) = (
        client(RetryPolicy::default()),
        client(RetryPolicy::disabled()),
    );
    let http = reqwest::Client::new();
    let list_url = format!("{url}/api/core/v2/namespaces");
    let raw = || {
        runtime.block_on(async {
            let mut total = 0;
            for _ in 0..100 {
                let body = http
                    .get(&list_url)
                    .header("authorization", "Key k")
                    .send()
                    .await
                    .expect("the server answers")
                    .bytes()
                    .await
                    .expect("a body");
                let list: Vec<opsclient::sensu::types::Namespace> =
                    serde_json::from_slice(&body).expect("a list");
                total += list.len();
            }
            total
        })
    };
    let calls = |client: &opsclient::sensu::Client| {
        runtime.block_on(async {
            let mut total = 0;
            for _ in 0..100 {
                total += client
                    .list_namespaces()
                    .send()
                    .await
                    .expect("the server answers")
                    .len();
            }
            total
        })
    };
    report.scenario(
        "100 sequential Sensu list calls, every one answered 200",
        rounds,
        1,
        &mut [
            Way {
                name: "retries off",
                work: Box::new(|| calls(&without)),
            },
            Way {
                name: "retries on (default policy)",
                work: Box::new(|| calls(&with)),
            },
            Way {
                name: "raw reqwest, same type",
                work: Box::new(raw),
            },
        ],
    );
}
