//! Project chores: `cargo xtask <command>`.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(about = "opsclient's project chores")]
struct Cli {
    #[command(subcommand)]
    command: Chore,
}

#[derive(Subcommand)]
enum Chore {
    /// Checks every OpenAPI document: it parses, is 3.0.x, every operation has an id and a
    /// tag, and progenitor generates a client from it.
    SpecCheck,
    /// Runs everything CI runs: spec check, formatting, clippy, all tests, docs and the tour.
    Test,
}

fn main() -> ExitCode {
    let root = workspace_root();
    let outcome = match Cli::parse().command {
        Chore::SpecCheck => spec_check(&root),
        Chore::Test => test(&root),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
}

fn spec_check(root: &Path) -> Result<(), String> {
    let mut failed = 0;
    for api in opsclient_codegen::APIS {
        let outcome = opsclient_codegen::load(&root.join(api.spec))
            .and_then(|doc| opsclient_codegen::generate(api, &doc).map(|g| (doc, g)));
        match outcome {
            Ok((doc, generated)) => println!(
                "ok   {}: OpenAPI {}, {} operations, {} schemas, {} lines generated",
                api.spec,
                doc.spec.openapi,
                generated.operations.len(),
                doc.spec.components.as_ref().map_or(0, |c| c.schemas.len()),
                generated.code.lines().count()
            ),
            Err(problem) => {
                failed += 1;
                println!("FAIL {problem}");
            }
        }
    }
    match failed {
        0 => Ok(()),
        n => Err(format!("{n} document(s) failed the check")),
    }
}

fn test(root: &Path) -> Result<(), String> {
    spec_check(root)?;
    let steps: &[(&str, &[&str])] = &[
        ("formatting", &["fmt", "--all", "--", "--check"]),
        (
            "clippy",
            &[
                "clippy",
                "--workspace",
                "--all-targets",
                "--all-features",
                "--",
                "-D",
                "warnings",
            ],
        ),
        ("tests", &["test", "--workspace", "--all-features"]),
        (
            "docs",
            &["doc", "--workspace", "--all-features", "--no-deps"],
        ),
        // The README's first command, against the sandbox.
        ("tour", &["run", "--quiet", "--example", "tour"]),
    ];
    for (name, args) in steps {
        println!("==> {name}: cargo {}", args.join(" "));
        let mut command = Command::new(env!("CARGO"));
        command.args(*args).current_dir(root);
        if *name == "docs" {
            command.env("RUSTDOCFLAGS", "-D warnings");
        }
        if *name == "tour" {
            for variable in [
                "SENSU_API_URL",
                "SENSU_API_KEY",
                "SENSU_USERNAME",
                "SENSU_PASSWORD",
            ] {
                command.env_remove(variable);
            }
        }
        let status = command
            .status()
            .map_err(|e| format!("cannot run cargo: {e}"))?;
        if !status.success() {
            return Err(format!("{name} failed"));
        }
    }
    println!("==> all checks passed");
    Ok(())
}
