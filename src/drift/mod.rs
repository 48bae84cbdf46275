//! Drift: what a live server sends that its document does not say.
//!
//! [`check`] calls an API's read-only operations against a server, with the client's usual
//! credentials, and judges every answer by the document: every list; every get, with the
//! first item of the matching list; each status, health and version endpoint. It sends only
//! `GET`s. The [`Report`] lists what differs ([`FindingKind`]), prints as a table, serializes
//! to JSON for CI, and writes an [OpenAPI Overlay 1.0](https://spec.openapis.org/overlay/v1.0)
//! document ([`Report::overlay`]) that adds what was found to the document.
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use opsclient::drift::{self, Document, Options};
//! let cloud = opsclient::openstack::Cloud::from_env().await?;
//! let watcher = opsclient::watcher::Client::from_cloud(&cloud).await?;
//! let document = Document::of::<opsclient::watcher::Client>()?;
//! let report = drift::check(&watcher, &document, &Options::default()).await?;
//! print!("{report}");
//! if !report.is_clean() {
//!     std::fs::write("watcher-overlay.json", serde_json::to_string_pretty(&report.overlay())?)?;
//! }
//! # Ok(()) }
//! ```

mod overlay;
mod probe;
mod report;
mod schema;

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

pub use probe::check;
pub use report::Report;

use crate::error::ConfigError;
use crate::operation::Operation;
use crate::Result;

/// An API a drift check can be run on: its client knows its document and operations.
pub trait Api {
    /// The API's name (`watcher`).
    const NAME: &'static str;
    /// The checked-in document the client was generated from, as YAML.
    const DOCUMENT: &'static str;
    /// The API's operation table.
    fn operations() -> &'static [Operation];
}

/// An OpenAPI document, as JSON, to check answers against.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    root: Value,
}

impl Document {
    /// The document the client of API `A` was generated from.
    pub fn of<A: Api>() -> Result<Document> {
        Document::from_yaml(A::DOCUMENT)
    }

    /// A document from its YAML (or JSON) text.
    pub fn from_yaml(text: &str) -> Result<Document> {
        let root: Value = serde_yaml_ng::from_str(text).map_err(|e| {
            crate::Error::from(ConfigError::Invalid(format!(
                "the OpenAPI document is not valid YAML: {e}"
            )))
        })?;
        Document::from_value(root)
    }

    /// A document from its JSON value.
    pub fn from_value(root: Value) -> Result<Document> {
        if root.get("paths").and_then(Value::as_object).is_none() {
            return Err(ConfigError::Invalid("the OpenAPI document has no `paths`".into()).into());
        }
        Ok(Document { root })
    }

    /// The document as JSON.
    pub fn value(&self) -> &Value {
        &self.root
    }

    /// The API version the document describes (`info.version`).
    pub fn version(&self) -> Option<&str> {
        self.root.pointer("/info/version").and_then(Value::as_str)
    }
}

/// What to check, and the values of path parameters no list provides.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Only these operations, by operation id (`listGoals`, or in kebab case `list-goals`);
    /// every read-only one when empty. The lists they need to fill their paths are called too.
    pub operations: Vec<String>,
    /// Values of path parameters, by name (Sensu's `namespace`).
    pub parameters: BTreeMap<String, String>,
}

/// What differs between an answer and the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    /// A property the schema does not declare (kept today in an `extra` map).
    UndeclaredProperty,
    /// A value of another type than the schema's.
    WrongType,
    /// `null` where the schema is not nullable.
    UnexpectedNull,
    /// A value the schema's `enum` does not list.
    UndeclaredEnumValue,
    /// A status the operation does not declare.
    UndeclaredStatus,
    /// A content type the operation's answer does not declare.
    UndeclaredContentType,
    /// A documented operation the server does not have (404 or 405).
    MissingOperation,
    /// The server speaks an API version the document does not describe.
    VersionRange,
}

impl FindingKind {
    /// The kind as the table shows it.
    pub fn name(self) -> &'static str {
        match self {
            FindingKind::UndeclaredProperty => "undeclared property",
            FindingKind::WrongType => "wrong type",
            FindingKind::UnexpectedNull => "unexpected null",
            FindingKind::UndeclaredEnumValue => "undeclared enum value",
            FindingKind::UndeclaredStatus => "undeclared status",
            FindingKind::UndeclaredContentType => "undeclared content type",
            FindingKind::MissingOperation => "missing operation",
            FindingKind::VersionRange => "version range",
        }
    }
}

/// One difference between what the server sent and what the document says.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// What differs.
    pub kind: FindingKind,
    /// The operation whose answer showed it (its `operationId`).
    pub operation: String,
    /// Where in the answer (`$.goals[0].display_name`); empty for a status or an operation.
    pub json_path: String,
    /// The component schema it belongs to, when it is in one.
    pub schema: Option<String>,
    /// What was found, in words.
    pub detail: String,
    /// The value the server sent (a secret-looking property's is redacted).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub example: Option<Value>,
    /// The JSON Schema type of the value sent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inferred_type: Option<String>,
    /// The HTTP status of the answer, for status findings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// What the overlay adds for it: the document location and the update.
    #[serde(skip)]
    pub(crate) overlay: Option<(schema::Location, Value)>,
}

impl Finding {
    fn with_action(mut self, target: schema::Location, update: Value) -> Finding {
        self.overlay = Some((target, update));
        self
    }

    /// The JSONPath of the place in the document the overlay changes for this finding, if it
    /// adds something for it (wrong types, missing operations and version ranges are for a
    /// person to judge).
    pub fn overlay_target(&self) -> Option<String> {
        self.overlay
            .as_ref()
            .map(|(target, _)| overlay::json_path(target))
    }
}

/// An operation that was not checked, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skipped {
    /// The operation's id.
    pub operation: String,
    /// Why it was not called, or why its answer could not be judged.
    pub reason: String,
}
