//! The cost of the layer on the wire: the same calls to a loopback server that answers from
//! canned bodies (the fixtures' payloads, replicated to size), three ways:
//! (a) the opsclient call as a user writes it;
//! (b) raw `reqwest` decoding into the same generated type, which isolates the layer's cost;
//! (c) raw `reqwest` into `serde_json::Value`, as a generic client does;
//! (d) on the reads, raw `reqwest` into a plain `#[derive(Deserialize)]` type with the same
//! fields and no capture of unknown ones, which shows what the lossless types cost;
//! each at concurrency 1 and 16. Bodies to send are cloned by every way, as (a) takes them by
//! value. With `--short`, every way runs once and its answer is checked.
//!
//! With compression (`--compression`), the server gzips every answer of 1 KiB or more for the
//! clients that accept it, and every way accepts it and decodes (the scenarios' names end in
//! `gzip`); without, no way asks for it and the server sends every body as it is.

use std::future::Future;

use futures::future::join_all;
use opsclient::openstack::Cloud;
use serde::de::DeserializeOwned;
use serde_json::{json, Value};

use crate::decode::fixture;
use crate::generated::{monasca_dropped, sensu_dropped, watcher_dropped};
use crate::measure::{Report, Way};
use crate::server::{serve_compressed, Route};

const TOKEN: &str = "bench-access-token";

/// Way (d) of the reads.
const PLAIN_WAY: &str = "(d) reqwest into a plain derive type";

/// The Sensu docs' example entity as the server sends it: without the process fields
/// sensu/core no longer has.
fn server_entity() -> Value {
    let mut entity = fixture("sensu/entities/003-get-specific-entity-response.json");
    crate::decode::drop_gone_process_fields(&mut entity);
    entity
}

/// `n` copies of `entity`, each with its own name, as a JSON list.
fn replicated(entity: &Value, n: usize) -> Vec<u8> {
    let items: Vec<Value> = (0..n)
        .map(|i| {
            let mut e = entity.clone();
            e["metadata"]["name"] = json!(format!("entity-{i:04}"));
            e
        })
        .collect();
    serde_json::to_vec(&items).expect("encodes")
}

/// `n` entities as the server sends them, each with its own name, as a JSON list.
pub fn entity_list(n: usize) -> Vec<u8> {
    replicated(&server_entity(), n)
}

/// `n` entities as the docs' example shows them, with 8 process fields the server no longer
/// sends on each of its 2 processes.
pub fn docs_entity_list(n: usize) -> Vec<u8> {
    replicated(
        &fixture("sensu/entities/003-get-specific-entity-response.json"),
        n,
    )
}

/// The canned Sensu, Watcher and Monasca answers, and what each list holds.
fn routes() -> Vec<Route> {
    let entity = server_entity();
    let list = entity_list;
    let login = json!({"access_token": TOKEN, "refresh_token": "bench-refresh",
                       "expires_at": 4_102_444_800i64});
    vec![
        Route::json("GET", "/auth", 200, serde_json::to_vec(&login).unwrap()),
        Route::json(
            "GET",
            "/api/core/v2/namespaces/default/entities/e1",
            200,
            serde_json::to_vec(&entity).unwrap(),
        ),
        Route::json(
            "GET",
            "/api/core/v2/namespaces/default/entities",
            200,
            list(100),
        ),
        Route::json(
            "GET",
            "/api/core/v2/namespaces/big/entities",
            200,
            list(1000),
        ),
        Route::json(
            "POST",
            "/api/core/v2/namespaces/default/checks",
            201,
            Vec::new(),
        ),
        Route::json(
            "GET",
            "/",
            200,
            serde_json::to_vec(&fixture("watcher/versions/001-api-root-response.json")).unwrap(),
        ),
        Route::json(
            "GET",
            "/v1/audits/detail",
            200,
            crate::decode::watcher_audits(),
        ),
        Route::json(
            "GET",
            "/v2.0/metrics/measurements",
            200,
            crate::decode::monasca_measurements(),
        ),
        Route::json("POST", "/v2.0/metrics", 204, Vec::new()),
    ]
}

