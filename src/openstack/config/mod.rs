//! Cloud settings: what a [`CloudBuilder`] holds, and its setters. The loader (`loader.rs`)
//! fills the same settings from `clouds.yaml` (with `secure.yaml` merged over it) or from `OS_*`
//! environment variables, as openstacksdk and the Python clients read them.

mod clouds_yaml;
mod loader;

use std::collections::BTreeMap;
use std::time::Duration;

use secrecy::SecretString;

use super::auth::{ApplicationCredentialRef, AuthMethod, Passcode, Scope, UserRef};
use super::catalog::Interface;
use super::keystone::types::CatalogService;
use super::oidc::Oidc;
use crate::auth::Token;
use crate::config::ClientBuilder;
use crate::error::ConfigError;
use crate::Result;

/// How long before expiry a Keystone token is renewed, unless set.
pub const DEFAULT_REFRESH_THRESHOLD: Duration = Duration::from_secs(10);

/// OpenStack settings of a [`CloudBuilder`].
#[derive(Clone, Default)]
pub struct CloudSettings {
    pub(crate) method: Option<AuthMethod>,
    pub(crate) scope: Scope,
    pub(crate) token: Option<SecretString>,
    pub(crate) region: Option<String>,
    pub(crate) interface: Interface,
    /// Endpoint per service type, bypassing the catalog.
    pub(crate) endpoints: BTreeMap<String, String>,
    /// API version per service type (`infra-optim` → `1.7`).
    pub(crate) api_versions: BTreeMap<String, String>,
    pub(crate) refresh_threshold: Option<Duration>,
    /// Tokenless: the client certificate authenticates, the scope travels in headers.
    pub(crate) tokenless: bool,
    /// A token saved from an earlier session, and its catalog, to start from.
    pub(crate) resumed: Option<(Token, Vec<CatalogService>)>,
}

impl std::fmt::Debug for CloudSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // An endpoint may carry a password or a query until `authenticate` refuses it.
        let endpoints: BTreeMap<&str, String> = self
            .endpoints
            .iter()
            .map(|(service, url)| (service.as_str(), crate::endpoint::display(url)))
            .collect();
        f.debug_struct("CloudSettings")
            .field("method", &self.method)
            .field("scope", &self.scope)
            .field("token", &self.token)
            .field("region", &self.region)
            .field("interface", &self.interface)
            .field("endpoints", &endpoints)
            .field("api_versions", &self.api_versions)
            .field("refresh_threshold", &self.refresh_threshold)
            .field("tokenless", &self.tokenless)
            .field("resumed", &self.resumed.as_ref().map(|(token, _)| token))
            .finish()
    }
}

impl CloudSettings {
    /// Refuses an endpoint override with credentials or a query (or that is no URL), naming
    /// the setting; the message never repeats the URL's secrets.
    pub(crate) fn check_endpoints(&self) -> Result<(), ConfigError> {
        for (service, url) in &self.endpoints {
            let what = if service == DIRECT_ENDPOINT {
                "the endpoint of every service (OS_ENDPOINT, clouds.yaml's endpoint)".to_string()
            } else {
                format!("the endpoint override of {service}")
            };
            crate::endpoint::base_url(url, &what)?;
        }
        Ok(())
    }
}

/// Builds a [`super::Cloud`]: Keystone's URL (`.url(..)`), a login method, a scope, and where
/// services answer. See [`super::Cloud::builder`].
pub type CloudBuilder = ClientBuilder<CloudSettings>;

impl CloudBuilder {
    /// Log in with a user and password.
    pub fn password(mut self, user: UserRef, password: impl Into<String>) -> Self {
        self.settings.method = Some(AuthMethod::Password {
            user,
            password: SecretString::from(password.into()),
        });
        self
    }

    /// Log in with an application credential (it carries its own project scope).
    pub fn application_credential(
        mut self,
        credential: ApplicationCredentialRef,
        secret: impl Into<String>,
    ) -> Self {
        self.settings.method = Some(AuthMethod::ApplicationCredential {
            credential,
            secret: SecretString::from(secret.into()),
        });
        self
    }

