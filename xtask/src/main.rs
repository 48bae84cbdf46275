//! Project chores: `cargo xtask <command>`.

mod bench;
mod checkout;
mod mutants;
mod servers;

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
    /// Changes to the OpenAPI documents.
    #[command(subcommand)]
    Spec(SpecChore),
    /// Runs everything CI runs: spec check, formatting, clippy, the real OpenStack servers, all
    /// tests, docs and the tour. Servers this run starts are stopped at the end, also when a
    /// step failed.
    Test {
        /// Leave the real servers out: their tests then report that they were skipped.
        #[arg(long)]
        no_servers: bool,
    },
    /// Real Keystone, Watcher and Monasca on 127.0.0.1 for the integration tests.
    Servers(servers::ServersArgs),
    /// Runs the benchmarks in release mode: each scenario's ways side by side in interleaved
    /// rounds, with medians, spreads and ratios; results are appended to
    /// `target/bench/results.jsonl`.
    Bench {
        /// Rounds per scenario.
        #[arg(long, default_value_t = 50)]
        rounds: usize,
        /// Also count each way's instructions with valgrind (callgrind), which does not vary
        /// with the machine's load.
        #[arg(long)]
        instructions: bool,
        /// Leave out the cold build and the rebuild after a one-line spec change (minutes).
        #[arg(long)]
        no_build_times: bool,
        /// The HTTP scenarios with gzipped answers, accepted and decoded by every way.
        #[arg(long)]
        compression: bool,
    },
    /// Mutation testing of the hand-written core with `cargo mutants` (install it with `cargo
    /// install cargo-mutants`): each module's mutants against the test targets that exercise
    /// it, in a copy of the checkout. Counts go to `target/mutants/results.txt`. Not part of
    /// `test`: a module takes from minutes to hours.
    Mutants {
        /// Modules to mutate (all when none): auth, retry, endpoint, paging, oidc, sensu-auth,
        /// saltant-auth, login, transport, openstack-auth.
        modules: Vec<String>,
        /// Only this shard of each module's mutants, as `K/N` (K counts from 0).
        #[arg(long)]
        shard: Option<String>,
        /// List the mutants instead of testing them.
        #[arg(long)]
        list: bool,
        /// Test only what the module's previous run did not catch, and count its caught
        /// mutants with this run's: the way to confirm that new tests kill the missed ones.
        #[arg(long)]
        iterate: bool,
    },
}

#[derive(Subcommand)]
enum SpecChore {
    /// Applies an OpenAPI Overlay 1.0 document (such as `opsclient <api> drift --overlay`
    /// writes) to `openapi/<api>.yaml`, keeping its order and comments where it can; then runs
    /// the spec check and shows the surface-snapshot diff to review.
    ApplyOverlay {
        /// The API: sensu, keystone, watcher, monasca or saltant.
        api: String,
        /// The overlay, YAML or JSON.
        file: PathBuf,
        /// Leave out the surface snapshots (they build the library's tests).
        #[arg(long)]
        no_snapshots: bool,
    },
}

