//! The cost of the retry layer on the happy path: the same calls to a loopback server that
//! always answers 200, with retries on (the default policy) and off, and, for scale, raw
//! `reqwest` decoding into the same generated type.

use std::time::Duration;

use crate::measure::{Report, Way};
use crate::server::{serve, Route};
use opsclient::RetryPolicy;

pub fn run(report: &mut Report, rounds: usize) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let body = br#"[{"name":"default"},{"name":"ops"},{"name":"sybil"}]"#.to_vec();
    let server = runtime.block_on(serve(vec![Route::json(
        "GET",
        "/api/core/v2/namespaces",
        200,
        body,
    )]));
    let url = server.url;
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
