//! A local stand-in for Sensu's authentication rules, on wiremock:
//! `GET /auth` checks Basic credentials and issues a token pair; `POST /auth/token` takes any
//! issued access token (expired is fine) plus the current refresh token and rotates both; a
//! reused refresh token ends the session with 400, as the real server does; API calls need an
//! unexpired access token or get the middleware's 401.

#![allow(dead_code)]

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

pub const USERNAME: &str = "admin";
pub const PASSWORD: &str = "P@ssw0rd!";

#[derive(Default)]
pub struct AuthState {
    /// Access token → expiry.
    access: HashMap<String, SystemTime>,
    /// The one refresh token the session accepts.
    refresh: Option<String>,
    issued: u32,
    pub logins: u32,
    pub refreshes: u32,
    pub refused_refreshes: u32,
    /// Lifetime of the access tokens issued next.
    pub lifetime: Duration,
}

impl AuthState {
    fn issue(&mut self) -> serde_json::Value {
        self.issued += 1;
        let access = format!("access-{}", self.issued);
        let refresh = format!("refresh-{}", self.issued);
        let expires = SystemTime::now() + self.lifetime;
        self.access.insert(access.clone(), expires);
        self.refresh = Some(refresh.clone());
        serde_json::json!({
            "access_token": access,
            "expires_at": expires.duration_since(UNIX_EPOCH).unwrap().as_secs(),
            "refresh_token": refresh,
        })
    }

    /// Makes every issued access token expired, as if time had passed.
    pub fn expire_all(&mut self) {
        for expiry in self.access.values_mut() {
            *expiry = UNIX_EPOCH;
        }
    }

    /// Ends the server-side session: the current refresh token stops working.
    pub fn kill_session(&mut self) {
        self.refresh = None;
    }

    /// Forgets an access token, as a server restart with a new signing key would.
    pub fn revoke(&mut self, access: &str) {
        self.access.remove(access);
    }
}

pub struct FakeSensu {
    pub server: MockServer,
    pub state: Arc<Mutex<AuthState>>,
}

/// Answers a login (or `GET /auth/test`) as Sensu does: tokens for the right Basic credentials,
/// 401 for any other.
pub struct Login(pub Arc<Mutex<AuthState>>);
struct Refresh(Arc<Mutex<AuthState>>, Duration);
/// Answers an API call with `body` if the bearer token is valid and unexpired.
pub struct Authenticated(pub Arc<Mutex<AuthState>>, pub ResponseTemplate);

fn bearer(request: &Request) -> Option<String> {
    let value = request.headers.get("authorization")?.to_str().ok()?;
    value.strip_prefix("Bearer ").map(str::to_string)
}

fn middleware_401() -> ResponseTemplate {
    ResponseTemplate::new(401).set_body_string(r#"{"Code":5,"Message":"invalid credentials"}"#)
}

impl Respond for Login {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let expected = format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(format!("{USERNAME}:{PASSWORD}"))
        );
        let given = request
            .headers
            .get("authorization")
            .and_then(|v| v.to_str().ok());
        if given != Some(expected.as_str()) {
            return ResponseTemplate::new(401)
                .insert_header("content-type", "text/plain")
                .set_body_string("Unauthorized\n");
        }
        let mut state = self.0.lock().unwrap();
        state.logins += 1;
        ResponseTemplate::new(200).set_body_json(state.issue())
    }
}

impl Respond for Refresh {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let mut state = self.0.lock().unwrap();
        let Some(access) = bearer(request).filter(|a| state.access.contains_key(a)) else {
            return ResponseTemplate::new(401).set_body_string("Request unauthorized\n");
        };
        let _ = access;
        let body: serde_json::Value = match serde_json::from_slice(&request.body) {
            Ok(body) => body,
            Err(_) => return ResponseTemplate::new(400).set_body_string("bad body\n"),
        };
        let given = body.get("refresh_token").and_then(|v| v.as_str());
        if given.is_none() || given != state.refresh.as_deref() {
            // Sensu deletes the session when an old refresh token is reused.
            state.refresh = None;
            state.refused_refreshes += 1;
            return ResponseTemplate::new(400)
                .insert_header("content-type", "text/plain")
                .set_body_string("invalid access token\n");
        }
        state.refreshes += 1;
        ResponseTemplate::new(200)
            .set_body_json(state.issue())
            .set_delay(self.1)
    }
}

impl Respond for Authenticated {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let state = self.0.lock().unwrap();
        match bearer(request).and_then(|a| state.access.get(&a).copied()) {
            Some(expiry) if expiry > SystemTime::now() => self.1.clone(),
            _ => middleware_401(),
        }
    }
}

impl FakeSensu {
    /// Starts the server; issued access tokens live for `lifetime`. Refresh answers are delayed
    /// by `refresh_delay`, so concurrent callers overlap with a refresh in flight.
    pub async fn start(lifetime: Duration, refresh_delay: Duration) -> Self {
        let server = MockServer::start().await;
        let state = Arc::new(Mutex::new(AuthState {
            lifetime,
            ..Default::default()
        }));
        Mock::given(method("GET"))
            .and(path("/auth"))
            .respond_with(Login(state.clone()))
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .and(path("/auth/token"))
            .respond_with(Refresh(state.clone(), refresh_delay))
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path("/api/core/v2/namespaces"))
            .respond_with(Authenticated(
                state.clone(),
                ResponseTemplate::new(200).set_body_json(serde_json::json!([{"name": "default"}])),
            ))
            .mount(&server)
            .await;
        FakeSensu { server, state }
    }

    pub fn client(&self) -> opsclient::sensu::Client {
        opsclient::sensu::Client::builder()
            .url(self.server.uri())
            .build()
            .expect("client builds")
    }

    /// (logins, refreshes, refused refreshes) so far.
    pub fn counts(&self) -> (u32, u32, u32) {
        let state = self.state();
        (state.logins, state.refreshes, state.refused_refreshes)
    }

    pub fn state(&self) -> std::sync::MutexGuard<'_, AuthState> {
        self.state.lock().unwrap()
    }

    /// Requests the server received for `method path`.
    pub async fn received(&self, http_method: &str, route: &str) -> Vec<Request> {
        self.server
            .received_requests()
            .await
            .unwrap_or_default()
            .into_iter()
            .filter(|r| r.method.as_str() == http_method && r.url.path() == route)
            .collect()
    }
}
