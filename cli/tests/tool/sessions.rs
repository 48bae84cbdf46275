//! Sensu sessions kept between runs, as sensuctl keeps them: `opsclient sensu configure` logs in
//! once, later commands reuse, renew and save the tokens, `opsclient sensu logout` ends them.
//! The sandbox runs in the test's process, so the test counts the logins and refreshes it
//! served; each tool has a home of its own, so its configuration directory starts empty.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use opsclient_sandbox::{Sandbox, SandboxBuilder};
use serde_json::Value;

use crate::tool_process::{Run, Tool, SANDBOX_PASSWORD, SANDBOX_USER};

/// A sandbox served by a runtime of the test's own (the tool runs as a blocking process).
struct Backend {
    // Dropped first: the server stops before its runtime does.
    sandbox: Sandbox,
    _runtime: tokio::runtime::Runtime,
}

impl Backend {
    fn start(builder: SandboxBuilder) -> Backend {
        let runtime = tokio::runtime::Runtime::new().expect("a runtime");
        let sandbox = runtime
            .block_on(builder.start())
            .expect("the sandbox starts");
        Backend {
            sandbox,
            _runtime: runtime,
        }
    }

    fn url(&self) -> String {
        self.sandbox.url()
    }

    /// How often the operation was called.
    fn calls(&self, operation: &str) -> u32 {
        self.sandbox
            .calls()
            .get(operation)
            .map_or(0, |calls| calls.total)
    }

    /// (logins, refreshes, logouts) served so far.
    fn auth_calls(&self) -> (u32, u32, u32) {
        (
            self.calls("authLogin"),
            self.calls("authRefreshToken"),
            self.calls("authLogout"),
        )
    }
}

/// A file outside the configuration directory holding the sandbox's password.
fn password_file(tool: &Tool) -> PathBuf {
    let path = tool.home().join("password.txt");
    std::fs::write(&path, format!("{SANDBOX_PASSWORD}\n")).unwrap();
    path
}

fn config_dir(tool: &Tool) -> PathBuf {
    tool.home().join(".config").join("opsclient")
}

fn profile_dir(tool: &Tool) -> PathBuf {
    config_dir(tool).join("sensu").join("default")
}

fn session_path(tool: &Tool) -> PathBuf {
    profile_dir(tool).join("session.json")
}

fn session(tool: &Tool) -> Value {
    serde_json::from_str(&std::fs::read_to_string(session_path(tool)).unwrap()).unwrap()
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

/// `configure` without questions, with `extra` options; gives its run.
fn configure(tool: &Tool, backend: &Backend, extra: &[&str]) -> Run {
    let password = password_file(tool);
    let url = backend.url();
    let mut args = vec![
        "sensu",
        "configure",
        "-n",
        "--url",
        &url,
        "--username",
        SANDBOX_USER,
        "--password-file",
        password.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    tool.run(&args)
}

/// Every file under `dir`, with its mode and contents.
fn files_under(dir: &Path) -> Vec<(PathBuf, u32, Vec<u8>)> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            found.extend(files_under(&path));
        } else {
            found.push((path.clone(), mode(&path), std::fs::read(&path).unwrap()));
        }
    }
    found
}

