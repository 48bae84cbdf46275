//! Tables read off the tool's output: sensuctl's columns for Sensu's checks, events, entities
//! and silences (against the sandbox), monascaclient's for measurements, statistics and alarms
//! and watcherclient's for audit templates (against the real servers, skipped without them);
//! dates as dates, dimensions as `key=value`, one row per timestamp, columns fitted to
//! `COLUMNS`, and an unknown `-c` column refused with the valid ones.

use crate::real_openstack::eventually;
use crate::tool_process::{openstack_tool, real_openstack, shown_date, Sandbox, Table, Tool};
use crate::tool_process::{run_id, seed};
use serde_json::json;

/// A sandbox with the check `cpu`, the proxy entities `web-01` (last seen at a known time) and
/// `db-01` (never seen), a silence of `linux:cpu`, and a failing, silenced event of `cpu` on
/// `web-01` with a two-line output.
fn sensu_with_an_event() -> (Sandbox, Tool) {
    let sandbox = Sandbox::start();
    let tool = sandbox.tool();
    tool.run(&[
        "sensu",
        "create-check",
        "cpu",
        "--command",
        "check-cpu -w 80",
        "--interval",
        "10",
        "--subscriptions",
        "linux,web",
    ])
    .ok();
    tool.run(&[
        "sensu",
        "create-entity",
        "web-01",
        "--entity-class",
        "proxy",
        "--subscriptions",
        "linux",
        "--last-seen",
        "1700000100",
    ])
    .ok();
    tool.run(&["sensu", "create-entity", "db-01", "--entity-class", "proxy"])
        .ok();
    tool.run(&[
        "sensu",
        "create-silenced",
        "--subscription",
        "linux",
        "--check",
        "cpu",
        "--reason",
        "maintenance",
        "--expire",
        "3600",
    ])
    .ok();
    let event = json!({
        "timestamp": 1_700_000_000,
        "entity": {"metadata": {"name": "web-01", "namespace": "default"}, "entity_class": "proxy", "subscriptions": ["linux"]},
        "check": {
            "metadata": {"name": "cpu", "namespace": "default"},
            "status": 2,
            "output": "CRITICAL: load 9\nsecond line",
            "interval": 10,
            "subscriptions": ["linux"]
        }
    });
    tool.run_with_input(
        &[
            "sensu",
            "create-or-update-event",
            "--entity",
            "web-01",
            "--check",
            "cpu",
            "--json-body",
            "-",
        ],
        &event.to_string(),
    )
    .ok();
    (sandbox, tool)
}

#[test]
fn sensu_events_entities_and_silences_as_sensuctl_lists_them() {
    let (_sandbox, tool) = sensu_with_an_event();

    let text = tool.run(&["sensu", "list-events", "-o", "table"]).ok();
    let events = Table::parse(&text);
    assert_eq!(
        events.headers,
        [
            "ENTITY",
            "CHECK",
            "OUTPUT",
            "STATUS",
            "SILENCED",
            "LAST SEEN",
            "UUID"
        ],
        "{text}"
    );
    let event = events.row("ENTITY", "web-01");
    assert!(event.contains(&("CHECK", "cpu")), "{event:?}");
    assert!(event.contains(&("STATUS", "2")), "{event:?}");
    assert!(event.contains(&("SILENCED", "true")), "{event:?}");
    // The output's line end does not break the row.
    assert!(
        event.contains(&("OUTPUT", "CRITICAL: load 9 second line")),
        "{event:?}"
    );
    // The time as a date, not seconds since 1970.
    assert!(
        event.contains(&("LAST SEEN", "2023-11-14 22:13:20 UTC")),
        "{event:?}"
    );
    let id = tool
        .run(&["sensu", "list-events", "-o", "value", "-c", "id"])
        .ok();
    assert!(event.contains(&("UUID", id.trim())), "{event:?} {id}");

    let text = tool.run(&["sensu", "list-entities", "-o", "table"]).ok();
    let entities = Table::parse(&text);
    assert_eq!(
        entities.headers,
        ["ID", "CLASS", "OS", "SUBSCRIPTIONS", "LAST SEEN"],
        "{text}"
    );
    assert_eq!(
        entities.row("ID", "web-01"),
        [
            ("ID", "web-01"),
            ("CLASS", "proxy"),
            ("OS", ""),
            ("SUBSCRIPTIONS", "linux"),
            ("LAST SEEN", "2023-11-14 22:15:00 UTC")
        ]
    );
    // Never seen: as sensuctl says it.
    assert!(
        entities.row("ID", "db-01").contains(&("LAST SEEN", "N/A")),
        "{text}"
    );

    let text = tool.run(&["sensu", "list-silenced", "-o", "table"]).ok();
    let silences = Table::parse(&text);
    assert_eq!(
        silences.headers,
        [
            "NAME",
            "SUBSCRIPTION",
            "CHECK",
            "BEGIN",
            "EXPIRATION",
            "EXPIREONRESOLVE",
            "CREATOR",
            "REASON",
            "NAMESPACE"
        ],
        "{text}"
    );
    let stored = tool
        .run(&["sensu", "get-silenced", "--silenced", "linux:cpu"])
        .json();
    let begin = shown_date(stored["begin"].as_i64().unwrap());
    let expire_at = shown_date(stored["expire_at"].as_i64().unwrap());
    assert_eq!(
        silences.row("NAME", "linux:cpu"),
        [
            ("NAME", "linux:cpu"),
            ("SUBSCRIPTION", "linux"),
            ("CHECK", "cpu"),
            ("BEGIN", begin.as_str()),
            ("EXPIRATION", expire_at.as_str()),
            ("EXPIREONRESOLVE", "false"),
            ("CREATOR", "admin"),
            ("REASON", "maintenance"),
            ("NAMESPACE", "default")
        ]
    );
}

