//! A record of the answers every client of the process received, so that tests can check each
//! body against its document (feature `conformance`).
//!
//! This is a tool for tests: opsclient's own tests use it to prove, against real servers, that
//! every answer decodes and that the documents declare every property the servers send. It keeps
//! whole answer bodies in memory, tokens included, so it has no place in production code.
//!
//! ```no_run
//! # #[cfg(feature = "sensu")]
//! # async fn run(client: opsclient::sensu::Client) -> opsclient::Result<()> {
//! let recording = opsclient::conformance::Recording::start();
//! client.list_namespaces().send().await?;
//! for answer in recording.take() {
//!     println!("{} {} bytes", answer.operation.id, answer.body.len());
//! }
//! # Ok(()) }
//! ```

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::thread::ThreadId;

use bytes::Bytes;
use reqwest::StatusCode;

use crate::operation::Operation;

/// One answer with a declared success status, as the server sent it.
#[derive(Debug, Clone)]
pub struct Answer {
    /// The operation that was answered.
    pub operation: &'static Operation,
    /// The HTTP status.
    pub status: u16,
    /// The body, unchanged.
    pub body: Bytes,
}

/// Answers are recorded while at least one recording is alive.
static RECORDINGS: AtomicUsize = AtomicUsize::new(0);
static ANSWERS: Mutex<Vec<(ThreadId, Answer)>> = Mutex::new(Vec::new());

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

/// Whether any recording is alive, so that answers must be read whole to be recorded.
pub(crate) fn recording() -> bool {
    RECORDINGS.load(Ordering::SeqCst) > 0
}

fn answers() -> std::sync::MutexGuard<'static, Vec<(ThreadId, Answer)>> {
    ANSWERS
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Records a success answer while a recording is alive.
pub(crate) fn record(operation: Option<&'static Operation>, status: StatusCode, body: &Bytes) {
    let Some(operation) = operation else {
        return;
    };
    if RECORDINGS.load(Ordering::SeqCst) == 0 {
        return;
    }
    answers().push((
        std::thread::current().id(),
        Answer {
            operation,
            status: status.as_u16(),
            body: body.clone(),
        },
    ));
}
