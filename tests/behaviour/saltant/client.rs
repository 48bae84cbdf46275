//! The saltant client against a local HTTP server that answers as the saltant server's code
//! does (no saltant server can run here): both auth modes, the authentication probe,
//! `from_env`, paging, clone and terminate, and every error body shape.

#![cfg(feature = "saltant")]

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::fixed_env::env;
use futures::TryStreamExt;
use opsclient::error::{ConfigError, InvalidInput};
use opsclient::paging::ListRequest;
use opsclient::saltant::{types, Client, ClientInfo};
use opsclient::Error;
use secrecy::ExposeSecret;
use serde_json::{json, Value};
use wiremock::matchers::{body_json, header, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

const UUID: &str = "6fa3b1c2-4d5e-4f60-8a7b-9c0d1e2f3a4b";

fn queue(id: i64) -> Value {
    json!({
        "id": id, "user": "alice", "name": format!("queue-{id}"), "description": "",
        "private": false, "runs_executable_tasks": true, "runs_docker_container_tasks": true,
        "runs_singularity_container_tasks": false, "active": true, "whitelists": []
    })
}

fn instance(state: &str) -> Value {
    json!({
        "uuid": UUID, "user": "alice", "name": "nightly", "state": state,
        "datetime_created": "2026-11-22T10:00:00.123456Z", "datetime_finished": null,
        "arguments": {"sample": 3}, "task_queue": 1, "task_type": 2
    })
}

fn page(results: Vec<Value>, next: Option<String>) -> Value {
    json!({"count": 5, "next": next, "previous": null, "results": results})
}

/// A JWT whose `exp` is `lifetime` from now (the signature is not checked by the client).
fn jwt(lifetime: Duration, n: u32) -> String {
    let exp = (SystemTime::now() + lifetime)
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let payload =
        data_encoding::BASE64URL_NOPAD.encode(format!(r#"{{"exp":{exp},"n":{n}}}"#).as_bytes());
    format!("eyJhbGciOiJIUzI1NiJ9.{payload}.c2ln")
}

async fn users_answer(server: &MockServer, authorization: &str) {
    Mock::given(method("GET"))
        .and(path("/api/users/"))
        .and(header("authorization", authorization))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(
            vec![json!({"username": "alice", "email": "a@example.org"})],
            None,
        )))
        .mount(server)
        .await;
}

/// Answers `GET /api/taskqueues/1/` `times` times, for the bearer of `access` only.
async fn queue_answer(server: &MockServer, access: &str, times: u64) {
    Mock::given(method("GET"))
        .and(path("/api/taskqueues/1/"))
        .and(header("authorization", format!("Bearer {access}").as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(queue(1)))
        .expect(times)
        .mount(server)
        .await;
}

/// A client of `server` that logs in as alice, renewing tokens 30 s before they expire.
fn jwt_client(server: &MockServer) -> Client {
    Client::builder()
        .url(format!("{}/api", server.uri()))
        .jwt("alice", "s3cret")
        .refresh_threshold(Duration::from_secs(30))
        .test_if_authenticated(false)
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_token_is_sent_and_checked_at_connect() {
    let server = MockServer::start().await;
    users_answer(&server, "Token abc123").await;
    Mock::given(method("GET"))
        .and(path("/api/taskqueues/1/"))
        .and(header("authorization", "Token abc123"))
        .respond_with(ResponseTemplate::new(200).set_body_json(queue(1)))
        .mount(&server)
        .await;
    // The API root as saltant-py takes it, with its trailing slash.
    let client = Client::with_auth_token(&format!("{}/api/", server.uri()), "abc123")
        .await
        .unwrap();
    let got = client.get_task_queue().id(1).send().await.unwrap();
    assert_eq!(got.name.as_str(), "queue-1");
    let probes = server.received_requests().await.unwrap();
    assert_eq!(
        probes[0].url.query(),
        Some("page_size=1"),
        "one small probe first"
    );
}

#[tokio::test]
async fn refused_credentials_fail_the_probe_with_a_typed_error() {
    let server = MockServer::start().await;
    // saltant answers 403, not 401: its first authentication class sends no WWW-Authenticate.
    Mock::given(method("GET"))
        .and(path("/api/users/"))
        .respond_with(ResponseTemplate::new(403).set_body_json(json!({"detail": "Invalid token."})))
        .mount(&server)
        .await;
    let err = Client::with_auth_token(&format!("{}/api", server.uri()), "wrong")
        .await
        .unwrap_err();
    match &err {
        Error::Unauthorized(e) => assert_eq!(
            (e.status.as_u16(), e.message.as_str()),
            (403, "Invalid token.")
        ),
        other => panic!("{other:?}"),
    }
    assert!(
        !format!("{err:?}").contains("wrong"),
        "the token never shows"
    );

    // Turned off, connecting sends nothing.
    let quiet = MockServer::start().await;
    Client::builder()
        .url(quiet.uri())
        .auth_token("t")
        .test_if_authenticated(false)
        .connect()
        .await
        .unwrap();
    assert!(quiet.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn a_jwt_login_is_refreshed_once_for_many_calls() {
    let server = MockServer::start().await;
    // The first access token lives 2 s, less than the 30 s threshold: it is due for renewal
    // halfway through its life.
    let first = jwt(Duration::from_secs(2), 1);
    let second = jwt(Duration::from_secs(3600), 2);
    Mock::given(method("POST"))
        .and(path("/api/token/"))
        .and(body_json(
            json!({"username": "alice", "password": "s3cret"}),
        ))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"refresh": "refresh-1", "access": first})),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/token/refresh/"))
        .and(body_json(json!({"refresh": "refresh-1"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"access": second})))
        .expect(1)
        .mount(&server)
        .await;
    users_answer(&server, &format!("Bearer {first}")).await;
    queue_answer(&server, &second, 20).await;
    let client = jwt_client(&server);
    client.test_authentication().await.unwrap();
    tokio::time::sleep(Duration::from_secs(1)).await;
    // Twenty concurrent calls share one refresh: simplejwt's refresh endpoint is called once.
    let calls = (0..20).map(|_| async { client.get_task_queue().id(1).send().await.map(drop) });
    futures::future::try_join_all(calls).await.unwrap();
    let token = client.token().await.unwrap();
    assert_eq!(token.access().expose_secret(), second);
    assert_eq!(
        token.refresh().unwrap().expose_secret(),
        "refresh-1",
        "not rotated"
    );
    assert!(!format!("{token:?}").contains("refresh-1"));
}

#[tokio::test]
async fn a_refused_jwt_is_renewed_once_and_a_refused_action_is_not() {
    let server = MockServer::start().await;
    let first = jwt(Duration::from_secs(3600), 1);
    let second = jwt(Duration::from_secs(3600), 2);
    Mock::given(method("POST"))
        .and(path("/api/token/"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"refresh": "refresh-1", "access": first})),
        )
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/token/refresh/"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"access": second})))
        .expect(1)
        .mount(&server)
        .await;
    // The server no longer takes the first token (say, clocks apart): simplejwt's 403.
    Mock::given(method("GET"))
        .and(path("/api/taskqueues/1/"))
        .and(header("authorization", format!("Bearer {first}").as_str()))
        .respond_with(ResponseTemplate::new(403).set_body_json(json!({
            "detail": "Given token not valid for any token type", "code": "token_not_valid",
            "messages": [{"token_class": "AccessToken", "token_type": "access", "message": "Token is invalid or expired"}]
        })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/taskqueues/1/"))
        .and(header("authorization", format!("Bearer {second}").as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(queue(1)))
        .mount(&server)
        .await;
    // Not the owner: a refusal of the action, which a new token would not change.
    Mock::given(method("PATCH"))
        .and(path("/api/taskqueues/1/"))
        .respond_with(
            ResponseTemplate::new(403).set_body_json(
                json!({"detail": "You do not have permission to perform this action."}),
            ),
        )
        .mount(&server)
        .await;
    let client = Client::builder()
        .url(format!("{}/api", server.uri()))
        .jwt("alice", "s3cret")
        .test_if_authenticated(false)
        .build()
        .unwrap();
    assert_eq!(client.get_task_queue().id(1).send().await.unwrap().id, 1);
    let patch: types::TaskQueuePatch = serde_json::from_value(json!({"active": false})).unwrap();
    let denied = client.patch_task_queue().id(1).body(patch).send().await;
    assert!(
        matches!(denied, Err(Error::Forbidden(ref e)) if e.message.starts_with("You do not have")),
        "{denied:?}"
    );
}

#[tokio::test]
async fn a_failed_jwt_login_is_a_typed_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/token/"))
        .respond_with(
            ResponseTemplate::new(401).set_body_json(
                json!({"detail": "No active account found with the given credentials"}),
            ),
        )
        .mount(&server)
        .await;
    let err = Client::builder()
        .url(server.uri() + "/api")
        .jwt("alice", "nope")
        .connect()
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Unauthorized(ref e) if e.message.starts_with("No active account")),
        "{err:?}"
    );
}

