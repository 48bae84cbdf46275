//! Request bodies from options, read back from the server: Sensu's checks, handlers, entities,
//! silences and namespaces (the sandbox), Monasca's alarm definitions and notification methods
//! and Watcher's audit templates and audits (the real servers, skipped without them); and what
//! `-o json` and `-o yaml` print for a get, sent back as the body.

use crate::tool_process::run_id;
use crate::tool_process::{openstack_tool, real_openstack, Sandbox, Tool};
use serde_json::{json, Value};

fn file(dir: &tempfile::TempDir, name: &str, text: &str) -> String {
    let path = dir.path().join(name);
    std::fs::write(&path, text).expect("written");
    path.to_str().expect("UTF-8").to_string()
}

#[test]
fn sensu_checks_handlers_entities_silences_and_namespaces_from_options() {
    let sandbox = Sandbox::start();
    let tool = sandbox.tool();

    // sensuctl's way: the name, then one option per field; lists comma-separated or repeated.
    tool.run(&[
        "sensu",
        "create-check",
        "cpu",
        "--command",
        "check-cpu -w 80",
        "--interval",
        "30",
        "--subscriptions",
        "linux,web",
        "--subscriptions",
        "db",
        "--handlers",
        "slack",
        "--runtime-assets",
        "cpu-plugins,ruby",
        "--publish",
    ])
    .ok();
    let check = tool.run(&["sensu", "get-check", "--check", "cpu"]).json();
    assert_eq!(check["metadata"]["name"], "cpu", "{check}");
    assert_eq!(check["metadata"]["namespace"], "default", "{check}");
    assert_eq!(check["command"], "check-cpu -w 80");
    assert_eq!(check["interval"], 30);
    assert_eq!(check["subscriptions"], json!(["linux", "web", "db"]));
    assert_eq!(check["handlers"], json!(["slack"]));
    assert_eq!(check["runtime_assets"], json!(["cpu-plugins", "ruby"]));
    assert_eq!(check["publish"], true);

    // A create needs its name (or a body file holding it).
    let error = tool
        .run(&["sensu", "create-check", "--command", "x", "--interval", "5"])
        .fails(2);
    assert!(error.contains("NAME"), "{error}");

    // Replacing takes the name from the path; the namespace too.
    tool.run(&[
        "sensu",
        "create-or-update-check",
        "--check",
        "cpu",
        "--command",
        "check-cpu -w 90",
        "--interval",
        "60",
        "--subscriptions",
        "linux",
    ])
    .ok();
    let check = tool.run(&["sensu", "get-check", "--check", "cpu"]).json();
    assert_eq!(check["command"], "check-cpu -w 90");
    assert_eq!(check["subscriptions"], json!(["linux"]));
    let handlers = check["handlers"].as_array();
    assert!(
        handlers.is_none_or(Vec::is_empty),
        "replaced whole: {check}"
    );

    // A merge patch changes only what is given; an empty list option empties the list.
    tool.run(&[
        "sensu",
        "create-or-update-check",
        "--check",
        "cpu",
        "--command",
        "check-cpu -w 90",
        "--interval",
        "60",
        "--subscriptions",
        "linux",
        "--handlers",
        "slack,pagerduty",
    ])
    .ok();
    tool.run(&[
        "sensu",
        "patch-check",
        "--check",
        "cpu",
        "--handlers",
        "",
        "--publish",
        "false",
        "--timeout",
        "20",
    ])
    .ok();
    let check = tool.run(&["sensu", "get-check", "--check", "cpu"]).json();
    let handlers = check["handlers"].as_array();
    assert!(handlers.is_none_or(Vec::is_empty), "{check}");
    assert_eq!(check["publish"], false, "{check}");
    assert_eq!(check["timeout"], 20, "{check}");
    assert_eq!(check["command"], "check-cpu -w 90", "{check}");

    tool.run(&[
        "sensu",
        "create-handler",
        "slack",
        "--type",
        "pipe",
        "--command",
        "sensu-slack-handler",
        "--filters",
        "is_incident,not_silenced",
        "--runtime-assets",
        "slack-handler",
        "--env-vars",
        "SLACK_CHANNEL=#ops",
        "--timeout",
        "10",
    ])
    .ok();
    let handler = tool
        .run(&["sensu", "get-handler", "--handler", "slack"])
        .json();
    assert_eq!(handler["type"], "pipe", "{handler}");
    assert_eq!(handler["filters"], json!(["is_incident", "not_silenced"]));
    assert_eq!(handler["runtime_assets"], json!(["slack-handler"]));
    assert_eq!(handler["env_vars"], json!(["SLACK_CHANNEL=#ops"]));
    assert_eq!(handler["timeout"], 10);

    tool.run(&[
        "sensu",
        "create-entity",
        "web-01",
        "--entity-class",
        "proxy",
        "--subscriptions",
        "linux,web",
    ])
    .ok();
    let entity = tool
        .run(&["sensu", "get-entity", "--entity", "web-01"])
        .json();
    assert_eq!(entity["entity_class"], "proxy", "{entity}");
    let subscriptions = entity["subscriptions"].as_array().unwrap();
    for subscription in ["linux", "web"] {
        assert!(subscriptions.contains(&json!(subscription)), "{entity}");
    }

    // A silence is named by the server, after its subscription and check.
    tool.run(&[
        "sensu",
        "create-silenced",
        "--subscription",
        "linux",
        "--check",
        "cpu",
        "--reason",
        "kernel upgrade",
        "--expire-on-resolve",
    ])
    .ok();
    let silence = tool
        .run(&["sensu", "get-silenced", "--silenced", "linux:cpu"])
        .json();
    assert_eq!(silence["reason"], "kernel upgrade", "{silence}");
    assert_eq!(silence["expire_on_resolve"], true, "{silence}");

    tool.run(&["sensu", "create-namespace", "ops"]).ok();
    tool.run(&["sensu", "create-or-update-namespace", "--namespace", "qa"])
        .ok();
    let namespaces = tool
        .run(&["sensu", "list-namespaces", "-o", "value", "-c", "name"])
        .ok();
    for namespace in ["ops", "qa"] {
        assert!(namespaces.lines().any(|n| n == namespace), "{namespaces}");
    }
    // The namespace of a resource follows --namespace.
    tool.run(&[
        "sensu",
        "create-check",
        "disk",
        "--namespace",
        "ops",
        "--command",
        "check-disk",
        "--interval",
        "60",
        "--subscriptions",
        "linux",
    ])
    .ok();
    let disk = tool
        .run(&[
            "sensu",
            "get-check",
            "--check",
            "disk",
            "--namespace",
            "ops",
        ])
        .json();
    assert_eq!(disk["metadata"]["namespace"], "ops", "{disk}");
}

