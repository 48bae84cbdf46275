//! Configuration from sensuctl's environment variables and from host/port settings.

use std::time::Duration;

use crate::fixed_env::env;
use opsclient::error::ConfigError;
use opsclient::sensu::Client;
use opsclient::Error;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn config_error(result: opsclient::Result<impl std::fmt::Debug>) -> ConfigError {
    match result {
        Err(Error::Config(e)) => e,
        other => panic!("expected a configuration error, got {other:?}"),
    }
}

#[test]
fn a_missing_url_names_the_variable() {
    let err = config_error(Client::builder().env_from(env(&[])));
    assert_eq!(
        err,
        ConfigError::MissingVariable {
            name: "SENSU_API_URL".into()
        }
    );
    // A builder that already knows its server does not need it.
    assert!(Client::builder().host("sensu").env_from(env(&[])).is_ok());
}

#[test]
fn a_username_needs_a_password_and_the_other_way_round() {
    let err = config_error(Client::builder().env_from(env(&[
        ("SENSU_API_URL", "http://127.0.0.1:8080"),
        ("SENSU_USERNAME", "admin"),
    ])));
    assert_eq!(
        err,
        ConfigError::MissingVariable {
            name: "SENSU_PASSWORD".into()
        }
    );
    let err = config_error(Client::builder().env_from(env(&[
        ("SENSU_API_URL", "http://127.0.0.1:8080"),
        ("SENSU_PASSWORD", "secret-password"),
    ])));
    assert_eq!(
        err,
        ConfigError::MissingVariable {
            name: "SENSU_USERNAME".into()
        }
    );
    assert!(!err.to_string().contains("secret-password"));
}

#[test]
fn invalid_values_name_their_variable() {
    for (name, value) in [
        ("SENSU_INSECURE_SKIP_TLS_VERIFY", "perhaps"),
        ("SENSU_TIMEOUT", "soon"),
        ("SENSU_TRUSTED_CA_FILE", "/nonexistent/ca.pem"),
    ] {
        let err = config_error(Client::builder().env_from(env(&[
            ("SENSU_API_URL", "http://127.0.0.1:8080"),
            (name, value),
        ])));
        match err {
            ConfigError::InvalidVariable {
                name: named,
                reason,
            } => {
                assert_eq!(named, name);
                assert!(reason.contains(value), "{reason}");
            }
            other => panic!("{name}: {other:?}"),
        }
    }
    let err = Client::builder()
        .env_from(env(&[("SENSU_API_URL", "ftp://sensu")]))
        .unwrap()
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("must use http or https"), "{err}");
}

#[tokio::test]
async fn a_complete_environment_configures_the_client() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/core/v2/namespaces/sybil/checks"))
        .and(header("authorization", "Key 0123-key"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!([])))
        .expect(1)
        .mount(&server)
        .await;
    let uri = server.uri();
    let client = Client::builder()
        .env_from(env(&[
            ("SENSU_API_URL", uri.as_str()),
            ("SENSU_API_KEY", "0123-key"),
            ("SENSU_NAMESPACE", "sybil"),
            ("SENSU_INSECURE_SKIP_TLS_VERIFY", "false"),
            ("SENSU_TIMEOUT", "1m30s"),
        ]))
        .unwrap()
        .build()
        .unwrap();
    assert_eq!(client.namespace(), "sybil");
    client
        .list_checks()
        .namespace(client.namespace())
        .send()
        .await
        .unwrap();
}

#[test]
fn host_port_and_ssl_make_the_url() {
    use opsclient::sensu::ClientInfo;
    let plain = Client::builder().host("sensu.example.com").build().unwrap();
    assert_eq!(plain.baseurl(), "http://sensu.example.com:8080");
    let tls = Client::builder()
        .host("sensu.example.com")
        .port(8443)
        .use_ssl(true)
        .timeout(Duration::from_secs(3))
        .build()
        .unwrap();
    assert_eq!(tls.baseurl(), "https://sensu.example.com:8443");
    let v6 = Client::builder().host("::1").build().unwrap();
    assert_eq!(v6.baseurl(), "http://[::1]:8080");
    // A URL wins, and loses its trailing slash so paths do not double it.
    let url = Client::builder()
        .host("ignored")
        .url("https://proxy/sensu/")
        .build()
        .unwrap();
    assert_eq!(url.baseurl(), "https://proxy/sensu");
    let err = Client::builder()
        .url("https://admin:pw@sensu")
        .build()
        .unwrap_err();
    assert!(
        err.to_string().contains("credentials") && !err.to_string().contains("pw@"),
        "{err}"
    );
    assert!(matches!(Client::builder().build(), Err(Error::Config(_))));
}
