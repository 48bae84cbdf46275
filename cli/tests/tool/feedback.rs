//! What the tool tells its operator beside the answer: the short `-h` of each API, what a
//! create, update or delete did (on standard error, standard output unchanged), which
//! resource a 404 is about, that a list cut by `--limit` has more, every missing `OS_*`
//! variable at once with domains defaulting to `default`, and the query string under
//! `--debug`. Against the Sensu sandbox and the real OpenStack servers (skipped without them).

use std::collections::HashMap;

use crate::tool_process::{
    openstack_tool, real_openstack, run_id, Sandbox, Tool, SANDBOX_PASSWORD,
};
use serde_json::{json, Value};

fn check(name: &str) -> String {
    json!({
        "metadata": {"name": name, "namespace": "default"},
        "command": format!("check-{name}"),
        "interval": 60,
        "subscriptions": ["linux"]
    })
    .to_string()
}

/// The index of the first line of `text` that starts with `prefix`.
fn line_starting(text: &str, prefix: &str) -> usize {
    text.lines()
        .position(|l| l.starts_with(prefix))
        .unwrap_or_else(|| panic!("no line starts with {prefix:?}:\n{text}"))
}

#[test]
fn an_apis_short_help_starts_with_how_to_connect_and_the_sandbox_then_groups_commands() {
    let tool = Tool::new();
    let short = tool.run(&["sensu", "-h"]).ok();
    let lines: Vec<&str> = short.lines().collect();
    // The whole reference is 760 lines; the overview fits on a screen or two.
    assert!(lines.len() <= 90, "{} lines:\n{short}", lines.len());
    assert!(lines.iter().all(|l| l.chars().count() <= 100), "{short}");
    let connect = line_starting(&short, "Connect: `opsclient sensu configure`");
    assert!(short.contains("SENSU_API_URL"), "{short}");
    let sandbox = line_starting(&short, "Sandbox: `opsclient sensu sandbox`");
    let groups = line_starting(&short, "Commands, by resource:");
    assert!(
        connect < sandbox && sandbox < groups && sandbox < 10,
        "{short}"
    );
    assert!(short.contains(SANDBOX_PASSWORD), "{short}");
    // Each resource of the document is a group, with its commands below it.
    for (group, command) in [
        ("checks", "list-checks"),
        ("events", "list-events"),
        ("entities", "get-entity"),
        ("silenced", "create-or-update-silenced"),
    ] {
        let at = line_starting(&short, &format!("  {group} "));
        let below: String = lines[at + 1..]
            .iter()
            .take_while(|l| l.starts_with("    "))
            .copied()
            .collect::<Vec<_>>()
            .join(" ");
        assert!(
            below.split_whitespace().any(|c| c == command),
            "{command} is not under {group}:\n{short}"
        );
    }

    // --help stays the full reference: every command with its description.
    let long = tool.run(&["sensu", "--help"]).ok();
    assert!(long.lines().count() > 500, "{long}");
    assert!(
        long.contains("list-cluster-role-bindings") && long.contains("Returns the checks"),
        "{long}"
    );
    // A command's own -h is unchanged.
    let command = tool.run(&["sensu", "list-checks", "-h"]).ok();
    assert!(command.contains("--limit"), "{command}");

    // The OpenStack APIs start with how to connect, domains included.
    for (api, group, command) in [
        ("watcher", "audits", "create-audit"),
        ("monasca", "alarm-definitions", "list-alarm-definitions"),
        ("keystone", "tokens", "validate-token"),
    ] {
        let short = tool.run(&[api, "-h"]).ok();
        let connect = line_starting(&short, "Connect: --os-cloud");
        assert!(connect < 3, "{short}");
        assert!(
            short.contains("OS_AUTH_URL") && short.contains("OS_DEFAULT_DOMAIN"),
            "{short}"
        );
        let at = line_starting(&short, &format!("  {group} "));
        assert!(
            short.lines().nth(at + 1).unwrap().contains(command),
            "{short}"
        );
    }

    // No command: the overview on standard error, and the command line is wrong (2).
    let run = tool.run(&["sensu"]);
    let error = run.fails(2);
    assert!(error.contains("Commands, by resource:"), "{error}");
    assert!(
        error.ends_with("error: opsclient sensu needs a command\n"),
        "{error}"
    );
    assert_eq!(run.stdout(), "");
}

