//! The stages every request passes, in order: span, rules, credentials, send with retry,
//! token renewal, the API's one more try. A generated request's answer is then read by
//! `answer`; a login's or another call's by `call`.

use std::sync::atomic::Ordering;

use progenitor_client::OperationInfo;
use reqwest::header::{HeaderValue, CONTENT_TYPE};
use reqwest::{Request, Response, StatusCode};
use tokio::time::Instant;
use tracing::Instrument;

use super::attempt::{self, RequestName};
use super::body::read_back;
use super::credentials::{authorize, renew_and_sign, Credentials};
use super::Transport;
use crate::error::{Error, ProxyRefusal};
use crate::operation::{self, Auth, Operation};
use crate::retry;
use crate::Result;

impl Transport {
    /// Sends one generated request, inside the operation's span. Called from each generated
    /// `send()`; a value refused before sending is the error, as it is. An answer with a
    /// declared status is read up to the body limit; any other is the error it decodes to.
    pub(crate) async fn execute(
        &self,
        http: &reqwest::Client,
        table: &'static [Operation],
        request: Request,
        info: &OperationInfo,
    ) -> Result<Response> {
        let op = operation::find(table, info.operation_id);
        let name = RequestName {
            api: self.hooks.name(),
            operation: op.map_or(info.operation_id, |op| op.id),
            template: op.map_or("", |op| op.path),
        };
        let span = request_span(name, &request);
        traced(span, |started| async move {
            let response = self.exchange(http, op, name, request, started).await?;
            let status = response.status();
            let declared = match op {
                Some(op) => op.success.contains(&status.as_u16()),
                None => status.is_success(),
            };
            tracing::debug!(
                method_name = op.map_or("", |op| op.method_name),
                status = status.as_u16(),
                success = declared,
                "answered"
            );
            if declared {
                self.accept(op, response).await
            } else {
                Err(self.reject(response).await)
            }
        })
        .await
    }

    /// Everything between a built request and its final answer: the API's rules and
    /// adjustments, credentials, sending with retries (each attempt between the user's hooks),
    /// one renewal of a refused token, and the API's one more try. Records the answer's status
    /// on the current span.
    pub(super) async fn exchange(
        &self,
        http: &reqwest::Client,
        op: Option<&'static Operation>,
        name: RequestName,
        mut request: Request,
        started: Instant,
    ) -> Result<Response> {
        if let Some(op) = op {
            self.prepare(op, &mut request)?;
        }
        self.hooks.adapt(op, &mut request)?;
        let credentials = self.credentials();
        let auth = op.map_or(Auth::Token, |op| op.auth);
        let sent = authorize(&credentials, auth, &mut request).await?;
        let idempotent =
            retry::is_idempotent(request.method()) || op.is_some_and(|op| op.idempotent);
        let deadline = self.policy.deadline(started);
        let attempts = std::sync::atomic::AtomicU32::new(0);
        // Each send gives back the copy its retries kept, to send again after a 401 or an
        // API's renegotiation (streams cannot be copied). Those sends are not retries: they
        // answer a changed state, and have attempts of their own, numbered on from the last.
        let send = |request: Request| {
            let (retrier, attempts, hooks) = (&self.policy.retrier, &attempts, &self.policy.hooks);
            async move {
                let before = attempts.load(Ordering::Relaxed);
                let sent = retrier
                    .send(request, idempotent, deadline, |request, number| {
                        attempt::send(http, hooks, name, before.saturating_add(number), request)
                    })
                    .await;
                let total = attempts.fetch_add(sent.attempts, Ordering::Relaxed) + sent.attempts;
                tracing::Span::current().record("attempts", total);
                sent.outcome
                    .map(|response| (response, sent.spare))
                    .map_err(Error::from_reqwest)
            }
        };
        let (mut response, mut spare) = send(request).await?;
        // Only a proxy answers 407, and may close the connection before its body is read.
        if response.status() == StatusCode::PROXY_AUTHENTICATION_REQUIRED {
            return Err(Error::ProxyRefused(ProxyRefusal::Credentials));
        }

        let mut refused = response.status() == StatusCode::UNAUTHORIZED;
        if let (Some(status), Some(_)) = (self.hooks.token_refusal_status(), &sent) {
            if response.status() == status {
                let (kept, body) = read_back(response).await.map_err(Error::from_reqwest)?;
                refused = self.hooks.refuses_token(&body);
                response = kept;
            }
        }
        if refused {
            if let (Some(token), Some(mut retry), Credentials::Session(session)) =
                (&sent, spare.take(), &credentials)
            {
                match renew_and_sign(session, token, &mut retry).await {
                    Ok(()) => (response, spare) = send(retry).await?,
                    Err(e) => tracing::debug!(error = %e, "could not renew a rejected token"),
                }
            }
        }
        if let Some(mut retry) = spare.take().filter(|_| self.hooks.send_again(&response)) {
            self.hooks.adapt(op, &mut retry)?;
            (response, _) = send(retry).await?;
        }

        tracing::Span::current().record("http.response.status_code", response.status().as_u16());
        Ok(response)
    }

