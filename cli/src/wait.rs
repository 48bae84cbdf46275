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

/// What `--wait` follows after a Watcher operation: the audit it created or the action plan
/// it started.
fn watcher_follows(operation_id: &str) -> Option<&'static str> {
    match operation_id {
        "create_audit" => Some("audit"),
        "start_action_plan" => Some("action plan"),
        _ => None,
    }
}

/// What `--wait` follows after a saltant operation: the task instance it created.
fn saltant_follows(operation_id: &str) -> Option<&'static str> {
    match operation_id {
        "create_container_task_instance" => Some("container task instance"),
        "create_executable_task_instance" => Some("executable task instance"),
        _ => None,
    }
}

impl Wait {
    /// Refuses `--wait` on an operation it cannot follow, before anything is sent.
    pub fn check(&self, api: &str, operation_id: &str) -> anyhow::Result<()> {
        let waitable = crate::generated::WAITS;
        if self.enabled && !waitable.contains(&(api, operation_id)) {
            let names: Vec<String> = waitable
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
        let Some(kind) = watcher_follows(operation_id) else {
            anyhow::bail!("--wait does not apply to {operation_id}")
        };
        let uuid = field(&answer, "uuid")?.to_string();
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
        let Some(kind) = saltant_follows(operation_id) else {
            anyhow::bail!("--wait does not apply to {operation_id}")
        };
        let uuid: uuid::Uuid = field(&answer, "uuid")?.parse()?;
        let bar = spinner(&format!("task instance {uuid}"));
        let state = match kind {
            "container task instance" => client
                .wait_for_container_task_instance(uuid, self.library(&bar))
                .await
                .map(|t| t.state),
            _ => client
                .wait_for_executable_task_instance(uuid, self.library(&bar))
                .await
                .map(|t| t.state),
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

#[cfg(test)]
mod tests {
    use super::*;

    /// What a wait method follows after an operation (by id), if anything.
    type Follows = fn(&str) -> Option<&'static str>;

    /// The hand-written half of `--wait`, by API: what each API's wait method follows.
    const FOLLOWERS: &[(&str, Follows)] =
        &[("watcher", watcher_follows), ("saltant", saltant_follows)];

    #[test]
    fn each_wait_method_follows_exactly_the_operations_the_table_declares() {
        let root = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
        for api in opsclient_codegen::APIS {
            let follows = FOLLOWERS.iter().find(|(name, _)| *name == api.name);
            if api.cli.waits.is_empty() {
                assert!(follows.is_none(), "{} follows nothing", api.name);
                continue;
            }
            let (_, follows) = follows
                .unwrap_or_else(|| panic!("{} declares waits but has no wait method", api.name));
            let doc = opsclient_codegen::load(&root.join(api.spec)).expect("loads");
            let mut followed = 0;
            for (_, item) in doc.spec.paths.iter() {
                for (_, operation) in item.as_item().expect("inline").iter() {
                    let id = opsclient_codegen::rust_ident(
                        operation.operation_id.as_deref().expect("has an id"),
                    );
                    let declared = api.cli.waits.contains(&id.as_str());
                    assert_eq!(
                        follows(&id).is_some(),
                        declared,
                        "{} {id}: the wait method and the table disagree",
                        api.name
                    );
                    followed += usize::from(declared);
                }
            }
            assert_eq!(
                followed,
                api.cli.waits.len(),
                "{}: every wait is an operation",
                api.name
            );
        }
    }
}
