//! Every saltant operation called through the client against a local HTTP server that answers
//! as the saltant server's code does: each request reaches the right method and path with
//! the right body, and each answer decodes into its generated type. A test fails for any
//! operation that never succeeds.

#![cfg(feature = "saltant")]

use crate::support::recorder::Recorder;
use opsclient::saltant::{types, Client};
use serde_json::{json, Value};
use uuid::Uuid;
use wiremock::matchers::{method, path_regex};
use wiremock::{Mock, MockServer, ResponseTemplate};

const UUID: &str = "2d1c0b9a-8e7f-4a6b-9c5d-4e3f2a1b0c9d";

fn typed<T: serde::de::DeserializeOwned>(value: Value) -> T {
    serde_json::from_value(value).expect("a valid body")
}

fn page(item: Value) -> Value {
    json!({"count": 1, "next": null, "previous": null, "results": [item]})
}

fn answers() -> Vec<(&'static str, &'static str, u16, Value)> {
    let instance = json!({
        "uuid": UUID, "user": "alice", "name": "run", "state": "created",
        "datetime_created": "2026-11-22T10:00:00Z", "datetime_finished": null,
        "arguments": {"n": 1}, "task_queue": 1, "task_type": 1
    });
    let common = json!({
        "id": 1, "user": "alice", "name": "fastqc", "description": "",
        "datetime_created": "2026-11-22T10:00:00Z", "command_to_run": "fastqc",
        "environment_variables": ["HOME"], "required_arguments": ["n"],
        "required_arguments_default_values": {"n": 1}
    });
    let mut container = common.clone();
    container.as_object_mut().unwrap().extend(
        json!({"logs_path": null, "results_path": "/results", "container_image": "ubuntu:24.04", "container_type": "docker"})
            .as_object().unwrap().clone(),
    );
    let mut executable = common;
    executable["json_file_option"] = Value::Null;
    let queue = json!({
        "id": 1, "user": "alice", "name": "default", "description": "", "private": false,
        "runs_executable_tasks": true, "runs_docker_container_tasks": true,
        "runs_singularity_container_tasks": true, "active": true, "whitelists": []
    });
    let whitelist = json!({
        "id": 1, "user": "alice", "name": "safe", "description": "",
        "whitelisted_container_task_types": [1], "whitelisted_executable_task_types": []
    });
    let user = json!({"username": "alice", "email": "alice@example.org"});
    vec![
        (
            "GET",
            r"^/api/containertaskinstances/$",
            200,
            page(instance.clone()),
        ),
        (
            "POST",
            r"^/api/containertaskinstances/$",
            201,
            instance.clone(),
        ),
        (
            "GET",
            r"^/api/containertaskinstances/[0-9a-f-]+/$",
            200,
            instance.clone(),
        ),
        (
            "POST",
            r"^/api/containertaskinstances/[0-9a-f-]+/clone/$",
            201,
            instance.clone(),
        ),
        (
            "POST",
            r"^/api/containertaskinstances/[0-9a-f-]+/terminate/$",
            202,
            instance.clone(),
        ),
        (
            "GET",
            r"^/api/executabletaskinstances/$",
            200,
            page(instance.clone()),
        ),
        (
            "POST",
            r"^/api/executabletaskinstances/$",
            201,
            instance.clone(),
        ),
        (
            "GET",
            r"^/api/executabletaskinstances/[0-9a-f-]+/$",
            200,
            instance.clone(),
        ),
        (
            "POST",
            r"^/api/executabletaskinstances/[0-9a-f-]+/clone/$",
            201,
            instance.clone(),
        ),
        (
            "POST",
            r"^/api/executabletaskinstances/[0-9a-f-]+/terminate/$",
            202,
            instance,
        ),
        (
            "GET",
            r"^/api/containertasktypes/$",
            200,
            page(container.clone()),
        ),
        (
            "POST",
            r"^/api/containertasktypes/$",
            201,
            container.clone(),
        ),
        (
            "GET",
            r"^/api/containertasktypes/1/$",
            200,
            container.clone(),
        ),
        ("PUT", r"^/api/containertasktypes/1/$", 200, container),
        (
            "GET",
            r"^/api/executabletasktypes/$",
            200,
            page(executable.clone()),
        ),
        (
            "POST",
            r"^/api/executabletasktypes/$",
            201,
            executable.clone(),
        ),
        (
            "GET",
            r"^/api/executabletasktypes/1/$",
            200,
            executable.clone(),
        ),
        ("PUT", r"^/api/executabletasktypes/1/$", 200, executable),
        ("GET", r"^/api/taskqueues/$", 200, page(queue.clone())),
        ("POST", r"^/api/taskqueues/$", 201, queue.clone()),
        ("GET", r"^/api/taskqueues/1/$", 200, queue.clone()),
        ("PUT", r"^/api/taskqueues/1/$", 200, queue.clone()),
        ("PATCH", r"^/api/taskqueues/1/$", 200, queue),
        (
            "GET",
            r"^/api/taskwhitelists/$",
            200,
            page(whitelist.clone()),
        ),
        ("POST", r"^/api/taskwhitelists/$", 201, whitelist.clone()),
        ("GET", r"^/api/taskwhitelists/1/$", 200, whitelist.clone()),
        ("PUT", r"^/api/taskwhitelists/1/$", 200, whitelist.clone()),
        ("PATCH", r"^/api/taskwhitelists/1/$", 200, whitelist),
        ("GET", r"^/api/users/$", 200, page(user.clone())),
        ("GET", r"^/api/users/alice/$", 200, user),
        (
            "PATCH",
            r"^/api/updatetaskinstancestatus/[0-9a-f-]+/$",
            200,
            json!({"uuid": UUID, "state": "running"}),
        ),
        (
            "POST",
            r"^/api/token/$",
            200,
            json!({"refresh": "r.r.r", "access": "a.a.a"}),
        ),
        (
            "POST",
            r"^/api/token/refresh/$",
            200,
            json!({"access": "a.a.b"}),
        ),
    ]
}

