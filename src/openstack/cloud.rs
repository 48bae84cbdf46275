//! An authenticated OpenStack cloud: one Keystone session whose token every service client shares,
//! as keystoneauth's `Session` is shared by the Python clients.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use reqwest::header::HeaderName;

use super::auth::{AuthMethod, KeystoneLogin, Scope, AUTH_TOKEN_HEADER};
use super::catalog::{self, Interface};
use super::config::{CloudBuilder, CloudSettings, DEFAULT_REFRESH_THRESHOLD, DIRECT_ENDPOINT};
use super::keystone::{self, types::CatalogService};
use super::KeystoneHooks;
use crate::auth::{secret_header, Session, Token};
use crate::config::ClientBuilder;
use crate::error::ConfigError;
use crate::transport::{ApiHooks, Credentials, Policy, Transport};
use crate::Result;

/// Keystone's usual port.
pub const KEYSTONE_PORT: u16 = 5000;
/// The request timeout unless set.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// An authenticated cloud: credentials, a token kept fresh, and the catalog.
///
/// ```no_run
/// # async fn run() -> opsclient::Result<()> {
/// use opsclient::openstack::auth::{DomainRef, ProjectRef, Scope, UserRef};
/// use opsclient::openstack::Cloud;
///
/// let cloud = Cloud::builder()
///     .url("http://127.0.0.1:5000/v3")
///     .password(UserRef::Name { name: "admin".into(), domain: DomainRef::Id("default".into()) }, "secret")
///     .scope(Scope::Project(ProjectRef::Name { name: "admin".into(), domain: DomainRef::Id("default".into()) }))
///     .region("RegionOne")
///     .authenticate()
///     .await?;
/// let same_cloud_from_env = Cloud::from_env().await?;
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct Cloud {
    // What the service clients (Watcher, Monasca) take from the cloud.
    #[cfg_attr(not(any(feature = "watcher", feature = "monasca")), allow(dead_code))]
    http: reqwest::Client,
    credentials: Credentials,
    login: Option<Arc<KeystoneLogin>>,
    keystone: Option<keystone::Client>,
    settings: Arc<CloudSettings>,
    #[cfg_attr(not(any(feature = "watcher", feature = "monasca")), allow(dead_code))]
    policy: Policy,
}

impl Cloud {
    /// A builder: Keystone's URL, a login and a scope.
    pub fn builder() -> CloudBuilder {
        ClientBuilder::with_defaults(CloudSettings::default(), KEYSTONE_PORT, DEFAULT_TIMEOUT)
    }

    /// Connects with the `OS_*` environment (or `OS_CLOUD`'s entry of `clouds.yaml`).
    pub async fn from_env() -> Result<Cloud> {
        Cloud::builder().env()?.authenticate().await
    }

    /// Connects to the cloud named `cloud` in `clouds.yaml`.
    pub async fn from_clouds_yaml(cloud: &str) -> Result<Cloud> {
        Cloud::builder().clouds_yaml(cloud)?.authenticate().await
    }

    /// The session's current token, if it logged in to Keystone. Secrets stay behind
    /// [`secrecy::ExposeSecret`]. Saved with the [`catalog`](Self::catalog), it lets a later
    /// cloud skip the login ([`CloudBuilder::resume`]).
    pub async fn token(&self) -> Option<Token> {
        match &self.credentials {
            Credentials::Session(session) => session.current().await,
            _ => None,
        }
    }

    /// When the current token expires.
    pub async fn expires_at(&self) -> Option<SystemTime> {
        self.token().await.and_then(|t| t.expires_at())
    }

    /// Logs in again now, replacing the token.
    pub async fn reauthenticate(&self) -> Result<()> {
        match &self.credentials {
            Credentials::Session(session) => session.login().await.map(drop),
            _ => {
                Err(ConfigError::Invalid("a direct-mode cloud has no Keystone login".into()).into())
            }
        }
    }

    /// The Keystone client of this cloud, authenticated with its token (for validating and
    /// revoking tokens, or listing scopes); `None` in direct mode.
    pub fn keystone(&self) -> Option<&keystone::Client> {
        self.keystone.as_ref()
    }

    /// The catalog of the latest token.
    pub fn catalog(&self) -> Vec<CatalogService> {
        self.login.as_ref().map(|l| l.catalog()).unwrap_or_default()
    }

