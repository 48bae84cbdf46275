//! Sensu's login protocol, as a [`TokenProvider`].
//!
//! `GET /auth` with Basic credentials returns an access token, its expiry (Unix seconds) and a
//! refresh token. `POST /auth/token` takes the access token (expired is fine) as a Bearer
//! together with `{"refresh_token": …}` and returns a new pair; the old refresh token is dead
//! from then on, and reusing it ends the session on the server.
//!
//! These calls go straight through the HTTP client rather than the generated methods, because
//! the generated methods ask the session for a token, and the session is what is being renewed.
//! They share the client's retries and timeout; their answers are small, and read up to
//! the login limit (1 MiB).
//! A refresh is a POST with a single-use token, so only a failure to connect is retried.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use futures::future::BoxFuture;
use reqwest::header::{HeaderName, HeaderValue, AUTHORIZATION};
use reqwest::{Method, StatusCode};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

use super::errors::decode_error;
use crate::auth::{basic_header, secret_header, token_body_error, Token, TokenProvider};
use crate::error::Error;
use crate::transport::{read_error_body, read_small, Policy};
use crate::Result;

/// Logs in to Sensu with a username and password.
pub(crate) struct SensuLogin {
    http: reqwest::Client,
    policy: Policy,
    base_url: String,
    username: String,
    password: SecretString,
}

/// The body of `/auth` and `/auth/token` answers. Not `Debug`: it holds secrets.
#[derive(Deserialize)]
struct TokenBody {
    access_token: String,
    expires_at: i64,
    refresh_token: String,
}

impl SensuLogin {
    pub(crate) fn new(
        http: reqwest::Client,
        policy: Policy,
        base_url: String,
        username: String,
        password: SecretString,
    ) -> Self {
        SensuLogin {
            http,
            policy,
            base_url,
            username,
            password,
        }
    }

    async fn send(
        &self,
        method: Method,
        path: &str,
        authorization: HeaderValue,
        refresh: Option<&Token>,
    ) -> Result<reqwest::Response> {
        let mut request = self
            .http
            .request(method, format!("{}{path}", self.base_url))
            .header(AUTHORIZATION, authorization);
        if let Some(token) = refresh {
            let refresh_token = token
                .refresh()
                .map(|r| r.expose_secret())
                .unwrap_or_default();
            request = request.json(&serde_json::json!({ "refresh_token": refresh_token }));
        }
        let request = request.build().map_err(Error::from_reqwest)?;
        let idempotent = crate::retry::is_idempotent(request.method());
        self.policy
            .send(
                &self.http,
                request,
                idempotent,
                |status| status == StatusCode::OK,
                |status, body| Error::from_api(decode_error(status, body)),
            )
            .await
    }

    async fn fetch_token(&self, response: reqwest::Response) -> Result<Token> {
        let status = response.status();
        let body = read_small(response).await?;
        let tokens: TokenBody =
            serde_json::from_slice(&body).map_err(|e| token_body_error(status, &e))?;
        if tokens.access_token.is_empty() {
            return Err(Error::malformed(Some(status), "empty access_token", b""));
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
            let basic = basic_header(&self.username, &self.password)?;
            let response = self.send(Method::GET, "/auth", basic, None).await?;
            self.fetch_token(response).await
        })
    }

    fn refresh<'a>(&'a self, current: &'a Token) -> BoxFuture<'a, Result<Token>> {
        Box::pin(async move {
            let bearer = Self::bearer(current)?;
            let response = self
                .send(Method::POST, "/auth/token", bearer, Some(current))
                .await?;
            self.fetch_token(response).await
        })
    }

    fn can_login(&self) -> bool {
        true
    }

    fn header(&self, token: &Token) -> Result<(HeaderName, HeaderValue)> {
        Ok((AUTHORIZATION, Self::bearer(token)?))
    }

    fn basic(&self) -> Option<HeaderValue> {
        basic_header(&self.username, &self.password).ok()
    }

    fn logout<'a>(&'a self, token: &'a Token) -> BoxFuture<'a, Result<()>> {
        Box::pin(async move {
            let bearer = Self::bearer(token)?;
            self.send(Method::POST, "/auth/logout", bearer, Some(token))
                .await
                .map(drop)
        })
    }
}

/// Asks `GET /auth/test` whether a username and password are valid.
pub(crate) async fn test_credentials(
    http: &reqwest::Client,
    base_url: &str,
    username: &str,
    password: &SecretString,
) -> Result<bool> {
    let response = http
        .get(format!("{base_url}/auth/test"))
        .header(AUTHORIZATION, basic_header(username, password)?)
        .send()
        .await
        .map_err(Error::from_reqwest)?;
    match response.status() {
        StatusCode::OK => Ok(true),
        StatusCode::UNAUTHORIZED => Ok(false),
        status => {
            let body = read_error_body(response).await?;
            Err(Error::from_api(decode_error(status, &body)))
        }
    }
}

impl std::fmt::Debug for SensuLogin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SensuLogin")
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
    fn debug_shows_the_user_and_server_and_never_the_password() {
        let login = SensuLogin::new(
            reqwest::Client::new(),
            Policy::new(None, 1024, crate::RetryPolicy::default()),
            "https://sensu.example.com:8080".into(),
            "operator".into(),
            SecretString::from("P@ssw0rd!".to_string()),
        );
        let shown = format!("{login:?}");
        assert!(!shown.contains("P@ssw0rd!"), "{shown}");
        for part in [
            "SensuLogin",
            "https://sensu.example.com:8080",
            "operator",
            "[redacted]",
        ] {
            assert!(shown.contains(part), "{part} missing from {shown}");
        }
    }
}
