//! A request body built from `--json-body` and the options of its fields, as the generated
//! commands build it (see `opsclient_codegen`'s `cli_body.rs`): the file first, without the
//! fields only the server sets, each option over it, the fields the path fills where the body
//! has none, then the operation's type.

use std::path::Path;

use clap::ArgMatches;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::exit::Usage;

/// What a body is without `--json-body`.
#[derive(Debug, Clone, Copy)]
pub enum Start {
    /// An object, filled by the options.
    Object,
    /// A list (a JSON Patch), filled by `--add`, `--replace` and `--remove`.
    List,
    /// Nothing: the body comes from `--json-body` alone.
    Nothing,
}

/// A body being built.
#[derive(Debug)]
pub struct Body {
    value: Option<Value>,
}

impl Body {
    /// The body of `--json-body` (JSON or YAML; `-` is standard input), else `start`.
    pub fn read(matches: &ArgMatches, start: Start) -> anyhow::Result<Body> {
        if let Some(file) = matches.get_one::<std::path::PathBuf>("json-body") {
            return Ok(Body {
                value: Some(read_file(file)?),
            });
        }
        Ok(Body {
            value: match start {
                Start::Object => Some(Value::Object(Map::new())),
                Start::List => Some(Value::Array(Vec::new())),
                Start::Nothing => None,
            },
        })
    }

    /// Drops top-level `fields` the server sets and the operation does not take (a get's
    /// `id` and `links`), so that what a get printed can be sent back.
    pub fn drop_fields(&mut self, fields: &[&str]) {
        if let Some(Value::Object(map)) = self.value.as_mut() {
            for field in fields {
                map.remove(*field);
            }
        }
    }

    /// Sets the field at `path` to `value`, making the objects on the way.
    pub fn set<T: Serialize>(&mut self, path: &[&str], value: &T) -> anyhow::Result<()> {
        let value = serde_json::to_value(value)?;
        *self.slot(path)? = value;
        Ok(())
    }

    /// Sets the field at `path` to a list; an empty text (`--handlers ""`) is no item, so
    /// the list can be emptied.
    pub fn set_list<'a, T: Serialize + 'a>(
        &mut self,
        path: &[&str],
        values: impl Iterator<Item = &'a T>,
    ) -> anyhow::Result<()> {
        let mut items = Vec::new();
        for value in values {
            match serde_json::to_value(value)? {
                Value::String(s) if s.is_empty() => {}
                item => items.push(item),
            }
        }
        *self.slot(path)? = Value::Array(items);
        Ok(())
    }

