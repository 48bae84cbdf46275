//! saltant-py's manager operations on the saltant client, against a local HTTP server that
//! answers as the saltant server's code does: lookups by name, clone and terminate many, and
//! waiting for an instance to finish.

#![cfg(feature = "saltant")]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use opsclient::saltant::{types, Client};
use opsclient::wait::Wait;
use opsclient::Error;
use serde_json::{json, Value};
use uuid::Uuid;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const UUID: &str = "0b7c9d2e-1f3a-4b5c-8d6e-7f8091a2b3c4";

fn instance(state: &str) -> Value {
    json!({
        "uuid": UUID, "user": "alice", "name": "", "state": state,
        "datetime_created": "2026-11-22T10:00:00Z",
        "datetime_finished": if matches!(state, "successful" | "failed") { json!("2026-11-22T10:05:00Z") } else { Value::Null },
        "arguments": {}, "task_queue": 1, "task_type": 2
    })
}

async fn client(server: &MockServer) -> Client {
    Client::builder()
        .url(server.uri() + "/api")
        .auth_token("t")
        .build()
        .unwrap()
}

/// Answers the instance's GET with `states`, one per poll, the last one from then on.
async fn states(server: &MockServer, kind: &str, states: &[&str]) {
    let (last, first) = states.split_last().unwrap();
    for state in first {
        Mock::given(method("GET"))
            .and(path(format!("/api/{kind}taskinstances/{UUID}/")))
            .respond_with(ResponseTemplate::new(200).set_body_json(instance(state)))
            .up_to_n_times(1)
            .mount(server)
            .await;
    }
    Mock::given(method("GET"))
        .and(path(format!("/api/{kind}taskinstances/{UUID}/")))
        .respond_with(ResponseTemplate::new(200).set_body_json(instance(last)))
        .mount(server)
        .await;
}

fn quick(seen: &Arc<Mutex<Vec<String>>>) -> Wait {
    let seen = seen.clone();
    Wait::new(Duration::from_secs(5))
        .every(Duration::from_millis(10))
        .on_progress(move |state| seen.lock().unwrap().push(state.to_string()))
}

#[tokio::test]
async fn waiting_follows_an_instance_to_success_and_reports_each_state() {
    let server = MockServer::start().await;
    states(
        &server,
        "container",
        &["created", "running", "running", "successful"],
    )
    .await;
    let seen = Arc::new(Mutex::new(Vec::new()));
    let done = client(&server)
        .await
        .wait_for_container_task_instance(UUID.parse().unwrap(), quick(&seen))
        .await
        .unwrap();
    assert_eq!(done.state, types::TaskInstanceState::Successful);
    assert!(done.datetime_finished.is_some());
    assert_eq!(*seen.lock().unwrap(), ["created", "running", "successful"]);
}

#[tokio::test]
async fn a_failed_instance_ends_the_wait_with_its_state() {
    let server = MockServer::start().await;
    states(&server, "executable", &["created", "running", "failed"]).await;
    let seen = Arc::new(Mutex::new(Vec::new()));
    let done = client(&server)
        .await
        .wait_for_executable_task_instance(UUID.parse().unwrap(), quick(&seen))
        .await
        .unwrap();
    assert_eq!(done.state, types::TaskInstanceState::Failed);
}

#[tokio::test]
async fn a_wait_that_runs_out_of_time_is_a_timeout_naming_the_last_state() {
    let server = MockServer::start().await;
    states(&server, "container", &["running"]).await;
    let wait = Wait::new(Duration::from_millis(100)).every(Duration::from_millis(20));
    let err = client(&server)
        .await
        .wait_for_container_task_instance(UUID.parse().unwrap(), wait)
        .await
        .unwrap_err();
    match err {
        Error::Timeout(t) => assert!(t.to_string().contains("last state running"), "{t}"),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn lookups_by_name_find_one_or_say_which_is_missing() {
    let server = MockServer::start().await;
    let queue = json!({
        "id": 4, "user": "alice", "name": "gpu", "description": "", "private": false,
        "runs_executable_tasks": true, "runs_docker_container_tasks": true,
        "runs_singularity_container_tasks": true, "active": true, "whitelists": [2]
    });
    Mock::given(method("GET"))
        .and(path("/api/taskqueues/"))
        .and(query_param("name", "gpu"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(
                json!({"count": 1, "next": null, "previous": null, "results": [queue]}),
            ),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/taskwhitelists/"))
        .and(query_param("name", "absent"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"count": 0, "next": null, "previous": null, "results": []})),
        )
        .mount(&server)
        .await;
    let client = client(&server).await;
    assert_eq!(
        client.task_queue_by_name("gpu").await.unwrap().whitelists,
        [2]
    );
    let missing = client.task_whitelist_by_name("absent").await.unwrap_err();
    assert!(
        matches!(missing, Error::NotFound(ref e) if e.message == "no task whitelist named \"absent\""),
        "{missing:?}"
    );
}

#[tokio::test]
async fn many_instances_are_cloned_and_terminated() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/api/containertaskinstances/{UUID}/clone/")))
        .respond_with(ResponseTemplate::new(201).set_body_json(instance("created")))
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(format!(
            "/api/executabletaskinstances/{UUID}/terminate/"
        )))
        .respond_with(ResponseTemplate::new(202).set_body_json(instance("terminated")))
        .expect(2)
        .mount(&server)
        .await;
    let client = client(&server).await;
    let uuids: Vec<Uuid> = vec![UUID.parse().unwrap(); 2];
    assert_eq!(
        client
            .clone_container_task_instances(&uuids)
            .await
            .unwrap()
            .len(),
        2
    );
    let terminated = client
        .terminate_executable_task_instances(&uuids)
        .await
        .unwrap();
    assert!(terminated
        .iter()
        .all(|i| i.state == types::TaskInstanceState::Terminated));
}
