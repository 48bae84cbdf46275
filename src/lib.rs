//! Typed API clients for operations services, generated from checked-in OpenAPI documents.
//!
//! Each API is a cargo feature and a module of the same shape: a generated client with one
//! builder method per operation, a client builder for connection and credentials, and
//! `from_env()`. Shared mechanisms live once: [`config`] (URL, TLS, timeouts), [`auth`]
//! (sessions with single-flight refresh), [`paging`] (streams over list operations) and
//! [`Error`].
//!
//! | feature | module | API |
//! |---|---|---|
//! | `sensu` (default) | [`sensu`] | Sensu Go 6.x |
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

pub mod auth;
pub mod config;
// Environment parsing of the Sensu client; unused by the OpenStack ones, which read `OS_*`.
#[cfg_attr(not(feature = "sensu"), allow(dead_code))]
mod env;
pub mod error;
pub mod operation;
pub mod paging;
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

pub use config::ClientBuilder;
pub use error::{Error, Result};
