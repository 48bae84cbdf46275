//! The OpenID Connect and tokenless logins from `OS_*` and `clouds.yaml`, with keystoneauth's
//! names; and Keystone v2's plugins refused with the v3 method to use instead. Logging in with
//! them against the real servers is in `tests/real_federation.rs`.

#![cfg(all(feature = "watcher", feature = "monasca"))]

use crate::fixed_env::env;
use opsclient::openstack::Cloud;
use opsclient::Error;

const AUTH_URL: &str = "http://127.0.0.1:5000/v3";
const DISCOVERY: &str = "http://127.0.0.1:9080/.well-known/openid-configuration";

/// The builder's settings as `Debug` shows them (secrets redacted).
fn loaded(pairs: &[(&str, &str)]) -> String {
    let builder = Cloud::builder()
        .env_from(env(pairs))
        .expect("the settings load");
    format!("{builder:?}")
}

fn refused(pairs: &[(&str, &str)]) -> String {
    match Cloud::builder().env_from(env(pairs)) {
        Err(Error::Config(e)) => e.to_string(),
        other => panic!("not refused: {other:?}"),
    }
}

#[test]
fn each_oidc_flow_loads_from_os_variables() {
    let common = [
        ("OS_AUTH_URL", AUTH_URL),
        ("OS_IDENTITY_PROVIDER", "testidp"),
        ("OS_PROTOCOL", "openid"),
        ("OS_CLIENT_ID", "opsclient"),
        ("OS_CLIENT_SECRET", "client-s3cret"),
        ("OS_DISCOVERY_ENDPOINT", DISCOVERY),
        ("OS_PROJECT_NAME", "admin"),
        ("OS_PROJECT_DOMAIN_ID", "default"),
    ];
    let with = |extra: &[(&'static str, &'static str)]| -> Vec<(&str, &str)> {
        common.iter().chain(extra).copied().collect()
    };
    let credentials = loaded(&with(&[("OS_AUTH_TYPE", "v3oidcclientcredentials")]));
    assert!(
        credentials.contains("flow: \"client_credentials\""),
        "{credentials}"
    );
    assert!(
        credentials.contains("identity_provider: \"testidp\""),
        "{credentials}"
    );
    assert!(
        credentials.contains(&format!("Discovery(\"{DISCOVERY}\")")),
        "{credentials}"
    );
    let password = loaded(&with(&[
        ("OS_AUTH_TYPE", "v3oidcpassword"),
        ("OS_USERNAME", "ann"),
        ("OS_PASSWORD", "user-s3cret"),
        ("OS_OPENID_SCOPE", "openid email"),
    ]));
    assert!(
        password.contains("flow: \"password\"") && password.contains("openid email"),
        "{password}"
    );
    let code = loaded(&with(&[
        ("OS_AUTH_TYPE", "v3oidcauthcode"),
        ("OS_CODE", "code-s3cret"),
        ("OS_REDIRECT_URI", "http://127.0.0.1/cb"),
        ("OS_ACCESS_TOKEN_ENDPOINT", "http://127.0.0.1:9080/token"),
    ]));
    // The token endpoint given outright wins over discovery.
    assert!(
        code.contains("Direct(\"http://127.0.0.1:9080/token\")"),
        "{code}"
    );
    let token = loaded(&[
        ("OS_AUTH_URL", AUTH_URL),
        ("OS_AUTH_TYPE", "v3oidcaccesstoken"),
        ("OS_IDENTITY_PROVIDER", "testidp"),
        ("OS_PROTOCOL", "openid"),
        ("OS_ACCESS_TOKEN", "eyJ-access-s3cret"),
        ("OS_ACCESS_TOKEN_TYPE", "id_token"),
    ]);
    assert!(token.contains("flow: \"access_token\""), "{token}");
    for text in [&credentials, &password, &code, &token] {
        assert!(!text.contains("s3cret"), "a secret in Debug: {text}");
    }
}

