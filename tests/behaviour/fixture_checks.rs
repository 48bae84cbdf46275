//! The upstream example payloads in `tests/fixtures/<api>/`, each checked by
//! [`lossless::problems`](crate::support::lossless::problems): it decodes into the generated type of its
//! operation, encodes back to the same JSON, and has no property its document does not declare.
//!
//! The index names each example's method, path and direction. Examples the docs got wrong (they
//! contradict the server's source) are listed by each test with the source that decides, and
//! checked twice: as published they must fail, and with exactly the documented mistake corrected
//! they must pass.

#![allow(dead_code)]

use std::path::PathBuf;

use serde_json::Value;

use crate::support::apis::Api;
use crate::support::lossless::{problems, unknown_properties_lost, Body};

/// An upstream example that disagrees with the server, why, and the correction that makes it
/// what the server really sends or reads.
pub struct WrongInDocs {
    pub file: &'static str,
    pub why: &'static str,
    pub correct: fn(&mut Value),
}

/// One API's examples and how to read them.
pub struct Fixtures {
    pub api: Api,
    pub wrong_in_docs: &'static [WrongInDocs],
    /// Error answers documented for an operation (by id and status): the schema of their body.
    pub error_bodies: &'static [(&'static str, u16, &'static str)],
}

impl Fixtures {
    fn dir(&self) -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(self.api.name)
    }

    /// Checks every example and fails the test on any problem, or when not exactly `expected`
    /// examples were checked (so an index that shrinks or grows is noticed).
    pub fn assert_all_lossless(&self, expected: usize) {
        let (checked, failures) = self.check();
        assert!(
            failures.is_empty(),
            "{} problems:\n{}",
            failures.len(),
            failures.join("\n")
        );
        assert_eq!(checked, expected, "examples checked");
        // Straight to stderr, which the test harness does not capture, so the count shows.
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "lossless: {checked} {} examples decode, encode back exactly and declare every property",
            self.api.name
        );
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
                .api
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
            let body = match direction {
                "request" => Body::Request,
                _ => {
                    let status = status.unwrap_or(op.success[0]);
                    if error_schema.is_none() && !op.success.contains(&status) {
                        failures.push(format!(
                            "{at}: documented status {status}, declared {:?}",
                            op.success
                        ));
                    }
                    Body::Response(status)
                }
            };
            checked += 1;
            let check = |value: &Value| problems(&self.api, op, body, error_schema, value);
            let found = check(&value);
            let patch =
                body == Body::Request && op.body_media_type == Some("application/merge-patch+json");
            if found.is_empty() && !patch {
                failures.extend(
                    unknown_properties_lost(&self.api, op, body, error_schema, &value)
                        .into_iter()
                        .map(|p| format!("{at}: {p}")),
                );
            }
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
                    for problem in check(&corrected) {
                        failures.push(format!("{at}: still wrong after the correction: {problem}"));
                    }
                }
            }
        }
        (checked, failures)
    }
}
