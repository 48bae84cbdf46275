//! What every token API with its own login (Sensu, saltant) shares: how its builder was told
//! to authenticate, the transport its client is built with, and its login requests, which
//! take that transport's pipeline with no session credentials and read their small answers
//! under the login limit.
//!
//! Login requests do not use the generated methods, because the generated methods ask the
//! session for a token, and the session is what is being renewed.

use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderValue, AUTHORIZATION};
use reqwest::Method;
use secrecy::{ExposeSecret, SecretString};

use crate::auth::{Session, Token, TokenProvider};
use crate::config::Parts;
use crate::error::{ConfigError, Error};
use crate::transport::{Answer, ApiHooks, Call, Credentials, Transport};
use crate::Result;

/// How a token API's client authenticates, as its builder was told.
#[derive(Debug, Clone)]
pub(crate) enum Login {
    /// No credentials.
    None,
    /// A permanent key, sent as `Authorization: <scheme> <key>`.
    Key(SecretString),
    /// A username and password, logged in on first use and kept fresh by a session.
    Password {
        username: String,
        password: SecretString,
    },
}

/// How a token API sends and renews its credentials.
pub(crate) struct TokenApi<P> {
    /// The API's hooks.
    pub(crate) hooks: Arc<dyn ApiHooks>,
    /// The `Authorization` scheme of a permanent key: `Key` (Sensu), `Token` (saltant).
    pub(crate) key_scheme: &'static str,
    /// The API's login protocol over a user's login.
    pub(crate) provider: fn(PasswordLogin) -> P,
    /// How long before expiry a session's token is renewed.
    pub(crate) refresh_threshold: Duration,
}

impl<P: TokenProvider + 'static> TokenApi<P> {
    /// The transport of a client built from `parts`, authenticating as `login` says, and
    /// starting from the saved tokens `resumed` when given instead of logging in.
    pub(crate) fn transport(
        self,
        parts: &Parts,
        login: Login,
        resumed: Option<Token>,
    ) -> Result<Transport> {
        let transport = Transport::new(self.hooks, Credentials::None, parts.policy.clone());
        let session = |user| {
            let login =
                PasswordLogin::new(parts.http.clone(), &transport, parts.base_url.clone(), user);
            let provider = Arc::new((self.provider)(login));
            let session = match resumed.clone() {
                Some(token) => Session::resumed(provider, self.refresh_threshold, token),
                None => Session::new(provider, self.refresh_threshold),
            };
            Credentials::Session(Arc::new(session))
        };
        let credentials =
            match (login, resumed.is_some()) {
                (Login::None, false) => Credentials::None,
                (Login::None, true) => session(None),
                (Login::Key(_), true) => return Err(Error::Config(ConfigError::Invalid(
                    "an API key and saved session tokens are two ways to authenticate: give one"
                        .into(),
                ))),
                (Login::Key(key), false) => Credentials::header(
                    AUTHORIZATION,
                    &format!("{} {}", self.key_scheme, key.expose_secret()),
                )?,
                (Login::Password { username, password }, _) => {
                    session(Some(UserPassword { username, password }))
                }
            };
        transport.set_credentials(credentials);
        Ok(transport)
    }
}

/// A user's name and password.
pub(crate) struct UserPassword {
    pub(crate) username: String,
    pub(crate) password: SecretString,
}

/// A user's login to one server, and the pipeline its requests take.
///
/// A session resumed from saved tokens without a password has no user: it refreshes its
/// tokens and logs out, but cannot log in again once the server ends it.
pub(crate) struct PasswordLogin {
    http: reqwest::Client,
    transport: Transport,
    base_url: String,
    user: Option<UserPassword>,
}

impl PasswordLogin {
    /// A login to `base_url` through `client`'s transport: its API hooks, retries and
    /// timeout, with no credentials and the login body limit.
    pub(crate) fn new(
        http: reqwest::Client,
        client: &Transport,
        base_url: String,
        user: Option<UserPassword>,
    ) -> Self {
        PasswordLogin {
            http,
            transport: client.for_login(),
            base_url,
            user,
        }
    }

    /// The user to log in as; without one, the session has ended for good
    /// ([`Error::LoggedOut`]): it was resumed from tokens the server no longer accepts.
    pub(crate) fn user(&self) -> Result<&UserPassword> {
        self.user.as_ref().ok_or(Error::LoggedOut)
    }

    /// Whether a user is known, so a login can be tried.
    pub(crate) fn can_login(&self) -> bool {
        self.user.is_some()
    }

    /// Sends `method` to the call's path (its template, appended to the base URL) with
    /// `authorization` and a JSON `body`, and reads the accepted answer.
    pub(crate) async fn send(
        &self,
        call: Call<'_>,
        method: Method,
        authorization: Option<HeaderValue>,
        body: Option<&serde_json::Value>,
    ) -> Result<Answer> {
        let url = format!("{}{}", self.base_url, call.template);
        let mut request = self.http.request(method, url);
        if let Some(value) = authorization {
            request = request.header(AUTHORIZATION, value);
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        let request = request.build().map_err(Error::from_reqwest)?;
        self.transport.call(&self.http, call, request).await
    }
}

impl std::fmt::Debug for PasswordLogin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (username, password) = match &self.user {
            Some(user) => (Some(user.username.as_str()), Some("[redacted]")),
            None => (None, None),
        };
        f.debug_struct("PasswordLogin")
            .field("base_url", &self.base_url)
            .field("username", &username)
            .field("password", &password)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transport::{Credentials, Policy};

    #[derive(Debug)]
    struct NoHooks;

    impl crate::transport::ApiHooks for NoHooks {
        fn name(&self) -> &'static str {
            "test"
        }

        fn decode_error(&self, status: reqwest::StatusCode, _: &[u8]) -> crate::error::ApiError {
            crate::error::ApiError::new(status, None, String::new(), String::new())
        }
    }

    #[test]
    fn debug_shows_the_user_and_server_and_never_the_password() {
        let transport = Transport::new(
            std::sync::Arc::new(NoHooks),
            Credentials::None,
            Policy::new(None, 1024, crate::RetryPolicy::default()),
        );
        let login = PasswordLogin::new(
            reqwest::Client::new(),
            &transport,
            "https://sensu.example.com:8080".into(),
            Some(UserPassword {
                username: "operator".into(),
                password: SecretString::from("P@ssw0rd!".to_string()),
            }),
        );
        let shown = format!("{login:?}");
        assert!(!shown.contains("P@ssw0rd!"), "{shown}");
        for part in [
            "PasswordLogin",
            "https://sensu.example.com:8080",
            "operator",
            "[redacted]",
        ] {
            assert!(shown.contains(part), "{part} missing from {shown}");
        }
    }
}
