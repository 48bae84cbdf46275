// The README is the crate's front page, so its examples are compiled and run as doctests.
#![doc = include_str!("../README.md")]
#![warn(missing_docs)]
// Without any API the shared layer (transport, sessions, paging) has no user.
#![cfg_attr(
    not(any(feature = "sensu", feature = "openstack", feature = "saltant")),
    allow(dead_code, unused_imports)
)]

pub mod auth;
pub mod config;
#[cfg(feature = "drift")]
pub mod drift;
mod endpoint;
// Reading settings from the environment, for every client.
mod env;
pub mod error;
pub mod hook;
// The builder wiring and login requests every token API with its own login shares.
#[cfg(any(feature = "sensu", feature = "saltant"))]
mod login;
pub mod observe;
pub mod operation;
pub mod paging;
mod proxy;
pub mod retry;
pub mod secret;
pub mod transport;
mod trust;
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
