//! The path every generated request takes after progenitor has built it.
//!
//! In order: the body gets the media type the server requires and is checked against the API's
//! client-side rules; credentials are attached; the request is sent; a 401 on a session token
//! renews the token once and retries; an answer outside the operation's declared success
//! statuses is read and decoded into the crate's [`Error`].

use std::sync::{Arc, RwLock};

use bytes::Bytes;
use progenitor_client::OperationInfo;
use reqwest::header::{HeaderName, HeaderValue, AUTHORIZATION, CONTENT_TYPE};
use reqwest::{Request, Response, StatusCode};
use secrecy::ExposeSecret;

use crate::auth::{Session, Token};
use crate::error::{excerpt, ApiError, CarriedError, Error, UnexpectedResponse, Violation};
use crate::operation::{self, Auth, Operation};
use crate::Result;

/// The most of an error body the transport reads.
const ERROR_BODY_LIMIT: usize = 64 * 1024;

/// A status by which an API refuses a token, and the check of the body that says so.
pub(crate) type RefusedToken = (StatusCode, fn(&[u8]) -> bool);

/// What the transport needs to know about an API beyond its operation table.
#[derive(Debug)]
pub(crate) struct ApiRules {
    /// Decodes an error answer's body, whatever shape the API uses.
    pub(crate) decode_error: fn(StatusCode, &[u8]) -> ApiError,
    /// Checks a request body before it is sent.
    pub(crate) validate: fn(&Operation, &serde_json::Value) -> Result<(), Violation>,
    /// A status other than 401 by which the API refuses a session token, and the check of its
    /// body that tells a refused token from other refusals (saltant answers an expired JWT
    /// with 403 `token_not_valid`). The transport renews and retries once, as after a 401.
    pub(crate) refused_token: Option<RefusedToken>,
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
}

/// The state a generated client carries: the API's rules and the current credentials.
///
/// Each API's client builder makes one; it is shared by clones of the client.
#[derive(Clone)]
pub struct Transport {
    rules: &'static ApiRules,
    credentials: Arc<RwLock<Credentials>>,
    adapter: Option<Arc<dyn Adapter>>,
}