    /// The URL of a service of one of `service_types` (a type and its aliases): the configured
    /// override, else the catalog's endpoint for the configured interface and region.
    pub fn endpoint(&self, service_types: &[&str]) -> Result<String> {
        let overrides = &self.settings.endpoints;
        let what = format!(
            "the {} endpoint",
            service_types.first().unwrap_or(&"service")
        );
        if let Some(url) = service_types
            .iter()
            .find_map(|t| overrides.get(*t))
            .or_else(|| overrides.get(DIRECT_ENDPOINT))
        {
            return Ok(crate::endpoint::base_url(url, &what)?);
        }
        if self.login.is_none() {
            return Err(ConfigError::Invalid(format!(
                "direct mode needs an endpoint for {}",
                service_types.join(" or ")
            ))
            .into());
        }
        let region = self.settings.region.as_deref();
        let url = catalog::endpoint(
            &self.catalog(),
            service_types,
            self.settings.interface,
            region,
        )?;
        // The catalog comes from the server: its URLs are held to the same rules.
        Ok(crate::endpoint::base_url(
            &url,
            &format!("{what} in the catalog"),
        )?)
    }

    /// The API version configured for a service type, if one was pinned.
    pub fn api_version(&self, service_type: &str) -> Option<&str> {
        self.settings
            .api_versions
            .get(service_type)
            .map(String::as_str)
    }

    /// The catalog interface in use.
    pub fn interface(&self) -> Interface {
        self.settings.interface
    }

    /// What a service client needs: the HTTP client and a transport sharing this cloud's
    /// credentials, under the service's hooks. Each service client has a retry budget of its
    /// own (shared by its clones), so a failing service does not stop another one's retries;
    /// Keystone's logins keep the cloud's.
    #[cfg_attr(not(any(feature = "watcher", feature = "monasca")), allow(dead_code))]
    pub(crate) fn transport(&self, hooks: Arc<dyn ApiHooks>) -> (reqwest::Client, Transport) {
        (
            self.http.clone(),
            Transport::new(
                hooks,
                self.credentials.clone(),
                self.policy.with_own_budget(),
            ),
        )
    }
}

impl CloudBuilder {
    /// Logs in to Keystone (unless in direct mode, or resuming a saved token) and returns the
    /// authenticated cloud, which keeps its token fresh. Nothing is half-done: a failed login
    /// returns the error and no cloud.
    pub async fn authenticate(self) -> Result<Cloud> {
        // Before anything is built or logged: an override with a password or a query.
        self.settings.check_endpoints()?;
        if self.settings.tokenless && !self.has_client_cert() {
            return Err(ConfigError::Invalid(
                "tokenless authentication needs a client certificate: set client_cert".into(),
            )
            .into());
        }
        let http = self.connection.http_client()?;
        let policy = self.connection.policy();
        let keystone_given = self.connection_is_set();
        let base_url = if keystone_given {
            Some(self.connection.base_url()?)
        } else {
            None
        };
        let mut settings = self.settings;
        let resumed = settings.resumed.take();
        // Direct mode: a token to use as is, when there is no Keystone to log in to.
        let direct = settings.method.is_none() || !keystone_given;
        if resumed.is_some() && (direct || settings.tokenless) {
            return Err(ConfigError::Invalid(
                "a saved token needs a Keystone URL and a login method to renew it".into(),
            )
            .into());
        }
        if let (Some(token), true) = (&settings.token, direct) {
            let header = secret_header(secrecy::ExposeSecret::expose_secret(token))?;
            return Ok(Cloud {
                http,
                credentials: Credentials::Header(HeaderName::from_static("x-auth-token"), header),
                login: None,
                keystone: None,
                settings: Arc::new(settings),
                policy,
            });
        }
        if settings.tokenless {
            return tokenless(http, base_url, settings, policy);
        }
        let method = settings.method.clone().ok_or_else(|| {
            ConfigError::Invalid(
                "no login method: set a password, token, application credential, TOTP, OpenID \
                 Connect login or tokenless"
                    .into(),
            )
        })?;
        let base_url = base_url
            .ok_or_else(|| ConfigError::Invalid("no Keystone URL: set the auth URL".into()))?;
        let keystone_base = keystone_base(&base_url);
        // Logins read their answers under the login limit, not max_body_size.
        let anonymous = keystone::Context {
            transport: Transport::new(
                Arc::new(KeystoneHooks),
                Credentials::None,
                policy.for_login(),
            ),
        };
        let login_client =
            keystone::Client::new_with_client(&keystone_base, http.clone(), anonymous);
        if let AuthMethod::Oidc(oidc) = &method {
            oidc.check()?;
        }
        let login = Arc::new(KeystoneLogin::new(
            login_client,
            method,
            settings.scope.clone(),
            keystone_base.clone(),
        ));
        let threshold = settings
            .refresh_threshold
            .unwrap_or(DEFAULT_REFRESH_THRESHOLD);
        let session = match resumed {
            Some((token, catalog)) => {
                login.keep_catalog(catalog);
                Arc::new(Session::resumed(login.clone(), threshold, token))
            }
            None => {
                let session = Arc::new(Session::new(login.clone(), threshold));
                session.login().await?;
                session
            }
        };
        let credentials = Credentials::Session(session);
        let keystone = keystone_client(&keystone_base, &http, &credentials, &policy);
        tracing::debug!(header = AUTH_TOKEN_HEADER, url = %keystone_base, "logged in to Keystone");
        Ok(Cloud {
            http,
            credentials,
            login: Some(login),
            keystone: Some(keystone),
            settings: Arc::new(settings),
            policy,
        })
    }
}

