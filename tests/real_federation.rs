//! OpenID Connect (keystoneauth's four `v3oidc*` flows) and tokenless X.509 against real
//! components that `cargo xtask servers up` starts: the OpenID provider oidc-provider (Node.js,
//! HTTPS), Apache with mod_auth_openidc validating bearer tokens in front of the real Keystone's
//! federation, and Apache's mod_ssl requiring client certificates of a CA made at start-up.
//! Each flow logs in and lists Watcher goals and Monasca metrics through the same `Cloud`.
//! Skipped (with a note) when the servers are not running.

#![cfg(all(feature = "watcher", feature = "monasca"))]

mod common {
    pub mod apis;
    pub mod conformance;
    pub mod lossless;
    pub mod real;
    pub mod recorder;
}

use std::time::Duration;

use common::real::{access, Real};
use opsclient::openstack::auth::{DomainRef, ProjectRef, Scope};
use opsclient::openstack::oidc::Oidc;
use opsclient::openstack::{Cloud, CloudBuilder};
use opsclient::Error;
use secrecy::ExposeSecret;

/// The tests take turns: Keystone makes a federated user's shadow record at its first login,
/// and two first logins of the same user at once collide in its sqlite database.
static TURNS: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

fn admin_project() -> Scope {
    Scope::Project(ProjectRef::Name {
        name: "admin".into(),
        domain: DomainRef::Id("default".into()),
    })
}

/// Keystone behind mod_auth_openidc, trusting the test CA (the provider's HTTPS).
fn federated(real: &Real, login: Oidc) -> CloudBuilder {
    Cloud::builder()
        .url(real.var("OPSCLIENT_FEDERATION_AUTH_URL"))
        .ca_file(real.var("OPSCLIENT_TLS_CA"))
        .region(real.var("OS_REGION_NAME"))
        .oidc(login)
        .scope(admin_project())
}

fn client_credentials(real: &Real) -> Oidc {
    Oidc::client_credentials(
        &real.var("OPSCLIENT_OIDC_IDENTITY_PROVIDER"),
        &real.var("OPSCLIENT_OIDC_PROTOCOL"),
        &real.var("OPSCLIENT_OIDC_CLIENT_ID"),
        real.var("OPSCLIENT_OIDC_CLIENT_SECRET"),
    )
    .discovery_endpoint(real.var("OPSCLIENT_OIDC_DISCOVERY"))
}

/// An HTTP client that trusts the test CA, to talk to the provider as a browser or another
/// tool would.
fn browser(real: &Real) -> reqwest::Client {
    let pem = std::fs::read(real.var("OPSCLIENT_TLS_CA")).unwrap();
    reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(&pem).unwrap())
        .build()
        .unwrap()
}

/// An access token of `client_id` from the provider's client credentials grant.
async fn access_token(real: &Real, client_id: &str) -> String {
    let answer: serde_json::Value = browser(real)
        .post(format!(
            "{}/oauth2/v1/token-endpoint",
            real.var("OPSCLIENT_OIDC_ISSUER")
        ))
        .basic_auth(client_id, Some(real.var("OPSCLIENT_OIDC_CLIENT_SECRET")))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("grant_type=client_credentials&scope=openid+profile")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    answer["access_token"]
        .as_str()
        .expect("an access token")
        .to_string()
}

/// Lists Watcher goals and Monasca metrics through the cloud's catalog.
async fn use_services(cloud: &Cloud) {
    let watcher = opsclient::watcher::Client::connect(cloud).await.unwrap();
    let goals = watcher.list_goals().send().await.unwrap();
    assert!(goals
        .goals
        .iter()
        .any(|g| g.name.as_deref() == Some("dummy")));
    let monasca = opsclient::monasca::Client::connect(cloud).await.unwrap();
    monasca.list_metrics().send().await.unwrap();
}

