//! Walks an answer body against the schema its document declares, and notes where they differ:
//! properties the schema does not declare, values of another type, `null` where the schema is
//! not nullable, and enum values it does not list. Each difference names the place in the
//! document that would declare it, for the overlay.

use serde_json::{Map, Value};

use super::{Finding, FindingKind};

/// How deep a body is followed; deeper parts are not judged.
const MAX_DEPTH: usize = 64;

/// How deep an inferred schema describes an example value.
const MAX_INFERRED_DEPTH: usize = 8;

/// A place in the document: the keys from its root.
pub(crate) type Location = Vec<String>;

/// Walks answers of one operation against the document `root`.
pub(crate) struct Walk<'d, 'f> {
    pub(crate) root: &'d Value,
    pub(crate) operation: &'d str,
    pub(crate) found: &'f mut Vec<Finding>,
}

impl<'d> Walk<'d, '_> {
    /// Checks `value` against the schema at `location` in the document.
    pub(crate) fn check(&mut self, location: &Location, value: &Value) {
        let Some(schema) = lookup(self.root, location) else {
            return;
        };
        self.value(schema, location.clone(), None, value, "$", 0);
    }

    /// The schema `schema` (at `location`), its `$ref` followed.
    fn resolve(&self, schema: &'d Value, location: Location) -> Option<(&'d Value, Location)> {
        let mut here = (schema, location);
        for _ in 0..MAX_DEPTH {
            let Some(reference) = here.0.get("$ref").and_then(Value::as_str) else {
                return Some(here);
            };
            let target = reference_location(reference)?;
            here = (lookup(self.root, &target)?, target);
        }
        None
    }

    #[allow(clippy::too_many_arguments)] // one walk step: what, where, and the state
    fn value(
        &mut self,
        schema: &'d Value,
        location: Location,
        component: Option<&str>,
        value: &Value,
        at: &str,
        depth: usize,
    ) {
        if depth > MAX_DEPTH {
            return;
        }
        let Some((schema, location)) = self.resolve(schema, location) else {
            return;
        };
        let component = component_name(&location).or(component);
        let component = component.map(str::to_string);
        let component = component.as_deref();

        if value.is_null() {
            if !nullable(self.root, schema) && has_type(schema) {
                self.note(
                    Finding {
                        kind: FindingKind::UnexpectedNull,
                        json_path: at.to_string(),
                        schema: component.map(str::to_string),
                        detail: "null, where the document does not say nullable".into(),
                        ..self.finding()
                    }
                    .with_action(location.clone(), serde_json::json!({ "nullable": true })),
                );
            }
            return;
        }

        if let Some(parts) = schema.get("allOf").and_then(Value::as_array) {
            self.all_of(parts, &location, component, value, at, depth);
            return;
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(choices) = schema.get(key).and_then(Value::as_array) {
                self.best_of(choices, &location, key, component, value, at, depth);
                return;
            }
        }

        if let Some(expected) = schema.get("type").and_then(Value::as_str) {
            if !fits(expected, value) {
                self.note(Finding {
                    kind: FindingKind::WrongType,
                    json_path: at.to_string(),
                    schema: component.map(str::to_string),
                    detail: format!("{}, where the document says {expected}", kind_of(value)),
                    example: Some(shown(at, value)),
                    inferred_type: Some(kind_of(value).to_string()),
                    ..self.finding()
                });
                return;
            }
        }

        if let Some(choices) = schema.get("enum").and_then(Value::as_array) {
            if !choices.contains(value) {
                let mut enum_at = location.clone();
                enum_at.push("enum".into());
                self.note(
                    Finding {
                        kind: FindingKind::UndeclaredEnumValue,
                        json_path: at.to_string(),
                        schema: component.map(str::to_string),
                        detail: format!("{value} is not one of the values the document lists"),
                        example: Some(value.clone()),
                        inferred_type: Some(kind_of(value).to_string()),
                        ..self.finding()
                    }
                    .with_action(enum_at, value.clone()),
                );
            }
        }

        match value {
            Value::Object(map) => {
                self.object(schema, &location, component, map, at, depth);
            }
            Value::Array(items) => {
                if let Some(item_schema) = schema.get("items") {
                    let mut item_location = location.clone();
                    item_location.push("items".into());
                    for (i, item) in items.iter().enumerate() {
                        self.value(
                            item_schema,
                            item_location.clone(),
                            component,
                            item,
                            &format!("{at}[{i}]"),
                            depth + 1,
                        );
                    }
                }
            }
            _ => {}
        }
    }

    fn object(
        &mut self,
        schema: &'d Value,
        location: &Location,
        component: Option<&str>,
        map: &Map<String, Value>,
        at: &str,
        depth: usize,
    ) {
        let properties = schema.get("properties").and_then(Value::as_object);
        let additional = schema.get("additionalProperties");
        for (key, item) in map {
            let here = format!("{at}.{key}");
            if let Some(property) = properties.and_then(|p| p.get(key)) {
                let mut property_at = location.clone();
                property_at.extend(["properties".to_string(), key.clone()]);
                self.value(property, property_at, component, item, &here, depth + 1);
                continue;
            }
            match additional {
                Some(additional @ Value::Object(_)) => {
                    let mut additional_at = location.clone();
                    additional_at.push("additionalProperties".into());
                    self.value(additional, additional_at, component, item, &here, depth + 1);
                }
                Some(Value::Bool(true)) => {}
                _ if properties.is_none_or(Map::is_empty) => {}
                _ => {
                    let mut target = location.clone();
                    target.push("properties".into());
                    self.undeclared(target, component, key, item, &here);
                }
            }
        }
    }

    fn undeclared(
        &mut self,
        target: Location,
        component: Option<&str>,
        key: &str,
        item: &Value,
        here: &str,
    ) {
        let inferred = infer(item, 0);
        self.note(
            Finding {
                kind: FindingKind::UndeclaredProperty,
                json_path: here.to_string(),
                schema: component.map(str::to_string),
                detail: format!("`{key}` is not declared"),
                example: Some(shown(here, item)),
                inferred_type: Some(kind_of(item).to_string()),
                ..self.finding()
            }
            .with_action(
                target,
                Value::Object(Map::from_iter([(key.to_string(), inferred)])),
            ),
        );
    }

    /// `allOf`: a property is declared when one part declares it; it is judged by that part.
    fn all_of(
        &mut self,
        parts: &'d [Value],
        location: &Location,
        component: Option<&str>,
        value: &Value,
        at: &str,
        depth: usize,
    ) {
        let resolved: Vec<(&'d Value, Location)> = parts
            .iter()
            .enumerate()
            .filter_map(|(i, part)| {
                let mut part_at = location.clone();
                part_at.extend(["allOf".to_string(), i.to_string()]);
                self.resolve(part, part_at)
            })
            .collect();
        if let [(only, only_at)] = resolved.as_slice() {
            self.value(only, only_at.clone(), component, value, at, depth + 1);
            return;
        }
        let Value::Object(map) = value else {
            return;
        };
        for (key, item) in map {
            let here = format!("{at}.{key}");
            let declaring = resolved.iter().find_map(|(part, part_at)| {
                part.get("properties")
                    .and_then(|p| p.get(key))
                    .map(|p| (p, part_at))
            });
            match declaring {
                Some((property, part_at)) => {
                    let mut property_at = part_at.clone();
                    property_at.extend(["properties".to_string(), key.clone()]);
                    self.value(
                        property,
                        property_at,
                        component_name(part_at).or(component),
                        item,
                        &here,
                        depth + 1,
                    );
                }
                None => {
                    // Declared in the last part that declares properties.
                    if let Some((_, part_at)) = resolved
                        .iter()
                        .rev()
                        .find(|(part, _)| part.get("properties").is_some())
                    {
                        let mut target = part_at.clone();
                        target.push("properties".into());
                        let named = component_name(part_at).or(component);
                        self.undeclared(target, named, key, item, &here);
                    }
                }
            }
        }
    }

    /// `oneOf`/`anyOf`: judged by the choice that finds the fewest differences.
    #[allow(clippy::too_many_arguments)] // one walk step
    fn best_of(
        &mut self,
        choices: &'d [Value],
        location: &Location,
        key: &str,
        component: Option<&str>,
        value: &Value,
        at: &str,
        depth: usize,
    ) {
        let mut best: Option<Vec<Finding>> = None;
        for (i, choice) in choices.iter().enumerate() {
            let mut found = Vec::new();
            let mut choice_at = location.clone();
            choice_at.extend([key.to_string(), i.to_string()]);
            Walk {
                root: self.root,
                operation: self.operation,
                found: &mut found,
            }
            .value(choice, choice_at, component, value, at, depth + 1);
            if best.as_ref().is_none_or(|b| found.len() < b.len()) {
                best = Some(found);
            }
        }
        self.found.extend(best.unwrap_or_default());
    }

    fn finding(&self) -> Finding {
        Finding {
            kind: FindingKind::UndeclaredProperty,
            operation: self.operation.to_string(),
            json_path: String::new(),
            schema: None,
            detail: String::new(),
            example: None,
            inferred_type: None,
            status: None,
            overlay: None,
        }
    }

    fn note(&mut self, finding: Finding) {
        self.found.push(finding);
    }
}

