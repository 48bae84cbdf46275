//! Your own behaviour on every request: a [`RequestHook`] set on a client's builder with
//! [`ClientBuilder::hook`](crate::ClientBuilder::hook).
//!
//! A hook sits on the pipeline every request takes (generated calls, logins, token renewals,
//! Keystone and OpenID Connect requests, version discovery), at the point where one attempt is
//! sent. It sees each attempt before it goes out, and may add, change or remove headers; and it
//! sees each attempt's outcome, an answer's status or a failure, with the operation's name, the
//! attempt's number and how long the attempt took. Retries and the one more send after a
//! renewed token are attempts too, each numbered.
//!
//! A hook never sees a credential: the request is shown through [`HookRequest`], which has no
//! header map, answers `None` for credential headers (`Authorization`, `X-Auth-Token`,
//! `X-Subject-Token`, cookies, and any header marked sensitive) and refuses to set or remove
//! them. Bodies are not shown, as a login's body holds a password. A builder's hooks are kept
//! by its clones, by the clients built from it, and by their clones.
//!
//! ```
//! # #[cfg(feature = "sensu")] {
//! use std::collections::BTreeMap;
//! use std::sync::{Arc, Mutex};
//! use opsclient::hook::{HookAnswer, HookRequest, RequestHook};
//! use reqwest::header::{HeaderName, HeaderValue};
//!
//! /// Attempts per operation, and a trace header on each.
//! #[derive(Default)]
//! struct Metrics(Mutex<BTreeMap<&'static str, u32>>);
//!
//! impl RequestHook for Metrics {
//!     fn before_attempt(&self, request: &mut HookRequest<'_>) {
//!         let trace = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
//!         let trace = HeaderValue::from_static(trace);
//!         request.set_header(HeaderName::from_static("traceparent"), trace).unwrap();
//!     }
//!
//!     fn after_attempt(&self, answer: &HookAnswer<'_>) {
//!         *self.0.lock().unwrap().entry(answer.attempt().operation()).or_default() += 1;
//!     }
//! }
//!
//! let metrics = Arc::new(Metrics::default());
//! let client = opsclient::sensu::Client::builder()
//!     .url("http://127.0.0.1:8080")
//!     .hook(metrics.clone())
//!     .build()?;
//! # }
//! # Ok::<(), opsclient::Error>(())
//! ```

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderName, HeaderValue};
use reqwest::{Method, Request, Response, StatusCode};

/// Behaviour of your own on every attempt of every request a client sends. Both methods do
/// nothing unless implemented. They run on the task that makes the call, so they should be
/// quick: record, count, add a header.
pub trait RequestHook: Send + Sync + 'static {
    /// Called before each attempt is sent, after the API's own headers and the credentials are
    /// in place (which the hook cannot see). Headers set here are sent with this attempt only;
    /// a retry is shown to the hook again.
    fn before_attempt(&self, request: &mut HookRequest<'_>) {
        let _ = request;
    }

    /// Called after each attempt, with its answer's status or its failure. An answer is seen
    /// as soon as its head arrives, before its body is read.
    fn after_attempt(&self, answer: &HookAnswer<'_>) {
        let _ = answer;
    }
}

/// A hook shared behind an `Arc`, so that the caller keeps a handle to it (to read what it
/// counted).
impl<T: RequestHook + ?Sized> RequestHook for Arc<T> {
    fn before_attempt(&self, request: &mut HookRequest<'_>) {
        (**self).before_attempt(request);
    }

    fn after_attempt(&self, answer: &HookAnswer<'_>) {
        (**self).after_attempt(answer);
    }
}

/// What an attempt belongs to, as the request's span names it.
#[derive(Debug, Clone)]
pub struct Attempt {
    pub(crate) api: &'static str,
    pub(crate) operation: &'static str,
    pub(crate) url_template: &'static str,
    pub(crate) method: Method,
    pub(crate) number: u32,
}

impl Attempt {
    /// The API: `sensu`, `keystone`, `watcher`, `monasca`, `saltant`, or `oidc` for an identity
    /// provider's requests.
    pub fn api(&self) -> &'static str {
        self.api
    }

    /// The operation: the document's `operationId` (`listChecks`), or the name of a request no
    /// document describes (`login`, `refresh_token`, `logout`, ...).
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// The path template (`/api/core/v2/namespaces/{namespace}/checks`), never the filled
    /// path; empty when the URL comes from elsewhere (an identity provider's discovery).
    pub fn url_template(&self) -> &'static str {
        self.url_template
    }

    /// The HTTP method.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// Which attempt of the call this is, from 1: retries, and the send after a renewed token,
    /// count on.
    pub fn number(&self) -> u32 {
        self.number
    }
}

