//! The crate's one error type.
//!
//! Every call, generated or hand-written, ends in [`Error`]: a generated `send()` returns
//! [`Result`] directly. Inside, progenitor's error is converted, and the conversion recovers the
//! decoded server error that the transport attached to the response (see [`crate::transport`]).

use std::fmt;
use std::time::Duration;

use reqwest::StatusCode;

/// `Result` with the crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// How the reason of an answer that does not decode begins.
pub(crate) const MALFORMED: &str = "malformed body";

/// How many bytes of a body an error keeps for display.
pub(crate) const BODY_EXCERPT_LIMIT: usize = 512;

/// Everything that can go wrong when calling an API.
///
/// Match on the variant to handle a case; every server error keeps its status, the API's own
/// error code when it sends one, and its message.
///
/// ```
/// # async fn f(client: opsclient::sensu::Client) -> opsclient::Result<()> {
/// use opsclient::Error;
/// match client.get_check().namespace("default").check("cpu").send().await {
///     Ok(check) => println!("{:?}", check.command),
///     Err(Error::NotFound(_)) => println!("no such check"),
///     Err(other) => return Err(other),
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// 401: the credentials are missing, wrong or expired, and a fresh login did not help.
    #[error("unauthorized: {0}")]
    Unauthorized(ApiError),
    /// 403: the credentials are valid but not allowed to do this.
    #[error("forbidden: {0}")]
    Forbidden(ApiError),
    /// 404: the resource does not exist (Sensu also answers 404 when RBAC hides it).
    #[error("not found: {0}")]
    NotFound(ApiError),
    /// 409: the resource exists already.
    #[error("already exists: {0}")]
    AlreadyExists(ApiError),
    /// 409 for another reason than an existing resource, e.g. Monasca's answer to a
    /// measurement query that matches several metrics.
    #[error("conflict: {0}")]
    Conflict(ApiError),
    /// 412: an `If-Match` or `If-None-Match` precondition failed.
    #[error("precondition failed: {0}")]
    PreconditionFailed(ApiError),
    /// The request was refused, either by the server (400, or 422 where an API uses it) or by the
    /// client before sending.
    #[error("invalid input: {0}")]
    InvalidInput(InvalidInput),
    /// The server does not serve the API version the client asked for (OpenStack
    /// microversions: 406 with the server's range).
    #[error("unsupported API version: {0}")]
    UnsupportedVersion(VersionMismatch),
    /// Any other error status, e.g. 5xx.
    #[error("server error: {0}")]
    Api(ApiError),
    /// The server answered something the API does not define: an undeclared status or a body
    /// that does not decode.
    #[error("unexpected response: {0}")]
    UnexpectedResponse(UnexpectedResponse),
    /// The request did not complete: connection refused, TLS failure, reset, ... The cause is
    /// the error's `source()` (an error chain prints each cause once).
    #[error("the request did not complete")]
    Transport(#[source] reqwest::Error),
    /// The HTTP proxy refused the request (see [`ProxyRefusal`]).
    #[error("the proxy refused the request: {0}")]
    ProxyRefused(ProxyRefusal),
    /// The request or an operation waiting on the server took longer than allowed.
    #[error("timed out: {0}")]
    Timeout(Timeout),
    /// The client is configured wrongly (missing or invalid setting or environment variable).
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The session was ended by `logout()`, or was resumed from saved tokens without a password
    /// and the server has ended it since: calls that were waiting for a token, and calls made
    /// since, need an explicit `login()` first.
    #[error("the session was logged out; log in again to make calls")]
    LoggedOut,
}

