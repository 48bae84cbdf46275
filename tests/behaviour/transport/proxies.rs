//! A proxy set on the builder or in `clouds.yaml`, without the environment: a local server
//! stands in as the forward proxy of plain HTTP and records what reached it (the server's host
//! does not resolve, so only the proxy can have answered); the proxy's password goes in
//! `Proxy-Authorization` and nowhere else: not in `Debug`, logs or errors. The real proxy
//! (tinyproxy: `CONNECT`, Basic credentials, the environment's variables and `NO_PROXY`) is in
//! `tests/real/proxies.rs` and the tool's tests.

#![cfg(all(feature = "sensu", feature = "openstack"))]

use std::io::Write;

use opsclient::error::ProxyRefusal;
use opsclient::openstack::Cloud;
use opsclient::sensu::Client;
use opsclient::{Error, RetryPolicy};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::fixed_env::env;
use crate::support::recorder::Recorder;

const PASSWORD: &str = "pr0xy-s3cret";

/// A host name that never resolves (RFC 6761).
const UNRESOLVABLE: &str = "http://sensu.invalid:8080";

/// A forward proxy that answers Sensu's namespace list.
async fn forward_proxy() -> MockServer {
    let proxy = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/core/v2/namespaces"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!([])))
        .mount(&proxy)
        .await;
    proxy
}

/// `http://ann:<PASSWORD>@127.0.0.1:<port>` of a local server.
fn with_credentials(server: &MockServer) -> String {
    let address = server.address();
    format!("http://ann:{PASSWORD}@{address}")
}

/// The text of an error and of every error it came from.
fn chain(error: &Error) -> String {
    let mut text = format!("{error:?}\n{error}");
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(&format!("\n{cause}"));
        source = cause.source();
    }
    text
}

#[tokio::test]
async fn a_builder_proxy_carries_the_requests_with_its_credentials() {
    let proxy = forward_proxy().await;
    let log = Recorder::start();
    let builder = Client::builder()
        .url(UNRESOLVABLE)
        .api_key("k")
        .proxy(with_credentials(&proxy));
    let client = builder.clone().build().unwrap();
    client.list_namespaces().send().await.unwrap();

    let received = proxy.received_requests().await.unwrap();
    assert_eq!(received.len(), 1);
    let header = |name: &str| {
        received[0]
            .headers
            .get(name)
            .map(|v| v.to_str().unwrap().to_string())
    };
    assert_eq!(header("host").as_deref(), Some("sensu.invalid:8080"));
    // Basic, of `ann:<PASSWORD>`.
    let expected = format!(
        "Basic {}",
        base64::Engine::encode(
            &base64::engine::general_purpose::STANDARD,
            format!("ann:{PASSWORD}")
        )
    );
    assert_eq!(header("proxy-authorization"), Some(expected));

    // The proxy is shown with its user, never its password.
    let debug = format!("{builder:?}");
    assert!(debug.contains("ann:[redacted]@127.0.0.1"), "{debug}");
    assert!(!debug.contains(PASSWORD), "{debug}");
    let debug = format!("{client:?}");
    assert!(!debug.contains(PASSWORD), "{debug}");
    let logged = log.text();
    assert!(logged.contains("proxy set on the builder"), "{logged}");
    assert!(logged.contains("ann:[redacted]@127.0.0.1"), "{logged}");
    assert!(!logged.contains(PASSWORD), "{logged}");
}

#[tokio::test]
async fn a_proxy_that_cannot_be_reached_fails_without_showing_its_password() {
    let client = Client::builder()
        .url(UNRESOLVABLE)
        .api_key("k")
        .retry(RetryPolicy::disabled())
        .proxy(format!("http://ann:{PASSWORD}@127.0.0.1:1"))
        .build()
        .unwrap();
    let error = client.list_namespaces().send().await.unwrap_err();
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    let text = chain(&error);
    assert!(!text.contains(PASSWORD), "{text}");
}

