//! The generated Keystone v3 authentication client.

#[allow(missing_docs, unused_imports, clippy::all, clippy::pedantic)]
mod generated {
    // progenitor's output: documented from the OpenAPI descriptions; setters carry none.
    include!(concat!(env!("OUT_DIR"), "/keystone.rs"));
}

pub use generated::{builder, types, Client};
pub use progenitor_client::ResponseValue;

/// Every operation of the Keystone document, sorted by generated method name.
pub fn operations() -> &'static [crate::operation::Operation] {
    generated::OPERATIONS
}

/// What a Keystone [`Client`] carries beside its HTTP client.
pub type Context = super::ServiceContext;
