//! The library's behaviour against local servers, one module per subject: each API's client,
//! the shared transport, and the Sensu sandbox. One test binary, so a change to the library
//! relinks it once; run one subject with a filter, e.g.
//! `cargo test --all-features --test behaviour sensu::`.

#[path = "../support/mod.rs"]
mod support;

#[cfg(feature = "drift")]
mod drift;
mod ergonomics;
mod fault_server;
mod fixed_env;
mod fixture_checks;
mod openstack;
mod saltant;
mod sandbox;
mod sensu;
mod surface;
mod transport;
