//! Each API client against a fault-injecting server: how many requests a call makes for each
//! passing failure, that a POST is never sent twice once it may have reached the server, that
//! the caller's timeout covers every attempt, and that a huge, hung, trickling or cut-off answer
//! ends in a typed error.

#![cfg(all(
    feature = "sensu",
    feature = "saltant",
    feature = "watcher",
    feature = "monasca"
))]

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use crate::fault_server::{Fault, FaultServer};
use opsclient::openstack::auth::UserRef;
use opsclient::openstack::Cloud;
use opsclient::{Error, RetryPolicy};
use serde_json::json;

type Call<'a> = Pin<Box<dyn Future<Output = opsclient::Result<()>> + 'a>>;

/// One API's client on the fault server: a call that is safe to repeat and one that is not,
/// the answers that make each succeed, and the requests that set the client up.
struct Target {
    name: &'static str,
    get: Box<dyn Fn() -> Call<'static>>,
    post: Box<dyn Fn() -> Call<'static>>,
    get_path: &'static str,
    post_path: &'static str,
    get_ok: Fault,
    post_ok: Fault,
}

/// The retries and the timeout a target's client is built with.
#[derive(Clone, Copy)]
struct Setup {
    retry: RetryPolicy,
    timeout: Duration,
}

/// What the fault tests' clients are given: quick retries, so that real time is short.
fn quick() -> Setup {
    Setup {
        retry: retries(),
        timeout: TIMEOUT,
    }
}

/// Quick retries.
fn retries() -> RetryPolicy {
    RetryPolicy::default()
        .base_delay(Duration::from_millis(5))
        .max_delay(Duration::from_millis(20))
}

const TIMEOUT: Duration = Duration::from_millis(800);
const BODY_LIMIT: usize = 64 * 1024;

async fn sensu(server: &FaultServer, setup: Setup) -> Target {
    let client = opsclient::sensu::Client::builder()
        .url(&server.url)
        .api_key("k")
        .retry(setup.retry)
        .timeout(setup.timeout)
        .max_body_size(BODY_LIMIT)
        .build()
        .unwrap();
    let (a, b) = (client.clone(), client);
    Target {
        name: "sensu",
        get: Box::new(move || {
            let c = a.clone();
            Box::pin(async move { c.list_namespaces().send().await.map(drop) })
        }),
        post: Box::new(move || {
            let c = b.clone();
            Box::pin(async move {
                let body = opsclient::sensu::types::Namespace::builder().name("n");
                c.create_namespace().body(body).send().await.map(drop)
            })
        }),
        get_path: "/api/core/v2/namespaces",
        post_path: "/api/core/v2/namespaces",
        get_ok: Fault::json(200, json!([{"name": "default"}])),
        post_ok: Fault::status(201),
    }
}

async fn saltant(server: &FaultServer, setup: Setup) -> Target {
    let client = opsclient::saltant::Client::builder()
        .url(&server.url)
        .auth_token("t")
        .retry(setup.retry)
        .timeout(setup.timeout)
        .max_body_size(BODY_LIMIT)
        .build()
        .unwrap();
    let (a, b) = (client.clone(), client);
    Target {
        name: "saltant",
        get: Box::new(move || {
            let c = a.clone();
            Box::pin(async move { c.list_users().send().await.map(drop) })
        }),
        post: Box::new(move || {
            let c = b.clone();
            Box::pin(async move {
                let body = opsclient::saltant::types::TaskQueueRequest::builder().name("q");
                c.create_task_queue().body(body).send().await.map(drop)
            })
        }),
        get_path: "/users/",
        post_path: "/taskqueues/",
        get_ok: Fault::json(
            200,
            json!({"count": 0, "next": null, "previous": null, "results": []}),
        ),
        post_ok: Fault::json(
            201,
            json!({"id": 1, "user": "a", "name": "q", "description": "", "private": false,
                   "runs_executable_tasks": true, "runs_docker_container_tasks": true,
                   "runs_singularity_container_tasks": true, "active": true, "whitelists": []}),
        ),
    }
}

