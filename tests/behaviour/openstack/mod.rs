//! Keystone sessions and the Watcher and Monasca clients against local stand-ins, their login
//! configuration, and the upstream example payloads.

#![cfg(feature = "openstack")]

mod auth;
mod keystone_fixtures;
#[cfg(all(feature = "watcher", feature = "monasca"))]
mod keystone_stand_in;
mod login_config;
mod monasca_fixtures;
mod resume;
mod surface;
mod watcher_fixtures;
