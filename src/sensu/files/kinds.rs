//! The core/v2 kinds a resource file can hold, in the order they are applied and dumped, and
//! where each resource of a kind lives.

use std::fmt;

use super::stored::Ops;
use crate::endpoint::path_segment_problem;
use crate::error::Error;
use crate::sensu::types;
use crate::Result;

/// The API group and version of every kind here.
pub const API_VERSION: &str = "core/v2";

/// Where a kind's resources live.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// In a namespace, by name (checks, handlers, events, ...).
    Namespaced,
    /// Cluster-wide, by name (namespaces, users, cluster roles, ...).
    Cluster,
    /// One per cluster, without a name (the Tessen configuration).
    Singleton,
}

/// Where a kind's body keeps the resource's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Naming {
    /// In `metadata.name`, with the rest of the metadata.
    Metadata,
    /// In a field of its own (`name`, `username`); the body has no metadata.
    Field(&'static str),
    /// An event: its entity's and its check's names.
    Event,
    /// Nowhere: there is one of it.
    Unnamed,
}

/// A core/v2 resource kind, as sensuctl's wrapped format names it (`type`) and as its
/// commands abbreviate it (`checks`).
pub struct Kind {
    type_name: &'static str,
    short_name: &'static str,
    scope: Scope,
    pub(super) naming: Naming,
    /// Whether `all` takes it in: API keys are left out, their names being credentials that no
    /// file can restore.
    in_all: bool,
    /// The spec's fields that hold secrets, never shown by `Debug`.
    pub(super) secret_fields: &'static [&'static str],
    pub(super) ops: Ops,
}

impl fmt::Debug for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Kind({})", self.type_name)
    }
}

impl PartialEq for Kind {
    fn eq(&self, other: &Self) -> bool {
        self.type_name == other.type_name
    }
}

impl Eq for Kind {}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.type_name)
    }
}

const fn kind(
    type_name: &'static str,
    short_name: &'static str,
    scope: Scope,
    naming: Naming,
    ops: Ops,
) -> Kind {
    Kind {
        type_name,
        short_name,
        scope,
        naming,
        in_all: true,
        secret_fields: &[],
        ops,
    }
}

use Naming::{Event, Field, Metadata, Unnamed};
use Scope::{Cluster, Namespaced, Singleton};

/// Every kind, in sensuctl's order: namespaces first, then the other cluster-wide kinds, then
/// the namespaced ones. Applying in this order creates a namespace before what lives in it.
static KINDS: [Kind; 18] = [
    kind(
        "Namespace",
        "namespaces",
        Cluster,
        Field("name"),
        Ops::of::<types::Namespace>(),
    ),
    kind(
        "ClusterRole",
        "clusterroles",
        Cluster,
        Metadata,
        Ops::of::<types::ClusterRole>(),
    ),
    kind(
        "ClusterRoleBinding",
        "clusterrolebindings",
        Cluster,
        Metadata,
        Ops::of::<types::ClusterRoleBinding>(),
    ),
    Kind {
        secret_fields: &["password", "password_hash"],
        ..kind(
            "User",
            "users",
            Cluster,
            Field("username"),
            Ops::of::<types::User>(),
        )
    },
    Kind {
        in_all: false,
        ..kind(
            "APIKey",
            "apikeys",
            Cluster,
            Metadata,
            Ops::of::<types::ApiKey>(),
        )
    },
    kind(
        "TessenConfig",
        "tessen",
        Singleton,
        Unnamed,
        Ops::of::<types::TessenConfig>(),
    ),
    kind(
        "Asset",
        "assets",
        Namespaced,
        Metadata,
        Ops::of::<types::Asset>(),
    ),
    kind(
        "CheckConfig",
        "checks",
        Namespaced,
        Metadata,
        Ops::of::<types::CheckConfig>(),
    ),
    kind(
        "Entity",
        "entities",
        Namespaced,
        Metadata,
        Ops::of::<types::Entity>(),
    ),
    kind(
        "Event",
        "events",
        Namespaced,
        Event,
        Ops::of::<types::Event>(),
    ),
    kind(
        "EventFilter",
        "filters",
        Namespaced,
        Metadata,
        Ops::of::<types::EventFilter>(),
    ),
    kind(
        "Handler",
        "handlers",
        Namespaced,
        Metadata,
        Ops::of::<types::Handler>(),
    ),
    kind(
        "HookConfig",
        "hooks",
        Namespaced,
        Metadata,
        Ops::of::<types::HookConfig>(),
    ),
    kind(
        "Mutator",
        "mutators",
        Namespaced,
        Metadata,
        Ops::of::<types::Mutator>(),
    ),
    kind(
        "Pipeline",
        "pipelines",
        Namespaced,
        Metadata,
        Ops::of::<types::Pipeline>(),
    ),
    kind(
        "Role",
        "roles",
        Namespaced,
        Metadata,
        Ops::of::<types::Role>(),
    ),
    kind(
        "RoleBinding",
        "rolebindings",
        Namespaced,
        Metadata,
        Ops::of::<types::RoleBinding>(),
    ),
    kind(
        "Silenced",
        "silenced",
        Namespaced,
        Metadata,
        Ops::of::<types::Silenced>(),
    ),
];

