//! The sandbox on the wire, with a raw HTTP client: the statuses, body shapes and headers the
//! real Sensu backend answers with.

use std::time::Duration;

use opsclient_sandbox::Sandbox;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

struct Wire {
    sandbox: Sandbox,
    http: reqwest::Client,
}

struct Answer {
    status: StatusCode,
    headers: reqwest::header::HeaderMap,
    text: String,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("{e}: {}", self.text))
    }

    fn content_type(&self) -> Option<&str> {
        self.headers
            .get("content-type")
            .map(|v| v.to_str().unwrap())
    }
}

impl Wire {
    async fn start(access_lifetime: Duration) -> Self {
        let sandbox = Sandbox::builder()
            .access_token_lifetime(access_lifetime)
            .start()
            .await
            .unwrap();
        Wire {
            sandbox,
            http: reqwest::Client::new(),
        }
    }

    async fn send(
        &self,
        method: Method,
        path: &str,
        auth: Option<&str>,
        body: Option<(&str, Value)>,
    ) -> Answer {
        let mut request = self
            .http
            .request(method, format!("{}{path}", self.sandbox.url()));
        if let Some(auth) = auth {
            request = request.header("authorization", auth);
        }
        if let Some((content_type, body)) = body {
            request = request
                .header("content-type", content_type)
                .body(body.to_string());
        }
        let response = request.send().await.unwrap();
        Answer {
            status: response.status(),
            headers: response.headers().clone(),
            text: response.text().await.unwrap(),
        }
    }

    /// `POST path` with a JSON body.
    async fn post(&self, path: &str, auth: Option<&str>, body: Value) -> Answer {
        self.send(Method::POST, path, auth, Some(("application/json", body)))
            .await
    }

    /// `GET path` with the access token of `tokens`.
    async fn get_with(&self, path: &str, tokens: &Value) -> Answer {
        self.send(Method::GET, path, Some(&bearer(tokens)), None)
            .await
    }

    async fn login(&self) -> Value {
        let answer = self
            .send(
                Method::GET,
                "/auth",
                Some("Basic YWRtaW46UEBzc3cwcmQh"),
                None,
            )
            .await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
        answer.json()
    }

    async fn refresh(&self, access: &Value, refresh: &Value) -> Answer {
        let bearer = format!("Bearer {}", access.as_str().unwrap());
        let body = json!({"refresh_token": refresh});
        self.send(
            Method::POST,
            "/auth/token",
            Some(&bearer),
            Some(("application/json", body)),
        )
        .await
    }
}

fn bearer(tokens: &Value) -> String {
    format!("Bearer {}", tokens["access_token"].as_str().unwrap())
}

