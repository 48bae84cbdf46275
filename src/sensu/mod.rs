//! A typed client for the Sensu Go 6.x API, generated from `openapi/sensu.yaml`.
//!
//! Every operation of the document is a method on [`Client`] that returns a builder; set its
//! parameters and `send()` it. `?` turns its error into [`crate::Error`].
//!
//! ```no_run
//! use opsclient::sensu::{types, Client};
//!
//! # async fn run() -> opsclient::Result<()> {
//! let client = Client::builder().host("localhost").build()?;
//! client.login("admin", "P@ssw0rd!").await?;
//!
//! client
//!     .create_namespace()
//!     .body(types::Namespace::builder().name("sybil"))
//!     .send()
//!     .await?;
//! for namespace in client.list_namespaces().send().await?.into_inner() {
//!     println!("{}", namespace.name);
//! }
//! # Ok(()) }
//! ```
//!
//! Sessions refresh themselves: before each call the access token is renewed when it expires
//! within the refresh threshold (60 s unless set), with one refresh in flight at a time, and a
//! 401 is answered by one renewal and one retry.

mod auth;
mod constructors;
mod errors;
mod events;
pub mod files;
pub(crate) mod paging;
mod resources;
mod validate;

#[allow(missing_docs, unused_imports, clippy::all, clippy::pedantic)]
mod generated {
    // progenitor's output: documented from the OpenAPI descriptions; setters carry none.
    include!(concat!(env!("OUT_DIR"), "/sensu.rs"));
}

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use secrecy::SecretString;

pub use generated::{builder, types, Client};
pub use paging::CONTINUE_HEADER;
pub use progenitor_client::{ByteStream, ClientInfo, ResponseValue};
pub use resources::{Namespaced, NamespacedResource};

use crate::auth::{Session, Token};
use crate::config::{ApiEnv, ClientBuilder};
use crate::env::Vars;
use crate::error::ConfigError;
use crate::login::{Login, PasswordLogin, TokenApi, UserPassword};
use crate::transport::{ApiHooks, Credentials, Transport};
use crate::Result;

/// Sensu's usual API port.
pub const DEFAULT_PORT: u16 = 8080;
/// sensuctl's default request timeout.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(15);
/// How long before expiry an access token is refreshed, unless set.
pub const DEFAULT_REFRESH_THRESHOLD: Duration = Duration::from_secs(60);
/// The namespace used unless one is set.
pub const DEFAULT_NAMESPACE: &str = "default";

/// What the transport needs to know about Sensu: its error bodies and its client-side rules.
#[derive(Debug)]
struct SensuHooks;

impl ApiHooks for SensuHooks {
    fn name(&self) -> &'static str {
        "sensu"
    }

    fn decode_error(&self, status: reqwest::StatusCode, body: &[u8]) -> crate::error::ApiError {
        errors::decode_error(status, body)
    }

    fn check_body(&self, op: &crate::operation::Operation, body: &[u8]) -> Result<()> {
        validate::validate(op, body)
    }
}

/// Every operation of the Sensu document, sorted by operation id.
pub fn operations() -> &'static [crate::operation::Operation] {
    generated::OPERATIONS
}

/// What a Sensu [`Client`] carries beside its HTTP client: credentials and defaults.
#[derive(Clone, Debug)]
pub struct Context {
    transport: Transport,
    namespace: String,
    refresh_threshold: Duration,
}

impl AsRef<Transport> for Context {
    fn as_ref(&self) -> &Transport {
        &self.transport
    }
}

/// Sensu-specific builder settings; see [`ClientBuilder`].
#[derive(Debug, Clone)]
pub struct Settings {
    namespace: String,
    credentials: Login,
    refresh_threshold: Duration,
    resumed: Option<Token>,
}

/// Builds a Sensu [`Client`]; get one from [`Client::builder`].
pub type SensuClientBuilder = ClientBuilder<Settings>;

impl Client {
    /// A builder with Sensu's defaults: port 8080, plain HTTP, 15 s timeout, namespace
    /// `default`, no credentials.
    pub fn builder() -> SensuClientBuilder {
        ClientBuilder::with_defaults(
            Settings {
                namespace: DEFAULT_NAMESPACE.into(),
                credentials: Login::None,
                refresh_threshold: DEFAULT_REFRESH_THRESHOLD,
                resumed: None,
            },
            DEFAULT_PORT,
            DEFAULT_TIMEOUT,
        )
    }

    /// A client configured from sensuctl's environment variables; see
    /// [`SensuClientBuilder::env`].
    pub fn from_env() -> Result<Client> {
        Client::builder().env()?.build()
    }

