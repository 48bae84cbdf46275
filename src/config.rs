//! Connection settings shared by every API's client builder: where the server is, how to trust
//! it, and how long to wait.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderValue, ACCEPT_ENCODING};

use crate::env::{Lookup, Vars};
use crate::error::ConfigError;
use crate::hook::{Hooks, RequestHook};
use crate::proxy::ProxySetting;
use crate::retry::RetryPolicy;
use crate::transport::{Policy, DEFAULT_MAX_BODY_SIZE};
use crate::Result;

pub use crate::trust::TrustStore;

/// The user agent sent unless one is set.
pub const DEFAULT_USER_AGENT: &str = concat!("opsclient/", env!("CARGO_PKG_VERSION"));

/// The encodings a client accepts unless [`ClientBuilder::compression`] turns them off; it
/// decodes each of them.
pub const ACCEPTED_ENCODINGS: &str = "gzip, br, zstd";

/// Where and how to connect. Every API's builder embeds one; its setters are on [`ClientBuilder`].
#[derive(Clone)]
pub(crate) struct Connection {
    url: Option<String>,
    host: Option<String>,
    port: u16,
    use_ssl: bool,
    ca_file: Option<PathBuf>,
    trust_store: TrustStore,
    proxy: ProxySetting,
    /// PEM files of the client certificate and its private key (mutual TLS).
    client_cert: Option<(PathBuf, PathBuf)>,
    ignore_cert: bool,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    user_agent: String,
    retry: RetryPolicy,
    max_body_size: usize,
    compression: bool,
    hooks: Hooks,
}

/// What a client is made of, from its builder's connection settings.
#[cfg_attr(not(any(feature = "sensu", feature = "saltant")), allow(dead_code))]
pub(crate) struct Parts {
    pub(crate) base_url: String,
    pub(crate) http: reqwest::Client,
    pub(crate) policy: Policy,
}

/// The environment variables of an API whose builder reads them (its public `env` and
/// `env_from`), beside the connection's.
#[cfg_attr(not(any(feature = "sensu", feature = "saltant")), allow(dead_code))]
pub(crate) trait ApiEnv: Sized {
    /// The variable with the server's URL, required unless a URL or host is already set.
    const URL_VARIABLE: &'static str;

    /// Applies the API's other variables.
    fn apply(builder: ClientBuilder<Self>, vars: &Vars<'_>) -> Result<ClientBuilder<Self>>;
}

#[cfg_attr(not(any(feature = "sensu", feature = "saltant")), allow(dead_code))]
impl<S> ClientBuilder<S> {
    /// Applies the API's environment variables, read through `lookup`: the URL, then the rest.
    pub(crate) fn read_env(self, lookup: Lookup<'_>) -> Result<Self>
    where
        S: ApiEnv,
    {
        let vars = Vars::new(lookup);
        S::apply(self.url_from(&vars, S::URL_VARIABLE)?, &vars)
    }
}

/// Builds a client for one API. The connection setters are shared by all APIs; each API adds
/// its own (credentials, namespace, ...) and its `build()`.
///
/// A full URL wins over host, port and `use_ssl`.
///
/// ```
/// # #[cfg(feature = "sensu")] {
/// use std::time::Duration;
/// let client = opsclient::sensu::Client::builder()
///     .host("sensu.example.com")
///     .use_ssl(true)
///     .timeout(Duration::from_secs(10))
///     .build()?;
/// # }
/// # Ok::<(), opsclient::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct ClientBuilder<S> {
    pub(crate) connection: Connection,
    pub(crate) settings: S,
}

impl<S> ClientBuilder<S> {
    pub(crate) fn with_defaults(settings: S, port: u16, timeout: Duration) -> Self {
        ClientBuilder {
            connection: Connection {
                url: None,
                host: None,
                port,
                use_ssl: false,
                ca_file: None,
                trust_store: TrustStore::Platform,
                proxy: ProxySetting::Environment,
                client_cert: None,
                ignore_cert: false,
                timeout: Some(timeout),
                connect_timeout: None,
                user_agent: DEFAULT_USER_AGENT.into(),
                retry: RetryPolicy::default(),
                max_body_size: DEFAULT_MAX_BODY_SIZE,
                compression: true,
                hooks: Hooks::default(),
            },
            settings,
        }
    }

    /// Sets the URL from variable `name`, which is required unless a URL or host is already set.
    fn url_from(self, vars: &Vars<'_>, name: &str) -> Result<Self> {
        match vars.get(name)? {
            Some(url) => Ok(self.url(url)),
            None if self.connection_is_set() => Ok(self),
            None => Err(vars.require(name).unwrap_err().into()),
        }
    }

    /// Whether a client certificate is set.
    #[cfg_attr(not(feature = "openstack"), allow(dead_code))]
    pub(crate) fn has_client_cert(&self) -> bool {
        self.connection.client_cert.is_some()
    }

    /// Whether a URL or host has been set.
    pub(crate) fn connection_is_set(&self) -> bool {
        self.connection.url.is_some() || self.connection.host.is_some()
    }

