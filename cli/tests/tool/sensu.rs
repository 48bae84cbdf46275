//! `opsclient sensu` against the sandbox, which the tool itself serves
//! (`opsclient sensu sandbox`): every output format, paging with `--all`, the exit statuses a
//! Sensu backend can cause, `--debug` without secrets, and shell completion.

mod drift;
mod files;

use crate::tool_process::{Sandbox, Table, Tool, SANDBOX_PASSWORD};
use serde_json::{json, Value};

fn check(name: &str, interval: u64) -> String {
    json!({
        "metadata": {"name": name, "namespace": "default"},
        "command": format!("check-{name}"),
        "interval": interval,
        "subscriptions": ["linux"],
        "publish": true
    })
    .to_string()
}

/// A sandbox holding the checks `cpu`, `disk` and `mem`, written from standard input.
fn sandbox_with_checks() -> (Sandbox, Tool) {
    let sandbox = Sandbox::start();
    let tool = sandbox.tool();
    for (name, interval) in [("cpu", 10), ("disk", 20), ("mem", 30)] {
        tool.run_with_input(
            &[
                "sensu",
                "create-or-update-check",
                "--check",
                name,
                "--json-body",
                "-",
            ],
            &check(name, interval),
        )
        .ok();
    }
    (sandbox, tool)
}

fn names(list: &Value) -> Vec<&str> {
    list.as_array()
        .expect("a list")
        .iter()
        .map(|c| c["metadata"]["name"].as_str().expect("a name"))
        .collect()
}

#[test]
fn every_output_format() {
    let (_sandbox, tool) = sandbox_with_checks();

    // JSON is the default off a terminal, and what -o json prints.
    let default = tool.run(&["sensu", "list-checks"]).json();
    assert_eq!(names(&default), ["cpu", "disk", "mem"]);
    assert_eq!(
        tool.run(&["sensu", "list-checks", "-o", "json"]).json(),
        default
    );
    assert_eq!(default[1]["interval"], 20);

    let yaml: Value =
        serde_yaml_ng::from_str(&tool.run(&["sensu", "list-checks", "-o", "yaml"]).ok())
            .expect("YAML");
    assert_eq!(yaml, default);

    // A table of the kind's usual columns, like sensuctl's.
    let text = tool.run(&["sensu", "list-checks", "-o", "table"]).ok();
    let table = Table::parse(&text);
    assert_eq!(
        table.headers,
        [
            "NAME",
            "COMMAND",
            "INTERVAL",
            "CRON",
            "TIMEOUT",
            "TTL",
            "SUBSCRIPTIONS",
            "HANDLERS",
            "ASSETS",
            "HOOKS",
            "PUBLISH?",
            "STDIN?",
            "METRIC FORMAT",
            "METRIC HANDLERS"
        ],
        "{text}"
    );
    assert_eq!(table.column("NAME"), ["cpu", "disk", "mem"]);
    let disk = table.row("NAME", "disk");
    assert!(disk.contains(&("COMMAND", "check-disk")), "{disk:?}");
    assert!(disk.contains(&("INTERVAL", "20")), "{disk:?}");
    assert!(disk.contains(&("SUBSCRIPTIONS", "linux")), "{disk:?}");
    assert!(disk.contains(&("PUBLISH?", "true")), "{disk:?}");
    assert!(disk.contains(&("STDIN?", "false")), "{disk:?}");
    // One object: its fields, one per line.
    let one = tool
        .run(&["sensu", "get-check", "--check", "mem", "-o", "table"])
        .ok();
    assert!(
        one.lines()
            .any(|l| l.split_whitespace().collect::<Vec<_>>() == ["command", "check-mem"]),
        "{one}"
    );

    // Bare values of the named columns, tab-separated, for scripts.
    let values = tool
        .run(&[
            "sensu",
            "list-checks",
            "-o",
            "value",
            "-c",
            "metadata.name",
            "-c",
            "interval",
        ])
        .ok();
    assert_eq!(values, "cpu\t10\ndisk\t20\nmem\t30\n");
    let command = tool
        .run(&[
            "sensu",
            "get-check",
            "--check",
            "cpu",
            "-o",
            "value",
            "-c",
            "command",
        ])
        .ok();
    assert_eq!(command, "check-cpu\n");
}

#[test]
fn on_a_terminal_the_default_is_a_table() {
    let (_sandbox, tool) = sandbox_with_checks();
    let output = tool
        .command_in_terminal(&["sensu", "list-checks"])
        .output()
        .expect("script runs");
    let screen = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{screen}");
    let lines: Vec<&str> = screen.lines().map(str::trim_end).collect();
    assert!(lines[0].starts_with("NAME  COMMAND"), "{screen:?}");
    assert!(lines[1].starts_with("cpu   check-cpu"), "{screen:?}");
}