    /// Sets keys of the map at `path` from `key=value` pairs (the file's other keys stay);
    /// with `json_values`, a value that is JSON (`3`, `true`, `[1, 2]`) is taken as such.
    pub fn set_pairs<'a>(
        &mut self,
        path: &[&str],
        option: &str,
        pairs: impl Iterator<Item = &'a String>,
        json_values: bool,
    ) -> anyhow::Result<()> {
        let slot = self.slot(path)?;
        if !slot.is_object() {
            *slot = Value::Object(Map::new());
        }
        let map = slot.as_object_mut().expect("made an object above");
        for pair in pairs {
            let Some((key, value)) = pair.split_once('=') else {
                return Err(Usage(format!("--{option} takes KEY=VALUE, not {pair:?}")).into());
            };
            if key.is_empty() {
                return Err(Usage(format!("--{option} takes KEY=VALUE, not {pair:?}")).into());
            }
            let value = if json_values {
                loose_json(value)
            } else {
                Value::String(value.to_string())
            };
            map.insert(key.to_string(), value);
        }
        Ok(())
    }

    /// Sets the field at `path` to a JSON or YAML file's content.
    pub fn set_file(&mut self, path: &[&str], file: &Path) -> anyhow::Result<()> {
        let value = read_file(file)?;
        *self.slot(path)? = value;
        Ok(())
    }

    /// Sets the field at `path` to `value` only if the body has none (or an empty text).
    pub fn fill<T: Serialize>(&mut self, path: &[&str], value: &T) -> anyhow::Result<()> {
        let slot = self.slot(path)?;
        let empty = match slot {
            Value::Null => true,
            Value::String(s) => s.is_empty(),
            _ => false,
        };
        if empty {
            *slot = serde_json::to_value(value)?;
        }
        Ok(())
    }

    /// Appends the JSON Patch operations of `--add PATH=VALUE`, `--replace PATH=VALUE` and
    /// `--remove PATH`, in the order they were given, after those of the file.
    pub fn patch_operations(&mut self, matches: &ArgMatches) -> anyhow::Result<()> {
        let mut given: Vec<(usize, &str, &String)> = Vec::new();
        for op in ["add", "replace", "remove"] {
            let (Some(indices), Some(values)) =
                (matches.indices_of(op), matches.get_many::<String>(op))
            else {
                continue;
            };
            given.extend(indices.zip(values).map(|(at, value)| (at, op, value)));
        }
        given.sort_by_key(|(at, _, _)| *at);
        let mut operations = Vec::with_capacity(given.len());
        for (_, op, text) in given {
            operations.push(patch_operation(op, text)?);
        }
        match self.value.get_or_insert_with(|| Value::Array(Vec::new())) {
            Value::Array(list) => list.extend(operations),
            _ if operations.is_empty() => {}
            _ => anyhow::bail!("the --json-body file is not a list of JSON Patch operations"),
        }
        Ok(())
    }

    /// The body as the operation's type `T` (its schema `schema`, for errors); `None` when
    /// there is none.
    pub fn finish<T: DeserializeOwned>(self, schema: &str) -> anyhow::Result<Option<T>> {
        let Some(value) = self.value else {
            return Ok(None);
        };
        let body = serde_json::from_value(value).map_err(|e| {
            anyhow::Error::new(e).context(format!("the request body is not a valid {schema}"))
        })?;
        Ok(Some(body))
    }

    /// The place of the field at `path`, made (as null) with the objects on the way.
    fn slot(&mut self, path: &[&str]) -> anyhow::Result<&mut Value> {
        let mut at = self.value.get_or_insert_with(|| Value::Object(Map::new()));
        for (depth, key) in path.iter().enumerate() {
            if at.is_null() {
                *at = Value::Object(Map::new());
            }
            let Value::Object(map) = at else {
                let parent = if depth == 0 {
                    "the body".to_string()
                } else {
                    format!("the body's {}", path[..depth].join("."))
                };
                anyhow::bail!(
                    "{parent} is not an object, so {} cannot be set",
                    path.join(".")
                );
            };
            at = map.entry(key.to_string()).or_insert(Value::Null);
        }
        Ok(at)
    }
}

/// A file's content, JSON or YAML; `-` is standard input.
fn read_file(file: &Path) -> anyhow::Result<Value> {
    let text = crate::input::read_body(file)
        .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", file.display()))?;
    crate::input::parse_body(&text)
        .map_err(|e| e.context(format!("cannot parse {}", file.display())))
}

/// A value given on the command line: JSON when it is JSON, else the text itself.
fn loose_json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_string()))
}

