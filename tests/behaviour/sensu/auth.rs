//! Sensu authentication against a local server that enforces Sensu's token rules.

use std::time::Duration;

use super::login_stand_in::{FakeSensu, Login, PASSWORD, USERNAME};
use base64::Engine;
use opsclient::Error;
use secrecy::ExposeSecret;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, ResponseTemplate};

const HOUR: Duration = Duration::from_secs(3600);

fn authorization(request: &wiremock::Request) -> String {
    request
        .headers
        .get("authorization")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default()
}

#[tokio::test]
async fn login_gets_tokens_and_sends_the_bearer() {
    let sensu = FakeSensu::start(HOUR, Duration::ZERO).await;
    let client = sensu.client();

    client.login(USERNAME, PASSWORD).await.unwrap();
    let token = client.token().await.expect("a token after login");
    assert_eq!(token.access().expose_secret(), "access-1");
    let expires_at = client.expires_at().await.unwrap();
    let remaining = expires_at
        .duration_since(std::time::SystemTime::now())
        .unwrap();
    assert!(remaining > Duration::from_secs(3500), "{remaining:?}");

    let namespaces = client.list_namespaces().send().await.unwrap();
    assert_eq!(namespaces.into_inner()[0].name, "default");
    let calls = sensu.received("GET", "/api/core/v2/namespaces").await;
    assert_eq!(authorization(&calls[0]), "Bearer access-1");
    assert_eq!(sensu.state().logins, 1);
}

#[tokio::test]
async fn wrong_password_is_unauthorized_and_keeps_no_session() {
    let sensu = FakeSensu::start(HOUR, Duration::ZERO).await;
    let client = sensu.client();
    let err = client.login(USERNAME, "wrong").await.unwrap_err();
    match err {
        Error::Unauthorized(e) => assert_eq!(e.message, "Unauthorized"),
        other => panic!("expected Unauthorized, got {other:?}"),
    }
    assert!(client.token().await.is_none());
}

#[tokio::test]
async fn refresh_rotates_and_stores_the_new_refresh_token() {
    // Tokens live 2 s, less than the 60 s threshold: each is renewed halfway through its life,
    // so a call a second after it was issued refreshes first.
    let sensu = FakeSensu::start(Duration::from_secs(2), Duration::ZERO).await;
    let client = sensu.client();
    client.login(USERNAME, PASSWORD).await.unwrap();

    tokio::time::sleep(Duration::from_secs(1)).await;
    client.list_namespaces().send().await.unwrap();
    tokio::time::sleep(Duration::from_secs(1)).await;
    client.list_namespaces().send().await.unwrap();

    let refreshes = sensu.received("POST", "/auth/token").await;
    assert_eq!(refreshes.len(), 2);
    // First refresh: the login pair. Second: the pair the first refresh returned.
    assert_eq!(authorization(&refreshes[0]), "Bearer access-1");
    assert_eq!(
        refreshes[0].body_json::<serde_json::Value>().unwrap()["refresh_token"],
        "refresh-1"
    );
    assert_eq!(
        refreshes[0].headers.get("content-type").unwrap(),
        "application/json"
    );
    assert_eq!(authorization(&refreshes[1]), "Bearer access-2");
    assert_eq!(
        refreshes[1].body_json::<serde_json::Value>().unwrap()["refresh_token"],
        "refresh-2"
    );
    assert_eq!(sensu.counts(), (1, 2, 0));
    let calls = sensu.received("GET", "/api/core/v2/namespaces").await;
    assert_eq!(authorization(&calls[1]), "Bearer access-3");
}

#[tokio::test]
async fn explicit_refresh_and_refresh_after_expiry() {
    let sensu = FakeSensu::start(HOUR, Duration::ZERO).await;
    let client = sensu.client();
    client.login(USERNAME, PASSWORD).await.unwrap();

    client.refresh_token().await.unwrap();
    assert_eq!(
        client.token().await.unwrap().access().expose_secret(),
        "access-2"
    );

    // The server accepts an expired access token for refresh; the client must not log in again.
    sensu.state().expire_all();
    // The cached expiry still says fresh, so the call is sent, gets 401, and is retried once.
    client.list_namespaces().send().await.unwrap();
    assert_eq!(sensu.counts(), (1, 2, 0));
}

