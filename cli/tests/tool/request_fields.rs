//! What the tool sends for the Python CLIs' commands and for flags given with a body file,
//! read off local stand-in servers (Monasca and Watcher in direct mode: a token and an
//! endpoint, no Keystone) and the Sensu sandbox: monascaclient's positional order and
//! dimension filters, watcherclient's audit template names, and flags over `--json-body`.

use crate::tool_process::{Run, Sandbox, Tool};
use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const TEMPLATE_UUID: &str = "5d2a1f3e-8b7c-4e6d-9a0b-1c2d3e4f5a6b";

/// The tool in direct mode against `server`.
fn openstack_tool(server: &MockServer) -> Tool {
    Tool::new()
        .env("OS_AUTH_TYPE", "token_endpoint")
        .env("OS_TOKEN", "gAAAA-direct-token")
        .env("OS_ENDPOINT", server.uri())
}

async fn run(tool: Tool, args: &[&str], input: Option<&str>) -> Run {
    let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    let input = input.map(str::to_string);
    tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        match input {
            Some(input) => tool.run_with_input(&args, &input),
            None => tool.run(&args),
        }
    })
    .await
    .expect("the run ends")
}

/// A server answering `status` with `body` to `verb` on `route`.
async fn answering(server: &MockServer, verb: &str, route: &str, status: u16, body: Value) {
    Mock::given(method(verb))
        .and(path(route))
        .respond_with(ResponseTemplate::new(status).set_body_json(body))
        .mount(server)
        .await;
}

/// A Watcher stand-in: its root names the versions it serves, as the client reads them first.
async fn watcher() -> MockServer {
    let server = MockServer::start().await;
    let version = json!({"id": "v1", "links": [], "min_version": "1.0", "max_version": "1.7", "status": "CURRENT"});
    let root = json!({"versions": [version.clone()], "default_version": version});
    answering(&server, "GET", "/", 200, root).await;
    server
}

/// The requests `server` received on `route`.
async fn received(server: &MockServer, route: &str) -> Vec<Request> {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .into_iter()
        .filter(|r| r.url.path() == route)
        .collect()
}

