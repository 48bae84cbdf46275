//! What the sandbox records of its requests, and the newer server it can play.

use opsclient::sensu::{types, Client};
use opsclient_sandbox::Sandbox;
use serde_json::json;

async fn start(keep_undeclared: bool) -> (Sandbox, Client) {
    let sandbox = Sandbox::builder()
        .keep_undeclared_fields(keep_undeclared)
        .start()
        .await
        .unwrap();
    let client = sandbox.client().await.unwrap();
    (sandbox, client)
}

#[tokio::test]
async fn requests_are_listed_in_order_with_their_paths_and_statuses() {
    let (sandbox, client) = start(false).await;
    client
        .get_namespace()
        .namespace("absent")
        .send()
        .await
        .unwrap_err();
    client.list_namespaces().send().await.unwrap();
    let seen: Vec<(&str, &str, String, u16)> = sandbox
        .requests()
        .into_iter()
        .map(|r| (r.operation, r.method, r.path, r.status))
        .collect();
    assert_eq!(
        seen,
        [
            ("authLogin", "GET", "/auth".to_string(), 200),
            (
                "getNamespace",
                "GET",
                "/api/core/v2/namespaces/absent".to_string(),
                404
            ),
            (
                "listNamespaces",
                "GET",
                "/api/core/v2/namespaces".to_string(),
                200
            ),
        ]
    );
}

#[tokio::test]
async fn undeclared_fields_are_dropped_unless_the_sandbox_plays_a_newer_server() {
    for keep in [false, true] {
        let (_sandbox, client) = start(keep).await;
        let check: types::CheckConfig = serde_json::from_value(json!({
            "metadata": {"name": "cpu", "namespace": "default", "uid": "u-1"},
            "command": "c", "interval": 10, "subscriptions": ["linux"],
            "fallback_pipeline": {"name": "default"},
            "proxy_requests": {"entity_attributes": [], "max_concurrency": 4}
        }))
        .unwrap();
        client.resources().create(&check).await.unwrap();
        let stored: types::CheckConfig = client.resources().get("cpu").await.unwrap();
        let stored = serde_json::to_value(stored).unwrap();
        for pointer in [
            "/fallback_pipeline/name",
            "/metadata/uid",
            "/proxy_requests/max_concurrency",
        ] {
            assert_eq!(
                stored.pointer(pointer).is_some(),
                keep,
                "{pointer}: {stored}"
            );
        }
        assert_eq!(stored["interval"], 10);
    }
}
