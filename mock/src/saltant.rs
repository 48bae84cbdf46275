//! Typed mocks of the saltant API ([`opsclient::saltant`]), and its logins: the JWT login of
//! `POST /token/`, its refresh, and permanent tokens.

use httpmock::{Mock, MockServer};
use opsclient::saltant::types;

crate::generated_mocks!("saltant.rs");

/// The refresh token a mocked login answers.
pub const REFRESH_TOKEN: &str = "mock-saltant-refresh-token";
/// When the mocked access tokens expire (their `exp` claim, Unix seconds): 2100-01-01, so no
/// test sees them expire, and the tokens are the same in every run.
pub const EXPIRES_AT: u64 = 4_102_444_800;

/// The access token a mocked [`login`] answers: an unsigned JWT whose `exp` claim is
/// [`EXPIRES_AT`], which the client reads to know when to refresh.
pub fn access_token() -> String {
    jwt("mock-login")
}

/// The access token a mocked [`refresh`] answers: like [`access_token`], with another id.
pub fn refreshed_access_token() -> String {
    jwt("mock-refresh")
}

/// An unsigned access JWT with the id `jti`.
fn jwt(jti: &str) -> String {
    use base64::Engine;
    let encode = |json: serde_json::Value| {
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json.to_string())
    };
    let header = encode(serde_json::json!({"alg": "none", "typ": "JWT"}));
    let claims = encode(serde_json::json!({
        "token_type": "access",
        "exp": EXPIRES_AT,
        "jti": jti,
    }));
    format!("{header}.{claims}.")
}

/// Mocks `POST /token/` for `username` and `password`: answers [`access_token`] and
/// [`REFRESH_TOKEN`]. Other credentials match no mock, and the server answers 404.
pub fn login<'a>(server: &'a MockServer, username: &str, password: &str) -> Mock<'a> {
    let credentials = types::TokenObtainRequest {
        password: password.into(),
        username: username.into(),
        extra: Default::default(),
    };
    let pair = types::TokenPair {
        access: access_token().into(),
        refresh: REFRESH_TOKEN.into(),
        extra: Default::default(),
    };
    server.obtain_token(|when, then| {
        when.body(&credentials);
        then.ok(&pair);
    })
}

/// Mocks `POST /token/refresh/` with [`REFRESH_TOKEN`]: answers [`refreshed_access_token`].
pub fn refresh(server: &MockServer) -> Mock<'_> {
    let request = types::TokenRefreshRequest {
        refresh: REFRESH_TOKEN.into(),
        extra: Default::default(),
    };
    let access = types::AccessToken {
        access: refreshed_access_token().into(),
        extra: Default::default(),
    };
    server.refresh_token(|when, then| {
        when.body(&request);
        then.ok(&access);
    })
}

/// The `Authorization` value of the requests a client sends after a mocked [`login`].
pub fn bearer() -> String {
    crate::bearer_of(&access_token())
}

/// The `Authorization` value of a client built with the permanent token `token`
/// (`auth_token`).
pub fn auth_token(token: &str) -> String {
    format!("Token {token}")
}
