//! Hands an answer or an error back to progenitor's generated code.

use bytes::Bytes;
use reqwest::header::HeaderMap;
use reqwest::{Response, StatusCode};

use crate::error::{CarriedError, Error};

/// A response that carries `error` to the `From` conversion through progenitor's code.
pub(super) fn carry(error: Error) -> Response {
    let status = error
        .status()
        .filter(|s| !s.is_success())
        .unwrap_or(StatusCode::from_u16(599).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR));
    rebuild(status, Default::default(), Bytes::new(), error)
}

pub(super) fn rebuild(
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
    error: Error,
) -> Response {
    let mut response = reassemble(status, headers, body);
    response.extensions_mut().insert(CarriedError::new(error));
    response
}

/// A response with this status, headers and body.
pub(super) fn reassemble(status: StatusCode, headers: HeaderMap, body: Bytes) -> Response {
    let mut response = http::Response::new(body);
    *response.status_mut() = status;
    *response.headers_mut() = headers;
    Response::from(response)
}
