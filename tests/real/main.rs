//! The library against the real Keystone, Watcher and Monasca that `cargo xtask servers up`
//! starts. Without them each test says it was skipped and passes; `cargo xtask test` requires
//! them.

#![cfg(all(feature = "watcher", feature = "monasca"))]

#[path = "../support/mod.rs"]
mod support;

mod drift;
mod federation;
mod hooks;
mod keystone;
mod monasca;
mod proxies;
mod servers;
mod trust_store;
mod watcher;
