//! A typed client for the saltant API, generated from `openapi/saltant.yaml`.
//!
//! The equivalent of saltant-py's `Client(base_api_url, auth_token)`, with JWT logins beside
//! permanent tokens:
//!
//! ```no_run
//! use opsclient::saltant::Client;
//!
//! # async fn run() -> opsclient::Result<()> {
//! // `Authorization: Token …`; checks the token with one request, as saltant-py does.
//! let client = Client::with_auth_token("https://saltant.example.com/api/", "0123abcd").await?;
//! for queue in client.list_task_queues().send().await?.into_inner().results {
//!     println!("{} {}", queue.id, queue.name.as_str());
//! }
//!
//! // A JWT login, refreshed before the access token expires.
//! let client = Client::builder()
//!     .url("https://saltant.example.com/api/")
//!     .jwt("alice", "secret")
//!     .connect()
//!     .await?;
//! # Ok(()) }
//! ```

mod auth;
mod errors;
mod managers;
pub(crate) mod paging;

#[allow(missing_docs, unused_imports, clippy::all, clippy::pedantic)]
mod generated {
    // progenitor's output: documented from the OpenAPI descriptions; setters carry none.
    include!(concat!(env!("OUT_DIR"), "/saltant.rs"));
}

use std::sync::Arc;
use std::time::Duration;

use secrecy::SecretString;

pub use generated::{builder, types, Client};
pub use managers::FINISHED_STATES;
pub use progenitor_client::{ClientInfo, ResponseValue};

use crate::config::{ApiEnv, ClientBuilder};
use crate::env::Vars;
use crate::error::Error;
use crate::login::{Login, TokenApi};
use crate::transport::{ApiHooks, Transport};
use crate::Result;

/// saltant-py's default request timeout.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(90);
/// How long before expiry a JWT access token is refreshed, unless set.
pub const DEFAULT_REFRESH_THRESHOLD: Duration = Duration::from_secs(30);

/// What the transport needs to know about saltant: its error bodies, and that it refuses an
/// expired JWT with 403 `token_not_valid`.
#[derive(Debug)]
struct SaltantHooks;

impl ApiHooks for SaltantHooks {
    fn name(&self) -> &'static str {
        "saltant"
    }

    fn decode_error(&self, status: reqwest::StatusCode, body: &[u8]) -> crate::error::ApiError {
        errors::decode_error(status, body)
    }

    fn token_refusal_status(&self) -> Option<reqwest::StatusCode> {
        Some(reqwest::StatusCode::FORBIDDEN)
    }

    fn refuses_token(&self, body: &[u8]) -> bool {
        errors::token_not_valid(body)
    }
}

/// Every operation of the saltant document, sorted by generated method name.
pub fn operations() -> &'static [crate::operation::Operation] {
    generated::OPERATIONS
}

/// What a saltant [`Client`] carries beside its HTTP client.
#[derive(Clone, Debug)]
pub struct Context {
    transport: Transport,
}

impl AsRef<Transport> for Context {
    fn as_ref(&self) -> &Transport {
        &self.transport
    }
}

/// saltant-specific builder settings; see [`ClientBuilder`].
#[derive(Debug, Clone)]
pub struct Settings {
    login: Login,
    test_if_authenticated: bool,
    refresh_threshold: Duration,
}

/// Builds a saltant [`Client`]; get one from [`Client::builder`].
pub type SaltantClientBuilder = ClientBuilder<Settings>;

impl Client {
    /// A builder with saltant-py's defaults: 90 s timeout, the authentication probe on, no
    /// credentials. Set the API root with `.url("https://host/api/")`.
    pub fn builder() -> SaltantClientBuilder {
        ClientBuilder::with_defaults(
            Settings {
                login: Login::None,
                test_if_authenticated: true,
                refresh_threshold: DEFAULT_REFRESH_THRESHOLD,
            },
            443,
            DEFAULT_TIMEOUT,
        )
    }

    /// saltant-py's `Client(base_api_url, auth_token)`: a permanent token, checked with one
    /// request before the client is returned.
    pub async fn with_auth_token(base_api_url: &str, auth_token: &str) -> Result<Client> {
        Client::builder()
            .url(base_api_url)
            .auth_token(auth_token)
            .connect()
            .await
    }

    /// saltant-py's `Client.from_env()`: `SALTANT_API_URL` and `SALTANT_AUTH_TOKEN`, checked
    /// with one request. A missing variable is an error that names it.
    pub async fn from_env() -> Result<Client> {
        Client::builder().env()?.connect().await
    }