    /// Sets the declared media type and applies the API's client-side rules.
    fn prepare(&self, op: &Operation, request: &mut Request) -> Result<()> {
        let Some(body) = request.body().and_then(|b| b.as_bytes()) else {
            return Ok(());
        };
        self.hooks.check_body(op, body)?;
        let media_type = op.body_media_type.unwrap_or("application/json");
        request
            .headers_mut()
            .insert(CONTENT_TYPE, HeaderValue::from_static(media_type));
        Ok(())
    }
}

/// The span of one request, `opsclient.request`, with the OpenTelemetry HTTP names where they
/// exist. The URL template is the path template, never the filled path; the query is shown
/// with the value of every secret-looking parameter redacted ([`shown_query`]). Nothing in it
/// carries a credential.
pub(super) fn request_span(name: RequestName, request: &Request) -> tracing::Span {
    tracing::info_span!(
        "opsclient.request",
        api = name.api,
        operation = name.operation,
        "http.request.method" = %request.method(),
        "url.template" = name.template,
        "url.query" = shown_query(request.url()).as_deref(),
        "server.address" = request.url().host_str().unwrap_or_default(),
        attempts = tracing::field::Empty,
        "http.response.status_code" = tracing::field::Empty,
        duration_ms = tracing::field::Empty,
    )
}

/// The query of `url` as logs may show it: each parameter as sent, except that the value of one
/// whose name looks secret ([`crate::secret::is_secret_name`]) is `[redacted]`. `None` without
/// a query.
pub(crate) fn shown_query(url: &reqwest::Url) -> Option<String> {
    let query = url.query().filter(|q| !q.is_empty())?;
    let pairs: Vec<String> = query
        .split('&')
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            let decoded = url::form_urlencoded::parse(name.as_bytes())
                .next()
                .map(|(name, _)| name.into_owned())
                .unwrap_or_default();
            if crate::secret::is_secret_name(&decoded) {
                format!("{name}=[redacted]")
            } else if pair.contains('=') {
                format!("{name}={value}")
            } else {
                name.to_string()
            }
        })
        .collect();
    Some(pairs.join("&"))
}

/// Runs one request inside its span, given the instant it started; records how long it took.
pub(super) async fn traced<T, F>(span: tracing::Span, run: impl FnOnce(Instant) -> F) -> Result<T>
where
    F: std::future::Future<Output = Result<T>>,
{
    let started = Instant::now();
    // Boxed: the exchange's state is large, and every future that awaits a call would
    // otherwise hold it inline and copy it each time it is moved.
    let outcome = Box::pin(run(started)).instrument(span.clone()).await;
    span.record("duration_ms", started.elapsed().as_millis() as u64);
    outcome
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(url: &str) -> Option<String> {
        shown_query(&reqwest::Url::parse(url).unwrap())
    }

    #[test]
    fn the_query_is_shown_with_secret_values_redacted() {
        assert_eq!(
            shown("http://h/v1/audits?limit=5&token=s3cret&sort_key=name&X-Auth-Token=t0k&apiKey=k3y&marker=m"),
            Some(
                "limit=5&token=[redacted]&sort_key=name&X-Auth-Token=[redacted]&apiKey=[redacted]&marker=m"
                    .into()
            )
        );
        // A name given percent-encoded is judged decoded; a bare name has no value to hide.
        assert_eq!(
            shown("http://h/x?%70assword=s3cret&nocatalog&labelSelector=owner+%3D%3D+ops"),
            Some("%70assword=[redacted]&nocatalog&labelSelector=owner+%3D%3D+ops".into())
        );
        assert_eq!(shown("http://h/x"), None);
        assert_eq!(shown("http://h/x?"), None);
    }
}
