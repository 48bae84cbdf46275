//! Label and field selectors on list GETs, through the public client's builders and as raw
//! query strings: every operator, `&&`, both selectors together, paging over the selection,
//! and 400 for a selector that does not parse. The store always holds resources a selector
//! must leave out, so an ignored selector fails the exact-name assertions.

use opsclient::sensu::{types, Client};
use opsclient_sandbox::Sandbox;
use serde_json::{json, Value};

const NS: &str = "default";

/// The items a list request answers with, given its optional label and field selectors.
macro_rules! selected {
    ($request:expr, $labels:expr, $fields:expr) => {{
        let mut request = $request;
        if let Some(labels) = $labels {
            request = request.label_selector(labels);
        }
        if let Some(fields) = $fields {
            request = request.field_selector(fields);
        }
        request.send().await.unwrap().into_inner()
    }};
}

struct Fixture {
    sandbox: Sandbox,
    client: Client,
    http: reqwest::Client,
    token: String,
}

impl Fixture {
    /// Checks `cpu`, `disk` and `memory`; entities `web-01` (agent), `web-02` and `db-01`;
    /// events `web-01/cpu` (2), `web-02/cpu` (0) and `db-01/disk` (1).
    async fn start() -> Self {
        let sandbox = Sandbox::builder().start().await.unwrap();
        let client = Client::builder().url(sandbox.url()).build().unwrap();
        client
            .login(Sandbox::DEFAULT_USERNAME, Sandbox::DEFAULT_PASSWORD)
            .await
            .unwrap();
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
        let token = tokens["access_token"].as_str().unwrap().to_string();
        let fixture = Fixture {
            sandbox,
            client,
            http,
            token,
        };
        for (name, subscriptions, publish, labels) in [
            (
                "cpu",
                json!(["linux", "web"]),
                true,
                json!({"region": "eu", "team": "ops"}),
            ),
            ("disk", json!(["linux"]), false, json!({"region": "us"})),
            ("memory", json!(["windows"]), true, json!({})),
        ] {
            let check = json!({
                "metadata": {"name": name, "namespace": NS, "labels": labels},
                "command": "true", "interval": 60,
                "subscriptions": subscriptions, "publish": publish,
            });
            fixture.put(&format!("checks/{name}"), check).await;
        }
        for (name, class, subscriptions, labels) in [
            ("web-01", "agent", json!(["web"]), json!({"region": "eu"})),
            ("web-02", "proxy", json!(["web"]), json!({"region": "us"})),
            (
                "db-01",
                "proxy",
                json!(["db"]),
                json!({"region": "eu", "tier": "data"}),
            ),
        ] {
            let entity = json!({
                "metadata": {"name": name, "namespace": NS, "labels": labels},
                "entity_class": class, "subscriptions": subscriptions,
            });
            fixture.put(&format!("entities/{name}"), entity).await;
        }
        for (entity, check, status, labels) in [
            ("web-01", "cpu", 2, json!({"severity": "page"})),
            ("web-02", "cpu", 0, json!({})),
            ("db-01", "disk", 1, json!({"severity": "ticket"})),
        ] {
            let event = json!({
                "entity": {"metadata": {"name": entity, "namespace": NS}, "entity_class": "proxy"},
                "check": {
                    "metadata": {"name": check, "namespace": NS, "labels": labels},
                    "status": status, "interval": 60, "output": "",
                },
            });
            fixture
                .put(&format!("events/{entity}/{check}"), event)
                .await;
        }
        fixture
    }

    async fn put(&self, path: &str, body: Value) {
        let answer = self
            .http
            .put(format!(
                "{}/api/core/v2/namespaces/{NS}/{path}",
                self.sandbox.url()
            ))
            .bearer_auth(&self.token)
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
            .await
            .unwrap();
        assert!(
            answer.status().is_success(),
            "PUT {path}: {}",
            answer.status()
        );
    }

    /// A raw GET; `query` is appended as written (already URL-encoded).
    async fn get(&self, path_and_query: &str) -> (u16, Option<String>, String) {
        let answer = self
            .http
            .get(format!(
                "{}/api/core/v2/namespaces/{NS}/{path_and_query}",
                self.sandbox.url()
            ))
            .bearer_auth(&self.token)
            .send()
            .await
            .unwrap();
        let status = answer.status().as_u16();
        let next = answer
            .headers()
            .get(opsclient::sensu::CONTINUE_HEADER)
            .map(|v| v.to_str().unwrap().to_string());
        (status, next, answer.text().await.unwrap())
    }

    async fn check_names(&self, labels: Option<&str>, fields: Option<&str>) -> Vec<String> {
        let checks: Vec<types::CheckConfig> =
            selected!(self.client.list_checks().namespace(NS), labels, fields);
        checks.iter().map(|c| name_of(&c.metadata)).collect()
    }

    async fn entity_names(&self, labels: Option<&str>, fields: Option<&str>) -> Vec<String> {
        let entities: Vec<types::Entity> =
            selected!(self.client.list_entities().namespace(NS), labels, fields);
        entities.iter().map(|e| name_of(&e.metadata)).collect()
    }

