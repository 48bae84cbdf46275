//! The tool against the real Keystone, Watcher and Monasca that `cargo xtask servers up`
//! starts, configured as the OpenStack CLI is (`OS_*`, `--os-cloud` with `clouds.yaml`), with
//! the Python CLIs' command names: a real audit and action plan followed with `--wait`, paged
//! `--all`, and each output format. Skipped (with a note) when the servers are not running.

use std::time::{Duration, Instant};

use crate::tool_process::{openstack_tool, real_openstack, run_id, seed, Run, Table, Tool};
use serde_json::Value;

/// The number of requests `--debug` logged for `operation`.
pub fn requests(run: &Run, operation: &str) -> usize {
    let needle = format!("operation=\"{operation}\"");
    run.stderr()
        .lines()
        .filter(|l| l.contains(&needle) && l.contains("answered"))
        .count()
}

#[test]
fn keystone_with_os_variables_and_with_a_cloud() {
    let Some(vars) = real_openstack("keystone_with_os_variables_and_with_a_cloud") else {
        return;
    };
    let types = openstack_tool(&vars)
        .run(&["keystone", "get-catalog", "-o", "value", "-c", "type"])
        .ok();
    for service in ["identity", "infra-optim", "monitoring"] {
        assert!(types.lines().any(|t| t == service), "{types}");
    }
    // --os-cloud picks the entry of clouds.yaml; no OS_* variable is set.
    let by_cloud = Tool::new()
        .env("OS_CLIENT_CONFIG_FILE", &vars["OPSCLIENT_CLOUDS_YAML"])
        .run(&[
            "keystone",
            "--os-cloud",
            &vars["OPSCLIENT_CLOUD"],
            "get-catalog",
            "-o",
            "value",
            "-c",
            "type",
        ])
        .ok();
    assert_eq!(by_cloud, types);
    // --os-* options override the variables: a wrong password is refused (4).
    let dir = tempfile::tempdir().unwrap();
    let wrong = dir.path().join("password");
    std::fs::write(&wrong, "not the password").unwrap();
    let error = openstack_tool(&vars)
        .run(&[
            "keystone",
            "get-catalog",
            "--os-password-file",
            wrong.to_str().unwrap(),
        ])
        .fails(4);
    assert!(!error.contains("not the password"), "{error}");
    // The token to check comes from OS_SUBJECT_TOKEN; Keystone does not know this one (3).
    openstack_tool(&vars)
        .env("OS_SUBJECT_TOKEN", "gAAAAABunknowntoken")
        .run(&["keystone", "validate-token"])
        .fails(3);
}

