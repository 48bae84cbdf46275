//! Which operations a drift check calls, how it fills their paths, and how it judges each
//! answer's status and content type before its body is walked.

use std::collections::{BTreeMap, HashSet};

use progenitor_client::ClientInfo;
use reqwest::header::{HeaderValue, ACCEPT, CONTENT_TYPE};
use serde_json::{json, Map, Value};

use super::schema::{infer, lookup, reference_location, Location, Walk};
use super::{Api, Document, Finding, FindingKind, Options, Report, Skipped};
use crate::transport::Transport;
use crate::Result;

/// The most operations one check calls: more than any document here has, far fewer than a
/// runaway loop would.
const MAX_OPERATIONS: usize = 1000;

/// A `GET` of the document, as the check sees it.
struct Probe<'d> {
    id: String,
    template: &'d str,
    /// Names of the path's parameters, in order.
    path_parameters: Vec<String>,
    /// Why it cannot be called, found before calling.
    unusable: Option<String>,
}

/// Calls the API's read-only operations with `client` and checks each answer against
/// `document`; see the [module](super) documentation. Only `GET`s are sent. An error is one
/// that stops the whole check (the client cannot authenticate, the server does not answer);
/// what one operation's answer shows is in the report.
pub async fn check<C, I>(client: &C, document: &Document, options: &Options) -> Result<Report>
where
    C: ClientInfo<I> + Api,
    I: AsRef<Transport>,
{
    let root = document.value();
    let mut probes = probes(root);
    // Operations without path parameters first, then by depth: a get finds its list done.
    probes.sort_by_key(|p| (p.path_parameters.len(), p.template.matches('/').count()));
    let wanted = wanted(&probes, &options.operations)?;

    let mut report = Report::new(C::NAME, client.baseurl(), document.version());
    let mut first_items: BTreeMap<String, Value> = BTreeMap::new();
    let mut empty_lists: HashSet<String> = HashSet::new();
    let mut seen = HashSet::new();
    let transport = client.inner().as_ref();

    for probe in probes.iter().take(MAX_OPERATIONS) {
        if !wanted.contains(probe.id.as_str()) {
            continue;
        }
        let skip = |reason: String| Skipped {
            operation: probe.id.clone(),
            reason,
        };
        if let Some(reason) = &probe.unusable {
            report.skipped.push(skip(reason.clone()));
            continue;
        }
        let path = match fill(probe, options, &first_items, &empty_lists) {
            Ok(path) => path,
            Err(reason) => {
                report.skipped.push(skip(reason));
                continue;
            }
        };
        let url = format!("{}{path}", client.baseurl().trim_end_matches('/'));
        let operation_at: Location = vec!["paths".into(), probe.template.into(), "get".into()];
        let accept = accepted_types(root, &operation_at);
        let mut request = client
            .client()
            .get(&url)
            .build()
            .map_err(crate::Error::from_reqwest)?;
        if let Ok(accept) = HeaderValue::from_str(&accept) {
            request.headers_mut().insert(ACCEPT, accept);
        }
        let op = C::operations()
            .iter()
            .find(|op| op.method == "GET" && op.path == probe.template);
        let answer = transport.probe(client.client(), op, request).await?;
        report.called.push(probe.id.clone());

        let status = answer.status.as_u16();
        let media_type = answer
            .headers
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.split(';').next().unwrap_or(v).trim().to_ascii_lowercase());
        let body: Option<Value> = match &media_type {
            Some(media) if media.contains("json") && !answer.body.is_empty() => {
                serde_json::from_slice(&answer.body).ok()
            }
            _ => None,
        };
        // The items a get below this list is called with, whatever is judged of this answer.
        if let (Some(value), true) = (&body, answer.status.is_success()) {
            match first_item(value) {
                Some(item) => {
                    first_items.insert(probe.template.to_string(), item.clone());
                }
                None => {
                    empty_lists.insert(probe.template.to_string());
                }
            }
        }
        let mut found = Vec::new();
        let finding = |kind, detail: String| Finding {
            kind,
            operation: probe.id.clone(),
            json_path: String::new(),
            schema: None,
            detail,
            example: None,
            inferred_type: None,
            status: Some(status),
            overlay: None,
        };

        match status {
            401 | 403 => {
                report.skipped.push(skip(format!(
                    "the server refused the credentials ({status}): nothing to judge"
                )));
                continue;
            }
            // A failure of the server is not a contract: nothing is judged.
            500..=599 => {
                report.skipped.push(skip(format!(
                    "the server failed ({status}): its answer is not judged"
                )));
                continue;
            }
            404 | 405 => {
                found.push(finding(
                    FindingKind::MissingOperation,
                    format!("GET {path} answered {status}: the server does not have it"),
                ));
                report.add(found);
                continue;
            }
            _ => {}
        }

        let responses_at = [operation_at.clone(), vec!["responses".into()]].concat();
        let Some((response, response_at)) = declared_response(root, &responses_at, status) else {
            let mut declared = Map::new();
            declared.insert("description".into(), "Found by opsclient drift.".into());
            if let (Some(media), false) = (&media_type, answer.body.is_empty()) {
                let schema = body.as_ref().map_or(json!({}), |b| infer(b, 0));
                declared.insert(
                    "content".into(),
                    json!({ media.clone(): { "schema": schema } }),
                );
            }
            found.push(
                finding(
                    FindingKind::UndeclaredStatus,
                    format!("status {status} is not declared"),
                )
                .with_action(
                    responses_at,
                    Value::Object(Map::from_iter([(
                        status.to_string(),
                        Value::Object(declared),
                    )])),
                ),
            );
            report.add(found);
            continue;
        };

        let content = response.get("content").and_then(Value::as_object);
        let declared_media = match (&media_type, answer.body.is_empty()) {
            (_, true) => None,
            (None, false) => None,
            (Some(media), false) => match content.and_then(|c| matching_media(c, media)) {
                Some(declared) => Some(declared),
                None => {
                    let schema = body.as_ref().map_or(json!({}), |b| infer(b, 0));
                    let (target, update) = match content {
                        Some(_) => (
                            [response_at.clone(), vec!["content".into()]].concat(),
                            json!({ media.clone(): { "schema": schema } }),
                        ),
                        None => (
                            response_at.clone(),
                            json!({ "content": { media.clone(): { "schema": schema } } }),
                        ),
                    };
                    found.push(
                        finding(
                            FindingKind::UndeclaredContentType,
                            format!("{media} is not a declared content type of status {status}"),
                        )
                        .with_action(target, update),
                    );
                    None
                }
            },
        };

        if let (Some(declared), Some(value)) = (declared_media, &body) {
            let schema_at: Location = [
                response_at.clone(),
                vec!["content".into(), declared, "schema".into()],
            ]
            .concat();
            if lookup(root, &schema_at).is_some() {
                Walk {
                    root,
                    operation: &probe.id,
                    found: &mut found,
                }
                .check(&schema_at, value);
            }
        }
        // A version document is a success answer of an operation without parameters.
        let version_document = answer.status.is_success() && probe.path_parameters.is_empty();
        if let (Some(value), true) = (&body, version_document) {
            found.extend(version_range(value, document.version(), &probe.id, status));
        }
        found.retain(|f| seen.insert(dedup_key(f)));
        report.add(found);
    }
    Ok(report)
}

