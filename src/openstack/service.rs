//! What every OpenStack service client (Keystone, Watcher, Monasca) shares: the rules of its
//! answers and the state its generated client carries.

use crate::transport::{ApiRules, Transport};

/// The rules of an OpenStack service: Keystone-style and service error bodies, no client-side
/// checks, tokens refused with 401 only.
pub(crate) const fn service_rules(
    name: &'static str,
    conflict_means_exists: fn(&[u8]) -> bool,
) -> ApiRules {
    ApiRules {
        name,
        conflict_means_exists,
        decode_error: super::errors::decode_error,
        validate: None,
        refused_token: None,
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
