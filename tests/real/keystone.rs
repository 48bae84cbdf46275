//! Authentication against the real Keystone that `cargo xtask servers up` starts: every login
//! method and scope, catalog selection, `clouds.yaml` and `OS_*`, a token that really expires
//! mid-run, a revoked token, and every operation of the Keystone document. Skipped (with a
//! note) when the servers are not running.

#![cfg(all(feature = "watcher", feature = "monasca"))]

use std::time::{Duration, SystemTime};

use crate::servers::{access, token_of, use_watcher, Real};
use crate::support::recorder::Recorder;
use opsclient::openstack::auth::{
    ApplicationCredentialRef, DomainRef, Passcode, ProjectRef, Scope, UserRef,
};
use opsclient::openstack::totp::Totp;
use opsclient::openstack::{Cloud, Interface};
use opsclient::Error;

#[tokio::test]
async fn every_login_method_and_scope() {
    let Some(real) = Real::get("every_login_method_and_scope") else {
        return;
    };
    let url = real.var("OS_AUTH_URL");
    let password = real.var("OS_PASSWORD");
    let admin_id = UserRef::Id(real.var("OPSCLIENT_ADMIN_USER_ID"));
    let project_id = Scope::Project(ProjectRef::Id(real.var("OPSCLIENT_ADMIN_PROJECT_ID")));

    let by_name = real.cloud().await;
    let project = by_name
        .keystone()
        .unwrap()
        .validate_token()
        .x_subject_token(access(&by_name).await)
        .send()
        .await
        .unwrap();
    assert_eq!(
        Some(project.token.project.as_ref().unwrap().name.as_str()),
        Some("admin")
    );

    let scoped = |user: UserRef, scope: Scope| {
        Cloud::builder()
            .url(url.clone())
            .password(user, password.clone())
            .scope(scope)
            .authenticate()
    };
    let by_id = scoped(admin_id.clone(), project_id.clone()).await.unwrap();
    assert!(by_id.catalog().iter().any(|s| s.type_ == "infra-optim"));
    let token = token_of(&by_name, &by_id).await;
    assert_eq!(token.user.id, real.var("OPSCLIENT_ADMIN_USER_ID"));
    assert_eq!(token.methods, ["password"]);
    assert_eq!(
        token.project.map(|p| p.id),
        Some(real.var("OPSCLIENT_ADMIN_PROJECT_ID"))
    );
    let domain = scoped(real.admin(), Scope::Domain(DomainRef::Id("default".into())))
        .await
        .unwrap();
    let system = scoped(real.admin(), Scope::System).await.unwrap();
    let unscoped = scoped(real.admin(), Scope::Unscoped).await.unwrap();
    for (cloud, check) in [
        (&domain, "domain"),
        (&system, "system"),
        (&unscoped, "unscoped"),
    ] {
        let body = by_name
            .keystone()
            .unwrap()
            .validate_token()
            .x_subject_token(access(cloud).await)
            .send()
            .await
            .unwrap();
        let token = &body.token;
        match check {
            "domain" => assert_eq!(
                token.domain.as_ref().unwrap().id.as_deref(),
                Some("default")
            ),
            "system" => assert_eq!(token.system.as_ref().unwrap().all, Some(true)),
            _ => {
                assert!(token.project.is_none() && token.domain.is_none() && token.system.is_none())
            }
        }
    }

    // A token exchanged for a project-scoped one.
    let rescoped = Cloud::builder()
        .url(url.clone())
        .token(access(&unscoped).await)
        .scope(real.admin_project())
        .authenticate()
        .await
        .unwrap();
    assert_ne!(access(&rescoped).await, access(&unscoped).await);

    // Application credentials, by id and by name and user.
    let secret = real.var("OPSCLIENT_APPLICATION_CREDENTIAL_SECRET");
    for credential in [
        ApplicationCredentialRef::Id(real.var("OPSCLIENT_APPLICATION_CREDENTIAL_ID")),
        ApplicationCredentialRef::Name {
            name: real.var("OPSCLIENT_APPLICATION_CREDENTIAL_NAME"),
            user: admin_id.clone(),
        },
    ] {
        let cloud = Cloud::builder()
            .url(url.clone())
            .application_credential(credential, secret.clone())
            .authenticate()
            .await
            .unwrap();
        let token = token_of(&by_name, &cloud).await;
        assert_eq!(token.user.id, real.var("OPSCLIENT_ADMIN_USER_ID"));
        assert_eq!(token.methods, ["application_credential"]);
        assert_eq!(
            token.application_credential.map(|c| c.id),
            Some(real.var("OPSCLIENT_APPLICATION_CREDENTIAL_ID"))
        );
        use_watcher(&cloud).await;
    }

    // TOTP, computing passcodes from the shared secret.
    let totp_user = UserRef::Id(real.var("OPSCLIENT_TOTP_USER_ID"));
    let passcode = Passcode::Secret(Totp::from_base32(&real.var("OPSCLIENT_TOTP_SECRET")).unwrap());
    let totp = Cloud::builder()
        .url(url.clone())
        .totp(totp_user, passcode)
        .scope(real.admin_project())
        .authenticate()
        .await
        .unwrap();
    let token = token_of(&by_name, &totp).await;
    assert_eq!(token.user.id, real.var("OPSCLIENT_TOTP_USER_ID"));
    assert_eq!(token.user.name, real.var("OPSCLIENT_TOTP_USERNAME"));
    assert_eq!(token.methods, ["totp"]);

    let wrong = Cloud::builder()
        .url(url)
        .password(real.admin(), "wrong")
        .authenticate()
        .await
        .unwrap_err();
    assert!(matches!(wrong, Error::Unauthorized(_)), "{wrong:?}");
}