/// A check to create, from the Sensu docs' example.
fn check() -> opsclient::sensu::types::CheckConfig {
    serde_json::from_value(fixture("sensu/checks/002-create-new-check-request.json"))
        .expect("a check")
}

/// 1,000 metrics to post, from the Monasca example.
fn metrics() -> Vec<opsclient::monasca::types::MetricCreate> {
    let example = fixture("monasca/metrics/001-create-metric-single-metric-request.json");
    (0..1000)
        .map(|i| {
            let mut m = example.clone();
            m["dimensions"]["index"] = json!(i.to_string());
            serde_json::from_value(m).expect("a metric")
        })
        .collect()
}

/// Raw `reqwest`: `GET` with the token, the body decoded into `T`.
async fn raw_get<T: DeserializeOwned>(http: &reqwest::Client, url: &str, header: &str) -> T {
    let bytes = http
        .get(url)
        .header(
            header,
            if header == "authorization" {
                format!("Bearer {TOKEN}")
            } else {
                TOKEN.to_string()
            },
        )
        .send()
        .await
        .expect("an answer")
        .error_for_status()
        .expect("a success")
        .bytes()
        .await
        .expect("a body");
    serde_json::from_slice(&bytes).expect("decodes")
}

/// Raw `reqwest`: `POST` of `body` encoded as JSON.
async fn raw_post<B: serde::Serialize>(
    http: &reqwest::Client,
    url: &str,
    header: &str,
    body: &B,
) -> u16 {
    let bytes = serde_json::to_vec(body).expect("encodes");
    http.post(url)
        .header(
            header,
            if header == "authorization" {
                format!("Bearer {TOKEN}")
            } else {
                TOKEN.to_string()
            },
        )
        .header("content-type", "application/json")
        .body(bytes)
        .send()
        .await
        .expect("an answer")
        .error_for_status()
        .expect("a success")
        .status()
        .as_u16()
}

/// `calls` copies of `call` at once; the sum of what they return.
async fn concurrently<F, Fut>(calls: usize, call: F) -> usize
where
    F: Fn() -> Fut,
    Fut: Future<Output = usize>,
{
    join_all((0..calls).map(|_| call())).await.into_iter().sum()
}

/// A way whose work is `concurrency` copies of `call` at once, run to their end on `runtime`.
fn way<'a, F, Fut>(
    name: &'static str,
    runtime: &'a tokio::runtime::Runtime,
    concurrency: usize,
    call: F,
) -> Way<'a>
where
    F: Fn() -> Fut + 'a,
    Fut: Future<Output = usize> + 'a,
{
    Way {
        name,
        work: Box::new(move || runtime.block_on(concurrently(concurrency, &call))),
    }
}

/// A raw `reqwest` client that accepts gzip (and decodes it) or asks for no encoding.
fn raw_client(compression: bool) -> reqwest::Client {
    let builder = reqwest::Client::builder();
    let builder = if compression {
        builder.gzip(true)
    } else {
        builder.no_gzip().no_brotli().no_zstd()
    };
    builder.build().expect("a reqwest client")
}

