//! Every operation of the Sensu document, called through the public client against the
//! sandbox. The last check counts the document's operations and fails for any that never
//! answered with its success status.

use crate::support::conformance::Conformance;
use futures::TryStreamExt;
use opsclient::paging::ListRequest;
use opsclient::sensu::{types, Client, NamespacedResource, ResponseValue};
use opsclient::Error;
use opsclient_sandbox::Sandbox;
use serde::de::DeserializeOwned;
use serde_json::{json, Value};

const NS: &str = "ops";

/// The answer of a generated call, or a panic that shows the decoded error.
async fn ok<T, E>(
    request: impl std::future::Future<Output = Result<ResponseValue<T>, E>>,
) -> ResponseValue<T>
where
    Error: From<E>,
{
    request.await.map_err(Error::from).unwrap()
}

fn body<T: DeserializeOwned>(value: Value) -> T {
    serde_json::from_value(value).expect("a valid body")
}

fn patch(value: Value) -> types::MergePatch {
    body(value)
}

/// Get, create, update, list in the namespace and delete through the generic calls, which use
/// the kind's generated builders.
async fn generic_crud<R: NamespacedResource + std::fmt::Debug>(client: &Client, resource: R) -> R {
    let ns = client.in_namespace(NS);
    ns.create(&resource).await.unwrap();
    let name = resource.name().unwrap();
    let stored: R = ns.get(&name).await.unwrap();
    assert_eq!(stored.name(), Some(name.clone()));
    ns.create_or_update(&stored).await.unwrap();
    let listed: Vec<R> = ns.list(10).try_collect().await.unwrap();
    assert!(
        listed.iter().any(|r| r.name() == Some(name.clone())),
        "{listed:?}"
    );
    stored
}

/// The rest of a kind's operations: all-namespace list, patch, delete.
macro_rules! finish_kind {
    ($client:expr, $ty:ty, $name:expr, $param:ident, $list_all:ident, $patch:ident, $patch_body:expr) => {{
        let all = ok($client.$list_all().send()).await.into_inner();
        assert!(!all.is_empty(), "{} lists nothing", stringify!($list_all));
        let patched = ok($client
            .$patch()
            .namespace(NS)
            .$param($name)
            .body(patch($patch_body))
            .send())
        .await
        .into_inner();
        let _ = patched;
        $client.in_namespace(NS).delete::<$ty>($name).await.unwrap();
        let gone = $client
            .in_namespace(NS)
            .get::<$ty>($name)
            .await
            .unwrap_err();
        assert!(matches!(gone, Error::NotFound(_)), "{gone:?}");
    }};
}

/// Every operation of a cluster-wide kind, in order.
macro_rules! cluster_kind {
    ($client:expr, $resource:expr, $name:expr, $param:ident, $create:ident, $put:ident,
     $list:ident, $get:ident, $patch:ident, $delete:ident, $patch_body:expr) => {{
        ok($client.$create().body($resource.clone()).send()).await;
        ok($client.$put().$param($name).body($resource).send()).await;
        let names: Vec<_> = ok($client.$list().send())
            .await
            .iter()
            .map(|r| r.metadata.name.clone().unwrap_or_default())
            .collect();
        // Beside the seeded cluster-admin.
        assert_eq!(names, ["cluster-admin", $name]);
        let got = ok($client.$get().$param($name).send()).await;
        assert_eq!(got.metadata.name.as_deref(), Some($name));
        ok($client
            .$patch()
            .$param($name)
            .body(patch($patch_body))
            .send())
        .await;
        ok($client.$delete().$param($name).send()).await;
    }};
}