impl Error {
    /// The HTTP status the server answered with, when there was an answer.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::UnexpectedResponse(e) => e.status,
            Error::Transport(e) => e.status(),
            Error::ProxyRefused(ProxyRefusal::Credentials) => {
                Some(StatusCode::PROXY_AUTHENTICATION_REQUIRED)
            }
            other => other.api_error().map(|e| e.status),
        }
    }

    /// The decoded server error, for variants that carry one.
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            Error::Unauthorized(e)
            | Error::Forbidden(e)
            | Error::NotFound(e)
            | Error::AlreadyExists(e)
            | Error::Conflict(e)
            | Error::PreconditionFailed(e)
            | Error::Api(e)
            | Error::InvalidInput(InvalidInput::Server(e)) => Some(e),
            _ => None,
        }
    }

    /// How long the server asked the caller to wait (`Retry-After` of a 429 or 503), for
    /// callers that retry on their own.
    pub fn retry_after(&self) -> Option<Duration> {
        self.api_error().and_then(|e| e.retry_after)
    }

    /// The id the server gave the failed request (`X-Openstack-Request-Id`, `X-Request-Id`),
    /// for reports to its operators.
    pub fn request_id(&self) -> Option<&str> {
        self.api_error().and_then(|e| e.request_id.as_deref())
    }

    /// Whether sending the same request again may succeed: transport failures, timeouts, 429,
    /// 502, 503 and 504. The client has already retried these where it was safe.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Transport(_) | Error::Timeout(_) => true,
            Error::Api(e) => matches!(e.status.as_u16(), 429 | 502 | 503 | 504),
            _ => false,
        }
    }

    /// Turns a decoded server error into the variant its status calls for.
    pub(crate) fn from_api(error: ApiError) -> Error {
        match error.status.as_u16() {
            // 422 is Monasca's answer to a body or query it cannot use.
            400 | 422 => Error::InvalidInput(InvalidInput::Server(error)),
            401 => Error::Unauthorized(error),
            // Only a proxy answers 407; a forwarded plain-HTTP request gets it as an answer.
            407 => Error::ProxyRefused(ProxyRefusal::Credentials),
            403 => Error::Forbidden(error),
            404 => Error::NotFound(error),
            409 => Error::AlreadyExists(error),
            412 => Error::PreconditionFailed(error),
            _ if error.status.is_client_error() || error.status.is_server_error() => {
                Error::Api(error)
            }
            _ => Error::UnexpectedResponse(UnexpectedResponse {
                status: Some(error.status),
                reason: "status not declared for this operation".into(),
                body: error.body,
            }),
        }
    }

    /// A request refused before it was sent.
    pub(crate) fn invalid(field: impl Into<String>, reason: impl Into<String>) -> Error {
        Error::InvalidInput(InvalidInput::Client(Violation {
            field: field.into(),
            reason: reason.into(),
        }))
    }

    /// A body that could not be decoded.
    pub(crate) fn malformed(
        status: Option<StatusCode>,
        reason: impl fmt::Display,
        body: &[u8],
    ) -> Error {
        Error::UnexpectedResponse(UnexpectedResponse {
            status,
            reason: format!("{MALFORMED}: {reason}"),
            body: excerpt(body),
        })
    }

    pub(crate) fn from_reqwest(error: reqwest::Error) -> Error {
        if let Some(refusal) = crate::proxy::refusal(&error) {
            Error::ProxyRefused(refusal)
        } else if error.is_timeout() {
            Error::Timeout(Timeout {
                what: "the request".into(),
                source: Some(error),
            })
        } else {
            // The URL is left out: its query may carry values a caller would not log.
            Error::Transport(error.without_url())
        }
    }
}

/// How an HTTP proxy refused a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ProxyRefusal {
    /// 407 Proxy Authentication Required: the proxy asks for credentials, and the proxy URL
    /// carried none, or wrong ones.
    #[error("407 Proxy Authentication Required (check the user and password of the proxy URL)")]
    Credentials,
    /// The proxy would not open the tunnel (`CONNECT`) an HTTPS request needs: it answered
    /// another status than 200 or 407, which the HTTP stack does not keep. A port the proxy does
    /// not allow (403), the server out of its reach (5xx), or missing or wrong credentials for a
    /// proxy that answers `CONNECT` with 401, as tinyproxy does.
    #[error(
        "it would not open a tunnel for HTTPS (a port it does not allow, a server it cannot \
         reach, or, for some proxies, missing or wrong credentials)"
    )]
    Tunnel,
}

