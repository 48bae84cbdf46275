//! OpenID Connect (keystoneauth's four `v3oidc*` flows) and tokenless X.509 against real
//! components that `cargo xtask servers up` starts: the OpenID provider oidc-provider (Node.js,
//! HTTPS), Apache with mod_auth_openidc validating bearer tokens in front of the real Keystone's
//! federation, and Apache's mod_ssl requiring client certificates of a CA made at start-up.
//! Each flow logs in, Keystone says whose token it issued (the subject the provider vouched for,
//! mapped into the federation's group), and the flow lists Watcher goals and Monasca metrics
//! through the same `Cloud`. Identity headers a client forges get no token and no identity,
//! through Apache or on Keystone's own port. Skipped (with a note) when the servers are not
//! running.

#![cfg(all(feature = "watcher", feature = "monasca"))]

use std::time::Duration;

use crate::servers::{access, token_of, use_watcher, Real};
use opsclient::openstack::auth::{DomainRef, ProjectRef, Scope};
use opsclient::openstack::keystone::types::TokenUser;
use opsclient::openstack::oidc::Oidc;
use opsclient::openstack::{Cloud, CloudBuilder};
use opsclient::Error;
use reqwest::StatusCode;
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

/// An access token from the provider's token endpoint, asked for by `client_id` with the
/// form `grant` (`grant_type=...` and its fields).
async fn provider_token(real: &Real, client_id: &str, grant: &[(&str, &str)]) -> String {
    // Form-encoded as a URL's query is.
    let mut encoder = reqwest::Url::parse("http://form.invalid/").unwrap();
    encoder.query_pairs_mut().extend_pairs(grant);
    let form = encoder.query().unwrap_or_default().to_string();
    let answer: serde_json::Value = browser(real)
        .post(format!(
            "{}/oauth2/v1/token-endpoint",
            real.var("OPSCLIENT_OIDC_ISSUER")
        ))
        .basic_auth(client_id, Some(real.var("OPSCLIENT_OIDC_CLIENT_SECRET")))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    answer["access_token"]
        .as_str()
        .unwrap_or_else(|| panic!("no access token: {answer}"))
        .to_string()
}

/// An access token of `client_id` from the provider's client credentials grant.
async fn access_token(real: &Real, client_id: &str) -> String {
    let grant = [
        ("grant_type", "client_credentials"),
        ("scope", "openid profile"),
    ];
    provider_token(real, client_id, &grant).await
}

/// An access token of the provider's user `username` (resource-owner password grant).
async fn user_access_token(real: &Real, username: &str, password: &str) -> String {
    let grant = [
        ("grant_type", "password"),
        ("username", username),
        ("password", password),
        ("scope", "openid profile"),
    ];
    provider_token(real, &real.var("OPSCLIENT_OIDC_CLIENT_ID"), &grant).await
}

/// Whose token `cloud` holds, as Keystone says when `admin` validates it.
async fn token_user(admin: &Cloud, cloud: &Cloud) -> TokenUser {
    token_of(admin, cloud).await.user
}

/// Asserts that `user` is the federated user the mapping made of the provider's subject
/// `subject`: that name, from the test identity provider over `openid`, in the group
/// `federated`.
fn assert_mapped(real: &Real, user: &TokenUser, subject: &str) {
    assert_eq!(user.name, subject, "the token's user: {user:?}");
    let federation = user
        .os_federation
        .as_ref()
        .unwrap_or_else(|| panic!("a federated token has OS-FEDERATION: {user:?}"));
    let id = |reference: &Option<opsclient::openstack::keystone::types::IdRef>| {
        reference.as_ref().and_then(|r| r.id.clone())
    };
    assert_eq!(
        id(&federation.identity_provider),
        Some(real.var("OPSCLIENT_OIDC_IDENTITY_PROVIDER"))
    );
    assert_eq!(
        id(&federation.protocol),
        Some(real.var("OPSCLIENT_OIDC_PROTOCOL"))
    );
    let groups: Vec<Option<String>> = federation
        .groups
        .iter()
        .flatten()
        .map(|g| g.id.clone())
        .collect();
    assert_eq!(groups, [Some(real.var("OPSCLIENT_OIDC_GROUP_ID"))]);
}