#[test]
fn from_env_names_the_missing_variable() {
    let missing = |pairs: &[(&str, &str)]| match Client::builder().env_from(env(pairs)) {
        Err(Error::Config(ConfigError::MissingVariable { name })) => name,
        other => panic!("{:?}", other.map(|_| ())),
    };
    assert_eq!(missing(&[("SALTANT_AUTH_TOKEN", "t")]), "SALTANT_API_URL");
    assert_eq!(
        missing(&[("SALTANT_API_URL", "https://s.example/api/")]),
        "SALTANT_AUTH_TOKEN"
    );
    let ok = Client::builder()
        .env_from(env(&[
            ("SALTANT_API_URL", "https://s.example/api/"),
            ("SALTANT_AUTH_TOKEN", "t"),
        ]))
        .unwrap()
        .build()
        .unwrap();
    assert_eq!(ok.baseurl(), "https://s.example/api");
}

#[tokio::test]
async fn lists_stream_over_every_page() {
    let server = MockServer::start().await;
    let base = format!("{}/api", server.uri());
    let link = |n: u32| Some(format!("{base}/taskqueues/?page={n}&page_size=2"));
    Mock::given(method("GET"))
        .and(path("/api/taskqueues/"))
        .and(query_param_is_missing("page"))
        .and(query_param("page_size", "2"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(page(vec![queue(1), queue(2)], link(2))),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/taskqueues/"))
        .and(query_param("page", "2"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(page(vec![queue(3), queue(4)], link(3))),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/taskqueues/"))
        .and(query_param("page", "3"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(vec![queue(5)], None)))
        .mount(&server)
        .await;
    let client = Client::builder()
        .url(&base)
        .auth_token("t")
        .build()
        .unwrap();
    let queues: Vec<types::TaskQueue> = client
        .list_task_queues()
        .stream(2)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        queues.iter().map(|q| q.id).collect::<Vec<_>>(),
        [1, 2, 3, 4, 5]
    );
}

#[tokio::test]
async fn clone_answers_201_and_terminate_202() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/api/containertaskinstances/{UUID}/clone/")))
        .respond_with(ResponseTemplate::new(201).set_body_json(instance("created")))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(format!(
            "/api/executabletaskinstances/{UUID}/terminate/"
        )))
        .respond_with(ResponseTemplate::new(202).set_body_json(instance("terminated")))
        .mount(&server)
        .await;
    // A clone answered 200 is not what the server does: an unexpected response, not success.
    Mock::given(method("POST"))
        .and(path(format!("/api/executabletaskinstances/{UUID}/clone/")))
        .respond_with(ResponseTemplate::new(200).set_body_json(instance("created")))
        .mount(&server)
        .await;
    let client = Client::builder()
        .url(server.uri() + "/api")
        .auth_token("t")
        .build()
        .unwrap();
    let uuid: uuid::Uuid = UUID.parse().unwrap();
    let cloned = client
        .clone_container_task_instance()
        .uuid(uuid)
        .send()
        .await
        .unwrap();
    assert_eq!(
        (cloned.status().as_u16(), cloned.state),
        (201, types::TaskInstanceState::Created)
    );
    assert_eq!(cloned.arguments["sample"], 3);
    let terminated = client
        .terminate_executable_task_instance()
        .uuid(uuid)
        .send()
        .await
        .unwrap();
    assert_eq!(
        (terminated.status().as_u16(), terminated.state),
        (202, types::TaskInstanceState::Terminated)
    );
    let odd = client
        .clone_executable_task_instance()
        .uuid(uuid)
        .send()
        .await;
    assert!(
        matches!(odd, Err(Error::UnexpectedResponse(ref e)) if e.status.map(|s| s.as_u16()) == Some(200)),
        "{odd:?}"
    );
}

#[tokio::test]
async fn every_error_body_shape_is_decoded() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/taskqueues/9/"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({"detail": "Not found."})))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/taskqueues/"))
        .respond_with(
            ResponseTemplate::new(400)
                .set_body_json(json!({"name": ["task queue with this name already exists."]})),
        )
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(path(format!("/api/updatetaskinstancestatus/{UUID}/")))
        .respond_with(
            ResponseTemplate::new(400)
                .set_body_json(json!(format!("No task instance with UUID {UUID} found"))),
        )
        .mount(&server)
        .await;
    let client = Client::builder()
        .url(server.uri() + "/api")
        .auth_token("t")
        .build()
        .unwrap();

    let missing = client.get_task_queue().id(9).send().await;
    assert!(
        matches!(missing, Err(Error::NotFound(ref e)) if e.message == "Not found."),
        "{missing:?}"
    );

    let body = types::TaskQueueRequest::builder().name("queue-1");
    let taken = client.create_task_queue().body(body).send().await;
    match taken {
        Err(Error::InvalidInput(InvalidInput::Server(e))) => {
            assert_eq!(e.message, "name: task queue with this name already exists.")
        }
        other => panic!("{other:?}"),
    }

    let state = types::TaskInstanceStateUpdate {
        state: types::TaskInstanceState::Running,
        extra: Default::default(),
    };
    let unknown = client
        .update_task_instance_state()
        .uuid(UUID.parse::<uuid::Uuid>().unwrap())
        .body(state)
        .send()
        .await;
    match unknown {
        Err(Error::InvalidInput(InvalidInput::Server(e))) => {
            assert_eq!(
                e.message,
                format!("No task instance with UUID {UUID} found")
            )
        }
        other => panic!("{other:?}"),
    }
}

