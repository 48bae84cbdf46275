//! The command tree against the documents: every operation is a command, each API's command
//! list is a reviewed snapshot, and no option takes a secret as its value.

use std::path::PathBuf;

use clap::Command;

use crate::commands::root;
use crate::names::kebab;

/// Each API's subcommand and its document.
fn apis() -> Vec<(&'static str, PathBuf)> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    opsclient_codegen::APIS
        .iter()
        .map(|api| (api.cli.name, root.join(api.spec)))
        .collect()
}

fn subcommand<'a>(command: &'a Command, name: &str) -> &'a Command {
    command
        .find_subcommand(name)
        .unwrap_or_else(|| panic!("no command {name}"))
}

#[test]
fn every_operation_of_every_document_is_a_command() {
    let tree = root();
    let mut counted = 0;
    for (api, spec) in apis() {
        let doc = opsclient_codegen::load(&spec).expect("the document loads");
        let commands = subcommand(&tree, api);
        for (path, item) in doc.spec.paths.iter() {
            let item = item.as_item().expect("paths are inline");
            for (method, operation) in item.iter() {
                let id = operation
                    .operation_id
                    .as_deref()
                    .unwrap_or_else(|| panic!("{method} {path} has no operationId"));
                assert!(
                    commands.find_subcommand(kebab(id)).is_some(),
                    "{api}: {method} {path} ({id}) has no command {}",
                    kebab(id)
                );
                counted += 1;
            }
        }
    }
    assert!(counted > 200, "only {counted} operations found");
    eprintln!("every one of {counted} operations is a command");
}

/// One line per command: its name, aliases and options (required ones marked `*`).
fn command_list(api: &Command) -> String {
    let mut lines = Vec::new();
    for command in api.get_subcommands() {
        let aliases: Vec<&str> = command.get_visible_aliases().collect();
        // Every command's `-h`/`--help` is left out, as clap's own is.
        let mut options: Vec<String> = command
            .get_arguments()
            .filter(|a| !a.is_global_set() && a.get_id() != "help")
            .map(|a| {
                let name = a
                    .get_long()
                    .map(|l| format!("--{l}"))
                    .unwrap_or_else(|| format!("<{}>", a.get_id()));
                if a.is_required_set() {
                    format!("{name}*")
                } else {
                    name
                }
            })
            .collect();
        options.sort();
        let aliases = if aliases.is_empty() {
            String::new()
        } else {
            format!(" [{}]", aliases.join(", "))
        };
        lines.push(format!(
            "{}{aliases}: {}",
            command.get_name(),
            options.join(" ")
        ));
    }
    lines.sort();
    lines.join("\n") + "\n"
}

#[test]
fn each_apis_command_list_is_reviewed() {
    let tree = root();
    for (api, _) in apis() {
        let text = command_list(subcommand(&tree, api));
        insta::assert_snapshot!(format!("commands_{api}"), text);
    }
}

/// Names that mark an option whose value would be a secret.
const SECRET_WORDS: &[&str] = &[
    "password", "secret", "token", "api-key", "apikey", "passcode",
];

/// Every option of every command of the built tree, with the command's path.
fn every_option() -> Vec<(String, clap::Arg)> {
    fn walk(command: &Command, path: &str, found: &mut Vec<(String, clap::Arg)>) {
        for arg in command.get_arguments() {
            found.push((path.to_string(), arg.clone()));
        }
        for sub in command.get_subcommands() {
            walk(sub, &format!("{path} {}", sub.get_name()), found);
        }
    }
    let mut tree = root();
    tree.build();
    let mut found = Vec::new();
    walk(&tree, "opsclient", &mut found);
    found
}

/// An option carrying a secret must name a file, be a prompt flag, or be refused on the
/// command line (and read from the environment instead).
#[test]
fn no_option_takes_a_secret_as_its_value() {
    let mut found = Vec::new();
    for (path, arg) in every_option() {
        let id = arg.get_id().as_str().to_ascii_lowercase();
        if !SECRET_WORDS.iter().any(|w| id.contains(w)) {
            continue;
        }
        let takes_value = arg.get_num_args().is_none_or(|n| n.takes_values())
            && !matches!(
                arg.get_action(),
                clap::ArgAction::SetTrue | clap::ArgAction::SetFalse
            );
        let is_file = id.ends_with("-file");
        let refused = crate::commands::is_refused_on_command_line(&id);
        // Ids and names of resources ("token_id", "...-name") are not secrets.
        let names_a_resource = id.ends_with("-id") || id.ends_with("_id") || id.ends_with("-name");
        if takes_value && !is_file && !refused && !names_a_resource {
            found.push(format!("{path} --{id}"));
        }
    }
    assert!(found.is_empty(), "options that take a secret: {found:#?}");
}

/// Every option of every command, in every API, has help that says something: none is
/// empty or a placeholder such as progenitor's "XXX".
#[test]
fn every_option_has_real_help() {
    let mut found = Vec::new();
    for (path, arg) in every_option() {
        if arg.is_positional() && arg.get_id() == "help" {
            continue;
        }
        let help = arg.get_help().map(|h| h.to_string()).unwrap_or_default();
        let help = help.trim();
        if help.is_empty() || help.contains("XXX") {
            found.push(format!("{path} --{}: {help:?}", arg.get_id()));
        }
    }
    assert!(found.is_empty(), "options without real help: {found:#?}");
}

