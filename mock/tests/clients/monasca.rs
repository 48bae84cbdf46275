//! Monasca: through the mocked Keystone's catalog, a typed metric sent and a list decoded.

use httpmock::MockServer;
use opsclient::monasca::{types, Client};
use opsclient_mock::keystone;
use opsclient_mock::monasca::MockServerExt;

fn metric() -> types::MetricCreate {
    types::MetricCreate::builder()
        .name("cpu.idle_perc")
        .timestamp(1_700_000_000_000_i64)
        .value(97.5)
        .try_into()
        .unwrap()
}

#[tokio::test]
async fn a_client_from_the_cloud_sends_a_metric_and_lists_metrics() {
    let server = MockServer::start_async().await;
    keystone::login(&server, "admin", "s3cret");
    let create = server.create_metrics(|when, then| {
        when.body(&types::MetricsRequest::from(metric()))
            .into_inner()
            .header("x-auth-token", keystone::TOKEN);
        then.no_content();
    });
    let answer: types::MetricCollection = serde_json::from_value(serde_json::json!({
        "links": [],
        "elements": [{"id": "m-1", "name": "cpu.idle_perc", "dimensions": {"hostname": "web-1"}}],
    }))
    .unwrap();
    let list = server.list_metrics(|when, then| {
        when.name("cpu.idle_perc")
            .into_inner()
            .header("x-auth-token", keystone::TOKEN);
        then.ok(&answer);
    });

    let cloud = crate::cloud(&server).await;
    let monasca = Client::from_cloud(&cloud).await.unwrap();
    monasca
        .create_metrics()
        .body(metric())
        .send()
        .await
        .unwrap();
    let listed = monasca
        .list_metrics()
        .name("cpu.idle_perc")
        .send()
        .await
        .unwrap()
        .into_inner();

    create.assert();
    list.assert();
    assert_eq!(listed, answer);
    assert_eq!(listed.elements[0].id, "m-1");
}
