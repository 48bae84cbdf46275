//! Scale properties, reported beside the timings: 1,000 concurrent calls across an
//! access-token expiry make exactly one refresh and no failure.

use std::time::{SystemTime, UNIX_EPOCH};

use futures::future::join_all;
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
    // The login's token is within the renewal margin from the start; the refreshed one lasts.
    let login = json!({"access_token": "first", "refresh_token": "r1", "expires_at": now + 2});
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