#[tokio::test]
async fn catalog_selection_and_configuration_sources() {
    let Some(real) = Real::get("catalog_selection_and_configuration_sources") else {
        return;
    };
    let cloud = real.cloud().await;
    assert_eq!(
        cloud.endpoint(opsclient::watcher::SERVICE_TYPES).unwrap(),
        real.var("OPSCLIENT_WATCHER_URL")
    );
    assert_eq!(
        cloud.endpoint(opsclient::monasca::SERVICE_TYPES).unwrap(),
        real.var("OPSCLIENT_MONASCA_URL")
    );
    for interface in [Interface::Internal, Interface::Admin] {
        let other = real
            .builder()
            .interface(interface)
            .authenticate()
            .await
            .unwrap();
        assert_eq!(
            other.endpoint(&["monitoring"]).unwrap(),
            real.var("OPSCLIENT_MONASCA_URL")
        );
    }
    let nowhere = real
        .builder()
        .region("RegionNine")
        .authenticate()
        .await
        .unwrap();
    assert!(nowhere
        .endpoint(&["monitoring"])
        .unwrap_err()
        .to_string()
        .contains("RegionNine"));

    // The OS_* variables the servers wrote, with the legacy interface spelling.
    let lookup = real.lookup();
    let from_env = Cloud::builder()
        .env_from(|name| {
            if name == "OS_INTERFACE" {
                Some("publicURL".into())
            } else {
                lookup(name)
            }
        })
        .unwrap()
        .authenticate()
        .await
        .unwrap();
    let admin_id = real.var("OPSCLIENT_ADMIN_USER_ID");
    assert_eq!(token_of(&cloud, &from_env).await.user.id, admin_id);
    use_watcher(&from_env).await;

    // No domain variable: Keystone takes the user and the project in the domain `default`,
    // where osc-lib puts them.
    let without_domains = Cloud::builder()
        .env_from(|name| {
            if name.contains("DOMAIN") {
                None
            } else {
                lookup(name)
            }
        })
        .unwrap()
        .authenticate()
        .await
        .unwrap();
    assert_eq!(token_of(&cloud, &without_domains).await.user.id, admin_id);

    // clouds.yaml, found through OS_CLIENT_CONFIG_FILE and chosen by OS_CLOUD.
    let (file, name) = (
        real.var("OPSCLIENT_CLOUDS_YAML"),
        real.var("OPSCLIENT_CLOUD"),
    );
    let from_yaml = Cloud::builder()
        .env_from(|variable| match variable {
            "OS_CLIENT_CONFIG_FILE" => Some(file.clone()),
            "OS_CLOUD" => Some(name.clone()),
            _ => None,
        })
        .unwrap()
        .authenticate()
        .await
        .unwrap();
    assert_eq!(token_of(&cloud, &from_yaml).await.user.id, admin_id);
    let monasca = opsclient::monasca::Client::from_cloud(&from_yaml)
        .await
        .unwrap();
    monasca.list_metrics().send().await.unwrap();
}