#[tokio::test]
async fn every_saltant_operation_answers_through_the_client() {
    let recorder = Recorder::start();
    let server = MockServer::start().await;
    for (verb, route, status, body) in answers() {
        Mock::given(method(verb))
            .and(path_regex(route))
            .respond_with(ResponseTemplate::new(status).set_body_json(body))
            .mount(&server)
            .await;
    }
    let client = Client::builder()
        .url(server.uri() + "/api/")
        .auth_token("t")
        .build()
        .unwrap();
    let uuid: Uuid = UUID.parse().unwrap();
    let create: types::TaskInstanceCreate =
        typed(json!({"task_type": 1, "task_queue": 1, "arguments": {"n": 1}}));
    let container_type: types::ContainerTaskTypeRequest = typed(json!({
        "name": "fastqc", "command_to_run": "fastqc", "container_image": "ubuntu:24.04",
        "container_type": "docker", "environment_variables": ["HOME"], "required_arguments": ["n"]
    }));
    let executable_type: types::ExecutableTaskTypeRequest = typed(
        json!({"name": "fastqc", "command_to_run": "fastqc", "required_arguments_default_values": {"n": 1}}),
    );
    let queue: types::TaskQueueRequest = typed(json!({"name": "default", "whitelists": [1]}));
    let whitelist: types::TaskWhitelistRequest =
        typed(json!({"name": "safe", "whitelisted_container_task_types": [1]}));

    assert_eq!(
        client
            .list_container_task_instances()
            .state("running")
            .send()
            .await
            .unwrap()
            .count,
        1
    );
    let created = client
        .create_container_task_instance()
        .body(create.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(created.arguments["n"], 1);
    client
        .get_container_task_instance()
        .uuid(uuid)
        .send()
        .await
        .unwrap();
    client
        .clone_container_task_instance()
        .uuid(uuid)
        .send()
        .await
        .unwrap();
    client
        .terminate_container_task_instance()
        .uuid(uuid)
        .send()
        .await
        .unwrap();
    client
        .list_executable_task_instances()
        .send()
        .await
        .unwrap();
    client
        .create_executable_task_instance()
        .body(create)
        .send()
        .await
        .unwrap();
    client
        .get_executable_task_instance()
        .uuid(uuid)
        .send()
        .await
        .unwrap();
    client
        .clone_executable_task_instance()
        .uuid(uuid)
        .send()
        .await
        .unwrap();
    client
        .terminate_executable_task_instance()
        .uuid(uuid)
        .send()
        .await
        .unwrap();
    client
        .list_container_task_types()
        .name_contains("fast")
        .send()
        .await
        .unwrap();
    client
        .create_container_task_type()
        .body(container_type.clone())
        .send()
        .await
        .unwrap();
    let fetched = client.get_container_task_type().id(1).send().await.unwrap();
    assert_eq!(fetched.required_arguments_default_values["n"], 1);
    client
        .update_container_task_type()
        .id(1)
        .body(container_type)
        .send()
        .await
        .unwrap();
    client.list_executable_task_types().send().await.unwrap();
    client
        .create_executable_task_type()
        .body(executable_type.clone())
        .send()
        .await
        .unwrap();
    client
        .get_executable_task_type()
        .id(1)
        .send()
        .await
        .unwrap();
    client
        .update_executable_task_type()
        .id(1)
        .body(executable_type)
        .send()
        .await
        .unwrap();
    client
        .list_task_queues()
        .private(false)
        .send()
        .await
        .unwrap();
    client
        .create_task_queue()
        .body(queue.clone())
        .send()
        .await
        .unwrap();
    client.get_task_queue().id(1).send().await.unwrap();
    client
        .update_task_queue()
        .id(1)
        .body(queue)
        .send()
        .await
        .unwrap();
    client
        .patch_task_queue()
        .id(1)
        .body(typed::<types::TaskQueuePatch>(json!({"active": false})))
        .send()
        .await
        .unwrap();
    client.list_task_whitelists().send().await.unwrap();
    client
        .create_task_whitelist()
        .body(whitelist.clone())
        .send()
        .await
        .unwrap();
    client.get_task_whitelist().id(1).send().await.unwrap();
    client
        .update_task_whitelist()
        .id(1)
        .body(whitelist)
        .send()
        .await
        .unwrap();
    client
        .patch_task_whitelist()
        .id(1)
        .body(typed::<types::TaskWhitelistPatch>(
            json!({"description": "reviewed"}),
        ))
        .send()
        .await
        .unwrap();
    client
        .list_users()
        .username_startswith("al")
        .send()
        .await
        .unwrap();
    client.get_user().username("alice").send().await.unwrap();
    let state: types::TaskInstanceStateUpdate = typed(json!({"state": "running"}));
    client
        .update_task_instance_state()
        .uuid(uuid)
        .body(state)
        .send()
        .await
        .unwrap();
    let pair = client
        .obtain_token()
        .body(typed::<types::TokenObtainRequest>(
            json!({"username": "alice", "password": "pw"}),
        ))
        .send()
        .await
        .unwrap();
    client
        .refresh_token()
        .body(typed::<types::TokenRefreshRequest>(
            json!({"refresh": pair.refresh}),
        ))
        .send()
        .await
        .unwrap();

    let missing = recorder.missing(opsclient::saltant::operations());
    assert!(missing.is_empty(), "never answered: {missing:?}");

    // Bodies go out as the server reads them: only writable fields, JSON as JSON.
    let requests = server.received_requests().await.unwrap();
    let sent = |verb: &str, route: &str| -> Value {
        let request = requests
            .iter()
            .find(|r| r.method.as_str() == verb && r.url.path() == route)
            .unwrap();
        serde_json::from_slice(&request.body).unwrap()
    };
    assert_eq!(
        sent("POST", "/api/containertaskinstances/"),
        json!({"task_type": 1, "task_queue": 1, "arguments": {"n": 1}})
    );
    assert_eq!(
        sent("PATCH", "/api/taskqueues/1/"),
        json!({"active": false})
    );
    assert_eq!(
        sent("PATCH", &format!("/api/updatetaskinstancestatus/{UUID}/")),
        json!({"state": "running"})
    );
}
