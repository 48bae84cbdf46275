//! Requests no generated operation describes: logins, token refreshes, logouts, OpenID
//! Connect discovery and token requests. They take the same pipeline as generated calls (span,
//! retries, timeout, redirect policy); their answers are small and read whole, up to the
//! transport's body limit, which for a login transport is the login limit.

use bytes::Bytes;
use reqwest::header::HeaderMap;
use reqwest::{Request, Response, StatusCode};
use serde::de::DeserializeOwned;

use super::attempt::RequestName;
use super::body::{read_limited, read_prefix, ERROR_BODY_LIMIT};
use super::pipeline::{request_span, traced};
use super::Transport;
use crate::error::{Error, UnexpectedResponse};
use crate::Result;

/// Makes the error of an error answer from its status and the start of its body.
pub(crate) type Refusal<'a> = &'a (dyn Fn(StatusCode, &[u8]) -> Error + Send + Sync);

/// What the span and the answer check need to know of a call.
pub(crate) struct Call<'a> {
    /// The API's name in the span, when not the transport's (an identity provider's).
    pub(crate) api: Option<&'static str>,
    /// The operation's name in the span: `login`, `refresh_token`, `logout`, ….
    pub(crate) operation: &'static str,
    /// The path template in the span; empty when the URL comes from elsewhere.
    pub(crate) template: &'static str,
    /// The statuses whose answer is read and returned.
    pub(crate) accepted: fn(StatusCode) -> bool,
    /// The error an error answer is; `None`: the API's error decoding.
    pub(crate) refusal: Option<Refusal<'a>>,
}

impl Call<'_> {
    /// A call to the transport's API, answered with 200.
    pub(crate) fn new(operation: &'static str, template: &'static str) -> Call<'static> {
        Call {
            api: None,
            operation,
            template,
            accepted: |status| status == StatusCode::OK,
            refusal: None,
        }
    }
}

/// An accepted answer, read whole.
pub(crate) struct Answer {
    pub(crate) status: StatusCode,
    #[cfg_attr(not(feature = "openstack"), allow(dead_code))] // Keystone's subject token
    pub(crate) headers: HeaderMap,
    /// Not shown by `Debug` or in errors: it may hold a token.
    pub(crate) body: Bytes,
}

impl Answer {
    /// The body as `T`. An error says where it broke, never what it holds (tokens).
    pub(crate) fn token_json<T: DeserializeOwned>(&self) -> Result<T> {
        serde_json::from_slice(&self.body)
            .map_err(|e| crate::auth::token_body_error(self.status, &e))
    }

    /// The body as `T`, for answers that hold no secret: an error shows its start.
    #[cfg_attr(not(feature = "openstack"), allow(dead_code))] // discovery and federation
    pub(crate) fn json<T: DeserializeOwned>(&self, what: &str) -> Result<T> {
        serde_json::from_slice(&self.body)
            .map_err(|e| Error::malformed(Some(self.status), format!("{what}: {e}"), &self.body))
    }
}

impl Transport {
    /// Sends `request` through the pipeline inside a span named by `call`, and reads its
    /// answer: an accepted one whole (up to the body limit), an error one into the error
    /// `call` makes of it. Any other status is an unexpected answer whose body is not read,
    /// as it may hold a token. The session, if any, is not asked for a token: these calls
    /// carry their own credentials.
    #[cfg_attr(
        not(any(feature = "sensu", feature = "saltant", feature = "openstack")),
        allow(dead_code)
    )] // their logins
    pub(crate) async fn call(
        &self,
        http: &reqwest::Client,
        call: Call<'_>,
        request: Request,
    ) -> Result<Answer> {
        let name = RequestName {
            api: call.api.unwrap_or(self.hooks.name()),
            operation: call.operation,
            template: call.template,
        };
        let span = request_span(name, &request);
        traced(span, |started| async move {
            let response = self.exchange(http, None, name, request, started).await?;
            self.answer(&call, response).await
        })
        .await
    }

    /// Sends a generated operation's `GET` as the operation would be sent (its credentials,
    /// the API's adjustments, retries), and reads the answer whatever its status, up to the body
    /// limit: drift checks judge the status themselves.
    #[cfg(feature = "drift")]
    pub(crate) async fn probe(
        &self,
        http: &reqwest::Client,
        op: Option<&'static crate::operation::Operation>,
        request: Request,
    ) -> Result<Answer> {
        let name = RequestName {
            api: self.hooks.name(),
            operation: op.map_or("drift", |op| op.id),
            template: op.map_or("", |op| op.path),
        };
        let span = request_span(name, &request);
        traced(span, |started| async move {
            let response = self.exchange(http, op, name, request, started).await?;
            let status = response.status();
            let headers = response.headers().clone();
            let body = read_limited(response, self.policy.body_limit)
                .await
                .map_err(Error::from_reqwest)??;
            Ok(Answer {
                status,
                headers,
                body,
            })
        })
        .await
    }

    async fn answer(&self, call: &Call<'_>, response: Response) -> Result<Answer> {
        let status = response.status();
        tracing::debug!(status = status.as_u16(), "answered");
        if (call.accepted)(status) {
            let headers = response.headers().clone();
            let body = read_limited(response, self.policy.body_limit)
                .await
                .map_err(Error::from_reqwest)??;
            return Ok(Answer {
                status,
                headers,
                body,
            });
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
        let body = read_prefix(response, ERROR_BODY_LIMIT)
            .await
            .map_err(Error::from_reqwest)?;
        Err(match call.refusal {
            Some(refuse) => refuse(status, &body),
            None => Error::from_api(self.hooks.decode_error(status, &body)),
        })
    }
}
