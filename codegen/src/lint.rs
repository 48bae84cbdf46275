//! The rules every opsclient document follows, beyond what the parser checks.

use std::collections::BTreeSet;

use openapiv3::{ReferenceOr, StatusCode};

use crate::Document;

/// Returns one line per rule the document breaks; empty when it is fine.
///
/// Rules: OpenAPI 3.0.x; path items are inline (progenitor cannot follow a path-level `$ref`);
/// every operation has a unique `operationId`, at least one tag that the document declares, and at
/// least one 2xx response; a request body has exactly one media type.
pub fn lint(doc: &Document) -> Vec<String> {
    let spec = &doc.spec;
    let mut problems = Vec::new();
    if !spec.openapi.starts_with("3.0.") {
        problems.push(format!(
            "openapi version is {}, but progenitor reads 3.0.x only",
            spec.openapi
        ));
    }
    let declared_tags: BTreeSet<&str> = spec.tags.iter().map(|t| t.name.as_str()).collect();
    let mut ids = BTreeSet::new();
    for (path, item) in spec.paths.iter() {
        let ReferenceOr::Item(item) = item else {
            problems.push(format!("{path}: path-level $ref is not supported"));
            continue;
        };
        for (method, op) in item.iter() {
            let at = format!("{} {path}", method.to_uppercase());
            match &op.operation_id {
                None => problems.push(format!("{at}: no operationId")),
                Some(id) if !ids.insert(id.clone()) => {
                    problems.push(format!("{at}: operationId {id} is used twice"))
                }
                Some(_) => {}
            }
            if op.tags.is_empty() {
                problems.push(format!("{at}: no tag"));
            }
            for tag in &op.tags {
                if !declared_tags.contains(tag.as_str()) {
                    problems.push(format!("{at}: tag {tag} is not declared in `tags`"));
                }
            }
            let has_success = op.responses.responses.keys().any(|code| match code {
                StatusCode::Code(c) => (200..300).contains(c),
                StatusCode::Range(r) => *r == 2,
            });
            if !has_success {
                problems.push(format!("{at}: no 2xx response"));
            }
            if let Some(ReferenceOr::Item(body)) = &op.request_body {
                if body.content.len() != 1 {
                    problems.push(format!(
                        "{at}: request body has {} media types, progenitor takes exactly one",
                        body.content.len()
                    ));
                }
            }
        }
    }
    problems
}
