//! Real opsclient clients against the typed mocks, one scenario per API: each logs in through
//! the mocked login, sends one operation, and checks what the mock received and what the
//! client decoded. One test binary, so the library is linked once.

#[cfg(feature = "openstack")]
mod keystone;
#[cfg(feature = "monasca")]
mod monasca;
#[cfg(feature = "saltant")]
mod saltant;
#[cfg(feature = "sensu")]
mod sensu;
#[cfg(feature = "watcher")]
mod watcher;

/// A cloud logged in to the mocked Keystone as `admin` with the project scope the mock
/// answers.
#[cfg(feature = "openstack")]
async fn cloud(server: &httpmock::MockServer) -> opsclient::openstack::Cloud {
    use opsclient::openstack::auth::{DomainRef, ProjectRef, Scope, UserRef};
    opsclient::openstack::Cloud::builder()
        .url(opsclient_mock::keystone::auth_url(server))
        .password(
            UserRef::Name {
                name: "admin".into(),
                domain: DomainRef::Id("default".into()),
            },
            "s3cret",
        )
        .scope(Scope::Project(ProjectRef::Name {
            name: opsclient_mock::keystone::PROJECT.into(),
            domain: DomainRef::Id("default".into()),
        }))
        .authenticate()
        .await
        .unwrap()
}