#[test]
fn missing_oidc_settings_are_named() {
    let error = refused(&[
        ("OS_AUTH_URL", AUTH_URL),
        ("OS_AUTH_TYPE", "v3oidcclientcredentials"),
        ("OS_PROTOCOL", "openid"),
    ]);
    assert!(error.contains("OS_IDENTITY_PROVIDER"), "{error}");
    let error = refused(&[
        ("OS_AUTH_URL", AUTH_URL),
        ("OS_AUTH_TYPE", "v3oidcpassword"),
        ("OS_IDENTITY_PROVIDER", "testidp"),
        ("OS_PROTOCOL", "openid"),
        ("OS_CLIENT_ID", "opsclient"),
        ("OS_CLIENT_SECRET", "s"),
        ("OS_USERNAME", "ann"),
        ("OS_PASSWORD", "p"),
    ]);
    assert!(
        error.contains("discovery_endpoint or access_token_endpoint"),
        "{error}"
    );
    let error = refused(&[
        ("OS_AUTH_URL", AUTH_URL),
        ("OS_AUTH_TYPE", "v3oidcauthcode"),
        ("OS_IDENTITY_PROVIDER", "testidp"),
        ("OS_PROTOCOL", "openid"),
        ("OS_CLIENT_ID", "opsclient"),
        ("OS_CLIENT_SECRET", "s"),
        ("OS_CODE", "c"),
    ]);
    assert!(error.contains("OS_REDIRECT_URI"), "{error}");
}

#[test]
fn each_new_auth_type_loads_from_clouds_yaml() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("clouds.yaml");
    let (cert, key) = (dir.path().join("client.pem"), dir.path().join("client.key"));
    std::fs::write(
        &file,
        format!(
            "clouds:
  oidc:
    auth_type: v3oidcpassword
    auth:
      auth_url: {AUTH_URL}
      identity_provider: testidp
      protocol: openid
      client_id: opsclient
      client_secret: client-s3cret
      discovery_endpoint: {DISCOVERY}
      username: ann
      password: user-s3cret
      project_name: admin
      project_domain_id: default
  machine:
    auth_type: v3oidcclientcredentials
    auth:
      auth_url: {AUTH_URL}
      identity_provider: testidp
      protocol: openid
      client_id: opsclient
      client_secret: client-s3cret
      access_token_endpoint: http://127.0.0.1:9080/token
      domain_id: default
  browser:
    auth_type: v3oidcauthcode
    auth:
      auth_url: {AUTH_URL}
      identity_provider: testidp
      protocol: openid
      client_id: opsclient
      client_secret: client-s3cret
      discovery_endpoint: {DISCOVERY}
      code: code-s3cret
      redirect_uri: http://127.0.0.1/cb
      openid_scope: openid
  bearer:
    auth_type: v3oidcaccesstoken
    auth:
      auth_url: {AUTH_URL}
      identity_provider: testidp
      protocol: openid
      access_token: eyJ-s3cret
  x509:
    auth_type: v3tokenlessauth
    cert: {cert}
    key: {key}
    auth:
      auth_url: {AUTH_URL}
      project_id: 4f6a
  v2:
    auth_type: v2password
    auth:
      auth_url: http://127.0.0.1:5000/v2.0
      username: ann
      password: p
",
            cert = cert.display(),
            key = key.display()
        ),
    )
    .unwrap();
    let path = file.to_str().unwrap();
    let cloud = |name: &str| {
        Cloud::builder().env_from(env(&[("OS_CLOUD", name), ("OS_CLIENT_CONFIG_FILE", path)]))
    };
    let oidc = format!("{:?}", cloud("oidc").unwrap());
    assert!(
        oidc.contains("flow: \"password\"") && !oidc.contains("s3cret"),
        "{oidc}"
    );
    let machine = format!("{:?}", cloud("machine").unwrap());
    assert!(
        machine.contains("flow: \"client_credentials\"") && machine.contains("Direct("),
        "{machine}"
    );
    assert!(
        machine.contains("Domain(Id(\"default\"))") && !machine.contains("s3cret"),
        "{machine}"
    );
    let browser = format!("{:?}", cloud("browser").unwrap());
    assert!(
        browser.contains("flow: \"authorization_code\"") && !browser.contains("s3cret"),
        "{browser}"
    );
    let bearer = format!("{:?}", cloud("bearer").unwrap());
    assert!(
        bearer.contains("flow: \"access_token\"") && !bearer.contains("s3cret"),
        "{bearer}"
    );
    let x509 = format!("{:?}", cloud("x509").unwrap());
    assert!(
        x509.contains("tokenless: true") && x509.contains("client.pem"),
        "{x509}"
    );
    let v2 = cloud("v2").unwrap_err().to_string();
    assert!(
        v2.contains("removed") && v2.contains("\"v3password\""),
        "{v2}"
    );
}

