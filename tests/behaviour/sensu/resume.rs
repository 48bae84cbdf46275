//! Sessions resumed from saved tokens (`SensuClientBuilder::resume`), and the tokens read back
//! after calls (`Client::token`), against the stand-in that enforces Sensu's token rules.

use std::time::{Duration, SystemTime};

use super::login_stand_in::{FakeSensu, PASSWORD, USERNAME};
use opsclient::auth::Token;
use opsclient::Error;
use secrecy::ExposeSecret;

const HOUR: Duration = Duration::from_secs(3600);

/// The tokens of a client that logged in, as a caller would save them: access and refresh
/// token and expiry, copied out of the client.
async fn saved_after_login(sensu: &FakeSensu) -> Token {
    let client = sensu.client();
    client.login(USERNAME, PASSWORD).await.unwrap();
    let token = client.token().await.expect("a token after login");
    copy(&token)
}

/// A token made from the parts of another, as a caller restoring them from a file does.
fn copy(token: &Token) -> Token {
    let restored = Token::new(token.expose_access()).with_refresh(
        token
            .refresh()
            .expect("Sensu issues a refresh token")
            .expose_secret(),
    );
    match token.expires_at() {
        Some(at) => restored.expiring_at(at),
        None => restored,
    }
}

fn resumed(sensu: &FakeSensu, token: Token) -> opsclient::sensu::Client {
    opsclient::sensu::Client::builder()
        .url(sensu.server.uri())
        .resume(token)
        .build()
        .unwrap()
}

fn bearer_of_last_call(requests: &[wiremock::Request]) -> String {
    let last = requests.last().expect("a call");
    last.headers["authorization"].to_str().unwrap().to_string()
}

#[tokio::test]
async fn a_resumed_session_calls_with_the_saved_token_and_logs_in_no_more() {
    let sensu = FakeSensu::start(HOUR, Duration::ZERO).await;
    let saved = saved_after_login(&sensu).await;
    let client = resumed(&sensu, saved);

    for _ in 0..2 {
        client.list_namespaces().send().await.unwrap();
    }
    assert_eq!(sensu.counts(), (1, 0, 0), "one login, by the first client");
    let calls = sensu.received("GET", "/api/core/v2/namespaces").await;
    assert_eq!(calls.len(), 2);
    assert_eq!(bearer_of_last_call(&calls), "Bearer access-1");
    // Read back unchanged: nothing new to save.
    let token = client.token().await.unwrap();
    assert_eq!(token.expose_access(), "access-1");
    assert_eq!(token.refresh().unwrap().expose_secret(), "refresh-1");
}

#[tokio::test]
async fn an_expired_saved_token_is_refreshed_and_the_rotated_pair_is_read_back() {
    let sensu = FakeSensu::start(HOUR, Duration::ZERO).await;
    let saved = saved_after_login(&sensu).await;
    sensu.state().expire_all();
    let client = resumed(&sensu, saved);

    client.list_namespaces().send().await.unwrap();
    assert_eq!(sensu.counts(), (1, 1, 0), "a refresh, no login");
    let rotated = client.token().await.unwrap();
    assert_eq!(rotated.expose_access(), "access-2");
    assert_eq!(rotated.refresh().unwrap().expose_secret(), "refresh-2");
    let remaining = rotated
        .expires_at()
        .unwrap()
        .duration_since(SystemTime::now())
        .unwrap();
    assert!(remaining > HOUR - Duration::from_secs(60), "{remaining:?}");

    // The rotated pair resumes again: another process, another refresh when it is due.
    sensu.state().expire_all();
    let next = resumed(&sensu, copy(&rotated));
    next.list_namespaces().send().await.unwrap();
    assert_eq!(sensu.counts(), (1, 2, 0));
    assert_eq!(next.token().await.unwrap().expose_access(), "access-3");
}

