//! The generator on small documents: how schemas become types, and how a broken document fails.
//! One test binary for the crate.

mod problems;
mod types;
