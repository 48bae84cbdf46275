//! sensuctl's resource file commands over the library's `sensu::files`: `create -f`, `dump`,
//! `edit` (in `edit.rs`) and `prune`. What they do to resources is said on standard error;
//! standard output carries only what `dump` writes.

use std::io::Read;
use std::path::{Path, PathBuf};

use clap::{Arg, ArgAction, ArgMatches, Command};
use opsclient::sensu::files::{self, Creators, Format, Kind, Namespaces, Resource};
use opsclient::sensu::Client;

use crate::exit::Usage;

/// The largest resource file read, standard input included.
const FILE_LIMIT: u64 = 64 * 1024 * 1024;

/// The commands, for the `sensu` subcommand.
pub fn commands() -> Vec<Command> {
    vec![
        Command::new("create")
            .about("Creates or replaces the resources of files, directories or standard input, as sensuctl create")
            .long_about(
                "Creates or replaces the resources of files, directories or standard input, as \
                 sensuctl create: YAML documents separated by ---, or wrapped JSON objects one \
                 after another. Every resource is checked before any is sent; then namespaces \
                 are written first, and each resource is labelled sensu.io/managed_by: sensuctl. \
                 What was created, updated or left unchanged is said on standard error.",
            )
            .arg(file_arg("Files or directories to read; - is standard input (the default)"))
            .arg(recursive_arg())
            .arg(namespace_arg()),
        Command::new("dump")
            .about("Writes resources as a resource file, as sensuctl dump")
            .arg(
                Arg::new("kinds")
                    .default_value("all")
                    .help("all, or kinds separated by commas: checks, core/v2.Handler, ... (API keys only by name)"),
            )
            .arg(
                Arg::new("all-namespaces")
                    .long("all-namespaces")
                    .action(ArgAction::SetTrue)
                    .help("Namespaced kinds from every namespace, not only one"),
            )
            .arg(format_arg())
            .arg(omit_arg())
            .arg(
                Arg::new("file")
                    .short('f')
                    .long("file")
                    .value_parser(clap::value_parser!(PathBuf))
                    .help("Write to this file instead of standard output"),
            )
            .arg(namespace_arg()),
        crate::edit::command(),
        Command::new("prune")
            .about("Deletes resources sensuctl create made that the files no longer hold, as sensuctl prune")
            .long_about(
                "Deletes the resources of KINDS that the files no longer hold, as sensuctl \
                 prune: only those labelled sensu.io/managed_by: sensuctl (what create writes), \
                 created by the current user (or --users, or --all-users), in the namespace; \
                 cluster-wide kinds only with --cluster-wide. What was pruned is said on \
                 standard error.",
            )
            .arg(
                Arg::new("kinds")
                    .required(true)
                    .help("all, or kinds separated by commas: checks, core/v2.Handler, ..."),
            )
            .arg(file_arg("Files or directories holding the resources to keep; - is standard input"))
            .arg(recursive_arg())
            .arg(
                Arg::new("users")
                    .short('u')
                    .long("users")
                    .value_delimiter(',')
                    .conflicts_with("all-users")
                    .help("Prune only what these users created (default: the logged-in user)"),
            )
            .arg(
                Arg::new("all-users")
                    .short('a')
                    .long("all-users")
                    .action(ArgAction::SetTrue)
                    .help("Prune what any user created"),
            )
            .arg(
                // sensuctl's -c is the tool's --column.
                Arg::new("cluster-wide")
                    .long("cluster-wide")
                    .action(ArgAction::SetTrue)
                    .help("Prune cluster-wide kinds (namespaces, users, cluster roles, ...) too"),
            )
            .arg(
                Arg::new("dry-run")
                    .short('d')
                    .long("dry-run")
                    .action(ArgAction::SetTrue)
                    .help("Say what would be pruned, and delete nothing"),
            )
            .arg(omit_arg())
            .arg(namespace_arg()),
    ]
}

