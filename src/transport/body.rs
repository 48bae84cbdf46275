//! Reading answers: every body read has a limit, counted in decoded bytes (a compressed
//! answer is decoded as it streams in, so a small answer that expands past the limit stops
//! there).

use bytes::{Bytes, BytesMut};
use reqwest::{Response, StatusCode};

use super::bridge::reassemble;
use crate::error::{Error, UnexpectedResponse};

/// The most of an error body the transport reads.
pub(crate) const ERROR_BODY_LIMIT: usize = 64 * 1024;

/// The largest login or token answer read, whatever `max_body_size` says: such answers are
/// small (a Keystone token with a large catalog is some hundred KiB), and a server that sends
/// more is not answering the question.
pub(crate) const LOGIN_BODY_LIMIT: usize = 1024 * 1024;

/// The largest success body read unless a client sets another limit.
pub const DEFAULT_MAX_BODY_SIZE: usize = 128 * 1024 * 1024;

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
    pub(super) fn exceeded(self, status: StatusCode) -> Error {
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

/// The whole body, or, when it is longer than the limit, the error that says so; the buffer
/// never grows past the limit. A compressed body has no length here (the decoder drops it)
/// and is counted as it is decoded.
pub(crate) async fn read_limited(
    mut response: Response,
    body_limit: BodyLimit,
) -> reqwest::Result<std::result::Result<Bytes, Error>> {
    let status = response.status();
    let limit = body_limit.bytes();
    let too_large = || Err(body_limit.exceeded(status));
    let declared = response.content_length();
    if declared.is_some_and(|length| length > limit as u64) {
        return Ok(too_large());
    }
    let mut body = Vec::new();
    if let Some(length) = declared {
        body.reserve_exact(length as usize);
    }
    while let Some(chunk) = response.chunk().await? {
        let Some(needed) = body.len().checked_add(chunk.len()).filter(|n| *n <= limit) else {
            return Ok(too_large());
        };
        if needed > body.capacity() {
            // Doubling, as a vector does, but never past the limit.
            let grown = body.capacity().saturating_mul(2).clamp(needed, limit);
            body.reserve_exact(grown - body.len());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Ok(Bytes::from(body)))
}

/// At most the first `limit` bytes of a body (an error answer's, to decode and show).
pub(super) async fn read_prefix(mut response: Response, limit: usize) -> reqwest::Result<Bytes> {
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

/// Reads an error answer's body (to look at it) and gives back an equal answer with it.
pub(super) async fn read_back(response: Response) -> reqwest::Result<(Response, Bytes)> {
    let status = response.status();
    let headers = response.headers().clone();
    let body = read_prefix(response, ERROR_BODY_LIMIT).await?;
    let kept = reassemble(status, headers, body.clone());
    Ok((kept, body))
}