/// An error answer from a server, decoded from whichever body shape the API uses.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// The API's own error code, when the body carries one (Sensu's `code`).
    pub code: Option<i64>,
    /// The server's message, or the start of the body when it has no structure.
    pub message: String,
    /// The start of the raw body, at most 512 bytes.
    pub body: String,
    /// How long the server asked to wait before trying again (`Retry-After`).
    pub retry_after: Option<Duration>,
    /// The server's id for the request (`X-Openstack-Request-Id`, `X-Request-Id`).
    pub request_id: Option<String>,
}

impl ApiError {
    pub(crate) fn new(
        status: StatusCode,
        code: Option<i64>,
        message: String,
        body: String,
    ) -> Self {
        ApiError {
            status,
            code,
            message,
            body,
            retry_after: None,
            request_id: None,
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.status)?;
        if !self.message.is_empty() {
            write!(f, ": {}", self.message)?;
        }
        if let Some(code) = self.code {
            write!(f, " (code {code})")?;
        }
        Ok(())
    }
}

/// Why a request was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum InvalidInput {
    /// The server answered 400.
    Server(ApiError),
    /// The client refused to send it.
    Client(Violation),
    /// A resource file (or one resource of it) cannot be used; nothing of it was sent.
    Document(DocumentViolation),
}

impl fmt::Display for InvalidInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InvalidInput::Server(e) => write!(f, "server refused the request: {e}"),
            InvalidInput::Client(v) => write!(f, "{v}"),
            InvalidInput::Document(v) => write!(f, "{v}"),
        }
    }
}

/// What is wrong with one document of a resource file, and where: the file, the document's
/// position in it and the field.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct DocumentViolation {
    /// The file the document was read from, as the caller named it (`-` for standard input).
    pub source: String,
    /// The document's position in the file, from 1; 0 when the file as a whole is at fault.
    pub document: usize,
    /// The field at fault, as a path such as `spec.interval` or `metadata.name`; empty when
    /// the document as a whole is at fault.
    pub field: String,
    /// What is wrong.
    pub reason: String,
}

impl fmt::Display for DocumentViolation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.source)?;
        if self.document > 0 {
            write!(f, ", document {}", self.document)?;
        }
        if !self.field.is_empty() {
            write!(f, ", field {}", self.field)?;
        }
        write!(f, ": {}", self.reason)
    }
}

/// A rule a request broke, found before sending it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Violation {
    /// The field at fault, as a JSON path such as `subscriptions` or
    /// `output_metric_thresholds[0].thresholds[1]`; empty when the request as a whole is at fault.
    pub field: String,
    /// What is wrong.
    pub reason: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.field.is_empty() {
            write!(f, "{}", self.reason)
        } else {
            write!(f, "{}: {}", self.field, self.reason)
        }
    }
}

/// An answer the API does not define.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct UnexpectedResponse {
    /// The status, when known.
    pub status: Option<StatusCode>,
    /// What was unexpected.
    pub reason: String,
    /// The start of the body, at most 512 bytes.
    pub body: String,
}

impl fmt::Display for UnexpectedResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(status) = self.status {
            write!(f, "{status}: ")?;
        }
        write!(f, "{}", self.reason)?;
        if !self.body.is_empty() {
            write!(f, " (body: {})", self.body)?;
        }
        Ok(())
    }
}

/// An API version the server does not serve, and the range it does.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct VersionMismatch {
    /// The version the client asked for.
    pub requested: String,
    /// The oldest version the server serves, if it said.
    pub minimum: Option<String>,
    /// The newest version the server serves, if it said.
    pub maximum: Option<String>,
}

impl fmt::Display for VersionMismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "asked for {}", self.requested)?;
        match (&self.minimum, &self.maximum) {
            (Some(min), Some(max)) => write!(f, ", the server serves {min} to {max}"),
            (None, Some(max)) => write!(f, ", the server serves up to {max}"),
            (Some(min), None) => write!(f, ", the server serves from {min}"),
            (None, None) => Ok(()),
        }
    }
}

