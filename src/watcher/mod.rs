//! A typed client for the OpenStack Watcher (infra-optim) API v1, generated from
//! `openapi/watcher.yaml`.
//!
//! ```no_run
//! # async fn run() -> opsclient::Result<()> {
//! use opsclient::openstack::Cloud;
//! let cloud = Cloud::from_env().await?;
//! let watcher = opsclient::watcher::Client::from_cloud(&cloud).await?;
//! println!("using API {}", watcher.microversion());
//! # Ok(()) }
//! ```

#[allow(missing_docs, unused_imports, clippy::all, clippy::pedantic)]
mod generated {
    // progenitor's output: documented from the OpenAPI descriptions; setters carry none.
    include!(concat!(env!("OUT_DIR"), "/watcher.rs"));
}
mod actions;
mod microversion;
pub(crate) mod paging;
pub mod patch;

use std::sync::Arc;

pub use actions::{ACTION_PLAN_FINAL_STATES, AUDIT_FINAL_STATES};
pub use generated::{builder, types, Client};
pub use microversion::Version;
pub use progenitor_client::ResponseValue;

use crate::openstack::Cloud;
use crate::transport::Transport;
use crate::Result;

/// Catalog types Watcher is registered under: the official one and the devstack alias.
pub const SERVICE_TYPES: &[&str] = &["resource-optimization", "infra-optim"];

/// Every operation of the Watcher document, sorted by generated method name.
pub fn operations() -> &'static [crate::operation::Operation] {
    generated::OPERATIONS
}

/// What a Watcher [`Client`] carries beside its HTTP client: credentials and the API version.
#[derive(Clone, Debug)]
pub struct Context {
    pub(crate) transport: Transport,
    microversion: Arc<microversion::Microversion>,
}

impl Client {
    /// A client for the cloud's Watcher endpoint (catalog type `resource-optimization` or
    /// `infra-optim`, or the configured override), speaking the highest API version both sides
    /// know, or the version pinned with `api_version("infra-optim", ..)`.
    pub async fn from_cloud(cloud: &Cloud) -> Result<Client> {
        let endpoint = cloud.endpoint(SERVICE_TYPES)?;
        let pinned = cloud
            .api_version("infra-optim")
            .map(str::parse)
            .transpose()?;
        let microversion = Arc::new(microversion::Microversion::new(pinned));
        let (http, transport) = cloud.transport(microversion.clone());
        let context = Context {
            transport,
            microversion,
        };
        let client = Client::new_with_client(&endpoint, http, context);
        client.negotiate_version().await?;
        Ok(client)
    }

    /// The API version this client speaks now.
    pub fn microversion(&self) -> Version {
        self.inner.microversion.current()
    }
}

impl AsRef<Transport> for Context {
    fn as_ref(&self) -> &Transport {
        &self.transport
    }
}