#[test]
fn creates_updates_and_deletes_say_what_they_did_on_standard_error_only() {
    let sandbox = Sandbox::start();
    let tool = sandbox.tool();

    // Sensu answers a create with no body: standard output stays empty, as it was.
    let run = tool.run(&["sensu", "create-namespace", "--name", "ops"]);
    assert_eq!(run.ok(), "");
    assert_eq!(run.stderr(), "namespace \"ops\" created\n");

    let run = tool.run_with_input(
        &[
            "sensu",
            "create-check",
            "--namespace",
            "ops",
            "--json-body",
            "-",
        ],
        &check("cpu").replace("\"default\"", "\"ops\""),
    );
    assert_eq!(run.ok(), "");
    assert_eq!(run.stderr(), "check \"cpu\" created in namespace \"ops\"\n");
    let run = tool.run_with_input(
        &[
            "sensu",
            "create-or-update-check",
            "--check",
            "disk",
            "--json-body",
            "-",
        ],
        &check("disk"),
    );
    assert_eq!(run.ok(), "");
    assert_eq!(
        run.stderr(),
        "check \"disk\" created or updated in namespace \"default\"\n"
    );

    // An update prints the answer, as before, and says what it did apart.
    let run = tool.run_with_input(
        &[
            "sensu",
            "patch-check",
            "--check",
            "disk",
            "--json-body",
            "-",
        ],
        r#"{"interval": 120}"#,
    );
    let patched = run.ok();
    assert_eq!(
        run.stderr(),
        "check \"disk\" updated in namespace \"default\"\n"
    );
    let shown = tool.run(&["sensu", "get-check", "--check", "disk"]);
    assert_eq!(
        patched,
        shown.ok(),
        "the answer printed as any get prints it"
    );
    assert_eq!(shown.stderr(), "", "a read says nothing");
    assert_eq!(
        serde_json::from_str::<Value>(&patched).unwrap()["interval"],
        120
    );

    let run = tool.run(&["sensu", "delete-check", "--check", "disk"]);
    assert_eq!(run.ok(), "");
    assert_eq!(
        run.stderr(),
        "check \"disk\" deleted in namespace \"default\"\n"
    );

    // An API key is its own name, and a secret: the message never shows it.
    tool.run(&["sensu", "create-api-key", "--username", "admin"])
        .ok();
    let keys = tool
        .run(&[
            "sensu",
            "list-api-keys",
            "-o",
            "value",
            "-c",
            "metadata.name",
        ])
        .ok();
    let key = keys
        .lines()
        .next()
        .expect("the key just created")
        .to_string();
    let run = tool
        .command(&["sensu", "delete-api-key"])
        .env("SENSU_TARGET_API_KEY", &key)
        .output()
        .expect("the tool runs");
    let stderr = String::from_utf8(run.stderr).unwrap();
    assert!(run.status.success(), "{stderr}");
    assert_eq!(stderr, "apikey [secret] deleted\n");
}

#[test]
fn a_sensu_404_names_the_kind_the_name_and_the_namespace() {
    let sandbox = Sandbox::start();
    let tool = sandbox.tool();
    let error = tool
        .run(&["sensu", "get-check", "--check", "absent"])
        .fails(3);
    assert_eq!(error.lines().count(), 1, "{error}");
    assert!(
        error.starts_with(
            "error: check \"absent\" not found in namespace \"default\" (404 Not Found"
        ),
        "{error}"
    );
    tool.run(&["sensu", "create-namespace", "--name", "ops"])
        .ok();
    let error = tool
        .run(&[
            "sensu",
            "delete-entity",
            "--namespace",
            "ops",
            "--entity",
            "web-01",
        ])
        .fails(3);
    assert!(
        error.starts_with("error: entity \"web-01\" not found in namespace \"ops\""),
        "{error}"
    );
    let error = tool
        .run(&["sensu", "get-namespace", "--namespace", "nope"])
        .fails(3);
    assert!(
        error.starts_with("error: namespace \"nope\" not found ("),
        "{error}"
    );
}

