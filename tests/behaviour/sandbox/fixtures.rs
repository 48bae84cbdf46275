//! The upstream request examples (`tests/fixtures/sensu/`), sent to a fresh sandbox as a
//! user would: each is accepted and reads back without losing a field, unless the real server
//! refuses it too, which [`REFUSED`] lists with the rule and the exact answer.

use opsclient_sandbox::Sandbox;
use reqwest::StatusCode;
use serde_json::Value;

fn fixtures_dir() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sensu")
}

fn read(file: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(fixtures_dir().join(file)).unwrap()).unwrap()
}

/// Examples the real server refuses, with its answer.
const REFUSED: &[(&str, u16, &str)] = &[(
    // sensu/core rbac.go: verbs must be *, get, list, create, update or delete.
    "roles/004-create-or-update-role-request.json",
    400,
    "resource is invalid: the verb \"read\" is not valid",
)];

/// Not resources: a refresh with placeholder tokens, and password changes for a user the
/// example does not name.
const NOT_STORED: &[&str] = &["auth/", "users/005", "users/006"];

struct Session {
    sandbox: Sandbox,
    http: reqwest::Client,
    bearer: String,
}

impl Session {
    async fn start() -> Self {
        let sandbox = Sandbox::builder().start().await.unwrap();
        let http = reqwest::Client::new();
        let tokens: Value = http
            .get(format!("{}/auth", sandbox.url()))
            .basic_auth(Sandbox::DEFAULT_USERNAME, Some(Sandbox::DEFAULT_PASSWORD))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let bearer = format!("Bearer {}", tokens["access_token"].as_str().unwrap());
        Session {
            sandbox,
            http,
            bearer,
        }
    }

    async fn send(&self, method: &str, path: &str, body: Option<&Value>) -> (StatusCode, String) {
        let mut request = self
            .http
            .request(
                method.parse().unwrap(),
                format!("{}{path}", self.sandbox.url()),
            )
            .header("authorization", &self.bearer);
        if let Some(body) = body {
            request = request
                .header("content-type", "application/json")
                .body(body.to_string());
        }
        let answer = request.send().await.unwrap();
        (answer.status(), answer.text().await.unwrap())
    }
}

fn text<'a>(value: &'a Value, pointer: &str) -> &'a str {
    value
        .pointer(pointer)
        .and_then(Value::as_str)
        .unwrap_or_default()
}

/// The example's URL, with the placeholders filled from the body as the docs' own URLs do;
/// and where to read the stored result back.
fn urls(path: &str, body: &Value) -> (String, Option<String>) {
    let name = text(body, "/metadata/name");
    let namespace = match text(body, "/metadata/namespace") {
        "" => "default",
        ns => ns,
    };
    let mut url = if path == "/api/core/v2/namespaces/{namespace}" {
        path.replace("{namespace}", text(body, "/name"))
    } else {
        path.replace("{namespace}", namespace)
    };
    let fills = [
        ("{user}", text(body, "/username")),
        (
            "{entity}",
            if path.contains("/events/") {
                text(body, "/entity/metadata/name")
            } else {
                name
            },
        ),
        (
            "{check}",
            if path.contains("/events/") {
                text(body, "/check/metadata/name")
            } else {
                "check_cpu"
            },
        ),
        (
            "{type}",
            body.as_object()
                .and_then(|o| o.keys().next())
                .map_or("", |k| k.as_str()),
        ),
    ];
    for (placeholder, value) in fills {
        url = url.replace(placeholder, value);
    }
    // What is left is the item's own name: `{asset}`, `{handler}`, `{silenced}`, ...
    if let Some(start) = url.rfind("/{") {
        url = format!("{}/{name}", &url[..start]);
    }
    let item = |base: &str| format!("{base}/{name}");
    let readback = if path.ends_with("/execute") || path.contains("/checks/{check}/hooks/") {
        Some(format!(
            "/api/core/v2/namespaces/{namespace}/checks/check_cpu"
        ))
    } else if path.ends_with("/events") {
        let (entity, check) = (
            text(body, "/entity/metadata/name"),
            text(body, "/check/metadata/name"),
        );
        Some(format!("{url}/{entity}/{check}"))
    } else if path.contains("/silenced") {
        // Stored under `subscription:check`, whatever the URL says.
        let side = |p: &str| match text(body, p) {
            "" => "*".to_string(),
            s => s.to_string(),
        };
        let base = format!("/api/core/v2/namespaces/{namespace}/silenced");
        Some(format!(
            "{base}/{}:{}",
            side("/subscription"),
            side("/check")
        ))
    } else if path.contains("/events/") || path.ends_with('}') {
        Some(url.clone())
    } else if path.ends_with("/namespaces") {
        Some(format!("{url}/{}", text(body, "/name")))
    } else if path.ends_with("/users") {
        Some(format!("{url}/{}", text(body, "/username")))
    } else if path.ends_with("/tessen") {
        Some(url.clone())
    } else if path.ends_with("/apikeys") {
        None
    } else {
        Some(item(&url))
    };
    (url, readback)
}