/// One JSON Patch operation from `--add`, `--replace` (`PATH=VALUE`) or `--remove` (`PATH`);
/// a path without its leading `/` gets one.
fn patch_operation(op: &str, text: &str) -> anyhow::Result<Value> {
    let pointer = |path: &str| {
        if path.starts_with('/') {
            path.to_string()
        } else {
            format!("/{path}")
        }
    };
    if op == "remove" {
        if text.is_empty() {
            return Err(Usage("--remove takes a PATH".into()).into());
        }
        return Ok(serde_json::json!({"op": op, "path": pointer(text)}));
    }
    match text.split_once('=') {
        Some((path, value)) if !path.is_empty() => Ok(serde_json::json!({
            "op": op,
            "path": pointer(path),
            "value": loose_json(value),
        })),
        _ => Err(Usage(format!("--{op} takes PATH=VALUE, not {text:?}")).into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn empty() -> Body {
        Body {
            value: Some(json!({})),
        }
    }

    #[test]
    fn options_set_fields_over_the_file_and_fills_only_fill() {
        let mut body = Body {
            value: Some(
                json!({"metadata": {"name": "from-file", "labels": {"a": "1"}}, "interval": 10}),
            ),
        };
        body.set(&["interval"], &30).unwrap();
        body.set_list(
            &["subscriptions"],
            ["linux".to_string(), "web".to_string()].iter(),
        )
        .unwrap();
        body.fill(&["metadata", "name"], &"from-path").unwrap();
        body.fill(&["metadata", "namespace"], &"default").unwrap();
        assert_eq!(
            body.value.unwrap(),
            json!({
                "metadata": {"name": "from-file", "namespace": "default", "labels": {"a": "1"}},
                "interval": 30,
                "subscriptions": ["linux", "web"]
            })
        );
    }

    #[test]
    fn an_empty_list_option_empties_the_list() {
        let mut body = empty();
        body.set_list(&["handlers"], [String::new()].iter())
            .unwrap();
        assert_eq!(body.value.unwrap(), json!({"handlers": []}));
    }

    #[test]
    fn pairs_are_key_value_and_json_when_asked() {
        let mut body = empty();
        let pairs = ["threshold=3".to_string(), "name=x=y".to_string()];
        body.set_pairs(&["parameters"], "parameters", pairs.iter(), true)
            .unwrap();
        body.set_pairs(&["labels"], "labels", ["n=3".to_string()].iter(), false)
            .unwrap();
        assert_eq!(
            body.value.unwrap(),
            json!({"parameters": {"threshold": 3, "name": "x=y"}, "labels": {"n": "3"}})
        );
        let error = empty()
            .set_pairs(&["labels"], "labels", ["novalue".to_string()].iter(), false)
            .unwrap_err();
        assert_eq!(
            error.to_string(),
            "--labels takes KEY=VALUE, not \"novalue\""
        );
    }

    #[test]
    fn a_field_under_a_value_that_is_not_an_object_is_refused() {
        let mut body = Body {
            value: Some(json!({"metadata": "x"})),
        };
        let error = body.set(&["metadata", "name"], &"cpu").unwrap_err();
        assert_eq!(
            error.to_string(),
            "the body's metadata is not an object, so metadata.name cannot be set"
        );
    }

    #[test]
    fn patch_options_are_operations_with_pointer_paths() {
        assert_eq!(
            patch_operation("replace", "state=CANCELLED").unwrap(),
            json!({"op": "replace", "path": "/state", "value": "CANCELLED"})
        );
        assert_eq!(
            patch_operation("add", "/parameters/x=[1,2]").unwrap(),
            json!({"op": "add", "path": "/parameters/x", "value": [1, 2]})
        );
        assert_eq!(
            patch_operation("remove", "description").unwrap(),
            json!({"op": "remove", "path": "/description"})
        );
        assert!(patch_operation("add", "novalue").is_err());
    }

    #[test]
    fn patch_options_are_sent_in_the_order_given_after_the_files() {
        let command = ["add", "replace", "remove"]
            .into_iter()
            .fold(clap::Command::new("update"), |c, op| {
                c.arg(clap::Arg::new(op).long(op).action(clap::ArgAction::Append))
            });
        let matches = command.get_matches_from([
            "update",
            "--replace",
            "state=CANCELLED",
            "--remove",
            "description",
            "--add",
            "name=x",
            "--replace",
            "state=ONGOING",
        ]);
        let mut body = Body {
            value: Some(json!([{"op": "remove", "path": "/goal"}])),
        };
        body.patch_operations(&matches).unwrap();
        let ops: Vec<(String, String)> = body
            .value
            .unwrap()
            .as_array()
            .unwrap()
            .iter()
            .map(|o| {
                (
                    o["op"].as_str().unwrap().into(),
                    o["path"].as_str().unwrap().into(),
                )
            })
            .collect();
        let expected = [
            ("remove", "/goal"),
            ("replace", "/state"),
            ("remove", "/description"),
            ("add", "/name"),
            ("replace", "/state"),
        ];
        let expected: Vec<(String, String)> = expected
            .iter()
            .map(|(o, p)| (o.to_string(), p.to_string()))
            .collect();
        assert_eq!(ops, expected);
    }

    #[test]
    fn the_type_is_checked_last_and_named_in_the_error() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Check {
            command: String,
        }
        let error = empty().finish::<Check>("CheckConfig").unwrap_err();
        assert_eq!(
            format!("{error:#}"),
            "the request body is not a valid CheckConfig: missing field `command`"
        );
        let none = Body { value: None }.finish::<Check>("X").unwrap();
        assert!(none.is_none());
    }
}
