//! Applies an OpenAPI Overlay 1.0 document to a checked-in OpenAPI document written in YAML,
//! keeping its order and comments where it can.
//!
//! `roas-overlay` decides what the result is. The text is then edited line by line to reach the
//! same result: each `update` that adds keys to a block mapping, or a value to a sequence, is
//! written in place. The edited text is parsed again and must equal `roas-overlay`'s result;
//! when it does not (a `remove`, a changed value, a flow mapping), the whole document is
//! written from the result instead, and comments are lost. [`Applied::comments_kept`] says which.

use roas_overlay::apply::{Apply, ApplyOptions};
use roas_overlay::common::apply::{compile_path, locate};
use roas_overlay::v1_0::Overlay;
use serde_json::{Map, Value};

/// An applied overlay.
#[derive(Debug, Clone)]
pub struct Applied {
    /// The new document text.
    pub text: String,
    /// Whether the text is the old one with additions (order and comments kept), or the
    /// whole document written anew.
    pub comments_kept: bool,
    /// Each action's target and how many places it matched.
    pub actions: Vec<(String, usize)>,
}

/// Applies `overlay` (YAML or JSON) to `document` (YAML). An action whose target matches
/// nothing is an error: an overlay written by drift always names places that exist.
pub fn apply_to_yaml(document: &str, overlay: &str) -> Result<Applied, String> {
    let overlay_value: Value =
        serde_yaml_ng::from_str(overlay).map_err(|e| format!("the overlay is not YAML: {e}"))?;
    let overlay: Overlay = serde_json::from_value(overlay_value)
        .map_err(|e| format!("not an OpenAPI Overlay 1.0 document: {e}"))?;
    let original: Value =
        serde_yaml_ng::from_str(document).map_err(|e| format!("the document is not YAML: {e}"))?;
    let mut expected = original.clone();
    let report = overlay
        .apply(&mut expected, ApplyOptions::ErrorOnZeroMatch.into())
        .map_err(|e| format!("the overlay does not apply: {e}"))?;
    let actions = report
        .actions
        .iter()
        .map(|a| (a.target.clone(), a.matched))
        .collect();

    if let Some(text) = edit_text(document, &original, &overlay) {
        let reparsed: Result<Value, _> = serde_yaml_ng::from_str(&text);
        if reparsed.ok().as_ref() == Some(&expected) {
            return Ok(Applied {
                text,
                comments_kept: true,
                actions,
            });
        }
    }
    let text = serde_yaml_ng::to_string(&expected)
        .map_err(|e| format!("cannot write the document: {e}"))?;
    Ok(Applied {
        text,
        comments_kept: false,
        actions,
    })
}

/// The document text with each action written in place, or `None` when one cannot be.
fn edit_text(document: &str, original: &Value, overlay: &Overlay) -> Option<String> {
    let mut lines: Vec<String> = document.lines().map(str::to_string).collect();
    let mut current = original.clone();
    for action in &overlay.actions {
        if action.is_remove() {
            return None;
        }
        let update = action.update.as_ref()?;
        let path = compile_path(&action.target).ok()?;
        for pointer in locate(&current, &path) {
            let keys: Vec<String> = pointer
                .split('/')
                .skip(1)
                .map(|k| k.replace("~1", "/").replace("~0", "~"))
                .collect();
            let node = find(&lines, &keys)?;
            let target = current.pointer(&pointer)?;
            insert(&mut lines, &node, target, update)?;
        }
        // The next action's targets are found in the document as it is now.
        let text = lines.join("\n");
        current = serde_yaml_ng::from_str(&text).ok()?;
    }
    let mut text = lines.join("\n");
    if document.ends_with('\n') {
        text.push('\n');
    }
    Some(text)
}

/// A key's place in the text.
#[derive(Debug, Clone)]
struct Node {
    /// The line with the key.
    line: usize,
    /// The key's column.
    indent: usize,
    /// What follows `key:` on its line.
    inline: String,
    /// The lines of its block value: `line + 1 .. end`.
    end: usize,
}

/// A line's indent and text, with a sequence item's `- ` read as indent.
fn content(line: &str) -> Option<(usize, &str)> {
    let trimmed = line.trim_start();
    if trimmed.is_empty() || trimmed.starts_with('#') {
        return None;
    }
    let mut indent = line.len() - trimmed.len();
    let mut text = trimmed;
    while let Some(rest) = text.strip_prefix("- ") {
        indent += 2;
        text = rest.trim_start();
    }
    Some((indent, text))
}