/// A cloud in direct mode: a token and the service's endpoint, no Keystone.
async fn direct_cloud(server: &FaultServer, service: &str, setup: Setup) -> Cloud {
    Cloud::builder()
        .token("direct-token")
        .endpoint(service, &server.url)
        .retry(setup.retry)
        .timeout(setup.timeout)
        .max_body_size(BODY_LIMIT)
        .authenticate()
        .await
        .unwrap()
}

async fn watcher(server: &FaultServer, setup: Setup) -> Target {
    let root = json!({"versions": [{"id": "v1", "status": "CURRENT", "min_version": "1.0",
        "max_version": "1.7", "links": []}], "default_version": {"id": "v1",
        "status": "CURRENT", "min_version": "1.0", "max_version": "1.7", "links": []}});
    server.script([Fault::json(200, root)]);
    let cloud = direct_cloud(server, "infra-optim", setup).await;
    let client = opsclient::watcher::Client::from_cloud(&cloud)
        .await
        .unwrap();
    server.reset();
    let (a, b) = (client.clone(), client);
    Target {
        name: "watcher",
        get: Box::new(move || {
            let c = a.clone();
            Box::pin(async move { c.list_goals().send().await.map(drop) })
        }),
        post: Box::new(move || {
            let c = b.clone();
            Box::pin(async move {
                let body: opsclient::watcher::types::AuditTemplateCreate =
                    serde_json::from_value(json!({"name": "t", "goal": "dummy"})).unwrap();
                c.create_audit_template().body(body).send().await.map(drop)
            })
        }),
        get_path: "/v1/goals",
        post_path: "/v1/audit_templates",
        get_ok: Fault::json(200, json!({"goals": []})),
        post_ok: Fault::json(201, json!({"uuid": "u", "name": "t"})),
    }
}

async fn monasca(server: &FaultServer, setup: Setup) -> Target {
    let cloud = direct_cloud(server, "monitoring", setup).await;
    let client = opsclient::monasca::Client::from_cloud(&cloud)
        .await
        .unwrap();
    server.reset();
    let (a, b) = (client.clone(), client);
    Target {
        name: "monasca",
        get: Box::new(move || {
            let c = a.clone();
            Box::pin(async move { c.list_metrics().send().await.map(drop) })
        }),
        post: Box::new(move || {
            let c = b.clone();
            Box::pin(async move {
                let body: opsclient::monasca::types::NotificationMethodCreate =
                    serde_json::from_value(
                        json!({"name": "n", "type": "EMAIL", "address": "a@example.com"}),
                    )
                    .unwrap();
                c.create_notification_method()
                    .body(body)
                    .send()
                    .await
                    .map(drop)
            })
        }),
        get_path: "/v2.0/metrics",
        post_path: "/v2.0/notification-methods",
        get_ok: Fault::json(200, json!({"links": [], "elements": []})),
        post_ok: Fault::json(
            201,
            json!({"id": "1", "name": "n", "type": "EMAIL", "address": "a@example.com",
                   "period": 0, "links": []}),
        ),
    }
}

/// A token answer, valid for a day.
pub fn keystone_token() -> Fault {
    Fault::json(
        201,
        json!({"token": {"methods": ["password"], "user": {"id": "u", "name": "u",
            "domain": {"id": "default", "name": "Default"}},
            "audit_ids": ["a"], "issued_at": "2026-01-01T00:00:00.000000Z",
            "expires_at": "2999-01-01T00:00:00.000000Z"}}),
    )
    .with_header("x-subject-token", "keystone-token")
}

