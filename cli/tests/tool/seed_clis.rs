//! opsclient beside the real Python CLIs it replaces: python-monascaclient's `monasca` and
//! python-watcherclient's `watcher` (from PyPI, in the `clients` virtualenv of `cargo xtask
//! servers up`) and `opsclient` run the same command lines, as those CLIs spell them, against
//! the same real servers, each through a recording forwarder put in front of the service. The
//! requests must be the same, except as the README documents (query order and encoding, the
//! spelling of a boolean in a query, headers, relative times computed a moment apart), and so
//! must the values shown (`-j`, `-f json|yaml|value|csv`).

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::recorder::{Recorder, Request};
use crate::tool_process::{
    openstack_env_file, openstack_tool, real_openstack, run_id, seed, settings, Tool,
};

/// A Python CLI of the clients virtualenv: named in `env.json`, else where `cargo xtask servers
/// up` installs it beside that file. `None` (skip) when it is not there and not required.
fn python_cli(vars: &HashMap<String, String>, key: &str, program: &str) -> Option<PathBuf> {
    let path = vars.get(key).map(PathBuf::from).unwrap_or_else(|| {
        let state = openstack_env_file();
        let state = state.parent().expect("env.json has a directory");
        state.join("venv/clients/bin").join(program)
    });
    if path.exists() {
        return Some(path);
    }
    assert!(
        !settings::required(),
        "{} is missing: `cargo xtask servers up` installs the clients virtualenv",
        path.display()
    );
    eprintln!(
        "skipped: no {} (run `cargo xtask servers up`)",
        path.display()
    );
    None
}

/// What a command shows, as compared.
#[derive(Clone, Copy)]
enum Shown {
    /// Nothing compared (a message of the Python CLI's, or nothing).
    Nothing,
    /// The same text.
    Text,
    /// The same JSON, less the keys named (values a second create or update changes).
    Json(&'static [&'static str]),
    /// The same YAML document, less the keys named.
    Yaml(&'static [&'static str]),
}

/// One service, its forwarder, and the two tools pointed at it.
struct Side {
    api: &'static str,
    cli: PathBuf,
    recorder: Recorder,
    /// The path of the service's URL (`/v2.0` for Monasca).
    base: &'static str,
    vars: HashMap<String, String>,
    /// Every command line compared, for the report.
    compared: Vec<String>,
}

/// A finished run of either tool.
struct Ran {
    requests: Vec<Request>,
    stdout: String,
}

impl Side {
    fn new(
        api: &'static str,
        cli: PathBuf,
        upstream: &str,
        base: &'static str,
        vars: &HashMap<String, String>,
    ) -> Side {
        Side {
            api,
            cli,
            recorder: Recorder::start(upstream),
            base,
            vars: vars.clone(),
            compared: Vec::new(),
        }
    }

    fn python(&self, args: &[&str]) -> Ran {
        let endpoint = self.recorder.url(self.base);
        let global: Vec<&str> = match self.api {
            "monasca" => vec!["--monasca-api-url", &endpoint],
            _ => vec!["--os-endpoint-override", &endpoint],
        };
        let home = tempfile::tempdir().unwrap();
        let output = Command::new(&self.cli)
            .args(&global)
            .args(args)
            .env_clear()
            .env("HOME", home.path())
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .envs(self.vars.iter().filter(|(k, _)| k.starts_with("OS_")))
            .stdin(Stdio::null())
            .output()
            .expect("the Python CLI runs");
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        assert!(
            output.status.success(),
            "{} {args:?}: {stdout} {}",
            self.api,
            String::from_utf8_lossy(&output.stderr)
        );
        Ran {
            requests: self.recorder.take(),
            stdout,
        }
    }

    fn ours(&self, args: &[&str]) -> Ran {
        let endpoint = self.recorder.url(self.base);
        let mut line = vec!["--url", &endpoint, self.api];
        line.extend(args);
        let stdout = openstack_tool(&self.vars).run(&line).ok();
        // opsclient's Watcher client reads the server's version range from `GET /` when it is
        // made (the README says so); watcherclient sends its own version without asking.
        let requests = self
            .recorder
            .take()
            .into_iter()
            .filter(|r| !(self.api == "watcher" && r.method == "GET" && r.path == "/"))
            .collect();
        Ran { requests, stdout }
    }

    /// Runs the same line with both tools and compares.
    fn same(&mut self, args: &[&str], shown: Shown) -> (Ran, Ran) {
        self.differing(args, args, &[], shown)
    }

