//! Which certificate authorities a client trusts: the platform's verifier with the machine's
//! trust store (the default), or the Mozilla roots built into opsclient; a CA file adds its
//! certificates to either.

use std::path::Path;

use crate::error::ConfigError;

/// The roots a client verifies servers against ([`ClientBuilder::trust_store`]).
///
/// A CA file ([`ClientBuilder::ca_file`], `SENSU_TRUSTED_CA_FILE`, `cacert`, `OS_CACERT`) is
/// trusted beside either.
///
/// [`ClientBuilder::trust_store`]: crate::ClientBuilder::trust_store
/// [`ClientBuilder::ca_file`]: crate::ClientBuilder::ca_file
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum TrustStore {
    /// The platform's verifier (`rustls-platform-verifier`): on Linux the machine's store as
    /// OpenSSL finds it (`/etc/ssl/certs/ca-certificates.crt`, which `update-ca-certificates`
    /// writes; `SSL_CERT_FILE` and `SSL_CERT_DIR` point elsewhere), on macOS and Windows the
    /// system's verifier. A CA added to the machine is trusted; building a client fails on a
    /// machine whose store is empty (a minimal container), unless a CA file is given.
    #[default]
    Platform,
    /// The Mozilla roots built into opsclient (`webpki-root-certs`), and not the machine's
    /// store: the same trust on every machine, and a client that builds where no store is
    /// installed.
    Bundled,
}

/// Applies the roots of `store` and the certificates of `ca_file` to an HTTP client's builder.
pub(crate) fn apply(
    builder: reqwest::ClientBuilder,
    store: TrustStore,
    ca_file: Option<&Path>,
) -> Result<reqwest::ClientBuilder, ConfigError> {
    let extra = match ca_file {
        Some(path) => read_ca_file(path)?,
        None => Vec::new(),
    };
    Ok(match store {
        TrustStore::Platform => builder.tls_certs_merge(extra),
        TrustStore::Bundled => {
            let bundled = webpki_root_certs::TLS_SERVER_ROOT_CERTS
                .iter()
                .filter_map(|der| reqwest::Certificate::from_der(der).ok());
            builder.tls_certs_only(bundled.chain(extra))
        }
    })
}

/// The certificates of a PEM file; at least one.
fn read_ca_file(path: &Path) -> Result<Vec<reqwest::Certificate>, ConfigError> {
    let pem = std::fs::read(path).map_err(|e| {
        ConfigError::Invalid(format!("cannot read CA file {}: {e}", path.display()))
    })?;
    let certificates = reqwest::Certificate::from_pem_bundle(&pem)
        .map_err(|e| ConfigError::Invalid(format!("CA file {} is not PEM: {e}", path.display())))?;
    if certificates.is_empty() {
        return Err(ConfigError::Invalid(format!(
            "CA file {} holds no certificate",
            path.display()
        )));
    }
    Ok(certificates)
}