#[tokio::test]
async fn every_operation_answers_with_its_success_status() {
    let _answers = Conformance::expecting_answers();
    let sandbox = Sandbox::builder().start().await.unwrap();
    let client = Client::builder().url(sandbox.url()).build().unwrap();
    client
        .login(Sandbox::DEFAULT_USERNAME, Sandbox::DEFAULT_PASSWORD)
        .await
        .unwrap();

    namespaces(&client).await;
    resources(&client).await;
    checks(&client).await;
    events(&client).await;
    silenced(&client).await;
    users_and_keys(&client, &sandbox).await;
    cluster_and_system(&client).await;
    raw_auth(&sandbox).await;
    ok(
        // Deleting the namespace last: it must be empty by now.
        client.delete_namespace().namespace(NS).send(),
    )
    .await;

    let calls = sandbox.calls();
    let missing: Vec<_> = opsclient::sensu::operations()
        .iter()
        .filter(|op| calls.get(op.id).is_none_or(|c| c.succeeded == 0))
        .map(|op| format!("{} ({} {})", op.id, op.method, op.path))
        .collect();
    assert!(
        missing.is_empty(),
        "{} of {} operations never succeeded:\n{}",
        missing.len(),
        opsclient::sensu::operations().len(),
        missing.join("\n")
    );
}

async fn namespaces(client: &Client) {
    ok(client
        .create_namespace()
        .body(types::Namespace {
            name: NS.into(),
            extra: Default::default(),
        })
        .send())
    .await;
    ok(client
        .create_or_update_namespace()
        .namespace("scratch")
        .body(types::Namespace {
            name: "scratch".into(),
            extra: Default::default(),
        })
        .send())
    .await;
    let got = ok(client.get_namespace().namespace("scratch").send()).await;
    assert_eq!(got.name, "scratch");
    let patched = ok(client
        .patch_namespace()
        .namespace("scratch")
        .if_match(got.headers()["etag"].to_str().unwrap())
        .body(patch(json!({})))
        .send())
    .await;
    assert_eq!(patched.name, "scratch");
    let names: Vec<String> = client
        .list_namespaces()
        .stream(1)
        .map_ok(|n| n.name)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(names, ["default", NS, "scratch"]);
    // One page read with `send()` tells whether another follows.
    use opsclient::paging::NextPage;
    use opsclient::sensu::builder::ListNamespaces;
    let first = ok(client.list_namespaces().limit(2).send()).await;
    assert_eq!(first.len(), 2);
    let cursor = ListNamespaces::next_cursor(&first)
        .unwrap()
        .expect("a third namespace follows");
    let rest = ok(client.list_namespaces().limit(2).continue_(cursor).send()).await;
    assert_eq!(
        rest.iter().map(|n| n.name.as_str()).collect::<Vec<_>>(),
        ["scratch"]
    );
    assert_eq!(ListNamespaces::next_cursor(&rest).unwrap(), None);
    let whole = ok(client.list_namespaces().limit(10).send()).await;
    assert_eq!(ListNamespaces::next_cursor(&whole).unwrap(), None);
    let mine = ok(client.list_user_namespaces().send()).await;
    assert_eq!(mine.len(), 3);
    ok(client.delete_namespace().namespace("scratch").send()).await;
}