/// Reads `kind` named `name` as `format`, deletes it, and creates it again from what was
/// printed; the resource read back is the same.
fn sent_back(
    tool: &Tool,
    dir: &tempfile::TempDir,
    kind: &str,
    option: &str,
    name: &str,
    format: &str,
) {
    let get = format!("get-{kind}");
    let before = tool
        .run(&["sensu", &get, &format!("--{option}"), name])
        .json();
    let printed = tool
        .run(&["sensu", &get, &format!("--{option}"), name, "-o", format])
        .ok();
    let body = file(dir, &format!("{kind}.{format}"), &printed);
    tool.run(&[
        "sensu",
        &format!("delete-{kind}"),
        &format!("--{option}"),
        name,
    ])
    .ok();
    tool.run(&[
        "sensu",
        &format!("create-or-update-{kind}"),
        &format!("--{option}"),
        name,
        "--json-body",
        &body,
    ])
    .ok();
    let after = tool
        .run(&["sensu", &get, &format!("--{option}"), name])
        .json();
    assert_eq!(after, before, "{kind} sent back as {format}");
}

#[test]
fn what_a_sensu_get_prints_can_be_sent_back() {
    let sandbox = Sandbox::start();
    let tool = sandbox.tool();
    let dir = tempfile::tempdir().unwrap();
    tool.run(&[
        "sensu",
        "create-check",
        "cpu",
        "--command",
        "check-cpu",
        "--interval",
        "10",
        "--subscriptions",
        "linux",
        "--handlers",
        "slack",
    ])
    .ok();
    tool.run(&[
        "sensu",
        "create-handler",
        "slack",
        "--type",
        "pipe",
        "--command",
        "notify",
        "--filters",
        "is_incident",
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
    ])
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
    ])
    .ok();
    tool.run(&["sensu", "create-namespace", "ops"]).ok();
    for format in ["json", "yaml"] {
        sent_back(&tool, &dir, "check", "check", "cpu", format);
        sent_back(&tool, &dir, "handler", "handler", "slack", format);
        sent_back(&tool, &dir, "entity", "entity", "web-01", format);
        sent_back(&tool, &dir, "silenced", "silenced", "linux:cpu", format);
        sent_back(&tool, &dir, "namespace", "namespace", "ops", format);
    }
    // A create takes it too, with an option over it.
    let printed = tool
        .run(&["sensu", "get-check", "--check", "cpu", "-o", "yaml"])
        .ok();
    let body = file(&dir, "check.yaml", &printed);
    tool.run(&["sensu", "delete-check", "--check", "cpu"]).ok();
    tool.run(&[
        "sensu",
        "create-check",
        "--json-body",
        &body,
        "--interval",
        "45",
    ])
    .ok();
    let check = tool.run(&["sensu", "get-check", "--check", "cpu"]).json();
    assert_eq!(check["interval"], 45, "{check}");
    assert_eq!(check["handlers"], json!(["slack"]), "{check}");
}