    /// Events as `entity/check`.
    async fn event_names(&self, labels: Option<&str>, fields: Option<&str>) -> Vec<String> {
        let events: Vec<types::Event> =
            selected!(self.client.list_events().namespace(NS), labels, fields);
        events.iter().map(event_name).collect()
    }
}

fn name_of<M: serde::Serialize>(metadata: &M) -> String {
    serde_json::to_value(metadata).unwrap()["name"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

fn event_name(event: &types::Event) -> String {
    let event = serde_json::to_value(event).unwrap();
    format!(
        "{}/{}",
        event["entity"]["metadata"]["name"].as_str().unwrap(),
        event["check"]["metadata"]["name"].as_str().unwrap()
    )
}

fn names_in(body: &str) -> Vec<String> {
    let items: Vec<Value> = serde_json::from_str(body).unwrap();
    items
        .iter()
        .map(|item| item["metadata"]["name"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn checks_are_selected_by_each_operator() {
    let f = Fixture::start().await;
    assert_eq!(f.check_names(None, None).await, ["cpu", "disk", "memory"]);
    assert_eq!(
        f.check_names(None, Some("check.name == disk")).await,
        ["disk"]
    );
    assert_eq!(
        f.check_names(None, Some("check.name != disk")).await,
        ["cpu", "memory"]
    );
    assert_eq!(
        f.check_names(None, Some("check.name in [memory, cpu]"))
            .await,
        ["cpu", "memory"]
    );
    assert_eq!(
        f.check_names(None, Some("check.name notin [memory, cpu]"))
            .await,
        ["disk"]
    );
    assert_eq!(
        f.check_names(None, Some("check.name matches mem")).await,
        ["memory"]
    );
    assert_eq!(
        f.check_names(None, Some("linux in check.subscriptions"))
            .await,
        ["cpu", "disk"]
    );
    assert_eq!(
        f.check_names(None, Some("linux notin check.subscriptions"))
            .await,
        ["memory"]
    );
    assert_eq!(
        f.check_names(None, Some("check.publish == false")).await,
        ["disk"]
    );
    assert_eq!(
        f.check_names(
            None,
            Some("check.publish == true && web in check.subscriptions")
        )
        .await,
        ["cpu"]
    );
}

#[tokio::test]
async fn checks_are_selected_by_labels() {
    let f = Fixture::start().await;
    assert_eq!(f.check_names(Some("region == eu"), None).await, ["cpu"]);
    assert_eq!(
        f.check_names(Some("region != eu"), None).await,
        ["disk", "memory"]
    );
    assert_eq!(
        f.check_names(Some("region in [eu, us]"), None).await,
        ["cpu", "disk"]
    );
    assert_eq!(
        f.check_names(Some("region notin [eu]"), None).await,
        ["disk", "memory"]
    );
    assert_eq!(f.check_names(Some("team matches op"), None).await, ["cpu"]);
    assert_eq!(
        f.check_names(Some("region == eu && team == ops"), None)
            .await,
        ["cpu"]
    );
    assert!(f
        .check_names(Some("region == eu && team == dev"), None)
        .await
        .is_empty());
    // Labels are fields too, under the kind's prefix.
    assert_eq!(
        f.check_names(None, Some("check.labels.region == us")).await,
        ["disk"]
    );
}

#[tokio::test]
async fn entities_are_selected_by_fields_and_labels_together() {
    let f = Fixture::start().await;
    assert_eq!(
        f.entity_names(None, None).await,
        ["db-01", "web-01", "web-02"]
    );
    assert_eq!(
        f.entity_names(None, Some("entity.entity_class == agent"))
            .await,
        ["web-01"]
    );
    assert_eq!(
        f.entity_names(None, Some("entity.name == 'web-02'")).await,
        ["web-02"]
    );
    assert_eq!(
        f.entity_names(None, Some("web in entity.subscriptions"))
            .await,
        ["web-01", "web-02"]
    );
    assert_eq!(
        f.entity_names(Some("region == eu"), Some("entity.entity_class == proxy"))
            .await,
        ["db-01"]
    );
    assert_eq!(
        f.entity_names(Some("region == eu"), Some("entity.name matches web"))
            .await,
        ["web-01"]
    );
}

#[tokio::test]
async fn events_are_selected_by_check_entity_and_labels() {
    let f = Fixture::start().await;
    let all = ["db-01/disk", "web-01/cpu", "web-02/cpu"];
    assert_eq!(f.event_names(None, None).await, all);
    assert_eq!(
        f.event_names(None, Some("event.check.name == cpu")).await,
        ["web-01/cpu", "web-02/cpu"]
    );
    assert_eq!(
        f.event_names(None, Some("event.check.status != '0'")).await,
        ["db-01/disk", "web-01/cpu"]
    );
    assert_eq!(
        f.event_names(None, Some("event.check.status in ['1', '2']"))
            .await,
        ["db-01/disk", "web-01/cpu"]
    );
    assert_eq!(
        f.event_names(
            None,
            Some("event.entity.name matches web && event.check.status == '2'")
        )
        .await,
        ["web-01/cpu"]
    );
    assert_eq!(
        f.event_names(None, Some("event.entity.entity_class == agent"))
            .await,
        ["web-01/cpu"]
    );
    assert_eq!(
        f.event_names(None, Some("event.is_silenced == false"))
            .await,
        all
    );
    // An event's labels are its own, its entity's and its check's.
    assert_eq!(
        f.event_names(Some("severity in [page, ticket]"), None)
            .await,
        ["db-01/disk", "web-01/cpu"]
    );
    assert_eq!(
        f.event_names(Some("region == eu"), Some("event.check.status notin ['0']"))
            .await,
        ["db-01/disk", "web-01/cpu"]
    );
    assert_eq!(
        f.event_names(Some("tier == data"), Some("event.check.name == disk"))
            .await,
        ["db-01/disk"]
    );
    let for_entity: Vec<types::Event> = f
        .client
        .list_events_for_entity()
        .namespace(NS)
        .entity("web-01")
        .field_selector("event.check.status == '0'")
        .send()
        .await
        .unwrap()
        .into_inner();
    assert!(for_entity.is_empty());
}

#[tokio::test]
async fn raw_query_strings_are_decoded_and_repeated_selectors_are_anded() {
    let f = Fixture::start().await;
    let (status, _, body) = f
        .get("checks?fieldSelector=linux%20in%20check.subscriptions&labelSelector=region%20%3D%3D%20us")
        .await;
    assert_eq!((status, names_in(&body)), (200, vec!["disk".to_string()]));
    let (status, _, body) = f
        .get("entities?labelSelector=region+%3D%3D+eu&labelSelector=tier+%3D%3D+data")
        .await;
    assert_eq!((status, names_in(&body)), (200, vec!["db-01".to_string()]));
    // An empty selector selects everything.
    let (_, _, body) = f.get("checks?labelSelector=&fieldSelector=").await;
    assert_eq!(names_in(&body), ["cpu", "disk", "memory"]);
}

#[tokio::test]
async fn paging_walks_the_selection() {
    let f = Fixture::start().await;
    for name in ["linux-a", "linux-b", "other", "linux-c"] {
        let subscription = if name == "other" { "windows" } else { "linux" };
        let check = json!({
            "metadata": {"name": name, "namespace": NS},
            "command": "true", "interval": 60, "subscriptions": [subscription],
        });
        f.put(&format!("checks/{name}"), check).await;
    }
    let selector = "fieldSelector=linux%20in%20check.subscriptions";
    let mut pages = Vec::new();
    let mut query = format!("checks?{selector}&limit=2");
    loop {
        let (status, next, body) = f.get(&query).await;
        assert_eq!(status, 200, "{body}");
        pages.push(names_in(&body));
        match next {
            Some(token) => query = format!("checks?{selector}&limit=2&continue={token}"),
            None => break,
        }
    }
    assert_eq!(
        pages,
        [
            vec!["cpu", "disk"],
            vec!["linux-a", "linux-b"],
            vec!["linux-c"]
        ]
    );
    // Through the client's paging loop as well.
    let request = f
        .client
        .list_checks()
        .namespace(NS)
        .field_selector("linux in check.subscriptions")
        .limit(1);
    let first: Vec<types::CheckConfig> = request.send().await.unwrap().into_inner();
    assert_eq!(
        first
            .iter()
            .map(|c| name_of(&c.metadata))
            .collect::<Vec<_>>(),
        ["cpu"]
    );
}

#[tokio::test]
async fn a_selector_that_does_not_parse_is_a_400() {
    let f = Fixture::start().await;
    for (query, parameter) in [
        (
            "checks?labelSelector=region%20maybein%20%5Beu%5D",
            "labelSelector",
        ),
        (
            "entities?fieldSelector=entity.name%20%3D%3D%20web-01",
            "fieldSelector",
        ),
        (
            "events?fieldSelector=%26%26%20event.check.name%20%3D%3D%20cpu",
            "fieldSelector",
        ),
        (
            "checks?labelSelector=region%20%3D%3D%20eu%20%7C%7C%20team%20%3D%3D%20ops",
            "labelSelector",
        ),
        // As on the server, `==` needs a space after an identifier.
        ("checks?labelSelector=region%3D%3Deu", "labelSelector"),
    ] {
        let (status, _, body) = f.get(query).await;
        assert_eq!(status, 400, "{query}: {body}");
        let error: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(error["code"], 1, "{body}");
        let message = error["message"].as_str().unwrap();
        assert!(
            message.starts_with(&format!("failed to parse {parameter}: ")),
            "{message}"
        );
    }
    let refused = f
        .client
        .list_events()
        .namespace(NS)
        .field_selector("event.check.status >= 1")
        .send()
        .await;
    let error = refused.unwrap_err();
    assert!(
        error.to_string().contains("failed to parse fieldSelector"),
        "{error}"
    );
}
