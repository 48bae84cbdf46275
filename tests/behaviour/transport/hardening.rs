//! The shared transport's defences, each against a local server: backoff timing on tokio's
//! paused clock, `Retry-After` in both forms, the total timeout across retries, the retry
//! budget, redirects that never carry credentials to another host, URLs whose passwords never
//! show, inputs that must not panic, cursors that cycle, a logout that is not undone, and the
//! operation span.

#![cfg(all(
    feature = "sensu",
    feature = "saltant",
    feature = "watcher",
    feature = "monasca"
))]

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use crate::fault_server::{Fault, FaultServer};
use futures::TryStreamExt;
use opsclient::openstack::auth::UserRef;
use opsclient::openstack::Cloud;
use opsclient::paging::ListRequest;
use opsclient::{Error, RetryPolicy};
use serde_json::json;

fn sensu(server: &FaultServer, retry: RetryPolicy) -> opsclient::sensu::Client {
    opsclient::sensu::Client::builder()
        .url(&server.url)
        .api_key("the-api-key")
        .retry(retry)
        .build()
        .unwrap()
}

fn namespaces() -> Fault {
    Fault::json(200, json!([{"name": "default"}]))
}

/// Gaps between the requests the server read, on tokio's clock.
fn gaps(server: &FaultServer) -> Vec<Duration> {
    let seen = server.seen();
    seen.windows(2).map(|w| w[1].at - w[0].at).collect()
}

#[tokio::test(start_paused = true)]
async fn backoff_doubles_with_full_jitter_under_the_cap() {
    let server = FaultServer::start().await;
    let client = sensu(
        &server,
        RetryPolicy::default()
            .max_attempts(5)
            .base_delay(Duration::from_secs(1))
            .max_delay(Duration::from_secs(3)),
    );
    for _ in 0..5 {
        server.reset();
        server.script([
            Fault::status(503),
            Fault::status(503),
            Fault::status(503),
            Fault::status(503),
            namespaces(),
        ]);
        client.list_namespaces().send().await.unwrap();
        let gaps = gaps(&server);
        assert_eq!(gaps.len(), 4);
        // Retry n waits a random share of base·2^(n-1), at most the cap: ≤1 s, ≤2 s, ≤3 s, ≤3 s.
        for (gap, ceiling) in gaps.iter().zip([1, 2, 3, 3]) {
            assert!(*gap <= Duration::from_secs(ceiling), "{gaps:?}");
        }
    }
}

#[tokio::test(start_paused = true)]
async fn retry_after_is_honoured_in_seconds_and_as_a_date_and_capped() {
    let server = FaultServer::start().await;
    let client = opsclient::sensu::Client::builder()
        .url(&server.url)
        .api_key("k")
        .timeout(Duration::from_secs(120))
        .retry(
            RetryPolicy::default()
                .base_delay(Duration::from_millis(1))
                .max_delay(Duration::from_secs(30)),
        )
        .build()
        .unwrap();
    server.script([
        Fault::status(429).with_header("retry-after", "7"),
        namespaces(),
    ]);
    client.list_namespaces().send().await.unwrap();
    let gap = gaps(&server)[0];
    assert!(gap >= Duration::from_secs(7), "{gap:?}");
    assert!(gap < Duration::from_millis(7100), "{gap:?}");

    server.reset();
    let date = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(12));
    server.script([
        Fault::status(503).with_header("retry-after", &date),
        namespaces(),
    ]);
    client.list_namespaces().send().await.unwrap();
    let gap = gaps(&server)[0];
    // An HTTP date has whole seconds.
    assert!(
        gap >= Duration::from_secs(10) && gap <= Duration::from_secs(12),
        "{gap:?}"
    );

    server.reset();
    server.script([
        Fault::status(503).with_header("retry-after", "3600"),
        namespaces(),
    ]);
    client.list_namespaces().send().await.unwrap();
    assert_eq!(
        gaps(&server)[0].as_secs(),
        30,
        "capped at the policy's max delay"
    );
}

#[tokio::test(start_paused = true)]
async fn the_total_timeout_covers_every_attempt() {
    let server = FaultServer::start().await;
    let client = opsclient::sensu::Client::builder()
        .url(&server.url)
        .api_key("k")
        .timeout(Duration::from_secs(3))
        .retry(RetryPolicy::default().max_attempts(10))
        .build()
        .unwrap();
    server.otherwise(Fault::status(503).with_header("retry-after", "2"));
    let started = tokio::time::Instant::now();
    let error = client.list_namespaces().send().await.unwrap_err();
    // Attempts at 0 s and 2 s; a third at 4 s would not finish in 3 s, so it is not made.
    assert_eq!(server.seen().len(), 2);
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert!(started.elapsed() < Duration::from_secs(3));

    // A server that never answers: the timeout ends the call, and nothing is retried after it.
    server.reset();
    server.otherwise(Fault::Hang);
    let started = tokio::time::Instant::now();
    let error = client.list_namespaces().send().await;
    assert!(matches!(error, Err(Error::Timeout(_))), "{error:?}");
    assert_eq!(started.elapsed().as_secs(), 3);
    assert_eq!(server.seen().len(), 1);
}

/// Three attempts a call, with delays short enough for many calls.
fn three_quick_attempts() -> RetryPolicy {
    RetryPolicy::default()
        .max_attempts(3)
        .base_delay(Duration::from_millis(1))
        .max_delay(Duration::from_millis(2))
}

/// Makes 200 concurrent calls, each `failing_call()`, which says whether it failed; every one
/// must. Against a failing server they make 600 requests without a retry budget, and with one
/// the 200 first attempts and 100 retries.
async fn two_hundred_failing_calls<Call, Failed>(failing_call: Call)
where
    Call: Fn() -> Failed,
    Failed: std::future::Future<Output = bool> + Send + 'static,
{
    let calls: Vec<_> = (0..200).map(|_| tokio::spawn(failing_call())).collect();
    for call in calls {
        assert!(call.await.unwrap(), "the call failed");
    }
}