#[test]
fn monasca_alarm_definitions_and_notifications_from_options() {
    let Some(vars) = real_openstack("monasca_alarm_definitions_and_notifications_from_options")
    else {
        return;
    };
    let tool = openstack_tool(&vars);
    let run = run_id();
    let dir = tempfile::tempdir().unwrap();

    let notification = tool
        .run(&[
            "monasca",
            "create-notification-method",
            "--name",
            &format!("opts-n-{run}"),
            "--type",
            "EMAIL",
            "--address",
            "ops@example.com",
        ])
        .json();
    let nid = notification["id"].as_str().unwrap().to_string();

    // Lists as monascaclient takes them (the option repeated) and comma-separated.
    let expression = format!("avg(opts.{run}) > 10");
    let definition = tool
        .run(&[
            "monasca",
            "alarm-definition-create",
            &format!("opts-ad-{run}"),
            &expression,
            "--severity",
            "HIGH",
            "--match-by",
            "hostname,service",
            "--alarm-actions",
            &nid,
            "--ok-actions",
            &nid,
            "--undetermined-actions",
            &nid,
            "--description",
            "from options",
        ])
        .json();
    let id = definition["id"].as_str().unwrap().to_string();
    assert_eq!(
        definition["match_by"],
        json!(["hostname", "service"]),
        "{definition}"
    );
    for actions in ["alarm_actions", "ok_actions", "undetermined_actions"] {
        assert_eq!(definition[actions], json!([nid]), "{definition}");
    }
    assert_eq!(definition["severity"], "HIGH");

    let patched = tool
        .run(&[
            "monasca",
            "patch-alarm-definition",
            "--alarm-definition-id",
            &id,
            "--ok-actions",
            "",
            "--actions-enabled",
            "false",
        ])
        .json();
    assert_eq!(patched["ok_actions"], json!([]), "{patched}");
    assert_eq!(patched["actions_enabled"], false, "{patched}");
    assert_eq!(patched["alarm_actions"], json!([nid]), "{patched}");

    // A replacement takes every field from options.
    let replaced = tool
        .run(&[
            "monasca",
            "update-alarm-definition",
            "--alarm-definition-id",
            &id,
            "--name",
            &format!("opts-ad-{run}"),
            "--expression",
            &expression,
            "--description",
            "replaced",
            "--severity",
            "LOW",
            "--match-by",
            "hostname,service",
            "--alarm-actions",
            &nid,
            "--ok-actions",
            "",
            "--undetermined-actions",
            "",
            "--actions-enabled",
        ])
        .json();
    assert_eq!(replaced["severity"], "LOW", "{replaced}");
    assert_eq!(replaced["description"], "replaced", "{replaced}");
    assert_eq!(replaced["undetermined_actions"], json!([]), "{replaced}");
    assert_eq!(replaced["actions_enabled"], true, "{replaced}");

    // What a get prints goes back as the body, an option over it.
    for format in ["json", "yaml"] {
        let printed = tool
            .run(&["monasca", "alarm-definition-show", &id, "-o", format])
            .ok();
        let body = file(&dir, &format!("definition.{format}"), &printed);
        let description = format!("sent back as {format}");
        let updated = tool
            .run(&[
                "monasca",
                "update-alarm-definition",
                "--alarm-definition-id",
                &id,
                "--json-body",
                &body,
                "--description",
                &description,
            ])
            .json();
        assert_eq!(updated["description"], description.as_str(), "{updated}");
        assert_eq!(updated["match_by"], json!(["hostname", "service"]));

        let printed = tool
            .run(&["monasca", "notification-show", &nid, "-o", format])
            .ok();
        let body = file(&dir, &format!("notification.{format}"), &printed);
        let updated = tool
            .run(&[
                "monasca",
                "update-notification-method",
                "--notification-method-id",
                &nid,
                "--json-body",
                &body,
                "--period",
                "60",
            ])
            .json();
        assert_eq!(updated["period"], 60, "{updated}");
        assert_eq!(updated["address"], "ops@example.com", "{updated}");
    }
}

