//! One attempt on the wire, between the user's hooks: they see the request just before it is
//! sent (credentials already attached, and hidden from them) and its outcome just after.

use reqwest::{Request, Response};
use tokio::time::Instant;

use crate::hook::{Attempt, Hooks};

/// What names a request in its span and to the user's hooks.
#[derive(Debug, Clone, Copy)]
pub(super) struct RequestName {
    /// The API: `sensu`, `keystone`, ..., or `oidc` for an identity provider.
    pub(super) api: &'static str,
    /// The operation's id, or the name of a call no document describes (`login`).
    pub(super) operation: &'static str,
    /// The path template; empty when the URL comes from elsewhere.
    pub(super) template: &'static str,
}

/// Sends attempt `number` of a request named `name`. Without hooks it is sent as it is.
pub(super) async fn send(
    http: &reqwest::Client,
    hooks: &Hooks,
    name: RequestName,
    number: u32,
    mut request: Request,
) -> reqwest::Result<Response> {
    if hooks.is_empty() {
        return http.execute(request).await;
    }
    let attempt = Attempt {
        api: name.api,
        operation: name.operation,
        url_template: name.template,
        method: request.method().clone(),
        number,
    };
    hooks.before(&attempt, &mut request);
    let started = Instant::now();
    let outcome = http.execute(request).await;
    hooks.after(&attempt, &outcome, started.elapsed());
    outcome
}