/// A value as a report may show it: redacted when the property holding it looks secret
/// (`password`, `token`, ...), judged by the last name of its JSON path.
fn shown(at: &str, value: &Value) -> Value {
    let name = at
        .rsplit(['.', '['])
        .find(|part| !part.is_empty() && !part.ends_with(']'))
        .unwrap_or(at);
    match crate::secret::is_secret_name(name) {
        true => Value::String("[redacted]".into()),
        false => value.clone(),
    }
}

/// The node at `location` in `root`.
pub(crate) fn lookup<'d>(root: &'d Value, location: &[String]) -> Option<&'d Value> {
    location.iter().try_fold(root, |node, key| match node {
        Value::Object(map) => map.get(key),
        Value::Array(items) => key.parse::<usize>().ok().and_then(|i| items.get(i)),
        _ => None,
    })
}

/// The location a local `$ref` (`#/components/schemas/Name`) points to.
pub(crate) fn reference_location(reference: &str) -> Option<Location> {
    let pointer = reference.strip_prefix('#')?;
    Some(
        pointer
            .split('/')
            .skip(1)
            .map(|key| key.replace("~1", "/").replace("~0", "~"))
            .collect(),
    )
}

/// The component schema a location is in: `Name` of `components/schemas/Name/...`.
fn component_name(location: &[String]) -> Option<&str> {
    match location {
        [components, schemas, name, ..] if components == "components" && schemas == "schemas" => {
            Some(name)
        }
        _ => None,
    }
}