    /// Runs `python` and `ours`, which differ only in the strings of `names` (each side's own
    /// resource: (Python's, ours)), and compares.
    fn differing(
        &mut self,
        python: &[&str],
        ours: &[&str],
        names: &[(&str, &str)],
        shown: Shown,
    ) -> (Ran, Ran) {
        let theirs = self.python(python);
        let mine = self.ours(ours);
        self.compare(python, theirs, mine, names, shown)
    }

    /// Runs a create with both tools under the same name: the Python CLI's first, then our
    /// tool's `delete` line (made from what the Python CLI printed) removes that resource,
    /// then ours creates it again. Compares as [`Side::same`] does; gives our run.
    fn created(
        &mut self,
        create: &[&str],
        delete: impl FnOnce(&str) -> Vec<String>,
        shown: Shown,
    ) -> Ran {
        let theirs = self.python(create);
        let mut line = vec![self.api.to_string()];
        line.extend(delete(&theirs.stdout));
        let line: Vec<&str> = line.iter().map(String::as_str).collect();
        openstack_tool(&self.vars).run(&line).ok();
        let mine = self.ours(create);
        self.compare(create, theirs, mine, &[], shown).1
    }

    /// Compares the two runs of the line `python`, as [`Side::differing`] describes.
    fn compare(
        &mut self,
        python: &[&str],
        theirs: Ran,
        mine: Ran,
        names: &[(&str, &str)],
        shown: Shown,
    ) -> (Ran, Ran) {
        let label = format!("{} {}", self.api, python.join(" "));
        let placeholder = |i: usize| format!("<name {i}>");
        let of = |requests: &[Request], side: usize| -> Vec<Value> {
            requests
                .iter()
                .map(|r| {
                    let text = serde_json::to_string(&normalized(r)).unwrap();
                    let text = names.iter().enumerate().fold(text, |t, (i, pair)| {
                        let name = if side == 0 { pair.0 } else { pair.1 };
                        t.replace(name, &placeholder(i))
                    });
                    serde_json::from_str(&text).unwrap()
                })
                .collect()
        };
        let (a, b) = (of(&theirs.requests, 0), of(&mine.requests, 1));
        assert!(
            !a.is_empty(),
            "{label}: the Python CLI sent nothing through the forwarder"
        );
        assert_eq!(a, b, "{label}: the requests differ");
        match shown {
            Shown::Nothing => {}
            Shown::Text => assert_eq!(theirs.stdout, mine.stdout, "{label}: the output differs"),
            Shown::Json(skip) => {
                let parse = |text: &str| -> Value {
                    let value = serde_json::from_str(text)
                        .unwrap_or_else(|e| panic!("{label}: not JSON ({e}): {text}"));
                    without(value, skip)
                };
                assert_eq!(
                    parse(&theirs.stdout),
                    parse(&mine.stdout),
                    "{label}: the values differ"
                );
            }
            Shown::Yaml(skip) => {
                let parse = |text: &str| -> Value {
                    let value = serde_yaml_ng::from_str(text)
                        .unwrap_or_else(|e| panic!("{label}: not YAML ({e}): {text}"));
                    without(value, skip)
                };
                assert_eq!(
                    parse(&theirs.stdout),
                    parse(&mine.stdout),
                    "{label}: the values differ"
                );
            }
        }
        self.compared.push(label);
        (theirs, mine)
    }
}

/// A request as compared: no `/` at the end of the path, the query's pairs sorted, a boolean's
/// spelling in lower case, and a start time of `-N` minutes, computed a moment apart by each
/// tool, checked and replaced.
fn normalized(request: &Request) -> Value {
    let mut query: Vec<(String, String)> = request
        .query
        .iter()
        .map(|(k, v)| {
            let v = match v.as_str() {
                "True" | "False" => v.to_lowercase(),
                _ => v.clone(),
            };
            (k.clone(), v)
        })
        .collect();
    query.sort();
    for (key, value) in &mut query {
        if key == "start_time" && !value.starts_with("20") {
            panic!("start_time {value:?} is not a time");
        }
        if key == "start_time" && !value.starts_with("2020") {
            *value = relative(value);
        }
    }
    // watcherclient puts a `/` between a list's path and its query (`/v1/audits/?goal=`);
    // monascaclient asks for `/v2.0/alarms/state-history/`.
    let path = request.path.trim_end_matches('/');
    serde_json::json!({
        "method": request.method,
        "path": path,
        "query": query,
        "body": request.body,
    })
}

