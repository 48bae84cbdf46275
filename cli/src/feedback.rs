//! What a command tells its operator on standard error, beside the answer on standard output
//! (which scripts read, and which this never changes): what a create, update or delete did,
//! which resource a 404 is about, and that a list read with `--limit` has more pages.
//!
//! Each message names the resource as the command addressed it: its kind (the operation's
//! tag, in the singular), its path parameters, and its namespace. A parameter whose name looks
//! secret (`apikey`) is never shown.

use std::sync::{Arc, Mutex};

use clap::ArgMatches;
use opsclient::operation::Operation;
use serde_json::Value;

use crate::names::kebab;

/// The operation the command `command` of the API `api` runs.
pub fn operation(api: &str, command: &str) -> Option<&'static Operation> {
    crate::generated::operations(api)
        .iter()
        .find(|op| kebab(op.id) == command)
}

/// A resource kind from a tag: `checks` → `check`, `audit_templates` → `audit template`,
/// `entities` → `entity`.
pub fn singular(tag: &str) -> String {
    let words = tag.replace(['_', '-'], " ");
    if let Some(stem) = words.strip_suffix("ies") {
        format!("{stem}y")
    } else if let Some(stem) = words.strip_suffix('s').filter(|s| !s.ends_with('s')) {
        stem.to_string()
    } else {
        words
    }
}

/// The resource a command addresses: `check "cpu" in namespace "default"`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// What it is: `check "cpu"`, `event (entity "web-01", check "cpu")`, or the kind alone.
    what: String,
    /// The namespace it is in, when the path has one that is not the resource itself.
    namespace: Option<String>,
}

impl Target {
    /// The resource of `op` as the command line `matches` names it. What a create made is
    /// named by its answer, else by its `--name`, else by the body it sent.
    pub fn of(
        op: &Operation,
        matches: &ArgMatches,
        answer: Option<&Value>,
        sent: Option<&Value>,
    ) -> Target {
        let kind = singular(op.tag);
        let params = path_params(op.path);
        // `/namespaces/{namespace}` is the namespace itself; below it, the scope.
        let scoped = params.len() > 1 || !op.path.ends_with("{namespace}");
        let namespace = params
            .iter()
            .any(|p| *p == "namespace" && scoped)
            .then(|| value(matches, "namespace"))
            .flatten();
        let named: Vec<(&str, String)> = params
            .iter()
            .filter(|p| !(**p == "namespace" && scoped))
            .map(|p| (*p, shown(p, value(matches, p))))
            .collect();
        let what = match named.as_slice() {
            // A list: the kind in the plural, as the tag has it.
            [] if op.method == "GET" => op.tag.replace(['_', '-'], " "),
            [] => {
                let flag = value(matches, "name").map(|name| format!("{name:?}"));
                match answer
                    .and_then(created_name)
                    .or(flag)
                    .or_else(|| sent.and_then(created_name))
                {
                    Some(name) => format!("{kind} {name}"),
                    None => kind,
                }
            }
            [(_, value)] => format!("{kind} {value}"),
            several => {
                let parts: Vec<String> = several
                    .iter()
                    .map(|(name, value)| format!("{} {value}", name.replace('_', " ")))
                    .collect();
                format!("{kind} ({})", parts.join(", "))
            }
        };
        Target { what, namespace }
    }

    /// `check "cpu" <verb> in namespace "default"`.
    pub fn with(&self, verb: &str) -> String {
        match &self.namespace {
            Some(namespace) => format!("{} {verb} in namespace {namespace:?}", self.what),
            None => format!("{} {verb}", self.what),
        }
    }
}

/// The parameters of a path template, in order: `/namespaces/{namespace}/checks/{check}` →
/// `namespace`, `check`.
fn path_params(path: &str) -> Vec<&str> {
    path.split('/')
        .filter_map(|segment| segment.strip_prefix('{')?.strip_suffix('}'))
        .collect()
}

/// The value given for a path parameter (its option is the parameter in kebab case), as
/// typed: raw, so an option of any type reads.
fn value(matches: &ArgMatches, param: &str) -> Option<String> {
    let id = param.replace('_', "-");
    matches
        .try_get_raw(&id)
        .ok()
        .flatten()
        .and_then(|mut values| values.next())
        .map(|v| v.to_string_lossy().into_owned())
}

/// A parameter's value in quotes, or `[secret]` when its name says it holds one.
fn shown(param: &str, value: Option<String>) -> String {
    match value {
        _ if opsclient::secret::is_secret_name(param) => "[secret]".into(),
        Some(value) => format!("{value:?}"),
        None => "\"\"".into(),
    }
}

