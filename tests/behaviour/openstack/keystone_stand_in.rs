//! A local stand-in for Keystone and a Watcher behind keystonemiddleware, on wiremock: Keystone
//! checks each method's credentials and issues expiring tokens with a catalog that points back
//! at this server; Watcher answers only unexpired, unrevoked tokens, and only microversions in
//! its range (406 with the range otherwise).

#![allow(dead_code)]

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use opsclient::openstack::totp::Totp;
use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

pub const PASSWORD: &str = "s3cret-pass";
pub const APP_CREDENTIAL_ID: &str = "appcred-1";
pub const APP_CREDENTIAL_SECRET: &str = "appcred-secret";
pub const TOTP_SECRET: &str = "JBSWY3DPEHPK3PXP";
pub const USER_ID: &str = "u-123";

#[derive(Default)]
pub struct KeystoneState {
    tokens: HashMap<String, SystemTime>,
    issued: u32,
    pub logins: u32,
    /// The scope of each login, as sent.
    pub scopes: Vec<Value>,
    /// The methods of each login.
    pub methods: Vec<Value>,
    pub lifetime: Duration,
    /// The microversions Watcher's `/v1/goals` accepts.
    pub watcher_range: (u32, u32),
    /// The range Watcher's `GET /` advertises (the same unless a test makes them differ).
    pub advertised_range: Option<(u32, u32)>,
}

impl KeystoneState {
    pub fn revoke_all(&mut self) {
        self.tokens.clear();
    }
}

pub struct FakeCloud {
    pub server: MockServer,
    pub state: Arc<Mutex<KeystoneState>>,
}

fn iso(time: SystemTime) -> String {
    let secs = time.duration_since(UNIX_EPOCH).unwrap().as_secs();
    let (days, rest) = (secs / 86_400, secs % 86_400);
    // Civil date from days since the epoch (Howard Hinnant's algorithm).
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.000000Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

struct IssueToken(Arc<Mutex<KeystoneState>>, String);

fn unauthorized() -> ResponseTemplate {
    ResponseTemplate::new(401).set_body_json(json!({"error": {
        "code": 401, "title": "Unauthorized",
        "message": "The request you have made requires authentication."
    }}))
}

fn credentials_ok(identity: &Value) -> bool {
    let user_ok = |user: &Value| {
        user["id"] == USER_ID
            || (user["name"] == "admin"
                && (user["domain"]["id"] == "default" || user["domain"]["name"] == "Default"))
    };
    let totp_codes = || {
        let totp = Totp::from_base32(TOTP_SECRET).unwrap();
        let now = SystemTime::now();
        [
            now - Duration::from_secs(30),
            now,
            now + Duration::from_secs(30),
        ]
        .map(|t| totp.passcode_at(t))
    };
    match identity["methods"][0].as_str() {
        Some("password") => {
            user_ok(&identity["password"]["user"])
                && identity["password"]["user"]["password"] == PASSWORD
        }
        Some("token") => identity["token"]["id"] == "existing-token",
        Some("application_credential") => {
            identity["application_credential"]["id"] == APP_CREDENTIAL_ID
                && identity["application_credential"]["secret"] == APP_CREDENTIAL_SECRET
        }
        Some("totp") => {
            let code = identity["totp"]["user"]["passcode"]
                .as_str()
                .unwrap_or_default()
                .to_string();
            user_ok(&identity["totp"]["user"]) && totp_codes().contains(&code)
        }
        _ => false,
    }
}

impl Respond for IssueToken {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let body: Value = serde_json::from_slice(&request.body).unwrap_or_default();
        let auth = &body["auth"];
        let mut state = self.0.lock().unwrap();
        state
            .scopes
            .push(auth.get("scope").cloned().unwrap_or(Value::Null));
        state.methods.push(auth["identity"]["methods"].clone());
        if !credentials_ok(&auth["identity"]) {
            return unauthorized();
        }
        state.logins += 1;
        state.issued += 1;
        let token = format!("ks-token-{}", state.issued);
        let expires = SystemTime::now() + state.lifetime;
        state.tokens.insert(token.clone(), expires);
        let endpoints = |url: String| {
            json!([
                {"id": "1", "interface": "public", "region": "RegionOne", "region_id": "RegionOne", "url": url},
                {"id": "2", "interface": "internal", "region": "RegionOne", "region_id": "RegionOne", "url": format!("{url}/internal")}
            ])
        };
        let base = &self.1;
        let body = json!({"token": {
            "methods": auth["identity"]["methods"],
            "user": {"id": USER_ID, "name": "admin", "domain": {"id": "default", "name": "Default"}},
            "expires_at": iso(expires),
            "issued_at": iso(SystemTime::now()),
            "audit_ids": ["a1"],
            "catalog": [
                {"type": "identity", "id": "k", "name": "keystone", "endpoints": endpoints(format!("{base}/v3/"))},
                {"type": "infra-optim", "id": "w", "name": "watcher", "endpoints": endpoints(base.clone())},
                {"type": "monitoring", "id": "m", "name": "monasca", "endpoints": endpoints(format!("{base}/v2.0"))}
            ]
        }});
        ResponseTemplate::new(201)
            .insert_header("X-Subject-Token", token.as_str())
            .set_body_json(body)
    }
}

