//! Round trips of the upstream example payloads in `../shared/fixtures/<api>/` through the
//! generated types, shared by each API's fixture test.
//!
//! The index names each example's method, path and direction; the operation table names the
//! schema of that body. Every example must deserialize into its type and serialize back without
//! losing a field. Merge-patch requests are free-form, so for them every key must be a property
//! of the patched resource. Examples the docs got wrong (they contradict the server's source)
//! are listed by each test with the source that decides, and checked twice: as published they
//! must fail, and with exactly the documented mistake corrected they must pass.

#![allow(dead_code)]

use std::collections::BTreeSet;
use std::path::PathBuf;

use opsclient::operation::Operation;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

pub fn roundtrip_as<T: DeserializeOwned + Serialize>(value: &Value) -> Result<Value, String> {
    let typed: T =
        serde_json::from_value(value.clone()).map_err(|e| format!("does not deserialize: {e}"))?;
    serde_json::to_value(&typed).map_err(|e| format!("does not serialize: {e}"))
}

pub fn properties_of<T: schemars::JsonSchema>() -> BTreeSet<String> {
    let schema = schemars::schema_for!(T);
    schema
        .schema
        .object
        .map(|o| o.properties.keys().cloned().collect())
        .unwrap_or_default()
}

/// Maps each schema name an operation table uses to its generated type: defines
/// `roundtrip(schema, value)` and `properties(schema)` in the calling test.
#[macro_export]
macro_rules! schemas {
    ($($name:literal => $ty:ty),* $(,)?) => {
        fn roundtrip(schema: &str, value: &serde_json::Value) -> Option<Result<serde_json::Value, String>> {
            $(
                if schema == $name {
                    return Some(common::fixtures::roundtrip_as::<$ty>(value));
                }
                if schema == concat!("[", $name, "]") {
                    return Some(common::fixtures::roundtrip_as::<Vec<$ty>>(value));
                }
            )*
            None
        }

        fn properties(schema: &str) -> Option<std::collections::BTreeSet<String>> {
            $(
                if schema == $name {
                    return Some(common::fixtures::properties_of::<$ty>());
                }
            )*
            None
        }
    };
}

/// An upstream example that disagrees with the server, why, and the correction that makes it
/// what the server really sends or reads.
pub struct WrongInDocs {
    pub file: &'static str,
    pub why: &'static str,
    pub correct: fn(&mut Value),
}

/// One API's examples and how to read them.
pub struct Fixtures {
    /// The folder under `../shared/fixtures/`.
    pub api: &'static str,
    pub operations: &'static [Operation],
    pub roundtrip: fn(&str, &Value) -> Option<Result<Value, String>>,
    pub properties: fn(&str) -> Option<BTreeSet<String>>,
    pub wrong_in_docs: &'static [WrongInDocs],
    /// Error answers documented for an operation (by id and status): the schema of their body.
    pub error_bodies: &'static [(&'static str, u16, &'static str)],
}

/// Where `back` lost or changed something `original` had. A `null` may come back absent: a
/// missing pointer field and a null one mean the same to the servers, and the generated types
/// skip unset optional fields. Numbers compare by value (`60` and `60.0` are the same).
pub fn losses(original: &Value, back: &Value, at: &str, out: &mut Vec<String>) {
    match (original, back) {
        (Value::Object(a), Value::Object(b)) => {
            for (key, value) in a {
                let here = format!("{at}.{key}");
                match b.get(key) {
                    Some(other) => losses(value, other, &here, out),
                    None if value.is_null() => {}
                    None => out.push(format!("{here} is lost")),
                }
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                losses(x, y, &format!("{at}[{i}]"), out);
            }
        }
        (Value::Number(a), Value::Number(b)) if a.as_f64() == b.as_f64() => {}
        (a, b) if a == b => {}
        (a, b) => out.push(format!("{at}: {a} came back as {b}")),
    }
}