#[tokio::test]
async fn tokens_rotate_expire_and_die_when_a_refresh_token_is_reused() {
    let wire = Wire::start(Duration::from_secs(1)).await;
    let first = wire.login().await;
    assert!(first["expires_at"].as_i64().unwrap() > 1_700_000_000);

    // Expired access tokens get the middleware's 401 on API calls...
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let expired = wire.get_with("/api/core/v2/namespaces", &first).await;
    assert_eq!(expired.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        expired.json(),
        json!({"Code": 5, "Message": "invalid credentials"})
    );
    assert_eq!(expired.content_type(), None);

    // ...but are accepted for a refresh, which rotates both tokens.
    let second = wire
        .refresh(&first["access_token"], &first["refresh_token"])
        .await;
    assert_eq!(second.status, StatusCode::OK);
    let second = second.json();
    assert_ne!(second["refresh_token"], first["refresh_token"]);
    let ok = wire.get_with("/api/core/v2/namespaces", &second).await;
    assert_eq!(ok.status, StatusCode::OK);

    // Reusing the first refresh token ends the session: 400 in plain text, and the current
    // refresh token is dead too.
    let reused = wire
        .refresh(&second["access_token"], &first["refresh_token"])
        .await;
    assert_eq!(reused.status, StatusCode::BAD_REQUEST);
    assert_eq!(reused.text, "invalid access token\n");
    assert!(reused.content_type().unwrap().starts_with("text/plain"));
    let after = wire
        .refresh(&second["access_token"], &second["refresh_token"])
        .await;
    assert_eq!(after.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn logins_logout_and_missing_credentials() {
    let wire = Wire::start(Duration::from_secs(300)).await;
    let wrong = wire
        .send(Method::GET, "/auth", Some("Basic YWRtaW46d3Jvbmc="), None)
        .await;
    assert_eq!(
        (wrong.status, wrong.text.as_str()),
        (StatusCode::UNAUTHORIZED, "Unauthorized\n")
    );
    let none = wire
        .send(Method::GET, "/api/core/v2/namespaces", None, None)
        .await;
    assert_eq!(none.status, StatusCode::UNAUTHORIZED);
    assert_eq!(none.json()["Code"], 5);

    let tokens = wire.login().await;
    let body = json!({"refresh_token": tokens["refresh_token"]});
    let out = wire
        .send(
            Method::POST,
            "/auth/logout",
            Some(&bearer(&tokens)),
            Some(("application/json", body)),
        )
        .await;
    assert_eq!(out.status, StatusCode::OK);
    // The session is gone, the access token lives until it expires.
    let refused = wire
        .refresh(&tokens["access_token"], &tokens["refresh_token"])
        .await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    let still = wire.get_with("/api/core/v2/namespaces", &tokens).await;
    assert_eq!(still.status, StatusCode::OK);
}

#[tokio::test]
async fn resources_answer_like_the_generic_handlers() {
    let wire = Wire::start(Duration::from_secs(300)).await;
    let token = bearer(&wire.login().await);
    let auth = Some(token.as_str());
    let checks = "/api/core/v2/namespaces/default/checks";
    let check = json!({"metadata": {"name": "cpu", "namespace": "default"}, "command": "true", "interval": 10, "subscriptions": ["linux"]});

    // The server does not fill an empty namespace from the URL.
    let mut no_namespace = check.clone();
    no_namespace["metadata"]["namespace"] = json!("");
    let refused = wire.post(checks, auth, no_namespace).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        refused.json()["message"],
        "the namespace of the resource () does not match the namespace of the URI (default)"
    );
    assert_eq!(
        refused.content_type(),
        None,
        "router errors carry no Content-Type"
    );

    let created = wire
        .send(
            Method::POST,
            checks,
            auth,
            Some(("application/json", check.clone())),
        )
        .await;
    assert_eq!(
        (created.status, created.text.as_str()),
        (StatusCode::CREATED, "")
    );
    assert_eq!(created.content_type(), Some("application/json"));
    let again = wire
        .send(
            Method::POST,
            checks,
            auth,
            Some(("application/json", check.clone())),
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(again.json()["code"], 3);
    assert_eq!(again.headers["x-content-type-options"], "nosniff");

    // Without a Content-Type the server reads the body as a form, so the handler sees nothing.
    let formless = wire
        .http
        .post(format!("{}{checks}", wire.sandbox.url()))
        .header("authorization", token.as_str())
        .body(check.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(formless.status(), StatusCode::BAD_REQUEST);

    let got = wire
        .send(Method::GET, &format!("{checks}/cpu"), auth, None)
        .await;
    assert_eq!(got.status, StatusCode::OK);
    assert_eq!(got.json()["metadata"]["namespace"], "default");
    assert_eq!(got.json()["metadata"]["created_by"], "admin");
    let etag = got.headers["etag"].to_str().unwrap().to_string();

    let patch = |content_type: &'static str, if_match: Option<String>| {
        let mut request = wire
            .http
            .patch(format!("{}{checks}/cpu", wire.sandbox.url()))
            .header("authorization", token.as_str())
            .header("content-type", content_type)
            .body(json!({"interval": 20}).to_string());
        if let Some(tag) = if_match {
            request = request.header("if-match", tag);
        }
        request.send()
    };
    let wrong_type = patch("application/json", None).await.unwrap();
    assert_eq!(wrong_type.status(), StatusCode::BAD_REQUEST);
    let with_charset = patch("application/merge-patch+json; charset=utf-8", None)
        .await
        .unwrap();
    assert_eq!(with_charset.status(), StatusCode::BAD_REQUEST);
    let stale = patch("application/merge-patch+json", Some("\"stale\"".into()))
        .await
        .unwrap();
    assert_eq!(stale.status(), StatusCode::PRECONDITION_FAILED);
    let patched = patch("application/merge-patch+json", Some(etag.clone()))
        .await
        .unwrap();
    assert_eq!(patched.status(), StatusCode::OK);
    assert_ne!(patched.headers()["etag"].to_str().unwrap(), etag);
    assert_eq!(patched.json::<Value>().await.unwrap()["interval"], 20);

    // A namespace with resources cannot be deleted.
    let busy = wire
        .send(
            Method::DELETE,
            "/api/core/v2/namespaces/default",
            auth,
            None,
        )
        .await;
    assert_eq!(busy.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(
        busy.json(),
        json!({"code": 0, "message": "resource is invalid: namespace is not empty"})
    );
    let deleted = wire
        .send(Method::DELETE, &format!("{checks}/cpu"), auth, None)
        .await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    let missing = wire
        .send(Method::GET, &format!("{checks}/cpu"), auth, None)
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.json()["code"], 2);
}

#[tokio::test]
async fn lists_page_with_limit_and_continue() {
    let wire = Wire::start(Duration::from_secs(300)).await;
    let token = bearer(&wire.login().await);
    let auth = Some(token.as_str());
    for name in ["a", "b", "c", "d", "e"] {
        let body = json!({"metadata": {"name": name, "namespace": "default"}, "type": "pipe", "command": "cat"});
        let answer = wire
            .post("/api/core/v2/namespaces/default/handlers", auth, body)
            .await;
        assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text);
    }
    let mut names = Vec::new();
    let mut pages = 0;
    let mut path = "/api/core/v2/namespaces/default/handlers?limit=2".to_string();
    loop {
        let page = wire.send(Method::GET, &path, auth, None).await;
        pages += 1;
        names.extend(
            page.json()
                .as_array()
                .unwrap()
                .iter()
                .map(|h| h["metadata"]["name"].clone()),
        );
        match page.headers.get("sensu-continue") {
            Some(next) => {
                path = format!(
                    "/api/core/v2/namespaces/default/handlers?limit=2&continue={}",
                    next.to_str().unwrap()
                )
            }
            None => break,
        }
    }
    assert_eq!(
        (pages, names),
        (
            3,
            vec![json!("a"), json!("b"), json!("c"), json!("d"), json!("e")]
        )
    );
    let everything = wire
        .send(Method::GET, "/api/core/v2/handlers?limit=abc", auth, None)
        .await;
    assert_eq!(
        everything.json().as_array().unwrap().len(),
        5,
        "a non-numeric limit means no limit"
    );
}

#[tokio::test]
async fn events_create_or_replace_and_make_proxy_entities() {
    let wire = Wire::start(Duration::from_secs(300)).await;
    let token = bearer(&wire.login().await);
    let auth = Some(token.as_str());
    let event = |status: u32| {
        json!({"entity": {"metadata": {"name": "router-1"}, "entity_class": "proxy"},
               "check": {"metadata": {"name": "ping"}, "status": status, "interval": 60}})
    };
    let path = "/api/core/v2/namespaces/default/events/router-1/ping";
    for (method, status) in [(Method::POST, 0), (Method::PUT, 2)] {
        let answer = wire
            .send(
                method,
                path,
                auth,
                Some(("application/json", event(status))),
            )
            .await;
        assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text);
    }
    let stored = wire.send(Method::GET, path, auth, None).await.json();
    assert_eq!(stored["check"]["status"], 2);
    assert!(stored["id"].as_str().unwrap().len() == 36, "a UUID id");
    let entity = wire
        .send(
            Method::GET,
            "/api/core/v2/namespaces/default/entities/router-1",
            auth,
            None,
        )
        .await;
    assert_eq!(entity.json()["entity_class"], "proxy");

    let mismatch = wire
        .send(
            Method::PUT,
            "/api/core/v2/namespaces/default/events/router-2/ping",
            auth,
            Some(("application/json", event(0))),
        )
        .await;
    assert_eq!(mismatch.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn silences_are_named_subscription_colon_check() {
    let wire = Wire::start(Duration::from_secs(300)).await;
    let token = bearer(&wire.login().await);
    let auth = Some(token.as_str());
    let body = json!({"metadata": {"namespace": "default"}, "check": "ping", "reason": "flapping"});
    let created = wire
        .post("/api/core/v2/namespaces/default/silenced", auth, body)
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    let got = wire
        .send(
            Method::GET,
            "/api/core/v2/namespaces/default/silenced/*:ping",
            auth,
            None,
        )
        .await;
    assert_eq!(got.json()["metadata"]["name"], "*:ping");
    let neither = wire
        .send(
            Method::POST,
            "/api/core/v2/namespaces/default/silenced",
            auth,
            Some((
                "application/json",
                json!({"metadata": {"namespace": "default"}}),
            )),
        )
        .await;
    assert_eq!(neither.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        neither.json()["message"],
        "must provide check or subscription"
    );
}

#[tokio::test]
async fn a_disabled_user_cannot_log_in() {
    let wire = Wire::start(Duration::from_secs(300)).await;
    let auth = bearer(&wire.login().await);
    let disabled = wire
        .send(
            Method::DELETE,
            "/api/core/v2/users/admin",
            Some(&auth),
            None,
        )
        .await;
    assert_eq!(disabled.status, StatusCode::NO_CONTENT);
    let login = wire
        .send(
            Method::GET,
            "/auth",
            Some("Basic YWRtaW46UEBzc3cwcmQh"),
            None,
        )
        .await;
    assert_eq!(login.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn unknown_routes_and_public_endpoints() {
    let wire = Wire::start(Duration::from_secs(300)).await;
    let unknown = wire
        .send(Method::GET, "/api/core/v2/nothing-here", None, None)
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    let ready = wire.send(Method::GET, "/ready", None, None).await;
    assert_eq!(
        (ready.status, ready.text.as_str()),
        (StatusCode::OK, "ready\n")
    );
    let health = wire.send(Method::GET, "/health", None, None).await;
    assert!(
        health.json()["ClusterHealth"][0]["MemberID"]
            .as_u64()
            .unwrap()
            > i64::MAX as u64
    );
    let bad = wire
        .send(Method::GET, "/health?timeout=soon", None, None)
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_session_ends_six_minutes_after_its_last_refresh_here_one_second() {
    let sandbox = Sandbox::builder()
        .access_token_lifetime(Duration::from_secs(1))
        .session_lifetime(Duration::from_secs(1))
        .start()
        .await
        .unwrap();
    let wire = Wire {
        sandbox,
        http: reqwest::Client::new(),
    };
    let tokens = wire.login().await;
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let late = wire
        .refresh(&tokens["access_token"], &tokens["refresh_token"])
        .await;
    assert_eq!(
        (late.status, late.text.as_str()),
        (StatusCode::UNAUTHORIZED, "Unauthorized\n")
    );

    // The client answers a refused refresh by logging in again.
    let client = opsclient::sensu::Client::builder()
        .url(wire.sandbox.url())
        .credentials(Sandbox::DEFAULT_USERNAME, Sandbox::DEFAULT_PASSWORD)
        .refresh_threshold(Duration::ZERO)
        .build()
        .unwrap();
    client.list_namespaces().send().await.unwrap();
    tokio::time::sleep(Duration::from_millis(1100)).await;
    client.list_namespaces().send().await.unwrap();
    let calls = wire.sandbox.calls();
    assert_eq!(calls["authRefreshToken"].succeeded, 0);
    assert!(calls["authRefreshToken"].total >= 2, "{calls:?}");
}

#[tokio::test]
async fn unknown_paths_and_methods_answer_before_authentication() {
    let wire = Wire::start(Duration::from_secs(300)).await;
    let unknown = wire
        .send(
            Method::GET,
            "/api/core/v2/namespaces/default/checks/",
            None,
            None,
        )
        .await;
    assert_eq!(
        unknown.status,
        StatusCode::NOT_FOUND,
        "trailing slashes match no route"
    );
    assert_eq!(unknown.text, "{\"code\":2,\"message\":\"not found\"}\n");
    let wrong = wire
        .send(
            Method::PATCH,
            "/api/core/v2/namespaces/default/silenced/x",
            None,
            None,
        )
        .await;
    assert_eq!(
        (wrong.status, wrong.text.as_str()),
        (StatusCode::METHOD_NOT_ALLOWED, "")
    );
}

#[tokio::test]
async fn entity_patches_compare_the_configuration_etag() {
    let wire = Wire::start(Duration::from_secs(300)).await;
    let token = bearer(&wire.login().await);
    let auth = Some(token.as_str());
    let entity =
        json!({"metadata": {"name": "db", "namespace": "default"}, "entity_class": "proxy"});
    let created = wire
        .post("/api/core/v2/namespaces/default/entities", auth, entity)
        .await;
    assert_eq!(created.status, StatusCode::OK);
    assert!(
        created.headers.get("etag").is_none(),
        "entity POST answers carry no ETag"
    );
    let got = wire
        .send(
            Method::GET,
            "/api/core/v2/namespaces/default/entities/db",
            auth,
            None,
        )
        .await;
    let etag = got.headers["etag"].to_str().unwrap().to_string();
    let patch = |if_match: String| {
        wire.http
            .patch(format!(
                "{}/api/core/v2/namespaces/default/entities/db",
                wire.sandbox.url()
            ))
            .header("authorization", token.as_str())
            .header("content-type", "application/merge-patch+json")
            .header("if-match", if_match)
            .body(json!({"subscriptions": ["db"]}).to_string())
            .send()
    };
    // The server compares the entity configuration's tag, so GET's never matches.
    assert_eq!(
        patch(etag).await.unwrap().status(),
        StatusCode::PRECONDITION_FAILED
    );
    let answer = patch("*".into()).await.unwrap();
    assert_eq!(answer.status(), StatusCode::OK);
    let config: Value = answer.json().await.unwrap();
    assert_eq!(config["subscriptions"], json!(["db"]));
    assert!(
        config.get("last_seen").is_none(),
        "the answer is the configuration part only"
    );
}