    /// Starts from a token saved from an earlier session ([`Cloud::token`](super::Cloud::token))
    /// and the catalog that came with it ([`Cloud::catalog`](super::Cloud::catalog)) instead of
    /// logging in: [`authenticate`](ClientBuilder::authenticate) then sends nothing. The token is
    /// used until it is due for renewal, and then, or when a service refuses it, the cloud logs
    /// in with its login method as usual. Save the token again when it has changed.
    ///
    /// Give it only to a builder whose [`login_identity`](Self::login_identity) is the one the
    /// token was saved with. It needs a Keystone URL and a login method; in direct or tokenless
    /// mode it is a [`ConfigError`].
    pub fn resume(mut self, token: Token, catalog: Vec<CatalogService>) -> Self {
        self.settings.resumed = Some((token, catalog));
        self
    }

    /// What the tokens of this builder's login are issued for, with no secret in it: Keystone's
    /// URL, the user or application credential that logs in, and the scope. A token saved
    /// under one identity may be resumed by a builder with the same one. `None` when tokens
    /// cannot be told apart this way: logins with a token (its identity is the secret) or
    /// OpenID Connect, tokenless and direct mode, and no Keystone URL.
    pub fn login_identity(&self) -> Option<String> {
        if self.settings.tokenless || !self.connection_is_set() {
            return None;
        }
        let url = self.connection.base_url().ok()?;
        let who = match self.settings.method.as_ref()? {
            AuthMethod::Password { user, .. } | AuthMethod::Totp { user, .. } => {
                format!("user {user:?}")
            }
            AuthMethod::ApplicationCredential { credential, .. } => {
                format!("application credential {credential:?}")
            }
            AuthMethod::Token(_) | AuthMethod::Oidc(_) => return None,
        };
        Some(format!("{url} {who} scope {:?}", self.settings.scope))
    }

    /// Log in with a TOTP passcode.
    pub fn totp(mut self, user: UserRef, passcode: Passcode) -> Self {
        self.settings.method = Some(AuthMethod::Totp { user, passcode });
        self
    }

    /// With a URL: log in to Keystone with this token (rescoping it). Without one: use it as is
    /// ("direct mode", no Keystone at all; give each service's endpoint with
    /// [`endpoint`](Self::endpoint)).
    pub fn token(mut self, token: impl Into<String>) -> Self {
        let token = SecretString::from(token.into());
        self.settings.method = Some(AuthMethod::Token(token.clone()));
        self.settings.token = Some(token);
        self
    }

    /// Log in through OpenID Connect and Keystone federation (any of the four flows of
    /// [`Oidc`]).
    pub fn oidc(mut self, login: Oidc) -> Self {
        self.settings.method = Some(AuthMethod::Oidc(Box::new(login)));
        self.settings.tokenless = false;
        self
    }

    /// Tokenless authentication (keystoneauth's `v3tokenlessauth`): the client certificate
    /// (set it with [`client_cert`](Self::client_cert)) on every request and the
    /// [`scope`](Self::scope), a project or domain, in headers. No token is fetched, and the
    /// catalog is not available: give each service's [`endpoint`](Self::endpoint).
    pub fn tokenless(mut self) -> Self {
        self.settings.method = None;
        self.settings.tokenless = true;
        self
    }

    /// What the token is for. Defaults to Keystone's choice (the user's default project).
    pub fn scope(mut self, scope: Scope) -> Self {
        self.settings.scope = scope;
        self
    }

    /// The catalog region to use.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.settings.region = Some(region.into());
        self
    }

    /// The catalog interface to use (public by default).
    pub fn interface(mut self, interface: Interface) -> Self {
        self.settings.interface = interface;
        self
    }

    /// Where a service answers, instead of the catalog's URL (`service_type` e.g. `infra-optim`
    /// or `monitoring`).
    pub fn endpoint(mut self, service_type: impl Into<String>, url: impl Into<String>) -> Self {
        self.settings
            .endpoints
            .insert(service_type.into(), url.into());
        self
    }

    /// The API version to use for a service (e.g. `infra-optim` → `1.5`); the client then never
    /// negotiates another.
    pub fn api_version(
        mut self,
        service_type: impl Into<String>,
        version: impl Into<String>,
    ) -> Self {
        self.settings
            .api_versions
            .insert(service_type.into(), version.into());
        self
    }

    /// How long before expiry the token is renewed. Defaults to 10 s.
    pub fn refresh_threshold(mut self, threshold: Duration) -> Self {
        self.settings.refresh_threshold = Some(threshold);
        self
    }
}

/// Where an endpoint given without a service type (`OS_ENDPOINT`) is kept; it serves any service.
pub(crate) const DIRECT_ENDPOINT: &str = "*";
