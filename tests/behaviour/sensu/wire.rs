//! What the Sensu client puts on the wire and how it reads answers, against a local server.

use std::time::Duration;

use futures::TryStreamExt;
use opsclient::error::{InvalidInput, UnexpectedResponse};
use opsclient::paging::ListRequest;
use opsclient::sensu::{types, Client};
use opsclient::Error;
use serde_json::json;
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

const CHECKS: &str = "/api/core/v2/namespaces/default/checks";

async fn server() -> (MockServer, Client) {
    let server = MockServer::start().await;
    let client = Client::builder()
        .url(server.uri())
        .api_key("test-key")
        .build()
        .unwrap();
    (server, client)
}

fn check(name: &str) -> serde_json::Value {
    json!({
        "command": "true",
        "interval": 60,
        "subscriptions": ["linux"],
        "metadata": {"name": name, "namespace": "default"}
    })
}

fn valid_check(name: &str) -> types::CheckConfig {
    serde_json::from_value(check(name)).unwrap()
}

/// Answers `GET CHECKS?limit=2[&continue=cursor]` with `names`, and `next` as `Sensu-Continue`.
async fn mount_page(server: &MockServer, cursor: Option<&str>, names: &[&str], next: Option<&str>) {
    let request = Mock::given(method("GET"))
        .and(path(CHECKS))
        .and(query_param("limit", "2"));
    let request = match cursor {
        Some(cursor) => request.and(query_param("continue", cursor)),
        None => request.and(query_param_is_missing("continue")),
    };
    let body: Vec<_> = names.iter().map(|n| check(n)).collect();
    let mut response = ResponseTemplate::new(200).set_body_json(body);
    if let Some(next) = next {
        response = response.insert_header("Sensu-Continue", next);
    }
    request.respond_with(response).expect(1).mount(server).await;
}

#[tokio::test]
async fn a_stream_follows_sensu_continue_across_three_pages() {
    let (server, client) = server().await;
    mount_page(&server, None, &["a", "b"], Some("cGFnZTI")).await;
    mount_page(&server, Some("cGFnZTI"), &["c", "d"], Some("cGFnZTM")).await;
    mount_page(&server, Some("cGFnZTM"), &["e"], None).await;

    let names: Vec<String> = client
        .list_checks()
        .namespace("default")
        .stream(2)
        .map_ok(|c| c.metadata.name.unwrap_or_default())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(names, ["a", "b", "c", "d", "e"]);
}

