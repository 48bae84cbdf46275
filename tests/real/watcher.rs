//! Every Watcher operation against the real Watcher 17 (API, decision engine and applier over
//! RabbitMQ) that `cargo xtask servers up` starts, through the public client: audit templates,
//! audits run by the decision engine, an action plan executed to SUCCEEDED by the real applier,
//! skipping and cancelling, webhooks, microversions, and paging. Skipped (with a note) when the
//! servers are not running.

#![cfg(all(feature = "watcher", feature = "monasca"))]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::servers::{body, Real};
use crate::support::recorder::Recorder;
use futures::TryStreamExt;
use opsclient::paging::ListRequest;
use opsclient::wait::Wait;
use opsclient::watcher::{types, Client, Version};
use opsclient::Error;
use serde_json::json;

/// Inserts a RECOMMENDED action plan (nop → sleep → nop) for `audit` through Watcher's own
/// database API, as the decision engine would if Nova were there.
fn seed_action_plan(real: &Real, audit: &str) -> String {
    real.seed("OPSCLIENT_WATCHER_SEED_ACTION_PLAN", audit)
}

#[tokio::test]
async fn every_watcher_operation_against_the_real_server() {
    let Some(real) = Real::get("every_watcher_operation_against_the_real_server") else {
        return;
    };
    let recorder = Recorder::start();
    let cloud = real.cloud().await;
    let watcher = Client::from_cloud(&cloud).await.unwrap();
    assert_eq!(
        watcher.microversion(),
        Version::LATEST,
        "17.0.0 serves up to 1.7"
    );
    let run = uuid::Uuid::new_v4().simple().to_string()[..8].to_string();

    // Discovery.
    let root = watcher.get_root().send().await.unwrap();
    assert_eq!(
        root.default_version
            .as_ref()
            .unwrap()
            .max_version
            .as_deref(),
        Some("1.7")
    );
    watcher.get_v1().send().await.unwrap();

    // Goals, streamed three at a time (watcher-sync installs ten).
    let goals: Vec<types::GoalSummary> =
        watcher.list_goals().stream(3).try_collect().await.unwrap();
    assert!(goals.len() >= 10, "{} goals", goals.len());
    assert!(goals.iter().any(|g| g.name.as_deref() == Some("dummy")));
    assert!(!watcher
        .list_goals_detail()
        .send()
        .await
        .unwrap()
        .goals
        .is_empty());
    assert_eq!(
        watcher
            .get_goal()
            .goal_ident("dummy")
            .send()
            .await
            .unwrap()
            .name
            .as_deref(),
        Some("dummy")
    );

    let strategies = watcher
        .list_strategies()
        .goal("dummy")
        .send()
        .await
        .unwrap()
        .into_inner()
        .strategies;
    let strategy = strategies[0].name.clone().unwrap();
    watcher.list_strategies_detail().send().await.unwrap();
    watcher
        .get_strategy()
        .strategy_ident(&strategy)
        .send()
        .await
        .unwrap();
    let state = watcher
        .get_strategy_state()
        .strategy_ident(&strategy)
        .send()
        .await;
    match state {
        Ok(entries) => assert!(!entries.is_empty()),
        Err(e) => panic!("strategy state: {}", e),
    }

    let engines = watcher
        .list_scoring_engines()
        .send()
        .await
        .unwrap()
        .into_inner()
        .scoring_engines;
    watcher.list_scoring_engines_detail().send().await.unwrap();
    let engine = engines[0].name.clone().unwrap();
    watcher
        .get_scoring_engine()
        .scoring_engine_ident(&engine)
        .send()
        .await
        .unwrap();

    let services = watcher
        .list_services()
        .send()
        .await
        .unwrap()
        .into_inner()
        .services;
    watcher.list_services_detail().send().await.unwrap();
    let service = services
        .iter()
        .find(|s| s.name.as_deref() == Some("watcher-applier"))
        .expect("the applier registered");
    let got = watcher
        .get_service()
        .service_ident(service.id.unwrap().to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(got.status.as_deref(), Some("ACTIVE"));

    // Audit templates.
    let template_name = format!("opsclient-{run}");
    let template = watcher
        .create_audit_template()
        .body(body::<types::AuditTemplateCreate>(
            json!({"name": template_name, "goal": "dummy"}),
        ))
        .send()
        .await
        .unwrap();
    let template_uuid = template.uuid.clone().unwrap();
    assert!(!watcher
        .list_audit_templates()
        .send()
        .await
        .unwrap()
        .audit_templates
        .is_empty());
    watcher
        .list_audit_templates_detail()
        .goal("dummy")
        .send()
        .await
        .unwrap();
    watcher
        .get_audit_template()
        .audittemplate_ident(&template_name)
        .send()
        .await
        .unwrap();
    let patched = watcher
        .update_audit_template()
        .audittemplate_ident(&template_uuid)
        .body(vec![body::<types::JsonPatchOperation>(
            json!({"op": "replace", "path": "/description", "value": "made by opsclient"}),
        )])
        .send()
        .await
        .unwrap();
    assert_eq!(patched.description.as_deref(), Some("made by opsclient"));

    // A one-shot audit, run by the real decision engine. Without Nova it cannot build the
    // compute model, so it ends FAILED.
    let audit = watcher
        .create_audit()
        .body(body::<types::AuditCreate>(json!({"audit_type": "ONESHOT", "audit_template_uuid": template_uuid, "name": format!("oneshot-{run}")})))
        .send()
        .await
        .unwrap();
    let audit_uuid = audit.uuid.clone().unwrap();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let progress = seen.clone();
    let done = watcher
        .wait_for_audit(
            &audit_uuid,
            Wait::new(Duration::from_secs(180))
                .every(Duration::from_secs(1))
                .on_progress(move |s| progress.lock().unwrap().push(s.to_string())),
        )
        .await
        .unwrap();
    assert_eq!(
        done.state.as_deref(),
        Some("FAILED"),
        "states seen: {:?}",
        seen.lock().unwrap()
    );
    assert!(watcher
        .list_audits()
        .send()
        .await
        .unwrap()
        .audits
        .iter()
        .any(|a| a.uuid.as_deref() == Some(&audit_uuid)));
    watcher.list_audits_detail().send().await.unwrap();
    let renamed = watcher
        .update_audit()
        .audit_ident(&audit_uuid)
        .body(vec![body::<types::JsonPatchOperation>(
            json!({"op": "replace", "path": "/name", "value": format!("renamed-{run}")}),
        )])
        .send()
        .await
        .unwrap();
    assert_eq!(renamed.name, Some(format!("renamed-{run}")));

    // A continuous audit, cancelled.
    let continuous = watcher
        .create_audit()
        .body(body::<types::AuditCreate>(json!({"audit_type": "CONTINUOUS", "goal": "dummy", "interval": "3600", "name": format!("continuous-{run}")})))
        .send()
        .await
        .unwrap();
    let continuous_uuid = continuous.uuid.clone().unwrap();
    let cancelled = watcher.cancel_audit(&continuous_uuid).await.unwrap();
    assert_eq!(cancelled.state.as_deref(), Some("CANCELLED"));

    // An event audit, triggered through its webhook (API 1.4).
    let event = watcher
        .create_audit()
        .body(body::<types::AuditCreate>(
            json!({"audit_type": "EVENT", "goal": "dummy", "name": format!("event-{run}")}),
        ))
        .send()
        .await
        .unwrap();
    let event_uuid = event.uuid.clone().unwrap();
    watcher
        .trigger_webhook()
        .audit_ident(&event_uuid)
        .body(types::WebhookPayload(json!({"reason": "opsclient test"})))
        .send()
        .await
        .unwrap();

    // Action plans: one to skip an action of and cancel, one to run.
    let skipped_plan = seed_action_plan(&real, &audit_uuid);
    let actions = watcher
        .list_actions()
        .action_plan_uuid(&skipped_plan)
        .send()
        .await
        .unwrap()
        .into_inner()
        .actions;
    let skipped = watcher
        .skip_action(actions[0].uuid.as_deref().unwrap(), Some("not needed"))
        .await
        .unwrap();
    assert_eq!(skipped.state.as_deref(), Some("SKIPPED"));
    // The server prefixes the reason: "Action skipped by user. Reason: not needed".
    let message = skipped.status_message.as_deref().unwrap_or_default();
    assert!(message.ends_with("Reason: not needed"), "{message}");
    let cancelled = watcher.cancel_action_plan(&skipped_plan).await.unwrap();
    assert_eq!(cancelled.state.as_deref(), Some("CANCELLED"));

    let plan = seed_action_plan(&real, &audit_uuid);
    assert!(
        watcher
            .list_action_plans()
            .audit_uuid(&audit_uuid)
            .send()
            .await
            .unwrap()
            .action_plans
            .len()
            >= 2
    );
    watcher.list_action_plans_detail().send().await.unwrap();
    assert_eq!(
        watcher
            .get_action_plan()
            .actionplan_ident(&plan)
            .send()
            .await
            .unwrap()
            .state
            .as_deref(),
        Some("RECOMMENDED")
    );
    let started = watcher
        .start_action_plan()
        .actionplan_ident(&plan)
        .send()
        .await
        .unwrap();
    assert_eq!(started.uuid.as_deref(), Some(plan.as_str()));
    let finished = watcher
        .wait_for_action_plan(
            &plan,
            Wait::new(Duration::from_secs(120)).every(Duration::from_secs(1)),
        )
        .await
        .unwrap();
    assert_eq!(finished.state.as_deref(), Some("SUCCEEDED"));
    let actions = watcher
        .list_actions_detail()
        .action_plan_uuid(&plan)
        .send()
        .await
        .unwrap()
        .into_inner()
        .actions;
    assert_eq!(actions.len(), 3);
    for action in &actions {
        assert_eq!(action.state.as_deref(), Some("SUCCEEDED"), "{action:?}");
    }
    watcher
        .get_action()
        .action_ident(actions[0].uuid.as_deref().unwrap())
        .send()
        .await
        .unwrap();

    // The data model needs Nova: without it the server answers 500, decoded as a typed error.
    match watcher
        .get_data_model()
        .data_model_type("compute")
        .send()
        .await
    {
        Ok(model) => assert!(model.context.is_some()),
        Err(Error::Api(e)) => assert_eq!(e.status.as_u16(), 500, "{e}"),
        Err(other) => panic!("data model: {other:?}"),
    }

    // Clean up; each delete is an operation too.
    watcher
        .delete_action_plan()
        .actionplan_ident(&plan)
        .send()
        .await
        .unwrap();
    watcher
        .delete_action_plan()
        .actionplan_ident(&skipped_plan)
        .send()
        .await
        .unwrap();
    for uuid in [&audit_uuid, &continuous_uuid] {
        watcher
            .delete_audit()
            .audit_ident(uuid)
            .send()
            .await
            .unwrap();
    }
    let _ = watcher.cancel_audit(&event_uuid).await;
    let _ = watcher.delete_audit().audit_ident(&event_uuid).send().await;
    watcher
        .delete_audit_template()
        .audittemplate_ident(&template_uuid)
        .send()
        .await
        .unwrap();

    let missing = recorder.missing(opsclient::watcher::operations());
    // Only the data model cannot succeed without Nova.
    assert!(
        missing.iter().all(|m| m.starts_with("getDataModel")),
        "never answered: {missing:?}"
    );
}

#[tokio::test]
async fn microversions_against_the_real_server() {
    let Some(real) = Real::get("microversions_against_the_real_server") else {
        return;
    };
    // A version the server does not serve: the 406 names its range.
    let too_new = real
        .builder()
        .api_version("infra-optim", "1.9")
        .authenticate()
        .await
        .unwrap();
    let watcher = Client::from_cloud(&too_new).await.unwrap();
    match watcher.list_goals().send().await.unwrap_err() {
        Error::UnsupportedVersion(mismatch) => {
            assert_eq!(mismatch.requested, "1.9");
            assert_eq!(
                (mismatch.minimum.as_deref(), mismatch.maximum.as_deref()),
                (Some("1.0"), Some("1.7"))
            );
        }
        other => panic!("{other:?}"),
    }
    // An older pinned version: the server sees it, and newer fields are refused first.
    let old = real
        .builder()
        .api_version("infra-optim", "1.1")
        .authenticate()
        .await
        .unwrap();
    let watcher = Client::from_cloud(&old).await.unwrap();
    let goals = watcher.list_goals().send().await.unwrap();
    assert_eq!(goals.headers()["openstack-api-version"], "infra-optim 1.1");
    let forced = body::<types::AuditCreate>(
        json!({"audit_type": "ONESHOT", "goal": "dummy", "force": true}),
    );
    let err = watcher
        .create_audit()
        .body(forced)
        .send()
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("force") && err.to_string().contains("1.2"),
        "{err}"
    );
}
