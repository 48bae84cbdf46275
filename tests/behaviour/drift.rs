//! What `opsclient::drift` makes of statuses, content types and paths, against a local server
//! answering a small document's operations: an undeclared status and content type, an
//! operation the server does not have, and a get filled from its list's first item.

use opsclient::drift::{self, Document, FindingKind, Options};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn document() -> Document {
    let ok = |schema: serde_json::Value| json!({"200": {"description": "OK", "content": {"application/json": {"schema": schema}}}});
    Document::from_value(json!({
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "6.14"},
        "paths": {
            "/things": {"get": {"operationId": "listThings", "responses": ok(json!({
                "type": "array", "items": {"$ref": "#/components/schemas/Thing"}}))}},
            "/things/{thing}": {"get": {"operationId": "getThing", "responses": ok(json!({
                "$ref": "#/components/schemas/Thing"}))}},
            "/gone": {"get": {"operationId": "getGone", "responses": ok(json!({}))}},
            "/text": {"get": {"operationId": "getText", "responses": ok(json!({}))}},
            "/moved": {"get": {"operationId": "getMoved", "responses": ok(json!({}))}},
            "/version": {"get": {"operationId": "getVersion", "responses": ok(json!({}))}},
            "/things/{thing}/bump": {"post": {"operationId": "bumpThing", "responses": ok(json!({}))}}
        },
        "components": {"schemas": {"Thing": {"type": "object", "properties": {
            "metadata": {"type": "object", "properties": {"name": {"type": "string"}}}}}}}
    }))
    .unwrap()
}

#[tokio::test]
async fn statuses_content_types_and_missing_operations_are_found_and_nothing_is_written() {
    let server = MockServer::start().await;
    let thing = json!({"metadata": {"name": "t 1"}});
    Mock::given(method("GET"))
        .and(path("/things"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([thing])))
        .mount(&server)
        .await;
    // The get is called with the list's first item's name, encoded.
    Mock::given(method("GET"))
        .and(path("/things/t%201"))
        .respond_with(ResponseTemplate::new(200).set_body_json(&thing))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/text"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("up", "text/plain"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/moved"))
        .respond_with(ResponseTemplate::new(203).set_body_json(json!({"to": "/elsewhere"})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/version"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"sensu_backend": "6.15.1"})))
        .mount(&server)
        .await;

    let client = opsclient::sensu::Client::builder()
        .url(server.uri())
        .api_key("83abef1e-e7d7-4beb-91fc-79ad90084d5b")
        .build()
        .unwrap();
    // An operation that is not a GET of the document is refused before anything is sent.
    let writes = Options {
        operations: vec!["bump-thing".into()],
        ..Options::default()
    };
    let refused = drift::check(&client, &document(), &writes)
        .await
        .unwrap_err();
    assert!(
        refused
            .to_string()
            .contains("bump-thing is not a read-only"),
        "{refused}"
    );

    let report = drift::check(&client, &document(), &Options::default())
        .await
        .unwrap();
    eprintln!("{report}");
    let found: Vec<(FindingKind, &str, Option<u16>)> = report
        .findings
        .iter()
        .map(|f| (f.kind, f.operation.as_str(), f.status))
        .collect();
    assert_eq!(
        found,
        [
            (FindingKind::MissingOperation, "getGone", Some(404)),
            (FindingKind::UndeclaredStatus, "getMoved", Some(203)),
            (FindingKind::UndeclaredContentType, "getText", Some(200)),
            (FindingKind::VersionRange, "getVersion", Some(200)),
        ]
    );
    assert!(report.called.contains(&"getThing".to_string()), "{report}");
    let overlay = report.overlay();
    let targets: Vec<&str> = overlay["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["target"].as_str().unwrap())
        .collect();
    assert_eq!(
        targets,
        [
            "$.paths['/moved'].get.responses",
            "$.paths['/text'].get.responses['200'].content"
        ]
    );
    assert_eq!(
        overlay["actions"][0]["update"]["203"]["content"]["application/json"]["schema"],
        json!({"type": "object", "additionalProperties": true})
    );
    // Only GETs: the POST of the document is never sent.
    let requests = server.received_requests().await.unwrap();
    assert!(requests
        .iter()
        .all(|r| r.method == wiremock::http::Method::GET));
    assert_eq!(requests.len(), 6);
}