async fn resources(client: &Client) {
    let asset: types::Asset = body(json!({
        "metadata": {"name": "cpu-check"},
        "url": "https://assets.example.com/cpu.tar.gz",
        "sha512": "4f926bf4328fbad2b9cac873d117f771914f4b837c9c85584c38ccf55a3ef3c2e8d154812246e5dda4a87450576b2c58ad9ab40c9e2edc31b288d066b195b21b"
    }));
    generic_crud(client, asset).await;
    finish_kind!(
        client,
        types::Asset,
        "cpu-check",
        asset,
        list_assets_all_namespaces,
        patch_asset,
        json!({"headers": {"X-Token": "t"}})
    );

    let entity: types::Entity =
        body(json!({"metadata": {"name": "web-01", "namespace": NS}, "entity_class": "proxy"}));
    let created = ok(client
        .create_entity()
        .namespace(NS)
        .body(entity.clone())
        .send())
    .await;
    assert_eq!(created.metadata.name.as_deref(), Some("web-01"));
    let replaced = ok(client
        .create_or_update_entity()
        .namespace(NS)
        .entity("web-01")
        .body(entity)
        .send())
    .await;
    assert_eq!(replaced.entity_class.as_deref(), Some("proxy"));
    assert_eq!(
        ok(client.get_entity().namespace(NS).entity("web-01").send())
            .await
            .entity_class
            .as_deref(),
        Some("proxy")
    );
    assert_eq!(
        ok(client.list_entities().namespace(NS).send()).await.len(),
        1
    );
    finish_kind!(
        client,
        types::Entity,
        "web-01",
        entity,
        list_entities_all_namespaces,
        patch_entity,
        json!({"subscriptions": ["web"]})
    );

    let filter: types::EventFilter = body(json!({
        "metadata": {"name": "production"}, "action": "allow", "expressions": ["event.entity.labels.env == 'prod'"]
    }));
    generic_crud(client, filter).await;
    finish_kind!(
        client,
        types::EventFilter,
        "production",
        filter,
        list_filters_all_namespaces,
        patch_filter,
        json!({"action": "deny"})
    );

    let handler: types::Handler = body(
        json!({"metadata": {"name": "slack"}, "type": "pipe", "command": "sensu-slack-handler"}),
    );
    generic_crud(client, handler).await;
    finish_kind!(
        client,
        types::Handler,
        "slack",
        handler,
        list_handlers_all_namespaces,
        patch_handler,
        json!({"timeout": 10})
    );

    let hook: types::HookConfig =
        body(json!({"metadata": {"name": "process-tree"}, "command": "ps aux", "timeout": 10}));
    generic_crud(client, hook).await;
    finish_kind!(
        client,
        types::HookConfig,
        "process-tree",
        hook,
        list_hooks_all_namespaces,
        patch_hook,
        json!({"stdin": true})
    );

    let mutator: types::Mutator =
        body(json!({"metadata": {"name": "to-json"}, "command": "sensu-json-mutator"}));
    generic_crud(client, mutator).await;
    finish_kind!(
        client,
        types::Mutator,
        "to-json",
        mutator,
        list_mutators_all_namespaces,
        patch_mutator,
        json!({"timeout": 5})
    );

    let pipeline: types::Pipeline = body(json!({"metadata": {"name": "alerts"}, "workflows": [
        {"name": "slack", "handler": {"name": "slack", "type": "Handler", "api_version": "core/v2"}}
    ]}));
    generic_crud(client, pipeline).await;
    finish_kind!(
        client,
        types::Pipeline,
        "alerts",
        pipeline,
        list_pipelines_all_namespaces,
        patch_pipeline,
        json!({"metadata": {"labels": {"team": "ops"}}})
    );

    let role: types::Role = body(json!({"metadata": {"name": "reader"}, "rules": [
        {"verbs": ["get", "list"], "resources": ["checks"], "resource_names": null}
    ]}));
    generic_crud(client, role).await;
    finish_kind!(
        client,
        types::Role,
        "reader",
        role,
        list_roles_all_namespaces,
        patch_role,
        json!({"metadata": {"labels": {"a": "b"}}})
    );

    let binding: types::RoleBinding = body(json!({
        "metadata": {"name": "readers"}, "role_ref": {"type": "Role", "name": "reader"},
        "subjects": [{"type": "Group", "name": "readers"}]
    }));
    generic_crud(client, binding).await;
    finish_kind!(
        client,
        types::RoleBinding,
        "readers",
        rolebinding,
        list_role_bindings_all_namespaces,
        patch_role_binding,
        json!({"subjects": [{"type": "User", "name": "alice"}]})
    );

    let cluster_role: types::ClusterRole = body(json!({
        "metadata": {"name": "global-reader"}, "rules": [{"verbs": ["get"], "resources": ["*"]}]
    }));
    cluster_kind!(
        client,
        cluster_role,
        "global-reader",
        clusterrole,
        create_cluster_role,
        create_or_update_cluster_role,
        list_cluster_roles,
        get_cluster_role,
        patch_cluster_role,
        delete_cluster_role,
        json!({"metadata": {"labels": {"x": "y"}}})
    );
    let cluster_binding: types::ClusterRoleBinding = body(json!({
        "metadata": {"name": "global-readers"}, "role_ref": {"type": "ClusterRole", "name": "global-reader"},
        "subjects": [{"type": "Group", "name": "everyone"}]
    }));
    cluster_kind!(
        client,
        cluster_binding,
        "global-readers",
        clusterrolebinding,
        create_cluster_role_binding,
        create_or_update_cluster_role_binding,
        list_cluster_role_bindings,
        get_cluster_role_binding,
        patch_cluster_role_binding,
        delete_cluster_role_binding,
        json!({"subjects": [{"type": "User", "name": "bob"}]})
    );
}