/// A start time a few minutes before now (from `-N`): kept to the minute it was computed in,
/// give or take the moment between the two runs.
fn relative(time: &str) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let seconds = |t: &str| -> Option<u64> {
        // YYYY-MM-DDTHH:MM:SSZ in UTC: days from the civil date.
        let (date, clock) = t.trim_end_matches('Z').split_once('T')?;
        let mut d = date.split('-').map(|p| p.parse::<i64>());
        let (y, m, day) = (d.next()?.ok()?, d.next()?.ok()?, d.next()?.ok()?);
        let mut c = clock.split(':').map(|p| p.parse::<i64>());
        let (h, mi, s) = (c.next()?.ok()?, c.next()?.ok()?, c.next()?.ok()?);
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + day - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        let days = era * 146_097 + doe - 719_468;
        u64::try_from(days * 86_400 + h * 3600 + mi * 60 + s).ok()
    };
    let at = seconds(time).unwrap_or_else(|| panic!("{time:?} is not YYYY-MM-DDTHH:MM:SSZ"));
    let ago = now.saturating_sub(at);
    assert!(
        (120 * 60 - 60..=120 * 60 + 120).contains(&ago),
        "{time} is not 120 minutes ago ({ago} s)"
    );
    "<120 minutes ago>".into()
}

/// `value` without the keys named, at any depth, nor the null fields (opsclient's JSON leaves
/// out a field the server sends as null, as the README says).
fn without(value: Value, skip: &[&str]) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(k, v)| !skip.contains(&k.as_str()) && !v.is_null())
                .map(|(k, v)| (k, without(v, skip)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(|v| without(v, skip)).collect()),
        // JSON shown as text (a strategy's parameters): its keys' order is not kept (the README
        // says so), so it is compared as JSON.
        Value::String(text) if text.starts_with(['{', '[']) => match serde_json::from_str(&text) {
            Ok(json) => without(json, skip),
            Err(_) => Value::String(text),
        },
        other => other,
    }
}

/// Runs `args` on the real service (not through a forwarder) until `accept` takes the output.
fn eventually(tool: &Tool, args: &[&str], accept: impl Fn(&str) -> bool) -> String {
    let start = Instant::now();
    loop {
        let out = tool.run(args).ok();
        if accept(&out) {
            return out;
        }
        assert!(
            start.elapsed() < Duration::from_secs(90),
            "{args:?} still gives {out}"
        );
        std::thread::sleep(Duration::from_secs(1));
    }
}

fn id_of(text: &str, key: &str) -> String {
    let value: Value = serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"));
    value[key]
        .as_str()
        .unwrap_or_else(|| panic!("no {key}: {text}"))
        .to_string()
}

/// The items of a cliff JSON list whose `Name` holds `run`.
fn ours_only(text: &str, run: &str) -> String {
    let items: Vec<Value> = serde_json::from_str(text).unwrap();
    let kept: Vec<Value> = items
        .into_iter()
        .filter(|i| i["Name"].as_str().is_some_and(|n| n.contains(run)))
        .collect();
    serde_json::to_string(&kept).unwrap()
}