/// The name (and id) of what a create answered with: `"cpu"`, `"nightly" (uuid 3f2a…)`.
fn created_name(answer: &Value) -> Option<String> {
    let text = |path: &[&str]| {
        path.iter()
            .try_fold(answer, |v, key| v.get(key))
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
    };
    let name = text(&["metadata", "name"]).or_else(|| text(&["name"]));
    let id = ["uuid", "id"]
        .iter()
        .find_map(|key| text(&[key]).map(|id| (*key, id)));
    match (name, id) {
        (Some(name), Some((key, id))) => Some(format!("{name:?} ({key} {id})")),
        (Some(name), None) => Some(format!("{name:?}")),
        (None, Some((_, id))) => Some(format!("{id:?}")),
        (None, None) => None,
    }
}

/// What an operation did, by its id's first words: `createOrUpdateCheck` → `created or
/// updated`. `None` for what is neither a create, an update nor a delete.
pub fn done(operation_id: &str) -> Option<&'static str> {
    const VERBS: &[(&str, &str)] = &[
        ("createOrUpdate", "created or updated"),
        ("create", "created"),
        ("update", "updated"),
        ("patch", "updated"),
        ("delete", "deleted"),
    ];
    VERBS
        .iter()
        .find(|(prefix, _)| {
            operation_id
                .strip_prefix(prefix)
                .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_uppercase()))
        })
        .map(|(_, verb)| *verb)
}

/// Says on standard error what a create, update or delete did.
pub fn report_done(op: &Operation, matches: &ArgMatches, answer: Option<&Value>, notes: &Notes) {
    if let Some(verb) = done(op.id) {
        let sent = notes.given_body();
        eprintln!(
            "{}",
            Target::of(op, matches, answer, sent.as_ref()).with(verb)
        );
    }
}

/// A 404, named by the resource the command addressed.
#[derive(Debug)]
pub struct NotFound {
    /// `check "cpu" not found in namespace "default"`.
    pub message: String,
    /// The error as the library gave it.
    pub error: opsclient::Error,
}

