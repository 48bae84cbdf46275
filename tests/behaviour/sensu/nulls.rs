//! Every array and map property of every Sensu resource accepts `null`, as Go sends a nil slice or
//! map. The cases are generated from `openapi/sensu.yaml`: for each schema an operation reads or
//! writes, each array or map property reachable from it (through nested objects and list items)
//! is set to `null` in an otherwise minimal body, which must decode.

#![cfg(feature = "sensu")]

use std::collections::BTreeSet;

use openapiv3::{ReferenceOr, Schema, SchemaKind, Type};
use opsclient_codegen::Document;
use serde_json::{json, Map, Value};

/// One step from a body to a nested value, with the schema found there.
#[derive(Clone)]
enum Step<'a> {
    Property(String, &'a Schema),
    Item(&'a Schema),
}

struct Schemas<'a> {
    doc: &'a Document,
}

impl<'a> Schemas<'a> {
    /// The schema behind a reference or a single `allOf` wrapper, and its component name.
    fn resolve(&self, schema: &'a Schema) -> &'a Schema {
        match &schema.schema_kind {
            SchemaKind::AllOf { all_of } if all_of.len() == 1 => self.resolve_ref(&all_of[0]).0,
            _ => schema,
        }
    }

    fn resolve_ref(&self, schema: &'a ReferenceOr<Schema>) -> (&'a Schema, Option<&'a str>) {
        match schema {
            ReferenceOr::Item(schema) => (self.resolve(schema), None),
            ReferenceOr::Reference { reference } => {
                let name = reference.strip_prefix("#/components/schemas/").unwrap();
                let (target, _) = self.named(name);
                (target, Some(name))
            }
        }
    }

    fn resolve_boxed(&self, schema: &'a ReferenceOr<Box<Schema>>) -> (&'a Schema, Option<&'a str>) {
        match schema {
            ReferenceOr::Item(schema) => (self.resolve(schema), None),
            ReferenceOr::Reference { reference } => {
                let name = reference.strip_prefix("#/components/schemas/").unwrap();
                self.named(name)
            }
        }
    }

    fn named(&self, name: &'a str) -> (&'a Schema, Option<&'a str>) {
        let components = self.doc.spec.components.as_ref().unwrap();
        let (name, schema) = components.schemas.get_key_value(name).unwrap();
        (self.resolve_ref(schema).0, Some(name.as_str()))
    }

    /// Paths to every array or map property under `schema`; `seen` stops recursion.
    fn collections(
        &self,
        schema: &'a Schema,
        path: &mut Vec<Step<'a>>,
        seen: &mut Vec<&'a str>,
        out: &mut Vec<Vec<Step<'a>>>,
    ) {
        let Some(properties) = properties(schema) else {
            return;
        };
        for (name, property) in properties {
            let (target, component) = self.resolve_boxed(property);
            if component.is_some_and(|c| seen.contains(&c)) {
                continue;
            }
            seen.extend(component);
            path.push(Step::Property(name.clone(), target));
            if is_collection(target) {
                out.push(path.clone());
            }
            self.collections(target, path, seen, out);
            if let SchemaKind::Type(Type::Array(array)) = &target.schema_kind {
                if let Some(items) = &array.items {
                    let (item, _) = self.resolve_boxed(items);
                    path.push(Step::Item(item));
                    self.collections(item, path, seen, out);
                    path.pop();
                }
            }
            path.pop();
            if component.is_some() {
                seen.pop();
            }
        }
    }

    /// The smallest body the schema accepts: its required properties, each minimal.
    fn minimal(&self, schema: &'a Schema) -> Value {
        let schema = self.resolve(schema);
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(string)) => {
                if let Some(Some(first)) = string.enumeration.first() {
                    return json!(first);
                }
                match &string.format {
                    openapiv3::VariantOrUnknownOrEmpty::Item(openapiv3::StringFormat::DateTime) => {
                        json!("2026-01-01T00:00:00Z")
                    }
                    openapiv3::VariantOrUnknownOrEmpty::Unknown(f) if f == "uuid" => {
                        json!("00000000-0000-0000-0000-000000000000")
                    }
                    _ => json!("a"),
                }
            }
            SchemaKind::Type(Type::Integer(_)) | SchemaKind::Type(Type::Number(_)) => json!(0),
            SchemaKind::Type(Type::Boolean(_)) => json!(false),
            SchemaKind::Type(Type::Array(_)) => json!([]),
            SchemaKind::OneOf { one_of } => self.minimal(self.resolve_ref(&one_of[0]).0),
            _ => {
                let mut object = Map::new();
                if let (Some(properties), Some(required)) = (properties(schema), required(schema)) {
                    for name in required {
                        let (target, _) = self.resolve_boxed(&properties[name]);
                        object.insert(name.clone(), self.minimal(target));
                    }
                }
                Value::Object(object)
            }
        }
    }

    /// A minimal body of `root` in which the value at `path` is `null`.
    fn with_null_at(&self, root: &'a Schema, path: &[Step<'a>]) -> Value {
        let mut body = self.minimal(root);
        let mut here = &mut body;
        for step in path {
            here = match step {
                Step::Property(name, schema) => here
                    .as_object_mut()
                    .unwrap()
                    .entry(name.clone())
                    .or_insert_with(|| self.minimal(schema)),
                Step::Item(schema) => {
                    let items = here.as_array_mut().unwrap();
                    if items.is_empty() {
                        items.push(self.minimal(schema));
                    }
                    &mut items[0]
                }
            };
        }
        *here = Value::Null;
        body
    }
}