#[tokio::test]
async fn concurrent_calls_across_expiry_refresh_exactly_once() {
    // Login tokens live 2 s (less than the threshold: due for renewal after half of it); the
    // refresh answer takes 200 ms, so all calls pile up behind it.
    let sensu = FakeSensu::start(Duration::from_secs(2), Duration::from_millis(200)).await;
    let client = sensu.client();
    client.login(USERNAME, PASSWORD).await.unwrap();
    sensu.state().lifetime = HOUR;
    tokio::time::sleep(Duration::from_secs(1)).await;

    let calls = (0..1000).map(|_| {
        let client = client.clone();
        tokio::spawn(async move {
            client
                .list_namespaces()
                .send()
                .await
                .map(|r| r.into_inner())
        })
    });
    for call in futures::future::join_all(calls).await {
        call.unwrap().expect("every call succeeds");
    }

    assert_eq!(sensu.received("POST", "/auth/token").await.len(), 1);
    assert_eq!(sensu.counts(), (1, 1, 0));
    let calls = sensu.received("GET", "/api/core/v2/namespaces").await;
    assert_eq!(calls.len(), 1000);
    assert!(calls.iter().all(|c| authorization(c) == "Bearer access-2"));
}

#[tokio::test]
async fn a_401_is_answered_by_one_refresh_and_one_retry() {
    let sensu = FakeSensu::start(HOUR, Duration::ZERO).await;
    let client = sensu.client();
    client.login(USERNAME, PASSWORD).await.unwrap();
    sensu.state().revoke("access-1");

    let namespaces = client.list_namespaces().send().await.unwrap();
    assert_eq!(namespaces.into_inner().len(), 1);

    let calls = sensu.received("GET", "/api/core/v2/namespaces").await;
    assert_eq!(calls.len(), 2);
    assert_eq!(authorization(&calls[0]), "Bearer access-1");
    assert_eq!(authorization(&calls[1]), "Bearer access-2");
    // The server no longer knows access-1, so it refuses to refresh it: the client logs in again.
    assert_eq!(sensu.counts(), (2, 0, 0));
}

#[tokio::test]
async fn concurrent_401s_for_one_token_renew_it_once() {
    let sensu = FakeSensu::start(HOUR, Duration::ZERO).await;
    let client = sensu.client();
    client.login(USERNAME, PASSWORD).await.unwrap();
    sensu.state().revoke("access-1");

    // Every call is refused with access-1; the first renewal replaces it, and the calls that
    // wait for it take the new token instead of renewing again.
    let calls = (0..10).map(|_| async { client.list_namespaces().send().await.map(drop) });
    futures::future::try_join_all(calls).await.unwrap();
    let refused = sensu
        .received("GET", "/api/core/v2/namespaces")
        .await
        .iter()
        .filter(|call| authorization(call) == "Bearer access-1")
        .count();
    assert!(refused > 1, "the calls overlapped: {refused} were refused");
    // One new login (the server no longer knows access-1, so it cannot be refreshed), no refresh.
    assert_eq!(sensu.counts(), (2, 0, 0));
}

#[tokio::test]
async fn a_refresh_that_failed_for_a_while_keeps_the_session() {
    let sensu = FakeSensu::start(HOUR, Duration::ZERO).await;
    let client = sensu.client();
    client.login(USERNAME, PASSWORD).await.unwrap();
    sensu.state().expire_all();
    // The refresh meets a server that is down for a moment: the call fails, and the session
    // keeps its refresh token for the next try rather than logging in from scratch.
    Mock::given(method("POST"))
        .and(path("/auth/token"))
        .respond_with(ResponseTemplate::new(503).set_body_string("unavailable\n"))
        .with_priority(1)
        .up_to_n_times(1)
        .mount(&sensu.server)
        .await;
    assert!(client.list_namespaces().send().await.is_err());
    assert!(client.token().await.is_some(), "the session is kept");

    client.list_namespaces().send().await.unwrap();
    assert_eq!(sensu.counts(), (1, 1, 0), "one login, then one refresh");
}

