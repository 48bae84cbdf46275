//! Typed mocks of the Sensu API ([`opsclient::sensu`]), and its logins: `GET /auth` with a
//! username and password, `POST /auth/token` to refresh, and API keys.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use httpmock::{Mock, MockServer};
use opsclient::sensu::types;

crate::generated_mocks!("sensu.rs");

/// The access token a mocked login answers.
pub const ACCESS_TOKEN: &str = "mock-sensu-access-token";
/// The refresh token a mocked login answers.
pub const REFRESH_TOKEN: &str = "mock-sensu-refresh-token";
/// The access token a mocked refresh answers.
pub const REFRESHED_ACCESS_TOKEN: &str = "mock-sensu-access-token-2";
/// The refresh token a mocked refresh answers.
pub const REFRESHED_REFRESH_TOKEN: &str = "mock-sensu-refresh-token-2";
/// How long the mocked tokens live: long enough that no test sees them expire.
pub const TOKEN_LIFETIME: Duration = Duration::from_secs(3600);

/// Mocks `GET /auth` for `username` and `password` (Basic): answers [`ACCESS_TOKEN`] and
/// [`REFRESH_TOKEN`], valid for [`TOKEN_LIFETIME`]. Other credentials match no mock, and the
/// server answers 404.
pub fn login<'a>(server: &'a MockServer, username: &str, password: &str) -> Mock<'a> {
    let basic = basic(username, password);
    let tokens = tokens(ACCESS_TOKEN, REFRESH_TOKEN);
    server.auth_login(|when, then| {
        when.into_inner().header("authorization", basic);
        then.ok(&tokens);
    })
}

/// Mocks `POST /auth/token` as the client sends it after a [`login`]: the bearer
/// [`ACCESS_TOKEN`] and `{"refresh_token": REFRESH_TOKEN}`. Answers
/// [`REFRESHED_ACCESS_TOKEN`] and [`REFRESHED_REFRESH_TOKEN`].
pub fn refresh(server: &MockServer) -> Mock<'_> {
    let tokens = tokens(REFRESHED_ACCESS_TOKEN, REFRESHED_REFRESH_TOKEN);
    let body = types::RefreshTokenRequest {
        refresh_token: REFRESH_TOKEN.into(),
        extra: Default::default(),
    };
    server.auth_refresh_token(|when, then| {
        when.body(&body)
            .into_inner()
            .header("authorization", bearer());
        then.ok(&tokens);
    })
}

/// The `Authorization` value of the requests a client sends after a mocked [`login`], to match
/// with `when.into_inner().header("authorization", bearer())`.
pub fn bearer() -> String {
    crate::bearer_of(ACCESS_TOKEN)
}

/// The `Authorization` value of a client built with the API key `key`.
pub fn api_key(key: &str) -> String {
    format!("Key {key}")
}

/// `Authorization: Basic …` of a username and password.
fn basic(username: &str, password: &str) -> String {
    use base64::Engine;
    let pair = format!("{username}:{password}");
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(pair)
    )
}

/// A token pair expiring after [`TOKEN_LIFETIME`].
fn tokens(access: &str, refresh: &str) -> types::Tokens {
    let expires = SystemTime::now()
        .checked_add(TOKEN_LIFETIME)
        .and_then(|at| at.duration_since(UNIX_EPOCH).ok())
        .map_or(i64::MAX, |since| {
            i64::try_from(since.as_secs()).unwrap_or(i64::MAX)
        });
    types::Tokens {
        access_token: access.into(),
        expires_at: expires,
        refresh_token: refresh.into(),
        extra: Default::default(),
    }
}
