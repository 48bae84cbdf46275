//! The path every generated request takes after progenitor has built it.
//!
//! In order: a `tracing` span for the operation; the body gets the media type the server
//! requires and is checked against the API's client-side rules; credentials are attached; the
//! request is sent, and sent again after a passing failure ([`crate::retry`]); a 401 on a
//! session token renews the token once and sends again; an answer with a declared success
//! status is read up to the body limit; any other answer is read and decoded into the crate's
//! [`Error`].
//!
//! The span is `opsclient.request`, with the OpenTelemetry HTTP names where they exist:
//! `api`, `operation`, `http.request.method`, `url.template` (the path template, never the
//! filled path), `server.address`, `attempts`, `http.response.status_code` and `duration_ms`.
//! Nothing in it, nor in the retry events, carries a credential or a query value.

use std::sync::atomic::Ordering;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use progenitor_client::OperationInfo;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, AUTHORIZATION, CONTENT_TYPE};
use reqwest::{Request, Response, StatusCode};
use secrecy::ExposeSecret;
use tokio::time::Instant;
use tracing::Instrument;

use crate::auth::{Session, Token};
use crate::error::{excerpt, ApiError, CarriedError, Error, UnexpectedResponse};
use crate::operation::{self, Auth, Operation};
use crate::retry::{self, Retrier, RetryPolicy};
use crate::Result;

/// The most of an error body the transport reads.
pub(crate) const ERROR_BODY_LIMIT: usize = 64 * 1024;

/// The largest login or token answer read, whatever `max_body_size` says: such answers are
/// small (a Keystone token with a large catalog is some hundred KiB), and a server that sends
/// more is not answering the question.
pub(crate) const LOGIN_BODY_LIMIT: usize = 1024 * 1024;

/// The largest success body read unless a client sets another limit.
pub const DEFAULT_MAX_BODY_SIZE: usize = 128 * 1024 * 1024;

/// A status by which an API refuses a token, and the check of the body that says so.
pub(crate) type RefusedToken = (StatusCode, fn(&[u8]) -> bool);

/// Checks a request body against an API's rules, reading only what the rules need.
pub(crate) type BodyRules = fn(&Operation, &[u8]) -> Result<()>;

/// What the transport needs to know about an API beyond its operation table.
#[derive(Debug)]
pub(crate) struct ApiRules {
    /// The API's name in spans: `sensu`, `keystone`, `watcher`, `monasca`, `saltant`.
    pub(crate) name: &'static str,
    /// Decodes an error answer's body, whatever shape the API uses.
    pub(crate) decode_error: fn(StatusCode, &[u8]) -> ApiError,
    /// Checks a request body before it is sent; `None` when the API has no rules beyond its
    /// types, so the body (serialized from them) is not parsed back.
    pub(crate) validate: Option<BodyRules>,
    /// Whether a 409 body says the resource exists already (else the error is a plain
    /// conflict).
    pub(crate) conflict_means_exists: fn(&[u8]) -> bool,
    /// A status other than 401 by which the API refuses a session token, and the check of its
    /// body that tells a refused token from other refusals (saltant answers an expired JWT
    /// with 403 `token_not_valid`). The transport renews and retries once, as after a 401.
    pub(crate) refused_token: Option<RefusedToken>,
}

/// How long a call may take, how much of an answer is read, and how failures are retried: one
/// client's settings, from its builder. Clones share the retry budget.
#[derive(Debug, Clone)]
pub(crate) struct Policy {
    /// The longest a call may take, every attempt and delay included.
    pub(crate) timeout: Option<Duration>,
    /// The largest success body read.
    pub(crate) body_limit: BodyLimit,
    pub(crate) retrier: Retrier,
}

/// The largest success body read, and where that limit comes from, for the error that names
/// it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BodyLimit {
    /// The client's `max_body_size`.
    Configured(usize),
    /// A login's: [`LOGIN_BODY_LIMIT`], which no setting changes.
    Login,
}

