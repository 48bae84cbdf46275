//! The server's `Validate()` rules (sensu/core v2.20.0), with its messages. The generic
//! handlers prefix them with `resource is invalid: `; the other routers answer them bare.
//! Cron expressions and filter expressions are not parsed.

use serde_json::Value;

fn text<'a>(resource: &'a Value, field: &str) -> &'a str {
    resource
        .get(field)
        .and_then(Value::as_str)
        .unwrap_or_default()
}

fn number(resource: &Value, field: &str) -> i64 {
    resource.get(field).and_then(Value::as_i64).unwrap_or(0)
}

fn list(resource: &Value, field: &str) -> Vec<Value> {
    resource
        .get(field)
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}

fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// `ValidateName`: `\A[\w\.\-\:]+\z`.
pub(super) fn name_rule(label: &str, name: &str) -> Result<(), String> {
    let label = if label.is_empty() {
        "name".to_string()
    } else {
        format!("{label} name")
    };
    if name.is_empty() {
        return Err(format!("{label} must not be empty"));
    }
    if !name
        .chars()
        .all(|c| is_word(c) || matches!(c, '.' | '-' | ':'))
    {
        return Err(format!(
            "{label} cannot contain spaces or special characters"
        ));
    }
    Ok(())
}

/// `\A[\w\.\-]+(\:?[\w\.\-]+)?\z`: at most one inner colon.
fn subscription_like(name: &str) -> bool {
    let part = |p: &str| !p.is_empty() && p.chars().all(|c| is_word(c) || matches!(c, '.' | '-'));
    match name.split_once(':') {
        None => part(name),
        Some((head, tail)) => part(head) && part(tail),
    }
}

fn meta<'a>(resource: &'a Value, field: &str) -> &'a str {
    resource
        .pointer(&format!("/metadata/{field}"))
        .and_then(Value::as_str)
        .unwrap_or_default()
}

fn namespaced(resource: &Value) -> Result<(), String> {
    if meta(resource, "namespace").is_empty() {
        return Err("namespace must be set".into());
    }
    Ok(())
}

/// The username rule: `\A[a-z0-9\_\.\-]+\z`.
pub(super) fn username(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("username must not be empty".into());
    }
    if !name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '_' | '.' | '-'))
    {
        return Err("username cannot contain spaces or special characters".into());
    }
    Ok(())
}

fn sha_and_url(resource: &Value) -> Result<(), String> {
    let sha = text(resource, "sha512");
    if sha.is_empty() {
        return Err("SHA-512 checksum cannot be empty".into());
    }
    if sha.len() < 128 {
        return Err("SHA-512 checksum must be at least 128 characters".into());
    }
    if text(resource, "url").is_empty() {
        return Err("URL cannot be empty".into());
    }
    Ok(())
}

pub(super) fn asset(asset: &Value) -> Result<(), String> {
    let name = meta(asset, "name");
    if name.is_empty() {
        return Err("name cannot be empty".into());
    }
    if !name
        .chars()
        .all(|c| is_word(c) || matches!(c, '/' | '.' | '-' | ':'))
    {
        return Err(
            "name may only contain letters, forward slashes, underscores, dashes and numbers"
                .into(),
        );
    }
    if meta(asset, "namespace").is_empty() {
        return Err("namespace cannot be empty".into());
    }
    match list(asset, "builds").as_slice() {
        [] => sha_and_url(asset),
        builds => builds.iter().try_for_each(sha_and_url),
    }
}

/// The schedule and common rules shared by check definitions and checks in events.
fn schedule(check: &Value, minimum_interval: i64) -> Result<(), String> {
    let (interval, cron) = (number(check, "interval"), text(check, "cron"));
    if !cron.is_empty() && interval > 0 {
        return Err("must only specify either an interval or a cron schedule".into());
    }
    if cron.is_empty() && interval < minimum_interval {
        return Err(if minimum_interval == 1 {
            "check interval must be greater than or equal to 1".into()
        } else {
            "check interval must be greater than 0 or a valid cron schedule must be provided".into()
        });
    }
    let ttl = number(check, "ttl");
    if ttl > 0 && ttl <= interval {
        return Err("ttl must be greater than check interval".into());
    }
    Ok(())
}

fn check_common(check: &Value) -> Result<(), String> {
    if list(check, "subscriptions")
        .iter()
        .any(|s| s.as_str().is_none_or(str::is_empty))
    {
        return Err("subscriptions cannot be empty strings".into());
    }
    let proxy = text(check, "proxy_entity_name");
    if !proxy.is_empty() {
        name_rule("proxy entity", proxy)?;
    }
    if let Some(requests) = check.get("proxy_requests").filter(|r| r.is_object()) {
        let coverage = number(requests, "splay_coverage");
        if coverage > 100 {
            return Err("proxy request splay coverage must be between 0 and 100".into());
        }
        if requests["splay"].as_bool() == Some(true) && coverage == 0 {
            return Err(
                "proxy request splay coverage must be greater than 0 if splay is enabled".into(),
            );
        }
    }
    let format = text(check, "output_metric_format");
    let formats = [
        "nagios_perfdata",
        "graphite_plaintext",
        "opentsdb_line",
        "influxdb_line",
        "prometheus_text",
    ];
    if !format.is_empty() && !formats.contains(&format) {
        return Err("output metric format is not valid".into());
    }
    let (low, high) = (
        number(check, "low_flap_threshold"),
        number(check, "high_flap_threshold"),
    );
    if low != 0 && high != 0 && low >= high {
        return Err("invalid flap thresholds".into());
    }
    let env_ok = |v: &Value| {
        v.as_str()
            .and_then(|s| s.split_once('='))
            .is_some_and(|(k, v)| !k.is_empty() && !v.is_empty())
    };
    if !list(check, "env_vars").iter().all(env_ok) {
        return Err("environment variables must be of the form FOO=BAR".into());
    }
    Ok(())
}

