//! OpenStack sessions against a local Keystone and Watcher: every login method and scope,
//! catalog selection, re-authentication on expiry (single-flight) and on 401, direct mode,
//! microversion negotiation, and configuration from `OS_*` and `clouds.yaml`.

#![cfg(all(feature = "watcher", feature = "monasca"))]

use std::io::Write;
use std::time::Duration;

use super::keystone_stand_in::{
    FakeCloud, APP_CREDENTIAL_ID, APP_CREDENTIAL_SECRET, PASSWORD, TOTP_SECRET, USER_ID,
};
use crate::fixed_env::env;
use opsclient::error::ConfigError;
use opsclient::openstack::auth::{
    ApplicationCredentialRef, DomainRef, Passcode, ProjectRef, Scope, UserRef,
};
use opsclient::openstack::totp::Totp;
use opsclient::openstack::{Cloud, Interface};
use opsclient::watcher::Version;
use opsclient::Error;
use serde_json::json;

const HOUR: Duration = Duration::from_secs(3600);

fn admin() -> UserRef {
    UserRef::Name {
        name: "admin".into(),
        domain: DomainRef::Id("default".into()),
    }
}

fn admin_project() -> Scope {
    Scope::Project(ProjectRef::Name {
        name: "admin".into(),
        domain: DomainRef::Name("Default".into()),
    })
}

async fn goals(cloud: &Cloud) -> opsclient::Result<usize> {
    goals_of(&opsclient::watcher::Client::from_cloud(cloud).await?).await
}

async fn goals_of(watcher: &opsclient::watcher::Client) -> opsclient::Result<usize> {
    Ok(watcher.list_goals().send().await?.into_inner().goals.len())
}

#[tokio::test]
async fn password_login_with_project_scope_reaches_watcher_through_the_catalog() {
    let fake = FakeCloud::start(HOUR).await;
    let cloud = Cloud::builder()
        .url(fake.auth_url())
        .password(admin(), PASSWORD)
        .scope(admin_project())
        .region("RegionOne")
        .authenticate()
        .await
        .unwrap();
    assert_eq!(
        fake.state().scopes[0],
        json!({"project": {"name": "admin", "domain": {"name": "Default"}}})
    );
    assert_eq!(goals(&cloud).await.unwrap(), 1);

    let sent = &fake.received("/v1/goals").await[0];
    assert_eq!(sent.headers.get("x-auth-token").unwrap(), "ks-token-1");
    assert_eq!(
        sent.headers.get("openstack-api-version").unwrap(),
        "infra-optim 1.7"
    );
    assert!(
        cloud.expires_at().await.unwrap()
            > std::time::SystemTime::now() + Duration::from_secs(3000)
    );
    let debug = format!("{cloud:?}");
    assert!(
        !debug.contains(PASSWORD) && !debug.contains("ks-token-1"),
        "{debug}"
    );
    // It does show how the cloud authenticates.
    assert!(
        debug.contains("credentials: Credentials::Session"),
        "{debug}"
    );
}

