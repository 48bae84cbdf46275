//! `opsclient::drift` against the real Keystone, Watcher and Monasca: today's documents show no
//! drift, and a copy with declared properties, an enum value and a status taken out shows each
//! of them, with an overlay that gives them back.

#![cfg(feature = "drift")]

use opsclient::drift::{self, Api, Document, Options, Report};
use opsclient::monasca::types;
use serde_json::json;

use crate::servers::{body, Real};
use crate::support::drift::{assert_clean, assert_found_and_restored, broken, Removal};

/// Checks `client` with `document`, showing the report on standard error.
async fn check<C, I>(client: &C, document: &Document) -> Report
where
    C: progenitor_client::ClientInfo<I> + Api,
    I: AsRef<opsclient::transport::Transport>,
{
    let report = drift::check(client, document, &Options::default())
        .await
        .expect("the check runs");
    eprintln!("{report}");
    report
}

/// Breaks `C`'s document by `removals`, checks the server with it, asserts that each removal
/// is found and that the overlay gives it back, then that the restored document shows no drift.
async fn break_and_restore<C, I>(client: &C, removals: &[Removal])
where
    C: progenitor_client::ClientInfo<I> + Api,
    I: AsRef<opsclient::transport::Transport>,
{
    let (text, document) = broken(C::DOCUMENT, removals);
    let report = check(client, &document).await;
    let restored = assert_found_and_restored(C::DOCUMENT, &text, removals, &report);
    assert_clean(&check(client, &restored).await);
}

#[tokio::test]
async fn todays_documents_show_no_drift_against_the_real_servers() {
    let Some(real) = Real::get("todays_documents_show_no_drift_against_the_real_servers") else {
        return;
    };
    let cloud = real.cloud().await;
    let keystone = cloud.keystone().expect("a Keystone client");
    let watcher = opsclient::watcher::Client::from_cloud(&cloud)
        .await
        .unwrap();
    let monasca = opsclient::monasca::Client::from_cloud(&cloud)
        .await
        .unwrap();

    assert_clean(
        &check(
            keystone,
            &Document::of::<opsclient::openstack::keystone::Client>().unwrap(),
        )
        .await,
    );
    let report = check(
        &watcher,
        &Document::of::<opsclient::watcher::Client>().unwrap(),
    )
    .await;
    assert_clean(&report);
    // Every list, and a get of the first item of each.
    for operation in [
        "listGoals",
        "getGoal",
        "listStrategies",
        "getStrategy",
        "getStrategyState",
        "getRoot",
    ] {
        assert!(
            report.called.iter().any(|c| c == operation),
            "{operation} was not called"
        );
    }
    assert_clean(
        &check(
            &monasca,
            &Document::of::<opsclient::monasca::Client>().unwrap(),
        )
        .await,
    );
}

#[tokio::test]
async fn what_keystones_document_lost_is_found_and_given_back() {
    let Some(real) = Real::get("what_keystones_document_lost_is_found_and_given_back") else {
        return;
    };
    let cloud = real.cloud().await;
    // Keystone's answers carry no enum: its removals are properties and a status.
    break_and_restore(
        cloud.keystone().expect("a Keystone client"),
        &[
            Removal::Property {
                schema: "Version",
                property: "status",
            },
            Removal::Property {
                schema: "Version",
                property: "media-types",
            },
            Removal::Status {
                path: "/v3/auth/projects",
                status: "200",
            },
        ],
    )
    .await;
}

#[tokio::test]
async fn what_watchers_document_lost_is_found_and_given_back() {
    let Some(real) = Real::get("what_watchers_document_lost_is_found_and_given_back") else {
        return;
    };
    let cloud = real.cloud().await;
    let watcher = opsclient::watcher::Client::from_cloud(&cloud)
        .await
        .unwrap();
    // Watcher's answers carry no enum either (its states are plain strings in its API).
    break_and_restore(
        &watcher,
        &[
            Removal::Property {
                schema: "Goal",
                property: "display_name",
            },
            Removal::Property {
                schema: "Strategy",
                property: "parameters_spec",
            },
            Removal::Status {
                path: "/v1/",
                status: "200",
            },
        ],
    )
    .await;
}

#[tokio::test]
async fn what_monascas_document_lost_is_found_and_given_back() {
    let Some(real) = Real::get("what_monascas_document_lost_is_found_and_given_back") else {
        return;
    };
    let cloud = real.cloud().await;
    let monasca = opsclient::monasca::Client::from_cloud(&cloud)
        .await
        .unwrap();
    // An alarm definition of severity HIGH, so that the list shows the value taken out.
    let run = uuid::Uuid::new_v4().simple().to_string()[..8].to_string();
    let definition = monasca
        .create_alarm_definition()
        .body(body::<types::AlarmDefinitionCreate>(json!({
            "name": format!("drift-{run}"),
            "expression": format!("avg(drift_{run}) > 10"),
            "severity": "HIGH",
        })))
        .send()
        .await
        .unwrap()
        .into_inner();
    break_and_restore(
        &monasca,
        &[
            Removal::Property {
                schema: "Version",
                property: "updated",
            },
            Removal::Property {
                schema: "AlarmDefinition",
                property: "match_by",
            },
            Removal::EnumValue {
                at: "Severity",
                value: "HIGH".into(),
            },
            Removal::Status {
                path: "/v2.0/notification-methods/types",
                status: "200",
            },
        ],
    )
    .await;
    monasca
        .delete_alarm_definition()
        .alarm_definition_id(&definition.id)
        .send()
        .await
        .unwrap();
}
