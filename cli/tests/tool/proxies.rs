//! The tool behind the real HTTP proxies of `cargo xtask servers up` (tinyproxy): it honours
//! `HTTP_PROXY`, `HTTPS_PROXY` and `NO_PROXY` as curl does, `--proxy` and `--no-proxy` override
//! them, and a proxy password never reaches the terminal. Each run is a process of its own with
//! only the variables its test gives, so the variables cannot leak between tests. A request
//! went through a proxy when the proxy's log shows it; it went around one when the proxy is a
//! port nothing listens on and the call still succeeds.

use std::collections::HashMap;

use crate::tool_process::{free_port, openstack_tool, real_openstack, Tool};

/// Requests through one proxy are counted in its log: the tests take turns.
static TURNS: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// The requests in the log of setting `log_var` whose request line starts with `line`.
fn passed(vars: &HashMap<String, String>, log_var: &str, line: &str) -> usize {
    let needle = format!("): {line}");
    std::fs::read_to_string(&vars[log_var])
        .unwrap()
        .lines()
        .filter(|l| l.contains("Request (file descriptor") && l.contains(&needle))
        .count()
}

/// A password login at Keystone, as the proxy logs a forwarded one.
fn login_line(vars: &HashMap<String, String>) -> String {
    format!(
        "POST {}/auth/tokens",
        vars["OS_AUTH_URL"].trim_end_matches('/')
    )
}

/// A proxy URL where nothing listens.
fn dead_proxy() -> String {
    format!("http://127.0.0.1:{}", free_port())
}

/// The tool logging in without a token (tokenless X.509) over HTTPS, trusting the test CA.
fn tokenless_tool(vars: &HashMap<String, String>) -> Tool {
    Tool::new()
        .env("OS_AUTH_TYPE", "v3tokenlessauth")
        .env("OS_AUTH_URL", &vars["OPSCLIENT_TOKENLESS_AUTH_URL"])
        .env("OS_CERT", &vars["OPSCLIENT_TLS_CLIENT_CERT"])
        .env("OS_KEY", &vars["OPSCLIENT_TLS_CLIENT_KEY"])
        .env("OS_CACERT", &vars["OPSCLIENT_TLS_CA"])
        .env("OS_PROJECT_ID", &vars["OPSCLIENT_TOKENLESS_PROJECT_ID"])
}

const CATALOG: [&str; 6] = ["keystone", "get-catalog", "-o", "value", "-c", "type"];
const PROJECTS: [&str; 6] = ["keystone", "list-auth-projects", "-o", "value", "-c", "id"];

#[test]
fn http_proxy_and_https_proxy_carry_the_tools_requests() {
    let Some(vars) = real_openstack("http_proxy_and_https_proxy_carry_the_tools_requests") else {
        return;
    };
    let _turn = TURNS.lock().unwrap_or_else(|e| e.into_inner());
    let proxy = &vars["OPSCLIENT_PROXY_URL"];

    let line = login_line(&vars);
    let before = passed(&vars, "OPSCLIENT_PROXY_LOG", &line);
    let types = openstack_tool(&vars)
        .env("HTTP_PROXY", proxy)
        .run(&CATALOG)
        .ok();
    assert!(types.lines().any(|t| t == "identity"), "{types}");
    assert_eq!(passed(&vars, "OPSCLIENT_PROXY_LOG", &line), before + 1);

    // HTTPS goes to the proxy of HTTPS_PROXY, in a CONNECT tunnel; HTTP_PROXY is not asked.
    let url = &vars["OPSCLIENT_TOKENLESS_AUTH_URL"];
    let authority = url.split('/').nth(2).unwrap();
    let line = format!("CONNECT {authority}");
    let before = passed(&vars, "OPSCLIENT_PROXY_LOG", &line);
    let projects = tokenless_tool(&vars)
        .env("HTTPS_PROXY", proxy)
        .env("HTTP_PROXY", dead_proxy())
        .run(&PROJECTS)
        .ok();
    assert_eq!(projects.trim(), vars["OPSCLIENT_TOKENLESS_PROJECT_ID"]);
    assert!(passed(&vars, "OPSCLIENT_PROXY_LOG", &line) > before);
}

