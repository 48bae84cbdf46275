//! An in-process server that behaves like a Sensu Go 6.x backend, for tests and demos.
//!
//! A crate beside the library: it uses only opsclient's public API (the generated Sensu types
//! and the operation table), so the library carries no server.
//!
//! It serves every operation of the Sensu document on `127.0.0.1` and follows the real server
//! (sensu-go `develop/6`, sensu/core v2.20.0) where a client can tell: status codes, empty or
//! full bodies, the three error body shapes with the server's messages, which headers come with
//! which answers, token rotation with single-use refresh tokens and the 6-minute session lease,
//! API keys, merge patch with ETags and preconditions, byte-ordered pagination with
//! `Sensu-Continue`, and the `Validate()` rules of every kind. Requests without a Content-Type
//! lose their body, as on the real server.
//!
//! List GETs honour `labelSelector` and `fieldSelector` in the grammar of sensu-go's selector
//! package: requirements joined by `&&` (there is no OR), with `==`, `!=`, `in` and `notin`
//! (a list `[a, "b c"]`, or `VALUE in LIST-FIELD` such as `linux in check.subscriptions`) and
//! `matches` (substring). Keys and unquoted values are letters, digits, `_` and `/` in
//! `.`-separated parts that do not start with a digit; anything else (`web-01`, `0`, spaces)
//! must be quoted, and `==` must be preceded by a space. Label selectors read
//! `metadata.labels` (an event's merge its entity's and check's); field selectors read the
//! fields Sensu defines per kind, e.g. `check.name`, `check.publish`, `entity.entity_class`,
//! `event.check.status`, `event.is_silenced`, `silenced.subscription`, and
//! `<kind>.labels.<key>`. Both selectors, and repeated ones, are ANDed; paging walks the
//! selected items. A selector that does not parse gets a 400 (code 1) on any GET, whose
//! message starts with the server's `failed to parse labelSelector` or `failed to parse
//! fieldSelector`. This is how the commercial 6.x build and Sensu 7.x behave; an OSS 6.x
//! backend ignores selectors.
//!
//! ```no_run
//! use opsclient_sandbox::Sandbox;
//!
//! # async fn run() -> opsclient::Result<()> {
//! let sandbox = Sandbox::builder().start().await?;
//! // Or build the client yourself and log in as `Sandbox::DEFAULT_USERNAME`.
//! let client = sandbox.client().await?;
//! # Ok(()) }
//! ```
//!
//! The server stops when the [`Sandbox`] is dropped. It is a test double, not a monitoring
//! system: nothing is scheduled and no agent connects. Where it differs from the real backend,
//! on purpose:
//! - Every user is a cluster administrator; RBAC is not enforced, so there is no 403.
//! - Events are stored at once, with the proxy entity, silencing, history, occurrences and state
//!   the event pipeline would add moments later; flapping is not computed. A metrics-only event
//!   gets a 500 where the real 6.x handler drops the connection.
//! - Silences have no maximum expiry (the server's own flag defaults refuse every `expire`), and
//!   silenced lists ignore `continue` where the server echoes it back.
//! - Selectors are honoured, as by a commercial or 7.x backend, not ignored as by an OSS 6.x
//!   one; a selector error names its cause after the server's message, and `check.pipelines`
//!   is not a field. Cron schedules, filter expressions and entity attribute expressions are
//!   not parsed; entity labels are not redacted.
//! - ETag values have the server's form but not its values; treat them as opaque.
//! - The cluster has one member; membership changes are recorded but nothing joins.

#![warn(missing_docs)]

mod apikeys;
mod auth;
mod call;
mod checks;
mod declared;
mod entities;
mod events;
mod fields;
mod namespaces;
mod replies;
mod resources;
mod selectors;
mod server;
mod sessions;
mod silenced;
mod store;
mod system;
mod users;
mod validate;

use std::collections::BTreeMap;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::oneshot;

use opsclient::error::ConfigError;
use opsclient::Result;

/// A running sandbox server; it stops when dropped.
#[derive(Debug)]
pub struct Sandbox {
    address: SocketAddr,
    state: Arc<server::Shared>,
    shutdown: Option<oneshot::Sender<()>>,
}

/// How often each operation was called, and how often it answered with its success status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Calls {
    /// Requests routed to the operation.
    pub total: u32,
    /// Of those, answers with a status the document declares as success.
    pub succeeded: u32,
}

/// One request the sandbox answered, as [`Sandbox::requests`] lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// The operation id it matched, e.g. `createOrUpdateCheck`.
    pub operation: &'static str,
    /// The HTTP method.
    pub method: &'static str,
    /// The path as sent, e.g. `/api/core/v2/namespaces/default/checks/cpu`.
    pub path: String,
    /// The status it was answered with.
    pub status: u16,
}

/// Settings for a [`Sandbox`]; get one from [`Sandbox::builder`].
#[derive(Debug, Clone)]
pub struct SandboxBuilder {
    port: u16,
    users: Vec<(String, String)>,
    access_token_lifetime: Duration,
    refresh_token_lifetime: Duration,
    session_lifetime: Duration,
    keeps_undeclared: bool,
}