#[test]
fn columns_fit_the_width_columns_gives() {
    let (_sandbox, tool) = sensu_with_an_event();
    let wide = tool
        .run_with_var("COLUMNS", "300", &["sensu", "list-events", "-o", "table"])
        .ok();
    assert!(wide.lines().any(|l| l.chars().count() > 100), "{wide}");
    assert!(wide.contains("CRITICAL: load 9 second line"), "{wide}");

    let narrow = tool
        .run_with_var("COLUMNS", "60", &["sensu", "list-events", "-o", "table"])
        .ok();
    for line in narrow.lines() {
        assert!(line.chars().count() <= 60, "{} wide: {line:?}", line.len());
    }
    // Cut cells end in an ellipsis; the short ones stay whole.
    let events = Table::parse(&narrow);
    assert_eq!(events.column(&events.headers[0]), ["web-01"], "{narrow}");
    assert!(narrow.contains('…'), "{narrow}");

    // Columns empty in every row make room first: no check has a cron or hooks.
    let checks = tool
        .run_with_var("COLUMNS", "80", &["sensu", "list-checks", "-o", "table"])
        .ok();
    let headers = Table::parse(&checks).headers;
    assert!(
        !headers.iter().any(|h| h == "CRON" || h == "HOOKS"),
        "{checks}"
    );
    assert!(headers.iter().any(|h| h == "COMMAND"), "{checks}");
    assert!(checks.lines().all(|l| l.chars().count() <= 80), "{checks}");
    assert!(checks.contains("check-cpu -w 80"), "{checks}");
}

#[test]
fn an_unknown_column_is_refused_with_the_valid_ones() {
    let (_sandbox, tool) = sensu_with_an_event();
    for format in ["table", "value"] {
        let error = tool
            .run(&["sensu", "list-events", "-o", format, "-c", "no_such_field"])
            .fails(2);
        assert!(
            error.contains("unknown column \"no_such_field\""),
            "{error}"
        );
        // Both the headers and the fields are offered.
        for valid in ["last-seen", "silenced", "check.status", "entity.metadata"] {
            assert!(error.contains(valid), "{valid} missing: {error}");
        }
        assert_eq!(error.lines().count(), 1, "{error}");
    }
    // A header names a column as well as a path does, and keeps its dates.
    let by_header = tool
        .run(&[
            "sensu",
            "list-events",
            "-o",
            "value",
            "-c",
            "entity",
            "-c",
            "last-seen",
            "-c",
            "check.status",
        ])
        .ok();
    assert_eq!(by_header, "web-01\t2023-11-14 22:13:20 UTC\t2\n");
}

