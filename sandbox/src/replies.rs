//! Answers in the shapes the real server uses.

use axum::body::Body;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;
use serde_json::Value;

/// Sensu's error codes (`backend/apid/actions/error.go`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Code {
    Internal = 0,
    InvalidArgument = 1,
    NotFound = 2,
    AlreadyExists = 3,
    Unauthenticated = 5,
    PreconditionFailed = 7,
}

impl Code {
    pub(super) fn status(self) -> StatusCode {
        match self {
            Code::Internal => StatusCode::INTERNAL_SERVER_ERROR,
            Code::InvalidArgument => StatusCode::BAD_REQUEST,
            Code::NotFound => StatusCode::NOT_FOUND,
            Code::AlreadyExists => StatusCode::CONFLICT,
            Code::Unauthenticated => StatusCode::UNAUTHORIZED,
            Code::PreconditionFailed => StatusCode::PRECONDITION_FAILED,
        }
    }
}

/// A router error: `{"message": …, "code": n}` as JSON.
#[derive(Debug)]
pub(super) struct Failure {
    pub(super) code: Code,
    pub(super) message: String,
}

pub(super) type Outcome<T = Response> = std::result::Result<T, Failure>;

impl Failure {
    pub(super) fn new(code: Code, message: impl Into<String>) -> Self {
        Failure {
            code,
            message: message.into(),
        }
    }

    pub(super) fn invalid(message: impl Into<String>) -> Self {
        Failure::new(Code::InvalidArgument, message)
    }

    pub(super) fn not_found() -> Self {
        Failure::new(Code::NotFound, "not found")
    }

    /// An error the router does not map: 500 with code 0.
    pub(super) fn internal(message: impl Into<String>) -> Self {
        Failure::new(Code::Internal, message)
    }

    /// The same failure as `http.Error` writes it: plain text.
    pub(super) fn into_text_response(self) -> Response {
        text_error(self.code.status(), &self.message)
    }

    /// `WriteError`: JSON without a Content-Type (Go sniffs `text/plain`), and `nosniff`.
    pub(super) fn into_response(self) -> Response {
        let body = serde_json::json!({"message": self.message, "code": self.code as i32});
        let mut response = build(self.code.status(), None, body.to_string().into());
        nosniff(&mut response);
        response
    }
}

/// The authentication middleware's error: `{"Code": n, "Message": …}` with no content type.
pub(super) fn middleware_error(code: Code, message: &str) -> Response {
    let body = serde_json::json!({"Code": code as i32, "Message": message});
    build(code.status(), None, body.to_string().into())
}

/// `http.Error`: plain text with a trailing newline, and `nosniff`.
pub(super) fn text_error(status: StatusCode, message: &str) -> Response {
    let mut response = build(
        status,
        Some("text/plain; charset=utf-8"),
        format!("{message}\n").into(),
    );
    nosniff(&mut response);
    response
}

/// The router's answer to a path no route matches, before authentication.
pub(super) fn unknown_route() -> Response {
    let body = serde_json::json!({"code": Code::NotFound as i32, "message": "not found"});
    build(StatusCode::NOT_FOUND, None, format!("{body}\n").into())
}

fn nosniff(response: &mut Response) {
    response.headers_mut().insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
}

/// A JSON body.
pub(super) fn json(status: StatusCode, body: &Value) -> Response {
    build(status, Some("application/json"), body.to_string().into())
}

/// An empty body; the real server still says it is JSON.
pub(super) fn empty(status: StatusCode) -> Response {
    build(status, Some("application/json"), Body::empty())
}

/// A body without a content type (Go sniffs one; clients must not rely on it).
pub(super) fn untyped(status: StatusCode, body: String) -> Response {
    build(status, None, body.into())
}

fn build(status: StatusCode, content_type: Option<&'static str>, body: Body) -> Response {
    let mut response = Response::new(body);
    *response.status_mut() = status;
    if let Some(content_type) = content_type {
        response
            .headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    }
    response
}