/// A Keystone client of `base_url` with `credentials`.
fn keystone_client(
    base_url: &str,
    http: &reqwest::Client,
    credentials: &Credentials,
    policy: &Policy,
) -> keystone::Client {
    let context = keystone::Context {
        transport: Transport::new(Arc::new(KeystoneHooks), credentials.clone(), policy.clone()),
    };
    keystone::Client::new_with_client(base_url, http.clone(), context)
}

/// A tokenless cloud (keystoneauth's `v3tokenlessauth`): the client certificate on every
/// request and the scope in headers; no token is fetched, so no `X-Auth-Token` is sent.
fn tokenless(
    http: reqwest::Client,
    base_url: Option<String>,
    settings: CloudSettings,
    policy: Policy,
) -> Result<Cloud> {
    let scope_headers = tokenless_headers(&settings.scope)?;
    let credentials = Credentials::Headers(scope_headers);
    let keystone =
        base_url.map(|url| keystone_client(&keystone_base(&url), &http, &credentials, &policy));
    tracing::debug!("tokenless: scope in headers, client certificate on every request");
    Ok(Cloud {
        http,
        credentials,
        login: None,
        keystone,
        settings: Arc::new(settings),
        policy,
    })
}

/// The scope headers of a tokenless request, as keystonemiddleware reads them.
pub(crate) fn tokenless_headers(
    scope: &Scope,
) -> Result<Vec<(HeaderName, reqwest::header::HeaderValue)>> {
    use super::auth::{DomainRef, ProjectRef};
    let pairs: Vec<(&'static str, &str)> = match scope {
        Scope::Project(ProjectRef::Id(id)) => vec![("x-project-id", id)],
        Scope::Project(ProjectRef::Name { name, domain }) => match domain {
            DomainRef::Id(id) => vec![("x-project-name", name), ("x-project-domain-id", id)],
            DomainRef::Name(domain) => {
                vec![("x-project-name", name), ("x-project-domain-name", domain)]
            }
        },
        Scope::Domain(DomainRef::Id(id)) => vec![("x-domain-id", id)],
        Scope::Domain(DomainRef::Name(name)) => vec![("x-domain-name", name)],
        Scope::Default | Scope::Unscoped | Scope::System => {
            return Err(ConfigError::Invalid(
                "tokenless authentication needs a project or domain scope".into(),
            )
            .into())
        }
    };
    pairs
        .into_iter()
        .map(|(name, value)| {
            let value = reqwest::header::HeaderValue::from_str(value).map_err(|_| {
                ConfigError::Invalid(format!("{name} {value:?} cannot be sent in a header"))
            })?;
            Ok((HeaderName::from_static(name), value))
        })
        .collect()
}

/// Keystone's URLs are usually given with `/v3`; the generated paths start with it.
fn keystone_base(auth_url: &str) -> String {
    let trimmed = auth_url.trim_end_matches('/');
    trimmed.strip_suffix("/v3").unwrap_or(trimmed).to_string()
}

#[cfg(test)]
mod tests {
    use super::keystone_base;

    #[test]
    fn keystone_urls_lose_their_version() {
        assert_eq!(
            keystone_base("http://127.0.0.1:5000/v3/"),
            "http://127.0.0.1:5000"
        );
        assert_eq!(
            keystone_base("https://cloud/identity/v3"),
            "https://cloud/identity"
        );
        assert_eq!(
            keystone_base("http://127.0.0.1:5000"),
            "http://127.0.0.1:5000"
        );
    }
}