/// Every `GET` of the document, with what stops it from being called.
fn probes(root: &Value) -> Vec<Probe<'_>> {
    let Some(paths) = root.get("paths").and_then(Value::as_object) else {
        return Vec::new();
    };
    let mut probes = Vec::new();
    for (template, item) in paths {
        let Some(get) = item.get("get") else {
            continue;
        };
        let id = get
            .get("operationId")
            .and_then(Value::as_str)
            .map_or_else(|| format!("GET {template}"), str::to_string);
        let parameters = item
            .get("parameters")
            .and_then(Value::as_array)
            .into_iter()
            .chain(get.get("parameters").and_then(Value::as_array))
            .flatten()
            .filter_map(|p| resolve(root, p));
        let mut unusable = None;
        for parameter in parameters {
            let required = parameter.get("required") == Some(&Value::Bool(true));
            let place = parameter.get("in").and_then(Value::as_str).unwrap_or("");
            let name = parameter.get("name").and_then(Value::as_str).unwrap_or("");
            if required && place != "path" {
                unusable = Some(format!("needs the {place} parameter `{name}`"));
            }
        }
        if unusable.is_none() && is_login(root, get) {
            unusable = Some("a login: it takes a password, not the session".into());
        }
        probes.push(Probe {
            id,
            template,
            path_parameters: path_parameters(template),
            unusable,
        });
    }
    probes
}