#[tokio::test]
async fn refused_credentials_leave_no_token_behind() {
    let sensu = FakeSensu::start(HOUR, Duration::ZERO).await;
    let client = sensu.client();
    client.login(USERNAME, PASSWORD).await.unwrap();
    sensu.state().expire_all();
    sensu.state().kill_session();
    // The refresh is refused and so is the password (changed meanwhile): the session is over.
    Mock::given(method("GET"))
        .and(path("/auth"))
        .respond_with(ResponseTemplate::new(401).set_body_string("Unauthorized\n"))
        .with_priority(1)
        .up_to_n_times(1)
        .mount(&sensu.server)
        .await;
    let error = client.list_namespaces().send().await.unwrap_err();
    assert!(matches!(error, Error::Unauthorized(_)), "{error:?}");
    assert!(
        client.token().await.is_none(),
        "a refused session keeps no token"
    );
    // The next call logs in afresh.
    client.list_namespaces().send().await.unwrap();
    assert_eq!(sensu.counts(), (2, 0, 1));
}

#[tokio::test]
async fn a_second_401_is_returned_not_retried_again() {
    let sensu = FakeSensu::start(HOUR, Duration::ZERO).await;
    Mock::given(method("GET"))
        .and(path(
            "/api/core/v2/namespaces/{namespace}/checks".replace("{namespace}", "default"),
        ))
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_string(r#"{"Code":5,"Message":"invalid credentials"}"#),
        )
        .mount(&sensu.server)
        .await;
    let client = sensu.client();
    client.login(USERNAME, PASSWORD).await.unwrap();

    let err = client
        .list_checks()
        .namespace("default")
        .send()
        .await
        .unwrap_err();
    match err {
        Error::Unauthorized(e) => {
            assert_eq!(
                (e.code, e.message.as_str()),
                (Some(5), "invalid credentials")
            )
        }
        other => panic!("expected Unauthorized, got {other:?}"),
    }
    assert_eq!(
        sensu
            .received("GET", "/api/core/v2/namespaces/default/checks")
            .await
            .len(),
        2
    );
}

#[tokio::test]
async fn a_refused_refresh_falls_back_to_login() {
    // Tokens that live 2 s are due for renewal a second after they were issued.
    let sensu = FakeSensu::start(Duration::from_secs(2), Duration::ZERO).await;
    let client = sensu.client();
    client.login(USERNAME, PASSWORD).await.unwrap();
    // The server-side session is gone (e.g. the refresh token was used elsewhere).
    sensu.state().kill_session();
    tokio::time::sleep(Duration::from_secs(1)).await;

    client.list_namespaces().send().await.unwrap();
    assert_eq!(sensu.counts(), (2, 0, 1));
}

#[tokio::test]
async fn credentials_from_the_builder_log_in_on_first_use() {
    let sensu = FakeSensu::start(HOUR, Duration::ZERO).await;
    let client = opsclient::sensu::Client::builder()
        .url(sensu.server.uri())
        .credentials(USERNAME, PASSWORD)
        .build()
        .unwrap();
    assert_eq!(sensu.state().logins, 0, "building sends nothing");
    client.list_namespaces().send().await.unwrap();
    assert_eq!(sensu.state().logins, 1);
}

#[tokio::test]
async fn api_keys_go_in_the_key_header_and_never_refresh() {
    let sensu = FakeSensu::start(HOUR, Duration::ZERO).await;
    Mock::given(method("GET"))
        .and(path("/api/core/v2/namespaces/default/checks"))
        .and(header(
            "authorization",
            "Key 83abef1e-e7d7-4beb-91fc-79ad90084d5b",
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!([])))
        .expect(1)
        .mount(&sensu.server)
        .await;
    let client = opsclient::sensu::Client::builder()
        .url(sensu.server.uri())
        .api_key("83abef1e-e7d7-4beb-91fc-79ad90084d5b")
        .build()
        .unwrap();
    let checks = client
        .list_checks()
        .namespace("default")
        .send()
        .await
        .unwrap();
    assert!(checks.into_inner().is_empty());
    assert!(client.token().await.is_none());
    assert!(sensu.received("GET", "/auth").await.is_empty());
    assert!(sensu.received("POST", "/auth/token").await.is_empty());
}