/// An attempt's request before it is sent: its headers, except credentials.
pub struct HookRequest<'a> {
    pub(crate) attempt: &'a Attempt,
    pub(crate) request: &'a mut Request,
}

impl HookRequest<'_> {
    /// What the attempt belongs to.
    pub fn attempt(&self) -> &Attempt {
        self.attempt
    }

    /// A header's value; `None` when it is absent or a credential.
    pub fn header(&self, name: &str) -> Option<&HeaderValue> {
        visible(self.request.headers(), name)
    }

    /// Every header but the credentials. A header given several times appears once per value.
    pub fn headers(&self) -> impl Iterator<Item = (&HeaderName, &HeaderValue)> {
        self.request
            .headers()
            .iter()
            .filter(|(name, value)| !is_credential(name, value))
    }

    /// Sets a header for this attempt, replacing any value it had. Credential headers cannot be
    /// set.
    pub fn set_header(
        &mut self,
        name: HeaderName,
        value: HeaderValue,
    ) -> Result<(), CredentialHeader> {
        self.writable(&name)?;
        self.request.headers_mut().insert(name, value);
        Ok(())
    }

    /// Removes a header from this attempt and returns its value. Credential headers cannot be
    /// removed.
    pub fn remove_header(
        &mut self,
        name: &HeaderName,
    ) -> Result<Option<HeaderValue>, CredentialHeader> {
        self.writable(name)?;
        Ok(self.request.headers_mut().remove(name))
    }

    fn writable(&self, name: &HeaderName) -> Result<(), CredentialHeader> {
        let sensitive = self
            .request
            .headers()
            .get_all(name)
            .iter()
            .any(HeaderValue::is_sensitive);
        if sensitive || CREDENTIAL_HEADERS.contains(&name.as_str()) {
            return Err(CredentialHeader(name.clone()));
        }
        Ok(())
    }
}

impl fmt::Debug for HookRequest<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HookRequest")
            .field("attempt", self.attempt)
            .field("headers", &self.headers().collect::<Vec<_>>())
            .finish()
    }
}

/// An attempt's outcome: the head of its answer, or why there was none.
pub struct HookAnswer<'a> {
    pub(crate) attempt: &'a Attempt,
    pub(crate) outcome: &'a reqwest::Result<Response>,
    pub(crate) duration: Duration,
}

impl HookAnswer<'_> {
    /// What the attempt belongs to.
    pub fn attempt(&self) -> &Attempt {
        self.attempt
    }

    /// The answer's status; `None` when the attempt failed without one.
    pub fn status(&self) -> Option<StatusCode> {
        self.outcome.as_ref().ok().map(Response::status)
    }

    /// Why the attempt got no answer; `None` when it got one (whatever its status).
    pub fn failure(&self) -> Option<Failure> {
        self.outcome.as_ref().err().map(Failure::of)
    }

    /// From just before the attempt was sent to its answer's head or its failure.
    pub fn duration(&self) -> Duration {
        self.duration
    }

    /// A header of the answer (`X-Openstack-Request-Id`, ...); `None` when it is absent, a
    /// credential (Keystone's `X-Subject-Token`), or there was no answer.
    pub fn header(&self, name: &str) -> Option<&HeaderValue> {
        visible(self.outcome.as_ref().ok()?.headers(), name)
    }
}

impl fmt::Debug for HookAnswer<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HookAnswer")
            .field("attempt", self.attempt)
            .field("status", &self.status())
            .field("failure", &self.failure())
            .field("duration", &self.duration)
            .finish()
    }
}

/// Why an attempt got no answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Failure {
    /// The connection could not be made (refused, unreachable, TLS refused).
    Connect,
    /// The client's timeout ran out.
    Timeout,
    /// The connection broke after the request was sent, before an answer.
    Interrupted,
    /// Another failure.
    Other,
}

impl Failure {
    fn of(error: &reqwest::Error) -> Failure {
        if error.is_timeout() {
            Failure::Timeout
        } else if error.is_connect() {
            Failure::Connect
        } else if error.is_request() || error.is_body() {
            Failure::Interrupted
        } else {
            Failure::Other
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Failure::Connect => "could not connect",
            Failure::Timeout => "timed out",
            Failure::Interrupted => "connection broken before an answer",
            Failure::Other => "failed",
        })
    }
}

/// A hook tried to set or remove a credential header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CredentialHeader(HeaderName);

impl CredentialHeader {
    /// The header's name.
    pub fn name(&self) -> &HeaderName {
        &self.0
    }
}

impl fmt::Display for CredentialHeader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} carries credentials: a request hook cannot set or remove it",
            self.0
        )
    }
}

impl std::error::Error for CredentialHeader {}