/// The operations to call: those asked for (all when none) and the lists that fill their
/// paths.
/// An operation asked for that is no `GET` of the document is an error.
fn wanted<'p>(probes: &'p [Probe<'_>], asked: &[String]) -> Result<HashSet<&'p str>> {
    let normal = |id: &str| id.replace(['-', '_'], "").to_ascii_lowercase();
    if let Some(unknown) = asked
        .iter()
        .find(|id| !probes.iter().any(|p| normal(&p.id) == normal(id)))
    {
        return Err(crate::error::ConfigError::Invalid(format!(
            "{unknown} is not a read-only (GET) operation of the document"
        ))
        .into());
    }
    let asked: HashSet<String> = asked.iter().map(|id| normal(id)).collect();
    let mut wanted: HashSet<&str> = probes
        .iter()
        .filter(|p| asked.is_empty() || asked.contains(&normal(&p.id)))
        .map(|p| p.id.as_str())
        .collect();
    // Each wanted operation's parents, up its path.
    let mut templates: Vec<&str> = probes
        .iter()
        .filter(|p| wanted.contains(p.id.as_str()))
        .map(|p| p.template)
        .collect();
    while let Some(template) = templates.pop() {
        for parameter in path_parameters(template) {
            let Some(list) = list_of(template, &parameter) else {
                continue;
            };
            if let Some(parent) = probes.iter().find(|p| p.template == list) {
                if wanted.insert(parent.id.as_str()) {
                    templates.push(parent.template);
                }
            }
        }
    }
    Ok(wanted)
}

/// The path of `probe` with each parameter filled: from the options, or from the first item of
/// the list one level up.
fn fill(
    probe: &Probe<'_>,
    options: &Options,
    first_items: &BTreeMap<String, Value>,
    empty_lists: &HashSet<String>,
) -> std::result::Result<String, String> {
    let mut path = probe.template.to_string();
    for parameter in &probe.path_parameters {
        let value = match options.parameters.get(parameter) {
            Some(value) => value.clone(),
            None => {
                let list = list_of(probe.template, parameter)
                    .ok_or_else(|| format!("no list gives `{parameter}`"))?;
                match first_items.get(list) {
                    Some(item) => identifier(item, parameter).ok_or_else(|| {
                        format!("the first item of GET {list} has no value for `{parameter}`")
                    })?,
                    None if empty_lists.contains(list) => {
                        return Err(format!("GET {list} is empty: no `{parameter}` to use"))
                    }
                    None => return Err(format!("no answer of GET {list} gives `{parameter}`")),
                }
            }
        };
        path = path.replace(&format!("{{{parameter}}}"), &encode_segment(&value));
    }
    Ok(path)
}

/// The template of the list whose items `parameter` names: the path before `/{parameter}`.
fn list_of<'t>(template: &'t str, parameter: &str) -> Option<&'t str> {
    let at = template.find(&format!("/{{{parameter}}}"))?;
    Some(match &template[..at] {
        "" => "/",
        list => list,
    })
}

fn path_parameters(template: &str) -> Vec<String> {
    template
        .split('/')
        .filter_map(|segment| segment.strip_prefix('{')?.strip_suffix('}'))
        .map(str::to_string)
        .collect()
}