fn query(request: &Request, name: &str) -> Option<String> {
    request
        .url
        .query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

fn body(request: &Request) -> Value {
    serde_json::from_slice(&request.body).expect("a JSON body")
}

#[tokio::test]
async fn metric_statistics_takes_monascaclients_positional_order_and_key_value_dimensions() {
    let server = MockServer::start().await;
    let route = "/v2.0/metrics/statistics";
    answering(
        &server,
        "GET",
        route,
        200,
        json!({"links": [], "elements": []}),
    )
    .await;
    let tool = openstack_tool(&server);
    let args = [
        "monasca",
        "metric-statistics",
        "cpu.idle_perc",
        "avg,max",
        "2026-12-01T00:00:00Z",
        "--dimensions",
        "hostname=web-01",
        "--dimensions",
        "service=monitoring",
    ];
    run(tool, &args, None).await.ok();
    let requests = received(&server, route).await;
    assert_eq!(requests.len(), 1);
    let sent = &requests[0];
    assert_eq!(query(sent, "name").as_deref(), Some("cpu.idle_perc"));
    assert_eq!(query(sent, "statistics").as_deref(), Some("avg,max"));
    assert_eq!(
        query(sent, "dimensions").as_deref(),
        Some("hostname:web-01,service:monitoring")
    );
}

#[tokio::test]
async fn metric_and_measurement_lists_take_key_value_dimensions_and_the_api_form() {
    let server = MockServer::start().await;
    answering(
        &server,
        "GET",
        "/v2.0/metrics",
        200,
        json!({"links": [], "elements": []}),
    )
    .await;
    let measurements = "/v2.0/metrics/measurements";
    answering(
        &server,
        "GET",
        measurements,
        200,
        json!({"links": [], "elements": []}),
    )
    .await;
    let tool = openstack_tool(&server);
    let list = [
        "monasca",
        "metric-list",
        "--name",
        "cpu",
        "--dimensions",
        "hostname=web-01,region",
    ];
    run(tool, &list, None).await.ok();
    let tool = openstack_tool(&server);
    let measured = [
        "monasca",
        "measurement-list",
        "cpu",
        "2026-12-01T00:00:00Z",
        "--dimensions",
        "hostname:web-01",
    ];
    run(tool, &measured, None).await.ok();
    let listed = received(&server, "/v2.0/metrics").await;
    assert_eq!(
        query(&listed[0], "dimensions").as_deref(),
        Some("hostname:web-01,region")
    );
    let measured = received(&server, measurements).await;
    assert_eq!(
        query(&measured[0], "dimensions").as_deref(),
        Some("hostname:web-01")
    );
}

#[tokio::test]
async fn audit_create_looks_up_a_template_name_and_keeps_a_uuid() {
    let server = watcher().await;
    let template = json!({"uuid": TEMPLATE_UUID, "name": "nightly", "goal_name": "dummy"});
    answering(&server, "GET", "/v1/audit_templates/nightly", 200, template).await;
    let audit = json!({"uuid": "7e1c9a2b-3d4f-4a5b-8c6d-9e0f1a2b3c4d", "audit_type": "ONESHOT", "state": "PENDING"});
    answering(&server, "POST", "/v1/audits", 201, audit).await;
    let by_name = [
        "watcher", "audit", "create", "-a", "nightly", "-t", "ONESHOT",
    ];
    run(openstack_tool(&server), &by_name, None).await.ok();
    let by_uuid = [
        "watcher",
        "audit",
        "create",
        "-a",
        TEMPLATE_UUID,
        "-t",
        "ONESHOT",
    ];
    run(openstack_tool(&server), &by_uuid, None).await.ok();
    let created = received(&server, "/v1/audits").await;
    assert_eq!(created.len(), 2);
    for audit in &created {
        assert_eq!(body(audit)["audit_template_uuid"], TEMPLATE_UUID);
    }
    // The UUID was sent as given: only the name was looked up.
    assert_eq!(
        received(&server, "/v1/audit_templates/nightly").await.len(),
        1
    );
    assert_eq!(
        server
            .received_requests()
            .await
            .unwrap_or_default()
            .iter()
            .filter(|r| r.url.path().starts_with("/v1/audit_templates"))
            .count(),
        1
    );
}

#[tokio::test]
async fn flags_override_the_body_file_of_monasca_and_watcher_creates() {
    let server = watcher().await;
    let method_created = json!({"id": "n1", "name": "pager", "type": "WEBHOOK", "address": "http://b/", "period": 0, "links": []});
    answering(
        &server,
        "POST",
        "/v2.0/notification-methods",
        201,
        method_created,
    )
    .await;
    let template_created = json!({"uuid": TEMPLATE_UUID, "name": "nightly", "goal_name": "dummy"});
    answering(
        &server,
        "POST",
        "/v1/audit_templates",
        201,
        template_created,
    )
    .await;

    let file = r#"{"name": "pager", "type": "WEBHOOK", "address": "http://a/"}"#;
    let args = [
        "monasca",
        "create-notification-method",
        "--json-body",
        "-",
        "--address",
        "http://b/",
    ];
    run(openstack_tool(&server), &args, Some(file)).await.ok();
    let sent = body(&received(&server, "/v2.0/notification-methods").await[0]);
    assert_eq!(sent["address"], "http://b/", "{sent}");
    assert_eq!(sent["name"], "pager", "{sent}");

    // YAML, as `-o yaml` prints it, is read too.
    let file = "name: nightly\ngoal: dummy\ndescription: from the file\n";
    let args = [
        "watcher",
        "create-audit-template",
        "--json-body",
        "-",
        "--description",
        "from a flag",
    ];
    run(openstack_tool(&server), &args, Some(file)).await.ok();
    let sent = body(&received(&server, "/v1/audit_templates").await[0]);
    assert_eq!(sent["description"], "from a flag", "{sent}");
    assert_eq!(sent["goal"], "dummy", "{sent}");
}

#[test]
fn a_flag_overrides_the_body_file_of_a_sensu_create() {
    let sandbox = Sandbox::start();
    let tool = sandbox.tool();
    let check = json!({
        "metadata": {"name": "cpu", "namespace": "default"},
        "command": "check-cpu",
        "interval": 10,
        "subscriptions": ["linux"],
        "publish": true
    });
    tool.run_with_input(
        &[
            "sensu",
            "create-check",
            "--json-body",
            "-",
            "--interval",
            "30",
        ],
        &check.to_string(),
    )
    .ok();
    let stored = tool.run(&["sensu", "get-check", "--check", "cpu"]).json();
    assert_eq!(stored["interval"], 30, "{stored}");
    assert_eq!(stored["command"], "check-cpu", "{stored}");
}