fn raw_indent(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

/// The value text after `key:` when `text` starts with that key, plain or quoted.
fn after_key<'t>(text: &'t str, key: &str) -> Option<&'t str> {
    let forms = [
        key.to_string(),
        format!("\"{key}\""),
        format!("'{}'", key.replace('\'', "''")),
    ];
    forms.iter().find_map(|form| {
        let rest = text.strip_prefix(form.as_str())?.strip_prefix(':')?;
        (rest.is_empty() || rest.starts_with(' ')).then(|| rest.trim())
    })
}

/// Where the block of a key at `line` (column `indent`) ends.
fn block_end(lines: &[String], line: usize, indent: usize, limit: usize) -> usize {
    let mut end = line + 1;
    let mut last = line + 1;
    while end < limit {
        let text = &lines[end];
        let trimmed = text.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            end += 1;
            continue;
        }
        let at = raw_indent(text);
        let item_at_same_indent = at == indent && (trimmed.starts_with("- ") || trimmed == "-");
        if at > indent || item_at_same_indent {
            end += 1;
            last = end;
        } else {
            break;
        }
    }
    last
}

/// The node at `keys` below the document's root.
fn find(lines: &[String], keys: &[String]) -> Option<Node> {
    let mut from = 0;
    let mut to = lines.len();
    let mut level = 0;
    let mut node = None;
    for key in keys {
        if let Ok(index) = key.parse::<usize>() {
            // The `index`th item of a block sequence in from..to.
            let dash = (from..to)
                .filter(|&i| {
                    let t = lines[i].trim_start();
                    t.starts_with("- ") || t == "-"
                })
                .map(|i| (i, raw_indent(&lines[i])))
                .collect::<Vec<_>>();
            let item_indent = dash.first()?.1;
            let items: Vec<usize> = dash
                .iter()
                .filter(|(_, at)| *at == item_indent)
                .map(|(i, _)| *i)
                .collect();
            let start = *items.get(index)?;
            let end = items.get(index + 1).copied().unwrap_or(to);
            from = start;
            to = end;
            level = item_indent + 2;
            node = None;
            continue;
        }
        let line = (from..to).find(|&i| {
            content(&lines[i])
                .is_some_and(|(at, text)| at == level && after_key(text, key).is_some())
        })?;
        let (_, text) = content(&lines[line])?;
        let inline = after_key(text, key)?.to_string();
        let end = block_end(lines, line, level, to);
        node = Some(Node {
            line,
            indent: level,
            inline,
            end,
        });
        from = line + 1;
        to = end;
        level = (from..to)
            .find_map(|i| content(&lines[i]).map(|_| raw_indent(&lines[i])))
            .unwrap_or(level + 2);
    }
    node
}

/// Writes `update` into the node: new keys into a mapping, one more item into a sequence.
fn insert(lines: &mut Vec<String>, node: &Node, target: &Value, update: &Value) -> Option<()> {
    match (target, update) {
        (Value::Object(existing), Value::Object(additions)) => {
            if !node.inline.is_empty() && !node.inline.starts_with('#') {
                return None; // a flow mapping
            }
            let child_indent = (node.line + 1..node.end)
                .find_map(|i| content(&lines[i]).map(|_| raw_indent(&lines[i])))
                .unwrap_or(node.indent + 2);
            let mut new = Map::new();
            for (key, value) in additions {
                match existing.get(key) {
                    Some(Value::Object(_)) if value.is_object() => {
                        let child = find_below(lines, node, child_indent, key)?;
                        insert(lines, &child, &existing[key], value)?;
                    }
                    Some(_) => return None, // a changed value
                    None => {
                        new.insert(key.clone(), value.clone());
                    }
                }
            }
            if new.is_empty() {
                return Some(());
            }
            // Where the block ends now (a nested insert may have moved it).
            let end = block_end(lines, node.line, node.indent, lines.len());
            let text = serde_yaml_ng::to_string(&Value::Object(new)).ok()?;
            let pad = " ".repeat(child_indent);
            let added: Vec<String> = text.lines().map(|l| format!("{pad}{l}")).collect();
            lines.splice(end..end, added);
            Some(())
        }
        (Value::Array(_), item) => {
            let scalar = match item {
                Value::String(_) | Value::Number(_) | Value::Bool(_) => {
                    serde_yaml_ng::to_string(item).ok()?.trim().to_string()
                }
                _ => return None,
            };
            let inline = node.inline.trim();
            if let Some(inner) = inline.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
                let items = match inner.trim().is_empty() {
                    true => scalar,
                    false => format!("{}, {scalar}", inner.trim()),
                };
                let line = &lines[node.line];
                let at = line.rfind(inline)?;
                lines[node.line] = format!("{}[{items}]", &line[..at]);
                return Some(());
            }
            if !inline.is_empty() {
                return None;
            }
            let dash_indent = (node.line + 1..node.end)
                .find(|&i| lines[i].trim_start().starts_with('-'))
                .map(|i| raw_indent(&lines[i]))?;
            let end = block_end(lines, node.line, node.indent, lines.len());
            lines.insert(end, format!("{}- {scalar}", " ".repeat(dash_indent)));
            Some(())
        }
        _ => None,
    }
}