    /// The server's base URL, e.g. `https://sensu.example.com:8080`. It may carry a path prefix.
    pub fn url(mut self, url: impl Into<String>) -> Self {
        self.connection.url = Some(url.into());
        self
    }

    /// The server's host name or address, when no URL is given.
    pub fn host(mut self, host: impl Into<String>) -> Self {
        self.connection.host = Some(host.into());
        self
    }

    /// The port, when no URL is given. Each API has its usual default.
    pub fn port(mut self, port: u16) -> Self {
        self.connection.port = port;
        self
    }

    /// Whether to use HTTPS, when no URL is given. Off by default.
    pub fn use_ssl(mut self, use_ssl: bool) -> Self {
        self.connection.use_ssl = use_ssl;
        self
    }

    /// A PEM file of CA certificates to trust in addition to the
    /// [trust store](Self::trust_store)'s.
    pub fn ca_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.connection.ca_file = Some(path.into());
        self
    }

    /// The roots servers are verified against: the platform's verifier and the machine's
    /// store ([`TrustStore::Platform`], the default), or the Mozilla roots built into opsclient
    /// ([`TrustStore::Bundled`]). A [CA file](Self::ca_file) is trusted beside either.
    pub fn trust_store(mut self, store: TrustStore) -> Self {
        self.connection.trust_store = store;
        self
    }

    /// Sends every request through this HTTP proxy (`http://proxy:3128`, or
    /// `http://user:password@proxy:3128` for one that asks for Basic credentials), in place of
    /// the one `HTTPS_PROXY`, `HTTP_PROXY` or `ALL_PROXY` names; `NO_PROXY` does not apply to
    /// it. HTTPS goes through a `CONNECT` tunnel, so the proxy sees only the host and port.
    /// The password is a secret: `Debug`, logs and errors never show it.
    ///
    /// Without this or [`no_proxy`](Self::no_proxy), a client uses the proxy the environment
    /// names, and `NO_PROXY` lists the hosts it reaches directly, as curl reads them.
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.connection.proxy = ProxySetting::Url(url.into().into());
        self
    }

    /// Connects to every server directly, whatever `HTTPS_PROXY`, `HTTP_PROXY` or `ALL_PROXY`
    /// say.
    pub fn no_proxy(mut self) -> Self {
        self.connection.proxy = ProxySetting::Off;
        self
    }

    /// Present this client certificate (PEM) and private key (PEM) to the server, for mutual
    /// TLS (OpenStack's tokenless authentication, or a server that requires client
    /// certificates). The key is read when the client is built and never shown.
    pub fn client_cert(mut self, certificate: impl Into<PathBuf>, key: impl Into<PathBuf>) -> Self {
        self.connection.client_cert = Some((certificate.into(), key.into()));
        self
    }

    /// Accept any server certificate. Verification is on by default; turning it off exposes
    /// credentials to anyone on the path, and is logged as a warning when the client is built.
    pub fn ignore_cert(mut self, ignore: bool) -> Self {
        self.connection.ignore_cert = ignore;
        self
    }

    /// The longest a call may take, from connecting to reading the whole answer, every retry
    /// and the delays between them included.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.connection.timeout = Some(timeout);
        self
    }

    /// The longest connecting may take.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connection.connect_timeout = Some(timeout);
        self
    }

    /// The `User-Agent` header. Defaults to [`DEFAULT_USER_AGENT`].
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.connection.user_agent = user_agent.into();
        self
    }

    /// How failed requests are retried ([`RetryPolicy::default`]: 3 attempts; or
    /// [`RetryPolicy::disabled`]).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.connection.retry = policy;
        self
    }

    /// The largest answer body read, in bytes; a larger one is an error, not an allocation.
    /// Defaults to [`DEFAULT_MAX_BODY_SIZE`] (128 MiB).
    pub fn max_body_size(mut self, bytes: usize) -> Self {
        self.connection.max_body_size = bytes;
        self
    }

    /// Ask for compressed answers (`Accept-Encoding: gzip, br, zstd`) and decode them. On by
    /// default. [`max_body_size`](Self::max_body_size) counts the decoded bytes, so an answer
    /// that expands past it ends in an error however small it was on the wire.
    pub fn compression(mut self, enabled: bool) -> Self {
        self.connection.compression = enabled;
        self
    }

    /// Adds a hook of your own, run around every attempt of every request the client sends
    /// (see [`crate::hook`]). Hooks run in the order they were added; clones of the builder
    /// and of the clients built from it share them.
    pub fn hook(mut self, hook: impl RequestHook) -> Self {
        self.connection.hooks = self.connection.hooks.with(Arc::new(hook));
        self
    }

    /// What a client is made of: its base URL, its HTTP client, and its limits and retries.
    #[cfg_attr(not(any(feature = "sensu", feature = "saltant")), allow(dead_code))] // their builders
    pub(crate) fn parts(&self) -> Result<Parts> {
        Ok(Parts {
            base_url: self.connection.base_url()?,
            http: self.connection.http_client()?,
            policy: self.connection.policy(),
        })
    }

    /// The retry policy set so far (clouds.yaml and `OS_*` adjust it).
    #[cfg_attr(not(feature = "openstack"), allow(dead_code))]
    pub(crate) fn retry_policy(&self) -> RetryPolicy {
        self.connection.retry
    }
}