/// What took too long.
#[derive(Debug, thiserror::Error)]
#[error("{what} took too long")]
#[non_exhaustive]
pub struct Timeout {
    /// The request or the wait that timed out.
    pub what: String,
    /// The transport error, when the HTTP client gave up.
    #[source]
    pub source: Option<reqwest::Error>,
}

/// A setting that is missing or invalid.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// A required environment variable is not set.
    #[error("environment variable {name} is not set")]
    MissingVariable {
        /// The variable.
        name: String,
    },
    /// Several required environment variables are not set, all named at once; each name may
    /// be alternatives (`OS_USERNAME or OS_USER_ID`).
    #[error("these environment variables are not set: {}", names.join("; "))]
    MissingVariables {
        /// The variables, or alternatives of them.
        names: Vec<String>,
    },
    /// An environment variable is set to something unusable.
    #[error("environment variable {name} is invalid: {reason}")]
    InvalidVariable {
        /// The variable.
        name: String,
        /// What is wrong with its value.
        reason: String,
    },
    /// A builder setting is missing or invalid.
    #[error("{0}")]
    Invalid(String),
}

/// The start of a body, for messages: at most [`BODY_EXCERPT_LIMIT`] bytes, cut at a character
/// boundary, invalid UTF-8 replaced.
pub(crate) fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    if text.len() <= BODY_EXCERPT_LIMIT {
        return text.into_owned();
    }
    let mut end = BODY_EXCERPT_LIMIT;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end])
}

/// progenitor's error, from the statements that build a request and decode an answer: the
/// transport between them answers with the crate's own.
impl<E> From<progenitor_client::Error<E>> for Error {
    fn from(error: progenitor_client::Error<E>) -> Self {
        use progenitor_client::Error as P;
        match error {
            P::UnexpectedResponse(response) => Error::UnexpectedResponse(UnexpectedResponse {
                status: Some(response.status()),
                reason: "status not declared for this operation".into(),
                body: String::new(),
            }),
            P::InvalidRequest(reason) => invalid_request(&reason),
            P::CommunicationError(e) | P::InvalidUpgrade(e) | P::ResponseBodyError(e) => {
                Error::from_reqwest(e)
            }
            P::InvalidResponsePayload(body, e) => Error::malformed(None, e, &body),
            P::ErrorResponse(response) => Error::UnexpectedResponse(UnexpectedResponse {
                status: Some(response.status()),
                reason: "error status".into(),
                body: String::new(),
            }),
            P::Custom(reason) => Error::UnexpectedResponse(UnexpectedResponse {
                status: None,
                reason,
                body: String::new(),
            }),
        }
    }
}

/// A field a generated struct builder found missing or refused. typify says "no value supplied
/// for field" or "error converting supplied value for field: reason".
pub(crate) fn refused_field(message: &str) -> Error {
    if let Some(field) = message.strip_prefix("no value supplied for ") {
        return Error::invalid(field, "is required");
    }
    match message
        .strip_prefix("error converting supplied value for ")
        .and_then(|rest| rest.split_once(": "))
    {
        Some((field, reason)) => Error::invalid(field, reason),
        None => Error::invalid("", message),
    }
}

/// A value a generated request builder refused. progenitor says
/// "conversion to `Type` for field failed: reason"; the field is kept apart.
fn invalid_request(message: &str) -> Error {
    let parts = message
        .strip_prefix("conversion to `")
        .and_then(|rest| rest.split_once("` for "))
        .and_then(|(_, rest)| rest.split_once(" failed: "));
    match parts {
        Some((field, reason)) => Error::invalid(field, reason),
        None => Error::invalid("", message),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_builder_value_names_its_field() {
        let error = invalid_request(
            "conversion to `AlarmDefinitionPatch` for body failed: error converting supplied \
             value for description: longer than 255 characters",
        );
        match error {
            Error::InvalidInput(InvalidInput::Client(v)) => {
                assert_eq!(v.field, "body");
                assert!(v
                    .reason
                    .starts_with("error converting supplied value for description"));
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            invalid_request("something else"),
            Error::InvalidInput(InvalidInput::Client(_))
        ));
    }
}
