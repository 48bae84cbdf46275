//! The rewrite of Python CLI command lines, read as text.

use super::*;
use serde_json::json;

/// The rewritten lines, each joined by spaces (the body marker shown as `BODY`), and the body.
fn run(line: &str) -> (Vec<String>, Option<Value>) {
    let args = line.split(' ').map(OsString::from).collect();
    let rewritten = rewrite(&crate::commands::root(), args).expect("rewritten");
    let lines = rewritten
        .lines
        .iter()
        .map(|l| {
            l.iter()
                .map(|a| {
                    a.to_string_lossy()
                        .replace(crate::input::MEMORY_BODY, "BODY")
                })
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    (lines, rewritten.body)
}

fn one(line: &str) -> String {
    let (lines, _) = run(line);
    assert_eq!(lines.len(), 1, "{lines:?}");
    lines[0].clone()
}

fn refused(line: &str) -> String {
    let args = line.split(' ').map(OsString::from).collect();
    rewrite(&crate::commands::root(), args)
        .expect_err("refused")
        .to_string()
}

#[test]
fn python_cli_commands_become_generated_ones() {
    assert_eq!(
        one("opsclient monasca alarm-show a1 -o json"),
        "opsclient monasca get-alarm --alarm-id=a1 -o json"
    );
    assert_eq!(
        one("opsclient monasca measurement-list cpu 2026-01-01T00:00:00Z --merge_metrics"),
        "opsclient monasca list-measurements --name=cpu --start-time=2026-01-01T00:00:00Z --merge-metrics=true"
    );
    // monascaclient's order: `metric-statistics <METRIC_NAME> <STATISTICS> <UTC_START_TIME>`.
    assert_eq!(
        one("opsclient monasca metric-statistics cpu avg,max 2026-01-01T00:00:00Z --endtime 2026-01-02T00:00:00Z"),
        "opsclient monasca list-statistics --name=cpu --statistics=avg,max --start-time=2026-01-01T00:00:00Z --end-time=2026-01-02T00:00:00Z"
    );
    assert_eq!(
        one("opsclient watcher audit list --detail"),
        "opsclient watcher list-audits-detail"
    );
    assert_eq!(
        one("opsclient watcher actionplan start p1 --wait"),
        "opsclient watcher start-action-plan --actionplan-ident=p1 --wait"
    );
    assert_eq!(
        one("opsclient sensu list-checks"),
        "opsclient sensu list-checks"
    );
    assert_eq!(
        one("opsclient watcher audit show --wait a1"),
        "opsclient watcher get-audit --wait --audit-ident=a1"
    );
    assert_eq!(
        one("opsclient monasca notification-update n1 name EMAIL a@b 60"),
        "opsclient monasca update-notification-method --notification-method-id=n1 --name=name --type=EMAIL --address=a@b --period=60"
    );
}

#[test]
fn commands_are_found_after_the_api_options_and_the_tool_options() {
    assert_eq!(
        one("opsclient monasca --os-cloud prod alarm-show ID"),
        "opsclient monasca --os-cloud prod get-alarm --alarm-id=ID"
    );
    assert_eq!(
        one("opsclient --timeout 30s watcher --os-cloud prod --debug audit list --goal dummy"),
        "opsclient --timeout 30s watcher --os-cloud prod --debug list-audits --goal dummy"
    );
    assert_eq!(
        one("opsclient watcher --os-ask-password audit list"),
        "opsclient watcher --os-ask-password list-audits"
    );
}

#[test]
fn relative_start_times_are_times() {
    let line = one("opsclient monasca metric-list --starttime -120");
    let time = line
        .strip_prefix("opsclient monasca list-metrics --start-time=")
        .unwrap();
    assert!(time.ends_with('Z') && time.len() == 20, "{line}");
    let line = one("opsclient monasca measurement-list cpu -5");
    assert!(line.contains("--start-time=2"), "{line}");
}

#[test]
fn watcher_audit_create_takes_watcherclients_spellings_and_defaults() {
    let (lines, body) = run("opsclient watcher audit create -g dummy");
    assert_eq!(lines, ["opsclient watcher create-audit --json-body BODY"]);
    assert_eq!(
        body.unwrap(),
        json!({"audit_type": "ONESHOT", "auto_trigger": false, "force": false, "goal": "dummy"})
    );
    let (_, body) = run(
        "opsclient watcher audit create --audit_type CONTINUOUS -i 600 -a at1 -p period=60 -p name=x --auto-trigger --name a1 --force",
    );
    assert_eq!(
        body.unwrap(),
        json!({
            "audit_type": "CONTINUOUS", "interval": "600", "audit_template_uuid": "at1",
            "parameters": {"period": 60, "name": "x"}, "auto_trigger": true, "name": "a1",
            "force": true
        })
    );
}

#[test]
fn alarm_definitions_take_lists() {
    let (lines, body) = run(
        "opsclient monasca alarm-definition-create ad1 avg(cpu)>1 --match-by hostname,service --alarm-actions n1 --alarm-actions n2 --ok-actions n3 --severity HIGH",
    );
    assert_eq!(
        lines,
        ["opsclient monasca create-alarm-definition --json-body BODY"]
    );
    assert_eq!(
        body.unwrap(),
        json!({
            "name": "ad1", "expression": "avg(cpu)>1", "match_by": ["hostname", "service"],
            "alarm_actions": ["n1", "n2"], "ok_actions": ["n3"], "severity": "HIGH"
        })
    );
    let (lines, body) = run(
        "opsclient monasca alarm-definition-update id1 ad1 desc avg(cpu)>1 n1,n2 [] n3 false hostname LOW",
    );
    assert_eq!(
        lines,
        ["opsclient monasca update-alarm-definition --alarm-definition-id=id1 --json-body BODY"]
    );
    assert_eq!(
        body.unwrap(),
        json!({
            "name": "ad1", "description": "desc", "expression": "avg(cpu)>1",
            "alarm_actions": ["n1", "n2"], "ok_actions": [], "undetermined_actions": ["n3"],
            "actions_enabled": false, "match_by": ["hostname"], "severity": "LOW"
        })
    );
}

#[test]
fn updates_deletes_and_cancels_are_watcherclients() {
    let (lines, body) =
        run("opsclient watcher audittemplate update at1 replace name=at2 description=d");
    assert_eq!(
        lines,
        ["opsclient watcher update-audit-template --audittemplate-ident=at1 --json-body BODY"]
    );
    assert_eq!(
        body.unwrap(),
        json!([
            {"op": "replace", "path": "/name", "value": "at2"},
            {"op": "replace", "path": "/description", "value": "d"}
        ])
    );
    let (lines, body) = run("opsclient watcher audit delete a1 a2 a3");
    assert_eq!(
        lines,
        [
            "opsclient watcher delete-audit --audit-ident=a1",
            "opsclient watcher delete-audit --audit-ident=a2",
            "opsclient watcher delete-audit --audit-ident=a3"
        ]
    );
    assert!(body.is_none());
    assert_eq!(
        one("opsclient watcher actionplan cancel p1"),
        "opsclient watcher cancel-action-plan --actionplan-ident=p1"
    );
    let (_, body) = run("opsclient watcher action update a1 --state SKIPPED --reason why");
    assert_eq!(
        body.unwrap(),
        json!([
            {"op": "replace", "path": "/state", "value": "SKIPPED"},
            {"op": "replace", "path": "/status_message", "value": "why"}
        ])
    );
    assert!(refused("opsclient watcher audit update a1 change name=x")
        .contains("add, replace or remove"));
}

#[test]
fn output_options_are_the_python_clis() {
    let args = "opsclient watcher audit list -f value -c UUID -c audit_type"
        .split(' ')
        .map(OsString::from)
        .collect();
    let rewritten = rewrite(&crate::commands::root(), args).unwrap();
    assert_eq!(
        rewritten.lines[0]
            .iter()
            .map(|a| a.to_string_lossy())
            .collect::<Vec<_>>()
            .join(" "),
        "opsclient watcher list-audits"
    );
    assert!(matches!(
        rewritten.output,
        Some(crate::cliff::Output::Cliff { ref columns, .. }) if columns == &[0, 2]
    ));
    // With the tool's own -o, -c is the tool's.
    assert_eq!(
        one("opsclient watcher audit list -o value -c name"),
        "opsclient watcher list-audits -o value -c name"
    );
    let args = "opsclient monasca alarm-list -j"
        .split(' ')
        .map(OsString::from)
        .collect();
    let rewritten = rewrite(&crate::commands::root(), args).unwrap();
    assert!(matches!(
        rewritten.output,
        Some(crate::cliff::Output::MonascaJson)
    ));
    assert!(refused("opsclient watcher audit show a1 -f csv").contains("-f csv"));
    assert!(refused("opsclient watcher audit list -c nothing").contains("no recognized column"));
    assert!(refused("opsclient watcher audit delete a1 -f json").contains("takes no -f"));
}
