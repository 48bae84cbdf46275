//! A request hook on a real cloud: it sees Keystone's login, Watcher's discovery and calls,
//! and Monasca's, each with its status, and never the token, neither the `X-Auth-Token` the
//! calls carry nor the `X-Subject-Token` Keystone answers with.

#![cfg(all(feature = "watcher", feature = "monasca"))]

use std::sync::{Arc, Mutex};

use crate::servers::{access, Real};
use opsclient::hook::{HookAnswer, HookRequest, RequestHook};

/// An attempt's API, operation, number and status.
type Seen = (&'static str, &'static str, u32, Option<u16>);

/// What a hook could read of every attempt, and what it saw of each.
#[derive(Default)]
struct Watching {
    attempts: Mutex<Vec<Seen>>,
    readable: Mutex<Vec<String>>,
}

impl RequestHook for Watching {
    fn before_attempt(&self, request: &mut HookRequest<'_>) {
        let mut readable = self.readable.lock().unwrap();
        readable.push(format!("{request:?}"));
        for name in ["x-auth-token", "x-subject-token", "authorization"] {
            readable.push(format!("{name} = {:?}", request.header(name)));
        }
    }

    fn after_attempt(&self, answer: &HookAnswer<'_>) {
        let attempt = answer.attempt();
        self.attempts.lock().unwrap().push((
            attempt.api(),
            attempt.operation(),
            attempt.number(),
            answer.status().map(|s| s.as_u16()),
        ));
        let mut readable = self.readable.lock().unwrap();
        readable.push(format!("{answer:?}"));
        for name in ["x-subject-token", "x-auth-token", "x-openstack-request-id"] {
            readable.push(format!("{name} = {:?}", answer.header(name)));
        }
    }
}

#[tokio::test]
async fn a_hook_sees_every_service_and_never_the_token() {
    let Some(real) = Real::get("a_hook_sees_every_service_and_never_the_token") else {
        return;
    };
    let hook = Arc::new(Watching::default());
    let cloud = real
        .builder()
        .hook(hook.clone())
        .authenticate()
        .await
        .expect("admin login");
    let watcher = opsclient::watcher::Client::from_cloud(&cloud)
        .await
        .unwrap();
    watcher.list_goals().send().await.unwrap();
    let monasca = opsclient::monasca::Client::from_cloud(&cloud)
        .await
        .unwrap();
    monasca.list_metrics().send().await.unwrap();

    let attempts = hook.attempts.lock().unwrap().clone();
    let seen: Vec<(&str, &str)> = attempts.iter().map(|a| (a.0, a.1)).collect();
    assert_eq!(
        seen,
        [
            ("keystone", "issueToken"),
            ("watcher", "getRoot"),
            ("watcher", "listGoals"),
            ("monasca", "listMetrics"),
        ]
    );
    assert_eq!(attempts[0].3, Some(201), "{attempts:?}");
    assert!(
        attempts[1..].iter().all(|a| a.2 == 1 && a.3 == Some(200)),
        "{attempts:?}"
    );

    let token = access(&cloud).await;
    let readable = hook.readable.lock().unwrap().join("\n");
    assert!(
        !readable.contains(&token),
        "the token is readable by a hook:\n{readable}"
    );
    assert!(!readable.contains(&real.var("OS_PASSWORD")));
    assert!(readable.contains("x-subject-token = None"), "{readable}");
    // Other answer headers are there to read: the services' request ids.
    assert!(
        readable.contains("x-openstack-request-id = Some(\"req-"),
        "{readable}"
    );
}
