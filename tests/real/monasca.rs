//! Every Monasca operation against the real Monasca API 11 (with InfluxDB) that
//! `cargo xtask servers up` starts, through the public client: metrics posted and read back as
//! measurements and statistics, notification methods, alarm definitions, alarms (seeded as
//! monasca-thresh would create them), logs, versions and the health check. Skipped (with a note)
//! when the servers are not running.

#![cfg(all(feature = "watcher", feature = "monasca"))]

use std::time::{SystemTime, UNIX_EPOCH};

use crate::servers::{body, Real};
use crate::support::recorder::Recorder;
use futures::TryStreamExt;
use opsclient::error::InvalidInput;
use opsclient::monasca::{types, Client, Dimensions};
use opsclient::paging::ListRequest;
use opsclient::Error;
use serde_json::json;

/// Creates an alarm for `definition` in Monasca's database and one state transition in
/// InfluxDB, as monasca-thresh and the persister would; returns the alarm id.
fn seed_alarm(real: &Real, definition: &str) -> String {
    real.seed("OPSCLIENT_MONASCA_SEED_ALARM", definition)
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

#[tokio::test]
async fn every_monasca_operation_against_the_real_server() {
    let Some(real) = Real::get("every_monasca_operation_against_the_real_server") else {
        return;
    };
    let recorder = Recorder::start();
    let cloud = real.cloud().await;
    let monasca = Client::from_cloud(&cloud).await.unwrap();
    let run = uuid::Uuid::new_v4().simple().to_string()[..8].to_string();

    // Versions.
    let versions = monasca.list_versions().send().await.unwrap();
    assert!(versions.elements.iter().any(|v| v.id == "v2.0"));
    assert_eq!(
        monasca
            .get_version()
            .version_id("v2.0")
            .send()
            .await
            .unwrap()
            .status,
        "CURRENT"
    );

    // Metrics: one posted alone, two as a list, then read back.
    let name = format!("opsclient.test.{run}");
    // Inside one minute, so that one 60 s statistics period holds all three.
    let at = now_ms() / 60_000 * 60_000 - 60_000 + 1_000;
    let single: types::MetricsRequest = body(json!({
        "name": name, "dimensions": {"hostname": "h1", "run": run},
        "timestamp": at, "value": 1.5, "value_meta": {"rc": "0"}
    }));
    monasca.create_metrics().body(single).send().await.unwrap();
    let list: types::MetricsRequest = body(json!([
        {"name": name, "dimensions": {"hostname": "h1", "run": run}, "timestamp": at + 1000, "value": 2.5},
        {"name": name, "dimensions": {"hostname": "h2", "run": run}, "timestamp": at + 2000, "value": 6.0}
    ]));
    monasca.create_metrics().body(list).send().await.unwrap();

    let filter = Dimensions::new().equals("run", &run);
    let metrics = monasca
        .list_metrics()
        .name(&name)
        .dimensions(filter.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(metrics.elements.len(), 2, "{metrics:?}");
    // One per page: the stream follows the `next` links.
    let streamed: Vec<types::Metric> = monasca
        .list_metrics()
        .name(&name)
        .stream(1)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(streamed.len(), 2);
    let names: Vec<types::MetricName> = monasca
        .list_metric_names()
        .dimensions(filter.clone())
        .stream(100)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        names.iter().map(|n| n.name.as_str()).collect::<Vec<_>>(),
        [name.as_str()]
    );

    let start = "2020-01-01T00:00:00Z";
    // Two metrics match: without merging the server refuses, with a typed error.
    let ambiguous = monasca
        .list_measurements()
        .name(&name)
        .start_time(start)
        .send()
        .await;
    assert!(
        matches!(ambiguous, Err(Error::Conflict(ref e)) if e.message.contains("MultipleMetrics")),
        "{ambiguous:?}"
    );
    let merged = monasca
        .list_measurements()
        .name(&name)
        .start_time(start)
        .merge_metrics(true)
        .send()
        .await
        .unwrap();
    let points = merged.elements[0].points().unwrap();
    assert_eq!(
        points.iter().map(|p| p.value).collect::<Vec<_>>(),
        [1.5, 2.5, 6.0]
    );
    assert_eq!(
        points[0].value_meta.get("rc").and_then(|v| v.as_str()),
        Some("0")
    );
    let h1 = monasca
        .list_measurements()
        .name(&name)
        .start_time(start)
        .dimensions(
            Dimensions::new()
                .equals("hostname", "h1")
                .equals("run", &run),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(h1.elements[0].points().unwrap().len(), 2);
    let grouped = monasca
        .list_measurements()
        .name(&name)
        .start_time(start)
        .group_by("*")
        .send()
        .await
        .unwrap();
    assert_eq!(grouped.elements.len(), 2);

    let statistics = monasca
        .list_statistics()
        .name(&name)
        .start_time(start)
        .statistics("avg,min,max,sum,count")
        .merge_metrics(true)
        .period(60)
        .send()
        .await
        .unwrap();
    let rows = statistics.elements[0].rows().unwrap();
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0].values["count"], 3.0);
    assert_eq!(rows[0].values["sum"], 10.0);
    assert_eq!(rows[0].values["min"], 1.5);
    assert_eq!(rows[0].values["max"], 6.0);

    let dimension_names = monasca
        .list_dimension_names()
        .metric_name(&name)
        .send()
        .await
        .unwrap();
    let dimension_names: Vec<_> = dimension_names
        .elements
        .iter()
        .map(|d| d.dimension_name.as_str())
        .collect();
    assert_eq!(dimension_names, ["hostname", "run"]);
    let hosts = monasca
        .list_dimension_values()
        .dimension_name("hostname")
        .metric_name(&name)
        .send()
        .await
        .unwrap();
    let hosts: Vec<_> = hosts
        .elements
        .iter()
        .map(|d| d.dimension_value.as_str())
        .collect();
    assert_eq!(hosts, ["h1", "h2"]);

    // Notification methods.
    let types_ = monasca
        .list_notification_method_types()
        .send()
        .await
        .unwrap();
    assert!(types_.elements.iter().any(|t| t.type_ == "WEBHOOK"));
    let method = monasca
        .create_notification_method()
        .body(body::<types::NotificationMethodCreate>(
            json!({"name": format!("nm-{run}"), "type": "EMAIL", "address": "ops@example.invalid"}),
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(method.period, 0);
    let duplicate = monasca
        .create_notification_method()
        .body(body::<types::NotificationMethodCreate>(
            json!({"name": format!("nm-{run}"), "type": "EMAIL", "address": "ops@example.invalid"}),
        ))
        .send()
        .await;
    assert!(
        matches!(duplicate, Err(Error::AlreadyExists(_))),
        "{duplicate:?}"
    );
    let methods: Vec<types::NotificationMethod> = monasca
        .list_notification_methods()
        .stream(1)
        .try_collect()
        .await
        .unwrap();
    assert!(methods.iter().any(|m| m.id == method.id));
    // One per page gives the same list as one page: no row skipped or repeated.
    let whole = monasca.list_notification_methods().send().await.unwrap();
    let ids =
        |list: &[types::NotificationMethod]| list.iter().map(|m| m.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&methods), ids(&whole.elements));
    assert_eq!(
        monasca
            .get_notification_method()
            .notification_method_id(&method.id)
            .send()
            .await
            .unwrap()
            .name,
        method.name
    );
    let replaced = monasca
        .update_notification_method()
        .notification_method_id(&method.id)
        .body(body::<types::NotificationMethodUpdate>(json!({"name": format!("nm-{run}"), "type": "WEBHOOK", "address": "http://127.0.0.1:9/hook", "period": 60})))
        .send()
        .await
        .unwrap();
    assert_eq!((replaced.type_.as_str(), replaced.period), ("WEBHOOK", 60));
    let patched = monasca
        .patch_notification_method()
        .notification_method_id(&method.id)
        .body(body::<types::NotificationMethodPatch>(
            json!({"name": format!("nm2-{run}")}),
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(
        (patched.name.as_str(), patched.type_.as_str()),
        (format!("nm2-{run}").as_str(), "WEBHOOK")
    );

    // Alarm definitions: a bad expression is refused with the server's reason.
    let bad = monasca
        .create_alarm_definition()
        .body(body::<types::AlarmDefinitionCreate>(
            json!({"name": format!("bad-{run}"), "expression": "avg(x > "}),
        ))
        .send()
        .await;
    match bad {
        Err(Error::InvalidInput(InvalidInput::Server(e))) => {
            assert_eq!(e.status.as_u16(), 422);
            assert!(e.message.starts_with("Invalid alarm expression"), "{e}");
        }
        other => panic!("bad expression: {other:?}"),
    }
    let definition = monasca
        .create_alarm_definition()
        .body(body::<types::AlarmDefinitionCreate>(json!({
            "name": format!("ad-{run}"),
            "expression": format!("avg({name}{{hostname=h1}}) > 10"),
            "match_by": ["hostname"],
            "severity": "HIGH",
            "alarm_actions": [method.id]
        })))
        .send()
        .await
        .unwrap();
    assert_eq!(definition.severity, types::Severity::High);
    let definitions: Vec<types::AlarmDefinition> = monasca
        .list_alarm_definitions()
        .name(format!("ad-{run}"))
        .stream(10)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(definitions.len(), 1);
    assert_eq!(
        monasca
            .get_alarm_definition()
            .alarm_definition_id(&definition.id)
            .send()
            .await
            .unwrap()
            .alarm_actions,
        std::slice::from_ref(&method.id)
    );
    let definition_update: types::AlarmDefinitionUpdate = body(json!({
        "name": format!("ad-{run}"),
        "expression": format!("avg({name}{{hostname=h1}}) > 20"),
        "description": "updated by opsclient",
        "severity": "LOW",
        "match_by": ["hostname"],
        "alarm_actions": [], "ok_actions": [], "undetermined_actions": [],
        "actions_enabled": true
    }));
    let updated = monasca
        .update_alarm_definition()
        .alarm_definition_id(&definition.id)
        .body(definition_update)
        .send()
        .await
        .unwrap();
    assert_eq!(
        (updated.severity, updated.alarm_actions.len()),
        (types::Severity::Low, 0)
    );
    let patched = monasca
        .patch_alarm_definition()
        .alarm_definition_id(&definition.id)
        .body(body::<types::AlarmDefinitionPatch>(
            json!({"actions_enabled": false, "description": "patched"}),
        ))
        .send()
        .await
        .unwrap();
    assert!(!patched.actions_enabled);
    assert_eq!(patched.description, "patched");

    // Alarms: one created for the definition as monasca-thresh would.
    let alarm_id = seed_alarm(&real, &definition.id);
    let alarms: Vec<types::Alarm> = monasca
        .list_alarms()
        .alarm_definition_id(&definition.id)
        .stream(10)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(alarms.len(), 1);
    assert_eq!(alarms[0].id, alarm_id);
    assert_eq!(alarms[0].alarm_definition.id, definition.id);
    assert_eq!(alarms[0].state, types::AlarmState::Alarm);
    let count = monasca
        .count_alarms()
        .alarm_definition_id(&definition.id)
        .group_by("state")
        .send()
        .await
        .unwrap();
    assert_eq!(count.columns, ["count", "state"]);
    assert_eq!(count.counts, [vec![json!(1), json!("ALARM")]]);
    let alarm = monasca
        .get_alarm()
        .alarm_id(&alarm_id)
        .send()
        .await
        .unwrap();
    assert_eq!(alarm.metrics[0].name, name);
    let history: Vec<types::AlarmTransition> = monasca
        .list_alarm_state_history()
        .alarm_id(&alarm_id)
        .stream(10)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(history.len(), 1, "{history:?}");
    assert_eq!(
        (history[0].old_state, history[0].new_state),
        (types::AlarmState::Undetermined, types::AlarmState::Alarm)
    );
    let all_history = monasca
        .list_state_history()
        .dimensions(Dimensions::new().equals("hostname", "h1"))
        .send()
        .await
        .unwrap();
    assert!(all_history.elements.iter().any(|t| t.alarm_id == alarm_id));
    let acknowledged = monasca
        .update_alarm()
        .alarm_id(&alarm_id)
        .body(body::<types::AlarmUpdate>(json!({"state": "OK", "lifecycle_state": "ACKNOWLEDGED", "link": "http://example.invalid/ticket"})))
        .send()
        .await
        .unwrap();
    assert_eq!(acknowledged.state, types::AlarmState::Ok);
    let resolved = monasca
        .patch_alarm()
        .alarm_id(&alarm_id)
        .body(body::<types::AlarmPatch>(
            json!({"lifecycle_state": "RESOLVED"}),
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(resolved.lifecycle_state.as_deref(), Some("RESOLVED"));
    assert_eq!(
        resolved.link.as_deref(),
        Some("http://example.invalid/ticket")
    );
    monasca
        .delete_alarm()
        .alarm_id(&alarm_id)
        .send()
        .await
        .unwrap();
    let gone = monasca.get_alarm().alarm_id(&alarm_id).send().await;
    assert!(matches!(gone, Err(Error::NotFound(_))), "{gone:?}");

    // Logs reach the log pipeline (here a file the servers write).
    let message = format!("opsclient log {run}");
    let logs: types::LogsRequest = body(json!({
        "dimensions": {"hostname": "h1"},
        "logs": [{"message": message, "dimensions": {"component": "opsclient-test"}}]
    }));
    monasca.create_logs().body(logs).send().await.unwrap();
    // Each line is the envelope Monasca publishes: the entry, its merged dimensions, the project.
    let shipped = std::fs::read_to_string(real.var("OPSCLIENT_MONASCA_LOG_FILE")).unwrap();
    let envelope: serde_json::Value = shipped
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .find(|e| e["log"]["message"] == message.as_str())
        .expect("the posted log is in the pipeline");
    assert_eq!(
        envelope["log"]["dimensions"],
        json!({"component": "opsclient-test", "hostname": "h1"})
    );
    assert_eq!(
        envelope["meta"]["tenantId"],
        real.var("OPSCLIENT_ADMIN_PROJECT_ID").as_str()
    );

    // Health: without Kafka the check fails, and says why.
    monasca.check_health().send().await.unwrap();
    let health = monasca.health().await.unwrap();
    assert!(!health.healthy);
    assert_eq!(Some(health.checks.alarms_database.as_str()), Some("OK"));
    assert!(health.checks.kafka.contains("Kafka"), "{health:?}");

    // Clean up; each delete is an operation too.
    monasca
        .delete_alarm_definition()
        .alarm_definition_id(&definition.id)
        .send()
        .await
        .unwrap();
    monasca
        .delete_notification_method()
        .notification_method_id(&method.id)
        .send()
        .await
        .unwrap();

    let missing = recorder.missing(opsclient::monasca::operations());
    // Only the health check's GET cannot succeed: the servers run without Kafka (503).
    assert_eq!(missing, ["getHealth (GET /healthcheck)"]);
}

#[tokio::test]
async fn the_python_clients_version_argument() {
    let Some(real) = Real::get("the_python_clients_version_argument") else {
        return;
    };
    let cloud = real.cloud().await;
    let monasca = Client::from_cloud_with_version(&cloud, "2_0")
        .await
        .unwrap();
    monasca
        .list_notification_method_types()
        .send()
        .await
        .unwrap();
    let unknown = Client::from_cloud_with_version(&cloud, "3_0").await;
    assert!(matches!(unknown, Err(Error::Config(_))));
}
