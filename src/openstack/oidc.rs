//! OpenID Connect logins through Keystone federation, as keystoneauth's `v3oidc*` plugins do
//! them: an access token from the identity provider's token endpoint (or given), presented to
//! Keystone's `OS-FEDERATION` endpoint for an unscoped token, which the login then rescopes.
//!
//! ```no_run
//! # #[cfg(feature = "watcher")]
//! # async fn run() -> opsclient::Result<()> {
//! use opsclient::openstack::auth::{DomainRef, ProjectRef, Scope};
//! use opsclient::openstack::oidc::Oidc;
//! use opsclient::openstack::Cloud;
//!
//! let login = Oidc::client_credentials("myidp", "openid", "opsclient", "client-secret")
//!     .discovery_endpoint("https://idp.example.com/.well-known/openid-configuration");
//! let cloud = Cloud::builder()
//!     .url("https://keystone.example.com:5000/v3")
//!     .oidc(login)
//!     .scope(Scope::Project(ProjectRef::Name {
//!         name: "ops".into(),
//!         domain: DomainRef::Id("default".into()),
//!     }))
//!     .authenticate()
//!     .await?;
//! # Ok(()) }
//! ```

use std::fmt;
use std::sync::Mutex;

use reqwest::header::{HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE};
use reqwest::StatusCode;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

use crate::auth::{basic_header, secret_header};
use crate::error::{ApiError, ConfigError, Error, InvalidInput};
use crate::transport::{Answer, Call, Transport};
use crate::Result;

/// keystoneauth's default `openid_scope`.
pub const DEFAULT_OPENID_SCOPE: &str = "openid profile";
/// keystoneauth's default `access_token_type`: which field of the token answer is presented.
pub const DEFAULT_ACCESS_TOKEN_TYPE: &str = "access_token";

/// Where the identity provider's token endpoint is found.
#[derive(Clone, PartialEq, Eq)]
pub enum TokenEndpoint {
    /// The provider's discovery document (`…/.well-known/openid-configuration`), which names it.
    Discovery(String),
    /// The token endpoint itself (`access_token_endpoint`).
    Direct(String),
}

impl fmt::Debug for TokenEndpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Shown without credentials or query, which `Oidc::check` refuses later.
        match self {
            TokenEndpoint::Discovery(url) => f
                .debug_tuple("Discovery")
                .field(&crate::endpoint::display(url))
                .finish(),
            TokenEndpoint::Direct(url) => f
                .debug_tuple("Direct")
                .field(&crate::endpoint::display(url))
                .finish(),
        }
    }
}

/// How the access token is obtained.
#[derive(Clone)]
pub enum OidcFlow {
    /// `v3oidcclientcredentials`: the client's own credentials.
    ClientCredentials,
    /// `v3oidcpassword`: a user's name and password (the resource-owner password grant).
    Password {
        /// The user at the identity provider.
        username: String,
        /// Their password.
        password: SecretString,
    },
    /// `v3oidcauthcode`: an authorization code the user got by logging in to the provider.
    /// A code works once; the refresh token it brings renews the login after that.
    AuthorizationCode {
        /// The code.
        code: SecretString,
        /// The redirect URI the code was issued for.
        redirect_uri: String,
    },
    /// `v3oidcaccesstoken`: an access token obtained elsewhere. It cannot be renewed: once it
    /// expires, a new login fails with an error that says so.
    AccessToken(SecretString),
}

/// An OpenID Connect login: which identity provider and protocol Keystone knows it by, the flow,
/// and the provider's client settings.
#[derive(Clone)]
pub struct Oidc {
    pub(crate) identity_provider: String,
    pub(crate) protocol: String,
    pub(crate) flow: OidcFlow,
    pub(crate) client_id: Option<String>,
    pub(crate) client_secret: Option<SecretString>,
    pub(crate) token_endpoint: Option<TokenEndpoint>,
    pub(crate) openid_scope: String,
    pub(crate) access_token_type: String,
}