impl Sandbox {
    /// The login of a fresh Sensu backend, as the Sensu docs give it.
    pub const DEFAULT_USERNAME: &'static str = "admin";
    /// The password of [`DEFAULT_USERNAME`](Self::DEFAULT_USERNAME).
    pub const DEFAULT_PASSWORD: &'static str = "P@ssw0rd!";

    /// A sandbox on an ephemeral port, with the default user and Sensu's defaults: access
    /// tokens live 5 minutes, refresh tokens 12 hours, and a login session 6 minutes after its
    /// last login or refresh.
    pub fn builder() -> SandboxBuilder {
        SandboxBuilder {
            port: 0,
            users: Vec::new(),
            access_token_lifetime: Duration::from_secs(5 * 60),
            refresh_token_lifetime: Duration::from_secs(12 * 3600),
            session_lifetime: Duration::from_secs(6 * 60),
            keeps_undeclared: false,
        }
    }

    /// The base URL, e.g. `http://127.0.0.1:40123`.
    pub fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// The address the server listens on.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// A client of this sandbox, logged in as the default user (a sandbox built with
    /// [`SandboxBuilder::user`] and no default user refuses this login).
    pub async fn client(&self) -> Result<opsclient::sensu::Client> {
        let client = opsclient::sensu::Client::builder()
            .url(self.url())
            .build()?;
        client
            .login(Sandbox::DEFAULT_USERNAME, Sandbox::DEFAULT_PASSWORD)
            .await?;
        Ok(client)
    }

    /// Calls per operation id so far, for every operation that was called.
    pub fn calls(&self) -> BTreeMap<&'static str, Calls> {
        self.state.calls()
    }

    /// The requests routed to an operation so far, oldest first: the latest 10,000. Requests
    /// to no operation (an unknown path) are not kept.
    pub fn requests(&self) -> Vec<Request> {
        self.state.history()
    }
}

impl SandboxBuilder {
    /// Listen on this port of 127.0.0.1 instead of an ephemeral one.
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// Adds a user who can log in. Without any, the sandbox has the default user
    /// ([`Sandbox::DEFAULT_USERNAME`] / [`Sandbox::DEFAULT_PASSWORD`]).
    pub fn user(mut self, username: impl Into<String>, password: impl Into<String>) -> Self {
        self.users.push((username.into(), password.into()));
        self
    }

    /// How long access tokens live. Sensu's unit is the second; shorter values round up.
    pub fn access_token_lifetime(mut self, lifetime: Duration) -> Self {
        self.access_token_lifetime = lifetime;
        self
    }

    /// How long refresh tokens live.
    pub fn refresh_token_lifetime(mut self, lifetime: Duration) -> Self {
        self.refresh_token_lifetime = lifetime;
        self
    }

    /// How long a login session lasts after its last login or refresh; a refresh after that is
    /// refused with 401 even if the refresh token has not expired. The real server fixes this
    /// at 6 minutes.
    pub fn session_lifetime(mut self, lifetime: Duration) -> Self {
        self.session_lifetime = lifetime;
        self
    }

    /// Keeps the properties of a body that the document does not declare, at any depth, as a
    /// backend newer than the document keeps the fields it added (sensu/core 2.21's
    /// `fallback_pipeline`, say). By default they are dropped, as by a 6.x backend whose types
    /// are the document's. Tests use it to show that a client writes back what it does not know.
    pub fn keep_undeclared_fields(mut self, keep: bool) -> Self {
        self.keeps_undeclared = keep;
        self
    }

    /// Starts the server on 127.0.0.1 in the current tokio runtime.
    pub async fn start(self) -> Result<Sandbox> {
        let mut users = self.users;
        if users.is_empty() {
            users.push((
                Sandbox::DEFAULT_USERNAME.into(),
                Sandbox::DEFAULT_PASSWORD.into(),
            ));
        }
        let lifetimes = auth::Lifetimes {
            access: self.access_token_lifetime.max(Duration::from_secs(1)),
            refresh: self.refresh_token_lifetime.max(Duration::from_secs(1)),
            session: self.session_lifetime,
        };
        let state = Arc::new(server::Shared::new(
            store::Store::new(&users),
            lifetimes,
            self.keeps_undeclared,
        ));
        let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, self.port))
            .await
            .map_err(|e| {
                ConfigError::Invalid(format!("sandbox cannot listen on port {}: {e}", self.port))
            })?;
        let address = listener
            .local_addr()
            .map_err(|e| ConfigError::Invalid(format!("sandbox has no address: {e}")))?;
        let (shutdown, stopped) = oneshot::channel::<()>();
        let app = server::router(state.clone());
        tokio::spawn(async move {
            let serve = axum::serve(listener, app).with_graceful_shutdown(async {
                let _ = stopped.await;
            });
            if let Err(e) = serve.await {
                tracing::warn!(error = %e, "sandbox server stopped");
            }
        });
        tracing::info!(%address, "sandbox listening");
        Ok(Sandbox {
            address,
            state,
            shutdown: Some(shutdown),
        })
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
    }
}