#[test]
fn all_follows_every_page() {
    let (_sandbox, tool) = sandbox_with_checks();
    let first_page = tool.run(&["sensu", "list-checks", "--limit", "1"]).json();
    assert_eq!(names(&first_page), ["cpu"]);

    // One item per page: three pages and the empty end, each one request.
    let run = tool.run(&[
        "--debug",
        "sensu",
        "list-checks",
        "--all",
        "--page-size",
        "1",
    ]);
    assert_eq!(names(&run.json()), ["cpu", "disk", "mem"]);
    let requests = run
        .stderr()
        .lines()
        .filter(|l| l.contains("listChecks") && l.contains("answered"))
        .count();
    assert!(requests >= 3, "{requests} requests: {}", run.stderr());
}

#[test]
fn field_flags_and_standard_input_make_bodies() {
    let sandbox = Sandbox::start();
    let tool = sandbox.tool();
    tool.run(&["sensu", "create-namespace", "--name", "ops"])
        .ok();
    let namespaces = tool
        .run(&["sensu", "list-namespaces", "-o", "value", "-c", "name"])
        .ok();
    assert_eq!(namespaces, "default\nops\n");
    tool.run_with_input(
        &["sensu", "create-namespace", "--json-body", "-"],
        r#"{"name": "dev"}"#,
    )
    .ok();
    let namespaces = tool
        .run(&["sensu", "list-namespaces", "-o", "value", "-c", "name"])
        .ok();
    assert_eq!(namespaces, "default\ndev\nops\n");
}

#[test]
fn each_exit_status_a_sensu_call_can_end_with() {
    let sandbox = Sandbox::start();
    let tool = sandbox.tool();
    // 0: success.
    tool.run(&["sensu", "create-namespace", "--name", "ops"])
        .ok();
    // 2: the command line is wrong.
    let error = tool.run(&["sensu", "list-chekcs"]).fails(2);
    assert!(error.contains("list-checks"), "{error}");
    // --wait on what it cannot follow is refused before anything is sent.
    let error = tool
        .run(&["sensu", "create-namespace", "--name", "w", "--wait"])
        .fails(2);
    assert!(error.contains("--wait applies only to"), "{error}");
    tool.run(&["sensu", "get-namespace", "--namespace", "w"])
        .fails(3);
    // 3: not found.
    let error = tool
        .run(&["sensu", "get-check", "--check", "absent"])
        .fails(3);
    assert_eq!(error.lines().count(), 1, "one line: {error}");
    assert!(
        error.starts_with("error: check \"absent\" not found"),
        "{error}"
    );
    // 4: unauthorized.
    let error = Tool::new()
        .env("SENSU_API_URL", &sandbox.url)
        .env("SENSU_USERNAME", "admin")
        .env("SENSU_PASSWORD", "not the password")
        .run(&["sensu", "list-checks"])
        .fails(4);
    assert!(error.starts_with("error: unauthorized"), "{error}");
    // 5: invalid input, refused by the server (400), refused before sending, or not JSON.
    let error = tool
        .run(&["sensu", "create-namespace", "--name", "no spaces"])
        .fails(5);
    assert!(error.contains("400"), "{error}");
    let error = tool
        .run_with_input(
            &["sensu", "create-or-update-check", "--check", "x", "--json-body", "-"],
            r#"{"metadata": {"name": "x", "namespace": "default"}, "command": "c", "interval": 60}"#,
        )
        .fails(5);
    assert!(error.contains("subscription"), "{error}");
    tool.run_with_input(
        &["sensu", "create-namespace", "--json-body", "-"],
        "{not json",
    )
    .fails(5);
    // 6: conflict.
    let error = tool
        .run(&["sensu", "create-namespace", "--name", "ops"])
        .fails(6);
    assert!(error.contains("409"), "{error}");
    // 8: transport.
    let closed = format!("http://127.0.0.1:{}", crate::tool_process::free_port());
    Tool::new()
        .env("SENSU_API_URL", closed)
        .env("SENSU_API_KEY", "0a0b0c0d-0000-4000-8000-000000000000")
        .run(&["--timeout", "5s", "sensu", "list-checks"])
        .fails(8);
    // 9: configuration.
    let error = Tool::new().run(&["sensu", "list-checks"]).fails(9);
    assert!(error.contains("SENSU_API_URL"), "{error}");
    // 1: anything else, such as a body file that cannot be read.
    tool.run(&[
        "sensu",
        "create-namespace",
        "--json-body",
        "/nonexistent/body.json",
    ])
    .fails(1);
}