#[test]
fn configure_logs_in_once_and_later_commands_reuse_the_session() {
    let backend = Backend::start(Sandbox::builder());
    let tool = Tool::new();
    let configured = configure(&tool, &backend, &[]);
    configured.ok();
    assert!(
        configured.stderr().contains("Logged in"),
        "{}",
        configured.stderr()
    );
    assert_eq!(backend.auth_calls(), (1, 0, 0));

    let mut outputs = vec![configured.stdout(), configured.stderr()];
    for _ in 0..2 {
        let run = tool.run(&["sensu", "list-namespaces"]);
        let list = run.json();
        assert_eq!(list[0]["name"], "default");
        outputs.extend([run.stdout(), run.stderr()]);
    }
    assert_eq!(backend.auth_calls(), (1, 0, 0), "no login after configure");
    assert_eq!(backend.calls("listNamespaces"), 2);

    // Only the user can read what was saved, and the password is nowhere in it or in what
    // the tool printed.
    let dir = config_dir(&tool);
    for d in [
        dir.clone(),
        dir.join("sensu"),
        dir.join("sensu").join("default"),
    ] {
        assert_eq!(mode(&d), 0o700, "{}", d.display());
    }
    let files = files_under(&dir);
    let names: Vec<String> = files
        .iter()
        .map(|(p, _, _)| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    for expected in ["profile.json", "session.json"] {
        assert!(names.iter().any(|n| n == expected), "{names:?}");
    }
    for (path, file_mode, contents) in &files {
        assert_eq!(*file_mode, 0o600, "{}", path.display());
        let text = String::from_utf8_lossy(contents);
        assert!(!text.contains(SANDBOX_PASSWORD), "{}", path.display());
    }
    for output in &outputs {
        assert!(!output.contains(SANDBOX_PASSWORD), "{output}");
    }
    // The tokens are only in the session file, tied to the server and user.
    let saved = session(&tool);
    assert_eq!(saved["url"], backend.url());
    assert_eq!(saved["username"], SANDBOX_USER);
    let access = saved["access_token"].as_str().unwrap().to_string();
    assert!(!access.is_empty());
    let profile: Value = serde_json::from_str(
        &std::fs::read_to_string(profile_dir(&tool).join("profile.json")).unwrap(),
    )
    .unwrap();
    assert!(!profile.to_string().contains(&access), "{profile}");
    for output in &outputs {
        assert!(!output.contains(&access), "{output}");
    }
}

#[test]
fn xdg_config_home_holds_the_profile_when_set() {
    let backend = Backend::start(Sandbox::builder());
    let base = Tool::new();
    let xdg = base.home().join("xdg");
    let tool = base.env("XDG_CONFIG_HOME", xdg.to_str().unwrap());
    configure(&tool, &backend, &[]).ok();
    assert!(xdg
        .join("opsclient")
        .join("sensu")
        .join("default")
        .join("session.json")
        .is_file());
    assert!(!config_dir(&tool).exists());
    tool.run(&["sensu", "list-namespaces"]).json();
    assert_eq!(backend.auth_calls(), (1, 0, 0));
}

#[test]
fn the_profiles_namespace_and_format_apply_unless_the_command_says_otherwise() {
    let backend = Backend::start(Sandbox::builder());
    let tool = Tool::new();
    configure(&tool, &backend, &["--namespace", "ops", "--format", "yaml"]).ok();
    tool.run_with_input(
        &["sensu", "create-namespace", "--json-body", "-"],
        r#"{"name": "ops"}"#,
    )
    .ok();
    let check = serde_json::json!({
        "metadata": {"name": "cpu", "namespace": "ops"},
        "command": "check-cpu", "interval": 60, "subscriptions": ["linux"]
    });
    tool.run_with_input(
        &[
            "sensu",
            "create-or-update-check",
            "--check",
            "cpu",
            "--json-body",
            "-",
        ],
        &check.to_string(),
    )
    .ok();
    // The profile's namespace and YAML.
    let listed: Value = serde_yaml_ng::from_str(&tool.run(&["sensu", "list-checks"]).ok())
        .expect("YAML, the profile's format");
    assert_eq!(listed[0]["metadata"]["name"], "cpu");
    assert_eq!(listed[0]["metadata"]["namespace"], "ops");
    // The options win over the profile.
    let other = tool
        .run(&[
            "sensu",
            "list-checks",
            "--namespace",
            "default",
            "-o",
            "json",
        ])
        .json();
    assert_eq!(other, serde_json::json!([]));
    // And so does SENSU_NAMESPACE.
    let from_env = tool
        .command(&["sensu", "list-checks", "-o", "json"])
        .env("SENSU_NAMESPACE", "default")
        .output()
        .unwrap();
    assert_eq!(
        serde_json::from_slice::<Value>(&from_env.stdout).unwrap(),
        serde_json::json!([])
    );
    assert_eq!(backend.auth_calls(), (1, 0, 0));
}

#[test]
fn a_token_expired_at_the_server_is_refreshed_and_the_new_one_saved() {
    // Tokens live 4 s, well inside the 60 s threshold: each command finds its token due.
    let backend = Backend::start(Sandbox::builder().access_token_lifetime(Duration::from_secs(4)));
    let tool = Tool::new();
    configure(&tool, &backend, &[]).ok();
    let mut previous = session(&tool);
    std::thread::sleep(Duration::from_millis(4100));
    for round in 1..=3 {
        tool.run(&["sensu", "list-namespaces"]).json();
        let saved = session(&tool);
        for token in ["access_token", "refresh_token"] {
            assert_ne!(
                saved[token], previous[token],
                "round {round}: {token} not renewed"
            );
        }
        assert!(saved["expires_at"].as_u64() >= previous["expires_at"].as_u64());
        // One refresh per command, each with the refresh token the one before saved (the
        // sandbox ends the session when a used one comes back), and never a login.
        assert_eq!(backend.auth_calls(), (1, round, 0), "round {round}");
        assert_eq!(mode(&session_path(&tool)), 0o600);
        previous = saved;
    }
}

#[test]
fn commands_started_together_renew_a_due_session_once() {
    let backend = Backend::start(Sandbox::builder());
    let tool = Tool::new();
    configure(&tool, &backend, &[]).ok();
    // As if the access token had expired: the tool renews it before the command.
    let mut saved = session(&tool);
    saved["expires_at"] = 1.into();
    std::fs::write(session_path(&tool), saved.to_string()).unwrap();

    let children: Vec<_> = (0..4)
        .map(|_| {
            tool.command(&["sensu", "list-namespaces"])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let output = child.wait_with_output().unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    // One refresh: the others waited for it and used what it saved. Two refreshes with the
    // same refresh token would have ended the session on the server.
    assert_eq!(backend.auth_calls(), (1, 1, 0));
    assert_ne!(session(&tool)["access_token"], saved["access_token"]);
}

#[test]
fn logout_ends_the_session_and_later_commands_say_how_to_log_in() {
    let backend = Backend::start(Sandbox::builder());
    let tool = Tool::new();
    configure(&tool, &backend, &[]).ok();
    let logout = tool.run(&["sensu", "logout"]);
    logout.ok();
    assert!(
        logout.stderr().contains("Logged out"),
        "{}",
        logout.stderr()
    );
    assert_eq!(backend.auth_calls(), (1, 0, 1));
    assert!(!session_path(&tool).exists());
    assert!(profile_dir(&tool).join("profile.json").is_file());

    let refused = tool.run(&["sensu", "list-namespaces"]).fails(4);
    for part in [
        "not logged in",
        &backend.url(),
        "opsclient sensu configure",
        "SENSU_USERNAME",
    ] {
        assert!(refused.contains(part), "{part} missing from {refused}");
    }
    // Again: nothing to end.
    let again = tool.run(&["sensu", "logout"]);
    again.ok();
    assert!(
        again.stderr().contains("Not logged in"),
        "{}",
        again.stderr()
    );
    assert_eq!(backend.calls("authLogout"), 1);

    // With the password in the environment, the profile logs in again and keeps the session.
    let with_password = tool
        .command(&["sensu", "list-namespaces"])
        .env("SENSU_USERNAME", SANDBOX_USER)
        .env("SENSU_PASSWORD", SANDBOX_PASSWORD)
        .output()
        .unwrap();
    assert!(with_password.status.success());
    assert!(session_path(&tool).is_file());
    tool.run(&["sensu", "list-namespaces"]).json();
    assert_eq!(backend.auth_calls(), (2, 0, 1));
}

#[test]
fn a_session_the_server_ended_is_deleted_and_named() {
    // Sessions end a second after their last login or refresh, as the real one does after
    // six minutes; tokens live 2 s, so the next command must refresh.
    let backend = Backend::start(
        Sandbox::builder()
            .access_token_lifetime(Duration::from_secs(2))
            .session_lifetime(Duration::from_secs(1)),
    );
    let tool = Tool::new();
    configure(&tool, &backend, &[]).ok();
    std::thread::sleep(Duration::from_millis(2100));
    let refused = tool.run(&["sensu", "list-namespaces"]).fails(4);
    for part in ["has ended", "opsclient sensu configure"] {
        assert!(refused.contains(part), "{part} missing from {refused}");
    }
    assert!(!session_path(&tool).exists(), "a dead session was kept");
    assert_eq!(backend.auth_calls(), (1, 1, 0));
}

#[test]
fn tampered_or_exposed_session_files_are_clear_errors() {
    let backend = Backend::start(Sandbox::builder());
    let tool = Tool::new();
    configure(&tool, &backend, &[]).ok();
    let path = session_path(&tool);
    let original = std::fs::read_to_string(&path).unwrap();

    // Not JSON, or a field of the wrong type: the file is named, its contents are not shown.
    for tampered in [
        "{not json".to_string(),
        original.replace("\"expires_at\"", "\"expires_at_was\""),
        serde_json::json!({"url": backend.url(), "username": "admin",
            "access_token": ["secret-in-a-list"], "refresh_token": "r", "expires_at": 1})
        .to_string(),
    ] {
        std::fs::write(&path, &tampered).unwrap();
        let error = tool.run(&["sensu", "list-namespaces"]).fails(9);
        assert!(error.contains(path.to_str().unwrap()), "{error}");
        assert!(error.contains("opsclient sensu configure"), "{error}");
        assert!(!error.contains("secret-in-a-list"), "{error}");
    }

    // Readable by others: refused, as ssh refuses such a key.
    std::fs::write(&path, &original).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let error = tool.run(&["sensu", "list-namespaces"]).fails(9);
    assert!(
        error.contains("0644") && error.contains("chmod 600"),
        "{error}"
    );

    // configure writes it anew, private again; a broken profile does not stop it either.
    std::fs::write(profile_dir(&tool).join("profile.json"), "]").unwrap();
    configure(&tool, &backend, &[]).ok();
    assert_eq!(mode(&path), 0o600);
    tool.run(&["sensu", "list-namespaces"]).json();
}

#[test]
fn a_profiles_tokens_go_only_to_its_own_server() {
    let backend = Backend::start(Sandbox::builder());
    let other = Backend::start(Sandbox::builder());
    let tool = Tool::new();
    configure(&tool, &backend, &[]).ok();
    let before = std::fs::read_to_string(session_path(&tool)).unwrap();

    // Another server named on the command line gets no token: the sandbox tells a request
    // without credentials ("bad credentials") from one with a token it did not issue.
    let error = tool
        .run(&["--url", &other.url(), "sensu", "list-namespaces"])
        .fails(4);
    assert!(error.contains("bad credentials"), "{error}");
    // Another user in the environment does not use the profile's session either.
    let as_other_user = tool
        .command(&["sensu", "list-namespaces"])
        .env("SENSU_USERNAME", "someone-else")
        .env("SENSU_PASSWORD", "wrong")
        .output()
        .unwrap();
    assert_eq!(as_other_user.status.code(), Some(4));
    assert_eq!(
        std::fs::read_to_string(session_path(&tool)).unwrap(),
        before
    );
    // Its own login was tried, and refused; the profile's tokens were not refreshed.
    assert_eq!(backend.auth_calls(), (2, 0, 0));
    assert_eq!(backend.sandbox.calls()["authLogin"].succeeded, 1);
    assert_eq!(other.auth_calls(), (0, 0, 0));
}

#[test]
fn profiles_are_kept_apart_and_their_names_checked() {
    let backend = Backend::start(Sandbox::builder());
    let tool = Tool::new();
    configure(&tool, &backend, &["--profile", "staging"]).ok();
    assert!(config_dir(&tool)
        .join("sensu")
        .join("staging")
        .join("session.json")
        .is_file());
    assert!(!session_path(&tool).exists());
    tool.run(&["sensu", "--profile", "staging", "list-namespaces"])
        .json();
    let by_variable = tool
        .command(&["sensu", "list-namespaces"])
        .env("OPSCLIENT_PROFILE", "staging")
        .output()
        .unwrap();
    assert!(by_variable.status.success());
    assert_eq!(backend.auth_calls(), (1, 0, 0));
    let error = tool
        .run(&["sensu", "--profile", "../escape", "list-namespaces"])
        .fails(9);
    assert!(error.contains("profile name"), "{error}");
}

/// Reads the terminal's screen until `text` appears on it.
fn wait_for(screen: &mut impl std::io::Read, seen: &mut Vec<u8>, text: &str) {
    let mut chunk = [0u8; 256];
    while !String::from_utf8_lossy(seen).contains(text) {
        let n = screen.read(&mut chunk).expect("the screen");
        assert!(n > 0, "no {text:?}: {}", String::from_utf8_lossy(seen));
        seen.extend_from_slice(&chunk[..n]);
    }
}

#[test]
fn configure_asks_what_the_options_do_not_give_and_hides_the_password() {
    use std::io::{Read, Write};
    let backend = Backend::start(Sandbox::builder());
    let tool = Tool::new();
    let mut child = tool
        .command_in_terminal(&["sensu", "configure"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("script runs");
    let mut screen = child.stdout.take().expect("a screen");
    let mut keyboard = child.stdin.take().expect("a keyboard");
    let mut seen = Vec::new();
    let url = backend.url();
    for (question, answer) in [
        ("Sensu API URL [http://localhost:8080]: ", url.as_str()),
        ("Username: ", SANDBOX_USER),
        ("Sensu password: ", SANDBOX_PASSWORD),
        ("Namespace [default]: ", ""),
        ("Output format (json, yaml, table, value) [table]: ", "json"),
    ] {
        wait_for(&mut screen, &mut seen, question);
        writeln!(keyboard, "{answer}").expect("typed");
    }
    screen.read_to_end(&mut seen).expect("the screen");
    let status = child.wait().expect("the tool ends");
    let shown = String::from_utf8_lossy(&seen);
    assert!(status.success(), "{shown}");
    assert!(
        !shown.contains(SANDBOX_PASSWORD),
        "the password is echoed: {shown}"
    );
    assert!(shown.contains("Logged in"), "{shown}");
    let profile: Value = serde_json::from_str(
        &std::fs::read_to_string(profile_dir(&tool).join("profile.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(profile["url"], url);
    assert_eq!(profile["namespace"], "default");
    assert_eq!(profile["format"], "json");
    assert_eq!(backend.auth_calls(), (1, 0, 0));
}

#[test]
fn configure_without_a_password_or_a_terminal_says_how_to_give_one() {
    let backend = Backend::start(Sandbox::builder());
    let tool = Tool::new();
    let url = backend.url();
    let error = tool
        .run(&[
            "sensu",
            "configure",
            "-n",
            "--url",
            &url,
            "--username",
            "admin",
        ])
        .fails(9);
    assert!(
        error.contains("SENSU_PASSWORD") && error.contains("--password-file"),
        "{error}"
    );
    // A wrong password writes nothing.
    let wrong = tool
        .command(&[
            "sensu",
            "configure",
            "-n",
            "--url",
            &url,
            "--username",
            "admin",
        ])
        .env("SENSU_PASSWORD", "not-the-password")
        .output()
        .unwrap();
    assert_eq!(wrong.status.code(), Some(4));
    let stderr = String::from_utf8_lossy(&wrong.stderr);
    assert!(stderr.contains("cannot log in"), "{stderr}");
    assert!(!stderr.contains("not-the-password"), "{stderr}");
    assert!(!profile_dir(&tool).exists());
}

/// The Keystone token file of the `OS_*` variables' cloud, or of the cloud `name`.
fn keystone_token_path(tool: &Tool, cloud: Option<&str>) -> PathBuf {
    let openstack = config_dir(tool).join("openstack");
    match cloud {
        Some(name) => openstack.join("clouds").join(name).join("token.json"),
        None => openstack.join("env").join("token.json"),
    }
}

#[test]
fn keystone_tokens_are_kept_by_cloud_and_replaced_when_refused() {
    use crate::real_openstack::requests;
    use crate::tool_process::{openstack_tool, real_openstack};
    let Some(vars) = real_openstack("keystone_tokens_are_kept_by_cloud_and_replaced_when_refused")
    else {
        return;
    };
    // Keystone's tokens live 30 s here, renewed 10 s before: each is reused for about 20 s.
    let tool = openstack_tool(&vars);
    let catalog = ["--debug", "keystone", "get-catalog", "-o", "json"];
    let first = tool.run(&catalog);
    first.json();
    assert_eq!(requests(&first, "issueToken"), 1, "{}", first.stderr());
    let second = tool.run(&catalog);
    second.json();
    assert_eq!(requests(&second, "issueToken"), 0, "{}", second.stderr());
    // A service's client starts from the saved catalog too.
    let watcher = tool.run(&["--debug", "watcher", "list-goals", "-o", "json"]);
    watcher.json();
    assert_eq!(requests(&watcher, "issueToken"), 0, "{}", watcher.stderr());

    let path = keystone_token_path(&tool, None);
    assert_eq!(mode(&path), 0o600);
    assert_eq!(mode(path.parent().unwrap()), 0o700);
    let saved: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let text = saved.to_string();
    assert!(
        !text.contains(&vars["OS_PASSWORD"]),
        "the password was saved"
    );
    assert!(
        text.contains("\"admin\""),
        "the identity names the user: {text}"
    );
    for output in [&first, &second, &watcher] {
        let token = saved["token"].as_str().unwrap();
        assert!(!output.stdout().contains(token) && !output.stderr().contains(token));
    }

    // A token Keystone no longer accepts: refused once, replaced by a login, saved.
    let mut revoked = saved.clone();
    revoked["token"] = "gAAAAAB-not-a-token-keystone-issued".into();
    std::fs::write(&path, revoked.to_string()).unwrap();
    let replaced = tool.run(&catalog);
    replaced.json();
    assert_eq!(
        requests(&replaced, "issueToken"),
        1,
        "{}",
        replaced.stderr()
    );
    let now: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_ne!(now["token"], revoked["token"]);

    // Another user's login does not take this token: it logs in as itself (and is refused).
    let wrong = tool
        .command(&["keystone", "get-catalog"])
        .env("OS_USERNAME", "someone-else")
        .output()
        .unwrap();
    assert_eq!(wrong.status.code(), Some(4));

    // By cloud name: clouds.yaml's cloud has a file of its own.
    let cloud = &vars["OPSCLIENT_CLOUD"];
    let by_cloud = Tool::new().env("OS_CLIENT_CONFIG_FILE", &vars["OPSCLIENT_CLOUDS_YAML"]);
    let args = [
        "--debug",
        "keystone",
        "--os-cloud",
        cloud,
        "get-catalog",
        "-o",
        "json",
    ];
    let logins: Vec<usize> = (0..2)
        .map(|_| {
            let run = by_cloud.run(&args);
            run.json();
            requests(&run, "issueToken")
        })
        .collect();
    assert_eq!(logins, [1, 0]);
    assert!(keystone_token_path(&by_cloud, Some(cloud)).is_file());
    assert!(!keystone_token_path(&by_cloud, None).exists());
}

#[test]
fn without_a_configuration_directory_commands_work_and_configure_says_why_it_cannot() {
    let backend = Backend::start(Sandbox::builder());
    let tool = Tool::new();
    let listed = tool
        .command(&["sensu", "list-namespaces"])
        .env_remove("HOME")
        .env("SENSU_API_URL", backend.url())
        .env("SENSU_USERNAME", SANDBOX_USER)
        .env("SENSU_PASSWORD", SANDBOX_PASSWORD)
        .output()
        .unwrap();
    assert!(
        listed.status.success(),
        "{}",
        String::from_utf8_lossy(&listed.stderr)
    );
    let configured = tool
        .command(&[
            "sensu",
            "configure",
            "-n",
            "--url",
            &backend.url(),
            "--username",
            "admin",
        ])
        .env_remove("HOME")
        .env("SENSU_PASSWORD", SANDBOX_PASSWORD)
        .output()
        .unwrap();
    assert_eq!(configured.status.code(), Some(9));
    let stderr = String::from_utf8_lossy(&configured.stderr);
    assert!(stderr.contains("HOME"), "{stderr}");
    assert!(!config_dir(&tool).exists());
}