#[test]
fn every_python_cli_command_runs_a_command_with_the_options_it_names() {
    let tree = root();
    for python in crate::python_cli::PYTHON_COMMANDS {
        let api = subcommand(&tree, python.api);
        let command = api
            .find_subcommand(kebab(python.operation))
            .unwrap_or_else(|| {
                panic!("{:?}: no command {}", python.words, kebab(python.operation))
            });
        let longs: Vec<&str> = command
            .get_arguments()
            .filter_map(|a| a.get_long())
            .collect();
        for option in python.target_options() {
            assert!(
                longs.contains(&option),
                "{:?}: {} has no --{option}",
                python.words,
                command.get_name()
            );
        }
    }
}

fn readme() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md"))
        .expect("README.md")
}

#[test]
fn the_readme_documents_every_exit_status_and_python_cli_command() {
    let readme = readme();
    for (status, meaning) in crate::exit::STATUSES {
        let row = format!("| {status} | {meaning} |");
        assert!(readme.contains(&row), "README lacks {row}");
    }
    for command in crate::python_cli::PYTHON_COMMANDS {
        let words = format!("`{} {}", command.api, command.words.join(" "));
        let ours = format!("`opsclient {} {}", command.api, kebab(command.operation));
        assert!(
            readme
                .lines()
                .any(|l| l.starts_with(&format!("| {words}")) && l.contains(&ours)),
            "README's Python CLI table lacks {words} → {ours}"
        );
    }
}

fn workspace_file(path: &str) -> String {
    let file = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(path);
    std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()))
}

/// The features the library's `Cargo.toml` declares, and its default ones.
fn cargo_features() -> (Vec<String>, Vec<String>) {
    let manifest = workspace_file("Cargo.toml");
    let section = manifest
        .split("\n[features]\n")
        .nth(1)
        .and_then(|rest| rest.split("\n[").next())
        .expect("Cargo.toml has a [features] table");
    let mut features = Vec::new();
    let mut default = Vec::new();
    for line in section
        .lines()
        .filter(|l| !l.starts_with('#') && l.contains('='))
    {
        let (name, value) = line.split_once('=').expect("checked");
        let name = name.trim().to_string();
        if name == "default" {
            default = value
                .trim()
                .trim_matches(['[', ']'])
                .split(',')
                .map(|f| f.trim().trim_matches('"').to_string())
                .filter(|f| !f.is_empty())
                .collect();
        } else {
            features.push(name);
        }
    }
    (features, default)
}

/// The README's row of the feature table for an API's feature.
fn readme_feature_row(api: &opsclient_codegen::Api, default: &[String]) -> String {
    let marker = if default.iter().any(|f| f == api.feature) {
        " (default)"
    } else {
        ""
    };
    format!(
        "| `{}`{marker} | `{}` | {} |",
        api.feature,
        api.feature_module(),
        api.feature_about
    )
}

/// Adding an API is its document, its entry in `opsclient_codegen::APIS` and `src/<module>/`;
/// whatever else it needs, this test names.
#[test]
fn every_declared_api_has_its_feature_snapshot_commands_and_readme_rows() {
    let (features, default) = cargo_features();
    let readme = readme();
    let table: Vec<&str> = readme
        .split("\n## Features\n")
        .nth(1)
        .expect("the README has a Features section")
        .lines()
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .skip(2)
        .collect();
    let snapshots: Vec<String> =
        std::fs::read_dir(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/snapshots"))
            .expect("tests/snapshots")
            .map(|entry| {
                entry
                    .expect("readable")
                    .file_name()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
    let tree = root();
    for api in opsclient_codegen::APIS {
        let name = api.name;
        assert!(
            features.iter().any(|f| f == api.feature),
            "{name}: Cargo.toml has no feature {}",
            api.feature
        );
        let snapshot = format!("{name}_surface.snap");
        assert!(
            snapshots.contains(&snapshot),
            "{name}: tests/snapshots has no {snapshot} (a tests/behaviour/*/surface.rs test writes it)"
        );
        let commands = subcommand(&tree, api.cli.name);
        assert_eq!(
            commands.get_about().map(|a| a.to_string()).as_deref(),
            Some(api.cli.about)
        );
        assert!(
            commands.get_subcommands().count() > 0,
            "{name}: `opsclient {}` has no commands",
            api.cli.name
        );
        let row = readme_feature_row(api, &default);
        assert!(
            table.contains(&row.as_str()),
            "{name}: the README's feature table lacks\n{row}\nit has\n{}",
            table.join("\n")
        );
    }
    // Every feature has its row, and every row is a feature.
    for row in &table {
        let feature = row
            .split('`')
            .nth(1)
            .unwrap_or_else(|| panic!("a feature row names its feature: {row}"));
        assert!(
            features.iter().any(|f| f == feature),
            "the README's feature table names `{feature}`, which Cargo.toml lacks"
        );
    }
    for feature in &features {
        assert!(
            table
                .iter()
                .any(|row| row.starts_with(&format!("| `{feature}`"))),
            "the README's feature table lacks `{feature}`"
        );
    }
}