impl Fixtures {
    fn dir(&self) -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../shared/fixtures")
            .join(self.api)
    }

    /// The problems of one example against its schema; empty when it round-trips without loss.
    fn problems(&self, schema: &str, value: &Value) -> Vec<String> {
        match (self.roundtrip)(schema, value) {
            None => vec![format!("no Rust type registered for {schema}")],
            Some(Err(e)) => vec![format!("{schema} {e}")],
            Some(Ok(back)) => {
                let mut lost = Vec::new();
                losses(value, &back, "$", &mut lost);
                lost
            }
        }
    }

    /// Checks every example and fails the test on any problem, or when not exactly `expected`
    /// examples were checked (so an index that shrinks or grows is noticed).
    pub fn assert_all_round_trip(&self, expected: usize) {
        let (checked, failures) = self.check();
        assert!(
            failures.is_empty(),
            "{} problems:\n{}",
            failures.len(),
            failures.join("\n")
        );
        assert_eq!(checked, expected, "examples checked");
    }

    /// Checks every example of the index; returns how many were checked, and the problems.
    pub fn check(&self) -> (usize, Vec<String>) {
        let dir = self.dir();
        let index: Vec<Value> =
            serde_json::from_str(&std::fs::read_to_string(dir.join("index.json")).unwrap())
                .unwrap();
        let mut failures = Vec::new();
        let mut checked = 0;
        for entry in &index {
            if entry["skipped"] == Value::Bool(true) {
                continue;
            }
            let file = entry["file"].as_str().unwrap();
            let direction = entry["direction"].as_str().unwrap();
            let (Some(method), Some(path)) = (entry["method"].as_str(), entry["path"].as_str())
            else {
                // A generic example (such as Monasca's list envelope) that no endpoint owns.
                continue;
            };
            let Some(op) = self
                .operations
                .iter()
                .find(|op| op.method == method && op.path == path)
            else {
                failures.push(format!("{file}: no operation for {method} {path}"));
                continue;
            };
            let value: Value =
                serde_json::from_str(&std::fs::read_to_string(dir.join(file)).unwrap()).unwrap();
            let at = format!("{file} ({direction} of {})", op.id);
            let status = entry["status"].as_u64().map(|s| s as u16);
            let error_schema = status.and_then(|status| {
                self.error_bodies
                    .iter()
                    .find(|(id, code, _)| *id == op.id && *code == status)
                    .map(|(_, _, schema)| *schema)
            });
            if direction == "response" && error_schema.is_none() {
                if let Some(status) = status {
                    if !op.success.contains(&status) {
                        failures.push(format!(
                            "{at}: documented status {status}, declared {:?}",
                            op.success
                        ));
                    }
                }
            }
            let is_patch = direction == "request"
                && op.body_media_type == Some("application/merge-patch+json");
            let schema = match direction {
                "request" => op.body_schema,
                _ => error_schema.or(op.response_schema),
            };
            let Some(schema) = schema else {
                failures.push(format!("{at}: the operation declares no {direction} body"));
                continue;
            };
            checked += 1;
            if is_patch {
                let Some(known) = (self.properties)(schema) else {
                    failures.push(format!("{at}: no Rust type registered for {schema}"));
                    continue;
                };
                match value.as_object() {
                    Some(patch) => {
                        for key in patch.keys().filter(|k| !known.contains(*k)) {
                            failures.push(format!(
                                "{at}: patch sets {key}, which {schema} does not have"
                            ));
                        }
                    }
                    None => failures.push(format!("{at}: a merge patch must be an object")),
                }
                continue;
            }
            let found = self.problems(schema, &value);
            match self.wrong_in_docs.iter().find(|w| w.file == file) {
                None => failures.extend(found.into_iter().map(|p| format!("{at}: {p}"))),
                Some(wrong) => {
                    if found.is_empty() {
                        failures.push(format!(
                            "{at}: listed as wrong in the docs ({}), but it passes",
                            wrong.why
                        ));
                    }
                    let mut corrected = value.clone();
                    (wrong.correct)(&mut corrected);
                    for problem in self.problems(schema, &corrected) {
                        failures.push(format!("{at}: still wrong after the correction: {problem}"));
                    }
                }
            }
        }
        (checked, failures)
    }
}