    /// The namespace this client was configured with.
    pub fn namespace(&self) -> &str {
        &self.inner.namespace
    }

    /// Logs in with a username and password (`GET /auth`), and keeps the session fresh from
    /// then on. On failure the client keeps its previous credentials.
    pub async fn login(&self, username: &str, password: &str) -> Result<()> {
        let provider = auth::SensuLogin(self.password_login(username, password));
        let session = Arc::new(Session::new(
            Arc::new(provider),
            self.inner.refresh_threshold,
        ));
        session.login().await?;
        self.inner
            .transport
            .set_credentials(Credentials::Session(session));
        Ok(())
    }

    /// Refreshes the access token now (`POST /auth/token`), storing the rotated refresh token.
    pub async fn refresh_token(&self) -> Result<()> {
        self.session()?.refresh().await.map(drop)
    }

    /// Ends the session on the server (`POST /auth/logout`) and forgets its tokens. Calls made
    /// after it fail with [`Error::LoggedOut`](crate::Error::LoggedOut), before anything is
    /// sent, until the next [`login`](Self::login).
    pub async fn logout(&self) -> Result<()> {
        // The ended session stays in place: it answers every call with `LoggedOut`, where no
        // credentials at all would send the call and meet a 401.
        self.session()?.logout().await
    }

    /// The session's current token, without renewing it; `None` before login, with an API key,
    /// or once the server has ended a session that cannot log in again. Kept after calls, it
    /// resumes the session in another client or process
    /// ([`SensuClientBuilder::resume`]). The secrets in it are only reachable through
    /// [`ExposeSecret`](secrecy::ExposeSecret).
    pub async fn token(&self) -> Option<Token> {
        self.inner.transport.current_token().await
    }

    /// When the current access token expires.
    pub async fn expires_at(&self) -> Option<SystemTime> {
        self.token().await.and_then(|t| t.expires_at())
    }

    /// Asks the server whether a username and password are valid (`GET /auth/test`), without
    /// logging in. Sensu checks its built-in users only, not LDAP, AD or OIDC ones.
    pub async fn test_credentials(&self, username: &str, password: &str) -> Result<bool> {
        auth::test_credentials(&self.password_login(username, password)).await
    }

    /// A login of this user to this client's server, through this client's pipeline.
    fn password_login(&self, username: &str, password: &str) -> PasswordLogin {
        PasswordLogin::new(
            self.client.clone(),
            &self.inner.transport,
            self.baseurl.clone(),
            Some(UserPassword {
                username: username.to_string(),
                password: SecretString::from(password.to_string()),
            }),
        )
    }

    fn session(&self) -> Result<Arc<Session>> {
        self.inner.transport.session().ok_or_else(|| {
            ConfigError::Invalid("the client has no session; call login() first".into()).into()
        })
    }
}

