//! saltant: a JWT login checked by the connection probe, then a typed task queue; and a
//! permanent token.

use httpmock::MockServer;
use opsclient::saltant::{types, Client};
use opsclient_mock::saltant::{self as mock, MockServerExt};
use secrecy::ExposeSecret;

fn queue() -> types::TaskQueue {
    serde_json::from_value(serde_json::json!({
        "id": 3, "name": "default", "user": "operator", "description": "",
        "private": false, "active": true, "whitelists": [],
        "runs_executable_tasks": true, "runs_docker_container_tasks": true,
        "runs_singularity_container_tasks": false,
    }))
    .unwrap()
}

fn no_users() -> types::UserPage {
    types::UserPage {
        count: 0,
        next: None,
        previous: None,
        results: Vec::new(),
        extra: Default::default(),
    }
}

#[tokio::test]
async fn a_jwt_login_is_probed_then_reads_a_task_queue() {
    let server = MockServer::start_async().await;
    let login = mock::login(&server, "operator", "pw");
    let probe = server.list_users(|when, then| {
        when.page_size(std::num::NonZeroU64::new(1))
            .into_inner()
            .header("authorization", mock::bearer());
        then.ok(&no_users());
    });
    let answered = queue();
    let get = server.get_task_queue(|when, then| {
        when.id(3)
            .into_inner()
            .header("authorization", mock::bearer());
        then.ok(&answered);
    });

    let client = Client::builder()
        .url(server.base_url())
        .jwt("operator", "pw")
        .connect()
        .await
        .unwrap();
    let read = client
        .get_task_queue()
        .id(3)
        .send()
        .await
        .unwrap()
        .into_inner();

    login.assert();
    probe.assert();
    get.assert();
    assert_eq!(read, answered);
    assert_eq!(read.user, "operator");
    let token = client.token().await.unwrap();
    assert_eq!(token.access().expose_secret(), mock::access_token());
}

#[tokio::test]
async fn a_permanent_token_needs_no_login() {
    let server = MockServer::start_async().await;
    let login = mock::login(&server, "operator", "pw");
    let probe = server.list_users(|when, then| {
        when.into_inner()
            .header("authorization", mock::auth_token("drf-token"));
        then.ok(&no_users());
    });
    Client::with_auth_token(&server.base_url(), "drf-token")
        .await
        .unwrap();
    probe.assert();
    login.assert_calls(0);
}

#[tokio::test]
async fn a_refused_access_token_is_refreshed_with_the_refresh_token_and_the_call_retried() {
    let server = MockServer::start_async().await;
    let login = mock::login(&server, "operator", "pw");
    let refresh = mock::refresh(&server);
    let refused = server.get_task_queue(|when, then| {
        when.id(3)
            .into_inner()
            .header("authorization", mock::bearer());
        then.into_inner()
            .status(401)
            .json_body(serde_json::json!({"detail": "Given token not valid for any token type"}));
    });
    let answered = queue();
    let renewed = server.get_task_queue(|when, then| {
        when.id(3).into_inner().header(
            "authorization",
            format!("Bearer {}", mock::refreshed_access_token()),
        );
        then.ok(&answered);
    });
    let client = Client::builder()
        .url(server.base_url())
        .jwt("operator", "pw")
        .build()
        .unwrap();
    let read = client.get_task_queue().id(3).send().await.unwrap();

    login.assert();
    refused.assert();
    refresh.assert();
    renewed.assert();
    assert_eq!(read.into_inner(), answered);
}