#[tokio::test]
async fn the_retry_budget_stops_many_callers_hammering_a_failing_server() {
    let server = FaultServer::start().await;
    server.otherwise(Fault::status(503));
    let client = sensu(&server, three_quick_attempts());
    two_hundred_failing_calls(|| {
        let client = client.clone();
        async move { client.list_namespaces().send().await.is_err() }
    })
    .await;
    assert_eq!(server.seen().len(), 300);
}

#[tokio::test]
async fn a_disabled_policy_sends_once() {
    let server = FaultServer::start().await;
    server.script([Fault::status(503), namespaces()]);
    let client = sensu(&server, RetryPolicy::disabled());
    assert!(client.list_namespaces().send().await.is_err());
    assert_eq!(server.seen().len(), 1);
}

/// Whether `outcome` is a refusal before sending that names `parameter`.
fn refused_naming<T: std::fmt::Debug>(outcome: opsclient::Result<T>, parameter: &str, what: &str) {
    match outcome {
        Err(Error::InvalidInput(opsclient::error::InvalidInput::Client(violation))) => {
            assert_eq!(violation.field, parameter, "{what}: {violation}")
        }
        other => panic!("{what}: not refused before sending: {other:?}"),
    }
}

/// A path parameter that the URL parser would move to another resource (`.`, `..`, one with
/// `\`, or none at all) is refused, naming the parameter, and nothing reaches the server.
#[tokio::test]
async fn a_dot_segment_path_parameter_is_refused_before_sending_for_every_api() {
    let server = FaultServer::start().await;
    let root = json!({"versions": [], "default_version": {"id": "v1", "min_version": "1.0",
        "max_version": "1.7", "status": "CURRENT", "links": []}});
    server.script([Fault::json(200, root)]);
    let watcher = opsclient::watcher::Client::from_cloud(&direct(&server, "infra-optim").await)
        .await
        .unwrap();
    let monasca = opsclient::monasca::Client::from_cloud(&direct(&server, "monitoring").await)
        .await
        .unwrap();
    let saltant = opsclient::saltant::Client::builder()
        .url(&server.url)
        .auth_token("t")
        .build()
        .unwrap();
    let sensu = sensu(&server, RetryPolicy::default());
    server.reset();
    for dots in ["..", "."] {
        // `DELETE …/namespaces/default/checks/..` would be `DELETE …/namespaces/default/`.
        let outcome = sensu
            .delete_check()
            .namespace("default")
            .check(dots)
            .send()
            .await;
        refused_naming(outcome, "check", &format!("sensu check {dots}"));
        // `…/namespaces/../checks/c1` would be the cluster-wide `…/checks/c1`.
        let outcome = sensu
            .delete_check()
            .namespace(dots)
            .check("c1")
            .send()
            .await;
        refused_naming(outcome, "namespace", &format!("sensu namespace {dots}"));
        let outcome = watcher.delete_audit().audit_ident(dots).send().await;
        refused_naming(outcome, "audit_ident", &format!("watcher audit {dots}"));
        let outcome = monasca
            .delete_alarm_definition()
            .alarm_definition_id(dots)
            .send()
            .await;
        refused_naming(
            outcome,
            "alarm_definition_id",
            &format!("monasca alarm definition {dots}"),
        );
        let outcome = saltant.get_user().username(dots).send().await;
        refused_naming(outcome, "username", &format!("saltant user {dots}"));
    }
    for (value, what) in [("", "empty"), ("..\\c1", "backslash")] {
        let outcome = sensu
            .get_check()
            .namespace("default")
            .check(value)
            .send()
            .await;
        refused_naming(outcome, "check", what);
    }
    // Streams send through the same check.
    let outcome = sensu
        .list_checks()
        .namespace("..")
        .stream(10)
        .try_collect::<Vec<_>>()
        .await;
    refused_naming(outcome, "namespace", "sensu list stream");
    // Keystone's operations take no path parameter; the names in its federation URL are
    // checked when the cloud connects.
    let outcome = Cloud::builder()
        .url(format!("{}/v3", server.url))
        .oidc(opsclient::openstack::oidc::Oidc::access_token(
            "..", "openid", "t",
        ))
        .authenticate()
        .await
        .map(drop);
    match outcome {
        Err(Error::Config(e)) => assert!(
            e.to_string().contains("identity_provider is a dot segment"),
            "{e}"
        ),
        other => panic!("keystone federation: {other:?}"),
    }
    assert!(server.seen().is_empty(), "{:?}", server.seen());
    // Dots that are not a whole segment are a name like any other, sent to its own path.
    server.otherwise(Fault::status(204));
    sensu
        .delete_check()
        .namespace("default")
        .check("...")
        .send()
        .await
        .unwrap();
    let seen = server.seen();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].path, "/api/core/v2/namespaces/default/checks/...");
}

/// A cloud in direct mode whose token must never leave the configured server.
async fn direct(server: &FaultServer, service: &str) -> Cloud {
    Cloud::builder()
        .token("keystone-token-secret")
        .endpoint(service, &server.url)
        .authenticate()
        .await
        .unwrap()
}

#[tokio::test]
async fn no_credential_and_no_body_follow_a_redirect_to_another_host() {
    let (server, elsewhere) = (FaultServer::start().await, FaultServer::start().await);
    let away = |status: u16| {
        Fault::status(status).with_header("location", &format!("{}/v2.0/metrics", elsewhere.url))
    };

    // Monasca: GET 302 and POST 307 both stop at the redirect.
    let monasca = opsclient::monasca::Client::from_cloud(&direct(&server, "monitoring").await)
        .await
        .unwrap();
    for status in [301, 302, 303, 307, 308] {
        server.script([away(status)]);
        let error = monasca.list_metrics().send().await;
        match error {
            Err(Error::UnexpectedResponse(e)) => {
                assert!(e.reason.contains("redirect to another host"), "{e}")
            }
            other => panic!("{status}: {other:?}"),
        }
        server.script([away(status)]);
        let body: opsclient::monasca::types::MetricsRequest = serde_json::from_value(
            json!({"name": "m", "dimensions": {}, "timestamp": 1, "value": 1.0}),
        )
        .unwrap();
        assert!(monasca.create_metrics().body(body).send().await.is_err());
    }
    // Watcher (X-Auth-Token) and Sensu (Authorization) alike.
    let root = json!({"versions": [], "default_version": {"id": "v1", "min_version": "1.0",
        "max_version": "1.7", "status": "CURRENT", "links": []}});
    server.script([Fault::json(200, root)]);
    let watcher = opsclient::watcher::Client::from_cloud(&direct(&server, "infra-optim").await)
        .await
        .unwrap();
    server.script([away(307)]);
    assert!(watcher.list_goals().send().await.is_err());
    server.script([away(302)]);
    assert!(sensu(&server, RetryPolicy::default())
        .list_namespaces()
        .send()
        .await
        .is_err());
    assert!(elsewhere.seen().is_empty(), "{:?}", elsewhere.seen());

    // A redirect to the same server is followed, with its credentials.
    server.reset();
    server.script([
        Fault::status(302).with_header("location", "/api/core/v2/namespaces?moved=1"),
        namespaces(),
    ]);
    let client = sensu(&server, RetryPolicy::default());
    client.list_namespaces().send().await.unwrap();
    let seen = server.seen();
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[1].header("authorization"), Some("Key the-api-key"));
}

