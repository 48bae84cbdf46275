//! Pruning, as `sensuctl prune` does: deleting the resources of some kinds that a set of
//! resources (the configuration) no longer holds, among those `sensuctl create` labelled
//! `sensu.io/managed_by: sensuctl` and, unless told otherwise, those the given users created.

use std::collections::HashSet;
use std::fmt;

use serde_json::Value;

use super::apply::MANAGED_BY_LABEL;
use super::dump::Namespaces;
use super::kinds::{describe, shown, Address, Kind, Scope};
use super::resource::Resource;
use crate::sensu::Client;
use crate::Result;

/// The label value `sensuctl create` writes, which pruning looks for unless told another.
pub const SENSUCTL: &str = "sensuctl";

/// Whose resources are pruned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Creators {
    /// Any user's (sensuctl's `--all-users`).
    Any,
    /// Only those whose `metadata.created_by` is one of these (sensuctl's `--users`, which
    /// defaults to the current user).
    Only(Vec<String>),
}

/// One resource pruned, or that would be in a dry run. `Debug` does not show an API key's
/// name.
#[derive(Clone, PartialEq)]
#[non_exhaustive]
pub struct Pruned {
    /// Its kind.
    pub kind: &'static Kind,
    /// Where it lived.
    pub address: Address,
    /// Whether it was deleted; `false` in a dry run.
    pub deleted: bool,
}

impl fmt::Debug for Pruned {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pruned")
            .field("kind", &self.kind)
            .field("address", &shown(self.kind, &self.address))
            .field("deleted", &self.deleted)
            .finish()
    }
}

impl fmt::Display for Pruned {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let verb = if self.deleted {
            "pruned"
        } else {
            "would prune"
        };
        write!(f, "{verb} {}", describe(self.kind, &self.address))
    }
}

/// A pruning to run; see [`Client::prune`].
#[derive(Debug)]
#[must_use = "nothing is pruned until send() is awaited"]
pub struct Prune<'a> {
    client: &'a Client,
    kinds: Vec<&'static Kind>,
    configuration: Vec<Resource>,
    namespace: String,
    creators: Creators,
    label: String,
    cluster_wide: bool,
    dry_run: bool,
}

impl Client {
    /// Deletes the resources of `kinds` that `configuration` does not hold, as `sensuctl
    /// prune` does: only those labelled `sensu.io/managed_by: sensuctl` (what `sensuctl
    /// create`, and [`Apply::managed_by`](super::Apply::managed_by) with `sensuctl`, write),
    /// created by one of the [`created_by`](Prune::created_by) users, in the client's
    /// namespace (or [`namespace`](Prune::namespace)); cluster-wide kinds only with
    /// [`cluster_wide`](Prune::cluster_wide). Namespaced kinds go first, namespaces last.
    /// Deleting a user disables it, as the API does.
    pub fn prune(&self, kinds: &[&'static Kind], configuration: Vec<Resource>) -> Prune<'_> {
        Prune {
            client: self,
            kinds: kinds.to_vec(),
            configuration,
            namespace: self.namespace().to_string(),
            creators: Creators::Any,
            label: SENSUCTL.to_string(),
            cluster_wide: false,
            dry_run: false,
        }
    }
}

impl Prune<'_> {
    /// The namespace to prune in, and of configuration resources that name none.
    pub fn namespace(mut self, namespace: impl Into<String>) -> Self {
        self.namespace = namespace.into();
        self
    }

    /// Whose resources may be pruned. Defaults to [`Creators::Any`]; sensuctl's default is
    /// the current user, which the caller knows.
    pub fn created_by(mut self, creators: Creators) -> Self {
        self.creators = creators;
        self
    }

    /// The `sensu.io/managed_by` value of prunable resources; `sensuctl` unless set.
    pub fn managed_by(mut self, value: impl Into<String>) -> Self {
        self.label = value.into();
        self
    }

    /// Whether cluster-wide kinds (namespaces, users, cluster roles, ...) are pruned too.
    pub fn cluster_wide(mut self, yes: bool) -> Self {
        self.cluster_wide = yes;
        self
    }

    /// Only says what would be pruned.
    pub fn dry_run(mut self, yes: bool) -> Self {
        self.dry_run = yes;
        self
    }

    /// Prunes; the resources pruned (or that would be), in the order they were deleted.
    pub async fn send(self) -> Result<Vec<Pruned>> {
        let mut keep = HashSet::new();
        for (index, resource) in self.configuration.iter().enumerate() {
            let address = resource
                .address(&self.namespace)
                .map_err(|(field, reason)| resource.violation(index + 1, field, reason))?;
            keep.insert((resource.kind().type_name(), address));
        }
        let mut kinds: Vec<&'static Kind> = self
            .kinds
            .iter()
            .copied()
            .filter(|k| self.cluster_wide || k.scope() == Scope::Namespaced)
            .collect();
        kinds.sort_by_key(|k| std::cmp::Reverse(k.rank()));
        kinds.dedup();
        let namespaces = Namespaces::One(self.namespace.clone());
        let mut pruned = Vec::new();
        for kind in kinds {
            for resource in self.client.dump(&[kind], &namespaces).await? {
                if !self.prunable(&resource) {
                    continue;
                }
                let Ok(address) = resource.address(&self.namespace) else {
                    continue;
                };
                if keep.contains(&(kind.type_name(), address.clone())) {
                    continue;
                }
                if !self.dry_run {
                    (kind.ops.delete)(self.client, &address).await?;
                }
                pruned.push(Pruned {
                    kind,
                    address,
                    deleted: !self.dry_run,
                });
            }
        }
        Ok(pruned)
    }

    /// Whether a stored resource carries the label and was made by one of the creators.
    fn prunable(&self, resource: &Resource) -> bool {
        let metadata = resource.metadata();
        let labelled = metadata
            .get("labels")
            .and_then(|labels| labels.get(MANAGED_BY_LABEL))
            .and_then(Value::as_str)
            == Some(self.label.as_str());
        let creator = metadata
            .get("created_by")
            .and_then(Value::as_str)
            .unwrap_or_default();
        labelled
            && match &self.creators {
                Creators::Any => true,
                Creators::Only(users) => users.iter().any(|u| u == creator),
            }
    }
}