/// Watcher's `/v1/goals` behind keystonemiddleware, with a microversion range.
struct Goals(Arc<Mutex<KeystoneState>>);

impl Respond for Goals {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let state = self.0.lock().unwrap();
        let token = request
            .headers
            .get("x-auth-token")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        match state.tokens.get(token) {
            Some(expires) if *expires > SystemTime::now() => {}
            _ => return unauthorized(),
        }
        let (min, max) = state.watcher_range;
        let range = |response: ResponseTemplate| {
            response
                .insert_header("OpenStack-API-Minimum-Version", format!("1.{min}").as_str())
                .insert_header("OpenStack-API-Maximum-Version", format!("1.{max}").as_str())
        };
        let asked = request
            .headers
            .get("openstack-api-version")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("infra-optim 1."))
            .and_then(|minor| minor.parse::<u32>().ok())
            .unwrap_or(0);
        if asked < min || asked > max {
            let error = json!({"error_message": "{\"faultcode\": \"Client\", \"faultstring\": \"Version not acceptable\", \"debuginfo\": null}"});
            return range(ResponseTemplate::new(406).set_body_json(error));
        }
        let goals = json!({"goals": [{"uuid": "g1", "name": "dummy"}]});
        range(ResponseTemplate::new(200))
            .insert_header(
                "OpenStack-API-Version",
                format!("infra-optim 1.{asked}").as_str(),
            )
            .set_body_json(goals)
    }
}

/// Watcher's public `GET /` with its version range.
struct Root(Arc<Mutex<KeystoneState>>);

impl Respond for Root {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let state = self.0.lock().unwrap();
        let (min, max) = state.advertised_range.unwrap_or(state.watcher_range);
        let version = json!({"id": "v1", "status": "CURRENT", "min_version": format!("1.{min}"),
                             "max_version": format!("1.{max}"), "links": []});
        ResponseTemplate::new(200)
            .set_body_json(json!({"versions": [version], "default_version": version}))
    }
}

impl FakeCloud {
    pub async fn start(lifetime: Duration) -> Self {
        let server = MockServer::start().await;
        let state = Arc::new(Mutex::new(KeystoneState {
            lifetime,
            watcher_range: (0, 7),
            ..Default::default()
        }));
        Mock::given(method("POST"))
            .and(path("/v3/auth/tokens"))
            .respond_with(IssueToken(state.clone(), server.uri()))
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path("/"))
            .respond_with(Root(state.clone()))
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path("/v1/goals"))
            .respond_with(Goals(state.clone()))
            .mount(&server)
            .await;
        FakeCloud { server, state }
    }

    pub fn auth_url(&self) -> String {
        format!("{}/v3", self.server.uri())
    }

    pub fn state(&self) -> std::sync::MutexGuard<'_, KeystoneState> {
        self.state.lock().unwrap()
    }

    pub fn logins(&self) -> u32 {
        self.state().logins
    }

    pub async fn received(&self, route: &str) -> Vec<Request> {
        self.server
            .received_requests()
            .await
            .unwrap_or_default()
            .into_iter()
            .filter(|r| r.url.path() == route)
            .collect()
    }
}
