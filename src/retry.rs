//! Sending a request again after a passing failure: one mechanism for every API.
//!
//! What is retried: a failure to connect (nothing reached the server, so any method), and, for
//! requests that are safe to repeat (GET, HEAD, OPTIONS, PUT, DELETE, or an operation its
//! document marks `x-idempotent`), a connection closed before any answer and the statuses 429,
//! 502, 503 and 504. A POST or PATCH that may have reached the server is never sent twice.
//!
//! How long between attempts: exponential backoff with full jitter (a random delay up to
//! `base × 2^(retry-1)`, at most the cap), or the server's `Retry-After` on 429 and 503 (in
//! seconds or as an HTTP date), also at most the cap. Every attempt fits in the caller's
//! timeout: a retry that could not finish in time is not made. A retry budget shared by the
//! client's clones stops retries when most recent attempts failed, so a failing server is not
//! hammered by many callers at once.
//!
//! Why not `reqwest::retry` or `backon`: reqwest 0.13's retry policy has no backoff and no
//! `Retry-After`, and decides per client, so it can neither honour a document's `x-idempotent`
//! nor fit the attempts into the caller's deadline; `backon` would bring the backoff alone. The
//! loop below owns all of it in one place. (reqwest's own default, resending a request a
//! pooled connection refused before reading it, stays on: nothing was processed.)

use std::future::Future;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

// tokio's clock, which tests can pause, is the one its timers and reqwest's timeouts follow.
use tokio::time::Instant;

use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::{Method, Request, Response, StatusCode};

/// When and how often a failed request is sent again.
///
/// ```
/// use std::time::Duration;
/// use opsclient::RetryPolicy;
///
/// let patient = RetryPolicy::default()
///     .max_attempts(5)
///     .base_delay(Duration::from_millis(500))
///     .max_delay(Duration::from_secs(30));
/// let never = RetryPolicy::disabled();
/// # let _ = (patient, never);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    connect_attempts: u32,
    status_attempts: u32,
    base: Duration,
    cap: Duration,
}

impl Default for RetryPolicy {
    /// 3 attempts, 250 ms base delay, 20 s cap.
    fn default() -> Self {
        RetryPolicy {
            connect_attempts: 3,
            status_attempts: 3,
            base: Duration::from_millis(250),
            cap: Duration::from_secs(20),
        }
    }
}

impl RetryPolicy {
    /// Every request is sent once.
    pub fn disabled() -> Self {
        RetryPolicy::default().max_attempts(1)
    }

    /// How many times a request may be sent in all, for any passing failure (at least 1).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.connect_attempts = attempts.max(1);
        self.status_attempts = attempts.max(1);
        self
    }

    /// How many times a request is sent again after a failure to connect or a connection
    /// closed before an answer (keystoneauth's `connect_retries`).
    pub fn connect_retries(mut self, retries: u32) -> Self {
        self.connect_attempts = retries.saturating_add(1);
        self
    }

    /// How many times a request is sent again after 429, 502, 503 or 504 (keystoneauth's
    /// `status_code_retries`).
    pub fn status_code_retries(mut self, retries: u32) -> Self {
        self.status_attempts = retries.saturating_add(1);
        self
    }

    /// The delay before the first retry, before jitter; it doubles for each further one.
    pub fn base_delay(mut self, base: Duration) -> Self {
        self.base = base;
        self
    }

    /// The longest delay between two attempts, `Retry-After` included.
    pub fn max_delay(mut self, cap: Duration) -> Self {
        self.cap = cap;
        self
    }

    /// The delay before retry number `retry` (1 for the first): the server's wish when it
    /// gave one, else a random share of the doubled base; at most the cap either way.
    pub(crate) fn delay(&self, retry: u32, retry_after: Option<Duration>) -> Duration {
        if let Some(wanted) = retry_after {
            return wanted.min(self.cap);
        }
        let doubling = 2u32.saturating_pow(retry.saturating_sub(1));
        let ceiling = self.base.saturating_mul(doubling).min(self.cap);
        Duration::try_from_secs_f64(ceiling.as_secs_f64() * fastrand::f64()).unwrap_or(ceiling)
    }

    fn attempts(&self, reason: Transient) -> u32 {
        match reason {
            Transient::Connect | Transient::Closed => self.connect_attempts,
            Transient::Status(_) => self.status_attempts,
        }
    }
}