#[tokio::test]
async fn a_saved_token_close_to_expiry_is_refreshed_before_the_call() {
    // Ten seconds left is within the 60 s threshold: renewed first, so the call cannot meet a
    // token that expires on the way.
    let sensu = FakeSensu::start(HOUR, Duration::ZERO).await;
    let saved = saved_after_login(&sensu).await;
    let close = Token::new(saved.expose_access())
        .with_refresh(saved.refresh().unwrap().expose_secret())
        .expiring_at(SystemTime::now() + Duration::from_secs(10));
    let client = resumed(&sensu, close);
    client.list_namespaces().send().await.unwrap();
    assert_eq!(sensu.counts(), (1, 1, 0));
    let calls = sensu.received("GET", "/api/core/v2/namespaces").await;
    assert_eq!(bearer_of_last_call(&calls), "Bearer access-2");
}

#[tokio::test]
async fn without_credentials_a_session_the_server_ended_stays_ended() {
    let sensu = FakeSensu::start(HOUR, Duration::ZERO).await;
    let saved = saved_after_login(&sensu).await;
    sensu.state().kill_session();
    sensu.state().expire_all();
    let client = resumed(&sensu, saved);

    // The refusal itself: Sensu's 400 "invalid access token" for a session it deleted.
    let refused = client.list_namespaces().send().await.unwrap_err();
    assert!(
        matches!(refused, Error::InvalidInput(_) | Error::Unauthorized(_)),
        "{refused:?}"
    );
    assert!(client.token().await.is_none(), "no token left to save");
    // From then on the session has ended, and nothing is sent.
    let before = sensu.server.received_requests().await.unwrap().len();
    let ended = client.list_namespaces().send().await.unwrap_err();
    assert!(matches!(ended, Error::LoggedOut), "{ended:?}");
    assert_eq!(
        sensu.server.received_requests().await.unwrap().len(),
        before
    );
    assert_eq!(sensu.state().logins, 1, "never a login without a password");
}

#[tokio::test]
async fn with_credentials_a_refused_refresh_of_saved_tokens_logs_in_again() {
    let sensu = FakeSensu::start(HOUR, Duration::ZERO).await;
    let saved = saved_after_login(&sensu).await;
    sensu.state().kill_session();
    sensu.state().expire_all();
    let client = opsclient::sensu::Client::builder()
        .url(sensu.server.uri())
        .credentials(USERNAME, PASSWORD)
        .resume(saved)
        .build()
        .unwrap();

    client.list_namespaces().send().await.unwrap();
    assert_eq!(sensu.counts(), (2, 0, 1), "refused refresh, then a login");
    assert_eq!(client.token().await.unwrap().expose_access(), "access-2");
}

#[tokio::test]
async fn a_resumed_session_logs_out_with_its_saved_tokens() {
    let sensu = FakeSensu::start(HOUR, Duration::ZERO).await;
    wiremock::Mock::given(wiremock::matchers::method("POST"))
        .and(wiremock::matchers::path("/auth/logout"))
        .respond_with(wiremock::ResponseTemplate::new(200))
        .expect(1)
        .mount(&sensu.server)
        .await;
    let client = resumed(&sensu, saved_after_login(&sensu).await);
    client.logout().await.unwrap();
    let logout = &sensu.received("POST", "/auth/logout").await[0];
    assert_eq!(
        logout.headers["authorization"].to_str().unwrap(),
        "Bearer access-1"
    );
    assert_eq!(
        logout.body_json::<serde_json::Value>().unwrap()["refresh_token"],
        "refresh-1"
    );
    assert!(client.token().await.is_none());
}

#[tokio::test]
async fn saved_tokens_and_an_api_key_are_refused_together_and_never_shown() {
    let token = Token::new("saved-access-secret").with_refresh("saved-refresh-secret");
    let builder = opsclient::sensu::Client::builder()
        .url("http://127.0.0.1:8080")
        .resume(token);
    let shown = format!("{builder:?}");
    assert!(
        !shown.contains("saved-access-secret") && !shown.contains("saved-refresh-secret"),
        "{shown}"
    );
    let client = builder.clone().build().unwrap();
    let shown = format!("{client:?}");
    assert!(!shown.contains("saved-access-secret"), "{shown}");

    let error = builder.api_key("a-key").build().unwrap_err();
    match error {
        Error::Config(e) => assert!(e.to_string().contains("API key"), "{e}"),
        other => panic!("expected a configuration error, got {other:?}"),
    }
}
