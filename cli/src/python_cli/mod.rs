//! The commands of the Python CLIs that opsclient replaces: python-monascaclient's
//! `monasca metric-list` and python-watcherclient's `watcher audit list` run as `opsclient
//! monasca metric-list` and `opsclient watcher audit list`, with the positional arguments,
//! options, spellings and defaults those CLIs take, wherever they stand after the API's name
//! (`opsclient monasca --os-cloud prod alarm-show ID`).
//!
//! Before parsing, such a command is rewritten into its generated command (`alarm-show ID` →
//! `get-alarm --alarm-id ID`). What has no option of its own there becomes the request body,
//! built here and handed over in memory (`--match-by`, `--alarm-actions`, `-p name=value`,
//! `op path=value` updates); several IDs given to a delete become one run per ID; cliff's `-f`
//! and `-c` and monascaclient's `-j` choose the output those CLIs print (`crate::cliff`). The
//! single-word names are also aliases of the generated commands, so help and completion show
//! them.

mod table;
mod values;

use std::ffi::OsString;

use clap::Command;
use serde_json::Value;

use crate::cliff::{self, View};
use crate::exit::Usage;

pub use table::PYTHON_COMMANDS;

/// One command as a Python CLI spells it.
pub struct PythonCommand {
    /// `monasca` or `watcher`.
    pub api: &'static str,
    /// The words that name it: `["metric-list"]`, `["audit", "list"]`.
    pub words: &'static [&'static str],
    /// The operation it runs (or the hand-written command, `cancelActionPlan`).
    pub operation: &'static str,
    /// Its positional arguments, in order.
    pub positionals: &'static [Arg],
    /// Its options, as the Python CLI spells them.
    pub options: &'static [(&'static str, Arg)],
    /// The operation `--detail` runs instead (watcherclient's lists).
    pub detail: Option<&'static str>,
    /// The body the arguments are written into, with the Python CLI's defaults, as JSON; `None`
    /// when every argument has an option of the generated command.
    pub body: Option<&'static str>,
    /// The columns cliff shows (watcherclient).
    pub view: Option<&'static View>,
    /// The columns cliff shows with `--detail`.
    pub detail_view: Option<&'static View>,
}

impl PythonCommand {
    /// A command with nothing but its names, to build the table from.
    pub const EMPTY: PythonCommand = PythonCommand {
        api: "",
        words: &[],
        operation: "",
        positionals: &[],
        options: &[],
        detail: None,
        body: None,
        view: None,
        detail_view: None,
    };

    /// The options of the generated command that the arguments become.
    #[cfg(test)]
    pub fn target_options(&self) -> Vec<&'static str> {
        let args = self
            .positionals
            .iter()
            .chain(self.options.iter().map(|(_, arg)| arg));
        let mut names: Vec<&str> = args
            .filter_map(|arg| match arg {
                Arg::Opt(name) | Arg::Flag(name) | Arg::StartTime(name) | Arg::Each(name) => {
                    Some(*name)
                }
                Arg::Body(..) | Arg::Patch(_) => None,
            })
            .collect();
        if self.body.is_some() {
            names.push("json-body");
        }
        names
    }
}