impl BodyLimit {
    pub(crate) fn bytes(self) -> usize {
        match self {
            BodyLimit::Configured(bytes) => bytes,
            BodyLimit::Login => LOGIN_BODY_LIMIT,
        }
    }

    /// The error for a body over the limit, saying what can be done about it.
    fn exceeded(self, status: StatusCode) -> Error {
        let reason = match self {
            BodyLimit::Configured(bytes) => format!(
                "the body is larger than the limit of {bytes} bytes (raise it with max_body_size)"
            ),
            BodyLimit::Login => format!(
                "the login answer is larger than {LOGIN_BODY_LIMIT} bytes, more than a login \
                 answer holds; this limit is fixed (max_body_size does not apply to logins)"
            ),
        };
        Error::UnexpectedResponse(UnexpectedResponse {
            status: Some(status),
            reason,
            body: String::new(),
        })
    }
}

impl Policy {
    pub(crate) fn new(timeout: Option<Duration>, max_body: usize, retry: RetryPolicy) -> Self {
        Policy {
            timeout,
            body_limit: BodyLimit::Configured(max_body),
            retrier: Retrier::new(retry),
        }
    }

    /// The same policy, with a retry budget of its own: a client whose server fails does not
    /// use up the retries of a client of another server.
    #[cfg_attr(not(any(feature = "watcher", feature = "monasca")), allow(dead_code))]
    pub(crate) fn with_own_budget(&self) -> Policy {
        Policy {
            retrier: Retrier::new(self.retrier.policy),
            ..self.clone()
        }
    }

    /// The same policy for a login: its answers are read up to [`LOGIN_BODY_LIMIT`].
    #[cfg_attr(not(feature = "openstack"), allow(dead_code))]
    pub(crate) fn for_login(&self) -> Policy {
        Policy {
            body_limit: BodyLimit::Login,
            ..self.clone()
        }
    }

    fn deadline(&self, started: Instant) -> Option<Instant> {
        self.timeout.and_then(|t| started.checked_add(t))
    }

    /// Sends a request that no generated operation describes (a login, a token refresh),
    /// with the same retries and the same timeout as the generated calls. An answer whose
    /// status `accepted` takes is returned; an error status is the error that `refuse` makes
    /// of the start of its body; any other status is an unexpected answer whose body is not
    /// read, as it may hold a token.
    #[cfg_attr(
        not(any(feature = "sensu", feature = "saltant", feature = "openstack")),
        allow(dead_code)
    )] // their logins
    pub(crate) async fn send(
        &self,
        http: &reqwest::Client,
        request: Request,
        idempotent: bool,
        accepted: impl FnOnce(StatusCode) -> bool,
        refuse: impl FnOnce(StatusCode, &[u8]) -> Error,
    ) -> Result<Response> {
        let deadline = self.deadline(Instant::now());
        let response = self
            .retrier
            .send(http, request, idempotent, deadline)
            .await
            .outcome
            .map_err(Error::from_reqwest)?;
        let status = response.status();
        if accepted(status) {
            return Ok(response);
        }
        if !(status.is_client_error() || status.is_server_error()) {
            return Err(Error::UnexpectedResponse(UnexpectedResponse {
                status: Some(status),
                reason: "a status this request does not expect (its body is not shown: it may \
                         hold a token)"
                    .into(),
                body: String::new(),
            }));
        }
        let body = read_error_body(response).await?;
        Err(refuse(status, &body))
    }
}