#[test]
fn no_proxy_and_no_proxy_option_go_around_the_proxy() {
    let Some(vars) = real_openstack("no_proxy_and_no_proxy_option_go_around_the_proxy") else {
        return;
    };
    let dead = dead_proxy();
    // Through a proxy that is not there the call cannot succeed (8: transport failure)...
    let error = openstack_tool(&vars)
        .env("HTTP_PROXY", &dead)
        .run(&CATALOG)
        .fails(8);
    assert!(!error.is_empty());
    // ...unless NO_PROXY names the server's host, or --no-proxy turns proxies off.
    let direct = openstack_tool(&vars)
        .env("HTTP_PROXY", &dead)
        .env("NO_PROXY", "localhost,127.0.0.1")
        .run(&CATALOG)
        .ok();
    assert!(direct.lines().any(|t| t == "identity"), "{direct}");
    let direct = openstack_tool(&vars)
        .env("HTTP_PROXY", &dead)
        .run(&[
            "keystone",
            "get-catalog",
            "--no-proxy",
            "-o",
            "value",
            "-c",
            "type",
        ])
        .ok();
    assert!(direct.lines().any(|t| t == "identity"), "{direct}");
    // --proxy wins over the environment, NO_PROXY included.
    openstack_tool(&vars)
        .env("NO_PROXY", "127.0.0.1")
        .run(&["keystone", "get-catalog", "--proxy", &dead])
        .fails(8);
    // The same for HTTPS and NO_PROXY.
    let projects = tokenless_tool(&vars)
        .env("HTTPS_PROXY", &dead)
        .env("NO_PROXY", "127.0.0.1")
        .run(&PROJECTS)
        .ok();
    assert_eq!(projects.trim(), vars["OPSCLIENT_TOKENLESS_PROJECT_ID"]);
}

#[test]
fn a_proxy_password_stays_out_of_the_terminal() {
    let Some(vars) = real_openstack("a_proxy_password_stays_out_of_the_terminal") else {
        return;
    };
    let _turn = TURNS.lock().unwrap_or_else(|e| e.into_inner());
    let user = &vars["OPSCLIENT_PROXY_USERNAME"];
    let password = &vars["OPSCLIENT_PROXY_PASSWORD"];
    let with = |password: &str| {
        vars["OPSCLIENT_AUTH_PROXY_URL"].replacen("://", &format!("://{user}:{password}@"), 1)
    };
    // The right credentials in HTTPS_PROXY open the tunnel.
    let projects = tokenless_tool(&vars)
        .env("HTTPS_PROXY", with(password))
        .run(&PROJECTS)
        .ok();
    assert_eq!(projects.trim(), vars["OPSCLIENT_TOKENLESS_PROJECT_ID"]);

    // A wrong one: refused, and neither the error nor the debug log shows it.
    let wrong = format!("{password}-wrong");
    let run = tokenless_tool(&vars)
        .env("HTTPS_PROXY", with(&wrong))
        .run(&["keystone", "list-auth-projects", "--debug"]);
    let error = run.fails(8);
    assert!(error.contains("proxy refused"), "{error}");
    assert!(!error.contains(&wrong), "{error}");
    assert!(!run.stdout().contains(&wrong));

    // No credentials: 407, said as such.
    let error = openstack_tool(&vars)
        .env("HTTP_PROXY", &vars["OPSCLIENT_AUTH_PROXY_URL"])
        .run(&CATALOG)
        .fails(8);
    assert!(
        error.contains("407 Proxy Authentication Required"),
        "{error}"
    );

    // A password in --proxy would show in the process list: refused, without repeating it.
    let error = openstack_tool(&vars)
        .run(&["keystone", "get-catalog", "--proxy", &with(&wrong)])
        .fails(9);
    assert!(error.contains("process list"), "{error}");
    assert!(!error.contains(&wrong), "{error}");
}

#[test]
fn clouds_yaml_proxy_and_no_proxy() {
    let Some(vars) = real_openstack("clouds_yaml_proxy_and_no_proxy") else {
        return;
    };
    let _turn = TURNS.lock().unwrap_or_else(|e| e.into_inner());
    // The test cloud's entry, with one more key at its end.
    let base = std::fs::read_to_string(&vars["OPSCLIENT_CLOUDS_YAML"]).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let with_key = |name: &str, key: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, format!("{base}    {key}\n")).unwrap();
        path.to_str().unwrap().to_string()
    };
    let cloud = &vars["OPSCLIENT_CLOUD"];
    let args = [&["keystone", "--os-cloud", cloud.as_str()], &CATALOG[1..]].concat();

    let proxied = with_key(
        "proxy.yaml",
        &format!("proxy: \"{}\"", vars["OPSCLIENT_PROXY_URL"]),
    );
    let line = login_line(&vars);
    let before = passed(&vars, "OPSCLIENT_PROXY_LOG", &line);
    let types = Tool::new()
        .env("OS_CLIENT_CONFIG_FILE", proxied)
        .run(&args)
        .ok();
    assert!(types.lines().any(|t| t == "identity"), "{types}");
    assert_eq!(passed(&vars, "OPSCLIENT_PROXY_LOG", &line), before + 1);

    let direct = with_key("direct.yaml", "no_proxy: true");
    let types = Tool::new()
        .env("OS_CLIENT_CONFIG_FILE", &direct)
        .env("HTTP_PROXY", dead_proxy())
        .run(&args)
        .ok();
    assert!(types.lines().any(|t| t == "identity"), "{types}");
    // Without the key, the same cloud goes to the dead proxy.
    Tool::new()
        .env("OS_CLIENT_CONFIG_FILE", &vars["OPSCLIENT_CLOUDS_YAML"])
        .env("HTTP_PROXY", dead_proxy())
        .run(&args)
        .fails(8);
}