/// What one argument of a Python CLI command becomes.
#[derive(Clone, Copy, Debug)]
pub enum Arg {
    /// The generated command's option of this name, with the value as given.
    Opt(&'static str),
    /// A bare flag (`--merge_metrics`): the option of this name set to `true`.
    Flag(&'static str),
    /// A start time, as monascaclient takes it: ISO 8601, or `-N` for N minutes ago.
    StartTime(&'static str),
    /// A field of the body (a JSON Patch path for [`Shape::Replace`]).
    Body(&'static str, Shape),
    /// One or more values: the command runs once for each, with the option of this name.
    Each(&'static str),
    /// watcherclient's `op path=value...`: the JSON Patch body. The paths listed keep their
    /// values as text; other values are read as JSON when they are.
    Patch(&'static [&'static str]),
}

/// How a value goes into the body.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Shape {
    /// As given.
    Text,
    /// `true`/`True` or `false`/`False`, as monascaclient takes them.
    Bool,
    /// A bare flag that sets `true`.
    True,
    /// A comma-separated list (`[]` or nothing is empty).
    Split,
    /// One list item per time the option is given.
    Append,
    /// Every time the option is given, comma-separated, as one list.
    AppendSplit,
    /// `name=value` entries of an object, the value read as JSON when it is.
    Pairs,
    /// A YAML or JSON file whose content is the value.
    YamlFile,
    /// A JSON Patch `replace` of this path with the value.
    Replace,
}

impl Arg {
    /// Whether the option takes a value from the command line.
    fn takes_value(self) -> bool {
        !matches!(self, Arg::Flag(_) | Arg::Body(_, Shape::True))
    }
}

/// A command line after the rewrite.
#[derive(Debug)]
pub struct Rewritten {
    /// The command lines to run, in order: one, or one per ID given to a delete.
    pub lines: Vec<Vec<OsString>>,
    /// The request body built from the arguments, for `--json-body`.
    pub body: Option<Value>,
    /// The output the Python CLI prints, when `-f`, `-c` or `-j` asked for it.
    pub output: Option<cliff::Output>,
}

impl Rewritten {
    fn unchanged(args: Vec<OsString>) -> Rewritten {
        Rewritten {
            lines: vec![args],
            body: None,
            output: None,
        }
    }
}

/// The single-word Python CLI names of an operation, as aliases.
pub fn aliases(api: &str, operation: &str) -> Vec<&'static str> {
    PYTHON_COMMANDS
        .iter()
        .filter(|s| {
            s.api == api
                && crate::names::kebab(s.operation) == crate::names::kebab(operation)
                && s.words.len() == 1
        })
        .map(|s| s.words[0])
        .collect()
}

/// Whether `word` is an option of one of `commands` that takes a value (given apart from it).
fn takes_value(commands: &[&Command], word: &str) -> bool {
    if word.contains('=') {
        return false;
    }
    commands.iter().any(|command| {
        command.get_arguments().any(|arg| {
            let long = arg
                .get_long()
                .is_some_and(|l| word.strip_prefix("--") == Some(l));
            let short = arg
                .get_short()
                .is_some_and(|s| word.len() == 2 && word.strip_prefix('-') == Some(&s.to_string()));
            (long || short) && arg.get_action().takes_values()
        })
    })
}

/// `-120`: a negative number, which argparse takes as a positional argument.
fn is_negative_number(word: &str) -> bool {
    word.strip_prefix('-')
        .is_some_and(|digits| !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
}

/// The command line with a Python CLI command turned into its generated command; `root` is
/// the tool's command tree, which says which options take values.
pub fn rewrite(root: &Command, args: Vec<OsString>) -> anyhow::Result<Rewritten> {
    let text: Vec<&str> = args.iter().map(|a| a.to_str().unwrap_or("")).collect();
    // The API's name, after the tool's own options.
    let mut at = 1;
    let api = loop {
        match text.get(at) {
            Some(word) if word.starts_with('-') => {
                at += 1 + usize::from(takes_value(&[root], word))
            }
            Some(&word @ ("monasca" | "watcher")) => break word,
            _ => return Ok(Rewritten::unchanged(args)),
        }
    };
    let Some(api_command) = root.find_subcommand(api) else {
        return Ok(Rewritten::unchanged(args));
    };
    // The command's words, after the API's options (`--os-cloud prod`) and the tool's.
    let mut start = at + 1;
    while let Some(word) = text.get(start).filter(|w| w.starts_with('-')) {
        start += 1 + usize::from(takes_value(&[api_command, root], word));
    }
    let after = &text[start.min(text.len())..];
    let Some(command) = PYTHON_COMMANDS.iter().find(|s| {
        s.api == api
            && s.words.len() <= after.len()
            && s.words.iter().zip(after).all(|(w, a)| *w == *a)
    }) else {
        return Ok(Rewritten::unchanged(args));
    };
    let rest = &args[start + command.words.len()..];
    let mut translation = Translation::new(command, root, api_command);
    translation.read(rest)?;
    let prefix: Vec<OsString> = args[..start].to_vec();
    translation.finish(prefix)
}

/// The arguments after a Python CLI command's words, as they are read.
struct Translation<'a> {
    command: &'static PythonCommand,
    /// The generated command, the API's and the tool's: which options take values.
    commands: Vec<&'a Command>,
    options: Vec<OsString>,
    body: Option<Value>,
    detail: bool,
    each: Option<(&'static str, Vec<OsString>)>,
    patch: Option<(&'static [&'static str], Vec<String>)>,
    format: Option<String>,
    columns: Vec<String>,
    noindent: bool,
    monasca_json: bool,
    /// The tool's own `-o` was given: `-c` is the tool's too, unless `-f` is given.
    tool_output: bool,
}

impl<'a> Translation<'a> {
    fn new(command: &'static PythonCommand, root: &'a Command, api: &'a Command) -> Self {
        let mut commands = Vec::new();
        for name in [
            command.operation,
            command.detail.unwrap_or(command.operation),
        ] {
            if let Some(generated) = api.find_subcommand(crate::names::kebab(name)) {
                commands.push(generated);
            }
        }
        commands.extend([api, root]);
        Translation {
            command,
            commands,
            options: Vec::new(),
            body: command
                .body
                .map(|text| serde_json::from_str(text).expect("the table's bodies are JSON")),
            detail: false,
            each: None,
            patch: None,
            format: None,
            columns: Vec::new(),
            noindent: false,
            monasca_json: false,
            tool_output: false,
        }
    }

    fn read(&mut self, rest: &[OsString]) -> anyhow::Result<()> {
        let mut positionals = self.command.positionals.iter();
        let mut at = 0;
        while at < rest.len() {
            let arg = &rest[at];
            let word = arg.to_str().unwrap_or("");
            at += 1;
            if word.starts_with('-') && word.len() > 1 && !is_negative_number(word) {
                let (name, inline) = match word.split_once('=') {
                    Some((name, value)) if word.starts_with("--") => (name, Some(value)),
                    _ => (word, None),
                };
                let mut value = |what: &str| -> anyhow::Result<String> {
                    if let Some(value) = inline {
                        return Ok(value.to_string());
                    }
                    let value = rest
                        .get(at)
                        .and_then(|v| v.to_str())
                        .ok_or_else(|| Usage(format!("{what} needs a value")))?;
                    at += 1;
                    Ok(value.to_string())
                };
                self.option(name, &mut value, arg)?;
                // A pass-through option's value follows it.
                if self.passed_through(arg) && inline.is_none() && takes_value(&self.commands, name)
                {
                    if let Some(value) = rest.get(at) {
                        self.options.push(value.clone());
                        at += 1;
                    }
                }
            } else if let Some((_, values)) = &mut self.each {
                values.push(arg.clone());
            } else if let Some((_, items)) = &mut self.patch {
                items.push(word.to_string());
            } else if let Some(positional) = positionals.next() {
                self.positional(*positional, arg)?;
            } else {
                // clap names what is too many.
                self.options.push(arg.clone());
            }
        }
        Ok(())
    }

    /// Whether `arg` was just passed through unchanged.
    fn passed_through(&self, arg: &OsString) -> bool {
        self.options.last() == Some(arg)
    }

    fn option(
        &mut self,
        name: &str,
        value: &mut dyn FnMut(&str) -> anyhow::Result<String>,
        arg: &OsString,
    ) -> anyhow::Result<()> {
        let watcher = self.command.api == "watcher";
        match name {
            "--detail" if self.command.detail.is_some() => self.detail = true,
            "-f" | "--format" if watcher => self.format = Some(value(name)?),
            "-c" | "--column" if watcher => self.columns.push(value(name)?),
            "--noindent" if watcher => self.noindent = true,
            "-j" | "--json" if !watcher => self.monasca_json = true,
            "-o" | "--output" => {
                self.tool_output = true;
                self.options.push(arg.clone());
            }
            _ => match self.command.options.iter().find(|(from, _)| *from == name) {
                Some((_, spec)) => {
                    let given = if spec.takes_value() {
                        value(name)?
                    } else {
                        String::new()
                    };
                    self.apply(*spec, &given)?;
                }
                None => self.options.push(arg.clone()),
            },
        }
        Ok(())
    }

    fn positional(&mut self, spec: Arg, arg: &OsString) -> anyhow::Result<()> {
        match spec {
            Arg::Each(name) => self.each = Some((name, vec![arg.clone()])),
            Arg::Patch(keep_text) => {
                let op = arg.to_str().unwrap_or("");
                if !matches!(op, "add" | "replace" | "remove") {
                    return Err(Usage(format!(
                        "{op:?} is not an operation: add, replace or remove"
                    ))
                    .into());
                }
                self.patch = Some((keep_text, vec![op.to_string()]));
            }
            Arg::Opt(name) => {
                // A value may be anything, even one that starts with `-`.
                let mut joined = OsString::from(format!("--{name}="));
                joined.push(arg);
                self.options.push(joined);
            }
            other => {
                let text = arg
                    .to_str()
                    .ok_or_else(|| Usage(format!("{arg:?} is not valid UTF-8")))?;
                self.apply(other, text)?;
            }
        }
        Ok(())
    }

    fn apply(&mut self, spec: Arg, value: &str) -> anyhow::Result<()> {
        match spec {
            Arg::Opt(name) => self.options.push(format!("--{name}={value}").into()),
            Arg::Flag(name) => self.options.push(format!("--{name}=true").into()),
            Arg::StartTime(name) => {
                let time = values::start_time(value, std::time::SystemTime::now())?;
                self.options.push(format!("--{name}={time}").into());
            }
            Arg::Body(field, shape) => {
                let body = self
                    .body
                    .get_or_insert_with(|| Value::Object(Default::default()));
                values::set(body, field, shape, value)?;
            }
            Arg::Each(name) => self.options.push(format!("--{name}={value}").into()),
            Arg::Patch(_) => {}
        }
        Ok(())
    }

    fn finish(mut self, prefix: Vec<OsString>) -> anyhow::Result<Rewritten> {
        if let Some((keep_text, items)) = self.patch.take() {
            let (op, attributes) = items.split_first().expect("the operation comes first");
            self.body = Some(values::json_patch(op, attributes, keep_text)?);
        }
        let operation = match self.command.detail {
            Some(detailed) if self.detail => detailed,
            _ => self.command.operation,
        };
        let output = self.output()?;
        if output.is_none() {
            // The tool's own columns, for its own `-o`.
            for column in std::mem::take(&mut self.columns) {
                self.options.push("-c".into());
                self.options.push(column.into());
            }
        }
        let mut line = prefix;
        line.push(crate::names::kebab(operation).into());
        line.append(&mut self.options);
        if self.body.is_some() {
            line.push("--json-body".into());
            line.push(crate::input::MEMORY_BODY.into());
        }
        let lines = match self.each {
            Some((name, ids)) => ids
                .into_iter()
                .map(|id| {
                    let mut each = line.clone();
                    let mut option = OsString::from(format!("--{name}="));
                    option.push(id);
                    each.push(option);
                    each
                })
                .collect(),
            None => vec![line],
        };
        Ok(Rewritten {
            lines,
            body: self.body,
            output,
        })
    }

    /// cliff's output for `-f` or `-c`; monascaclient's for `-j`.
    fn output(&self) -> anyhow::Result<Option<cliff::Output>> {
        if self.monasca_json {
            return Ok(Some(cliff::Output::MonascaJson));
        }
        if self.format.is_none() && (self.columns.is_empty() || self.tool_output) {
            return Ok(None);
        }
        let view = if self.detail {
            self.command.detail_view
        } else {
            self.command.view
        };
        let Some(view) = view else {
            return Err(Usage(format!(
                "watcher {} shows nothing: it takes no -f or -c",
                self.command.words.join(" ")
            ))
            .into());
        };
        let format = self.format.as_deref().unwrap_or("table");
        Ok(Some(cliff::Output::cliff(
            view,
            format,
            &self.columns,
            self.noindent,
        )?))
    }
}

/// `line`, split at spaces, after `rewrite`: how the tests of a command-line rewrite read.
#[cfg(test)]
pub(crate) fn rewritten(rewrite: fn(Vec<OsString>) -> Vec<OsString>, line: &str) -> String {
    let args = line.split(' ').map(OsString::from).collect();
    rewrite(args)
        .iter()
        .map(|a| a.to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests;
