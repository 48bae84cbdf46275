//! A bounded fuzz run over every decode path: tens of thousands of bodies mutated from the
//! upstream examples (truncations, type swaps, deep nesting, huge numbers, invalid UTF-8, flipped
//! bytes, wrong media types) go through the generated answer types, and through the clients
//! against a local server as error bodies, pagination headers and links, and token answers.
//! Every outcome must be a value or a typed error; a panic anywhere fails the run. The counts
//! are printed.

#![cfg(all(
    feature = "sensu",
    feature = "saltant",
    feature = "watcher",
    feature = "monasca"
))]

use std::collections::BTreeMap;
use std::io::Write;
use std::panic::AssertUnwindSafe;
use std::path::PathBuf;
use std::time::Duration;

use crate::fault_server::{Fault, FaultServer};
use futures::{FutureExt, TryStreamExt};
use opsclient::openstack::auth::UserRef;
use opsclient::openstack::Cloud;
use opsclient::paging::ListRequest;
use opsclient::RetryPolicy;
use serde_json::{json, Value};

/// A small deterministic generator (xorshift), so a failing input can be found again.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Every node of a JSON value, as a pointer.
fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
    out.push(at.clone());
    match value {
        Value::Object(map) => {
            for (key, item) in map {
                let escaped = key.replace('~', "~0").replace('/', "~1");
                pointers(item, format!("{at}/{escaped}"), out);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                pointers(item, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

const ODD_VALUES: &[&str] = &[
    "null",
    "true",
    "0",
    "-1",
    "\"\"",
    "\"text\"",
    "[]",
    "{}",
    "1e400",
    "-1e400",
    "18446744073709551616",
    "-9223372036854775809",
    "340282366920938463463374607431768211456",
    "1e-400",
    "0.30000000000000000000000000001",
    "\"\\ud800\"",
    "\"2999-99-99T99:99:99Z\"",
    "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
];

/// One mutation of `seed`.
fn mutate(seed: &Value, rng: &mut Rng) -> Vec<u8> {
    let text = seed.to_string();
    match rng.below(8) {
        // Truncated anywhere.
        0 => text.as_bytes()[..rng.below(text.len())].to_vec(),
        // A node replaced by a value of another type or an extreme one.
        1 | 2 => {
            let mut value = seed.clone();
            let mut all = Vec::new();
            pointers(&value, String::new(), &mut all);
            let at = &all[rng.below(all.len())];
            let odd: Value = serde_json::from_str(ODD_VALUES[rng.below(ODD_VALUES.len())])
                .unwrap_or(Value::Null);
            if at.is_empty() {
                value = odd;
            } else if let Some(node) = value.pointer_mut(at) {
                *node = odd;
            }
            value.to_string().into_bytes()
        }
        // Deep nesting around the body.
        3 => {
            let depth = 10 + rng.below(5000);
            let mut out = "[".repeat(depth).into_bytes();
            out.extend_from_slice(text.as_bytes());
            out.extend(std::iter::repeat_n(b']', depth));
            out
        }
        // Invalid UTF-8 inside.
        4 => {
            let mut bytes = text.into_bytes();
            let at = rng.below(bytes.len());
            bytes.splice(at..at, [0xff, 0xc3, 0x28]);
            bytes
        }
        // Flipped bytes.
        5 => {
            let mut bytes = text.into_bytes();
            for _ in 0..1 + rng.below(4) {
                let at = rng.below(bytes.len());
                bytes[at] ^= 1 << rng.below(8);
            }
            bytes
        }
        // Something else entirely: HTML, an empty body, a number where an object belongs.
        6 => [
            &b"<html><body>502 Bad Gateway</body></html>"[..],
            b"",
            b"42",
            b"\"a string\"",
            b"{\"a\":1,\"a\":2}",
        ][rng.below(5)]
        .to_vec(),
        // A huge number of a key repeated.
        _ => {
            let mut out = b"{".to_vec();
            for i in 0..rng.below(2000) {
                out.extend_from_slice(format!("\"k{i}\":{i},").as_bytes());
            }
            out.extend_from_slice(b"\"end\":0}");
            out
        }
    }
}

fn fixtures(api: &str) -> Vec<(String, String, Value)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(api);
    let index: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(dir.join("index.json")).unwrap()).unwrap();
    index
        .iter()
        .filter(|e| e["skipped"] != true && e["file"].is_string())
        .filter_map(|e| {
            let value =
                serde_json::from_str(&std::fs::read_to_string(dir.join(e["file"].as_str()?)).ok()?)
                    .ok()?;
            Some((
                e["method"].as_str()?.to_string(),
                e["path"].as_str()?.to_string(),
                value,
            ))
        })
        .collect()
}

/// Outcomes per decode path.
#[derive(Default)]
struct Tally(BTreeMap<&'static str, (usize, usize)>);

impl Tally {
    fn count<T, E>(&mut self, path: &'static str, outcome: &Result<T, E>) {
        let entry = self.0.entry(path).or_default();
        match outcome {
            Ok(_) => entry.0 += 1,
            Err(_) => entry.1 += 1,
        }
    }
    fn inputs(&self) -> usize {
        self.0.values().map(|(ok, err)| ok + err).sum()
    }
    fn report(&self) {
        let mut out = std::io::stderr();
        for (path, (ok, err)) in &self.0 {
            let _ = writeln!(
                out,
                "fuzz: {path}: {} inputs, {ok} values, {err} typed errors",
                ok + err
            );
        }
        let _ = writeln!(out, "fuzz: {} inputs in all, 0 panics", self.inputs());
    }
}

#[test]
fn mutated_answers_decode_into_a_value_or_an_error() {
    let mut rng = Rng(0x005e_ed0f_0b5c_11e7);
    let mut tally = Tally::default();
    for api in crate::support::apis::enabled() {
        let examples = fixtures(api.name);
        for (method, path, seed) in &examples {
            let Some(op) = api
                .operations
                .iter()
                .find(|op| op.method == method && op.path == path)
            else {
                continue;
            };
            let Some(decode) = op.response_schema.and_then(api.decoder) else {
                continue;
            };
            for _ in 0..150 {
                let body = mutate(seed, &mut rng);
                let outcome = std::panic::catch_unwind(|| decode(&body));
                let outcome = outcome.unwrap_or_else(|_| {
                    panic!(
                        "{} {}: panicked on {:?}",
                        api.name,
                        op.id,
                        String::from_utf8_lossy(&body)
                    )
                });
                tally.count("answers", &outcome);
            }
        }
    }
    tally.report();
    assert!(tally.inputs() > 25_000, "{}", tally.inputs());
}

/// Runs one call; a panic inside the client fails the run with the input that caused it.
async fn call<T>(
    what: &str,
    input: &[u8],
    future: impl std::future::Future<Output = opsclient::Result<T>>,
) -> opsclient::Result<T> {
    match AssertUnwindSafe(future).catch_unwind().await {
        Ok(outcome) => outcome,
        Err(_) => panic!("{what}: panicked on {:?}", String::from_utf8_lossy(input)),
    }
}

fn answer(status: u16, content_type: &str, body: Vec<u8>) -> Fault {
    Fault::Answer {
        status,
        headers: vec![("content-type".into(), content_type.into())],
        body,
    }
}

#[tokio::test]
async fn mutated_errors_pages_and_tokens_through_the_clients() {
    let server = FaultServer::start().await;
    let mut rng = Rng(0x0ddb_a11c_afe0);
    let mut tally = Tally::default();
    let rounds = 300;
    let fast = || RetryPolicy::disabled();
    let content_types = ["application/json", "text/html", "text/plain", ""];

    let sensu = opsclient::sensu::Client::builder()
        .url(&server.url)
        .api_key("k")
        .retry(fast())
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let saltant = opsclient::saltant::Client::builder()
        .url(&server.url)
        .auth_token("t")
        .retry(fast())
        .build()
        .unwrap();
    let cloud = |service: &str| {
        Cloud::builder()
            .token("t")
            .endpoint(service, &server.url)
            .retry(fast())
            .authenticate()
    };
    let root = json!({"versions": [], "default_version": {"id": "v1", "min_version": "1.0",
        "max_version": "1.7", "status": "CURRENT", "links": []}});
    server.script([Fault::json(200, root)]);
    let watcher = opsclient::watcher::Client::from_cloud(&cloud("infra-optim").await.unwrap())
        .await
        .unwrap();
    let monasca = opsclient::monasca::Client::from_cloud(&cloud("monitoring").await.unwrap())
        .await
        .unwrap();

    // Error bodies of every API's shapes, under every error status.
    let error_seeds = [
        json!({"code": 2, "message": "not found"}),
        json!({"Code": 401, "Message": "bad credentials"}),
        json!({"error_message": "{\"faultcode\": \"Client\", \"faultstring\": \"x\", \"debuginfo\": null}"}),
        json!({"title": "Unprocessable Entity", "description": "x"}),
        json!({"error": {"code": 401, "title": "Unauthorized", "message": "x"}}),
        json!({"detail": "x"}),
        json!({"name": ["This field is required."]}),
    ];
    for round in 0..rounds {
        let seed = &error_seeds[round % error_seeds.len()];
        let body = mutate(seed, &mut rng);
        let status = [400, 401, 403, 404, 409, 412, 422, 500, 502][rng.below(9)];
        let kind = content_types[rng.below(content_types.len())];
        for api in 0..4 {
            server.script([answer(status, kind, body.clone())]);
            let outcome = match api {
                0 => {
                    call("sensu error", &body, async {
                        sensu.list_namespaces().send().await.map(drop)
                    })
                    .await
                }
                1 => {
                    call("saltant error", &body, async {
                        saltant.list_users().send().await.map(drop)
                    })
                    .await
                }
                2 => {
                    call("watcher error", &body, async {
                        watcher.list_goals().send().await.map(drop)
                    })
                    .await
                }
                _ => {
                    call("monasca error", &body, async {
                        monasca.list_metrics().send().await.map(drop)
                    })
                    .await
                }
            };
            assert!(outcome.is_err(), "an error status is an error");
            tally.count("error bodies", &outcome);
        }
    }

    // Pagination: Sensu's header, and the next links of Watcher, Monasca and saltant.
    for _ in 0..rounds {
        let cursor = mutate(&json!("cursor/ä=1&x"), &mut rng);
        let header = String::from_utf8_lossy(&cursor).replace(['\r', '\n'], "");
        server.script([
            Fault::json(200, json!([{"name": "a"}])).with_header("sensu-continue", &header),
            Fault::json(200, json!([{"name": "b"}])),
        ]);
        let outcome = call("sensu cursor", &cursor, async {
            sensu
                .list_namespaces()
                .stream(1)
                .try_collect::<Vec<_>>()
                .await
        })
        .await;
        tally.count("pagination", &outcome);
        server.reset();

        let mut link = |template: Value| {
            let mut page = template;
            let mut all = Vec::new();
            pointers(&page, String::new(), &mut all);
            let at = all[rng.below(all.len())].clone();
            let odd = String::from_utf8_lossy(&mutate(
                &json!("http://h/x?marker=m&offset=1&page=2"),
                &mut rng,
            ))
            .into_owned();
            if let Some(node) = page.pointer_mut(&at).filter(|_| !at.is_empty()) {
                *node = Value::String(odd);
            }
            page
        };
        let pages = [
            link(
                json!({"goals": [{"uuid": "a"}], "next": format!("{}/v1/goals?marker=a", server.url)}),
            ),
            link(
                json!({"elements": [], "links": [{"rel": "self", "href": format!("{}/v2.0/metrics", server.url)},
                {"rel": "next", "href": format!("{}/v2.0/metrics?offset=5", server.url)}]}),
            ),
            link(json!({"count": 1, "previous": null, "results": [],
                "next": format!("{}/users/?page=2", server.url)})),
        ];
        let input = pages[0].to_string().into_bytes();
        server.script([
            Fault::json(200, pages[0].clone()),
            Fault::json(200, json!({"goals": []})),
        ]);
        let outcome = call("watcher next", &input, async {
            watcher.list_goals().stream(1).try_collect::<Vec<_>>().await
        })
        .await;
        tally.count("pagination", &outcome);
        server.reset();
        server.script([
            Fault::json(200, pages[1].clone()),
            Fault::json(200, json!({"elements": [], "links": []})),
        ]);
        let outcome = call("monasca links", &input, async {
            monasca
                .list_metrics()
                .stream(1)
                .try_collect::<Vec<_>>()
                .await
        })
        .await;
        tally.count("pagination", &outcome);
        server.reset();
        server.script([
            Fault::json(200, pages[2].clone()),
            Fault::json(
                200,
                json!({"count": 1, "next": null, "previous": null, "results": []}),
            ),
        ]);
        let outcome = call("saltant next", &input, async {
            saltant.list_users().stream(1).try_collect::<Vec<_>>().await
        })
        .await;
        tally.count("pagination", &outcome);
        server.reset();
    }

    // Token answers: Sensu's /auth, saltant's token/, Keystone's token.
    let sensu_token =
        json!({"access_token": "a", "expires_at": 4_000_000_000_i64, "refresh_token": "r"});
    let saltant_token = json!({"refresh": "r", "access": "a.b.c"});
    let keystone_tokens: Vec<Value> = fixtures("keystone")
        .into_iter()
        .filter(|(m, p, v)| m == "POST" && p == "/v3/auth/tokens" && v.get("token").is_some())
        .map(|(_, _, v)| v)
        .collect();
    for round in 0..rounds {
        let kind = content_types[rng.below(content_types.len())];

        let body = mutate(&sensu_token, &mut rng);
        server.script([answer(200, kind, body.clone()), Fault::json(200, json!([]))]);
        let client = opsclient::sensu::Client::builder()
            .url(&server.url)
            .retry(fast())
            .build()
            .unwrap();
        let outcome = call("sensu token", &body, client.login("admin", "pw")).await;
        tally.count("token answers", &outcome);
        server.reset();

        let body = mutate(&saltant_token, &mut rng);
        server.script([
            answer(200, kind, body.clone()),
            Fault::json(
                200,
                json!({"count": 0,
            "next": null, "previous": null, "results": []}),
            ),
        ]);
        let outcome = call(
            "saltant token",
            &body,
            opsclient::saltant::Client::builder()
                .url(&server.url)
                .jwt("u", "p")
                .retry(fast())
                .connect(),
        )
        .await;
        tally.count("token answers", &outcome);
        server.reset();

        let body = mutate(&keystone_tokens[round % keystone_tokens.len()], &mut rng);
        server.script([answer(201, kind, body.clone()).with_header("x-subject-token", "tok")]);
        let outcome = call(
            "keystone token",
            &body,
            Cloud::builder()
                .url(format!("{}/v3", server.url))
                .password(UserRef::Id("u".into()), "p")
                .retry(fast())
                .authenticate(),
        )
        .await;
        tally.count("token answers", &outcome);
        server.reset();
    }
    tally.report();
    assert!(tally.inputs() >= 4 * rounds + 4 * rounds + 3 * rounds);
}