async fn keystone(server: &FaultServer, setup: Setup) -> Target {
    server.script([keystone_token()]);
    let cloud = Cloud::builder()
        .url(format!("{}/v3", server.url))
        .password(UserRef::Id("u".into()), "secret")
        .retry(setup.retry)
        .timeout(setup.timeout)
        .max_body_size(BODY_LIMIT)
        .authenticate()
        .await
        .unwrap();
    server.reset();
    let (a, b) = (cloud.clone(), cloud);
    Target {
        name: "keystone",
        get: Box::new(move || {
            let c = a.clone();
            Box::pin(async move {
                let keystone = c.keystone().unwrap().clone();
                keystone.list_auth_projects().send().await.map(drop)
            })
        }),
        post: Box::new(move || {
            let c = b.clone();
            Box::pin(async move { c.reauthenticate().await })
        }),
        get_path: "/v3/auth/projects",
        post_path: "/v3/auth/tokens",
        get_ok: Fault::json(200, json!({"projects": [], "links": {"self": "x"}})),
        post_ok: keystone_token(),
    }
}

/// The requests the server read on `path`.
fn count(server: &FaultServer, path: &str) -> usize {
    server
        .seen()
        .iter()
        .filter(|s| s.path.split('?').next() == Some(path))
        .count()
}

/// Runs every fault against one API's client.
async fn every_fault(server: FaultServer, target: Target) {
    let name = target.name;
    let run = |faults: Vec<Fault>, post: bool| {
        server.reset();
        server.script(faults);
        if post {
            (target.post)()
        } else {
            (target.get)()
        }
    };

    // Passing failures of a call that is safe to repeat: each is retried.
    let ok = run(
        vec![
            Fault::status(503),
            Fault::status(502),
            target.get_ok.clone(),
        ],
        false,
    )
    .await;
    assert!(ok.is_ok(), "{name}: {ok:?}");
    assert_eq!(count(&server, target.get_path), 3, "{name}: 503, 502, 200");

    let ok = run(vec![Fault::Close, target.get_ok.clone()], false).await;
    assert!(ok.is_ok(), "{name}: {ok:?}");
    assert_eq!(count(&server, target.get_path), 2, "{name}: closed, 200");

    let ok = run(
        vec![
            Fault::status(429).with_header("retry-after", "0"),
            Fault::status(504),
            target.get_ok.clone(),
        ],
        false,
    )
    .await;
    assert!(ok.is_ok(), "{name}: {ok:?}");
    assert_eq!(count(&server, target.get_path), 3, "{name}: 429, 504, 200");

    // Three attempts, then the last answer is the error, with what a caller needs to retry.
    let failed = run(
        vec![
            Fault::status(503),
            Fault::status(503),
            Fault::status(503)
                .with_header("retry-after", "0")
                .with_header("x-openstack-request-id", "req-42"),
            target.get_ok.clone(),
        ],
        false,
    )
    .await
    .unwrap_err();
    assert_eq!(count(&server, target.get_path), 3, "{name}: three attempts");
    assert_eq!(failed.status().map(|s| s.as_u16()), Some(503), "{name}");
    assert_eq!(failed.retry_after(), Some(Duration::ZERO), "{name}");
    assert_eq!(failed.request_id(), Some("req-42"), "{name}");

    // A call that must not be repeated is sent once, whatever happens after it left.
    for fault in [Fault::status(503), Fault::status(429), Fault::Close] {
        let outcome = run(vec![fault.clone(), target.post_ok.clone()], true).await;
        assert!(outcome.is_err(), "{name}: {fault:?} must fail the POST");
        assert_eq!(
            count(&server, target.post_path),
            1,
            "{name}: {fault:?} POST sent once"
        );
    }
    let ok = run(vec![target.post_ok.clone()], true).await;
    assert!(ok.is_ok(), "{name}: {ok:?}");

    // A client error is an answer, not a passing failure.
    let refused = run(vec![Fault::status(404), target.get_ok.clone()], false).await;
    assert!(
        matches!(refused, Err(Error::NotFound(_))),
        "{name}: {refused:?}"
    );
    assert_eq!(count(&server, target.get_path), 1, "{name}: 404 once");

    // Bounded answers: a hang and a trickle end in a timeout, within the caller's timeout.
    for fault in [
        Fault::Hang,
        Fault::Trickle {
            every: Duration::from_millis(50),
        },
    ] {
        let started = std::time::Instant::now();
        let outcome = run(vec![fault.clone()], false).await;
        assert!(
            matches!(outcome, Err(Error::Timeout(_))),
            "{name}: {fault:?}: {outcome:?}"
        );
        let took = started.elapsed();
        // The server would hold on for a day; the call ends at the timeout (with slack for a
        // busy machine).
        assert!(took < TIMEOUT * 3, "{name}: {fault:?} took {took:?}");
    }
    // A body over the limit is refused, not allocated.
    let huge = run(
        vec![Fault::Huge {
            length: 10 * BODY_LIMIT,
        }],
        false,
    )
    .await;
    match huge {
        Err(Error::UnexpectedResponse(e)) => {
            assert!(e.reason.contains("larger than the limit"), "{name}: {e}")
        }
        other => panic!("{name}: {other:?}"),
    }
    // A body cut off half-way is a transport error.
    let cut = run(vec![Fault::CutOff { length: 1000 }], false).await;
    assert!(matches!(cut, Err(Error::Transport(_))), "{name}: {cut:?}");
}