/// What an API adds to the shared path: headers every request needs, refusals that depend on
/// client state, one more try after an answer that changed that state, and sharper errors.
pub(crate) trait Adapter: Send + Sync + std::fmt::Debug {
    /// Adjusts a request before it is signed and sent, or refuses it.
    fn prepare(&self, op: Option<&'static Operation>, request: &mut Request) -> Result<()>;

    /// After an answer: whether sending the request again may now succeed.
    fn retry_after(&self, response: &Response) -> bool {
        let _ = response;
        false
    }

    /// A more precise error for an error answer.
    fn refine(&self, headers: &reqwest::header::HeaderMap, error: Error) -> Error {
        let _ = headers;
        error
    }
}

/// How requests are authenticated.
#[derive(Clone)]
pub(crate) enum Credentials {
    /// Nothing is attached.
    None,
    /// A fixed header, e.g. `Authorization: Key …`. The value is marked sensitive.
    Header(HeaderName, HeaderValue),
    /// A token kept fresh by a session.
    Session(Arc<Session>),
    /// Headers that are not secrets, e.g. the scope of OpenStack's tokenless requests (whose
    /// credential is the client certificate).
    #[cfg_attr(not(feature = "openstack"), allow(dead_code))]
    Headers(Vec<(HeaderName, HeaderValue)>),
}

/// The state a generated client carries: the API's rules, the current credentials and the
/// client's limits and retries.
///
/// Each API's client builder makes one; it is shared by clones of the client.
#[derive(Clone)]
pub struct Transport {
    rules: &'static ApiRules,
    credentials: Arc<RwLock<Credentials>>,
    adapter: Option<Arc<dyn Adapter>>,
    policy: Policy,
}

impl Transport {
    pub(crate) fn new(rules: &'static ApiRules, credentials: Credentials, policy: Policy) -> Self {
        Transport {
            rules,
            credentials: Arc::new(RwLock::new(credentials)),
            adapter: None,
            policy,
        }
    }