fn properties(schema: &Schema) -> Option<&indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(object)) => Some(&object.properties),
        SchemaKind::Any(any) => Some(&any.properties),
        _ => None,
    }
}

fn required(schema: &Schema) -> Option<&Vec<String>> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(object)) => Some(&object.required),
        SchemaKind::Any(any) => Some(&any.required),
        _ => None,
    }
}

fn is_collection(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Array(_)) => true,
        SchemaKind::Type(Type::Object(object)) => {
            object.properties.is_empty() && object.additional_properties.is_some()
        }
        _ => false,
    }
}

fn describe(path: &[Step]) -> String {
    path.iter()
        .map(|step| match step {
            Step::Property(name, _) => format!(".{name}"),
            Step::Item(_) => "[0]".into(),
        })
        .collect()
}

#[test]
fn every_sensu_list_and_map_property_accepts_null() {
    let api = crate::support::apis::sensu();
    let schemas = Schemas {
        doc: api.document(),
    };
    let names: BTreeSet<&str> = api
        .operations
        .iter()
        .flat_map(|op| [op.body_schema, op.response_schema])
        .flatten()
        .map(|name| name.trim_start_matches('[').trim_end_matches(']'))
        .filter(|name| !matches!(*name, "string" | "uuid"))
        .collect();
    let mut failures = Vec::new();
    let mut checked = 0;
    for name in &names {
        let (root, _) = schemas.named(name);
        let codec = (api.codec)(name).unwrap_or_else(|| panic!("no type registered for {name}"));
        if let Err(e) = codec(&schemas.minimal(root)) {
            failures.push(format!("{name}: a minimal body does not decode: {e}"));
            continue;
        }
        let mut paths = Vec::new();
        schemas.collections(root, &mut Vec::new(), &mut vec![*name], &mut paths);
        for path in paths {
            checked += 1;
            let body = schemas.with_null_at(root, &path);
            if let Err(e) = codec(&body) {
                failures.push(format!("{name}{}: null {e}", describe(&path)));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(
        checked > 100,
        "only {checked} list and map properties found"
    );
    use std::io::Write;
    let _ = writeln!(
        std::io::stderr(),
        "nulls: {checked} list and map properties of {} Sensu schemas accept null",
        names.len()
    );
}
