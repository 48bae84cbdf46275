//! Records which operations the client had answered, from the transport's debug events, so a
//! test can check that it exercised every operation of a document.
//!
//! One subscriber serves the whole test binary and tags each line with its thread: per-thread
//! (scoped) subscribers lose events when tests run in parallel, because tracing caches each
//! event's interest across threads. A `#[tokio::test]` runs on its own thread, so the thread
//! tells the tests apart.

#![allow(dead_code)]

use std::collections::BTreeSet;
use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};
use std::thread::ThreadId;

use opsclient::operation::Operation;

#[derive(Clone, Default)]
struct Log(Arc<Mutex<Vec<u8>>>);

impl Write for Log {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The binary's log, with its subscriber installed on first use.
fn log() -> &'static Log {
    static LOG: OnceLock<Log> = OnceLock::new();
    LOG.get_or_init(|| {
        let log = Log::default();
        let writer = log.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(move || writer.clone())
            .with_ansi(false)
            .with_thread_ids(true)
            .with_max_level(tracing::Level::DEBUG)
            .finish();
        tracing::subscriber::set_global_default(subscriber).expect("no other subscriber");
        log
    })
}

/// The operations answered on one test's thread.
pub struct Recorder {
    thread: ThreadId,
}

impl Recorder {
    /// Starts recording for the calling test's thread.
    pub fn start() -> Recorder {
        log();
        Recorder {
            thread: std::thread::current().id(),
        }
    }

    /// Everything logged on the test's thread so far.
    pub fn text(&self) -> String {
        let text = String::from_utf8_lossy(&log().0.lock().unwrap()).into_owned();
        let thread = format!("{:0>2?}", self.thread);
        text.lines()
            .filter(|line| line.contains(&thread))
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// Generated method names that were answered with a declared success status.
    pub fn succeeded(&self) -> BTreeSet<String> {
        let text = String::from_utf8_lossy(&log().0.lock().unwrap()).into_owned();
        // Formatted as tracing-subscriber prints it: `ThreadId(02)`.
        let thread = format!("{:0>2?}", self.thread);
        text.lines()
            .filter(|line| line.contains(&thread))
            .filter(|line| line.contains(" answered") && line.contains("success=true"))
            .filter_map(|line| line.split("method_name=").nth(1))
            .filter_map(|rest| rest.split_whitespace().next())
            .map(|name| name.trim_matches('"').to_string())
            .collect()
    }

    /// Operations of `table` never answered with success.
    pub fn missing(&self, table: &[Operation]) -> Vec<String> {
        let done = self.succeeded();
        table
            .iter()
            .filter(|op| !done.contains(op.method_name))
            .map(|op| format!("{} ({} {})", op.id, op.method, op.path))
            .collect()
    }
}
