//! A typed client for the OpenStack Monasca API, generated from `openapi/monasca.yaml`.

#[allow(missing_docs, unused_imports, clippy::all, clippy::pedantic)]
mod generated {
    // progenitor's output: documented from the OpenAPI descriptions; setters carry none.
    include!(concat!(env!("OUT_DIR"), "/monasca.rs"));
}
mod dimensions;
mod health;
mod metric;
pub(crate) mod paging;
mod series;

pub use dimensions::Dimensions;
pub use generated::{builder, types, Client};
pub use health::Health;
pub use metric::{metric, Metric};
pub use progenitor_client::ResponseValue;
pub use series::{Measurement, StatisticsRow};

use crate::error::ConfigError;
use crate::openstack::Cloud;
use crate::transport::ApiHooks;
use crate::Result;

/// The catalog type Monasca is registered under.
pub const SERVICE_TYPES: &[&str] = &["monitoring"];

/// What the transport needs to know about Monasca: OpenStack error bodies, and which 409 means
/// a duplicate.
#[derive(Debug)]
struct MonascaHooks;

impl ApiHooks for MonascaHooks {
    fn name(&self) -> &'static str {
        "monasca"
    }

    fn decode_error(&self, status: reqwest::StatusCode, body: &[u8]) -> crate::error::ApiError {
        crate::openstack::errors::decode_error(status, body)
    }

    // Monasca answers 409 both for a duplicate (title AlreadyExistsException) and for a
    // measurement query matching several metrics (title MultipleMetrics).
    fn conflict_means_exists(&self, body: &[u8]) -> bool {
        serde_json::from_slice::<serde_json::Value>(body)
            .is_ok_and(|v| v["title"] == "AlreadyExistsException")
    }
}

/// Every operation of the Monasca document, sorted by generated method name.
pub fn operations() -> &'static [crate::operation::Operation] {
    generated::OPERATIONS
}

/// What a Monasca [`Client`] carries beside its HTTP client.
pub type Context = crate::openstack::ServiceContext;

impl Client {
    /// A client for the cloud's Monasca endpoint (catalog type `monitoring`, or the configured
    /// override). The catalog URL includes `/v2.0`, the only API version.
    pub async fn from_cloud(cloud: &Cloud) -> Result<Client> {
        Client::from_cloud_with_version(cloud, "2_0").await
    }

    /// Like [`from_cloud`](Self::from_cloud), with python-monascaclient's version argument: `2_0`
    /// (or `2.0`) is the only one.
    pub async fn from_cloud_with_version(cloud: &Cloud, api_version: &str) -> Result<Client> {
        if !matches!(api_version, "2_0" | "2.0") {
            return Err(ConfigError::Invalid(format!(
                "Monasca API version {api_version:?} is not supported; the only one is 2_0"
            ))
            .into());
        }
        let endpoint = cloud.endpoint(SERVICE_TYPES)?;
        // The generated paths start with /v2.0; the catalog URL already ends with it.
        let base = endpoint
            .strip_suffix("/v2.0")
            .unwrap_or(&endpoint)
            .to_string();
        let (http, transport) = cloud.transport(std::sync::Arc::new(MonascaHooks));
        Ok(Client::new_with_client(&base, http, Context { transport }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn monascas_hooks_tell_a_duplicate_from_another_conflict() {
        let hooks = MonascaHooks;
        assert_eq!(hooks.name(), "monasca");
        assert!(hooks.conflict_means_exists(br#"{"title":"AlreadyExistsException"}"#));
        assert!(!hooks.conflict_means_exists(br#"{"title":"MultipleMetrics"}"#));
        assert_eq!(hooks.token_refusal_status(), None);
    }
}