#[tokio::test]
async fn an_expired_token_is_replaced_mid_run() {
    let Some(real) = Real::get("an_expired_token_is_replaced_mid_run") else {
        return;
    };
    // No early renewal: the token must really expire, be refused, and be replaced.
    let cloud = real
        .builder()
        .refresh_threshold(Duration::ZERO)
        .authenticate()
        .await
        .unwrap();
    let watcher = opsclient::watcher::Client::from_cloud(&cloud)
        .await
        .unwrap();
    watcher.list_goals().send().await.unwrap();
    let first = access(&cloud).await;
    let expires_at = cloud.expires_at().await.unwrap();
    let wait = expires_at
        .duration_since(SystemTime::now())
        .unwrap_or_default()
        + Duration::from_secs(2);
    eprintln!("waiting {} s for the token to expire", wait.as_secs());
    tokio::time::sleep(wait).await;
    let goals = watcher.list_goals().send().await.unwrap().into_inner();
    assert!(!goals.goals.is_empty());
    assert_ne!(
        access(&cloud).await,
        first,
        "a new token replaced the expired one"
    );
}

#[tokio::test]
async fn a_revoked_token_is_replaced_and_every_keystone_operation_answers() {
    let Some(real) = Real::get("a_revoked_token_is_replaced_and_every_keystone_operation_answers")
    else {
        return;
    };
    let recorder = Recorder::start();
    let cloud = real.cloud().await;
    let keystone = cloud.keystone().unwrap();
    let version = keystone.get_version().send().await.unwrap();
    assert!(version.version.id.starts_with("v3"));
    let token = access(&cloud).await;
    keystone
        .check_token()
        .x_subject_token(token.clone())
        .send()
        .await
        .unwrap();
    let validated = keystone
        .validate_token()
        .x_subject_token(token.clone())
        .nocatalog(true)
        .send()
        .await
        .unwrap();
    assert!(validated
        .token
        .catalog
        .as_ref()
        .is_none_or(|c| c.is_empty()));
    assert!(keystone
        .get_catalog()
        .send()
        .await
        .unwrap()
        .catalog
        .iter()
        .any(|s| s.type_ == "infra-optim"));
    assert!(keystone
        .list_auth_projects()
        .send()
        .await
        .unwrap()
        .projects
        .iter()
        .any(|p| p.name == "admin"));
    assert!(keystone
        .list_auth_domains()
        .send()
        .await
        .unwrap()
        .domains
        .iter()
        .any(|d| d.id == "default"));
    keystone.list_auth_system().send().await.unwrap();

    // Revoke the session's own token: Keystone forgets it, the client logs in again.
    let other = real.cloud().await;
    other
        .keystone()
        .unwrap()
        .revoke_token()
        .x_subject_token(token.clone())
        .send()
        .await
        .unwrap();
    let gone = other
        .keystone()
        .unwrap()
        .validate_token()
        .x_subject_token(token.clone())
        .send()
        .await
        .unwrap_err();
    assert!(matches!(gone, Error::NotFound(_)));
    let watcher = opsclient::watcher::Client::from_cloud(&cloud)
        .await
        .unwrap();
    watcher.list_goals().send().await.unwrap();
    assert_ne!(access(&cloud).await, token);

    let missing = recorder.missing(opsclient::openstack::keystone::operations());
    assert!(missing.is_empty(), "never answered: {missing:?}");
}