pub(super) fn check(check: &Value) -> Result<(), String> {
    name_rule("check", meta(check, "name"))?;
    schedule(check, 1).map_err(|e| {
        if e.starts_with("check interval") {
            "check interval must be greater than 0 or a valid cron schedule must be provided".into()
        } else {
            e
        }
    })?;
    namespaced(check)?;
    check_common(check)
}

pub(super) fn entity(entity: &Value) -> Result<(), String> {
    name_rule("entity", meta(entity, "name"))?;
    name_rule("entity class", text(entity, "entity_class"))?;
    namespaced(entity)
}

pub(super) fn filter(filter: &Value) -> Result<(), String> {
    name_rule("filter", meta(filter, "name"))?;
    let action = text(filter, "action");
    if !matches!(action, "allow" | "deny") {
        return Err(format!("action '{action}' is not valid"));
    }
    if list(filter, "expressions").is_empty() {
        return Err("filter must have one or more expressions".into());
    }
    namespaced(filter)
}

pub(super) fn handler(handler: &Value) -> Result<(), String> {
    name_rule("handler", meta(handler, "name"))?;
    match text(handler, "type") {
        "" => return Err("empty handler type".into()),
        "pipe" if text(handler, "command").trim().is_empty() => {
            return Err("missing command".into())
        }
        "pipe" | "set" => {}
        "tcp" | "udp" => {
            let socket = &handler["socket"];
            if !socket.is_object() {
                return Err("tcp and udp handlers need a valid socket".into());
            }
            if text(socket, "host").is_empty() {
                return Err("socket host undefined".into());
            }
            if number(socket, "port") == 0 {
                return Err("socket port undefined".into());
            }
        }
        other => return Err(format!("unknown handler type: {other}")),
    }
    namespaced(handler)
}

pub(super) fn hook(hook: &Value) -> Result<(), String> {
    name_rule("hook", meta(hook, "name"))?;
    if text(hook, "command").is_empty() {
        return Err("command cannot be empty".into());
    }
    if number(hook, "timeout") <= 0 {
        return Err("hook timeout must be greater than 0".into());
    }
    namespaced(hook)
}

pub(super) fn mutator(mutator: &Value) -> Result<(), String> {
    name_rule("mutator", meta(mutator, "name"))?;
    let (command, eval) = (text(mutator, "command"), text(mutator, "eval"));
    if command.is_empty() && eval.is_empty() {
        return Err("mutator command or eval must be set".into());
    }
    match text(mutator, "type") {
        "javascript" if !command.is_empty() => {
            return Err("\"command\" used with javascript mutator, should be \"eval\"".into())
        }
        "" | "pipe" | "javascript" => {}
        other => {
            return Err(format!(
                "invalid mutator type {other:?}, valid types are \"pipe\", \"javascript\""
            ))
        }
    }
    namespaced(mutator)
}

fn reference(reference: &Value, what: &str, api_version: &str, kind: &str) -> Result<(), String> {
    name_rule(what, text(reference, "name"))?;
    let (given_kind, given_version) = (text(reference, "type"), text(reference, "api_version"));
    if given_kind.is_empty() {
        return Err(format!("{what} type must be set"));
    }
    if given_version.is_empty() {
        return Err(format!("{what} api_version must be set"));
    }
    if (given_version, given_kind) != (api_version, kind) {
        return Err(format!(
            "{what} resource type not capable of handling events: {given_version}.{given_kind}"
        ));
    }
    Ok(())
}

pub(super) fn pipeline(pipeline: &Value) -> Result<(), String> {
    name_rule("", meta(pipeline, "name"))?;
    namespaced(pipeline)?;
    for workflow in list(pipeline, "workflows") {
        name_rule("workflow", text(&workflow, "name"))?;
        let handler = &workflow["handler"];
        if !handler.is_object() {
            return Err("workflow handler must be set".into());
        }
        reference(handler, "workflow handler", "core/v2", "Handler")?;
        if workflow["mutator"].is_object() {
            reference(
                &workflow["mutator"],
                "workflow mutator",
                "core/v2",
                "Mutator",
            )?;
        }
        for filter in list(&workflow, "filters") {
            reference(&filter, "workflow filter", "core/v2", "EventFilter")?;
        }
    }
    Ok(())
}

