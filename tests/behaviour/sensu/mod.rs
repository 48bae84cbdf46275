//! The Sensu client: login and tokens, configuration, what it sends and reads, every operation
//! against the sandbox, and the upstream example payloads.

#![cfg(feature = "sensu")]

mod auth;
mod env;
mod files;
mod fixtures;
mod login_stand_in;
mod lossless;
mod nulls;
mod operations;
mod resources;
mod resume;
mod surface;
mod wire;
