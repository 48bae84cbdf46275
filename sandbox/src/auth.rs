//! Sensu's authentication, as the real backend does it: tokens from `GET /auth`, rotation on
//! `POST /auth/token` with single-use refresh tokens, and the middleware check on every API call.

use std::time::SystemTime;

use axum::http::{header, HeaderMap, StatusCode};
use axum::response::Response;
use base64::Engine;
use serde_json::Value;

use super::replies::{json, middleware_error, text_error, untyped, Code};
use super::sessions::Issued;
pub(super) use super::sessions::Lifetimes;
use super::store::{key, Store};

/// Why a request's credentials were refused; becomes the server's answer at the edge.
#[derive(Debug)]
pub(super) enum Refusal {
    /// `http.Error` from the token middleware or the handlers.
    Text(StatusCode, String),
    /// The API authentication middleware.
    Middleware(&'static str),
}

impl Refusal {
    pub(super) fn into_response(self) -> Response {
        match self {
            Refusal::Text(status, message) => text_error(status, &message),
            Refusal::Middleware(message) => middleware_error(Code::Unauthenticated, message),
        }
    }
}

/// The username and password of a `Basic` header.
fn basic_credentials(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let encoded = value.strip_prefix("Basic ")?;
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (username, password) = text.split_once(':')?;
    Some((username.to_string(), password.to_string()))
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
}

/// The user a valid, enabled Basic login names.
fn check_basic(store: &Store, headers: &HeaderMap) -> Option<String> {
    let (username, password) = basic_credentials(headers)?;
    let user = store.get("users", &key("", &username))?;
    let enabled = !user.value["disabled"].as_bool().unwrap_or(false);
    let matches = store.passwords.get(&username)?.matches(&password);
    (enabled && matches).then_some(username)
}

/// `GET /auth`. Without a `Basic` header the token middleware answers first.
pub(super) fn login(store: &mut Store, headers: &HeaderMap, lifetimes: Lifetimes) -> Response {
    let is_basic = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("Basic "));
    if !is_basic {
        return text_error(StatusCode::UNAUTHORIZED, "Request unauthorized");
    }
    let Some(username) = check_basic(store, headers) else {
        return text_error(StatusCode::UNAUTHORIZED, "Unauthorized");
    };
    let sessions = &mut store.sessions;
    sessions.next_session += 1;
    let session = sessions.next_session;
    let body = sessions.issue(&username, session, lifetimes);
    json(StatusCode::OK, &body)
}

/// `GET /auth/test`.
pub(super) fn test(store: &Store, headers: &HeaderMap) -> Response {
    match check_basic(store, headers) {
        Some(_) => untyped(StatusCode::OK, String::new()),
        None => text_error(StatusCode::UNAUTHORIZED, "Request unauthorized"),
    }
}

/// The token middleware in front of `/auth/token` and `/auth/logout`: a known access token
/// (expired is fine), a decodable body, and an unexpired refresh token of the same user.
fn check_tokens(
    store: &Store,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<(Issued, String), Refusal> {
    let unauthorized = || Refusal::Text(StatusCode::UNAUTHORIZED, "Request unauthorized".into());
    let sessions = &store.sessions;
    let access = bearer(headers)
        .and_then(|t| sessions.access.get(t))
        .ok_or_else(unauthorized)?;
    let body: Value = serde_json::from_slice(body).map_err(|e| {
        let message = if body.is_empty() {
            "EOF".to_string()
        } else {
            e.to_string()
        };
        Refusal::Text(StatusCode::BAD_REQUEST, message)
    })?;
    let token = body["refresh_token"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let refresh = sessions
        .refresh
        .get(&token)
        .filter(|r| r.expires > SystemTime::now() && r.username == access.username)
        .ok_or_else(unauthorized)?;
    Ok((refresh.clone(), token))
}

/// `POST /auth/token`: rotates both tokens. A refresh token other than the session's current
/// one ends the session.
pub(super) fn refresh(
    store: &mut Store,
    headers: &HeaderMap,
    body: &[u8],
    lifetimes: Lifetimes,
) -> Response {
    let (refresh, token) = match check_tokens(store, headers, body) {
        Ok(found) => found,
        Err(refusal) => return refusal.into_response(),
    };
    let session = refresh.session;
    let sessions = &mut store.sessions;
    match sessions.expected_refresh.get(&session) {
        Some((_, lease)) if *lease <= SystemTime::now() => {
            sessions.expected_refresh.remove(&session);
            return text_error(StatusCode::UNAUTHORIZED, "Unauthorized");
        }
        Some((expected, _)) if *expected != token => {
            sessions.expected_refresh.remove(&session);
            return text_error(StatusCode::BAD_REQUEST, "invalid access token");
        }
        Some(_) => {}
        None => return text_error(StatusCode::UNAUTHORIZED, "Unauthorized"),
    }
    let user_ok = store
        .get("users", &key("", &refresh.username))
        .is_some_and(|u| !u.value["disabled"].as_bool().unwrap_or(false));
    if !user_ok {
        return text_error(StatusCode::UNAUTHORIZED, "Unauthorized");
    }
    let body = store.sessions.issue(&refresh.username, session, lifetimes);
    json(StatusCode::OK, &body)
}

/// `POST /auth/logout`: ends the session; access tokens stay valid until they expire.
pub(super) fn logout(store: &mut Store, headers: &HeaderMap, body: &[u8]) -> Response {
    match check_tokens(store, headers, body) {
        Ok((refresh, _)) => {
            store.sessions.expected_refresh.remove(&refresh.session);
            untyped(StatusCode::OK, String::new())
        }
        Err(refusal) => refusal.into_response(),
    }
}

/// The middleware on API routes: a valid, unexpired Bearer token or a known API key.
pub(super) fn authenticate(store: &Store, headers: &HeaderMap) -> Result<String, Refusal> {
    let value = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if let Some(token) = value.strip_prefix("Bearer ") {
        return match store.sessions.access.get(token) {
            Some(issued) if issued.expires > SystemTime::now() => Ok(issued.username.clone()),
            _ => Err(Refusal::Middleware("invalid credentials")),
        };
    }
    if let Some(name) = value.strip_prefix("Key ") {
        let owner = store
            .get("apikeys", &key("", name))
            .and_then(|k| k.value["username"].as_str().map(str::to_string))
            .filter(|user| store.contains("users", &key("", user)));
        return owner.ok_or(Refusal::Middleware("invalid credentials"));
    }
    Err(Refusal::Middleware("bad credentials"))
}