impl Oidc {
    fn new(identity_provider: &str, protocol: &str, flow: OidcFlow) -> Oidc {
        Oidc {
            identity_provider: identity_provider.into(),
            protocol: protocol.into(),
            flow,
            client_id: None,
            client_secret: None,
            token_endpoint: None,
            openid_scope: DEFAULT_OPENID_SCOPE.into(),
            access_token_type: DEFAULT_ACCESS_TOKEN_TYPE.into(),
        }
    }

    fn client(mut self, client_id: &str, client_secret: impl Into<String>) -> Oidc {
        self.client_id = Some(client_id.into());
        self.client_secret = Some(SecretString::from(client_secret.into()));
        self
    }

    /// The client credentials flow (`v3oidcclientcredentials`).
    pub fn client_credentials(
        identity_provider: &str,
        protocol: &str,
        client_id: &str,
        client_secret: impl Into<String>,
    ) -> Oidc {
        Oidc::new(identity_provider, protocol, OidcFlow::ClientCredentials)
            .client(client_id, client_secret)
    }

    /// The resource-owner password flow (`v3oidcpassword`).
    pub fn password(
        identity_provider: &str,
        protocol: &str,
        client_id: &str,
        client_secret: impl Into<String>,
        username: &str,
        password: impl Into<String>,
    ) -> Oidc {
        let flow = OidcFlow::Password {
            username: username.into(),
            password: SecretString::from(password.into()),
        };
        Oidc::new(identity_provider, protocol, flow).client(client_id, client_secret)
    }

    /// The authorization code flow (`v3oidcauthcode`), with a code already obtained.
    pub fn authorization_code(
        identity_provider: &str,
        protocol: &str,
        client_id: &str,
        client_secret: impl Into<String>,
        code: impl Into<String>,
        redirect_uri: &str,
    ) -> Oidc {
        let flow = OidcFlow::AuthorizationCode {
            code: SecretString::from(code.into()),
            redirect_uri: redirect_uri.into(),
        };
        Oidc::new(identity_provider, protocol, flow).client(client_id, client_secret)
    }

    /// The access token flow (`v3oidcaccesstoken`), with a token already obtained.
    pub fn access_token(
        identity_provider: &str,
        protocol: &str,
        access_token: impl Into<String>,
    ) -> Oidc {
        let flow = OidcFlow::AccessToken(SecretString::from(access_token.into()));
        Oidc::new(identity_provider, protocol, flow)
    }

    /// Find the token endpoint in the provider's discovery document.
    pub fn discovery_endpoint(mut self, url: impl Into<String>) -> Oidc {
        self.token_endpoint = Some(TokenEndpoint::Discovery(url.into()));
        self
    }

    /// Use this token endpoint (keystoneauth's `access_token_endpoint`); it wins over discovery.
    pub fn access_token_endpoint(mut self, url: impl Into<String>) -> Oidc {
        self.token_endpoint = Some(TokenEndpoint::Direct(url.into()));
        self
    }

    /// The scopes asked of the provider; `openid profile` unless set.
    pub fn openid_scope(mut self, scope: impl Into<String>) -> Oidc {
        self.openid_scope = scope.into();
        self
    }

    /// Which token of the provider's answer Keystone gets: `access_token` (the default) or
    /// `id_token`.
    pub fn access_token_type(mut self, field: impl Into<String>) -> Oidc {
        self.access_token_type = field.into();
        self
    }

    /// The flow.
    pub fn flow(&self) -> &OidcFlow {
        &self.flow
    }