fn has_type(schema: &Value) -> bool {
    schema.get("type").is_some()
}

/// Whether `null` is allowed: `nullable: true`, or an `allOf`/`oneOf`/`anyOf` part that allows it.
fn nullable(root: &Value, schema: &Value) -> bool {
    if schema.get("nullable") == Some(&Value::Bool(true)) {
        return true;
    }
    ["allOf", "oneOf", "anyOf"].iter().any(|key| {
        schema
            .get(*key)
            .and_then(Value::as_array)
            .is_some_and(|parts| {
                parts.iter().any(|part| {
                    let part = match part.get("$ref").and_then(Value::as_str) {
                        Some(reference) => reference_location(reference)
                            .and_then(|at| lookup(root, &at))
                            .unwrap_or(part),
                        None => part,
                    };
                    part.get("nullable") == Some(&Value::Bool(true))
                })
            })
    })
}

/// Whether `value` is of the JSON Schema type `expected`.
fn fits(expected: &str, value: &Value) -> bool {
    match expected {
        "string" => value.is_string(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        _ => true,
    }
}

/// The JSON Schema type of `value`.
pub(crate) fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// A schema that declares `value`: its type, and for an array its items'. An object is
/// declared free-form (`additionalProperties: true`): one example cannot tell a record from a
/// map, and the next answer's object may have other keys; a person narrows it when reviewing.
pub(crate) fn infer(value: &Value, depth: usize) -> Value {
    let mut schema = Map::new();
    match value {
        Value::Null => {
            schema.insert("nullable".into(), Value::Bool(true));
        }
        Value::Array(items) => {
            schema.insert("type".into(), "array".into());
            let item = match items.first() {
                Some(first) if depth < MAX_INFERRED_DEPTH => infer(first, depth + 1),
                _ => Value::Object(Map::new()),
            };
            schema.insert("items".into(), item);
        }
        Value::Object(_) => {
            schema.insert("type".into(), "object".into());
            schema.insert("additionalProperties".into(), Value::Bool(true));
        }
        other => {
            schema.insert("type".into(), kind_of(other).into());
        }
    }
    Value::Object(schema)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn walk(document: &Value, schema: &str, value: Value) -> Vec<Finding> {
        let mut found = Vec::new();
        let location: Location = ["components", "schemas", schema].map(String::from).to_vec();
        Walk {
            root: document,
            operation: "getThing",
            found: &mut found,
        }
        .check(&location, &value);
        found
    }

    fn document() -> Value {
        json!({"components": {"schemas": {
            "Thing": {"type": "object", "properties": {
                "name": {"type": "string"},
                "size": {"type": "integer"},
                "note": {"type": "string", "nullable": true},
                "state": {"$ref": "#/components/schemas/State"},
                "meta": {"allOf": [{"$ref": "#/components/schemas/Meta"}]},
                "labels": {"type": "object", "additionalProperties": {"type": "string"}}
            }},
            "State": {"type": "string", "enum": ["OK", "ALARM"]},
            "Meta": {"type": "object", "properties": {"id": {"type": "string"}}}
        }}})
    }

    #[test]
    fn an_answer_as_declared_shows_nothing() {
        let value = json!({"name": "a", "size": 1, "note": null, "state": "OK",
                           "meta": {"id": "x"}, "labels": {"k": "v"}});
        assert_eq!(walk(&document(), "Thing", value), []);
    }

    #[test]
    fn each_kind_of_difference_is_found_where_it_is() {
        let value = json!({"name": null, "size": 1.5, "state": "UNDETERMINED",
                           "meta": {"id": "x", "uid": "u"}, "labels": {"k": 1},
                           "api_token": "s3cret"});
        let found: Vec<(FindingKind, String, Option<String>)> = walk(&document(), "Thing", value)
            .into_iter()
            .map(|f| (f.kind, f.json_path, f.schema))
            .collect();
        let thing = Some("Thing".to_string());
        assert!(found.contains(&(FindingKind::UnexpectedNull, "$.name".into(), thing.clone())));
        assert!(found.contains(&(FindingKind::WrongType, "$.size".into(), thing.clone())));
        assert!(found.contains(&(
            FindingKind::UndeclaredEnumValue,
            "$.state".into(),
            Some("State".into())
        )));
        assert!(found.contains(&(
            FindingKind::UndeclaredProperty,
            "$.meta.uid".into(),
            Some("Meta".into())
        )));
        assert!(found.contains(&(FindingKind::WrongType, "$.labels.k".into(), thing.clone())));
        assert!(found.contains(&(FindingKind::UndeclaredProperty, "$.api_token".into(), thing)));
        assert_eq!(found.len(), 6, "{found:?}");
    }

    #[test]
    fn the_overlay_targets_the_schema_that_would_declare_it_and_secrets_are_not_shown() {
        let found = walk(
            &document(),
            "Thing",
            json!({"meta": {"uid": "u"}, "api_token": "s3cret"}),
        );
        let uid = found.iter().find(|f| f.json_path == "$.meta.uid").unwrap();
        let (target, update) = uid.overlay.clone().unwrap();
        assert_eq!(target, ["components", "schemas", "Meta", "properties"]);
        assert_eq!(update, json!({"uid": {"type": "string"}}));
        let token = found.iter().find(|f| f.json_path == "$.api_token").unwrap();
        assert_eq!(token.example, Some(json!("[redacted]")));
    }
}