#[test]
fn a_sensu_list_cut_by_limit_says_more_follow_and_how_to_read_them() {
    let sandbox = Sandbox::start();
    let tool = sandbox.tool();
    for name in ["cpu", "disk", "mem"] {
        tool.run_with_input(
            &[
                "sensu",
                "create-or-update-check",
                "--check",
                name,
                "--json-body",
                "-",
            ],
            &check(name),
        )
        .ok();
    }
    let names = |run: &crate::tool_process::Run| {
        run.json()
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["metadata"]["name"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    let first = tool.run(&["sensu", "list-checks", "--limit", "1"]);
    assert_eq!(
        names(&first),
        ["cpu"],
        "standard output is the page, as before"
    );
    let hint = first.stderr();
    let prefix = "more checks follow: --all reads every page, --continue ";
    let cursor = hint
        .strip_prefix(prefix)
        .and_then(|rest| rest.strip_suffix(" the next one\n"))
        .unwrap_or_else(|| panic!("{hint:?}"));
    // The option it names reads the next page.
    let second = tool.run(&["sensu", "list-checks", "--limit", "1", "--continue", cursor]);
    assert_eq!(names(&second), ["disk"]);
    // A page that holds the rest, and --all, say nothing.
    let whole = tool.run(&["sensu", "list-checks", "--limit", "5"]);
    assert_eq!(names(&whole), ["cpu", "disk", "mem"]);
    assert_eq!(whole.stderr(), "");
    let all = tool.run(&["sensu", "list-checks", "--all", "--page-size", "1"]);
    assert_eq!(names(&all), ["cpu", "disk", "mem"]);
    assert_eq!(all.stderr(), "");
}

#[test]
fn debug_shows_the_query_string_and_no_secret() {
    let sandbox = Sandbox::start();
    let run = sandbox.tool().run(&[
        "--debug",
        "sensu",
        "list-checks",
        "--limit",
        "2",
        "--label-selector",
        "team == ops",
    ]);
    run.json();
    let log = run.stderr();
    assert!(
        log.contains(r#"url.query="labelSelector=team+%3D%3D+ops&limit=2""#),
        "{log}"
    );
    for secret in [SANDBOX_PASSWORD, "Bearer ", "access_token"] {
        assert!(!log.contains(secret), "{secret:?} in the log: {log}");
    }
}

#[test]
fn openstack_404s_name_the_kind_and_the_id() {
    let Some(vars) = real_openstack("openstack_404s_name_the_kind_and_the_id") else {
        return;
    };
    let tool = openstack_tool(&vars);
    let absent = "00000000-0000-4000-8000-000000000000";
    // By the generated command and by watcherclient's words.
    for args in [
        &["watcher", "get-audit", "--audit-ident", absent][..],
        &["watcher", "audit", "show", absent][..],
    ] {
        let error = tool.run(args).fails(3);
        assert_eq!(error.lines().count(), 1, "{error}");
        assert!(
            error.starts_with(&format!(
                "error: audit \"{absent}\" not found (404 Not Found"
            )),
            "{error}"
        );
    }
    let error = tool
        .run(&["monasca", "alarm-definition-show", absent])
        .fails(3);
    assert!(
        error.starts_with(&format!(
            "error: alarm definition \"{absent}\" not found (404 Not Found"
        )),
        "{error}"
    );
    let error = tool
        .run(&["monasca", "notification-delete", absent])
        .fails(3);
    assert!(
        error.starts_with(&format!(
            "error: notification method \"{absent}\" not found"
        )),
        "{error}"
    );
}

#[test]
fn openstack_creates_and_deletes_say_what_they_did_and_lists_cut_by_limit_say_more_follow() {
    let Some(vars) = real_openstack(
        "openstack_creates_and_deletes_say_what_they_did_and_lists_cut_by_limit_say_more_follow",
    ) else {
        return;
    };
    let tool = openstack_tool(&vars);
    let run = run_id();

    // Two notification methods, created by monascaclient's words: the answer on standard
    // output, what was done on standard error.
    let mut ids = Vec::new();
    for n in 0..2 {
        let name = format!("cli-fb-{run}-{n}");
        let created = tool.run(&[
            "monasca",
            "notification-create",
            &name,
            "EMAIL",
            "ops@example.com",
        ]);
        let answer = created.json();
        let id = answer["id"].as_str().unwrap().to_string();
        assert_eq!(answer["name"], name.as_str());
        assert_eq!(
            created.stderr(),
            format!("notification method \"{name}\" (id {id}) created\n")
        );
        ids.push(id);
    }
    // Monasca's next link: more follow, and --offset reads them.
    let first = tool.run(&["monasca", "notification-list", "--limit", "1"]);
    first.json();
    let hint = first.stderr();
    let prefix = "more notification methods follow: --all reads every page, --offset ";
    let offset = hint
        .strip_prefix(prefix)
        .and_then(|rest| rest.strip_suffix(" the next one\n"))
        .unwrap_or_else(|| panic!("{hint:?}"));
    let next = tool
        .run(&[
            "monasca",
            "notification-list",
            "--limit",
            "1",
            "--offset",
            offset,
        ])
        .json();
    assert_ne!(next, first.json(), "the next page is another");
    let whole = tool.run(&["monasca", "notification-list", "--limit", "10000"]);
    whole.json();
    assert_eq!(whole.stderr(), "", "the whole list: no hint");

    for id in &ids {
        let deleted = tool.run(&["monasca", "notification-delete", id]);
        assert_eq!(
            deleted.ok(),
            "",
            "a delete prints nothing on standard output"
        );
        assert_eq!(
            deleted.stderr(),
            format!("notification method \"{id}\" deleted\n")
        );
    }

    // Watcher's next link: its goals, one per page.
    let first = tool.run(&["watcher", "list-goals", "--limit", "1"]);
    let goal = first.json()["goals"][0]["uuid"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        first.stderr(),
        format!("more goals follow: --all reads every page, --marker {goal} the next one\n")
    );
    let next = tool
        .run(&["watcher", "list-goals", "--limit", "1", "--marker", &goal])
        .json();
    assert_ne!(next["goals"][0]["uuid"], goal.as_str());
    let whole = tool.run(&["watcher", "list-goals", "--limit", "1000"]);
    whole.json();
    assert_eq!(whole.stderr(), "");

    // An audit template, by watcherclient's words.
    let name = format!("cli-fb-at-{run}");
    let created = tool.run(&["watcher", "audittemplate", "create", &name, "dummy"]);
    let uuid = created.json()["uuid"].as_str().unwrap().to_string();
    assert_eq!(
        created.stderr(),
        format!("audit template \"{name}\" (uuid {uuid}) created\n")
    );
    let deleted = tool.run(&["watcher", "audittemplate", "delete", &name]);
    assert_eq!(deleted.ok(), "");
    assert_eq!(
        deleted.stderr(),
        format!("audit template \"{name}\" deleted\n")
    );
}

/// The admin's `OS_*` variables without those of `names`.
fn without(vars: &HashMap<String, String>, names: &[&str]) -> Tool {
    let kept: HashMap<String, String> = vars
        .iter()
        .filter(|(name, _)| !names.contains(&name.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    openstack_tool(&kept)
}

#[test]
fn every_missing_os_variable_is_named_at_once_and_domains_default_to_default() {
    // Nothing set: one message names all that a password login needs (9, configuration).
    let error = Tool::new().run(&["watcher", "list-goals"]).fails(9);
    assert_eq!(
        error,
        "error: these environment variables are not set: OS_AUTH_URL; OS_USERNAME or \
         OS_USER_ID; OS_PASSWORD\n"
    );
    let Some(vars) =
        real_openstack("every_missing_os_variable_is_named_at_once_and_domains_default_to_default")
    else {
        return;
    };
    let error = without(&vars, &["OS_AUTH_URL", "OS_PASSWORD"])
        .run(&["keystone", "get-catalog"])
        .fails(9);
    assert!(error.contains("OS_AUTH_URL; OS_PASSWORD"), "{error}");
    // No domain variable at all: the real Keystone takes the user and the project in the
    // domain `default`.
    let types = without(
        &vars,
        &[
            "OS_USER_DOMAIN_ID",
            "OS_USER_DOMAIN_NAME",
            "OS_PROJECT_DOMAIN_ID",
            "OS_PROJECT_DOMAIN_NAME",
        ],
    )
    .run(&["keystone", "get-catalog", "-o", "value", "-c", "type"])
    .ok();
    assert!(types.lines().any(|t| t == "infra-optim"), "{types}");
    // A default domain that does not hold the user: Keystone refuses the login (4).
    without(&vars, &["OS_USER_DOMAIN_ID", "OS_PROJECT_DOMAIN_ID"])
        .env("OS_DEFAULT_DOMAIN", "no-such-domain")
        .run(&["keystone", "get-catalog"])
        .fails(4);
}