#[tokio::test]
async fn a_stream_stops_when_the_server_repeats_its_cursor() {
    let (server, client) = server().await;
    Mock::given(method("GET"))
        .and(path(CHECKS))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("Sensu-Continue", "c2FtZQ")
                .set_body_json(json!([check("a")])),
        )
        .mount(&server)
        .await;
    let result: Result<Vec<_>, _> = client
        .list_checks()
        .namespace("default")
        .stream(1)
        .try_collect()
        .await;
    assert!(
        matches!(result, Err(Error::UnexpectedResponse(_))),
        "{result:?}"
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn selectors_are_passed_through() {
    let (server, client) = server().await;
    Mock::given(method("GET"))
        .and(path("/api/core/v2/events"))
        .and(query_param("labelSelector", "region == us-west-1"))
        .and(query_param("fieldSelector", "event.check.status != \"0\""))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .expect(1)
        .mount(&server)
        .await;
    let events = client
        .list_events_all_namespaces()
        .label_selector("region == us-west-1")
        .field_selector("event.check.status != \"0\"")
        .send()
        .await
        .unwrap();
    assert!(events.into_inner().is_empty());
}

#[tokio::test]
async fn patch_is_sent_as_exact_merge_patch() {
    let (server, client) = server().await;
    Mock::given(method("PATCH"))
        .and(path(format!("{CHECKS}/cpu")))
        .respond_with(ResponseTemplate::new(200).set_body_json(check("cpu")))
        .expect(1)
        .mount(&server)
        .await;
    let patch = json!({"interval": 30, "subscriptions": ["web"]});
    let patched = client
        .patch_check()
        .namespace("default")
        .check("cpu")
        .if_match("\"5a1e\"")
        .body(serde_json::from_value::<types::MergePatch>(patch.clone()).unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(patched.metadata.name.as_deref(), Some("cpu"));

    let request = &server.received_requests().await.unwrap()[0];
    let content_types: Vec<_> = request.headers.get_all("content-type").iter().collect();
    assert_eq!(content_types, ["application/merge-patch+json"]);
    assert_eq!(request.headers.get("if-match").unwrap(), "\"5a1e\"");
    assert_eq!(request.body_json::<serde_json::Value>().unwrap(), patch);
}

#[tokio::test]
async fn create_sends_json_with_a_content_type_and_accepts_201() {
    let (server, client) = server().await;
    Mock::given(method("POST"))
        .and(path(CHECKS))
        .respond_with(ResponseTemplate::new(201))
        .expect(1)
        .mount(&server)
        .await;
    client
        .create_check()
        .namespace("default")
        .body(valid_check("cpu"))
        .send()
        .await
        .unwrap();
    let request = &server.received_requests().await.unwrap()[0];
    assert_eq!(
        request.headers.get("content-type").unwrap(),
        "application/json"
    );
    assert_eq!(
        request.headers.get("authorization").unwrap(),
        "Key test-key"
    );
    let sent: serde_json::Value = request.body_json().unwrap();
    assert_eq!(sent["metadata"]["name"], "cpu");
    assert_eq!(sent["subscriptions"], json!(["linux"]));
}

/// Sends a GET that the server answers with `response`, and converts the error.
async fn error_for(response: ResponseTemplate) -> Error {
    let (server, client) = server().await;
    Mock::given(method("GET"))
        .and(path(format!("{CHECKS}/cpu")))
        .respond_with(response)
        .mount(&server)
        .await;
    let result = client
        .get_check()
        .namespace("default")
        .check("cpu")
        .send()
        .await;
    result.expect_err("an error status")
}

#[tokio::test]
async fn each_error_body_shape_decodes_into_status_code_and_message() {
    // Middleware shape: capitalised keys, no content type.
    match error_for(
        ResponseTemplate::new(401).set_body_string(r#"{"Code":5,"Message":"bad credentials"}"#),
    )
    .await
    {
        Error::Unauthorized(e) => {
            assert_eq!(
                (e.status.as_u16(), e.code, e.message.as_str()),
                (401, Some(5), "bad credentials")
            )
        }
        other => panic!("{other:?}"),
    }
    // Router shape.
    let router = ResponseTemplate::new(404)
        .insert_header("content-type", "application/json")
        .set_body_string(r#"{"message":"resource not found","code":2}"#);
    match error_for(router).await {
        Error::NotFound(e) => assert_eq!(
            (e.code, e.message.as_str()),
            (Some(2), "resource not found")
        ),
        other => panic!("{other:?}"),
    }
    // Plain text from http.Error.
    let text = ResponseTemplate::new(400)
        .insert_header("content-type", "text/plain; charset=utf-8")
        .set_body_string("invalid access token\n");
    match error_for(text).await {
        Error::InvalidInput(InvalidInput::Server(e)) => {
            assert_eq!((e.code, e.message.as_str()), (None, "invalid access token"))
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn statuses_map_to_variants() {
    let body = |code: u16| {
        ResponseTemplate::new(code).set_body_string(format!(r#"{{"message":"m{code}","code":1}}"#))
    };
    assert!(matches!(error_for(body(403)).await, Error::Forbidden(_)));
    assert!(matches!(
        error_for(body(409)).await,
        Error::AlreadyExists(_)
    ));
    assert!(matches!(
        error_for(body(412)).await,
        Error::PreconditionFailed(_)
    ));
    match error_for(body(503)).await {
        e @ Error::Api(_) => {
            assert!(e.is_retryable());
            assert_eq!(e.status().unwrap().as_u16(), 503);
        }
        other => panic!("{other:?}"),
    }
    match error_for(ResponseTemplate::new(500).set_body_string("Request exceeded max length")).await
    {
        Error::Api(e) => assert_eq!(e.message, "Request exceeded max length"),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn malformed_and_undeclared_answers_are_typed_errors() {
    // A 200 whose body is not a check.
    match error_for(ResponseTemplate::new(200).set_body_string("<html>proxy error</html>")).await {
        Error::UnexpectedResponse(UnexpectedResponse { reason, body, .. }) => {
            assert!(reason.starts_with("malformed body"), "{reason}");
            assert!(body.contains("proxy error"));
        }
        other => panic!("{other:?}"),
    }
    // A status the operation does not declare keeps status and body.
    match error_for(ResponseTemplate::new(202).set_body_string("queued")).await {
        Error::UnexpectedResponse(UnexpectedResponse { status, body, .. }) => {
            assert_eq!(status.unwrap().as_u16(), 202);
            assert_eq!(body, "queued");
        }
        other => panic!("{other:?}"),
    }
    // A huge error body is cut.
    match error_for(ResponseTemplate::new(500).set_body_string("x".repeat(1 << 20))).await {
        Error::Api(e) => assert!(e.body.len() < 1024),
        other => panic!("{other:?}"),
    }
    // Binary garbage never panics.
    let garbage = ResponseTemplate::new(418).set_body_bytes(vec![0xff, 0xfe, 0x00, 0x7b]);
    assert!(matches!(error_for(garbage).await, Error::Api(_)));
}

#[tokio::test]
async fn invalid_checks_are_refused_before_the_network() {
    let (server, client) = server().await;
    let mut no_subscriptions = check("cpu");
    no_subscriptions["subscriptions"] = json!([]);
    let body: types::CheckConfig = serde_json::from_value(no_subscriptions).unwrap();
    let err = client
        .create_check()
        .namespace("default")
        .body(body)
        .send()
        .await
        .unwrap_err();
    match err {
        Error::InvalidInput(InvalidInput::Client(v)) => assert_eq!(v.field, "subscriptions"),
        other => panic!("{other:?}"),
    }
    // A merge patch that empties the subscriptions is refused too.
    let patch: types::MergePatch = serde_json::from_value(json!({"subscriptions": []})).unwrap();
    let err = client
        .patch_check()
        .namespace("default")
        .check("cpu")
        .body(patch)
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidInput(InvalidInput::Client(_))));
    // A name that breaks the pattern cannot even be built.
    let mut bad_proxy = check("cpu");
    bad_proxy["proxy_entity_name"] = json!("bad name/with slash");
    assert!(serde_json::from_value::<types::CheckConfig>(bad_proxy).is_err());

    assert!(
        server.received_requests().await.unwrap().is_empty(),
        "nothing was sent"
    );
}

#[tokio::test]
async fn a_slow_server_is_a_timeout() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let client = Client::builder()
        .url(server.uri())
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let err = client.list_namespaces().send().await.unwrap_err();
    assert!(matches!(err, Error::Timeout(_)), "{err:?}");
    assert!(err.is_retryable());
}

#[tokio::test]
async fn a_closed_port_is_a_transport_error() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = Client::builder()
        .host("127.0.0.1")
        .port(port)
        .build()
        .unwrap();
    let err = client.list_namespaces().send().await.unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
}
