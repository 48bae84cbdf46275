//! Scale properties, reported beside the timings: 1,000 concurrent calls across an
//! access-token expiry make exactly one refresh and no failure; streaming 100,000 Sensu
//! entities in pages of 500 peaks at little more memory than holding one page.

use std::time::{SystemTime, UNIX_EPOCH};

use futures::future::join_all;
use futures::StreamExt;
use opsclient::prelude::*;
use serde_json::json;

use crate::server::{serve, Route};

/// How many calls run at once across the expiry.
const CALLS: usize = 1000;

/// Refreshes and failures of `CALLS` concurrent calls made just after the login token went
/// stale; panics unless exactly one refresh served them all.
pub fn refresh_under_load() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    // The login's token has expired by the time it arrives, so the next calls must renew it (a
    // token that is merely short-lived is renewed only halfway through its life); the
    // refreshed one lasts.
    let login = json!({"access_token": "first", "refresh_token": "r1", "expires_at": now - 1});
    let refreshed =
        json!({"access_token": "second", "refresh_token": "r2", "expires_at": now + 3600});
    let server = runtime.block_on(serve(vec![
        Route::json(
            "GET",
            "/auth",
            200,
            serde_json::to_vec(&login).expect("encodes"),
        ),
        Route::json(
            "POST",
            "/auth/token",
            200,
            serde_json::to_vec(&refreshed).expect("encodes"),
        ),
        Route::json(
            "GET",
            "/api/core/v2/namespaces",
            200,
            br#"[{"name":"default"}]"#.to_vec(),
        ),
    ]));
    let client = opsclient::sensu::Client::builder()
        .url(&server.url)
        .credentials("admin", "P@ssw0rd!")
        .build()
        .expect("a client");
    let failures = runtime.block_on(async {
        client.login("admin", "P@ssw0rd!").await.expect("the login");
        let calls = (0..CALLS).map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.list_namespaces().send().await })
        });
        join_all(calls)
            .await
            .into_iter()
            .filter(|call| !matches!(call, Ok(Ok(_))))
            .count()
    });
    let refreshes = server.hits(1);
    println!(
        "\nscale: {CALLS} concurrent calls across an access-token expiry: {refreshes} refresh, {failures} failures"
    );
    assert_eq!(
        (refreshes, failures),
        (1, 0),
        "single-flight refresh under load"
    );
}

/// Entities per page of the streaming property.
const PAGE: usize = 500;

/// Pages streamed: 100,000 entities.
const PAGES: usize = 200;

/// What a memory probe does, in a process of its own so that its peak is its own.
#[derive(Clone, Copy)]
pub enum Probe {
    /// Starts the server and the client, and does nothing else.
    Idle,
    /// Fetches one page of 500 entities and holds it.
    OnePage,
    /// Streams every entity of `PAGES` pages, one at a time.
    Stream,
}

impl Probe {
    pub fn name(self) -> &'static str {
        match self {
            Probe::Idle => "idle",
            Probe::OnePage => "one-page",
            Probe::Stream => "stream",
        }
    }

    pub fn from_name(name: &str) -> Option<Probe> {
        [Probe::Idle, Probe::OnePage, Probe::Stream]
            .into_iter()
            .find(|p| p.name() == name)
    }
}

/// Runs `probe` against a paging server of `pages` pages; the entities it saw.
pub fn run_probe(probe: Probe, pages: usize) -> usize {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let server = serve(vec![Route::paged(
            "/api/core/v2/namespaces/big/entities",
            crate::http::entity_list(PAGE),
            pages,
        )])
        .await;
        let client = opsclient::sensu::Client::builder()
            .url(&server.url)
            .api_key("bench")
            .build()
            .expect("a client");
        match probe {
            Probe::Idle => 0,
            Probe::OnePage => {
                let page = client
                    .list_entities()
                    .namespace("big")
                    .limit(PAGE as i64)
                    .send()
                    .await
                    .expect("a page");
                std::hint::black_box(&page);
                page.len()
            }
            Probe::Stream => {
                let mut entities = client.list_entities().namespace("big").stream(PAGE as u64);
                let mut seen = 0;
                while let Some(entity) = entities.next().await {
                    std::hint::black_box(entity.expect("an entity"));
                    seen += 1;
                }
                seen
            }
        }
    })
}

/// This process's peak resident set, in KiB (Linux's `VmHWM`).
pub fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

/// Streaming 100,000 entities against holding one page: each probe's peak resident set, from
/// a process of its own. With `short`, the stream runs in this process over 3 pages and only
/// its count is checked.
pub fn stream_memory(short: bool) {
    if short {
        assert_eq!(
            run_probe(Probe::Stream, 3),
            3 * PAGE,
            "every entity streamed"
        );
        assert_eq!(run_probe(Probe::OnePage, 3), PAGE, "one page");
        return;
    }
    let exe = std::env::current_exe().expect("the benchmark binary");
    let peak = |probe: Probe| -> u64 {
        let output = std::process::Command::new(&exe)
            .args(["--probe", probe.name()])
            .output()
            .expect("the probe runs");
        assert!(output.status.success(), "the {} probe failed", probe.name());
        String::from_utf8_lossy(&output.stdout)
            .trim()
            .parse()
            .expect("the probe's peak")
    };
    let (idle, page, stream) = (peak(Probe::Idle), peak(Probe::OnePage), peak(Probe::Stream));
    let mib = |kib: u64| kib as f64 / 1024.0;
    println!(
        "\nscale: streaming {} Sensu entities in pages of {PAGE}: peak RSS {:.1} MiB against {:.1} MiB \
         holding one page (x{:.2}); above the process's own {:.1} MiB (server, client, runtime): \
         {:.1} MiB against {:.1} MiB (x{:.2})",
        PAGE * PAGES,
        mib(stream),
        mib(page),
        stream as f64 / page as f64,
        mib(idle),
        mib(stream.saturating_sub(idle)),
        mib(page.saturating_sub(idle)),
        stream.saturating_sub(idle) as f64 / page.saturating_sub(idle).max(1) as f64,
    );
}

/// The probe's side: runs it and prints the peak resident set in KiB.
pub fn probe_main(probe: Probe) {
    let seen = run_probe(probe, PAGES);
    match probe {
        Probe::Idle => {}
        Probe::OnePage => assert_eq!(seen, PAGE),
        Probe::Stream => assert_eq!(seen, PAGE * PAGES),
    }
    println!("{}", peak_rss_kib());
}