fn main() -> ExitCode {
    let root = workspace_root();
    let outcome = match Cli::parse().command {
        Chore::SpecCheck => spec_check(&root),
        Chore::Spec(SpecChore::ApplyOverlay {
            api,
            file,
            no_snapshots,
        }) => apply_overlay(&root, &api, &file, !no_snapshots),
        Chore::Test { no_servers } => test(&root, !no_servers),
        Chore::Servers(args) => servers::run(&root, args),
        Chore::Bench {
            rounds,
            instructions,
            no_build_times,
            compression,
        } => bench::run(&root, rounds, instructions, !no_build_times, compression),
        Chore::Mutants {
            modules,
            shard,
            list,
            iterate,
        } => mutants::run(&root, &modules, shard.as_deref(), list, iterate),
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

/// `cargo xtask spec apply-overlay`: the overlay into the document, then the spec check and the
/// surface snapshot's diff.
fn apply_overlay(root: &Path, api: &str, file: &Path, snapshots: bool) -> Result<(), String> {
    let known = || {
        opsclient_codegen::APIS
            .iter()
            .map(|a| a.name)
            .collect::<Vec<_>>()
            .join(", ")
    };
    let spec = opsclient_codegen::APIS
        .iter()
        .find(|a| a.name == api || a.cli.name == api)
        .ok_or_else(|| format!("no API {api:?}; the APIs are {}", known()))?;
    let document_file = root.join(spec.spec);
    let document = std::fs::read_to_string(&document_file)
        .map_err(|e| format!("{}: {e}", document_file.display()))?;
    let overlay = std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?;
    let applied = opsclient_codegen::overlay::apply_to_yaml(&document, &overlay)?;
    std::fs::write(&document_file, &applied.text)
        .map_err(|e| format!("{}: {e}", document_file.display()))?;
    for (target, matched) in &applied.actions {
        println!("applied {target} ({matched} place(s))");
    }
    if applied.comments_kept {
        println!(
            "{}: additions written in place; order and comments kept",
            spec.spec
        );
    } else {
        println!(
            "{}: written whole from the result (an action removes or changes a value, or edits a \
             flow mapping): its comments are lost; restore them from git before committing",
            spec.spec
        );
    }
    spec_check(root)?;
    if !snapshots {
        return Ok(());
    }
    println!("==> surface snapshot of {}", spec.name);
    // The snapshot is rewritten to the new surface, then shown against the committed one.
    let status = Command::new(env!("CARGO"))
        .current_dir(root)
        .env("INSTA_UPDATE", "always")
        .args([
            "test",
            "-p",
            "opsclient",
            "--all-features",
            "--test",
            "behaviour",
            "surface",
        ])
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !status.success() {
        println!("(the surface tests fail until the new snapshot is reviewed and committed)");
    }
    let snapshot = format!("tests/snapshots/{}_surface.snap", spec.name);
    Command::new("git")
        .current_dir(root)
        .args(["--no-pager", "diff", "--stat", "--", spec.spec, &snapshot])
        .status()
        .map_err(|e| format!("cannot run git: {e}"))?;
    Command::new("git")
        .current_dir(root)
        .args(["--no-pager", "diff", "--", &snapshot])
        .status()
        .map_err(|e| format!("cannot run git: {e}"))?;
    println!(
        "review the diff above; `cargo build` then generates the new types. Commit {} and \
         {snapshot} together, or `git checkout -- {} {snapshot}` to drop them.",
        spec.spec, spec.spec
    );
    Ok(())
}

/// The full run: spec check, formatting and clippy, then the real servers (unless left out),
/// tests, docs and the tour; servers this run started are stopped at the end, also after a
/// failed step.
fn test(root: &Path, with_servers: bool) -> Result<(), String> {
    spec_check(root)?;
    // Lints first: a formatting slip fails in seconds, before any server starts.
    cargo_steps(root, LINTS)?;
    feature_matrix(root)?;
    if !with_servers {
        println!(
            "==> servers: left out (--no-servers); their tests skip unless servers already run"
        );
        return cargo_steps(root, CHECKS).map(|()| println!("==> all checks passed"));
    }
    println!("==> servers: cargo xtask servers up");
    let clock = std::time::Instant::now();
    let started = servers::up_for_tests(root)?;
    // One line CI logs can be searched for, besides up's per-server times.
    println!("servers up in {:.1} s", clock.elapsed().as_secs_f64());
    // The steps' cargo runs inherit it: the real-server tests must run now, and fail (not skip)
    // when env.json is missing or unreadable or a server does not answer.
    std::env::set_var("OPSCLIENT_REAL_SERVERS", "required");
    let outcome = cargo_steps(root, CHECKS);
    if !started.is_empty() {
        println!(
            "==> servers: stopping the {} this run started",
            started.len()
        );
        if let Err(problem) = servers::down_after_tests(root, &started) {
            // The checks' outcome matters more; a failed stop is reported with it.
            eprintln!("xtask: stopping the servers: {problem}");
        }
    }
    outcome.map(|()| println!("==> all checks passed"))
}

/// A named `cargo` invocation of the full run.
type Step = (&'static str, &'static [&'static str]);

/// Run before the servers start.
const LINTS: &[Step] = &[
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
];

/// The library's features: each API's, from the table of APIs, and the drift check.
fn features() -> Vec<&'static str> {
    let mut features = opsclient_codegen::features();
    features.push("drift");
    features
}

/// Builds the library with no feature and with each feature alone, without warnings.
fn feature_matrix(root: &Path) -> Result<(), String> {
    fn lint<'a>(features: &[&'a str]) -> Vec<&'a str> {
        let mut args = vec![
            "clippy",
            "--quiet",
            "--package",
            "opsclient",
            "--lib",
            "--no-default-features",
        ];
        if !features.is_empty() {
            args.push("--features");
            args.extend(features);
        }
        args.extend(["--", "-D", "warnings"]);
        args
    }
    let mut sets: Vec<Vec<&str>> = vec![vec![]];
    sets.extend(features().into_iter().map(|f| vec![f]));
    for set in sets {
        let name = match set.as_slice() {
            [] => "features: none".to_string(),
            [one] => format!("features: {one}"),
            more => format!("features: {}", more.join(",")),
        };
        let args = lint(&set);
        println!("==> {name}: cargo {}", args.join(" "));
        let mut command = Command::new(env!("CARGO"));
        command.args(&args).current_dir(root);
        without_incremental(&mut command);
        let status = command
            .status()
            .map_err(|e| format!("cannot run cargo: {e}"))?;
        if !status.success() {
            return Err(format!("{name} failed"));
        }
    }
    Ok(())
}

/// Run after the lints, with the servers up unless they were left out.
const CHECKS: &[Step] = &[
    ("tests", &["test", "--workspace", "--all-features"]),
    (
        "docs",
        &["doc", "--workspace", "--all-features", "--no-deps"],
    ),
    // The README's first command, against the sandbox.
    // All features, so the tour reuses the test build instead of building the crate again.
    (
        "tour",
        &["run", "--quiet", "--all-features", "--example", "tour"],
    ),
];

/// A full run builds everything once: incremental data would only double the disk it
/// needs (CI's disk is small). A value the caller set is kept.
fn without_incremental(command: &mut Command) {
    if std::env::var_os("CARGO_INCREMENTAL").is_none() {
        command.env("CARGO_INCREMENTAL", "0");
    }
}

/// Runs `steps` in order; stops at the first failure.
fn cargo_steps(root: &Path, steps: &[Step]) -> Result<(), String> {
    for (name, args) in steps {
        println!("==> {name}: cargo {}", args.join(" "));
        let mut command = Command::new(env!("CARGO"));
        command.args(*args).current_dir(root);
        without_incremental(&mut command);
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
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The matrix builds every feature the library declares, and no other.
    #[test]
    fn the_feature_matrix_covers_every_feature_of_the_library() {
        let manifest = std::fs::read_to_string(workspace_root().join("Cargo.toml")).unwrap();
        let section = manifest
            .split("\n[features]\n")
            .nth(1)
            .and_then(|rest| rest.split("\n[").next())
            .expect("Cargo.toml has a [features] table");
        let mut declared: Vec<&str> = section
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| l.split_once('=').map(|(name, _)| name.trim()))
            .filter(|name| *name != "default")
            .collect();
        let mut matrix = features();
        declared.sort_unstable();
        matrix.sort_unstable();
        assert_eq!(declared, matrix);
    }
}
