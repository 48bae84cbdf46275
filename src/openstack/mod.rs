//! What every OpenStack client shares: Keystone authentication, the service catalog, cloud
//! configuration (`clouds.yaml`, `OS_*`) and the services' error bodies.

pub mod auth;
pub mod catalog;
mod cloud;
pub mod config;
pub(crate) mod errors;
pub mod keystone;
pub mod oidc;
mod service;
pub mod totp;

pub use catalog::Interface;
pub use cloud::Cloud;
pub use config::CloudBuilder;
pub(crate) use service::KeystoneHooks;
pub use service::ServiceContext;
