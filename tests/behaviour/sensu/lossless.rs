//! A read-modify-write keeps what the client does not know: properties a newer server added, at
//! any depth, are written back unchanged, and nothing the server did not send is added.

use opsclient::sensu::{types, Client};
use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A check as a newer server might send it: properties this client's document does not have,
/// at the top, in `metadata`, in `proxy_requests` and in list items.
fn newer_check() -> Value {
    json!({
        "metadata": {
            "name": "check_cpu",
            "namespace": "sybil",
            "labels": {"team": "ops"},
            "created_by": "admin",
            "uid": "6f1c0c6e-1b2a-4d1e-9f3e-2b7c0d9a1e55"
        },
        "command": "check-cpu.rb -w 75 -c 90",
        "interval": 60,
        "subscriptions": ["system"],
        "handlers": [],
        "publish": true,
        "proxy_requests": {
            "entity_attributes": ["entity.entity_class == 'proxy'"],
            "splay": false,
            "splay_coverage": 0,
            "max_concurrency": 4
        },
        "pipelines": [
            {"name": "alerts", "type": "Pipeline", "api_version": "core/v2", "weight": 3}
        ],
        "fallback_pipeline": {"name": "default", "type": "Pipeline", "api_version": "core/v2"},
        "ttl_status": 1,
        "scheduler": "etcd"
    })
}

/// An entity with unknown properties inside `system` and its network interfaces.
fn newer_entity() -> Value {
    json!({
        "metadata": {"name": "web-01", "namespace": "sybil"},
        "entity_class": "agent",
        "subscriptions": ["linux", "entity:web-01"],
        "last_seen": 1700000000,
        "system": {
            "hostname": "web-01",
            "os": "linux",
            "cloud_provider": "",
            "gpu": {"vendor": "acme", "count": 2},
            "network": {
                "interfaces": [
                    {"name": "eth0", "addresses": ["10.0.0.5/24"], "mac": "52:54:00:12:34:56", "mtu": 9000}
                ]
            },
            "processes": null
        },
        "sensu_agent_version": "6.14.0",
        "agent_features": ["tls-pinning"]
    })
}

/// A server that answers GET with `stored` and PUT with `put_status`.
async fn server_with(resource_path: &str, stored: &Value, put_status: u16) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(resource_path))
        .respond_with(ResponseTemplate::new(200).set_body_json(stored))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path(resource_path))
        .respond_with(ResponseTemplate::new(put_status).set_body_json(stored))
        .expect(1)
        .mount(&server)
        .await;
    server
}

async fn written_back(server: &MockServer) -> Value {
    let put = server
        .received_requests()
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.method.as_str() == "PUT")
        .expect("a PUT was sent");
    put.body_json().unwrap()
}

