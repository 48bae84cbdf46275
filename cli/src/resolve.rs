//! Names looked up where the Python CLIs look them up. watcherclient's `audit create -a` takes
//! an audit template's name or UUID and sends its UUID: the Watcher API takes only a UUID in
//! `audit_template_uuid` (a name answers 400 "Expected a uuid").

use std::ffi::OsString;

use clap::ArgMatches;

use crate::connect::{FromCloud, Overrides};

/// The option of `create-audit` that names its template.
pub const TEMPLATE_OPTION: &str = "audit-template-uuid";

/// Its help: the API's field takes a UUID, the command a name too.
pub const TEMPLATE_HELP: &str =
    "The audit template to take goal, strategy, scope and defaults from: its UUID or its name \
     (looked up, as watcherclient does)";

/// Whether `text` is a UUID as oslo's `is_uuid_like` reads one: 32 hexadecimal digits, with
/// or without dashes.
pub fn is_uuid_like(text: &str) -> bool {
    let digits: Vec<char> = text.chars().filter(|c| *c != '-').collect();
    digits.len() == 32 && digits.iter().all(char::is_ascii_hexdigit) && text.len() <= 36
}

/// The command line with `watcher create-audit`'s template name replaced by the template's
/// UUID, looked up on the server; `None` when there is nothing to look up.
pub async fn audit_template(
    args: &[OsString],
    matches: &ArgMatches,
    overrides: &Overrides,
) -> anyhow::Result<Option<Vec<OsString>>> {
    let Some(("watcher", api_matches)) = matches.subcommand() else {
        return Ok(None);
    };
    let Some(("create-audit", command_matches)) = api_matches.subcommand() else {
        return Ok(None);
    };
    let Some(name) = command_matches.get_one::<String>(TEMPLATE_OPTION) else {
        return Ok(None);
    };
    if is_uuid_like(name) {
        return Ok(None);
    }
    let cloud = crate::connect::cloud(overrides, api_matches, "infra-optim").await?;
    let client = <opsclient::watcher::Client as FromCloud>::from_cloud(&cloud).await?;
    let template = client
        .get_audit_template()
        .audittemplate_ident(name.as_str())
        .send()
        .await?
        .into_inner();
    let uuid = template
        .uuid
        .ok_or_else(|| anyhow::anyhow!("the audit template {name:?} has no UUID"))?;
    Ok(Some(replace_value(args, TEMPLATE_OPTION, name, &uuid)))
}

/// `args` with the value `old` of `--option` (as `--option old` or `--option=old`) made `new`.
fn replace_value(args: &[OsString], option: &str, old: &str, new: &str) -> Vec<OsString> {
    let flag = format!("--{option}");
    let joined = format!("{flag}={old}");
    let mut out = args.to_vec();
    for i in 0..out.len() {
        if out[i] == flag.as_str() && out.get(i + 1).is_some_and(|v| v == old) {
            out[i + 1] = new.into();
        } else if out[i] == joined.as_str() {
            out[i] = format!("{flag}={new}").into();
        }
    }
    out
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

    #[test]
    fn the_template_value_is_replaced() {
        let args: Vec<OsString> = [
            "opsclient",
            "watcher",
            "create-audit",
            "--audit-template-uuid",
            "at1",
        ]
        .map(OsString::from)
        .to_vec();
        let out = replace_value(&args, TEMPLATE_OPTION, "at1", "u-1");
        assert_eq!(out[4], "u-1");
        let args = vec![OsString::from("--audit-template-uuid=at1")];
        assert_eq!(
            replace_value(&args, TEMPLATE_OPTION, "at1", "u-1")[0],
            "--audit-template-uuid=u-1"
        );
    }
}
