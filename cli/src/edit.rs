//! `opsclient sensu edit KIND NAME`, as sensuctl edit: the resource is written to a temporary
//! file, `$EDITOR` (else `vi`) opens it, and what comes back is applied. A file that comes back
//! as it went sends nothing; one that cannot be applied is kept, and the error says where.

use std::io::Write;
use std::process::Command as Process;

use clap::{Arg, ArgMatches, Command};
use opsclient::sensu::files::{self, Address, Format, Kind};
use opsclient::sensu::Client;

use crate::exit::Usage;
use crate::files::{format_arg, namespace, namespace_arg, report};

/// The editor when `EDITOR` is not set, as sensuctl's.
const DEFAULT_EDITOR: &str = "vi";

pub fn command() -> Command {
    Command::new("edit")
        .about("Edits a resource in $EDITOR and applies what is saved, as sensuctl edit")
        .arg(
            Arg::new("kind")
                .required(true)
                .help("The kind: check, checks, CheckConfig, core/v2.CheckConfig, ..."),
        )
        .arg(
            Arg::new("name")
                .num_args(0..=2)
                .help("Its name; for an event, its entity's and its check's"),
        )
        .arg(format_arg())
        .arg(namespace_arg())
}

/// The names sensuctl edit takes, and the kinds they stand for.
const SENSUCTL_NAMES: &[(&str, &str)] = &[
    ("asset", "Asset"),
    ("check", "CheckConfig"),
    ("cluster-role", "ClusterRole"),
    ("cluster-role-binding", "ClusterRoleBinding"),
    ("entity", "Entity"),
    ("event", "Event"),
    ("filter", "EventFilter"),
    ("handler", "Handler"),
    ("hook", "HookConfig"),
    ("mutator", "Mutator"),
    ("namespace", "Namespace"),
    ("pipeline", "Pipeline"),
    ("role", "Role"),
    ("role-binding", "RoleBinding"),
    ("silenced", "Silenced"),
    ("user", "User"),
];

/// The kind sensuctl edit's name (`check`) or the library's (`checks`, `CheckConfig`) names.
fn find_kind(name: &str) -> Option<&'static Kind> {
    let name = SENSUCTL_NAMES
        .iter()
        .find(|(sensuctl, _)| *sensuctl == name)
        .map_or(name, |(_, type_name)| type_name);
    Kind::find(name)
}

pub async fn run(client: &Client, matches: &ArgMatches) -> anyhow::Result<()> {
    let kind_name = matches.get_one::<String>("kind").expect("required");
    let kind = find_kind(kind_name)
        .ok_or_else(|| Usage(format!("{kind_name:?} is not a core/v2 kind")))?;
    if kind.name_is_secret() {
        return Err(Usage(format!(
            "a {kind} cannot be edited: its name is a credential, which never goes on the command line"
        ))
        .into());
    }
    let names: Vec<&str> = matches
        .get_many::<String>("name")
        .map(|names| names.map(String::as_str).collect())
        .unwrap_or_default();
    let namespace = namespace(client, matches);
    let address = Address::of(kind, &namespace, &names)?;
    let format = *matches.get_one::<Format>("format").expect("defaulted");
    let resource = client.fetch(kind, &address).await?;
    let original = files::render(&[resource], format);

    let suffix = match format {
        Format::Yaml => ".yaml",
        Format::WrappedJson => ".json",
    };
    let mut file = tempfile::Builder::new()
        .prefix("sensu-resource.")
        .suffix(suffix)
        .tempfile()?;
    file.write_all(original.as_bytes())?;
    file.flush()?;
    edit(file.path())?;
    let edited = std::fs::read_to_string(file.path())
        .map_err(|e| anyhow::anyhow!("cannot read the edited file: {e}"))?;
    if edited == original {
        eprintln!("unchanged {kind} {address}: nothing sent");
        return Ok(());
    }
    let source = file.path().display().to_string();
    let applied = match files::parse(&source, &edited) {
        Ok(resources) if resources.is_empty() => Err(anyhow::anyhow!("no resource was saved")),
        Ok(resources) => report(client.apply(resources).namespace(namespace).send().await),
        Err(error) => Err(error.into()),
    };
    if let Err(error) = applied {
        let (_, kept) = file.keep()?;
        return Err(error.context(format!("the edit is kept in {}", kept.display())));
    }
    Ok(())
}

/// Runs `$EDITOR` (split on white space, as sensuctl does) on the file, on this terminal.
fn edit(path: &std::path::Path) -> anyhow::Result<()> {
    let editor = std::env::var("EDITOR")
        .ok()
        .filter(|e| !e.trim().is_empty())
        .unwrap_or_else(|| DEFAULT_EDITOR.to_string());
    let mut words = editor.split_whitespace();
    let program = words.next().unwrap_or(DEFAULT_EDITOR);
    let status = Process::new(program)
        .args(words)
        .arg(path)
        .status()
        .map_err(|e| anyhow::anyhow!("cannot run the editor {program:?}: {e}"))?;
    if !status.success() {
        anyhow::bail!("the editor {program:?} failed ({status}); nothing sent");
    }
    Ok(())
}
