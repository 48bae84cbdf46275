//! `opsclient sensu drift` against the in-process sandbox, once as today's server and once
//! playing a newer one that sends fields the document does not declare: the table, `-o json`,
//! `--overlay`, `--operations` and the exit status.

use opsclient::sensu::types;
use opsclient_sandbox::Sandbox;
use serde_json::{json, Value};

use crate::tool_process::Tool;

/// A sandbox holding the check `cpu`, sent with `extra` merged in.
async fn sandbox_with_check(keep_undeclared: bool, extra: Value) -> (Sandbox, Tool) {
    let sandbox = Sandbox::builder()
        .keep_undeclared_fields(keep_undeclared)
        .start()
        .await
        .unwrap();
    let client = sandbox.client().await.unwrap();
    let mut check = json!({
        "metadata": {"name": "cpu", "namespace": "default"},
        "command": "check-cpu", "interval": 10, "subscriptions": ["linux"]
    });
    for (key, value) in extra.as_object().unwrap() {
        check[key] = value.clone();
    }
    let check: types::CheckConfig = serde_json::from_value(check).unwrap();
    client.resources().create(&check).await.unwrap();
    let tool = Tool::new()
        .env("SENSU_API_URL", sandbox.url())
        .env("SENSU_USERNAME", Sandbox::DEFAULT_USERNAME)
        .env("SENSU_PASSWORD", Sandbox::DEFAULT_PASSWORD);
    (sandbox, tool)
}

#[tokio::test(flavor = "multi_thread")]
async fn todays_server_shows_no_drift_and_exits_zero() {
    let (_sandbox, tool) = sandbox_with_check(false, json!({})).await;
    let report = tool.run(&["sensu", "drift", "-o", "json"]).json();
    assert_eq!(report["findings"], json!([]), "{report}");
    let called = report["called"].as_array().unwrap();
    assert!(called.contains(&json!("getCheck")), "{report}");

    let only = tool
        .run(&[
            "sensu",
            "drift",
            "--operations",
            "get-version",
            "-o",
            "json",
        ])
        .json();
    assert_eq!(only["called"], json!(["getVersion"]));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_newer_server_exits_eleven_with_a_table_json_and_an_overlay() {
    let (_sandbox, tool) =
        sandbox_with_check(true, json!({"fallback_pipeline": {"name": "p"}})).await;

    let run = tool.run(&["sensu", "drift", "-o", "table"]);
    let stderr = run.fails(11);
    assert!(stderr.contains("drift: 1 difference"), "{stderr}");
    let table = run.stdout();
    assert!(table.starts_with("KIND "), "{table}");
    assert!(
        table.lines().any(|l| l.starts_with("undeclared property")
            && l.contains("fallback_pipeline")
            && l.contains("CheckConfig")),
        "{table}"
    );

    let overlay = tool.home().join("sensu-overlay.yaml");
    let run = tool.run(&[
        "sensu",
        "drift",
        "-o",
        "json",
        "--overlay",
        overlay.to_str().unwrap(),
    ]);
    run.fails(11);
    let report: Value = serde_json::from_str(&run.stdout()).unwrap();
    let finding = &report["findings"][0];
    assert_eq!(finding["kind"], "undeclared_property");
    assert_eq!(finding["schema"], "CheckConfig");
    assert_eq!(finding["inferred_type"], "object");
    assert_eq!(finding["example"], json!({"name": "p"}));

    let overlay: Value = serde_yaml_ng::from_str(&std::fs::read_to_string(&overlay).unwrap())
        .expect("the overlay is YAML");
    assert_eq!(overlay["overlay"], "1.0.0");
    assert_eq!(
        overlay["actions"][0]["target"],
        "$.components.schemas.CheckConfig.properties"
    );
    assert_eq!(
        overlay["actions"][0]["update"]["fallback_pipeline"]["type"],
        "object"
    );
}