/// One test per API: its client against every fault.
macro_rules! under_faults {
    ($($test:ident => $target:ident),* $(,)?) => {$(
        #[tokio::test]
        async fn $test() {
            let server = FaultServer::start().await;
            let target = $target(&server, quick()).await;
            every_fault(server, target).await;
        }
    )*};
}

/// One client's retry timing on tokio's paused clock: backoff under its ceiling for each
/// retry, `Retry-After` honoured in seconds and as an HTTP date, and capped.
async fn retry_timing(server: FaultServer, target: Target) {
    let name = target.name;
    let gaps = || -> Vec<Duration> {
        let seen = server.seen();
        seen.windows(2).map(|w| w[1].at - w[0].at).collect()
    };
    let run = |faults: Vec<Fault>| {
        server.reset();
        server.script(faults);
        (target.get)()
    };
    // Base 1 s, cap 10 s: retry n waits a random share of 2^(n-1) s.
    run(vec![
        Fault::status(503),
        Fault::status(502),
        Fault::status(504),
        target.get_ok.clone(),
    ])
    .await
    .unwrap();
    let backoff = gaps();
    assert_eq!(backoff.len(), 3, "{name}");
    for (gap, ceiling) in backoff.iter().zip([1, 2, 4]) {
        assert!(*gap <= Duration::from_secs(ceiling), "{name}: {backoff:?}");
    }

    run(vec![
        Fault::status(429).with_header("retry-after", "7"),
        target.get_ok.clone(),
    ])
    .await
    .unwrap();
    let gap = gaps()[0];
    assert!(
        gap >= Duration::from_secs(7) && gap < Duration::from_millis(7100),
        "{name}: {gap:?}"
    );

    // Retry-After means something on 429 and 503 only: a 502 carrying one gets the backoff.
    run(vec![
        Fault::status(502).with_header("retry-after", "7"),
        target.get_ok.clone(),
    ])
    .await
    .unwrap();
    let gap = gaps()[0];
    assert!(gap <= Duration::from_secs(1), "{name}: {gap:?}");

    let date = httpdate::fmt_http_date(std::time::SystemTime::now() + Duration::from_secs(6));
    run(vec![
        Fault::status(503).with_header("retry-after", &date),
        target.get_ok.clone(),
    ])
    .await
    .unwrap();
    let gap = gaps()[0];
    // An HTTP date has whole seconds.
    assert!(
        gap >= Duration::from_secs(4) && gap <= Duration::from_secs(6),
        "{name}: {gap:?}"
    );

    run(vec![
        Fault::status(503).with_header("retry-after", "3600"),
        target.get_ok.clone(),
    ])
    .await
    .unwrap();
    assert_eq!(
        gaps()[0].as_secs(),
        10,
        "{name}: capped at the policy's cap"
    );
}