#[test]
fn monasca_commands_match_python_monascaclient() {
    let Some(vars) = real_openstack("monasca_commands_match_python_monascaclient") else {
        return;
    };
    let Some(cli) = python_cli(&vars, "OPSCLIENT_MONASCA_CLI", "monasca") else {
        return;
    };
    let mut side = Side::new("monasca", cli, "127.0.0.1:8070", "/v2.0", &vars);
    let tool = openstack_tool(&vars);
    let run = run_id();
    let name = format!("opsclient.seed.{run}");
    let dims = format!("run={run}");
    let at = (std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis()
        - 2000)
        .to_string();

    let dimensions = format!("{dims},hostname=h1");
    side.same(
        &[
            "metric-create",
            &name,
            "1.5",
            "--dimensions",
            &dimensions,
            "--time",
            &at,
        ],
        Shown::Nothing,
    );
    eventually(
        &tool,
        &[
            "monasca",
            "measurement-list",
            &name,
            "2020-01-01T00:00:00Z",
            "-j",
        ],
        |out| out.contains("1.5"),
    );
    let json = Shown::Json(&[]);
    side.same(
        &["metric-list", "--name", &name, "--dimensions", &dims, "-j"],
        json,
    );
    side.same(
        &["metric-list", "--name", &name, "--starttime", "-120", "-j"],
        json,
    );
    side.same(&["metric-name-list", "--dimensions", &dims, "-j"], json);
    side.same(
        &[
            "measurement-list",
            &name,
            "2020-01-01T00:00:00Z",
            "--dimensions",
            &dims,
            "--merge_metrics",
            "-j",
        ],
        json,
    );
    side.same(
        &[
            "metric-statistics",
            &name,
            "avg,count",
            "-120",
            "--dimensions",
            &dims,
            "--merge_metrics",
            "--period",
            "3600",
            "-j",
        ],
        json,
    );
    side.same(&["dimension-name-list", "--metric-name", &name, "-j"], json);
    side.same(
        &[
            "dimension-value-list",
            "hostname",
            "--metric-name",
            &name,
            "-j",
        ],
        json,
    );
    side.same(&["notification-type-list", "-j"], json);

    // Creates: the Python CLI's is deleted before ours is made with the same name.
    let notification = format!("seed-n-{run}");
    let create = [
        "notification-create",
        &notification,
        "WEBHOOK",
        "http://example.com/h",
        "--period",
        "60",
    ];
    let mine = side.created(
        &create,
        |theirs| vec!["notification-delete".into(), id_of(theirs, "id")],
        Shown::Json(&["id", "links"]),
    );
    let nid = id_of(&mine.stdout, "id");
    side.same(&["notification-show", &nid, "-j"], json);
    side.same(
        &["notification-list", "--sort-by", "name", "-j"],
        Shown::Nothing,
    );
    side.same(
        &[
            "notification-update",
            &nid,
            &notification,
            "WEBHOOK",
            "http://example.com/u",
            "60",
        ],
        json,
    );
    side.same(
        &[
            "notification-patch",
            &nid,
            "--address",
            "http://example.com/p",
        ],
        json,
    );

    let definition = format!("seed-ad-{run}");
    let expression = format!("avg({name}{{{dims}}}) > 10");
    let create = [
        "alarm-definition-create",
        &definition,
        &expression,
        "--description",
        "d",
        "--severity",
        "HIGH",
        "--match-by",
        "hostname",
        "--alarm-actions",
        &nid,
        "--ok-actions",
        &nid,
        "--undetermined-actions",
        &nid,
    ];
    let mine = side.created(
        &create,
        |theirs| vec!["alarm-definition-delete".into(), id_of(theirs, "id")],
        Shown::Json(&["id", "links"]),
    );
    let adid = id_of(&mine.stdout, "id");
    side.same(&["alarm-definition-show", &adid, "-j"], json);
    side.same(
        &["alarm-definition-list", "--name", &definition, "-j"],
        json,
    );
    side.same(
        &[
            "alarm-definition-patch",
            &adid,
            "--alarm-actions",
            &nid,
            "--ok-actions",
            &nid,
            "--actions-enabled",
            "false",
        ],
        json,
    );
    side.same(
        &[
            "alarm-definition-update",
            &adid,
            &definition,
            "d2",
            &expression,
            &nid,
            "[]",
            &nid,
            "true",
            "hostname",
            "LOW",
        ],
        json,
    );

    // Alarms, as monasca-thresh would create them.
    let first = seed(&vars, "OPSCLIENT_MONASCA_SEED_ALARM", &adid);
    let second = seed(&vars, "OPSCLIENT_MONASCA_SEED_ALARM", &adid);
    side.same(
        &[
            "alarm-list",
            "--alarm-definition-id",
            &adid,
            "--sort-by",
            "alarm_id",
            "-j",
        ],
        json,
    );
    side.same(&["alarm-show", &first, "-j"], json);
    side.same(&["alarm-count", "--alarm-definition-id", &adid, "-j"], json);
    let changing = Shown::Json(&["state_updated_timestamp", "updated_timestamp"]);
    side.same(
        &["alarm-update", &first, "OK", "OPEN", "http://example.com/l"],
        changing,
    );
    side.same(&["alarm-patch", &first, "--state", "ALARM"], changing);
    side.same(&["alarm-history", &first, "-j"], json);
    side.same(
        &[
            "alarm-history-list",
            "--dimensions",
            &dims,
            "--starttime",
            "-120",
            "-j",
        ],
        json,
    );
    // Each deletes its own alarm.
    side.differing(
        &["alarm-delete", &first],
        &["alarm-delete", &second],
        &[(&first, &second)],
        Shown::Nothing,
    );
    let spare = tool
        .run(&[
            "monasca",
            "notification-create",
            &format!("seed-spare-{run}"),
            "EMAIL",
            "a@example.com",
        ])
        .json()["id"]
        .as_str()
        .unwrap()
        .to_string();
    side.differing(
        &["notification-delete", &spare],
        &["notification-delete", &nid],
        &[(&spare, &nid)],
        Shown::Nothing,
    );
    // Its notification gone, the definition goes.
    tool.run(&["monasca", "alarm-definition-delete", &adid])
        .ok();

    eprintln!(
        "compared with python-monascaclient ({}):\n{}",
        side.compared.len(),
        side.compared.join("\n")
    );
    assert!(side.compared.len() >= 25, "{}", side.compared.len());
}