#[test]
fn keystone_v2_plugins_name_the_v3_method_to_use() {
    for (v2, v3) in [("v2password", "v3password"), ("v2token", "v3token")] {
        let error = refused(&[("OS_AUTH_URL", AUTH_URL), ("OS_AUTH_TYPE", v2)]);
        assert!(
            error.contains("Keystone v2") && error.contains("removed"),
            "{error}"
        );
        assert!(error.contains(&format!("\"{v3}\"")), "{error}");
    }
}

#[test]
fn endpoints_with_a_password_or_a_query_are_refused_by_their_setting_and_never_shown() {
    let secret_url = "http://user:url-s3cret@127.0.0.1:9511/v1?key=query-s3cret";
    // `OS_ENDPOINT`, without Keystone.
    let error = refused(&[
        ("OS_AUTH_TYPE", "token_endpoint"),
        ("OS_TOKEN", "t"),
        ("OS_ENDPOINT", secret_url),
    ]);
    assert!(
        error.contains("OS_ENDPOINT") && error.contains("credentials"),
        "{error}"
    );
    assert!(!error.contains("s3cret"), "{error}");
    // A token and an endpoint without Keystone.
    let error = refused(&[
        ("OS_AUTH_TYPE", "v3token"),
        ("OS_TOKEN", "t"),
        ("OS_ENDPOINT", "http://h/v1?key=query-s3cret"),
    ]);
    assert!(
        error.contains("OS_ENDPOINT") && error.contains("query") && !error.contains("s3cret"),
        "{error}"
    );
    // clouds.yaml's `endpoint` and `*_endpoint_override`.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("clouds.yaml");
    std::fs::write(
        &file,
        format!(
            "clouds:
  direct:
    auth_type: token_endpoint
    auth:
      token: t
      endpoint: {secret_url}
  override:
    auth_type: v3token
    auth:
      auth_url: {AUTH_URL}
      token: t
    infra_optim_endpoint_override: {secret_url}
"
        ),
    )
    .unwrap();
    let path = file.to_str().unwrap();
    for (cloud, setting) in [
        ("direct", "auth.endpoint"),
        ("override", "infra_optim_endpoint_override"),
    ] {
        let outcome =
            Cloud::builder().env_from(env(&[("OS_CLOUD", cloud), ("OS_CLIENT_CONFIG_FILE", path)]));
        let error = match outcome {
            Err(Error::Config(e)) => e.to_string(),
            other => panic!("{cloud}: not refused: {other:?}"),
        };
        assert!(
            error.contains(setting) && error.contains("credentials"),
            "{error}"
        );
        assert!(!error.contains("s3cret"), "{error}");
    }
    // Set on the builder: `Debug` shows the URL without them, and `authenticate` refuses it.
    let builder = Cloud::builder()
        .token("t")
        .endpoint("infra-optim", secret_url);
    let debug = format!("{builder:?}");
    assert!(!debug.contains("s3cret"), "{debug}");
    assert!(debug.contains("http://127.0.0.1:9511/v1"), "{debug}");
}

#[test]
fn tokenless_needs_a_certificate_and_a_project_or_domain() {
    let error = refused(&[
        ("OS_AUTH_URL", AUTH_URL),
        ("OS_AUTH_TYPE", "v3tokenlessauth"),
        ("OS_PROJECT_ID", "p"),
    ]);
    assert!(error.contains("OS_CERT"), "{error}");
    let error = refused(&[
        ("OS_AUTH_URL", AUTH_URL),
        ("OS_AUTH_TYPE", "v3password"),
        ("OS_USER_ID", "u"),
        ("OS_PASSWORD", "p"),
        ("OS_CERT", "/tmp/c.pem"),
    ]);
    assert!(error.contains("OS_KEY"), "{error}");
}