#[test]
fn watcher_audit_templates_and_audits_from_options() {
    let Some(vars) = real_openstack("watcher_audit_templates_and_audits_from_options") else {
        return;
    };
    let tool = openstack_tool(&vars);
    let run = run_id();
    let dir = tempfile::tempdir().unwrap();
    let scope = file(
        &dir,
        "scope.yaml",
        "- compute:\n  - availability_zones:\n    - name: nova\n",
    );
    let name = format!("opts-at-{run}");
    let template = tool
        .run(&[
            "watcher",
            "create-audit-template",
            "--name",
            &name,
            "--goal",
            "dummy",
            "--strategy",
            "dummy",
            "--scope",
            &scope,
            "--description",
            "first",
        ])
        .json();
    assert_eq!(
        template["scope"],
        json!([{"compute": [{"availability_zones": [{"name": "nova"}]}]}]),
        "{template}"
    );

    // A JSON Patch from options, applied in the order given.
    let updated = tool
        .run(&[
            "watcher",
            "update-audit-template",
            "--audittemplate-ident",
            &name,
            "--replace",
            "description=second",
            "--replace",
            "/description=third",
        ])
        .json();
    assert_eq!(updated["description"], "third", "{updated}");
    let updated = tool
        .run(&[
            "watcher",
            "update-audit-template",
            "--audittemplate-ident",
            &name,
            "--remove",
            "description",
        ])
        .json();
    assert_eq!(updated["description"], Value::Null, "{updated}");

    // Strategy parameters as key=value, each value read as JSON when it is.
    let audit = tool
        .run(&[
            "watcher",
            "create-audit",
            "--audit-type",
            "ONESHOT",
            "--audit-template-uuid",
            template["uuid"].as_str().expect("a uuid"),
            "--name",
            &format!("opts-audit-{run}"),
            "--parameters",
            "para1=3.5",
            "--parameters",
            "para2=hello",
        ])
        .json();
    assert_eq!(
        audit["parameters"],
        json!({"para1": 3.5, "para2": "hello"}),
        "{audit}"
    );
    assert_eq!(audit["audit_type"], "ONESHOT");
}