    /// Refuses settings that cannot log in, before anything is sent.
    pub(crate) fn check(&self) -> Result<(), ConfigError> {
        let invalid = |m: &str| Err(ConfigError::Invalid(format!("OpenID Connect login: {m}")));
        // Both are required, and both are segments of Keystone's federation URL.
        for (name, value) in [
            ("identity_provider", &self.identity_provider),
            ("protocol", &self.protocol),
        ] {
            if let Some(problem) = crate::endpoint::path_segment_problem(value) {
                return invalid(&format!("{name} {problem}"));
            }
        }
        if !matches!(self.access_token_type.as_str(), "access_token" | "id_token") {
            return invalid("access_token_type is access_token or id_token");
        }
        if matches!(self.flow, OidcFlow::AccessToken(_)) {
            return Ok(());
        }
        if self.client_id.as_deref().is_none_or(str::is_empty) {
            return invalid("client_id is required");
        }
        if self.client_secret.is_none() {
            return invalid("client_secret is required");
        }
        match &self.token_endpoint {
            None => invalid("give discovery_endpoint or access_token_endpoint"),
            Some(TokenEndpoint::Discovery(url) | TokenEndpoint::Direct(url)) => {
                crate::endpoint::base_url(url, "the identity provider's endpoint").map(drop)
            }
        }
    }
}

impl fmt::Debug for Oidc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let flow = match &self.flow {
            OidcFlow::ClientCredentials => "client_credentials",
            OidcFlow::Password { .. } => "password",
            OidcFlow::AuthorizationCode { .. } => "authorization_code",
            OidcFlow::AccessToken(_) => "access_token",
        };
        f.debug_struct("Oidc")
            .field("identity_provider", &self.identity_provider)
            .field("protocol", &self.protocol)
            .field("flow", &flow)
            .field("client_id", &self.client_id)
            .field(
                "client_secret",
                &self.client_secret.as_ref().map(|_| "[redacted]"),
            )
            .field("token_endpoint", &self.token_endpoint)
            .field("openid_scope", &self.openid_scope)
            .finish_non_exhaustive()
    }
}

/// What a login learns and keeps: the discovered token endpoint, whether the one-time code
/// was used, and the refresh token that renews an authorization-code login.
#[derive(Default)]
pub(crate) struct OidcState {
    token_endpoint: Option<String>,
    code_used: bool,
    refresh_token: Option<SecretString>,
}

/// The provider's answer to a token request.
#[derive(Deserialize)]
struct TokenAnswer {
    access_token: Option<String>,
    id_token: Option<String>,
    refresh_token: Option<String>,
}

/// The part of the discovery document a login needs.
#[derive(Deserialize)]
struct Discovery {
    token_endpoint: String,
}

/// An OAuth 2.0 error answer (RFC 6749 §5.2).
#[derive(Deserialize)]
struct OAuthError {
    error: String,
    error_description: Option<String>,
}

/// The identity provider's error, as the crate's error: a missing endpoint is `NotFound`, bad
/// client or user credentials and a used or expired grant are `Unauthorized`, other refusals
/// `InvalidInput`.
fn provider_error(status: StatusCode, body: &[u8]) -> Error {
    let excerpt = String::from_utf8_lossy(&body[..body.len().min(512)]).into_owned();
    let Ok(oauth) = serde_json::from_slice::<OAuthError>(body) else {
        let message = format!("the identity provider answered {status}");
        return Error::from_api(ApiError::new(status, None, message, excerpt));
    };
    let mut message = format!("the identity provider refused the login: {}", oauth.error);
    if let Some(description) = oauth.error_description.filter(|d| !d.is_empty()) {
        message.push_str(&format!(" ({description})"));
    }
    let error = ApiError::new(status, None, message, excerpt);
    if status == StatusCode::NOT_FOUND || status.is_server_error() {
        // No such endpoint, or the provider failed: the status says more than the code.
        return Error::from_api(error);
    }
    match oauth.error.as_str() {
        "invalid_client" | "invalid_grant" | "unauthorized_client" | "access_denied" => {
            Error::Unauthorized(error)
        }
        _ if status == StatusCode::UNAUTHORIZED => Error::Unauthorized(error),
        _ => Error::InvalidInput(InvalidInput::Server(error)),
    }
}

/// Talks to the identity provider for one login, through Keystone's login pipeline.
pub(crate) struct Provider<'a> {
    pub(crate) http: &'a reqwest::Client,
    pub(crate) transport: &'a Transport,
    pub(crate) oidc: &'a Oidc,
    pub(crate) state: &'a Mutex<OidcState>,
}