/// The key `key` directly in the block of `node`.
fn find_below(lines: &[String], node: &Node, child_indent: usize, key: &str) -> Option<Node> {
    let line = (node.line + 1..node.end).find(|&i| {
        content(&lines[i])
            .is_some_and(|(at, text)| at == child_indent && after_key(text, key).is_some())
    })?;
    let (_, text) = content(&lines[line])?;
    Some(Node {
        line,
        indent: child_indent,
        inline: after_key(text, key)?.to_string(),
        end: block_end(lines, line, child_indent, node.end),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOCUMENT: &str = "\
# The header comment stays.
openapi: 3.0.3
paths:
  /v1/goals:
    get:
      responses:
        \"200\":
          description: OK # kept
components:
  schemas:
    Goal:
      type: object
      properties:
        # the name
        name:
          type: string
      required: [name]
    State:
      type: string
      enum: [OK, ALARM]
    Kind:
      type: string
      enum:
        - pipe
";

    #[test]
    fn additions_are_written_in_place_with_the_comments() {
        let overlay = r#"{"overlay": "1.0.0", "info": {"title": "t", "version": "1"}, "actions": [
            {"target": "$.components.schemas.Goal.properties", "update": {"display_name": {"type": "string"}}},
            {"target": "$.components.schemas.State.enum", "update": "UNDETERMINED"},
            {"target": "$.components.schemas.Kind.enum", "update": "tcp"},
            {"target": "$.paths['/v1/goals'].get.responses", "update": {"203": {"description": "Found"}}}
        ]}"#;
        let applied = apply_to_yaml(DOCUMENT, overlay).unwrap();
        assert!(applied.comments_kept, "{}", applied.text);
        assert!(applied.text.starts_with("# The header comment stays."));
        assert!(applied.text.contains("description: OK # kept"));
        assert!(applied.text.contains("enum: [OK, ALARM, UNDETERMINED]"));
        assert!(applied.text.contains("        - tcp"), "{}", applied.text);
        let value: Value = serde_yaml_ng::from_str(&applied.text).unwrap();
        assert_eq!(
            value.pointer("/components/schemas/Goal/properties/display_name/type"),
            Some(&Value::from("string"))
        );
        assert!(value
            .pointer("/paths/~1v1~1goals/get/responses/203")
            .is_some());
        assert_eq!(applied.actions.iter().map(|(_, n)| n).sum::<usize>(), 4);
    }

    #[test]
    fn what_cannot_be_written_in_place_is_written_whole() {
        let overlay = r#"{"overlay": "1.0.0", "info": {"title": "t", "version": "1"}, "actions": [
            {"target": "$.components.schemas.State", "remove": true}
        ]}"#;
        let applied = apply_to_yaml(DOCUMENT, overlay).unwrap();
        assert!(!applied.comments_kept);
        let value: Value = serde_yaml_ng::from_str(&applied.text).unwrap();
        assert!(value.pointer("/components/schemas/State").is_none());
    }

    #[test]
    fn a_target_that_matches_nothing_is_an_error() {
        let overlay = r#"{"overlay": "1.0.0", "info": {"title": "t", "version": "1"}, "actions": [
            {"target": "$.components.schemas.Nothing.properties", "update": {"a": {}}}
        ]}"#;
        assert!(apply_to_yaml(DOCUMENT, overlay).is_err());
    }
}