fn cpu_check() -> types::CheckConfig {
    body(
        json!({"metadata": {"name": "check-cpu"}, "command": "check-cpu.sh", "interval": 60, "subscriptions": ["linux"]}),
    )
}

async fn checks(client: &Client) {
    generic_crud(client, cpu_check()).await;
    let issued = ok(client
        .execute_check()
        .namespace(NS)
        .check("check-cpu")
        .body(body::<types::AdhocRequest>(
            json!({"subscriptions": ["entity:web-01"], "reason": "test"}),
        ))
        .send())
    .await;
    assert!(issued.issued > Some(0));
    ok(client
        .add_check_hook()
        .namespace(NS)
        .check("check-cpu")
        .type_("critical")
        .body(body::<types::HookList>(
            json!({"critical": ["process-tree"]}),
        ))
        .send())
    .await;
    let with_hook = ok(client.get_check().namespace(NS).check("check-cpu").send()).await;
    assert_eq!(with_hook.check_hooks.as_ref().unwrap().len(), 1);
    ok(client
        .remove_check_hook()
        .namespace(NS)
        .check("check-cpu")
        .type_("critical")
        .hook("process-tree")
        .send())
    .await;
    finish_kind!(
        client,
        types::CheckConfig,
        "check-cpu",
        check,
        list_checks_all_namespaces,
        patch_check,
        json!({"interval": 30})
    );
}

fn event(entity: &str, check: &str, status: u32) -> types::Event {
    body(json!({
        "entity": {"metadata": {"name": entity}, "entity_class": "proxy"},
        "check": {"metadata": {"name": check}, "status": status, "output": "ok", "interval": 60}
    }))
}

async fn events(client: &Client) {
    ok(client
        .create_event()
        .namespace(NS)
        .body(event("db-01", "check-disk", 0))
        .send())
    .await;
    ok(client
        .create_event_for_entity_check()
        .namespace(NS)
        .entity("db-01")
        .check("check-ntp")
        .body(event("db-01", "check-ntp", 1))
        .send())
    .await;
    ok(client
        .create_or_update_event()
        .namespace(NS)
        .entity("db-01")
        .check("check-ntp")
        .body(event("db-01", "check-ntp", 2))
        .send())
    .await;
    let got = ok(client
        .get_event()
        .namespace(NS)
        .entity("db-01")
        .check("check-ntp")
        .send())
    .await;
    assert_eq!(got.check.as_ref().unwrap().status, Some(2));
    assert_eq!(ok(client.list_events().namespace(NS).send()).await.len(), 2);
    assert_eq!(
        ok(client.list_events_all_namespaces().send()).await.len(),
        2
    );
    assert_eq!(
        ok(client
            .list_events_for_entity()
            .namespace(NS)
            .entity("db-01")
            .send())
        .await
        .len(),
        2
    );
    for check in ["check-disk", "check-ntp"] {
        ok(client
            .delete_event()
            .namespace(NS)
            .entity("db-01")
            .check(check)
            .send())
        .await;
    }
    // The event created db-01 as a proxy entity.
    client
        .in_namespace(NS)
        .delete::<types::Entity>("db-01")
        .await
        .unwrap();
}

