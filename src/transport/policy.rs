//! One client's limits and retries.

use std::time::Duration;

use reqwest::{Request, Response, StatusCode};
use tokio::time::Instant;

use super::body::{read_error_body, BodyLimit};
use crate::error::{Error, UnexpectedResponse};
use crate::retry::{Retrier, RetryPolicy};
use crate::Result;

/// How long a call may take, how much of an answer is read, and how failures are retried: one
/// client's settings, from its builder. Clones share the retry budget.
#[derive(Debug, Clone)]
pub(crate) struct Policy {
    /// The longest a call may take, every attempt and delay included.
    pub(crate) timeout: Option<Duration>,
    /// The largest success body read.
    pub(crate) body_limit: BodyLimit,
    pub(crate) retrier: Retrier,
}

impl Policy {
    pub(crate) fn new(timeout: Option<Duration>, max_body: usize, retry: RetryPolicy) -> Self {
        Policy {
            timeout,
            body_limit: BodyLimit::Configured(max_body),
            retrier: Retrier::new(retry),
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

    /// The same policy for a login: its answers are read up to [`LOGIN_BODY_LIMIT`].
    #[cfg_attr(not(feature = "openstack"), allow(dead_code))]
    pub(crate) fn for_login(&self) -> Policy {
        Policy {
            body_limit: BodyLimit::Login,
            ..self.clone()
        }
    }

    pub(super) fn deadline(&self, started: Instant) -> Option<Instant> {
        self.timeout.and_then(|t| started.checked_add(t))
    }

    /// Sends a request that no generated operation describes (a login, a token refresh),
    /// with the same retries and the same timeout as the generated calls. An answer whose
    /// status `accepted` takes is returned; an error status is the error that `refuse` makes
    /// of the start of its body; any other status is an unexpected answer whose body is not
    /// read, as it may hold a token.
    #[cfg_attr(
        not(any(feature = "sensu", feature = "saltant", feature = "openstack")),
        allow(dead_code)
    )] // their logins
    pub(crate) async fn send(
        &self,
        http: &reqwest::Client,
        request: Request,
        idempotent: bool,
        accepted: impl FnOnce(StatusCode) -> bool,
        refuse: impl FnOnce(StatusCode, &[u8]) -> Error,
    ) -> Result<Response> {
        let deadline = self.deadline(Instant::now());
        let response = self
            .retrier
            .send(http, request, idempotent, deadline)
            .await
            .outcome
            .map_err(Error::from_reqwest)?;
        let status = response.status();
        if accepted(status) {
            return Ok(response);
        }
        if !(status.is_client_error() || status.is_server_error()) {
            return Err(Error::UnexpectedResponse(UnexpectedResponse {
                status: Some(status),
                reason: "a status this request does not expect (its body is not shown: it may \
                         hold a token)"
                    .into(),
                body: String::new(),
            }));
        }
        let body = read_error_body(response).await?;
        Err(refuse(status, &body))
    }
}