#[tokio::test]
async fn a_same_host_redirect_chain_is_followed_ten_times_and_no_more() {
    let server = FaultServer::start().await;
    let hop = || Fault::status(302).with_header("location", "/api/core/v2/namespaces?hop=1");
    let client = sensu(&server, RetryPolicy::default());

    // Ten redirects, then the answer: followed to the end.
    server.script(std::iter::repeat_with(hop).take(10).chain([namespaces()]));
    client.list_namespaces().send().await.unwrap();
    assert_eq!(server.seen().len(), 11);

    // An eleventh redirect is not followed: the call fails with eleven requests sent.
    server.reset();
    server.script(std::iter::repeat_with(hop).take(11).chain([namespaces()]));
    let error = client.list_namespaces().send().await.unwrap_err();
    assert!(
        format!("{error:?}").contains("more than 10 redirects"),
        "{error:?}"
    );
    assert_eq!(server.seen().len(), 11);
}

/// Everything logged while `body` runs on this thread.
async fn logs_of<F: std::future::Future>(body: F) -> (F::Output, String) {
    #[derive(Clone, Default)]
    struct Sink(Arc<Mutex<Vec<u8>>>);
    impl Write for Sink {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let sink = Sink::default();
    let writer = sink.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_max_level(tracing::Level::TRACE)
        .finish();
    let guard = tracing::subscriber::set_default(subscriber);
    let output = body.await;
    drop(guard);
    let text = String::from_utf8_lossy(&sink.0.lock().unwrap()).into_owned();
    (output, text)
}

#[tokio::test]
async fn a_password_in_a_url_is_refused_and_never_shown() {
    for url in [
        "https://admin:hunter2@sensu.example.com:8080",
        "https://hunter2@sensu.example.com",
    ] {
        let builder = opsclient::sensu::Client::builder()
            .url(url)
            .ignore_cert(true);
        let debug = format!("{builder:?}");
        assert!(!debug.contains("hunter2"), "{debug}");
        let (outcome, logs) = logs_of(async { builder.build() }).await;
        let error = outcome.unwrap_err().to_string();
        assert!(error.contains("credentials"), "{error}");
        assert!(
            !error.contains("hunter2") && !logs.contains("hunter2"),
            "{error} {logs}"
        );
    }
    // The OpenStack builder checks its URL before it builds an HTTP client or logs anything.
    let (outcome, logs) = logs_of(
        Cloud::builder()
            .url("https://admin:hunter2@keystone.example.com/v3")
            .password(UserRef::Id("u".into()), "p")
            .ignore_cert(true)
            .authenticate(),
    )
    .await;
    let error = outcome.map(drop).unwrap_err().to_string();
    assert!(error.contains("credentials"), "{error}");
    assert!(
        !error.contains("hunter2") && !logs.contains("hunter2"),
        "{error} {logs}"
    );
    assert!(!format!("{:?}", Cloud::builder().url("https://a:hunter2@h")).contains("hunter2"));
    let error = opsclient::sensu::Client::builder()
        .url("hunter2 is not a URL")
        .build()
        .unwrap_err()
        .to_string();
    assert!(!error.contains("hunter2"), "{error}");
    // Turning verification off is logged, naming the server without its secrets.
    let (built, logs) = logs_of(async {
        opsclient::saltant::Client::builder()
            .url("https://saltant.example.com/api/")
            .auth_token("t")
            .ignore_cert(true)
            .build()
    })
    .await;
    built.unwrap();
    assert!(
        logs.contains("TLS certificate verification is disabled")
            && logs.contains("https://saltant.example.com/api/"),
        "{logs}"
    );
}

#[tokio::test]
async fn openstack_endpoints_with_credentials_or_a_query_are_refused() {
    let server = FaultServer::start().await;
    let address = server.url.trim_start_matches("http://");
    for (endpoint, needle) in [
        (format!("http://user:hunter2@{address}"), "credentials"),
        (format!("http://{address}/v2.0?tenant=hunter2#x"), "query"),
    ] {
        let builder = Cloud::builder()
            .token("t")
            .endpoint("monitoring", &endpoint);
        let debug = format!("{builder:?}");
        assert!(
            !debug.contains("hunter2") && debug.contains(address),
            "{debug}"
        );
        // The cloud itself refuses it, naming the setting, before any service client.
        let error = builder.authenticate().await.map(drop).unwrap_err();
        assert!(matches!(error, Error::Config(_)), "{error:?}");
        let error = error.to_string();
        assert!(
            error.contains(needle)
                && error.contains("the endpoint override of monitoring")
                && !error.contains("hunter2"),
            "{error}"
        );
    }
    // The catalog comes from the server, and is held to the same rule.
    let mut token = json!({"token": {"methods": ["password"], "user": {"id": "u", "name": "u",
        "domain": {"id": "d", "name": "d"}}, "audit_ids": [], "issued_at": "2026-01-01T00:00:00Z",
        "expires_at": "2999-01-01T00:00:00Z"}});
    token["token"]["catalog"] = json!([{"type": "monitoring", "endpoints": [
        {"interface": "public", "region": "r", "url": format!("http://u:hunter2@{address}/v2.0")}
    ]}]);
    server.script([Fault::json(201, token).with_header("x-subject-token", "tok")]);
    let cloud = Cloud::builder()
        .url(format!("{}/v3", server.url))
        .password(UserRef::Id("u".into()), "p")
        .authenticate()
        .await
        .unwrap();
    let error = opsclient::monasca::Client::from_cloud(&cloud)
        .await
        .map(drop)
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("credentials") && !error.contains("hunter2"),
        "{error}"
    );
    assert_eq!(
        server.seen().len(),
        1,
        "nothing is sent to such an endpoint"
    );
}

