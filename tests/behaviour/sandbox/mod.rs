//! The Sensu sandbox itself, on the wire: it answers as a Sensu backend does.

#[cfg(feature = "drift")]
mod drift;
mod fixtures;
mod requests;
mod wire;
