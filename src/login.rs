//! What every username-and-password token API (Sensu, saltant) shares: the server and user a
//! login provider talks to, and its login requests, which take the transport's pipeline with
//! no session credentials and read their small answers under the login limit.
//!
//! These requests do not use the generated methods, because the generated methods ask the
//! session for a token, and the session is what is being renewed.

use reqwest::header::{HeaderValue, AUTHORIZATION};
use reqwest::Method;
use secrecy::SecretString;

use crate::error::Error;
use crate::transport::{Answer, Call, Transport};
use crate::Result;

/// A user's login to one server, and the pipeline its requests take.
pub(crate) struct PasswordLogin {
    http: reqwest::Client,
    transport: Transport,
    base_url: String,
    pub(crate) username: String,
    pub(crate) password: SecretString,
}

impl PasswordLogin {
    /// A login to `base_url` through `client`'s transport: its API hooks, retries and
    /// timeout, with no credentials and the login body limit.
    pub(crate) fn new(
        http: reqwest::Client,
        client: &Transport,
        base_url: String,
        username: String,
        password: SecretString,
    ) -> Self {
        PasswordLogin {
            http,
            transport: client.for_login(),
            base_url,
            username,
            password,
        }
    }

    /// Sends `method path` (the path appended to the base URL) with `authorization` and a JSON
    /// `body`, as `call`, and reads the accepted answer.
    pub(crate) async fn send(
        &self,
        call: Call<'_>,
        method: Method,
        path: &str,
        authorization: Option<HeaderValue>,
        body: Option<&serde_json::Value>,
    ) -> Result<Answer> {
        let mut request = self
            .http
            .request(method, format!("{}{path}", self.base_url));
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
        f.debug_struct("PasswordLogin")
            .field("base_url", &self.base_url)
            .field("username", &self.username)
            .field("password", &"[redacted]")
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

        fn decode_error(&self, status: reqwest::StatusCode, body: &[u8]) -> crate::error::ApiError {
            crate::error::ApiError::new(status, None, "refused".into(), excerpt(body))
        }
    }

    fn excerpt(body: &[u8]) -> String {
        String::from_utf8_lossy(body).into_owned()
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
            "operator".into(),
            SecretString::from("P@ssw0rd!".to_string()),
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
