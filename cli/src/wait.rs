//! `--wait`: follows a created audit, a started action plan or a created task instance until it
//! finishes, with a spinner showing its state on a terminal, and fails when it does.

use std::io::IsTerminal;
use std::time::Duration;

use clap::ArgMatches;
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::Value;

use crate::exit::WaitFailed;

/// Whether and how long to wait.
pub struct Wait {
    enabled: bool,
    timeout: Duration,
}

/// A spinner on standard error, or nothing when it is not a terminal.
fn spinner(what: &str) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new_spinner();
    bar.set_style(
        ProgressStyle::with_template("{spinner} {prefix} {msg} ({elapsed})")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    bar.set_prefix(what.to_string());
    bar.enable_steady_tick(Duration::from_millis(120));
    bar
}

fn field<'a>(value: &'a Option<Value>, name: &str) -> anyhow::Result<&'a str> {
    value
        .as_ref()
        .and_then(|v| v.get(name))
        .and_then(Value::as_str)
        .ok_or_else(|| anyhow::anyhow!("the answer has no {name} to wait on"))
}

/// The operations `--wait` follows, by API.
const WAITABLE: &[(&str, &str)] = &[
    ("watcher", "create_audit"),
    ("watcher", "start_action_plan"),
    ("saltant", "create_container_task_instance"),
    ("saltant", "create_executable_task_instance"),
];

impl Wait {
    /// Refuses `--wait` on an operation it cannot follow, before anything is sent.
    pub fn check(&self, api: &str, operation_id: &str) -> anyhow::Result<()> {
        if self.enabled && !WAITABLE.contains(&(api, operation_id)) {
            let names: Vec<String> = WAITABLE
                .iter()
                .map(|(api, op)| format!("{api} {}", crate::names::kebab(op)))
                .collect();
            return Err(
                crate::exit::Usage(format!("--wait applies only to {}", names.join(", "))).into(),
            );
        }
        Ok(())
    }

    /// `--wait` and `--wait-timeout`.
    pub fn from_matches(matches: &ArgMatches) -> Wait {
        Wait {
            enabled: matches.get_flag("wait"),
            timeout: *matches
                .get_one::<Duration>("wait-timeout")
                .unwrap_or(&Duration::from_secs(600)),
        }
    }

    fn library(&self, bar: &ProgressBar) -> opsclient::wait::Wait {
        let bar = bar.clone();
        opsclient::wait::Wait::new(self.timeout)
            .every(Duration::from_secs(2))
            .on_progress(move |state| bar.set_message(state.to_string()))
    }

    /// After a Watcher command: waits on the audit it created or the action plan it started.
    pub async fn watcher(
        &self,
        client: &opsclient::watcher::Client,
        operation_id: &str,
        answer: Option<Value>,
    ) -> anyhow::Result<()> {
        if !self.enabled {
            return Ok(());
        }
        let (kind, uuid) = match operation_id {
            "create_audit" => ("audit", field(&answer, "uuid")?.to_string()),
            "start_action_plan" => ("action plan", field(&answer, "uuid")?.to_string()),
            other => anyhow::bail!("--wait does not apply to {other}"),
        };
        let bar = spinner(&format!("{kind} {uuid}"));
        let state = match kind {
            "audit" => client
                .wait_for_audit(&uuid, self.library(&bar))
                .await
                .map(|a| a.state.unwrap_or_default()),
            _ => client
                .wait_for_action_plan(&uuid, self.library(&bar))
                .await
                .map(|p| p.state.unwrap_or_default()),
        };
        bar.finish_and_clear();
        settle(&format!("{kind} {uuid}"), state, "SUCCEEDED")
    }

    /// After a saltant command: waits on the task instance it created.
    pub async fn saltant(
        &self,
        client: &opsclient::saltant::Client,
        operation_id: &str,
        answer: Option<Value>,
    ) -> anyhow::Result<()> {
        if !self.enabled {
            return Ok(());
        }
        let uuid: uuid::Uuid = field(&answer, "uuid")?.parse()?;
        let bar = spinner(&format!("task instance {uuid}"));
        let state = match operation_id {
            "create_container_task_instance" => client
                .wait_for_container_task_instance(uuid, self.library(&bar))
                .await
                .map(|t| t.state),
            "create_executable_task_instance" => client
                .wait_for_executable_task_instance(uuid, self.library(&bar))
                .await
                .map(|t| t.state),
            other => anyhow::bail!("--wait does not apply to {other}"),
        };
        bar.finish_and_clear();
        settle(
            &format!("task instance {uuid}"),
            state.map(|s| s.to_string()),
            "successful",
        )
    }
}

/// The end of a wait on `what`: its final state printed, and success only if it is `success`;
/// a wait that timed out, or a final state that is not `success`, is a [`WaitFailed`].
fn settle(what: &str, state: opsclient::Result<String>, success: &str) -> anyhow::Result<()> {
    let state = state.map_err(|e| match e {
        opsclient::Error::Timeout(t) => anyhow::Error::new(WaitFailed(t.to_string())),
        other => anyhow::Error::new(other),
    })?;
    eprintln!("{what}: {state}");
    if state == success {
        Ok(())
    } else {
        Err(WaitFailed(format!("{what} ended {state}")).into())
    }
}
