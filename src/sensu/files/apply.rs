//! Applying resources: each is created or replaced, in dependency order (namespaces first),
//! after every one of them has been checked and looked up, so a resource the client or the
//! rules can tell is wrong stops the whole set before anything is written.

use std::collections::HashMap;
use std::fmt;

use serde_json::Value;

use super::kinds::{describe, shown, Address, Kind, Naming, Scope};
use super::resource::{Origin, Resource};
use crate::error::Error;
use crate::sensu::Client;

/// The label sensuctl puts on what `sensuctl create` writes, and `prune` looks for.
pub const MANAGED_BY_LABEL: &str = "sensu.io/managed_by";

/// The label value of resources an agent manages, which other writers leave in place.
const AGENT: &str = "sensu-agent";

/// What applying did to one resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// It did not exist and was created.
    Created,
    /// It existed and was replaced.
    Updated,
    /// It existed as given; nothing was sent.
    Unchanged,
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Change::Created => "created",
            Change::Updated => "updated",
            Change::Unchanged => "unchanged",
        })
    }
}

/// One resource applied. `Debug` does not show an API key's name.
#[derive(Clone, PartialEq)]
#[non_exhaustive]
pub struct Applied {
    /// Its kind.
    pub kind: &'static Kind,
    /// Where it lives.
    pub address: Address,
    /// What was done.
    pub change: Change,
    /// Where it was read from.
    pub origin: Option<Origin>,
}

impl fmt::Debug for Applied {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Applied")
            .field("kind", &self.kind)
            .field("address", &shown(self.kind, &self.address))
            .field("change", &self.change)
            .field("origin", &self.origin)
            .finish()
    }
}

impl fmt::Display for Applied {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.change, describe(self.kind, &self.address))
    }
}

/// An apply that stopped: what it had done, the resource it stopped at, and why.
#[derive(Debug)]
#[non_exhaustive]
pub struct ApplyError {
    /// The resources applied before it stopped; empty when it stopped before writing.
    pub applied: Vec<Applied>,
    /// The resource it stopped at, as messages show it; `None` when the error names it.
    pub resource: Option<String>,
    /// Why.
    pub error: Error,
}

impl fmt::Display for ApplyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.resource, self.applied.len()) {
            (Some(resource), _) => write!(f, "{resource} was not applied"),
            (None, 0) => f.write_str("nothing was applied"),
            (None, n) => write!(f, "stopped after {n} resources"),
        }
    }
}

impl std::error::Error for ApplyError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.error)
    }
}

/// Resources to apply; see [`Client::apply`].
#[derive(Debug)]
#[must_use = "nothing is applied until send() is awaited"]
pub struct Apply<'a> {
    client: &'a Client,
    resources: Vec<Resource>,
    namespace: String,
    managed_by: Option<String>,
}

impl Client {
    /// Creates or replaces `resources`, as `sensuctl create` does, in dependency order:
    /// namespaces, then the other cluster-wide kinds, then what lives in namespaces. A resource
    /// without a namespace goes to the client's namespace unless
    /// [`namespace`](Apply::namespace) says otherwise.
    ///
    /// Before anything is written, every resource is checked (its fields against its type, its
    /// names, the client's rules) and read back from the server: one that is wrong, a second
    /// one with the same address, a user without a password to write, or an API key to write
    /// (the server names those) stops the whole set, and the error names its file, document
    /// and field. A resource the server holds exactly as given (its creator aside) is left
    /// alone and reported [`Change::Unchanged`], so applying a dump changes nothing.
    pub fn apply(&self, resources: impl IntoIterator<Item = Resource>) -> Apply<'_> {
        Apply {
            client: self,
            resources: resources.into_iter().collect(),
            namespace: self.namespace().to_string(),
            managed_by: None,
        }
    }
}

/// One resource on its way to the server.
struct Step {
    position: usize,
    resource: Resource,
    address: Address,
    body: Value,
}

impl Step {
    fn describe(&self) -> String {
        let what = describe(self.resource.kind(), &self.address);
        match self.resource.origin() {
            Some(origin) => format!("{what} ({}, document {})", origin.source, origin.document),
            None => what,
        }
    }
}