async fn silenced(client: &Client) {
    let entry: types::Silenced = body(
        json!({"metadata": {"namespace": NS}, "subscription": "linux", "check": "check-cpu", "reason": "maintenance"}),
    );
    ok(client
        .create_silenced()
        .namespace(NS)
        .body(entry.clone())
        .send())
    .await;
    let got = ok(client
        .get_silenced()
        .namespace(NS)
        .silenced("linux:check-cpu")
        .send())
    .await;
    assert_eq!(got.reason.as_deref(), Some("maintenance"));
    assert_eq!(got.expire, Some(-1), "no expiry reads back as -1");
    ok(client
        .create_or_update_silenced()
        .namespace(NS)
        .silenced("linux:check-cpu")
        .body(got.into_inner())
        .send())
    .await;
    assert_eq!(
        ok(client.list_silenced().namespace(NS).send()).await.len(),
        1
    );
    assert_eq!(
        ok(client.list_silenced_all_namespaces().send()).await.len(),
        1
    );
    let by_sub = ok(client
        .list_silenced_by_subscription()
        .namespace(NS)
        .subscription("linux")
        .send())
    .await;
    assert_eq!(by_sub.len(), 1);
    let by_check = ok(client
        .list_silenced_by_check()
        .namespace(NS)
        .check("check-cpu")
        .send())
    .await;
    assert_eq!(by_check.len(), 1);
    let everywhere = ok(client
        .list_silenced_by_check_all_namespaces()
        .check("check-cpu")
        .send())
    .await;
    assert_eq!(everywhere.len(), 1);
    ok(client
        .delete_silenced()
        .namespace(NS)
        .silenced("linux:check-cpu")
        .send())
    .await;
}

async fn users_and_keys(client: &Client, sandbox: &Sandbox) {
    let alice: types::User =
        body(json!({"username": "alice", "password": "first-password", "groups": ["ops"]}));
    ok(client.create_user().body(alice.clone()).send()).await;
    ok(client
        .create_or_update_user()
        .user("alice")
        .body(alice)
        .send())
    .await;
    let got = ok(client.get_user().user("alice").send()).await;
    assert!(got.password.is_none(), "passwords never leave the server");
    assert!(ok(client.list_users().send()).await.len() >= 2);
    ok(client.add_user_to_group().user("alice").group("dba").send()).await;
    ok(client
        .remove_user_from_group()
        .user("alice")
        .group("dba")
        .send())
    .await;
    ok(client.remove_all_user_groups().user("alice").send()).await;
    assert!(ok(client.get_user().user("alice").send())
        .await
        .groups
        .as_ref()
        .is_none_or(|g| g.is_empty()));

    ok(client
        .change_user_password()
        .user("alice")
        .body(body::<types::UserPasswordChangeFromWeb>(
            json!({"password": "first-password", "password_new": "second-password"}),
        ))
        .send())
    .await;
    let hash = bcrypt::hash("third-password", 4).unwrap();
    ok(client
        .change_own_password()
        .user("alice")
        .body(body::<types::UserPasswordChange>(
            json!({"username": "alice", "password": "second-password", "password_hash": hash}),
        ))
        .send())
    .await;
    let reset = bcrypt::hash("fourth-password", 4).unwrap();
    ok(client
        .reset_user_password()
        .user("alice")
        .body(body::<types::UserPasswordReset>(
            json!({"username": "alice", "password_hash": reset}),
        ))
        .send())
    .await;
    assert!(client
        .test_credentials("alice", "fourth-password")
        .await
        .unwrap());

    ok(client.disable_user().user("alice").send()).await;
    assert_eq!(
        ok(client.get_user().user("alice").send()).await.disabled,
        Some(true)
    );
    assert!(!client
        .test_credentials("alice", "fourth-password")
        .await
        .unwrap());
    ok(client.reinstate_user().user("alice").send()).await;

    let created = ok(client
        .create_api_key()
        .body(body::<types::ApiKey>(json!({"username": "alice"})))
        .send())
    .await;
    let location = created.headers()["location"].to_str().unwrap().to_string();
    let key = location.rsplit('/').next().unwrap().to_string();
    let with_key = Client::builder()
        .url(sandbox.url())
        .api_key(&key)
        .build()
        .unwrap();
    assert!(!ok(with_key.list_namespaces().send()).await.is_empty());
    assert_eq!(
        ok(client.get_api_key().apikey(&key).send()).await.username,
        "alice"
    );
    assert_eq!(ok(client.list_api_keys().send()).await.len(), 1);
    let patched = ok(client
        .patch_api_key()
        .apikey(&key)
        .body(patch(json!({"username": "admin"})))
        .send())
    .await;
    assert_eq!(patched.username, "admin");
    ok(client.delete_api_key().apikey(&key).send()).await;
    let refused = with_key.list_namespaces().send().await.unwrap_err();
    assert!(matches!(refused, Error::Unauthorized(_)), "{refused:?}");
}

