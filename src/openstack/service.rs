//! What every OpenStack service client (Keystone, Watcher, Monasca) shares: the state its
//! generated client carries.

use crate::transport::{ApiHooks, Transport};

/// What the transport needs to know about Keystone: OpenStack error bodies, nothing more.
#[derive(Debug)]
pub(crate) struct KeystoneHooks;

impl ApiHooks for KeystoneHooks {
    fn name(&self) -> &'static str {
        "keystone"
    }

    fn decode_error(&self, status: reqwest::StatusCode, body: &[u8]) -> crate::error::ApiError {
        super::errors::decode_error(status, body)
    }
}

/// What an OpenStack service's generated client carries beside its HTTP client: the cloud's
/// credentials under the service's rules.
#[derive(Clone, Debug)]
pub struct ServiceContext {
    pub(crate) transport: Transport,
}

impl AsRef<Transport> for ServiceContext {
    fn as_ref(&self) -> &Transport {
        &self.transport
    }
}
