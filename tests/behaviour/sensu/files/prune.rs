//! Pruning as sensuctl does: only resources labelled `sensu.io/managed_by: sensuctl`, created
//! by the given users, of the given kinds, in the namespace, that the configuration lacks.

use opsclient::sensu::files::{self, Creators, Kind};
use opsclient::sensu::Client;
use opsclient_sandbox::Sandbox;

use super::writes;

fn checks(names: &[&str]) -> String {
    names
        .iter()
        .map(|name| {
            format!(
                "type: CheckConfig\nmetadata: {{name: {name}}}\nspec: {{command: c, interval: 10, subscriptions: [linux]}}\n"
            )
        })
        .collect::<Vec<_>>()
        .join("---\n")
}

async fn login(sandbox: &Sandbox, user: &str, password: &str) -> Client {
    let client = Client::builder().url(sandbox.url()).build().unwrap();
    client.login(user, password).await.unwrap();
    client
}

#[tokio::test]
async fn prune_deletes_only_what_sensuctl_semantics_allow() {
    let sandbox = Sandbox::builder()
        .user("admin", "P@ssw0rd!")
        .user("bob", "bobs-password")
        .start()
        .await
        .unwrap();
    let admin = login(&sandbox, "admin", "P@ssw0rd!").await;
    let bob = login(&sandbox, "bob", "bobs-password").await;
    let parse = |text: &str| files::parse("checks.yaml", text).unwrap();
    admin
        .apply(parse(&checks(&["keep", "old", "older"])))
        .managed_by("sensuctl")
        .send()
        .await
        .unwrap();
    // Not labelled by sensuctl; and labelled, but bob's.
    admin
        .apply(parse(&checks(&["by-hand"])))
        .send()
        .await
        .unwrap();
    bob.apply(parse(&checks(&["bobs"])))
        .managed_by("sensuctl")
        .send()
        .await
        .unwrap();
    let kinds = Kind::select("checks,handlers").unwrap();
    let configuration = parse(&checks(&["keep"]));
    let admin_only = Creators::Only(vec!["admin".into()]);

    let before = writes(&sandbox).len();
    let would = admin
        .prune(&kinds, configuration.clone())
        .created_by(admin_only.clone())
        .dry_run(true)
        .send()
        .await
        .unwrap();
    let said: Vec<String> = would.iter().map(ToString::to_string).collect();
    assert_eq!(
        said,
        [
            "would prune CheckConfig default/old",
            "would prune CheckConfig default/older"
        ]
    );
    assert_eq!(writes(&sandbox).len(), before, "a dry run deletes nothing");

    let pruned = admin
        .prune(&kinds, configuration.clone())
        .created_by(admin_only)
        .send()
        .await
        .unwrap();
    let said: Vec<String> = pruned.iter().map(ToString::to_string).collect();
    assert_eq!(
        said,
        [
            "pruned CheckConfig default/old",
            "pruned CheckConfig default/older"
        ]
    );
    let deleted: Vec<String> = writes(&sandbox)[before..]
        .iter()
        .map(|(op, path)| format!("{op} {path}"))
        .collect();
    assert_eq!(
        deleted,
        [
            "deleteCheck /api/core/v2/namespaces/default/checks/old",
            "deleteCheck /api/core/v2/namespaces/default/checks/older"
        ]
    );

    // Any user's: bob's labelled check goes too; the unlabelled one stays.
    let pruned = admin
        .prune(&kinds, configuration)
        .created_by(Creators::Any)
        .send()
        .await
        .unwrap();
    let said: Vec<String> = pruned.iter().map(ToString::to_string).collect();
    assert_eq!(said, ["pruned CheckConfig default/bobs"]);
    let left: Vec<String> = admin
        .dump(&kinds, &files::Namespaces::One("default".into()))
        .await
        .unwrap()
        .iter()
        .map(|r| r.name().to_string())
        .collect();
    assert_eq!(left, ["by-hand", "keep"]);
}

#[tokio::test]
async fn cluster_wide_kinds_are_pruned_only_when_asked_and_after_what_lives_in_namespaces() {
    let sandbox = Sandbox::builder().start().await.unwrap();
    let admin = login(
        &sandbox,
        Sandbox::DEFAULT_USERNAME,
        Sandbox::DEFAULT_PASSWORD,
    )
    .await;
    let text = "type: ClusterRole
metadata: {name: old-role}
spec: {rules: [{verbs: [get], resources: [checks]}]}
---
type: Handler
metadata: {name: old-handler}
spec: {type: pipe, command: notify}
";
    admin
        .apply(files::parse("old.yaml", text).unwrap())
        .managed_by("sensuctl")
        .send()
        .await
        .unwrap();
    let kinds = Kind::select("all").unwrap();
    let pruned = admin.prune(&kinds, Vec::new()).send().await.unwrap();
    let said: Vec<String> = pruned.iter().map(ToString::to_string).collect();
    assert_eq!(said, ["pruned Handler default/old-handler"]);
    let pruned = admin
        .prune(&kinds, Vec::new())
        .cluster_wide(true)
        .send()
        .await
        .unwrap();
    let said: Vec<String> = pruned.iter().map(ToString::to_string).collect();
    assert_eq!(said, ["pruned ClusterRole old-role"]);
}
