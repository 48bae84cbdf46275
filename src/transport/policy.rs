//! One client's limits and retries.

use std::time::Duration;

use tokio::time::Instant;

use super::body::BodyLimit;
use crate::hook::Hooks;
use crate::retry::{Retrier, RetryPolicy};

/// How long a call may take, how much of an answer is read, how failures are retried, and the
/// user's hooks: one client's settings, from its builder. Clones share the retry budget.
#[derive(Debug, Clone)]
pub(crate) struct Policy {
    /// The longest a call may take, every attempt and delay included.
    pub(crate) timeout: Option<Duration>,
    /// The largest success body read.
    pub(crate) body_limit: BodyLimit,
    pub(crate) retrier: Retrier,
    /// The user's hooks, run around every attempt.
    pub(crate) hooks: Hooks,
}

impl Policy {
    pub(crate) fn new(timeout: Option<Duration>, max_body: usize, retry: RetryPolicy) -> Self {
        Policy {
            timeout,
            body_limit: BodyLimit::Configured(max_body),
            retrier: Retrier::new(retry),
            hooks: Hooks::default(),
        }
    }

    /// The same policy, with a retry budget of its own: a client whose server fails does not
    /// use up the retries of a client of another server.
    #[cfg_attr(not(any(feature = "watcher", feature = "monasca")), allow(dead_code))]
    pub(crate) fn with_own_budget(&self) -> Policy {
        Policy {
            retrier: Retrier::new(self.retrier.policy),
            ..self.clone()
        }
    }

    /// The same policy for a login: its answers are read up to
    /// [`LOGIN_BODY_LIMIT`](super::body::LOGIN_BODY_LIMIT).
    pub(crate) fn for_login(&self) -> Policy {
        Policy {
            body_limit: BodyLimit::Login,
            ..self.clone()
        }
    }

    pub(super) fn deadline(&self, started: Instant) -> Option<Instant> {
        self.timeout.and_then(|t| started.checked_add(t))
    }
}