fn file_arg(help: &'static str) -> Arg {
    Arg::new("file")
        .short('f')
        .long("file")
        .action(ArgAction::Append)
        .value_parser(clap::value_parser!(PathBuf))
        .help(help)
}

fn recursive_arg() -> Arg {
    Arg::new("recursive")
        .short('r')
        .long("recursive")
        .action(ArgAction::SetTrue)
        .help("Read the directories' subdirectories too")
}

pub fn namespace_arg() -> Arg {
    Arg::new("namespace")
        .long("namespace")
        .help("The namespace of resources that name none (default: SENSU_NAMESPACE, or default)")
}

pub fn format_arg() -> Arg {
    Arg::new("format")
        .long("format")
        .value_parser(clap::value_parser!(Format))
        .default_value("yaml")
        .help("yaml or wrapped-json")
}

fn omit_arg() -> Arg {
    Arg::new("omit")
        .long("omit")
        .help("Kinds to leave out, separated by commas")
}

/// The namespace a command works in: `--namespace`, else the client's.
pub fn namespace(client: &Client, matches: &ArgMatches) -> String {
    matches
        .get_one::<String>("namespace")
        .cloned()
        .unwrap_or_else(|| client.namespace().to_string())
}

/// The kinds a command names, without those `--omit` names.
fn kinds(matches: &ArgMatches) -> anyhow::Result<Vec<&'static Kind>> {
    let list = matches
        .get_one::<String>("kinds")
        .expect("required or defaulted");
    let mut kinds = Kind::select(list)?;
    if let Some(omit) = matches.get_one::<String>("omit") {
        let omitted = Kind::select(omit)?;
        kinds.retain(|k| !omitted.contains(k));
    }
    Ok(kinds)
}

/// Runs `create`, `dump`, `edit` or `prune`. Files are read, and every resource checked,
/// before the client is made: a bad file sends nothing.
pub async fn run(
    command: &str,
    api_matches: &ArgMatches,
    matches: &ArgMatches,
    overrides: &crate::connect::Overrides,
) -> anyhow::Result<()> {
    let inputs = match command {
        "create" | "prune" => read_inputs(matches)?,
        _ => Vec::new(),
    };
    let kinds = match command {
        "dump" | "prune" => kinds(matches)?,
        _ => Vec::new(),
    };
    let connection = crate::connect::sensu(overrides, api_matches).await?;
    let client = &connection.client;
    let result = match command {
        "create" => create(client, matches, inputs).await,
        "dump" => dump(client, matches, &kinds).await,
        "edit" => crate::edit::run(client, matches).await,
        "prune" => {
            let creators = creators(api_matches, matches, connection.session_user())?;
            prune(client, matches, &kinds, inputs, creators).await
        }
        other => unreachable!("no resource file command {other}"),
    };
    connection.finish(result).await
}

async fn create(
    client: &Client,
    matches: &ArgMatches,
    resources: Vec<Resource>,
) -> anyhow::Result<()> {
    let applied = client
        .apply(resources)
        .namespace(namespace(client, matches))
        .managed_by(files::SENSUCTL)
        .send()
        .await;
    report(applied)
}

async fn dump(
    client: &Client,
    matches: &ArgMatches,
    kinds: &[&'static Kind],
) -> anyhow::Result<()> {
    let format = *matches.get_one::<Format>("format").expect("defaulted");
    let namespaces = if matches.get_flag("all-namespaces") {
        Namespaces::All
    } else {
        Namespaces::One(namespace(client, matches))
    };
    let text = files::render(&client.dump(kinds, &namespaces).await?, format);
    match matches.get_one::<PathBuf>("file") {
        Some(path) => std::fs::write(path, text)
            .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display())),
        None => {
            print!("{text}");
            Ok(())
        }
    }
}

