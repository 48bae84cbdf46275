//! Plain HTTP to the servers on 127.0.0.1: readiness polls and the JSON calls that seed
//! Keystone. Every status is returned to the caller (4xx and 5xx are not errors here).

use std::time::Duration;

use serde_json::Value;
use ureq::Agent;

/// One answer.
pub struct Reply {
    pub status: u16,
    /// The `X-Subject-Token` header, set on Keystone's token answers.
    pub subject_token: Option<String>,
    pub body: String,
}

impl Reply {
    /// The body as JSON (`Null` if it is empty or not JSON).
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or(Value::Null)
    }
}

/// An HTTP method, with the body for the ones that send one.
pub enum Method<'a> {
    Get,
    Post(&'a Value),
    Patch(&'a Value),
    Put,
    /// `PUT` with a JSON body (Keystone's federation objects are created so).
    PutJson(&'a Value),
    Delete,
}

impl Method<'_> {
    /// The method's name, for messages.
    pub fn name(&self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post(_) => "POST",
            Method::Patch(_) => "PATCH",
            Method::Put | Method::PutJson(_) => "PUT",
            Method::Delete => "DELETE",
        }
    }
}

fn agent(timeout: Duration) -> Agent {
    Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(timeout))
        .build()
        .into()
}

/// The status of `GET url`, or `None` when nothing answers (yet).
pub fn probe(url: &str) -> Option<u16> {
    agent(Duration::from_secs(5))
        .get(url)
        .call()
        .ok()
        .map(|r| r.status().as_u16())
}

/// Sends one request, with `X-Auth-Token` when a token is given. Fails only when there is no
/// answer at all.
pub fn call(method: Method, url: &str, token: Option<&str>) -> Result<Reply, String> {
    let agent = agent(Duration::from_secs(60));
    let sent = match method {
        Method::Get => with_token(agent.get(url), token).call(),
        Method::Delete => with_token(agent.delete(url), token).call(),
        Method::Put => with_token(agent.put(url), token).send_empty(),
        Method::Post(body) => with_token(agent.post(url), token).send_json(body),
        Method::Patch(body) => with_token(agent.patch(url), token).send_json(body),
        Method::PutJson(body) => with_token(agent.put(url), token).send_json(body),
    };
    let mut response = sent.map_err(|e| format!("{url}: no answer ({e})"))?;
    let subject_token = response
        .headers()
        .get("X-Subject-Token")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let body = response.body_mut().read_to_string().unwrap_or_default();
    Ok(Reply {
        status: response.status().as_u16(),
        subject_token,
        body,
    })
}

/// Sends `POST url` with a form-encoded body (InfluxDB's `/query`).
pub fn post_text(url: &str, body: &str) -> Result<Reply, String> {
    let mut response = agent(Duration::from_secs(30))
        .post(url)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .send(body)
        .map_err(|e| format!("{url}: no answer ({e})"))?;
    let body = response.body_mut().read_to_string().unwrap_or_default();
    Ok(Reply {
        status: response.status().as_u16(),
        subject_token: None,
        body,
    })
}

fn with_token<B>(request: ureq::RequestBuilder<B>, token: Option<&str>) -> ureq::RequestBuilder<B> {
    match token {
        Some(token) => request.header("X-Auth-Token", token),
        None => request,
    }
}
