//! Keystone: a password login whose token and catalog the cloud keeps.

use httpmock::MockServer;
use opsclient::openstack::Interface;
use opsclient_mock::keystone as mock;
use secrecy::ExposeSecret;

#[tokio::test]
async fn a_password_login_keeps_the_token_and_finds_the_services_on_the_mock() {
    let server = MockServer::start_async().await;
    let login = mock::login(&server, "admin", "s3cret");
    let cloud = crate::cloud(&server).await;

    login.assert();
    let token = cloud.token().await.unwrap();
    assert_eq!(token.access().expose_secret(), mock::TOKEN);
    assert_eq!(cloud.interface(), Interface::Public);
    assert_eq!(cloud.endpoint(&["infra-optim"]).unwrap(), server.base_url());
    assert_eq!(
        cloud.endpoint(&["monitoring"]).unwrap(),
        server.url(mock::MONASCA_PATH)
    );
    let types: Vec<String> = cloud.catalog().into_iter().map(|s| s.type_).collect();
    assert_eq!(types, ["identity", "infra-optim", "monitoring"]);
}

#[tokio::test]
async fn a_wrong_password_is_refused() {
    let server = MockServer::start_async().await;
    let login = mock::login(&server, "admin", "another");
    let server_url = mock::auth_url(&server);
    let refused = opsclient::openstack::Cloud::builder()
        .url(server_url)
        .password(
            opsclient::openstack::auth::UserRef::Name {
                name: "admin".into(),
                domain: opsclient::openstack::auth::DomainRef::Id("default".into()),
            },
            "s3cret",
        )
        .authenticate()
        .await;
    assert!(refused.is_err());
    login.assert_calls(0);
}