impl std::fmt::Display for NotFound {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.error.api_error() {
            Some(answer) => write!(f, "{} ({answer})", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for NotFound {}

/// The error of a command, with a 404 named by the resource the command addressed. Any other
/// error, and a 404 that already has a word of context, is left as it is.
pub fn name_not_found(error: anyhow::Error, op: &Operation, matches: &ArgMatches) -> anyhow::Error {
    // The outermost error only: downcasting an error with context would drop the context.
    let outermost = error
        .chain()
        .next()
        .and_then(|e| e.downcast_ref::<opsclient::Error>());
    if !matches!(outermost, Some(opsclient::Error::NotFound(_))) {
        return error;
    }
    match error.downcast::<opsclient::Error>() {
        Ok(error) => {
            let message = Target::of(op, matches, None, None).with("not found");
            NotFound { message, error }.into()
        }
        Err(error) => error,
    }
}

/// What the generated command reports on its way through `CliConfig`, read after it ends: the
/// body it sent (`--json-body`'s with the options over it), and the cursor of the page after a
/// list's one page.
#[derive(Clone, Default)]
pub struct Notes(Arc<Mutex<Noted>>);

#[derive(Default)]
struct Noted {
    body: Option<Value>,
    next: Option<opsclient::Result<Option<String>>>,
}

impl Notes {
    /// Keeps the body the command sent.
    pub fn body(&self, body: Value) {
        if let Ok(mut noted) = self.0.lock() {
            noted.body = Some(body);
        }
    }

    /// Keeps what a list's answer said of the next page.
    pub fn next_page(&self, next: opsclient::Result<Option<String>>) {
        if let Ok(mut noted) = self.0.lock() {
            noted.next = Some(next);
        }
    }

    /// The body the command sent, if any.
    pub fn given_body(&self) -> Option<Value> {
        self.0.lock().ok()?.body.clone()
    }

    /// The hint for a list with more pages: how to read them all, or the next one. `None`
    /// when the list was whole, or was not a one-page read.
    pub fn hint(&self, api: &str, op: &Operation, matches: &ArgMatches) -> Option<String> {
        let next = self.0.lock().ok()?.next.take()?;
        let items = op.tag.replace(['_', '-'], " ");
        let cursor = match next {
            Ok(Some(cursor)) => cursor,
            Ok(None) => return None,
            Err(e) => {
                return Some(format!(
                    "the answer says more {items} follow, but its next-page link does not read \
                     ({e}); --all reads every page"
                ))
            }
        };
        let option = crate::generated::CURSORS
            .iter()
            .find(|(name, _)| *name == api)
            .map(|(_, param)| param.replace('_', "-"))
            .filter(|option| matches.try_get_raw(option).is_ok());
        Some(match option {
            Some(option) => format!(
                "more {items} follow: --all reads every page, --{option} {} the next one",
                quoted(&cursor)
            ),
            None => format!("more {items} follow: --all reads every page"),
        })
    }
}

/// `text` as one shell word: bare when it is plain, else in single quotes.
fn quoted(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.:/=+,@%".contains(c));
    if plain {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::{Arg, Command};

    #[test]
    fn tags_become_kinds() {
        assert_eq!(singular("checks"), "check");
        assert_eq!(singular("entities"), "entity");
        assert_eq!(singular("audit_templates"), "audit template");
        assert_eq!(singular("alarm-definitions"), "alarm definition");
        assert_eq!(singular("silenced"), "silenced");
        assert_eq!(singular("services"), "service");
        assert_eq!(singular("tessen"), "tessen");
    }

    #[test]
    fn verbs_come_from_the_operation_id() {
        assert_eq!(done("createOrUpdateCheck"), Some("created or updated"));
        assert_eq!(done("createCheck"), Some("created"));
        assert_eq!(done("patchAlarm"), Some("updated"));
        assert_eq!(done("updateAudit"), Some("updated"));
        assert_eq!(done("deleteApiKey"), Some("deleted"));
        assert_eq!(done("listChecks"), None);
        assert_eq!(done("startActionPlan"), None);
        // A word that only begins like a verb is not one.
        assert_eq!(done("created"), None);
    }

    fn op(id: &'static str, path: &'static str, tag: &'static str) -> Operation {
        let mut op = *crate::generated::operations("sensu")
            .first()
            .expect("Sensu has operations");
        op.id = id;
        op.path = path;
        op.tag = tag;
        op.method = "POST";
        op
    }

    fn matches(args: &[&str]) -> ArgMatches {
        Command::new("c")
            .args(["namespace", "check", "entity", "apikey", "name"].map(|a| Arg::new(a).long(a)))
            .get_matches_from(std::iter::once("c").chain(args.iter().copied()))
    }

    #[test]
    fn targets_name_kind_path_parameters_and_namespace() {
        let get = op(
            "getCheck",
            "/api/core/v2/namespaces/{namespace}/checks/{check}",
            "checks",
        );
        let line = matches(&["--namespace", "default", "--check", "cpu"]);
        assert_eq!(
            Target::of(&get, &line, None, None).with("not found"),
            r#"check "cpu" not found in namespace "default""#
        );
        let namespace = op(
            "deleteNamespace",
            "/api/core/v2/namespaces/{namespace}",
            "namespaces",
        );
        assert_eq!(
            Target::of(&namespace, &matches(&["--namespace", "ops"]), None, None).with("deleted"),
            r#"namespace "ops" deleted"#
        );
        let event = op(
            "deleteEvent",
            "/api/core/v2/namespaces/{namespace}/events/{entity}/{check}",
            "events",
        );
        let line = matches(&["--namespace", "n", "--entity", "web-01", "--check", "cpu"]);
        assert_eq!(
            Target::of(&event, &line, None, None).with("deleted"),
            r#"event (entity "web-01", check "cpu") deleted in namespace "n""#
        );
        // A secret path parameter is never shown.
        let key = op("deleteApiKey", "/api/core/v2/apikeys/{apikey}", "apikeys");
        let line = matches(&["--apikey", "0a0b0c0d-s3cret"]);
        assert_eq!(
            Target::of(&key, &line, None, None).with("deleted"),
            "apikey [secret] deleted"
        );
        // A create names what the answer says it made.
        let create = op("createAudit", "/v1/audits", "audits");
        let answer = serde_json::json!({"name": "nightly", "uuid": "3f2a"});
        assert_eq!(
            Target::of(&create, &matches(&[]), Some(&answer), None).with("created"),
            r#"audit "nightly" (uuid 3f2a) created"#
        );
        assert_eq!(
            Target::of(&create, &matches(&[]), None, None).with("created"),
            "audit created"
        );
        // A list names the kind in the plural.
        let mut list = op(
            "listChecks",
            "/api/core/v2/namespaces/{namespace}/checks",
            "checks",
        );
        list.method = "GET";
        assert_eq!(
            Target::of(&list, &matches(&["--namespace", "nope"]), None, None).with("not found"),
            r#"checks not found in namespace "nope""#
        );
        // With no answer, the name comes from the body sent.
        let check = op(
            "createCheck",
            "/api/core/v2/namespaces/{namespace}/checks",
            "checks",
        );
        let body = serde_json::json!({"metadata": {"name": "cpu"}});
        let line = matches(&["--namespace", "default"]);
        assert_eq!(
            Target::of(&check, &line, None, Some(&body)).with("created"),
            r#"check "cpu" created in namespace "default""#
        );
    }

    #[test]
    fn cursors_are_one_shell_word() {
        assert_eq!(quoted("4a52d0c2-7aa8"), "4a52d0c2-7aa8");
        assert_eq!(quoted("a b"), "'a b'");
        assert_eq!(quoted("it's"), r"'it'\''s'");
        assert_eq!(quoted(""), "''");
    }
}