#[test]
fn monasca_measurements_and_statistics_have_a_row_per_timestamp() {
    let Some(vars) = real_openstack("monasca_measurements_and_statistics_have_a_row_per_timestamp")
    else {
        return;
    };
    let tool = openstack_tool(&vars);
    let run = run_id();
    let name = format!("opsclient.tables.{run}");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    // Whole seconds, so the dates shown are exact.
    let times = [now - 3, now - 2];
    for (at, value) in times.iter().zip(["1.5", "2.5"]) {
        tool.run(&[
            "monasca",
            "metric-create",
            &name,
            value,
            "--dimensions",
            &format!("run={run},hostname=h1"),
            "--time",
            &(at * 1000).to_string(),
        ])
        .ok();
    }
    let text = eventually(
        &tool,
        &[
            "monasca",
            "measurement-list",
            &name,
            "2020-01-01T00:00:00Z",
            "-o",
            "table",
        ],
        |out| out.lines().count() == 3,
    );
    let measurements = Table::parse(&text);
    assert_eq!(
        measurements.headers,
        ["NAME", "DIMENSIONS", "TIMESTAMP", "VALUE", "VALUE META"],
        "{text}"
    );
    let dimensions = format!("hostname=h1,run={run}");
    assert_eq!(measurements.column("NAME"), [name.as_str(), name.as_str()]);
    assert_eq!(
        measurements.column("DIMENSIONS"),
        [dimensions.as_str(), dimensions.as_str()]
    );
    let dates: Vec<String> = times.iter().map(|t| shown_date(*t as i64)).collect();
    assert_eq!(measurements.column("TIMESTAMP"), dates, "{text}");
    assert_eq!(measurements.column("VALUE"), ["1.5", "2.5"], "{text}");

    let text = tool
        .run(&[
            "monasca",
            "metric-statistics",
            &name,
            "avg,count",
            "2020-01-01T00:00:00Z",
            "--period",
            "1",
            "-o",
            "table",
        ])
        .ok();
    let statistics = Table::parse(&text);
    assert_eq!(
        statistics.headers,
        ["NAME", "DIMENSIONS", "TIMESTAMP", "AVG", "COUNT"],
        "{text}"
    );
    assert_eq!(statistics.column("TIMESTAMP"), dates, "{text}");
    assert_eq!(statistics.column("AVG"), ["1.5", "2.5"], "{text}");
    assert_eq!(statistics.column("COUNT"), ["1", "1"], "{text}");
}

#[test]
fn monasca_alarms_show_their_severity_and_metric() {
    let Some(vars) = real_openstack("monasca_alarms_show_their_severity_and_metric") else {
        return;
    };
    let tool = openstack_tool(&vars);
    let run = run_id();
    let definition = tool
        .run(&[
            "monasca",
            "create-alarm-definition",
            "--name",
            &format!("tables-ad-{run}"),
            "--expression",
            &format!("avg(tables.{run}{{hostname=h1}}) > 10"),
            "--severity",
            "CRITICAL",
        ])
        .json();
    let definition_id = definition["id"].as_str().unwrap().to_string();
    let alarm = seed(&vars, "OPSCLIENT_MONASCA_SEED_ALARM", &definition_id);
    let text = tool
        .run(&[
            "monasca",
            "alarm-list",
            "--alarm-definition-id",
            &definition_id,
            "-o",
            "table",
        ])
        .ok();
    let alarms = Table::parse(&text);
    assert_eq!(
        alarms.headers,
        [
            "ID",
            "ALARM DEFINITION",
            "METRIC NAME",
            "METRIC DIMENSIONS",
            "SEVERITY",
            "STATE",
            "LIFECYCLE STATE",
            "STATE UPDATED"
        ],
        "{text}"
    );
    let shown = tool.run(&["monasca", "alarm-show", &alarm]).json();
    let updated =
        chrono::DateTime::parse_from_rfc3339(shown["state_updated_timestamp"].as_str().unwrap())
            .unwrap()
            .timestamp();
    let definition_name = format!("tables-ad-{run}");
    let metric_name = format!("tables.{run}");
    let state_updated = shown_date(updated);
    assert_eq!(
        alarms.row("ID", &alarm),
        [
            ("ID", alarm.as_str()),
            ("ALARM DEFINITION", definition_name.as_str()),
            ("METRIC NAME", metric_name.as_str()),
            ("METRIC DIMENSIONS", "hostname=h1"),
            ("SEVERITY", "CRITICAL"),
            ("STATE", shown["state"].as_str().unwrap()),
            (
                "LIFECYCLE STATE",
                shown["lifecycle_state"].as_str().unwrap_or("")
            ),
            ("STATE UPDATED", state_updated.as_str()),
        ]
    );
}

#[test]
fn watcher_audit_templates_as_watcherclient_lists_them() {
    let Some(vars) = real_openstack("watcher_audit_templates_as_watcherclient_lists_them") else {
        return;
    };
    let tool = openstack_tool(&vars);
    let name = format!("tables-at-{}", run_id());
    let created = tool
        .run(&[
            "watcher",
            "create-audit-template",
            "--name",
            &name,
            "--goal",
            "dummy",
            "--strategy",
            "dummy",
        ])
        .json();
    let text = tool
        .run(&["watcher", "audittemplate", "list", "-o", "table"])
        .ok();
    let templates = Table::parse(&text);
    assert_eq!(
        templates.headers,
        ["UUID", "NAME", "GOAL", "STRATEGY"],
        "{text}"
    );
    assert_eq!(
        templates.row("NAME", &name),
        [
            ("UUID", created["uuid"].as_str().unwrap()),
            ("NAME", name.as_str()),
            ("GOAL", "dummy"),
            ("STRATEGY", "dummy")
        ]
    );
}
