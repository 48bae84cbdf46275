//! The last stage: a declared answer is read up to the body limit, any other is decoded into
//! the crate's error.

use reqwest::header::HeaderMap;
use reqwest::Response;

use super::body::{read_limited, read_prefix, ERROR_BODY_LIMIT};
use super::bridge::reassemble;
use super::Transport;
use crate::error::{excerpt, Error, UnexpectedResponse};
use crate::operation::Operation;
use crate::retry;
use crate::Result;

impl Transport {
    /// Reads a success answer, up to the body limit, and gives back an equal one.
    pub(super) async fn accept(
        &self,
        op: Option<&'static Operation>,
        response: Response,
    ) -> Result<Response> {
        // A body of declared length within the limit cannot outgrow it (hyper reads no more
        // than the length), so it goes to the decoder unread and uncopied; reqwest's timeout,
        // set from the deadline, still covers reading it. An answer observer reads it. A
        // compressed answer has no length once decoding starts, so it is read and counted.
        let observer = crate::observe::observer();
        if observer.is_none()
            && response
                .content_length()
                .is_some_and(|length| length <= self.policy.body_limit.bytes() as u64)
        {
            return Ok(response);
        }
        let status = response.status();
        let headers = response.headers().clone();
        let body = read_limited(response, self.policy.body_limit)
            .await
            .map_err(Error::from_reqwest)??;
        if let (Some(observer), Some(op)) = (observer, op) {
            observer.answer(op, status.as_u16(), &body);
        }
        Ok(reassemble(status, headers, body))
    }

    /// Reads an undeclared answer and decodes it into the crate's error.
    pub(super) async fn reject(&self, response: Response) -> Error {
        let status = response.status();
        let headers = response.headers().clone();
        let body = match read_prefix(response, ERROR_BODY_LIMIT).await {
            Ok(body) => body,
            Err(e) => return Error::from_reqwest(e),
        };
        if status.is_client_error() || status.is_server_error() {
            let mut decoded = self.hooks.decode_error(status, &body);
            decoded.retry_after = retry::retry_after(&headers, std::time::SystemTime::now());
            decoded.request_id = request_id(&headers);
            let error = match Error::from_api(decoded) {
                Error::AlreadyExists(e) if !self.hooks.conflict_means_exists(&body) => {
                    Error::Conflict(e)
                }
                error => error,
            };
            self.hooks.refine(&headers, error)
        } else if status.is_redirection() && headers.contains_key(reqwest::header::LOCATION) {
            // Same-origin redirects were followed; this one leads elsewhere.
            Error::UnexpectedResponse(UnexpectedResponse {
                status: Some(status),
                reason: "a redirect to another host is not followed: credentials and bodies go \
                         only to the configured server"
                    .into(),
                body: String::new(),
            })
        } else {
            Error::UnexpectedResponse(UnexpectedResponse {
                status: Some(status),
                reason: "status not declared for this operation".into(),
                body: excerpt(&body),
            })
        }
    }
}

/// The request id a server gave its answer, for reports to its operators.
fn request_id(headers: &HeaderMap) -> Option<String> {
    [
        "x-openstack-request-id",
        "x-request-id",
        "x-compute-request-id",
    ]
    .iter()
    .find_map(|name| headers.get(*name))
    .and_then(|value| value.to_str().ok())
    .filter(|id| id.len() <= 128)
    .map(str::to_string)
}