#[tokio::test]
async fn tokenless_without_a_project_or_domain_is_refused_before_sending() {
    let dir = tempfile::tempdir().unwrap();
    let (cert, key) = client_certificate(dir.path());
    let result = Cloud::builder()
        .env_from(env(&[
            ("OS_AUTH_URL", AUTH_URL),
            ("OS_AUTH_TYPE", "v3tokenlessauth"),
            ("OS_CERT", &cert),
            ("OS_KEY", &key),
        ]))
        .unwrap()
        .authenticate()
        .await;
    let error = result.unwrap_err().to_string();
    assert!(error.contains("project or domain scope"), "{error}");
}

/// A client certificate and key made for the test.
fn client_certificate(dir: &std::path::Path) -> (String, String) {
    let issued = rcgen::generate_simple_self_signed(vec!["client".into()]).unwrap();
    let (cert, key) = (dir.join("c.pem"), dir.join("c.key"));
    std::fs::write(&cert, issued.cert.pem()).unwrap();
    std::fs::write(&key, issued.signing_key.serialize_pem()).unwrap();
    (cert.display().to_string(), key.display().to_string())
}

#[tokio::test]
async fn tokenless_requests_carry_the_scope_and_no_token() {
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};
    let dir = tempfile::tempdir().unwrap();
    let (cert, key) = client_certificate(dir.path());
    // Each way of naming the scope, and the headers keystonemiddleware reads for it.
    type Pairs<'a> = &'a [(&'a str, &'a str)];
    let cases: [(Pairs, Pairs); 5] = [
        (
            &[
                ("OS_PROJECT_NAME", "service"),
                ("OS_PROJECT_DOMAIN_NAME", "Default"),
            ],
            &[
                ("x-project-name", "service"),
                ("x-project-domain-name", "Default"),
            ],
        ),
        (
            &[
                ("OS_PROJECT_NAME", "service"),
                ("OS_PROJECT_DOMAIN_ID", "default"),
            ],
            &[
                ("x-project-name", "service"),
                ("x-project-domain-id", "default"),
            ],
        ),
        (&[("OS_PROJECT_ID", "p-1")], &[("x-project-id", "p-1")]),
        (&[("OS_DOMAIN_ID", "d-1")], &[("x-domain-id", "d-1")]),
        (
            &[("OS_DOMAIN_NAME", "Infra")],
            &[("x-domain-name", "Infra")],
        ),
    ];
    let scope_headers = [
        "x-project-name",
        "x-project-id",
        "x-project-domain-name",
        "x-project-domain-id",
        "x-domain-id",
        "x-domain-name",
    ];
    for (scope, expected) in cases {
        let keystone = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/v3/auth/projects"))
            .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
                "projects": [], "links": {"self": "x", "next": null, "previous": null}
            })))
            .mount(&keystone)
            .await;
        let auth_url = format!("{}/v3", keystone.uri());
        let mut vars = vec![
            ("OS_AUTH_URL", auth_url.as_str()),
            ("OS_AUTH_TYPE", "v3tokenlessauth"),
            ("OS_CERT", cert.as_str()),
            ("OS_KEY", key.as_str()),
        ];
        vars.extend_from_slice(scope);
        let cloud = Cloud::builder()
            .env_from(env(&vars))
            .unwrap()
            .authenticate()
            .await
            .unwrap();
        cloud
            .keystone()
            .unwrap()
            .list_auth_projects()
            .send()
            .await
            .unwrap();
        let requests = keystone.received_requests().await.unwrap();
        assert_eq!(requests.len(), 1, "no token is fetched first");
        let headers = &requests[0].headers;
        assert!(headers.get("x-auth-token").is_none(), "{headers:?}");
        for name in scope_headers {
            let want = expected.iter().find(|(n, _)| *n == name).map(|(_, v)| *v);
            let got = headers.get(name).map(|v| v.to_str().unwrap());
            assert_eq!(got, want, "{name} for {scope:?}");
        }
    }
}

#[tokio::test]
async fn tokenless_without_a_certificate_is_refused_before_sending() {
    let error = Cloud::builder()
        .url(AUTH_URL)
        .tokenless()
        .scope(opsclient::openstack::auth::Scope::Project(
            opsclient::openstack::auth::ProjectRef::Id("p".into()),
        ))
        .authenticate()
        .await
        .unwrap_err()
        .to_string();
    assert!(error.contains("client certificate"), "{error}");
}