impl SensuClientBuilder {
    /// Authenticate with an API key (`Authorization: Key …`). Keys never expire and are never
    /// refreshed.
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.settings.credentials = Login::Key(SecretString::from(key.into()));
        self
    }

    /// Log in with a username and password on first use, and keep the session fresh.
    pub fn credentials(mut self, username: impl Into<String>, password: impl Into<String>) -> Self {
        self.settings.credentials = Login::Password {
            username: username.into(),
            password: SecretString::from(password.into()),
        };
        self
    }

    /// Starts from the tokens of an earlier session (read with [`Client::token`] and kept by
    /// the caller, e.g. in a file only its user can read) instead of logging in. The session
    /// uses the access token while it is fresh, refreshes it as any session does, and, when
    /// the server refuses the refresh, logs in again with [`credentials`](Self::credentials)
    /// if they are given; without them the session has ended, and calls fail with
    /// [`Error::LoggedOut`](crate::Error::LoggedOut) after the refusal. Read the tokens back
    /// with [`Client::token`] after calls, to keep the rotated refresh token: Sensu accepts
    /// each refresh token once.
    ///
    /// The tokens only work with the server that issued them. An API key as well is a
    /// [`ConfigError`] at [`build`](Self::build).
    ///
    /// ```
    /// use std::time::{Duration, SystemTime};
    /// use opsclient::auth::Token;
    ///
    /// let saved = Token::new("access-token")
    ///     .with_refresh("refresh-token")
    ///     .expiring_at(SystemTime::now() + Duration::from_secs(240));
    /// let client = opsclient::sensu::Client::builder()
    ///     .url("http://127.0.0.1:8080")
    ///     .resume(saved)
    ///     .build()?;
    /// # Ok::<(), opsclient::Error>(())
    /// ```
    pub fn resume(mut self, token: Token) -> Self {
        self.settings.resumed = Some(token);
        self
    }

    /// The namespace the client works in unless told otherwise. Defaults to `default`.
    pub fn namespace(mut self, namespace: impl Into<String>) -> Self {
        self.settings.namespace = namespace.into();
        self
    }

    /// How long before expiry the access token is refreshed. Defaults to 60 s.
    pub fn refresh_threshold(mut self, threshold: Duration) -> Self {
        self.settings.refresh_threshold = threshold;
        self
    }

    /// Applies sensuctl's environment variables on top of this builder:
    ///
    /// | variable | setting |
    /// |---|---|
    /// | `SENSU_API_URL` | URL; required unless a URL or host is already set |
    /// | `SENSU_API_KEY` | API key (wins over a username) |
    /// | `SENSU_USERNAME`, `SENSU_PASSWORD` | login; each needs the other |
    /// | `SENSU_NAMESPACE` | namespace |
    /// | `SENSU_TRUSTED_CA_FILE` | CA bundle (the file must exist) |
    /// | `SENSU_INSECURE_SKIP_TLS_VERIFY` | `ignore_cert` (`true`/`false`) |
    /// | `SENSU_TIMEOUT` | timeout, as `15s`, `1m30s` or seconds |
    ///
    /// A missing or invalid variable is a [`ConfigError`] that names it.
    pub fn env(self) -> Result<Self> {
        self.read_env(&crate::env::process)
    }

    /// Like [`env`](Self::env), reading variables through `lookup` (for tests and for
    /// configuration stores).
    pub fn env_from(self, lookup: impl Fn(&str) -> Option<String>) -> Result<Self> {
        self.read_env(&crate::env::infallible(lookup))
    }

    /// Builds the client. Nothing is sent until the first call.
    pub fn build(self) -> Result<Client> {
        let parts = self.parts()?;
        let Settings {
            namespace,
            credentials,
            refresh_threshold,
            resumed,
        } = self.settings;
        let api = TokenApi {
            hooks: Arc::new(SensuHooks),
            key_scheme: "Key",
            provider: auth::SensuLogin,
            refresh_threshold,
        };
        let context = Context {
            transport: api.transport(&parts, credentials, resumed)?,
            namespace,
            refresh_threshold,
        };
        Ok(Client::new_with_client(
            &parts.base_url,
            parts.http,
            context,
        ))
    }
}

impl ApiEnv for Settings {
    const URL_VARIABLE: &'static str = "SENSU_API_URL";

    fn apply(mut builder: SensuClientBuilder, vars: &Vars<'_>) -> Result<SensuClientBuilder> {
        let username = vars.get("SENSU_USERNAME")?;
        let password = vars.get("SENSU_PASSWORD")?;
        if let Some(key) = vars.get("SENSU_API_KEY")? {
            builder = builder.api_key(key);
        } else if username.is_some() || password.is_some() {
            let username = vars.require("SENSU_USERNAME")?;
            let password = vars.require("SENSU_PASSWORD")?;
            builder = builder.credentials(username, password);
        }
        if let Some(namespace) = vars.get("SENSU_NAMESPACE")? {
            builder = builder.namespace(namespace);
        }
        if let Some(path) = vars.file("SENSU_TRUSTED_CA_FILE")? {
            builder = builder.ca_file(path);
        }
        if let Some(skip) = vars.flag("SENSU_INSECURE_SKIP_TLS_VERIFY")? {
            builder = builder.ignore_cert(skip);
        }
        if let Some(timeout) = vars.duration("SENSU_TIMEOUT")? {
            builder = builder.timeout(timeout);
        }
        Ok(builder)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sensus_hooks_check_bodies_and_leave_token_refusals_to_401() {
        let hooks = SensuHooks;
        assert_eq!(hooks.name(), "sensu");
        assert_eq!(hooks.token_refusal_status(), None);
        let create_check = operations()
            .iter()
            .find(|op| op.method_name == "create_check")
            .unwrap();
        let check = |subscriptions: &str| {
            format!(
                r#"{{"command":"true","interval":60,"subscriptions":{subscriptions},
                "metadata":{{"name":"cpu","namespace":"default"}}}}"#
            )
        };
        assert!(hooks
            .check_body(create_check, check(r#"["linux"]"#).as_bytes())
            .is_ok());
        assert!(matches!(
            hooks.check_body(create_check, check("[]").as_bytes()),
            Err(crate::Error::InvalidInput(_))
        ));
    }
}