#[test]
fn watcher_commands_match_python_watcherclient() {
    let Some(vars) = real_openstack("watcher_commands_match_python_watcherclient") else {
        return;
    };
    let Some(cli) = python_cli(&vars, "OPSCLIENT_WATCHER_CLI", "watcher") else {
        return;
    };
    let mut side = Side::new("watcher", cli, "127.0.0.1:9322", "", &vars);
    let tool = openstack_tool(&vars);
    let run = run_id();
    let json = Shown::Json(&[]);

    side.same(&["goal", "list", "-f", "json"], json);
    side.same(&["goal", "show", "dummy", "-f", "json"], json);
    side.same(
        &[
            "strategy", "list", "--goal", "dummy", "-f", "value", "-c", "UUID", "-c", "Name",
        ],
        Shown::Text,
    );
    side.same(&["strategy", "show", "dummy", "-f", "json"], json);
    side.same(&["scoringengine", "list", "-f", "csv"], Shown::Text);
    side.same(
        &["service", "list", "-f", "value", "-c", "Name"],
        Shown::Text,
    );

    // An audit template: goal and strategy by name, looked up first, as watcherclient does.
    let template = format!("seed-at-{run}");
    let create = [
        "audittemplate",
        "create",
        &template,
        "dummy",
        "-s",
        "dummy",
        "-d",
        "first",
        "-f",
        "json",
    ];
    // watcherclient asks for version 1.5, opsclient for the newest (1.7), whose audit templates
    // have default parameters (the README says so).
    const NEWER: &str = "Default Parameters";
    side.created(
        &create,
        |_| vec!["audittemplate".into(), "delete".into(), template.clone()],
        Shown::Json(&["UUID", "Created At", NEWER]),
    );
    side.same(
        &["audittemplate", "show", &template, "-f", "yaml"],
        Shown::Yaml(&[NEWER]),
    );
    let (theirs, mine) = side.same(
        &[
            "audittemplate",
            "list",
            "--goal",
            "dummy",
            "--detail",
            "-f",
            "json",
        ],
        Shown::Nothing,
    );
    let listed = |text: &str| {
        without(
            serde_json::from_str(&ours_only(text, &run)).unwrap(),
            &[NEWER],
        )
    };
    assert_eq!(listed(&theirs.stdout), listed(&mine.stdout));
    side.same(
        &[
            "audittemplate",
            "update",
            &template,
            "replace",
            "description=second",
            "-f",
            "json",
        ],
        Shown::Json(&["Updated At", NEWER]),
    );

    // Audits: by template name with parameters, and by goal with watcherclient's defaults.
    let audit = |side: &mut Side, args: &[&str], names: (&str, &str)| -> (String, String) {
        let python: Vec<&str> = args
            .iter()
            .copied()
            .chain(["--name", names.0, "-f", "json"])
            .collect();
        let ours: Vec<&str> = args
            .iter()
            .copied()
            .chain(["--name", names.1, "-f", "json"])
            .collect();
        let (theirs, mine) = side.differing(&python, &ours, &[names], Shown::Nothing);
        let shown = |text: &str| {
            without(
                serde_json::from_str(text).unwrap(),
                &["UUID", "Name", "Created At", "State", "Updated At"],
            )
        };
        assert_eq!(
            shown(&theirs.stdout),
            shown(&mine.stdout),
            "audit create: the values differ"
        );
        (id_of(&theirs.stdout, "UUID"), id_of(&mine.stdout, "UUID"))
    };
    let a1 = (format!("seed-a1-py-{run}"), format!("seed-a1-ours-{run}"));
    let (py1, ours1) = audit(
        &mut side,
        &[
            "audit",
            "create",
            "-a",
            &template,
            "-p",
            "para1=2.0",
            "-p",
            "para2=hi",
            "--auto-trigger",
        ],
        (&a1.0, &a1.1),
    );
    let a2 = (format!("seed-a2-py-{run}"), format!("seed-a2-ours-{run}"));
    let (py2, ours2) = audit(
        &mut side,
        &["audit", "create", "-g", "dummy"],
        (&a2.0, &a2.1),
    );
    // Without Nova each ends FAILED in seconds.
    for uuid in [&py1, &ours1, &py2, &ours2] {
        eventually(
            &tool,
            &[
                "watcher", "audit", "show", uuid, "-f", "value", "-c", "State",
            ],
            |s| s.trim() == "FAILED",
        );
    }
    side.same(&["audit", "show", &py1, "-f", "json"], json);
    let (theirs, mine) = side.same(
        &["audit", "list", "--goal", "dummy", "-f", "json"],
        Shown::Nothing,
    );
    assert_eq!(
        ours_only(&theirs.stdout, &run),
        ours_only(&mine.stdout, &run)
    );
    side.same(
        &[
            "audit",
            "update",
            &py1,
            "replace",
            &format!("name=seed-renamed-{run}"),
            "-f",
            "json",
        ],
        Shown::Json(&["Updated At"]),
    );

    // Action plans (nop, sleep, nop), as the decision engine would make them, for an audit
    // of their own.
    let holder = tool
        .run(&[
            "watcher",
            "audit",
            "create",
            "-g",
            "dummy",
            "--name",
            &format!("seed-plans-{run}"),
            "-f",
            "value",
            "-c",
            "UUID",
        ])
        .ok()
        .trim()
        .to_string();
    eventually(
        &tool,
        &[
            "watcher", "audit", "show", &holder, "-f", "value", "-c", "State",
        ],
        |s| s.trim() == "FAILED",
    );
    let plans: Vec<String> = (0..4)
        .map(|_| seed(&vars, "OPSCLIENT_WATCHER_SEED_ACTION_PLAN", &holder))
        .collect();
    let (theirs, mine) = side.same(
        &["actionplan", "list", "--audit", &holder, "-f", "json"],
        json,
    );
    assert_eq!(theirs.stdout, mine.stdout);
    side.same(&["actionplan", "show", &plans[0], "-f", "json"], json);
    side.same(
        &[
            "action",
            "list",
            "--action-plan",
            &plans[0],
            "--detail",
            "-f",
            "json",
        ],
        json,
    );
    let action = |plan: &str| -> String {
        let actions = tool
            .run(&[
                "watcher",
                "action",
                "list",
                "--action-plan",
                plan,
                "-f",
                "value",
                "-c",
                "UUID",
            ])
            .ok();
        actions.lines().next().expect("an action").to_string()
    };
    let (act_py, act_ours) = (action(&plans[2]), action(&plans[3]));
    let skipped = Shown::Json(&["UUID", "Action Plan", "Created At", "Updated At", "Parents"]);
    side.differing(
        &[
            "action", "update", &act_py, "--state", "SKIPPED", "--reason", "not now", "-f", "json",
        ],
        &[
            "action", "update", &act_ours, "--state", "SKIPPED", "--reason", "not now", "-f",
            "json",
        ],
        &[(&act_py, &act_ours)],
        skipped,
    );
    let cancelled = Shown::Json(&["UUID", "Created At", "Updated At"]);
    side.differing(
        &["actionplan", "cancel", &plans[0], "-f", "json"],
        &["actionplan", "cancel", &plans[1], "-f", "json"],
        &[(&plans[0], &plans[1])],
        cancelled,
    );
    side.differing(
        &["actionplan", "delete", &plans[0]],
        &["actionplan", "delete", &plans[1]],
        &[(&plans[0], &plans[1])],
        Shown::Nothing,
    );
    // Several audits per delete: one request each, in order.
    side.differing(
        &["audit", "delete", &py1, &py2],
        &["audit", "delete", &ours2, &ours1],
        &[(&py1, &ours2), (&py2, &ours1)],
        Shown::Nothing,
    );
    let spare = format!("seed-at-spare-{run}");
    tool.run(&["watcher", "audittemplate", "create", &spare, "dummy"])
        .ok();
    side.differing(
        &["audittemplate", "delete", &template],
        &["audittemplate", "delete", &spare],
        &[(&template, &spare)],
        Shown::Nothing,
    );

    eprintln!(
        "compared with python-watcherclient ({}):\n{}",
        side.compared.len(),
        side.compared.join("\n")
    );
    assert!(side.compared.len() >= 20, "{}", side.compared.len());
}
