//! What each API tells the pipeline about itself: one trait, implemented once per API.

use reqwest::header::HeaderMap;
use reqwest::{Request, Response, StatusCode};

use crate::error::{ApiError, Error};
use crate::operation::Operation;
use crate::Result;

/// The questions the pipeline asks an API. Only the name and the error decoding have no
/// default; the defaults suit an API with no rules beyond its types, tokens refused with 401
/// only, and no version negotiation.
pub(crate) trait ApiHooks: Send + Sync + std::fmt::Debug {
    /// The API's name in spans: `sensu`, `keystone`, `watcher`, `monasca`, `saltant`.
    fn name(&self) -> &'static str;

    /// Decodes an error answer's body, whatever shape the API uses.
    fn decode_error(&self, status: StatusCode, body: &[u8]) -> ApiError;

    /// Whether a 409 body says the resource exists already (else the error is a plain
    /// conflict).
    fn conflict_means_exists(&self, body: &[u8]) -> bool {
        let _ = body;
        true
    }

    /// Checks a request body before it is sent. By default nothing beyond the types the body
    /// was serialized from, so it is not parsed back.
    fn check_body(&self, op: &Operation, body: &[u8]) -> Result<()> {
        let _ = (op, body);
        Ok(())
    }

    /// A status other than 401 by which the API may refuse a session token; the answer's body
    /// is then read and given to [`refuses_token`](Self::refuses_token).
    fn token_refusal_status(&self) -> Option<StatusCode> {
        None
    }

    /// Whether the body of an answer with [`token_refusal_status`](Self::token_refusal_status)
    /// refuses the token (and not the action). The pipeline renews the token and sends once
    /// more, as after a 401.
    fn refuses_token(&self, body: &[u8]) -> bool {
        let _ = body;
        false
    }

    /// Adjusts a request before it is signed and sent (e.g. a version header), or refuses it
    /// for client state (e.g. an operation newer than the negotiated version).
    fn adapt(&self, op: Option<&'static Operation>, request: &mut Request) -> Result<()> {
        let _ = (op, request);
        Ok(())
    }

    /// After an answer: whether the API changed its state so that sending the request once
    /// more may now succeed (e.g. a version renegotiated after a 406).
    fn send_again(&self, response: &Response) -> bool {
        let _ = response;
        false
    }

    /// A more precise error for an error answer.
    fn refine(&self, headers: &HeaderMap, error: Error) -> Error {
        let _ = headers;
        error
    }
}
