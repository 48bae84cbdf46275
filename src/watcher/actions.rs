//! What python-watcherclient's managers do beyond single calls: cancelling, skipping, and
//! waiting for audits and action plans to finish.

use super::patch::replace;
use super::{types, Client};
use crate::error::Error;
use crate::wait::Wait;
use crate::Result;

/// States an audit does not leave on its own.
pub const AUDIT_FINAL_STATES: &[&str] =
    &["SUCCEEDED", "FAILED", "CANCELLED", "SUSPENDED", "DELETED"];
/// States an action plan does not leave on its own once started.
pub const ACTION_PLAN_FINAL_STATES: &[&str] =
    &["SUCCEEDED", "FAILED", "CANCELLED", "SUPERSEDED", "DELETED"];

fn state(state: &Option<String>) -> String {
    state.clone().unwrap_or_default()
}

impl Client {
    /// Cancels an audit (its state becomes CANCELLED).
    pub async fn cancel_audit(&self, audit: &str) -> Result<types::Audit> {
        let patch = vec![replace("/state", "CANCELLED")];
        Ok(self
            .update_audit()
            .audit_ident(audit)
            .body(patch)
            .send()
            .await?
            .into_inner())
    }

    /// Cancels an action plan: CANCELLING while it runs, CANCELLED otherwise.
    pub async fn cancel_action_plan(&self, plan: &str) -> Result<types::ActionPlan> {
        let current = self.get_action_plan().actionplan_ident(plan).send().await?;
        let target = match current.state.as_deref() {
            Some("ONGOING") => "CANCELLING",
            _ => "CANCELLED",
        };
        let patch = vec![replace("/state", target)];
        Ok(self
            .update_action_plan()
            .actionplan_ident(plan)
            .body(patch)
            .send()
            .await?
            .into_inner())
    }

    /// Skips an action that has not run, with an optional reason (API 1.5 and later).
    pub async fn skip_action(&self, action: &str, reason: Option<&str>) -> Result<types::Action> {
        let mut patch = vec![replace("/state", "SKIPPED")];
        if let Some(reason) = reason {
            patch.push(replace("/status_message", reason));
        }
        Ok(self
            .update_action()
            .action_ident(action)
            .body(patch)
            .send()
            .await?
            .into_inner())
    }

    /// Polls an audit until it reaches one of [`AUDIT_FINAL_STATES`].
    pub async fn wait_for_audit(&self, audit: &str, wait: Wait) -> Result<types::Audit> {
        let fetch = || async {
            Ok(self
                .get_audit()
                .audit_ident(audit)
                .send()
                .await?
                .into_inner())
        };
        wait.until(
            &format!("audit {audit}"),
            AUDIT_FINAL_STATES,
            fetch,
            |a: &types::Audit| state(&a.state),
        )
        .await
    }

    /// Polls an action plan until it reaches one of [`ACTION_PLAN_FINAL_STATES`].
    pub async fn wait_for_action_plan(&self, plan: &str, wait: Wait) -> Result<types::ActionPlan> {
        let fetch = || async {
            Ok(self
                .get_action_plan()
                .actionplan_ident(plan)
                .send()
                .await?
                .into_inner())
        };
        wait.until(
            &format!("action plan {plan}"),
            ACTION_PLAN_FINAL_STATES,
            fetch,
            |p: &types::ActionPlan| state(&p.state),
        )
        .await
    }

    /// Reads the server's version range (`GET /`) and moves to the highest version both know.
    pub(crate) async fn negotiate_version(&self) -> Result<()> {
        let root = self.get_root().send().await?.into_inner();
        let range = root
            .default_version
            .or_else(|| root.versions.into_iter().flatten().next());
        let Some(range) = range else {
            return Err(Error::malformed(None, "GET / lists no API version", b""));
        };
        let parse = |v: Option<String>| v.and_then(|v| v.parse().ok());
        self.inner
            .microversion
            .negotiate(parse(range.min_version), parse(range.max_version));
        Ok(())
    }
}
