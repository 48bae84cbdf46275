//! Clouds resumed from a saved Keystone token and catalog (`CloudBuilder::resume`), and the
//! login identity a saved token is kept under (`CloudBuilder::login_identity`), against the
//! local Keystone and Watcher.

#![cfg(all(feature = "watcher", feature = "monasca"))]

use std::time::{Duration, SystemTime};

use super::keystone_stand_in::{FakeCloud, APP_CREDENTIAL_ID, PASSWORD};
use opsclient::auth::Token;
use opsclient::openstack::auth::{ApplicationCredentialRef, DomainRef, ProjectRef, Scope, UserRef};
use opsclient::openstack::{Cloud, CloudBuilder};
use opsclient::Error;

const HOUR: Duration = Duration::from_secs(3600);

fn user(name: &str) -> UserRef {
    UserRef::Name {
        name: name.into(),
        domain: DomainRef::Id("default".into()),
    }
}

fn project(name: &str) -> Scope {
    Scope::Project(ProjectRef::Name {
        name: name.into(),
        domain: DomainRef::Id("default".into()),
    })
}

fn admin(fake: &FakeCloud) -> CloudBuilder {
    Cloud::builder()
        .url(fake.auth_url())
        .password(user("admin"), PASSWORD)
        .scope(project("admin"))
}

async fn goals(cloud: &Cloud) -> opsclient::Result<usize> {
    let watcher = opsclient::watcher::Client::from_cloud(cloud).await?;
    Ok(watcher.list_goals().send().await?.into_inner().goals.len())
}

/// A cloud's token and catalog, copied out as a caller saving them would.
async fn saved(
    cloud: &Cloud,
) -> (
    Token,
    Vec<opsclient::openstack::keystone::types::CatalogService>,
) {
    let token = cloud.token().await.expect("a token");
    let copy = Token::new(token.expose_access()).expiring_at(token.expires_at().unwrap());
    let catalog = serde_json::from_value(serde_json::to_value(cloud.catalog()).unwrap()).unwrap();
    (copy, catalog)
}

#[tokio::test]
async fn a_resumed_cloud_reaches_its_services_without_logging_in() {
    let fake = FakeCloud::start(HOUR).await;
    let first = admin(&fake).authenticate().await.unwrap();
    let (token, catalog) = saved(&first).await;
    assert_eq!(fake.logins(), 1);

    let resumed = admin(&fake)
        .resume(token, catalog)
        .authenticate()
        .await
        .unwrap();
    assert_eq!(fake.logins(), 1, "authenticate sent nothing");
    assert_eq!(goals(&resumed).await.unwrap(), 1);
    assert_eq!(fake.logins(), 1);
    let sent = fake.received("/v1/goals").await;
    assert_eq!(sent[0].headers["x-auth-token"], "ks-token-1");
    assert_eq!(resumed.token().await.unwrap().expose_access(), "ks-token-1");
    let shown = format!(
        "{:?}",
        admin(&fake).resume(Token::new("ks-secret"), Vec::new())
    );
    assert!(!shown.contains("ks-secret"), "{shown}");
}

#[tokio::test]
async fn a_refused_or_due_saved_token_is_replaced_by_a_login() {
    let fake = FakeCloud::start(HOUR).await;
    let first = admin(&fake).authenticate().await.unwrap();
    let (token, catalog) = saved(&first).await;

    // Revoked since it was saved: the service refuses it, the cloud logs in and retries.
    fake.state().revoke_all();
    let resumed = admin(&fake)
        .resume(token.clone(), catalog.clone())
        .authenticate()
        .await
        .unwrap();
    assert_eq!(goals(&resumed).await.unwrap(), 1);
    assert_eq!(fake.logins(), 2);
    assert_eq!(resumed.token().await.unwrap().expose_access(), "ks-token-2");

    // Within the threshold of its expiry: renewed before the first call.
    let ending = Token::new("ks-token-2").expiring_at(SystemTime::now() + Duration::from_secs(5));
    let resumed = admin(&fake)
        .resume(ending, catalog)
        .authenticate()
        .await
        .unwrap();
    assert_eq!(goals(&resumed).await.unwrap(), 1);
    assert_eq!(fake.logins(), 3);
}

#[tokio::test]
async fn a_saved_token_needs_keystone_to_renew_it() {
    let direct = Cloud::builder()
        .token("ks-token-1")
        .endpoint("infra-optim", "http://127.0.0.1:9/")
        .resume(Token::new("ks-token-1"), Vec::new())
        .authenticate()
        .await
        .unwrap_err();
    assert!(matches!(direct, Error::Config(_)), "{direct:?}");
}

#[test]
fn the_login_identity_names_keystone_who_and_the_scope_and_no_secret() {
    let fake_url = "http://127.0.0.1:5000/v3";
    let builder = |name: &str, scope: Scope| {
        Cloud::builder()
            .url(fake_url)
            .password(user(name), PASSWORD)
            .scope(scope)
    };
    let identity = builder("admin", project("admin")).login_identity().unwrap();
    assert!(
        identity.contains("127.0.0.1:5000") && identity.contains("admin"),
        "{identity}"
    );
    assert!(!identity.contains(PASSWORD), "{identity}");
    // The same login, the same identity; another user, project or Keystone, another one.
    assert_eq!(
        builder("admin", project("admin")).login_identity().unwrap(),
        identity
    );
    for other in [
        builder("bob", project("admin")).login_identity(),
        builder("admin", project("demo")).login_identity(),
        builder("admin", project("admin"))
            .url("http://127.0.0.1:5001/v3")
            .login_identity(),
    ] {
        assert_ne!(other.unwrap(), identity);
    }
    let credential = Cloud::builder()
        .url(fake_url)
        .application_credential(
            ApplicationCredentialRef::Id(APP_CREDENTIAL_ID.into()),
            "s3cr3t",
        )
        .login_identity()
        .unwrap();
    assert!(credential.contains(APP_CREDENTIAL_ID) && !credential.contains("s3cr3t"));
    // A token's identity is the token itself; no Keystone, no identity.
    assert_eq!(
        Cloud::builder().url(fake_url).token("t").login_identity(),
        None
    );
    assert_eq!(
        Cloud::builder()
            .password(user("admin"), PASSWORD)
            .login_identity(),
        None
    );
}
