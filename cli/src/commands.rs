//! The command tree: the tool's options, one subcommand per API holding its generated commands
//! (named after their operation ids, in kebab case, with the Python CLIs' names as aliases), and
//! the commands written by hand: `completion`, `sensu configure`, `sensu logout`, `sensu sandbox`,
//! sensuctl's resource file commands (`files.rs`), `monasca metric-create` and
//! `watcher cancel-action-plan`.

use std::time::Duration;

use clap::parser::ValueSource;
use clap::{Arg, ArgAction, ArgMatches, Command};

use crate::generated;
use crate::names::kebab;
use crate::output::Format;
use crate::python_cli;

/// The generated command whose operation id is `name` in kebab case.
pub fn find<C: Copy>(
    mut commands: impl Iterator<Item = C>,
    operation_id: impl Fn(&C) -> &'static str,
    name: &str,
) -> C {
    commands
        .find(|c| kebab(operation_id(c)) == name)
        .expect("clap only accepts known commands")
}

fn duration(text: &str) -> Result<Duration, String> {
    let (number, unit) = text
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .map_or((text, "s"), |i| text.split_at(i));
    let number: f64 = number
        .parse()
        .map_err(|_| format!("{text:?} is not a duration"))?;
    let seconds = match unit {
        "ms" => number / 1000.0,
        "s" => number,
        "m" => number * 60.0,
        "h" => number * 3600.0,
        _ => return Err(format!("{text:?}: the unit is ms, s, m or h")),
    };
    Duration::try_from_secs_f64(seconds).map_err(|_| format!("{text:?} is not a duration"))
}

/// Header and query arguments that carry secrets: read from the environment, never given on
/// the command line.
const SECRET_ARGS: &[(&str, &str)] = &[
    ("x-subject-token", "OS_SUBJECT_TOKEN"),
    // A Sensu API key is its own name: the key a command acts on is a secret too.
    ("apikey", "SENSU_TARGET_API_KEY"),
];

/// Adapts a generated command: its name, its Python CLI aliases, boolean options that may stand
/// alone, Sensu's default namespace, and secrets from the environment.
fn adapt(api: &str, operation_id: &str, command: Command) -> Command {
    let name = kebab(operation_id);
    let mut command = command
        .name(name.clone())
        .visible_aliases(python_cli::aliases(api, operation_id))
        .mut_args(value_optional_if_boolean);
    let args: Vec<String> = command
        .get_arguments()
        .map(|a| a.get_id().to_string())
        .collect();
    if api == "sensu" && args.iter().any(|a| a == "namespace") {
        command = command.mut_arg("namespace", |a| {
            a.required(false)
                .env("SENSU_NAMESPACE")
                .default_value("default")
        });
    }
    if api == "monasca" {
        for option in crate::dimensions::FILTER_OPTIONS {
            if args.iter().any(|a| a == option) {
                command = command.mut_arg(*option, |a| a.help(crate::dimensions::FILTER_HELP));
            }
        }
    }
    for (secret, variable) in SECRET_ARGS {
        if args.iter().any(|a| a == secret) {
            command = command.mut_arg(*secret, |a| {
                a.required(false)
                    .env(*variable)
                    .hide_env_values(true)
                    .help(format!(
                        "Read from {variable}; never give it on the command line"
                    ))
            });
        }
    }
    command
}

/// A boolean option given alone means true (`--publish`), as the seed tools' flags do;
/// `--publish false` still says false.
fn value_optional_if_boolean(arg: Arg) -> Arg {
    let boolean = arg.get_value_parser().type_id() == std::any::TypeId::of::<bool>();
    if boolean && matches!(arg.get_action(), ArgAction::Set) {
        arg.num_args(0..=1).default_missing_value("true")
    } else {
        arg
    }
}

/// The option of an API's subcommand that asks for its overview.
pub const OVERVIEW: &str = "overview";

