//! `cargo xtask mutants`: mutation testing of the hand-written modules that decide security and
//! correctness, with `cargo mutants`.
//!
//! Each module is mutated in a copy of the checkout (`target/mutants/tree`, with a target
//! directory of its own), so the checkout is never changed and its builds are left alone. The
//! copy keeps its build between runs: a mutant then costs one incremental build of the library
//! and of the module's own test targets, not of the whole workspace.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A module under mutation: its files, and the tests that exercise it.
struct Module {
    name: &'static str,
    files: &'static [&'static str],
    /// The tests besides the library's unit tests: a test target of the `opsclient` package
    /// and a module of it (`("behaviour", "sensu::auth")` is `tests/behaviour/sensu/auth.rs`).
    tests: &'static [(&'static str, &'static str)],
    /// Whether its tests need the real servers of `cargo xtask servers up`.
    real_servers: bool,
}

/// The modules, in the order the issue that asked for mutation testing named them.
const MODULES: &[Module] = &[
    Module {
        name: "auth",
        files: &["src/auth/*.rs"],
        tests: &[
            ("behaviour", "sensu::auth"),
            ("behaviour", "openstack::auth"),
            ("behaviour", "saltant::client"),
            ("behaviour", "transport::hardening"),
        ],
        real_servers: false,
    },
    Module {
        name: "retry",
        files: &["src/retry.rs"],
        tests: &[
            ("behaviour", "transport::hardening"),
            ("behaviour", "transport::faults"),
        ],
        real_servers: false,
    },
    Module {
        name: "endpoint",
        files: &["src/endpoint.rs"],
        tests: &[
            ("behaviour", "transport::hardening"),
            ("behaviour", "openstack::login_config"),
            ("behaviour", "transport::tls"),
        ],
        real_servers: false,
    },
    Module {
        name: "paging",
        files: &["src/paging.rs"],
        tests: &[
            ("behaviour", "transport::hardening"),
            ("behaviour", "sensu::operations"),
            ("behaviour", "saltant::operations"),
        ],
        real_servers: false,
    },
    Module {
        name: "oidc",
        files: &["src/openstack/oidc.rs"],
        tests: &[
            ("behaviour", "openstack::login_config"),
            // The spans of its requests, and which provider token Keystone gets.
            ("behaviour", "transport::hardening"),
            ("real", "federation"),
        ],
        real_servers: true,
    },
    Module {
        name: "sensu-auth",
        files: &["src/sensu/auth.rs"],
        tests: &[("behaviour", "sensu::auth")],
        real_servers: false,
    },
    Module {
        name: "saltant-auth",
        files: &["src/saltant/auth.rs"],
        tests: &[("behaviour", "saltant::client")],
        real_servers: false,
    },
    Module {
        name: "login",
        files: &["src/login.rs"],
        tests: &[
            ("behaviour", "sensu::auth"),
            ("behaviour", "saltant::client"),
        ],
        real_servers: false,
    },
    Module {
        name: "transport",
        files: &["src/transport/*.rs"],
        tests: &[
            ("behaviour", "transport::hardening"),
            ("behaviour", "transport::faults"),
            ("behaviour", "transport::limits"),
            ("behaviour", "sensu::wire"),
            ("behaviour", "sensu::auth"),
            ("behaviour", "saltant::client"),
            ("behaviour", "openstack::auth"),
            ("behaviour", "ergonomics"),
        ],
        real_servers: false,
    },
    Module {
        name: "openstack-auth",
        files: &["src/openstack/auth.rs"],
        tests: &[
            ("behaviour", "openstack::auth"),
            ("behaviour", "openstack::resume"),
            ("behaviour", "transport::hardening"),
            ("real", "keystone"),
            ("real", "federation"),
        ],
        real_servers: true,
    },
];

/// What one run counted, from cargo-mutants' lists.
struct Tally {
    caught: usize,
    missed: Vec<String>,
    timeout: Vec<String>,
    unviable: usize,
}

