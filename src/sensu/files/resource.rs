//! One resource in sensuctl's wrapped format, `{type, api_version, metadata, spec}`, and the
//! core/v2 body it stands for.

use std::fmt;

use serde_json::{Map, Value};

use super::kinds::{Address, Kind, Naming, Scope, API_VERSION};
use crate::endpoint::path_segment_problem;
use crate::error::{Error, InvalidInput};
use crate::Result;

/// The fields of a wrapped resource.
const WRAPPER_FIELDS: [&str; 4] = ["type", "api_version", "metadata", "spec"];

/// Where a resource was read from, for messages.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Origin {
    /// The file, as the reader named it (`-` for standard input).
    pub source: String,
    /// The document's position in it, from 1.
    pub document: usize,
}

/// One core/v2 resource in the wrapped format: its kind, its metadata and its spec (the body
/// without the metadata). Nothing is dropped: fields the document does not declare stay in the
/// spec and are written back as read. `Debug` shows neither a user's password (or its hash) nor
/// an API key's name.
#[derive(Clone, PartialEq)]
pub struct Resource {
    kind: &'static Kind,
    metadata: Map<String, Value>,
    spec: Map<String, Value>,
    origin: Option<Origin>,
}

impl fmt::Debug for Resource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let redacted = || Value::String("[redacted]".into());
        let mut metadata = self.metadata.clone();
        if self.kind.name_is_secret() && metadata.contains_key("name") {
            metadata.insert("name".into(), redacted());
        }
        let mut spec = self.spec.clone();
        for field in self.kind.secret_fields {
            if let Some(value) = spec.get_mut(*field) {
                *value = redacted();
            }
        }
        f.debug_struct("Resource")
            .field("kind", &self.kind)
            .field("metadata", &metadata)
            .field("spec", &spec)
            .field("origin", &self.origin)
            .finish()
    }
}

/// A field at fault, and why.
pub(super) type Fault = (String, String);

fn fault(field: impl Into<String>, reason: impl Into<String>) -> Fault {
    (field.into(), reason.into())
}

impl Resource {
    /// The resource a core/v2 body stands for, as the API reads and writes it: a check with its
    /// `metadata`, a namespace's `{"name": …}`, a user without metadata. The body is checked
    /// as [`parse`](super::parse) checks a document; a body that does not fit its kind is an
    /// [`Error::InvalidInput`] naming the field.
    pub fn from_body(kind: &'static Kind, body: serde_json::Value) -> Result<Resource> {
        let resource =
            Resource::split(kind, body).map_err(|(field, reason)| Error::invalid(field, reason))?;
        resource
            .check()
            .map_err(|(field, reason)| Error::invalid(field, reason))?;
        Ok(resource)
    }

    /// Splits a body into metadata and spec, without checking it.
    pub(super) fn split(kind: &'static Kind, body: Value) -> std::result::Result<Resource, Fault> {
        let Value::Object(mut spec) = body else {
            return Err(fault("", format!("a {kind} is a JSON object")));
        };
        let metadata = match kind.naming {
            Naming::Metadata | Naming::Event => match spec.remove("metadata") {
                None | Some(Value::Null) => Map::new(),
                Some(Value::Object(metadata)) => metadata,
                Some(_) => return Err(fault("metadata", "must be an object")),
            },
            Naming::Field(field) => match spec.get(field) {
                Some(Value::String(name)) => Map::from_iter([("name".into(), name.clone().into())]),
                _ => Map::new(),
            },
            Naming::Unnamed => Map::new(),
        };
        Ok(Resource {
            kind,
            metadata,
            spec,
            origin: None,
        })
    }

