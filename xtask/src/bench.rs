//! `cargo xtask bench`: builds the benchmarks in release mode and runs them.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

/// Runs every scenario; with `instructions`, also counts each way's instructions; with
/// `build_times`, also times a cold build and a rebuild after a one-line spec change; with
/// `compression`, the HTTP scenarios' answers are gzipped.
pub fn run(
    root: &Path,
    rounds: usize,
    instructions: bool,
    build_times: bool,
    compression: bool,
) -> Result<(), String> {
    let flags: &[&str] = if compression { &["--compression"] } else { &[] };
    let built = Command::new(env!("CARGO"))
        .args(["build", "--release", "--package", "opsclient-bench"])
        .current_dir(root)
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !built.success() {
        return Err("the benchmarks do not build".into());
    }
    let binary = root.join("target/release/opsclient-bench");
    let results = root.join("target/bench/results.jsonl");
    let timed = Command::new(&binary)
        .args(["--rounds", &rounds.to_string(), "--out"])
        .arg(&results)
        .args(flags)
        .current_dir(root)
        .status()
        .map_err(|e| format!("cannot run {}: {e}", binary.display()))?;
    if !timed.success() {
        return Err("a benchmark failed".into());
    }
    if instructions {
        count_instructions(root, &binary, flags)?;
    }
    if build_times {
        time_builds(root)?;
    }
    Ok(())
}

/// A cold build of the library with every feature, then the rebuild after a one-line change
/// to a spec, in a copy of the sources with a target of its own (the checkout and its target
/// are left alone; dependencies come from cargo's local registry cache).
fn time_builds(root: &Path) -> Result<(), String> {
    let copy = root.join("target/bench/build-time");
    let _ = std::fs::remove_dir_all(&copy);
    for file in crate::checkout::files(root)? {
        let from = root.join(&file);
        let to = copy.join(&file);
        if let Some(dir) = to.parent() {
            std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        std::fs::copy(&from, &to).map_err(|e| format!("{}: {e}", from.display()))?;
    }
    let build = || -> Result<f64, String> {
        let started = Instant::now();
        let status = Command::new(env!("CARGO"))
            .args([
                "build",
                "--quiet",
                "--package",
                "opsclient",
                "--all-features",
            ])
            .env("CARGO_TARGET_DIR", copy.join("target"))
            .current_dir(&copy)
            .status()
            .map_err(|e| format!("cannot run cargo: {e}"))?;
        if !status.success() {
            return Err("the copy does not build".into());
        }
        Ok(started.elapsed().as_secs_f64())
    };
    let cold = build()?;
    // One line of one spec: a description, as an API change would bring.
    let spec = copy.join("openapi/sensu.yaml");
    let text = std::fs::read_to_string(&spec).map_err(|e| format!("{}: {e}", spec.display()))?;
    let line = text
        .lines()
        .position(|l| {
            l.trim_start()
                .strip_prefix("description: ")
                .is_some_and(|text| !text.starts_with(['|', '>', '"', '\'']))
        })
        .ok_or("the Sensu spec has no one-line description")?;
    let changed: Vec<String> = text
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if i == line {
                format!("{l} (changed)")
            } else {
                l.to_string()
            }
        })
        .collect();
    std::fs::write(&spec, changed.join("\n") + "\n")
        .map_err(|e| format!("{}: {e}", spec.display()))?;
    let rebuild = build()?;
    println!(
        "\nbuild: cold build of the library with every feature {cold:.0} s; rebuild after a \
         one-line change to openapi/sensu.yaml {rebuild:.0} s (dev profile, {} cores)",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    let _ = std::fs::remove_dir_all(&copy);
    Ok(())
}

/// Each way's instructions per run, under callgrind: the way run `REPEAT` times, less a run
/// of the same binary that only prepares the inputs.
fn count_instructions(root: &Path, binary: &Path, flags: &[&str]) -> Result<(), String> {
    const REPEAT: u64 = 3;
    let listed = Command::new(binary)
        .arg("--list")
        .args(flags)
        .output()
        .map_err(|e| format!("cannot list the benchmarks: {e}"))?;
    let list = String::from_utf8_lossy(&listed.stdout).into_owned();
    let mut scenario_base: Option<(String, u64)> = None;
    println!("\ninstructions per run (valgrind --tool=callgrind)");
    for line in list.lines() {
        let Some((scenario, way)) = line.split_once('/') else {
            continue;
        };
        let base = match &scenario_base {
            Some((name, base)) if name == scenario => *base,
            _ => {
                let base = callgrind(root, binary, &format!("{scenario}/-"), REPEAT, flags)?;
                scenario_base = Some((scenario.to_string(), base));
                println!("  {scenario}");
                base
            }
        };
        let total = callgrind(root, binary, line, REPEAT, flags)?;
        let per_run = total.saturating_sub(base) / REPEAT;
        println!("    {way:<34} {per_run:>14}");
    }
    Ok(())
}

fn callgrind(
    root: &Path,
    binary: &Path,
    only: &str,
    repeat: u64,
    flags: &[&str],
) -> Result<u64, String> {
    let out = root.join("target/bench/callgrind.out");
    let run = Command::new("valgrind")
        .arg("--tool=callgrind")
        .arg(format!("--callgrind-out-file={}", out.display()))
        .arg(binary)
        .args(["--only", only, "--rounds", &repeat.to_string()])
        .args(flags)
        .current_dir(root)
        .output()
        .map_err(|e| format!("cannot run valgrind (install it to count instructions): {e}"))?;
    let _ = std::fs::remove_file(&out);
    let log = String::from_utf8_lossy(&run.stderr);
    log.lines()
        .find_map(|l| l.split("Collected :").nth(1))
        .and_then(|n| n.trim().parse().ok())
        .ok_or_else(|| format!("valgrind gave no instruction count for {only}:\n{log}"))
}
