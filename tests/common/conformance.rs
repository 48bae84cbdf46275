//! Checks every answer a test received against its document, when the test ends.
//!
//! `let _answers = Conformance::start();` at the top of a test records each success answer
//! (feature `conformance`); when the guard drops, every recorded body must pass
//! [`lossless::problems`](super::lossless::problems), and the test fails naming the operation
//! and the JSON path of each problem. A test that already failed is not checked again.

#![allow(dead_code)]

use opsclient::conformance::Recording;
use serde_json::Value;

use super::apis::{self, Api};
use super::lossless::{problems, Body};

pub struct Conformance {
    recording: Recording,
    apis: Vec<Api>,
}

impl Conformance {
    pub fn start() -> Conformance {
        Conformance {
            recording: Recording::start(),
            apis: apis::enabled(),
        }
    }

    /// Checks the answers recorded so far; returns how many, and the problems.
    pub fn check(&self) -> (usize, Vec<String>) {
        let mut failures = Vec::new();
        let mut checked = 0;
        for answer in self.recording.take() {
            let op = answer.operation;
            let Some(api) = self.apis.iter().find(|api| api.owns(op)) else {
                failures.push(format!("{}: an operation of no known API", op.id));
                continue;
            };
            let declared = opsclient_codegen::conformance::answer_schema(
                api.document(),
                op.method,
                op.path,
                answer.status,
            );
            if declared.is_none() {
                continue; // no JSON body declared (none, or text such as Prometheus metrics)
            }
            let at = format!("{} {} ({} {})", api.name, op.id, op.method, answer.status);
            let value: Value = match serde_json::from_slice(&answer.body) {
                Ok(value) => value,
                Err(e) => {
                    failures.push(format!("{at}: the body is not JSON: {e}"));
                    continue;
                }
            };
            checked += 1;
            failures.extend(
                problems(api, op, Body::Response(answer.status), None, &value)
                    .into_iter()
                    .map(|p| format!("{at}: {p}")),
            );
        }
        (checked, failures)
    }
}

impl Drop for Conformance {
    fn drop(&mut self) {
        if std::thread::panicking() {
            return;
        }
        let (checked, failures) = self.check();
        // Straight to stderr, which the test harness does not capture, so the count shows.
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "conformance: {checked} answer bodies decode, encode back exactly and declare every property"
        );
        assert!(
            failures.is_empty(),
            "{} answers differ from their documents:\n{}",
            failures.len(),
            failures.join("\n")
        );
    }
}
