//! Checks every answer a test received against its document, when the test ends.
//!
//! `let _answers = Conformance::start();` at the top of a test records each success answer
//! (through the library's answer observer, `opsclient::observe`); when the guard drops, every recorded body must pass
//! [`lossless::problems`](super::lossless::problems), and the test fails naming the operation
//! and the JSON path of each problem. A test that already failed is not checked again.

#![allow(dead_code)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::thread::ThreadId;

use opsclient::observe::{set_answer_observer, AnswerObserver};
use opsclient::operation::Operation;
use serde_json::Value;

use super::apis::{self, Api};
use super::lossless::{problems, Body};

pub struct Conformance {
    recording: Recording,
    apis: Vec<Api>,
    /// Whether the test must have received at least one body to check: a recording that saw
    /// none would otherwise pass while proving nothing.
    answers_expected: bool,
}

impl Conformance {
    pub fn start() -> Conformance {
        Conformance {
            recording: Recording::start(),
            apis: apis::enabled(),
            answers_expected: false,
        }
    }

    /// Like [`start`](Self::start), and the test fails when no answer body was checked.
    pub fn expecting_answers() -> Conformance {
        Conformance {
            recording: Recording::start(),
            apis: apis::enabled(),
            answers_expected: true,
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
            checked > 0 || !self.answers_expected,
            "conformance: no answer body was recorded, so nothing was checked"
        );
        assert!(
            failures.is_empty(),
            "{} answers differ from their documents:\n{}",
            failures.len(),
            failures.join("\n")
        );
    }
}

/// One answer with a declared success status, as the server sent it.
#[derive(Debug, Clone)]
pub struct Answer {
    /// The operation that was answered.
    pub operation: &'static Operation,
    /// The HTTP status.
    pub status: u16,
    /// The body, unchanged.
    pub body: Vec<u8>,
}

/// Answers are recorded while at least one recording is alive.
static RECORDINGS: AtomicUsize = AtomicUsize::new(0);
static ANSWERS: Mutex<Vec<(ThreadId, Answer)>> = Mutex::new(Vec::new());

/// The observer this test binary installs: it keeps each answer with the thread that read it.
struct Recorder;

impl AnswerObserver for Recorder {
    fn observing(&self) -> bool {
        RECORDINGS.load(Ordering::SeqCst) > 0
    }

    fn answer(&self, operation: &'static Operation, status: u16, body: &[u8]) {
        answers().push((
            std::thread::current().id(),
            Answer {
                operation,
                status,
                body: body.to_vec(),
            },
        ));
    }
}

fn answers() -> std::sync::MutexGuard<'static, Vec<(ThreadId, Answer)>> {
    ANSWERS
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Records the answers received on the thread that started it, until it is dropped.
///
/// A `#[tokio::test]` runs on its own thread, so concurrent tests keep apart.
#[derive(Debug)]
pub struct Recording {
    thread: ThreadId,
}

impl Recording {
    /// Starts recording the answers of calls made on this thread.
    pub fn start() -> Recording {
        // The first recording of the binary installs the observer; later calls find it there.
        set_answer_observer(Recorder);
        RECORDINGS.fetch_add(1, Ordering::SeqCst);
        Recording {
            thread: std::thread::current().id(),
        }
    }

    /// The answers recorded on this thread since the last call, oldest first.
    pub fn take(&self) -> Vec<Answer> {
        let mut all = answers();
        let (mine, others) = std::mem::take(&mut *all)
            .into_iter()
            .partition(|(thread, _)| *thread == self.thread);
        *all = others;
        mine.into_iter().map(|(_, answer)| answer).collect()
    }
}

impl Drop for Recording {
    fn drop(&mut self) {
        let _ = self.take();
        RECORDINGS.fetch_sub(1, Ordering::SeqCst);
    }
}