#[tokio::test]
async fn extreme_settings_and_answers_do_not_panic() {
    // A refresh threshold longer than the clock can add, and than any token lives: the token
    // is renewed halfway through its life, not on every call, and a warning says so once.
    let server = FaultServer::start().await;
    let tokens = || {
        Fault::json(
            200,
            json!({"access_token": "a", "refresh_token": "r", "expires_at": 4_000_000_000_i64}),
        )
    };
    server.script([tokens(), namespaces(), namespaces(), namespaces()]);
    let client = opsclient::sensu::Client::builder()
        .url(&server.url)
        .credentials("admin", "pw")
        .refresh_threshold(Duration::MAX)
        .build()
        .unwrap();
    let (_, logs) = logs_of(async {
        for _ in 0..3 {
            client.list_namespaces().send().await.unwrap();
        }
    })
    .await;
    let renewals = server
        .seen()
        .iter()
        .filter(|s| s.path.starts_with("/auth"))
        .count();
    assert_eq!(renewals, 1, "{:?}", server.seen());
    assert_eq!(
        logs.matches("refresh threshold is not shorter than the token's lifetime")
            .count(),
        1,
        "{logs}"
    );

    // A timeout longer than `Duration` holds is a configuration error naming the variable.
    let error = opsclient::sensu::Client::builder()
        .env_from(|name| match name {
            "SENSU_API_URL" => Some("http://127.0.0.1:1".into()),
            "SENSU_TIMEOUT" => Some("99999999999999999999999h".into()),
            _ => None,
        })
        .unwrap_err();
    assert!(error.to_string().contains("SENSU_TIMEOUT"), "{error}");

    // A token that expires in the year 100000000000000 is a malformed answer.
    let far = json!({"token": {"methods": ["password"], "user": {"id": "u", "name": "u",
        "domain": {"id": "d", "name": "d"}}, "audit_ids": [], "issued_at": "2026-01-01T00:00:00Z",
        "expires_at": "100000000000000-01-01T00:00:00Z"}});
    server.script([Fault::json(201, far).with_header("x-subject-token", "tok")]);
    let error = Cloud::builder()
        .url(format!("{}/v3", server.url))
        .password(UserRef::Id("u".into()), "p")
        .authenticate()
        .await
        .map(drop)
        .unwrap_err();
    assert!(matches!(error, Error::UnexpectedResponse(_)), "{error:?}");
}

#[tokio::test]
async fn a_login_answer_is_read_up_to_its_fixed_limit_and_never_quoted() {
    let server = FaultServer::start().await;
    let client = opsclient::sensu::Client::builder()
        .url(&server.url)
        .credentials("admin", "pw")
        .build()
        .unwrap();
    // A refusal with a huge body is still a refusal; a huge "token" is not read whole.
    server.script([Fault::Answer {
        status: 401,
        headers: vec![],
        body: vec![b'x'; 50 * 1024 * 1024],
    }]);
    let error = client.list_namespaces().send().await;
    assert!(matches!(error, Err(Error::Unauthorized(_))), "{error:?}");
    server.script([Fault::Huge {
        length: 50 * 1024 * 1024,
    }]);
    let error = client.list_namespaces().send().await;
    let login_too_large = "the login answer is larger than 1048576 bytes, more than a login \
                           answer holds; this limit is fixed (max_body_size does not apply to \
                           logins)";
    match error {
        Err(Error::UnexpectedResponse(e)) => assert_eq!(e.reason, login_too_large),
        other => panic!("{other:?}"),
    }
    // saltant's JWT login alike.
    server.script([Fault::Answer {
        status: 401,
        headers: vec![],
        body: vec![b'x'; 50 * 1024 * 1024],
    }]);
    let refused = opsclient::saltant::Client::builder()
        .url(&server.url)
        .jwt("u", "p")
        .connect()
        .await
        .map(drop);
    assert!(
        matches!(refused, Err(Error::Unauthorized(_))),
        "{refused:?}"
    );
    // Keystone's password login alike, whatever max_body_size says.
    let keystone = || {
        Cloud::builder()
            .url(format!("{}/v3", server.url))
            .password(UserRef::Id("u".into()), "p")
            .max_body_size(usize::MAX)
            .retry(RetryPolicy::disabled())
            .authenticate()
    };
    server.script([Fault::Answer {
        status: 201,
        headers: vec![("x-subject-token".into(), "tok".into())],
        body: vec![b' '; 2 * 1024 * 1024],
    }]);
    match keystone().await.map(drop) {
        Err(Error::UnexpectedResponse(e)) => assert_eq!(e.reason, login_too_large),
        other => panic!("{other:?}"),
    }
    // An answer a login does not expect, or one that does not decode, is reported without
    // its body: it may hold a token.
    let token_body = json!({"token": {"methods": ["password"], "user": {"id": "u",
        "name": "u", "domain": {"id": "d", "name": "d"}}, "audit_ids": [],
        "issued_at": "2026-01-01T00:00:00Z", "expires_at": "2999-01-01T00:00:00Z",
        "extras": {"secret": "tok-s3cret"}}});
    let mut undecodable = token_body.clone();
    undecodable["token"]["expires_at"] = json!(["tok-s3cret"]);
    for answer in [
        Fault::json(200, token_body).with_header("x-subject-token", "tok-s3cret"),
        Fault::json(201, undecodable).with_header("x-subject-token", "tok-s3cret"),
    ] {
        server.script([answer]);
        let error = keystone().await.map(drop).unwrap_err();
        let text = format!("{error} {error:?}");
        assert!(matches!(error, Error::UnexpectedResponse(_)), "{text}");
        assert!(!text.contains("s3cret"), "{text}");
    }
    let sensu_login = opsclient::sensu::Client::builder()
        .url(&server.url)
        .credentials("admin", "pw")
        .build()
        .unwrap();
    server.script([Fault::json(201, json!({"access_token": "tok-s3cret"}))]);
    let error = sensu_login.list_namespaces().send().await.unwrap_err();
    let text = format!("{error} {error:?}");
    assert!(
        matches!(error, Error::UnexpectedResponse(_)) && !text.contains("s3cret"),
        "{text}"
    );
}