pub fn run(report: &mut Report, rounds: usize, short: bool, compression: bool) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    let server = runtime.block_on(serve_compressed(routes(), compression));
    let url = server.url.clone();
    let http = raw_client(compression);
    let sensu = opsclient::sensu::Client::builder()
        .url(&url)
        .credentials("admin", "P@ssw0rd!")
        .compression(compression)
        .build()
        .expect("a Sensu client");
    let cloud = runtime
        .block_on(
            Cloud::builder()
                .token(TOKEN)
                .endpoint("infra-optim", &url)
                .endpoint("monitoring", format!("{url}/v2.0"))
                .api_version("infra-optim", "1.7")
                .compression(compression)
                .authenticate(),
        )
        .expect("a cloud");
    let watcher = runtime
        .block_on(opsclient::watcher::Client::from_cloud(&cloud))
        .expect("Watcher");
    let monasca = runtime
        .block_on(opsclient::monasca::Client::from_cloud(&cloud))
        .expect("Monasca");
    let check = check();
    let metrics = metrics();
    let (rounds, per_sample) = if short { (1, 1) } else { (rounds, 1) };

    for concurrency in [1usize, 16] {
        let encoding = if compression { ", gzip" } else { "" };
        let scenario = |name: &str| format!("http {name}, concurrency {concurrency}{encoding}");
        let entity_url = format!("{url}/api/core/v2/namespaces/default/entities/e1");
        let sensu_header = "authorization";
        report.scenario(
            &scenario("Sensu get one entity"),
            rounds,
            per_sample,
            &mut [
                way("(a) opsclient", &runtime, concurrency, || async {
                    let e = sensu
                        .get_entity()
                        .namespace("default")
                        .entity("e1")
                        .send()
                        .await
                        .expect("an entity");
                    e.metadata.name.as_deref().map_or(0, str::len)
                }),
                way(
                    "(b) reqwest into the same type",
                    &runtime,
                    concurrency,
                    || async {
                        let e: opsclient::sensu::types::Entity =
                            raw_get(&http, &entity_url, sensu_header).await;
                        e.metadata.name.as_deref().map_or(0, str::len)
                    },
                ),
                way("(c) reqwest into Value", &runtime, concurrency, || async {
                    let e: Value = raw_get(&http, &entity_url, sensu_header).await;
                    e["metadata"]["name"].as_str().map_or(0, str::len)
                }),
                way(PLAIN_WAY, &runtime, concurrency, || async {
                    let e: sensu_dropped::types::Entity =
                        raw_get(&http, &entity_url, sensu_header).await;
                    e.metadata.name.as_deref().map_or(0, str::len)
                }),
            ],
        );
        for (size, namespace) in [(100usize, "default"), (1000, "big")] {
            let list_url = format!("{url}/api/core/v2/namespaces/{namespace}/entities");
            report.scenario(
                &scenario(&format!("Sensu list {size} entities")),
                rounds,
                per_sample,
                &mut [
                    way("(a) opsclient", &runtime, concurrency, || async {
                        let list = sensu
                            .list_entities()
                            .namespace(namespace)
                            .send()
                            .await
                            .expect("entities");
                        assert_eq!(list.len(), size);
                        list.len()
                    }),
                    way(
                        "(b) reqwest into the same type",
                        &runtime,
                        concurrency,
                        || async {
                            let list: Vec<opsclient::sensu::types::Entity> =
                                raw_get(&http, &list_url, sensu_header).await;
                            assert_eq!(list.len(), size);
                            list.len()
                        },
                    ),
                    way("(c) reqwest into Value", &runtime, concurrency, || async {
                        let list: Value = raw_get(&http, &list_url, sensu_header).await;
                        list.as_array().map_or(0, Vec::len)
                    }),
                    way(PLAIN_WAY, &runtime, concurrency, || async {
                        let list: Vec<sensu_dropped::types::Entity> =
                            raw_get(&http, &list_url, sensu_header).await;
                        assert_eq!(list.len(), size);
                        list.len()
                    }),
                ],
            );
        }
        let checks_url = format!("{url}/api/core/v2/namespaces/default/checks");
        report.scenario(
            &scenario("Sensu create a check"),
            rounds,
            per_sample,
            &mut [
                way("(a) opsclient", &runtime, concurrency, || async {
                    sensu
                        .create_check()
                        .namespace("default")
                        .body(check.clone())
                        .send()
                        .await
                        .expect("created");
                    1
                }),
                way(
                    "(b) reqwest with the same type",
                    &runtime,
                    concurrency,
                    || async {
                        usize::from(
                            raw_post(&http, &checks_url, sensu_header, &check.clone()).await == 201,
                        )
                    },
                ),
                way(
                    "(c) reqwest with a Value",
                    &runtime,
                    concurrency,
                    || async {
                        let body = serde_json::to_value(check.clone()).expect("encodes");
                        usize::from(raw_post(&http, &checks_url, sensu_header, &body).await == 201)
                    },
                ),
            ],
        );
        let audits_url = format!("{url}/v1/audits/detail");
        report.scenario(
            &scenario("Watcher list 100 audits with details"),
            rounds,
            per_sample,
            &mut [
                way("(a) opsclient", &runtime, concurrency, || async {
                    let list = watcher.list_audits_detail().send().await.expect("audits");
                    assert_eq!(list.audits.len(), 100);
                    list.audits.len()
                }),
                way(
                    "(b) reqwest into the same type",
                    &runtime,
                    concurrency,
                    || async {
                        let list: opsclient::watcher::types::AuditDetailCollection =
                            raw_get(&http, &audits_url, "x-auth-token").await;
                        list.audits.len()
                    },
                ),
                way("(c) reqwest into Value", &runtime, concurrency, || async {
                    let list: Value = raw_get(&http, &audits_url, "x-auth-token").await;
                    list["audits"].as_array().map_or(0, Vec::len)
                }),
                way(PLAIN_WAY, &runtime, concurrency, || async {
                    let list: watcher_dropped::types::AuditDetailCollection =
                        raw_get(&http, &audits_url, "x-auth-token").await;
                    list.audits.len()
                }),
            ],
        );
        let measurements_url =
            format!("{url}/v2.0/metrics/measurements?name=cpu&start_time=2026-01-01T00:00:00Z");
        report.scenario(
            &scenario("Monasca list 10,000 measurements"),
            rounds,
            per_sample,
            &mut [
                way("(a) opsclient", &runtime, concurrency, || async {
                    let page = monasca
                        .list_measurements()
                        .name("cpu")
                        .start_time("2026-01-01T00:00:00Z")
                        .send()
                        .await
                        .expect("measurements");
                    assert_eq!(page.elements.len(), 10);
                    page.elements.len()
                }),
                way(
                    "(b) reqwest into the same type",
                    &runtime,
                    concurrency,
                    || async {
                        let page: opsclient::monasca::types::MeasurementCollection =
                            raw_get(&http, &measurements_url, "x-auth-token").await;
                        page.elements.len()
                    },
                ),
                way("(c) reqwest into Value", &runtime, concurrency, || async {
                    let page: Value = raw_get(&http, &measurements_url, "x-auth-token").await;
                    page["elements"].as_array().map_or(0, Vec::len)
                }),
                way(PLAIN_WAY, &runtime, concurrency, || async {
                    let page: monasca_dropped::types::MeasurementCollection =
                        raw_get(&http, &measurements_url, "x-auth-token").await;
                    page.elements.len()
                }),
            ],
        );
        let metrics_url = format!("{url}/v2.0/metrics");
        report.scenario(
            &scenario("Monasca post 1,000 metrics"),
            rounds,
            per_sample,
            &mut [
                way("(a) opsclient", &runtime, concurrency, || async {
                    monasca
                        .create_metrics()
                        .body(metrics.clone())
                        .send()
                        .await
                        .expect("posted");
                    1
                }),
                way(
                    "(b) reqwest with the same type",
                    &runtime,
                    concurrency,
                    || async {
                        usize::from(
                            raw_post(&http, &metrics_url, "x-auth-token", &metrics.clone()).await
                                == 204,
                        )
                    },
                ),
                way(
                    "(c) reqwest with a Value",
                    &runtime,
                    concurrency,
                    || async {
                        let body = serde_json::to_value(metrics.clone()).expect("encodes");
                        usize::from(
                            raw_post(&http, &metrics_url, "x-auth-token", &body).await == 204,
                        )
                    },
                ),
            ],
        );
    }
    // The answers came from the canned routes, and the client logged in once.
    // Gzipped answers went out when, and only when, the clients accepted them.
    if report.runs_everything() {
        assert_eq!(server.hits(0), 1, "one Sensu login");
        assert_eq!(server.gzipped() > 0, compression, "gzipped answers");
    }
}
