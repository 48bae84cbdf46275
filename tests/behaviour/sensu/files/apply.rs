//! Applying resources to the sandbox: created, then updated or left alone, namespaces first;
//! nothing sent when one resource is wrong; sensuctl's managed-by label.

use opsclient::error::InvalidInput;
use opsclient::sensu::files::{self, Change, Kind};
use opsclient::sensu::types;
use opsclient::Error;
use serde_json::{json, Value};

use super::{every_kind_but_api_keys, sandbox, writes, EVERY_KIND};

/// A check in namespace `ops` before the namespace, and a handler without a namespace.
const OUT_OF_ORDER: &str = "type: CheckConfig
metadata: {name: check-cpu, namespace: ops}
spec: {command: check-cpu.sh, interval: 60, subscriptions: [linux]}
---
type: Handler
metadata: {name: slack}
spec: {type: pipe, command: notify}
---
type: Namespace
metadata: {name: ops}
spec: {name: ops}
";

fn changes(applied: &[files::Applied]) -> Vec<String> {
    applied.iter().map(ToString::to_string).collect()
}

#[tokio::test]
async fn apply_creates_in_dependency_order_then_updates_only_what_changed() {
    let (sandbox, client) = sandbox(false).await;
    let resources = files::parse("ops.yaml", OUT_OF_ORDER).unwrap();
    let applied = client.apply(resources.clone()).send().await.unwrap();
    assert_eq!(
        changes(&applied),
        [
            "created Namespace ops",
            "created CheckConfig ops/check-cpu",
            "created Handler default/slack"
        ]
    );
    assert_eq!(
        writes(&sandbox),
        [
            (
                "createOrUpdateNamespace",
                "/api/core/v2/namespaces/ops".to_string()
            ),
            (
                "createOrUpdateCheck",
                "/api/core/v2/namespaces/ops/checks/check-cpu".to_string()
            ),
            (
                "createOrUpdateHandler",
                "/api/core/v2/namespaces/default/handlers/slack".to_string()
            ),
        ],
        "the server saw the namespace first"
    );
    let stored: types::CheckConfig = client.in_namespace("ops").get("check-cpu").await.unwrap();
    assert_eq!(stored.interval, Some(60));

    // The same file again: nothing to write.
    let applied = client.apply(resources.clone()).send().await.unwrap();
    assert!(
        applied.iter().all(|a| a.change == Change::Unchanged),
        "{applied:?}"
    );
    assert_eq!(writes(&sandbox).len(), 3, "no write the second time");

    // One field changed: that resource alone is replaced.
    let changed = OUT_OF_ORDER.replace("interval: 60", "interval: 30");
    let applied = client
        .apply(files::parse("ops.yaml", &changed).unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(
        changes(&applied),
        [
            "unchanged Namespace ops",
            "updated CheckConfig ops/check-cpu",
            "unchanged Handler default/slack"
        ]
    );
    let writes = writes(&sandbox);
    assert_eq!(writes.len(), 4);
    assert_eq!(writes[3].0, "createOrUpdateCheck");
    let stored: types::CheckConfig = client.in_namespace("ops").get("check-cpu").await.unwrap();
    assert_eq!(stored.interval, Some(30));
}

#[tokio::test]
async fn every_kind_applies_and_a_second_apply_writes_only_the_password() {
    let (sandbox, client) = sandbox(true).await;
    let applied = client
        .apply(every_kind_but_api_keys())
        .send()
        .await
        .unwrap();
    let kinds: Vec<&str> = applied.iter().map(|a| a.kind.type_name()).collect();
    let expected: Vec<&str> = Kind::all()
        .iter()
        .map(Kind::type_name)
        .filter(|k| *k != "APIKey")
        .collect();
    assert_eq!(kinds, expected, "every kind, in application order");
    for applied in &applied {
        let expected = match applied.kind.type_name() {
            // A fresh backend has its Tessen configuration.
            "TessenConfig" => Change::Updated,
            _ => Change::Created,
        };
        assert_eq!(applied.change, expected, "{applied}");
    }
    assert_eq!(
        writes(&sandbox).len(),
        applied.len(),
        "one write per resource"
    );
    let silence = applied.last().unwrap();
    assert_eq!(silence.to_string(), "created Silenced ops/linux:check-cpu");

    let again = client
        .apply(every_kind_but_api_keys())
        .send()
        .await
        .unwrap();
    let written: Vec<String> = again
        .iter()
        .filter(|a| a.change != Change::Unchanged)
        .map(ToString::to_string)
        .collect();
    // The server never shows a password, so a user with one is always written; it completes
    // an event (history, state, timestamps) and a silence (begin, creator), so the file's
    // differ from what it holds. The rest is as the file says.
    assert_eq!(
        written,
        [
            "updated User alice",
            "updated Event ops/web-01/check-cpu",
            "updated Silenced ops/linux:check-cpu"
        ]
    );
}

/// The violation an apply was refused with before writing.
fn refused_before_writing(error: files::ApplyError) -> opsclient::error::DocumentViolation {
    assert!(error.applied.is_empty(), "{error:?}");
    match error.error {
        Error::InvalidInput(InvalidInput::Document(violation)) => violation,
        other => panic!("not a document refusal: {other:?}"),
    }
}

#[tokio::test]
async fn one_wrong_resource_stops_the_set_before_anything_is_sent() {
    let (sandbox, client) = sandbox(false).await;
    let mut resources = files::parse("ops.yaml", OUT_OF_ORDER).unwrap();
    // Made wrong after reading: apply checks again, and names where it came from.
    resources[1]
        .spec_mut()
        .insert("timeout".into(), json!("ten seconds"));
    let before = sandbox.requests().len();
    let error = client.apply(resources).send().await.unwrap_err();
    assert_eq!(error.to_string(), "nothing was applied");
    let violation = refused_before_writing(error);
    assert_eq!(
        (
            violation.source.as_str(),
            violation.document,
            violation.field.as_str()
        ),
        ("ops.yaml", 2, "spec.timeout")
    );
    assert_eq!(sandbox.requests().len(), before, "not one request");

    // The same resource twice.
    let twice = format!(
        "{OUT_OF_ORDER}---\n{}",
        OUT_OF_ORDER.split("---\n").next().unwrap()
    );
    let error = client
        .apply(files::parse("twice.yaml", &twice).unwrap())
        .send()
        .await
        .unwrap_err();
    let violation = refused_before_writing(error);
    assert_eq!(violation.document, 4);
    assert!(
        violation
            .reason
            .contains("is CheckConfig ops/check-cpu again, as twice.yaml, document 1 was"),
        "{violation:?}"
    );
    assert_eq!(sandbox.requests().len(), before, "not one request");
}

#[tokio::test]
async fn what_the_server_would_refuse_for_a_known_reason_stops_the_set_before_any_write() {
    let (sandbox, client) = sandbox(false).await;
    let text = format!(
        "{OUT_OF_ORDER}---\ntype: User\nmetadata: {{name: carol}}\nspec: {{groups: [ops]}}\n"
    );
    let error = client
        .apply(files::parse("users.yaml", &text).unwrap())
        .send()
        .await
        .unwrap_err();
    let violation = refused_before_writing(error);
    assert_eq!(
        (violation.document, violation.field.as_str()),
        (4, "spec.password")
    );
    assert!(writes(&sandbox).is_empty(), "{:?}", writes(&sandbox));

    let every_kind = files::parse("every_kind.yaml", EVERY_KIND).unwrap();
    let error = client.apply(every_kind).send().await.unwrap_err();
    let violation = refused_before_writing(error);
    assert_eq!(violation.document, 5, "the API key");
    assert!(violation
        .reason
        .contains("API keys are issued by the server"));
    assert!(
        !violation.to_string().contains("83abef1e"),
        "an API key's name is not shown: {violation}"
    );
    assert!(writes(&sandbox).is_empty(), "{:?}", writes(&sandbox));
}

#[tokio::test]
async fn a_refusal_by_the_server_names_the_resource_and_what_was_done() {
    let (_sandbox, client) = sandbox(false).await;
    // The namespace exists nowhere, which only the server knows.
    let text = "type: Handler
metadata: {name: slack}
spec: {type: pipe, command: notify}
---
type: Handler
metadata: {name: slack, namespace: nowhere}
spec: {type: pipe, command: notify}
";
    let error = client
        .apply(files::parse("h.yaml", text).unwrap())
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.applied.len(), 1);
    assert_eq!(
        error.to_string(),
        "Handler nowhere/slack (h.yaml, document 2) was not applied"
    );
    assert!(matches!(error.error, Error::Api(_)), "{:?}", error.error);
}