fn rbac_name(kind: &str, name: &str) -> Result<(), String> {
    if subscription_like(name) {
        Ok(())
    } else if name.is_empty() {
        Err(format!("the {kind} name must not be empty"))
    } else {
        Err(format!(
            "the {kind} name cannot contain spaces or special characters"
        ))
    }
}

fn rbac_scope(resource: &Value, kind: &str, cluster_wide: bool) -> Result<(), String> {
    rbac_name(kind, meta(resource, "name"))?;
    match (cluster_wide, meta(resource, "namespace").is_empty()) {
        (true, false) => Err(format!("{kind} cannot have a namespace")),
        (false, true) => Err(format!("the {kind} namespace must be set")),
        _ => Ok(()),
    }
}

fn rules(role: &Value, kind: &str) -> Result<(), String> {
    let rules = list(role, "rules");
    if rules.is_empty() {
        return Err(format!("a {kind} must have at least one rule"));
    }
    for rule in rules {
        for verb in list(&rule, "verbs")
            .iter()
            .filter_map(Value::as_str)
            .flat_map(|v| v.split(','))
        {
            if !matches!(verb, "*" | "get" | "list" | "create" | "update" | "delete") {
                return Err(format!("the verb {verb:?} is not valid"));
            }
        }
    }
    Ok(())
}

/// `Role` → `Role`, `role` → `Role`: the server title-cases types before comparing.
fn title(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn binding(binding: &Value, kind: &str) -> Result<(), String> {
    let role_ref = &binding["role_ref"];
    if !matches!(
        title(text(role_ref, "type")).as_str(),
        "Role" | "ClusterRole"
    ) {
        return Err(format!(
            "roleRef type for {kind} must be Role or ClusterRole"
        ));
    }
    if text(role_ref, "name").is_empty() {
        return Err(format!("roleRef name for {kind} is required"));
    }
    let subjects = list(binding, "subjects");
    if subjects.is_empty() {
        return Err(format!("a {kind} must have at least one subject"));
    }
    for subject in subjects {
        if !matches!(title(text(&subject, "type")).as_str(), "Group" | "User") {
            return Err(format!("subject type for {kind} must be Group or User"));
        }
        if text(&subject, "name").is_empty() {
            return Err(format!("subject name for {kind} is required"));
        }
    }
    Ok(())
}

pub(super) fn role(role: &Value) -> Result<(), String> {
    rbac_scope(role, "Role", false)?;
    rules(role, "Role")
}

pub(super) fn cluster_role(role: &Value) -> Result<(), String> {
    rbac_scope(role, "ClusterRole", true)?;
    rules(role, "ClusterRole")
}

pub(super) fn role_binding(value: &Value) -> Result<(), String> {
    rbac_scope(value, "RoleBinding", false)?;
    binding(value, "RoleBinding")
}

pub(super) fn cluster_role_binding(value: &Value) -> Result<(), String> {
    rbac_scope(value, "ClusterRoleBinding", true)?;
    binding(value, "ClusterRoleBinding")
}

pub(super) fn api_key(key: &Value) -> Result<(), String> {
    if !meta(key, "namespace").is_empty() {
        return Err("api key cannot have a namespace".into());
    }
    if text(key, "username").is_empty() {
        return Err("api key must have a username".into());
    }
    Ok(())
}

/// `subscription:check`, with `*` for a side that is not set.
pub(super) fn silenced_name(silenced: &Value) -> String {
    let side = |field: &str| match text(silenced, field) {
        "" => "*".to_string(),
        value => value.to_string(),
    };
    format!("{}:{}", side("subscription"), side("check"))
}

pub(super) fn silenced(silenced: &Value) -> Result<(), String> {
    let (subscription, check) = (text(silenced, "subscription"), text(silenced, "check"));
    let unset = |s: &str| s.is_empty() || s == "*";
    if unset(subscription) && unset(check) {
        return Err("must provide check or subscription".into());
    }
    if !unset(subscription) && !subscription_like(subscription) {
        return Err("Subscription name cannot contain spaces or special characters".into());
    }
    if !unset(check) {
        name_rule("Check", check)?;
    }
    Ok(())
}

pub(super) fn event(event: &Value) -> Result<(), String> {
    if !event["entity"].is_object() {
        return Err("event must contain an entity".into());
    }
    if !event["check"].is_object() && !event["metrics"].is_object() {
        return Err("event must contain a check or metrics".into());
    }
    entity(&event["entity"]).map_err(|e| format!("entity is invalid: {e}"))?;
    if event["check"].is_object() {
        event_check(&event["check"]).map_err(|e| format!("check is invalid: {e}"))?;
    }
    if !meta(event, "name").is_empty() {
        return Err("events cannot be named".into());
    }
    Ok(())
}

fn event_check(check: &Value) -> Result<(), String> {
    name_rule("check", meta(check, "name"))?;
    if check["publish"].as_bool() == Some(true) {
        schedule(check, 1)?;
        let ttl = number(check, "ttl");
        if ttl > 0 && ttl < 5 {
            return Err("minimum ttl is 5 seconds".into());
        }
    }
    if number(check, "max_output_size") < 0 {
        return Err("MaxOutputSize must be >= 0".into());
    }
    check_common(check)
}