/// Lists Watcher goals and Monasca metrics through the cloud's catalog.
async fn use_services(cloud: &Cloud) {
    use_watcher(cloud).await;
    let monasca = opsclient::monasca::Client::from_cloud(cloud).await.unwrap();
    monasca.list_metrics().send().await.unwrap();
}

#[tokio::test]
async fn each_oidc_flow_logs_in_and_reaches_watcher_and_monasca() {
    let Some(real) = Real::get("each_oidc_flow_logs_in_and_reaches_watcher_and_monasca") else {
        return;
    };
    let _turn = TURNS.lock().await;
    let log = crate::support::recorder::Recorder::start();
    let mut secrets = vec![
        real.var("OPSCLIENT_OIDC_CLIENT_SECRET"),
        real.var("OPSCLIENT_OIDC_PASSWORD"),
    ];
    let idp = real.var("OPSCLIENT_OIDC_IDENTITY_PROVIDER");
    let protocol = real.var("OPSCLIENT_OIDC_PROTOCOL");
    let client_id = real.var("OPSCLIENT_OIDC_CLIENT_ID");
    let secret = real.var("OPSCLIENT_OIDC_CLIENT_SECRET");
    let discovery = real.var("OPSCLIENT_OIDC_DISCOVERY");
    // The provider's subjects: the client itself, the resource owner, another user.
    let owner = real.var("OPSCLIENT_OIDC_USERNAME");
    let other = real.var("OPSCLIENT_OIDC_OTHER_USERNAME");
    assert!(client_id != owner && owner != other && other != client_id);
    let admin = real.cloud().await;

    // Client credentials: the client is the subject.
    let cloud = federated(&real, client_credentials(&real))
        .authenticate()
        .await
        .unwrap();
    assert_mapped(&real, &token_user(&admin, &cloud).await, &client_id);
    use_services(&cloud).await;
    // A fresh login repeats the flow.
    let before = access(&cloud).await;
    cloud.reauthenticate().await.unwrap();
    assert_ne!(
        cloud.token().await.unwrap().access().expose_secret(),
        before
    );
    assert_mapped(&real, &token_user(&admin, &cloud).await, &client_id);

    // Resource-owner password.
    let login = Oidc::password(
        &idp,
        &protocol,
        &client_id,
        secret.clone(),
        &owner,
        real.var("OPSCLIENT_OIDC_PASSWORD"),
    )
    .discovery_endpoint(&discovery);
    let cloud = federated(&real, login).authenticate().await.unwrap();
    // The resource owner is the subject, not the client that asked.
    assert_mapped(&real, &token_user(&admin, &cloud).await, &owner);
    use_services(&cloud).await;

    // Authorization code: the code a browser login of the resource owner gave, used once; the
    // refresh token it brought renews the login, still as the resource owner.
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
    let cloud = federated(&real, login).authenticate().await.unwrap();
    assert_mapped(&real, &token_user(&admin, &cloud).await, &owner);
    use_services(&cloud).await;
    let first = access(&cloud).await;
    cloud.reauthenticate().await.unwrap();
    assert_ne!(access(&cloud).await, first, "a new login");
    assert_mapped(&real, &token_user(&admin, &cloud).await, &owner);
    use_services(&cloud).await;

    // Access token, obtained elsewhere: its subject (another user) is who logs in.
    let token = user_access_token(&real, &other, &real.var("OPSCLIENT_OIDC_OTHER_PASSWORD")).await;
    secrets.push(real.var("OPSCLIENT_OIDC_OTHER_PASSWORD"));
    secrets.push(token.clone());
    let cloud = federated(&real, Oidc::access_token(&idp, &protocol, token))
        .authenticate()
        .await
        .unwrap();
    assert_mapped(&real, &token_user(&admin, &cloud).await, &other);
    use_services(&cloud).await;

    // Unscoped: the federated token itself, with no catalog and no scope.
    let unscoped = federated(&real, client_credentials(&real))
        .scope(Scope::Unscoped)
        .authenticate()
        .await
        .unwrap();
    assert!(unscoped.catalog().is_empty());
    let token = admin
        .keystone()
        .unwrap()
        .validate_token()
        .x_subject_token(access(&unscoped).await)
        .send()
        .await
        .unwrap()
        .into_inner()
        .token;
    assert!(token.project.is_none() && token.domain.is_none() && token.system.is_none());
    assert_mapped(&real, &token.user, &client_id);

    // Rescoped to a domain, as Keystone says when it validates the token. (Keystone cannot
    // issue a federated user a system-scoped token: its fernet formatter has no payload for
    // one, and it answers 500.) A federated token validates the other.
    let validator = federated(&real, client_credentials(&real))
        .authenticate()
        .await
        .unwrap();
    let cloud = federated(&real, client_credentials(&real))
        .scope(Scope::Domain(DomainRef::Id("default".into())))
        .authenticate()
        .await
        .unwrap();
    let domain_token = access(&cloud).await;
    let token = validator
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
    assert_mapped(&real, &token.user, &client_id);
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
    let error = federated(&real, guessed).authenticate().await.unwrap_err();
    assert!(matches!(error, Error::NotFound(_)), "{error:?}");
    federated(&real, client_credentials(&real))
        .authenticate()
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
    let cloud = federated(&real, direct).authenticate().await.unwrap();
    let user = token_user(&real.cloud().await, &cloud).await;
    assert_mapped(&real, &user, &real.var("OPSCLIENT_OIDC_CLIENT_ID"));
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
    let error = federated(&real, wrong).authenticate().await.unwrap_err();
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
    let error = federated(&real, unknown).authenticate().await.unwrap_err();
    assert!(
        matches!(error, Error::NotFound(ref e) if e.message.contains("no-such-idp")),
        "{error:?}"
    );

    // An access token that expired: refused, and the error says this flow cannot renew it.
    let short_client = real.var("OPSCLIENT_OIDC_SHORT_CLIENT_ID");
    let ttl: u64 = real.var("OPSCLIENT_OIDC_SHORT_TTL").parse().unwrap();
    let token = access_token(&real, &short_client).await;
    let cloud = federated(&real, Oidc::access_token(&idp, &protocol, token.clone()))
        .authenticate()
        .await
        .unwrap();
    let user = token_user(&real.cloud().await, &cloud).await;
    assert_mapped(&real, &user, &short_client);
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

/// The tokenless cloud: the client certificate `cert`/`key`, scope `service` in headers,
/// trusting the test CA.
pub fn tokenless(real: &Real, cert: &str, key: &str) -> CloudBuilder {
    tokenless_without_ca_file(real, cert, key).ca_file(real.var("OPSCLIENT_TLS_CA"))
}

/// The tokenless cloud with no CA file: it trusts what its trust store holds.
pub fn tokenless_without_ca_file(real: &Real, cert: &str, key: &str) -> CloudBuilder {
    Cloud::builder()
        .url(real.var("OPSCLIENT_TOKENLESS_AUTH_URL"))
        .client_cert(real.var(cert), real.var(key))
        .tokenless()
        .scope(Scope::Project(ProjectRef::Id(
            real.var("OPSCLIENT_TOKENLESS_PROJECT_ID"),
        )))
}

/// A plain HTTP client that presents the client certificate `cert`/`key` and trusts the test
/// CA, for requests the library does not make.
fn with_certificate(real: &Real, cert: &str, key: &str) -> reqwest::Client {
    let ca = std::fs::read(real.var("OPSCLIENT_TLS_CA")).unwrap();
    let mut pem = std::fs::read(real.var(cert)).unwrap();
    pem.extend(std::fs::read(real.var(key)).unwrap());
    reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(&ca).unwrap())
        .identity(reqwest::Identity::from_pem(&pem).unwrap())
        .build()
        .unwrap()
}

