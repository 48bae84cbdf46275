//! Generates, from the table of APIs (`opsclient_codegen::APIS`) and each API's document in
//! `openapi/`: each API's commands on the library's client, and the code that puts them in the
//! command tree, connects and runs them (`cli_apis.rs`, included by `src/generated.rs`).

use std::fmt::Write as _;
use std::path::PathBuf;

use opsclient_codegen::{Api, Columns, Connect, APIS};

fn main() {
    let root =
        PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo")).join("..");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("set by cargo"));
    println!("cargo:rerun-if-changed=build.rs");
    let mut tags = Vec::new();
    let mut secrets = Vec::new();
    for api in APIS {
        let spec = root.join(api.spec);
        println!("cargo:rerun-if-changed={}", spec.display());
        let doc = opsclient_codegen::load(&spec).unwrap_or_else(|p| fail(&p.to_string()));
        let code = opsclient_codegen::generate_cli(api, &doc, &api.library_path())
            .unwrap_or_else(|p| fail(&p.to_string()));
        write(&out.join(format!("cli_{}.rs", api.name)), &code);
        secrets.extend(opsclient_codegen::secret_properties(&doc));
        for tag in &doc.spec.tags {
            tags.push((api.cli.name, tag.name.clone(), tag.description.clone()));
        }
    }
    let mut code = apis();
    code.push_str(&resources(&tags));
    code.push_str(&secret_properties(&secrets));
    write(&out.join("cli_apis.rs"), &code);
}

/// Each API's resource groups (its document's tags, in order), its operation table, and the
/// option that takes its next-page cursor.
fn resources(tags: &[(&str, String, Option<String>)]) -> String {
    let mut code = String::from(
        "\n/// Each API's resource groups, as its document's tags: (API, tag, description).\n\
         pub const TAGS: &[(&str, &str, &str)] = &[\n",
    );
    for (api, tag, description) in tags {
        let description = description.as_deref().unwrap_or_default();
        let _ = writeln!(code, "    ({api:?}, {tag:?}, {description:?}),");
    }
    code.push_str("];\n");

    code.push_str(
        "\n/// The operation table of the API `api`.\n\
         pub fn operations(api: &str) -> &'static [opsclient::operation::Operation] {\n    match api {\n",
    );
    for api in APIS {
        let _ = writeln!(
            code,
            "        {:?} => {}::operations(),",
            api.cli.name,
            api.library_path()
        );
    }
    code.push_str("        _ => &[],\n    }\n}\n");

    code.push_str(
        "\n/// The query parameter of each API's lists that takes the next page's cursor.\n\
         pub const CURSORS: &[(&str, &str)] = &[\n",
    );
    for api in APIS {
        if let Some(paging) = &api.paging {
            let _ = writeln!(code, "    ({:?}, {:?}),", api.cli.name, paging.cursor_param);
        }
    }
    code.push_str("];\n");
    code
}

/// The properties that hold a secret, by kind (schema name): never printed.
fn secret_properties(secrets: &[(String, Vec<String>)]) -> String {
    let mut code = String::from(
        "\n/// The properties of each kind that hold a secret (`format: password`): shown redacted.\n\
         pub const SECRET_PROPERTIES: &[(&str, &[&str])] = &[\n",
    );
    for (kind, properties) in secrets {
        let _ = writeln!(code, "    ({kind:?}, &{properties:?}),");
    }
    code.push_str("];\n");
    code
}

fn write(file: &std::path::Path, code: &str) {
    std::fs::write(file, code).unwrap_or_else(|e| fail(&format!("{}: {e}", file.display())));
}

