//! Sensu: a password login, a typed check written and read back, a refresh, and an API key.

use httpmock::MockServer;
use opsclient::sensu::{types, Client};
use opsclient_mock::sensu::{self as mock, MockServerExt};
use secrecy::ExposeSecret;

fn check() -> types::CheckConfig {
    types::CheckConfig::new("disk", "check-disk-usage.rb -w 80")
        .subscriptions(vec!["linux".to_string()])
        .interval(60)
        .try_into()
        .unwrap()
}

#[tokio::test]
async fn a_logged_in_client_writes_a_check_and_reads_it_back() {
    let server = MockServer::start_async().await;
    let login = mock::login(&server, "admin", "P@ssw0rd!");
    let sent = check();
    let put = server.create_or_update_check(|when, then| {
        when.namespace("ops")
            .check("disk")
            .body(&sent)
            .into_inner()
            .header("authorization", mock::bearer());
        then.created();
    });
    let answered = check();
    let get = server.get_check(|when, then| {
        when.namespace("ops")
            .check("disk")
            .into_inner()
            .header("authorization", mock::bearer());
        then.ok(&answered);
    });

    let client = Client::builder()
        .url(server.base_url())
        .credentials("admin", "P@ssw0rd!")
        .namespace("ops")
        .build()
        .unwrap();
    client
        .create_or_update_check()
        .namespace("ops")
        .check("disk")
        .body(check())
        .send()
        .await
        .unwrap();
    let read = client
        .get_check()
        .namespace("ops")
        .check("disk")
        .send()
        .await
        .unwrap()
        .into_inner();

    login.assert();
    put.assert();
    get.assert();
    assert_eq!(read, answered);
    assert_eq!(read.command.as_deref(), Some("check-disk-usage.rb -w 80"));
    let token = client.token().await.unwrap();
    assert_eq!(token.access().expose_secret(), mock::ACCESS_TOKEN);
}

#[tokio::test]
async fn a_refresh_sends_the_refresh_token_and_keeps_the_new_pair() {
    let server = MockServer::start_async().await;
    let login = mock::login(&server, "admin", "P@ssw0rd!");
    let refresh = mock::refresh(&server);
    let client = Client::builder().url(server.base_url()).build().unwrap();
    client.login("admin", "P@ssw0rd!").await.unwrap();
    client.refresh_token().await.unwrap();

    login.assert();
    refresh.assert();
    let token = client.token().await.unwrap();
    assert_eq!(token.access().expose_secret(), mock::REFRESHED_ACCESS_TOKEN);
    assert_eq!(
        token.refresh().unwrap().expose_secret(),
        mock::REFRESHED_REFRESH_TOKEN
    );
}

#[tokio::test]
async fn an_api_key_is_sent_on_every_request_and_no_login_happens() {
    let server = MockServer::start_async().await;
    let login = mock::login(&server, "admin", "P@ssw0rd!");
    let namespaces = server.list_namespaces(|when, then| {
        when.into_inner()
            .header("authorization", mock::api_key("a-key"));
        then.ok(&vec![types::Namespace::builder()
            .name("ops")
            .try_into()
            .unwrap()]);
    });
    let client = Client::builder()
        .url(server.base_url())
        .api_key("a-key")
        .build()
        .unwrap();
    let listed = client.list_namespaces().send().await.unwrap().into_inner();

    namespaces.assert();
    login.assert_calls(0);
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].name, "ops");
}

#[tokio::test]
async fn wrong_credentials_match_no_login_mock() {
    let server = MockServer::start_async().await;
    let login = mock::login(&server, "admin", "P@ssw0rd!");
    let client = Client::builder().url(server.base_url()).build().unwrap();
    let refused = client.login("admin", "wrong").await;
    assert!(refused.is_err(), "{refused:?}");
    login.assert_calls(0);
}
