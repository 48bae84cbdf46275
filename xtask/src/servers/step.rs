//! One-shot set-up steps: commands (pip, apt-get, keystone-manage, ...) whose output goes to a
//! log, and initialisations done once per state directory.

use std::fs::{self, OpenOptions};
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

/// Runs `command` to completion for the set-up step `step`, appending the command line and its
/// output to `log`. Fails naming the step and the log when it cannot start or exits non-zero.
pub fn run(step: &str, command: &mut Command, log: &Path) -> Result<(), String> {
    let mut file = OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)
        .map_err(|e| format!("{step}: cannot open {}: {e}", log.display()))?;
    let _ = writeln!(file, "\n==> {step}: {}", describe(command));
    let errors = file
        .try_clone()
        .map_err(|e| format!("{step}: cannot open {} twice: {e}", log.display()))?;
    let started = Instant::now();
    let status = command
        .stdin(Stdio::null())
        .stdout(file)
        .stderr(errors)
        .status()
        .map_err(|e| format!("{step}: cannot run {:?}: {e}", command.get_program()))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!(
            "{step} failed ({status}) after {:.1} s; read {}",
            started.elapsed().as_secs_f64(),
            log.display()
        ))
    }
}

/// Runs an initialisation once per state directory. `marker` records that `init` succeeded;
/// until it exists, every path in `wipe` is removed first, so a half-done earlier attempt never
/// gets in the way. Returns whether `init` ran.
pub fn once(
    marker: &Path,
    wipe: &[PathBuf],
    init: impl FnOnce() -> Result<(), String>,
) -> Result<bool, String> {
    if marker.exists() {
        return Ok(false);
    }
    for path in wipe {
        let removed = if path.is_dir() {
            fs::remove_dir_all(path)
        } else {
            fs::remove_file(path)
        };
        match removed {
            Err(e) if e.kind() != ErrorKind::NotFound => {
                return Err(format!("cannot remove {}: {e}", path.display()))
            }
            _ => {}
        }
    }
    init()?;
    fs::write(marker, "").map_err(|e| format!("cannot write {}: {e}", marker.display()))?;
    Ok(true)
}

/// Runs `command` and returns its stdout, for quick queries (dpkg-query, rabbitmqctl).
/// Stderr is discarded; a failure to start or a non-zero exit gives `None`.
pub fn output(command: &mut Command) -> Option<String> {
    let out = command
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The command line, for the log.
fn describe(command: &Command) -> String {
    std::iter::once(command.get_program())
        .chain(command.get_args())
        .map(|part| part.to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}
