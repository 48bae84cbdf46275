//! Connection settings shared by every API's client builder: where the server is, how to trust
//! it, and how long to wait.

use std::path::PathBuf;
use std::time::Duration;

use crate::error::ConfigError;
use crate::Result;

/// The user agent sent unless one is set.
pub const DEFAULT_USER_AGENT: &str = concat!("opsclient/", env!("CARGO_PKG_VERSION"));

/// Where and how to connect. Every API's builder embeds one; its setters are on [`ClientBuilder`].
#[derive(Debug, Clone)]
pub(crate) struct Connection {
    url: Option<String>,
    host: Option<String>,
    port: u16,
    use_ssl: bool,
    ca_file: Option<PathBuf>,
    ignore_cert: bool,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    user_agent: String,
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
                ignore_cert: false,
                timeout: Some(timeout),
                connect_timeout: None,
                user_agent: DEFAULT_USER_AGENT.into(),
            },
            settings,
        }
    }

    /// Sets the URL from variable `name`, which is required unless a URL or host is already set.
    #[cfg_attr(not(any(feature = "sensu", feature = "saltant")), allow(dead_code))] // the clients with their own logins
    pub(crate) fn url_from(self, vars: &crate::env::Vars<'_>, name: &str) -> Result<Self> {
        match vars.get(name) {
            Some(url) => Ok(self.url(url)),
            None if self.connection_is_set() => Ok(self),
            None => Err(vars.require(name).unwrap_err().into()),
        }
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

    /// A PEM file of CA certificates to trust in addition to the system's.
    pub fn ca_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.connection.ca_file = Some(path.into());
        self
    }

    /// Accept any server certificate. Verification is on by default; turning it off exposes
    /// credentials to anyone on the path, and is logged as a warning when the client is built.
    pub fn ignore_cert(mut self, ignore: bool) -> Self {
        self.connection.ignore_cert = ignore;
        self
    }

    /// The longest a request may take, from connecting to reading the whole answer.
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
        let url = url::Url::parse(&text)
            .map_err(|e| ConfigError::Invalid(format!("{text:?} is not a valid URL: {e}")))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(ConfigError::Invalid(format!(
                "URL scheme must be http or https, not {}",
                url.scheme()
            )));
        }
        if url.host_str().is_none() {
            return Err(ConfigError::Invalid(format!("URL {text:?} has no host")));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(ConfigError::Invalid(
                "the URL carries credentials; pass them to the builder instead".into(),
            ));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(ConfigError::Invalid(format!(
                "URL {text:?} must not have a query or fragment"
            )));
        }
        Ok(url.as_str().trim_end_matches('/').to_string())
    }

    /// The HTTP client these settings describe.
    pub(crate) fn http_client(&self) -> Result<reqwest::Client> {
        let mut builder = reqwest::Client::builder().user_agent(&self.user_agent);
        if let Some(timeout) = self.timeout {
            builder = builder.timeout(timeout);
        }
        if let Some(timeout) = self.connect_timeout {
            builder = builder.connect_timeout(timeout);
        }
        if let Some(path) = &self.ca_file {
            let pem = std::fs::read(path).map_err(|e| {
                ConfigError::Invalid(format!("cannot read CA file {}: {e}", path.display()))
            })?;
            let certificates = reqwest::Certificate::from_pem_bundle(&pem).map_err(|e| {
                ConfigError::Invalid(format!("CA file {} is not PEM: {e}", path.display()))
            })?;
            if certificates.is_empty() {
                return Err(ConfigError::Invalid(format!(
                    "CA file {} holds no certificate",
                    path.display()
                ))
                .into());
            }
            for certificate in certificates {
                builder = builder.add_root_certificate(certificate);
            }
        }
        if self.ignore_cert {
            tracing::warn!(
                server = self
                    .url
                    .as_deref()
                    .or(self.host.as_deref())
                    .unwrap_or_default(),
                "TLS certificate verification is disabled (ignore_cert)"
            );
            builder = builder.tls_danger_accept_invalid_certs(true);
        }
        builder
            .build()
            .map_err(|e| ConfigError::Invalid(format!("cannot build the HTTP client: {e}")).into())
    }
}
