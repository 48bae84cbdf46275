//! Helpers of both the behaviour and the real-server tests.

pub mod apis;
pub mod conformance;
#[cfg(feature = "drift")]
pub mod drift;
pub mod lossless;
pub mod recorder;
pub mod settings;
