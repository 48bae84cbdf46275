//! The API reads like the Python clients it replaces: one error type from every call, builders
//! that take plain values, and the helpers monascaclient, watcherclient and sensuctl users
//! expect. Run against the Sensu sandbox and local servers.

#![cfg(all(feature = "watcher", feature = "monasca"))]

use crate::fault_server::{Fault, FaultServer};
use opsclient::prelude::*;
use opsclient::sensu::types::{self, CheckConfig};
use opsclient::sensu::Client;
use opsclient_sandbox::Sandbox;
use serde_json::json;

/// `?` works on a generated call inside a function returning `opsclient::Result`.
async fn create_check(client: &Client) -> opsclient::Result<()> {
    let check = CheckConfig::new("check_cpu", "check-cpu.rb -w 75 -c 90")
        .subscriptions(["linux"])
        .interval(60)
        .build()?;
    client.resources().create(&check).await?;
    client
        .get_check()
        .namespace("default")
        .check("check_cpu")
        .send()
        .await?;
    Ok(())
}

#[tokio::test]
async fn a_sensu_session_in_the_style_of_sensuctl() {
    let sandbox = Sandbox::builder().start().await.unwrap();
    let client = Client::builder().url(sandbox.url()).build().unwrap();
    client
        .login(Sandbox::DEFAULT_USERNAME, Sandbox::DEFAULT_PASSWORD)
        .await
        .unwrap();
    create_check(&client).await.unwrap();

    // Every list in one call, with one import.
    let checks = client
        .list_checks()
        .namespace("default")
        .collect_all(10)
        .await
        .unwrap();
    assert_eq!(checks.len(), 1);
    assert_eq!(checks[0].interval, Some(60));

    // A refusal before sending is the crate's error, naming the field; never a made-up status.
    let refused = client
        .create_check()
        .namespace("default")
        .body(CheckConfig::new("x", "true").build().unwrap())
        .send()
        .await
        .unwrap_err();
    match &refused {
        Error::InvalidInput(opsclient::error::InvalidInput::Client(v)) => {
            assert_eq!(v.field, "subscriptions", "{v}")
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(refused.status(), None);

    // Events in the client's namespace, by entity and check.
    let event: types::Event = serde_json::from_value(json!({
        "entity": {"metadata": {"name": "web-01"}, "entity_class": "proxy"},
        "check": {"metadata": {"name": "check_cpu"}, "output": "CPU OK", "status": 0,
                  "interval": 60}
    }))
    .unwrap();
    client.put_event(&event).await.unwrap();
    let stored = client.event("web-01", "check_cpu").await.unwrap();
    assert_eq!(stored.check.unwrap().output.as_deref(), Some("CPU OK"));
    assert_eq!(
        client
            .events(10)
            .try_collect::<Vec<_>>()
            .await
            .unwrap()
            .len(),
        1
    );
    client.remove_event("web-01", "check_cpu").await.unwrap();
    let gone = client.event("web-01", "check_cpu").await;
    assert!(matches!(gone, Err(Error::NotFound(_))), "{gone:?}");
    let nameless = types::Event {
        check: None,
        ..event
    };
    let refused = client.put_event(&nameless).await.unwrap_err();
    assert!(
        refused.to_string().contains("check.metadata.name"),
        "{refused}"
    );

    // The token as text, for another tool.
    let token = client.token().await.unwrap();
    assert!(!token.expose_access().is_empty());
    assert!(!format!("{token:?}").contains(token.expose_access()));
}

#[tokio::test]
async fn monasca_and_watcher_bodies_from_plain_values() {
    let server = FaultServer::start().await;
    let cloud = |service: &str| {
        opsclient::openstack::Cloud::builder()
            .token("t")
            .endpoint(service, &server.url)
            .authenticate()
    };
    let monasca = opsclient::monasca::Client::from_cloud(&cloud("monitoring").await.unwrap())
        .await
        .unwrap();
    server.script([Fault::status(204)]);
    monasca
        .create_metrics()
        .body(opsclient::monasca::metric("cpu.idle_perc", 97.5).dimension("hostname", "web-01"))
        .send()
        .await
        .unwrap();
    let posted: serde_json::Value = serde_json::from_slice(&server.seen()[0].body).unwrap();
    assert_eq!(posted["dimensions"], json!({"hostname": "web-01"}));

    // monascaclient's `alarm-definition-patch --description`.
    server.reset();
    server.script([Fault::json(
        200,
        json!({"id": "ad1", "name": "cpu", "expression": "avg(cpu) > 90", "description": "d",
            "deterministic": false, "match_by": [], "severity": "LOW", "actions_enabled": true,
            "alarm_actions": [], "ok_actions": [], "undetermined_actions": [], "links": []}),
    )]);
    monasca
        .patch_alarm_definition()
        .alarm_definition_id("ad1")
        .body(
            opsclient::monasca::types::AlarmDefinitionPatch::builder()
                .description("CPU is busy")
                .match_by(["hostname"]),
        )
        .send()
        .await
        .unwrap();
    let patch: serde_json::Value = serde_json::from_slice(&server.seen()[0].body).unwrap();
    assert_eq!(
        patch,
        json!({"description": "CPU is busy", "match_by": ["hostname"]})
    );

    // watcherclient's `audittemplate update <uuid> replace description=...`.
    let root = json!({"versions": [], "default_version": {"id": "v1", "min_version": "1.0",
        "max_version": "1.7", "status": "CURRENT", "links": []}});
    server.reset();
    server.script([
        Fault::json(200, root),
        Fault::json(200, json!({"uuid": "at1"})),
    ]);
    let watcher = opsclient::watcher::Client::from_cloud(&cloud("infra-optim").await.unwrap())
        .await
        .unwrap();
    watcher
        .update_audit_template()
        .audittemplate_ident("at1")
        .body(vec![opsclient::watcher::patch::replace(
            "/description",
            "nightly",
        )])
        .send()
        .await
        .unwrap();
    let sent: serde_json::Value = serde_json::from_slice(&server.seen()[1].body).unwrap();
    assert_eq!(
        sent,
        json!([{"op": "replace", "path": "/description", "value": "nightly"}])
    );
}

#[tokio::test]
async fn a_monasca_409_is_already_exists_only_for_a_duplicate() {
    let server = FaultServer::start().await;
    let cloud = opsclient::openstack::Cloud::builder()
        .token("t")
        .endpoint("monitoring", &server.url)
        .authenticate()
        .await
        .unwrap();
    let monasca = opsclient::monasca::Client::from_cloud(&cloud)
        .await
        .unwrap();
    server.script([
        Fault::json(
            409,
            json!({"title": "MultipleMetrics",
            "description": "Found multiple metrics matching metric name and dimensions."}),
        ),
        Fault::json(
            409,
            json!({"title": "AlreadyExistsException",
            "description": "An alarm definition with the name cpu already exists"}),
        ),
    ]);
    let ambiguous = monasca
        .list_measurements()
        .name("cpu")
        .start_time("2026-01-01T00:00:00Z")
        .send()
        .await;
    assert!(
        matches!(ambiguous, Err(Error::Conflict(_))),
        "{ambiguous:?}"
    );
    let duplicate = monasca
        .list_measurements()
        .name("cpu")
        .start_time("2026-01-01T00:00:00Z")
        .send()
        .await;
    assert!(
        matches!(duplicate, Err(Error::AlreadyExists(_))),
        "{duplicate:?}"
    );
}

#[tokio::test]
async fn an_error_chain_prints_each_cause_once() {
    use std::error::Error as _;
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let client = Client::builder()
        .url(url)
        .api_key("k")
        .retry(RetryPolicy::disabled())
        .build()
        .unwrap();
    let error = client.list_namespaces().send().await.unwrap_err();
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    let mut chain = vec![error.to_string()];
    let mut cause = error.source();
    while let Some(next) = cause {
        chain.push(next.to_string());
        cause = next.source();
    }
    assert!(chain.len() >= 2, "{chain:?}");
    for pair in chain.windows(2) {
        assert!(!pair[0].contains(&pair[1]), "printed twice: {chain:?}");
    }
    assert!(
        !chain.concat().contains("/api/core/v2/namespaces"),
        "{chain:?}"
    );

    let config = Client::builder().build().unwrap_err();
    assert!(config
        .source()
        .is_none_or(|s| !config.to_string().contains(&s.to_string())));
}

#[tokio::test]
async fn every_saltant_queue_and_the_keystone_token_in_one_line_each() {
    let server = FaultServer::start().await;
    let page = |n: u32, next: Option<u32>| {
        Fault::json(
            200,
            json!({"count": 2, "previous": null,
                "next": next.map(|p| format!("{}/taskqueues/?page={p}", server.url)),
                "results": [{"id": n, "user": "a", "name": format!("q{n}"), "description": "",
                    "private": false, "runs_executable_tasks": true,
                    "runs_docker_container_tasks": true, "runs_singularity_container_tasks": true,
                    "active": true, "whitelists": []}]}),
        )
    };
    server.script([page(1, Some(2)), page(2, None)]);
    let saltant = opsclient::saltant::Client::builder()
        .url(&server.url)
        .auth_token("t")
        .build()
        .unwrap();
    let queues = saltant.list_task_queues().collect_all(1).await.unwrap();
    assert_eq!(queues.len(), 2);

    server.reset();
    server.script([Fault::json(
        201,
        json!({"token": {"methods": ["password"], "user": {"id": "u", "name": "u",
            "domain": {"id": "d", "name": "d"}}, "audit_ids": [],
            "issued_at": "2026-01-01T00:00:00Z", "expires_at": "2999-01-01T00:00:00Z"}}),
    )
    .with_header("x-subject-token", "gAAAA-keystone-token")]);
    let cloud = opsclient::openstack::Cloud::builder()
        .url(format!("{}/v3", server.url))
        .password(opsclient::openstack::auth::UserRef::Id("u".into()), "p")
        .authenticate()
        .await
        .unwrap();
    let token = cloud.token().await.map(|t| t.expose_access().to_owned());
    assert_eq!(token.as_deref(), Some("gAAAA-keystone-token"));
}