impl Transport {
    pub(crate) fn new(rules: &'static ApiRules, credentials: Credentials) -> Self {
        Transport {
            rules,
            credentials: Arc::new(RwLock::new(credentials)),
            adapter: None,
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

    /// The session, when the client authenticates with one.
    #[cfg_attr(not(feature = "sensu"), allow(dead_code))] // explicit session calls of the Sensu client
    pub(crate) fn session(&self) -> Option<Arc<Session>> {
        match self.credentials() {
            Credentials::Session(session) => Some(session),
            _ => None,
        }
    }

    /// Sends one generated request. Called from the generated `ClientHooks::exec`.
    pub(crate) async fn execute(
        &self,
        http: &reqwest::Client,
        table: &'static [Operation],
        mut request: Request,
        info: &OperationInfo,
    ) -> reqwest::Result<Response> {
        let op = operation::find(table, info.operation_id);
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
        // A copy to send again after a 401 or an adapter's renegotiation; streams cannot be.
        let spare = (sent.is_some() || self.adapter.is_some())
            .then(|| request.try_clone())
            .flatten();
        let again = || spare.as_ref().and_then(Request::try_clone);
        let mut response = http.execute(request).await?;

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
                (&sent, again(), &credentials)
            {
                match renew_and_sign(session, token, &mut retry).await {
                    Ok(()) => response = http.execute(retry).await?,
                    Err(e) => tracing::debug!(error = %e, "could not renew a rejected token"),
                }
            }
        }
        if let (Some(adapter), Some(mut retry)) = (&self.adapter, again()) {
            if adapter.retry_after(&response) {
                if let Err(e) = adapter.prepare(op, &mut retry) {
                    return Ok(carry(e));
                }
                response = http.execute(retry).await?;
            }
        }

        let declared = match op {
            Some(op) => op.success.contains(&response.status().as_u16()),
            None => response.status().is_success(),
        };
        tracing::debug!(
            operation = info.operation_id,
            status = response.status().as_u16(),
            success = declared,
            "answered"
        );
        if declared {
            #[cfg(feature = "conformance")]
            let response = crate::conformance::observe(op, response).await?;
            Ok(response)
        } else {
            self.reject(response).await
        }
    }

    /// Sets the declared media type and applies the API's client-side rules.
    fn prepare(&self, op: &Operation, request: &mut Request) -> Result<()> {
        let Some(body) = request.body().and_then(|b| b.as_bytes()) else {
            return Ok(());
        };
        if let Some(schema) = op.body_schema {
            let value: serde_json::Value = serde_json::from_slice(body).map_err(|e| {
                Error::invalid("", format!("body is not the JSON a {schema} needs: {e}"))
            })?;
            (self.rules.validate)(op, &value)
                .map_err(|v| Error::InvalidInput(crate::error::InvalidInput::Client(v)))?;
        }
        let media_type = op.body_media_type.unwrap_or("application/json");
        request
            .headers_mut()
            .insert(CONTENT_TYPE, HeaderValue::from_static(media_type));
        Ok(())
    }

    /// Reads an undeclared answer and turns it into an error the conversion will find.
    async fn reject(&self, mut response: Response) -> reqwest::Result<Response> {
        let status = response.status();
        let headers = response.headers().clone();
        let body = read_limited(&mut response).await?;
        let error = if status.is_client_error() || status.is_server_error() {
            let error = Error::from_api((self.rules.decode_error)(status, &body));
            match &self.adapter {
                Some(adapter) => adapter.refine(&headers, error),
                None => error,
            }
        } else {
            Error::UnexpectedResponse(UnexpectedResponse {
                status: Some(status),
                reason: "status not declared for this operation".into(),
                body: excerpt(&body),
            })
        };
        Ok(rebuild(status, headers, Bytes::from(body), error))
    }
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
        (Auth::Basic, Credentials::Header(..)) => Ok(None),
        (Auth::Token, Credentials::Header(name, value)) => {
            request.headers_mut().insert(name.clone(), value.clone());
            Ok(None)
        }
        (Auth::Token, Credentials::Session(session)) => {
            let token = session.token().await?;
            let (name, value) = session.provider().header(&token)?;
            request.headers_mut().insert(name, value);
            Ok(Some(token))
        }
    }
}

async fn renew_and_sign(session: &Session, rejected: &Token, request: &mut Request) -> Result<()> {
    let token = session
        .replace_rejected(rejected.access().expose_secret())
        .await?;
    let (name, value) = session.provider().header(&token)?;
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

fn rebuild(
    status: StatusCode,
    headers: reqwest::header::HeaderMap,
    body: Bytes,
    error: Error,
) -> Response {
    let mut response = reassemble(status, headers, body);
    response.extensions_mut().insert(CarriedError::new(error));
    response
}

/// A response with this status, headers and body.
fn reassemble(status: StatusCode, headers: reqwest::header::HeaderMap, body: Bytes) -> Response {
    let mut response = http::Response::new(body);
    *response.status_mut() = status;
    *response.headers_mut() = headers;
    Response::from(response)
}

/// The start of an error answer's body, at most [`ERROR_BODY_LIMIT`] bytes.
async fn read_limited(response: &mut Response) -> reqwest::Result<Vec<u8>> {
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await? {
        let room = ERROR_BODY_LIMIT - body.len();
        body.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if body.len() == ERROR_BODY_LIMIT {
            break;
        }
    }
    Ok(body)
}

/// Reads an error answer's body (to look at it) and gives back an equal answer with it.
async fn read_back(mut response: Response) -> reqwest::Result<(Response, Vec<u8>)> {
    let status = response.status();
    let headers = response.headers().clone();
    let body = read_limited(&mut response).await?;
    let kept = reassemble(status, headers, Bytes::from(body.clone()));
    Ok((kept, body))
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Credentials::None => "Credentials::None",
            Credentials::Header(..) => "Credentials::Header([redacted])",
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
        };
        f.debug_struct("Transport")
            .field("credentials", &credentials)
            .field("adapter", &self.adapter)
            .finish()
    }
}