#[tokio::test]
async fn every_method_and_scope_logs_in() {
    let fake = FakeCloud::start(HOUR).await;
    let connect =
        |builder: opsclient::openstack::CloudBuilder| async move { builder.authenticate().await };
    let base = || Cloud::builder().url(fake.auth_url());

    connect(
        base()
            .password(UserRef::Id(USER_ID.into()), PASSWORD)
            .scope(Scope::Domain(DomainRef::Id("default".into()))),
    )
    .await
    .unwrap();
    connect(base().password(admin(), PASSWORD).scope(Scope::System))
        .await
        .unwrap();
    connect(base().password(admin(), PASSWORD).scope(Scope::Unscoped))
        .await
        .unwrap();
    connect(
        base()
            .password(admin(), PASSWORD)
            .scope(Scope::Project(ProjectRef::Id("p-1".into()))),
    )
    .await
    .unwrap();
    connect(base().token("existing-token").scope(admin_project()))
        .await
        .unwrap();
    connect(base().application_credential(
        ApplicationCredentialRef::Id(APP_CREDENTIAL_ID.into()),
        APP_CREDENTIAL_SECRET,
    ))
    .await
    .unwrap();
    let totp = Passcode::Secret(Totp::from_base32(TOTP_SECRET).unwrap());
    connect(base().totp(admin(), totp).scope(admin_project()))
        .await
        .unwrap();

    let state = fake.state();
    assert_eq!(
        state.scopes,
        [
            json!({"domain": {"id": "default"}}),
            json!({"system": {"all": true}}),
            json!("unscoped"),
            json!({"project": {"id": "p-1"}}),
            json!({"project": {"name": "admin", "domain": {"name": "Default"}}}),
            serde_json::Value::Null, // an application credential carries its own scope
            json!({"project": {"name": "admin", "domain": {"name": "Default"}}}),
        ]
    );
    let methods: Vec<_> = state
        .methods
        .iter()
        .map(|m| m[0].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        methods,
        [
            "password",
            "password",
            "password",
            "password",
            "token",
            "application_credential",
            "totp"
        ]
    );
}

