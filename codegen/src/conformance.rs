//! Checks a JSON body against the schema its document declares for it: every property the body
//! carries must be declared. This is how tests keep the documents true to what the servers send.

use openapiv3::{AdditionalProperties, ReferenceOr, Schema, SchemaKind, Type};
use serde_json::Value;

use crate::Document;

/// How deep a body is followed; deeper parts are reported rather than walked.
const MAX_DEPTH: usize = 64;

/// The schema of the JSON body an operation answers with `status` (or its `2XX`/`default`).
pub fn answer_schema<'a>(
    doc: &'a Document,
    method: &str,
    path: &str,
    status: u16,
) -> Option<&'a ReferenceOr<Schema>> {
    let op = operation(doc, method, path)?;
    let responses = &op.responses;
    let response = responses
        .responses
        .get(&openapiv3::StatusCode::Code(status))
        .or_else(|| {
            responses
                .responses
                .get(&openapiv3::StatusCode::Range(status / 100))
        })
        .or(responses.default.as_ref())?;
    let response = match response {
        ReferenceOr::Item(response) => response,
        ReferenceOr::Reference { reference } => {
            let name = reference.strip_prefix("#/components/responses/")?;
            match doc.spec.components.as_ref()?.responses.get(name)? {
                ReferenceOr::Item(response) => response,
                ReferenceOr::Reference { .. } => return None,
            }
        }
    };
    json_schema(&response.content)
}

/// The schema of an operation's JSON request body.
pub fn request_schema<'a>(
    doc: &'a Document,
    method: &str,
    path: &str,
) -> Option<&'a ReferenceOr<Schema>> {
    match operation(doc, method, path)?.request_body.as_ref()? {
        ReferenceOr::Item(body) => json_schema(&body.content),
        ReferenceOr::Reference { .. } => None,
    }
}

fn json_schema(
    content: &indexmap::IndexMap<String, openapiv3::MediaType>,
) -> Option<&ReferenceOr<Schema>> {
    content
        .iter()
        .find(|(media, _)| media.contains("json"))
        .and_then(|(_, media)| media.schema.as_ref())
}

fn operation<'a>(doc: &'a Document, method: &str, path: &str) -> Option<&'a openapiv3::Operation> {
    let ReferenceOr::Item(item) = doc.spec.paths.paths.get(path)? else {
        return None;
    };
    item.iter()
        .find(|(m, _)| m.eq_ignore_ascii_case(method))
        .map(|(_, op)| op)
}

/// The JSON paths (`$.system.network.interfaces[0].mtu`) of the properties of `value` that
/// `schema` does not declare. An object schema declares its `properties`; one with
/// `additionalProperties` (or with no properties at all) declares any name.
pub fn undeclared(doc: &Document, schema: &ReferenceOr<Schema>, value: &Value) -> Vec<String> {
    let mut found = Vec::new();
    Walk {
        doc,
        found: &mut found,
    }
    .value(schema, value, "$", 0);
    found
}

/// [`undeclared`] for the component schema `name` (an array of it when written `[name]`).
pub fn undeclared_in_component(doc: &Document, name: &str, value: &Value) -> Vec<String> {
    let mut found = Vec::new();
    let mut walk = Walk {
        doc,
        found: &mut found,
    };
    let reference = |name: &str| format!("#/components/schemas/{name}");
    match name.strip_prefix('[').and_then(|n| n.strip_suffix(']')) {
        Some(item) => {
            if let Value::Array(values) = value {
                for (i, value) in values.iter().enumerate() {
                    walk.reference(&reference(item), value, &format!("$[{i}]"), 1);
                }
            }
        }
        None => walk.reference(&reference(name), value, "$", 0),
    }
    found
}

struct Walk<'a, 'f> {
    doc: &'a Document,
    found: &'f mut Vec<String>,
}

type Properties = indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>;

