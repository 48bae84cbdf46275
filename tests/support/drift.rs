//! Breaking a document on purpose for the drift tests: declared properties, an enum value and
//! a status taken out of a copy; then the check must find each, and its overlay, applied to the
//! broken text, must give the removed things back.

#![allow(dead_code)]

use opsclient::drift::{Document, FindingKind, Report};
use serde_json::Value;

/// One thing taken out of a document.
#[derive(Debug, Clone)]
pub enum Removal {
    /// `property` of the component schema `schema`.
    Property {
        schema: &'static str,
        property: &'static str,
    },
    /// `value` of the enum at `at` below `components/schemas` (`Severity`, or
    /// `Handler/properties/type`).
    EnumValue { at: &'static str, value: String },
    /// The `status` answer of the `GET` at `path`.
    Status {
        path: &'static str,
        status: &'static str,
    },
}

impl Removal {
    /// The kind of finding that must report it.
    pub fn kind(&self) -> FindingKind {
        match self {
            Removal::Property { .. } => FindingKind::UndeclaredProperty,
            Removal::EnumValue { .. } => FindingKind::UndeclaredEnumValue,
            Removal::Status { .. } => FindingKind::UndeclaredStatus,
        }
    }

    /// Whether `report` reports this removal.
    fn found_in(&self, report: &Report) -> bool {
        report.findings.iter().any(|f| {
            f.kind == self.kind()
                && match self {
                    Removal::Property { schema, property } => {
                        f.schema.as_deref() == Some(*schema)
                            && f.json_path.ends_with(&format!(".{property}"))
                    }
                    Removal::EnumValue { at, value } => {
                        f.schema.as_deref() == at.split('/').next()
                            && f.example.as_ref() == Some(&Value::from(value.as_str()))
                    }
                    Removal::Status { status, .. } => {
                        f.status.map(|s| s.to_string()).as_deref() == Some(*status)
                    }
                }
        })
    }

    /// The place in the document it is at, as a JSON pointer, and for an enum value the value.
    fn pointer(&self) -> String {
        match self {
            Removal::Property { schema, property } => {
                format!("/components/schemas/{schema}/properties/{property}")
            }
            Removal::EnumValue { at, .. } => format!("/components/schemas/{at}/enum"),
            Removal::Status { path, status } => {
                format!("/paths/{}/get/responses/{status}", path.replace('/', "~1"))
            }
        }
    }
}

/// The document `text` with `removals` taken out, as YAML, and as a [`Document`].
pub fn broken(text: &str, removals: &[Removal]) -> (String, Document) {
    let mut value: Value = serde_yaml_ng::from_str(text).expect("the document is YAML");
    for removal in removals {
        let pointer = removal.pointer();
        match removal {
            Removal::EnumValue { value: taken, .. } => {
                let values = value
                    .pointer_mut(&pointer)
                    .and_then(Value::as_array_mut)
                    .unwrap_or_else(|| panic!("{pointer} is not an enum"));
                let before = values.len();
                values.retain(|v| v != &Value::from(taken.as_str()));
                assert_eq!(values.len() + 1, before, "{taken} is in {pointer}");
            }
            _ => {
                let (parent, key) = pointer.rsplit_once('/').expect("a pointer");
                let key = key.replace("~1", "/");
                let removed = value
                    .pointer_mut(parent)
                    .and_then(Value::as_object_mut)
                    .and_then(|map| map.remove(&key));
                assert!(removed.is_some(), "{pointer} is in the document");
            }
        }
    }
    let yaml = serde_yaml_ng::to_string(&value).expect("writes as YAML");
    let document = Document::from_value(value).expect("still a document");
    (yaml, document)
}

/// Asserts that `report` (of a check with the broken document) finds every removal, that its
/// overlay, applied to the broken text, gives every removed thing back, and returns the
/// restored document.
pub fn assert_found_and_restored(
    original: &str,
    broken_text: &str,
    removals: &[Removal],
    report: &Report,
) -> Document {
    for removal in removals {
        assert!(
            removal.found_in(report),
            "{removal:?} is not among the findings:\n{report}"
        );
    }
    let overlay = serde_json::to_string_pretty(&report.overlay()).expect("JSON");
    let applied = opsclient_codegen::overlay::apply_to_yaml(broken_text, &overlay)
        .unwrap_or_else(|e| panic!("the overlay does not apply: {e}\n{overlay}"));
    let restored: Value = serde_yaml_ng::from_str(&applied.text).expect("YAML");
    let original: Value = serde_yaml_ng::from_str(original).expect("YAML");
    for removal in removals {
        let pointer = removal.pointer();
        match removal {
            Removal::EnumValue { value, .. } => assert!(
                restored
                    .pointer(&pointer)
                    .and_then(Value::as_array)
                    .is_some_and(|values| values.contains(&Value::from(value.as_str()))),
                "the overlay does not give back {value} at {pointer}"
            ),
            _ => {
                let back = restored.pointer(&pointer);
                assert!(back.is_some(), "the overlay does not give back {pointer}");
                // A property comes back with the type the server showed.
                if let (Some(Value::String(was)), Some(now)) = (
                    original.pointer(&format!("{pointer}/type")),
                    back.and_then(|b| b.get("type")),
                ) {
                    let fits = now == was || (was == "number" && now == "integer");
                    assert!(fits, "{pointer}: type {now}, the original says {was}");
                }
            }
        }
    }
    Document::from_value(restored).expect("a document")
}

/// Asserts that a check with today's document found nothing.
pub fn assert_clean(report: &Report) {
    assert!(!report.called.is_empty(), "nothing was called:\n{report}");
    assert!(
        report.is_clean(),
        "drift against today's document:\n{report}"
    );
}