/// The modules of generated commands, the `--wait` list, the tables, the API subcommands and
/// the dispatch to each API.
fn apis() -> String {
    let mut code = String::new();
    for api in APIS {
        let _ = writeln!(
            code,
            "/// The `{cli}` commands.\npub mod {name} {{\n    include!(concat!(env!(\"OUT_DIR\"), \"/cli_{name}.rs\"));\n}}",
            cli = api.cli.name,
            name = api.name,
        );
    }

    code.push_str("\n/// The operations `--wait` follows, by API (operation ids).\n");
    code.push_str("pub const WAITS: &[(&str, &str)] = &[\n");
    for api in APIS {
        for operation in api.cli.waits {
            let _ = writeln!(code, "    ({:?}, {operation:?}),", api.cli.name);
        }
    }
    code.push_str("];\n");

    code.push_str("\n/// The tables of resource kinds, as each API's own tool shows them.\n");
    code.push_str("pub const TABLES: &[crate::table::Table] = &[\n");
    for api in APIS {
        for table in api.cli.columns {
            code.push_str(&table_code(table));
        }
    }
    code.push_str("];\n");

    code.push_str(
        "\n/// Each API's subcommand: its generated commands, its own commands and its connection options.\n\
         pub fn api_commands() -> Vec<clap::Command> {\n    vec![\n",
    );
    for api in APIS {
        let args = match api.cli.connect {
            Connect::Own => format!("crate::connect::{}_args", api.cli.name),
            Connect::OpenStack { .. } => "crate::connect::openstack_args".to_string(),
        };
        let _ = writeln!(
            code,
            "        {args}(crate::commands::api({cli:?}, {about:?}, {name}::CliCommand::iter().map(|c| (c.operation_id(), {name}::Cli::<crate::output::Printer>::get_command(c))))),",
            cli = api.cli.name,
            about = api.cli.about,
            name = api.name,
        );
    }
    code.push_str("    ]\n}\n");

    code.push_str(
        "\n/// Runs the generated command `command` of the API `api`, then waits on what it started if\n\
         /// `--wait` asks; `executed` runs once the command succeeded, before any wait.\n\
         pub async fn run(\n    api: &str,\n    command: &str,\n    api_matches: &clap::ArgMatches,\n    command_matches: &clap::ArgMatches,\n    overrides: &crate::connect::Overrides,\n    printer: crate::output::Printer,\n    wait: &crate::wait::Wait,\n    executed: &dyn Fn(),\n) -> anyhow::Result<()> {\n    match api {\n",
    );
    for api in APIS {
        code.push_str(&dispatch(api));
    }
    code.push_str("        other => anyhow::bail!(\"unknown API {other}\"),\n    }\n}\n");

    code.push_str(
        "\n/// `opsclient <api> drift`: connects as the API's commands do and checks the server\n\
         /// against the document the tool was built from.\n\
         pub async fn drift(\n    api: &str,\n    api_matches: &clap::ArgMatches,\n    overrides: &crate::connect::Overrides,\n    options: &opsclient::drift::Options,\n) -> anyhow::Result<opsclient::drift::Report> {\n    match api {\n",
    );
    for api in APIS {
        code.push_str(&drift_arm(api));
    }
    code.push_str("        other => anyhow::bail!(\"unknown API {other}\"),\n    }\n}\n");

    let names: Vec<&str> = APIS.iter().map(|api| api.name).collect();
    let _ = writeln!(
        code,
        "\n/// Invokes the macro `$m` with every API's module name.\nmacro_rules! for_each_api {{\n    ($m:ident) => {{\n        $m!({});\n    }};\n}}\npub(crate) use for_each_api;",
        names.join(", ")
    );
    code
}

/// The code that connects to `api` as its commands do.
fn connection(api: &Api) -> String {
    match api.cli.connect {
        Connect::Own => format!(
            "crate::connect::{}(overrides, api_matches).await?",
            api.cli.name
        ),
        Connect::OpenStack { service } => format!(
            "{{\n                let cloud = crate::connect::cloud_connection(overrides, api_matches, {service:?}).await?;\n                let client = <{library}::Client as crate::connect::FromCloud>::from_cloud(&cloud.client).await?;\n                cloud.with_client(client)\n            }}",
            library = api.library_path(),
        ),
    }
}

/// One API's arm of `drift`.
fn drift_arm(api: &Api) -> String {
    format!(
        "        {cli:?} => {{\n            let connection = {connection};\n            let client = connection.client.clone();\n            let mut report = None;\n            let outcome = async {{\n                let document = opsclient::drift::Document::of::<{library}::Client>()?;\n                report = Some(opsclient::drift::check(&client, &document, options).await?);\n                anyhow::Ok(())\n            }}\n            .await;\n            connection.finish(outcome).await?;\n            report.ok_or_else(|| anyhow::anyhow!(\"the drift check gave no report\"))\n        }}\n",
        cli = api.cli.name,
        connection = connection(api),
        library = api.library_path(),
    )
}

/// One API's arm of `run`.
fn dispatch(api: &Api) -> String {
    let name = api.name;
    let connection = connection(api);
    let find = format!(
        "let cmd = crate::commands::find({name}::CliCommand::iter(), |c| c.operation_id(), command);"
    );
    // The command's outcome goes to the connection, which keeps what it must (a renewed
    // session) whether the command succeeded or not. An answer printed without a column `-c`
    // named is the command's failure; `executed` speaks once the command succeeded, before any
    // wait.
    let outcome = if api.cli.waits.is_empty() {
        "async {\n                cli.execute(cmd, command_matches).await?;\n                printed.check()?;\n                executed();\n                anyhow::Ok(())\n            }\n            .await".to_string()
    } else {
        format!(
            "async {{\n                cli.execute(cmd, command_matches).await?;\n                printed.check()?;\n                executed();\n                wait.{name}(&client, cmd.operation_id(), printed.last()).await\n            }}\n            .await"
        )
    };
    format!(
        "        {cli:?} => {{\n            let connection = {connection};\n            let client = connection.client.clone();\n            let printed = printer.printed();\n            let cli = {name}::Cli::new(client.clone(), printer);\n            {find}\n            let outcome = {outcome};\n            connection.finish(outcome).await\n        }}\n",
        cli = api.cli.name,
    )
}

/// One table, as the tool's `crate::table::Table`.
fn table_code(table: &Columns) -> String {
    let columns: Vec<String> = table
        .columns
        .iter()
        .map(|c| {
            format!(
                "crate::table::Column {{ header: {:?}, path: {:?}, show: crate::table::Show::{:?} }}",
                c.header, c.path, c.show
            )
        })
        .collect();
    format!(
        "    crate::table::Table {{ kinds: &{:?}, columns: &[{}], rows: crate::table::Rows::{:?} }},\n",
        table.kinds,
        columns.join(", "),
        table.rows
    )
}

fn fail(message: &str) -> ! {
    eprintln!("error: {message}");
    std::process::exit(1);
}
