//! The OpenAPI Overlay 1.0 document that adds what a drift check found to the document: one
//! `update` action per place in the document, each merging what was found there.

use serde_json::{json, Map, Value};

use super::schema::Location;
use super::Report;

/// The JSONPath (RFC 9535) of a document location: `$.components.schemas.Goal.properties`,
/// with names that are not plain identifiers quoted (`$.paths['/v1/goals'].get`).
pub(crate) fn json_path(location: &Location) -> String {
    let mut path = String::from("$");
    for key in location {
        let plain = key
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if plain {
            path.push('.');
            path.push_str(key);
        } else {
            let quoted = key.replace('\\', "\\\\").replace('\'', "\\'");
            path.push_str(&format!("['{quoted}']"));
        }
    }
    path
}

impl Report {
    /// The OpenAPI Overlay 1.0 document that adds what was found: undeclared properties (with
    /// a schema inferred from the value sent), enum values, `nullable`, statuses and content
    /// types. Wrong types, missing operations and version ranges are left to a person.
    pub fn overlay(&self) -> Value {
        let mut actions: Vec<(Location, Value, Vec<String>)> = Vec::new();
        for finding in &self.findings {
            let Some((target, update)) = &finding.overlay else {
                continue;
            };
            let said = format!("{}: {}", finding.kind.name(), finding.detail);
            // Array targets (an enum) take one value per action; objects merge.
            match (update, actions.iter_mut().find(|(t, _, _)| t == target)) {
                (Value::Object(more), Some((_, Value::Object(merged), notes))) => {
                    for (key, value) in more {
                        merged.entry(key.clone()).or_insert_with(|| value.clone());
                    }
                    notes.push(said);
                }
                _ => actions.push((target.clone(), update.clone(), vec![said])),
            }
        }
        let actions: Vec<Value> = actions
            .into_iter()
            .map(|(target, update, notes)| {
                let mut action = Map::new();
                action.insert("target".into(), json_path(&target).into());
                action.insert("description".into(), notes.join("; ").into());
                action.insert("update".into(), update);
                Value::Object(action)
            })
            .collect();
        json!({
            "overlay": "1.0.0",
            "info": {
                "title": format!("Drift of {} found at {}", self.api, self.server),
                "version": self.document_version.clone().unwrap_or_else(|| "0".into()),
            },
            "actions": actions,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_names_are_dotted_and_others_quoted() {
        let at: Location = ["paths", "/v1/goals", "get", "responses", "200"]
            .map(String::from)
            .to_vec();
        assert_eq!(json_path(&at), "$.paths['/v1/goals'].get.responses['200']");
        let at: Location = ["components", "schemas", "it's"].map(String::from).to_vec();
        assert_eq!(json_path(&at), "$.components.schemas['it\\'s']");
    }
}