impl Provider<'_> {
    /// The access token to present to Keystone.
    pub(crate) async fn access_token(&self) -> Result<SecretString> {
        let form = match &self.oidc.flow {
            OidcFlow::AccessToken(token) => return Ok(token.clone()),
            OidcFlow::ClientCredentials => vec![("grant_type", "client_credentials".to_string())],
            OidcFlow::Password { username, password } => vec![
                ("grant_type", "password".to_string()),
                ("username", username.clone()),
                ("password", password.expose_secret().to_string()),
            ],
            OidcFlow::AuthorizationCode { code, redirect_uri } => {
                let (used, refresh) = self
                    .state
                    .lock()
                    .map(|s| (s.code_used, s.refresh_token.clone()))
                    .unwrap_or((true, None));
                match (used, refresh) {
                    (_, Some(refresh)) => vec![
                        ("grant_type", "refresh_token".to_string()),
                        ("refresh_token", refresh.expose_secret().to_string()),
                    ],
                    (false, None) => vec![
                        ("grant_type", "authorization_code".to_string()),
                        ("code", code.expose_secret().to_string()),
                        ("redirect_uri", redirect_uri.clone()),
                    ],
                    (true, None) => {
                        return Err(ConfigError::Invalid(
                            "the authorization code was used and the identity provider gave no \
                             refresh token: log in again with a new code"
                                .into(),
                        )
                        .into())
                    }
                }
            }
        };
        let endpoint = self.token_endpoint().await?;
        let body = {
            let mut body = url::form_urlencoded::Serializer::new(String::new());
            for (key, value) in &form {
                body.append_pair(key, value);
            }
            body.append_pair("scope", &self.oidc.openid_scope);
            body.finish()
        };
        let secret = self.oidc.client_secret.clone().unwrap_or_default();
        let client_id = self.oidc.client_id.as_deref().unwrap_or_default();
        let request = self
            .http
            .post(&endpoint)
            .header(AUTHORIZATION, basic_header(client_id, &secret)?)
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(ACCEPT, "application/json")
            .body(body)
            .build()
            .map_err(Error::from_reqwest)?;
        let answer = self.ask("token", request).await?;
        let status = answer.status;
        let answer: TokenAnswer = answer.token_json()?;
        if let Ok(mut state) = self.state.lock() {
            if matches!(self.oidc.flow, OidcFlow::AuthorizationCode { .. }) {
                state.code_used = true;
                if let Some(refresh) = answer.refresh_token.filter(|r| !r.is_empty()) {
                    state.refresh_token = Some(SecretString::from(refresh));
                }
            }
        }
        let token = match self.oidc.access_token_type.as_str() {
            "id_token" => answer.id_token,
            _ => answer.access_token,
        }
        .filter(|t| !t.is_empty())
        .ok_or_else(|| {
            Error::malformed(
                Some(status),
                format!("the token answer has no {}", self.oidc.access_token_type),
                b"",
            )
        })?;
        Ok(SecretString::from(token))
    }

    /// Sends `request` to the identity provider, as `operation` in its span; a 200 is an
    /// answer, any other status the provider's error.
    async fn ask(&self, operation: &'static str, request: reqwest::Request) -> Result<Answer> {
        let call = Call {
            api: Some(IDENTITY_PROVIDER),
            // RFC 6749 and OpenID Connect Discovery answer 200; the default accepts only it.
            refusal: Some(&provider_error),
            ..Call::new(operation, "")
        };
        self.transport.call(self.http, call, request).await
    }

    /// The token endpoint: given, or read once from the discovery document.
    async fn token_endpoint(&self) -> Result<String> {
        let discovery = match &self.oidc.token_endpoint {
            Some(TokenEndpoint::Direct(url)) => return Ok(url.clone()),
            Some(TokenEndpoint::Discovery(url)) => url,
            None => return Err(ConfigError::Invalid("no token endpoint".into()).into()),
        };
        if let Some(known) = self
            .state
            .lock()
            .ok()
            .and_then(|s| s.token_endpoint.clone())
        {
            return Ok(known);
        }
        let request = self
            .http
            .get(discovery)
            .header(ACCEPT, "application/json")
            .build()
            .map_err(Error::from_reqwest)?;
        let document: Discovery = self
            .ask("discovery", request)
            .await?
            .json("discovery document")?;
        // The endpoint comes from the server: held to the same rules as configured URLs.
        let endpoint = crate::endpoint::base_url(
            &document.token_endpoint,
            "the discovery document's token_endpoint",
        )?;
        if let Ok(mut state) = self.state.lock() {
            state.token_endpoint = Some(endpoint.clone());
        }
        Ok(endpoint)
    }
}