#[test]
fn watcher_python_cli_commands_a_real_audit_and_a_real_action_plan() {
    let Some(vars) =
        real_openstack("watcher_python_cli_commands_a_real_audit_and_a_real_action_plan")
    else {
        return;
    };
    let tool = openstack_tool(&vars);
    let run = run_id();

    // python-watcherclient's words.
    let template_name = format!("cli-at-{run}");
    let template = tool
        .run(&[
            "watcher",
            "audittemplate",
            "create",
            &template_name,
            "dummy",
            "-s",
            "dummy",
        ])
        .json();
    assert!(template["uuid"].is_string(), "{template}");
    assert_eq!(template["goal_name"], "dummy");
    let names = tool
        .run(&[
            "watcher",
            "audittemplate",
            "list",
            "-o",
            "value",
            "-c",
            "name",
        ])
        .ok();
    assert!(names.lines().any(|n| n == template_name), "{names}");

    // A one-shot audit, followed to its end. Without Nova the decision engine cannot build
    // the compute model, so the audit ends FAILED and --wait exits 10.
    let audit_name = format!("cli-audit-{run}");
    let waited = tool.run(&[
        "watcher",
        "audit",
        "create",
        "-a",
        // By name: the tool looks up its UUID, as watcherclient does.
        &template_name,
        "-t",
        "ONESHOT",
        "--name",
        &audit_name,
        "--wait",
        "--wait-timeout",
        "3m",
    ]);
    let error = waited.fails(10);
    let audit: Value = serde_json::from_str(&waited.stdout()).expect("the created audit, as JSON");
    let audit_uuid = audit["uuid"].as_str().unwrap().to_string();
    assert!(
        error.contains(&format!("audit {audit_uuid}: FAILED")),
        "{error}"
    );
    let shown: Value = serde_yaml_ng::from_str(
        &tool
            .run(&["watcher", "audit", "show", &audit_uuid, "-o", "yaml"])
            .ok(),
    )
    .unwrap();
    assert_eq!(shown["state"], "FAILED");
    assert_eq!(shown["name"], audit_name.as_str());
    // The template named by -a gave the audit its goal and strategy.
    assert_eq!(shown["goal_name"], "dummy");
    assert_eq!(shown["strategy_name"], "dummy");

    // An action plan (nop, sleep, nop) run by the real applier: --wait exits 0.
    let plan = seed(&vars, "OPSCLIENT_WATCHER_SEED_ACTION_PLAN", &audit_uuid);
    let started = tool.run(&[
        "watcher",
        "actionplan",
        "start",
        &plan,
        "--wait",
        "--wait-timeout",
        "2m",
    ]);
    started.ok();
    assert!(
        started
            .stderr()
            .contains(&format!("action plan {plan}: SUCCEEDED")),
        "{}",
        started.stderr()
    );
    let table = tool
        .run(&[
            "watcher",
            "action",
            "list",
            "--action-plan-uuid",
            &plan,
            "--detail",
            "-o",
            "table",
        ])
        .ok();
    // python-watcherclient's columns.
    let actions = Table::parse(&table);
    assert_eq!(
        actions.headers,
        ["UUID", "PARENTS", "STATE", "ACTION PLAN", "ACTION"],
        "{table}"
    );
    assert_eq!(actions.rows.len(), 3, "three actions: {table}");
    assert!(
        actions.column("STATE").iter().all(|s| *s == "SUCCEEDED"),
        "{table}"
    );
    assert!(
        actions.column("ACTION PLAN").iter().all(|p| *p == plan),
        "{table}"
    );

    // Every audit, one per page.
    let second = tool
        .run(&[
            "watcher",
            "audit",
            "create",
            "-g",
            "dummy",
            "-t",
            "ONESHOT",
            "--name",
            &format!("cli-second-{run}"),
        ])
        .json();
    assert!(second["uuid"].is_string());
    let paged = tool.run(&[
        "--debug",
        "watcher",
        "list-audits",
        "--all",
        "--page-size",
        "1",
    ]);
    let audits = paged.json();
    let audits = audits.as_array().expect("the items of every page");
    assert!(audits.len() >= 2);
    assert!(audits.iter().any(|a| a["uuid"] == audit_uuid.as_str()));
    assert!(
        requests(&paged, "listAudits") >= audits.len(),
        "{}",
        paged.stderr()
    );

    // Not found: 3, on one line.
    let error = tool
        .run(&[
            "watcher",
            "audit",
            "show",
            "00000000-0000-4000-8000-000000000000",
        ])
        .fails(3);
    assert_eq!(error.lines().count(), 1, "{error}");
}

/// Runs `args` until `accept` takes its output, for at most a minute (the persister stores
/// measurements asynchronously).
pub(crate) fn eventually(tool: &Tool, args: &[&str], accept: impl Fn(&str) -> bool) -> String {
    let start = Instant::now();
    loop {
        let out = tool.run(args).ok();
        if accept(&out) {
            return out;
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "{args:?} still gives {out}"
        );
        std::thread::sleep(Duration::from_secs(1));
    }
}