async fn cluster_and_system(client: &Client) {
    let tessen = ok(client.get_tessen_config().send()).await;
    assert_ne!(tessen.opt_out, Some(true));
    let updated = ok(client
        .update_tessen_config()
        .body(types::TessenConfig {
            opt_out: Some(true),
            extra: Default::default(),
        })
        .send())
    .await;
    assert_eq!(updated.opt_out, Some(true));
    let points: Vec<types::MetricPoint> =
        body(json!([{"name": "tour", "value": 1.0, "timestamp": 1700000000}]));
    ok(client.post_tessen_metrics().body(points).send()).await;

    ok(client.get_cluster_id().send()).await;
    let members = ok(client.list_cluster_members().send()).await;
    let listed = members.members.clone().unwrap_or_default();
    assert_eq!(listed.len(), 1);
    assert!(listed[0].id.unwrap() > i64::MAX as u64, "etcd ids are u64");
    let added = ok(client
        .add_cluster_member()
        .peer_addrs("http://10.0.0.2:2380,http://10.0.0.3:2380")
        .send())
    .await;
    let id = added.member.as_ref().unwrap().id.unwrap();
    assert_eq!(
        added
            .member
            .as_ref()
            .unwrap()
            .peer_ur_ls
            .as_ref()
            .map(Vec::len),
        Some(2)
    );
    ok(client
        .update_cluster_member()
        .member(format!("{id:x}"))
        .peer_addrs("http://10.0.0.4:2380")
        .send())
    .await;
    let after = ok(client
        .remove_cluster_member()
        .member(format!("{id:x}"))
        .send())
    .await;
    assert_eq!(after.members.as_ref().map(Vec::len), Some(1));

    let health = ok(client.get_health().send()).await;
    assert_eq!(
        health.cluster_health.as_ref().unwrap()[0].healthy,
        Some(true)
    );
    ok(client.get_readiness().send()).await;
    assert_eq!(
        ok(client.get_version().send())
            .await
            .sensu_backend
            .as_deref(),
        Some("6.14.0")
    );
    ok(client.get_metrics().send()).await;
}

/// The raw auth endpoints, on a client of their own: calling them by hand rotates tokens
/// behind the session's back.
async fn raw_auth(sandbox: &Sandbox) {
    let client = Client::builder()
        .url(sandbox.url())
        .credentials(Sandbox::DEFAULT_USERNAME, Sandbox::DEFAULT_PASSWORD)
        .build()
        .unwrap();
    ok(client.auth_test().send()).await;
    let tokens = ok(client.auth_login().send()).await.into_inner();
    let rotated = ok(client
        .auth_refresh_token()
        .body(types::RefreshTokenRequest {
            refresh_token: tokens.refresh_token.clone(),
            extra: Default::default(),
        })
        .send())
    .await
    .into_inner();
    assert_ne!(rotated.refresh_token, tokens.refresh_token);
    ok(client
        .auth_logout()
        .body(types::RefreshTokenRequest {
            refresh_token: rotated.refresh_token,
            extra: Default::default(),
        })
        .send())
    .await;
}
