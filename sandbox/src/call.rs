//! One request as the sandbox's handlers see it: the operation it matched, its parameters,
//! headers and body, and the user it authenticated as.

use std::collections::BTreeMap;

use axum::http::HeaderMap;
use bytes::Bytes;

use super::selectors::Selection;
use opsclient::operation::Operation;

/// One request, as the handlers see it.
#[derive(Debug)]
pub(super) struct Call {
    pub(super) op: &'static Operation,
    pub(super) params: BTreeMap<String, String>,
    pub(super) query: Vec<(String, String)>,
    pub(super) headers: HeaderMap,
    pub(super) body: Bytes,
    /// The authenticated user, for operations that need one.
    pub(super) user: String,
    /// The label and field selectors of a GET; lists keep only what they select.
    pub(super) selection: Selection,
}

impl Call {
    /// A path parameter; the router only matches when every one is present.
    pub(super) fn param(&self, name: &str) -> &str {
        self.params
            .get(name)
            .map(String::as_str)
            .unwrap_or_default()
    }

    /// The last path parameter: the resource name of item routes.
    pub(super) fn last_param(&self) -> &str {
        let name = self
            .op
            .path
            .rsplit('/')
            .next()
            .and_then(|s| s.strip_prefix('{')?.strip_suffix('}'))
            .unwrap_or_default();
        self.param(name)
    }

    /// A query parameter.
    pub(super) fn query(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}