    /// The same transport, with the API's adapter.
    #[cfg_attr(not(feature = "watcher"), allow(dead_code))] // Watcher's microversions use it
    pub(crate) fn with_adapter(mut self, adapter: Arc<dyn Adapter>) -> Self {
        self.adapter = Some(adapter);
        self
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

    /// The client's limits and retries.
    #[cfg_attr(not(feature = "sensu"), allow(dead_code))] // the Sensu client's explicit login
    pub(crate) fn policy(&self) -> &Policy {
        &self.policy
    }

    /// The session, when the client authenticates with one.
    #[cfg_attr(not(feature = "sensu"), allow(dead_code))] // explicit session calls of the Sensu client
    pub(crate) fn session(&self) -> Option<Arc<Session>> {
        match self.credentials() {
            Credentials::Session(session) => Some(session),
            _ => None,
        }
    }

    /// Sends one generated request, inside the operation's span. Called from the generated
    /// `ClientHooks::exec`.
    pub(crate) async fn execute(
        &self,
        http: &reqwest::Client,
        table: &'static [Operation],
        request: Request,
        info: &OperationInfo,
    ) -> reqwest::Result<Response> {
        let started = Instant::now();
        let op = operation::find(table, info.operation_id);
        let span = tracing::info_span!(
            "opsclient.request",
            api = self.rules.name,
            operation = op.map_or(info.operation_id, |op| op.id),
            "http.request.method" = %request.method(),
            "url.template" = op.map_or("", |op| op.path),
            "server.address" = request.url().host_str().unwrap_or_default(),
            attempts = tracing::field::Empty,
            "http.response.status_code" = tracing::field::Empty,
            duration_ms = tracing::field::Empty,
        );
        // Boxed: the exchange's state is large, and every future that awaits a call would
        // otherwise hold it inline and copy it each time it is moved.
        let outcome = Box::pin(self.exchange(http, op, request, started))
            .instrument(span.clone())
            .await;
        span.record("duration_ms", started.elapsed().as_millis() as u64);
        outcome
    }

    async fn exchange(
        &self,
        http: &reqwest::Client,
        op: Option<&'static Operation>,
        mut request: Request,
        started: Instant,
    ) -> reqwest::Result<Response> {
        if let Some(op) = op {
            if let Err(e) = self.prepare(op, &mut request) {
                return Ok(carry(e));
            }
        }
        if let Some(adapter) = &self.adapter {
            if let Err(e) = adapter.prepare(op, &mut request) {
                return Ok(carry(e));
            }
        }
        let credentials = self.credentials();
        let auth = op.map_or(Auth::Token, |op| op.auth);
        let sent = match authorize(&credentials, auth, &mut request).await {
            Ok(sent) => sent,
            Err(e) => return Ok(carry(e)),
        };
        let idempotent =
            retry::is_idempotent(request.method()) || op.is_some_and(|op| op.idempotent);
        let deadline = self.policy.deadline(started);
        let attempts = std::sync::atomic::AtomicU32::new(0);
        // Each send gives back the copy its retries kept, to send again after a 401 or an
        // adapter's renegotiation (streams cannot be copied). Those sends are not retries: they
        // answer a changed state, and have attempts of their own.
        let send = |request: Request| {
            let (retrier, attempts) = (&self.policy.retrier, &attempts);
            async move {
                let sent = retrier.send(http, request, idempotent, deadline).await;
                let total = attempts.fetch_add(sent.attempts, Ordering::Relaxed) + sent.attempts;
                tracing::Span::current().record("attempts", total);
                sent.outcome.map(|response| (response, sent.spare))
            }
        };
        let (mut response, mut spare) = send(request).await?;

        let mut refused = response.status() == StatusCode::UNAUTHORIZED;
        if let (Some((status, check)), Some(_)) = (self.rules.refused_token, &sent) {
            if response.status() == status {
                let (kept, body) = read_back(response).await?;
                refused = check(&body);
                response = kept;
            }
        }
        if refused {
            if let (Some(token), Some(mut retry), Credentials::Session(session)) =
                (&sent, spare.take(), &credentials)
            {
                match renew_and_sign(session, token, &mut retry).await {
                    Ok(()) => (response, spare) = send(retry).await?,
                    Err(e) => tracing::debug!(error = %e, "could not renew a rejected token"),
                }
            }
        }
        if let Some(adapter) = &self.adapter {
            if let Some(mut retry) = spare.take().filter(|_| adapter.retry_after(&response)) {
                if let Err(e) = adapter.prepare(op, &mut retry) {
                    return Ok(carry(e));
                }
                (response, _) = send(retry).await?;
            }
        }

        let status = response.status();
        tracing::Span::current().record("http.response.status_code", status.as_u16());
        let declared = match op {
            Some(op) => op.success.contains(&status.as_u16()),
            None => status.is_success(),
        };
        tracing::debug!(
            method_name = op.map_or("", |op| op.method_name),
            status = status.as_u16(),
            success = declared,
            "answered"
        );
        if declared {
            self.accept(op, response).await
        } else {
            self.reject(response).await
        }
    }

    /// Sets the declared media type and applies the API's client-side rules.
    fn prepare(&self, op: &Operation, request: &mut Request) -> Result<()> {
        let Some(body) = request.body().and_then(|b| b.as_bytes()) else {
            return Ok(());
        };
        if let Some(validate) = self.rules.validate {
            validate(op, body)?;
        }
        let media_type = op.body_media_type.unwrap_or("application/json");
        request
            .headers_mut()
            .insert(CONTENT_TYPE, HeaderValue::from_static(media_type));
        Ok(())
    }

    /// Reads a success answer, up to the body limit, and gives back an equal one.
    async fn accept(
        &self,
        op: Option<&'static Operation>,
        response: Response,
    ) -> reqwest::Result<Response> {
        // A body of declared length within the limit cannot outgrow it (hyper reads no more
        // than the length), so it goes to the decoder unread and uncopied; reqwest's timeout,
        // set from the deadline, still covers reading it. An answer observer reads it.
        let observer = crate::observe::observer();
        if observer.is_none()
            && response
                .content_length()
                .is_some_and(|length| length <= self.policy.body_limit.bytes() as u64)
        {
            return Ok(response);
        }
        let status = response.status();
        let headers = response.headers().clone();
        let body = match read_limited(response, self.policy.body_limit).await? {
            Ok(body) => body,
            Err(too_large) => return Ok(carry(too_large)),
        };
        if let (Some(observer), Some(op)) = (observer, op) {
            observer.answer(op, status.as_u16(), &body);
        }
        Ok(reassemble(status, headers, body))
    }

    /// Reads an undeclared answer and turns it into an error the conversion will find.
    async fn reject(&self, response: Response) -> reqwest::Result<Response> {
        let status = response.status();
        let headers = response.headers().clone();
        let body = read_prefix(response, ERROR_BODY_LIMIT).await?;
        let error = if status.is_client_error() || status.is_server_error() {
            let mut decoded = (self.rules.decode_error)(status, &body);
            decoded.retry_after = retry::retry_after(&headers, std::time::SystemTime::now());
            decoded.request_id = request_id(&headers);
            let error = match Error::from_api(decoded) {
                Error::AlreadyExists(e) if !(self.rules.conflict_means_exists)(&body) => {
                    Error::Conflict(e)
                }
                error => error,
            };
            match &self.adapter {
                Some(adapter) => adapter.refine(&headers, error),
                None => error,
            }
        } else if status.is_redirection() && headers.contains_key(reqwest::header::LOCATION) {
            // Same-origin redirects were followed; this one leads elsewhere.
            Error::UnexpectedResponse(UnexpectedResponse {
                status: Some(status),
                reason: "a redirect to another host is not followed: credentials and bodies go \
                         only to the configured server"
                    .into(),
                body: String::new(),
            })
        } else {
            Error::UnexpectedResponse(UnexpectedResponse {
                status: Some(status),
                reason: "status not declared for this operation".into(),
                body: excerpt(&body),
            })
        };
        Ok(rebuild(status, headers, body, error))
    }
}

/// The request id a server gave its answer, for reports to its operators.
fn request_id(headers: &HeaderMap) -> Option<String> {
    [
        "x-openstack-request-id",
        "x-request-id",
        "x-compute-request-id",
    ]
    .iter()
    .find_map(|name| headers.get(*name))
    .and_then(|value| value.to_str().ok())
    .filter(|id| id.len() <= 128)
    .map(str::to_string)
}

/// Attaches the credentials the operation takes; returns the session token it used, if any.
async fn authorize(
    credentials: &Credentials,
    auth: Auth,
    request: &mut Request,
) -> Result<Option<Token>> {
    match (auth, credentials) {
        (Auth::None, _) | (_, Credentials::None) => Ok(None),
        (Auth::Basic, Credentials::Session(session)) => {
            if let Some(basic) = session.provider().basic() {
                request.headers_mut().insert(AUTHORIZATION, basic);
            }
            Ok(None)
        }
        (Auth::Basic, Credentials::Header(..) | Credentials::Headers(_)) => Ok(None),
        (Auth::Token, Credentials::Headers(headers)) => {
            for (name, value) in headers {
                request.headers_mut().insert(name.clone(), value.clone());
            }
            Ok(None)
        }
        (Auth::Token, Credentials::Header(name, value)) => {
            request.headers_mut().insert(name.clone(), value.clone());
            Ok(None)
        }
        (Auth::Token, Credentials::Session(session)) => {
            let token = session.token().await?;
            let (name, value) = token.header_with(|t| session.provider().header(t))?;
            request.headers_mut().insert(name, value);
            Ok(Some(token))
        }
    }
}

async fn renew_and_sign(session: &Session, rejected: &Token, request: &mut Request) -> Result<()> {
    let token = session
        .replace_rejected(rejected.access().expose_secret())
        .await?;
    let (name, value) = token.header_with(|t| session.provider().header(t))?;
    request.headers_mut().insert(name, value);
    Ok(())
}

/// A response that carries `error` to the `From` conversion through progenitor's code.
fn carry(error: Error) -> Response {
    let status = error
        .status()
        .filter(|s| !s.is_success())
        .unwrap_or(StatusCode::from_u16(599).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR));
    rebuild(status, Default::default(), Bytes::new(), error)
}

fn rebuild(status: StatusCode, headers: HeaderMap, body: Bytes, error: Error) -> Response {
    let mut response = reassemble(status, headers, body);
    response.extensions_mut().insert(CarriedError::new(error));
    response
}

/// A response with this status, headers and body.
fn reassemble(status: StatusCode, headers: HeaderMap, body: Bytes) -> Response {
    let mut response = http::Response::new(body);
    *response.status_mut() = status;
    *response.headers_mut() = headers;
    Response::from(response)
}

/// The whole body, or, when it is longer than the limit, the error that says so; no more
/// than the limit is ever held.
pub(crate) async fn read_limited(
    mut response: Response,
    body_limit: BodyLimit,
) -> reqwest::Result<std::result::Result<Bytes, Error>> {
    let status = response.status();
    let limit = body_limit.bytes();
    let too_large = || Err(body_limit.exceeded(status));
    if response
        .content_length()
        .is_some_and(|length| length > limit as u64)
    {
        return Ok(too_large());
    }
    let mut body = BytesMut::new();
    while let Some(chunk) = response.chunk().await? {
        if body.len().saturating_add(chunk.len()) > limit {
            return Ok(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Ok(body.freeze()))
}

/// At most the first `limit` bytes of a body (an error answer's, to decode and show).
async fn read_prefix(mut response: Response, limit: usize) -> reqwest::Result<Bytes> {
    let mut body = BytesMut::new();
    while let Some(chunk) = response.chunk().await? {
        let room = limit - body.len();
        body.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if body.len() == limit {
            break;
        }
    }
    Ok(body.freeze())
}

/// Reads a login or token answer whole, up to [`LOGIN_BODY_LIMIT`].
#[cfg_attr(
    not(any(feature = "sensu", feature = "saltant", feature = "openstack")),
    allow(dead_code)
)] // their logins
pub(crate) async fn read_small(response: Response) -> Result<Bytes> {
    read_limited(response, BodyLimit::Login)
        .await
        .map_err(Error::from_reqwest)?
}

/// The start of an error answer's body, at most [`ERROR_BODY_LIMIT`] bytes, to decode.
#[cfg_attr(
    not(any(feature = "sensu", feature = "saltant", feature = "openstack")),
    allow(dead_code)
)] // their logins
pub(crate) async fn read_error_body(response: Response) -> Result<Bytes> {
    read_prefix(response, ERROR_BODY_LIMIT)
        .await
        .map_err(Error::from_reqwest)
}

