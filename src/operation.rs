//! What the crate knows about each operation of an API, read from its OpenAPI document at
//! build time.

/// How an operation authenticates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Auth {
    /// Public: no credentials are sent.
    None,
    /// HTTP Basic with the configured username and password (the login endpoint).
    Basic,
    /// The session token or API key.
    Token,
}

/// One operation of an API.
///
/// ```
/// # #[cfg(feature = "sensu")] {
/// let op = opsclient::sensu::operations().iter().find(|op| op.id == "listChecks").unwrap();
/// assert_eq!((op.method, op.path), ("GET", "/api/core/v2/namespaces/{namespace}/checks"));
/// # }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operation {
    /// The document's `operationId`.
    pub id: &'static str,
    /// The generated client method, the snake_case form of the id.
    pub method_name: &'static str,
    /// Upper-case HTTP method.
    pub method: &'static str,
    /// Path template, e.g. `/api/core/v2/namespaces/{namespace}/checks/{check}`.
    pub path: &'static str,
    /// The operation's tag: the resource kind it belongs to.
    pub tag: &'static str,
    /// The success statuses the document declares. Any other status is an error.
    pub success: &'static [u16],
    /// The request body's media type as the server requires it, e.g.
    /// `application/merge-patch+json`.
    pub body_media_type: Option<&'static str>,
    /// The schema of the request body; for a merge patch, the schema of the patched resource.
    pub body_schema: Option<&'static str>,
    /// The schema of the success body; `[Name]` for an array of `Name`.
    pub response_schema: Option<&'static str>,
    /// How the operation authenticates.
    pub auth: Auth,
    /// The API version (microversion) the operation needs, if any.
    pub min_version: Option<&'static str>,
    /// Request body fields that need an API version: `(field, version)`.
    pub gated_fields: &'static [(&'static str, &'static str)],
    /// Whether the document marks the operation idempotent (`x-idempotent: true`), so that it
    /// is retried after a passing failure whatever its method.
    pub idempotent: bool,
}

/// Finds an operation by generated method name in a table sorted by it.
pub(crate) fn find(table: &'static [Operation], method_name: &str) -> Option<&'static Operation> {
    table
        .binary_search_by(|op| op.method_name.cmp(method_name))
        .ok()
        .map(|i| &table[i])
}
