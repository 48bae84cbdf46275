//! The user's request hooks, on the pipeline every request takes: a header a hook sets reaches
//! the server on every attempt, a per-operation counter counts retries and the send after a
//! renewed token as attempts, failures are seen with their kind, a builder's hook is kept by
//! clones and by the service clients of a cloud, and no hook can read or replace a credential.

#![cfg(all(
    feature = "sensu",
    feature = "saltant",
    feature = "watcher",
    feature = "monasca"
))]

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::fault_server::{Fault, FaultServer};
use opsclient::hook::{Failure, HookAnswer, HookRequest, RequestHook};
use opsclient::openstack::Cloud;
use opsclient::RetryPolicy;
use reqwest::header::{HeaderName, HeaderValue, AUTHORIZATION};
use reqwest::StatusCode;
use serde_json::json;

/// One attempt as a hook saw it.
#[derive(Debug, Clone, PartialEq)]
struct Seen {
    api: &'static str,
    operation: &'static str,
    number: u32,
    status: Option<u16>,
    failure: Option<Failure>,
    duration: Duration,
}

/// Counts attempts per operation, keeps what it saw of each, sets `x-attempt` on every
/// attempt, and writes down everything it could read of requests and answers.
#[derive(Default)]
struct Recorder {
    per_operation: Mutex<BTreeMap<&'static str, u32>>,
    attempts: Mutex<Vec<Seen>>,
    readable: Mutex<Vec<String>>,
}

impl Recorder {
    fn counts(&self) -> BTreeMap<&'static str, u32> {
        self.per_operation.lock().unwrap().clone()
    }

    fn attempts(&self) -> Vec<Seen> {
        self.attempts.lock().unwrap().clone()
    }

    /// Everything the hook could read, as one text.
    fn readable(&self) -> String {
        self.readable.lock().unwrap().join("\n")
    }
}

impl RequestHook for Recorder {
    fn before_attempt(&self, request: &mut HookRequest<'_>) {
        let number = request.attempt().number().to_string();
        request
            .set_header(
                HeaderName::from_static("x-attempt"),
                HeaderValue::from_str(&number).unwrap(),
            )
            .unwrap();
        let mut readable = self.readable.lock().unwrap();
        readable.push(format!("{request:?}"));
        for (name, value) in request.headers() {
            readable.push(format!("{name}: {value:?}"));
        }
        for name in ["authorization", "x-auth-token", "x-subject-token"] {
            readable.push(format!("{name} = {:?}", request.header(name)));
        }
    }

    fn after_attempt(&self, answer: &HookAnswer<'_>) {
        let attempt = answer.attempt();
        *self
            .per_operation
            .lock()
            .unwrap()
            .entry(attempt.operation())
            .or_default() += 1;
        self.attempts.lock().unwrap().push(Seen {
            api: attempt.api(),
            operation: attempt.operation(),
            number: attempt.number(),
            status: answer.status().map(|s| s.as_u16()),
            failure: answer.failure(),
            duration: answer.duration(),
        });
        let mut readable = self.readable.lock().unwrap();
        readable.push(format!("{answer:?}"));
        for name in [
            "authorization",
            "x-subject-token",
            "set-cookie",
            "x-request-id",
        ] {
            readable.push(format!("{name} = {:?}", answer.header(name)));
        }
    }
}

fn quick_retries() -> RetryPolicy {
    RetryPolicy::default()
        .base_delay(Duration::from_millis(5))
        .max_delay(Duration::from_millis(20))
}

fn namespaces() -> Fault {
    Fault::json(200, json!([{"name": "default"}]))
}