impl Kind {
    /// Every kind, in the order they are applied and dumped.
    pub fn all() -> &'static [Kind] {
        &KINDS
    }

    /// The kind called `name`: its type (`CheckConfig`), its qualified name
    /// (`core/v2.CheckConfig`) or its short name (`checks`).
    pub fn find(name: &str) -> Option<&'static Kind> {
        let type_name = name
            .strip_prefix(API_VERSION)
            .and_then(|rest| rest.strip_prefix('.'))
            .unwrap_or(name);
        KINDS
            .iter()
            .find(|k| k.type_name == type_name || k.short_name == name)
    }

    /// The kinds a comma-separated list names, in application order and each once; `all` is
    /// every kind but API keys (ask for `apikeys` by name). An unknown name is an
    /// [`Error::InvalidInput`] that names it.
    pub fn select(list: &str) -> Result<Vec<&'static Kind>> {
        let mut chosen = Vec::new();
        for name in list.split(',').map(str::trim) {
            if name == "all" {
                chosen.extend(KINDS.iter().filter(|k| k.in_all));
                continue;
            }
            let kind = Kind::find(name).ok_or_else(|| {
                let known: Vec<&str> = KINDS.iter().map(|k| k.short_name).collect();
                Error::invalid(
                    "kinds",
                    format!(
                        "{name:?} is not a core/v2 kind; give all, a type such as CheckConfig, or one of {}",
                        known.join(", ")
                    ),
                )
            })?;
            chosen.push(kind);
        }
        chosen.sort_by_key(|k| k.rank());
        chosen.dedup();
        Ok(chosen)
    }

    /// The type name, e.g. `CheckConfig`.
    pub fn type_name(&self) -> &'static str {
        self.type_name
    }

    /// The qualified name, e.g. `core/v2.CheckConfig`.
    pub fn qualified_name(&self) -> String {
        format!("{API_VERSION}.{}", self.type_name)
    }

    /// The short name sensuctl's commands use, e.g. `checks`.
    pub fn short_name(&self) -> &'static str {
        self.short_name
    }

    /// Where the kind's resources live.
    pub fn scope(&self) -> Scope {
        self.scope
    }

    /// Whether a resource's name is a credential, never to be shown (API keys).
    pub fn name_is_secret(&self) -> bool {
        !self.in_all
    }

    /// The kind's place in the application order.
    pub(super) fn rank(&self) -> usize {
        KINDS.iter().position(|k| k == self).unwrap_or(KINDS.len())
    }
}

/// Where one resource lives: what its requests' paths are made of.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Address {
    /// A cluster-wide resource.
    Cluster {
        /// Its name.
        name: String,
    },
    /// A resource in a namespace.
    Namespaced {
        /// The namespace.
        namespace: String,
        /// Its name.
        name: String,
    },
    /// An event, named by its entity and its check.
    Event {
        /// The namespace.
        namespace: String,
        /// The entity's name.
        entity: String,
        /// The check's name.
        check: String,
    },
    /// The one resource of its kind.
    Singleton,
}