/// Mutates each of `names` (all modules when empty), or one shard (`k/n`) of each. With
/// `iterate`, only the mutants the module's previous run left alive or never reached.
pub fn run(
    root: &Path,
    names: &[String],
    shard: Option<&str>,
    list: bool,
    iterate: bool,
) -> Result<(), String> {
    let chosen: Vec<&Module> = if names.is_empty() {
        MODULES.iter().collect()
    } else {
        names
            .iter()
            .map(|name| {
                MODULES.iter().find(|m| m.name == name).ok_or_else(|| {
                    let known: Vec<&str> = MODULES.iter().map(|m| m.name).collect();
                    format!("no module {name}; the modules are {}", known.join(", "))
                })
            })
            .collect::<Result<_, _>>()?
    };
    let tree = root.join("target/mutants/tree");
    // Listing reads the checkout itself; a run may be using the copy at the same time.
    if !list {
        sync_tree(root, &tree)?;
    }
    // What the copy holds: the commit, and whether the checkout had changes beyond it.
    let mut commit = git_output(root, &["rev-parse", "--short", "HEAD"]);
    if !git_output(root, &["status", "--porcelain", "--untracked-files=no"]).is_empty() {
        commit.push_str("+changes");
    }
    let mut failed = Vec::new();
    for module in chosen {
        let label = match shard {
            Some(shard) => format!("{}.shard-{}", module.name, shard.replace('/', "-of-")),
            None => module.name.to_string(),
        };
        let out = root.join("target/mutants").join(&label);
        let mut command = Command::new(env!("CARGO"));
        command
            .args([
                "mutants",
                "--in-place",
                "--all-features",
                "--package",
                "opsclient",
            ])
            // A loaded machine is slower than the baseline run that sets the timeout.
            .args(["--minimum-test-timeout", "60"])
            .current_dir(if list { root } else { &tree });
        for file in module.files {
            command.args(["--file", file]);
        }
        for arg in test_args(module.tests) {
            command.arg(format!("--cargo-test-arg={arg}"));
        }
        if let Some(shard) = shard {
            command.args(["--shard", shard]);
        }
        if iterate {
            // cargo-mutants skips what `mutants.out` lists as caught or unviable, and keeps
            // the earlier caught ones in `previously_caught.txt`.
            command.arg("--iterate");
        }
        // `--list --iterate` reads the previous results from the output directory too.
        command.arg("--output").arg(&out);
        if list {
            command.arg("--list");
        }
        command.env(
            "OPSCLIENT_OPENSTACK_ENV",
            root.join("target/openstack-servers/env.json"),
        );
        if on_path("mold") {
            // Each mutant links several large test binaries; mold links them in a fraction of
            // the time of the system linker (a mutant's build drops from about 40 s to 15 s).
            command.env("RUSTFLAGS", "-C link-arg=-fuse-ld=mold");
        }
        if module.real_servers {
            // A real-server test that skipped would let every mutant live.
            command.env("OPSCLIENT_REAL_SERVERS", "required");
        }
        println!("==> mutants: {label}");
        let status = command.status().map_err(|e| {
            format!("cannot run cargo mutants ({e}); install it with `cargo install cargo-mutants`")
        })?;
        if list {
            continue;
        }
        // cargo-mutants exits 2 when mutants were missed and 3 on timeouts: both are results.
        if !matches!(status.code(), Some(0 | 2 | 3)) {
            failed.push(format!("{label} (cargo mutants: {status})"));
            continue;
        }
        let tally = tally(&out)?;
        report(root, &commit, &label, &tally)?;
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "mutation runs that did not finish: {}",
            failed.join(", ")
        ))
    }
}

/// `cargo test` arguments that run the library's unit tests and `tests`, and no other test.
///
/// Test targets hold several subjects, so the targets are narrowed by name: a test binary runs
/// the tests whose path contains one of the names after `--`. Those names reach every binary,
/// the library's unit tests too; `tests::` keeps all of those, as each lives in a module named
/// `tests`, and no module of a test target is named so.
fn test_args(tests: &[(&str, &str)]) -> Vec<String> {
    let targets: BTreeSet<&str> = tests.iter().map(|(target, _)| *target).collect();
    let mut args = vec!["--lib".to_string()];
    args.extend(targets.iter().map(|target| format!("--test={target}")));
    args.push("--".to_string());
    args.push(UNIT_TESTS.to_string());
    args.extend(tests.iter().map(|(_, module)| format!("{module}::")));
    args
}

/// What every path of the library's unit tests contains.
const UNIT_TESTS: &str = "tests::";

/// Makes `tree` hold the checkout's files (tracked and untracked, as git lists them). A file
/// whose content is unchanged is left as it is, so its build stays valid.
fn sync_tree(root: &Path, tree: &Path) -> Result<(), String> {
    let files = crate::checkout::files(root)?;
    for file in &files {
        let from = root.join(file);
        let to = tree.join(file);
        let content = std::fs::read(&from).map_err(|e| format!("{}: {e}", from.display()))?;
        if std::fs::read(&to).ok().as_deref() == Some(content.as_slice()) {
            continue;
        }
        if let Some(dir) = to.parent() {
            std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        std::fs::write(&to, content).map_err(|e| format!("{}: {e}", to.display()))?;
    }
    // Files the checkout no longer has would still be compiled (a test target, a module).
    for dir in [
        "src", "tests", "codegen", "openapi", "cli", "bench", "xtask", "examples",
    ] {
        remove_stale(tree, &tree.join(dir), &files)?;
    }
    Ok(())
}

fn remove_stale(tree: &Path, dir: &Path, keep: &BTreeSet<PathBuf>) -> Result<(), String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(());
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            remove_stale(tree, &path, keep)?;
        } else if let Ok(relative) = path.strip_prefix(tree) {
            if !keep.contains(relative) {
                std::fs::remove_file(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            }
        }
    }
    Ok(())
}

