//! `opsclient::drift` against the Sensu sandbox: today's document shows no drift; a copy with
//! properties, an enum value and a status taken out shows each, and its overlay gives them
//! back; a sandbox playing a newer server shows the fields it added.

use opsclient::drift::{self, Api, Document, FindingKind, Options, Report};
use opsclient::sensu::{types, Client};
use opsclient_sandbox::Sandbox;
use serde_json::json;

use crate::support::drift::{assert_clean, assert_found_and_restored, broken, Removal};

/// A sandbox with a check and a pipe handler in `default`, and a client logged in to it.
async fn seeded(keep_undeclared: bool, check: serde_json::Value) -> (Sandbox, Client) {
    let sandbox = Sandbox::builder()
        .keep_undeclared_fields(keep_undeclared)
        .start()
        .await
        .unwrap();
    let client = sandbox.client().await.unwrap();
    let check: types::CheckConfig = serde_json::from_value(check).unwrap();
    client.resources().create(&check).await.unwrap();
    let handler: types::Handler = serde_json::from_value(json!({
        "metadata": {"name": "mail", "namespace": "default"},
        "type": "pipe", "command": "mail-handler"
    }))
    .unwrap();
    client.resources().create(&handler).await.unwrap();
    (sandbox, client)
}

fn cpu_check() -> serde_json::Value {
    json!({
        "metadata": {"name": "cpu", "namespace": "default"},
        "command": "check-cpu", "interval": 10, "subscriptions": ["linux"]
    })
}

async fn check(client: &Client, document: &Document) -> Report {
    let options = Options {
        parameters: [("namespace".to_string(), "default".to_string())].into(),
        ..Options::default()
    };
    let report = drift::check(client, document, &options).await.unwrap();
    eprintln!("{report}");
    report
}

#[tokio::test]
async fn the_sandbox_shows_no_drift_from_todays_document() {
    let (_sandbox, client) = seeded(false, cpu_check()).await;
    let report = check(&client, &Document::of::<Client>().unwrap()).await;
    assert_clean(&report);
    for operation in [
        "listChecks",
        "getCheck",
        "listHandlers",
        "getHandler",
        "getHealth",
        "getVersion",
    ] {
        assert!(
            report.called.iter().any(|c| c == operation),
            "{operation} was not called:\n{report}"
        );
    }
}

#[tokio::test]
async fn what_sensus_document_lost_is_found_and_given_back() {
    let (_sandbox, client) = seeded(false, cpu_check()).await;
    let removals = [
        Removal::Property {
            schema: "CheckConfig",
            property: "interval",
        },
        Removal::Property {
            schema: "CheckConfig",
            property: "subscriptions",
        },
        Removal::EnumValue {
            at: "Handler/properties/type",
            value: "pipe".into(),
        },
        Removal::Status {
            path: "/health",
            status: "200",
        },
    ];
    let (text, document) = broken(Client::DOCUMENT, &removals);
    let report = check(&client, &document).await;
    let restored = assert_found_and_restored(Client::DOCUMENT, &text, &removals, &report);
    assert_clean(&check(&client, &restored).await);
}

#[tokio::test]
async fn a_newer_server_shows_the_fields_it_added_and_the_overlay_declares_them() {
    // The sandbox playing a newer Sensu keeps what its document does not declare.
    let mut newer_check = cpu_check();
    newer_check["fallback_pipeline"] = json!({"name": "default"});
    newer_check["metadata"]["uid"] = json!("u-1");
    let (_sandbox, client) = seeded(true, newer_check).await;
    let report = check(&client, &Document::of::<Client>().unwrap()).await;
    let undeclared: Vec<(&str, Option<&str>, Option<&str>)> = report
        .findings
        .iter()
        .filter(|f| f.kind == FindingKind::UndeclaredProperty)
        .map(|f| {
            (
                f.json_path.as_str(),
                f.schema.as_deref(),
                f.inferred_type.as_deref(),
            )
        })
        .collect();
    let undeclared: Vec<_> = undeclared
        .into_iter()
        .map(|(at, schema, kind)| {
            (
                at.trim_start_matches("$[0]").trim_start_matches('$'),
                schema,
                kind,
            )
        })
        .collect();
    assert!(
        undeclared.contains(&(".fallback_pipeline", Some("CheckConfig"), Some("object"))),
        "{report}"
    );
    assert!(
        undeclared.contains(&(".metadata.uid", Some("ObjectMeta"), Some("string"))),
        "{report}"
    );

    let overlay = serde_json::to_string(&report.overlay()).unwrap();
    let applied = opsclient_codegen::overlay::apply_to_yaml(Client::DOCUMENT, &overlay).unwrap();
    assert!(
        applied.comments_kept,
        "the checked-in document's comments are kept"
    );
    let declared = Document::from_yaml(&applied.text).unwrap();
    assert_eq!(
        declared
            .value()
            .pointer("/components/schemas/ObjectMeta/properties/uid/type"),
        Some(&json!("string"))
    );
    assert_clean(&check(&client, &declared).await);
}