/// An API's subcommand: its generated commands, adapted, and the commands written by hand for
/// it. Its `-h` is the overview (`overview.rs`), printed by `main`, as is the overview on
/// standard error when no command is given; `--help` is clap's full reference.
pub fn api(
    name: &'static str,
    about: &'static str,
    commands: impl Iterator<Item = (&'static str, Command)>,
) -> Command {
    Command::new(name)
        .about(about)
        .disable_help_flag(true)
        .arg(
            Arg::new(OVERVIEW)
                .short('h')
                .action(ArgAction::SetTrue)
                .help("Print how to connect and the commands by resource (--help: every option)"),
        )
        .arg(
            Arg::new("help")
                .long("help")
                .action(ArgAction::HelpLong)
                .help("Print every command and option"),
        )
        .subcommands(commands.map(|(id, command)| adapt(name, id, command)))
        .subcommands(own_commands(name))
        .subcommand(crate::drift::command(name))
        .mut_subcommands(with_help)
}

/// A command's own `-h` and `--help`, as clap makes them: turning off the API's help flag
/// turns off its commands' too.
fn with_help(command: Command) -> Command {
    command.arg(
        Arg::new("help")
            .short('h')
            .long("help")
            .action(ArgAction::Help)
            .help("Print help (see more with '--help')"),
    )
}

/// The commands written by hand for an API, beside its generated ones.
fn own_commands(api: &str) -> Vec<Command> {
    match api {
        "sensu" => {
            let mut commands = vec![
                crate::sensu_session::configure_command(),
                crate::sensu_session::logout_command(),
                Command::new("sandbox")
                .about("Serves the in-process Sensu sandbox until interrupted, to test scripts against")
                .long_about(format!(
                    "`opsclient sensu sandbox` serves an in-process Sensu backend on \
                     http://127.0.0.1:8080 (--port for another) until interrupted, with user {} and \
                     password {}: point SENSU_API_URL at it to try commands and scripts.",
                    opsclient_sandbox::Sandbox::DEFAULT_USERNAME,
                    opsclient_sandbox::Sandbox::DEFAULT_PASSWORD
                ))
                .arg(
                    Arg::new("port")
                        .long("port")
                        .value_parser(clap::value_parser!(u16))
                        .default_value("8080")
                        .help("The port on 127.0.0.1"),
                ),
            ];
            commands.extend(crate::files::commands());
            commands
        }
        "monasca" => vec![metric_create_command()],
        "watcher" => vec![Command::new("cancel-action-plan")
            .about("Cancels an action plan, as watcherclient's actionplan cancel: CANCELLING while it runs, CANCELLED otherwise")
            .arg(
                Arg::new("actionplan-ident")
                    .long("actionplan-ident")
                    .required(true)
                    .help("The action plan's UUID"),
            )],
        _ => Vec::new(),
    }
}

/// The command tree with `namespace` as the default `--namespace` of the Sensu commands (a
/// profile's namespace, below `--namespace` and `SENSU_NAMESPACE`).
pub fn root_with_sensu_namespace(namespace: &str) -> Command {
    root().mut_subcommand("sensu", |mut sensu| {
        let names: Vec<String> = sensu
            .get_subcommands()
            .filter(|c| c.get_arguments().any(|a| a.get_id() == "namespace"))
            .map(|c| c.get_name().to_string())
            .collect();
        for name in names {
            sensu = sensu.mut_subcommand(name, |c| {
                c.mut_arg("namespace", |a| a.default_value(namespace.to_string()))
            });
        }
        sensu
    })
}

/// Every command of the tool.
pub fn root() -> Command {
    Command::new("opsclient")
        .about("One command-line tool for Sensu Go, OpenStack Watcher and Monasca, and saltant")
        .version(env!("CARGO_PKG_VERSION"))
        .after_long_help(exit_statuses())
        .subcommand_required(true)
        .arg_required_else_help(true)
        .arg(
            Arg::new("output")
                .short('o')
                .long("output")
                .global(true)
                .value_parser(clap::value_parser!(Format))
                .help("json (the default off a terminal), yaml, table (the default on a terminal) or value"),
        )
        .arg(
            Arg::new("column")
                .short('c')
                .long("column")
                .global(true)
                .action(ArgAction::Append)
                .help("A column to show, by its header (e.g. last-seen) or a dotted field path (e.g. metadata.name); repeatable"),
        )
        .arg(
            Arg::new("all")
                .long("all")
                .global(true)
                .action(ArgAction::SetTrue)
                .help("Read every page of a list"),
        )
        .arg(
            Arg::new("page-size")
                .long("page-size")
                .global(true)
                .value_parser(clap::value_parser!(u64))
                .default_value("100")
                .help("Items per page with --all"),
        )
        .arg(
            Arg::new("debug")
                .long("debug")
                .global(true)
                .action(ArgAction::SetTrue)
                .help("Print each request and its status on standard error (secrets never shown)"),
        )
        .arg(
            Arg::new("wait")
                .long("wait")
                .global(true)
                .action(ArgAction::SetTrue)
                .help("Wait for a created audit, a started action plan or a task instance to finish"),
        )
        .arg(
            Arg::new("wait-timeout")
                .long("wait-timeout")
                .global(true)
                .value_parser(duration)
                .default_value("10m")
                .help("How long --wait waits"),
        )
        .arg(
            Arg::new("insecure")
                .long("insecure")
                .global(true)
                .action(ArgAction::SetTrue)
                .help("Do not verify the server's TLS certificate (logged as a warning)"),
        )
        .arg(
            Arg::new("proxy")
                .long("proxy")
                .global(true)
                .value_name("URL")
                .help(
                    "Send every request through this HTTP proxy, over HTTPS_PROXY and HTTP_PROXY \
                     (a proxy that needs a password: give it in HTTPS_PROXY or clouds.yaml's proxy)",
                ),
        )
        .arg(
            Arg::new("no-proxy")
                .long("no-proxy")
                .global(true)
                .action(ArgAction::SetTrue)
                .conflicts_with("proxy")
                .help("Connect directly, whatever HTTPS_PROXY and HTTP_PROXY say"),
        )
        .arg(
            Arg::new("url")
                .long("url")
                .help("The server's URL, over any configuration (for OpenStack: the service endpoint)"),
        )
        .arg(
            Arg::new("timeout")
                .long("timeout")
                .value_parser(duration)
                .help("How long a call may take, retries included (e.g. 30s)"),
        )
        .subcommands(generated::api_commands())
        .subcommand(
            Command::new("completion")
                .about("Prints a shell completion script")
                .arg(
                    Arg::new("shell")
                        .required(true)
                        .help("The shell to complete in")
                        .value_parser(clap::value_parser!(clap_complete::Shell)),
                ),
        )
}

/// The exit statuses, for `--help`.
fn exit_statuses() -> String {
    let mut text = String::from("Exit statuses:\n");
    for (status, meaning) in crate::exit::STATUSES {
        text.push_str(&format!("  {status:>2}  {meaning}\n"));
    }
    text
}

/// Whether the option `id` is a secret refused on the command line.
pub fn is_refused_on_command_line(id: &str) -> bool {
    SECRET_ARGS.iter().any(|(secret, _)| *secret == id)
}

/// Refuses a secret given on the command line (where `ps` shows it).
pub fn refuse_secrets_in_arguments(matches: &ArgMatches) -> anyhow::Result<()> {
    for arg in matches.ids() {
        let id = arg.as_str();
        if is_refused_on_command_line(id)
            && matches.value_source(id) == Some(ValueSource::CommandLine)
        {
            let variable = SECRET_ARGS
                .iter()
                .find(|(secret, _)| *secret == id)
                .map_or("the environment", |(_, v)| v);
            return Err(crate::exit::Usage(format!(
                "--{id} is a secret: give it in {variable}, not on the command line"
            ))
            .into());
        }
    }
    Ok(())
}

/// `opsclient completion SHELL`: the completion script of the whole command tree.
pub fn completion(matches: &ArgMatches) -> anyhow::Result<()> {
    let shell = *matches
        .get_one::<clap_complete::Shell>("shell")
        .expect("required");
    clap_complete::generate(shell, &mut root(), "opsclient", &mut std::io::stdout());
    Ok(())
}

/// `opsclient sensu sandbox`: serves the sandbox on 127.0.0.1 until Ctrl-C.
pub async fn sandbox(matches: &ArgMatches) -> anyhow::Result<()> {
    use opsclient_sandbox::Sandbox;
    let port = *matches.get_one::<u16>("port").expect("has a default");
    let sandbox = Sandbox::builder().port(port).start().await?;
    eprintln!(
        "Sensu sandbox on {} (user {}, password {}); Ctrl-C stops it",
        sandbox.url(),
        Sandbox::DEFAULT_USERNAME,
        Sandbox::DEFAULT_PASSWORD
    );
    tokio::signal::ctrl_c().await?;
    Ok(())
}

fn metric_create_command() -> Command {
    Command::new("metric-create")
        .about("Posts one metric, as monascaclient's metric-create")
        .arg(Arg::new("name").required(true).help("The metric's name"))
        .arg(
            Arg::new("value")
                .required(true)
                .value_parser(clap::value_parser!(f64))
                .help("The value"),
        )
        .arg(
            Arg::new("dimensions")
                .long("dimensions")
                .action(ArgAction::Append)
                .help("Dimensions as key=value,key=value, or one key=value per option"),
        )
        .arg(
            Arg::new("value-meta")
                .long("value-meta")
                .action(ArgAction::Append)
                .help("Text about the value as key=value,key=value, or one key=value per option"),
        )
        .arg(
            Arg::new("time")
                .long("time")
                .value_parser(clap::value_parser!(u64))
                .help("When it was measured, in milliseconds since 1970 (now if not given)"),
        )
}

/// The `key=value` pairs of a repeatable option, read as monascaclient reads them.
fn pairs(matches: &ArgMatches, id: &str) -> anyhow::Result<Vec<(String, String)>> {
    let values: Vec<&str> = matches
        .get_many::<String>(id)
        .map(|v| v.map(String::as_str).collect())
        .unwrap_or_default();
    crate::dimensions::pairs(&values)
        .into_iter()
        .map(|(key, value)| {
            value
                .map(|v| (key.to_string(), v.to_string()))
                .ok_or_else(|| anyhow::anyhow!("{key:?} is not key=value"))
        })
        .collect()
}

/// `opsclient monasca metric-create NAME VALUE`, as monascaclient's: one metric from its
/// positional name and value and `key=value` lists.
pub async fn metric_create(
    client: &opsclient::monasca::Client,
    matches: &ArgMatches,
) -> anyhow::Result<()> {
    let name = matches.get_one::<String>("name").expect("required");
    let value = *matches.get_one::<f64>("value").expect("required");
    let mut metric = opsclient::monasca::metric(name, value);
    for (k, v) in pairs(matches, "dimensions")? {
        metric = metric.dimension(k, v);
    }
    for (k, v) in pairs(matches, "value-meta")? {
        metric = metric.value_meta(k, v);
    }
    if let Some(ms) = matches.get_one::<u64>("time") {
        metric = metric.at(std::time::UNIX_EPOCH + Duration::from_millis(*ms));
    }
    client.create_metrics().body(metric).send().await?;
    // Standard output stays empty, as the API answers nothing; the operator is told.
    eprintln!("metric {name:?} created");
    Ok(())
}

/// `opsclient watcher cancel-action-plan --actionplan-ident UUID`: the plan as it is after.
pub async fn cancel_action_plan(
    client: &opsclient::watcher::Client,
    matches: &ArgMatches,
    printer: &crate::output::Printer,
) -> anyhow::Result<()> {
    let plan = matches
        .get_one::<String>("actionplan-ident")
        .expect("required");
    let cancelled = client.cancel_action_plan(plan).await?;
    printer.print("ActionPlan", serde_json::to_value(cancelled)?);
    printer.printed().check()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_tree_is_valid() {
        root().debug_assert();
    }

    #[test]
    fn durations_are_one_number_and_one_unit() {
        assert!(duration("1m30s").is_err());
        assert_eq!(duration("90s").unwrap(), Duration::from_secs(90));
        assert_eq!(duration("10m").unwrap(), Duration::from_secs(600));
    }
}