#[tokio::test]
async fn a_proxy_that_refuses_the_credentials_is_a_typed_error() {
    let proxy = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(407).insert_header("Proxy-Authenticate", "Basic realm=\"p\""),
        )
        .expect(1)
        .mount(&proxy)
        .await;
    let client = Client::builder()
        .url(UNRESOLVABLE)
        .api_key("k")
        .proxy(with_credentials(&proxy))
        .build()
        .unwrap();
    let error = client.list_namespaces().send().await.unwrap_err();
    assert!(
        matches!(error, Error::ProxyRefused(ProxyRefusal::Credentials)),
        "{error:?}"
    );
    assert_eq!(error.status().map(|s| s.as_u16()), Some(407));
    assert!(!error.is_retryable());
    assert!(!chain(&error).contains(PASSWORD));
}

#[test]
fn a_proxy_url_that_is_not_usable_is_a_config_error_without_its_password() {
    for url in [
        format!("socks5://ann:{PASSWORD}@127.0.0.1:1080"),
        format!("http://ann:{PASSWORD}@127.0.0.1:3128/some/path"),
    ] {
        let error = Client::builder()
            .url(UNRESOLVABLE)
            .proxy(url.as_str())
            .build()
            .unwrap_err();
        assert!(matches!(error, Error::Config(_)), "{url}: {error:?}");
        let text = chain(&error);
        assert!(text.contains("the proxy URL"), "{text}");
        assert!(!text.contains(PASSWORD), "{text}");
    }
}

/// `clouds.yaml` with the cloud `proxied` (Keystone on a host that does not resolve, through
/// `proxy`) and the cloud `both` (a proxy and `no_proxy: true`).
fn clouds_yaml(proxy: &str) -> tempfile::NamedTempFile {
    let mut file = tempfile::NamedTempFile::new().unwrap();
    write!(
        file,
        "clouds:\n  proxied:\n    auth:\n      auth_url: http://keystone.invalid:5000/v3\n      \
         username: u\n      password: p\n      project_id: x\n    proxy: \"{proxy}\"\n  \
         both:\n    auth:\n      auth_url: http://keystone.invalid:5000/v3\n      \
         username: u\n      password: p\n      project_id: x\n    proxy: \"{proxy}\"\n    \
         no_proxy: true\n"
    )
    .unwrap();
    file
}

#[tokio::test]
async fn clouds_yaml_proxy_carries_the_login() {
    let proxy = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v3/auth/tokens"))
        .respond_with(ResponseTemplate::new(407))
        .expect(1)
        .mount(&proxy)
        .await;
    let file = clouds_yaml(&with_credentials(&proxy));
    let path = file.path().to_str().unwrap();
    let builder = Cloud::builder()
        .env_from(env(&[
            ("OS_CLOUD", "proxied"),
            ("OS_CLIENT_CONFIG_FILE", path),
        ]))
        .unwrap();
    let debug = format!("{builder:?}");
    assert!(
        debug.contains("ann:[redacted]@127.0.0.1") && !debug.contains(PASSWORD),
        "{debug}"
    );
    // Only the proxy can answer for keystone.invalid: the login went through it.
    let error = builder.authenticate().await.unwrap_err();
    assert!(
        matches!(error, Error::ProxyRefused(ProxyRefusal::Credentials)),
        "{error:?}"
    );
    let received = proxy.received_requests().await.unwrap();
    assert_eq!(
        received[0].headers.get("host").unwrap(),
        "keystone.invalid:5000"
    );

    let error = Cloud::builder()
        .env_from(env(&[
            ("OS_CLOUD", "both"),
            ("OS_CLIENT_CONFIG_FILE", path),
        ]))
        .unwrap_err()
        .to_string();
    assert!(error.contains("no_proxy is true"), "{error}");
    assert!(!error.contains(PASSWORD), "{error}");
}