/// On Apache's tokenless port with the test CA's client certificate and the extra `headers`:
/// the user the certificate names may read its own record, and not the admin's (it holds no
/// role that would open another user's).
async fn certificate_reads_only_its_own_user(real: &Real, headers: &[(&str, &str)]) {
    let certified = with_certificate(
        real,
        "OPSCLIENT_TLS_CLIENT_CERT",
        "OPSCLIENT_TLS_CLIENT_KEY",
    );
    let url = real.var("OPSCLIENT_TOKENLESS_AUTH_URL");
    let own_id = real.var("OPSCLIENT_TOKENLESS_USER_ID");
    let own = read_user(real, &certified, &url, &own_id, headers).await;
    let own_name = real.var("OPSCLIENT_TOKENLESS_USERNAME");
    assert_eq!(own, (StatusCode::OK, Some(own_name)));
    let admin_id = real.var("OPSCLIENT_ADMIN_USER_ID");
    let admin = read_user(real, &certified, &url, &admin_id, headers).await;
    assert_eq!(admin, (StatusCode::FORBIDDEN, None));
}

/// The status of `GET /v3/users/{user_id}` sent with `client` to `auth_url`, scoped to the
/// tokenless project and with the extra `headers`, and the user's name when it is shown.
async fn read_user(
    real: &Real,
    client: &reqwest::Client,
    auth_url: &str,
    user_id: &str,
    headers: &[(&str, &str)],
) -> (StatusCode, Option<String>) {
    let mut request = client
        .get(format!("{auth_url}/users/{user_id}"))
        .header("X-Project-Id", real.var("OPSCLIENT_TOKENLESS_PROJECT_ID"));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let answer = request.send().await.unwrap();
    let status = answer.status();
    let body: serde_json::Value = answer.json().await.unwrap_or_default();
    (status, body["user"]["name"].as_str().map(str::to_string))
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
    .authenticate()
    .await
    .unwrap();
    let keystone = cloud.keystone().expect("Keystone's client");
    let checked = keystone
        .validate_token()
        .x_subject_token(subject.as_str())
        .send()
        .await
        .unwrap();
    assert_eq!(checked.token.user.name, "admin");

    // Keystone answered as the user the certificate's subject maps to, not as anyone the
    // client logged in as: the scopes it lists are that user's (the project `service` only),
    // not the admin's (project `admin`, domain `default`, the system).
    let projects = keystone.list_auth_projects().send().await.unwrap();
    let ids: Vec<&str> = projects.projects.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, [real.var("OPSCLIENT_TOKENLESS_PROJECT_ID")]);
    assert!(keystone
        .list_auth_domains()
        .send()
        .await
        .unwrap()
        .domains
        .is_empty());
    assert!(keystone
        .list_auth_system()
        .send()
        .await
        .unwrap()
        .system
        .is_empty());
    // Who that is: the user named by the certificate's common name.
    certificate_reads_only_its_own_user(&real, &[]).await;

    // A certificate the test CA did not sign is refused in the TLS handshake.
    let rogue = tokenless(
        &real,
        "OPSCLIENT_TLS_UNTRUSTED_CERT",
        "OPSCLIENT_TLS_UNTRUSTED_KEY",
    )
    .authenticate()
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