    /// Checks that the credentials are accepted, with one small request (`GET users/`).
    /// Refused credentials are [`Error::Unauthorized`], whether the server says 401 or, as
    /// saltant does, 403.
    pub async fn test_authentication(&self) -> Result<()> {
        match self.list_users().page_size(1u64).send().await {
            Ok(_) => Ok(()),
            Err(e) => Err(match e {
                Error::Forbidden(e) | Error::Unauthorized(e) => Error::Unauthorized(e),
                other => other,
            }),
        }
    }
}

impl Client {
    /// The JWT session's current token, without renewing it; `None` with a permanent token.
    /// The secrets in it are only reachable through [`ExposeSecret`](secrecy::ExposeSecret).
    pub async fn token(&self) -> Option<crate::auth::Token> {
        self.inner.transport.current_token().await
    }
}

impl SaltantClientBuilder {
    /// Authenticate with a permanent DRF token (`Authorization: Token …`), saltant-py's
    /// `auth_token`.
    pub fn auth_token(mut self, token: impl Into<String>) -> Self {
        self.settings.login = Login::Key(SecretString::from(token.into()));
        self
    }

    /// Log in with a username and password through `token/` (JWT, `Authorization: Bearer …`);
    /// the access token is refreshed through `token/refresh/`, one refresh at a time.
    pub fn jwt(mut self, username: impl Into<String>, password: impl Into<String>) -> Self {
        self.settings.login = Login::Password {
            username: username.into(),
            password: SecretString::from(password.into()),
        };
        self
    }

    /// Whether [`connect`](Self::connect) checks the credentials first (on by default, as
    /// saltant-py's `test_if_authenticated`).
    pub fn test_if_authenticated(mut self, test: bool) -> Self {
        self.settings.test_if_authenticated = test;
        self
    }

    /// How long before expiry a JWT access token is refreshed. Defaults to 30 s.
    pub fn refresh_threshold(mut self, threshold: Duration) -> Self {
        self.settings.refresh_threshold = threshold;
        self
    }

    /// Applies saltant-py's environment variables on top of this builder: `SALTANT_API_URL`
    /// (required unless a URL is already set) and `SALTANT_AUTH_TOKEN` (required unless
    /// credentials are already set). A missing variable is a [`crate::error::ConfigError`] that
    /// names it.
    pub fn env(self) -> Result<Self> {
        self.read_env(&crate::env::process)
    }

    /// Like [`env`](Self::env), reading variables through `lookup`.
    pub fn env_from(self, lookup: impl Fn(&str) -> Option<String>) -> Result<Self> {
        self.read_env(&crate::env::infallible(lookup))
    }

    /// Builds the client and, unless turned off, checks its credentials
    /// ([`Client::test_authentication`]); a JWT login happens then too.
    pub async fn connect(self) -> Result<Client> {
        let probe = self.settings.test_if_authenticated;
        let client = self.build()?;
        if probe {
            client.test_authentication().await?;
        }
        Ok(client)
    }

    /// Builds the client without sending anything.
    pub fn build(self) -> Result<Client> {
        let parts = self.parts()?;
        let api = TokenApi {
            hooks: Arc::new(SaltantHooks),
            key_scheme: "Token",
            provider: auth::JwtLogin,
            refresh_threshold: self.settings.refresh_threshold,
        };
        let context = Context {
            transport: api.transport(&parts, self.settings.login, None)?,
        };
        Ok(Client::new_with_client(
            &parts.base_url,
            parts.http,
            context,
        ))
    }
}

impl ApiEnv for Settings {
    const URL_VARIABLE: &'static str = "SALTANT_API_URL";

    fn apply(builder: SaltantClientBuilder, vars: &Vars<'_>) -> Result<SaltantClientBuilder> {
        match vars.get("SALTANT_AUTH_TOKEN")? {
            Some(token) => Ok(builder.auth_token(token)),
            None if !matches!(builder.settings.login, Login::None) => Ok(builder),
            None => Err(vars.require("SALTANT_AUTH_TOKEN").unwrap_err().into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saltants_hooks_take_a_403_token_not_valid_for_a_refused_token() {
        let hooks = SaltantHooks;
        assert_eq!(hooks.name(), "saltant");
        assert_eq!(
            hooks.token_refusal_status(),
            Some(reqwest::StatusCode::FORBIDDEN)
        );
        assert!(hooks.refuses_token(
            br#"{"detail":"Given token not valid for any token type","code":"token_not_valid"}"#
        ));
        assert!(!hooks
            .refuses_token(br#"{"detail":"You do not have permission to perform this action."}"#));
        assert!(!hooks.refuses_token(b"<html>"));
    }
}