/// A page of task instances from a newer saltant keeps, on its way back, every property no
/// document declares: on the page and on each instance.
#[test]
fn a_task_instance_page_from_a_newer_server_keeps_every_property() {
    let sent = json!({
        "count": 1, "next": null, "previous": null, "x_newer_page": {"cursor": "c"},
        "results": [{
            "uuid": "7f1c2a4e-0d2b-4b8e-9d4f-1a2b3c4d5e6f", "name": "nightly",
            "state": "running", "user": "alice", "task_queue": 1, "task_type": 2,
            "arguments": {"repeat": 3}, "datetime_created": "2026-01-01T00:00:00Z",
            "datetime_finished": null, "x_newer_priority": 7, "x_newer_labels": ["a"]
        }]
    });
    let page: types::ContainerTaskInstancePage = serde_json::from_value(sent.clone()).unwrap();
    assert_eq!(page.results[0].extra["x_newer_priority"], 7);
    assert_eq!(serde_json::to_value(&page).unwrap(), sent);
}

#[tokio::test]
async fn an_expired_refresh_token_logs_in_again_with_the_password() {
    let server = MockServer::start().await;
    // The first access token lives 2 s: due for renewal halfway through its life.
    let first = jwt(Duration::from_secs(2), 1);
    let second = jwt(Duration::from_secs(3600), 2);
    let logins = [first.clone(), second.clone()].map(|access| {
        ResponseTemplate::new(200).set_body_json(json!({"refresh": "refresh-1", "access": access}))
    });
    Mock::given(method("POST"))
        .and(path("/api/token/"))
        .and(body_json(
            json!({"username": "alice", "password": "s3cret"}),
        ))
        .respond_with(logins[0].clone())
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    // simplejwt refuses a refresh token that has expired with 401.
    Mock::given(method("POST"))
        .and(path("/api/token/refresh/"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({
            "detail": "Token is invalid or expired", "code": "token_not_valid"
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/token/"))
        .and(body_json(
            json!({"username": "alice", "password": "s3cret"}),
        ))
        .respond_with(logins[1].clone())
        .expect(1)
        .mount(&server)
        .await;
    queue_answer(&server, &second, 1).await;
    let client = jwt_client(&server);
    users_answer(&server, &format!("Bearer {first}")).await;
    client.test_authentication().await.unwrap();
    assert_eq!(
        client.token().await.unwrap().access().expose_secret(),
        first
    );
    tokio::time::sleep(Duration::from_secs(1)).await;
    // The refresh is refused, so the client logs in again and the call goes through.
    assert_eq!(client.get_task_queue().id(1).send().await.unwrap().id, 1);
    assert_eq!(
        client.token().await.unwrap().access().expose_secret(),
        second
    );
}