/// A whole forged identity in one spelling: user, issuer and certificate fields under the
/// header names a deployment might trust, and under the variable names themselves. `dash` is
/// the word separator: `-`, or `_`, which WSGI servers merge into the same `HTTP_*` variable.
fn forged_identity(
    user: &str,
    issuer: &str,
    ca_subject: &str,
    dash: char,
) -> Vec<(String, String)> {
    let fields = [
        ("X-Remote-User", user),
        ("Remote-User", user),
        ("OIDC-Claim-preferred-username", user),
        ("X-Remote-Issuer", issuer),
        ("OIDC-Claim-iss", issuer),
        ("X-SSL-Client-Issuer", ca_subject),
        ("SSL-Client-I-DN", ca_subject),
        ("X-SSL-Client-Subject-CN", user),
        ("SSL-Client-S-DN-CN", user),
        ("X-SSL-Client-Subject-O", "opsclient"),
        ("SSL-Client-S-DN-O", "opsclient"),
    ];
    fields
        .iter()
        .map(|(name, value)| (name.replace('-', &dash.to_string()), value.to_string()))
        .collect()
}

#[tokio::test]
async fn forged_identity_headers_get_no_token_and_no_identity() {
    let Some(real) = Real::get("forged_identity_headers_get_no_token_and_no_identity") else {
        return;
    };
    let _turn = TURNS.lock().await;
    let issuer = real.var("OPSCLIENT_OIDC_ISSUER");
    let idp = real.var("OPSCLIENT_OIDC_IDENTITY_PROVIDER");
    let protocol = real.var("OPSCLIENT_OIDC_PROTOCOL");
    let auth_path = format!("/OS-FEDERATION/identity_providers/{idp}/protocols/{protocol}/auth");
    let admin_id = real.var("OPSCLIENT_ADMIN_USER_ID");
    let plain = reqwest::Client::new();
    // The test CA's subject, as Keystone's trusted issuer is written.
    let ca_subject = "CN=opsclient test CA";
    let dashed = forged_identity("admin", &issuer, ca_subject, '-');
    let underscored = forged_identity("admin", &issuer, ca_subject, '_');
    let forged = [dashed.clone(), underscored.clone()].concat();
    // Each spelling alone, both together, and one header at a time.
    let mut attempts = vec![dashed, underscored, forged.clone()];
    attempts.extend(forged.iter().map(|h| vec![h.clone()]));

    // Keystone's own port, and Apache's federation port without a bearer token: no token.
    for base in [
        real.var("OS_AUTH_URL"),
        real.var("OPSCLIENT_FEDERATION_AUTH_URL"),
    ] {
        for headers in &attempts {
            let mut request = plain.post(format!("{base}{auth_path}"));
            for (name, value) in headers {
                request = request.header(name.as_str(), value.as_str());
            }
            let answer = request.send().await.unwrap();
            let names: Vec<&str> = headers.iter().map(|(n, _)| n.as_str()).collect();
            assert_eq!(
                answer.status(),
                StatusCode::UNAUTHORIZED,
                "{base} with {names:?}"
            );
            assert!(
                answer.headers().get("x-subject-token").is_none(),
                "{base} with {names:?}"
            );
        }
    }

    // Tokenless on Keystone's own port: the certificate's fields as headers are no identity.
    let admin_token = access(&real.cloud().await).await;
    let url = real.var("OS_AUTH_URL");
    for headers in &attempts {
        let mut request = plain
            .get(format!("{url}/auth/tokens"))
            .header("X-Subject-Token", admin_token.as_str())
            .header("X-Project-Id", real.var("OPSCLIENT_TOKENLESS_PROJECT_ID"));
        for (name, value) in headers {
            request = request.header(name.as_str(), value.as_str());
        }
        let names: Vec<&str> = headers.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            request.send().await.unwrap().status(),
            StatusCode::UNAUTHORIZED,
            "{names:?}"
        );
    }
    let all: Vec<(&str, &str)> = forged
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let as_admin = read_user(&real, &plain, &url, &admin_id, &all).await;
    assert_eq!(as_admin, (StatusCode::UNAUTHORIZED, None));

    // Through Apache with a real bearer token of the resource owner: the token is the owner's
    // alone, whatever identity the headers claim.
    let owner = real.var("OPSCLIENT_OIDC_USERNAME");
    let bearer = user_access_token(&real, &owner, &real.var("OPSCLIENT_OIDC_PASSWORD")).await;
    let mut request = plain
        .post(format!(
            "{}{auth_path}",
            real.var("OPSCLIENT_FEDERATION_AUTH_URL")
        ))
        .bearer_auth(&bearer);
    for (name, value) in &forged {
        request = request.header(name.as_str(), value.as_str());
    }
    let answer = request.send().await.unwrap();
    assert_eq!(answer.status(), StatusCode::CREATED);
    let body: serde_json::Value = answer.json().await.unwrap();
    let user: TokenUser = serde_json::from_value(body["token"]["user"].clone()).unwrap();
    assert_mapped(&real, &user, &owner);

    // Through Apache's tokenless port with the test CA's certificate: the certificate alone
    // says who the client is, whatever the headers claim.
    certificate_reads_only_its_own_user(&real, &all).await;
}

#[tokio::test]
async fn an_expired_federated_token_is_renewed_by_logging_in_again() {
    let Some(real) = Real::get("an_expired_federated_token_is_renewed_by_logging_in_again") else {
        return;
    };
    let _turn = TURNS.lock().await;
    let cloud = federated(&real, client_credentials(&real))
        .authenticate()
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
    let user = token_user(&real.cloud().await, &cloud).await;
    assert_mapped(&real, &user, &real.var("OPSCLIENT_OIDC_CLIENT_ID"));
}
