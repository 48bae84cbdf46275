//! The library through real HTTP proxies (tinyproxy, started by `cargo xtask servers up`): HTTPS
//! to Apache's tokenless Keystone in a `CONNECT` tunnel, plain HTTP to Keystone forwarded, and
//! a proxy that asks for Basic credentials. Each proxy's log shows every request it passed on,
//! which proves the request went through it. The environment's variables and `NO_PROXY` are
//! tested through the tool, a process of its own (`cli/tests/tool/proxies.rs`), and so is
//! `.no_proxy()` (`--no-proxy`), which differs from the default only when a variable names a
//! proxy.

#![cfg(all(feature = "watcher", feature = "monasca"))]

use opsclient::error::ProxyRefusal;
use opsclient::openstack::{Cloud, CloudBuilder};
use opsclient::Error;

use crate::federation::tokenless;
use crate::servers::{access, token_of, Real};
use crate::support::recorder::Recorder;

/// What a refused request's error must be.
type Outcome<'a> = &'a dyn Fn(&Error) -> bool;

/// Requests through one proxy are counted in its log; the tests take turns so that each sees
/// only its own.
static TURNS: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// The requests the proxy whose log is in `log_var` passed on whose request line starts with
/// `line` (`CONNECT 127.0.0.1:5443`, `POST http://127.0.0.1:5000/v3/auth/tokens`).
fn passed(real: &Real, log_var: &str, line: &str) -> usize {
    let needle = format!("): {line}");
    std::fs::read_to_string(real.var(log_var))
        .unwrap()
        .lines()
        .filter(|l| l.contains("Request (file descriptor") && l.contains(&needle))
        .count()
}

/// The `CONNECT` line of Apache's TLS port.
fn connect_line(real: &Real) -> String {
    let url = url::Url::parse(&real.var("OPSCLIENT_TOKENLESS_AUTH_URL")).unwrap();
    format!(
        "CONNECT {}:{}",
        url.host_str().unwrap(),
        url.port().unwrap()
    )
}

/// The request line of a password login at Keystone.
fn login_line(real: &Real) -> String {
    format!(
        "POST {}/auth/tokens",
        real.var("OS_AUTH_URL").trim_end_matches('/')
    )
}

/// The authenticating proxy's URL with `user` and `password` in it.
fn with_credentials(real: &Real, user: &str, password: &str) -> String {
    let url = real.var("OPSCLIENT_AUTH_PROXY_URL");
    url.replacen("://", &format!("://{user}:{password}@"), 1)
}

/// Logs in without a token (tokenless X.509 over HTTPS) and says whose scopes Keystone lists:
/// the certificate's user has the project `service` only.
async fn tokenless_login(builder: CloudBuilder) -> opsclient::Result<Vec<String>> {
    let cloud = builder.authenticate().await?;
    let keystone = cloud.keystone().expect("Keystone's client");
    let projects = keystone.list_auth_projects().send().await?;
    Ok(projects.projects.iter().map(|p| p.id.clone()).collect())
}

/// Watcher's goals with `token`, straight to Watcher's URL (no Keystone) through `proxy`.
async fn watcher_goals(token: &str, real: &Real, proxy: &str) -> opsclient::Result<()> {
    let cloud = Cloud::builder()
        .token(token)
        .endpoint("infra-optim", real.var("OPSCLIENT_WATCHER_URL"))
        .proxy(proxy)
        .authenticate()
        .await?;
    let watcher = opsclient::watcher::Client::from_cloud(&cloud).await?;
    watcher.list_goals().send().await.map(drop)
}

fn tokenless_cloud(real: &Real) -> CloudBuilder {
    tokenless(
        real,
        "OPSCLIENT_TLS_CLIENT_CERT",
        "OPSCLIENT_TLS_CLIENT_KEY",
    )
}

#[tokio::test]
async fn https_goes_through_the_proxy_in_a_connect_tunnel() {
    let Some(real) = Real::get("https_goes_through_the_proxy_in_a_connect_tunnel") else {
        return;
    };
    let _turn = TURNS.lock().await;
    let line = connect_line(&real);
    let before = passed(&real, "OPSCLIENT_PROXY_LOG", &line);
    let builder = tokenless_cloud(&real).proxy(real.var("OPSCLIENT_PROXY_URL"));
    let projects = tokenless_login(builder).await.unwrap();
    assert_eq!(projects, [real.var("OPSCLIENT_TOKENLESS_PROJECT_ID")]);
    let after = passed(&real, "OPSCLIENT_PROXY_LOG", &line);
    assert!(after > before, "no {line} in the proxy's log");
}

