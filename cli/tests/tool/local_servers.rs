//! The tool against local HTTP servers, for what no real server here can show: saltant (no
//! saltant server runs here) with `--wait` on task instances, and a Sensu backend failing with
//! 5xx.

use crate::tool_process::Tool;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const UUID: &str = "3f2a4f0c-5a9e-4d47-9c6e-2b1d6f0d8a11";

fn instance(state: &str) -> serde_json::Value {
    json!({
        "uuid": UUID, "user": "ops", "name": "nightly", "state": state,
        "datetime_created": "2026-12-04T08:00:00Z",
        "datetime_finished": if state == "running" { serde_json::Value::Null } else { json!("2026-12-04T08:00:05Z") },
        "arguments": {}, "task_queue": 1, "task_type": 2
    })
}

/// A saltant server whose task instance is `running` for one poll, then `last`.
async fn saltant(last: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/containertaskinstances/"))
        .respond_with(ResponseTemplate::new(201).set_body_json(instance("created")))
        .mount(&server)
        .await;
    let one = format!("/api/containertaskinstances/{UUID}/");
    Mock::given(method("GET"))
        .and(path(one.clone()))
        .respond_with(ResponseTemplate::new(200).set_body_json(instance("running")))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(one))
        .respond_with(ResponseTemplate::new(200).set_body_json(instance(last)))
        .with_priority(2)
        .mount(&server)
        .await;
    server
}

fn saltant_tool(server: &MockServer) -> Tool {
    Tool::new().env("SALTANT_API_URL", format!("{}/api/", server.uri()))
}

async fn run(tool: Tool, args: Vec<String>) -> crate::tool_process::Run {
    tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        tool.run(&args)
    })
    .await
    .expect("the run ends")
}

fn create_and_wait(token: &std::path::Path, extra: &[&str]) -> Vec<String> {
    let mut args: Vec<String> = ["saltant", "create-container-task-instance", "--token-file"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    args.push(token.display().to_string());
    args.extend(
        [
            "--name",
            "nightly",
            "--task-queue",
            "1",
            "--task-type",
            "2",
            "--wait",
        ]
        .iter()
        .map(|s| s.to_string()),
    );
    args.extend(extra.iter().map(|s| s.to_string()));
    args
}

#[tokio::test(flavor = "multi_thread")]
async fn wait_follows_a_task_instance_to_success() {
    let server = saltant("successful").await;
    let dir = tempfile::tempdir().unwrap();
    let token = dir.path().join("token");
    std::fs::write(&token, "0123456789abcdef\n").unwrap();
    let done = run(saltant_tool(&server), create_and_wait(&token, &[])).await;
    let created = done.json();
    assert_eq!(created["uuid"], UUID);
    let stderr = done.stderr();
    assert!(
        stderr.contains(&format!("task instance {UUID}: successful")),
        "{stderr}"
    );
    // Standard error is not a terminal here: no spinner, no control characters.
    assert!(
        !stderr.contains('\u{1b}') && !stderr.contains('\r'),
        "{stderr:?}"
    );
    let requests = server.received_requests().await.unwrap();
    assert!(
        requests
            .iter()
            .filter(|r| r.method.as_str() == "GET")
            .count()
            >= 2
    );
    // The token went in the header, read from the file.
    assert_eq!(
        requests[0].headers.get("authorization").unwrap(),
        "Token 0123456789abcdef"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn on_a_terminal_wait_shows_a_spinner_with_the_state() {
    let server = saltant("successful").await;
    let dir = tempfile::tempdir().unwrap();
    let token = dir.path().join("token");
    std::fs::write(&token, "0123456789abcdef").unwrap();
    let tool = saltant_tool(&server);
    let args = create_and_wait(&token, &[]);
    let output = tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        tool.command_in_terminal(&args)
            .output()
            .expect("script runs")
    })
    .await
    .unwrap();
    let screen = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{screen}");
    // The spinner's line: what it follows and the state the last poll saw.
    assert!(
        screen.contains(&format!("task instance {UUID} running")),
        "no spinner with the state: {screen:?}"
    );
    assert!(
        screen.contains(&format!("task instance {UUID}: successful")),
        "{screen:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn wait_exits_10_when_the_task_fails_or_the_wait_times_out() {
    let dir = tempfile::tempdir().unwrap();
    let token = dir.path().join("token");
    std::fs::write(&token, "0123456789abcdef").unwrap();

    // The token from SALTANT_AUTH_TOKEN this time, as saltant-py's `from_env`.
    let failed = saltant("failed").await;
    let tool = saltant_tool(&failed).env("SALTANT_AUTH_TOKEN", "0123456789abcdef");
    let args = [
        "saltant",
        "create-container-task-instance",
        "--name",
        "nightly",
        "--task-queue",
        "1",
        "--task-type",
        "2",
        "--wait",
    ];
    let done = run(tool, args.iter().map(|s| s.to_string()).collect()).await;
    let error = done.fails(10);
    assert!(error.contains("ended failed"), "{error}");
    let requests = failed.received_requests().await.unwrap();
    assert_eq!(
        requests[0].headers.get("authorization").unwrap(),
        "Token 0123456789abcdef"
    );

    let stuck = saltant("running").await;
    let done = run(
        saltant_tool(&stuck),
        create_and_wait(&token, &["--wait-timeout", "3s"]),
    )
    .await;
    let error = done.fails(10);
    assert!(
        error.contains("running") || error.contains("time"),
        "{error}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_server_error_exits_7() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/core/v2/namespaces"))
        .respond_with(
            ResponseTemplate::new(500).set_body_json(json!({"message": "etcd is down", "code": 2})),
        )
        .mount(&server)
        .await;
    let tool = Tool::new()
        .env("SENSU_API_URL", server.uri())
        .env("SENSU_API_KEY", "0a0b0c0d-0000-4000-8000-000000000000");
    let done = run(
        tool,
        ["sensu", "create-namespace", "--name", "ops"]
            .iter()
            .map(|s| s.to_string())
            .collect(),
    )
    .await;
    let error = done.fails(7);
    assert!(
        error.contains("500") && error.contains("etcd is down"),
        "{error}"
    );
    assert_eq!(error.lines().count(), 1, "{error}");
    // Not JSON where JSON is promised: an answer the API does not define, also 7.
    let garbled = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/core/v2/namespaces"))
        .respond_with(ResponseTemplate::new(200).set_body_string("<html>proxy</html>"))
        .mount(&garbled)
        .await;
    let tool = Tool::new()
        .env("SENSU_API_URL", garbled.uri())
        .env("SENSU_API_KEY", "0a0b0c0d-0000-4000-8000-000000000000");
    let done = run(
        tool,
        ["sensu", "list-namespaces"]
            .iter()
            .map(|s| s.to_string())
            .collect(),
    )
    .await;
    done.fails(7);
}
