//! An API's short help (`opsclient sensu -h`): how to connect, the sandbox if the API has one,
//! and its commands grouped by resource, from the tags of its document. `--help` stays the
//! full reference, every command and option.

use clap::Command;

use crate::feedback::operation;

/// The width the overview is wrapped at.
const WIDTH: usize = 100;

/// How far the commands of a group are indented, after the group's name.
const INDENT: usize = 24;

/// The overview of `api`, the API's subcommand of the tool.
pub fn overview(api: &Command) -> String {
    let name = api.get_name();
    let mut text = String::new();
    if let Some(about) = api.get_about() {
        text.push_str(&format!("{about}\n\n"));
    }
    if let Some(connect) = api.get_before_help() {
        text.push_str(&paragraph("", &connect.to_string()));
    }
    if let Some(sandbox) = api
        .find_subcommand("sandbox")
        .and_then(Command::get_long_about)
    {
        text.push_str(&paragraph("Sandbox: ", &sandbox.to_string()));
    }
    text.push_str(&format!(
        "\nUsage: opsclient {name} <COMMAND> [OPTIONS]\n       \
         opsclient {name} <COMMAND> -h   one command's options\n       \
         opsclient {name} --help         every command and option\n\n"
    ));
    text.push_str("Commands, by resource:\n");
    let commands: Vec<(&str, Option<&str>)> = api
        .get_subcommands()
        .filter(|c| !c.is_hide_set() && c.get_name() != "sandbox")
        .map(|c| (c.get_name(), operation(name, c.get_name()).map(|op| op.tag)))
        .collect();
    for (_, tag, description) in crate::generated::TAGS.iter().filter(|(a, ..)| *a == name) {
        let members: Vec<&str> = commands
            .iter()
            .filter(|(_, t)| *t == Some(*tag))
            .map(|(command, _)| *command)
            .collect();
        if !members.is_empty() {
            text.push_str(&group(tag, description, &members));
        }
    }
    let others: Vec<&str> = commands
        .iter()
        .filter(|(command, tag)| tag.is_none() && *command != "help")
        .map(|(command, _)| *command)
        .collect();
    if !others.is_empty() {
        text.push_str(&group("other", "Commands written for the tool.", &others));
    }
    text
}

/// One group: its name and the first sentence of its description on one line (cut short if
/// need be), its commands wrapped below.
fn group(tag: &str, description: &str, commands: &[&str]) -> String {
    let about = one_line(&first_sentence(description), WIDTH - INDENT);
    let mut text = format!("  {tag:<width$}{about}\n", width = INDENT - 2);
    let indent = " ".repeat(INDENT);
    let mut line = indent.clone();
    for command in commands {
        if line.len() > INDENT && line.len() + 1 + command.len() > WIDTH {
            text.push_str(line.trim_end());
            text.push('\n');
            line = indent.clone();
        }
        if line.len() > INDENT {
            line.push(' ');
        }
        line.push_str(command);
    }
    text.push_str(line.trim_end());
    text.push('\n');
    text
}

/// `text` in at most `width` characters: whole, or cut after a word and ended with `…`.
fn one_line(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    let mut out = String::new();
    for word in text.split(' ') {
        if out.chars().count() + word.chars().count() + 2 > width {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out.push('…');
    out
}

/// The first sentence of a description, on one line.
fn first_sentence(description: &str) -> String {
    let flat = description.split_whitespace().collect::<Vec<_>>().join(" ");
    match flat.find(". ") {
        Some(end) => flat[..=end].to_string(),
        None => flat,
    }
}

/// `text` after `label`, wrapped, the lines after the first indented.
fn paragraph(label: &str, text: &str) -> String {
    let mut out = String::new();
    let mut line = label.to_string();
    let mut words = 0;
    for word in text.split_whitespace() {
        if words > 0 && line.len() + 1 + word.len() > WIDTH {
            out.push_str(&line);
            out.push('\n');
            line = "  ".to_string();
            words = 0;
        }
        if !line.is_empty() && !line.ends_with(' ') {
            line.push(' ');
        }
        line.push_str(word);
        words += 1;
    }
    out.push_str(&line);
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_wrap_their_commands_under_their_description() {
        let commands = ["list-checks"; 9];
        let text = group("checks", "Check definitions. And more.", &commands);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], format!("  {:<22}Check definitions.", "checks"));
        assert!(lines.iter().all(|l| l.chars().count() <= WIDTH), "{text}");
        assert_eq!(lines.len(), 3, "{text}");
        assert!(lines[1].starts_with(&" ".repeat(INDENT)));
    }

    #[test]
    fn long_descriptions_are_cut_after_a_word() {
        assert_eq!(one_line("short", 10), "short");
        assert_eq!(one_line("one two three four", 10), "one two…");
        assert!(one_line(&"word ".repeat(40), 76).chars().count() <= 76);
    }

    #[test]
    fn paragraphs_wrap_and_indent() {
        let text = paragraph("Connect: ", &"word ".repeat(40));
        assert!(text.lines().all(|l| l.len() <= WIDTH), "{text}");
        assert!(text.starts_with("Connect: word"), "{text}");
        assert!(
            text.lines().skip(1).all(|l| l.starts_with("  word")),
            "{text}"
        );
    }
}