#[tokio::test]
async fn a_cursor_that_never_repeats_ends_at_the_callers_page_limit() {
    let server = FaultServer::start().await;
    let page = |next: &str| namespaces().with_header("sensu-continue", next);
    server.script((1..=5).map(|n| page(&n.to_string())));
    let client = sensu(&server, RetryPolicy::default());
    let outcome = client
        .list_namespaces()
        .stream_limited(1, 3)
        .try_collect::<Vec<_>>()
        .await;
    match outcome {
        Err(Error::UnexpectedResponse(e)) => {
            assert!(e.reason.contains("more than 3 pages"), "{e}")
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(server.seen().len(), 3);
    // A list within the limit is read whole.
    server.reset();
    server.script([page("a"), page("b"), namespaces()]);
    let all = client
        .list_namespaces()
        .stream_limited(1, 3)
        .try_collect::<Vec<_>>()
        .await
        .unwrap();
    assert_eq!(all.len(), 3);
}

#[tokio::test]
async fn each_service_of_a_cloud_has_its_own_retry_budget() {
    let (monitoring, optim) = (FaultServer::start().await, FaultServer::start().await);
    let root = json!({"versions": [], "default_version": {"id": "v1", "min_version": "1.0",
        "max_version": "1.7", "status": "CURRENT", "links": []}});
    optim.script([Fault::json(200, root)]);
    let cloud = Cloud::builder()
        .token("t")
        .endpoint("monitoring", &monitoring.url)
        .endpoint("infra-optim", &optim.url)
        .retry(three_quick_attempts())
        .authenticate()
        .await
        .unwrap();
    let monasca = opsclient::monasca::Client::from_cloud(&cloud)
        .await
        .unwrap();
    let watcher = opsclient::watcher::Client::from_cloud(&cloud)
        .await
        .unwrap();
    // A failing Monasca uses up its budget.
    monitoring.reset();
    monitoring.otherwise(Fault::status(503));
    two_hundred_failing_calls(|| {
        let monasca = monasca.clone();
        async move { monasca.list_metrics().send().await.is_err() }
    })
    .await;
    assert_eq!(monitoring.seen().len(), 300);
    // Watcher still retries.
    optim.reset();
    optim.script([Fault::status(503), Fault::json(200, json!({"goals": []}))]);
    watcher.list_goals().send().await.unwrap();
    assert_eq!(optim.seen().len(), 2);
}

/// A server whose pages lead A, B, A, ... must end the stream with an error.
#[tokio::test]
async fn a_cursor_that_cycles_ends_every_kind_of_stream() {
    let server = FaultServer::start().await;
    let cyclic = |answers: Vec<Fault>| {
        server.reset();
        server.script(answers);
    };
    let expect_cycle = |outcome: opsclient::Result<usize>, what: &str| match outcome {
        Err(Error::UnexpectedResponse(e)) => {
            assert!(e.reason.contains("page already read"), "{what}: {e}")
        }
        other => panic!("{what}: {other:?}"),
    };

    // Sensu: the Sensu-Continue header.
    let page = |next: &str| namespaces().with_header("sensu-continue", next);
    cyclic(vec![page("A"), page("B"), page("A"), page("B")]);
    let client = sensu(&server, RetryPolicy::default());
    let outcome = client
        .list_namespaces()
        .stream(1)
        .try_collect::<Vec<_>>()
        .await;
    expect_cycle(outcome.map(|v| v.len()), "sensu");
    assert_eq!(server.seen().len(), 3);

    // saltant: DRF's `next` page URL.
    let page = |n: u32| {
        Fault::json(
            200,
            json!({"count": 9, "previous": null, "results": [],
            "next": format!("{}/users/?page={n}", server.url)}),
        )
    };
    cyclic(vec![page(2), page(3), page(2)]);
    let saltant = opsclient::saltant::Client::builder()
        .url(&server.url)
        .auth_token("t")
        .build()
        .unwrap();
    let outcome = saltant.list_users().stream(1).try_collect::<Vec<_>>().await;
    expect_cycle(outcome.map(|v| v.len()), "saltant");

    // Watcher: the `marker` of `next`.
    let root = json!({"versions": [], "default_version": {"id": "v1", "min_version": "1.0",
        "max_version": "1.7", "status": "CURRENT", "links": []}});
    cyclic(vec![Fault::json(200, root)]);
    let watcher = opsclient::watcher::Client::from_cloud(&direct(&server, "infra-optim").await)
        .await
        .unwrap();
    let page = |marker: &str| {
        Fault::json(
            200,
            json!({"goals": [{"uuid": marker, "name": marker}],
            "next": format!("{}/v1/goals?limit=1&marker={marker}", server.url)}),
        )
    };
    cyclic(vec![page("a"), page("b"), page("a")]);
    let outcome = watcher.list_goals().stream(1).try_collect::<Vec<_>>().await;
    expect_cycle(outcome.map(|v| v.len()), "watcher");

    // Monasca: the `offset` of the `next` link.
    let monasca = opsclient::monasca::Client::from_cloud(&direct(&server, "monitoring").await)
        .await
        .unwrap();
    let page = |offset: &str| {
        Fault::json(
            200,
            json!({"elements": [], "links": [
            {"rel": "self", "href": format!("{}/v2.0/metrics", server.url)},
            {"rel": "next", "href": format!("{}/v2.0/metrics?offset={offset}", server.url)}]}),
        )
    };
    cyclic(vec![page("1"), page("2"), page("1")]);
    let outcome = monasca
        .list_metrics()
        .stream(1)
        .try_collect::<Vec<_>>()
        .await;
    expect_cycle(outcome.map(|v| v.len()), "monasca");
}

#[tokio::test]
async fn calls_waiting_during_a_logout_do_not_log_in_again() {
    let server = FaultServer::start().await;
    let tokens = Fault::json(
        200,
        json!({"access_token": "a", "refresh_token": "r", "expires_at": 4_000_000_000_i64}),
    );
    // The login is slow, so calls queue behind it; the logout comes in while they wait.
    server.script([Fault::Delayed {
        delay: Duration::from_millis(300),
        then: Box::new(tokens),
    }]);
    server.otherwise(namespaces());
    let client = opsclient::sensu::Client::builder()
        .url(&server.url)
        .credentials("admin", "pw")
        .build()
        .unwrap();
    let call = |client: &opsclient::sensu::Client| {
        let client = client.clone();
        tokio::spawn(async move { client.list_namespaces().send().await })
    };
    // t=0: a call logs in (slowly); t=50 ms: logout waits for it; t=100 ms: a call waits
    // behind the logout.
    let first = call(&client);
    tokio::time::sleep(Duration::from_millis(50)).await;
    let logout = {
        let client = client.clone();
        tokio::spawn(async move { client.logout().await })
    };
    tokio::time::sleep(Duration::from_millis(50)).await;
    let waiting = call(&client);
    first.await.unwrap().unwrap();
    logout.await.unwrap().unwrap();
    let waiting = waiting.await.unwrap();
    assert!(matches!(waiting, Err(Error::LoggedOut)), "{waiting:?}");
    // A call made after the logout fails the same way, and is not sent.
    let sent = server.seen().len();
    let after = client.list_namespaces().send().await;
    assert!(matches!(after, Err(Error::LoggedOut)), "{after:?}");
    assert_eq!(server.seen().len(), sent, "{:?}", server.seen());
    let logins = server
        .seen()
        .iter()
        .filter(|s| s.path == "/auth" && s.method == "GET")
        .count();
    assert_eq!(logins, 1, "{:?}", server.seen());
    // An explicit login starts a new session.
    server.script([Fault::json(
        200,
        json!({"access_token": "b", "refresh_token": "s", "expires_at": 4_000_000_000_i64}),
    )]);
    client.login("admin", "pw").await.unwrap();
    client.list_namespaces().send().await.unwrap();
}

#[tokio::test]
async fn one_span_per_operation_with_its_retries_and_no_secret() {
    let server = FaultServer::start().await;
    server.script([Fault::status(503), namespaces()]);
    let client = opsclient::sensu::Client::builder()
        .url(&server.url)
        .api_key("the-api-key-secret")
        .retry(RetryPolicy::default().base_delay(Duration::from_millis(1)))
        .build()
        .unwrap();
    let (outcome, logs) = logs_of(async {
        client
            .list_namespaces()
            .label_selector("owner == ops")
            .send()
            .await
    })
    .await;
    outcome.unwrap();
    for field in [
        "opsclient.request{",
        "api=\"sensu\"",
        "operation=\"listNamespaces\"",
        "http.request.method=GET",
        "url.template=\"/api/core/v2/namespaces\"",
        // The query as sent: no parameter of it has a secret-looking name.
        "url.query=\"labelSelector=owner+%3D%3D+ops\"",
        "server.address=\"127.0.0.1\"",
        "attempts=2",
        "http.response.status_code=200",
        "duration_ms=",
        "retrying",
        "reason=answered 503 Service Unavailable",
        "delay_ms=",
    ] {
        assert!(logs.contains(field), "{field} missing from:\n{logs}");
    }
    assert!(!logs.contains("the-api-key-secret"), "the key in:\n{logs}");
}

/// The `opsclient.request` span lines of `logs` that name `operation`.
fn spans_of<'a>(logs: &'a str, operation: &str) -> Vec<&'a str> {
    let name = format!("operation=\"{operation}\"");
    logs.lines()
        .filter(|line| line.contains("opsclient.request{") && line.contains(&name))
        .collect()
}