#[tokio::test]
async fn a_wrong_password_is_unauthorized_and_no_cloud() {
    let fake = FakeCloud::start(HOUR).await;
    let err = Cloud::builder()
        .url(fake.auth_url())
        .password(admin(), "wrong")
        .authenticate()
        .await
        .unwrap_err();
    match err {
        Error::Unauthorized(e) => assert_eq!(
            e.message,
            "The request you have made requires authentication."
        ),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn tokens_are_renewed_before_expiry_once_for_many_calls() {
    let fake = FakeCloud::start(Duration::from_secs(3)).await;
    let cloud = Cloud::builder()
        .url(fake.auth_url())
        .password(admin(), PASSWORD)
        .refresh_threshold(Duration::from_secs(2))
        .authenticate()
        .await
        .unwrap();
    let watcher = opsclient::watcher::Client::from_cloud(&cloud)
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(1200)).await;
    let calls = (0..20).map(|_| {
        let watcher = watcher.clone();
        tokio::spawn(async move {
            watcher
                .list_goals()
                .send()
                .await
                .map(|r| r.into_inner().goals.len())
        })
    });
    for call in futures::future::join_all(calls).await {
        assert_eq!(call.unwrap().unwrap(), 1);
    }
    assert_eq!(
        fake.logins(),
        2,
        "one login at connect, one renewal for all 20 calls"
    );
}

#[tokio::test]
async fn a_revoked_token_is_replaced_without_the_caller_noticing() {
    let fake = FakeCloud::start(HOUR).await;
    let cloud = Cloud::builder()
        .url(fake.auth_url())
        .password(admin(), PASSWORD)
        .authenticate()
        .await
        .unwrap();
    assert_eq!(goals(&cloud).await.unwrap(), 1);
    fake.state().revoke_all();
    assert_eq!(goals(&cloud).await.unwrap(), 1);
    assert_eq!(fake.logins(), 2);
    let tokens: Vec<_> = fake
        .received("/v1/goals")
        .await
        .iter()
        .map(|r| {
            r.headers
                .get("x-auth-token")
                .unwrap()
                .to_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(tokens, ["ks-token-1", "ks-token-1", "ks-token-2"]);
}

#[tokio::test]
async fn direct_mode_uses_the_token_and_endpoint_without_keystone() {
    let fake = FakeCloud::start(HOUR).await;
    fake.state().lifetime = HOUR;
    // Get a token the Watcher accepts, then forget Keystone.
    let issued = Cloud::builder()
        .url(fake.auth_url())
        .password(admin(), PASSWORD)
        .authenticate()
        .await
        .unwrap();
    let token =
        secrecy::ExposeSecret::expose_secret(issued.token().await.unwrap().access()).to_string();
    let direct = Cloud::builder()
        .token(token)
        .endpoint("infra-optim", fake.server.uri())
        .authenticate()
        .await
        .unwrap();
    assert!(direct.keystone().is_none());
    assert_eq!(goals(&direct).await.unwrap(), 1);
    assert_eq!(fake.logins(), 1, "direct mode never logs in");
    let missing = Cloud::builder().token("t").authenticate().await.unwrap();
    assert!(matches!(
        opsclient::monasca::Client::from_cloud(&missing).await,
        Err(Error::Config(_))
    ));
}

#[tokio::test]
async fn catalog_interface_region_and_overrides() {
    let fake = FakeCloud::start(HOUR).await;
    let cloud = Cloud::builder()
        .url(fake.auth_url())
        .password(admin(), PASSWORD)
        .interface(Interface::Internal)
        .authenticate()
        .await
        .unwrap();
    assert_eq!(
        cloud.endpoint(&["monitoring"]).unwrap(),
        format!("{}/v2.0/internal", fake.server.uri())
    );
    assert_eq!(
        cloud.endpoint(opsclient::watcher::SERVICE_TYPES).unwrap(),
        format!("{}/internal", fake.server.uri())
    );
    let elsewhere = Cloud::builder()
        .url(fake.auth_url())
        .password(admin(), PASSWORD)
        .region("RegionTwo")
        .authenticate()
        .await
        .unwrap();
    let err = elsewhere.endpoint(&["monitoring"]).unwrap_err();
    assert!(err.to_string().contains("in region RegionTwo"), "{err}");
    let overridden = Cloud::builder()
        .url(fake.auth_url())
        .password(admin(), PASSWORD)
        .endpoint("monitoring", "http://elsewhere:8070/v2.0/")
        .authenticate()
        .await
        .unwrap();
    assert_eq!(
        overridden.endpoint(&["monitoring"]).unwrap(),
        "http://elsewhere:8070/v2.0"
    );
    assert!(
        opsclient::monasca::Client::from_cloud_with_version(&cloud, "3_0")
            .await
            .is_err()
    );
}

#[tokio::test]
async fn microversions_are_negotiated_unless_pinned() {
    let fake = FakeCloud::start(HOUR).await;
    let cloud = Cloud::builder()
        .url(fake.auth_url())
        .password(admin(), PASSWORD)
        .authenticate()
        .await
        .unwrap();

    // The server advertises 1.0–1.4: the client starts at the highest version both know.
    fake.state().watcher_range = (0, 4);
    let watcher = opsclient::watcher::Client::from_cloud(&cloud)
        .await
        .unwrap();
    assert_eq!(watcher.microversion(), "1.4".parse::<Version>().unwrap());
    assert_eq!(goals_of(&watcher).await.unwrap(), 1);

    // A mixed deployment advertises 1.7 but this node answers 406 above 1.4: renegotiate once.
    fake.state().advertised_range = Some((0, 7));
    let watcher = opsclient::watcher::Client::from_cloud(&cloud)
        .await
        .unwrap();
    assert_eq!(watcher.microversion(), "1.7".parse::<Version>().unwrap());
    assert_eq!(goals_of(&watcher).await.unwrap(), 1);
    assert_eq!(watcher.microversion(), "1.4".parse::<Version>().unwrap());
    let asked: Vec<_> = fake
        .received("/v1/goals")
        .await
        .iter()
        .map(|r| {
            r.headers
                .get("openstack-api-version")
                .unwrap()
                .to_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(
        asked,
        ["infra-optim 1.4", "infra-optim 1.7", "infra-optim 1.4"]
    );

    // A pinned version is never renegotiated: the 406 is a typed error with the range.
    let pinned = Cloud::builder()
        .url(fake.auth_url())
        .password(admin(), PASSWORD)
        .api_version("infra-optim", "1.6")
        .authenticate()
        .await
        .unwrap();
    let watcher = opsclient::watcher::Client::from_cloud(&pinned)
        .await
        .unwrap();
    let err = watcher.list_goals().send().await.unwrap_err();
    match err {
        Error::UnsupportedVersion(mismatch) => {
            assert_eq!(mismatch.requested, "1.6");
            assert_eq!(
                (mismatch.minimum.as_deref(), mismatch.maximum.as_deref()),
                (Some("1.0"), Some("1.4"))
            );
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn fields_and_operations_newer_than_the_version_are_refused_before_sending() {
    let fake = FakeCloud::start(HOUR).await;
    let pinned = Cloud::builder()
        .url(fake.auth_url())
        .password(admin(), PASSWORD)
        .api_version("infra-optim", "1.1")
        .authenticate()
        .await
        .unwrap();
    let watcher = opsclient::watcher::Client::from_cloud(&pinned)
        .await
        .unwrap();
    let before = fake.server.received_requests().await.unwrap().len();

    let audit: opsclient::watcher::types::AuditCreate =
        serde_json::from_value(json!({"audit_type": "ONESHOT", "goal": "dummy", "force": true}))
            .unwrap();
    match watcher.create_audit().body(audit).send().await.unwrap_err() {
        Error::InvalidInput(opsclient::error::InvalidInput::Client(v)) => {
            assert_eq!(v.field, "force");
            assert!(v.reason.contains("1.2"), "{}", v.reason);
        }
        other => panic!("{other:?}"),
    }
    let err = watcher.get_data_model().send().await.unwrap_err();
    assert!(err.to_string().contains("needs API version 1.3"), "{err}");
    let err = watcher
        .skip_action("a-1", Some("not needed"))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("needs API version 1.5"), "{err}");
    assert_eq!(
        fake.server.received_requests().await.unwrap().len(),
        before,
        "nothing was sent"
    );
}

#[tokio::test]
async fn os_variables_configure_a_cloud_and_name_what_is_missing() {
    let fake = FakeCloud::start(HOUR).await;
    let url = fake.auth_url();
    let cloud = Cloud::builder()
        .env_from(env(&[
            ("OS_AUTH_URL", &url),
            ("OS_USERNAME", "admin"),
            ("OS_PASSWORD", PASSWORD),
            ("OS_USER_DOMAIN_ID", "default"),
            ("OS_PROJECT_NAME", "admin"),
            ("OS_PROJECT_DOMAIN_NAME", "Default"),
            ("OS_REGION_NAME", "RegionOne"),
            ("OS_INTERFACE", "publicURL"),
            ("OS_INFRA_OPTIM_API_VERSION", "1.5"),
        ]))
        .unwrap()
        .authenticate()
        .await
        .unwrap();
    assert_eq!(cloud.api_version("infra-optim"), Some("1.5"));
    assert_eq!(goals(&cloud).await.unwrap(), 1);

    let missing = |pairs: &[(&str, &str)]| match Cloud::builder().env_from(env(pairs)) {
        Err(Error::Config(e)) => e,
        other => panic!("{other:?}"),
    };
    // Every variable a password login needs and lacks, in one error.
    assert_eq!(
        missing(&[]),
        ConfigError::MissingVariables {
            names: vec![
                "OS_AUTH_URL".into(),
                "OS_USERNAME or OS_USER_ID".into(),
                "OS_PASSWORD".into()
            ]
        }
    );
    assert_eq!(
        missing(&[("OS_USERNAME", "admin")]).to_string(),
        "these environment variables are not set: OS_AUTH_URL; OS_PASSWORD"
    );
    // The user's domain defaults to `default`: only the password is missing.
    assert_eq!(
        missing(&[("OS_AUTH_URL", &url), ("OS_USERNAME", "admin")]),
        ConfigError::MissingVariable {
            name: "OS_PASSWORD".into()
        }
    );
    assert_eq!(
        missing(&[("OS_USER_ID", "u"), ("OS_PASSWORD", "p")]),
        ConfigError::MissingVariable {
            name: "OS_AUTH_URL".into()
        }
    );
    // An application credential by name needs its user's domain: no default there, as in
    // osc-lib, which defaults it for password and TOTP logins only.
    assert_eq!(
        missing(&[
            ("OS_AUTH_URL", &url),
            ("OS_AUTH_TYPE", "v3applicationcredential"),
            ("OS_APPLICATION_CREDENTIAL_NAME", "ci"),
            ("OS_USERNAME", "admin"),
        ]),
        ConfigError::MissingVariables {
            names: vec![
                "OS_USER_DOMAIN_ID or OS_USER_DOMAIN_NAME".into(),
                "OS_APPLICATION_CREDENTIAL_SECRET".into()
            ]
        }
    );
    assert_eq!(
        missing(&[
            ("OS_AUTH_TYPE", "v3oidcpassword"),
            ("OS_AUTH_URL", &url),
            ("OS_PROTOCOL", "openid"),
            ("OS_CLIENT_ID", "c"),
        ]),
        ConfigError::MissingVariables {
            names: vec![
                "OS_IDENTITY_PROVIDER".into(),
                "OS_CLIENT_SECRET".into(),
                "OS_USERNAME".into(),
                "OS_PASSWORD".into()
            ]
        }
    );
    match missing(&[
        ("OS_AUTH_URL", &url),
        ("OS_USER_ID", "u"),
        ("OS_PASSWORD", "p"),
        ("OS_INSECURE", "maybe"),
    ]) {
        ConfigError::InvalidVariable { name, .. } => assert_eq!(name, "OS_INSECURE"),
        other => panic!("{other:?}"),
    }
    // OS_TOKEN + OS_ENDPOINT: no Keystone.
    let direct = Cloud::builder()
        .env_from(env(&[
            ("OS_AUTH_TYPE", "token_endpoint"),
            ("OS_TOKEN", "t"),
            ("OS_ENDPOINT", "http://127.0.0.1:9322"),
        ]))
        .unwrap()
        .authenticate()
        .await
        .unwrap();
    assert_eq!(
        direct.endpoint(opsclient::watcher::SERVICE_TYPES).unwrap(),
        "http://127.0.0.1:9322"
    );
}

#[tokio::test]
async fn domains_default_to_default_as_osc_lib_sets_them() {
    let fake = FakeCloud::start(HOUR).await;
    let url = fake.auth_url();
    // A password login as admin from OS_* variables, with `more` of them.
    let connect = |more: &[(&str, &str)]| {
        let mut vars = vec![
            ("OS_AUTH_URL", url.as_str()),
            ("OS_USERNAME", "admin"),
            ("OS_PASSWORD", PASSWORD),
        ];
        vars.extend_from_slice(more);
        Cloud::builder()
            .env_from(env(&vars))
            .unwrap()
            .authenticate()
    };
    // No domain variable: the user and the project are in the domain `default`.
    let cloud = connect(&[("OS_PROJECT_NAME", "admin")]).await;
    assert!(cloud.is_ok(), "{cloud:?}");
    assert_eq!(
        fake.state().scopes[0],
        json!({"project": {"name": "admin", "domain": {"id": "default"}}})
    );
    // OS_DEFAULT_DOMAIN names another; a domain given outright wins over it.
    let other = connect(&[
        ("OS_PROJECT_NAME", "ops"),
        ("OS_USER_DOMAIN_NAME", "Default"),
        ("OS_DEFAULT_DOMAIN", "d-7"),
    ])
    .await;
    assert!(other.is_ok(), "{other:?}");
    assert_eq!(
        fake.state().scopes[1],
        json!({"project": {"name": "ops", "domain": {"id": "d-7"}}})
    );
    // The user's domain took OS_DEFAULT_DOMAIN too: the stand-in knows admin only in
    // `default`, and refuses the login.
    let refused = connect(&[("OS_DEFAULT_DOMAIN", "d-7")]).await;
    assert!(
        matches!(refused, Err(Error::Unauthorized(_))),
        "{refused:?}"
    );
}

#[tokio::test]
async fn clouds_yaml_with_secure_yaml_and_os_cloud() {
    let fake = FakeCloud::start(HOUR).await;
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("openstack");
    std::fs::create_dir(&config).unwrap();
    let clouds = format!(
        "clouds:\n  test:\n    auth:\n      auth_url: {}\n      username: admin\n      user_domain_name: Default\n      project_id: p-9\n    region_name: RegionOne\n    interface: internal\n",
        fake.auth_url()
    );
    std::fs::File::create(config.join("clouds.yaml"))
        .unwrap()
        .write_all(clouds.as_bytes())
        .unwrap();
    let secure = format!("clouds:\n  test:\n    auth:\n      password: {PASSWORD}\n");
    std::fs::File::create(config.join("secure.yaml"))
        .unwrap()
        .write_all(secure.as_bytes())
        .unwrap();
    let home = dir.path().to_str().unwrap().to_string();

    let lookup = env(&[("OS_CLOUD", "test"), ("XDG_CONFIG_HOME", &home)]);
    let cloud = Cloud::builder()
        .env_from(lookup)
        .unwrap()
        .authenticate()
        .await
        .unwrap();
    assert_eq!(fake.state().scopes[0], json!({"project": {"id": "p-9"}}));
    assert_eq!(cloud.interface(), Interface::Internal);

    // OS_CLIENT_CONFIG_FILE comes first; a missing key is named with its file and cloud.
    let broken = dir.path().join("broken.yaml");
    std::fs::write(
        &broken,
        "clouds:\n  test:\n    auth:\n      project_name: admin\n",
    )
    .unwrap();
    let lookup = env(&[
        ("OS_CLOUD", "test"),
        ("OS_CLIENT_CONFIG_FILE", broken.to_str().unwrap()),
        ("XDG_CONFIG_HOME", &home),
    ]);
    let err = Cloud::builder().env_from(lookup).unwrap_err().to_string();
    // Every missing key at once (secure.yaml gives the password).
    assert!(
        err.contains("broken.yaml")
            && err.contains(
                "these settings are missing: auth.auth_url; auth.username or auth.user_id"
            ),
        "{err}"
    );
    let lookup = env(&[("OS_CLOUD", "nope"), ("XDG_CONFIG_HOME", &home)]);
    assert!(Cloud::builder()
        .env_from(lookup)
        .unwrap_err()
        .to_string()
        .contains("no cloud \"nope\""));
}

#[test]
fn a_builders_debug_names_its_login_method_and_user_and_redacts_the_secret() {
    let shown = |builder: opsclient::openstack::CloudBuilder| format!("{builder:?}");
    let password = shown(Cloud::builder().password(admin(), "pw-s3cret"));
    assert!(
        password.contains(r#"Password { user: Name { name: "admin""#)
            && password.contains(r#"password: "[redacted]""#),
        "{password}"
    );
    let token = shown(Cloud::builder().token("tok-s3cret"));
    assert!(token.contains("Token([redacted])"), "{token}");
    let credential = shown(
        Cloud::builder()
            .application_credential(ApplicationCredentialRef::Id("cred-1".into()), "app-s3cret"),
    );
    assert!(
        credential.contains(r#"ApplicationCredential { credential: Id("cred-1")"#)
            && credential.contains(r#"secret: "[redacted]""#),
        "{credential}"
    );
    let totp =
        shown(Cloud::builder().totp(admin(), Passcode::Fixed("123456-s3cret".to_string().into())));
    assert!(
        totp.contains(r#"Totp { user: Name { name: "admin""#)
            && totp.contains(r#"passcode: "[redacted]""#),
        "{totp}"
    );
    for text in [password, token, credential, totp] {
        assert!(!text.contains("s3cret"), "{text}");
    }
    // A passcode on its own says what it is and nothing more.
    let fixed = Passcode::Fixed("654321".to_string().into());
    assert_eq!(format!("{fixed:?}"), "Passcode([redacted])");
}
