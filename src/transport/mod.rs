//! The one path every request takes to the wire: generated calls after progenitor has built
//! them, and logins, refreshes, logouts and OpenID Connect requests.
//!
//! In order: a `tracing` span for the operation; the body gets the media type the server
//! requires and is checked against the API's client-side rules; the API adjusts the request
//! (Watcher's version); credentials are attached; the request is sent, each attempt between
//! the user's hooks, and sent again after a passing failure ([`crate::retry`]); a refused
//! session token is renewed once and the request sent again; an answer with a declared
//! success status is read up to the body limit (in decoded bytes, when it came compressed);
//! any other answer is read and decoded into the crate's [`Error`](crate::Error). An error
//! raised before sending reaches the caller as it is.
//!
//! The modules, in the order a request meets them: `hooks` (what each API answers through
//! one trait), `pipeline` (span, rules, credentials, sending, renewal), `credentials`,
//! `policy` (timeout, retries, body limit, the user's hooks), `attempt` (one attempt between
//! the user's [`RequestHook`](crate::hook::RequestHook)s), `answer` (a generated call's
//! answer), `call` (a login's or another call no generated operation describes), `body`
//! (reading with a limit) and `bridge` (handing a read answer back to progenitor's decoding).
//!
//! The span is `opsclient.request`, with the OpenTelemetry HTTP names where they exist:
//! `api`, `operation`, `http.request.method`, `url.template` (the path template, never the
//! filled path), `url.query` (the query, with the value of every parameter whose name looks
//! secret redacted, by [`crate::secret::is_secret_name`]), `server.address`, `attempts`,
//! `http.response.status_code` and `duration_ms`. Nothing in it, nor in the retry events,
//! carries a credential.

mod answer;
mod attempt;
mod body;
mod bridge;
mod call;
mod credentials;
mod hooks;
mod pipeline;
mod policy;

use std::sync::{Arc, RwLock};

use crate::auth::Session;

pub use body::DEFAULT_MAX_BODY_SIZE;
pub(crate) use call::{Answer, Call};
pub(crate) use credentials::Credentials;
pub(crate) use hooks::ApiHooks;
pub(crate) use policy::Policy;

/// The state a generated client carries: the API's hooks, the current credentials and the
/// client's limits and retries.
///
/// Each API's client builder makes one; it is shared by clones of the client.
#[derive(Clone)]
pub struct Transport {
    hooks: Arc<dyn ApiHooks>,
    credentials: Arc<RwLock<Credentials>>,
    policy: Policy,
}

impl Transport {
    pub(crate) fn new(hooks: Arc<dyn ApiHooks>, credentials: Credentials, policy: Policy) -> Self {
        Transport {
            hooks,
            credentials: Arc::new(RwLock::new(credentials)),
            policy,
        }
    }

    /// The transport for this API's logins: the same hooks, retries and timeout, no
    /// credentials, and answers read up to the login limit.
    #[cfg_attr(not(any(feature = "sensu", feature = "saltant")), allow(dead_code))] // their logins
    pub(crate) fn for_login(&self) -> Transport {
        Transport::new(
            self.hooks.clone(),
            Credentials::None,
            self.policy.for_login(),
        )
    }

    pub(crate) fn credentials(&self) -> Credentials {
        match self.credentials.read() {
            Ok(guard) => guard.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Replaces the credentials (a login after the client was built).
    #[cfg_attr(not(feature = "sensu"), allow(dead_code))] // explicit session calls of the Sensu client
    pub(crate) fn set_credentials(&self, credentials: Credentials) {
        match self.credentials.write() {
            Ok(mut guard) => *guard = credentials,
            Err(poisoned) => *poisoned.into_inner() = credentials,
        }
    }

    /// The session's current token, without renewing it; `None` without a session.
    #[cfg_attr(not(any(feature = "sensu", feature = "saltant")), allow(dead_code))] // their clients' token()
    pub(crate) async fn current_token(&self) -> Option<crate::auth::Token> {
        match self.session() {
            Some(session) => session.current().await,
            None => None,
        }
    }

    /// The session, when the client authenticates with one.
    #[cfg_attr(not(feature = "sensu"), allow(dead_code))] // explicit session calls of the Sensu client
    pub(crate) fn session(&self) -> Option<Arc<Session>> {
        match self.credentials() {
            Credentials::Session(session) => Some(session),
            _ => None,
        }
    }
}

impl std::fmt::Debug for Transport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let credentials = match self.credentials() {
            Credentials::None => "none",
            Credentials::Header(..) => "fixed header",
            Credentials::Session(_) => "session",
            Credentials::Headers(_) => "fixed headers",
        };
        f.debug_struct("Transport")
            .field("credentials", &credentials)
            .field("hooks", &self.hooks)
            .field("request_hooks", &self.policy.hooks)
            .finish()
    }
}
