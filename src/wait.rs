//! Waiting for a server-side resource to reach a final state, polling it.
//!
//! Used for Watcher audits and action plans; the same loop serves any API whose resources move
//! through states.

use std::future::Future;
use std::time::{Duration, Instant};

use crate::error::{Error, Timeout};
use crate::Result;

/// Told each state the resource is seen in while waiting.
type Progress = Box<dyn FnMut(&str) + Send>;

/// The shortest interval between two polls.
pub const MIN_INTERVAL: Duration = Duration::from_millis(1);

/// How to wait.
///
/// ```
/// use std::time::Duration;
/// let wait = opsclient::wait::Wait::new(Duration::from_secs(300))
///     .every(Duration::from_secs(2))
///     .on_progress(|state| eprintln!("now {state}"));
/// ```
pub struct Wait {
    timeout: Duration,
    interval: Duration,
    progress: Option<Progress>,
}

impl Wait {
    /// Give up after `timeout`; poll every 2 s unless told otherwise.
    pub fn new(timeout: Duration) -> Self {
        Wait {
            timeout,
            interval: Duration::from_secs(2),
            progress: None,
        }
    }

    /// Poll every `interval`, at least [`MIN_INTERVAL`] (a shorter one is raised to it, so a
    /// zero interval cannot turn the wait into a busy loop against the server).
    pub fn every(mut self, interval: Duration) -> Self {
        self.interval = interval.max(MIN_INTERVAL);
        self
    }

    /// Called with the state each time it changes (the first state included).
    pub fn on_progress(mut self, progress: impl FnMut(&str) + Send + 'static) -> Self {
        self.progress = Some(Box::new(progress));
        self
    }

    /// Polls `fetch` until `state` of the result is one of `finals`, and returns that result.
    /// Errors from `fetch` end the wait; running out of time is [`Error::Timeout`], naming
    /// `what` and the last state seen.
    pub async fn until<T, F, Fut>(
        mut self,
        what: &str,
        finals: &[&str],
        mut fetch: F,
        state: impl Fn(&T) -> String,
    ) -> Result<T>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T>>,
    {
        // A timeout too long for the clock never ends the wait.
        let deadline = Instant::now().checked_add(self.timeout);
        let mut last: Option<String> = None;
        loop {
            let value = fetch().await?;
            let now = state(&value);
            if last.as_deref() != Some(now.as_str()) {
                if let Some(progress) = self.progress.as_mut() {
                    progress(&now);
                }
                tracing::debug!(what, state = %now, "waiting");
                last = Some(now.clone());
            }
            if finals.contains(&now.as_str()) {
                return Ok(value);
            }
            // No deadline: time is never short.
            let left = deadline.map_or(Duration::MAX, |d| {
                d.saturating_duration_since(Instant::now())
            });
            if left.is_zero() {
                return Err(Error::Timeout(Timeout {
                    what: format!("waiting for {what} (last state {now})"),
                    source: None,
                }));
            }
            tokio::time::sleep(self.interval.min(left)).await;
        }
    }
}

impl std::fmt::Debug for Wait {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Wait")
            .field("timeout", &self.timeout)
            .field("interval", &self.interval)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    #[tokio::test]
    async fn an_endless_wait_with_a_zero_interval_polls_until_the_final_state() {
        let polls = Arc::new(Mutex::new(0usize));
        let p = polls.clone();
        let started = Instant::now();
        let done = Wait::new(Duration::MAX)
            .every(Duration::ZERO)
            .until(
                "audit a1",
                &["SUCCEEDED"],
                || {
                    let p = p.clone();
                    async move {
                        let mut n = p.lock().unwrap();
                        *n += 1;
                        Ok(if *n < 5 { "ONGOING" } else { "SUCCEEDED" })
                    }
                },
                |s: &&str| s.to_string(),
            )
            .await
            .unwrap();
        assert_eq!(done, "SUCCEEDED");
        assert_eq!(*polls.lock().unwrap(), 5);
        // The zero interval was raised: four pauses of at least the minimum between five polls.
        assert!(started.elapsed() >= MIN_INTERVAL * 4);
    }

    #[tokio::test]
    async fn waits_reports_progress_and_times_out() {
        let states = ["PENDING", "ONGOING", "ONGOING", "SUCCEEDED"];
        let polls = Arc::new(Mutex::new(0usize));
        let seen = Arc::new(Mutex::new(Vec::new()));
        let (p, s) = (polls.clone(), seen.clone());
        let done = Wait::new(Duration::from_secs(5))
            .every(Duration::from_millis(1))
            .on_progress(move |state| s.lock().unwrap().push(state.to_string()))
            .until(
                "audit a1",
                &["SUCCEEDED", "FAILED"],
                || {
                    let p = p.clone();
                    async move {
                        let mut n = p.lock().unwrap();
                        *n += 1;
                        Ok(states[*n - 1])
                    }
                },
                |s: &&str| s.to_string(),
            )
            .await
            .unwrap();
        assert_eq!(done, "SUCCEEDED");
        assert_eq!(*polls.lock().unwrap(), 4);
        assert_eq!(*seen.lock().unwrap(), ["PENDING", "ONGOING", "SUCCEEDED"]);

        let err = Wait::new(Duration::from_millis(20))
            .every(Duration::from_millis(5))
            .until(
                "plan p1",
                &["SUCCEEDED"],
                || async { Ok("ONGOING") },
                |s: &&str| s.to_string(),
            )
            .await
            .unwrap_err();
        match err {
            Error::Timeout(t) => assert_eq!(t.what, "waiting for plan p1 (last state ONGOING)"),
            other => panic!("{other:?}"),
        }
    }
}
