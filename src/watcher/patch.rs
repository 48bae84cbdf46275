//! JSON Patch (RFC 6902) operations for Watcher's PATCH calls, as python-watcherclient's
//! `args_array_to_patch` builds them.
//!
//! ```no_run
//! # async fn run(watcher: opsclient::watcher::Client) -> opsclient::Result<()> {
//! use opsclient::watcher::patch;
//!
//! watcher
//!     .update_audit_template()
//!     .audittemplate_ident("at1")
//!     .body(vec![patch::replace("/description", "nightly consolidation")])
//!     .send()
//!     .await?;
//! # Ok(()) }
//! ```

use serde_json::Value;

use super::types::{JsonPatchOperation, JsonPatchOperationOp};

fn operation(op: JsonPatchOperationOp, path: &str, value: Option<Value>) -> JsonPatchOperation {
    JsonPatchOperation {
        op,
        path: path.into(),
        value,
        extra: Default::default(),
    }
}

/// Sets the field at `path` (a JSON Pointer such as `/description`) to `value`.
pub fn replace(path: &str, value: impl Into<Value>) -> JsonPatchOperation {
    operation(JsonPatchOperationOp::Replace, path, Some(value.into()))
}

/// Adds `value` at `path`; Watcher cannot add a new top-level field.
pub fn add(path: &str, value: impl Into<Value>) -> JsonPatchOperation {
    operation(JsonPatchOperationOp::Add, path, Some(value.into()))
}

/// Removes the field at `path`.
pub fn remove(path: &str) -> JsonPatchOperation {
    operation(JsonPatchOperationOp::Remove, path, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operations_are_the_rfc_6902_objects_watcher_reads() {
        let patch = vec![
            replace("/description", "d"),
            add("/parameters/period", 3600),
            remove("/scope"),
        ];
        assert_eq!(
            serde_json::to_value(&patch).unwrap(),
            serde_json::json!([
                {"op": "replace", "path": "/description", "value": "d"},
                {"op": "add", "path": "/parameters/period", "value": 3600},
                {"op": "remove", "path": "/scope"}
            ])
        );
    }
}