/// How an item names itself for `parameter`: the property of that name, else `id`, `uuid`,
/// `name`, `username` or `metadata.name`.
fn identifier(item: &Value, parameter: &str) -> Option<String> {
    let text = |value: &Value| match value {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    };
    [
        item.get(parameter),
        item.get("id"),
        item.get("uuid"),
        item.get("name"),
        item.get("username"),
        item.pointer("/metadata/name"),
    ]
    .into_iter()
    .flatten()
    .find_map(text)
}

/// The first item of a list answer: the array, or the first array property of its envelope.
fn first_item(body: &Value) -> Option<&Value> {
    match body {
        Value::Array(items) => items.first(),
        Value::Object(map) => map
            .values()
            .find_map(|v| v.as_array())
            .and_then(|items| items.first()),
        _ => None,
    }
}

/// Percent-encodes a path segment: everything but RFC 3986's unreserved characters.
fn encode_segment(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// A parameter, its `$ref` followed.
fn resolve<'d>(root: &'d Value, node: &'d Value) -> Option<&'d Value> {
    match node.get("$ref").and_then(Value::as_str) {
        Some(reference) => lookup(root, &reference_location(reference)?),
        None => Some(node),
    }
}

/// Whether the operation only takes HTTP Basic credentials: a login.
fn is_login(root: &Value, operation: &Value) -> bool {
    let security = operation
        .get("security")
        .or_else(|| root.get("security"))
        .and_then(Value::as_array);
    let Some(requirements) = security.filter(|r| !r.is_empty()) else {
        return false;
    };
    requirements.iter().all(|requirement| {
        requirement.as_object().is_some_and(|schemes| {
            !schemes.is_empty()
                && schemes.keys().all(|name| {
                    root.pointer(&format!("/components/securitySchemes/{name}/scheme"))
                        .and_then(Value::as_str)
                        .is_some_and(|s| s.eq_ignore_ascii_case("basic"))
                })
        })
    })
}

/// The media types the operation's success answers declare, for `Accept`.
fn accepted_types(root: &Value, operation_at: &Location) -> String {
    let mut types: Vec<String> = Vec::new();
    if let Some(responses) = lookup(root, operation_at)
        .and_then(|op| op.get("responses"))
        .and_then(Value::as_object)
    {
        for response in responses.values() {
            if let Some(content) = resolve(root, response)
                .and_then(|r| r.get("content"))
                .and_then(Value::as_object)
            {
                for media in content.keys() {
                    if !types.contains(media) {
                        types.push(media.clone());
                    }
                }
            }
        }
    }
    match types.is_empty() {
        true => "application/json".into(),
        false => types.join(", "),
    }
}

/// The response the document declares for `status` (exact, `2XX` or `default`), and where it
/// is (a `$ref` to `components/responses` followed).
fn declared_response<'d>(
    root: &'d Value,
    responses_at: &Location,
    status: u16,
) -> Option<(&'d Value, Location)> {
    let responses = lookup(root, responses_at)?.as_object()?;
    let range = format!("{}XX", status / 100);
    let key = [status.to_string(), range.clone(), range.to_lowercase()]
        .into_iter()
        .chain(["default".to_string()])
        .find(|key| responses.contains_key(key))?;
    let response = &responses[&key];
    match response.get("$ref").and_then(Value::as_str) {
        Some(reference) => {
            let at = reference_location(reference)?;
            Some((lookup(root, &at)?, at))
        }
        None => Some((response, [responses_at.clone(), vec![key]].concat())),
    }
}

/// The declared media type that `media` is, if any (`application/*` and `*/*` match too).
fn matching_media(content: &Map<String, Value>, media: &str) -> Option<String> {
    let major = media.split('/').next().unwrap_or(media);
    content
        .keys()
        .find(|declared| declared.eq_ignore_ascii_case(media))
        .or_else(|| {
            content
                .keys()
                .find(|declared| declared.eq_ignore_ascii_case(&format!("{major}/*")))
        })
        .or_else(|| content.keys().find(|declared| *declared == "*/*"))
        .cloned()
}