#[tokio::test]
async fn logins_refreshes_logouts_and_credential_tests_have_their_span() {
    let server = FaultServer::start().await;
    let tokens = || {
        Fault::json(
            200,
            json!({"access_token": "a-secret", "refresh_token": "r-secret", "expires_at": 4_000_000_000_i64}),
        )
    };
    server.script([tokens(), tokens(), Fault::status(200), Fault::status(401)]);
    let client = opsclient::sensu::Client::builder()
        .url(&server.url)
        .build()
        .unwrap();
    let (outcome, logs) = logs_of(async {
        client.login("admin", "pw-secret").await?;
        client.refresh_token().await?;
        client.logout().await?;
        client.test_credentials("admin", "pw-secret").await
    })
    .await;
    assert!(!outcome.unwrap(), "401 means the credentials are not valid");
    for (operation, template, method) in [
        ("login", "/auth", "GET"),
        ("refresh_token", "/auth/token", "POST"),
        ("logout", "/auth/logout", "POST"),
        ("test_credentials", "/auth/test", "GET"),
    ] {
        let spans = spans_of(&logs, operation);
        let closed = spans
            .iter()
            .find(|line| line.contains("close"))
            .unwrap_or_else(|| panic!("no span of {operation} in:\n{logs}"));
        for field in [
            "api=\"sensu\"".to_string(),
            format!("url.template=\"{template}\""),
            format!("http.request.method={method}"),
            "attempts=1".to_string(),
            "http.response.status_code=".to_string(),
            "duration_ms=".to_string(),
        ] {
            assert!(closed.contains(&field), "{field} missing from {closed}");
        }
    }
    for secret in ["a-secret", "r-secret", "pw-secret"] {
        assert!(!logs.contains(secret), "{secret} in:\n{logs}");
    }
}