/// Headers that carry credentials, in requests or answers, whether or not they are marked
/// sensitive.
const CREDENTIAL_HEADERS: &[&str] = &[
    "authorization",
    "proxy-authorization",
    "x-auth-token",
    "x-subject-token",
    "x-service-token",
    "cookie",
    "set-cookie",
];

fn is_credential(name: &HeaderName, value: &HeaderValue) -> bool {
    value.is_sensitive() || CREDENTIAL_HEADERS.contains(&name.as_str())
}

/// A header's first value, unless it is a credential.
fn visible<'h>(headers: &'h reqwest::header::HeaderMap, name: &str) -> Option<&'h HeaderValue> {
    let name = HeaderName::from_bytes(name.as_bytes()).ok()?;
    if CREDENTIAL_HEADERS.contains(&name.as_str()) {
        return None;
    }
    let mut values = headers.get_all(&name).iter();
    let first = values.next()?;
    let sensitive = first.is_sensitive() || values.any(HeaderValue::is_sensitive);
    (!sensitive).then_some(first)
}

/// The hooks set on a builder, in the order they were added; shared by every client built from
/// it and by their clones.
#[derive(Clone, Default)]
pub(crate) struct Hooks(Arc<[Arc<dyn RequestHook>]>);

impl Hooks {
    /// The same hooks and `hook` after them.
    pub(crate) fn with(&self, hook: Arc<dyn RequestHook>) -> Hooks {
        Hooks(self.0.iter().cloned().chain([hook]).collect())
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub(crate) fn before(&self, attempt: &Attempt, request: &mut Request) {
        for hook in self.0.iter() {
            hook.before_attempt(&mut HookRequest { attempt, request });
        }
    }

    pub(crate) fn after(
        &self,
        attempt: &Attempt,
        outcome: &reqwest::Result<Response>,
        duration: Duration,
    ) {
        let answer = HookAnswer {
            attempt,
            outcome,
            duration,
        };
        for hook in self.0.iter() {
            hook.after_attempt(&answer);
        }
    }
}

impl fmt::Debug for Hooks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} request hook(s)", self.0.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request() -> Request {
        let mut request = Request::new(Method::GET, "http://127.0.0.1/".parse().unwrap());
        let headers = request.headers_mut();
        headers.insert("authorization", HeaderValue::from_static("Key plain"));
        let mut secret = HeaderValue::from_static("hidden-by-flag");
        secret.set_sensitive(true);
        headers.insert("x-custom-secret", secret);
        headers.insert("x-auth-token", HeaderValue::from_static("tok"));
        headers.insert("accept", HeaderValue::from_static("application/json"));
        request
    }

    fn attempt() -> Attempt {
        Attempt {
            api: "sensu",
            operation: "listChecks",
            url_template: "/checks",
            method: Method::GET,
            number: 1,
        }
    }

    #[test]
    fn credentials_are_neither_shown_nor_writable() {
        let mut request = request();
        let attempt = attempt();
        let mut view = HookRequest {
            attempt: &attempt,
            request: &mut request,
        };
        for name in [
            "authorization",
            "Authorization",
            "x-auth-token",
            "x-custom-secret",
        ] {
            assert_eq!(view.header(name), None, "{name}");
        }
        assert_eq!(
            view.header("accept"),
            Some(&HeaderValue::from_static("application/json"))
        );
        let names: Vec<&str> = view.headers().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["accept"]);
        let shown = format!("{view:?}");
        for secret in ["plain", "hidden-by-flag", "tok"] {
            assert!(!shown.contains(secret), "{shown}");
        }
        for name in ["authorization", "x-auth-token", "x-custom-secret", "cookie"] {
            let name = HeaderName::from_static(name);
            let refused = view.set_header(name.clone(), HeaderValue::from_static("mine"));
            assert_eq!(refused, Err(CredentialHeader(name.clone())));
            assert_eq!(view.remove_header(&name), Err(CredentialHeader(name)));
        }
        view.set_header(
            HeaderName::from_static("x-trace"),
            HeaderValue::from_static("t1"),
        )
        .unwrap();
        assert_eq!(
            view.remove_header(&HeaderName::from_static("accept")),
            Ok(Some(HeaderValue::from_static("application/json")))
        );
        assert_eq!(request.headers()["x-trace"], "t1");
        assert_eq!(request.headers()["authorization"], "Key plain");
        assert_eq!(request.headers()["x-custom-secret"], "hidden-by-flag");
        assert!(!request.headers().contains_key("accept"));
    }

    #[test]
    fn failures_are_named() {
        assert_eq!(Failure::Connect.to_string(), "could not connect");
        assert_eq!(Failure::Timeout.to_string(), "timed out");
        assert_eq!(
            Failure::Interrupted.to_string(),
            "connection broken before an answer"
        );
        assert_eq!(Failure::Other.to_string(), "failed");
    }
}