/// Reads an error answer's body (to look at it) and gives back an equal answer with it.
async fn read_back(response: Response) -> reqwest::Result<(Response, Bytes)> {
    let status = response.status();
    let headers = response.headers().clone();
    let body = read_prefix(response, ERROR_BODY_LIMIT).await?;
    let kept = reassemble(status, headers, body.clone());
    Ok((kept, body))
}

#[cfg_attr(not(any(feature = "sensu", feature = "saltant")), allow(dead_code))] // their builders
impl Credentials {
    /// A fixed header, such as `Authorization: Key …`, marked sensitive.
    pub(crate) fn header(name: HeaderName, value: &str) -> Result<Credentials> {
        Ok(Credentials::Header(
            name,
            crate::auth::secret_header(value)?,
        ))
    }

    /// A session that logs in through `provider` on first use and renews `threshold` before
    /// expiry.
    pub(crate) fn session(
        provider: impl crate::auth::TokenProvider + 'static,
        threshold: Duration,
    ) -> Credentials {
        Credentials::Session(Arc::new(Session::new(Arc::new(provider), threshold)))
    }
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Credentials::None => "Credentials::None",
            Credentials::Header(..) => "Credentials::Header([redacted])",
            Credentials::Headers(_) => "Credentials::Headers",
            Credentials::Session(_) => "Credentials::Session",
        })
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
            .field("adapter", &self.adapter)
            .finish()
    }
}
