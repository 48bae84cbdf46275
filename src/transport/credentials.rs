//! Credentials, and attaching them to a request.

use std::sync::Arc;

use reqwest::header::{HeaderName, HeaderValue, AUTHORIZATION};
use reqwest::Request;
use secrecy::ExposeSecret;

use crate::auth::{Session, Token};
use crate::operation::Auth;
use crate::Result;

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

/// Attaches the credentials the operation takes; returns the session token it used, if any.
pub(super) async fn authorize(
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

pub(super) async fn renew_and_sign(
    session: &Session,
    rejected: &Token,
    request: &mut Request,
) -> Result<()> {
    let token = session
        .replace_rejected(rejected.access().expose_secret())
        .await?;
    let (name, value) = token.header_with(|t| session.provider().header(t))?;
    request.headers_mut().insert(name, value);
    Ok(())
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