#[tokio::test]
async fn each_oidc_flow_logs_in_and_reaches_watcher_and_monasca() {
    let Some(real) = Real::get("each_oidc_flow_logs_in_and_reaches_watcher_and_monasca") else {
        return;
    };
    let _turn = TURNS.lock().await;
    let log = common::recorder::Recorder::start();
    let mut secrets = vec![
        real.var("OPSCLIENT_OIDC_CLIENT_SECRET"),
        real.var("OPSCLIENT_OIDC_PASSWORD"),
    ];
    let idp = real.var("OPSCLIENT_OIDC_IDENTITY_PROVIDER");
    let protocol = real.var("OPSCLIENT_OIDC_PROTOCOL");
    let client_id = real.var("OPSCLIENT_OIDC_CLIENT_ID");
    let secret = real.var("OPSCLIENT_OIDC_CLIENT_SECRET");
    let discovery = real.var("OPSCLIENT_OIDC_DISCOVERY");

    // Client credentials.
    let cloud = federated(&real, client_credentials(&real))
        .connect()
        .await
        .unwrap();
    use_services(&cloud).await;
    // A fresh login repeats the flow.
    let before = access(&cloud).await;
    cloud.reauthenticate().await.unwrap();
    assert_ne!(
        cloud.token().await.unwrap().access().expose_secret(),
        before
    );

    // Resource-owner password.
    let login = Oidc::password(
        &idp,
        &protocol,
        &client_id,
        secret.clone(),
        &real.var("OPSCLIENT_OIDC_USERNAME"),
        real.var("OPSCLIENT_OIDC_PASSWORD"),
    )
    .discovery_endpoint(&discovery);
    let cloud = federated(&real, login).connect().await.unwrap();
    use_services(&cloud).await;

    // Authorization code: the code a browser login gave, used once; the refresh token it
    // brought renews the login.
    let minted: serde_json::Value = browser(&real)
        .get(real.var("OPSCLIENT_OIDC_CODE_URL"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let login = Oidc::authorization_code(
        &idp,
        &protocol,
        &client_id,
        secret.clone(),
        minted["code"].as_str().unwrap(),
        minted["redirect_uri"].as_str().unwrap(),
    )
    .discovery_endpoint(&discovery);
    let cloud = federated(&real, login).connect().await.unwrap();
    use_services(&cloud).await;
    cloud.reauthenticate().await.unwrap();
    use_services(&cloud).await;

    // Access token, obtained elsewhere.
    let token = access_token(&real, &client_id).await;
    secrets.push(token.clone());
    let cloud = federated(&real, Oidc::access_token(&idp, &protocol, token))
        .connect()
        .await
        .unwrap();
    use_services(&cloud).await;

    // Unscoped: the federated token itself.
    let unscoped = federated(&real, client_credentials(&real))
        .scope(Scope::Unscoped)
        .connect()
        .await
        .unwrap();
    assert!(unscoped.catalog().is_empty());

    // Rescoped to a domain, as Keystone says when it validates the token. (Keystone cannot
    // issue a federated user a system-scoped token: its fernet formatter has no payload for
    // one, and it answers 500.)
    let admin = federated(&real, client_credentials(&real))
        .connect()
        .await
        .unwrap();
    let cloud = federated(&real, client_credentials(&real))
        .scope(Scope::Domain(DomainRef::Id("default".into())))
        .connect()
        .await
        .unwrap();
    let domain_token = access(&cloud).await;
    let token = admin
        .keystone()
        .unwrap()
        .validate_token()
        .x_subject_token(domain_token.clone())
        .send()
        .await
        .unwrap()
        .into_inner()
        .token;
    assert_eq!(token.domain.unwrap().id.as_deref(), Some("default"));
    assert!(token.project.is_none());
    secrets.push(domain_token);

    // No secret of any flow, nor any token, is in the log of all that.
    let text = log.text();
    assert!(text.contains("answered"), "the log was recorded");
    for secret in &secrets {
        assert!(!text.contains(secret.as_str()), "a secret is logged");
    }
}

#[tokio::test]
async fn the_discovery_document_names_the_token_endpoint() {
    let Some(real) = Real::get("the_discovery_document_names_the_token_endpoint") else {
        return;
    };
    let _turn = TURNS.lock().await;
    // The provider's token endpoint is at a path only its discovery document names: the
    // conventional path fails, discovery finds the real one.
    let guessed = client_credentials(&real)
        .access_token_endpoint(format!("{}/token", real.var("OPSCLIENT_OIDC_ISSUER")));
    let error = federated(&real, guessed).connect().await.unwrap_err();
    assert!(matches!(error, Error::NotFound(_)), "{error:?}");
    federated(&real, client_credentials(&real))
        .connect()
        .await
        .unwrap();
    // Given directly, the right endpoint needs no discovery document.
    let direct = Oidc::client_credentials(
        &real.var("OPSCLIENT_OIDC_IDENTITY_PROVIDER"),
        &real.var("OPSCLIENT_OIDC_PROTOCOL"),
        &real.var("OPSCLIENT_OIDC_CLIENT_ID"),
        real.var("OPSCLIENT_OIDC_CLIENT_SECRET"),
    )
    .access_token_endpoint(format!(
        "{}/oauth2/v1/token-endpoint",
        real.var("OPSCLIENT_OIDC_ISSUER")
    ));
    let cloud = federated(&real, direct).connect().await.unwrap();
    use_services(&cloud).await;
}

#[tokio::test]
async fn refusals_are_typed_and_clear() {
    let Some(real) = Real::get("refusals_are_typed_and_clear") else {
        return;
    };
    let _turn = TURNS.lock().await;
    let idp = real.var("OPSCLIENT_OIDC_IDENTITY_PROVIDER");
    let protocol = real.var("OPSCLIENT_OIDC_PROTOCOL");

    // A wrong client secret: the provider refuses the client.
    let wrong = Oidc::client_credentials(
        &idp,
        &protocol,
        &real.var("OPSCLIENT_OIDC_CLIENT_ID"),
        "wrong",
    )
    .discovery_endpoint(real.var("OPSCLIENT_OIDC_DISCOVERY"));
    let error = federated(&real, wrong).connect().await.unwrap_err();
    match &error {
        Error::Unauthorized(e) => assert!(e.message.contains("invalid_client"), "{e:?}"),
        other => panic!("{other:?}"),
    }
    assert!(
        !format!("{error:?}{error}").contains("wrong"),
        "the secret is shown: {error:?}"
    );

    // An unknown identity provider: Keystone says so.
    let unknown = Oidc::client_credentials(
        "no-such-idp",
        &protocol,
        &real.var("OPSCLIENT_OIDC_CLIENT_ID"),
        real.var("OPSCLIENT_OIDC_CLIENT_SECRET"),
    )
    .discovery_endpoint(real.var("OPSCLIENT_OIDC_DISCOVERY"));
    let error = federated(&real, unknown).connect().await.unwrap_err();
    assert!(
        matches!(error, Error::NotFound(ref e) if e.message.contains("no-such-idp")),
        "{error:?}"
    );

    // An access token that expired: refused, and the error says this flow cannot renew it.
    let short_client = real.var("OPSCLIENT_OIDC_SHORT_CLIENT_ID");
    let ttl: u64 = real.var("OPSCLIENT_OIDC_SHORT_TTL").parse().unwrap();
    let token = access_token(&real, &short_client).await;
    let cloud = federated(&real, Oidc::access_token(&idp, &protocol, token.clone()))
        .connect()
        .await
        .unwrap();
    use_services(&cloud).await;
    tokio::time::sleep(Duration::from_secs(ttl + 2)).await;
    let error = cloud.reauthenticate().await.unwrap_err();
    match &error {
        Error::Unauthorized(e) => {
            assert!(e.message.contains("cannot renew"), "{e:?}");
            assert!(e.message.contains("give a new access token"), "{e:?}");
        }
        other => panic!("{other:?}"),
    }
    assert!(!format!("{error:?}{error}").contains(&token));
}

/// The tokenless cloud: the client certificate `cert`/`key`, scope `service` in headers.
fn tokenless(real: &Real, cert: &str, key: &str) -> CloudBuilder {
    Cloud::builder()
        .url(real.var("OPSCLIENT_TOKENLESS_AUTH_URL"))
        .ca_file(real.var("OPSCLIENT_TLS_CA"))
        .client_cert(real.var(cert), real.var(key))
        .tokenless()
        .scope(Scope::Project(ProjectRef::Id(
            real.var("OPSCLIENT_TOKENLESS_PROJECT_ID"),
        )))
}

#[tokio::test]
async fn tokenless_x509_validates_a_token_without_one_of_its_own() {
    let Some(real) = Real::get("tokenless_x509_validates_a_token_without_one_of_its_own") else {
        return;
    };
    // A user's token, to check as a service would.
    let user = real.cloud().await;
    let subject = access(&user).await;

    let cloud = tokenless(
        &real,
        "OPSCLIENT_TLS_CLIENT_CERT",
        "OPSCLIENT_TLS_CLIENT_KEY",
    )
    .connect()
    .await
    .unwrap();
    assert!(cloud.token().await.is_none(), "tokenless fetches no token");
    let keystone = cloud.keystone().expect("Keystone's client");
    let checked = keystone
        .validate_token()
        .x_subject_token(subject.as_str())
        .send()
        .await
        .unwrap();
    assert_eq!(checked.token.user.name, "admin");

    // A certificate the test CA did not sign is refused in the TLS handshake.
    let rogue = tokenless(
        &real,
        "OPSCLIENT_TLS_UNTRUSTED_CERT",
        "OPSCLIENT_TLS_UNTRUSTED_KEY",
    )
    .connect()
    .await
    .unwrap();
    let error = rogue
        .keystone()
        .unwrap()
        .validate_token()
        .x_subject_token(subject.as_str())
        .send()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
}

#[tokio::test]
async fn an_expired_federated_token_is_renewed_by_logging_in_again() {
    let Some(real) = Real::get("an_expired_federated_token_is_renewed_by_logging_in_again") else {
        return;
    };
    let _turn = TURNS.lock().await;
    let cloud = federated(&real, client_credentials(&real))
        .connect()
        .await
        .unwrap();
    let first = access(&cloud).await;
    let expires_at = cloud.expires_at().await.expect("Keystone's tokens expire");
    // The test Keystone's tokens live seconds; wait until this one is gone.
    let left = expires_at
        .duration_since(std::time::SystemTime::now())
        .unwrap_or_default();
    assert!(left < Duration::from_secs(120), "tokens live {left:?}");
    tokio::time::sleep(left + Duration::from_secs(1)).await;
    use_services(&cloud).await;
    let renewed = access(&cloud).await;
    assert_ne!(renewed, first, "a new federated login");
}