#[tokio::test]
async fn plain_http_goes_through_the_proxy() {
    let Some(real) = Real::get("plain_http_goes_through_the_proxy") else {
        return;
    };
    let _turn = TURNS.lock().await;
    let line = login_line(&real);
    let before = passed(&real, "OPSCLIENT_PROXY_LOG", &line);
    let cloud = real
        .builder()
        .proxy(real.var("OPSCLIENT_PROXY_URL"))
        .authenticate()
        .await
        .unwrap();
    let token = token_of(&real.cloud().await, &cloud).await;
    assert_eq!(token.user.name, real.var("OS_USERNAME"));
    assert_eq!(
        passed(&real, "OPSCLIENT_PROXY_LOG", &line),
        before + 1,
        "the login is not in the proxy's log"
    );
}

#[tokio::test]
async fn an_authenticating_proxy_takes_the_user_and_password_of_its_url() {
    let Some(real) = Real::get("an_authenticating_proxy_takes_the_user_and_password_of_its_url")
    else {
        return;
    };
    let _turn = TURNS.lock().await;
    let log = Recorder::start();
    let user = real.var("OPSCLIENT_PROXY_USERNAME");
    let password = real.var("OPSCLIENT_PROXY_PASSWORD");
    let good = with_credentials(&real, &user, &password);

    // HTTPS in a tunnel, and plain HTTP, with the right credentials.
    let line = connect_line(&real);
    let before = passed(&real, "OPSCLIENT_AUTH_PROXY_LOG", &line);
    let projects = tokenless_login(tokenless_cloud(&real).proxy(&good))
        .await
        .unwrap();
    assert_eq!(projects, [real.var("OPSCLIENT_TOKENLESS_PROJECT_ID")]);
    assert!(passed(&real, "OPSCLIENT_AUTH_PROXY_LOG", &line) > before);
    let cloud = real.builder().proxy(&good).authenticate().await.unwrap();
    let token = token_of(&real.cloud().await, &cloud).await;
    assert_eq!(token.user.name, real.var("OS_USERNAME"));

    // A GET for the forwarded case: a proxy that refuses a request with a body closes the
    // connection without reading it, and the reset may reach the client before the 407.
    let token = access(&real.cloud().await).await;
    // A wrong password, and none: the proxy refuses CONNECT and the forwarded request alike,
    // and the client does not send again (one request each). tinyproxy answers 407 without
    // credentials and 401 with wrong ones, which an HTTPS client sees only as a refused tunnel.
    let wrong_password = format!("{password}-wrong");
    let wrong = with_credentials(&real, &user, &wrong_password);
    let bare = real.var("OPSCLIENT_AUTH_PROXY_URL");
    let tunnel_refused = |e: &Error| matches!(e, Error::ProxyRefused(ProxyRefusal::Tunnel));
    let proxy_401 =
        |e: &Error| matches!(e, Error::Unauthorized(a) if a.message.contains("tinyproxy"));
    let proxy_407 = |e: &Error| matches!(e, Error::ProxyRefused(ProxyRefusal::Credentials));
    let cases: [(&str, &String, bool, Outcome); 4] = [
        ("tunnel, wrong password", &wrong, true, &tunnel_refused),
        ("forwarded, wrong password", &wrong, false, &proxy_401),
        ("tunnel, no credentials", &bare, true, &proxy_407),
        ("forwarded, no credentials", &bare, false, &proxy_407),
    ];
    for (case, proxy, tunnel, expected) in cases {
        let line = if tunnel {
            connect_line(&real)
        } else {
            format!("GET {}", real.var("OPSCLIENT_WATCHER_URL"))
        };
        let before = passed(&real, "OPSCLIENT_AUTH_PROXY_LOG", &line);
        let outcome = if tunnel {
            let builder = tokenless_cloud(&real).proxy(proxy.as_str());
            tokenless_login(builder).await.map(drop)
        } else {
            watcher_goals(&token, &real, proxy).await
        };
        let error = outcome.expect_err(case);
        assert!(expected(&error), "{case}: {error:?}");
        assert_eq!(
            passed(&real, "OPSCLIENT_AUTH_PROXY_LOG", &line),
            before + 1,
            "{case}"
        );
        let mut text = format!("{error:?} {error}");
        let mut source = std::error::Error::source(&error);
        while let Some(cause) = source {
            text.push_str(&format!(" {cause}"));
            source = cause.source();
        }
        assert!(!text.contains(&wrong_password), "{case}: {text}");
    }
    let logged = log.text();
    assert!(logged.contains("[redacted]@127.0.0.1"), "{logged}");
    assert!(!logged.contains(&password), "{logged}");
}