#[tokio::test]
async fn logout_ends_the_session_and_test_credentials_checks_basic() {
    let sensu = FakeSensu::start(HOUR, Duration::ZERO).await;
    Mock::given(method("POST"))
        .and(path("/auth/logout"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&sensu.server)
        .await;
    Mock::given(method("GET"))
        .and(path("/auth/test"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&sensu.server)
        .await;
    let client = sensu.client();
    client.login(USERNAME, PASSWORD).await.unwrap();
    // An operation the document secures with basicAuth carries the session's username and
    // password, not its token.
    client.auth_test().send().await.unwrap();
    let expected = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{USERNAME}:{PASSWORD}"))
    );
    assert_eq!(
        authorization(&sensu.received("GET", "/auth/test").await[0]),
        expected
    );
    client.logout().await.unwrap();
    let logout = &sensu.received("POST", "/auth/logout").await[0];
    assert_eq!(authorization(logout), "Bearer access-1");
    assert_eq!(
        logout.body_json::<serde_json::Value>().unwrap()["refresh_token"],
        "refresh-1"
    );
    assert!(client.token().await.is_none());
    // The session is over until the next login: nothing renews it behind the caller's back.
    assert!(matches!(
        client.refresh_token().await,
        Err(Error::LoggedOut)
    ));
}

#[tokio::test]
async fn debug_output_never_shows_secrets() {
    use opsclient::sensu::ClientInfo;
    let sensu = FakeSensu::start(HOUR, Duration::ZERO).await;
    let builder = opsclient::sensu::Client::builder()
        .url(sensu.server.uri())
        .credentials(USERNAME, PASSWORD);
    let with_key = opsclient::sensu::Client::builder()
        .url(sensu.server.uri())
        .api_key("83abef1e-secret-key");
    let client = builder.clone().build().unwrap();
    client.login(USERNAME, PASSWORD).await.unwrap();
    let key_client = with_key.clone().build().unwrap();
    let token = client.token().await.unwrap();

    let user: opsclient::sensu::types::User = serde_json::from_value(serde_json::json!({
        "username": "alice", "password": PASSWORD, "password_hash": "$2a$10$hashhashhash"
    }))
    .unwrap();
    let tokens: opsclient::sensu::types::Tokens = serde_json::from_value(serde_json::json!({
        "access_token": "access-1", "expires_at": 1, "refresh_token": "refresh-1"
    }))
    .unwrap();
    // The secret fields still go on the wire as plain strings.
    assert_eq!(serde_json::to_value(&user).unwrap()["password"], PASSWORD);

    for text in [
        format!("{user:?}"),
        format!("{tokens:?}"),
        format!("{builder:?}"),
        format!("{with_key:?}"),
        format!("{client:?}"),
        format!("{key_client:?}"),
        format!("{token:?}"),
        format!("{:?}", client.inner()),
    ] {
        for secret in [
            PASSWORD,
            "83abef1e-secret-key",
            "access-1",
            "refresh-1",
            "hashhash",
        ] {
            assert!(!text.contains(secret), "{secret} leaked in {text}");
        }
    }
    // What the clients do show: how each authenticates.
    assert!(
        format!("{client:?}").contains(r#"credentials: "session""#),
        "{client:?}"
    );
    assert!(
        format!("{key_client:?}").contains(r#"credentials: "fixed header""#),
        "{key_client:?}"
    );
}

#[tokio::test]
async fn test_credentials_says_whether_a_username_and_password_are_valid() {
    let sensu = FakeSensu::start(HOUR, Duration::ZERO).await;
    // The server checks the Basic credentials as /auth does: 200 for the right pair, 401 else.
    Mock::given(method("GET"))
        .and(path("/auth/test"))
        .respond_with(Login(sensu.state.clone()))
        .mount(&sensu.server)
        .await;
    let client = sensu.client();
    assert!(client.test_credentials(USERNAME, PASSWORD).await.unwrap());
    assert!(!client.test_credentials(USERNAME, "not-it").await.unwrap());
    assert!(!client.test_credentials("someone", PASSWORD).await.unwrap());
    // Any other answer is an error, not a yes or a no.
    let failing = FakeSensu::start(HOUR, Duration::ZERO).await;
    Mock::given(method("GET"))
        .and(path("/auth/test"))
        .respond_with(ResponseTemplate::new(500).set_body_string(r#"{"message":"down"}"#))
        .mount(&failing.server)
        .await;
    assert!(failing
        .client()
        .test_credentials(USERNAME, PASSWORD)
        .await
        .is_err());
}