impl<'a> Walk<'a, '_> {
    fn named(&self, reference: &str) -> Option<&'a Schema> {
        let name = reference.strip_prefix("#/components/schemas/")?;
        match self.doc.spec.components.as_ref()?.schemas.get(name)? {
            ReferenceOr::Item(schema) => Some(schema),
            ReferenceOr::Reference { reference } => self.named(reference),
        }
    }

    fn value(&mut self, schema: &'a ReferenceOr<Schema>, value: &Value, at: &str, depth: usize) {
        match schema {
            ReferenceOr::Item(schema) => self.schema(schema, value, at, depth),
            ReferenceOr::Reference { reference } => self.reference(reference, value, at, depth),
        }
    }

    fn boxed(
        &mut self,
        schema: &'a ReferenceOr<Box<Schema>>,
        value: &Value,
        at: &str,
        depth: usize,
    ) {
        match schema {
            ReferenceOr::Item(schema) => self.schema(schema, value, at, depth),
            ReferenceOr::Reference { reference } => self.reference(reference, value, at, depth),
        }
    }

    fn reference(&mut self, reference: &str, value: &Value, at: &str, depth: usize) {
        match self.named(reference) {
            Some(schema) => self.schema(schema, value, at, depth),
            None => self
                .found
                .push(format!("{at}: {reference} does not resolve")),
        }
    }

    fn schema(&mut self, schema: &'a Schema, value: &Value, at: &str, depth: usize) {
        if depth > MAX_DEPTH {
            self.found
                .push(format!("{at}: nested deeper than {MAX_DEPTH}"));
            return;
        }
        if value.is_null() {
            return;
        }
        match &schema.schema_kind {
            SchemaKind::Type(Type::Object(object)) => self.object(
                &object.properties,
                object.additional_properties.as_ref(),
                value,
                at,
                depth,
            ),
            SchemaKind::Type(Type::Array(array)) => {
                if let Some(items) = &array.items {
                    self.items(items, value, at, depth);
                }
            }
            SchemaKind::Type(_) | SchemaKind::Not { .. } => {}
            SchemaKind::AllOf { all_of } => match all_of.as_slice() {
                [only] => self.value(only, value, at, depth),
                all => self.merged(all, value, at, depth),
            },
            SchemaKind::OneOf { one_of: choices } | SchemaKind::AnyOf { any_of: choices } => {
                self.best_of(choices, value, at, depth)
            }
            SchemaKind::Any(any) => {
                if !any.properties.is_empty() || any.additional_properties.is_some() {
                    self.object(
                        &any.properties,
                        any.additional_properties.as_ref(),
                        value,
                        at,
                        depth,
                    );
                } else if let Some(items) = &any.items {
                    self.items(items, value, at, depth);
                }
            }
        }
    }

    fn items(
        &mut self,
        items: &'a ReferenceOr<Box<Schema>>,
        value: &Value,
        at: &str,
        depth: usize,
    ) {
        if let Value::Array(values) = value {
            for (i, item) in values.iter().enumerate() {
                self.boxed(items, item, &format!("{at}[{i}]"), depth + 1);
            }
        }
    }

    fn object(
        &mut self,
        properties: &'a Properties,
        additional: Option<&'a AdditionalProperties>,
        value: &Value,
        at: &str,
        depth: usize,
    ) {
        let Value::Object(map) = value else {
            return;
        };
        for (key, item) in map {
            let here = format!("{at}.{key}");
            match (properties.get(key), additional) {
                (Some(property), _) => self.boxed(property, item, &here, depth + 1),
                (None, Some(AdditionalProperties::Schema(schema))) => {
                    self.value(schema, item, &here, depth + 1)
                }
                (None, Some(AdditionalProperties::Any(true))) => {}
                (None, _) if properties.is_empty() => {}
                (None, _) => self.found.push(here),
            }
        }
    }

    /// `allOf` of several schemas: a property is declared when one of them declares it.
    fn merged(&mut self, all: &'a [ReferenceOr<Schema>], value: &Value, at: &str, depth: usize) {
        let Value::Object(map) = value else {
            return;
        };
        let parts: Vec<&'a Schema> = all
            .iter()
            .filter_map(|s| match s {
                ReferenceOr::Item(schema) => Some(schema),
                ReferenceOr::Reference { reference } => self.named(reference),
            })
            .collect();
        for (key, item) in map {
            let here = format!("{at}.{key}");
            match parts
                .iter()
                .find_map(|s| properties_of(s).and_then(|p| p.get(key)))
            {
                Some(property) => self.boxed(property, item, &here, depth + 1),
                None => self.found.push(here),
            }
        }
    }

    /// `oneOf`/`anyOf`: the choice that leaves the fewest undeclared properties.
    fn best_of(
        &mut self,
        choices: &'a [ReferenceOr<Schema>],
        value: &Value,
        at: &str,
        depth: usize,
    ) {
        let mut best: Option<Vec<String>> = None;
        for choice in choices {
            let mut found = Vec::new();
            Walk {
                doc: self.doc,
                found: &mut found,
            }
            .value(choice, value, at, depth);
            if best.as_ref().is_none_or(|b| found.len() < b.len()) {
                best = Some(found);
            }
        }
        self.found.extend(best.unwrap_or_default());
    }
}

fn properties_of(schema: &Schema) -> Option<&Properties> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(object)) => Some(&object.properties),
        SchemaKind::Any(any) => Some(&any.properties),
        _ => None,
    }
}
