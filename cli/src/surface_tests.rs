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
        .map(|api| (api.name, root.join(api.spec)))
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
        let mut options: Vec<String> = command
            .get_arguments()
            .filter(|a| !a.is_global_set())
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

/// An option carrying a secret must name a file, be a prompt flag, or be refused on the
/// command line (and read from the environment instead).
#[test]
fn no_option_takes_a_secret_as_its_value() {
    fn walk(command: &Command, path: &str, found: &mut Vec<String>) {
        for arg in command.get_arguments() {
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
            let names_a_resource =
                id.ends_with("-id") || id.ends_with("_id") || id.ends_with("-name");
            if takes_value && !is_file && !refused && !names_a_resource {
                found.push(format!("{path} --{id}"));
            }
        }
        for sub in command.get_subcommands() {
            walk(sub, &format!("{path} {}", sub.get_name()), found);
        }
    }
    let mut tree = root();
    tree.build();
    let mut found = Vec::new();
    walk(&tree, "opsclient", &mut found);
    assert!(found.is_empty(), "options that take a secret: {found:#?}");
}

#[test]
fn every_seed_command_runs_a_command_with_the_options_it_names() {
    let tree = root();
    for seed in crate::seed::SEEDS {
        let api = subcommand(&tree, seed.api);
        let command = api
            .find_subcommand(kebab(seed.operation))
            .unwrap_or_else(|| panic!("{:?}: no command {}", seed.words, kebab(seed.operation)));
        let longs: Vec<&str> = command
            .get_arguments()
            .filter_map(|a| a.get_long())
            .collect();
        for option in seed.positionals {
            assert!(
                longs.contains(option),
                "{:?}: {} has no --{option}",
                seed.words,
                command.get_name()
            );
        }
        for (_, to) in seed.renamed {
            let to = to.trim_start_matches("--");
            assert!(
                longs.contains(&to),
                "{:?}: {} has no --{to}",
                seed.words,
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
fn the_readme_documents_every_exit_status_and_seed_command() {
    let readme = readme();
    for (status, meaning) in crate::exit::STATUSES {
        let row = format!("| {status} | {meaning} |");
        assert!(readme.contains(&row), "README lacks {row}");
    }
    for seed in crate::seed::SEEDS {
        let words = format!("`{} {}", seed.api, seed.words.join(" "));
        let command = format!("`opsclient {} {}", seed.api, kebab(seed.operation));
        assert!(
            readme
                .lines()
                .any(|l| l.starts_with(&format!("| {words}")) && l.contains(&command)),
            "README's seed table lacks {words} → {command}"
        );
    }
}