fn client(server: &MockServer) -> Client {
    Client::builder()
        .url(server.uri())
        .api_key("k")
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_check_from_a_newer_server_is_written_back_with_every_property() {
    let stored = newer_check();
    let server = server_with(
        "/api/core/v2/namespaces/sybil/checks/check_cpu",
        &stored,
        201,
    )
    .await;
    let client = client(&server);
    let sybil = client.in_namespace("sybil");

    let mut check: types::CheckConfig = sybil.get("check_cpu").await.unwrap();
    assert_eq!(
        check.extra["scheduler"], "etcd",
        "unknown properties are kept"
    );
    assert_eq!(check.metadata.extra["uid"], stored["metadata"]["uid"]);
    check.interval = Some(30);
    sybil.create_or_update(&check).await.unwrap();

    let mut expected = stored;
    expected["interval"] = json!(30);
    let sent = written_back(&server).await;
    println!("{}", serde_json::to_string_pretty(&sent).unwrap());
    assert_eq!(sent, expected, "only the changed field differs");
}

#[tokio::test]
async fn an_entity_keeps_unknown_properties_of_its_system_facts() {
    let stored = newer_entity();
    let server = server_with(
        "/api/core/v2/namespaces/sybil/entities/web-01",
        &stored,
        200,
    )
    .await;
    let client = client(&server);
    let sybil = client.in_namespace("sybil");

    let mut entity: types::Entity = sybil.get("web-01").await.unwrap();
    let system = entity.system.as_ref().unwrap();
    assert_eq!(system.extra["gpu"], json!({"vendor": "acme", "count": 2}));
    entity.subscriptions = Some(vec!["linux".into(), "db".into(), "entity:web-01".into()]);
    sybil.create_or_update(&entity).await.unwrap();

    let mut expected = stored;
    expected["subscriptions"] = json!(["linux", "db", "entity:web-01"]);
    // Normalization 1: an optional property sent as null comes back absent.
    expected["system"]
        .as_object_mut()
        .unwrap()
        .remove("processes");
    assert_eq!(written_back(&server).await, expected);
}

#[test]
fn an_optional_null_is_written_back_absent_and_a_required_null_stays_null() {
    // Normalization 1, and only for optional properties: `expressions` is required and nullable.
    let filter: types::EventFilter = serde_json::from_value(json!({
        "metadata": {"name": "f"}, "action": "allow", "expressions": null, "runtime_assets": null
    }))
    .unwrap();
    assert_eq!(
        serde_json::to_value(&filter).unwrap(),
        json!({"metadata": {"name": "f"}, "action": "allow", "expressions": null})
    );
}

#[test]
fn a_float_keeps_its_value_not_its_spelling() {
    // Normalization 2: 0.308976181461092553 has no exact f64; its nearest f64 is sent back, and
    // an integer written in a float field comes back as a float.
    let text = r#"{"name":"cpu","value":0.308976181461092553,"timestamp":1}"#;
    let point: types::MetricPoint = serde_json::from_str(text).unwrap();
    let back = serde_json::to_string(&point).unwrap();
    assert_eq!(
        back,
        r#"{"name":"cpu","timestamp":1,"value":0.30897618146109257}"#
    );
    let same: f64 = "0.308976181461092553".parse().unwrap();
    assert_eq!(point.value, Some(same));
    let text = r#"{"name":"cpu","value":5,"timestamp":1}"#;
    let point: types::MetricPoint = serde_json::from_str(text).unwrap();
    assert_eq!(
        serde_json::to_string(&point).unwrap(),
        r#"{"name":"cpu","timestamp":1,"value":5.0}"#
    );
}

#[test]
fn an_absent_list_and_an_empty_list_stay_apart() {
    let absent: types::CheckConfig =
        serde_json::from_value(json!({"metadata": {"name": "c"}})).unwrap();
    let empty: types::CheckConfig =
        serde_json::from_value(json!({"metadata": {"name": "c"}, "handlers": []})).unwrap();
    assert_eq!(absent.handlers, None);
    assert_eq!(empty.handlers, Some(vec![]));
    assert_eq!(
        serde_json::to_value(&absent).unwrap(),
        json!({"metadata": {"name": "c"}}),
        "nothing is added on encode"
    );
    assert_eq!(
        serde_json::to_value(&empty).unwrap(),
        json!({"metadata": {"name": "c"}, "handlers": []})
    );
}

#[test]
fn the_generated_decoder_refuses_what_serde_would() {
    let missing = serde_json::from_value::<types::CheckConfig>(json!({"command": "x"}));
    assert_eq!(missing.unwrap_err().to_string(), "missing field `metadata`");
    let twice = serde_json::from_str::<types::Namespace>(r#"{"name":"a","name":"b"}"#);
    assert!(twice
        .unwrap_err()
        .to_string()
        .starts_with("duplicate field `name`"));
    let wrong = serde_json::from_value::<types::CheckConfig>(
        json!({"metadata": {"name": "c"}, "interval": "often"}),
    );
    assert!(wrong
        .unwrap_err()
        .to_string()
        .contains("invalid type: string \"often\""));
    let not_an_object = serde_json::from_value::<types::Namespace>(json!(["a"]));
    assert!(not_an_object
        .unwrap_err()
        .to_string()
        .contains("expected struct Namespace"));
}
