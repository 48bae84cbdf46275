//! The five generic calls reach the right endpoint for each kind, and refuse what the server
//! would refuse before sending it.

use futures::TryStreamExt;
use opsclient::error::InvalidInput;
use opsclient::sensu::{types, Client};
use opsclient::Error;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn handler(namespace: Option<&str>) -> types::Handler {
    let mut value = json!({"metadata": {"name": "slack"}, "type": "pipe", "command": "notify"});
    if let Some(ns) = namespace {
        value["metadata"]["namespace"] = json!(ns);
    }
    serde_json::from_value(value).unwrap()
}

#[tokio::test]
async fn get_create_update_delete_and_list_a_handler() {
    let server = MockServer::start().await;
    let base = "/api/core/v2/namespaces/sybil/handlers";
    let stored = json!({"metadata": {"name": "slack", "namespace": "sybil"}, "type": "pipe", "command": "notify"});
    Mock::given(method("POST"))
        .and(path(base))
        .respond_with(ResponseTemplate::new(201))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("{base}/slack")))
        .respond_with(ResponseTemplate::new(200).set_body_json(&stored))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path(format!("{base}/slack")))
        .respond_with(ResponseTemplate::new(201))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path(format!("{base}/slack")))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(base))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([stored])))
        .expect(1)
        .mount(&server)
        .await;

    let client = Client::builder()
        .url(server.uri())
        .api_key("k")
        .build()
        .unwrap();
    let sybil = client.in_namespace("sybil");
    sybil.create(&handler(None)).await.unwrap();
    let mut got: types::Handler = sybil.get("slack").await.unwrap();
    assert_eq!(got.metadata.namespace.as_deref(), Some("sybil"));
    got.command = Some("notify --loud".into());
    sybil.create_or_update(&got).await.unwrap();
    let all: Vec<types::Handler> = sybil.list(50).try_collect().await.unwrap();
    assert_eq!(all.len(), 1);
    sybil.delete::<types::Handler>("slack").await.unwrap();

    let put = server
        .received_requests()
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.method.as_str() == "PUT")
        .unwrap();
    assert_eq!(
        put.body_json::<serde_json::Value>().unwrap()["command"],
        "notify --loud"
    );
}

#[tokio::test]
async fn a_missing_resource_is_not_found_and_a_mismatched_namespace_is_refused_early() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(404)
                .set_body_string(r#"{"message":"resource not found","code":2}"#),
        )
        .mount(&server)
        .await;
    let client = Client::builder()
        .url(server.uri())
        .namespace("sybil")
        .build()
        .unwrap();
    assert_eq!(client.resources().namespace(), "sybil");
    let err = client
        .resources()
        .get::<types::CheckConfig>("nope")
        .await
        .unwrap_err();
    assert!(matches!(err, Error::NotFound(_)), "{err:?}");

    let before = server.received_requests().await.unwrap().len();
    let err = client
        .in_namespace("sybil")
        .create(&handler(Some("default")))
        .await
        .unwrap_err();
    match err {
        Error::InvalidInput(InvalidInput::Client(v)) => assert_eq!(v.field, "metadata.namespace"),
        other => panic!("{other:?}"),
    }
    let mut unnamed = handler(None);
    unnamed.metadata.name = None;
    let err = client
        .resources()
        .create_or_update(&unnamed)
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::InvalidInput(InvalidInput::Client(_))),
        "{err:?}"
    );
    assert_eq!(
        server.received_requests().await.unwrap().len(),
        before,
        "nothing sent"
    );
}
