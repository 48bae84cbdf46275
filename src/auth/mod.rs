//! Authentication shared by every API: tokens, the providers that obtain them, and the session
//! that keeps one fresh.
//!
//! An API module implements [`TokenProvider`] for its login protocol (Sensu's `/auth`, Keystone's
//! `/v3/auth/tokens`, ...). The transport asks the session for a token before each call; the
//! session logs in, or refreshes when the token is within a threshold of expiry, with at most
//! one renewal in flight.

mod session;
mod token;

pub(crate) use session::Session;
pub use token::Token;

use futures::future::BoxFuture;
use reqwest::header::{HeaderName, HeaderValue};

use crate::Result;

/// Obtains and renews tokens for one API.
///
/// Implementations hold what they need (HTTP client, base URL, credentials). They never log
/// secrets, and their `Debug` shows none.
pub trait TokenProvider: Send + Sync + std::fmt::Debug {
    /// Logs in with the provider's credentials.
    fn login(&self) -> BoxFuture<'_, Result<Token>>;

    /// Exchanges `current` for a fresh token. The default logs in again.
    fn refresh<'a>(&'a self, current: &'a Token) -> BoxFuture<'a, Result<Token>> {
        let _ = current;
        self.login()
    }

    /// Whether [`login`](Self::login) can work, i.e. the provider knows credentials. When it
    /// cannot, a token that fails to refresh ends the session.
    fn can_login(&self) -> bool;

    /// The header that carries `token` on a request.
    fn header(&self, token: &Token) -> Result<(HeaderName, HeaderValue)>;

    /// The HTTP Basic header for operations that take one, when the provider knows a username
    /// and password.
    fn basic(&self) -> Option<HeaderValue> {
        None
    }

    /// Ends the session on the server. The default does nothing.
    fn logout<'a>(&'a self, token: &'a Token) -> BoxFuture<'a, Result<()>> {
        let _ = token;
        Box::pin(async { Ok(()) })
    }
}

/// The error for a token answer that does not decode: where it broke, never the body (serde
/// quotes values, and the body holds tokens).
#[cfg_attr(
    not(any(feature = "sensu", feature = "saltant", feature = "openstack")),
    allow(dead_code)
)] // the clients with their own logins
pub(crate) fn token_body_error(status: reqwest::StatusCode, e: &serde_json::Error) -> crate::Error {
    let at = format!(
        "{:?} at line {} column {}",
        e.classify(),
        e.line(),
        e.column()
    );
    crate::Error::malformed(Some(status), at, b"(token body withheld)")
}

/// Builds a header value that is marked sensitive, so HTTP tooling does not print it.
pub(crate) fn secret_header(value: &str) -> Result<HeaderValue> {
    let mut header = HeaderValue::from_str(value).map_err(|_| {
        crate::Error::invalid(
            "credentials",
            "contains characters not allowed in an HTTP header",
        )
    })?;
    header.set_sensitive(true);
    Ok(header)
}

/// The `Authorization: Basic …` value for a username and password.
#[cfg_attr(not(feature = "sensu"), allow(dead_code))] // only the Sensu client logs in with a password today
pub(crate) fn basic_header(
    username: &str,
    password: &secrecy::SecretString,
) -> Result<HeaderValue> {
    use base64::Engine;
    use secrecy::ExposeSecret;
    let raw = format!("{username}:{}", password.expose_secret());
    secret_header(&format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(raw)
    ))
}