#[tokio::test]
async fn managed_by_labels_as_sensuctl_create_does() {
    let (_sandbox, client) = sandbox(false).await;
    let text = "type: Handler
metadata: {name: slack, labels: {team: ops}}
spec: {type: pipe, command: notify}
---
type: Namespace
metadata: {name: ops}
spec: {name: ops}
";
    let resources = files::parse("labels.yaml", text).unwrap();
    client
        .apply(resources)
        .managed_by("sensuctl")
        .send()
        .await
        .unwrap();
    let handler: types::Handler = client.resources().get("slack").await.unwrap();
    let labels = serde_json::to_value(&handler.metadata.labels).unwrap();
    assert_eq!(
        labels,
        json!({"team": "ops", "sensu.io/managed_by": "sensuctl"})
    );
    let namespace = client
        .get_namespace()
        .namespace("ops")
        .send()
        .await
        .unwrap();
    let namespace: Value = serde_json::to_value(namespace.into_inner()).unwrap();
    assert_eq!(
        namespace,
        json!({"name": "ops"}),
        "namespaces have no labels"
    );
}

#[tokio::test]
async fn an_agents_entity_keeps_its_managed_by_label() {
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};
    let server = MockServer::start().await;
    let at = "/api/core/v2/namespaces/default/entities/web-01";
    Mock::given(method("GET"))
        .and(path(at))
        .respond_with(ResponseTemplate::new(404))
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path(at))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"metadata": {"name": "web-01"}})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let client = opsclient::sensu::Client::builder()
        .url(server.uri())
        .api_key("k")
        .build()
        .unwrap();
    let text = "type: Entity
metadata: {name: web-01, labels: {sensu.io/managed_by: sensu-agent}}
spec: {entity_class: agent}
";
    client
        .apply(files::parse("agent.yaml", text).unwrap())
        .managed_by("sensuctl")
        .send()
        .await
        .unwrap();
    let put = server
        .received_requests()
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.method.as_str() == "PUT")
        .unwrap();
    let sent: Value = serde_json::from_slice(&put.body).unwrap();
    assert_eq!(
        sent["metadata"],
        json!({"name": "web-01", "namespace": "default", "labels": {"sensu.io/managed_by": "sensu-agent"}})
    );
}
