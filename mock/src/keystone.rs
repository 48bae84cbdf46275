//! Typed mocks of Keystone's authentication API ([`opsclient::openstack::keystone`]), and a
//! password login whose catalog points back at the mock server, so that
//! [`opsclient::openstack::Cloud`] logs in and finds Watcher and Monasca on it.

use httpmock::{Mock, MockServer};
use opsclient::openstack::keystone::types;

crate::generated_mocks!("keystone.rs");

/// The token a mocked login answers in `X-Subject-Token`, and the clients then send as
/// `X-Auth-Token`.
pub const TOKEN: &str = "mock-keystone-token";
/// The id of the user a mocked login logs in.
pub const USER_ID: &str = "mock-user-id";
/// The project a mocked login scopes its token to.
pub const PROJECT: &str = "mock-project";
/// The project's id.
pub const PROJECT_ID: &str = "mock-project-id";
/// The region of every endpoint of the mocked catalog.
pub const REGION: &str = "RegionOne";

/// The path of the mocked Monasca endpoint, below the server's URL: the catalog gives Monasca
/// with its API version, as a real one does.
pub const MONASCA_PATH: &str = "/v2.0";

/// What to give [`opsclient::openstack::CloudBuilder::url`]: the mock server's Keystone v3.
pub fn auth_url(server: &MockServer) -> String {
    server.url("/v3")
}

/// Mocks `POST /v3/auth/tokens` for a password login of the user `username` with `password`
/// (in any domain, with any scope): answers 201 with [`TOKEN`] in `X-Subject-Token` and a
/// project-scoped token of [`PROJECT`], valid for an hour, whose catalog is [`catalog`]. Other
/// credentials match no mock, and the server answers 404.
pub fn login<'a>(server: &'a MockServer, username: &str, password: &str) -> Mock<'a> {
    let credentials = serde_json::json!({"auth": {"identity": {
        "methods": ["password"],
        "password": {"user": {"name": username, "password": password}},
    }}});
    let answer = token(server, username);
    server.issue_token(|when, then| {
        when.into_inner()
            .json_body_includes(credentials.to_string());
        answer_with_token(then, &answer);
    })
}

/// Answers `answer` with the token in its header.
fn answer_with_token(then: operations::IssueTokenThen, answer: &types::AuthTokenResponse) {
    operations::IssueTokenThen::new(then.into_inner().header("x-subject-token", TOKEN))
        .created(answer);
}

/// The body of a mocked login of `username`: a project-scoped password token with
/// [`catalog`].
pub fn token(server: &MockServer, username: &str) -> types::AuthTokenResponse {
    let now = chrono::Utc::now();
    let timestamp =
        |at: chrono::DateTime<chrono::Utc>| at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string();
    let domain = || types::DomainRef {
        id: Some("default".into()),
        name: Some("Default".into()),
        extra: Default::default(),
    };
    let body = types::TokenBody::builder()
        .methods(vec!["password".to_string()])
        .user(
            types::TokenUser::builder()
                .id(USER_ID)
                .name(username)
                .domain(domain()),
        )
        .project(
            types::TokenProject::builder()
                .id(PROJECT_ID)
                .name(PROJECT)
                .domain(domain()),
        )
        .audit_ids(vec!["mock-audit-id".to_string()])
        .issued_at(timestamp(now))
        .expires_at(timestamp(now + chrono::Duration::hours(1)))
        .catalog(catalog(server));
    types::AuthTokenResponse::builder()
        .token(body)
        .try_into()
        .expect("the mocked token sets every required field")
}

/// The catalog of a mocked login: Keystone (`identity`) at [`auth_url`], Watcher
/// (`infra-optim`) at the server's URL and Monasca (`monitoring`) at [`MONASCA_PATH`], each
/// with a public and an internal endpoint in [`REGION`].
pub fn catalog(server: &MockServer) -> Vec<types::CatalogService> {
    let service = |kind: &str, name: &str, url: String| types::CatalogService {
        endpoints: ["public", "internal"]
            .into_iter()
            .map(|interface| types::CatalogEndpoint {
                id: Some(format!("{name}-{interface}")),
                interface: interface.into(),
                region: Some(REGION.into()),
                region_id: Some(REGION.into()),
                url: url.clone(),
                extra: Default::default(),
            })
            .collect(),
        id: Some(name.into()),
        name: Some(name.into()),
        type_: kind.into(),
        extra: Default::default(),
    };
    vec![
        service("identity", "keystone", auth_url(server)),
        service("infra-optim", "watcher", server.base_url()),
        service("monitoring", "monasca", server.url(MONASCA_PATH)),
    ]
}
