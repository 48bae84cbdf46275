//! sensuctl's resource file commands against the sandbox: `create -f` with a file, a directory
//! and standard input; `dump` as YAML and wrapped JSON, taken back by `create`; `edit` through
//! `$EDITOR`; `prune`; and a bad file that sends nothing.

use std::path::Path;

use serde::Deserialize;
use serde_json::Value;

use crate::tool_process::{Run, Sandbox, Tool};

const OPS: &str = "type: Namespace
api_version: core/v2
metadata: {name: ops}
spec: {name: ops}
---
type: CheckConfig
api_version: core/v2
metadata: {name: cpu, namespace: ops}
spec: {command: check-cpu.sh, interval: 60, subscriptions: [linux]}
";

fn check(name: &str, interval: u32) -> String {
    format!(
        "type: CheckConfig\nmetadata: {{name: {name}}}\nspec: {{command: c, interval: {interval}, subscriptions: [linux]}}\n"
    )
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

/// The lines a run said on standard error, after it succeeded with nothing on standard output.
fn said(run: &Run) -> Vec<String> {
    assert_eq!(run.ok(), "", "standard output stays empty");
    run.stderr().lines().map(str::to_string).collect()
}

/// The requests a `--debug` run sent after logging in, by operation.
fn requests(run: &Run) -> Vec<String> {
    run.stderr()
        .lines()
        .filter(|l| l.contains("answered") && !l.contains("operation=\"login\""))
        .filter_map(|l| {
            let start = l.find("operation=\"")? + "operation=\"".len();
            let end = start + l[start..].find('"')?;
            Some(l[start..end].to_string())
        })
        .collect()
}

fn names(tool: &Tool, list: &str, namespace: &str) -> Vec<String> {
    let listed = tool.run(&["sensu", list, "--namespace", namespace]).json();
    listed
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["metadata"]["name"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn create_reads_a_file_a_directory_and_standard_input() {
    let sandbox = Sandbox::start();
    let tool = sandbox.tool();
    let dir = tempfile::tempdir().unwrap();
    let ops = write(dir.path(), "ops.yaml", OPS);
    let run = tool.run(&["sensu", "create", "-f", &ops]);
    assert_eq!(
        said(&run),
        ["created Namespace ops", "created CheckConfig ops/cpu"]
    );
    let stored = tool
        .run(&["sensu", "get-check", "--namespace", "ops", "--check", "cpu"])
        .json();
    assert_eq!(
        stored["metadata"]["labels"]["sensu.io/managed_by"],
        "sensuctl"
    );

    // A directory: its files in name order, YAML or JSON; subdirectories with -r only.
    let more = dir.path().join("more");
    write(
        &more,
        "a.yaml",
        "type: Handler\nmetadata: {name: slack}\nspec: {type: pipe, command: notify}\n",
    );
    write(
        &more,
        "b.json",
        r#"{"type": "Mutator", "api_version": "core/v2", "metadata": {"name": "to-json"}, "spec": {"command": "m"}}
{"type": "Mutator", "api_version": "core/v2", "metadata": {"name": "to-xml"}, "spec": {"command": "x"}}"#,
    );
    write(
        &more.join("deep"),
        "c.yaml",
        "type: HookConfig\nmetadata: {name: ps}\nspec: {command: ps, timeout: 10}\n",
    );
    let more = more.display().to_string();
    let run = tool.run(&["sensu", "create", "-f", &more]);
    assert_eq!(
        said(&run),
        [
            "created Handler default/slack",
            "created Mutator default/to-json",
            "created Mutator default/to-xml"
        ]
    );
    let run = tool.run(&["sensu", "create", "-r", "-f", &more]);
    assert_eq!(
        said(&run),
        [
            "unchanged Handler default/slack",
            "created HookConfig default/ps",
            "unchanged Mutator default/to-json",
            "unchanged Mutator default/to-xml"
        ]
    );

    // Standard input, named by - or by giving no file; --namespace for what names none.
    let run = tool.run_with_input(&["sensu", "create", "-f", "-"], &check("disk", 30));
    assert_eq!(said(&run), ["created CheckConfig default/disk"]);
    let run = tool.run_with_input(
        &["sensu", "create", "--namespace", "ops"],
        &check("mem", 30),
    );
    assert_eq!(said(&run), ["created CheckConfig ops/mem"]);
    assert_eq!(names(&tool, "list-checks", "ops"), ["cpu", "mem"]);
    assert_eq!(names(&tool, "list-checks", "default"), ["disk"]);
}

#[test]
fn a_bad_file_sends_nothing_and_names_file_document_and_field() {
    let sandbox = Sandbox::start();
    let tool = sandbox.tool();
    let dir = tempfile::tempdir().unwrap();
    let good = write(dir.path(), "good.yaml", &check("disk", 30));
    let bad = write(
        dir.path(),
        "bad.yaml",
        &format!(
            "{OPS}---\n{}",
            check("mem", 30).replace("interval: 30", "interval: often")
        ),
    );
    let run = tool.run(&["--debug", "sensu", "create", "-f", &good, "-f", &bad]);
    let error = run.fails(5);
    assert!(
        error.contains(&format!(
            "{bad}, document 3, field spec.interval: invalid type"
        )),
        "{error}"
    );
    assert_eq!(
        requests(&run),
        Vec::<String>::new(),
        "nothing sent: {error}"
    );
    assert_eq!(names(&tool, "list-checks", "default"), Vec::<String>::new());

    let error = tool
        .run_with_input(&["sensu", "create"], "type: Chek\nspec: {}\n")
        .fails(5);
    assert!(
        error.contains("-, document 1, field type: \"Chek\" is not a core/v2 type"),
        "{error}"
    );
    let error = tool
        .run(&["sensu", "create", "-f", "/nonexistent/x.yaml"])
        .fails(1);
    assert!(error.contains("cannot read /nonexistent/x.yaml"), "{error}");
}

/// The documents of a YAML dump, as JSON.
fn yaml_documents(text: &str) -> Vec<Value> {
    serde_yaml_ng::Deserializer::from_str(text)
        .map(|d| Value::deserialize(d).unwrap())
        .collect()
}

/// The objects of a wrapped-JSON dump.
fn json_documents(text: &str) -> Vec<Value> {
    serde_json::Deserializer::from_str(text)
        .into_iter::<Value>()
        .map(Result::unwrap)
        .collect()
}

fn described(documents: &[Value]) -> Vec<String> {
    documents
        .iter()
        .map(|d| {
            let namespace = d["metadata"]["namespace"].as_str().unwrap_or_default();
            let name = d["metadata"]["name"].as_str().unwrap_or_default();
            format!("{} {namespace}/{name}", d["type"].as_str().unwrap())
        })
        .collect()
}

#[test]
fn dump_writes_yaml_and_wrapped_json_that_create_takes_back() {
    let sandbox = Sandbox::start();
    let tool = sandbox.tool();
    tool.run_with_input(
        &["sensu", "create"],
        &format!("{OPS}---\n{}", check("disk", 30)),
    )
    .ok();

    let yaml = tool.run(&["sensu", "dump", "checks"]).ok();
    assert!(
        yaml.starts_with("type: CheckConfig\napi_version: core/v2\n"),
        "{yaml}"
    );
    assert_eq!(
        described(&yaml_documents(&yaml)),
        ["CheckConfig default/disk"]
    );
    let everywhere = tool
        .run(&[
            "sensu",
            "dump",
            "core/v2.CheckConfig",
            "--all-namespaces",
            "--format",
            "yaml",
        ])
        .ok();
    assert_eq!(
        described(&yaml_documents(&everywhere)),
        ["CheckConfig default/disk", "CheckConfig ops/cpu"]
    );
    let json = tool
        .run(&[
            "sensu",
            "dump",
            "checks,handlers",
            "--namespace",
            "ops",
            "--format",
            "wrapped-json",
        ])
        .ok();
    let documents = json_documents(&json);
    assert_eq!(described(&documents), ["CheckConfig ops/cpu"]);
    assert_eq!(documents[0]["spec"]["interval"], 60);
    let all = tool
        .run(&["sensu", "dump", "--omit", "users,roles,rolebindings"])
        .ok();
    let kinds: Vec<String> = yaml_documents(&all)
        .iter()
        .map(|d| d["type"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        kinds,
        [
            "Namespace",
            "Namespace",
            "ClusterRole",
            "ClusterRoleBinding",
            "TessenConfig",
            "CheckConfig"
        ]
    );
    tool.run(&["sensu", "dump", "chekcs"]).fails(5);

    // The round trip: a dump of what create made, created back, changes nothing (create's
    // sensu.io/managed_by label is on it already).
    let dir = tempfile::tempdir().unwrap();
    let kinds = "namespaces,checks";
    for format in ["yaml", "wrapped-json"] {
        let file = dir
            .path()
            .join(format!("all.{format}"))
            .display()
            .to_string();
        let run = tool.run(&[
            "sensu",
            "dump",
            kinds,
            "--all-namespaces",
            "--format",
            format,
            "--file",
            &file,
        ]);
        assert_eq!(run.ok(), "", "--file leaves standard output empty");
        let dumped = std::fs::read_to_string(&file).unwrap();
        let run = tool.run(&["sensu", "create", "-f", &file]);
        assert_eq!(
            said(&run),
            [
                "unchanged Namespace default",
                "unchanged Namespace ops",
                "unchanged CheckConfig default/disk",
                "unchanged CheckConfig ops/cpu"
            ],
            "{format}"
        );
        let again = tool
            .run(&[
                "sensu",
                "dump",
                kinds,
                "--all-namespaces",
                "--format",
                format,
            ])
            .ok();
        assert_eq!(again, dumped, "{format}");
    }
}

/// An editor: a shell script that runs `sed` with `expression` on the file it is given.
fn editor(dir: &Path, expression: &str) -> String {
    use std::os::unix::fs::PermissionsExt;
    let path = dir.join(format!("editor-{}", expression.len()));
    std::fs::write(&path, format!("#!/bin/sh\nsed -i '{expression}' \"$1\"\n")).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path.display().to_string()
}

#[test]
fn edit_applies_what_the_editor_saves_and_nothing_when_nothing_changed() {
    let sandbox = Sandbox::start();
    let dir = tempfile::tempdir().unwrap();
    let tool = sandbox.tool();
    tool.run_with_input(&["sensu", "create"], &check("cpu", 60))
        .ok();
    let interval = |tool: &Tool| {
        tool.run(&["sensu", "get-check", "--check", "cpu"]).json()["interval"].clone()
    };

    let run = sandbox
        .tool()
        .env("EDITOR", editor(dir.path(), "s/interval: 60/interval: 15/"))
        .run(&["sensu", "edit", "check", "cpu"]);
    assert_eq!(said(&run), ["updated CheckConfig default/cpu"]);
    assert_eq!(interval(&tool), 15);

    let run = sandbox
        .tool()
        .env(
            "EDITOR",
            editor(dir.path(), "s/\"interval\": 15/\"interval\": 20/"),
        )
        .run(&["sensu", "edit", "checks", "cpu", "--format", "wrapped-json"]);
    assert_eq!(said(&run), ["updated CheckConfig default/cpu"]);
    assert_eq!(interval(&tool), 20);

    // Saved as it was: only the read is sent, as sensuctl sends nothing.
    let run = sandbox
        .tool()
        .env("EDITOR", "true")
        .run(&["--debug", "sensu", "edit", "check", "cpu"]);
    assert!(run
        .stderr()
        .contains("unchanged CheckConfig default/cpu: nothing sent"));
    assert_eq!(requests(&run), ["getCheck"]);

    // Saved wrong: nothing sent, and the edit is kept.
    let run = sandbox
        .tool()
        .env(
            "EDITOR",
            editor(dir.path(), "s/interval: 20/interval: often/"),
        )
        .run(&["--debug", "sensu", "edit", "check", "cpu"]);
    let error = run.fails(5);
    assert!(error.contains("field spec.interval"), "{error}");
    let kept = error
        .split("the edit is kept in ")
        .nth(1)
        .and_then(|rest| rest.split(':').next())
        .unwrap_or_else(|| panic!("{error}"));
    assert!(std::fs::read_to_string(kept)
        .unwrap()
        .contains("interval: often"));
    std::fs::remove_file(kept).unwrap();
    assert_eq!(requests(&run), ["getCheck"]);
    assert_eq!(interval(&tool), 20);

    let error = tool.run(&["sensu", "edit", "check", "absent"]).fails(3);
    assert!(error.starts_with("error: not found"), "{error}");
    tool.run(&["sensu", "edit", "apikeys", "x"]).fails(2);
}

#[test]
fn prune_deletes_what_create_made_and_the_files_no_longer_hold() {
    let sandbox = Sandbox::start();
    let tool = sandbox.tool();
    let dir = tempfile::tempdir().unwrap();
    let before = write(
        dir.path(),
        "before.yaml",
        &[check("cpu", 10), check("old", 10)].join("---\n"),
    );
    let after = write(dir.path(), "after.yaml", &check("cpu", 10));
    tool.run(&["sensu", "create", "-f", &before]).ok();
    // Made by hand, not by create: not labelled, never pruned.
    tool.run_with_input(
        &["sensu", "create-or-update-check", "--check", "by-hand", "--json-body", "-"],
        r#"{"metadata": {"name": "by-hand", "namespace": "default"}, "command": "c", "interval": 10, "subscriptions": ["linux"]}"#,
    )
    .ok();

    let run = tool.run(&["sensu", "prune", "checks", "-f", &after, "--dry-run"]);
    assert_eq!(said(&run), ["would prune CheckConfig default/old"]);
    assert_eq!(
        names(&tool, "list-checks", "default"),
        ["by-hand", "cpu", "old"]
    );
    let run = tool.run(&["sensu", "prune", "checks", "-f", &after]);
    assert_eq!(said(&run), ["pruned CheckConfig default/old"]);
    assert_eq!(names(&tool, "list-checks", "default"), ["by-hand", "cpu"]);

    // Without a logged-in user, whose resources to prune must be said.
    let error = Tool::new()
        .env("SENSU_API_URL", &sandbox.url)
        .env("SENSU_API_KEY", "0a0b0c0d-0000-4000-8000-000000000000")
        .run(&["sensu", "prune", "checks", "-f", &after])
        .fails(2);
    assert!(error.contains("--users or --all-users"), "{error}");
}

/// The README's round trip, run as written: each command's `# ` lines are what it says on
/// standard error (or, for `cat`, what the file holds).
#[test]
fn the_readmes_round_trip_runs_as_shown() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md"))
        .expect("README.md");
    let block: Vec<&str> = readme
        .split("**Resource files**")
        .nth(1)
        .and_then(|rest| rest.split("```sh\n").nth(1))
        .and_then(|rest| rest.split("\n```").next())
        .expect("the CLI section's resource file example")
        .lines()
        .collect();
    let sandbox = Sandbox::start();
    let tool = sandbox.tool();
    let dir = tempfile::tempdir().unwrap();
    let mut lines = block.iter().peekable();
    let mut commands = 0;
    while let Some(line) = lines.next() {
        let mut shown = Vec::new();
        while let Some(comment) = lines.peek().and_then(|l| l.strip_prefix("# ")) {
            shown.push(comment.to_string());
            lines.next();
        }
        if let Some(heredoc) = line.strip_prefix("cat > ") {
            let file = heredoc.split_whitespace().next().unwrap();
            let mut text = String::new();
            for body in lines.by_ref().take_while(|l| **l != "EOF") {
                text.push_str(body);
                text.push('\n');
            }
            std::fs::write(dir.path().join(file), text).unwrap();
        } else if let Some(file) = line.strip_prefix("cat ") {
            let held = std::fs::read_to_string(dir.path().join(file)).unwrap();
            assert_eq!(held.lines().collect::<Vec<_>>(), shown, "{line}");
        } else if let Some(command) = line.strip_prefix("opsclient ") {
            let (command, into) = match command.split_once(" > ") {
                Some((command, file)) => (command, Some(file)),
                None => (command, None),
            };
            let args: Vec<&str> = command.split_whitespace().collect();
            let output = tool
                .command(&args)
                .current_dir(dir.path())
                .output()
                .expect("opsclient runs");
            let run = Run(output);
            let stdout = run.ok();
            if let Some(file) = into {
                std::fs::write(dir.path().join(file), &stdout).unwrap();
            }
            let stderr = run.stderr();
            assert_eq!(stderr.lines().collect::<Vec<_>>(), shown, "{line}");
            commands += 1;
        }
    }
    assert_eq!(commands, 4, "{block:?}");
    assert!(dir.path().join("backup.json").exists());
}
