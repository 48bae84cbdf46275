//! `opsclient <api> drift`: the API's read-only operations against the configured server, each
//! answer checked against the document the tool was built from (`opsclient::drift`). A table
//! for people, `-o json` for CI, `--overlay FILE` for the OpenAPI Overlay that adds what was
//! found; the exit status says whether there was drift.

use clap::{Arg, ArgAction, ArgMatches, Command};

use crate::output::Format;

/// Drift was found: the report is printed, and the tool exits with [`STATUS`].
#[derive(Debug)]
pub struct Found(pub usize);

impl std::fmt::Display for Found {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "drift: {} difference(s) between the server and the document",
            self.0
        )
    }
}

impl std::error::Error for Found {}

/// The exit status when drift was found.
pub const STATUS: u8 = 11;

/// The `drift` command of an API.
pub fn command(api: &str) -> Command {
    let mut command = Command::new("drift")
        .about("Checks the server's answers against the document: read-only calls, never a write")
        .long_about(format!(
            "Calls every read-only operation of the {api} document against the configured server \
             (every list, every get on the first item of its list, the status, health and version \
             endpoints) and reports what the document does not say: undeclared properties, wrong \
             types, unexpected nulls, enum values, statuses and content types, operations the \
             server does not have, and newer API versions. Exits {STATUS} when it finds any."
        ))
        .arg(
            Arg::new("operations")
                .long("operations")
                .action(ArgAction::Append)
                .value_delimiter(',')
                .help("Only these operations (ids such as list-goals), comma-separated or repeated"),
        )
        .arg(
            Arg::new("overlay")
                .long("overlay")
                .value_name("FILE")
                .help("Write an OpenAPI Overlay 1.0 document that adds what was found (YAML; JSON if FILE ends in .json)"),
        );
    if api == "sensu" {
        command = command.arg(
            Arg::new("namespace")
                .long("namespace")
                .env("SENSU_NAMESPACE")
                .default_value("default")
                .help("The namespace whose resources are read"),
        );
    }
    command
}

/// Runs `opsclient <api> drift`.
pub async fn run(
    api: &str,
    api_matches: &ArgMatches,
    matches: &ArgMatches,
    overrides: &crate::connect::Overrides,
    format: Option<Format>,
) -> anyhow::Result<()> {
    let mut options = opsclient::drift::Options {
        operations: matches
            .get_many::<String>("operations")
            .map(|ids| ids.cloned().collect())
            .unwrap_or_default(),
        ..Default::default()
    };
    if let Some(namespace) = matches.try_get_one::<String>("namespace").ok().flatten() {
        options
            .parameters
            .insert("namespace".into(), namespace.clone());
    }
    let report = crate::generated::drift(api, api_matches, overrides, &options).await?;
    match format.unwrap_or_else(Format::default_for_stdout) {
        Format::Json => println!("{}", serde_json::to_string_pretty(&report)?),
        Format::Yaml => print!("{}", serde_yaml_ng::to_string(&report)?),
        Format::Table | Format::Value => print!("{report}"),
    }
    if let Some(file) = matches.get_one::<String>("overlay") {
        let overlay = report.overlay();
        let text = if file.ends_with(".json") {
            serde_json::to_string_pretty(&overlay)? + "\n"
        } else {
            serde_yaml_ng::to_string(&overlay)?
        };
        std::fs::write(file, text)
            .map_err(|e| anyhow::anyhow!("cannot write the overlay to {file}: {e}"))?;
        eprintln!("overlay written to {file}");
    }
    match report.findings.len() {
        0 => Ok(()),
        n => Err(Found(n).into()),
    }
}