/// Why an attempt failed for a reason that may pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Transient {
    /// The connection could not be made: nothing was sent.
    Connect,
    /// The connection closed before any answer: the request may have been received.
    Closed,
    /// 429, 502, 503 or 504.
    Status(StatusCode),
}

impl Transient {
    fn describe(self) -> String {
        match self {
            Transient::Connect => "could not connect".into(),
            Transient::Closed => "connection closed before an answer".into(),
            Transient::Status(status) => format!("answered {status}"),
        }
    }
}

/// Whether an attempt's outcome may pass, and the request may be sent again.
pub(crate) fn transient(
    outcome: &reqwest::Result<Response>,
    idempotent: bool,
) -> Option<Transient> {
    match outcome {
        // A proxy's refusal is its answer, not a lost connection.
        Err(e) if crate::proxy::refusal(e).is_some() => None,
        Err(e) if e.is_connect() => Some(Transient::Connect),
        Err(e) if idempotent && !e.is_timeout() && (e.is_request() || e.is_body()) => {
            Some(Transient::Closed)
        }
        Ok(response) if idempotent => {
            let status = response.status();
            matches!(status.as_u16(), 429 | 502 | 503 | 504).then_some(Transient::Status(status))
        }
        _ => None,
    }
}

/// Whether sending the request twice has the effect of sending it once.
pub(crate) fn is_idempotent(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::OPTIONS | Method::PUT | Method::DELETE
    )
}

/// The server's `Retry-After`, in seconds or as an HTTP date, counted from `now`.
pub(crate) fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

/// A token bucket of retries, shared by a client's clones: each retry takes
/// [`Budget::RETRY_COST`], each success puts one back, up to [`Budget::CAPACITY`].
#[derive(Debug)]
pub(crate) struct Budget(AtomicU32);

impl Budget {
    const CAPACITY: u32 = 500;
    const RETRY_COST: u32 = 5;

    pub(crate) fn new() -> Self {
        Budget(AtomicU32::new(Self::CAPACITY))
    }

    fn withdraw(&self) -> bool {
        self.0
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |left| {
                left.checked_sub(Self::RETRY_COST)
            })
            .is_ok()
    }

    fn deposit(&self) {
        let _ = self
            .0
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |left| {
                (left < Self::CAPACITY).then_some(left + 1)
            });
    }
}

/// Sends requests under a policy and a budget.
#[derive(Debug, Clone)]
pub(crate) struct Retrier {
    pub(crate) policy: RetryPolicy,
    budget: Arc<Budget>,
}

/// The outcome of a send, how many attempts it took, and the unsent copy of the request that
/// was kept for a retry (`None` for a body that cannot be copied), so the caller can send it
/// once more without copying it again.
pub(crate) struct Sent {
    pub(crate) outcome: reqwest::Result<Response>,
    pub(crate) attempts: u32,
    pub(crate) spare: Option<Request>,
}

impl Retrier {
    pub(crate) fn new(policy: RetryPolicy) -> Self {
        Retrier {
            policy,
            budget: Arc::new(Budget::new()),
        }
    }