impl Connection {
    /// The base URL without a trailing slash (generated paths start with `/`).
    pub(crate) fn base_url(&self) -> Result<String, ConfigError> {
        let text = match (&self.url, &self.host) {
            (Some(url), _) => url.clone(),
            (None, Some(host)) => {
                let scheme = if self.use_ssl { "https" } else { "http" };
                let host = if host.contains(':') && !host.starts_with('[') {
                    format!("[{host}]")
                } else {
                    host.clone()
                };
                format!("{scheme}://{host}:{}", self.port)
            }
            (None, None) => {
                return Err(ConfigError::Invalid(
                    "no server given: set a URL, or a host".into(),
                ))
            }
        };
        crate::endpoint::base_url(&text, "the server URL")
    }

    /// The server as it may be shown in logs: no credentials, query or fragment.
    fn server_for_display(&self) -> String {
        match (&self.url, &self.host) {
            (Some(url), _) => crate::endpoint::display(url),
            (None, Some(host)) if url::Host::parse(host).is_ok() => format!("{host}:{}", self.port),
            (None, Some(_)) => "<not a host name>".into(),
            (None, None) => "<none>".into(),
        }
    }

    /// The limits and retries of a client built with these settings; each call makes a new
    /// retry budget, shared by the clones of that client.
    pub(crate) fn policy(&self) -> Policy {
        Policy {
            hooks: self.hooks.clone(),
            ..Policy::new(self.timeout, self.max_body_size, self.retry)
        }
    }

    /// The HTTP client these settings describe.
    pub(crate) fn http_client(&self) -> Result<reqwest::Client> {
        // Refuse a bad URL before anything is logged about it. (An OpenStack cloud in direct
        // mode has no Keystone URL; its endpoints are checked when they are used.)
        if self.url.is_some() || self.host.is_some() {
            self.base_url()?;
        }
        let mut builder = reqwest::Client::builder()
            .user_agent(&self.user_agent)
            .redirect(crate::endpoint::redirect_policy());
        builder = if self.compression {
            // reqwest decodes each of these; the header names them in this order.
            let accepted = HeaderMap::from_iter([(
                ACCEPT_ENCODING,
                HeaderValue::from_static(ACCEPTED_ENCODINGS),
            )]);
            builder.default_headers(accepted)
        } else {
            builder.no_gzip().no_brotli().no_zstd()
        };
        if let Some(timeout) = self.timeout {
            builder = builder.timeout(timeout);
        }
        if let Some(timeout) = self.connect_timeout {
            builder = builder.connect_timeout(timeout);
        }
        builder = crate::trust::apply(builder, self.trust_store, self.ca_file.as_deref())?;
        builder = self.proxy.apply(builder)?;
        if let Some((certificate, key)) = &self.client_cert {
            let read = |path: &PathBuf, what: &str| {
                std::fs::read(path).map_err(|e| {
                    ConfigError::Invalid(format!(
                        "cannot read the client {what} {}: {e}",
                        path.display()
                    ))
                })
            };
            let mut pem = read(certificate, "certificate")?;
            pem.push(b'\n');
            pem.extend(read(key, "key")?);
            // The message never quotes the files: one of them is a private key.
            let identity = reqwest::Identity::from_pem(&pem).map_err(|_| {
                ConfigError::Invalid(format!(
                    "the client certificate {} and key {} are not a PEM certificate and its key",
                    certificate.display(),
                    key.display()
                ))
            })?;
            builder = builder.identity(identity);
        }
        if !matches!(self.proxy, ProxySetting::Environment) {
            tracing::debug!(proxy = %self.proxy.for_display(), "proxy set on the builder");
        }
        if self.ignore_cert {
            tracing::warn!(
                server = %self.server_for_display(),
                "TLS certificate verification is disabled (ignore_cert)"
            );
            builder = builder.tls_danger_accept_invalid_certs(true);
        }
        builder
            .build()
            .map_err(|e| ConfigError::Invalid(format!("cannot build the HTTP client: {e}")).into())
    }
}

impl std::fmt::Debug for Connection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connection")
            .field("server", &self.server_for_display())
            .field("ca_file", &self.ca_file)
            .field("trust_store", &self.trust_store)
            .field("proxy", &self.proxy)
            .field("client_cert", &self.client_cert)
            .field("ignore_cert", &self.ignore_cert)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("user_agent", &self.user_agent)
            .field("retry", &self.retry)
            .field("max_body_size", &self.max_body_size)
            .field("compression", &self.compression)
            .field("hooks", &self.hooks)
            .finish()
    }
}