#[tokio::test]
async fn a_saltant_jwt_login_has_its_span() {
    let server = FaultServer::start().await;
    server.script([
        Fault::json(200, json!({"refresh": "r-secret", "access": "a-secret"})),
        Fault::json(
            200,
            json!({"count": 0, "next": null, "previous": null, "results": []}),
        ),
    ]);
    let client = opsclient::saltant::Client::builder()
        .url(&server.url)
        .jwt("alice", "pw-secret")
        .build()
        .unwrap();
    let (outcome, logs) = logs_of(client.test_authentication()).await;
    outcome.unwrap();
    let login = spans_of(&logs, "login");
    assert!(
        login.iter().any(|line| line.contains("api=\"saltant\"")
            && line.contains("url.template=\"/token/\"")
            && line.contains("http.response.status_code=200")),
        "{logs}"
    );
}

/// Keystone's answer to a federated login: an unscoped token for user `federated`.
fn federated_token(token: &str) -> Fault {
    Fault::json(
        201,
        json!({"token": {
            "methods": ["openid"],
            "user": {"id": "u", "name": "federated", "domain": {"id": "Federated", "name": "Federated"}},
            "expires_at": "2099-01-01T00:00:00.000000Z",
            "issued_at": "2020-01-01T00:00:00.000000Z",
            "audit_ids": ["a1"]
        }}),
    )
    .with_header("x-subject-token", token)
}

#[tokio::test]
async fn openid_connect_discovery_token_and_federation_requests_have_their_span() {
    let server = FaultServer::start().await;
    server.script([
        Fault::json(
            200,
            json!({"token_endpoint": format!("{}/token", server.url)}),
        ),
        Fault::json(200, json!({"access_token": "idp-access-secret"})),
        federated_token("ks-unscoped-secret"),
    ]);
    let oidc = opsclient::openstack::oidc::Oidc::client_credentials(
        "myidp",
        "openid",
        "client",
        "client-secret",
    )
    .discovery_endpoint(format!("{}/.well-known/openid-configuration", server.url));
    let (outcome, logs) =
        logs_of(Cloud::builder().url(&server.url).oidc(oidc).authenticate()).await;
    outcome.unwrap();
    for (api, operation) in [
        ("openid_connect", "discovery"),
        ("openid_connect", "token"),
        ("keystone", "federated_login"),
    ] {
        let spans = spans_of(&logs, operation);
        assert!(
            spans
                .iter()
                .any(|line| line.contains(&format!("api=\"{api}\""))
                    && line.contains("http.response.status_code=")),
            "no span of {operation} in:\n{logs}"
        );
    }
    for secret in ["idp-access-secret", "client-secret", "ks-unscoped-secret"] {
        assert!(!logs.contains(secret), "{secret} in:\n{logs}");
    }
}

/// With `access_token_type("id_token")`, Keystone gets the provider's ID token, not its access
/// token; by default it gets the access token.
#[tokio::test]
async fn the_token_type_chooses_what_the_provider_token_keystone_gets() {
    for (token_type, sent) in [
        (None, "the-access-token"),
        (Some("id_token"), "the-id-token"),
    ] {
        let server = FaultServer::start().await;
        server.script([
            Fault::json(
                200,
                json!({"access_token": "the-access-token", "id_token": "the-id-token"}),
            ),
            federated_token("ks-unscoped"),
        ]);
        let mut oidc = opsclient::openstack::oidc::Oidc::client_credentials(
            "myidp",
            "openid",
            "client",
            "client-secret",
        )
        .access_token_endpoint(format!("{}/token", server.url));
        if let Some(token_type) = token_type {
            oidc = oidc.access_token_type(token_type);
        }
        Cloud::builder()
            .url(&server.url)
            .oidc(oidc)
            .authenticate()
            .await
            .unwrap();
        let seen = server.seen();
        let federation = seen
            .iter()
            .find(|s| s.path.contains("/OS-FEDERATION/"))
            .expect("a federation request");
        assert_eq!(
            federation.header("authorization"),
            Some(format!("Bearer {sent}").as_str()),
            "{token_type:?}"
        );
    }
}

/// The provider's refusal of a login reaches the caller as the provider's, typed: a wrong
/// password (400 `invalid_grant`) is `Unauthorized`, and nothing is sent to Keystone.
#[tokio::test]
async fn a_login_the_provider_refuses_is_unauthorized_and_named() {
    let server = FaultServer::start().await;
    server.script([Fault::json(
        400,
        json!({"error": "invalid_grant", "error_description": "Invalid user credentials"}),
    )]);
    let oidc = opsclient::openstack::oidc::Oidc::password(
        "myidp",
        "openid",
        "client",
        "client-secret",
        "alice",
        "wrong",
    )
    .access_token_endpoint(format!("{}/token", server.url));
    let error = Cloud::builder()
        .url(&server.url)
        .oidc(oidc)
        .authenticate()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Unauthorized(_)), "{error:?}");
    assert!(
        error.to_string().contains(
            "the identity provider refused the login: invalid_grant (Invalid user credentials)"
        ),
        "{error}"
    );
    assert_eq!(server.seen().len(), 1, "only the token request");
}

#[tokio::test]
async fn an_error_raised_before_sending_reaches_the_caller_as_itself_with_no_status() {
    let server = FaultServer::start().await;
    let client = sensu(&server, RetryPolicy::disabled());
    let check: opsclient::sensu::types::CheckConfig = serde_json::from_value(json!({
        "command": "true",
        "interval": 60,
        "subscriptions": [],
        "metadata": {"name": "cpu", "namespace": "default"}
    }))
    .unwrap();
    let (outcome, logs) = logs_of(
        client
            .create_check()
            .namespace("default")
            .body(check)
            .send(),
    )
    .await;
    let error = outcome.unwrap_err();
    assert!(
        matches!(
            &error,
            Error::InvalidInput(opsclient::error::InvalidInput::Client(v)) if v.field == "subscriptions"
        ),
        "{error:?}"
    );
    assert_eq!(error.status(), None, "{error:?}");
    let shown = format!("{error:?} {error}");
    assert!(!shown.contains("599"), "{shown}");
    // The call has its span, and no answer status: there was no answer.
    assert!(logs.contains("opsclient.request{"), "{logs}");
    assert!(!logs.contains("http.response.status_code"), "{logs}");
    assert!(server.seen().is_empty(), "{:?}", server.seen());
}

