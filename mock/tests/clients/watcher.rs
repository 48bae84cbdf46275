//! Watcher: through the mocked Keystone's catalog, version discovery, then a typed list.

use httpmock::MockServer;
use opsclient::watcher::{types, Client, Version};
use opsclient_mock::keystone;
use opsclient_mock::watcher::{self as mock, MockServerExt};

#[tokio::test]
async fn a_client_from_the_cloud_negotiates_and_lists_goals_with_the_token() {
    let server = MockServer::start_async().await;
    keystone::login(&server, "admin", "s3cret");
    let versions = mock::versions(&server, "1.4");
    let goal: types::GoalSummary = types::GoalSummary::builder()
        .uuid("g-1")
        .name("server_consolidation")
        .try_into()
        .unwrap();
    let goals: types::GoalCollection = types::GoalCollection::builder()
        .goals(vec![goal])
        .try_into()
        .unwrap();
    let list = server.list_goals(|when, then| {
        when.limit(std::num::NonZeroU64::new(10))
            .into_inner()
            .header("x-auth-token", keystone::TOKEN)
            .header("openstack-api-version", "infra-optim 1.4");
        then.ok(&goals);
    });

    let cloud = crate::cloud(&server).await;
    let watcher = Client::from_cloud(&cloud).await.unwrap();
    let listed = watcher
        .list_goals()
        .limit(10)
        .send()
        .await
        .unwrap()
        .into_inner();

    versions.assert();
    list.assert();
    assert_eq!(watcher.microversion(), Version { major: 1, minor: 4 });
    assert_eq!(listed, goals);
    assert_eq!(
        listed.goals[0].name.as_deref(),
        Some("server_consolidation")
    );
}
