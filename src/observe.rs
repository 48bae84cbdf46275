//! A process-wide observer of the answers the clients read, for tests that check every answer
//! body against its document.
//!
//! Nothing is observed until a program installs an [`AnswerObserver`]; until then the request
//! path pays one atomic load. Installed, it sees every answer with a declared success status,
//! whole, tokens included: it is a tool for tests, with no place in production code.
//!
//! ```no_run
//! use opsclient::observe::{set_answer_observer, AnswerObserver};
//! use opsclient::operation::Operation;
//!
//! struct Sizes;
//!
//! impl AnswerObserver for Sizes {
//!     fn answer(&self, operation: &'static Operation, status: u16, body: &[u8]) {
//!         eprintln!("{} {status}: {} bytes", operation.id, body.len());
//!     }
//! }
//!
//! set_answer_observer(Sizes);
//! ```

use std::sync::OnceLock;

use crate::operation::Operation;

/// Sees each answer with a declared success status that a client of this process reads.
pub trait AnswerObserver: Send + Sync + 'static {
    /// Whether answers are wanted now. While this says no, answers are not read whole for the
    /// observer, and the client behaves as if none were installed.
    fn observing(&self) -> bool {
        true
    }

    /// One answer, as the server sent it: its operation, status and whole body.
    fn answer(&self, operation: &'static Operation, status: u16, body: &[u8]);
}

static OBSERVER: OnceLock<Box<dyn AnswerObserver>> = OnceLock::new();

/// Installs the process's answer observer. Only the first call installs one; it returns
/// whether this call did.
pub fn set_answer_observer(observer: impl AnswerObserver) -> bool {
    let mut installed = false;
    OBSERVER.get_or_init(|| {
        installed = true;
        Box::new(observer)
    });
    installed
}

/// The installed observer, if it wants answers now.
pub(crate) fn observer() -> Option<&'static dyn AnswerObserver> {
    OBSERVER
        .get()
        .map(|observer| observer.as_ref())
        .filter(|observer| observer.observing())
}
