//! What saltant-py's managers do beyond single calls: looking resources up by name, cloning
//! and terminating many instances, and waiting for an instance to finish.

use uuid::Uuid;

use super::{types, Client};
use crate::error::{ApiError, Error};
use crate::wait::Wait;
use crate::Result;

/// States a task instance does not leave (saltant-py's `TASK_INSTANCE_FINISH_STATUSES`).
pub const FINISHED_STATES: &[&str] = &["successful", "failed", "terminated"];

/// The one result of a lookup by name, or [`Error::NotFound`] naming what was looked for.
fn only<T>(what: &str, name: &str, results: Vec<T>) -> Result<T> {
    results.into_iter().next().ok_or_else(|| {
        Error::NotFound(ApiError::new(
            reqwest::StatusCode::NOT_FOUND,
            None,
            format!("no {what} named {name:?}"),
            String::new(),
        ))
    })
}

/// Lookups by name for the resources whose names saltant-py looks up.
macro_rules! by_name {
    ($($(#[$doc:meta])* $method:ident => $list:ident, $item:ty, $what:literal;)*) => {
        impl Client {
            $(
                $(#[$doc])*
                pub async fn $method(&self, name: &str) -> Result<$item> {
                    let page = self.$list().name(name).page_size(1u64).send().await?;
                    only($what, name, page.into_inner().results)
                }
            )*
        }
    };
}

by_name! {
    /// The container task type named `name` (saltant-py's `get(name=…)`).
    container_task_type_by_name => list_container_task_types, types::ContainerTaskType, "container task type";
    /// The executable task type named `name`.
    executable_task_type_by_name => list_executable_task_types, types::ExecutableTaskType, "executable task type";
    /// The task queue named `name`.
    task_queue_by_name => list_task_queues, types::TaskQueue, "task queue";
    /// The task whitelist named `name`.
    task_whitelist_by_name => list_task_whitelists, types::TaskWhitelist, "task whitelist";
}

/// Clone, terminate and wait for one kind of task instance.
macro_rules! instances {
    ($item:ty, $what:literal, $get:ident, $clone:ident, $terminate:ident,
     $clone_many:ident, $terminate_many:ident, $wait:ident) => {
        impl Client {
            #[doc = concat!("Clones each ", $what, " in turn (201 each); stops at the first failure.")]
            pub async fn $clone_many(&self, uuids: &[Uuid]) -> Result<Vec<$item>> {
                let mut clones = Vec::with_capacity(uuids.len());
                for uuid in uuids {
                    clones.push(self.$clone().uuid(*uuid).send().await?.into_inner());
                }
                Ok(clones)
            }

            #[doc = concat!("Terminates each ", $what, " in turn (202 each); stops at the first failure.")]
            pub async fn $terminate_many(&self, uuids: &[Uuid]) -> Result<Vec<$item>> {
                let mut terminated = Vec::with_capacity(uuids.len());
                for uuid in uuids {
                    terminated.push(self.$terminate().uuid(*uuid).send().await?.into_inner());
                }
                Ok(terminated)
            }

            #[doc = concat!("Polls a ", $what, " until it is in one of [`FINISHED_STATES`]; ")]
            #[doc = "saltant-py's `wait_until_finished`, with a timeout ([`Error::Timeout`]) and"]
            #[doc = "progress reporting. Its refresh period is [`Wait::every`] (saltant-py: 5 s)."]
            pub async fn $wait(&self, uuid: Uuid, wait: Wait) -> Result<$item> {
                let fetch = || async { Ok(self.$get().uuid(uuid).send().await?.into_inner()) };
                wait.until(&format!(concat!($what, " {}"), uuid), FINISHED_STATES, fetch, |i: &$item| {
                    i.state.to_string()
                })
                .await
            }
        }
    };
}

instances!(
    types::ContainerTaskInstance,
    "container task instance",
    get_container_task_instance,
    clone_container_task_instance,
    terminate_container_task_instance,
    clone_container_task_instances,
    terminate_container_task_instances,
    wait_for_container_task_instance
);
instances!(
    types::ExecutableTaskInstance,
    "executable task instance",
    get_executable_task_instance,
    clone_executable_task_instance,
    terminate_executable_task_instance,
    clone_executable_task_instances,
    terminate_executable_task_instances,
    wait_for_executable_task_instance
);
