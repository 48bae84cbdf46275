use std::fmt;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderName, HeaderValue};
use secrecy::{ExposeSecret, SecretString};

/// An access token, its expiry, and the refresh token of APIs that rotate them.
///
/// The secrets are only reachable through [`ExposeSecret`]; `Debug` redacts them.
///
/// ```
/// use std::time::{Duration, SystemTime};
/// use secrecy::ExposeSecret;
/// let token = opsclient::auth::Token::new("abc")
///     .with_refresh("def")
///     .expiring_at(SystemTime::now() + Duration::from_secs(300));
/// assert_eq!(token.access().expose_secret(), "abc");
/// assert_eq!(token.expose_access(), "abc");
/// assert!(!format!("{token:?}").contains("abc"));
/// ```
// Shared, not copied: every call reads the session's token, and a clone is two counts.
#[derive(Clone)]
pub struct Token {
    access: Arc<SecretString>,
    refresh: Option<Arc<SecretString>>,
    expires_at: Option<SystemTime>,
    /// The request header that carries it, made once per token by its provider.
    header: Arc<OnceLock<(HeaderName, HeaderValue)>>,
}

impl Token {
    /// A token that never expires on its own.
    pub fn new(access: impl Into<String>) -> Self {
        Token {
            access: Arc::new(SecretString::from(access.into())),
            refresh: None,
            expires_at: None,
            header: Arc::default(),
        }
    }

    /// Adds the refresh token.
    pub fn with_refresh(mut self, refresh: impl Into<String>) -> Self {
        self.refresh = Some(Arc::new(SecretString::from(refresh.into())));
        self
    }

    /// Sets when the access token expires.
    pub fn expiring_at(mut self, expires_at: SystemTime) -> Self {
        self.expires_at = Some(expires_at);
        self
    }

    /// The access token.
    pub fn access(&self) -> &SecretString {
        &self.access
    }

    /// The access token as text, for handing to another tool. It is a secret: keep it out of
    /// logs.
    pub fn expose_access(&self) -> &str {
        self.access.expose_secret()
    }

    /// The refresh token, for APIs that issue one.
    pub fn refresh(&self) -> Option<&SecretString> {
        self.refresh.as_deref()
    }

    /// When the access token expires, if the server said.
    pub fn expires_at(&self) -> Option<SystemTime> {
        self.expires_at
    }

    /// Whether the token is still good for at least `margin`.
    pub(crate) fn is_fresh(&self, margin: Duration, now: SystemTime) -> bool {
        match self.expires_at {
            // A margin too large to add to the clock is longer than any token lives.
            Some(expires_at) => now.checked_add(margin).is_some_and(|t| t < expires_at),
            None => true,
        }
    }

    /// The header that carries this token, made by `make` the first time.
    pub(crate) fn header_with(
        &self,
        make: impl FnOnce(&Token) -> crate::Result<(HeaderName, HeaderValue)>,
    ) -> crate::Result<(HeaderName, HeaderValue)> {
        if let Some(header) = self.header.get() {
            return Ok(header.clone());
        }
        let header = make(self)?;
        Ok(self.header.get_or_init(|| header).clone())
    }

    /// Whether this is the token whose access part is `access`.
    pub(crate) fn has_access(&self, access: &str) -> bool {
        self.access.expose_secret() == access
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Token")
            .field("access", &"[redacted]")
            .field("refresh", &self.refresh.as_ref().map(|_| "[redacted]"))
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_access_token_is_handed_out_only_on_request() {
        let token = Token::new("abc").with_refresh("def");
        assert_eq!(token.expose_access(), "abc");
        assert_eq!(token.access().expose_secret(), "abc");
        assert!(token.has_access("abc") && !token.has_access("def"));
        let shown = format!("{token:?}");
        assert!(!shown.contains("abc") && !shown.contains("def"), "{shown}");
        assert!(
            shown.starts_with("Token") && shown.matches("[redacted]").count() == 2,
            "what is there is still shown: {shown}"
        );
    }

    #[test]
    fn a_token_is_fresh_only_while_it_outlives_the_margin() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000);
        let margin = Duration::from_secs(60);
        let expiring = |secs: u64| Token::new("t").expiring_at(now + Duration::from_secs(secs));
        assert!(expiring(61).is_fresh(margin, now));
        // Exactly at the margin is due: the renewal must not wait for a token that is ending.
        assert!(!expiring(60).is_fresh(margin, now));
        assert!(!expiring(0).is_fresh(margin, now));
        assert!(
            Token::new("t").is_fresh(margin, now),
            "no expiry: always fresh"
        );
        assert!(
            !expiring(61).is_fresh(Duration::MAX, now),
            "a margin past the clock"
        );
    }
}
