//! What each API tells the pipeline about itself.

use reqwest::{Request, Response, StatusCode};

use crate::error::{ApiError, Error};
use crate::operation::Operation;
use crate::Result;

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
