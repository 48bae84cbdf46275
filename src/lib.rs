//! Typed API clients for operations services, generated from checked-in OpenAPI documents.
//!
//! Each API is a cargo feature and a module of the same shape: a generated client with one
//! builder method per operation, a client builder for connection and credentials, and
//! `from_env()`. Shared mechanisms live once: [`config`] (URL, TLS, timeouts), [`auth`]
//! (sessions with single-flight refresh), [`paging`] (streams over list operations) and
//! [`Error`].
//!
//! | feature | module | what |
//! |---|---|---|
//! | `sensu` (default) | `sensu` | Sensu Go 6.x |
//! | `openstack` | `openstack` | one Keystone v3 session and the catalog, for the OpenStack clients |
//! | `watcher` | `watcher` | OpenStack Watcher API 1.0 to 1.7 (enables `openstack`) |
//! | `monasca` | `monasca` | OpenStack Monasca API v2.0 (enables `openstack`) |
//! | `saltant` | `saltant` | saltant |
//! | `sandbox` | `sensu::sandbox` | an in-process Sensu server for tests (enables `sensu`) |
//! | `conformance` | `conformance` | records answer bodies, for tests that check them against the documents |
//!
//! Every generated type keeps the properties its document does not declare in its `extra` map
//! and writes them back, so a resource read from a newer server and written back loses nothing;
//! an optional property is an `Option` that is sent only when it is set.
//!
//! ```no_run
//! # #[cfg(feature = "sensu")]
//! # async fn run() -> opsclient::Result<()> {
//! use futures::TryStreamExt;
//! use opsclient::paging::ListRequest;
//!
//! let client = opsclient::sensu::Client::from_env()?;
//! let mut checks = client.list_checks().namespace(client.namespace()).stream(100);
//! while let Some(check) = checks.try_next().await? {
//!     println!("{}", check.metadata.name.as_deref().unwrap_or_default());
//! }
//! # Ok(()) }
//! ```

#![warn(missing_docs)]
// Without any API the shared layer (transport, sessions, paging) has no user.
#![cfg_attr(
    not(any(feature = "sensu", feature = "openstack", feature = "saltant")),
    allow(dead_code, unused_imports)
)]

pub mod auth;
pub mod config;
#[cfg(feature = "conformance")]
pub mod conformance;
mod endpoint;
// Reading settings from the environment, for every client.
mod env;
pub mod error;
pub mod operation;
pub mod paging;
pub mod retry;
pub mod secret;
pub mod transport;
pub mod wait;

#[cfg(feature = "monasca")]
pub mod monasca;
#[cfg(feature = "openstack")]
pub mod openstack;
#[cfg(feature = "saltant")]
pub mod saltant;
#[cfg(feature = "sensu")]
pub mod sensu;
#[cfg(feature = "watcher")]
pub mod watcher;

/// What most programs need in one `use opsclient::prelude::*;`: the list and resource traits
/// and the stream extensions.
pub mod prelude {
    pub use crate::paging::ListRequest;
    #[cfg(feature = "sensu")]
    pub use crate::sensu::NamespacedResource;
    pub use crate::{Error, Result, RetryPolicy};
    pub use futures::{StreamExt, TryStreamExt};
}

// Every client can be cloned and shared across tasks and threads; the build fails otherwise.
const _: () = {
    const fn shareable<T: Send + Sync + Clone>() {}
    #[cfg(feature = "sensu")]
    shareable::<sensu::Client>();
    #[cfg(feature = "openstack")]
    shareable::<openstack::Cloud>();
    #[cfg(feature = "openstack")]
    shareable::<openstack::keystone::Client>();
    #[cfg(feature = "watcher")]
    shareable::<watcher::Client>();
    #[cfg(feature = "monasca")]
    shareable::<monasca::Client>();
    #[cfg(feature = "saltant")]
    shareable::<saltant::Client>();
};

pub use config::ClientBuilder;
pub use error::{Error, Result};
pub use retry::RetryPolicy;