#[tokio::test]
async fn an_operation_its_document_marks_idempotent_is_retried_whatever_its_method() {
    let server = FaultServer::start().await;
    let monasca = opsclient::monasca::Client::from_cloud(&direct(&server, "monitoring").await)
        .await
        .unwrap();
    server.script([Fault::status(503), Fault::status(204)]);
    let body: opsclient::monasca::types::MetricsRequest = serde_json::from_value(
        json!({"name": "m", "dimensions": {}, "timestamp": 1, "value": 1.0}),
    )
    .unwrap();
    monasca.create_metrics().body(body).send().await.unwrap();
    let posts: Vec<_> = server.seen();
    assert_eq!(posts.len(), 2, "POST /v2.0/metrics is x-idempotent");
    assert_eq!(posts[0].body, posts[1].body, "the same body both times");
}

#[tokio::test]
async fn a_stream_retries_the_failed_page_only() {
    let server = FaultServer::start().await;
    let page = |name: &str, next: Option<&str>| {
        let answer = Fault::json(200, json!([{"name": name}]));
        match next {
            Some(next) => answer.with_header("sensu-continue", next),
            None => answer,
        }
    };
    server.script([
        page("a", Some("b")),
        Fault::status(503),
        page("b", Some("c")),
        page("c", None),
    ]);
    let client = sensu(
        &server,
        RetryPolicy::default().base_delay(Duration::from_millis(1)),
    );
    let names: Vec<String> = client
        .list_namespaces()
        .stream(1)
        .map_ok(|n| n.name)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(names, ["a", "b", "c"]);
    let cursors: Vec<_> = server.seen().iter().map(|s| s.path.clone()).collect();
    assert_eq!(cursors.len(), 4, "{cursors:?}");
    assert!(cursors[1].contains("continue=b") && cursors[2].contains("continue=b"));
}

#[tokio::test]
async fn a_token_renewal_after_401_is_no_retry() {
    // Retries off: the 401 still renews the token and sends again, once.
    let server = FaultServer::start().await;
    let tokens = |access: &str| {
        Fault::json(
            200,
            json!({"access_token": access, "refresh_token": "r", "expires_at": 4_000_000_000_i64}),
        )
    };
    server.script([
        tokens("first"),
        Fault::status(401),
        tokens("second"),
        namespaces(),
    ]);
    let client = opsclient::sensu::Client::builder()
        .url(&server.url)
        .credentials("admin", "pw")
        .retry(RetryPolicy::disabled())
        .build()
        .unwrap();
    client.list_namespaces().send().await.unwrap();
    let seen = server.seen();
    assert_eq!(seen.len(), 4);
    assert_eq!(seen[3].header("authorization"), Some("Bearer second"));
}

#[tokio::test]
async fn keystoneauth_retry_settings_from_the_environment_and_clouds_yaml() {
    let server = FaultServer::start().await;
    let monasca = |cloud: Cloud| async move {
        opsclient::monasca::Client::from_cloud(&cloud)
            .await
            .unwrap()
    };
    let vars = |retries: &'static str| {
        let url = server.url.clone();
        move |name: &str| match name {
            "OS_AUTH_TYPE" => Some("token_endpoint".to_string()),
            "OS_TOKEN" => Some("t".into()),
            "OS_ENDPOINT" => Some(url.clone()),
            "OS_STATUS_CODE_RETRIES" => Some(retries.into()),
            _ => None,
        }
    };
    for (retries, requests) in [("0", 1), ("4", 5)] {
        let cloud = Cloud::builder()
            .env_from(vars(retries))
            .unwrap()
            .authenticate()
            .await
            .unwrap();
        let client = monasca(cloud).await;
        server.reset();
        server.otherwise(Fault::status(503).with_header("retry-after", "0"));
        assert!(client.list_metrics().send().await.is_err());
        assert_eq!(
            server.seen().len(),
            requests,
            "OS_STATUS_CODE_RETRIES={retries}"
        );
    }
    let error = Cloud::builder()
        .env_from(vars("many"))
        .unwrap_err()
        .to_string();
    assert!(error.contains("OS_STATUS_CODE_RETRIES"), "{error}");

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("clouds.yaml");
    std::fs::write(
        &file,
        format!(
            "clouds:\n  faulty:\n    auth_type: token_endpoint\n    auth:\n      token: t\n      \
             endpoint: {}\n    status_code_retries: 2\n    connect_retries: 0\n",
            server.url
        ),
    )
    .unwrap();
    let path = file.display().to_string();
    let lookup = move |name: &str| match name {
        "OS_CLOUD" => Some("faulty".to_string()),
        "OS_CLIENT_CONFIG_FILE" => Some(path.clone()),
        _ => None,
    };
    let client = monasca(
        Cloud::builder()
            .env_from(lookup)
            .unwrap()
            .authenticate()
            .await
            .unwrap(),
    )
    .await;
    server.reset();
    assert!(client.list_metrics().send().await.is_err());
    assert_eq!(server.seen().len(), 3, "status_code_retries: 2");
}

#[tokio::test]
async fn a_microversion_renegotiation_is_no_retry() {
    // Retries off: a 406 with the server's range still moves to a version both know, once.
    let server = FaultServer::start().await;
    let root = json!({"versions": [], "default_version": {"id": "v1", "min_version": "1.0",
        "max_version": "1.7", "status": "CURRENT", "links": []}});
    server.script([Fault::json(200, root)]);
    let cloud = Cloud::builder()
        .token("t")
        .endpoint("infra-optim", &server.url)
        .retry(RetryPolicy::disabled())
        .authenticate()
        .await
        .unwrap();
    let watcher = opsclient::watcher::Client::from_cloud(&cloud)
        .await
        .unwrap();
    server.reset();
    server.script([
        Fault::status(406)
            .with_header("openstack-api-minimum-version", "infra-optim 1.0")
            .with_header("openstack-api-maximum-version", "infra-optim 1.4"),
        Fault::json(200, json!({"goals": []})),
    ]);
    watcher.list_goals().send().await.unwrap();
    let seen = server.seen();
    assert_eq!(seen.len(), 2);
    assert_eq!(
        seen[1].header("openstack-api-version"),
        Some("infra-optim 1.4")
    );
}
