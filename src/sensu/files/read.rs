//! Reading resource files: YAML documents separated by `---`, or wrapped JSON objects one
//! after another (without commas or an enclosing array), told apart as sensuctl does, by the
//! first character that is not white space.

use serde::Deserialize;
use serde_json::Value;

use super::resource::{Origin, Resource};
use crate::error::{DocumentViolation, Error, InvalidInput};
use crate::Result;

/// The most documents one text may hold.
pub const MAX_DOCUMENTS: usize = 10_000;

/// Reads every resource of a resource file, checking each as far as can be done without the
/// server. `source` names the file in errors (`-` for standard input, say).
///
/// The first document that cannot be used is an [`Error::InvalidInput`] holding an
/// [`InvalidInput::Document`]: the source, the document's position (from 1) and the field at
/// fault, such as `spec.interval`. Syntax errors also give the line and column.
pub fn parse(source: &str, text: &str) -> Result<Vec<Resource>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let at = |document: usize, field: String, reason: String| {
        Error::InvalidInput(InvalidInput::Document(DocumentViolation {
            source: source.to_string(),
            document,
            field,
            reason,
        }))
    };
    let mut resources = Vec::new();
    for (index, document) in documents(text).enumerate() {
        let position = index + 1;
        if position > MAX_DOCUMENTS {
            return Err(at(
                0,
                String::new(),
                format!("holds more than {MAX_DOCUMENTS} documents"),
            ));
        }
        let value = document.map_err(|reason| at(position, String::new(), reason))?;
        let origin = Origin {
            source: source.to_string(),
            document: position,
        };
        let resource = Resource::from_wrapped(value, origin)
            .map_err(|(field, reason)| at(position, field, reason))?;
        resources.push(resource);
    }
    Ok(resources)
}

/// Whether the text is JSON: its first character other than white space opens an object or
/// an array.
fn is_json(text: &str) -> bool {
    text.trim_start().starts_with(['{', '['])
}

/// The documents of the text, each a value or why it could not be read; reading stops after
/// the first that cannot be. Empty YAML documents (only comments, or `---` twice) are skipped.
fn documents(text: &str) -> Box<dyn Iterator<Item = std::result::Result<Value, String>> + '_> {
    if is_json(text) {
        let mut failed = false;
        let values = serde_json::Deserializer::from_str(text)
            .into_iter::<Value>()
            .map_while(move |item| {
                if failed {
                    return None;
                }
                failed = item.is_err();
                Some(item.map_err(|e| format!("is not valid JSON: {e}")))
            });
        Box::new(values)
    } else {
        let mut failed = false;
        let values = serde_yaml_ng::Deserializer::from_str(text)
            .map(Value::deserialize)
            .filter(|item| !matches!(item, Ok(Value::Null)))
            .map_while(move |item| {
                if failed {
                    return None;
                }
                failed = item.is_err();
                Some(item.map_err(|e| format!("is not valid YAML: {e}")))
            });
        Box::new(values)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reasons(text: &str) -> Vec<std::result::Result<Value, String>> {
        documents(text).collect()
    }

    #[test]
    fn json_is_told_by_its_first_character() {
        assert!(is_json("  \n{\"type\": 1}"));
        assert!(is_json("[1]"));
        assert!(!is_json("type: CheckConfig"));
        assert!(!is_json("---\n{}"));
    }

    #[test]
    fn concatenated_json_objects_are_documents_and_reading_stops_at_the_first_bad_one() {
        let read = reasons("{\"a\": 1}\n{\"b\": 2}{\"c\": 3}");
        assert_eq!(read.len(), 3);
        let read = reasons("{\"a\": 1} {\"b\": } {\"c\": 3}");
        assert_eq!(read.len(), 2);
        assert!(read[1].as_ref().unwrap_err().contains("line 1"), "{read:?}");
    }

    #[test]
    fn empty_yaml_documents_are_skipped() {
        let read = reasons("---\n# nothing\n---\na: 1\n---\n---\nb: 2\n");
        let values: Vec<Value> = read.into_iter().map(|r| r.unwrap()).collect();
        assert_eq!(
            values,
            [serde_json::json!({"a": 1}), serde_json::json!({"b": 2})]
        );
    }

    #[test]
    fn a_yaml_syntax_error_gives_its_line() {
        let read = reasons("a: 1\n---\nb: [1, 2\n");
        assert_eq!(read.len(), 2);
        let error = read[1].as_ref().unwrap_err();
        assert!(
            error.contains("is not valid YAML") && error.contains("line"),
            "{error}"
        );
    }
}