async fn prune(
    client: &Client,
    matches: &ArgMatches,
    kinds: &[&'static Kind],
    configuration: Vec<Resource>,
    creators: Creators,
) -> anyhow::Result<()> {
    let pruned = client
        .prune(kinds, configuration)
        .namespace(namespace(client, matches))
        .created_by(creators)
        .cluster_wide(matches.get_flag("cluster-wide"))
        .dry_run(matches.get_flag("dry-run"))
        .send()
        .await?;
    for resource in pruned {
        eprintln!("{resource}");
    }
    Ok(())
}

/// Says what an apply did, on standard error, and passes its error on.
pub fn report(applied: Result<Vec<files::Applied>, files::ApplyError>) -> anyhow::Result<()> {
    match applied {
        Ok(applied) => {
            for resource in applied {
                eprintln!("{resource}");
            }
            Ok(())
        }
        Err(error) => {
            for resource in &error.applied {
                eprintln!("{resource}");
            }
            Err(error.into())
        }
    }
}

/// Whose resources `prune` may delete: `--all-users`, `--users`, or the logged-in user (of
/// `--sensu-username`, `SENSU_USERNAME` or the profile's session).
fn creators(
    api_matches: &ArgMatches,
    matches: &ArgMatches,
    session_user: Option<&str>,
) -> anyhow::Result<Creators> {
    if matches.get_flag("all-users") {
        return Ok(Creators::Any);
    }
    if let Some(users) = matches.get_many::<String>("users") {
        return Ok(Creators::Only(users.cloned().collect()));
    }
    let user = api_matches
        .get_one::<String>("sensu-username")
        .cloned()
        .or_else(|| std::env::var("SENSU_USERNAME").ok())
        .or_else(|| session_user.map(str::to_string));
    match user {
        Some(user) => Ok(Creators::Only(vec![user])),
        None => Err(Usage(
            "prune needs --users or --all-users when no user is logged in (SENSU_USERNAME)".into(),
        )
        .into()),
    }
}

/// Every resource of the `--file` inputs (standard input when there is none), each file read
/// and checked whole before anything is sent.
fn read_inputs(matches: &ArgMatches) -> anyhow::Result<Vec<Resource>> {
    let stdin = [PathBuf::from("-")];
    let inputs: Vec<&PathBuf> = match matches.get_many::<PathBuf>("file") {
        Some(paths) => paths.collect(),
        None => stdin.iter().collect(),
    };
    let recursive = matches.get_flag("recursive");
    let mut resources = Vec::new();
    for input in inputs {
        if input == Path::new("-") {
            resources.extend(files::parse("-", &read_limited(std::io::stdin(), "-")?)?);
        } else {
            read_path(input, recursive, true, &mut resources)?;
        }
    }
    Ok(resources)
}

/// A file's resources, or a directory's files' in name order (its subdirectories' only when
/// `recursive`; a directory named on the command line is always read).
fn read_path(
    path: &Path,
    recursive: bool,
    named: bool,
    resources: &mut Vec<Resource>,
) -> anyhow::Result<()> {
    let cannot = |e: std::io::Error| anyhow::anyhow!("cannot read {}: {e}", path.display());
    if path.is_dir() {
        if !named && !recursive {
            return Ok(());
        }
        let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
            .map_err(cannot)?
            .map(|entry| entry.map(|e| e.path()))
            .collect::<Result<_, _>>()
            .map_err(cannot)?;
        entries.sort();
        for entry in entries {
            read_path(&entry, recursive, false, resources)?;
        }
        return Ok(());
    }
    let file = std::fs::File::open(path).map_err(cannot)?;
    let source = path.display().to_string();
    let text = read_limited(file, &source)?;
    resources.extend(files::parse(&source, &text)?);
    Ok(())
}

/// All of `input` as text, refusing more than [`FILE_LIMIT`] bytes.
fn read_limited(input: impl Read, source: &str) -> anyhow::Result<String> {
    let mut bytes = Vec::new();
    input
        .take(FILE_LIMIT + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| anyhow::anyhow!("cannot read {source}: {e}"))?;
    if bytes.len() as u64 > FILE_LIMIT {
        anyhow::bail!("{source} is larger than {FILE_LIMIT} bytes");
    }
    String::from_utf8(bytes).map_err(|_| anyhow::anyhow!("{source} is not UTF-8 text"))
}
