//! Names looked up where watcherclient looks them up: `audit create -a` takes an audit
//! template's name or UUID and sends its UUID (the Watcher API takes only a UUID in
//! `audit_template_uuid`; a name answers 400 "Expected a uuid"), and `audittemplate create`
//! sends the UUIDs of the goal and strategy it is given by name. The lookups run on the
//! command's own login (`connect::cloud` logs in once per process), in watcherclient's order.

use clap::ArgMatches;
use serde_json::Value;

use crate::connect::{FromCloud, Overrides};

/// What a body field names.
#[derive(Clone, Copy, Debug)]
enum Kind {
    AuditTemplate,
    Goal,
    Strategy,
}

/// The body fields looked up, per command, in the order watcherclient looks them up.
const LOOKUPS: &[(&str, &str, Kind)] = &[
    ("create-audit", "audit_template_uuid", Kind::AuditTemplate),
    ("create-audit-template", "goal", Kind::Goal),
    ("create-audit-template", "strategy", Kind::Strategy),
];

/// Whether `text` is a UUID as oslo's `is_uuid_like` reads one: 32 hexadecimal digits, with
/// or without dashes.
pub fn is_uuid_like(text: &str) -> bool {
    let digits: Vec<char> = text.chars().filter(|c| *c != '-').collect();
    digits.len() == 32 && digits.iter().all(char::is_ascii_hexdigit) && text.len() <= 36
}

/// The names in the body of a Python CLI command (`matches`) replaced by the UUIDs they name.
pub async fn names(
    matches: &ArgMatches,
    overrides: &Overrides,
    body: &mut Value,
) -> anyhow::Result<()> {
    let Some(("watcher", api_matches)) = matches.subcommand() else {
        return Ok(());
    };
    let Some((command, _)) = api_matches.subcommand() else {
        return Ok(());
    };
    let mut client = None;
    for (_, field, kind) in LOOKUPS.iter().filter(|(c, _, _)| *c == command) {
        let Some(name) = body.get(*field).and_then(Value::as_str).map(str::to_string) else {
            continue;
        };
        if is_uuid_like(&name) {
            continue;
        }
        let client = match &client {
            Some(client) => client,
            None => {
                let cloud = crate::connect::cloud(overrides, api_matches, "infra-optim").await?;
                client.insert(<opsclient::watcher::Client as FromCloud>::from_cloud(&cloud).await?)
            }
        };
        let uuid = lookup(client, *kind, &name).await?;
        body[*field] = Value::String(uuid);
    }
    Ok(())
}

/// The UUID of the `kind` named `name`.
async fn lookup(
    client: &opsclient::watcher::Client,
    kind: Kind,
    name: &str,
) -> anyhow::Result<String> {
    let (uuid, what) = match kind {
        Kind::AuditTemplate => (
            client
                .get_audit_template()
                .audittemplate_ident(name)
                .send()
                .await?
                .into_inner()
                .uuid,
            "audit template",
        ),
        Kind::Goal => (
            client
                .get_goal()
                .goal_ident(name)
                .send()
                .await?
                .into_inner()
                .uuid,
            "goal",
        ),
        Kind::Strategy => (
            client
                .get_strategy()
                .strategy_ident(name)
                .send()
                .await?
                .into_inner()
                .uuid,
            "strategy",
        ),
    };
    uuid.map(|u| u.to_string())
        .ok_or_else(|| anyhow::anyhow!("the {what} {name:?} has no UUID"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_are_told_from_names() {
        assert!(is_uuid_like("3f2a4f0c-5a9e-4d47-9c6e-2b1d6f0d8a11"));
        assert!(is_uuid_like("3f2a4f0c5a9e4d479c6e2b1d6f0d8a11"));
        assert!(!is_uuid_like("at1"));
        assert!(!is_uuid_like("3f2a4f0c-5a9e-4d47-9c6e-2b1d6f0d8a1x"));
    }
}