/// One test per API of its retry timing, on a paused clock.
macro_rules! retry_timing {
    ($($test:ident => $target:ident),* $(,)?) => {$(
        #[tokio::test(start_paused = true)]
        async fn $test() {
            let server = FaultServer::start().await;
            let setup = Setup {
                retry: RetryPolicy::default()
                    .max_attempts(5)
                    .base_delay(Duration::from_secs(1))
                    .max_delay(Duration::from_secs(10)),
                timeout: Duration::from_secs(120),
            };
            let target = $target(&server, setup).await;
            retry_timing(server, target).await;
        }
    )*};
}

retry_timing! {
    sensu_retry_timing => sensu,
    saltant_retry_timing => saltant,
    watcher_retry_timing => watcher,
    monasca_retry_timing => monasca,
    keystone_retry_timing => keystone,
}

under_faults! {
    sensu_client_under_faults => sensu,
    saltant_client_under_faults => saltant,
    watcher_client_under_faults => watcher,
    monasca_client_under_faults => monasca,
    keystone_client_under_faults => keystone,
}

/// A connect error means nothing was sent, so even a POST is tried again: the call succeeds
/// once the server is up and the server sees the POST once. Without retries it is a typed
/// connect error. Sensu and Monasca stand for every client: the transport is shared.
#[tokio::test]
async fn a_post_refused_at_connect_is_sent_once_the_server_is_up() {
    let patient = RetryPolicy::default()
        .connect_retries(100)
        .base_delay(Duration::from_millis(20))
        .max_delay(Duration::from_millis(20));
    for (retry, comes_up) in [(patient, true), (RetryPolicy::disabled(), false)] {
        let reserved = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let address = reserved.local_addr().unwrap();
        drop(reserved);
        let server = FaultServer::unstarted(&format!("http://{address}"));
        // The notification method Monasca answers; Sensu reads no body from a create.
        server.otherwise(Fault::json(
            201,
            json!({"id": "1", "name": "n", "type": "EMAIL", "address": "a@example.com",
                   "period": 0, "links": []}),
        ));
        let sensu = opsclient::sensu::Client::builder()
            .url(&server.url)
            .api_key("k")
            .retry(retry)
            .build()
            .unwrap();
        let cloud = Cloud::builder()
            .token("direct-token")
            .endpoint("monitoring", &server.url)
            .retry(retry)
            .authenticate()
            .await
            .unwrap();
        let monasca = opsclient::monasca::Client::from_cloud(&cloud)
            .await
            .unwrap();
        let check = opsclient::sensu::types::CheckConfig::new("c", "true")
            .interval(60)
            .subscriptions(["linux"])
            .build()
            .unwrap();
        let calls = tokio::spawn(async move {
            let sensu = sensu.in_namespace("default").create(&check).await.map(drop);
            let monasca = monasca
                .create_notification_method()
                .body(
                    serde_json::from_value::<opsclient::monasca::types::NotificationMethodCreate>(
                        json!({"name": "n", "type": "EMAIL", "address": "a@example.com"}),
                    )
                    .unwrap(),
                )
                .send()
                .await
                .map(drop);
            (sensu, monasca)
        });
        if comes_up {
            tokio::time::sleep(Duration::from_millis(60)).await;
            server.listen(tokio::net::TcpListener::bind(address).await.unwrap());
        }
        let (sensu, monasca) = calls.await.unwrap();
        if comes_up {
            sensu.expect("the check is created once the server is up");
            monasca.expect("the notification method is created once the server is up");
            assert_eq!(count(&server, "/api/core/v2/namespaces/default/checks"), 1);
            assert_eq!(count(&server, "/v2.0/notification-methods"), 1);
        } else {
            for error in [sensu.unwrap_err(), monasca.unwrap_err()] {
                assert!(
                    matches!(&error, Error::Transport(e) if e.is_connect()),
                    "{error:?}"
                );
            }
            assert!(server.seen().is_empty());
        }
    }
}