fn sensu(server: &FaultServer, hook: &Arc<Recorder>) -> opsclient::sensu::Client {
    opsclient::sensu::Client::builder()
        .url(&server.url)
        .api_key("the-api-key-secret")
        .retry(quick_retries())
        .hook(hook.clone())
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_header_set_by_a_hook_reaches_the_server_on_every_attempt() {
    let server = FaultServer::start().await;
    let hook = Arc::new(Recorder::default());
    let client = sensu(&server, &hook);
    server.script([Fault::status(503), Fault::status(502), namespaces()]);
    client.list_namespaces().send().await.unwrap();

    let seen = server.seen();
    let numbers: Vec<Option<&str>> = seen.iter().map(|s| s.header("x-attempt")).collect();
    assert_eq!(numbers, [Some("1"), Some("2"), Some("3")]);
    // The hook's header came beside the credentials, which it left alone.
    for request in &seen {
        assert_eq!(
            request.header("authorization"),
            Some("Key the-api-key-secret")
        );
    }
}

#[tokio::test(start_paused = true)]
async fn a_per_operation_counter_counts_retries_as_attempts() {
    let server = FaultServer::start().await;
    let hook = Arc::new(Recorder::default());
    let client = sensu(&server, &hook);
    server.script([
        Fault::status(503),
        Fault::Delayed {
            delay: Duration::from_millis(300),
            then: Box::new(Fault::status(429)),
        },
        namespaces(),
        Fault::status(201),
    ]);
    client.list_namespaces().send().await.unwrap();
    let body = opsclient::sensu::types::Namespace::builder().name("n");
    client.create_namespace().body(body).send().await.unwrap();

    assert_eq!(
        hook.counts(),
        BTreeMap::from([("createNamespace", 1), ("listNamespaces", 3)])
    );
    let attempts = hook.attempts();
    let summary: Vec<(&str, &str, u32, Option<u16>)> = attempts
        .iter()
        .map(|s| (s.api, s.operation, s.number, s.status))
        .collect();
    assert_eq!(
        summary,
        [
            ("sensu", "listNamespaces", 1, Some(503)),
            ("sensu", "listNamespaces", 2, Some(429)),
            ("sensu", "listNamespaces", 3, Some(200)),
            ("sensu", "createNamespace", 1, Some(201)),
        ]
    );
    // Each attempt's own duration: the delayed answer's, not the call's.
    assert!(
        attempts[1].duration >= Duration::from_millis(300),
        "{attempts:?}"
    );
    assert!(
        attempts[2].duration < Duration::from_millis(300),
        "{attempts:?}"
    );
}

#[tokio::test]
async fn failures_are_attempts_with_their_kind() {
    // Nothing listens: every attempt fails to connect, and each is seen.
    let server = FaultServer::unstarted("http://127.0.0.1:9");
    let hook = Arc::new(Recorder::default());
    let client = sensu(&server, &hook);
    let error = client.list_namespaces().send().await.unwrap_err();
    assert!(matches!(error, opsclient::Error::Transport(_)), "{error:?}");
    let attempts = hook.attempts();
    assert_eq!(attempts.len(), 3, "{attempts:?}");
    for (seen, number) in attempts.iter().zip(1..) {
        assert_eq!(seen.number, number);
        assert_eq!(seen.status, None);
        assert_eq!(seen.failure, Some(Failure::Connect));
    }
}

#[tokio::test]
async fn logins_renewals_and_the_send_after_a_renewed_token_are_attempts() {
    let server = FaultServer::start().await;
    let tokens = |access: &str| {
        Fault::json(
            200,
            json!({"access_token": access, "refresh_token": "refresh-secret",
                   "expires_at": 4_000_000_000_i64}),
        )
    };
    server.script([
        tokens("first-access-secret"),
        Fault::status(401),
        tokens("second-access-secret"),
        namespaces(),
    ]);
    let hook = Arc::new(Recorder::default());
    let client = opsclient::sensu::Client::builder()
        .url(&server.url)
        .credentials("admin", "password-secret")
        .retry(RetryPolicy::disabled())
        .hook(hook.clone())
        .build()
        .unwrap();
    client.list_namespaces().send().await.unwrap();

    let summary: Vec<(&str, u32, Option<u16>)> = hook
        .attempts()
        .iter()
        .map(|s| (s.operation, s.number, s.status))
        .collect();
    assert_eq!(
        summary,
        [
            ("login", 1, Some(200)),
            ("listNamespaces", 1, Some(401)),
            ("refresh_token", 1, Some(200)),
            ("listNamespaces", 2, Some(200)),
        ]
    );
    let seen = server.seen();
    assert_eq!(
        seen[3].header("authorization"),
        Some("Bearer second-access-secret")
    );
    assert_eq!(seen[3].header("x-attempt"), Some("2"));
    let readable = hook.readable();
    for secret in [
        "first-access-secret",
        "second-access-secret",
        "refresh-secret",
        "password-secret",
        // The Basic credentials of the login, as they travel.
        "YWRtaW46cGFzc3dvcmQtc2VjcmV0",
    ] {
        assert!(
            !readable.contains(secret),
            "{secret} readable by a hook:\n{readable}"
        );
    }
}

/// Tries to read, replace and remove the credentials, and says what it could.
#[derive(Default)]
struct Thief {
    refusals: Mutex<Vec<String>>,
    readable: Mutex<Vec<String>>,
}

impl RequestHook for Thief {
    fn before_attempt(&self, request: &mut HookRequest<'_>) {
        let mut readable = self.readable.lock().unwrap();
        readable.push(format!("{request:?}"));
        readable.extend(
            request
                .headers()
                .map(|(name, value)| format!("{name}: {value:?}")),
        );
        for name in [
            "authorization",
            "Authorization",
            "x-auth-token",
            "X-Auth-Token",
        ] {
            readable.push(format!("{name} = {:?}", request.header(name)));
        }
        let mut refusals = self.refusals.lock().unwrap();
        for name in [AUTHORIZATION, HeaderName::from_static("x-auth-token")] {
            let set = request.set_header(name.clone(), HeaderValue::from_static("stolen"));
            refusals.push(set.unwrap_err().to_string());
            refusals.push(request.remove_header(&name).unwrap_err().to_string());
        }
    }
}

#[tokio::test]
async fn a_hook_cannot_see_the_authorization_or_x_auth_token_values() {
    let server = FaultServer::start().await;
    server.otherwise(namespaces());
    let thief = Arc::new(Thief::default());

    // Sensu's API key travels in Authorization.
    let client = opsclient::sensu::Client::builder()
        .url(&server.url)
        .api_key("the-api-key-secret")
        .hook(thief.clone())
        .build()
        .unwrap();
    client.list_namespaces().send().await.unwrap();
    assert_eq!(
        server.seen()[0].header("authorization"),
        Some("Key the-api-key-secret")
    );

    // An OpenStack token travels in X-Auth-Token.
    server.reset();
    server.otherwise(Fault::json(200, json!({"elements": [], "links": []})));
    let cloud = Cloud::builder()
        .token("the-keystone-token-secret")
        .endpoint("monitoring", &server.url)
        .hook(thief.clone())
        .authenticate()
        .await
        .unwrap();
    let monasca = opsclient::monasca::Client::from_cloud(&cloud)
        .await
        .unwrap();
    monasca.list_metrics().send().await.unwrap();
    let seen = server.seen();
    assert!(!seen.is_empty());
    for request in &seen {
        assert_eq!(
            request.header("x-auth-token"),
            Some("the-keystone-token-secret"),
            "the hook could not replace the token"
        );
    }

    let readable = thief.readable.lock().unwrap().join("\n");
    assert!(
        readable.contains("accept: \"application/json\""),
        "the hook saw other headers:\n{readable}"
    );
    for secret in ["the-api-key-secret", "the-keystone-token-secret"] {
        assert!(
            !readable.contains(secret),
            "{secret} readable by a hook:\n{readable}"
        );
    }
    assert!(readable.contains("authorization = None"), "{readable}");
    assert!(readable.contains("x-auth-token = None"), "{readable}");
    let refusals = thief.refusals.lock().unwrap();
    assert!(!refusals.is_empty());
    for refusal in refusals.iter() {
        assert!(
            refusal.contains("carries credentials: a request hook cannot set or remove it"),
            "{refusal}"
        );
    }
}

#[tokio::test]
async fn a_builders_hook_is_kept_by_clones_and_by_a_clouds_service_clients() {
    let server = FaultServer::start().await;
    server.otherwise(namespaces());
    let hook = Arc::new(Recorder::default());
    let builder = opsclient::sensu::Client::builder()
        .url(&server.url)
        .hook(hook.clone());
    let first = builder.clone().build().unwrap();
    let second = builder.build().unwrap();
    for client in [first.clone(), first, second.clone(), second] {
        client.list_namespaces().send().await.unwrap();
    }
    assert_eq!(hook.counts(), BTreeMap::from([("listNamespaces", 4)]));

    // A cloud's hook goes with the Watcher and Monasca clients made from it.
    server.reset();
    let root = json!({"versions": [{"id": "v1", "status": "CURRENT", "min_version": "1.0",
        "max_version": "1.7", "links": []}], "default_version": {"id": "v1",
        "status": "CURRENT", "min_version": "1.0", "max_version": "1.7", "links": []}});
    server.script([Fault::json(200, root)]);
    server.otherwise(Fault::json(
        200,
        json!({"goals": [], "elements": [], "links": []}),
    ));
    let hook = Arc::new(Recorder::default());
    let cloud = Cloud::builder()
        .token("t")
        .endpoint("infra-optim", &server.url)
        .endpoint("monitoring", &server.url)
        .hook(hook.clone())
        .authenticate()
        .await
        .unwrap();
    let watcher = opsclient::watcher::Client::from_cloud(&cloud.clone())
        .await
        .unwrap();
    watcher.clone().list_goals().send().await.unwrap();
    let monasca = opsclient::monasca::Client::from_cloud(&cloud)
        .await
        .unwrap();
    monasca.list_metrics().send().await.unwrap();
    let apis: Vec<(&str, &str)> = hook
        .attempts()
        .iter()
        .map(|s| (s.api, s.operation))
        .collect();
    assert_eq!(
        apis,
        [
            ("watcher", "getRoot"),
            ("watcher", "listGoals"),
            ("monasca", "listMetrics")
        ]
    );
    assert!(hook
        .attempts()
        .iter()
        .all(|s| s.status == Some(StatusCode::OK.as_u16())));
}