#[test]
fn monasca_python_cli_commands_against_the_real_server() {
    let Some(vars) = real_openstack("monasca_python_cli_commands_against_the_real_server") else {
        return;
    };
    let tool = openstack_tool(&vars);
    let run = run_id();
    let name = format!("opsclient.cli.{run}");
    let dims = format!("run={run},hostname=h1");
    let now_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis();
    for (offset, value) in [(2000u128, "1.5"), (1000, "2.5")] {
        let at = (now_ms - offset).to_string();
        tool.run(&[
            "monasca",
            "metric-create",
            &name,
            value,
            "--dimensions",
            &dims,
            "--time",
            &at,
        ])
        .ok();
    }
    // monascaclient's key=value here, the API's key:value below: both are taken.
    let filter = format!("run:{run}");
    let listed = eventually(
        &tool,
        &[
            "monasca",
            "metric-list",
            "--name",
            &name,
            "--dimensions",
            &format!("run={run}"),
            "-o",
            "table",
        ],
        |out| out.lines().count() == 2,
    );
    // monascaclient's columns: the name, and the dimensions as key=value.
    let metrics = Table::parse(&listed);
    assert_eq!(metrics.headers, ["NAME", "DIMENSIONS"], "{listed}");
    assert_eq!(metrics.column("NAME"), [name.as_str()]);
    assert_eq!(
        metrics.column("DIMENSIONS"),
        [format!("hostname=h1,run={run}").as_str()]
    );

    let measurements = eventually(
        &tool,
        &[
            "monasca",
            "measurement-list",
            &name,
            "2020-01-01T00:00:00Z",
            "--dimensions",
            &filter,
        ],
        |out| out.contains("2.5"),
    );
    let measurements: Value = serde_json::from_str(&measurements).unwrap();
    assert_eq!(
        measurements["elements"][0]["measurements"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    let statistics = tool
        .run(&[
            "monasca",
            "metric-statistics",
            &name,
            "avg,count",
            "2020-01-01T00:00:00Z",
            // A bare flag, as in monascaclient.
            "--merge_metrics",
            "--period",
            "3600000",
        ])
        .json();
    let columns = &statistics["elements"][0]["columns"];
    assert_eq!(columns, &serde_json::json!(["timestamp", "avg", "count"]));

    // Notification methods and alarm definitions, by python-monascaclient's names.
    let notification = tool
        .run(&[
            "monasca",
            "notification-create",
            &format!("cli-n-{run}"),
            "EMAIL",
            "ops@example.com",
        ])
        .json();
    let notification_id = notification["id"].as_str().unwrap().to_string();
    let shown = tool
        .run(&[
            "monasca",
            "notification-show",
            &notification_id,
            "-o",
            "value",
            "-c",
            "address",
        ])
        .ok();
    assert_eq!(shown, "ops@example.com\n");
    let expression = format!("avg({name}) > 10");
    let definition = tool
        .run(&[
            "monasca",
            "alarm-definition-create",
            &format!("cli-ad-{run}"),
            &expression,
        ])
        .json();
    let definition_id = definition["id"].as_str().unwrap().to_string();
    assert_eq!(
        tool.run(&[
            "monasca",
            "alarm-definition-show",
            &definition_id,
            "-o",
            "value",
            "-c",
            "expression"
        ])
        .ok(),
        format!("{expression}\n")
    );

    // Two alarms (as monasca-thresh creates them), read one per page.
    let first = seed(&vars, "OPSCLIENT_MONASCA_SEED_ALARM", &definition_id);
    let second = seed(&vars, "OPSCLIENT_MONASCA_SEED_ALARM", &definition_id);
    let paged = tool.run(&[
        "--debug",
        "monasca",
        "alarm-list",
        "--alarm-definition-id",
        &definition_id,
        "--all",
        "--page-size",
        "1",
    ]);
    let alarms = paged.json();
    let mut ids: Vec<&str> = alarms
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    ids.sort();
    let mut expected = vec![first.as_str(), second.as_str()];
    expected.sort();
    assert_eq!(ids, expected);
    assert!(requests(&paged, "listAlarms") >= 2, "{}", paged.stderr());
    let state = tool
        .run(&[
            "monasca",
            "alarm-show",
            &first,
            "-o",
            "value",
            "-c",
            "state",
        ])
        .ok();
    assert!(
        ["OK", "ALARM", "UNDETERMINED"].contains(&state.trim()),
        "{state}"
    );
    tool.run(&["monasca", "alarm-history", &first]).json();

    // Not found: 3.
    tool.run(&[
        "monasca",
        "alarm-definition-show",
        "00000000-0000-4000-8000-000000000000",
    ])
    .fails(3);
}

#[test]
fn drift_against_the_real_servers_finds_nothing_and_exits_zero() {
    let Some(vars) = real_openstack("drift_against_the_real_servers_finds_nothing_and_exits_zero")
    else {
        return;
    };
    let tool = openstack_tool(&vars);
    for api in ["keystone", "watcher", "monasca"] {
        let report = tool.run(&[api, "drift", "-o", "json"]).json();
        assert_eq!(report["findings"], serde_json::json!([]), "{api}: {report}");
        assert!(
            report["called"].as_array().is_some_and(|c| c.len() >= 5),
            "{api}: {report}"
        );
    }
    // A write is no operation of drift's.
    let run = tool.run(&["watcher", "drift", "--operations", "create-audit"]);
    assert!(run.fails(9).contains("not a read-only"), "{}", run.stderr());
}