/// A server on a free loopback port that answers every request with `answer` (or, for `None`,
/// accepts connections and never answers), and its URL.
fn loopback_server(answer: Option<&'static [u8]>) -> String {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/v3", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for mut stream in listener.incoming().flatten() {
            match answer {
                Some(answer) => {
                    let mut request = [0u8; 1024];
                    let _ = stream.read(&mut request);
                    let _ = stream.write_all(answer);
                }
                None => held.push(stream),
            }
        }
    });
    url
}

#[test]
fn real_server_settings_are_required_only_when_the_full_run_says_so() {
    use crate::support::settings::{load, Verdict};
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("env.json");
    let skipped = |verdict: Verdict| match verdict {
        Verdict::Skip(why) => why,
        other => panic!("not skipped: {other:?}"),
    };
    let failed = |verdict: Verdict| match verdict {
        Verdict::Fail(why) => why,
        other => panic!("not failed: {other:?}"),
    };

    // No settings: skipped by plain `cargo test`, a clear failure when required.
    let why = skipped(load(&file, false));
    assert!(
        why.contains(&file.display().to_string()) && why.contains("cannot be read"),
        "{why}"
    );
    let problem = failed(load(&file, true));
    assert!(
        problem.contains("OPSCLIENT_REAL_SERVERS=required"),
        "{problem}"
    );
    assert!(problem.contains(&file.display().to_string()), "{problem}");
    assert!(problem.contains("cannot be read"), "{problem}");
    // Unreadable (a directory in its place): the same.
    std::fs::create_dir(&file).unwrap();
    assert!(skipped(load(&file, false)).contains("cannot be read"));
    assert!(failed(load(&file, true)).contains("cannot be read"));
    std::fs::remove_dir(&file).unwrap();

    // Settings that are not a JSON object fail either way.
    for text in ["{not json", "[1, 2]"] {
        std::fs::write(&file, text).unwrap();
        for required in [false, true] {
            let problem = failed(load(&file, required));
            assert!(problem.contains("is not usable"), "{problem}");
        }
    }

    // A server that answers: the settings, as strings.
    let answering = loopback_server(Some(b"HTTP/1.0 200 OK\r\ncontent-length: 0\r\n\r\n"));
    let settings = format!(r#"{{"OS_AUTH_URL": "{answering}", "OPSCLIENT_TOKEN_EXPIRATION": 30}}"#);
    std::fs::write(&file, &settings).unwrap();
    for required in [false, true] {
        let Verdict::Run(vars) = load(&file, required) else {
            panic!("the servers answer")
        };
        assert_eq!(vars["OS_AUTH_URL"], answering);
        assert_eq!(vars["OPSCLIENT_TOKEN_EXPIRATION"], "30");
    }

    // A port nobody listens on, a server that never answers, and one that answers something
    // other than HTTP: skipped by plain `cargo test`, a failure naming the URL when required.
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}/v3", listener.local_addr().unwrap())
    };
    let silent = loopback_server(None);
    let not_http = loopback_server(Some(b"SSH-2.0-OpenSSH_9.2\r\n"));
    for (url, why) in [
        (&closed, "cannot connect"),
        (&silent, "no answer"),
        (&not_http, "not HTTP"),
    ] {
        let text = format!(r#"{{"OS_AUTH_URL": "{answering}", "OPSCLIENT_WATCHER_URL": "{url}"}}"#);
        std::fs::write(&file, text).unwrap();
        for (required, problem) in [
            (false, skipped(load(&file, false))),
            (true, failed(load(&file, true))),
        ] {
            assert!(problem.contains("does not answer"), "{problem}");
            assert!(
                problem.contains(url.as_str()) && problem.contains(why),
                "{problem}"
            );
            assert_eq!(
                problem.contains("OPSCLIENT_REAL_SERVERS"),
                required,
                "{problem}"
            );
        }
    }
}