/// The API version a version document advertises (OpenStack's `max_version` or `version.id`,
/// Sensu's `sensu_backend`), when it is above the one the document describes.
fn version_range(
    body: &Value,
    documented: Option<&str>,
    operation: &str,
    status: u16,
) -> Option<Finding> {
    let documented_text = documented?;
    let documented = version_number(documented_text)?;
    let mut advertised: Vec<&str> = Vec::new();
    collect_versions(body, &mut advertised, 0);
    let (highest_text, highest) = advertised
        .into_iter()
        .filter_map(|text| Some((text, version_number(text)?)))
        .max_by_key(|(_, number)| *number)?;
    (highest > documented).then(|| Finding {
        kind: FindingKind::VersionRange,
        operation: operation.to_string(),
        json_path: String::new(),
        schema: None,
        detail: format!(
            "the server speaks API version {highest_text}; the document describes up to {documented_text}"
        ),
        example: Some(Value::String(highest_text.to_string())),
        inferred_type: None,
        status: Some(status),
        overlay: None,
    })
}

fn collect_versions<'b>(body: &'b Value, out: &mut Vec<&'b str>, depth: usize) {
    if depth > 4 {
        return;
    }
    match body {
        Value::Object(map) => {
            for (key, value) in map {
                match (key.as_str(), value) {
                    ("max_version" | "sensu_backend", Value::String(text)) => out.push(text),
                    ("version", Value::Object(version)) => {
                        if let Some(Value::String(id)) = version.get("id") {
                            out.push(id);
                        }
                        collect_versions(value, out, depth + 1);
                    }
                    _ => collect_versions(value, out, depth + 1),
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                collect_versions(item, out, depth + 1);
            }
        }
        _ => {}
    }
}

/// `major.minor` of `v3.14`, `1.7` or `6.14.0`.
fn version_number(text: &str) -> Option<(u32, u32)> {
    let text = text.trim().trim_start_matches(['v', 'V']);
    let mut parts = text.split(['.', '-', ' ']);
    let major = parts.next()?.parse().ok()?;
    let minor = parts.next().and_then(|m| m.parse().ok()).unwrap_or(0);
    Some((major, minor))
}

/// Findings that say the same thing once: the same addition to the document, or the same
/// difference at the same place of the same operation's answers.
fn dedup_key(finding: &Finding) -> String {
    match &finding.overlay {
        // The same property found in many items is one finding, whatever its values.
        Some((target, Value::Object(added))) => {
            let keys: Vec<&String> = added.keys().collect();
            format!("{:?}|{target:?}|{keys:?}", finding.kind)
        }
        Some((target, update)) => format!("{:?}|{target:?}|{update}", finding.kind),
        None => {
            let mut path = String::new();
            let mut in_index = false;
            for c in finding.json_path.chars() {
                match c {
                    '[' => {
                        in_index = true;
                        path.push_str("[*]");
                    }
                    ']' => in_index = false,
                    c if !in_index => path.push(c),
                    _ => {}
                }
            }
            format!(
                "{:?}|{}|{path}|{}",
                finding.kind, finding.operation, finding.detail
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_compare_by_major_and_minor() {
        assert_eq!(version_number("v3.14"), Some((3, 14)));
        assert_eq!(version_number("6.14.0"), Some((6, 14)));
        assert!(version_number("1.10") > version_number("1.7"));
    }

    #[test]
    fn a_version_above_the_document_is_found() {
        let body = json!({"versions": [{"id": "v1", "max_version": "1.9", "min_version": "1.0"}]});
        let finding = version_range(&body, Some("1.7"), "getRoot", 200).unwrap();
        assert_eq!(finding.kind, FindingKind::VersionRange);
        assert!(version_range(&body, Some("1.9"), "getRoot", 200).is_none());
    }

    #[test]
    fn items_name_themselves_by_the_parameter_then_id_uuid_name() {
        let item = json!({"uuid": "u-1", "name": "n"});
        assert_eq!(identifier(&item, "audit_uuid").as_deref(), Some("u-1"));
        let item = json!({"metadata": {"name": "check-cpu"}});
        assert_eq!(identifier(&item, "check").as_deref(), Some("check-cpu"));
        assert_eq!(encode_segment("a b/c"), "a%20b%2Fc");
    }
}