/// The federation URL of Keystone at `keystone_base` for an identity provider and protocol.
/// The federation endpoint's path template, for spans.
pub(crate) const FEDERATION_TEMPLATE: &str =
    "/v3/OS-FEDERATION/identity_providers/{idp_id}/protocols/{protocol_id}/auth";

/// The API name of requests to the identity provider, in spans.
const IDENTITY_PROVIDER: &str = "openid_connect";

pub(crate) fn federation_url(keystone_base: &str, oidc: &Oidc) -> Result<String> {
    let mut url = url::Url::parse(keystone_base)
        .map_err(|e| ConfigError::Invalid(format!("Keystone's URL: {e}")))?;
    url.path_segments_mut()
        .map_err(|()| ConfigError::Invalid("Keystone's URL cannot take a path".into()))?
        .pop_if_empty()
        .extend([
            "v3",
            "OS-FEDERATION",
            "identity_providers",
            &oidc.identity_provider,
            "protocols",
            &oidc.protocol,
            "auth",
        ]);
    Ok(url.into())
}

/// `Authorization: Bearer …`, marked sensitive.
pub(crate) fn bearer(token: &SecretString) -> Result<HeaderValue> {
    secret_header(&format!("Bearer {}", token.expose_secret()))
}

/// Keystone's refusal of a given access token, said plainly: this flow cannot get another.
pub(crate) fn access_token_refused(error: Error) -> Error {
    match error {
        Error::Unauthorized(mut e) => {
            e.message = format!(
                "Keystone refused the OpenID Connect access token (expired or revoked?); an \
                 access-token login cannot renew it, so give a new access token: {}",
                e.message
            );
            Error::Unauthorized(e)
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_stay_out_of_debug() {
        let oidc = Oidc::password(
            "idp",
            "openid",
            "cli",
            "client-s3cret",
            "ann",
            "user-s3cret",
        )
        .discovery_endpoint("https://idp/.well-known/openid-configuration");
        let text = format!("{oidc:?}");
        assert!(!text.contains("s3cret"), "{text}");
        assert!(text.contains("password") && text.contains("idp"), "{text}");
        let token = Oidc::access_token("idp", "openid", "eyJ-token-s3cret");
        assert!(!format!("{token:?}").contains("s3cret"));
        // Endpoints are shown without credentials or query, before `check` refuses them.
        for oidc in [
            Oidc::client_credentials("idp", "openid", "cli", "s")
                .discovery_endpoint("https://u:url-s3cret@idp/.well-known?k=query-s3cret"),
            Oidc::client_credentials("idp", "openid", "cli", "s")
                .access_token_endpoint("https://u:url-s3cret@idp/token?k=query-s3cret"),
        ] {
            let text = format!("{oidc:?}");
            assert!(!text.contains("s3cret"), "{text}");
            assert!(text.contains("https://idp/"), "{text}");
        }
    }

    #[test]
    fn settings_that_cannot_log_in_are_refused_before_sending() {
        let no_endpoint = Oidc::client_credentials("idp", "openid", "cli", "s");
        assert!(no_endpoint
            .check()
            .unwrap_err()
            .to_string()
            .contains("discovery_endpoint"));
        let bad_type = Oidc::access_token("idp", "openid", "t").access_token_type("saml");
        assert!(bad_type.check().is_err());
        let with_password_in_url = Oidc::client_credentials("idp", "openid", "cli", "s")
            .access_token_endpoint("https://user:pw@idp/token");
        assert!(with_password_in_url.check().is_err());
        assert!(Oidc::access_token("idp", "openid", "t").check().is_ok());
        // The names become segments of Keystone's federation URL, where `..` would vanish.
        for (idp, protocol, name) in [
            ("..", "openid", "identity_provider"),
            (".", "openid", "identity_provider"),
            ("idp", "..", "protocol"),
        ] {
            let error = Oidc::access_token(idp, protocol, "t")
                .check()
                .unwrap_err()
                .to_string();
            assert!(
                error.contains(&format!("{name} is a dot segment")),
                "{error}"
            );
        }
        for (idp, protocol, name) in [("", "openid", "identity_provider"), ("idp", "", "protocol")]
        {
            let error = Oidc::access_token(idp, protocol, "t")
                .check()
                .unwrap_err()
                .to_string();
            assert!(error.contains(&format!("{name} is empty")), "{error}");
        }
    }

    #[test]
    fn the_federation_url_escapes_its_names() {
        let oidc = Oidc::access_token("my idp", "openid", "t");
        assert_eq!(
            federation_url("http://127.0.0.1:5000/identity", &oidc).unwrap(),
            "http://127.0.0.1:5000/identity/v3/OS-FEDERATION/identity_providers/my%20idp/protocols/openid/auth"
        );
    }

    #[test]
    fn a_token_answer_that_does_not_decode_shows_none_of_its_tokens() {
        let body = br#"{"access_token": "eyJ-s3cret", "id_token": 7, "refresh_token": "r-s3cret"}"#;
        let answer = crate::transport::Answer {
            status: StatusCode::OK,
            headers: Default::default(),
            body: bytes::Bytes::from_static(body),
        };
        let Err(error) = answer.token_json::<TokenAnswer>() else {
            panic!("an id_token that is a number does not decode");
        };
        let text = format!("{error}{error:?}");
        assert!(matches!(error, Error::UnexpectedResponse(_)), "{text}");
        assert!(!text.contains("s3cret"), "{text}");
    }

    #[test]
    fn provider_errors_are_typed() {
        let bad_client = provider_error(
            StatusCode::UNAUTHORIZED,
            br#"{"error":"invalid_client","error_description":"client authentication failed"}"#,
        );
        assert!(
            matches!(bad_client, Error::Unauthorized(ref e) if e.message.contains("invalid_client"))
        );
        // The provider's description is part of the message; an empty one adds nothing.
        assert!(bad_client
            .to_string()
            .contains("invalid_client (client authentication failed)"));
        let empty = provider_error(
            StatusCode::BAD_REQUEST,
            br#"{"error":"invalid_grant","error_description":""}"#,
        );
        assert!(!empty.to_string().contains("()"), "{empty}");
        // A wrong password comes as 400 invalid_grant; any code on a 401 is a refusal too.
        let bad_password = provider_error(StatusCode::BAD_REQUEST, br#"{"error":"invalid_grant"}"#);
        assert!(
            matches!(bad_password, Error::Unauthorized(_)),
            "{bad_password:?}"
        );
        let other_on_401 =
            provider_error(StatusCode::UNAUTHORIZED, br#"{"error":"invalid_token"}"#);
        assert!(
            matches!(other_on_401, Error::Unauthorized(_)),
            "{other_on_401:?}"
        );
        let bad_scope = provider_error(StatusCode::BAD_REQUEST, br#"{"error":"invalid_scope"}"#);
        assert!(matches!(bad_scope, Error::InvalidInput(_)));
        let html = provider_error(StatusCode::BAD_GATEWAY, b"<html>");
        assert!(matches!(html, Error::Api(_)));
    }
}