impl Address {
    /// The address of a `kind` resource from its namespace (ignored for cluster-wide kinds) and
    /// its name, or for events its entity's and its check's names. Every part that goes into a
    /// path is checked; a wrong count of names, or a part that is empty, `.`, `..` or holds a
    /// `\`, is an [`Error::InvalidInput`].
    pub fn of(kind: &Kind, namespace: &str, names: &[&str]) -> Result<Address> {
        let wanted = match kind.naming {
            Naming::Event => 2,
            Naming::Unnamed => 0,
            _ => 1,
        };
        if names.len() != wanted {
            return Err(Error::invalid(
                "name",
                format!(
                    "a {kind} is addressed by {wanted} name(s), not {}",
                    names.len()
                ),
            ));
        }
        let address = match (kind.scope, kind.naming) {
            (Scope::Singleton, _) => Address::Singleton,
            (Scope::Cluster, _) => Address::Cluster {
                name: names[0].to_string(),
            },
            (Scope::Namespaced, Naming::Event) => Address::Event {
                namespace: namespace.to_string(),
                entity: names[0].to_string(),
                check: names[1].to_string(),
            },
            (Scope::Namespaced, _) => Address::Namespaced {
                namespace: namespace.to_string(),
                name: names[0].to_string(),
            },
        };
        match address.problem() {
            Some((field, reason)) => Err(Error::invalid(field, reason)),
            None => Ok(address),
        }
    }

    /// A part the URL parser would move or drop: its field and what is wrong with it.
    pub(super) fn problem(&self) -> Option<(String, String)> {
        let parts: Vec<(&str, &str)> = match self {
            Address::Cluster { name } => vec![("metadata.name", name)],
            Address::Namespaced { namespace, name } => {
                vec![("metadata.namespace", namespace), ("metadata.name", name)]
            }
            Address::Event {
                namespace,
                entity,
                check,
            } => vec![
                ("metadata.namespace", namespace),
                ("entity.metadata.name", entity),
                ("check.metadata.name", check),
            ],
            Address::Singleton => Vec::new(),
        };
        parts.into_iter().find_map(|(field, value)| {
            path_segment_problem(value).map(|problem| (field.to_string(), problem.to_string()))
        })
    }

    /// The namespace; empty for cluster-wide resources.
    pub fn namespace(&self) -> &str {
        match self {
            Address::Namespaced { namespace, .. } | Address::Event { namespace, .. } => namespace,
            _ => "",
        }
    }

    /// The name; empty for events and the singleton.
    pub fn name(&self) -> &str {
        match self {
            Address::Cluster { name } | Address::Namespaced { name, .. } => name,
            _ => "",
        }
    }

    /// An event's namespace, entity and check; empty for anything else.
    pub(super) fn event(&self) -> (&str, &str, &str) {
        match self {
            Address::Event {
                namespace,
                entity,
                check,
            } => (namespace, entity, check),
            _ => ("", "", ""),
        }
    }
}

impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Address::Cluster { name } => f.write_str(name),
            Address::Namespaced { namespace, name } => write!(f, "{namespace}/{name}"),
            Address::Event {
                namespace,
                entity,
                check,
            } => write!(f, "{namespace}/{entity}/{check}"),
            Address::Singleton => f.write_str("(the cluster's)"),
        }
    }
}

/// A kind and an address, as messages show them: `CheckConfig default/cpu`. An API key's name
/// is a credential and is not shown.
pub(super) fn describe(kind: &Kind, address: &Address) -> String {
    format!("{kind} {}", shown(kind, address))
}

/// An address as messages and `Debug` show it: an API key's name is not shown.
pub(super) fn shown(kind: &Kind, address: &Address) -> String {
    if kind.name_is_secret() {
        "(name not shown)".to_string()
    } else {
        address.to_string()
    }
}
