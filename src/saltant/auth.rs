//! saltant's JWT login (djangorestframework-simplejwt), as a [`TokenProvider`].
//!
//! `POST token/` with `{username, password}` answers 200 `{refresh, access}`;
//! `POST token/refresh/` with `{refresh}` answers 200 `{access}` (the refresh token is not
//! rotated, so it is kept). The access token's expiry is its `exp` claim. Both paths need
//! their trailing slash.
//!
//! These calls go straight through the HTTP client rather than the generated methods, because
//! the generated methods ask the session for a token, and the session is what is being renewed.
//! They share the client's retries (POSTs: only a failure to connect is retried) and timeout;
//! their answers are small, and read up to 1 MiB, the login limit.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use futures::future::BoxFuture;
use reqwest::header::{HeaderName, HeaderValue, AUTHORIZATION};
use reqwest::StatusCode;
use secrecy::{ExposeSecret, SecretString};
use serde::de::DeserializeOwned;
use serde::Deserialize;

use super::errors::decode_error;
use crate::auth::{secret_header, token_body_error, Token, TokenProvider};
use crate::error::Error;
use crate::transport::{read_small, Policy};
use crate::Result;

/// Logs in to saltant with a username and password.
pub(crate) struct JwtLogin {
    http: reqwest::Client,
    policy: Policy,
    base_url: String,
    username: String,
    password: SecretString,
}

/// `token/`'s answer. Not `Debug`: it holds secrets.
#[derive(Deserialize)]
struct TokenPair {
    refresh: String,
    access: String,
}

/// `token/refresh/`'s answer.
#[derive(Deserialize)]
struct Access {
    access: String,
}

impl JwtLogin {
    pub(crate) fn new(
        http: reqwest::Client,
        policy: Policy,
        base_url: String,
        username: String,
        password: SecretString,
    ) -> Self {
        JwtLogin {
            http,
            policy,
            base_url,
            username,
            password,
        }
    }

    async fn post<T: DeserializeOwned>(&self, path: &str, body: serde_json::Value) -> Result<T> {
        let request = self
            .http
            .post(format!("{}/{path}", self.base_url))
            .json(&body)
            .build()
            .map_err(Error::from_reqwest)?;
        let response = self
            .policy
            .send(
                &self.http,
                request,
                false,
                |status| status == StatusCode::OK,
                |status, body| Error::from_api(decode_error(status, body)),
            )
            .await?;
        let status = response.status();
        let bytes = read_small(response).await?;
        serde_json::from_slice(&bytes).map_err(|e| token_body_error(status, &e))
    }
}

/// A token whose expiry is the access token's `exp` claim, when it has one.
fn token(access: String, refresh: &str) -> Result<Token> {
    if access.is_empty() {
        return Err(Error::malformed(None, "empty access token", b""));
    }
    let expires_at = expiry(&access);
    let token = Token::new(access).with_refresh(refresh);
    Ok(match expires_at {
        Some(at) => token.expiring_at(at),
        None => token,
    })
}

/// The `exp` claim of a JWT, read without checking the signature (the server checks it).
fn expiry(jwt: &str) -> Option<SystemTime> {
    #[derive(Deserialize)]
    struct Claims {
        exp: u64,
    }
    let payload = jwt.split('.').nth(1)?;
    let bytes = data_encoding::BASE64URL_NOPAD
        .decode(payload.trim_end_matches('=').as_bytes())
        .ok()?;
    let claims: Claims = serde_json::from_slice(&bytes).ok()?;
    UNIX_EPOCH.checked_add(Duration::from_secs(claims.exp))
}

impl TokenProvider for JwtLogin {
    fn login(&self) -> BoxFuture<'_, Result<Token>> {
        Box::pin(async move {
            let body = serde_json::json!({
                "username": self.username,
                "password": self.password.expose_secret(),
            });
            let pair: TokenPair = self.post("token/", body).await?;
            token(pair.access, &pair.refresh)
        })
    }

    fn refresh<'a>(&'a self, current: &'a Token) -> BoxFuture<'a, Result<Token>> {
        Box::pin(async move {
            let Some(refresh) = current.refresh() else {
                return self.login().await;
            };
            let body = serde_json::json!({ "refresh": refresh.expose_secret() });
            let fresh: Access = self.post("token/refresh/", body).await?;
            token(fresh.access, refresh.expose_secret())
        })
    }

    fn can_login(&self) -> bool {
        true
    }

    fn header(&self, token: &Token) -> Result<(HeaderName, HeaderValue)> {
        let value = secret_header(&format!("Bearer {}", token.access().expose_secret()))?;
        Ok((AUTHORIZATION, value))
    }
}

impl std::fmt::Debug for JwtLogin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JwtLogin")
            .field("base_url", &self.base_url)
            .field("username", &self.username)
            .field("password", &"[redacted]")
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_expiry_is_the_exp_claim() {
        let payload =
            data_encoding::BASE64URL_NOPAD.encode(br#"{"token_type":"access","exp":1800000000}"#);
        let jwt = format!("eyJhbGciOiJIUzI1NiJ9.{payload}.c2lnbmF0dXJl");
        assert_eq!(
            expiry(&jwt),
            Some(UNIX_EPOCH + Duration::from_secs(1_800_000_000))
        );
        assert_eq!(expiry("not-a-jwt"), None);
        assert!(matches!(
            token(String::new(), "r"),
            Err(Error::UnexpectedResponse(_))
        ));
    }

    #[test]
    fn debug_shows_the_user_and_server_and_never_the_password() {
        let login = JwtLogin::new(
            reqwest::Client::new(),
            Policy::new(None, 1024, crate::RetryPolicy::default()),
            "https://saltant.example.com/api".into(),
            "alice".into(),
            SecretString::from("s3cret-pass".to_string()),
        );
        let shown = format!("{login:?}");
        assert!(!shown.contains("s3cret-pass"), "{shown}");
        for part in [
            "JwtLogin",
            "https://saltant.example.com/api",
            "alice",
            "[redacted]",
        ] {
            assert!(shown.contains(part), "{part} missing from {shown}");
        }
    }
}