#[test]
fn debug_shows_each_request_and_status_but_no_secret() {
    let sandbox = Sandbox::start();
    let run = sandbox.tool().run(&["--debug", "sensu", "list-namespaces"]);
    run.json();
    let log = run.stderr();
    assert!(log.contains("operation=\"listNamespaces\""), "{log}");
    assert!(log.contains("http.response.status_code=200"), "{log}");
    assert!(log.contains("/api/core/v2/namespaces"), "{log}");
    for secret in [
        SANDBOX_PASSWORD,
        "Bearer ",
        "Authorization",
        "access_token",
        "refresh_token",
    ] {
        assert!(!log.contains(secret), "{secret:?} in the log: {log}");
    }
    // Not a terminal: no colour codes.
    assert!(!log.contains('\u{1b}'), "{log}");
}

#[test]
fn the_sandbox_serves_until_interrupted() {
    let sandbox = Sandbox::start();
    sandbox.tool().run(&["sensu", "list-namespaces"]).ok();
    let (status, stderr) = sandbox.interrupt();
    assert_eq!(status, 0, "{stderr}");
    assert!(
        stderr.contains("Sensu sandbox on http://127.0.0.1:"),
        "{stderr}"
    );
}

#[test]
fn text_answers_are_written_as_they_come() {
    let sandbox = Sandbox::start();
    let out = sandbox.tool().run(&["sensu", "get-readiness"]).ok();
    assert_eq!(out.trim(), "ready");
}

#[test]
fn shell_completion_for_each_shell() {
    for shell in ["bash", "zsh", "fish"] {
        let script = Tool::new().run(&["completion", shell]).ok();
        assert!(script.contains("list-checks"), "{shell}");
        assert!(
            script.contains("metric-list"),
            "{shell}: seed aliases complete too"
        );
    }
    Tool::new().run(&["completion", "tcsh"]).fails(2);
}

#[test]
fn url_insecure_and_timeout_override_the_environment() {
    let sandbox = Sandbox::start();
    // SENSU_API_URL points nowhere; --url wins.
    let closed = format!("http://127.0.0.1:{}", crate::tool_process::free_port());
    let tool = sandbox.tool().env("SENSU_API_URL", closed);
    tool.run(&["sensu", "list-namespaces"]).fails(8);
    tool.run(&["--url", &sandbox.url, "sensu", "list-namespaces"])
        .json();
    // Turning TLS verification off is said, even without --debug.
    let run = sandbox
        .tool()
        .run(&["--insecure", "sensu", "list-namespaces"]);
    run.json();
    assert!(
        run.stderr()
            .contains("TLS certificate verification is disabled"),
        "{}",
        run.stderr()
    );
    // --timeout bounds a call to a server that never answers: a timeout exits 8.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", silent.local_addr().unwrap());
    let started = std::time::Instant::now();
    let error = Tool::new()
        .env("SENSU_API_URL", url)
        .env("SENSU_API_KEY", "0a0b0c0d-0000-4000-8000-000000000000")
        .run(&["--timeout", "1s", "sensu", "list-namespaces"])
        .fails(8);
    assert!(
        started.elapsed() < std::time::Duration::from_secs(15),
        "{error}"
    );
    drop(silent);
}

#[test]
fn help_shows_the_documents_descriptions() {
    let help = Tool::new()
        .run(&["sensu", "list-namespaces", "--help"])
        .ok();
    assert!(
        help.contains("Returns the namespaces the caller may see"),
        "{help}"
    );
    let help = Tool::new().run(&["monasca", "--help"]).ok();
    assert!(help.contains("[alias: metric-list]"), "{help}");
    let help = Tool::new().run(&["--help"]).ok();
    assert!(help.contains("Exit statuses:"), "{help}");
}

#[test]
fn a_variable_that_is_not_utf8_is_named_and_never_taken_as_unset() {
    use std::os::unix::ffi::OsStrExt;
    let sandbox = Sandbox::start();
    for (api, variable, args) in [
        ("sensu", "SENSU_PASSWORD", &["sensu", "list-namespaces"][..]),
        ("openstack", "OS_PASSWORD", &["watcher", "list-goals"][..]),
        (
            "saltant",
            "SALTANT_AUTH_TOKEN",
            &["saltant", "list-users"][..],
        ),
    ] {
        let output = sandbox
            .tool()
            .command(args)
            .env(variable, std::ffi::OsStr::from_bytes(b"s3cret-\xff"))
            .output()
            .expect("the tool runs");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!output.status.success(), "{api}: {stderr}");
        assert!(
            stderr.contains(&format!(
                "{variable} is set, but its value is not valid UTF-8"
            )),
            "{api}: {stderr}"
        );
        assert!(!stderr.contains("s3cret"), "{api}: {stderr}");
    }
}