/// Counts a module's results in `out`. With `--iterate`, cargo-mutants lists the earlier
/// unviable mutants among `previously_caught.txt`; the unviable ones seen by any run are kept in
/// `out/unviable-seen.txt`, so that they are not counted as caught.
fn tally(out: &Path) -> Result<Tally, String> {
    let lines = |path: PathBuf| -> Result<Vec<String>, String> {
        match std::fs::read_to_string(&path) {
            Ok(text) => Ok(text.lines().map(str::to_string).collect()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
            Err(e) => Err(format!("{}: {e}", path.display())),
        }
    };
    let latest = out.join("mutants.out");
    let seen_file = out.join("unviable-seen.txt");
    let mut unviable: BTreeSet<String> = lines(seen_file.clone())?.into_iter().collect();
    unviable.extend(lines(latest.join("unviable.txt"))?);
    unviable.extend(lines(out.join("mutants.out.old/unviable.txt"))?);
    let mut kept = unviable.iter().cloned().collect::<Vec<_>>().join("\n");
    kept.push('\n');
    std::fs::write(&seen_file, kept).map_err(|e| format!("{}: {e}", seen_file.display()))?;
    let earlier = lines(latest.join("previously_caught.txt"))?
        .into_iter()
        .filter(|m| !unviable.contains(m))
        .count();
    Ok(Tally {
        caught: lines(latest.join("caught.txt"))?.len() + earlier,
        missed: lines(latest.join("missed.txt"))?,
        timeout: lines(latest.join("timeout.txt"))?,
        unviable: unviable.len(),
    })
}

/// Prints the tally and appends it to `target/mutants/results.txt`, with the date and the
/// commit it was taken at.
fn report(root: &Path, commit: &str, label: &str, tally: &Tally) -> Result<(), String> {
    let results = root.join("target/mutants/results.txt");
    // A timeout is a caught mutant: the tests did not pass.
    let caught = tally.caught + tally.timeout.len();
    let viable = caught + tally.missed.len();
    let percent = if viable == 0 {
        100.0
    } else {
        caught as f64 * 100.0 / viable as f64
    };
    let date = Command::new("date")
        .arg("+%F")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    let line = format!(
        "{date} {commit} {label}: {caught} caught ({} by timeout), {} missed, {} unviable; {percent:.1}% of viable mutants caught",
        tally.timeout.len(),
        tally.missed.len(),
        tally.unviable
    );
    println!("{line}");
    for missed in &tally.missed {
        println!("  missed: {missed}");
    }
    if let Some(dir) = results.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    let mut text = std::fs::read_to_string(&results).unwrap_or_default();
    text.push_str(&line);
    text.push('\n');
    for missed in &tally.missed {
        text.push_str(&format!("  missed: {missed}\n"));
    }
    std::fs::write(&results, text).map_err(|e| format!("{}: {e}", results.display()))
}

fn git_output(root: &Path, args: &[&str]) -> String {
    Command::new("git")
        .args(args)
        .current_dir(root)
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default()
}

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(program).is_file()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_module_names_test_modules_that_exist() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        for module in MODULES {
            for (target, path) in module.tests {
                let file = root
                    .join("tests")
                    .join(target)
                    .join(path.replace("::", "/"));
                assert!(
                    file.with_extension("rs").is_file() || file.join("mod.rs").is_file(),
                    "{}: no test module {target} {path} at {}",
                    module.name,
                    file.display()
                );
                assert!(
                    !path.split("::").any(|part| part == "tests"),
                    "{}: a test module named `tests` would match every unit test's filter",
                    module.name
                );
            }
        }
    }

    #[test]
    fn the_test_arguments_name_each_target_once_and_filter_by_module() {
        let args = test_args(&[
            ("behaviour", "transport::hardening"),
            ("real", "keystone"),
            ("behaviour", "openstack::auth"),
        ]);
        assert_eq!(
            args,
            [
                "--lib",
                "--test=behaviour",
                "--test=real",
                "--",
                "tests::",
                "transport::hardening::",
                "keystone::",
                "openstack::auth::",
            ]
        );
    }
}