    /// Sends `request` through `attempt` (given each copy and its number, from 1), and again
    /// while its outcome is transient, the policy allows another attempt, the budget has room
    /// and the retry fits before `deadline`. Each attempt is given the time left until the
    /// deadline.
    pub(crate) async fn send<A, F>(
        &self,
        request: Request,
        idempotent: bool,
        deadline: Option<Instant>,
        mut attempt_with: A,
    ) -> Sent
    where
        A: FnMut(Request, u32) -> F,
        F: Future<Output = reqwest::Result<Response>>,
    {
        // A body that cannot be copied (a stream) is sent once.
        let template = request.try_clone();
        let mut request = request;
        let mut attempt = 1;
        loop {
            if let Some(deadline) = deadline {
                *request.timeout_mut() = Some(deadline.saturating_duration_since(Instant::now()));
            }
            let outcome = attempt_with(request, attempt).await;
            let Some(reason) = transient(&outcome, idempotent) else {
                if outcome.is_ok() {
                    self.budget.deposit();
                }
                return Sent {
                    outcome,
                    attempts: attempt,
                    spare: template,
                };
            };
            let wanted = match (&outcome, reason) {
                (Ok(response), Transient::Status(s)) if matches!(s.as_u16(), 429 | 503) => {
                    retry_after(response.headers(), SystemTime::now())
                }
                _ => None,
            };
            let delay = self.policy.delay(attempt, wanted);
            let in_time =
                deadline.is_none_or(|d| Instant::now().checked_add(delay).is_some_and(|t| t < d));
            let next = template.as_ref().and_then(Request::try_clone);
            let Some(next) = next.filter(|_| {
                attempt < self.policy.attempts(reason) && in_time && self.budget.withdraw()
            }) else {
                return Sent {
                    outcome,
                    attempts: attempt,
                    spare: template,
                };
            };
            tracing::info!(
                reason = %reason.describe(),
                attempt,
                delay_ms = delay.as_millis() as u64,
                "retrying"
            );
            drop(outcome);
            tokio::time::sleep(delay).await;
            request = next;
            attempt += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_double_under_the_cap_and_retry_after_is_capped() {
        let policy = RetryPolicy::default()
            .base_delay(Duration::from_millis(100))
            .max_delay(Duration::from_secs(1));
        for _ in 0..200 {
            assert!(policy.delay(1, None) <= Duration::from_millis(100));
            assert!(policy.delay(3, None) <= Duration::from_millis(400));
            assert!(policy.delay(30, None) <= Duration::from_secs(1));
            assert!(policy.delay(u32::MAX, None) <= Duration::from_secs(1));
            let unbounded = RetryPolicy::default().max_delay(Duration::MAX);
            assert!(unbounded.delay(u32::MAX, Some(Duration::MAX)) == Duration::MAX);
            let _ = unbounded.delay(u32::MAX, None);
        }
        assert_eq!(
            policy.delay(1, Some(Duration::from_secs(7))),
            Duration::from_secs(1)
        );
        assert_eq!(
            policy.delay(1, Some(Duration::from_millis(300))),
            Duration::from_millis(300)
        );
    }

    #[test]
    fn retry_after_in_seconds_and_as_a_date() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, "7".parse().unwrap());
        assert_eq!(retry_after(&headers, now), Some(Duration::from_secs(7)));
        let later = httpdate::fmt_http_date(now + Duration::from_secs(12));
        headers.insert(RETRY_AFTER, later.parse().unwrap());
        assert_eq!(retry_after(&headers, now), Some(Duration::from_secs(12)));
        headers.insert(
            RETRY_AFTER,
            "Fri, 31 Dec 1999 23:59:59 GMT".parse().unwrap(),
        );
        assert_eq!(retry_after(&headers, now), Some(Duration::ZERO));
        headers.insert(RETRY_AFTER, "soon".parse().unwrap());
        assert_eq!(retry_after(&headers, now), None);
        headers.insert(RETRY_AFTER, "99999999999999999999".parse().unwrap());
        assert_eq!(retry_after(&headers, now), None);
    }

    #[test]
    fn the_budget_runs_out_and_refills_on_success() {
        let budget = Budget::new();
        let retries = (0..1000).take_while(|_| budget.withdraw()).count();
        assert_eq!(retries, 100);
        for _ in 0..5 {
            budget.deposit();
        }
        assert!(budget.withdraw());
        assert!(!budget.withdraw());
    }

    #[test]
    fn a_full_budget_does_not_grow_past_its_capacity() {
        let budget = Budget::new();
        // Successes on a full bucket put nothing back: still 100 retries, not 101.
        for _ in 0..Budget::RETRY_COST {
            budget.deposit();
        }
        let retries = (0..1000).take_while(|_| budget.withdraw()).count();
        assert_eq!(retries, (Budget::CAPACITY / Budget::RETRY_COST) as usize);
    }

    #[test]
    fn only_safe_methods_repeat() {
        for method in [
            Method::GET,
            Method::HEAD,
            Method::OPTIONS,
            Method::PUT,
            Method::DELETE,
        ] {
            assert!(is_idempotent(&method));
        }
        assert!(!is_idempotent(&Method::POST));
        assert!(!is_idempotent(&Method::PATCH));
    }

    #[test]
    fn attempts_are_counted_per_kind() {
        let policy = RetryPolicy::default()
            .connect_retries(4)
            .status_code_retries(0);
        assert_eq!(policy.attempts(Transient::Connect), 5);
        assert_eq!(
            policy.attempts(Transient::Status(StatusCode::BAD_GATEWAY)),
            1
        );
        assert_eq!(RetryPolicy::disabled().attempts(Transient::Connect), 1);
    }
}