impl Apply<'_> {
    /// The namespace of resources that name none.
    pub fn namespace(mut self, namespace: impl Into<String>) -> Self {
        self.namespace = namespace.into();
        self
    }

    /// Labels each resource that has labels `sensu.io/managed_by: <value>`, as `sensuctl
    /// create` labels with `sensuctl`; a resource its agent manages (`sensu-agent`) keeps that.
    pub fn managed_by(mut self, value: impl Into<String>) -> Self {
        self.managed_by = Some(value.into());
        self
    }

    /// Applies the resources; see [`Client::apply`]. On success, what was done to each, in the
    /// order it was done.
    pub async fn send(self) -> Result<Vec<Applied>, ApplyError> {
        let refuse = |error: Error| ApplyError {
            applied: Vec::new(),
            resource: None,
            error,
        };
        let mut steps = self.steps().map_err(refuse)?;
        steps.sort_by_key(|step| step.resource.kind().rank());
        let mut changes = Vec::with_capacity(steps.len());
        for step in &steps {
            let change = self.plan(step).await?;
            changes.push(change);
        }
        let mut applied = Vec::with_capacity(steps.len());
        for (step, change) in steps.into_iter().zip(changes) {
            if change != Change::Unchanged {
                let put = step.resource.kind().ops.put;
                if let Err(error) = put(self.client, &step.address, step.body.clone()).await {
                    return Err(ApplyError {
                        applied,
                        resource: Some(step.describe()),
                        error,
                    });
                }
            }
            applied.push(Applied {
                kind: step.resource.kind(),
                address: step.address,
                change,
                origin: step.resource.origin().cloned(),
            });
        }
        Ok(applied)
    }

    /// Every resource as it will be sent, checked, each address once.
    fn steps(&self) -> crate::Result<Vec<Step>> {
        let mut seen: HashMap<(&'static str, Address), usize> = HashMap::new();
        let mut steps = Vec::with_capacity(self.resources.len());
        for (index, given) in self.resources.iter().enumerate() {
            let position = index + 1;
            let mut resource = given.clone();
            self.complete(&mut resource);
            let refuse =
                |(field, reason): (String, String)| given.violation(position, field, reason);
            resource.check().map_err(refuse)?;
            let address = resource.address(&self.namespace).map_err(refuse)?;
            let body = resource.typed_body().map_err(refuse)?;
            let key = (resource.kind().type_name(), address.clone());
            if let Some(first) = seen.insert(key, index) {
                let first = given_at(&self.resources[first], first + 1);
                let again = describe(resource.kind(), &address);
                return Err(refuse((
                    String::new(),
                    format!("is {again} again, as {first} was"),
                )));
            }
            steps.push(Step {
                position,
                resource,
                address,
                body,
            });
        }
        Ok(steps)
    }

    /// Fills in what the resource leaves to the apply: its namespace, a silence's name, and the
    /// managed-by label.
    fn complete(&self, resource: &mut Resource) {
        let kind = resource.kind();
        let names_itself = kind.naming == Naming::Metadata;
        if names_itself && kind.scope() == Scope::Namespaced && resource.namespace().is_empty() {
            resource
                .metadata_mut()
                .insert("namespace".into(), self.namespace.clone().into());
        }
        if kind.type_name() == "Silenced" && resource.name().is_empty() {
            // The server names a silence after its subscription and check; the URL needs it.
            if let Ok(Address::Namespaced { name, .. }) = resource.address(&self.namespace) {
                resource.metadata_mut().insert("name".into(), name.into());
            }
        }
        if let (Some(value), Naming::Metadata | Naming::Event) = (&self.managed_by, kind.naming) {
            let labels = resource
                .metadata_mut()
                .entry("labels")
                .or_insert_with(|| Value::Object(Default::default()));
            if let Value::Object(labels) = labels {
                if labels.get(MANAGED_BY_LABEL).and_then(Value::as_str) != Some(AGENT) {
                    labels.insert(MANAGED_BY_LABEL.into(), value.clone().into());
                }
            }
        }
    }

    /// What sending the step would do, from what the server holds now; a write the server
    /// would refuse for a reason known here is refused with the resource's position.
    async fn plan(&self, step: &Step) -> Result<Change, ApplyError> {
        let get = step.resource.kind().ops.get;
        let change = match get(self.client, &step.address).await {
            Err(Error::NotFound(_)) => Change::Created,
            Ok(current) if same(&current, &step.body) => Change::Unchanged,
            Ok(_) => Change::Updated,
            Err(error) => {
                return Err(ApplyError {
                    applied: Vec::new(),
                    resource: Some(step.describe()),
                    error,
                })
            }
        };
        if change == Change::Unchanged {
            return Ok(change);
        }
        let refusal = match step.resource.kind().type_name() {
            "APIKey" => Some((
                String::new(),
                "API keys are issued by the server, which names them; a file cannot create or change one"
                    .to_string(),
            )),
            "User" if !has_text(&step.body, "password") && !has_text(&step.body, "password_hash") => {
                Some((
                    "spec.password".to_string(),
                    "or spec.password_hash is needed to create or replace a user; the server never shows either, so a dumped user has neither"
                        .to_string(),
                ))
            }
            _ => None,
        };
        match refusal {
            Some((field, reason)) => Err(ApplyError {
                applied: Vec::new(),
                resource: None,
                error: step.resource.violation(step.position, field, reason),
            }),
            None => Ok(change),
        }
    }
}

/// Where a resource was given, for messages: its file and document, or its position.
fn given_at(resource: &Resource, position: usize) -> String {
    match resource.origin() {
        Some(origin) => format!("{}, document {}", origin.source, origin.document),
        None => format!("resource {position}"),
    }
}

fn has_text(body: &Value, field: &str) -> bool {
    body.get(field)
        .and_then(Value::as_str)
        .is_some_and(|s| !s.is_empty())
}

/// Whether the server holds the body as given. The creator is not compared: the server sets
/// it on every write.
fn same(current: &Value, desired: &Value) -> bool {
    let without_creator = |body: &Value| {
        let mut body = body.clone();
        if let Some(Value::Object(metadata)) = body.get_mut("metadata") {
            metadata.remove("created_by");
        }
        body
    };
    without_creator(current) == without_creator(desired)
}