    /// Reads one wrapped document. Its `spec` may carry a `metadata` of its own, as sensuctl
    /// allows: the outer one wins field by field, and labels and annotations are merged.
    pub(super) fn from_wrapped(
        value: Value,
        origin: Origin,
    ) -> std::result::Result<Resource, Fault> {
        let Value::Object(mut wrapper) = value else {
            return Err(fault(
                "",
                "is not a resource: a resource is an object with type, api_version, metadata and spec",
            ));
        };
        if let Some(extra) = wrapper
            .keys()
            .find(|k| !WRAPPER_FIELDS.contains(&k.as_str()))
        {
            return Err(fault(
                extra.clone(),
                "is not a field of a wrapped resource (type, api_version, metadata, spec)",
            ));
        }
        let type_name = match wrapper.remove("type") {
            Some(Value::String(name)) => name,
            None => return Err(fault("type", "is missing")),
            Some(_) => return Err(fault("type", "must be a string")),
        };
        match wrapper.remove("api_version") {
            None | Some(Value::Null) => {}
            Some(Value::String(version)) if version.is_empty() || version == API_VERSION => {}
            Some(Value::String(version)) => {
                return Err(fault(
                    "api_version",
                    format!("is {version:?}; only {API_VERSION} kinds are read"),
                ))
            }
            Some(_) => return Err(fault("api_version", "must be a string")),
        }
        let kind = Kind::all()
            .iter()
            .find(|k| k.type_name() == type_name)
            .ok_or_else(|| {
                let known: Vec<&str> = Kind::all().iter().map(|k| k.type_name()).collect();
                fault(
                    "type",
                    format!(
                        "{type_name:?} is not a {API_VERSION} type; one of {}",
                        known.join(", ")
                    ),
                )
            })?;
        let outer = match wrapper.remove("metadata") {
            None | Some(Value::Null) => Map::new(),
            Some(Value::Object(metadata)) => metadata,
            Some(_) => return Err(fault("metadata", "must be an object")),
        };
        let spec = match wrapper.remove("spec") {
            Some(Value::Object(spec)) => spec,
            None | Some(Value::Null) => return Err(fault("spec", "is missing")),
            Some(_) => return Err(fault("spec", "must be an object")),
        };
        let mut resource = Resource::with_metadata(kind, outer, spec)?;
        resource.origin = Some(origin);
        resource.check()?;
        Ok(resource)
    }

    /// Joins the outer metadata with the spec, as the kind keeps its name.
    fn with_metadata(
        kind: &'static Kind,
        outer: Map<String, Value>,
        mut spec: Map<String, Value>,
    ) -> std::result::Result<Resource, Fault> {
        let metadata = match kind.naming {
            Naming::Metadata | Naming::Event => match spec.remove("metadata") {
                None | Some(Value::Null) => outer,
                Some(Value::Object(inner)) => merge_metadata(inner, outer),
                Some(_) => return Err(fault("spec.metadata", "must be an object")),
            },
            Naming::Field(field) => {
                if let Some(other) = outer.keys().find(|k| *k != "name") {
                    return Err(fault(
                        format!("metadata.{other}"),
                        format!("a {kind} keeps only its name; it has no {other}"),
                    ));
                }
                let outer_name = match outer.get("name") {
                    None | Some(Value::Null) => "",
                    Some(Value::String(name)) => name.as_str(),
                    Some(_) => return Err(fault("metadata.name", "must be a string")),
                };
                match spec.get(field) {
                    Some(Value::String(name)) if !outer_name.is_empty() && name != outer_name => {
                        return Err(fault(
                            "metadata.name",
                            format!("is {outer_name:?} but spec.{field} is {name:?}"),
                        ))
                    }
                    None | Some(Value::Null) if !outer_name.is_empty() => {
                        spec.insert(field.into(), outer_name.into());
                    }
                    _ => {}
                }
                return Resource::split(kind, Value::Object(spec));
            }
            Naming::Unnamed => {
                if let Some(field) = outer.keys().next() {
                    return Err(fault(
                        format!("metadata.{field}"),
                        format!("a {kind} has no metadata"),
                    ));
                }
                Map::new()
            }
        };
        Ok(Resource {
            kind,
            metadata,
            spec,
            origin: None,
        })
    }

