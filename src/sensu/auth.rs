//! Sensu's login protocol, as a [`TokenProvider`].
//!
//! `GET /auth` with Basic credentials returns an access token, its expiry (Unix seconds) and a
//! refresh token. `POST /auth/token` takes the access token (expired is fine) as a Bearer
//! together with `{"refresh_token": …}` and returns a new pair; the old refresh token is dead
//! from then on, and reusing it ends the session on the server.
//!
//! These calls are [`PasswordLogin`] requests: the client's pipeline, with no session, and
//! answers read up to the login limit (1 MiB). A refresh is a POST with a single-use token, so
//! only a failure to connect is retried.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use futures::future::BoxFuture;
use reqwest::header::{HeaderName, HeaderValue, AUTHORIZATION};
use reqwest::{Method, StatusCode};
use secrecy::ExposeSecret;
use serde::Deserialize;

use crate::auth::{basic_header, secret_header, Token, TokenProvider};
use crate::error::Error;
use crate::login::PasswordLogin;
use crate::transport::{Answer, Call};
use crate::Result;

/// Logs in to Sensu with a username and password.
#[derive(Debug)]
pub(crate) struct SensuLogin(pub(crate) PasswordLogin);

/// The body of `/auth` and `/auth/token` answers. Not `Debug`: it holds secrets.
#[derive(Deserialize)]
struct TokenBody {
    access_token: String,
    expires_at: i64,
    refresh_token: String,
}

impl SensuLogin {
    /// Sends `method path` with `authorization`, and with the refresh token of `refresh` in
    /// the body when given.
    async fn send(
        &self,
        operation: &'static str,
        method: Method,
        path: &'static str,
        authorization: HeaderValue,
        refresh: Option<&Token>,
    ) -> Result<Answer> {
        let body = refresh.map(|token| {
            let refresh_token = token
                .refresh()
                .map(|r| r.expose_secret())
                .unwrap_or_default();
            serde_json::json!({ "refresh_token": refresh_token })
        });
        self.0
            .send(
                Call::new(operation, path),
                method,
                Some(authorization),
                body.as_ref(),
            )
            .await
    }

    fn token(answer: &Answer) -> Result<Token> {
        let tokens: TokenBody = answer.token_json()?;
        if tokens.access_token.is_empty() {
            return Err(Error::malformed(
                Some(answer.status),
                "empty access_token",
                b"",
            ));
        }
        Ok(Token::new(tokens.access_token)
            .with_refresh(tokens.refresh_token)
            .expiring_at(unix_time(tokens.expires_at)))
    }

    fn bearer(token: &Token) -> Result<HeaderValue> {
        secret_header(&format!("Bearer {}", token.access().expose_secret()))
    }
}

/// A Unix time in seconds; anything before the epoch counts as already expired.
fn unix_time(seconds: i64) -> SystemTime {
    let seconds = u64::try_from(seconds).unwrap_or(0);
    UNIX_EPOCH
        .checked_add(Duration::from_secs(seconds))
        .unwrap_or(UNIX_EPOCH)
}

impl TokenProvider for SensuLogin {
    fn login(&self) -> BoxFuture<'_, Result<Token>> {
        Box::pin(async move {
            let user = self.0.user()?;
            let basic = basic_header(&user.username, &user.password)?;
            let answer = self
                .send("login", Method::GET, "/auth", basic, None)
                .await?;
            Self::token(&answer)
        })
    }

    fn refresh<'a>(&'a self, current: &'a Token) -> BoxFuture<'a, Result<Token>> {
        Box::pin(async move {
            let bearer = Self::bearer(current)?;
            let answer = self
                .send(
                    "refresh_token",
                    Method::POST,
                    "/auth/token",
                    bearer,
                    Some(current),
                )
                .await?;
            Self::token(&answer)
        })
    }

    fn can_login(&self) -> bool {
        self.0.can_login()
    }

    fn header(&self, token: &Token) -> Result<(HeaderName, HeaderValue)> {
        Ok((AUTHORIZATION, Self::bearer(token)?))
    }

    fn basic(&self) -> Option<HeaderValue> {
        let user = self.0.user().ok()?;
        basic_header(&user.username, &user.password).ok()
    }

    fn logout<'a>(&'a self, token: &'a Token) -> BoxFuture<'a, Result<()>> {
        Box::pin(async move {
            let bearer = Self::bearer(token)?;
            self.send("logout", Method::POST, "/auth/logout", bearer, Some(token))
                .await
                .map(drop)
        })
    }
}

/// Asks `GET /auth/test` whether the login's username and password are valid.
pub(crate) async fn test_credentials(login: &PasswordLogin) -> Result<bool> {
    let call = Call {
        accepted: |status| status == StatusCode::OK || status == StatusCode::UNAUTHORIZED,
        ..Call::new("test_credentials", "/auth/test")
    };
    let user = login.user()?;
    let basic = basic_header(&user.username, &user.password)?;
    let answer = login.send(call, Method::GET, Some(basic), None).await?;
    Ok(answer.status == StatusCode::OK)
}