/// What the sent body set that the stored one lost. Fields the server owns are skipped:
/// `created_by`, a silence's name, passwords, and what the event pipeline fills in.
fn lost(sent: &Value, stored: &Value, at: &str, out: &mut Vec<String>) {
    const SERVER_OWNED: &[&str] = &[
        "created_by",
        "password",
        "password_hash",
        "history",
        "occurrences",
        "occurrences_watermark",
        "state",
        "last_ok",
        "silenced",
        "is_silenced",
        "timestamp",
    ];
    match (sent, stored) {
        (Value::Object(a), Value::Object(b)) => {
            for (key, value) in a
                .iter()
                .filter(|(k, v)| !v.is_null() && !SERVER_OWNED.contains(&k.as_str()))
            {
                match b.get(key) {
                    Some(other) => lost(value, other, &format!("{at}.{key}"), out),
                    None => out.push(format!("{at}.{key} was not stored")),
                }
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                lost(x, y, &format!("{at}[{i}]"), out);
            }
        }
        (Value::Number(a), Value::Number(b)) if a.as_f64() == b.as_f64() => {}
        (a, b) if a == b => {}
        (a, b) => out.push(format!("{at}: sent {a}, stored {b}")),
    }
}

#[tokio::test]
async fn request_examples_are_stored_and_read_back() {
    let index: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(fixtures_dir().join("index.json")).unwrap())
            .unwrap();
    let mut problems = Vec::new();
    let mut stored = 0;
    for entry in index
        .iter()
        .filter(|e| e["direction"] == "request" && e["skipped"] != true)
    {
        let (method, path, file) = (
            entry["method"].as_str().unwrap(),
            entry["path"].as_str().unwrap(),
            entry["file"].as_str().unwrap(),
        );
        if !matches!(method, "POST" | "PUT") || NOT_STORED.iter().any(|p| file.starts_with(p)) {
            continue;
        }
        let body = read(file);
        let session = Session::start().await;
        if path.contains("/checks/{check}/") {
            // Executing a check or assigning a hook needs the check.
            let check = read("checks/002-create-new-check-request.json");
            session
                .send(
                    "POST",
                    "/api/core/v2/namespaces/default/checks",
                    Some(&check),
                )
                .await;
        }
        if path == "/api/core/v2/namespaces/{namespace}" {
            session
                .send("POST", "/api/core/v2/namespaces", Some(&body))
                .await;
        }
        let (url, readback) = urls(path, &body);
        let (status, answer) = session.send(method, &url, Some(&body)).await;
        if let Some((_, code, message)) = REFUSED.iter().find(|(f, _, _)| *f == file) {
            let refused: Value = serde_json::from_str(&answer).unwrap_or_default();
            if status.as_u16() != *code || refused["message"] != *message {
                problems.push(format!(
                    "{file}: expected {code} {message:?}, got {status} {answer}"
                ));
            }
            continue;
        }
        if !status.is_success() {
            problems.push(format!("{file}: {method} {url} answered {status} {answer}"));
            continue;
        }
        let Some(readback) = readback else { continue };
        let (status, answer) = session.send("GET", &readback, None).await;
        let Ok(read_back) = serde_json::from_str::<Value>(&answer) else {
            problems.push(format!("{file}: GET {readback} answered {status} {answer}"));
            continue;
        };
        let mut expected = if path.contains("/checks/{check}/hooks/") {
            serde_json::json!({"check_hooks": [body.clone()]})
        } else if path.ends_with("/execute") {
            Value::Object(Default::default())
        } else {
            body.clone()
        };
        if path.contains("/silenced") {
            // The server always names a silence `subscription:check`.
            if let Some(metadata) = expected.get_mut("metadata").and_then(Value::as_object_mut) {
                metadata.remove("name");
            }
        }
        let mut missing = Vec::new();
        lost(&expected, &read_back, "$", &mut missing);
        problems.extend(missing.into_iter().map(|m| format!("{file}: {m}")));
        stored += 1;
    }
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
    // 47 POST/PUT examples: 42 read back; the API key (named by the server), the refused role,
    // and the three requests above that store no resource are not.
    assert_eq!(stored, 42, "examples stored and read back");
}
