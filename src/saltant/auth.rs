//! saltant's JWT login (djangorestframework-simplejwt), as a [`TokenProvider`].
//!
//! `POST token/` with `{username, password}` answers 200 `{refresh, access}`;
//! `POST token/refresh/` with `{refresh}` answers 200 `{access}` (the refresh token is not
//! rotated, so it is kept). The access token's expiry is its `exp` claim. Both paths need
//! their trailing slash.
//!
//! These calls are [`PasswordLogin`] requests: the client's pipeline (POSTs: only a failure to
//! connect is retried), with no session, and answers read up to 1 MiB, the login limit.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use futures::future::BoxFuture;
use reqwest::header::{HeaderName, HeaderValue, AUTHORIZATION};
use reqwest::Method;
use secrecy::ExposeSecret;
use serde::de::DeserializeOwned;
use serde::Deserialize;

use crate::auth::{secret_header, Token, TokenProvider};
use crate::error::Error;
use crate::login::PasswordLogin;
use crate::transport::Call;
use crate::Result;

/// Logs in to saltant with a username and password.
#[derive(Debug)]
pub(crate) struct JwtLogin(pub(crate) PasswordLogin);

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
    async fn post<T: DeserializeOwned>(
        &self,
        operation: &'static str,
        path: &'static str,
        body: serde_json::Value,
    ) -> Result<T> {
        self.0
            .send(Call::new(operation, path), Method::POST, None, Some(&body))
            .await?
            .token_json()
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
            let user = self.0.user()?;
            let body = serde_json::json!({
                "username": user.username,
                "password": user.password.expose_secret(),
            });
            let pair: TokenPair = self.post("login", "/token/", body).await?;
            token(pair.access, &pair.refresh)
        })
    }

    fn refresh<'a>(&'a self, current: &'a Token) -> BoxFuture<'a, Result<Token>> {
        Box::pin(async move {
            let Some(refresh) = current.refresh() else {
                return self.login().await;
            };
            let body = serde_json::json!({ "refresh": refresh.expose_secret() });
            let fresh: Access = self.post("refresh_token", "/token/refresh/", body).await?;
            token(fresh.access, refresh.expose_secret())
        })
    }

    fn can_login(&self) -> bool {
        self.0.can_login()
    }

    fn header(&self, token: &Token) -> Result<(HeaderName, HeaderValue)> {
        let value = secret_header(&format!("Bearer {}", token.access().expose_secret()))?;
        Ok((AUTHORIZATION, value))
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
}