    /// The kind.
    pub fn kind(&self) -> &'static Kind {
        self.kind
    }

    /// The wrapper's metadata: name, namespace, labels, annotations, creator. For namespaces
    /// and users, only the name; for the Tessen configuration, nothing.
    pub fn metadata(&self) -> &Map<String, Value> {
        &self.metadata
    }

    /// The wrapper's metadata, to change; [`apply`](crate::sensu::Client::apply) checks the
    /// result again.
    pub fn metadata_mut(&mut self) -> &mut Map<String, Value> {
        &mut self.metadata
    }

    /// The spec: the body without its metadata.
    pub fn spec(&self) -> &Map<String, Value> {
        &self.spec
    }

    /// The spec, to change; [`apply`](crate::sensu::Client::apply) checks the result again.
    pub fn spec_mut(&mut self) -> &mut Map<String, Value> {
        &mut self.spec
    }

    /// Where the resource was read from, when it was read from a file.
    pub fn origin(&self) -> Option<&Origin> {
        self.origin.as_ref()
    }

    /// `metadata.name` (or, for a namespace or a user, the name field); empty when not set.
    pub fn name(&self) -> &str {
        let name = match self.kind.naming {
            Naming::Field(field) => self.spec.get(field),
            _ => self.metadata.get("name"),
        };
        name.and_then(Value::as_str).unwrap_or_default()
    }

    /// `metadata.namespace`; empty when not set (the resource then goes to the namespace it is
    /// applied in).
    pub fn namespace(&self) -> &str {
        self.metadata
            .get("namespace")
            .and_then(Value::as_str)
            .unwrap_or_default()
    }

    /// The core/v2 body the API reads and writes.
    pub fn body(&self) -> Value {
        let mut body = self.spec.clone();
        let keeps_metadata = match self.kind.naming {
            Naming::Metadata => true,
            Naming::Event => !self.metadata.is_empty(),
            Naming::Field(_) | Naming::Unnamed => false,
        };
        if keeps_metadata {
            body.insert("metadata".into(), Value::Object(self.metadata.clone()));
        }
        Value::Object(body)
    }

    /// The wrapped form, `{type, api_version, metadata, spec}`, as a JSON value.
    pub fn to_wrapped(&self) -> serde_json::Value {
        serde_json::json!({
            "type": self.kind.type_name(),
            "api_version": API_VERSION,
            "metadata": self.metadata,
            "spec": self.spec,
        })
    }

    /// The body as its type reads and writes it, or the field (a path from the wrapper) at
    /// fault.
    pub(super) fn typed_body(&self) -> std::result::Result<Value, Fault> {
        (self.kind.ops.decode)(&self.body()).map_err(|(path, reason)| {
            let field = match (self.kind.naming, path.as_str()) {
                (Naming::Metadata | Naming::Event, p) if p == "metadata" => p.to_string(),
                (Naming::Metadata | Naming::Event, p) if p.starts_with("metadata.") => p.into(),
                (_, "") => "spec".to_string(),
                (_, p) => format!("spec.{p}"),
            };
            (field, reason)
        })
    }

    /// Everything that can be checked without the server: the body fits its type, the names
    /// are there and can go into a URL, a cluster-wide kind has no namespace, and the client's
    /// rules for the kind hold.
    pub(super) fn check(&self) -> std::result::Result<(), Fault> {
        let typed = self.typed_body()?;
        let text = |pointer: &str| typed.pointer(pointer).and_then(Value::as_str).unwrap_or("");
        let names: Vec<(String, &str)> = match self.kind.naming {
            // The server names a silence after its subscription and check.
            Naming::Metadata if self.kind.type_name() == "Silenced" => Vec::new(),
            Naming::Metadata => vec![("metadata.name".into(), text("/metadata/name"))],
            Naming::Field(field) => vec![(format!("spec.{field}"), text(&format!("/{field}")))],
            Naming::Event => vec![
                (
                    "spec.entity.metadata.name".into(),
                    text("/entity/metadata/name"),
                ),
                (
                    "spec.check.metadata.name".into(),
                    text("/check/metadata/name"),
                ),
            ],
            Naming::Unnamed => Vec::new(),
        };
        for (field, name) in names {
            if name.is_empty() {
                return Err(fault(field, "is needed: it names the resource"));
            }
            if let Some(problem) = path_segment_problem(name) {
                return Err(fault(field, problem));
            }
        }
        let namespace = self.namespace();
        if !namespace.is_empty() {
            if self.kind.scope() != Scope::Namespaced {
                return Err(fault(
                    "metadata.namespace",
                    format!("a {} is cluster-wide and has no namespace", self.kind),
                ));
            }
            if let Some(problem) = path_segment_problem(namespace) {
                return Err(fault("metadata.namespace", problem));
            }
        }
        crate::sensu::validate::definition(self.kind.type_name(), &typed).map_err(|violation| {
            let field = if violation.field.is_empty() {
                "spec".to_string()
            } else {
                format!("spec.{}", violation.field)
            };
            (field, violation.reason)
        })
    }

    /// Where the resource lives, its namespace defaulting to `namespace`, or the part that
    /// cannot go into a URL.
    pub(super) fn address(&self, namespace: &str) -> std::result::Result<Address, Fault> {
        let own = self.namespace();
        let namespace = if own.is_empty() { namespace } else { own };
        let spec = Value::Object(self.spec.clone());
        let text = |pointer: &str| {
            spec.pointer(pointer)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string()
        };
        let address = match (self.kind.scope(), self.kind.naming) {
            (Scope::Singleton, _) => Address::Singleton,
            (Scope::Cluster, _) => Address::Cluster {
                name: self.name().to_string(),
            },
            (Scope::Namespaced, Naming::Event) => {
                let entity_namespace = text("/entity/metadata/namespace");
                Address::Event {
                    namespace: if own.is_empty() && !entity_namespace.is_empty() {
                        entity_namespace
                    } else {
                        namespace.to_string()
                    },
                    entity: text("/entity/metadata/name"),
                    check: text("/check/metadata/name"),
                }
            }
            (Scope::Namespaced, _) => Address::Namespaced {
                namespace: namespace.to_string(),
                name: match self.name() {
                    "" if self.kind.type_name() == "Silenced" => silence_name(&self.spec),
                    name => name.to_string(),
                },
            },
        };
        match address.problem() {
            Some(problem) => Err(problem),
            None => Ok(address),
        }
    }

    /// The message of an error about this resource, with where it was read from.
    pub(super) fn violation(&self, position: usize, field: String, reason: String) -> Error {
        let (source, document) = match &self.origin {
            Some(origin) => (origin.source.clone(), origin.document),
            None => ("the resources given".to_string(), position),
        };
        Error::InvalidInput(InvalidInput::Document(crate::error::DocumentViolation {
            source,
            document,
            field,
            reason,
        }))
    }
}

/// The name the server gives a silence: `subscription:check`, `*` for a side not set.
fn silence_name(spec: &Map<String, Value>) -> String {
    let side = |field: &str| match spec.get(field).and_then(Value::as_str) {
        None | Some("") => "*".to_string(),
        Some(value) => value.to_string(),
    };
    format!("{}:{}", side("subscription"), side("check"))
}

/// The spec's own metadata with the wrapper's over it: each field the wrapper sets wins, and
/// labels and annotations are merged.
fn merge_metadata(mut inner: Map<String, Value>, outer: Map<String, Value>) -> Map<String, Value> {
    for (key, value) in outer {
        match (inner.get_mut(&key), value) {
            (Some(Value::Object(mine)), Value::Object(theirs)) => mine.extend(theirs),
            (_, Value::Null) => {}
            (_, Value::String(text)) if text.is_empty() => {}
            (_, value) => {
                inner.insert(key, value);
            }
        }
    }
    inner
}
